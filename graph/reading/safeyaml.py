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

Not supported: multi-document streams (only the first document is read), merge keys (``<<``,
which need aliases), and YAML 1.2 directives.

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

from graph.errors import DocumentError

__all__ = ["LineMap", "Plain", "load_yaml", "resolve_plain"]


_Parser: type
try:  # libyaml is the fast path; the pure parser is the always-available fallback.
    _Parser = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.BaseLoader

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")

class Plain(str):
    """A scalar that was written without quotes (its type is decided by the field)."""

    __slots__ = ()


class LineMap(dict[str, Any]):
    """A mapping that remembers the file line of each key (1-based)."""

    __slots__ = ("line", "lines")

    def __init__(self, line: int | None = None) -> None:
        super().__init__()
        self.line = line
        self.lines: dict[str, int] = {}


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


def load_yaml(text: str, *, path: str = "<string>", first_line: int = 1, max_depth: int = 16) -> Any:
    """Parse the first YAML document of ``text`` into plain values (see the module docstring).

    ``first_line`` is the file line the text starts on (2 for front matter after ``---``),
    so problems point into the file, not into the front matter.  Raises
    :class:`~graph.errors.DocumentError` with a stable code on anything it rejects.

    >>> load_yaml("- &a x\\n- *a\\n", path="f.yaml")
    Traceback (most recent call last):
    ...
    graph.errors.DocumentError: f.yaml:1:3: anchors and aliases are not allowed [yaml-alias]
    """
    parser = None
    try:
        parser = _Parser(text)  # the pure parser checks the characters here already
        return _build(parser, path, first_line, max_depth)
    except yaml.MarkedYAMLError as err:
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


def _build(parser: Any, path: str, first_line: int, max_depth: int) -> Any:
    """Build values straight from the event stream.

    Iterative (a stack, no recursion), so no input can exhaust the C stack, and no node
    tree is composed: this is about twice as fast as PyYAML's own safe loader.
    """
    scalar, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    collection_end = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    get_event, check_event = parser.get_event, parser.check_event

    def fail(event: Any, code: str, message: str) -> DocumentError:
        mark = event.start_mark
        return DocumentError(path, code, message, mark.line + first_line, mark.column + 1)

    stack: list[Any] = []  # open collections; for a LineMap, the pending key follows it
    keys: list[str | None] = []
    root: Any = None
    seen_document = False
    while check_event():
        event = get_event()
        cls = event.__class__
        if cls is scalar:
            if event.anchor is not None:
                raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
            if event.tag is not None and event.tag != "!":
                raise fail(event, "yaml-tag", f"tags are not allowed ({event.tag})")
            value: Any = event.value if event.style else Plain(event.value)
        elif cls is mapping_start or cls is sequence_start:
            if event.anchor is not None:
                raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
            if event.tag is not None:
                raise fail(event, "yaml-tag", f"tags are not allowed ({event.tag})")
            if len(stack) >= max_depth:
                raise fail(event, "yaml-too-deep", f"nesting deeper than {max_depth} levels")
            if stack and keys[-1] is None and type(stack[-1]) is LineMap:
                raise fail(event, "yaml-complex-key", "mapping keys must be plain text")
            value = LineMap(event.start_mark.line + first_line) if cls is mapping_start else []
            _attach(stack, keys, value, event, first_line, fail)
            stack.append(value)
            keys.append(None)
            if root is None:
                root = value
            continue
        elif cls in collection_end:
            stack.pop()
            keys.pop()
            continue
        elif cls is yaml.AliasEvent:
            raise fail(event, "yaml-alias", "anchors and aliases are not allowed")
        elif cls is yaml.DocumentStartEvent:
            if seen_document:
                break  # only the first document is read
            seen_document = True
            continue
        else:
            continue
        if not stack:
            root = value
            continue
        _attach(stack, keys, value, event, first_line, fail)
    return root


def _attach(stack: list[Any], keys: list[str | None], value: Any, event: Any, first_line: int,
            fail: Any) -> None:
    """Put a finished value into the open collection (or take it as the pending key)."""
    if not stack:
        return
    container = stack[-1]
    if type(container) is list:
        container.append(value)
        return
    key = keys[-1]
    if key is None:
        key = str(value)
        if key in container:
            raise fail(event, "yaml-duplicate-key", f"duplicate key {key!r}")
        keys[-1] = key
        container.lines[key] = event.start_mark.line + first_line
        return
    container[key] = value
    keys[-1] = None


