"""GraphML valid against the GraphML 1.0 schema, opened with labels by Gephi, yEd, Cytoscape and igraph.

What each tool needs, and how this file gives it:

- typed keys, one type per attribute name (``boolean``, ``long``, ``double``,
  ``string``), named by ``attr.name``; lists and mappings are JSON text, timestamps
  ISO 8601 text, ``None`` and NaN are left out, XML-illegal characters removed;
- node ids are ``n0``, ``n1``, ... in key order, because the schema types an id as an
  ``NMTOKEN`` (no ``/``, ``?`` or ``#``, so a key such as ``article:https://x.org/a``
  cannot be one); the key itself is the first data column, ``key``; edge ids are
  ``e0``, ``e1``, ... because Gephi and yEd need them unique;
- Gephi and Cytoscape take the ``label`` attribute as the node's caption;
- vendor extras sit only where the schema allows them, and only when asked:
  ``yed=True`` adds a ``y:ShapeNode`` with a ``y:NodeLabel`` inside a ``<data>`` element
  (whose content the schema leaves open to other namespaces) so that yEd shows captions
  (run a layout after opening); the key declaring it carries yEd's ``yfiles.type``
  attribute, which only yEd's own extension of the schema allows.
  ``apoc=True`` adds the ``labels=":Article"`` attribute of ``<node>`` and the
  ``label="RELATED_TO"`` attribute of ``<edge>`` that Neo4j's
  ``apoc.import.graphml(file, {readLabels: true})`` reads as labels and relationship
  types; the base schema has no room for them either.

The writer streams: networkx's ``write_graphml`` builds the whole tree in memory,
fails on ``None``, list and date values, and pops ``G.graph["id"]`` from its input.

Not supported: hyperedges, nested graphs, ports and default values (``<default>``).

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", names=["AI", "ai"])
>>> out = io.BytesIO(); write_graphml(G, out)
>>> H = nx.read_graphml(io.BytesIO(out.getvalue()))
>>> H.nodes["n0"]["key"], H.nodes["n0"]["names"]
('topic:ai', '["AI", "ai"]')
"""

from __future__ import annotations

import functools
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.property_graph.columns import (
    column_types,
    neo4j_label,
    neo4j_type,
    prepare,
    scalar_text,
    type_name,
    xml_attribute,
    xml_text,
)
from newsgraph.exporters.property_graph.parts import write_rows_in_parts
from newsgraph.exporters.values import OnProblem, plain

__all__ = ["write_graphml"]

_HEADER: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{yed}'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)
_YED_NAMESPACE: Final = ' xmlns:y="http://www.yworks.com/xml/graphml"'
#: The data column holding each node's key (ids are n0, n1, ...).
KEY_COLUMN: Final = "key"


def write_graphml(
    G: nx.MultiDiGraph,
    stream: BinaryIO,
    *,
    on_problem: OnProblem | None = None,
    yed: bool = False,
    apoc: bool = False,
    jobs: int | None = None,
) -> None:
    """Write ``G`` as GraphML; ``yed``/``apoc`` add yEd's captions and APOC's labels.

    ``jobs`` processes write the rows (default: one per core for big graphs); the file is
    the same for any number.
    """
    prepared = prepare(G, on_problem)
    graph_data = {str(k): v for k, v in (plain(G.graph) or {}).items()}
    graph_keys = _keys("gk", "graph", column_types([graph_data]))
    node_types = {KEY_COLUMN: "string"}
    node_types.update(column_types(prepared.node_attributes()))
    node_keys = _keys("nk", "node", node_types)
    edge_keys = _keys("ek", "edge", column_types(prepared.edge_attributes()))
    out = [_HEADER.format(yed=_YED_NAMESPACE if yed else "")]
    for keys in (graph_keys, node_keys, edge_keys):
        out += [declaration for _, declaration in keys.values()]
    if yed:
        out.append('  <key id="ny" for="node" yfiles.type="nodegraphics"/>\n')
    out.append(
        f'  <graph id="G" edgedefault="{"directed" if G.is_directed() else "undirected"}">\n'
    )
    out.append(_data(graph_data, graph_keys, "    "))
    stream.write("".join(out).encode())
    numbers = {node_id: f"n{index}" for index, node_id in enumerate(prepared.ids.values())}
    write_rows_in_parts(
        stream,
        prepared,
        functools.partial(_node_row, node_keys, numbers, yed, apoc),
        functools.partial(_edge_row, edge_keys, numbers, apoc),
        jobs=jobs,
    )
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


def _node_row(
    keys: dict[str, tuple[str, str]],
    numbers: dict[str, str],
    yed: bool,
    apoc: bool,
    node_id: str,
    data: dict[str, Any],
) -> str:
    kind = data.get("kind")
    label = neo4j_label(kind) if kind is not None and apoc else ""
    labels = f' labels=":{label}"' if label else ""
    data = {**data, KEY_COLUMN: node_id}
    row = [f'    <node id="{numbers[node_id]}"{labels}>\n', _data(data, keys, "      ")]
    if yed:
        caption = xml_text(scalar_text(data.get("label", node_id)))
        row.append(
            f'      <data key="ny"><y:ShapeNode><y:NodeLabel>{caption}'
            "</y:NodeLabel></y:ShapeNode></data>\n"
        )
    row.append("    </node>\n")
    return "".join(row)


def _edge_row(
    keys: dict[str, tuple[str, str]],
    numbers: dict[str, str],
    apoc: bool,
    index: int,
    source: str,
    target: str,
    key: Any,
    data: dict[str, Any],
) -> str:
    kind = data.get("kind", key)
    relationship = f' label="{neo4j_type(kind)}"' if kind is not None and apoc else ""
    return (
        f'    <edge id="e{index}" source="{numbers[source]}"'
        f' target="{numbers[target]}"{relationship}>\n'
        f"{_data(data, keys, '      ')}    </edge>\n"
    )


def _data(data: dict[str, Any], keys: dict[str, tuple[str, str]], indent: str) -> str:
    # In key order, not the dict's, so equal graphs give equal files.
    return "".join(
        f'{indent}<data key="{key}">{xml_text(scalar_text(data[name]))}</data>\n'
        for name, (key, _) in keys.items()
        if name in data
    )
