"""Neo4j bulk import: CSVs for ``neo4j-admin database import full`` and a script to run it.

Five files:

- ``nodes.csv``: ``key:ID`` (the node key, kept as property ``key``), ``:LABEL``
  (``Article``, ``Provider``, ``Topic``, ``Tag``, ``Image``) and one typed column per
  attribute (``title:string``, ``quality:long``, ``published:datetime``,
  ``urls:string[]``...);
- ``relationships.csv``: ``:START_ID``, ``:END_ID``, ``:TYPE`` (``PUBLISHED_BY``,
  ``ABOUT``, ``TAGGED``, ``HAS_IMAGE``, ``RELATED_TO``) and the edge attributes;
- ``import.sh``: the ``neo4j-admin`` command with the delimiters these files use;
- ``schema.cypher`` and ``load.cypher``: constraints, indexes and a ``LOAD CSV``/``MERGE``
  load of the same files into a running database, Aura included
  (:mod:`newsgraph.exporters.property_graph.neo4j_live`).

Arrays are joined with ``;`` unless an item contains one; then with U+001F (the unit
separator, which text can never hold here: it is one of the control characters every
exporter removes), and ``import.sh`` says so.  No field spans lines: newlines in text
become spaces, as neo4j-admin reads one record per line by default.  Lists of
mappings and mixed values are JSON text.

Not supported: Neo4j 4's ``neo4j-admin import`` syntax (edit the script), ID spaces,
and incremental import.

>>> import io, zipfile, networkx as nx
>>> from newsgraph.exporters.sinks import ZipSink
>>> G = nx.MultiDiGraph()
>>> G.add_node("topic:ai", kind="topic", label="AI", names=["AI", "ai"])
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     write_neo4j(G, ZipSink(archive))
>>> zipfile.ZipFile(buffer).read("nodes.csv").decode().splitlines()
['key:ID,:LABEL,kind:string,label:string,names:string[]', 'topic:ai,Topic,topic,AI,AI;ai']
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.property_graph.bulk import (
    Column,
    bulk_columns,
    cell,
    column_header,
    list_items,
)
from newsgraph.exporters.property_graph.columns import (
    Prepared,
    neo4j_label,
    neo4j_type,
    prepare,
)
from newsgraph.exporters.property_graph.neo4j_live import load_script, schema_script
from newsgraph.exporters.property_graph.tables import write_table
from newsgraph.exporters.sinks import Sink
from newsgraph.exporters.values import OnProblem

__all__ = ["import_script", "write_neo4j", "write_neo4j_tables"]

_UNIT_SEPARATOR: Final = "\x1f"

_SCRIPT: Final = """#!/bin/sh
# Import nodes.csv and relationships.csv into a new Neo4j 5 database (default: neo4j).
# Stop the database first; --overwrite-destination replaces what it holds.
# Written by newsgraph; the array delimiter matches the one used in the CSV files.
set -eu
cd "$(dirname "$0")"
exec neo4j-admin database import full "${{1:-neo4j}}" --overwrite-destination \\
  --delimiter=',' --array-delimiter='{delimiter}' --quote='"' --multiline-fields=false \\
{files}
"""


def import_script(delimiter: str, folders: Sequence[str] = ("",)) -> str:
    """The ``import.sh`` that loads ``nodes.csv`` and ``relationships.csv`` of each folder.

    ``folders`` are relative to the script ("" its own); each file has its own header.

    >>> print(import_script(";", ["a/", "b/"]).splitlines()[-1])
      --nodes=b/nodes.csv --relationships=b/relationships.csv
    """
    shown = "U+001F" if delimiter == _UNIT_SEPARATOR else delimiter
    files = " \\\n".join(
        f"  --nodes={f}nodes.csv --relationships={f}relationships.csv" for f in folders
    )
    return _SCRIPT.format(delimiter=shown, files=files)


def write_neo4j(
    G: nx.MultiDiGraph,
    sink: Sink,
    *,
    on_problem: OnProblem | None = None,
    array_delimiter: str | None = None,
) -> None:
    """Write ``nodes.csv``, ``relationships.csv`` and ``import.sh`` for ``G`` into ``sink``.

    ``array_delimiter`` (``";"`` or U+001F) is chosen from the values unless given: files
    written in parts for one import must share one.
    """
    prepared = prepare(G, on_problem)
    delimiter, node_columns, edge_columns = _write_tables(prepared, prepared, sink, array_delimiter)
    with sink.open("import.sh", executable=True) as stream:
        stream.write(import_script(delimiter).encode())
    # for a running database (Aura included), where neo4j-admin cannot run
    labels = sorted(
        {neo4j_label(d.get("kind", "node")) or "Node" for d in prepared.node_attributes()}
    )
    types = sorted({neo4j_type(k) or "RELATED" for _, _, k in G.edges(data="kind")})
    with sink.open("schema.cypher") as stream:
        stream.write(schema_script(labels).encode())
    with sink.open("load.cypher") as stream:
        node_headers = {column_header(c, "neo4j"): c for c in node_columns.values()}
        edge_headers = {column_header(c, "neo4j"): c for c in edge_columns.values()}
        script = load_script(labels, types, node_headers, edge_headers, delimiter)
        stream.write(script.encode())


def write_neo4j_tables(
    nodes: Prepared, edges: Prepared, sink: Sink, *, array_delimiter: str | None = None
) -> str:
    """Write ``nodes.csv`` of the nodes of ``nodes`` and ``relationships.csv`` of the edges
    of ``edges`` (the same graph, or two parts of one written in parts); the array delimiter
    of the nodes' arrays (``array_delimiter`` if given, else chosen from the values)."""
    return _write_tables(nodes, edges, sink, array_delimiter)[0]


def _write_tables(
    nodes: Prepared, edges: Prepared, sink: Sink, array_delimiter: str | None
) -> tuple[str, dict[str, Column], dict[str, Column]]:
    node_columns = bulk_columns(nodes, node=True)
    edge_columns = bulk_columns(edges, node=False)
    delimiter = array_delimiter or _array_delimiter(nodes, node_columns)
    with sink.open("nodes.csv") as stream:
        header = ["key:ID", ":LABEL", *(column_header(c, "neo4j") for c in node_columns.values())]
        write_table(stream, header, _node_rows(nodes, node_columns, delimiter))
    with sink.open("relationships.csv") as stream:
        header = [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            *(column_header(c, "neo4j") for c in edge_columns.values()),
        ]
        write_table(stream, header, _edge_rows(edges, edge_columns, delimiter))
    return delimiter, node_columns, edge_columns


def _array_delimiter(prepared: Prepared, columns: dict[str, Column]) -> str:
    arrays = [c.name for c in columns.values() if c.array]
    for data in prepared.node_attributes():
        for name in arrays:
            if any(";" in str(item) for item in list_items(data.get(name))):
                return _UNIT_SEPARATOR
    return ";"


def _node_rows(
    prepared: Prepared, columns: dict[str, Column], delimiter: str
) -> Iterator[list[str]]:
    for _, node_id, data in prepared.iter_nodes():
        label = neo4j_label(data.get("kind", "node")) or "Node"
        yield [cell(node_id, _KEY), label, *_cells(data, columns, delimiter)]


def _edge_rows(
    prepared: Prepared, columns: dict[str, Column], delimiter: str
) -> Iterator[list[str]]:
    for source, target, key, data in prepared.iter_edges():
        kind = neo4j_type(data.get("kind", key)) or "RELATED"
        yield [cell(source, _KEY), cell(target, _KEY), kind, *_cells(data, columns, delimiter)]


def _cells(data: dict[str, Any], columns: dict[str, Column], delimiter: str) -> list[str]:
    return [
        cell(data[name], column, delimiter) if name in data else ""
        for name, column in columns.items()
    ]


_KEY: Final = Column("key", "string")
