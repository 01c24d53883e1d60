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

Not supported: the other ``-f`` formats and change sets, which need the whole graph.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.adjacency import add_kind_edges, add_new_node
from newsgraph.graph.building.assemble import (
    DecidedCounts,
    build_report,
    new_graph,
    provider_edges,
    table_nodes,
)
from newsgraph.graph.building.descriptions import Book
from newsgraph.graph.building.identity import group_keys, with_files
from newsgraph.graph.building.keyed import (
    Agg,
    claims_of,
    contribute,
    pack_agg,
    pack_conflict,
    state_of,
    tables_of,
    unpack_agg,
    unpack_conflict,
)
from newsgraph.graph.building.manifest import (
    StateFile,
    UnusableState,
    _check,
    plain_load,
    record_rows,
    unpack_problems,
)
from newsgraph.graph.building.merge import ArticleState
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
from newsgraph.graph.model import EdgeKind, NodeKind, Problem, node_key
from newsgraph.graph.reading import ReadOptions
from newsgraph.graph.urls import identity_form

__all__ = ["CannotPatch", "Patch", "PatchState", "patch_graph"]

_ARTICLE = node_key(NodeKind.ARTICLE, "")
_HAS_IMAGE = str(EdgeKind.HAS_IMAGE)
_BATCH = 500


class CannotPatch(Exception):  # the caller runs the full update
    """The update cannot be a patch; the message says why."""


class PatchState:
    """The state, changed in an open transaction: :meth:`save` commits it."""

    def __init__(self, db: sqlite3.Connection, meta: dict[str, str]) -> None:
        self._db, self._meta = db, meta
        #: What the previous change set left for the next (None: none was kept).
        self.basis = meta.pop("basis", None)

    def save(self, stamp: str, splice: bool = True, basis: str | None = None) -> None:
        """Commit, stamped with the digest of the ``graph.json`` written with it; ``basis``
        is kept for the next change set (dropped when None)."""
        meta = {**self._meta, "stamp": stamp, "splice": str(int(splice))}
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
    stamp: str | None = None,
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
            patch = _Patcher(db, json.loads(meta["totals"])).run(plan.drop, rows, plan.touched)
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
    update = replace(update, articles_decided=patch.decided)
    G = new_graph(report.files_read)
    for key, attrs in patch.nodes:
        add_new_node(G, key, attrs)
    add_kind_edges(G, patch.edges)
    written = [key for key, _ in patch.nodes]
    return Patch(report, update, G, written, patch.replaced, PatchState(db, meta))


@dataclass
class _Side:
    """Identity of the closure's keys on one side of the change."""

    documented: dict[str, bool] = field(default_factory=dict)  # keys that exist
    target: dict[str, str] = field(default_factory=dict)  # merged keys -> their article


class _Patcher:
    def __init__(self, db: sqlite3.Connection, totals: dict[str, Any]) -> None:
        self.db, self.totals = db, totals
        self.book = Book()
        self.problems: list[Problem] = []
        self.nodes: list[tuple[str, dict[str, Any]]] = []
        self.edges: list[tuple[str, str, str]] = []
        self.replaced: set[str] = set()
        self.touched: set[str] = set()
        self.decided = 0
        self.delta = DecidedCounts()  # new minus old, for the articles re-decided
        self.minus = DecidedCounts()
        self.table_delta: Counter[str] = Counter()
        self.logo_delta = 0
        self.merge_delta = Counter[str]()
        #: article node -> (its attributes' repr, its edges), as decided before the change
        self.old_lines: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}

    # -- the steps ------------------------------------------------------------------------

    def run(self, drop: list[str], rows: list[Any], touched_files: dict[str, Any]) -> _Patcher:
        dropped = set(drop)
        new_rows: dict[str, list[Any]] = {}
        for row in rows:
            for key, _, data, _ in record_rows(row.name, row.record):
                new_rows.setdefault(key, []).append(plain_load(data))
        old_keys = self._query("SELECT DISTINCT key FROM rows WHERE name IN ({})", drop)
        self.touched = touched = {k for (k,) in old_keys} | set(new_rows)
        stored: dict[str, list[tuple[str, Any]]] = {k: [] for k in touched}
        for key, name, data in self._query(
            "SELECT key, name, data FROM rows WHERE key IN ({})", touched
        ):
            stored[key].append((name, plain_load(data)))
        old_states = {k: state_of(self.book, [r for _, r in v]) for k, v in stored.items() if v}
        new_states = {}
        for key in touched:
            kept = [r for name, r in stored[key] if name not in dropped] + new_rows.get(key, [])
            if kept:
                new_states[key] = state_of(self.book, kept)
        self._write_files(drop, rows, touched_files)
        closure = self._closure(touched)  # as the identities were
        old = self._side(closure)
        old_claims = self._claims(closure)
        self._write_identities(touched, new_states)
        added = self._closure(touched) - closure  # as they are: only untouched keys join
        closure |= added
        unchanged = self._side(added)
        old.documented.update(unchanged.documented)
        old.target.update(unchanged.target)
        states = {**new_states, **self._states(closure - touched)}
        new = self._decide_identities(closure, states, old_claims)
        changed = {
            k
            for k in closure
            if (k in old.documented, old.target.get(k)) != (k in new.documented, new.target.get(k))
        }
        referrers = self._query("SELECT key FROM refs WHERE target IN ({})", changed)
        more = self._closure({k for (k,) in referrers} - closure) - closure
        unchanged = self._side(more)
        for side in (old, new):
            side.documented.update(unchanged.documented)
            side.target.update(unchanged.target)
        states.update(self._states(more))
        before = {k: v for k, v in states.items() if k not in touched}
        before.update(old_states)
        self._tables(touched, old_states, new_states)
        self._articles(closure | more, old, before, self.minus, write=False)
        self._articles(closure | more, new, states, self.delta, write=True)
        self.db.executemany(
            "UPDATE ident SET target = ? WHERE key = ?",
            ((new.target.get(k), k) for k in closure if k in new.documented),
        )
        return self

    # -- files and rows ---------------------------------------------------------------------

    def _write_files(self, drop: list[str], rows: list[Any], touched: dict[str, Any]) -> None:
        db = self.db
        for statement in ("DELETE FROM files WHERE name = ?", "DELETE FROM rows WHERE name = ?"):
            db.executemany(statement, ((name,) for name in drop))
        db.executemany("DELETE FROM refs WHERE name = ?", ((name,) for name in drop))
        db.executemany(
            "UPDATE files SET size = ?, mtime_ns = ?, digest = ?, checked_ns = ? WHERE name = ?",
            ((*entry, name) for name, entry in touched.items()),
        )
        db.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((row.name, *row.entry, row.record, _check(row.record), *row.info) for row in rows),
        )
        for row in rows:
            cut = record_rows(row.name, row.record)
            db.executemany("INSERT INTO rows VALUES (?, ?, ?)", (c[:3] for c in cut))
            db.executemany(
                "INSERT INTO refs VALUES (?, ?, ?)",
                ((target, key, name) for key, name, _, related in cut for target in related),
            )
        for (packed,) in db.execute("SELECT problems FROM files WHERE problems IS NOT NULL"):
            self.problems.extend(unpack_problems(packed))
        self.records = db.execute(
            "SELECT coalesce(sum(failed), 0), coalesce(sum(primary_records), 0), "
            "coalesce(sum(related_records), 0) FROM files"
        ).fetchone()

    # -- identities --------------------------------------------------------------------------

    def _query(self, sql: str, keys: Iterable[str]) -> list[tuple[Any, ...]]:
        keys = list(keys)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            found += self.db.execute(sql.format(",".join("?" * len(batch))), batch).fetchall()
        return found

    def _claims(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """alias -> claimants, for the aliases the keys claim now (all claimants)."""
        aliases = {a for (a,) in self._query("SELECT alias FROM claims WHERE key IN ({})", keys)}
        claims: dict[str, set[str]] = {}
        for alias, key in self._query("SELECT alias, key FROM claims WHERE alias IN ({})", aliases):
            claims.setdefault(alias, set()).add(key)
        return claims

    def _closure(self, start: set[str]) -> set[str]:
        """Every key whose identity group can meet one of ``start``'s (as the tables are now):
        keys of one identity form, claimants of one alias, claimants of an alias whose form
        is a key's form -- followed until nothing new is reached."""
        seen, frontier = set(start), set(start)
        forms: set[str] = set()
        aliases: set[str] = set()
        while frontier:
            claimed = self._query("SELECT alias FROM claims WHERE key IN ({})", frontier)
            new_aliases = {a for (a,) in claimed} - aliases
            new_forms = {identity_form(k) for k in frontier} | {
                identity_form(a) for a in new_aliases
            }
            new_forms -= forms
            forms |= new_forms
            by_form = self._query("SELECT alias FROM claims WHERE form IN ({})", new_forms)
            new_aliases |= {a for (a,) in by_form} - aliases
            aliases |= new_aliases
            reached = {
                k for (k,) in self._query("SELECT key FROM ident WHERE form IN ({})", new_forms)
            }
            reached |= {
                k for (k,) in self._query("SELECT key FROM claims WHERE alias IN ({})", new_aliases)
            }
            frontier = reached - seen
            seen |= frontier
        return seen

    def _side(self, keys: set[str]) -> _Side:
        side = _Side()
        for key, documented, target in self._query(
            "SELECT key, documented, target FROM ident WHERE key IN ({})", keys
        ):
            side.documented[key] = bool(documented)
            if target is not None:
                side.target[key] = target
        return side

    def _write_identities(self, touched: set[str], states: dict[str, ArticleState]) -> None:
        db = self.db
        db.executemany("DELETE FROM ident WHERE key = ?", ((k,) for k in touched))
        db.executemany("DELETE FROM claims WHERE key = ?", ((k,) for k in touched))
        db.executemany(
            "INSERT INTO ident VALUES (?, ?, ?, NULL)",
            ((k, identity_form(k), int(not s.is_stub)) for k, s in states.items()),
        )
        db.executemany(
            "INSERT INTO claims VALUES (?, ?, ?)",
            ((a, identity_form(a), k) for k, s in states.items() for a in claims_of(s)),
        )

    def _states(self, keys: set[str]) -> dict[str, ArticleState]:
        found: dict[str, list[Any]] = {}
        for key, data in self._query("SELECT key, data FROM rows WHERE key IN ({})", keys):
            found.setdefault(key, []).append(plain_load(data))
        return {key: state_of(self.book, rows) for key, rows in found.items()}

    def _decide_identities(
        self, closure: set[str], states: dict[str, ArticleState], old_claims: dict[str, set[str]]
    ) -> _Side:
        keys = {k: not states[k].is_stub for k in closure if k in states}
        claims: dict[str, set[str]] = {}
        for key in keys:
            for alias in claims_of(states[key]):
                claims.setdefault(alias, set()).add(key)
        redirect, conflicts = group_keys(keys, claims)
        listed = [with_files(c, [states[k].sources for k in c.urls]) for c in conflicts]
        db = self.db
        db.executemany(
            "DELETE FROM conflicts WHERE alias = ?", ((a,) for a in set(claims) | set(old_claims))
        )
        db.executemany(
            "INSERT INTO conflicts VALUES (?, ?)", ((c.alias, pack_conflict(c)) for c in listed)
        )
        return _Side(keys, redirect)

    # -- tables and articles ----------------------------------------------------------------

    def _tables(
        self,
        touched: set[str],
        old_states: dict[str, ArticleState],
        new_states: dict[str, ArticleState],
    ) -> None:
        delta: dict[str, Agg] = {}
        for key in touched:
            if key in old_states:
                contribute(delta, old_states[key], -1)
            if key in new_states:
                contribute(delta, new_states[key], 1)
        old_aggs: dict[str, Agg] = {node: [0, Counter()] for node in delta}
        for node, data in self._query("SELECT node, data FROM agg WHERE node IN ({})", delta):
            old_aggs[node] = unpack_agg(plain_load(data))
        new_aggs: dict[str, Agg] = {}
        for node, (observed, items) in delta.items():
            agg = old_aggs[node]
            merged: Counter[Any] = Counter(agg[1])
            merged.update(items)
            new_aggs[node] = [agg[0] + observed, +merged]
        pieces = []
        for sign, aggs in ((-1, old_aggs), (1, new_aggs)):
            tables = tables_of(aggs)
            nodes = table_nodes(tables)
            logos = provider_edges(tables)
            for kind, found in nodes.items():
                self.table_delta[kind] += sign * len(found)
            self.logo_delta += sign * len(logos)
            by_node: dict[str, list[Any]] = {}
            for found in nodes.values():
                for node, attrs in found:
                    by_node[node] = [attrs, repr(attrs), []]
            for edge in logos:
                by_node[edge[0]][2].append(edge)
            pieces.append(by_node)
        old_pieces, new_pieces = pieces
        for node in sorted(delta):
            new_piece, old_piece = new_pieces.get(node), old_pieces.get(node)
            if new_piece is not None and old_piece is not None and new_piece[1:] == old_piece[1:]:
                continue  # the same lines: left in place
            self.replaced.add(node)
            if new_piece is not None:
                self.nodes.append((node, new_piece[0]))
                self.edges.extend(new_piece[2])
        db = self.db
        db.executemany("DELETE FROM agg WHERE node = ?", ((n,) for n in delta))
        db.executemany(
            "INSERT INTO agg VALUES (?, ?)",
            ((n, pack_agg(a)) for n, a in new_aggs.items() if a[0] > 0),
        )

    def _articles(
        self,
        keys: set[str],
        side: _Side,
        states: dict[str, ArticleState],
        counts: DecidedCounts,
        write: bool,
    ) -> None:
        groups: dict[str, list[str]] = {}
        for key in keys:
            if key in side.documented and key in states:
                groups.setdefault(side.target.get(key, key), []).append(key)
        related = {r for key in keys if key in states for r in states[key].related}
        outside = related - keys
        redirect = dict(side.target)
        redirect.update(
            self._query(
                "SELECT key, target FROM ident WHERE target IS NOT NULL AND key IN ({})", outside
            )
        )
        for best in sorted(groups):
            merged = ArticleState(self.book)
            for member in groups[best]:
                merged.merge(states[member])
            node, edges = counts.decided(best, merged, redirect)
            if not write:
                self.old_lines[node[0]] = (repr(node[1]), edges)
                continue
            self.decided += 1
            if self.old_lines.pop(node[0], None) == (repr(node[1]), edges):
                continue  # the same lines: left in place
            self.replaced.add(node[0])
            self.nodes.append(node)
            self.edges.extend(edges)
        if write:
            self.replaced.update(self.old_lines)  # nodes that are gone
        for key, target in side.target.items():
            if key in keys:
                variant = identity_form(key) == identity_form(target)
                self.merge_delta["variant_merges" if variant else "alias_merges"] += (
                    1 if write else -1
                )

    # -- the report -------------------------------------------------------------------------

    def report(self, files: int, refused: int, problems: list[Problem]) -> BuildReport:
        totals = self.totals
        new, old = self.delta, self.minus

        def moved(name: str, new_count: Counter[str], old_count: Counter[str]) -> Counter[str]:
            total = Counter(totals[name])
            total.update(new_count)
            total.subtract(old_count)
            return +total

        counts = DecidedCounts(
            articles=totals["articles"] + new.articles - old.articles,
            primaries=totals["primaries"] + new.primaries - old.primaries,
            self_links=totals["self_links"] + new.self_links - old.self_links,
            conflicts=moved("conflicts", new.conflicts, old.conflicts),
            related_conflicts=moved(
                "related_conflicts", new.related_conflicts, old.related_conflicts
            ),
        )
        nodes = Counter(totals["nodes"])
        nodes.update(new.nodes)
        nodes.subtract(old.nodes)
        nodes.update(self.table_delta)
        edges = Counter(totals["edges"])
        edges.update(new.edges)
        edges.subtract(old.edges)
        edges[_HAS_IMAGE] += self.logo_delta
        counts.nodes, counts.edges = +nodes, +edges
        conflicts = [
            unpack_conflict(plain_load(data))
            for (data,) in self.db.execute("SELECT data FROM conflicts ORDER BY alias")
        ]
        failed, primary, related = self.records
        records = Counter(primary_records=primary, related_records=related)
        report = build_report(
            counts, records, problems, {}, conflicts, files - failed, refused + failed
        )
        merges = Counter(
            {"alias_merges": totals["alias_merges"], "variant_merges": totals["variant_merges"]}
        )
        merges.update(self.merge_delta)
        return _with_merges(report, merges["alias_merges"], merges["variant_merges"])


def _with_merges(report: BuildReport, alias: int, variant: int) -> BuildReport:
    return replace(report, alias_merges=alias, url_variant_merges=variant)
