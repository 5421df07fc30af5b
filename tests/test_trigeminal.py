"""Face sensation: the trigeminal system against its textbook pictures.

References (data/sources/references.csv): Gray42 (*Gray's Anatomy*, 42nd edn: the territories of
the three divisions, the ganglion and the sensory root), Blumenfeld2021 (*Neuroanatomy through
Clinical Cases*, 3rd edn, ch. 12 and 14: the principal and spinal trigeminal nuclei, the
trigeminothalamic tracts to the VPM, the lateral medullary syndrome, the corneal reflex),
Brazis2011 (*Localization in Clinical Neurology*, 6th edn: the onion-skin rings, Wallenberg's
crossed sensory loss), Ropper2019 (*Adams and Victor*, 11th edn: the corneal and gag reflexes).
"""

import pytest

import neurograph
from neurograph.findings import findings_from_dict, findings_from_result
from neurograph.localization import localize

FACE = ("forehead", "cornea", "cheek", "upper_lip", "lower_lip", "chin")
#: Gray42: the ophthalmic nerve supplies the forehead (frontal nerve) and the cornea
#: (nasociliary nerve), the maxillary the cheek and upper lip, the mandibular the lower lip and chin.
DIVISION = {"forehead": "V1", "cornea": "V1", "cheek": "V2", "upper_lip": "V2", "lower_lip": "V3", "chin": "V3"}


def face_grades(result, side):
    """Per face place of ``side``: (light touch, pin prick, temperature); untouched places are normal."""
    found = {f.place: (f.light_touch, f.pin_prick, f.temperature) for f in result.sensation}
    return {place: found.get(f"{side}.skin.{place}", (2, 2, 2)) for place in FACE}


def body_pin_prick(result, side):
    """The pin prick grades of one side's ISNCSCI key points."""
    grades = {f.place: f.pin_prick for f in result.sensation if f.level}
    return {grades.get(node, 2) for node, data in result.graph.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level") and data["side"] == side}


def reflex_states(result):
    return {finding.reflex: finding.state for finding in result.cranial.reflexes}


def test_face_places_lie_in_their_divisions_and_the_angle_of_the_jaw_is_not_trigeminal(packaged_anatomy):
    G = packaged_anatomy
    for side in "LR":
        for place, division in DIVISION.items():
            data = G.nodes[f"{side}.skin.{place}"]
            assert (data["division"], data["sensory_area"], data["view"]) == (division, "face", "front")
            supply = neurograph.innervation(G, f"{'left' if side == 'L' else 'right'} {place.replace('_', ' ')}")
            assert supply.ganglia == (f"{side}.trigeminal_ganglion",) and supply.roots == (f"{side}.trigeminal.sensory_root",)
    # Gray42: the skin over the angle of the mandible is the great auricular nerve's (C2-C3), not V3's.
    angle = neurograph.innervation(G, "right angle of the jaw")
    assert angle.cutaneous == ("R.aff.great_auricular",) and not set(angle.roots) & {"R.trigeminal.sensory_root"}
    assert set(neurograph.territory(G, "right mandibular nerve at the foramen ovale").whole) == {"R.skin.lower_lip", "R.skin.chin"}
    assert set(neurograph.territory(G, "right V1").whole) == {"R.skin.forehead", "R.skin.cornea"}


def test_the_right_lateral_medulla_gives_wallenbergs_crossed_sensory_loss(packaged_anatomy):
    """Blumenfeld2021; Brazis2011: the spinal trigeminal tract and the spinothalamic tract are cut
    together: pain and temperature lost on the same side of the face and the opposite side of the
    body; facial touch, carried to the principal nucleus in the pons, stays (impaired at most)."""
    result = neurograph.simulate(packaged_anatomy, "right lateral medulla")
    for place, (touch, pin, temperature) in face_grades(result, "R").items():
        assert (pin, temperature) == (0, 0), place
        assert touch >= 1, place
    assert set(face_grades(result, "L").values()) == {(2, 2, 2)}
    assert body_pin_prick(result, "L") == {0} and body_pin_prick(result, "R") == {2}
    # Its motor half is the nucleus ambiguus: the same side's palate is weak, its gag reflex lost.
    assert result.cranial.muscle("right levator veli palatini").deficit == "LMN"


@pytest.mark.parametrize("region", ["left ventral midbrain", "left ventral pons", "left medial medulla", "basis pontis (both sides)"])
def test_the_ventral_and_medial_brainstem_regions_spare_the_face(packaged_anatomy, region):
    """Blumenfeld2021: the Weber, Millard-Gubler and medial medullary regions hold no trigeminal
    sensory station (the medial lemniscus carries the body alone), so facial sensation is normal."""
    result = neurograph.simulate(packaged_anatomy, region)
    assert not any(f.place.split(".")[1] == "skin" and f.place.split(".")[2] in FACE for f in result.sensation)


def test_a_thalamic_vpm_lesion_numbs_the_opposite_face_in_every_modality(packaged_anatomy):
    """Blumenfeld2021: both trigeminothalamic systems of the face end in the opposite VPM."""
    result = neurograph.simulate(packaged_anatomy, "left VPM")
    assert set(face_grades(result, "R").values()) == {(0, 0, 0)}
    assert set(face_grades(result, "L").values()) == {(2, 2, 2)}
    assert body_pin_prick(result, "R") == {2}  # the VPL carries the body


def test_a_lesion_of_the_spinal_trigeminal_tract_in_the_upper_cord_spares_the_perioral_ring(packaged_anatomy):
    """Blumenfeld2021; Brazis2011 (onion skin): the outer face's pain fibres descend lowest, to C2; the
    lips' end highest, so a lesion at C2 takes the forehead and chin and spares the lips and cheek."""
    result = neurograph.simulate(packaged_anatomy, "right spinal trigeminal tract at C2")
    grades = face_grades(result, "R")
    assert grades["forehead"][1] == grades["chin"][1] == 0
    assert grades["upper_lip"] == grades["lower_lip"] == grades["cheek"] == (2, 2, 2)
    assert grades["forehead"][0] == 1  # touch runs to the principal nucleus in the pons


def test_a_v1_lesion_numbs_the_forehead_and_cornea_and_abolishes_both_blinks_from_that_eye(packaged_anatomy):
    """Blumenfeld2021; Ropper2019: the corneal reflex's afferent limb is the nasociliary branch of V1;
    touching the anaesthetic cornea closes neither eye, touching the other cornea closes both."""
    result = neurograph.simulate(packaged_anatomy, "right ophthalmic nerve")
    grades = face_grades(result, "R")
    assert grades["forehead"] == grades["cornea"] == (0, 0, 0)
    assert grades["cheek"] == grades["chin"] == (2, 2, 2)
    states = reflex_states(result)
    assert states["R.reflex.corneal"] == states["R.reflex.corneal_consensual"] == "absent"
    assert states["L.reflex.corneal"] == states["L.reflex.corneal_consensual"] == "normal"


def test_a_facial_nerve_lesion_loses_the_direct_blink_and_keeps_the_consensual_one(packaged_anatomy):
    """Blumenfeld2021; Ropper2019: the efferent limb is the facial nerve to orbicularis oculi: touching
    the right cornea closes the left eye but not the right; touching the left cornea closes the left
    eye only. The face's sensation is whole."""
    result = neurograph.simulate(packaged_anatomy, "right facial nerve at the stylomastoid foramen")
    states = reflex_states(result)
    assert states["R.reflex.corneal"] == "absent" and states["R.reflex.corneal_consensual"] == "normal"
    assert states["L.reflex.corneal"] == "normal" and states["L.reflex.corneal_consensual"] == "absent"
    assert set(face_grades(result, "R").values()) == {(2, 2, 2)}


def test_the_gag_reflex_afferent_ix_and_efferent_x_by_side(packaged_anatomy):
    """Blumenfeld2021; Ropper2019: afferent IX, efferent X (nucleus ambiguus) to both sides. A right IX
    lesion abolishes both responses to stimulating the right pharynx; a right nucleus ambiguus lesion the
    right palate's response to either side, sparing the left palate's response to the right side."""
    afferent = reflex_states(neurograph.simulate(packaged_anatomy, "right glossopharyngeal nerve at the jugular foramen"))
    assert afferent["R.reflex.gag"] == afferent["R.reflex.gag_consensual"] == "absent"
    assert afferent["L.reflex.gag"] == afferent["L.reflex.gag_consensual"] == "normal"
    efferent = reflex_states(neurograph.simulate(packaged_anatomy, "right nucleus ambiguus"))
    assert efferent["R.reflex.gag"] == efferent["L.reflex.gag_consensual"] == "absent"
    assert efferent["R.reflex.gag_consensual"] == efferent["L.reflex.gag"] == "normal"


@pytest.mark.parametrize("name, expected", [
    ("right spinal trigeminal tract", {f"R.trigeminal.spinal_tract.{level}" for level in ("pons_caudal", "medulla_rostral", "medulla_caudal", "C1", "C2")}),
    ("left trigeminal ganglion", {"L.trigeminal_ganglion"}),
    ("right V1", {"R.ophthalmic_nerve"}),
    ("left ophthalmic nerve", {"L.ophthalmic_nerve"}),
    ("left VPM", {"L.ascending.vpm_thalamus.face"}),
    ("right nasociliary nerve", {"R.nasociliary_nerve"}),
    ("right principal sensory nucleus of the trigeminal nerve", {"R.trigeminal.principal_sensory_nucleus"}),
    ("right mandibular nerve at the foramen ovale", {"R.mandibular.trunk", "R.aff.mandibular.trunk"}),
])
def test_the_resolver_names_the_trigeminal_structures(packaged_anatomy, name, expected):
    assert set(neurograph.resolve_site(packaged_anatomy, name).nodes) == expected


def test_the_pathway_of_a_face_place_crosses_to_the_opposite_face_area(packaged_anatomy):
    routes = neurograph.pathway(packaged_anatomy, "right forehead").routes
    assert {route.tract for route in routes} == {"dorsal_columns", "spinothalamic"}
    for route in routes:
        assert route.peripheral[-1] == "R.trigeminal.sensory_root" and route.central[-1] == "L.s1.face"
        assert "L.ascending.vpm_thalamus.face" in route.central
    pain = next(route for route in routes if route.tract == "spinothalamic")
    assert "R.trigeminal.spinal_tract.medulla_rostral" in pain.central


def test_findings_records_take_face_places_and_consensual_reflexes(packaged_anatomy):
    G = packaged_anatomy
    exam = findings_from_dict(G, {
        "sensation": {"right forehead": {"pin prick": 0, "light touch": 0}},
        "reflexes": {"right corneal reflex": "0", "right consensual corneal reflex": "0"},
    })
    assert exam.sensation["R.skin.forehead"].grades == {"light_touch": 0, "pin_prick": 0}
    assert exam.reflexes == {"R.reflex.corneal": "0", "R.reflex.corneal_consensual": "0"}
    recorded = findings_from_result(neurograph.simulate(G, "right V1"), [], ["R.skin.cornea"])
    assert recorded.sensation["R.skin.cornea"].grades["pin_prick"] == 0


def test_a_numb_forehead_with_an_absent_corneal_reflex_is_the_ophthalmic_nerve(packaged_anatomy):
    """Blumenfeld2021; Ropper2019: forehead and cornea numb, both blinks lost from that eye, the
    cheek and chin normal: the lesion is the ophthalmic division (V1) alone."""
    G = packaged_anatomy
    exam = findings_from_dict(G, {
        "sensation": {
            "right forehead": {"light touch": 0, "pin prick": 0}, "right cornea": {"pin prick": 0},
            "right cheek": {"light touch": 2, "pin prick": 2}, "right chin": {"light touch": 2, "pin prick": 2},
            "left forehead": {"light touch": 2, "pin prick": 2},
        },
        "reflexes": {"right corneal reflex": "0", "right consensual corneal reflex": "0", "left corneal reflex": "2+"},
    })
    found = localize(G, exam)
    assert [h.label for h in found.ties] == ["ophthalmic nerve (right)"]


def test_a_numb_right_face_with_left_body_pain_loss_and_a_weak_right_palate_is_the_right_lateral_medulla(packaged_anatomy):
    """Blumenfeld2021; Brazis2011: Wallenberg's syndrome: pain and temperature lost on the right face and
    the left body, the right palate weak (nucleus ambiguus)."""
    G = packaged_anatomy
    sensation = {f"right {place.replace('_', ' ')}": {"pin prick": 0, "light touch": 1} for place in ("forehead", "cheek", "chin")}
    sensation.update({f"left {place.replace('_', ' ')}": {"pin prick": 2, "light touch": 2} for place in ("forehead", "cheek", "chin")})
    sensation.update({f"left {level} key point": {"pin prick": 0, "light touch": 1} for level in ("C6", "T10", "L4")})
    sensation.update({f"right {level} key point": {"pin prick": 2, "light touch": 2} for level in ("C6", "T10", "L4")})
    exam = findings_from_dict(G, {
        "sensation": sensation,
        "muscles": {"right levator veli palatini": 2, "left levator veli palatini": 5, "right deltoid": 5, "left deltoid": 5},
    })
    for ranking in ("score", "posterior"):
        assert [h.label for h in localize(G, exam, ranking=ranking).ties] == ["lateral medulla, right"]


def test_the_sensory_map_shades_the_face_by_trigeminal_division(packaged_anatomy):
    """Gray42: a V1 lesion numbs the forehead and cornea alone; the map's front-view head shows the
    ophthalmic division of that side absent and the maxillary and mandibular divisions normal."""
    import io

    from neurograph.drawing.body import face_divisions, sensory_map_figure

    G = packaged_anatomy
    result = neurograph.simulate(G, "right ophthalmic nerve")
    found = face_divisions(G, result, ("pin_prick",))
    assert found[("R", "V1")] == (0, False)
    assert found[("R", "V2")] == found[("R", "V3")] == found[("L", "V1")] == (2, False)
    svg = io.StringIO()
    sensory_map_figure(G, result).savefig(svg, format="svg")
    assert all(f"front.{side}.face.{division}" in svg.getvalue() for side in "LR" for division in ("V1", "V2", "V3"))
