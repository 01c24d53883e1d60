"""A smoke test of the churn benchmark: it runs both starts and prints their shares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.bench_churn import main


def test_the_churn_benchmark_prints_warm_and_cold_shares(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--documents", "300", "--new", "0.05", "--jobs", "1", "--corpus", str(tmp_path)]
    assert main([*argv, "--real", str(tmp_path / "absent")]) == 0
    out = capsys.readouterr().out
    shares = re.findall(r"^  (warm|cold): +([\d.]+)% of ([\d,]+) articles changed id", out, re.M)
    assert [s[0] for s in shares] == ["warm", "cold"]
    assert all(0 <= float(share) <= 100 and int(n.replace(",", "")) > 200 for _, share, n in shares)
    assert "warm start on the unchanged graph" in out and "NMI against the plant" in out
    assert "absent not found, skipped" in out
