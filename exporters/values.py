"""Values every exporter can write: clean text, plain JSON-native values, problems.

The builder already hands over JSON-native values, but a graph can come from anywhere
(an analysis step, a notebook, a hostile test), so each exporter passes values
through :func:`plain` and gets either a clean value or :data:`MISSING`:

- ``None`` and NaN/infinite floats are missing (NaN has no place in JSON, XSD
  integers or CSV columns that tools type as numbers);
- text loses what XML 1.0 forbids (C0 controls but tab and newline, U+FFFE, U+FFFF),
  lone surrogates become U+FFFD, and ``\\r\\n``/``\\r`` become ``\\n``;
- ``datetime`` and ``date`` become ISO 8601 text (UTC, ``Z``);
- tuples, sets and lists become lists (sets sorted), mappings get string keys;
- anything else becomes its ``str()``.

Not supported: bytes are written as their ``str()`` (``b'..'``), not decoded.

>>> plain(["a\\x00b", float("nan"), None, 3])
['ab', 3]
>>> plain(float("inf")) is MISSING
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Final

from newsgraph.graph.model import Problem, Severity

__all__ = [
    "MISSING",
    "OnProblem",
    "clean_text",
    "identical",
    "iso_timestamp",
    "node_problem",
    "plain",
    "sorted_nodes",
]

#: Where exporters send what they had to drop or clean.
OnProblem = Callable[[Problem], None]

MISSING: Final[Any] = type("Missing", (), {"__repr__": lambda self: "MISSING"})()

_BAD_TEXT: Final = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, bool]:
    """Return ``text`` fit for XML 1.0 and UTF-8, and whether characters were lost.

    Line ends are normalised silently (XML parsers do it anyway); removed characters
    and replaced surrogates count as a loss.

    >>> clean_text("a\\r\\nb\\x07\\ud800")
    ('a\\nb\\ufffd', True)
    """
    if _BAD_TEXT.search(text) is None:
        return text, False
    lost = _ILLEGAL.search(text) is not None or _SURROGATE.search(text) is not None
    cleaned = _ILLEGAL.sub("", _SURROGATE.sub("\ufffd", text))
    return cleaned.replace("\r\n", "\n").replace("\r", "\n"), lost


def identical(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are equal JSON-native values of the same types, all the way
    down, so that every writer writes them alike (``1``, ``1.0`` and ``True`` differ; values
    of other types are never called identical).

    >>> identical(["a", 1], ["a", 1]), identical(["a", 1], ["a", 1.0]), identical(1, True)
    (True, False, False)
    >>> identical({"x": [0.0]}, {"x": [-0.0]})
    False
    """
    if type(a) is not type(b):
        return False
    if type(a) is list or type(a) is tuple:
        return len(a) == len(b) and all(map(identical, a, b))
    if type(a) is dict:
        return a.keys() == b.keys() and all(identical(v, b[k]) for k, v in a.items())
    if type(a) is float:  # -0.0 == 0.0, but a store keeps the sign
        return repr(a) == repr(b)
    if a is None or type(a) in (str, int, bool):
        return bool(a == b)
    return False  # other types (dates, objects): equal ones may still be written apart


def iso_timestamp(value: datetime | date) -> str:
    """Return a ``datetime`` as ISO 8601 in UTC (naive means UTC), a ``date`` as ISO.

    >>> iso_timestamp(datetime(2020, 6, 11, 12, 58))
    '2020-06-11T12:58:00Z'
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        text = value.isoformat(timespec="microseconds" if value.microsecond else "seconds")
        return text + "Z"
    return value.isoformat()


def plain(value: object, on_loss: Callable[[str], None] | None = None) -> Any:
    """Return ``value`` as clean JSON-native data, or :data:`MISSING`.

    ``on_loss`` is called with a short reason whenever something is dropped or changed
    beyond line ends.

    >>> plain({"when": date(2020, 6, 11), 1: (True, 2.5)})
    {'when': '2020-06-11', '1': [True, 2.5]}
    """
    if value is None:
        return MISSING
    if isinstance(value, str):
        text, lost = clean_text(value)
        if lost and on_loss is not None:
            on_loss("characters XML cannot hold were removed")
        return text
    if isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        if on_loss is not None:
            on_loss(f"{value!r} is not a number a format can hold")
        return MISSING
    if isinstance(value, datetime | date):
        return iso_timestamp(value)
    if isinstance(value, Mapping):
        items = ((str(k), plain(v, on_loss)) for k, v in value.items())
        return {k: v for k, v in items if v is not MISSING}
    if isinstance(value, set | frozenset):
        value = sorted(value, key=repr)
    if isinstance(value, list | tuple):
        items = (plain(v, on_loss) for v in value)
        return [v for v in items if v is not MISSING]
    return plain(str(value), on_loss)


def node_problem(
    key: str, data: Mapping[str, Any], code: str, message: str, severity: Severity
) -> Problem:
    """A problem about node ``key``, located at its first source file (else its key).

    >>> node_problem("topic:x", {}, "bad-iri", "no", Severity.WARNING).path
    'topic:x'
    """
    sources = data.get("sources")
    path = sources[0] if isinstance(sources, list | tuple) and sources else key
    return Problem(str(path), None, None, code, f"{key}: {message}", severity)


def sorted_nodes(G: Any) -> list[Any]:
    """The nodes of ``G`` in a stable order (by key), whatever the insertion order.

    >>> import networkx as nx
    >>> sorted_nodes(nx.MultiDiGraph([("b", "a")]))
    ['a', 'b']
    """
    return sorted(G.nodes, key=str)
