"""``newsgraph load``: put a graph into a database (see :mod:`newsgraph.exporters.stores`).

- ``load GRAPH.json --into TARGET`` loads a graph written by ``newsgraph build``;
- ``load INPUT... --into TARGET`` builds the graph from article files first;
- ``--analyze`` adds communities and stories (the RDF stores keep them in their own named
  graph), ``--replace`` replaces a target that holds data (refused otherwise);
- ``load --update CHANGES --into TARGET`` applies a change set written by ``newsgraph
  diff`` (:mod:`newsgraph.exporters.changes`) to a target that holds its previous graph.

Prints what the target holds afterwards, by kind.  Exit 1 when the target cannot be
loaded (it is then left as it was).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import networkx as nx

from newsgraph.exporters.cli._options import UsageError, existing_path

__all__ = ["add_parsers", "read_graph_or_build", "run_update"]


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``load`` subcommand."""
    from newsgraph.exporters.stores import TARGET_FORMS

    parser = subparsers.add_parser(
        "load",
        help="load a graph into a graph database",
        description="Load a graph.json (or the graph built from article files) into a "
        f"database through its bulk loader. Targets: {TARGET_FORMS}.",
    )
    parser.add_argument(
        "inputs",
        nargs="*",
        type=Path,
        metavar="GRAPH_OR_INPUT",
        help="a graph.json, or article files and folders",
    )
    parser.add_argument("--into", required=True, metavar="TARGET", help="the database to load")
    parser.add_argument("--replace", action="store_true", help="replace a target that holds data")
    parser.add_argument(
        "--update",
        type=existing_path,
        metavar="CHANGES",
        help="apply the change set folder CHANGES (newsgraph diff) instead of loading a graph",
    )
    parser.add_argument(
        "--analyze",
        "--analyse",
        dest="analyze",
        action="store_true",
        help="add communities and stories before loading",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(run=run_load)


def run_update(args: argparse.Namespace) -> int:
    from newsgraph.exporters.changes import apply_change_set

    if args.inputs or args.analyze or args.replace:
        raise UsageError("--update applies a change set: give no graph, --analyze or --replace")
    report = apply_change_set(args.into, args.update)
    if not args.quiet:
        print(report.summary().replace("replaced", "updated", 1))
    return 0


def read_graph_or_build(inputs: list[Path]) -> nx.MultiDiGraph:
    """The graph of a graph.json, or the graph built from article files."""
    from newsgraph.exporters.property_graph.nodelink import graph_from_json

    if len(inputs) == 1 and inputs[0].suffix == ".json" and inputs[0].is_file():
        text = inputs[0].read_bytes()
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        if isinstance(data, dict) and "nodes" in data and "directed" in data:
            return graph_from_json(text)
    from newsgraph import build_graph

    G, _ = build_graph(inputs)
    return G


def run_load(args: argparse.Namespace) -> int:
    from newsgraph.exporters.cli._common import print_problems
    from newsgraph.exporters.stores import load, open_store

    if args.update is not None:
        return run_update(args)
    if not args.inputs:
        raise UsageError("give a graph.json or article files to load, or --update CHANGES")
    store = open_store(args.into)  # a malformed target fails before any reading
    G = read_graph_or_build(args.inputs)
    if args.analyze:
        from newsgraph import annotate, find_communities, find_stories

        G = annotate(G, communities=find_communities(G, seed=1), stories=find_stories(G))
    problems: dict[object, None] = {}
    report = load(G, store, replace=args.replace, on_problem=problems.setdefault)
    print_problems(list(problems), "the load (fields left out)")  # type: ignore[arg-type]
    if not args.quiet:
        print(report.summary())
    return 0
