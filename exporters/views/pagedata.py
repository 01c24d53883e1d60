"""The JSON the standalone page reads: node columns, edges, filters, groups and details.

Nodes are columns (``key``, ``label``, ``kind``, ``x``, ``y``, ...) rather than one object a
node, which keeps a 100,000-node page small; drawn nodes come first (``drawn`` of them) and
have positions, the others have ``null`` and are there for search.  Lists in the details are
kept whole (the page shows the first few behind "show all"); links are de-duplicated and
labelled (``page``, ``AMP``, ``original``); source paths are relative to their input root.

>>> import networkx as nx
>>> from newsgraph.exporters.views.layout import build_view
>>> G = nx.Graph([("a", "b")])
>>> data = page_data(G, build_view(G, communities=False), title="t")
>>> data["edges"], data["nodes"]["key"], data["drawn"]
([[0, 1, 0]], ['a', 'b'], 2)
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import Any, Final
from urllib.parse import urlsplit

import networkx as nx

from newsgraph.exporters.values import MISSING, clean_text, plain
from newsgraph.exporters.views.labels import group_labels, node_groups
from newsgraph.exporters.views.layout import View
from newsgraph.exporters.views.palette import KIND_COLOURS, OTHER, PALETTE
from newsgraph.exporters.views.sources import machine_folder, portable_paths
from newsgraph.graph.analysis import Stories

__all__ = ["link_label", "page_data"]

# Shown first in the detail panel, in this order; other attributes follow by name.
_FIRST: Final = (
    "title",
    "excerpt",
    "published",
    "updated",
    "name",
    "names",
    "domain",
    "type",
    "category",
    "categories",
)
# Opaque, duplicated elsewhere, or shown another way (links, colour, header, filters).
_HIDDEN: Final = frozenset(
    {
        "kind",
        "label",
        "secured",
        "title_original",
        "excerpt_original",
        "url",
        "urls",
        "community",
        "story",
    }
)


def page_data(
    G: nx.Graph,
    view: View,
    *,
    title: str,
    color_by: str = "kind",
    stories: Stories | None = None,
) -> dict[str, Any]:
    """The page's data for *view* of *G* (see the module docstring for its shape)."""
    story_of, story_labels = _stories(G, stories)
    kinds = sorted({n.kind for n in view.nodes})
    roots = sorted({n.root for n in view.nodes})
    # The filters' names, once a node: an article's are looked up, not cleaned again.
    named = {
        n.node: (n.kind, _name(G, n.node))
        for n in view.nodes
        if n.node is not None and n.kind in ("provider", "topic")
    }
    providers = sorted({name for kind, name in named.values() if kind == "provider"})
    topics = sorted({name for kind, name in named.values() if kind == "topic"})
    provider_at = {p: i for i, p in enumerate(providers)}
    topic_at = {t: i for i, t in enumerate(topics)}
    edge_kinds = sorted({k for *_, k in (*view.edges, *view.index_edges)})
    edge_at = {k: i for i, k in enumerate(edge_kinds)}
    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "key",
            "label",
            "kind",
            "x",
            "y",
            "degree",
            "community",
            "story",
            "root",
            "provider",
            "topics",
            "time",
            "details",
            "links",
        )
    }
    kind_at = {k: i for i, k in enumerate(kinds)}
    root_at = {r: i for i, r in enumerate(roots)}
    folder = machine_folder(G)
    for i, n in enumerate(view.nodes):
        attrs: Mapping[str, Any] = G.nodes[n.node] if n.node is not None else {}
        near = _near(G, n.node, named) if n.node is not None else {}
        provider = [provider_at[p] for p in near.get("provider", ())]
        topic_ids = sorted({topic_at[t] for t in near.get("topic", ())})
        if n.kind == "provider":
            provider = [provider_at[named[n.node][1]]]
        if n.kind == "topic":
            topic_ids = [topic_at[named[n.node][1]]]
        drawn = i < view.drawn
        row = (
            _text(n.key),
            _text(n.label),
            kind_at[n.kind],
            n.x if drawn else None,
            n.y if drawn else None,
            n.degree,
            n.community,
            story_of.get(n.node, -1) if n.node is not None else -1,
            root_at[n.root],
            min(provider, default=-1),
            topic_ids,
            _day(attrs.get("published")),
            _details(attrs, folder) if n.node is not None else [["members", str(n.degree)]],
            _links(attrs),
        )
        for column, value in zip(columns.values(), row, strict=True):
            column.append(value)
    return {
        "title": _text(title),
        "note": _text(view.note or ""),
        "color_by": color_by,
        "kind_colours": KIND_COLOURS,
        "palette": list(PALETTE),
        "other_colour": OTHER,
        "total": {"nodes": view.total_nodes, "edges": view.total_edges},
        "drawn": view.drawn,
        "left_out": view.left_out,
        "kinds": [_text(k) for k in kinds],
        "roots": [_text(r or "(none)") for r in roots],
        "providers": [_text(p) for p in providers],
        "topics": [_text(t) for t in topics],
        "communities": [_text(c) for c in view.communities],
        "stories": [_text(s) for s in story_labels],
        "edge_kinds": [_text(k) for k in edge_kinds],
        "nodes": columns,
        "edges": [[i, j, edge_at[k]] for i, j, k in view.edges],
        "index_edges": [[i, j, edge_at[k]] for i, j, k in view.index_edges],
    }


def link_label(url: str, main: str | None) -> str:
    """How the detail panel names a link: ``page`` (the node's URL), ``AMP`` or ``original``.

    >>> link_label("https://x-com.cdn.ampproject.org/c/s/x.com/a", "https://x.com/a")
    'AMP'
    >>> link_label("https://x.com/amp/a", None), link_label("https://m.x.com/a", "https://x.com/a")
    ('AMP', 'original')
    """
    if url == main:
        return "page"
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path.lower()
    amp = (
        host.endswith("ampproject.org")
        or host.startswith("amp.")
        or "/amp/" in f"{path}/"
        or path.endswith((".amp", ".amp.html"))
        or "amp=1" in parts.query.lower()
    )
    return "AMP" if amp else "original"


def _stories(G: nx.Graph, stories: Stories | None) -> tuple[dict[Hashable, int], list[str]]:
    if stories is not None:
        membership: dict[Hashable, int] = {k: v for k, v in stories.membership.items()}  # noqa: C416
        return membership, [row.headline for row in stories.rows]
    given = node_groups(G, "story")
    return given, group_labels(G, given, "story_labels") if given else []


def _near(
    G: nx.Graph, node: Hashable, named: Mapping[Hashable, tuple[str, str]]
) -> dict[str, list[str]]:
    """The names of an article's providers and topics (*named*: kind and name of each)."""
    if G.nodes[node].get("kind") != "article":
        return {}
    found: dict[str, list[str]] = {}
    for m in G.successors(node) if G.is_directed() else G.neighbors(node):
        if m in named:
            kind, name = named[m]
            found.setdefault(kind, []).append(name)
    return found


def _details(attrs: Mapping[str, Any], folder: str) -> list[list[Any]]:
    names = [k for k in _FIRST if k in attrs]
    names += sorted(str(k) for k in attrs if k not in _FIRST and k not in _HIDDEN)
    rows: list[list[Any]] = []
    for name in names:
        value = plain(attrs[name])
        if name == "sources":
            value = portable_paths(value, folder)
        if value is MISSING or value in ([], {}, ""):
            continue
        if name == "title" and value == attrs.get("label"):
            continue  # the panel's heading
        shown = [_as_text(v) for v in value] if isinstance(value, list) else _as_text(value)
        rows.append([_text(name), shown])
    return rows


def _links(attrs: Mapping[str, Any]) -> list[list[str]]:
    main = attrs.get("url") if isinstance(attrs.get("url"), str) else None
    seen: dict[str, str] = {}
    for url in [main, *(attrs.get("urls") or ())]:
        if isinstance(url, str) and _is_web_url(url):
            clean = _text(url.strip())
            seen.setdefault(clean, link_label(clean, main))
    return [[url, label] for url, label in seen.items()]


def _is_web_url(url: str) -> bool:
    """Whether *url* is an absolute http(s) URL (the viewer checks again before linking).

    >>> _is_web_url("https://x.org/a"), _is_web_url("javascript:alert(1)"), _is_web_url("http:x")
    (True, False, False)
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _day(value: Any) -> int | None:
    """Days since 1970-01-01 of an ISO date-time, for the page's time filter."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        stamp = datetime.fromisoformat(value[:10])
    except ValueError:
        return None
    return (stamp - datetime(1970, 1, 1)).days


def _as_text(value: Any) -> str:
    """A value :func:`plain` returned, as text (already clean: not cleaned again)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _name(G: nx.Graph, node: Hashable | None) -> str:
    label = G.nodes[node].get("label") if node is not None else None
    return _text(label if isinstance(label, str) and label else node)


def _text(value: object) -> str:
    return clean_text(value if isinstance(value, str) else str(value))[0]
