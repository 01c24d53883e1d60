"""Where a sharded build keeps its state on disk (see :mod:`newsgraph.graph.building.shards`).

A store is a folder:

* ``shard-NNNN.sqlite`` -- the merged state of one shard's articles, one row per article
  (``key`` primary key, ``stub`` flag, ``state`` a pickled :data:`PackedState`).  SQLite,
  from the standard library, because the next step reads a shard in key order without
  holding it (the primary key's index), the decide step looks up the few articles merged into its own from other shards, and an
  incremental update (issue 18) replaces the rows of the articles it touches instead of
  rewriting the shard.  Each shard's file has one writer at a time, so there is no locking.
* ``pieces/NNNN/*.pkl`` -- what each chunk of files routed to a shard, written once by the
  worker that read the chunk and read once by the shard's merge (pickle: plain tuples, the
  fastest the standard library writes and reads);
* ``exchange/NNNN/*.pkl`` -- the table parts (providers, topics, tags, images, alias claims
  with the keys of the claiming articles' identity forms) one shard sends to another;
* ``out/NNNN.*.pkl`` -- each shard's decided nodes and edges, in key order, as a stream of
  pickled batches that :func:`read_stream` gives back one item at a time (the edges one
  list per article).  The nodes are pickled with pickle's memo, so the strings they
  repeat (attribute names, kinds, a URL that is also the label) come back as one object.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     writer = StreamWriter(Path(d) / "x.pkl", batch=2)
...     writer.extend(range(5)); writer.close()
...     list(read_stream(Path(d) / "x.pkl"))
[0, 1, 2, 3, 4]
"""

from __future__ import annotations

import io
import pickle
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = [
    "ArticleTable",
    "PackedState",
    "PackedTier",
    "StreamWriter",
    "dump",
    "load",
    "read_file",
    "read_stream",
    "shard_of",
    "write_file",
]

#: A tier of an article on disk: (description's values, best rank, times seen) each.
PackedTier = list[tuple[tuple[Any, ...], Any, int]]
#: An article's state on disk: primary tier, stub tier, sources, related keys.
PackedState = tuple[PackedTier, PackedTier, set[str], set[str]]

_BATCH = 2048


def shard_of(key: str, shards: int) -> int:
    """The shard of a key: the same in every process and every run (unlike ``hash``).

    >>> shard_of("https://x.example/a", 7)
    3
    """
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % shards


def dump(value: Any, *, memo: bool = False) -> bytes:
    """Pickle plain values, without pickle's memo unless ``memo`` (see ``transport._dump_values``).

    The memo costs time, and pays where the values are kept: an object met twice comes
    back as one object (the attribute names of a batch of nodes, say), not two copies.
    """
    if memo:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def load(data: bytes) -> Any:
    return pickle.loads(data)


def write_file(path: Path, value: Any, *, memo: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(dump(value, memo=memo))


def read_file(path: Path) -> Any:
    return load(path.read_bytes())


class StreamWriter:
    """Writes items to a file as pickled batches, for :func:`read_stream`."""

    def __init__(self, path: Path, batch: int = _BATCH, *, memo: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file = path.open("wb")
        self.items: list[Any] = []
        self.batch, self.memo = batch, memo

    def extend(self, items: Iterable[Any]) -> None:
        self.items.extend(items)
        if len(self.items) >= self.batch:
            self.file.write(dump(self.items, memo=self.memo))
            self.items = []

    def close(self) -> None:
        if self.items:
            self.file.write(dump(self.items, memo=self.memo))
        self.file.close()


def read_stream(path: Path) -> Iterator[Any]:
    """The items :func:`write_stream` wrote, one batch in memory at a time."""
    with path.open("rb") as stream:
        while True:
            try:
                chunk = pickle.load(stream)
            except EOFError:
                return
            yield from chunk


class ArticleTable:
    """The ``articles`` table of one shard's SQLite file."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        if readonly:  # another shard's step reads a few rows while the owner may read too
            self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            return
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS articles"
            " (key TEXT PRIMARY KEY, stub INTEGER NOT NULL, state BLOB NOT NULL) WITHOUT ROWID"
        )

    def replace(self, rows: Iterable[tuple[str, bool, PackedState]]) -> None:
        """Write (key, is stub, state) rows, replacing those of the same keys."""
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO articles VALUES (?, ?, ?)",
                ((key, int(stub), dump(state)) for key, stub, state in rows),
            )

    def documented(self) -> dict[str, bool]:
        """Every key, and whether a document (not only a related link) describes it."""
        return {key: not stub for key, stub in self.db.execute("SELECT key, stub FROM articles")}

    def get(self, key: str) -> PackedState:
        """The state of article ``key`` (which must be there)."""
        row = self.db.execute("SELECT state FROM articles WHERE key = ?", (key,)).fetchone()
        state: PackedState = load(row[0])
        return state

    def in_order(self) -> Iterator[tuple[str, PackedState]]:
        """Every article in key order (the order of Python's ``sorted`` on str keys)."""
        # BINARY collation compares UTF-8 bytes, which sorts as code points do, except
        # that surrogates would not; keys are valid text, so they sort as ``sorted`` does.
        for key, state in self.db.execute("SELECT key, state FROM articles ORDER BY key"):
            yield key, load(state)

    def close(self) -> None:
        """Close the file (the rows are written already)."""
        self.db.close()
