"""A small invented newsgraph graph for examples and tests, shaped as ``docs/graph-schema.md``.

Twelve articles from three providers in three clear groups (solar energy, football, AI) with two
stories reported across providers.  The headlines are invented.  Not a builder: no URL
canonicalisation, no merging; :func:`make_graph` trusts its input.

>>> G = toy_graph()
>>> sorted(k for _, k in G.nodes(data="kind"))[:3], G.number_of_edges()
(['article', 'article', 'article'], 40)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from newsgraph.graph.model import EdgeKind, NodeKind, node_key

__all__ = ["make_graph", "toy_graph"]


def _add_edge(G: nx.MultiDiGraph, u: str, v: str, kind: EdgeKind) -> None:
    G.add_edge(u, v, key=kind.value, kind=kind.value)


def make_graph(articles: Iterable[Mapping[str, Any]]) -> nx.MultiDiGraph:
    """A schema-shaped graph from article mappings.

    Keys: ``url`` (required), ``title``, ``published``, ``provider`` (a domain), ``topics``,
    ``tags``, ``related`` (URLs; unknown ones become stubs) and ``images`` (URLs).

    >>> G = make_graph([{"url": "https://x.example/1", "title": "One", "topics": ["AI"]}])
    >>> sorted(G)
    ['article:https://x.example/1', 'topic:ai']
    """
    G = nx.MultiDiGraph(name="newsgraph", newsgraph_version="toy")
    articles = list(articles)
    for item in articles:
        key = node_key(NodeKind.ARTICLE, item["url"])
        title = item.get("title") or item["url"]
        attrs = {"kind": "article", "label": title, "url": item["url"], "is_stub": False}
        attrs |= {k: item[k] for k in ("title", "published") if item.get(k)}
        G.add_node(key, **attrs)
    for item in articles:
        key = node_key(NodeKind.ARTICLE, item["url"])
        if domain := item.get("provider"):
            p = node_key(NodeKind.PROVIDER, domain)
            G.add_node(p, kind="provider", label=domain, name=domain, domain=domain)
            _add_edge(G, key, p, EdgeKind.PUBLISHED_BY)
        for kind, edge, field in (
            (NodeKind.TOPIC, EdgeKind.ABOUT, "topics"),
            (NodeKind.TAG, EdgeKind.TAGGED, "tags"),
        ):
            for name in item.get(field, ()):
                n = node_key(kind, " ".join(name.casefold().split()))
                G.add_node(n, kind=kind.value, label=name, name=name, names=[name])
                _add_edge(G, key, n, edge)
        for url in item.get("related", ()):
            r = node_key(NodeKind.ARTICLE, url)
            if r not in G:
                G.add_node(r, kind="article", label=url, url=url, is_stub=True)
            _add_edge(G, key, r, EdgeKind.RELATED_TO)
        for url in item.get("images", ()):
            i = node_key(NodeKind.IMAGE, url)
            G.add_node(i, kind="image", label=url, url=url)
            _add_edge(G, key, i, EdgeKind.HAS_IMAGE)
    return G


_SOLAR = ["Solar", "Energy"]
_BALL = ["Football", "Sport"]
_AI = ["AI", "Robots"]

_TOY = [
    (
        "a",
        "solar-1",
        "Giant desert solar farm switches on in Nevada",
        "2021-03-01T09:00:00Z",
        _SOLAR,
    ),
    (
        "b",
        "solar-2",
        "Nevada desert solar farm switches on, the largest yet",
        "2021-03-01T11:30:00Z",
        _SOLAR,
    ),
    (
        "c",
        "solar-3",
        "Largest solar farm in the Nevada desert switches on",
        "2021-03-02T08:00:00Z",
        _SOLAR,
    ),
    (
        "a",
        "solar-4",
        "Rooftop panels get cheaper as tariffs fall",
        "2021-05-10T10:00:00Z",
        [*_SOLAR, "Prices"],
    ),
    (
        "b",
        "cup-1",
        "Rovers win the county cup final after penalties",
        "2021-04-03T18:00:00Z",
        _BALL,
    ),
    ("c", "cup-2", "County cup final: Rovers win on penalties", "2021-04-03T19:15:00Z", _BALL),
    ("a", "cup-3", "Stadium plans for the county ground approved", "2021-06-01T12:00:00Z", _BALL),
    ("b", "cup-4", "Transfer window closes with record spending", "2021-09-01", _BALL),
    ("c", "robot-1", "Warehouse robots learn to pick fragile parcels", "2021-02-01T09:00:00Z", _AI),
    ("a", "robot-2", "Chatbot helps farmers plan their harvest", "2021-02-15T09:00:00Z", ["AI"]),
    (
        "b",
        "robot-3",
        "Robot arms that learn from a single demonstration",
        "2021-07-20T09:00:00Z",
        _AI,
    ),
    ("c", "robot-4", "Self-driving tractors tested on a small farm", "2021-08-20T09:00:00Z", _AI),
]


def toy_graph() -> nx.MultiDiGraph:
    """The invented example graph (12 articles, 3 providers, 7 topics, 1 tag, 1 image)."""
    articles: list[dict[str, Any]] = [
        {
            "url": f"https://{p}.example/{slug}",
            "provider": f"{p}.example",
            "title": title,
            "published": when,
            "topics": topics,
        }
        for p, slug, title, when, topics in _TOY
    ]
    articles[0] |= {
        "related": ["https://b.example/solar-2"],
        "tags": ["US-NV"],
        "images": ["https://a.example/farm.jpg"],
    }
    articles[4] |= {"related": ["https://c.example/cup-2"]}
    return make_graph(articles)
