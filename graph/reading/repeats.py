"""Related items read before in this process are not parsed again.

In news feeds the same related item is copied word for word into dozens of files, and the
normaliser already remembers each item it normalised by its YAML text
(:meth:`~newsgraph.graph.reading.safeyaml.LineMap.source_text`).  This module saves the YAML parse of
such items too.  Before a front matter is parsed, :func:`stand_in_known_items` cuts the
items of its top-level block list ``related:`` out of the text by their indentation; an item
whose text is known is replaced by ``{}`` and as many line breaks, so every line keeps its
number.  After the parse, :func:`restore_known_items` must find each stand-in where it was
put -- an item of ``related`` starting at the same place -- and gives it its source text
back, which the normaliser then knows.

The cut is a guess from indentation, not a parse; the check afterwards makes it safe.  An
item's text is only known if the YAML parser once read exactly that text, at the same
column, as one whole block mapping, and a block mapping reads the same wherever it stands,
given its column.  Where the guess was wrong (a quoted value running over several lines,
odd indentation) a stand-in is not found where it was put, or the text does not parse,
and the caller parses the front matter as written.

>>> known = {(4, "title: A\\n    webUrl: https://x.example/a\\n")}.__contains__
>>> text = "title: B\\nrelated:\\n  - title: A\\n    webUrl: https://x.example/a\\n"
>>> stood_in, spots = stand_in_known_items(text, known)
>>> stood_in
'title: B\\nrelated:\\n  - {}\\n\\n'
>>> from newsgraph.graph.reading.safeyaml import load_yaml
>>> data = load_yaml(stood_in)
>>> restore_known_items(data, text, spots), data["related"][0].source_text() in {(4, "title: A\\n    webUrl: https://x.example/a\\n")}
(True, True)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from newsgraph.graph.reading.safeyaml import LineMap, source_key

__all__ = ["Spot", "restore_known_items", "stand_in_known_items"]

#: Where a stand-in went: (its offset in the new text, start and end of the item it replaced).
Spot = tuple[int, int, int]

_RELATED = re.compile(r"related:[ \t]*\n")
_FIRST_ENTRY = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ")
_TOP_LEVEL_LINE = re.compile(r"\n[^ \n]")


def stand_in_known_items(
    text: str, known: Callable[[tuple[int, str]], bool]
) -> tuple[str, list[Spot]]:
    """``text`` with each known item of ``related:`` replaced by a stand-in, and where they went.

    ``known`` tells whether a :func:`~newsgraph.graph.reading.safeyaml.source_key` is known.  The text
    comes back unchanged, with no spots, when it has no such item.
    """
    # Plain string searches: a regular expression scanning every line costs as much as
    # the parse it saves.  Where they guess wrong, an item is merely not recognised.
    found = _RELATED.match(text, 0 if text.startswith("related:") else text.find("\nrelated:") + 1)
    entry = _FIRST_ENTRY.match(text, found.end()) if found else None
    if entry is None:
        return text, []
    dash = "\n" + entry.group(1) + "- "
    starts = [entry.end()]
    while (at := text.find(dash, starts[-1])) >= 0:
        starts.append(at + len(dash))
    last = _TOP_LEVEL_LINE.search(text, starts[-1])
    ends = [at - len(dash) + 1 for at in starts[1:]] + [last.start() + 1 if last else len(text)]
    pieces: list[str] = []
    spots: list[Spot] = []
    done = shift = 0
    for start, stop in zip(starts, ends, strict=False):
        while text.startswith(" ", start):  # "-   title: ..."
            start += 1
        key = source_key(text, start, stop)
        if not known(key):
            continue
        item_end = start + len(key[1])
        stand_in = "{}" + "\n" * key[1].count("\n")
        pieces += (text[done:start], stand_in)
        spots.append((start - shift, start, item_end))
        shift += item_end - start - len(stand_in)
        done = item_end
    if not spots:
        return text, []
    pieces.append(text[done:])
    return "".join(pieces), spots


def restore_known_items(data: Any, text: str, spots: list[Spot]) -> bool:
    """Give each stand-in in ``data`` (parsed from the new text) its source in ``text`` back.

    Returns False, changing nothing, unless every stand-in is an empty item of the top-level
    list ``related`` at the offset it was put at.
    """
    related = data.get("related") if type(data) is LineMap else None
    if type(related) is not list:
        return False
    stand_ins = {item._start: item for item in related if type(item) is LineMap and not item}
    found = [stand_ins[offset] for offset, _, _ in spots if offset in stand_ins]
    if len(found) < len(spots):
        return False
    for item, (_, start, end) in zip(found, spots, strict=False):
        item._document, item._start, item._end = text, start, end
    return True
