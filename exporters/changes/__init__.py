"""Change sets: what turns a store loaded with one graph into a store loaded with the next.

:func:`change_set` compares two graphs as the stores hold them -- the N-Quads statements
of :mod:`newsgraph.exporters.rdf` for triple stores, the typed node and relationship tables
of :mod:`newsgraph.exporters.stores` for property-graph stores -- and returns a
:class:`ChangeSet`.  :func:`write_change_sets` writes it as a folder:

=========================  ====================================================================
``changes.json``           the manifest: format version, what each store holds before and after
                           (statements; nodes and relationships by kind), the numbers changed,
                           the node ids the target must and must not hold (checked first)
``changes.rdfp``           RDF Patch (``TX``, ``D`` rows, ``A`` rows, ``TC``) for RDF Delta, Jena
``changes.ru``             SPARQL Update (``DELETE DATA`` then ``INSERT DATA``, chunked), one request
``changes.cypher``         openCypher for FalkorDB (also Neo4j, Memgraph; timestamps as text)
``changes.ladybug.cypher`` LadybugDB's Cypher, schema changes first
=========================  ====================================================================

:func:`apply_change_set` (``newsgraph load --update FOLDER --into TARGET``) applies the
folder's file for the target's kind, after checking that the target holds the previous
graph (by its statements or counts), and checks the result against the new graph's.

Every file is deterministic (sorted statements, nodes in key order) and the folder is
written atomically (:class:`~newsgraph.exporters.sinks.OutputSet`).

>>> from newsgraph.exporters.stores import graph_counts, load
>>> from newsgraph.graph.examples import toy_graph
>>> import tempfile
>>> old = toy_graph(); new = old.copy(); new.remove_node("topic:ai")
>>> with tempfile.TemporaryDirectory() as d:
...     summary = write_change_sets(old, new, Path(d) / "changes")
...     report = load(old, f"ladybug:{d}/news.lbug")
...     report = apply_change_set(f"ladybug:{d}/news.lbug", Path(d) / "changes")
>>> summary["nodes"]["removed"], report.counts == graph_counts(new)
(1, True)
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Final

import networkx as nx

from newsgraph.exporters.changes import triples
from newsgraph.exporters.changes.checks import check_cypher, check_sparql, expected_nodes
from newsgraph.exporters.changes.cypher import Dialect, cypher_statements
from newsgraph.exporters.changes.tables import GraphChanges, graph_changes
from newsgraph.exporters.changes.triples import TripleChanges, triple_changes
from newsgraph.exporters.rdf.statements import RdfOptions
from newsgraph.exporters.sinks import OutputSet, write_file
from newsgraph.exporters.stores import LoadReport, Store, open_store
from newsgraph.exporters.stores._common import check_state
from newsgraph.exporters.values import OnProblem
from newsgraph.graph.errors import StoreError

__all__ = [
    "FORMAT",
    "ChangeSet",
    "apply_change_set",
    "change_set",
    "read_manifest",
    "write_change_set",
    "write_change_sets",
    "write_cypher",
    "write_rdf_patch",
    "write_sparql_update",
    "write_staged_change_set",
]

#: The manifest's ``format``; :func:`apply_change_set` refuses another.
FORMAT: Final = "newsgraph-changes/1"
MANIFEST: Final = "changes.json"
_PREVIOUS: Final = "the previous graph of the change set"
_DEFAULT: Final = RdfOptions()


@dataclass(frozen=True)
class ChangeSet:
    """The changes from one graph to the next, for triple stores and property-graph stores."""

    triples: TripleChanges
    graph: GraphChanges

    def summary(self) -> dict[str, Any]:
        """The numbers of the change set (what the manifest holds).

        >>> from newsgraph.graph.examples import toy_graph
        >>> change_set(toy_graph(), toy_graph()).summary()["statements"]["added"]
        0
        """
        graph = self.graph
        return {
            "statements": {
                "before": self.triples.previous,
                "after": self.triples.new,
                "removed": len(self.triples.removed),
                "added": len(self.triples.added),
            },
            "nodes": {
                "removed": len(graph.removed_nodes),
                "added": sum(1 for n in graph.nodes if n.new),
                "changed": sum(1 for n in graph.nodes if not n.new),
            },
            "relationships": {
                "removed": sum(len(b.rows) for b in graph.removed_bundles),
                "added": sum(len(b.rows) for b in graph.added_bundles),
            },
            "counts": {"before": graph.previous_counts, "after": graph.new_counts},
        }


def change_set(
    previous: nx.MultiDiGraph,
    new: nx.MultiDiGraph,
    *,
    rdf_options: RdfOptions = _DEFAULT,
    on_problem: OnProblem | None = None,
) -> ChangeSet:
    """The change set from ``previous`` to ``new`` (neither graph is changed).

    ``rdf_options`` must name the base and schema namespace the triple store was loaded
    with (the defaults of :func:`newsgraph.load`).
    """
    return ChangeSet(
        triple_changes(previous, new, rdf_options, on_problem),
        graph_changes(previous, new, on_problem),
    )


def write_rdf_patch(changes: ChangeSet, stream: BinaryIO) -> None:
    """Write the statement changes as an RDF Patch (see :mod:`.triples`)."""
    triples.write_rdf_patch(changes.triples, stream)


def write_sparql_update(changes: ChangeSet, stream: BinaryIO) -> None:
    """Write the statement changes as one SPARQL Update request (see :mod:`.triples`)."""
    triples.write_sparql_update(changes.triples, stream)


def write_cypher(changes: ChangeSet, stream: BinaryIO, dialect: Dialect = "falkordb") -> None:
    """Write the node and relationship changes as Cypher statements, one a line.

    >>> from newsgraph.graph.examples import toy_graph
    >>> old = toy_graph(); new = old.copy(); new.remove_node("topic:ai")
    >>> out = io.BytesIO(); write_cypher(change_set(old, new), out)
    >>> out.getvalue().splitlines()[-1]
    b'MATCH (n:Topic {id: "topic:ai"}) DETACH DELETE n;'
    """
    stream.writelines(f"{s}\n".encode() for s in cypher_statements(changes.graph, dialect))


def write_change_sets(
    previous: nx.MultiDiGraph,
    new: nx.MultiDiGraph,
    where: OutputSet | Path,
    *,
    name: str = "changes",
    rdf_options: RdfOptions = _DEFAULT,
    on_problem: OnProblem | None = None,
) -> dict[str, Any]:
    """Write the change set from ``previous`` to ``new`` as a folder; returns its summary.

    ``where`` is the folder itself (written atomically, replacing a previous one's
    files), or an :class:`~newsgraph.exporters.sinks.OutputSet` of a run, in which the
    folder is the output ``name`` -- how ``newsgraph build --update`` writes it beside
    the graph it replaces.
    """
    changes = change_set(previous, new, rdf_options=rdf_options, on_problem=on_problem)
    return write_change_set(changes, where, name=name)


def write_change_set(
    changes: ChangeSet, where: OutputSet | Path, *, name: str = "changes"
) -> dict[str, Any]:
    """Write ``changes`` as a folder (as :func:`write_change_sets` does); returns its summary."""
    if isinstance(where, OutputSet):
        return write_staged_change_set(changes, where.path(name))
    with OutputSet(Path(where)) as outputs:
        for member, data in _members(changes).items():
            outputs.write(member, data)
    return changes.summary()


def write_staged_change_set(changes: ChangeSet, folder: Path) -> dict[str, Any]:
    """Write ``changes`` into the new folder ``folder``, an output an
    :class:`~newsgraph.exporters.sinks.OutputSet` staged (and puts in place); its summary."""
    folder.mkdir()
    _write_members(changes, folder)
    return changes.summary()


def read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a change set folder (checked to be ours, of this version)."""
    path = Path(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_bytes())
    except FileNotFoundError as err:
        raise StoreError(f"{folder}: not a change set (no {MANIFEST})") from err
    except ValueError as err:
        raise StoreError(f"{path}: not valid JSON: {err}") from err
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        raise StoreError(f"{path}: a change set of format {found!r}; this newsgraph reads {FORMAT}")
    return manifest


def apply_change_set(target: str | Store, folder: Path) -> LoadReport:
    """Apply the change set in ``folder`` to ``target`` (see :func:`newsgraph.load`'s targets).

    The target must hold the change set's previous graph (checked by its statements or
    counts); afterwards it holds what a load of the new graph would put there (checked
    too).  Oxigraph folders, LadybugDB files and FalkorDB graphs are updated on a copy
    swapped in at the end, so a failed update leaves them as they were.
    """
    manifest = read_manifest(folder)
    store = open_store(target)
    where = target if isinstance(target, str) else type(target).__name__
    try:
        text = (Path(folder) / store.change_file).read_text(encoding="utf-8")
        if store.language == "sparql":
            before = {"statements": manifest["statements"]["before"]}
            after = {"statements": manifest["statements"]["after"]}
            check_state(where, store.state(), before, _PREVIOUS)
            check_sparql(store, where, Path(folder) / "changes.rdfp", manifest["analysis_graph"])
        else:
            before, after = manifest["counts"]["before"], manifest["counts"]["after"]
            check_state(where, store.state(), before, _PREVIOUS)
            check_cypher(store, where, manifest["check"])
        return store.apply_changes(text, before=before, after=after)
    finally:
        if store is not target:
            store.close()


def _members(changes: ChangeSet) -> dict[str, bytes]:
    manifest = {
        "format": FORMAT,
        **changes.summary(),
        "analysis_graph": changes.triples.graph,
        "check": expected_nodes(changes.graph),
    }
    members = {MANIFEST: (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode()}
    for member, write in _WRITERS.items():
        buffer = io.BytesIO()
        write(changes, buffer)
        members[member] = buffer.getvalue()
    return members


def _ladybug_cypher(changes: ChangeSet, stream: BinaryIO) -> None:
    write_cypher(changes, stream, "ladybug")


#: The members of a change set folder beside the manifest, and their writers.
_WRITERS: Final[dict[str, Callable[[ChangeSet, BinaryIO], None]]] = {
    "changes.rdfp": write_rdf_patch,
    "changes.ru": write_sparql_update,
    "changes.cypher": write_cypher,
    "changes.ladybug.cypher": _ladybug_cypher,
}


def _write_members(changes: ChangeSet, folder: Path) -> None:
    for member, data in _members(changes).items():
        write_file(folder / member, data)
