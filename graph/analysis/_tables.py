"""The shared shape of analysis results: a frozen dataclass holding a tuple of row records.

Every result keeps its rows as plain frozen dataclasses, so it prints, pickles and compares
without pandas; :meth:`Table.to_frame` converts when pandas is installed.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Row:
...     name: str
...     tags: tuple[str, ...]
>>> @dataclass(frozen=True)
... class Things(Table):
...     rows: tuple[Row, ...]
>>> Things((Row("a", ("x", "y")),)).to_records()
[{'name': 'a', 'tags': ['x', 'y']}]
"""

from __future__ import annotations

import dataclasses
import html
import importlib
from typing import Any

__all__ = ["Table"]

# Enough rows to recognise a result in a notebook without flooding it.
_HTML_ROWS = 20


class Table:
    """Mixin for result dataclasses that have a ``rows`` field of dataclass records."""

    rows: tuple[Any, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as JSON-friendly dicts (tuples become lists)."""
        return [_plain(dataclasses.asdict(row)) for row in self.rows]

    def to_frame(self) -> Any:
        """The rows as a :class:`pandas.DataFrame`; raises ImportError without pandas."""
        try:
            pd = importlib.import_module("pandas")
        except ImportError as err:
            raise ImportError(
                "to_frame() needs pandas: pip install pandas (or newsgraph[notebooks])"
            ) from err
        columns = [f.name for f in dataclasses.fields(self.rows[0])] if self.rows else None
        return pd.DataFrame(self.to_records(), columns=columns)

    def _repr_html_(self) -> str:
        records = self.to_records()[:_HTML_ROWS]
        if not records:
            return f"<p>{html.escape(type(self).__name__)}: no rows</p>"
        head = "".join(f"<th>{html.escape(k)}</th>" for k in records[0])
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(_short(v))}</td>" for v in r.values()) + "</tr>"
            for r in records
        )
        more = len(self.rows) - len(records)
        tail = f"<p>… {more} more rows</p>" if more > 0 else ""
        return f"<table><tr>{head}</tr>{body}</table>{tail}"


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def _short(value: Any, limit: int = 80) -> str:
    text = "; ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
