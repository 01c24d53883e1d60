"""Attribute values as checked N-Triples terms, for the RDF mapping (:mod:`newsgraph.exporters.rdf.mapping`).

:class:`ValueTerms` turns one value into a term -- a literal with its language tag or
datatype, or an IRI -- or reports why it cannot and leaves it out; the mapper calls it
for the values its fast paths do not take.  :func:`split_literal` reads a literal back
for the writers that need its parts.

Not supported: see :mod:`newsgraph.exporters.rdf.statements`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final

from newsgraph.exporters.rdf.iri import iri_problem
from newsgraph.exporters.rdf.terms import Terms
from newsgraph.exporters.values import MISSING, clean_text, iso_timestamp, node_problem, plain
from newsgraph.graph.model import Problem, Severity

__all__ = ["ValueTerms", "as_list", "is_plain_text", "is_real_date", "split_literal"]

_NEEDS_ESCAPE: Final = re.compile('["\\\\\n\t\x00-\x1f\ud800-\udfff\ufffe\uffff]')
#: An ``xsd:dateTime`` as the data holds it; :func:`is_real_date` checks the calendar.
TIMESTAMP: Final = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
_DATE: Final = re.compile(r"\d{4}-\d\d-\d\d")
_LANGUAGE: Final = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8})*")
_LITERAL: Final = re.compile(r'"(.*)"(?:@([^"]+)|\^\^<([^>]+)>)?', re.DOTALL)
_UNESCAPE: Final = re.compile(r"\\(.)")
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r"}


def split_literal(term: str) -> tuple[str, str | None, str | None]:
    """Lexical form, language tag and datatype IRI of a literal in N-Triples syntax.

    >>> split_literal('"a\\"b"@en'), split_literal('"1"^^<http://x.org/int>')
    (('a"b', 'en', None), ('1', None, 'http://x.org/int'))
    """
    match = _LITERAL.fullmatch(term)
    if match is None:
        raise ValueError(f"not an N-Triples literal: {term!r}")
    lexical = _UNESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), match[1])
    return lexical, match[2], match[3]


def is_plain_text(value: Any) -> bool:
    """Text that goes into a literal as it is: printable, without quotes or backslashes.

    ``isprintable()`` with two ``in`` tests is twice as fast as a regular expression.

    >>> is_plain_text("Café"), is_plain_text('say "hi"'), is_plain_text(3)
    (True, False, False)
    """
    return type(value) is str and value.isprintable() and '"' not in value and "\\" not in value


def is_real_date(text: str) -> bool:
    """Whether ``text`` (already shaped like an ISO 8601 date) names a day of the calendar.

    >>> is_real_date("2021-02-28"), is_real_date("2021-02-30")
    (True, False)
    """
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def as_list(value: Any) -> Sequence[Any]:
    """The values of a one-or-many attribute, without ``None`` (sets sorted).

    >>> as_list(None), as_list("a"), as_list(["a", None]), as_list({"b", "a"})
    ([], ['a'], ['a'], ['a', 'b'])
    """
    if value is None:
        return []
    if isinstance(value, list | tuple):
        # A repeated item makes a repeated triple, which is the same triple: no need to dedupe.
        return [v for v in value if v is not None] if None in value else value
    if isinstance(value, set | frozenset):
        return sorted(value, key=str)
    return [value]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


class ValueTerms:
    """Checked terms for values; what is cleaned or left out goes to :attr:`problems`."""

    def __init__(self, terms: Terms) -> None:
        self.t = terms
        self.problems: list[Problem] = []
        self.unmapped: set[str] = set()

    def text(
        self, node: Any, data: Mapping[str, Any], attr: str, value: Any, suffix: str = ""
    ) -> str:
        """A literal of ``value`` as text, escaped and cleaned; ``suffix``: tag or datatype."""
        if not isinstance(value, str):
            value = str(value)
        if _NEEDS_ESCAPE.search(value) is None:
            return f'"{value}"{suffix}'
        cleaned, lost = clean_text(value)
        if lost:
            self.problem(
                node,
                data,
                "cleaned-text",
                f"{attr}: removed characters XML cannot hold",
                Severity.INFO,
            )
        return f'"{_escape(cleaned)}"{suffix}'

    def url(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        """An IRI term, or None (reported) if ``value`` is not a valid IRI."""
        reason = iri_problem(value)
        if reason is None:
            return f"<{value}>"
        self.problem(
            node, data, "bad-iri", f"{attr}: {value!r} left out: {reason}", Severity.WARNING
        )
        return None

    def number(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        """A boolean, integer or double literal, or None (reported) for anything else."""
        if isinstance(value, bool):
            return f'"{str(value).lower()}"{self.t.boolean}'
        if isinstance(value, int):
            return f'"{value}"{self.t.integer}'
        if isinstance(value, float) and plain(value) is not MISSING:
            return f'"{value!r}"{self.t.double}'
        self.problem(
            node,
            data,
            "bad-number",
            f"{attr}: {value!r} left out: not a finite number",
            Severity.WARNING,
        )
        return None

    def timestamp(self, node: Any, data: Mapping[str, Any], attr: str, value: Any) -> str | None:
        """An ``xsd:dateTime`` or ``xsd:date`` literal, or None (reported)."""
        if isinstance(value, datetime | date):
            value = iso_timestamp(value)
        if isinstance(value, str):
            datatype = self.t.dateTime if TIMESTAMP.fullmatch(value) else None
            datatype = self.t.date if datatype is None and _DATE.fullmatch(value) else datatype
            if datatype is not None and is_real_date(value):
                return f'"{value}"{datatype}'
        self.problem(
            node,
            data,
            "bad-date",
            f"{attr}: {value!r} left out: not an ISO 8601 date",
            Severity.WARNING,
        )
        return None

    def language(self, node: Any, data: Mapping[str, Any]) -> str:
        """The ``@tag`` for a node's text, from its locale ("" if none or not a tag)."""
        locale = data.get("locale")
        if not isinstance(locale, str):
            return ""
        tag = locale.replace("_", "-").lower()
        if _LANGUAGE.fullmatch(tag):
            return f"@{tag}"
        self.problem(
            node,
            data,
            "bad-language",
            f"locale {locale!r} is not a language tag; text is written without one",
            Severity.WARNING,
        )
        return ""

    def problem(
        self, node: Any, data: Mapping[str, Any], code: str, message: str, severity: Severity
    ) -> None:
        self.problems.append(node_problem(str(node), data, code, message, severity))

    def unmapped_once(self, node: Any, data: Mapping[str, Any], what: str) -> None:
        if what not in self.unmapped:
            self.unmapped.add(what)
            self.problem(
                node, data, "unmapped-attribute", f"{what} is not written to RDF", Severity.INFO
            )
