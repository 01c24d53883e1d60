"""The public surface of newsgraph.graph.analysis: a complete flat __all__, no heavy or upward imports."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import newsgraph.graph.analysis

ROOT = Path(__file__).resolve().parents[2]
MODULES = [m.name for m in pkgutil.iter_modules(newsgraph.graph.analysis.__path__)]


def test_every_module_declares_all():
    for name in MODULES:
        module = importlib.import_module(f"newsgraph.graph.analysis.{name}")
        assert isinstance(module.__all__, list), name
        for item in module.__all__:
            assert hasattr(module, item), f"{name}.{item}"


def test_package_reexports_every_public_name():
    public = {
        item
        for name in MODULES
        if not name.startswith("_")
        for item in importlib.import_module(f"newsgraph.graph.analysis.{name}").__all__
    }
    assert public == set(newsgraph.graph.analysis.__all__)


def test_import_loads_no_optional_or_upper_layer():
    code = (
        "import sys, newsgraph.graph.analysis; print(sorted(m for m in ('matplotlib', 'igraph', "
        "'pandas', 'leidenalg', 'exporters') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_analysis_never_imports_exporters():
    for path in Path(newsgraph.graph.analysis.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import newsgraph.exporters" not in text and "from exporters" not in text, path.name
