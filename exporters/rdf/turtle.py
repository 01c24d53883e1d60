"""Turtle and TriG: the readable RDF formats, with prefixes and one block per subject.

Written straight from the statements of :mod:`newsgraph.exporters.rdf.statements` (terms already in
N-Triples syntax, which Turtle accepts as they are): IRIs under a known namespace are
shortened to ``prefix:local`` where the local part is a plain name, ``rdf:type``
becomes ``a``, and repeated predicates of a subject are joined with ``,``.  rdflib's
Turtle serialiser sorts and indexes the whole graph first and manages a few thousand
triples a second; this streams and, like N-Triples, runs in workers for big graphs.

TriG writes the facts in the default graph and analysis results (communities,
stories) in the named graph ``<base>analysis``; Turtle has no named graphs, so
they appear there as plain ``ng:community``/``ng:story`` triples.

Not supported: blank-node syntax (``[]``), collections and multi-line string literals
(``\"\"\"``); none is needed, as exports have no blank nodes and text is escaped.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", name="AI")
>>> out = io.BytesIO(); write_turtle(G, out)
>>> b'skos:prefLabel "AI" ;' in out.getvalue()
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.rdf.mapping import Description
from newsgraph.exporters.rdf.statements import RdfOptions, prefixes, render
from newsgraph.exporters.values import OnProblem

__all__ = ["write_trig", "write_turtle"]

_RDF_TYPE: Final = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# A conservative PN_LOCAL: what every Turtle parser reads without escapes.
_LOCAL: Final = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?")
# Minted IRIs come back as objects of many edges; remembering a bounded number pays off.
_CACHE_SIZE: Final = 500_000


def write_turtle(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as Turtle; ``options`` are those of :class:`newsgraph.exporters.rdf.statements.RdfOptions`."""
    rdf_options = RdfOptions(**options)
    shortener = _Shortener(prefixes(rdf_options))
    stream.write(shortener.directives().encode())
    stream.writelines(body for body, _ in render(G, shortener.turtle, rdf_options, on_problem))


def write_trig(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as TriG: facts in the default graph, analysis results in a named graph.

    >>> import io, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("article:https://x.org/a", kind="article", label="A", story=7)
    >>> out = io.BytesIO(); write_trig(G, out)
    >>> out.getvalue().decode().splitlines()[-3:]
    ['id:analysis {', '    article:07a20ac15a87698955e46ebfcf9f0f7d ng:story "7"^^xsd:integer .', '}']
    """
    rdf_options = RdfOptions(**options)
    shortener = _Shortener(prefixes(rdf_options))
    stream.write(shortener.directives().encode())
    named: list[str] = []
    for body, graph_text in render(G, shortener.trig, rdf_options, on_problem):
        stream.write(body)
        if graph_text:
            named.append(graph_text)
    if named:
        graph = shortener.term(f"<{rdf_options.base}analysis>")
        stream.write(f"\n{graph} {{{''.join(named)}}}\n".encode())


class _Shortener:
    """Prefix directives, IRI shortening and the per-chunk renderers."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        # Longest namespace first, so "<base>article/" wins over the base it extends.
        namespaces = sorted(table.items(), key=lambda item: -len(item[1]))
        self.prefix_of = {iri: prefix for prefix, iri in namespaces}
        self.namespace = re.compile(
            "<(" + "|".join(re.escape(iri) for _, iri in namespaces) + ")(.*)>", re.DOTALL
        )
        self.cache: dict[str, str] = {_RDF_TYPE: "a"}

    def directives(self) -> str:
        return "".join(f"@prefix {prefix}: <{iri}> .\n" for prefix, iri in self.table.items())

    def term(self, term: str) -> str:
        """A term as Turtle: ``prefix:local`` where possible, else as it came."""
        if term[0] == '"':
            if term[-1] != ">":
                return term
            lexical, _, datatype = term.rpartition("^^")
            return f"{lexical}^^{self.term(datatype)}"
        short = self.cache.get(term)
        if short is None:
            short = term
            match = self.namespace.fullmatch(term)
            if match is not None and _LOCAL.fullmatch(match[2]):
                short = f"{self.prefix_of[match[1]]}:{match[2]}"
            if len(self.cache) < _CACHE_SIZE:
                self.cache[term] = short
        return short

    def turtle(self, descriptions: list[Description]) -> tuple[str, str]:
        return self._blocks((s, [*facts, *analysis]) for s, facts, analysis in descriptions), ""

    def trig(self, descriptions: list[Description]) -> tuple[str, str]:
        named = [(s, analysis) for s, _, analysis in descriptions if analysis]
        facts = self._blocks((s, facts) for s, facts, _ in descriptions)
        return facts, self._blocks(named, indent="    ")

    def _blocks(self, subjects: Iterable[tuple[str, list[str]]], indent: str = "") -> str:
        """One block per subject (pairs of one subject in a row share a block)."""
        # Plain literals (most objects) are written as they are and predicates come from
        # the cache, so most statements never call term().
        term, cache = self.term, self.cache
        out: list[str] = []
        append = out.append
        subject = predicate = None
        for s, pairs in subjects:
            for pair in pairs:
                p, _, o = pair.partition(" ")
                if o[0] != '"' or o[-1] == ">":
                    o = cache.get(o) or term(o)
                if s != subject:
                    if subject is not None:
                        append(" .\n")
                    append(f"\n{indent}{term(s)} {cache.get(p) or term(p)} {o}")
                    subject, predicate = s, p
                elif p == predicate:
                    append(f", {o}")
                else:
                    append(f" ;\n{indent}    {cache.get(p) or term(p)} {o}")
                    predicate = p
        if subject is not None:
            append(" .\n")
        return "".join(out)
