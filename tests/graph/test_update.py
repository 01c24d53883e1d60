"""Incremental builds (``update_graph``): equal to a full build after any sequence of changes,
and a full rebuild, with its reason, whenever the state cannot be trusted."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import generate_corpus
from newsgraph import ReadOptions, build_graph, dumps
from newsgraph.exporters.changes import write_change_sets
from newsgraph.exporters.cli import main
from newsgraph.exporters.cli._common import dump_json
from newsgraph.exporters.property_graph.nodelink import read_nodelink
from newsgraph.graph.building.manifest import FORMAT_VERSION, _check
from newsgraph.graph.building.update import RACY_NS, STATE_FILE, Update, update_graph
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Problem

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "news"


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


class _Pool(dict[str, bytes]):
    """A dict whose repr is short: Hypothesis prints the test's arguments when it replays a
    failure, and a repr of every document would hide the failure behind a warning."""

    def __repr__(self) -> str:
        return f"<{len(self)} documents>"


@pytest.fixture(scope="module")
def pool() -> dict[str, bytes]:
    """Documents to add: the bundled samples and a small synthetic corpus, by file name."""
    documents = _Pool()
    documents |= {f"samples/{p.relative_to(SAMPLES)}": p.read_bytes() for p in _files(SAMPLES)}
    with tempfile.TemporaryDirectory() as folder:
        generate_corpus(folder, 40, seed=3, write_truth=False)
        for path in sorted(Path(folder, "news").rglob("*.md")):
            documents[f"synthetic/{path.name}"] = path.read_bytes()
    return documents


def _outputs(G: object, report: object) -> dict[str, bytes]:
    """What the comparison looks at: the graph in three formats and the report."""
    return {
        "json": dumps(G, "json"),  # type: ignore[arg-type]
        "nt": dumps(G, "nt"),  # type: ignore[arg-type]
        "graphml": dumps(G, "graphml"),  # type: ignore[arg-type]
        "report": dump_json(report.to_dict()),  # type: ignore[attr-defined]
    }


def _update_and_compare(root: Path, state: Path) -> Update:
    result = update_graph([root], state, jobs=1)
    result.state.save(state)
    full = build_graph([root], jobs=1)
    assert _outputs(result.graph, result.report) == _outputs(*full)
    return result


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


_STEP = st.tuples(
    st.sampled_from(["add", "add", "edit", "rename", "delete"]),
    st.integers(0, 10**6),
    st.sampled_from(["retitle", "copy", "cut", "same-size"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(0, 10**6), steps=st.lists(_STEP, min_size=1, max_size=5))
def test_any_sequence_of_updates_equals_a_full_build(
    pool: dict[str, bytes], start: int, steps: list[tuple[str, int, str]]
) -> None:
    names = sorted(pool)
    with tempfile.TemporaryDirectory() as folder:
        root, state = Path(folder) / "news", Path(folder) / STATE_FILE
        for name in names[start % 7 :: 5]:  # a first corpus of about a fifth of the pool
            _write(root / name, pool[name])
        first = _update_and_compare(root, state)
        assert first.update.full_rebuild is not None
        for action, pick, edit in steps:
            _apply(root, pool, action, pick, edit)
            result = _update_and_compare(root, state)
            assert result.update.full_rebuild is None


def _cli(*argv: str | Path) -> int:
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.integers(0, 10**6),
    steps=st.lists(st.tuples(_STEP, st.booleans()), min_size=1, max_size=5),
)
def test_any_sequence_of_patches_equals_a_full_build(
    pool: dict[str, bytes], start: int, steps: list[tuple[tuple[str, int, str], bool]]
) -> None:
    """``build --update`` patches graph.json and report.json (the fast path), and makes the
    change set from the patch: byte-identical to a full build and to a whole-graph diff after
    every step.  ``--no-changes`` steps keep no basis for a change set: the next update with
    one is a full update."""
    names = sorted(pool)
    with tempfile.TemporaryDirectory() as folder:
        root, out = Path(folder) / "news", Path(folder) / "out"
        for name in names[start % 7 :: 5]:
            _write(root / name, pool[name])
        _cli("build", root, "-o", out, "--update", "-q", "-j", "1")
        basis = True
        for (action, pick, edit), changes in steps:
            _apply(root, pool, action, pick, edit)
            update = _patch_and_compare(root, out, changes)
            assert update["full_rebuild"] is None
            assert update["patched"] == (basis or not changes), update["not_patched"]
            basis = changes


def _patch_and_compare(root: Path, out: Path, changes: bool) -> dict[str, Any]:
    """One ``build --update`` (``changes``: with its change set): its outputs equal a full
    build's, its change set the whole-graph diff's; returns update.json."""
    full, whole = out.with_name("full"), out.with_name("whole")
    previous = read_nodelink(out / "graph.json")
    shutil.rmtree(out / "changes", ignore_errors=True)
    argv = [] if changes else ["--no-changes"]
    _cli("build", root, "-o", out, "--update", "-q", "-j", "1", *argv)
    shutil.rmtree(full, ignore_errors=True)
    _cli("build", root, "-o", full, "-q", "-j", "1")
    for output in ("graph.json", "report.json"):
        assert (out / output).read_bytes() == (full / output).read_bytes(), output
    if changes:
        shutil.rmtree(whole, ignore_errors=True)
        write_change_sets(previous, build_graph([root], jobs=1)[0], whole)
        for member in sorted(p.name for p in whole.iterdir()):
            assert (out / "changes" / member).read_bytes() == (whole / member).read_bytes(), member
    update: dict[str, Any] = json.loads((out / "update.json").read_bytes())
    return update


#: Invented documents whose identities tangle: URL variants, AMP and original URLs shared,
#: claimed by a related link, a home page as an original URL, an alias that is a webUrl.
_TANGLED = {
    "a": "webUrl: https://n.example/a\nampWebUrl: https://n.example/amp/a\ntopics: [Tide]",
    "a2": "webUrl: https://www.n.example/a/\nquality: 3\ntopics: [tide, Moon]",
    "b": "webUrl: https://n.example/b\nampWebUrl: https://n.example/amp/a\ntags: [x]",
    "c": "webUrl: https://n.example/c\nrelated:\n  - webUrl: https://n.example/amp/a\n    title: R",
    "amp": "webUrl: https://n.example/amp/a\nprovider: {name: N, domain: n.example}",
    "d": "webUrl: https://n.example/d\noriginalUrl: https://n.example/",
    "e": "webUrl: https://n.example/e\noriginalUrl: https://n.example/\ntopics: [Moon]",
    "f": "webUrl: https://n.example/f\nrelated:\n  - webUrl: https://n.example/b\n"
    "  - webUrl: https://www.n.example/c",
    "g": "webUrl: https://n.example/g\nampWebUrl: https://n.example/amp/g\n"
    "related:\n  - webUrl: https://n.example/amp/a",
    "h": "webUrl: https://n.example/h\nampWebUrl: https://n.example/amp/g\n"
    "originalUrl: https://n.example/a",
    "i": "webUrl: https://n.example/i\nrelated:\n  - webUrl: https://n.example/h\n"
    "    ampWebUrl: https://n.example/amp/i\n    title: H",
    "j": "webUrl: https://n.example/amp/i\nrelated:\n  - webUrl: https://n.example/g/",
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.sets(st.sampled_from(sorted(_TANGLED))),
    steps=st.lists(st.tuples(st.sampled_from(sorted(_TANGLED)), st.booleans()), max_size=6),
)
def test_patches_follow_identities_that_merge_and_split(
    first: set[str], steps: list[tuple[str, bool]]
) -> None:
    """Adding, removing and retitling documents whose identities tangle: every patch is
    byte-identical to a full build, and its change set to a whole-graph diff."""
    with tempfile.TemporaryDirectory() as folder:
        root, out = Path(folder) / "news", Path(folder) / "out"
        root.mkdir()

        def put(name: str, title: str) -> None:
            (root / f"{name}.md").write_text(f"---\ntitle: {title}\n{_TANGLED[name]}\n---\n")

        for name in first:
            put(name, name.upper())
        _cli("build", root, "-o", out, "--update", "-q", "-j", "1")
        for number, (name, retitle) in enumerate(steps):
            path = root / f"{name}.md"
            if path.exists() and not retitle:
                path.unlink()
            else:
                put(name, f"{name.upper()} {number}")
            update = _patch_and_compare(root, out, changes=True)
            assert update["patched"], update["not_patched"]


def _apply(root: Path, pool: dict[str, bytes], action: str, pick: int, edit: str) -> None:
    """One step of a sequence: add a document of the pool, delete, rename or edit one."""
    names = sorted(pool)
    present = _files(root)
    absent = [n for n in names if not (root / n).exists()]
    if action == "add" or not present:
        if absent:
            name = absent[pick % len(absent)]
            _write(root / name, pool[name])
    elif action == "delete":
        present[pick % len(present)].unlink()
    elif action == "rename":
        path = present[pick % len(present)]
        target = root / "moved" / f"{pick}-{path.name}"
        target.parent.mkdir(exist_ok=True)
        path.rename(target)
    else:
        _edit(present[pick % len(present)], edit, pool[names[pick % len(names)]])


def _edit(path: Path, how: str, other: bytes) -> None:
    data = path.read_bytes()
    if how == "retitle":
        data = data.replace(b"title: ", b"title: Changed ", 1) + b"\n"
    elif how == "copy":  # another document's content: a duplicate of it
        data = other
    elif how == "cut":  # a truncated file: a broken document
        data = data[: len(data) // 2]
    else:  # one byte changed, same size, the modification time put back
        info = path.stat()
        index = data.find(b"title: ")
        data = data[: index + 7] + b"X" + data[index + 8 :] if index >= 0 else data[:-1] + b"~"
        path.write_bytes(data)
        # Put back only while the time is within RACY_NS of now, so within RACY_NS of when
        # the update last looked at the file: then it cannot trust size and time and hashes
        # the file again. Later, such an edit is not seen, by design (as git's and make's are
        # not); on a loaded machine the steps take long enough for that, and the time moves.
        if time.time_ns() - info.st_mtime_ns < RACY_NS:
            os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
        return
    path.write_bytes(data)


# -- what an update reports -------------------------------------------------------------------------


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "news"
    shutil.copytree(SAMPLES, root)
    return root


def test_an_update_reads_only_new_and_changed_files_and_says_what_changed(
    corpus: Path, tmp_path: Path
) -> None:
    state = tmp_path / STATE_FILE
    _update_and_compare(corpus, state)
    files = _files(corpus)
    files[0].unlink()
    files[1].rename(corpus / "renamed.md")
    files[2].write_bytes(files[2].read_bytes().replace(b"title: ", b"title: New ", 1))
    (corpus / "added.md").write_text("---\ntitle: Added\nwebUrl: https://x.example/added\n---\n")
    update = _update_and_compare(corpus, state).update
    assert update.full_rebuild is None
    assert update.files_added == ("news/added.md", "news/renamed.md")
    assert update.files_changed == (f"news/{files[2].name}",)
    assert update.files_removed == (f"news/{files[0].name}", f"news/{files[1].name}")
    assert update.files_renamed == ((f"news/{files[1].name}", "news/renamed.md"),)
    assert update.files_read == 3
    assert update.files_unchanged == len(files) - 3
    assert update.articles_touched >= 4
    assert set(update.seconds) == {"scan", "load", "read", "assemble"}
    assert "full_rebuild" in update.to_dict() and "1 changed" in update.summary()


def test_a_touched_file_with_the_same_content_is_not_read_again(
    corpus: Path, tmp_path: Path
) -> None:
    state = tmp_path / STATE_FILE
    _update_and_compare(corpus, state)
    path = _files(corpus)[3]
    path.write_bytes(path.read_bytes())  # a new modification time
    update = _update_and_compare(corpus, state).update
    assert (update.files_read, update.files_rechecked) == (0, 1)


def test_an_old_file_with_its_size_and_time_is_trusted_without_hashing(
    corpus: Path, tmp_path: Path
) -> None:
    for path in _files(corpus):  # modified long before the state is written
        os.utime(path, (1_000_000_000, 1_000_000_000))
    state = tmp_path / STATE_FILE
    _update_and_compare(corpus, state)
    update = update_graph([corpus], state, jobs=1).update
    assert (update.files_read, update.files_rechecked) == (0, 0)
    assert update.files_unchanged == len(_files(corpus))


# -- a state that cannot be trusted means a full rebuild, with the reason -------------------------


def _first_state(corpus: Path, tmp_path: Path) -> Path:
    state = tmp_path / STATE_FILE
    update_graph([corpus], state, jobs=1).state.save(state, stamp="outputs-1")
    return state


def _set(state: Path, sql: str, *values: object) -> None:
    db = sqlite3.connect(state)
    db.execute(sql, values)
    db.commit()
    db.close()


def _record(state: Path) -> bytes:
    db = sqlite3.connect(state)
    (record,) = db.execute("SELECT record FROM files LIMIT 1").fetchone()
    db.close()
    return bytes(record)


def _damage(state: Path, how: str) -> None:
    if how == "truncated":
        data = state.read_bytes()
        state.write_bytes(data[: len(data) // 2])
    elif how == "garbage":
        state.write_bytes(b"not a database at all\n" * 100)
    elif how == "empty":
        state.write_bytes(b"")
    elif how == "record":  # a changed record, its digest left as it was
        record = bytearray(_record(state))
        record[len(record) // 2] ^= 0xFF
        _set(state, "UPDATE files SET record = ? WHERE rowid = 1", bytes(record))
    elif how == "row":  # a file's row gone: the manifest no longer matches its count
        _set(state, "DELETE FROM files WHERE rowid = 1")
    elif how == "version":
        _set(state, "UPDATE meta SET value = '0.0.1' WHERE key = 'newsgraph_version'")
    elif how == "readers":
        _set(state, "UPDATE meta SET value = '{}' WHERE key = 'readers'")
    elif how == "format":
        _set(state, "UPDATE meta SET value = ? WHERE key = 'format'", str(FORMAT_VERSION + 1))


_REASONS = {
    "truncated": "damaged",
    "garbage": "damaged",
    "empty": "damaged",
    "record": "damaged (the record of",
    "row": "damaged (its manifest is incomplete)",
    "version": "written by newsgraph 0.0.1",
    "readers": "the libraries that read files differ",
    "format": f"this newsgraph reads format {FORMAT_VERSION}",
}


@pytest.mark.parametrize("how", sorted(_REASONS))
def test_a_damaged_or_foreign_state_means_a_full_rebuild(
    corpus: Path, tmp_path: Path, how: str
) -> None:
    state = _first_state(corpus, tmp_path)
    _damage(state, how)
    (corpus / "added.md").write_text("---\ntitle: Added\nwebUrl: https://x.example/added\n---\n")
    result = update_graph([corpus], state, jobs=1)
    assert result.update.full_rebuild is not None
    assert _REASONS[how] in result.update.full_rebuild
    assert result.update.files_read == len(_files(corpus))
    assert _outputs(result.graph, result.report) == _outputs(*build_graph([corpus], jobs=1))
    result.state.save(state)  # and the next update starts from a good state again
    assert update_graph([corpus], state, jobs=1).update.full_rebuild is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (Problem("x", None, None, "code", "message"), "may not name newsgraph.graph.model.Problem"),
        ((1, 2), "damaged (a record: ValueError"),
        ((False, [], [("k", [(5, (1, "", 0.0), 1)], [], [], [])], [], {}), "IndexError"),
    ],
)
def test_a_record_of_a_class_or_of_the_wrong_shape_is_refused(
    corpus: Path, tmp_path: Path, value: object, reason: str
) -> None:
    state = _first_state(corpus, tmp_path)
    hostile = zlib.compress(pickle.dumps(value))
    _set(state, "UPDATE files SET record = ?, record_check = ?", hostile, _check(hostile))
    result = update_graph([corpus], state, jobs=1)
    assert reason in (result.update.full_rebuild or "")
    assert _outputs(result.graph, result.report) == _outputs(*build_graph([corpus], jobs=1))


@pytest.mark.parametrize(
    ("options", "stamp", "reason"),
    [
        (ReadOptions(max_field_chars=100), "outputs-1", "reading limits differ"),
        (ReadOptions(), "outputs-2", "not the ones it describes"),
    ],
)
def test_other_limits_or_other_outputs_mean_a_full_rebuild(
    corpus: Path, tmp_path: Path, options: ReadOptions, stamp: str, reason: str
) -> None:
    state = _first_state(corpus, tmp_path)
    result = update_graph([corpus], state, jobs=1, options=options, stamp=stamp)
    assert reason in (result.update.full_rebuild or "")
    assert _outputs(result.graph, result.report) == _outputs(
        *build_graph([corpus], jobs=1, options=options)
    )


def test_no_state_path_is_a_full_rebuild_and_workers_give_the_same_graph(
    corpus: Path, tmp_path: Path
) -> None:
    alone = update_graph([corpus], None, jobs=1)
    assert alone.update.full_rebuild == "no state was given"
    in_workers = update_graph([corpus], None, jobs=2)
    assert _outputs(alone.graph, alone.report) == _outputs(in_workers.graph, in_workers.report)


def test_two_inputs_with_one_name_are_told_apart(tmp_path: Path) -> None:
    """Two roots called ``news`` give every file's portable name twice: both are kept."""
    roots = [tmp_path / "a" / "news", tmp_path / "b" / "news"]
    for root in roots:
        shutil.copytree(SAMPLES, root)
    state = tmp_path / STATE_FILE

    def update_and_compare() -> Update:
        result = update_graph(roots, state, jobs=1)
        result.state.save(state)
        assert _outputs(result.graph, result.report) == _outputs(*build_graph(roots, jobs=1))
        return result

    update_and_compare()
    path = _files(roots[1])[5]
    path.write_bytes(path.read_bytes().replace(b"title: ", b"title: Second ", 1))
    update = update_and_compare().update
    assert update.full_rebuild is None and update.files_read == 1
    assert update.files_changed == (f"news/{path.relative_to(roots[1])}",)


def test_strict_stops_at_a_problem_of_a_file_not_read_again(corpus: Path, tmp_path: Path) -> None:
    state = _first_state(corpus, tmp_path)  # the samples hold files that cannot be read
    with pytest.raises(StrictModeError):
        update_graph([corpus], state, jobs=1, strict=True, stamp="outputs-1")
    with pytest.raises(StrictModeError):
        build_graph([corpus], jobs=1, strict=True)
