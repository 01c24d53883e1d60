"""Rendering a big RDF export in several processes (private to :mod:`newsgraph.exporters.rdf.statements`).

The nodes are cut into as many slices as jobs, of about equal work (estimated from a
node's values and edges); :mod:`newsgraph.exporters.forked` renders the first here and each
other one in a forked child, and copies the parts out in order, with the ends they were
rendered with (a writer may rely on the ends of parts).

The source files are described last.  With workers, this process finds them before
forking (:meth:`~newsgraph.exporters.rdf.mapping.Mapper.source_paths`) and describes them after
its own slice, while the children still work; its slice is cut smaller to make room.

The children inherit the paused garbage collector of :func:`newsgraph.exporters.rdf.statements.render`.

Not supported: platforms without ``fork`` (Windows); there every export runs in one process.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from newsgraph.exporters.forked import Part, cut, parts_in_order
from newsgraph.exporters.rdf.mapping import Description, Mapper
from newsgraph.graph.errors import WorkerError
from newsgraph.graph.model import Problem

__all__ = ["Part", "Renderer", "WorkerError", "render_all", "render_parallel"]

#: Formats descriptions: document text, and analysis named-graph text.
Renderer = Callable[[list[Description]], tuple[str, str]]

_PART_NODES: Final = 500
#: Measured: describing a source file costs about as much as four values of a node.
_SOURCE_WORK: Final = 4


def render_all(mapper: Mapper, renderer: Renderer) -> Iterator[Part]:
    """Render every node of ``mapper``, then the source files, in this process."""
    yield from _render_nodes(mapper, renderer, mapper.nodes)
    yield _render_sources(mapper, renderer, mapper.source_iris)


def render_parallel(mapper: Mapper, renderer: Renderer, jobs: int) -> Iterator[Part]:
    """Render as :func:`render_all` does, with ``jobs`` processes; parts come in node order."""
    paths = mapper.source_paths()
    nodes, adjacency, data = mapper.nodes, mapper.adjacency, mapper.data
    work = (_work_of(data[n]) + len(adjacency[n]) for n in nodes)
    slices = [
        functools.partial(_render_nodes, mapper, renderer, nodes[start:end])
        for start, end in cut(work, jobs, _SOURCE_WORK * len(paths))
    ]
    yield from parts_in_order(slices, last=lambda: _render_sources(mapper, renderer, paths))


def _render_nodes(mapper: Mapper, renderer: Renderer, nodes: list[Any]) -> Iterator[Part]:
    """Render ``nodes`` in this process, a few hundred at a time."""
    describe = mapper.node
    for start in range(0, len(nodes), _PART_NODES):
        body: list[bytes] = []
        named: list[str] = []
        for node in nodes[start : start + _PART_NODES]:
            description = describe(node)
            if description is None:
                continue
            text, graph_text = renderer([description])
            # Encoded node by node: the text of most nodes is ASCII, which encodes as a
            # copy, and one character beyond Latin-1 in a part would otherwise widen all
            # of its text and make encoding it several times slower.
            body.append(text.encode())
            if graph_text:
                named.append(graph_text)
        yield b"".join(body), "".join(named), _taken(mapper.problems)


def _render_sources(mapper: Mapper, renderer: Renderer, paths: Iterable[Any]) -> Part:
    body, named = renderer(mapper.sources(paths))
    return body.encode(), named, _taken(mapper.problems)


def _taken(problems: list[Problem]) -> list[Problem]:
    taken = problems[:]
    problems.clear()
    return taken


def _work_of(data: dict[str, Any]) -> int:
    # Measured: an article's values (text to check, URLs to validate, source lists) cost
    # about three times those of other nodes.
    return 3 * len(data) if data.get("kind") == "article" else len(data)
