"""``newsgraph build``: read article files into one graph and write it with its report.

Everything one build writes -- ``graph.json``, ``report.json`` and the ``-f`` exports --
is one :class:`~newsgraph.exporters.sinks.OutputSet`: a stopped or failed build leaves
the previous set whole.  ``--update`` reads only the files that changed since the last
``--update`` build into the same folder (:mod:`~newsgraph.graph.building.update`); its state
(``build-state.sqlite``) and ``update.json`` (what the update did) join the set, the state
put in place last, and every other output is byte for byte what a full build writes;
``changes/`` holds the change set from the previous ``graph.json`` to the new one, which
``newsgraph load --update`` applies to a store loaded with the previous graph.  Without
``-f``, an update patches ``graph.json``, ``report.json`` and the change set from the nodes
it decided again (:mod:`~newsgraph.graph.building.incremental`,
:mod:`~newsgraph.exporters.changes.patched`; the change set in a forked child while graph.json
is written, :mod:`~newsgraph.exporters.cli._patched`).  Problems of
the exports (a bad IRI left out, say) go into ``report.json`` beside the problems of
reading, and into the exit status.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

from newsgraph import ReadOptions, build_graph, dask_executor
from newsgraph.exporters.cli._common import dump_json, empty_inputs, left_out, print_problems
from newsgraph.exporters.cli._options import (
    UsageError,
    add_jobs_argument,
    add_output_argument,
    add_quiet_argument,
    existing_path,
    output_folder,
    positive_int,
)
from newsgraph.exporters.cli._patched import changes_beside
from newsgraph.exporters.cli._previous import UPDATE_JSON
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.cli.export import (
    add_format_arguments,
    add_view_arguments,
    chosen_formats,
    rdf_options,
    view_options,
    write_exports,
)
from newsgraph.exporters.cli.streaming import run_streaming
from newsgraph.exporters.property_graph.splice import (
    NotSpliceable,
    new_lines,
    write_lines,
)
from newsgraph.exporters.registry import dump
from newsgraph.exporters.sinks import OutputSet
from newsgraph.exporters.values import clean_text
from newsgraph.graph._runtime import cycle_collection_paused
from newsgraph.graph.building.incremental import CannotPatch, patch_graph
from newsgraph.graph.building.manifest import GraphStamp, file_digest, journal_of, stat_stamp
from newsgraph.graph.building.update import STATE_FILE, Update, UpdateReport, update_graph
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Problem

__all__ = ["add_parsers"]

GRAPH_JSON = "graph.json"
#: The change set an update writes: from the previous graph.json to the new one.
CHANGES = "changes"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "build",
        help="read article files into one graph",
        description="Read front-matter Markdown, YAML, JSON and JSON Lines article files "
        "(folders are read recursively) into one deduplicated graph, and write graph.json "
        "(networkx node-link) and report.json to OUTDIR.",
    )
    parser.add_argument(
        "inputs", nargs="+", type=existing_path, metavar="INPUT", help="files or folders to read"
    )
    add_output_argument(parser, url="s3://bucket/out, file:///srv/out...: with --no-graph")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="stop at the first problem that is more than a repair; write nothing",
    )
    add_jobs_argument(parser)
    parser.add_argument(
        "--update",
        action="store_true",
        help=f"read only the files added or changed since the last --update build into OUTDIR "
        f"(its state: OUTDIR/{STATE_FILE}); the outputs are those a full build writes, and "
        f"OUTDIR/{UPDATE_JSON} says what changed, and OUTDIR/{CHANGES}/ holds the change set "
        "from the previous graph.json (apply it with: newsgraph load --update)",
    )
    parser.add_argument(
        "--no-changes",
        action="store_true",
        help=f"with --update: do not write OUTDIR/{CHANGES}/ (then the next update that "
        "writes one compares the whole graphs: a full update)",
    )
    parser.add_argument(
        "--engine",
        choices=("local", "dask"),
        default=None,
        help="what reads the files (and with --shards or --no-graph, merges the shards and "
        "writes them): worker processes of this machine (local, the default) or "
        "a Dask cluster: the one at --scheduler, else a LocalCluster of -j workers started "
        "for the run (needs the 'dask' extra); the outputs are the same",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="read the files on the Dask cluster of this scheduler (tcp://HOST:PORT; "
        "implies --engine dask); its workers must see the inputs at the same absolute paths "
        "(and with --shards or --no-graph, --work-dir and OUTDIR)",
    )
    parser.add_argument(
        "--work-dir",
        type=output_folder,
        default=None,
        metavar="DIR",
        help="with --shards or --no-graph: keep the shards' store (removed after the build) "
        "in a new folder in DIR (default: the system's temporary folder); on a Dask cluster "
        "of several machines, a folder they all share at the same path",
    )
    parser.add_argument(
        "--max-file-bytes",
        type=positive_int,
        default=ReadOptions().max_file_bytes,
        metavar="N",
        help="skip files (and documents in packs) larger than this (default: %(default)s)",
    )
    parser.add_argument(
        "--max-field-chars",
        type=positive_int,
        default=ReadOptions().max_field_chars,
        metavar="N",
        help="drop text fields longer than this (default: %(default)s)",
    )
    add_quiet_argument(parser)
    parser.add_argument(
        "--shards",
        type=positive_int,
        default=None,
        metavar="N",
        help="merge and decide in N shards kept on disk (the same outputs, less memory)",
    )
    parser.add_argument(
        "--no-graph",
        action="store_true",
        help="write only report.json and the -f formats nt, csv, neo4j, shard by shard "
        "(no graph.json; memory bounded by a shard)",
    )
    add_format_arguments(parser)
    add_view_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    progress = Progress(quiet=args.quiet)
    # graph.json is the node-link export already: -f json names it again, not a second file
    choices = [c for c in chosen_formats(args.formats) if c.filename() != GRAPH_JSON]
    empty = empty_inputs("newsgraph build", args.inputs)
    options = ReadOptions(max_file_bytes=args.max_file_bytes, max_field_chars=args.max_field_chars)
    if args.update and (args.no_graph or args.shards):
        raise UsageError(
            "--update merges in memory and writes graph.json: not with --shards or --no-graph"
        )
    if args.update and (args.engine == "dask" or args.scheduler is not None):
        raise UsageError("--update reads on this machine: not with --engine dask or --scheduler")
    if args.work_dir is not None and not (args.shards or args.no_graph):
        raise UsageError(
            "--work-dir is where the shards are kept: only with --shards or --no-graph"
        )
    if isinstance(args.output, str) and not args.no_graph:
        raise UsageError(f"an fsspec URL as OUTDIR ({args.output}) needs --no-graph")
    dask = args.engine == "dask" or args.scheduler is not None
    if isinstance(args.output, str) and args.output.startswith("memory:") and dask:
        raise UsageError("memory:// is this process's own memory: Dask workers cannot write to it")
    if args.no_graph:
        with _engine(args) as (executor, jobs):
            return run_streaming(args, choices, options, progress, empty, executor, jobs)
    update: Update | None = None
    not_patched = "the update was not asked to patch"
    if args.update and args.engine != "dask" and args.scheduler is None:
        if choices:
            not_patched = "-f formats are written from the whole graph"
        else:
            try:
                with cycle_collection_paused():  # a patch makes many objects, no cycles
                    return _run_patch(args, options, progress, empty)
            except (CannotPatch, NotSpliceable) as err:
                not_patched = str(err)
    try:
        with _engine(args) as (executor, jobs):
            if args.update:
                graph_json = args.output / GRAPH_JSON
                update = update_graph(
                    args.inputs,
                    args.output / STATE_FILE,
                    jobs=jobs,
                    strict=args.strict,
                    options=options,
                    progress=progress.bar("reading", "file"),
                    # without the graph the state was saved with there is nothing to compare
                    # the new one with: "" matches no stamp, so the update is a full rebuild
                    stamp=GraphStamp(graph_json),
                )
                G, report = update.graph, update.report
            else:
                G, report = build_graph(
                    args.inputs,
                    jobs=jobs,
                    strict=args.strict,
                    options=options,
                    progress=progress.bar("reading", "file"),
                    shards=args.shards,
                    executor=executor,
                    work_dir=args.work_dir,
                )
    except StrictModeError as err:
        print(f"newsgraph build: --strict: {err}", file=sys.stderr)
        return 1
    exported: dict[Problem, None] = {}
    done: UpdateReport | None = None
    started = time.perf_counter()
    with OutputSet(args.output) as outputs:
        # named first, so put in place last: a state never describes outputs not in place
        state = outputs.path(STATE_FILE) if update is not None else None
        new_graph = outputs.path(GRAPH_JSON)
        with progress.phase(f"writing {GRAPH_JSON}"):
            dump(G, new_graph, "json", on_problem=exported.setdefault)
        written_ns = time.time_ns()
        splice = not exported and all(n and clean_text(n)[0] == n for n in G)
        write_exports(
            G,
            outputs,
            choices,
            progress=progress,
            on_problem=exported.setdefault,
            documents=report.files_read,
            rdf_options=rdf_options(args),
            view_options=view_options(args),
            jobs=args.jobs,
        )
        previous = args.output / GRAPH_JSON  # still the previous build's: not yet replaced
        basis = None
        if update is not None and not args.no_changes:
            if previous.is_file():
                basis = _write_changes(previous, G, outputs, progress, exported)
            else:  # no change set, but what the next one starts from
                basis = _first_basis(G)
        report = dataclasses.replace(report, problems=(*report.problems, *exported))
        outputs.write("report.json", dump_json(report.to_dict()))
        if update is not None and state is not None:
            update = update._replace(
                update=dataclasses.replace(update.update, not_patched=not_patched)
            )
            done = _finish_update(
                update, state, (new_graph, written_ns), outputs, started, splice, basis
            )
    if update is not None:  # a patch stopped half way left its journal beside the old state
        journal_of(args.output / STATE_FILE).unlink(missing_ok=True)
    print_problems(report.problems, str(args.output / "report.json"))
    if not args.quiet:
        print(report.summary())
        if done is not None:
            print(done.summary())
        print(f"wrote {', '.join(map(str, outputs.written))}")
    return max(report.exit_code, int(bool(empty) or left_out(list(exported))))


def _write_changes(
    previous: Path,
    G: nx.MultiDiGraph,
    outputs: OutputSet,
    progress: Progress,
    problems: dict[Problem, None],
) -> str | None:
    """Write the change set from the graph a store was loaded with to ``G`` (``changes/``);
    return the basis of the next one (None when the change set reported problems)."""
    from newsgraph.exporters.changes import write_change_sets
    from newsgraph.exporters.changes.basis import basis_of
    from newsgraph.exporters.property_graph.nodelink import read_nodelink

    found: dict[Problem, None] = {}
    with progress.phase(f"writing {CHANGES}/"):
        summary = write_change_sets(
            read_nodelink(previous), G, outputs, name=CHANGES, on_problem=found.setdefault
        )
    problems.update(found)
    if found:
        return None
    return basis_of(G, statements=summary["statements"]["after"]).to_text()


def _first_basis(G: nx.MultiDiGraph) -> str | None:
    """The basis of the first change set (None when describing ``G`` reports problems)."""
    from newsgraph.exporters.changes.basis import basis_of
    from newsgraph.exporters.changes.triples import statement_count

    found: list[Problem] = []
    statements = statement_count(G, on_problem=found.append)
    return None if found else basis_of(G, statements=statements).to_text()


def _finish_update(
    update: Update,
    state: Path,
    written: tuple[Path, int],
    outputs: OutputSet,
    started: float,
    splice: bool,
    basis: str | None,
) -> UpdateReport:
    """Save the state stamped with the new graph's digest; write and return ``update.json``."""
    graph, written_ns = written  # graph.json, staged, and when it was written
    stamp = file_digest(graph)
    # renamed into place, graph.json keeps the size, time and inode it has here
    stat = stat_stamp(graph, written_ns)
    update.state.save(state, stamp=stamp, splice=splice, basis=basis, stamp_stat=stat)
    seconds = {**update.update.seconds, "write": time.perf_counter() - started}
    done = dataclasses.replace(update.update, seconds=seconds, graph=stamp)
    outputs.write(UPDATE_JSON, dump_json(done.to_dict()))
    return done


def _run_patch(
    args: argparse.Namespace, options: ReadOptions, progress: Progress, empty: list[Path]
) -> int:
    """``build --update`` by patching the previous outputs (see :mod:`.incremental`)."""
    graph_json = args.output / GRAPH_JSON
    try:
        patch = patch_graph(
            args.inputs,
            args.output / STATE_FILE,
            jobs=args.jobs,
            strict=args.strict,
            options=options,
            progress=progress.bar("reading", "file"),
            stamp=GraphStamp(graph_json),
        )
    except StrictModeError as err:
        print(f"newsgraph build: --strict: {err}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        if not args.no_changes and patch.state.basis is None:
            raise CannotPatch("the previous state keeps no basis for a change set")
        with OutputSet(args.output) as outputs:
            new_graph = outputs.path(GRAPH_JSON)  # named first, so put in place last
            folder = None if args.no_changes else outputs.path(CHANGES)
            # forked before new_lines, which then runs beside it: the pages new_lines
            # touches are copied for the child, which costs far less than waiting for it
            with changes_beside(patch, graph_json, folder) as basis_of_next:
                lines = new_lines(patch.graph, patch.written, patch.replaced)
                with (
                    progress.phase(f"writing {GRAPH_JSON}"),
                    graph_json.open("rb") as previous,
                    new_graph.open("wb") as stream,
                ):
                    stamp = write_lines(previous, lines, stream)
                written_ns = time.time_ns()
                with progress.phase(f"writing {CHANGES}/"):
                    basis = basis_of_next()
            outputs.write("report.json", dump_json(patch.report.to_dict()))
            seconds = {**patch.update.seconds, "write": time.perf_counter() - started}
            done = dataclasses.replace(patch.update, seconds=seconds, not_patched=None, graph=stamp)
            outputs.write(UPDATE_JSON, dump_json(done.to_dict()))
        patch.state.save(stamp=stamp, basis=basis, stat=stat_stamp(graph_json, written_ns))
    except BaseException:
        patch.state.discard()
        raise
    report = patch.report
    print_problems(report.problems, str(args.output / "report.json"))
    if not args.quiet:
        print(report.summary())
        print(done.summary())
        print(f"wrote {', '.join(map(str, outputs.written))}")
    return max(report.exit_code, int(bool(empty)))


@contextmanager
def _engine(args: argparse.Namespace) -> Iterator[tuple[Executor | None, int | None]]:
    """The executor that reads the files (None: local processes) and its number of workers."""
    if args.scheduler is None and args.engine != "dask":
        yield None, args.jobs
        return
    if args.scheduler is not None and args.engine == "local":
        raise UsageError("--scheduler runs the build on Dask: it cannot go with --engine local")
    if importlib.util.find_spec("distributed") is None:
        raise UsageError("the Dask engine needs the 'dask' extra: pip install 'newsgraph[dask]'")
    with dask_executor(args.scheduler, workers=args.jobs) as (executor, threads):
        yield executor, threads
