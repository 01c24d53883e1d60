"""The ``html`` export: a standalone, deterministic page whose data cannot become markup.

What the page does in a browser is checked in ``tests/browser``; here the bytes are.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import re
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import dumps
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.views.html import read_page_data, write_html
from newsgraph.graph.analysis import find_communities
from newsgraph.graph.examples import toy_graph
from newsgraph.graph.model import Problem, Severity

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "html" / "hostile_graph.json"


def page_of(G: nx.Graph, **options: object) -> bytes:
    out = io.BytesIO()
    write_html(G, out, **options)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    return graph_from_json(HOSTILE.read_bytes())


def shuffled_copy(G: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    """The same graph with nodes and edges added in another order."""
    rng = random.Random(seed)
    nodes, edges = list(G.nodes(data=True)), list(G.edges(keys=True, data=True))
    rng.shuffle(nodes)
    rng.shuffle(edges)
    H = nx.MultiDiGraph(**G.graph)
    H.add_nodes_from(nodes)
    H.add_edges_from(edges)
    return H


def test_the_same_graph_gives_the_same_bytes_whatever_the_insertion_order() -> None:
    G = toy_graph()
    first = page_of(G)
    assert page_of(G) == first
    assert page_of(shuffled_copy(G, 1)) == first
    assert page_of(G, seed=1) != first  # the seed does move the layout


def test_the_registry_writes_the_page() -> None:
    G = toy_graph()
    assert dumps(G, "html") == page_of(G)


def test_every_node_and_edge_is_embedded_with_position_degree_and_community() -> None:
    G = toy_graph()
    data = read_page_data(page_of(G))
    keys = [n["key"] for n in data["nodes"]]
    assert keys == sorted(str(n) for n in G)
    assert data["note"] == ""
    undirected = {frozenset((str(u), str(v))) for u, v in G.edges()}
    assert {frozenset((keys[i], keys[j])) for i, j, _ in data["edges"]} == undirected
    communities = find_communities(G, seed=0)
    for node in data["nodes"]:
        assert 0 <= node["x"] <= 1000 and 0 <= node["y"] <= 1000
        assert node["degree"] == G.degree(node["key"])
        assert node["community"] == communities.membership.get(node["key"], -1)
    assert data["communities"] == [row.label for row in communities.rows]


def test_articles_carry_their_topics_details_and_only_web_links() -> None:
    G = toy_graph()
    data = read_page_data(page_of(G))
    article = next(n for n in data["nodes"] if n["kind"] == "article")
    topic_labels = {
        G.nodes[t]["label"] for t in G.successors(article["key"]) if G.nodes[t]["kind"] == "topic"
    }
    assert {data["topics"][t] for t in article["topics"]} == topic_labels
    assert dict(article["details"])["title"] == G.nodes[article["key"]]["title"]
    assert article["links"] == [G.nodes[article["key"]]["url"]]


def test_hostile_text_stays_inside_the_json_block(hostile: nx.MultiDiGraph) -> None:
    page = page_of(hostile).decode("utf-8")
    # Exactly the page's own elements: one data block and one script, one style.
    assert len(re.findall(r"<script", page, re.IGNORECASE)) == 2
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 2
    assert len(re.findall(r"<style", page, re.IGNORECASE)) == 1
    for needle in ("<img", "<svg", "<iframe", "<b ", 'onmouseover="', "\u2028", "\u2029"):
        assert needle not in page, needle
    title = re.search(r"<title>(.*)</title>", page)
    assert title is not None and "<" not in title.group(1)


def test_hostile_text_reads_back_exactly(hostile: nx.MultiDiGraph) -> None:
    data = read_page_data(page_of(hostile))
    labels = {n["key"]: n["label"] for n in data["nodes"]}
    assert labels == {str(n): hostile.nodes[n]["label"] for n in hostile}
    assert data["title"] == hostile.graph["name"]
    assert "line\u2028sep\u2029end" in data["topics"]


def test_only_absolute_http_urls_become_links(hostile: nx.MultiDiGraph) -> None:
    data = read_page_data(page_of(hostile))
    links = {n["key"]: n["links"] for n in data["nodes"]}
    assert links["article:https://evil.example/a"] == ["https://evil.example/a"]
    assert links["article:https://ok.example/b"] == [
        'https://ok.example/b?q=<script>alert(1)</script>&x="y"'
    ]
    assert links["image:javascript:alert('img')"] == []
    everything = [url for urls in links.values() for url in urls]
    assert all(url.startswith(("http://", "https://")) for url in everything)


def test_the_policy_allows_only_the_inline_script_and_style_and_no_fetch() -> None:
    page = page_of(toy_graph()).decode("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1)
    script = re.search(r"<script>(.*?)</script>", page, re.DOTALL)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert script is not None and style is not None
    for body in (script.group(1), style.group(1)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    # Nothing that could be fetched: the only URL attribute is the empty data: icon.
    attributes = re.findall(r"\b(?:src|href)=\"([^\"]*)\"", page)
    assert attributes == ["data:,"]
    assert "cdn" not in page.lower().replace("cdnamp", "")


def test_a_large_graph_is_reduced_with_a_note_and_a_reported_problem() -> None:
    G = toy_graph()
    problems: list[Problem] = []
    data = read_page_data(page_of(G, max_nodes=6, on_problem=problems.append))
    assert len(data["nodes"]) == 6
    assert data["note"] == f"Showing the 6 best-connected of {len(G)} nodes (images hidden)."
    assert {n["kind"] for n in data["nodes"]} <= {"article", "provider", "topic", "tag"}
    degrees = sorted((d for n, d in G.degree() if G.nodes[n]["kind"] != "image"), reverse=True)
    assert sorted((n["degree"] for n in data["nodes"]), reverse=True) == degrees[:6]
    assert [(p.code, p.severity) for p in problems] == [("html-reduced", Severity.INFO)]


def test_the_community_reduction_draws_one_node_per_community() -> None:
    G = toy_graph()
    communities = find_communities(G, seed=0)
    data = read_page_data(page_of(G, max_nodes=5, reduce="communities"))
    assert [n["kind"] for n in data["nodes"]] == ["community"] * len(communities)
    assert [n["label"] for n in data["nodes"]] == [row.label for row in communities.rows]
    assert [n["degree"] for n in data["nodes"]] == [row.size for row in communities.rows]
    assert data["note"].startswith(f"Showing {len(communities)} communities of {len(G)} nodes")


def test_communities_already_on_the_nodes_are_used() -> None:
    G = nx.MultiDiGraph()
    G.add_node("topic:a", kind="topic", label="A", community=1)
    G.add_node("topic:b", kind="topic", label="B", community=0)
    G.add_edge("topic:a", "topic:b", key="x", kind="x")
    data = read_page_data(page_of(G))
    assert [n["community"] for n in data["nodes"]] == [1, 0]
    assert data["communities"] == ["community 0", "community 1"]


def test_an_empty_graph_is_a_valid_page() -> None:
    data = read_page_data(page_of(nx.MultiDiGraph()))
    assert data["nodes"] == [] and data["edges"] == []


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        page_of(toy_graph(), max_nodes=0)
    with pytest.raises(ValueError, match="reduce"):
        page_of(toy_graph(), reduce="sample")


def test_text_xml_and_utf8_cannot_hold_is_cleaned() -> None:
    G = nx.MultiDiGraph()
    G.add_node("topic:x", kind="topic", label="bad\x00\ud800text", title=float("nan"))
    data = read_page_data(page_of(G, communities=False))
    assert data["nodes"][0]["label"] == "bad\ufffdtext"
    assert data["nodes"][0]["details"] == []


def test_the_input_graph_is_not_changed(hostile: nx.MultiDiGraph) -> None:
    before = (
        dict(hostile.nodes(data=True)),
        list(hostile.edges(keys=True, data=True)),
        dict(hostile.graph),
    )
    page_of(hostile)
    assert (
        dict(hostile.nodes(data=True)),
        list(hostile.edges(keys=True, data=True)),
        dict(hostile.graph),
    ) == before
