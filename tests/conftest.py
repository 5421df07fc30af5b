import functools
import importlib.util
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import neurograph

REPO = Path(__file__).resolve().parent.parent

# "ci": fixed example counts, derandomized, no example database: the suite is deterministic.
# No deadline: a per-example wall-clock limit fails an example that only waited for the CPU (the
# suite runs one worker per core beside other work, and a 0.4 s example has taken 3 s there);
# speed is checked by the benchmarks under scripts/, CPU time by the bounded tests. "dev": more
# examples, for local runs.
settings.register_profile(
    "ci", max_examples=40, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "dev", max_examples=300, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


#: A GraphML file to test instead of the packaged anatomy (scripts/mutation_test.py sets it to
#: each mutant's anatomy, so that the anatomy and clinical tests judge the mutant).
ANATOMY_OVERRIDE = "NEUROGRAPH_TEST_ANATOMY"


def anatomy_under_test_file():
    """The GraphML file of the anatomy under test: ``$NEUROGRAPH_TEST_ANATOMY``, or ``None`` for
    the packaged anatomy (for a child process that must load the same anatomy)."""
    return os.environ.get(ANATOMY_OVERRIDE) or None


@functools.cache
def load_test_anatomy():
    """The anatomy under test, loaded once: ``$NEUROGRAPH_TEST_ANATOMY`` when set, else the packaged one.

    Every test takes the anatomy from here: through the fixtures below, or, where a hypothesis
    ``@given`` decorator needs it when its module is imported, as ``from conftest import
    load_test_anatomy`` at module level. Callers must not modify it.
    """
    return neurograph.load_anatomy(anatomy_under_test_file())


@pytest.fixture(scope="session")
def packaged_anatomy():
    """The anatomy under test, loaded once; tests must not modify it (use ``anatomy``)."""
    return load_test_anatomy()


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


def notebook_client(notebook, folder, **options):
    """An ``nbclient.NotebookClient`` for ``notebook`` that runs in ``folder``, its kernel reached
    over Unix sockets there.

    Over TCP a kernel's ports are picked by binding free ports and releasing them before the
    kernel binds them, so two kernels started at once (the test workers run side by side) can
    pick the same port; socket files in each test's own folder cannot clash.
    """
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(folder) / "kernel"))
    return NotebookClient(notebook, km=kernel, resources={"metadata": {"path": str(folder)}}, **options)
