"""Counts of nodes and edges by kind: the first thing to look at in a graph.

Nodes and edges without a ``kind`` are counted under ``"(none)"``.  Not supported: counts of
attribute values (use :meth:`KindCounts.to_frame` and pandas for that).

>>> from newsgraph.examples import toy_graph
>>> counts = count_kinds(toy_graph())
>>> counts.nodes["article"], counts.edges["about"]
(12, 24)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx

from newsgraph.graph.analysis._tables import Table

__all__ = ["KindCount", "KindCounts", "count_kinds"]


@dataclass(frozen=True, slots=True)
class KindCount:
    """How many nodes (``element="node"``) or edges of one kind there are."""

    element: str
    kind: str
    count: int


@dataclass(frozen=True)
class KindCounts(Table):
    """Nodes by kind then edges by kind, each sorted by kind."""

    rows: tuple[KindCount, ...]

    @property
    def nodes(self) -> Mapping[str, int]:
        """Node counts by kind."""
        return {r.kind: r.count for r in self.rows if r.element == "node"}

    @property
    def edges(self) -> Mapping[str, int]:
        """Edge counts by kind."""
        return {r.kind: r.count for r in self.rows if r.element == "edge"}

    def __str__(self) -> str:
        nodes = ", ".join(f"{n} {k}" for k, n in self.nodes.items())
        edges = ", ".join(f"{n} {k}" for k, n in self.edges.items())
        return f"nodes: {nodes or 'none'}\nedges: {edges or 'none'}"


def count_kinds(G: nx.Graph) -> KindCounts:
    """Count the nodes and edges of *G* by their ``kind`` attribute.

    >>> import networkx as nx
    >>> str(count_kinds(nx.path_graph(3)))
    'nodes: 3 (none)\\nedges: 2 (none)'
    """
    nodes = Counter(str(k) if k is not None else "(none)" for _, k in G.nodes(data="kind"))
    edges = Counter(str(k) if k is not None else "(none)" for *_, k in G.edges(data="kind"))
    rows = [KindCount("node", k, n) for k, n in sorted(nodes.items())]
    rows += [KindCount("edge", k, n) for k, n in sorted(edges.items())]
    return KindCounts(tuple(rows))
