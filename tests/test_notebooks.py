"""Every notebook runs top to bottom in a real Jupyter kernel."""

from pathlib import Path

import nbformat
import pytest

from conftest import notebook_client

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert [path.stem for path in NOTEBOOKS] == ["01_quickstart", "02_teaching_set", "03_lesion_atlas", "04_isncsci", "05_cohorts"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_runs_without_error(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    # Run in a scratch folder: the teaching notebook writes its figures where it runs.
    notebook_client(notebook, tmp_path, timeout=600).execute()
    errors = [output for cell in notebook.cells for output in cell.get("outputs", []) if output.output_type == "error"]
    assert errors == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_committed_notebooks_carry_their_outputs(path):
    """They read well on a code host: every result cell shows what it computed."""
    notebook = nbformat.read(path, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[-1].get("outputs")
    assert sum(1 for cell in code if cell.get("outputs")) >= len(code) - 1
