"""What the graph views draw: the graph, reduced representatively when it is too large, laid out.

Both views, the standalone page (:mod:`newsgraph.exporters.views.html`) and the notebook
widget (:mod:`newsgraph.exporters.views.notebook`), start from :func:`build_view`.  Up to
*max_nodes* every node is drawn.  Above it the graph is reduced, and :attr:`View.note` and
:attr:`View.left_out` say what was left out:

- ``reduce="sample"`` (default) keeps nodes in proportion from every input root, kind and
  community (each group keeps at least one node, its best-connected first), with every edge
  between the kept nodes; the nodes left out stay in the view, undrawn, for search;
- ``reduce="top"`` keeps the best-connected nodes (images last);
- ``reduce="communities"`` draws one node per community, sized by its members.

The layout scales (see :mod:`newsgraph.exporters.views.placement`): groups (communities)
are placed by a force layout of the group graph, and each group's nodes inside its disc,
by igraph's Fruchterman-Reingold when igraph is installed, else by a small force layout
or a spiral.  The same graph gives the same view on the same installation.  Between two
nodes one edge is drawn, of the smallest kind.

>>> from newsgraph.graph.examples import toy_graph
>>> view = build_view(toy_graph(), max_nodes=5, seed=0)
>>> view.drawn, len(view.nodes), view.note.startswith("Showing 5 of 24 nodes")
(5, 24, True)
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from newsgraph.exporters.values import sorted_nodes
from newsgraph.exporters.views.labels import group_labels, node_groups, quick_communities
from newsgraph.exporters.views.placement import EXTENT, place_groups, spring_positions
from newsgraph.exporters.views.sources import node_roots
from newsgraph.graph.analysis import Communities, find_communities

__all__ = ["EXTENT", "REDUCE", "Reduce", "View", "ViewNode", "build_view", "spring_positions"]

Reduce = Literal["sample", "top", "communities"]
REDUCE: tuple[str, ...] = ("sample", "top", "communities")

#: Above this many nodes, communities are found by a quicker method, labelled more simply.
LABELLED_COMMUNITIES = 20_000
#: How many edges of a node left out are kept for the page to bring it in with.
MAX_INDEX_EDGES = 50


@dataclass(frozen=True, slots=True)
class ViewNode:
    """One node: ``node`` is the graph's node (``None`` for a community node); ``x``/``y``
    are ``nan`` for nodes that are not drawn."""

    key: str
    node: Hashable | None
    kind: str
    label: str
    x: float
    y: float
    degree: int
    community: int
    root: str


@dataclass(frozen=True)
class View:
    """Drawn nodes first (sorted by key), then the undrawn ones (sorted by key).

    ``edges`` join drawn nodes; ``index_edges`` join an undrawn node to at most
    :data:`MAX_INDEX_EDGES` neighbours, for bringing it in.  ``left_out`` counts the nodes
    not drawn by ``kind``, ``root`` and ``community`` (and the ``edges`` not drawn).
    """

    nodes: tuple[ViewNode, ...]
    drawn: int
    edges: tuple[tuple[int, int, str], ...]
    index_edges: tuple[tuple[int, int, str], ...]
    communities: tuple[str, ...]
    total_nodes: int
    total_edges: int
    note: str | None
    left_out: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def _in_key_order(G: nx.Graph) -> nx.Graph:
    """A copy of *G* with its nodes and edges in key order, for community detection, which
    follows the order a graph was built in: the same graph must give the same view however it
    was built.  (Every other step sorts what it reads, so large graphs are never copied.)"""
    H = G.__class__()
    H.graph.update(G.graph)
    H.add_nodes_from((node, G.nodes[node]) for node in sorted_nodes(G))
    if G.is_multigraph():
        edges = G.edges(keys=True, data=True)
        H.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))))
    else:
        H.add_edges_from(sorted(G.edges(data=True), key=lambda e: (str(e[0]), str(e[1]))))
    return H


def build_view(
    G: nx.Graph,
    *,
    max_nodes: int = 100_000,
    reduce: Reduce = "sample",
    communities: Communities | bool = True,
    seed: int = 0,
) -> View:
    """Reduce *G* to at most *max_nodes* drawn nodes, colour it by community and lay it out.

    *communities*: ``True`` uses the nodes' ``community`` attributes where present (from
    :func:`newsgraph.graph.analysis.annotate`; labelled from ``G.graph["community_labels"]``
    or from their members' topics and providers), else finds them with *seed* (above
    :data:`LABELLED_COMMUNITIES` nodes by a quicker method, labelled the same simple way); a
    :class:`~newsgraph.graph.analysis.Communities` result is used as given; ``False`` skips
    them.

    >>> import networkx as nx
    >>> view = build_view(nx.path_graph(3), communities=False)
    >>> [(n.key, n.degree) for n in view.nodes], view.edges
    ([('0', 1), ('1', 2), ('2', 1)], ((0, 1, ''), (1, 2, '')))
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if reduce not in REDUCE:
        raise ValueError(f"reduce must be one of {', '.join(REDUCE)}, not {reduce!r}")
    pairs = _pairs(G)
    membership, labels = _membership(G, pairs, communities, seed)
    roots = node_roots(G)
    degree = dict(G.degree())
    if len(G) > max_nodes and reduce == "communities":
        if not labels:
            raise ValueError("reduce='communities' needs communities")
        return _community_view(G, membership, labels, roots, degree, pairs, max_nodes, seed)
    if len(G) <= max_nodes:
        keep: list[Hashable] = list(G)
    elif reduce == "top":
        keep = _top(G, degree, max_nodes)
    else:
        keep = _sample(G, degree, roots, membership, max_nodes)
    kept = set(keep)
    order = sorted(keep, key=str)
    rest = sorted((n for n in G if n not in kept), key=str)
    index = {n: i for i, n in enumerate([*order, *rest])}
    edges, index_edges = _split_edges(pairs, index, len(order), degree)
    groups = [membership.get(n, -1) for n in order]
    xy = place_groups(len(order), [(i, j) for i, j, _ in edges], groups, seed=seed)
    nan = float("nan")
    nodes = tuple(
        ViewNode(
            str(n),
            n,
            str(G.nodes[n].get("kind", "")),
            _label(G.nodes[n], n),
            x,
            y,
            degree[n],
            membership.get(n, -1),
            roots.get(n, ""),
        )
        for n, (x, y) in zip([*order, *rest], [*xy, *[(nan, nan)] * len(rest)], strict=True)
    )
    left_out = _left_out(nodes[len(order) :], labels, len(pairs) - len(edges))
    note = _note(len(order), len(G), reduce, left_out) if rest else None
    return View(
        nodes,
        len(order),
        tuple(edges),
        tuple(index_edges),
        tuple(labels),
        len(G),
        len(pairs),
        note,
        left_out,
    )


def _pairs(G: nx.Graph) -> dict[tuple[Hashable, Hashable], str]:
    """One undirected edge per linked pair, of the smallest kind (insertion order never matters)."""
    kinds: dict[tuple[Hashable, Hashable], str] = {}
    for u, v, kind in G.edges(data="kind"):
        if u == v:
            continue
        pair = (u, v) if str(u) <= str(v) else (v, u)
        text = str(kind or "")
        old = kinds.get(pair)
        if old is None or text < old:
            kinds[pair] = text
    return kinds


def _split_edges(
    pairs: Mapping[tuple[Hashable, Hashable], str],
    index: Mapping[Hashable, int],
    drawn: int,
    degree: Mapping[Hashable, int],
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    edges, around = [], defaultdict(list)
    for (u, v), kind in pairs.items():
        i, j = sorted((index[u], index[v]))
        if j < drawn:
            edges.append((i, j, kind))
        else:
            around[j].append((i, kind))
            if i >= drawn:
                around[i].append((j, kind))
    edges.sort()
    nodes = sorted(index, key=index.__getitem__)
    # For a node left out, its best-connected neighbours, so the page can bring it in.
    index_edges = set()
    for j, near in around.items():
        near.sort(key=lambda ik: (-degree[nodes[ik[0]]], ik[0]))
        for i, kind in near[:MAX_INDEX_EDGES]:
            index_edges.add((min(i, j), max(i, j), kind))
    return edges, sorted(index_edges)


def _sample(
    G: nx.Graph,
    degree: Mapping[Hashable, int],
    roots: Mapping[Hashable, str],
    membership: Mapping[Hashable, int],
    max_nodes: int,
) -> list[Hashable]:
    """Nodes in proportion from every (root, kind, community) group, best-connected first."""
    strata: dict[tuple[str, str, int], list[Hashable]] = defaultdict(list)
    for n, kind in G.nodes(data="kind"):
        strata[(roots.get(n, ""), str(kind or ""), membership.get(n, -1))].append(n)
    quota = _quotas({k: len(v) for k, v in strata.items()}, max_nodes)
    keep: list[Hashable] = []
    for key, members in strata.items():
        members.sort(key=lambda n: (-degree[n], str(n)))
        keep.extend(members[: quota[key]])
    return keep


def _quotas(
    sizes: Mapping[tuple[str, str, int], int], total: int
) -> dict[tuple[str, str, int], int]:
    """Shares of *total* in proportion to *sizes*, at least one each while there is room
    (largest remainders, ties by group), never more than a group holds.

    >>> _quotas({("a", "x", 0): 90, ("a", "y", 0): 9, ("b", "x", 0): 1}, 10)
    {('a', 'x', 0): 8, ('a', 'y', 0): 1, ('b', 'x', 0): 1}
    """
    keys = sorted(sizes, key=lambda k: (-sizes[k], k))
    quota = dict.fromkeys(keys, 0)
    for k in keys[:total]:  # every group first, the largest first when they are too many
        quota[k] = 1
    room = total - sum(quota.values())
    whole = sum(sizes.values())
    if room > 0:
        want = {k: sizes[k] * total / whole for k in keys}
        for k in keys:
            quota[k] = min(sizes[k], max(quota[k], math.floor(want[k])))
        room = total - sum(quota.values())
        by_remainder = sorted(keys, key=lambda k: (-(want[k] - math.floor(want[k])), k))
        while room > 0:
            grew = False
            for k in by_remainder:
                if room and quota[k] < sizes[k]:
                    quota[k] += 1
                    room -= 1
                    grew = True
            if not grew:
                break
        while room < 0:  # the minimum of one pushed the total over: take from the largest
            for k in keys:
                if room < 0 and quota[k] > 1:
                    quota[k] -= 1
                    room += 1
    return quota


def _top(G: nx.Graph, degree: Mapping[Hashable, int], max_nodes: int) -> list[Hashable]:
    ranked = sorted(G, key=lambda n: (G.nodes[n].get("kind") == "image", -degree[n], str(n)))
    return ranked[:max_nodes]


def _left_out(
    nodes: Sequence[ViewNode], labels: Sequence[str], edges: int
) -> dict[str, dict[str, int]]:
    def counted(values: Counter[str]) -> dict[str, int]:
        return dict(sorted(values.items(), key=lambda kv: (-kv[1], kv[0])))

    return {
        "nodes": {"all": len(nodes)},
        "edges": {"all": edges},
        "kind": counted(Counter(n.kind for n in nodes)),
        "root": counted(Counter(n.root or "(none)" for n in nodes)),
        "community": counted(
            Counter(
                f"{n.community}: {labels[n.community]}"
                if 0 <= n.community < len(labels)
                else "none"
                for n in nodes
            )
        ),
    }


def _note(drawn: int, total: int, reduce: str, left_out: Mapping[str, Mapping[str, int]]) -> str:
    how = {
        "sample": "in proportion from every input root, kind and community",
        "top": "the best-connected",
    }[reduce]
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in left_out["kind"].items())
    return (
        f"Showing {drawn:,} of {total:,} nodes, {how}; left out: {kinds} "
        f"and {left_out['edges']['all']:,} edges (search still finds them)."
    )


def _membership(
    G: nx.Graph,
    pairs: Mapping[tuple[Hashable, Hashable], str],
    communities: Communities | bool,
    seed: int,
) -> tuple[dict[Hashable, int], list[str]]:
    if communities is False or G.number_of_nodes() == 0:
        return {}, []
    if isinstance(communities, Communities):
        return dict(communities.membership), communities.labels()
    given = node_groups(G, "community")
    if given:
        return given, group_labels(G, given, "community_labels")
    if len(G) > LABELLED_COMMUNITIES:
        # find_communities' labels read every headline: minutes on a large graph.
        quick = quick_communities(G, pairs, seed)
        return quick, group_labels(G, quick, "community_labels")
    found = find_communities(_in_key_order(G), seed=seed)
    return dict(found.membership), found.labels()


def _community_view(
    G: nx.Graph,
    membership: Mapping[Hashable, int],
    labels: Sequence[str],
    roots: Mapping[Hashable, str],
    degree: Mapping[Hashable, int],
    pairs: Mapping[tuple[Hashable, Hashable], str],
    max_nodes: int,
    seed: int,
) -> View:
    sizes = Counter(membership[n] for n in G if n in membership)
    shown = sorted(sorted(sizes, key=lambda c: (-sizes[c], c))[:max_nodes])
    index = {c: i for i, c in enumerate(shown)}
    links = sorted(
        {
            (min(index[a], index[b]), max(index[a], index[b]))
            for u, v in pairs
            if (a := membership.get(u)) in index and (b := membership.get(v)) in index and a != b
        }
    )
    xy = spring_positions(len(index), links, seed=seed)
    nan = float("nan")
    nodes = [
        ViewNode(f"community:{c}", None, "community", labels[c], x, y, sizes[c], c, "")
        for c, (x, y) in zip(shown, xy, strict=True)
    ]
    rest = sorted(G, key=str)
    nodes += [
        ViewNode(
            str(n),
            n,
            str(G.nodes[n].get("kind", "")),
            _label(G.nodes[n], n),
            nan,
            nan,
            degree[n],
            membership.get(n, -1),
            roots.get(n, ""),
        )
        for n in rest
    ]
    at = {n: i for i, n in enumerate(rest)}
    _, index_edges = _split_edges(pairs, at, 0, degree)
    index_edges = [(i + len(shown), j + len(shown), k) for i, j, k in index_edges]
    left_out = _left_out(nodes[len(shown) :], labels, len(pairs))
    note = (
        f"Showing {len(shown):,} communities of {len(G):,} nodes, one node per community"
        f" sized by its members{'' if len(shown) == len(sizes) else ' (largest first)'}"
        " (search still finds every node)."
    )
    return View(
        tuple(nodes),
        len(shown),
        tuple((i, j, "") for i, j in links),
        tuple(index_edges),
        tuple(labels),
        len(G),
        len(pairs),
        note,
        left_out,
    )


def _label(data: Mapping[str, object], node: Hashable) -> str:
    label = data.get("label")
    return label if isinstance(label, str) and label else str(node)
