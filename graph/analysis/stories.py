"""Stories: groups of articles that report the same event, usually across providers.

How articles are grouped, and why:

- **Similarity** is a weighted Jaccard of the headlines' word sets, each word weighing
  ``log(1 + n_headlines / n_headlines_with_it)``, so the words every headline of a corpus shares
  ("Microsoft" in a corpus about Azure) join little.  Two articles that link each other as
  related count as *threshold* similar once their headlines are *related_threshold* similar.
- **Events, not chains**: pairs at least *threshold* similar are taken strongest first, and two
  groups merge only when, on average, every member of one is *cohesion* similar to every member
  of the other (average linkage), so a story cannot drift from one event to the next through
  one look-alike headline at a time.
- **A hard time bound**: no story spans more than *window* from its first to its last article.
- **A shared name**: two headlines of one event share a rare word (in at most 1% of the
  headlines); headlines that share only common words are on one template, not one event
  ("Mimecast now available in the Azure Marketplace" is not "Riversand now available in the
  Azure Marketplace").
- **Bulletins**: two headlines whose key figures (their largest numbers) differ, or that name
  different days of the week, report different events ("X reports 523 new cases" is not
  "X reports 610 new cases", nor "Y County reports 12 new cases", and "Briefing: Monday" is
  not "Briefing: Tuesday").  Numbers inside names (COVID-19, 5G) do not count.  Reports of
  one event repeat its figure; a story whose count changes from report to report is split
  where it changes.
- **Stubs** (articles seen only as related links) can join a story but never give its headline;
  a group of stubs alone is no story.

Not all pairs are compared: candidates come from prefix filtering (each headline's rarest
words; two headlines at least t similar must share one of them), and within a word's candidates
only articles inside the time window, so the cost follows the number of near-duplicates, not
``n**2``.  Not supported: articles without a publication time (they are left out), translated
headlines, and stories that drift over weeks (each window is its own story).

>>> from newsgraph.examples import toy_graph
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

from newsgraph.graph.analysis._facts import ArticleFacts, article_facts, label_of
from newsgraph.graph.analysis._tables import Table
from newsgraph.graph.analysis._words import headline_numbers, headline_words
from newsgraph.graph.analysis.slices import Moment, time_slice

__all__ = ["DEFAULT_WINDOW", "Stories", "Story", "find_stories", "headline_words"]

#: The longest a story may span, first to last article, unless told otherwise.
DEFAULT_WINDOW = timedelta(hours=72)
# Two headlines of one event share a rare word (a name): one in at most this share of the
# headlines, or in at most _RARE_FLOOR of them in a small corpus.
_RARE_SHARE = 0.01
_RARE_FLOOR = 20


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
    window: timedelta = DEFAULT_WINDOW,
    threshold: float = 0.5,
    cohesion: float = 0.3,
    related_threshold: float = 0.2,
    min_size: int = 2,
    min_providers: int = 2,
    since: Moment = None,
    until: Moment = None,
) -> Stories:
    """Group the articles of *G* into stories.

    Parameters
    ----------
    window : the longest a story may span, from its first article to its last.
    threshold : the headline similarity (0–1) that starts joining two articles.
    cohesion : the mean similarity between two groups' members that merging them needs.
    related_threshold : the similarity that counts as *threshold* for articles linked as related.
    min_size, min_providers : stories with fewer articles or providers are left out (a story
        is reported by several providers; ``min_providers=1`` also keeps one provider's
        series of near-identical posts).
    since, until : only articles published in ``[since, until)``.

    >>> from newsgraph.examples import toy_graph
    >>> find_stories(toy_graph(), min_providers=3).rows[0].headline
    'Largest solar farm in the Nevada desert switches on'
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    if window <= timedelta(0):
        raise ValueError(f"window must be positive, not {window}")
    G = time_slice(G, since=since, until=until)
    facts = {k: f for k, f in article_facts(G).items() if f.published is not None and f.title}
    matcher = _Matcher(facts, threshold, related_threshold)
    groups = _Grouping(facts, matcher, window, cohesion)
    for a, b in matcher.candidates(window):
        groups.merge(a, b)
    kept = [sorted(g) for g in groups.sets() if len(g) >= min_size]
    return _collect(G, facts, matcher, kept, min_providers, window, threshold)


def _time(fact: ArticleFacts) -> datetime:
    assert fact.published is not None  # articles without one were left out
    return fact.published


def _weights(words: Mapping[str, frozenset[str]]) -> dict[str, float]:
    """How much each word counts: ``log(1 + n_headlines / n_headlines_with_it)``."""
    frequency = Counter(w for ws in words.values() for w in ws)
    return {w: math.log1p(len(words) / n) for w, n in frequency.items()}


def _similarity(x: frozenset[str], y: frozenset[str], weight: Mapping[str, float]) -> float:
    """Weighted cosine: the weight of the shared words over the geometric mean of the two
    headlines' weights (a short headline inside a long one still scores high)."""
    shared = sum(weight[w] for w in x & y)
    if not shared:
        return 0.0
    return shared / math.sqrt(sum(weight[w] for w in x) * sum(weight[w] for w in y))


def _blocks(
    words: Mapping[str, frozenset[str]], weight: Mapping[str, float], threshold: float
) -> dict[str, list[str]]:
    """Articles by the words of their prefix: their rarest words, up to where the words left
    weigh less than ``threshold**2`` of the headline.  Two headlines x, y at least *threshold*
    similar share a prefix word: they share at least ``t * sqrt(|x| |y|)`` and at most ``|y|``,
    so ``|y| >= t**2 |x|`` and they share at least ``t**2 |x|``; the first word they share, in
    this global order, is in both prefixes, as otherwise all they share would weigh less.
    """
    blocks: dict[str, list[str]] = defaultdict(list)
    for key, ws in words.items():
        total = sum(weight[w] for w in ws)
        rest = total
        for word in sorted(ws, key=lambda w: (-weight[w], w)):
            if rest < threshold**2 * total - 1e-9:  # the margin keeps rounding from cutting short
                break
            blocks[word].append(key)
            rest -= weight[word]
    # A word in one headline only pairs nothing.
    return {w: keys for w, keys in blocks.items() if len(keys) > 1}


class _Matcher:
    """Pair scores, bulletin vetoes and candidate pairs over one set of articles."""

    def __init__(
        self, facts: Mapping[str, ArticleFacts], threshold: float, related_threshold: float
    ) -> None:
        self.facts, self.threshold = facts, threshold
        self.related_threshold = min(related_threshold, threshold)
        self.words = {k: headline_words(f.title) for k, f in facts.items()}
        self.figures = {k: _figures(headline_numbers(f.title)) for k, f in facts.items()}
        self.weight = _weights(self.words)
        frequency = Counter(w for ws in self.words.values() for w in ws)
        most = max(_RARE_FLOOR, _RARE_SHARE * len(self.words))
        self.rare = frozenset(w for w, n in frequency.items() if n <= most)
        self.related = {
            (a, b) if a < b else (b, a) for a, f in facts.items() for b in f.related if b in facts
        }

    def score(self, a: str, b: str) -> float:
        """The similarity of two headlines, raised to *threshold* for related articles; 0 when
        they share no rare word (only a template: "X now available in the Marketplace")."""
        shared = self.words[a] & self.words[b]
        if not shared & self.rare:
            return 0.0
        sim = _similarity(self.words[a], self.words[b], self.weight)
        pair = (a, b) if a < b else (b, a)
        if pair in self.related and sim >= self.related_threshold:
            return max(sim, self.threshold)
        return sim

    def apart(self, a: str, b: str) -> bool:
        """Whether two articles are separate issues of one recurring bulletin."""
        x, y = self.figures[a], self.figures[b]
        if x[0] is not None and y[0] is not None and x[0] != y[0]:
            return True
        return bool(x[1] and y[1] and not x[1] & y[1])

    def candidates(self, window: timedelta) -> list[tuple[str, str]]:
        """Pairs scoring at least *threshold* within *window*, strongest first."""
        time = {k: _time(f) for k, f in self.facts.items()}
        scored: dict[tuple[str, str], float] = {}
        for block in _blocks(self.words, self.weight, self.threshold).values():
            block.sort(key=lambda k: (time[k], k))
            for i, a in enumerate(block):
                end = time[a] + window
                for b in block[i + 1 :]:
                    if time[b] > end:
                        break
                    pair = (a, b) if a < b else (b, a)
                    if pair not in scored:
                        scored[pair] = self.score(a, b)
        for a, b in self.related:
            if abs(time[a] - time[b]) <= window and (a, b) not in scored:
                scored[(a, b)] = self.score(a, b)
        strong = [(s, pair) for pair, s in scored.items() if s >= self.threshold]
        return [pair for _, pair in sorted(strong, key=lambda sp: (-sp[0], sp[1]))]


def _figures(numbers: frozenset[str]) -> tuple[float | None, frozenset[str]]:
    """A headline's key figure (its largest number) and its days of the week."""
    values = [float(n.replace(",", "")) for n in numbers if n[0].isdigit() and _plain(n)]
    return (max(values) if values else None), frozenset(n for n in numbers if n[0].isalpha())


def _plain(number: str) -> bool:
    try:
        float(number.replace(",", ""))
    except ValueError:  # a time (10:30) or a date (5/12): compared as written
        return False
    return True


class _Grouping:
    """Groups that merge only when the result stays within the window and cohesive."""

    def __init__(
        self,
        facts: Mapping[str, ArticleFacts],
        matcher: _Matcher,
        window: timedelta,
        cohesion: float,
    ) -> None:
        self.matcher, self.window, self.cohesion = matcher, window, cohesion
        self.group = {k: k for k in facts}
        self.members = {k: [k] for k in facts}
        self.span = {k: (_time(f), _time(f)) for k, f in facts.items()}
        self.refused: set[tuple[str, int, str, int]] = set()

    def merge(self, a: str, b: str) -> None:
        ga, gb = self.group[a], self.group[b]
        if ga == gb:
            return
        ma, mb = self.members[ga], self.members[gb]
        attempt = (ga, len(ma), gb, len(mb)) if ga < gb else (gb, len(mb), ga, len(ma))
        if attempt in self.refused:  # the same two groups, unchanged: the same answer
            return
        first = min(self.span[ga][0], self.span[gb][0])
        last = max(self.span[ga][1], self.span[gb][1])
        if last - first > self.window or not self._cohesive(ma, mb):
            self.refused.add(attempt)
            return
        if len(ma) < len(mb):
            ga, gb, ma, mb = gb, ga, mb, ma
        ma.extend(mb)
        for k in mb:
            self.group[k] = ga
        del self.members[gb]
        self.span[ga] = (first, last)

    def _cohesive(self, ma: list[str], mb: list[str]) -> bool:
        total = 0.0
        for x in ma:
            for y in mb:
                if self.matcher.apart(x, y):
                    return False
                total += self.matcher.score(x, y)
        return total / (len(ma) * len(mb)) >= self.cohesion

    def sets(self) -> list[list[str]]:
        return list(self.members.values())


def _collect(
    G: nx.Graph,
    facts: Mapping[str, ArticleFacts],
    matcher: _Matcher,
    groups: list[list[str]],
    min_providers: int,
    window: timedelta,
    threshold: float,
) -> Stories:
    stories = []
    for group in groups:
        primaries = [a for a in group if not facts[a].is_stub]
        providers = Counter(p for a in group if (p := facts[a].provider) is not None)
        if not primaries or len(providers) < min_providers:
            continue
        # The primary headline most similar to the rest of the story, the earliest on a tie.
        best = max(
            primaries,
            key=lambda a: (
                sum(matcher.score(a, b) for b in group if b != a),
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
