"""A change set from a patch: only the nodes that changed are compared.

:func:`patched_change_set` makes the :class:`~newsgraph.exporters.changes.ChangeSet` that
:func:`~newsgraph.exporters.changes.change_set` makes of two whole graphs, from

- ``previous``: the previous lines of every node a patch replaced, with their edges
  (:func:`~newsgraph.exporters.property_graph.splice.previous_part`);
- ``new``: the nodes it wrote, with their edges (a
  :class:`~newsgraph.graph.building.incremental.Patch`'s ``graph``);
- the :class:`~newsgraph.exporters.changes.basis.Basis` of the previous graph.

A node's statements and its table row depend on the node, its edges and its neighbours'
keys alone -- except the dataset's node count, each source file's entity (kept while an
article names the file) and the column types (inferred from all values): those come
from the basis, which moves by what was taken out and put in.  The result is the same
change set, and the basis of the new graph.

:class:`NotPatchable` is raised -- the caller compares the whole graphs instead -- when a
column's type changes (every value of it would be written again), or when describing the
new nodes reports a problem (the whole comparison reports it for the report).

>>> from newsgraph.graph.examples import toy_graph
>>> old = toy_graph(); new = old.copy(); new.nodes["topic:ai"]["label"] = "A.I."
>>> from newsgraph.exporters.changes import change_set
>>> from newsgraph.exporters.changes.basis import basis_of
>>> basis = basis_of(old, statements=change_set(old, old).triples.new)
>>> part = new.subgraph(["topic:ai"]).copy()
>>> changes, after = patched_change_set(old.subgraph(["topic:ai"]).copy(), part, ["topic:ai"], basis)
>>> full = change_set(old, new)
>>> changes.triples == full.triples, changes.graph.nodes == full.graph.nodes
(True, True)
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import networkx as nx

from newsgraph.exporters.changes import ChangeSet
from newsgraph.exporters.changes.basis import Basis, node_kinds
from newsgraph.exporters.changes.tables import (
    Bundle,
    BundleKey,
    GraphChanges,
    Schema,
    _canonical,
    _node_change,
)
from newsgraph.exporters.changes.triples import TripleChanges
from newsgraph.exporters.property_graph.columns import Prepared, neo4j_label, neo4j_type
from newsgraph.exporters.rdf.mapping import Mapper, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.exporters.stores._common import property_name, store_value, typed_rows

__all__ = ["NotPatchable", "patched_change_set"]

_DEFAULT = RdfOptions()
_EMPTY = _canonical({})


class NotPatchable(Exception):  # the caller compares the whole graphs
    """The change set cannot be made from the patch alone; the message says why."""


def patched_change_set(
    previous: nx.MultiDiGraph,
    new: nx.MultiDiGraph,
    written: Iterable[str],
    basis: Basis,
    *,
    rdf_options: RdfOptions = _DEFAULT,
) -> tuple[ChangeSet, Basis]:
    """The change set of a patch and the basis of the new graph (see the module).

    Nodes of ``previous`` with a ``kind`` are the replaced nodes that were there; the other
    nodes of both graphs are bare ends of edges.
    """
    old_nodes = sorted(n for n, kind in previous.nodes(data="kind") if kind is not None)
    new_nodes = sorted(written)
    after = basis.copy()
    after.add(previous, old_nodes, -1, twins={node: new.nodes[node] for node in new_nodes})
    after.add(new, new_nodes, 1, twins={node: previous.nodes[node] for node in old_nodes})
    before_schema, after_schema = basis.schema(), after.schema()
    for label, columns in after_schema.nodes.items():
        if _retyped(before_schema.nodes.get(label, {}), columns):
            raise NotPatchable(f"a column of {label} nodes changes its type")
    for name, columns in after_schema.relationships.items():
        if _retyped(before_schema.relationships.get(name, {}), columns):
            raise NotPatchable(f"a column of {name} relationships changes its type")
    triples = _triples(previous, old_nodes, new, new_nodes, basis, after, rdf_options)
    graph = _graph(previous, old_nodes, new, new_nodes, basis, after)
    after.statements = triples.new
    after.sources = +after.sources
    return ChangeSet(triples, graph), after


def _retyped(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return any(name in before and before[name] != column for name, column in after.items())


# -- statements ---------------------------------------------------------------------------


def _triples(
    previous: nx.MultiDiGraph,
    old_nodes: list[str],
    new: nx.MultiDiGraph,
    new_nodes: list[str],
    before: Basis,
    after: Basis,
    options: RdfOptions,
) -> TripleChanges:
    graph = f"<{options.base}analysis>"
    dying = {p for p, n in before.sources.items() if n > 0 and after.sources[p] <= 0}
    born = {p for p, n in after.sources.items() if n > 0 and before.sources[p] <= 0}
    old = _quads(previous, old_nodes, sum(before.nodes.values()), dying, options, graph, None)
    problems: list[Any] = []
    fresh = _quads(new, new_nodes, sum(after.nodes.values()), born, options, graph, problems)
    if problems:
        raise NotPatchable("describing the new nodes reports problems")
    removed = sorted(old - fresh)
    added = sorted(fresh - old)
    count = before.statements - len(removed) + len(added)
    return TripleChanges(removed, added, before.statements, count, graph)


def _quads(
    G: nx.MultiDiGraph,
    nodes: list[str],
    entities: int,
    sources: set[str],
    options: RdfOptions,
    graph: str,
    problems: list[Any] | None,
) -> set[str]:
    """The N-Quads lines of ``nodes``, of the dataset (with ``entities`` nodes) and of the
    ``sources`` files."""
    mapper = Mapper(G, options.base, options.schema, G.graph.get("documents"))
    descriptions = [*mapper.header(entities)]
    for node in nodes:
        description = mapper.node(node)
        if description is not None:
            descriptions.append(description)
    descriptions += mapper.sources(sources)
    if problems is not None:
        problems += mapper.problems
    return set(io.StringIO(ntriples(descriptions, graph)))


# -- nodes and relationships ---------------------------------------------------------------


def _graph(
    previous: nx.MultiDiGraph,
    old_nodes: list[str],
    new: nx.MultiDiGraph,
    new_nodes: list[str],
    before: Basis,
    after: Basis,
) -> GraphChanges:
    before_schema, after_schema = before.schema(), after.schema()
    changes = GraphChanges(
        [], [], [], [], before_schema, after_schema, before.counts(), after.counts()
    )
    problems: list[Any] = []
    old_rows = _rows(previous, old_nodes, before_schema, None)
    new_rows = _rows(new, new_nodes, after_schema, problems.append)
    if problems:
        raise NotPatchable("the new nodes' values report problems")
    changes.removed_nodes.extend(sorted(key for key in old_rows if key not in new_rows))
    for node, row in sorted(new_rows.items()):
        change = _node_change(node, old_rows.get(node), row, set())
        if change is not None:
            changes.nodes.append(change)
    old_bundles = _bundles(previous, old_nodes, before_schema)
    new_bundles = _bundles(new, new_nodes, after_schema)
    for key, (rows, texts) in sorted(old_bundles.items()):
        if new_bundles.get(key, (None, None))[1] != texts:
            changes.removed_bundles.append(Bundle(*key, rows=tuple(rows)))
    for key, (rows, texts) in sorted(new_bundles.items()):
        if old_bundles.get(key, (None, None))[1] != texts:
            changes.added_bundles.append(Bundle(*key, rows=tuple(rows)))
    return changes


def _rows(
    G: nx.MultiDiGraph, nodes: list[str], schema: Schema, on_problem: Any
) -> dict[tuple[str, str], dict[str, Any]]:
    by_kind: dict[str, list[str]] = {}
    for node in nodes:
        by_kind.setdefault(str(G.nodes[node].get("kind")), []).append(node)
    ids = {node: node for node in G}
    rows = {}
    for kind, members in by_kind.items():
        label = neo4j_label(kind)
        part = Prepared(G, members, ids, on_problem)
        for row in typed_rows(part, schema.nodes[label]):
            rows[(label, row["id"])] = row
    return rows


def _bundles(
    G: nx.MultiDiGraph, nodes: list[str], schema: Schema
) -> dict[BundleKey, tuple[list[dict[str, Any]], list[str]]]:
    """The bundles out of ``nodes``: rows sorted as the whole comparison sorts them, and
    their canonical texts (rows differ exactly when these do; no column is retyped).

    The properties are those :func:`~newsgraph.exporters.stores._common.edge_groups` keeps.
    """
    tables = {(t.name, t.source, t.target): t.columns for t in schema.tables if t.source}
    adjacency, kinds = dict(G.adjacency()), node_kinds(G)
    labels = {kind: neo4j_label(kind) for kind in set(kinds.values())}
    types: dict[str, str] = {}
    bundles: dict[BundleKey, list[tuple[str, dict[str, Any]]]] = {}
    for node in nodes:
        source = labels[kinds[node]]
        for target, keyed in adjacency[node].items():
            end = labels[kinds[target]]
            for edge in keyed.values():
                kind = str(edge.get("kind"))
                name = types.get(kind) or types.setdefault(kind, neo4j_type(kind))
                key = (name, source, end, node, target)
                if len(edge) == 1 and "kind" in edge:  # a build's edge: no properties
                    bundles.setdefault(key, []).append((_EMPTY, {}))
                    continue
                properties = _properties(edge, tables[(name, source, end)])
                text = _canonical(properties) if properties else _EMPTY
                bundles.setdefault(key, []).append((text, properties))
    out = {}
    for key, found in bundles.items():
        found.sort(key=itemgetter(0))
        out[key] = ([row for _, row in found], [text for text, _ in found])
    return out


def _properties(edge: dict[str, Any], columns: dict[str, Any]) -> dict[str, Any]:
    return {
        name: store_value(value, columns[name]) if name in columns else value
        for name, value in edge.items()
        if name not in ("kind", "from", "to") and property_name(name) and value is not None
    }
