"""Patch a build: re-decide only what the changed files can change, from the keyed state.

:func:`patch_graph` is the fast path of ``newsgraph build --update``.  It reads the new and
changed files as :func:`~newsgraph.graph.building.update.update_graph` does, but instead of
merging every file's record and deciding every article it works from the keyed tables
(:mod:`~newsgraph.graph.building.keyed`):

1. the *touched* keys are those the removed, changed and new files describe; their
   state before and after is merged again from their rows;
2. the *identity closure* of the touched keys -- everything reachable by a shared identity
   form, a shared alias, or an alias that is another key's form, before or after the change
   -- is closed: the identity groups (:func:`~newsgraph.graph.building.identity.group_keys`)
   of its keys are the groups a full build makes of them;
3. articles that link to a key whose group changed (the ``refs`` table) are re-decided too,
   with their whole groups;
4. the table nodes (providers, topics, tags, images) the touched keys contribute to get the
   old contributions taken away and the new ones added;
5. every article node of those groups is decided twice, as it was and as it is, so the
   report's counts move by the difference.

The result is a :class:`Patch`: the report, the re-decided nodes with their edges (a small
graph) and the keys of every node whose ``graph.json`` lines are replaced; writing it over
the previous ``graph.json`` (:mod:`newsgraph.exporters.property_graph.splice`) gives the file
a full build writes.  The state is changed in one SQLite transaction, committed by
:meth:`PatchState.save`.  Whenever the patch cannot be trusted -- no keyed state, a previous
``graph.json`` that is not patchable, a node whose id is not its key -- :class:`CannotPatch`
says why and the caller runs the full update instead.

The steps are :class:`~newsgraph.graph.building.patcher.Patcher`'s; the identity closure is
:class:`~newsgraph.graph.building.closure.IdentityTables`.  The change set of a patch is made
from its nodes by :mod:`newsgraph.exporters.changes.patched`.

Not supported: the other ``-f`` formats, which are written from the whole graph.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.adjacency import add_kind_edges, add_new_node
from newsgraph.graph.building.assemble import new_graph
from newsgraph.graph.building.manifest import GraphStamp, StateFile, UnusableState
from newsgraph.graph.building.patcher import Patcher
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.building.update import (
    UpdateReport,
    _blocking,
    _Clock,
    _plan,
    _read,
    _report,
    _scan,
    report_totals,
)
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.reading import ReadOptions

__all__ = ["CannotPatch", "Patch", "PatchState", "patch_graph"]


class CannotPatch(Exception):  # the caller runs the full update
    """The update cannot be a patch; the message says why."""


class PatchState:
    """The state, changed in an open transaction: :meth:`save` commits it."""

    def __init__(self, db: sqlite3.Connection, meta: dict[str, str]) -> None:
        self._db, self._meta = db, meta
        #: What the previous change set left for the next (None: none was kept).
        self.basis = meta.pop("basis", None)

    def save(
        self, stamp: str, splice: bool = True, basis: str | None = None, stat: str = ""
    ) -> None:
        """Commit, stamped with the digest of the ``graph.json`` written with it and its
        :func:`~newsgraph.graph.building.manifest.stat_stamp` (``stat``); ``basis`` is kept
        for the next change set (dropped when None)."""
        meta = {**self._meta, "stamp": stamp, "stamp_stat": stat, "splice": str(int(splice))}
        if basis is not None:
            meta["basis"] = basis
        self._db.execute("DELETE FROM meta WHERE key = 'basis'")
        self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
        self._db.execute("COMMIT")
        self._db.close()

    def discard(self) -> None:
        """Leave the state as it was."""
        self._db.execute("ROLLBACK")
        self._db.close()


@dataclass
class Patch:
    """What :func:`patch_graph` returns.

    ``graph`` holds the graph's attributes, the nodes whose lines are written again (with
    their attributes) and their edges (the other ends bare); ``replaced`` the keys of every
    node whose lines (its own and its edges') go, whether it is still there or not.
    """

    report: BuildReport
    update: UpdateReport
    graph: nx.MultiDiGraph
    written: list[str]
    replaced: set[str]
    state: PatchState


#: Called with (files done, files in all) as reading goes on.
Progress = Callable[[int, int], None]


def patch_graph(
    inputs: Iterable[str | os.PathLike[str]],
    state: str | os.PathLike[str],
    *,
    jobs: int | None = None,
    strict: bool = False,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
    progress: Progress | None = None,
    stamp: str | GraphStamp | None = None,
) -> Patch:
    """The patch of the build at ``state`` for the files below ``inputs`` now.

    Raises :class:`CannotPatch` when the state cannot be patched (see the module).
    """
    clock = _Clock()
    try:
        previous = StateFile(state, options, stamp)
    except UnusableState as err:
        raise CannotPatch(str(err)) from err
    entries, meta = previous.entries, dict(previous.meta)
    path = previous.path
    previous.close()
    if meta.get("keyed") != "1" or meta.get("splice") != "1" or "totals" not in meta:
        raise CannotPatch("the previous outputs cannot be patched")
    stats: dict[str, os.stat_result] = {}
    files, refusals = _scan(inputs, options, stats)
    if strict and _blocking(refusals):
        raise StrictModeError(_blocking(refusals)[0])
    plan = _plan(files, entries, stats)
    clock.lap("scan")
    rows = list(_read(plan.read, options, max(1, jobs or os.cpu_count() or 1), progress))
    clock.lap("read")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB: lookups land all over big indexes
    db.execute("BEGIN IMMEDIATE")
    try:
        with cycle_collection_paused():
            patch = Patcher(db, json.loads(meta["totals"])).run(plan.drop, rows, plan.touched)
        problems = sorted([*patch.problems, *refusals])
        if strict and _blocking(problems):
            raise StrictModeError(_blocking(problems)[0])
        report = patch.report(len(files), len(refusals), problems)
        clock.lap("decide")
        meta["totals"] = json.dumps(report_totals(report), sort_keys=True)
        (count,) = db.execute("SELECT count(*) FROM files").fetchone()
        meta["files"] = str(count)
    except BaseException:
        db.execute("ROLLBACK")
        db.close()
        raise
    update = _report(None, entries, plan, rows, patch.touched, report, clock.seconds)
    update = replace(
        update, articles_decided=patch.decided, articles_nodes=tuple(sorted(patch.touched_nodes))
    )
    G = new_graph(report.files_read)
    for key, attrs in patch.nodes:
        add_new_node(G, key, attrs)
    add_kind_edges(G, patch.edges)
    written = [key for key, _ in patch.nodes]
    return Patch(report, update, G, written, patch.replaced, PatchState(db, meta))
