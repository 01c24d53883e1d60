"""Find the input files: recursive, deterministic, safe.

Directories are walked recursively in sorted order.  Hidden files and folders (a name
starting with ``.``) are skipped.  A symbolic link is followed only when its target stays
inside the input root it was found under; only regular files are read, and a file larger
than the size cap is reported without being opened (the size comes from ``stat``).

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "b.md").write_text("x"); _ = (root / "a.json").write_text("{}")
>>> [p.name for p, problem in iter_files([root])]
['a.json', 'b.md']
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.model import Problem

__all__ = ["DEFAULT_MAX_FILE_BYTES", "iter_files", "read_bytes"]

DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024


def iter_files(
    inputs: Iterable[str | os.PathLike[str]], *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
) -> Iterator[tuple[Path, Problem | None]]:
    """Yield ``(path, None)`` for each file to read, ``(path, problem)`` for each refused one.

    Inputs are taken in the order given; files below a directory in sorted order.
    """
    for given in inputs:
        root = Path(given)
        if not root.exists():
            yield root, Problem(str(root), None, None, "not-found", "no such file or directory")
        elif root.is_dir():
            yield from _walk(root, root.resolve(), max_file_bytes)
        else:
            yield root, _refusal(root, max_file_bytes)


def _walk(directory: Path, real_root: Path, max_file_bytes: int) -> Iterator[tuple[Path, Problem | None]]:
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError as err:
        yield directory, Problem(str(directory), None, None, "unreadable", err.strerror or str(err))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = directory / entry.name
        if entry.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(real_root):
                yield path, Problem(str(path), None, None, "symlink-escape",
                                    "symbolic link leads outside the input folder; skipped")
                continue
        if entry.is_dir():
            if not entry.is_symlink():  # a link to a folder inside the root is read there
                yield from _walk(path, real_root, max_file_bytes)
        else:
            yield path, _refusal(path, max_file_bytes)


def _refusal(path: Path, max_file_bytes: int) -> Problem | None:
    """Why ``path`` must not be read, or None."""
    try:
        info = path.stat()
    except OSError as err:
        return Problem(str(path), None, None, "unreadable", err.strerror or str(err))
    if not stat.S_ISREG(info.st_mode):
        return Problem(str(path), None, None, "not-regular-file", "not a regular file; skipped")
    if info.st_size > max_file_bytes:
        return Problem(str(path), None, None, "file-too-large",
                       f"{info.st_size} bytes is over the {max_file_bytes}-byte limit; skipped")
    return None


def read_bytes(path: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> bytes:
    """Read a file, refusing to read more than the cap even if it grew since ``stat``."""
    with open(path, "rb") as handle:
        data = handle.read(max_file_bytes + 1)
    if len(data) > max_file_bytes:
        raise OSError(f"file grew over the {max_file_bytes}-byte limit while being read")
    return data
