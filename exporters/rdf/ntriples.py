"""N-Triples and N-Quads: one statement a line, the bulk-load format of every triple store.

The statements come from :func:`newsgraph.exporters.rdf.statements.render` already in N-Triples syntax,
so writing is joining strings (:func:`newsgraph.exporters.rdf.mapping.ntriples`); this, not a
general RDF serialiser, is what reaches the throughput of ``benchmarks/bench_export.py``
(pyoxigraph spends more time building its term objects from Python than this spends
writing).  N-Quads puts analysis results
in the named graph ``<base>analysis``; N-Triples writes them as plain triples.

Not supported: canonical N-Triples (RDF 1.1 §4) ordering or escaping beyond what the
grammar requires; output is UTF-8 with ``\\"``, ``\\\\``, ``\\n`` and ``\\t`` escaped.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("tag:us-ca", kind="tag", label="US-CA", name="US-CA")
>>> out = io.BytesIO(); write_ntriples(G, out)
>>> b'"US-CA" .' in out.getvalue()
True
"""

from __future__ import annotations

from typing import Any, BinaryIO

import networkx as nx

from newsgraph.exporters.rdf.mapping import Description, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions, render
from newsgraph.exporters.values import OnProblem

__all__ = ["write_nquads", "write_ntriples"]


def write_ntriples(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as N-Triples; ``options`` are those of :class:`newsgraph.exporters.rdf.statements.RdfOptions`."""
    stream.writelines(body for body, _ in render(G, _triples, RdfOptions(**options), on_problem))


def write_nquads(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as N-Quads, analysis results in their own named graph.

    >>> import io, networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_node("article:https://x.org/a", kind="article", label="A", community=3)
    >>> out = io.BytesIO(); write_nquads(G, out)
    >>> out.getvalue().count(b"id/analysis>")
    1
    """
    rdf_options = RdfOptions(**options)
    graph = f"<{rdf_options.base}analysis>"

    def quads(descriptions: list[Description]) -> tuple[str, str]:
        return ntriples(descriptions, graph), ""

    stream.writelines(body for body, _ in render(G, quads, rdf_options, on_problem))


def _triples(descriptions: list[Description]) -> tuple[str, str]:
    return ntriples(descriptions), ""
