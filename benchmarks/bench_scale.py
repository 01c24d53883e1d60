"""The whole pipeline at growing corpus sizes: time, CPU and peak memory per phase.

For each size a synthetic corpus is generated (cached under the work folder) and each
phase runs in a fresh forked child, so that its peak memory is its own:

* ``baseline``: a bare libyaml parse of every front matter in one process (as
  ``bench_build`` measures it), the yardstick of the same run: each phase's wall and CPU
  time are also printed as multiples of it;
* ``build``: today's ``build_graph`` (in memory);
* ``build-sharded``: ``build_graph(shards=S)``, the graph assembled from the shards;
* ``communities``: the sparse article projection and ``find_communities`` on it (as
  ``newsgraph analyze`` does), the graph loaded first;
* ``nt`` and ``graphml``: the in-memory exports of the loaded graph;
* ``stream``: ``sharded_build`` and N-Triples + neo4j CSVs written shard by shard, no graph
  (what ``newsgraph build --no-graph -f nt,neo4j`` does).

The phases that need the graph load it from a pickle the ``build`` phase wrote, or
``build-sharded`` when ``build`` is not among the phases (writing and loading it are left out
of the times; its memory is in the peak, as it would be in any run).  ``--baseline WALL CPU``
takes a baseline measured before instead of measuring it again (at 1M it costs 18 minutes).
The ``pipeline`` line of each size sums build (or build-sharded), communities, N-Triples and
GraphML (the issue's "whole pipeline"): wall and CPU add up, peak is the largest of them.  For each phase
it prints wall and CPU seconds (the child's and its workers'), peak RSS of the child and
of its largest worker, and, from the second size on, the growth of each as an exponent
of N (1.0: linear; time at 3x the documents is 3**e times longer).  Run::

    nice python -m benchmarks.bench_scale                    # 10k and 100k documents
    nice python -m benchmarks.bench_scale --large            # and 300k, 1M (a quiet machine)
    python -m benchmarks.bench_scale --sizes 2000 --phases build stream
    python -m benchmarks.bench_scale --sizes 100000 --phases build-sharded communities graphml \
        --baseline 545.0 96.2
"""

from __future__ import annotations

import argparse
import math
import os
import pickle
import resource
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["main"]

PHASES = ("baseline", "build", "build-sharded", "communities", "nt", "graphml", "stream")
#: The phases that read the graph a build phase pickled.
_READERS = ("communities", "nt", "graphml")


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _in_child(work: Callable[[], Any]) -> dict[str, float]:
    """Run ``work`` in a forked child; its seconds, CPU seconds and peaks (MiB)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(read)
        status = 0
        try:
            prepare = getattr(work, "prepare", None)
            if prepare is not None:
                prepare()
            cpu0 = _cpu(resource.RUSAGE_SELF)
            start = time.perf_counter()
            work()
            result = {
                "wall": time.perf_counter() - start,
                "cpu": _cpu(resource.RUSAGE_SELF) - cpu0 + _cpu(resource.RUSAGE_CHILDREN),
            }
            finish = getattr(work, "finish", None)
            if finish is not None:
                finish()
            result["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            result["workers"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        except BaseException:
            traceback.print_exc()
            result, status = {}, 1
        os.write(write, pickle.dumps(result))
        os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    os.waitpid(pid, 0)
    found: dict[str, float] = pickle.loads(data) if data else {}
    return found


class _Phase:
    """A phase's work; ``prepare`` (untimed) loads the graph where the phase needs it."""

    def __init__(
        self,
        name: str,
        corpus: Path,
        graph: Path,
        out: Path,
        jobs: int,
        shards: int,
        *,
        writes_graph: bool = False,
    ):
        self.name, self.corpus, self.graph, self.out = name, corpus, graph, out
        self.jobs, self.shards = jobs, shards
        self.writes_graph = writes_graph
        self.G: Any = None

    def prepare(self) -> None:
        if self.name in _READERS:
            with self.graph.open("rb") as stream:
                self.G = pickle.load(stream)

    def finish(self) -> None:
        """Untimed: the build phase that ``writes_graph`` pickles it for the phases after it."""
        if self.writes_graph:
            with self.graph.open("wb") as stream:
                pickle.dump(self.G, stream, pickle.HIGHEST_PROTOCOL)

    def __call__(self) -> None:
        from newsgraph import build_graph
        from newsgraph.exporters.registry import dump

        if self.name == "baseline":
            from benchmarks.bench_build import _baseline

            _baseline(sorted(self.corpus.rglob("*.md")))
        elif self.name == "build":
            self.G, _ = build_graph([self.corpus], jobs=self.jobs)
        elif self.name == "build-sharded":
            self.G, _ = build_graph([self.corpus], jobs=self.jobs, shards=self.shards)
        elif self.name == "communities":
            from newsgraph.graph.analysis import find_communities
            from newsgraph.graph.analysis.sparse import article_projection

            find_communities(article_projection(self.G), on="articles", context=self.G)
        elif self.name in ("nt", "graphml"):
            dump(self.G, self.out / f"graph.{self.name}", self.name, jobs=self.jobs)
        else:
            from newsgraph.exporters.streaming import write_streaming
            from newsgraph.graph.building.sharded import sharded_build

            with sharded_build([self.corpus], shards=self.shards, jobs=self.jobs) as built:
                folders = {f: self.out / "stream" / f for f in ("nt", "neo4j")}
                write_streaming(built, folders, jobs=self.jobs)


def _growth(before: float, after: float, n0: int, n1: int) -> str:
    if before <= 0 or after <= 0:
        return "-"
    return f"{math.log(after / before) / math.log(n1 / n0):.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--large", action="store_true", help="add 300,000 and 1,000,000 documents")
    parser.add_argument("--phases", nargs="+", choices=PHASES, default=list(PHASES))
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument(
        "--baseline",
        type=float,
        nargs=2,
        metavar=("WALL", "CPU"),
        help="the baseline's wall and CPU seconds, measured before (it is then not run)",
    )
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes + ([300_000, 1_000_000] if args.large else [])))
    phases = [p for p in PHASES if p in args.phases or (p == "baseline" and not args.baseline)]
    builder = next((p for p in ("build", "build-sharded") if p in phases), None)
    if any(p in phases for p in _READERS) and builder is None:
        builder = "build"  # they load the graph it writes
        phases.insert(phases.index("baseline") + 1 if "baseline" in phases else 0, builder)
    from benchmarks.synthetic import generate_corpus

    base = {"wall": 1.0, "cpu": 1.0}
    if args.baseline:
        base = {"wall": args.baseline[0], "cpu": args.baseline[1]}

    print(
        f"{'docs':>9} {'phase':<14} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} "
        f"{'worker MiB':>10} {'x base wall/CPU':>16}   growth exponent (wall/CPU/peak)"
    )
    previous: dict[str, tuple[int, dict[str, float]]] = {}
    for size in sizes:
        corpus = args.workdir / f"corpus-{size}"
        if not (corpus / "truth.json").exists():
            generate_corpus(corpus, size, seed=0, jobs=args.jobs)
        with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
            out = Path(scratch)
            done: dict[str, dict[str, float]] = {}
            for name in phases:
                phase = _Phase(
                    name,
                    corpus / "news",
                    out / "graph.pickle",
                    out,
                    args.jobs,
                    args.shards,
                    writes_graph=name == builder,
                )
                found = _in_child(phase)
                if not found:
                    print(f"{size:>9} {name:<14} failed (see above)")
                    continue
                growth = ""
                if name in previous:
                    n0, before = previous[name]
                    growth = "/".join(
                        _growth(before[k], found[k], n0, size) for k in ("wall", "cpu", "peak")
                    )
                previous[name] = (size, found)
                done[name] = found
                if name == "baseline":
                    base = found
                ratio = f"{found['wall'] / base['wall']:.1f}/{found['cpu'] / base['cpu']:.1f}"
                print(
                    f"{size:>9} {name:<14} {found['wall']:>8.1f} {found['cpu']:>8.1f} "
                    f"{found['peak']:>9.0f} {found['workers']:>10.0f} {ratio:>16}   {growth}"
                )
                sys.stdout.flush()
            pipeline = (builder, "communities", "nt", "graphml")
            if all(p in done for p in pipeline):
                wall = sum(done[p]["wall"] for p in pipeline)
                cpu = sum(done[p]["cpu"] for p in pipeline)
                peak = max(max(done[p]["peak"], done[p]["workers"]) for p in pipeline)
                ratio = f"{wall / base['wall']:.1f}/{cpu / base['cpu']:.1f}"
                print(
                    f"{size:>9} {'pipeline':<14} {wall:>8.1f} {cpu:>8.1f} {peak:>9.0f} {'':>10} {ratio:>16}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
