"""``newsgraph analyze``: communities, stories, centrality and counts as tables.

Reads article files (or, with ``--from-json``, a ``graph.json`` written by ``newsgraph
build``), clusters the graph and writes ``communities``, ``stories``, ``centrality`` and
``counts`` as ``.csv`` and ``.json``, ``membership.csv`` (node, community, story; unclustered
nodes with an empty community), ``churn.json`` and ``summary.json`` to OUTDIR -- all or none --
and prints a summary.

After an update, ``--previous DIR`` starts from the communities an earlier run wrote to DIR,
and ``--update`` from those already in OUTDIR (a first run, with none there, starts afresh):
communities keep their ids where their members stayed, new ones get ids never used before,
and ``churn.json`` lists what changed (:mod:`newsgraph.graph.analysis.churn`).  Without
either, ids are numbered by size from 0 and ``churn.json`` says there was no previous run.  The reading and
clustering options are shared with ``newsgraph plot`` (:func:`add_analysis_arguments`,
:func:`load_graph`).

Lists inside CSV cells are joined with `` | ``.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import networkx as nx

from newsgraph import build_graph
from newsgraph.exporters.cli._common import (
    dump_json,
    empty_inputs,
    print_problems,
    read_graph_json,
)
from newsgraph.exporters.cli._options import (
    UsageError,
    add_jobs_argument,
    add_output_argument,
    add_quiet_argument,
    existing_path,
    int_in,
    number_in,
    positive_int,
)
from newsgraph.exporters.cli._previous import PreviousAnalysis, previous_of
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.sinks import OutputSet
from newsgraph.graph.analysis import (
    DEFAULT_MIN_SIZE,
    DEFAULT_NEIGHBOURS,
    DEFAULT_WINDOW,
    METHODS,
    ArticleProjection,
    Communities,
    Stories,
    article_projection,
    central_nodes,
    count_kinds,
    find_communities,
    find_stories,
    time_slice,
)
from newsgraph.graph.analysis.slices import parse_moment

__all__ = ["Loaded", "add_analysis_arguments", "add_parsers", "find_communities_of", "load_graph"]

SHOWN = 5  # communities and stories printed in the summary
MAX_HOURS = 1_000_000.0  # a story window of a century is already more than any corpus


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``analyze`` subcommand."""
    analyze = subparsers.add_parser(
        "analyze",
        help="find communities, stories and central nodes",
        description="Cluster the graph into labelled communities, group articles into stories "
        "and rank central providers, topics and articles; write CSV and JSON to OUTDIR and "
        "print a summary.",
    )
    add_analysis_arguments(analyze)
    analyze.add_argument(
        "--window-hours",
        type=number_in(0, MAX_HOURS, low_open=True),
        default=DEFAULT_WINDOW.total_seconds() / 3600,
        metavar="H",
        help="stories: the longest a story spans, first to last article (default: %(default)g)",
    )
    analyze.add_argument(
        "--story-threshold",
        type=number_in(0, 1, low_open=True),
        default=0.5,
        metavar="J",
        help="stories: headline similarity 0-1 that starts joining two articles "
        "(default: %(default)s)",
    )
    analyze.add_argument(
        "--cohesion",
        type=number_in(0, 1, low_open=True),
        default=0.3,
        metavar="J",
        help="stories: mean similarity between two groups' members that merging them needs "
        "(default: %(default)s)",
    )
    analyze.add_argument(
        "--min-providers",
        type=positive_int,
        default=2,
        metavar="N",
        help="stories: keep those reported by at least N providers (default: %(default)s)",
    )
    analyze.add_argument(
        "--top",
        type=positive_int,
        default=10,
        metavar="N",
        help="central nodes kept per kind (default: %(default)s)",
    )
    analyze.add_argument(
        "--samples",
        type=positive_int,
        default=100,
        metavar="N",
        help="source nodes sampled for betweenness (default: %(default)s)",
    )
    start = analyze.add_mutually_exclusive_group()
    start.add_argument(
        "--previous",
        type=existing_path,
        metavar="DIR",
        help="start from the communities an earlier 'newsgraph analyze' wrote to DIR: they "
        "keep their ids where their members stayed, and churn.json says what changed",
    )
    start.add_argument(
        "--update",
        action="store_true",
        help="--previous OUTDIR: start from the analysis already in OUTDIR when there is one",
    )
    analyze.set_defaults(run=run_analyze)


def add_analysis_arguments(parser: argparse.ArgumentParser) -> None:
    """Inputs, output, ``--from-json`` and the clustering options of ``analyze`` and ``plot``."""
    parser.add_argument(
        "inputs", nargs="+", type=existing_path, metavar="INPUT", help="files or folders to read"
    )
    add_output_argument(parser)
    parser.add_argument(
        "--from-json",
        action="store_true",
        help="INPUT is a graph.json written by 'newsgraph build'",
    )
    parser.add_argument(
        "--on",
        choices=("articles", "graph"),
        default="articles",
        help="cluster articles (linked by related links and shared topics, providers and "
        "tags) or the whole graph of articles, providers, topics and tags "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--min-size",
        type=positive_int,
        default=DEFAULT_MIN_SIZE,
        metavar="K",
        help="smallest community; smaller groups are reported as unclustered "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--neighbours",
        type=positive_int,
        default=DEFAULT_NEIGHBOURS,
        metavar="K",
        help="links each article keeps in the article projection (default: %(default)s)",
    )
    parser.add_argument(
        "--since",
        type=_moment,
        default=None,
        metavar="DATE",
        help="only articles published at or after DATE (ISO 8601, UTC)",
    )
    parser.add_argument(
        "--until",
        type=_moment,
        default=None,
        metavar="DATE",
        help="only articles published before DATE (ISO 8601, UTC)",
    )
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="clustering method; auto is leiden (default: %(default)s)",
    )
    parser.add_argument(
        "--resolution",
        type=number_in(0, low_open=True),
        default=1.0,
        help="higher gives more, smaller communities (default: %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=int_in(0, 2**32 - 1),
        default=0,
        help="random seed, 0 to 2**32-1 (default: %(default)s)",
    )
    add_jobs_argument(parser)
    add_quiet_argument(parser)


def _moment(text: str) -> str:
    try:
        parse_moment(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 date or time: {text!r}") from None
    return text


@dataclass
class Loaded:
    """The graph a command works on, the exit status reading it earned, and its summary."""

    graph: nx.MultiDiGraph
    exit_code: int
    summary: str


def load_graph(args: argparse.Namespace, command: str, progress: Progress) -> Loaded | None:
    """The graph of ``args.inputs``; None (after saying why on stderr) when it is empty."""
    if args.from_json:
        if len(args.inputs) != 1 or args.inputs[0].is_dir():
            raise UsageError("--from-json reads exactly one graph.json file")
        G = read_graph_json(args.inputs[0], progress)
        loaded = Loaded(G, 0, f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges")
    else:
        empty = empty_inputs(command, args.inputs)
        if len(empty) == len(args.inputs):
            return None  # said so already
        G, report = build_graph(
            args.inputs, jobs=args.jobs, progress=progress.bar("reading", "file")
        )
        print_problems(report.problems, "the report of 'newsgraph build'")
        loaded = Loaded(G, max(report.exit_code, int(bool(empty))), report.summary())
    if not any(kind == "article" for _, kind in G.nodes(data="kind")):
        print(f"{command}: nothing to work on: the graph has no articles", file=sys.stderr)
        return None
    start, end = parse_moment(args.since), parse_moment(args.until)
    if start is not None and end is not None and end <= start:
        raise UsageError("--until must be later than --since")
    loaded.graph = time_slice(G, since=args.since, until=args.until)
    return loaded


def find_communities_of(
    G: nx.MultiDiGraph,
    args: argparse.Namespace,
    progress: Progress,
    previous: PreviousAnalysis | None = None,
) -> tuple[Communities, ArticleProjection | None]:
    """The communities ``--on``, ``--method``, ``--resolution``, ``--seed``, ``--min-size`` and
    ``--neighbours`` ask for (from *previous*, when given), and the article projection
    clustered (None with ``--on graph``)."""
    with progress.phase(f"finding communities ({args.method} on {args.on})"):
        projection = (
            article_projection(G, neighbours=args.neighbours, seed=args.seed)
            if args.on == "articles"
            else None
        )
        communities = find_communities(
            projection if projection is not None else G,
            on=args.on,
            method=args.method,
            resolution=args.resolution,
            seed=args.seed,
            min_size=args.min_size,
            context=G,
            previous=previous.assignment if previous is not None else None,
            next_id=previous.next_id if previous is not None else None,
            touched=previous.touched if previous is not None else (),
        )
        return communities, projection


def run_analyze(args: argparse.Namespace) -> int:
    """Run ``newsgraph analyze``."""
    progress = Progress(quiet=args.quiet)
    loaded = load_graph(args, "newsgraph analyze", progress)
    if loaded is None:
        return 1
    G = loaded.graph
    previous = previous_of(args)
    communities, _ = find_communities_of(G, args, progress, previous)
    with progress.phase("finding stories"):
        stories = find_stories(
            G,
            window=timedelta(hours=args.window_hours),
            threshold=args.story_threshold,
            cohesion=args.cohesion,
            min_providers=args.min_providers,
        )
    with progress.phase("ranking central nodes"):
        central = central_nodes(G, top=args.top, samples=args.samples, seed=args.seed)
    counts = count_kinds(G)
    tables: dict[str, list[dict[str, Any]]] = {
        "communities": communities.to_records(),
        "stories": stories.to_records(),
        "centrality": central.to_records(),
        "counts": counts.to_records(),
    }
    summary = {
        "on": args.on,
        "since": args.since,
        "until": args.until,
        "method": communities.method,
        "resolution": args.resolution,
        "seed": args.seed,
        "min_size": args.min_size,
        "neighbours": args.neighbours,
        "modularity": communities.modularity,
        "communities": len(communities),
        "next_community_id": communities.next_id,
        "warm_start": previous is not None,
        "clustered": len(communities.membership),
        "unclustered": len(communities.unclustered),
        "stories": len(stories),
        "story_window_hours": args.window_hours,
        "story_threshold": args.story_threshold,
        "story_cohesion": args.cohesion,
        "nodes": counts.nodes,
        "edges": counts.edges,
    }
    with progress.phase("writing the tables"), OutputSet(args.output) as outputs:
        for name, records in tables.items():
            outputs.write(f"{name}.csv", csv_bytes(records))
            outputs.write(f"{name}.json", dump_json(records))
        outputs.write("membership.csv", _membership(G, communities, stories))
        outputs.write("churn.json", dump_json(_churn(communities)))
        outputs.write("summary.json", dump_json(summary))
    if not args.quiet:
        print(loaded.summary)
        print(_summary(communities, stories, central.rows, args.on))
        print(
            f"wrote {args.output}/{{communities,stories,centrality,counts}}.{{csv,json}}, "
            f"membership.csv, churn.json, summary.json"
        )
    return loaded.exit_code


def csv_bytes(records: Sequence[dict[str, Any]]) -> bytes:
    """Records as CSV bytes (lists joined with `` | ``), the header from the first record."""
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


def _churn(communities: Communities) -> dict[str, Any]:
    if communities.churn is None:
        return {"previous": False, "next_id": communities.next_id}
    return {"previous": True, "next_id": communities.next_id, **communities.churn.to_dict()}


def _membership(G: nx.MultiDiGraph, communities: Communities, stories: Stories) -> bytes:
    unclustered = set(communities.unclustered)
    records = [
        {
            "node": node,
            "kind": data.get("kind", ""),
            "community": communities.membership.get(node, ""),
            "story": stories.membership.get(node, ""),
        }
        for node, data in G.nodes(data=True)
        if node in communities.membership or node in unclustered or node in stories.membership
    ]
    return csv_bytes(records)


def _summary(communities: Communities, stories: Stories, central: Sequence[Any], on: str) -> str:
    lines = [f"communities: {communities.headline()}"]
    if communities.churn is not None:
        lines.append(f"  since the previous analysis: {communities.churn.headline()}")
    lines += [f"  #{c.id} [{c.size}] {c.label}" for c in communities.rows[:SHOWN]]
    hours = stories.window.total_seconds() / 3600
    lines.append(
        f"stories: {len(stories)} (each within {hours:g} h, headline similarity >= "
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
