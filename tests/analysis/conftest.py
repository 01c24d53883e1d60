"""Fixtures for the analysis tests: small invented graphs in the shape of docs/graph-schema.md."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import networkx as nx
import pytest

from newsgraph.graph.examples import make_graph, toy_graph


@pytest.fixture
def toy() -> nx.MultiDiGraph:
    """Twelve invented articles in three topic groups with two cross-provider stories."""
    return toy_graph()


@pytest.fixture
def make() -> Callable[[Iterable[Mapping[str, Any]]], nx.MultiDiGraph]:
    """Build a schema-shaped graph from article mappings (url, title, published, provider, …)."""
    return make_graph


@pytest.fixture
def planted() -> Callable[..., tuple[nx.Graph, list[set[int]]]]:
    """A seeded planted-partition graph and its planted groups."""

    def build(
        groups: int = 4, size: int = 30, p_in: float = 0.5, p_out: float = 0.01, seed: int = 7
    ) -> tuple[nx.Graph, list[set[int]]]:
        G = nx.planted_partition_graph(groups, size, p_in, p_out, seed=seed)
        truth = [set(range(g * size, (g + 1) * size)) for g in range(groups)]
        return G, truth

    return build
