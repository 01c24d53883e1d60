"""Write ``graph.json`` by patching the previous one: only the lines of changed nodes are new.

``graph.json`` (:mod:`~newsgraph.exporters.property_graph.nodelink`) has one line per node,
in key order, then one line per edge, grouped by source in the same order.  Given the
previous file and a small graph of the nodes that were decided again
(:class:`~newsgraph.graph.building.incremental.Patch`), :func:`splice_nodelink` copies every
other line as it is and writes the new ones in their places: the bytes a full write of the
whole graph gives, when every node's id is its key (the caller checks that) and nothing was
reported while writing the new lines.

The lines of a node to replace are found by bisection on the file (mapped in memory), reading
only the ``"id"`` of a node line and the ``"source"`` of an edge line (the whole line when a
nested object has a key of that name too).

>>> import io, networkx as nx
>>> from newsgraph.exporters.property_graph.nodelink import graph_to_json
>>> G = nx.MultiDiGraph(); G.add_node("a", kind="x"); G.add_node("b", kind="x")
>>> H = G.copy(); H.nodes["b"]["kind"] = "y"
>>> part = nx.MultiDiGraph(); part.add_node("b", kind="y")
>>> out = io.BytesIO()
>>> splice_nodelink(io.BytesIO(graph_to_json(G)), part, ["b"], {"b"}, out)
>>> out.getvalue() == graph_to_json(H)
True
"""

from __future__ import annotations

import hashlib
import json
import mmap
from collections.abc import Iterable
from typing import IO, Any, BinaryIO, NamedTuple

import networkx as nx

from newsgraph.exporters.property_graph.columns import Prepared
from newsgraph.exporters.property_graph.nodelink import (
    EDGES_LINE,
    END_LINE,
    edge_rows,
    head_line,
    node_rows,
)
from newsgraph.exporters.values import clean_text

__all__ = [
    "Lines",
    "NotSpliceable",
    "new_lines",
    "previous_part",
    "splice_nodelink",
    "write_lines",
]

_ID, _SOURCE = b'"id": "', b'"source": "'
#: A string as ``json.dumps(..., ensure_ascii=False)`` writes it.
_string = json.encoder.encode_basestring
_DECODER = json.JSONDecoder()


class NotSpliceable(Exception):  # the caller writes the whole graph instead
    """The previous file or the new lines do not allow a patch."""


class Lines(NamedTuple):
    """The new lines of a patch, by node key (see :func:`new_lines`)."""

    part: nx.MultiDiGraph
    keys: list[str]
    nodes: dict[str, list[str]]
    edges: dict[str, list[str]]


def splice_nodelink(
    previous: IO[bytes],
    part: nx.MultiDiGraph,
    written: Iterable[str],
    replaced: Iterable[str],
    stream: BinaryIO,
) -> None:
    """Write the previous graph.json with the lines of ``replaced`` nodes (and their edges)
    taken out and those of ``written`` nodes of ``part`` (with their edges in ``part``) put in.

    Raises :class:`NotSpliceable` when a new node's id would not be its key or a problem
    was reported (the problems of a full write would differ).
    """
    write_lines(previous, new_lines(part, written, replaced), stream)


def new_lines(part: nx.MultiDiGraph, written: Iterable[str], replaced: Iterable[str]) -> Lines:
    """The lines of the ``written`` nodes of ``part`` and their edges; :class:`NotSpliceable`
    when a node's id would not be its key or writing them reports a problem."""
    written = sorted(written)
    for node in part:
        if not node or clean_text(node)[0] != node:
            raise NotSpliceable(f"node {node!r} is not written under its own key")
    problems: list[Any] = []
    prepared = Prepared(part, written, {node: node for node in part}, problems.append)
    nodes: dict[str, list[str]] = {}
    for node, row in zip(written, node_rows(prepared), strict=True):
        nodes[node] = [row]
    edges = _kind_edge_rows(part, written)
    if edges is None:  # edges with attributes of their own: the writer's general way
        edges = {}
        for row, (source, _, _, _) in zip(edge_rows(prepared), prepared.iter_edges(), strict=True):
            edges.setdefault(source, []).append(row)
    if problems:
        raise NotSpliceable("writing the new lines reported problems")
    return Lines(part, sorted({*replaced, *written}), nodes, edges)


def _kind_edge_rows(part: nx.MultiDiGraph, written: list[str]) -> dict[str, list[str]] | None:
    """The edge lines of ``written`` when every edge is a build's, ``{"kind": key}`` and
    nothing else: the lines :func:`edge_rows` writes, made without its general cleaning; None
    when some edge is not."""
    rows: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    adjacency = part.adj
    for source in written:
        found = []
        text = _string(source)
        for target in sorted(adjacency[source], key=str):
            other = _string(target)
            for key, data in sorted(adjacency[source][target].items(), key=_by_key):
                kind = kinds.get(key) if type(key) is str else None
                if kind is None:
                    if type(key) is not str or not key or clean_text(key)[0] != key:
                        return None
                    kind = kinds[key] = _string(key)
                if len(data) != 1 or data.get("kind") != key or type(data["kind"]) is not str:
                    return None
                found.append(
                    f'{{"key": {kind}, "kind": {kind}, "source": {text}, "target": {other}}}'
                )
        if found:
            rows[source] = found
    return rows


def _by_key(item: tuple[Any, Any]) -> str:
    return str(item[0])


def write_lines(previous: IO[bytes], lines: Lines, stream: BinaryIO) -> str:
    """Write the previous graph.json patched with ``lines`` (see :func:`splice_nodelink`);
    returns the BLAKE2b digest (16 bytes, hex) of what was written."""
    part, keys, nodes, edges = lines
    hashing = _Hashing(stream)
    data: Any = previous.getbuffer() if hasattr(previous, "getbuffer") else None
    mapped = None
    if data is None:
        mapped = data = mmap.mmap(previous.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        _write(bytes(data) if mapped is None else data, part, keys, nodes, edges, hashing)
    finally:
        if mapped is not None:
            mapped.close()
    return hashing.digest.hexdigest()


def previous_part(previous: IO[bytes], keys: Iterable[str]) -> nx.MultiDiGraph:
    """The nodes of ``keys`` that the previous graph.json holds, with their edges, as
    :func:`~newsgraph.exporters.property_graph.nodelink.read_nodelink` reads them, and the
    graph's attributes; the other ends of the edges are bare.  Only their lines are read.

    >>> import io, networkx as nx
    >>> from newsgraph.exporters.property_graph.nodelink import graph_to_json
    >>> G = nx.MultiDiGraph(); G.add_node("a", kind="x")
    >>> _ = G.add_edge("b", "a", key="k", kind="k")
    >>> part = previous_part(io.BytesIO(graph_to_json(G)), ["b", "c"])
    >>> sorted(part.nodes(data=True)), list(part.edges(keys=True))
    ([('a', {}), ('b', {})], [('b', 'a', 'k')])
    """
    data: Any = previous.getbuffer() if hasattr(previous, "getbuffer") else None
    mapped = None
    if data is None:
        mapped = data = mmap.mmap(previous.fileno(), 0, access=mmap.ACCESS_READ)
    try:
        return _part(bytes(data) if mapped is None else data, sorted(keys))
    finally:
        if mapped is not None:
            mapped.close()


def _part(data: Any, keys: list[str]) -> nx.MultiDiGraph:
    first = data.find(b"\n") + 1
    edges_at = data.find(EDGES_LINE, first - 1)
    end = len(data) - len(END_LINE)
    if first <= 0 or edges_at < 0 or data[end:] != END_LINE or data[:2] != b'{"':
        raise NotSpliceable("the previous graph.json is not one this newsgraph wrote")
    head = json.loads(bytes(data[: first - len(b', "nodes": [\n')]) + b"}")
    part = nx.MultiDiGraph()
    part.graph.update(head.get("graph", {}))
    sections = ((first, edges_at, _ID), (edges_at + len(EDGES_LINE), end, _SOURCE))
    for number, (lo, hi, field) in enumerate(sections):
        for key in keys:
            stop = _first(data, lo, hi, key, field)
            while stop < hi:
                line_end = data.find(b"\n", stop, hi)
                line_end = hi if line_end < 0 else line_end + 1
                if _value(data, stop, line_end, field) != key:
                    break
                row = json.loads(bytes(data[stop:line_end]).rstrip(b",\n"))
                if number == 0:
                    part.add_node(row.pop("id"), **row)
                else:
                    source, target = row.pop("source"), row.pop("target")
                    part.add_edge(source, target, key=row.pop("key", None), **row)
                stop = line_end
            lo = stop
    return part


class _Hashing:
    """A stream that digests what is written through it (the state's stamp)."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream, self.digest = stream, hashlib.blake2b(digest_size=16)

    def write(self, data: bytes | memoryview) -> None:
        self.digest.update(data)
        self.stream.write(data)


def _write(
    data: Any,
    part: nx.MultiDiGraph,
    keys: list[str],
    nodes: dict[str, list[str]],
    edges: dict[str, list[str]],
    stream: _Hashing,
) -> None:
    first = data.find(b"\n") + 1
    edges_at = data.find(EDGES_LINE, first - 1)
    end = len(data) - len(END_LINE)
    if first <= 0 or edges_at < 0 or data[end:] != END_LINE or data[:2] != b'{"':
        raise NotSpliceable("the previous graph.json is not one this newsgraph wrote")
    stream.write(head_line(part))
    _section(data, first, edges_at, keys, nodes, _ID, stream)
    stream.write(EDGES_LINE)
    _section(data, edges_at + len(EDGES_LINE), end, keys, edges, _SOURCE, stream)
    stream.write(END_LINE)


def _section(
    data: Any,
    lo: int,
    hi: int,
    keys: list[str],
    rows: dict[str, list[str]],
    field: bytes,
    stream: _Hashing,
) -> None:
    """Copy the lines of [lo, hi) with those of ``keys`` replaced by ``rows``."""
    out = _Joined(stream, memoryview(data))
    try:
        position = lo
        for key in keys:
            start = stop = _first(data, position, hi, key, field)
            while stop < hi:  # the lines of ``key``: one node, or a node's few edges
                end = data.find(b"\n", stop, hi)
                end = hi if end < 0 else end + 1
                if _value(data, stop, end, field) != key:
                    break
                stop = end
            if start > position:
                out.copy(position, start if start == hi else start - 2)  # without the ",\n"
            for row in rows.get(key, ()):
                out.add(row.encode())
            position = stop
        if hi > position:
            out.copy(position, hi)
        out.flush()
    finally:
        out.view.release()  # the map closes after this


class _Joined:
    """Rows written with ",\n" between them: new rows gathered, old ones copied as they are."""

    def __init__(self, stream: _Hashing, view: memoryview) -> None:
        self.stream, self.view = stream, view
        self.pending: list[bytes] = []
        self.size = 0
        self.first = True

    def add(self, row: bytes) -> None:
        if not self.first:
            self.pending.append(b",\n")
        self.first = False
        self.pending.append(row)
        self.size += len(row)
        if self.size > 1 << 20:
            self.flush()

    def copy(self, start: int, stop: int) -> None:
        if not self.first:
            self.pending.append(b",\n")
        self.first = False
        self.flush()
        self.stream.write(self.view[start:stop])

    def flush(self) -> None:
        if self.pending:
            self.stream.write(b"".join(self.pending))
            self.pending.clear()
            self.size = 0


def _value(data: Any, start: int, stop: int, field: bytes) -> str:
    """The line's id (``field``: ``"id": "``) or source (``"source": "``)."""
    at = data.find(field, start, stop)
    if at < 0:
        raise NotSpliceable("a line of the previous graph.json has no key")
    if data.find(field, at + 1, stop) >= 0:  # a nested object has one too: read it all
        row = json.loads(bytes(data[start:stop]).rstrip(b",\n"))
        return str(row[field[1:-4].decode()])
    value: str = _DECODER.raw_decode(bytes(data[at + len(field) - 1 : stop]).decode())[0]
    return value


def _first(data: Any, lo: int, hi: int, key: str, field: bytes) -> int:
    """The start of the first line in [lo, hi) whose key is >= ``key``.

    The keys replaced are close to one another: gallop from ``lo`` (steps of 4 KiB, 8 KiB,
    ...) to a line past ``key``, then bisect what is left.
    """
    step = 4096
    while lo + step < hi:
        start = data.rfind(b"\n", lo, lo + step) + 1
        if start <= lo:
            break  # one line longer than the step: bisect
        stop = data.find(b"\n", start, hi)
        stop = hi if stop < 0 else stop + 1
        if _value(data, start, stop, field) >= key:
            hi = start
            break
        lo, step = stop, step * 2
    while lo < hi:
        middle = (lo + hi) // 2
        start = data.rfind(b"\n", lo, middle) + 1 or lo
        start = max(start, lo)
        stop = data.find(b"\n", start, hi)
        stop = hi if stop < 0 else stop + 1
        value = _value(data, start, stop, field)
        if value < key:
            lo = stop
        else:
            hi = start
    return lo
