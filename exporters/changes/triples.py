"""Change sets for triple stores: the statements to delete and to add, as RDF Patch or SPARQL Update.

The statements of a graph are those :func:`newsgraph.exporters.stores.load` puts into a
triple store: our N-Quads (facts in the default graph, communities and stories in
``<base>analysis``).  The mapping mints an IRI for every node and writes no blank nodes
(:mod:`newsgraph.exporters.rdf.statements`), and the N-Quads writer is deterministic, so
two graphs' statements compare as lines of text: a statement is unchanged exactly when its
line is.  :class:`TripleChanges` holds the lines to delete and to add, each sorted.

- :func:`write_rdf_patch` writes an RDF Patch (https://afs.github.io/rdf-patch/): an
  ``H id`` header naming the patch by the SHA-256 of its rows, one transaction
  (``TX``/``TC``), the ``D`` rows before the ``A`` rows;
- :func:`write_sparql_update` writes one SPARQL 1.1 Update request: ``DELETE DATA`` then
  ``INSERT DATA`` operations of at most :data:`CHUNK` statements each, joined by ``;`` --
  one request, so a server that runs a request as a transaction (Oxigraph, Fuseki)
  applies it whole or not at all.

Not supported: a blank node in a statement (our mapping writes none; a patch with blank
nodes would need their store-side identifiers).

>>> import networkx as nx
>>> old, new = nx.MultiDiGraph(), nx.MultiDiGraph()
>>> old.add_node("tag:a", kind="tag", label="A", name="A")
>>> new.add_node("tag:a", kind="tag", label="A", name="A2")
>>> changes = triple_changes(old, new)
>>> [line.split()[-2] for line in changes.removed], [line.split()[-2] for line in changes.added]
(['"A"'], ['"A2"'])
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import BinaryIO, Final

import networkx as nx

from newsgraph.exporters.rdf.mapping import Description, ntriples
from newsgraph.exporters.rdf.statements import RdfOptions, render
from newsgraph.exporters.registry import dumps
from newsgraph.exporters.values import OnProblem

__all__ = [
    "CHUNK",
    "TripleChanges",
    "graph_quads",
    "split_graph",
    "statement_count",
    "triple_changes",
    "write_rdf_patch",
    "write_sparql_update",
]

#: Statements in one ``DELETE DATA``/``INSERT DATA`` operation.
CHUNK: Final = 1000
_DEFAULT: Final = RdfOptions()


@dataclass(frozen=True)
class TripleChanges:
    """N-Quads lines (each ending in ``" .\\n"``) to delete and to add, sorted.

    ``previous`` and ``new`` count the statements of each graph (what a store holds).
    ``graph`` is the named graph of the analysis results (``<base>analysis``).
    """

    removed: list[str]
    added: list[str]
    previous: int
    new: int
    graph: str


def graph_quads(
    G: nx.MultiDiGraph, options: RdfOptions = _DEFAULT, on_problem: OnProblem | None = None
) -> list[str]:
    """The N-Quads lines a store holds after loading ``G``, sorted, each once.

    >>> from newsgraph.graph.examples import toy_graph
    >>> graph_quads(toy_graph())[0].startswith("<https://w3id.org/newsgraph/id/article/")
    True
    """
    text = dumps(
        G,
        "nq",
        on_problem=on_problem,
        documents=G.graph.get("documents"),
        base=options.base,
        schema=options.schema,
    )
    return sorted(set(io.StringIO(text.decode("utf-8"))))


def statement_count(
    G: nx.MultiDiGraph, options: RdfOptions = _DEFAULT, on_problem: OnProblem | None = None
) -> int:
    """``len(graph_quads(G))``, counted a part at a time (each subject's lines are in one part).

    >>> from newsgraph.graph.examples import toy_graph
    >>> statement_count(toy_graph()) == len(graph_quads(toy_graph()))
    True
    """
    graph = f"<{options.base}analysis>"
    rdf_options = RdfOptions(
        base=options.base, schema=options.schema, documents=G.graph.get("documents")
    )

    def quads(descriptions: list[Description]) -> tuple[str, str]:
        return ntriples(descriptions, graph), ""

    return sum(len(set(body.splitlines())) for body, _ in render(G, quads, rdf_options, on_problem))


def triple_changes(
    previous: nx.MultiDiGraph,
    new: nx.MultiDiGraph,
    options: RdfOptions = _DEFAULT,
    on_problem: OnProblem | None = None,
) -> TripleChanges:
    """What turns a store loaded with ``previous`` into one loaded with ``new``."""
    # Problems (a bad IRI left out, say) are those of ``new``: the old graph's were
    # reported when it was loaded.
    before = graph_quads(previous, options)
    after = graph_quads(new, options, on_problem)
    old, fresh = set(before), set(after)
    removed = [line for line in before if line not in fresh]
    added = [line for line in after if line not in old]
    return TripleChanges(removed, added, len(before), len(after), f"<{options.base}analysis>")


def write_rdf_patch(changes: TripleChanges, stream: BinaryIO) -> None:
    """Write ``changes`` as an RDF Patch: a header, then one transaction of ``D`` and ``A`` rows.

    >>> changes = TripleChanges(["<s> <p> <o> .\\n"], ["<s> <p> <o2> .\\n"], 1, 1, "<g>")
    >>> out = io.BytesIO(); write_rdf_patch(changes, out); print(out.getvalue().decode(), end="")
    H id <urn:sha256:...> .
    TX .
    D <s> <p> <o> .
    A <s> <p> <o2> .
    TC .
    """
    rows = "".join(_rows(changes)).encode("utf-8")
    stream.write(f"H id <urn:sha256:{hashlib.sha256(rows).hexdigest()}> .\n".encode())
    stream.write(b"TX .\n")
    stream.write(rows)
    stream.write(b"TC .\n")


def write_sparql_update(changes: TripleChanges, stream: BinaryIO) -> None:
    """Write ``changes`` as one SPARQL Update request (``DELETE DATA`` before ``INSERT DATA``).

    >>> changes = TripleChanges([], ["<s> <p> <o> <g> .\\n"], 0, 1, "<g>")
    >>> out = io.BytesIO(); write_sparql_update(changes, out); print(out.getvalue().decode(), end="")
    INSERT DATA {
    GRAPH <g> {
    <s> <p> <o> .
    }
    }
    """
    operations = [
        *_operations("DELETE DATA", changes.removed, changes.graph),
        *_operations("INSERT DATA", changes.added, changes.graph),
    ]
    stream.write(";\n".join(operations).encode("utf-8"))


def _rows(changes: TripleChanges) -> Iterator[str]:
    for line in changes.removed:
        yield f"D {line}"
    for line in changes.added:
        yield f"A {line}"


def _operations(verb: str, lines: list[str], graph: str) -> Iterator[str]:
    for start in range(0, len(lines), CHUNK):
        default, named = split_graph(lines[start : start + CHUNK], graph)
        body = "".join(default)
        if named:
            body += f"GRAPH {graph} {{\n{''.join(named)}}}\n"
        yield f"{verb} {{\n{body}}}\n"


def split_graph(lines: Iterable[str], graph: str) -> tuple[list[str], list[str]]:
    """N-Triples lines of the default graph, and of ``graph`` (without the graph term).

    >>> split_graph(["<s> <p> <o> .\\n", "<s> <p> <o> <g> .\\n"], "<g>")
    (['<s> <p> <o> .\\n'], ['<s> <p> <o> .\\n'])
    """
    # A datatype IRI follows "^^" without a space, so only a graph term ends in " <g> .".
    tail = f" {graph} .\n"
    default, named = [], []
    for line in lines:
        if line.endswith(tail):
            named.append(line[: -len(tail)] + " .\n")
        else:
            default.append(line)
    return default, named
