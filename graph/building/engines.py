"""Engines beyond this machine's worker processes: a Dask cluster reads a build's files.

:func:`dask_executor` connects to a Dask scheduler (``tcp://HOST:PORT``), or starts a
``distributed.LocalCluster`` for the run, and gives a :class:`concurrent.futures.Executor`
that :func:`~newsgraph.graph.building.build_graph` reads the chunks of files with
(``executor=``).  The graph and the report are the same as a local build's: every chunk's
partial is merged in this process by the same order-independent rules, and each comes back
as a pack that stands alone (see :mod:`~newsgraph.graph.building.transport`), so a worker
that lives on across builds and clients, takes its tasks in any order or runs a task again
changes nothing.

What the workers need: the same version of newsgraph installed, and the input files at
the same absolute paths as on the machine that starts the build (a shared folder -- NFS,
a cluster file system -- mounted at the same place; the paths are made absolute before
they are sent).  Packs (tar, zip, JSON Lines: :mod:`~newsgraph.graph.reading.packs`) cut
the number of files a shared file system must serve.

With ``build_graph(shards=N, executor=...)`` every step of the sharded build runs on the
cluster; its store is a new folder in ``work_dir`` (default: the system's temporary folder,
which a ``LocalCluster``'s workers see; workers on other machines need a shared folder).
The streamed exports (:mod:`newsgraph.exporters.streaming`) are written by the workers too,
each its shards' files.

Not done yet: fsspec URLs as inputs (they are taken as outputs of the streamed exports).

>>> import newsgraph as ng
>>> callable(ng.dask_executor)
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import ExitStack, contextmanager
from typing import Any

from newsgraph.graph.errors import EngineError

__all__ = ["dask_executor"]

_INSTALL = "the Dask engine needs the 'dask' extra: pip install 'newsgraph[dask]'"


@contextmanager
def dask_executor(
    scheduler: str | None = None, *, workers: int | None = None, timeout: float = 10.0
) -> Iterator[tuple[Executor, int]]:
    """An executor on a Dask cluster and the number of threads its workers run tasks on.

    ``scheduler`` is the address of a running scheduler (``tcp://HOST:PORT``); without
    it a ``LocalCluster`` of ``workers`` processes (default: one a core), one thread each,
    is started and stopped with the context.  A malformed address, a scheduler that cannot
    be reached, or one without a worker within ``timeout`` seconds raises :class:`~newsgraph.graph.errors.EngineError`;
    without the ``dask`` extra, :class:`ImportError`.

    Use it as ``with dask_executor(address) as (executor, threads):
    build_graph(paths, executor=executor, jobs=threads)``.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise ImportError(_INSTALL) from err
    with ExitStack() as stack:
        target: Any = scheduler
        if scheduler is None:
            target = stack.enter_context(
                LocalCluster(  # type: ignore[no-untyped-call]  # distributed's __init__ is untyped
                    n_workers=workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address="127.0.0.1:0",  # no fixed port: other clusters may run
                    silence_logs=logging.ERROR,
                )
            )
        try:
            client = stack.enter_context(Client(target, timeout=timeout))  # type: ignore[no-untyped-call]
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as err:  # ValueError: a malformed address
            raise EngineError(f"Dask scheduler {scheduler!r}: {_reason(err)}") from err
        threads = sum(client.nthreads().values())
        # pure=False: a task is run for each build, never taken from an earlier build's
        # results of the same arguments (the files may have changed since)
        executor = client.get_executor(pure=False)
        try:
            yield executor, threads
        finally:
            executor.shutdown(wait=False)


def _reason(err: BaseException) -> str:
    """The first line of what went wrong, without Dask's long explanations."""
    text = str(err).strip().splitlines()
    return text[0] if text else type(err).__name__
