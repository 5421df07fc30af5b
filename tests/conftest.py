import importlib.util
import sys
from pathlib import Path

import pytest

import neurograph

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def packaged_anatomy():
    """The packaged anatomy, loaded once; tests must not modify it (use ``anatomy``)."""
    return neurograph.load_anatomy()


@pytest.fixture
def anatomy(packaged_anatomy):
    """A private copy of the packaged anatomy that a test may modify."""
    return packaged_anatomy.copy()


@pytest.fixture(scope="session")
def build_script():
    """The data build script, imported as a module."""
    path = REPO / "scripts" / "build_anatomy.py"
    spec = importlib.util.spec_from_file_location("build_anatomy", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_anatomy", module)
    spec.loader.exec_module(module)
    return module
