"""The ``html`` page in a real browser: it draws, searches, filters, shows details, and stays
inert with hostile data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from newsgraph import build_graph, dump
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.views.html import read_page_data

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "html" / "hostile_graph.json"
MURMUR = "Veltra releases Murmur, an open-source speech recognition model"
BRIDGE = "Port Alder closes Lantern Bay Bridge after cable inspection"

INK = """() => {
  const c = document.getElementById("graph");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let ink = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
  return ink / (c.width * c.height);
}"""


@pytest.fixture(scope="module")
def sample() -> nx.MultiDiGraph:
    G, _ = build_graph([REPO / "samples" / "news"], jobs=1)
    return G


@pytest.fixture(scope="module")
def sample_page(sample: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "sample.html"
    dump(sample, path, title="newsgraph sample")
    return path


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "hostile.html"
    dump(graph_from_json(HOSTILE.read_bytes()), path)
    return path


def key_of(page: Path, label: str) -> str:
    """The key of the article titled *label* (its image often carries the same title)."""
    nodes = read_page_data(page.read_bytes())["nodes"]
    return next(n["key"] for n in nodes if n["label"] == label and n["kind"] == "article")


def drawn(seen: Any) -> int:
    return int(seen.page.get_attribute("#graph", "data-drawn-nodes"))


def test_the_sample_page_loads_offline_without_errors(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    assert seen.errors == []
    assert [line for line in seen.console if line.startswith("error")] == []
    assert seen.requests == [sample_page.resolve().as_uri()]
    assert seen.page.title() == "newsgraph sample"
    assert seen.page.text_content("#title") == "newsgraph sample"


def test_the_graph_is_drawn(visit: Any, sample_page: Path, sample: nx.MultiDiGraph) -> None:
    seen = visit(sample_page)
    assert drawn(seen) == len(sample)
    assert seen.page.evaluate(INK) > 0.01  # nodes and edges, not a blank canvas
    counts = seen.page.text_content("#counts")
    assert counts.startswith(f"{len(sample)} of {len(sample)} nodes")


def test_search_finds_a_known_article_and_shows_its_details(
    visit: Any, sample_page: Path, sample: nx.MultiDiGraph
) -> None:
    seen = visit(sample_page)
    seen.page.fill("#search", "veltra releases")
    results = seen.page.locator("#results button")
    # The article comes first: a whole-title match, better connected than its image.
    assert results.first.text_content() == "article" + MURMUR
    results.first.click()
    assert seen.page.text_content("#details h2") == MURMUR
    key = key_of(sample_page, MURMUR)
    url = sample.nodes[key]["url"]
    assert seen.page.locator("#details a").first.get_attribute("href") == url
    provider = next(
        sample.nodes[p]["label"]
        for p in sample.successors(key)
        if sample.nodes[p]["kind"] == "provider"
    )
    assert provider in seen.page.text_content("#details .neighbours")


def test_enter_in_the_search_box_selects_the_best_match(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    seen.page.fill("#search", "lantern bay bridge")
    seen.page.press("#search", "Enter")
    # Several titles start so: the best-connected wins, then the first by label.
    starting = [
        n
        for n in read_page_data(sample_page.read_bytes())["nodes"]
        if n["label"].lower().startswith("lantern bay bridge")
    ]
    best = min(starting, key=lambda n: (-n["degree"], n["label"]))
    assert len(starting) > 1 and best["kind"] == "article"
    assert seen.page.text_content("#details h2") == best["label"]


def test_clicking_a_node_shows_its_details_and_clicking_space_clears_them(
    visit: Any, sample_page: Path
) -> None:
    seen = visit(sample_page)
    key = key_of(sample_page, BRIDGE)
    at = seen.page.evaluate("k => newsgraphViewer.screenPosition(k)", key)
    seen.page.mouse.click(at["x"], at["y"])
    assert seen.page.text_content("#details h2") == BRIDGE
    table = seen.page.text_content("#details table")
    assert "published" in table and "2024-03-0" in table
    box = seen.page.locator("#graph").bounding_box()
    seen.page.mouse.click(box["x"] + 3, box["y"] + 3)
    assert seen.page.locator("#details h2").count() == 0


def test_links_in_the_details_are_web_links_opening_elsewhere(
    visit: Any, sample_page: Path
) -> None:
    seen = visit(sample_page)
    seen.page.evaluate("k => newsgraphViewer.select(k)", key_of(sample_page, MURMUR))
    links = seen.page.locator("#details a")
    assert links.count() >= 1
    for i in range(links.count()):
        link = links.nth(i)
        assert link.get_attribute("href").startswith(("https://", "http://"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"


def test_filters_by_kind_topic_and_community(
    visit: Any, sample_page: Path, sample: nx.MultiDiGraph
) -> None:
    seen = visit(sample_page)
    images = sum(1 for _, k in sample.nodes(data="kind") if k == "image")
    seen.page.uncheck("#kinds input[value=image]")
    assert drawn(seen) == len(sample) - images
    seen.page.check("#kinds input[value=image]")
    assert drawn(seen) == len(sample)

    data = read_page_data(sample_page.read_bytes())
    topic = data["topics"].index("Transport")
    about = [n for n in data["nodes"] if n["kind"] == "article" and topic in n["topics"]]
    seen.page.select_option("#topic", str(topic))
    assert len(about) < drawn(seen) < len(sample)
    seen.page.select_option("#topic", "-1")

    members = [n for n in data["nodes"] if n["community"] == 0]
    seen.page.select_option("#community", "0")
    assert drawn(seen) == len(members)


def test_colour_by_community_shows_the_community_legend(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    before = seen.page.evaluate(INK)
    seen.page.select_option("#colour-by", "community")
    labels = read_page_data(sample_page.read_bytes())["communities"]
    legend = seen.page.locator("#legend div").all_text_contents()
    assert legend[0] == f"0: {labels[0]}"
    assert seen.page.evaluate(INK) == pytest.approx(before, rel=0.2)


def test_hostile_data_runs_no_script_and_still_renders(visit: Any, hostile_page: Path) -> None:
    seen = visit(hostile_page)
    page = seen.page
    data = read_page_data(hostile_page.read_bytes())
    # Go through every node three ways: the handle, a click on the canvas and the search.
    for node in data["nodes"]:
        page.evaluate("k => newsgraphViewer.select(k)", node["key"])
        assert page.text_content("#details h2") == node["label"]
        at = page.evaluate("k => newsgraphViewer.screenPosition(k)", node["key"])
        page.mouse.move(at["x"], at["y"])
        page.mouse.click(at["x"], at["y"])
        page.hover("#details")
    for query in ("script", "onmouseover", "<img", "{{"):
        page.fill("#search", query)
        for i in range(page.locator("#results button").count()):
            page.locator("#results button").nth(i).click()
            page.hover("#details table")
    page.select_option("#colour-by", "community")
    page.select_option("#topic", "0")

    assert seen.dialogs == []
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert seen.errors == [] and [c for c in seen.console if c.startswith("error")] == []
    assert page.locator("script").count() == 2
    assert page.locator("body img, body svg, body iframe, body b").count() == 0
    assert drawn(seen) > 0 and page.evaluate(INK) > 0.001
    assert seen.requests == [hostile_page.resolve().as_uri()]
    assert page.title() == data["title"]


def test_only_web_links_are_made_even_from_tampered_data(
    visit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Let every URL through in Python: the viewer's own check must still refuse the others.
    monkeypatch.setattr("newsgraph.exporters.views.html._is_web_url", lambda url: True)
    path = tmp_path / "tampered.html"
    dump(graph_from_json(HOSTILE.read_bytes()), path)
    article = next(
        n
        for n in read_page_data(path.read_bytes())["nodes"]
        if n["key"] == "article:https://evil.example/a"
    )
    assert any(url.lower().lstrip().startswith("javascript:") for url in article["links"])
    seen = visit(path)
    seen.page.evaluate("k => newsgraphViewer.select(k)", article["key"])
    hrefs = seen.page.eval_on_selector_all("#details a", "links => links.map(a => a.href)")
    assert hrefs == ["https://evil.example/a"]
    assert seen.dialogs == [] and seen.page.evaluate("() => typeof window.pwned") == "undefined"
