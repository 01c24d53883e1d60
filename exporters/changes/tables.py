"""Change sets for property-graph stores: nodes and relationships to delete, merge and create.

The tables compared are those the stores load (:func:`newsgraph.exporters.stores._common.node_tables`
and ``edge_tables``): one per label, values already typed as the stores keep them.  A node
is named by its label and ``id`` (the node key); a relationship has no identity of its
own, so relationships are compared by *bundle* -- type, end labels and end ids -- and a
bundle that differs is deleted whole and created again.

A column whose type differs between the two graphs (``heat`` integer before, double after)
is *retyped*: every value of it is written again, so the store ends with the new type.

>>> import networkx as nx
>>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
>>> old.add_node("tag:a", kind="tag", label="A")
>>> new.add_node("tag:a", kind="tag", label="A2")
>>> new.add_node("tag:b", kind="tag", label="B")
>>> changes = graph_changes(old, new)
>>> [(n.id, n.values, n.new) for n in changes.nodes]
[('tag:a', {'label': 'A2'}, False), ('tag:b', {'kind': 'tag', 'label': 'B'}, True)]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from newsgraph.exporters.property_graph.bulk import Column
from newsgraph.exporters.property_graph.columns import prepare
from newsgraph.exporters.stores._common import Table, edge_tables, graph_counts, node_tables
from newsgraph.exporters.values import OnProblem, identical

__all__ = ["Bundle", "GraphChanges", "NodeChange", "Schema", "graph_changes"]

#: (relationship type, source label, target label, source id, target id)
BundleKey = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class NodeChange:
    """A node to merge: ``values`` to set, ``removed`` properties to drop; ``new`` if added.

    ``retyped`` names the values whose type changed (``61`` to ``61.0``): a store that
    sees them as equal would keep the old one, so they are removed before they are set.
    """

    label: str
    id: str
    values: dict[str, Any]
    removed: tuple[str, ...] = ()
    new: bool = False
    retyped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bundle:
    """The relationships of one type between two nodes (``rows``: their properties)."""

    type: str
    source: str
    target: str
    from_id: str
    to_id: str
    rows: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Schema:
    """Columns by node label and by relationship type, and each type's end labels."""

    nodes: dict[str, dict[str, Column]] = field(default_factory=dict)
    relationships: dict[str, dict[str, Column]] = field(default_factory=dict)
    ends: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class GraphChanges:
    """What turns a store loaded with one graph into one loaded with another.

    Apply in this order: delete ``removed_bundles`` and ``removed_nodes``; merge
    ``nodes``; create ``added_bundles``.  ``previous_counts``/``new_counts`` are the
    nodes and relationships by kind before and after (a store can be checked with them).
    """

    removed_nodes: list[tuple[str, str]]
    nodes: list[NodeChange]
    removed_bundles: list[Bundle]
    added_bundles: list[Bundle]
    previous: Schema
    new: Schema
    previous_counts: dict[str, int]
    new_counts: dict[str, int]

    def retyped(self, label: str, *, node: bool = True) -> set[str]:
        """Columns of ``label`` (a node label, or a type) whose type changed."""
        before = (self.previous.nodes if node else self.previous.relationships).get(label, {})
        after = (self.new.nodes if node else self.new.relationships).get(label, {})
        return {name for name, column in after.items() if name in before and before[name] != column}


def graph_changes(
    previous: nx.MultiDiGraph, new: nx.MultiDiGraph, on_problem: OnProblem | None = None
) -> GraphChanges:
    """The node and relationship changes from ``previous`` to ``new``."""
    before, after = _schema(previous, None), _schema(new, on_problem)
    changes = GraphChanges([], [], [], [], before, after, graph_counts(previous), graph_counts(new))
    old_rows = _node_rows(before)
    new_rows = _node_rows(after)
    changes.removed_nodes.extend(sorted(key for key in old_rows if key not in new_rows))
    for node, row in sorted(new_rows.items()):
        change = _node_change(node, old_rows.get(node), row, changes.retyped(node[0]))
        if change is not None:
            changes.nodes.append(change)
    old_bundles, new_bundles = _bundles(before), _bundles(after)
    for key, rows in sorted(old_bundles.items()):
        retyped = changes.retyped(key[0], node=False)
        if _differs(rows, new_bundles.get(key), retyped):
            changes.removed_bundles.append(Bundle(*key, rows=tuple(rows)))
    for key, rows in sorted(new_bundles.items()):
        retyped = changes.retyped(key[0], node=False)
        if _differs(old_bundles.get(key), rows, retyped):
            changes.added_bundles.append(Bundle(*key, rows=tuple(rows)))
    return changes


def _schema(G: nx.MultiDiGraph, on_problem: OnProblem | None) -> Schema:
    prepared = prepare(G, on_problem)
    schema = Schema()
    for table in node_tables(G, prepared):
        schema.nodes[table.name] = table.columns
        schema.tables.append(table)
    for table in edge_tables(G, prepared):
        assert table.source is not None and table.target is not None
        schema.relationships.setdefault(table.name, {}).update(table.columns)
        schema.ends.setdefault(table.name, []).append((table.source, table.target))
        schema.tables.append(table)
    return schema


def _node_rows(schema: Schema) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (table.name, row["id"]): row
        for table in schema.tables
        if table.source is None
        for row in table.rows
    }


def _node_change(
    key: tuple[str, str],
    old: Mapping[str, Any] | None,
    row: Mapping[str, Any],
    retyped: set[str],
) -> NodeChange | None:
    values = {k: v for k, v in row.items() if k != "id" and v is not None}
    if old is None:
        return NodeChange(*key, values, new=True)
    changed = {k: v for k, v in values.items() if k in retyped or not _same(v, old.get(k))}
    removed = tuple(
        sorted(k for k, v in old.items() if v is not None and k != "id" and k not in values)
    )
    if not changed and not removed:
        return None
    retyped_values = tuple(
        k for k, v in changed.items() if old.get(k) is not None and type(old[k]) is not type(v)
    )
    return NodeChange(*key, changed, removed, retyped=retyped_values)


def _bundles(schema: Schema) -> dict[BundleKey, list[dict[str, Any]]]:
    bundles: dict[BundleKey, list[dict[str, Any]]] = {}
    for table in schema.tables:
        if table.source is None or table.target is None:
            continue
        for row in table.rows:
            key = (table.name, table.source, table.target, row["from"], row["to"])
            properties = {k: v for k, v in row.items() if k not in ("from", "to") and v is not None}
            bundles.setdefault(key, []).append(properties)
    for rows in bundles.values():
        rows.sort(key=_canonical)
    return bundles


def _differs(
    old: list[dict[str, Any]] | None, new: list[dict[str, Any]] | None, retyped: set[str]
) -> bool:
    if old is None or new is None:
        return True
    if retyped and any(name in row for row in new for name in retyped):
        return True
    return [_canonical(row) for row in old] != [_canonical(row) for row in new]


def _same(a: Any, b: Any) -> bool:
    """Whether a store keeps ``a`` and ``b`` as the same value (texts compared as they are)."""
    if type(a) is str and type(b) is str:
        return a == b
    return identical(a, b) or _canonical(a) == _canonical(b)


def _canonical(value: Any) -> str:
    """A value as text that tells ``1`` from ``1.0`` and ``True`` (what a store keeps)."""
    return (
        json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False) + type(value).__name__
    )
