"""Tests for newsgraph.graph.reading: safe file discovery, and files read into normalised articles."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsgraph import Article, Problem, ReadOptions, Severity, iter_records, load_records, read_file
from newsgraph.graph.reading import iter_files
from newsgraph.graph.reading.files import read_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"

ARTICLE = "---\ntitle: {title}\nwebUrl: https://read.example/{slug}\n---\n"


def _write(path: Path, title: str = "Pier", slug: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(ARTICLE.format(title=title, slug=slug or path.stem), encoding="utf-8")
    return path


def _one(path: Path, options: ReadOptions | None = None) -> tuple[Article, list[Problem]]:
    articles, problems = read_file(path, options or ReadOptions())
    assert len(articles) == 1, problems
    return articles[0], problems


def _codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# -- discovery -----------------------------------------------------------------------------------


def test_folders_are_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    for name in ("b.md", "a/z.md", "a/b/c.json", "C.md", "a.md"):
        _write(tmp_path / name)
    found = [str(p.relative_to(tmp_path)) for p, refusal in iter_files([tmp_path])]
    assert found == ["C.md", "a/b/c.json", "a/z.md", "a.md", "b.md"]


def test_inputs_are_taken_in_the_order_given(tmp_path: Path) -> None:
    b, a = _write(tmp_path / "b.md"), _write(tmp_path / "a.md")
    assert [p for p, _ in iter_files([b, a])] == [b, a]


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    _write(tmp_path / ".draft.md")
    _write(tmp_path / ".git" / "x.md")
    _write(tmp_path / "seen.md")
    assert [p.name for p, _ in iter_files([tmp_path])] == ["seen.md"]


def test_a_missing_input_is_reported(tmp_path: Path) -> None:
    [(path, refusal)] = list(iter_files([tmp_path / "nowhere"]))
    assert path == tmp_path / "nowhere"
    assert refusal is not None and refusal.code == "not-found"


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)  # opening it for reading would block forever: the test would hang
    _write(tmp_path / "real.md")
    refusals = {p.name: r for p, r in iter_files([tmp_path])}
    assert refusals["pipe.md"] is not None and refusals["pipe.md"].code == "not-regular-file"
    assert refusals["real.md"] is None
    articles, problems = load_records([fifo])  # also when given by name
    assert articles == [] and _codes(problems) == ["not-regular-file"]


def test_a_symlink_leading_outside_the_root_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "root"
    secret = _write(tmp_path / "outside" / "secret.md", title="Secret")
    (root / "sub").mkdir(parents=True)
    (root / "escape.md").symlink_to(secret)
    (root / "sub" / "up.md").symlink_to(Path("..") / ".." / "outside" / "secret.md")
    (root / "outdir").symlink_to(tmp_path / "outside", target_is_directory=True)
    articles, problems = load_records([root])
    assert articles == []
    assert sorted((Path(p.path).name, p.code) for p in problems) == [
        ("escape.md", "symlink-escape"),
        ("outdir", "symlink-escape"),
        ("up.md", "symlink-escape"),
    ]
    assert all(p.severity is Severity.ERROR for p in problems)


def test_a_symlink_inside_the_root_is_read(tmp_path: Path) -> None:
    real = _write(tmp_path / "articles" / "real.md", title="Real")
    (tmp_path / "link.md").symlink_to(real)
    (tmp_path / "again").symlink_to(tmp_path / "articles", target_is_directory=True)
    articles, problems = load_records([tmp_path])
    assert problems == []
    # the linked file is read (same article twice); the linked folder is not walked twice
    assert sorted(a.source for a in articles) == [
        f"{tmp_path.name}/articles/real.md",
        f"{tmp_path.name}/link.md",
    ]


def test_a_dangling_symlink_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gone.md").symlink_to(tmp_path / "missing.md")
    _, problems = load_records([tmp_path])
    assert [Path(p.path).name for p in problems] == ["gone.md"]
    assert problems[0].severity is Severity.ERROR


def test_a_file_over_the_size_cap_is_refused_from_stat(tmp_path: Path) -> None:
    big = _write(tmp_path / "big.md", title="x" * 500)
    small = _write(tmp_path / "small.md")
    options = ReadOptions(max_file_bytes=200)
    articles, problems = load_records([tmp_path], options)
    assert [a.source for a in articles] == [f"{tmp_path.name}/{small.name}"]
    [problem] = problems
    assert (problem.path, problem.code) == (f"{tmp_path.name}/{big.name}", "file-too-large")
    assert str(big.stat().st_size) in problem.message


def test_the_size_cap_is_rechecked_while_reading(tmp_path: Path) -> None:
    path = _write(tmp_path / "grows.md")
    # read_file alone (no stat): the cap still holds
    articles, problems = read_file(path, ReadOptions(max_file_bytes=10))
    assert articles == [] and _codes(problems) == ["unreadable"]


@pytest.mark.parametrize("cap", [10_000, 70_000, 200_000])
def test_a_file_that_grew_since_fstat_is_read_whole_up_to_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    path = tmp_path / "grows.bin"
    data = os.urandom(150_000)
    path.write_bytes(data)
    real_fstat = os.fstat

    def stale_fstat(fd: int) -> os.stat_result:  # as if it was 100 bytes when fstat ran
        info = real_fstat(fd)
        return os.stat_result((*info[:6], 100, *info[7:10]))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    if cap < len(data):
        with pytest.raises(OSError, match="grew over"):
            read_bytes(path, cap)
    else:
        assert read_bytes(path, cap) == data


def test_a_file_is_read_whole_at_every_size_up_to_the_cap(tmp_path: Path) -> None:
    for size in (0, 1, 4096, 65_537):
        path = tmp_path / f"f{size}"
        path.write_bytes(os.urandom(size))
        assert read_bytes(path, size) == path.read_bytes()
        if size:
            with pytest.raises(OSError, match="grew over"):
                read_bytes(path, size - 1)


def test_an_unreadable_file_is_a_problem(tmp_path: Path) -> None:
    articles, problems = read_file(tmp_path / "absent.md")
    assert articles == [] and _codes(problems) == ["unreadable"]


# -- every form, read whole --------------------------------------------------------------------


def test_every_form_fixture_is_read(fixtures: Path) -> None:
    articles, problems = load_records([fixtures / "forms"])
    by_file: dict[str, list[str]] = {}
    for article in articles:
        by_file.setdefault(Path(article.source).name, []).append(article.key.rsplit("/", 1)[1])
    assert by_file == {
        "api_response.json": ["api-1", "api-2"],
        "article_list.json": ["list-json-1", "list-json-2"],
        "article_list.yaml": ["list-yaml-1", "list-yaml-2"],
        "articles.jsonl": ["jsonl-1", "jsonl-3"],
        "first_line_broken.jsonl": ["jsonl-b2", "jsonl-b3"],
        "front_matter.md": ["front-matter-md"],
        "front_matter.txt": ["front-matter-txt"],
        "one_article.json": ["one-article-json"],
        "one_article.yaml": ["one-article-yaml"],
        "paged.json": ["paged-1", "paged-2"],
    }
    assert sorted((Path(p.path).name, p.code, p.line) for p in problems) == [
        ("articles.jsonl", "json-syntax", 2),
        ("first_line_broken.jsonl", "json-syntax", 1),
    ]


def test_a_front_matter_article_is_normalised(fixtures: Path) -> None:
    article, problems = _one(fixtures / "forms" / "front_matter.txt")
    assert problems == []
    assert article.key == article.url == "https://forms.example/front-matter-txt"
    assert (article.title, article.category, article.type, article.quality) == (
        "Lantern Bay ferry adds a night crossing",
        "news",
        "article",
        12,
    )
    assert article.published == "2024-03-01T21:15:00Z"
    assert article.provider is not None and article.provider.domain == "forms.example"
    assert article.topics == ("Transport",)
    assert dict(article.extra) == {"body": "A short **Markdown** body that is kept on the article."}
    assert (article.line, article.is_stub) == (2, False)


def test_yaml_tags_and_json_envelopes_become_articles(fixtures: Path) -> None:
    article, _ = _one(fixtures / "forms" / "one_article.yaml")
    assert article.tags == ("US-CA",)
    articles, _ = read_file(fixtures / "forms" / "api_response.json")
    assert [a.path for a in articles] == [
        "_news/2024-04-06-api-one.md",
        "_news/2024-04-06-api-two.md",
    ]


# -- the seed-shaped fixture -------------------------------------------------------------------


def test_the_seed_shaped_fixture_reads_into_one_article_with_five_related(fixtures: Path) -> None:
    article, problems = _one(fixtures / "seedlike" / "000_3b7e2d9a41c05f68.txt")
    assert len(article.related) == 5
    assert all(r.is_stub for r in article.related)
    assert [r.provider.domain for r in article.related if r.provider] == [
        "harborwire.example",
        "baylinenews.example",
        "marketdesk.example",
        "kvtv.example",
        "capitolpost.example",
    ]
    wire = article.related[0]
    assert wire.key == "https://in.harborwire.example/article/ports-cameras-idINX1Y2Z3"
    assert wire.aliases == ("https://in.mobile.harborwire.example/article/amp/idINX1Y2Z3",)
    assert len(wire.urls) == 3  # every URL as written, the AMP cache one too
    # "&#038;" in an image URL is an escaped "&"
    assert article.related[1].images[0].url.endswith("?fit=1024%2C625&ssl=1")
    assert article.secured is not None and article.secured.endswith("/;0012345==")
    [repair] = problems
    assert (repair.code, repair.line, repair.severity) == ("text-repaired", 77, Severity.INFO)
    assert article.related[3].excerpt is not None and "(HW) — The" in article.related[3].excerpt


# -- quirks of real files ----------------------------------------------------------------------


def test_a_bom_file_reads_like_any_other_and_the_bom_is_reported(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "bom.md")
    assert not article.title.startswith("\ufeff")  # type: ignore[union-attr]
    assert [(p.code, p.line, p.severity) for p in problems] == [("bom-removed", 1, Severity.INFO)]


def test_crlf_file_problems_point_at_file_lines(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "crlf.md")
    assert article.type == "video" and article.published is None
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("bad-timestamp", 5, Severity.WARNING)
    ]
    assert problems[0].location.endswith("crlf.md:5")


def test_mojibake_made_of_c1_controls_is_repaired_and_the_original_kept(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "c1_title.md")
    assert article.title == "Harbour plan \u2014 what\u2019s next"
    assert (
        article.title_original
        == "Harbour plan \u00e2\u0080\u0094 what\u00e2\u0080\u0099s next\u0007"
    )
    assert article.excerpt == "Ferry times change in May \u2014 details inside."
    assert [(p.code, p.line, p.severity) for p in problems] == [
        ("text-repaired", 2, Severity.INFO),
        ("text-repaired", 3, Severity.INFO),
    ]
    assert "control-chars" in problems[0].message and "mojibake" in problems[0].message


def test_html_entities_are_decoded_with_the_original_kept(tmp_path: Path) -> None:
    path = tmp_path / "entities.md"
    path.write_text(
        '---\ntitle: "Ferry&#8217;s new timetable &amp; fares"\n'
        'excerpt: "Starts&nbsp;Monday"\nwebUrl: https://read.example/e\n---\n'
    )
    article, problems = _one(path)
    assert article.title == "Ferry\u2019s new timetable & fares"
    assert article.title_original == "Ferry&#8217;s new timetable &amp; fares"
    assert article.excerpt == "Starts\u00a0Monday"
    assert _codes(problems) == ["text-repaired", "text-repaired"]


def test_invalid_utf8_is_a_warning_and_the_article_is_kept(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "invalid_utf8.md")
    assert article.title == "Valid title"
    assert [(p.code, p.line) for p in problems] == [("invalid-utf8", 4)]


def test_timestamps_are_normalised_to_utc(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "timestamps.md")
    assert problems == []
    assert article.published == "2024-03-05T13:00:00.125000Z"  # -07:00 offset, fraction kept
    assert article.updated == "2024-03-05T14:30:00Z"


def test_a_date_stays_a_date_and_garbage_is_dropped_at_its_line(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "date_only.yaml")
    assert article.published == "2024-03-05"
    assert article.updated is None
    [problem] = problems
    assert (problem.code, problem.line, problem.severity) == ("bad-timestamp", 4, Severity.WARNING)
    assert problem.before == "the fifth of March" and problem.after is None


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("2020-06-11T12:58:00Z", "2020-06-11T12:58:00Z"),
        ("2020-06-11T12:58:00z", "2020-06-11T12:58:00Z"),
        ('"2020-06-11T05:58:00-07:00"', "2020-06-11T12:58:00Z"),
        ("2020-06-11T23:30:00-07:00", "2020-06-12T06:30:00Z"),  # the offset moves the date
        ("2020-06-11T12:58:00+05:30", "2020-06-11T07:28:00Z"),
        ("2020-06-11T12:58:00.5Z", "2020-06-11T12:58:00.500000Z"),
        ("2020-06-11 12:58:00Z", "2020-06-11T12:58:00Z"),
        ("2020-06-11", "2020-06-11"),
        ("'2020-06-11'", "2020-06-11"),
    ],
)
def test_timestamp_forms(tmp_path: Path, written: str, expected: str) -> None:
    path = tmp_path / "t.md"
    path.write_text(f"---\nwebUrl: https://read.example/t\npublishedDateTime: {written}\n---\n")
    article, problems = _one(path)
    assert (article.published, problems) == (expected, [])


@pytest.mark.parametrize(
    "written",
    ["yesterday", "2020-13-45", "2020-06-11T25:00:00Z", "2021-02-29T06:17:00Z", "0012345"],
)
def test_bad_timestamps_are_dropped_with_a_warning(tmp_path: Path, written: str) -> None:
    path = tmp_path / "t.md"
    path.write_text(f"---\nwebUrl: https://read.example/t\n\nupdatedDateTime: {written}\n---\n")
    article, problems = _one(path)
    assert article.updated is None
    assert [(p.code, p.line) for p in problems] == [("bad-timestamp", 4)]


def test_json_timestamps_with_offsets_become_utc(fixtures: Path) -> None:
    article, _ = _one(fixtures / "forms" / "one_article.json")
    assert article.published == "2024-04-05T15:00:00Z"
    articles, _ = read_file(fixtures / "forms" / "api_response.json")
    assert [a.published for a in articles] == ["2024-04-06T16:30:00Z", "2024-04-06T08:45:00Z"]


def test_opaque_values_keep_their_exact_text(fixtures: Path) -> None:
    article, problems = _one(fixtures / "quirks" / "opaque.md")
    assert problems == []
    assert article.secured == "0012345"
    assert article.path == "000123"
    assert article.title == "null"  # quoted: text, not a null
    assert article.heat is None
    assert (article.quality, article.is_published, article.locale) == (0, True, "en-gb")


def test_unknown_fields_are_kept_in_extra_with_plain_scalars_typed(fixtures: Path) -> None:
    article, _ = _one(fixtures / "quirks" / "opaque.md")
    assert dict(article.extra) == {
        "sponsor": {"name": "Harbour Trust", "id": "0042", "tiers": ["gold", 7, "no"]},
        "readingMinutes": 4,
    }


def test_heat_null_in_json_is_no_heat(fixtures: Path) -> None:
    article, problems = _one(fixtures / "forms" / "one_article.json")
    assert article.heat is None and problems == []


def test_a_field_over_the_field_cap_is_dropped_and_reported(fixtures: Path) -> None:
    path = fixtures / "quirks" / "long_excerpt.md"
    article, problems = _one(path, ReadOptions(max_field_chars=1000))
    assert article.excerpt is None and article.title == "A very long excerpt"
    [problem] = problems
    assert (problem.code, problem.line, problem.severity) == (
        "field-too-large",
        4,
        Severity.WARNING,
    )
    article, problems = _one(path)  # the default cap is far above it
    assert article.excerpt is not None and len(article.excerpt) == 4399 and problems == []


def test_the_field_cap_applies_to_unknown_fields_too(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text("---\nwebUrl: https://read.example/x\nnotes: " + "n" * 50 + "\n---\n")
    article, problems = _one(path, ReadOptions(max_field_chars=30))
    assert article.extra == () and _codes(problems) == ["field-too-large"]


def test_line_numbers_are_file_relative_in_front_matter_and_yaml(tmp_path: Path) -> None:
    md = tmp_path / "a.md"
    md.write_text("---\nwebUrl: https://read.example/a\nquality: lots\n---\n")
    yml = tmp_path / "a.yaml"
    yml.write_text("webUrl: https://read.example/b\nquality: lots\n")
    assert [p.line for p in read_file(md)[1]] == [3]
    assert [p.line for p in read_file(yml)[1]] == [2]


def test_problems_in_related_items_point_at_the_item_field(tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    path.write_text(
        "---\nwebUrl: https://read.example/r\nrelated:\n"
        "  - webUrl: https://read.example/s1\n"
        "    publishedDateTime: soon\n"
        "  - title: no url at all\n"
        "  - just text\n---\n"
    )
    article, problems = _one(path)
    assert [r.key for r in article.related] == ["https://read.example/s1"]
    assert [(p.code, p.line) for p in problems] == [
        ("bad-timestamp", 5),
        ("missing-identity", 6),
        ("not-a-mapping", 3),
    ]
    assert problems[0].message.startswith("related[1].publishedDateTime")


def test_json_list_items_and_fields_have_their_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text(
        '[\n {"webUrl": "https://read.example/j1"},\n'
        ' {"webUrl": "https://read.example/j2", "quality": "lots"}\n]\n'
    )
    articles, problems = read_file(path)
    assert [a.line for a in articles] == [2, 3]
    [problem] = problems
    assert (problem.line, problem.column) == (3, 40)  # the "quality" key
    assert problem.message.startswith("item 2: quality") and problem.before == "lots"


# -- identity ------------------------------------------------------------------------------------


def test_identity_falls_back_to_original_url_then_document_path_then_file(tmp_path: Path) -> None:
    original = tmp_path / "original.md"
    original.write_text(
        "---\ntitle: Video\noriginalUrl: https://Video.example/watch?v=1&utm_source=x\n---\n"
    )
    documented = tmp_path / "documented.md"
    documented.write_text("---\ntitle: Doc\nprovider: Wire\npath: _news/\n---\n")
    bare = tmp_path / "bare.md"
    bare.write_text("---\ntitle: Nothing else\nprovider: {name: Wire, domain: wire.example}\n---\n")
    assert _one(original)[0].key == "https://video.example/watch?v=1"
    # the document's own "path" may name a folder that many files share: never the key
    assert _one(documented)[0].key == f"path:{documented}"
    assert _one(documented)[0].path == "_news/"
    assert _one(bare)[0].key == f"path:{bare}"


def test_file_identity_is_the_same_for_every_single_article_form(tmp_path: Path) -> None:
    for name, text in (
        ("a.md", "---\ntitle: x\nprovider: Wire\n---\n"),
        ("a.yaml", "title: x\nprovider: Wire\n"),
        ("a.json", '{"title": "x", "provider": "Wire"}'),
    ):
        path = tmp_path / name
        path.write_text(text)
        assert _one(path)[0].key == f"path:{path}"


def test_articles_without_url_in_a_list_get_distinct_identities(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('[{"title": "a", "provider": "W"}, {"title": "b", "provider": "W"}]')
    articles, _ = read_file(path)
    assert [a.key for a in articles] == [f"path:{path}#1", f"path:{path}#2"]


def test_urls_are_canonical_and_aliases_resolve_to_the_web_url(tmp_path: Path) -> None:
    path = tmp_path / "u.md"
    path.write_text(
        "---\nwebUrl: HTTPS://WWW.Read.Example:443/story?utm_medium=x&id=7#top\n"
        "ampWebUrl: https://www.read.example/amp/story?id=7\n"
        "cdnAmpWebUrl: https://www-read-example.cdn.ampproject.org/c/s/"
        "www.read.example/amp/story?id=7\n"
        "---\n"
    )
    article, problems = _one(path)
    assert article.key == "https://www.read.example/story?id=7"
    assert article.aliases == ("https://www.read.example/amp/story?id=7",)
    assert article.urls[0] == "HTTPS://WWW.Read.Example:443/story?utm_medium=x&id=7#top"
    assert len(article.urls) == 3 and problems == []


def test_a_bad_url_is_reported_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text("---\ntitle: t\nwebUrl: not a url\noriginalUrl: https://read.example/o\n---\n")
    article, problems = _one(path)
    assert article.key == "https://read.example/o"
    assert [(p.code, p.line) for p in problems] == [("bad-url", 3), ("no-web-url", 3)]
    assert problems[0].before == "not a url"


def test_provider_domain_is_kept_apart_from_the_article_host(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_text(
        "---\nwebUrl: https://in.wire.example/a\n"
        "provider:\n  name: Wire\n  domain: WWW.Wire.Example\n"
        "related:\n  - webUrl: https://news.other.example/b\n    provider:\n"
        "      name: Other\n---\n"
    )
    article, _ = _one(path)
    assert article.provider is not None and article.provider.domain == "wire.example"
    stub = article.related[0]
    # no domain given: the registrable domain of the article's host
    assert stub.provider is not None and stub.provider.domain == "other.example"


# -- the lazy and the eager API ------------------------------------------------------------------


def test_iter_records_is_lazy_and_load_records_splits_articles_from_problems(
    fixtures: Path,
) -> None:
    stream = iter_records([fixtures / "rejected", fixtures / "forms"])
    first = next(stream)
    assert isinstance(first, Problem) and Path(first.path).name == "anchors.md"
    articles, problems = load_records([fixtures / "rejected", fixtures / "forms"])
    rest = list(stream)
    assert [r for r in rest if isinstance(r, Article)] == articles
    assert [first, *(r for r in rest if isinstance(r, Problem))] == problems


def test_a_bad_file_never_stops_the_run(fixtures: Path) -> None:
    articles, problems = load_records([fixtures / "rejected", fixtures / "quirks"])
    assert len(articles) == 8
    rejected = {Path(p.path).name for p in problems if p.severity is Severity.ERROR}
    assert rejected == {p.name for p in (fixtures / "rejected").iterdir()}


# -- related items that come back in many files ------------------------------------------------

RELATED_HOST = """---
title: Host {n}
webUrl: https://read.example/host-{n}
{padding}related:
  - title: The same story
    webUrl: https://read.example/same
    publishedDateTime: {published}
    provider:
      name: Same Wire
      domain: samewire.example
"""


def test_a_related_item_read_again_is_placed_at_each_file_and_line(tmp_path: Path) -> None:
    first = tmp_path / "a.md"
    first.write_text(
        RELATED_HOST.format(n=1, padding="", published="2024-01-01T00:00:00Z") + "---\n"
    )
    second = tmp_path / "b.md"
    second.write_text(
        RELATED_HOST.format(n=2, padding="x: 1\ny: 2\n", published="2024-01-01T00:00:00Z") + "---\n"
    )
    (a,), _ = read_file(first)
    (b,), _ = read_file(second)
    [stub_a], [stub_b] = a.related, b.related
    assert (stub_a.source, stub_a.line) == (str(first), 5)
    assert (stub_b.source, stub_b.line) == (str(second), 7)
    assert stub_a.located("x", 1) == stub_b.located("x", 1)  # the same description


def test_a_related_item_with_a_problem_is_reported_in_every_file(tmp_path: Path) -> None:
    paths = []
    for n in (1, 2):
        path = tmp_path / f"{n}.md"
        path.write_text(RELATED_HOST.format(n=n, padding="", published="not a time") + "---\n")
        paths.append(path)
    problems = [p for path in paths for p in read_file(path)[1]]
    assert [(p.path, p.line, p.code) for p in problems] == [
        (str(paths[0]), 7, "bad-timestamp"),
        (str(paths[1]), 7, "bad-timestamp"),
    ]


def test_equal_yaml_text_at_another_indentation_is_told_apart(tmp_path: Path) -> None:
    from newsgraph.graph.reading.safeyaml import load_yaml

    data = load_yaml("a:\n  x: 1\n  y: 2\nb:\n    x: 1\n    y: 2\nc:\n  x: 1\n  y: 2\n")
    a, b, c = (data[k].source_text() for k in "abc")
    assert a == c and a != b
    assert dict(data["a"]) == dict(data["b"])


@pytest.mark.parametrize(
    "text",
    ["---\ntitle: End\n---", "---\ntitle: End\n...\nbody", "---\ntitle: End\n---  \n"],
)
def test_closing_lines(tmp_path: Path, text: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(text.replace("title: End\n", "title: End\nwebUrl: https://x.example/e\n"))
    articles, problems = read_file(path)
    assert [a.title for a in articles] == ["End"] and not problems


def test_an_empty_front_matter_is_not_an_article(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\n---\n")
    assert _codes(read_file(path)[1]) == ["not-a-mapping"]
