"""``newsgraph build --no-graph``: report.json and exports written shard by shard.

No graph is held: the build is sharded (``--shards``, default :data:`DEFAULT_SHARDS`) and
the ``-f`` formats that can be written a shard at a time (``nt``, ``csv``, ``neo4j``; see
:mod:`newsgraph.exporters.streaming`) go to folders of one file set per shard.  Like
``newsgraph build``, the outputs are one :class:`~newsgraph.exporters.sinks.OutputSet`;
the output may also be an fsspec URL (``-o s3://bucket/out``), where each file is written
whole, in place.  On Dask (``--engine dask``, ``--scheduler``) every step runs on the
cluster, the writing of the shards included: each worker writes its shards' files into the
output folder (which it must see at the same path, or the URL), and this process writes
the headers, the neo4j script, the manifests and report.json.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

from newsgraph.exporters.cli._common import dump_json, left_out, print_problems
from newsgraph.exporters.cli._options import FormatChoice
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.cli.export import rdf_options
from newsgraph.exporters.destinations import Destination, LocalFolder, destination
from newsgraph.exporters.sinks import OutputSet
from newsgraph.exporters.streaming import STREAMING_FORMATS, write_streaming
from newsgraph.graph.building.sharded import ExecutorRunner, sharded_build
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.reading import ReadOptions

__all__ = ["DEFAULT_SHARDS", "run_streaming"]

#: Shards when ``--no-graph`` is given without ``--shards``.
DEFAULT_SHARDS = 16


def run_streaming(
    args: argparse.Namespace,
    choices: Sequence[FormatChoice],
    options: ReadOptions,
    progress: Progress,
    empty: Sequence[Path],
    executor: Executor | None = None,
    jobs: int | None = None,
) -> int:
    """Build in shards and stream the chosen formats; the exit status of ``newsgraph build``.

    ``empty`` are the input folders found empty (already reported).  With ``executor`` (a
    Dask cluster's, ``jobs`` its threads) every step runs on it, the writing of the shards
    included.  ``args.output`` is a folder, or an fsspec URL (text).
    """
    refused = [c.filename() for c in choices if c.format.name not in STREAMING_FORMATS or c.packing]
    if refused:
        print(
            f"newsgraph build: --no-graph writes only {', '.join(STREAMING_FORMATS)}"
            f" (unpacked), not {', '.join(refused)}",
            file=sys.stderr,
        )
        return 2
    runner = None if executor is None else ExecutorRunner(executor)
    jobs = jobs or os.cpu_count() or 1
    try:
        with (
            sharded_build(
                args.inputs,
                shards=args.shards or DEFAULT_SHARDS,
                jobs=jobs,
                strict=args.strict,
                options=options,
                progress=progress.bar("reading", "file"),
                runner=runner,
                work_dir=args.work_dir,
            ) as built,
            _outputs(args.output) as outputs,
        ):
            folders = {
                c.format.name: outputs.folder(STREAMING_FORMATS[c.format.name]) for c in choices
            }
            with progress.phase("writing shard by shard"):
                exported = write_streaming(
                    built, folders, rdf_options=rdf_options(args), jobs=jobs, runner=runner
                )
            report = dataclasses.replace(built.report, problems=(*built.report.problems, *exported))
            outputs.write("report.json", dump_json(report.to_dict()))
    except StrictModeError as err:
        print(f"newsgraph build: --strict: {err}", file=sys.stderr)
        return 1
    shown = str(args.output).rstrip("/")
    print_problems(report.problems, f"{shown}/report.json")
    if not args.quiet:
        print(report.summary())
        print(f"wrote {', '.join(f'{shown}/{name}' for name in outputs.written)}")
    return max(report.exit_code, int(bool(empty) or left_out(exported)))


class _Outputs:
    """Where ``build --no-graph`` writes: an :class:`OutputSet` in a folder, or a URL.

    In a folder, a stopped build leaves the previous outputs whole, and the workers write
    into the set's staging folder, inside the output folder.  At a URL, the files are
    written in place, each one whole (see :mod:`~newsgraph.exporters.destinations`).
    """

    def __init__(self, outputs: OutputSet | Destination) -> None:
        self.outputs = outputs
        self.written: list[str] = []

    def folder(self, name: str) -> Destination:
        """The folder of output ``name``."""
        self.written.append(name)
        if isinstance(self.outputs, OutputSet):
            return LocalFolder(self.outputs.path(name).absolute())
        return self.outputs.child(name)

    def write(self, name: str, data: bytes) -> None:
        """Write output file ``name``."""
        self.written.append(name)
        self.outputs.write(name, data)


@contextmanager
def _outputs(output: Path | str) -> Iterator[_Outputs]:
    if isinstance(output, str):
        folder = destination(output)
        folder.make()
        yield _Outputs(folder)
        return
    with OutputSet(output) as outputs:
        yield _Outputs(outputs)
