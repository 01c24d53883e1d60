"""The ``newsgraph`` command: a thin layer that parses arguments and calls the library.

Library errors become one line on stderr and an exit code: 0 all read, 1 some input was
reported and skipped (or ``--strict`` stopped), 2 usage errors.

>>> main(["--version"])  # doctest: +SKIP
newsgraph 0.1.0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from newsgraph import __version__
from newsgraph.exporters.cli import analyze, build, export
from newsgraph.graph.errors import NewsgraphError

__all__ = ["main", "make_parser"]

#: Modules that each add their subcommands with ``add_parsers(subparsers)``.
_COMMANDS = (build, export, analyze)


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="newsgraph",
        description="Build a knowledge graph from news-article metadata files, analyse it "
        "and export it.",
    )
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for module in _COMMANDS:
        module.add_parsers(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except NewsgraphError as err:
        print(f"newsgraph: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsgraph: interrupted", file=sys.stderr)
        return 130
    except OSError as err:
        print(f"newsgraph: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
