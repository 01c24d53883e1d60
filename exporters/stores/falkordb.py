"""FalkorDB: a Cypher graph database served over the Redis protocol.

The graph goes in by batched ``UNWIND $rows AS row CREATE ...`` queries (a few thousand
rows each), with an index on ``id`` for every label created first so that the edge
batches find their ends by index.  Everything is loaded into a graph named
``<name>.loading`` and renamed over ``<name>`` at the end, so a failed load leaves the
target as it was and a replaced graph is never seen half loaded.

FalkorDB has no timestamp property type: ``published``/``updated`` are kept as ISO 8601
text in UTC (``2024-03-04T08:00:00Z``), which orders and compares as time does.

Targets: ``falkordb://HOST:PORT/GRAPH`` or ``falkordb+unix:///PATH/TO/SOCKET?graph=GRAPH``
(the graph defaults to ``newsgraph``).

Not supported: authentication.  FalkorDB's separate bulk-loader package (CSV files sent
with ``GRAPH.BULK``) is not used: batched ``UNWIND`` needs no other package and keeps
lists as lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, Final

import networkx as nx

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

__all__ = ["FalkorGraph"]

BATCH_ROWS: Final = 5000


class FalkorGraph(Store):
    """One graph of a FalkorDB server, by TCP (``host``, ``port``) or a Unix socket."""

    language = "cypher"
    change_file = "changes.cypher"

    def __init__(
        self,
        graph: str = "newsgraph",
        *,
        host: str = "127.0.0.1",
        port: int = 6379,
        unix_socket: str | None = None,
    ) -> None:
        self.name, self.host, self.port, self.unix_socket = graph, host, port, unix_socket
        self._db: Any = None

    @property
    def where(self) -> str:
        """The target as text (for messages and reports)."""
        if self.unix_socket:
            return f"falkordb+unix://{self.unix_socket}?graph={self.name}"
        return f"falkordb://{self.host}:{self.port}/{self.name}"

    def _connect(self) -> Any:
        if self._db is None:
            import falkordb

            if self.unix_socket:
                connect = lambda: falkordb.FalkorDB(unix_socket_path=self.unix_socket)  # noqa: E731
            else:
                connect = lambda: falkordb.FalkorDB(host=self.host, port=self.port)  # noqa: E731
            self._db = self._call("connecting", connect)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.connection.close()
        self._db = None

    def _call(self, what: str, action: Any) -> Any:
        import redis

        try:
            return action()
        except redis.exceptions.ResponseError as err:
            raise StoreError(f"{self.where}: {what}: {err}") from err
        except redis.exceptions.ConnectionError as err:
            raise StoreError(f"cannot reach {self.where}: {err}") from err

    def _graphs(self) -> list[str]:
        return [
            str(name)
            for name in self._call("listing graphs", lambda: self._connect().list_graphs())
        ]

    def is_empty(self) -> bool:
        """True when the graph does not exist or holds no node."""
        if self.name not in self._graphs():
            return True
        return not self.rows("MATCH (n) RETURN n LIMIT 1")[1]

    def load(
        self, G: nx.MultiDiGraph, *, replace: bool = False, on_problem: OnProblem | None = None
    ) -> LoadReport:
        full = not self.is_empty()
        if full and not replace:
            raise StoreError(f"{self.where}: the graph holds data; use --replace to replace it")
        staging = f"{self.name}.loading"
        db = self._connect()
        if staging in self._graphs():
            self._call("clearing an old load", lambda: db.select_graph(staging).delete())
        graph = db.select_graph(staging)
        prepared = prepare(G, on_problem)
        nodes, edges = node_tables(G, prepared), edge_tables(G, prepared)
        try:
            for table in nodes:
                self._call("indexing", lambda t=table: graph.create_node_range_index(t.name, "id"))
            for table in nodes:
                query = f"UNWIND $rows AS row CREATE (n:{table.name}) SET n = row"
                for batch in _batches(table):
                    self._call(
                        "loading nodes", lambda q=query, b=batch: graph.query(q, {"rows": b})
                    )
            for table in edges:
                props = " SET r = row.props" if table.columns else ""
                query = (
                    f"UNWIND $rows AS row MATCH (a:{table.source} {{id: row.s}}), "
                    f"(b:{table.target} {{id: row.t}}) CREATE (a)-[r:{table.name}]->(b){props}"
                )
                for batch in _batches(table, edge=True):
                    self._call(
                        "loading edges", lambda q=query, b=batch: graph.query(q, {"rows": b})
                    )
        except StoreError:
            self._call("clearing a failed load", graph.delete)
            raise
        self._swap(staging)
        return LoadReport(self.where, self.counts(), replaced=full)

    def _update(self, graph: Any, statement: str) -> None:
        try:
            self._call("updating", lambda: graph.query(statement))
        except StoreError as err:
            # A label whose nodes all went keeps its index; FalkorDB has no IF NOT EXISTS.
            if not (statement.startswith("CREATE INDEX") and "already indexed" in str(err)):
                raise

    def _swap(self, staging: str) -> None:
        """Rename ``staging`` over the graph; a staging graph never written (an empty graph:
        FalkorDB makes a graph on its first write) leaves no graph."""
        db = self._connect()
        graphs = self._graphs()
        if staging in graphs:
            # RENAME replaces the old graph in one step: readers see the old one or the new one.
            self._call(
                "renaming the loaded graph", lambda: db.connection.rename(staging, self.name)
            )
        elif self.name in graphs:
            self._call("removing the old graph", lambda: db.select_graph(self.name).delete())

    def state(self) -> dict[str, int]:
        return self.counts()

    def apply_changes(
        self, text: str, *, before: Mapping[str, int], after: Mapping[str, int]
    ) -> LoadReport:
        """Run the change set's statements on a copy of the graph (``GRAPH.COPY``), check
        it, and rename it over the target (so a failed update leaves the target as it was)."""
        check_state(self.where, self.state(), before, "the previous graph of the change set")
        staging = f"{self.name}.loading"
        db = self._connect()
        if staging in self._graphs():
            self._call("clearing an old load", lambda: db.select_graph(staging).delete())
        if self.name in self._graphs():  # an empty graph is no graph in FalkorDB
            graph = db.select_graph(self.name)
            self._call("copying the graph", lambda: graph.copy(staging))
        copy = db.select_graph(staging)
        try:
            for statement in statements(text):
                self._update(copy, statement)
            found = FalkorGraph(
                staging, host=self.host, port=self.port, unix_socket=self.unix_socket
            )
            try:
                check_state(self.where, found.state(), after, "the new graph after the update")
            finally:
                found.close()
        except StoreError:
            if staging in self._graphs():
                self._call("clearing a failed update", copy.delete)
            raise
        self._swap(staging)
        return LoadReport(self.where, self.counts(), replaced=True)

    def rows(self, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
        graph = self._connect().select_graph(self.name)
        result = self._call("query", lambda: graph.ro_query(text, dict(parameters or {})))
        names = [str(column[1]) for column in result.header]
        return names, [tuple(row) for row in result.result_set]

    def counts(self) -> dict[str, int]:
        if self.name not in self._graphs():  # never written, or an empty graph was loaded
            return {}
        return cypher_counts(self, "type")


def _batches(table: Table, *, edge: bool = False) -> Iterator[list[dict[str, Any]]]:
    rows = [_row(row, table, edge) for row in table.rows]
    for start in range(0, len(rows), BATCH_ROWS):
        yield rows[start : start + BATCH_ROWS]


def _row(row: Mapping[str, Any], table: Table, edge: bool) -> dict[str, Any]:
    values = {name: _text_time(value) for name, value in row.items() if value is not None}
    if not edge:
        return values
    props = {k: v for k, v in values.items() if k not in ("from", "to")}
    return {"s": values["from"], "t": values["to"], "props": props}


def _text_time(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    return value
