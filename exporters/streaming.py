"""Exports written shard by shard from a sharded build, never holding the whole graph.

For each shard, a small graph of that shard's nodes (its articles, and the providers,
topics, tags and images it owns) and their outgoing edges is handed to the existing
writers -- the RDF :class:`~newsgraph.exporters.rdf.mapping.Mapper` and the bulk CSV
writers -- so memory is bounded by the size of a shard, not of the corpus.  Each format
goes to a folder of one file (or file set) per shard and a ``manifest.json`` listing them
in load order:

* ``nt`` -> ``graph.nt.d/``: ``header.nt`` (the dataset, with the whole graph's counts),
  ``shard-NNNN.nt``, then ``sources.nt`` (each source file described once); their
  concatenation is one N-Triples document, and every triple store bulk-loads many files;
* ``csv`` -> ``graph-csv.d/shard-NNNN/{nodes,edges}.csv`` (each with its own header);
* ``neo4j`` -> ``graph-neo4j.d/shard-NNNN/{nodes,relationships}.csv`` and one
  ``import.sh`` passing every shard's files to ``neo4j-admin`` (``--nodes`` and
  ``--relationships`` may be given many times, each file with its own header).

The triples and rows are those of the in-memory export; the order differs (shard by
shard), and a CSV column's type is decided per shard.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.rdf.mapping import Mapper, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.exporters.registry import get_format
from newsgraph.exporters.sinks import DirectorySink
from newsgraph.graph._version import __version__
from newsgraph.graph.building.shard_store import read_file, read_stream
from newsgraph.graph.building.sharded import Runner, ShardedBuild
from newsgraph.graph.building.shards import TABLE_KINDS, Plan
from newsgraph.graph.errors import ExportError
from newsgraph.graph.model import Problem

__all__ = ["STREAMING_FORMATS", "write_streaming"]

#: Format name -> the folder it is written to.
STREAMING_FORMATS: Final = {"nt": "graph.nt.d", "csv": "graph-csv.d", "neo4j": "graph-neo4j.d"}
#: The members of a bundle that hold nodes; the rest of the bundle is edges (or a script).
_NODE_FILES: Final = {"csv": ("nodes.csv",), "neo4j": ("nodes.csv",)}
_EDGE_FILES: Final = {"csv": ("edges.csv",), "neo4j": ("relationships.csv",)}
_DELIMITER: Final = re.compile(r"--array-delimiter='([^']*)'")

_SCRIPT: Final = """#!/bin/sh
# Import every shard's nodes.csv and relationships.csv into a new Neo4j 5 database
# (default: neo4j). Stop the database first; --overwrite-destination replaces what it holds.
# Written by newsgraph (streaming export); each file carries its own header.
set -eu
cd "$(dirname "$0")"
exec neo4j-admin database import full "${{1:-neo4j}}" --overwrite-destination \\
  --delimiter=',' --array-delimiter='{delimiter}' --quote='"' --multiline-fields=false \\
{files}
"""


def shard_graph(plan: Plan, shard: int) -> tuple[nx.MultiDiGraph, list[str]]:
    """The shard's nodes and their outgoing edges (other ends as bare nodes), and its node keys."""
    G = nx.MultiDiGraph(name="newsgraph", newsgraph_version=__version__)
    own: list[str] = []
    for key, attrs in read_stream(plan.out(shard, "articles")):
        G.add_node(key, **attrs)
        own.append(key)
    nodes, provider_edges = read_file(plan.out(shard, "tables"))
    for kind in TABLE_KINDS:
        for key, attrs in nodes[kind]:
            G.add_node(key, **attrs)
            own.append(key)
    for u, v, kind in read_stream(plan.out(shard, "edges")):
        G.add_edge(u, v, kind, kind=kind)
    for u, v, kind in provider_edges:
        G.add_edge(u, v, kind, kind=kind)
    own.sort()
    return G, own


class _Only:
    """A sink that keeps only some members of a bundle and drops the others."""

    def __init__(self, sink: DirectorySink, names: Iterable[str]) -> None:
        self.sink, self.names = sink, set(names)
        self.dropped: dict[str, bytes] = {}

    @contextmanager
    def open(self, name: str, *, executable: bool = False) -> Iterator[BinaryIO]:
        if name in self.names:
            with self.sink.open(name, executable=executable) as stream:
                yield stream
        else:
            buffer = BytesIO()
            yield buffer
            self.dropped[name] = buffer.getvalue()


def write_shard(
    plan: Plan, shard: int, folders: dict[str, Path], rdf: RdfOptions
) -> tuple[list[Any], list[Problem], str | None]:
    """Write one shard in each format; returns its source paths, problems, neo4j delimiter."""
    problems: dict[Problem, None] = {}
    G, own = shard_graph(plan, shard)
    paths: list[Any] = []
    delimiter = None
    name = f"shard-{shard:04d}"
    for fmt, folder in folders.items():
        if fmt == "nt":
            mapper = Mapper(G, rdf.base, rdf.schema, rdf.documents)
            with (folder / f"{name}.nt").open("wb") as stream:
                for node in own:
                    description = mapper.node(node)
                    if description is not None:
                        stream.write(ntriples([description]).encode())
            problems.update(dict.fromkeys(mapper.problems))
            paths = list(mapper.source_iris)
            continue
        write = get_format(fmt).load()
        (folder / name).mkdir(parents=True, exist_ok=True)
        sink = DirectorySink(folder / name)
        nodes_only = nx.MultiDiGraph(G.subgraph(own))
        nodes_only.remove_edges_from(list(nodes_only.edges))
        write(nodes_only, _Only(sink, _NODE_FILES[fmt]), on_problem=problems.setdefault)
        edges = _Only(sink, _EDGE_FILES[fmt])
        write(G, edges, on_problem=problems.setdefault)
        script = edges.dropped.get("import.sh", b"").decode()
        if (found := _DELIMITER.search(script)) is not None:
            delimiter = found.group(1)
    return paths, list(problems), delimiter


def write_streaming(
    built: ShardedBuild,
    folders: Mapping[str, Path],
    *,
    rdf_options: Mapping[str, Any] | None = None,
    jobs: int = 1,
) -> list[Problem]:
    """Write each format (of :data:`STREAMING_FORMATS`) shard by shard into its folder.

    ``folders`` maps format names to the folder each is written to (made if missing).
    """
    unknown = [f for f in folders if f not in STREAMING_FORMATS]
    if unknown:
        raise ExportError(f"not written shard by shard: {', '.join(unknown)}")
    plan = built.plan
    rdf = RdfOptions(**{**(rdf_options or {}), "documents": built.report.files_read})
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    problems: dict[Problem, None] = {}
    paths: set[Any] = set()
    delimiters: set[str] = set()
    every = range(plan.shards)
    runner = Runner(jobs)
    try:
        n = plan.shards
        for found, shard_problems, delimiter in runner.map(
            write_shard, [plan] * n, every, [dict(folders)] * n, [rdf] * n
        ):
            paths.update(found)
            problems.update(dict.fromkeys(shard_problems))
            if delimiter is not None:
                delimiters.add(delimiter)
    finally:
        runner.close()
    shard_names = [f"shard-{s:04d}" for s in every]
    for fmt, folder in folders.items():
        if fmt == "nt":
            files = ["header.nt", *(f"{s}.nt" for s in shard_names), "sources.nt"]
            _write_rdf_ends(folder, rdf, sum(built.report.nodes_by_kind.values()), paths)
        else:
            members = (*_NODE_FILES[fmt], *_EDGE_FILES[fmt])
            files = [f"{s}/{m}" for s in shard_names for m in members]
        if fmt == "neo4j":
            if len(delimiters) > 1:
                raise ExportError(
                    "shards chose different array delimiters; use the in-memory export"
                )
            _write_script(folder, shard_names, delimiters.pop() if delimiters else ";")
            files.append("import.sh")
        manifest = {"format": fmt, "shards": plan.shards, "files": files}
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return list(problems)


class _Counted(nx.MultiDiGraph):  # type: ignore[misc]  # networkx is untyped
    """An empty graph that says it has ``count`` nodes (for the dataset's header)."""

    def __init__(self, count: int, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.count = count

    def number_of_nodes(self) -> int:
        return self.count


def _write_rdf_ends(folder: Path, rdf: RdfOptions, nodes: int, paths: set[Any]) -> None:
    """The header (with the whole graph's counts) and the source files, each once."""
    G = _Counted(nodes, name="newsgraph", newsgraph_version=__version__)
    mapper = Mapper(G, rdf.base, rdf.schema, rdf.documents)
    (folder / "header.nt").write_bytes(ntriples(mapper.header()).encode())
    (folder / "sources.nt").write_bytes(ntriples(mapper.sources(paths)).encode())


def _write_script(folder: Path, shards: list[str], delimiter: str) -> None:
    lines = [f"  --nodes={s}/nodes.csv --relationships={s}/relationships.csv" for s in shards]
    script = _SCRIPT.format(delimiter=delimiter, files=" \\\n".join(lines))
    path = folder / "import.sh"
    path.write_text(script)
    path.chmod(0o755)
