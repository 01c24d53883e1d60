"""``newsgraph build --update``: every output byte-identical to a full build's, update.json,
and a state that is put in place last."""

from __future__ import annotations

import filecmp
import json
import os
import shutil
from pathlib import Path

import pytest

from newsgraph.exporters.cli import main
from newsgraph.graph.building.update import STATE_FILE

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "news"
FORMATS = "nt,nq,ttl,trig,jsonld,rdfxml,graphml,gexf,csv,neo4j,neptune,html"
UPDATE_ONLY = [STATE_FILE, "update.json", "changes"]


def _run(*argv: str | Path) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)


def _differences(a: Path, b: Path) -> list[str]:
    """Names of the outputs that differ between two output folders (or exist in one only)."""
    found: list[str] = []

    def walk(compared: filecmp.dircmp[str]) -> None:
        found.extend(compared.left_only + compared.right_only + compared.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(
            compared.left, compared.right, compared.common_files, shallow=False
        )
        found.extend(mismatch + errors)
        for sub in compared.subdirs.values():
            walk(sub)

    walk(filecmp.dircmp(a, b, ignore=UPDATE_ONLY))
    return found


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    shutil.copytree(SAMPLES, folder)
    return folder


def _change(news: Path) -> None:
    files = sorted(p for p in news.rglob("*.md"))
    files[0].unlink()
    files[1].rename(news / "renamed.md")
    files[2].write_bytes(files[2].read_bytes().replace(b"title: ", b"title: New ", 1))
    (news / "added.md").write_text("---\ntitle: Added\nwebUrl: https://x.example/added\n---\n")


def test_an_update_writes_what_a_full_build_writes_in_every_format(
    news: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    updated, full = tmp_path / "updated", tmp_path / "full"
    argv = ["--jobs", "1", "-f", FORMATS]
    assert _run("build", news, "-o", updated, "--update", *argv) == 1  # the samples' bad files
    first = json.loads((updated / "update.json").read_text())
    assert first["full_rebuild"] == f"there is no previous state ({STATE_FILE})"
    assert "full rebuild because there is no previous state" in capsys.readouterr().out
    _change(news)
    assert _run("build", news, "-o", updated, "--update", *argv) == 1
    assert _run("build", news, "-o", full, *argv) == 1
    assert _differences(updated, full) == []
    assert sorted(set(os.listdir(updated)) - set(os.listdir(full))) == sorted(UPDATE_ONLY)
    # the first update had no previous graph.json, so it wrote no change set; this one did
    assert (updated / "changes" / "changes.json").is_file()
    update = json.loads((updated / "update.json").read_text())
    assert update["full_rebuild"] is None
    assert update["files"]["added"] == ["news/added.md", "news/renamed.md"]
    assert len(update["files"]["changed"]) == 1 and len(update["files"]["removed"]) == 2
    assert update["files"]["renamed"][0]["to"] == "news/renamed.md"
    assert set(update["seconds"]) == {"scan", "load", "read", "assemble", "write"}
    assert "update: 2 added, 1 changed, 2 removed (1 renamed)" in capsys.readouterr().out


def test_the_state_is_put_in_place_last(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped before its state is in place leaves the old state, which the next update
    does not trust: the outputs beside it are newer."""
    out, full = tmp_path / "out", tmp_path / "full"
    assert _run("build", news, "-o", out, "--update", "--jobs", "1", "-f", "nt") == 1
    _change(news)
    replace = os.replace

    def fail_on_the_state(source: object, target: object) -> None:
        if Path(str(target)).name == STATE_FILE and Path(str(target)).parent == out:
            raise OSError(28, "No space left on device")
        replace(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr("newsgraph.exporters.sinks.os.replace", fail_on_the_state)
    assert _run("build", news, "-o", out, "--update", "--jobs", "1", "-f", "nt") == 1
    monkeypatch.undo()
    # every other output was put in place before the state failed
    assert json.loads((out / "update.json").read_text())["full_rebuild"] is None
    assert _run("build", news, "-o", out, "--update", "--jobs", "1", "-f", "nt") == 1
    reason = json.loads((out / "update.json").read_text())["full_rebuild"]
    assert "not the ones it describes" in reason
    assert _run("build", news, "-o", full, "--jobs", "1", "-f", "nt") == 1
    assert _differences(out, full) == []


@pytest.mark.parametrize("option", [["--shards", "2"], ["--no-graph"]])
def test_update_does_not_go_with_shards_or_no_graph(
    news: Path, tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("build", news, "-o", tmp_path / "out", "--update", *option) == 2
    assert "--update merges in memory" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--engine", "dask"], ["--scheduler", "tcp://127.0.0.1:9"]])
def test_update_reads_on_this_machine(
    news: Path, tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("build", news, "-o", tmp_path / "out", "--update", *option) == 2
    assert "--update reads on this machine" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_update_writes_the_change_set_that_brings_a_store_to_the_new_graph(
    news: Path, tmp_path: Path
) -> None:
    """build --update, load, change the files, build --update, load --update OUT/changes:
    the store holds what a fresh load of the new graph.json gives."""
    import pyoxigraph

    out = tmp_path / "out"
    assert _run("build", news, "-o", out, "--update", "--jobs", "1", "-q") == 1
    assert not (out / "changes").exists()  # nothing to compare the first build with
    store = tmp_path / "store"
    assert _run("load", out / "graph.json", "--into", f"oxigraph:{store}", "-q") == 0
    _change(news)
    assert _run("build", news, "-o", out, "--update", "--jobs", "1", "-q") == 1
    assert _run("load", "--update", out / "changes", "--into", f"oxigraph:{store}", "-q") == 0
    fresh = tmp_path / "fresh"
    assert _run("load", out / "graph.json", "--into", f"oxigraph:{fresh}", "-q") == 0

    def quads(folder: Path) -> list[str]:
        return sorted(str(q) for q in pyoxigraph.Store.read_only(str(folder)))

    assert quads(store) == quads(fresh)
    assert quads(store) != []


def test_no_changes_leaves_the_change_set_out(news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for _ in range(2):
        assert _run("build", news, "-o", out, "--update", "--no-changes", "-q", "--jobs", "1") == 1
    assert not (out / "changes").exists()


def test_an_archive_is_left_to_full_builds(
    news: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import tarfile

    with tarfile.open(news / "more.tar", "w") as archive:
        archive.add(sorted(news.rglob("*.md"))[0], arcname="one.md")
    assert _run("build", news, "-o", tmp_path / "out", "--update", "-q") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "build tar and zip packs without --update" in err
    assert not (tmp_path / "out").exists()


def test_an_update_without_formats_or_changes_patches_the_outputs(
    news: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, full = tmp_path / "out", tmp_path / "full"
    argv = ["--no-changes", "--jobs", "1"]
    assert _run("build", news, "-o", out, "--update", *argv) == 1
    first = json.loads((out / "update.json").read_text())
    assert first["patched"] is False and "no previous state" in first["not_patched"]
    _change(news)
    capsys.readouterr()
    assert _run("build", news, "-o", out, "--update", *argv) == 1
    assert _run("build", news, "-o", full, "--jobs", "1") == 1
    assert _differences(out, full) == []
    update = json.loads((out / "update.json").read_text())
    assert update["patched"] is True and update["not_patched"] is None
    assert update["files"]["added"] == ["news/added.md", "news/renamed.md"]
    assert (
        0
        < update["articles"]["decided"]
        < json.loads((full / "report.json").read_text())["articles"]["total"]
    )
    assert set(update["seconds"]) == {"scan", "read", "decide", "write"}
    assert "update: 2 added, 1 changed, 2 removed (1 renamed)" in capsys.readouterr().out


def test_formats_mean_the_full_update_and_say_why(news: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for argv in (["--no-changes"], ["-f", "nt", "--no-changes"], ["-f", "nt"]):
        assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1", *argv) == 1
        update = json.loads((out / "update.json").read_text())
        if argv == ["--no-changes"]:
            continue  # the first: no state yet
        assert update["patched"] is False
        assert update["not_patched"] == "-f formats are written from the whole graph"


def test_change_sets_are_made_from_the_patch(news: Path, tmp_path: Path) -> None:
    """The default --update patches and writes the change set a whole-graph diff writes;
    after a --no-changes patch (which keeps no basis for one) the next is a full update."""
    from newsgraph import build_graph
    from newsgraph.exporters.changes import write_change_sets
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    out = tmp_path / "out"
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    previous = read_nodelink(out / "graph.json")
    _change(news)
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    update = json.loads((out / "update.json").read_text())
    assert update["patched"] is True and update["not_patched"] is None
    write_change_sets(previous, build_graph([news], jobs=1)[0], tmp_path / "whole")
    assert _differences(out / "changes", tmp_path / "whole") == []
    (news / "added.md").write_text(
        "---\ntitle: Added again\nwebUrl: https://x.example/added\n---\n"
    )
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1", "--no-changes") == 1
    (news / "added.md").unlink()
    assert _run("build", news, "-o", out, "--update", "-q", "--jobs", "1") == 1
    update = json.loads((out / "update.json").read_text())
    assert update["patched"] is False
    assert update["not_patched"] == "the previous state keeps no basis for a change set"


def test_a_patch_whose_state_is_not_saved_means_a_full_rebuild_next(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patched state is committed after the outputs are in place; a run stopped before
    leaves the previous state, which the next update does not trust."""
    from newsgraph.graph.building.incremental import PatchState

    out, full = tmp_path / "out", tmp_path / "full"
    argv = ["--update", "--no-changes", "-q", "--jobs", "1"]
    assert _run("build", news, "-o", out, *argv) == 1
    _change(news)

    def stopped(
        self: PatchState, stamp: str, splice: bool = True, basis: str | None = None, stat: str = ""
    ) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(PatchState, "save", stopped)
    assert _run("build", news, "-o", out, *argv) not in (0, 1)  # "interrupted"
    monkeypatch.undo()
    assert _run("build", news, "-o", out, *argv) == 1
    reason = json.loads((out / "update.json").read_text())["full_rebuild"]
    assert "not the ones it describes" in reason
    assert _run("build", news, "-o", full, "-q", "--jobs", "1") == 1
    assert _differences(out, full) == []


def test_a_patch_killed_half_way_leaves_a_journal_and_means_a_full_rebuild(
    news: Path, tmp_path: Path
) -> None:
    """A journal beside the state: a patch stopped before it committed or rolled back. The
    state is not opened (SQLite would roll the journal into it); the next update rebuilds."""
    out, full = tmp_path / "out", tmp_path / "full"
    argv = ["--update", "--no-changes", "-q", "--jobs", "1"]
    assert _run("build", news, "-o", out, *argv) == 1
    (out / f"{STATE_FILE}-journal").write_bytes(b"\0" * 512)
    _change(news)
    assert _run("build", news, "-o", out, *argv) == 1
    update = json.loads((out / "update.json").read_text())
    assert "a run stopped while changing it" in update["full_rebuild"]
    assert not (out / f"{STATE_FILE}-journal").exists()
    assert _run("build", news, "-o", full, "-q", "--jobs", "1") == 1
    assert _differences(out, full) == []


@pytest.mark.parametrize("patched", [True, False], ids=["patch", "full"])
def test_graph_json_is_not_read_again_when_its_stat_is_the_one_kept(
    news: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, patched: bool
) -> None:
    """The next update takes the state's digest of graph.json as it is while the file's
    size, time and inode are the ones saved with it (as git's index trusts a stat)."""
    import time

    from newsgraph.graph.building import manifest

    out = tmp_path / "out"
    argv = ["--update", "-q", "--jobs", "1", *([] if patched else ["-f", "nt"])]
    monkeypatch.setattr(manifest, "STAT_MARGIN_NS", 0)  # the sample is written in no time
    assert _run("build", news, "-o", out, *argv) == 1
    time.sleep(0.05)  # a later edit gets a later file time
    _change(news)
    digested: list[str] = []
    digest = manifest.file_digest

    def counted(path: str | os.PathLike[str]) -> str:
        digested.append(Path(path).name)
        return digest(path)

    monkeypatch.setattr(manifest, "file_digest", counted)
    assert _run("build", news, "-o", out, *argv) == 1
    assert json.loads((out / "update.json").read_text())["full_rebuild"] is None
    assert json.loads((out / "update.json").read_text())["patched"] is patched
    assert "graph.json" not in digested
    time.sleep(0.05)
    graph = out / "graph.json"  # an edit of the same size, in place: the time tells
    text = graph.read_bytes()
    assert b'"kind": "topic"' in text
    graph.write_bytes(text.replace(b'"kind": "topic"', b'"kind": "topiC"', 1))
    assert _run("build", news, "-o", out, *argv) == 1
    assert "graph.json" in digested
    reason = json.loads((out / "update.json").read_text())["full_rebuild"]
    assert "not the ones it describes" in reason
