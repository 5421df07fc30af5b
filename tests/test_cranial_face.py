"""The face on the body map: the upper and lower parts of each half-face and the eye, shaded by
the deficit class of their cranial muscles, read back from the rendered figure.

Clinical expectations:
- A capsular stroke (central facial palsy) weakens the opposite lower face with the forehead
  spared, its upper face having a bilateral supranuclear supply (Blumenfeld2021: *Neuroanatomy
  through Clinical Cases*, 3rd edn, ch. 12; Brazis2011: *Localization in Clinical Neurology*).
- Bell's palsy, the facial nerve at the stylomastoid foramen, weakens the whole half-face of its
  side, forehead included, as a lower motor neuron palsy (Blumenfeld2021; Ropper2019).
- Weber syndrome (left ventral midbrain) gives a left oculomotor palsy and a right central facial
  palsy (Blumenfeld2021; Brazis2011).
- A spinal accessory nerve lesion in the posterior triangle weakens trapezius (the shoulder) and
  spares sternocleidomastoid, whose branch leaves above it (Gray42; Blumenfeld2021).
"""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402
from test_figures import svg_text_pixels  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import body_map_figure, figure_bytes  # noqa: E402
from neurograph.drawing.style import EFFECT_STYLES  # noqa: E402

COLOURS = {EFFECT_STYLES[effect]["color"].upper(): effect for effect in ("UMN", "LMN", "mixed")}
COLOURS[EFFECT_STYLES["intact"]["fill"].upper()] = "normal"

LESIONS = {
    "capsular": lambda G: preset_lesion(G, "capsular_stroke", side="left"),
    "bell": lambda G: "left facial nerve at the stylomastoid foramen",
    "weber": lambda G: preset_lesion(G, "weber", side="left"),
    "accessory": lambda G: preset_lesion(G, "accessory_posterior_triangle", side="left"),
    "radial": lambda G: "right radial nerve at the spiral groove",
}


@pytest.fixture(scope="module")
def figures(packaged_anatomy):
    return {
        (name, size): body_map_figure(packaged_anatomy, simulate(packaged_anatomy, make(packaged_anatomy)), size=size)
        for name, make in LESIONS.items() for size in ("free", "slide")
    }


def drawn(figure):
    """Each shaded patch's class, by its gid (``region:<view>.<side>.<part>``), read from its face colour."""
    ax = figure.axes[0]
    return {patch.get_gid().split(":", 1)[1]: COLOURS[to_hex(patch.get_facecolor(), keep_alpha=False).upper()]
            for patch in ax.patches if (patch.get_gid() or "").startswith("region:")}


@pytest.mark.parametrize("size", ["free", "slide"])
def test_a_capsular_stroke_weakens_the_opposite_lower_face_and_spares_the_forehead(figures, size):
    parts = drawn(figures["capsular", size])
    assert parts["front.R.face_lower"] == "UMN"
    assert parts["front.R.face_upper"] == "normal"
    assert parts["front.L.face_lower"] == parts["front.L.face_upper"] == "normal"
    assert parts["front.R.eye"] == parts["front.L.eye"] == "normal"


@pytest.mark.parametrize("size", ["free", "slide"])
def test_bells_palsy_weakens_the_whole_half_face_of_its_side(figures, size):
    parts = drawn(figures["bell", size])
    assert parts["front.L.face_upper"] == parts["front.L.face_lower"] == "LMN"
    assert parts["front.R.face_upper"] == parts["front.R.face_lower"] == "normal"
    # The eye's movements and lid are not the facial nerve's.
    assert parts["front.L.eye"] == "normal"


def test_weber_shades_the_eye_of_its_side_and_the_opposite_lower_face(figures):
    parts = drawn(figures["weber", "free"])
    assert parts["front.L.eye"] == "LMN"
    assert parts["front.R.face_lower"] == "UMN" and parts["front.R.face_upper"] == "normal"
    assert parts["front.L.face_lower"] == "normal"


def test_an_accessory_nerve_lesion_shades_the_shoulder_not_the_neck(figures):
    parts = drawn(figures["accessory", "free"])
    assert parts["front.L.shoulder"] == parts["back.L.shoulder"] == "LMN"
    assert parts["front.R.neck"] == "normal"
    assert {parts[f"front.{side}.{part}"] for side in "LR" for part in ("face_upper", "face_lower", "eye")} == {"normal"}


def test_a_limb_lesion_leaves_the_face_unshaded(figures):
    parts = drawn(figures["radial", "free"])
    assert {parts[f"front.{side}.{part}"] for side in "LR" for part in ("face_upper", "face_lower", "eye")} == {"normal"}


def test_the_face_parts_are_named_and_slide_text_stays_at_least_14_pixels(figures):
    for size in ("free", "slide"):
        texts = {text.get_text() for text in figures["bell", size].axes[0].texts}
        assert {"upper face", "lower face", "eye"} <= texts
    sizes = svg_text_pixels(figure_bytes(figures["bell", "slide"], "svg").decode("utf-8"))
    assert min(sizes) >= 14 - 1e-6
