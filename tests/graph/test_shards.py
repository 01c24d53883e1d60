"""The sharded build gives today's graph.json and report.json, byte for byte."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph
from newsgraph.exporters.cli._common import dump_json
from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.graph.building.merge import Partial, Tables
from newsgraph.graph.building.report import BuildReport
from newsgraph.graph.building.shard_store import shard_of
from newsgraph.graph.building.sharded import sharded_build
from newsgraph.graph.building.shards import article_shard, merge_tables
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.model import Article, Image
from tests.conftest import REAL_CORPUS, REAL_CORPUS_FOLDERS, article_text

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "news"
LAYOUTS = [(shards, jobs) for shards in (1, 2, 3, 7) for jobs in (1, 2)]


def _bytes(G: nx.MultiDiGraph, report: BuildReport) -> tuple[bytes, bytes]:
    return graph_to_json(G), dump_json(report.to_dict())


def _outputs(inputs: list[Path], **kwargs: Any) -> tuple[bytes, bytes]:
    return _bytes(*build_graph(inputs, **kwargs))


def _front_matter(path: Path) -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return found


def _variant(url: str) -> str:
    """The same article's URL as another site would write it: ``www.`` toggled, a trailing slash."""
    scheme, _, rest = url.partition("://")
    host, _, path = rest.partition("/")
    host = host.removeprefix("www.") if host.startswith("www.") else "www." + host
    return f"{scheme}://{host}/{path.rstrip('/')}/"


def _add_identity_traps(news: Path) -> None:
    """Files that make URL variants, shared aliases and alias conflicts of a corpus's articles."""
    documents = [_front_matter(p) for p in sorted(news.rglob("*.md"))[:60]]
    with_amp = [d for d in documents if d.get("ampWebUrl")]
    traps = news / "traps"
    traps.mkdir()

    def write(name: str, **fields: Any) -> None:
        (traps / name).write_text(article_text(**fields), encoding="utf-8")

    for n, doc in enumerate(documents[:6]):  # a second document at a URL variant
        write(f"variant-{n}.md", title=f"Variant {n}", webUrl=_variant(doc["webUrl"]))
    for n, doc in enumerate(documents[6:12]):  # a related link to a URL variant
        link = {"webUrl": _variant(doc["webUrl"]), "title": f"Linked variant {n}"}
        write(
            f"link-{n}.md", title=f"Link {n}", webUrl=f"https://links.example/{n}", related=[link]
        )
    for n, doc in enumerate(with_amp[:5]):  # another article declaring the same AMP URL
        write(
            f"shared-{n}.md",
            title=f"Shared {n}",
            webUrl=f"https://copies.example/{n}",
            ampWebUrl=doc["ampWebUrl"],
            related=[{"webUrl": _variant(doc["ampWebUrl"])}],  # a stub known by an alias variant
        )
    for n in range(3):  # a home page as everybody's "original URL": reported, merges nothing
        write(
            f"home-{n}.md", webUrl=f"https://home.example/{n}", originalUrl="https://home.example/"
        )
    # an alias that is the URL of a document: the document stays itself
    write(
        "claims-a-document.md", webUrl="https://claims.example/a", ampWebUrl=documents[20]["webUrl"]
    )
    # a chain: one article's alias is a stub that another article's alias names too
    write("chain-a.md", webUrl="https://chain.example/a", ampWebUrl="https://chain.example/a/amp")
    write(
        "chain-b.md",
        webUrl="https://chain.example/b",
        originalUrl="https://chain.example/a/amp/",
        related=[{"webUrl": "https://www.chain.example/a/amp", "title": "Via AMP"}],
    )


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    generate_corpus(folder, 400, seed=5, amp_alias_rate=0.2, duplicate_rate=0.05)
    _add_identity_traps(folder / "news")
    return folder / "news"


@pytest.fixture(scope="module")
def synthetic_outputs(synthetic: Path) -> tuple[bytes, bytes]:
    return _outputs([synthetic], jobs=1)


@pytest.mark.parametrize(("shards", "jobs"), LAYOUTS)
def test_the_samples_build_the_same_with_shards(shards: int, jobs: int) -> None:
    assert _outputs([SAMPLES], shards=shards, jobs=jobs) == _outputs([SAMPLES], jobs=1)


def test_the_synthetic_corpus_has_every_kind_of_merge(
    synthetic_outputs: tuple[bytes, bytes],
) -> None:
    report = synthetic_outputs[1].decode()
    for field in ("alias_merges", "url_variant_merges", "alias_conflicts", "self_links_dropped"):
        assert f'"{field}": 0' not in report, field
    assert '"merged": false' in report and '"merged": true' in report


@pytest.mark.parametrize(("shards", "jobs"), LAYOUTS)
def test_a_synthetic_corpus_builds_the_same_with_shards(
    synthetic: Path, synthetic_outputs: tuple[bytes, bytes], shards: int, jobs: int
) -> None:
    assert _outputs([synthetic], shards=shards, jobs=jobs) == synthetic_outputs


def test_variants_and_aliases_join_articles_across_shards(synthetic: Path) -> None:
    """The traps are spread over the shards: the test above would miss nothing by luck."""
    shared = [_front_matter(p) for p in sorted((synthetic / "traps").glob("shared-*.md"))]
    pairs = [(d["webUrl"], d["ampWebUrl"]) for d in shared]
    assert any(article_shard(a, 7) != article_shard(b, 7) for a, b in pairs)


def test_the_real_corpus_builds_the_same_with_shards(
    real_corpus: tuple[nx.MultiDiGraph, BuildReport],
) -> None:
    folders = [REAL_CORPUS / name for name in REAL_CORPUS_FOLDERS]
    assert _outputs(folders, shards=7, jobs=2) == _bytes(*real_corpus)


def test_a_kept_store_holds_one_sqlite_file_a_shard(
    synthetic: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = tmp_path_factory.mktemp("store")
    with sharded_build([synthetic / "traps"], shards=3, jobs=1, store=store) as built:
        assert built.report.alias_merges > 0
    assert sorted(p.name for p in store.glob("*.sqlite")) == [
        "shard-0000.sqlite",
        "shard-0001.sqlite",
        "shard-0002.sqlite",
    ]
    assert not list((store / "pieces").rglob("*.pkl"))  # transient files are consumed


def test_the_assembled_graph_holds_each_string_once(synthetic: Path) -> None:
    """Edge ends are the nodes' keys, and a kind or a source path is one object (issue 19)."""
    with sharded_build([synthetic], shards=3, jobs=2) as built:
        G = built.graph()
    keys = {key: key for key in G}
    assert all(u is keys[u] and v is keys[v] for u, v in G.edges())
    assert all(u is keys[u] for preds in G._pred.values() for u in preds)
    kinds = [k for *_, k in G.edges(keys=True)] + [a["kind"] for a in G._node.values() if a]
    assert len({id(k) for k in kinds}) == len(set(kinds))
    sources = [path for _, found in G.nodes(data="sources") if found for path in found]
    assert len({id(p) for p in sources}) == len(set(sources)) < len(sources)


def test_tables_merged_from_parts_equal_tables_counted_at_once() -> None:
    whole, parts = Partial(), [Partial(), Partial()]
    for i in range(40):
        article = Article(
            key=f"https://m.example/{i % 13}",
            source=f"{i}.md",
            topics=(f"T{i % 3}", f"t{i % 3}"),
            images=(Image(url=f"https://img.example/{i % 4}", width=i), Image(url=f"u{i % 7}")),
            aliases=(f"https://m.example/{i % 5}/amp",),
            updated=f"2024-01-{1 + i % 9:02d}T00:00:00Z",
        )
        whole.add(article)
        parts[shard_of(article.key, 2)].add(article)
    merged = Tables()
    for part in parts:
        merge_tables(merged, part.tables())
    assert merged == whole.tables()
    assert any(len(claimants) > 1 for claimants in merged.aliases.values())


def test_a_shard_count_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1"), sharded_build([tmp_path], shards=0):
        pass


def test_a_store_is_reused_but_a_folder_with_other_files_is_refused(
    synthetic: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store = tmp_path_factory.mktemp("store")
    articles = set()
    for _ in range(2):
        with sharded_build([synthetic / "traps"], shards=2, jobs=1, store=store) as built:
            articles.add(built.report.articles)
    assert len(articles) == 1
    (store / "notes.txt").write_text("mine")
    with (
        pytest.raises(ValueError, match="not a shard store"),
        sharded_build([synthetic / "traps"], shards=2, jobs=1, store=store),
    ):
        pass
    assert (store / "notes.txt").exists()


def test_strict_stops_the_sharded_build_as_it_stops_the_build(write_article: Any) -> None:
    path = write_article("good.md", webUrl="https://s.example/good")
    (path.parent / "bad.md").write_text("---\ntitle: [unclosed\n")
    with pytest.raises(StrictModeError) as plain:
        build_graph([path.parent], jobs=1, strict=True)
    with pytest.raises(StrictModeError) as sharded:
        build_graph([path.parent], jobs=1, strict=True, shards=3)
    assert str(sharded.value) == str(plain.value)


def test_progress_is_reported_as_files_are_read(synthetic: Path) -> None:
    seen: list[tuple[int, int]] = []
    build_graph(
        [synthetic], jobs=2, shards=2, progress=lambda done, total: seen.append((done, total))
    )
    total = len(list(synthetic.rglob("*.md")))
    assert seen[-1] == (total, total) and len(seen) > 1


class _Recording:
    """A runner of another engine's shape: runs each step here and notes its name."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def map(self, step: Any, *columns: Any) -> Any:
        self.steps.append(step.__name__)
        return map(step, *columns)


def test_another_engine_runs_the_same_steps_to_the_same_bytes(
    synthetic: Path, synthetic_outputs: tuple[bytes, bytes]
) -> None:
    runner = _Recording()
    with sharded_build([synthetic], shards=3, jobs=2, runner=runner) as built:
        assert _bytes(built.graph(), built.report) == synthetic_outputs
    assert runner.steps == ["read_and_route", "merge_shard", "reduce_shard", "decide_shard"]
