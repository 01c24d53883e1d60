"""The optional igraph/leidenalg fast path: availability checks and conversion from networkx.

Imported lazily by the analyses, never at package import.

>>> import networkx as nx
>>> if available():
...     g, nodes = to_igraph(nx.path_graph(3))
...     print(g.vcount(), g.ecount(), nodes)
... else:
...     print(3, 2, [0, 1, 2])
3 2 [0, 1, 2]
"""

from __future__ import annotations

import importlib.util
from collections.abc import Hashable
from typing import Any

import networkx as nx

__all__ = ["available", "leiden_available", "to_igraph"]


def available() -> bool:
    """Whether python-igraph is installed."""
    return importlib.util.find_spec("igraph") is not None


def leiden_available() -> bool:
    """Whether leidenalg (and so igraph) is installed."""
    return available() and importlib.util.find_spec("leidenalg") is not None


def to_igraph(H: nx.Graph, weight: str = "weight") -> tuple[Any, list[Hashable]]:
    """An undirected igraph copy of *H* with a ``weight`` edge attribute, and its node order."""
    import igraph as ig

    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    for u, v, w in H.edges(data=weight, default=1.0):
        edges.append((index[u], index[v]))
        weights.append(float(w))
    g = ig.Graph(n=len(nodes), edges=edges, directed=False, edge_attrs={"weight": weights})
    return g, nodes
