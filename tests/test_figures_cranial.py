"""The corticobulbar figure: head areas, corticobulbar channels, cranial nuclei at their levels,
the nerves to the muscles, and the lesion.

Clinical expectations: Weber syndrome, a left ventral midbrain lesion, gives a left oculomotor
palsy (LMN: the levator and the medial, superior and inferior recti) and a right central facial
palsy with the forehead spared (Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn,
ch. 14; Brazis2011); Bell's palsy weakens the whole left face, forehead included (Blumenfeld2021;
Ropper2019).
"""

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402
from test_figures import label_overlaps, svg_text_pixels  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import figure_bytes  # noqa: E402
from neurograph.drawing.cranial import corticobulbar_figure  # noqa: E402


@pytest.fixture(scope="module")
def results(packaged_anatomy):
    G = packaged_anatomy
    return {
        "weber": simulate(G, preset_lesion(G, "weber", side="left")),
        "bell": simulate(G, "left facial nerve at the stylomastoid foramen"),
        "radial": simulate(G, "right radial nerve at the spiral groove"),
    }


@pytest.fixture(scope="module")
def svgs(packaged_anatomy, results):
    return {name: figure_bytes(corticobulbar_figure(packaged_anatomy, result, size="slide"), "svg").decode("utf-8")
            for name, result in results.items()}


def muscle_effects(svg):
    return {node: effect for node, effect in re.findall(r'<g id="muscle:([^:"]+):([^"]+)"', svg)}


def test_weber_draws_the_oculomotor_palsy_and_the_opposite_central_facial_palsy(svgs):
    effects = muscle_effects(svgs["weber"])
    for muscle in ("levator_palpebrae_superioris", "medial_rectus", "superior_rectus", "inferior_rectus"):
        assert effects[f"L.muscle.{muscle}"] == "LMN"
    assert effects["R.muscle.orbicularis_oris"] == "UMN"
    assert effects["R.muscle.frontalis"] == effects["L.muscle.lateral_rectus"] == "intact"
    # Channels past the left peduncle lost their drive; some segment is the lesion itself.
    assert re.search(r'<g id="channel:\d+:lesion"', svgs["weber"]) and re.search(r'<g id="channel:\d+:UMN"', svgs["weber"])


def test_bells_palsy_draws_the_whole_hemiface_lmn_and_a_limb_lesion_nothing(svgs):
    effects = muscle_effects(svgs["bell"])
    assert {effects[f"L.muscle.{m}"] for m in ("frontalis", "orbicularis_oculi", "orbicularis_oris", "buccinator", "platysma")} == {"LMN"}
    assert {effect for node, effect in effects.items() if node.startswith("R.")} == {"intact"}
    assert set(muscle_effects(svgs["radial"]).values()) == {"intact"}
    assert not re.search(r'<g id="(channel:\d+:(lesion|UMN)|lesion:)', svgs["radial"])


def test_every_cranial_muscle_is_drawn_once(packaged_anatomy, svgs):
    muscles = {node for node, data in packaged_anatomy.nodes(data=True) if data["kind"] == "cranial_muscle"}
    assert set(muscle_effects(svgs["weber"])) == muscles


def test_slide_text_size_and_no_overlapping_labels(packaged_anatomy, results, svgs):
    svg = svgs["weber"]
    width, height = (float(v) for v in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert width / height == pytest.approx(16 / 9)
    assert min(svg_text_pixels(svg)) >= 14 - 1e-6
    for size in ("free", "slide", "a4"):
        assert label_overlaps(corticobulbar_figure(packaged_anatomy, results["weber"], size=size)) == [], size


def test_renders_byte_identical_here_and_from_the_command_line(packaged_anatomy, results, tmp_path):
    """The same figure twice in this process and once from `neurograph render` in another one."""
    target = tmp_path / "weber.svg"
    anatomy = anatomy_under_test_file()
    command = [sys.executable, "-m", "neurograph", "render", "--preset", "weber", "--side", "left", "--figure", "corticobulbar",
               "--size", "slide", "--output", str(target), *(["--anatomy", anatomy] if anatomy else [])]
    subprocess.run(command, capture_output=True, check=True)
    here = [figure_bytes(corticobulbar_figure(packaged_anatomy, results["weber"], size="slide"), "svg") for _ in range(2)]
    assert here[0] == here[1] == target.read_bytes()


def test_cli_renders_the_corticobulbar_figure(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "weber.svg"
    runner = CliRunner()
    outcome = runner.invoke(main, ["render", "--preset", "weber", "--side", "left", "--figure", "corticobulbar",
                                   "--size", "a4", "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert 'id="muscle:L.muscle.levator_palpebrae_superioris:LMN"' in target.read_text()
    bad = runner.invoke(main, ["render", "left genu", "--figure", "corticobulbar", "--size", "poster", "--output", str(tmp_path / "x.svg")])
    assert bad.exit_code == 2 and not (tmp_path / "x.svg").exists()
