"""Articles over time, per topic, provider, community or story, counted by day, week, month or year.

Periods are named by their first day (weeks start on Monday, in UTC) and every period between
the first and the last article is listed, with zero counts, so the series plot as they are.
An article counts once in each of its groups (an article about two topics counts for both).
Articles without a publication time are left out.  Not supported: rolling windows and local
time zones.

>>> from newsgraph.examples import toy_graph
>>> t = articles_over_time(toy_graph(), by="provider", freq="year")
>>> [(p.group, p.period.isoformat(), p.count) for p in t.rows]
[('a.example', '2021-01-01', 4), ('b.example', '2021-01-01', 4), ('c.example', '2021-01-01', 4)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import networkx as nx

from newsgraph.graph.analysis._facts import article_facts, label_of
from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis.communities import Communities
from newsgraph.graph.analysis.slices import Moment, time_slice
from newsgraph.graph.analysis.stories import Stories

__all__ = ["Timeline", "TimelinePoint", "articles_over_time"]

By = Literal["all", "topic", "provider", "community", "story"]
Freq = Literal["day", "week", "month", "year"]


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    """The number of articles of one group in the period starting on ``period``."""

    group: str
    period: date
    count: int


@dataclass(frozen=True)
class Timeline(Table):
    """Counts by group and period; ``groups`` lists the groups, largest first."""

    rows: tuple[TimelinePoint, ...]
    by: str
    freq: str
    groups: tuple[str, ...]

    def series(self, group: str) -> tuple[list[date], list[int]]:
        """The periods and counts of one group, ready to plot."""
        points = [p for p in self.rows if p.group == group]
        return [p.period for p in points], [p.count for p in points]


def articles_over_time(
    G: nx.Graph,
    *,
    by: By = "topic",
    freq: Freq = "month",
    top: int = 8,
    communities: Communities | None = None,
    stories: Stories | None = None,
    since: Moment = None,
    until: Moment = None,
) -> Timeline:
    """Count the articles of *G* per group and period; keep the *top* groups.

    ``by="community"`` needs *communities* and ``by="story"`` needs *stories* (groups are named
    ``"#<id> <label>"``); ``by="all"`` counts every article in one group.  *since* and
    *until* keep the articles published in ``[since, until)``.

    >>> from newsgraph.examples import toy_graph
    >>> t = articles_over_time(toy_graph(), by="topic", freq="month", top=2)
    >>> t.groups, t.series("Energy")[1]
    (('AI', 'Energy'), [0, 3, 0, 1, 0, 0, 0])
    """
    if freq not in ("day", "week", "month", "year"):
        raise ValueError(f"freq must be 'day', 'week', 'month' or 'year', not {freq!r}")
    if by == "community" and communities is None:
        raise ValueError("by='community' needs communities=find_communities(...)")
    if by == "story" and stories is None:
        raise ValueError("by='story' needs stories=find_stories(...)")
    G = time_slice(G, since=since, until=until)
    counts: Counter[tuple[str, date]] = Counter()
    for key, fact in article_facts(G).items():
        if fact.published is None:
            continue
        period = _start(fact.published.date(), freq)
        if by == "all":
            groups = ["all"]
        elif by == "topic":
            groups = [label_of(G, t) for t in fact.topics]
        elif by == "provider":
            groups = [label_of(G, fact.provider)] if fact.provider else []
        elif by == "community" and communities is not None:
            cid = communities.membership.get(key)
            groups = [] if cid is None else [f"#{cid} {communities.row(cid).label}"]
        elif by == "story" and stories is not None:
            sid = stories.membership.get(key)
            groups = [] if sid is None else [f"#{sid} {stories.rows[sid].headline}"]
        else:
            raise ValueError(f"by must be one of all, topic, provider, community, story: {by!r}")
        counts.update((g, period) for g in groups)
    totals: Counter[str] = Counter()
    for (group, _), n in counts.items():
        totals[group] += n
    chosen = tuple(g for g, _ in sorted(totals.items(), key=lambda gn: (-gn[1], gn[0]))[:top])
    periods = sorted({p for g, p in counts if g in chosen})
    span = list(_periods(periods[0], periods[-1], freq)) if periods else []
    rows = tuple(TimelinePoint(g, p, counts[(g, p)]) for g in chosen for p in span)
    return Timeline(rows, by, freq, chosen)


def _start(day: date, freq: str) -> date:
    if freq == "week":
        return day - timedelta(days=day.weekday())
    if freq == "month":
        return day.replace(day=1)
    if freq == "year":
        return day.replace(month=1, day=1)
    return day


def _periods(first: date, last: date, freq: str) -> Iterator[date]:
    current = first
    while current <= last:
        yield current
        if freq == "day":
            current += timedelta(days=1)
        elif freq == "week":
            current += timedelta(days=7)
        elif freq == "month":
            current = date(current.year + current.month // 12, current.month % 12 + 1, 1)
        else:
            current = date(current.year + 1, 1, 1)
