"""Community churn on an update of 1% new documents: warm start against a cold start.

For each corpus it holds back ``--new`` (1%) of the files, picked at random with ``--seed``,
builds the graph of the rest ("before") and of all the files ("after"; a full build -- the
incremental one gives the same graph), finds the communities of "before", then those of
"after" twice:

- **warm**: ``find_communities(after, previous=before)`` (Leiden from the previous partition,
  ids matched by overlap, :mod:`newsgraph.graph.analysis.churn`);
- **cold**: ``find_communities(after)``, the baseline: what a run that ignores the previous
  one does;
- **warm, new only**: a warm start told only of the articles new to the graph, not of those
  known before as related links that now have a document (``newsgraph analyze --update``
  cannot tell them apart); its churn is still counted against the same joined communities.

It prints, for both, the share of the articles present before and after whose community id
changed -- overall and *outside the communities the new documents joined* (the issue's
target: < 5%) -- and the events (born, merged, split, dissolved).  The articles of the new
documents are those with a document in "after" that had none in "before": new to the graph,
or known before only as related links (``touched``).  Also printed: a warm start on the
unchanged "before" graph (how much Leiden itself moves), modularity, the NMI against the
planted communities (synthetic corpus), and clustering time, wall and CPU, warm against cold.

Corpora: a synthetic corpus with the traps of real news (``benchmarks.synthetic``,
``--documents``), and the real corpus in ``../shared/corpus`` when present (``--real``).
Run::

    python -m benchmarks.bench_churn                      # 20k synthetic + the real corpus
    python -m benchmarks.bench_churn --communities 200 --mixing 0.3 --splits 3   # as measured
    python -m benchmarks.bench_churn --documents 5000 --splits 3 --real ''
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.bench_analysis import nmi
from newsgraph import build_graph
from newsgraph.graph.analysis import Churn, Communities, community_churn, find_communities

__all__ = ["main"]

REAL = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@contextmanager
def _timer(into: dict[str, float], name: str) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into[f"{name} wall"] = time.perf_counter() - wall
    into[f"{name} cpu"] = time.process_time() - cpu


def _documented(G: nx.MultiDiGraph) -> set[str]:
    return {n for n, d in G.nodes(data=True) if d.get("kind") == "article" and not d.get("is_stub")}


def measure(files: Sequence[str], share: float, seed: int, jobs: int) -> dict[str, Any]:
    """Hold back *share* of *files*, and measure the churn of a warm and a cold start."""
    new = set(random.Random(seed).sample(sorted(files), max(1, round(len(files) * share))))
    before_graph, _ = build_graph([f for f in files if f not in new], jobs=jobs)
    after_graph, _ = build_graph(list(files), jobs=jobs)
    touched = _documented(after_graph) - _documented(before_graph)
    times: dict[str, float] = {}
    before = find_communities(before_graph, seed=seed)
    with _timer(times, "warm"):
        warm = find_communities(after_graph, seed=seed, previous=before, touched=touched)
    with _timer(times, "cold"):
        cold = find_communities(after_graph, seed=seed)
    # What `newsgraph analyze --update` does: it knows the new articles, not the touched ones.
    untold = find_communities(after_graph, seed=seed, previous=before)
    same = find_communities(before_graph, seed=seed, previous=before)
    assert warm.churn is not None and same.churn is not None
    return {
        "files": len(files),
        "new files": len(new),
        "articles": len(before.assignment()),
        "new articles": len(touched),
        "before": before,
        "warm": warm,
        "cold": cold,
        "warm churn": warm.churn,
        "cold churn": community_churn(before.assignment(), cold.assignment(), touched=touched),
        "same churn": same.churn,
        "untold churn": community_churn(before.assignment(), untold.assignment(), touched=touched),
        **times,
    }


def _events(churn: Churn) -> str:
    return (
        f"{len(churn.born)} born, {len(churn.merged)} merged, {len(churn.split)} split, "
        f"{len(churn.dissolved)} dissolved"
    )


def _show(name: str, m: dict[str, Any], truth: dict[str, int] | None) -> None:
    warm, cold, same = m["warm churn"], m["cold churn"], m["same churn"]
    print(
        f"{name}: {m['files']:,} files, {m['new files']:,} new ({m['new articles']:,} articles "
        f"got a document); {m['articles']:,} articles before, {len(m['before'])} communities, "
        f"{len(m['warm'])} after (warm), {len(warm.joined)} joined by the new documents"
    )
    for label, churn in (("warm", warm), ("cold", cold), ("warm, new only", m["untold churn"])):
        print(
            f"  {label}: {churn.share:6.2%} of {churn.kept:,} articles changed id; outside the "
            f"joined communities {churn.share_outside:6.2%} ({churn.moved_outside:,} of "
            f"{churn.outside:,}); {_events(churn)}"
        )
    ratio = cold.share_outside / warm.share_outside if warm.share_outside else float("inf")
    print(f"  cold / warm churn outside the joined communities: {ratio:.1f}x")
    print(f"  warm start on the unchanged graph: {same.share:.2%} changed id ({_events(same)})")
    quality = f"  modularity warm {m['warm'].modularity:.4f}, cold {m['cold'].modularity:.4f}"
    if truth is not None:
        quality += (
            f"; NMI against the plant warm {_nmi(m['warm'], truth):.4f}, "
            f"cold {_nmi(m['cold'], truth):.4f}"
        )
    print(quality)
    print(
        f"  clustering: warm {m['warm wall']:.2f} s wall / {m['warm cpu']:.2f} s cpu, "
        f"cold {m['cold wall']:.2f} s / {m['cold cpu']:.2f} s (warm/cold cpu "
        f"{m['warm cpu'] / m['cold cpu']:.2f})"
    )


def _nmi(result: Communities, truth: dict[str, int]) -> float:
    # Unclustered articles count as groups of one, as in bench_analysis.
    found: dict[Hashable, int] = dict(result.membership)
    found |= {k: -1 - i for i, k in enumerate(result.unclustered)}
    return nmi({str(k)[len("article:") :]: c for k, c in found.items()}, truth)


def _files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*") if p.is_file())


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print one block a corpus and split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=20_000, help="synthetic corpus size")
    parser.add_argument(
        "--communities", type=int, help="planted communities (default: the generator's)"
    )
    parser.add_argument(
        "--mixing", type=float, default=0.1, help="share of links leaving the planted community"
    )
    parser.add_argument("--new", type=float, default=0.01, help="share of files held back")
    parser.add_argument("--splits", type=int, default=1, help="random hold-outs per corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, help="keep (or reuse) the synthetic corpus here")
    parser.add_argument("--real", default=str(REAL), help="real corpus folder ('' to skip)")
    args = parser.parse_args(argv)
    from benchmarks.synthetic import generate_corpus, load_truth

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.corpus or Path(temporary) / "synthetic"
        if (folder / "truth.json").is_file():
            truth = load_truth(folder)
        else:
            truth = generate_corpus(
                folder,
                args.documents,
                seed=args.seed,
                traps=True,
                communities=args.communities,
                mixing=args.mixing,
            )
        planted = dict(truth.community)
        print(
            f"synthetic corpus: {truth.counts['documents']:,} documents, "
            f"{truth.counts['communities']} planted communities, "
            f"mixing {truth.parameters.get('mixing')}"
        )
        for split in range(args.splits):
            m = measure(_files(folder / "news"), args.new, args.seed + split, args.jobs)
            _show(f"synthetic corpus with traps, split {split}", m, planted)
    real = Path(args.real) if args.real else None
    if real is not None and real.is_dir():
        for split in range(args.splits):
            m = measure(_files(real), args.new, args.seed + split, args.jobs)
            _show(f"real corpus {real.name}, split {split}", m, None)
    elif real is not None:
        print(f"real corpus: {real} not found, skipped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
