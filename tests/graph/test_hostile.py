"""Hostile values (issue 14): nothing is changed without a word, and what reaches each export.

One invented file per class in ``fixtures/identity/hostile``; the folder is built once and
written in the formats that carry values differently (node-link JSON, GraphML, the CSV
tables, N-Triples, the Neo4j bulk CSVs).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import BuildReport, ReadOptions, build_graph, dumps
from newsgraph.graph.model import Problem, Severity

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "identity" / "hostile"
FORMATS = ("json", "graphml", "csv", "nt", "neo4j")


class Built:
    def __init__(self) -> None:
        self.G, self.report = build_graph([HOSTILE], jobs=1)
        self.export_problems: list[Problem] = []
        self.exports = {
            name: _text(dumps(self.G, name, on_problem=self.export_problems.append))
            for name in FORMATS
        }
        self.report_json = json.dumps(self.report.to_dict())

    def entries(self, code: str) -> list[tuple[str, int | None, Severity]]:
        return [(p.path, p.line, p.severity) for p in self.report.problems if p.code == code]

    def problem(self, code: str) -> Problem:
        [found] = [p for p in self.report.problems if p.code == code]
        return found

    def node(self, key: str) -> dict[str, object]:
        return dict(self.G.nodes[f"article:{key}"])

    def everywhere(self, text: str) -> bool:
        return all(text in data for data in self.exports.values())

    def nowhere(self, text: str) -> bool:
        return not any(text in data for data in self.exports.values())


def _text(data: bytes) -> str:
    if data[:2] == b"PK":  # the CSV tables and the bulk CSVs come zipped
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(archive.read(n).decode() for n in sorted(archive.namelist()))
    return data.decode()


@pytest.fixture(scope="module")
def built() -> Built:
    return Built()


def test_null_and_tilde_are_absence_never_text(built: Built) -> None:
    node = built.node("https://hostile.example/nulls")
    assert not {"title", "excerpt", "secured", "category", "locale"} & set(node)
    assert node["label"] == "https://hostile.example/nulls"
    assert built.entries("empty-value")[0] == ("hostile/empty_url.md", 3, Severity.INFO)
    assert ("hostile/nulls.md", 6, Severity.INFO) in built.entries("empty-value")  # locale: ""
    for data in built.exports.values():
        assert '"null"' not in data and ">null<" not in data and ",null," not in data
        assert "~" not in data


def test_control_characters_in_a_url_are_refused_not_deleted(built: Built) -> None:
    assert built.entries("url-control-chars") == [("hostile/control.json", 1, Severity.WARNING)]
    assert built.problem("url-control-chars").column == 2  # the "webUrl" key
    assert built.problem("url-control-chars").before == "https://hostile.example/con\ntrol"
    # the identity falls back to the original URL, and the deleted form is nowhere
    assert built.node("https://hostile.example/fallback")["title"] == "Control characters"
    assert built.nowhere("hostile.example/control")
    assert built.everywhere("hostile.example/fallback")


def test_characters_a_url_cannot_hold_are_encoded_and_reported(built: Built) -> None:
    problem = built.problem("url-repaired")
    assert (problem.path, problem.line, problem.severity) == (
        "hostile/encoded.md",
        3,
        Severity.INFO,
    )
    after = "https://hostile.example/a%20path/%7Bx%7D%7Cy%5Ez?q=%25zz"
    assert (problem.before, problem.after) == (
        "https://hostile.example/a path/{x}|y^z?q=%zz",
        after,
    )
    assert built.everywhere("hostile.example/a%20path/%7Bx%7D%7Cy%5Ez")


def test_credentials_are_masked_in_the_report_and_reach_no_export(built: Built) -> None:
    problem = built.problem("bad-url")
    assert (problem.path, problem.line) == ("hostile/credentials.md", 4)
    assert problem.before == "https://editor:***@hostile.example/private"
    assert built.nowhere("hunter2") and "hunter2" not in built.report_json


def test_empty_url_empty_topics_and_empty_tags_are_reported(built: Built) -> None:
    assert ("hostile/empty_url.md", 3, Severity.INFO) in built.entries("empty-value")
    assert ("hostile/empty_url.md", 6, Severity.INFO) in built.entries("empty-value")
    assert ("hostile/empty_url.md", 3, Severity.INFO) in built.entries("no-web-url")
    node_key = "article:https://hostile.example/empty-url"
    assert [v for _, v, k in built.G.out_edges(node_key, keys=True) if k == "tagged"] == [
        "tag:harbour"
    ]
    assert built.everywhere("hostile.example/empty-url")


def test_a_scalar_where_a_list_or_a_mapping_is_meant_is_kept_and_reported(built: Built) -> None:
    assert built.entries("scalar-as-list") == [("hostile/scalars.md", 4, Severity.INFO)]
    assert built.entries("scalar-provider") == [("hostile/scalars.md", 5, Severity.INFO)]
    assert built.G.nodes["topic:politics"]["label"] == "Politics"
    assert built.G.nodes["provider:hostile.example"]["label"] == "Gazette of Nowhere"
    assert built.everywhere("Gazette of Nowhere") and built.everywhere("Politics")


def test_a_provider_domain_with_a_path_is_reduced_and_reported(built: Built) -> None:
    problem = built.problem("domain-repaired")
    assert (problem.path, problem.line) == ("hostile/domain_path.md", 6)
    assert (problem.before, problem.after) == (
        "coastwire.example/world/europe",
        "coastwire.example",
    )
    assert "provider:coastwire.example" in built.G
    assert built.nowhere("coastwire.example/world")


def test_a_second_yaml_document_in_the_front_matter_is_an_error(built: Built) -> None:
    assert built.entries("frontmatter-several-documents") == [
        ("hostile/second_document.md", 3, Severity.ERROR)
    ]
    assert built.report.exit_code == 1
    assert built.nowhere("second-document")


def test_naive_timestamps_are_kept_as_utc_with_a_warning(built: Built) -> None:
    assert built.entries("naive-timestamp") == [("hostile/naive_time.md", 4, Severity.WARNING)]
    assert built.entries("timestamp-repaired") == [("hostile/naive_time.md", 5, Severity.INFO)]
    node = built.node("https://hostile.example/naive")
    assert (node["published"], node["updated"]) == (
        "2024-07-01T12:30:00Z",
        "2024-07-01T12:30:00.123456Z",
    )
    assert built.everywhere("2024-07-01T12:30:00")


def test_an_integer_beyond_64_bits_is_text_in_typed_columns(built: Built) -> None:
    big = "123456789012345678901234567890"
    assert built.node("https://hostile.example/big-number")["quality"] == int(big)
    [problem] = {
        (p.path, p.line, p.code) for p in built.export_problems if p.code == "integer-too-large"
    }
    assert problem == ("hostile/big_number.md", None, "integer-too-large")
    graphml = built.exports["graphml"]
    assert 'attr.name="quality" attr.type="string"' in graphml and f">{big}<" in graphml
    assert built.everywhere(big)


def test_spreadsheet_cells_are_neutralised_and_bulk_csvs_stay_exact(built: Built) -> None:
    csv = built.exports["csv"]
    assert "'=HYPERLINK(" in csv and "'@SUM(1+1)" in csv
    assert ",-1," in csv or ",-1\r" in csv  # a number is never touched
    assert "'=HYPERLINK(" not in built.exports["neo4j"] and "=HYPERLINK(" in built.exports["neo4j"]
    assert any(p.code == "csv-formula-neutralised" for p in built.export_problems)


def test_spellings_that_fold_into_one_name_are_reported(built: Built) -> None:
    assert built.entries("names-folded") == [("hostile/folded.md", 4, Severity.INFO)]
    assert built.G.nodes["topic:ai"]["names"] == ["AI", "ai"]


def test_limits_on_related_items_and_lists_are_reported(tmp_path: Path) -> None:
    related = "".join(f"  - webUrl: https://limits.example/r{n}\n" for n in range(30))
    topics = "".join(f"  - Topic {n}\n" for n in range(20))
    (tmp_path / "many.md").write_text(
        f"---\nwebUrl: https://limits.example/a\ntopics:\n{topics}related:\n{related}---\n"
    )
    G, report = build_graph(
        [tmp_path], jobs=1, options=ReadOptions(max_related=10, max_list_items=5)
    )
    assert [(p.line, p.message.split(":")[0]) for p in report.problems] == [
        (3, "topics"),
        (24, "related"),
    ]
    assert {p.code for p in report.problems} == {"too-many-items"}
    assert sum(1 for *_, k in G.edges(keys=True) if k == "related_to") == 10
    assert sum(1 for _, k in G.nodes(data="kind") if k == "topic") == 5


def test_every_problem_of_the_hostile_files_has_a_file_a_line_and_a_stable_code(
    built: Built,
) -> None:
    report: BuildReport = built.report
    assert report.problems
    for problem in report.problems:
        assert problem.path.startswith("hostile/") and problem.line is not None, problem
        assert problem.code.replace("-", "").isalpha()
    assert isinstance(built.G, nx.MultiDiGraph)


def test_keys_that_are_not_text_are_kept_as_text_and_reported(built: Built) -> None:
    assert built.entries("key-not-text") == [
        ("hostile/keys.md", 4, Severity.INFO),
        ("hostile/keys.md", 5, Severity.INFO),
    ]
    assert built.node("https://hostile.example/keys")["extra"] == {"1": "one", "true": "yes"}
