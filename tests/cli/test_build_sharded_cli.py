"""``newsgraph build --shards N`` and ``--no-graph``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.exporters.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "news"


def _run(*argv: str | Path) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)


def test_shards_write_the_same_graph_and_report(tmp_path: Path) -> None:
    plain = _run("build", SAMPLES, "-o", tmp_path / "plain", "-q")
    sharded = _run("build", SAMPLES, "-o", tmp_path / "sharded", "-q", "--shards", "5", "-j", "2")
    assert plain == sharded == 1  # the samples hold one broken file
    for name in ("graph.json", "report.json"):
        assert (tmp_path / "plain" / name).read_bytes() == (
            tmp_path / "sharded" / name
        ).read_bytes()


def test_no_graph_streams_the_formats_with_a_manifest_each(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _run("build", SAMPLES, "-o", out, "-q", "--no-graph", "-f", "nt,neo4j,csv") == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "graph-csv.d",
        "graph-neo4j.d",
        "graph.nt.d",
        "report.json",
    ]
    manifest = json.loads((out / "graph.nt.d" / "manifest.json").read_text())
    assert manifest["files"][0] == "header.nt" and manifest["shards"] == 16


def test_no_graph_refuses_a_format_it_cannot_stream(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("build", SAMPLES, "-o", tmp_path, "--no-graph", "-f", "graphml") == 2
    assert "graphml" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_no_graph_writes_the_report_of_the_build_and_the_same_triples(tmp_path: Path) -> None:
    plain, streamed = tmp_path / "plain", tmp_path / "streamed"
    assert _run("build", SAMPLES, "-o", plain, "-q", "-f", "nt,neo4j,csv") == 1
    argv = ("build", SAMPLES, "-o", streamed, "-q", "--no-graph", "-f", "nt,neo4j,csv")
    assert _run(*argv, "--shards", "3", "-j", "2") == 1
    assert (plain / "report.json").read_bytes() == (streamed / "report.json").read_bytes()
    folder = streamed / "graph.nt.d"
    files = json.loads((folder / "manifest.json").read_text())["files"]
    lines = b"".join((folder / name).read_bytes() for name in files).splitlines()
    assert sorted(lines) == sorted((plain / "graph.nt").read_bytes().splitlines())


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_no_graph_writes_to_a_file_url_what_it_writes_to_a_folder(tmp_path: Path) -> None:
    formats = ("-q", "--no-graph", "-f", "nt,neo4j,csv", "--shards", "3")
    assert _run("build", SAMPLES, "-o", tmp_path / "folder", *formats) == 1
    url = (tmp_path / "url").as_uri()  # file:///...
    assert _run("build", SAMPLES, "-o", url, "-j", "2", *formats) == 1
    assert _tree(tmp_path / "url") == _tree(tmp_path / "folder")


def test_no_graph_writes_to_memory_what_it_writes_to_a_folder(tmp_path: Path) -> None:
    """fsspec's in-memory file system: the shards are written in this process, where the
    memory is (not in the -j 2 worker processes), and never by Dask workers."""
    import fsspec

    formats = ("-q", "--no-graph", "-f", "nt,neo4j,csv", "--shards", "2", "-j", "2")
    assert _run("build", SAMPLES, "-o", tmp_path / "folder", *formats) == 1
    assert _run("build", SAMPLES, "-o", "memory://ng-cli/out", "--engine", "dask", *formats) == 2
    memory = fsspec.filesystem("memory")
    try:
        assert _run("build", SAMPLES, "-o", "memory://ng-cli/out", *formats) == 1
        written = {p[len("/ng-cli/out/") :]: memory.cat_file(p) for p in memory.find("/ng-cli/out")}
    finally:
        memory.rm("/ng-cli", recursive=True)
    assert written == _tree(tmp_path / "folder")


def test_a_url_needs_no_graph_and_work_dir_needs_shards(tmp_path: Path) -> None:
    assert _run("build", SAMPLES, "-o", "memory://ng-cli/x", "-q") == 2
    assert _run("build", SAMPLES, "-o", tmp_path / "x", "--work-dir", tmp_path / "w", "-q") == 2
    assert not (tmp_path / "x").exists()


def test_work_dir_holds_the_store_only_while_the_build_runs(tmp_path: Path) -> None:
    work = tmp_path / "work" / "new"
    args = ("-q", "--shards", "3", "--work-dir", work)
    assert _run("build", SAMPLES, "-o", tmp_path / "out", *args) == 1
    assert work.is_dir() and not any(work.iterdir())
    assert (tmp_path / "out" / "graph.json").is_file()
