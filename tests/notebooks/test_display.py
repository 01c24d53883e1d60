"""Rich display: results are HTML tables in Jupyter, text elsewhere, DataFrames on request.

The data is hostile on purpose: markup in titles, topics and provider names must come out
escaped in every ``_repr_html_``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import networkx as nx
import pandas as pd
import pytest

from newsgraph import Article, Problem, Provider, Severity, graph_from_articles
from newsgraph.graph.analysis import (
    articles_over_time,
    central_nodes,
    count_kinds,
    find_communities,
    find_stories,
)
from newsgraph.graph.building import BuildReport

EVIL = "<script>alert(1)</script>"
BAD_TAG = re.compile(
    r"<(?!/?(?:table|thead|tbody|tr|th|td|caption|p|div|span|style|small)\b)[a-z]", re.IGNORECASE
)


def hostile_graph() -> nx.MultiDiGraph:
    """Two invented stories told by three providers, with markup in every name."""
    start = datetime(2024, 5, 1, 8, tzinfo=UTC)
    articles = []
    for i in range(12):
        story = i % 2
        words = ["Harbour <b>crane</b> collapse", f"Marathon {EVIL} record"][story]
        articles.append(
            Article(
                key=f"https://news{i % 3}.example/{i}",
                source=f"mem{i}",
                url=f"https://news{i % 3}.example/{i}",
                title=f"{words} update {i // 2}",
                published=(start + timedelta(hours=3 * i)).isoformat().replace("+00:00", "Z"),
                provider=Provider(
                    domain=f"news{i % 3}.example", name=f'Paper "{i % 3}" <i onmouseover=x>'
                ),
                topics=(f"Topic <img src=x onerror=alert({story})>", "Shared & co"),
            )
        )
    G, _ = graph_from_articles(articles)
    return G


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    G = hostile_graph()
    communities = find_communities(G, seed=0)
    return {
        "communities": communities,
        "stories": find_stories(G),
        "counts": count_kinds(G),
        "central": central_nodes(G, top=2),
        "timeline": articles_over_time(G, by="topic", freq="day"),
    }


@pytest.mark.parametrize("name", ["communities", "stories", "counts", "central", "timeline"])
def test_results_are_escaped_html_tables_text_and_frames(
    results: dict[str, Any], name: str
) -> None:
    result = results[name]
    assert len(result) > 0, "the fixture should give every analysis something to find"
    page = result._repr_html_()
    assert "<table" in page and "<td>" in page
    assert BAD_TAG.search(page) is None, BAD_TAG.search(page)
    assert "onmouseover=x>" not in page
    text = str(result)
    assert "<table" not in text and "<td>" not in text
    frame = result.to_frame()
    assert isinstance(frame, pd.DataFrame) and len(frame) == len(result)


def test_escaped_values_are_still_there_to_read(results: dict[str, Any]) -> None:
    page = results["communities"]._repr_html_()
    assert "Topic &lt;img src=x onerror=alert(" in page


def test_the_build_report_is_an_escaped_html_table() -> None:
    report = BuildReport(
        files_read=2,
        files_failed=1,
        nodes_by_kind={"article": 3},
        problems=(Problem(f"{EVIL}.md", 1, None, "yaml-syntax", EVIL, Severity.ERROR),),
    )
    page = report._repr_html_()
    assert page.startswith("<table") and "files" in page
    assert BAD_TAG.search(page) is None
    assert "<table" not in report.summary()
