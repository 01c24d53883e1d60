"""newsgraph's core: read news-article metadata into one deduplicated knowledge graph.

The public API is flat (``from graph import build_graph``); the code lives in small modules:
``graph.model`` (data model), ``graph.reading`` (files to records), ``graph.urls`` and
``graph.text`` (identity and repair), ``graph.building`` (records to graph), and
``graph.analysis`` (clusters, stories, plots).

>>> G, report = build_graph([])
>>> report.exit_code
0
"""

from graph.building import BuildReport, build_graph, graph_from_articles
from graph.errors import DocumentError, NewsgraphError, StrictModeError, UnknownFormatError
from graph.model import Article, EdgeKind, Image, NodeKind, Problem, Provider, Severity, node_key
from graph.reading import ReadOptions, iter_records, load_records, read_file

__all__ = [
    "Article",
    "BuildReport",
    "DocumentError",
    "EdgeKind",
    "Image",
    "NewsgraphError",
    "NodeKind",
    "Problem",
    "Provider",
    "ReadOptions",
    "Severity",
    "StrictModeError",
    "UnknownFormatError",
    "build_graph",
    "graph_from_articles",
    "iter_records",
    "load_records",
    "node_key",
    "read_file",
]

__version__ = "0.1.0"
