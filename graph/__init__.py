"""newsgraph's core: read news-article metadata into one deduplicated knowledge graph.

Users import :mod:`newsgraph`, which re-exports the public names of this package; the code
lives in small modules: ``model`` (data model, no third-party imports), ``reading`` (files to
records), ``urls`` and ``text`` (identity and repair), ``building`` (records to graph),
``analysis`` (clusters, stories, plots) and ``errors`` (the one exception tree).  Importing
this package imports none of them, so ``import newsgraph.graph.model`` stays cheap.
"""

__all__: list[str] = []
