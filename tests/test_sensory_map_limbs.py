"""The limbs on the sensory map: dermatome bands and named cutaneous nerve territories.

Clinical expectations:
- One root lesion impairs its own dermatome and no other (the overlap of neighbouring
  dermatomes: Foerster 1933; rules.csv single_root_lesion_grade).
- Carpal tunnel syndrome numbs the median digital territory and spares the palm (its palmar
  cutaneous branch leaves above the tunnel); a lesion at Guyon's canal spares the dorsal ulnar
  hand (Preston & Shapiro 2020; syndrome_findings.csv).
- A left T10 hemisection loses vibration and joint position in the left leg, pain and
  temperature in the right (Ropper et al. 2019; Blumenfeld 2021).
- The upper limb's preaxial (rostral) border is lateral, the lower limb's medial after its medial
  rotation (Moore, Dalley and Agur, Clinically Oriented Anatomy, 8th edn, 2018): C5 lies outside
  T1 on the arm, L2 inside S1 on the leg.
"""

import csv
import re
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402
from test_figures import svg_text_pixels  # noqa: E402
from test_figures_sensory_map import fill  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import figure_bytes  # noqa: E402
from neurograph.drawing.body import SENSORY_SHADES, limb_bands, limb_map_figure, sensory_map_figure  # noqa: E402
from neurograph.drawing.style import EFFECT_STYLES  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402

PAIN, VIBRATION = "sensory.pin_prick+temperature", "sensory.vibration+joint_position"
SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources" / "sensory"


def expected(syndrome, where):
    """The grades syndrome_findings.csv allows for pin prick at ``where``."""
    with open(SOURCES / "syndrome_findings.csv", newline="", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["syndrome"] == syndrome and row["where"] == where
                and row["modality"] == "pin_prick"]
    assert len(rows) == 1, (syndrome, where)
    return {int(grade) for grade in rows[0]["expected"].split("|")}


def grades(bands, key):
    return {band: grade for band, grade, _ in bands[key]}


def test_one_root_lesion_impairs_its_own_dermatome_band_down_the_limb(packaged_anatomy):
    bands = limb_bands(packaged_anatomy, simulate(packaged_anatomy, "right C6 root"), ("pin_prick",))
    for region in ("arm", "forearm", "hand"):
        found = grades(bands, ("front", "R", region))
        assert found.pop("C6") == 1, region
        assert set(found.values()) == {2}, region
        assert set(grades(bands, ("front", "L", region)).values()) == {2}


@pytest.mark.parametrize(("preset", "syndrome", "affected", "spared"), [
    ("carpal_tunnel", "carpal_tunnel", "median_digital", ("median_palmar_cutaneous",)),
    ("guyon_canal", "guyon_canal", "ulnar_digital", ("dorsal_ulnar_cutaneous", "ulnar_palmar_cutaneous")),
])
def test_an_entrapment_numbs_its_nerve_territory_and_spares_the_branches_above(packaged_anatomy, preset, syndrome, affected, spared):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, preset))
    bands = limb_bands(packaged_anatomy, result, ("pin_prick",), by="territories")
    # Each territory in the view of the hand that shows it: the palm's in front, the dorsum's behind.
    territories = {**grades(bands, ("back", "R", "hand")), **grades(bands, ("front", "R", "hand"))}
    assert territories[affected] in expected(syndrome, f"territory:{affected}")
    for nerve in spared:
        assert territories[nerve] in expected(syndrome, f"territory:{nerve}") == {2}
    svg = figure_bytes(sensory_map_figure(packaged_anatomy, result, size="slide", limbs="territories"), "svg").decode("utf-8")
    assert fill(svg, f"{PAIN}:front.R.hand.{affected}") == SENSORY_SHADES[territories[affected]][0].upper()


def test_a_hemisection_splits_the_leg_dermatomes_by_modality(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "brown_sequard", level="T10", side="left"))
    vibration = limb_bands(packaged_anatomy, result, ("vibration",))
    pain = limb_bands(packaged_anatomy, result, ("pin_prick",))
    for region in ("thigh", "leg", "foot"):
        assert set(grades(vibration, ("front", "L", region)).values()) == {0}
        assert set(grades(vibration, ("front", "R", region)).values()) == {2}
        assert set(grades(pain, ("front", "R", region)).values()) == {0}
        assert set(grades(pain, ("front", "L", region)).values()) == {2}
    svg = figure_bytes(sensory_map_figure(packaged_anatomy, result, size="slide"), "svg").decode("utf-8")
    assert fill(svg, f"{VIBRATION}:front.L.leg.L5") == SENSORY_SHADES[0][0].upper()
    assert fill(svg, f"{PAIN}:front.L.leg.L5") != SENSORY_SHADES[0][0].upper()


def strip_centres(figure, prefix):
    """The horizontal centre of each patch whose id starts with ``prefix``, by the rest of its id."""
    found = {}
    for ax in figure.axes:
        for patch in ax.patches:
            gid = patch.get_gid() or ""
            if gid.startswith(prefix):
                found[gid[len(prefix):]] = patch.get_x() + patch.get_width() / 2
    return found


def test_the_bands_start_at_the_preaxial_border(packaged_anatomy):
    result = simulate(packaged_anatomy, "right C6 root")
    figure = sensory_map_figure(packaged_anatomy, result)
    # The front view's midline lies at its centre; the patient's right on the viewer's left.
    arm = strip_centres(figure, f"{PAIN}:front.R.arm.")
    leg = strip_centres(figure, f"{PAIN}:front.R.leg.")
    midline = -2.6
    assert abs(arm["C5"] - midline) > abs(arm["T1"] - midline)
    assert abs(leg["L2"] - midline) < abs(leg["S1"] - midline)


@pytest.fixture(scope="module")
def limb_svg(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "carpal_tunnel"))
    return figure_bytes(limb_map_figure(packaged_anatomy, result, size="slide"), "svg").decode("utf-8")


def test_the_limb_map_names_every_territory_and_shade(packaged_anatomy, limb_svg):
    texts = " ".join(" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", limb_svg))
    for entry in ("absent (0)", "altered (1)", "normal (2)", "some of the band's places altered", "preaxial", "postaxial"):
        assert entry in texts, entry
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "carpal_tunnel"))
    territories = limb_bands(packaged_anatomy, result, ("light_touch", "pin_prick"), by="territories")
    shown = {band for key, bands in territories.items() if key[:2] == ("front", "R") for band, _, _ in bands}
    for nerve in shown:
        label = packaged_anatomy.nodes[f"R.aff.{nerve}"]["label"].removesuffix(" (right)")
        assert re.search(rf"\d+ {re.escape(label)}", texts), label
    # The palm spared, the median digital territory not (Preston & Shapiro 2020).
    intact = EFFECT_STYLES["intact"]["fill"].upper()
    assert fill(limb_svg, "limbs.territories:R.hand.median_palmar_cutaneous") == intact
    assert fill(limb_svg, "limbs.territories:R.hand.median_digital") != intact


def test_limb_map_sizes_and_slide_text(packaged_anatomy, limb_svg):
    assert min(svg_text_pixels(limb_svg)) >= 14 - 1e-6
    result = simulate(packaged_anatomy, "right C6 root")
    for size, inches in (("slide", [13.33, 7.5]), ("a4", [11.69, 8.27])):
        figure = limb_map_figure(packaged_anatomy, result, size=size)
        assert [round(float(v), 2) for v in figure.get_size_inches()] == inches


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import figure_bytes
from neurograph.drawing.body import limb_map_figure
G = neurograph.load_anatomy(sys.argv[1] or None)
result = neurograph.simulate(G, neurograph.preset_lesion(G, "carpal_tunnel"))
sys.stdout.buffer.write(figure_bytes(limb_map_figure(G, result, size="slide"), "svg"))
"""


def test_the_limb_map_renders_byte_identical(limb_svg):
    elsewhere = subprocess.run([sys.executable, "-c", RENDER, anatomy_under_test_file() or ""], capture_output=True,
                               check=True).stdout
    assert limb_svg.encode("utf-8") == elsewhere


@pytest.mark.parametrize(("call", "named"), [
    (lambda G, result: limb_map_figure(G, result, side="middle"), "side"),
    (lambda G, result: limb_map_figure(G, result, modalities=("smell",)), "modalities"),
    (lambda G, result: sensory_map_figure(G, result, limbs="muscles"), "limbs"),
    (lambda G, result: limb_bands(G, result, ("pin_prick",), by="myotomes"), "by"),
])
def test_bad_limb_options_are_refused_by_name(packaged_anatomy, call, named):
    with pytest.raises(InvalidValueError, match=named):
        call(packaged_anatomy, simulate(packaged_anatomy, "right C6 root"))


def test_a_result_without_sensation_says_so_on_the_limb_map(packaged_anatomy):
    svg = figure_bytes(limb_map_figure(packaged_anatomy, simulate(packaged_anatomy, "C7", sensation=False)), "svg").decode("utf-8")
    assert "this result has no sensation" in svg


@pytest.mark.parametrize("site, side", [("left superficial radial nerve", "left"), ("right L5 dorsal root", "right")])
def test_cli_limb_map_draws_the_side_with_the_altered_skin(tmp_path, site, side):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "limbs.svg"
    outcome = CliRunner().invoke(main, ["render", site, "--figure", "limb-map", "--size", "slide", "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert f"Limb sensation, {side} side" in target.read_text()
