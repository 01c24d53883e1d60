"""Change sets as files: deterministic, in the forms the stores read, and checked when applied.

The stores' own round trips are in ``tests/stores/test_changes.py``; here the files are
read back with pyoxigraph in memory and the Cypher literals are checked for what the two
dialects need.
"""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import networkx as nx
import pytest

import newsgraph as ng
from newsgraph.exporters.changes import (
    FORMAT,
    apply_change_set,
    change_set,
    read_manifest,
    write_change_sets,
    write_sparql_update,
)
from newsgraph.exporters.changes import triples as triples_module
from newsgraph.exporters.changes.cypher import _literal, cypher_statements
from newsgraph.exporters.changes.tables import graph_changes
from newsgraph.exporters.changes.triples import graph_quads
from newsgraph.exporters.sinks import OutputSet
from newsgraph.graph.errors import StoreError
from newsgraph.graph.examples import toy_graph

MEMBERS = ["changes.cypher", "changes.json", "changes.ladybug.cypher", "changes.rdfp", "changes.ru"]


def edited() -> nx.MultiDiGraph:
    """The toy graph with an article gone, a title changed and a new topic."""
    G = toy_graph()
    G.remove_node("article:https://a.example/cup-3")
    G.nodes["topic:ai"]["label"] = 'AI "and" \\ more\nlines'
    G.add_node("topic:rail", kind="topic", label="Rail", name="Rail", names=["Rail"])
    G.add_edge("article:https://a.example/solar-1", "topic:rail", kind="about")
    return G


def reordered(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph built in the opposite order."""
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    H.add_edges_from(reversed(list(G.edges(keys=True, data=True))))
    return H


def test_the_folder_is_byte_identical_for_the_same_graphs_in_any_order(tmp_path: Path) -> None:
    write_change_sets(toy_graph(), edited(), tmp_path / "a")
    write_change_sets(reordered(toy_graph()), reordered(edited()), tmp_path / "b")
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == MEMBERS
    for name in MEMBERS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_equal_graphs_give_an_empty_change_set(tmp_path: Path) -> None:
    summary = write_change_sets(toy_graph(), reordered(toy_graph()), tmp_path)
    assert summary["statements"]["added"] == summary["statements"]["removed"] == 0
    assert summary["nodes"] == {"added": 0, "changed": 0, "removed": 0}
    assert (tmp_path / "changes.ru").read_bytes() == b""
    assert (tmp_path / "changes.cypher").read_bytes() == b""
    assert (tmp_path / "changes.ladybug.cypher").read_bytes() == b""
    assert (tmp_path / "changes.rdfp").read_text().splitlines()[1:] == ["TX .", "TC ."]


def test_the_sparql_update_turns_the_old_statements_into_the_new(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if importlib.util.find_spec("pyoxigraph") is None:
        pytest.skip("pyoxigraph is not installed (pip install 'newsgraph[stores]')")
    import pyoxigraph

    monkeypatch.setattr(triples_module, "CHUNK", 3)  # several operations of each kind
    old, new = toy_graph(), ng.annotate(edited(), communities=ng.find_communities(edited(), seed=1))
    changes = change_set(old, new)
    out = io.BytesIO()
    write_sparql_update(changes, out)
    text = out.getvalue().decode()
    assert text.count("DELETE DATA") == -(-len(changes.triples.removed) // 3)
    assert text.count("INSERT DATA") == -(-len(changes.triples.added) // 3)
    assert "GRAPH <https://w3id.org/newsgraph/id/analysis>" in text  # the communities
    store = pyoxigraph.Store()
    quads = pyoxigraph.RdfFormat.N_QUADS
    store.extend(pyoxigraph.parse("".join(graph_quads(old)), quads))
    store.update(text)
    expected = pyoxigraph.Store()
    expected.extend(pyoxigraph.parse("".join(graph_quads(new)), quads))
    assert sorted(map(str, store)) == sorted(map(str, expected))


def test_the_rdf_patch_deletes_before_it_adds_in_one_transaction(tmp_path: Path) -> None:
    write_change_sets(toy_graph(), edited(), tmp_path)
    rows = (tmp_path / "changes.rdfp").read_text().splitlines()
    assert rows[0].startswith("H id <urn:sha256:") and rows[0].endswith("> .")
    assert rows[1] == "TX ." and rows[-1] == "TC ."
    codes = [row[0] for row in rows[2:-1]]
    assert codes == sorted(codes, key="DA".index) and {"A", "D"} <= set(codes)
    assert all(row.endswith(" .") for row in rows)


def test_a_node_change_sets_what_changed_and_drops_what_went() -> None:
    old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
    old.add_node("tag:a", kind="tag", label="A", names=["A"], heat=1)
    new.add_node("tag:a", kind="tag", label="A", heat=1.5)
    (change,) = graph_changes(old, new).nodes
    assert change.values == {"heat": 1.5} and change.removed == ("names",)
    falkordb = list(cypher_statements(graph_changes(old, new), "falkordb"))
    assert falkordb == [
        'MERGE (n:Tag {id: "tag:a"}) REMOVE n.`heat`, n.`names` SET n += {`heat`: 1.5};'
    ]
    ladybug = list(cypher_statements(graph_changes(old, new), "ladybug"))
    assert ladybug == [
        "ALTER TABLE Tag DROP `heat`;",  # integer before, double now
        "ALTER TABLE Tag ADD `heat` DOUBLE;",
        "ALTER TABLE Tag DROP `names`;",
        'MERGE (n:Tag {id: "tag:a"}) SET n.`heat` = 1.5;',
    ]
    old.nodes["tag:a"]["heat"] = 2
    new.nodes["tag:a"]["heat"] = 2.0  # equal in FalkorDB's eyes: removed first
    (statement,) = cypher_statements(graph_changes(old, new), "falkordb")
    assert (
        statement
        == 'MERGE (n:Tag {id: "tag:a"}) REMOVE n.`heat`, n.`names` SET n += {`heat`: 2.0};'
    )


def test_literals_escape_what_each_dialect_needs() -> None:
    import datetime as dt

    assert _literal('a "b" \\ c\nd\te', False) == '"a \\"b\\" \\\\ c\\nd\\te"'
    assert _literal("é ✓", True) == '"é ✓"'  # UTF-8 as it is: FalkorDB reads no \\u escapes
    assert _literal(1e-7, True) == 'CAST("1e-07" AS DOUBLE)'  # Kùzu reads no exponents
    assert _literal(1e-7, False) == "1e-07"
    assert _literal([True, 2, None], False) == "[true, 2, NULL]"
    when = dt.datetime(2024, 3, 4, 8, 0)
    assert _literal(when, True) == 'timestamp("2024-03-04T08:00:00")'
    assert _literal(when, False) == '"2024-03-04T08:00:00Z"'


def test_an_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown Cypher dialect"):
        list(cypher_statements(graph_changes(toy_graph(), toy_graph()), "neo4j"))  # type: ignore[arg-type]


def test_an_output_set_gets_the_folder_as_one_output(tmp_path: Path) -> None:
    with OutputSet(tmp_path / "out") as outputs:
        outputs.write("graph.json", b"{}")
        write_change_sets(toy_graph(), edited(), outputs)
    assert sorted(p.name for p in (tmp_path / "out" / "changes").iterdir()) == MEMBERS


def test_a_folder_that_is_not_a_change_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="not a change set"):
        read_manifest(tmp_path)
    (tmp_path / "changes.json").write_text(json.dumps({"format": "newsgraph-changes/0"}))
    with pytest.raises(StoreError, match="format 'newsgraph-changes/0'"):
        apply_change_set("ladybug:/nowhere/news.lbug", tmp_path)
    (tmp_path / "changes.json").write_text("{")
    with pytest.raises(StoreError, match="not valid JSON"):
        read_manifest(tmp_path)
    write_change_sets(toy_graph(), edited(), tmp_path)
    assert read_manifest(tmp_path)["format"] == FORMAT


def test_the_statements_of_the_sample_hold_no_blank_node() -> None:
    """Change sets compare statements as lines, which needs every node to have an IRI."""
    if importlib.util.find_spec("pyoxigraph") is None:
        pytest.skip("pyoxigraph is not installed (pip install 'newsgraph[stores]')")
    import pyoxigraph

    root = Path(__file__).resolve().parents[2]
    G, _ = ng.build_graph([root / "samples" / "news"], jobs=1)
    G = ng.annotate(G, communities=ng.find_communities(G, seed=1), stories=ng.find_stories(G))
    lines = graph_quads(G)
    quads = list(pyoxigraph.parse("".join(lines), pyoxigraph.RdfFormat.N_QUADS))
    assert len(quads) == len(lines) > 1000
    terms = [term for quad in quads for term in (quad.subject, quad.object, quad.graph_name)]
    assert not any(isinstance(term, pyoxigraph.BlankNode) for term in terms)
