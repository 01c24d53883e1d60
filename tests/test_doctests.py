"""Every ``>>>`` example in the package runs and shows what it says: one test per module.

The modules are found by walking ``newsgraph`` with :mod:`pkgutil` (``graph/`` and
``exporters/`` are its sub-packages), so a new module is checked without a list to keep in
step.  pytest's ``--doctest-modules`` is not used on the package: it would import each module
a second time under its file path, beside the ``newsgraph.*`` module the code uses.
"""

from __future__ import annotations

import doctest
import importlib
import io
import pkgutil
from pathlib import Path

import pytest

import newsgraph


def _module_names() -> list[str]:
    walk = pkgutil.walk_packages(newsgraph.__path__, prefix="newsgraph.")
    # A __main__ module runs its program when imported; it holds no examples.
    names = (info.name for info in walk if not info.name.endswith(".__main__"))
    return ["newsgraph", *sorted(names)]


MODULES = _module_names()


def _examples(name: str) -> list[doctest.DocTest]:
    tests = doctest.DocTestFinder().find(importlib.import_module(name), name)
    return [test for test in tests if test.examples]


def test_the_walk_finds_every_package_and_the_examples() -> None:
    assert {"newsgraph.graph.model", "newsgraph.exporters.rdf.turtle"} <= set(MODULES)
    assert "newsgraph.exporters.cli.main" in MODULES or "newsgraph.exporters.cli" in MODULES
    assert sum(len(t.examples) for name in MODULES for t in _examples(name)) >= 130


@pytest.mark.parametrize("name", MODULES)
def test_the_examples_run(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    report = io.StringIO()
    for test in _examples(name):
        runner.run(test, out=report.write)
    assert runner.failures == 0, report.getvalue()
