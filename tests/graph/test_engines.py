"""The Dask engine (issue 19): a build on a two-worker ``LocalCluster`` equals the local build.

One cluster serves the whole module (starting one takes seconds); every comparison is byte
for byte: the graph's exports and ``report.json``.  Several builds run one after another on
the same workers, which live on across builds and clients.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph, dask_executor, dumps
from newsgraph.exporters.streaming import STREAMING_FORMATS, write_streaming
from newsgraph.graph.building.sharded import ExecutorRunner, sharded_build
from newsgraph.graph.errors import EngineError, StrictModeError

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "news"
FORMATS = ("json", "nt", "graphml")


#: Starts a two-worker LocalCluster, prints its address, and stops it when stdin closes.
_CLUSTER = """
import logging, sys
from distributed import LocalCluster
with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                  dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR) as cluster:
    print(cluster.scheduler_address, flush=True)
    sys.stdin.read()
"""


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """The address of a two-worker ``LocalCluster`` (processes, one thread each), run in a
    process of its own: Dask's processes (and multiprocessing's resource tracker) must not
    be children of the test process, whose other tests check that no child is left."""
    if importlib.util.find_spec("distributed") is None:
        pytest.skip("dask[distributed] is not installed (the 'dask' extra, part of 'dev')")
    command = [sys.executable, "-c", _CLUSTER]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as cluster:
        assert cluster.stdout is not None and cluster.stdin is not None
        try:
            address = cluster.stdout.readline().strip()
            assert address.startswith("tcp://"), "the LocalCluster did not start"
            yield address
        finally:
            cluster.stdin.close()  # the cluster stops
            try:
                cluster.wait(timeout=120)
            except subprocess.TimeoutExpired:
                cluster.kill()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A synthetic corpus, part of it as a folder, part in a tar, and the sample."""
    root = tmp_path_factory.mktemp("synthetic")
    generate_corpus(root, 400, seed=19, duplicate_rate=0.05, write_truth=False)
    files = sorted((root / "news").rglob("*.md"))
    with tarfile.open(root / "packed.tar.gz", "w:gz") as archive:
        for file in files[::2]:
            archive.add(file, arcname=file.relative_to(root).as_posix())
    return [*files[1::2], root / "packed.tar.gz", SAMPLE]


def _outputs(inputs: list[Path], **kwargs: object) -> dict[str, bytes]:
    G, report = build_graph(inputs, **kwargs)  # type: ignore[arg-type]
    outputs = {name: dumps(G, name) for name in FORMATS}
    outputs["report.json"] = json.dumps(report.to_dict()).encode()
    return outputs


def _assert_same(got: dict[str, bytes], expected: dict[str, bytes]) -> None:
    assert list(got) == list(expected)
    for name in expected:
        assert got[name] == expected[name], name


def test_the_sample_on_dask_equals_the_local_build(scheduler: str) -> None:
    expected = _outputs([SAMPLE], jobs=1)
    with dask_executor(scheduler) as (executor, threads):
        assert threads == 2
        _assert_same(_outputs([SAMPLE], executor=executor, jobs=threads), expected)


def test_a_synthetic_corpus_with_packs_on_dask_equals_the_local_build(
    scheduler: str, corpus: list[Path]
) -> None:
    expected = _outputs(corpus, jobs=2)
    assert b"packed.tar.gz/" in expected["nt"]  # the pack was read
    with dask_executor(scheduler) as (executor, threads):
        _assert_same(_outputs(corpus, executor=executor, jobs=threads), expected)


def test_builds_one_after_another_on_the_same_workers(
    scheduler: str, corpus: list[Path], tmp_path: Path
) -> None:
    """Workers live on across builds and clients: nothing one build sent may be taken as
    known by the next (the worker pools of local builds keep a book of what they sent)."""
    sample, synthetic = _outputs([SAMPLE], jobs=1), _outputs(corpus, jobs=1)
    with dask_executor(scheduler) as (executor, threads):
        for _ in range(2):
            _assert_same(_outputs(corpus, executor=executor, jobs=threads), synthetic)
            _assert_same(_outputs([SAMPLE], executor=executor, jobs=threads), sample)
    with dask_executor(scheduler) as (executor, threads):  # another client, the same workers
        _assert_same(_outputs([SAMPLE], executor=executor, jobs=threads), sample)
    # a file changed between two builds is read again, not taken from the last build
    copy = tmp_path / "news"
    shutil.copytree(SAMPLE, copy)
    with dask_executor(scheduler) as (executor, threads):
        before = _outputs([copy], executor=executor, jobs=threads)
        first = sorted(copy.glob("*.md"))[0]
        first.write_text(first.read_text(encoding="utf-8").replace("title:", "title: Changed"))
        after = _outputs([copy], executor=executor, jobs=threads)
    assert before["json"] != after["json"]
    _assert_same(after, _outputs([copy], jobs=1))


def test_a_sharded_build_on_dask_equals_the_local_build(scheduler: str, corpus: list[Path]) -> None:
    """Every step of the sharded build (read and route, merge, reduce, decide) on Dask."""
    expected = _outputs(corpus, jobs=1)
    with dask_executor(scheduler) as (executor, threads):
        _assert_same(_outputs(corpus, executor=executor, jobs=threads, shards=3), expected)


def _streamed(inputs: list[Path], out: Path, **kwargs: Any) -> dict[str, bytes]:
    """The files of ``nt``, ``csv`` and ``neo4j`` written shard by shard (3 shards)."""
    runner = kwargs.pop("runner", None)
    with sharded_build(inputs, shards=3, runner=runner, **kwargs) as built:
        folders = {f: out / STREAMING_FORMATS[f] for f in ("nt", "csv", "neo4j")}
        write_streaming(built, folders, jobs=kwargs.get("jobs", 1), runner=runner)
    return _files(out)


def test_streamed_exports_written_by_dask_workers_are_the_local_bytes(
    scheduler: str, corpus: list[Path], tmp_path: Path
) -> None:
    """Every step on the cluster, each worker writing its shards' files: the same bytes."""
    expected = _streamed(corpus, tmp_path / "local", jobs=1)
    assert len(expected) == 6 + 7 + 8  # nt: 3 shards, header, sources, manifest; csv; neo4j
    work = tmp_path / "work"  # where the store is kept (a shared folder on a real cluster)
    with dask_executor(scheduler) as (executor, threads):
        runner = ExecutorRunner(executor)
        got = _streamed(corpus, tmp_path / "dask", jobs=threads, runner=runner, work_dir=work)
    assert got == expected
    assert work.is_dir() and not any(work.iterdir())  # the store was removed
    script = tmp_path / "dask" / "graph-neo4j.d" / "import.sh"
    assert (
        script.stat().st_mode & 0o777
        == (tmp_path / "local" / script.relative_to(tmp_path / "dask")).stat().st_mode & 0o777
    )


def test_strict_mode_on_dask_stops_as_it_does_locally(scheduler: str) -> None:
    with pytest.raises(StrictModeError) as local:
        build_graph([SAMPLE], jobs=1, strict=True)
    with dask_executor(scheduler) as (executor, threads), pytest.raises(StrictModeError) as dask:
        build_graph([SAMPLE], executor=executor, jobs=threads, strict=True)
    assert str(dask.value) == str(local.value)


def test_a_scheduler_that_cannot_be_reached_is_an_engine_error() -> None:
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    with (
        pytest.raises(EngineError, match=r"tcp://127\.0\.0\.1:9"),
        dask_executor("tcp://127.0.0.1:9", timeout=1),
    ):
        pass  # pragma: no cover - never entered
    with pytest.raises(EngineError, match="missing port"), dask_executor("nowhere"):
        pass  # pragma: no cover


# -- the command line ----------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "newsgraph.exporters.cli", "build", *args]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run(
        command, capture_output=True, text=True, env=env, check=False, timeout=600
    )


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_the_cli_on_a_scheduler_and_on_its_own_cluster_writes_the_same_files(
    scheduler: str, tmp_path: Path
) -> None:
    formats = ["-f", "nt,csv,graphml", "-q"]
    local = _cli(str(SAMPLE), "-o", str(tmp_path / "local"), *formats)
    remote = _cli(str(SAMPLE), "-o", str(tmp_path / "remote"), "--scheduler", scheduler, *formats)
    own = _cli(str(SAMPLE), "-o", str(tmp_path / "own"), "--engine", "dask", "-j", "2", *formats)
    assert local.returncode == remote.returncode == own.returncode == 1  # the sample's broken file
    assert local.stderr == remote.stderr == own.stderr
    expected = _files(tmp_path / "local")
    assert len(expected) >= 5
    assert _files(tmp_path / "remote") == expected
    assert _files(tmp_path / "own") == expected


def test_the_cli_streams_on_a_scheduler_and_on_its_own_cluster_the_same_files(
    scheduler: str, corpus: list[Path], tmp_path: Path
) -> None:
    inputs = [str(p) for p in corpus]
    formats = ["--no-graph", "-f", "nt,neo4j,csv", "--shards", "5", "-q"]
    local = _cli(*inputs, "-o", str(tmp_path / "local"), "-j", "1", *formats)
    work = ["--work-dir", str(tmp_path / "work")]
    remote = _cli(
        *inputs, "-o", str(tmp_path / "remote"), "--scheduler", scheduler, *work, *formats
    )
    own = _cli(*inputs, "-o", str(tmp_path / "own"), "--engine", "dask", "-j", "2", *formats)
    assert local.returncode == remote.returncode == own.returncode == 1  # the sample's broken file
    assert local.stderr == remote.stderr == own.stderr
    expected = _files(tmp_path / "local")
    assert {"report.json", "graph.nt.d/shard-0004.nt", "graph-csv.d/shard-0004/edges.csv"} <= set(
        expected
    )
    assert _files(tmp_path / "remote") == expected
    assert _files(tmp_path / "own") == expected
    assert not any((tmp_path / "work").iterdir())


def test_the_cli_with_a_bad_scheduler_says_so_in_one_line(tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="the 'dask' extra is not installed")
    done = _cli(str(SAMPLE), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:9")
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("newsgraph build: Dask scheduler 'tcp://127.0.0.1:9'")
    assert not (tmp_path / "out").exists()
    both = _cli(str(SAMPLE), "-o", str(tmp_path / "out"), "--scheduler", "x:1", "--engine", "local")
    assert both.returncode == 2 and both.stderr.count("\n") == 1


def test_the_cli_without_the_dask_extra_names_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from newsgraph.exporters.cli import main

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "distributed" else find_spec(name, *a),
    )
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--engine", "dask", "-q"]) == 2
    assert "pip install 'newsgraph[dask]'" in capsys.readouterr().err
