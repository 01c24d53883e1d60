"""Headline words: what story matching and community keywords compare.

Words are lower-cased, stop words dropped and common English endings folded by a small rule
(``closes``, ``closed`` and ``closing`` all become ``clos``), as this needs no language model.
Numbers are words too, and :func:`headline_numbers` lists them (and days of the week) apart:
two bulletins on one template differ only there.  Not supported: real stemming, languages other than English.
"""

from __future__ import annotations

import re

__all__ = ["headline_numbers", "headline_words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A number standing alone: not part of a name such as COVID-19, 5G or G7.
_NUMBER = re.compile(
    r"(?<![\w-])\d+(?:[.,:/]\d+)*(?![\w-])|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.IGNORECASE,
)
# Endings folded, longest first; a word keeps at least three letters.
_ENDINGS = ("ing", "ies", "es", "ed", "s", "e")
# Words that make unrelated headlines look alike; a short list, as headlines are short.
_STOP = frozenset(
    [
        "a",
        "after",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "new",
        "of",
        "on",
        "or",
        "our",
        "over",
        "said",
        "say",
        "says",
        "that",
        "the",
        "their",
        "this",
        "to",
        "us",
        "via",
        "vs",
        "was",
        "we",
        "were",
        "what",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
    ]
)


def headline_words(text: str, *, fold: bool = True) -> frozenset[str]:
    """The words of a headline that similarity is measured on; *fold* folds word endings.

    >>> sorted(headline_words("Rovers win the County Cup on penalties"))
    ['county', 'cup', 'penalty', 'rover', 'win']
    >>> headline_words("Bridge closes") == headline_words("Bridge closed")
    True
    """
    words = set()
    for word in _WORD.findall(text.casefold().replace("’", "'")):
        if word in _STOP:
            continue
        words.add(_fold(word) if fold else word)
    return frozenset(words)


def _fold(word: str) -> str:
    if word.endswith(("'s", "'")):
        word = word[:-2] if word.endswith("'s") else word[:-1]
    if word.isdigit() or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def headline_numbers(text: str) -> frozenset[str]:
    """The numbers (counts, dates, scores) and days of the week a headline gives.

    >>> sorted(headline_numbers("Monday briefing, day 12: 1,204 new COVID-19 cases, 3.5% up on 5G"))
    ['1,204', '12', '3.5', 'monday']
    """
    return frozenset(m.casefold() for m in _NUMBER.findall(text))
