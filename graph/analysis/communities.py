"""Communities: groups of densely linked articles (or nodes), each with a label a person can read.

:func:`find_communities` is clustering (:mod:`.clustering`) then labelling (:mod:`.labels`).
What it clusters, by default the same in the API and in ``newsgraph analyze``:

- ``on="articles"`` (the default): the articles of a newsgraph graph, linked by the sparse
  :func:`~newsgraph.graph.analysis.sparse.article_projection` (related links, shared topics,
  providers and tags; popular ones weighted down, each article keeping its *neighbours*
  strongest links).  A simple undirected graph (a projection, or any networkx graph) is taken
  as it is.
- ``on="graph"``: the whole graph of articles, providers, topics and tags (images left out),
  parallel and reverse edges folded into one weighted edge.

Groups of fewer than *min_size* nodes are not communities: their nodes are reported apart as
``unclustered`` ("N communities of >= k articles, M articles unclustered"), with no id.
Communities are numbered by size, largest first; the same graph, method and seed give the same
ids.  Not supported: overlapping or hierarchical communities.

>>> from newsgraph.examples import toy_graph
>>> result = find_communities(toy_graph(), seed=1)
>>> len(result), len(result.unclustered), result.rows[0].topics
(3, 0, ('Football', 'Sport'))
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis.clustering import METHODS, Method, partition
from newsgraph.graph.analysis.labels import Community, describe
from newsgraph.graph.analysis.projections import DEFAULT_KINDS, kind_graph
from newsgraph.graph.analysis.slices import Moment, time_slice
from newsgraph.graph.analysis.sparse import (
    DEFAULT_NEIGHBOURS,
    ArticleProjection,
    article_projection,
)

__all__ = ["DEFAULT_MIN_SIZE", "METHODS", "Communities", "Community", "find_communities"]

On = Literal["articles", "graph"]

#: The fewest members a community has unless told otherwise; smaller groups are unclustered.
DEFAULT_MIN_SIZE = 3


@dataclass(frozen=True)
class Communities(Table):
    """The communities found, largest first (ids 0, 1, …), the community of every clustered
    node, and the nodes left unclustered (in groups smaller than ``min_size``)."""

    rows: tuple[Community, ...]
    membership: Mapping[Hashable, int] = field(repr=False)
    modularity: float
    method: str
    resolution: float
    seed: int | None
    on: str = "articles"
    min_size: int = DEFAULT_MIN_SIZE
    unclustered: tuple[Hashable, ...] = field(default=(), repr=False)

    def partition(self) -> list[frozenset[Hashable]]:
        """The communities as sets of nodes, in id order."""
        groups: list[set[Hashable]] = [set() for _ in self.rows]
        for node, cid in self.membership.items():
            groups[cid].add(node)
        return [frozenset(g) for g in groups]

    def headline(self) -> str:
        """One line: how many communities of at least ``min_size``, how many left out."""
        what = "articles" if self.on == "articles" else "nodes"
        return (
            f"{len(self.rows)} communities of >= {self.min_size} {what} "
            f"({len(self.membership)} {what}), {len(self.unclustered)} {what} unclustered; "
            f"{self.method}, modularity {self.modularity:.3f}"
        )

    def __str__(self) -> str:
        return "\n".join(
            [self.headline(), *(f"  {c.id}: {c.label} [{c.size}]" for c in self.rows[:10])]
        )


def find_communities(
    G: nx.Graph | ArticleProjection,
    *,
    on: On = "articles",
    method: Method = "auto",
    resolution: float = 1.0,
    seed: int | None = 0,
    min_size: int = DEFAULT_MIN_SIZE,
    neighbours: int = DEFAULT_NEIGHBOURS,
    kinds: Collection[str] | None = DEFAULT_KINDS,
    weight: str = "weight",
    context: nx.Graph | None = None,
    top: int = 3,
    since: Moment = None,
    until: Moment = None,
) -> Communities:
    """Cluster *G* into communities and label each one.

    Parameters
    ----------
    G : a newsgraph graph, an :class:`ArticleProjection`, or any networkx graph.
    on : ``"articles"`` or ``"graph"`` (see the module docstring).
    method : ``"auto"`` (Leiden), ``"leiden"``, ``"louvain"`` or ``"label_propagation"``.
    resolution : higher gives more, smaller communities (ignored by label propagation).
    seed : fixes the result; ``None`` for a fresh random one.
    min_size : groups smaller than this are reported as unclustered.
    neighbours : links each article keeps in the article projection.
    kinds : with ``on="graph"``, the node kinds that take part.
    context : the newsgraph graph to read topics, providers and headlines from when *G* is
        a projection; defaults to *G*.
    top : how many topics, providers and headlines describe each community.
    since, until : only articles published in ``[since, until)``.

    >>> import networkx as nx
    >>> find_communities(nx.barbell_graph(4, 0), method="louvain", seed=0).partition()
    [frozenset({0, 1, 2, 3}), frozenset({4, 5, 6, 7})]
    """
    if on not in ("articles", "graph"):
        raise ValueError(f"on must be 'articles' or 'graph', not {on!r}")
    if min_size < 1:
        raise ValueError(f"min_size must be at least 1, not {min_size}")
    target: nx.Graph | ArticleProjection
    if isinstance(G, ArticleProjection):
        target, ctx = G, context
    else:
        G = time_slice(G, since=since, until=until)
        ctx = context if context is not None else G
        if not (G.is_directed() or G.is_multigraph()):
            target = G if kinds is None or on == "articles" else _only(G, kinds)
        elif on == "articles":
            target = article_projection(G, neighbours=neighbours, seed=seed or 0)
        else:
            target = kind_graph(G, kinds, weight=weight)
    found = partition(target, method=method, resolution=resolution, seed=seed, weight=weight)
    groups = [g for g in found.groups if len(g) >= min_size]
    unclustered = tuple(n for g in found.groups[len(groups) :] for n in g)
    membership = {n: cid for cid, group in enumerate(groups) for n in group}
    rows = describe(ctx if ctx is not None else nx.Graph(), groups, found.inner, top=top)
    return Communities(
        rows,
        membership,
        found.modularity,
        found.method,
        resolution,
        seed,
        "articles" if isinstance(target, ArticleProjection) else on if on == "graph" else "nodes",
        min_size,
        unclustered,
    )


def _only(G: nx.Graph, kinds: Collection[str]) -> nx.Graph:
    keep = [n for n, k in G.nodes(data="kind") if k is None or str(k) in kinds]
    return G if len(keep) == len(G) else G.subgraph(keep)
