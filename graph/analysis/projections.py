"""Projections of a newsgraph graph onto the simple, undirected, weighted graphs analyses use.

- :func:`kind_graph` keeps the chosen node kinds and folds parallel and reverse edges into one
  weighted edge (images are out by default).
- :func:`article_graph` links articles by related links and by shared topics and providers
  (the sparse :func:`~newsgraph.graph.analysis.sparse.article_projection` as networkx).
- :func:`topic_cooccurrence` links topics that the same articles are about.
- :func:`provider_topic_graph` is the bipartite provider–topic graph and
  :func:`provider_graph` its projection onto providers.

Every projection lists its nodes and edges in sorted order, so seeded algorithms on it give the
same result whatever order the input graph was built in.  Not supported: directed projections,
and time-decayed weights.

>>> from newsgraph.examples import toy_graph
>>> P = article_graph(toy_graph())
>>> P.number_of_nodes(), P.has_edge("article:https://a.example/solar-1", "article:https://b.example/solar-2")
(12, True)
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Hashable, Iterable
from itertools import combinations
from typing import Any

import networkx as nx

from newsgraph.graph.analysis._facts import article_facts
from newsgraph.graph.analysis.sparse import DEFAULT_NEIGHBOURS, article_projection
from newsgraph.graph.model import NodeKind

__all__ = [
    "DEFAULT_KINDS",
    "article_graph",
    "kind_graph",
    "provider_graph",
    "provider_topic_graph",
    "topic_cooccurrence",
]

#: The node kinds analyses use unless told otherwise: everything but images.
DEFAULT_KINDS: frozenset[str] = frozenset({"article", "provider", "topic", "tag"})

# Node attributes worth carrying into a projection (for labels, plots and timelines).
_CARRIED = ("kind", "label", "title", "published")


def _sorted(nodes: Iterable[Hashable]) -> list[Hashable]:
    nodes = list(nodes)
    try:
        return sorted(nodes)  # type: ignore[type-var]
    except TypeError:  # mixed key types: any fixed order will do
        return sorted(nodes, key=repr)


def _assemble(
    G: nx.Graph, nodes: Iterable[Hashable], weights: dict[tuple[int, int], float], order: list[Any]
) -> nx.Graph:
    H = nx.Graph()
    for node in nodes:
        data = G.nodes[node]
        H.add_node(node, **{k: data[k] for k in _CARRIED if k in data})
    H.add_weighted_edges_from((order[i], order[j], w) for (i, j), w in sorted(weights.items()))
    return H


def kind_graph(
    G: nx.Graph, kinds: Collection[str] | None = DEFAULT_KINDS, *, weight: str = "weight"
) -> nx.Graph:
    """The undirected weighted graph of the nodes whose ``kind`` is in *kinds*.

    Nodes without a ``kind`` are always kept, so any networkx graph works; ``kinds=None``
    keeps every node.  Edges between the same two nodes add their *weight* (1 when absent);
    self-loops are dropped.

    >>> import networkx as nx
    >>> G = nx.MultiDiGraph([("a", "b"), ("b", "a"), ("b", "c")])
    >>> sorted(kind_graph(G).edges(data="weight"))
    [('a', 'b', 2.0), ('b', 'c', 1.0)]
    """
    nodes = _sorted(
        n for n, k in G.nodes(data="kind") if kinds is None or k is None or str(k) in kinds
    )
    index = {n: i for i, n in enumerate(nodes)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    for u, v, w in G.edges(data=weight, default=1.0):
        i, j = index.get(u), index.get(v)
        if i is not None and j is not None and i != j:
            weights[(i, j) if i < j else (j, i)] += float(w)
    return _assemble(G, nodes, weights, nodes)


def article_graph(
    G: nx.Graph,
    *,
    neighbours: int = DEFAULT_NEIGHBOURS,
    related_weight: float = 1.0,
    topic_weight: float = 1.0,
    provider_weight: float = 0.5,
    seed: int = 0,
) -> nx.Graph:
    """:func:`~newsgraph.graph.analysis.sparse.article_projection` as a networkx graph.

    Articles linked by related links and by the topics and providers they share (see
    :mod:`.sparse`: popular ones weighted down, each article keeping its *neighbours*
    strongest links).  For large corpora use ``article_projection``, which stays in arrays.
    """
    return article_projection(
        G,
        neighbours=neighbours,
        related_weight=related_weight,
        topic_weight=topic_weight,
        provider_weight=provider_weight,
        seed=seed,
    ).to_networkx()


def topic_cooccurrence(G: nx.Graph, *, min_count: int = 1) -> nx.Graph:
    """Topics linked when articles are about both; ``weight`` counts those articles.

    Each topic node carries ``count``, the number of articles about it.

    >>> from newsgraph.examples import toy_graph
    >>> C = topic_cooccurrence(toy_graph())
    >>> C.nodes["topic:solar"]["count"], C["topic:solar"]["topic:energy"]["weight"]
    (4, 4)
    """
    facts = article_facts(G)
    counts: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for fact in facts.values():
        counts.update(fact.topics)
        pairs.update(combinations(fact.topics, 2))  # topics are sorted, so pairs are too
    C = nx.Graph()
    for topic in sorted(counts):
        C.add_node(topic, kind=NodeKind.TOPIC.value, label=_label(G, topic), count=counts[topic])
    C.add_weighted_edges_from((a, b, n) for (a, b), n in sorted(pairs.items()) if n >= min_count)
    return C


def provider_topic_graph(G: nx.Graph) -> nx.Graph:
    """The bipartite graph of providers (``bipartite=0``) and the topics they write about.

    ``weight`` counts the provider's articles about the topic.

    >>> from newsgraph.examples import toy_graph
    >>> B = provider_topic_graph(toy_graph())
    >>> B["provider:a.example"]["topic:solar"]["weight"]
    2
    """
    pairs: Counter[tuple[str, str]] = Counter()
    for fact in article_facts(G).values():
        if fact.provider is not None:
            pairs.update((fact.provider, topic) for topic in fact.topics)
    B = nx.Graph()
    for side, nodes in enumerate((sorted({p for p, _ in pairs}), sorted({t for _, t in pairs}))):
        kind = NodeKind.PROVIDER if side == 0 else NodeKind.TOPIC
        B.add_nodes_from(
            (n, {"kind": kind.value, "label": _label(G, n), "bipartite": side}) for n in nodes
        )
    B.add_weighted_edges_from((p, t, n) for (p, t), n in sorted(pairs.items()))
    return B


def provider_graph(G: nx.Graph) -> nx.Graph:
    """Providers linked by the topics they share; ``weight`` counts the shared topics.

    >>> from newsgraph.examples import toy_graph
    >>> P = provider_graph(toy_graph())
    >>> P["provider:a.example"]["provider:b.example"]["weight"]  # AI, energy, football, solar, sport
    5
    """
    B = provider_topic_graph(G)
    providers = [n for n, side in B.nodes(data="bipartite") if side == 0]
    P = nx.bipartite.weighted_projected_graph(B, providers)
    for node in P:
        P.nodes[node].pop("bipartite", None)
    return P


def _label(G: nx.Graph, node: Hashable) -> str:
    data = G.nodes[node] if node in G else {}
    return str(data.get("label") or data.get("name") or node)
