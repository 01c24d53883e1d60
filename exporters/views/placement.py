"""Positions for the views: a layout that scales to 100,000 nodes and more.

:func:`place_groups` lays out nodes that come in groups (communities): the groups are
placed by a force layout of the group graph, each group gets a disc whose area follows its
size, and the nodes of a group are laid out inside its disc -- by igraph's
Fruchterman-Reingold (grid variant, so linear per iteration) when igraph is installed, by
:func:`spring_positions` for small groups without it, and on a sunflower spiral (the
best-connected in the middle) for large groups without it.  Each step sees one group at a
time, so the cost grows with the node count, not its square.

Not supported: a layout that shows links between groups beyond their placement.

>>> xy = place_groups(4, [(0, 1), (2, 3)], [0, 0, 1, 1])
>>> len(xy), min(min(p) for p in xy) >= 0, max(max(p) for p in xy)
(4, True, 1000.0)
"""

from __future__ import annotations

import importlib
import random
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

__all__ = ["EXTENT", "place_groups", "spring_positions"]

#: The side of the square the positions are scaled to.
EXTENT = 1000.0
#: Groups placed one by one; the smaller ones beyond are pooled by the layout.
MAX_GROUPS = 1500
#: Without igraph, groups up to this size get the force layout, larger ones a spiral.
MAX_NUMPY_GROUP = 300


def place_groups(
    n: int, edges: Sequence[tuple[int, int]], groups: Sequence[int], *, seed: int = 0
) -> list[tuple[float, float]]:
    """Positions of nodes ``0..n-1`` in ``[0, 1000]``: each group in its own disc.

    *groups* gives each node's group (``-1``: none; such a node joins the group most of
    its neighbours are in, else a group of its own kind of loners).
    """
    if n == 0:
        return []
    group = _adopt(n, edges, list(groups))
    sizes = Counter(group)
    ranked = sorted(sizes, key=lambda g: (-sizes[g], g))
    pooled = set(ranked[MAX_GROUPS:])
    if pooled:  # many tiny groups: one shared disc keeps the group layout small
        group = [ranked[MAX_GROUPS] if g in pooled else g for g in group]
        sizes = Counter(group)
        ranked = sorted(sizes, key=lambda g: (-sizes[g], g))
    slot = {g: i for i, g in enumerate(ranked)}
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(group):
        members[slot[g]].append(i)
    inner: dict[int, list[tuple[int, int]]] = defaultdict(list)
    links: set[tuple[int, int]] = set()
    local = {}
    for nodes in members.values():
        local.update({i: k for k, i in enumerate(nodes)})
    for i, j in edges:
        a, b = slot[group[i]], slot[group[j]]
        if a == b:
            inner[a].append((local[i], local[j]))
        else:
            links.add((min(a, b), max(a, b)))
    radius = np.sqrt(np.array([len(members[g]) for g in range(len(ranked))], dtype=float))
    centres = _separate(
        np.array(spring_positions(len(ranked), sorted(links), seed=seed), dtype=float), radius
    )
    x, y = np.zeros(n), np.zeros(n)
    for g, nodes in members.items():
        unit = _inside(len(nodes), inner[g], seed + g)
        x[nodes] = centres[g, 0] + unit[:, 0] * radius[g]
        y[nodes] = centres[g, 1] + unit[:, 1] * radius[g]
    return _scaled(x, y)


def spring_positions(
    n: int, edges: Sequence[tuple[int, int]], *, seed: int = 0, iterations: int = 60
) -> list[tuple[float, float]]:
    """A Fruchterman-Reingold layout of nodes ``0..n-1`` in ``[0, 1000]``, rounded.

    Dense (memory and time grow with ``n**2``): for groups and small graphs.  The longer
    side of the drawing spans the square; the other is centred in it.

    >>> xy = spring_positions(3, [(0, 1), (1, 2)])
    >>> len(xy), max(max(p) for p in xy), min(min(p) for p in xy)
    (3, 1000.0, 0.0)
    """
    if n == 0:
        return []
    x, y = _spring(n, edges, seed, iterations)
    return _scaled(x, y)


def _spring(
    n: int, edges: Sequence[tuple[int, int]], seed: int, iterations: int
) -> tuple[np.ndarray, np.ndarray]:
    # A weak pull to the centre keeps isolated nodes from flying to the corners.
    adjacency = np.zeros((n, n), dtype=np.float32)
    for i, j in edges:
        adjacency[i, j] = adjacency[j, i] = 1.0
    # Each node's pull is shared among its edges (scaled by 1/sqrt(degree)), so dense
    # groups open up instead of collapsing to a dot.
    degree = np.maximum(adjacency.sum(axis=1), np.float32(1))
    adjacency /= np.sqrt(degree)[:, None]
    x, y = np.random.default_rng(seed).random((2, n), dtype=np.float32)
    k2 = np.float32(1.0 / n)
    k = np.sqrt(k2)
    step = np.float32(0.1)
    cool = step / (iterations + 1)
    for _ in range(iterations):
        dx = x[:, None] - x[None, :]
        dy = y[:, None] - y[None, :]
        d2 = np.maximum(dx * dx + dy * dy, np.float32(1e-6))
        force = k2 / d2 - adjacency * np.sqrt(d2) / k
        mx = (dx * force).sum(axis=1) - 2 * (x - x.mean())
        my = (dy * force).sum(axis=1) - 2 * (y - y.mean())
        length = np.maximum(np.hypot(mx, my), np.float32(1e-2))
        x += mx * step / length
        y += my * step / length
        step -= cool
    return x.astype(float), y.astype(float)


def _adopt(n: int, edges: Sequence[tuple[int, int]], group: list[int]) -> list[int]:
    """Nodes without a group join their neighbours' most common group; the rest share one."""
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    for i, j in edges:
        if group[i] < 0 <= group[j]:
            votes[i][group[j]] += 1
        elif group[j] < 0 <= group[i]:
            votes[j][group[i]] += 1
    loners = max(group, default=-1) + 1
    return [
        g if g >= 0 else (min(votes[i], key=lambda c: (-votes[i][c], c)) if votes[i] else loners)
        for i, g in enumerate(group)
    ]


def _inside(n: int, edges: Sequence[tuple[int, int]], seed: int) -> np.ndarray:
    """Positions of a group's nodes in the unit disc."""
    if n == 1:
        return np.zeros((1, 2))
    xy = None
    if edges and n > 2:
        xy = _igraph_layout(n, edges, seed)
        if xy is None and n <= MAX_NUMPY_GROUP:
            xy = np.column_stack(_spring(n, edges, seed, 40))
    if xy is None:
        xy = _sunflower(n, edges)
    xy = xy - xy.mean(axis=0)
    reach = float(np.sqrt((xy * xy).sum(axis=1)).max()) or 1.0
    unit: np.ndarray = xy / reach
    return unit


def _igraph_layout(n: int, edges: Sequence[tuple[int, int]], seed: int) -> np.ndarray | None:
    try:
        igraph = importlib.import_module("igraph")
    except ImportError:
        return None
    start = np.random.default_rng(seed).random((n, 2)) * np.sqrt(n)
    g = igraph.Graph(n=n, edges=list(edges))
    # igraph draws its random numbers from Python's `random` module: seed it for this call
    # only, so the layout repeats and the caller's random state is left as it was.
    saved = random.getstate()
    random.seed(seed)
    try:
        layout = g.layout_fruchterman_reingold(
            seed=start.tolist(), niter=60 if n < 1000 else 25, grid="auto"
        )
    finally:
        random.setstate(saved)
    return np.array(layout.coords, dtype=float)


def _sunflower(n: int, edges: Sequence[tuple[int, int]]) -> np.ndarray:
    """Even spacing in a disc, the best-connected nodes in the middle."""
    degree = np.zeros(n)
    for i, j in edges:
        degree[i] += 1
        degree[j] += 1
    rank = np.empty(n)
    rank[np.lexsort((np.arange(n), -degree))] = np.arange(n)
    angle = rank * np.pi * (3 - np.sqrt(5))
    r = np.sqrt(rank + 0.5)
    return np.column_stack((r * np.cos(angle), r * np.sin(angle)))


def _separate(centres: np.ndarray, radius: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Spread the groups' centres so their discs (area ~ size) barely overlap."""
    k = len(centres)
    if k == 1:
        return centres
    # Scale the spring layout so the discs together cover about a third of its area.
    span = max(float(np.ptp(centres[:, 0])), float(np.ptp(centres[:, 1])), 1e-9)
    need = np.sqrt(3 * np.pi * float((radius**2).sum()))
    xy: np.ndarray = centres * (need / span)
    gap = radius[:, None] + radius[None, :]
    for _ in range(rounds):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        dist = np.maximum(np.hypot(dx, dy), 1e-9)
        overlap = np.clip(gap * 1.05 - dist, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        push = overlap / dist / 2
        xy[:, 0] += (dx * push).sum(axis=1) / np.maximum((push > 0).sum(axis=1), 1)
        xy[:, 1] += (dy * push).sum(axis=1) / np.maximum((push > 0).sum(axis=1), 1)
    return xy


def _scaled(x: np.ndarray, y: np.ndarray) -> list[tuple[float, float]]:
    """Into ``[0, EXTENT]``: the longer side spans the square, the other is centred, rounded."""
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-9)
    x = (x - x.min()) * (EXTENT / span) + (EXTENT - float(np.ptp(x)) * EXTENT / span) / 2
    y = (y - y.min()) * (EXTENT / span) + (EXTENT - float(np.ptp(y)) * EXTENT / span) / 2
    return [(round(float(a), 1), round(float(b), 1)) for a, b in zip(x, y, strict=True)]
