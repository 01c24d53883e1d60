"""``newsgraph analyze`` and ``newsgraph plot``: communities, stories, centrality and figures.

Both read article files (or, with ``--from-json``, a ``graph.json`` written by
``newsgraph build``), cluster the graph and write their results to OUTDIR:

- ``analyze``: ``communities``, ``stories``, ``centrality`` and ``counts`` as ``.csv`` and
  ``.json``, ``membership.csv`` (node, community, story) and ``summary.json``; prints a summary.
- ``plot``: ``communities``, ``degrees``, ``cooccurrence`` and ``timeline-<group>`` figures
  as PNG or SVG.

Lists inside CSV cells are joined with `` | ``.
"""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph import build_graph
from newsgraph.exporters.cli._common import dump_json, progress_bar, write_atomic
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.graph.analysis import (
    METHODS,
    Communities,
    Stories,
    article_graph,
    articles_over_time,
    central_nodes,
    count_kinds,
    find_communities,
    find_stories,
    plot_communities,
    plot_cooccurrence,
    plot_degree_distribution,
    plot_timeline,
)

__all__ = ["add_parsers"]

SHOWN = 5  # communities and stories printed in the summary


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``analyze`` and ``plot`` subcommands."""
    analyze = subparsers.add_parser(
        "analyze",
        help="find communities, stories and central nodes",
        description="Cluster the graph into labelled communities, group articles into stories "
        "and rank central providers, topics and articles; write CSV and JSON to OUTDIR and "
        "print a summary.",
    )
    _common_arguments(analyze)
    analyze.add_argument(
        "--window-hours",
        type=float,
        default=48.0,
        metavar="H",
        help="stories: most hours between joined articles (default: %(default)s)",
    )
    analyze.add_argument(
        "--story-threshold",
        type=float,
        default=0.5,
        metavar="J",
        help="stories: headline similarity 0-1 that joins two articles (default: %(default)s)",
    )
    analyze.add_argument(
        "--min-providers",
        type=int,
        default=2,
        metavar="N",
        help="stories: keep those reported by at least N providers (default: %(default)s)",
    )
    analyze.add_argument(
        "--top",
        type=int,
        default=10,
        metavar="N",
        help="central nodes kept per kind (default: %(default)s)",
    )
    analyze.add_argument(
        "--samples",
        type=int,
        default=100,
        metavar="N",
        help="source nodes sampled for betweenness (default: %(default)s)",
    )
    analyze.set_defaults(run=run_analyze)

    plot = subparsers.add_parser(
        "plot",
        help="draw the community map, degree distribution, co-occurrence and timelines",
        description="Draw figures of the graph into OUTDIR: communities, degrees, "
        "cooccurrence and timeline-<group> for each --by group.",
    )
    _common_arguments(plot)
    plot.add_argument(
        "--format",
        choices=("png", "svg"),
        default="png",
        help="image format (default: %(default)s)",
    )
    plot.add_argument(
        "--by",
        default="topic,provider,community",
        metavar="GROUPS",
        help="timelines to draw, comma-separated from topic, provider, community, "
        "all (default: %(default)s)",
    )
    plot.add_argument(
        "--freq",
        choices=("day", "week", "month", "year"),
        default="month",
        help="timeline period (default: %(default)s)",
    )
    plot.add_argument("--dpi", type=int, default=150, help="PNG resolution (default: %(default)s)")
    plot.set_defaults(run=run_plot)


def _common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to read")
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="OUTDIR", help="folder to write to"
    )
    parser.add_argument(
        "--from-json",
        action="store_true",
        help="INPUT is a graph.json written by 'newsgraph build'",
    )
    parser.add_argument(
        "--on",
        choices=("articles", "graph"),
        default="articles",
        help="cluster articles (linked by related links and shared topics) or "
        "the whole graph of articles, providers, topics and tags "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="clustering method; auto is leiden when igraph is installed, "
        "else louvain (default: %(default)s)",
    )
    parser.add_argument(
        "--resolution",
        type=float,
        default=1.0,
        help="higher gives more, smaller communities (default: %(default)s)",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    parser.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=None,
        metavar="N",
        help="worker processes for reading (default: all cores)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")


@dataclass
class _Loaded:
    graph: nx.MultiDiGraph
    exit_code: int
    summary: str


def _load(args: argparse.Namespace) -> _Loaded:
    if args.from_json:
        if len(args.inputs) != 1:
            raise SystemExit("newsgraph: --from-json reads exactly one graph.json")
        G = graph_from_json(Path(args.inputs[0]).read_bytes())
        return _Loaded(G, 0, f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    if args.jobs is not None and args.jobs < 1:
        raise SystemExit("newsgraph: --jobs must be at least 1")
    G, report = build_graph(args.inputs, jobs=args.jobs, progress=progress_bar(not args.quiet))
    return _Loaded(G, report.exit_code, report.summary())


def _communities(G: nx.MultiDiGraph, args: argparse.Namespace) -> Communities:
    target = article_graph(G) if args.on == "articles" else G
    return find_communities(
        target, method=args.method, resolution=args.resolution, seed=args.seed, context=G
    )


def run_analyze(args: argparse.Namespace) -> int:
    """Run ``newsgraph analyze``."""
    if not 0 < args.story_threshold <= 1:
        raise SystemExit("newsgraph analyze: --story-threshold must be in (0, 1]")
    loaded = _load(args)
    G = loaded.graph
    communities = _communities(G, args)
    stories = find_stories(
        G,
        window=timedelta(hours=args.window_hours),
        threshold=args.story_threshold,
        min_providers=args.min_providers,
    )
    central = central_nodes(G, top=args.top, samples=args.samples, seed=args.seed)
    counts = count_kinds(G)
    tables: dict[str, list[dict[str, Any]]] = {
        "communities": communities.to_records(),
        "stories": stories.to_records(),
        "centrality": central.to_records(),
        "counts": counts.to_records(),
    }
    for name, records in tables.items():
        write_atomic(args.output / f"{name}.csv", _csv(records))
        write_atomic(args.output / f"{name}.json", dump_json(records))
    write_atomic(args.output / "membership.csv", _membership(G, communities, stories))
    summary = {
        "on": args.on,
        "method": communities.method,
        "resolution": args.resolution,
        "seed": args.seed,
        "modularity": communities.modularity,
        "communities": len(communities),
        "stories": len(stories),
        "story_window_hours": args.window_hours,
        "story_threshold": args.story_threshold,
        "nodes": counts.nodes,
        "edges": counts.edges,
    }
    write_atomic(args.output / "summary.json", dump_json(summary))
    if not args.quiet:
        print(loaded.summary)
        print(_summary(communities, stories, central.rows, args.on))
        print(
            f"wrote {args.output}/{{communities,stories,centrality,counts}}.{{csv,json}}, "
            f"membership.csv, summary.json"
        )
    return loaded.exit_code


def run_plot(args: argparse.Namespace) -> int:
    """Run ``newsgraph plot``."""
    groups = [g.strip() for g in args.by.split(",") if g.strip()]
    unknown = sorted(set(groups) - {"topic", "provider", "community", "all"})
    if unknown:
        raise SystemExit(f"newsgraph plot: unknown --by group(s): {', '.join(unknown)}")
    loaded = _load(args)
    G = loaded.graph
    communities = _communities(G, args)
    clustered = article_graph(G) if args.on == "articles" else G
    axes = {
        "communities": plot_communities(clustered, communities, seed=args.seed),
        "degrees": plot_degree_distribution(G),
        "cooccurrence": plot_cooccurrence(G),
    }
    for group in groups:
        timeline = articles_over_time(G, by=group, freq=args.freq, communities=communities)
        axes[f"timeline-{group}"] = plot_timeline(timeline)
    written = []
    for name, ax in axes.items():
        buffer = io.BytesIO()
        ax.figure.savefig(buffer, format=args.format, dpi=args.dpi)
        path = args.output / f"{name}.{args.format}"
        write_atomic(path, buffer.getvalue())
        written.append(str(path))
    if not args.quiet:
        print(loaded.summary)
        print(
            f"communities: {len(communities)} ({communities.method}), "
            f"modularity {communities.modularity:.3f}"
        )
        print(f"wrote {', '.join(written)}")
    return loaded.exit_code


def _csv(records: Sequence[dict[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    if records:
        writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {
                    k: " | ".join(map(str, v)) if isinstance(v, list) else v
                    for k, v in record.items()
                }
            )
    return out.getvalue().encode("utf-8")


def _membership(G: nx.MultiDiGraph, communities: Communities, stories: Stories) -> bytes:
    records = [
        {
            "node": node,
            "kind": data.get("kind", ""),
            "community": communities.membership.get(node, ""),
            "story": stories.membership.get(node, ""),
        }
        for node, data in G.nodes(data=True)
        if node in communities.membership or node in stories.membership
    ]
    return _csv(records)


def _summary(communities: Communities, stories: Stories, central: Sequence[Any], on: str) -> str:
    head = (
        f"communities: {len(communities)} ({communities.method} on {on}), "
        f"modularity {communities.modularity:.3f}"
    )
    lines = [head]
    lines += [f"  #{c.id} [{c.size}] {c.label}" for c in communities.rows[:SHOWN]]
    hours = stories.window.total_seconds() / 3600
    lines.append(
        f"stories: {len(stories)} (within {hours:g} h, headline similarity >= "
        f"{stories.threshold:g})"
    )
    lines += [
        f"  #{s.id} [{s.size} articles, {len(s.providers)} providers, {s.first[:10]}] {s.headline}"
        for s in stories.rows[:SHOWN]
    ]
    for kind in ("provider", "topic", "article"):
        names = [r.label for r in central if r.kind == kind][:3]
        if names:
            lines.append(f"central {kind}s: " + "; ".join(names))
    return "\n".join(lines)
