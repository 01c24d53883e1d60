"""A smoke test of the stage benchmark: every stage measured, and the graph's size."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_build_stages import STAGES, main


def test_the_stage_benchmark_measures_every_stage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--sizes", "60", "--jobs", "2", "--shards", "3", "--workdir", str(tmp_path)]
    assert main(argv) == 0
    header, *rows, graph = capsys.readouterr().out.strip().splitlines()
    assert "peak MiB" in header
    assert [row.split()[1] for row in rows] == list(STAGES)
    for row in rows:
        wall, cpu, peak = map(float, row.split()[2:5])
        assert wall >= 0 and cpu >= 0 and peak > 0  # a stage of 60 documents may round to 0.0
    assert "nodes" in graph and "bytes" in graph
    edges = int(graph.split(" edges")[0].split()[-1].replace(",", ""))
    assert edges > 0
