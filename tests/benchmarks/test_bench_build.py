"""A smoke test of the build benchmark: it runs, measures both sides and prints a ratio."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_build import main


def test_the_build_benchmark_prints_a_ratio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--sizes", "60", "--repeat", "2", "--jobs", "2", "--workdir", str(tmp_path)]) == 0
    header, row = capsys.readouterr().out.strip().splitlines()
    assert "ratio" in header
    docs, baseline, ours, ratio, jobs, cpu, _ = row.split()
    assert int(docs) >= 60 and float(baseline) > 0 and float(ours) > 0 and float(ratio) > 0
    assert jobs == "2"
    base_cpu, our_cpu = map(float, cpu.split("/"))
    assert base_cpu > 0 and our_cpu > 0
