"""Tests for ``newsgraph build``: outputs, exit codes 0/1/2, messages, and every ``--help``."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from newsgraph.exporters.cli import main, make_parser
from newsgraph.exporters.property_graph.nodelink import graph_from_json

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
SEEDLIKE = FIXTURES / "seedlike"


def _run(*argv: str | Path) -> int:
    """``main`` with usage errors turned into their exit code, as the console script does."""
    try:
        return main([str(a) for a in argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SEEDLIKE, folder)
    shutil.copy(FIXTURES / "forms" / "one_article.json", folder)
    return folder


# -- exit codes and outputs ------------------------------------------------------------------------


def test_a_clean_build_exits_0_and_writes_graph_and_report(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run("build", inputs, "-o", out, "--jobs", "1") == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.json", "report.json"]
    G = graph_from_json((out / "graph.json").read_bytes())
    assert sum(kind == "article" for _, kind in G.nodes(data="kind")) == 7
    report = json.loads((out / "report.json").read_text())
    assert report["files"] == {"read": 2, "failed": 0}
    assert report["articles"] == {"total": 7, "primary": 2, "stubs": 5}
    assert report["nodes"]["article"] == 7 and report["edges"]["related_to"] == 5
    captured = capsys.readouterr()
    assert "files: 2 read, 0 failed" in captured.out
    assert str(out / "graph.json") in captured.out
    assert captured.err == ""  # a repair is not worth a line on stderr


def test_skipped_inputs_exit_1_and_are_named_by_file_and_line(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "rejected" / "duplicate_key.md", inputs / "dup.md")
    shutil.copy(FIXTURES / "forms" / "articles.jsonl", inputs / "lines.jsonl")
    out = tmp_path / "out"
    assert _run("build", inputs, "-o", out, "-j", "2") == 1
    err = capsys.readouterr().err.splitlines()
    # files are named portably: the input folder's name, then the path inside it
    assert f"{inputs.name}/dup.md:4:1: error: duplicate key 'title' [yaml-duplicate-key]" in err
    assert any(
        line.startswith(f"{inputs.name}/lines.jsonl:2:") and "[json-syntax]" in line for line in err
    )
    assert all("Traceback" not in line for line in err)
    report = json.loads((out / "report.json").read_text())
    assert report["problems"]["by_code"]["yaml-duplicate-key"] == 1
    [item] = [i for i in report["problems"]["items"] if i["code"] == "yaml-duplicate-key"]
    assert (item["path"], item["line"], item["column"]) == (f"{inputs.name}/dup.md", 4, 1)
    # the rest was built anyway
    assert report["articles"]["total"] == 9


def test_a_missing_input_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run("build", tmp_path / "nowhere", "-o", tmp_path / "out") == 2
    assert f"{tmp_path / 'nowhere'}: no such file or folder" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_many_problems_are_cut_short_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(25):
        (folder / f"{i:02d}.md").write_text("---\nunclosed: yes\n")
    assert _run("build", folder, "-o", tmp_path / "out", "-q") == 1
    captured = capsys.readouterr()
    assert captured.out == ""  # --quiet
    lines = captured.err.splitlines()
    assert len(lines) == 21 and lines[-1].startswith("... and 5 more in ")


def test_strict_stops_exits_1_and_writes_nothing(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "rejected" / "anchors.md", inputs / "anchors.md")
    out = tmp_path / "out"
    assert _run("build", inputs, "-o", out, "--strict", "--jobs", "2") == 1
    assert not out.exists()
    err = capsys.readouterr().err
    assert err.startswith(f"newsgraph build: --strict: {inputs.name}/anchors.md:2:8: error:")
    assert "[yaml-alias]" in err


def test_strict_passes_a_clean_build(inputs: Path, tmp_path: Path) -> None:
    assert _run("build", inputs, "-o", tmp_path / "out", "--strict") == 0
    assert (tmp_path / "out" / "graph.json").exists()


def test_size_and_field_caps_are_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(FIXTURES / "quirks" / "long_excerpt.md", folder)
    shutil.copy(FIXTURES / "forms" / "front_matter.txt", folder)
    assert _run("build", folder, "-o", tmp_path / "a", "--max-field-chars", "1000") == 0
    assert "[field-too-large]" in capsys.readouterr().err
    assert _run("build", folder, "-o", tmp_path / "b", "--max-file-bytes", "1000") == 1
    assert "long_excerpt.md: error:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["build"],  # no input
        ["build", "x"],  # no -o
        ["build", "x", "-o", "out", "--jobs", "0"],
        ["build", "x", "-o", "out", "--jobs", "two"],
        ["build", "x", "-o", "out", "--max-file-bytes", "-5"],
        ["build", "x", "-o", "out", "--max-field-chars", "0"],
        ["build", "x", "-o", "out", "--no-such-option"],
        ["no-such-command"],
        [],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written where the test runs
    assert _run(*argv) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("newsgraph") and "error:" in line and "--help" in line
    assert list(tmp_path.iterdir()) == []


def test_the_output_folder_is_created_and_outputs_replaced(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "er" / "out"
    assert _run("build", inputs, "-o", out, "-q") == 0
    first = (out / "graph.json").read_bytes()
    (out / "graph.json").write_text("stale")
    assert _run("build", inputs, "-o", out, "-q") == 0
    assert (out / "graph.json").read_bytes() == first
    assert sorted(p.name for p in out.iterdir()) == ["graph.json", "report.json"]  # no temporaries


def test_jobs_1_and_2_write_byte_identical_outputs(inputs: Path, tmp_path: Path) -> None:
    for i in range(30):  # enough files for several chunks
        (inputs / f"{i:02d}.md").write_text(
            f"---\ntitle: Story {i}\nwebUrl: https://cli.example/{i % 20}\n"
            f"related:\n  - webUrl: https://cli.example/{(i * 7) % 33}\n---\n"
        )
    assert _run("build", inputs, "-o", tmp_path / "one", "-j", "1", "-q") == 0
    assert _run("build", inputs, "-o", tmp_path / "two", "-j", "2", "-q") == 0
    for name in ("graph.json", "report.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


# -- help ------------------------------------------------------------------------------------------


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = make_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def test_the_top_level_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--help") == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: newsgraph")
    for name in _subcommands():
        assert name in out


@pytest.mark.parametrize("command", sorted(_subcommands()))
def test_every_subcommand_has_useful_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(command, "--help") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: newsgraph {command}")
    parser = _subcommands()[command]
    assert parser.description and len(parser.description) > 40
    for action in parser._actions:
        if action.option_strings or action.dest != "help":
            assert action.help, f"{command}: {action.option_strings or action.dest} has no help"


def test_build_help_names_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    _run("build", "--help")
    out = capsys.readouterr().out
    for option in (
        "--output",
        "--strict",
        "--jobs",
        "--max-file-bytes",
        "--max-field-chars",
        "--quiet",
    ):
        assert option in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run("--version") == 0
    assert capsys.readouterr().out.startswith("newsgraph ")


# -- as a process ----------------------------------------------------------------------------------


def test_the_module_runs_as_a_command_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "rejected", folder)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsgraph.exporters.cli",
            "build",
            str(folder),
            "-o",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert (
        f"{folder.name}/unclosed.md:1: error: front matter has no closing '---' line" in done.stderr
    )
    assert "files: 0 read, 9 failed" in done.stdout
