"""What the CLI subcommands share: reading inputs, JSON bytes, showing problems.

>>> dump_json({"a": [1, 2]})
b'{\\n "a": [\\n  1,\\n  2\\n ]\\n}\\n'
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from newsgraph.exporters.cli._progress import Progress
from newsgraph.graph.errors import DocumentError
from newsgraph.graph.model import Problem, Severity
from newsgraph.graph.reading import iter_files

__all__ = [
    "MAX_PROBLEMS_SHOWN",
    "dump_json",
    "empty_inputs",
    "print_problems",
    "read_graph_json",
]

MAX_PROBLEMS_SHOWN = 20


def dump_json(value: Any) -> bytes:
    """Deterministic, readable JSON bytes."""
    return (
        json.dumps(value, ensure_ascii=False, indent=1, sort_keys=False, allow_nan=False) + "\n"
    ).encode("utf-8")


def empty_inputs(command: str, inputs: Sequence[Path]) -> list[Path]:
    """The input folders without a single file to read, each named in a warning on stderr.

    Only the first file of each folder is looked for, so this costs one directory listing.
    """
    empty = [path for path in inputs if path.is_dir() and next(iter_files([path]), None) is None]
    for path in empty:
        print(f"{command}: warning: {path}: no files to read in this folder", file=sys.stderr)
    return empty


def read_graph_json(path: Path, progress: Progress) -> nx.MultiDiGraph:
    """Read a ``graph.json`` written by ``newsgraph build``; bad data is a :class:`DocumentError`."""
    from newsgraph.exporters.property_graph.nodelink import graph_from_json

    with progress.phase(f"reading {path}"):
        data = path.read_bytes()
        try:
            parsed = json.loads(data)
        except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
            if not data.strip():
                raise DocumentError(os.fspath(path), "not-a-graph", "empty file") from err
            raise DocumentError(
                os.fspath(path), "not-a-graph", f"not JSON: {err}", _line(err)
            ) from err
        if not (
            isinstance(parsed, dict)
            and isinstance(parsed.get("nodes"), list)
            and isinstance(parsed.get("edges", parsed.get("links", [])), list)
        ):
            raise DocumentError(
                os.fspath(path), "not-a-graph", "not a graph.json written by 'newsgraph build'"
            )
        try:
            return graph_from_json(data)
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            raise DocumentError(
                os.fspath(path),
                "not-a-graph",
                f"not a graph.json written by 'newsgraph build' ({type(err).__name__}: {err})",
            ) from err


def _line(err: ValueError) -> int | None:
    line = getattr(err, "lineno", None)
    return line if isinstance(line, int) else None


def print_problems(problems: Sequence[Problem], where: str) -> None:
    """Show the problems that are more than repairs on stderr, at most a screenful."""
    shown = [p for p in problems if p.severity is not Severity.INFO]
    for problem in shown[:MAX_PROBLEMS_SHOWN]:
        print(problem, file=sys.stderr)
    if len(shown) > MAX_PROBLEMS_SHOWN:
        print(f"... and {len(shown) - MAX_PROBLEMS_SHOWN} more in {where}", file=sys.stderr)


def left_out(problems: Sequence[Problem]) -> bool:
    """Whether any problem is more than a repair (something was skipped or left out)."""
    return any(p.severity is not Severity.INFO for p in problems)
