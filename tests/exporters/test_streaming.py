"""Streaming exports give the triples and rows of the in-memory exports."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.synthetic import generate_corpus
from newsgraph import build_graph
from newsgraph.exporters.property_graph.neo4j import write_neo4j
from newsgraph.exporters.property_graph.tables import write_csv
from newsgraph.exporters.registry import dump
from newsgraph.exporters.sinks import DirectorySink
from newsgraph.exporters.streaming import STREAMING_FORMATS, write_streaming
from newsgraph.graph.building.sharded import sharded_build
from newsgraph.graph.errors import ExportError
from tests.conftest import REAL_CORPUS, REAL_CORPUS_FOLDERS, article_text

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "news"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus and one topic spelled with a ";" (neo4j's array delimiter)."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate_corpus(folder, 300, seed=7, amp_alias_rate=0.2)
    (folder / "news" / "semicolon.md").write_text(
        article_text(webUrl="https://s.example/a", topics=["Storms; floods", "storms;  floods"])
    )
    return folder / "news"


@pytest.fixture(scope="module", params=["samples", "synthetic"])
def corpus(request: pytest.FixtureRequest, synthetic: Path) -> Path:
    return SAMPLES if request.param == "samples" else synthetic


def _in_memory(corpus: Path | list[Path], out: Path) -> None:
    G, report = build_graph(corpus if isinstance(corpus, list) else [corpus], jobs=1)
    dump(G, out / "graph.nt", "nt", documents=report.files_read)
    for name, write in (("csv", write_csv), ("neo4j", write_neo4j)):
        (out / name).mkdir()
        write(G, DirectorySink(out / name))


def _streamed(corpus: Path | list[Path], out: Path, shards: int, jobs: int) -> None:
    inputs = corpus if isinstance(corpus, list) else [corpus]
    with sharded_build(inputs, shards=shards, jobs=jobs) as built:
        folders = {f: out / STREAMING_FORMATS[f] for f in ("nt", "csv", "neo4j")}
        write_streaming(built, folders, jobs=jobs)


def _files(folder: Path) -> list[Path]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return [folder / name for name in manifest["files"]]


def _rows(paths: list[Path]) -> Counter[tuple[tuple[str, str], ...]]:
    """Each row as (column name without its type, cell) pairs, empty cells left out."""
    rows: Counter[tuple[tuple[str, str], ...]] = Counter()
    for path in paths:
        header, *body = csv.reader(io.StringIO(path.read_text(encoding="utf-8")))
        names = [name.rsplit(":", 1)[0] if ":" in name[1:] else name for name in header]
        for row in body:
            rows[tuple(sorted((n, c) for n, c in zip(names, row, strict=True) if c))] += 1
    return rows


def _same_triples_and_rows(memory: Path, stream: Path, shards: int) -> None:
    streamed = b"".join(p.read_bytes() for p in _files(stream / "graph.nt.d"))
    expected = (memory / "graph.nt").read_bytes()
    assert sorted(streamed.splitlines()) == sorted(expected.splitlines())
    if shards == 1:  # one shard in key order: the same bytes
        assert streamed == expected
    for fmt, members in (("csv", ("nodes", "edges")), ("neo4j", ("nodes", "relationships"))):
        files = _files(stream / STREAMING_FORMATS[fmt])
        for member in members:
            mine = [f for f in files if f.name == f"{member}.csv"]
            assert len(mine) == shards
            assert _rows(mine) == _rows([memory / fmt / f"{member}.csv"])


@pytest.mark.parametrize(("shards", "jobs"), [(1, 1), (2, 2), (7, 1)])
def test_streamed_exports_hold_the_in_memory_triples_and_rows(
    corpus: Path, tmp_path: Path, shards: int, jobs: int
) -> None:
    _in_memory(corpus, tmp_path / "memory")
    _streamed(corpus, tmp_path / "stream", shards, jobs)
    _same_triples_and_rows(tmp_path / "memory", tmp_path / "stream", shards)


def test_the_real_corpus_streams_the_in_memory_triples_and_rows(tmp_path: Path) -> None:
    folders = [REAL_CORPUS / name for name in REAL_CORPUS_FOLDERS]
    if not all(folder.is_dir() for folder in folders):
        pytest.skip(f"the real corpus is not here: {REAL_CORPUS}")
    _in_memory(folders, tmp_path / "memory")
    _streamed(folders, tmp_path / "stream", 7, 2)
    _same_triples_and_rows(tmp_path / "memory", tmp_path / "stream", 7)


def test_the_neo4j_script_names_every_shard(tmp_path: Path) -> None:
    _streamed(SAMPLES, tmp_path, 3, 1)
    script = (tmp_path / "graph-neo4j.d" / "import.sh").read_text()
    assert script.count("--nodes=shard-") == 3 and "--array-delimiter=';'" in script


def test_one_array_item_with_the_delimiter_changes_it_in_every_shard(
    synthetic: Path, tmp_path: Path
) -> None:
    _streamed(synthetic, tmp_path, 7, 1)
    folder = tmp_path / "graph-neo4j.d"
    assert "--array-delimiter='U+001F'" in (folder / "import.sh").read_text()
    joined = [p for p in folder.glob("shard-*/nodes.csv") if b"\x1f" in p.read_bytes()]
    assert len(joined) > 1  # not only the shard that holds the topic


def test_a_format_that_cannot_stream_is_refused(tmp_path: Path) -> None:
    with sharded_build([SAMPLES], shards=2, jobs=1) as built, pytest.raises(ExportError):
        write_streaming(built, {"graphml": tmp_path / "graph.graphml"})


def test_memory_is_refused_to_other_workers_and_written_here(tmp_path: Path) -> None:
    """fsspec's memory:// is one process's: local worker processes leave it to this one."""
    import fsspec

    from newsgraph.graph.building.sharded import Runner

    memory = fsspec.filesystem("memory")
    with sharded_build([SAMPLES], shards=3, jobs=1) as built:
        with pytest.raises(ExportError, match="memory://"):
            write_streaming(built, {"nt": "memory://ng-stream/nt"}, runner=Runner(1))
        try:
            write_streaming(built, {"nt": "memory://ng-stream/nt"}, jobs=2)
            write_streaming(built, {"nt": tmp_path / "nt"}, jobs=2)
            written = {p.rsplit("/", 1)[1]: memory.cat_file(p) for p in memory.find("/ng-stream")}
        finally:
            memory.rm("/ng-stream", recursive=True)
    assert written == {p.name: p.read_bytes() for p in (tmp_path / "nt").iterdir()}
