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

__all__ = ["machine_folder", "node_roots", "portable_paths"]


def node_roots(G: nx.Graph) -> dict[Hashable, str]:
    """Each node's input root name ('' when nothing it is connected to has one).

    A node without sources takes the root most of its neighbours have, spreading out one
    hop a round (an image of a related stub is two hops from a document).
    """
    paths = {n: _paths(s) for n, s in G.nodes(data="sources")}
    drop = _common_folder(p for ps in paths.values() for p in ps)
    roots: dict[Hashable, str] = {}
    for n, ps in paths.items():
        if ps:
            counts = Counter(_root(p, drop) for p in ps)
            roots[n] = min(counts, key=lambda r: (-counts[r], r))
    frontier = list(roots)
    while frontier:
        found: dict[Hashable, str] = {}
        for m in {n for f in frontier for n in nx.all_neighbors(G, f) if n not in roots}:
            counts = Counter(roots[k] for k in nx.all_neighbors(G, m) if k in roots)
            found[m] = min(counts, key=lambda r: (-counts[r], r))
        roots.update(found)
        frontier = list(found)
    return {n: roots.get(n, "") for n in G}


def machine_folder(G: nx.Graph) -> str:
    """The folder (ending in '/') that every absolute source path of *G* starts with, to be
    dropped from them ('' when the paths are relative, as graphs built today have them).
    Computed once a graph: it reads every node's sources.

    >>> G = nx.Graph()
    >>> G.add_node("a", sources=["/srv/in/azure/x.md"])
    >>> G.add_node("b", sources=["/srv/in/covid/y.json"])
    >>> machine_folder(G)
    '/srv/in/'
    """
    return _common_folder(p for _, s in G.nodes(data="sources") for p in _paths(s))


def portable_paths(sources: object, folder: str) -> list[str]:
    """*sources* of one node without *folder* (:func:`machine_folder` of its graph).

    >>> portable_paths(["/srv/in/azure/x.md"], "/srv/in/")
    ['azure/x.md']
    """
    return [p[len(folder) :] if folder and _is_absolute(p) else p for p in _paths(sources)]


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
