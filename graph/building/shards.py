"""The steps of the sharded build, each a plain function of plain, picklable values.

The same graph and report as :func:`~newsgraph.graph.building.build_graph`, byte for byte,
for any number of shards and workers, with each shard merged and decided on its own from
state on disk (:mod:`~newsgraph.graph.building.shard_store`).  A step takes a :class:`Plan`
(the store's folder and the number of shards) and a chunk or shard number, reads and writes
files in the store and returns small values, so any engine that maps a function over a list
-- the process pool of :mod:`~newsgraph.graph.building.sharded`, Dask -- can run it:

1. :func:`read_and_route` (per chunk of files): read into a
   :class:`~newsgraph.graph.building.merge.Partial` and cut it by the shard of each article;
2. :func:`merge_shard` (per shard): merge the pieces by the rules of ``merge.py``, keep the
   state in SQLite, count the shard's :class:`~newsgraph.graph.building.merge.Tables` and
   send each entry to the shard that owns it; returns the shard's URL-variant merges;
3. :func:`reduce_shard` (per shard): add up the tables it owns, write their nodes, and keep
   the alias claims that can change anything;
4. :func:`decide_aliases` (once, in the driver): ``group_keys`` over those claims;
5. :func:`~newsgraph.graph.building.shard_output.decide_shard` (per shard): every article's
   node and edges, in key order.

**Identity** (see :mod:`~newsgraph.graph.building.identity`).  An article goes to the shard
of its key's :func:`~newsgraph.graph.urls.identity_form`, so the URL variants of one article
are in one shard and merge there.  An alias claim (an article's AMP or original URL) goes to
the shard of the alias's identity form: the articles known by that URL are there too, so that
shard sees every claim on the alias and whether an article answers to it.  It keeps only the
claims that merge or conflict -- claimed by two articles, or naming an article no document
describes -- with the keys (and whether a document describes each) of every identity form
they touch: a bounded set, one entry per alias merge or conflict, not per article.  The
driver runs ``group_keys`` on it once, as ``assemble`` runs it on everything; the groups it
cannot see are single identity forms, which the shards grouped in step 2 by the same rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Any

from newsgraph.graph.building.assemble import DecidedCounts, provider_edges, table_nodes
from newsgraph.graph.building.descriptions import IMAGE_FIELDS, Book
from newsgraph.graph.building.identity import AliasConflict, group_keys
from newsgraph.graph.building.merge import ArticleState, Partial, Tables
from newsgraph.graph.building.shard_store import (
    ArticleTable,
    PackedState,
    PackedTier,
    read_file,
    shard_of,
    write_file,
)
from newsgraph.graph.model import Problem
from newsgraph.graph.reading import ReadOptions
from newsgraph.graph.urls import identity_form

__all__ = [
    "Claims",
    "Plan",
    "article_shard",
    "decide_aliases",
    "merge_shard",
    "merge_tables",
    "observe",
    "pack",
    "read_and_route",
    "reduce_shard",
]

#: Identity form -> the keys of that form, each with whether a document describes it.
Forms = dict[str, dict[str, bool]]


@dataclass(frozen=True)
class Plan:
    """Where the store is and how many shards it has: all a step needs to know."""

    store: Path
    shards: int

    def folder(self, name: str, shard: int) -> Path:
        """A shard's folder of transient files (``pieces``, ``exchange``)."""
        return self.store / name / f"{shard:04d}"

    def articles(self, shard: int, *, readonly: bool = False) -> ArticleTable:
        """The SQLite table of a shard's merged articles."""
        return ArticleTable(self.store / f"shard-{shard:04d}.sqlite", readonly=readonly)

    def out(self, shard: int, what: str) -> Path:
        """A shard's decided output: ``articles``, ``edges`` (streams) or ``tables``."""
        return self.store / "out" / f"{shard:04d}.{what}.pkl"


def article_shard(key: str, shards: int) -> int:
    """The shard of an article: that of its identity form, so its URL variants share it.

    >>> article_shard("https://www.x.org/a/", 7) == article_shard("https://x.org/a", 7)
    True
    """
    return shard_of(identity_form(key), shards)


# --- 1. read and route ----------------------------------------------------------------


def pack(state: ArticleState) -> PackedState:
    """An article's state as plain values, its descriptions written out (for the store)."""
    book = state.book.descriptions

    def tier(found: dict[int, list[Any]]) -> PackedTier:
        return [(tuple(book[n]), rank, count) for n, (rank, count) in found.items()]

    return tier(state.primary), tier(state.stub), state.sources, state.related


def observe(book: Book, state: ArticleState, packed: PackedState) -> None:
    """Fold a packed state into ``state`` (as ``ArticleState.merge`` does)."""
    primary, stub, sources, related = packed
    for is_primary, tier in ((True, primary), (False, stub)):
        for values, rank, count in tier:
            state.observe(is_primary, book.number_values(values), rank, count)
    state.sources |= sources
    state.related |= related


def read_and_route(
    plan: Plan,
    chunk: int,
    paths: Sequence[tuple[str, str]],
    options: ReadOptions,
    strict: bool,
) -> tuple[list[Problem], int, Counter[str]]:
    """Step 1: read (path, name) files and route what they say; problems, failures, counts."""
    from newsgraph.graph.building import _read_chunk  # the same reading as build_graph

    partial, failed = _read_chunk(paths, options, strict)
    pieces: list[list[tuple[str, PackedState]]] = [[] for _ in range(plan.shards)]
    for key, state in partial.articles.items():
        pieces[article_shard(key, plan.shards)].append((key, pack(state)))
    for shard, piece in enumerate(pieces):
        if piece:
            write_file(plan.folder("pieces", shard) / f"{chunk:06d}.pkl", piece)
    return partial.problems, failed, partial.counts


# --- 2. merge a shard -----------------------------------------------------------------


def merge_shard(plan: Plan, shard: int) -> dict[str, str]:
    """Step 2: merge a shard's pieces, store them, send the table entries to their owners.

    Returns the shard's URL-variant merges (key -> key merged into), decided by
    ``group_keys`` as if no article had an alias.
    """
    partial = Partial()
    for piece in sorted(plan.folder("pieces", shard).glob("*.pkl")):
        for key, packed in read_file(piece):
            observe(partial.book, partial.state(key), packed)
        piece.unlink()
    table = plan.articles(shard)
    table.replace(
        (key, state.is_stub, pack(state))
        for key, state in sorted(partial.articles.items(), key=itemgetter(0))
    )
    table.close()
    documented = {key: not state.is_stub for key, state in partial.articles.items()}
    variants, _ = group_keys(documented, {})
    tables = partial.tables()
    del partial
    forms: Forms = {}
    for key, flag in documented.items():
        forms.setdefault(identity_form(key), {})[key] = flag
    parts: list[tuple[Tables, Forms]] = [(Tables(), {}) for _ in range(plan.shards)]
    for name in ("provider_names", "provider_images", "topics", "tags", "images"):
        for key, value in getattr(tables, name).items():
            getattr(parts[shard_of(key, plan.shards)][0], name)[key] = value
    for alias, claimants in tables.aliases.items():
        part, part_forms = parts[article_shard(alias, plan.shards)]
        part.aliases[alias] = claimants
        for form in map(identity_form, claimants):
            part_forms[form] = forms[form]
    for dest, sent in enumerate(parts):
        write_file(plan.folder("exchange", dest) / f"{shard:04d}.pkl", sent)
    return variants


# --- 3. reduce the tables a shard owns ------------------------------------------------


def merge_tables(into: Tables, part: Tables) -> None:
    """Fold the tables of other articles into ``into``, as ``Tables.add`` would have."""
    for name in ("provider_names", "topics", "tags"):
        mine = getattr(into, name)
        for key, counts in getattr(part, name).items():
            if key in mine:
                mine[key].update(counts)
            else:
                mine[key] = counts
    for domain, images in part.provider_images.items():
        into.provider_images.setdefault(domain, set()).update(images)
    for url, slots in part.images.items():
        into.images.setdefault(url, {})  # an image known by its URL alone is an image too
        for name, (rank, value) in slots.items():
            image: list[Any] = [url] + [None] * (len(IMAGE_FIELDS) - 1)
            image[IMAGE_FIELDS.index(name)] = value
            into._image(tuple(image), rank)  # the same rule as Tables.add
    for alias, claimants in part.aliases.items():
        into.aliases.setdefault(alias, set()).update(claimants)


@dataclass
class Claims:
    """The alias claims that merge or conflict, and the keys of the identity forms they touch."""

    aliases: dict[str, set[str]]
    keys: dict[str, bool]

    def add(self, other: Claims) -> None:
        """Add another shard's claims (each alias is owned by one shard)."""
        self.aliases.update(other.aliases)
        self.keys.update(other.keys)


def reduce_shard(plan: Plan, shard: int) -> tuple[Claims, DecidedCounts]:
    """Step 3: the nodes of the owned tables; the owned alias claims that can change anything."""
    tables = Tables()
    claimant_forms: Forms = {}
    for path in sorted(plan.folder("exchange", shard).glob("*.pkl")):
        part, part_forms = read_file(path)
        merge_tables(tables, part)
        claimant_forms.update(part_forms)
        path.unlink()
    nodes, logos = table_nodes(tables), provider_edges(tables)
    write_file(plan.out(shard, "tables"), (nodes, logos), memo=True)  # nodes repeat names
    counts = DecidedCounts()
    counts.tables(nodes, len(logos))
    table = plan.articles(shard)
    here: Forms = {}
    for key, flag in table.documented().items():
        here.setdefault(identity_form(key), {})[key] = flag
    table.close()
    claims = Claims({}, {})
    for alias, claimants in tables.aliases.items():
        forms = {identity_form(k) for k in claimants}
        alias_form = identity_form(alias)
        answering = here.get(alias_form)  # the articles known by the alias, if any
        # As group_keys decides: two claimants merge (or conflict); one merges the
        # articles known by the alias unless a document describes them.
        if len(forms) > 1 or (
            answering is not None and alias_form not in forms and not any(answering.values())
        ):
            claims.aliases[alias] = claimants
            for form in forms:
                claims.keys.update(claimant_forms[form])
            if answering is not None:
                claims.keys.update(answering)
    return claims, counts


# --- 4. decide the aliases (once) -------------------------------------------------------


def decide_aliases(
    variants: dict[str, str], claims: Claims
) -> tuple[dict[str, str], list[AliasConflict]]:
    """Every merge (key -> key it merged into) and the shared aliases, as ``assemble`` finds them.

    ``variants`` are the shards' URL-variant merges; the groups that aliases join are
    decided here, with every key of every identity form in them.

    >>> claims = Claims({"https://x.org/amp": {"https://x.org/a"}},
    ...                 {"https://x.org/a": True, "https://x.org/amp": False})
    >>> decide_aliases({}, claims)
    ({'https://x.org/amp': 'https://x.org/a'}, [])
    """
    joined, conflicts = group_keys(claims.keys, claims.aliases)
    # A group an alias joins redirects every key of its identity forms but its best one;
    # when that best key is in a form, it is the form's own best: so the joined groups
    # replace the variants' decisions for their keys and contradict none of the others.
    return {**variants, **joined}, conflicts
