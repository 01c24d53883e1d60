"""Stories: groups of articles that report the same event, usually across providers.

Two articles published within *window* of each other join the same story when their
headlines are similar enough, or when one links the other as related and their headlines are
at least *related_threshold* similar.  Similarity is a weighted Jaccard of the headlines' word
sets, each word weighing ``log(1 + n_headlines / n_headlines_with_it)``, so the words every
headline of a corpus shares ("Microsoft" in a corpus about Azure) join little.  Stories are the
connected groups of such pairs.

Not all pairs are compared: candidates come from prefix filtering (each headline's rarest
words; two headlines at least t similar must share one of them), and within a word's
candidates only articles inside the time window, so the cost follows the number of
near-duplicates, not ``n**2``.  Words are lower-cased, stop words dropped and plurals folded by a small rule, as
this needs no language model.  Not supported: articles without a publication time (they are
left out), translated headlines, and splitting a story that drifts over weeks.

>>> from newsgraph.graph.examples import toy_graph
>>> stories = find_stories(toy_graph())
>>> [(s.size, s.providers) for s in stories.rows]
[(3, ('a.example', 'b.example', 'c.example')), (2, ('b.example', 'c.example'))]
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import networkx as nx
from networkx.utils import UnionFind

from newsgraph.graph.analysis._facts import ArticleFacts, article_facts, label_of
from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis._words import headline_words

__all__ = ["Stories", "Story", "find_stories", "headline_words"]


@dataclass(frozen=True, slots=True)
class Story:
    """One story: its articles, providers, first and last publication and a headline."""

    id: int
    size: int
    headline: str
    providers: tuple[str, ...]
    first: str
    last: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class Stories(Table):
    """The stories found, largest first (ids 0, 1, …), and the story of each article in one."""

    rows: tuple[Story, ...]
    membership: Mapping[str, int] = field(repr=False)
    window: timedelta
    threshold: float

    def __str__(self) -> str:
        hours = self.window.total_seconds() / 3600
        head = f"{len(self.rows)} stories (within {hours:g} h, similarity >= {self.threshold:g})"
        lines = (
            f"  {s.id}: {s.headline} [{s.size} articles, {len(s.providers)} providers]"
            for s in self.rows[:10]
        )
        return "\n".join([head, *lines])


def find_stories(
    G: nx.Graph,
    *,
    window: timedelta = timedelta(hours=48),
    threshold: float = 0.5,
    related_threshold: float = 0.2,
    min_size: int = 2,
    min_providers: int = 2,
) -> Stories:
    """Group the articles of *G* into stories.

    Parameters
    ----------
    window : the largest gap in publication time between two articles that are joined.
    threshold : the headline similarity (0–1) that joins two articles on its own.
    related_threshold : the similarity that joins two articles linked as related.
    min_size, min_providers : stories with fewer articles or providers are left out (a story
        is reported by several providers; ``min_providers=1`` also keeps one provider's
        series of near-identical posts).

    >>> from newsgraph.graph.examples import toy_graph
    >>> find_stories(toy_graph(), min_providers=3).rows[0].headline
    'Largest solar farm in the Nevada desert switches on'
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    facts = {k: f for k, f in article_facts(G).items() if f.published is not None and f.title}
    words = {k: headline_words(f.title) for k, f in facts.items()}
    weight = _weights(words)
    union = UnionFind()

    def join(a: str, b: str, minimum: float) -> None:
        if union[a] != union[b] and _similarity(words[a], words[b], weight) >= minimum:
            union.union(a, b)

    for block in _blocks(words, weight, threshold).values():
        block.sort(key=lambda k: (facts[k].published, k))
        for i, a in enumerate(block):
            end = _time(facts[a]) + window
            for b in block[i + 1 :]:
                if _time(facts[b]) > end:
                    break
                join(a, b, threshold)
    for a, fact in facts.items():
        for b in fact.related:
            if b in facts and abs(_time(facts[b]) - _time(fact)) <= window:
                join(a, b, related_threshold)
    groups = [sorted(g) for g in union.to_sets() if len(g) >= min_size]
    return _collect(G, facts, words, groups, min_providers, window, threshold)


def _time(fact: ArticleFacts) -> datetime:
    assert fact.published is not None  # articles without one were left out
    return fact.published


def _weights(words: Mapping[str, frozenset[str]]) -> dict[str, float]:
    """How much each word counts: ``log(1 + n_headlines / n_headlines_with_it)``."""
    frequency = Counter(w for ws in words.values() for w in ws)
    return {w: math.log1p(len(words) / n) for w, n in frequency.items()}


def _similarity(x: frozenset[str], y: frozenset[str], weight: Mapping[str, float]) -> float:
    """Weighted Jaccard: the weight of the shared words over the weight of all of them."""
    shared = sum(weight[w] for w in x & y)
    return shared / sum(weight[w] for w in x | y) if shared else 0.0


def _blocks(
    words: Mapping[str, frozenset[str]], weight: Mapping[str, float], threshold: float
) -> dict[str, list[str]]:
    """Articles by the words of their prefix: their rarest words, up to where the words left
    weigh less than *threshold* of the headline.  Two headlines at least *threshold* similar
    share a prefix word: the first word they share, in this global order, is in both prefixes,
    as otherwise all they share would weigh less than *threshold* of one of them.
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for key, ws in words.items():
        total = sum(weight[w] for w in ws)
        rest = total
        for word in sorted(ws, key=lambda w: (-weight[w], w)):
            if rest < threshold * total - 1e-9:  # the margin keeps rounding from cutting short
                break
            blocks[word].append(key)
            rest -= weight[word]
    # A word in one headline only pairs nothing.
    return {w: keys for w, keys in blocks.items() if len(keys) > 1}


def _collect(
    G: nx.Graph,
    facts: Mapping[str, ArticleFacts],
    words: Mapping[str, frozenset[str]],
    groups: list[list[str]],
    min_providers: int,
    window: timedelta,
    threshold: float,
) -> Stories:
    stories = []
    for group in groups:
        providers = Counter(p for a in group if (p := facts[a].provider) is not None)
        if len(providers) < min_providers:
            continue
        common = Counter(w for a in group for w in words[a])
        # The headline sharing most words with the rest of the story, the earliest on a tie.
        best = max(
            group,
            key=lambda a: (
                sum(common[w] for w in words[a]) / len(words[a]) if words[a] else 0.0,
                -_time(facts[a]).timestamp(),
                a,
            ),
        )
        times = sorted(_time(facts[a]) for a in group)
        names = tuple(
            label_of(G, p)
            for p, _ in sorted(providers.items(), key=lambda pc: (-pc[1], label_of(G, pc[0])))
        )
        stories.append((facts[best].title, names, _iso(times[0]), _iso(times[-1]), tuple(group)))
    stories.sort(key=lambda s: (-len(s[4]), s[2], s[4][0]))
    rows = tuple(Story(i, len(s[4]), *s) for i, s in enumerate(stories))
    membership = {a: story.id for story in rows for a in story.articles}
    return Stories(rows, membership, window, threshold)


def _iso(stamp: datetime) -> str:
    return stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
