"""The steps of a patch (:func:`~newsgraph.graph.building.incremental.patch_graph`).

:class:`Patcher` works in the keyed state's open transaction: it merges the touched keys'
rows as they were and as they are, closes their identities
(:class:`~newsgraph.graph.building.closure.IdentityTables`), takes the touched articles'
contributions out of the provider, topic, tag and image nodes and puts the new ones in,
decides every article of the closure and its referrers twice -- as it was and as it is --
and keeps the nodes whose lines change.  :meth:`Patcher.report` moves the previous report's
numbers by the difference.

>>> import sqlite3
>>> from newsgraph.graph.building.keyed import KEYED_SCHEMA
>>> db = sqlite3.connect(":memory:"); db.executescript(KEYED_SCHEMA)  # doctest: +ELLIPSIS
<sqlite3.Cursor object at ...>
>>> Patcher(db, {}).replaced
set()
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from typing import Any

from newsgraph.graph.building.assemble import (
    DecidedCounts,
    build_report,
    provider_edges,
    table_nodes,
)
from newsgraph.graph.building.closure import IdentityTables, Side
from newsgraph.graph.building.keyed import (
    Agg,
    contribute,
    pack_agg,
    state_of,
    tables_of,
    unpack_agg,
    unpack_conflict,
)
from newsgraph.graph.building.manifest import (
    _check,
    plain_load,
    record_rows,
    unpack_problems,
)
from newsgraph.graph.building.merge import ArticleState
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.model import EdgeKind, Problem
from newsgraph.graph.urls import identity_form

__all__ = ["Patcher"]

_HAS_IMAGE = str(EdgeKind.HAS_IMAGE)


class Patcher(IdentityTables):
    def __init__(self, db: sqlite3.Connection, totals: dict[str, Any]) -> None:
        super().__init__(db)
        self.totals = totals
        self.problems: list[Problem] = []
        self.nodes: list[tuple[str, dict[str, Any]]] = []
        self.edges: list[tuple[str, str, str]] = []
        self.replaced: set[str] = set()
        self.touched: set[str] = set()
        self.decided = 0
        self.touched_nodes: list[str] = []  # article nodes holding a touched key, after
        self.delta = DecidedCounts()  # new minus old, for the articles re-decided
        self.minus = DecidedCounts()
        self.table_delta: Counter[str] = Counter()
        self.logo_delta = 0
        self.merge_delta = Counter[str]()
        #: article node -> (its attributes' repr, its edges), as decided before the change
        self.old_lines: dict[str, tuple[str, list[tuple[str, str, str]]]] = {}

    # -- the steps ------------------------------------------------------------------------

    def run(self, drop: list[str], rows: list[Any], touched_files: dict[str, Any]) -> Patcher:
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
        self._write_identities(touched, new_states, old)
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
        self.db.executemany(  # only the targets that move: a row rewritten costs index pages
            "UPDATE ident SET target = ? WHERE key = ?",
            (
                (new.target.get(k), k)
                for k in closure
                if k in new.documented and new.target.get(k) != old.target.get(k)
            ),
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
        side: Side,
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
            if not self.touched.isdisjoint(groups[best]):
                self.touched_nodes.append(node[0])
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
