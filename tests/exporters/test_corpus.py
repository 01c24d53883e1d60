"""The real corpus (``../shared/corpus``): every RDF export parses strictly, holds the same
triples, and conforms to the shipped SHACL shapes.  Skipped where the corpus is absent.

Building the corpus graph takes minutes, so this module builds it once.  The shapes are
checked on the N-Triples export with pySHACL; every other RDF format is shown to hold
exactly those triples (pyoxigraph, strict), so it conforms too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib

from newsgraph import dumps, formats
from newsgraph.graph.model import Problem

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not here")


@pytest.fixture(scope="module")
def corpus_graph(real_corpus: tuple[nx.MultiDiGraph, object]) -> nx.MultiDiGraph:
    return real_corpus[0]


@pytest.fixture(scope="module")
def reference(corpus_graph: nx.MultiDiGraph) -> tuple[bytes, set[str], list[Problem]]:
    problems: list[Problem] = []
    data = dumps(corpus_graph, "nt", on_problem=problems.append)
    triples = {str(t) for t in pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_TRIPLES)}
    return data, triples, problems


def test_every_rdf_format_parses_strictly_with_the_same_triples(corpus_graph, reference) -> None:
    _, expected, _ = reference
    assert len(expected) > 100_000
    for fmt in (f for f in formats() if f.family == "rdf"):
        data = dumps(corpus_graph, fmt.name)
        parsed = pyoxigraph.parse(data, pyoxigraph.RdfFormat.from_media_type(fmt.media_type))
        got = {f"{q.subject} {q.predicate} {q.object}" for q in parsed}
        assert got == {t.removesuffix(" .") for t in expected} or got == expected, fmt.name


def test_the_corpus_conforms_to_the_shapes(reference) -> None:
    from newsgraph.exporters.rdf.validate import validate_graph

    data, expected, _ = reference
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = rdflib.Graph().parse(data=data, format="nt")
    assert len(graph) == len(expected)
    result = validate_graph(graph)
    assert result.conforms, result.text[:5000]


def test_what_was_left_out_is_reported(reference) -> None:
    _, _, problems = reference
    assert all(
        p.code
        in {
            "bad-iri",
            "cleaned-text",
            "bad-date",
            "bad-language",
            "bad-number",
            "unmapped-attribute",
        }
        for p in problems
    )
    # Problems name files portably: relative to their input folder, prefixed with its name.
    assert all(
        (CORPUS.parent / p.path).is_file() or (CORPUS / p.path).is_file()
        for p in problems
        if p.code == "bad-iri"
    )
