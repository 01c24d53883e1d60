"""Order-independent merging of article observations (DESIGN §3).

Each worker folds the records of its files into a :class:`Partial`; partials are merged
into one.  The same article is described again and again -- a related item is copied
into dozens of files word for word -- so each distinct :class:`Description` is kept once,
numbered in a :class:`Book`; an :class:`ArticleState` holds the numbers of its
descriptions with the best rank each was seen at and how often, and decides the fields
only when they are asked for.  Every decision is a per-field maximum over a
total order, so the result is the same whatever the file order or the number of workers:

* each field is decided separately, first among primary documents, then among related
  stubs, so any value from a primary beats every value from a stub;
* within a tier the observations are in a total order by content (:func:`rank_of`): a
  document that says ``published: true`` beats one that says nothing, which beats
  ``published: false``; then the latest ``updated`` (else ``published``) time; then the
  higher ``quality``; then the digest of everything the description says.  File names
  and positions never decide anything: they are only listed in ``sources``;
* lists (topics, tags, images, related links, URLs, sources) are unions;
* a field *conflicts* when a tier saw two different values for it.

>>> from newsgraph.graph.model import Article
>>> p = Partial()
>>> p.add(Article(key="u", source="b.md", title="New", updated="2020-01-02T00:00:00Z"))
>>> p.add(Article(key="u", source="a.md", title="Old", updated="2020-01-01T00:00:00Z"))
>>> p.articles["u"].value("title"), sorted(p.articles["u"].sources)
(('New', None), ['a.md', 'b.md'])
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from newsgraph.graph.building.descriptions import (
    IMAGE_FIELDS,
    Book,
    Description,
    ImageValues,
    Rank,
    describe,
    digest,
    rank_of,
)
from newsgraph.graph.model import Article, Problem
from newsgraph.graph.text import fold_name

__all__ = ["VALUE_FIELDS", "ArticleState", "Book", "Description", "Partial", "Tables"]

#: Fields decided by precedence on their own, taken as they are; (title, original) pairs
#: travel together.
VALUE_FIELDS = (
    "url",
    "published",
    "updated",
    "type",
    "category",
    "categories",
    "quality",
    "heat",
    "is_published",
    "locale",
    "secured",
    "path",
)
_FIELD_VALUES = attrgetter(*VALUE_FIELDS)


@lru_cache(maxsize=1 << 16)
def _fold(name: str) -> str:
    return fold_name(name)


def _decide(candidates: list[tuple[Any, Any]]) -> tuple[Any, bool]:
    """The value of the best candidate (highest rank, then highest ``repr`` of the value),
    and whether the candidates gave more than one value."""
    best_rank, value = candidates[0]
    best_repr = first_repr = repr(value)
    differ = False
    for rank, other in candidates[1:]:
        text = repr(other)
        differ = differ or text != first_repr
        if rank > best_rank or (rank == best_rank and text > best_repr):
            best_rank, best_repr, value = rank, text, other
    return value, differ


def _description_values(description: Description) -> dict[str, Any]:
    """The fields a description sets, as :meth:`ArticleState.value` gives them."""
    values = {
        name: value
        for name, value in zip(VALUE_FIELDS, _FIELD_VALUES(description), strict=False)
        if value is not None
    }
    if not description.categories:
        values.pop("categories", None)
    if description.title is not None:
        values["title"] = (description.title, description.title_original)
    if description.excerpt is not None:
        values["excerpt"] = (description.excerpt, description.excerpt_original)
    if description.provider is not None:
        values["provider"] = description.provider[0]
    for name, text in description.extra:
        values["extra." + name] = json.loads(text)
    return values


_NO_CONFLICTS: frozenset[str] = frozenset()


def _tier_values(book: list[Description], tier: Tier) -> tuple[dict[str, Any], frozenset[str]]:
    """The winning value of each field in a tier, and the fields it saw two values of."""
    if len(tier) == 1:  # by far the most common case: nothing to decide
        return _description_values(book[next(iter(tier))]), _NO_CONFLICTS
    candidates: dict[str, list[tuple[Any, Any]]] = {}
    for n, (rank, _) in tier.items():
        # The digest makes the order total, so one description wins every field it sets.
        full_rank = (*rank, digest(book[n]))
        for name, value in _description_values(book[n]).items():
            found = candidates.get(name)
            if found is None:
                candidates[name] = [(full_rank, value)]
            else:
                found.append((full_rank, value))
    values: dict[str, Any] = {}
    conflicts = set()
    for name, found in candidates.items():
        values[name], differ = _decide(found)
        if differ:
            conflicts.add(name)
    return values, frozenset(conflicts)


class Lists(NamedTuple):
    """What the descriptions of one article list, in unions."""

    urls: set[str]
    topics: set[str]  # folded names
    tags: set[str]  # folded names
    images: set[str]  # image URLs


#: A tier of an article state: description number -> [best rank, times seen].
Tier = dict[int, list[Any]]


class ArticleState:
    """Everything known about one article so far.

    ``primary`` and ``stub`` map the number (in ``book``) of each distinct description to
    ``[best rank, times seen]``.
    """

    __slots__ = ("book", "primary", "related", "sources", "stub")

    def __init__(self, book: Book) -> None:
        self.book = book
        self.primary: Tier = {}
        self.stub: Tier = {}
        self.sources: set[str] = set()
        self.related: set[str] = set()

    @property
    def is_stub(self) -> bool:
        """True when no primary document described this article."""
        return not self.primary

    def value(self, name: str) -> Any:
        """The winning value of a field (primary tier first), or None."""
        return self.values().get(name)

    def values(self) -> dict[str, Any]:
        """Every field's winning value (None-valued fields left out): :meth:`value` for all.

        >>> p = Partial(); p.add(Article(key="u", source="a.md", heat=3))
        >>> p.articles["u"].values()
        {'heat': 3}
        """
        return self.decide()[0]

    def fields(self) -> set[str]:
        """Names of every field some observation set."""
        return set(self.values())

    @property
    def conflicts(self) -> set[tuple[bool, str]]:
        """(primary tier?, field) for each field that a tier saw two different values of."""
        return self.decide()[1]

    def decide(self) -> tuple[dict[str, Any], set[tuple[bool, str]]]:
        """:meth:`values` and :attr:`conflicts` at once, each description looked at once."""
        book = self.book.descriptions
        decided, stub_conflicts = _tier_values(book, self.stub)
        primary, primary_conflicts = _tier_values(book, self.primary)
        decided.update(primary)
        conflicts = {(True, name) for name in primary_conflicts}
        conflicts.update((False, name) for name in stub_conflicts)
        return decided, conflicts

    def lists(self) -> Lists:
        """The unions of the article's URLs, folded topics and tags, and image URLs."""
        urls: set[str] = set()
        topics: set[str] = set()
        tags: set[str] = set()
        images: set[str] = set()
        book = self.book.descriptions
        for tier in (self.primary, self.stub):
            for n in tier:
                description = book[n]
                urls.update(description.urls)
                topics.update(description.topics)
                tags.update(description.tags)
                images.update(image[0] for image in description.images)
        folded = (_fold(name) for name in topics)
        return Lists(urls, {f for f in folded if f}, {f for f in map(_fold, tags) if f}, images)

    @property
    def urls(self) -> set[str]:
        """Every URL of the article as written in some source."""
        return self.lists().urls

    @property
    def topics(self) -> set[str]:
        """Folded topic names."""
        return self.lists().topics

    @property
    def tags(self) -> set[str]:
        """Folded tag names."""
        return self.lists().tags

    @property
    def images(self) -> set[str]:
        """URLs of the article's images."""
        return self.lists().images

    def observe(self, primary: bool, n: int, rank: Rank, count: int = 1) -> None:
        """Count description ``n`` (a number in ``book``), seen ``count`` times at best at ``rank``."""
        tier = self.primary if primary else self.stub
        seen = tier.get(n)
        if seen is None:
            tier[n] = [rank, count]
        else:
            seen[0] = max(seen[0], rank)
            seen[1] += count

    def merge(self, other: ArticleState) -> None:
        """Fold another state of the same article into this one."""
        same = other.book is self.book
        for primary, tier in ((True, other.primary), (False, other.stub)):
            for n, (rank, count) in tier.items():
                if not same:
                    n = self.book.number(other.book.descriptions[n])
                self.observe(primary, n, rank, count)
        self.sources |= other.sources
        self.related |= other.related


@dataclass
class Tables:
    """What all the articles together say about providers, topics, tags, images and aliases.

    Spellings are counted once per observation, so the most frequent one can name a node.
    """

    provider_names: dict[str, Counter[str]] = field(default_factory=dict)
    provider_images: dict[str, set[str]] = field(default_factory=dict)
    topics: dict[str, Counter[str]] = field(default_factory=dict)
    tags: dict[str, Counter[str]] = field(default_factory=dict)
    #: image URL -> field -> (rank, value) of the winning observation
    images: dict[str, dict[str, tuple[Rank, Any]]] = field(default_factory=dict)
    #: alias URL -> keys of the articles that declare it
    aliases: dict[str, set[str]] = field(default_factory=dict)

    def add(
        self, key: str, primary: bool, description: Description, rank: Rank, count: int
    ) -> None:
        """Count one distinct description of article ``key``, seen ``count`` times."""
        for alias in description.aliases:
            claims = self.aliases.get(alias)
            if claims is None:
                self.aliases[alias] = {key}
            else:
                claims.add(key)
        for names, table in ((description.topics, self.topics), (description.tags, self.tags)):
            for name in names:
                folded = _fold(name)
                if folded:
                    _counter(table, folded)[name] += count
        for image in description.images:
            self._image(image, rank)
        if description.provider is not None:
            domain, provider_name, logos = description.provider
            spellings = _counter(self.provider_names, domain)
            if provider_name:
                spellings[provider_name] += count
            if domain not in self.provider_images:
                self.provider_images[domain] = set()
            for image in logos:
                self.provider_images[domain].add(image[0])
                self._image(image, rank)

    def _image(self, image: ImageValues, rank: Rank) -> None:
        slots = self.images.get(image[0])
        if slots is None:
            slots = self.images[image[0]] = {}
        for name, value in zip(IMAGE_FIELDS[1:], image[1:], strict=False):
            if value is None:
                continue
            old = slots.get(name)
            if old is None or rank > old[0] or (rank == old[0] and repr(value) > repr(old[1])):
                slots[name] = (rank, value)


def _counter(table: dict[str, Counter[str]], key: str) -> Counter[str]:
    """``table[key]``, a new counter if there is none (``setdefault`` would make one each time)."""
    counter = table.get(key)
    if counter is None:
        counter = table[key] = Counter()
    return counter


class Partial:
    """The merged state of some files: their articles, problems and record counts.

    Partials made in one process may share one :class:`Book` (``book``).
    """

    __slots__ = ("articles", "book", "counts", "problems")

    def __init__(self, book: Book | None = None) -> None:
        self.book = book if book is not None else Book()
        self.articles: dict[str, ArticleState] = {}
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()

    def state(self, key: str) -> ArticleState:
        """The state of article ``key``, a new one if there is none yet."""
        state = self.articles.get(key)
        if state is None:
            state = self.articles[key] = ArticleState(self.book)
        return state

    def add(self, article: Article) -> None:
        """Fold one primary article (and its related stubs) into the state."""
        self.counts["related_records" if article.is_stub else "primary_records"] += 1
        state = self.state(article.key)
        state.observe(not article.is_stub, self.book.number(describe(article)), rank_of(article))
        state.sources.add(article.source)
        for stub in article.related:
            state.related.add(stub.key)
            self.add(stub)

    def merge(self, other: Partial) -> None:
        """Fold another partial into this one (commutative and associative)."""
        for key, state in other.articles.items():
            mine = self.articles.get(key)
            if mine is None and other.book is self.book:
                self.articles[key] = state
            else:
                self.state(key).merge(state)
        self.problems.extend(other.problems)
        self.counts.update(other.counts)

    def tables(self) -> Tables:
        """Count providers, topics, tags, images and alias claims over every article."""
        tables, book = Tables(), self.book.descriptions
        for key in sorted(self.articles):
            state = self.articles[key]
            for primary, tier in ((True, state.primary), (False, state.stub)):
                for n, (rank, count) in tier.items():
                    tables.add(key, primary, book[n], rank, count)
        return tables
