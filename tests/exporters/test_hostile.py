"""Hostile values never make an unreadable file: each is reported, cleaned, or both.

The hostile graph holds URLs with spaces, newlines, ``javascript:``, credentials and bad
escapes; text with control characters and lone surrogates; NaN and infinity; date
objects; a node whose kind nobody knows; ids with newlines.  Every format must still
parse with a strict reader, and what was dropped must be reported.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
import xml.etree.ElementTree as ET
import zipfile

import networkx as nx
import pyoxigraph
import pytest
import rdflib

from newsgraph import dumps, formats, get_format
from newsgraph.graph.model import Problem, Severity

#: The RDF formats, each read by its media type from the registry.
_RDF = [f.name for f in formats() if f.family == "rdf"]


def _strict_json(text: bytes) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text.decode("utf-8"), parse_constant=refuse)


def read_strictly(name: str, data: bytes) -> None:
    """Parse ``data`` with a strict reader of format ``name``; raise if it is unreadable."""
    if not get_format(name).bundle:
        data.decode("utf-8")  # no lone surrogates or other invalid UTF-8
    if name in _RDF:
        media_type = get_format(name).media_type
        list(pyoxigraph.parse(data, pyoxigraph.RdfFormat.from_media_type(media_type)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own internals
            rdflib.Dataset().parse(data=data, format=media_type)
    elif name in ("graphml", "gexf"):
        ET.fromstring(data)
        if name == "graphml":
            nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    elif name == "json":
        _strict_json(data)
    elif get_format(name).bundle:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                if member.endswith(".csv"):
                    rows = list(csv.reader(io.StringIO(archive.read(member).decode(), newline="")))
                    assert len({len(row) for row in rows}) == 1, "ragged rows"
                    if name in ("neo4j", "neptune"):
                        assert not any("\n" in c or "\r" in c for row in rows for c in row)
    else:
        pytest.fail(f"no strict reader for {name}; add one here")


@pytest.mark.parametrize("name", [f.name for f in formats() if f.family != "view"])
def test_every_format_stays_readable(name: str, hostile: nx.MultiDiGraph) -> None:
    problems: list[Problem] = []
    data = dumps(hostile, name, on_problem=problems.append)
    read_strictly(name, data)
    assert problems, "what was cleaned or dropped must be reported"
    assert all(p.path and p.code and p.message for p in problems)


@pytest.mark.parametrize("name", _RDF)
def test_bad_iris_are_reported_and_left_out(name: str, hostile: nx.MultiDiGraph, keys) -> None:
    problems: list[Problem] = []
    data = dumps(hostile, name, on_problem=problems.append)
    bad = [p for p in problems if p.code == "bad-iri"]
    for url in keys.bad_urls:
        assert any(repr(url) in p.message for p in bad), url
    assert all(p.severity is Severity.WARNING for p in bad)
    assert any(p.path == "news/bad\x02/file.md" for p in bad), "located at the node's first source"
    iris = {
        str(t.object)
        for t in pyoxigraph.parse(dumps(hostile, "nt"), pyoxigraph.RdfFormat.N_TRIPLES)
        if isinstance(t.object, pyoxigraph.NamedNode)
    }
    assert not any(url in iri for url in keys.bad_urls[1:] for iri in iris)
    assert "<https://bad.example/a b>" not in data.decode()


def test_text_is_cleaned_and_reported(hostile: nx.MultiDiGraph) -> None:
    problems: list[Problem] = []
    text = dumps(hostile, "nt", on_problem=problems.append).decode()
    assert '"Controlchars and a lone \ufffd surrogate"' in text
    assert '"line one\\nline two\\nline three"' in text
    codes = {p.code for p in problems}
    assert {
        "bad-iri",
        "cleaned-text",
        "bad-number",
        "bad-date",
        "bad-language",
        "unmapped-attribute",
    } <= codes


def test_nan_and_infinity_are_left_out(hostile: nx.MultiDiGraph) -> None:
    not_numbers = {"nan", "inf", "-inf", "infinity", "-infinity"}
    graphml = ET.fromstring(dumps(hostile, "graphml"))
    assert not {d.text.lower() for d in graphml.iter() if d.text} & not_numbers
    gexf = ET.fromstring(dumps(hostile, "gexf"))
    assert not {a.get("value", "").lower() for a in gexf.iter()} & not_numbers
    nodes = _strict_json(dumps(hostile, "json"))["nodes"]  # type: ignore[index]
    bad = next(n for n in nodes if n["id"] == "article:https://bad.example/a b")
    assert (
        "quality" not in bad
        and "heat" not in bad
        and bad["extra"] == {"text": "odd \ufffd", "when": "2021-05-03"}
    )
    problems: list[Problem] = []
    dumps(hostile, "graphml", on_problem=problems.append)
    assert any(p.code == "bad-number" and "quality" in p.message for p in problems)


def test_property_graph_ids_stay_unique_and_non_empty(hostile: nx.MultiDiGraph) -> None:
    hostile.add_node("", kind="tag", label="empty key")
    hostile.add_node("tag:x\x01", kind="tag", label="cleans to a taken id")
    hostile.add_node("tag:x", kind="tag", label="taken")
    problems: list[Problem] = []
    data = dumps(hostile, "graphml", on_problem=problems.append)
    ids = [
        n.get("id") for n in ET.fromstring(data).iter("{http://graphml.graphdrawing.org/xmlns}node")
    ]
    assert all(ids) and len(ids) == len(set(ids)) == hostile.number_of_nodes()
    assert sum(p.code == "bad-id" for p in problems) == 2  # "" and "tag:x\x01"


def test_unknown_node_kinds_are_kept_in_property_graphs(hostile: nx.MultiDiGraph) -> None:
    graph = nx.read_graphml(io.BytesIO(dumps(hostile, "graphml")), force_multigraph=True)
    by_key = {d["key"]: d for _, d in graph.nodes(data=True)}  # ids are n0, n1, ...
    assert by_key["mystery:1"]["colour"] == '["red", "blue"]'


def _table(data: bytes, member: str) -> list[list[str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        text = archive.read(member).decode()
    return list(csv.reader(io.StringIO(text, newline="")))


def test_neo4j_arrays_survive_a_semicolon_in_an_item(tiny: nx.MultiDiGraph, keys) -> None:
    tiny.nodes["topic:transport"]["names"] = ["Transport", "Rail; Road"]
    data = dumps(tiny, "neo4j")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        script = archive.read("import.sh").decode()
    assert "--array-delimiter='U+001F'" in script
    header, *rows = _table(data, "nodes.csv")
    names = header.index("names:string[]")
    row = next(r for r in rows if r[0] == "topic:transport")
    assert row[names].split("\x1f") == ["Transport", "Rail; Road"]
    assert "--array-delimiter=';'" in dict(_members(dumps(nx.MultiDiGraph(), "neo4j")))["import.sh"]


def _members(data: bytes) -> list[tuple[str, str]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(name, archive.read(name).decode()) for name in archive.namelist()]


def test_neptune_writes_lists_as_json_and_cuts_fractions(tiny: nx.MultiDiGraph, keys) -> None:
    # AWS advises against Array properties in openCypher (loaded as sets, not lists)
    tiny.nodes["topic:transport"]["names"] = ["Transport", "Rail; Road"]
    header, *rows = _table(dumps(tiny, "neptune"), "nodes.csv")
    row = next(r for r in rows if r[0] == "topic:transport")
    assert not any(h.endswith("[]") for h in header)
    assert row[header.index("names:String")] == '["Transport", "Rail; Road"]'
    ferry = next(r for r in rows if r[0] == keys.ferry)
    assert ferry[header.index("updated:DateTime")] == "2021-05-03T09:00:30Z"


def test_a_replaced_id_is_the_same_in_every_part_of_an_export_written_in_parts() -> None:
    from newsgraph.exporters.property_graph.columns import prepare

    G = nx.MultiDiGraph()
    G.add_edge("tag:a", "tag:x\x01")
    G.add_edge("tag:x", "tag:x\x01")
    whole = prepare(G).ids
    assert whole["tag:x\x01"].startswith("bad-id-") and whole["tag:x"] == "tag:x"
    for part in (["tag:x\x01"], ["tag:x\x01", "tag:a"], ["tag:x\x01", "tag:x"]):
        assert prepare(G, nodes=part).ids["tag:x\x01"] == whole["tag:x\x01"]
