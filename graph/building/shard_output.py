"""The last step of the sharded build, and what is read from its output.

:func:`decide_shard` decides a shard's articles (step 5 of
:mod:`~newsgraph.graph.building.shards`) into two streams in key order: nodes, and each
article's edges as one list.  :func:`iter_nodes` and :func:`iter_edges` merge the shards'
sorted streams into the order ``assemble`` adds them in, and :func:`assemble_graph` makes
the graph from them, each equal string in it one object; the streaming exports read one
shard at a time instead (:func:`shard_nodes`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

import networkx as nx

from newsgraph.graph.building.adjacency import add_edge_lists, add_new_node
from newsgraph.graph.building.assemble import TABLE_KINDS, DecidedCounts, new_graph
from newsgraph.graph.building.descriptions import Book
from newsgraph.graph.building.merge import ArticleState
from newsgraph.graph.building.shard_store import PackedState, StreamWriter, read_file, read_stream
from newsgraph.graph.building.shards import Plan, article_shard, observe

__all__ = ["assemble_graph", "decide_shard", "iter_edges", "iter_nodes", "shard_nodes"]

#: Articles decided between two fresh books: bounds a decide step's memory.
_BOOK_ARTICLES = 20_000
#: Articles' edge lists in a batch of the edges' stream: about 2,000 edges, so the batches
#: that the assembly holds (one a shard) stay small beside the graph.
_EDGE_BATCH = 256

Node = tuple[str, dict[str, Any]]
Edge = tuple[str, str, str]
#: The edges out of one node: its key, and (other end, kind) each.
EdgeList = tuple[str, list[tuple[str, str]]]


def _merged_in(plan: Plan, shard: int, redirect: dict[str, str]) -> dict[str, list[PackedState]]:
    """The states of the articles that merge into one of this shard's, by target key.

    They are looked up in the shards that hold them, in the order of their keys (which
    does not change the result: merging is commutative).
    """
    wanted: dict[int, list[str]] = {}
    for key in sorted(redirect):
        if article_shard(redirect[key], plan.shards) == shard:
            wanted.setdefault(article_shard(key, plan.shards), []).append(key)
    found: dict[str, list[PackedState]] = {}
    for source in sorted(wanted):
        table = plan.articles(source, readonly=True)
        for key in wanted[source]:
            found.setdefault(redirect[key], []).append(table.get(key))
        table.close()
    return found


def decide_shard(
    plan: Plan, shard: int, redirect: dict[str, str], wanted: frozenset[str]
) -> tuple[DecidedCounts, dict[str, set[str]]]:
    """Step 5: every article's node and edges, in key order, as ``assemble`` decides them.

    ``redirect`` maps every merged key to the key it merged into.  Returns the shard's
    counts and the source files of the ``wanted`` keys it holds (as read, before merging).
    """
    merged_in = _merged_in(plan, shard, redirect)
    counts = DecidedCounts()
    sources: dict[str, set[str]] = {}
    nodes = StreamWriter(plan.out(shard, "articles"), memo=True)
    edges = StreamWriter(plan.out(shard, "edges"), _EDGE_BATCH)
    table = plan.articles(shard)
    book = Book()
    for number, (key, packed) in enumerate(table.in_order()):
        if key in wanted:
            sources[key] = packed[2]
        if key in redirect:
            continue  # merged into its target
        if number % _BOOK_ARTICLES == 0:
            book = Book()
        state = ArticleState(book)
        observe(book, state, packed)
        for other in merged_in.pop(key, ()):
            observe(book, state, other)
        node, out = counts.decided(key, state, redirect)
        nodes.extend([node])
        if out:
            edges.extend([(node[0], [(v, k) for _, v, k in out])])
    table.close()
    nodes.close()
    edges.close()
    return counts, sources


def _edges(records: Iterator[EdgeList]) -> Iterator[Edge]:
    """The edges of edge lists, one at a time."""
    for u, targets in records:
        for v, k in targets:
            yield u, v, k


def _edge_lists(edges: Iterable[Edge]) -> Iterator[EdgeList]:
    """Edges grouped by their source as edge lists."""
    for u, group in itertools.groupby(edges, key=itemgetter(0)):
        yield u, [(v, k) for _, v, k in group]


def shard_nodes(plan: Plan, shard: int) -> tuple[Iterator[Node], Iterator[Edge]]:
    """A shard's nodes (its articles, then the table nodes it owns) and their outgoing edges."""
    nodes, logos = read_file(plan.out(shard, "tables"))
    owned = (node for kind in TABLE_KINDS for node in nodes[kind])
    articles = read_stream(plan.out(shard, "articles"))
    return itertools.chain(articles, owned), itertools.chain(
        _edges(read_stream(plan.out(shard, "edges"))), logos
    )


def iter_nodes(plan: Plan) -> Iterator[Node]:
    """Every node in the order ``assemble`` adds them: articles, providers, topics, tags, images."""
    every = range(plan.shards)
    yield from heapq.merge(
        *(read_stream(plan.out(s, "articles")) for s in every), key=itemgetter(0)
    )
    tables = [read_file(plan.out(s, "tables"))[0] for s in every]
    for kind in TABLE_KINDS:
        yield from heapq.merge(*(t[kind] for t in tables), key=itemgetter(0))


def _iter_edge_lists(plan: Plan) -> Iterator[EdgeList]:
    """Every node's edges in the order ``assemble`` adds them: articles', then providers'."""
    every = range(plan.shards)
    # one list per article, and an article is in one shard: its key orders its edges
    yield from heapq.merge(*(read_stream(plan.out(s, "edges")) for s in every), key=itemgetter(0))
    yield from _edge_lists(heapq.merge(*(read_file(plan.out(s, "tables"))[1] for s in every)))


def iter_edges(plan: Plan) -> Iterator[Edge]:
    """Every edge in the order ``assemble`` adds them: articles', then providers'."""
    return _edges(_iter_edge_lists(plan))


def _share_strings(attrs: dict[str, Any], same: dict[str, str]) -> None:
    """Make the kind and the source paths of a node the strings in ``same``."""
    share = same.setdefault
    kind = attrs.get("kind")
    if kind is not None:
        attrs["kind"] = share(kind, kind)
    sources = attrs.get("sources")
    if sources:  # an article's files: most are the files of other articles too
        attrs["sources"] = [share(path, path) for path in sources]


def assemble_graph(plan: Plan, files_read: int) -> nx.MultiDiGraph:
    """The graph from the decided shards, the same as ``assemble`` makes.

    Each string it holds twice or more (a node's key at each end of its edges, a kind, a
    source path) is one object: 40% less memory at 100,000 documents than a copy each.
    """
    G = new_graph(files_read)
    same: dict[str, str] = {}
    for key, attrs in iter_nodes(plan):
        _share_strings(attrs, same)
        add_new_node(G, same.setdefault(key, key), attrs)
    add_edge_lists(G, _iter_edge_lists(plan), same)
    return G
