"""``newsgraph build --update`` makes the change set of a patch in a forked child while it
writes graph.json: the same change set, and a child that fails, is killed or says no
changes nothing in place (or falls back to the full update)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_update_cli import SAMPLES, _change, _differences, _run

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(SAMPLES, folder)
    return folder


def _snapshot(out: Path) -> dict[Path, bytes]:
    """Every file below ``out`` (hidden temporaries too) with its bytes."""
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


_FORKED: list[int] = []  # the pids this module's test forked


@pytest.fixture(autouse=True)
def _recorded_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    _FORKED.clear()
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            _FORKED.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recorded)


def _no_child_left() -> None:
    """Every child the test forked was waited for (other tests' children may still run)."""
    for pid in _FORKED:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _first_update(news: Path, out: Path) -> dict[Path, bytes]:
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    _change(news)
    return _snapshot(out)


def _assert_changes_are_the_whole_diff(
    previous: dict[Path, bytes], news: Path, out: Path, tmp_path: Path
) -> None:
    """``out/changes`` is what a diff of the whole graphs, before (``previous``, a
    :func:`_snapshot`) and now, writes."""
    from newsgraph import build_graph
    from newsgraph.exporters.changes import write_change_sets
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    (tmp_path / "previous.json").write_bytes(previous[Path("graph.json")])
    whole = tmp_path / "whole"
    write_change_sets(
        read_nodelink(tmp_path / "previous.json"), build_graph([news], jobs=1)[0], whole
    )
    assert _differences(out / "changes", whole) == []


def test_a_failure_in_the_child_is_an_error_and_changes_nothing(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsgraph.exporters.changes import patched

    out = tmp_path / "out"
    before = _first_update(news, out)

    def fails(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"failed in process {os.getpid()}")

    monkeypatch.setattr(patched, "patched_change_set", fails)
    capsys.readouterr()
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    error = capsys.readouterr().err
    assert "RuntimeError: failed in process" in error
    assert f"failed in process {os.getpid()}" not in error  # in a child
    assert _snapshot(out) == before
    _no_child_left()


def test_a_killed_child_is_an_error_and_changes_nothing(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsgraph.exporters.changes import patched

    out = tmp_path / "out"
    before = _first_update(news, out)
    parent = os.getpid()

    def killed(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent:
            raise AssertionError("the change set is made in this process")
        os.kill(os.getpid(), signal.SIGKILL)

    monkeypatch.setattr(patched, "patched_change_set", killed)
    capsys.readouterr()
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    error = capsys.readouterr().err
    assert "the process writing the change set stopped without a result" in error
    assert "killed by SIGKILL" in error
    assert _snapshot(out) == before
    _no_child_left()


def test_a_child_that_cannot_patch_means_the_full_update(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.exporters.changes import patched

    out = tmp_path / "out"
    before = _first_update(news, out)

    def says_no(*args: Any, **kwargs: Any) -> Any:
        raise patched.NotPatchable("a test says no")

    monkeypatch.setattr(patched, "patched_change_set", says_no)
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    update = json.loads((out / "update.json").read_text())
    assert update["patched"] is False and update["not_patched"] == "a test says no"
    _assert_changes_are_the_whole_diff(before, news, out, tmp_path)
    _no_child_left()


def test_a_failure_here_stops_the_child(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.exporters.changes import patched
    from newsgraph.exporters.cli import build

    out = tmp_path / "out"
    before = _first_update(news, out)

    def slow(*args: Any, **kwargs: Any) -> Any:
        time.sleep(60)

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(patched, "patched_change_set", slow)
    monkeypatch.setattr(build, "write_lines", interrupted)
    started = time.monotonic()
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 130
    assert time.monotonic() - started < 30
    assert _snapshot(out) == before
    _no_child_left()


def test_without_fork_the_change_set_is_made_here(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.exporters.cli import _patched

    out = tmp_path / "out"
    before = _first_update(news, out)

    def no_fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(_patched, "Forked", no_fork)
    monkeypatch.delattr(os, "fork")
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    monkeypatch.undo()
    update = json.loads((out / "update.json").read_text())
    assert update["patched"] is True and update["not_patched"] is None
    _assert_changes_are_the_whole_diff(before, news, out, tmp_path)
