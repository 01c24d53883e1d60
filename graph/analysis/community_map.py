"""The community map: a figure of the communities and the links between them.

Up to *max_nodes* clustered nodes, every node is drawn, placed by
:func:`~newsgraph.graph.analysis.layout.layout_positions` (igraph, about linear in the graph)
and coloured by community.  Above that, one disc per community for the *top* largest, sized by
members and linked by the weight of the edges between them; its cost follows the number of
edges once (array sums over the projection), never the square of the nodes.

Labels never cover the marks or each other: the communities are listed in a legend beside the
map ("#id label [size]"), and each disc gets its id only where the id fits clear of every
disc and every other id.  The view covers the central 90% of the marks and a third of their
span around it; the few a layout throws far out are counted in a note.

>>> from newsgraph.examples import toy_graph
>>> from newsgraph.graph.analysis.communities import find_communities
>>> G = toy_graph()
>>> ax = plot_communities(G, find_communities(G), max_nodes=5)
>>> len(ax.get_legend().get_texts())
3
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Collection, Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from newsgraph.graph.analysis._robust import robust_range
from newsgraph.graph.analysis.communities import Communities
from newsgraph.graph.analysis.labels import Community
from newsgraph.graph.analysis.layout import layout_positions
from newsgraph.graph.analysis.projections import DEFAULT_KINDS, kind_graph
from newsgraph.graph.analysis.sparse import ArticleProjection, article_projection

__all__ = ["plot_communities"]

_OTHER = "#bbbbbb"
# tab20 dark shades first, then the light ones: the ten largest get ten distinct hues.
_ORDER = [*range(0, 20, 2), *range(1, 20, 2)]


def _colour(cid: int) -> Any:
    from matplotlib import colormaps

    return colormaps["tab20"](_ORDER[cid]) if cid < 20 else _OTHER


def plot_communities(
    G: nx.Graph | ArticleProjection,
    communities: Communities,
    *,
    ax: Any = None,
    max_nodes: int = 400,
    top: int = 20,
    kinds: Collection[str] | None = DEFAULT_KINDS,
    seed: int = 0,
    pos: Mapping[Hashable, tuple[float, float]] | None = None,
) -> Any:
    """Map the communities of *G* (a newsgraph graph, the graph that was clustered, or an
    article projection); *pos* gives node positions instead of the layout."""
    from matplotlib.collections import LineCollection

    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(12, 8), layout="constrained").add_subplot()
    H = _clustered(G, communities, kinds, seed)
    top = min(top, len(communities))
    nodes: list[Any]
    edges: list[tuple[Any, Any]]
    positions: Mapping[Any, Any]
    if len(communities.membership) <= max_nodes:
        nodes, edges, weights, positions = _node_level(H, communities, seed, pos)
        cids = [communities.membership[n] for n in nodes]
        sizes = [30.0] * len(nodes)
    else:
        nodes, edges, weights, positions = _community_level(H, communities, top, seed)
        cids = [int(c) for c in nodes]
        size_of = {c.id: c.size for c in communities.rows}
        largest = max((size_of[c] for c in cids), default=1)
        sizes = [80 + 1400 * math.sqrt(size_of[c] / largest) for c in cids]
    if edges:
        widths = [0.3 + 2.5 * w / max(weights) for w in weights]
        segments = [(positions[u], positions[v]) for u, v in edges]
        ax.add_collection(
            LineCollection(segments, colors="#999999", linewidths=widths, alpha=0.35, zorder=1)
        )
    xy = np.array([positions[n] for n in nodes], dtype=float).reshape(-1, 2)
    ax.scatter(
        xy[:, 0], xy[:, 1], s=sizes, c=[_colour(c) for c in cids], zorder=2,
        edgecolors="white", linewidths=0.6,
    )  # fmt: skip
    hidden = _robust_view(ax, xy)
    drawn = set(cids)
    shown = [c for c in communities.rows if c.id in drawn][:top]  # rows are largest first
    _legend(ax, shown)
    if len(communities.membership) > max_nodes:
        _place_ids(ax, xy, sizes, cids)
    what = "articles" if communities.on == "articles" else "nodes"
    level = "one disc per community" if len(communities.membership) > max_nodes else "every node"
    ax.set_title(
        f"{len(communities)} communities of \u2265 {communities.min_size} {what}, "
        f"{len(communities.unclustered)} {what} unclustered (not drawn)\n{level}, the "
        f"{len(shown)} largest listed; {communities.method}, modularity "
        f"{communities.modularity:.2f}",
        fontsize=9,
    )
    if hidden:
        ax.set_title(
            f"{ax.get_title()}\n{hidden} mark(s) far outside the view not shown", fontsize=9
        )
    ax.set_axis_off()
    return ax


def _clustered(
    G: nx.Graph | ArticleProjection, communities: Communities, kinds: Any, seed: int
) -> nx.Graph | ArticleProjection:
    if isinstance(G, ArticleProjection) or not (G.is_directed() or G.is_multigraph()):
        return G
    if communities.on == "articles":
        return article_projection(G, seed=seed)
    return kind_graph(G, kinds)


def _edge_arrays(H: nx.Graph | ArticleProjection) -> tuple[list[Hashable], Any, Any, Any]:
    if isinstance(H, ArticleProjection):
        return list(H.nodes), H.source, H.target, H.weight
    nodes = list(H)
    index = {n: i for i, n in enumerate(nodes)}
    triples = [(index[u], index[v], float(w)) for u, v, w in H.edges(data="weight", default=1.0)]
    arr = np.array(triples, dtype=float).reshape(-1, 3)
    return nodes, arr[:, 0].astype(int), arr[:, 1].astype(int), arr[:, 2]


def _node_level(
    H: nx.Graph | ArticleProjection,
    communities: Communities,
    seed: int,
    pos: Mapping[Hashable, tuple[float, float]] | None,
) -> tuple[list[Any], list[tuple[Any, Any]], list[float], Mapping[Any, Any]]:
    nodes, source, target, weight = _edge_arrays(H)
    keep = [n for n in nodes if n in communities.membership]
    kept = set(keep)
    edges, weights = [], []
    for i, j, w in zip(source.tolist(), target.tolist(), weight.tolist(), strict=True):
        if nodes[i] in kept and nodes[j] in kept:
            edges.append((nodes[i], nodes[j]))
            weights.append(w)
    if pos is None:
        sub = nx.Graph()
        sub.add_nodes_from(keep)
        sub.add_weighted_edges_from((u, v, w) for (u, v), w in zip(edges, weights, strict=True))
        pos = layout_positions(sub, seed=seed)
    return keep, edges, weights, pos


def _community_level(
    H: nx.Graph | ArticleProjection, communities: Communities, top: int, seed: int
) -> tuple[list[Any], list[tuple[Any, Any]], list[float], Mapping[Any, Any]]:
    nodes, source, target, weight = _edge_arrays(H)
    cid = np.array([communities.membership.get(n, -1) for n in nodes], dtype=np.int64)
    # The *top* largest; after an update (stable ids) they are not always ids 0..top-1.
    shown = [c.id for c in communities.rows[:top]]
    a, b = cid[source], cid[target]
    ok = (a != b) & np.isin(a, shown) & np.isin(b, shown)
    lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
    totals: Counter[tuple[int, int]] = Counter()
    for x, y, w in zip(lo.tolist(), hi.tolist(), weight[ok].tolist(), strict=True):
        totals[(x, y)] += w
    # Lay out by link strength relative to the sizes, with a faint pull between every pair so
    # that communities linked to none stay in the picture instead of drifting to its edge.
    sizes = {c.id: c.size for c in communities.rows[:top]}
    strength = {(x, y): w / math.sqrt(sizes[x] * sizes[y]) for (x, y), w in totals.items()}
    strongest = max(strength.values(), default=1.0)
    L = nx.complete_graph(shown)
    for x, y in L.edges():
        L[x][y]["weight"] = 0.02 + strength.get((min(x, y), max(x, y)), 0.0) / strongest
    positions = nx.spring_layout(L, seed=seed, weight="weight") if shown else {}
    pairs = sorted(totals)
    return shown, pairs, [totals[p] for p in pairs], positions


def _robust_view(ax: Any, xy: Any) -> int:
    """Limit the view to the central 90% of the marks plus a third of that span on each side
    (all of a layout's usual spread); return how many marks fall outside."""
    if len(xy) < 5:
        ax.autoscale_view()
        ax.margins(0.15)
        return 0
    (x0, x1), (y0, y1) = (robust_range(xy[:, k], share=0.9) for k in (0, 1))
    dx, dy = (x1 - x0) / 3 or 0.5, (y1 - y0) / 3 or 0.5
    ax.set_xlim(x0 - dx, x1 + dx)
    ax.set_ylim(y0 - dy, y1 + dy)
    outside = (
        (xy[:, 0] < x0 - dx) | (xy[:, 0] > x1 + dx) | (xy[:, 1] < y0 - dy) | (xy[:, 1] > y1 + dy)
    )
    return int(outside.sum())


def _legend(ax: Any, rows: list[Community]) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=8, color=_colour(c.id),
               label=f"#{c.id} {_short(c.label, 60)} [{c.size}]")
        for c in rows
    ]  # fmt: skip
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7,
                  frameon=False, title="community [articles]", title_fontsize=8)  # fmt: skip


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def _place_ids(ax: Any, xy: Any, sizes: list[float], cids: list[int]) -> None:
    """Write each disc's id beside it where it covers no disc and no other id; else leave it
    to the legend."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = ax.figure
    canvas = figure.canvas if hasattr(figure.canvas, "get_renderer") else FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    figure.draw_without_rendering()
    points = ax.transData.transform(xy)
    scale = figure.dpi / 72
    radii = [math.sqrt(s) / 2 * scale for s in sizes]
    discs = list(zip(points.tolist(), radii, strict=True))
    taken: list[Any] = []
    for k in np.argsort([-s for s in sizes], kind="stable"):
        r = radii[k] / scale + 1
        for dx, dy, ha, va in ((r, r, "left", "bottom"), (-r, r, "right", "bottom"),
                               (r, -r, "left", "top"), (-r, -r, "right", "top")):  # fmt: skip
            text = ax.annotate(
                f"#{cids[k]}", xy[k], xytext=(dx * 0.72, dy * 0.72), textcoords="offset points",
                ha=ha, va=va, fontsize=7, zorder=3,
            )  # fmt: skip
            box = text.get_window_extent(renderer)
            if not any(_covers(box, c, rad) for c, rad in discs) and not any(
                box.overlaps(t) for t in taken
            ):
                taken.append(box)
                break
            text.remove()


def _covers(box: Any, centre: list[float], radius: float) -> bool:
    """Whether a text box covers part of a disc (the box point nearest the centre is inside)."""
    x = min(max(centre[0], box.x0), box.x1)
    y = min(max(centre[1], box.y0), box.y1)
    return bool((x - centre[0]) ** 2 + (y - centre[1]) ** 2 < radius**2)
