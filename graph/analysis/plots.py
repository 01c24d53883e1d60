"""Matplotlib figures: community map, degree distribution, topic co-occurrence, timeline.

Each function draws into the given ``ax`` or a new :class:`~matplotlib.figure.Figure` and
returns the Axes (its figure is ``ax.figure``; save it with ``ax.figure.savefig(path)``).
Figures are made without pyplot, so no backend is chosen or forced here and nothing is shown
unless you show it; this is also why graphs are drawn with plain scatter and line collections
rather than networkx's drawing functions, which import pyplot.

Large graphs are never drawn node by node: above *max_nodes* the community map shows one disc
per community.  Not supported: interactive figures (use the ``html`` exporter).

>>> from newsgraph.graph.examples import toy_graph
>>> ax = plot_degree_distribution(toy_graph())
>>> ax.get_xscale(), ax.get_yscale()
('log', 'log')
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Collection, Hashable
from typing import Any

import networkx as nx

from newsgraph.graph.analysis._facts import kind_of
from newsgraph.graph.analysis.communities import Communities, Community
from newsgraph.graph.analysis.projections import DEFAULT_KINDS, kind_graph, topic_cooccurrence
from newsgraph.graph.analysis.timeline import Timeline

__all__ = [
    "plot_communities",
    "plot_cooccurrence",
    "plot_degree_distribution",
    "plot_timeline",
]

_OTHER = "#bbbbbb"


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained").add_subplot()


def _colour(cid: int, n_coloured: int = 20) -> Any:
    from matplotlib import colormaps

    return colormaps["tab20"](cid % 20) if cid < n_coloured else _OTHER


def _short(text: str, width: int = 28) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def plot_communities(
    G: nx.Graph,
    communities: Communities,
    *,
    ax: Any = None,
    max_nodes: int = 400,
    top: int = 20,
    kinds: Collection[str] | None = DEFAULT_KINDS,
    seed: int = 0,
) -> Any:
    """Map the communities: nodes coloured by community, or one disc per community when the
    clustered graph has more than *max_nodes* nodes (the *top* largest, linked by the weight of
    the edges between them).

    >>> from newsgraph.graph.examples import toy_graph
    >>> from newsgraph.graph.analysis.communities import find_communities
    >>> G = toy_graph()
    >>> ax = plot_communities(G, find_communities(G, method="louvain"), max_nodes=5)
    >>> len(ax.texts)
    3
    """
    from matplotlib.collections import LineCollection

    ax = _axes(ax, (10, 8))
    H = kind_graph(G, kinds)
    members = [n for n in H if n in communities.membership]
    if len(members) <= max_nodes:
        H = H.subgraph(members)
        pos = nx.spring_layout(H, seed=seed, weight="weight")
        shown = {c.id for c in communities.rows[:top]}
    else:
        H, pos = _community_graph(H, communities, top, seed)
        shown = set(H)
    weights = [w for *_, w in H.edges(data="weight", default=1.0)]
    widths = [0.3 + 2.5 * w / max(weights) for w in weights] if weights else 0.5
    ax.add_collection(
        LineCollection(
            [(pos[u], pos[v]) for u, v in H.edges()],
            colors="#999999",
            linewidths=widths,
            alpha=0.4,
            zorder=1,
        )
    )
    if members and len(members) <= max_nodes:
        cids = [communities.membership[n] for n in H]
        ax.scatter(
            [pos[n][0] for n in H],
            [pos[n][1] for n in H],
            s=24,
            zorder=2,
            c=[_colour(c) for c in cids],
            edgecolors="white",
            linewidths=0.4,
        )
        centres: dict[int, list[tuple[float, float]]] = defaultdict(list)
        for n, cid in zip(H, cids, strict=True):
            centres[cid].append(pos[n])
        anchors = {
            cid: (sum(x for x, _ in ps) / len(ps), sum(y for _, y in ps) / len(ps))
            for cid, ps in centres.items()
            if cid in shown
        }
    else:
        sizes = [communities.rows[c].size for c in H]
        ax.scatter(
            [pos[c][0] for c in H],
            [pos[c][1] for c in H],
            zorder=2,
            s=[60 + 1200 * s / max(sizes) for s in sizes],
            c=[_colour(c) for c in H],
            edgecolors="white",
            linewidths=0.8,
        )
        anchors = {c: pos[c] for c in H}
    for cid, (x, y) in anchors.items():
        ax.annotate(
            _map_label(communities.rows[cid]),
            (x, y),
            fontsize=7,
            ha="center",
            va="center",
            zorder=3,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    shown_note = f"; the {len(anchors)} largest labelled" if len(anchors) < len(communities) else ""
    ax.set_title(
        f"{len(communities)} communities ({communities.method}), "
        f"modularity {communities.modularity:.3f}{shown_note}"
    )
    ax.set_axis_off()
    ax.autoscale_view()
    return ax


def _map_label(community: Community) -> str:
    """Two short lines: the community's topics (else provider), then its keywords."""
    first = " · ".join(community.topics[:2]) or " · ".join(community.providers[:1])
    lines = [_short(text, 30) for text in (first, ", ".join(community.keywords)) if text]
    return "\n".join([f"#{community.id} {lines[0]}" if lines else f"#{community.id}", *lines[1:]])


def _community_graph(
    H: nx.Graph, communities: Communities, top: int, seed: int
) -> tuple[nx.Graph, dict[Hashable, Any]]:
    """The graph of the *top* largest communities, edges weighted by the links between them."""
    weights: Counter[tuple[int, int]] = Counter()
    membership = communities.membership
    for u, v, w in H.edges(data="weight", default=1.0):
        a, b = membership.get(u), membership.get(v)
        if a is not None and b is not None and a != b and a < top and b < top:
            weights[(min(a, b), max(a, b))] += w
    C = nx.Graph()
    C.add_nodes_from(c.id for c in communities.rows[:top])
    C.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    # Lay out by link strength relative to the sizes, with a faint pull between every pair so
    # that communities linked to none stay in the picture instead of drifting to its edge.
    sizes = {c: communities.rows[c].size for c in C}
    strength = {(a, b): w / math.sqrt(sizes[a] * sizes[b]) for (a, b), w in weights.items()}
    strongest = max(strength.values(), default=1.0)
    L = nx.complete_graph(C)
    for a, b in L.edges():
        L[a][b]["weight"] = 0.02 + strength.get((min(a, b), max(a, b)), 0.0) / strongest
    return C, nx.spring_layout(L, seed=seed, weight="weight")


def plot_degree_distribution(
    G: nx.Graph, *, ax: Any = None, kinds: Collection[str] | None = None
) -> Any:
    """How many nodes have each degree, per node kind, on log–log axes (all kinds by default).

    Degree counts edges in both directions, as stored in *G*.
    """
    ax = _axes(ax, (7, 5))
    by_kind: dict[str, Counter[int]] = defaultdict(Counter)
    for node, degree in G.degree():
        kind = kind_of(G, node) or "node"
        if degree > 0 and (kinds is None or kind in kinds):
            by_kind[kind][degree] += 1
    for kind in sorted(by_kind):
        points = sorted(by_kind[kind].items())
        ax.scatter([d for d, _ in points], [n for _, n in points], s=12, alpha=0.8, label=kind)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("degree")
    ax.set_ylabel("number of nodes")
    ax.set_title("Degree distribution")
    if by_kind:
        ax.legend(frameon=False)
    return ax


def plot_cooccurrence(G: nx.Graph, *, ax: Any = None, top: int = 20) -> Any:
    """A heatmap of how often the *top* most frequent topics appear in the same articles.

    >>> from newsgraph.graph.examples import toy_graph
    >>> ax = plot_cooccurrence(toy_graph(), top=3)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['AI', 'Energy', 'Football']
    """
    ax = _axes(ax, (9, 8))
    C = topic_cooccurrence(G)
    topics = sorted(C, key=lambda t: (-C.nodes[t]["count"], C.nodes[t]["label"]))[:top]
    # Zero and the diagonal stay blank; a log scale keeps one topic that is everywhere from
    # flattening the rest.
    matrix = [
        [C[a][b]["weight"] if a != b and C.has_edge(a, b) else math.nan for b in topics]
        for a in topics
    ]
    from matplotlib.colors import LogNorm

    largest = max((v for row in matrix for v in row if not math.isnan(v)), default=1)
    image = ax.imshow(
        matrix, cmap="viridis", interpolation="nearest", norm=LogNorm(vmin=1, vmax=max(2, largest))
    )
    labels = [_short(C.nodes[t]["label"], 24) for t in topics]
    ax.set_xticks(range(len(topics)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(topics)), labels, fontsize=8)
    ax.set_title(f"Topic co-occurrence (articles about both), top {len(topics)} topics")
    ax.set_facecolor("white")
    ax.figure.colorbar(image, ax=ax, shrink=0.8, label="articles")
    return ax


def plot_timeline(timeline: Timeline, *, ax: Any = None) -> Any:
    """One line per group of a :class:`~newsgraph.graph.analysis.timeline.Timeline`.

    >>> from newsgraph.graph.examples import toy_graph
    >>> from newsgraph.graph.analysis.timeline import articles_over_time
    >>> ax = plot_timeline(articles_over_time(toy_graph(), by="provider"))
    >>> len(ax.get_lines())
    3
    """
    ax = _axes(ax, (10, 5))
    for group in timeline.groups:
        periods, counts = timeline.series(group)
        ax.plot(
            periods,
            counts,
            label=_short(group, 40),
            linewidth=1.4,
            marker="o" if len(periods) < 30 else None,
            markersize=3,
        )
    ax.set_ylabel(f"articles per {timeline.freq}")
    ax.set_title(f"Articles over time by {timeline.by}")
    if timeline.groups:
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    ax.figure.autofmt_xdate()
    return ax
