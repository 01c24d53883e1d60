"""Order-independent merging of article observations (DESIGN §3).

Each worker folds the records of its files into a :class:`Partial`; partials are merged
into one.  Every merge is a per-field maximum over a total order, so the result is the same
whatever the file order or the number of workers:

* each field is decided separately, first among primary documents, then among related
  stubs, so any value from a primary beats every value from a stub;
* within a tier the observation with the latest ``updated`` (else ``published``) time wins,
  ties broken by source path and line (the later one wins), then by the value itself;
* lists (topics, tags, images, related links, URLs, sources) are unions;
* a field *conflicts* when a tier saw two different values for it.

>>> from graph.model import Article
>>> p = Partial()
>>> p.add(Article(key="u", source="b.md", title="New", updated="2020-01-02T00:00:00Z"))
>>> p.add(Article(key="u", source="a.md", title="Old", updated="2020-01-01T00:00:00Z"))
>>> p.articles["u"].value("title"), sorted(p.articles["u"].sources)
(('New', None), ['a.md', 'b.md'])
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from graph.model import Article, Image, Problem
from graph.text import fold_name

__all__ = ["ArticleState", "Partial"]

Rank = tuple[str, str, int]
Slot = tuple[Rank, Any]

#: Article fields decided by precedence; (title, original) pairs travel together.
_FIELDS = ("url", "published", "updated", "type", "category", "categories", "quality", "heat",
           "is_published", "locale", "secured", "path")
_IMAGE_FIELDS = ("width", "height", "title", "is_cached", "attribution")


def _better(new: Slot, old: Slot) -> bool:
    if new[0] != old[0]:
        return new[0] > old[0]
    return repr(new[1]) > repr(old[1])


def _put(slots: dict[str, Slot], conflicts: set[str] | None, field: str, slot: Slot) -> None:
    old = slots.get(field)
    if old is None:
        slots[field] = slot
        return
    if conflicts is not None and old[1] != slot[1]:
        conflicts.add(field)
    if _better(slot, old):
        slots[field] = slot


class ArticleState:
    """Everything known about one article so far."""

    __slots__ = ("conflicts", "images", "primary", "related", "sources", "stub", "tags",
                 "topics", "urls")

    def __init__(self) -> None:
        self.primary: dict[str, Slot] = {}
        self.stub: dict[str, Slot] = {}
        self.conflicts: set[tuple[bool, str]] = set()
        self.urls: set[str] = set()
        self.sources: set[str] = set()
        self.topics: set[str] = set()
        self.tags: set[str] = set()
        self.images: set[str] = set()
        self.related: set[str] = set()

    @property
    def is_stub(self) -> bool:
        """True when no primary document described this article."""
        return not self.primary

    def value(self, field: str) -> Any:
        """The winning value of a field (primary tier first), or None."""
        slot = self.primary.get(field) or self.stub.get(field)
        return slot[1] if slot else None

    def fields(self) -> set[str]:
        """Names of every field some observation set."""
        return self.primary.keys() | self.stub.keys()

    def observe(self, article: Article, rank: Rank) -> None:
        primary = not article.is_stub
        slots = self.primary if primary else self.stub
        found: set[str] = set()
        for field in _FIELDS:
            value = getattr(article, field)
            if value is not None and value != ():
                _put(slots, found, field, (rank, value))
        if article.title is not None:
            _put(slots, found, "title", (rank, (article.title, article.title_original)))
        if article.excerpt is not None:
            _put(slots, found, "excerpt", (rank, (article.excerpt, article.excerpt_original)))
        if article.provider is not None:
            _put(slots, found, "provider", (rank, article.provider.domain))
        for name, value in article.extra:
            _put(slots, found, "extra." + name, (rank, value))
        self.conflicts.update((primary, f) for f in found)
        self.urls.update(article.urls)
        self.sources.add(article.source)

    def merge(self, other: ArticleState) -> None:
        for primary, mine, theirs in ((True, self.primary, other.primary),
                                      (False, self.stub, other.stub)):
            found: set[str] = set()
            for field, slot in theirs.items():
                _put(mine, found, field, slot)
            self.conflicts.update((primary, f) for f in found)
        for name in ("conflicts", "urls", "sources", "topics", "tags", "images", "related"):
            getattr(self, name).update(getattr(other, name))


class Partial:
    """The merged state of some files: articles, providers, topics, tags, images, aliases."""

    __slots__ = ("alias_conflicts", "aliases", "articles", "counts", "images", "problems",
                 "provider_images", "provider_names", "tags", "topics")

    def __init__(self) -> None:
        self.articles: dict[str, ArticleState] = {}
        self.provider_names: dict[str, Counter[str]] = {}
        self.provider_images: dict[str, set[str]] = {}
        self.topics: dict[str, Counter[str]] = {}
        self.tags: dict[str, Counter[str]] = {}
        self.images: dict[str, dict[str, Slot]] = {}
        self.aliases: dict[str, tuple[int, str]] = {}
        self.alias_conflicts: set[str] = set()
        self.problems: list[Problem] = []
        self.counts: Counter[str] = Counter()

    def add(self, article: Article) -> None:
        """Fold one primary article (and its related stubs) into the state."""
        self.counts["related_records" if article.is_stub else "primary_records"] += 1
        # Without the "Z", ISO strings sort in time order: "…:00Z" would sort after "…:00.5Z".
        moment = (article.updated or article.published or "").removesuffix("Z")
        rank: Rank = (moment, article.source, article.line or 0)
        state = self.articles.get(article.key)
        if state is None:
            state = self.articles[article.key] = ArticleState()
        state.observe(article, rank)
        for alias in article.aliases:
            self._claim(alias, (0 if not article.is_stub else 1, article.key))
        for name in article.topics:
            folded = fold_name(name)
            if folded:
                state.topics.add(folded)
                self.topics.setdefault(folded, Counter())[name] += 1
        for name in article.tags:
            folded = fold_name(name)
            if folded:
                state.tags.add(folded)
                self.tags.setdefault(folded, Counter())[name] += 1
        for image in article.images:
            state.images.add(image.url)
            self._image(image, rank)
        provider = article.provider
        if provider is not None:
            if provider.name:
                self.provider_names.setdefault(provider.domain, Counter())[provider.name] += 1
            else:
                self.provider_names.setdefault(provider.domain, Counter())
            logos = self.provider_images.setdefault(provider.domain, set())
            for image in provider.images:
                logos.add(image.url)
                self._image(image, rank)
        for stub in article.related:
            state.related.add(stub.key)
            self.add(stub)

    def _claim(self, alias: str, claim: tuple[int, str]) -> None:
        old = self.aliases.get(alias)
        if old is None or claim < old:
            self.aliases[alias] = claim
        if old is not None and old[1] != claim[1]:
            self.alias_conflicts.add(alias)

    def _image(self, image: Image, rank: Rank) -> None:
        slots = self.images.setdefault(image.url, {})
        for field in _IMAGE_FIELDS:
            value = getattr(image, field)
            if value is not None:
                _put(slots, None, field, (rank, value))

    def merge(self, other: Partial) -> None:
        """Fold another partial into this one (commutative and associative)."""
        for key, state in other.articles.items():
            mine = self.articles.get(key)
            if mine is None:
                self.articles[key] = state
            else:
                mine.merge(state)
        for target, source in ((self.provider_names, other.provider_names),
                               (self.topics, other.topics), (self.tags, other.tags)):
            for key, counts in source.items():
                target.setdefault(key, Counter()).update(counts)
        for key, urls in other.provider_images.items():
            self.provider_images.setdefault(key, set()).update(urls)
        for url, slots in other.images.items():
            mine_slots = self.images.setdefault(url, {})
            for field, slot in slots.items():
                _put(mine_slots, None, field, slot)
        for alias, claim in other.aliases.items():
            self._claim(alias, claim)
        self.alias_conflicts |= other.alias_conflicts
        self.problems.extend(other.problems)
        self.counts.update(other.counts)
