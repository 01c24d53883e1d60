"""Community and story recovery, and clustering speed, on graphs with planted structure.

Two parts, measured in the same run:

* **planted partition**: a stochastic block model (igraph's ``Graph.SBM`` when installed, else
  networkx's ``stochastic_block_model``) with ``--groups`` equal groups, mean degree
  ``--degree`` and a share ``--mixing`` of each node's edges leaving its group; by default
  100,000 nodes and about 1.05M edges.  It times :func:`newsgraph.graph.analysis.find_communities` with
  Leiden (igraph) and with networkx Louvain on the same graph, and reports the NMI of each
  against the plant, the modularity and the Louvain/Leiden time ratio.
* **synthetic corpus**: ``benchmarks.synthetic.generate_corpus`` (``--documents`` files, with
  the traps of real news unless ``--no-traps``: daily bulletins on one template, a topic on 30%
  of the articles, long-running themes of separate events), built with ``build_graph``.  It
  prints the article projection's edges against the projection before issue 15, the
  communities of ``find_communities`` with its defaults (NMI against the planted communities,
  unclustered articles counted as groups of one) and the stories of ``find_stories`` (pair
  precision and recall against the planted stories, planted stories found exactly, the longest
  story against the window).

Times are wall clock, with process CPU time beside them (a busy machine inflates the first
only).  igraph is imported before timing.  Run::

    python -m benchmarks.bench_analysis                     # 1M edges, 20k documents
    python -m benchmarks.bench_analysis --nodes 20000 --documents 2000 --skip-louvain
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.graph.analysis import _igraph, find_communities, find_stories

__all__ = ["main", "nmi", "planted_graph"]


def nmi(a: Mapping[Any, int], b: Mapping[Any, int]) -> float:
    """Normalised mutual information (arithmetic mean) of two labellings on their common keys.

    >>> nmi({1: 0, 2: 0, 3: 1}, {1: 5, 2: 5, 3: 7}), nmi({1: 0, 2: 1}, {1: 0, 2: 0})
    (1.0, 0.0)
    """
    keys = a.keys() & b.keys()
    n = len(keys)
    ca, cb = Counter(a[k] for k in keys), Counter(b[k] for k in keys)
    joint = Counter((a[k], b[k]) for k in keys)
    mi = sum(m / n * math.log(n * m / (ca[i] * cb[j])) for (i, j), m in joint.items())
    ha = -sum(c / n * math.log(c / n) for c in ca.values())
    hb = -sum(c / n * math.log(c / n) for c in cb.values())
    return 1.0 if ha + hb == 0 else max(0.0, 2 * mi / (ha + hb))


def planted_graph(
    nodes: int, groups: int, degree: float, mixing: float, seed: int
) -> tuple[nx.Graph, dict[int, int], str]:
    """A planted-partition graph, its groups and the generator used."""
    size = nodes // groups
    nodes = size * groups
    p_in = degree * (1 - mixing) / (size - 1)
    p_out = degree * mixing / (nodes - size)
    probabilities = [[p_in if i == j else p_out for j in range(groups)] for i in range(groups)]
    if _igraph.available():
        import igraph as ig

        with _igraph.seeded(seed):
            g = ig.Graph.SBM(probabilities, [size] * groups, directed=False)
        G = nx.Graph()
        G.add_nodes_from(range(nodes))
        G.add_edges_from(g.get_edgelist())
        generator = "igraph.Graph.SBM"
    else:
        G = nx.stochastic_block_model([size] * groups, probabilities, seed=seed, sparse=True)
        G.graph.clear()
        for node in G:
            G.nodes[node].clear()
        generator = "networkx.stochastic_block_model"
    return G, {n: n // size for n in G}, generator


@contextmanager
def _timer(into: dict[str, float]) -> Iterator[None]:
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into["wall"], into["cpu"] = time.perf_counter() - wall, time.process_time() - cpu


def _clustering(G: nx.Graph, truth: Mapping[Any, int], method: str, seed: int) -> dict[str, Any]:
    timing: dict[str, float] = {}
    with _timer(timing):
        result = find_communities(G, method=method, seed=seed)  # type: ignore[arg-type]
    return {
        "method": method,
        "communities": len(result),
        "modularity": result.modularity,
        "nmi": nmi(result.membership, truth),
        **timing,
    }


def _show(title: str, rows: Sequence[Mapping[str, Any]]) -> None:
    print(title)
    for row in rows:
        print(
            f"  {row['method']:>8}: {row['wall']:7.2f} s wall, {row['cpu']:7.2f} s cpu, "
            f"{row['communities']} communities, modularity {row['modularity']:.3f}, "
            f"NMI {row['nmi']:.3f}"
        )


def _planted_part(args: argparse.Namespace) -> None:
    start = time.perf_counter()
    G, truth, generator = planted_graph(
        args.nodes, args.groups, args.degree, args.mixing, args.seed
    )
    print(
        f"planted partition ({generator}, {time.perf_counter() - start:.1f} s): "
        f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, "
        f"{args.groups} groups, mixing {args.mixing}"
    )
    methods = ["leiden"] if _igraph.available() else []
    methods += [] if args.skip_louvain else ["louvain"]
    rows = [_clustering(G, truth, m, args.seed) for m in methods]
    _show("find_communities on the planted graph:", rows)
    if len(rows) == 2:
        print(f"  louvain / leiden wall time: {rows[1]['wall'] / rows[0]['wall']:.1f}x")


def _pairs(groups: Mapping[Any, int]) -> set[tuple[Any, Any]]:
    members: dict[int, list[Hashable]] = {}
    for key, group in groups.items():
        members.setdefault(group, []).append(key)
    return {pair for m in members.values() for pair in combinations(sorted(m, key=str), 2)}


def _old_projection_edges(G: nx.Graph) -> int:
    """Edges of the projection before issue 15: every pair sharing a topic of at most 500
    articles, plus related links (counted, not built)."""
    import numpy as np

    from newsgraph.graph.analysis._facts import article_facts

    facts = article_facts(G)
    index = {k: i for i, k in enumerate(sorted(facts))}
    by_topic: dict[str, list[int]] = {}
    pairs = [
        (min(index[a], index[b]), max(index[a], index[b]))
        for a, f in facts.items()
        for b in f.related
        if b in index and b != a
    ]
    codes = [np.array([i * len(index) + j for i, j in pairs], dtype=np.int64)]
    for key, fact in facts.items():
        for topic in fact.topics:
            by_topic.setdefault(topic, []).append(index[key])
    for members in by_topic.values():
        if 2 <= len(members) <= 500:
            m = np.array(sorted(members), dtype=np.int64)
            i, j = np.triu_indices(len(m), 1)
            codes.append(m[i] * len(index) + m[j])
    return len(np.unique(np.concatenate(codes)))


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _corpus_part(args: argparse.Namespace) -> None:
    from benchmarks.synthetic import generate_corpus, load_truth
    from newsgraph import build_graph
    from newsgraph.graph.analysis import article_projection

    start = time.perf_counter()
    if args.corpus is not None and (args.corpus / "truth.json").is_file():
        truth = load_truth(args.corpus)
        G, _ = build_graph([str(args.corpus / "news")], jobs=args.jobs)
    else:
        with tempfile.TemporaryDirectory() as temporary:
            folder = args.corpus or Path(temporary)
            truth = generate_corpus(folder, args.documents, seed=args.seed, traps=args.traps)
            G, _ = build_graph([str(folder / "news")], jobs=args.jobs)
    traps = "with" if truth.parameters.get("traps") else "without"
    print(
        f"\nsynthetic corpus {traps} traps ({time.perf_counter() - start:.1f} s to write and "
        f"build): {truth.counts['documents']:,} documents, {truth.counts['communities']} planted "
        f"communities, {truth.counts['stories']} planted stories; graph of "
        f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"
    )
    key: Callable[[str], str] = "article:{}".format
    planted = {key(url): c for url, c in truth.community.items() if key(url) in G}
    timing: dict[str, float] = {}
    with _timer(timing):
        P = article_projection(G)
    projection_time = dict(timing)
    old = _old_projection_edges(G)
    print(
        f"article projection: {P.n_nodes:,} nodes, {P.n_edges:,} edges in {timing['wall']:.2f} s "
        f"({timing['cpu']:.2f} s cpu); before issue 15 (cliques of topics <= 500 articles): "
        f"{old:,} edges, ratio {P.n_edges / max(old, 1):.3f}"
    )
    for method in ["leiden", "louvain"][: 1 if args.skip_louvain else 2]:
        with _timer(timing):
            found = find_communities(G, method=method, seed=args.seed)  # type: ignore[arg-type]
        # Unclustered articles count as one-article groups of their own.
        labels: dict[Hashable, int] = dict(found.membership)
        labels.update({n: len(found) + i for i, n in enumerate(found.unclustered)})
        print(
            f"  find_communities ({method}, defaults): {timing['wall']:.2f} s wall, "
            f"{timing['cpu']:.2f} s cpu; {found.headline()}; NMI {nmi(labels, planted):.3f}"
        )
    map_timing: dict[str, float] = {}
    with _timer(map_timing):
        import io

        from newsgraph.graph.analysis import plot_communities

        found = find_communities(P, seed=args.seed, context=G)
        ax = plot_communities(P, found, seed=args.seed)
        ax.figure.savefig(io.BytesIO(), format="png", dpi=150)
    print(
        f"  community map (projection + communities, figure, PNG): "
        f"{projection_time['wall'] + map_timing['wall']:.2f} s wall, "
        f"{projection_time['cpu'] + map_timing['cpu']:.2f} s cpu"
    )
    with _timer(timing):
        stories = find_stories(G, min_providers=1)
    expected = {key(url): s for url, s in truth.story.items() if key(url) in G}
    found_stories = {a: s for a, s in stories.membership.items() if a in expected}
    true_pairs, found_pairs = _pairs(expected), _pairs(found_stories)
    hit = len(true_pairs & found_pairs)
    exact = {
        frozenset(a for a, s in expected.items() if s == story) for story in set(expected.values())
    } & {frozenset(s.articles) for s in stories.rows}
    spans = [datetime.fromisoformat(s.last) - datetime.fromisoformat(s.first) for s in stories.rows]
    longest = max(spans, default=timedelta(0))
    print(
        f"  find_stories (min_providers=1): {len(stories)} stories in {timing['wall']:.2f} s "
        f"({timing['cpu']:.2f} s cpu); pair precision {hit / max(1, len(found_pairs)):.3f}, "
        f"recall {hit / max(1, len(true_pairs)):.3f}; "
        f"{len(exact)}/{len(set(expected.values()))} planted stories found exactly; longest "
        f"story {longest.total_seconds() / 3600:.1f} h (window {stories.window.total_seconds() / 3600:g} h), "
        f"{sum(s > stories.window for s in spans)} longer than the window"
    )
    print(f"peak memory (max RSS of this process): {_peak_mb():,.0f} MB")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; returns 0."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bench_analysis", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--degree", type=float, default=21.0, help="mean degree")
    parser.add_argument("--mixing", type=float, default=0.2, help="share of edges between groups")
    parser.add_argument("--documents", type=int, default=20_000, help="synthetic corpus size")
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="keep the synthetic corpus in this folder, or reuse the one there",
    )
    parser.add_argument("--jobs", type=int, default=None, help="build worker processes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-louvain", action="store_true", help="planted part: Leiden only")
    parser.add_argument("--skip-corpus", action="store_true", help="planted part only")
    parser.add_argument("--skip-planted", action="store_true", help="synthetic corpus only")
    parser.add_argument(
        "--no-traps",
        dest="traps",
        action="store_false",
        help="a synthetic corpus without bulletins, a 30%% topic and long themes",
    )
    args = parser.parse_args(argv)
    if _igraph.available():
        import igraph  # noqa: F401  (its import takes seconds; keep it out of the timings)
    if not args.skip_planted:
        _planted_part(args)
    if not args.skip_corpus and args.documents:
        _corpus_part(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
