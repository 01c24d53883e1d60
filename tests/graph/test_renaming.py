"""Renaming, moving and shuffling every input file changes nothing but ``sources`` (issue 14).

Merge order is by content (see ``graph/building/merge.py``), so which file a value came
from never decides it.  Checked on the sample and on a synthetic corpus.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "news"


def _content(G: nx.MultiDiGraph) -> str:
    """Every node and edge attribute but ``sources``, as canonical JSON text."""
    nodes = [
        [node, {k: v for k, v in sorted(data.items()) if k != "sources"}]
        for node, data in sorted(G.nodes(data=True))
    ]
    edges = sorted([u, v, k, data] for u, v, k, data in G.edges(keys=True, data=True))
    return json.dumps([nodes, edges, G.graph], sort_keys=True, ensure_ascii=False)


def _scatter(files: list[Path], into: Path, rnd: random.Random) -> None:
    """Copy ``files`` under new random names, in random folders, in a random order."""
    order = files[:]
    rnd.shuffle(order)
    for index, source in enumerate(order):
        folder = into / rnd.choice(["", "a", "b/c", "zz"])
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{rnd.randrange(10**6):06d}-{index}{rnd.choice(['.md', '.txt', '.markdown'])}"
        shutil.copy(source, folder / name)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("synthetic")
    generate_corpus(root, 300, seed=14, duplicate_rate=0.1, write_truth=False)
    return sorted(p for p in (root / "news").rglob("*") if p.is_file())


def _check(files: list[Path], rnd: random.Random, reference: dict[str, Any]) -> None:
    if "content" not in reference:
        reference["content"] = _content(build_graph(files, jobs=1)[0])
        assert '"article:path:' not in reference["content"]  # no key made of a file name
    with tempfile.TemporaryDirectory() as folder:
        _scatter(files, Path(folder) / "renamed", rnd)
        G, _ = build_graph([Path(folder) / "renamed"], jobs=rnd.choice([1, 2]))
    assert _content(G) == reference["content"]


_SAMPLE_REFERENCE: dict[str, Any] = {}
_SYNTHETIC_REFERENCE: dict[str, Any] = {}


@settings(max_examples=6, deadline=None)
@given(rnd=st.randoms(use_true_random=False))
def test_renaming_the_sample_files_changes_nothing_but_sources(rnd: random.Random) -> None:
    _check(sorted(p for p in SAMPLE.iterdir() if p.is_file()), rnd, _SAMPLE_REFERENCE)


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rnd=st.randoms(use_true_random=False))
def test_renaming_a_synthetic_corpus_changes_nothing_but_sources(
    synthetic: list[Path], rnd: random.Random
) -> None:
    _check(synthetic, rnd, _SYNTHETIC_REFERENCE)
