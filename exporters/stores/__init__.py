"""Graph databases: put a graph into a store and ask it questions.

:func:`load` writes a graph into a target through the store's own bulk path and returns
a :class:`LoadReport` (nodes and edges by kind, counted by the store); :func:`query`
asks a target in its language (SPARQL or Cypher) and returns a pandas DataFrame;
:func:`open_store` gives the :class:`Store` behind a target text.

Targets:

======================================================  ==========================================
``oxigraph:PATH``                                       an Oxigraph store folder (pyoxigraph)
``http://HOST:PORT`` (an Oxigraph server)               SPARQL over HTTP, N-Quads to ``/store``
``sparql+http://HOST/QUERY-PATH?store=GSP-URL``         any SPARQL 1.1 server (Graph Store Protocol;
                                                        ``&update=URL`` for change sets)
``ladybug:PATH``                                        a LadybugDB database file (Cypher)
``falkordb://HOST:PORT/GRAPH``                          a FalkorDB graph (Cypher, Redis protocol)
``falkordb+unix:///PATH/TO/SOCKET?graph=GRAPH``         the same over a Unix socket
======================================================  ==========================================

A target that holds data is refused unless ``replace=True``; a replacement is atomic for
readers, and a failed load leaves the target as it was.

>>> from newsgraph.graph.examples import toy_graph
>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     report = load(toy_graph(), f"ladybug:{d}/news.lbug")
...     frame = query(f"ladybug:{d}/news.lbug", "MATCH (t:Topic) RETURN t.name AS topic ORDER BY topic")
>>> report.counts["article"], list(frame["topic"])[:2]
(12, ['AI', 'Energy'])
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import networkx as nx

from newsgraph.exporters.stores._common import LoadReport, Rows, Store, graph_counts
from newsgraph.exporters.values import OnProblem
from newsgraph.graph.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TARGET_FORMS",
    "LoadReport",
    "Store",
    "StoreError",
    "graph_counts",
    "load",
    "open_store",
    "query",
    "query_rows",
]

#: The forms a target takes, for messages.
TARGET_FORMS = (
    "oxigraph:PATH, http://HOST:PORT (Oxigraph server), sparql+http://HOST/PATH?store=URL, "
    "ladybug:PATH, falkordb://HOST:PORT/GRAPH, falkordb+unix:///SOCKET?graph=GRAPH"
)


def open_store(target: str | Store) -> Store:
    """The :class:`Store` a target text names (a Store is returned as it is).

    >>> open_store("falkordb://127.0.0.1:6380/news").where
    'falkordb://127.0.0.1:6380/news'
    >>> open_store("mysql://x")
    Traceback (most recent call last):
    ...
    newsgraph.graph.errors.StoreError: unknown target 'mysql://x'; use oxigraph:PATH, http://HOST:PORT (Oxigraph server), sparql+http://HOST/PATH?store=URL, ladybug:PATH, falkordb://HOST:PORT/GRAPH, falkordb+unix:///SOCKET?graph=GRAPH
    """
    if isinstance(target, Store):
        return target
    scheme, _, rest = target.partition(":")
    if scheme == "oxigraph" and rest:
        from newsgraph.exporters.stores.sparql import OxigraphFolder

        return OxigraphFolder(rest)
    if scheme == "ladybug" and rest:
        from newsgraph.exporters.stores.ladybug import LadybugFile

        return LadybugFile(rest)
    url = urllib.parse.urlsplit(target)
    if url.scheme in ("http", "https") and url.netloc:
        from newsgraph.exporters.stores.sparql import SparqlEndpoint

        return SparqlEndpoint.oxigraph(target)
    if url.scheme in ("sparql+http", "sparql+https") and url.netloc:
        from newsgraph.exporters.stores.sparql import SparqlEndpoint

        fields = urllib.parse.parse_qs(url.query)
        store = fields.get("store")
        if not store:
            raise StoreError(f"{target}: name the Graph Store URL with ?store=URL")
        query = urllib.parse.urlunsplit((url.scheme[7:], url.netloc, url.path, "", ""))
        return SparqlEndpoint(query, store[0], update=fields.get("update", [None])[0])
    if url.scheme in ("falkordb", "falkordb+unix"):
        from newsgraph.exporters.stores.falkordb import FalkorGraph

        if url.scheme == "falkordb+unix":
            graph = urllib.parse.parse_qs(url.query).get("graph", ["newsgraph"])[0]
            return FalkorGraph(graph, unix_socket=url.path)
        try:
            port = url.port or 6379
        except ValueError as err:
            raise StoreError(f"{target}: {err}") from err
        return FalkorGraph(
            url.path.strip("/") or "newsgraph", host=url.hostname or "127.0.0.1", port=port
        )
    raise StoreError(f"unknown target {target!r}; use {TARGET_FORMS}")


def load(
    G: nx.MultiDiGraph,
    target: str | Store,
    *,
    replace: bool = False,
    on_problem: OnProblem | None = None,
) -> LoadReport:
    """Load ``G`` into ``target`` through its bulk path; what it then holds, by kind."""
    store = open_store(target)
    try:
        return store.load(G, replace=replace, on_problem=on_problem)
    finally:
        store.close()


def query_rows(target: str | Store, text: str, parameters: Mapping[str, Any] | None = None) -> Rows:
    """Column names and rows of plain values for ``text`` (SPARQL or Cypher, by target)."""
    store = open_store(target)
    try:
        return store.rows(text, parameters)
    finally:
        if store is not target:
            store.close()


def query(
    target: str | Store, text: str, parameters: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """The answer to ``text`` as a pandas DataFrame (needs pandas)."""
    import pandas as pd

    names, rows = query_rows(target, text, parameters)
    return pd.DataFrame.from_records(rows, columns=names)
