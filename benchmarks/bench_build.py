"""Read+build throughput against a bare single-process libyaml parse of the same files.

For each corpus size it generates a synthetic corpus (cached under the work folder), then
measures in the same run:

* the **baseline**: one process reading each file and ``yaml.load(front matter,
  Loader=yaml.CSafeLoader)`` — parsing only, no graph;
* **newsgraph**: ``build_graph(files, jobs=N)`` — safe parsing, normalisation, merging,
  alias resolution and the networkx graph;

and prints documents per second, the ratio newsgraph/baseline (higher is better; the target
is >= 1.6 on 2 cores), the CPU time each spent a document (the build's with its worker
processes; steadier than the clock on a shared machine) and the peak memory (RSS) of the build.  Shared machines change speed
from minute to minute, so the two are measured in turns, ``--repeat`` times each, and the
fastest run of each counts.  Run::

    python -m benchmarks.bench_build                  # 10k and 100k documents
    python -m benchmarks.bench_build --sizes 2000     # a quick look
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph

__all__ = ["main"]


def _baseline(files: list[Path]) -> tuple[float, float]:
    """Parse every front matter in this process; returns (seconds, CPU seconds)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    start, cpu = time.perf_counter(), time.process_time()
    for path in files:
        text = path.read_bytes().decode("utf-8")
        end = text.index("\n---", 4)
        yaml.load(text[4:end], Loader=loader)
    return time.perf_counter() - start, time.process_time() - cpu


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _build_in_child(directory: Path, jobs: int) -> tuple[float, float, int, int]:
    """Build in a fresh child process so its peak RSS and CPU time are the build's own.

    Returns seconds, CPU seconds (the child's and its workers'), and the peak RSS in KiB
    of the child and of its largest worker.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(read)
        start = time.perf_counter()
        G, _ = build_graph([directory], jobs=jobs)
        elapsed = time.perf_counter() - start
        cpu = _cpu(resource.RUSAGE_SELF) + _cpu(resource.RUSAGE_CHILDREN)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        os.write(write, f"{elapsed} {cpu} {peak} {children} {G.number_of_nodes()}".encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as stream:
        elapsed, cpu, peak, children, _nodes = stream.read().split()
    os.waitpid(pid, 0)
    return float(elapsed), float(cpu), int(peak), int(children)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the fastest counts")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)
    print(
        f"{'docs':>8} {'baseline docs/s':>16} {'newsgraph docs/s':>17} {'ratio':>6} "
        f"{'jobs':>4} {'CPU ms/doc (base/ours)':>23} {'peak MiB (main/worker)':>23}"
    )
    for size in args.sizes:
        corpus = args.workdir / f"corpus-{size}"
        if not (corpus / "truth.json").exists():
            generate_corpus(corpus, size, seed=0)
        files = sorted((corpus / "news").rglob("*.md"))
        runs = [
            (_baseline(files), _build_in_child(corpus / "news", args.jobs))
            for _ in range(max(1, args.repeat))
        ]
        base, base_cpu = min(b for b, _ in runs)
        elapsed, cpu, _, _ = min(r for _, r in runs)
        peak = max(r[2] for _, r in runs)
        worker_peak = max(r[3] for _, r in runs)
        per_doc = f"{1000 * base_cpu / len(files):.2f}/{1000 * cpu / len(files):.2f}"
        print(
            f"{len(files):>8} {len(files) / base:>16.0f} {len(files) / elapsed:>17.0f} "
            f"{base / elapsed:>6.2f} {args.jobs:>4} {per_doc:>23} "
            f"{peak / 1024:>11.0f}/{worker_peak / 1024:.0f}"
        )
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
