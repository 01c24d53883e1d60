"""Change sets applied to real stores give what a fresh load of the new graph gives.

A Hypothesis test builds a small invented corpus, loads its graph into a store, then
applies a few random edits -- articles added, deleted, renamed (a new file name), their
titles, topics, related links, provider, images and ``heat`` (integer, decimal or none:
a column that changes type) changed -- and after every step writes the change set from
the previous graph to the new one, applies it to the store, and compares the store's
dump with a fresh load of the new graph: every quad (Oxigraph), every node and
relationship with its properties and the schema (LadybugDB), every node and relationship
(FalkorDB).  The RDF Patch is checked the same way, applied row by row to an in-memory
Oxigraph store.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import newsgraph as ng
from newsgraph.exporters.changes import apply_change_set, write_change_sets
from newsgraph.exporters.changes.triples import graph_quads
from newsgraph.exporters.cli import main
from newsgraph.exporters.stores import load, open_store
from newsgraph.graph.errors import StoreError
from tests.conftest import article_text
from tests.stores.conftest import _oxigraph as oxigraph_process
from tests.stores.conftest import need

POOL = 6
TOPICS = ("AI", "Energy", "Space", "Rail", "Sport")
PROVIDERS = (("Harbor News", "harbor.example"), ("Orbit Weekly", "orbit.example"))
IMAGES = tuple(f"https://img.example/{n}.jpg" for n in ("pier", "moon", "train"))

Docs = dict[int, dict[str, Any]]

titles = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), min_size=1, max_size=16
)
heats = st.one_of(st.none(), st.integers(0, 100), st.floats(1e-6, 1e6, allow_nan=False))
fields = st.fixed_dictionaries(
    {
        "title": titles,
        "topics": st.lists(st.sampled_from(TOPICS), unique=True, max_size=3),
        "related": st.lists(st.integers(0, POOL + 1), unique=True, max_size=3),
        "provider": st.sampled_from(PROVIDERS),
        "images": st.lists(st.sampled_from(IMAGES), unique=True, max_size=2),
        "heat": heats,
        "name": st.just(0),
    }
)
edits = st.one_of(
    st.tuples(st.just("add"), st.integers(0, POOL - 1), fields),
    st.tuples(st.just("delete"), st.integers(0, POOL - 1)),
    st.tuples(st.just("rename"), st.integers(0, POOL - 1)),
    st.tuples(st.just("title"), st.integers(0, POOL - 1), titles),
    st.tuples(st.just("topics"), st.integers(0, POOL - 1), fields.map(lambda f: f["topics"])),
    st.tuples(st.just("related"), st.integers(0, POOL - 1), fields.map(lambda f: f["related"])),
    st.tuples(st.just("images"), st.integers(0, POOL - 1), fields.map(lambda f: f["images"])),
    st.tuples(st.just("heat"), st.integers(0, POOL - 1), heats),
)
corpora = st.dictionaries(st.integers(0, POOL - 1), fields, min_size=1, max_size=POOL)


def url(i: int) -> str:
    return f"https://{'ab'[i % 2]}.example/story-{i}"


def edited(docs: Docs, edit: tuple[Any, ...]) -> Docs:
    docs = {i: dict(f) for i, f in docs.items()}
    what, i, *value = edit
    if what == "add" or i not in docs:
        docs[i] = dict(value[0]) if what == "add" else docs.get(i, {"title": f"Story {i}"})
    elif what == "delete":
        del docs[i]
    elif what == "rename":
        docs[i]["name"] = docs[i].get("name", 0) + 1
    else:
        docs[i][what] = value[0]
    return docs


def build(docs: Docs, root: Path) -> nx.MultiDiGraph:
    folder = root / "news"  # the same root name every time: sources change only by renames
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i, f in docs.items():
        text: dict[str, Any] = {"title": f["title"], "webUrl": url(i)}
        text["publishedDateTime"] = f"2024-03-0{1 + i % 9}T10:00:00Z"
        if f.get("provider"):
            text["provider"] = {"name": f["provider"][0], "domain": f["provider"][1]}
        if f.get("topics"):
            text["topics"] = list(f["topics"])
        if f.get("related"):
            text["related"] = [{"webUrl": url(j), "title": f"Story {j}"} for j in f["related"]]
        if f.get("images"):
            text["images"] = [{"url": u, "width": 640} for u in f["images"]]
        if f.get("heat") is not None:
            text["heat"] = f["heat"]
        (folder / f"a{i}-{f.get('name', 0)}.md").write_text(article_text(**text), "utf-8")
    G, _ = ng.build_graph([folder], jobs=1)
    return G


# --- what each store holds, as comparable text -------------------------------------------


def oxigraph_dump(target: str) -> list[str]:
    import pyoxigraph

    return sorted(str(quad) for quad in pyoxigraph.Store.read_only(target.partition(":")[2]))


def _properties(value: Any) -> str:
    items = value.items() if isinstance(value, dict) else value
    return repr(
        sorted((str(k), v) for k, v in items if not str(k).startswith("_") and v is not None)
    )


def ladybug_dump(target: str) -> tuple[list[str], ...]:
    with open_store(target) as store:
        nodes, edges = [], []
        if store.state():  # MATCH fails on a database without tables
            nodes = sorted(_properties(row[0]) for row in store.rows("MATCH (n) RETURN n")[1])
            query = "MATCH (a)-[r]->(b) RETURN label(r), a.id, b.id, r"
            edges = sorted(repr((k, a, b, _properties(r))) for k, a, b, r in store.rows(query)[1])
        tables = store.rows("CALL show_tables() RETURN name, type")[1]
        schema = sorted(
            repr((name, column[1:4]))
            for name, kind in tables
            for column in store.rows(f"CALL table_info('{name}') RETURN *")[1]
        )
        ends = sorted(
            repr((name, row[:2]))
            for name, kind in tables
            if kind == "REL"
            for row in store.rows(f"CALL show_connection('{name}') RETURN *")[1]
        )
    return nodes, edges, schema, ends


def falkordb_dump(target: str) -> tuple[list[str], ...]:
    with open_store(target) as store:
        if not store.state():  # an empty graph is no graph in FalkorDB
            return [], []
        nodes = store.rows("MATCH (n) RETURN labels(n), properties(n)")[1]
        edges = store.rows("MATCH (a)-[r]->(b) RETURN type(r), a.id, b.id, properties(r)")[1]
    return (
        sorted(repr((labels, _properties(p))) for labels, p in nodes),
        sorted(repr((kind, a, b, _properties(p))) for kind, a, b, p in edges),
    )


def patched(previous: nx.MultiDiGraph, patch: Path) -> list[str]:
    """The quads of ``previous`` after applying the RDF Patch row by row (in memory)."""
    import pyoxigraph

    store = pyoxigraph.Store()
    quads = pyoxigraph.RdfFormat.N_QUADS
    store.extend(pyoxigraph.parse("".join(graph_quads(previous)), quads))
    rows = patch.read_text("utf-8").splitlines()
    assert rows[0].startswith("H id <urn:sha256:") and rows[1] == "TX ." and rows[-1] == "TC ."
    for row in rows[2:-1]:
        operation, _, quad = row.partition(" ")
        (parsed,) = pyoxigraph.parse(quad, quads)
        (store.add if operation == "A" else store.remove)(parsed)
    return sorted(str(quad) for quad in store)


# --- the property ---------------------------------------------------------------------------


def _apply(target: str, changes: Path) -> None:
    """Apply a change set; to LadybugDB through the command line, in a process of its own.

    Applied in this (long-lived) test process, LadybugDB crashed in native code three times
    in hundreds of examples (SIGSEGV/SIGBUS inside ``Connection.execute``), never in a
    process per update, which is how ``newsgraph load --update`` runs; the cause is open.
    """
    if not target.startswith("ladybug:"):
        apply_change_set(target, changes)
        return
    command = [sys.executable, "-m", "newsgraph.exporters.cli", "load", "--update", str(changes)]
    done = subprocess.run(
        [*command, "--into", target, "-q"], check=False, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


_names = itertools.count()


@pytest.fixture(params=["oxigraph", "ladybug", "falkordb"])
def store_kind(request: pytest.FixtureRequest) -> Iterator[tuple[Callable[[Path], str], Any]]:
    kind = request.param
    if kind == "oxigraph":
        need("pyoxigraph")
        yield (lambda where: f"oxigraph:{where}/store"), oxigraph_dump
    elif kind == "ladybug":
        need("ladybug")
        need("pyarrow")
        yield (lambda where: f"ladybug:{where}/news.lbug"), ladybug_dump
    else:
        sock = request.getfixturevalue("falkordb_socket")
        yield (lambda where: f"falkordb+unix://{sock}?graph=g{next(_names)}"), falkordb_dump


# No shrinking: each example builds graphs and stores, and shrinking one took minutes; a
# failure shows its (small) corpus and steps as generated.
@settings(
    max_examples=8,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(corpus=corpora, steps=st.lists(edits, min_size=1, max_size=3))
def test_applied_change_sets_equal_a_fresh_load(
    store_kind: tuple[Callable[[Path], str], Any], corpus: Docs, steps: list[tuple[Any, ...]]
) -> None:
    target_in, dump = store_kind
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        previous = build(corpus, root)
        target = target_in(root / "updated")
        load(previous, target)
        docs = corpus
        for number, edit in enumerate(steps):
            docs = edited(docs, edit)
            new = build(docs, root)
            changes = root / f"changes-{number}"
            write_change_sets(previous, new, changes)
            _apply(target, changes)
            fresh = target_in(root / f"fresh-{number}")
            load(new, fresh)
            assert dump(target) == dump(fresh), edit
            if target.startswith("oxigraph:"):
                assert patched(previous, changes / "changes.rdfp") == dump(fresh)
            previous = new


# --- refusals, failures and the command line ------------------------------------------------


def test_a_target_without_the_previous_graph_is_refused_and_left_alone(
    store_kind: tuple[Callable[[Path], str], Any], tmp_path: Path
) -> None:
    target_in, dump = store_kind
    old = build({0: {"title": "Pier"}, 1: {"title": "Moon"}}, tmp_path)
    new = build({0: {"title": "Pier reopens"}}, tmp_path)
    write_change_sets(old, new, tmp_path / "changes")
    target = target_in(tmp_path)
    load(new, target)
    before = dump(target)
    with pytest.raises(StoreError, match="does not hold the previous graph"):
        apply_change_set(target, tmp_path / "changes")
    assert dump(target) == before


@pytest.mark.parametrize("damage", ["a bad statement", "a wrong result"])
def test_a_failed_update_leaves_the_target_as_it_was(
    store_kind: tuple[Callable[[Path], str], Any], tmp_path: Path, damage: str
) -> None:
    target_in, dump = store_kind
    old = build({0: {"title": "Pier"}, 1: {"title": "Moon", "topics": ["Space"]}}, tmp_path)
    new = build({0: {"title": "Pier reopens", "topics": ["Rail"]}}, tmp_path)
    changes = tmp_path / "changes"
    write_change_sets(old, new, changes)
    target = target_in(tmp_path)
    load(old, target)
    before = dump(target)
    if damage == "a bad statement":
        for name in ("changes.ru", "changes.cypher", "changes.ladybug.cypher"):
            with (changes / name).open("a") as f:
                f.write("\nTHIS IS NOT A STATEMENT;\n")
        expected = "the update failed|updating"
    else:
        manifest = json.loads((changes / "changes.json").read_text())
        manifest["statements"]["after"] += 1
        manifest["counts"]["after"]["article"] += 1
        (changes / "changes.json").write_text(json.dumps(manifest))
        expected = "does not hold the new graph after the update"
    with pytest.raises(StoreError, match=expected):
        apply_change_set(target, changes)
    assert dump(target) == before


@pytest.fixture
def own_oxigraph_server(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph server of this test's own (the shared one holds what test_load expects)."""
    need("pyoxigraph")
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph"
    )
    if binary is None:
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    yield from oxigraph_process(binary, tmp_path / "server")


def test_the_sparql_update_goes_to_an_oxigraph_server(
    own_oxigraph_server: str, tmp_path: Path
) -> None:
    old = build({0: {"title": "Pier", "heat": 3}, 1: {"title": "Moon"}}, tmp_path)
    new = build({0: {"title": "Pier reopens", "heat": 3.5}, 2: {"title": "Rail"}}, tmp_path)
    write_change_sets(old, new, tmp_path / "changes")
    load(old, own_oxigraph_server)
    report = apply_change_set(own_oxigraph_server, tmp_path / "changes")
    assert report.triples == len(graph_quads(new))
    assert report.counts == open_store(f"oxigraph:{_fresh(new, tmp_path)}").counts()
    rows = open_store(own_oxigraph_server).rows("SELECT ?s ?p ?o ?g { GRAPH ?g { ?s ?p ?o } }")
    assert rows[1] == []  # nothing in a named graph (no analysis in these graphs)


def _fresh(G: nx.MultiDiGraph, where: Path) -> Path:
    load(G, f"oxigraph:{where / 'fresh'}")
    return where / "fresh"


def test_diff_then_load_update_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    need("ladybug")
    need("pyarrow")
    for name, docs in (("one", {0: {"title": "Pier"}}), ("two", {1: {"title": "Moon"}})):
        build(docs, tmp_path)
        assert main(["build", str(tmp_path / "news"), "-o", str(tmp_path / name), "-q"]) == 0
    target = f"ladybug:{tmp_path / 'news.lbug'}"
    assert main(["load", str(tmp_path / "one" / "graph.json"), "--into", target, "-q"]) == 0
    changes = tmp_path / "changes"
    assert main(["diff", str(tmp_path / "one"), str(tmp_path / "two"), "-o", str(changes)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {changes}: statements -")
    assert main(["load", "--update", str(changes), "--into", target]) == 0
    assert capsys.readouterr().out.startswith(f"updated {tmp_path / 'news.lbug'}: article 1")
    assert main(["load", "--update", str(changes), "--into", target]) == 1  # done already
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not hold the previous graph" in err
    assert main(["load", str(tmp_path / "two"), "--update", str(changes), "--into", target]) == 2
    assert "--update applies a change set" in capsys.readouterr().err
    assert main(["load", "--into", target]) == 2
    assert "or --update CHANGES" in capsys.readouterr().err


def test_a_store_updated_to_an_empty_graph_and_back(
    store_kind: tuple[Callable[[Path], str], Any], tmp_path: Path
) -> None:
    target_in, dump = store_kind
    full = build({0: {"title": "Pier", "topics": ["Rail"]}}, tmp_path)
    empty = build({}, tmp_path)
    write_change_sets(full, empty, tmp_path / "out")
    write_change_sets(empty, full, tmp_path / "back")
    target = target_in(tmp_path / "a")
    load(full, target)
    apply_change_set(target, tmp_path / "out")
    load(empty, fresh := target_in(tmp_path / "b"))
    assert dump(target) == dump(fresh)
    apply_change_set(target, tmp_path / "back")
    load(full, again := target_in(tmp_path / "c"))
    assert dump(target) == dump(again)
