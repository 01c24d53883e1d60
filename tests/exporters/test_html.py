"""The ``html`` export: a standalone, deterministic page whose data cannot become markup.

What the page does in a browser is checked in ``tests/browser``; here the bytes are.
"""

from __future__ import annotations

import base64
import hashlib
import io
import random
import re
from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import dumps
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.views.html import page_nodes, read_page_data, write_html
from newsgraph.graph.analysis import annotate, find_communities, find_stories
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
    nodes = page_nodes(data)
    keys = [n["key"] for n in nodes]
    assert keys == sorted(str(n) for n in G)
    assert data["note"] == "" and data["drawn"] == len(G)
    undirected = {frozenset((str(u), str(v))) for u, v in G.edges()}
    assert {frozenset((keys[i], keys[j])) for i, j, _ in data["edges"]} == undirected
    communities = find_communities(G, seed=0)
    for node in nodes:
        assert 0 <= node["x"] <= 1000 and 0 <= node["y"] <= 1000
        assert node["degree"] == G.degree(node["key"])
        assert node["community"] == communities.membership.get(node["key"], -1)
        assert data["kinds"][node["kind"]] == G.nodes[node["key"]]["kind"]
    assert data["communities"] == [row.label for row in communities.rows]


def test_articles_carry_their_topics_provider_time_details_and_only_web_links() -> None:
    G = toy_graph()
    data = read_page_data(page_of(G))
    article = next(n for n in page_nodes(data) if data["kinds"][n["kind"]] == "article")
    attrs = G.nodes[article["key"]]
    near = {G.nodes[t]["kind"]: G.nodes[t]["label"] for t in G.successors(article["key"])}
    topic_labels = {
        G.nodes[t]["label"] for t in G.successors(article["key"]) if G.nodes[t]["kind"] == "topic"
    }
    assert {data["topics"][t] for t in article["topics"]} == topic_labels
    assert data["providers"][article["provider"]] == near["provider"]
    assert (
        article["time"]
        == (datetime.fromisoformat(attrs["published"][:10]) - datetime(1970, 1, 1)).days
    )
    assert article["label"] == attrs["title"]
    assert dict(article["details"])["published"] == attrs["published"]
    assert article["links"] == [[attrs["url"], "page"]]


def test_links_are_deduplicated_and_labelled_and_lists_kept_whole() -> None:
    G = nx.MultiDiGraph()
    G.add_node(
        "article:https://x.example/a",
        kind="article",
        label="A",
        url="https://x.example/a",
        urls=[
            "https://x.example/a",
            "https://x-example.cdn.ampproject.org/c/s/x.example/a",
            "https://x.example/amp/a",
            "https://m.x.example/a",
            "https://x.example/a",
        ],
        names=[f"name {i}" for i in range(40)],
        excerpt="word " * 500,
        sources=["/home/builder/in/azure/_news/a.md", "/home/builder/in/covid/v1/b.json"],
    )
    node = page_nodes(read_page_data(page_of(G, communities=False)))[0]
    assert node["links"] == [
        ["https://x.example/a", "page"],
        ["https://x-example.cdn.ampproject.org/c/s/x.example/a", "AMP"],
        ["https://x.example/amp/a", "AMP"],
        ["https://m.x.example/a", "original"],
    ]
    details = dict(node["details"])
    assert details["names"] == [f"name {i}" for i in range(40)]  # whole: the page says "show all"
    assert details["excerpt"] == ("word " * 500).strip() or len(details["excerpt"]) >= 2000
    # Source paths without the building machine's folders.
    assert details["sources"] == ["azure/_news/a.md", "covid/v1/b.json"]
    assert "/home/builder" not in page_of(G, communities=False).decode()


def test_hostile_text_stays_inside_the_json_block(hostile: nx.MultiDiGraph) -> None:
    page = page_of(hostile).decode("utf-8")
    # Exactly the page's own elements: one data block, the library and the viewer, one style.
    assert len(re.findall(r"<script", page, re.IGNORECASE)) == 3
    assert len(re.findall(r"</script", page, re.IGNORECASE)) == 3
    assert len(re.findall(r"<style", page, re.IGNORECASE)) == 1
    for needle in ("<img", "<svg", "<iframe", "<b ", 'onmouseover="', "\u2028", "\u2029"):
        assert needle not in page, needle
    title = re.search(r"<title>(.*)</title>", page)
    assert title is not None and "<" not in title.group(1)


def test_hostile_text_reads_back_exactly(hostile: nx.MultiDiGraph) -> None:
    data = read_page_data(page_of(hostile))
    labels = {n["key"]: n["label"] for n in page_nodes(data)}
    assert labels == {str(n): hostile.nodes[n]["label"] for n in hostile}
    assert data["title"] == hostile.graph["name"]
    assert "line\u2028sep\u2029end" in data["topics"]


def test_only_absolute_http_urls_become_links(hostile: nx.MultiDiGraph) -> None:
    data = read_page_data(page_of(hostile))
    links = {n["key"]: [url for url, _ in n["links"]] for n in page_nodes(data)}
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
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    style = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(scripts) == 2 and style is not None
    assert "newsgraphVendor" in scripts[0]  # sigma.js and graphology, inlined
    for body in (*scripts, style.group(1)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy.group(1)
    # Nothing that could be fetched: the only URL attribute is the empty data: icon.
    attributes = re.findall(r"\b(?:src|href)=\"([^\"]*)\"", page)
    assert attributes == ["data:,"]
    assert "cdn" not in page.lower().replace("cdnamp", "")


def test_a_large_graph_is_sampled_from_every_root_kind_and_community() -> None:
    G = toy_graph()
    for n, kind in G.nodes(data="kind"):
        if kind == "article":
            G.nodes[n]["sources"] = [f"/srv/in/{'north' if len(n) % 2 else 'south'}/{n[-5:]}.md"]
    found = find_communities(G, seed=0)
    problems: list[Problem] = []
    data = read_page_data(page_of(G, max_nodes=18, on_problem=problems.append))
    nodes = page_nodes(data)
    drawn = nodes[: data["drawn"]]
    assert data["drawn"] == 18 and len(nodes) == len(G)  # the rest is there, for search
    assert all(n["x"] is None for n in nodes[18:])
    assert {n["kind"] for n in drawn} == {n["kind"] for n in nodes}
    assert {n["root"] for n in drawn} == {n["root"] for n in nodes}
    assert {n["community"] for n in drawn} == {n["community"] for n in nodes}
    assert data["communities"] == [row.label for row in found.rows]
    left = data["left_out"]
    assert left["nodes"]["all"] == len(G) - 18
    assert sum(left["kind"].values()) == sum(left["root"].values()) == len(G) - 18
    assert data["note"].startswith(f"Showing 18 of {len(G)} nodes, in proportion")
    assert [(p.code, p.severity) for p in problems] == [("html-reduced", Severity.INFO)]
    # Every node left out keeps edges to bring it in with.
    linked = {i for edge in data["index_edges"] for i in edge[:2]}
    assert all(i in linked for i in range(18, len(G)) if G.degree(nodes[i]["key"]))


def test_the_community_reduction_draws_one_node_per_community() -> None:
    G = toy_graph()
    communities = find_communities(G, seed=0)
    data = read_page_data(page_of(G, max_nodes=5, reduce="communities"))
    drawn = page_nodes(data)[: data["drawn"]]
    assert [data["kinds"][n["kind"]] for n in drawn] == ["community"] * len(communities)
    assert [n["label"] for n in drawn] == [row.label for row in communities.rows]
    assert [n["degree"] for n in drawn] == [row.size for row in communities.rows]
    assert data["note"].startswith(f"Showing {len(communities)} communities of {len(G)} nodes")


def test_communities_already_on_the_nodes_are_used() -> None:
    G = nx.MultiDiGraph()
    G.add_node("topic:a", kind="topic", label="A", community=1)
    G.add_node("topic:b", kind="topic", label="B", community=0)
    G.add_edge("topic:a", "topic:b", key="x", kind="x")
    data = read_page_data(page_of(G))
    assert data["nodes"]["community"] == [1, 0]
    # Labels: the graph's own when it carries them, else from the members.
    assert data["communities"] == ["B", "A"]
    G.graph["community_labels"] = ["zero", "one"]
    assert read_page_data(page_of(G))["communities"] == ["zero", "one"]


def test_stories_on_the_nodes_are_listed_with_a_headline() -> None:
    G = toy_graph()
    stories = find_stories(G)
    data = read_page_data(page_of(annotate(G, stories=stories)))
    assert data["stories"] == [row.headline for row in stories.rows] or len(data["stories"]) == len(
        stories.rows
    )
    members = {
        k for k, s in zip(data["nodes"]["key"], data["nodes"]["story"], strict=True) if s == 0
    }
    assert members == {k for k, s in stories.membership.items() if s == 0}


def test_an_empty_graph_is_a_valid_page() -> None:
    data = read_page_data(page_of(nx.MultiDiGraph()))
    assert page_nodes(data) == [] and data["edges"] == []


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="max_nodes"):
        page_of(toy_graph(), max_nodes=0)
    with pytest.raises(ValueError, match="reduce"):
        page_of(toy_graph(), reduce="random")
    with pytest.raises(ValueError, match="color_by"):
        page_of(toy_graph(), color_by="size")


def test_text_xml_and_utf8_cannot_hold_is_cleaned() -> None:
    G = nx.MultiDiGraph()
    G.add_node("topic:x", kind="topic", label="bad\x00\ud800text", title=float("nan"))
    node = page_nodes(read_page_data(page_of(G, communities=False)))[0]
    assert node["label"] == "bad\ufffdtext"
    assert node["details"] == []


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
