"""The RDF mapping of DESIGN §5, checked triple by triple on the tiny graph."""

from __future__ import annotations

import io
import os

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, VOID

from newsgraph import dumps
from newsgraph.exporters.rdf.iri import iri_problem, is_valid_base, mint_iri
from newsgraph.exporters.rdf.jsonld import context
from newsgraph.exporters.rdf.rdfxml import write_rdfxml
from newsgraph.exporters.rdf.statements import RdfOptions, iter_statements, prefixes
from newsgraph.exporters.rdf.vocabulary import NG, SCHEMA, schema_vocabulary

S = Namespace("http://schema.org/")
N = Namespace(NG.iri)
BASE = "https://w3id.org/newsgraph/id/"


@pytest.fixture
def graph(tiny: nx.MultiDiGraph) -> rdflib.Graph:
    return rdflib.Graph().parse(data=dumps(tiny, "nt"), format="nt")


def node(key: str) -> URIRef:
    return URIRef(mint_iri(BASE, key))


def test_articles_are_news_articles_or_videos(graph, keys) -> None:
    assert (node(keys.ferry), RDF.type, S.NewsArticle) in graph
    assert (node(keys.plans), RDF.type, S.NewsArticle) in graph
    assert (node(keys.video), RDF.type, S.VideoObject) in graph


def test_text_is_tagged_with_the_locale(graph, keys) -> None:
    headline = graph.value(node(keys.ferry), S.headline)
    assert headline == Literal("Ferry returns to the north pier", lang="en-us")
    assert graph.value(node(keys.video), S.headline).language == "fr"
    assert graph.value(node(keys.plans), S.headline).language is None
    excerpt = graph.value(node(keys.ferry), S.description)
    assert str(excerpt) == 'The ferry line resumes after a "long" winter;\nnew timetable inside.'


def test_urls_canonical_amp_and_others(graph, keys) -> None:
    ferry = node(keys.ferry)
    assert set(graph.objects(ferry, S.url)) == {
        URIRef("https://harbor.example/2021/05/ferry-returns")
    }
    assert set(graph.objects(ferry, N.ampUrl)) == {
        URIRef(
            "https://harbor-example.cdn.ampproject.org/c/s/harbor.example/amp/2021/05/ferry-returns"
        ),
        URIRef("https://harbor.example/amp/2021/05/ferry-returns"),
    }
    assert set(graph.objects(ferry, N.alternateUrl)) == {
        URIRef("https://harbor.example/2021/05/ferry-returns?ref=feed")
    }


def test_dates_are_typed_and_keep_their_lexical_form(tiny, keys) -> None:
    text = dumps(tiny, "nt").decode()
    xsd = "http://www.w3.org/2001/XMLSchema#"
    ferry, plans = f"<{mint_iri(BASE, keys.ferry)}>", f"<{mint_iri(BASE, keys.plans)}>"
    assert f'{ferry} <{S.datePublished}> "2021-05-03T08:15:00Z"^^<{xsd}dateTime> .' in text
    assert f'{ferry} <{S.dateModified}> "2021-05-03T09:00:30.250Z"^^<{xsd}dateTime> .' in text
    assert f'{plans} <{S.datePublished}> "2021-05-02"^^<{xsd}date> .' in text


def test_numbers_booleans_and_project_properties(graph, keys) -> None:
    ferry = node(keys.ferry)
    assert graph.value(ferry, N.quality) == Literal(71, datatype=XSD.integer)
    assert graph.value(ferry, N.heat) == Literal(-1, datatype=XSD.integer)
    assert graph.value(node(keys.video), N.quality).datatype == XSD.double
    assert graph.value(ferry, N.published) == Literal(True)
    assert graph.value(ferry, N.isStub) == Literal(False)
    assert graph.value(node(keys.plans), N.isStub) == Literal(True)
    assert str(graph.value(ferry, N.secured)) == "c2VjcmV0;Zm9vYmFy=="
    assert set(map(str, graph.objects(ferry, N.category))) == {"local", "transport"}
    assert str(graph.value(ferry, S.articleSection)) == "news"
    extra = graph.value(ferry, N.extra)
    assert extra.datatype == URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON")
    assert str(extra) == '{"flags":["a","b"],"note":"tab\\there","readingTime":3}'


def test_edges(graph, keys) -> None:
    ferry = node(keys.ferry)
    assert graph.value(ferry, S.publisher) == node(keys.harbor)
    assert set(graph.objects(ferry, S.about)) == {node("topic:transport"), node("topic:climate")}
    assert graph.value(ferry, N.tag) == node("tag:us-ca")
    assert graph.value(ferry, S.image) == node(keys.photo)
    assert graph.value(ferry, DCTERMS.relation) == node(keys.plans)
    assert graph.value(node(keys.fieldnote), S.logo) == node(keys.logo)


def test_providers_concepts_and_images(graph, keys) -> None:
    harbor = node(keys.harbor)
    assert (harbor, RDF.type, S.Organization) in graph
    assert str(graph.value(harbor, S.name)) == "Harbor Times"
    assert set(map(str, graph.objects(harbor, S.alternateName))) == {"The Harbor Times"}
    assert graph.value(harbor, S.url) == URIRef("https://harbor.example/")
    topic = node("topic:transport")
    assert (topic, RDF.type, SKOS.Concept) in graph
    assert str(graph.value(topic, SKOS.prefLabel)) == "Transport"
    assert graph.value(topic, SKOS.inScheme) == URIRef(BASE + "topics")
    assert graph.value(node("tag:us-ca"), SKOS.inScheme) == URIRef(BASE + "tags")
    assert (URIRef(BASE + "topics"), RDF.type, SKOS.ConceptScheme) in graph
    photo = node(keys.photo)
    assert graph.value(photo, S.contentUrl) == URIRef(
        "https://img.harbor.example/ferry.jpg?w=1200&h=630"
    )
    assert graph.value(photo, S.width) == Literal(1200)
    assert str(graph.value(photo, S.caption)) == "The ferry at dawn"


def test_provenance_and_dataset(graph, keys, tiny) -> None:
    sources = set(graph.objects(node(keys.ferry), PROV.wasDerivedFrom))
    assert len(sources) == 2
    labels = {str(graph.value(s, rdflib.RDFS.label)) for s in sources}
    assert labels == {"news/harbor/ferry.md", "news/harbor/digest.json"}
    assert all((s, RDF.type, PROV.Entity) in graph for s in sources)
    # a file named by several articles is described once
    described = list(graph.subjects(RDF.type, PROV.Entity))
    assert len(described) == len(set(described)) == 3
    dataset = URIRef(BASE + "dataset")
    assert (dataset, RDF.type, VOID.Dataset) in graph
    assert graph.value(dataset, VOID.entities) == Literal(tiny.number_of_nodes())
    assert URIRef("http://schema.org/") in set(graph.objects(dataset, VOID.vocabulary))


def test_documents_count_goes_into_the_dataset(tiny) -> None:
    graph = rdflib.Graph().parse(data=dumps(tiny, "nt", documents=47), format="nt")
    assert graph.value(URIRef(BASE + "dataset"), VOID.documents) == Literal(47)


def test_analysis_results_are_kept_apart_in_quad_formats(tiny, keys) -> None:
    quads = dumps(tiny, "nq").decode().splitlines()
    named = [q for q in quads if q.endswith(f"<{BASE}analysis> .")]
    assert len(named) == 2 and all("#community>" in q or "#story>" in q for q in named)
    triples = dumps(tiny, "nt").decode().splitlines()
    assert sum("#community>" in t or "#story>" in t for t in triples) == 2


def test_https_schema_namespace_and_base(tiny, keys) -> None:
    text = dumps(tiny, "nt", schema="https://schema.org/", base="https://example.org/kg/").decode()
    assert "<https://schema.org/NewsArticle>" in text and "<http://schema.org/" not in text
    assert f"<{mint_iri('https://example.org/kg/', keys.ferry)}>" in text
    with pytest.raises(ValueError):
        RdfOptions(schema="https://example.org/schema/")
    with pytest.raises(ValueError):
        RdfOptions(base="https://example.org/no-trailing-slash")


def test_minted_iris_are_deterministic_and_valid() -> None:
    for key in ["article:https://x.example/a b", "topic:", "weird kind:\ud800", ":", "tag:ü"]:
        iri = mint_iri(BASE, key)
        assert iri == mint_iri(BASE, key) and iri_problem(iri) is None
        pyoxigraph.NamedNode(iri)  # a strict parser accepts it
    assert mint_iri(BASE, "topic:a") != mint_iri(BASE, "tag:a")


@pytest.mark.parametrize(
    "iri",
    [
        "https://x.example/",
        "http://x.example:8080/a/b;c?d=e&f=g#h",
        "https://[2001:db8::1]/x",
        "https://ü.example/ä?ö=1",
        "https://x.example/%E2%9C%93",
        "https://x.example/a@b:c!$'()*+,",
    ],
)
def test_valid_iris_pass_and_pyoxigraph_agrees(iri: str) -> None:
    assert iri_problem(iri) is None
    pyoxigraph.NamedNode(iri)


@pytest.mark.parametrize(
    "iri",
    [
        "https://x.example/a b",
        "https://x.example/a\nb",
        "javascript:alert(1)",
        "ftp://x.example/",
        "https://u:p@x.example/",
        "https://user@x.example/",
        "https://x.example/100%",
        "//x.example/a",
        "https://x.example/<a>",
        "https://x.example/{a}",
        "https://x.example/a|b",
        "https://x.example/a^b",
        "https://x.example/a`b",
        'https://x.example/a"b',
        "https://x.example/a\\b",
        "https://[zz]/",
        "https://x.example:8o/",
        "https:///a",
        "https://x.example/\x7f",
        "https://x.example/\ud800",
        "",
        "https://x.example/\u200b\ufffe",
        "https://x.example/a\xa0b",
        "https://x.example/a\u2028",
        "https://x.example/\u200f",
        "https://x.example/a\u3000b",
    ],
)
def test_invalid_iris_are_refused(iri: str) -> None:
    assert iri_problem(iri) is not None


def test_base_must_end_in_a_separator() -> None:
    assert is_valid_base(BASE) and is_valid_base("https://example.org/vocab#")
    assert not is_valid_base("https://example.org/id") and not is_valid_base(
        "mailto:x@example.org/"
    )


def test_vocabulary_is_closed() -> None:
    assert SCHEMA.headline == "http://schema.org/headline"
    with pytest.raises(AttributeError):
        _ = SCHEMA.headlin
    with pytest.raises(AttributeError):
        _ = NG["nonsense"]
    assert schema_vocabulary("https://schema.org/").url == "https://schema.org/url"


def test_jsonld_context_has_one_term_per_property_and_no_network(tiny) -> None:
    ctx = context()
    assert ctx["headline"] == "schema:headline" and ctx["@base"] == BASE
    assert not any(
        isinstance(v, str) and v.startswith(("http://", "https://")) and not v.endswith(("/", "#"))
        for k, v in ctx.items()
        if k != "@base"
    )
    text = dumps(tiny, "jsonld").decode()
    assert '"@context": {' in text  # inline, not a URL to fetch


def test_statements_are_grouped_by_subject(sample_graph) -> None:
    seen: list[str] = []
    for subject, _, _, _ in iter_statements(sample_graph):
        if not seen or seen[-1] != subject:
            assert subject not in seen, "a subject's statements must be contiguous"
            seen.append(subject)


def _copies(G: nx.MultiDiGraph, count: int) -> nx.MultiDiGraph:
    """``count`` disjoint copies of ``G`` in one graph (keys get a copy number)."""
    return nx.union_all([nx.relabel_nodes(G, {n: f"{n}/{i}" for n in G}) for i in range(count)])


@pytest.mark.parametrize("name", ["nt", "nq", "ttl", "trig", "jsonld"])
def test_worker_processes_write_the_same_bytes_and_problems(name: str, hostile) -> None:
    big = _copies(hostile, 150)  # over 2,000 nodes: enough for three processes
    big.graph["name"] = "a name with a \x07 bell"  # a problem found before any fork
    one: list = []
    three: list = []
    assert dumps(big, name, jobs=1, on_problem=one.append) == dumps(
        big, name, jobs=3, on_problem=three.append
    )
    assert one == three and len(one) > 150
    assert sum(p.code == "cleaned-text" and p.path == "graph" for p in one) == 1


@pytest.mark.parametrize("name", ["jsonld", "rdfxml"])
def test_a_worker_hands_over_its_output_in_whole_parts(name: str, tiny) -> None:
    # JSON-LD trims the end of each part and RDF/XML parses each part on its own, so a
    # worker's output (here over a megabyte) must reach them cut where it was rendered.
    big = _copies(tiny, 500)
    assert dumps(big, name, jobs=2) == dumps(big, name, jobs=1)


def test_rdfxml_engines_write_the_same_triples(tiny) -> None:
    expected = {str(t) for t in pyoxigraph.parse(dumps(tiny, "nt"), pyoxigraph.RdfFormat.N_TRIPLES)}
    for engine in ("oxigraph", "rdflib"):
        out = io.BytesIO()
        write_rdfxml(tiny, out, engine=engine)
        got = {str(t) for t in pyoxigraph.parse(out.getvalue(), pyoxigraph.RdfFormat.RDF_XML)}
        assert got == expected, engine


def test_turtle_uses_prefixes(tiny) -> None:
    text = dumps(tiny, "ttl").decode()
    for prefix, namespace in prefixes().items():
        assert f"@prefix {prefix}: <{namespace}> ." in text
    assert " a schema:NewsArticle ;" in text and "<http://schema.org/headline>" not in text


def test_a_failing_worker_is_reported_and_an_abandoned_export_stops_its_workers(tiny) -> None:
    from newsgraph.exporters.rdf.statements import render
    from newsgraph.exporters.rdf.workers import WorkerError

    big = _copies(tiny, 300)
    last = mint_iri(BASE, max(big.nodes))  # rendered by the last worker

    def fussy(descriptions):
        if any(s == f"<{last}>" for s, _, _ in descriptions):
            raise ValueError("cannot render this one")
        return "".join(f"{s} {pair} .\n" for s, facts, _ in descriptions for pair in facts), ""

    with pytest.raises(WorkerError, match="ValueError: cannot render this one"):
        list(render(big, fussy, RdfOptions(jobs=2)))
    parts = render(big, fussy, RdfOptions(jobs=3))
    next(parts), next(parts)
    parts.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind
