"""Building: input files to one deduplicated ``networkx.MultiDiGraph`` and a build report.

Files are read in chunks by worker processes (``jobs``); each chunk is folded into a
:class:`~newsgraph.graph.building.merge.Partial` and the partials are merged, so the graph is the same
for any file order and any number of workers.

>>> G, report = build_graph([])
>>> G.number_of_nodes(), report.files_read
(0, 0)
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.assemble import assemble
from newsgraph.graph.building.merge import Partial
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.building.transport import Packed, Receiver, Sender
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Article, Problem, Severity
from newsgraph.graph.reading import ReadOptions, read_file
from newsgraph.graph.reading.files import iter_named_paths

__all__ = ["BuildReport", "Partial", "build_graph", "graph_from_articles"]

#: Called with (files done, files in all) as reading goes on.
Progress = Callable[[int, int], None]


#: A file to read: its path on this machine and its portable name (for provenance).
NamedPath = tuple[str, str]


def _read_chunk(
    paths: Sequence[NamedPath], options: ReadOptions, strict: bool, partial: Partial | None = None
) -> tuple[Partial, int]:
    """Read some files into one partial state; returns it and the number of failed files."""
    partial = partial if partial is not None else Partial()
    failed = 0
    for path, name in paths:
        articles, problems = read_file(path, options, name)
        if not articles and any(p.severity is Severity.ERROR for p in problems):
            failed += 1
        partial.problems.extend(problems)
        if strict and _blocking(problems):
            break
        for article in articles:
            partial.add(article)
    return partial, failed


#: Keeps the book of descriptions of this process when it is a worker; see :class:`Sender`.
_SENDER = Sender()


def _read_chunk_packed(
    paths: Sequence[NamedPath], options: ReadOptions, strict: bool
) -> tuple[Packed, int]:
    """:func:`_read_chunk` in a worker process: the partial is packed for the way back."""
    partial, failed = _read_chunk(paths, options, strict, _SENDER.partial())
    return _SENDER.pack(partial), failed


def _read_here(
    chunks: list[list[NamedPath]], options: ReadOptions, strict: bool, total: Partial
) -> Iterator[tuple[list[Problem], int]]:
    """Read chunk after chunk into ``total``; yields each chunk's problems and failures."""
    for chunk in chunks:
        before = len(total.problems)
        _, failed = _read_chunk(chunk, options, strict, total)
        yield total.problems[before:], failed


def _read_in_workers(
    executor: Executor,
    chunks: list[list[NamedPath]],
    options: ReadOptions,
    strict: bool,
    total: Partial,
) -> Iterator[tuple[list[Problem], int]]:
    """Read the chunks in worker processes and merge them into ``total`` as they come."""
    receiver = Receiver()
    packs = executor.map(
        _read_chunk_packed, chunks, [options] * len(chunks), [strict] * len(chunks)
    )
    for packed, failed in packs:
        receiver.unpack_into(total, packed)
        yield packed.problems, failed


def _blocking(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(p for p in problems if p.severity is not Severity.INFO)


def _chunks(paths: list[NamedPath], jobs: int) -> list[list[NamedPath]]:
    """Cut the files into chunks for the workers: large ones first, smaller towards the end.

    Each chunk's partial costs packing, sending and unpacking, and the same related item
    comes back in every chunk that mentions it, so chunks are large (up to 2,048 files) while
    much is left; a chunk is at most an eighth of a worker's share of what is left, so the
    workers still finish together.
    """
    chunks, start = [], 0
    while start < len(paths):
        size = max(1, min(2048, (len(paths) - start) // (jobs * 8)))
        chunks.append(paths[start : start + size])
        start += size
    return chunks


def _list_files(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions, refusals: list[Problem]
) -> list[NamedPath]:
    """The files below ``inputs`` to read; a problem for each refused one goes to ``refusals``."""
    files: list[NamedPath] = []
    for path, name, refusal in iter_named_paths(inputs, max_file_bytes=options.max_file_bytes):
        if refusal is None:
            files.append((path, name))
        else:
            refusals.append(refusal)
    return files


def build_graph(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    strict: bool = False,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
    progress: Progress | None = None,
    shards: int | None = None,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Read every file below ``inputs`` and build the graph.

    ``jobs`` worker processes read files (default: all cores; 1 reads in this process).
    ``strict`` raises :class:`~newsgraph.graph.errors.StrictModeError` at the first problem that is
    more than a repair, instead of reporting it and going on.  With ``shards``, the build is
    sharded (:mod:`~newsgraph.graph.building.sharded`): the same graph and report, merged and
    decided shard by shard from state on disk.
    """
    if shards is not None:
        from newsgraph.graph.building.sharded import sharded_build

        with sharded_build(
            inputs, shards=shards, jobs=jobs, strict=strict, options=options, progress=progress
        ) as built:
            return built.graph(), built.report
    with cycle_collection_paused():
        return _build(inputs, jobs, strict, options, progress)


def _build(
    inputs: Iterable[str | os.PathLike[str]],
    jobs: int | None,
    strict: bool,
    options: ReadOptions,
    progress: Progress | None,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    total = Partial()
    files = _list_files(inputs, options, total.problems)
    failed = len(total.problems)
    if strict and _blocking(total.problems):
        raise StrictModeError(_blocking(total.problems)[0])
    jobs = max(1, jobs or os.cpu_count() or 1)
    chunks = _chunks(files, jobs)
    done = unreadable = 0
    executor = None
    if jobs == 1 or len(chunks) <= 1:
        results = _read_here(chunks, options, strict, total)
    else:
        # fork, where there is one: it works from notebooks and from scripts without a
        # ``__main__`` guard, which spawn/forkserver do not; the workers start no threads.
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context)
        results = _read_in_workers(executor, chunks, options, strict, total)
    try:
        for chunk, (problems, chunk_failed) in zip(chunks, results, strict=False):
            if strict and _blocking(problems):
                raise StrictModeError(_blocking(problems)[0])
            failed += chunk_failed
            unreadable += chunk_failed
            done += len(chunk)
            if progress is not None:
                progress(done, len(files))
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    return assemble(total, files_read=len(files) - unreadable, files_failed=failed)


def graph_from_articles(articles: Iterable[Article]) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Build a graph from articles already in memory (tests, notebooks, other readers).

    >>> from newsgraph.graph.model import Article
    >>> G, _ = graph_from_articles([Article(key="https://x.example/a", source="mem")])
    >>> list(G.nodes)
    ['article:https://x.example/a']
    """
    partial = Partial()
    for article in articles:
        partial.add(article)
    return assemble(partial, files_read=0, files_failed=0)
