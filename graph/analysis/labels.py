"""Labels for groups of articles: what distinguishes each group from the rest of the corpus.

A topic, provider or headline word describes a group when it is much more frequent inside it
than outside: each candidate scores ``p_in * log(p_in / p_out)`` (its share of the group's
articles, times the log of how much more often it occurs there than elsewhere), the group's
contribution to the KL divergence between inside and outside.  A topic every third article of
the corpus has scores near zero in every group, so it never labels them all.  Headline words
must occur in two of the group's headlines; numbers and single letters are left out.

>>> from newsgraph.examples import toy_graph
>>> from newsgraph.graph.analysis._facts import article_facts
>>> G = toy_graph()
>>> solar = [k for k, f in article_facts(G).items() if "topic:solar" in f.topics]
>>> describe(G, [solar], {}, top=2)[0].topics
('Energy', 'Solar')
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx

from newsgraph.graph.analysis._facts import ArticleFacts, article_facts, label_of
from newsgraph.graph.analysis._words import headline_words

__all__ = ["Community", "LabelInputs", "describe", "label_inputs"]


@dataclass(frozen=True, slots=True)
class Community:
    """One community: its size, a readable label and what it is made of.

    ``topics``, ``providers`` and headline ``keywords`` are the most distinctive of the
    community's articles (frequent here, rare elsewhere); ``headlines`` are those of its
    best-connected articles.
    """

    id: int
    size: int
    n_articles: int
    label: str
    topics: tuple[str, ...]
    providers: tuple[str, ...]
    keywords: tuple[str, ...]
    headlines: tuple[str, ...]


def distinctive(
    inside: Counter[str], everywhere: Mapping[str, int], size: int, total: int, top: int
) -> list[str]:
    """The *top* keys most over-represented in a group of *size* among *total* items.

    >>> distinctive(Counter(a=5, b=5), {"a": 50, "b": 6}, size=5, total=100, top=2)
    ['b', 'a']
    """
    scored = []
    rest = max(total - size, 1)
    for key, count in inside.items():
        p_in = count / size
        p_out = max(everywhere.get(key, count) - count, 0.5) / rest  # half a count: no log(0)
        score = p_in * math.log(p_in / p_out)
        if score > 0:
            scored.append((-score, -count, key))
    return [key for *_, key in sorted(scored)[:top]]


class LabelInputs(NamedTuple):
    """What labelling reads of the whole corpus, whatever the groups (:func:`label_inputs`):
    the article facts, in how many articles each topic, provider and label word occurs, and
    each article's label words."""

    facts: Mapping[str, ArticleFacts]
    topic_df: Counter[str]
    provider_df: Counter[str]
    words: Mapping[str, tuple[str, ...]]
    word_df: Counter[str]


def label_inputs(ctx: nx.Graph, facts: Mapping[str, ArticleFacts] | None = None) -> LabelInputs:
    """The corpus-wide part of :func:`describe`, read from *ctx* (*facts*: its
    :func:`article_facts`, when they were read already); it does not depend on the groups.

    >>> from newsgraph.examples import toy_graph
    >>> inputs = label_inputs(toy_graph())
    >>> inputs.topic_df["topic:solar"], len(inputs.words) == len(inputs.facts)
    (4, True)
    """
    if facts is None:
        facts = article_facts(ctx)
    topic_df: Counter[str] = Counter(t for f in facts.values() for t in f.topics)
    provider_df: Counter[str] = Counter(f.provider for f in facts.values() if f.provider)
    # Tuples of shared strings, not frozensets of copies: a tenth of the memory for a
    # million articles, and the same words in the same order.
    vocabulary: dict[str, str] = {}
    words = {
        k: tuple(vocabulary.setdefault(w, w) for w in _label_words(f.title))
        for k, f in facts.items()
    }
    word_df: Counter[str] = Counter(w for ws in words.values() for w in ws)
    return LabelInputs(facts, topic_df, provider_df, words, word_df)


def describe(
    ctx: nx.Graph,
    groups: Sequence[Sequence[Hashable]],
    inner: Mapping[Hashable, float],
    *,
    top: int = 3,
    first_id: int = 0,
    ids: Sequence[int] | None = None,
    facts: Mapping[str, ArticleFacts] | None = None,
    inputs: LabelInputs | None = None,
) -> tuple[Community, ...]:
    """A :class:`Community` for each group (ids from *first_id*, or *ids*), read from *ctx*
    (*facts*: its :func:`article_facts`, when they were read already; *inputs*: its
    :func:`label_inputs`, when they were computed already, *facts* then unread)."""
    if inputs is None:
        inputs = label_inputs(ctx, facts)
    facts, topic_df, provider_df, words, word_df = inputs
    total = max(len(facts), 1)
    rows = []
    numbers = ids if ids is not None else range(first_id, first_id + len(groups))
    for cid, group in zip(numbers, groups, strict=True):
        articles = [str(n) for n in group if n in facts]
        size = max(len(articles), 1)
        topics = Counter(t for a in articles for t in facts[a].topics)
        providers = Counter(p for a in articles if (p := facts[a].provider))
        shared = Counter(w for a in articles for w in words[a])
        topic_keys = distinctive(topics, topic_df, size, total, top)
        provider_keys = distinctive(providers, provider_df, size, total, top)
        keywords = distinctive(
            Counter({w: c for w, c in shared.items() if c >= 2}), word_df, size, total, top
        )
        if not articles:  # a group of topics and providers (clustering the whole graph)
            topic_keys = [str(n) for n in group if _kind(ctx, n) == "topic"][:top]
            provider_keys = [str(n) for n in group if _kind(ctx, n) == "provider"][:top]
        candidates: list[Hashable] = [*articles] or [*group]
        central = heapq.nsmallest(4 * top, candidates, key=lambda n: (-inner.get(n, 0.0), str(n)))
        headlines = list(dict.fromkeys(t for n in central if (t := _title(ctx, n))))[:top]
        topic_names = tuple(label_of(ctx, t) for t in topic_keys if t in ctx)
        provider_names = tuple(label_of(ctx, p) for p in provider_keys if p in ctx)
        label = _label(cid, topic_names, provider_names, keywords, headlines)
        rows.append(
            Community(
                cid,
                len(group),
                len(articles),
                label,
                topic_names,
                provider_names,
                tuple(keywords),
                tuple(headlines),
            )
        )
    return tuple(rows)


def _label_words(title: str) -> frozenset[str]:
    # Unfolded words read better in a label; numbers and single letters read as noise.
    return frozenset(w for w in headline_words(title, fold=False) if len(w) > 1 and not w.isdigit())


def _kind(ctx: nx.Graph, node: Hashable) -> str | None:
    kind = ctx.nodes[node].get("kind") if node in ctx else None
    return None if kind is None else str(kind)


def _title(ctx: nx.Graph, node: Hashable) -> str:
    return str(ctx.nodes[node].get("title") or "") if node in ctx else ""


def _label(
    cid: int,
    topics: Sequence[str],
    providers: Sequence[str],
    keywords: Sequence[str],
    headlines: Sequence[str],
) -> str:
    if topics or keywords:
        label = " · ".join(topics[:2]) + (f" — {providers[0]}" if providers else "")
        return f"{label}: {', '.join(keywords)}" if keywords else label
    if headlines:
        return headlines[0] if len(headlines[0]) <= 60 else headlines[0][:59] + "…"
    return " · ".join(providers) or f"community {cid}"
