"""The build report: what was read, what went wrong, what was merged, what came out.

It holds no timings, so the same input always gives the same report.

>>> r = BuildReport(files_read=2, files_failed=1)
>>> r.exit_code, r.to_dict()["files"]
(1, {'read': 2, 'failed': 1})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from newsgraph.graph.building.identity import AliasConflict
from newsgraph.graph.model import Problem, Severity

__all__ = ["BuildReport"]


@dataclass(frozen=True)
class BuildReport:
    """Counts and problems of one build (see :meth:`to_dict` for the JSON form)."""

    files_read: int = 0
    files_failed: int = 0
    primary_records: int = 0
    related_records: int = 0
    articles: int = 0
    primary_articles: int = 0
    stub_articles: int = 0
    duplicate_documents: int = 0
    merged_observations: int = 0
    alias_merges: int = 0
    url_variant_merges: int = 0
    alias_conflicts: int = 0
    alias_conflict_list: tuple[AliasConflict, ...] = ()
    not_articles: int = 0
    self_links_dropped: int = 0
    conflicts: dict[str, int] = field(default_factory=dict)
    related_conflicts: dict[str, int] = field(default_factory=dict)
    nodes_by_kind: dict[str, int] = field(default_factory=dict)
    edges_by_kind: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    @property
    def problems_by_code(self) -> dict[str, int]:
        """How many problems of each code, by code."""
        return dict(sorted(Counter(p.code for p in self.problems).items()))

    @property
    def problems_by_severity(self) -> dict[str, int]:
        """How many errors, warnings and repairs (info)."""
        counts = Counter(str(p.severity) for p in self.problems)
        return {str(s): counts.get(str(s), 0) for s in Severity}

    @property
    def exit_code(self) -> int:
        """0 when every input was read whole, 1 when something was skipped."""
        skipped = self.files_failed or any(p.severity is Severity.ERROR for p in self.problems)
        return 1 if skipped else 0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready, deterministic form (problems sorted by location)."""
        return {
            "files": {"read": self.files_read, "failed": self.files_failed},
            "records": {
                "primary": self.primary_records,
                "related": self.related_records,
                "not_articles": self.not_articles,
            },
            "articles": {
                "total": self.articles,
                "primary": self.primary_articles,
                "stubs": self.stub_articles,
            },
            "merges": {
                "duplicate_documents": self.duplicate_documents,
                "merged_observations": self.merged_observations,
                "alias_merges": self.alias_merges,
                "url_variant_merges": self.url_variant_merges,
                "alias_conflicts": self.alias_conflicts,
                "alias_conflict_list": [c.to_dict() for c in self.alias_conflict_list],
                "self_links_dropped": self.self_links_dropped,
            },
            "conflicts": {"primary": self.conflicts, "related": self.related_conflicts},
            "nodes": self.nodes_by_kind,
            "edges": self.edges_by_kind,
            "problems": {
                "by_severity": self.problems_by_severity,
                "by_code": self.problems_by_code,
                "items": [
                    {
                        "path": p.path,
                        "line": p.line,
                        "column": p.column,
                        "code": p.code,
                        "severity": str(p.severity),
                        "message": p.message,
                        "before": p.before,
                        "after": p.after,
                    }
                    for p in sorted(self.problems)
                ],
            },
        }

    def summary(self) -> str:
        """A few lines for people."""
        nodes = ", ".join(f"{n} {k}" for k, n in self.nodes_by_kind.items())
        edges = ", ".join(f"{n} {k}" for k, n in self.edges_by_kind.items())
        sev = self.problems_by_severity
        return "\n".join(
            [
                f"files: {self.files_read} read, {self.files_failed} failed",
                (
                    f"articles: {self.articles} ({self.primary_articles} from documents, "
                    f"{self.stub_articles} only as related links); {self.duplicate_documents} duplicate "
                    f"documents, {self.alias_merges} AMP/alias merges, "
                    f"{self.url_variant_merges} URL-variant merges"
                ),
                f"nodes: {nodes}",
                f"edges: {edges}",
                f"problems: {sev['error']} errors, {sev['warning']} warnings, {sev['info']} repairs",
            ]
        )

    def __str__(self) -> str:
        return self.summary()

    def to_frame(self) -> Any:
        """The problems as a pandas DataFrame (one row a problem; needs pandas)."""
        try:
            import pandas as pd
        except ImportError as err:
            raise ImportError("BuildReport.to_frame() needs pandas: pip install pandas") from err
        columns = ["path", "line", "column", "code", "severity", "message", "before", "after"]
        return pd.DataFrame(self.to_dict()["problems"]["items"], columns=columns)

    def _repr_html_(self) -> str:
        from html import escape

        rows = "".join(
            f"<tr><th style='text-align:left'>{escape(line.split(':', 1)[0])}</th>"
            f"<td style='text-align:left'>{escape(line.split(':', 1)[1])}</td></tr>"
            for line in self.summary().splitlines()
        )
        return f"<table><caption>newsgraph build report</caption>{rows}</table>"
