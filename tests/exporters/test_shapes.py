"""The shipped SHACL shapes: every RDF export conforms, and a violation is caught."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
import rdflib

from newsgraph import DocumentError, dump, dumps, formats
from newsgraph.exporters.rdf.iri import mint_iri
from newsgraph.exporters.rdf.validate import (
    load_export,
    shapes_graph,
    validate_file,
    validate_graph,
)

RDF_FORMATS = [f for f in formats() if f.family == "rdf"]
BASE = "https://w3id.org/newsgraph/id/"


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
def test_every_rdf_export_of_the_sample_conforms(fmt, sample_graph, tmp_path: Path) -> None:
    path = tmp_path / fmt.filename()
    dump(sample_graph, path)
    result = validate_file(path)
    assert result.conforms, result.text


def test_the_hostile_graph_still_conforms(hostile: nx.MultiDiGraph) -> None:
    graph = rdflib.Graph().parse(data=dumps(hostile, "nt"), format="nt")
    result = validate_graph(graph)
    assert result.conforms, result.text


def test_https_schema_is_checked_against_https_shapes(tiny: nx.MultiDiGraph) -> None:
    graph = rdflib.Graph().parse(data=dumps(tiny, "nt", schema="https://schema.org/"), format="nt")
    assert validate_graph(graph).conforms
    assert "https://schema.org/NewsArticle" in shapes_graph("https://schema.org/").serialize(
        format="nt"
    )


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            '<{a}> <http://schema.org/headline> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            "datatype",
        ),
        ('<{a}> <https://w3id.org/newsgraph/ns#colour> "red" .', "closed"),
        ("<{a}> <http://schema.org/publisher> <{a}> .", "class"),
        ('<{a}> <http://schema.org/headline> "a second headline" .', "maxCount"),
    ],
)
def test_violations_are_caught(tiny: nx.MultiDiGraph, keys, extra: str, problem: str) -> None:
    article = mint_iri(BASE, keys.ferry)
    data = dumps(tiny, "nt") + extra.format(a=article).encode() + b"\n"
    result = validate_graph(rdflib.Graph().parse(data=data, format="nt"))
    assert not result.conforms and result.results >= 1, problem


def test_an_article_without_provenance_is_caught(tiny: nx.MultiDiGraph, keys) -> None:
    article = rdflib.URIRef(mint_iri(BASE, keys.plans))
    graph = rdflib.Graph().parse(data=dumps(tiny, "nt"), format="nt")
    graph.remove((article, rdflib.URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), None))
    assert not validate_graph(graph).conforms


def test_compressed_exports_are_read(tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    dump(tiny, tmp_path / "g.ttl.gz")
    assert len(load_export(tmp_path / "g.ttl.gz")) == dumps(tiny, "nt").count(b"\n")
    assert validate_file(tmp_path / "g.ttl.gz").conforms


@pytest.mark.parametrize("fmt", RDF_FORMATS, ids=lambda f: f.name)
@pytest.mark.parametrize("data", [b'garbage <<< "', b"\xff\xfe\x00binary", b'{"@id": 3'])
def test_an_unreadable_export_is_one_document_error(fmt, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"bad{fmt.suffix}"
    path.write_bytes(data)
    with pytest.raises(DocumentError) as caught:
        load_export(path)
    assert caught.value.code == "rdf-syntax" and caught.value.path == str(path)
    assert "\n" not in str(caught.value) and "cannot be read as RDF" in str(caught.value)
    assert caught.value.__cause__ is not None
