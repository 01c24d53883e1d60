"""The most central nodes of each kind: degree, PageRank and approximate betweenness.

Measured on :func:`~newsgraph.graph.analysis.projections.kind_graph` (undirected, images out).
Betweenness is estimated from *samples* randomly chosen source nodes (Brandes' algorithm from
a sample, scaled by ``n / samples``), so it stays fast on large graphs; with ``samples >= n`` it
is exact.  igraph is used when installed and networkx otherwise; both give the same numbers for
the same seed.  Not supported: weighted betweenness, closeness and eigenvector centrality.

>>> from newsgraph.examples import toy_graph
>>> top = central_nodes(toy_graph(), top=1)
>>> [(row.kind, row.label) for row in top.rows]
[('article', 'Giant desert solar farm switches on in Nevada'), ('provider', 'a.example'), ('tag', 'US-NV'), ('topic', 'AI')]
"""

from __future__ import annotations

import random
from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from newsgraph.graph.analysis import _igraph
from newsgraph.graph.analysis._facts import label_of
from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis.projections import DEFAULT_KINDS, kind_graph

__all__ = ["Central", "Centrality", "central_nodes"]


@dataclass(frozen=True, slots=True)
class Central:
    """One ranked node.  ``betweenness`` is normalised to 0–1 like networkx's."""

    kind: str
    rank: int
    node: str
    label: str
    degree: int
    pagerank: float
    betweenness: float


@dataclass(frozen=True)
class Centrality(Table):
    """The top nodes of each kind, by kind then rank."""

    rows: tuple[Central, ...]
    by: str
    samples: int

    def __str__(self) -> str:
        lines = [f"most central by {self.by}:"]
        lines += [
            f"  {r.kind} #{r.rank}: {r.label} ({self.by} {getattr(r, self.by):.4g})"
            for r in self.rows
            if r.rank <= 3
        ]
        return "\n".join(lines)


def central_nodes(
    G: nx.Graph,
    *,
    kinds: Collection[str] | None = DEFAULT_KINDS,
    top: int = 10,
    by: Literal["pagerank", "degree", "betweenness"] = "pagerank",
    samples: int = 100,
    seed: int | None = 0,
    weight: str = "weight",
) -> Centrality:
    """Rank the nodes of each kind in *kinds* and keep the *top* of each.

    PageRank uses edge weights; degree counts distinct neighbours; betweenness is estimated
    from *samples* source nodes picked with *seed*.

    >>> import networkx as nx
    >>> rows = central_nodes(nx.star_graph(4), top=1, samples=10).rows
    >>> rows[0].node, rows[0].degree, rows[0].betweenness
    ('0', 4, 1.0)
    """
    if by not in ("pagerank", "degree", "betweenness"):
        raise ValueError(f"by must be 'pagerank', 'degree' or 'betweenness', not {by!r}")
    H = kind_graph(G, kinds, weight=weight)
    nodes = list(H)
    if not nodes:
        return Centrality((), by, 0)
    sources = sorted(random.Random(seed).sample(range(len(nodes)), min(samples, len(nodes))))
    pagerank, betweenness = (_with_igraph if _igraph.available() else _with_networkx)(
        H, weight, sources
    )
    n = len(nodes)
    scale = 2.0 * n / (len(sources) * (n - 1) * (n - 2)) if n > 2 else 0.0
    by_kind: dict[str, list[Central]] = {}
    for i, node in enumerate(nodes):
        kind = str(H.nodes[node].get("kind", "node"))
        by_kind.setdefault(kind, []).append(
            Central(
                kind,
                0,
                str(node),
                label_of(H, node),
                H.degree(node),
                pagerank[i],
                betweenness[i] * scale,
            )
        )
    rows: list[Central] = []
    for kind in sorted(by_kind):
        ranked = sorted(by_kind[kind], key=lambda c: (-getattr(c, by), c.node))[:top]
        rows += [
            Central(c.kind, rank, c.node, c.label, c.degree, c.pagerank, c.betweenness)
            for rank, c in enumerate(ranked, 1)
        ]
    return Centrality(tuple(rows), by, len(sources))


def _with_igraph(
    H: nx.Graph, weight: str, sources: Sequence[int]
) -> tuple[list[float], list[float]]:
    g, _ = _igraph.to_igraph(H, weight)
    pagerank = g.pagerank(weights="weight", directed=False)
    betweenness = g.betweenness(sources=list(sources), targets=None, directed=False)
    return list(pagerank), list(betweenness)


def _with_networkx(
    H: nx.Graph, weight: str, sources: Sequence[int]
) -> tuple[list[float], list[float]]:
    nodes: list[Hashable] = list(H)
    pagerank = nx.pagerank(H, weight=weight)
    betweenness = nx.betweenness_centrality_subset(
        H, sources=[nodes[i] for i in sources], targets=nodes, normalized=False
    )
    return [pagerank[n] for n in nodes], [betweenness[n] for n in nodes]
