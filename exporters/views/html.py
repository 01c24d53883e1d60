"""The ``html`` format: one standalone page that explores the whole graph, offline.

The page holds everything it needs: sigma.js and graphology (WebGL drawing, MIT; built into
``viewer/vendor.js`` by ``exporters/views/bundle/build.sh``), the viewer's own script and
style (``viewer/``), and the graph as JSON, laid out in Python (see
:mod:`newsgraph.exporters.views.layout`).  Up to *max_nodes* (default 100,000) every node
is drawn; above, a representative sample is, and every node stays in the page's search
index.  It offers search over every node, labels chosen among the nodes on screen, a hover
tooltip and neighbourhood highlight, filters by kind, provider, topic, community, input
root and time, colour by kind, community or provider, the stories of an annotated graph,
and a detail panel whose links open only http(s) URLs.

Safety: the data sits in a ``<script type="application/json">`` block with ``<``, ``>``,
``&`` and U+2028/U+2029 escaped, and the viewer inserts it only as text.  A
Content-Security-Policy allows just the page's own scripts and style (by hash) and forbids
every fetch, so a hostile title stays inert text and the page never touches the network.

The same graph gives the same bytes.  Not supported: editing, or export from the page.

>>> import io
>>> from newsgraph.graph.examples import toy_graph
>>> out = io.BytesIO()
>>> write_html(toy_graph(), out)
>>> page = out.getvalue()
>>> page.startswith(b"<!DOCTYPE html>"), b"http-equiv=\\"Content-Security-Policy\\"" in page
(True, True)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from functools import cache
from importlib import resources
from typing import IO, Any, Final, Literal

import networkx as nx

from newsgraph.exporters.values import OnProblem
from newsgraph.exporters.views.layout import Reduce, build_view
from newsgraph.exporters.views.pagedata import page_data
from newsgraph.graph.analysis import Communities, Stories
from newsgraph.graph.model import Problem, Severity

__all__ = ["COLOR_BY", "ColorBy", "page_nodes", "read_page_data", "write_html"]

ColorBy = Literal["kind", "community", "provider"]
COLOR_BY: tuple[str, ...] = ("kind", "community", "provider")

# Escapes that keep JSON inert inside a <script> element and valid as JavaScript.  Applied
# with str.replace, one character at a time: str.translate takes 8 s on a 64 MB page.
_SCRIPT_SAFE: Final = (
    ("<", "\\u003c"),
    (">", "\\u003e"),
    ("&", "\\u0026"),
    ("\u2028", "\\u2028"),
    ("\u2029", "\\u2029"),
)

_DATA: Final = re.compile(
    r'<script type="application/json" id="newsgraph-data">(.*?)</script>', re.DOTALL
)

_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; \
script-src '{vendor_hash}' '{script_hash}'; style-src '{style_hash}'; img-src data:; \
base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newsgraph">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
<header><button id="toggle-controls" type="button" aria-controls="controls">Filters</button>\
<h1 id="title"></h1><button id="toggle-details" type="button" aria-controls="details">Details\
</button><p id="note"></p></header>
<noscript><p>This page draws the graph with JavaScript; please enable it.</p></noscript>
<div id="app">
<aside id="controls">
<label>Search <input id="search" type="search" placeholder="title, topic, provider…" \
autocomplete="off"></label>
<ol id="results"></ol>
<label>Colour by <select id="colour-by"><option value="kind">kind</option>\
<option value="community">community</option><option value="provider">provider</option>\
</select></label>
<div id="legend"></div>
<fieldset id="kinds"><legend>Kinds</legend></fieldset>
<label>Provider <select id="provider"></select></label>
<label>Topic <select id="topic"></select></label>
<label>Community <select id="community"></select></label>
<label>Input root <select id="root"></select></label>
<fieldset id="time"><legend>Published</legend><label>from <input id="time-from" type="date">\
</label><label>to <input id="time-to" type="date"></label></fieldset>
<label>Story <select id="story"></select></label>
<button id="reset" type="button">Clear filters</button> \
<button id="fit" type="button">Fit to view</button>
<p id="counts"></p>
</aside>
<main id="graph" aria-label="graph drawing"><div id="tooltip" hidden></div></main>
<aside id="details"></aside>
</div>
<script type="application/json" id="newsgraph-data">{data}</script>
<script>{vendor}</script>
<script>{script}</script>
</body>
</html>
"""


def write_html(
    G: nx.Graph,
    stream: IO[bytes],
    *,
    on_problem: OnProblem | None = None,
    title: str | None = None,
    max_nodes: int = 100_000,
    reduce: Reduce = "sample",
    color_by: ColorBy = "kind",
    communities: Communities | bool = True,
    stories: Stories | None = None,
    seed: int = 0,
) -> None:
    """Write *G* as a standalone interactive HTML page (UTF-8 bytes).

    *title* defaults to the graph's ``name``; *color_by* is the colouring the page opens
    with.  *max_nodes*, *reduce*, *communities* and *seed* are those of
    :func:`newsgraph.exporters.views.layout.build_view`; *stories* (else the nodes'
    ``story`` ids) are listed in the page.  A reduction is reported to *on_problem* as an
    ``info`` problem ``html-reduced`` whose message says what was left out.

    >>> import io, networkx as nx
    >>> out = io.BytesIO()
    >>> write_html(nx.path_graph(2), out, title="<two>", communities=False)
    >>> b"<title>&lt;two&gt;</title>" in out.getvalue()
    True
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    view = build_view(G, max_nodes=max_nodes, reduce=reduce, communities=communities, seed=seed)
    if view.note and on_problem is not None:
        on_problem(Problem("<graph>", None, None, "html-reduced", view.note, Severity.INFO))
    name = title if title is not None else str(G.graph.get("name") or "newsgraph")
    data = page_data(G, view, title=name, color_by=color_by, stories=stories)
    vendor, script, style = _asset("vendor.js"), _asset("viewer.js"), _asset("viewer.css")
    page = _PAGE.format(
        title=html.escape(data["title"]),
        vendor_hash=_csp_hash(vendor),
        script_hash=_csp_hash(script),
        style_hash=_csp_hash(style),
        style=style,
        vendor=vendor,
        script=script,
        data=_script_safe(
            json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        ),
    )
    stream.write(page.encode("utf-8"))


def read_page_data(page: bytes | str) -> dict[str, Any]:
    """The graph data embedded in a page that :func:`write_html` wrote (for tests and tools).

    >>> import io, networkx as nx
    >>> out = io.BytesIO(); write_html(nx.Graph([("<a>", "b")]), out, communities=False)
    >>> read_page_data(out.getvalue())["nodes"]["label"]
    ['<a>', 'b']
    """
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    match = _DATA.search(text)
    if match is None:
        raise ValueError("not a newsgraph page: no embedded graph data")
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def page_nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's node columns as one dict a node (for tests and tools).

    >>> page_nodes({"nodes": {"key": ["a", "b"], "x": [1, None]}})
    [{'key': 'a', 'x': 1}, {'key': 'b', 'x': None}]
    """
    columns = data["nodes"]
    return [dict(zip(columns, row, strict=True)) for row in zip(*columns.values(), strict=True)]


def _script_safe(text: str) -> str:
    """*text* with the characters that could end a ``<script>`` element (or a JavaScript
    string) as JSON escapes.

    >>> _script_safe('["</script>&"]')
    '["\\\\u003c/script\\\\u003e\\\\u0026"]'
    """
    for char, escape in _SCRIPT_SAFE:
        text = text.replace(char, escape)
    return text


@cache
def _asset(name: str) -> str:
    text = (resources.files("newsgraph.exporters.views") / "viewer" / name).read_text(
        encoding="utf-8"
    )
    if "</" in text:
        # Our own file: a closing tag inside it would end the inline element early.
        raise RuntimeError(f"exporters/views/viewer/{name} must not contain '</'")
    return text


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
