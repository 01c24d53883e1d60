"""The public API, ``import newsgraph as ng``: complete, listed once, lazy, cheap, installable.

``newsgraph/__init__.py`` names every public name three times -- in ``__all__``, in the lazy
``_LAZY`` table and in the ``TYPE_CHECKING`` imports editors and mypy read -- and these tests
keep the three in step, resolve every name, and check what ``import newsgraph`` costs.
"""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import newsgraph

ROOT = Path(__file__).resolve().parents[1]

#: Modules whose ``__all__`` the facade re-exports.
PUBLIC_MODULES = (
    "newsgraph.graph.model",
    "newsgraph.graph.errors",
    "newsgraph.graph.reading",
    "newsgraph.graph.building",
    "newsgraph.graph.analysis",
    "newsgraph.exporters.registry",
)
#: Names in those ``__all__`` lists that users do not need from the top (constants are
#: left out too: they stay in their modules).
NOT_AT_THE_TOP = {"Partial"}  # the builder's state between worker processes


def _type_checking_imports() -> dict[str, str]:
    """Public name -> ``module:attribute`` as the TYPE_CHECKING block imports it."""
    tree = ast.parse(Path(newsgraph.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom), ast.dump(statement)
        for alias in statement.names:
            public = alias.asname or alias.name
            assert public not in names, f"{public} imported twice"
            names[public] = f"{statement.module}:{alias.name}"
    return names


def _lazy_targets() -> dict[str, str]:
    """Public name -> ``module:attribute`` as ``_LAZY`` gives it (a submodule as itself)."""
    out = {}
    for name, target in newsgraph._LAZY.items():
        module, _, attribute = target.partition(":")
        if module == f"newsgraph.{name}":
            out[name] = f"newsgraph:{name}"  # how the TYPE_CHECKING block imports a submodule
        else:
            out[name] = f"{module}:{attribute or name}"
    return out


def test_all_lists_each_name_once_and_matches_the_lazy_table() -> None:
    assert len(newsgraph.__all__) == len(set(newsgraph.__all__))
    assert set(newsgraph.__all__) == set(newsgraph._LAZY)


def test_type_checking_block_imports_what_the_lazy_table_serves() -> None:
    assert _type_checking_imports() == _lazy_targets()


@pytest.mark.parametrize("name", sorted(newsgraph._LAZY))
def test_every_name_resolves_to_its_definition(name: str) -> None:
    module, _, attribute = _lazy_targets()[name].partition(":")
    expected = getattr(importlib.import_module(module), attribute)
    assert getattr(newsgraph, name) is expected
    assert name in dir(newsgraph)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'build_grpah'"):
        newsgraph.build_grpah  # noqa: B018


def test_every_public_name_of_the_packages_is_at_the_top() -> None:
    missing = {
        f"{module}.{name}"
        for module in PUBLIC_MODULES
        for name in importlib.import_module(module).__all__
        if not name.isupper() and name not in NOT_AT_THE_TOP and name not in newsgraph.__all__
    }
    assert not missing, "add these to newsgraph/__init__.py (all three lists)"


def test_version_comes_from_the_package_metadata() -> None:
    from importlib.metadata import version

    assert newsgraph.__version__ == version("newsgraph")


def _imported(statement: str) -> set[str]:
    """Top-level packages a fresh interpreter imports for ``statement`` (from -X importtime)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    # Lines read "import time: self [us] | cumulative | imported package", nested by indent.
    rows = [line.rpartition("|")[2].strip() for line in result.stderr.splitlines()]
    return {row.split(".")[0] for row in rows if row and row != "imported package"}


def test_import_newsgraph_loads_no_heavy_library() -> None:
    loaded = _imported("import newsgraph")
    assert "newsgraph" in loaded
    assert not loaded & {"networkx", "yaml", "rdflib", "ftfy", "matplotlib", "numpy"}


def test_the_model_stays_cheap() -> None:
    loaded = _imported("import newsgraph.graph.model")
    assert "newsgraph" in loaded
    assert not loaded & {"networkx", "yaml", "ftfy", "rdflib"}


def test_the_wheel_holds_one_top_level_package(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=shutil.ignore_patterns(".*", "*.egg-info", "build", "dist", "__pycache__", "out"),
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        check=True,
    )
    (wheel,) = tmp_path.glob("newsgraph-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {
        "newsgraph",
        wheel.name.split("-py3")[0] + ".dist-info",
    }
    for expected in (
        "newsgraph/graph/model.py",
        "newsgraph/exporters/registry.py",
        "newsgraph/exporters/rdf/shapes/articles.ttl",
        "newsgraph/exporters/views/viewer/viewer.js",
        "newsgraph/py.typed",
    ):
        assert expected in names
