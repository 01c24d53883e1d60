"""Tests for newsgraph.graph.reading.safeyaml: safe, exact YAML with file lines, no tags, no aliases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newsgraph.graph.errors import DocumentError
from newsgraph.graph.reading import safeyaml
from newsgraph.graph.reading.documents import parse_document
from newsgraph.graph.reading.safeyaml import LineMap, Plain, load_yaml, resolve_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _resolved(value: Any) -> Any:
    """Type every plain scalar, as the field normalisers do."""
    if isinstance(value, dict):
        return {k: _resolved(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolved(v) for v in value]
    return resolve_plain(value)


def _rejection(text: str, **kwargs: Any) -> DocumentError:
    with pytest.raises(DocumentError) as caught:
        load_yaml(text, path="f.yaml", **kwargs)
    return caught.value


# -- values ------------------------------------------------------------------------------------


def test_scalars_keep_their_exact_text() -> None:
    data = load_yaml(
        "secured: 0012345\n"
        "when: 2020-06-11T12:58:00Z\n"
        "octal: 0o17\n"
        "yes_word: yes\n"
        "quoted_null: 'null'\n"
        "version: 1.10\n"
    )
    assert data == {
        "secured": "0012345",
        "when": "2020-06-11T12:58:00Z",
        "octal": "0o17",
        "yes_word": "yes",
        "quoted_null": "null",
        "version": "1.10",
    }
    assert all(isinstance(v, str) for v in data.values())


def test_plain_scalars_are_marked_and_quoted_ones_are_not() -> None:
    data = load_yaml("a: null\nb: 'null'\nc: \"null\"\nd: |\n  null\n")
    assert [type(data[k]) is Plain for k in "abcd"] == [True, False, False, False]
    assert [resolve_plain(data[k]) for k in "abcd"] == [None, "null", "null", "null\n"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("~", None),
        ("", None),
        ("Null", None),
        ("true", True),
        ("FALSE", False),
        ("42", 42),
        ("-7", -7),
        ("0", 0),
        ("3.25", 3.25),
        ("-1.5e3", -1500.0),
        # YAML 1.1 would make these a number, a boolean or a date; they stay text
        ("0012345", "0012345"),
        ("007", "007"),
        ("yes", "yes"),
        ("off", "off"),
        ("2020-06-11", "2020-06-11"),
        ("1_000", "1_000"),
        ("0x1F", "0x1F"),
    ],
)
def test_resolve_plain_follows_the_yaml_1_2_core_schema(text: str, value: Any) -> None:
    assert resolve_plain(Plain(text)) == value
    assert type(resolve_plain(Plain(text))) is type(value)


def test_resolve_plain_leaves_quoted_text_alone() -> None:
    assert resolve_plain("42") == "42"
    assert resolve_plain(["x"]) == ["x"]


def test_mappings_know_the_file_line_of_each_key() -> None:
    data = load_yaml(
        "title: a\n\nprovider:\n  name: b\n  domain: c\nlist:\n  - x: 1\n", first_line=2
    )
    assert isinstance(data, LineMap)
    assert data.line == 2
    assert data.lines == {"title": 2, "provider": 4, "list": 7}
    assert data["provider"].lines == {"name": 5, "domain": 6}
    assert data["list"][0].line == 8


def test_a_second_document_is_an_error_not_a_silent_loss() -> None:
    with pytest.raises(DocumentError) as caught:
        load_yaml("a: 1\n---\nb: 2\n", path="two.yaml")
    assert (caught.value.code, caught.value.line) == ("yaml-several-documents", 2)


def test_an_empty_document_is_none() -> None:
    assert load_yaml("") is None
    assert load_yaml("# only a comment\n") is None


# -- rejections -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # scalar anchor and alias
        "a: &x [1, 2]\nb: *x\n",  # collection anchor
        "a: &x {k: v}\n",  # an anchor alone is refused too
        "base: &b {k: v}\nother:\n  <<: *b\n",  # merge keys need aliases
    ],
)
def test_anchors_and_aliases_are_rejected(text: str) -> None:
    err = _rejection(text)
    assert err.code == "yaml-alias"
    assert err.line is not None and err.column is not None


def test_a_billion_laughs_is_rejected_before_it_expands() -> None:
    lol = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    assert _rejection(lol).code == "yaml-alias"


def test_duplicate_keys_are_rejected_at_the_second_key() -> None:
    err = _rejection("title: one\nwebUrl: u\ntitle: two\n", first_line=2)
    assert (err.code, err.line, err.column) == ("yaml-duplicate-key", 4, 1)
    assert "title" in err.message


def test_duplicate_keys_in_nested_mappings_are_rejected() -> None:
    assert _rejection("provider:\n  name: a\n  name: b\n").code == "yaml-duplicate-key"


@pytest.mark.parametrize("text", ["? [a, b]\n: c\n", "{a: 1}: c\n", "? {a: 1}\n: c\n"])
def test_non_scalar_keys_are_rejected(text: str) -> None:
    assert _rejection(text).code == "yaml-complex-key"


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo no']\n",
        "a: !!python/name:os.system\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!str 12\n",  # even standard tags are not honoured
        "a: !!set {x, y}\n",
        "a: !local value\n",
        "!!map {a: 1}\n",
        "a: !!seq [1]\n",
    ],
)
def test_tags_are_rejected_and_never_constructed(text: str) -> None:
    err = _rejection(text)
    assert err.code == "yaml-tag"
    assert err.line == 1


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 17 + "]" * 17 + "\n",
        "a: " + "{b: " * 17 + "c" + "}" * 17 + "\n",
        "".join("  " * i + f"k{i}:\n" for i in range(17)) + "  " * 17 + "v\n",
        "- " * 18 + "x\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings", "compact-sequences"],
)
def test_nesting_deeper_than_the_limit_is_rejected(text: str) -> None:
    assert _rejection(text).code == "yaml-too-deep"


def test_nesting_up_to_the_limit_is_read() -> None:
    data = load_yaml("a: " + "[" * 15 + "x" + "]" * 15 + "\n")  # 16 levels with the mapping
    for _ in range(16):
        data = data["a"] if isinstance(data, dict) else data[0]
    assert data == "x"


def test_the_depth_limit_is_configurable() -> None:
    assert _rejection("a: [[x]]\n", max_depth=2).code == "yaml-too-deep"
    assert load_yaml("a: [x]\n", max_depth=2) == {"a": ["x"]}


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "a: " + "[" * 100_000 + "\n",  # unclosed as well
        "a: " + "{b: " * 100_000 + "c" + "}" * 100_000 + "\n",
        "- " * 100_000 + "x\n",
    ],
    ids=["flow", "unclosed-flow", "flow-mappings", "compact"],
)
def test_100k_deep_nesting_does_not_crash(text: str) -> None:
    assert _rejection(text).code == "yaml-too-deep"


def test_syntax_errors_carry_the_file_line_and_column() -> None:
    err = _rejection("title: ok\ntopics: [a, b\nother: x\n", first_line=2)
    assert err.code == "yaml-syntax"
    assert err.line is not None and err.line >= 3
    assert err.column is not None


def test_errors_name_the_path_in_their_message() -> None:
    assert str(_rejection("a: 1\na: 2\n")).startswith("f.yaml:2:1: ")


# -- libyaml and the pure parser agree ----------------------------------------------------------


def _outcome(text: str) -> Any:
    try:
        data = load_yaml(text, path="f", first_line=2)
    except DocumentError as err:
        return ("error", err.code, err.line)
    return ("ok", _resolved(data), _lines(data))


def _lines(value: Any) -> Any:
    if isinstance(value, LineMap):
        return [value.line, value.lines, [_lines(v) for v in value.values()]]
    if isinstance(value, list):
        return [_lines(v) for v in value]
    return None


def _fixture_files() -> list[Path]:
    return [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and not p.name.startswith(".")]


def _document_outcome(path: Path) -> Any:
    """What the reader makes of a fixture file (YAML goes through load_yaml)."""
    try:
        items, problems = parse_document(path.name, path.read_bytes())
    except DocumentError as err:
        return ("error", err.code, err.line, err.column)
    return ("ok", [(_resolved(m), line, _lines(m)) for m, line in items], problems)


@pytest.mark.skipif(not hasattr(yaml, "CBaseLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "path", _fixture_files(), ids=[str(p.relative_to(FIXTURES)) for p in _fixture_files()]
)
def test_libyaml_and_the_pure_parser_agree_on_every_fixture(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _document_outcome(path)
    monkeypatch.setattr(safeyaml, "_Parser", yaml.BaseLoader)
    assert _document_outcome(path) == fast


@pytest.mark.skipif(not hasattr(yaml, "CBaseLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\n",
        "a: 1\na: 2\n",
        "a: !!python/object:x {}\n",
        "a: " + "[" * 5000 + "\n",
        # Deeper than libyaml's own limit (1000), on many lines: the line must still agree.
        "".join("  " * i + f"k{i}:\n" for i in range(1200)) + "  " * 1200 + "v\n",
        "a: [x\n",
        "- a\n- b: c\n  d: e\n",
    ],
    ids=["anchor", "duplicate", "tag", "deep", "deep-lines", "unclosed", "fine"],
)
def test_libyaml_and_the_pure_parser_agree_on_rejections(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _outcome(text)
    monkeypatch.setattr(safeyaml, "_Parser", yaml.BaseLoader)
    assert _outcome(text) == fast


def test_the_fixture_files_reach_the_parser() -> None:
    # Guards the parametrisation above against an empty or moved fixture folder.
    names = [str(p.relative_to(FIXTURES)) for p in _fixture_files()]
    assert len(names) >= 25
    assert "seedlike/000_3b7e2d9a41c05f68.txt" in names


@pytest.mark.parametrize("parser", ["CBaseLoader", "BaseLoader"])
def test_raw_control_characters_are_a_document_error_with_either_parser(
    parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not hasattr(yaml, parser):
        pytest.skip("PyYAML built without libyaml")
    monkeypatch.setattr(safeyaml, "_Parser", getattr(yaml, parser))
    assert _rejection('title: "x\x80y"\n').code == "yaml-syntax"


# -- properties ----------------------------------------------------------------------------------

_KEYS = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8
)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
_TREES = st.recursive(
    _TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(_KEYS, _TREES, max_size=5))
def test_quoted_text_round_trips_exactly(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, default_style='"', allow_unicode=False)
    assert load_yaml(text) == data


# Words cannot be read as numbers; safe_dump quotes every word YAML 1.1 would type (yes, Null
# ...), and those include every word the 1.2 core schema types, so words come back as text.
_WORDS = st.text(st.characters(categories=("L", "Zs")), max_size=12)
_SCALARS = st.one_of(st.integers(), st.booleans(), st.none(), _WORDS)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(
        _WORDS.filter(bool), st.one_of(_SCALARS, st.lists(_SCALARS, max_size=4)), max_size=6
    )
)
def test_safe_dump_output_reads_back_typed(data: dict[str, Any]) -> None:
    assert _resolved(load_yaml(yaml.safe_dump(data, allow_unicode=True))) == data


def test_front_matter_errors_point_into_the_file() -> None:
    data = b"---\ntitle: ok\nwebUrl: u\ntitle: again\n---\n"
    with pytest.raises(DocumentError) as caught:
        parse_document("f.md", data)
    assert (caught.value.code, caught.value.line) == ("yaml-duplicate-key", 4)
