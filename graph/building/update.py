"""Incremental builds: read only new and changed files, give the graph a full rebuild gives.

:func:`update_graph` compares the files below the inputs with the manifest of a previous
state (:mod:`~newsgraph.graph.building.manifest`): a file whose size and modification time
are unchanged is taken as unchanged (unless its modification time is within
:data:`RACY_NS` of when its digest was taken: then its content is hashed again), a file
whose size or time changed is hashed and re-read only when its content changed.  New and
changed files are read (in worker processes when there are many); deleted ones are left
out; every other file's articles come from its stored record, without parsing it again.
The records are merged into one :class:`~newsgraph.graph.building.merge.Partial` exactly as
a full build merges its chunks (the merge is commutative), and
:func:`~newsgraph.graph.building.assemble.assemble` decides identities and builds the graph,
so the graph and its report are the ones a full build of the same files gives.

A missing, damaged or foreign state (another newsgraph version or state format, other
reading limits, another stamp) makes the update a full rebuild, and
:attr:`UpdateReport.full_rebuild` says why.  The new state is saved only when the caller
asks (:meth:`PendingState.save`), so it can be put in place together with the outputs.

Not supported yet: re-deciding only the articles the changed files touch; every article
is decided again (:attr:`UpdateReport.articles_touched` counts the ones that could change).

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp()) / "news"; root.mkdir()
>>> _ = (root / "a.md").write_text("---\\ntitle: A\\nwebUrl: https://x.example/a\\n---\\n")
>>> first = update_graph([root], root.parent / STATE_FILE)
>>> first.update.full_rebuild
'there is no previous state (build-state.sqlite)'
>>> first.state.save(root.parent / STATE_FILE)
>>> _ = (root / "b.md").write_text("---\\ntitle: B\\nwebUrl: https://x.example/b\\n---\\n")
>>> second = update_graph([root], root.parent / STATE_FILE)
>>> second.update.files_added, second.update.files_unchanged, second.graph.number_of_nodes()
(('news/b.md',), 1, 2)
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.assemble import assemble
from newsgraph.graph.building.keyed import KeyedSnapshot
from newsgraph.graph.building.manifest import (
    Entry,
    FileRow,
    GraphStamp,
    StateFile,
    UnusableState,
    file_digest,
    file_info,
    pack_record,
    record_keys,
    record_rows,
    save_state,
    unpack_into,
)
from newsgraph.graph.building.merge import Partial
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.errors import NewsgraphError, StrictModeError
from newsgraph.graph.model import Article, NodeKind, Problem, Severity, node_key
from newsgraph.graph.reading import ReadOptions, read_file, read_part
from newsgraph.graph.reading.files import iter_named_paths, pack_kind
from newsgraph.graph.reading.packs import pack_parts

__all__ = [
    "RACY_NS",
    "STATE_FILE",
    "PendingState",
    "Update",
    "UpdateReport",
    "report_totals",
    "update_graph",
]

#: The state's file name in a build's output folder.
STATE_FILE = "build-state.sqlite"

#: A file modified less than this before its digest was taken is hashed again on the next
#: update: a change within one tick of the file system's clock keeps the modification time.
RACY_NS = 2_000_000_000

#: Called with (files done, files in all) as reading goes on.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class UpdateReport:
    """What an update found and did (``update.json`` beside ``report.json``).

    After a full rebuild only ``full_rebuild`` (why), ``files_read`` and the times are
    filled in.  ``files_renamed`` pairs a removed file with an added one of the same content (both are
    also listed as removed and added: the articles' sources change).  ``articles_touched``
    counts the article keys that the added, changed and removed files describe (before
    identities are merged); ``articles_decided`` how many articles were decided (all of
    them: only the touched ones can change).  ``articles_nodes`` names the article nodes the
    touched keys are in now (what the update brought in, for analysis: churn's "joined"
    communities), None after a full rebuild.  ``graph`` is the digest of the ``graph.json``
    written with it (set by the writer).  ``seconds`` are wall-clock times by step.
    """

    full_rebuild: str | None = None
    files_added: tuple[str, ...] = ()
    files_changed: tuple[str, ...] = ()
    files_removed: tuple[str, ...] = ()
    files_renamed: tuple[tuple[str, str], ...] = ()
    files_unchanged: int = 0
    files_rechecked: int = 0
    files_read: int = 0
    articles_touched: int = 0
    articles_decided: int = 0
    articles_nodes: tuple[str, ...] | None = None
    graph: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    #: None when the outputs were patched; else why every article was decided again
    not_patched: str | None = "the update was not asked to patch"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "full_rebuild": self.full_rebuild,
            "files": {
                "added": list(self.files_added),
                "changed": list(self.files_changed),
                "removed": list(self.files_removed),
                "renamed": [{"from": old, "to": new} for old, new in self.files_renamed],
                "unchanged": self.files_unchanged,
                "rechecked": self.files_rechecked,
                "read": self.files_read,
            },
            "articles": {
                "touched": self.articles_touched,
                "decided": self.articles_decided,
                "nodes": None if self.articles_nodes is None else list(self.articles_nodes),
            },
            "graph": self.graph,
            "patched": self.not_patched is None,
            "not_patched": self.not_patched,
            "seconds": {step: round(s, 3) for step, s in self.seconds.items()},
        }

    def summary(self) -> str:
        """One line for people."""
        if self.full_rebuild is not None:
            head = f"full rebuild because {self.full_rebuild}"
        else:
            head = (
                f"update: {len(self.files_added)} added, {len(self.files_changed)} changed, "
                f"{len(self.files_removed)} removed ({len(self.files_renamed)} renamed), "
                f"{self.files_unchanged} unchanged; {self.articles_touched} articles touched"
            )
        steps = ", ".join(f"{step} {s:.2f} s" for step, s in self.seconds.items())
        return f"{head}; {steps}" if steps else head


class PendingState:
    """The state of this build, to save with its outputs (see :meth:`save`)."""

    def __init__(
        self,
        base: Path | None,
        drop: list[str],
        rows: list[FileRow],
        touched: dict[str, Entry],
        options: ReadOptions,
        keyed: KeyedSnapshot | None = None,
    ) -> None:
        self._base, self._drop, self._rows, self._touched = base, drop, rows, touched
        self._options, self._keyed = options, keyed

    def save(
        self,
        path: str | os.PathLike[str],
        stamp: str = "",
        splice: bool = False,
        basis: str | None = None,
        stamp_stat: str = "",
    ) -> None:
        """Write the state to ``path`` (atomically); ``stamp`` is what the next update must give.

        ``splice``: the outputs saved with it let the next update patch ``graph.json``
        (no problems were found writing it, and every node's id is its key).  ``basis``:
        what the next change set starts from (kept as it is; see ``save_state``).
        """
        save_state(
            path,
            base=self._base,
            drop=self._drop,
            rows=self._rows,
            touched=self._touched,
            options=self._options,
            stamp=stamp,
            stamp_stat=stamp_stat,
            keyed=self._keyed,
            splice=splice,
            basis=basis,
        )


class Update(NamedTuple):
    """What :func:`update_graph` returns."""

    graph: nx.MultiDiGraph
    report: BuildReport
    update: UpdateReport
    state: PendingState


class _Clock:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, step: str) -> None:
        now = time.perf_counter()
        self.seconds[step] = self.seconds.get(step, 0.0) + now - self._last
        self._last = now


#: A file to read: its path here, its portable name, its name in the manifest.
_File = tuple[str, str, str]


class _Plan(NamedTuple):
    keep: list[str]  # manifest names whose records are used as they are
    touched: dict[str, Entry]  # kept files whose manifest entry changes
    read: list[_File]  # new and changed files
    drop: list[str]  # manifest names whose records go: changed and removed files


def _scan(
    inputs: Iterable[str | os.PathLike[str]],
    options: ReadOptions,
    stats: dict[str, os.stat_result] | None = None,
) -> tuple[list[_File], list[Problem]]:
    files: list[_File] = []
    refusals: list[Problem] = []
    seen: dict[str, int] = {}
    for path, name, refusal in iter_named_paths(
        inputs, max_file_bytes=options.max_file_bytes, stats=stats
    ):
        if refusal is not None:
            refusals.append(refusal)
            continue
        if pack_kind(name) not in (None, "jsonl"):
            # a member of an archive is a file of its own in a build; the state keeps a row a
            # file on disk, so archives are left to full builds for now
            raise NewsgraphError(
                f"{name}: --update reads folders and JSON Lines files; build tar and zip packs "
                "without --update"
            )
        # two inputs with one root name give one portable name twice: number the repeats
        repeat = seen[name] = seen.get(name, 0) + 1
        files.append((path, name, name if repeat == 1 else f"{name}\x00{repeat}"))
    return files, refusals


def _plan(
    files: list[_File],
    entries: dict[str, Entry],
    stats: dict[str, os.stat_result] | None = None,
) -> _Plan:
    """What to keep, read and drop; ``stats``: the files' ``os.stat`` taken by the scan."""
    plan = _Plan([], {}, [], [])
    stats = stats or {}
    for file in files:
        path, _, key = file
        old = entries.get(key)
        try:
            info = stats.get(path) or os.stat(path)
        except OSError:
            old = None  # gone since the walk: reading it reports why
        if old is None or info.st_size != old.size:
            plan.read.append(file)
        elif info.st_mtime_ns == old.mtime_ns and info.st_mtime_ns < old.checked_ns - RACY_NS:
            plan.keep.append(key)
            continue
        else:  # touched, or modified too close to its last check to trust the time: hash it
            checked = time.time_ns()
            if file_digest(path) == old.digest:
                plan.keep.append(key)
                plan.touched[key] = Entry(info.st_size, info.st_mtime_ns, old.digest, checked)
                continue
            plan.read.append(file)
        if old is not None:
            plan.drop.append(key)
    current = {key for _, _, key in files}
    plan.drop.extend(sorted(set(entries) - current))
    return plan


def _read_files(files: Sequence[_File], options: ReadOptions) -> list[FileRow]:
    """Read files into manifest rows (in a worker process, or here)."""
    rows = []
    for path, name, key in files:
        checked = time.time_ns()
        try:
            info = os.stat(path)
            entry = Entry(info.st_size, info.st_mtime_ns, file_digest(path), checked)
        except OSError:
            entry = Entry(-1, -1, "", checked)  # never matches: read again next time
        articles, problems, failed = _read_one(path, name, options)
        rows.append(
            FileRow(
                key,
                entry,
                pack_record(articles, problems, failed),
                file_info(articles, problems, failed),
            )
        )
    return rows


def _read_one(
    path: str, name: str, options: ReadOptions
) -> tuple[list[Article], list[Problem], bool]:
    """A file's articles and problems, read as a build reads it; and whether it failed."""
    if pack_kind(name) is None:
        articles, problems = read_file(path, options, name)
        return articles, problems, _failed(articles, problems)
    # JSON Lines: read part by part as a build reads them; a build judges the file's failure
    # on its first part (the one that counts the file)
    articles, problems, failed = [], [], False
    try:
        parts = pack_parts(path, name)
    except OSError as err:
        return [], [Problem(name, None, None, "unreadable", err.strerror or str(err))], True
    for part in parts:
        for found, found_problems, counted in read_part(part, options):
            failed = failed or bool(counted and _failed(found, found_problems))
            articles.extend(found)
            problems.extend(found_problems)
    return articles, problems, failed


def _failed(articles: list[Article], problems: list[Problem]) -> bool:
    return not articles and any(p.severity is Severity.ERROR for p in problems)


def _read(
    files: list[_File], options: ReadOptions, jobs: int, progress: Progress | None
) -> Iterator[FileRow]:
    size = max(1, min(512, len(files) // (jobs * 8)))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    done = 0
    if jobs == 1 or len(chunks) <= 1:
        results: Iterator[list[FileRow]] = (_read_files(chunk, options) for chunk in chunks)
        executor = None
    else:
        methods = (
            multiprocessing.get_all_start_methods()
        )  # fork where there is one: see build_graph
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        results = executor.map(_read_files, chunks, [options] * len(chunks))
    try:
        for rows in results:
            yield from rows
            done += len(rows)
            if progress is not None:
                progress(done, len(files))
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)


def _blocking(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(p for p in problems if p.severity is not Severity.INFO)


def update_graph(
    inputs: Iterable[str | os.PathLike[str]],
    state: str | os.PathLike[str] | None,
    *,
    jobs: int | None = None,
    strict: bool = False,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
    progress: Progress | None = None,
    stamp: str | GraphStamp | None = None,
) -> Update:
    """Build the graph of ``inputs``, reading only what changed since the state at ``state``.

    Arguments are those of :func:`~newsgraph.graph.building.build_graph`; ``stamp``, when
    given, must be the one the previous state was saved with, else the update is a full
    rebuild.  Nothing is written: save ``result.state`` where the next update will find it.
    """
    with cycle_collection_paused():
        return _update(
            list(inputs),
            state,
            max(1, jobs or os.cpu_count() or 1),
            strict,
            options,
            progress,
            stamp,
        )


def _update(
    inputs: list[str | os.PathLike[str]],
    state: str | os.PathLike[str] | None,
    jobs: int,
    strict: bool,
    options: ReadOptions,
    progress: Progress | None,
    stamp: str | GraphStamp | None,
) -> Update:
    clock = _Clock()
    stats: dict[str, os.stat_result] = {}
    files, refusals = _scan(inputs, options, stats)
    if strict and _blocking(refusals):
        raise StrictModeError(_blocking(refusals)[0])
    reason: str | None = "no state was given"
    previous: StateFile | None = None
    if state is not None:
        try:
            previous, reason = StateFile(state, options, stamp), None
        except UnusableState as err:
            reason = str(err)
    entries = previous.entries if previous is not None else {}
    plan = _plan(files, entries, stats)
    clock.lap("scan")
    total = Partial()
    unreadable = 0
    touched_keys: set[str] = set()
    keyed = KeyedSnapshot([])
    if previous is not None:
        keep = set(plan.keep)
        try:
            for name, record in previous.records([*plan.keep, *plan.drop]):
                if name in keep:
                    unreadable += unpack_into(total, record)
                    keyed.rows.extend(record_rows(name, record))
                else:
                    touched_keys |= record_keys(record)
        except UnusableState as err:
            reason, entries = str(err), {}
            plan, total, unreadable, touched_keys = _plan(files, {}), Partial(), 0, set()
            keyed = KeyedSnapshot([])
        finally:
            previous.close()
    clock.lap("load")
    total.problems.extend(refusals)
    rows = []
    for row in _read(plan.read, options, jobs, progress):
        unreadable += unpack_into(total, row.record)
        touched_keys |= record_keys(row.record)
        keyed.rows.extend(record_rows(row.name, row.record))
        rows.append(row)
    if strict and _blocking(total.problems):
        raise StrictModeError(_blocking(total.problems)[0])
    clock.lap("read")
    keyed.take(total)
    G, report = assemble(
        total,
        files_read=len(files) - unreadable,
        files_failed=len(refusals) + unreadable,
        redirect_out=keyed.redirect,
    )
    keyed.conflicts = list(report.alias_conflict_list)
    keyed.totals = report_totals(report)
    clock.lap("assemble")
    update = _report(reason, entries, plan, rows, touched_keys, report, clock.seconds)
    if reason is None:
        redirect = keyed.redirect
        nodes = {node_key(NodeKind.ARTICLE, redirect.get(k, k)) for k in touched_keys}
        update = replace(update, articles_nodes=tuple(sorted(n for n in nodes if n in G)))
    base = previous.path if previous is not None and reason is None else None
    return Update(
        G, report, update, PendingState(base, plan.drop, rows, plan.touched, options, keyed)
    )


def report_totals(report: BuildReport) -> dict[str, Any]:
    """The numbers of a report that an update adds to and takes from, as the state keeps them."""
    return {
        "articles": report.articles,
        "primaries": report.primary_articles,
        "self_links": report.self_links_dropped,
        "conflicts": report.conflicts,
        "related_conflicts": report.related_conflicts,
        "nodes": report.nodes_by_kind,
        "edges": report.edges_by_kind,
        "alias_merges": report.alias_merges,
        "variant_merges": report.url_variant_merges,
    }


def _report(
    reason: str | None,
    entries: dict[str, Entry],
    plan: _Plan,
    rows: list[FileRow],
    touched_keys: set[str],
    report: BuildReport,
    seconds: dict[str, float],
) -> UpdateReport:
    def shown(key: str) -> str:
        return key.split("\x00")[0]

    if reason is not None:
        return UpdateReport(
            full_rebuild=reason,
            files_read=len(rows),
            articles_touched=report.articles,
            articles_decided=report.articles,
            seconds=dict(seconds),
        )
    read = {row.name for row in rows}
    added = [row for row in rows if row.name not in entries]
    removed = [key for key in plan.drop if key not in read]
    by_digest: dict[str, str] = {}
    for key in removed:
        by_digest.setdefault(entries[key].digest, key)
    renamed = [
        (shown(by_digest[row.entry.digest]), shown(row.name))
        for row in added
        if row.entry.digest in by_digest
    ]
    return UpdateReport(
        files_added=tuple(shown(row.name) for row in added),
        files_changed=tuple(shown(row.name) for row in rows if row.name in entries),
        files_removed=tuple(map(shown, removed)),
        files_renamed=tuple(renamed),
        files_unchanged=len(plan.keep),
        files_rechecked=len(plan.touched),
        files_read=len(rows),
        articles_touched=len(touched_keys),
        articles_decided=report.articles,
        seconds=dict(seconds),
    )
