"""The one writer: OutputSet's all-or-none sets, stale temporaries, signals held while renaming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.exporters.sinks import (
    OutputSet,
    _signals_deferred,
    check_output_folder,
    remove_stale_temporaries,
    write_file,
)


def test_an_output_set_puts_files_and_folders_in_place_together(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b"
    with OutputSet(out) as outputs:
        outputs.write("graph.json", b"{}")
        bundle = outputs.path("graph-csv")
        bundle.mkdir()
        (bundle / "nodes.csv").write_bytes(b"id\n")
        assert not out.joinpath("graph.json").exists()  # nothing in place before the end
    assert sorted(p.name for p in out.iterdir()) == ["graph-csv", "graph.json"]
    assert outputs.written == [out / "graph.json", out / "graph-csv"]


def test_an_output_set_replaces_a_previous_folder_and_file(tmp_path: Path) -> None:
    (tmp_path / "graph-csv").mkdir()
    (tmp_path / "graph-csv" / "old.csv").write_bytes(b"old")
    (tmp_path / "graph.json").write_bytes(b"old")
    with OutputSet(tmp_path) as outputs:
        outputs.path("graph-csv").mkdir()
        outputs.write("graph.json", b"new")
    assert list((tmp_path / "graph-csv").iterdir()) == []
    assert (tmp_path / "graph.json").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph-csv", "graph.json"]


def test_an_error_leaves_the_folder_as_it_was_and_removes_what_it_made(tmp_path: Path) -> None:
    def fail_half_way(folder: Path) -> None:
        with OutputSet(folder) as outputs:
            outputs.write("graph.json", b"new")
            outputs.write("report.json", b"new")
            raise RuntimeError("the export failed")

    (tmp_path / "graph.json").write_bytes(b"old")
    with pytest.raises(RuntimeError):
        fail_half_way(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json"]
    assert (tmp_path / "graph.json").read_bytes() == b"old"
    with pytest.raises(RuntimeError):
        fail_half_way(tmp_path / "x" / "y")
    assert not (tmp_path / "x").exists()


def test_a_name_is_written_once(tmp_path: Path) -> None:
    with OutputSet(tmp_path) as outputs:
        outputs.write("graph.json", b"{}")
        with pytest.raises(ValueError, match="already an output"):
            outputs.path("graph.json")
        with pytest.raises(ValueError, match="plain file names"):
            outputs.path("../escape")


def test_the_output_folder_is_checked_without_being_made(tmp_path: Path) -> None:
    check_output_folder(tmp_path / "new" / "deeper")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(NotADirectoryError) as raised:
        check_output_folder(tmp_path / "file" / "out")
    assert raised.value.filename == str(tmp_path / "file")


def test_files_follow_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o077)
    try:
        write_file(tmp_path / "private", b"x")
    finally:
        os.umask(previous)
    write_file(tmp_path / "usual", b"x")
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "usual").stat().st_mode & 0o777 == 0o666 & ~previous


def test_only_temporaries_of_processes_that_are_gone_are_removed(tmp_path: Path) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a pid no longer running
    dead.wait()
    names = [
        f".graph.nt.{dead.pid}-0123abcd.tmp",  # a killed run's half file
        f".newsgraph.{dead.pid}-0123abcd.tmp",  # a killed run's stage
        f".graph.nt.{os.getpid()}-0123abcd.tmp",  # this process: still being written
        ".graph.nt.tmp",  # not a name newsgraph makes
        "graph.nt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")
    (tmp_path / names[1]).unlink()
    (tmp_path / names[1]).mkdir()
    (tmp_path / names[1] / "graph.json").write_bytes(b"")
    removed = remove_stale_temporaries(tmp_path)
    assert sorted(p.name for p in removed) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])


def test_signals_wait_until_the_renames_are_done() -> None:
    caught: list[str] = []
    previous = signal.signal(signal.SIGTERM, lambda n, f: caught.append("handled"))
    try:
        with _signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            caught.append("renamed")
        assert caught == ["renamed", "handled"]
    finally:
        signal.signal(signal.SIGTERM, previous)
