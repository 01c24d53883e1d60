"""Turn a merged :class:`~graph.building.merge.Partial` into the graph (DESIGN §4) and its report.

AMP and original URLs are resolved here, once everything is known: an article key that is
only an alias of another article's ``webUrl`` (and is not itself the ``webUrl`` of a
document) is merged into that article.  Nodes and edges are added in sorted order so the
graph, and everything written from it, is byte-identical for the same input.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from graph.building.merge import ArticleState, Partial
from graph.building.report import BuildReport
from graph.model import EdgeKind, NodeKind, node_key

__all__ = ["assemble"]

_VERSION = "0.1.0"


def _label(counts: Counter[str], fallback: str) -> str:
    """The most frequent spelling; ties go to the smallest, so the choice is stable."""
    if not counts:
        return fallback
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _resolve_aliases(partial: Partial) -> tuple[dict[str, str], int]:
    """Map article keys to the key they merge into; returns the map and the merge count."""
    primaries = {key for key, state in partial.articles.items() if not state.is_stub}
    redirect = {
        alias: target for alias, (_, target) in partial.aliases.items()
        if alias != target and alias in partial.articles and alias not in primaries
    }
    final: dict[str, str] = {}
    for alias in sorted(redirect):
        target, seen = redirect[alias], {alias}
        while target in redirect and target not in seen:  # follow chains, never loop
            seen.add(target)
            target = redirect[target]
        if target != alias:
            final[alias] = target
    for alias in sorted(final):
        partial.articles[final[alias]].merge(partial.articles.pop(alias))
    return final, len(final)


def _article_attributes(key: str, state: ArticleState) -> dict[str, Any]:
    attrs: dict[str, Any] = {"kind": str(NodeKind.ARTICLE)}
    title, title_original = state.value("title") or (None, None)
    excerpt, excerpt_original = state.value("excerpt") or (None, None)
    attrs["label"] = title or key
    values = {"title": title, "title_original": title_original, "excerpt": excerpt,
              "excerpt_original": excerpt_original}
    for field in ("url", "published", "updated", "type", "category", "categories", "quality",
                  "heat", "is_published", "locale", "secured", "path"):
        values[field] = state.value(field)
    values["categories"] = list(values["categories"]) if values["categories"] else None
    for name, value in values.items():
        if value is not None:
            attrs[name] = value
    attrs["urls"] = sorted(state.urls)
    attrs["is_stub"] = state.is_stub
    attrs["sources"] = sorted(state.sources)
    extra = {f[6:]: state.value(f) for f in sorted(state.fields()) if f.startswith("extra.")}
    if extra:
        attrs["extra"] = extra
    return attrs


def assemble(partial: Partial, files_read: int, files_failed: int) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build the graph and the report from everything read (consumes ``partial``)."""
    redirect, alias_merges = _resolve_aliases(partial)
    G = nx.MultiDiGraph(name="newsgraph", newsgraph_version=_VERSION)
    articles = partial.articles
    edges: list[tuple[str, str, EdgeKind]] = []
    self_links = 0
    conflicts: Counter[str] = Counter()
    related_conflicts: Counter[str] = Counter()
    for key in sorted(articles):
        state = articles[key]
        a = node_key(NodeKind.ARTICLE, key)
        G.add_node(a, **_article_attributes(key, state))
        for primary, field in state.conflicts:
            (conflicts if primary else related_conflicts)[field] += 1
        provider = state.value("provider")
        if provider is not None:
            edges.append((a, node_key(NodeKind.PROVIDER, provider), EdgeKind.PUBLISHED_BY))
        edges.extend((a, node_key(NodeKind.TOPIC, t), EdgeKind.ABOUT) for t in state.topics)
        edges.extend((a, node_key(NodeKind.TAG, t), EdgeKind.TAGGED) for t in state.tags)
        edges.extend((a, node_key(NodeKind.IMAGE, i), EdgeKind.HAS_IMAGE) for i in state.images)
        for other in state.related:
            target = redirect.get(other, other)
            if target == key:
                self_links += 1
                continue
            edges.append((a, node_key(NodeKind.ARTICLE, target), EdgeKind.RELATED_TO))
    for domain in sorted(partial.provider_names):
        label = _label(partial.provider_names[domain], domain)
        G.add_node(node_key(NodeKind.PROVIDER, domain), kind=str(NodeKind.PROVIDER), label=label,
                   name=label, names=sorted(partial.provider_names[domain]), domain=domain)
        p = node_key(NodeKind.PROVIDER, domain)
        edges.extend((p, node_key(NodeKind.IMAGE, i), EdgeKind.HAS_IMAGE)
                     for i in partial.provider_images.get(domain, ()))
    for kind, table in ((NodeKind.TOPIC, partial.topics), (NodeKind.TAG, partial.tags)):
        for folded in sorted(table):
            label = _label(table[folded], folded)
            G.add_node(node_key(kind, folded), kind=str(kind), label=label, name=label,
                       names=sorted(table[folded]))
    for url in sorted(partial.images):
        slots = partial.images[url]
        attrs = {field: slot[1] for field, slot in sorted(slots.items())}
        G.add_node(node_key(NodeKind.IMAGE, url), kind=str(NodeKind.IMAGE),
                   label=attrs.get("title") or url, url=url, **attrs)
    G.add_edges_from((u, v, str(k), {"kind": str(k)}) for u, v, k in sorted(set(edges)))
    report = BuildReport(
        files_read=files_read,
        files_failed=files_failed,
        primary_records=partial.counts["primary_records"],
        related_records=partial.counts["related_records"],
        articles=len(articles),
        primary_articles=sum(not s.is_stub for s in articles.values()),
        stub_articles=sum(s.is_stub for s in articles.values()),
        duplicate_documents=partial.counts["primary_records"]
        - sum(not s.is_stub for s in articles.values()),
        merged_observations=partial.counts["primary_records"] + partial.counts["related_records"]
        - len(articles),
        alias_merges=alias_merges,
        alias_conflicts=len(partial.alias_conflicts),
        self_links_dropped=self_links,
        conflicts=dict(sorted(conflicts.items())),
        related_conflicts=dict(sorted(related_conflicts.items())),
        nodes_by_kind=_count(G.nodes(data="kind")),
        edges_by_kind=_count(G.edges(data="kind")),
        problems=tuple(sorted(partial.problems)),
    )
    return G, report


def _count(pairs: Any) -> dict[str, int]:
    counts = Counter(item[-1] for item in pairs)
    return {str(kind): counts.get(str(kind), 0) for kind in (*NodeKind, *EdgeKind)
            if str(kind) in counts}
