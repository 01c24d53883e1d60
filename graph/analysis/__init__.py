"""Analysis of a newsgraph graph: projections, communities, stories, centrality, timelines, plots.

Every function is pure: it reads a graph and returns a small frozen result (rows of records,
``.to_frame()`` with pandas) or a new graph; random ones take ``seed=``.  Writing results onto
nodes is the separate, explicit :func:`annotate`, which returns a copy.  Clustering
(:mod:`.clustering`) and labelling (:mod:`.labels`) are apart; the article projection
(:mod:`.sparse`) stays in arrays handed to igraph; after an update, community ids stay where
their members stayed (``find_communities(G, previous=...)``, :mod:`.churn`).  Every analysis takes ``since=``/``until=``
(:mod:`.slices`).  pandas is used when installed; matplotlib is imported only by the plot
functions.

>>> from newsgraph.examples import toy_graph
>>> G = toy_graph()
>>> communities = find_communities(G, seed=0)
>>> stories = find_stories(G)
>>> A = annotate(G, communities=communities, stories=stories)
>>> sorted({A.nodes[n]["community"] for n in A if "community" in A.nodes[n]}) == list(range(len(communities)))
True
"""

from newsgraph.graph.analysis.annotate import annotate
from newsgraph.graph.analysis.centrality import Central, Centrality, central_nodes
from newsgraph.graph.analysis.churn import Churn, community_churn, match_ids
from newsgraph.graph.analysis.clustering import Clustering, partition
from newsgraph.graph.analysis.communities import (
    DEFAULT_MIN_SIZE,
    METHODS,
    Communities,
    Community,
    find_communities,
)
from newsgraph.graph.analysis.labels import LabelInputs, describe, label_inputs
from newsgraph.graph.analysis.layout import layout_positions
from newsgraph.graph.analysis.plots import (
    plot_communities,
    plot_cooccurrence,
    plot_degree_distribution,
    plot_timeline,
)
from newsgraph.graph.analysis.projections import (
    DEFAULT_KINDS,
    article_graph,
    kind_graph,
    provider_graph,
    provider_topic_graph,
    topic_cooccurrence,
)
from newsgraph.graph.analysis.slices import time_slice
from newsgraph.graph.analysis.sparse import (
    DEFAULT_NEIGHBOURS,
    ArticleProjection,
    article_projection,
)
from newsgraph.graph.analysis.stories import (
    DEFAULT_WINDOW,
    Stories,
    Story,
    find_stories,
    headline_words,
)
from newsgraph.graph.analysis.summaries import KindCount, KindCounts, count_kinds
from newsgraph.graph.analysis.timeline import Timeline, TimelinePoint, articles_over_time

__all__ = [
    "DEFAULT_KINDS",
    "DEFAULT_MIN_SIZE",
    "DEFAULT_NEIGHBOURS",
    "DEFAULT_WINDOW",
    "METHODS",
    "ArticleProjection",
    "Central",
    "Centrality",
    "Churn",
    "Clustering",
    "Communities",
    "Community",
    "KindCount",
    "KindCounts",
    "LabelInputs",
    "Stories",
    "Story",
    "Timeline",
    "TimelinePoint",
    "annotate",
    "article_graph",
    "article_projection",
    "articles_over_time",
    "central_nodes",
    "community_churn",
    "count_kinds",
    "describe",
    "find_communities",
    "find_stories",
    "headline_words",
    "kind_graph",
    "label_inputs",
    "layout_positions",
    "match_ids",
    "partition",
    "plot_communities",
    "plot_cooccurrence",
    "plot_degree_distribution",
    "plot_timeline",
    "provider_graph",
    "provider_topic_graph",
    "time_slice",
    "topic_cooccurrence",
]
