"""Every registered format round-trips: what is written reads back as the graph it came from.

RDF formats are parsed by rdflib and by pyoxigraph (strict) and compared as graphs with
the N-Triples export; GraphML is read back by networkx and igraph; GEXF by ElementTree;
the JSON and CSV formats by their own readers.  A format in the registry without an
entry in :data:`ROUND_TRIPS` (or, for view formats such as html/png/svg, in
:data:`VIEW_CHECKS`) fails :func:`test_every_registered_format_is_in_the_matrix`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph
import pytest
from rdflib.compare import isomorphic

from newsgraph import dumps, formats, get_format
from newsgraph.exporters.property_graph.columns import neo4j_label, neo4j_type, scalar_text
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.rdf.validate import parse_export
from newsgraph.exporters.values import MISSING, plain

Check = Callable[[bytes, nx.MultiDiGraph, Path], None]

#: The RDF formats, each read by its media type from the registry.
_RDF = [f.name for f in formats() if f.family == "rdf"]
_ANALYSIS = "<https://w3id.org/newsgraph/id/analysis>"


# --- RDF ---------------------------------------------------------------------------------


def oxigraph_statements(data: bytes, name: str) -> set[tuple[str, str, str, str]]:
    """Statements as N-Triples term strings, parsed strictly by pyoxigraph."""
    parsed = pyoxigraph.parse(data, _oxigraph_format(name))
    out = set()
    for item in parsed:
        graph = getattr(item, "graph_name", None)
        graph_text = (
            "" if graph is None or isinstance(graph, pyoxigraph.DefaultGraph) else str(graph)
        )
        out.add((str(item.subject), str(item.predicate), str(item.object), graph_text))
    return out


def _oxigraph_format(name: str) -> Any:
    return pyoxigraph.RdfFormat.from_media_type(get_format(name).media_type)


def check_rdf(name: str) -> Check:
    def check(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
        reference = dumps(G, "nt")
        expected = {s[:3] for s in oxigraph_statements(reference, "nt")}
        got = oxigraph_statements(data, name)
        assert {s[:3] for s in got} == expected
        if _oxigraph_format(name).supports_datasets:
            named = {s[:3] for s in got if s[3]}
            assert {s[3] for s in got if s[3]} <= {_ANALYSIS}
            assert named == {s for s in expected if "#community>" in s[1] or "#story>" in s[1]}
        assert isomorphic(parse_export(data, name), parse_export(reference, "nt"))

    return check


# --- property graphs ---------------------------------------------------------------------


def expected_nodes(G: nx.MultiDiGraph) -> dict[str, dict[str, Any]]:
    """Node id -> clean attributes, as every property-graph format should carry them."""
    return {
        str(n): {
            k: v
            for k, v in ((k, plain(v)) for k, v in d.items())
            if v is not MISSING and v != [] and v != {}
        }
        for n, d in G.nodes(data=True)
    }


def expected_edges(G: nx.MultiDiGraph) -> Counter[tuple[str, str, str]]:
    return Counter((str(u), str(v), d["kind"]) for u, v, d in G.edges(data=True))


def decoded(value: Any, like: Any) -> Any:
    """A value read back from text-typed storage, decoded the way ``like`` was written."""
    if isinstance(like, list | dict) and isinstance(value, str):
        return json.loads(value)
    return value


def check_graphml(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    nodes = expected_nodes(G)
    H = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    assert set(H.nodes) == set(nodes)
    assert Counter((u, v, d["kind"]) for u, v, d in H.edges(data=True)) == expected_edges(G)
    for node, attributes in nodes.items():
        assert {k: decoded(H.nodes[node][k], v) for k, v in attributes.items()} == attributes
    path = tmp_path / "g.graphml"
    path.write_bytes(data)
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(path))
    # igraph (libxml2) hands back "&" in an XML attribute as "&#38;"; data values are fine.
    ids = [vertex_id.replace("&#38;", "&") for vertex_id in g.vs["id"]]
    assert sorted(ids) == sorted(nodes) and g.ecount() == G.number_of_edges()
    for vertex, vertex_id in zip(g.vs, ids, strict=True):
        for key, value in nodes[vertex_id].items():
            read = vertex[key]
            if isinstance(value, bool | int | float):
                assert read == pytest.approx(float(value)), (vertex_id, key)
            else:
                assert decoded(read, value) == value, (vertex_id, key)
    root = ET.fromstring(data)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    for element in root.iterfind(".//g:node", ns):  # Neo4j APOC's readLabels
        assert element.get("labels") == ":" + neo4j_label(nodes[element.get("id")]["kind"])
    types = Counter(e.get("label") for e in root.iterfind(".//g:edge", ns))
    assert types == Counter(neo4j_type(kind) for _, _, kind in expected_edges(G).elements())


def check_gexf(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    nodes = expected_nodes(G)
    ns = {"x": "http://gexf.net/1.3"}
    root = ET.fromstring(data)
    graph = root.find("x:graph", ns)
    assert graph is not None and graph.get("timeformat") == "dateTime"
    titles = {
        a.get("id"): (a.get("title"), a.get("type"))
        for a in graph.iterfind("x:attributes[@class='node']/x:attribute", ns)
    }
    read: dict[str, dict[str, Any]] = {}
    for element in graph.iterfind("x:nodes/x:node", ns):
        node = element.get("id")
        values = {
            titles[v.get("for")][0]: v.get("value") for v in element.iterfind(".//x:attvalue", ns)
        }
        values["label"] = element.get("label")
        read[node] = values
        published = nodes[node].get("published")
        if published is not None:
            assert element.get("start", "").startswith(published)
    assert set(read) == set(nodes)
    for node, attributes in nodes.items():
        assert read[node] == {k: scalar_text(v) for k, v in attributes.items()}
    edges = Counter(
        (e.get("source"), e.get("target"), e.get("kind"))
        for e in graph.iterfind("x:edges/x:edge", ns)
    )
    assert edges == expected_edges(G)


def check_json(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    H = graph_from_json(data)
    assert dict(H.nodes(data=True)) == expected_nodes(G)
    assert sorted(H.edges(keys=True, data=True)) == sorted(G.edges(keys=True, data=True))
    assert H.graph == G.graph


def read_csv(text: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.decode("utf-8"), newline="")))


def check_csv(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    members = unzip(data)
    assert set(members) == {"nodes.csv", "edges.csv"}
    rows = {
        row.pop("id"): {k: v for k, v in row.items() if v} for row in read_csv(members["nodes.csv"])
    }
    assert rows == {
        n: {k: spreadsheet_text(v) for k, v in a.items()} for n, a in expected_nodes(G).items()
    }
    edges = Counter((r["source"], r["target"], r["kind"]) for r in read_csv(members["edges.csv"]))
    assert edges == expected_edges(G)


def spreadsheet_text(value: Any) -> str:
    """What the ``csv`` tables write: text that starts like a formula gets a leading quote."""
    text = scalar_text(value)
    formula = not isinstance(value, int | float) and text.startswith(
        ("=", "+", "-", "@", "\t", "\r")
    )
    return "'" + text if formula else text


def bulk_rows(text: bytes, array_delimiter: str, escaped: bool) -> list[dict[str, Any]]:
    """Rows of a bulk-load CSV, cells typed by their headers (``name:type[]``)."""
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""))
    header = next(reader)
    rows = []
    for cells in reader:
        assert not any("\n" in c or "\r" in c for c in cells), "a field spans lines"
        row = {}
        for column, cell in zip(header, cells, strict=True):
            name, _, kind = column.rpartition(":")
            if cell == "" or not name:
                row[column] = cell
                continue
            if kind.endswith("[]"):
                items = (
                    cell.split(array_delimiter)
                    if not escaped
                    else [item.replace("\\;", ";") for item in _split_escaped(cell)]
                )
                row[name] = [_typed(item, kind[:-2]) for item in items]
            else:
                row[name] = _typed(cell, kind)
        rows.append(row)
    return rows


def _split_escaped(cell: str) -> list[str]:
    items, current, chars = [], "", iter(cell)
    for char in chars:
        if char == "\\":
            current += char + next(chars, "")
        elif char == ";":
            items.append(current)
            current = ""
        else:
            current += char
    return [*items, current]


def _typed(text: str, kind: str) -> Any:
    kind = kind.lower()
    if kind in ("long", "int"):
        return int(text)
    if kind in ("double", "float"):
        return float(text)
    if kind in ("boolean", "bool"):
        assert text in ("true", "false")
        return text == "true"
    return text


def check_bulk(
    data: bytes, G: nx.MultiDiGraph, *, neptune: bool
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    members = unzip(data)
    delimiter = ";"
    if not neptune:
        script = members["import.sh"].decode()
        delimiter = "\x1f" if "U+001F" in script else ";"
        assert "--nodes=nodes.csv" in script and "--relationships=relationships.csv" in script
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            assert archive.getinfo("import.sh").external_attr >> 16 & 0o111
    nodes = bulk_rows(members["nodes.csv"], delimiter, escaped=neptune)
    relationships = bulk_rows(members["relationships.csv"], delimiter, escaped=neptune)
    expected = expected_nodes(G)
    id_column = ":ID" if neptune else "key"
    assert {row[id_column] for row in nodes} == set(expected)
    for row in nodes:
        attributes = expected[row[id_column]]
        assert row[":LABEL"] == neo4j_label(attributes["kind"])
        for name, value in attributes.items():
            assert decoded(row[name], value) == bulk_value(value, name, neptune), (
                row[id_column],
                name,
            )
    types = Counter((r[":START_ID"], r[":END_ID"], r[":TYPE"]) for r in relationships)
    assert types == Counter((u, v, neo4j_type(k)) for u, v, k in expected_edges(G).elements())
    return nodes, relationships


def bulk_value(value: Any, name: str, neptune: bool) -> Any:
    """What a bulk format keeps of a value: one line of text; Neptune cuts fractional seconds."""
    if isinstance(value, list):
        return [bulk_value(item, name, neptune) for item in value]
    if isinstance(value, str):
        value = " ".join(value.splitlines())
        if neptune and name in ("published", "updated"):
            value = re.sub(r"(T\d\d:\d\d:\d\d)\.\d+", r"\1", value)
    return value


def check_neo4j(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    check_bulk(data, G, neptune=False)


def check_neptune(data: bytes, G: nx.MultiDiGraph, tmp_path: Path) -> None:
    _, relationships = check_bulk(data, G, neptune=True)
    assert len({r[":ID"] for r in relationships}) == len(relationships)
    header = unzip(data)["nodes.csv"].decode().splitlines()[0]
    assert all(
        kind.rstrip("[]") in {"ID", "LABEL", "String", "Long", "Double", "Bool", "DateTime"}
        for kind in (column.rpartition(":")[2] for column in header.split(","))
    )


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


ROUND_TRIPS: dict[str, Check] = {
    **{name: check_rdf(name) for name in _RDF},
    "graphml": check_graphml,
    "gexf": check_gexf,
    "json": check_json,
    "csv": check_csv,
    "neo4j": check_neo4j,
    "neptune": check_neptune,
}

#: View formats (html, png, svg) get a lighter check: name -> check(data, G).
VIEW_CHECKS: dict[str, Callable[[bytes, nx.MultiDiGraph], None]] = {
    # The page embeds every node of a small graph; tests/browser checks it in a browser.
    "html": lambda data, G: _check_html(data, G),  # noqa: PLW0108 -- defined below
}


def _check_html(data: bytes, G: nx.MultiDiGraph) -> None:
    from newsgraph.exporters.views.html import read_page_data

    assert {n["key"] for n in read_page_data(data)["nodes"]} == {str(n) for n in G}


def test_every_registered_format_is_in_the_matrix() -> None:
    registered = {f.name for f in formats()}
    views = {f.name for f in formats() if f.family == "view"}
    assert registered - views == set(ROUND_TRIPS), "add a round-trip check for each new format"
    assert views == set(VIEW_CHECKS), "add a (lighter) check for each new view format"


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip_of_the_tiny_graph(name: str, tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    ROUND_TRIPS[name](dumps(tiny, name), tiny, tmp_path)


@pytest.mark.parametrize("name", sorted(ROUND_TRIPS))
def test_round_trip_of_the_sample(name: str, sample_graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    ROUND_TRIPS[name](dumps(sample_graph, name), sample_graph, tmp_path)


@pytest.mark.parametrize("name", sorted(VIEW_CHECKS))
def test_view_formats(name: str, tiny: nx.MultiDiGraph) -> None:
    VIEW_CHECKS[name](dumps(tiny, name), tiny)
