"""Tests for newsgraph.graph.building: files to one deduplicated graph and its report."""

from __future__ import annotations

import json
import random
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from newsgraph import BuildReport, ReadOptions, Severity, StrictModeError, build_graph
from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.graph.building import graph_from_articles
from newsgraph.graph.model import Article, EdgeKind, NodeKind

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDLIKE = FIXTURES / "seedlike"
PRIMARY = (
    "article:https://www.tidewaterherald.example/news/2023/sep/14/council-pauses-harbour-cameras/"
)


def _kinds(G: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(kind for _, kind in G.nodes(data="kind")))


def _edge_kinds(G: nx.MultiDiGraph) -> dict[str, int]:
    return dict(Counter(kind for *_, kind in G.edges(data="kind")))


@pytest.fixture(scope="module")
def seedlike() -> tuple[nx.MultiDiGraph, BuildReport]:
    return build_graph([SEEDLIKE], jobs=1)


# -- the seed-shaped fixture -------------------------------------------------------------------


def test_the_seed_shape_builds_into_the_expected_counts(
    seedlike: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    G, report = seedlike
    assert _kinds(G) == {"article": 6, "provider": 6, "topic": 2, "image": 6}
    assert _edge_kinds(G) == {"published_by": 6, "about": 2, "has_image": 6, "related_to": 5}
    assert (report.articles, report.primary_articles, report.stub_articles) == (6, 1, 5)
    assert report.nodes_by_kind == {"article": 6, "provider": 6, "topic": 2, "image": 6}
    assert report.edges_by_kind == {"published_by": 6, "about": 2, "has_image": 6, "related_to": 5}
    assert (report.files_read, report.files_failed, report.exit_code) == (1, 0, 0)
    assert [p.code for p in report.problems] == ["text-repaired"]


def test_the_primary_article_node(seedlike: tuple[nx.MultiDiGraph, BuildReport]) -> None:
    G, _ = seedlike
    node = G.nodes[PRIMARY]
    source = "seedlike/000_3b7e2d9a41c05f68.txt"  # portable: the input folder's name, then the path
    assert node["kind"] == "article" and node["is_stub"] is False
    assert (
        node["label"]
        == node["title"]
        == "Tidewater council pauses its harbour camera network for a review"
    )
    assert (node["published"], node["quality"], node["heat"], node["is_published"]) == (
        "2023-09-14T08:30:00Z",
        31,
        -1,
        False,
    )
    assert node["sources"] == [source]
    assert node["secured"].endswith("+/;0012345==")
    assert "updated" not in node and "title_original" not in node  # None is left out
    related = sorted(v for _, v, k in G.out_edges(PRIMARY, keys=True) if k == "related_to")
    assert len(related) == 5 and all(G.nodes[v]["is_stub"] for v in related)
    assert sorted(v for _, v, k in G.out_edges(PRIMARY, keys=True) if k == "about") == [
        "topic:privacy policy",
        "topic:smart cities",
    ]
    assert G.nodes["topic:smart cities"]["label"] == "Smart Cities"


def test_a_related_stub_keeps_its_urls_provider_and_repair(
    seedlike: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    G, _ = seedlike
    wire = G.nodes["article:https://in.harborwire.example/article/ports-cameras-idINX1Y2Z3"]
    assert wire["is_stub"] is True
    assert len(wire["urls"]) == 3 and wire["urls"] == sorted(wire["urls"])
    assert any("cdn.ampproject.org" in u for u in wire["urls"])
    [(_, provider)] = [
        (u, v)
        for u, v, k in G.out_edges(
            "article:https://in.harborwire.example/article/ports-cameras-idINX1Y2Z3", keys=True
        )
        if k == "published_by"
    ]
    assert provider == "provider:harborwire.example"  # the domain, not the in. host
    assert G.nodes[provider] == {
        "kind": "provider",
        "label": "Harbor Wire",
        "name": "Harbor Wire",
        "names": ["Harbor Wire"],
        "domain": "harborwire.example",
    }
    kvtv = G.nodes[
        "article:https://www.kvtv.example/tidewater-switches-off-harbour-cameras/"
        "article_5d0c3e2a.html"
    ]
    assert "\u2014" in kvtv["excerpt"] and "\u00e2\u20ac" in kvtv["excerpt_original"]


def test_images_are_nodes_with_their_attributes(
    seedlike: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    G, _ = seedlike
    key = (
        "image:https://i0.wp.com/www.baylinenews.example/wp-content/uploads/2023/09/harbour.jpg"
        "?fit=1024%2C625&ssl=1"
    )
    assert G.nodes[key]["width"] == 1024 and G.nodes[key]["height"] == 625
    assert G.nodes[key]["kind"] == "image"


# -- the graph contract (docs/graph-schema.md) ---------------------------------------------------


def _json_native(value: Any) -> bool:
    if isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, list):
        return all(_json_native(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _json_native(v) for k, v in value.items())
    return False


def test_every_node_and_edge_follows_the_schema(fixtures: Path) -> None:
    G, _ = build_graph([fixtures / "forms", fixtures / "quirks", SEEDLIKE], jobs=1)
    assert G.graph["name"] == "newsgraph" and isinstance(G.graph["newsgraph_version"], str)
    kinds = {str(k) for k in NodeKind}
    for key, data in G.nodes(data=True):
        assert data["kind"] in kinds and key == f"{data['kind']}:{key.split(':', 1)[1]}"
        assert isinstance(data["label"], str) and data["label"]
        assert all(_json_native(v) for v in data.values()), key
        for name in ("urls", "sources", "names", "categories"):
            if name in data:
                assert data[name] == sorted(data[name])
    for u, v, key, data in G.edges(keys=True, data=True):
        assert key == data["kind"] and data["kind"] in {str(k) for k in EdgeKind}
        assert G.nodes[u]["kind"] == (
            "provider"
            if G.nodes[v]["kind"] == "image" and G.nodes[u]["kind"] == "provider"
            else "article"
        )


def test_unknown_fields_land_in_extra_on_the_node(fixtures: Path) -> None:
    G, _ = build_graph([fixtures / "quirks" / "opaque.md"], jobs=1)
    node = G.nodes["article:https://quirks.example/opaque"]
    assert node["extra"] == {
        "readingMinutes": 4,
        "sponsor": {"name": "Harbour Trust", "id": "0042", "tiers": ["gold", 7, "no"]},
    }
    assert node["secured"] == "0012345" and "heat" not in node


# -- merging across files ------------------------------------------------------------------------


def test_a_duplicate_document_merges_with_provenance_and_a_conflict(write_article: Any) -> None:
    a = write_article(
        "a.md",
        title="Bridge reopens",
        webUrl="https://b.example/bridge",
        updatedDateTime="2024-03-01T10:00:00Z",
        quality=5,
    )
    b = write_article(
        "b.md",
        title="Bridge reopens to traffic",
        webUrl="https://b.example/bridge?utm_source=feed",
        updatedDateTime="2024-03-01T12:00:00Z",
        quality=5,
    )
    G, report = build_graph([a.parent], jobs=1)
    node = G.nodes["article:https://b.example/bridge"]
    assert node["title"] == "Bridge reopens to traffic"  # the newer document
    assert node["sources"] == [f"{a.parent.name}/a.md", f"{b.parent.name}/b.md"]
    assert node["urls"] == ["https://b.example/bridge", "https://b.example/bridge?utm_source=feed"]
    assert (report.primary_records, report.articles, report.duplicate_documents) == (2, 1, 1)
    assert report.conflicts == {"title": 1, "updated": 1}


def test_a_primary_beats_a_stub_across_files(write_article: Any) -> None:
    write_article(
        "z.md",
        webUrl="https://b.example/host",
        related=[
            {
                "webUrl": "https://b.example/story",
                "title": "Stub title",
                "excerpt": "Stub excerpt",
                "publishedDateTime": "2030-01-01T00:00:00Z",
            }
        ],
    )
    story = write_article(
        "a.md",
        webUrl="https://b.example/story",
        title="Primary title",
        publishedDateTime="2024-01-01T00:00:00Z",
    )
    G, report = build_graph([story.parent], jobs=1)
    node = G.nodes["article:https://b.example/story"]
    assert (node["title"], node["excerpt"], node["is_stub"]) == (
        "Primary title",
        "Stub excerpt",
        False,
    )
    assert node["published"] == "2024-01-01T00:00:00Z"
    assert report.stub_articles == 0 and report.primary_articles == 2


def test_a_related_item_given_by_its_amp_url_lands_on_the_primary(write_article: Any) -> None:
    web = "https://www.amp.example/2024/story"
    amp = "https://www.amp.example/2024/story/amp"
    cdn = "https://www-amp-example.cdn.ampproject.org/c/s/www.amp.example/2024/story/amp"
    primary = write_article(
        "primary.md", title="The story", webUrl=web, ampWebUrl=amp, cdnAmpWebUrl=cdn
    )
    write_article(
        "by_cdn.md",
        title="Links by cdn",
        webUrl="https://other.example/1",
        related=[{"title": "Story (AMP)", "webUrl": cdn}],
    )
    write_article(
        "by_amp.md",
        title="Links by amp",
        webUrl="https://other.example/2",
        related=[{"title": "Story (AMP)", "webUrl": amp}],
    )
    G, report = build_graph([primary.parent], jobs=1)
    assert f"article:{amp}" not in G
    assert sorted(
        u for u, _, k in G.in_edges(f"article:{web}", keys=True) if k == "related_to"
    ) == ["article:https://other.example/1", "article:https://other.example/2"]
    node = G.nodes[f"article:{web}"]
    assert node["title"] == "The story" and node["is_stub"] is False
    assert cdn in node["urls"] and amp in node["urls"]
    assert f"{primary.parent.name}/by_cdn.md" in node["sources"]
    assert report.alias_merges == 1 and report.articles == 3


def test_a_link_to_itself_through_an_alias_is_dropped(write_article: Any) -> None:
    web, amp = "https://self.example/a", "https://self.example/a/amp"
    path = write_article("a.md", webUrl=web, ampWebUrl=amp, related=[{"webUrl": amp}])
    G, report = build_graph([path], jobs=1)
    assert list(G.edges(keys=True)) == [] and report.self_links_dropped == 1


def test_providers_are_keyed_by_domain_and_named_by_the_most_frequent_name(
    write_article: Any,
) -> None:
    for i, name in enumerate(["Wire", "Wire", "The Wire"]):
        write_article(
            f"{i}.md",
            webUrl=f"https://in.wire.example/{i}",
            provider={"name": name, "domain": "www.Wire.example"},
        )
    path = write_article("3.md", webUrl="https://news.wire.example/3")  # no provider given
    G, _ = build_graph([path.parent], jobs=1)
    assert [n for n, kind in G.nodes(data="kind") if kind == "provider"] == [
        "provider:wire.example"
    ]
    assert G.nodes["provider:wire.example"]["label"] == "Wire"
    assert G.nodes["provider:wire.example"]["names"] == ["The Wire", "Wire"]
    assert G.in_degree("provider:wire.example") == 3


def test_topics_and_tags_are_folded(write_article: Any) -> None:
    write_article(
        "a.md", webUrl="https://t.example/a", topics=["Machine  Learning", "AI"], tags=["US-CA"]
    )
    write_article(
        "b.md", webUrl="https://t.example/b", topics=["machine learning", "ai"], tags=["us-ca"]
    )
    path = write_article("c.md", webUrl="https://t.example/c", topics=[" AI "])
    G, _ = build_graph([path.parent], jobs=1)
    topics = {n: d for n, d in G.nodes(data=True) if d["kind"] == "topic"}
    assert sorted(topics) == ["topic:ai", "topic:machine learning"]
    assert topics["topic:ai"]["label"] == "AI" and topics["topic:ai"]["names"] == ["AI", "ai"]
    assert G.in_degree("topic:ai") == 3
    assert [n for n, d in G.nodes(data="kind") if d == "tag"] == ["tag:us-ca"]


# -- determinism -----------------------------------------------------------------------------------


def _invented_corpus(root: Path, count: int = 40) -> None:
    """Seed-shaped articles linking to each other, with duplicates and AMP links."""
    rnd = random.Random(7)
    for i in range(count):
        related = [
            {
                "title": f"Story {j}",
                "webUrl": f"https://news{j % 5}.example/story-{j}" + ("/amp" if j % 7 == 0 else ""),
                "provider": {"name": f"News {j % 5}"},
            }
            for j in rnd.sample(range(count + 10), 4)
            if j != i
        ]
        fields = {
            "title": f"Story {i}",
            "webUrl": f"https://news{i % 5}.example/story-{i % 35}",
            "ampWebUrl": f"https://news{i % 5}.example/story-{i % 35}/amp",
            "updatedDateTime": f"2024-01-{1 + i % 3:02d}T00:00:00Z",
            "quality": i,
            "provider": {
                "name": f"News {i % 5}" if i % 3 else f"News #{i % 5}",
                "domain": f"news{i % 5}.example",
            },
            "topics": rnd.sample(["AI", "ai", "Transport", "Weather"], 2),
            "related": related,
        }
        text = "---\n" + json.dumps(fields, indent=1) + "\n---\n"  # JSON is YAML
        (root / f"{i:03d}.md").write_text(text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    _invented_corpus(root)
    for folder in ("forms", "quirks", "seedlike"):
        shutil.copytree(FIXTURES / folder, root / folder)
    return root


def test_shuffled_inputs_and_worker_counts_give_byte_identical_graphs(corpus: Path) -> None:
    files = sorted(str(p) for p in corpus.rglob("*") if p.is_file())
    reference, report = build_graph(files, jobs=1)
    expected = graph_to_json(reference)
    assert report.duplicate_documents == 5 and report.alias_merges > 0
    for seed, jobs in ((1, 1), (2, 2), (3, 2)):
        shuffled = list(files)
        random.Random(seed).shuffle(shuffled)
        G, other = build_graph(shuffled, jobs=jobs)
        assert graph_to_json(G) == expected, (seed, jobs)
        assert other.to_dict() == report.to_dict()


def test_the_graph_is_what_networkx_add_node_and_add_edge_make(corpus: Path) -> None:
    # assemble writes edges into networkx's adjacency dicts directly, for speed; the graph
    # must be the one networkx's own methods make, down to the order of every dict.
    G, _ = build_graph([corpus], jobs=1)
    public = nx.MultiDiGraph(**G.graph)
    for node, attrs in G.nodes(data=True):
        public.add_node(node, **attrs)
    for u, v, key, attrs in G.edges(keys=True, data=True):
        public.add_edge(u, v, key, **attrs)
    assert G.number_of_edges() > 100
    assert graph_to_json(G) == graph_to_json(public)
    assert all(
        list(G._succ[n]) == list(public._succ[n]) and list(G._pred[n]) == list(public._pred[n])
        for n in G
    )
    assert all(G._succ[u][v] is G._pred[v][u] for u, v in G.edges())


def test_a_folder_and_its_files_build_the_same_graph_but_for_sources(corpus: Path) -> None:
    # Files given one by one are named by their file names, files found in a folder by the
    # folder's name and their path in it: only ``sources`` (and path: keys) can differ.
    files = [str(p) for p in sorted(corpus.rglob("*"), reverse=True) if p.is_file()]
    whole, one_by_one = build_graph([corpus], jobs=2)[0], build_graph(files, jobs=1)[0]
    for G in (whole, one_by_one):
        for _, attrs in G.nodes(data=True):
            attrs.pop("sources", None)
    assert graph_to_json(whole) == graph_to_json(one_by_one)


# -- strict mode -----------------------------------------------------------------------------------


def test_strict_mode_raises_at_the_first_problem(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "forms" / "front_matter.md", tmp_path / "a.md")
    shutil.copy(FIXTURES / "rejected" / "duplicate_key.md", tmp_path / "b.md")
    for jobs in (1, 2):
        with pytest.raises(StrictModeError) as caught:
            build_graph([tmp_path], jobs=jobs, strict=True)
        assert caught.value.problem.code == "yaml-duplicate-key"
        assert str(caught.value).startswith(f"{tmp_path.name}/b.md:4:1: error:")


def test_strict_mode_stops_at_warnings_and_refusals_too(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "quirks" / "date_only.yaml", tmp_path / "a.yaml")
    with pytest.raises(StrictModeError, match="bad-timestamp"):
        build_graph([tmp_path], jobs=1, strict=True)
    with pytest.raises(StrictModeError, match="not-found"):
        build_graph([tmp_path / "missing"], jobs=1, strict=True)


def test_strict_mode_lets_repairs_through(fixtures: Path) -> None:
    G, report = build_graph([fixtures / "quirks" / "c1_title.md", SEEDLIKE], jobs=1, strict=True)
    assert report.exit_code == 0 and G.number_of_nodes() > 0
    assert {p.severity for p in report.problems} == {Severity.INFO}


# -- the report ------------------------------------------------------------------------------------


def test_the_report_counts_files_problems_and_exit_code(fixtures: Path) -> None:
    G, report = build_graph([fixtures / "rejected", fixtures / "forms"], jobs=1)
    assert report.files_failed == 9 and report.files_read == 10
    assert report.exit_code == 1
    assert report.problems_by_code == {
        "empty-file": 1,
        "frontmatter-unclosed": 1,
        "json-syntax": 3,
        "unknown-form": 1,
        "yaml-alias": 1,
        "yaml-duplicate-key": 1,
        "yaml-syntax": 1,
        "yaml-tag": 1,
        "yaml-too-deep": 1,
    }
    assert list(report.problems) == sorted(report.problems)
    data = report.to_dict()
    json.dumps(data)  # JSON-ready
    assert data["files"] == {"read": 10, "failed": 9}
    assert data["articles"]["primary"] == 16
    items = data["problems"]["items"]
    assert {"path", "line", "column", "code", "severity", "message", "before", "after"} == set(
        items[0]
    )
    assert data["nodes"] == _kinds(G) and data["edges"] == _edge_kinds(G)


def test_a_partly_read_file_is_read_but_sets_the_exit_code(fixtures: Path) -> None:
    _, report = build_graph([fixtures / "forms" / "articles.jsonl"], jobs=1)
    assert (report.files_read, report.files_failed, report.articles) == (1, 0, 2)
    assert report.exit_code == 1


def test_warnings_alone_keep_the_exit_code_zero(fixtures: Path) -> None:
    _, report = build_graph([fixtures / "quirks" / "crlf.md"], jobs=1)
    assert report.exit_code == 0 and report.problems_by_severity == {
        "error": 0,
        "warning": 1,
        "info": 0,
    }


def test_the_summary_is_a_few_lines(seedlike: tuple[nx.MultiDiGraph, BuildReport]) -> None:
    summary = seedlike[1].summary()
    assert summary.splitlines()[0] == "files: 1 read, 0 failed"
    assert "6 article, 6 provider, 2 topic, 6 image" in summary
    assert "<table>" in seedlike[1]._repr_html_()


def test_progress_is_reported_up_to_the_total(corpus: Path) -> None:
    calls: list[tuple[int, int]] = []
    build_graph([corpus], jobs=2, progress=lambda done, total: calls.append((done, total)))
    total = sum(1 for p in corpus.rglob("*") if p.is_file())
    assert calls[-1] == (total, total)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


def test_no_inputs_build_an_empty_graph() -> None:
    G, report = build_graph([], jobs=2)
    assert G.number_of_nodes() == 0 and report.exit_code == 0 and report.files_read == 0


def test_read_options_reach_the_workers(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "quirks" / "long_excerpt.md", tmp_path / "a.md")
    for i in range(40):  # enough files for several chunks
        shutil.copy(FIXTURES / "quirks" / "bom.md", tmp_path / f"b{i}.md")
    _, report = build_graph([tmp_path], jobs=2, options=ReadOptions(max_field_chars=1000))
    assert report.problems_by_code == {"field-too-large": 1, "bom-removed": 40}


def test_graph_from_articles_builds_without_files() -> None:
    G, report = graph_from_articles(
        [
            Article(
                key="https://m.example/a",
                source="memory",
                title="A",
                related=(Article(key="https://m.example/b", source="memory", is_stub=True),),
            ),
        ]
    )
    assert sorted(G.nodes) == ["article:https://m.example/a", "article:https://m.example/b"]
    assert list(G.edges(keys=True)) == [
        ("article:https://m.example/a", "article:https://m.example/b", "related_to")
    ]
    assert report.stub_articles == 1


def test_problems_with_and_without_a_line_in_one_file_sort(tmp_path: Path) -> None:
    # every JSON field has its line (and column); the empty file has none
    path = tmp_path / "a.json"
    path.write_text(
        '{"webUrl": "https://j.example/a", "publishedDateTime": "soon",\n'
        ' "related": [{"webUrl": "https://j.example/b", "publishedDateTime": "later"}]}'
    )
    shutil.copy(FIXTURES / "rejected" / "empty.md", tmp_path / "b.md")
    for jobs in (1, 2):
        _, report = build_graph([tmp_path], jobs=jobs)
        assert [(Path(p.path).name, p.line, p.column) for p in report.problems] == [
            ("a.json", 1, 35),
            ("a.json", 2, 48),  # the key "publishedDateTime" of the related item
            ("b.md", None, None),
        ]
        assert [i["line"] for i in report.to_dict()["problems"]["items"]] == [1, 2, None]


# -- the garbage collector around a build ----------------------------------------------------------


def test_objects_a_pass_keeps_go_to_the_oldest_generation_unless_someone_froze_objects() -> None:
    import gc

    from newsgraph.graph._runtime import cycle_collection_paused

    gc.unfreeze()  # objects an earlier test (or library) froze would make the first pass keep out
    with cycle_collection_paused():
        assert not gc.isenabled()
        kept = [[] for _ in range(1000)]
    assert gc.isenabled()
    assert any(o is kept for o in gc.get_objects(generation=2))
    gc.freeze()  # as a server does before it forks: frozen objects stay frozen
    try:
        frozen = gc.get_freeze_count()
        with cycle_collection_paused():
            [[] for _ in range(1000)]
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
