import math

import networkx as nx
import pytest

from newsgraph.graph.analysis import (
    DEFAULT_KINDS,
    article_graph,
    kind_graph,
    provider_graph,
    provider_topic_graph,
    topic_cooccurrence,
)

SOLAR_1 = "article:https://a.example/solar-1"
SOLAR_2 = "article:https://b.example/solar-2"
CUP_1 = "article:https://b.example/cup-1"


def test_kind_graph_leaves_images_out_and_folds_edges(toy):
    H = kind_graph(toy)
    assert not H.is_directed() and not H.is_multigraph()
    assert {k for _, k in H.nodes(data="kind")} == set(DEFAULT_KINDS)
    assert "image:https://a.example/farm.jpg" not in H
    assert H[SOLAR_1][SOLAR_2]["weight"] == 1.0
    assert list(H) == sorted(H)


def test_kind_graph_sums_parallel_and_reverse_edges():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", weight=2.0)
    G.add_edge("b", "a", weight=0.5)
    G.add_edge("a", "a")
    H = kind_graph(G, None)
    assert list(H.edges(data="weight")) == [("a", "b", 2.5)]


def test_kind_graph_chooses_kinds(toy):
    H = kind_graph(toy, {"topic", "article"})
    assert {k for _, k in H.nodes(data="kind")} == {"topic", "article"}
    assert H.number_of_edges() == 24 + 2  # about edges + related links


def test_kind_graph_does_not_depend_on_insertion_order(toy):
    shuffled = nx.MultiDiGraph()
    shuffled.add_nodes_from(reversed(list(toy.nodes(data=True))))
    shuffled.add_edges_from(reversed(list(toy.edges(keys=True, data=True))))
    assert list(kind_graph(shuffled).edges(data=True)) == list(kind_graph(toy).edges(data=True))


def test_article_graph_weights_rare_topics_more(make):
    G = make(
        [
            {"url": "u1", "topics": ["common", "rare"]},
            {"url": "u2", "topics": ["common", "rare"]},
            {"url": "u3", "topics": ["common"]},
            {"url": "u4", "topics": ["common"]},
            {"url": "u5", "topics": []},
        ]
    )
    P = article_graph(G)
    assert P.number_of_nodes() == 5
    common, rare = math.log(5 / 4), math.log(5 / 2)
    assert P["article:u1"]["article:u2"]["weight"] == pytest.approx(common + rare)
    assert P["article:u3"]["article:u4"]["weight"] == pytest.approx(common)
    assert P.degree("article:u5") == 0


def test_article_graph_skips_huge_topics_and_adds_related(make):
    G = make(
        [{"url": f"u{i}", "topics": ["everywhere", "big"]} for i in range(4)]
        + [{"url": "x", "related": ["u0"]}]
    )
    P = article_graph(G, max_topic_articles=3, related_weight=2.0)
    assert list(P.edges(data="weight")) == [("article:u0", "article:x", 2.0)]


def test_topic_cooccurrence_counts_articles(toy):
    C = topic_cooccurrence(toy)
    assert C["topic:football"]["topic:sport"]["weight"] == 4
    assert C["topic:prices"]["topic:solar"]["weight"] == 1
    assert not C.has_edge("topic:ai", "topic:sport")
    assert C.nodes["topic:ai"] == {"kind": "topic", "label": "AI", "count": 4}
    assert topic_cooccurrence(toy, min_count=2).number_of_edges() == 3


def test_provider_topic_graph_is_bipartite(toy):
    B = provider_topic_graph(toy)
    providers = {n for n, side in B.nodes(data="bipartite") if side == 0}
    assert providers == {"provider:a.example", "provider:b.example", "provider:c.example"}
    assert nx.bipartite.is_bipartite_node_set(B, providers)
    assert B["provider:c.example"]["topic:robots"]["weight"] == 2


def test_provider_graph_counts_shared_topics(toy):
    P = provider_graph(toy)
    assert sorted(P.edges(data="weight")) == [
        ("provider:a.example", "provider:b.example", 5),
        ("provider:a.example", "provider:c.example", 5),
        ("provider:b.example", "provider:c.example", 6),
    ]
    assert P.nodes["provider:a.example"]["kind"] == "provider"
