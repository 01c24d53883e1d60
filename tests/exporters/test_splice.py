"""graph.json patched line by line equals graph.json written whole."""

from __future__ import annotations

import io

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.exporters.property_graph.splice import NotSpliceable, splice_nodelink

_TEXT = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=5)
_KEYS = st.sampled_from(["a", "b", "c", "d", "e", "é", "a b", 'q"x', "z"])
_GRAPHS = st.tuples(
    st.dictionaries(
        _KEYS,
        st.dictionaries(
            st.sampled_from(["kind", "id", "label", "n", "extra"]),
            st.one_of(
                st.integers(-(2**63), 2**63 - 1),
                _TEXT,
                st.dictionaries(st.sampled_from(["id", "x"]), _TEXT, max_size=2),
            ),
            max_size=3,
        ),
        max_size=6,
    ),
    st.lists(st.tuples(_KEYS, _KEYS, st.sampled_from(["about", "tagged"])), max_size=10),
)


def _graph(
    spec: tuple[dict[str, dict[str, object]], list[tuple[str, str, str]]],
) -> nx.MultiDiGraph:
    nodes, edges = spec
    G = nx.MultiDiGraph(name="t", documents=len(nodes))
    for key, attrs in sorted(nodes.items()):
        G.add_node(key, **{k: v for k, v in attrs.items() if k != "id"})
    for u, v, kind in edges:
        if u in G and v in G:
            G.add_edge(u, v, key=kind, kind=kind)
    return G


@settings(max_examples=200, deadline=None)
@given(old=_GRAPHS, new=_GRAPHS)
def test_a_patched_file_is_the_file_written_whole(old: tuple, new: tuple) -> None:  # type: ignore[type-arg]
    before, after = _graph(old), _graph(new)
    # every node whose line or edges differ is replaced; the new ones are written
    changed = {
        n
        for n in set(before) | set(after)
        if n not in before
        or n not in after
        or before.nodes[n] != after.nodes[n]
        or sorted(before.out_edges(n, keys=True)) != sorted(after.out_edges(n, keys=True))
    }
    part = nx.MultiDiGraph(**after.graph)
    for n in sorted(changed & set(after)):
        part.add_node(n, **after.nodes[n])
    for n in sorted(changed & set(after)):
        for u, v, k, data in after.out_edges(n, keys=True, data=True):
            part.add_edge(u, v, key=k, **data)
    out = io.BytesIO()
    splice_nodelink(io.BytesIO(graph_to_json(before)), part, changed & set(after), changed, out)
    assert out.getvalue() == graph_to_json(after)


def test_a_node_whose_id_is_not_its_key_is_refused() -> None:
    G = nx.MultiDiGraph()
    G.add_node("a")
    part = nx.MultiDiGraph()
    part.add_node("b\x07")
    with pytest.raises(NotSpliceable, match="not written under its own key"):
        splice_nodelink(io.BytesIO(graph_to_json(G)), part, ["b\x07"], ["b\x07"], io.BytesIO())


def test_a_file_of_another_shape_is_refused() -> None:
    with pytest.raises(NotSpliceable, match="not one this newsgraph wrote"):
        splice_nodelink(io.BytesIO(b"[]"), nx.MultiDiGraph(), [], [], io.BytesIO())
