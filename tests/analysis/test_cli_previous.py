"""``newsgraph analyze --previous DIR`` and ``--update``: community ids kept across updates."""

import csv
import json
from pathlib import Path

import pytest

from newsgraph.exporters.cli import main


def write_article(folder: Path, group: str, i: int) -> None:
    """An invented article of topic group *group* (kites or trams)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join(
        [
            "---",
            f'title: "{group.title()} story number {i}"',
            f"publishedDateTime: 2024-03-{i + 1:02d}T09:00:00Z",
            f'webUrl: "https://{group}.example/{i}"',
            "provider:",
            f"  name: {group}{i % 2}.example",
            f"  domain: {group}{i % 2}.example",
            "topics:",
            f"  - {group.title()}",
            f"  - {group.title()} Weekly",
            "---",
            "",
        ]
    )
    (folder / f"{group}-{i}.md").write_text(text, encoding="utf-8")


def run(*argv: str) -> int:
    try:
        return main(list(argv))
    except SystemExit as stopped:
        return int(stopped.code or 0)


def communities_of(out: Path) -> dict[str, str]:
    with open(out / "membership.csv", newline="", encoding="utf-8") as stream:
        return {row["node"].rsplit("/", 2)[-2]: row["community"] for row in csv.DictReader(stream)}


def membership(out: Path) -> dict[str, str]:
    with open(out / "membership.csv", newline="", encoding="utf-8") as stream:
        return {row["node"]: row["community"] for row in csv.DictReader(stream)}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    news = tmp_path / "news"
    for i in range(4):
        write_article(news, "trams", i)
    for i in range(3):
        write_article(news, "kites", i)
    return news


def test_update_keeps_the_ids_where_the_members_stayed(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q") == 0
    first = membership(out)
    assert set(communities_of(out).items()) == {("trams.example", "0"), ("kites.example", "1")}
    assert json.loads((out / "churn.json").read_text()) == {"previous": False, "next_id": 2}
    for i in range(3, 7):  # kites grow past trams: numbered by size they would swap ids
        write_article(corpus, "kites", i)
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "--update") == 0
    second = membership(out)
    assert {n: c for n, c in second.items() if n in first} == first
    assert {c for n, c in second.items() if n not in first} == {"1"}
    churn = json.loads((out / "churn.json").read_text())
    assert churn["previous"] is True and churn["next_id"] == 2
    assert (churn["added"], churn["moved"], churn["joined"]) == (4, 0, [1])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["warm_start"] is True and summary["next_community_id"] == 2
    assert "since the previous analysis: 2 communities kept their id" in capsys.readouterr().out
    # The same update without the previous analysis renumbers by size: the kites become 0.
    cold = tmp_path / "cold"
    assert run("analyze", str(corpus), "-o", str(cold), "-j", "1", "-q") == 0
    assert communities_of(cold)["kites.example"] == "0"
    again = tmp_path / "again"
    assert (
        run("analyze", str(corpus), "-o", str(again), "-j", "1", "-q", "--previous", str(out)) == 0
    )
    assert membership(again) == second


def test_update_of_an_empty_folder_starts_afresh(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q", "--update") == 0
    assert json.loads((out / "churn.json").read_text())["previous"] is False
    out.joinpath("membership.csv").unlink()
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q", "--update") == 0
    assert "no earlier analysis in" in capsys.readouterr().err


def test_a_damaged_previous_analysis(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q") == 0
    (out / "membership.csv").write_text("node,kind,community,story\narticle:x,article,two,\n")
    assert (
        run("analyze", str(corpus), "-o", str(tmp_path / "o2"), "-q", "--previous", str(out)) == 2
    )
    err = capsys.readouterr().err
    assert (
        "not an analysis 'newsgraph analyze' can start from" in err and len(err.splitlines()) == 1
    )
    assert not (tmp_path / "o2").exists()
    # --update says so and starts afresh, like a build whose manifest is damaged.
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q", "--update") == 0
    assert "starting afresh, ids from 0" in capsys.readouterr().err
    assert json.loads((out / "churn.json").read_text())["previous"] is False


def test_bad_combinations(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q") == 0
    assert run("analyze", str(corpus), "-o", str(out), "--update", "--previous", str(out)) == 2
    assert "not allowed with argument" in capsys.readouterr().err
    assert run("analyze", str(corpus), "-o", str(out), "-q", "--on", "graph", "--update") == 2
    assert "clustered --on articles, not --on graph" in capsys.readouterr().err


def test_plot_starts_from_a_previous_analysis(tmp_path, corpus, capsys):
    out = tmp_path / "out"
    assert run("analyze", str(corpus), "-o", str(out), "-j", "1", "-q") == 0
    for i in range(3, 7):  # the kites outgrow the trams, as above
        write_article(corpus, "kites", i)
    figures = tmp_path / "figures"
    capsys.readouterr()
    argv = (
        "plot",
        str(corpus),
        "-o",
        str(figures),
        "-j",
        "1",
        "--by",
        "community",
        "--format",
        "svg",
    )
    assert run(*argv, "--previous", str(out)) == 0
    warm = capsys.readouterr().out
    assert "communities:" in warm and "since the previous" in warm
    svg = (figures / "timeline-community.svg").read_text(encoding="utf-8")
    assert run(*argv) == 0 and "since the previous" not in capsys.readouterr().out
    assert svg != (figures / "timeline-community.svg").read_text(encoding="utf-8")
    assert run(*argv, "--previous", str(tmp_path / "nowhere")) == 2


def test_an_update_names_what_it_touched_and_the_churn_counts_it_as_joined(tmp_path, corpus):
    """build --update writes the article nodes it touched into update.json; analyze
    --from-json of that graph.json counts the communities they are in as joined, though no
    node is new to the graph."""
    build, first, second = tmp_path / "build", tmp_path / "first", tmp_path / "second"
    assert run("build", str(corpus), "-o", str(build), "--update", "-j", "1", "-q") == 0
    graph = str(build / "graph.json")
    assert run("analyze", graph, "--from-json", "-o", str(first), "-j", "1", "-q") == 0
    kites = membership(first)["article:https://kites.example/1"]
    path = corpus / "kites-1.md"
    path.write_text(path.read_text().replace("story number", "story, retold, number"))
    assert run("build", str(corpus), "-o", str(build), "--update", "-j", "1", "-q") == 0
    update = json.loads((build / "update.json").read_text())
    assert update["patched"] is True
    assert update["articles"]["nodes"] == ["article:https://kites.example/1"]
    argv = ["analyze", graph, "--from-json", "-j", "1", "-q", "--previous", str(first)]
    assert run(*argv, "-o", str(second)) == 0
    churn = json.loads((second / "churn.json").read_text())
    assert (churn["added"], churn["joined"]) == (0, [int(kites)])
    # update.json of another graph.json (a plain build since) is not read
    assert run("build", str(corpus), "-o", str(build), "-j", "1", "-q") == 0
    path.write_text(path.read_text().replace("retold", "told again"))
    assert run("build", str(corpus), "-o", str(build), "-j", "1", "-q") == 0
    assert run(*argv, "-o", str(tmp_path / "third")) == 0
    assert json.loads((tmp_path / "third" / "churn.json").read_text())["joined"] == []
