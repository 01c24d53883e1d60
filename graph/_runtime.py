"""Process-wide settings for the long, object-heavy passes (a build, an export), and work
run beside them in a forked child (:class:`Forked`).

>>> import gc
>>> with cycle_collection_paused():
...     gc.isenabled()
False
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, NoReturn

from newsgraph.graph.errors import WorkerError

__all__ = ["Forked", "cycle_collection_paused"]


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a pass makes its millions of objects.

    Builds and exports make next to no reference cycles, but the collector cannot know that:
    it would walk every object made so far again and again (a third of a build's time,
    measured on 10,000 documents).  Forked workers inherit the pause; plain reference
    counting frees everything as usual, and the collector's state is restored afterwards.

    The objects the pass kept (the graph) are handed to the collector's oldest generation
    (``gc.freeze()`` then ``gc.unfreeze()``, which moves them without looking at them), as
    if they had survived the collections the pause skipped.  Left in the youngest
    generation, the first collection after the pass would walk all of them, and so would
    the next two (1.1-1.9 s after a build of 100,000 documents).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:  # else someone froze objects on purpose: keep them so
                gc.freeze()
                gc.unfreeze()
            gc.enable()


class Forked:
    """``work()`` run in a forked child while this process goes on; :meth:`result` waits
    for what it returns (or raises what it raised).  POSIX only (``os.fork``).

    The child shares this process's memory instead of pickling it, runs with the cycle
    collector off (a collection would touch, and so copy, every object) and sends back
    its result pickled through a pipe.  Leaving the ``with`` block before :meth:`result`
    stops the child.

    >>> with Forked(lambda: sum(range(10))) as child:
    ...     child.result()
    45
    """

    def __init__(self, work: Callable[[], Any], what: str = "a forked process") -> None:
        self.what = what
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - this branch runs in the child
            os.close(read_end)
            _run_child(work, write_end)
        os.close(write_end)
        self._pid: int | None = pid
        self._read: int | None = read_end

    def result(self) -> Any:
        """What ``work()`` returned; what it raised is raised here (a
        :class:`~newsgraph.graph.errors.WorkerError` when the child ended without a word:
        killed, say)."""
        assert self._read is not None and self._pid is not None, "result() is read once"
        with os.fdopen(self._read, "rb") as stream:
            self._read = None
            data = stream.read()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        try:
            ok, result = pickle.loads(data)
        except Exception as err:
            code = os.waitstatus_to_exitcode(status)
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            raise WorkerError(f"{self.what} stopped without a result ({how})") from err
        if not ok:
            raise result
        return result

    def stop(self) -> None:
        """Stop the child if it still runs (its result is not wanted)."""
        if self._read is not None:
            os.close(self._read)
            self._read = None
        if self._pid is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> Forked:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _run_child(work: Callable[[], Any], write_end: int) -> NoReturn:  # pragma: no cover
    gc.disable()  # a collection would touch every object, and copy the parent's memory
    status = 0
    try:
        with os.fdopen(write_end, "wb") as stream:
            try:
                result: Any = (True, work())
            except BaseException as err:
                status, result = 1, (False, err)
            try:
                data = pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
            except Exception as err:  # the result, or the error, does not pickle
                status, data = 1, pickle.dumps((False, RuntimeError(f"{result[1]!r}: {err}")))
            stream.write(data)
    finally:
        # _exit: the child must not run the parent's cleanup (atexit, pytest, open files)
        os._exit(status)
