"""A smoke test of the engine benchmark: it runs both engines on every input and prints ratios.

It runs in a process of its own: the Dask cluster it starts (and multiprocessing's resource
tracker) must not be children of the test process, whose other tests check that none is left.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest


def test_the_engine_benchmark_prints_ratios(tmp_path: Path) -> None:
    if importlib.util.find_spec("distributed") is None:
        pytest.skip("dask[distributed] is not installed (the 'dask' extra, part of 'dev')")
    command = [sys.executable, "-m", "benchmarks.bench_engine", "--size", "60", "--repeat", "1"]
    command += ["--jobs", "2", "--workdir", str(tmp_path)]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=900, cwd=root
    )
    assert done.returncode == 0, done.stderr
    title, header, *rows = done.stdout.strip().splitlines()
    assert "60 documents" in title and "ratio" in header
    assert [row.split()[:2] for row in rows] == [
        [name, engine]
        for engine in ("local", "dask")
        for name in ("folder", "tars", "jsonl", "stream")
    ]
    for row in rows:
        wall, cpu, wall_ratio, cpu_ratio = map(float, row.split()[2:6])
        assert wall > 0 and cpu > 0 and wall_ratio > 0 and cpu_ratio > 0
        assert "DIFFERENT" not in row
    assert rows[0].split()[4:6] == ["1.00", "1.00"]
