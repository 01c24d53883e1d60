"""What the analyses need to know about each article, read once from a newsgraph graph.

Works on the graph of ``docs/graph-schema.md``: edges whose multigraph key (or ``kind``
attribute) is the edge kind.  Articles without a usable ``published`` value get ``None``.

>>> import networkx as nx
>>> G = nx.MultiDiGraph()
>>> G.add_node("article:a", kind="article", label="A", title="A", published="2020-06-11")
>>> G.add_node("topic:ai", kind="topic", label="AI")
>>> _ = G.add_edge("article:a", "topic:ai", key="about", kind="about")
>>> facts = article_facts(G)["article:a"]
>>> facts.topics, facts.published.isoformat()
(('topic:ai',), '2020-06-11T00:00:00+00:00')
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from newsgraph.graph.model import EdgeKind, NodeKind

__all__ = ["ArticleFacts", "article_facts", "kind_of", "label_of", "parse_time"]


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """One article: its title, publication time and the keys of its neighbours."""

    key: str
    title: str
    published: datetime | None
    provider: str | None
    topics: tuple[str, ...]
    related: tuple[str, ...]
    is_stub: bool = False
    tags: tuple[str, ...] = ()  # the tag nodes it is tagged with (once each, in edge order)


def kind_of(G: nx.Graph, node: Hashable) -> str | None:
    """The ``kind`` attribute of a node, or ``None``."""
    kind = G.nodes[node].get("kind")
    return None if kind is None else str(kind)


def label_of(G: nx.Graph, node: Hashable) -> str:
    """A readable name for a node: ``label``, else ``title``/``name``, else the key."""
    data = G.nodes[node]
    return str(data.get("label") or data.get("title") or data.get("name") or node)


def parse_time(value: Any) -> datetime | None:
    """An aware UTC datetime from an ISO 8601 string or date; ``None`` if unusable.

    >>> parse_time("2020-06-11T12:58:00Z").hour, parse_time("soon")
    (12, None)
    """
    if isinstance(value, datetime):
        stamp = value
    else:
        try:
            stamp = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def article_facts(G: nx.Graph) -> dict[str, ArticleFacts]:
    """Facts for every article node, in node order.

    Topics, provider, tags and related links are read from a directed graph (the schema's); an
    undirected graph is a projection whose edges say none of that, so only titles and times
    are read from it.
    """
    multi = G.is_multigraph()
    # The adjacency's own dicts (views of them for a subgraph view), not networkx's view
    # wrappers: one walk of a million articles' edges is several times faster.
    succ = G._succ if G.is_directed() else None
    # Plain strings: they compare equal to the members (a str Enum) and faster.
    about, published_by = EdgeKind.ABOUT.value, EdgeKind.PUBLISHED_BY.value
    related_to, tagged = EdgeKind.RELATED_TO.value, EdgeKind.TAGGED.value
    facts: dict[str, ArticleFacts] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") != NodeKind.ARTICLE:
            continue
        provider: str | None = None
        topics: list[str] = []
        related: list[str] = []
        tags: list[str] = []
        for other, keyed in succ[node].items() if succ is not None else ():
            for k, d in keyed.items() if multi else ((None, keyed),):
                kind = d.get("kind", k)
                if kind == related_to:
                    related.append(other)
                elif kind == about:
                    topics.append(other)
                elif kind == published_by:
                    provider = other
                elif kind == tagged and (not tags or tags[-1] != other):
                    tags.append(other)
        facts[node] = ArticleFacts(
            key=node,
            title=str(data.get("title") or data.get("label") or ""),
            published=parse_time(data["published"]) if "published" in data else None,
            provider=provider,
            topics=tuple(sorted(topics)),
            related=tuple(sorted(related)),
            is_stub=bool(data.get("is_stub", False)),
            tags=tuple(tags) if tags else (),
        )
    return facts
