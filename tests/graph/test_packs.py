"""Packs (issue 19): tar and zip archives and JSON Lines files read without unpacking.

The same invented documents as a folder, a tar, a zip and a JSON Lines file give the same
graph but for ``sources`` (what a source is called in each: see ``graph/reading/packs.py``);
a bad member or line is a problem naming it, and the rest is read.
"""

from __future__ import annotations

import io
import itertools
import json
import stat
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from newsgraph import ReadOptions, build_graph, load_records
from newsgraph.graph.errors import StrictModeError
from newsgraph.graph.reading import list_items, read_part
from newsgraph.graph.reading.packs import iter_documents, pack_parts
from tests.conftest import article_text

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "news"


def _content(G: nx.MultiDiGraph) -> str:
    """Every node and edge attribute but ``sources``, and the graph's attributes but the
    number of documents (a JSON Lines file is one), as canonical JSON text."""
    nodes = [
        [node, {k: v for k, v in sorted(data.items()) if k != "sources"}]
        for node, data in sorted(G.nodes(data=True))
    ]
    edges = sorted([u, v, k, data] for u, v, k, data in G.edges(keys=True, data=True))
    graph = {k: v for k, v in G.graph.items() if k != "documents"}
    return json.dumps([nodes, edges, graph], sort_keys=True, ensure_ascii=False)


def _documents(n: int = 24) -> list[dict[str, Any]]:
    """Invented articles with the traps merging must get right: duplicates, AMP aliases,
    related stubs, one broken date."""
    documents = []
    for i in range(n):
        doc: dict[str, Any] = {
            "title": f"Harbour council vote {i}",
            "webUrl": f"https://news.packs.example/story-{i % 20}",
            "ampWebUrl": f"https://news.packs.example/amp/story-{i % 20}",
            "publishedDateTime": f"2024-03-{1 + i % 20:02d}T08:00:00Z",
            "updatedDateTime": f"2024-04-{1 + i % 28:02d}T08:00:00Z",
            "provider": {"name": "Packs Daily", "domain": "packs.example"},
            "topics": [f"Topic {i % 5}", "Harbour"],
            "related": [
                {
                    "title": f"Earlier {i}",
                    "webUrl": f"https://news.packs.example/amp/story-{(i + 1) % 20}",
                }
            ],
        }
        if i == 3:
            doc["heat"] = "warm"  # a problem on a known line
        documents.append(doc)
    return documents


def _folder(root: Path, documents: list[dict[str, Any]]) -> Path:
    folder = root / "feed"
    (folder / "day").mkdir(parents=True)
    for i, doc in enumerate(documents):
        (folder / "day" / f"{i:03d}.md").write_text(article_text(**doc), encoding="utf-8")
    return folder


def _tar(folder: Path, path: Path) -> Path:
    with tarfile.open(path, "w:gz" if path.name.endswith("gz") else "w") as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.add(file, arcname=f"./{file.relative_to(folder).as_posix()}")
    return path


def _zip(folder: Path, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(file, file.relative_to(folder).as_posix())
    return path


def _jsonl(documents: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(d) + "\n" for d in documents), encoding="utf-8")
    return path


@pytest.fixture
def packed(tmp_path: Path) -> dict[str, Path]:
    documents = _documents()
    folder = _folder(tmp_path, documents)
    return {
        "folder": folder,
        "tar": _tar(folder, tmp_path / "feed.tar"),
        "tgz": _tar(folder, tmp_path / "feed.tgz"),
        "zip": _zip(folder, tmp_path / "feed.zip"),
        "jsonl": _jsonl(documents, tmp_path / "feed.jsonl"),
    }


# -- the same graph from a folder and from packs -----------------------------------------------


@pytest.mark.parametrize("kind", ["tar", "tgz", "zip", "jsonl"])
def test_a_pack_gives_the_graph_of_the_folder_but_for_sources(
    packed: dict[str, Path], kind: str
) -> None:
    G, report = build_graph([packed["folder"]], jobs=1)
    H, pack_report = build_graph([packed[kind]], jobs=1)
    assert _content(H) == _content(G)
    name = packed[kind].name
    (problem,) = pack_report.problems  # the "heat" of document 3
    ((_, folder_sources),) = _sources(G)
    ((_, pack_sources),) = _sources(H)
    if kind == "jsonl":
        assert (problem.path, problem.line, problem.code) == ("feed.jsonl", 4, "bad-number")
        assert pack_sources == {"feed.jsonl"}  # a JSON Lines file is one source
        assert (pack_report.files_read, pack_report.files_failed) == (1, 0)
    else:  # a member is a file: the folder's name swapped for the pack's
        assert (problem.path, problem.line, problem.code) == (
            f"{name}/day/003.md",
            report.problems[0].line,
            "bad-number",
        )
        assert pack_sources == {s.replace("feed/", f"{name}/", 1) for s in folder_sources}
        assert (pack_report.files_read, pack_report.files_failed) == (24, 0)


def _sources(G: nx.MultiDiGraph) -> list[tuple[str, set[str]]]:
    """The sources of the article that document 3 describes, and of no other node."""
    return [
        (n, set(d["sources"]))
        for n, d in G.nodes(data=True)
        if n == "article:https://news.packs.example/story-3"
    ]


def test_the_sample_as_a_tar_gives_the_sample_graph(tmp_path: Path) -> None:
    G, report = build_graph([SAMPLE], jobs=1)
    H, pack_report = build_graph([_tar(SAMPLE, tmp_path / "news.tar.gz")], jobs=2)
    assert _content(H) == _content(G)
    renamed = [
        (p.path.replace("news.tar.gz/", "news/"), p.line, p.code) for p in pack_report.problems
    ]
    assert renamed == [(p.path, p.line, p.code) for p in report.problems]
    assert (pack_report.files_read, pack_report.files_failed) == (
        report.files_read,
        report.files_failed,
    )


def test_a_json_lines_pack_cut_in_parts_reads_the_same(tmp_path: Path) -> None:
    documents = _documents(60)
    path = _jsonl(documents, tmp_path / "feed.jsonl")
    parts = pack_parts(str(path), "feed.jsonl", part_bytes=2000)
    assert len(parts) > 5 and parts[0].start == 0 and parts[-1].stop == path.stat().st_size
    assert all(a.stop == b.start for a, b in itertools.pairwise(parts))
    lines = [d.line for part in parts for d in iter_documents(part)]
    assert lines == list(range(1, 61))
    whole = list(read_part(pack_parts(str(path), "feed.jsonl")[0]))
    cut = [t for part in parts for t in read_part(part)]
    assert sorted(a.key for _, t in [(0, whole[0])] for a in t[0]) == sorted(
        a.key for articles, _, _ in cut for a in articles
    )
    assert [p for _, problems, _ in cut for p in problems] == whole[0][1]
    assert sum(files for _, _, files in cut) == 1  # one file, however many parts


def test_a_big_json_lines_pack_is_read_by_several_workers(tmp_path: Path) -> None:
    documents = _documents(400)
    folder = _folder(tmp_path, documents)
    path = _jsonl(documents, tmp_path / "feed.jsonl")
    _, parts, _ = list_items([path])
    assert len(parts) == 1  # 8 MiB parts: a small file is one
    G, _ = build_graph([folder], jobs=1)
    H, report = build_graph([path], jobs=2)
    assert _content(H) == _content(G) and report.files_read == 1


# -- what a pack may hold ------------------------------------------------------------------------


def _member(archive: tarfile.TarFile, name: str, data: bytes = b"", **info: Any) -> None:
    member = tarfile.TarInfo(name)
    member.size = len(data)
    for key, value in info.items():
        setattr(member, key, value)
    archive.addfile(member, io.BytesIO(data) if data else None)


def _good(n: int) -> bytes:
    return article_text(title=f"Good {n}", webUrl=f"https://good.example/{n}").encode()


def test_a_hostile_tar_is_read_around_its_bad_members(tmp_path: Path) -> None:
    path = tmp_path / "hostile.tar"
    with tarfile.open(path, "w") as archive:
        _member(archive, "a.md", _good(1))
        _member(archive, "/etc/passwd.md", _good(2))
        _member(archive, "../up.md", _good(3))
        _member(archive, "link.md", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        _member(archive, "hard.md", type=tarfile.LNKTYPE, linkname="a.md")
        _member(archive, "device.md", type=tarfile.CHRTYPE)
        _member(archive, "big.md", _good(4) + b"x" * 600)
        _member(archive, "a.md", _good(5))  # the same name again
        _member(archive, "._a.md", b"\x00\x05\x16\x07 apple double")  # hidden: skipped
        _member(archive, "dir", type=tarfile.DIRTYPE)
        _member(archive, "dir/b.md", _good(6))
    articles, problems = load_records([path], ReadOptions(max_file_bytes=500))
    assert sorted(a.key for a in articles) == ["https://good.example/1", "https://good.example/6"]
    assert sorted((p.path, p.code) for p in problems) == [
        ("hostile.tar/../up.md", "unsafe-member-name"),
        ("hostile.tar//etc/passwd.md", "unsafe-member-name"),
        ("hostile.tar/a.md", "duplicate-member"),
        ("hostile.tar/big.md", "file-too-large"),
        ("hostile.tar/device.md", "not-regular-file"),
        ("hostile.tar/hard.md", "link-in-pack"),
        ("hostile.tar/link.md", "link-in-pack"),
    ]
    _, report = build_graph([path], jobs=1, options=ReadOptions(max_file_bytes=500))
    assert (report.files_read, report.files_failed) == (2, 7)


def test_a_truncated_tar_keeps_what_came_before_the_break(tmp_path: Path) -> None:
    whole = tmp_path / "whole.tar.gz"
    with tarfile.open(whole, "w:gz") as archive:
        for n in range(40):
            _member(archive, f"{n:02d}.md", _good(n) + bytes(range(256)) * 8)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    articles, problems = load_records([cut])
    assert 0 < len(articles) < 40
    assert [(p.path, p.code) for p in problems if p.code == "pack-unreadable"] == [
        ("cut.tar.gz", "pack-unreadable")
    ]


def test_a_file_named_as_a_pack_that_is_not_one_is_a_problem(tmp_path: Path) -> None:
    for name in ("fake.tar", "fake.zip"):
        (tmp_path / name).write_text("---\ntitle: not an archive\n---\n")
    _, report = build_graph([tmp_path], jobs=1)
    assert sorted((p.path, p.code) for p in report.problems) == [
        (f"{tmp_path.name}/fake.tar", "pack-unreadable"),
        (f"{tmp_path.name}/fake.zip", "pack-unreadable"),
    ]
    assert report.files_failed == 2


def test_a_hostile_zip_is_read_around_its_bad_members(tmp_path: Path) -> None:
    path = tmp_path / "hostile.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.md", _good(1))
        archive.writestr("../up.md", _good(2))
        link = zipfile.ZipInfo("link.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("big.md", _good(3) + b"x" * 600)
        archive.writestr("sub/b.md", _good(4))
        archive.writestr("corrupt.md", _good(5) * 4)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("corrupt.md")
        start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + 5] ^= 0xFF  # a byte of the compressed member: its CRC no longer matches
    path.write_bytes(bytes(data))
    articles, problems = load_records([path], ReadOptions(max_file_bytes=500))
    assert sorted(a.key for a in articles) == ["https://good.example/1", "https://good.example/4"]
    assert sorted((p.path, p.code) for p in problems) == [
        ("hostile.zip/../up.md", "unsafe-member-name"),
        ("hostile.zip/big.md", "file-too-large"),
        ("hostile.zip/corrupt.md", "unreadable"),
        ("hostile.zip/link.md", "link-in-pack"),
    ]


def test_json_lines_problems_name_the_line_and_the_rest_is_read(tmp_path: Path) -> None:
    good = [json.dumps({"webUrl": f"https://good.example/{n}", "title": "T"}) for n in range(4)]
    text = "\ufeff" + good[0] + "\r\n\n" + "{broken\n" + good[1] + "\n"
    text += json.dumps({"webUrl": "https://good.example/long", "excerpt": "x" * 900}) + "\n"
    text += good[2] + "\n" + json.dumps({"title": "no url", "provider": {"name": "P"}}) + "\n"
    path = tmp_path / "dump.jsonl"
    path.write_text(text, encoding="utf-8")
    articles, problems = load_records([path], ReadOptions(max_file_bytes=400))
    assert sorted(a.key for a in articles) == [
        "https://good.example/0",
        "https://good.example/1",
        "https://good.example/2",
        "path:dump.jsonl#7",  # no URL: named by its line
    ]
    assert {a.source for a in articles} == {"dump.jsonl"}
    assert [(p.path, p.line, p.code) for p in sorted(problems)] == [
        ("dump.jsonl", 1, "bom-removed"),
        ("dump.jsonl", 3, "json-syntax"),
        ("dump.jsonl", 5, "file-too-large"),
        ("dump.jsonl", 7, "no-url"),
        ("dump.jsonl", 7, "missing-domain"),
    ]


def test_the_size_cap_is_per_document_not_per_pack(tmp_path: Path, packed: dict[str, Path]) -> None:
    options = ReadOptions(max_file_bytes=700)
    assert all(p.stat().st_size > 700 for k, p in packed.items() if k != "folder")
    for kind in ("tar", "zip", "jsonl"):
        articles, problems = load_records([packed[kind]], options)
        assert len(articles) == 24 and [p.code for p in problems] == ["bad-number"], kind


def test_strict_mode_stops_at_a_problem_in_a_pack(packed: dict[str, Path]) -> None:
    for kind in ("tar", "jsonl"):
        with pytest.raises(StrictModeError, match="heat"):
            build_graph([packed[kind]], jobs=1, strict=True)


def test_a_sharded_build_reads_packs_as_build_graph_does(packed: dict[str, Path]) -> None:
    from newsgraph import dumps

    inputs = [packed["tar"], packed["jsonl"], packed["folder"]]
    G, report = build_graph(inputs, jobs=1)
    H, sharded_report = build_graph(inputs, jobs=2, shards=3)
    assert dumps(H, "json") == dumps(G, "json")
    assert sharded_report.to_dict() == report.to_dict()
    assert (report.files_read, report.files_failed) == (24 + 1 + 24, 0)
