"""Load the sample's N-Triples and Turtle into a real triple store and count them with SPARQL.

The store is Oxigraph's server (``pip install oxigraph`` puts the ``oxigraph`` command on
the PATH): the N-Triples are bulk-loaded with ``oxigraph load``, the server is started on
127.0.0.1 at a free port, the Turtle is posted through the SPARQL 1.1 Graph Store protocol,
and SPARQL ``COUNT`` queries must match the exports.  Skipped when the command is missing.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import dump

# the server installed beside this interpreter first (a venv run without activating it)
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph"
)
pytestmark = pytest.mark.skipif(
    OXIGRAPH is None, reason="the oxigraph server is not installed (pip install oxigraph)"
)

TURTLE_GRAPH = "https://w3id.org/newsgraph/id/test/turtle"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str, timeout: float = 10) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        data: bytes = response.read()
        return data


class Store:
    def __init__(self, url: str) -> None:
        self.url = url

    def count(self, pattern: str = "?s ?p ?o") -> int:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
        request = urllib.request.Request(
            f"{self.url}/query?{urllib.parse.urlencode({'query': query})}",
            headers={"Accept": "application/sparql-results+json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            bindings = json.load(response)["results"]["bindings"]
        return int(bindings[0]["n"]["value"])

    def post(self, graph: str, data: bytes, media_type: str) -> None:
        request = urllib.request.Request(
            f"{self.url}/store?{urllib.parse.urlencode({'graph': graph})}",
            data=data,
            method="POST",
            headers={"Content-Type": media_type},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status in (200, 201, 204)


@pytest.fixture(scope="module")
def exports(sample_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    dump(sample_graph, folder / "graph.nt")
    dump(sample_graph, folder / "graph.ttl")
    return folder


@pytest.fixture(scope="module")
def store(exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    assert OXIGRAPH is not None
    location = tmp_path_factory.mktemp("oxigraph")
    subprocess.run(
        [OXIGRAPH, "load", "--location", str(location), "--file", str(exports / "graph.nt")],
        check=True,
        capture_output=True,
        timeout=300,
    )
    port = _free_port()
    server = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _get(f"{url}/query?query=ASK%7B%7D", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("the oxigraph server did not start")
                time.sleep(0.2)
        yield Store(url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_bulk_loaded_ntriples_are_all_there(store: Store, exports: Path) -> None:
    lines = set((exports / "graph.nt").read_text(encoding="utf-8").splitlines())
    assert store.count() == len(lines)


def test_posted_turtle_holds_the_same_triples(store: Store, exports: Path) -> None:
    store.post(TURTLE_GRAPH, (exports / "graph.ttl").read_bytes(), "text/turtle")
    in_default = store.count()
    assert store.count(f"GRAPH <{TURTLE_GRAPH}> {{ ?s ?p ?o }}") == in_default
    minus = f"GRAPH <{TURTLE_GRAPH}> {{ ?s ?p ?o }} FILTER NOT EXISTS {{ ?s ?p ?o }}"
    assert store.count(minus) == 0


def test_sparql_sees_the_mapping(store: Store, sample_graph: nx.MultiDiGraph) -> None:
    articles = [d for _, d in sample_graph.nodes(data=True) if d["kind"] == "article"]
    videos = sum(d.get("type") == "video" for d in articles)
    schema = "http://schema.org/"
    # a video is typed NewsArticle too, so that a query for news articles finds it
    assert store.count(f"?a a <{schema}NewsArticle>") == len(articles)
    assert videos and store.count(f"?a a <{schema}VideoObject>") == videos
    published_by = sum(d["kind"] == "published_by" for _, _, d in sample_graph.edges(data=True))
    assert store.count(f"?a <{schema}publisher>/<{schema}name> ?name") == published_by
