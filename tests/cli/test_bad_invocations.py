"""Every bad invocation a user can type: one line on stderr, the documented exit status, no trace.

Each case runs ``newsgraph`` in a folder of invented bad inputs, twice: once with the output
folder absent (it must not appear) and once with an output folder that holds a previous
run's files (they must be left byte for byte as they were).  Usage errors (unknown command,
option, format or value, a value out of range, an input that does not exist, an output
folder that cannot be written) exit 2; bad data (an unreadable graph.json, a garbage RDF
file, an input folder with nothing to read) exits 1.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from newsgraph.examples import toy_graph
from newsgraph.exporters.cli import main
from newsgraph.exporters.property_graph.nodelink import graph_to_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PREVIOUS = {"graph.json": b'{"previous": "run"}\n', "report.json": b"{}\n"}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Good and bad inputs side by side, named as the cases below use them."""
    root = tmp_path_factory.mktemp("bad-invocations")
    shutil.copytree(FIXTURES / "seedlike", root / "news")
    (root / "empty").mkdir()
    (root / "hidden-only").mkdir()
    (root / "hidden-only" / ".draft.md").write_text("---\ntitle: Hidden\n---\n")
    good = graph_to_json(toy_graph())
    (root / "graph.json").write_bytes(good)
    (root / "truncated.json").write_bytes(good[: len(good) // 2])
    (root / "empty.json").write_bytes(b"")
    binary = bytes(range(256)) * 4
    (root / "binary.json").write_bytes(binary)
    (root / "list.json").write_text("[1, 2, 3]\n")
    (root / "nodes.json").write_text('{"nodes": [1, 2]}\n')
    (root / "unhashable.json").write_text('{"nodes": [{"id": [1]}], "edges": []}\n')
    (root / "no-nodes.json").write_text('{"nodes": [], "edges": []}\n')
    (root / "no-articles.json").write_text(
        '{"directed": false, "nodes": [{"id": "topic:kites", "kind": "topic"}], "edges": []}\n'
    )
    (root / "garbage.ttl").write_text("this is @prefix not <turtle at all\n")
    (root / "empty.ttl").write_bytes(b"")
    (root / "binary.ttl").write_bytes(binary)
    (root / "truncated.nt.gz").write_bytes(gzip.compress(b"<a:b> <a:c> <a:d> .\n" * 50)[:30])
    (root / "garbage.jsonld").write_text('{"@context": {"@vocab": ')
    (root / "garbage.rdf").write_text("<rdf:RDF><unclosed>")
    (root / "notes.txt").write_text("not rdf\n")
    (root / "graph.graphml").write_text("<graphml/>\n")
    (root / "afile").write_text("a file where a folder should be\n")
    return root


# (id, argv, exit status, a fragment of the one line on stderr)
CASES: list[tuple[str, list[str], int, str]] = [
    ("no-command", [], 2, "required: COMMAND"),
    ("unknown-command", ["bogus"], 2, "invalid choice: 'bogus'"),
    ("formats-unknown-option", ["formats", "--bogus"], 2, "unrecognized arguments: --bogus"),
    # load and query (tests/stores has the stores themselves)
    ("load-no-target", ["load", "graph.json"], 2, "--into"),
    ("load-unknown-target", ["load", "graph.json", "--into", "mysql://x"], 1, "unknown target"),
    ("load-into-a-file", ["load", "graph.json", "--into", "oxigraph:afile"], 1, "not a folder"),
    ("query-no-query", ["query", "oxigraph:afile"], 2, "QUERY"),
    ("query-no-store", ["query", "ladybug:nowhere.lbug", "RETURN 1"], 1, "no such LadybugDB"),
    ("load-update-no-folder", ["load", "--update", "nowhere", "--into", "x"], 2, "nowhere"),
    ("load-update-not-changes", ["load", "--update", "news", "--into", "x"], 1, "not a change set"),
    (
        "load-update-and-graph",
        ["load", "graph.json", "--update", "news", "--into", "x"],
        2,
        "give no graph",
    ),
    ("load-nothing", ["load", "--into", "oxigraph:x"], 2, "--update CHANGES"),
    # diff (tests/stores/test_changes.py has change sets applied)
    ("diff-one-graph", ["diff", "graph.json", "-o", "out"], 2, "NEW"),
    ("diff-missing-graph", ["diff", "graph.json", "nowhere.json", "-o", "out"], 2, "no such"),
    ("diff-no-output", ["diff", "graph.json", "graph.json"], 2, "-o/--output"),
    # build
    ("build-missing-input", ["build", "nowhere", "-o", "out"], 2, "nowhere: no such file"),
    ("build-no-output", ["build", "news"], 2, "required: -o/--output"),
    ("build-jobs-0", ["build", "news", "-o", "out", "--jobs", "0"], 2, "--jobs"),
    ("build-jobs-negative", ["build", "news", "-o", "out", "-j", "-3"], 2, "-j/--jobs"),
    ("build-jobs-huge", ["build", "news", "-o", "out", "-j", "100000"], 2, "from 1 to 256"),
    ("build-jobs-word", ["build", "news", "-o", "out", "-j", "two"], 2, "'two'"),
    (
        "build-file-bytes-0",
        ["build", "news", "-o", "out", "--max-file-bytes", "0"],
        2,
        "at least 1",
    ),
    ("build-field-chars-neg", ["build", "news", "-o", "out", "--max-field-chars", "-5"], 2, "'-5'"),
    ("build-unknown-format", ["build", "news", "-o", "out", "-f", "nt,docx"], 2, "'docx'"),
    ("build-zip-of-one-file", ["build", "news", "-o", "out", "-f", "nt.zip"], 2, "use nt.gz"),
    ("build-gz-of-a-bundle", ["build", "news", "-o", "out", "-f", "csv.gz"], 2, "use csv.zip"),
    ("build-empty-format", ["build", "news", "-o", "out", "-f", ","], 2, "expected format"),
    ("build-bad-base-iri", ["build", "news", "-o", "out", "--base-iri", "not an iri"], 2, "IRI"),
    (
        "build-base-iri-no-slash",
        ["build", "news", "-o", "out", "-f", "nt", "--base-iri", "https://kg.example/id"],
        2,
        "ending in '/' or '#'",
    ),
    ("build-output-is-a-file", ["build", "news", "-o", "afile"], 2, "afile: not a folder"),
    ("build-output-below-a-file", ["build", "news", "-o", "afile/out"], 2, "not a folder"),
    ("build-unknown-option", ["build", "news", "-o", "out", "--colour"], 2, "--colour"),
    # export
    ("export-missing-graph", ["export", "nowhere.json", "-f", "nt", "-o", "out"], 2, "no such"),
    ("export-graph-is-a-folder", ["export", "news", "-f", "nt", "-o", "out"], 2, "a folder"),
    ("export-no-format", ["export", "graph.json", "-o", "out"], 2, "-f/--format"),
    ("export-unknown-format", ["export", "graph.json", "-f", "docx", "-o", "out"], 2, "'docx'"),
    ("export-bad-base-iri", ["export", "graph.json", "-f", "nt", "--base-iri", "x"], 2, "IRI"),
    ("export-output-is-a-file", ["export", "graph.json", "-f", "nt", "-o", "afile"], 2, "afile"),
    ("export-truncated", ["export", "truncated.json", "-f", "nt", "-o", "out"], 1, "not JSON"),
    ("export-empty-file", ["export", "empty.json", "-f", "nt", "-o", "out"], 1, "empty file"),
    ("export-binary", ["export", "binary.json", "-f", "nt", "-o", "out"], 1, "not JSON"),
    ("export-a-list", ["export", "list.json", "-f", "nt", "-o", "out"], 1, "not a graph.json"),
    ("export-bad-nodes", ["export", "nodes.json", "-f", "nt", "-o", "out"], 1, "not a graph.json"),
    ("export-list-ids", ["export", "unhashable.json", "-f", "ttl", "-o", "out"], 1, "not a graph"),
    # validate
    ("validate-garbage-turtle", ["validate", "garbage.ttl"], 1, "cannot be read as RDF"),
    ("validate-empty-turtle", ["validate", "empty.ttl"], 1, "no triples"),
    ("validate-binary", ["validate", "binary.ttl"], 1, "cannot be read as RDF"),
    ("validate-truncated-gz", ["validate", "truncated.nt.gz"], 1, "cannot be read as RDF"),
    ("validate-garbage-jsonld", ["validate", "garbage.jsonld"], 1, "cannot be read as RDF"),
    ("validate-garbage-rdfxml", ["validate", "garbage.rdf"], 1, "cannot be read as RDF"),
    ("validate-as-ntriples", ["validate", "garbage.ttl", "-f", "nt"], 1, "cannot be read as nt"),
    ("validate-missing", ["validate", "nowhere.ttl"], 2, "nowhere.ttl: no such file"),
    ("validate-a-folder", ["validate", "news"], 2, "a folder, not a file"),
    ("validate-unknown-suffix", ["validate", "notes.txt"], 2, "name its format with -f"),
    ("validate-not-rdf-file", ["validate", "graph.graphml"], 2, "not an RDF format"),
    ("validate-not-rdf-format", ["validate", "garbage.ttl", "-f", "graphml"], 2, "not RDF"),
    ("validate-unknown-format", ["validate", "garbage.ttl", "-f", "docx"], 2, "'docx'"),
]
for command in ("analyze", "plot"):
    CASES += [
        (f"{command}-missing-input", [command, "nowhere", "-o", "out"], 2, "nowhere: no such"),
        (f"{command}-empty-folder", [command, "empty", "-o", "out"], 1, "empty: no files to read"),
        (f"{command}-hidden-only", [command, "hidden-only", "-o", "out"], 1, "no files to read"),
        (
            f"{command}-truncated-json",
            [command, "truncated.json", "--from-json", "-o", "out"],
            1,
            "not JSON",
        ),
        (f"{command}-binary-json", [command, "binary.json", "--from-json", "-o", "out"], 1, "JSON"),
        (
            f"{command}-empty-graph",
            [command, "no-nodes.json", "--from-json", "-o", "out"],
            1,
            "the graph has no articles",
        ),
        (
            f"{command}-no-articles",
            [command, "no-articles.json", "--from-json", "-o", "out"],
            1,
            "the graph has no articles",
        ),
        (
            f"{command}-two-graphs",
            [command, "graph.json", "list.json", "--from-json", "-o", "out"],
            2,
            "exactly one graph.json",
        ),
        (f"{command}-folder-json", [command, "news", "--from-json", "-o", "out"], 2, "one graph"),
        (f"{command}-jobs-0", [command, "news", "-o", "out", "-j", "0"], 2, "-j/--jobs"),
        (f"{command}-resolution-0", [command, "news", "-o", "out", "--resolution", "0"], 2, "0"),
        (f"{command}-resolution-inf", [command, "news", "-o", "out", "--resolution", "inf"], 2, ""),
        (f"{command}-seed-negative", [command, "news", "-o", "out", "--seed", "-1"], 2, "--seed"),
        (f"{command}-method", [command, "news", "-o", "out", "--method", "magic"], 2, "'magic'"),
        (f"{command}-on", [command, "news", "-o", "out", "--on", "images"], 2, "--on"),
        (f"{command}-output-file", [command, "news", "-o", "afile"], 2, "afile: not a folder"),
    ]
CASES += [
    ("analyze-top-0", ["analyze", "news", "-o", "out", "--top", "0"], 2, "--top"),
    ("analyze-samples-neg", ["analyze", "news", "-o", "out", "--samples", "-1"], 2, "--samples"),
    ("analyze-window-0", ["analyze", "news", "-o", "out", "--window-hours", "0"], 2, "window"),
    ("analyze-window-nan", ["analyze", "news", "-o", "out", "--window-hours", "nan"], 2, "nan"),
    ("analyze-window-huge", ["analyze", "news", "-o", "out", "--window-hours", "1e300"], 2, "at"),
    ("analyze-threshold-big", ["analyze", "news", "-o", "out", "--story-threshold", "1.5"], 2, "1"),
    ("analyze-threshold-0", ["analyze", "news", "-o", "out", "--story-threshold", "0"], 2, "0"),
    ("analyze-providers-0", ["analyze", "news", "-o", "out", "--min-providers", "0"], 2, "--min"),
    ("plot-dpi-0", ["plot", "news", "-o", "out", "--dpi", "0"], 2, "from 10 to 1200"),
    ("plot-dpi-huge", ["plot", "news", "-o", "out", "--dpi", "100000"], 2, "--dpi"),
    ("plot-unknown-group", ["plot", "news", "-o", "out", "--by", "colour"], 2, "'colour'"),
    ("plot-no-group", ["plot", "news", "-o", "out", "--by", ","], 2, "--by"),
    ("plot-freq", ["plot", "news", "-o", "out", "--freq", "hourly"], 2, "'hourly'"),
    ("plot-format", ["plot", "news", "-o", "out", "--format", "gif"], 2, "'gif'"),
]


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as stopped:  # argparse's usage errors, as the console script exits
        return int(stopped.code or 0)


@pytest.mark.parametrize("previous", [False, True], ids=["fresh", "previous-run"])
@pytest.mark.parametrize(
    ("argv", "code", "fragment"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_bad_invocation_is_one_line_and_leaves_no_output(
    argv: list[str],
    code: int,
    fragment: str,
    previous: bool,
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    here = tmp_path / "run"
    shutil.copytree(workspace, here, symlinks=True)
    monkeypatch.chdir(here)
    if previous:
        (here / "out").mkdir()
        for name, data in PREVIOUS.items():
            (here / "out" / name).write_bytes(data)
    before = sorted(p.name for p in here.iterdir())
    assert _run(argv) == code
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    [line] = lines
    assert line.startswith("newsgraph"), line
    assert fragment in line
    assert "Traceback" not in captured.err + captured.out
    assert "internal error" not in line
    if code == 2:
        assert "error:" in line and "--help" in line  # says it is the command line's fault
    # no partial output: the folder is as it was (absent, or the previous run's files)
    assert sorted(p.name for p in here.iterdir()) == before
    if previous:
        assert {p.name: p.read_bytes() for p in (here / "out").iterdir()} == PREVIOUS


def test_every_subcommand_has_a_bad_case() -> None:
    from newsgraph.exporters.cli import make_parser

    [action] = [a for a in make_parser()._actions if a.dest == "command"]
    tested = {argv[0] for _, argv, _, _ in CASES if argv}
    assert set(action.choices) <= tested  # type: ignore[arg-type]


def test_an_empty_input_folder_is_a_warning_and_the_build_goes_on(
    workspace: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert _run(["build", str(workspace / "empty"), str(workspace / "news"), "-o", str(out)]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert (
        line == f"newsgraph build: warning: {workspace / 'empty'}: no files to read in this folder"
    )
    assert sorted(p.name for p in out.iterdir()) == ["graph.json", "report.json"]


def test_an_unwritable_output_folder_is_a_usage_error(
    workspace: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # os.access says yes to root whatever the mode bits, so the check itself is made to say no
    import os

    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda path, mode: False if Path(path) == tmp_path else real_access(path, mode),
    )
    assert _run(["build", str(workspace / "news"), "-o", str(tmp_path / "out")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert f"{tmp_path}: cannot write there" in line
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_error_is_still_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.exporters.cli import export

    def broken(args: object) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(export, "run_formats", broken)
    assert _run(["formats"]) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("newsgraph formats: internal error, please report it: ZeroDivisionError")
    monkeypatch.setenv("NEWSGRAPH_TRACEBACK", "1")
    with pytest.raises(ZeroDivisionError):
        _run(["formats"])
