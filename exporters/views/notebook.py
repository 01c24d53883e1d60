"""The graph in a Jupyter notebook: one call to an interactive ipysigma widget.

:func:`show` draws a newsgraph graph with `ipysigma <https://github.com/medialab/ipysigma>`_
(the ``notebooks`` extra): colour by kind or community, size by degree, ipysigma's search
box and a panel with the details of the clicked node.  Large graphs are reduced first (see
:func:`newsgraph.exporters.views.layout.build_view`), and the widget's name says how, so the browser never
has to draw more than *max_nodes* nodes.  Positions are computed in Python and ipysigma's
own layout is not started, so the picture is the same each time.

Not supported: editing the graph from the widget, or saving it as a standalone page (use
the ``html`` export, which works offline; ipysigma's own pages load scripts from the web).

>>> from newsgraph.graph.examples import toy_graph
>>> G = toy_graph()
>>> H = view_graph(G, build_view(G, max_nodes=10))  # what show(G, max_nodes=10) draws
>>> H.number_of_nodes(), H.nodes["topic:ai"]["kind"]
(10, 'topic')
"""

from __future__ import annotations

import importlib
from typing import Any, Literal

import networkx as nx

from newsgraph.exporters.values import MISSING, plain
from newsgraph.exporters.views.layout import Reduce, View, build_view
from newsgraph.graph.analysis import Communities

__all__ = ["show", "view_graph"]

ColourBy = Literal["kind", "community"]

# Opaque or long values that would only clutter ipysigma's detail panel.
_LEFT_OUT = frozenset({"secured", "title_original", "excerpt_original", "extra", "sources", "urls"})


def show(
    G: nx.Graph,
    *,
    color_by: ColourBy = "kind",
    max_nodes: int = 1000,
    reduce: Reduce = "top",
    communities: Communities | bool = True,
    seed: int = 0,
    height: int = 600,
    **sigma_options: Any,
) -> Any:
    """An ipysigma widget showing *G* (display it by leaving it last in a cell).

    *color_by* is ``"kind"`` or ``"community"``; nodes are sized by their degree in *G*.
    *max_nodes*, *reduce*, *communities* and *seed* are those of
    :func:`newsgraph.exporters.views.layout.build_view`; other keyword arguments go to ``ipysigma.Sigma``.
    Raises ImportError when ipysigma is not installed.
    """
    if color_by not in ("kind", "community"):
        raise ValueError(f"color_by must be 'kind' or 'community', not {color_by!r}")
    try:
        ipysigma = importlib.import_module("ipysigma")
    except ImportError as err:
        raise ImportError(
            "show() needs ipysigma: pip install ipysigma (or newsgraph[notebooks])"
        ) from err
    view = build_view(G, max_nodes=max_nodes, reduce=reduce, communities=communities, seed=seed)
    # Short ids: every edge names both ends, and news keys are long URLs (on the real corpus
    # this shrinks the widget data from 16 MB to 5 MB).  The key stays an attribute.
    H = nx.relabel_nodes(view_graph(G, view), {n.key: str(i) for i, n in enumerate(view.nodes)})
    options: dict[str, Any] = {
        "name": view.note or f"{len(view.nodes):,} nodes",
        "height": height,
        "node_color": "community_label" if color_by == "community" else "kind",
        "node_size": "degree",
        "node_label": "label",
        "layout": {n: {"x": d["x"], "y": d["y"]} for n, d in H.nodes(data=True)},
        "start_layout": False,
        "default_edge_type": "line",
        "edge_color": "kind",
    }
    return ipysigma.Sigma(H, **(options | sigma_options))


def view_graph(G: nx.Graph, view: View) -> nx.Graph:
    """The drawn graph: an undirected graph of the view's nodes with flat, plain attributes.

    Lists become comma-separated text and ``None`` is left out, because ipysigma shows
    attributes as they are.  ``y`` is flipped, as sigma draws upwards.

    >>> from newsgraph.exporters.views.layout import build_view
    >>> G = nx.Graph([("a", "b")])
    >>> H = view_graph(G, build_view(G, communities=False))
    >>> sorted(H.nodes["a"])
    ['community', 'community_label', 'degree', 'key', 'kind', 'label', 'x', 'y']
    """
    H = nx.Graph()
    for n in view.nodes:
        attrs = dict(G.nodes[n.node]) if n.node is not None else {}
        flat = {str(k): _flat(v) for k, v in attrs.items() if k not in _LEFT_OUT}
        label = (
            view.communities[n.community] if 0 <= n.community < len(view.communities) else "none"
        )
        H.add_node(n.key, **{k: v for k, v in flat.items() if v is not MISSING})
        H.nodes[n.key].update(
            key=n.key,
            kind=n.kind,
            label=n.label,
            degree=n.degree,
            community=n.community,
            community_label=f"{n.community}: {label}" if n.community >= 0 else label,
            x=n.x,
            y=-n.y,
        )
    for i, j, kind in view.edges:
        H.add_edge(view.nodes[i].key, view.nodes[j].key, kind=kind or "link")
    return H


def _flat(value: Any) -> Any:
    cleaned = plain(value)
    if isinstance(cleaned, list):
        return ", ".join(str(v) for v in cleaned)
    if isinstance(cleaned, dict):
        return ", ".join(f"{k}: {v}" for k, v in sorted(cleaned.items()))
    return cleaned
