"""``newsgraph export``, ``newsgraph formats`` and ``newsgraph validate``.

- ``export GRAPH.json -f nt,ttl,graphml -o OUTDIR`` writes a built graph (the
  ``graph.json`` of ``newsgraph build``) in each format, as ``OUTDIR/graph.<suffix>``
  (multi-file formats as ``OUTDIR/graph-<name>/``);
- ``formats`` lists the registry: name, aliases, suffix, kind and purpose
  (``--markdown`` prints the table kept in ``docs/formats.md``);
- ``validate FILE`` checks an RDF export against the shipped SHACL shapes and exits
  1 when it does not conform.

:func:`write_formats` is what ``newsgraph build -f`` calls too.

Not supported: writing to stdout; every format goes to a file or directory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.exporters.rdf.vocabulary import SCHEMA_NAMESPACES
from newsgraph.exporters.registry import dump, formats, formats_table, get_format
from newsgraph.graph.model import Problem, Severity

__all__ = ["add_parsers", "parse_formats", "write_formats"]

MAX_PROBLEMS_SHOWN = 20


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``export``, ``formats`` and ``validate`` subcommands."""
    export = subparsers.add_parser(
        "export",
        help="write a built graph in other formats",
        description="Read a graph.json written by `newsgraph build` and write it in each "
        "format to OUTDIR (see `newsgraph formats`).",
    )
    export.add_argument("graph", type=Path, metavar="GRAPH.json", help="a graph.json to export")
    add_format_arguments(export, required=True)
    export.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("."),
        metavar="OUTDIR",
        help="folder to write to (default: the current one)",
    )
    export.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    export.set_defaults(run=run_export)

    listing = subparsers.add_parser(
        "formats",
        help="list the export formats",
        description="List every export format: name, aliases, file suffix, kind and use.",
    )
    listing.add_argument("--markdown", action="store_true", help="print a Markdown table")
    listing.set_defaults(run=run_formats)

    validate = subparsers.add_parser(
        "validate",
        help="check an RDF export against the SHACL shapes",
        description="Parse an RDF export (any RDF format, .gz too) and check it against the "
        "SHACL shapes shipped with newsgraph (needs pySHACL). Exit 1 if it does not conform.",
    )
    validate.add_argument("file", type=Path, metavar="FILE", help="an RDF export")
    validate.add_argument(
        "-f",
        "--format",
        default=None,
        metavar="FORMAT",
        help="its format (default: from the file name)",
    )
    validate.add_argument("-q", "--quiet", action="store_true", help="print only violations")
    validate.set_defaults(run=run_validate)


def add_format_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """Add ``-f/--format`` and the RDF options (for ``export`` and ``build``)."""
    names = ", ".join(f.name for f in formats())
    parser.add_argument(
        "-f",
        "--format",
        dest="formats",
        action="append",
        required=required,
        default=None,
        metavar="FORMATS",
        help=f"comma-separated formats to write ({names}); may repeat",
    )
    parser.add_argument(
        "--base-iri",
        default=None,
        metavar="IRI",
        help="base of the IRIs minted for nodes in RDF exports",
    )
    parser.add_argument(
        "--schema-https",
        action="store_true",
        help="bind schema.org as https://schema.org/ in RDF exports",
    )


def rdf_options(args: argparse.Namespace) -> dict[str, Any]:
    """The RDF options chosen on the command line."""
    options: dict[str, Any] = {}
    if getattr(args, "base_iri", None):
        options["base"] = args.base_iri
    if getattr(args, "schema_https", False):
        options["schema"] = SCHEMA_NAMESPACES[1]
    return options


def parse_formats(values: Iterable[str]) -> list[str]:
    """Canonical names from ``-f`` values (comma-separated, aliases allowed, repeats dropped).

    >>> parse_formats(["turtle,nt", "ttl"])
    ['ttl', 'nt']
    """
    names = (part.strip() for value in values for part in value.split(","))
    return list(dict.fromkeys(get_format(name).name for name in names if name))


def write_formats(
    G: nx.MultiDiGraph,
    outdir: Path,
    formats: Sequence[str],
    report: Any = None,
    *,
    rdf_options: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Write ``G`` to ``outdir`` in each format; return the problems, each once.

    ``report`` is the build's report, if any: RDF exports record how many files were
    read.  Unknown format names raise before anything is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     problems = write_formats(nx.MultiDiGraph(), Path(d), ["nt,graphml"])
    ...     sorted(p.name for p in Path(d).iterdir()), problems
    (['graph.graphml', 'graph.nt'], [])
    """
    chosen = [get_format(name) for name in parse_formats(formats)]
    outdir.mkdir(parents=True, exist_ok=True)
    problems: dict[Problem, None] = {}
    documents = getattr(report, "files_read", None)
    for fmt in chosen:
        options: dict[str, Any] = {}
        if fmt.family == "rdf":
            options = {**(rdf_options or {}), "documents": documents}
        dump(
            G,
            outdir / fmt.filename(),
            fmt.name,
            on_problem=problems.setdefault,
            **options,
        )
    return list(problems)


def print_problems(problems: Sequence[Problem], where: str) -> None:
    """Show the problems that are more than repairs on stderr, at most a screenful."""
    shown = [p for p in problems if p.severity is not Severity.INFO]
    for problem in shown[:MAX_PROBLEMS_SHOWN]:
        print(problem, file=sys.stderr)
    if len(shown) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(shown) - MAX_PROBLEMS_SHOWN} more in {where}", file=sys.stderr)


def run_export(args: argparse.Namespace) -> int:
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    names = parse_formats(args.formats)
    G = read_nodelink(args.graph)
    problems = write_formats(G, args.output, names, rdf_options=rdf_options(args))
    print_problems(problems, "the exports (fields left out)")
    if not args.quiet:
        written = ", ".join(str(args.output / get_format(n).filename()) for n in names)
        print(f"wrote {written}")
    return 0


def run_formats(args: argparse.Namespace) -> int:
    if args.markdown:
        print(formats_table(), end="")
        return 0
    rows = [("format", "aliases", "suffix", "kind", "for")]
    for f in formats():
        suffix = f"dir or {f.suffix}" if f.bundle else f.suffix
        rows.append((f.name, ", ".join(f.aliases) or "-", suffix, f.family, f.description))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
            + "  "
            + row[4]
        )
    return 0


def run_validate(args: argparse.Namespace) -> int:
    from newsgraph.exporters.rdf.validate import validate_file

    result = validate_file(args.file, args.format)
    if result.conforms:
        if not args.quiet:
            print(f"{args.file}: conforms to the newsgraph shapes")
        return 0
    print(result.text, file=sys.stderr)
    print(f"{args.file}: {result.results} violations of the newsgraph shapes", file=sys.stderr)
    return 1
