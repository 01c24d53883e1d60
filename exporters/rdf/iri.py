"""IRIs in RDF exports: validating the ones taken from data, minting the project's own.

An IRI from the data (an article's URL, an image's URL) is written only if
:func:`iri_problem` finds nothing wrong with it: absolute ``http``/``https`` with a
host, no credentials, and every character allowed where it stands by RFC 3987 (so no
spaces -- Unicode ones included --, control and invisible formatting characters,
``<>"{}|\\^``` or broken ``%`` escapes).  Strict parsers
(pyoxigraph, Jena) reject anything else, so such a value is reported and left out,
never repaired: a repaired URL would point somewhere else.

:func:`mint_iri` makes the IRI of a node from its key: the base, the node kind and
128 bits of BLAKE2b of the key -- deterministic, always valid, and short enough for
Turtle prefixes.

Not supported: IRIs with other schemes (``ftp:``, ``mailto:``, ``urn:``) are refused,
and IPv6 zone identifiers and IPvFuture hosts are refused too.

>>> iri_problem("https://example.org/a?b=1#c") is None
True
>>> iri_problem("https://user:pw@example.org/")
'has credentials'
>>> iri_problem("javascript:alert(1)")
'not an absolute http(s) IRI'
>>> mint_iri("https://w3id.org/newsgraph/id/", "topic:ai")
'https://w3id.org/newsgraph/id/topic/a185243399c7e8939bf565893b16a6df'
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import unicodedata
from typing import Final

__all__ = ["PLAIN_IRI", "iri_problem", "is_valid_base", "mint_iri"]


def _ucschar_class() -> str:
    # RFC 3987 ucschar: U+A0..U+D7FF, U+F900..U+FDCF, U+FDF0..U+FFEF, then every
    # supplementary plane but its last two code points (non-characters).
    ranges = ["\u00a0-\ud7ff", "\uf900-\ufdcf", "\ufdf0-\uffef"]
    ranges += [f"{chr(p << 16)}-{chr((p << 16) | 0xFFFD)}" for p in range(1, 15)]
    return "".join(ranges)


_UCS: Final = _ucschar_class()
_PRIVATE: Final = "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
_UNRESERVED: Final = "A-Za-z0-9\\-._~" + _UCS
_SUB_DELIMS: Final = "!$&'()*+,;="
_PCT: Final = "%[0-9A-Fa-f]{2}"
_PCHAR: Final = f"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_IRI: Final = re.compile(
    f"(?P<scheme>[hH][tT][tT][pP][sS]?)://"
    f"(?P<host>\\[[^\\]]*\\]|(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})+)"
    f"(?::(?P<port>[0-9]*))?"
    f"(?P<path>(?:/{_PCHAR}*)*)"
    f"(?:\\?(?P<query>(?:{_PCHAR}|[/?{_PRIVATE}])*))?"
    f"(?:#(?P<fragment>(?:{_PCHAR}|[/?])*))?"
)
_HEAD: Final = re.compile(r"[hH][tT][tT][pP][sS]?://")
#: Most URLs are plain ASCII without escapes, credentials or brackets; a full match of
#: this simple pattern means :func:`iri_problem` finds nothing wrong, several times faster
#: than the RFC 3987 grammar above.  Its quantifiers are possessive (no part could give
#: a character back to the next one anyway), which makes it twice as fast on long URLs.
PLAIN_IRI: Final = re.compile(
    r"https?://[a-z0-9.\-]++(?::[0-9]++)?+(?:/[A-Za-z0-9\-._~!$&'()*+,;=:@/]*+)?+"
    r"(?:\?[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*+)?+"
)
_DIGEST_BYTES: Final = 16
_KIND: Final = re.compile("[a-z][a-z0-9_]*")
_KINDS: Final = frozenset({"article", "provider", "topic", "tag", "image", "source"})


def iri_problem(value: object) -> str | None:
    """Say what is wrong with ``value`` as an IRI to write, or return None if it is fine.

    >>> iri_problem("https://example.org/a b")
    'has a character not allowed in an IRI'
    >>> iri_problem("https://example.org/100%")
    'has a character not allowed in an IRI'
    """
    if isinstance(value, str) and PLAIN_IRI.fullmatch(value) is not None:
        return None
    if not isinstance(value, str) or _HEAD.match(value) is None:
        return "not an absolute http(s) IRI"
    authority = value.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if "@" in authority:
        return "has credentials"
    match = _IRI.fullmatch(value)
    if match is None:
        return "has a character not allowed in an IRI"
    if not value.isascii() and any(_invisible(char) for char in value):
        return "has a space or an invisible character"
    host = match["host"]
    if host.startswith("["):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            return "has a malformed IPv6 host"
    return None


def _invisible(char: str) -> bool:
    # RFC 3987 lets no-break and other Unicode spaces through as ucschar, but they read as
    # spaces (rdflib refuses them), and format characters (bidi marks, zero-width spaces)
    # make two IRIs that look alike differ.
    return char.isspace() or unicodedata.category(char) == "Cf"


def is_valid_base(base: str) -> bool:
    """Tell whether ``base`` can prefix minted IRIs: a valid IRI ending in ``/`` or ``#``.

    >>> is_valid_base("https://example.org/id/"), is_valid_base("https://example.org/id")
    (True, False)
    """
    return base.endswith(("/", "#")) and "#" not in base[:-1] and iri_problem(base) is None


def mint_iri(base: str, key: str) -> str:
    """Return the IRI of the node ``key`` (``"<kind>:<id>"``) under ``base``.

    >>> mint_iri("https://example.org/id/", "provider:reuters.com")
    'https://example.org/id/provider/9b78df962d5dd698bdba022311fb1e47'
    """
    kind = key.partition(":")[0]
    if kind not in _KINDS and _KIND.fullmatch(kind) is None:
        kind = "node"
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=_DIGEST_BYTES)
    return f"{base}{kind}/{digest.hexdigest()}"
