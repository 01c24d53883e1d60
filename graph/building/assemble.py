"""Turn a merged :class:`~newsgraph.graph.building.merge.Partial` into the graph (DESIGN §4) and its report.

Identities are resolved here, once everything is known (see
:mod:`~newsgraph.graph.building.identity`): URL variants, AMP and original URLs.  Nodes and edges are added in sorted order so the
graph, and everything written from it, is byte-identical for the same input.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

import networkx as nx

from newsgraph.graph._version import __version__
from newsgraph.graph.building.adjacency import add_kind_edges, add_new_node
from newsgraph.graph.building.identity import AliasConflict, group_keys, with_files
from newsgraph.graph.building.merge import VALUE_FIELDS, ArticleState, Lists, Partial, Tables
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.model import EdgeKind, NodeKind, Problem, node_key
from newsgraph.graph.urls import identity_form

__all__ = [
    "TABLE_KINDS",
    "DecidedCounts",
    "article_edges",
    "assemble",
    "build_report",
    "new_graph",
    "provider_edges",
    "table_nodes",
]


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
    listed = [with_files(c, [articles[k].sources for k in c.urls]) for c in conflicts]
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
    # the label and URL are most often one of the URLs: one string object, not three
    known = {url: url for url in attrs["urls"]}
    for name in ("label", "url"):
        value = attrs.get(name)
        if isinstance(value, str):
            attrs[name] = known.get(value, value)
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


def article_edges(
    key: str, state: ArticleState, values: dict[str, Any], lists: Lists, redirect: dict[str, str]
) -> tuple[list[tuple[str, str, str]], int]:
    """An article's outgoing edges, sorted, and the number of self-links dropped.

    ``redirect`` maps merged article keys to the key they merged into.
    """
    a = _ARTICLE + key
    out = [(a, _TOPIC + t, _ABOUT) for t in lists.topics]
    provider = values.get("provider")
    if provider is not None:
        out.append((a, _PROVIDER + provider, _PUBLISHED_BY))
    out.extend((a, _TAG + t, _TAGGED) for t in lists.tags)
    out.extend((a, _IMAGE + i, _HAS_IMAGE) for i in lists.images)
    self_links = 0
    for other in state.related:
        target = redirect.get(other, other)
        if target == key:
            self_links += 1
            continue
        out.append((a, _ARTICLE + target, _RELATED_TO))
    # Sorted a node at a time, nodes in sorted order: all edges sorted, at a fraction
    # of the cost of sorting them all at once.
    return sorted(set(out)), self_links


#: Node kinds of the nodes made from the tables, in the order they are added.
TABLE_KINDS = (str(NodeKind.PROVIDER), str(NodeKind.TOPIC), str(NodeKind.TAG), str(NodeKind.IMAGE))


def table_nodes(tables: Tables) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The provider, topic, tag and image nodes of ``tables``, by kind, each in key order."""
    nodes: dict[str, list[tuple[str, dict[str, Any]]]] = {kind: [] for kind in TABLE_KINDS}
    for domain in sorted(tables.provider_names):
        label = _label(tables.provider_names[domain], domain)
        attrs = {
            "kind": str(NodeKind.PROVIDER),
            "label": label,
            "name": label,
            "names": sorted(tables.provider_names[domain]),
            "domain": domain,
        }
        nodes[str(NodeKind.PROVIDER)].append((_PROVIDER + domain, attrs))
    for kind, prefix, table in (
        (NodeKind.TOPIC, _TOPIC, tables.topics),
        (NodeKind.TAG, _TAG, tables.tags),
    ):
        for folded in sorted(table):
            label = _label(table[folded], folded)
            attrs = {
                "kind": str(kind),
                "label": label,
                "name": label,
                "names": sorted(table[folded]),
            }
            nodes[str(kind)].append((prefix + folded, attrs))
    for url in sorted(tables.images):
        slots = {name: slot[1] for name, slot in sorted(tables.images[url].items())}
        attrs = {
            "kind": str(NodeKind.IMAGE),
            "label": slots.get("title") or url,
            "url": url,
            **slots,
        }
        nodes[str(NodeKind.IMAGE)].append((_IMAGE + url, attrs))
    return nodes


def provider_edges(tables: Tables) -> list[tuple[str, str, str]]:
    """The providers' edges to their logos, sorted."""
    return [
        (_PROVIDER + domain, _IMAGE + image, _HAS_IMAGE)
        for domain in sorted(tables.provider_names)
        for image in sorted(tables.provider_images.get(domain, ()))
    ]


@dataclass
class DecidedCounts:
    """What deciding articles (all of them, or a shard's) adds to the report."""

    articles: int = 0
    primaries: int = 0
    self_links: int = 0
    conflicts: Counter[str] = field(default_factory=Counter)
    related_conflicts: Counter[str] = field(default_factory=Counter)
    nodes: Counter[str] = field(default_factory=Counter)
    edges: Counter[str] = field(default_factory=Counter)

    def add(self, other: DecidedCounts) -> None:
        """Add the counts of other articles."""
        self.articles += other.articles
        self.primaries += other.primaries
        self.self_links += other.self_links
        for mine, theirs in (
            (self.conflicts, other.conflicts),
            (self.related_conflicts, other.related_conflicts),
            (self.nodes, other.nodes),
            (self.edges, other.edges),
        ):
            mine.update(theirs)

    def decided(
        self, key: str, state: ArticleState, redirect: dict[str, str]
    ) -> tuple[tuple[str, dict[str, Any]], list[tuple[str, str, str]]]:
        """Decide one article: its node and its sorted edges, counted here."""
        (values, fields_in_conflict), lists = state.decide(), state.lists()
        node = (_ARTICLE + key, _article_attributes(key, state, values, lists.urls))
        for primary, name in fields_in_conflict:
            (self.conflicts if primary else self.related_conflicts)[name] += 1
        edges, dropped = article_edges(key, state, values, lists, redirect)
        self.self_links += dropped
        self.articles += 1
        self.primaries += not state.is_stub
        self.nodes[_ARTICLE_KIND] += 1
        self.edges.update(map(itemgetter(2), edges))
        return node, edges

    def tables(self, nodes: dict[str, list[tuple[str, dict[str, Any]]]], edges: int) -> None:
        """Count the table nodes and the providers' edges."""
        self.nodes.update({kind: len(found) for kind, found in nodes.items()})
        self.edges[_HAS_IMAGE] += edges


def build_report(
    counts: DecidedCounts,
    records: Counter[str],
    problems: list[Problem],
    redirect: dict[str, str],
    alias_conflicts: list[AliasConflict],
    files_read: int,
    files_failed: int,
) -> BuildReport:
    """The report of a build: what was read (``records``, ``problems``) and decided."""
    variant_merges = sum(identity_form(k) == identity_form(v) for k, v in redirect.items())
    primary, related = records["primary_records"], records["related_records"]
    return BuildReport(
        files_read=files_read,
        files_failed=files_failed,
        primary_records=primary,
        related_records=related,
        not_articles=sum(p.code == "not-an-article" for p in problems),
        articles=counts.articles,
        primary_articles=counts.primaries,
        stub_articles=counts.articles - counts.primaries,
        duplicate_documents=primary - counts.primaries,
        merged_observations=primary + related - counts.articles,
        alias_merges=len(redirect) - variant_merges,
        url_variant_merges=variant_merges,
        alias_conflicts=len(alias_conflicts),
        alias_conflict_list=tuple(alias_conflicts),
        self_links_dropped=counts.self_links,
        conflicts=dict(sorted(counts.conflicts.items())),
        related_conflicts=dict(sorted(counts.related_conflicts.items())),
        nodes_by_kind=_by_kind(counts.nodes, NodeKind),
        edges_by_kind=_by_kind(counts.edges, EdgeKind),
        problems=tuple(sorted(problems)),
    )


def assemble(
    partial: Partial, files_read: int, files_failed: int, redirect_out: dict[str, str] | None = None
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build the graph and the report from everything read (consumes ``partial``).

    ``redirect_out``, when given, receives the map of merged keys to the key they merged into.
    """
    tables = partial.tables()
    redirect, alias_conflicts = _resolve_identities(partial, tables.aliases)
    if redirect_out is not None:
        redirect_out.update(redirect)
    # the number of files read travels with the graph (graph.json), so an RDF export of it
    # says the same void:documents whichever command writes it
    G = new_graph(files_read)
    articles = partial.articles
    edges: list[tuple[str, str, str]] = []
    counts = DecidedCounts()
    for key in sorted(articles):
        (a, attrs), out = counts.decided(key, articles[key], redirect)
        add_new_node(G, a, attrs)
        edges += out
    nodes = table_nodes(tables)
    for kind in TABLE_KINDS:
        for node, attrs in nodes[kind]:
            add_new_node(G, node, attrs)
    logos = provider_edges(tables)
    counts.tables(nodes, len(logos))
    add_kind_edges(
        G, edges + logos
    )  # articles' edges first, then providers': "article:" < "provider:"
    report = build_report(
        counts,
        partial.counts,
        partial.problems,
        redirect,
        alias_conflicts,
        files_read,
        files_failed,
    )
    return G, report


def new_graph(files_read: int) -> nx.MultiDiGraph:
    """An empty graph with the attributes of a build's graph."""
    return nx.MultiDiGraph(name="newsgraph", newsgraph_version=__version__, documents=files_read)


def _by_kind(counts: Counter[str], kinds: Any) -> dict[str, int]:
    """Counts in the order of the kinds, kinds with none left out."""
    return {str(kind): counts[str(kind)] for kind in kinds if counts[str(kind)]}
