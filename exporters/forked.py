"""An export written by several processes: slices rendered by forked children, copied out in order.

A writer cuts its work into slices (:func:`cut`), renders the first in this process and
each other one in a forked child (:func:`parts_in_order`).  A child writes its parts into a
temporary file and announces each on a pipe as soon as it is written, so this process copies
the parts out while the child goes on, in the order and with the ends they were rendered
with.  Forking shares the graph with the children instead of pickling it, and the children
send back little: the sizes of their parts, then their problems and any side text (RDF's
named graph).  A process pool would pickle every part through a pipe and keep both cores
busy with copying; this keeps them busy with rendering.

Children should run with the cycle collector paused
(:func:`newsgraph.graph._runtime.cycle_collection_paused`): a collection in a child writes to
every object of the graph, and so copies all of its memory.

Used by :mod:`newsgraph.exporters.rdf.workers` (every RDF format) and by the GraphML and GEXF
writers.  Not supported: platforms without ``fork`` (Windows); :func:`jobs_for` then says 1.
"""

from __future__ import annotations

import bisect
import itertools
import os
import pickle
import signal
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Final, NoReturn

from newsgraph.graph.errors import WorkerError
from newsgraph.graph.model import Problem

__all__ = ["PARALLEL_MIN_NODES", "Part", "cut", "jobs_for", "parts_in_order"]

#: Encoded text, side text (RDF's named graph), problems.
Part = tuple[bytes, str, list[Problem]]

#: Below this many nodes forking workers costs more than it saves.
PARALLEL_MIN_NODES: Final = 20_000


def jobs_for(jobs: int | None, nodes: int) -> int:
    """How many processes write an export of ``nodes`` nodes (``None``: one per core if big).

    >>> jobs_for(None, 100), jobs_for(4, 2_500), jobs_for(2, 100_000)
    (1, 3, 2)
    """
    if jobs is None:
        jobs = os.cpu_count() or 1 if nodes >= PARALLEL_MIN_NODES else 1
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(jobs, nodes // 1000 + 1))  # a child for a few nodes costs more than it saves


def cut(work: Iterable[int], jobs: int, head_start: int = 0) -> list[tuple[int, int]]:
    """``jobs`` ranges ``(start, end)`` of items of about equal ``work``, once ``head_start``
    is taken off the first range's (work this process does besides its slice).

    >>> cut([1, 1, 1, 1, 4], 2)
    [(0, 3), (3, 5)]
    """
    total_so_far = list(itertools.accumulate(work))
    total = (total_so_far[-1] if total_so_far else 0) + head_start
    cuts = [0]
    cuts += [
        bisect.bisect_left(total_so_far, total * i / jobs - head_start) for i in range(1, jobs)
    ]
    cuts.append(len(total_so_far))
    return list(itertools.pairwise(cuts))


def parts_in_order(
    slices: Sequence[Callable[[], Iterable[Part]]], last: Callable[[], Part] | None = None
) -> Iterator[Part]:
    """The parts of every slice in order: the first rendered here, the others in forked children.

    ``last`` is rendered here after the first slice, while the children work, and comes
    after all slices.
    """
    children: list[_Child] = []
    try:
        for produce in slices[1:]:
            children.append(_Child.start(produce))
        if slices:
            yield from slices[0]()
        final = last() if last is not None else None
        for child in children:
            yield from child.results()
        if final is not None:
            yield final
    finally:
        for child in children:
            child.stop()


class _Child:
    """A forked process rendering one slice into a temporary file, part by part."""

    def __init__(self, pid: int, messages: int, body: IO[bytes]) -> None:
        self.pid: int | None = pid
        self.messages_fd: int | None = messages
        self.body = body

    @classmethod
    def start(cls, produce: Callable[[], Iterable[Part]]) -> _Child:
        body = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop(), after the copy
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - this branch runs in the child
            os.close(read_end)
            _work(produce, body, write_end)
        os.close(write_end)
        return cls(pid, read_end, body)

    def results(self) -> Iterator[Part]:
        """The child's parts as it writes them, then its side text and problems.

        The child says how long each part is (an int), then sends ``(side, problems)``,
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
        side, problems = message
        yield b"", side, problems

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
    produce: Callable[[], Iterable[Part]], body: IO[bytes], messages_fd: int
) -> NoReturn:  # pragma: no cover - runs in the child
    status = 0
    try:
        with os.fdopen(messages_fd, "wb") as messages:
            try:
                side: list[str] = []
                problems: list[Problem] = []
                for encoded, side_text, found in produce():
                    body.write(encoded)
                    body.flush()
                    pickle.dump(len(encoded), messages)
                    messages.flush()
                    side.append(side_text)
                    problems += found
                pickle.dump(("".join(side), problems), messages)
            except BaseException as err:
                status = 1
                pickle.dump(f"{type(err).__name__}: {err}", messages)
    finally:
        # _exit: the child must not run the parent's cleanup (atexit, pytest, open files).
        os._exit(status)
