"""What a change set made from a patch needs to know of the whole graph: a :class:`Basis`.

A change set compares two whole graphs (:mod:`newsgraph.exporters.changes`), but most of
what it writes depends only on the nodes that changed.  The rest is small and kept beside
the build state, moved by what each patch takes out and puts in:

- the number of statements a triple store holds, and how many articles name each source
  file (a file's ``prov:Entity`` statements go with the last article that names it);
- for property-graph stores, the nodes by kind and the edges by (kind, source kind, target
  kind), and per attribute a count of each *signature* its values have: the column type a
  value asks for, with what decides a column beyond it (a list's item kinds; whether a
  ``published``/``updated`` text is a timestamp).  The columns a full comparison infers
  from all values (:func:`~newsgraph.exporters.property_graph.bulk.bulk_columns`) follow
  from the signatures present, so :meth:`Basis.schema` gives the same :class:`Schema`.

>>> from newsgraph.graph.examples import toy_graph
>>> G = toy_graph()
>>> basis = basis_of(G, statements=1)
>>> schema = basis.schema()
>>> from newsgraph.exporters.changes.tables import _schema
>>> full = _schema(G, None)
>>> (schema.nodes, schema.relationships, schema.ends) == (full.nodes, full.relationships, full.ends)
True
>>> Basis.from_text(basis.to_text()) == basis
True
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import reduce
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.changes.tables import Schema
from newsgraph.exporters.property_graph.bulk import Column, is_timestamp, item_kinds
from newsgraph.exporters.property_graph.columns import (
    merge_types,
    neo4j_label,
    neo4j_type,
    value_type,
)
from newsgraph.exporters.rdf.literals import as_list
from newsgraph.exporters.stores._common import Table, property_name
from newsgraph.exporters.values import identical
from newsgraph.graph.model import ARTICLE_DATETIME_ATTRIBUTES

__all__ = ["Basis", "basis_of", "node_kinds"]

_SCALARS: Final = ("boolean", "integer", "double", "string")
_EDGE_SCALARS: Final = ("boolean", "integer", "double")
_NESTED: Final = "*"
_SEP: Final = "\x1f"
#: Counts by kind (or edge group), and by attribute name and value signature.
Columns = dict[str, dict[str, Counter[str]]]


@dataclass
class Basis:
    """The counts of a graph that its change sets need (see the module)."""

    statements: int
    sources: Counter[str] = field(default_factory=Counter)
    nodes: Counter[str] = field(default_factory=Counter)
    node_columns: Columns = field(default_factory=dict)
    edges: Counter[str] = field(default_factory=Counter)
    edge_columns: Columns = field(default_factory=dict)

    def add(
        self,
        G: nx.MultiDiGraph,
        nodes: Iterable[Any],
        sign: int,
        twins: dict[Any, dict[str, Any]] | None = None,
    ) -> None:
        """Count ``nodes`` of ``G`` and the edges out of them in (``sign`` 1) or out (-1).

        The other end of an edge may be bare: its kind is then read from its key.  ``twins``:
        the attributes of the nodes on the other side of a move (a patch takes the old nodes
        out and puts the new ones in); a value a node of the same kind has on both sides
        would cancel, so neither side counts it.
        """
        # networkx hands out its own dicts here, which are far faster than views
        adjacency, data_of = dict(G.adjacency()), dict(G.nodes(data=True))
        kinds = _kinds(G)
        groups: Counter[str] = Counter()
        twins = twins or {}
        for node in nodes:
            data = data_of[node]
            kind = str(data.get("kind"))
            twin = twins.get(node)
            if twin is not None and str(twin.get("kind")) != kind:
                twin = None
            if twin is None:
                self.nodes[kind] += sign
            columns = self.node_columns.setdefault(kind, {})
            for name, value in data.items():
                if twin is not None and name in twin and identical(twin[name], value):
                    continue
                signature = _node_signature(name, value)
                if signature is not None:
                    columns.setdefault(str(name), Counter())[signature] += sign
            if kind == "article":
                sources = set(map(str, as_list(data.get("sources"))))
                if twin is not None:
                    sources.difference_update(map(str, as_list(twin.get("sources"))))
                self.sources.update(dict.fromkeys(sources, sign))
            for target, keyed in adjacency[node].items():
                for edge in keyed.values():
                    group = f"{edge.get('kind')}{_SEP}{kind}{_SEP}{kinds[target]}"
                    groups[group] += 1
                    if len(edge) > 1:  # properties beside the kind
                        self._edge_properties(group, edge, sign)
        for group, count in groups.items():
            self.edges[group] += sign * count

    def _edge_properties(self, group: str, edge: dict[str, Any], sign: int) -> None:
        columns = self.edge_columns.setdefault(group, {})
        for name, value in edge.items():
            if name != "kind" and property_name(name):
                edge_type = value_type(value)
                if edge_type is not None:
                    columns.setdefault(name, Counter())[edge_type] += sign

    def copy(self) -> Basis:
        """A copy to move independently (the counts are copied, the keys shared)."""
        return Basis(
            self.statements,
            Counter(self.sources),
            Counter(self.nodes),
            _copied(self.node_columns),
            Counter(self.edges),
            _copied(self.edge_columns),
        )

    def counts(self) -> dict[str, int]:
        """Nodes and edges by kind (what :func:`~newsgraph.exporters.stores.graph_counts` gives)."""
        counts: Counter[str] = Counter(+self.nodes)
        for group, number in self.edges.items():
            counts[group.partition(_SEP)[0]] += number
        return dict(sorted((+counts).items()))

    def schema(self) -> Schema:
        """The columns of each node label and relationship type, as a full comparison has them."""
        schema = Schema()
        for kind in sorted(k for k, n in self.nodes.items() if n > 0):
            found = _columns(self.node_columns.get(kind, {}), _node_column)
            columns = {"id": Column("id", "string")}
            columns.update((n, c) for n, c in found if property_name(n) and n != "id")
            label = neo4j_label(kind)
            schema.nodes[label] = columns
            schema.tables.append(Table(label, kind, columns))
        for group in sorted(tuple(g.split(_SEP)) for g, n in self.edges.items() if n > 0):
            kind, source, target = group
            columns = dict(_columns(self.edge_columns.get(_SEP.join(group), {}), _edge_column))
            name = neo4j_type(kind)
            schema.relationships.setdefault(name, {}).update(columns)
            ends = (neo4j_label(source), neo4j_label(target))
            schema.ends.setdefault(name, []).append(ends)
            schema.tables.append(Table(name, kind, columns, [], *ends))
        return schema

    def to_text(self) -> str:
        """The basis as JSON text (what the build state keeps)."""
        return json.dumps(
            {
                "statements": self.statements,
                "sources": +self.sources,
                "nodes": +self.nodes,
                "node_columns": _plain(self.node_columns),
                "edges": +self.edges,
                "edge_columns": _plain(self.edge_columns),
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_text(cls, text: str) -> Basis:
        """Read :meth:`to_text`'s text back (``ValueError`` when it is not a basis)."""
        try:
            data = json.loads(text)
            return cls(
                int(data["statements"]),
                Counter(data["sources"]),
                Counter(data["nodes"]),
                _counters(data["node_columns"]),
                Counter(data["edges"]),
                _counters(data["edge_columns"]),
            )
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"not a change-set basis: {err!r}") from err

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Basis) and self.to_text() == other.to_text()

    __hash__ = None  # type: ignore[assignment]


def node_kinds(G: nx.MultiDiGraph) -> dict[Any, str]:
    """Every node's kind as text; a bare node's (an edge's other end) is read from its key.

    >>> G = nx.MultiDiGraph(); G.add_node("tag:a", kind="tag"); G.add_node("topic:b")
    >>> node_kinds(G)
    {'tag:a': 'tag', 'topic:b': 'topic'}
    """
    return {
        node: str(kind) if kind is not None else str(node).partition(":")[0]
        for node, kind in G.nodes(data="kind")
    }


_kinds = node_kinds


def basis_of(G: nx.MultiDiGraph, *, statements: int) -> Basis:
    """The basis of the whole graph ``G``, whose store holds ``statements`` statements."""
    basis = Basis(statements)
    basis.add(G, G.nodes, 1)
    return basis


def _node_signature(name: Any, value: Any) -> str | None:
    kind = value_type(value)
    if name in ARTICLE_DATETIME_ATTRIBUTES and value is not None:
        if kind is None:
            return "null:"  # a value, but not a timestamp
        if kind == "string":
            return "string:ts" if is_timestamp(value) else "string:"
    if kind == "list":
        items = item_kinds(value)
        return "list:" + (_NESTED if items is None else ",".join(sorted(items)))
    return kind


def _columns(by_name: dict[str, Counter[str]], column: Any) -> Iterable[tuple[str, Column]]:
    """The columns of one label (in :func:`column_types`' order), from the signatures."""
    found = {}
    for name, signatures in by_name.items():
        present = {s for s, n in signatures.items() if n > 0}
        made = column(name, present)
        if made is not None:
            found[name] = made
    order = sorted(found, key=lambda n: (n != "kind", n != "label", n))
    return [(name, found[name]) for name in order]


def _node_column(name: str, signatures: set[str]) -> Column | None:
    kinds = {s.partition(":")[0] for s in signatures} - {"null"}
    if not kinds:
        return None
    kind = reduce(merge_types, sorted(kinds))
    if kind == "list":
        items: set[str] = set()
        for signature in signatures:
            items.update(filter(None, signature.partition(":")[2].split(",")))
        if _NESTED in items:
            return Column(name, "json")
        item = "double" if items == {"integer", "double"} else "string"
        if len(items) == 1:
            item = items.pop()
        return Column(name, item, array=True)
    if kind == "string" and name in ARTICLE_DATETIME_ATTRIBUTES and signatures == {"string:ts"}:
        return Column(name, "timestamp")
    return Column(name, kind if kind in _SCALARS else "json")


def _edge_column(name: str, signatures: set[str]) -> Column | None:
    if not signatures:
        return None
    kind = reduce(merge_types, sorted(signatures))
    return Column(name, kind if kind in _EDGE_SCALARS else "string")


def _plain(columns: Columns) -> dict[str, dict[str, dict[str, int]]]:
    plain = {
        kind: {name: dict(+found) for name, found in by_name.items() if +found}
        for kind, by_name in columns.items()
    }
    return {kind: by_name for kind, by_name in plain.items() if by_name}


def _counters(data: dict[str, dict[str, dict[str, int]]]) -> Columns:
    return {
        kind: {name: Counter(found) for name, found in by_name.items()}
        for kind, by_name in data.items()
    }


def _copied(columns: Columns) -> Columns:
    return {kind: {n: Counter(c) for n, c in by_name.items()} for kind, by_name in columns.items()}
