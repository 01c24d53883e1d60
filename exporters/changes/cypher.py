"""Cypher statements that apply :class:`~newsgraph.exporters.changes.tables.GraphChanges` to a store.

One statement a line, ended by ``;`` (what ``cypher-shell`` and our loader read), values
written as literals, so a change set is a plain text file.  Two dialects:

- ``falkordb`` (openCypher; also runs on Neo4j and Memgraph): ``MERGE`` nodes by label
  and ``id``, ``REMOVE`` the removed properties (and a value whose type changed, ``61``
  to ``61.0``: FalkorDB keeps the old one when they compare equal), ``SET n += {...}``
  the changed ones; ``DETACH DELETE`` removed nodes; ``DELETE`` the relationships of a
  changed bundle, then ``CREATE`` the new ones; a range index on ``id`` for a label new to the store (as the
  loader makes).  Timestamps are ISO 8601 text in UTC, as the FalkorDB loader keeps them
  (on Neo4j they stay text).
- ``ladybug`` (LadybugDB/Kùzu, which needs a schema): the same data statements with typed
  literals (``timestamp(...)``, ``CAST(... AS DOUBLE)``), ``SET n.p = NULL`` for a removed
  property, and the schema statements first: ``CREATE NODE TABLE``/``CREATE REL TABLE``
  for new labels and types, ``ALTER TABLE ... ADD``/``DROP`` for columns, relationship
  ends (``FROM a TO b``) and retyped columns, ``DROP TABLE`` for what is gone.

>>> import networkx as nx
>>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
>>> old.add_node("tag:a", kind="tag", label="A")
>>> new.add_node("tag:a", kind="tag", label='A "2"')
>>> from newsgraph.exporters.changes.tables import graph_changes
>>> print(*cypher_statements(graph_changes(old, new)), sep="\\n")
MERGE (n:Tag {id: "tag:a"}) SET n += {`label`: "A \\"2\\""};
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any, Final, Literal

from newsgraph.exporters.changes.tables import Bundle, GraphChanges, NodeChange
from newsgraph.exporters.stores.ladybug import column_type, schema_statements

__all__ = ["DIALECTS", "Dialect", "cypher_statements"]

Dialect = Literal["falkordb", "ladybug"]
DIALECTS: Final[tuple[Dialect, ...]] = ("falkordb", "ladybug")

_ESCAPES: Final = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def cypher_statements(changes: GraphChanges, dialect: Dialect = "falkordb") -> Iterator[str]:
    """The statements, in the order they must run, each on one line ending in ``;``."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown Cypher dialect {dialect!r}; use {', '.join(DIALECTS)}")
    ladybug = dialect == "ladybug"
    for bundle in changes.removed_bundles:
        yield f"MATCH {_ends(bundle)} DELETE r;"
    for label, id_ in changes.removed_nodes:
        yield f"MATCH (n:{label} {{id: {_text(id_)}}}) DETACH DELETE n;"
    if ladybug:
        yield from (f"{statement};" for statement in _ladybug_schema(changes))
    else:
        for label in changes.new.nodes:
            if label not in changes.previous.nodes:
                yield f"CREATE INDEX FOR (n:{label}) ON (n.id);"
    dropped = _dropped_columns(changes) if ladybug else set()
    for node in changes.nodes:
        yield _merge(node, dropped, ladybug)
    for bundle in changes.added_bundles:
        for row in bundle.rows:
            properties = f" {_map(row, ladybug)}" if row else ""
            ends = f"(a:{bundle.source} {{id: {_text(bundle.from_id)}}}), "
            ends += f"(b:{bundle.target} {{id: {_text(bundle.to_id)}}})"
            yield f"MATCH {ends} CREATE (a)-[:{bundle.type}{properties}]->(b);"


def _ends(bundle: Bundle) -> str:
    return (
        f"(a:{bundle.source} {{id: {_text(bundle.from_id)}}})-[r:{bundle.type}]->"
        f"(b:{bundle.target} {{id: {_text(bundle.to_id)}}})"
    )


def _merge(node: NodeChange, dropped: set[tuple[str, str]], ladybug: bool) -> str:
    head = f"MERGE (n:{node.label} {{id: {_text(node.id)}}})"
    if ladybug:
        sets = [f"n.`{k}` = {_literal(v, True)}" for k, v in node.values.items()]
        sets += [f"n.`{k}` = NULL" for k in node.removed if (node.label, k) not in dropped]
        return f"{head} SET {', '.join(sets)};" if sets else f"{head};"
    parts = [head]
    # A value whose type changed is removed too: FalkorDB keeps 61 when 61.0 is set.
    removed = (*node.removed, *node.retyped)
    if removed:
        parts.append("REMOVE " + ", ".join(f"n.`{k}`" for k in sorted(removed)))
    if node.values:
        parts.append(f"SET n += {_map(node.values, False)}")
    return " ".join(parts) + ";"


def _ladybug_schema(changes: GraphChanges) -> Iterator[str]:
    before, after = changes.previous, changes.new
    new_tables = [t for t in after.tables if t.source is None and t.name not in before.nodes]
    yield from schema_statements(new_tables, [])
    for label, columns in after.nodes.items():
        if label in before.nodes:
            yield from _columns(label, before.nodes[label], columns)
    new_types = [t for t in after.tables if t.source is not None and t.name not in before.ends]
    yield from schema_statements([], new_types)
    for name, ends in after.ends.items():
        if name in before.ends:
            for source, target in ends:
                if (source, target) not in before.ends[name]:
                    yield f"ALTER TABLE {name} ADD FROM {source} TO {target}"
            yield from _columns(name, before.relationships[name], after.relationships[name])
            for source, target in before.ends[name]:
                if (source, target) not in ends:
                    yield f"ALTER TABLE {name} DROP FROM {source} TO {target}"
    for name in before.ends:
        if name not in after.ends:
            yield f"DROP TABLE {name}"
    for label in before.nodes:
        if label not in after.nodes:
            yield f"DROP TABLE {label}"


def _columns(table: str, before: dict[str, Any], after: dict[str, Any]) -> Iterator[str]:
    for name, column in after.items():
        if name not in before:
            yield f"ALTER TABLE {table} ADD `{name}` {column_type(column)}"
        elif before[name] != column:  # retyped: every value of it is set again
            yield f"ALTER TABLE {table} DROP `{name}`"
            yield f"ALTER TABLE {table} ADD `{name}` {column_type(column)}"
    for name in before:
        if name not in after:
            yield f"ALTER TABLE {table} DROP `{name}`"


def _dropped_columns(changes: GraphChanges) -> set[tuple[str, str]]:
    before, after = changes.previous.nodes, changes.new.nodes
    return {
        (label, name)
        for label, columns in before.items()
        for name in columns
        if name not in after.get(label, {})
    }


def _map(values: dict[str, Any], ladybug: bool) -> str:
    items = ", ".join(f"`{k}`: {_literal(v, ladybug)}" for k, v in values.items())
    return f"{{{items}}}"


def _literal(value: Any, ladybug: bool) -> str:
    """``value`` as a Cypher literal of the dialect.

    >>> _literal([1.5, 1e20], True), _literal(dt.datetime(2024, 1, 2, 3, 4), False)
    ('[1.5, CAST("1e+20" AS DOUBLE)]', '"2024-01-02T03:04:00Z"')
    """
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        plain = math.isfinite(value) and "e" not in text
        return text if plain or not ladybug else f'CAST("{text}" AS DOUBLE)'
    if isinstance(value, dt.datetime):
        return (
            f"timestamp({_text(value.isoformat())})" if ladybug else _text(value.isoformat() + "Z")
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_literal(item, ladybug) for item in value) + "]"
    return _text(str(value))


def _text(text: str) -> str:
    return '"' + text.translate(_ESCAPES) + '"'
