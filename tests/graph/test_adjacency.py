"""The build's fast path (newsgraph.graph.building.adjacency) makes what networkx's own methods make.

It writes networkx's private ``_succ``/``_pred``/``_node`` dicts; if a networkx release
changes what ``add_node``/``add_edge`` put there, these tests fail before any build does.
"""

from __future__ import annotations

import itertools
from operator import itemgetter

import networkx as nx

from newsgraph.graph.building.adjacency import add_edge_lists, add_kind_edges, add_new_node

NODES = [("article:a", {"kind": "article", "label": "A"}), ("topic:ai", {"kind": "topic"})]
EDGES = [  # grouped by source; a repeated pair with two kinds; ends the graph lacks
    ("article:a", "topic:ai", "about"),
    ("article:a", "topic:ai", "tagged"),
    ("article:a", "article:b", "related_to"),
    ("article:b", "article:a", "related_to"),
    ("article:c", "image:x", "has_image"),
]


def _fast() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name="g")
    for key, attrs in NODES:
        add_new_node(G, key, dict(attrs))
    add_kind_edges(G, EDGES)
    return G


def _public() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name="g")
    for key, attrs in NODES:
        G.add_node(key, **attrs)
    for u, v, k in EDGES:
        G.add_edge(u, v, k, kind=k)
    return G


def test_same_nodes_edges_and_attributes_in_the_same_order() -> None:
    fast, public = _fast(), _public()
    assert list(fast.nodes(data=True)) == list(public.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(public.edges(keys=True, data=True))
    assert nx.utils.graphs_equal(fast, public)


def test_every_private_dict_is_filled_as_networkx_fills_it() -> None:
    fast, public = _fast(), _public()
    for name in ("_node", "_succ", "_pred", "_adj"):
        assert getattr(fast, name) == getattr(public, name), name
    for n in fast:
        assert list(fast._succ[n]) == list(public._succ[n])
        assert list(fast._pred[n]) == list(public._pred[n])
    # an edge's key dict is shared by both directions, as add_edge shares it
    assert all(fast._succ[u][v] is fast._pred[v][u] for u, v in fast.edges())
    assert all(public._succ[u][v] is public._pred[v][u] for u, v in public.edges())


def test_the_graph_behaves_afterwards() -> None:
    G = _fast()
    G.add_edge("article:a", "topic:ai", "about", kind="about", weight=2)
    G.remove_node("article:b")
    assert G.number_of_edges() == 3 and G.in_degree("topic:ai") == 2
    assert G.edges["article:a", "topic:ai", "about"] == {"kind": "about", "weight": 2}


def test_edge_lists_make_the_same_graph_with_each_string_once() -> None:
    G = nx.MultiDiGraph(name="g")
    same: dict[str, str] = {}
    for key, attrs in NODES:
        add_new_node(G, same.setdefault(key, key), dict(attrs))
    records = [
        # new str objects, as read from a pickle
        ("".join(u), [("".join(v), "".join(k)) for _, v, k in group])
        for u, group in itertools.groupby(EDGES, key=itemgetter(0))
    ]
    add_edge_lists(G, records, same)
    public = _public()
    for name in ("_node", "_succ", "_pred"):
        assert getattr(G, name) == getattr(public, name), name
    assert list(G.edges(keys=True, data=True)) == list(public.edges(keys=True, data=True))
    keys = {key: key for key in G._node}
    for u, v, k, data in G.edges(keys=True, data=True):
        assert u is keys[u] and v is keys[v] and data["kind"] is k
    for preds in G._pred.values():
        assert all(u is keys[u] for u in preds)
    assert len({id(k) for _, _, k in G.edges(keys=True)}) == len({k for *_, k in EDGES})
