"""Folders the streamed exports are written to: on this machine, or at any fsspec URL.

A destination is a folder that travels: it pickles, so each worker of a Dask cluster
writes its shards' files straight into it (:mod:`newsgraph.exporters.streaming`), and the
machine that runs the build writes only the small files at the end.  It is also a
:class:`~newsgraph.exporters.sinks.Sink`, so the bundle writers write into it.

- :class:`LocalFolder`: a folder path (absolute, so a worker elsewhere finds it on a
  shared file system); each file goes through a temporary sibling renamed into place
  (:func:`~newsgraph.exporters.sinks.atomic_file`).
- :class:`UrlFolder`: an fsspec URL (``file:///srv/out``, ``s3://bucket/out``,
  ``memory://out``...; the ``fsspec`` extra, and the protocol's own package, ``s3fs`` say).
  Where the file system has a rename (local files, SFTP, HDFS...), a file is written under
  a temporary name and moved into place.  Object stores (S3, GCS, Azure) have no rename --
  a move is a copy -- but show an object only once its upload is complete: there a file is
  written under its own name, which is just as whole and costs one upload, not two.
  (fsspec's ``memory://`` shows a file as soon as it is opened: it gets the temporary name.)

Not supported: the executable bit on URLs (``import.sh`` is run with ``sh import.sh``);
``newsgraph build`` keeps the set of outputs whole only in a local folder
(:class:`~newsgraph.exporters.sinks.OutputSet`): at a URL, each file is whole but a
stopped build leaves the new files beside the old.

>>> import tempfile
>>> folder = destination(tempfile.mkdtemp()).child("graph.nt.d")
>>> folder.make(); folder.write("a.nt", b"x"); folder.names()
['a.nt']
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Final, Protocol

from newsgraph.exporters.sinks import atomic_file

__all__ = ["Destination", "LocalFolder", "UrlFolder", "destination", "is_url"]

#: Object stores: a file appears whole when its upload ends, and a move is a copy.
_WHOLE_ON_CLOSE: Final = frozenset({"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl"})
_INSTALL: Final = (
    "an fsspec URL as output needs the 'fsspec' extra: pip install 'newsgraph[fsspec]'"
)


class Destination(Protocol):
    """A folder to write whole files into, by plain name (a :class:`~newsgraph.exporters.sinks.Sink`)."""

    #: Whether other processes see what one writes (not so for fsspec's ``memory://``).
    shared: bool

    def child(self, name: str) -> Destination:
        """The folder ``name`` inside this one (not made yet)."""
        ...

    def make(self) -> None:
        """Make this folder and its parents if missing."""
        ...

    def open(self, name: str, *, executable: bool = False) -> Any:
        """A context giving a binary stream; the file is in place, whole, when it closes."""
        ...

    def write(self, name: str, data: bytes) -> None:
        """Write file ``name`` whole."""
        ...

    def names(self) -> list[str]:
        """Every file below this folder, as ``/``-separated relative names, sorted."""
        ...

    def remove(self, name: str) -> None:
        """Remove file ``name`` (a relative name of :meth:`names`)."""
        ...


def is_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` is an fsspec URL (a protocol, or a chain of them), not a path.

    >>> is_url("s3://bucket/out"), is_url("simplecache::file:///tmp/x"), is_url("out/dir")
    (True, True, False)
    """
    text = os.fspath(target)
    return "://" in text or "::" in text


def destination(target: str | os.PathLike[str]) -> Destination:
    """A :class:`UrlFolder` for a URL, else a :class:`LocalFolder` for the (absolute) path."""
    if is_url(target):
        return UrlFolder(os.fspath(target))
    return LocalFolder(Path(target).absolute())


class LocalFolder:
    """A folder of this machine (or of a file system the workers share, at the same path)."""

    shared = True

    def __init__(self, path: Path) -> None:
        self.path = path

    def __repr__(self) -> str:
        return f"LocalFolder({str(self.path)!r})"

    def child(self, name: str) -> LocalFolder:
        return LocalFolder(self.path / name)

    def make(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def open(self, name: str, *, executable: bool = False) -> Iterator[BinaryIO]:
        path = self.path / name
        with atomic_file(path) as stream:
            yield stream
        if executable:  # as DirectorySink does: executable by whoever may read it
            mode = path.stat().st_mode
            path.chmod(mode | (mode & 0o444) >> 2)

    def write(self, name: str, data: bytes) -> None:
        with self.open(name) as stream:
            stream.write(data)

    def names(self) -> list[str]:
        if not self.path.is_dir():
            return []
        return sorted(
            p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file()
        )

    def remove(self, name: str) -> None:
        (self.path / name).unlink(missing_ok=True)


class UrlFolder:
    """A folder at an fsspec URL; the file system is made where it is used (in each worker)."""

    def __init__(self, url: str, _fs: Any = None, _root: str | None = None) -> None:
        self.url = url.rstrip("/")
        if _fs is None:
            try:
                from fsspec.core import url_to_fs
            except ImportError as err:
                raise ImportError(_INSTALL) from err
            _fs, _root = url_to_fs(self.url)
        self.fs, self.root = _fs, str(_root).rstrip("/")
        protocols = self.fs.protocol if isinstance(self.fs.protocol, tuple) else (self.fs.protocol,)
        self.in_place = bool(_WHOLE_ON_CLOSE.intersection(protocols))
        self.shared = "memory" not in protocols  # a process's own memory

    def __repr__(self) -> str:
        return f"UrlFolder({self.url!r})"

    def child(self, name: str) -> UrlFolder:
        return UrlFolder(f"{self.url}/{name}", self.fs, f"{self.root}/{name}")

    def make(self) -> None:
        self.fs.makedirs(self.root, exist_ok=True)

    @contextmanager
    def open(self, name: str, *, executable: bool = False) -> Iterator[BinaryIO]:
        final = f"{self.root}/{name}"
        if self.in_place:
            with self.fs.open(final, "wb") as stream:
                yield stream
            return
        temporary = f"{self.root}/.{name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
        try:
            with self.fs.open(temporary, "wb") as stream:
                yield stream
            self.fs.mv(temporary, final)
        except BaseException:
            if self.fs.exists(temporary):
                self.fs.rm(temporary)
            raise

    def write(self, name: str, data: bytes) -> None:
        with self.open(name) as stream:
            stream.write(data)

    def names(self) -> list[str]:
        if not self.fs.exists(self.root):
            return []
        prefix = self.root + "/"  # fsspec's own form of paths, as find gives them
        found = (str(path) for path in self.fs.find(self.root))
        return sorted(path[len(prefix) :] for path in found if path.startswith(prefix))

    def remove(self, name: str) -> None:
        self.fs.rm(f"{self.root}/{name}")
