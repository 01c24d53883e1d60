"""GraphML and GEXF written by forked processes: the same bytes and problems for any number of jobs."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import networkx as nx
import pytest

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph, dumps
from newsgraph.exporters.forked import cut, jobs_for


def _copies(G: nx.MultiDiGraph, count: int) -> nx.MultiDiGraph:
    """``count`` disjoint copies of ``G`` in one graph (keys get a copy number)."""
    return nx.union_all([nx.relabel_nodes(G, {n: f"{n}/{i}" for n in G}) for i in range(count)])


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    folder = tmp_path_factory.mktemp("synthetic")
    generate_corpus(folder, 1_200, seed=5, write_truth=False)
    G, _ = build_graph([folder / "news"], jobs=1)
    return G


WRITERS = [("graphml", {}), ("graphml", {"yed": True, "apoc": True}), ("gexf", {})]


@pytest.mark.parametrize(("name", "options"), WRITERS)
def test_the_same_bytes_and_problems_for_any_number_of_jobs(name, options, hostile) -> None:
    big = _copies(hostile, 150)  # over 2,000 nodes: enough for three processes
    found: dict[int, list] = {}
    out = {}
    for jobs in (1, 2, 3):
        found[jobs] = []
        out[jobs] = dumps(big, name, jobs=jobs, on_problem=found[jobs].append, **options)
    assert out[1] == out[2] == out[3]
    assert found[1] == found[2] == found[3] and len(found[1]) > 150


@pytest.mark.parametrize(("name", "options"), WRITERS)
def test_the_sample_and_a_synthetic_graph_are_written_the_same_by_forked_processes(
    name, options, sample_graph, synthetic
) -> None:
    for G in (_copies(sample_graph, 30), synthetic):
        assert len(G) > 2_000
        one = dumps(G, name, jobs=1, **options)
        assert dumps(G, name, jobs=2, **options) == one
        assert dumps(G, name, jobs=3, **options) == one


def test_no_child_is_left_behind(hostile) -> None:
    dumps(_copies(hostile, 150), "graphml", jobs=3)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_slices_cover_everything_in_order() -> None:
    assert cut([], 3) == [(0, 0), (0, 0), (0, 0)]
    ranges = cut([1] * 10, 3)
    assert ranges[0][0] == 0 and ranges[-1][1] == 10
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert jobs_for(None, 10) == 1 and jobs_for(8, 1_500) == 2


def test_build_passes_jobs_to_the_writers(tmp_path: Path, monkeypatch, sample_graph) -> None:
    from newsgraph.exporters.cli import main
    from newsgraph.exporters.property_graph import graphml

    seen: list = []
    original = graphml.write_graphml

    def spy(G, stream, **options):
        seen.append(options.get("jobs"))
        original(G, stream, **options)

    monkeypatch.setattr(graphml, "write_graphml", spy)
    samples = Path(__file__).resolve().parents[2] / "samples" / "news"
    assert main(["build", str(samples), "-o", str(tmp_path), "-f", "graphml", "-j", "2", "-q"]) in (
        0,
        1,
    )
    assert seen == [2]
