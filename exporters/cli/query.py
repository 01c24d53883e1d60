"""``newsgraph query TARGET QUERY``: ask a database (SPARQL or Cypher, by target).

The answer is printed as a table, or as CSV or JSON (``--format``).  ``QUERY`` is the
query text, or ``@FILE`` to read it from a file; ``-p name=value`` gives ``$name`` a
value (numbers are read as numbers).  Exit 1 when the target cannot be asked or the
query is wrong.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["add_parsers", "format_rows"]


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register the ``query`` subcommand."""
    parser = subparsers.add_parser(
        "query",
        help="ask a graph database (SPARQL or Cypher)",
        description="Run a SPARQL (Oxigraph, SPARQL endpoints) or Cypher (LadybugDB, "
        "FalkorDB) query on a target written by `newsgraph load`.",
    )
    parser.add_argument("target", metavar="TARGET", help="the database (as for load --into)")
    parser.add_argument("query", metavar="QUERY", help="the query, or @FILE")
    parser.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a query parameter ($NAME); may repeat",
    )
    parser.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="output (default: table)",
    )
    parser.set_defaults(run=run_query)


def run_query(args: argparse.Namespace) -> int:
    from newsgraph.exporters.stores import query_rows

    text = Path(args.query[1:]).read_text() if args.query.startswith("@") else args.query
    parameters = dict(_parameter(p) for p in args.param)
    names, rows = query_rows(args.target, text, parameters)
    sys.stdout.write(format_rows(names, rows, args.format))
    return 0


def format_rows(names: list[str], rows: list[tuple[Any, ...]], form: str) -> str:
    """Rows as an aligned text table, CSV or JSON (a list of objects).

    >>> print(format_rows(["topic", "n"], [("Space", 3), ("Climate", 12)], "table"), end="")
    topic    n
    -------  --
    Space    3
    Climate  12
    >>> format_rows(["n"], [(1,)], "json")
    '[{"n": 1}]\\n'
    """
    if form == "json":
        objects = [dict(zip(names, row, strict=True)) for row in rows]
        return json.dumps(objects, ensure_ascii=False, default=str) + "\n"
    if form == "csv":
        out = _Lines()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(["" if v is None else _text(v) for v in row] for row in rows)
        return "".join(out.lines)
    cells = [[_text(v) for v in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    lines = [names, ["-" * w for w in widths], *cells]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n"
        for line in lines
    )


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def write(self, text: str) -> None:
        self.lines.append(text)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _parameter(text: str) -> tuple[str, Any]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise SystemExit(f"newsgraph query: -p wants NAME=VALUE, not {text!r}")
    for kind in (int, float):
        try:
            return name, kind(value)
        except ValueError:
            pass
    return name, value
