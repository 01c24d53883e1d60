"""Where multi-file formats write: a directory or a zip archive, behind one small interface.

``csv``, ``neo4j`` and ``neptune`` produce several files (tables, an import script).
Their writers take a :class:`Sink` and open one named member at a time, so the same
writer fills a directory (what neo4j-admin and an S3 upload want) or a zip archive
(what ``dumps`` returns, as every format returns bytes there).  Zip members get a
fixed timestamp and fixed permissions, so an archive is byte-identical for the same
graph.  Writing to files and directories is atomic: everything goes to a temporary
sibling that is renamed into place only when the writer finished.

Not supported: nested member paths (``a/b.csv``); members are plain file names.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     with ZipSink(archive).open("a.txt") as member:
...         _ = member.write(b"hello")
>>> zipfile.ZipFile(buffer).read("a.txt")
b'hello'
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import BinaryIO, Final, Protocol

__all__ = ["DirectorySink", "Sink", "ZipSink", "atomic_directory", "atomic_file"]

_MEMBER: Final = re.compile(r"[A-Za-z0-9_.\-]+")
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)


class Sink(Protocol):
    """Somewhere a multi-file format can write named members."""

    def open(self, name: str, *, executable: bool = False) -> AbstractContextManager[BinaryIO]:
        """Open member ``name`` for writing bytes; ``executable`` marks a script."""
        ...


class DirectorySink:
    """Members are files in ``root`` (which must exist).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with DirectorySink(Path(d)).open("x.csv") as f:
    ...         _ = f.write(b"a,b")
    ...     (Path(d) / "x.csv").read_bytes()
    b'a,b'
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def open(self, name: str, *, executable: bool = False) -> Iterator[BinaryIO]:
        path = self.root / _member(name)
        with path.open("wb") as stream:
            yield stream
        if executable:
            path.chmod(path.stat().st_mode | 0o111)


class ZipSink:
    """Members go into an open, writable :class:`zipfile.ZipFile`."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive

    @contextmanager
    def open(self, name: str, *, executable: bool = False) -> Iterator[BinaryIO]:
        info = zipfile.ZipInfo(_member(name), date_time=_ZIP_TIME)
        info.create_system = 3  # Unix, so the permission bits below are read
        info.external_attr = (0o100755 if executable else 0o100644) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with self.archive.open(info, "w", force_zip64=True) as stream:
            yield stream  # type: ignore[misc]  # zipfile says IO[bytes]


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Open a temporary sibling of ``path`` for writing; rename it to ``path`` on success.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     with atomic_file(Path(d) / "g.nt") as f:
    ...         _ = f.write(b"x")
    ...     sorted(p.name for p in Path(d).iterdir())
    ['g.nt']
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # os.open honours the umask, unlike tempfile (which always creates 0600 files).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Give a temporary directory beside ``path``; on success it replaces ``path``.

    An existing ``path`` is moved aside and deleted only after the new one is in place.
    """
    token = secrets.token_hex(4)
    temporary = path.with_name(f".{path.name}.{token}.tmp")
    temporary.mkdir()
    try:
        yield temporary
        if path.exists():
            old = path.with_name(f".{path.name}.{token}.old")
            path.rename(old)
            temporary.rename(path)
            shutil.rmtree(old)
        else:
            temporary.rename(path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def _member(name: str) -> str:
    if _MEMBER.fullmatch(name) is None:
        raise ValueError(f"member names are plain file names, not {name!r}")
    return name
