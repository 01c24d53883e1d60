"""The page at the scale the issue asks for, and on the real corpus.

- 100,000 drawn nodes and 500,000 edges (plus nodes left out, in the search index): loads in
  under 10 s (the issue's bound), draws, pans and zooms, and finds an undrawn node by a word of
  its title, bringing it in with its neighbours and its edges.  "Loaded" is the page's
  ``data-viewer=ready``: set once the browser has shown the first frame with every node and
  every edge drawn (nothing is drawn later, in the background).
- The three ``../shared/corpus`` folders built together, reduced to 1,000 drawn nodes: every
  input root, kind and community keeps nodes.

Timings beyond that bound live in ``benchmarks/bench_view.py``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.bench_view import news_graph
from newsgraph import build_graph, dump
from newsgraph.exporters.views.html import page_nodes, read_page_data

pytestmark = pytest.mark.scale

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
FOLDERS = ("azure", "powerapps", "coronavirus-api")


@pytest.fixture(scope="module")
def big_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    G = news_graph(100_000, edges_per_node=5.3)  # 103,000 nodes and 545,900 edges
    path = tmp_path_factory.mktemp("big") / "big.html"
    dump(G, path, max_nodes=100_000)
    return path


@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not all((CORPUS / f).is_dir() for f in FOLDERS):
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    G, _ = build_graph([CORPUS / f for f in FOLDERS], jobs=2)
    path = tmp_path_factory.mktemp("corpus") / "corpus.html"
    dump(G, path, title="three corpora", max_nodes=1000)
    return path


def test_a_page_of_100k_nodes_loads_draws_moves_and_finds_undrawn_nodes(
    visit: Any, big_page: Path
) -> None:
    data = read_page_data(big_page.read_bytes())
    assert data["drawn"] == 100_000 and len(data["edges"]) >= 500_000
    assert data["total"]["nodes"] > data["drawn"]
    start = time.perf_counter()
    seen = visit(big_page)
    assert time.perf_counter() - start < 10  # the bound: load in under 10 s
    page = seen.page
    assert seen.errors == []
    assert page.evaluate("() => newsgraphViewer.drawnCount()") == 100_000
    shot = page.locator("#graph").screenshot()
    assert len(shot) > 20_000  # a drawing compresses worse than a blank canvas

    camera = "() => { const c = newsgraphViewer.sigma.getCamera(); return [c.x, c.y, c.ratio]; }"
    x, y, ratio = page.evaluate(camera)
    box = page.locator("#graph").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -500)
    page.wait_for_timeout(600)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 150, box["y"] + 200, steps=5)
    page.mouse.up()
    x2, y2, ratio2 = page.evaluate(camera)
    assert ratio2 < ratio and (x2, y2) != (x, y)

    nodes = page_nodes(data)
    left_out = next(n for n in nodes[data["drawn"] :] if n["label"].split()[-1].isdigit())
    word = left_out["label"].split()[-1]  # the article's number, a word of its title only
    assert not page.evaluate("k => newsgraphViewer.isDrawn(k)", left_out["key"])
    page.fill("#search", f" {word}")
    hit = page.locator("#results button", has_text=left_out["label"])
    assert "not drawn" in hit.first.text_content()
    edges = page.evaluate("() => newsgraphViewer.drawnEdgeCount()")
    assert edges == len(data["edges"])
    # Bringing it in re-indexes the nodes only (the edges are not sigma's): it used to
    # re-process all 650k nodes and edges and time out here.
    hit.first.click()
    assert page.text_content("#details h2") == left_out["label"]
    assert page.evaluate("k => newsgraphViewer.isDrawn(k)", left_out["key"])
    assert page.evaluate("() => newsgraphViewer.drawnCount()") > 100_000  # with its neighbours
    assert page.evaluate("() => newsgraphViewer.drawnEdgeCount()") > edges  # and its links


def test_the_corpus_page_represents_every_root_kind_and_community(
    visit: Any, corpus_page: Path
) -> None:
    data = read_page_data(corpus_page.read_bytes())
    nodes = page_nodes(data)
    drawn = nodes[: data["drawn"]]
    assert data["drawn"] == 1000 and len(nodes) == data["total"]["nodes"]
    # "(none)": nodes linked to no document at all (the corpus has a few bare providers).
    assert sorted(r for r in data["roots"] if r != "(none)") == sorted(FOLDERS)
    for column in ("root", "kind", "community"):
        assert {n[column] for n in drawn} == {n[column] for n in nodes}, column
    assert len({n["provider"] for n in drawn if n["provider"] >= 0}) > 50
    assert "left out" in data["note"]
    seen = visit(corpus_page)
    assert seen.errors == []
    page = seen.page
    assert page.text_content("#note") == data["note"]
    for root in range(len(data["roots"])):
        page.select_option("#root", str(root))
        shown = int(page.get_attribute("#graph", "data-drawn-nodes"))
        assert shown == sum(n["root"] == root for n in drawn)
