"""Stable community ids across updates: matching new communities to old ones, and the churn.

After an update the graph has new articles (and perhaps lost some).  :func:`match_ids` gives
each newly found community the id of the old community it continues, so ids (and the colours
and labels that follow them) stay where the members stayed; :func:`community_churn` says what
changed between two labelled partitions.

An old community ``O`` and a new one ``N`` are *linked* when most of one is in the other: more
than half of ``O``'s members still in the graph are in ``N``, or more than half of ``N``'s
members were in ``O``.  From the links:

- **continued**: ``N`` takes ``O``'s id.  Among linked pairs, a maximum-weight matching on the
  number of shared members (:func:`scipy.optimize.linear_sum_assignment`) decides who
  continues whom, so when ``O`` splits its id goes to the piece holding most of it, and when
  several merge ``N`` takes the id of the one it holds most of;
- **split**: ``O`` is linked to two or more new communities; **merged**: ``N`` to two or more
  old ones;
- **born**: ``N`` is linked to no old community (new articles, or a few from each of several);
  **dissolved**: ``O`` is linked to no new community (its members scattered, left, or fell
  below the smallest community size).

A community that continues none gets a fresh id, from ``next_id`` up: the lowest id no
community ever had, so a retired id is never given again.  Fresh ids go largest community
first, ties by first member, so the same inputs always give the same ids.

*Churn* counts the articles (nodes) present before and after whose id changed, unclustered
(``None``) counting as an id: overall, and *outside the communities the new articles joined*
-- among the articles whose previous community no new article is in now, which is where an
update should change nothing.  Articles that were in the graph before but only now have a
document of their own (they were related links) can be named as *touched*: the communities
they join count as joined too.

Not supported: overlapping communities, and lineage over several updates at once (each run
compares with the one before it; ``retired`` ids are kept out of use by ``next_id``).

>>> before = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1}
>>> groups = [["a", "b", "c", "x"], ["d", "e", "f"]]
>>> ids, next_id = match_ids(groups, before, next_id=2)
>>> ids, next_id
([0, 1], 2)
>>> churn = community_churn(before, {n: i for i, g in zip(ids, groups) for n in g})
>>> churn.joined, churn.moved, churn.share
((0,), (), 0.0)
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Churn", "community_churn", "match_ids"]


@dataclass(frozen=True)
class Churn:
    """What changed between two partitions of (mostly) the same nodes.

    Ids are those of the partitions compared: ``continued`` are the ids both have, ``retired``
    those only *before* has.  ``merged`` pairs each new community with the
    old ones it joins; ``split`` each old community with the new ones it went to.  ``moved``
    lists ``(node, before, after)`` for every node present in both whose id changed (``None``:
    unclustered).  ``joined`` are the new communities holding at least one added (or
    touched) node;
    ``outside`` counts the nodes present in both whose previous community is not one of them.
    """

    continued: tuple[int, ...]
    born: tuple[int, ...]
    dissolved: tuple[int, ...]
    retired: tuple[int, ...]
    merged: tuple[tuple[int, tuple[int, ...]], ...]
    split: tuple[tuple[int, tuple[int, ...]], ...]
    moved: tuple[tuple[Hashable, int | None, int | None], ...]
    kept: int
    added: int
    removed: int
    joined: tuple[int, ...]
    outside: int
    moved_outside: int

    @property
    def share(self) -> float:
        """The share of the nodes present before and after whose community id changed."""
        return len(self.moved) / self.kept if self.kept else 0.0

    @property
    def share_outside(self) -> float:
        """The same share, outside the communities the added nodes joined."""
        return self.moved_outside / self.outside if self.outside else 0.0

    def headline(self) -> str:
        """One line: the events and the two shares."""
        return (
            f"{len(self.continued)} communities kept their id, {len(self.born)} born, "
            f"{len(self.merged)} merged, {len(self.split)} split, {len(self.dissolved)} "
            f"dissolved; {len(self.moved)} of {self.kept} nodes changed id ({self.share:.1%}), "
            f"{self.moved_outside} of {self.outside} outside the {len(self.joined)} "
            f"communities the {self.added} new nodes joined ({self.share_outside:.2%})"
        )

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-friendly values (node keys as strings)."""
        return {
            "kept": self.kept,
            "added": self.added,
            "removed": self.removed,
            "moved": len(self.moved),
            "share": self.share,
            "joined": list(self.joined),
            "outside": self.outside,
            "moved_outside": self.moved_outside,
            "share_outside": self.share_outside,
            "continued": list(self.continued),
            "born": list(self.born),
            "dissolved": list(self.dissolved),
            "retired": list(self.retired),
            "merged": [{"into": new, "from": list(old)} for new, old in self.merged],
            "split": [{"from": old, "into": list(new)} for old, new in self.split],
            "moves": [
                {"node": str(node), "before": before, "after": after}
                for node, before, after in self.moved
            ],
        }


def match_ids(
    groups: Sequence[Sequence[Hashable]],
    previous: Mapping[Hashable, int | None],
    *,
    next_id: int | None = None,
    unclustered: Iterable[Hashable] = (),
) -> tuple[list[int], int]:
    """An id for each of *groups* (largest first), continuing the communities of *previous*.

    *previous* maps every node of the earlier partition to its community id, or to ``None``
    when it was unclustered; *unclustered* are the nodes of the graph now in no group.  Returns the ids and the new ``next_id``: one more than the
    highest id ever given (at least *next_id*, which defaults to one more than the highest
    id in *previous*).

    >>> previous = {"a": 4, "b": 4, "c": 2, "f": 2, "g": 2}
    >>> match_ids([["a", "b"], ["c", "d", "e"]], previous, next_id=9, unclustered=["f", "g"])
    ([4, 9], 10)
    """
    floor = max((c for c in previous.values() if c is not None), default=-1) + 1
    fresh = max(floor, next_id if next_id is not None else 0)
    present = itertools.chain(itertools.chain.from_iterable(groups), unclustered)
    old_sizes = Counter(c for n in present if (c := previous.get(n)) is not None)
    overlap = [Counter(c for n in g if (c := previous.get(n)) is not None) for g in groups]
    pairs = _links(overlap, [len(g) for g in groups], old_sizes)
    ids: list[int | None] = [None] * len(groups)
    for old, new in _matching(pairs):
        ids[new] = old
    result = []
    for cid in ids:
        if cid is None:
            cid, fresh = fresh, fresh + 1
        result.append(cid)
    return result, fresh


def community_churn(
    before: Mapping[Hashable, int | None],
    after: Mapping[Hashable, int | None],
    *,
    touched: Iterable[Hashable] = (),
) -> Churn:
    """What changed from partition *before* to partition *after* (see the module docstring).

    Each maps every node of its graph to a community id, or ``None`` when unclustered; a node
    of *after* missing from *before* was added, one of *before* missing from *after* removed.
    *touched* names more nodes the update brought in: an article known before only as a
    related link that now has a document of its own is not new to the graph, but the
    communities it joins are where the update is expected to change things.

    >>> churn = community_churn({"a": 0, "b": 0, "c": 1, "d": 1}, {"a": 0, "b": 0, "c": 0, "d": 0})
    >>> churn.merged, churn.retired, churn.share
    (((0, (0, 1)),), (1,), 0.5)
    """
    old_members: dict[int, list[Hashable]] = defaultdict(list)
    for node, cid in before.items():
        if cid is not None and node in after:
            old_members[cid].append(node)
    new_members: dict[int, list[Hashable]] = defaultdict(list)
    for node, cid in after.items():
        if cid is not None:
            new_members[cid].append(node)
    new_ids = sorted(new_members)
    overlap = [
        Counter(o for n in new_members[c] if (o := before.get(n)) is not None) for c in new_ids
    ]
    old_sizes = Counter({cid: len(nodes) for cid, nodes in old_members.items()})
    links = [
        (old, new_ids[j])
        for old, j, _ in _links(overlap, [len(new_members[c]) for c in new_ids], old_sizes)
    ]
    successors: dict[int, list[int]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    for old, new in links:
        successors[old].append(new)
        predecessors[new].append(old)
    old_ids = sorted({c for c in before.values() if c is not None})
    added = [n for n in after if n not in before]
    arrived = itertools.chain(added, (n for n in touched if n in after))
    joined = tuple(sorted({c for n in arrived if (c := after[n]) is not None}))
    kept = [n for n in before if n in after]
    moved = tuple((n, before[n], after[n]) for n in kept if before[n] != after[n])
    inside = set(joined)
    outside = [n for n in kept if before[n] not in inside]
    return Churn(
        continued=tuple(c for c in new_ids if c in set(old_ids)),
        born=tuple(c for c in new_ids if not predecessors[c]),
        dissolved=tuple(c for c in old_ids if not successors[c]),
        retired=tuple(c for c in old_ids if c not in new_members),
        merged=tuple(
            (c, tuple(sorted(predecessors[c]))) for c in new_ids if len(predecessors[c]) > 1
        ),
        split=tuple((c, tuple(sorted(successors[c]))) for c in old_ids if len(successors[c]) > 1),
        moved=moved,
        kept=len(kept),
        added=len(added),
        removed=sum(1 for n in before if n not in after),
        joined=joined,
        outside=len(outside),
        moved_outside=sum(1 for n in outside if before[n] != after[n]),
    )


def _links(
    overlap: Sequence[Counter[int]], new_sizes: Sequence[int], old_sizes: Counter[int]
) -> list[tuple[int, int, int]]:
    """``(old id, new index, shared)`` for each pair where most of one is in the other."""
    return [
        (old, j, shared)
        for j, counts in enumerate(overlap)
        for old, shared in sorted(counts.items())
        if 2 * shared > old_sizes[old] or 2 * shared > new_sizes[j]
    ]


def _matching(pairs: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """The ``(old id, new index)`` pairs of a maximum-weight matching on shared members.

    Solved apart for each connected group of linked communities: the groups are small (a
    split, a merge), so no dense old-by-new matrix of a corpus's thousands of communities.
    """
    if not pairs:
        return []
    # imported here: SciPy's optimize and sparse take 1-2 s to import, and every newsgraph
    # command imports this module (the CLI's analyze does) while few match partitions
    from scipy.optimize import linear_sum_assignment
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    olds = sorted({old for old, _, _ in pairs})
    news = sorted({new for _, new, _ in pairs})
    row, col = {o: i for i, o in enumerate(olds)}, {n: j for j, n in enumerate(news)}
    links = coo_matrix(
        (
            np.ones(len(pairs)),
            ([row[o] for o, _, _ in pairs], [len(olds) + col[n] for _, n, _ in pairs]),
        ),
        shape=(len(olds) + len(news),) * 2,
    )
    _, component = connected_components(links, directed=False)
    parts: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for pair in pairs:
        parts[int(component[row[pair[0]]])].append(pair)
    matched = []
    for group in parts.values():
        part_olds = sorted({o for o, _, _ in group})
        part_news = sorted({n for _, n, _ in group})
        weight = np.zeros((len(part_olds), len(part_news)))
        for old, new, shared in group:
            weight[part_olds.index(old), part_news.index(new)] = shared
        rows, cols = linear_sum_assignment(weight, maximize=True)
        matched += [
            (part_olds[i], part_news[j])
            for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
            if weight[i, j]
        ]
    return sorted(matched)
