"""The keyed half of an update's state: what each file says about each article, by key.

The tables below live in the same SQLite file as the manifest
(:mod:`~newsgraph.graph.building.manifest`) and let an update touch only what changed
(:mod:`~newsgraph.graph.building.incremental`):

* ``rows``: one row per (article key, file): that file's observations of the article (its
  descriptions with their best rank and count, by tier; sources; related links), so the
  state of one article is merged again from its rows alone -- a file that goes away takes
  its rows with it, whatever the merge rules (a maximum cannot be subtracted from);
* ``refs``: (related key, article key, file): who links to whom, to find the articles
  whose edges change when a related key merges into another article;
* ``ident``: per article key its identity form, whether a document describes it, and the
  key it merged into (NULL: its own node); ``claims``: (alias, its identity form, key);
* ``agg``: per provider, topic, tag and image node, what every article contributed to it
  as a multiset (:data:`Agg`), so contributions can be subtracted and added again;
* ``conflicts``: the report's alias conflicts, by alias.

Packed values are plain tuples read back with the class-refusing unpickler of the
manifest.

>>> from newsgraph.graph.building.merge import Partial
>>> from newsgraph.graph.model import Article
>>> p = Partial(); p.add(Article(key="https://x.example/a", source="a.md", topics=("AI",)))
>>> aggs: dict[str, Agg] = {}
>>> contribute(aggs, p.articles["https://x.example/a"], 1)
>>> aggs["topic:ai"]
[1, Counter({('name', 'AI'): 1})]
"""

from __future__ import annotations

import pickle
import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsgraph.graph.building.descriptions import IMAGE_FIELDS, Book
from newsgraph.graph.building.identity import AliasConflict
from newsgraph.graph.building.merge import ArticleState, Partial, Tables, _fold
from newsgraph.graph.model import NodeKind, node_key
from newsgraph.graph.urls import identity_form

__all__ = [
    "KEYED_SCHEMA",
    "Agg",
    "KeyedSnapshot",
    "claims_of",
    "contribute",
    "pack_agg",
    "pack_conflict",
    "pack_row",
    "state_of",
    "tables_of",
    "unpack_agg",
    "unpack_conflict",
]

_PROVIDER, _TOPIC, _TAG, _IMAGE = (
    node_key(kind, "") for kind in (NodeKind.PROVIDER, NodeKind.TOPIC, NodeKind.TAG, NodeKind.IMAGE)
)

KEYED_SCHEMA = """
CREATE TABLE rows (key TEXT NOT NULL, name TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX rows_by_key ON rows (key);
CREATE INDEX rows_by_name ON rows (name);
CREATE TABLE refs (target TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL);
CREATE INDEX refs_by_target ON refs (target);
CREATE INDEX refs_by_name ON refs (name);
CREATE TABLE ident (key TEXT PRIMARY KEY, form TEXT NOT NULL, documented INTEGER NOT NULL,
                    target TEXT) WITHOUT ROWID;
CREATE INDEX ident_by_form ON ident (form);
CREATE TABLE claims (alias TEXT NOT NULL, form TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX claims_by_alias ON claims (alias);
CREATE INDEX claims_by_form ON claims (form);
CREATE INDEX claims_by_key ON claims (key);
CREATE TABLE agg (node TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE conflicts (alias TEXT PRIMARY KEY, data BLOB NOT NULL) WITHOUT ROWID;
"""

#: What a table node was given: [number of observations, multiset of items] -- items are
#: ("name", spelling) and ("logo", url) for providers, ("name", spelling) for topics and
#: tags, (field, rank, value) for images.
Agg = list[Any]


def pack_row(primary: list[Any], stub: list[Any], sources: list[str], related: list[str]) -> bytes:
    """One file's observations of one article: tiers of (description values, rank, count)."""
    return pickle.dumps((primary, stub, sources, related), pickle.HIGHEST_PROTOCOL)


def state_of(book: Book, packed_rows: Iterable[Any]) -> ArticleState:
    """The state of an article merged from its unpacked rows (see :func:`pack_row`)."""
    state = ArticleState(book)
    for primary, stub, sources, related in packed_rows:
        for values, rank, count in primary:
            state.observe(True, book.number_values(values), tuple(rank), count)
        for values, rank, count in stub:
            state.observe(False, book.number_values(values), tuple(rank), count)
        state.sources.update(sources)
        state.related.update(related)
    return state


def contribute(aggs: dict[str, Agg], state: ArticleState, sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) what one article gives the table nodes.

    The same observations :meth:`~newsgraph.graph.building.merge.Tables.add` counts.
    """
    book = state.book.descriptions
    for tier in (state.primary, state.stub):
        for n, (rank, count) in tier.items():
            description = book[n]
            for names, prefix in ((description.topics, _TOPIC), (description.tags, _TAG)):
                for name in names:
                    folded = _fold(name)
                    if folded:
                        _add(aggs, prefix + folded, ("name", name), sign * count, sign * count)
            for image in description.images:
                _image(aggs, image, rank, sign)
            if description.provider is not None:
                domain, provider_name, logos = description.provider
                node = _PROVIDER + domain
                _add(aggs, node, None, 0, sign)
                if provider_name:
                    _add(aggs, node, ("name", provider_name), sign * count, 0)
                for image in logos:
                    _add(aggs, node, ("logo", image[0]), sign, 0)
                    _image(aggs, image, rank, sign)


def _add(aggs: dict[str, Agg], node: str, item: Any, weight: int, observed: int) -> None:
    agg = aggs.get(node)
    if agg is None:
        agg = aggs[node] = [0, Counter()]
    agg[0] += observed
    if item is not None:
        agg[1][item] += weight


def _image(aggs: dict[str, Agg], image: tuple[Any, ...], rank: Any, sign: int) -> None:
    node = _IMAGE + image[0]
    _add(aggs, node, None, 0, sign)
    for name, value in zip(IMAGE_FIELDS[1:], image[1:], strict=False):
        if value is not None:
            _add(aggs, node, (name, rank, value), sign, 0)


def tables_of(aggs: dict[str, Agg]) -> Tables:
    """The :class:`~newsgraph.graph.building.merge.Tables` entries of these nodes (those observed)."""
    tables = Tables()
    for node, (observed, items) in aggs.items():
        if observed <= 0:
            continue
        counted = {item: n for item, n in items.items() if n > 0}
        _kind, _, name = node.partition(":")
        if node.startswith(_PROVIDER):
            tables.provider_names[name] = Counter(
                {x: n for (what, x), n in counted.items() if what == "name"}
            )
            tables.provider_images[name] = {x for (what, x) in counted if what == "logo"}
        elif node.startswith((_TOPIC, _TAG)):
            table = tables.topics if node.startswith(_TOPIC) else tables.tags
            table[name] = Counter({x: n for (_, x), n in counted.items()})
        else:
            slots: dict[str, tuple[Any, Any]] = {}
            for field, rank, value in counted:
                old = slots.get(field)
                if old is None or (rank, repr(value)) > (old[0], repr(old[1])):
                    slots[field] = (rank, value)
            tables.images[name] = slots
    return tables


def pack_agg(agg: Agg) -> bytes:
    """An :data:`Agg` as stored (items with a count of zero left out)."""
    items = [(item, n) for item, n in agg[1].items() if n]
    return pickle.dumps((agg[0], items), pickle.HIGHEST_PROTOCOL)


def unpack_agg(value: Any) -> Agg:
    """The :data:`Agg` of an unpacked stored value."""
    observed, items = value
    return [observed, Counter(dict(items))]  # items and ranks come back as tuples


def claims_of(state: ArticleState) -> set[str]:
    """The aliases an article declares."""
    book = state.book.descriptions
    return {
        alias for tier in (state.primary, state.stub) for n in tier for alias in book[n].aliases
    }


@dataclass
class KeyedSnapshot:
    """Everything the keyed tables hold, gathered by a build that merged every file.

    ``rows``: (key, file, packed row, related keys); the rest from the merged
    :class:`~newsgraph.graph.building.merge.Partial` before identities were merged
    (:meth:`of`), ``redirect`` and ``conflicts`` as they were decided.
    """

    rows: list[tuple[str, str, bytes, list[str]]]
    ident: list[tuple[str, str, int]] = field(default_factory=list)
    claims: list[tuple[str, str, str]] = field(default_factory=list)
    aggs: dict[str, Agg] = field(default_factory=dict)
    redirect: dict[str, str] = field(default_factory=dict)
    conflicts: list[Any] = field(default_factory=list)
    #: the report's numbers an update adds to and takes from (see ``incremental``)
    totals: dict[str, Any] = field(default_factory=dict)

    def take(self, partial: Partial) -> None:
        """Gather identities, claims and table contributions (before ``assemble``)."""
        for key, state in partial.articles.items():
            self.ident.append((key, identity_form(key), int(not state.is_stub)))
            self.claims.extend((alias, identity_form(alias), key) for alias in claims_of(state))
            contribute(self.aggs, state, 1)

    def write(self, db: sqlite3.Connection) -> None:
        """Fill the keyed tables from scratch."""
        for table in ("rows", "refs", "ident", "claims", "agg", "conflicts"):
            db.execute(f"DROP TABLE IF EXISTS {table}")
        for statement in KEYED_SCHEMA.split(";"):
            if statement.strip():
                db.execute(statement)
        db.executemany("INSERT INTO rows VALUES (?, ?, ?)", (row[:3] for row in self.rows))
        db.executemany(
            "INSERT INTO refs VALUES (?, ?, ?)",
            ((target, key, name) for key, name, _, related in self.rows for target in related),
        )
        get = self.redirect.get
        db.executemany(
            "INSERT INTO ident VALUES (?, ?, ?, ?)", ((*row, get(row[0])) for row in self.ident)
        )
        db.executemany("INSERT INTO claims VALUES (?, ?, ?)", self.claims)
        db.executemany(
            "INSERT INTO agg VALUES (?, ?)",
            ((node, pack_agg(agg)) for node, agg in self.aggs.items()),
        )
        db.executemany(
            "INSERT INTO conflicts VALUES (?, ?)",
            ((c.alias, pack_conflict(c)) for c in self.conflicts),
        )


def pack_conflict(conflict: AliasConflict) -> bytes:
    """An alias conflict as the ``conflicts`` table stores it."""
    return pickle.dumps(
        (conflict.alias, conflict.urls, conflict.files, conflict.files_total, conflict.merged),
        pickle.HIGHEST_PROTOCOL,
    )


def unpack_conflict(value: Any) -> AliasConflict:
    """The alias conflict of an unpacked stored value."""
    alias, urls, files, total, merged = value
    return AliasConflict(alias, tuple(urls), tuple(files), total, merged)
