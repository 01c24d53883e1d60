"""Rendering a big RDF export in several processes (private to :mod:`exporters.rdf`).

The nodes are cut into as many slices as jobs, of about equal work (estimated from a
node's values and edges).  This process renders the first slice and streams it out at
once; each other slice is rendered by a forked child into a temporary file, copied out
after the slices before it.  Forking shares the graph with the children instead of pickling it,
and the children send back little: their problems, the source files they met and their
named-graph text.  A process pool would pickle every part of the output through a pipe
and keep both cores busy with copying; this keeps them busy with rendering.

Not supported: platforms without ``fork`` (Windows); there every export runs in one process.
"""

from __future__ import annotations

import bisect
import gc
import itertools
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any, Final, NoReturn

from exporters._rdf_mapping import Mapper, Statement
from graph.errors import NewsgraphError
from graph.model import Problem

__all__ = ["Part", "Renderer", "WorkerError", "render_nodes", "render_parallel"]

#: Formats one chunk of statements: document text, and analysis named-graph text.
Renderer = Callable[[list[Statement]], tuple[str, str]]

#: Encoded text, named-graph text, problems, source files met.
Part = tuple[bytes, str, list[Problem], list[Any]]

_PART_NODES: Final = 500
_COPY_BYTES: Final = 1 << 20


class WorkerError(NewsgraphError):
    """A worker process failed while rendering its slice."""


def render_nodes(mapper: Mapper, renderer: Renderer, nodes: list[Any]) -> Iterator[Part]:
    """Render ``nodes`` in this process, a few thousand at a time."""
    node_statements = mapper.node
    for start in range(0, len(nodes), _PART_NODES):
        body: list[bytes] = []
        named: list[str] = []
        known = len(mapper.source_iris)
        for node in nodes[start : start + _PART_NODES]:
            text, graph_text = renderer(node_statements(node))
            # Encoded node by node: the text of most nodes is ASCII, which encodes as a
            # copy, and one character beyond Latin-1 in a part would otherwise widen all
            # of its text and make encoding it several times slower.
            body.append(text.encode())
            if graph_text:
                named.append(graph_text)
        problems = mapper.problems[:]
        mapper.problems.clear()
        seen = list(itertools.islice(mapper.source_iris, known, None))  # met in this part
        yield b"".join(body), "".join(named), problems, seen


def render_parallel(mapper: Mapper, renderer: Renderer, jobs: int) -> Iterator[Part]:
    """Render every node of ``mapper`` with ``jobs`` processes; parts come in node order."""
    slices = _slices(mapper, jobs)
    children: list[_Child] = []
    # Frozen objects are left alone by the garbage collector: a collection in a child
    # would otherwise write to every object of the graph and copy all of its memory.
    gc.freeze()
    try:
        for nodes in slices[1:]:
            children.append(_Child.start(mapper, renderer, nodes))
        yield from render_nodes(mapper, renderer, slices[0])
        for child in children:
            yield from child.results()
    finally:
        for child in children:
            child.stop()
        gc.unfreeze()


def _slices(mapper: Mapper, jobs: int) -> list[list[Any]]:
    nodes, adjacency = mapper.nodes, mapper.adjacency
    data = mapper.data
    work = list(itertools.accumulate(_work_of(data[n]) + len(adjacency[n]) for n in nodes))
    total = work[-1] if work else 0
    cuts = [0, *(bisect.bisect_left(work, total * i / jobs) for i in range(1, jobs)), len(nodes)]
    return [nodes[start:end] for start, end in itertools.pairwise(cuts)]


def _work_of(data: dict[str, Any]) -> int:
    # Measured: an article's values (text to check, URLs to validate, source lists) cost
    # about three times those of other nodes.
    return 3 * len(data) if data.get("kind") == "article" else len(data)


class _Child:
    """A forked process rendering one slice into a temporary file."""

    def __init__(self, pid: int, results: int, body: IO[bytes]) -> None:
        self.pid: int | None = pid
        self.results_fd: int | None = results
        self.body = body

    @classmethod
    def start(cls, mapper: Mapper, renderer: Renderer, nodes: list[Any]) -> _Child:
        body = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop(), after the copy
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - this branch runs in the child
            os.close(read_end)
            _work(mapper, renderer, nodes, body, write_end)
        os.close(write_end)
        return cls(pid, read_end, body)

    def results(self) -> Iterator[Part]:
        assert self.results_fd is not None and self.pid is not None
        with os.fdopen(self.results_fd, "rb") as pipe:
            self.results_fd = None
            error, named, problems, paths = pickle.load(pipe)
        os.waitpid(self.pid, 0)
        self.pid = None
        if error is not None:
            raise WorkerError(f"an export worker failed: {error}")
        self.body.seek(0)
        while chunk := self.body.read(_COPY_BYTES):
            yield chunk, "", [], []
        yield b"", named, problems, paths

    def stop(self) -> None:
        if self.results_fd is not None:
            os.close(self.results_fd)
            self.results_fd = None
        if self.pid is not None:  # still running: the export was abandoned
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
            self.pid = None
        self.body.close()


def _work(
    mapper: Mapper, renderer: Renderer, nodes: list[Any], body: IO[bytes], results: int
) -> NoReturn:  # pragma: no cover - runs in the child
    status = 0
    named: list[str] = []
    problems: list[Problem] = []
    paths: list[Any] = []
    try:
        for encoded, graph_text, found, seen in render_nodes(mapper, renderer, nodes):
            body.write(encoded)
            named.append(graph_text)
            problems += found
            paths += seen
        body.flush()
        payload: tuple[str | None, str, list[Problem], list[Any]] = (
            None,
            "".join(named),
            problems,
            paths,
        )
    except BaseException as err:  # noqa: BLE001 - any failure goes back to the parent
        payload, status = (f"{type(err).__name__}: {err}", "", [], []), 1
    try:
        with os.fdopen(results, "wb") as pipe:
            pickle.dump(payload, pipe)
    finally:
        # _exit: the child must not run the parent's cleanup (atexit, pytest, open files).
        os._exit(status)
