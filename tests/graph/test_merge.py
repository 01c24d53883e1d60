"""Tests for newsgraph.graph.building.merge: precedence, provenance and conflicts, in any order."""

from __future__ import annotations

import random
from itertools import permutations
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.graph.building import graph_from_articles
from newsgraph.graph.building.merge import Partial
from newsgraph.graph.model import Article, Image, Provider

URL = "https://merge.example/story"


def _state(*articles: Article) -> Partial:
    partial = Partial()
    for article in articles:
        partial.add(article)
    return partial


def _primary(source: str, updated: str | None = None, **fields: Any) -> Article:
    return Article(key=URL, source=source, updated=updated, **fields)


def _stub(source: str, **fields: Any) -> Article:
    return Article(key=URL, source=source, is_stub=True, **fields)


def _host(source: str, *related: Article) -> Article:
    """A primary document elsewhere that links to ``related``."""
    return Article(key=f"https://merge.example/{source}", source=source, related=related)


def _value(partial: Partial, field: str) -> Any:
    return partial.articles[URL].value(field)


def _snapshot(partial: Partial) -> Any:
    """Everything a partial knows, in a comparable form."""
    articles = {
        key: (
            {f: state.value(f) for f in sorted(state.fields())},
            sorted(state.conflicts),
            sorted(state.urls),
            sorted(state.sources),
            sorted(state.topics),
            sorted(state.tags),
            sorted(state.images),
            sorted(state.related),
        )
        for key, state in partial.articles.items()
    }
    tables = partial.tables()
    return (
        articles,
        {k: dict(v) for k, v in tables.provider_names.items()},
        {k: sorted(v) for k, v in tables.provider_images.items()},
        {k: dict(v) for k, v in tables.topics.items()},
        {k: dict(v) for k, v in tables.tags.items()},
        {k: {f: s[1] for f, s in v.items()} for k, v in tables.images.items()},
        {k: sorted(v) for k, v in tables.aliases.items()},
        dict(partial.counts),
    )


# -- precedence --------------------------------------------------------------------------------


def test_a_primary_beats_a_stub_field_by_field() -> None:
    stub = _stub(
        "z.md",
        title="Stub title",
        excerpt="Stub excerpt",
        quality=9,
        updated="2030-01-01T00:00:00Z",
    )
    primary = _primary("a.md", title="Primary title", updated="2020-01-01T00:00:00Z")
    for order in permutations([_host("z.md", stub), primary]):
        partial = _state(*order)
        assert _value(partial, "title") == ("Primary title", None)  # despite the newer stub
        assert _value(partial, "excerpt") == ("Stub excerpt", None)  # only the stub has one
        assert _value(partial, "quality") == 9
        assert not partial.articles[URL].is_stub


def test_the_most_recently_updated_primary_wins() -> None:
    old = _primary("z.md", "2024-01-01T00:00:00Z", title="Old", heat=1)
    new = _primary("a.md", "2024-02-01T00:00:00Z", title="New")
    for order in ((old, new), (new, old)):
        partial = _state(*order)
        assert _value(partial, "title") == ("New", None)
        assert _value(partial, "heat") == 1  # the newer one has no heat: the older one's stays


def test_published_stands_in_for_a_missing_updated_time() -> None:
    old = Article(key=URL, source="z.md", published="2024-01-01T00:00:00Z", title="Old")
    new = Article(key=URL, source="a.md", published="2024-03-01T00:00:00Z", title="New")
    assert _value(_state(old, new), "title") == _value(_state(new, old), "title") == ("New", None)


def test_fractions_of_a_second_count_in_the_precedence() -> None:
    whole = _primary("z.md", "2024-01-01T00:00:00Z", title="Whole second")
    later = _primary("a.md", "2024-01-01T00:00:00.500000Z", title="Half a second later")
    assert _value(_state(whole, later), "title") == ("Half a second later", None)
    assert _value(_state(later, whole), "title") == ("Half a second later", None)


def test_a_time_on_a_later_day_beats_a_date() -> None:
    date = _primary("z.md", "2024-01-01", title="Date")
    time = _primary("a.md", "2024-01-02T00:00:00Z", title="Time")
    assert _value(_state(date, time), "title") == ("Time", None)


def test_a_tie_is_never_broken_by_the_file_name() -> None:
    # The fixture of the issue: two documents that tie on time; renaming the files must not
    # change the winner, and one document wins every field it sets (title and heat together).
    one = {"updated": "2024-01-01T00:00:00Z", "title": "First wording", "heat": 3}
    two = {"updated": "2024-01-01T00:00:00Z", "title": "Second wording", "heat": 9}
    winners = set()
    for names in (("a.md", "b.md"), ("b.md", "a.md"), ("z/x.md", "c.md")):
        a = Article(key=URL, source=names[0], **one)
        b = Article(key=URL, source=names[1], **two)
        for order in ((a, b), (b, a)):
            partial = _state(*order)
            winners.add((_value(partial, "title"), _value(partial, "heat")))
    assert len(winners) == 1
    ((title, heat),) = winners
    assert (title[0], heat) in {("First wording", 3), ("Second wording", 9)}


def test_published_beats_unpublished_and_unknown() -> None:
    # A document saying published: true beats its own unpublished duplicate, even an older one.
    published = _primary("z.md", "2024-01-01T00:00:00Z", title="Live", is_published=True)
    draft = _primary("a.md", "2024-06-01T00:00:00Z", title="Draft", is_published=False)
    unknown = _primary("b.md", "2024-06-01T00:00:00Z", title="Unknown")
    assert _value(_state(draft, published), "title") == ("Live", None)
    assert _value(_state(unknown, draft), "title") == ("Unknown", None)


def test_higher_quality_breaks_a_tie_on_time() -> None:
    low = _primary("z.md", "2024-01-01T00:00:00Z", title="Low", quality=3)
    high = _primary("a.md", "2024-01-01T00:00:00Z", title="High", quality=40)
    assert (
        _value(_state(low, high), "title") == _value(_state(high, low), "title") == ("High", None)
    )


def test_a_full_tie_is_broken_by_the_value() -> None:
    a = _primary("a.md", title="Alpha")
    b = _primary("a.md", title="Beta")
    assert _value(_state(a, b), "title") == _value(_state(b, a), "title")


def test_title_and_its_original_travel_together() -> None:
    repaired = _primary("a.md", "2024-02-01T00:00:00Z", title="Café", title_original="Caf&eacute;")
    clean = _primary("b.md", "2024-01-01T00:00:00Z", title="Cafe")
    assert _value(_state(clean, repaired), "title") == ("Café", "Caf&eacute;")
    newer_clean = _primary("b.md", "2024-03-01T00:00:00Z", title="Cafe")
    # the newer title wins without keeping the other title's original
    assert _value(_state(repaired, newer_clean), "title") == ("Cafe", None)


# -- provenance and conflicts ------------------------------------------------------------------


def test_every_source_file_and_url_is_recorded() -> None:
    partial = _state(
        _primary("b.md", urls=("https://merge.example/story?utm_source=x",)),
        _host("c.md", _stub("c.md", urls=("https://merge.example/story",))),
        _primary("a.md"),
    )
    state = partial.articles[URL]
    assert sorted(state.sources) == ["a.md", "b.md", "c.md"]
    assert sorted(state.urls) == [
        "https://merge.example/story",
        "https://merge.example/story?utm_source=x",
    ]


def test_conflicts_are_counted_per_tier_and_field() -> None:
    partial = _state(
        _primary("a.md", title="One", quality=1, heat=5),
        _primary("b.md", title="Two", quality=1, heat=5),
        _host("h1.md", _stub("h1.md", excerpt="x")),
        _host("h2.md", _stub("h2.md", excerpt="y")),
    )
    assert partial.articles[URL].conflicts == {(True, "title"), (False, "excerpt")}


def test_equal_values_are_no_conflict() -> None:
    partial = _state(_primary("a.md", title="Same"), _primary("b.md", title="Same"))
    assert partial.articles[URL].conflicts == set()


def test_counts_of_records() -> None:
    partial = _state(
        _host(
            "h.md",
            _stub("h.md"),
            Article(key="https://merge.example/o", source="h.md", is_stub=True),
        )
    )
    assert dict(partial.counts) == {"primary_records": 1, "related_records": 2}


def test_lists_are_unions() -> None:
    partial = _state(
        _primary(
            "a.md",
            topics=("AI",),
            tags=("US-CA",),
            images=(Image("https://merge.example/1.jpg", width=10),),
        ),
        _primary("b.md", topics=(" ai ", "Robots"), images=(Image("https://merge.example/2.jpg"),)),
    )
    state = partial.articles[URL]
    assert sorted(state.topics) == ["ai", "robots"] and sorted(state.tags) == ["us-ca"]
    assert sorted(state.images) == ["https://merge.example/1.jpg", "https://merge.example/2.jpg"]
    assert dict(partial.tables().topics["ai"]) == {"AI": 1, " ai ": 1}


def test_provider_names_are_counted_by_domain() -> None:
    partial = _state(
        _primary("a.md", provider=Provider("wire.example", "Wire")),
        _primary("b.md", provider=Provider("wire.example", "The Wire")),
        Article(
            key="https://merge.example/x", source="c.md", provider=Provider("wire.example", "Wire")
        ),
    )
    assert dict(partial.tables().provider_names["wire.example"]) == {"Wire": 2, "The Wire": 1}


def test_every_claim_of_an_alias_is_kept() -> None:
    alias = "https://merge.example/amp/story"
    partial = _state(
        _host(
            "h.md",
            Article(
                key="https://merge.example/other", source="h.md", is_stub=True, aliases=(alias,)
            ),
        ),
        _primary("a.md", aliases=(alias,)),
    )
    tables = partial.tables()
    assert tables.aliases[alias] == {URL, "https://merge.example/other"}


# -- order independence ------------------------------------------------------------------------

_SOURCES = st.sampled_from(["a.md", "b.md", "c/d.md"])
_TIMES = st.sampled_from(
    [None, "2024-01-01", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00.5Z", "2024-01-02T08:00:00Z"]
)
_KEYS = st.sampled_from([URL, "https://merge.example/other", "https://merge.example/third"])
_TITLES = st.sampled_from([None, "Alpha", "Beta", "Gamma"])
_NUMBERS = st.sampled_from([None, 0, 1, 2.5])
_NAMES = st.lists(st.sampled_from(["AI", "ai", "Robots", " robots "]), max_size=2).map(tuple)
_PROVIDERS = st.sampled_from(
    [
        None,
        Provider("wire.example", "Wire"),
        Provider("wire.example", "The Wire"),
        Provider("other.example"),
    ]
)
_IMAGES = st.lists(
    st.builds(
        Image,
        st.sampled_from(["https://merge.example/1.jpg", "https://merge.example/2.jpg"]),
        width=st.sampled_from([None, 10, 20]),
        title=_TITLES,
    ),
    max_size=2,
).map(tuple)


def _article(is_stub: bool) -> st.SearchStrategy[Article]:
    return st.builds(
        Article,
        key=_KEYS,
        source=_SOURCES,
        line=st.sampled_from([None, 2, 7]),
        is_stub=st.just(is_stub),
        title=_TITLES,
        excerpt=_TITLES,
        updated=_TIMES,
        published=_TIMES,
        quality=_NUMBERS,
        heat=_NUMBERS,
        topics=_NAMES,
        tags=_NAMES,
        provider=_PROVIDERS,
        images=_IMAGES,
        aliases=st.lists(st.sampled_from(["https://merge.example/amp", URL]), max_size=1).map(
            tuple
        ),
        extra=st.sampled_from([(), (("x", 1),), (("x", [1, 2]),)]),
    )


_RECORDS = st.lists(
    st.builds(
        lambda host, related: Article(**{**_fields(host), "related": tuple(related)}),
        _article(False),
        st.lists(_article(True), max_size=2),
    ),
    min_size=1,
    max_size=6,
)


def _fields(article: Article) -> dict[str, Any]:
    return {name: getattr(article, name) for name in Article.__dataclass_fields__}


@settings(max_examples=200, deadline=None)
@given(_RECORDS, st.randoms(use_true_random=False))
def test_the_merge_is_independent_of_record_order(
    records: list[Article], rnd: random.Random
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    assert _snapshot(_state(*records)) == _snapshot(_state(*shuffled))


@settings(max_examples=200, deadline=None)
@given(_RECORDS, st.randoms(use_true_random=False), st.integers(1, 4))
def test_merging_partials_equals_adding_everything_to_one(
    records: list[Article], rnd: random.Random, parts: int
) -> None:
    # what the worker processes do: fold chunks, then merge the partials in any order
    chunks: list[list[Article]] = [[] for _ in range(parts)]
    for record in records:
        chunks[rnd.randrange(parts)].append(record)
    partials = [_state(*chunk) for chunk in chunks]
    rnd.shuffle(partials)
    total = Partial()
    for partial in partials:
        total.merge(partial)
    assert _snapshot(total) == _snapshot(_state(*records))


@settings(max_examples=100, deadline=None)
@given(_RECORDS, st.randoms(use_true_random=False))
def test_the_graph_is_independent_of_record_order(
    records: list[Article], rnd: random.Random
) -> None:
    shuffled = list(records)
    rnd.shuffle(shuffled)
    (G, report), (H, other) = graph_from_articles(records), graph_from_articles(shuffled)
    assert graph_to_json(G) == graph_to_json(H)
    assert report == other


# -- what worker processes send -----------------------------------------------------------------


def test_a_sender_sends_each_description_once_and_the_receiver_rebuilds_the_partial() -> None:
    from newsgraph.graph.building.transport import Receiver, Sender

    sender, receiver, total = Sender(), Receiver(), Partial()
    records = [
        Article(
            key=f"https://merge.example/h{n}",
            source=f"h{n}.md",
            title=f"Host {n}",
            related=(_stub(f"h{n}.md", title="Same"),),
        )
        for n in range(3)
    ]
    packs = []
    for record in records:
        partial = sender.partial()
        partial.add(record)
        packs.append(sender.pack(partial))
    assert [len(p.new_descriptions()) for p in packs] == [2, 1, 1]  # the stub's only once
    for packed in packs:
        receiver.unpack_into(total, packed)
    assert _snapshot(total) == _snapshot(_state(*records))


def test_a_sender_starts_a_new_book_when_its_limit_is_reached() -> None:
    from newsgraph.graph.building.transport import Receiver, Sender

    sender, receiver, total = Sender(limit=2), Receiver(), Partial()
    records = [_primary(f"{n}.md", title=f"T{n}") for n in range(5)]
    for record in records:
        partial = sender.partial()
        partial.add(record)
        receiver.unpack_into(total, sender.pack(partial))
    assert sender.generation == 2
    assert _snapshot(total) == _snapshot(_state(*records))


def test_packs_unpacked_out_of_order_are_refused() -> None:
    import pytest

    from newsgraph.graph.building.transport import Receiver, Sender

    sender = Sender()
    packs = []
    for n in range(2):
        partial = sender.partial()
        partial.add(_primary(f"{n}.md", title=f"T{n}"))
        packs.append(sender.pack(partial))
    with pytest.raises(RuntimeError, match="out of order"):
        Receiver().unpack_into(Partial(), packs[1])


def test_a_book_keeps_one_copy_of_the_values_descriptions_share() -> None:
    import pickle

    from newsgraph.graph.building.descriptions import Book, describe
    from newsgraph.graph.model import Provider

    one, two = (
        describe(
            Article(
                key=f"https://merge.example/{n}",
                source="a.md",
                type="article",
                topics=("AI",),
                provider=Provider("merge.example", "Merge"),
            )
        )
        for n in (1, 2)
    )
    copies = [pickle.loads(pickle.dumps(tuple(d))) for d in (one, two)]  # as from two workers
    assert copies[0][one._fields.index("provider")] is not copies[1][one._fields.index("provider")]
    book = Book()
    first, second = (book.descriptions[book.number_values(values)] for values in copies)
    assert (first, second) == (one, two)
    assert first.provider is second.provider and first.topics is second.topics
    assert first.type is second.type
    assert book.number_values(tuple(one)) == 0  # a description it has is found, not added
