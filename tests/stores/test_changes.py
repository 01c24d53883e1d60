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
import shutil
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
from newsgraph.exporters.stores import load, open_store
from tests.conftest import article_text
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
        nodes = sorted(_properties(row[0]) for row in store.rows("MATCH (n) RETURN n")[1])
        edges = sorted(
            repr((kind, a, b, _properties(r)))
            for kind, a, b, r in store.rows("MATCH (a)-[r]->(b) RETURN label(r), a.id, b.id, r")[1]
        )
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
            apply_change_set(target, changes)
            fresh = target_in(root / f"fresh-{number}")
            load(new, fresh)
            assert dump(target) == dump(fresh), edit
            if target.startswith("oxigraph:"):
                assert patched(previous, changes / "changes.rdfp") == dump(fresh)
            previous = new
