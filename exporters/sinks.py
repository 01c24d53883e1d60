"""Every file newsgraph writes goes through here: atomic, deterministic, usual permissions.

- :func:`atomic_file` and :func:`write_file` write one file through a temporary sibling
  renamed into place; :func:`atomic_directory` does the same for a folder.
- :class:`OutputSet` is what one command run writes to its output folder: every output
  is written into a hidden staging folder inside it and renamed into place only when all
  of them are complete, so a run that fails or is stopped leaves the previous set whole
  (no new ``graph.json`` beside old exports) and no temporary behind.
- :class:`DirectorySink` and :class:`ZipSink`: where multi-file formats (``csv``,
  ``neo4j``, ``neptune``) write, one named member at a time -- a directory (what
  neo4j-admin and an S3 upload want) or a zip archive (what ``dumps`` returns).

Files are created ``0666`` and folders ``0777`` minus the umask (``0644``/``0755`` under
the usual ``022``), never the ``0600`` of :mod:`tempfile`.  Zip members get a fixed
timestamp and fixed permissions, so an archive is byte-identical for the same graph.
Temporaries are named ``.<name>.<pid>-<token>.tmp``; one left by a process that no longer
exists (killed by ``SIGKILL`` or a power cut) is removed by the next :class:`OutputSet`
on that folder (:func:`remove_stale_temporaries`).

Not supported: nested member paths (``a/b.csv``); members are plain file names.  The
outputs of an :class:`OutputSet` are renamed one by one (signals wait until the last
rename), so only a ``SIGKILL`` or a crash during those renames can mix old and new.

>>> import io, zipfile
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as archive:
...     with ZipSink(archive).open("a.txt") as member:
...         _ = member.write(b"hello")
>>> zipfile.ZipFile(buffer).read("a.txt")
b'hello'
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import shutil
import signal
import threading
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, BinaryIO, Final, Protocol

__all__ = [
    "DirectorySink",
    "OutputSet",
    "Sink",
    "ZipSink",
    "atomic_directory",
    "atomic_file",
    "check_output_folder",
    "remove_stale_temporaries",
    "write_file",
]

_MEMBER: Final = re.compile(r"[A-Za-z0-9_.\-]+")
_ZIP_TIME: Final = (1980, 1, 1, 0, 0, 0)
_TEMPORARY: Final = re.compile(r"\.(?P<name>.+)\.(?P<pid>[0-9]+)-[0-9a-f]{8}\.(?:tmp|old)")


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
        if executable:  # executable by whoever may read it: the umask still decides
            mode = path.stat().st_mode
            path.chmod(mode | (mode & 0o444) >> 2)


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
    temporary = _temporary(path)
    # os.open honours the umask, unlike tempfile (which always creates 0600 files).
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_file`).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_file(Path(d) / "a.json", b"{}")
    ...     oct((Path(d) / "a.json").stat().st_mode & 0o022)  # group/others cannot write
    '0o0'
    """
    with atomic_file(path) as stream:
        stream.write(data)


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """Give a temporary directory beside ``path``; on success it replaces ``path``.

    An existing ``path`` is moved aside and deleted only after the new one is in place.
    """
    temporary = _temporary(path)
    temporary.mkdir()
    try:
        yield temporary
        if path.exists():
            old = _temporary(path, "old")
            path.rename(old)
            temporary.rename(path)
            shutil.rmtree(old)
        else:
            temporary.rename(path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def check_output_folder(folder: Path) -> None:
    """Raise an :class:`OSError` naming ``folder`` unless it is, or can become, a writable folder.

    Nothing is created: the nearest existing folder on the way must be a folder one can
    write in.

    >>> import tempfile
    >>> check_output_folder(Path(tempfile.mkdtemp()) / "new" / "out")
    >>> check_output_folder(Path(__file__) / "out")
    Traceback (most recent call last):
    ...
    NotADirectoryError: [Errno 20] not a folder: '...sinks.py'
    """
    existing = folder.absolute()
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(_shown(folder, existing)))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "cannot write there", str(_shown(folder, existing)))


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporaries that processes which no longer run left in ``folder``.

    Only names this module makes (``.<name>.<pid>-<token>.tmp`` or ``.old``) are touched,
    and only when no process ``pid`` exists; returns what was removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".graph.nt.999999999-0a1b2c3d.tmp").write_bytes(b"half")
    >>> [p.name for p in remove_stale_temporaries(folder)], list(folder.iterdir())
    (['.graph.nt.999999999-0a1b2c3d.tmp'], [])
    """
    removed: list[Path] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return removed
    for entry in entries:
        found = _TEMPORARY.fullmatch(entry.name)
        if found is None or _running(int(found["pid"])):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            Path(entry.path).unlink(missing_ok=True)
        removed.append(Path(entry.path))
    return removed


class OutputSet:
    """The files one run writes to ``folder``, staged together and put in place together.

    Use it as a context manager.  :meth:`path` gives where to write an output (a file or a
    folder) inside the staging folder, :meth:`write` writes bytes there.  On a clean exit
    every output is renamed into ``folder`` -- the first one named last, so the main
    output is never newer than the others -- and on an exception (or a signal turned into
    one) nothing changes in ``folder`` except the folders made for it, which are removed
    again when empty.  A write error names the output, never the hidden temporary.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp()) / "out"
    >>> with OutputSet(folder) as outputs:
    ...     outputs.write("graph.json", b"{}")
    ...     _ = outputs.path("graph.nt").write_bytes(b"")
    >>> [p.name for p in outputs.written], sorted(p.name for p in folder.iterdir())
    (['graph.json', 'graph.nt'], ['graph.json', 'graph.nt'])
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: dict[str, None] = {}
        self._created: list[Path] = []
        self._stage: Path | None = None

    @property
    def written(self) -> list[Path]:
        """The outputs, in the order they were named (after the exit: those put in place)."""
        return [self.folder / name for name in self._names]

    def path(self, name: str) -> Path:
        """Where to write output ``name`` (a plain file or folder name), each name once."""
        if self._stage is None:
            raise RuntimeError("OutputSet.path() outside its with-block")
        if _member(name) in self._names:
            raise ValueError(f"{name} is already an output of this run")
        self._names[name] = None
        return self._stage / name

    def write(self, name: str, data: bytes) -> None:
        """Write output ``name``."""
        write_file(self.path(name), data)

    def __enter__(self) -> OutputSet:
        check_output_folder(self.folder)
        missing = [p for p in (self.folder, *self.folder.parents) if not p.exists()]
        for folder in reversed(missing):
            folder.mkdir()
            self._created.append(folder)
        remove_stale_temporaries(self.folder)
        stage = _temporary(self.folder / "newsgraph")
        try:
            stage.mkdir()
        except OSError as err:
            raise type(err)(err.errno, err.strerror or str(err), str(self.folder)) from err
        self._stage = stage
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        stage, self._stage = self._stage, None
        assert stage is not None
        committed = False
        try:
            if error is None:
                with _signals_deferred():
                    self._commit(stage)
                committed = True
        except OSError as err:
            raise self._named(err, stage) from err
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            if not committed:
                for folder in reversed(self._created):
                    with suppress(OSError):
                        folder.rmdir()  # only when empty
        if isinstance(error, OSError):
            raise self._named(error, stage) from error

    def _commit(self, stage: Path) -> None:
        self._names = {name: None for name in self._names if (stage / name).exists()}
        moved: list[tuple[Path, Path]] = []  # (old output, where it waits in the stage)
        try:
            for name in reversed(self._names):
                new, target = stage / name, self.folder / name
                if target.is_dir() and not target.is_symlink():
                    aside = stage / f".old.{name}"
                    target.rename(aside)
                    moved.append((target, aside))
                os.replace(new, target)
        except OSError:
            for target, aside in reversed(moved):
                with suppress(OSError):
                    if target.exists():
                        shutil.rmtree(target)
                    aside.rename(target)
            raise

    def _named(self, error: OSError, stage: Path) -> OSError:
        """``error`` naming the output it was about, not a path in the stage (or nothing)."""
        if isinstance(error.filename, str | os.PathLike):
            filename = Path(error.filename)
            if filename != stage and stage not in filename.parents:
                return error  # about something else, an input say
            inside = filename.relative_to(stage).parts
            temporary = _TEMPORARY.fullmatch(inside[0]) if inside else None
            name = temporary["name"] if temporary else inside[0] if inside else ""
            shown = self.folder / name
        else:  # a failed write(): the output being written is the last one named
            shown = self.folder / next(reversed(self._names), "")
        return type(error)(error.errno, error.strerror or str(error), str(shown))


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP until the block ends, then act on the first one."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[tuple[int, FrameType | None]] = []
    previous: dict[int, Any] = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not None:
            previous[number] = signal.signal(number, lambda n, f: caught.append((n, f)))
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            number, frame = caught[0]
            handler = previous[number]
            if callable(handler):
                handler(number, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


def _temporary(path: Path, kind: str = "tmp") -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.{kind}")


def _running(pid: int) -> bool:
    if os.name != "posix" or pid == os.getpid():
        return True  # elsewhere a signal 0 is not a harmless probe
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but belongs to someone else
    return True


def _shown(folder: Path, existing: Path) -> Path:
    """``existing`` as the user wrote it (a relative ``folder`` gives a relative path)."""
    for candidate in (folder, *folder.parents):
        if candidate.absolute() == existing:
            return candidate
    return existing


def _member(name: str) -> str:
    if _MEMBER.fullmatch(name) is None:
        raise ValueError(f"member names are plain file names, not {name!r}")
    return name
