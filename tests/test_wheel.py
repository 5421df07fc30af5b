"""The built wheel ships the anatomy: it loads from any folder in a fresh virtual environment.

Runs offline: the wheel is built without build isolation, and the fresh environment takes
neurograph's dependencies from the running one (installing the wheel itself with --no-deps).
"""

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The installed wheel must be what runs: a PYTHONPATH pointing at a source tree would shadow it.
CLEAN_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", str(out), str(REPO)],
        check=True, capture_output=True, text=True,
    )
    (built,) = out.glob("neurograph-*.whl")
    return built


def test_wheel_installs_in_a_fresh_venv_and_loads_the_anatomy(wheel, tmp_path):
    environment = tmp_path / "venv"
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
    )
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, text=True,
    )
    # Dependencies (networkx, click, ...) come from the running environment, appended after the
    # fresh environment's own site-packages so that the wheel's copy wins. Written after the
    # install, or pip would find the running environment's neurograph and skip the wheel.
    (site / "running_environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import neurograph, pathlib;"
        "G = neurograph.load_anatomy();"
        "print(pathlib.Path(neurograph.__file__).resolve().is_relative_to(pathlib.Path(sys_prefix)));"
        "print(G.number_of_nodes(), len(neurograph.validate(G)))"
    ).replace("sys_prefix", repr(str(environment.resolve())))
    result = subprocess.run(
        [str(python), "-c", script], cwd=elsewhere, check=True, capture_output=True, text=True, env=CLEAN_ENV
    )
    inside_venv, counts = result.stdout.splitlines()
    assert inside_venv == "True"
    nodes, violations = map(int, counts.split())
    assert nodes > 1000
    assert violations == 0
    console = subprocess.run(
        [str(environment / "bin" / "neurograph"), "stats"], cwd=elsewhere, check=True, capture_output=True, text=True,
        env=CLEAN_ENV,
    )
    assert "anterior_horn   62" in console.stdout


def test_the_wheel_marks_the_package_as_typed(wheel):
    # PEP 561: type checkers read an installed package's annotations only when it ships py.typed.
    with zipfile.ZipFile(wheel) as archive:
        assert "neurograph/py.typed" in archive.namelist()


def test_the_wheel_ships_the_drawing_tables(wheel):
    # The cross-section places its motor pools from a cited table: it must travel with the package.
    with zipfile.ZipFile(wheel) as archive:
        assert "neurograph/_data/drawing/motor_pool_positions.csv" in archive.namelist()


def test_the_wheel_ships_every_data_file_the_package_reads_and_the_licence(wheel):
    # What neurograph reads at run time from inside an installed wheel (io.load_anatomy,
    # variants.variants_folder, inference's tables): the built anatomy, every file of the
    # variant and inference source tables as the repository holds them, py.typed (PEP 561),
    # and the licence text (PEP 639: under the dist-info's licenses folder).
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert archive.read("neurograph/_data/anatomy.graphml") == (REPO / "data" / "anatomy.graphml").read_bytes()
        for folder in ("variants", "inference"):
            source = REPO / "data" / "sources" / folder
            files = sorted(path.name for path in source.iterdir() if path.is_file())
            assert files, folder
            for name in files:
                assert archive.read(f"neurograph/_data/{folder}/{name}") == (source / name).read_bytes(), name
        licences = [name for name in names if name.endswith(".dist-info/licenses/LICENSE")]
        assert len(licences) == 1
        assert archive.read(licences[0]) == (REPO / "LICENSE").read_bytes()
    assert "neurograph/py.typed" in names
