"""Turn one raw article mapping into an :class:`~newsgraph.graph.model.Article`, reporting what it fixes.

This is the one place where values are normalised (STYLE 3): text is repaired, timestamps
become ISO 8601 in UTC, numbers and flags are typed from their text, URLs are made canonical,
and unknown fields are kept, as JSON-compatible values, in ``Article.extra``.  Values that
cannot be used are dropped with a ``warning`` problem; repairs are ``info`` problems (the
original text is kept on the article).  How single values are read is in
:mod:`~newsgraph.graph.reading.fields`; this module reads the record as a whole.

A record is an article only if it has an absolute http(s) URL (``webUrl``, else
``originalUrl``, ``ampWebUrl``, ``cdnAmpWebUrl``), or else both a title and a provider;
template placeholders are not values.  Other records are reported (``not-an-article``)
and skipped.  An article without a URL is keyed ``path:<file>`` (``path:<file>#<n>`` for
the n-th record of a file of several): by its file and record, never by a folder.

>>> problems = []
>>> a = to_article({"title": "Caf&eacute; opens", "webUrl": "HTTPS://X.example/a#top",
...                 "quality": "7", "topics": ["AI"]}, "f.md", 2, problems)
>>> a.key, a.title, a.title_original, a.quality, a.topics
('https://x.example/a', 'Café opens', 'Caf&eacute; opens', 7, ('AI',))
>>> [p.code for p in problems]
['text-repaired']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from itertools import islice
from typing import Any

from newsgraph.graph.model import ARTICLE_FIELDS, Article, Problem, Severity
from newsgraph.graph.reading.fields import (
    DEFAULT_MAX_LIST_ITEMS,
    Context,
    flag,
    items,
    json_value,
    lower,
    names,
    number,
    repaired,
    text,
    timestamp,
)
from newsgraph.graph.reading.parts import images_of, names_a_provider, provider_of
from newsgraph.graph.reading.safeyaml import LineMap, Plain, resolve_plain
from newsgraph.graph.urls import article_url, is_canonical

__all__ = [
    "DEFAULT_MAX_FIELD_CHARS",
    "DEFAULT_MAX_LIST_ITEMS",
    "DEFAULT_MAX_RELATED",
    "known_related_items",
    "to_article",
]

DEFAULT_MAX_FIELD_CHARS = 100_000
#: The default limit on the related items of one document.
DEFAULT_MAX_RELATED = 1_000

_URL_FIELDS = ("webUrl", "ampWebUrl", "cdnAmpWebUrl", "originalUrl")
_IDENTITY_ORDER = ("webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl")
# Characters a URL may not hold as written: controls are refused (they change what the
# URL is); the rest are percent-encoded, and reported.
_URL_SUSPECT = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f-\x9f]|%(?![0-9A-Fa-f]{2})")
_URL_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_KNOWN = ARTICLE_FIELDS


#: (max field characters, max list items, max related items)
Limits = tuple[int, int, int]


def to_article(
    mapping: Mapping[str, Any],
    path: str,
    line: int | None,
    problems: list[Problem],
    *,
    is_stub: bool = False,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
    max_related: int = DEFAULT_MAX_RELATED,
    where: str = "",
    position: int | None = None,
) -> Article | None:
    """Normalise one article mapping; ``None`` (with a problem) if it is not an article.

    ``position`` is the article's 1-based place in a file of several (None in a file of one):
    it keeps the fallback identity ``path:<file>#<position>`` unique.
    """
    limits = (max_field_chars, max_list_items, max_related)
    if is_stub:
        return _stub(mapping, path, line, problems, limits, where)
    return _article(mapping, path, line, problems, False, limits, where, position)


# Related items are copied from file to file: in the shared corpus each article comes back
# as a related item of ~29 others, always written the same way.  A related item that was
# normalised without a single problem is remembered by its exact YAML text (or, for JSON, a
# hashable copy of its values) and only relocated when it comes again: a hit costs ~2 µs, a
# miss ~40 µs.  Items with problems are normalised every time, so each occurrence is reported
# with its own line.  The memo is per process and least-recently-used: a hit moves the item
# to the end, and when the memo is full the oldest quarter goes, between documents only (in
# ``known_related_items``), so what was known when a document was parsed stays known while it
# is normalised.  (Emptying it whole when full, as it once did, lost the items that come back
# most: on a million documents, where a worker meets ~1.1 million distinct items, the read
# cost 1.6 times what it costs on 100,000.)
_STUB_MEMO: dict[tuple[Any, ...], Article] = {}
_STUB_MEMO_SIZE = 1 << 18


def known_related_items(
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    max_list_items: int = DEFAULT_MAX_LIST_ITEMS,
    max_related: int = DEFAULT_MAX_RELATED,
) -> Callable[[tuple[int, str]], bool]:
    """Whether a related item's YAML text (column and text) was normalised before.

    Call it once a document, before parsing it: it makes room in the memo when it is full.
    What it tells is for :mod:`newsgraph.graph.reading.repeats`, which then leaves those items unparsed.
    """
    if len(_STUB_MEMO) >= _STUB_MEMO_SIZE:
        for key in list(islice(_STUB_MEMO, _STUB_MEMO_SIZE // 4)):
            del _STUB_MEMO[key]
    memo, limits = _STUB_MEMO, (max_field_chars, max_list_items, max_related)
    return lambda source: (limits, source) in memo


def _stub(
    mapping: Mapping[str, Any],
    path: str,
    line: int | None,
    problems: list[Problem],
    limits: Limits,
    where: str,
) -> Article | None:
    try:
        source = mapping.source_text() if type(mapping) is LineMap else None
        key = (limits, source if source is not None else _frozen(mapping))
    except TypeError:  # a value that is not plain data (only from callers other than readers)
        return _article(mapping, path, line, problems, True, limits, where, None)
    known = _STUB_MEMO.pop(key, None)
    if known is not None:
        _STUB_MEMO[key] = known  # to the end: the most recently used
        return known.located(path, line)
    found = len(problems)
    article = _article(mapping, path, line, problems, True, limits, where, None)
    if (
        article is not None
        and len(problems) == found
        and not article.related
        and len(_STUB_MEMO) < 2 * _STUB_MEMO_SIZE  # bounded for callers that never make room
    ):
        _STUB_MEMO[key] = article
    return article


def _frozen(value: Any) -> Any:
    """A hashable copy of a parsed value; plain scalars stay apart from quoted ones."""
    kind = type(value)
    if kind is str:
        return value
    if kind is Plain:
        return (Plain, str(value))
    if kind is list:
        return (list, *map(_frozen, value))
    if isinstance(value, Mapping):
        return (dict, *[(k, _frozen(v)) for k, v in value.items()])
    hash(value)  # raises TypeError for anything unhashable
    return (kind, value)


def _article(
    mapping: Mapping[str, Any],
    path: str,
    line: int | None,
    problems: list[Problem],
    is_stub: bool,
    limits: Limits,
    where: str,
    position: int | None,
) -> Article | None:
    ctx = Context(mapping, path, line, problems, limits[0], where, limits[1])
    get = mapping.get
    raw_urls: list[str] = []
    canonical: dict[str, str] = {}
    for name in _URL_FIELDS:
        found = _url(ctx, name, get(name))
        if found is not None:
            raw_urls.append(found[0])
            canonical[name] = found[1]
    # Identity: the webUrl; else another URL of the article (an AMP URL resolves to the
    # webUrl of the document that declares it as an alias, when the graph is assembled).
    url = next((canonical[n] for n in _IDENTITY_ORDER if n in canonical), None)
    title, title_original = repaired(ctx, "title", get("title"))
    provider = provider_of(
        ctx, get("provider"), canonical.get("webUrl") or canonical.get("originalUrl")
    )
    key = url
    if key is None:
        if is_stub:
            ctx.report("webUrl", "missing-identity", "related item has no usable URL; skipped")
            return None
        if not (title and (provider is not None or names_a_provider(get("provider")))):
            ctx.report(
                "record",
                "not-an-article",
                "no http(s) URL, and not both a title and a provider: not an article; skipped",
            )
            return None
        key = "path:" + (f"{path}#{position}" if position else path)
        ctx.report("webUrl", "no-url", f"no URL; identified by its file as {key!r}", Severity.INFO)
    elif not is_stub and "webUrl" not in canonical:
        ctx.report(
            "webUrl", "no-web-url", "no webUrl; identified by another URL", Severity.INFO, after=url
        )
    aliases = tuple(sorted({u for u in canonical.values() if u != key}))
    excerpt, excerpt_original = repaired(ctx, "excerpt", get("excerpt"))
    related: list[Article] = []
    for index, item in enumerate(items(ctx, "related", get("related"), limits[2])):
        if not isinstance(item, Mapping):
            ctx.report("related", "not-a-mapping", f"item {index + 1} is not a mapping; skipped")
            continue
        stub = _stub(
            item,
            path,
            getattr(item, "line", None) or ctx.lines.get("related"),
            problems,
            limits,
            f"{where}related[{index + 1}].",
        )
        if stub is not None:
            related.append(stub)
    extra = tuple(
        (name, value)
        for name, value in (
            (n, json_value(ctx, n, v)) for n, v in mapping.items() if n not in _KNOWN
        )
        if value is not None
    )
    for name, _ in extra:
        if not isinstance(resolve_plain(Plain(name)), str):  # 1:, true:, null: as keys
            ctx.report(name, "key-not-text", "a key that is not text; kept as text", Severity.INFO)
    return Article(
        key=key,
        source=path,
        line=line,
        is_stub=is_stub,
        url=url,
        urls=tuple(dict.fromkeys(raw_urls)),
        aliases=aliases,
        title=title,
        title_original=title_original,
        excerpt=excerpt,
        excerpt_original=excerpt_original,
        published=timestamp(ctx, "publishedDateTime", get("publishedDateTime")),
        updated=timestamp(ctx, "updatedDateTime", get("updatedDateTime")),
        type=lower(text(ctx, "type", get("type"))),
        category=text(ctx, "category", get("category")),
        categories=names(ctx, "categories", get("categories")),
        quality=number(ctx, "quality", get("quality")),
        heat=number(ctx, "heat", get("heat")),
        is_published=flag(ctx, "published", get("published")),
        locale=lower(text(ctx, "locale", get("locale"))),
        secured=text(ctx, "secured", get("secured"), repair=False, exact=True),
        path=text(ctx, "path", get("path"), repair=False, exact=True),
        provider=provider,
        topics=names(ctx, "topics", get("topics")),
        tags=names(ctx, "tags", get("tags")),
        images=images_of(ctx, "images", get("images")),
        related=tuple(related),
        extra=extra,
    )


def _url(ctx: Context, name: str, value: Any) -> tuple[str, str] | None:
    """The URL as written and its canonical form; None (reported) if it cannot be used."""
    raw = text(ctx, name, value, repair=False)
    if raw is None:
        return None
    if is_canonical(raw):  # most URLs: nothing to check, nothing to change
        return raw, raw
    suspect = _URL_SUSPECT.search(raw) is not None  # one look for the common, clean case
    if suspect and _URL_CONTROL.search(raw):  # deleting them would change which article this is
        ctx.report(name, "url-control-chars", "control characters in a URL; dropped", before=raw)
        return None
    url = article_url(raw)
    if url is None:
        ctx.report(name, "bad-url", "not an absolute http(s) URL; dropped", before=raw)
        return None
    if suspect:
        ctx.report(
            name,
            "url-repaired",
            "characters a URL may not hold percent-encoded",
            Severity.INFO,
            before=raw,
            after=url,
        )
    return raw, url
