"""The same input gives byte-identical outputs from any working directory (issue 14).

``newsgraph build`` is run twice: from the input's parent with a relative path, and from
elsewhere with an absolute path.  Every output file must be the same, byte for byte, and
none may hold a path of the machine that built it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
FORMATS = "json,graphml,gexf,csv,neo4j,nt,jsonld,html"


def _build(cwd: Path, inputs: list[str], out: Path) -> dict[str, bytes]:
    command = [sys.executable, "-m", "newsgraph.exporters.cli", "build", *inputs]
    command += ["-o", str(out), "-q", "-j", "2", "-f", FORMATS]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, cwd=cwd, capture_output=True, env=env, check=False)
    assert done.returncode in (0, 1), done.stderr.decode()
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _same_from_two_places(folders: list[Path], tmp_path: Path) -> None:
    parent = folders[0].parent.resolve()
    relative = _build(parent, [f.name for f in folders], tmp_path / "relative")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    absolute = _build(elsewhere, [str(f.resolve()) for f in folders], tmp_path / "absolute")
    assert sorted(relative) == sorted(absolute)
    assert len(relative) >= 9  # graph.json, report.json and the exports
    for name, data in relative.items():
        assert data == absolute[name], name
        assert str(parent).encode() not in data, name  # no path of this machine
        assert str(tmp_path).encode() not in data, name


def test_two_working_directories_give_the_same_bytes(tmp_path: Path) -> None:
    _same_from_two_places([FIXTURES / "identity", FIXTURES / "seedlike"], tmp_path)


def test_the_real_corpus_from_two_working_directories(tmp_path: Path) -> None:
    folders = [CORPUS / "powerapps", CORPUS / "coronavirus-api"]
    if not all(f.is_dir() for f in folders):
        pytest.skip(f"the real corpus is not here: {CORPUS}")
    _same_from_two_places(folders, tmp_path)
