"""What the graph views draw: a graph reduced to a size a browser copes with, laid out.

Both views, the standalone page (:mod:`newsgraph.exporters.views.html`) and the notebook widget
(:mod:`newsgraph.exporters.views.notebook`), start from :func:`build_view`.  Above *max_nodes* a graph is
reduced, and the view says so in :attr:`View.note`:

- ``reduce="top"`` (default) hides images first, then keeps the best-connected nodes
  (ties broken by key), so known articles can still be searched;
- ``reduce="communities"`` draws one node per community, sized by its members.

Positions come from a seeded force-directed layout, so the same graph gives the same view on
the same installation.  Not supported: more than a few thousand nodes in one view (the
layout is quadratic in the node count); between two nodes one edge is drawn, of the
smallest kind.

>>> from newsgraph.graph.examples import toy_graph
>>> view = build_view(toy_graph(), max_nodes=5, seed=0)
>>> len(view.nodes), view.note
(5, 'Showing the 5 best-connected of 24 nodes (images hidden).')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np

from newsgraph.graph.analysis import Communities, find_communities

__all__ = ["Reduce", "View", "ViewNode", "build_view", "spring_positions"]

Reduce = Literal["top", "communities"]

#: The side of the square the positions are scaled to.
EXTENT = 1000.0


@dataclass(frozen=True, slots=True)
class ViewNode:
    """One drawn node: ``node`` is the graph's node, ``None`` for a community node."""

    key: str
    node: Hashable | None
    kind: str
    label: str
    x: float
    y: float
    degree: int
    community: int


@dataclass(frozen=True)
class View:
    """Nodes sorted by key, edges as ``(i, j, kind)`` indices into ``nodes``, community labels."""

    nodes: tuple[ViewNode, ...]
    edges: tuple[tuple[int, int, str], ...]
    communities: tuple[str, ...]
    total_nodes: int
    note: str | None


def build_view(
    G: nx.Graph,
    *,
    max_nodes: int = 1000,
    reduce: Reduce = "top",
    communities: Communities | bool = True,
    seed: int = 0,
) -> View:
    """Reduce *G* to at most *max_nodes* nodes, colour it by community and lay it out.

    *communities*: ``True`` uses the nodes' ``community`` attributes where present (from
    :func:`newsgraph.graph.analysis.annotate`), else finds them with *seed*; a
    :class:`~newsgraph.graph.analysis.Communities` result is used as given; ``False`` skips them.

    >>> import networkx as nx
    >>> view = build_view(nx.path_graph(3), communities=False)
    >>> [(n.key, n.degree) for n in view.nodes], view.edges
    ([('0', 1), ('1', 2), ('2', 1)], ((0, 1, ''), (1, 2, '')))
    """
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes}")
    if reduce not in ("top", "communities"):
        raise ValueError(f"reduce must be 'top' or 'communities', not {reduce!r}")
    membership, labels = _membership(G, communities, seed)
    if G.number_of_nodes() > max_nodes and reduce == "communities":
        if not labels:
            raise ValueError("reduce='communities' needs communities")
        return _community_view(G, membership, labels, max_nodes, seed)
    degree = dict(G.degree())
    keep, note = _top_nodes(G, degree, max_nodes)
    order = sorted(keep, key=str)
    index = {n: i for i, n in enumerate(order)}
    kinds: dict[tuple[int, int], str] = {}
    for u, v, kind in G.subgraph(keep).edges(data="kind"):
        if u != v:
            pair = (min(index[u], index[v]), max(index[u], index[v]))
            # The smallest kind, so the view does not depend on the order edges were added.
            kinds[pair] = min(kinds.get(pair, str(kind or "")), str(kind or ""))
    edges = sorted(kinds.items())
    xy = spring_positions(len(order), [e for e, _ in edges], seed=seed)
    nodes = tuple(
        ViewNode(
            str(n),
            n,
            str(G.nodes[n].get("kind", "")),
            _label(G.nodes[n], n),
            float(x),
            float(y),
            degree[n],
            membership.get(n, -1),
        )
        for n, (x, y) in zip(order, xy, strict=True)
    )
    return View(nodes, tuple((i, j, k) for (i, j), k in edges), tuple(labels), len(G), note)


def spring_positions(
    n: int, edges: Sequence[tuple[int, int]], *, seed: int = 0, iterations: int = 60
) -> list[tuple[float, float]]:
    """A Fruchterman-Reingold layout of nodes ``0..n-1`` in ``[0, 1000]``, rounded.

    The longer side of the drawing spans the square; the other is centred in it.

    >>> xy = spring_positions(3, [(0, 1), (1, 2)])
    >>> len(xy), max(max(p) for p in xy), min(min(p) for p in xy)
    (3, 1000.0, 0.0)
    """
    # networkx's spring_layout switches to a solver that loops in Python above 500 nodes
    # (about 15 s for 1,000 nodes of the real corpus); this dense numpy version takes 0.6 s.
    # A weak pull to the centre keeps isolated nodes from flying to the corners.
    if n == 0:
        return []
    adjacency = np.zeros((n, n), dtype=np.float32)
    for i, j in edges:
        adjacency[i, j] = adjacency[j, i] = 1.0
    # Each node's pull is shared among its edges (scaled by 1/sqrt(degree)), so dense
    # groups such as stories linked to one another open up instead of collapsing to a dot.
    degree = np.maximum(adjacency.sum(axis=1), np.float32(1))
    adjacency /= np.sqrt(degree)[:, None]
    x, y = np.random.default_rng(seed).random((2, n), dtype=np.float32)
    k2 = np.float32(1.0 / n)
    k = np.sqrt(k2)
    step = np.float32(0.1)
    cool = step / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = np.maximum(dx * dx + dy * dy, np.float32(1e-6))
        force = k2 / d2 - adjacency * np.sqrt(d2) / k
        mx = (dx * force).sum(axis=1) - 2 * (x - x.mean())
        my = (dy * force).sum(axis=1) - 2 * (y - y.mean())
        length = np.maximum(np.hypot(mx, my), np.float32(1e-2))
        x += mx * step / length
        y += my * step / length
        step -= cool
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
    x = (x - x.min()) * (EXTENT / span) + (EXTENT - float(np.ptp(x)) * EXTENT / span) / 2
    y = (y - y.min()) * (EXTENT / span) + (EXTENT - float(np.ptp(y)) * EXTENT / span) / 2
    return [(round(float(a), 1), round(float(b), 1)) for a, b in zip(x, y, strict=True)]


def _membership(
    G: nx.Graph, communities: Communities | bool, seed: int
) -> tuple[dict[Hashable, int], list[str]]:
    if communities is False or G.number_of_nodes() == 0:
        return {}, []
    if isinstance(communities, Communities):
        return dict(communities.membership), [row.label for row in communities.rows]
    given = {
        n: c
        for n, c in G.nodes(data="community")
        if isinstance(c, int) and not isinstance(c, bool) and c >= 0
    }
    if given:
        return given, [f"community {i}" for i in range(max(given.values()) + 1)]
    found = find_communities(G, seed=seed)
    return dict(found.membership), [row.label for row in found.rows]


def _top_nodes(
    G: nx.Graph, degree: Mapping[Hashable, int], max_nodes: int
) -> tuple[list[Hashable], str | None]:
    if len(G) <= max_nodes:
        return list(G), None
    candidates = [n for n, kind in G.nodes(data="kind") if kind != "image"]
    hidden = " (images hidden)" if len(candidates) < len(G) else ""
    if len(candidates) <= max_nodes:
        return candidates, f"Showing {len(candidates):,} of {len(G):,} nodes{hidden}."
    keep = sorted(candidates, key=lambda n: (-degree[n], str(n)))[:max_nodes]
    return keep, f"Showing the {max_nodes:,} best-connected of {len(G):,} nodes{hidden}."


def _community_view(
    G: nx.Graph,
    membership: Mapping[Hashable, int],
    labels: Sequence[str],
    max_nodes: int,
    seed: int,
) -> View:
    sizes = Counter(membership[n] for n in G if n in membership)
    shown = sorted(sizes, key=lambda c: (-sizes[c], c))[:max_nodes]
    index = {c: i for i, c in enumerate(sorted(shown))}
    pairs = sorted(
        {
            (min(index[a], index[b]), max(index[a], index[b]))
            for u, v in G.edges()
            if (a := membership.get(u)) in index and (b := membership.get(v)) in index and a != b
        }
    )
    xy = spring_positions(len(index), pairs, seed=seed)
    nodes = tuple(
        ViewNode(f"community:{c}", None, "community", labels[c], x, y, sizes[c], c)
        for c, (x, y) in zip(sorted(shown), xy, strict=True)
    )
    note = (
        f"Showing {len(shown):,} communities of {len(G):,} nodes, one node per community"
        f" sized by its members{'' if len(shown) == len(sizes) else ' (largest first)'}."
    )
    return View(nodes, tuple((i, j, "") for i, j in pairs), tuple(labels), len(G), note)


def _label(data: Mapping[str, object], node: Hashable) -> str:
    label = data.get("label")
    return label if isinstance(label, str) and label else str(node)
