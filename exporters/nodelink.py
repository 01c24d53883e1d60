"""networkx node-link JSON: the ``graph.json`` that ``newsgraph build`` writes, and reads back.

Deterministic: nodes and edges in graph order (the builder adds them sorted), keys in a fixed
order, UTF-8, no NaN.  Every value in a newsgraph graph is JSON-native, so a graph read back
with :func:`graph_from_json` equals the one written.

>>> import networkx as nx
>>> G = nx.MultiDiGraph(name="g"); G.add_node("topic:ai", kind="topic", label="AI")
>>> G.add_edge("topic:ai", "topic:ai", key="about", kind="about")
'about'
>>> H = graph_from_json(graph_to_json(G))
>>> list(H.nodes(data=True)), list(H.edges(keys=True))
([('topic:ai', {'kind': 'topic', 'label': 'AI'})], [('topic:ai', 'topic:ai', 'about')])
"""

from __future__ import annotations

import json
from typing import IO, Any

import networkx as nx

__all__ = ["graph_from_json", "graph_to_json", "write_nodelink"]


def graph_to_json(G: nx.MultiDiGraph) -> bytes:
    """The graph as node-link JSON bytes."""
    data: dict[str, Any] = nx.node_link_data(G, edges="edges")
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def write_nodelink(G: nx.MultiDiGraph, stream: IO[bytes]) -> None:
    """Write node-link JSON bytes to a binary stream."""
    stream.write(graph_to_json(G))


def graph_from_json(data: bytes | str) -> nx.MultiDiGraph:
    """Read a graph written by :func:`graph_to_json` (or ``newsgraph build``)."""
    parsed = json.loads(data)
    G = nx.node_link_graph(parsed, directed=True, multigraph=True, edges="edges")
    return G
