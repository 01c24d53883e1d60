"""``newsgraph diff PREVIOUS NEW -o CHANGES``: the change set between two graphs.

``PREVIOUS`` and ``NEW`` are each a ``newsgraph build`` output folder (its ``graph.json``
is read), a ``graph.json``, or article files and folders (built first).  ``CHANGES`` gets
the files of :mod:`newsgraph.exporters.changes` (``changes.json``, ``changes.rdfp``,
``changes.ru``, ``changes.cypher``, ``changes.ladybug.cypher``), written atomically;
``newsgraph load --update CHANGES --into TARGET`` applies them to a store loaded with
``PREVIOUS``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import networkx as nx

from newsgraph.exporters.cli._options import add_output_argument, add_quiet_argument, existing_path

__all__ = ["add_parsers", "read_graph"]

GRAPH_JSON = "graph.json"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``diff`` subcommand."""
    parser = subparsers.add_parser(
        "diff",
        help="write the change set from one graph to another (for the stores)",
        description="Compare two graphs (build output folders, graph.json files or article "
        "folders) and write the change set that turns a store loaded with PREVIOUS into one "
        "loaded with NEW: RDF Patch, SPARQL Update and Cypher (FalkorDB, LadybugDB).",
    )
    parser.add_argument(
        "previous", type=existing_path, metavar="PREVIOUS", help="the graph the store holds"
    )
    parser.add_argument("new", type=existing_path, metavar="NEW", help="the graph it should hold")
    add_output_argument(parser)
    add_quiet_argument(parser)
    parser.set_defaults(run=run)


def read_graph(path: Path) -> nx.MultiDiGraph:
    """The graph of a build output folder, a graph.json, or article files (built)."""
    from newsgraph.exporters.cli.load import read_graph_or_build

    if path.is_dir() and (path / GRAPH_JSON).is_file():
        path = path / GRAPH_JSON
    return read_graph_or_build([path])


def run(args: argparse.Namespace) -> int:
    from newsgraph.exporters.changes import write_change_sets
    from newsgraph.exporters.cli._common import print_problems

    previous, new = read_graph(args.previous), read_graph(args.new)
    problems: dict[object, None] = {}
    summary = write_change_sets(previous, new, args.output, on_problem=problems.setdefault)
    print_problems(list(problems), "the change set (fields left out)")  # type: ignore[arg-type]
    if not args.quiet:
        statements, nodes = summary["statements"], summary["nodes"]
        relationships = summary["relationships"]
        print(
            f"wrote {args.output}: statements -{statements['removed']} +{statements['added']}; "
            f"nodes -{nodes['removed']} +{nodes['added']} ~{nodes['changed']}; "
            f"relationships -{relationships['removed']} +{relationships['added']}"
        )
    return 0
