"""newsgraph: one deduplicated knowledge graph from news-aggregator article metadata.

This is the public API; import it as ``import newsgraph as ng``.  Every name is imported on
first use (``__version__`` too), so ``import newsgraph`` loads neither networkx, YAML nor
rdflib.

>>> import newsgraph as ng
>>> G, report = ng.build_graph([])
>>> report.exit_code, ng.dumps(G, "nt").startswith(b"<https://w3id.org/newsgraph/id/dataset>")
(0, True)

Building: :func:`build_graph`, :func:`update_graph` (only what changed since the last
build, the same graph), :func:`load_records`, :func:`iter_records`, :func:`read_file`,
:func:`iter_files`.
Analysis: :func:`find_communities`, :func:`find_stories`, :func:`central_nodes`,
:func:`topic_cooccurrence`, :func:`annotate` and the ``plot_*`` functions; after an update,
``find_communities(G, previous=...)`` keeps community ids stable and :func:`community_churn`
says what moved.  Export:
:func:`dump`, :func:`dumps`, :func:`formats`, :func:`read_graph`, :func:`validate`,
:func:`show`.  Databases: :func:`load` (into Oxigraph, LadybugDB, FalkorDB or a SPARQL
server) and :func:`query` (SPARQL or Cypher, answers as a DataFrame); change sets between
two graphs (:func:`change_set`, :func:`write_change_sets`) and :func:`apply_change_set`.  Errors: :class:`NewsgraphError` and the tree below it (:mod:`newsgraph.graph.errors`).
A small invented graph for trying things: ``ng.examples.toy_graph()``.  How the package is
laid out: ``docs/architecture.md``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what the lazy table below provides, for type checkers and editors
    from newsgraph import examples
    from newsgraph.exporters.changes import (
        ChangeSet,
        apply_change_set,
        change_set,
        write_change_sets,
        write_cypher,
        write_rdf_patch,
        write_sparql_update,
    )
    from newsgraph.exporters.property_graph.nodelink import read_nodelink as read_graph
    from newsgraph.exporters.rdf.validate import Validation
    from newsgraph.exporters.rdf.validate import validate_file as validate
    from newsgraph.exporters.registry import (
        Format,
        dump,
        dumps,
        format_for_path,
        formats,
        formats_table,
        get_format,
    )
    from newsgraph.exporters.stores import LoadReport, load, query
    from newsgraph.exporters.views.notebook import show
    from newsgraph.graph._version import __version__
    from newsgraph.graph.analysis import (
        ArticleProjection,
        Central,
        Centrality,
        Churn,
        Clustering,
        Communities,
        Community,
        KindCount,
        KindCounts,
        LabelInputs,
        Stories,
        Story,
        Timeline,
        TimelinePoint,
        annotate,
        article_graph,
        article_projection,
        articles_over_time,
        central_nodes,
        community_churn,
        count_kinds,
        describe,
        find_communities,
        find_stories,
        headline_words,
        kind_graph,
        label_inputs,
        layout_positions,
        match_ids,
        partition,
        plot_communities,
        plot_cooccurrence,
        plot_degree_distribution,
        plot_timeline,
        provider_graph,
        provider_topic_graph,
        time_slice,
        topic_cooccurrence,
    )
    from newsgraph.graph.building import BuildReport, build_graph, graph_from_articles
    from newsgraph.graph.building.engines import dask_executor
    from newsgraph.graph.building.update import UpdateReport, update_graph
    from newsgraph.graph.errors import (
        DocumentError,
        EngineError,
        ExportError,
        NewsgraphError,
        StoreError,
        StrictModeError,
        UnknownFormatError,
        WorkerError,
    )
    from newsgraph.graph.model import (
        Article,
        EdgeKind,
        Image,
        NodeKind,
        Problem,
        Provider,
        Severity,
        node_key,
        split_key,
    )
    from newsgraph.graph.reading import (
        ReadOptions,
        iter_files,
        iter_records,
        load_records,
        read_file,
    )

#: Public name -> the module that defines it (and, after a colon, its name there).
# fmt: off
_LAZY: dict[str, str] = {
    name: module
    for module, names in (
        ("newsgraph.graph.model", ("Article EdgeKind Image NodeKind Problem Provider Severity "
                                   "node_key split_key")),
        ("newsgraph.graph.errors", ("DocumentError EngineError ExportError NewsgraphError StoreError "
                                    "StrictModeError UnknownFormatError WorkerError")),
        ("newsgraph.graph.reading", "ReadOptions iter_files iter_records load_records read_file"),
        ("newsgraph.graph.building", "BuildReport build_graph graph_from_articles"),
        ("newsgraph.graph.building.update", "UpdateReport update_graph"),
        ("newsgraph.graph.building.engines", "dask_executor"),
        ("newsgraph.graph.analysis", ("Central Centrality Communities Community KindCount "
                                      "KindCounts Stories Story Timeline TimelinePoint annotate "
                                      "article_graph articles_over_time central_nodes count_kinds "
                                      "find_communities find_stories headline_words kind_graph "
                                      "plot_communities plot_cooccurrence plot_degree_distribution "
                                      "plot_timeline provider_graph provider_topic_graph "
                                      "topic_cooccurrence ArticleProjection Clustering article_projection "
                                      "describe layout_positions partition time_slice "
                                      "Churn community_churn match_ids LabelInputs label_inputs")),
        ("newsgraph.exporters.registry", ("Format dump dumps format_for_path formats formats_table "
                                          "get_format")),
        ("newsgraph.exporters.rdf.validate", "Validation"),
        ("newsgraph.exporters.stores", "LoadReport load query"),
        ("newsgraph.exporters.changes", ("ChangeSet apply_change_set change_set write_change_sets "
                                         "write_cypher write_rdf_patch write_sparql_update")),
        ("newsgraph.exporters.views.notebook", "show"),
    )
    for name in names.split()
}
# fmt: on
_LAZY |= {
    "__version__": "newsgraph.graph._version",  # reading the metadata takes ~80 ms
    "read_graph": "newsgraph.exporters.property_graph.nodelink:read_nodelink",
    "validate": "newsgraph.exporters.rdf.validate:validate_file",
    "examples": "newsgraph.examples",  # a module: ``ng.examples.toy_graph()``
}

#: Every public name; tests/test_api.py checks it against the table above.
__all__ = [
    "Article",
    "ArticleProjection",
    "BuildReport",
    "Central",
    "Centrality",
    "ChangeSet",
    "Churn",
    "Clustering",
    "Communities",
    "Community",
    "DocumentError",
    "EdgeKind",
    "EngineError",
    "ExportError",
    "Format",
    "Image",
    "KindCount",
    "KindCounts",
    "LabelInputs",
    "LoadReport",
    "NewsgraphError",
    "NodeKind",
    "Problem",
    "Provider",
    "ReadOptions",
    "Severity",
    "StoreError",
    "Stories",
    "Story",
    "StrictModeError",
    "Timeline",
    "TimelinePoint",
    "UnknownFormatError",
    "UpdateReport",
    "Validation",
    "WorkerError",
    "__version__",
    "annotate",
    "apply_change_set",
    "article_graph",
    "article_projection",
    "articles_over_time",
    "build_graph",
    "central_nodes",
    "change_set",
    "community_churn",
    "count_kinds",
    "dask_executor",
    "describe",
    "dump",
    "dumps",
    "examples",
    "find_communities",
    "find_stories",
    "format_for_path",
    "formats",
    "formats_table",
    "get_format",
    "graph_from_articles",
    "headline_words",
    "iter_files",
    "iter_records",
    "kind_graph",
    "label_inputs",
    "layout_positions",
    "load",
    "load_records",
    "match_ids",
    "node_key",
    "partition",
    "plot_communities",
    "plot_cooccurrence",
    "plot_degree_distribution",
    "plot_timeline",
    "provider_graph",
    "provider_topic_graph",
    "query",
    "read_file",
    "read_graph",
    "show",
    "split_key",
    "time_slice",
    "topic_cooccurrence",
    "update_graph",
    "validate",
    "write_change_sets",
    "write_cypher",
    "write_rdf_patch",
    "write_sparql_update",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and keep it."""
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    imported = importlib.import_module(module)
    value = imported if module == f"{__name__}.{name}" else getattr(imported, attribute or name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
