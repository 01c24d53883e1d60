"""Rendering a big RDF export in several processes (private to :mod:`newsgraph.exporters.rdf.statements`).

The nodes are cut into as many slices as jobs, of about equal work (estimated from a
node's values and edges).  This process renders the first slice and streams it out at
once; each other slice is rendered by a forked child into a temporary file.  The child
announces each part on a pipe as soon as it is written, so this process copies the
parts out while the child goes on, in the order and with the ends they were rendered
with (a writer may rely on the ends of parts).  Forking shares the graph with the
children instead of pickling it, and the children send back little: the sizes of their
parts, then their problems and named-graph text.  A process pool would pickle every
part of the output through a pipe and keep both cores busy with copying; this keeps
them busy with rendering.

The source files are described last.  With workers, this process finds them before
forking (:meth:`~newsgraph.exporters.rdf.mapping.Mapper.source_paths`) and describes them after
its own slice, while the children still work; its slice is cut smaller to make room.

The children inherit the paused garbage collector of :func:`newsgraph.exporters.rdf.statements.render`: a
collection in a child would write to every object of the graph, and so copy all of its
memory.

Not supported: platforms without ``fork`` (Windows); there every export runs in one process.
"""

from __future__ import annotations

import bisect
import itertools
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Final, NoReturn

from newsgraph.exporters.rdf.mapping import Description, Mapper
from newsgraph.graph.errors import WorkerError
from newsgraph.graph.model import Problem

__all__ = ["Part", "Renderer", "render_all", "render_parallel"]

#: Formats descriptions: document text, and analysis named-graph text.
Renderer = Callable[[list[Description]], tuple[str, str]]

#: Encoded text, named-graph text, problems.
Part = tuple[bytes, str, list[Problem]]

_PART_NODES: Final = 500
#: Measured: describing a source file costs about as much as four values of a node.
_SOURCE_WORK: Final = 4


def render_all(mapper: Mapper, renderer: Renderer) -> Iterator[Part]:
    """Render every node of ``mapper``, then the source files, in this process."""
    yield from _render_nodes(mapper, renderer, mapper.nodes)
    yield _render_sources(mapper, renderer, mapper.source_iris)


def render_parallel(mapper: Mapper, renderer: Renderer, jobs: int) -> Iterator[Part]:
    """Render as :func:`render_all` does, with ``jobs`` processes; parts come in node order."""
    paths = mapper.source_paths()
    slices = _slices(mapper, jobs, _SOURCE_WORK * len(paths))
    children: list[_Child] = []
    try:
        for nodes in slices[1:]:
            children.append(_Child.start(mapper, renderer, nodes))
        yield from _render_nodes(mapper, renderer, slices[0])
        sources = _render_sources(mapper, renderer, paths)  # while the children work
        for child in children:
            yield from child.results()
        yield sources
    finally:
        for child in children:
            child.stop()


def _render_nodes(mapper: Mapper, renderer: Renderer, nodes: list[Any]) -> Iterator[Part]:
    """Render ``nodes`` in this process, a few hundred at a time."""
    describe = mapper.node
    for start in range(0, len(nodes), _PART_NODES):
        body: list[bytes] = []
        named: list[str] = []
        for node in nodes[start : start + _PART_NODES]:
            description = describe(node)
            if description is None:
                continue
            text, graph_text = renderer([description])
            # Encoded node by node: the text of most nodes is ASCII, which encodes as a
            # copy, and one character beyond Latin-1 in a part would otherwise widen all
            # of its text and make encoding it several times slower.
            body.append(text.encode())
            if graph_text:
                named.append(graph_text)
        yield b"".join(body), "".join(named), _taken(mapper.problems)


def _render_sources(mapper: Mapper, renderer: Renderer, paths: Iterable[Any]) -> Part:
    body, named = renderer(mapper.sources(paths))
    return body.encode(), named, _taken(mapper.problems)


def _taken(problems: list[Problem]) -> list[Problem]:
    taken = problems[:]
    problems.clear()
    return taken


def _slices(mapper: Mapper, jobs: int, head_start: int) -> list[list[Any]]:
    """``jobs`` slices of equal work, once ``head_start`` is taken off the first one's."""
    nodes, adjacency, data = mapper.nodes, mapper.adjacency, mapper.data
    work = list(itertools.accumulate(_work_of(data[n]) + len(adjacency[n]) for n in nodes))
    total = (work[-1] if work else 0) + head_start
    cuts = [0]
    cuts += [bisect.bisect_left(work, total * i / jobs - head_start) for i in range(1, jobs)]
    cuts.append(len(nodes))
    return [nodes[start:end] for start, end in itertools.pairwise(cuts)]


def _work_of(data: dict[str, Any]) -> int:
    # Measured: an article's values (text to check, URLs to validate, source lists) cost
    # about three times those of other nodes.
    return 3 * len(data) if data.get("kind") == "article" else len(data)


class _Child:
    """A forked process rendering one slice into a temporary file, part by part."""

    def __init__(self, pid: int, messages: int, body: IO[bytes]) -> None:
        self.pid: int | None = pid
        self.messages_fd: int | None = messages
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
        """The child's parts as it writes them, then its named-graph text and problems.

        The child says how long each part is (an int), then sends ``(named, problems)``,
        or the text of its error.  Parts are read with ``pread``, which leaves alone the
        file offset this process shares with the child.
        """
        assert self.messages_fd is not None and self.pid is not None
        offset = 0
        with os.fdopen(self.messages_fd, "rb") as messages:
            self.messages_fd = None
            while isinstance(message := _next_message(messages), int):
                part = os.pread(self.body.fileno(), message, offset)
                if len(part) != message:
                    raise WorkerError("an export worker's output is shorter than it said")
                offset += message
                yield part, "", []
        os.waitpid(self.pid, 0)
        self.pid = None
        if isinstance(message, str):
            raise WorkerError(f"an export worker failed: {message}")
        named, problems = message
        yield b"", named, problems

    def stop(self) -> None:
        if self.messages_fd is not None:
            os.close(self.messages_fd)
            self.messages_fd = None
        if self.pid is not None:  # still running: the export was abandoned
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
            self.pid = None
        self.body.close()


def _next_message(messages: IO[bytes]) -> int | str | tuple[str, list[Problem]]:
    try:
        message: int | str | tuple[str, list[Problem]] = pickle.load(messages)
    except EOFError:
        return "it stopped without a word"
    return message


def _work(
    mapper: Mapper, renderer: Renderer, nodes: list[Any], body: IO[bytes], messages_fd: int
) -> NoReturn:  # pragma: no cover - runs in the child
    status = 0
    try:
        with os.fdopen(messages_fd, "wb") as messages:
            try:
                named: list[str] = []
                problems: list[Problem] = []
                for encoded, graph_text, found in _render_nodes(mapper, renderer, nodes):
                    body.write(encoded)
                    body.flush()
                    pickle.dump(len(encoded), messages)
                    messages.flush()
                    named.append(graph_text)
                    problems += found
                pickle.dump(("".join(named), problems), messages)
            except BaseException as err:
                status = 1
                pickle.dump(f"{type(err).__name__}: {err}", messages)
    finally:
        # _exit: the child must not run the parent's cleanup (atexit, pytest, open files).
        os._exit(status)
