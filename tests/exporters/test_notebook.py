"""The notebook view: an ipysigma widget of the (reduced) graph, laid out in Python."""

from __future__ import annotations

import base64
import html
import sys
from pathlib import Path

import networkx as nx
import pytest

from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.views.layout import build_view
from newsgraph.exporters.views.notebook import show, view_graph
from newsgraph.graph.analysis import find_communities
from newsgraph.graph.examples import toy_graph

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "hostile_graph.json"


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    return graph_from_json(HOSTILE.read_bytes())


def widget_nodes(widget: object) -> dict[str, dict[str, object]]:
    data = widget.data  # type: ignore[attr-defined]
    return {n["attributes"]["key"]: n["attributes"] for n in data["nodes"]}


def test_show_draws_every_node_coloured_by_kind_and_sized_by_degree() -> None:
    G = toy_graph()
    widget = show(G)
    nodes = widget_nodes(widget)
    assert set(nodes) == {str(n) for n in G}
    assert widget.visual_variables["nodeColor"]["attribute"] == "colour_group"
    assert {a["colour_group"] for a in nodes.values()} == {a["kind"] for a in nodes.values()}
    assert widget.visual_variables["nodeSize"]["attribute"] == "degree"
    assert all(nodes[str(n)]["degree"] == d for n, d in G.degree())
    assert widget.start_layout is False
    assert widget.name == f"{len(G)} nodes"


def test_show_colours_by_community_with_readable_labels() -> None:
    G = toy_graph()
    found = find_communities(G, seed=0)
    widget = show(G, color_by="community", communities=found)
    assert widget.visual_variables["nodeColor"]["attribute"] == "colour_group"
    article = next(n for n in G if G.nodes[n]["kind"] == "article")
    cid = found.membership[article]
    label = html.escape(f"{cid}: {found.rows[cid].label}")
    assert widget_nodes(widget)[article]["community_label"] == label
    assert widget_nodes(widget)[article]["colour_group"] == label


def test_large_graphs_are_reduced_and_the_widget_says_how() -> None:
    G = toy_graph()
    top = show(G, max_nodes=7)
    assert len(widget_nodes(top)) == 7
    assert top.name.startswith(f"Showing 7 of {len(G)} nodes, in proportion")
    found = find_communities(G, seed=0)
    grouped = show(G, max_nodes=7, reduce="communities")
    kinds = {a["kind"] for a in widget_nodes(grouped).values()}
    assert {a["key"] for a in widget_nodes(grouped).values()} == {
        f"community:{c}" for c in range(len(found))
    }
    assert kinds == {"community"} and len(widget_nodes(grouped)) == len(found)
    assert grouped.name.startswith(f"Showing {len(found)} communities of {len(G)} nodes")


def test_the_drawn_graph_has_flat_plain_attributes_and_flipped_y() -> None:
    G = toy_graph()
    view = build_view(G)
    H = view_graph(G, view)
    assert isinstance(H, nx.Graph) and not H.is_directed()
    for node in view.nodes[: view.drawn]:
        attrs = H.nodes[node.key]
        assert (attrs["x"], attrs["y"]) == (node.x, -node.y)
        assert all(isinstance(v, str | int | float | bool) for v in attrs.values())
    topic = next(n for n in G if G.nodes[n]["kind"] == "topic")
    assert H.nodes[topic]["names"] == ", ".join(G.nodes[topic]["names"])


def test_bad_colouring_is_refused() -> None:
    with pytest.raises(ValueError, match="color_by"):
        show(toy_graph(), color_by="size")  # type: ignore[arg-type]


def test_without_ipysigma_show_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ipysigma", None)
    with pytest.raises(ImportError, match="pip install ipysigma"):
        show(toy_graph())


def test_every_text_reaching_ipysigma_is_escaped(hostile: nx.MultiDiGraph) -> None:
    widget = show(hostile, color_by="provider")
    texts = [widget.name]
    for node in widget.data["nodes"]:
        texts += [v for v in node["attributes"].values() if isinstance(v, str)]
    for edge in widget.data["edges"]:
        texts += [v for v in edge.get("attributes", {}).values() if isinstance(v, str)]
    texts += [str(k) for k in widget.visual_variables["nodeColor"].get("palette", {})]
    assert all("<" not in t and ">" not in t and '"' not in t for t in texts)
    # Unescaped, the text is the data: nothing was lost, only made inert.
    labels = {html.unescape(n["attributes"]["label"]) for n in widget.data["nodes"]}
    assert labels == {hostile.nodes[n]["label"] for n in hostile}
    shown = {html.unescape(n["attributes"]["colour_group"]) for n in widget.data["nodes"]}
    providers = {
        hostile.nodes[n]["label"] for n in hostile if hostile.nodes[n]["kind"] == "provider"
    }
    assert providers <= shown


def test_the_widget_carries_a_picture_for_frontends_without_its_script() -> None:
    widget = show(toy_graph(), color_by="community")
    bundle = widget._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    assert "application/vnd.jupyter.widget-view+json" in data
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")
