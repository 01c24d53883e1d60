"""GraphML that Gephi, yEd, Cytoscape, igraph and Neo4j APOC all open with labels.

What each tool needs, and how this file gives it:

- typed keys, one type per attribute name (``boolean``, ``long``, ``double``,
  ``string``), named by ``attr.name``; lists and mappings are JSON text, timestamps
  ISO 8601 text, ``None`` and NaN are left out, XML-illegal characters removed;
- Gephi and Cytoscape take the ``label`` attribute as the node's caption;
- yEd shows a caption only from its own graphics extension, so each node also has a
  minimal ``y:ShapeNode`` with a ``y:NodeLabel`` (run a layout after opening);
- Neo4j's ``apoc.import.graphml(file, {readLabels: true})`` reads node labels from a
  ``labels=":Article"`` attribute of ``<node>`` and relationship types from a
  ``label="RELATED_TO"`` attribute of ``<edge>``;
- node ids are the graph's node keys (never empty, unique); edge ids are ``e0``,
  ``e1``, ... because Gephi and yEd need them unique.

The writer streams: networkx's ``write_graphml`` builds the whole tree in memory,
fails on ``None``, list and date values, and pops ``G.graph["id"]`` from its input.

Not supported: hyperedges, nested graphs, ports and default values (``<default>``).
igraph reads an ``&`` in a node id as ``&#38;`` (a libxml2 quirk in attribute values);
attribute values, labels included, come through unchanged.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", names=["AI", "ai"])
>>> out = io.BytesIO(); write_graphml(G, out)
>>> nx.read_graphml(io.BytesIO(out.getvalue())).nodes["topic:ai"]["names"]
'["AI", "ai"]'
"""

from __future__ import annotations

from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.property_graph.columns import (
    Prepared,
    column_types,
    neo4j_label,
    neo4j_type,
    prepare,
    scalar_text,
    type_name,
    write_rows,
    xml_attribute,
    xml_text,
)
from newsgraph.exporters.values import OnProblem, plain

__all__ = ["write_graphml"]

_HEADER: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:y="http://www.yworks.com/xml/graphml"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def write_graphml(
    G: nx.MultiDiGraph,
    stream: BinaryIO,
    *,
    on_problem: OnProblem | None = None,
    yed: bool = True,
) -> None:
    """Write ``G`` as GraphML; ``yed=False`` leaves out the yEd caption graphics."""
    prepared = prepare(G, on_problem)
    graph_data = {str(k): v for k, v in (plain(G.graph) or {}).items()}
    graph_keys = _keys("g", "graph", column_types([graph_data]))
    node_keys = _keys("n", "node", column_types(prepared.node_attributes()))
    edge_keys = _keys("e", "edge", column_types(prepared.edge_attributes()))
    out = [_HEADER]
    for keys in (graph_keys, node_keys, edge_keys):
        out += [declaration for _, declaration in keys.values()]
    if yed:
        out.append('  <key id="ny" for="node" yfiles.type="nodegraphics"/>\n')
    out.append(
        f'  <graph id="G" edgedefault="{"directed" if G.is_directed() else "undirected"}">\n'
    )
    out.append(_data(graph_data, graph_keys, "    "))
    stream.write("".join(out).encode())
    write_rows(stream, _node_rows(prepared, node_keys, yed))
    write_rows(stream, _edge_rows(prepared, edge_keys))
    stream.write(b"  </graph>\n</graphml>\n")


def _keys(prefix: str, domain: str, types: dict[str, str]) -> dict[str, tuple[str, str]]:
    keys = {}
    for index, (name, kind) in enumerate(types.items()):
        key = f"{prefix}{index}"
        declaration = (
            f'  <key id="{key}" for="{domain}" attr.name="{xml_attribute(name)}"'
            f' attr.type="{type_name(kind, "xml")}"/>\n'
        )
        keys[name] = (key, declaration)
    return keys


def _node_rows(prepared: Prepared, keys: dict[str, tuple[str, str]], yed: bool) -> Any:
    for _, node_id, data in prepared.iter_nodes():
        kind = data.get("kind")
        label = neo4j_label(kind) if kind is not None else ""
        labels = f' labels=":{label}"' if label else ""
        row = [f'    <node id="{xml_attribute(node_id)}"{labels}>\n', _data(data, keys, "      ")]
        if yed:
            caption = xml_text(scalar_text(data.get("label", node_id)))
            row.append(
                f'      <data key="ny"><y:ShapeNode><y:NodeLabel>{caption}'
                "</y:NodeLabel></y:ShapeNode></data>\n"
            )
        row.append("    </node>\n")
        yield "".join(row)


def _edge_rows(prepared: Prepared, keys: dict[str, tuple[str, str]]) -> Any:
    for index, (source, target, key, data) in enumerate(prepared.iter_edges()):
        kind = data.get("kind", key)
        relationship = f' label="{neo4j_type(kind)}"' if kind is not None else ""
        yield (
            f'    <edge id="e{index}" source="{xml_attribute(source)}"'
            f' target="{xml_attribute(target)}"{relationship}>\n'
            f"{_data(data, keys, '      ')}    </edge>\n"
        )


def _data(data: dict[str, Any], keys: dict[str, tuple[str, str]], indent: str) -> str:
    # In key order, not the dict's, so equal graphs give equal files.
    return "".join(
        f'{indent}<data key="{key}">{xml_text(scalar_text(data[name]))}</data>\n'
        for name, (key, _) in keys.items()
        if name in data
    )
