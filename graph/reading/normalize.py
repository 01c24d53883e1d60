"""Turn one raw article mapping into an :class:`~newsgraph.graph.model.Article`, reporting what it fixes.

This is the one place where values are normalised (STYLE 3): text is repaired, timestamps
become ISO 8601 in UTC, numbers and flags are typed from their text, URLs are made canonical,
and unknown fields are kept, as JSON-compatible values, in ``Article.extra``.  Values that
cannot be used are dropped with a ``warning`` problem; repairs are ``info`` problems (the
original text is kept on the article).

>>> problems = []
>>> a = to_article({"title": "Caf&eacute; opens", "webUrl": "HTTPS://X.example/a#top",
...                 "quality": "7", "topics": ["AI"]}, "f.md", 2, problems)
>>> a.key, a.title, a.title_original, a.quality, a.topics
('https://x.example/a', 'Café opens', 'Caf&eacute; opens', 7, ('AI',))
>>> [p.code for p in problems]
['text-repaired']
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newsgraph.graph.model import Article, Image, Problem, Provider, Severity
from newsgraph.graph.reading.safeyaml import LineMap, Plain, resolve_plain
from newsgraph.graph.text import clean_text
from newsgraph.graph.urls import canonical_url, host_of, provider_domain, registrable_domain

__all__ = ["DEFAULT_MAX_FIELD_CHARS", "known_related_items", "to_article"]

DEFAULT_MAX_FIELD_CHARS = 100_000

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_TRUTHY = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}
_NULL_TEXT = frozenset({"", "~", "null", "none"})
_PLAIN_NULL = frozenset({"", "~", "null", "Null", "NULL"})

# The same related article comes back in many files with the same URLs and text, so the
# costly pure functions are memoised per worker process.
_canonical_url = lru_cache(maxsize=1 << 17)(canonical_url)
_clean_text = lru_cache(maxsize=1 << 16)(clean_text)
_provider_domain = lru_cache(maxsize=1 << 14)(provider_domain)
_URL_FIELDS = ("webUrl", "ampWebUrl", "cdnAmpWebUrl", "originalUrl")
_IDENTITY_ORDER = ("webUrl", "originalUrl", "ampWebUrl", "cdnAmpWebUrl")
_KNOWN = frozenset(
    {
        "category",
        "title",
        "excerpt",
        "publishedDateTime",
        "updatedDateTime",
        *_URL_FIELDS,
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


class _Context:
    """Where the mapping came from, and where its problems go."""

    __slots__ = ("lines", "max_chars", "path", "problems", "where")

    def __init__(
        self,
        mapping: Mapping[str, Any],
        path: str,
        line: int | None,
        problems: list[Problem],
        max_chars: int,
        where: str,
    ) -> None:
        self.path, self.problems, self.max_chars, self.where = path, problems, max_chars, where
        self.lines: dict[str, int] = getattr(mapping, "lines", {})
        self.lines.setdefault("", line or 0)

    def report(
        self, field: str, code: str, message: str, severity: Severity = Severity.WARNING
    ) -> None:
        line = self.lines.get(field) or self.lines[""] or None
        self.problems.append(
            Problem(self.path, line, None, code, f"{self.where}{field}: {message}", severity)
        )


def to_article(
    mapping: Mapping[str, Any],
    path: str,
    line: int | None,
    problems: list[Problem],
    *,
    is_stub: bool = False,
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
    where: str = "",
    position: int | None = None,
) -> Article | None:
    """Normalise one article mapping; ``None`` (with an error problem) if it has no identity.

    ``position`` is the article's 1-based place in a file of several (None in a file of one):
    it keeps the fallback identity ``path:<file>#<position>`` unique.
    """
    if is_stub:
        return _stub(mapping, path, line, problems, max_field_chars, where)
    return _article(mapping, path, line, problems, is_stub, max_field_chars, where, position)


# Related items are copied from file to file: in the shared corpus each article comes back
# as a related item of ~29 others, always written the same way.  A related item that was
# normalised without a single problem is remembered by its exact YAML text (or, for JSON, a
# hashable copy of its values) and only relocated when it comes again: a hit costs ~2 µs, a
# miss ~40 µs.  Items with problems are normalised every time, so each occurrence is reported
# with its own line.  The memo is per process; it is emptied when full, between documents
# only (by ``known_related_items``), so what was known when a document was parsed stays known
# while it is normalised.
_STUB_MEMO: dict[tuple[Any, ...], Article] = {}
_STUB_MEMO_SIZE = 1 << 18


def known_related_items(
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS,
) -> Callable[[tuple[int, str]], bool]:
    """Whether a related item's YAML text (column and text) was normalised before.

    Call it once a document, before parsing it: it makes room in the memo when it is full.
    What it tells is for :mod:`newsgraph.graph.reading.repeats`, which then leaves those items unparsed.
    """
    if len(_STUB_MEMO) >= _STUB_MEMO_SIZE:
        _STUB_MEMO.clear()
    memo = _STUB_MEMO
    return lambda source: (max_field_chars, source) in memo


def _stub(
    mapping: Mapping[str, Any],
    path: str,
    line: int | None,
    problems: list[Problem],
    max_field_chars: int,
    where: str,
) -> Article | None:
    try:
        source = mapping.source_text() if type(mapping) is LineMap else None
        key = (max_field_chars, source if source is not None else _frozen(mapping))
    except TypeError:  # a value that is not plain data (only from callers other than readers)
        return _article(mapping, path, line, problems, True, max_field_chars, where, None)
    known = _STUB_MEMO.get(key)
    if known is not None:
        return known.located(path, line)
    found = len(problems)
    article = _article(mapping, path, line, problems, True, max_field_chars, where, None)
    if (
        article is not None
        and len(problems) == found
        and not article.related
        and len(_STUB_MEMO) < _STUB_MEMO_SIZE
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
    max_field_chars: int,
    where: str,
    position: int | None,
) -> Article | None:
    ctx = _Context(mapping, path, line, problems, max_field_chars, where)
    get = mapping.get
    raw_urls: list[str] = []
    canonical: dict[str, str] = {}
    for name in _URL_FIELDS:
        value = _text(ctx, name, get(name), repair=False)
        if value is None:
            continue
        url = _canonical_url(value)
        if url is None:
            ctx.report(name, "bad-url", f"not an absolute http(s) URL: {value[:120]!r}")
            continue
        raw_urls.append(value)
        canonical[name] = url
    doc_path = _text(ctx, "path", get("path"), repair=False, exact=True)
    # Identity: the webUrl; else another URL of the article (an AMP URL resolves to the
    # webUrl of the document that declares it as an alias, when the graph is assembled).
    url = next((canonical[n] for n in _IDENTITY_ORDER if n in canonical), None)
    key = url
    if key is None:
        if is_stub:
            ctx.report("webUrl", "missing-identity", "related item has no usable URL; skipped")
            return None
        key = "path:" + (doc_path or (f"{path}#{position}" if position else path))
    aliases = tuple(sorted({u for u in canonical.values() if u != key}))
    title, title_original = _repaired(ctx, "title", get("title"))
    excerpt, excerpt_original = _repaired(ctx, "excerpt", get("excerpt"))
    related: list[Article] = []
    for index, item in enumerate(_list(ctx, "related", get("related"))):
        if not isinstance(item, Mapping):
            ctx.report("related", "not-a-mapping", f"item {index + 1} is not a mapping; skipped")
            continue
        stub = to_article(
            item,
            path,
            getattr(item, "line", None) or ctx.lines.get("related"),
            problems,
            is_stub=True,
            max_field_chars=max_field_chars,
            where=f"{where}related[{index + 1}].",
        )
        if stub is not None:
            related.append(stub)
    extra = tuple(
        (name, value)
        for name, value in (
            (n, _json_value(ctx, n, v)) for n, v in mapping.items() if n not in _KNOWN
        )
        if value is not None
    )
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
        published=_timestamp(ctx, "publishedDateTime", get("publishedDateTime")),
        updated=_timestamp(ctx, "updatedDateTime", get("updatedDateTime")),
        type=_lower(_text(ctx, "type", get("type"))),
        category=_text(ctx, "category", get("category")),
        categories=_names(ctx, "categories", get("categories")),
        quality=_number(ctx, "quality", get("quality")),
        heat=_number(ctx, "heat", get("heat")),
        is_published=_flag(ctx, "published", get("published")),
        locale=_lower(_text(ctx, "locale", get("locale"))),
        secured=_text(ctx, "secured", get("secured"), repair=False, exact=True),
        path=doc_path,
        provider=_provider(
            ctx, get("provider"), canonical.get("webUrl") or canonical.get("originalUrl")
        ),
        topics=_names(ctx, "topics", get("topics")),
        tags=_names(ctx, "tags", get("tags")),
        images=_images(ctx, "images", get("images")),
        related=tuple(related),
        extra=extra,
    )


def _is_null(value: Any) -> bool:
    return value is None or (type(value) is Plain and value in _PLAIN_NULL)


def _text(
    ctx: _Context, name: str, value: Any, *, repair: bool = True, exact: bool = False
) -> str | None:
    """A text field; ``exact`` keeps opaque values (ids, ``secured``) as written."""
    if value is None:
        return None
    kind = type(value)
    if (kind is str or kind is Plain) and 0 < len(value) <= ctx.max_chars and not repair:
        if exact:
            return str(value)
        text = value.strip()
        return str(text) if text else None
    if _is_null(value):
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        ctx.report(name, "bad-type", f"expected text, got {type(value).__name__}; dropped")
        return None
    if len(value) > ctx.max_chars:
        ctx.report(
            name, "field-too-large", f"{len(value)} characters (limit {ctx.max_chars}); dropped"
        )
        return None
    text = str(value)
    if exact:
        return text
    if repair:
        text, _ = _clean_text(text)
    else:
        text = text.strip()
    return text or None


def _repaired(ctx: _Context, name: str, value: Any) -> tuple[str | None, str | None]:
    """Clean a title/excerpt; returns the text and the original when it changed."""
    raw = _text(ctx, name, value, repair=False, exact=True)
    if raw is None:
        return None, None
    text, repairs = _clean_text(raw)
    significant = [r for r in repairs if r != "whitespace"]
    if significant:
        ctx.report(
            name, "text-repaired", "repaired (" + ", ".join(significant) + ")", Severity.INFO
        )
        return text or None, raw
    return text or None, None


def _lower(value: str | None) -> str | None:
    return value.lower() if value else value


def _timestamp(ctx: _Context, name: str, value: Any) -> str | None:
    """ISO 8601 in UTC from the text (offset honoured); a bare date stays a date."""
    if _is_null(value):
        return None
    text = str(value).strip()
    try:
        if _UTC_SECONDS.fullmatch(text):  # already as written here: only check it is a time
            datetime.fromisoformat(text)
            return text
        if _DATE_ONLY.fullmatch(text):
            return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        ctx.report(name, "bad-timestamp", f"not an ISO 8601 timestamp: {text[:60]!r}; dropped")
        return None
    if moment.tzinfo is None:  # YAML 1.1 reads a timestamp without offset as UTC
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    return moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"


def _number(ctx: _Context, name: str, value: Any) -> int | float | None:
    if _is_null(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        ctx.report(name, "bad-number", f"expected a number, got {type(value).__name__}; dropped")
        return None
    if isinstance(value, str):
        text = value.strip()
        if text.isdigit():
            return int(text)
        if text.lower() in _NULL_TEXT:
            return None
        if not _NUMBER.fullmatch(text):
            ctx.report(name, "bad-number", f"not a number: {text[:40]!r}; dropped")
            return None
        value = float(text)
    if not math.isfinite(value):
        ctx.report(name, "bad-number", "not a finite number; dropped")
        return None
    return int(value) if float(value).is_integer() else float(value)


def _flag(ctx: _Context, name: str, value: Any) -> bool | None:
    if _is_null(value) or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    flag = _TRUTHY.get(str(value).strip().lower())
    if flag is None:
        ctx.report(name, "bad-boolean", f"not true/false: {str(value)[:40]!r}; dropped")
    return flag


def _list(ctx: _Context, name: str, value: Any) -> list[Any]:
    if _is_null(value):
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, (str, Mapping)):
        return [value]  # a single item where a list was meant
    ctx.report(name, "bad-type", f"expected a list, got {type(value).__name__}; dropped")
    return []


def _names(ctx: _Context, name: str, value: Any) -> tuple[str, ...]:
    """Topics, tags, categories: cleaned, non-empty, first spelling order kept."""
    names: dict[str, None] = {}
    for item in _list(ctx, name, value):
        text = _text(ctx, name, item)
        if text:
            names[text] = None
    return tuple(names)


def _int(ctx: _Context, name: str, value: Any) -> int | None:
    number = _number(ctx, name, value)
    return int(number) if number is not None else None


def _images(ctx: _Context, name: str, value: Any) -> tuple[Image, ...]:
    images: dict[str, Image] = {}
    for item in _list(ctx, name, value):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, Mapping):
            ctx.report(name, "not-a-mapping", "image is not a mapping; skipped")
            continue
        raw = _text(ctx, name, item.get("url"), repair=False)
        url = _canonical_url(raw) if raw else None
        if url is None:
            ctx.report(
                name, "bad-url", f"image without a usable URL ({(raw or '')[:120]!r}); skipped"
            )
            continue
        images.setdefault(
            url,
            Image(
                url=url,
                width=_int(ctx, name, item.get("width")),
                height=_int(ctx, name, item.get("height")),
                title=_text(ctx, name, item.get("title")),
                is_cached=_flag(ctx, name, item.get("isCached")),
                attribution=_text(ctx, name, item.get("attribution")),
            ),
        )
    return tuple(images.values())


def _provider(ctx: _Context, value: Any, url: str | None) -> Provider | None:
    if _is_null(value):
        return None
    if isinstance(value, str):
        value = {"name": value}
    if not isinstance(value, Mapping):
        ctx.report("provider", "bad-type", "provider is not a mapping; dropped")
        return None
    name = _text(ctx, "provider", value.get("name"))
    raw_domain = _text(ctx, "provider", value.get("domain"), repair=False)
    domain = _provider_domain(raw_domain) if raw_domain else None
    if raw_domain and domain is None:
        ctx.report("provider", "bad-domain", f"not a domain: {raw_domain[:80]!r}; using the URL's")
    if domain is None and url is not None:  # DESIGN §3: else the article host's domain
        host = host_of(url)
        domain = registrable_domain(host) if host else None
    if domain is None:
        ctx.report(
            "provider", "missing-domain", "provider has no domain and the article no URL; dropped"
        )
        return None
    return Provider(domain=domain, name=name, images=_images(ctx, "provider", value.get("images")))


def _json_value(ctx: _Context, name: str, value: Any) -> Any:
    """An unknown field as a JSON-compatible value (plain scalars typed by the core schema)."""
    if isinstance(value, str):
        if len(value) > ctx.max_chars:
            ctx.report(name, "field-too-large", f"{len(value)} characters; dropped")
            return None
        return resolve_plain(value) if type(value) is Plain else value
    if isinstance(value, list):
        return [_json_value(ctx, name, v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _json_value(ctx, name, v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
