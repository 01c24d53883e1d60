"""Writing analysis results onto a copy of the graph, so every exporter carries them.

This is the one place where analysis touches a graph, and it never touches the one it is given.
Nodes get ``community`` (int) when they are in *communities* (articles, and topics, providers
and tags when those were clustered too) and ``story`` (int) when they are in *stories*.
Values already present on the copy are replaced.  Not supported: writing centrality scores.

>>> from newsgraph.examples import toy_graph
>>> from newsgraph.graph.analysis.stories import find_stories
>>> G = toy_graph()
>>> A = annotate(G, stories=find_stories(G))
>>> A.nodes["article:https://c.example/cup-2"]["story"], "story" in G.nodes["article:https://c.example/cup-2"]
(1, False)
"""

from __future__ import annotations

from typing import TypeVar

import networkx as nx

from newsgraph.graph.analysis.communities import Communities
from newsgraph.graph.analysis.stories import Stories

__all__ = ["annotate"]

GraphT = TypeVar("GraphT", bound=nx.Graph)


def annotate(
    G: GraphT, *, communities: Communities | None = None, stories: Stories | None = None
) -> GraphT:
    """A copy of *G* with ``community`` and ``story`` ids on the nodes they were found for.

    Like :meth:`networkx.Graph.copy`, the copy has its own attribute dicts but shares the
    values in them (lists stay shared; copying every value would be slow on large graphs).

    >>> import networkx as nx
    >>> from newsgraph.graph.analysis.communities import find_communities
    >>> G = nx.barbell_graph(3, 0)
    >>> A = annotate(G, communities=find_communities(G, method="louvain"))
    >>> [A.nodes[n]["community"] for n in A], "community" in G.nodes[0]
    ([0, 0, 0, 1, 1, 1], False)
    """
    A: GraphT = G.copy()
    for attribute, result in (("community", communities), ("story", stories)):
        if result is None:
            continue
        for node, value in result.membership.items():
            if node in A:
                A.nodes[node][attribute] = value
    return A
