"""Matplotlib figures: degree distribution, topic co-occurrence, timeline (and, from
:mod:`.community_map`, the community map).

Each function draws into the given ``ax`` or a new :class:`~matplotlib.figure.Figure` and
returns the Axes (its figure is ``ax.figure``; save it with ``ax.figure.savefig(path)``).
Figures are made without pyplot, so no backend is chosen or forced here and nothing is shown
unless you show it.

Fit for a report: a few outliers never set an axis (limits cover the central mass of the data,
and what falls outside is counted in a note on the plot), colour bars tick at plain numbers,
and titles say what is shown.  Not supported: interactive figures (use the ``html`` exporter).

>>> from newsgraph.examples import toy_graph
>>> ax = plot_degree_distribution(toy_graph())
>>> ax.get_xscale(), ax.get_yscale()
('log', 'log')
"""

from __future__ import annotations

import math
import textwrap
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import date, timedelta
from typing import Any

import networkx as nx

from newsgraph.graph.analysis._facts import kind_of
from newsgraph.graph.analysis._robust import robust_range
from newsgraph.graph.analysis.community_map import plot_communities
from newsgraph.graph.analysis.projections import topic_cooccurrence
from newsgraph.graph.analysis.slices import Moment, time_slice
from newsgraph.graph.analysis.timeline import Timeline

__all__ = [
    "plot_communities",
    "plot_cooccurrence",
    "plot_degree_distribution",
    "plot_timeline",
]

# The share of the data an axis always shows; the rest, at either end, is noted instead.
_SHOWN = 0.99


def _axes(ax: Any, size: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    from matplotlib.figure import Figure

    return Figure(figsize=size, layout="constrained").add_subplot()


def _short(text: str, width: int = 28) -> str:
    return textwrap.shorten(text, width=width, placeholder="…")


def _note(ax: Any, text: str) -> None:
    """Add a note under the x-axis label, where it covers no mark."""
    label = ax.get_xlabel()
    ax.set_xlabel(f"{label}\n{text}" if label else text)


def plot_degree_distribution(
    G: nx.Graph,
    *,
    ax: Any = None,
    kinds: Collection[str] | None = None,
    since: Moment = None,
    until: Moment = None,
) -> Any:
    """How many nodes have each degree, per node kind, on log–log axes (all kinds by default).

    Degree counts edges in both directions, as stored in *G*.  Degrees that stand more than
    three times above the next one (a hub far above the rest) are left off the axis and noted.
    """
    ax = _axes(ax, (7, 5))
    ax.set_xlabel("degree (edges of a node)")
    G = time_slice(G, since=since, until=until)
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
    degrees = sorted({d for counts in by_kind.values() for d in counts}, reverse=True)
    # A degree far above every other (a hub) would set the axis: cut off degrees that stand
    # more than three times above the next one, and note them.
    kept = 0
    while kept + 1 < len(degrees) and degrees[kept] > 3 * degrees[kept + 1]:
        kept += 1
    if kept:
        limit = 2 * degrees[kept]
        ax.set_xlim(0.8, limit)
        hubs = sum(n for counts in by_kind.values() for d, n in counts.items() if d > limit)
        _note(ax, f"{hubs} node(s) with degree above {limit:,} not shown (largest {degrees[0]:,})")
    ax.set_ylabel("number of nodes")
    ax.set_title("Degree distribution by node kind")
    if by_kind:
        ax.legend(frameon=False)
    return ax


def plot_cooccurrence(
    G: nx.Graph, *, ax: Any = None, top: int = 20, since: Moment = None, until: Moment = None
) -> Any:
    """A heatmap of how often the *top* most frequent topics appear in the same articles.

    The colour scale is logarithmic and ends at the 97.5th percentile of the counts when the
    largest is more than three times that, so one pair that is everywhere does not wash out the
    rest (the colour bar's arrow marks larger ones).

    >>> from newsgraph.examples import toy_graph
    >>> ax = plot_cooccurrence(toy_graph(), top=3)
    >>> [t.get_text() for t in ax.get_xticklabels()]
    ['AI', 'Energy', 'Football']
    """
    from matplotlib.colors import LogNorm
    from matplotlib.ticker import FuncFormatter, LogLocator

    ax = _axes(ax, (9, 8))
    C = topic_cooccurrence(time_slice(G, since=since, until=until))
    topics = sorted(C, key=lambda t: (-C.nodes[t]["count"], C.nodes[t]["label"]))[:top]
    # Zero and the diagonal stay blank.
    matrix = [
        [C[a][b]["weight"] if a != b and C.has_edge(a, b) else math.nan for b in topics]
        for a in topics
    ]
    values = [v for row in matrix for v in row if not math.isnan(v)]
    largest = max(values, default=1)
    _, high = robust_range(values or [1], share=0.95)
    vmax = max(2.0, high if largest > 3 * high else largest)
    image = ax.imshow(
        matrix, cmap="viridis", interpolation="nearest", norm=LogNorm(vmin=1, vmax=vmax)
    )
    labels = [_short(C.nodes[t]["label"], 24) for t in topics]
    ax.set_xticks(range(len(topics)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(topics)), labels, fontsize=8)
    ax.set_title(f"Topic co-occurrence: articles about both, for the {len(topics)} largest topics")
    ax.set_facecolor("white")
    bar = ax.figure.colorbar(
        image, ax=ax, shrink=0.8, label="articles", extend="max" if largest > vmax else "neither"
    )
    bar.locator = LogLocator(subs=(1.0, 2.0, 5.0))
    bar.formatter = FuncFormatter(lambda v, _: f"{v:,.0f}")
    bar.minorticks_off()
    bar.update_ticks()
    return ax


def plot_timeline(timeline: Timeline, *, ax: Any = None) -> Any:
    """One line per group of a :class:`~newsgraph.graph.analysis.timeline.Timeline`.

    The time axis covers 99% of the articles; a few very old or very new ones are counted in
    a note under the axis instead of stretching it.

    >>> from newsgraph.examples import toy_graph
    >>> from newsgraph.graph.analysis.timeline import articles_over_time
    >>> ax = plot_timeline(articles_over_time(toy_graph(), by="provider"))
    >>> len(ax.get_lines()), ax.get_title()
    (3, 'Articles per month, for the 3 largest providers')
    """
    ax = _axes(ax, (10, 5))
    totals: Counter[date] = Counter()
    for point in timeline.rows:
        totals[point.period] += point.count
    periods = sorted(p for p, n in totals.items() if n)
    first, last = periods[0] if periods else None, periods[-1] if periods else None
    if periods:
        first_n, last_n = robust_range(
            [p.toordinal() for p in periods], [totals[p] for p in periods], share=_SHOWN
        )
        shown = [p for p in periods if first_n <= p.toordinal() <= last_n]
        first, last = shown[0], shown[-1]
    for group in timeline.groups:
        xs, ys = timeline.series(group)
        pairs = [
            (x, y) for x, y in zip(xs, ys, strict=True) if first and last and first <= x <= last
        ]
        ax.plot(
            [x for x, _ in pairs],
            [y for _, y in pairs],
            label=_short(group, 40),
            linewidth=1.4,
            marker="o" if len(pairs) < 30 else None,
            markersize=3,
        )
    if periods and first and last:
        before = sum(totals[p] for p in periods if p < first)
        after = sum(totals[p] for p in periods if p > last)
        pad = timedelta(days=1)
        ax.set_xlim(first - pad, last + pad)
        if before or after:
            parts = [f"{before} article(s) before {first:%Y-%m-%d}" if before else "",
                     f"{after} after {last:%Y-%m-%d}" if after else ""]  # fmt: skip
            _note(ax, "not shown: " + ", ".join(p for p in parts if p))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(f"articles per {timeline.freq}")
    ax.set_title(_timeline_title(timeline))
    if timeline.groups and timeline.by != "all":
        ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1, 1))
    ax.figure.autofmt_xdate()
    return ax


def _timeline_title(timeline: Timeline) -> str:
    head = f"Articles per {timeline.freq}"
    if timeline.by == "all":
        return head
    plural = {"story": "stories", "community": "communities"}.get(timeline.by, timeline.by + "s")
    return f"{head}, for the {len(timeline.groups)} largest {plural}"
