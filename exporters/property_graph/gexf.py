"""GEXF 1.3 for Gephi, with each article's publication time on its timeline.

Nodes carry their ``label`` as GEXF's caption and every other attribute as a typed
``attvalue`` (one type per attribute: ``boolean``, ``long``, ``double``, ``string``;
lists of scalars as GEXF's ``liststring``, written as JSON arrays -- the other list types
would fail networkx's reader; mappings as JSON text).  An article's
``published`` time becomes its ``start``, so Gephi's timeline shows the graph growing as
news appears (a bare date starts at midnight UTC); nodes without one exist throughout.
The graph's ``timeformat`` is ``date`` (the schema's time values take dates and
date-times alike, and Gephi reads both): networkx's ``read_gexf`` knows no
``dateTime`` time format and fails on it.  Edges have unique ids,
their kind as ``label`` and as GEXF 1.3's ``kind`` (Gephi's edge type).

Not supported: ``viz`` colours, sizes and positions (lay the graph out in Gephi),
spells, and dynamic attribute values.

>>> import io, networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("article:https://x.org/a", kind="article", label="A", published="2020-06-11T12:58:00Z")
>>> out = io.BytesIO(); write_gexf(G, out)
>>> b'start="2020-06-11T12:58:00Z"' in out.getvalue()
True
"""

from __future__ import annotations

import functools
import re
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.property_graph.bulk import bulk_columns
from newsgraph.exporters.property_graph.columns import (
    Prepared,
    column_types,
    prepare,
    scalar_text,
    type_name,
    xml_attribute,
)
from newsgraph.exporters.property_graph.parts import write_rows_in_parts
from newsgraph.exporters.values import OnProblem, plain

__all__ = ["write_gexf"]

_HEADER: Final = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n'
)
_TIMESTAMP: Final = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d))?")


def write_gexf(
    G: nx.MultiDiGraph,
    stream: BinaryIO,
    *,
    on_problem: OnProblem | None = None,
    jobs: int | None = None,
) -> None:
    """Write ``G`` as GEXF 1.3 (dynamic: articles start when they were published).

    ``jobs`` processes write the rows (default: one per core for big graphs); the file is
    the same for any number.
    """
    prepared = prepare(G, on_problem)
    node_types = _gexf_types(prepared, node=True)
    node_types.pop("label", None)  # the caption is the node's own label attribute
    edge_types = _gexf_types(prepared, node=False)
    name = xml_attribute(scalar_text((plain(G.graph) or {}).get("name", "newsgraph")))
    version = xml_attribute(scalar_text((plain(G.graph) or {}).get("newsgraph_version", "")))
    edge_default = "directed" if G.is_directed() else "undirected"
    head = [
        _HEADER,
        f"  <meta>\n    <creator>newsgraph {version}</creator>\n",
        f"    <description>{name}</description>\n  </meta>\n",
        f'  <graph defaultedgetype="{edge_default}" mode="dynamic" timeformat="date">\n',
        _declarations("node", node_types),
        _declarations("edge", edge_types),
        f'    <nodes count="{G.number_of_nodes()}">\n',
    ]
    stream.write("".join(head).encode())
    write_rows_in_parts(
        stream,
        prepared,
        functools.partial(_node_row, node_types),
        functools.partial(_edge_row, edge_types),
        between=f'    </nodes>\n    <edges count="{G.number_of_edges()}">\n',
        jobs=jobs,
    )
    stream.write(b"    </edges>\n  </graph>\n</gexf>\n")


def _gexf_types(prepared: Prepared, *, node: bool) -> dict[str, str]:
    """GEXF's type of each attribute: a scalar type, a list type, or ``string``."""
    rows = prepared.node_attributes() if node else prepared.edge_attributes()
    types = {name: type_name(kind, "xml") for name, kind in column_types(rows).items()}
    for name, column in bulk_columns(prepared, node=node).items():
        if column.array and name in types:
            types[name] = "liststring"  # networkx reads no other list type
    return types


def _declarations(domain: str, types: dict[str, str]) -> str:
    rows = [f'    <attributes class="{domain}" mode="static">\n']
    for index, (name, kind) in enumerate(types.items()):
        rows.append(
            f'      <attribute id="{index}" title="{xml_attribute(name)}" type="{kind}"/>\n'
        )
    rows.append("    </attributes>\n")
    return "".join(rows)


def _attvalues(data: dict[str, Any], types: dict[str, str], indent: str) -> str:
    values = [
        f'{indent}  <attvalue for="{index}" value="{xml_attribute(scalar_text(data[name]))}"/>\n'
        for index, name in enumerate(types)
        if name in data
    ]
    return f"{indent}<attvalues>\n{''.join(values)}{indent}</attvalues>\n" if values else ""


def _node_row(types: dict[str, str], node_id: str, data: dict[str, Any]) -> str:
    label = xml_attribute(scalar_text(data.get("label", node_id)))
    start = _start(data.get("published"))
    start_attribute = f' start="{start}"' if start else ""
    return (
        f'      <node id="{xml_attribute(node_id)}" label="{label}"{start_attribute}>\n'
        f"{_attvalues(data, types, '        ')}      </node>\n"
    )


def _edge_row(
    types: dict[str, str], index: int, source: str, target: str, key: Any, data: dict[str, Any]
) -> str:
    kind = data.get("kind", key)
    kind_attributes = (
        f' label="{xml_attribute(str(kind))}" kind="{xml_attribute(str(kind))}"' if kind else ""
    )
    return (
        f'      <edge id="{index}" source="{xml_attribute(source)}" target="{xml_attribute(target)}"'
        f"{kind_attributes}>\n{_attvalues(data, types, '        ')}      </edge>\n"
    )


def _start(published: Any) -> str | None:
    if not isinstance(published, str) or _TIMESTAMP.fullmatch(published) is None:
        return None
    return published if "T" in published else f"{published}T00:00:00Z"
