import itertools
import random
from datetime import datetime, timedelta

import pytest

from newsgraph.graph.analysis import find_stories, headline_words
from newsgraph.graph.analysis.stories import _blocks, _similarity, _weights

# Invented events; each story is reported by several providers within a day.
FIXTURE = [
    # story A: a bridge reopens (three providers; one headline reworded, but related-linked)
    ("p1", "bridge-1", "City bridge reopens after two years of repairs", "2022-05-02T08:00:00Z"),
    (
        "p2",
        "bridge-2",
        "After two years of repairs, the city bridge reopens",
        "2022-05-02T09:30:00Z",
    ),
    ("p3", "bridge-3", "Commuters cheer as city bridge reopens", "2022-05-02T12:00:00Z"),
    # story B: a museum heist, over a day and a half
    ("p2", "heist-1", "Thieves take gold coins from harbour museum", "2022-05-10T22:00:00Z"),
    ("p3", "heist-2", "Gold coins stolen from harbour museum by thieves", "2022-05-11T07:00:00Z"),
    ("p1", "heist-3", "Harbour museum gold coins stolen, police say", "2022-05-12T09:00:00Z"),
    # a look-alike of story A a month later: similar words, different event
    ("p1", "bridge-9", "City bridge reopens after repairs", "2022-06-20T08:00:00Z"),
    # unrelated singles, and one without a publication time
    ("p3", "single-1", "Orchestra announces summer season", "2022-05-03T10:00:00Z"),
    ("p2", "single-2", "Rain expected for the weekend markets", "2022-05-04T10:00:00Z"),
    ("p2", "undated", "City bridge reopens after two years of repairs", None),
]

# Background news, a week apart, so that word weights look like a real corpus's.
BACKGROUND = [
    "Local bakery wins national bread award",
    "School choir tours three countries",
    "New cycle lanes planned for the old town",
    "Library extends opening hours in winter",
    "Farmers report early strawberry harvest",
    "Council approves budget for parks",
    "Marathon runners raise funds for hospital",
    "Art gallery shows student paintings",
    "Ferry timetable changes next month",
    "Zoo welcomes twin giraffe calves",
    "Power cut hits northern suburbs",
    "Chess club celebrates fifty years",
]


@pytest.fixture
def news(make):
    articles = [
        {
            "url": f"https://{p}.example/{slug}",
            "provider": f"{p}.example",
            "title": title,
            "published": when,
        }
        for p, slug, title, when in FIXTURE
    ]
    articles += [
        {
            "url": f"https://p4.example/bg-{i}",
            "provider": "p4.example",
            "title": title,
            "published": f"2022-{4 + i // 4:02d}-{1 + 7 * (i % 4):02d}T12:00:00Z",
        }
        for i, title in enumerate(BACKGROUND)
    ]
    articles[0]["related"] = ["https://p3.example/bridge-3"]
    articles[7]["related"] = ["https://p2.example/single-2"]  # related, but not the same event
    return make(articles)


def slugs(story):
    return sorted(a.rsplit("/", 1)[-1] for a in story.articles)


def test_recovers_the_known_stories(news):
    stories = find_stories(news)
    assert [slugs(s) for s in stories.rows] == [
        ["bridge-1", "bridge-2", "bridge-3"],
        ["heist-1", "heist-2", "heist-3"],
    ]
    bridge, heist = stories.rows
    assert bridge.providers == ("p1.example", "p2.example", "p3.example")
    assert (bridge.first, bridge.last) == ("2022-05-02T08:00:00Z", "2022-05-02T12:00:00Z")
    assert bridge.headline in {t for _, _, t, _ in FIXTURE[:2]}
    assert heist.first == "2022-05-10T22:00:00Z" and heist.last == "2022-05-12T09:00:00Z"
    assert stories.membership["article:https://p2.example/heist-1"] == 1
    assert "article:https://p1.example/bridge-9" not in stories.membership


def test_window_and_thresholds_change_the_answer(news):
    short = find_stories(news, window=timedelta(hours=12))
    assert [slugs(s) for s in short.rows] == [
        ["bridge-1", "bridge-2", "bridge-3"],
        ["heist-1", "heist-2"],
    ]
    no_links = find_stories(news, related_threshold=1.0)
    assert [slugs(s) for s in no_links.rows] == [
        ["heist-1", "heist-2", "heist-3"],
        ["bridge-1", "bridge-2"],
    ]
    assert len(find_stories(news, window=timedelta(days=60)).rows[0].articles) == 4


def test_min_providers_and_min_size(news):
    assert len(find_stories(news, min_providers=3).rows) == 2
    assert len(find_stories(news, min_providers=4).rows) == 0
    assert find_stories(news, min_size=4).rows == ()


def test_threshold_must_be_a_fraction(news):
    with pytest.raises(ValueError, match="threshold"):
        find_stories(news, threshold=0)


def test_headline_words_fold_case_stop_words_and_plurals():
    assert headline_words("The Cities' LIBRARIES reopen") == {"city", "library", "reopen"}
    assert headline_words("Glass buses pass", fold=False) == {"glass", "buses", "pass"}
    assert headline_words("") == frozenset()


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.8])
def test_prefix_blocking_finds_every_similar_pair(threshold):
    """Blocking must be exact: every pair at or above the threshold shares a block."""
    rng = random.Random(threshold)
    vocabulary = [f"w{i}" for i in range(25)]  # few words, so many pairs are similar
    words = {f"a{i}": frozenset(rng.sample(vocabulary, rng.randint(1, 7))) for i in range(200)}
    weight = _weights(words)
    together = set()
    for block in _blocks(words, weight, threshold).values():
        together.update(itertools.combinations(sorted(block), 2))
    similar = {
        (a, b)
        for a, b in itertools.combinations(sorted(words), 2)
        if _similarity(words[a], words[b], weight) >= threshold
    }
    assert similar and similar <= together


def test_stories_to_frame(news):
    frame = find_stories(news).to_frame()
    assert list(frame["size"]) == [3, 3]
    assert list(frame.columns) == [
        "id",
        "size",
        "headline",
        "providers",
        "first",
        "last",
        "articles",
    ]


def test_no_story_spans_more_than_its_window(make):
    # One headline every 10 hours for four days: similar enough to chain, never one story
    # longer than the window.
    articles = [
        {
            "url": f"https://p{i % 3}.example/s{i}",
            "provider": f"p{i % 3}.example",
            "title": "Harbour crane strike enters another day",
            "published": f"2022-03-{1 + i * 10 // 24:02d}T{i * 10 % 24:02d}:00:00Z",
        }
        for i in range(10)
    ]
    stories = find_stories(make(articles), window=timedelta(hours=24))
    assert stories.rows
    for story in stories.rows:
        span = datetime.fromisoformat(story.last) - datetime.fromisoformat(story.first)
        assert span <= timedelta(hours=24)


def test_bulletins_with_different_numbers_are_separate_stories(make):
    articles = [
        {
            "url": f"https://p{p}.example/day{d}",
            "provider": f"p{p}.example",
            "title": f"Calder reports {n} new flu cases",
            "published": f"2022-03-0{d}T0{p}:00:00Z",
        }
        for d, n in ((1, 120), (2, 135), (3, 98))
        for p in (1, 2, 3)
    ]
    stories = find_stories(make(articles))
    assert sorted(sorted(a[-4:] for a in s.articles) for s in stories.rows) == [
        ["day1"] * 3,
        ["day2"] * 3,
        ["day3"] * 3,
    ]


def test_stubs_join_but_never_give_the_headline(make):
    articles = [
        {"url": "https://a.example/1", "provider": "a.example", "title": "Ferry strike halts crossings to Lundy", "published": "2022-05-01T08:00:00Z", "related": ["https://c.example/stub"]},
        {"url": "https://b.example/2", "provider": "b.example", "title": "Lundy crossings halted by ferry strike", "published": "2022-05-01T10:00:00Z"},
    ]  # fmt: skip
    G = make(articles)
    stub = "article:https://c.example/stub"
    G.add_node(stub, kind="article", title="Ferry strike halts Lundy crossings", published="2022-05-01T09:00:00Z", is_stub=True)  # fmt: skip
    story = find_stories(G).rows[0]
    assert stub in story.articles and story.headline != "Ferry strike halts Lundy crossings"


def test_stories_per_time_window(news):
    may = find_stories(news, since="2022-05-01", until="2022-05-08")
    assert [slugs(s) for s in may.rows] == [["bridge-1", "bridge-2", "bridge-3"]]
