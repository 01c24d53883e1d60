"""Tests for newsgraph.graph.urls: canonical URLs, provider and registrable domains, safe IRIs."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from unittest import mock
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.graph import urls
from newsgraph.graph.urls import (
    TRACKING_PARAMETERS,
    canonical_url,
    host_of,
    is_safe_iri,
    provider_domain,
    registrable_domain,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

CANONICAL_CASES = [
    # already canonical
    (
        "https://www.example-news.com/2020/06/11/story/",
        "https://www.example-news.com/2020/06/11/story/",
    ),
    # AMP cache wrappers: /c/s/ is https, /c/ is http; the wrapped URL is canonicalised too
    (
        "https://www-example-news-com.cdn.ampproject.org/c/s/www.example-news.com/2020/story/amp",
        "https://www.example-news.com/2020/story/amp",
    ),
    (
        "https://in-mobile-wire-example.cdn.ampproject.org/c/s/in.mobile.wire.example/article/amp/idX1",
        "https://in.mobile.wire.example/article/amp/idX1",
    ),
    ("https://a-b.cdn.ampproject.org/c/a.b/p?q=1", "http://a.b/p?q=1"),
    ("https://a-b.cdn.ampproject.org/v/s/a.b/p?amp_js_v=0.1&usqp=mq331AQ", "https://a.b/p"),
    ("https://a-b.cdn.ampproject.org/i/s/a.b/img.jpg", "https://a.b/img.jpg"),
    ("https://A-B.CDN.AMPPROJECT.ORG/c/s/A.B/P#frag", "https://a.b/P"),
    ("https://www.google.com/amp/s/www.example.org/story.amp", "https://www.example.org/story.amp"),
    # a wrapper without a wrapped host stays what it is
    ("https://a-b.cdn.ampproject.org/c/s/", "https://a-b.cdn.ampproject.org/c/s/"),
    # tracking parameters go, the others keep their order, an empty "?" goes
    ("https://x.org/a?utm_source=tw&utm_MEDIUM=s", "https://x.org/a"),
    ("https://x.org/a?b=2&fbclid=F&a=1&GCLID=G&ocid=O", "https://x.org/a?b=2&a=1"),
    (
        "https://x.org/a?mc_cid=1&mc_eid=2&cmpid=3&_ga=4&igshid=5&yclid=6&spm=7&msclkid=8",
        "https://x.org/a",
    ),
    ("https://x.org/a?utm%5Fsource=x&id=7", "https://x.org/a?id=7"),
    ("https://x.org/a?&&id=7&", "https://x.org/a?id=7"),
    ("https://x.org/a?", "https://x.org/a"),
    # HTML-escaped ampersands in a query (seen in image URLs)
    (
        "https://i0.wp.example/x.org/a.jpg?fit=1024%2C625&#038;ssl=1",
        "https://i0.wp.example/x.org/a.jpg?fit=1024%2C625&ssl=1",
    ),
    ("https://x.org/a?b=1&amp;c=2", "https://x.org/a?b=1&c=2"),
    # case, default ports, trailing dot, empty path, fragment, surrounding whitespace
    ("  HTTPS://WWW.Example.ORG  ", "https://www.example.org/"),
    ("http://example.org:80/A/B.html", "http://example.org/A/B.html"),
    ("https://example.org:443/", "https://example.org/"),
    ("http://example.org:443/", "http://example.org:443/"),
    ("https://example.org:08080/", "https://example.org:8080/"),
    ("https://example.org./a", "https://example.org/a"),
    ("https://example.org/a#section-2", "https://example.org/a"),
    ("https://example.org/a?q=1#x?y", "https://example.org/a?q=1"),
    # percent-encoding: unreserved decoded, hex upper-cased, the rest encoded
    ("https://x.org/%7Euser/%41b%2fc%e2%9c%93", "https://x.org/~user/Ab%2Fc%E2%9C%93"),
    ("https://x.org/a b/ü?q=a b&r=é", "https://x.org/a%20b/%C3%BC?q=a%20b&r=%C3%A9"),
    ("https://x.org/100%/a%zz", "https://x.org/100%25/a%25zz"),
    ('https://x.org/a|b^c`d{e}\\f"g<h>', "https://x.org/a%7Cb%5Ec%60d%7Be%7D%5Cf%22g%3Ch%3E"),
    ("https://x.org/?q=%2b+1&x=%7e", "https://x.org/?q=%2B+1&x=~"),
    # dot segments
    ("https://x.org/a/./b/../c", "https://x.org/a/c"),
    ("https://x.org/a/%2E%2E/b", "https://x.org/b"),
    ("https://x.org/../..", "https://x.org/"),
    ("https://x.org/a/.", "https://x.org/a/"),
    # tabs and newlines inside a URL are dropped (WHATWG); IDNA hosts to punycode
    ("https://x.org/a\n/b\t", "https://x.org/a/b"),
    ("http://Bücher.example/", "http://xn--bcher-kva.example/"),
    ("http://faß.de/", "http://xn--fa-hia.de/"),
    ("http://i❤.example/", "http://xn--i-7iq.example/"),
    ("http://my_host.example.org/", "http://my_host.example.org/"),
    ("http://[2001:DB8::0:1]:80/a", "http://[2001:db8::1]/a"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080/"),
]

NOT_URLS = [
    "",
    "   ",
    "javascript:alert(1)",
    "mailto:someone@example.org",
    "ftp://example.org/file",
    "data:image/png;base64,AAAA",
    "//example.org/a",
    "/a/b",
    "example.org/a",
    "http://",
    "https://",
    "https:///a",
    "https://:80/",
    "https://user:secret@example.org/",
    "https://user@example.org/",
    "https://example.org:99999/",
    "https://example.org:port/",
    "http://[not-ipv6]/",
    "http://[fe80::1%25eth0]/",
    "https://exa mple.org/",
    "https://a..b/",
    "https://ex<ample.org/",
    "https://x.org/\ud800",
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL_CASES)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected


@pytest.mark.parametrize("url", NOT_URLS)
def test_not_an_http_url_gives_none(url: str) -> None:
    assert canonical_url(url) is None


def test_very_long_url() -> None:
    long_path = "/".join(["segment%20é"] * 20_000)
    result = canonical_url(f"https://x.org/{long_path}?utm_source=a&" + "k=v&" * 20_000)
    assert result is not None
    assert result.startswith("https://x.org/segment%20%C3%A9/")
    assert "utm_source" not in result
    assert is_safe_iri(result)
    assert canonical_url(result) == result


def test_same_article_through_its_aliases() -> None:
    expected = "https://www.example-news.com/2020/06/11/story/amp"
    aliases = [
        "https://www.example-news.com/2020/06/11/story/amp?utm_source=feed",
        "https://www-example-news-com.cdn.ampproject.org/c/s/www.example-news.com/2020/06/11/story/amp",
        "HTTPS://WWW.EXAMPLE-NEWS.COM:443/2020/06/11/story/amp#comments",
        "https://www.example-news.com/2020/06/11/./story/amp",
    ]
    assert {canonical_url(alias) for alias in aliases} == {expected}


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("washingtontimes.com", "washingtontimes.com"),
        ("  WWW.WashingtonTimes.COM. ", "washingtontimes.com"),
        ("https://www.example.org/news/", "example.org"),
        ("example.org/uk", "example.org"),
        ("example.org:8080", "example.org"),
        ("in.wire.example", "in.wire.example"),
        ("Bücher.example", "xn--bcher-kva.example"),
        ("www.www.example.org", "www.example.org"),
        ("", None),
        ("   ", None),
        ("Washington Times", None),
        ("localhost", None),
        ("www.", None),
        ("http://[::1]/", None),
        ("exa<mple.org", None),
    ],
)
def test_provider_domain(domain: str, expected: str | None) -> None:
    assert provider_domain(domain) == expected


@pytest.mark.parametrize(
    ("host_or_url", "expected"),
    [
        ("in.reuters.com", "reuters.com"),
        ("reuters.com", "reuters.com"),
        ("bbc.co.uk", "bbc.co.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("WWW.BBC.CO.UK.", "bbc.co.uk"),
        ("https://in.mobile.reuters.com/article/amp/x", "reuters.com"),
        ("https://a-b.cdn.ampproject.org/c/s/www.example.co.uk/p", "example.co.uk"),
        ("someone.blogspot.com", "someone.blogspot.com"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("127.0.0.1", "127.0.0.1"),
        ("http://[2001:db8::1]/", "[2001:db8::1]"),
        ("co.uk", None),
        ("com", None),
        ("", None),
        ("not a host", None),
        ("mailto:a@b.example", None),
    ],
)
def test_registrable_domain(host_or_url: str, expected: str | None) -> None:
    assert registrable_domain(host_or_url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://WWW.Example.org./a", "www.example.org"),
        ("https://a-b.cdn.ampproject.org/c/s/www.example.org/p", "www.example.org"),
        ("http://[::1]:8080/", "[::1]"),
        ("http://[::1]/", "[::1]"),
        ("http://x.org:8080/a", "x.org"),
        ("nonsense", None),
    ],
)
def test_host_of(url: str, expected: str | None) -> None:
    assert host_of(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.org/", True),
        ("http://x.org", True),
        ("HTTPS://x.org/a%20b?q=1#f", True),
        ("https://x.org/ü", True),  # an IRI may hold non-ASCII characters
        ("https://[::1]:8080/a", True),
        ("https://x.org/a b", False),
        ("https://x.org/a\tb", False),
        ("https://x.org/a\x85", False),
        ("https://x.org/<a>", False),
        ('https://x.org/"a"', False),
        ("https://x.org/{a}", False),
        ("https://x.org/a|b", False),
        ("https://x.org/a\\b", False),
        ("https://x.org/a^b", False),
        ("https://x.org/a`b", False),
        ("https://x.org/\ud800", False),
        ("https://user@x.org/", False),
        ("https://:80/", False),
        ("https:///a", False),
        ("ftp://x.org/", False),
        ("x.org/a", False),
        ("", False),
    ],
)
def test_is_safe_iri(url: str, expected: bool) -> None:
    assert is_safe_iri(url) is expected


# --- properties -------------------------------------------------------------------

_LABELS = st.from_regex(
    r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True
) | st.sampled_from(["bücher", "MÜNCHEN", "españa", "例え", "xn--bcher-kva", "under_score"])
_HOSTS = st.builds(
    lambda labels, tld, dot: ".".join([*labels, tld]) + dot,
    st.lists(_LABELS, min_size=1, max_size=3),
    st.sampled_from(["com", "org", "co.uk", "DE", "example"]),
    st.sampled_from(["", "", "", "."]),
)
_URL_CHARS = st.sampled_from(list("aZ09-._~!$&'()*+,;=:@/%?# \t|^{}[]<>\"`\\é√€")) | st.characters(
    codec="utf-8"
)
_PARAM_NAMES = st.sampled_from(
    [
        "id",
        "page",
        "q",
        "utm_source",
        "UTM_Campaign",
        "fbclid",
        "gclid",
        "ocid",
        "Mc_Cid",
        "_ga",
        "spm",
    ]
) | st.text(_URL_CHARS, max_size=6)
_QUERIES = st.lists(
    st.builds(lambda name, value: f"{name}={value}", _PARAM_NAMES, st.text(_URL_CHARS, max_size=6)),
    max_size=5,
).map("&".join)
_URLS = st.builds(
    lambda scheme, host, port, path, query, fragment: (
        f"{scheme}://{host}{port}{path}{'?' + query if query else ''}{fragment}"
    ),
    st.sampled_from(["http", "https", "HTTP", "hTTps"]),
    _HOSTS,
    st.sampled_from(["", "", ":80", ":443", ":8080"]),
    st.lists(st.text(_URL_CHARS, max_size=8), max_size=4).map(lambda parts: "/" + "/".join(parts)),
    _QUERIES,
    st.sampled_from(["", "#top", "#!/a?b"]),
)
# URLs of printable ASCII, the shape most real URLs have (and the fast path reads).
_ASCII_CHARS = st.sampled_from(list("abcXYZ019-._~!$&'()*+,;=:@%/?#"))
_ASCII_URLS = st.builds(
    lambda scheme, host, port, rest: f"{scheme}://{host}{port}/{rest}",
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"([a-zA-Z0-9-]{1,6}\.){1,3}[a-zA-Z]{2,4}\.?", fullmatch=True),
    st.sampled_from(["", "", ":443", ":8080"]),
    st.text(_ASCII_CHARS, max_size=30),
)
_ANY_URLS = _ASCII_URLS | _URLS | st.text(_URL_CHARS, max_size=40) | st.text(max_size=40)
_IMPOSSIBLE = re.compile(r"(?!)")


def _query_names(url: str) -> list[str]:
    return [field.partition("=")[0].lower() for field in urlsplit(url).query.split("&") if field]


def _is_tracking(name: str) -> bool:
    return any(
        name.startswith(entry[:-1]) if entry.endswith("*") else name == entry
        for entry in TRACKING_PARAMETERS
    )


@settings(deadline=None)
@given(_ANY_URLS)
def test_canonical_url_is_idempotent_and_safe(url: str) -> None:
    result = canonical_url(url)
    if result is not None:
        assert canonical_url(result) == result
        assert is_safe_iri(result), result
        assert result.isascii()


@given(_URLS)
def test_generated_urls_are_canonicalised(url: str) -> None:
    result = canonical_url(url)
    assert result is not None, url
    assert result.startswith(("http://", "https://"))
    assert "#" not in result


@given(_ANY_URLS)
def test_tracking_parameters_never_survive(url: str) -> None:
    result = canonical_url(url)
    if result is not None:
        assert not any(_is_tracking(name) for name in _query_names(result))


@given(_URLS)
def test_amp_cache_wrapper_of_a_canonical_url_gives_it_back(url: str) -> None:
    canonical = canonical_url(url)
    assert canonical is not None
    scheme, rest = canonical.split("://", 1)
    host = urlsplit(canonical).hostname or ""
    cache_host = host.replace("-", "--").replace(".", "-")
    prefix = "c/s/" if scheme == "https" else "c/"
    wrapped = f"https://{cache_host}.cdn.ampproject.org/{prefix}{rest}"
    assert canonical_url(wrapped) == canonical


@given(_ASCII_URLS | _ANY_URLS)
def test_fast_path_agrees_with_urlsplit(url: str) -> None:
    fast = canonical_url(url)
    urls._canonical_url.cache_clear()
    try:
        with mock.patch.object(urls, "_SIMPLE_URL", _IMPOSSIBLE):
            assert canonical_url(url) == fast
    finally:
        urls._canonical_url.cache_clear()


@given(_HOSTS)
def test_provider_domain_is_idempotent(host: str) -> None:
    domain = provider_domain(host)
    if domain is not None:
        assert provider_domain(domain) == domain
        assert not domain.startswith("www.")
        assert domain == domain.lower()
        assert domain.isascii()


# --- real data (skipped where ../shared is absent) ---------------------------------

_QUOTED_URL = re.compile(r'"(https?://[^"]+)"')


def _corpus_urls() -> list[str]:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("the shared corpus is not available")
    found: set[str] = set()
    for path in corpus.rglob("*"):
        if path.suffix in {".md", ".json"}:
            found.update(_QUOTED_URL.findall(path.read_text("utf-8")))
    return sorted(found)


def test_corpus_urls_canonicalise() -> None:
    found = _corpus_urls()
    assert len(found) > 5_000
    assert [url for url in found if not _good_canonical(canonical_url(url))] == []


def _good_canonical(result: str | None) -> bool:
    return (
        result is not None
        and canonical_url(result) == result
        and is_safe_iri(result)
        and "&#038;" not in result
        and ".cdn.ampproject.org/" not in result
    )


def test_seed_amp_urls_land_on_the_amp_url() -> None:
    seed = SHARED / "seed" / "000_fbece0f1d0d31990.txt"
    if not seed.is_file():
        pytest.skip("the shared seed is not available")
    text = seed.read_text("utf-8")
    amp = re.findall(r'ampWebUrl: "([^"]+)"\n\s*cdnAmpWebUrl: "([^"]+)"', text)
    assert amp
    for amp_url, cdn_url in amp:
        assert canonical_url(cdn_url) == canonical_url(amp_url)


@settings(deadline=None, max_examples=300)
@given(_ANY_URLS)
def test_a_url_told_canonical_is_its_own_canonical_and_article_url(url: str) -> None:
    if urls.is_canonical(url):
        assert urls._canonical_url.__wrapped__(url) == url
        assert urls._article_url.__wrapped__(url) == url


def test_every_url_near_the_fast_path_is_told_right() -> None:
    # every path of up to three segments around what is_canonical accepts (dot segments,
    # escapes, escaped ampersands), on plain hosts and on AMP caches and viewers
    segments = ["a", "Z9", "-_~", "!$'()*+,;=:@", "", ".", "..", ".x", "%7e", "%2F", "&amp;", "b&c"]
    paths = ["/".join(p) for n in range(4) for p in itertools.product(segments, repeat=n)]
    hosts = ["x.org", "a-1.b.co", "www-x-org.cdn.ampproject.org", "www.google.com"]
    told = 0
    for host, wrapped, path, tail in itertools.product(
        hosts, ["", "c/s/x.org/", "amp/x.org/"], paths, ["", "?utm_source=x", "#top"]
    ):
        url = f"https://{host}/{wrapped}{path}{tail}"
        if urls.is_canonical(url):
            told += 1
            assert urls._canonical_url.__wrapped__(url) == url
            assert urls._article_url.__wrapped__(url) == url
    assert told > 500  # the fast path is taken, not only refused


def test_is_canonical_leaves_what_canonical_url_changes_to_it() -> None:
    told = [
        "https://x.org/a/b-1",
        "https://x.org/",
        "https://X.org/a",  # the host is lower-cased
        "https://x.org",  # the path becomes "/"
        "https://x.org/a%7e",  # the escape is decoded
        "https://x.org/a&amp;b",  # an escaped ampersand
        "https://x.org/a/../b",  # a dot segment
        "https://x.org/a?id=1",  # a query, maybe a tracking one
        "https://x-org.cdn.ampproject.org/c/s/x.org/a",  # an AMP cache wraps another URL
        "https://x.org:443/a",  # a port
    ]
    assert [urls.is_canonical(url) for url in told] == [True, True] + [False] * 8
