"""Clustering: a partition of a graph's nodes, with no labels (see :mod:`.labels` for those).

:func:`partition` takes an :class:`~newsgraph.graph.analysis.sparse.ArticleProjection` (handed
to igraph as arrays, never through networkx) or a simple undirected networkx graph.  Methods:
``"leiden"`` (igraph's), ``"louvain"`` and ``"label_propagation"`` (networkx), and ``"auto"``,
which is Leiden.  igraph's Leiden is used rather than leidenalg's: it optimises the same
modularity and was 20 times faster on a 1M-edge graph.  Groups come largest first, ties by
their first node in graph order, so ids are numbered by size and reproducible.  Reported
modularity is the standard one (resolution 1) whatever *resolution* the clustering used.

*initial* warm-starts Leiden from an earlier partition (:mod:`.churn` keeps its ids): each
node keeps its group there; a node it does not place (new, or unclustered then) starts in the
group it is most strongly linked to (the summed weight of its edges into each group; ties to
the lower group), or alone when it has no edge into one.  Only the nodes near what changed
move one by one: those *initial* does not place, those named in *changed*, and their
neighbours, and every member of a group that lost members (the graph no longer shows which
links went with them).  Every other node moves with the rest of its earlier group, contracted into one
node (its weight the members' total strength), so the groups the update did not reach can
still merge or take in new nodes but are not taken apart and rebuilt.  That is where a plain
warm start went wrong: Leiden's refinement rebuilds every group from single nodes, and on a
corpus of loosely separated communities a 1% update moved 11% of the articles it never
reached; contracted, 3.5%, at a modularity 0.1% lower (``benchmarks/bench_churn.py``).  Louvain and label propagation start
from single nodes whatever *initial* says.

On a big projection (100,000 edges or more) Leiden runs in a forked child that
sends back only each node's group and the modularity: this process never holds igraph's copy
of the projection (about as big as the projection itself, and the peak of ``newsgraph analyze``
on a million articles, beside the graph).  The result is the same as in this process.
*meanwhile* is work of the caller's that does not need the partition (the corpus-wide part of
the labels, say): :func:`partition` calls it in this process while the child runs, so both
cores work (when Leiden runs here, it is called after clustering).

>>> import networkx as nx
>>> partition(nx.barbell_graph(4, 0), method="louvain", seed=0).groups
[[0, 1, 2, 3], [4, 5, 6, 7]]
"""

from __future__ import annotations

import functools
import os
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

import networkx as nx
import numpy as np

from newsgraph.graph._runtime import Forked
from newsgraph.graph.analysis import _igraph
from newsgraph.graph.analysis.sparse import ArticleProjection

__all__ = ["METHODS", "Clustering", "partition"]

Method = Literal["auto", "leiden", "louvain", "label_propagation"]

#: The names :func:`partition` accepts as ``method``.
METHODS: tuple[str, ...] = ("auto", "leiden", "louvain", "label_propagation")

# Until an iteration improves nothing (igraph's -1), not igraph's default of 2: about 1.5 times
# the time on a 1M-edge graph, but the partition is then one Leiden leaves (nearly) as it is,
# so a warm start from it does not go on improving what the update did not touch (after 2
# passes, a warm start went on to move 12% of the real corpus's articles).
_LEIDEN_ITERATIONS = -1

#: From this many edges of a projection, Leiden runs in a forked child (see the module docstring).
_FORK_MIN_EDGES: Final = 100_000


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
    initial: Mapping[Hashable, int | None] | None = None,
    changed: Collection[Hashable] = (),
    meanwhile: Callable[[], object] | None = None,
) -> Clustering:
    """Partition *graph* into groups of densely linked nodes (from *initial*, with Leiden);
    *meanwhile*, when given, is called once, while Leiden runs in a forked child if it does.

    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> partition(G, initial={n: n // 4 for n in range(7)}).groups  # node 7 joins group 1
    [[0, 1, 2, 3], [4, 5, 6, 7]]
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method == "auto":
        method = "leiden"
    forked = _forks(graph, method)
    if isinstance(graph, ArticleProjection) and method == "leiden":
        nodes: list[Hashable] = list(graph.nodes)
        if not _igraph.available():
            raise ImportError(_NO_IGRAPH)
        work = functools.partial(
            _projection_leiden, graph, nodes, initial, changed, resolution, seed
        )
        membership, modularity = _in_forked_child(work, meanwhile) if forked else work()
        raw = _groups(membership)
        inner = _projection_inner(graph, membership)
    else:
        if isinstance(graph, ArticleProjection):
            nodes = list(graph.nodes)
            g = graph.to_igraph() if graph.n_edges else None
            H = graph.to_networkx() if method != "leiden" else None
        else:
            nodes = list(graph)
            H = graph
            g = _igraph.to_igraph(graph, weight)[0] if graph.number_of_edges() else None
        if method == "leiden":
            raw = _leiden_groups(g, nodes, initial, changed, resolution, seed)
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
        raw, membership = _numbered(raw, len(nodes))
        modularity = float(g.modularity(membership, weights="weight")) if g is not None else 0.0
        inner = _inner_strength(g, membership) if g is not None else [0.0] * len(nodes)
    groups = [[nodes[i] for i in group] for group in raw]
    if meanwhile is not None and not forked:  # nothing to run beside: after, as the caller would
        meanwhile()
    return Clustering(groups, modularity, method, dict(zip(nodes, inner, strict=True)))


_NO_IGRAPH: Final = (
    "method='leiden' needs igraph: pip install igraph; method='louvain' needs nothing more"
)


def _leiden_groups(
    g: Any,
    nodes: Sequence[Hashable],
    initial: Mapping[Hashable, int | None] | None,
    changed: Collection[Hashable],
    resolution: float,
    seed: int | None,
) -> list[list[int]]:
    start = _initial(g, nodes, initial) if initial is not None and g is not None else None
    if start is not None:
        assert initial is not None
        return _settled_leiden(g, nodes, start, initial, changed, resolution, seed)
    return _leiden(g, len(nodes), resolution, seed)


def _numbered(raw: list[list[int]], n: int) -> tuple[list[list[int]], list[int]]:
    """The groups largest first (ties by their first node), and each node's group number."""
    raw = sorted((sorted(group) for group in raw), key=lambda grp: (-len(grp), grp[0]))
    membership = [0] * n
    for cid, group in enumerate(raw):
        for i in group:
            membership[i] = cid
    return raw, membership


def _groups(membership: Sequence[int]) -> list[list[int]]:
    """The groups of a numbered membership, by number (members in order)."""
    groups: list[list[int]] = [[] for _ in range(max(membership, default=-1) + 1)]
    for i, cid in enumerate(membership):
        groups[cid].append(i)
    return groups


def _projection_leiden(
    graph: ArticleProjection,
    nodes: Sequence[Hashable],
    initial: Mapping[Hashable, int | None] | None,
    changed: Collection[Hashable],
    resolution: float,
    seed: int | None,
) -> tuple[list[int], float]:
    """Leiden on a projection: each node's group number (as :func:`_numbered` gives them) and
    the modularity."""
    g = graph.to_igraph() if graph.n_edges else None
    raw = _leiden_groups(g, nodes, initial, changed, resolution, seed)
    _, membership = _numbered(raw, len(nodes))
    modularity = float(g.modularity(membership, weights="weight")) if g is not None else 0.0
    return membership, modularity


def _projection_inner(graph: ArticleProjection, membership: Sequence[int]) -> list[float]:
    """:func:`_inner_strength` from the projection's arrays (the same sums, in the same order)."""
    group = np.asarray(membership, dtype=np.int64)
    same = group[graph.source] == group[graph.target]
    ends = np.column_stack((graph.source[same], graph.target[same])).ravel()
    weights = np.repeat(graph.weight[same], 2)
    inner: list[float] = np.bincount(ends, weights=weights, minlength=graph.n_nodes).tolist()
    return inner


def _forks(graph: ArticleProjection | nx.Graph, method: str) -> bool:
    """Whether :func:`partition` runs Leiden in a forked child (see the module docstring)."""
    return (
        isinstance(graph, ArticleProjection)
        and method == "leiden"
        and graph.n_edges >= _FORK_MIN_EDGES
        and hasattr(os, "fork")
    )


def _in_forked_child(work: Callable[[], Any], meanwhile: Callable[[], object] | None = None) -> Any:
    """What ``work()`` returns, run in a forked child (its memory goes when it ends), while
    this process calls ``meanwhile()`` (what it raises stops the child)."""
    with Forked(work, "the forked Leiden process") as child:
        if meanwhile is not None:
            meanwhile()
        return child.result()


def _leiden(g: Any, n: int, resolution: float, seed: int | None) -> list[list[int]]:
    if not _igraph.available():
        raise ImportError(_NO_IGRAPH)
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


def _settled_leiden(
    g: Any,
    nodes: Sequence[Hashable],
    start: list[int],
    initial: Mapping[Hashable, int | None],
    changed: Collection[Hashable],
    resolution: float,
    seed: int | None,
) -> list[list[int]]:
    """Leiden from *start* where only the nodes near what changed move one by one: every
    other node moves with the rest of its previous group, as one contracted node."""
    present = set(nodes)
    # A group that lost members may fall apart: we no longer see the links it lost.
    lost = {group for node, group in initial.items() if group is not None and node not in present}
    free = [
        (group := initial.get(node)) is None or group in lost or node in changed for node in nodes
    ]
    changed = [i for i, f in enumerate(free) if f]
    for i in changed:
        for j in g.neighbors(i):
            free[j] = True
    blocks: dict[tuple[str, int], int] = {}
    block = [
        blocks.setdefault(("alone", i) if free[i] else ("group", start[i]), len(blocks))
        for i in range(len(nodes))
    ]
    h = g.copy()
    h.contract_vertices(block, combine_attrs=None)
    h.simplify(multiple=True, loops=False, combine_edges={"weight": "sum"})
    first = [0] * len(blocks)
    for i, b in enumerate(block):
        first[b] = start[i]
    with _igraph.seeded(seed):
        found = h.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            initial_membership=first,
            n_iterations=_LEIDEN_ITERATIONS,
            # A contracted group's weight is its members' total strength, internal edges
            # (now loops) included; igraph's default leaves loops out and merges everything.
            node_weights=h.strength(weights="weight"),
        )
    groups: dict[int, list[int]] = defaultdict(list)
    for i, b in enumerate(block):
        groups[found.membership[b]].append(i)
    return list(groups.values())


def _initial(
    g: Any, nodes: Sequence[Hashable], initial: Mapping[Hashable, int | None]
) -> list[int]:
    """Each node's starting group: its group in *initial*, else its most strongly linked one,
    else a group of its own; numbered 0.. for igraph."""
    given = [initial.get(node) for node in nodes]
    pull: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for (a, b), w in zip(g.get_edgelist(), g.es["weight"], strict=True):
        if given[a] is None and given[b] is not None:
            pull[a][given[b]] += w
        if given[b] is None and given[a] is not None:
            pull[b][given[a]] += w
    start: list[Hashable] = []
    for i, group in enumerate(given):
        if group is None and nodes[i] not in initial and pull[i]:
            group = min(pull[i], key=lambda c: (-pull[i][c], c))
        start.append(("given", group) if group is not None else ("alone", i))
    number: dict[Hashable, int] = {}
    return [number.setdefault(s, len(number)) for s in start]


def _inner_strength(g: Any, membership: Sequence[int]) -> list[float]:
    """Each node's total edge weight inside its own group (how central it is there)."""
    source, target = zip(*g.get_edgelist(), strict=True) if g.ecount() else ((), ())
    inner: dict[int, float] = defaultdict(float)
    for a, b, w in zip(source, target, g.es["weight"], strict=True):
        if membership[a] == membership[b]:
            inner[a] += w
            inner[b] += w
    return [inner.get(i, 0.0) for i in range(g.vcount())]
