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
from typing import Any

import networkx as nx

from newsgraph.exporters.changes import ChangeSet
from newsgraph.exporters.changes.basis import Basis
from newsgraph.exporters.changes.tables import (
    Bundle,
    BundleKey,
    GraphChanges,
    Schema,
    _canonical,
    _differs,
    _node_change,
)
from newsgraph.exporters.changes.triples import TripleChanges
from newsgraph.exporters.property_graph.columns import Prepared, neo4j_label, neo4j_type
from newsgraph.exporters.rdf.mapping import Mapper, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.exporters.stores._common import edge_groups, store_value, typed_rows

__all__ = ["NotPatchable", "patched_change_set"]

_DEFAULT = RdfOptions()


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
    after.add(_with_kinds(previous), old_nodes, -1)
    after.add(_with_kinds(new), new_nodes, 1)
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


def _with_kinds(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """``G`` with a kind on every bare node (read from its key), as the whole graph has it."""
    bare = [n for n, kind in G.nodes(data="kind") if kind is None]
    if not bare:
        return G
    G = G.copy()
    for node in bare:
        G.nodes[node]["kind"] = str(node).partition(":")[0]
    return G


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
    old_bundles = _bundles(_with_kinds(previous), old_nodes, before_schema)
    new_bundles = _bundles(_with_kinds(new), new_nodes, after_schema)
    for key, rows in sorted(old_bundles.items()):
        if _differs(rows, new_bundles.get(key), set()):
            changes.removed_bundles.append(Bundle(*key, rows=tuple(rows)))
    for key, rows in sorted(new_bundles.items()):
        if _differs(old_bundles.get(key), rows, set()):
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
) -> dict[BundleKey, list[dict[str, Any]]]:
    tables = {(t.name, t.source, t.target): t.columns for t in schema.tables if t.source}
    bundles: dict[BundleKey, list[dict[str, Any]]] = {}
    groups = edge_groups(G, {node: node for node in G}, nodes)
    for (kind, source, target), rows in groups.items():
        name, ends = neo4j_type(kind), (neo4j_label(source), neo4j_label(target))
        columns = tables[(name, *ends)]
        for row in rows:
            properties = {
                attr: store_value(value, columns[attr]) if attr in columns else value
                for attr, value in row.items()
                if attr not in ("from", "to") and value is not None
            }
            bundles.setdefault((name, *ends, row["from"], row["to"]), []).append(properties)
    for found in bundles.values():
        found.sort(key=_canonical)
    return bundles
