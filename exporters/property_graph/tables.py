"""Two CSV tables, ``nodes.csv`` and ``edges.csv``, for spreadsheets, pandas and R.

``nodes.csv`` has an ``id`` column and one column per node attribute (``kind`` and
``label`` first); ``edges.csv`` has ``source``, ``target``, ``key`` (the multigraph
key: the edge kind) and one column per edge attribute.  RFC 4180: comma-separated,
double quotes doubled, CRLF line ends, UTF-8.  An empty cell is a missing value;
booleans are ``true``/``false``; lists and mappings are JSON text.

These tables are for spreadsheets, so a text cell that a spreadsheet would run as a
formula -- one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return -- is
written with a leading ``'`` (OWASP's advice), and the count is reported
(``csv-formula-neutralised``).  Numbers are never touched (``-1`` stays ``-1``).  The
bulk-load CSVs for databases (``neo4j``, ``neptune``) are not for spreadsheets and stay exact.

Not supported: a per-column type row (read ``docs/formats.md`` or sniff); attributes
named like the fixed columns (``id``, ``source``, ``target``, ``key``) are reported and
left out.

>>> import io, zipfile, networkx as nx
>>> from newsgraph.exporters.sinks import ZipSink
>>> G = nx.MultiDiGraph(); G.add_edge("a", "b", key="about", kind="about")
'about'
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     write_csv(G, ZipSink(archive))
>>> zipfile.ZipFile(buffer).read("edges.csv").decode().splitlines()
['source,target,key,kind', 'a,b,about,about']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO

import networkx as nx

from newsgraph.exporters.property_graph.columns import (
    Prepared,
    column_types,
    prepare,
    scalar_text,
)
from newsgraph.exporters.sinks import Sink
from newsgraph.exporters.values import OnProblem, node_problem, plain
from newsgraph.graph.model import Severity

__all__ = ["write_csv", "write_csv_tables", "write_table"]


def write_csv(G: nx.MultiDiGraph, sink: Sink, *, on_problem: OnProblem | None = None) -> None:
    """Write ``nodes.csv`` and ``edges.csv`` for ``G`` into ``sink``."""
    prepared = prepare(G, on_problem)
    write_csv_tables(prepared, prepared, sink)


def write_csv_tables(nodes: Prepared, edges: Prepared, sink: Sink) -> None:
    """Write ``nodes.csv`` of the nodes of ``nodes`` and ``edges.csv`` of the edges of
    ``edges`` (the same graph, or two parts of one written in parts)."""
    node_columns = _columns(nodes, column_types(nodes.node_attributes()), ("id",))
    edge_columns = _columns(
        edges, column_types(edges.edge_attributes()), ("source", "target", "key")
    )
    neutralised: list[str] = []
    with sink.open("nodes.csv") as stream:
        write_table(
            stream, ["id", *node_columns], _neutral(_node_rows(nodes, node_columns), neutralised)
        )
    with sink.open("edges.csv") as stream:
        write_table(
            stream,
            ["source", "target", "key", *edge_columns],
            _neutral(_edge_rows(edges, edge_columns), neutralised),
        )
    if neutralised:
        nodes.report(
            node_problem(
                "graph",
                {},
                "csv-formula-neutralised",
                f"{len(neutralised)} cells that a spreadsheet would run as formulas were written "
                f'with a leading "\'" (the first: {neutralised[0][:60]!r})',
                Severity.INFO,
            )
        )


def write_table(stream: BinaryIO, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write one RFC 4180 CSV table of text cells to a binary stream.

    >>> out = io.BytesIO(); write_table(out, ["a", "b"], [["x,y", "z"]]); out.getvalue()
    b'a,b\\r\\n"x,y",z\\r\\n'
    """
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()  # the sink, not this wrapper, closes the stream


def _columns(prepared: Prepared, types: dict[str, str], fixed: tuple[str, ...]) -> list[str]:
    for name in fixed:
        if name in types:
            prepared.report(
                node_problem(
                    "graph",
                    {},
                    "unmapped-attribute",
                    f"attribute {name!r} collides with a fixed column; left out of the CSV tables",
                    Severity.WARNING,
                )
            )
    return [name for name in types if name not in fixed]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutral(rows: Iterable[list[str | Cell]], neutralised: list[str]) -> Iterator[list[str]]:
    """The rows with every text cell that starts like a formula given a leading ``'``."""
    for row in rows:
        out = []
        for cell in row:
            if isinstance(cell, Cell):
                out.append(cell.text)
            elif cell.startswith(_FORMULA_START):
                neutralised.append(cell)
                out.append("'" + cell)
            else:
                out.append(cell)
        yield out


class Cell:
    """A cell written from a number or a boolean: never a formula, never changed."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _cells(data: dict[str, Any], columns: list[str]) -> list[str | Cell]:
    return [_cell(data[name]) if name in data else "" for name in columns]


def _cell(value: Any) -> str | Cell:
    text = scalar_text(value)
    return Cell(text) if isinstance(value, int | float) else text


def _node_rows(prepared: Prepared, columns: list[str]) -> Iterator[list[str | Cell]]:
    for _, node_id, data in prepared.iter_nodes():
        yield [node_id, *_cells(data, columns)]


def _edge_rows(prepared: Prepared, columns: list[str]) -> Iterator[list[str | Cell]]:
    for source, target, key, data in prepared.iter_edges():
        clean_key = plain(key)
        yield [
            source,
            target,
            "" if key is None else scalar_text(clean_key),
            *_cells(data, columns),
        ]
