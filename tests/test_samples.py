"""The bundled samples: reproducible from their script, and built into what samples/README.md says."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
NEWS = SAMPLES / "news"


@pytest.fixture(scope="module")
def make_samples() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_samples", SAMPLES / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_rewrites_the_committed_files_byte_for_byte(make_samples: ModuleType) -> None:
    on_disk = {str(p.relative_to(NEWS)): p.read_bytes() for p in NEWS.rglob("*") if p.is_file()}
    assert on_disk.keys() == make_samples.FILES.keys()
    for name, data in make_samples.FILES.items():
        assert on_disk[name] == data, f"samples/news/{name} is stale: run samples/make_samples.py"


def _articles_in(path: Path) -> list[dict[str, Any]]:
    """Read a sample file the plain way (no newsgraph code): its article mappings."""
    text = path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if path.suffix == ".json":
        return list(json.loads(text)["news"])
    if text.startswith("---\n"):
        head, closing, _ = text[4:].partition("\n---\n")
        if not closing:
            raise ValueError("front matter has no closing line")
        return [yaml.safe_load(head)]
    return list(yaml.safe_load(text))


def test_exactly_one_file_is_broken(make_samples: ModuleType) -> None:
    broken, articles = [], []
    for path in sorted(NEWS.rglob("*")):
        if path.is_file():
            try:
                articles += _articles_in(path)
            except ValueError:
                broken.append(path.name)
    assert broken == ["2024-05-02-draft-port-alder-budget-hearing.md"]
    expected = make_samples.expected()
    urls = [a.get("webUrl") or a["originalUrl"] for a in articles]
    assert len(urls) - len(set(urls)) == expected["duplicate_documents"]
    assert len(set(urls)) == expected["primary_articles"] == 50


def test_a_build_finds_what_the_readme_promises(make_samples: ModuleType) -> None:
    from newsgraph import build_graph

    expected, keys = make_samples.expected(), make_samples.expected()["keys"]
    G, report = build_graph([NEWS], jobs=1)

    def node(key: str) -> dict[str, Any]:
        return dict(G.nodes[f"article:{keys[key]}"])

    nodes: dict[str, int] = {}
    for _, kind in G.nodes(data="kind"):
        nodes[kind] = nodes.get(kind, 0) + 1
    edges: dict[str, int] = {}
    for *_, kind in G.edges(keys=True):
        edges[kind] = edges.get(kind, 0) + 1
    assert nodes == expected["nodes"]
    assert edges == expected["edges"]
    assert report.files_read + report.files_failed == expected["files"]
    assert (report.files_failed, report.duplicate_documents) == (1, 1)
    errors = [p for p in report.problems if str(p.severity) == "error"]
    assert [(Path(p.path).name, p.code) for p in errors] == [
        ("2024-05-02-draft-port-alder-budget-hearing.md", "frontmatter-unclosed")
    ]
    assert node("A1")["title"].endswith("(updated)")  # the newer duplicate wins
    assert G.has_edge(f"article:{keys['A3']}", f"article:{keys['A1']}", "related_to")  # by AMP
    assert G.has_edge(f"article:{keys['C5']}", f"article:{keys['C1']}", "related_to")  # by cache
    assert G.has_edge(f"article:{keys['D2']}", f"article:{keys['D1']}", "related_to")  # utm_*
    assert node("B5")["type"] == "video" and "webUrl" not in node("B5").get("extra", {})
    assert G.has_edge(f"article:{keys['A1']}", "provider:harbor.example", "published_by")
    assert "—" in node("S13")["excerpt"] and "’" in node("S13")["excerpt"]
    assert node("C2")["published"] == "2024-09-09T08:00:00Z"  # from -07:00 in the JSON
    assert node("X1")["is_stub"] and not node("A1")["is_stub"]
