"""The real seed and corpus (``../shared`` beside the repo): counts checked independently.

Skipped cleanly where ``../shared`` is absent.  The independent counts use nothing of
newsgraph's reading code: plain PyYAML (``SafeLoader``, its C version where built) and
``json``, with only :func:`newsgraph.graph.urls.article_url` and
:func:`~newsgraph.graph.urls.identity_form` for the identity; the merging of documents that
share an AMP or original URL is done again here, by a plain union-find.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from newsgraph import BuildReport, Severity, build_graph
from newsgraph.graph.urls import (
    article_url,
    canonical_url,
    host_of,
    identity_form,
    registrable_domain,
)

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEED = SHARED / "seed" / "000_fbece0f1d0d31990.txt"
CORPUS = SHARED / "corpus"
FOLDERS = ("azure", "powerapps", "coronavirus-api")

_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# The related lists are most of the bytes and play no part in the counts; leaving them out of
# the plain parse keeps this test well under a minute.
_RELATED_BLOCK = re.compile(r"^related:.*\n(?:[ \t-].*\n|\n)*", re.MULTILINE)


# -- the seed ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> tuple[nx.MultiDiGraph, BuildReport]:
    if not SEED.is_file():
        pytest.skip(f"the real seed is not here: {SEED}")
    return build_graph([SEED.parent], jobs=1)


def test_the_seed_builds_into_exactly_the_expected_graph(
    seed: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    G, report = seed
    assert dict(Counter(k for _, k in G.nodes(data="kind"))) == {
        "article": 6,
        "provider": 6,
        "topic": 2,
        "image": 6,
    }
    assert dict(Counter(k for *_, k in G.edges(data="kind"))) == {
        "published_by": 6,
        "about": 2,
        "has_image": 6,
        "related_to": 5,
    }
    assert (report.primary_articles, report.stub_articles) == (1, 5)
    assert report.exit_code == 0
    assert all(p.severity is Severity.INFO for p in report.problems)


def test_the_seed_primary_keeps_its_exact_values(seed: tuple[nx.MultiDiGraph, BuildReport]) -> None:
    G, _ = seed
    plain = yaml.safe_load(SEED.read_text(encoding="utf-8").split("\n---", 1)[0][4:])
    node = G.nodes["article:" + canonical_url(plain["webUrl"])]  # type: ignore[operator]
    assert node["secured"] == plain["secured"]
    assert node["published"] == "2020-06-11T12:58:00Z"
    assert (node["quality"], node["heat"], node["is_published"]) == (24, -1, False)
    assert node["sources"] == [f"seed/{SEED.name}"]  # portable: the input folder's name
    providers = sorted(n.split(":", 1)[1] for n, k in G.nodes(data="kind") if k == "provider")
    assert providers == sorted(
        [plain["provider"]["domain"], *(r["provider"]["domain"] for r in plain["related"])]
    )


# -- the corpus ----------------------------------------------------------------------------------


@dataclass
class Plain:
    """What the corpus holds, counted the plain way."""

    files: int = 0
    documents: int = 0
    ids: Counter[str] = field(default_factory=Counter)
    files_of: dict[str, set[str]] = field(default_factory=dict)  # id -> files it is in
    without_web_url: dict[str, str] = field(default_factory=dict)  # id -> file
    published: dict[str, str] = field(default_factory=dict)  # id -> UTC, JSON documents only


def _utc(text: str) -> str:
    moment = datetime.fromisoformat(text).astimezone(UTC)
    fraction = f".{moment.microsecond:06d}" if moment.microsecond else ""
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z"


def _count(folders: list[Path]) -> Plain:
    plain = Plain()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    seen: list[tuple[str, str, dict[str, Any]]] = []  # (key, file, document)
    claims: dict[str, set[str]] = {}  # alias form -> forms of the keys declaring it
    for path in sorted(p for folder in folders for p in folder.rglob("*") if p.is_file()):
        plain.files += 1
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        if text.startswith("---\n"):
            head = text[4:].split("\n---", 1)[0] + "\n"
            documents = [yaml.load(_RELATED_BLOCK.sub("", head), Loader=_SafeLoader)]
        else:
            documents = json.loads(text)["news"]
        for document in documents:
            plain.documents += 1
            key = article_url(document.get("webUrl") or document["originalUrl"])
            assert key is not None, path
            seen.append((key, str(path.relative_to(CORPUS)), document))
            find(identity_form(key))
            for name in ("ampWebUrl", "cdnAmpWebUrl", "originalUrl"):
                alias = article_url(document.get(name) or "")
                if alias and alias != key:
                    claims.setdefault(identity_form(alias), set()).add(identity_form(key))
    for alias, forms in claims.items():
        home_page = alias.split("://", 1)[1].find("/") in (-1, len(alias.split("://", 1)[1]) - 1)
        if len(forms) > 1 and not home_page:  # documents sharing an AMP/original URL: one
            first, *rest = sorted(forms)
            for form in rest:
                union(first, form)
    keys_of: dict[str, set[str]] = {}
    for key, _, _ in seen:
        keys_of.setdefault(find(identity_form(key)), set()).add(key)
    for key, file, document in seen:
        ident = min(keys_of[find(identity_form(key))])
        plain.ids[ident] += 1
        plain.files_of.setdefault(ident, set()).add(file)
        if not document.get("webUrl"):
            plain.without_web_url[ident] = file
        if isinstance(document.get("publishedDateTime"), str):
            plain.published[ident] = _utc(document["publishedDateTime"])
    return plain


@pytest.fixture(scope="module")
def folders() -> list[Path]:
    found = [CORPUS / name for name in FOLDERS]
    if not all(folder.is_dir() for folder in found):
        pytest.skip(f"the real corpus is not here: {CORPUS}")
    return found


@pytest.fixture(scope="module")
def corpus(
    folders: list[Path], real_corpus: tuple[nx.MultiDiGraph, BuildReport]
) -> tuple[nx.MultiDiGraph, BuildReport]:
    return real_corpus


@pytest.fixture(scope="module")
def plain(folders: list[Path]) -> Plain:
    return _count(folders)


def test_every_file_is_read(corpus: tuple[nx.MultiDiGraph, BuildReport], plain: Plain) -> None:
    _, report = corpus
    assert plain.files == 4958 + 192 + 304  # as SOURCES.md lists them
    assert (report.files_read, report.files_failed) == (plain.files, 0)
    assert report.primary_records == plain.documents


def test_article_counts_agree_with_the_plain_count(
    corpus: tuple[nx.MultiDiGraph, BuildReport], plain: Plain
) -> None:
    G, report = corpus
    articles = {n.split(":", 1)[1] for n, k in G.nodes(data="kind") if k == "article"}
    primaries = {
        n.split(":", 1)[1]
        for n, d in G.nodes(data=True)
        if d["kind"] == "article" and not d["is_stub"]
    }
    assert primaries == set(plain.ids)
    assert report.primary_articles == len(plain.ids)
    assert report.duplicate_documents == plain.documents - len(plain.ids)
    assert report.articles == len(articles) == report.nodes_by_kind["article"]
    for ident, files in plain.files_of.items():  # provenance (related links add more files)
        assert files <= set(G.nodes[f"article:{ident}"]["sources"]), ident


def test_real_files_give_no_errors_and_every_problem_has_a_file_line(
    corpus: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    _, report = corpus
    assert report.exit_code == 0
    assert [p for p in report.problems if p.severity is Severity.ERROR] == []
    for problem in report.problems:
        assert (CORPUS / problem.path).is_file() and problem.line is not None, problem


def test_files_without_web_url_are_keyed_by_their_original_url(
    corpus: tuple[nx.MultiDiGraph, BuildReport], plain: Plain
) -> None:
    G, _ = corpus
    powerapps = {i: f for i, f in plain.without_web_url.items() if f.startswith("powerapps/")}
    assert len(powerapps) == 12
    for ident, path in powerapps.items():
        node = G.nodes[f"article:{ident}"]
        assert node["url"] == ident and path in node["sources"] and not node["is_stub"]


def test_json_timestamps_with_offsets_are_utc(
    corpus: tuple[nx.MultiDiGraph, BuildReport], plain: Plain
) -> None:
    G, _ = corpus
    once = [i for i, when in plain.published.items() if plain.ids[i] == 1]
    assert len(once) > 100
    for ident in once:
        assert G.nodes[f"article:{ident}"]["published"] == plain.published[ident], ident


def test_provider_domains_differ_from_article_hosts_where_the_files_say_so(
    corpus: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    G, _ = corpus
    differing = 0
    for u, v, kind in G.edges(keys=True):
        if kind == "published_by":
            host = host_of(G.nodes[u].get("url", "")) or ""
            differing += registrable_domain(host) != v.split(":", 1)[1]
    assert differing > 0
    assert all(":www." not in n for n, k in G.nodes(data="kind") if k == "provider")


def test_the_graph_is_consistent(corpus: tuple[nx.MultiDiGraph, BuildReport]) -> None:
    G, report = corpus
    assert report.edges_by_kind == dict(Counter(k for *_, k in G.edges(data="kind")))
    assert report.edges_by_kind["related_to"] <= report.related_records
    assert all("kind" in d for _, d in G.nodes(data=True))  # no node made up by an edge
