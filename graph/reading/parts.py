"""A record's provider and images: the parts :mod:`~newsgraph.graph.reading.normalize` reads
into :class:`~newsgraph.graph.model.Provider` and :class:`~newsgraph.graph.model.Image`.

>>> from newsgraph.graph.reading.fields import Context
>>> problems = []
>>> ctx = Context({}, "f.md", 2, problems, 1000, "", 100)
>>> provider_of(ctx, {"name": "X News", "domain": "x.example/news"}, None)
Provider(domain='x.example', name='X News', images=())
>>> [p.code for p in problems]
['domain-repaired']
>>> [i.url for i in images_of(ctx, "images", ["https://x.example/a.jpg"])]
['https://x.example/a.jpg']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from newsgraph.graph.model import Image, Provider, Severity
from newsgraph.graph.reading.fields import Context, flag, integer, is_null, items, text
from newsgraph.graph.reading.safeyaml import LineMap
from newsgraph.graph.urls import (
    canonical_url,
    host_of,
    is_canonical,
    provider_domain,
    registrable_domain,
)

__all__ = ["images_of", "names_a_provider", "provider_of"]

# Few domains, asked about in every article.
_provider_domain = lru_cache(maxsize=1 << 14)(provider_domain)
# A provider "name" that is a link or a path: a scheme, "www.", a leading "/", or a
# domain followed by a path.
_URL_LIKE = re.compile(r"[a-z][a-z0-9+.-]*://|www\.|/|[\w-]+(?:\.[\w-]+)+/", re.IGNORECASE)


def names_a_provider(provider: Any) -> bool:
    """Whether a provider value gives a name (a provider without a domain still names one)."""
    name = provider.get("name") if isinstance(provider, Mapping) else provider
    return isinstance(name, str) and bool(name.strip()) and "{" not in name and not is_null(name)


def _part(ctx: Context, name: str, value: Mapping[str, Any], index: int | None = None) -> Context:
    """The context of a mapping inside a record (a provider, an image): its own lines."""
    line = getattr(value, "line", None) or ctx.lines.get(name)
    where = f"{ctx.where}{name}" + (f"[{index + 1}]." if index is not None else ".")
    return Context(value, ctx.path, line, ctx.problems, ctx.max_chars, where, ctx.max_items)


def images_of(ctx: Context, name: str, value: Any) -> tuple[Image, ...]:
    images: dict[str, Image] = {}
    for index, item in enumerate(items(ctx, name, value)):
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, Mapping):
            ctx.report(name, "not-a-mapping", f"image {index + 1} is not a mapping; skipped")
            continue
        part = _part(ctx, name, item, index)
        raw = text(part, "url", item.get("url"), repair=False)
        url = (raw if is_canonical(raw) else canonical_url(raw)) if raw else None
        if url is None:
            part.report("url", "bad-url", "image without a usable URL; skipped", before=raw)
            continue
        images.setdefault(
            url,
            Image(
                url=url,
                width=integer(part, "width", item.get("width")),
                height=integer(part, "height", item.get("height")),
                title=text(part, "title", item.get("title")),
                is_cached=flag(part, "isCached", item.get("isCached")),
                attribution=text(part, "attribution", item.get("attribution")),
            ),
        )
    return tuple(images.values())


# A provider is written the same way in every article of its feed: one normalised without a
# problem is remembered by its YAML text and the article URL's host (its domain may fall
# back on it), as related items are.  Per process; emptied when full (a corpus has few).
_PROVIDER_MEMO: dict[tuple[Any, ...], Provider] = {}
_PROVIDER_MEMO_SIZE = 1 << 14


def provider_of(ctx: Context, value: Any, url: str | None) -> Provider | None:
    if type(value) is not LineMap:
        return _new_provider(ctx, value, url)
    source = value.source_text()
    host = url.split("/", 3)[2] if url else None  # canonical: scheme://authority/...
    key = (ctx.max_chars, ctx.max_items, source, host)
    known = _PROVIDER_MEMO.get(key)
    if known is not None:
        return known
    found = len(ctx.problems)
    provider = _new_provider(ctx, value, url)
    if provider is not None and source is not None and len(ctx.problems) == found:
        if len(_PROVIDER_MEMO) >= _PROVIDER_MEMO_SIZE:
            _PROVIDER_MEMO.clear()
        _PROVIDER_MEMO[key] = provider
    return provider


def _new_provider(ctx: Context, value: Any, url: str | None) -> Provider | None:
    if is_null(value):
        return None
    if isinstance(value, str):
        ctx.report(
            "provider",
            "scalar-provider",
            "a name where a mapping is expected; taken as the name",
            Severity.INFO,
            before=value,
        )
        value = {"name": value}
    if not isinstance(value, Mapping):
        ctx.report("provider", "bad-type", "provider is not a mapping; dropped")
        return None
    part = _part(ctx, "provider", value)
    name = text(part, "name", value.get("name"))
    if name is not None and _URL_LIKE.match(name):  # a link is not a label
        part.report(
            "name", "provider-name-url", "a URL or a path, not a name; dropped", before=name
        )
        name = None
    raw_domain = text(part, "domain", value.get("domain"), repair=False)
    domain = _provider_domain(raw_domain) if raw_domain else None
    if raw_domain and domain is None:
        part.report("domain", "bad-domain", "not a domain; using the URL's", before=raw_domain)
    elif raw_domain and domain != raw_domain.lower().rstrip(".").removeprefix("www."):
        part.report(
            "domain",
            "domain-repaired",
            "reduced to a domain",
            Severity.INFO,
            before=raw_domain,
            after=domain,
        )
    if domain is None and url is not None:  # DESIGN §3: else the article host's domain
        host = host_of(url)
        domain = registrable_domain(host) if host else None
    if domain is None:
        ctx.report(
            "provider", "missing-domain", "provider has no domain and the article no URL; dropped"
        )
        return None
    return Provider(domain=domain, name=name, images=images_of(part, "images", value.get("images")))
