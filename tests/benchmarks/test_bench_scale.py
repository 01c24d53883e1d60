"""A smoke test of the scale benchmark at a tiny size: the sharded build feeds the later phases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.bench_scale import main


def test_build_sharded_writes_the_graph_the_later_phases_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    phases = ["build-sharded", "communities", "nt", "graphml"]
    argv = ["--sizes", "40", "--jobs", "1", "--shards", "2", "--workdir", str(tmp_path)]
    assert main([*argv, "--phases", *phases, "--baseline", "2.0", "1.0"]) == 0
    out = capsys.readouterr().out
    rows = dict(re.findall(r"^ +40 (\S+) +([\d.]+) ", out, re.M))
    assert list(rows) == [*phases, "pipeline"]  # no baseline run, and no in-memory build
    assert "failed" not in out
    wall = sum(float(rows[p]) for p in phases)
    assert float(rows["pipeline"]) == pytest.approx(wall, abs=0.1)
