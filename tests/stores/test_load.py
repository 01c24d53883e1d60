"""Load the sample and the real corpus into every store; counts and cookbook answers agree.

Each store is checked against the graph it was loaded from: nodes and edges by kind (as
the store counts them) equal the graph's, and each cookbook question gives networkx's
answer.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from newsgraph.exporters.stores import Store, graph_counts, load, open_store
from newsgraph.exporters.stores.cookbook import QUESTIONS, answer, example_parameters
from tests.stores.conftest import need

STORES = ("oxigraph-folder", "oxigraph-server", "ladybug", "falkordb")
GRAPHS = ("sample_graph", "corpus_graph")

_loaded: dict[tuple[str, str], tuple[Store, Any]] = {}
_in_server: dict[str, str] = {}  # the graph each shared server holds now


@pytest.fixture
def target_for(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], str]:
    def target(store: str, graph: str) -> str:
        if store == "oxigraph-folder":
            need("pyoxigraph")
            return f"oxigraph:{tmp_path_factory.mktemp(graph)}/store"
        if store == "oxigraph-server":
            return str(request.getfixturevalue("oxigraph_server"))
        if store == "ladybug":
            need("ladybug")
            need("pyarrow")
            return f"ladybug:{tmp_path_factory.mktemp(graph)}/news.lbug"
        sock = request.getfixturevalue("falkordb_socket")
        return f"falkordb+unix://{sock}?graph={graph}"

    return target


@pytest.fixture(params=[(s, g) for g in GRAPHS for s in STORES], ids=lambda p: f"{p[1]}-{p[0]}")
def loaded(
    request: pytest.FixtureRequest, target_for: Callable[[str, str], str]
) -> tuple[Store, nx.MultiDiGraph, Any]:
    store_kind, graph_name = request.param
    G = request.getfixturevalue(graph_name)
    if (store_kind, graph_name) not in _loaded:
        target = target_for(store_kind, graph_name)
        # the one server holds the sample or the corpus: a load there replaces the other
        report = load(G, target, replace=store_kind == "oxigraph-server")
        _loaded[store_kind, graph_name] = (open_store(target), report)
        _in_server[store_kind] = graph_name
    store, report = _loaded[store_kind, graph_name]
    if store_kind == "oxigraph-server" and _in_server.get(store_kind) != graph_name:
        report = load(G, store, replace=True)  # the other graph was loaded since
        _loaded[store_kind, graph_name] = (store, report)
        _in_server[store_kind] = graph_name
    return store, G, report


def test_counts_by_kind_equal_the_graphs(loaded: tuple[Store, nx.MultiDiGraph, Any]) -> None:
    store, G, report = loaded
    assert report.counts == graph_counts(G)
    assert store.counts() == graph_counts(G)


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_cookbook_answers_equal_networkx(
    loaded: tuple[Store, nx.MultiDiGraph, Any], name: str
) -> None:
    store, G, _ = loaded
    question, parameters = QUESTIONS[name], example_parameters(G)
    expected = answer(question, G, parameters)
    assert expected, f"{name} has no answer on this graph; pick other parameters"
    assert answer(question, store, parameters) == expected


def test_sample_counts_are_those_of_the_readme(sample_graph: nx.MultiDiGraph) -> None:
    counts = graph_counts(sample_graph)
    assert counts["article"] == 56 and counts["related_to"] == 68


def test_rdf_report_counts_triples(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> None:
    need("pyoxigraph")
    report = load(sample_graph, f"oxigraph:{tmp_path}/s")
    assert report.triples is not None and report.triples > sum(graph_counts(sample_graph).values())
