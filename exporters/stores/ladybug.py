"""LadybugDB (the maintained fork of Kùzu): an embedded Cypher database in one file.

The node tables (``Article``, ``Provider``, ``Topic``, ``Tag``, ``Image``) and the
relationship tables (``PUBLISHED_BY``, ``ABOUT``, ``TAGGED``, ``HAS_IMAGE``,
``RELATED_TO``) are declared from the graph's columns: ``id`` (the node key) is the
primary key, lists are ``STRING[]`` (or another item type), ``published``/``updated``
are ``TIMESTAMP`` (UTC).  Each table is written as a Parquet file and loaded with
``COPY ... FROM``, the database's bulk path.  Parquet rather than CSV because
LadybugDB's CSV reader keeps the quotes of quoted list items (``["a, b"]`` loads as
``'"a, b"'``), so lists of arbitrary text cannot round-trip through CSV.

The database is built in a new file beside the target and renamed over it, so a failed
load leaves the target as it was and a replaced database is never seen half loaded.

Not supported: JSON-typed attributes as maps (they are kept as JSON text).

>>> from newsgraph.graph.examples import toy_graph
>>> import tempfile, os
>>> with tempfile.TemporaryDirectory() as d:
...     store = LadybugFile(os.path.join(d, "news.lbug"))
...     store.load(toy_graph()).counts["related_to"]
2
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.property_graph.bulk import Column
from newsgraph.exporters.property_graph.columns import prepare
from newsgraph.exporters.stores._common import (
    LoadReport,
    Rows,
    Store,
    Table,
    check_state,
    cypher_counts,
    edge_tables,
    node_tables,
    statements,
)
from newsgraph.exporters.values import OnProblem
from newsgraph.graph.errors import StoreError

__all__ = ["LadybugFile", "column_type", "schema_statements"]

_TYPES: Final = {
    "boolean": "BOOLEAN",
    "integer": "INT64",
    "double": "DOUBLE",
    "string": "STRING",
    "timestamp": "TIMESTAMP",
    "json": "STRING",
}


def schema_statements(nodes: list[Table], edges: list[Table]) -> list[str]:
    """The ``CREATE NODE TABLE`` and ``CREATE REL TABLE`` statements for the tables.

    >>> from newsgraph.graph.examples import toy_graph
    >>> G = toy_graph()
    >>> schema_statements(node_tables(G), edge_tables(G))[-1]
    'CREATE REL TABLE TAGGED(FROM Article TO Tag)'
    """
    out = []
    for table in nodes:
        columns = ", ".join(f"`{c.name}` {column_type(c)}" for c in table.columns.values())
        out.append(f"CREATE NODE TABLE {table.name}({columns}, PRIMARY KEY(id))")
    by_type: dict[str, list[Table]] = {}
    for table in edges:
        by_type.setdefault(table.name, []).append(table)
    for name, tables in by_type.items():
        ends = ", ".join(f"FROM {t.source} TO {t.target}" for t in tables)
        properties = {c.name: c for t in tables for c in t.columns.values()}
        extra = "".join(f", `{c.name}` {column_type(c)}" for c in properties.values())
        out.append(f"CREATE REL TABLE {name}({ends}{extra})")
    return out


class LadybugFile(Store):
    """A LadybugDB database file (made by :meth:`load`)."""

    language = "cypher"
    change_file = "changes.ladybug.cypher"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{self.path}: a folder (a LadybugDB database is one file)")
        self._connection: Any = None
        self._database: Any = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._database.close()
        self._connection = self._database = None

    def _connect(self) -> Any:
        if self._connection is None:
            import ladybug

            if not self.path.exists():
                raise StoreError(f"{self.path}: no such LadybugDB database")
            try:
                self._database = ladybug.Database(str(self.path), read_only=True)
                self._connection = ladybug.Connection(self._database)
            except RuntimeError as err:
                raise StoreError(f"{self.path}: cannot open the database: {err}") from err
        return self._connection

    def is_empty(self) -> bool:
        """True when the file is missing or holds no table."""
        if not self.path.exists():
            return True
        _, rows = self.rows("CALL show_tables() RETURN count(*)")
        return not rows or rows[0][0] == 0

    def load(
        self, G: nx.MultiDiGraph, *, replace: bool = False, on_problem: OnProblem | None = None
    ) -> LoadReport:
        import ladybug

        full = not self.is_empty()
        if full and not replace:
            raise StoreError(f"{self.path}: the database holds data; use --replace to replace it")
        self.close()
        prepared = prepare(G, on_problem)
        nodes, edges = node_tables(G, prepared), edge_tables(G, prepared)
        parent = self.path.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=f".{self.path.name}.", dir=parent) as work:
            fresh = Path(work) / "db.lbug"
            database = ladybug.Database(str(fresh))
            connection = ladybug.Connection(database)
            try:
                for statement in schema_statements(nodes, edges):
                    connection.execute(statement)
                for table in [*nodes, *edges]:
                    if table.rows:
                        _copy(connection, table, Path(work))
            except RuntimeError as err:
                raise StoreError(f"{self.path}: the load failed: {err}") from err
            finally:
                connection.close()
                database.close()
            os.replace(fresh, self.path)
        return LoadReport(str(self.path), self.counts(), replaced=full)

    def state(self) -> dict[str, int]:
        return self.counts()

    def apply_changes(
        self, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
    ) -> LoadReport:
        """Run the change set's statements on a copy of the file, check it, and rename it
        over the target (so a failed update leaves the target as it was)."""
        import ladybug

        check_state(str(self.path), self.state(), before, "the previous graph of the change set")
        self.close()
        with tempfile.TemporaryDirectory(
            prefix=f".{self.path.name}.", dir=self.path.parent
        ) as work:
            copy = LadybugFile(Path(work) / "db.lbug")
            shutil.copyfile(self.path, copy.path)
            database = ladybug.Database(str(copy.path))
            connection = ladybug.Connection(database)
            try:
                for statement in statements(text):
                    connection.execute(statement)
            except RuntimeError as err:
                message = str(err).splitlines()[0]
                raise StoreError(f"{self.path}: the update failed: {message}") from err
            finally:
                connection.close()
                database.close()
            try:
                check_state(str(self.path), copy.state(), after, "the new graph after the update")
            finally:
                copy.close()
            os.replace(copy.path, self.path)
        return LoadReport(str(self.path), self.counts(), replaced=True)

    def rows(self, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
        connection = self._connect()
        try:
            result = connection.execute(text, dict(parameters or {}))
        except RuntimeError as err:
            raise StoreError(f"Cypher error: {str(err).splitlines()[0]}") from err
        names = list(result.get_column_names())
        rows = []
        while result.has_next():
            rows.append(tuple(_plain(value) for value in result.get_next()))
        return names, rows

    def counts(self) -> dict[str, int]:
        if self.is_empty():  # no table: an empty graph was loaded (MATCH (n) would fail)
            return {}
        return cypher_counts(self, "label")


def column_type(column: Column) -> str:
    base = _TYPES.get(column.kind, "STRING")
    return f"{base}[]" if column.array else base


def _copy(connection: Any, table: Table, work: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = ["from", "to", *table.columns] if table.source else list(table.columns)
    arrays = {}
    for name in names:
        column = table.columns.get(name, Column(name, "string"))
        arrays[name] = pa.array([row.get(name) for row in table.rows], _arrow_type(column))
    path = work / f"{table.name}-{table.source or ''}-{table.target or ''}.parquet"
    pq.write_table(pa.table(arrays), path)
    ends = f" (from='{table.source}', to='{table.target}')" if table.source else ""
    connection.execute(f"COPY {table.name} FROM '{path}'{ends}")


def _arrow_type(column: Column) -> Any:
    import pyarrow as pa

    scalar = {
        "boolean": pa.bool_(),
        "integer": pa.int64(),
        "double": pa.float64(),
        "timestamp": pa.timestamp("us"),
    }.get(column.kind, pa.string())
    return pa.list_(scalar) if column.array else scalar


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "") + "Z" if value.tzinfo is None else value
    return value
