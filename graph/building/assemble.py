"""Turn a merged :class:`~newsgraph.graph.building.merge.Partial` into the graph (DESIGN §4) and its report.

Identities are resolved here, once everything is known (see
:mod:`~newsgraph.graph.building.identity`): URL variants, AMP and original URLs.  Nodes and edges are added in sorted order so the
graph, and everything written from it, is byte-identical for the same input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from operator import itemgetter
from typing import Any

import networkx as nx

from newsgraph.graph._version import __version__
from newsgraph.graph.building.adjacency import add_kind_edges, add_new_node
from newsgraph.graph.building.identity import FILES_LISTED, AliasConflict, group_keys
from newsgraph.graph.building.merge import VALUE_FIELDS, ArticleState, Partial
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.model import EdgeKind, NodeKind, node_key
from newsgraph.graph.urls import identity_form

__all__ = ["assemble"]


def _label(counts: Counter[str], fallback: str) -> str:
    """The most frequent spelling; ties go to the smallest, so the choice is stable."""
    if not counts:
        return fallback
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def _resolve_identities(
    partial: Partial, claims: dict[str, set[str]]
) -> tuple[dict[str, str], list[AliasConflict]]:
    """Merge the articles that are one (see :mod:`~newsgraph.graph.building.identity`).

    Returns the map of merged keys to the key they merged into, and the shared aliases
    with the files of the articles that declared them.
    """
    articles = partial.articles
    keys = {key: not state.is_stub for key, state in articles.items()}
    redirect, conflicts = group_keys(keys, claims)
    listed = []
    for conflict in conflicts:
        files = sorted(set().union(*(articles[k].sources for k in conflict.urls)))
        listed.append(replace(conflict, files=tuple(files[:FILES_LISTED]), files_total=len(files)))
    for key in sorted(redirect):
        articles[redirect[key]].merge(articles.pop(key))
    return redirect, listed


_ARTICLE_KIND = str(NodeKind.ARTICLE)


def _article_attributes(
    key: str, state: ArticleState, values: dict[str, Any], urls: set[str]
) -> dict[str, Any]:
    title, title_original = values.get("title") or (None, None)
    excerpt, excerpt_original = values.get("excerpt") or (None, None)
    attrs: dict[str, Any] = {"kind": _ARTICLE_KIND, "label": title or key}
    for name, value in (
        ("title", title),
        ("title_original", title_original),
        ("excerpt", excerpt),
        ("excerpt_original", excerpt_original),
    ):
        if value is not None:
            attrs[name] = value  # noqa: PERF403 -- the order of the keys matters
    get = values.get
    for name in VALUE_FIELDS:  # after the title and excerpt
        value = get(name)
        if value is not None:
            attrs[name] = value
    if "categories" in attrs:
        attrs["categories"] = list(attrs["categories"])
    attrs["urls"] = sorted(urls)
    attrs["is_stub"] = state.is_stub
    attrs["sources"] = sorted(state.sources)
    extra = sorted(name for name in values if name.startswith("extra."))
    if extra:
        attrs["extra"] = {name[6:]: values[name] for name in extra}
    return attrs


# Node key prefixes and edge kinds as plain strings: formatting the enums costs more than
# anything else here when it is done once per edge.
_ARTICLE, _PROVIDER, _TOPIC, _TAG, _IMAGE = (node_key(kind, "") for kind in NodeKind)
_PUBLISHED_BY, _ABOUT, _TAGGED, _HAS_IMAGE, _RELATED_TO = (str(kind) for kind in EdgeKind)


def assemble(
    partial: Partial, files_read: int, files_failed: int
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build the graph and the report from everything read (consumes ``partial``)."""
    tables = partial.tables()
    redirect, alias_conflicts = _resolve_identities(partial, tables.aliases)
    variant_merges = sum(identity_form(k) == identity_form(v) for k, v in redirect.items())
    # the number of files read travels with the graph (graph.json), so an RDF export of it
    # says the same void:documents whichever command writes it
    G = nx.MultiDiGraph(name="newsgraph", newsgraph_version=__version__, documents=files_read)
    articles = partial.articles
    edges: list[tuple[str, str, str]] = []
    self_links = 0
    conflicts: Counter[str] = Counter()
    related_conflicts: Counter[str] = Counter()
    for key in sorted(articles):
        state = articles[key]
        a = _ARTICLE + key
        (values, fields_in_conflict), lists = state.decide(), state.lists()
        add_new_node(G, a, _article_attributes(key, state, values, lists.urls))
        for primary, field in fields_in_conflict:
            (conflicts if primary else related_conflicts)[field] += 1
        out = [(a, _TOPIC + t, _ABOUT) for t in lists.topics]
        provider = values.get("provider")
        if provider is not None:
            out.append((a, _PROVIDER + provider, _PUBLISHED_BY))
        out.extend((a, _TAG + t, _TAGGED) for t in lists.tags)
        out.extend((a, _IMAGE + i, _HAS_IMAGE) for i in lists.images)
        for other in state.related:
            target = redirect.get(other, other)
            if target == key:
                self_links += 1
                continue
            out.append((a, _ARTICLE + target, _RELATED_TO))
        # Sorted a node at a time, nodes in sorted order: all edges sorted, at a fraction
        # of the cost of sorting them all at once.
        edges += sorted(set(out))
    for domain in sorted(tables.provider_names):
        label = _label(tables.provider_names[domain], domain)
        p = _PROVIDER + domain
        G.add_node(
            p,
            kind=str(NodeKind.PROVIDER),
            label=label,
            name=label,
            names=sorted(tables.provider_names[domain]),
            domain=domain,
        )
        edges += sorted((p, _IMAGE + i, _HAS_IMAGE) for i in tables.provider_images.get(domain, ()))
    for kind, prefix, table in (
        (NodeKind.TOPIC, _TOPIC, tables.topics),
        (NodeKind.TAG, _TAG, tables.tags),
    ):
        for folded in sorted(table):
            label = _label(table[folded], folded)
            G.add_node(
                prefix + folded,
                kind=str(kind),
                label=label,
                name=label,
                names=sorted(table[folded]),
            )
    for url in sorted(tables.images):
        slots = tables.images[url]
        attrs = {field: slot[1] for field, slot in sorted(slots.items())}
        add_new_node(
            G,
            _IMAGE + url,
            {"kind": str(NodeKind.IMAGE), "label": attrs.get("title") or url, "url": url, **attrs},
        )
    add_kind_edges(G, edges)  # articles' edges first, then providers': "article:" < "provider:"
    edges_by_kind = Counter(map(itemgetter(2), edges))
    nodes_by_kind = Counter(
        {
            str(NodeKind.ARTICLE): len(articles),
            str(NodeKind.PROVIDER): len(tables.provider_names),
            str(NodeKind.TOPIC): len(tables.topics),
            str(NodeKind.TAG): len(tables.tags),
            str(NodeKind.IMAGE): len(tables.images),
        }
    )
    primaries = sum(not state.is_stub for state in articles.values())
    report = BuildReport(
        files_read=files_read,
        files_failed=files_failed,
        primary_records=partial.counts["primary_records"],
        related_records=partial.counts["related_records"],
        not_articles=sum(p.code == "not-an-article" for p in partial.problems),
        articles=len(articles),
        primary_articles=primaries,
        stub_articles=len(articles) - primaries,
        duplicate_documents=partial.counts["primary_records"] - primaries,
        merged_observations=partial.counts["primary_records"]
        + partial.counts["related_records"]
        - len(articles),
        alias_merges=len(redirect) - variant_merges,
        url_variant_merges=variant_merges,
        alias_conflicts=len(alias_conflicts),
        alias_conflict_list=tuple(alias_conflicts),
        self_links_dropped=self_links,
        conflicts=dict(sorted(conflicts.items())),
        related_conflicts=dict(sorted(related_conflicts.items())),
        nodes_by_kind=_by_kind(nodes_by_kind, NodeKind),
        edges_by_kind=_by_kind(edges_by_kind, EdgeKind),
        problems=tuple(sorted(partial.problems)),
    )
    return G, report


def _by_kind(counts: Counter[str], kinds: Any) -> dict[str, int]:
    """Counts in the order of the kinds, kinds with none left out."""
    return {str(kind): counts[str(kind)] for kind in kinds if counts[str(kind)]}
