"""The notebooks in ``notebooks/`` run from top to bottom and stay readable in diffs.

Each notebook is a pair: the ``.ipynb`` people open, committed without outputs, and a
jupytext ``.py`` (percent format) that reviews read.  Both must hold the same cells.
"""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import nbclient
import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


def cells(path: Path) -> list[tuple[str, str]]:
    notebook = jupytext.read(path) if path.suffix == ".py" else nbformat.read(path, as_version=4)
    return [(cell.cell_type, cell.source.strip()) for cell in notebook.cells]


def test_there_are_notebooks_each_with_its_text_twin() -> None:
    assert len(NOTEBOOKS) >= 3
    texts = sorted((REPO / "notebooks").glob("*.py"))
    assert [p.stem for p in texts] == [p.stem for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_and_its_text_twin_hold_the_same_cells(path: Path) -> None:
    assert cells(path) == cells(path.with_suffix(".py")), (
        f"run: jupytext --sync {path.relative_to(REPO)}"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "widgets" not in notebook.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel inherits these: the repo importable even without `pip install -e .`,
    # files the notebook writes in a temporary folder, figures drawn without a display.
    pythonpath = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", pythonpath)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, when one fails
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
