"""N-Triples and N-Quads: one statement a line, the bulk-load format of every triple store.

The statements come from :func:`exporters.rdf.iter_chunks` already in N-Triples syntax,
so writing is joining strings; this, not a general RDF serialiser, is what reaches
the throughput of ``benchmarks/bench_export.py`` (pyoxigraph spends more time building
its term objects from Python than this spends writing).  N-Quads puts analysis results
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

from exporters._rdf_mapping import Statement
from exporters._values import OnProblem
from exporters.rdf import RdfOptions, render

__all__ = ["write_nquads", "write_ntriples"]


def write_ntriples(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None, **options: Any
) -> None:
    """Write ``G`` as N-Triples; ``options`` are those of :class:`exporters.rdf.RdfOptions`."""
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
    stream.writelines(body for body, _ in render(G, _quads, RdfOptions(**options), on_problem))


def _triples(chunk: list[Statement]) -> tuple[str, str]:
    return "".join([f"{s} {p} {o} .\n" for s, p, o, _ in chunk]), ""


def _quads(chunk: list[Statement]) -> tuple[str, str]:
    return "".join(
        [f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n" for s, p, o, g in chunk]
    ), ""
