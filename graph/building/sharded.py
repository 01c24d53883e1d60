"""Running the steps of :mod:`newsgraph.graph.building.shards` on this machine.

:func:`sharded_build` reads the inputs and decides every shard, leaving the decided nodes
and edges in the store; the caller then assembles the graph (:meth:`ShardedBuild.graph`)
or streams an export shard by shard (:mod:`newsgraph.exporters.streaming`) without it.
``build_graph(..., shards=N)`` is the first of these.

A step runs in this process (``jobs=1``) or in a pool of forked worker processes, one
item (a chunk of files, a shard) at a time; another engine (Dask) would map the same
functions over the same items, with the store on a shared folder.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d, sharded_build([d], shards=3, jobs=1) as built:
...     built.graph().number_of_nodes(), built.report.files_read
(0, 0)
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import networkx as nx

from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.assemble import DecidedCounts, build_report, new_graph
from newsgraph.graph.building.identity import with_files
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.building.shard_output import assemble_graph, decide_shard
from newsgraph.graph.building.shards import (
    Claims,
    Plan,
    decide_aliases,
    merge_shard,
    read_and_route,
    reduce_shard,
)
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Problem
from newsgraph.graph.reading import ReadOptions

__all__ = ["ExecutorRunner", "Runner", "ShardedBuild", "StepRunner", "sharded_build"]


@dataclass
class ShardedBuild:
    """A decided sharded build: its plan (store and shard count) and its report."""

    plan: Plan
    report: BuildReport

    def graph_attributes(self) -> dict[str, Any]:
        """The attributes of the graph (name, version, documents read)."""
        attributes: dict[str, Any] = new_graph(self.report.files_read).graph
        return attributes

    def graph(self) -> nx.MultiDiGraph:
        """The whole graph, the same as ``build_graph`` makes."""
        with cycle_collection_paused():
            return assemble_graph(self.plan, self.report.files_read)


class StepRunner(Protocol):
    """What runs the steps: ``map`` a step over columns of arguments, results in order.

    :class:`Runner` is this machine's; another engine (a Dask client) fits the same shape.
    """

    def map(self, step: Callable[..., Any], *columns: Iterable[Any]) -> Iterator[Any]: ...


class Runner:
    """Maps a step over items here or in forked worker processes, results in order."""

    def __init__(self, jobs: int) -> None:
        self.executor: Executor | None = None
        if jobs > 1:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            # The workers never run the cycle collector, wherever the pool is made (as if
            # forked under ``cycle_collection_paused``): their memos of normalised items
            # grow with the corpus, and each full collection walked all of them again
            # (40% of a worker's reading CPU at 100,000 documents).
            self.executor = ProcessPoolExecutor(
                max_workers=jobs, mp_context=context, initializer=gc.disable
            )

    def map(self, step: Callable[..., Any], *columns: Iterable[Any]) -> Iterator[Any]:
        """``step`` over the items of ``columns``, results in order (as ``map``)."""
        if self.executor is None:
            return map(step, *columns)
        return self.executor.map(step, *columns)

    def close(self) -> None:
        """Stop the workers."""
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


class ExecutorRunner:
    """Runs the steps on an executor given (a Dask cluster's, say), results in order."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor

    def map(self, step: Callable[..., Any], *columns: Iterable[Any]) -> Iterator[Any]:
        """``step`` over the items of ``columns`` on the executor, results in order."""
        return self.executor.map(step, *columns)


#: What a store holds (see :mod:`~newsgraph.graph.building.shard_store`); nothing else is removed.
_STORE_DIRS = ("pieces", "exchange", "out")


def _clear_store(folder: Path) -> None:
    """Empty a store of an earlier build; refuse a folder that holds anything else."""
    folder.mkdir(parents=True, exist_ok=True)
    for entry in folder.iterdir():
        if entry.name in _STORE_DIRS:
            shutil.rmtree(entry)
        elif entry.name.startswith("shard-") and entry.suffix == ".sqlite":
            entry.unlink()
        else:
            raise ValueError(f"{folder} is not a shard store: it holds {entry.name!r}")


@contextmanager
def sharded_build(
    inputs: Iterable[str | os.PathLike[str]],
    *,
    shards: int,
    jobs: int | None = None,
    strict: bool = False,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen
    progress: Callable[[int, int], None] | None = None,
    store: str | os.PathLike[str] | None = None,
    runner: StepRunner | None = None,
    work_dir: str | os.PathLike[str] | None = None,
) -> Iterator[ShardedBuild]:
    """Read and decide every shard; the store is removed on exit unless ``store`` was given.

    The steps run in ``jobs`` processes here, or through ``runner`` when one is given (then
    ``jobs`` only sets how many chunks the files are cut into).  The store is ``store``, or
    a new folder in ``work_dir`` (default: the system's temporary folder): workers on other
    machines need it on a folder they share, at the same path.
    """
    if shards < 1:
        raise ValueError(f"shards must be at least 1, not {shards}")
    if store is not None:
        folder = Path(store).absolute()
    else:
        if work_dir is not None:
            Path(work_dir).mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix="newsgraph-", dir=work_dir)).absolute()
    _clear_store(folder)  # a store holds one build
    plan = Plan(folder, shards)
    jobs = max(1, jobs or os.cpu_count() or 1)
    own = Runner(jobs if runner is None else 1)
    try:
        with cycle_collection_paused():
            report = _run(plan, runner or own, inputs, jobs, strict, options, progress)
        yield ShardedBuild(plan, report)
    finally:
        own.close()
        if store is None:
            shutil.rmtree(folder, ignore_errors=True)


def _run(
    plan: Plan,
    runner: StepRunner,
    inputs: Iterable[str | os.PathLike[str]],
    jobs: int,
    strict: bool,
    options: ReadOptions,
    progress: Callable[[int, int], None] | None,
) -> BuildReport:
    """Every step in turn, each mapped over its chunks or shards; the report."""
    from newsgraph.graph.building import _blocking, _chunks, _list_files

    problems: list[Problem] = []
    files = _list_files(inputs, options, problems)
    failed = len(problems)
    if strict and _blocking(problems):
        raise StrictModeError(_blocking(problems)[0])
    chunks = _chunks(files, jobs)
    n = len(chunks)
    records: Counter[str] = Counter()
    unreadable = done = 0
    results = runner.map(read_and_route, [plan] * n, range(n), chunks, [options] * n, [strict] * n)
    for chunk, (found, chunk_failed, counts) in zip(chunks, results, strict=True):
        if strict and _blocking(found):
            raise StrictModeError(_blocking(found)[0])
        problems += found
        failed += chunk_failed
        unreadable += chunk_failed
        records.update(counts)
        done += len(chunk)
        if progress is not None:
            progress(done, len(files))
    plans, every = [plan] * plan.shards, range(plan.shards)
    variants: dict[str, str] = {}
    for found_variants in runner.map(merge_shard, plans, every):
        variants.update(found_variants)
    claims, totals = Claims({}, {}), DecidedCounts()
    for shard_claims, counts in runner.map(reduce_shard, plans, every):
        claims.add(shard_claims)
        totals.add(counts)
    redirect, conflicts = decide_aliases(variants, claims)
    wanted = frozenset(key for conflict in conflicts for key in conflict.urls)
    sources: dict[str, set[str]] = {}
    for counts, found_sources in runner.map(
        decide_shard, plans, every, [redirect] * plan.shards, [wanted] * plan.shards
    ):
        totals.add(counts)
        sources.update(found_sources)
    listed = [with_files(c, [sources[k] for k in c.urls]) for c in conflicts]
    read = records.pop("files", 0) - unreadable  # a member of a pack is a file too
    return build_report(totals, records, problems, redirect, listed, read, failed)
