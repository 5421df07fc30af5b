"""The sensory body map: skin regions shaded by grade, one panel per modality group, with a complete legend.

Clinical expectations:
- A left hemisection (Brown-Sequard) loses vibration and joint position on the left below the
  lesion and pain and temperature on the right (Ropper et al. 2019, Adams and Victor's
  Principles of Neurology, ch. 42; Blumenfeld 2021, Neuroanatomy through Clinical Cases, ch. 7).
- Carpal tunnel syndrome numbs the palmar side of the radial digits and spares the dorsum of the
  thumb and middle finger (the ISNCSCI C6 and C7 key points lie on the dorsum) and the palm,
  whose palmar cutaneous branch leaves above the tunnel (Preston & Shapiro 2020).
- The superficial branch of the radial nerve supplies the skin of the radial dorsum of the hand
  and thumb, not the palm (Gray's Anatomy, 42nd ed.; Preston & Shapiro 2020, "Radial
  neuropathy"): in the anatomical position (palms forward) its loss shows in the back view only.
"""

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402
from test_figures import svg_text_pixels  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import figure_bytes, sensory_map_figure  # noqa: E402
from neurograph.drawing.body import SENSORY_SHADES, sensory_regions  # noqa: E402
from neurograph.drawing.style import EFFECT_STYLES  # noqa: E402

PAIN, VIBRATION = "sensory.pin_prick+temperature", "sensory.vibration+joint_position"


@pytest.fixture(scope="module")
def brown_sequard(packaged_anatomy):
    return simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "brown_sequard", level="T10", side="left"))


@pytest.fixture(scope="module")
def svg(packaged_anatomy, brown_sequard):
    return figure_bytes(sensory_map_figure(packaged_anatomy, brown_sequard, size="slide"), "svg").decode("utf-8")


def fill(svg, gid):
    """The fill colour of the patch drawn with id ``gid``."""
    group = re.search(rf'<g id="{re.escape(gid)}">(.*?)</g>', svg, re.S)
    assert group is not None, gid
    return re.search(r"fill: (#[0-9a-fA-F]{6})", group.group(1)).group(1).upper()


def test_brown_sequard_dissociates_the_two_sides(svg):
    absent = SENSORY_SHADES[0][0]
    for region in ("thigh", "leg", "foot"):
        # Pain and temperature lost on the right, vibration and joint position on the left.
        assert fill(svg, f"{PAIN}:front.R.{region}") == absent and fill(svg, f"{PAIN}:front.L.{region}") != absent
        assert fill(svg, f"{VIBRATION}:front.L.{region}") == absent and fill(svg, f"{VIBRATION}:front.R.{region}") != absent
    # Above the lesion every region is normal in both panels.
    for region in ("arm", "hand", "shoulder"):
        for panel in (PAIN, VIBRATION):
            assert fill(svg, f"{panel}:front.L.{region}") == fill(svg, f"{panel}:front.R.{region}") != absent


def test_the_trunk_shows_the_level_as_dermatomal_bands(svg):
    # Ropper et al. 2019: an ipsilateral band of loss at the level; contralateral pain and
    # temperature loss from one to two segments below it.
    absent, normal = SENSORY_SHADES[0][0], EFFECT_STYLES["intact"]["fill"].upper()
    assert fill(svg, f"{PAIN}:front.L.abdomen.T10") == absent
    assert fill(svg, f"{PAIN}:front.R.abdomen.T10") != absent
    assert fill(svg, f"{PAIN}:front.R.abdomen.T12") == absent
    for segment in ("T7", "T8"):
        assert fill(svg, f"{PAIN}:front.L.abdomen.{segment}") == fill(svg, f"{PAIN}:front.R.abdomen.{segment}") == normal
    # Vibration: the left side below the level, the right side spared.
    assert fill(svg, f"{VIBRATION}:front.L.abdomen.T11") == absent
    assert fill(svg, f"{VIBRATION}:front.R.abdomen.T11") == normal


def test_key_points_carry_their_own_grade(svg):
    absent = SENSORY_SHADES[0][0]
    assert fill(svg, f"{VIBRATION}.key_point:front.L.key_point.L3") == absent
    assert fill(svg, f"{VIBRATION}.key_point:front.R.key_point.L3") == SENSORY_SHADES[2][0]
    assert fill(svg, f"{PAIN}.key_point:front.R.key_point.L3") == absent


def test_carpal_tunnel_is_partial_and_spares_the_dorsal_key_points(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "carpal_tunnel"))
    grade, partly = sensory_regions(packaged_anatomy, result, ("pin_prick",))[("front", "R", "hand")]
    assert grade < 2 and partly
    svg = figure_bytes(sensory_map_figure(packaged_anatomy, result), "svg").decode("utf-8")
    for level in ("C6", "C7"):
        assert fill(svg, f"{PAIN}.key_point:back.R.key_point.{level}") == SENSORY_SHADES[2][0]
    assert sensory_regions(packaged_anatomy, result, ("pin_prick",))[("front", "L", "hand")] == (2, False)


def test_each_skin_place_is_drawn_in_the_views_that_show_it(packaged_anatomy):
    result = simulate(packaged_anatomy, "right superficial radial nerve")
    svg = figure_bytes(sensory_map_figure(packaged_anatomy, result, size="slide", limbs="territories"), "svg").decode("utf-8")
    absent, normal = SENSORY_SHADES[0][0], EFFECT_STYLES["intact"]["fill"].upper()
    # The dorsum of the hand is seen from behind: the nerve's territory is drawn, numb, in the back view alone.
    assert fill(svg, f"{PAIN}:back.R.hand.superficial_radial") == absent
    assert f'id="{PAIN}:front.R.hand.superficial_radial"' not in svg
    # So is the C6 key point, on the dorsum of the thumb's proximal phalanx (ISNCSCI, Rupp et al. 2021).
    assert fill(svg, f"{PAIN}.key_point:back.R.key_point.C6") == absent
    assert f'id="{PAIN}.key_point:front.R.key_point.C6"' not in svg
    # The palm, in front, keeps its sensation: the front view's hand and its territories are normal.
    assert fill(svg, f"{PAIN}:front.R.hand") == normal
    front_bands = re.findall(rf'<g id="{re.escape(PAIN)}:front\.R\.hand\.([a-z_]+)">', svg)
    assert front_bands and all(fill(svg, f"{PAIN}:front.R.hand.{band}") == normal for band in front_bands)


def test_the_legend_explains_every_shade(svg):
    texts = " ".join(" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    for entry in ("absent (0)", "altered (1)", "normal (2)", "some of the region's places altered", "ISNCSCI key point",
                  "Sensory level (ISNCSCI): left T9, right T10", "Light touch travels in both tracts"):
        assert entry in texts, entry


def test_sizes_and_slide_text(packaged_anatomy, brown_sequard, svg):
    assert min(svg_text_pixels(svg)) >= 14 - 1e-6
    for size, inches in (("slide", [13.33, 7.5]), ("a4", [11.69, 8.27])):
        figure = sensory_map_figure(packaged_anatomy, brown_sequard, size=size)
        assert [round(float(v), 2) for v in figure.get_size_inches()] == inches


def test_a_result_without_sensation_says_so(packaged_anatomy):
    result = simulate(packaged_anatomy, "C7", sensation=False)
    svg = figure_bytes(sensory_map_figure(packaged_anatomy, result), "svg").decode("utf-8")
    assert "this result has no sensation" in svg


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import figure_bytes, sensory_map_figure
G = neurograph.load_anatomy(sys.argv[1] or None)
result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
sys.stdout.buffer.write(figure_bytes(sensory_map_figure(G, result, size="slide"), "svg"))
"""


def test_renders_byte_identical(packaged_anatomy, brown_sequard, svg):
    elsewhere = subprocess.run([sys.executable, "-c", RENDER, anatomy_under_test_file() or ""], capture_output=True,
                               check=True).stdout
    assert svg.encode("utf-8") == figure_bytes(sensory_map_figure(packaged_anatomy, brown_sequard, size="slide"), "svg") == elsewhere


def test_cli_sensory_map(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "bs.svg"
    outcome = CliRunner().invoke(main, ["render", "--preset", "brown_sequard", "--figure", "sensory-map", "--size", "slide",
                                        "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert "Pain and temperature" in target.read_text()
