import networkx as nx
import pytest

from newsgraph.graph.analysis import _igraph, central_nodes


def test_star_centre_ranks_first():
    G = nx.star_graph(5)
    top = central_nodes(G, top=2, by="betweenness").rows
    assert [(r.node, r.rank, r.degree) for r in top] == [("0", 1, 5), ("1", 2, 1)]
    assert top[0].betweenness == pytest.approx(1.0)
    assert top[0].pagerank > top[1].pagerank


def test_exact_betweenness_when_every_node_is_sampled():
    G = nx.les_miserables_graph()
    rows = central_nodes(G, top=len(G), by="betweenness", samples=len(G)).rows
    exact = nx.betweenness_centrality(G)
    assert {r.node: r.betweenness for r in rows} == pytest.approx(exact)


def test_sampled_betweenness_finds_the_same_leaders():
    G = nx.les_miserables_graph()
    approximate = central_nodes(G, top=3, by="betweenness", samples=30, seed=1)
    exact = sorted(nx.betweenness_centrality(G).items(), key=lambda kv: -kv[1])[:3]
    assert approximate.samples == 30
    assert {r.node for r in approximate.rows} & {n for n, _ in exact}
    assert central_nodes(G, samples=30, seed=1) == central_nodes(G, samples=30, seed=1)


def test_igraph_and_networkx_agree(toy, monkeypatch):
    fast = central_nodes(toy, top=3)
    monkeypatch.setattr(_igraph, "available", lambda: False)
    slow = central_nodes(toy, top=3)
    assert [r.node for r in fast.rows] == [r.node for r in slow.rows]
    for a, b in zip(fast.rows, slow.rows, strict=True):
        assert a.pagerank == pytest.approx(b.pagerank, abs=1e-5)
        assert a.betweenness == pytest.approx(b.betweenness)


def test_ranks_each_kind_of_the_toy_graph(toy):
    result = central_nodes(toy, top=2, by="degree")
    assert sorted({r.kind for r in result.rows}) == ["article", "provider", "tag", "topic"]
    providers = [r for r in result.rows if r.kind == "provider"]
    assert [r.degree for r in providers] == [4, 4]
    assert "image" not in {r.kind for r in result.rows}
    assert str(result).startswith("most central by degree:")


def test_bad_ranking_and_empty_graph():
    with pytest.raises(ValueError, match="by must be"):
        central_nodes(nx.path_graph(3), by="fame")  # type: ignore[arg-type]
    assert central_nodes(nx.Graph()).rows == ()
