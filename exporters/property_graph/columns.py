"""What the property-graph writers share: node ids, clean values, one type per column.

GraphML, GEXF, the CSV tables, Neo4j and Neptune all need the same three things:

- an id per node: its key as text; a key that is empty, that cleaning for XML would change,
  or whose text another key already has is given ``bad-id-<digest of the key>`` instead and
  reported (``bad-id``), the same id in every part of an export written in parts;
- clean values (:func:`newsgraph.exporters.values.plain`), with NaN and ``None`` left out and
  lossy cleaning reported once per node and attribute;
- one type per attribute name (:func:`column_types`): ``boolean``, ``integer``,
  ``double``, ``string``, ``list`` (of one scalar type) or ``json`` (mappings and
  mixtures), so every tool reads a column the same way on every row.

Each writer walks the graph twice (types, then rows), so memory stays that of the graph.

An integer that does not fit in 64 bits is written as text, with a warning
(``integer-too-large``), so its column is a text column.

Not supported: per-row types (a value that does not fit its column is written as text).

>>> import networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="tag", n=1); G.add_node("b", kind="tag", n=2.5)
>>> column_types(prepare(G).node_attributes())
{'kind': 'string', 'n': 'double'}
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Final, Literal

import networkx as nx

from newsgraph.exporters.values import (
    MISSING,
    OnProblem,
    clean_text,
    node_problem,
    plain,
    sorted_nodes,
)
from newsgraph.graph.model import Problem, Severity

__all__ = [
    "Prepared",
    "column_types",
    "merge_types",
    "neo4j_label",
    "neo4j_type",
    "prepare",
    "scalar_text",
    "type_name",
    "value_type",
    "write_rows",
    "xml_attribute",
    "xml_text",
]

_SCALARS: Final = {bool: "boolean", int: "integer", float: "double", str: "string"}
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1

#: A column kind (:func:`column_types`; ``timestamp`` from :mod:`.bulk`) as each format
#: declares it.  GraphML and GEXF share XML Schema's names; lists and mappings are text.
# fmt: off
_TYPE_NAMES: Final = {
    # kind        GraphML/GEXF  neo4j-admin  Neptune
    "boolean":   ("boolean",    "boolean",   "Bool"),
    "integer":   ("long",       "long",      "Long"),
    "double":    ("double",     "double",    "Double"),
    "string":    ("string",     "string",    "String"),
    "timestamp": ("string",     "datetime",  "DateTime"),
    "list":      ("string",     "string",    "String"),
    "json":      ("string",     "string",    "String"),
}
# fmt: on
_DIALECTS: Final = ("xml", "neo4j", "neptune")
_XML_TEXT: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_XML_ATTRIBUTE: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;"}
)
_FLUSH_ROWS: Final = 2048
_NOT_NAME: Final = re.compile(r"[^A-Za-z0-9_]+")


@dataclass
class Prepared:
    """A graph with its node ids decided; rows come from :meth:`iter_nodes`/:meth:`iter_edges`."""

    G: nx.MultiDiGraph
    nodes: list[Any]
    ids: dict[Any, str]
    on_problem: OnProblem | None = None
    reported: set[tuple[str, str]] = field(default_factory=set)
    #: Only some of the graph's nodes (a part of an export written in parts).
    part: bool = False

    def report(self, problem: Problem) -> None:
        if self.on_problem is not None:
            self.on_problem(problem)

    def iter_nodes(
        self, nodes: Iterable[Any] | None = None
    ) -> Iterator[tuple[Any, str, dict[str, Any]]]:
        """``(node, id, clean attributes)`` for every node (or those of ``nodes``), in key order."""
        for node in self.nodes if nodes is None else nodes:
            data = self.G.nodes[node]
            yield node, self.ids[node], _clean(self, str(node), data, data)

    def iter_edges(
        self, nodes: Iterable[Any] | None = None
    ) -> Iterator[tuple[str, str, Any, dict[str, Any]]]:
        """``(source id, target id, key, clean attributes)`` for every edge (or those out of
        ``nodes``), in a stable order."""
        G, ids = self.G, self.ids
        for node in self.nodes if nodes is None else nodes:
            data = G.nodes[node]
            neighbours = G.adj[node]
            for target in sorted(neighbours, key=str):
                keyed = (
                    neighbours[target].items()
                    if G.is_multigraph()
                    else [(None, neighbours[target])]
                )
                for key, edge in sorted(keyed, key=lambda item: str(item[0])):
                    yield ids[node], ids[target], key, _clean(self, str(node), data, edge)

    def edges_out(self, node: Any) -> int:
        """How many rows :meth:`iter_edges` gives for ``node``."""
        neighbours = self.G.adj[node]
        if self.G.is_multigraph():
            return sum(len(keyed) for keyed in neighbours.values())
        return len(neighbours)

    def node_attributes(self) -> Iterator[Mapping[str, Any]]:
        """The raw attribute dicts of the nodes (for :func:`column_types`)."""
        return (self.G.nodes[node] for node in self.nodes)

    def edge_attributes(self) -> Iterator[Mapping[str, Any]]:
        """The raw attribute dicts of the edges out of the nodes (for :func:`column_types`)."""
        return (data for _, _, data in self.G.edges(self.nodes if self.part else None, data=True))


def prepare(
    G: nx.MultiDiGraph, on_problem: OnProblem | None = None, nodes: Iterable[Any] | None = None
) -> Prepared:
    """Order the nodes and give each a unique, non-empty, XML-safe id.

    ``nodes`` limits the rows to some of the nodes and the edges out of them (a part of an
    export written in parts); ids and their numbering are then those of the subgraph of
    these nodes.
    """
    ordered = sorted_nodes(G) if nodes is None else sorted(nodes, key=str)
    ids: dict[Any, str] = {}
    taken: set[str] = set()
    prepared = Prepared(G, ordered, ids, on_problem, part=nodes is not None)
    for node in ordered:
        raw = str(node)
        text, _ = clean_text(raw)
        if not text or text != raw or text in taken:
            replacement = _replacement_id(node)
            prepared.report(
                node_problem(
                    raw,
                    G.nodes[node],
                    "bad-id",
                    f"id {text!r} is empty, changed by cleaning or taken;"
                    f" written as {replacement!r}",
                    Severity.WARNING,
                )
            )
            text = replacement
        ids[node] = text
        taken.add(text)
    return prepared


def _replacement_id(node: Any) -> str:
    """An id made from the key alone, the same in every part of an export written in parts.

    A key that cleaning changed could take the id of another key (``"tag:x\\x01"`` and
    ``"tag:x"``), and in parts no writer sees both; a digest of the key (and its type: ``1``
    and ``"1"``) cannot collide with the clean keys kept as they are.

    >>> _replacement_id("tag:x\x01")
    'bad-id-9c713a9fc9b5715c'
    """
    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{type(node).__qualname__}\0{node}".encode("utf-8", "surrogatepass"))
    return f"bad-id-{digest.hexdigest()}"


def column_types(rows: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """One type per attribute name over all ``rows``, names sorted (``kind``, ``label`` first).

    >>> column_types([{"a": [1, 2]}, {"b": {"x": 1}}, {"c": True}, {"c": "no"}, {"d": 1}, {"d": 2.5}])
    {'a': 'list', 'b': 'json', 'c': 'string', 'd': 'double'}
    """
    types: dict[str, str] = {}
    text = _SCALARS[str]
    for row in rows:
        for name, value in row.items():
            # Most values are text: their type is found without a call (a million rows).
            kind = text if type(value) is str else _type_of(value)
            if kind is not None:
                previous = types.get(name)
                if previous != kind:
                    types[name] = kind if previous is None else _merge(previous, kind)
    order = sorted(types, key=lambda n: (n != "kind", n != "label", str(n)))
    return {str(name): types[name] for name in order}


def type_name(kind: str, dialect: Literal["xml", "neo4j", "neptune"]) -> str:
    """How ``dialect`` (GraphML and GEXF are ``xml``) declares a column of ``kind``.

    >>> type_name("integer", "xml"), type_name("timestamp", "neo4j"), type_name("json", "neptune")
    ('long', 'datetime', 'String')
    """
    return _TYPE_NAMES[kind][_DIALECTS.index(dialect)]


def neo4j_label(kind: Any) -> str:
    """A node kind as a Neo4j label: ``article`` -> ``Article``, ``has_image`` -> ``HasImage``.

    >>> neo4j_label("article"), neo4j_label("odd kind!")
    ('Article', 'OddKind')
    """
    words = _NOT_NAME.sub(" ", str(kind)).replace("_", " ").split()
    return "".join(word[:1].upper() + word[1:] for word in words)


def neo4j_type(kind: Any) -> str:
    """An edge kind as a Neo4j relationship type: ``related_to`` -> ``RELATED_TO``.

    >>> neo4j_type("has image")
    'HAS_IMAGE'
    """
    return _NOT_NAME.sub("_", str(kind)).strip("_").upper()


def scalar_text(value: Any) -> str:
    """A clean value as text: ``true``/``false``, numbers as Python writes them, JSON otherwise.

    >>> scalar_text(True), scalar_text(2.5), scalar_text(["a", 1]), scalar_text("x")
    ('true', '2.5', '["a", 1]', 'x')
    """
    if type(value) is str:  # the usual value first
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def xml_text(text: str) -> str:
    """``text`` escaped for an XML element (GraphML, GEXF); it is already free of illegal characters.

    >>> xml_text('a < b & "c"')
    'a &lt; b &amp; "c"'
    """
    return text.translate(_XML_TEXT)


def xml_attribute(text: str) -> str:
    """``text`` escaped for a double-quoted XML attribute, newlines and tabs kept as such.

    >>> xml_attribute('say "hi"\\nthere')
    'say &quot;hi&quot;&#10;there'
    """
    return text.translate(_XML_ATTRIBUTE)


def write_rows(stream: BinaryIO, rows: Iterable[str]) -> None:
    """Encode and write ``rows`` a few thousand at a time."""
    pending: list[str] = []
    for row in rows:
        pending.append(row)
        if len(pending) >= _FLUSH_ROWS:
            stream.write("".join(pending).encode())
            pending.clear()
    stream.write("".join(pending).encode())


def value_type(value: Any) -> str | None:
    """The column type one value asks for (None: it is left out); see :func:`column_types`.

    >>> value_type(2), value_type([1]), value_type([]), value_type(float("nan"))
    ('integer', 'list', None, None)
    """
    return _type_of(value)


def merge_types(a: str, b: str) -> str:
    """The column type of two values' types (in any order, any grouping).

    >>> merge_types("integer", "double"), merge_types("list", "string")
    ('double', 'json')
    """
    return _merge(a, b)


def _type_of(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and plain(value) is MISSING):
        return None
    scalar = _SCALARS.get(type(value))
    if scalar == "integer" and not _INT64_MIN <= value <= _INT64_MAX:
        return "string"  # written as text by _clean
    if scalar is not None:
        return scalar
    if isinstance(value, list | tuple | set | frozenset):
        return "list" if value else None
    if isinstance(value, Mapping):
        return "json" if value else None
    return "string"  # dates and anything else are written as text


def _merge(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"integer", "double"}:
        return "double"
    if "list" in (a, b) or "json" in (a, b):
        return "json"
    return "string"


def _clean(
    prepared: Prepared, key: str, node_data: Mapping[str, Any], data: Mapping[str, Any]
) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, value in data.items():
        kind = type(value)
        if kind is str:  # the usual value: cleaned here, without plain()'s checks
            text, damaged = clean_text(value)
            if not damaged:
                clean[str(name)] = text
                continue
        elif kind is bool or (kind is int and _INT64_MIN <= value <= _INT64_MAX):
            clean[str(name)] = value
            continue

        def lost(reason: str, name: Any = name) -> None:
            if (key, str(name)) not in prepared.reported:
                prepared.reported.add((key, str(name)))
                code, severity = _code(reason)
                prepared.report(node_problem(key, node_data, code, f"{name}: {reason}", severity))

        value = plain(value, lost)
        if type(value) is int and not _INT64_MIN <= value <= _INT64_MAX:
            # Typed integer columns (GraphML "long", the bulk loaders' "long"/"int") hold 64 bits.
            if (key, str(name)) not in prepared.reported:
                prepared.reported.add((key, str(name)))
                prepared.report(
                    node_problem(
                        key,
                        node_data,
                        "integer-too-large",
                        f"{name}: {value} does not fit in 64 bits; written as text",
                        Severity.WARNING,
                    )
                )
            value = str(value)
        if value is not MISSING and value != [] and value != {}:
            clean[str(name)] = value
    return clean


def _code(reason: str) -> tuple[str, Severity]:
    if "number" in reason:
        return "bad-number", Severity.WARNING  # the value was left out
    return "cleaned-text", Severity.INFO  # the value was kept, minus some characters
