"""URL identity: canonical article URLs, provider domains and registrable domains.

:func:`canonical_url` is the article key (DESIGN §3): lower-case scheme and host, host
in punycode without a trailing dot, no default port, no fragment, no tracking
parameters (:data:`TRACKING_PARAMETERS`), percent-encoding normalised, dot segments
removed, HTML-escaped ampersands decoded, AMP cache and Google AMP viewer wrappers
unwrapped.  It is idempotent, and its result always passes :func:`is_safe_iri`.

Not supported: schemes other than http and https, URLs with credentials, relative or
scheme-relative URLs (``//x.org/a``), IPv6 zone identifiers, and percent-encoded or
dotted-integer hosts.  Paths keep their case and trailing slash, and query
parameters keep their order, because servers may tell those apart.

>>> canonical_url("HTTPS://www-x-com.cdn.ampproject.org/c/s/www.x.com/p?utm_source=t&id=1#top")
'https://www.x.com/p?id=1'
>>> provider_domain("https://www.Reuters.com/")
'reuters.com'
>>> registrable_domain("https://in.reuters.com/article/a")
'reuters.com'
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import Final
from urllib.parse import quote, urlsplit

import idna
from publicsuffixlist import PublicSuffixList

__all__ = [
    "REFERRAL_PARAMETERS",
    "TRACKING_PARAMETERS",
    "article_url",
    "canonical_url",
    "host_of",
    "identity_form",
    "is_canonical",
    "is_safe_iri",
    "mask_credentials",
    "provider_domain",
    "registrable_domain",
]

#: Query parameters that only track the reader, compared case-insensitively;
#: a name ending in ``*`` is a prefix.
# fmt: off
TRACKING_PARAMETERS: Final = frozenset({
    "utm_*", "ns_*", "_hs*", "__hs*", "fb_*",  # Google Analytics, comScore, HubSpot, Facebook
    "fbclid", "gclid", "gbraid", "wbraid", "dclid", "msclkid", "yclid", "twclid", "ttclid",
    "igshid", "li_fat_id", "ocid", "ncid", "cmpid", "icid", "smid", "xtor", "mc_cid", "mc_eid",
    "_ga", "_gl", "spm", "mkt_tok", "elqtrack", "elqtrackid", "oly_anon_id", "oly_enc_id",
    "vero_id", "vero_conv", "rb_clickid", "s_cid", "sr_share", "soc_src", "soc_trk", "ref_src",
    "__twitter_impression", "guccounter", "guce_referrer", "guce_referrer_sig",
    "amp_js_v", "amp_gsa", "amp_tf", "amp_ct", "ampshare", "usqp",  # added by AMP caches
})
# fmt: on

#: Query parameters that only say where a click on an article link came from.  They are
#: dropped from article URLs (:func:`article_url`), never from image URLs, where an image
#: proxy may need ``src`` or ``source``.  Curated from what news aggregators' links carry;
#: compared case-insensitively (``feedType``).  Parameters that name the content (``id``,
#: ``p``, ``v``, ``page``, ``amp``, ...) are kept.
# fmt: off
REFERRAL_PARAMETERS: Final = frozenset({
    "mod", "ref", "referrer", "referer", "partner", "mid", "source", "src", "feedtype",
    "feedname", "rss", "taid", "cmp", "intcmp", "ito", "sharetype", "share_source", "fromrss",
    "itm_*",  # a site's own campaign tags, as utm_* are Google's
})
# fmt: on

_REFERRAL_NAMES: Final = frozenset(name for name in REFERRAL_PARAMETERS if name[-1] != "*")
_REFERRAL_PREFIXES: Final = tuple(name[:-1] for name in REFERRAL_PARAMETERS if name[-1] == "*")

_TRACKING_NAMES: Final = frozenset(name for name in TRACKING_PARAMETERS if name[-1] != "*")
_TRACKING_PREFIXES: Final = tuple(name[:-1] for name in TRACKING_PARAMETERS if name[-1] == "*")

_DEFAULT_PORTS: Final = {"http": 80, "https": 443}
_UNRESERVED: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

# A character outside the RFC 3986 set of its component, or a "%": both need work.
_PATH_WORK: Final = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/]")
_QUERY_WORK: Final = re.compile(r"[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]")
_PATH_FIX: Final = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]+|%")
_QUERY_FIX: Final = re.compile(r"%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]+|%")

# Most URLs are already lower-case, ASCII and without port or credentials; this
# reads them about five times faster than urlsplit, which handles the rest.
_SIMPLE_URL: Final = re.compile(
    r"(https?)://((?:[a-z0-9-]+\.)+[a-z0-9-]+)"
    r"(/[!-\"$->@-~]*)?"  # printable ASCII but "#" and "?"
    r"(?:\?([!-\"$-~]*))?"  # printable ASCII but "#"
    r"(?:#.*)?",
    re.DOTALL,
)
_ESCAPED_AMPERSAND: Final = re.compile(r"&(?:amp|#0*38|#x0*26);", re.IGNORECASE)
_ASCII_HOST: Final = re.compile(r"(?:[a-z0-9_-]+\.)*[a-z0-9_-]+")
_IPV4: Final = re.compile(r"[0-9]+(?:\.[0-9]+){3}")
# The wrapped URL starts with its host, which has a dot (so "s/" cannot be mistaken for it).
_AMP_CACHE_PATH: Final = re.compile(r"/(?:c|v|i|r|wp)/(s/)?([^/]*\.[^/]*(?:/.*)?)", re.DOTALL)
_AMP_VIEWER_PATH: Final = re.compile(r"/amp/(s/)?([^/]*\.[^/]*(?:/.*)?)", re.DOTALL)
_AMP_VIEWER_HOSTS: Final = frozenset({"www.google.com", "google.com"})

# RDF serialisers reject these in an IRI (the N-Triples IRIREF exclusions), XML
# rejects surrogates and U+FFFE/U+FFFF, and C1 controls are never meant.
_SAFE_IRI: Final = re.compile(
    r"[hH][tT][tT][pP][sS]?://"
    r"[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufffe\uffff@/?#:]"
    r"[^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufffe\uffff@/?#]*"
    r"(?:[/?#][^\x00-\x20<>\"{}|\\^`\x7f-\x9f\ud800-\udfff\ufffe\uffff]*)?"
)


def canonical_url(url: str) -> str | None:
    """Return the canonical form of an http(s) URL, or None if ``url`` is not one.

    >>> canonical_url(" http://Example.COM:80/a/./b/../c%7e?fbclid=1&q=%e2%9c%93 ")
    'http://example.com/a/c~?q=%E2%9C%93'
    >>> canonical_url("https://i0.wp.com/x.org/a.jpg?fit=1024%2C625&#038;ssl=1")
    'https://i0.wp.com/x.org/a.jpg?fit=1024%2C625&ssl=1'
    >>> canonical_url("mailto:someone@example.org") is None
    True
    """
    return _canonical_url(url)


# Cached because feeds repeat URLs: related lists are copied into many files, and 97%
# of the URLs in the shared corpus are repeats.  A hit takes ~0.1 µs, a miss ~5 µs.
@lru_cache(maxsize=1 << 17)
def _canonical_url(url: str) -> str | None:
    text = url.strip()
    if "&" in text:
        text = _ESCAPED_AMPERSAND.sub("&", text)
    try:
        split = _split(text)
        if split is None:
            return None
        scheme, host, port, path, query = split
        path = _fix_escapes(path, _PATH_WORK, _PATH_FIX)
        # Unwrapped after the escapes are fixed and before dot segments are removed, so
        # that the result does not depend on how the wrapped URL was escaped.
        unwrapped = _unwrap_amp(host, path, query)
        if unwrapped is not None:
            return unwrapped
        if "/." in path:
            path = _remove_dot_segments(path)
        query = _normalise_query(query) if query else ""
    except (ValueError, UnicodeError):  # a malformed port or IPv6 host; a lone surrogate
        return None
    authority = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = path or "/"
    return f"{scheme}://{authority}{path}?{query}" if query else f"{scheme}://{authority}{path}"


# A URL that is its own canonical form, told by one look: http(s), a lower-case ASCII host
# without a port, a path only of characters that stay as they are (no "%", no "&", which may
# be an escaped "&amp;"), no query and no fragment.  Most article and image URLs are so.
_AS_IS: Final = re.compile(r"https?://(?:[a-z0-9-]+\.)+[a-z0-9-]+/[A-Za-z0-9\-._~!$'()*+,;=:@/]*")


def is_canonical(url: str) -> bool:
    """Whether ``url`` is its own :func:`canonical_url` and :func:`article_url`, found without
    either (a fast path: False says nothing).

    >>> is_canonical("https://x.org/a/b-1"), is_canonical("https://x.org/a?id=1")
    (True, False)
    """
    return (
        _AS_IS.fullmatch(url) is not None
        and "/." not in url  # dot segments
        and "ampproject.org/" not in url  # AMP caches and viewers wrap another URL
        and "google.com/" not in url
    )


def article_url(url: str) -> str | None:
    """:func:`canonical_url` of an article link, without :data:`REFERRAL_PARAMETERS`.

    >>> article_url("https://x.org/a?id=7&mod=rss&feedType=RSS&p=2")
    'https://x.org/a?id=7&p=2'
    """
    return _article_url(url)


@lru_cache(maxsize=1 << 17)
def _article_url(url: str) -> str | None:
    canonical = _canonical_url(url)
    if canonical is None or "?" not in canonical:
        return canonical
    base, _, query = canonical.partition("?")
    kept = "&".join(field for field in query.split("&") if not _is_referral(field))
    return f"{base}?{kept}" if kept else base


def _is_referral(field: str) -> bool:
    name = field.partition("=")[0].lower()
    return name in _REFERRAL_NAMES or name.startswith(_REFERRAL_PREFIXES)


def identity_form(url: str) -> str:
    """The form two spellings of one article's canonical URL share: the host without a
    leading ``www.`` and the path without a trailing slash.  Keys are not rewritten to it;
    articles whose keys have the same form are merged (see ``graph/building/identity.py``).

    >>> identity_form("https://www.x.org/a/?id=1"), identity_form("https://x.org/")
    ('https://x.org/a?id=1', 'https://x.org/')
    """
    if "://www." not in url and "/?" not in url and url[-1:] != "/":
        return url  # most keys: nothing to do, found without splitting
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    authority, slash, path = rest.partition("/")
    authority = authority.removeprefix("www.")
    path, question, query = path.partition("?")
    if len(path) > 0 and path.endswith("/"):
        path = path.rstrip("/")
    return f"{scheme}://{authority}{slash}{path}{question}{query}"


def mask_credentials(text: str) -> str:
    """``text`` with the password (or the user, when alone) of a URL masked, for messages.

    >>> mask_credentials("https://ann:secret@x.org/a"), mask_credentials("https://tok@x.org/")
    ('https://ann:***@x.org/a', 'https://***@x.org/')
    """
    return _CREDENTIALS.sub(_mask, text)


_CREDENTIALS: Final = re.compile(r"(//)([^/?#@\s]*)@")


def _mask(match: re.Match[str]) -> str:
    user, colon, _ = match[2].partition(":")
    return f"{match[1]}{user}:***@" if colon else f"{match[1]}***@"


def host_of(url: str) -> str | None:
    """Return the host of ``url`` as :func:`canonical_url` writes it, or None.

    >>> host_of("https://WWW.Bücher.ch./a")
    'www.xn--bcher-kva.ch'
    """
    canonical = canonical_url(url)
    if canonical is None:
        return None
    authority = canonical.split("/", 3)[2]
    host, colon, port = authority.rpartition(":")
    return host if colon and port.isdigit() else authority


def provider_domain(domain: str) -> str | None:
    """Return the provider key of a ``provider.domain`` value, or None if it is not a domain.

    Lower-case, punycode, without a scheme, path, port, trailing dot or leading ``www.``;
    a domain needs at least one dot.

    >>> provider_domain(" WWW.WashingtonTimes.com. ")
    'washingtontimes.com'
    >>> provider_domain("Washington Times") is None
    True
    """
    host = _loose_host(domain.strip())
    if host is None:
        return None
    host = host.removeprefix("www.")
    return host if "." in host else None


def registrable_domain(host_or_url: str) -> str | None:
    """Return the registrable domain (eTLD+1) of a host or URL, or None.

    Private suffixes count (``x.blogspot.com`` stays), an IP address is its own
    registrable domain, and a public suffix alone (``co.uk``) has none.

    >>> registrable_domain("in.reuters.com"), registrable_domain("news.bbc.co.uk")
    ('reuters.com', 'bbc.co.uk')
    >>> registrable_domain("co.uk") is None
    True
    """
    text = host_or_url.strip()
    host = host_of(text) if "://" in text else _loose_host(text)
    if host is None:
        return None
    if host[0] == "[" or _IPV4.fullmatch(host):
        return host
    return _registrable(host)


def is_safe_iri(url: str) -> bool:
    """Tell whether ``url`` can be written as an IRI as it is.

    It must be absolute http(s) with a host, without credentials, whitespace, control
    characters or any of ``<>"{}|\\^`````.

    >>> is_safe_iri("https://x.org/a%20b?q=1")
    True
    >>> is_safe_iri("https://x.org/a b"), is_safe_iri("https://user@x.org/")
    (False, False)
    """
    return _SAFE_IRI.fullmatch(url) is not None


@lru_cache(maxsize=1)
def _public_suffix_list() -> PublicSuffixList:
    # Parsing the bundled list takes a while, so it waits for the first lookup.
    return PublicSuffixList()


@lru_cache(maxsize=65536)
def _registrable(host: str) -> str | None:
    # Cached: a corpus has few hosts but asks about them once per article.
    suffix: str | None = _public_suffix_list().privatesuffix(host)
    return suffix


def _split(text: str) -> tuple[str, str, int | None, str, str] | None:
    """Return scheme, canonical host, port, path and query of an http(s) URL, or None."""
    simple = _SIMPLE_URL.fullmatch(text)
    if simple is not None:
        return simple[1], simple[2], None, simple[3] or "", simple[4] or ""
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or "@" in parts.netloc:
        return None
    host = _normalise_host(parts.hostname)
    port = parts.port
    return None if host is None else (scheme, host, port, parts.path, parts.query)


def _loose_host(text: str) -> str | None:
    """Return the canonical host of a host or URL of any scheme, or None."""
    if _ASCII_HOST.fullmatch(text):  # already canonical: skip urlsplit
        return text
    try:
        parts = urlsplit(text if "://" in text else "//" + text)
        return None if "@" in parts.netloc else _normalise_host(parts.hostname)
    except (ValueError, UnicodeError):
        return None


def _normalise_host(host: str | None) -> str | None:
    """Return a host (already lower-cased by urlsplit) in canonical form, or None."""
    if not host:
        return None
    host = host.rstrip(".")
    if ":" in host:
        if "%" in host:  # an IPv6 zone identifier is local to one machine
            return None
        return f"[{ipaddress.IPv6Address(host).compressed}]"
    if not host.isascii():
        host = _to_punycode(host)
    return host if _ASCII_HOST.fullmatch(host) else None


def _to_punycode(host: str) -> str:
    """Encode an internationalised host as browsers do (UTS 46, IDNA 2008)."""
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        # IDNA 2008 refuses symbols (i❤.ws) and underscores that live hosts use;
        # Python's IDNA 2003 codec still encodes them.
        return host.encode("idna").decode("ascii").lower()


def _unwrap_amp(host: str, path: str, query: str) -> str | None:
    """Return the canonical URL wrapped by an AMP cache or viewer URL, else None."""
    if host.endswith(".cdn.ampproject.org"):
        match = _AMP_CACHE_PATH.fullmatch(path)
    elif host in _AMP_VIEWER_HOSTS:
        match = _AMP_VIEWER_PATH.fullmatch(path)
    else:
        return None
    if match is None:
        return None
    scheme = "https" if match[1] else "http"
    return canonical_url(f"{scheme}://{match[2]}?{query}" if query else f"{scheme}://{match[2]}")


def _normalise_query(query: str) -> str:
    return "&".join(
        field
        for field in _fix_escapes(query, _QUERY_WORK, _QUERY_FIX).split("&")
        if field and not _is_tracking(field.partition("=")[0].lower())
    )


def _is_tracking(name: str) -> bool:
    return name in _TRACKING_NAMES or name.startswith(_TRACKING_PREFIXES)


def _fix_escapes(text: str, work: re.Pattern[str], fix: re.Pattern[str]) -> str:
    # The search is the fast path: most URLs have nothing to fix.
    return fix.sub(_fix_percent, text) if work.search(text) else text


def _fix_percent(match: re.Match[str]) -> str:
    """Decode an escaped unreserved character, upper-case other escapes, escape the rest."""
    text = match.group()
    if len(text) == 3 and text[0] == "%":
        char = chr(int(text[1:], 16))
        return char if char in _UNRESERVED else text.upper()
    return quote(text, safe="", errors="strict")


def _remove_dot_segments(path: str) -> str:
    # RFC 3986 §5.2.4 for an absolute path; urllib.parse offers it only inside urljoin.
    segments: list[str] = []
    parts = path.split("/")[1:]
    for segment in parts:
        if segment == "..":
            if segments:
                segments.pop()
        elif segment != ".":
            segments.append(segment)
    if parts[-1] in (".", ".."):
        segments.append("")
    return "/" + "/".join(segments)
