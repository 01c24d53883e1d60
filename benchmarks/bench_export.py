"""RDF export throughput on a graph of over a million triples, next to rdflib's in the same run.

It generates a synthetic corpus (:mod:`benchmarks.synthetic`, cached under the work
folder), builds its graph (cached beside it as ``graph.json``; ``--rebuild`` builds
again), and then times, on that one graph:

* **newsgraph**: ``write_ntriples`` and ``write_turtle`` from the networkx graph -- the
  whole export, mapping included (worker processes for big graphs, as by default); the
  best of three runs;
* **rdflib**: ``Graph.serialize`` to N-Triples and Turtle of the same triples, already
  parsed into an ``rdflib.Graph`` (the parse is not counted);
* **pyoxigraph** (when installed, for reference): ``serialize`` of the same triples,
  already parsed into pyoxigraph terms.

Output goes to a stream that only counts bytes, so disks do not enter into it.  It prints
triples per second (wall clock) and the ratios, the CPU time of newsgraph's exports (all
processes) and the load average, since other work on the machine slows wall clocks down.
The targets are N-Triples >= 500,000 triples/s and Turtle >= 50 times rdflib's.  Run::

    python -m benchmarks.bench_export                      # 30,000 documents, > 1M triples
    python -m benchmarks.bench_export --documents 2000     # a quick look
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph
from newsgraph.exporters.property_graph.nodelink import graph_to_json, read_nodelink
from newsgraph.exporters.rdf.ntriples import write_ntriples
from newsgraph.exporters.rdf.turtle import write_turtle

__all__ = ["main"]

NT_TARGET = 500_000
TURTLE_RATIO_TARGET = 50


class _Counter(io.RawIOBase):
    """A binary stream that keeps nothing but the number of bytes written."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def _time(write: Callable[[Any], object]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds of this process and its workers."""
    stream = _Counter()
    cpu = _cpu()
    start = time.perf_counter()
    write(stream)
    return time.perf_counter() - start, _cpu() - cpu


def _best(write: Callable[[Any], object], repeat: int) -> tuple[float, float]:
    return min(_time(write) for _ in range(repeat))


def _cpu() -> float:
    own, workers = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _rdflib(nt: bytes) -> dict[str, float]:
    import rdflib

    graph = rdflib.Graph()
    start = time.perf_counter()
    graph.parse(data=nt, format="nt")
    print(
        f"  (rdflib parsed the N-Triples into a Graph in {time.perf_counter() - start:.1f} s;"
        " not counted)",
        flush=True,
    )
    seconds = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for name, rdflib_format in (("nt", "nt"), ("ttl", "turtle")):
            seconds[name], _ = _time(
                lambda s, f=rdflib_format: graph.serialize(s, format=f, encoding="utf-8")
            )
    return seconds


def _pyoxigraph(nt: bytes) -> dict[str, float] | None:
    try:
        import pyoxigraph
    except ImportError:
        return None
    triples = list(pyoxigraph.parse(nt, pyoxigraph.RdfFormat.N_TRIPLES))
    return {
        name: _time(lambda s, f=fmt: pyoxigraph.serialize(triples, s, f))[0]
        for name, fmt in (
            ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
            ("ttl", pyoxigraph.RdfFormat.TURTLE),
        )
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=30_000)
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes for building and exporting",
    )
    parser.add_argument("--repeat", type=int, default=3, help="newsgraph runs; the best counts")
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="build the graph again instead of reading the cached graph.json",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)

    corpus = args.workdir / f"corpus-{args.documents}"
    if not (corpus / "truth.json").exists():
        generate_corpus(corpus, args.documents, seed=0)
    cached = corpus / "graph.json"
    start = time.perf_counter()
    if cached.exists() and not args.rebuild:
        G = read_nodelink(cached)
        how = f"read {cached}"
    else:
        G, _ = build_graph([corpus / "news"], jobs=args.jobs)
        cached.write_bytes(graph_to_json(G))
        how = f"built from {args.documents:,} documents"
    print(
        f"{G.number_of_nodes():,} nodes and {G.number_of_edges():,} edges, {how} in "
        f"{time.perf_counter() - start:.1f} s",
        flush=True,
    )

    # newsgraph first, best of --repeat runs, before the reference bytes take memory.
    timed = {
        "nt": _best(lambda s: write_ntriples(G, s, jobs=args.jobs), args.repeat),
        "ttl": _best(lambda s: write_turtle(G, s, jobs=args.jobs), args.repeat),
    }
    ours = {name: wall for name, (wall, _) in timed.items()}
    buffer = io.BytesIO()
    write_ntriples(G, buffer, jobs=args.jobs)
    nt = buffer.getvalue()
    del buffer
    triples = nt.count(b"\n")
    print(
        f"{triples:,} triples ({len(nt) / 1e6:.0f} MB of N-Triples); newsgraph exported with "
        f"{args.jobs} job(s), best of {args.repeat}",
        flush=True,
    )
    oxigraph = _pyoxigraph(nt)
    reference = _rdflib(nt)

    print(
        f"\n{'format':<10}{'newsgraph/s':>14}{'rdflib/s':>12}{'x rdflib':>10}{'pyoxigraph/s':>15}"
    )
    for name, label in (("nt", "N-Triples"), ("ttl", "Turtle")):
        mine, theirs = triples / ours[name], triples / reference[name]
        other = f"{triples / oxigraph[name]:>15,.0f}" if oxigraph else f"{'-':>15}"
        print(f"{label:<10}{mine:>14,.0f}{theirs:>12,.0f}{mine / theirs:>10.1f}{other}")
    for name, (wall, cpu) in timed.items():
        print(
            f"newsgraph {name}: {wall:.2f} s wall, {cpu:.2f} s CPU (all processes); "
            f"{triples / cpu:,.0f} triples per CPU-second"
        )
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    nt_rate = triples / ours["nt"]
    ratio = reference["ttl"] / ours["ttl"]
    print(
        f"\nN-Triples {nt_rate:,.0f} triples/s (target {NT_TARGET:,}): "
        f"{'met' if nt_rate >= NT_TARGET else 'MISSED'}"
    )
    print(
        f"Turtle {ratio:.0f}x rdflib (target {TURTLE_RATIO_TARGET}x): "
        f"{'met' if ratio >= TURTLE_RATIO_TARGET else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
