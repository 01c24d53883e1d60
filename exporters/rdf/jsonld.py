"""JSON-LD, compact, with its context inline: nothing is fetched from the network.

The document is ``{"@context": {...}, "@graph": [node, ...]}``.  The context binds
the vocabulary prefixes, one short term per property (``"headline"`` for
``schema:headline``) and ``@base`` to the base of minted IRIs, so a node reads
``{"@id": "article/3f2a...", "@type": "schema:NewsArticle", "headline": ...}``.
IRI values are ``{"@id": ...}`` objects; typed literals keep their exact lexical form
as ``{"@value": ..., "@type": "xsd:dateTime"}`` (integers and booleans are plain JSON,
whose RDF form is the same), so the triples are those of N-Triples, term for term.
Analysis results sit in a named graph node ``{"@id": "analysis", "@graph": [...]}``.

The writer builds node objects straight from the statements of :mod:`newsgraph.exporters.rdf.statements`
rather than compacting through rdflib or PyLD: both need the whole graph in memory,
and rdflib orders nodes by hash, so its output differs from run to run.

Not supported: framing, ``@vocab`` and type-scoped contexts; a base ending in ``#``
gives absolute node IRIs instead of relative ones.

>>> import io, json, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("tag:us-ca", kind="tag", label="US-CA", name="US-CA")
>>> out = io.BytesIO(); write_jsonld(G, out)
>>> json.loads(out.getvalue())["@graph"][-1]["prefLabel"]
'US-CA'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.rdf.literals import split_literal
from newsgraph.exporters.rdf.mapping import Description
from newsgraph.exporters.rdf.statements import RdfOptions, render
from newsgraph.exporters.rdf.vocabulary import VOCABULARIES, XSD, schema_vocabulary
from newsgraph.exporters.values import OnProblem

__all__ = ["context", "write_jsonld"]

_RDF_TYPE: Final = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


def context(options: RdfOptions | None = None) -> dict[str, Any]:
    """The inline ``@context``: prefixes, a term per property, and ``@base``.

    >>> ctx = context()
    >>> ctx["headline"], ctx["@base"]
    ('schema:headline', 'https://w3id.org/newsgraph/id/')
    """
    options = options or RdfOptions()
    vocabularies = (*VOCABULARIES, schema_vocabulary(options.schema))
    ctx: dict[str, Any] = {"@base": options.base} if options.base.endswith("/") else {}
    ctx.update({v.prefix: v.iri for v in vocabularies})
    for vocabulary in vocabularies:
        if vocabulary.prefix in ("xsd", "rdf"):
            continue
        for name in sorted(vocabulary.terms):
            if name[0].islower() and name != "type":
                if name in ctx:
                    raise ValueError(f"two vocabularies define the property {name!r}")
                ctx[name] = f"{vocabulary.prefix}:{name}"
    return ctx


def write_jsonld(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as compact JSON-LD; ``options`` are those of :class:`newsgraph.exporters.rdf.statements.RdfOptions`."""
    rdf_options = RdfOptions(**options)
    ctx = context(rdf_options)
    compactor = _Compactor(ctx, rdf_options.base)
    stream.write(b'{\n"@context": ' + _dumps(ctx).encode() + b',\n"@graph": [\n')
    named: list[str] = []
    separator = b""
    for body, graph_text in render(G, compactor.render, rdf_options, on_problem):
        if body:
            stream.write(separator + body[:-2])  # each node ends in ",\n"
            separator = b",\n"
        if graph_text:
            named.append(graph_text)
    if named:
        nodes = "".join(named)[:-2]
        graph = compactor.iri(f"{rdf_options.base}analysis")
        stream.write(
            f'{separator.decode()}{{"@id": {_dumps(graph)}, "@graph": [\n{nodes}\n]}}'.encode()
        )
    stream.write(b"\n]\n}\n")


class _Compactor:
    """Turns statements into compact node objects under one context."""

    def __init__(self, ctx: dict[str, Any], base: str) -> None:
        self.base = base if "@base" in ctx else None
        self.prefixes = sorted(
            (
                (iri, prefix)
                for prefix, iri in ctx.items()
                if isinstance(iri, str) and not prefix.startswith("@") and iri.endswith(("/", "#"))
            ),
            key=lambda item: -len(item[0]),
        )
        self.terms = {
            self.expand(curie): term
            for term, curie in ctx.items()
            if not term.startswith("@") and not curie.endswith(("/", "#"))
        }

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return next(iri for iri, p in self.prefixes if p == prefix) + local

    def iri(self, iri: str) -> str:
        if self.base is not None and iri.startswith(self.base) and len(iri) > len(self.base):
            return iri[len(self.base) :]
        return iri

    def compact(self, iri: str) -> str:
        for namespace, prefix in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri

    def render(self, descriptions: list[Description]) -> tuple[str, str]:
        named = [(s, analysis) for s, _, analysis in descriptions if analysis]
        return self.nodes((s, facts) for s, facts, _ in descriptions), self.nodes(named)

    def nodes(self, subjects: Iterable[tuple[str, list[str]]]) -> str:
        """One node object per subject (pairs of one subject in a row share it)."""
        out: list[str] = []
        node: dict[str, Any] = {}
        subject = None
        for s, p, o in _statements(subjects):
            if s != subject:
                if node:
                    out.append(_dumps(node) + ",\n")
                subject = s
                node = {"@id": self.iri(s[1:-1])}
            if p == _RDF_TYPE:
                key, value = "@type", self.compact(o[1:-1])
            else:
                key = self.terms.get(p[1:-1]) or self.compact(p[1:-1])
                value = self.value(o)
            if key in node:
                previous = node[key]
                node[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                node[key] = value
        if node:
            out.append(_dumps(node) + ",\n")
        return "".join(out)

    def value(self, term: str) -> Any:
        if term[0] == "<":
            return {"@id": self.iri(term[1:-1])}
        lexical, language, datatype = split_literal(term)
        if language:
            return {"@value": lexical, "@language": language}
        if datatype is None:
            return lexical
        if datatype == XSD.boolean:
            return lexical == "true"
        if datatype == XSD.integer and abs(int(lexical)) < 10**21:
            return int(lexical)  # JSON-LD reads larger JSON numbers as doubles
        return {"@value": lexical, "@type": self.compact(datatype)}


def _statements(subjects: Iterable[tuple[str, list[str]]]) -> Iterator[tuple[str, str, str]]:
    for s, pairs in subjects:
        for pair in pairs:
            p, _, o = pair.partition(" ")
            yield s, p, o


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
