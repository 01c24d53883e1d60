"""Decode one file and split it into raw article mappings, detecting its form by content.

Forms (DESIGN §1): front-matter Markdown (any extension), a YAML article or list of
articles, JSON (an article, a list, ``{"news": [...]}`` API responses, ``{"value": [...]}``
paged lists) and JSON Lines.  What this module does to bytes before parsing:

* a UTF-8 BOM is dropped (reported, ``bom-removed``); CRLF and lone CR become LF (line
  numbers are kept);
* invalid UTF-8 is decoded with U+FFFD and reported (``invalid-utf8``);
* C0/C1 control characters, which YAML parsers refuse, are swapped for private-use
  stand-ins and swapped back after parsing, so text repair can still fix the mojibake
  they belong to (``\\xc3\\xa2\\xc2\\x80\\xc2\\x94`` read as Latin-1 contains C1 characters).

Every mapping read from JSON is a :class:`~newsgraph.graph.reading.safeyaml.LineMap` that
knows its own line and column and those of its keys, so problems in JSON and JSON Lines
point at the item and the field, as they do in YAML.

A front matter that holds several YAML documents -- a ``---`` line, then more article
fields, then another ``---`` line -- is an error (``frontmatter-several-documents``): the
first ``---`` would otherwise end the front matter and the fields after it would be lost.

Not supported: encodings other than UTF-8, multi-document YAML streams, and front matter
in TOML (``+++``).

>>> items, problems = parse_document("a.md", b"---\\ntitle: Hi\\n---\\nbody\\n")
>>> [(dict(m), line) for m, line in items], problems
([({'title': 'Hi', 'body': 'body'}, 2)], [])
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Mapping
from typing import Any

from newsgraph.graph.errors import DocumentError
from newsgraph.graph.model import ARTICLE_FIELDS, Problem, Severity
from newsgraph.graph.reading.repeats import restore_known_items, stand_in_known_items
from newsgraph.graph.reading.safeyaml import LineMap, Plain, load_yaml

__all__ = ["RawItem", "parse_document"]

#: A raw article mapping and the file line it starts on (None where unknown).
RawItem = tuple[Mapping[str, Any], int | None]

_BOM = "\ufeff"
# The closing line, found from the newline before it ("^...$" with MULTILINE is 10x slower).
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)")
_OPENING = re.compile(r"---[ \t]*\n")
# Characters YAML refuses: C0 controls but tab and newline, DEL, C1 controls, surrogates and
# the non-characters U+FFFE/U+FFFF.  They are mapped into a private-use block and back.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
#: Bytes no unprintable character's UTF-8 starts with (C1 controls start with \xc2,
#: U+FFFE/U+FFFF with \xef; surrogates are invalid UTF-8 and decode to U+FFFD).
_CLEAN_BYTES = bytes(
    b for b in range(256) if not (b < 0x20 and b not in b"\t\n\r") and b not in b"\x7f\xc2\xef"
)
_STAND_IN_BASE = 0xF0000  # Supplementary Private Use Area-A: never in news metadata
_SWAP_IN = {
    c: _STAND_IN_BASE + c
    for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))
}  # tab and newline stay
_SWAP_OUT = {v: k for k, v in _SWAP_IN.items()}


def parse_document(
    path: str,
    data: bytes,
    *,
    max_depth: int = 16,
    known: Callable[[tuple[int, str]], bool] | None = None,
    json_line: int | None = None,
) -> tuple[list[RawItem], list[Problem]]:
    """Parse the bytes of one file into raw article mappings and problems.

    ``json_line`` says that ``data`` is that line of a JSON Lines file ``path`` (read
    line by line, :mod:`~newsgraph.graph.reading.packs`): it is parsed as JSON Lines
    are, and its problems point at that line.  ``known`` tells which related items' YAML text (a :func:`~newsgraph.graph.reading.safeyaml.source_key`)
    need not be parsed again (see :mod:`newsgraph.graph.reading.repeats`).

    Raises :class:`~newsgraph.graph.errors.DocumentError` when the file as a whole cannot be read
    (its problems so far are lost with it, which is fine: the file is reported instead).
    """
    problems: list[Problem] = []
    first_line = json_line or 1
    text = _decode(path, data, problems, first_line)
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(
            Problem(
                path,
                first_line,
                1,
                "bom-removed",
                "a UTF-8 byte-order mark; removed",
                Severity.INFO,
            )
        )
    swapped = False
    # Most files hold none of the bytes an unprintable character can start with: a fast
    # look at the bytes saves the slow look at the text.
    if (problems or data.translate(None, _CLEAN_BYTES)) and _UNPRINTABLE.search(text):
        # Surrogates and non-characters are not mojibake: drop them; swap the rest.
        text = re.sub("[\ud800-\udfff\ufffe\uffff]", "", text)
        text = text.translate(_SWAP_IN) if _UNPRINTABLE.search(text) else text
        swapped = True
    stripped = text.lstrip()
    if json_line is not None:
        items = _json_lines(path, text, problems, json_line)
    elif not stripped:
        raise DocumentError(path, "empty-file", "the file is empty")
    elif _OPENING.match(text):
        items = _front_matter(path, text, max_depth, None if swapped else known)
    elif stripped[0] in "{[":
        items = _json(path, stripped, text, problems)
    else:
        items = _yaml_items(path, load_yaml(text, path=path, max_depth=max_depth), 1)
    if swapped:
        items = [(_swap_back(m), line) for m, line in items]
    return items, problems


def _decode(path: str, data: bytes, problems: list[Problem], first_line: int = 1) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + first_line
        problems.append(
            Problem(
                path,
                line,
                None,
                "invalid-utf8",
                f"invalid UTF-8 ({err.reason}); bad bytes replaced with U+FFFD",
                Severity.WARNING,
            )
        )
        text = data.decode("utf-8", errors="replace")
    if text.startswith(_BOM):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _front_matter(
    path: str, text: str, max_depth: int, known: Callable[[tuple[int, str]], bool] | None
) -> list[RawItem]:
    start = text.index("\n") + 1
    closing = _CLOSING.search(text, start - 1)
    if closing is None:
        raise DocumentError(
            path, "frontmatter-unclosed", "front matter has no closing '---' line", 1
        )
    front = text[start : closing.start() + 1]
    data = _load_known(path, front, max_depth, known) if known is not None else None
    if data is None:
        data = load_yaml(front, path=path, first_line=2, max_depth=max_depth)
    if not isinstance(data, dict):
        raise DocumentError(path, "not-a-mapping", "front matter is not a mapping of fields", 2)
    _check_second_document(path, text, closing.end(), max_depth)
    body = text[closing.end() :].strip()
    if body and "body" not in data:
        data["body"] = body
        if isinstance(data, LineMap):
            data.lines["body"] = text.count("\n", 0, closing.end()) + 2
    return [(data, 2)]


# A line that opens a YAML mapping entry: a key, a colon, then a space or the line's end.
_NEWLINES = re.compile(r"\n*")
_YAML_KEY_LINE = re.compile(r"[A-Za-z_][\w.-]*:(?:[ \t]|$)")


def _check_second_document(path: str, text: str, end: int, max_depth: int) -> None:
    """Raise if the text after the closing line is more front matter: YAML fields holding an
    article field, then another closing line (a Markdown body rarely starts with a field and
    never holds ``webUrl:`` before a ``---`` rule)."""
    start = _NEWLINES.match(text, end).end()  # type: ignore[union-attr]  # always matches
    if not _YAML_KEY_LINE.match(text, start):  # most bodies: one look, no copy of the body
        return
    rest = text[start:]
    closing = _CLOSING.search(rest)
    if closing is None:
        return
    try:
        data = load_yaml(rest[: closing.start() + 1], path=path, max_depth=max_depth)
    except DocumentError:
        return
    if isinstance(data, dict) and not ARTICLE_FIELDS.isdisjoint(data):
        line = text.count("\n", 0, end) + 1
        raise DocumentError(
            path,
            "frontmatter-several-documents",
            "the front matter holds several YAML documents: fields after this '---' line "
            "would be lost",
            line,
        )


def _load_known(
    path: str, front: str, max_depth: int, known: Callable[[tuple[int, str]], bool]
) -> Any:
    """The front matter parsed with its known related items stood in for; None if that fails."""
    stood_in, spots = stand_in_known_items(front, known)
    if not spots:
        return None
    try:
        data = load_yaml(stood_in, path=path, first_line=2, max_depth=max_depth)
    except DocumentError:
        return None  # parsed again as written, for the problem to be reported as it is
    return data if restore_known_items(data, front, spots) else None


def _yaml_items(path: str, data: Any, line: int | None) -> list[RawItem]:
    if isinstance(data, dict):
        return [(data, getattr(data, "line", line))]
    if isinstance(data, list):
        return [(item, getattr(item, "line", None)) for item in data]
    raise DocumentError(
        path,
        "unknown-form",
        "not an article document (no front matter, YAML mapping or list, or JSON)",
        1,
    )


class _DuplicateKey(ValueError):
    """A JSON object with the same key twice (json keeps the last one silently)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(f"duplicate key {key!r}")
            seen.add(key)
    return mapping


# A JSON string (a key when a colon follows) or a brace.  Strings are matched first, so a
# brace inside a string is never taken for one.
_JSON_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|[{}]')


def _loads(text: str, first_line: int = 1) -> Any:
    """Parse JSON into values whose objects are :class:`LineMap`\\ s with lines and columns.

    The objects' places are found by a scan of the tokens first; ``json`` then builds each
    object after its children, which is the order in which the scan saw them close.
    """
    places = _object_places(text, first_line)
    place = iter(places)

    def mapping(pairs: list[tuple[str, Any]]) -> LineMap:
        line, column, keys = next(place)
        result = LineMap(line)
        result.update(_unique_keys(pairs))
        result.column = column
        result.lines = {k: at[0] for k, at in keys.items()}
        result.columns = {k: at[1] for k, at in keys.items()}
        return result

    return json.loads(text, object_pairs_hook=mapping)


def _object_places(text: str, first_line: int) -> list[tuple[int, int, dict[str, tuple[int, int]]]]:
    """(line, column, {key: (line, column)}) of each object, in the order they close."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))

    def place(index: int) -> tuple[int, int]:
        row = bisect_right(starts, index) - 1
        return row + first_line, index - starts[row] + 1

    stack: list[tuple[int, dict[str, tuple[int, int]]]] = []
    places = []
    for token in _JSON_TOKEN.finditer(text):
        if token[2] is not None:
            if stack:
                key = token[1] if "\\" not in token[1] else json.loads(f'"{token[1]}"')
                stack[-1][1].setdefault(key, place(token.start()))
        elif token[0] == "{":
            stack.append((token.start(), {}))
        elif token[0] == "}" and stack:
            start, keys = stack.pop()
            places.append((*place(start), keys))
    return places


def _json(path: str, stripped: str, text: str, problems: list[Problem]) -> list[RawItem]:
    try:
        data = _loads(stripped)
    except _DuplicateKey as err:
        raise DocumentError(path, "json-duplicate-key", str(err)) from err
    except json.JSONDecodeError as err:
        if stripped[0] == "{" and (err.msg == "Extra data" or _has_object_line(stripped)):
            return _json_lines(path, text, problems)
        line = text.count("\n", 0, len(text) - len(stripped) + err.pos) + 1
        raise DocumentError(path, "json-syntax", err.msg, line, err.colno) from err
    except RecursionError as err:  # the C decoder's guard against deep nesting
        raise DocumentError(path, "json-too-deep", "nesting too deep to read", 1) from err
    if isinstance(data, dict):
        for envelope in ("news", "value"):  # API response, paged list
            if isinstance(data.get(envelope), list):
                return [(item, getattr(item, "line", None)) for item in data[envelope]]
    return _yaml_items(path, data, 1)


def _has_object_line(text: str) -> bool:
    """Whether a line after the first is a JSON object by itself: JSON Lines with a broken
    first line (a pretty-printed object has no such line)."""
    for line in text.split("\n")[1:]:
        line = line.strip()
        if line.startswith("{") and line.endswith("}"):
            try:
                return isinstance(json.loads(line), dict)
            except (json.JSONDecodeError, RecursionError):
                continue
    return False


def _json_lines(
    path: str, text: str, problems: list[Problem], first_line: int = 1
) -> list[RawItem]:
    """One article a line; a broken line is reported and the others are kept."""
    items: list[RawItem] = []
    for number, line in enumerate(text.split("\n"), first_line):
        if line.strip():
            try:
                items.append((_loads(line, number), number))
            except _DuplicateKey as err:
                problems.append(Problem(path, number, None, "json-duplicate-key", str(err)))
            except json.JSONDecodeError as err:
                problems.append(Problem(path, number, err.colno, "json-syntax", err.msg))
            except RecursionError:
                problems.append(
                    Problem(path, number, None, "json-too-deep", "nesting too deep to read")
                )
    return items


def _swap_back(value: Any) -> Any:
    if isinstance(value, str):
        out = value.translate(_SWAP_OUT)
        return Plain(out) if type(value) is Plain else out
    if isinstance(value, list):
        return [_swap_back(v) for v in value]
    if isinstance(value, dict):
        mapping = LineMap(getattr(value, "line", None))
        if isinstance(value, LineMap):
            mapping.copy_source(value)
        for k, v in value.items():
            mapping[k] = _swap_back(v)
        return mapping
    return value
