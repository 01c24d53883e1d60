"""The ``html`` page in a real browser: it draws with WebGL, searches every node, filters,
labels what is on screen, shows details, fits a phone, and stays inert with hostile data."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from PIL import Image

from newsgraph import build_graph, dump
from newsgraph.exporters.property_graph.nodelink import graph_from_json
from newsgraph.exporters.views.html import page_nodes, read_page_data

REPO = Path(__file__).resolve().parents[2]
HOSTILE = REPO / "tests" / "fixtures" / "html" / "hostile_graph.json"
MURMUR = "Veltra releases Murmur, an open-source speech recognition model"
BRIDGE = "Port Alder closes Lantern Bay Bridge after cable inspection"


def ink(seen: Any) -> float:
    """The share of the drawing's pixels that are not white (a screenshot: WebGL included)."""
    shot = Image.open(io.BytesIO(seen.page.locator("#graph").screenshot())).convert("L")
    histogram = shot.histogram()
    return 1 - sum(histogram[240:]) / (shot.width * shot.height)


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
    data = read_page_data(page.read_bytes())
    article = data["kinds"].index("article")
    return next(n["key"] for n in page_nodes(data) if n["label"] == label and n["kind"] == article)


def empty_point(seen: Any, page: Path) -> tuple[float, float]:
    """The point of the canvas farthest from every drawn node (a corner can hold one)."""
    keys = [n["key"] for n in page_nodes(read_page_data(page.read_bytes()))]
    spots = seen.page.evaluate("ks => ks.map(k => newsgraphViewer.screenPosition(k))", keys)
    nodes = [(p["x"], p["y"]) for p in spots if p]
    box = seen.page.locator("#graph").bounding_box()
    grid = [
        [box["x"] + box["width"] * (i + 0.5) / 20, box["y"] + box["height"] * (j + 0.5) / 20]
        for i in range(20)
        for j in range(20)
    ]
    # only points where the drawing itself takes the click (legends and notes float over it)
    on_canvas = seen.page.evaluate(
        "ps => ps.map(([x, y]) => !!document.elementFromPoint(x, y)?.closest('#graph canvas'))",
        grid,
    )
    free = [g for g, ok in zip(grid, on_canvas, strict=True) if ok]
    best = max(free, key=lambda g: min((g[0] - x) ** 2 + (g[1] - y) ** 2 for x, y in nodes))
    return best[0], best[1]


def drawn(seen: Any) -> int:
    return int(seen.page.get_attribute("#graph", "data-drawn-nodes"))


def test_the_sample_page_loads_offline_without_errors(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    assert seen.errors == []
    assert [line for line in seen.console if line.startswith("error")] == []
    assert seen.requests == [sample_page.resolve().as_uri()]
    assert seen.page.title() == "newsgraph sample"
    assert seen.page.text_content("#title") == "newsgraph sample"


def test_the_graph_is_drawn_with_webgl(
    visit: Any, sample_page: Path, sample: nx.MultiDiGraph
) -> None:
    seen = visit(sample_page)
    assert drawn(seen) == len(sample)
    assert seen.page.locator("#graph canvas").count() >= 2  # sigma's WebGL layers
    assert ink(seen) > 0.01  # nodes and edges, not a blank canvas
    counts = seen.page.text_content("#counts")
    assert counts.startswith(f"{len(sample)} of {len(sample)} drawn nodes")


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
        for n in page_nodes(read_page_data(sample_page.read_bytes()))
        if n["label"].lower().startswith("lantern bay bridge")
    ]
    best = min(starting, key=lambda n: (-n["degree"], n["label"]))
    assert len(starting) > 1
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
    assert "/work/" not in table and "/home/" not in table  # no machine paths
    x, y = empty_point(seen, sample_page)
    # sigma takes a second click within its double-click timeout (300 ms) as a double click
    seen.page.wait_for_timeout(400)
    seen.page.mouse.click(x, y)
    assert seen.page.locator("#details h2").count() == 0


def test_hovering_a_node_shows_a_tooltip_and_highlights_its_neighbourhood(
    visit: Any, sample_page: Path
) -> None:
    seen = visit(sample_page)
    key = key_of(sample_page, BRIDGE)
    before = ink(seen)
    at = seen.page.evaluate("k => newsgraphViewer.screenPosition(k)", key)
    seen.page.mouse.move(at["x"], at["y"])
    seen.page.wait_for_selector("#tooltip:not([hidden])")
    assert seen.page.text_content("#tooltip strong") == BRIDGE
    assert ink(seen) < before  # the rest is dimmed, its edges hidden


def test_links_in_the_details_are_labelled_web_links_opening_elsewhere(
    visit: Any, sample_page: Path
) -> None:
    seen = visit(sample_page)
    seen.page.evaluate("k => newsgraphViewer.select(k)", key_of(sample_page, MURMUR))
    links = seen.page.locator("#details .links li")
    assert links.count() >= 1
    hrefs = []
    for i in range(links.count()):
        link = links.nth(i).locator("a")
        assert links.nth(i).locator(".kind").text_content() in ("page", "AMP", "original")
        hrefs.append(link.get_attribute("href"))
        assert link.get_attribute("href").startswith(("https://", "http://"))
        assert link.get_attribute("target") == "_blank"
        assert link.get_attribute("rel") == "noopener noreferrer"
    assert len(hrefs) == len(set(hrefs))


def test_filters_change_what_is_drawn(
    visit: Any, sample_page: Path, sample: nx.MultiDiGraph
) -> None:
    seen = visit(sample_page)
    page = seen.page
    images = sum(1 for _, k in sample.nodes(data="kind") if k == "image")
    page.uncheck("#kinds input[value=image]")
    assert drawn(seen) == len(sample) - images
    page.check("#kinds input[value=image]")
    assert drawn(seen) == len(sample)

    data = read_page_data(sample_page.read_bytes())
    nodes = page_nodes(data)
    article = data["kinds"].index("article")
    topic = data["topics"].index("Transport")
    about = [n for n in nodes if n["kind"] == article and topic in n["topics"]]
    page.select_option("#topic", str(topic))
    assert len(about) < drawn(seen) < len(sample)
    page.select_option("#topic", "-1")

    provider = max(
        range(len(data["providers"])),
        key=lambda p: sum(n["provider"] == p for n in nodes if n["kind"] == article),
    )
    page.select_option("#provider", str(provider))
    assert 0 < drawn(seen) < len(sample)
    page.select_option("#provider", "-1")

    members = [n for n in nodes if n["community"] == 0]
    page.select_option("#community", "0")
    assert drawn(seen) == len(members)
    page.click("#reset")
    assert drawn(seen) == len(sample)

    days = sorted(n["time"] for n in nodes if n["time"] is not None)
    middle = days[len(days) // 2]
    page.fill("#time-from", _date(middle))
    page.dispatch_event("#time-from", "change")
    later = [
        n for n in nodes if n["kind"] == article and n["time"] is not None and n["time"] >= middle
    ]
    assert len(later) <= drawn(seen) < len(sample)


def _date(day: int) -> str:
    from datetime import date, timedelta

    return (date(1970, 1, 1) + timedelta(days=day)).isoformat()


def test_colour_by_community_and_provider_show_their_legends(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    data = read_page_data(sample_page.read_bytes())
    seen.page.select_option("#colour-by", "community")
    legend = seen.page.locator("#legend div").all_text_contents()
    sizes = [data["nodes"]["community"].count(c) for c in range(len(data["communities"]))]
    biggest = max(range(len(sizes)), key=lambda c: (sizes[c], -c))
    assert legend[0] == f"{biggest}: {data['communities'][biggest]}"
    seen.page.select_option("#colour-by", "provider")
    legend = seen.page.locator("#legend div").all_text_contents()
    assert set(legend[:-1]) <= set(data["providers"])
    assert ink(seen) > 0.01


def test_labels_appear_after_zooming_into_a_cluster(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    key = key_of(sample_page, BRIDGE)
    far = set(seen.page.evaluate("() => newsgraphViewer.labelsShown()"))
    seen.page.evaluate("k => newsgraphViewer.zoomTo(k, 0.08)", key)
    seen.page.wait_for_timeout(200)
    near = seen.page.evaluate("() => newsgraphViewer.labelsShown()")
    assert len(near) >= 3 and set(near) - far  # new labels, of nodes now on screen
    at = seen.page.evaluate("k => newsgraphViewer.screenPosition(k)", key)
    box = seen.page.locator("#graph").bounding_box()
    assert box["x"] < at["x"] < box["x"] + box["width"]


def test_panning_and_zooming_move_the_camera(visit: Any, sample_page: Path) -> None:
    seen = visit(sample_page)
    page = seen.page
    camera = "() => { const c = newsgraphViewer.sigma.getCamera(); return [c.x, c.y, c.ratio]; }"
    x, y, ratio = page.evaluate(camera)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -600)
    page.wait_for_timeout(600)
    assert page.evaluate(camera)[2] < ratio
    x, y, _ = page.evaluate(camera)
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    page.mouse.move(box["x"] + 240, box["y"] + 140, steps=8)
    page.mouse.up()
    assert page.evaluate(camera)[:2] != [x, y]


def test_on_a_phone_the_panels_collapse_and_open_from_the_header(
    visit: Any, sample_page: Path
) -> None:
    seen = visit(sample_page, width=390, height=780)
    page = seen.page
    assert not page.is_visible("#controls") and not page.is_visible("#details")
    graph = page.locator("#graph").bounding_box()
    assert graph["width"] >= 380
    page.click("#toggle-controls")
    assert page.is_visible("#search")
    page.fill("#search", "veltra releases")
    page.locator("#results button").first.click()
    assert page.is_visible("#details h2")
    assert ink(seen) > 0.005


def test_hostile_data_runs_no_script_and_still_renders(visit: Any, hostile_page: Path) -> None:
    seen = visit(hostile_page)
    page = seen.page
    data = read_page_data(hostile_page.read_bytes())
    # Go through every node three ways: the handle, hovering and clicking on the drawing,
    # and the search.
    for node in page_nodes(data):
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
    for colour in ("community", "provider"):
        page.select_option("#colour-by", colour)
    page.select_option("#topic", "0")
    page.select_option("#provider", "0")

    assert seen.dialogs == []
    assert page.evaluate("() => typeof window.pwned") == "undefined"
    assert seen.errors == [] and [c for c in seen.console if c.startswith("error")] == []
    assert page.locator("script").count() == 3
    assert page.locator("body img, body svg, body iframe, body b").count() == 0
    assert drawn(seen) > 0 and ink(seen) > 0.001
    assert seen.requests == [hostile_page.resolve().as_uri()]
    assert page.title() == data["title"]


def test_only_web_links_are_made_even_from_tampered_data(
    visit: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Let every URL through in Python: the viewer's own check must still refuse the others.
    monkeypatch.setattr("newsgraph.exporters.views.pagedata._is_web_url", lambda url: True)
    path = tmp_path / "tampered.html"
    dump(graph_from_json(HOSTILE.read_bytes()), path)
    article = next(
        n
        for n in page_nodes(read_page_data(path.read_bytes()))
        if n["key"] == "article:https://evil.example/a"
    )
    assert any(url.lower().lstrip().startswith("javascript:") for url, _ in article["links"])
    seen = visit(path)
    seen.page.evaluate("k => newsgraphViewer.select(k)", article["key"])
    hrefs = seen.page.eval_on_selector_all("#details a", "links => links.map(a => a.href)")
    assert hrefs == ["https://evil.example/a"]
    assert seen.dialogs == [] and seen.page.evaluate("() => typeof window.pwned") == "undefined"
