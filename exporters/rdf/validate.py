"""Check an RDF export against the SHACL shapes that ship with newsgraph.

The shapes live in ``exporters/shapes/*.ttl`` (articles, organisations, concepts,
images, the dataset and its sources).  They are closed: a property the mapping does
not write is a violation too, so the mapping and the shapes cannot drift apart
unnoticed.  :func:`validate_file` reads an export in any RDF format of the registry
(``.gz`` too) with rdflib and runs pySHACL; an export that binds schema.org as
``https://schema.org/`` is checked against shapes rewritten to that namespace.

pySHACL (a dependency) is imported when a check runs, not with this module: it is slow
to import and exports do not need it.

Not supported: SHACL-SPARQL constraints and inference; shapes are checked as written.

>>> import networkx as nx, rdflib
>>> from newsgraph import dumps
>>> G = nx.MultiDiGraph(); G.add_node("topic:ai", kind="topic", label="AI", name="AI")
>>> validate_graph(rdflib.Graph().parse(data=dumps(G, "nt"), format="nt")).conforms
True
"""

from __future__ import annotations

import gzip
import importlib.resources
import os
import warnings
import xml.sax
import zlib
from dataclasses import dataclass
from pathlib import Path

import rdflib

from newsgraph.exporters.rdf.vocabulary import SCHEMA_NAMESPACES
from newsgraph.exporters.registry import Format, format_for_path, get_format
from newsgraph.graph.errors import DocumentError, ExportError

__all__ = [
    "Validation",
    "load_export",
    "parse_export",
    "shapes_graph",
    "validate_file",
    "validate_graph",
]


@dataclass(frozen=True)
class Validation:
    """The outcome of a SHACL check: whether it conforms, how many results, pySHACL's text."""

    conforms: bool
    results: int
    text: str


def shapes_graph(schema: str = SCHEMA_NAMESPACES[0]) -> rdflib.Graph:
    """All shipped shapes in one graph, with schema.org under ``schema``.

    >>> len(shapes_graph()) > 100
    True
    """
    if schema not in SCHEMA_NAMESPACES:
        raise ValueError(f"schema.org namespace must be one of {SCHEMA_NAMESPACES}")
    graph = rdflib.Graph()
    for resource in sorted(
        (importlib.resources.files("newsgraph.exporters.rdf") / "shapes").iterdir(),
        key=lambda r: r.name,
    ):
        if resource.name.endswith(".ttl"):
            text = resource.read_text(encoding="utf-8")
            graph.parse(data=text.replace(SCHEMA_NAMESPACES[0], schema), format="turtle")
    return graph


def validate_graph(data: rdflib.Graph, schema: str | None = None) -> Validation:
    """Check ``data`` against the shapes; ``schema`` defaults to the namespace ``data`` uses."""
    import pyshacl

    if schema is None:
        https = rdflib.URIRef(SCHEMA_NAMESPACES[1] + "NewsArticle")
        uses_https = any(True for _ in data.triples((None, rdflib.RDF.type, https)))
        schema = SCHEMA_NAMESPACES[1] if uses_https else SCHEMA_NAMESPACES[0]
    with warnings.catch_warnings():
        # pySHACL and rdflib warn about each other's deprecated internals.
        warnings.simplefilter("ignore", DeprecationWarning)
        conforms, report, text = pyshacl.validate(
            data, shacl_graph=shapes_graph(schema), inference="none", advanced=False
        )
    results = len(
        set(
            report.subjects(
                rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult")
            )
        )
    )
    return Validation(bool(conforms), results, str(text))


def load_export(path: str | os.PathLike[str], format: str | None = None) -> rdflib.Graph:
    """Read an RDF export (all of its graphs merged) with rdflib; the format from the suffix.

    A file rdflib cannot read raises :class:`~newsgraph.graph.errors.DocumentError`
    (code ``rdf-syntax``).
    """
    fmt, compressed = format_for_path(path) if format is None else (get_format(format), False)
    _check_rdf(fmt)
    data = Path(path).read_bytes()
    try:
        if compressed or Path(path).name.lower().endswith(".gz"):
            data = gzip.decompress(data)
        return parse_export(data, fmt.name)
    except (
        rdflib.exceptions.Error,  # N-Triples, N-Quads
        SyntaxError,  # Turtle, TriG
        ValueError,  # JSON-LD, bytes that are not UTF-8
        xml.sax.SAXException,  # RDF/XML
        EOFError,  # a truncated .gz
        zlib.error,
        gzip.BadGzipFile,
    ) as err:
        # The one place where rdflib reads a user's file: its errors become one line.
        reason = str(err).strip().splitlines()[0] if str(err).strip() else ""
        what = fmt.name if format is not None else "RDF"
        message = f"cannot be read as {what}: {type(err).__name__}: {reason}"
        raise DocumentError(str(path), "rdf-syntax", message) from err


def parse_export(data: bytes, format: str) -> rdflib.Graph:
    """Parse an RDF export in ``format`` (a registry name) with rdflib, all graphs merged.

    rdflib is told the format's media type from the registry, so no table of parser names
    is needed.

    >>> import networkx as nx
    >>> from newsgraph import dumps
    >>> G = nx.MultiDiGraph(); G.add_node("topic:ai", kind="topic", label="AI", name="AI")
    >>> len(parse_export(dumps(G, "trig"), "trig")) == len(parse_export(dumps(G, "nt"), "nt"))
    True
    """
    fmt = _check_rdf(get_format(format))
    dataset = rdflib.Dataset()  # reads triples and quads alike
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # rdflib's own internals
        dataset.parse(data=data, format=fmt.media_type)
    graph = rdflib.Graph()
    for quad in dataset.quads():
        graph.add(quad[:3])
    return graph


def _check_rdf(fmt: Format) -> Format:
    if fmt.family != "rdf":
        raise ExportError(f"{fmt.name} is not an RDF format; SHACL checks RDF exports")
    return fmt


def validate_file(path: str | os.PathLike[str], format: str | None = None) -> Validation:
    """Read an RDF export and check it against the shipped shapes."""
    return validate_graph(load_export(path, format))
