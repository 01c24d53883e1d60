"""What the store targets share: the load report, the store interface, typed tables.

A *store* is one database target: an Oxigraph folder, a SPARQL endpoint, a LadybugDB
file or a FalkorDB graph.  Each one loads a graph through the database's own bulk path,
answers queries as rows, and counts what it holds by our node and edge kinds, so a load
can be checked against the graph it came from.

Property-graph stores (LadybugDB, FalkorDB) get the graph as :class:`Table` objects: one
per node kind (label ``Article``, ``Provider``...) and one per edge kind and end labels
(type ``PUBLISHED_BY``...), each column with one type (:mod:`newsgraph.exporters.property_graph.bulk`):
lists stay lists and the article dates become timestamps.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("tag:a", kind="tag", label="A", names=["A", "a"])
>>> [(t.name, list(t.columns), t.rows) for t in node_tables(G)]
[('Tag', ['id', 'kind', 'label', 'names'], [{'id': 'tag:a', 'kind': 'tag', 'label': 'A', 'names': ['A', 'a']}])]
"""

from __future__ import annotations

import datetime as dt
import re
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.property_graph.bulk import Column, bulk_columns, list_items
from newsgraph.exporters.property_graph.columns import (
    Prepared,
    column_types,
    neo4j_label,
    neo4j_type,
    prepare,
    scalar_text,
)
from newsgraph.exporters.values import OnProblem, sorted_nodes
from newsgraph.graph.errors import StoreError

__all__ = [
    "LoadReport",
    "Rows",
    "Store",
    "Table",
    "check_state",
    "cypher_counts",
    "edge_groups",
    "edge_tables",
    "graph_counts",
    "node_tables",
    "property_name",
    "statements",
    "store_value",
    "to_timestamp",
    "typed_rows",
]

#: A query answer: column names and rows of plain Python values.
Rows = tuple[list[str], list[tuple[Any, ...]]]

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class LoadReport:
    """What a load put into a target, counted by the target itself after the load.

    ``counts`` maps our node and edge kinds (``article``, ``published_by``...) to how
    many the target holds; ``triples`` is the number of RDF statements (None for property
    graphs).
    """

    target: str
    counts: Mapping[str, int]
    triples: int | None = None
    replaced: bool = False

    def summary(self) -> str:
        """One line for the command line.

        >>> LoadReport("x", {"article": 2, "about": 3}, triples=40).summary()
        'loaded into x: 40 triples; article 2, about 3'
        """
        kinds = ", ".join(f"{kind} {n}" for kind, n in self.counts.items())
        triples = f"{self.triples} triples; " if self.triples is not None else ""
        return f"{'replaced' if self.replaced else 'loaded into'} {self.target}: {triples}{kinds}"


class Store(ABC):
    """One database target; :func:`newsgraph.exporters.stores.open_store` makes them."""

    #: ``"sparql"`` or ``"cypher"``: the language :meth:`rows` understands.
    language: str = ""
    #: The member of a change set this store applies (:mod:`newsgraph.exporters.changes`).
    change_file: str = ""

    @abstractmethod
    def load(
        self, G: nx.MultiDiGraph, *, replace: bool = False, on_problem: OnProblem | None = None
    ) -> LoadReport:
        """Put ``G`` into the target (refused when it holds data, unless ``replace``)."""

    @abstractmethod
    def rows(self, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
        """Run a query; its column names and rows of plain values."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Nodes and edges the target holds, by our kinds."""

    @abstractmethod
    def close(self) -> None:
        """Let go of connections and open files."""

    @abstractmethod
    def state(self) -> dict[str, int]:
        """What a change set is checked against: statements (RDF) or counts by kind (Cypher)."""

    @abstractmethod
    def apply_changes(
        self, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
    ) -> LoadReport:
        """Apply a change set (the text of its :attr:`change_file`) to a target whose
        :meth:`state` is ``before``; refused otherwise, and undone unless the result's
        state is ``after`` (where the store can undo: see each store)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def cypher_counts(store: Store, type_function: str) -> dict[str, int]:
    """A Cypher store's nodes by their ``kind`` and edges by type (``PUBLISHED_BY`` ->
    ``published_by``); ``type_function`` names the store's function for a type."""
    counts: Counter[str] = Counter()
    for kind, n in store.rows("MATCH (n) RETURN n.kind, count(*)")[1]:
        counts[str(kind)] += int(n)
    for kind, n in store.rows(f"MATCH ()-[r]->() RETURN {type_function}(r), count(*)")[1]:
        counts[str(kind).lower()] += int(n)
    return dict(sorted(counts.items()))


def check_state(
    where: str, found: Mapping[str, int], expected: Mapping[str, int], what: str
) -> None:
    """Raise :class:`StoreError` naming the differences when ``found`` is not ``expected``.

    >>> check_state("db", {"article": 2}, {"article": 3}, "the previous graph")
    Traceback (most recent call last):
    ...
    newsgraph.graph.errors.StoreError: db does not hold the previous graph: article 2, not 3
    """
    if dict(found) == dict(expected):
        return
    differences = ", ".join(
        f"{name} {found.get(name, 0)}, not {expected.get(name, 0)}"
        for name in sorted({*found, *expected})
        if found.get(name, 0) != expected.get(name, 0)
    )
    raise StoreError(f"{where} does not hold {what}: {differences or 'other kinds'}")


def statements(text: str) -> list[str]:
    """The statements of a Cypher change set: one a line, ``;`` ended, ``//`` comments skipped.

    >>> statements("// a comment\\nMATCH (n) RETURN n;\\n")
    ['MATCH (n) RETURN n']
    """
    return [
        line.rstrip().removesuffix(";")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("//")
    ]


def graph_counts(G: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes and edges of ``G`` by kind, the way :meth:`Store.counts` counts a target.

    >>> from newsgraph.graph.examples import toy_graph
    >>> graph_counts(toy_graph())["article"]
    12
    """
    counts: Counter[str] = Counter(str(kind) for _, kind in G.nodes(data="kind"))
    counts.update(str(kind) for _, _, kind in G.edges(data="kind"))
    return dict(sorted(counts.items()))


@dataclass
class Table:
    """A node table (``source``/``target`` None) or an edge table between two labels."""

    name: str
    kind: str
    columns: dict[str, Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    target: str | None = None


def node_tables(G: nx.MultiDiGraph, prepared: Prepared | None = None) -> list[Table]:
    """One table per node kind, rows in key order, ``id`` (the node key) first."""
    prepared = prepared or prepare(G)
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for node in prepared.nodes:
        by_kind[str(G.nodes[node].get("kind"))].append(node)
    tables = []
    for kind, nodes in sorted(by_kind.items()):
        part = Prepared(G, nodes, prepared.ids, prepared.on_problem, prepared.reported)
        columns = {"id": Column("id", "string")}
        columns.update(
            (name, column)
            for name, column in bulk_columns(part, node=True).items()
            if _NAME.fullmatch(name) and name != "id"
        )
        tables.append(Table(neo4j_label(kind), kind, columns, typed_rows(part, columns)))
    return tables


def typed_rows(part: Prepared, columns: Mapping[str, Column]) -> list[dict[str, Any]]:
    """The rows of ``part``'s nodes (``id`` first) with the values the ``columns`` hold."""
    rows = []
    for _, node_id, data in part.iter_nodes():
        row = {"id": node_id}
        for name, column in columns.items():
            if name in data:
                row[name] = _value(data[name], column)
        rows.append(row)
    return rows


def property_name(name: Any) -> bool:
    """Whether an attribute is a property of the stores (a Cypher name without quoting).

    >>> property_name("title"), property_name("a-b")
    (True, False)
    """
    return isinstance(name, str) and bool(_NAME.fullmatch(name))


def edge_tables(G: nx.MultiDiGraph, prepared: Prepared | None = None) -> list[Table]:
    """One table per edge kind and pair of end labels; rows hold ``from`` and ``to`` ids."""
    prepared = prepared or prepare(G)
    groups = edge_groups(G, prepared.ids, sorted_nodes(G))
    tables = []
    for (kind, source, target), rows in sorted(groups.items()):
        types = column_types(
            {k: v for k, v in row.items() if k not in ("from", "to")} for row in rows
        )
        columns = {
            name: Column(name, kind if kind in ("boolean", "integer", "double") else "string")
            for name, kind in types.items()
        }
        for row in rows:
            for name, column in columns.items():
                if name in row:
                    row[name] = _value(row[name], column)
        tables.append(
            Table(neo4j_type(kind), kind, columns, rows, neo4j_label(source), neo4j_label(target))
        )
    return tables


def edge_groups(
    G: nx.MultiDiGraph,
    ids: Mapping[Any, str],
    nodes: Iterable[Any],
    kinds: Mapping[Any, Any] | None = None,
) -> dict[tuple[str, str, str], list[dict[str, Any]]]:
    """The edges out of ``nodes`` (in order) as rows (``from``, ``to``, raw properties), by
    (edge kind, source kind, target kind); ``kinds``: the nodes' kinds, when not theirs."""
    if kinds is None:
        kinds = dict(G.nodes(data="kind"))
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for node in nodes:
        for target, keyed in sorted(G.adj[node].items(), key=lambda item: str(item[0])):
            for _, data in sorted(keyed.items(), key=lambda item: str(item[0])):
                ends = (str(data.get("kind")), str(kinds[node]), str(kinds[target]))
                row = {"from": ids[node], "to": ids[target]}
                row.update((k, v) for k, v in data.items() if k != "kind" and _NAME.fullmatch(k))
                groups[ends].append(row)
    return groups


def to_timestamp(text: str) -> dt.datetime:
    """An ISO 8601 date or time as a naive UTC datetime (how the stores keep timestamps).

    >>> to_timestamp("2024-03-04T10:00:00+02:00")
    datetime.datetime(2024, 3, 4, 8, 0)
    """
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def store_value(value: Any, column: Column) -> Any:
    """A clean value as a store holds it in ``column``.

    >>> store_value(3, Column("heat", "double")), store_value(["a"], Column("t", "string", True))
    (3.0, ['a'])
    """
    return _value(value, column)


def _value(value: Any, column: Column) -> Any:
    if column.array:
        return list_items(value)
    if column.kind == "timestamp":
        return to_timestamp(value)
    if column.kind == "json" or (column.kind == "string" and not isinstance(value, str)):
        return scalar_text(value)
    if column.kind == "double":
        return float(value)
    return value
