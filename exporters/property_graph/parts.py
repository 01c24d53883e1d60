"""Node and edge rows written in slices by forked processes (GraphML and GEXF).

:func:`write_rows_in_parts` writes what one process writes with
:func:`~newsgraph.exporters.property_graph.columns.write_rows`: a row per node, a separator,
a row per edge; on big graphs the rows are cut into slices of about equal work, each
rendered by a forked child (:mod:`newsgraph.exporters.forked`), and copied out in order.

>>> import io, networkx as nx
>>> from newsgraph.exporters.property_graph.columns import prepare
>>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="k")
'k'
>>> out = io.BytesIO()
>>> write_rows_in_parts(out, prepare(G), lambda i, d: f"<{i}>", lambda n, s, t, k, d: f"[{n}]", jobs=2)
>>> out.getvalue()
b'<a><b>[0]'
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from newsgraph.exporters.forked import Part, cut, jobs_for, parts_in_order
from newsgraph.exporters.property_graph.columns import _FLUSH_ROWS, Prepared, write_rows
from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.model import Problem

__all__ = ["write_rows_in_parts"]


def write_rows_in_parts(
    stream: BinaryIO,
    prepared: Prepared,
    node_row: Callable[[str, dict[str, Any]], str],
    edge_row: Callable[[int, str, str, Any, dict[str, Any]], str],
    *,
    between: str = "",
    jobs: int | None = None,
) -> None:
    """Write a row for every node, ``between``, then a row for every edge (with its index).

    With more than one job (default: one per core for big graphs) the rows are cut into
    slices of about equal work, each rendered by a forked process
    (:mod:`newsgraph.exporters.forked`); the bytes and the problems are those of one process.
    """
    nodes = prepared.nodes
    jobs = jobs_for(jobs, len(nodes))
    if jobs == 1:
        write_rows(stream, (node_row(i, d) for _, i, d in prepared.iter_nodes()))
        stream.write(between.encode())
        edges = enumerate(prepared.iter_edges())
        write_rows(stream, (edge_row(n, s, t, k, d) for n, (s, t, k, d) in edges))
        return
    # Rows 0..len(nodes)-1 are the nodes, the next len(nodes) the edges out of each node.
    edge_counts = [prepared.edges_out(node) for node in nodes]
    first_edges = [0, *itertools.accumulate(edge_counts)]
    work = itertools.chain(
        (1 + len(prepared.G.nodes[n]) for n in nodes), (2 * c for c in edge_counts)
    )

    def rows(part: Prepared, start: int, end: int) -> Iterator[str]:
        for _, node_id, data in part.iter_nodes(nodes[start : min(end, len(nodes))]):
            yield node_row(node_id, data)
        if start <= len(nodes) < end:
            yield between
        first, last = max(start - len(nodes), 0), max(end - len(nodes), 0)
        edges = part.iter_edges(nodes[first:last])
        for index, (source, target, key, data) in enumerate(edges, first_edges[first]):
            yield edge_row(index, source, target, key, data)

    def slice_parts(start: int, end: int) -> Iterator[Part]:
        found: list[Problem] = []
        part = dataclasses.replace(prepared, on_problem=found.append, reported=set())
        pending: list[str] = []
        for row in rows(part, start, end):
            pending.append(row)
            if len(pending) >= _FLUSH_ROWS:
                yield "".join(pending).encode(), "", found[:]
                pending.clear()
                found.clear()
        yield "".join(pending).encode(), "", found[:]

    seen: set[Problem] = set()
    with cycle_collection_paused():
        for encoded, _, problems in parts_in_order(
            [functools.partial(slice_parts, start, end) for start, end in cut(work, jobs)]
        ):
            stream.write(encoded)
            for problem in problems:
                if problem not in seen:
                    seen.add(problem)
                    prepared.report(problem)
