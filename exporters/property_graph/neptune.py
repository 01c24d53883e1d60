"""Amazon Neptune bulk load: openCypher CSVs (``format: opencypher``).

Two files, which the loader takes from one S3 prefix:

- ``nodes.csv``: ``:ID`` (the node key), ``:LABEL`` and one typed column per attribute
  (``title:String``, ``quality:Long``, ``published:DateTime``, ``urls:String``);
- ``relationships.csv``: ``:ID`` (a hash of source, kind and target, so reloading
  the same graph updates rather than duplicates), ``:START_ID``, ``:END_ID``,
  ``:TYPE`` and the edge attributes.

The loader's ``DateTime`` takes no fractional seconds, so they are cut
(``2020-06-11T12:58:00.5Z`` -> ``2020-06-11T12:58:00Z``).  Lists are JSON text in a
``String`` column (``["a", "b"]``): AWS advises against ``Array`` properties in an
openCypher graph, which the loader stores as sets of values rather than lists, and
relationship properties cannot be arrays at all.  Newlines in text become
spaces, so every record is one line.

Not supported: Gremlin's CSV format (``~id``, ``~label``), ID spaces, and a backslash
right before a ``;`` inside an array item (the loader would read it as an escape).

>>> import io, zipfile, networkx as nx
>>> from newsgraph.exporters.sinks import ZipSink
>>> G = nx.MultiDiGraph()
>>> G.add_node("article:https://x.org/a", kind="article", label="A", published="2020-06-11T12:58:00.5Z")
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     write_neptune(G, ZipSink(archive))
>>> zipfile.ZipFile(buffer).read("nodes.csv").decode().splitlines()[1]
'article:https://x.org/a,Article,article,A,2020-06-11T12:58:00Z'
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.property_graph.bulk import Column, bulk_columns, cell, column_header
from newsgraph.exporters.property_graph.columns import (
    Prepared,
    neo4j_label,
    neo4j_type,
    prepare,
)
from newsgraph.exporters.property_graph.tables import write_table
from newsgraph.exporters.sinks import Sink
from newsgraph.exporters.values import OnProblem

__all__ = ["write_neptune"]

_FRACTION: Final = re.compile(r"(T\d\d:\d\d:\d\d)\.\d+")


def write_neptune(G: nx.MultiDiGraph, sink: Sink, *, on_problem: OnProblem | None = None) -> None:
    """Write ``nodes.csv`` and ``relationships.csv`` for Neptune's openCypher loader."""
    prepared = prepare(G, on_problem)
    # AWS advises against array properties in openCypher: the loader stores a String[]
    # column as a set of values (duplicates and order lost, one value per read), not as a
    # list; so lists are one String of JSON, as for relationships
    node_columns = {
        name: replace(c, kind="json", array=False) if c.array else c
        for name, c in bulk_columns(prepared, node=True).items()
    }
    edge_columns = {
        name: replace(c, kind="json", array=False) if c.array else c
        for name, c in bulk_columns(prepared, node=False).items()
    }
    with sink.open("nodes.csv") as stream:
        header = [":ID", ":LABEL", *(column_header(c, "neptune") for c in node_columns.values())]
        write_table(stream, header, _node_rows(prepared, node_columns))
    with sink.open("relationships.csv") as stream:
        header = [
            ":ID",
            ":START_ID",
            ":END_ID",
            ":TYPE",
            *(column_header(c, "neptune") for c in edge_columns.values()),
        ]
        write_table(stream, header, _edge_rows(prepared, edge_columns))


def _node_rows(prepared: Prepared, columns: dict[str, Column]) -> Iterator[list[str]]:
    for _, node_id, data in prepared.iter_nodes():
        label = neo4j_label(data.get("kind", "node")) or "Node"
        yield [cell(node_id, _ID), label, *_cells(data, columns)]


def _edge_rows(prepared: Prepared, columns: dict[str, Column]) -> Iterator[list[str]]:
    for source, target, key, data in prepared.iter_edges():
        kind = neo4j_type(data.get("kind", key)) or "RELATED"
        digest = hashlib.blake2b(f"{source}\x00{kind}\x00{target}".encode(), digest_size=16)
        yield [
            f"e{digest.hexdigest()}",
            cell(source, _ID),
            cell(target, _ID),
            kind,
            *_cells(data, columns),
        ]


def _cells(data: dict[str, Any], columns: dict[str, Column]) -> list[str]:
    cells = []
    for name, column in columns.items():
        if name not in data:
            cells.append("")
        elif column.kind == "timestamp":
            cells.append(_FRACTION.sub(r"\1", cell(data[name], column)))
        else:
            cells.append(cell(data[name], column, ";", "\\"))
    return cells


_ID: Final = Column("id", "string")
