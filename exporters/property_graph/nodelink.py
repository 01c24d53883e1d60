"""Node-link JSON: the graph as networkx and D3 know it, and what ``newsgraph export`` reads.

The layout is networkx's ``node_link_data(G, edges="edges")``: ``{"directed",
"multigraph", "graph", "nodes": [{"id", ...}], "edges": [{"source", "target", "key",
...}]}``.  Values are JSON-native and clean (no NaN, which is not JSON; no lone
surrogates, which are not UTF-8); nodes sorted by key, one node or edge per line, keys
sorted, so equal graphs give equal bytes.  ``newsgraph build`` writes ``graph.json``
with :func:`graph_to_json`; :func:`read_nodelink` and :func:`graph_from_json` read it
back into a ``MultiDiGraph`` equal to the one written.

Not supported: node attributes named ``id`` and edge attributes named ``source``,
``target`` or ``key`` (they would collide with the layout); they are reported and
left out.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_edge("a", "b", key="about", kind="about")
'about'
>>> list(graph_from_json(graph_to_json(G)).edges(keys=True))
[('a', 'b', 'about')]
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from newsgraph.exporters.property_graph.columns import (
    Prepared,
    prepare,
    write_rows,
)
from newsgraph.exporters.values import MISSING, OnProblem, node_problem, plain
from newsgraph.graph.model import Severity

__all__ = [
    "EDGES_LINE",
    "END_LINE",
    "edge_rows",
    "graph_from_json",
    "graph_to_json",
    "head_line",
    "node_rows",
    "read_nodelink",
    "write_nodelink",
]


def write_nodelink(
    G: nx.MultiDiGraph, stream: BinaryIO, *, on_problem: OnProblem | None = None
) -> None:
    """Write ``G`` as node-link JSON."""
    prepared = prepare(G, on_problem)
    stream.write(head_line(G))
    write_rows(stream, _joined(node_rows(prepared)))
    stream.write(EDGES_LINE)
    write_rows(stream, _joined(edge_rows(prepared)))
    stream.write(END_LINE)


#: What ends the nodes and starts the edges, and what ends the file.
EDGES_LINE = b'\n], "edges": [\n'
END_LINE = b"\n]}\n"


def head_line(G: nx.MultiDiGraph) -> bytes:
    """The first line of the file: the graph's attributes, up to the first node."""
    graph = plain(G.graph)
    head = {
        "directed": G.is_directed(),
        "multigraph": G.is_multigraph(),
        "graph": graph if graph is not MISSING else {},
    }
    return _dumps(head)[:-1].encode() + b', "nodes": [\n'


def graph_to_json(G: nx.MultiDiGraph, on_problem: OnProblem | None = None) -> bytes:
    """The graph as node-link JSON bytes."""
    buffer = io.BytesIO()
    write_nodelink(G, buffer, on_problem=on_problem)
    return buffer.getvalue()


def read_nodelink(source: str | os.PathLike[str] | BinaryIO) -> nx.MultiDiGraph:
    """Read a graph from a node-link JSON file or binary stream."""
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as stream:
            return graph_from_json(stream.read())
    return graph_from_json(source.read())


def graph_from_json(text: bytes | str) -> nx.MultiDiGraph:
    """Read a graph written by :func:`graph_to_json` (or networkx's node-link data).

    Also reads networkx's older ``"links"`` layout.
    """
    data = json.loads(text)
    G = nx.MultiDiGraph() if data.get("directed", True) else nx.MultiGraph()
    G.graph.update(data.get("graph", {}))
    for node in data.get("nodes", []):
        attributes = dict(node)
        G.add_node(attributes.pop("id"), **attributes)
    for edge in data.get("edges", data.get("links", [])):
        attributes = dict(edge)
        source_id, target_id = attributes.pop("source"), attributes.pop("target")
        G.add_edge(source_id, target_id, key=attributes.pop("key", None), **attributes)
    return G


def node_rows(prepared: Prepared) -> Iterator[str]:
    """One line (without separator) for each of ``prepared.nodes``."""
    for node, node_id, data in prepared.iter_nodes():
        yield _dumps({**_without(prepared, node, data, ("id",)), "id": node_id})


def edge_rows(prepared: Prepared) -> Iterator[str]:
    """One line (without separator) for each edge of ``prepared.nodes``."""
    for source, target, key, data in prepared.iter_edges():
        row = {
            **_without(prepared, source, data, ("source", "target", "key")),
            "source": source,
            "target": target,
        }
        clean_key = plain(key)
        if clean_key is not MISSING:
            row["key"] = clean_key
        yield _dumps(row)


def _without(
    prepared: Prepared, node: Any, data: dict[str, Any], names: tuple[str, ...]
) -> Mapping[str, Any]:
    clashes = [name for name in names if name in data]
    for name in clashes:
        prepared.report(
            node_problem(
                str(node),
                prepared.G.nodes.get(node, {}),
                "unmapped-attribute",
                f"attribute {name!r} collides with node-link's own; left out",
                Severity.WARNING,
            )
        )
    return {k: v for k, v in data.items() if k not in clashes} if clashes else data


def _joined(rows: Iterator[str]) -> Iterator[str]:
    separator = ""
    for row in rows:
        yield separator + row
        separator = ",\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
