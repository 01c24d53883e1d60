"""The article projection as arrays: articles linked by what they share, sparsified.

:func:`article_projection` links two articles when one lists the other as related, or when they
share a topic, a provider or a tag.  A shared feature ``f`` weighs ``log(n / n_f)`` (``n``
articles, ``n_f`` of them have it), so a topic every third article has tells little and weighs
little; a related link weighs ``log(n / 2)``, like a feature only those two articles share.  It is built for corpora of millions of articles, which decides its shape:

- **No n² from popular features.**  A feature with more than ``neighbours + 1`` articles does
  not link each of them to all the others: its articles are put in a seeded random order and
  each is linked to the next ``neighbours // 2`` in that ring (``neighbours`` links each).  A
  random ring is an expander: a community held together by a popular topic stays one piece,
  at ``n_f * neighbours / 2`` edges instead of ``n_f**2 / 2``.  Smaller features link all
  their articles.  Nothing is dropped, and there is no size cap.  The order is a seeded hash
  of each article's key, not a shuffle of all articles, so adding articles to a corpus (an
  update) changes the rings only next to where they come in, and the communities of the rest
  stay where they were (:mod:`.churn`).
- **k strongest neighbours.**  The summed edges are then thinned: an edge stays when it is
  among the ``neighbours`` heaviest of either end, so every article keeps its best links and
  the projection has at most ``n * neighbours`` edges.
- **Arrays, not networkx.**  Nodes are a tuple of keys and edges three numpy arrays (indices
  as ``int32`` below 2**31 articles, weights ``float64``), handed to igraph as they are;
  :meth:`ArticleProjection.to_networkx` makes a networkx graph when wanted.  Each feature's
  edges keep one weight until they are summed, and intermediate arrays are dropped as soon as
  they are used, so the projection of a million articles takes little beside the graph.

Every article is a node, linked or not (an article sharing nothing is isolated).  The same
graph and seed give the same projection.

>>> from newsgraph.examples import toy_graph
>>> P = article_projection(toy_graph())
>>> P.n_nodes, P.n_edges <= P.n_nodes * 10
(12, True)
"""

from __future__ import annotations

import hashlib
import math
import weakref
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from newsgraph.graph.analysis._facts import ArticleFacts, article_facts

__all__ = ["DEFAULT_NEIGHBOURS", "ArticleProjection", "article_projection"]

#: Links each article keeps (and gets from each popular feature) unless told otherwise.
DEFAULT_NEIGHBOURS = 10

_CARRIED = ("kind", "label", "title", "published")


@dataclass(frozen=True)
class ArticleProjection:
    """Articles (``nodes``) and weighted undirected edges ``source[i] -- target[i]``."""

    nodes: tuple[str, ...]
    source: Any = field(repr=False)  # numpy int32 arrays (int64 from 2**31 nodes), source < target
    target: Any = field(repr=False)
    weight: Any = field(repr=False)  # numpy float64
    attributes: dict[str, dict[str, Any]] = field(repr=False, default_factory=dict)
    # The article facts the projection was made from and (weakly) the graph they were read
    # from, with its node count then: labelling that graph again reads them (facts_of).
    _facts: Mapping[str, ArticleFacts] | None = field(default=None, repr=False, compare=False)
    _origin: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_facts": None, "_origin": None}  # a weakref does not pickle

    def facts_of(self, G: Any) -> Mapping[str, ArticleFacts] | None:
        """The article facts of *G* read when the projection was made from it (``None`` when
        it was made from another graph, or *G* has gained or lost nodes since)."""
        if self._facts is None or self._origin is None:
            return None
        ref, n = self._origin
        return self._facts if ref() is G and len(G) == n else None

    @property
    def n_nodes(self) -> int:
        return len(self.nodes)

    @property
    def n_edges(self) -> int:
        return len(self.source)

    def to_igraph(self) -> Any:
        """An igraph ``Graph`` with a ``weight`` edge attribute, vertices in ``nodes`` order."""
        import igraph as ig

        # An array of edges goes to igraph as a buffer, not as millions of Python pairs.
        edges = np.column_stack((self.source, self.target))
        return ig.Graph(
            n=self.n_nodes, edges=edges, directed=False, edge_attrs={"weight": self.weight.tolist()}
        )

    def to_networkx(self) -> nx.Graph:
        """A networkx ``Graph`` of the projection (small graphs; igraph for large ones)."""
        H = nx.Graph()
        H.add_nodes_from((n, self.attributes.get(n, {})) for n in self.nodes)
        H.add_weighted_edges_from(
            (self.nodes[i], self.nodes[j], float(w))
            for i, j, w in zip(
                self.source.tolist(), self.target.tolist(), self.weight.tolist(), strict=True
            )
        )
        return H


def article_projection(
    G: nx.Graph,
    *,
    neighbours: int = DEFAULT_NEIGHBOURS,
    related_weight: float = 1.0,
    topic_weight: float = 1.0,
    provider_weight: float = 0.5,
    tag_weight: float = 0.5,
    seed: int = 0,
) -> ArticleProjection:
    """Project a newsgraph graph onto its articles (see the module docstring).

    Parameters
    ----------
    neighbours : links each article keeps, and gets from each feature shared by more.
    related_weight : multiplies the weight of a related link, ``log(n / 2)``: a link between two
        articles counts like a topic that only those two share.
    topic_weight, provider_weight, tag_weight : multiply ``log(n / n_f)`` for each kind of
        shared feature; 0 leaves that kind out.
    seed : the order in which a popular feature's articles are linked.
    """
    if neighbours < 1:
        raise ValueError(f"neighbours must be at least 1, not {neighbours}")
    facts = article_facts(G)
    nodes = tuple(sorted(facts))
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    dtype = _index_type(n)
    parts: list[tuple[Any, Any, float]] = []
    if related_weight:
        pairs = [(index[a], index[b]) for a, f in facts.items() for b in f.related if b in index]
        if pairs:
            arr = np.array(pairs, dtype=dtype)
            del pairs
            parts.append((arr[:, 0], arr[:, 1], related_weight * math.log(max(n, 3) / 2)))
    features: dict[tuple[str, Hashable], list[int]] = defaultdict(list)
    scale = {"topic": topic_weight, "provider": provider_weight, "tag": tag_weight}
    for key, fact in facts.items():
        i = index[key]
        for topic in fact.topics:
            features[("topic", topic)].append(i)
        if fact.provider is not None:
            features[("provider", fact.provider)].append(i)
    if tag_weight:
        for key, fact in facts.items():
            for tag in fact.tags:
                features[("tag", tag)].append(index[key])
    rank = _ring_order(nodes, seed)
    for (kind, _), members in sorted(features.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))):
        if len(members) < 2 or not scale[kind]:
            continue
        w = scale[kind] * math.log(n / len(members))
        if w <= 0:
            continue
        parts.append(
            _feature_edges(np.array(sorted(set(members)), dtype=dtype), rank, neighbours, w)
        )
    del features, index
    source, target, weight = _sum_edges(parts, n)
    source, target, weight = _strongest(source, target, weight, n, neighbours)
    data = G._node  # each node's attribute dict (networkx's NodeView wraps the same)
    attributes = {
        node: {k: v[k] for k in _CARRIED if k in v} for node in nodes for v in (data[node],)
    }
    return ArticleProjection(
        nodes, source, target, weight, attributes, facts, (weakref.ref(G), len(G))
    )


def _ring_order(nodes: tuple[str, ...], seed: int) -> Any:
    """A seeded pseudo-random number for each node that depends on its key alone."""
    salt = seed.to_bytes(8, "little", signed=True)
    return np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(node.encode(), digest_size=8, key=salt).digest())
            for node in nodes
        ),
        dtype=np.uint64,
        count=len(nodes),
    )


def _index_type(n: int) -> Any:
    """The smallest integer type that holds every index of ``n`` nodes (exactly)."""
    return np.int32 if n < 2**31 else np.int64


def _feature_edges(members: Any, rank: Any, neighbours: int, w: float) -> tuple[Any, Any, float]:
    """All pairs of a small feature; a seeded ring of ``neighbours // 2`` steps for a big one."""
    m = len(members)
    if m <= neighbours + 1:
        i, j = np.triu_indices(m, 1)
        return members[i], members[j], w
    ring = members[np.argsort(rank[members], kind="stable")]
    steps = max(1, neighbours // 2)
    src = np.concatenate([ring] * steps)
    dst = np.concatenate([np.roll(ring, -s) for s in range(1, steps + 1)])
    return src, dst, w


def _sum_edges(parts: list[tuple[Any, Any, float]], n: int) -> tuple[Any, Any, Any]:
    """One edge per pair (lower index first), weights summed, self-loops dropped.

    Empties ``parts`` as it goes: each array is dropped once it is used.
    """
    dtype = _index_type(n)
    if not parts:
        empty = np.zeros(0, dtype=dtype)
        return empty, empty, np.zeros(0)
    sizes = [len(p[0]) for p in parts]
    w = np.repeat(np.array([p[2] for p in parts], dtype=np.float64), sizes)
    a = np.concatenate([p[0] for p in parts])
    b = np.concatenate([p[1] for p in parts])
    parts.clear()
    keep = a != b
    lo = np.minimum(a, b)[keep]
    hi = np.maximum(a, b)[keep]
    del a, b
    w = w[keep]
    del keep
    key = lo.astype(np.int64)
    del lo
    key *= n
    key += hi
    del hi
    pair, inverse = np.unique(key, return_inverse=True)
    del key
    weight = np.bincount(inverse, weights=w)
    del inverse, w
    return (pair // n).astype(dtype), (pair % n).astype(dtype), weight


def _strongest(source: Any, target: Any, weight: Any, n: int, k: int) -> tuple[Any, Any, Any]:
    """The edges among the *k* heaviest of either end (ties by the other end's index)."""
    m = len(source)
    if m == 0:
        return source, target, weight
    ends = np.concatenate((source, target))
    others = np.concatenate((target, source))
    order = np.lexsort((others, -np.concatenate((weight, weight)), ends))
    del others
    sorted_ends = ends[order]
    del ends
    starts = np.searchsorted(sorted_ends, sorted_ends, side="left")
    del sorted_ends
    rank = np.arange(2 * m, dtype=starts.dtype)
    rank -= starts
    del starts
    ids = order[rank < k]
    del order, rank
    ids[ids >= m] -= m  # both ends of an edge: its index in the arrays
    kept = np.unique(ids)
    return source[kept], target[kept], weight[kept]
