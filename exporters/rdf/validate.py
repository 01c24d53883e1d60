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
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import rdflib

from newsgraph.exporters.rdf.vocabulary import SCHEMA_NAMESPACES
from newsgraph.exporters.registry import format_for_path, get_format
from newsgraph.graph.errors import ExportError

__all__ = ["Validation", "load_export", "shapes_graph", "validate_file", "validate_graph"]

#: Registry format name -> rdflib parser name.
_PARSERS: Final = {
    "nt": "nt",
    "nq": "nquads",
    "ttl": "turtle",
    "trig": "trig",
    "jsonld": "json-ld",
    "rdfxml": "xml",
}


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
    """Read an RDF export (all of its graphs merged) with rdflib; the format from the suffix."""
    fmt, compressed = format_for_path(path) if format is None else (get_format(format), False)
    compressed = compressed or Path(path).name.lower().endswith(".gz")
    parser = _PARSERS.get(fmt.name)
    if parser is None:
        raise ExportError(f"{fmt.name} is not an RDF format; SHACL checks RDF exports")
    data = Path(path).read_bytes()
    if compressed:
        data = gzip.decompress(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if parser in ("nquads", "trig", "json-ld"):
            dataset = rdflib.Dataset()
            dataset.parse(data=data, format=parser)
            graph = rdflib.Graph()
            for quad in dataset.quads():
                graph.add(quad[:3])
            return graph
        return rdflib.Graph().parse(data=data, format=parser)


def validate_file(path: str | os.PathLike[str], format: str | None = None) -> Validation:
    """Read an RDF export and check it against the shipped shapes."""
    return validate_graph(load_export(path, format))
