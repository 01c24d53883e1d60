"""``newsgraph export``, ``formats`` and ``validate``, and the ``write_formats`` used by ``build -f``."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from newsgraph import dumps, formats, formats_table
from newsgraph.exporters.cli import main
from newsgraph.exporters.cli.export import parse_formats, write_formats
from newsgraph.exporters.property_graph.nodelink import graph_to_json


def run(argv: list[str]) -> int:
    """The command as the console script runs it: usage errors become their exit status."""
    try:
        return main(argv)
    except SystemExit as stopped:
        return int(stopped.code or 0)


@pytest.fixture
def graph_json(tiny: nx.MultiDiGraph, tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    path.write_bytes(graph_to_json(tiny))
    return path


def test_formats_lists_the_registry(capsys) -> None:
    assert run(["formats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines[1:]] == [f.name for f in formats()]
    assert run(["formats", "--markdown"]) == 0
    assert capsys.readouterr().out == formats_table()


def test_export_writes_each_format(graph_json: Path, tiny, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert run(["export", str(graph_json), "-f", "turtle,nt", "-f", "neo4j", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph-neo4j", "graph.nt", "graph.ttl"]
    assert (out / "graph.ttl").read_bytes() == dumps(tiny, "ttl")
    assert "wrote" in capsys.readouterr().out


def test_export_rdf_options(graph_json: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run(
            [
                "export",
                str(graph_json),
                "-f",
                "nt",
                "-o",
                str(out),
                "--schema-https",
                "--base-iri",
                "https://example.org/kg/",
                "-q",
            ]
        )
        == 0
    )
    text = (out / "graph.nt").read_text()
    assert "<https://schema.org/NewsArticle>" in text and "<https://example.org/kg/article/" in text


def test_an_unknown_format_fails_before_writing(graph_json: Path, tmp_path: Path, capsys) -> None:
    assert run(["export", str(graph_json), "-f", "nt,docx", "-o", str(tmp_path / "out")]) == 2
    assert not (tmp_path / "out").exists()
    [line] = capsys.readouterr().err.splitlines()
    assert "unknown format 'docx'; available: csv" in line


def test_problems_are_printed_once(hostile: nx.MultiDiGraph, tmp_path: Path, capsys) -> None:
    path = tmp_path / "graph.json"
    path.write_bytes(graph_to_json(hostile))
    # a value left out of an export is "reported and skipped": exit status 1
    assert run(["export", str(path), "-f", "nt,ttl,jsonld", "-o", str(tmp_path / "out"), "-q"]) == 1
    err = capsys.readouterr().err
    assert err.count("'javascript:alert(1)'") == 1
    problems = write_formats(hostile, tmp_path / "again", ["nt", "ttl"])
    assert len(problems) == len(set(problems)) and any(p.code == "bad-iri" for p in problems)


def test_write_formats_records_the_documents_read(tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    class Report:
        files_read = 47

    write_formats(tiny, tmp_path, ["nt", "graphml"], Report())
    assert '"47"^^<http://www.w3.org/2001/XMLSchema#integer>' in (tmp_path / "graph.nt").read_text()
    assert parse_formats(["nt, ttl", "NT", "n-triples"]) == ["nt", "ttl"]


def test_validate(tiny: nx.MultiDiGraph, tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.ttl"
    good.write_bytes(dumps(tiny, "ttl"))
    assert run(["validate", str(good)]) == 0
    assert "conforms" in capsys.readouterr().out
    bad = tmp_path / "bad.nt"
    bad.write_bytes(
        dumps(tiny, "nt") + b"<https://w3id.org/newsgraph/id/dataset> "
        b'<https://w3id.org/newsgraph/ns#colour> "red" .\n'
    )
    assert run(["validate", str(bad)]) == 1
    assert "violations" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("export", ["--format", "--output", "--base-iri", "--schema-https", "--quiet"]),
        ("formats", ["--markdown"]),
        ("validate", ["--format", "--quiet"]),
    ],
)
def test_every_subcommand_has_help(command: str, options: list[str], capsys) -> None:
    assert run([command, "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    for option in options:
        assert option in text, option
    assert "show this help message" in text and len(text) > 150


def test_main_runs_the_subcommands(graph_json: Path, tmp_path: Path, capsys) -> None:
    assert run(["export", str(graph_json), "-f", "yaml", "-o", str(tmp_path)]) == 2
    assert "unknown format 'yaml'" in capsys.readouterr().err
    assert main(["export", str(graph_json), "-f", "gexf", "-o", str(tmp_path), "-q"]) == 0
