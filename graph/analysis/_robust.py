"""Axis limits that a few outliers do not set: the range of the central mass of the data.

>>> robust_range([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], share=0.8)
(1.0, 9.0)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["robust_range"]


def robust_range(
    values: Sequence[float], weights: Sequence[float] | None = None, share: float = 0.98
) -> tuple[float, float]:
    """The smallest and largest value once ``(1 - share) / 2`` of the (weighted) mass is cut
    from each end; values are never invented, so the range is that of real points."""
    data = np.asarray(values, dtype=float)
    if data.size == 0:
        return (0.0, 1.0)
    mass = np.ones_like(data) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(data, kind="stable")
    data, mass = data[order], mass[order]
    cumulative = np.cumsum(mass) / mass.sum()
    cut = (1 - share) / 2
    low = data[int(np.searchsorted(cumulative, cut, side="right"))]
    high = data[min(int(np.searchsorted(cumulative, 1 - cut - 1e-12, side="left")), len(data) - 1)]
    return float(low), float(high)
