"""Property-graph and table exports: GraphML, GEXF, node-link JSON, CSV, Neo4j, Neptune.

:mod:`.columns` gives every writer node ids, clean values and one type per column;
:mod:`.bulk` adds what the database bulk loaders share (typed headers, arrays).
"""

__all__: list[str] = []
