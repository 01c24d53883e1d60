"""What an observation says about an article, as plain values, numbered once each.

The same article is described again and again -- a related item is copied into dozens of
files word for word -- so a merge keeps each distinct :class:`Description` once, numbered in
a :class:`Book`, and counts the numbers (see :mod:`newsgraph.graph.building.merge`).

>>> book = Book()
>>> d = describe(Article(key="u", source="a.md", title="T"))
>>> book.number(d), book.number(describe(Article(key="u", source="b.md", title="T")))
(0, 0)
"""

from __future__ import annotations

import hashlib
import json
import math
from functools import lru_cache
from operator import attrgetter
from typing import Any, NamedTuple

from newsgraph.graph.model import Article

__all__ = [
    "IMAGE_FIELDS",
    "Book",
    "Description",
    "ImageValues",
    "Rank",
    "describe",
    "digest",
    "rank_of",
]

#: How an observation ranks among those of its tier, by content only (never by file name):
#: (published flag: 2 true, 1 unknown, 0 false; latest time, ``updated`` else ``published``;
#: quality, -inf when unknown).  The highest wins; ties go to the description's digest.
Rank = tuple[int, str, float]

_PUBLISHED_RANK = {True: 2, None: 1, False: 0}


def rank_of(article: Article) -> Rank:
    """The :data:`Rank` of an observation: what it says, not where it was read.

    >>> rank_of(Article(key="u", source="a.md", is_published=True, quality=3))
    (2, '', 3.0)
    """
    # Without the "Z", ISO strings sort in time order: "…:00Z" would sort after "…:00.5Z".
    moment = (article.updated or article.published or "").removesuffix("Z")
    quality = article.quality
    return (
        _PUBLISHED_RANK[article.is_published],
        moment,
        float(quality) if quality is not None else -math.inf,
    )


@lru_cache(maxsize=1 << 14)
def digest(description: Description) -> str:
    """A digest of everything a description says: the last, arbitrary but stable, tie-break.

    >>> len(digest(describe(Article(key="u", source="a.md"))))
    32
    """
    return hashlib.blake2b(repr(tuple(description)).encode(), digest_size=16).hexdigest()


#: The fields of an :class:`~newsgraph.graph.model.Image`, in the order an image's values keep them.
IMAGE_FIELDS = ("url", "width", "height", "title", "is_cached", "attribution")
ImageValues = tuple[str, int | None, int | None, str | None, bool | None, str | None]
_IMAGE = attrgetter(*IMAGE_FIELDS)


class Description(NamedTuple):
    """What one observation says about an article, apart from where it was read.

    It is made of plain values only -- ``provider`` is ``(domain, name, logos)`` and each
    image a tuple of the :class:`~newsgraph.graph.model.Image` fields -- and ``extra`` holds each
    unknown field's value as canonical JSON text, so that a description can be a
    dictionary key and travels between processes fast.
    """

    url: str | None
    urls: tuple[str, ...]
    aliases: tuple[str, ...]
    title: str | None
    title_original: str | None
    excerpt: str | None
    excerpt_original: str | None
    published: str | None
    updated: str | None
    type: str | None
    category: str | None
    categories: tuple[str, ...]
    quality: int | float | None
    heat: int | float | None
    is_published: bool | None
    locale: str | None
    secured: str | None
    path: str | None
    provider: tuple[str, str | None, tuple[ImageValues, ...]] | None
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    images: tuple[ImageValues, ...]
    extra: tuple[tuple[str, str], ...]


_DESCRIBE = attrgetter(*Description._fields)
_PROVIDER = Description._fields.index("provider")
_IMAGES = Description._fields.index("images")
_EXTRA = Description._fields.index("extra")
#: Values many descriptions have in common (one provider, one topic list, "article"), which
#: :meth:`Book.number_values` shares between them.
_POOLED = tuple(
    Description._fields.index(name)
    for name in ("type", "category", "categories", "locale", "provider", "topics", "tags")
)


def describe(article: Article) -> Description:
    """The description an article gives, without its location.

    >>> describe(Article(key="u", source="a.md", title="T", extra=(("x", [1]),))).extra
    (('x', '[1]'),)
    """
    values = list(_DESCRIBE(article))
    provider = values[_PROVIDER]
    if provider is not None:
        values[_PROVIDER] = (provider.domain, provider.name, tuple(map(_IMAGE, provider.images)))
    if values[_IMAGES]:
        values[_IMAGES] = tuple(map(_IMAGE, values[_IMAGES]))
    if values[_EXTRA]:
        values[_EXTRA] = tuple((name, _json(value)) for name, value in values[_EXTRA])
    return Description._make(values)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class Book:
    """Distinct descriptions, numbered in the order they were first seen.

    >>> book = Book()
    >>> d = describe(Article(key="u", source="a.md"))
    >>> book.number(d), book.number(d), len(book.descriptions)
    (0, 0, 1)
    """

    __slots__ = ("descriptions", "numbers", "pool")

    def __init__(self) -> None:
        self.descriptions: list[Description] = []
        self.numbers: dict[Description, int] = {}
        self.pool: dict[Any, Any] = {}

    def number(self, description: Description) -> int:
        """The number of ``description``, given a new one if it was not seen before."""
        n = self.numbers.get(description)
        if n is None:
            n = self.numbers[description] = len(self.descriptions)
            self.descriptions.append(description)
        return n

    def number_values(self, values: tuple[Any, ...]) -> int:
        """:meth:`number` of the description with these values (a plain tuple of its fields)."""
        n: int | None = self.numbers.get(values)  # type: ignore[call-overload]  # equal to, and hashed as, a Description
        if n is not None:
            return n
        # Values unpickled from a worker are copies each; one copy of the common ones is kept
        # (the main process peaked at 559 MiB for 30,000 documents without this, 530 with it).
        fields, pool = list(values), self.pool
        for index in _POOLED:
            value = fields[index]
            if value:
                fields[index] = pool.setdefault(value, value)
        return self.number(Description._make(fields))
