"""Small invented graphs for examples, docs and tests.

>>> from newsgraph.examples import toy_graph
>>> toy_graph().number_of_nodes() > 12
True
"""

from newsgraph.graph.examples import make_graph, toy_graph

__all__ = ["make_graph", "toy_graph"]
