"""The graph as RDF statements, following DESIGN §5; every RDF writer starts here.

:func:`iter_statements` yields ``(subject, predicate, object, graph)`` tuples whose
terms are already in N-Triples syntax (``<iri>``, ``"text"@en``,
``"3"^^<...#integer>``; ``graph`` is ``""`` for the default graph).  The writers use
:func:`render`, which hands them each subject's statements as a
:data:`~newsgraph.exporters.rdf.mapping.Description` -- ``"<predicate> object"`` pairs formatted
once: N-Triples joins them, Turtle and TriG shorten IRIs with prefixes, JSON-LD and
RDF/XML parse them back.

The mapping, by node kind:

- article: ``schema:NewsArticle`` (``schema:VideoObject`` for ``type: video``);
  ``schema:headline``/``schema:description`` tagged with the locale's language;
  ``schema:url`` for the canonical URL, ``ng:ampUrl`` for AMP variants and
  ``ng:alternateUrl`` for other URLs as written; ``schema:datePublished`` and
  ``schema:dateModified`` as ``xsd:dateTime`` (``xsd:date`` for a bare date);
  ``prov:wasDerivedFrom`` a ``prov:Entity`` per source file; ``ng:extra`` holds the
  unknown fields as one ``rdf:JSON`` literal; edges become ``schema:publisher``,
  ``schema:about``, ``ng:tag``, ``schema:image`` and ``dcterms:relation``;
- provider: ``schema:Organization`` with ``schema:name``, ``schema:alternateName``,
  ``ng:domain`` and ``schema:url`` (``https://<domain>/``), ``schema:logo``;
- topic and tag: ``skos:Concept`` with ``skos:prefLabel``/``skos:altLabel`` in one
  concept scheme each (``<base>topics``, ``<base>tags``);
- image: ``schema:ImageObject`` with ``schema:contentUrl``, ``schema:width``,
  ``schema:height``, ``schema:caption``, ``schema:creditText``;
- the build: one ``void:Dataset`` (``<base>dataset``);
- analysis results (``community``, ``story``) go to the named graph
  ``<base>analysis`` in N-Quads/TriG/JSON-LD, and are plain ``ng:community``/
  ``ng:story`` properties in the triple-only formats.

Nodes get minted IRIs (:func:`newsgraph.exporters.rdf.iri.mint_iri`), so there are no blank nodes.
URLs from the data are validated (:func:`newsgraph.exporters.rdf.iri.iri_problem`); a bad one is
reported as ``bad-iri`` and left out.  Text is cleaned (:func:`newsgraph.exporters.values.clean_text`).

Big graphs are mapped and formatted by several processes (``jobs``; forked, so the
graph is shared rather than copied); the output is the same for any number of jobs.

Not supported: node attributes outside ``docs/graph-schema.md`` (other than
``community`` and ``story``) are not written to RDF (each name is reported once as
``unmapped-attribute``), and neither are edge attributes other than ``kind``: an edge
is one triple, and RDF-star is not used.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", name="AI")
>>> [s for s in iter_statements(G) if "prefLabel" in s[1]][-1][2]
'"AI"'
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

import networkx as nx

from newsgraph.exporters.forked import jobs_for
from newsgraph.exporters.rdf.iri import is_valid_base
from newsgraph.exporters.rdf.mapping import Description, Mapper, Statement, statements
from newsgraph.exporters.rdf.vocabulary import DEFAULT_BASE, VOCABULARIES, schema_vocabulary
from newsgraph.exporters.rdf.workers import Renderer, render_all, render_parallel
from newsgraph.exporters.values import OnProblem
from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.model import Problem

__all__ = [
    "Description",
    "RdfOptions",
    "Renderer",
    "Statement",
    "iter_chunks",
    "iter_statements",
    "prefixes",
    "render",
]


@dataclass(frozen=True)
class RdfOptions:
    """How nodes are named, which schema.org namespace is bound, and how many workers run.

    ``documents`` (the number of files read, when known) goes into the dataset node.
    ``jobs`` is the number of worker processes (default: one per core for big graphs).

    >>> RdfOptions(base="not an iri")
    Traceback (most recent call last):
    ...
    ValueError: base must be an http(s) IRI ending in '/' or '#', not 'not an iri'
    """

    base: str = DEFAULT_BASE
    schema: str = "http://schema.org/"
    documents: int | None = None
    jobs: int | None = None

    def __post_init__(self) -> None:
        if not is_valid_base(self.base):
            raise ValueError(f"base must be an http(s) IRI ending in '/' or '#', not {self.base!r}")
        schema_vocabulary(self.schema)  # raises on a namespace that is not schema.org's


def prefixes(options: RdfOptions = RdfOptions()) -> dict[str, str]:
    """Prefix -> namespace for the writers that abbreviate IRIs (Turtle, TriG, JSON-LD).

    >>> prefixes()["schema"], prefixes()["article"]
    ('http://schema.org/', 'https://w3id.org/newsgraph/id/article/')
    """
    table = {v.prefix: v.iri for v in (*VOCABULARIES, schema_vocabulary(options.schema))}
    for kind in ("article", "provider", "topic", "tag", "image", "source"):
        table[kind] = f"{options.base}{kind}/"
    table["id"] = options.base
    return dict(sorted(table.items()))


def iter_statements(
    G: nx.MultiDiGraph, options: RdfOptions = RdfOptions(), on_problem: OnProblem | None = None
) -> Iterator[Statement]:
    """Yield the statements describing ``G``; what cannot be written goes to ``on_problem``.

    The order is stable: the dataset, the concept schemes, each node by key with its
    attributes and outgoing edges, then the source files (each subject's statements are
    contiguous).
    """
    return itertools.chain.from_iterable(iter_chunks(G, options, on_problem))


def iter_chunks(
    G: nx.MultiDiGraph, options: RdfOptions = RdfOptions(), on_problem: OnProblem | None = None
) -> Iterator[list[Statement]]:
    """The statements of :func:`iter_statements` in lists: the header, one per node, the sources."""
    mapper = Mapper(G, options.base, options.schema, options.documents)
    report = _Reporter(on_problem)
    graph = mapper.analysis_graph
    yield statements(mapper.header(), graph)
    for node in mapper.nodes:
        description = mapper.node(node)
        report(mapper.problems)
        yield statements([description], graph) if description is not None else []
    yield statements(mapper.sources(mapper.source_iris), graph)
    report(mapper.problems)


def render(
    G: nx.MultiDiGraph,
    renderer: Renderer,
    options: RdfOptions = RdfOptions(),
    on_problem: OnProblem | None = None,
) -> Iterator[tuple[bytes, str]]:
    """Yield ``G``'s descriptions formatted by ``renderer``: UTF-8 document text, named-graph text.

    ``renderer`` is called with the header's descriptions, then with each node's, then with
    the source files'.  With more than one job, slices of the nodes are rendered by forked
    processes (:mod:`newsgraph.exporters.rdf.workers`); the output is the same for any number of jobs.
    """
    with cycle_collection_paused():
        mapper = Mapper(G, options.base, options.schema, options.documents)
        report = _Reporter(on_problem)
        body, named = renderer(mapper.header())
        report(mapper.problems)  # before any fork, so that no worker repeats them
        yield body.encode(), named
        jobs = jobs_for(options.jobs, len(mapper.nodes))
        parts = (
            render_parallel(mapper, renderer, jobs) if jobs > 1 else render_all(mapper, renderer)
        )
        for encoded, named, problems in parts:
            report(problems)
            yield encoded, named


class _Reporter:
    """Passes problems on, each "unmapped" notice once even when workers repeat it."""

    def __init__(self, on_problem: OnProblem | None) -> None:
        self.on_problem = on_problem
        self.seen: set[str] = set()

    def __call__(self, problems: list[Problem]) -> None:
        for problem in problems:
            if problem.code == "unmapped-attribute":
                what = problem.message.partition(": ")[2]
                if what in self.seen:
                    continue
                self.seen.add(what)
            if self.on_problem is not None:
                self.on_problem(problem)
        problems.clear()
