"""The package layout holds what ``docs/architecture.md`` says.

- every module sits in a room the page names, in that room's row;
- every import of a newsgraph module goes to the same room or to one the row allows;
- the layers run one way (model <- reading <- building <- analysis <- exporters <- CLI),
  ``graph`` never imports ``exporters`` and ``graph/model.py`` imports only the standard library;
- ``pyproject.toml`` lists every package folder (the install maps ``graph/`` and
  ``exporters/`` into ``newsgraph``).

Imports are read with :mod:`ast`, those inside functions and ``TYPE_CHECKING`` blocks too.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "architecture.md"
#: Package -> its folder; ``newsgraph/graph`` and ``newsgraph/exporters`` are links to these.
SOURCES = {"newsgraph.graph": ROOT / "graph", "newsgraph.exporters": ROOT / "exporters"}
#: The layers, lowest first; a module may import from its own layer and the ones before it.
LAYERS = (
    ("graph",),
    ("graph.reading",),
    ("graph.building",),
    ("graph.analysis",),
    ("exporters", "exporters.rdf", "exporters.property_graph", "exporters.views"),
    ("exporters.stores",),
    ("exporters.changes",),
    ("exporters.cli", "newsgraph"),
)


def _rooms_on_the_page() -> dict[str, tuple[set[str], set[str]]]:
    """Room -> (modules it names, rooms it may import), from the page's table."""
    rooms = {}
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        room = cells[0].strip("`")
        # A module is named as `name` at the start of the cell or after ", "; what follows
        # in parentheses is a description and may name other things.
        described = re.sub(r"\([^)]*\)", "", cells[1])
        modules = set(re.findall(r"`([\w.]+)`", described))
        allowed = set(re.findall(r"`([\w.]+)`", cells[2]))
        if cells[2] == "every room":
            allowed = {room for layer in LAYERS for room in layer}
        rooms[room] = (modules, allowed)
    return rooms


def _modules() -> dict[str, Path]:
    """Full dotted module name -> file, for every module of the package."""
    found = {"newsgraph": ROOT / "newsgraph" / "__init__.py"}
    found |= {f"newsgraph.{p.stem}": p for p in (ROOT / "newsgraph").glob("[!_]*.py")}
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = path.relative_to(folder).with_suffix("").parts
            found[".".join((package, *parts)).removesuffix(".__init__")] = path
    return found


def _room_of(module: str) -> str:
    """The room of a full dotted module name: its longest prefix that is a room."""
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        room = ".".join(parts[1:end]) or "newsgraph"
        if room in ROOMS:
            return room
    raise AssertionError(f"{module} is in no room")


def _imports(path: Path) -> set[str]:
    """The newsgraph modules ``path`` imports, as dotted names below ``newsgraph``."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            if name.split(".")[0] in {"newsgraph", "graph", "exporters"}:
                out.add(name)
    return out


def _third_party(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out - set(sys.stdlib_module_names) - {"__future__", "newsgraph"}


ROOMS = _rooms_on_the_page()
MODULES = _modules()


def test_the_page_names_every_room_and_no_other() -> None:
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert set(ROOMS) == {name.removeprefix("newsgraph.") for name in packages}


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_each_room_names_its_modules(room: str) -> None:
    named, _ = ROOMS[room]
    package = "newsgraph" if room == "newsgraph" else f"newsgraph.{room}"
    actual = {
        name.removeprefix(package + ".")
        for name, path in MODULES.items()
        if _room_of(name) == room and path.name != "__init__.py"
    }
    assert actual - named == set(), f"name these in {room}'s row of docs/architecture.md"
    assert named - actual == set(), f"{room}'s row names modules that are not there"


def test_every_import_names_the_one_package() -> None:
    for module, path in MODULES.items():
        top = {t for t in _imports(path) if t.split(".")[0] != "newsgraph"}
        assert not top, f"{module}: import these as newsgraph.<name>: {sorted(top)}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_stay_in_the_rooms_the_page_allows(module: str) -> None:
    room = _room_of(module)
    _, allowed = ROOMS[room]
    targets = {_room_of(t) for t in _imports(MODULES[module]) if t.startswith("newsgraph")}
    assert targets <= {room, *allowed}, f"{module} ({room}) imports from {targets - allowed}"


def test_layers_run_one_way() -> None:
    layer_of = {room: index for index, layer in enumerate(LAYERS) for room in layer}
    assert set(layer_of) == set(ROOMS), "every room has a layer"
    upward = [
        f"{module} -> {target}"
        for module, path in MODULES.items()
        for target in _imports(path)
        if target.startswith("newsgraph")
        and layer_of[_room_of(target)] > layer_of[_room_of(module)]
    ]
    assert not upward
    for room, (_, allowed) in ROOMS.items():  # the page allows nothing the layers forbid
        assert all(layer_of[other] <= layer_of[room] for other in allowed), room


def test_graph_never_imports_exporters() -> None:
    for module, path in MODULES.items():
        if _room_of(module).startswith("graph"):
            assert all(_room_of(t).startswith("graph") for t in _imports(path)), module


def test_the_model_imports_only_the_standard_library() -> None:
    assert _third_party(ROOT / "graph" / "model.py") == set()
    assert _imports(ROOT / "graph" / "model.py") == set()


def test_pyproject_lists_every_package_folder() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = pyproject["tool"]["setuptools"]
    packages = {name for name, path in MODULES.items() if path.name == "__init__.py"}
    assert set(setuptools["packages"]) == packages
    assert setuptools["package-dir"] == {
        "newsgraph": "newsgraph",
        "newsgraph.graph": "graph",
        "newsgraph.exporters": "exporters",
    }
