"""The state an incremental build keeps: a manifest of the files read and what each one said.

One SQLite file (standard library, one writer at a time, rows replaced in place):

* ``meta``: the state's format version, the newsgraph version that wrote it, the reading
  limits (:class:`~newsgraph.graph.reading.ReadOptions`), the versions of what reading
  depends on (Python's Unicode tables, PyYAML and libyaml, ftfy, idna, publicsuffixlist: a
  new public suffix list can change a provider's domain) and a *stamp* the caller chose
  (``newsgraph build --update`` puts the digest of the ``graph.json`` written with it there,
  so a state beside outputs it did not describe is not used);
* ``files``: one row a file -- its portable name (relative to its input root), size,
  modification time, BLAKE2b content digest, when that digest was taken, and its *record*:
  the file's articles folded into a one-file :class:`~newsgraph.graph.building.merge.Partial`
  (each distinct description once) and its problems, as plain values pickled and
  compressed, with a digest of the record beside it.

A record is read back with an unpickler that refuses every class (plain tuples, lists,
strings and numbers only), and its digest is checked: a damaged or foreign state is an
:class:`UnusableState`, never a wrong graph.  :meth:`StateFile.save` writes a new file
through a temporary sibling renamed into place.

Not supported: two writers at once on one state file.

>>> import tempfile
>>> from newsgraph.graph.model import Article
>>> record = pack_record([Article(key="https://x.example/a", source="f.md", title="T")], [], False)
>>> total = Partial(); unpack_into(total, record)
False
>>> total.articles["https://x.example/a"].value("title")
('T', None)
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import pickle
import shutil
import sqlite3
import sys
import time
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, NamedTuple

from newsgraph.graph._version import __version__
from newsgraph.graph.building.keyed import KeyedSnapshot, pack_row
from newsgraph.graph.building.merge import Partial
from newsgraph.graph.model import Article, Problem, Severity
from newsgraph.graph.reading import ReadOptions

__all__ = [
    "FORMAT_VERSION",
    "STAT_MARGIN_NS",
    "Entry",
    "FileRow",
    "GraphStamp",
    "StateFile",
    "UnusableState",
    "file_digest",
    "file_info",
    "journal_of",
    "options_text",
    "pack_record",
    "plain_load",
    "readers_text",
    "record_keys",
    "record_rows",
    "save_state",
    "stat_stamp",
    "unpack_into",
    "unpack_problems",
]

#: Bumped whenever what a state file holds, or how a record is packed, changes.
FORMAT_VERSION = 2


class UnusableState(Exception):  # a reason to rebuild, caught by the update
    """The state cannot be trusted; the message says why (a full rebuild follows)."""


class Entry(NamedTuple):
    """What the manifest knows about one file."""

    size: int
    mtime_ns: int
    digest: str  # BLAKE2b of the content, hex
    checked_ns: int  # when the digest was taken (nanoseconds since the epoch)


def file_digest(path: str | os.PathLike[str]) -> str:
    """The BLAKE2b digest (16 bytes, hex) of a file's content.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     len(file_digest(f.name))
    32
    """
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def stat_stamp(path: str | os.PathLike[str], written_ns: int) -> str:
    """A file's size, modification time and inode, as a state keeps them for the
    ``graph.json`` saved with it; ``written_ns``: when the writing ended (``time.time_ns()``).

    "" -- the digest decides next time -- where the file system keeps whole seconds, or
    where less than :data:`STAT_MARGIN_NS` has passed since the writing: file times come
    from a clock that ticks every few milliseconds, so an edit in the same tick would keep
    size, time and inode (git's "racily clean" files).

    >>> import tempfile, time
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     stat_stamp(f.name, time.time_ns() - STAT_MARGIN_NS).count(":"), stat_stamp(f.name, time.time_ns())
    (3, '')
    """
    info = os.stat(path)
    if info.st_mtime_ns % 1_000_000_000 == 0 or time.time_ns() - written_ns < STAT_MARGIN_NS:
        return ""
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ino}:{info.st_dev}"


#: How long after a file is written its stat tells it apart from any later edit.
STAT_MARGIN_NS = 100_000_000


class GraphStamp:
    """The stamp an update checks the state's against: the digest of the file at ``path``
    (``graph.json``), or "" when there is none (which matches no stamp).

    As git's index trusts a file's stat, the digest the state kept is taken as it is when
    the file's :func:`stat_stamp` is the one kept with it; the file is read and digested
    only when that differs (about 0.6 s for the 440 MB of 100k documents).

    >>> import tempfile, pathlib, time
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "graph.json"
    >>> _ = path.write_text("{}")
    >>> GraphStamp(path).digest({}) == file_digest(path)
    True
    >>> kept = {"stamp": "kept", "stamp_stat": stat_stamp(path, time.time_ns() - STAT_MARGIN_NS)}
    >>> GraphStamp(path).digest(kept)  # the stat is the one kept: the file is not read
    'kept'
    >>> _ = path.write_text("[1]")
    >>> GraphStamp(path).digest(kept) == file_digest(path)
    True
    >>> GraphStamp(path.with_name("none.json")).digest({})
    ''
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def digest(self, meta: Mapping[str, str]) -> str:
        """The file's digest; ``meta``: what the state kept (``stamp``, ``stamp_stat``)."""
        if not self.path.is_file():
            return ""
        kept = meta.get("stamp_stat")
        if kept and kept == stat_stamp(self.path, 0):
            return meta.get("stamp", "")
        return file_digest(self.path)


def _check(record: bytes) -> str:
    return hashlib.blake2b(record, digest_size=8).hexdigest()


# -- records: one file's articles and problems ------------------------------------------------


def pack_record(articles: Iterable[Article], problems: Sequence[Problem], failed: bool) -> bytes:
    """One file's read result as bytes: its articles folded into a one-file partial state."""
    partial = Partial()
    for article in articles:
        partial.add(article)
    rows = [
        (
            key,
            [(n, *seen) for n, seen in state.primary.items()],
            [(n, *seen) for n, seen in state.stub.items()],
            sorted(state.sources),
            sorted(state.related),
        )
        for key, state in partial.articles.items()
    ]
    plain_problems = _plain_problems(problems)
    value = (
        failed,
        list(map(tuple, partial.book.descriptions)),
        rows,
        plain_problems,
        dict(partial.counts),
    )
    return zlib.compress(pickle.dumps(value, pickle.HIGHEST_PROTOCOL), 1)


def file_info(
    articles: Iterable[Article], problems: Sequence[Problem], failed: bool
) -> tuple[int, int, int, bytes | None]:
    """What the manifest keeps of a file beside its record: (failed, primary records,
    related records, its problems packed or None)."""
    counts = [0, 0]

    def count(article: Article) -> None:
        counts[article.is_stub] += 1
        for stub in article.related:
            count(stub)

    for article in articles:
        count(article)
    packed = pickle.dumps(_plain_problems(problems), pickle.HIGHEST_PROTOCOL) if problems else None
    return int(failed), counts[0], counts[1], packed


def _plain_problems(problems: Sequence[Problem]) -> list[tuple[Any, ...]]:
    return [
        (p.path, p.line, p.column, p.code, p.message, p.severity.value, p.before, p.after)
        for p in problems
    ]


def unpack_problems(packed: bytes) -> list[Problem]:
    """The problems :func:`file_info` packed."""
    try:
        return [
            Problem(path, line, column, code, message, Severity(severity), before, after)
            for path, line, column, code, message, severity, before, after in _PlainUnpickler(
                io.BytesIO(packed)
            ).load()
        ]
    except (pickle.UnpicklingError, EOFError, *_MALFORMED) as err:
        raise UnusableState(f"the previous state is damaged (problems: {err!r})") from err


def plain_load(packed: bytes) -> Any:
    """A value packed with pickle, read back refusing every class."""
    try:
        return _PlainUnpickler(io.BytesIO(packed)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as err:
        raise UnusableState(f"the previous state is damaged ({err!r})") from err


def record_rows(name: str, record: bytes) -> list[tuple[str, str, bytes, list[str]]]:
    """A record cut by article: (key, file, packed row, related keys) each (see
    :func:`~newsgraph.graph.building.keyed.pack_row`)."""
    try:
        _, descriptions, rows, _, _ = _load_record(record)
        return [
            (
                key,
                name,
                pack_row(
                    [(descriptions[n], rank, count) for n, rank, count in primary],
                    [(descriptions[n], rank, count) for n, rank, count in stub],
                    sources,
                    related,
                ),
                related,
            )
            for key, primary, stub, sources, related in rows
        ]
    except _MALFORMED as err:
        raise UnusableState(f"the previous state is damaged (a record: {err!r})") from err


class _PlainUnpickler(pickle.Unpickler):
    """Plain values only: a record that names any class or function is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a state record may not name {module}.{name}")


def _load_record(record: bytes) -> Any:
    try:
        return _PlainUnpickler(io.BytesIO(zlib.decompress(record))).load()
    except (pickle.UnpicklingError, zlib.error, EOFError, ValueError, TypeError) as err:
        raise UnusableState(f"the previous state is damaged (a record: {err})") from err


#: What a record of the wrong shape raises as it is taken apart.
_MALFORMED = (ValueError, TypeError, IndexError, KeyError, AttributeError)


def record_keys(record: bytes) -> set[str]:
    """The article keys a record describes (primaries and their related stubs)."""
    try:
        return {row[0] for row in _load_record(record)[2]}
    except _MALFORMED as err:
        raise UnusableState(f"the previous state is damaged (a record: {err!r})") from err


def unpack_into(total: Partial, record: bytes) -> bool:
    """Merge a record into ``total``; returns whether the file failed to be read.

    A record of the wrong shape raises :class:`UnusableState`, ``total`` half merged.
    """
    try:
        return _unpack_into(total, record)
    except _MALFORMED as err:
        raise UnusableState(f"the previous state is damaged (a record: {err!r})") from err


def _unpack_into(total: Partial, record: bytes) -> bool:
    failed, descriptions, rows, problems, counts = _load_record(record)
    numbers = list(map(total.book.number_values, descriptions))
    for key, primary, stub, sources, related in rows:
        state = total.state(key)
        observe = state.observe
        for n, rank, count in primary:
            observe(True, numbers[n], rank, count)
        for n, rank, count in stub:
            observe(False, numbers[n], rank, count)
        state.sources.update(sources)
        state.related.update(related)
    total.problems.extend(
        Problem(path, line, column, code, message, Severity(severity), before, after)
        for path, line, column, code, message, severity, before, after in problems
    )
    total.counts.update(counts)
    return bool(failed)


# -- the state file -----------------------------------------------------------------------------

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (
    name TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL,
    checked_ns INTEGER NOT NULL,
    record BLOB NOT NULL,
    record_check TEXT NOT NULL,
    failed INTEGER NOT NULL,
    primary_records INTEGER NOT NULL,
    related_records INTEGER NOT NULL,
    problems BLOB
);
CREATE INDEX files_counts ON files (failed, primary_records, related_records);
CREATE INDEX files_with_problems ON files (name) WHERE problems IS NOT NULL;
"""


def options_text(options: ReadOptions) -> str:
    """The reading limits as the state stores them."""
    return json.dumps(asdict(options), sort_keys=True)


#: The distributions whose versions can change what a file reads as.
_READERS = ("PyYAML", "ftfy", "idna", "publicsuffixlist")


@cache
def readers_text() -> str:
    """The versions of what reading depends on, as the state stores them."""
    import yaml

    versions = {
        "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
        "unicode": unicodedata.unidata_version,
    }
    for name in _READERS:
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = "none"
    versions["libyaml"] = str(getattr(yaml, "__with_libyaml__", False))
    return json.dumps(versions, sort_keys=True)


class StateFile:
    """A state file opened for reading; :class:`UnusableState` for anything but a good one.

    ``stamp`` is what the caller saved the state with (None: anything goes).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        options: ReadOptions,
        stamp: str | GraphStamp | None = None,
    ) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise UnusableState(f"there is no previous state ({self.path.name})")
        if journal_of(self.path).exists():  # a patch stopped before it committed or rolled back
            raise UnusableState("the previous state is damaged (a run stopped while changing it)")
        self._db = sqlite3.connect(self.path.absolute().as_uri() + "?mode=ro", uri=True)
        try:
            meta = self.meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            make = Entry._make
            self.entries = {
                row[0]: make(row[1:])
                for row in self._db.execute(
                    "SELECT name, size, mtime_ns, digest, checked_ns FROM files"
                )
            }
            self._check_meta(meta, options, stamp)
        except sqlite3.Error as err:
            self._db.close()
            raise UnusableState(f"the previous state is damaged ({err})") from err
        except UnusableState:
            self._db.close()
            raise

    def _check_meta(
        self, meta: Mapping[str, str], options: ReadOptions, stamp: str | GraphStamp | None
    ) -> None:
        if meta.get("format") != str(FORMAT_VERSION):
            raise UnusableState(
                f"the previous state has format {meta.get('format')}, this newsgraph reads "
                f"format {FORMAT_VERSION}"
            )
        if meta.get("newsgraph_version") != __version__:
            raise UnusableState(
                f"the previous state was written by newsgraph {meta.get('newsgraph_version')}, "
                f"this is {__version__}"
            )
        if meta.get("read_options") != options_text(options):
            raise UnusableState("the reading limits differ from the previous build's")
        if meta.get("readers") != readers_text():
            raise UnusableState(
                f"the libraries that read files differ from the previous build's "
                f"({meta.get('readers')} then, {readers_text()} now)"
            )
        if meta.get("files") != str(len(self.entries)):
            raise UnusableState("the previous state is damaged (its manifest is incomplete)")
        if isinstance(stamp, GraphStamp):
            stamp = stamp.digest(meta)
        if stamp is not None and meta.get("stamp") != stamp:
            raise UnusableState(
                "the outputs beside the previous state are not the ones it describes"
            )

    def records(self, names: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """The records of ``names`` (all of them), each checked against its digest."""
        wanted = set(names)
        try:
            for name, record, check in self._db.execute(
                "SELECT name, record, record_check FROM files"
            ):
                if name not in wanted:
                    continue
                if _check(record) != check:
                    raise UnusableState(f"the previous state is damaged (the record of {name})")
                wanted.discard(name)
                yield name, record
        except sqlite3.Error as err:
            raise UnusableState(f"the previous state is damaged ({err})") from err
        if wanted:
            raise UnusableState("the previous state is damaged (records are missing)")

    def close(self) -> None:
        """Close the database."""
        self._db.close()


class FileRow(NamedTuple):
    """A file's row in a state to be saved."""

    name: str
    entry: Entry
    record: bytes
    info: tuple[int, int, int, bytes | None]  # see file_info


def save_state(
    path: str | os.PathLike[str],
    *,
    base: Path | None,
    drop: Iterable[str],
    rows: Iterable[FileRow],
    touched: Mapping[str, Entry],
    options: ReadOptions,
    stamp: str,
    keyed: KeyedSnapshot | None = None,
    splice: bool = False,
    basis: str | None = None,
    stamp_stat: str = "",
) -> None:
    """Write a state file: ``base`` (a previous state, or None) without ``drop``, plus ``rows``.

    ``touched`` are files of ``base`` whose content was checked again: their entries change,
    their records stay.  ``keyed`` (every file's rows by article, with what was decided)
    fills the keyed tables; without it they are left out, and the next update cannot patch.
    ``splice``: the outputs written with it let an update patch ``graph.json`` in place.
    ``basis`` is kept for the caller (the change sets' :mod:`~newsgraph.exporters.changes.basis`;
    opaque here), and dropped when None.  The file is written beside ``path`` and renamed into place.
    """
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        if base is not None:
            shutil.copyfile(base, temporary)
        db = sqlite3.connect(temporary, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=OFF")  # the file is renamed into place when whole
            db.execute("PRAGMA synchronous=OFF")
            db.execute("BEGIN")
            if base is None:
                _create(db)
            db.executemany("DELETE FROM files WHERE name = ?", ((name,) for name in drop))
            db.executemany(
                "UPDATE files SET size = ?, mtime_ns = ?, digest = ?, checked_ns = ? "
                "WHERE name = ?",
                ((*entry, name) for name, entry in touched.items()),
            )
            db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((row.name, *row.entry, row.record, _check(row.record), *row.info) for row in rows),
            )
            if keyed is not None:
                keyed.write(db)
            (count,) = db.execute("SELECT count(*) FROM files").fetchone()
            meta = {
                "format": str(FORMAT_VERSION),
                "newsgraph_version": __version__,
                "read_options": options_text(options),
                "readers": readers_text(),
                "stamp": stamp,
                "stamp_stat": stamp_stat,
                "files": str(count),
                "keyed": str(int(keyed is not None)),
                "splice": str(int(splice and keyed is not None)),
            }
            if keyed is not None:
                meta["totals"] = json.dumps(keyed.totals, sort_keys=True)
            if basis is not None:
                meta["basis"] = basis
            db.execute("DELETE FROM meta WHERE key = 'basis'")
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
            db.execute("COMMIT")
        finally:
            db.close()
        os.replace(temporary, path)
        # a patch stopped half way left the journal of the file just replaced; no state with
        # a journal beside it is opened (StateFile), so it goes only now
        journal_of(path).unlink(missing_ok=True)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def journal_of(path: Path) -> Path:
    """Where SQLite keeps the rollback journal of the state at ``path`` while it changes."""
    return path.with_name(path.name + "-journal")


def _create(db: sqlite3.Connection) -> None:
    for statement in _SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)
