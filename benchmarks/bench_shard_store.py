"""The sharded build's state on disk: SQLite rows against one pickle a shard.

A synthetic corpus is read into one merged state; its articles (packed as the sharded build
packs them) are written and read back both ways, in the three uses a store has:

* ``write``: every article of the shard;
* ``scan``: every article in key order (the decide step);
* ``lookup``: 1% of the articles by key (the alias step; an incremental update).

A single pickle is the fastest to write and scan whole, but it must be read whole for a
lookup and rewritten whole for an update; SQLite reads a key through its index.  Run::

    python -m benchmarks.bench_shard_store --documents 20000
"""

from __future__ import annotations

import argparse
import pickle
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.synthetic import generate_corpus

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    from newsgraph.graph._runtime import cycle_collection_paused
    from newsgraph.graph.building import _read_chunk
    from newsgraph.graph.building.shard_store import ArticleTable, dump
    from newsgraph.graph.building.shards import _pack
    from newsgraph.graph.reading import ReadOptions
    from newsgraph.graph.reading.files import iter_paths

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000)
    args = parser.parse_args(argv)
    # The build runs with the cycle collector paused; so do both stores here (unpickling
    # millions of tuples with it running measures the collector, not the store).
    with tempfile.TemporaryDirectory() as scratch, cycle_collection_paused():
        root = Path(scratch)
        generate_corpus(root / "corpus", args.documents, seed=0)
        paths = [p for p, refusal in iter_paths([root / "corpus" / "news"]) if refusal is None]
        partial, _ = _read_chunk(paths, ReadOptions(), False)
        rows = [(k, s.is_stub, _pack(s)) for k, s in sorted(partial.articles.items())]
        keys = random.Random(0).sample([k for k, _, _ in rows], max(1, len(rows) // 100))
        timings: dict[str, dict[str, float]] = {"sqlite": {}, "pickle": {}}

        start = time.perf_counter()
        table = ArticleTable(root / "s.sqlite")
        table.replace(rows)
        table.close()
        timings["sqlite"]["write"] = time.perf_counter() - start
        start = time.perf_counter()
        table = ArticleTable(root / "s.sqlite")
        sum(1 for _ in table.in_order())
        timings["sqlite"]["scan"] = time.perf_counter() - start
        start = time.perf_counter()
        for key in keys:
            table.get(key)
        timings["sqlite"]["lookup"] = time.perf_counter() - start
        table.close()

        start = time.perf_counter()
        (root / "s.pkl").write_bytes(dump(rows))
        timings["pickle"]["write"] = time.perf_counter() - start
        start = time.perf_counter()
        loaded = pickle.loads((root / "s.pkl").read_bytes())
        timings["pickle"]["scan"] = time.perf_counter() - start
        start = time.perf_counter()
        by_key = {k: s for k, _, s in pickle.loads((root / "s.pkl").read_bytes())}
        for key in keys:
            by_key[key]
        timings["pickle"]["lookup"] = time.perf_counter() - start
        sizes = {
            "sqlite": (root / "s.sqlite").stat().st_size,
            "pickle": (root / "s.pkl").stat().st_size,
        }
        print(f"{len(loaded)} articles, {len(keys)} lookups")
        print(f"{'store':<8} {'write s':>8} {'scan s':>8} {'lookup s':>9} {'MiB':>6}")
        for name, found in timings.items():
            print(
                f"{name:<8} {found['write']:>8.2f} {found['scan']:>8.2f} "
                f"{found['lookup']:>9.3f} {sizes[name] / 2**20:>6.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
