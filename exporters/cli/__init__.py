"""The ``newsgraph`` command: a thin layer that parses arguments and calls the library.

Every error is one line on stderr, never a traceback.  Exit status: 0 everything read
and written whole; 1 bad data -- some input was reported and skipped, a value was left
out of an export, a file that cannot be read as asked, ``--strict`` stopped, a write
failed; 2 a usage error (an unknown command, option or format, a value out of range, an
input that does not exist, an output folder that cannot be written) -- found before
anything is read; 130 interrupted (Ctrl-C), 128+N stopped by signal N.  A stopped run
leaves the outputs of the previous run as they were, and no temporary file.

Each subcommand lives in its own module with ``add_parsers(subparsers)``; option values
are checked by the argparse types of :mod:`newsgraph.exporters.cli._options`.

>>> make_parser().prog  # ``newsgraph --version`` prints the version of the package metadata
'newsgraph'
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from newsgraph import __version__
from newsgraph.exporters.cli import analyze, build, diff, export, load, plot, query
from newsgraph.exporters.cli._options import OneLineParser, UsageError, one_line
from newsgraph.graph.errors import NewsgraphError, UnknownFormatError

__all__ = ["main", "make_parser"]

#: Modules that each add their subcommands with ``add_parsers(subparsers)``.
_COMMANDS = (build, export, analyze, plot, load, query, diff)


class _Stopped(BaseException):
    """SIGTERM or SIGHUP, raised in the main process so every ``finally`` cleans up."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = OneLineParser(
        prog="newsgraph",
        description="Build a knowledge graph from news-article metadata files, analyse it "
        "and export it.",
    )
    parser.add_argument("--version", action="version", version=f"newsgraph {__version__}")
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", dest="command", required=True
    )
    for module in _COMMANDS:
        module.add_parsers(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (usage errors exit 2 from the parser)."""
    args = make_parser().parse_args(argv)
    name = f"newsgraph {args.command}"
    try:
        with _signals_raise(), warnings.catch_warnings():
            warnings.showwarning = _warning_line
            return int(args.run(args))
    except UsageError as err:
        return _fail(f"{name}: error: {err} (see '{name} --help')", 2)
    except UnknownFormatError as err:
        return _fail(f"{name}: error: {err}", 2)
    except NewsgraphError as err:
        return _fail(f"{name}: {err}", 1)
    except OSError as err:
        where = f"{err.filename}: " if err.filename else ""
        return _fail(f"{name}: {where}{err.strerror or err}", 1)
    except MemoryError:
        return _fail(f"{name}: out of memory", 1)
    except KeyboardInterrupt:
        return _fail(f"{name}: interrupted", 130)
    except _Stopped as stop:
        return _fail(f"{name}: stopped by {signal.Signals(stop.number).name}", 128 + stop.number)
    except Exception as err:  # the last guard: a bug still shows as one line
        if os.environ.get("NEWSGRAPH_TRACEBACK"):
            raise
        return _fail(
            f"{name}: internal error, please report it: {type(err).__name__}: {err} "
            "(NEWSGRAPH_TRACEBACK=1 shows where)",
            1,
        )


def _fail(message: str, code: int) -> int:
    print(one_line(message), file=sys.stderr)
    return code


def _warning_line(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """A library warning as one line, without the source line Python adds."""
    print(one_line(f"newsgraph: warning: {message} [{category.__name__}]"), file=sys.stderr)


@contextmanager
def _signals_raise() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`_Stopped` in this process (its forks die quietly)."""
    main_pid = os.getpid()

    def stop(number: int, frame: FrameType | None) -> None:
        if os.getpid() != main_pid:  # a forked worker: go as the default action would
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
        raise _Stopped(number)

    numbers = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    try:
        previous = {number: signal.signal(number, stop) for number in numbers}
    except ValueError:  # not the main thread: leave signals alone
        previous = {}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
