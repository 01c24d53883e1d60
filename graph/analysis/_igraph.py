"""The optional igraph fast path: availability, conversion from networkx, seeded randomness.

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
import random
from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

__all__ = ["available", "seeded", "to_igraph"]


def available() -> bool:
    """Whether python-igraph is installed."""
    return importlib.util.find_spec("igraph") is not None


@contextmanager
def seeded(seed: int | None) -> Iterator[None]:
    """Run igraph's random algorithms from *seed*, then give igraph back its default generator.

    igraph draws from one process-wide generator (Python's :mod:`random` by default); a private
    :class:`random.Random` keeps the result reproducible without touching :mod:`random`.
    """
    import igraph as ig

    if seed is None:
        yield
        return
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def to_igraph(H: nx.Graph, weight: str = "weight") -> tuple[Any, list[Hashable]]:
    """An undirected igraph copy of simple graph *H* with a ``weight`` edge attribute (1 where
    absent), and its node order."""
    import igraph as ig

    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    edges: list[tuple[int, int]] = []
    weights: list[float] = []
    # One walk of the adjacency dicts (adjacency() yields them without view wrappers), each
    # edge taken from its lower end: several times faster than H.edges(data=...) on 1M edges.
    for i, (_, neighbours) in enumerate(H.adjacency()):
        for other, data in neighbours.items():
            j = index[other]
            if i <= j:
                edges.append((i, j))
                weights.append(float(data.get(weight, 1.0)))
    g = ig.Graph(n=len(nodes), edges=edges, directed=False, edge_attrs={"weight": weights})
    return g, nodes
