"""Change sets made from a patch (only the replaced nodes, and a basis) equal the whole-graph
diff's, byte for byte; a column whose type changes is left to the whole diff."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from newsgraph.exporters.changes import ChangeSet, _members, change_set
from newsgraph.exporters.changes.basis import Basis, basis_of
from newsgraph.exporters.changes.patched import NotPatchable, patched_change_set
from newsgraph.exporters.changes.tables import _schema
from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.exporters.property_graph.splice import previous_part
from newsgraph.exporters.stores import graph_counts
from newsgraph.graph.examples import toy_graph

_ARTICLES = [f"article:https://n.example/{n}" for n in "abcdef"]
_TAGS = [f"tag:{n}" for n in ("x", "y", "z")]
_VALUES: dict[str, Any] = {
    "heat": st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([0.5, 2.0])),
    "quality": st.one_of(st.integers(0, 3), st.just(1.5)),
    "published": st.sampled_from([None, "2024-01-02T03:04:05Z", "2024-01-02", "soon"]),
    "categories": st.sampled_from([None, [], ["a"], ["a", "b"], [1, 2], [1, 2.5]]),
    "title": st.text("ab \n\"'", max_size=4),
    "sources": st.lists(st.sampled_from(["news/a.md", "news/b.md", "news/c.md"]), max_size=2),
}


@st.composite
def _graphs(draw: st.DrawFn) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(name="news", documents=draw(st.integers(0, 5)))
    for key in draw(st.sets(st.sampled_from(_ARTICLES), max_size=5)):
        attrs = {name: draw(values) for name, values in _VALUES.items()}
        G.add_node(key, kind="article", label=key[-1], **{k: v for k, v in attrs.items() if v})
    for key in draw(st.sets(st.sampled_from(_TAGS), max_size=3)):
        G.add_node(key, kind="tag", label=key, name=key[4:], names=[key[4:]])
    for source in sorted(n for n, kind in G.nodes(data="kind") if kind == "article"):
        for target in draw(st.sets(st.sampled_from(sorted(G)), max_size=3)):
            kind = "tagged" if target.startswith("tag:") else "related_to"
            weight = draw(st.sampled_from([None, None, 1, 2.5]))
            G.add_edge(
                source, target, key=kind, kind=kind, **({"weight": weight} if weight else {})
            )
    return G


def _patch_of(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, list[str]]:
    """The new nodes a patch writes (those whose line or edges changed), with their edges."""
    written = [
        n
        for n in sorted(new)
        if n not in old
        or dict(old.nodes[n]) != dict(new.nodes[n])
        or sorted(old.out_edges(n, keys=True, data=True), key=repr)
        != sorted(new.out_edges(n, keys=True, data=True), key=repr)
    ]
    part = nx.MultiDiGraph()
    part.graph.update(new.graph)
    part.add_nodes_from((n, new.nodes[n]) for n in written)
    part.add_edges_from(e for n in written for e in new.out_edges(n, keys=True, data=True))
    return part, written


def _files(changes: ChangeSet) -> dict[str, bytes]:
    return _members(changes)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=_graphs(), new=_graphs())
def test_the_patched_change_set_is_the_whole_diffs(
    old: nx.MultiDiGraph, new: nx.MultiDiGraph
) -> None:
    whole = change_set(old, new)
    basis = basis_of(old, statements=whole.triples.previous)
    part, written = _patch_of(old, new)
    replaced = set(written) | (set(old) - set(new))
    previous = previous_part(io.BytesIO(graph_to_json(old)), replaced)
    try:
        patched, after = patched_change_set(previous, part, written, basis)
    except NotPatchable as err:
        reason = str(err)
        event(f"whole diff: {reason}")
        before, fresh = _schema(old, None), _schema(new, None)
        retyped = any(
            name in was.get(label, {}) and was[label][name] != column
            for was, now in (
                (before.nodes, fresh.nodes),
                (before.relationships, fresh.relationships),
            )
            for label, columns in now.items()
            for name, column in columns.items()
        )
    else:
        event("patched")
        assert _files(patched) == _files(whole)
        assert after == basis_of(new, statements=whole.triples.new)
        return
    assert retyped or "problems" in reason


def test_the_basis_gives_the_whole_graphs_schema_and_counts() -> None:
    G = toy_graph()
    G.nodes["article:https://a.example/cup-3"]["heat"] = 2.5
    basis = Basis.from_text(basis_of(G, statements=3).to_text())
    schema, full = basis.schema(), _schema(G, None)
    assert (schema.nodes, schema.relationships, schema.ends) == (
        full.nodes,
        full.relationships,
        full.ends,
    )
    assert basis.counts() == graph_counts(G)
    basis.add(G, list(G), -1)
    assert basis.counts() == {} and basis.schema().nodes == {}
