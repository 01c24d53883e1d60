from datetime import date

import pytest

from newsgraph.graph.analysis import articles_over_time, count_kinds, find_communities, find_stories


def test_count_kinds(toy):
    counts = count_kinds(toy)
    assert counts.nodes == {"article": 12, "image": 1, "provider": 3, "tag": 1, "topic": 7}
    assert counts.edges == {
        "about": 24,
        "has_image": 1,
        "published_by": 12,
        "related_to": 2,
        "tagged": 1,
    }
    assert "12 article" in str(counts)


def test_timeline_by_provider_per_month_fills_gaps(toy):
    t = articles_over_time(toy, by="provider", freq="month")
    assert t.groups == ("a.example", "b.example", "c.example")
    periods, counts = t.series("c.example")
    assert periods[0] == date(2021, 2, 1) and periods[-1] == date(2021, 9, 1)
    assert counts == [1, 1, 1, 0, 0, 0, 1, 0]  # robot-1, solar-3, cup-2, robot-4
    assert sum(p.count for p in t.rows) == 12


@pytest.mark.parametrize(
    ("freq", "first"),
    [("day", date(2021, 2, 1)), ("week", date(2021, 2, 1)), ("year", date(2021, 1, 1))],
)
def test_timeline_periods_start_on_their_first_day(toy, freq, first):
    t = articles_over_time(toy, by="all", freq=freq)
    assert t.rows[0].period == first and sum(p.count for p in t.rows) == 12


def test_timeline_weeks_start_on_monday(make):
    G = make([{"url": "u", "published": "2021-03-07T23:00:00Z"}])  # a Sunday
    assert articles_over_time(G, by="all", freq="week").rows[0].period == date(2021, 3, 1)


def test_timeline_by_community_and_story(toy):
    communities = find_communities(toy, method="louvain", seed=1)
    t = articles_over_time(toy, by="community", communities=communities, top=2)
    assert t.groups[0].startswith("#0 Football")
    stories = find_stories(toy)
    s = articles_over_time(toy, by="story", stories=stories, freq="day")
    assert sum(p.count for p in s.rows) == 5


def test_timeline_asks_for_what_it_needs(toy):
    with pytest.raises(ValueError, match="needs communities"):
        articles_over_time(toy, by="community")
    with pytest.raises(ValueError, match="freq"):
        articles_over_time(toy, freq="hour")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="by must be"):
        articles_over_time(toy, by="colour")  # type: ignore[arg-type]


def test_timeline_frame(toy):
    frame = articles_over_time(toy, by="topic", top=3).to_frame()
    assert list(frame.columns) == ["group", "period", "count"]
    assert frame.groupby("group")["count"].sum().to_dict() == {"AI": 4, "Energy": 4, "Football": 4}
