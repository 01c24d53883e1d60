"""Option values checked where argparse reads them, so every subcommand treats them alike.

Each function here is an argparse ``type=``: it returns the value or raises
:class:`argparse.ArgumentTypeError`, which the parser turns into one line on stderr and
exit status 2 -- before any input is read.  A subcommand adds its options with these
(and the ``add_*`` helpers for the options several commands share), never with bare
``int``/``float``, so ``--jobs 0``, ``--top -3`` or ``--dpi nan`` are usage errors
everywhere.  :class:`OneLineParser` is the parser class of the command and its
subcommands; :class:`UsageError` is for the checks that need several options at once.

>>> positive_int("3"), number_in(0, 1, low_open=True)("0.5")
(3, 0.5)
>>> positive_int("0")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: expected a whole number of at least 1, got '0'
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from newsgraph.exporters.registry import Format, get_format
from newsgraph.exporters.sinks import check_output_folder
from newsgraph.graph.errors import UnknownFormatError

__all__ = [
    "MAX_JOBS",
    "FormatChoice",
    "OneLineParser",
    "UsageError",
    "add_jobs_argument",
    "add_output_argument",
    "add_quiet_argument",
    "base_iri",
    "existing_file",
    "existing_path",
    "format_choices",
    "int_in",
    "names_from",
    "number_in",
    "output_folder",
    "output_folder_or_url",
    "positive_int",
]

#: More worker processes than this is a typing slip, not a machine (each one is forked).
MAX_JOBS = 256


class UsageError(Exception):
    """A combination of options that cannot work; the CLI exits 2 with its message."""


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message)} (see '{self.prog} --help')\n")


def one_line(text: object) -> str:
    """``text`` with every run of white space (newlines too) made one space.

    >>> one_line("a\\n  b")
    'a b'
    """
    return " ".join(str(text).split())


def int_in(low: int, high: int | None = None) -> Callable[[str], int]:
    """A ``type=`` for whole numbers from ``low`` to ``high`` (inclusive; None: no limit)."""
    wanted = f"of at least {low}" if high is None else f"from {low} to {high}"

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"expected a whole number {wanted}, got {text!r}")
        return number

    parse.__name__ = "whole number"
    return parse


positive_int = int_in(1)


def number_in(
    low: float, high: float = math.inf, *, low_open: bool = False
) -> Callable[[str], float]:
    """A ``type=`` for finite numbers from ``low`` (excluded if ``low_open``) to ``high``."""
    left = "more than" if low_open else "at least"
    wanted = f"{left} {low:g}" if high == math.inf else f"{left} {low:g} and at most {high:g}"

    def parse(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        inside = low < number if low_open else low <= number
        if not (math.isfinite(number) and inside and number <= high):
            raise argparse.ArgumentTypeError(f"expected a number {wanted}, got {text!r}")
        return number

    parse.__name__ = "number"
    return parse


def names_from(allowed: Sequence[str]) -> Callable[[str], list[str]]:
    """A ``type=`` for a comma-separated list of names, each one of ``allowed``."""

    def parse(text: str) -> list[str]:
        names = list(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
        unknown = [n for n in names if n not in allowed]
        if unknown or not names:
            raise argparse.ArgumentTypeError(
                f"expected names from {', '.join(allowed)}, got {text!r}"
            )
        return names

    parse.__name__ = "names"
    return parse


def existing_path(text: str) -> Path:
    """A ``type=`` for an input file or folder that exists."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"{text}: no such file or folder")
    return path


def existing_file(text: str) -> Path:
    """A ``type=`` for an input that must be a file (not a folder)."""
    path = existing_path(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: a folder, not a file")
    return path


def output_folder(text: str) -> Path:
    """A ``type=`` for an output folder: one that exists or can be made, and is writable."""
    path = Path(text)
    try:
        check_output_folder(path)
    except OSError as err:
        raise argparse.ArgumentTypeError(f"{err.filename}: {err.strerror}") from err
    return path


def output_folder_or_url(text: str) -> Path | str:
    """A ``type=`` for an output folder (see :func:`output_folder`) or an fsspec URL, kept as text."""
    from newsgraph.exporters.destinations import is_url

    return text if is_url(text) else output_folder(text)


def base_iri(text: str) -> str:
    """A ``type=`` for the base of minted IRIs: an http(s) IRI ending in ``/`` or ``#``."""
    from newsgraph.exporters.rdf.iri import is_valid_base

    if not (text.startswith(("http://", "https://")) and is_valid_base(text)):
        raise argparse.ArgumentTypeError(
            f"expected an http(s) IRI ending in '/' or '#', got {text!r}"
        )
    return text


@dataclass(frozen=True)
class FormatChoice:
    """A format asked for with ``-f``, and how its file is packed (``.gz``, ``.zip``)."""

    format: Format
    packing: str = ""  # "", ".gz" (single-file formats) or ".zip" (bundles)

    def filename(self, stem: str = "graph") -> str:
        """The output's name: ``graph.nt``, ``graph.nt.gz``, ``graph-csv``, ``graph.csv.zip``.

        >>> [c.filename() for c in format_choices("nt,nt.gz,csv,csv.zip")]
        ['graph.nt', 'graph.nt.gz', 'graph-csv', 'graph.csv.zip']
        """
        if self.packing == ".zip":
            return f"{stem}{self.format.suffix}"
        return self.format.filename(stem) + self.packing


def format_choices(text: str) -> list[FormatChoice]:
    """A ``type=`` for ``-f``: comma-separated format names, ``NAME.gz`` or ``BUNDLE.zip``.

    >>> [(c.format.name, c.packing) for c in format_choices("turtle, nt.gz,neo4j.zip")]
    [('ttl', ''), ('nt', '.gz'), ('neo4j', '.zip')]
    """
    choices: list[FormatChoice] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, packing = part, ""
        for ending in (".gz", ".zip"):
            if part.lower().endswith(ending):
                name, packing = part[: -len(ending)], ending
        try:
            fmt = get_format(name)
        except UnknownFormatError as err:
            raise argparse.ArgumentTypeError(str(err)) from err
        if packing == ".gz" and fmt.bundle:
            raise argparse.ArgumentTypeError(f"{fmt.name} writes several files: use {name}.zip")
        if packing == ".zip" and not fmt.bundle:
            raise argparse.ArgumentTypeError(f"{fmt.name} is one file: use {name}.gz")
        choices.append(FormatChoice(fmt, packing))
    if not choices:
        raise argparse.ArgumentTypeError(f"expected format names, got {text!r}")
    return choices


def add_output_argument(
    parser: argparse.ArgumentParser,
    *,
    default: Path | None = None,
    url: str | None = None,
) -> None:
    """``-o/--output OUTDIR``, checked before anything is read (required without a default).

    ``url`` says when an fsspec URL is taken too (a URL is then kept as text, unchecked).
    """
    parser.add_argument(
        "-o",
        "--output",
        type=output_folder if url is None else output_folder_or_url,
        required=default is None,
        default=default,
        metavar="OUTDIR",
        help="folder to write to, made if missing"
        + (" (default: the current one)" if default is not None else "")
        + (f"; or an fsspec URL ({url})" if url is not None else ""),
    )


def add_jobs_argument(parser: argparse.ArgumentParser) -> None:
    """``-j/--jobs N``: worker processes for reading (and for writing the big exports)."""
    parser.add_argument(
        "-j",
        "--jobs",
        type=int_in(1, MAX_JOBS),
        default=None,
        metavar="N",
        help=f"worker processes for reading and for writing the RDF formats, GraphML and GEXF,"
        f" 1 to {MAX_JOBS} (default: all cores)",
    )


def add_quiet_argument(parser: argparse.ArgumentParser) -> None:
    """``-q/--quiet``: no summary and no progress, only problems and errors."""
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only problems and errors, no progress"
    )
