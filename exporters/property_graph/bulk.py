"""What the graph-database bulk formats share: typed columns, arrays, one-line cells.

Bulk loaders (neo4j-admin, Neptune's loader) read CSV with a type in each header
(``title:string``), so every column needs one type.  :func:`bulk_columns` gives each
attribute a :class:`Column`: a scalar type, an array of one scalar type, a timestamp
(ISO 8601 values of ``published``/``updated``), or ``json`` text for mappings and
mixtures.  :func:`cell` writes one value on one line: newlines become spaces
(neither loader reads multi-line fields by default), arrays are joined with the
format's delimiter.

Not supported: nested arrays (written as JSON text).

>>> import networkx as nx
>>> from newsgraph.exporters.property_graph.columns import prepare
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="tag", names=["x", "y"], published="2020-06-11")
>>> bulk_columns(prepare(G), node=True)["names"]
Column(name='names', kind='string', array=True)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from newsgraph.exporters.property_graph.columns import (
    Prepared,
    column_types,
    scalar_text,
    type_name,
)
from newsgraph.exporters.values import plain
from newsgraph.graph.model import ARTICLE_DATETIME_ATTRIBUTES

__all__ = [
    "Column",
    "bulk_columns",
    "cell",
    "column_header",
    "is_timestamp",
    "item_kinds",
    "list_items",
]

_TIMESTAMP: Final = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?")
_SCALAR_KINDS: Final = ("boolean", "integer", "double", "string")


@dataclass(frozen=True)
class Column:
    """One typed column: ``kind`` is a scalar kind, ``timestamp`` or ``json``."""

    name: str
    kind: str
    array: bool = False


def bulk_columns(prepared: Prepared, *, node: bool) -> dict[str, Column]:
    """The typed columns of the node (or edge) attributes, ``kind``/``label`` first."""

    def rows() -> Iterable[Mapping[str, Any]]:
        return prepared.node_attributes() if node else prepared.edge_attributes()

    columns: dict[str, Column] = {}
    for name, kind in column_types(rows()).items():
        if kind == "list":
            item = _item_kind(row.get(name) for row in rows())
            columns[name] = Column(name, item, array=True) if item else Column(name, "json")
        elif (
            kind == "string"
            and name in ARTICLE_DATETIME_ATTRIBUTES
            and _all_timestamps(row.get(name) for row in rows())
        ):
            columns[name] = Column(name, "timestamp")
        else:
            columns[name] = Column(name, kind if kind in _SCALAR_KINDS else "json")
    return columns


def column_header(column: Column, loader: Literal["neo4j", "neptune"]) -> str:
    """``column``'s CSV header as ``loader`` reads it: ``name:type``, ``[]`` after an array.

    neo4j-admin splits name and type at the colon, so a colon in a name becomes ``_``;
    Neptune's loader reads ``\\:`` as a colon.

    >>> column_header(Column("a:b", "timestamp"), "neo4j"), column_header(Column("a:b", "string", True), "neptune")
    ('a_b:datetime', 'a\\\\:b:String[]')
    """
    name = column.name.replace(":", "_" if loader == "neo4j" else "\\:")
    return f"{name}:{type_name(column.kind, loader)}{'[]' if column.array else ''}"


def list_items(value: Any) -> list[Any]:
    """The clean items of a list value (an empty list for anything else)."""
    items = plain(value)
    return items if isinstance(items, list) else []


def cell(value: Any, column: Column, delimiter: str = ";", escape: str | None = None) -> str:
    """``value`` as one CSV cell of ``column``: one line; arrays joined by ``delimiter``.

    ``escape`` is put before a delimiter inside an item (Neptune reads ``\\;``); without
    it the caller must pick a delimiter no item contains.

    >>> cell(["a;b", "c"], Column("x", "string", array=True), ";", "\\\\")
    'a\\\\;b;c'
    """
    if column.array:
        texts = [_one_line(scalar_text(item)) for item in list_items(value)]
        if escape is not None:
            texts = [t.replace(delimiter, escape + delimiter) for t in texts]
        return delimiter.join(texts)
    return _one_line(scalar_text(value))


def _one_line(text: str) -> str:
    if "\n" not in text and "\r" not in text:  # the usual text: nothing to replace
        return text
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def _item_kind(values: Iterable[Any]) -> str | None:
    kinds: set[str] = set()
    for value in values:
        found = item_kinds(value)
        if found is None:
            return None
        kinds |= found
    if kinds == {"integer", "double"}:
        return "double"
    return kinds.pop() if len(kinds) == 1 else "string"


def item_kinds(value: Any) -> set[str] | None:
    """The scalar kinds of a list value's items (None: an item is nested).

    >>> sorted(item_kinds([1, "a", 2**70])), item_kinds([[1]]), item_kinds(None)
    (['integer', 'string'], None, set())
    """
    kinds: set[str] = set()
    for item in list_items(value):
        if isinstance(item, Mapping | list):
            return None
        kind = {bool: "boolean", int: "integer", float: "double"}.get(type(item), "string")
        if kind == "integer" and not -(2**63) <= item < 2**63:
            kind = "string"  # the loaders' integers hold 64 bits
        kinds.add(kind)
    return kinds


def is_timestamp(value: Any) -> bool:
    """Whether a ``published``/``updated`` value is ISO 8601 text (a ``timestamp`` column).

    >>> is_timestamp("2020-06-11T10:00:00Z"), is_timestamp("June 2020"), is_timestamp(None)
    (True, False, True)
    """
    return value is None or (isinstance(value, str) and bool(_TIMESTAMP.fullmatch(value)))


def _all_timestamps(values: Iterable[Any]) -> bool:
    return all(is_timestamp(v) for v in values)
