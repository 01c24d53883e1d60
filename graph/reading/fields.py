"""Normalise one field's value (text, number, flag, timestamp, list), saying what changed.

The rules (docs/graph-schema.md, "What happens to your values"):

* absence: a missing key, YAML ``null``/``~``/nothing and JSON ``null`` are absent values,
  never the text "null"; an empty or blank quoted string is absent too, reported
  (``empty-value``, info);
* every change to a value is a :class:`~newsgraph.graph.model.Problem` with the field's
  line, a stable code, and the value before and after (``None`` after: dropped);
* template placeholders (``{{ page.title }}``, ``{% ... %}``, ``${...}``) are not values:
  dropped with a ``template-placeholder`` warning;
* timestamps become ISO 8601 in UTC; one without an offset is taken as UTC and reported
  (``naive-timestamp``); digits beyond microseconds are cut and week or ordinal dates
  converted, reported (``timestamp-repaired``);
* a single value where a list is expected is taken as a list of one (``scalar-as-list``);
  a list longer than the limit is cut (``too-many-items``).

>>> problems = []
>>> ctx = Context({}, "f.md", 3, problems, 100)
>>> text(ctx, "title", Plain("null")), timestamp(ctx, "updatedDateTime", "2020-01-02T03:04:05")
(None, '2020-01-02T03:04:05Z')
>>> [(p.code, p.line, p.before, p.after) for p in problems]
[('naive-timestamp', 3, '2020-01-02T03:04:05', '2020-01-02T03:04:05Z')]
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newsgraph.graph.model import Problem, Severity
from newsgraph.graph.reading.safeyaml import Plain, resolve_plain
from newsgraph.graph.text import clean_text, fold_name
from newsgraph.graph.urls import mask_credentials

__all__ = [
    "DEFAULT_MAX_LIST_ITEMS",
    "Context",
    "Plain",
    "flag",
    "integer",
    "is_null",
    "items",
    "json_value",
    "lower",
    "names",
    "number",
    "repaired",
    "text",
    "timestamp",
]

#: The default limit on the items of one list field (topics, tags, images, related...).
DEFAULT_MAX_LIST_ITEMS = 1_000

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_UTC_SECONDS = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_LONG_FRACTION = re.compile(r"(\.\d{6})\d+")
_WEEK_OR_ORDINAL = re.compile(r"\d{4}-?(?:W\d{2}(?:-?\d)?|\d{3})(?:[T ].*)?")
_HAS_OFFSET = re.compile(r"(?:[Zz]|[+-]\d{2}(?::?\d{2}(?::?\d{2}(?:\.\d+)?)?)?)$")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\$\{[^}]*\}", re.DOTALL)
_TRUTHY = {
    "true": True,
    "yes": True,
    "on": True,
    "1": True,
    "false": False,
    "no": False,
    "off": False,
    "0": False,
}
_NULL_TEXT = frozenset({"", "~", "null", "none"})
_PLAIN_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_SHOWN = 120  # characters of a value shown in a problem

_clean_text = lru_cache(maxsize=1 << 16)(clean_text)
_fold = lru_cache(maxsize=1 << 14)(fold_name)


class Context:
    """Where a mapping came from, its field lines, its limits, and where its problems go."""

    __slots__ = ("line", "mapping", "max_chars", "max_items", "path", "problems", "where")

    def __init__(
        self,
        mapping: Mapping[str, Any],
        path: str,
        line: int | None,
        problems: list[Problem],
        max_chars: int,
        where: str = "",
        max_items: int = DEFAULT_MAX_LIST_ITEMS,
    ) -> None:
        # Cheap to make: a record makes several (its own, its provider's, each image's), and
        # the mapping's lines are only looked at when there is a problem to place.
        self.path, self.problems, self.max_chars, self.where = path, problems, max_chars, where
        self.max_items, self.mapping, self.line = max_items, mapping, line

    @property
    def lines(self) -> dict[str, int]:
        """The file line of each key of the mapping, where known."""
        lines: dict[str, int] = getattr(self.mapping, "lines", {})
        return lines

    def report(
        self,
        field: str,
        code: str,
        message: str,
        severity: Severity = Severity.WARNING,
        *,
        before: Any = None,
        after: Any = None,
        line: int | None = None,
    ) -> None:
        """Add a problem about ``field`` at its line (or ``line``), values shown masked."""
        column = None
        if line is None:
            line = self.lines.get(field)
            column = getattr(self.mapping, "columns", {}).get(field)
            if not line:
                line, column = self.line or None, getattr(self.mapping, "column", None)
        self.problems.append(
            Problem(
                self.path,
                line,
                column,
                code,
                f"{self.where}{field}: {message}",
                severity,
                _shown(before),
                _shown(after),
            )
        )


def _shown(value: Any) -> str | None:
    if value is None:
        return None
    shown = value if isinstance(value, str) else repr(value)
    return mask_credentials(shown[:_SHOWN] + ("…" if len(shown) > _SHOWN else ""))


def is_null(value: Any) -> bool:
    """YAML's ``null``/``~``/empty plain scalar, or None."""
    return value is None or (type(value) is Plain and value in _PLAIN_NULL)


def text(
    ctx: Context, name: str, value: Any, *, repair: bool = True, exact: bool = False
) -> str | None:
    """A text field; ``exact`` keeps opaque values (ids, ``secured``) as written."""
    if value is None:
        return None
    kind = type(value)
    if kind is str or kind is Plain:
        if 0 < len(value) <= ctx.max_chars and not repair and "{" not in value:
            if kind is Plain and value in _PLAIN_NULL:
                return None
            stripped = value.strip()
            if stripped:
                return str(value) if exact else str(stripped)
            ctx.report(name, "empty-value", "blank text; absent", Severity.INFO, before=value)
            return None
    elif is_null(value):
        return None
    if is_null(value):
        return None
    if isinstance(value, bool):
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    if not isinstance(value, str):
        ctx.report(name, "bad-type", f"expected text, got {type(value).__name__}; dropped")
        return None
    if len(value) > ctx.max_chars:
        ctx.report(
            name, "field-too-large", f"{len(value)} characters (limit {ctx.max_chars}); dropped"
        )
        return None
    if "{" in value and _PLACEHOLDER.search(value):
        ctx.report(
            name,
            "template-placeholder",
            "a template placeholder, not a value; dropped",
            before=value,
        )
        return None
    result = str(value)
    if not result.strip():
        ctx.report(name, "empty-value", "empty text; absent", Severity.INFO, before=result)
        return None
    if exact:
        return result
    result = _clean_text(result)[0] if repair else result.strip()
    return result or None


def repaired(ctx: Context, name: str, value: Any) -> tuple[str | None, str | None]:
    """Clean a title/excerpt; returns the text and the original when it changed inside
    (outer whitespace alone does not count; line endings and entities do)."""
    raw = text(ctx, name, value, repair=False, exact=True)
    if raw is None:
        return None, None
    cleaned, repairs = _clean_text(raw)
    significant = [r for r in repairs if r != "whitespace"]
    if "\r" in raw:
        significant.append("line-endings")
    if significant:
        ctx.report(
            name,
            "text-repaired",
            "repaired (" + ", ".join(significant) + ")",
            Severity.INFO,
            before=raw,
            after=cleaned,
        )
        return cleaned or None, raw
    return cleaned or None, None


def lower(value: str | None) -> str | None:
    """Lower-case text (``type``, ``locale``), None stays None."""
    return value.lower() if value else value


def timestamp(ctx: Context, name: str, value: Any) -> str | None:
    """ISO 8601 in UTC from the text (offset honoured); a bare date stays a date."""
    if is_null(value):
        return None
    raw = str(value).strip()
    if _UTC_SECONDS.fullmatch(raw):  # as written here already: only check it is a time
        try:
            datetime.fromisoformat(raw)
            return raw
        except ValueError:
            pass
    try:
        if _DATE_ONLY.fullmatch(raw):
            return datetime.strptime(raw, "%Y-%m-%d").date().isoformat()
        moment = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError:
        ctx.report(name, "bad-timestamp", "not an ISO 8601 timestamp; dropped", before=raw[:60])
        return None
    naive = moment.tzinfo is None
    if naive:  # a documented assumption, never silent
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    spec = "seconds" if moment.microsecond == 0 else "microseconds"
    result = moment.replace(tzinfo=None).isoformat(timespec=spec) + "Z"
    if naive and not _HAS_OFFSET.search(raw):
        ctx.report(name, "naive-timestamp", "no UTC offset; taken as UTC", before=raw, after=result)
    if _LONG_FRACTION.search(raw) or _WEEK_OR_ORDINAL.fullmatch(raw):
        ctx.report(
            name,
            "timestamp-repaired",
            "digits beyond microseconds cut, or a week/ordinal date converted",
            Severity.INFO,
            before=raw,
            after=result,
        )
    return result


def number(ctx: Context, name: str, value: Any) -> int | float | None:
    """An integer or a finite float, typed from its text."""
    if is_null(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        ctx.report(name, "bad-number", f"expected a number, got {type(value).__name__}; dropped")
        return None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.isdigit():
            return int(stripped)
        if stripped.lower() in _NULL_TEXT:
            return None
        if not _NUMBER.fullmatch(stripped):
            ctx.report(name, "bad-number", "not a number; dropped", before=stripped)
            return None
        value = float(stripped)
    if not math.isfinite(value):
        ctx.report(name, "bad-number", "not a finite number; dropped", before=str(value))
        return None
    return int(value) if float(value).is_integer() else float(value)


def integer(ctx: Context, name: str, value: Any) -> int | None:
    """:func:`number` as an integer."""
    found = number(ctx, name, value)
    return int(found) if found is not None else None


def flag(ctx: Context, name: str, value: Any) -> bool | None:
    """true/false from a boolean or its text (yes/no, on/off, 1/0)."""
    if is_null(value) or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    found = _TRUTHY.get(str(value).strip().lower())
    if found is None:
        ctx.report(name, "bad-boolean", "not true/false; dropped", before=str(value))
    return found


def items(ctx: Context, name: str, value: Any, limit: int | None = None) -> list[Any]:
    """A list field: a single value is a list of one; cut at the limit (both reported)."""
    if is_null(value):
        return []
    if isinstance(value, (str, Mapping)):
        ctx.report(
            name,
            "scalar-as-list",
            "a single value where a list is expected; a list of one",
            Severity.INFO,
        )
        return [value]
    if not isinstance(value, list):
        ctx.report(name, "bad-type", f"expected a list, got {type(value).__name__}; dropped")
        return []
    limit = ctx.max_items if limit is None else limit
    if len(value) > limit:
        ctx.report(
            name,
            "too-many-items",
            f"{len(value)} items, over the limit of {limit}; the first {limit} kept",
            before=str(len(value)),
            after=str(limit),
        )
        return value[:limit]
    return value


def names(ctx: Context, name: str, value: Any) -> tuple[str, ...]:
    """Topics, tags, categories: cleaned, non-empty, first spelling order kept."""
    found: dict[str, None] = {}
    for item in items(ctx, name, value):
        cleaned = text(ctx, name, item)
        if cleaned:
            found[cleaned] = None
    if len(found) > 1 and len({_fold(n) for n in found}) < len(found):
        ctx.report(
            name,
            "names-folded",
            "spellings that fold into one name (one node, every spelling kept in its names)",
            Severity.INFO,
            before=", ".join(found),
        )
    return tuple(found)


def json_value(ctx: Context, name: str, value: Any) -> Any:
    """An unknown field as a JSON-compatible value (plain scalars typed by the core schema)."""
    if isinstance(value, str):
        if len(value) > ctx.max_chars:
            ctx.report(name, "field-too-large", f"{len(value)} characters; dropped")
            return None
        return resolve_plain(value) if type(value) is Plain else value
    if isinstance(value, list):
        return [json_value(ctx, name, v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(ctx, name, v) for k, v in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        ctx.report(name, "bad-number", "not a finite number; dropped", before=str(value))
        return None
    return value
