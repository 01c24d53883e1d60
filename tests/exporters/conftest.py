"""Fixtures for the exporter tests: small invented graphs in the shape of docs/graph-schema.md.

Unit tests do not depend on the reader: :func:`tiny_graph` builds the graph by hand, with
every node and edge kind and every article attribute.  :func:`hostile_graph` adds what
real data and careless callers hand over: broken URLs, control characters, lone
surrogates, NaN, ``None``, date objects, odd keys.  All text is invented.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SAMPLES = REPO / "samples" / "news"

FERRY = "article:https://harbor.example/2021/05/ferry-returns"
PLANS = "article:https://ridgeline.example/pier-plans"
VIDEO = "article:https://fieldnote.example/video/pier"
HARBOR = "provider:harbor.example"
FIELDNOTE = "provider:fieldnote.example"
PHOTO = "image:https://img.harbor.example/ferry.jpg?w=1200&h=630"
LOGO = "image:https://img.fieldnote.example/logo.png"


def tiny_graph() -> nx.MultiDiGraph:
    """Three articles (primary, stub, video), two providers, topics, a tag, images."""
    G = nx.MultiDiGraph(name="newsgraph", newsgraph_version="0.1.0")
    G.add_node(
        FERRY,
        kind="article",
        label="Ferry returns to the north pier",
        title="Ferry returns to the north pier",
        excerpt='The ferry line resumes after a "long" winter;\nnew timetable inside.',
        url="https://harbor.example/2021/05/ferry-returns",
        urls=[
            "https://harbor-example.cdn.ampproject.org/c/s/harbor.example/amp/2021/05/ferry-returns",
            "https://harbor.example/2021/05/ferry-returns",
            "https://harbor.example/2021/05/ferry-returns?ref=feed",
            "https://harbor.example/amp/2021/05/ferry-returns",
        ],
        published="2021-05-03T08:15:00Z",
        updated="2021-05-03T09:00:30.250Z",
        type="article",
        category="news",
        categories=["local", "transport"],
        quality=71,
        heat=-1,
        is_published=True,
        locale="en-US",
        secured="c2VjcmV0;Zm9vYmFy==",
        is_stub=False,
        sources=["news/harbor/ferry.md", "news/harbor/digest.json"],
        extra={"readingTime": 3, "flags": ["a", "b"], "note": "tab\there"},
        community=2,
        story=5,
    )
    G.add_node(
        PLANS,
        kind="article",
        label="Pier plans go to council",
        title="Pier plans go to council",
        url="https://ridgeline.example/pier-plans",
        urls=["https://ridgeline.example/pier-plans"],
        published="2021-05-02",
        type="article",
        quality=44,
        is_stub=True,
        sources=["news/harbor/ferry.md"],
    )
    G.add_node(
        VIDEO,
        kind="article",
        label="Le quai rénové, en images",
        title="Le quai rénové, en images",
        title_original="Le quai rÃ©novÃ©, en images",
        url="https://fieldnote.example/video/pier",
        urls=["https://fieldnote.example/video/pier"],
        published="2021-05-04T18:00:00Z",
        type="video",
        locale="fr",
        quality=12.5,
        is_stub=False,
        sources=["news/fieldnote/pier.json"],
        path="video/pier.json",
    )
    G.add_node(
        HARBOR,
        kind="provider",
        label="Harbor Times",
        name="Harbor Times",
        names=["Harbor Times", "The Harbor Times"],
        domain="harbor.example",
    )
    G.add_node(
        FIELDNOTE,
        kind="provider",
        label="Fieldnote Video",
        name="Fieldnote Video",
        names=["Fieldnote Video"],
        domain="fieldnote.example",
    )
    G.add_node(
        "topic:transport",
        kind="topic",
        label="Transport",
        name="Transport",
        names=["Transport", "transport"],
    )
    G.add_node("topic:climate", kind="topic", label="Climate", name="Climate", names=["Climate"])
    G.add_node("tag:us-ca", kind="tag", label="US-CA", name="US-CA", names=["US-CA", "us-ca"])
    G.add_node(
        PHOTO,
        kind="image",
        label="The ferry at dawn",
        url=PHOTO.partition(":")[2],
        width=1200,
        height=630,
        title="The ferry at dawn",
        is_cached=True,
        attribution="Harbor Times",
    )
    G.add_node(
        LOGO,
        kind="image",
        label=LOGO.partition(":")[2],
        url=LOGO.partition(":")[2],
        width=64,
        height=64,
    )
    for source, target, kind in [
        (FERRY, HARBOR, "published_by"),
        (FERRY, "topic:transport", "about"),
        (FERRY, "topic:climate", "about"),
        (FERRY, "tag:us-ca", "tagged"),
        (FERRY, PHOTO, "has_image"),
        (FERRY, PLANS, "related_to"),
        (VIDEO, FIELDNOTE, "published_by"),
        (VIDEO, FERRY, "related_to"),
        (VIDEO, "topic:transport", "about"),
        (FIELDNOTE, LOGO, "has_image"),
    ]:
        G.add_edge(source, target, key=kind, kind=kind)
    return G


#: The hostile values planted by :func:`hostile_graph`, and the problem codes they must raise.
BAD_URLS = [
    "https://bad.example/a b",
    "https://bad.example/x\ny",
    "javascript:alert(1)",
    "https://user:secret@bad.example/",
    "https://bad.example/100%",
    "https://bad.example/<script>",
    "https://bad.example/no-break\xa0space/",
]


def hostile_graph() -> nx.MultiDiGraph:
    """:func:`tiny_graph` plus the values exporters must survive."""
    G = tiny_graph()
    bad = "article:https://bad.example/a b"
    G.add_node(
        bad,
        kind="article",
        label="Control\x01chars\x0b and a lone \ud800 surrogate",
        title="Control\x01chars\x0b and a lone \ud800 surrogate",
        excerpt="line one\r\nline two\rline three\x00",
        url=BAD_URLS[0],
        urls=BAD_URLS,
        published=datetime(2021, 5, 3, 10, 0, tzinfo=UTC),
        updated="not a date",
        quality=math.nan,
        heat=math.inf,
        locale="not a locale!!",
        is_stub=False,
        sources=["news/bad\x02/file.md"],
        type=None,
        extra={"score": math.nan, "text": "odd \udc80", "when": date(2021, 5, 3)},
        categories=["fine", None, "also\x07fine"],
    )
    G.add_node(
        "provider:bad domain.example",
        kind="provider",
        label="Bad <Domain> & Co",
        name="Bad <Domain> & Co",
        domain="bad domain.example",
    )
    G.add_node(
        "image:https://img.example/<x>.jpg",
        kind="image",
        label="https://img.example/<x>.jpg",
        url="https://img.example/<x>.jpg",
        width=10,
        height=math.nan,
    )
    G.add_node("topic:two\nlines", kind="topic", label="Two\nlines", name="Two\nlines")
    G.add_node("mystery:1", kind="mystery", label="not a known kind", colour=("red", "blue"))
    G.add_edge(bad, "provider:bad domain.example", key="published_by", kind="published_by")
    G.add_edge(bad, "image:https://img.example/<x>.jpg", key="has_image", kind="has_image")
    G.add_edge(bad, "topic:two\nlines", key="about", kind="about", weight=math.nan)
    G.add_edge(bad, FERRY, key="related_to", kind="related_to")
    G.add_edge(bad, "mystery:1", key="mentions", kind="mentions")
    return G


@pytest.fixture
def tiny() -> nx.MultiDiGraph:
    """A fresh :func:`tiny_graph`."""
    return tiny_graph()


@pytest.fixture
def hostile() -> nx.MultiDiGraph:
    """A fresh :func:`hostile_graph`."""
    return hostile_graph()


@pytest.fixture(scope="session")
def sample_graph() -> nx.MultiDiGraph:
    """The graph of the bundled sample (``samples/news``)."""
    from newsgraph import build_graph

    G, _ = build_graph([SAMPLES], jobs=1)
    return G


@pytest.fixture
def keys() -> SimpleNamespace:
    """The node keys of :func:`tiny_graph` and the bad URLs of :func:`hostile_graph`."""
    return SimpleNamespace(
        ferry=FERRY,
        plans=PLANS,
        video=VIDEO,
        harbor=HARBOR,
        fieldnote=FIELDNOTE,
        photo=PHOTO,
        logo=LOGO,
        bad_urls=BAD_URLS,
    )
