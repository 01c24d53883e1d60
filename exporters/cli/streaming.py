"""``newsgraph build --no-graph``: report.json and exports written shard by shard.

No graph is held: the build is sharded (``--shards``, default :data:`DEFAULT_SHARDS`) and
the ``-f`` formats that can be written a shard at a time (``nt``, ``csv``, ``neo4j``; see
:mod:`newsgraph.exporters.streaming`) go to folders of one file set per shard.  Like
``newsgraph build``, the outputs are one :class:`~newsgraph.exporters.sinks.OutputSet`.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from newsgraph.exporters.cli._common import dump_json, left_out, print_problems
from newsgraph.exporters.cli._options import FormatChoice
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.cli.export import rdf_options
from newsgraph.exporters.sinks import OutputSet
from newsgraph.exporters.streaming import STREAMING_FORMATS, write_streaming
from newsgraph.graph.building.sharded import sharded_build
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
) -> int:
    """Build in shards and stream the chosen formats; the exit status of ``newsgraph build``.

    ``empty`` are the input folders found empty (already reported).
    """
    refused = [c.filename() for c in choices if c.format.name not in STREAMING_FORMATS or c.packing]
    if refused:
        print(
            f"newsgraph build: --no-graph writes only {', '.join(STREAMING_FORMATS)}"
            f" (unpacked), not {', '.join(refused)}",
            file=sys.stderr,
        )
        return 2
    try:
        with (
            sharded_build(
                args.inputs,
                shards=args.shards or DEFAULT_SHARDS,
                jobs=args.jobs,
                strict=args.strict,
                options=options,
                progress=progress.bar("reading", "file"),
            ) as built,
            OutputSet(args.output) as outputs,
        ):
            folders = {
                c.format.name: outputs.path(STREAMING_FORMATS[c.format.name]) for c in choices
            }
            with progress.phase("writing shard by shard"):
                exported = write_streaming(
                    built,
                    folders,
                    rdf_options=rdf_options(args),
                    jobs=args.jobs or os.cpu_count() or 1,
                )
            report = dataclasses.replace(built.report, problems=(*built.report.problems, *exported))
            outputs.write("report.json", dump_json(report.to_dict()))
    except StrictModeError as err:
        print(f"newsgraph build: --strict: {err}", file=sys.stderr)
        return 1
    print_problems(report.problems, str(args.output / "report.json"))
    if not args.quiet:
        print(report.summary())
        print(f"wrote {', '.join(map(str, outputs.written))}")
    return max(report.exit_code, int(bool(empty) or left_out(exported)))
