"""The pure data model: records read from files, problems, node and edge kinds.

No I/O and no third-party imports live here, so every other layer can depend on it.

Records are frozen dataclasses.  Values are already normalised by the readers:
text is cleaned, timestamps are ISO 8601 strings in UTC (``"2020-06-11T12:58:00Z"``;
a date without a time stays ``"2020-06-11"``), URLs are canonical, and unknown
fields are kept as JSON-compatible values in :attr:`Article.extra`.

>>> node_key(NodeKind.TOPIC, "ai")
'topic:ai'
>>> split_key("article:https://example.org/a")
('article', 'https://example.org/a')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import total_ordering
from operator import attrgetter
from typing import Any

__all__ = [
    "ARTICLE_DATETIME_ATTRIBUTES",
    "ARTICLE_FIELDS",
    "Article",
    "EdgeKind",
    "Image",
    "NodeKind",
    "Problem",
    "Provider",
    "Severity",
    "node_key",
    "split_key",
]


class NodeKind(str, Enum):
    """The kinds of node in a newsgraph graph (the ``kind`` attribute)."""

    ARTICLE = "article"
    PROVIDER = "provider"
    TOPIC = "topic"
    TAG = "tag"
    IMAGE = "image"

    def __str__(self) -> str:
        return self.value


class EdgeKind(str, Enum):
    """The kinds of edge (the ``kind`` attribute and the multigraph edge key)."""

    PUBLISHED_BY = "published_by"  # article -> provider
    ABOUT = "about"  # article -> topic
    TAGGED = "tagged"  # article -> tag
    HAS_IMAGE = "has_image"  # article -> image, provider -> image (logo)
    RELATED_TO = "related_to"  # article -> related article

    def __str__(self) -> str:
        return self.value


#: The fields of an article record that newsgraph reads (others are kept in ``extra``).
ARTICLE_FIELDS = frozenset(
    {
        "category",
        "title",
        "excerpt",
        "publishedDateTime",
        "updatedDateTime",
        "webUrl",
        "ampWebUrl",
        "cdnAmpWebUrl",
        "originalUrl",
        "type",
        "quality",
        "heat",
        "published",
        "locale",
        "categories",
        "provider",
        "topics",
        "tags",
        "images",
        "related",
        "secured",
        "path",
    }
)

#: Article node attributes that hold ISO 8601 timestamps (UTC) or dates.
ARTICLE_DATETIME_ATTRIBUTES = frozenset({"published", "updated"})


def node_key(kind: NodeKind | str, ident: str) -> str:
    """Return the graph key of a node: ``"<kind>:<id>"``.

    >>> node_key("provider", "reuters.com")
    'provider:reuters.com'
    """
    return f"{kind}:{ident}"


def split_key(key: str) -> tuple[str, str]:
    """Split a node key into its kind and id.

    >>> split_key("image:https://x.org/a.jpg")
    ('image', 'https://x.org/a.jpg')
    """
    kind, _, ident = key.partition(":")
    return kind, ident


class Severity(str, Enum):
    """How bad a :class:`Problem` is.

    ``error``: a file or record was skipped because it could not be read.  ``warning``: a
    field was dropped or changed in a way that may matter, or a record that is not an
    article was skipped.  ``info``: a value was repaired and kept (the original is kept too).
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@total_ordering
@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an input, located as precisely as known.

    Problems sort by location; where the line or column is unknown, first.  A problem
    about a value that was changed says the value ``before`` and ``after`` the change
    (``None`` after: it was dropped), with secrets masked.

    >>> p = Problem("a.md", 3, None, "yaml-syntax", "could not parse", Severity.ERROR)
    >>> p.location
    'a.md:3'
    >>> [q.line for q in sorted([p, Problem("a.md", None, None, "unreadable", "gone")])]
    [None, 3]
    """

    path: str
    line: int | None
    column: int | None
    code: str
    message: str
    severity: Severity = Severity.ERROR
    before: str | None = None
    after: str | None = None

    @property
    def location(self) -> str:
        """``path:line:column`` with the parts that are known."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}: {self.message} [{self.code}]"

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._sort_key() < other._sort_key()

    def _sort_key(self) -> tuple[str, bool, int, bool, int, str, str, str, str, str]:
        # None does not compare with int, and problems of one file mix known and unknown lines.
        return (
            self.path,
            self.line is not None,
            self.line or 0,
            self.column is not None,
            self.column or 0,
            self.code,
            self.message,
            self.severity.value,
            self.before or "",
            self.after or "",
        )


@dataclass(frozen=True, slots=True)
class Image:
    """An image of an article, or a provider's logo.  ``url`` is canonical."""

    url: str
    width: int | None = None
    height: int | None = None
    title: str | None = None
    is_cached: bool | None = None
    attribution: str | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """Who published an article.  ``domain`` is lower-case, without ``www.``."""

    domain: str
    name: str | None = None
    images: tuple[Image, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """One article as one file (or one related item) describes it.

    ``key`` is the identity: the canonical ``webUrl``; else the canonical
    ``originalUrl`` (then AMP URL); else ``path:<file>`` (``#<n>`` for the n-th record of a
    file of several), never the document's own ``path`` field.  ``source`` is the file's
    portable name (relative to its input root, prefixed with the root's name).  ``aliases`` are the
    canonical AMP/original URLs that resolve to it.  ``urls`` keeps every URL as
    written in the source.  ``is_stub`` is true for a related item (seen only as a
    link).  ``source``/``line`` say where it was read.

    >>> Article(key="https://x.org/a", source="a.md", title="Hello").label
    'Hello'
    """

    key: str
    source: str
    line: int | None = None
    is_stub: bool = False
    url: str | None = None
    urls: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    title: str | None = None
    title_original: str | None = None
    excerpt: str | None = None
    excerpt_original: str | None = None
    published: str | None = None
    updated: str | None = None
    type: str | None = None
    category: str | None = None
    categories: tuple[str, ...] = ()
    quality: int | float | None = None
    heat: int | float | None = None
    is_published: bool | None = None
    locale: str | None = None
    secured: str | None = None
    path: str | None = None
    provider: Provider | None = None
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    related: tuple[Article, ...] = ()
    extra: tuple[tuple[str, Any], ...] = field(default=())

    @property
    def label(self) -> str:
        """A readable name: the title, else the key."""
        return self.title or self.key

    def located(self, source: str, line: int | None) -> Article:
        """The same description read at another place (faster than ``dataclasses.replace``).

        >>> Article(key="https://x.org/a", source="a.md", line=2).located("b.md", 9).line
        9
        """
        return Article(self.key, source, line, *_AFTER_LINE(self))


_AFTER_LINE = attrgetter(*list(Article.__dataclass_fields__)[3:])
