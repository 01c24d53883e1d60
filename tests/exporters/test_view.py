"""The views' common ground: reduction of large graphs, communities and the layout."""

from __future__ import annotations

import networkx as nx
import pytest

from newsgraph.exporters.views.layout import EXTENT, build_view, spring_positions
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
    hidden = build_view(G, max_nodes=6, communities=False)
    assert {n.kind for n in hidden.nodes} == {"article", "provider"}
    assert hidden.note == "Showing 6 of 11 nodes (images hidden)."
    top = build_view(G, max_nodes=3, communities=False)
    # Degrees: hub 5, articles 3 and 4 have 3, the others 2; ties go by key.
    assert [n.key for n in top.nodes] == ["article:3", "article:4", "provider:hub"]
    assert top.note == "Showing the 3 best-connected of 11 nodes (images hidden)."
    assert {k for *_, k in top.edges} == {"published_by", "related_to"}


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
    assert [n.label for n in view.nodes] == [row.label for row in found.rows[:2]]
    assert all(n.node is None and n.kind == "community" for n in view.nodes)
    assert view.note is not None and view.note.endswith("(largest first).")


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
