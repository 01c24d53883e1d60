"""Time slices: the part of a graph whose articles were published in a window.

Every analysis takes ``since=`` and ``until=`` and calls :func:`time_slice` first, so stories,
communities and timelines can be had per window.  ``since`` is inclusive, ``until`` exclusive;
a date means its midnight in UTC.  Articles without a publication time are left out of any
bounded slice; providers, topics and other nodes stay (they are not dated).

>>> from newsgraph.examples import toy_graph
>>> G = toy_graph()
>>> S = time_slice(G, since="2021-06-01")
>>> sum(k == "article" for _, k in G.nodes(data="kind")), sum(k == "article" for _, k in S.nodes(data="kind"))
(12, 4)
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import networkx as nx

from newsgraph.graph.analysis._facts import parse_time
from newsgraph.graph.model import NodeKind

__all__ = ["time_slice"]

#: What ``since``/``until`` accept: a datetime, a date, an ISO 8601 string or ``None``.
Moment = datetime | date | str | None


def parse_moment(value: Moment) -> datetime | None:
    """An aware UTC datetime from a *Moment*; raises ValueError on text that is no date.

    >>> parse_moment("2021-03-01").isoformat(), parse_moment(None)
    ('2021-03-01T00:00:00+00:00', None)
    """
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    stamp = parse_time(value)
    if stamp is None:
        raise ValueError(f"not a date or ISO 8601 time: {value!r}")
    return stamp


def time_slice(G: nx.Graph, *, since: Moment = None, until: Moment = None) -> Any:
    """A read-only view of *G* without the articles published outside ``[since, until)``.

    With no bound, *G* itself is returned (no copy, no view).
    """
    start, end = parse_moment(since), parse_moment(until)
    if start is None and end is None:
        return G
    if start is not None and end is not None and end <= start:
        raise ValueError(f"until ({until}) must be later than since ({since})")

    def keep(node: Any) -> bool:
        data = G.nodes[node]
        if data.get("kind") != NodeKind.ARTICLE:
            return True
        stamp = parse_time(data["published"]) if "published" in data else None
        return (
            stamp is not None and (start is None or stamp >= start) and (end is None or stamp < end)
        )

    return G.subgraph([n for n in G if keep(n)])
