"""Face sensation after a lesion of the upper cervical cord: the onion-skin rings.

References (data/sources/references.csv):

- Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn, ch. 7 and 12) and Brazis2011
  (*Localization in Clinical Neurology*, 6th edn, ch. on the trigeminal nerve): the face's pain and
  temperature fibres descend the spinal trigeminal tract on their own side to the pars caudalis,
  which reaches the upper cervical cord; they end in concentric rings, the perioral ring highest
  (in the medulla) and the outer face (forehead, chin) lowest (C2), so a lesion of the upper cord
  takes pain and temperature from the outer rings of the same side's face and spares the lips,
  and the lower the lesion the fewer rings it takes. Touch runs to the principal sensory nucleus
  in the pons and is kept. A C1 lesion takes the fibres that end at C1 (the middle ring: cheek and
  cornea) and those that pass it on their way down to C2.
- Gray42 (*Gray's Anatomy*, 42nd edn) and Blumenfeld2021: the spinal trigeminal tract continues
  the dorsolateral fasciculus (Lissauer's tract) and the pars caudalis the dorsal horn's
  substantia gelatinosa; the dorsal columns carry no trigeminal fibres.
- Ropper2019 (*Adams and Victor*, 11th edn) and Brazis2011: a syrinx reaching the upper cord and the
  medulla (syringobulbia) takes pain and temperature from the face in the onion-skin pattern, from
  the outside in, the area round the mouth last.
- Kuraishi2016 reports onion-skin loss from compression at C3-C4; the graph keeps the textbooks'
  C2 (trigeminal_disputes.csv), so a C3 lesion leaves the face normal.
"""

import csv

import pytest
from source_tables import SOURCES

import neurograph
from neurograph.presets import preset_lesion
from neurograph.resolve import atlas_sites

FACE = ("forehead", "cornea", "cheek", "upper_lip", "lower_lip", "chin")
#: Blumenfeld2021; Brazis2011: the rings of the face, by the level their pain fibres end at.
OUTER = {"forehead", "chin"}  # C2
MIDDLE = {"cheek", "cornea"}  # C1
PERIORAL = {"upper_lip", "lower_lip"}  # the caudal medulla, above the cord
SIDES = {"left": "L", "right": "R"}
OTHER = {"L": "R", "R": "L"}


def face(result, side):
    """Per face place of ``side``: (light touch, pin prick, temperature); untouched places are normal."""
    found = {f.place: (f.light_touch, f.pin_prick, f.temperature) for f in result.sensation}
    return {place: found.get(f"{side}.skin.{place}", (2, 2, 2)) for place in FACE}


def painless(grades):
    """The places whose pain and temperature are lost."""
    return {place for place, (_, pin, temperature) in grades.items() if (pin, temperature) == (0, 0)}


def assert_ring_loss(grades, lost):
    """``lost`` has pain and temperature absent and touch kept; every other place is normal."""
    assert painless(grades) == lost
    for place, (touch, pin, temperature) in grades.items():
        if place in lost:
            assert touch >= 1, place  # the principal nucleus in the pons still has the place's touch
        else:
            assert (touch, pin, temperature) == (2, 2, 2), place


@pytest.mark.parametrize("word", ["left", "right"])
@pytest.mark.parametrize("name", ["{word} C2 hemisection", "{word} half of C2", "C2, {word}"])
def test_a_c2_hemisection_takes_pain_from_the_forehead_and_chin_of_its_side(packaged_anatomy, name, word):
    """The outer ring ends lowest, at C2: forehead and chin lose pain and temperature on the side of the
    lesion; the cheek, cornea and lips, whose fibres end above C2, are spared; the other side is normal."""
    result = neurograph.simulate(packaged_anatomy, name.format(word=word))
    side = SIDES[word]
    assert_ring_loss(face(result, side), OUTER)
    assert_ring_loss(face(result, OTHER[side]), set())


@pytest.mark.parametrize("word", ["left", "right"])
def test_a_c1_hemisection_takes_the_middle_and_outer_rings_and_spares_the_lips(packaged_anatomy, word):
    """At C1 the middle ring's fibres end and the outer ring's pass on down: forehead, cheek, cornea and
    chin lose pain and temperature on that side; the perioral ring, ending in the medulla, is spared."""
    result = neurograph.simulate(packaged_anatomy, f"{word} half of C1")
    side = SIDES[word]
    assert_ring_loss(face(result, side), OUTER | MIDDLE)
    assert_ring_loss(face(result, OTHER[side]), set())


@pytest.mark.parametrize("lesion, lost", [
    ("C2", OUTER),
    ("C1 cord segment", OUTER | MIDDLE),
    (lambda G: preset_lesion(G, "transection", level="C2"), OUTER),
    (lambda G: preset_lesion(G, "transection", level="C1"), OUTER | MIDDLE),
    (lambda G: preset_lesion(G, "brown_sequard", level="C2", side="right"), None),
])
def test_a_whole_segment_takes_the_rings_of_both_sides(packaged_anatomy, lesion, lost):
    """A transection cuts both spinal trigeminal tracts: the same rings on both sides (the hemisection
    preset, for contrast, the right side's alone)."""
    G = packaged_anatomy
    result = neurograph.simulate(G, lesion(G) if callable(lesion) else lesion)
    if lost is None:
        assert_ring_loss(face(result, "R"), OUTER)
        assert_ring_loss(face(result, "L"), set())
        return
    for side in "LR":
        assert_ring_loss(face(result, side), lost)


@pytest.mark.parametrize("lesion", ["C3", "right half of C3", "C4-C8"])
def test_a_cord_lesion_below_c2_leaves_the_face_normal(packaged_anatomy, lesion):
    """The pars caudalis ends at C2 in the textbooks the graph follows (Kuraishi2016's C3-C4 is a
    stated dispute)."""
    result = neurograph.simulate(packaged_anatomy, lesion)
    for side in "LR":
        assert_ring_loss(face(result, side), set())


def test_the_onion_skin_loss_crosses_the_divisions(packaged_anatomy):
    """Brazis2011; Blumenfeld2021: the rings cut across V1, V2 and V3: a C2 lesion takes the forehead
    (V1) and chin (V3) and spares the cornea (V1) and lips (V2, V3), unlike any one division's loss,
    and the sensory map shows V1 and V3 partly lost and V2 normal."""
    from neurograph.drawing.body import face_divisions

    G = packaged_anatomy
    result = neurograph.simulate(G, "right half of C2")
    found = face_divisions(G, result, ("pin_prick",))
    assert found[("R", "V1")] == found[("R", "V3")] == (0, True)
    assert found[("R", "V2")] == found[("L", "V1")] == (2, False)


def test_the_corneal_reflex_survives_a_c2_lesion(packaged_anatomy):
    """The cornea's fibres end at C1, above C2 (its ring is the middle one): both blinks from either
    eye are kept after a C2 transection."""
    result = neurograph.simulate(packaged_anatomy, "C2")
    assert {finding.state for finding in result.cranial.reflexes if "corneal" in finding.reflex} == {"normal"}


def test_each_cord_segment_takes_its_own_trigeminal_stations_only(packaged_anatomy):
    """A C2 lesion holds the C2 stations of the spinal trigeminal tract, nucleus and crossing of its side,
    and none at C1 or in the medulla; the atlas's cord-segment sites hold the same."""
    G = packaged_anatomy
    for segment, other in (("C1", "C2"), ("C2", "C1")):
        for word, side in SIDES.items():
            nodes = neurograph.resolve_site(G, f"{word} half of {segment}").nodes
            trigeminal = {node for node in nodes if ".trigeminal." in node}
            assert trigeminal == {
                f"{side}.trigeminal.spinal_tract.{segment}", f"{side}.trigeminal.spinal_nucleus.{segment}",
                f"{side}.trigeminal.trigeminothalamic_decussation.{segment}",
            }
        atlas = {site.label: site.nodes for site in atlas_sites(G)}
        whole = atlas[f"{segment} cord segment, bilateral"]
        assert {f"{side}.trigeminal.spinal_nucleus.{segment}" for side in "LR"} <= whole
        assert not any(node.endswith(f".{other}") or node.endswith(".medulla_caudal") for node in whole if ".trigeminal." in node)


def cord_stations():
    with open(SOURCES / "cranial" / "trigeminal_cord_stations.csv", newline="", encoding="utf-8") as handle:
        return {row["station"]: row for row in csv.DictReader(handle)}


def test_the_upper_cord_stations_lie_where_their_table_puts_them(packaged_anatomy):
    """Gray42; Blumenfeld2021: the tract continues Lissauer's tract and the nucleus the dorsal horn (the
    table's continuity rows); every trigeminal node in the cord carries its station's row."""
    rows = cord_stations()
    assert rows["spinal_trigeminal_tract"]["cord_station"] == "lissauer_tract"
    assert rows["spinal_trigeminal_nucleus"]["cord_station"] == "dorsal_horn"
    assert {row["basis"] for row in rows.values()} <= {"continuity", "choice"}
    in_cord = [(node, data) for node, data in packaged_anatomy.nodes(data=True) if data.get("area") == "face" and data.get("segment")]
    assert len(in_cord) == 12  # three stations, two levels, two sides
    for node, data in in_cord:
        assert data["segment"] == data["level"] and data["cord_station"] == rows[data["station"]]["cord_station"], node


def test_a_syrinx_reaching_the_upper_cord_takes_the_outer_rings_of_both_sides(packaged_anatomy):
    """Ropper2019; Brazis2011: a central lesion reaching C2 takes the pars caudalis there (the dorsal
    horn's continuation) on both sides: forehead and chin; reaching C1 also the cheek and cornea;
    the lips are spared, the last to go."""
    G = packaged_anatomy
    to_c2 = neurograph.simulate(G, preset_lesion(G, "syringomyelia", levels="C2-T1"))
    to_c1 = neurograph.simulate(G, preset_lesion(G, "central_cord", levels="C1-C2"))
    for side in "LR":
        assert_ring_loss(face(to_c2, side), OUTER)
        assert_ring_loss(face(to_c1, side), OUTER | MIDDLE)


def test_the_dorsal_columns_and_the_anterior_cord_spare_the_tract_and_its_nucleus(packaged_anatomy):
    """Blumenfeld2021: the dorsal columns carry no trigeminal fibres: a posterior cord lesion at C1-C2
    leaves the face normal. Gray42: the tract and the pars caudalis lie dorsolaterally, with Lissauer's
    tract and the dorsal horn, which an anterior cord lesion spares (its crossing fibres are the
    table's stated choice, CRANIAL_TABLES.md)."""
    G = packaged_anatomy
    posterior = neurograph.simulate(G, preset_lesion(G, "posterior_cord", levels="C1-C2"))
    for side in "LR":
        assert_ring_loss(face(posterior, side), set())
    (anterior,) = preset_lesion(G, "anterior_cord", levels="C1-C2")
    taken = {G.nodes[node]["station"] for node in anterior.nodes if G.nodes[node].get("area") == "face"}
    assert not taken & {"spinal_trigeminal_tract", "spinal_trigeminal_nucleus"}


@pytest.mark.parametrize("lost, kept, level", [
    (("forehead", "chin"), ("cheek", "cornea", "upper lip", "lower lip"), "C2"),
    (("forehead", "chin", "cheek", "cornea"), ("upper lip", "lower lip"), "C1"),
    ((), ("forehead", "chin", "cheek", "upper lip"), "C3"),
])
def test_the_face_gives_the_level_of_a_high_cervical_hemicord_lesion(packaged_anatomy, lost, kept, level):
    """Brazis2011; Blumenfeld2021: a right hemicord lesion in the upper neck weakens the right limbs and
    takes pain from the left body; the rings of the right face that lose pain give its level: the outer
    ring alone C2, the middle ring too C1, a normal face below C2."""
    from neurograph.findings import findings_from_dict
    from neurograph.localization import localize

    sensation = {f"right {place}": {"pin prick": 0, "light touch": 1} for place in lost}
    sensation |= {f"right {place}": {"pin prick": 2, "light touch": 2} for place in kept}
    sensation |= {f"left {place}": {"pin prick": 2, "light touch": 2} for place in ("forehead", "cheek", "chin")}
    sensation |= {f"left {key} key point": {"pin prick": 0, "light touch": 1} for key in ("C5", "T10", "L4")}
    sensation |= {f"right {key} key point": {"pin prick": 2, "light touch": 1} for key in ("C5", "T10", "L4")}
    exam = findings_from_dict(packaged_anatomy, {"sensation": sensation, "muscles": {
        "right deltoid": 2, "right biceps": 2, "right tibialis anterior": 2, "left deltoid": 5, "left tibialis anterior": 5,
    }})
    found = localize(packaged_anatomy, exam, max_sites=1)
    assert [hypothesis.label for hypothesis in found.ties] == [f"{level} cord segment, right"]
