"""The brainstem part of the lesion pathway diagram: the cranial nuclei at their levels, the
corticobulbar fibres with their crossings coloured by the state of their fibres, the nerves to
the weak cranial muscles; read from the drawn graph and the rendered figure.

Clinical expectations (Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn, ch. 12
and 14; Brazis2011: *Localization in Clinical Neurology*, 6th edn):
- The nuclei lie at their levels: III and IV in the midbrain, V, VI and VII in the pons, the
  nucleus ambiguus and XII in the medulla, XI in the upper cervical cord (Gray42).
- A capsular stroke cuts the corticobulbar fibres of its side: the fibres crossing to the
  opposite facial nucleus lose their drive and the opposite lower face is weak (UMN), the
  forehead spared.
- Weber syndrome (ventral midbrain) cuts the oculomotor fascicle (the same side's III palsy,
  LMN) and the cerebral peduncle (the opposite lower face, UMN).
- Millard-Gubler syndrome (ventral pons) cuts the facial fascicle (the same side's whole face,
  LMN) and the basis pontis.
- The medial medullary syndrome cuts the hypoglossal fascicle (the same side's tongue, LMN) and
  the pyramid.
- Bell's palsy cuts the facial nerve alone: its corticobulbar fibres are intact.
"""

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from test_figures import label_overlaps, svg_text_pixels  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import figure_bytes, lesion_figure  # noqa: E402
from neurograph.drawing.layout import lesion_layout  # noqa: E402

LESIONS = {
    "capsular": lambda G: preset_lesion(G, "capsular_stroke", side="left"),
    "weber": lambda G: preset_lesion(G, "weber", side="left"),
    "millard_gubler": lambda G: preset_lesion(G, "millard_gubler", side="left"),
    "medial_medullary": lambda G: preset_lesion(G, "medial_medullary", side="left"),
    "bell": lambda G: "left facial nerve at the stylomastoid foramen",
    "pseudobulbar": lambda G: preset_lesion(G, "pseudobulbar_palsy"),
    "radial": lambda G: "right radial nerve at the spiral groove",
}
#: Each nucleus's level as the references give it, and the station the diagram names each level by.
LEVELS = {"oculomotor": "midbrain", "trochlear": "midbrain", "trigeminal_motor": "pons", "abducens": "pons",
          "facial": "pons", "ambiguus": "medulla", "hypoglossal": "medulla", "spinal_accessory": "cord"}
STATIONS = {"midbrain": "cerebral_peduncle", "pons": "basis_pontis", "medulla": "medullary_pyramid"}


@pytest.fixture(scope="module")
def results(packaged_anatomy):
    return {name: simulate(packaged_anatomy, make(packaged_anatomy)) for name, make in LESIONS.items()}


@pytest.fixture(scope="module")
def layouts(packaged_anatomy, results):
    return {name: lesion_layout(packaged_anatomy, result).graph for name, result in results.items()}


def edge(shown, a, b):
    assert shown.has_edge(a, b), (a, b)
    return shown.edges[a, b]


def test_the_nuclei_sit_at_their_levels_between_the_stations(layouts):
    shown = layouts["pseudobulbar"]
    drawn = {key.split(".", 2)[2]: key for key in shown if ".nucleus." in key and key.startswith("L.")}
    assert set(drawn) >= {"facial", "trigeminal_motor", "ambiguus", "hypoglossal"}
    rows = {level: shown.nodes[f"L.station.{station}"]["y"] for level, station in STATIONS.items()}
    order = ["midbrain", "pons", "medulla", "cord"]
    for nucleus, key in drawn.items():
        y, level = shown.nodes[key]["y"], LEVELS[nucleus]
        # Below its own level's station and above the next level's.
        assert y > rows.get(level, rows["medulla"]), nucleus
        following = order[order.index(level) + 1] if level != "cord" else None
        if following in rows:
            assert y < rows[following], nucleus
        assert shown.nodes[key]["x"] < 0 and shown.nodes["R" + key[1:]]["x"] > 0


def test_a_capsular_stroke_cuts_the_crossing_fibres_to_the_opposite_lower_face(layouts):
    shown = layouts["capsular"]
    assert shown.nodes["L.station.internal_capsule"]["effect"] == "lesion"
    # The left hemisphere's fibres cross to the right facial nucleus and lose their drive; the
    # right hemisphere's are intact.
    assert edge(shown, "L.station.basis_pontis", "R.nucleus.facial")["effect"] == "UMN"
    assert edge(shown, "R.station.basis_pontis", "R.nucleus.facial")["effect"] == "intact"
    assert shown.nodes["L.station.basis_pontis"]["x"] < 0 < shown.nodes["R.nucleus.facial"]["x"]
    link = edge(shown, "R.nucleus.facial", "R.muscle.orbicularis_oris")
    assert link["effect"] == "UMN" and link["dashed"]
    assert shown.nodes["R.muscle.orbicularis_oris"]["effect"] == "UMN"
    assert "R.muscle.frontalis" not in shown and "L.muscle.orbicularis_oris" not in shown


def test_weber_cuts_the_oculomotor_fascicle_and_the_peduncle(layouts):
    shown = layouts["weber"]
    assert shown.nodes["L.station.cerebral_peduncle"]["effect"] == "lesion"
    assert shown.nodes["L.oculomotor.fascicle"]["effect"] == "lesion"
    assert edge(shown, "L.nucleus.oculomotor", "L.oculomotor.fascicle")["effect"] == "intact"
    for muscle in ("medial_rectus", "levator_palpebrae_superioris"):
        assert edge(shown, "L.oculomotor.fascicle", f"L.muscle.{muscle}")["effect"] == "LMN"
        assert shown.nodes[f"L.muscle.{muscle}"]["effect"] == "LMN"
    assert edge(shown, "L.station.basis_pontis", "R.nucleus.facial")["effect"] == "UMN"
    assert shown.nodes["R.muscle.orbicularis_oris"]["effect"] == "UMN"


def test_millard_gubler_cuts_the_facial_fascicle_and_the_basis_pontis(layouts):
    shown = layouts["millard_gubler"]
    assert shown.nodes["L.station.basis_pontis"]["effect"] == "lesion"
    assert shown.nodes["L.facial.fascicle"]["effect"] == "lesion"
    for muscle in ("frontalis", "orbicularis_oris"):
        assert edge(shown, "L.facial.fascicle", f"L.muscle.{muscle}")["effect"] == "LMN"


def test_the_medial_medullary_lesion_cuts_the_hypoglossal_fascicle_and_the_pyramid(layouts):
    shown = layouts["medial_medullary"]
    assert shown.nodes["L.station.medullary_pyramid"]["effect"] == "lesion"
    fascicle = next(key for key in shown if key.startswith("L.hypoglossal.") and shown.nodes[key]["effect"] == "lesion")
    assert edge(shown, fascicle, "L.muscle.genioglossus")["effect"] == "LMN"
    assert edge(shown, "L.station.medullary_pyramid", "R.nucleus.hypoglossal")["effect"] == "UMN"


def test_bells_palsy_keeps_every_corticobulbar_fibre_intact(layouts):
    shown = layouts["bell"]
    assert shown.nodes["L.facial.stylomastoid_foramen"]["effect"] == "lesion"
    assert edge(shown, "L.facial.stylomastoid_foramen", "L.muscle.frontalis")["effect"] == "LMN"
    stations = [(a, b) for a, b in shown.edges if ".station." in a]
    assert stations and {shown.edges[e]["effect"] for e in stations} == {"intact"}


def test_a_limb_lesion_draws_no_brainstem_part(layouts):
    assert not any(data["stage"] == "brainstem" for _, data in layouts["radial"].nodes(data=True))


@pytest.mark.parametrize("name", ["capsular", "weber", "bell"])
def test_the_rendered_slide_names_the_nuclei_with_text_of_at_least_14_pixels(packaged_anatomy, results, name):
    figure = lesion_figure(packaged_anatomy, results[name], size="slide")
    labels = {text.get_gid(): text.get_text() for text in figure.findobj(matplotlib.text.Text)
              if (text.get_gid() or "").startswith("label:")}
    assert labels["label:L.nucleus.facial"] == labels["label:R.nucleus.facial"] == "VII nucleus"
    assert min(svg_text_pixels(figure_bytes(figure, "svg").decode("utf-8"))) >= 14 - 1e-6
    assert label_overlaps(figure) == []


def test_an_abducens_nucleus_lesion_draws_the_gaze_palsy_of_both_eyes(packaged_anatomy):
    """A lesion of the abducens nucleus: its lateral rectus loses its motor neurons (LMN) and the
    opposite medial rectus the drive of the internuclear neurons that cross to its subnucleus
    (Blumenfeld2021; Kandel2021), drawn as a loss of drive, dashed from its nucleus."""
    shown = lesion_layout(packaged_anatomy, simulate(packaged_anatomy, "left abducens nucleus")).graph
    assert shown.nodes["L.nucleus.abducens"]["effect"] == "lesion"
    assert shown.nodes["L.muscle.lateral_rectus"]["effect"] == "LMN"
    link = edge(shown, "R.nucleus.oculomotor", "R.muscle.medial_rectus")
    assert link["effect"] == "UMN" and link["dashed"]
    assert "L.muscle.medial_rectus" not in shown
