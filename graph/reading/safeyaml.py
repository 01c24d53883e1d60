"""Safe, exact YAML loading for article documents.

libyaml's C parser composes the node tree when PyYAML was built with it (the pure-Python
parser otherwise — both give the same values); we then build Python values ourselves instead
of using PyYAML's constructors, because the documents need things those do not give:

* no tags are honoured (``!!python/object`` and friends never construct anything);
* anchors/aliases, duplicate keys, non-scalar keys and deep nesting are rejected;
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

_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = frozenset({_STR_TAG, _SEQ_TAG, _MAP_TAG})
_TAG_OF = {yaml.ScalarNode: _STR_TAG, yaml.SequenceNode: _SEQ_TAG, yaml.MappingNode: _MAP_TAG}

_Parser: type
try:  # libyaml is the fast path; the pure parser is the always-available fallback.
    _Parser = yaml.CBaseLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = yaml.BaseLoader


class _Loader(_Parser):  # type: ignore[misc,valid-type]
    """The parser with a resolver that gives every untagged node its default tag.

    PyYAML's resolver is called back for every node; this one does the least it can,
    since implicit typing happens later, field by field.
    """

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _TAG_OF[kind]

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


# libyaml composes recursively and crashes the process on very deep input.  Only flow
# brackets and compact nested collections ("- - - x") nest deeply on few bytes (nesting by
# indentation needs quadratic space, bounded by the file-size cap), so texts with many of
# those get an iterative depth check on the event stream first.
_COMPACT = re.compile(r"[-?][ \t]+[-?][ \t]")
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
    """Parse one YAML document into plain values (see the module docstring).

    ``first_line`` is the file line the text starts on (2 for front matter after ``---``),
    so problems point into the file, not into the front matter.  Raises
    :class:`~graph.errors.DocumentError` with a stable code on anything it rejects.

    >>> load_yaml("- &a x\\n- *a\\n", path="f.yaml")
    Traceback (most recent call last):
    ...
    graph.errors.DocumentError: f.yaml:1:3: aliases are not allowed [yaml-alias]
    """
    offset = first_line - 1
    if text.count("[") + text.count("{") > 4 * max_depth or _COMPACT.search(text):
        _check_depth(text, path, offset, max_depth)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 + offset if mark else None
        column = mark.column + 1 if mark else None
        message = " ".join(str(p) for p in (err.context, err.problem) if p)
        raise DocumentError(path, "yaml-syntax", message, line, column) from err
    except yaml.YAMLError as err:  # reader errors (unprintable characters) carry no mark
        raise DocumentError(path, "yaml-syntax", str(err).splitlines()[0]) from err
    finally:
        loader.dispose()
    if node is None:
        return None
    return _Builder(path, offset, max_depth).build(node, "*" in text)


def _check_depth(text: str, path: str, offset: int, max_depth: int) -> None:
    """Walk the event stream (iterative, so safe on any depth) and reject deep nesting."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_Parser):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    line = event.start_mark.line + 1 + offset if event.start_mark else None
                    raise DocumentError(
                        path, "yaml-too-deep", f"nesting deeper than {max_depth} levels", line
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except yaml.YAMLError:
        return  # the real parse reports the syntax error with its position


class _Builder:
    """Turns a composed node tree into values, enforcing the rules above.

    This runs for every node of every file, so it is written for speed: one closure with
    local names, and identity checks only where an alias could hide.
    """

    __slots__ = ("max_depth", "offset", "path")

    def __init__(self, path: str, offset: int, max_depth: int) -> None:
        self.path, self.offset, self.max_depth = path, offset, max_depth

    def fail(self, node: yaml.Node, code: str, message: str) -> DocumentError:
        mark = node.start_mark
        return DocumentError(self.path, code, message, mark.line + 1 + self.offset, mark.column + 1)

    def build(self, root: yaml.Node, aliases_possible: bool) -> Any:
        seen: set[int] = set()
        offset, max_depth, fail = self.offset + 1, self.max_depth, self.fail
        scalar_node, sequence_node = yaml.ScalarNode, yaml.SequenceNode

        def value_of(node: yaml.Node, depth: int) -> Any:
            cls = node.__class__
            if node.tag not in _DEFAULT_TAGS:
                raise fail(node, "yaml-tag", f"tags are not allowed ({node.tag})")
            if cls is scalar_node:
                if aliases_possible:  # "*" starts an alias; without one, skip the checks
                    if id(node) in seen:
                        raise fail(node, "yaml-alias", "aliases are not allowed")
                    seen.add(id(node))
                return node.value if node.style else Plain(node.value)
            if id(node) in seen:  # an alias composes to the node it names
                raise fail(node, "yaml-alias", "aliases are not allowed")
            seen.add(id(node))
            if depth >= max_depth:
                raise fail(node, "yaml-too-deep", f"nesting deeper than {max_depth} levels")
            if cls is sequence_node:
                return [value_of(item, depth + 1) for item in node.value]
            mapping = LineMap(node.start_mark.line + offset)
            lines = mapping.lines
            for key_node, value_node in node.value:
                if key_node.__class__ is not scalar_node or key_node.tag != _STR_TAG:
                    raise fail(key_node, "yaml-complex-key", "mapping keys must be plain text")
                key = key_node.value
                if key in mapping:
                    raise fail(key_node, "yaml-duplicate-key", f"duplicate key {key!r}")
                mapping[key] = value_of(value_node, depth + 1)
                lines[key] = key_node.start_mark.line + offset
            return mapping

        return value_of(root, 0)
