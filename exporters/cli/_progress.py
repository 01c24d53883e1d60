"""Progress on a terminal: a bar where the amount of work is known, a line per phase otherwise.

The library never prints; the CLI wraps each long library call in :meth:`Progress.phase`
or hands :meth:`Progress.bar` to a function that takes a ``progress`` callback.  Nothing
is drawn with ``--quiet`` or when stderr is not a terminal, so scripts and pipes get clean
output.  A phase line ends with its time and a bar stays at 100%, so the terminal keeps a
log of what took how long; a phase stopped by an error is wiped, so the error's own
line stands alone.

>>> import io
>>> progress = Progress(quiet=False, stream=io.StringIO())  # not a terminal: silent
>>> with progress.phase("writing graph.nt"):
...     pass
>>> progress.stream.getvalue(), progress.bar("reading", "file")
('', None)
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

__all__ = ["Progress"]


class Progress:
    """Where a command shows what it is doing; ``enabled`` only for a person at a terminal."""

    def __init__(self, *, quiet: bool, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = not quiet and self.stream.isatty()

    @contextmanager
    def phase(self, text: str) -> Iterator[None]:
        """Show ``text …`` while the block runs, then how long it took."""
        if not self.enabled:
            yield
            return
        self.stream.write(f"{text} ...")
        self.stream.flush()
        start = time.perf_counter()
        try:
            yield
        except BaseException:
            self.stream.write("\r\x1b[K")  # wipe the line; the error says what happened
            self.stream.flush()
            raise
        self.stream.write(f" {time.perf_counter() - start:.1f} s\n")
        self.stream.flush()

    def bar(self, text: str, unit: str) -> Callable[[int, int], None] | None:
        """A ``progress(done, total)`` callback drawing a bar, or None when silent."""
        if not self.enabled:
            return None
        from tqdm import tqdm

        state: dict[str, Any] = {}

        def update(done: int, total: int) -> None:
            if "bar" not in state:
                state["bar"] = tqdm(total=total, desc=text, unit=unit, file=self.stream, leave=True)
            state["bar"].update(done - state["bar"].n)
            if done >= total:
                state["bar"].close()

        return update
