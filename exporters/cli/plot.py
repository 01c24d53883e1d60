"""``newsgraph plot``: the community map, degree distribution, co-occurrence and timelines.

Reads and clusters like ``newsgraph analyze`` and draws ``communities``, ``degrees``,
``cooccurrence`` and ``timeline-<group>`` for each ``--by`` group into OUTDIR as PNG or
SVG -- all or none.  Each figure is one progress line on a terminal.  ``--previous DIR``
starts from the communities an earlier ``newsgraph analyze`` wrote to DIR, so the figures
name (and colour) communities by the ids that analysis and its updates keep.
"""

from __future__ import annotations

import argparse
import functools
import io
from collections.abc import Callable
from typing import Any

from newsgraph.exporters.cli._options import existing_path, int_in, names_from
from newsgraph.exporters.cli._previous import previous_of
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.cli.analyze import add_analysis_arguments, find_communities_of, load_graph
from newsgraph.exporters.sinks import OutputSet
from newsgraph.graph.analysis import (
    articles_over_time,
    plot_communities,
    plot_cooccurrence,
    plot_degree_distribution,
    plot_timeline,
)

__all__ = ["add_parsers"]

GROUPS = ("topic", "provider", "community", "all")


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``plot`` subcommand."""
    plot = subparsers.add_parser(
        "plot",
        help="draw the community map, degree distribution, co-occurrence and timelines",
        description="Draw figures of the graph into OUTDIR: communities, degrees, "
        "cooccurrence and timeline-<group> for each --by group.",
    )
    add_analysis_arguments(plot)
    plot.add_argument(
        "--format",
        choices=("png", "svg"),
        default="png",
        help="image format (default: %(default)s)",
    )
    plot.add_argument(
        "--by",
        type=names_from(GROUPS),
        default="topic,provider,community",
        metavar="GROUPS",
        help=f"timelines to draw, comma-separated from {', '.join(GROUPS)} (default: %(default)s)",
    )
    plot.add_argument(
        "--freq",
        choices=("day", "week", "month", "year"),
        default="month",
        help="timeline period (default: %(default)s)",
    )
    plot.add_argument(
        "--dpi",
        type=int_in(10, 1200),
        default=150,
        help="PNG resolution, 10 to 1200 (default: %(default)s)",
    )
    plot.add_argument(
        "--previous",
        type=existing_path,
        metavar="DIR",
        help="start from the communities an earlier 'newsgraph analyze' wrote to DIR, so the "
        "figures use the ids it (and its updates) keep",
    )
    plot.set_defaults(run=run_plot, update=False)


def run_plot(args: argparse.Namespace) -> int:
    """Run ``newsgraph plot``."""
    progress = Progress(quiet=args.quiet)
    loaded = load_graph(args, "newsgraph plot", progress)
    if loaded is None:
        return 1
    G = loaded.graph
    communities, projection = find_communities_of(G, args, progress, previous_of(args))
    clustered = projection if projection is not None else G
    figures: dict[str, Callable[[], Any]] = {
        "communities": lambda: plot_communities(clustered, communities, seed=args.seed),
        "degrees": lambda: plot_degree_distribution(G),
        "cooccurrence": lambda: plot_cooccurrence(G),
    }
    for group in args.by:
        figures[f"timeline-{group}"] = functools.partial(_timeline, G, group, args, communities)
    with OutputSet(args.output) as outputs:
        for name, draw in figures.items():
            filename = f"{name}.{args.format}"
            with progress.phase(f"drawing {filename}"):
                figure = draw().figure
                buffer = io.BytesIO()
                figure.savefig(buffer, format=args.format, dpi=args.dpi)
                _close(figure)
                outputs.write(filename, buffer.getvalue())
    if not args.quiet:
        print(loaded.summary)
        print(f"communities: {communities.headline()}")
        if communities.churn is not None:
            print(f"  since the previous analysis: {communities.churn.headline()}")
        print(f"wrote {', '.join(map(str, outputs.written))}")
    return loaded.exit_code


def _timeline(G: Any, group: Any, args: argparse.Namespace, communities: Any) -> Any:
    return plot_timeline(articles_over_time(G, by=group, freq=args.freq, communities=communities))


def _close(figure: Any) -> None:
    """Free a pyplot figure (many figures would otherwise stay in memory and warn)."""
    import matplotlib.pyplot as plt

    plt.close(figure)
