"""The ``analyze`` and ``plot`` subcommands, run through their own parser on invented files."""

import argparse
import csv
import json
from pathlib import Path

import pytest

from newsgraph.exporters.cli import analyze, main, plot
from newsgraph.exporters.property_graph.nodelink import graph_to_json

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

# (slug, provider, title, published, topics, related slugs) -- invented
ARTICLES = [
    (
        "kite-1",
        "alpha.example",
        "Kite festival fills the beach with colour",
        "2023-07-01T09:00:00Z",
        ["Kites", "Beach"],
        ["kite-2"],
    ),
    (
        "kite-2",
        "beta.example",
        "Beach kite festival draws record colour and crowds",
        "2023-07-01T15:00:00Z",
        ["Kites", "Beach"],
        [],
    ),
    (
        "kite-3",
        "gamma.example",
        "Colour and kites: the beach festival in pictures",
        "2023-07-02T08:00:00Z",
        ["Kites", "Beach"],
        [],
    ),
    (
        "tram-1",
        "alpha.example",
        "New tram line opens to the airport",
        "2023-08-10T07:00:00Z",
        ["Transport", "Trams"],
        ["tram-2"],
    ),
    (
        "tram-2",
        "gamma.example",
        "Airport tram line opens to passengers",
        "2023-08-10T10:00:00Z",
        ["Transport", "Trams"],
        [],
    ),
    (
        "tram-3",
        "beta.example",
        "Bus fares frozen for another year",
        "2023-09-01T07:00:00Z",
        ["Transport"],
        [],
    ),
]


def write_corpus(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for slug, provider, title, published, topics, related in ARTICLES:
        lines = [
            "---",
            f'title: "{title}"',
            f"publishedDateTime: {published}",
            f'webUrl: "https://{provider}/{slug}"',
            "provider:",
            f"  name: {provider}",
            f"  domain: {provider}",
            "topics:",
            *[f"  - {t}" for t in topics],
        ]
        if related:
            lines.append("related:")
            for other in related:
                owner = next(a for a in ARTICLES if a[0] == other)
                lines += [f'  - title: "{owner[2]}"', f'    webUrl: "https://{owner[1]}/{other}"']
        (folder / f"{slug}.md").write_text("\n".join([*lines, "---", ""]), encoding="utf-8")
    return folder


def run(*argv: str) -> int:
    """The command as the console script runs it: usage errors become their exit status."""
    try:
        return main(list(argv))
    except SystemExit as stopped:
        return int(stopped.code or 0)


def test_analyze_writes_tables_and_prints_a_summary(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "news")
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "--method", "louvain") == 0
    for name in ("communities", "stories", "centrality", "counts"):
        assert (out / f"{name}.csv").stat().st_size > 0
        assert isinstance(json.loads((out / f"{name}.json").read_text()), list)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["method"] == "louvain" and summary["on"] == "articles"
    assert summary["nodes"]["article"] == 6 and -0.5 <= summary["modularity"] <= 1
    stories = json.loads((out / "stories.json").read_text())
    assert sorted(len(s["articles"]) for s in stories) == [2, 3]
    with open(out / "communities.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [sorted(r["topics"].split(" | ")) for r in rows] == [
        ["Beach", "Kites"],
        ["Trams", "Transport"],
    ]
    with open(out / "membership.csv", newline="", encoding="utf-8") as stream:
        membership = list(csv.DictReader(stream))
    assert len(membership) == 6 and {r["kind"] for r in membership} == {"article"}
    printed = capsys.readouterr().out
    assert "communities: " in printed and "modularity" in printed and "stories: 2" in printed


def test_analyze_whole_graph_from_json(tmp_path, toy, capsys):
    graph_json = tmp_path / "graph.json"
    graph_json.write_bytes(graph_to_json(toy))
    out = tmp_path / "out"
    assert (
        run(
            "analyze",
            str(graph_json),
            "--from-json",
            "--on",
            "graph",
            "-o",
            str(out),
            "--min-providers",
            "3",
            "-q",
        )
        == 0
    )
    assert capsys.readouterr().out == ""
    assert json.loads((out / "summary.json").read_text())["stories"] == 1
    with open(out / "membership.csv", newline="", encoding="utf-8") as stream:
        kinds = {r["kind"] for r in csv.DictReader(stream)}
    assert kinds == {"article", "provider", "topic", "tag"}


def test_plot_writes_every_figure(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    out = tmp_path / "figures"
    assert run("plot", str(corpus), "-o", str(out), "-j", "1", "-q") == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "communities.png",
        "cooccurrence.png",
        "degrees.png",
        "timeline-community.png",
        "timeline-provider.png",
        "timeline-topic.png",
    ]
    for path in out.iterdir():
        assert path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size > 5000


def test_plot_svg_and_bad_groups(tmp_path, toy):
    graph_json = tmp_path / "graph.json"
    graph_json.write_bytes(graph_to_json(toy))
    out = tmp_path / "figures"
    assert (
        run(
            "plot",
            str(graph_json),
            "--from-json",
            "--format",
            "svg",
            "--by",
            "all",
            "-o",
            str(out),
            "-q",
        )
        == 0
    )
    assert (out / "timeline-all.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert run("plot", str(graph_json), "--from-json", "--by", "colour", "-o", str(out)) == 2


def test_every_subcommand_has_help():
    parser = argparse.ArgumentParser(prog="newsgraph")
    subparsers = parser.add_subparsers()
    analyze.add_parsers(subparsers)
    plot.add_parsers(subparsers)
    for name, sub in subparsers.choices.items():
        assert sub.description, name
        assert all(action.help for action in sub._actions), name


@pytest.mark.skipif(not (SHARED / "corpus" / "powerapps").is_dir(), reason="no shared corpus")
def test_analyze_real_corpus(tmp_path, capsys):
    out = tmp_path / "out"
    run("analyze", str(SHARED / "corpus" / "powerapps"), "-o", str(out), "-j", "1")
    summary = json.loads((out / "summary.json").read_text())
    assert summary["communities"] > 1 and summary["modularity"] > 0.2
    communities = json.loads((out / "communities.json").read_text())
    assert all(c["label"] for c in communities[:5])
    assert "modularity" in capsys.readouterr().out


def test_analyze_per_time_window_and_reports_unclustered(tmp_path):
    corpus = write_corpus(tmp_path / "news")
    out = tmp_path / "out"
    argv = ["analyze", str(corpus), "-o", str(out), "-j", "1", "-q", "--min-size", "2"]
    assert run(*argv, "--since", "2023-07-01", "--until", "2023-08-01") == 0
    summary = json.loads((out / "summary.json").read_text())
    assert summary["nodes"]["article"] == 3  # every table describes the window
    assert summary["clustered"] + summary["unclustered"] == 3  # only July's three kite articles
    assert (summary["since"], summary["until"], summary["min_size"]) == (
        "2023-07-01",
        "2023-08-01",
        2,
    )
    stories = json.loads((out / "stories.json").read_text())
    assert [len(s["articles"]) for s in stories] == [3]


@pytest.mark.parametrize(
    "option",
    [
        ["--since", "last tuesday"],
        ["--min-size", "0"],
        ["--neighbours", "x"],
        ["--story-threshold", "1.5"],
        ["--window-hours", "-3"],
        ["--cohesion", "0"],
    ],
)
def test_bad_analysis_options_exit_2(tmp_path, option, capsys):
    assert run("analyze", str(tmp_path), "-o", str(tmp_path / "out"), *option) == 2
    assert option[0] in capsys.readouterr().err


def test_until_before_since_is_refused(tmp_path, capsys):
    corpus = write_corpus(tmp_path / "news")
    argv = ["plot", str(corpus), "-o", str(tmp_path / "o"), "-j", "1", "-q"]
    assert run(*argv, "--since", "2023-08-01", "--until", "2023-07-01") == 2
    assert "--until must be later than --since" in capsys.readouterr().err
