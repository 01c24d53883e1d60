"""newsgraph's exporters: the graph as RDF, GraphML, GEXF, JSON, bulk-load CSVs and views.

The rooms (``docs/architecture.md``):

- :mod:`~newsgraph.exporters.registry` -- every format by lower-case name, ``dump``/``dumps``;
- :mod:`~newsgraph.exporters.sinks` -- atomic files, directories and zip archives;
- :mod:`~newsgraph.exporters.values` -- the value cleaning every format shares;
- :mod:`~newsgraph.exporters.rdf` -- the RDF mapping, its writers and SHACL validation;
- :mod:`~newsgraph.exporters.property_graph` -- GraphML, GEXF, node-link, CSV, Neo4j, Neptune;
- :mod:`~newsgraph.exporters.views` -- the standalone HTML page and the notebook widget;
- :mod:`~newsgraph.exporters.cli` -- the ``newsgraph`` command.

Users import :mod:`newsgraph`; importing this package imports none of the rooms.
"""

__all__: list[str] = []
