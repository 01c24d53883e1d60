"""Exports written shard by shard from a sharded build, never holding the whole graph.

For each shard, a small graph of that shard's nodes (its articles, and the providers,
topics, tags and images it owns) and their outgoing edges is handed to the existing
writers -- the RDF mapping and the bulk CSV writers -- so memory is bounded by the size of
a shard, not of the corpus.  Each format goes to a folder of one file (or file set) per
shard and a ``manifest.json`` listing them in load order:

* ``nt`` -> ``graph.nt.d/``: ``header.nt`` (the dataset, with the whole graph's counts),
  ``shard-NNNN.nt``, then ``sources.nt`` (each source file described once).  Every triple
  store's bulk loader takes many files (``oxigraph load --file ...``, ``tdb2.tdbloader``,
  GraphDB, Virtuoso's ``ld_dir``), and N-Triples files concatenate into one document;
* ``csv`` -> ``graph-csv.d/shard-NNNN/{nodes,edges}.csv`` (each with its own header);
* ``neo4j`` -> ``graph-neo4j.d/shard-NNNN/{nodes,relationships}.csv`` and one
  ``import.sh`` passing every shard's files to ``neo4j-admin database import full``
  (``--nodes`` and ``--relationships`` may be given many times, each file with its own
  header).  ``schema.cypher`` and ``load.cypher`` (for a running database) are not written.

The triples and rows are those of the in-memory export; the order differs (shard by
shard; with one shard the N-Triples are the same bytes), and a CSV column's type is
decided per shard (a shard with only whole numbers types ``long`` what another types
``double``).  One array delimiter serves every neo4j shard, as ``neo4j-admin`` reads all
files with one.

Each shard is written by one step (:func:`write_shard`), mapped over the shards by local
processes or a Dask cluster's workers (``runner``), each writing its shard's files whole
into the folders: paths every worker sees, or fsspec URLs
(:mod:`~newsgraph.exporters.destinations`).  This process writes the headers, the neo4j
script and the manifests last.

Not supported: the other formats (they need the whole graph: ``newsgraph export``).
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any, Final

import networkx as nx

from newsgraph.exporters.destinations import Destination, destination
from newsgraph.graph.building.adjacency import add_kind_edges, add_new_node
from newsgraph.graph.building.shard_output import shard_nodes
from newsgraph.graph.building.sharded import Runner, ShardedBuild, StepRunner
from newsgraph.graph.building.shards import Plan
from newsgraph.graph.errors import ExportError
from newsgraph.graph.model import Problem

__all__ = ["STREAMING_FORMATS", "write_streaming"]

#: Format name -> the folder it is written to.
STREAMING_FORMATS: Final = {"nt": "graph.nt.d", "csv": "graph-csv.d", "neo4j": "graph-neo4j.d"}
#: The members of a bundle written per shard: the nodes' file, then the edges'.
_MEMBERS: Final = {"csv": ("nodes.csv", "edges.csv"), "neo4j": ("nodes.csv", "relationships.csv")}
#: The N-Triples part writer and the table writers, imported on first use as the registry
#: imports its writers (the format rooms build on this one, not the other way round).
_RDF_PARTS: Final = "newsgraph.exporters.rdf.shards"
_NEO4J: Final = "newsgraph.exporters.property_graph.neo4j"
_TABLES: Final = "newsgraph.exporters.property_graph.tables"
_COLUMNS: Final = "newsgraph.exporters.property_graph.columns"
_UNIT_SEPARATOR: Final = "\x1f"


def _shard_graph(plan: Plan, shard: int) -> tuple[nx.MultiDiGraph, list[str]]:
    """The shard's nodes and their outgoing edges (other ends as bare nodes), and its node keys."""
    G = nx.MultiDiGraph()
    nodes, edges = shard_nodes(plan, shard)
    own: list[str] = []
    for key, attrs in nodes:
        add_new_node(G, key, attrs)
        own.append(key)
    add_kind_edges(G, edges)
    own.sort()
    return G, own


def write_shard(
    plan: Plan,
    shard: int,
    folders: dict[str, Destination],
    rdf_options: Any,
    delimiter: str | None = None,
) -> tuple[list[Any], list[Problem], str | None]:
    """Write one shard in each format; its source paths, problems and neo4j array delimiter.

    Each file is put in place whole (see :mod:`~newsgraph.exporters.destinations`), so
    this runs in any worker that sees the store and the folders.  ``delimiter`` forces
    the neo4j array delimiter (else the writer chooses).
    """
    problems: dict[Problem, None] = {}
    G, own = _shard_graph(plan, shard)
    paths: list[Any] = []
    name = f"shard-{shard:04d}"
    chosen = None
    tables: tuple[Any, Any] | None = None
    for fmt, folder in folders.items():
        if fmt == "nt":
            with folder.open(f"{name}.nt") as stream:
                paths, found = importlib.import_module(_RDF_PARTS).write_part(
                    G, own, stream, rdf_options
                )
            problems.update(dict.fromkeys(found))
            continue
        if tables is None:  # the rows of the shard's nodes, and of the edges out of them
            prepare = importlib.import_module(_COLUMNS).prepare
            linked = (node for node, degree in G.degree if degree)
            tables = (
                prepare(G, problems.setdefault, own),
                prepare(G, problems.setdefault, linked),
            )
        sink = folder.child(name)
        sink.make()
        if fmt == "neo4j":
            neo4j = importlib.import_module(_NEO4J)
            chosen = neo4j.write_neo4j_tables(*tables, sink, array_delimiter=delimiter)
        else:
            importlib.import_module(_TABLES).write_csv_tables(*tables, sink)
    return paths, list(problems), chosen


def write_streaming(
    built: ShardedBuild,
    folders: Mapping[str, str | os.PathLike[str] | Destination],
    *,
    rdf_options: Mapping[str, Any] | None = None,
    jobs: int = 1,
    runner: StepRunner | None = None,
) -> list[Problem]:
    """Write each format (of :data:`STREAMING_FORMATS`) shard by shard into its folder.

    ``folders`` maps format names to the folder each is written to (made if missing): a
    path, an fsspec URL or a :class:`~newsgraph.exporters.destinations.Destination`
    (``memory://`` is written in this process only: a runner other than local processes
    is refused);
    ``rdf_options`` are those of :class:`~newsgraph.exporters.rdf.statements.RdfOptions`.
    Shards are written in ``jobs`` processes, or through ``runner`` when one is given (a
    Dask cluster's workers, each writing its shards' files); this process writes the
    headers, the neo4j script and the manifests last, and removes any other file from
    the folders (an earlier export's shards).  Returns the problems of the export (each once).
    """
    unknown = [f for f in folders if f not in STREAMING_FORMATS]
    if unknown:
        raise ExportError(f"not written shard by shard: {', '.join(unknown)}")
    places = {
        fmt: destination(f) if isinstance(f, str | os.PathLike) else f for fmt, f in folders.items()
    }
    if not all(place.shared for place in places.values()):
        if runner is not None:
            raise ExportError("memory:// is this process's own memory: not for other workers")
        jobs = 1  # written here, where the memory is
    plan, report = built.plan, built.report
    rdf_parts = importlib.import_module(_RDF_PARTS)
    rdf = rdf_parts.RdfOptions(**{**(rdf_options or {}), "documents": report.files_read})
    for folder in places.values():
        folder.make()
    problems: dict[Problem, None] = {}
    paths: set[Any] = set()
    chosen: dict[int, str] = {}
    own = Runner(jobs if runner is None else 1)
    run = runner or own
    try:
        n, every = plan.shards, range(plan.shards)
        results = run.map(write_shard, [plan] * n, every, [places] * n, [rdf] * n)
        for shard, (found, shard_problems, delimiter) in zip(every, results, strict=True):
            paths.update(found)
            problems.update(dict.fromkeys(shard_problems))
            if delimiter is not None:
                chosen[shard] = delimiter
        delimiter = _UNIT_SEPARATOR if _UNIT_SEPARATOR in chosen.values() else ";"
        # an array item with a ";" in one shard: every shard uses the unit separator
        again = [s for s, d in chosen.items() if d != delimiter]
        neo4j = {"neo4j": places["neo4j"]} if again else {}
        m = len(again)
        list(run.map(write_shard, [plan] * m, again, [neo4j] * m, [rdf] * m, [delimiter] * m))
    finally:
        own.close()
    names = [f"shard-{s:04d}" for s in every]
    for fmt, folder in places.items():
        if fmt == "nt":
            graph = built.graph_attributes()
            nodes = sum(report.nodes_by_kind.values())
            folder.write("header.nt", rdf_parts.header(graph, nodes, rdf))
            folder.write("sources.nt", rdf_parts.sources(paths, rdf))
            files = ["header.nt", *(f"{s}.nt" for s in names), "sources.nt"]
        else:
            files = [f"{s}/{m}" for s in names for m in _MEMBERS[fmt]]
        if fmt == "neo4j":
            _write_script(folder, names, delimiter)
            files.append("import.sh")
        manifest = {"format": fmt, "shards": plan.shards, "files": files}
        folder.write("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode())
        kept = {*files, "manifest.json"}
        for stale in folder.names():
            if stale not in kept:
                folder.remove(stale)
    return list(problems)


def _write_script(folder: Destination, shards: Iterable[str], delimiter: str) -> None:
    script = importlib.import_module(_NEO4J).import_script(delimiter, [f"{s}/" for s in shards])
    with folder.open("import.sh", executable=True) as stream:
        stream.write(script.encode())
