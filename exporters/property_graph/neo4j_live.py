"""Cypher scripts for a running Neo4j (Aura included), beside the neo4j-admin import files.

``neo4j-admin database import`` needs a stopped database on the machine, which a hosted
Neo4j such as Aura never offers.  So the ``neo4j`` export also writes:

- ``schema.cypher``: a uniqueness constraint on ``key`` for every label (and for
  ``NewsgraphNode``, the label every node gets so that relationships find their ends by
  one index), and indexes on the properties the cookbook filters on;
- ``load.cypher``: ``LOAD CSV`` of the same ``nodes.csv`` and ``relationships.csv`` with
  ``MERGE``, in transactions of 10,000 rows, each cell converted by its header's type
  (``toInteger``, ``toFloat``, ``toBoolean``, ``datetime``, arrays split on the delimiter
  the files use).  ``MERGE`` on ``key`` makes a second run update instead of duplicating.

The files must be reachable by the server: set ``$base`` to the URL of the folder
(``:param base => 'https://example.org/newsgraph/'``), or ``'file:///'`` for a
self-managed server's import folder.

Not supported: deleting what a previous load had and this one has not.

>>> print(schema_script(["Article", "Topic"]).splitlines()[2])
CREATE CONSTRAINT newsgraph_node_key IF NOT EXISTS FOR (n:NewsgraphNode) REQUIRE n.key IS UNIQUE;
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Final

from newsgraph.exporters.property_graph.bulk import Column

__all__ = ["load_script", "schema_script"]

_COMMON_LABEL: Final = "NewsgraphNode"
_INDEXES: Final = {
    "Article": ("url", "published"),
    "Provider": ("domain",),
    "Topic": ("name",),
    "Tag": ("name",),
}
_CONVERT: Final = {
    "integer": "toInteger({})",
    "double": "toFloat({})",
    "boolean": "toBoolean({})",
    "timestamp": "datetime({})",
}


def schema_script(labels: Iterable[str]) -> str:
    """Constraints and indexes, to run once before ``load.cypher``."""
    lines = [
        "// Constraints and indexes for newsgraph's nodes; run before load.cypher.",
        "// Written by newsgraph.",
        (
            f"CREATE CONSTRAINT newsgraph_node_key IF NOT EXISTS FOR (n:{_COMMON_LABEL}) "
            "REQUIRE n.key IS UNIQUE;"
        ),
    ]
    for label in labels:
        lines.append(
            f"CREATE CONSTRAINT {label.lower()}_key IF NOT EXISTS FOR (n:{label}) "
            "REQUIRE n.key IS UNIQUE;"
        )
        for name in _INDEXES.get(label, ()):
            lines.append(
                f"CREATE INDEX {label.lower()}_{name} IF NOT EXISTS FOR (n:{label}) ON (n.{name});"
            )
    return "\n".join(lines) + "\n"


def load_script(
    labels: Iterable[str],
    types: Iterable[str],
    node_headers: Mapping[str, Column],
    edge_headers: Mapping[str, Column],
    delimiter: str,
) -> str:
    """``LOAD CSV``/``MERGE`` statements for the two CSV files.

    ``node_headers`` and ``edge_headers`` map each CSV header (``title:string``) to its
    column; ``delimiter`` is the array delimiter of the files.
    """
    split = "'\\u001F'" if delimiter == "\x1f" else f"'{delimiter}'"
    node_sets = "".join(
        f"\n  SET n.`{column.name}` = {_value(header, column, split)}"
        for header, column in node_headers.items()
    )
    label_sets = "".join(
        f"\n  FOREACH (_ IN CASE WHEN row.`:LABEL` = '{label}' THEN [1] ELSE [] END | "
        f"SET n:{label})"
        for label in labels
    )
    edge_sets = "".join(
        f" SET r.`{column.name}` = {_value(header, column, split)}"
        for header, column in edge_headers.items()
    )
    merges = "".join(
        f"\n  FOREACH (_ IN CASE WHEN row.`:TYPE` = '{kind}' THEN [1] ELSE [] END | "
        f"MERGE (a)-[r:{kind}]->(b){edge_sets})"
        for kind in types
    )
    return f"""// Load nodes.csv and relationships.csv into a running Neo4j 5 (Aura included).
// Written by newsgraph. Run schema.cypher first, then this, with $base set to the URL of
// the folder holding the two files, e.g. in cypher-shell or Neo4j Browser:
//   :param base => 'https://example.org/newsgraph/'
// (Browser: prefix each statement with :auto, as CALL ... IN TRANSACTIONS needs it.)
LOAD CSV WITH HEADERS FROM $base + 'nodes.csv' AS row
CALL {{
  WITH row
  MERGE (n:{_COMMON_LABEL} {{key: row.`key:ID`}}){label_sets}{node_sets}
}} IN TRANSACTIONS OF 10000 ROWS;

LOAD CSV WITH HEADERS FROM $base + 'relationships.csv' AS row
CALL {{
  WITH row
  MATCH (a:{_COMMON_LABEL} {{key: row.`:START_ID`}})
  MATCH (b:{_COMMON_LABEL} {{key: row.`:END_ID`}}){merges}
}} IN TRANSACTIONS OF 10000 ROWS;
"""


def _value(header: str, column: Column, split: str) -> str:
    cell = f"row.`{header}`"
    convert = _CONVERT.get(column.kind, "{}")
    if column.array:
        return f"[item IN split({cell}, {split}) | {convert.format('item')}]"
    return convert.format(cell)
