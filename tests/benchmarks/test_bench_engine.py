"""A smoke test of the engine benchmark: it runs both engines on the three inputs and prints ratios."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.bench_engine import main


def test_the_engine_benchmark_prints_ratios(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        import distributed  # noqa: F401
    except ImportError:
        pytest.skip("dask[distributed] is not installed (the 'dask' extra, part of 'dev')")
    assert main(["--size", "60", "--repeat", "1", "--jobs", "2", "--workdir", str(tmp_path)]) == 0
    title, header, *rows = capsys.readouterr().out.strip().splitlines()
    assert "60 documents" in title and "ratio" in header
    assert [row.split()[:2] for row in rows] == [
        [name, engine] for engine in ("local", "dask") for name in ("folder", "tars", "jsonl")
    ]
    for row in rows:
        wall, cpu, wall_ratio, cpu_ratio = map(float, row.split()[2:6])
        assert wall > 0 and cpu > 0 and wall_ratio > 0 and cpu_ratio > 0
        assert "DIFFERENT" not in row
    assert rows[0].split()[4:6] == ["1.00", "1.00"]
