"""Progress: phase lines and bars on a terminal, nothing with ``-q`` or when piped.

The terminal is a real pseudo-terminal (``pty``) on the command's stderr, so the check
``isatty()`` is the one a user's shell gives.
"""

from __future__ import annotations

import fcntl
import io
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from newsgraph import build_graph, dumps
from newsgraph.examples import toy_graph
from newsgraph.exporters.cli._progress import Progress
from newsgraph.exporters.property_graph.nodelink import graph_to_json

REPO = Path(__file__).resolve().parents[2]
SEEDLIKE = REPO / "tests" / "fixtures" / "seedlike"
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_phase_shows_a_line_with_its_time_and_an_error_wipes_it() -> None:
    progress = Progress(quiet=False, stream=_Terminal())
    with progress.phase("writing graph.nt"):
        pass
    assert progress.stream.getvalue().startswith("writing graph.nt ...")
    assert progress.stream.getvalue().endswith(" s\n")
    progress = Progress(quiet=False, stream=_Terminal())
    with pytest.raises(ValueError), progress.phase("writing graph.ttl"):
        raise ValueError
    assert progress.stream.getvalue() == "writing graph.ttl ...\r\x1b[K"


def test_quiet_or_not_a_terminal_draws_nothing() -> None:
    for progress in (
        Progress(quiet=True, stream=_Terminal()),
        Progress(quiet=False, stream=io.StringIO()),
    ):
        with progress.phase("writing"):
            pass
        assert progress.bar("reading", "file") is None
        assert progress.stream.getvalue() == ""


def test_a_bar_counts_the_work() -> None:
    progress = Progress(quiet=False, stream=_Terminal())
    update = progress.bar("reading", "file")
    assert update is not None
    for done in range(1, 4):
        update(done, 3)
    assert "reading" in progress.stream.getvalue() and "3/3" in progress.stream.getvalue()


def _run(argv: list[str], cwd: Path, *, terminal: bool) -> tuple[int, str, str]:
    """Run ``newsgraph`` with stderr on a pseudo-terminal (or a pipe); stdout is a pipe."""
    command = [sys.executable, "-m", "newsgraph.exporters.cli", *argv]
    if not terminal:
        done = subprocess.run(
            command, capture_output=True, text=True, cwd=cwd, env=ENV, timeout=300, check=False
        )
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    # a terminal of 100 columns (a fresh pty has none, and tqdm draws no bar in zero columns)
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=slave, cwd=cwd, env=ENV)
    os.close(slave)
    chunks = []
    while select.select([master], [], [], 300)[0]:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert process.stdout is not None
    stdout = process.stdout.read().decode()
    process.stdout.close()
    return process.wait(timeout=300), stdout, b"".join(chunks).decode(errors="replace")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("progress")
    shutil.copytree(SEEDLIKE, root / "news")
    (root / "graph.json").write_bytes(graph_to_json(toy_graph()))
    G, _ = build_graph([root / "news"], jobs=1)
    (root / "graph.ttl").write_bytes(dumps(G, "ttl"))
    return root


# (argv, what a terminal must show)
RUNS = [
    (
        ["build", "news", "-o", "b", "-j", "1", "-f", "nt,ttl,csv"],
        [
            "reading: 100%",
            "1/1",
            "writing graph.json ...",
            "writing graph.nt ...",
            "writing graph-csv ...",
        ],
    ),
    (
        ["export", "graph.json", "-f", "graphml,nt.gz", "-o", "e"],
        ["reading graph.json ...", "writing graph.graphml ...", "writing graph.nt.gz ..."],
    ),
    (
        ["analyze", "news", "-o", "a", "-j", "1", "--method", "louvain"],
        [
            "finding communities",
            "finding stories ...",
            "ranking central nodes ...",
            "writing the tables ...",
        ],
    ),
    (
        ["plot", "news", "-o", "p", "-j", "1", "--method", "louvain", "--by", "topic"],
        [
            "finding communities",
            "drawing communities.png ...",
            "drawing degrees.png ...",
            "drawing timeline-topic.png ...",
        ],
    ),
]


@pytest.mark.parametrize(("argv", "shown"), RUNS, ids=[r[0][0] for r in RUNS])
def test_a_terminal_shows_each_phase_and_scripts_get_clean_output(
    argv: list[str], shown: list[str], folder: Path, tmp_path: Path
) -> None:
    code, stdout, stderr = _run(argv, folder, terminal=True)
    assert code == 0, stderr
    for text in shown:
        assert text in stderr, stderr
    assert stdout.startswith(("files:", "graph:", "wrote"))  # the summary stays on stdout
    assert "..." not in stdout
    if argv[0] in ("build", "export"):  # (analyze and plot share their -q with these)
        # quiet on a terminal: nothing at all
        assert _run([*argv, "-q"], folder, terminal=True)[1:] == ("", "")
    # piped: the summary only, no progress
    code, piped_out, piped_err = _run(argv, folder, terminal=False)
    assert (code, piped_err) == (0, "")
    assert "..." not in piped_out


def test_validate_shows_the_shacl_phase(folder: Path, tmp_path: Path) -> None:
    code, stdout, stderr = _run(["validate", "graph.ttl"], folder, terminal=True)
    assert code == 0, stderr
    assert "reading graph.ttl ..." in stderr and "checking the SHACL shapes ..." in stderr
    assert stdout == "graph.ttl: conforms to the newsgraph shapes\n"
    assert _run(["validate", "graph.ttl", "-q"], folder, terminal=True)[1:] == ("", "")
