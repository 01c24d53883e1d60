"""The bundled sample's stories are the four that samples/README.md describes."""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from types import ModuleType

import pytest

from newsgraph import build_graph
from newsgraph.graph.analysis import find_communities, find_stories
from newsgraph.graph.urls import canonical_url

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.fixture(scope="module")
def make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_samples_stories", SAMPLES / "make_samples.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sample_graph():
    G, _ = build_graph([SAMPLES / "news"], jobs=1)
    return G


def test_sample_stories_are_the_four_of_the_readme(make_samples, sample_graph):
    expected = make_samples.expected()
    name = {f"article:{canonical_url(url)}": key for key, url in expected["keys"].items()}
    stories = find_stories(sample_graph)
    found = {}
    for story in stories.rows:
        members = sorted(name[a] for a in story.articles)
        primaries = [m for m in members if not m.startswith("X")]
        found[primaries[0][0]] = primaries
        # Stubs may join a story, but its headline is a primary article's title.
        headline_of = {
            sample_graph.nodes[a]["title"]: sample_graph.nodes[a] for a in story.articles
        }
        assert not headline_of[story.headline].get("is_stub")
        span = datetime.fromisoformat(story.last) - datetime.fromisoformat(story.first)
        assert span <= stories.window
    assert found == expected["stories"]
    # The look-alike single article stays out of the bridge story.
    rowing = [k for k, v in name.items() if v == "S25"]
    assert rowing and rowing[0] not in stories.membership


def test_sample_communities_leave_no_article_alone_unsaid(sample_graph):
    communities = find_communities(sample_graph, seed=0)
    articles = [n for n, k in sample_graph.nodes(data="kind") if k == "article"]
    assert len(communities.membership) + len(communities.unclustered) == len(articles)
    assert all(c.size >= communities.min_size for c in communities.rows)
    assert [c.size for c in communities.rows] == sorted(
        (c.size for c in communities.rows), reverse=True
    )
