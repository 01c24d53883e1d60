"""Clustering: a partition of a graph's nodes, with no labels (see :mod:`.labels` for those).

:func:`partition` takes an :class:`~newsgraph.graph.analysis.sparse.ArticleProjection` (handed
to igraph as arrays, never through networkx) or a simple undirected networkx graph.  Methods:
``"leiden"`` (igraph's), ``"louvain"`` and ``"label_propagation"`` (networkx), and ``"auto"``,
which is Leiden.  igraph's Leiden is used rather than leidenalg's: it optimises the same
modularity and was 20 times faster on a 1M-edge graph.  Groups come largest first, ties by
their first node in graph order, so ids are numbered by size and reproducible.  Reported
modularity is the standard one (resolution 1) whatever *resolution* the clustering used.

>>> import networkx as nx
>>> partition(nx.barbell_graph(4, 0), method="louvain", seed=0).groups
[[0, 1, 2, 3], [4, 5, 6, 7]]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from newsgraph.graph.analysis import _igraph
from newsgraph.graph.analysis.sparse import ArticleProjection

__all__ = ["METHODS", "Clustering", "partition"]

Method = Literal["auto", "leiden", "louvain", "label_propagation"]

#: The names :func:`partition` accepts as ``method``.
METHODS: tuple[str, ...] = ("auto", "leiden", "louvain", "label_propagation")

# igraph's default; more passes rarely change a partition but cost more time.
_LEIDEN_ITERATIONS = 2


@dataclass(frozen=True)
class Clustering:
    """Groups of nodes (largest first), the modularity, and each node's weight inside its group."""

    groups: list[list[Hashable]]
    modularity: float
    method: str
    inner: dict[Hashable, float]


def partition(
    graph: ArticleProjection | nx.Graph,
    *,
    method: Method = "auto",
    resolution: float = 1.0,
    seed: int | None = 0,
    weight: str = "weight",
) -> Clustering:
    """Partition *graph* into groups of densely linked nodes."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "auto":
        method = "leiden"
    if isinstance(graph, ArticleProjection):
        nodes: list[Hashable] = list(graph.nodes)
        g = graph.to_igraph() if graph.n_edges else None
        H = graph.to_networkx() if method != "leiden" else None
    else:
        nodes = list(graph)
        H = graph
        g = _igraph.to_igraph(graph, weight)[0] if graph.number_of_edges() else None
    if method == "leiden":
        raw = _leiden(g, len(nodes), resolution, seed)
    else:
        assert H is not None
        if method == "louvain":
            found = nx.community.louvain_communities(
                H, weight=weight, resolution=resolution, seed=seed
            )
        else:
            found = list(nx.community.asyn_lpa_communities(H, weight=weight, seed=seed))
        index = {n: i for i, n in enumerate(nodes)}
        raw = [[index[n] for n in group] for group in found]
    raw = sorted((sorted(group) for group in raw), key=lambda grp: (-len(grp), grp[0]))
    membership = [0] * len(nodes)
    for cid, group in enumerate(raw):
        for i in group:
            membership[i] = cid
    modularity = float(g.modularity(membership, weights="weight")) if g is not None else 0.0
    inner = _inner_strength(g, membership) if g is not None else [0.0] * len(nodes)
    groups = [[nodes[i] for i in group] for group in raw]
    return Clustering(groups, modularity, method, dict(zip(nodes, inner, strict=True)))


def _leiden(g: Any, n: int, resolution: float, seed: int | None) -> list[list[int]]:
    if not _igraph.available():
        raise ImportError(
            "method='leiden' needs igraph: pip install igraph; method='louvain' needs nothing more"
        )
    if g is None:  # no edges: every node alone
        return [[i] for i in range(n)]
    with _igraph.seeded(seed):
        found = g.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=_LEIDEN_ITERATIONS,
        )
    return [list(members) for members in found]


def _inner_strength(g: Any, membership: Sequence[int]) -> list[float]:
    """Each node's total edge weight inside its own group (how central it is there)."""
    source, target = zip(*g.get_edgelist(), strict=True) if g.ecount() else ((), ())
    inner: dict[int, float] = defaultdict(float)
    for a, b, w in zip(source, target, g.es["weight"], strict=True):
        if membership[a] == membership[b]:
            inner[a] += w
            inner[b] += w
    return [inner.get(i, 0.0) for i in range(g.vcount())]
