"""N-Triples a part at a time, for exports written shard by shard (:mod:`newsgraph.exporters.streaming`).

A part is some of a graph's nodes (a shard's articles and the providers, topics, tags and
images it owns) with their outgoing edges; the other ends of the edges may be bare nodes,
which are named, never described.  The whole export is :func:`header`, every part, then
:func:`sources`: with one part holding every node in key order, exactly the bytes of
:func:`~newsgraph.exporters.rdf.ntriples.write_ntriples`; with several, the same lines in
another order.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("tag:x", kind="tag", label="x")
>>> out = io.BytesIO(); paths, problems = write_part(G, ["tag:x"], out, RdfOptions())
>>> out.getvalue().count(b"\\n"), paths, problems
(3, [], [])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

import networkx as nx

from newsgraph.exporters.rdf.mapping import Mapper, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.graph.model import Problem

__all__ = ["RdfOptions", "header", "sources", "write_part"]

#: Nodes rendered between two writes.
_BATCH = 1024


def write_part(
    G: nx.MultiDiGraph, nodes: Iterable[Any], stream: BinaryIO, options: RdfOptions
) -> tuple[list[Any], list[Problem]]:
    """Write the descriptions of ``nodes`` of ``G``; the source files they name, and problems."""
    mapper = Mapper(G, options.base, options.schema, options.documents)
    batch = []
    for node in nodes:
        description = mapper.node(node)
        if description is not None:
            batch.append(description)
        if len(batch) == _BATCH:  # one write for many nodes: the lines are the same
            stream.write(ntriples(batch).encode())
            batch.clear()
    stream.write(ntriples(batch).encode())
    return list(mapper.source_iris), list(mapper.problems)


class _Counted(nx.MultiDiGraph):  # type: ignore[misc]  # networkx is untyped
    """An empty graph that says it has ``count`` nodes: the dataset's count, without the nodes."""

    def __init__(self, count: int, attrs: Mapping[str, Any]) -> None:
        super().__init__(**attrs)
        self.count = count

    def number_of_nodes(self) -> int:
        return self.count


def header(graph: Mapping[str, Any], nodes: int, options: RdfOptions) -> bytes:
    """The dataset and concept schemes of a graph with attributes ``graph`` and ``nodes`` nodes."""
    mapper = Mapper(_Counted(nodes, graph), options.base, options.schema, options.documents)
    return ntriples(mapper.header()).encode()


def sources(paths: Iterable[Any], options: RdfOptions) -> bytes:
    """The source files, each described once, in path order."""
    mapper = Mapper(nx.MultiDiGraph(), options.base, options.schema, options.documents)
    return ntriples(mapper.sources(set(paths))).encode()
