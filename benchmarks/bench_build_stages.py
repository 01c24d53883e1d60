"""The sharded build stage by stage: time, CPU and peak memory of each, and the graph's size.

For each size a synthetic corpus is generated (cached under the work folder) and the steps
of ``sharded_build`` run as it runs them, each stage in a fresh forked child (its peak RSS
is its own; "worker" is its largest worker process), the store kept between them:

* ``baseline``: a bare libyaml parse of every front matter in one process (as
  ``bench_build``), the yardstick of the same run ("x base" is wall and CPU over it);
* ``read+route``: reading the files and routing the articles to their shards;
* ``merge``: merging each shard's pieces into SQLite and sending the table entries out;
* ``reduce``: adding up the tables, then deciding the aliases (in the driver);
* ``decide``: every article's node and edges, shard by shard;
* ``graph``: the networkx graph assembled from the decided shards (one process).

It also prints the graph's nodes and edges and the graph stage's peak per edge. Run::

    nice python -m benchmarks.bench_build_stages --sizes 10000 100000 --workdir DIR
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.bench_scale import _in_child

__all__ = ["STAGES", "main"]

STAGES = ("baseline", "read+route", "merge", "reduce", "decide", "graph")


class _Stage:
    """One stage's work; what the next stages need is pickled to ``state`` by ``finish``."""

    def __init__(self, name: str, corpus: Path, store: Path, state: Path, jobs: int, shards: int):
        self.name, self.corpus, self.store, self.state = name, corpus, store, state
        self.jobs, self.shards = jobs, shards
        self.saved: dict[str, Any] = {}

    def prepare(self) -> None:
        if self.state.exists():
            self.saved = pickle.loads(self.state.read_bytes())

    def finish(self) -> None:
        self.state.write_bytes(pickle.dumps(self.saved, pickle.HIGHEST_PROTOCOL))

    def __call__(self) -> None:
        from newsgraph.graph._runtime import cycle_collection_paused
        from newsgraph.graph.building.sharded import Runner
        from newsgraph.graph.building.shards import Plan

        plan, saved = Plan(self.store, self.shards), self.saved
        if self.name == "baseline":
            from benchmarks.bench_build import _baseline

            _baseline(sorted(self.corpus.rglob("*.md")))
        elif self.name == "graph":
            from newsgraph.graph.building.shard_output import assemble_graph

            with cycle_collection_paused():  # as ShardedBuild.graph
                G = assemble_graph(plan, saved["files"])
            saved["nodes"], saved["edges"] = G.number_of_nodes(), G.number_of_edges()
        else:
            runner = Runner(self.jobs)
            try:
                with cycle_collection_paused():  # as sharded_build runs every step
                    self._step(runner, plan, saved)
            finally:
                runner.close()

    def _step(self, runner: Any, plan: Any, saved: dict[str, Any]) -> None:
        from newsgraph.graph.building import _chunks, _list_files
        from newsgraph.graph.building.shard_output import decide_shard
        from newsgraph.graph.building.shards import (
            Claims,
            decide_aliases,
            merge_shard,
            read_and_route,
            reduce_shard,
        )
        from newsgraph.graph.reading import ReadOptions

        every, plans = range(plan.shards), [plan] * plan.shards
        if self.name == "read+route":
            chunks = _chunks(_list_files([self.corpus], ReadOptions(), []), self.jobs)
            n = len(chunks)
            records: Counter[str] = Counter()
            for _, _, counts in runner.map(
                read_and_route, [plan] * n, range(n), chunks, [ReadOptions()] * n, [False] * n
            ):
                records.update(counts)
            saved["files"] = records["files"]
        elif self.name == "merge":
            variants: dict[str, str] = {}
            for found in runner.map(merge_shard, plans, every):
                variants.update(found)
            saved["variants"] = variants
        elif self.name == "reduce":
            claims = Claims({}, {})
            for shard_claims, _ in runner.map(reduce_shard, plans, every):
                claims.add(shard_claims)
            saved["redirect"], conflicts = decide_aliases(saved.pop("variants"), claims)
            saved["wanted"] = frozenset(key for c in conflicts for key in c.urls)
        else:
            redirect, wanted = saved["redirect"], saved["wanted"]
            n = plan.shards
            list(runner.map(decide_shard, plans, every, [redirect] * n, [wanted] * n))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--shards", type=int, default=16)
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsgraph-bench"
    )
    args = parser.parse_args(argv)
    from benchmarks.synthetic import generate_corpus

    print(
        f"{'docs':>9} {'stage':<11} {'wall s':>8} {'CPU s':>8} {'peak MiB':>9} "
        f"{'worker MiB':>10} {'x base wall/CPU':>16}"
    )
    for size in sorted(set(args.sizes)):
        corpus = args.workdir / f"corpus-{size}"
        if not (corpus / "truth.json").exists():
            generate_corpus(corpus, size, seed=0, jobs=args.jobs)
        base = {"wall": 1.0, "cpu": 1.0}
        with tempfile.TemporaryDirectory(dir=args.workdir) as scratch:
            store, state = Path(scratch) / "store", Path(scratch) / "state.pkl"
            for name in STAGES:
                stage = _Stage(name, corpus / "news", store, state, args.jobs, args.shards)
                found = _in_child(stage)
                if not found:
                    print(f"{size:>9} {name:<11} failed (see above)")
                    return 1
                if name == "baseline":
                    base = found
                ratio = f"{found['wall'] / base['wall']:.2f}/{found['cpu'] / base['cpu']:.2f}"
                print(
                    f"{size:>9} {name:<11} {found['wall']:>8.1f} {found['cpu']:>8.1f} "
                    f"{found['peak']:>9.0f} {found['workers']:>10.0f} {ratio:>16}"
                )
                sys.stdout.flush()
            saved = pickle.loads(state.read_bytes())
            nodes, edges = saved["nodes"], saved["edges"]
            per_edge = found["peak"] * 2**20 / max(edges, 1)
            print(
                f"{size:>9} graph: {nodes:,} nodes, {edges:,} edges, "
                f"{per_edge:,.0f} bytes of the graph stage's peak per edge"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
