"""Building: input files to one deduplicated ``networkx.MultiDiGraph`` and a build report.

Files are read in chunks by worker processes (``jobs``), or by any
:class:`concurrent.futures.Executor` given (``executor``: a Dask cluster's, see
:mod:`~newsgraph.graph.building.engines`); each chunk is folded into a
:class:`~newsgraph.graph.building.merge.Partial` and the partials are merged, so the graph is the same
for any file order, any number of workers and any executor.  Packs (tar and zip archives,
JSON Lines files) are read in parts, document by document (:mod:`~newsgraph.graph.reading.packs`).

>>> G, report = build_graph([])
>>> G.number_of_nodes(), report.files_read
(0, 0)
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from itertools import islice

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.assemble import assemble
from newsgraph.graph.building.merge import Partial
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.building.transport import Packed, Receiver, Sender
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Article, Problem, Severity
from newsgraph.graph.reading import Item, ReadOptions, list_items, read_file, read_part
from newsgraph.graph.reading.packs import Part

__all__ = ["BuildReport", "Partial", "build_graph", "graph_from_articles"]

#: Called with (files done, files in all) as reading goes on.
Progress = Callable[[int, int], None]


#: A file to read: its path on this machine and its portable name (for provenance).
NamedPath = tuple[str, str]


def _read_chunk(
    items: Sequence[Item], options: ReadOptions, strict: bool, partial: Partial | None = None
) -> tuple[Partial, int]:
    """Read some files and parts of packs into one partial state; returns it and the number
    of files that failed.  ``partial.counts["files"]`` counts the files read (a member of an
    archive is a file, a JSON Lines file is one)."""
    partial = partial if partial is not None else Partial()
    failed = counted = 0
    for item in items:
        read: Iterable[tuple[list[Article], list[Problem], int]]
        if isinstance(item, Part):
            read = read_part(item, options)
        else:  # a file
            read = ((*read_file(item[0], options, item[1]), 1),)
        for articles, problems, files in read:
            counted += files
            if files and not articles and any(p.severity is Severity.ERROR for p in problems):
                failed += 1
            partial.problems.extend(problems)
            if strict and _blocking(problems):
                partial.counts["files"] += counted
                return partial, failed
            for article in articles:
                partial.add(article)
    partial.counts["files"] += counted
    return partial, failed


#: Keeps the book of descriptions of this process when it is a worker; see :class:`Sender`.
_SENDER = Sender()


def _read_chunk_packed(
    items: Sequence[Item], options: ReadOptions, strict: bool
) -> tuple[Packed, int]:
    """:func:`_read_chunk` in a worker process: the partial is packed for the way back."""
    partial, failed = _read_chunk(items, options, strict, _SENDER.partial())
    return _SENDER.pack(partial), failed


def _read_chunk_alone(
    items: Sequence[Item], options: ReadOptions, strict: bool
) -> tuple[Packed, int]:
    """:func:`_read_chunk` for another executor's worker: a pack that stands alone, as the
    worker may outlive the build and take its chunks in any order (see ``transport``)."""
    sender = Sender(alone=True)
    partial, failed = _read_chunk(items, options, strict, sender.partial())
    return sender.pack(partial), failed


def _read_here(
    chunks: list[Sequence[Item]], options: ReadOptions, strict: bool, total: Partial
) -> Iterator[tuple[list[Problem], int]]:
    """Read chunk after chunk into ``total``; yields each chunk's problems and failures."""
    for chunk in chunks:
        before = len(total.problems)
        _, failed = _read_chunk(chunk, options, strict, total)
        yield total.problems[before:], failed


def _read_in_workers(
    executor: Executor,
    chunks: list[Sequence[Item]],
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


def _read_with(
    executor: Executor,
    chunks: list[Sequence[Item]],
    options: ReadOptions,
    strict: bool,
    total: Partial,
    window: int,
) -> Iterator[tuple[list[Problem], int]]:
    """Read the chunks with an executor given by the caller, at most ``window`` at a time.

    Results are taken in the order of the chunks and dropped once merged, so neither this
    process nor the workers hold more than ``window`` partials (``Executor.map`` would keep
    every result of a Dask cluster until the last one is taken).
    """
    receiver = Receiver()
    waiting: deque[Future[tuple[Packed, int]]] = deque()
    ahead = iter(chunks)
    try:
        for chunk in islice(ahead, window):
            waiting.append(executor.submit(_read_chunk_alone, chunk, options, strict))
        while waiting:
            packed, failed = waiting.popleft().result()
            for chunk in islice(ahead, 1):
                waiting.append(executor.submit(_read_chunk_alone, chunk, options, strict))
            receiver.unpack_into(total, packed)
            yield packed.problems, failed
    finally:
        for future in waiting:
            future.cancel()


def _blocking(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(p for p in problems if p.severity is not Severity.INFO)


def _chunks(paths: Sequence[Item], jobs: int) -> list[Sequence[Item]]:
    """Cut the files into chunks for the workers: large ones first, smaller towards the end.

    Each chunk's partial costs packing, sending and unpacking, and the same related item
    comes back in every chunk that mentions it, so chunks are large (up to 2,048 files) while
    much is left; a chunk is at most an eighth of a worker's share of what is left, so the
    workers still finish together.
    """
    chunks: list[Sequence[Item]] = []
    start = 0
    while start < len(paths):
        size = max(1, min(2048, (len(paths) - start) // (jobs * 8)))
        chunks.append(paths[start : start + size])
        start += size
    return chunks


def _list_files(
    inputs: Iterable[str | os.PathLike[str]], options: ReadOptions, refusals: list[Problem]
) -> list[Item]:
    """The files and the parts of packs below ``inputs`` to read (the parts first: they are
    big); a problem for each refused one goes to ``refusals``.  ``counts["files"]`` of what
    :func:`_read_chunk` reads says how many files they were."""
    files, parts, refused = list_items(inputs, options)
    refusals.extend(refused)
    # absolute: the steps may run on workers elsewhere (another executor)
    files = [(os.path.abspath(path), name) for path, name in files]
    return [*(part._replace(path=os.path.abspath(part.path)) for part in parts), *files]


def build_graph(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    jobs: int | None = None,
    strict: bool = False,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
    progress: Progress | None = None,
    shards: int | None = None,
    executor: Executor | None = None,
    work_dir: str | os.PathLike[str] | None = None,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    """Read every file below ``inputs`` and build the graph.

    ``jobs`` worker processes read files (default: all cores; 1 reads in this process).
    ``strict`` raises :class:`~newsgraph.graph.errors.StrictModeError` at the first problem that is
    more than a repair, instead of reporting it and going on.  With ``shards``, the build is
    sharded (:mod:`~newsgraph.graph.building.sharded`): the same graph and report, merged and
    decided shard by shard from state on disk.

    ``executor`` reads the files instead, with ``jobs`` its number of workers (it sizes
    the chunks): any :class:`concurrent.futures.Executor`, such as a Dask cluster's
    (:func:`~newsgraph.graph.building.engines.dask_executor`).  Its workers are given
    absolute paths, so they must see the inputs where this process sees them.  The graph
    and the report are the same as without it.  With ``shards`` too, every step of the
    sharded build runs on it, and its workers must also see the shards' store: a new
    folder in ``work_dir`` (default: the system's temporary folder, which a
    ``LocalCluster``'s workers see; workers on other machines need a shared folder).
    """
    if shards is not None:
        from newsgraph.graph.building.sharded import ExecutorRunner, sharded_build

        with sharded_build(
            inputs,
            shards=shards,
            jobs=jobs,
            strict=strict,
            options=options,
            progress=progress,
            runner=None if executor is None else ExecutorRunner(executor),
            work_dir=work_dir,
        ) as built:
            return built.graph(), built.report
    with cycle_collection_paused():
        return _build(inputs, jobs, strict, options, progress, executor)


def _build(
    inputs: Iterable[str | os.PathLike[str]],
    jobs: int | None,
    strict: bool,
    options: ReadOptions,
    progress: Progress | None,
    given: Executor | None,
) -> tuple[nx.MultiDiGraph, BuildReport]:
    total = Partial()
    files, parts, refused = list_items(inputs, options)
    total.problems.extend(refused)
    failed = len(refused)
    if strict and _blocking(total.problems):
        raise StrictModeError(_blocking(total.problems)[0])
    jobs = max(1, jobs or os.cpu_count() or 1)
    if given is not None:  # workers elsewhere: paths that do not depend on a working folder
        files = [(os.path.abspath(path), name) for path, name in files]
        parts = [part._replace(path=os.path.abspath(part.path)) for part in parts]
    chunks: list[Sequence[Item]] = [[part] for part in parts]  # packs are big: a part each, first
    chunks.extend(_chunks(files, jobs))
    items = len(files) + len(parts)
    done = unreadable = 0
    executor = None
    if given is not None:
        results = _read_with(given, chunks, options, strict, total, window=2 * jobs + 2)
    elif jobs == 1 or len(chunks) <= 1:
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
                progress(done, items)
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    counted = total.counts.pop("files", 0)
    return assemble(total, files_read=counted - unreadable, files_failed=failed)


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
