"""The traps of real news for :mod:`benchmarks.synthetic` (``traps=True``), with their truth.

- **Daily bulletins**: a series of days on which several providers of one community publish
  "<Place> reports <N> new <disease> cases" (three templates) with that day's number; each day
  is its own planted story, so a story that chains the days is wrong.
- **A popular topic**: one topic ("World Affairs") on 30% of the primary articles, whatever
  their community; it must neither merge communities nor label them all.
- **Long-running themes**: one organisation in several separate events a day or two apart
  (different verbs, objects and places, the same name in every headline); each event is its
  own planted story.

Private: used by :class:`benchmarks._corpus.Corpus`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks._corpus import Corpus, PlannedArticle

__all__ = ["POPULAR_SHARE", "POPULAR_TOPIC", "add_popular_topic", "plan_traps"]

POPULAR_TOPIC = "World Affairs"
POPULAR_SHARE = 0.3
_DISEASES = ["flu", "measles", "fever", "cholera", "dengue", "mumps"]
_BULLETINS = [
    "{p} reports {n} new {d} cases",
    "{n} new {d} cases in {p}",
    "{p}: {n} new {d} cases reported",
]
_EVENT_SPAN = 20 * 60  # minutes: the articles of one event or bulletin day


def plan_traps(corpus: Corpus, budget: int, first_story: int) -> tuple[list[PlannedArticle], int]:
    """Bulletin series and themes of about *budget* articles; stories numbered from
    *first_story*.  Returns the articles and the number of stories planted."""
    from benchmarks._corpus import _SPAN, PlannedArticle

    rng, story = corpus.rng, first_story
    articles: list[PlannedArticle] = []
    half = budget // 2
    while half - len(articles) >= 20:  # bulletin series
        community = corpus._community()
        place, disease = rng.choice(corpus.places), rng.choice(_DISEASES)
        topics = tuple(corpus.topic_sampler.members[community][:1])
        start = rng.randrange(_SPAN - 20 * 24 * 60)
        start -= start % (24 * 60)  # bulletins come out early each day
        for day in range(rng.randint(5, 10)):
            number = rng.randrange(100, 1000)
            for _ in range(rng.randint(3, 5)):
                minute = start + day * 24 * 60 + 6 * 60 + rng.randrange(8 * 60)
                title = rng.choice(_BULLETINS).format(p=place, n=number, d=disease)
                provider = corpus.provider_sampler.draw(rng, community, corpus.p["mixing"])
                excerpt = f"Health officials in {place} counted {number} new {disease} cases."
                articles.append(
                    PlannedArticle(community, story, provider, topics, minute, title, excerpt)
                )
            story += 1
    while budget - len(articles) >= 12:  # themes: one organisation, separate events
        community = corpus._community()
        actor, _, _, _ = corpus._event()
        topics = tuple(corpus.topic_sampler.members[community][:1])
        minute = rng.randrange(_SPAN - 30 * 24 * 60)
        for _ in range(rng.randint(3, 5)):
            _, verbs, obj, place = corpus._event()
            event = (actor, verbs, obj, place)
            for _ in range(rng.randint(3, 6)):
                when = minute + rng.randrange(_EVENT_SPAN)
                articles.append(corpus._article(community, story, when, event, topics))
            story += 1
            minute += rng.randrange(24 * 60, 3 * 24 * 60)  # the next event a day or two later
    return articles, story - first_story


def add_popular_topic(corpus: Corpus, primaries: list[PlannedArticle]) -> None:
    """Put one topic on :data:`POPULAR_SHARE` of the primaries, across all communities."""
    corpus.topics.append(POPULAR_TOPIC)
    popular = len(corpus.topics) - 1
    for article in primaries:
        if corpus.rng.random() < POPULAR_SHARE:
            article.topics = tuple(sorted({*article.topics, popular}))
