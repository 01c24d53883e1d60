"""What the commands leave in their output folder: permissions, one file per name, all or none.

Every output goes through :class:`newsgraph.exporters.sinks.OutputSet`: files ``0666`` and
folders ``0777`` minus the umask, each file written and announced once, a failed or
stopped run leaving the previous run's files as they were and no temporary behind.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph.exporters.cli import main
from newsgraph.exporters.property_graph.nodelink import graph_to_json

REPO = Path(__file__).resolve().parents[2]
SEEDLIKE = REPO / "tests" / "fixtures" / "seedlike"


def _run(*argv: str | Path) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as stopped:
        return int(stopped.code or 0)


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(SEEDLIKE, folder)
    return folder


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process umask after a test that sets it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _modes(folder: Path) -> dict[str, int]:
    """Permission bits of every file and folder below ``folder`` (and of it), by relative path."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in sorted(folder.rglob("*")):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.stat().st_mode)
    return found


def _commands(news: Path, out: Path) -> dict[str, list[str | Path]]:
    return {
        "build": ["build", news, "-o", out / "b" / "deep", "-q", "-j", "1", "-f", "nt,csv,neo4j"],
        "export": [
            "export",
            out / "b" / "deep" / "graph.json",
            "-f",
            "ttl,csv.zip",
            "-o",
            out / "e",
        ],
        "analyze": ["analyze", news, "-o", out / "a", "-q", "-j", "1", "--method", "louvain"],
        "plot": [
            "plot",
            news,
            "-o",
            out / "p",
            "-q",
            "-j",
            "1",
            "--by",
            "topic",
            "--format",
            "svg",
        ],
    }


@pytest.mark.parametrize(
    ("mask", "file_mode", "folder_mode"), [(0o022, 0o644, 0o755), (0o027, 0o640, 0o750)]
)
def test_outputs_have_the_usual_permissions_under_the_umask(
    mask: int, file_mode: int, folder_mode: int, news: Path, tmp_path: Path, umask: None
) -> None:
    os.umask(mask)
    out = tmp_path / "out"
    for argv in _commands(news, out).values():
        assert _run(*argv, "-q") == 0
    modes = _modes(out)
    script = "b/deep/graph-neo4j/import.sh"
    assert modes.pop(script) == folder_mode  # executable where readable, no more
    folders = {name for name in modes if name == "." or (out / name).is_dir()}
    assert {modes[name] for name in folders} == {folder_mode}, modes
    assert {modes[name] for name in set(modes) - folders} == {file_mode}, modes
    assert "b/deep/report.json" in modes and "p/degrees.svg" in modes and "a/summary.json" in modes


def test_each_file_is_written_and_announced_once(
    news: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run("build", news, "-o", out, "-f", "json,nt,nt,ntriples", "-j", "1") == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.json", "graph.nt", "report.json"]
    [wrote] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("wrote")]
    announced = wrote.removeprefix("wrote ").split(", ")
    assert sorted(announced) == sorted(
        str(out / n) for n in ("graph.json", "graph.nt", "report.json")
    )


def test_compressed_targets_are_the_same_bytes_packed(news: Path, tmp_path: Path) -> None:
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    assert _run("build", news, "-o", plain, "-q", "-j", "1", "-f", "nt,csv,neo4j") == 0
    assert _run("build", news, "-o", packed, "-q", "-j", "1", "-f", "nt.gz,csv.zip,neo4j.zip") == 0
    assert sorted(p.name for p in packed.iterdir()) == [
        "graph.csv.zip",
        "graph.json",
        "graph.neo4j.zip",
        "graph.nt.gz",
        "report.json",
    ]
    assert (
        gzip.decompress((packed / "graph.nt.gz").read_bytes()) == (plain / "graph.nt").read_bytes()
    )
    for name in ("csv", "neo4j"):
        with zipfile.ZipFile(packed / f"graph.{name}.zip") as archive:
            for member in archive.namelist():
                assert archive.read(member) == (plain / f"graph-{name}" / member).read_bytes()
    # export takes the same names
    out = tmp_path / "export"
    assert _run("export", plain / "graph.json", "-f", "ttl.gz,neptune.zip", "-o", out, "-q") == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.neptune.zip", "graph.ttl.gz"]


def test_export_warnings_go_into_the_report_and_the_exit_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # an alias URL the reader keeps but an IRI cannot hold: RDF exports leave it out
    (folder / "a.md").write_text(
        "---\ntitle: Harbour lights\nwebUrl: https://harbour.example/lights\n"
        "originalUrl: 'https://harbour.example/x{y}'\n---\n"
    )
    assert _run("build", folder, "-o", tmp_path / "plain", "-q") == 0
    report = json.loads((tmp_path / "plain" / "report.json").read_text())
    assert "bad-iri" not in report["problems"]["by_code"]
    capsys.readouterr()
    assert _run("build", folder, "-o", tmp_path / "rdf", "-q", "-f", "nt,ttl") == 1
    report = json.loads((tmp_path / "rdf" / "report.json").read_text())
    assert report["problems"]["by_code"]["bad-iri"] == 1  # once, though two formats met it
    [item] = [i for i in report["problems"]["items"] if i["code"] == "bad-iri"]
    assert item["severity"] == "warning" and "x{y}" in item["message"]
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith("[bad-iri]")


PREVIOUS_NAMES = ["graph-csv", "graph.json", "graph.nt", "report.json"]


def _previous_run(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True)
    (out / "graph-csv").mkdir()
    files = {"graph.json": b"old graph\n", "report.json": b"old report\n", "graph.nt": b"old nt\n"}
    files["graph-csv/nodes.csv"] = b"old nodes\n"
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def _contents(out: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.mark.parametrize("where", ["no file name", "a file in the stage"])
def test_a_failed_write_leaves_the_previous_set_and_names_the_output(
    where: str,
    news: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newsgraph.exporters.property_graph import tables
    from newsgraph.exporters.rdf import turtle

    out = tmp_path / "out"
    previous = _previous_run(out)
    if where == "no file name":  # as a full disk makes write() fail
        failed = "graph.ttl"

        def write_turtle(G: object, stream: object, **options: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(turtle, "write_turtle", write_turtle)
    else:
        failed = "graph-csv"

        def write_csv(G: object, sink: Any, **options: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device", str(sink.root / "nodes.csv"))

        monkeypatch.setattr(tables, "write_csv", write_csv)
    assert _run("build", news, "-o", out, "-j", "1", "-f", "nt,csv,ttl,graphml") == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line == f"newsgraph build: {out / failed}: No space left on device"
    assert _contents(out) == previous  # nothing new, nothing half-written, no temporary
    assert sorted(p.name for p in out.iterdir()) == PREVIOUS_NAMES


def test_a_successful_run_replaces_the_whole_set(news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _previous_run(out)
    assert _run("build", news, "-o", out, "-j", "1", "-q", "-f", "nt,csv") == 0
    contents = _contents(out)
    assert b"old" not in b"".join(contents.values())
    assert sorted(contents) == [
        "graph-csv/edges.csv",
        "graph-csv/nodes.csv",
        "graph.json",
        "graph.nt",
        "report.json",
    ]


# -- a run stopped by a signal ----------------------------------------------------------------

# Runs the CLI with an N-Triples writer that writes a little, says so, and waits to be stopped.
_STALLED = """
import sys, time
from pathlib import Path
from newsgraph.exporters.rdf import ntriples
def stalled(G, stream, **options):
    stream.write(b"<half> ")
    stream.flush()
    Path(sys.argv[1]).write_text("writing")
    time.sleep(120)
ntriples.write_ntriples = stalled
from newsgraph.exporters.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _stalled_build(news: Path, out: Path, marker: Path) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    argv = ["build", str(news), "-o", str(out), "-j", "1", "-q", "-f", "csv,nt"]
    process = subprocess.Popen(
        [sys.executable, "-c", _STALLED, str(marker), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    for _ in range(600):  # wait (up to a minute) until the export is under way
        if marker.exists() or process.poll() is not None:
            break
        time.sleep(0.1)
    assert marker.exists(), process.communicate()
    return process


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stopped_build_leaves_the_previous_set_and_no_temporary(
    number: signal.Signals, news: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    previous = _previous_run(out)
    process = _stalled_build(news, out, tmp_path / "marker")
    process.send_signal(number)
    _, stderr = process.communicate(timeout=60)
    expected = 130 if number == signal.SIGINT else 128 + number
    assert process.returncode == expected, stderr
    assert stderr.splitlines() == [
        "newsgraph build: interrupted"
        if number == signal.SIGINT
        else f"newsgraph build: stopped by {number.name}"
    ]
    assert _contents(out) == previous
    assert sorted(p.name for p in out.iterdir()) == PREVIOUS_NAMES


def test_temporaries_of_a_killed_build_are_removed_by_the_next(news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    previous = _previous_run(out)
    process = _stalled_build(news, out, tmp_path / "marker")
    process.kill()  # SIGKILL: nothing can clean up
    process.communicate(timeout=60)
    [left] = [p.name for p in out.iterdir() if p.name.startswith(".")]
    assert re.fullmatch(rf"\.newsgraph\.{process.pid}-[0-9a-f]{{8}}\.tmp", left)  # the stage
    for name, data in previous.items():  # the previous set is still whole
        assert (out / name).read_bytes() == data
    assert _run("build", news, "-o", out, "-j", "1", "-q") == 0
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_graph_json_from_build_reads_back(news: Path, tmp_path: Path) -> None:
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    assert _run("build", news, "-o", tmp_path, "-q", "-j", "1") == 0
    G = read_nodelink(tmp_path / "graph.json")
    assert graph_to_json(G) == (tmp_path / "graph.json").read_bytes()
