"""``newsgraph build``: read article files into one graph and write it with its report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newsgraph import ReadOptions, build_graph
from newsgraph.exporters.cli._common import dump_json, progress_bar, write_atomic
from newsgraph.exporters.cli.export import (
    add_format_arguments,
    parse_formats,
    print_problems,
    rdf_options,
    write_formats,
)
from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.exporters.registry import get_format
from newsgraph.graph.errors import StrictModeError, UnknownFormatError
from newsgraph.graph.model import Severity

__all__ = ["add_parsers"]

MAX_PROBLEMS_SHOWN = 20


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1 (else a usage error, exit 2)."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "build",
        help="read article files into one graph",
        description="Read front-matter Markdown, YAML, JSON and JSON Lines article files "
        "(folders are read recursively) into one deduplicated graph, and write graph.json "
        "(networkx node-link) and report.json to OUTDIR.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to read")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        type=Path,
        metavar="OUTDIR",
        help="folder to write graph.json and report.json to",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first problem that is more than a repair; write nothing",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="worker processes for reading (default: all cores)",
    )
    parser.add_argument(
        "--max-file-bytes",
        type=_positive,
        default=ReadOptions().max_file_bytes,
        metavar="N",
        help="skip files larger than this (default: %(default)s)",
    )
    parser.add_argument(
        "--max-field-chars",
        type=_positive,
        default=ReadOptions().max_field_chars,
        metavar="N",
        help="drop text fields longer than this (default: %(default)s)",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    add_format_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:  # a wrong format name is a usage error, found before any work is done
        formats = parse_formats(args.formats or [])
    except UnknownFormatError as err:
        print(f"newsgraph build: {err}", file=sys.stderr)
        return 2
    options = ReadOptions(max_file_bytes=args.max_file_bytes, max_field_chars=args.max_field_chars)
    try:
        G, report = build_graph(
            args.inputs,
            jobs=args.jobs,
            strict=args.strict,
            options=options,
            progress=progress_bar(not args.quiet),
        )
    except StrictModeError as err:
        print(f"newsgraph build: --strict: {err}", file=sys.stderr)
        return 1
    outputs = {"graph.json": graph_to_json(G), "report.json": dump_json(report.to_dict())}
    for name, data in outputs.items():
        write_atomic(args.output / name, data)
    if formats:
        export_problems = write_formats(
            G, args.output, formats, report, rdf_options=rdf_options(args)
        )
        print_problems(export_problems, "export")
    shown = [p for p in report.problems if p.severity is not Severity.INFO]
    for problem in shown[:MAX_PROBLEMS_SHOWN]:
        print(problem, file=sys.stderr)
    if len(shown) > MAX_PROBLEMS_SHOWN:
        print(
            f"... and {len(shown) - MAX_PROBLEMS_SHOWN} more in {args.output / 'report.json'}",
            file=sys.stderr,
        )
    if not args.quiet:
        print(report.summary())
        written = [*outputs, *(get_format(name).filename() for name in formats)]
        print(f"wrote {', '.join(str(args.output / n) for n in written)}")
    return report.exit_code
