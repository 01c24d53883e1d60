"""Safe, exact YAML loading for article documents.

libyaml's C parser reads the event stream when PyYAML was built with it (the pure-Python
parser otherwise — both give the same events); we build Python values from the events
ourselves instead of using PyYAML's composer and constructors, because the documents need
things those do not give:

* no tags are honoured (``!!python/object`` and friends never construct anything);
* anchors/aliases, duplicate keys, non-scalar keys and deep nesting are rejected, and
  building is iterative, so no input can exhaust the stack (PyYAML's composer is recursive
  and crashes the process on ~100k nested brackets);
* scalars keep their exact source text: YAML 1.1 would turn ``0012345`` into an octal number
  and ``2020-06-11T12:58:00Z`` into a naive datetime.  Plain (unquoted) scalars come back as
  :class:`Plain`, a ``str`` that remembers it was unquoted, so the field normalisers can tell
  ``heat: null`` from ``title: "null"`` and type each field from its text;
* every mapping is a :class:`LineMap` that knows the file line of each key, for problem
  reports.

Not supported: multi-document streams (an error, ``yaml-several-documents``: reading only
the first would lose the others silently), merge keys (``<<``, which need aliases), and
YAML 1.2 directives.

>>> data = load_yaml("a: 1\\nb: '0012'\\nc: null\\n", first_line=2)
>>> data, type(data["a"]).__name__, data.lines["b"]
({'a': '1', 'b': '0012', 'c': 'null'}, 'Plain', 3)
>>> resolve_plain(data["a"]), resolve_plain(data["b"]), resolve_plain(data["c"])
(1, '0012', None)
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from newsgraph.graph.errors import DocumentError

__all__ = ["LineMap", "Plain", "load_yaml", "resolve_plain", "source_key"]


_Parser: type
try:  # libyaml is the fast path; the pure parser is the always-available fallback.
    _Parser = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.BaseLoader

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
#: A block scalar's header (``|``, ``>-``, ``|2+``, ...) at the end of a line.
_BLOCK_SCALAR = re.compile(r"(?:^|[ \t])[|>][-+1-9]*[ \t]*(?:#[^\n]*)?$", re.MULTILINE)
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


_NO_COLUMNS: dict[str, int] = {}  # shared, never written: YAML mappings know no columns


class Plain(str):
    """A scalar that was written without quotes (its type is decided by the field)."""

    __slots__ = ()


class LineMap(dict[str, Any]):
    """A mapping that remembers the file line of each key (1-based) and its source text.

    >>> m = load_yaml("a: 1\\nb: {c: 2}\\n")
    >>> m.lines, m["b"].line, m["b"].source_text()
    ({'a': 1, 'b': 2}, 2, (3, '{c: 2}'))
    """

    __slots__ = ("_document", "_end", "_start", "column", "columns", "line", "lines")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}
        #: The column of the mapping and of each key, where known (JSON; YAML gives lines).
        self.column: int | None = None
        self.columns: dict[str, int] = _NO_COLUMNS
        self._document: str | None = None
        self._start = self._end = 0

    def source_text(self) -> tuple[int, str] | None:
        """The column and the exact YAML text this mapping was read from (None if unknown).

        Two mappings with the same column and text hold the same values, so this is a
        cheap identity for values that come back in many files.
        """
        if self._document is None:
            return None
        return source_key(self._document, self._start, self._end)

    def copy_source(self, other: LineMap) -> None:
        """Take the lines and the source text of ``other`` (a mapping this one replaces)."""
        self.lines, self.column, self.columns = other.lines, other.column, other.columns
        self._document, self._start, self._end = other._document, other._start, other._end


def source_key(document: str, start: int, end: int) -> tuple[int, str]:
    """The column of ``start`` and the text up to ``end``: what :meth:`LineMap.source_text` gives.

    A block mapping ends where the next token starts, so its text ends with the blank lines
    and the indentation before that token; they are left out (unless a block scalar, which
    may keep trailing blank lines, may be among the values), so that an item reads the same
    in the middle of a list and at its end.

    >>> source_key("- a: 1\\n  b: 2\\n\\n- c: 3\\n", 2, 15)
    (2, 'a: 1\\n  b: 2\\n')
    """
    column = start - document.rfind("\n", 0, start) - 1
    text = document[start:end]
    if text.endswith((" ", "\n")) and not (
        ("|" in text or ">" in text) and _BLOCK_SCALAR.search(text)
    ):
        line_end = text.find("\n", len(text.rstrip(" \n")))
        if line_end >= 0:
            text = text[: line_end + 1]
    return column, text


def resolve_plain(value: Any) -> Any:
    """Type a :class:`Plain` scalar by the YAML 1.2 core schema; other values pass through.

    Integers with leading zeros stay text, so identifiers keep their exact form.

    >>> [resolve_plain(Plain(t)) for t in ("~", "True", "42", "-1.5e3", "007", "x")]
    [None, True, 42, -1500.0, '007', 'x']
    """
    if type(value) is not Plain:
        return value
    text = str(value)
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    return text


def load_yaml(
    text: str, *, path: str = "<string>", first_line: int = 1, max_depth: int = 16
) -> Any:
    """Parse the first YAML document of ``text`` into plain values (see the module docstring).

    ``first_line`` is the file line the text starts on (2 for front matter after ``---``),
    so problems point into the file, not into the front matter.  Raises
    :class:`~newsgraph.graph.errors.DocumentError` with a stable code on anything it rejects.

    >>> load_yaml("- &a x\\n- *a\\n", path="f.yaml")
    Traceback (most recent call last):
    ...
    newsgraph.graph.errors.DocumentError: f.yaml:1:3: anchors and aliases are not allowed [yaml-alias]
    """
    data = _load(_Parser, text, path, first_line, max_depth)
    if data is _LIBYAML_TOO_DEEP:
        # The pure parser has no nesting limit of its own, so it reaches ours and reports the
        # problem (yaml-too-deep, with its line and column) that every libyaml build gives.
        # It stops at max_depth levels, so this costs little even on a pathological input.
        data = _load(yaml.BaseLoader, text, path, first_line, max_depth)
    return data


#: libyaml >= 0.2.5 stops nesting deeper than 1000 levels itself, while it scans ahead of the
#: events _build checks, so it fails before max_depth is seen; _load then returns this.
_LIBYAML_TOO_DEEP = object()


def _load(parser_class: type, text: str, path: str, first_line: int, max_depth: int) -> Any:
    parser = None
    try:
        parser = parser_class(text)  # the pure parser checks the characters here already
        return _build(parser, text, path, first_line, max_depth)
    except yaml.MarkedYAMLError as err:
        if err.problem == "exceeded maximum nesting depth" and parser_class is not yaml.BaseLoader:
            return _LIBYAML_TOO_DEEP
        mark = err.problem_mark or err.context_mark
        line = mark.line + first_line if mark else None
        column = mark.column + 1 if mark else None
        message = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise DocumentError(path, "yaml-syntax", message, line, column) from err
    except yaml.YAMLError as err:  # reader errors (unprintable characters) carry no mark
        raise DocumentError(path, "yaml-syntax", str(err).splitlines()[0]) from err
    finally:
        if parser is not None:
            parser.dispose()


def _build(parser: Any, text: str, path: str, first_line: int, max_depth: int) -> Any:
    """Build values straight from the event stream.

    Iterative (a stack, no recursion), so no input can exhaust the C stack, and no node
    tree is composed: this is about twice as fast as PyYAML's own safe loader.  This loop
    runs once per YAML event, so attaching a value to its collection is written out in it.
    """
    scalar, mapping_start, sequence_start = (
        yaml.ScalarEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    get_event = parser.get_event

    def fail(event: Any, code: str, message: str) -> DocumentError:
        mark = event.start_mark
        return DocumentError(path, code, message, mark.line + first_line, mark.column + 1)

    stack: list[Any] = []  # open collections
    keys: list[str | None] = []  # for each open mapping, its pending key (None: none yet)
    container: Any = None  # the innermost open collection
    key: str | None = None  # its pending key
    root: Any = None
    seen_document = False
    while (event := get_event()) is not None:  # None after the end of the stream
        cls = event.__class__
        if cls is scalar:
            if event.anchor is not None:
                raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
            if event.tag is not None and event.tag != "!":
                raise fail(event, "yaml-tag", f"tags are not allowed ({event.tag})")
            if key is None and type(container) is LineMap:  # a key: plain or quoted, it is text
                key = event.value
                if key in container:
                    raise fail(event, "yaml-duplicate-key", f"duplicate key {key!r}")
                container.lines[key] = event.start_mark.line + first_line
                continue
            value: Any = event.value if event.style else Plain(event.value)
        elif cls is mapping_start or cls is sequence_start:
            if event.anchor is not None:
                raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
            if event.tag is not None:
                raise fail(event, "yaml-tag", f"tags are not allowed ({event.tag})")
            if len(stack) >= max_depth:
                raise fail(event, "yaml-too-deep", f"nesting deeper than {max_depth} levels")
            if key is None and type(container) is LineMap:
                raise fail(event, "yaml-complex-key", "mapping keys must be plain text")
            if cls is mapping_start:
                value = LineMap(event.start_mark.line + first_line)
                value._document, value._start = text, event.start_mark.index
            else:
                value = []
            if container is None:
                root = value
            elif type(container) is list:
                container.append(value)
            else:
                container[key] = value
            stack.append(container)
            keys.append(key)
            container, key = value, None
            continue
        elif cls is mapping_end or cls is sequence_end:
            if cls is mapping_end:
                container._end = event.end_mark.index
            container, key = stack.pop(), keys.pop()
            if type(container) is LineMap:
                key = None  # the collection was the value of the pending key
            continue
        elif cls is yaml.AliasEvent:
            raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
        elif cls is yaml.DocumentStartEvent:
            if seen_document:  # reading only the first would lose the others' keys silently
                raise fail(
                    event, "yaml-several-documents", "several YAML documents where one is expected"
                )
            seen_document = True
            continue
        else:
            continue
        if container is None:
            root = value
        elif type(container) is list:
            container.append(value)
        else:
            container[key] = value
            key = None
    return root
