"""The one exception tree of newsgraph.

::

    NewsgraphError
    ├── DocumentError        a file could not be read (carries path, line, column, code)
    ├── StrictModeError      --strict: the first problem, raised instead of reported
    ├── UnknownFormatError   a format name no exporter is registered for (also a ValueError)
    ├── ExportError          an export that cannot be done as asked (also a ValueError)
    ├── WorkerError          an export worker process failed or sent back too little
    ├── StoreError           a database target that cannot be reached, read or loaded as asked
    └── EngineError          a build engine (a Dask scheduler) that cannot be reached or used

Library code raises these, and translates third-party errors into them where it calls the
third party (YAML and JSON in :mod:`newsgraph.graph.reading`, rdflib in
:mod:`newsgraph.exporters.rdf.validate`), chained with ``raise ... from err``; the CLI turns
them into one line on stderr and an exit code.  Besides the tree, only built-in errors: a
``ValueError`` or ``TypeError`` for a bad argument, an ``ImportError`` naming the ``pip install``
for an optional package.

>>> str(DocumentError("a.md", "yaml-syntax", "could not parse", line=3))
'a.md:3: could not parse [yaml-syntax]'
"""

from __future__ import annotations

from collections.abc import Iterable

from newsgraph.graph.model import Problem

__all__ = [
    "DocumentError",
    "EngineError",
    "ExportError",
    "NewsgraphError",
    "StoreError",
    "StrictModeError",
    "UnknownFormatError",
    "WorkerError",
]


class NewsgraphError(Exception):
    """Base class of every error newsgraph raises on purpose."""


class DocumentError(NewsgraphError):
    """A document (file) that cannot be read as articles."""

    def __init__(
        self, path: str, code: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path, self.code, self.message, self.line, self.column = (
            path,
            code,
            message,
            line,
            column,
        )
        super().__init__(str(self.problem()).replace(": error:", ":", 1))

    def problem(self) -> Problem:
        """This error as a :class:`~newsgraph.graph.model.Problem` for the build report."""
        return Problem(self.path, self.line, self.column, self.code, self.message)


class StrictModeError(NewsgraphError):
    """Raised by a strict build at the first problem that is not a mere repair."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


class UnknownFormatError(NewsgraphError, ValueError):
    """A format name that no exporter is registered for; lists the available ones."""

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name = name
        self.available = sorted(available)
        super().__init__(f"unknown format {name!r}; available: {', '.join(self.available)}")


class ExportError(NewsgraphError, ValueError):
    """An export that cannot be done as asked (say, a ``.gz`` bundle)."""


class WorkerError(NewsgraphError):
    """A worker process failed or ended without its result, or its output is shorter than it said."""


class StoreError(NewsgraphError):
    """A database target (a store folder, a server, an endpoint) refused or failed a load or query."""


class EngineError(NewsgraphError):
    """A build engine that cannot be used: a Dask scheduler that cannot be reached, or a
    cluster without workers."""
