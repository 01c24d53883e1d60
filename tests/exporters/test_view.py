"""The views' common ground: reduction of large graphs, communities and the layout."""

from __future__ import annotations

import networkx as nx
import pytest

from newsgraph.exporters.views import layout
from newsgraph.exporters.views.layout import EXTENT, _quotas, build_view, spring_positions
from newsgraph.exporters.views.placement import place_groups
from newsgraph.exporters.views.sources import node_roots
from newsgraph.graph.analysis import find_communities
from newsgraph.graph.examples import toy_graph


def test_a_small_graph_is_drawn_whole_and_sorted_by_key() -> None:
    G = toy_graph()
    view = build_view(G)
    assert [n.key for n in view.nodes] == sorted(str(n) for n in G)
    assert view.note is None and view.total_nodes == len(G)
    assert len(view.edges) == nx.Graph(G).number_of_edges()


def test_top_reduction_hides_images_then_keeps_the_best_connected() -> None:
    G = nx.MultiDiGraph()
    G.add_node("provider:hub", kind="provider", label="hub")
    for i in range(5):
        G.add_node(f"article:{i}", kind="article", label=str(i))
        G.add_edge(f"article:{i}", "provider:hub", key="published_by", kind="published_by")
        G.add_node(f"image:{i}", kind="image", label=f"img {i}")
        G.add_edge(f"article:{i}", f"image:{i}", key="has_image", kind="has_image")
    G.add_edge("article:3", "article:4", key="related_to", kind="related_to")
    hidden = build_view(G, max_nodes=6, reduce="top", communities=False)
    assert {n.kind for n in hidden.nodes[: hidden.drawn]} == {"article", "provider"}
    assert hidden.note is not None and hidden.note.startswith("Showing 6 of 11 nodes, the best")
    top = build_view(G, max_nodes=3, reduce="top", communities=False)
    # Degrees: hub 5, articles 3 and 4 have 3, the others 2; ties go by key.
    assert [n.key for n in top.nodes[: top.drawn]] == ["article:3", "article:4", "provider:hub"]
    assert {k for *_, k in top.edges} == {"published_by", "related_to"}
    assert len(top.nodes) == len(G)  # the others stay, undrawn, for search


def test_communities_can_be_given_found_or_left_out() -> None:
    G = toy_graph()
    found = find_communities(G, seed=0)
    given = build_view(G, communities=found)
    assert {n.key: n.community for n in given.nodes} == {
        str(n): found.membership.get(n, -1) for n in G
    }
    assert build_view(G).communities == tuple(row.label for row in found.rows)
    none = build_view(G, communities=False)
    assert none.communities == () and {n.community for n in none.nodes} == {-1}
    with pytest.raises(ValueError, match="needs communities"):
        build_view(G, max_nodes=2, reduce="communities", communities=False)


def test_the_community_view_keeps_the_largest_communities_when_asked_for_fewer() -> None:
    G = toy_graph()
    found = find_communities(G, seed=0)
    view = build_view(G, max_nodes=2, reduce="communities", communities=found)
    drawn = view.nodes[: view.drawn]
    assert [n.label for n in drawn] == [row.label for row in found.rows[:2]]
    assert all(n.node is None and n.kind == "community" for n in drawn)
    assert view.note is not None and "(largest first)" in view.note


def test_positions_are_deterministic_fill_the_square_and_separate_nodes() -> None:
    G = nx.connected_caveman_graph(4, 6)
    edges = [(min(u, v), max(u, v)) for u, v in G.edges()]
    xy = spring_positions(len(G), edges, seed=3)
    assert xy == spring_positions(len(G), edges, seed=3)
    assert xy != spring_positions(len(G), edges, seed=4)
    xs, ys = [p[0] for p in xy], [p[1] for p in xy]
    assert min(*xs, *ys) >= 0 and max(*xs, *ys) == EXTENT
    assert len(set(xy)) == len(xy)

    # Linked nodes end up nearer to each other than the average pair.
    def dist(a: int, b: int) -> float:
        return float(((xy[a][0] - xy[b][0]) ** 2 + (xy[a][1] - xy[b][1]) ** 2) ** 0.5)

    linked = sum(dist(a, b) for a, b in edges) / len(edges)
    pairs = [(a, b) for a in range(len(G)) for b in range(a + 1, len(G))]
    assert linked < 0.5 * sum(dist(a, b) for a, b in pairs) / len(pairs)


def test_one_node_and_no_node_are_laid_out() -> None:
    assert spring_positions(0, []) == []
    assert spring_positions(1, []) == [(EXTENT / 2, EXTENT / 2)]


def test_quotas_are_proportional_give_every_group_one_and_sum_to_the_total() -> None:
    sizes = {("r", "article", c): 1000 - 90 * c for c in range(10)} | {("s", "tag", -1): 1}
    quota = _quotas(sizes, 100)
    assert sum(quota.values()) == 100
    assert all(quota[k] >= 1 for k in sizes)
    assert quota[("r", "article", 0)] > quota[("r", "article", 9)]
    assert _quotas({("a", "x", 0): 3, ("b", "x", 0): 3}, 2) == {("a", "x", 0): 1, ("b", "x", 0): 1}


def test_the_sample_keeps_every_root_kind_and_community_with_the_edges_between() -> None:
    G = nx.MultiDiGraph()
    for root, count in (("big", 300), ("small", 3)):
        for i in range(count):
            key = f"article:{root}{i}"
            G.add_node(key, kind="article", label=key, sources=[f"{root}/{i}.md"])
            G.add_edge(key, f"provider:{root}{i % 3}", kind="published_by")
    for n in G:
        G.nodes[n].setdefault("kind", "provider")
    view = build_view(G, max_nodes=40, communities=False)
    drawn = view.nodes[: view.drawn]
    assert view.drawn == 40
    assert {n.root for n in drawn} == {"big", "small"}
    assert {n.kind for n in drawn} == {"article", "provider"}
    keys = {n.key for n in drawn}
    expected = {
        frozenset((str(u), str(v))) for u, v in G.edges() if str(u) in keys and str(v) in keys
    }
    assert {frozenset((drawn[i].key, drawn[j].key)) for i, j, _ in view.edges} == expected
    assert view.left_out["root"]["big"] > view.left_out["root"].get("small", 0)


def test_roots_come_from_sources_and_spread_to_neighbours_without_machine_folders() -> None:
    G = nx.Graph()
    G.add_node("a", sources=["/m/x/corpus/azure/_news/1.md"])
    G.add_node("b", sources=["/m/x/corpus/covid/v1/2.json", "/m/x/corpus/covid/v1/3.json"])
    G.add_edges_from([("a", "p"), ("b", "p"), ("b", "q"), ("q", "image"), ("lone", "lone2")])
    assert node_roots(G) == {
        "a": "azure",
        "b": "covid",
        "p": "azure",
        "q": "covid",
        "image": "covid",  # two hops from a document
        "lone": "",
        "lone2": "",
    }
    H = nx.Graph()
    H.add_node("a", sources=["azure/_news/1.md"])
    assert node_roots(H) == {"a": "azure"}


def test_a_large_graph_gives_the_same_view_whatever_the_insertion_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Above LABELLED_COMMUNITIES nodes the graph is not copied in key order: each step
    # must sort what it reads (quick communities, sampling, layout).
    monkeypatch.setattr(layout, "LABELLED_COMMUNITIES", 10)
    G = nx.relaxed_caveman_graph(6, 10, 0.2, seed=3)
    H = nx.Graph()
    H.add_nodes_from(sorted(G, reverse=True))
    H.add_edges_from(sorted(((v, u) for u, v in G.edges()), reverse=True))
    first = build_view(G, max_nodes=40, seed=2)
    assert first.drawn == 40 and len(set(first.communities)) > 1
    assert repr(build_view(H, max_nodes=40, seed=2)) == repr(first)  # repr: nan != nan


def test_groups_are_laid_out_in_their_own_discs() -> None:
    G = nx.connected_caveman_graph(5, 8)
    edges = [(min(u, v), max(u, v)) for u, v in G.edges()]
    groups = [n // 8 for n in G]
    xy = place_groups(len(G), edges, groups, seed=1)
    assert xy == place_groups(len(G), edges, groups, seed=1)
    centre = {
        g: (
            sum(xy[n][0] for n in G if groups[n] == g) / 8,
            sum(xy[n][1] for n in G if groups[n] == g) / 8,
        )
        for g in range(5)
    }

    def near(n: int, g: int) -> float:
        return float(((xy[n][0] - centre[g][0]) ** 2 + (xy[n][1] - centre[g][1]) ** 2) ** 0.5)

    # Every node is nearer to its own group's centre than to any other.
    assert all(min(range(5), key=lambda g: near(n, g)) == groups[n] for n in G)
