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

**After an update**, ``previous=`` (the :class:`Communities` of the graph before, or a mapping
of its nodes to their ids, ``None`` for unclustered ones) keeps the ids stable: Leiden starts
from the previous partition (:func:`~newsgraph.graph.analysis.clustering.partition`'s
*initial*), every community found takes the id of the previous one it continues, new ones get
ids never used before (:mod:`.churn`), and :attr:`Communities.churn` says what changed.  Rows
stay largest first; ids are then no longer 0, 1, … in row order (:meth:`Communities.row`).

>>> from newsgraph.examples import toy_graph
>>> result = find_communities(toy_graph(), seed=1)
>>> len(result), len(result.unclustered), result.rows[0].topics
(3, 0, ('Football', 'Sport'))
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, partial
from typing import Literal

import networkx as nx

from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis.churn import Churn, community_churn, match_ids
from newsgraph.graph.analysis.clustering import METHODS, Method, partition
from newsgraph.graph.analysis.labels import Community, describe, label_inputs
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
    """The communities found, largest first (ids 0, 1, … unless found from ``previous=``), the
    community of every clustered node, and the nodes left unclustered (in groups smaller than
    ``min_size``).  ``next_id`` is the lowest id never given; ``churn`` what changed since the
    previous communities, when there were some."""

    rows: tuple[Community, ...]
    membership: Mapping[Hashable, int] = field(repr=False)
    modularity: float
    method: str
    resolution: float
    seed: int | None
    on: str = "articles"
    min_size: int = DEFAULT_MIN_SIZE
    unclustered: tuple[Hashable, ...] = field(default=(), repr=False)
    next_id: int = -1
    churn: Churn | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.next_id < 0:  # not given: one more than the highest id
            object.__setattr__(self, "next_id", max((c.id for c in self.rows), default=-1) + 1)

    def row(self, cid: int) -> Community:
        """The community with id *cid* (a KeyError when none has it)."""
        return self._by_id[cid]

    @cached_property
    def _by_id(self) -> dict[int, Community]:
        return {community.id: community for community in self.rows}

    def labels(self) -> list[str]:
        """Each id's label, by id from 0 (``""`` for ids no community has now)."""
        labels = [""] * self.next_id
        for community in self.rows:
            labels[community.id] = community.label
        return labels

    def assignment(self) -> dict[Hashable, int | None]:
        """Every node's id, ``None`` for the unclustered (what ``previous=`` reads)."""
        return {**dict.fromkeys(self.unclustered), **self.membership}

    def partition(self) -> list[frozenset[Hashable]]:
        """The communities as sets of nodes, in id order."""
        groups: dict[int, set[Hashable]] = {c.id: set() for c in self.rows}
        for node, cid in self.membership.items():
            groups[cid].add(node)
        return [frozenset(groups[cid]) for cid in sorted(groups)]

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
    previous: Communities | Mapping[Hashable, int | None] | None = None,
    next_id: int | None = None,
    touched: Collection[Hashable] = (),
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
    previous : the communities before an update, to start from and keep the ids of (see the
        module docstring); a mapping of node to id (``None``: unclustered) will do.
    next_id : the lowest id never given (default: *previous*'s ``next_id``, or one more than
        its highest id); new communities are numbered from it.
    touched : nodes the update brought in that were in the graph before (an article known
        only as a related link that now has a document): like new nodes, they and their
        neighbours are free to move, and the churn counts the communities they join as the
        ones the update was expected to change.

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
    before: Mapping[Hashable, int | None] | None = (
        previous.assignment() if isinstance(previous, Communities) else previous
    )
    labelled = ctx if ctx is not None else nx.Graph()
    facts = target.facts_of(labelled) if isinstance(target, ArticleProjection) else None
    # The labels' corpus-wide part, which does not need the partition: read while Leiden runs.
    corpus = cache(partial(label_inputs, labelled, facts))
    found = partition(
        target,
        method=method,
        resolution=resolution,
        seed=seed,
        weight=weight,
        initial=before,
        changed=touched,
        meanwhile=corpus,
    )
    groups = [g for g in found.groups if len(g) >= min_size]
    unclustered = tuple(n for g in found.groups[len(groups) :] for n in g)
    if before is None:
        ids, fresh = list(range(len(groups))), len(groups)
    else:
        if next_id is None and isinstance(previous, Communities):
            next_id = previous.next_id
        ids, fresh = match_ids(groups, before, next_id=next_id, unclustered=unclustered)
    membership = {n: cid for cid, group in zip(ids, groups, strict=True) for n in group}
    rows = describe(labelled, groups, found.inner, top=top, ids=ids, inputs=corpus())
    churn = None
    if before is not None:
        after = {**dict.fromkeys(unclustered), **membership}
        churn = community_churn(before, after, touched=touched)
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
        fresh,
        churn,
    )


def _only(G: nx.Graph, kinds: Collection[str]) -> nx.Graph:
    keep = [n for n, k in G.nodes(data="kind") if k is None or str(k) in kinds]
    return G if len(keep) == len(G) else G.subgraph(keep)
