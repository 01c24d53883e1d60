"""Labels for the communities and stories an annotated graph carries as bare ids.

:func:`newsgraph.graph.analysis.annotate` writes ``community`` and ``story`` ids onto nodes.
The views take labels from ``G.graph["community_labels"]`` / ``G.graph["story_labels"]``
(a list by id, or a mapping) when present; otherwise they describe each group from its
members: a community by its most frequent topics and provider, a story by the headline of
its best-connected article.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("topic:x", kind="topic", label="Transport")
>>> G.add_node("article:a", kind="article", title="Bridge closes", community=0, story=0)
>>> G.add_edge("article:a", "topic:x")
>>> group_labels(G, {"article:a": 0}, "community_labels"), group_labels(G, {"article:a": 0}, "story_labels")
(['Transport'], ['Bridge closes'])
"""

from __future__ import annotations

import importlib
import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping

import networkx as nx

__all__ = ["group_labels", "node_groups", "quick_communities"]


def node_groups(G: nx.Graph, attribute: str) -> dict[Hashable, int]:
    """The non-negative int *attribute* (``community`` or ``story``) of each node that has one."""
    return {
        n: v
        for n, v in G.nodes(data=attribute)
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0
    }


def group_labels(G: nx.Graph, membership: Mapping[Hashable, int], where: str) -> list[str]:
    """A label for each id ``0..max`` in *membership*, from ``G.graph[where]`` or the members."""
    count = max(membership.values(), default=-1) + 1
    given = G.graph.get(where)
    if isinstance(given, list | tuple):
        given = dict(enumerate(given))
    if isinstance(given, Mapping):
        found = {int(k): str(v) for k, v in given.items() if str(k).lstrip("-").isdigit()}
        if all(i in found for i in range(count)):
            return [found[i] for i in range(count)]
    members: dict[int, list[Hashable]] = defaultdict(list)
    for n, c in membership.items():
        members[c].append(n)
    describe = _headline if where.startswith("story") else _topics_and_provider
    return [describe(G, sorted(members.get(i, []), key=str)) or f"group {i}" for i in range(count)]


def _topics_and_provider(G: nx.Graph, members: list[Hashable]) -> str:
    topics: Counter[str] = Counter()
    providers: Counter[str] = Counter()
    for n in members:
        if G.nodes[n].get("kind") != "article":
            continue
        for m in nx.all_neighbors(G, n):
            kind = G.nodes[m].get("kind")
            if kind == "topic":
                topics[_name(G, m)] += 1
            elif kind == "provider":
                providers[_name(G, m)] += 1
    top = [t for t, _ in sorted(topics.items(), key=lambda tc: (-tc[1], tc[0]))[:2]]
    label = " · ".join(top)
    if providers:
        best = min(providers, key=lambda p: (-providers[p], p))
        label = f"{label} — {best}" if label else best
    if not label and members:  # no articles: name it after its best-connected member
        label = _name(G, max(members, key=lambda n: (G.degree(n), str(n))))
    return label


def _headline(G: nx.Graph, members: list[Hashable]) -> str:
    articles = [n for n in members if G.nodes[n].get("title") or G.nodes[n].get("label")]
    if not articles:
        return ""
    best = min(articles, key=lambda n: (-G.degree(n), str(n)))
    return str(G.nodes[best].get("title") or G.nodes[best].get("label"))


def _name(G: nx.Graph, n: Hashable) -> str:
    label = G.nodes[n].get("label")
    return label if isinstance(label, str) and label else str(n)


def quick_communities(
    G: nx.Graph, pairs: Iterable[tuple[Hashable, Hashable]], seed: int = 0
) -> dict[Hashable, int]:
    """Communities for colouring a large graph fast, from its linked *pairs*: Leiden
    (modularity) with igraph, else networkx's Louvain; images are left out, as in
    :func:`~newsgraph.graph.analysis.find_communities`.  Ids go by size, largest first
    (ties by the smallest key).

    >>> G = nx.barbell_graph(4, 0)
    >>> sorted(quick_communities(G, G.edges()).items())
    [(0, 0), (1, 0), (2, 0), (3, 0), (4, 1), (5, 1), (6, 1), (7, 1)]
    """
    skip = {n for n, kind in G.nodes(data="kind") if kind == "image"}
    order = sorted((n for n in G if n not in skip), key=str)
    index = {n: i for i, n in enumerate(order)}
    # Sorted: Leiden follows the edge order, which must not depend on how G was built.
    links = sorted(
        (min(index[u], index[v]), max(index[u], index[v]))
        for u, v in pairs
        if u in index and v in index and u != v
    )
    try:
        igraph = importlib.import_module("igraph")
    except ImportError:
        igraph = None
    if igraph is not None:
        g = igraph.Graph(n=len(order), edges=links)
        saved = random.getstate()
        random.seed(seed)  # igraph draws from Python's random module
        try:
            parts = g.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            random.setstate(saved)
        groups = [[order[i] for i in part] for part in parts]
    else:
        H = nx.Graph()
        H.add_nodes_from(range(len(order)))
        H.add_edges_from(links)
        groups = [[order[i] for i in c] for c in nx.community.louvain_communities(H, seed=seed)]
    groups = [sorted(g, key=str) for g in groups if g]
    groups.sort(key=lambda g: (-len(g), str(g[0])))
    return {n: cid for cid, group in enumerate(groups) for n in group}
