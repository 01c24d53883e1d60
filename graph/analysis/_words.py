"""Headline words: what story matching and community keywords compare.

Words are lower-cased, stop words dropped and plurals folded by a small rule, as this needs no
language model.  Not supported: stemming beyond plurals, languages other than English.
"""

from __future__ import annotations

import re

__all__ = ["headline_words"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
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
    """The words of a headline that similarity is measured on; *fold* folds plurals.

    >>> sorted(headline_words("Rovers win the County Cup on penalties"))
    ['county', 'cup', 'penalty', 'rover', 'win']
    """
    words = set()
    for word in _WORD.findall(text.casefold().replace("’", "'")):
        if word in _STOP:
            continue
        if not fold:
            pass
        elif len(word) > 4 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
            word = word[:-1]
        words.add(word)
    return frozenset(words)
