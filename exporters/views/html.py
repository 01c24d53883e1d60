"""The ``html`` format: one standalone page that shows the graph, offline.

The page holds everything it needs: the viewer's script and style (``exporters/viewer/``)
and the graph as JSON, laid out in Python (see :mod:`newsgraph.exporters.views.layout`).  It offers search,
colour by kind or community, size by degree, filters by kind, topic and community, and a
detail panel whose links open only http(s) URLs.

Safety: the data sits in a ``<script type="application/json">`` block with ``<``, ``>``,
``&`` and U+2028/U+2029 escaped, and the viewer inserts it only as text.  A
Content-Security-Policy allows just the page's own script and style (by hash) and forbids
every fetch, so a hostile title stays inert text and the page never touches the network.

The same graph gives the same bytes.  Graphs above *max_nodes* nodes are reduced, with a
note on the page (see :func:`newsgraph.exporters.views.layout.build_view`).  Not supported: editing, export
from the page, or graphs larger than a few thousand drawn nodes.

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
from collections.abc import Hashable, Mapping
from functools import cache
from importlib import resources
from typing import IO, Any, Final
from urllib.parse import urlsplit

import networkx as nx

from newsgraph.exporters.values import MISSING, OnProblem, plain
from newsgraph.exporters.views.layout import Reduce, View, build_view
from newsgraph.graph.analysis import Communities
from newsgraph.graph.model import Problem, Severity

__all__ = ["page_data", "read_page_data", "write_html"]

# Shown first in the detail panel, in this order; other attributes follow by name.
_FIRST: Final = (
    "title",
    "excerpt",
    "published",
    "updated",
    "name",
    "names",
    "domain",
    "type",
    "category",
    "categories",
    "story",
)
# Opaque, duplicated elsewhere, or shown another way (links, colour, header).
_HIDDEN: Final = frozenset(
    {"kind", "label", "secured", "title_original", "excerpt_original", "url", "urls", "community"}
)
_MAX_TEXT: Final = 600
# Escapes that keep JSON inert inside a <script> element and valid as JavaScript.
_SCRIPT_SAFE: Final = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)

_DATA: Final = re.compile(
    r'<script type="application/json" id="newsgraph-data">(.*?)</script>', re.DOTALL
)

_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src '{script_hash}'; \
style-src '{style_hash}'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="newsgraph">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
<header><h1 id="title"></h1><p id="note"></p></header>
<noscript><p>This page draws the graph with JavaScript; please enable it.</p></noscript>
<div id="app">
<aside id="controls">
<label>Search <input id="search" type="search" placeholder="title, topic, provider…" \
autocomplete="off"></label>
<ol id="results"></ol>
<label>Colour by <select id="colour-by"><option value="kind">kind</option>\
<option value="community">community</option></select></label>
<fieldset id="kinds"><legend>Kinds</legend></fieldset>
<label>Topic <select id="topic"></select></label>
<label>Community <select id="community"></select></label>
<button id="fit" type="button">Fit to view</button>
<div id="legend"></div>
<p id="counts"></p>
</aside>
<main><canvas id="graph" aria-label="graph drawing"></canvas></main>
<aside id="details"></aside>
</div>
<script type="application/json" id="newsgraph-data">{data}</script>
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
    max_nodes: int = 1000,
    reduce: Reduce = "top",
    communities: Communities | bool = True,
    seed: int = 0,
) -> None:
    """Write *G* as a standalone interactive HTML page (UTF-8 bytes).

    *title* defaults to the graph's ``name``.  *max_nodes*, *reduce*, *communities* and
    *seed* are those of :func:`newsgraph.exporters.views.layout.build_view`; a reduction is also reported
    to *on_problem* as an ``info`` problem.

    >>> import io, networkx as nx
    >>> out = io.BytesIO()
    >>> write_html(nx.path_graph(2), out, title="<two>", communities=False)
    >>> b"<title>&lt;two&gt;</title>" in out.getvalue()
    True
    """
    view = build_view(G, max_nodes=max_nodes, reduce=reduce, communities=communities, seed=seed)
    if view.note and on_problem is not None:
        on_problem(Problem("<graph>", None, None, "html-reduced", view.note, Severity.INFO))
    name = title if title is not None else str(G.graph.get("name") or "newsgraph")
    data = page_data(G, view, title=name)
    script, style = _asset("viewer.js"), _asset("viewer.css")
    page = _PAGE.format(
        title=html.escape(_text(name)),
        script_hash=_csp_hash(script),
        style_hash=_csp_hash(style),
        style=style,
        script=script,
        data=json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).translate(
            _SCRIPT_SAFE
        ),
    )
    stream.write(page.encode("utf-8"))


def page_data(G: nx.Graph, view: View, *, title: str) -> dict[str, Any]:
    """The JSON the viewer reads: nodes with positions and details, edges, filters.

    >>> import networkx as nx
    >>> from newsgraph.exporters.views.layout import build_view
    >>> G = nx.Graph([("a", "b")])
    >>> data = page_data(G, build_view(G, communities=False), title="t")
    >>> data["edges"], [n["key"] for n in data["nodes"]]
    ([[0, 1, '']], ['a', 'b'])
    """
    topic_names = sorted(
        {
            _text(G.nodes[t].get("label") or t)
            for n in view.nodes
            if n.node is not None
            for t in _topics(G, n.node)
        }
    )
    topic_index = {name: i for i, name in enumerate(topic_names)}
    nodes = []
    for n in view.nodes:
        attrs: Mapping[str, Any] = G.nodes[n.node] if n.node is not None else {}
        node_topics = (
            sorted({topic_index[_text(G.nodes[t].get("label") or t)] for t in _topics(G, n.node)})
            if n.node is not None
            else []
        )
        details = _details(attrs) if n.node is not None else [["members", str(n.degree)]]
        nodes.append(
            {
                "key": _text(n.key),
                "kind": _text(n.kind),
                "label": _text(n.label),
                "x": n.x,
                "y": n.y,
                "degree": n.degree,
                "community": n.community,
                "topics": node_topics,
                "details": details,
                "links": _links(attrs),
            }
        )
    return {
        "title": _text(title),
        "note": _text(view.note or ""),
        "total": view.total_nodes,
        "communities": [_text(c) for c in view.communities],
        "topics": topic_names,
        "nodes": nodes,
        "edges": [[i, j, _text(kind)] for i, j, kind in view.edges],
    }


def read_page_data(page: bytes | str) -> dict[str, Any]:
    """The graph data embedded in a page that :func:`write_html` wrote (for tests and tools).

    >>> import io, networkx as nx
    >>> out = io.BytesIO(); write_html(nx.Graph([("<a>", "b")]), out, communities=False)
    >>> [n["label"] for n in read_page_data(out.getvalue())["nodes"]]
    ['<a>', 'b']
    """
    text = page.decode("utf-8") if isinstance(page, bytes) else page
    match = _DATA.search(text)
    if match is None:
        raise ValueError("not a newsgraph page: no embedded graph data")
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def _topics(G: nx.Graph, node: Hashable) -> list[Hashable]:
    if G.nodes[node].get("kind") != "article":
        return []
    near = G.successors(node) if G.is_directed() else G.neighbors(node)
    return [t for t in near if G.nodes[t].get("kind") == "topic"]


def _details(attrs: Mapping[str, Any]) -> list[list[str]]:
    names = [k for k in _FIRST if k in attrs]
    names += sorted(str(k) for k in attrs if k not in _FIRST and k not in _HIDDEN)
    rows = []
    for name in names:
        value = plain(attrs[name])
        if value is MISSING or value == [] or value == {}:
            continue
        rows.append([_text(name), _shorten(_as_text(value))])
    return rows


def _as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_as_text(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _links(attrs: Mapping[str, Any]) -> list[str]:
    candidates = [attrs.get("url"), *(attrs.get("urls") or ())]
    links: list[str] = []
    for url in candidates:
        if isinstance(url, str) and _is_web_url(url) and url not in links:
            links.append(_text(url))
    return links


def _is_web_url(url: str) -> bool:
    """Whether *url* is an absolute http(s) URL (the viewer checks again before linking).

    >>> _is_web_url("https://x.org/a"), _is_web_url("javascript:alert(1)"), _is_web_url("http:x")
    (True, False, False)
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _text(value: object) -> str:
    cleaned = plain(str(value))
    return cleaned if isinstance(cleaned, str) else ""


@cache
def _asset(name: str) -> str:
    text = (resources.files("newsgraph.exporters.views") / "viewer" / name).read_text(
        encoding="utf-8"
    )
    if "</" in text:
        # Our own file: a closing tag inside it would end the inline element early.
        raise RuntimeError(f"exporters/viewer/{name} must not contain '</'")
    return text


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")
