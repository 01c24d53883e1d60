"""RDF/XML, for tools that read nothing else (Protégé, older triple stores).

The statements of :mod:`newsgraph.exporters.rdf.statements` are handed to a real RDF/XML serialiser:
pyoxigraph's when it is installed (streaming, fast), rdflib's otherwise (the whole
graph in memory).  Both get the same terms, lexical forms included, so both write the
same triples; ``engine`` picks one explicitly.  Analysis results are plain
``ng:community``/``ng:story`` triples: RDF/XML has no named graphs.

Not supported: ``rdf:parseType`` shortcuts, and choosing the XML layout; each serialiser
writes one ``rdf:Description`` per subject in its own style.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", name="AI")
>>> out = io.BytesIO(); write_rdfxml(G, out)
>>> b"AI</skos:prefLabel>" in out.getvalue()
True
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO, Literal

import networkx as nx

from newsgraph.exporters.rdf.literals import split_literal
from newsgraph.exporters.rdf.mapping import Description, Statement, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions, iter_statements, prefixes, render
from newsgraph.exporters.values import OnProblem

__all__ = ["ENGINES", "write_rdfxml"]

#: The serialisers RDF/XML can be written with; "auto" takes pyoxigraph when installed.
ENGINES = ("auto", "oxigraph", "rdflib")

Engine = Literal["auto", "oxigraph", "rdflib"]


def write_rdfxml(
    G: nx.MultiDiGraph,
    stream: BinaryIO,
    *,
    on_problem: OnProblem | None = None,
    engine: Engine = "auto",
    **options: Any,
) -> None:
    """Write ``G`` as RDF/XML; ``options`` are those of :class:`newsgraph.exporters.rdf.statements.RdfOptions`."""
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}, not {engine!r}")
    if engine == "auto":
        engine = "oxigraph" if importlib.util.find_spec("pyoxigraph") else "rdflib"
    rdf_options = RdfOptions(**options)
    table = prefixes(rdf_options)
    if engine == "oxigraph":
        parts = (body for body, _ in render(G, _ntriples, rdf_options, on_problem))
        _with_oxigraph(parts, stream, table)
    else:
        _with_rdflib(iter_statements(G, rdf_options, on_problem), stream, table)


def _ntriples(descriptions: list[Description]) -> tuple[str, str]:
    return ntriples(descriptions), ""


def _with_oxigraph(parts: Iterator[bytes], stream: BinaryIO, table: dict[str, str]) -> None:
    import pyoxigraph

    triples = (
        triple
        for part in parts
        for triple in pyoxigraph.parse(part, pyoxigraph.RdfFormat.N_TRIPLES)
    )
    pyoxigraph.serialize(triples, stream, pyoxigraph.RdfFormat.RDF_XML, prefixes=table)


def _with_rdflib(statements: Iterable[Statement], stream: BinaryIO, table: dict[str, str]) -> None:
    import rdflib

    graph = rdflib.Graph(bind_namespaces="none")
    for prefix, namespace in table.items():
        graph.bind(prefix, namespace)
    for s, p, o, _ in statements:
        graph.add((rdflib.URIRef(s[1:-1]), rdflib.URIRef(p[1:-1]), _rdflib_term(o)))
    with warnings.catch_warnings():
        # rdflib warns about its own deprecated internals; they are not ours to fix.
        warnings.simplefilter("ignore", DeprecationWarning)
        graph.serialize(stream, format="xml", encoding="utf-8")


def _rdflib_term(term: str) -> Any:
    import rdflib

    if term[0] == "<":
        return rdflib.URIRef(term[1:-1])
    lexical, language, datatype = split_literal(term)
    # normalize=False keeps the lexical form ("...Z", not "...+00:00"), as pyoxigraph does.
    return rdflib.Literal(lexical, lang=language, datatype=datatype, normalize=False)
