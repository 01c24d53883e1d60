"""Input roots and portable source paths for the views (no path of the building machine).

Provenance paths are relative to their input root and start with its name
(``azure/_news/a.md``); graphs built before that carry absolute paths, whose common folder
is then dropped.  Nodes without sources (providers, topics, tags, images, related stubs)
take the root most of their neighbours come from.

>>> import networkx as nx
>>> G = nx.Graph()
>>> G.add_node("a", sources=["/home/me/corpus/azure/x.md"])
>>> G.add_node("b", sources=["/home/me/corpus/covid/y.json"])
>>> G.add_edge("a", "t")
>>> node_roots(G)
{'a': 'azure', 'b': 'covid', 't': 'azure'}
"""

from __future__ import annotations

import posixpath
from collections import Counter
from collections.abc import Hashable, Iterable

import networkx as nx

__all__ = ["node_roots", "portable_paths"]


def node_roots(G: nx.Graph) -> dict[Hashable, str]:
    """Each node's input root name ('' when it has none and no neighbour has one)."""
    paths = {n: _paths(s) for n, s in G.nodes(data="sources")}
    drop = _common_folder(p for ps in paths.values() for p in ps)
    roots: dict[Hashable, str] = {}
    for n, ps in paths.items():
        if ps:
            counts = Counter(_root(p, drop) for p in ps)
            roots[n] = min(counts, key=lambda r: (-counts[r], r))
    for n in G:
        if n in roots:
            continue
        counts = Counter(roots[m] for m in nx.all_neighbors(G, n) if m in roots)
        roots[n] = min(counts, key=lambda r: (-counts[r], r)) if counts else ""
    return {n: roots[n] for n in G}


def portable_paths(G: nx.Graph, sources: object) -> list[str]:
    """*sources* of one node of *G*, without the folders of the machine that built it.

    >>> import networkx as nx
    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"]["sources"] = ["/srv/in/azure/x.md"]
    >>> G.nodes["b"]["sources"] = ["/srv/in/covid/y.json"]
    >>> portable_paths(G, G.nodes["a"]["sources"])
    ['azure/x.md']
    """
    drop = _common_folder(p for _, s in G.nodes(data="sources") for p in _paths(s))
    return [p[len(drop) :] if drop else p for p in _paths(sources)]


def _paths(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def _common_folder(paths: Iterable[str]) -> str:
    """The folder (ending in '/') all absolute paths share, '' for relative ones."""
    absolute = [p.replace("\\", "/") for p in paths if _is_absolute(p)]
    if not absolute:
        return ""
    common = posixpath.commonpath(absolute)
    if common in absolute:  # one file: its folder
        common = posixpath.dirname(common)
    folder = common.rstrip("/") + "/"
    if all(p[len(folder) :].count("/") == 0 for p in absolute):
        # One folder of files: keep its name as the root.
        folder = folder[: folder.rstrip("/").rfind("/") + 1]
    return folder


def _is_absolute(path: str) -> bool:
    return path.startswith(("/", "\\")) or (len(path) > 2 and path[1] == ":")


def _root(path: str, drop: str) -> str:
    rest = path.replace("\\", "/")
    if drop and rest.startswith(drop):
        rest = rest[len(drop) :]
    return rest.split("/", 1)[0] if "/" in rest else ""
