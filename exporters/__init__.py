"""newsgraph's exporters: the graph as RDF, GraphML, GEXF, JSON and bulk-load CSVs.

Formats are registered by lower-case name (``newsgraph formats`` lists them); writers
are imported only when a format is first used, so importing this package is cheap.

>>> import networkx as nx
>>> sorted(f.name for f in formats())[:3]
['csv', 'gexf', 'graphml']
>>> dumps(nx.MultiDiGraph(), "ttl").startswith(b"@prefix")
True
"""

from exporters.registry import (
    ExportError,
    Format,
    dump,
    dumps,
    format_for_path,
    formats,
    formats_table,
    get_format,
)
from graph.errors import UnknownFormatError

__all__ = [
    "ExportError",
    "Format",
    "UnknownFormatError",
    "dump",
    "dumps",
    "format_for_path",
    "formats",
    "formats_table",
    "get_format",
]
