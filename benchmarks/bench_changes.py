"""Change sets against full loads: how long an update of a store takes next to a reload.

It generates a synthetic corpus (:mod:`benchmarks.synthetic`), builds the graph of all but
1% of its documents (the store's graph), then the graph of all of them with 0.1% of the
others given a new title (the new graph), and times:

* **diff**: :func:`newsgraph.write_change_sets` from the store's graph to the new one
  (both graphs' statements and tables, compared, written as five files);
* for each store, **update**: :func:`newsgraph.apply_change_set` on a store loaded with
  the old graph (the checks before and after included), against **reload**:
  :func:`newsgraph.load` of the new graph into an empty target.

It prints wall clock and CPU of this process for each, the ratio update / reload (the
target is well under 1: the point of a change set), diff + update / reload (what an
update costs from two graphs in hand), and the change set's size.  The FalkorDB server is
started from the installed package on a Unix socket and stopped.  Run::

    nice python -m benchmarks.bench_changes                      # 20,000 documents
    python -m benchmarks.bench_changes --documents 2000          # a quick look
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from benchmarks.bench_load import _falkordb_server, _timed
from benchmarks.synthetic import generate_corpus
from newsgraph import apply_change_set, build_graph, load, write_change_sets

__all__ = ["main"]

STORES = ("oxigraph-folder", "ladybug", "falkordb")
_TITLE = re.compile(r"^title: .*$", re.MULTILINE)


def _graphs(work: Path, documents: int) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    generate_corpus(work / "corpus", documents, seed=3, write_truth=False)
    files = sorted((work / "corpus" / "news").rglob("*.md"))
    rng = random.Random(3)
    held_back = set(rng.sample(files, max(1, len(files) // 100)))
    kept = [f for f in files if f not in held_back]
    changed = set(rng.sample(kept, max(1, len(files) // 1000)))
    old_root, new_root = work / "old" / "news", work / "new" / "news"
    for f in files:
        for root, present in ((old_root, f not in held_back), (new_root, True)):
            if not present:
                continue
            target = root / f.relative_to(work / "corpus" / "news")
            target.parent.mkdir(parents=True, exist_ok=True)
            text = f.read_text("utf-8")
            if root is new_root and f in changed:
                text = _TITLE.sub(f"title: Revised {f.stem}", text, count=1)
            target.write_text(text, "utf-8")
    old, _ = build_graph([old_root])
    new, _ = build_graph([new_root])
    return old, new


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--stores", default=",".join(STORES), help="comma-separated")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-changes-"))
    try:
        old, new = _graphs(work, args.documents)
        print(
            f"{args.documents} documents: old graph {old.number_of_nodes()} nodes, "
            f"new graph {new.number_of_nodes()} nodes"
        )
        wall, cpu, summary = _timed(lambda: write_change_sets(old, new, work / "changes"))
        size = sum(p.stat().st_size for p in (work / "changes").iterdir())
        print(
            f"diff: {wall:.2f} s wall, {cpu:.2f} s CPU; {size / 1e6:.1f} MB; "
            f"statements -{summary['statements']['removed']} +{summary['statements']['added']} "
            f"of {summary['statements']['after']}; nodes +{summary['nodes']['added']} "
            f"~{summary['nodes']['changed']} -{summary['nodes']['removed']}"
        )
        print(
            f"{'store':<16} {'update s':>9} {'cpu':>7} {'reload s':>9} {'cpu':>7} "
            f"{'update/reload':>14} {'(diff+update)/reload':>21}"
        )
        for store in args.stores.split(","):
            with _target(store, work) as (updated, fresh):
                load(old, updated)
                u_wall, u_cpu, _ = _timed(lambda: apply_change_set(updated, work / "changes"))
                r_wall, r_cpu, _ = _timed(lambda: load(new, fresh))
            print(
                f"{store:<16} {u_wall:9.2f} {u_cpu:7.2f} {r_wall:9.2f} {r_cpu:7.2f} "
                f"{u_wall / r_wall:14.2f} {(wall + u_wall) / r_wall:21.2f}"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


class _target:
    """Two targets of one store kind: the one updated and the one loaded fresh."""

    def __init__(self, store: str, work: Path) -> None:
        self.store, self.work, self.server = store, work, None

    def __enter__(self) -> tuple[str, str]:
        if self.store == "oxigraph-folder":
            return f"oxigraph:{self.work}/updated", f"oxigraph:{self.work}/fresh"
        if self.store == "ladybug":
            return f"ladybug:{self.work}/updated.lbug", f"ladybug:{self.work}/fresh.lbug"
        self.server = _falkordb_server(self.work)
        sock = self.server.__enter__()
        return (f"falkordb+unix://{sock}?graph=updated", f"falkordb+unix://{sock}?graph=fresh")

    def __exit__(self, *exc: object) -> None:
        if self.server is not None:
            self.server.__exit__(None, None, None)


if __name__ == "__main__":
    raise SystemExit(main())
