"""Tests for newsgraph.graph.reading.documents: forms detected by content, bytes made safe to parse."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.graph.errors import DocumentError
from newsgraph.graph.model import Severity
from newsgraph.graph.reading.documents import parse_document
from newsgraph.graph.reading.normalize import to_article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _parse(
    data: bytes, name: str = "f"
) -> tuple[list[tuple[dict[str, Any], int | None]], list[Any]]:
    items, problems = parse_document(name, data)
    return [(dict(m), line) for m, line in items], problems


def _error(data: bytes) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        parse_document("f", data)
    return caught.value


def _fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- forms ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "urls", "lines"),
    [
        ("forms/front_matter.txt", ["https://forms.example/front-matter-txt"], [2]),
        ("forms/front_matter.md", ["https://forms.example/front-matter-md"], [2]),
        ("forms/one_article.yaml", ["https://forms.example/one-article-yaml"], [1]),
        (
            "forms/article_list.yaml",
            ["https://forms.example/list-yaml-1", "https://forms.example/list-yaml-2"],
            [1, 4],
        ),
        ("forms/one_article.json", ["https://forms.example/one-article-json"], [1]),
        (
            "forms/article_list.json",
            ["https://forms.example/list-json-1", "https://forms.example/list-json-2"],
            [2, 3],
        ),
        (
            "forms/api_response.json",
            ["https://forms.example/api-1", "https://forms.example/api-2"],
            [5, 8],
        ),
        (
            "forms/paged.json",
            ["https://forms.example/paged-1", "https://forms.example/paged-2"],
            [2, 3],
        ),
    ],
)
def test_every_form_is_detected_by_content(
    name: str, urls: list[str], lines: list[int | None]
) -> None:
    items, problems = _parse(_fixture(name), name)
    assert [m["webUrl"] for m, _ in items] == urls
    assert [line for _, line in items] == lines
    assert problems == []


def test_the_extension_does_not_decide_the_form() -> None:
    # front matter in a .json file, JSON in a .md file, YAML in a .txt file
    assert _parse(b"---\ntitle: a\n---\n", "x.json")[0] == [({"title": "a"}, 2)]
    assert _parse(b'{"title": "a"}', "x.md")[0] == [({"title": "a"}, 1)]
    assert _parse(b"title: a\n", "x.txt")[0] == [({"title": "a"}, 1)]


def test_a_front_matter_body_is_kept() -> None:
    [(mapping, _)], _ = _parse(_fixture("forms/front_matter.txt"))
    assert mapping["body"] == "A short **Markdown** body that is kept on the article."
    [(mapping, _)], _ = _parse(_fixture("forms/front_matter.md"))
    assert mapping["body"] == "<p>An HTML body.</p>"


def test_front_matter_may_close_with_dots() -> None:
    assert _parse(b"---\ntitle: a\n...\nbody\n")[0] == [({"title": "a", "body": "body"}, 2)]


def test_only_the_first_closing_line_ends_the_front_matter() -> None:
    items, _ = _parse(b"---\ntitle: a\n---\nbody\n---\nmore\n")
    assert items[0][0]["body"] == "body\n---\nmore"


def test_api_response_and_paged_list_unwrap_their_articles() -> None:
    items, _ = _parse(_fixture("forms/api_response.json"))
    assert [m["title"] for m, _ in items] == [
        "Clinic extends its weekend hours",
        "School garden wins a county prize",
    ]
    assert "location" not in items[0][0]
    items, _ = _parse(_fixture("forms/paged.json"))
    assert len(items) == 2 and "nextPage" not in items[0][0]


def test_an_envelope_key_that_is_not_a_list_is_an_ordinary_field() -> None:
    items, _ = _parse(b'{"webUrl": "https://x.example/a", "news": "yes"}')
    assert items == [({"webUrl": "https://x.example/a", "news": "yes"}, 1)]


def test_json_lines_keep_the_good_lines_and_report_the_broken_one() -> None:
    items, problems = _parse(_fixture("forms/articles.jsonl"), "articles.jsonl")
    assert [(m["webUrl"], line) for m, line in items] == [
        ("https://forms.example/jsonl-1", 1),
        ("https://forms.example/jsonl-3", 3),
    ]
    [problem] = problems
    assert (problem.code, problem.line, problem.severity) == ("json-syntax", 2, Severity.ERROR)
    assert problem.column is not None


def test_json_lines_with_a_broken_first_line_are_still_json_lines() -> None:
    items, problems = _parse(_fixture("forms/first_line_broken.jsonl"))
    assert [line for _, line in items] == [2, 3]
    assert [(p.code, p.line) for p in problems] == [("json-syntax", 1)]


def test_a_broken_pretty_printed_json_object_is_one_error_at_its_line() -> None:
    err = _error(_fixture("rejected/broken.json"))
    assert (err.code, err.line, err.column) == ("json-syntax", 4, 3)


# -- bytes ---------------------------------------------------------------------------------------


def test_a_bom_is_dropped() -> None:
    data = _fixture("quirks/bom.md")
    assert data.startswith(b"\xef\xbb\xbf---\n")
    [(mapping, line)], problems = _parse(data)
    assert mapping["title"] == "A file that starts with a byte-order mark" and line == 2
    assert [(p.code, p.line, p.severity) for p in problems] == [("bom-removed", 1, Severity.INFO)]


def test_a_bom_before_json_is_dropped() -> None:
    assert _parse(b'\xef\xbb\xbf{"title": "a"}')[0] == [({"title": "a"}, 1)]


def test_crlf_line_endings_are_read_and_lines_still_count() -> None:
    data = _fixture("quirks/crlf.md")
    assert b"\r\n" in data
    items, problems = parse_document("crlf.md", data)
    [(mapping, line)] = items
    assert mapping["title"] == "Windows line endings" and line == 2
    assert mapping["body"] == "A body line."
    assert mapping.lines["publishedDateTime"] == 5  # type: ignore[attr-defined]
    assert problems == []


def test_lone_carriage_returns_count_as_line_breaks() -> None:
    items, _ = parse_document("f", b"---\rtitle: a\rwebUrl: b\r---\r")
    assert dict(items[0][0]) == {"title": "a", "webUrl": "b"}
    assert items[0][0].lines == {"title": 2, "webUrl": 3}  # type: ignore[attr-defined]


def test_raw_c1_and_c0_controls_survive_parsing_for_the_text_repair() -> None:
    data = _fixture("quirks/c1_title.md")
    assert b"\xc2\x80" in data and b"\x07" in data  # U+0080 and BEL, raw in the file
    [(mapping, line)], problems = _parse(data)
    assert mapping["title"] == "Harbour plan \u00e2\u0080\u0094 what\u00e2\u0080\u0099s next\u0007"
    assert mapping["webUrl"] == "https://quirks.example/c1"
    assert line == 2 and problems == []


@pytest.mark.parametrize("control", ["\x01", "\x1b", "\x7f", "\x85", "\x9f"])
def test_every_control_character_is_kept_in_quoted_and_plain_text(control: str) -> None:
    data = f'---\ntitle: "a{control}b"\nexcerpt: c{control}d\nwebUrl: u\n---\n'.encode()
    [(mapping, _)], _ = _parse(data)
    assert (mapping["title"], mapping["excerpt"], mapping["webUrl"]) == (
        f"a{control}b",
        f"c{control}d",
        "u",
    )


def test_tabs_and_newlines_are_not_mistaken_for_controls() -> None:
    data = b'---\ntitle: "a\\tb"\nexcerpt: |\n  one\n  two\nnote: "\x01"\n---\n'
    [(mapping, _)], _ = _parse(data)
    assert mapping["title"] == "a\tb"
    assert mapping["excerpt"] == "one\ntwo\n"


def test_invalid_utf8_is_replaced_and_reported_at_its_line() -> None:
    [(mapping, _)], problems = _parse(_fixture("quirks/invalid_utf8.md"))
    assert mapping["excerpt"] == "Caf\ufffd reopens on the pier"
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("invalid-utf8", 4, Severity.WARNING)
    ]


# -- rejections ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "line"),
    [
        ("rejected/anchors.md", "yaml-alias", 2),
        ("rejected/duplicate_key.md", "yaml-duplicate-key", 4),
        ("rejected/python_tag.yaml", "yaml-tag", 3),
        ("rejected/deep.yaml", "yaml-too-deep", 3),
        ("rejected/unclosed.md", "frontmatter-unclosed", 1),
        ("rejected/empty.md", "empty-file", None),
        ("rejected/prose.txt", "unknown-form", 1),
        ("rejected/broken.json", "json-syntax", 4),
        ("rejected/yaml_syntax.md", "yaml-syntax", 5),
    ],
)
def test_each_rejected_fixture_is_one_error_at_its_file_line(
    name: str, code: str, line: int | None
) -> None:
    err = _error(_fixture(name))
    assert (err.code, err.line) == (code, line)
    assert err.problem().severity is Severity.ERROR


def test_the_python_tag_never_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Any] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a))
    _error(_fixture("rejected/python_tag.yaml"))
    assert calls == []


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"],
    ids=["empty", "blank", "bom", "bom-crlf"],
)
def test_empty_files_are_rejected(data: bytes) -> None:
    assert _error(data).code == "empty-file"


@pytest.mark.parametrize(
    "data",
    [b"---\n- a\n- b\n---\n", b"---\n---\n", b"---\njust text\n---\n"],
    ids=["list", "nothing", "scalar"],
)
def test_front_matter_that_is_not_a_mapping_is_rejected(data: bytes) -> None:
    err = _error(data)
    assert (err.code, err.line) == ("not-a-mapping", 2)


@pytest.mark.parametrize("data", [b'"just a string"', b"42\n", b"plain words\n"])
def test_documents_that_are_no_articles_are_rejected(data: bytes) -> None:
    assert _error(data).code == "unknown-form"


@pytest.mark.parametrize(
    "data",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a": ' * 100_000 + b"1" + b"}" * 100_000,
        b"[" * 100_000,
        b'{"news": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
    ids=["arrays", "objects", "unclosed", "envelope"],
)
def test_100k_deep_json_is_an_error_not_a_crash(data: bytes) -> None:
    assert _error(data).code == "json-too-deep"


def test_a_100k_deep_json_line_is_reported_and_the_other_lines_kept() -> None:
    data = b'{"title": "a"}\n' + b"[" * 100_000 + b"]" * 100_000 + b'\n{"title": "c"}\n'
    items, problems = _parse(data)
    assert [m["title"] for m, _ in items] == ["a", "c"]
    assert [(p.code, p.line) for p in problems] == [("json-too-deep", 2)]


def test_100k_deep_yaml_in_front_matter_is_an_error_not_a_crash() -> None:
    data = b"---\ntitle: x\nextra: " + b"[" * 100_000 + b"]" * 100_000 + b"\n---\n"
    err = _error(data)
    assert (err.code, err.line) == ("yaml-too-deep", 3)


# -- no input crashes the reader -------------------------------------------------------------------

_YAMLISH = st.text(
    st.sampled_from(list("-:[]{}&*!|>'\"#%@`?,\n\t \\x0aZ\u0085\u00e2\u20ac\ufeff\r\x00")),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.binary(max_size=200), _YAMLISH.map(str.encode)))
def test_any_bytes_give_items_or_a_document_error(data: bytes) -> None:
    for wrapped in (data, b"---\n" + data + b"\n---\n", b"[" + data + b"]"):
        try:
            items, problems = parse_document("f", wrapped)
        except DocumentError as err:
            assert err.code and err.path == "f"  # noqa: PT017 -- either outcome is fine
        else:
            assert all(isinstance(line, int | None) for _, line in items)
            assert all(p.path == "f" for p in problems)


_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
_FIELDS = st.sampled_from(
    [
        "title",
        "excerpt",
        "webUrl",
        "ampWebUrl",
        "originalUrl",
        "publishedDateTime",
        "heat",
        "quality",
        "published",
        "provider",
        "topics",
        "tags",
        "images",
        "related",
        "secured",
        "path",
    ]
)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(_FIELDS, _JSONISH, max_size=6))
def test_any_json_article_is_read_or_reported(article: dict[str, Any]) -> None:
    data = json.dumps({"webUrl": "https://fuzz.example/a", **article}, allow_nan=True)
    [(mapping, line)], problems = parse_document("f.json", data.encode())
    result = to_article(mapping, "f.json", line, problems)
    assert result is not None or any(
        p.severity is Severity.ERROR or p.code == "not-an-article" for p in problems
    )
    sorted(problems)  # problems with and without lines sort together


def test_json_duplicate_keys_are_rejected_not_silently_last_wins() -> None:
    with pytest.raises(DocumentError) as caught:
        parse_document("dup.json", b'{"title": "one", "title": "two"}')
    assert caught.value.code == "json-duplicate-key"


def test_json_lines_duplicate_key_reports_the_line_and_keeps_the_rest() -> None:
    items, problems = parse_document("dup.jsonl", b'{"title": "a"}\n{"title": "b", "title": "c"}\n')
    assert [dict(m) for m, _ in items] == [{"title": "a"}]
    assert [(p.code, p.line) for p in problems] == [("json-duplicate-key", 2)]
