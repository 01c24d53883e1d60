"""The registry's contract, for every registered format: names, files, determinism, no mutation."""

from __future__ import annotations

import copy
import gzip
import importlib
import io
import json
import os
import pkgutil
import subprocess
import sys
import zipfile
from pathlib import Path

import networkx as nx
import pytest

from newsgraph import (
    ExportError,
    UnknownFormatError,
    dump,
    dumps,
    format_for_path,
    formats,
    get_format,
)
from newsgraph.exporters.sinks import DirectorySink
from newsgraph.graph import errors

ALL = [f.name for f in formats()]
REPO = Path(__file__).resolve().parents[2]


def test_names_aliases_and_case() -> None:
    assert get_format("Turtle") is get_format("ttl") is get_format(" TTL ")
    assert get_format("n-triples").name == "nt" and get_format("json-ld").name == "jsonld"
    names = [alias for f in formats() for alias in (f.name, *f.aliases)]
    assert len(names) == len(set(names)), "an alias may name one format only"
    assert all(name == name.lower() for name in names)


@pytest.mark.parametrize("fmt", [f for f in formats() if f.family == "rdf"], ids=lambda f: f.name)
def test_rdf_readers_know_each_rdf_media_type(fmt) -> None:
    import pyoxigraph
    import rdflib

    assert pyoxigraph.RdfFormat.from_media_type(fmt.media_type) is not None
    assert rdflib.plugin.get(fmt.media_type, rdflib.parser.Parser) is not None


def test_an_unknown_format_lists_the_available_ones() -> None:
    with pytest.raises(UnknownFormatError) as caught:
        get_format("yaml")
    assert UnknownFormatError is errors.UnknownFormatError
    message = str(caught.value)
    assert "'yaml'" in message and all(name in message for name in ALL)


def test_suffixes_pick_the_format() -> None:
    assert format_for_path("out/g.ttl")[0].name == "ttl"
    assert format_for_path("G.NT.GZ") == (get_format("nt"), True)
    assert format_for_path("x/graph.neo4j.zip")[0].name == "neo4j"
    assert format_for_path("graph.csv.zip")[0].name == "csv"
    with pytest.raises(UnknownFormatError):
        format_for_path("graph.docx")


@pytest.mark.parametrize("name", ALL)
def test_output_is_deterministic(name: str, tiny: nx.MultiDiGraph) -> None:
    first = dumps(tiny, name)
    assert first and dumps(tiny, name) == first
    shuffled = nx.MultiDiGraph()
    shuffled.graph.update(tiny.graph)
    for node in reversed(list(tiny.nodes)):
        shuffled.add_node(node, **dict(reversed(list(tiny.nodes[node].items()))))
    for u, v, k, d in reversed(list(tiny.edges(keys=True, data=True))):
        shuffled.add_edge(u, v, key=k, **d)
    assert dumps(shuffled, name) == first, "equal graphs give equal bytes, whatever the order"


@pytest.mark.parametrize("name", ALL)
def test_no_exporter_mutates_the_graph(name: str, hostile: nx.MultiDiGraph) -> None:
    before = copy.deepcopy(hostile)
    dumps(hostile, name)
    assert repr(list(hostile.nodes(data=True))) == repr(list(before.nodes(data=True)))
    assert repr(list(hostile.edges(keys=True, data=True))) == repr(
        list(before.edges(keys=True, data=True))
    )
    assert hostile.graph == before.graph


def test_dumps_returns_bytes_and_bundles_as_zip(tiny: nx.MultiDiGraph) -> None:
    for name in ALL:
        data = dumps(tiny, name)
        assert isinstance(data, bytes)
        assert zipfile.is_zipfile(io.BytesIO(data)) == get_format(name).bundle


def test_dump_to_files_gz_directories_and_zips(tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    dump(tiny, tmp_path / "g.ttl")
    assert (tmp_path / "g.ttl").read_bytes() == dumps(tiny, "ttl")
    dump(tiny, tmp_path / "new" / "folder" / "g.gexf")
    assert (tmp_path / "new" / "folder" / "g.gexf").read_bytes() == dumps(tiny, "gexf")
    dump(tiny, tmp_path / "g.nt.gz")
    packed = (tmp_path / "g.nt.gz").read_bytes()
    assert gzip.decompress(packed) == dumps(tiny, "nt")
    dump(tiny, tmp_path / "g.nt.gz")
    assert (tmp_path / "g.nt.gz").read_bytes() == packed, "gzip output is byte-identical too"
    dump(tiny, tmp_path / "graph.rdf.gz", "rdfxml")
    assert gzip.decompress((tmp_path / "graph.rdf.gz").read_bytes()) == dumps(tiny, "rdfxml")
    dump(tiny, tmp_path / "bulk", "neo4j")
    assert sorted(p.name for p in (tmp_path / "bulk").iterdir()) == [
        "import.sh",
        "load.cypher",
        "nodes.csv",
        "relationships.csv",
        "schema.cypher",
    ]
    assert os.access(tmp_path / "bulk" / "import.sh", os.X_OK)
    dump(tiny, tmp_path / "bulk", "csv")  # replaces the directory
    assert sorted(p.name for p in (tmp_path / "bulk").iterdir()) == ["edges.csv", "nodes.csv"]
    dump(tiny, tmp_path / "g.neptune.zip")
    assert (tmp_path / "g.neptune.zip").read_bytes() == dumps(tiny, "neptune")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary left"


def test_writes_are_atomic(tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    target = tmp_path / "g.nt"
    target.write_bytes(b"the previous export")
    with pytest.raises(ValueError):
        dump(tiny, target, base="not an IRI")
    assert target.read_bytes() == b"the previous export"
    directory = tmp_path / "neo"
    dump(tiny, directory, "neo4j")
    before = sorted(p.name for p in directory.iterdir())
    with pytest.raises(TypeError):
        dump(tiny, directory, "neo4j", no_such_option=1)
    assert sorted(p.name for p in directory.iterdir()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.nt", "neo"]
    assert (tmp_path / "g.nt").read_bytes() == b"the previous export"


def test_bundles_cannot_be_gzipped(tiny: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        dump(tiny, tmp_path / "g.csv.gz", "csv")


def test_sink_members_are_plain_names(tmp_path: Path) -> None:
    with pytest.raises(ValueError), DirectorySink(tmp_path).open("../escape.csv"):
        pass


def test_importing_the_package_loads_no_writer() -> None:
    code = (
        "import json, sys, newsgraph; newsgraph.formats; print(json.dumps(sorted(m for m in "
        "sys.modules if m.startswith(('newsgraph.exporters.', 'rdflib', 'pyoxigraph', 'pyshacl')))))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    loaded = json.loads(run.stdout)
    assert set(loaded) <= {
        "newsgraph.exporters.values",
        "newsgraph.exporters.registry",
        "newsgraph.exporters.sinks",
    }


def test_bytes_do_not_depend_on_the_hash_seed() -> None:
    code = (
        "import hashlib, newsgraph as ng\n"
        "G, _ = ng.build_graph(['samples/news'], jobs=1)\n"
        "for f in ng.formats():\n"
        "    print(f.name, hashlib.sha256(ng.dumps(G, f.name)).hexdigest())\n"
    )
    outputs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0] == outputs[1] and len(outputs[0].splitlines()) == len(ALL)


def test_every_module_declares_what_it_exports() -> None:
    for module_info in pkgutil.walk_packages(
        importlib.import_module("newsgraph.exporters").__path__, "newsgraph.exporters."
    ):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        assert hasattr(module, "__all__"), module_info.name
        assert all(hasattr(module, name) for name in module.__all__), module_info.name
