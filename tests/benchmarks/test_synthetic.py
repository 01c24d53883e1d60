"""The synthetic corpus generator: determinism, valid YAML, truthful counts, planted structure.

The counts are checked by a small reader written here from the seed's shape (not by
``newsgraph.graph.reading``), so a bug in the builder cannot hide a bug in the generator or the reverse.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from benchmarks.synthetic import GroundTruth, generate_corpus, load_truth, main

N_DOCUMENTS = 600


@dataclass
class Recount:
    """What the files hold, counted independently of the generator."""

    files: int = 0
    primaries: dict[str, dict[str, Any]] = field(default_factory=dict)
    articles: set[str] = field(default_factory=set)
    providers: set[str] = field(default_factory=set)
    topics: set[str] = field(default_factory=set)
    images: set[str] = field(default_factory=set)
    edges: dict[str, set[tuple[str, str]]] = field(
        default_factory=lambda: {
            "published_by": set(),
            "about": set(),
            "has_image": set(),
            "related_to": set(),
        }
    )
    amp_only: int = 0
    tracked: int = 0


# libyaml's safe loader where PyYAML has it: the pure-Python one takes ~25 ms a document.
_FAST_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def front_matter(path: Path, pure: bool = False) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n") and text.endswith("\n---\n"), path
    data = yaml.safe_load(text[4:-4]) if pure else yaml.load(text[4:-4], _FAST_SAFE_LOADER)
    assert isinstance(data, dict), path
    return data


def recount(news: Path) -> Recount:
    paths = sorted(news.rglob("*.md"))
    docs = [front_matter(path) for path in paths]
    assert docs[:40] == [front_matter(path, pure=True) for path in paths[:40]]
    r = Recount(files=len(docs))
    alias = {}
    for doc in docs:
        r.primaries[doc["webUrl"]] = doc
        for name in ("ampWebUrl", "cdnAmpWebUrl"):
            if name in doc:
                alias[doc[name]] = doc["webUrl"]

    def add(url: str, item: dict[str, Any]) -> None:
        r.articles.add(url)
        domain = item["provider"]["domain"].removeprefix("www.")
        r.providers.add(domain)
        r.edges["published_by"].add((url, domain))
        for image in item.get("images", []):
            r.images.add(image["url"])
            r.edges["has_image"].add((url, image["url"]))
        for logo in item["provider"].get("images", []):
            r.images.add(logo["url"])
            r.edges["has_image"].add((domain, logo["url"]))

    for url, doc in r.primaries.items():
        add(url, doc)
        for topic in doc.get("topics", []):
            r.topics.add(" ".join(topic.casefold().split()))
            r.edges["about"].add((url, " ".join(topic.casefold().split())))
        for item in doc.get("related", []):
            if "webUrl" in item:
                target = item["webUrl"]
                if urlsplit(target).query:
                    assert "utm_source=" in target
                    r.tracked += 1
                    target = target.partition("?")[0]
            else:
                target = alias[item.get("ampWebUrl") or item["cdnAmpWebUrl"]]
                r.amp_only += 1
            add(target, item)
            r.edges["related_to"].add((url, target))
    return r


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, GroundTruth, Recount]:
    root = tmp_path_factory.mktemp("synthetic")
    truth = generate_corpus(root, N_DOCUMENTS, seed=11)
    return root, truth, recount(root / "news")


def files_of(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_the_same_bytes_with_any_number_of_jobs(tmp_path: Path) -> None:
    generate_corpus(tmp_path / "a", 1100, seed=7, jobs=1)
    generate_corpus(tmp_path / "b", 1100, seed=7, jobs=2)  # two folders, two processes
    generate_corpus(tmp_path / "c", 1100, seed=8, jobs=2)
    a, b, c = (files_of(tmp_path / name) for name in "abc")
    assert len(a) == 1101  # 1,100 documents and truth.json
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_counts_in_truth_agree_with_the_files(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    root, truth, r = corpus
    assert r.files == truth.counts["documents"] == N_DOCUMENTS
    assert len(r.primaries) == truth.counts["primary_articles"]
    assert r.files - len(r.primaries) == truth.counts["duplicate_documents"] == 6
    assert len(r.articles) - len(r.primaries) == truth.counts["stub_articles"]
    assert dict(truth.nodes) == {
        "article": len(r.articles),
        "provider": len(r.providers),
        "topic": len(r.topics),
        "image": len(r.images),
    }
    assert dict(truth.edges) == {kind: len(pairs) for kind, pairs in r.edges.items()}
    assert set(truth.community) == r.articles
    assert truth.primary == r.primaries.keys()
    assert load_truth(root) == truth


def test_identity_traps_are_present(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    _, truth, r = corpus
    assert r.amp_only > 0 and r.tracked > 0
    assert any(doc["provider"]["domain"].startswith("www.") for doc in r.primaries.values())
    assert any(urlsplit(url).netloc.startswith("news.") for url in r.primaries)
    assert sum("updatedDateTime" in doc for doc in r.primaries.values()) <= 6
    assert all(doc["title"] and doc["secured"] for doc in r.primaries.values())
    assert truth.counts["stub_articles"] > 0


def test_providers_and_topics_are_zipf_skewed(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    _, _, r = corpus
    providers = Counter(
        doc["provider"]["domain"].removeprefix("www.") for doc in r.primaries.values()
    )
    topics = Counter(t.casefold() for doc in r.primaries.values() for t in doc.get("topics", []))
    for counts in (providers, topics):
        top, median = counts.most_common(1)[0][1], statistics.median(counts.values())
        assert top >= 8 * median, (top, median)


def test_communities_hold_most_related_links(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    _, truth, r = corpus
    links = r.edges["related_to"]
    inside = sum(truth.community[a] == truth.community[b] for a, b in links)
    assert inside / len(links) > 0.8
    assert truth.counts["communities"] == max(2, round(N_DOCUMENTS**0.5 / 3))


def _tokens(title: str) -> set[str]:
    return set(title.lower().replace(":", " ").replace(",", " ").split())


def _jaccard(a: str, b: str) -> float:
    x, y = _tokens(a), _tokens(b)
    return len(x & y) / len(x | y)


def test_stories_are_close_in_time_and_wording(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    _, truth, r = corpus
    stories: dict[int, list[dict[str, Any]]] = {}
    for url, story in truth.story.items():
        stories.setdefault(story, []).append(r.primaries[url])
    assert len(stories) == truth.counts["stories"] >= 5
    within = []
    for members in stories.values():
        assert 3 <= len(members) <= 20
        times = [doc["publishedDateTime"] for doc in members]
        assert max(times) - min(times) <= timedelta(hours=48)
        within += [_jaccard(a["title"], b["title"]) for a, b in itertools.combinations(members, 2)]
    loners = [doc["title"] for url, doc in r.primaries.items() if url not in truth.story][:60]
    between = [_jaccard(a, b) for a, b in itertools.combinations(loners, 2)]
    assert statistics.mean(within) > 0.4
    assert statistics.mean(between) < 0.15


def test_cli_writes_a_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--documents", "30", "--seed", "2"]) == 0
    assert "30 documents" in capsys.readouterr().out
    assert len(list((tmp_path / "news").rglob("*.md"))) == 30
    assert load_truth(tmp_path).parameters["seed"] == 2


def test_rejects_an_empty_corpus(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        generate_corpus(tmp_path, 0)


def test_the_builder_finds_what_was_planted(corpus: tuple[Path, GroundTruth, Recount]) -> None:
    from newsgraph import build_graph

    root, truth, _ = corpus
    G, report = build_graph([root / "news"], jobs=1)
    assert (report.files_failed, report.duplicate_documents) == (0, 6)
    assert (report.primary_articles, report.stub_articles) == (
        truth.counts["primary_articles"],
        truth.counts["stub_articles"],
    )
    nodes = Counter(kind for _, kind in G.nodes(data="kind"))
    edges = Counter(kind for _, _, kind in G.edges(keys=True))
    assert dict(nodes) == dict(truth.nodes)
    assert dict(edges) == dict(truth.edges)
    assert {
        key.partition(":")[2] for key, kind in G.nodes(data="kind") if kind == "article"
    } == set(truth.community)
