import math

import networkx as nx
import pytest

from newsgraph.graph.analysis import (
    DEFAULT_KINDS,
    article_graph,
    article_projection,
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
    P = article_graph(G, provider_weight=0)
    assert P.number_of_nodes() == 5
    common, rare = math.log(5 / 4), math.log(5 / 2)
    assert P["article:u1"]["article:u2"]["weight"] == pytest.approx(common + rare)
    assert P["article:u3"]["article:u4"]["weight"] == pytest.approx(common)
    assert P.degree("article:u5") == 0


def test_popular_topics_are_weighted_down_not_dropped_nor_squared(make):
    n = 200
    G = make(
        [
            {"url": f"u{i:03d}", "topics": ["everywhere"] + (["pair"] if i < 2 else [])}
            for i in range(n)
        ]
        + [{"url": "x", "related": ["u000"]}]
    )
    P = article_projection(G, neighbours=6, provider_weight=0, related_weight=2.0)
    graph = P.to_networkx()
    # Every article that shares the popular topic stays linked, to a few others only.
    assert all(graph.degree(f"article:u{i:03d}") >= 6 for i in range(n))
    assert P.n_edges <= (n + 1) * 6
    assert nx.is_connected(graph)
    # The rare topic weighs log(n / 2), the one on every article next to nothing; a related
    # link counts like a feature only its two articles share, times related_weight.
    pair = graph["article:u000"]["article:u001"]["weight"]
    assert math.log(201 / 2) - 1e-9 <= pair <= math.log(201 / 2) + math.log(201 / 200) + 1e-9
    assert graph["article:u000"]["article:x"]["weight"] == pytest.approx(2 * math.log(201 / 2))


def test_projection_is_reproducible_and_seeded(make):
    G = make([{"url": f"u{i}", "topics": ["t"] if i < 40 else []} for i in range(80)])
    first, again = article_projection(G, seed=1), article_projection(G, seed=1)
    assert first.nodes == again.nodes and (first.source == again.source).all()
    other = article_projection(G, seed=2)
    assert set(zip(first.source, first.target, strict=True)) != set(
        zip(other.source, other.target, strict=True)
    )


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


def test_projection_links_tagged_articles_and_keeps_its_facts(make):
    import pickle

    from newsgraph.graph.analysis._facts import article_facts

    G = make([{"url": f"u{i}", "tags": ["x"] if i < 2 else []} for i in range(6)])
    P = article_projection(G)
    assert [(P.nodes[i], P.nodes[j]) for i, j in zip(P.source, P.target, strict=True)] == [
        ("article:u0", "article:u1")
    ]
    facts = article_facts(G)
    assert facts["article:u0"].tags == ("tag:x",) and facts["article:u2"].tags == ()
    assert P.facts_of(G) == facts  # the facts read once, for the labels
    assert P.facts_of(G.copy()) is None  # another graph
    again = pickle.loads(pickle.dumps(P))
    assert again == P and again.facts_of(G) is None
    G.add_node("article:u9", kind="article")
    assert P.facts_of(G) is None  # the graph changed since
