"""Is the target the store the change set was made for?  Checks before anything is changed.

Counting what a store holds (:meth:`~newsgraph.exporters.stores.Store.state`) misses a
store that holds another graph of the same size, so a change set also names what it
expects to find:

- triple stores: every statement it deletes is there and none it adds is (the rows of
  the RDF Patch, asked with ``VALUES`` in batches);
- property-graph stores: every node it deletes or changes is there and none it adds is
  (the ``present``/``absent`` ids by label in the manifest).

With these and the counts, applying the change set gives exactly the new graph's counts,
which the stores check again afterwards.

>>> import networkx as nx
>>> from newsgraph.exporters.changes.tables import graph_changes
>>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
>>> old.add_node("tag:a", kind="tag", label="A"); new.add_node("tag:b", kind="tag", label="B")
>>> expected_nodes(graph_changes(old, new))
{'present': {'Tag': ['tag:a']}, 'absent': {'Tag': ['tag:b']}}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Final

from newsgraph.exporters.changes.tables import GraphChanges
from newsgraph.exporters.changes.triples import split_graph
from newsgraph.exporters.stores import Store
from newsgraph.graph.errors import StoreError

__all__ = ["check_cypher", "check_sparql", "expected_nodes"]

BATCH: Final = 500


def expected_nodes(changes: GraphChanges) -> dict[str, dict[str, list[str]]]:
    """Node ids by label that must be in the target (deleted, changed) and must not (added)."""
    present: dict[str, list[str]] = {}
    absent: dict[str, list[str]] = {}
    for label, id_ in changes.removed_nodes:
        present.setdefault(label, []).append(id_)
    for node in changes.nodes:
        (absent if node.new else present).setdefault(node.label, []).append(node.id)
    return {"present": present, "absent": absent}


def check_cypher(store: Store, where: str, expected: Mapping[str, Mapping[str, list[str]]]) -> None:
    """Raise :class:`StoreError` unless the nodes are where ``expected`` says."""
    labels = set(_labels(store)) if store.state() else set()
    for want, by_label in (("present", expected["present"]), ("absent", expected["absent"])):
        for label, ids in by_label.items():
            for start in range(0, len(ids), BATCH):
                batch = ids[start : start + BATCH]
                found = 0
                if label in labels:
                    query = f"MATCH (n:{label}) WHERE n.id IN $ids RETURN count(n)"
                    found = int(store.rows(query, {"ids": batch})[1][0][0])
                if found != (len(batch) if want == "present" else 0):
                    raise StoreError(
                        f"{where} does not hold the previous graph of the change set: "
                        f"{label} nodes it changes are missing or nodes it adds are there"
                    )


def check_sparql(store: Store, where: str, patch: Path, graph: str) -> None:
    """Raise :class:`StoreError` unless the patch's ``D`` statements are there and its
    ``A`` statements are not (``graph`` is the named graph of the analysis results)."""
    for operation, lines in _patch_rows(patch):
        for start in range(0, len(lines), BATCH):
            batch = lines[start : start + BATCH]
            default, named = split_graph(batch, graph)
            found = _count(store, default, None) + _count(store, named, graph)
            if found != (len(batch) if operation == "D" else 0):
                raise StoreError(
                    f"{where} does not hold the previous graph of the change set: "
                    "statements it deletes are missing or statements it adds are there"
                )


def _labels(store: Store) -> Iterator[str]:
    """The labels the target has (LadybugDB refuses a query on a table it does not have)."""
    if store.change_file == "changes.ladybug.cypher":
        yield from (str(row[0]) for row in store.rows("CALL show_tables() RETURN name")[1])
    else:
        yield from (str(row[0]) for row in store.rows("CALL db.labels()")[1])


def _patch_rows(patch: Path) -> Iterator[tuple[str, list[str]]]:
    rows: dict[str, list[str]] = {"D": [], "A": []}
    with patch.open(encoding="utf-8") as lines:
        for line in lines:
            operation, _, quad = line.partition(" ")
            if operation in rows:
                rows[operation].append(quad)
    yield from rows.items()


def _count(store: Store, triples: list[str], graph: str | None) -> int:
    if not triples:
        return 0
    values = "\n".join("(" + line.removesuffix(" .\n") + ")" for line in triples)
    pattern = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES (?s ?p ?o) {{\n{values}\n}} {pattern} }}"
    return int(store.rows(query)[1][0][0])
