"""The format registry: every export by lower-case name, its aliases in the same row.

A format is one row of :data:`_FORMATS`; its writer is imported only when first used,
so importing :mod:`exporters` stays cheap.  A writer has one of two shapes:

- single file: ``write(G, stream, *, on_problem=None, **options)`` writes bytes to a
  binary stream;
- bundle (``csv``, ``neo4j``, ``neptune``): ``write(G, sink, *, on_problem=None,
  **options)`` writes several named files to an :class:`newsgraph.exporters.sinks.Sink`.

:func:`dump` writes to a path (the format from the suffix if not given, ``.gz``
compressing a single-file format; a bundle goes to a directory, or to a zip archive
when the path ends in ``.zip``), atomically.  :func:`dumps` always returns bytes: a
bundle as a zip archive.  Both are deterministic: the same graph gives the same bytes.
Neither mutates the graph.  Problems (bad IRIs, cleaned text) go to ``on_problem``.

To add a format: write ``exporters/<room>/<name>.py`` with a writer (``rdf``,
``property_graph`` or ``views``), add one row here (its media type is what readers such as
rdflib and pyoxigraph are told), one round-trip check in
``tests/exporters/test_roundtrip.py`` and one line in ``docs/formats.md``.

Not supported: third-party formats through entry points, and compressing bundles
with ``.gz`` (use ``.zip``).

>>> get_format("turtle").name, get_format("TTL").suffix
('ttl', '.ttl')
>>> format_for_path("out/graph.nt.gz")
(Format(name='nt', ...), True)
"""

from __future__ import annotations

import gzip
import importlib
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from newsgraph.exporters.sinks import DirectorySink, ZipSink, atomic_directory, atomic_file
from newsgraph.exporters.values import OnProblem
from newsgraph.graph.errors import ExportError, UnknownFormatError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Format",
    "dump",
    "dumps",
    "format_for_path",
    "formats",
    "formats_table",
    "get_format",
]

Family = Literal["rdf", "property graph", "view"]


@dataclass(frozen=True)
class Format:
    """One export format: its name, file suffix, media type, writer and what it is for."""

    name: str
    suffix: str
    media_type: str = field(repr=False)  # what readers (rdflib, pyoxigraph, HTTP) call it
    family: Family
    writer: str = field(repr=False)  # "module:function", imported on first use
    description: str = field(repr=False)
    aliases: tuple[str, ...] = field(default=(), repr=False)
    bundle: bool = field(default=False, repr=False)  # several files: a directory or a zip

    def load(self) -> Callable[..., None]:
        """Import and return the writer function."""
        module, _, function = self.writer.partition(":")
        writer: Callable[..., None] = getattr(importlib.import_module(module), function)
        return writer

    def filename(self, stem: str = "graph") -> str:
        """The file (or, for a bundle, directory) name this format writes by default.

        >>> get_format("ttl").filename(), get_format("neo4j").filename()
        ('graph.ttl', 'graph-neo4j')
        """
        return f"{stem}-{self.name}" if self.bundle else f"{stem}{self.suffix}"


# fmt: off
_FORMATS: Final = (
    Format("nt", ".nt", "application/n-triples", "rdf", "newsgraph.exporters.rdf.ntriples:write_ntriples", "N-Triples, one triple a line: bulk loads into any triple store", ("ntriples", "n-triples")),
    Format("nq", ".nq", "application/n-quads", "rdf", "newsgraph.exporters.rdf.ntriples:write_nquads", "N-Quads: N-Triples with analysis results in a named graph", ("nquads", "n-quads")),
    Format("ttl", ".ttl", "text/turtle", "rdf", "newsgraph.exporters.rdf.turtle:write_turtle", "Turtle: readable RDF with prefixes, for people and triple stores", ("turtle",)),
    Format("trig", ".trig", "application/trig", "rdf", "newsgraph.exporters.rdf.turtle:write_trig", "TriG: Turtle with analysis results in a named graph", ()),
    Format("jsonld", ".jsonld", "application/ld+json", "rdf", "newsgraph.exporters.rdf.jsonld:write_jsonld", "JSON-LD, compact, with an inline context (nothing fetched)", ("json-ld",)),
    Format("rdfxml", ".rdf", "application/rdf+xml", "rdf", "newsgraph.exporters.rdf.rdfxml:write_rdfxml", "RDF/XML, for tools that read nothing else (Protégé)", ("rdf/xml", "xml")),
    Format("graphml", ".graphml", "application/graphml+xml", "property graph", "newsgraph.exporters.property_graph.graphml:write_graphml", "GraphML with typed keys: Gephi, yEd, Cytoscape, igraph, Neo4j APOC", ()),
    Format("gexf", ".gexf", "application/gexf+xml", "property graph", "newsgraph.exporters.property_graph.gexf:write_gexf", "GEXF 1.3 with publication times for Gephi's timeline", ()),
    Format("json", ".json", "application/json", "property graph", "newsgraph.exporters.property_graph.nodelink:write_nodelink", "node-link JSON (networkx, D3); re-exported by `newsgraph export`", ("node-link", "nodelink")),
    Format("csv", ".csv.zip", "application/zip", "property graph", "newsgraph.exporters.property_graph.tables:write_csv", "nodes.csv and edges.csv tables for spreadsheets and pandas", (), bundle=True),
    Format("neo4j", ".neo4j.zip", "application/zip", "property graph", "newsgraph.exporters.property_graph.neo4j:write_neo4j", "neo4j-admin import CSVs and an import script", (), bundle=True),
    Format("neptune", ".neptune.zip", "application/zip", "property graph", "newsgraph.exporters.property_graph.neptune:write_neptune", "Amazon Neptune openCypher CSVs for the bulk loader", (), bundle=True),
    Format("html", ".html", "text/html", "view", "newsgraph.exporters.views.html:write_html", "a standalone interactive page (search, filters, details) that works offline", ("htm",)),
)
# fmt: on

_BY_NAME: Final = {alias: f for f in _FORMATS for alias in (f.name, *f.aliases)}


def formats() -> tuple[Format, ...]:
    """Every registered format, in registry order.

    >>> [f.name for f in formats()][:3]
    ['nt', 'nq', 'ttl']
    """
    return _FORMATS


def get_format(name: str) -> Format:
    """The format called ``name`` (or one of its aliases), case-insensitively.

    >>> get_format("yaml")
    Traceback (most recent call last):
    ...
    newsgraph.graph.errors.UnknownFormatError: unknown format 'yaml'; available: csv, gexf, ...
    """
    found = _BY_NAME.get(name.strip().lower())
    if found is None:
        raise UnknownFormatError(name, (f.name for f in _FORMATS))
    return found


def format_for_path(path: str | os.PathLike[str]) -> tuple[Format, bool]:
    """The format a file name asks for, and whether it ends in ``.gz``."""
    name = Path(path).name.lower()
    compressed = name.endswith(".gz")
    if compressed:
        name = name[:-3]
    candidates = [f for f in _FORMATS if name.endswith(f.suffix)]
    if not candidates:
        raise UnknownFormatError(Path(path).suffix or Path(path).name, (f.name for f in _FORMATS))
    return max(candidates, key=lambda f: len(f.suffix)), compressed


def dump(
    G: nx.MultiDiGraph,
    destination: str | os.PathLike[str],
    format: str | None = None,
    *,
    on_problem: OnProblem | None = None,
    **options: Any,
) -> None:
    """Write ``G`` to ``destination`` in ``format`` (default: from the suffix), atomically.

    Missing parent folders are made.
    """
    path = Path(destination)
    if format is None:
        fmt, compressed = format_for_path(path)
    else:
        fmt, compressed = get_format(format), path.name.lower().endswith(".gz")
    writer = fmt.load()
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt.bundle:
        if compressed:
            raise ExportError(f"{fmt.name} writes several files; write a .zip or a directory")
        if path.suffix.lower() == ".zip":
            with atomic_file(path) as stream, zipfile.ZipFile(stream, "w") as archive:
                writer(G, ZipSink(archive), on_problem=on_problem, **options)
        else:
            with atomic_directory(path) as directory:
                writer(G, DirectorySink(directory), on_problem=on_problem, **options)
        return
    with atomic_file(path) as stream:
        if compressed:
            # mtime=0 and no file name in the header keep the output byte-identical.
            with gzip.GzipFile(filename="", mode="wb", fileobj=stream, mtime=0) as packed:
                writer(G, packed, on_problem=on_problem, **options)
        else:
            writer(G, stream, on_problem=on_problem, **options)


def dumps(
    G: nx.MultiDiGraph, format: str, *, on_problem: OnProblem | None = None, **options: Any
) -> bytes:
    """Return ``G`` in ``format`` as bytes (a zip archive for multi-file formats).

    >>> import networkx as nx
    >>> dumps(nx.MultiDiGraph(), "nt").startswith(b"<https://w3id.org/newsgraph/id/dataset>")
    True
    """
    fmt = get_format(format)
    writer = fmt.load()
    buffer = io.BytesIO()
    if fmt.bundle:
        with zipfile.ZipFile(buffer, "w") as archive:
            writer(G, ZipSink(archive), on_problem=on_problem, **options)
    else:
        writer(G, buffer, on_problem=on_problem, **options)
    return buffer.getvalue()


def formats_table() -> str:
    """The registry as a Markdown table (``docs/formats.md`` holds a copy, checked by a test).

    >>> formats_table().splitlines()[2].startswith("| `nt` |")
    True
    """
    rows = ["| format | aliases | writes | kind | for |", "|---|---|---|---|---|"]
    for f in _FORMATS:
        aliases = ", ".join(f"`{a}`" for a in f.aliases) or "—"
        writes = f"directory or `{f.suffix}`" if f.bundle else f"`{f.suffix}`"
        rows.append(f"| `{f.name}` | {aliases} | {writes} | {f.family} | {f.description} |")
    return "\n".join(rows) + "\n"
