"""The notebook widget in a real browser: a notebook using ``ng.show`` exported with nbconvert.

- With the widget state saved (as nbclient and ``jupyter nbconvert --execute`` save it), the
  exported page draws the ipysigma widget.  It loads require.js and the widget manager from
  the web; here they are served from ``tests/browser/widget_assets.sh``'s folder (and
  ipysigma's script from its Python package), every other request refused.  The hostile
  names of the page's tests reach the widget's legend as text: no dialog, no element.  So
  do they when each node is hovered (ipysigma draws the hover label on a canvas) and
  clicked (ipysigma writes the node's attributes into its information panel as markup,
  ``show()`` escapes them).
- Without widget state (JupyterLab saves none by default), the export shows the widget's
  PNG picture instead of an empty cell, with the network cut off entirely.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import nbclient
import nbconvert
import nbformat
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
HOSTILE = REPO / "tests" / "fixtures" / "html" / "hostile_graph.json"
ASSETS = Path(os.environ.get("NEWSGRAPH_WIDGET_ASSETS", HERE / ".widget-assets"))

CELL = f"""\
import newsgraph as ng
from newsgraph.exporters.property_graph.nodelink import graph_from_json
G = graph_from_json(open({str(HOSTILE)!r}, "rb").read())
ng.show(G, color_by="provider")
"""


def _assets_ready() -> bool:
    """The widget manager's scripts are there, fetched from npm now if they were not."""
    wanted = (ASSETS / "embed-amd.js", ASSETS / "require.js")
    if not all(path.exists() for path in wanted) and shutil.which("npm"):
        script = HERE / "widget_assets.sh"
        subprocess.run(["sh", str(script), str(ASSETS)], check=False, timeout=300)
    return all(path.exists() for path in wanted)


def exported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *, widget_state: bool) -> Path:
    """Run a one-cell notebook showing the hostile graph and export it to HTML."""
    pythonpath = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", pythonpath)
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(CELL)]
    nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    if not widget_state:
        notebook.metadata.pop("widgets", None)
    body, _ = nbconvert.HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "exported.html"
    path.write_text(body, encoding="utf-8")
    return path


def watched(browser: Any) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(f"dialog: {d.message}"), d.dismiss()))
    return page, seen


def injected(page: Any) -> int:
    count: int = page.evaluate(
        """() => document.querySelectorAll(
            "img[src='x'], iframe, svg[onload], [onerror], [onmouseover], [onclick]").length"""
    )
    return count + page.evaluate("() => window.pwned === undefined ? 0 : 1")


# Every point of the widget's drawing, a few pixels apart, where the pointer is over a node
# (ipysigma shows a pointer there): mouse moves dispatched in the page, one evaluation.
NODE_POINTS = """(step) => {
  const box = document.querySelector(".ipysigma-container");
  const layer = box.querySelector("canvas:last-of-type");
  const rect = box.getBoundingClientRect();
  const found = [];
  for (let y = rect.top + step / 2; y < rect.bottom; y += step) {
    for (let x = rect.left + step / 2; x < rect.right; x += step) {
      layer.dispatchEvent(new MouseEvent("mousemove", { clientX: x, clientY: y, bubbles: true }));
      if (box.style.cursor === "pointer") found.push([x, y]);
    }
  }
  layer.dispatchEvent(new MouseEvent("mousemove", { clientX: rect.left + 1, clientY: rect.top + 1, bubbles: true }));
  return found;
}"""

# Select each node as ipysigma's search box does (a "change" event from its <select>) and
# return what the information panel then says about it (ipysigma writes it as markup).
PANELS = """(keys) => {
  const select = document.querySelector("select.ipysigma-search");
  const panel = document.querySelector(".ipysigma-information-contents");
  return keys.map((key) => {
    select.dispatchEvent(new CustomEvent("change", { detail: { value: key } }));
    return panel.textContent;
  });
}"""

HOVERED = "() => document.querySelector('.ipysigma-container').style.cursor === 'pointer'"

LABELS = [
    "</script><script>window.pwned='a';alert('a')</script>",
    "\" onmouseover=\"window.pwned='b';alert('b')\" x=\"",
    "<svg/onload=window.pwned='svg';alert('svg')>",
    "<iframe src=javascript:alert('i')>",
    "<b onclick=alert('p')>Evil</b> Times",
    "{{constructor.constructor('window.pwned=1')()}}",
    "'; window.pwned='topic'; alert('topic'); '",
]


def test_the_exported_widget_draws_and_keeps_hostile_names_as_text(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not _assets_ready():
        pytest.skip(f"no widget manager scripts in {ASSETS}: sh tests/browser/widget_assets.sh")
    import ipysigma

    path = exported(tmp_path, monkeypatch, widget_state=True)
    ipysigma_js = Path(ipysigma.__file__).parent / "nbextension" / "index.js"

    def serve(route: Any) -> None:
        url = route.request.url
        name = url.rsplit("/", 1)[-1].split("?")[0]
        if url.startswith("file:"):
            route.continue_()
        elif "/ipysigma@" in url and name == "index.js":
            route.fulfill(path=str(ipysigma_js), content_type="application/javascript")
        elif name in ("require.min.js", "require.js"):
            route.fulfill(path=str(ASSETS / "require.js"), content_type="application/javascript")
        elif "@jupyter-widgets/html-manager" in url and (ASSETS / name).exists():
            route.fulfill(path=str(ASSETS / name), content_type="application/javascript")
        else:
            route.abort()

    page, seen = watched(browser)
    page.route("**/*", serve)
    page.goto(path.as_uri())
    page.wait_for_selector(".jupyter-widgets canvas", timeout=60_000)
    page.wait_for_timeout(1000)
    # The provider's name is in the legend as the text it is (ipysigma writes it as markup,
    # show() escapes it), not as a bold element with a click handler.
    assert "<b onclick=alert('p')>Evil</b> Times" in page.text_content(".jupyter-widgets")
    shot = page.locator(".jupyter-widgets canvas").first.bounding_box()
    assert shot["width"] > 100 and shot["height"] > 100
    assert seen == [] and injected(page) == 0

    # Hover the nodes (sigma draws their labels on a canvas): every point of the drawing
    # over a node, then the first one with the real mouse.
    page.locator(".ipysigma-container").scroll_into_view_if_needed()
    points = page.evaluate(NODE_POINTS, 6)
    assert points, "no node under the pointer anywhere in the drawing"
    page.mouse.move(*points[0])
    page.wait_for_function(HOVERED, timeout=5000)  # sigma picks on its next frame
    # The information panel of each of the 8 nodes (show() names them "0", "1", ...) holds its
    # label as text: show() escapes every value because ipysigma's legend writes markup,
    # and ipysigma's panel escapes again, so the panel shows the escaped label.
    panels = "\n".join(page.evaluate(PANELS, [str(i) for i in range(8)]))
    missing = [label for label in LABELS if html.escape(label) not in panels]
    assert missing == [], f"not in the information panels as text: {missing}"
    assert seen == [] and injected(page) == 0
    page.close()


def test_an_export_without_widget_state_shows_the_picture_offline(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = exported(tmp_path, monkeypatch, widget_state=False)
    page, seen = watched(browser)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    page.goto(path.as_uri())
    picture = page.locator("img[src^='data:image/png;base64,']")
    assert picture.count() == 1
    size = picture.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size[0] >= 600 and size[1] >= 300
    assert seen == [] and injected(page) == 0
    page.close()
