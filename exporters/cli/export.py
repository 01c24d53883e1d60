"""``newsgraph export``, ``newsgraph formats`` and ``newsgraph validate``.

- ``export GRAPH.json -f nt,ttl.gz,csv.zip -o OUTDIR`` writes a built graph (the
  ``graph.json`` of ``newsgraph build``) in each format, as ``OUTDIR/graph.<suffix>``
  (``.gz`` compressed when asked; multi-file formats as ``OUTDIR/graph-<name>/`` or, with
  ``.zip``, ``OUTDIR/graph.<name>.zip``);
- ``formats`` lists the registry: name, aliases, suffix, kind and purpose
  (``--markdown`` prints the table kept in ``docs/formats.md``);
- ``validate FILE`` checks an RDF export against the shipped SHACL shapes and exits
  1 when it does not conform.

:func:`write_exports` is what ``newsgraph build -f`` calls too.  Every export of one
run goes into one :class:`~newsgraph.exporters.sinks.OutputSet`: all are put in place
together, or none.

Not supported: writing to stdout; every format goes to a file or directory.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.cli._common import left_out, print_problems, read_graph_json
from newsgraph.exporters.cli._options import (
    FormatChoice,
    UsageError,
    add_output_argument,
    add_quiet_argument,
    base_iri,
    existing_file,
    format_choices,
)
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.rdf.vocabulary import SCHEMA_NAMESPACES
from newsgraph.exporters.registry import dump, formats, formats_table, get_format
from newsgraph.exporters.sinks import OutputSet
from newsgraph.graph.errors import DocumentError, ExportError, UnknownFormatError
from newsgraph.graph.model import Problem

__all__ = [
    "add_format_arguments",
    "add_parsers",
    "add_view_arguments",
    "chosen_formats",
    "parse_formats",
    "rdf_options",
    "view_options",
    "write_exports",
    "write_formats",
]


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``export``, ``formats`` and ``validate`` subcommands."""
    export = subparsers.add_parser(
        "export",
        help="write a built graph in other formats",
        description="Read a graph.json written by `newsgraph build` and write it in each "
        "format to OUTDIR (see `newsgraph formats`).",
    )
    export.add_argument(
        "graph", type=existing_file, metavar="GRAPH.json", help="a graph.json to export"
    )
    add_format_arguments(export, required=True)
    add_view_arguments(export)
    add_output_argument(export, default=Path("."))
    add_quiet_argument(export)
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
    validate.add_argument("file", type=existing_file, metavar="FILE", help="an RDF export")
    validate.add_argument(
        "-f",
        "--format",
        type=_rdf_format,
        default=None,
        metavar="FORMAT",
        help="its format (default: from the file name)",
    )
    add_quiet_argument(validate)
    validate.set_defaults(run=run_validate)


def add_format_arguments(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    """Add ``-f/--format`` and the RDF options (for ``export`` and ``build``)."""
    names = ", ".join(f.name for f in formats())
    parser.add_argument(
        "-f",
        "--format",
        dest="formats",
        type=format_choices,
        action="append",
        required=required,
        default=None,
        metavar="FORMATS",
        help=f"comma-separated formats to write ({names}); NAME.gz compresses a one-file "
        "format, csv.zip, neo4j.zip and neptune.zip write a zip archive; may repeat",
    )
    parser.add_argument(
        "--base-iri",
        type=base_iri,
        default=None,
        metavar="IRI",
        help="base of the IRIs minted for nodes in RDF exports: an http(s) IRI ending in "
        "'/' or '#'",
    )
    parser.add_argument(
        "--schema-https",
        action="store_true",
        help="bind schema.org as https://schema.org/ in RDF exports",
    )


def chosen_formats(groups: Iterable[Sequence[FormatChoice]] | None) -> list[FormatChoice]:
    """The ``-f`` choices in order, each output file once."""
    seen: dict[str, FormatChoice] = {}
    for group in groups or ():
        for choice in group:
            seen.setdefault(choice.filename(), choice)
    return list(seen.values())


def add_view_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of the ``html`` page (for ``export`` and ``build``)."""
    from newsgraph.exporters.views.html import COLOR_BY
    from newsgraph.exporters.views.layout import REDUCE

    group = parser.add_argument_group("html page")
    group.add_argument("--title", default=None, help="the page's title (default: the graph's name)")
    group.add_argument(
        "--max-nodes",
        type=int,
        default=None,
        metavar="N",
        help="draw at most N nodes; the others stay searchable (default: 100000)",
    )
    group.add_argument(
        "--reduce",
        choices=REDUCE,
        default=None,
        help="how a larger graph is reduced: a sample in proportion from every input root, "
        "kind and community, the best-connected, or one node per community (default: sample)",
    )
    group.add_argument(
        "--color-by", choices=COLOR_BY, default=None, help="the colouring the page opens with"
    )


def view_options(args: argparse.Namespace) -> dict[str, Any]:
    """The ``html`` options chosen on the command line (those not given are left out)."""
    names = ("title", "max_nodes", "reduce", "color_by")
    return {name: getattr(args, name) for name in names if getattr(args, name, None) is not None}


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


#: The formats besides RDF's written by forked processes (:mod:`newsgraph.exporters.forked`).
_FORKING: Final = ("graphml", "gexf")


def write_exports(
    G: nx.MultiDiGraph,
    outputs: OutputSet,
    choices: Sequence[FormatChoice],
    *,
    progress: Progress,
    on_problem: Any,
    documents: int | None = None,
    rdf_options: Mapping[str, Any] | None = None,
    view_options: Mapping[str, Any] | None = None,
    jobs: int | None = None,
) -> None:
    """Write ``G`` in each chosen format into ``outputs``, one progress line per format.

    ``jobs`` is the number of processes writing the formats that fork (RDF, GraphML, GEXF).
    """
    for choice in choices:
        options: dict[str, Any] = {}
        if choice.format.family == "rdf":
            options = {**(rdf_options or {}), "documents": documents, "jobs": jobs}
        elif choice.format.name in _FORKING:
            options = {"jobs": jobs}
        elif choice.format.name == "html":
            options = dict(view_options or {})
        name = choice.filename()
        with progress.phase(f"writing {name}"):
            dump(G, outputs.path(name), choice.format.name, on_problem=on_problem, **options)


def write_formats(
    G: nx.MultiDiGraph,
    outdir: Path,
    formats: Sequence[str],
    report: Any = None,
    *,
    rdf_options: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Write ``G`` to ``outdir`` in each format, all or none; return the problems, each once.

    ``report`` is the build's report, if any: RDF exports record how many files were
    read.  Unknown format names raise before anything is written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     problems = write_formats(nx.MultiDiGraph(), Path(d), ["nt,graphml"])
    ...     sorted(p.name for p in Path(d).iterdir()), problems
    (['graph.graphml', 'graph.nt'], [])
    """
    choices = [FormatChoice(get_format(name)) for name in parse_formats(formats)]
    problems: dict[Problem, None] = {}
    with OutputSet(outdir) as outputs:
        write_exports(
            G,
            outputs,
            choices,
            progress=Progress(quiet=True),
            on_problem=problems.setdefault,
            documents=getattr(report, "files_read", None),
            rdf_options=rdf_options,
        )
    return list(problems)


def run_export(args: argparse.Namespace) -> int:
    progress = Progress(quiet=args.quiet)
    choices = chosen_formats(args.formats)
    G = read_graph_json(args.graph, progress)
    problems: dict[Problem, None] = {}
    with OutputSet(args.output) as outputs:
        write_exports(
            G,
            outputs,
            choices,
            progress=progress,
            on_problem=problems.setdefault,
            rdf_options=rdf_options(args),
            view_options=view_options(args),
        )
    print_problems(list(problems), "the exports (fields left out)")
    if not args.quiet:
        print(f"wrote {', '.join(map(str, outputs.written))}")
    return 1 if left_out(list(problems)) else 0


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


def _rdf_format(text: str) -> str:
    """An argparse type: the name of an RDF format."""
    try:
        fmt = get_format(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from err
    if fmt.family != "rdf":
        rdf = ", ".join(f.name for f in formats() if f.family == "rdf")
        raise argparse.ArgumentTypeError(f"{fmt.name} is not RDF; expected one of {rdf}")
    return fmt.name


def run_validate(args: argparse.Namespace) -> int:
    from newsgraph.exporters.rdf.validate import load_export, validate_graph

    progress = Progress(quiet=args.quiet)
    try:
        with progress.phase(f"reading {args.file}"):
            data = load_export(args.file, args.format)
    except UnknownFormatError as err:  # the file name does not say
        raise UsageError(f"{args.file}: {err}; name its format with -f") from err
    except ExportError as err:  # not an RDF format: the file name asked for the wrong thing
        raise UsageError(f"{args.file}: {err}; name an RDF format with -f") from err
    if len(data) == 0:
        raise DocumentError(str(args.file), "rdf-empty", "no triples: not a newsgraph export")
    with progress.phase("checking the SHACL shapes"):
        result = validate_graph(data)
    if result.conforms:
        if not args.quiet:
            print(f"{args.file}: conforms to the newsgraph shapes")
        return 0
    print(result.text, file=sys.stderr)
    print(f"{args.file}: {result.results} violations of the newsgraph shapes", file=sys.stderr)
    return 1
