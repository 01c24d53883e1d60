"""Issue 14, one class of real-file defect at a time, on invented fixtures (``fixtures/identity``).

Each test checks the outcome on the graph and the entry in the report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import BuildReport, build_graph
from newsgraph.graph.reading import read_file
from newsgraph.graph.urls import REFERRAL_PARAMETERS, TRACKING_PARAMETERS, article_url

IDENTITY = Path(__file__).resolve().parents[1] / "fixtures" / "identity"


def _build(*names: str) -> tuple[nx.MultiDiGraph, BuildReport]:
    return build_graph([IDENTITY / name for name in names], jobs=1)


def _articles(G: nx.MultiDiGraph) -> dict[str, dict[str, object]]:
    return {n: d for n, d in G.nodes(data=True) if d["kind"] == "article"}


def _entries(report: BuildReport, code: str) -> list[tuple[str, int | None, int | None]]:
    return [(p.path, p.line, p.column) for p in report.problems if p.code == code]


# -- 1. records that are not articles ------------------------------------------------------------


def test_statistics_templates_and_card_pages_are_not_articles() -> None:
    G, report = _build("not_articles")
    assert _articles(G) == {}
    assert sorted(_entries(report, "not-an-article")) == [
        ("not_articles/cards.md", 2, None),
        ("not_articles/statistics.json", 4, 5),  # each statistics item, at its line and column
        ("not_articles/statistics.json", 5, 5),
        ("not_articles/template.md", 2, None),
        ("not_articles/totals.json", 1, 1),
    ]
    assert report.not_articles == 5
    assert report.to_dict()["records"]["not_articles"] == 5
    assert report.exit_code == 0  # recognised, not failed


def test_template_placeholders_are_reported_where_they_are() -> None:
    _, report = _build("not_articles/template.md")
    placeholders = {
        (p.line, p.message.split(":")[0])
        for p in report.problems
        if p.code == "template-placeholder"
    }
    assert {(3, "title"), (5, "webUrl"), (7, "provider.name")} <= placeholders


def test_articles_without_url_are_keyed_by_file_never_by_the_shared_folder_path() -> None:
    G, report = _build("no_url")
    assert sorted(_articles(G)) == [
        "article:path:no_url/first.md",
        "article:path:no_url/second.md",
    ]
    assert all(d["path"] == "/news/" for d in _articles(G).values())
    assert sorted(_entries(report, "no-url")) == [
        ("no_url/first.md", 2, None),
        ("no_url/second.md", 2, None),
    ]


# -- 2. merge order by content -------------------------------------------------------------------


def test_a_tie_gives_the_same_values_whatever_the_file_names(tmp_path: Path) -> None:
    results = set()
    for names in (("a.md", "b.md"), ("b.md", "a.md"), ("zz/1.md", "aa/2.md")):
        folder = tmp_path / "-".join(names).replace("/", "_")
        for source, target in zip(("a.md", "b.md"), names, strict=True):
            (folder / target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(IDENTITY / "ties" / source, folder / target)
        G, report = build_graph([folder], jobs=1)
        node = dict(G.nodes["article:https://ties.example/2024/quarry-road"])
        node.pop("sources")
        results.add(json.dumps(node, sort_keys=True))
        assert report.conflicts == {"excerpt": 1, "heat": 1, "secured": 1, "title": 1}
    assert len(results) == 1
    node = json.loads(results.pop())
    # one document wins every field it sets: never the title of one and the heat of the other
    assert (node["title"], node["heat"], node["secured"]) in {
        ("Quarry road closes for resurfacing", 4, "tok-aaaa"),
        ("Quarry road to close for resurfacing work", 7, "tok-bbbb"),
    }


def test_a_published_document_beats_its_newer_unpublished_duplicate() -> None:
    G, report = _build("published")
    node = G.nodes["article:https://published.example/cycle-lanes"]
    assert node["title"] == "New cycle lanes open on Mill Street" and node["is_published"] is True
    assert report.conflicts["is_published"] == 1


# -- 3. identity that catches what real sites do -------------------------------------------------


def test_slash_www_and_referral_variants_are_one_article_with_every_form_kept() -> None:
    G, report = _build("variants")
    articles = _articles(G)
    assert sorted(articles) == [
        "article:https://variants.example/library-hours?id=31",
        "article:https://www.variants.example/library-hours?id=31&p=2",  # p names a page: kept
    ]
    node = articles["article:https://variants.example/library-hours?id=31"]
    assert len(node["urls"]) == 4  # type: ignore[arg-type]
    assert "https://www.variants.example/library-hours/?id=31" in node["urls"]  # type: ignore[operator]
    assert len(node["sources"]) == 4  # type: ignore[arg-type]
    assert report.url_variant_merges == 2  # the trailing slash and the www.
    assert report.duplicate_documents == 3
    assert report.to_dict()["merges"]["url_variant_merges"] == 2


@pytest.mark.parametrize("name", sorted(REFERRAL_PARAMETERS))
def test_each_referral_parameter_is_dropped_from_article_urls(name: str) -> None:
    parameter = name.replace("*", "campaign")
    url = f"https://news.example/story?id=4&{parameter}=x&p=2"
    assert article_url(url) == "https://news.example/story?id=4&p=2"
    assert article_url(url.replace(parameter, parameter.upper())) == (
        "https://news.example/story?id=4&p=2"
    )


@pytest.mark.parametrize("name", ["cmpid", "ocid", "utm_source", "fbclid"])
def test_tracking_parameters_of_the_issue_are_dropped_too(name: str) -> None:
    assert name in TRACKING_PARAMETERS or any(
        name.startswith(p[:-1]) for p in TRACKING_PARAMETERS if p.endswith("*")
    )
    assert article_url(f"https://news.example/a?{name}=1") == "https://news.example/a"


@pytest.mark.parametrize("name", ["id", "p", "page", "v", "amp", "q", "article"])
def test_meaningful_parameters_are_kept(name: str) -> None:
    assert article_url(f"https://news.example/a?{name}=7") == f"https://news.example/a?{name}=7"


def test_referral_parameters_stay_on_image_urls() -> None:
    from newsgraph.graph.urls import canonical_url

    url = "https://img.example/resize?src=https%3A%2F%2Fx.example%2Fa.jpg&source=feed"
    assert canonical_url(url) == url


def test_two_documents_sharing_an_amp_url_are_one_article_and_the_conflict_is_listed() -> None:
    G, report = _build("shared_amp")
    assert list(_articles(G)) == ["article:https://shared.example/live/storm-imara/h_first-update"]
    node = G.nodes["article:https://shared.example/live/storm-imara/h_first-update"]
    assert node["url"] == "https://shared.example/live/storm-imara/h_second-update"  # newest
    assert report.alias_merges == 1 and report.alias_conflicts == 1
    [entry] = report.to_dict()["merges"]["alias_conflict_list"]
    assert entry == {
        "alias": "https://amp.shared.example/live/storm-imara/index.html",
        "urls": [
            "https://shared.example/live/storm-imara/h_first-update",
            "https://shared.example/live/storm-imara/h_second-update",
        ],
        "files": ["shared_amp/one.md", "shared_amp/two.md"],
        "files_total": 2,
        "merged": True,
    }


def test_a_shared_home_page_is_reported_but_merges_nothing(tmp_path: Path) -> None:
    for n in (1, 2):
        (tmp_path / f"{n}.md").write_text(
            f"---\ntitle: T{n}\nwebUrl: https://home.example/a{n}\n"
            "originalUrl: https://home.example/\n---\n"
        )
    G, report = build_graph([tmp_path], jobs=1)
    assert len(_articles(G)) == 2
    [entry] = report.to_dict()["merges"]["alias_conflict_list"]
    assert entry["merged"] is False and entry["alias"] == "https://home.example/"


# -- 4. lines everywhere -------------------------------------------------------------------------


def test_json_and_json_lines_problems_have_the_line_and_column_of_the_field() -> None:
    _, report = _build("json_lines/list.json", "json_lines/lines.jsonl")
    assert [(p.path, p.line, p.column, p.code) for p in report.problems] == [
        ("lines.jsonl", 2, 39, "bad-number"),  # "heat" on line 2, column 39
        ("list.json", 5, 4, "bad-boolean"),  # "published" on line 5 of the pretty list
    ]
    # a JSON Lines file is read line by line (a pack): the line says which item it is
    assert report.problems[0].message.startswith("heat: ")
    assert report.problems[1].message.startswith("item 2: published")


def test_yaml_problems_point_at_the_line_of_the_offending_value() -> None:
    _, report = _build("json_lines/nested_values.md")
    found = {(p.code, p.line) for p in report.problems}
    assert ("bad-domain", 6) in found  # provider.domain, not the "provider:" line
    assert ("bad-url", 10) in found  # the second image's url, not the "images:" line


# -- 5. provider names that are links ------------------------------------------------------------


def test_a_provider_name_that_is_a_link_or_a_path_is_not_a_label() -> None:
    G, report = _build("provider_names")
    wire = G.nodes["provider:wire.example"]
    assert (wire["label"], wire["names"]) == ("Wire Service", ["Wire Service"])  # seen elsewhere
    board = G.nodes["provider:harbour-board.example"]
    assert (board["label"], board["names"]) == ("harbour-board.example", [])  # else the domain
    entries = [(p.path, p.line, p.before) for p in report.problems if p.code == "provider-name-url"]
    assert sorted(entries) == [
        ("provider_names/link_name.md", 5, "https://wire.example/about-us"),
        ("provider_names/path_name.md", 5, "/providers/harbour-board"),
    ]


# -- 6. portable provenance ----------------------------------------------------------------------


def test_sources_and_problems_are_relative_to_the_input_root_and_prefixed_with_its_name() -> None:
    G, report = build_graph([IDENTITY], jobs=1)
    sources = {s for _, d in G.nodes(data=True) for s in d.get("sources", [])}
    paths = {p.path for p in report.problems}
    assert sources and paths
    assert all(s.startswith("identity/") for s in sources | paths)
    assert not any(str(IDENTITY.parent) in s for s in sources | paths)


def test_read_file_names_what_it_reads_by_the_name_it_is_given() -> None:
    articles, _ = read_file(IDENTITY / "ties" / "a.md", name="feeds/ties/a.md")
    assert articles[0].source == "feeds/ties/a.md"


# -- 7. excerpts keep their original -------------------------------------------------------------


def test_an_excerpt_with_normalised_line_endings_or_entities_keeps_its_original(
    tmp_path: Path,
) -> None:
    path = tmp_path / "e.md"
    path.write_text(
        '---\nwebUrl: https://e.example/a\ntitle: "A &amp; B"\n'
        'excerpt: "One line\\r\\nand the next &#8217;"\n---\n'
    )
    [article], problems = read_file(path)
    assert article.excerpt == "One line\nand the next \u2019"
    assert article.excerpt_original == "One line\r\nand the next &#8217;"
    assert article.title_original == "A &amp; B"
    assert [(p.code, p.line) for p in problems] == [("text-repaired", 3), ("text-repaired", 4)]
