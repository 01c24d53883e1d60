"""``newsgraph load`` and ``newsgraph query`` on good and bad targets.

A bad target (a wrong URL, a closed port, a store that holds data, a store folder that
is a file, a query with a syntax error) gives one line on stderr and exit 1, and leaves
the target as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from newsgraph.exporters.cli import main
from newsgraph.exporters.property_graph.nodelink import graph_to_json
from newsgraph.exporters.stores import graph_counts, open_store
from tests.stores.conftest import free_port, need


@pytest.fixture
def graph_json(tmp_path: Path, sample_graph: nx.MultiDiGraph) -> Path:
    path = tmp_path / "graph.json"
    path.write_bytes(graph_to_json(sample_graph))
    return path


def one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> None:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("newsgraph "), err
    for needle in needles:
        assert needle in err, err


@pytest.mark.parametrize("scheme", ["oxigraph", "ladybug"])
def test_load_then_query_then_refuse_then_replace(
    scheme: str, tmp_path: Path, graph_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("pyoxigraph" if scheme == "oxigraph" else "ladybug")
    target = f"{scheme}:{tmp_path / 'db'}"
    assert main(["load", str(graph_json), "--into", target]) == 0
    assert "article 56" in capsys.readouterr().out
    before = sorted((tmp_path / "db").rglob("*")) if scheme == "oxigraph" else None
    assert main(["load", str(graph_json), "--into", target]) == 1
    one_line_error(capsys, "holds data", "--replace")
    if before is not None:
        assert sorted((tmp_path / "db").rglob("*")) == before
    assert open_store(target).counts() == graph_counts(nx.MultiDiGraph(_read(graph_json)))
    assert main(["load", str(graph_json), "--into", target, "--replace", "-q"]) == 0
    assert capsys.readouterr().out == ""
    text = (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a a <http://schema.org/NewsArticle> }"
        if scheme == "oxigraph"
        else "MATCH (a:Article) RETURN count(a) AS n"
    )
    assert main(["query", target, text, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"n": 56}]
    bad = "SELEC ?x" if scheme == "oxigraph" else "MATCH (a RETURN a"
    assert main(["query", target, bad]) == 1
    one_line_error(capsys, "syntax" if scheme == "oxigraph" else "Parser")


def _read(path: Path) -> nx.MultiDiGraph:
    from newsgraph import read_graph

    return read_graph(path)


def test_query_parameters_and_csv(
    tmp_path: Path, graph_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("ladybug")
    target = f"ladybug:{tmp_path / 'news.lbug'}"
    assert main(["load", str(graph_json), "--into", target, "-q"]) == 0
    text = "MATCH (a:Article)-[:ABOUT]->(t:Topic) WHERE t.name = $topic RETURN count(a) AS n"
    assert main(["query", target, text, "-p", "topic=Climate", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "n\n11\n"


def test_a_store_folder_that_is_a_file(
    tmp_path: Path, graph_json: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("pyoxigraph")
    afile = tmp_path / "store"
    afile.write_text("not a store")
    assert main(["load", str(graph_json), "--into", f"oxigraph:{afile}"]) == 1
    one_line_error(capsys, "not a folder")
    assert afile.read_text() == "not a store"


def test_a_closed_port(graph_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    port = free_port()  # nothing listens there once the probe socket is closed
    assert main(["load", str(graph_json), "--into", f"http://127.0.0.1:{port}"]) == 1
    one_line_error(capsys, "cannot reach", "refused")
    need("falkordb")
    assert main(["query", f"falkordb://127.0.0.1:{port}/g", "MATCH (n) RETURN n"]) == 1
    one_line_error(capsys, "cannot reach")


def test_a_wrong_url(
    graph_json: Path, capsys: pytest.CaptureFixture[str], oxigraph_server: str
) -> None:
    assert main(["load", str(graph_json), "--into", "mysql://localhost/x"]) == 1
    one_line_error(capsys, "unknown target")
    assert main(["query", f"{oxigraph_server}/nowhere", "SELECT * WHERE { ?s ?p ?o }"]) == 1
    one_line_error(capsys, "HTTP 404")


def test_a_server_that_holds_data_is_left_as_it_was(
    graph_json: Path, capsys: pytest.CaptureFixture[str], falkordb_socket: str
) -> None:
    target = f"falkordb+unix://{falkordb_socket}?graph=cli"
    assert main(["load", str(graph_json), "--into", target, "-q"]) == 0
    counts = open_store(target).counts()
    assert main(["load", str(graph_json), "--into", target]) == 1
    one_line_error(capsys, "holds data")
    assert open_store(target).counts() == counts
    assert main(["query", target, "MATCH (n RETURN n"]) == 1
    one_line_error(capsys)
    assert main(["load", str(graph_json), "--into", target, "--replace", "-q"]) == 0
    assert open_store(target).counts() == counts


def test_load_builds_from_article_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    need("ladybug")
    sample = Path(__file__).resolve().parents[2] / "samples" / "news"
    assert main(["load", str(sample), "--into", f"ladybug:{tmp_path / 'x.lbug'}", "--analyze"]) == 0
    assert "article 56" in capsys.readouterr().out
