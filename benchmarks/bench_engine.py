"""The build on local worker processes against the build on a Dask ``LocalCluster``, and
the same documents as a folder, a tar and a JSON Lines file.

For a synthetic corpus (cached under the work folder) it packs the documents once into
tars of 1,000 documents (an archive is read by one worker: shards spread the work) and one
JSON Lines file (cut in parts that several workers share), then measures, in turns and ``--repeat`` times each (the fastest
run counts):

* **local**: ``build_graph(inputs, jobs=N)``, worker processes forked for the build;
* **dask**: ``build_graph(inputs, executor=..., jobs=N)`` on a ``LocalCluster`` of N worker
  processes, one thread each, started once before the runs (its start-up is printed apart);
* input **stream**: the folder built in 16 shards with no graph and N-Triples, neo4j and CSV
  written shard by shard (``newsgraph build --no-graph -f nt,neo4j,csv``), by local
  processes or by the Dask workers (each writing its shards' files); the two outputs are
  compared byte for byte.

and prints wall time, CPU time (the main process and every worker: the local build's
reaped workers, the Dask workers' own clocks) and the ratio of each to the local build of
the folder measured in the same run.  The graphs are checked: the folder's byte for byte
(N-Triples), the packs' by their numbers of nodes and edges (their sources differ).  Run::

    python -m benchmarks.bench_engine                     # 10k documents
    python -m benchmarks.bench_engine --size 2000         # a quick look
    python -m benchmarks.bench_engine --inputs folder stream
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph, dask_executor, dumps
from newsgraph.graph.reading.documents import parse_document

__all__ = ["main"]

_INPUTS = ("folder", "tars", "jsonl", "stream")


def _cpu() -> float:
    """CPU seconds of this process and of its reaped children (a local build's workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _worker_cpu() -> float:
    return time.process_time()


def _packs(news: Path, workdir: Path) -> tuple[Path, Path]:
    """The documents below ``news`` as tar shards (one a folder of 1,000) and as one JSON
    Lines file (made once)."""
    tars, jsonl = workdir / "news-tars", workdir / "news.jsonl"
    files = sorted(news.rglob("*.md"))
    if not tars.exists():
        os.makedirs(f"{tars}.part", exist_ok=True)
        for folder in sorted(p for p in news.iterdir() if p.is_dir()):
            with tarfile.open(Path(f"{tars}.part", f"{folder.name}.tar"), "w") as archive:
                for file in sorted(folder.rglob("*.md")):
                    archive.add(file, arcname=file.relative_to(news).as_posix())
        os.replace(f"{tars}.part", tars)
    if not jsonl.exists():
        with open(f"{jsonl}.part", "w", encoding="utf-8") as out:
            for file in files:
                [(mapping, _)], _ = parse_document(file.name, file.read_bytes())
                out.write(json.dumps(mapping, ensure_ascii=False, default=str) + "\n")
        os.replace(f"{jsonl}.part", jsonl)
    return tars, jsonl


def _timed(build: Callable[[], Any], worker_cpu: Callable[[], float]) -> tuple[float, float, Any]:
    cpu, workers, start = _cpu(), worker_cpu(), time.perf_counter()
    result = build()
    elapsed = time.perf_counter() - start
    return elapsed, _cpu() - cpu + worker_cpu() - workers, result


#: Shards of the ``stream`` input.
_SHARDS = 16


def _stream(
    folder: Path, out: Path, jobs: int, executor: Executor | None = None
) -> dict[str, bytes]:
    """``build --no-graph -f nt,neo4j,csv`` of ``folder`` into a temporary folder in ``out``;
    the files written."""
    from newsgraph.exporters.streaming import STREAMING_FORMATS, write_streaming
    from newsgraph.graph.building.sharded import ExecutorRunner, sharded_build

    runner = None if executor is None else ExecutorRunner(executor)
    with tempfile.TemporaryDirectory(dir=out) as scratch:
        with sharded_build([folder], shards=_SHARDS, jobs=jobs, runner=runner) as built:
            folders = {f: Path(scratch, STREAMING_FORMATS[f]) for f in ("nt", "neo4j", "csv")}
            write_streaming(built, folders, jobs=jobs, runner=runner)
        root = Path(scratch)
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2, help="local processes and Dask workers")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the fastest counts")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    parser.add_argument(
        "--inputs", nargs="+", choices=_INPUTS, default=list(_INPUTS), help="what to build"
    )
    args = parser.parse_args(argv)
    corpus = args.workdir / f"corpus-{args.size}"
    if not (corpus / "truth.json").exists():
        generate_corpus(corpus, args.size, seed=0)
    every = {"folder": corpus / "news", "stream": corpus / "news"}
    if {"tars", "jsonl"} & set(args.inputs):
        every["tars"], every["jsonl"] = _packs(corpus / "news", corpus)
    inputs = {name: every[name] for name in _INPUTS if name in args.inputs or name == "folder"}
    out = corpus  # the stream's outputs go to a temporary folder in it

    def local_build(name: str, path: Path) -> Any:
        if name == "stream":
            return _stream(path, out, args.jobs)
        return build_graph([path], jobs=args.jobs)

    from distributed import Client, LocalCluster

    # the local builds first: their workers are reaped children, counted by RUSAGE_CHILDREN
    local: dict[str, list[tuple[float, float, Any]]] = {name: [] for name in inputs}
    for _ in range(max(1, args.repeat)):
        for name, path in inputs.items():
            local[name].append(_timed(lambda n=name, p=path: local_build(n, p), lambda: 0.0))  # type: ignore[misc]
    started = time.perf_counter()
    with (
        LocalCluster(
            n_workers=args.jobs,
            threads_per_worker=1,
            processes=True,
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
        dask_executor(cluster.scheduler_address) as (executor, threads),
    ):
        start_up = time.perf_counter() - started

        def workers() -> float:
            return float(sum(client.run(_worker_cpu).values()))

        def on_dask(name: str, path: Path, executor: Executor = executor) -> Any:
            if name == "stream":
                return _stream(path, out, threads, executor)
            return build_graph([path], executor=executor, jobs=threads)

        dask: dict[str, list[tuple[float, float, Any]]] = {name: [] for name in inputs}
        for _ in range(max(1, args.repeat)):
            for name, path in inputs.items():
                dask[name].append(_timed(lambda n=name, p=path: on_dask(n, p), workers))  # type: ignore[misc]
    base_wall, base_cpu, (G, _) = min(local["folder"], key=lambda r: r[0])
    reference = dumps(G, "nt")
    print(
        f"{args.size} documents, {args.jobs} local processes / {threads} Dask workers "
        f"(LocalCluster start-up {start_up:.1f} s, not counted); ratios to local/folder"
    )
    print(
        f"{'input':<7} {'engine':<6} {'wall s':>7} {'CPU s':>7} {'wall ratio':>10} {'CPU ratio':>9}"
    )
    for engine, runs in (("local", local), ("dask", dask)):
        for name, results in runs.items():
            wall, cpu, built = min(results, key=lambda r: r[0])
            if name == "stream":  # the files the local processes wrote
                same = built == min(local["stream"], key=lambda r: r[0])[2]
            elif name == "folder":
                same = dumps(built[0], "nt") == reference
            else:  # packs: other sources, the same nodes and edges
                H = built[0]
                same = (len(H), H.number_of_edges()) == (len(G), G.number_of_edges())
            print(
                f"{name:<7} {engine:<6} {wall:>7.2f} {cpu:>7.2f} {wall / base_wall:>10.2f} "
                f"{cpu / base_cpu:>9.2f}{'' if same else '  DIFFERENT GRAPH'}"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
