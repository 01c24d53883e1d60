"""Colours shared by the page and the notebook widget: by kind, and a palette for groups.

Communities and providers are ranked by how many drawn nodes they hold; the first
``len(PALETTE)`` get a colour each and the rest share :data:`OTHER` (the legends say how
many).

>>> group_colours({"a": 5, "b": 9, "c": 1}, limit=2)
({'b': '#1f77b4', 'a': '#ff7f0e'}, 1)
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Final, TypeVar

__all__ = ["KIND_COLOURS", "OTHER", "PALETTE", "group_colours"]

KIND_COLOURS: Final = {
    "article": "#4e79a7",
    "provider": "#f28e2b",
    "topic": "#59a14f",
    "tag": "#b07aa1",
    "image": "#9c9c9c",
    "community": "#76b7b2",
}
# 30 colours told apart on white (d3's category and tableau ranges, the near-greys removed).
PALETTE: Final = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363", "#fd8d3c", "#74c476", "#9e9ac8", "#e7ba52", "#ad494a",
    "#a55194", "#6baed6", "#fdae6b", "#a1d99b", "#ce6dbd", "#000075",
)  # fmt: skip
OTHER: Final = "#c8c8c8"

K = TypeVar("K", bound=Hashable)


def group_colours(sizes: Mapping[K, int], *, limit: int = len(PALETTE)) -> tuple[dict[K, str], int]:
    """A colour for each of the *limit* largest groups (ties by key) and how many are left."""
    ranked = sorted(sizes, key=lambda g: (-sizes[g], str(g)))
    return {g: PALETTE[r] for r, g in enumerate(ranked[:limit])}, max(0, len(ranked) - limit)
