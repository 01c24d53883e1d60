"""The graph in a Jupyter notebook: one call to an interactive ipysigma widget.

:func:`show` draws a newsgraph graph with `ipysigma <https://github.com/medialab/ipysigma>`_
(the ``notebooks`` extra), reduced and coloured as the standalone page does
(:func:`newsgraph.exporters.views.layout.build_view`, the colours of
:mod:`newsgraph.exporters.views.palette`), sized by degree, with ipysigma's search box and
a panel with the details of the clicked node.  Positions are computed in Python and
ipysigma's own layout is not started, so the picture is the same each time.

Safety: ipysigma puts some values into its legend and detail panel as markup, so every
text value handed to it is HTML-escaped (``<`` becomes ``&lt;``); the canvas labels then
show such characters escaped.

Offline and exported notebooks: the widget also carries a PNG of the same view, which
frontends without the widget's JavaScript (GitHub's viewer, a notebook exported to HTML
without widget state) show instead of an empty cell.  JupyterLab saves no widget state by
default; nbclient and ``jupyter nbconvert --execute`` do, and nbconvert then exports the
live widget, whose scripts load from the web (an empty cell offline).  Export with
``jupyter nbconvert --to html --ClearMetadataPreprocessor.enabled=True`` to get the picture.

Not supported: editing the graph from the widget, or saving it as a standalone page (use
the ``html`` export, which works offline; ipysigma's own pages load scripts from the web).

>>> from newsgraph.graph.examples import toy_graph
>>> G = toy_graph()
>>> H = view_graph(G, build_view(G, max_nodes=10))  # what show(G, max_nodes=10) draws
>>> H.number_of_nodes(), H.nodes["topic:ai"]["kind"]
(10, 'topic')
"""

from __future__ import annotations

import base64
import html
import importlib
import io
from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx

from newsgraph.exporters.values import MISSING, plain
from newsgraph.exporters.views.html import COLOR_BY, ColorBy
from newsgraph.exporters.views.layout import Reduce, View, build_view
from newsgraph.exporters.views.palette import KIND_COLOURS, OTHER, group_colours
from newsgraph.graph.analysis import Communities

__all__ = ["show", "static_png", "view_graph"]

# Colour groups of nodes in no community or without a provider, drawn grey.
_UNGROUPED = frozenset({"other", "none", "not an article or provider"})
# Opaque or long values that would only clutter ipysigma's detail panel.
_LEFT_OUT = frozenset({"secured", "title_original", "excerpt_original", "extra", "sources", "urls"})


def show(
    G: nx.Graph,
    *,
    color_by: ColorBy = "kind",
    max_nodes: int = 20_000,
    reduce: Reduce = "sample",
    communities: Communities | bool = True,
    seed: int = 0,
    height: int = 600,
    **sigma_options: Any,
) -> Any:
    """An ipysigma widget showing *G* (display it by leaving it last in a cell).

    *color_by* is ``"kind"``, ``"community"`` or ``"provider"``; nodes are sized by their
    degree in *G*.  *max_nodes*, *reduce*, *communities* and *seed* are those of
    :func:`newsgraph.exporters.views.layout.build_view`; other keyword arguments go to
    ``ipysigma.Sigma``.  Raises ImportError when ipysigma is not installed.
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    try:
        ipysigma = importlib.import_module("ipysigma")
    except ImportError as err:
        raise ImportError(
            "show() needs ipysigma: pip install ipysigma (or newsgraph[notebooks])"
        ) from err
    view = build_view(G, max_nodes=max_nodes, reduce=reduce, communities=communities, seed=seed)
    H = view_graph(G, view, color_by=color_by)
    palette = _palette(H)
    # Short ids: every edge names both ends, and news keys are long URLs (on the real corpus
    # this shrinks the widget data from 16 MB to 5 MB).  The key stays an attribute.  H names
    # its nodes by their escaped keys (a key with "<" or a quote kept its long name before).
    drawn = view.nodes[: view.drawn]
    H = nx.relabel_nodes(H, {_escaped(n.key): str(i) for i, n in enumerate(drawn)})
    options: dict[str, Any] = {
        "name": _escaped(view.note or f"{view.drawn:,} nodes"),
        "height": height,
        "node_color": "colour_group",
        "node_color_palette": palette,
        "node_size": "degree",
        "node_label": "label",
        "layout": {n: {"x": d["x"], "y": d["y"]} for n, d in H.nodes(data=True)},
        "start_layout": False,
        "default_edge_type": "line",
        "edge_color": "kind",
    }
    widget = ipysigma.Sigma(H, **(options | sigma_options))
    png = static_png(H, palette)
    bundle = widget._repr_mimebundle_

    def with_fallback(**kwargs: Any) -> Any:
        # The widget's own output, plus a picture for frontends that cannot run it.
        data = bundle(**kwargs)
        if isinstance(data, tuple):
            data, metadata = data
            return {**data, "image/png": png}, metadata
        return {**(data or {}), "image/png": png}

    widget._repr_mimebundle_ = with_fallback
    return widget


def view_graph(G: nx.Graph, view: View, *, color_by: ColorBy = "kind") -> nx.Graph:
    """The drawn graph: an undirected graph of the view's drawn nodes, flat escaped attributes.

    Lists become comma-separated text, ``None`` is left out and text is HTML-escaped,
    because ipysigma shows attributes as they are (some as markup).  ``y`` is flipped, as
    sigma draws upwards.  ``colour_group`` is what the node is coloured by.

    >>> from newsgraph.exporters.views.layout import build_view
    >>> G = nx.Graph([("<a>", "b")])
    >>> H = view_graph(G, build_view(G, communities=False))
    >>> sorted(H.nodes["&lt;a&gt;"]), H.nodes["&lt;a&gt;"]["label"]
    (['colour_group', 'community', 'community_label', 'degree', 'key', 'kind', 'label', 'x', 'y'], '&lt;a&gt;')
    """
    drawn = view.nodes[: view.drawn]
    providers = _providers(G, view)
    groups = {
        "kind": [n.kind for n in drawn],
        "community": [_community_label(view, n.community) for n in drawn],
        "provider": [providers.get(n.key, "not an article or provider") for n in drawn],
    }[color_by]
    colours, _ = group_colours(Counter(groups))
    H = nx.Graph()
    for n, group in zip(drawn, groups, strict=True):
        attrs = dict(G.nodes[n.node]) if n.node is not None else {}
        flat = {str(k): _flat(v) for k, v in attrs.items() if k not in _LEFT_OUT}
        node = _escaped(n.key)
        H.add_node(node, **{_escaped(k): v for k, v in flat.items() if v is not MISSING})
        H.nodes[node].update(
            key=node,
            kind=_escaped(n.kind),
            label=_escaped(n.label),
            degree=n.degree,
            community=n.community,
            community_label=_escaped(_community_label(view, n.community)),
            colour_group=_escaped(group if color_by == "kind" or group in colours else "other"),
            x=n.x,
            y=-n.y,
        )
    for i, j, kind in view.edges:
        H.add_edge(_escaped(drawn[i].key), _escaped(drawn[j].key), kind=_escaped(kind or "link"))
    return H


def static_png(H: nx.Graph, palette: Mapping[str, str], *, width: int = 900) -> str:
    """A PNG (base64) of the drawn graph *H*, coloured by ``colour_group`` with *palette*.

    >>> H = nx.Graph([("a", "b")]); nx.set_node_attributes(H, {"a": 0, "b": 1}, "x")
    >>> nx.set_node_attributes(H, 0, "y"); nx.set_node_attributes(H, 1, "degree")
    >>> static_png(H, {}).startswith("iVBOR")
    True
    """
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width / 100, width / 160), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    xy = {n: (d.get("x", 0.0), d.get("y", 0.0)) for n, d in H.nodes(data=True)}
    ax.add_collection(
        LineCollection(
            [(xy[u], xy[v]) for u, v in H.edges()], colors="#c9ced6", linewidths=0.3, zorder=1
        )
    )
    most = max((d.get("degree", 1) for _, d in H.nodes(data=True)), default=1) or 1
    ax.scatter(
        [p[0] for p in xy.values()],
        [p[1] for p in xy.values()],
        s=[2 + 40 * (d.get("degree", 0) / most) ** 0.5 for _, d in H.nodes(data=True)],
        c=[palette.get(str(d.get("colour_group")), OTHER) for _, d in H.nodes(data=True)],
        linewidths=0,
        zorder=2,
    )
    ax.autoscale()
    ax.set_aspect("equal", adjustable="datalim")
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return base64.b64encode(out.getvalue()).decode("ascii")


def _palette(H: nx.Graph) -> dict[str, str]:
    groups = Counter(str(g) for _, g in H.nodes(data="colour_group"))
    known = {_escaped(k): c for k, c in KIND_COLOURS.items()}
    # Nodes in no group are grey, as on the page, not a colour of their own.
    plain = {g: c for g, c in groups.items() if g not in _UNGROUPED}
    colours, _ = group_colours(Counter(plain))
    return {g: known.get(g) or colours.get(g) or OTHER for g in groups}


def _providers(G: nx.Graph, view: View) -> dict[str, str]:
    """The provider name of each drawn article and provider."""
    names: dict[str, str] = {}
    for n in view.nodes[: view.drawn]:
        if n.node is None:
            continue
        if n.kind == "provider":
            names[n.key] = n.label
        elif n.kind == "article":
            near = G.successors(n.node) if G.is_directed() else G.neighbors(n.node)
            found = sorted(
                str(G.nodes[p].get("label") or p)
                for p in near
                if G.nodes[p].get("kind") == "provider"
            )
            if found:
                names[n.key] = found[0]
    return names


def _community_label(view: View, community: int) -> str:
    if 0 <= community < len(view.communities):
        return f"{community}: {view.communities[community]}"
    return "none"


def _escaped(value: object) -> str:
    return html.escape(str(value), quote=True)


def _flat(value: Any) -> Any:
    cleaned = plain(value)
    if isinstance(cleaned, list):
        return _escaped(", ".join(str(v) for v in cleaned))
    if isinstance(cleaned, dict):
        return _escaped(", ".join(f"{k}: {v}" for k, v in sorted(cleaned.items())))
    if isinstance(cleaned, str):
        return _escaped(cleaned)
    return cleaned
