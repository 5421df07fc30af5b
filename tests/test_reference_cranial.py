"""Cranial nerve facts as the references state them, checked against the cranial source tables.

The cranial tables (data/sources/cranial/) are not yet built into the graph, so these tests read
the tables; the expectations are written here from Gray42 (*Gray's Anatomy*, 42nd edn, 2020),
Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn, 2021), Ropper2019 (*Adams and
Victor's Principles of Neurology*, 11th edn, 2019) and Brazis2011 (*Localization in Clinical
Neurology*, 6th edn, 2011), not from the tables.
"""

import csv
from pathlib import Path

import pytest

CRANIAL = Path(__file__).resolve().parent.parent / "data" / "sources" / "cranial"

pytestmark = pytest.mark.skipif(not CRANIAL.is_dir(), reason="the cranial tables are not in this tree")

#: The branchial and somatic motor nuclei and the nerves their axons leave in (Gray42,
#: Blumenfeld2021): the nucleus ambiguus sends its axons out in the glossopharyngeal (to
#: stylopharyngeus) and vagus nerves.
MOTOR_NUCLEI = {
    "nucleus.oculomotor": {"III"},
    "nucleus.trochlear": {"IV"},
    "nucleus.trigeminal_motor": {"V"},
    "nucleus.abducens": {"VI"},
    "nucleus.facial": {"VII"},
    "nucleus.ambiguus": {"IX", "X"},
    "nucleus.spinal_accessory": {"XI"},
    "nucleus.hypoglossal": {"XII"},
}


@pytest.mark.parametrize("nucleus, nerves", MOTOR_NUCLEI.items())
def test_a_motor_nucleus_sends_its_axons_out_in_its_cranial_nerves(nucleus, nerves):
    with open(CRANIAL / "nuclei.csv", newline="", encoding="utf-8") as handle:
        found = {row["nucleus"]: set(row["cranial_nerve"].split("|")) for row in csv.DictReader(handle)}
    assert found[nucleus] == nerves


#: What the references allow of a textbook picture where they allow more than one finding:
#: (syndrome, side, target, aspect) -> the findings allowed.
ALLOWED_FINDINGS = {
    # Blumenfeld2021; Ropper2019: the facial nerve is the blink's efferent limb, so after a
    # partial or a complete Bell's palsy the blink on its side is weak or absent.
    ("bells_palsy", "ipsilateral", "corneal", "reflex"): {"reduced", "absent"},
    # Blumenfeld2021; Brazis2011: the upper face and the tongue have bilateral supranuclear
    # supply, so a capsular or midbrain (Weber) lesion spares them or weakens them slightly.
    ("central_facial_palsy_capsular", "contralateral", "orbicularis_oculi", "power"): {"normal", "umn_weakness"},
    ("central_facial_palsy_capsular", "contralateral", "genioglossus", "power"): {"normal", "umn_weakness"},
    ("weber", "contralateral", "genioglossus", "power"): {"normal", "umn_weakness"},
    # Blumenfeld2021; Brazis2011: a ventral caudal pontine (Millard-Gubler) lesion takes the
    # abducens fascicle in many cases, not in all.
    ("millard_gubler", "ipsilateral", "lateral_rectus", "power"): {"lmn_weakness", "normal"},
    # Blumenfeld2021; Brazis2011: wasting of the tongue's half follows the hypoglossal lesion
    # of a medial medullary infarct only after weeks.
    ("medial_medullary", "ipsilateral", "genioglossus", "bulk"): {"wasting", "normal"},
    # Blumenfeld2021; Brazis2011: the nucleus ambiguus in a lateral medullary infarct weakens
    # the palate on its side: the gag is reduced or absent.
    ("lateral_medullary", "ipsilateral", "gag", "reflex"): {"reduced", "absent"},
    # Blumenfeld2021; Ropper2019: in the locked-in state vertical gaze is kept; horizontal gaze
    # is lost where the infarct reaches the abducens fascicles or nuclei.
    ("locked_in", "bilateral", "lateral_rectus", "power"): {"lmn_weakness", "normal"},
    # Blumenfeld2021; Ropper2019: pseudobulbar palsy keeps (often exaggerates) the gag and the jaw
    # jerk; bulbar palsy loses the gag and leaves the jaw jerk normal or reduced.
    ("pseudobulbar_palsy", "bilateral", "gag", "reflex"): {"normal", "brisk"},
    ("bulbar_palsy", "bilateral", "jaw_jerk", "reflex"): {"normal", "reduced", "absent"},
    ("bulbar_palsy", "bilateral", "gag", "reflex"): {"reduced", "absent"},
    # Ropper2019; Brazis2011: bulbar-onset ALS mixes upper and lower motor neuron signs; the jaw
    # jerk is brisk or normal and the limbs may still be strong or weak of either kind.
    ("als_bulbar_onset", "bilateral", "jaw_jerk", "reflex"): {"brisk", "normal"},
    ("als_bulbar_onset", "bilateral", "arm_and_leg", "power"): {"normal", "umn_weakness", "lmn_weakness"},
}


def syndrome_findings():
    """(syndrome, side, target, aspect) -> the findings syndrome_findings.csv allows."""
    with open(CRANIAL / "syndrome_findings.csv", newline="", encoding="utf-8") as handle:
        return {
            (row["syndrome"], row["side"], row["target"], row["aspect"]): set(row["expected"].split("|"))
            for row in csv.DictReader(handle)
        }


def test_textbook_pictures_allow_what_the_references_allow():
    found = syndrome_findings()
    for key, allowed in ALLOWED_FINDINGS.items():
        assert found.get(key) == allowed, key


#: The level of each named brainstem region as the references place it (Blumenfeld2021;
#: Brazis2011; Warwick1953 for the oculomotor nuclear complex): the oculomotor nuclei and the
#: fascicles of a Weber lesion at the superior colliculus, a Millard-Gubler lesion in the caudal
#: pons where the abducens and facial fascicles leave, the medial (Dejerine) and lateral
#: (Wallenberg) medullary syndromes in the rostral medulla, beside the hypoglossal fascicles and
#: the nucleus ambiguus. The locked-in region (the basis pontis of both sides) is left out: the
#: references give no one level for it.
REGION_LEVELS = {
    "ventral_midbrain": "midbrain_superior_colliculus",
    "oculomotor_nuclear_complex": "midbrain_superior_colliculus",
    "ventral_pons": "pons_caudal",
    "medial_medulla": "medulla_rostral",
    "lateral_medulla": "medulla_rostral",
}


def test_named_brainstem_regions_lie_at_their_textbook_level():
    with open(CRANIAL / "brainstem_regions.csv", newline="", encoding="utf-8") as handle:
        found = {row["region"]: row["level"] for row in csv.DictReader(handle)}
    for region, level in REGION_LEVELS.items():
        assert found[region] == level, region


def test_the_recurrent_laryngeal_nerves_leave_the_vagus_at_different_levels_on_each_side():
    # Gray42: the right recurrent laryngeal nerve leaves the vagus at the root of the neck and
    # hooks under the right subclavian artery; the left leaves it in the thorax and hooks under
    # the arch of the aorta.
    with open(CRANIAL / "nerve_variation.csv", newline="", encoding="utf-8") as handle:
        found = {
            (row["subject"], row["aspect"]): set(row["value"].split("|")) for row in csv.DictReader(handle)
        }
    assert found[("recurrent_laryngeal", "origin_side_difference")] == {"L:vagus.thorax", "R:vagus.neck"}


def test_the_middle_ear_muscles_have_no_voluntary_supranuclear_drive():
    # Gray42: the stapedius and the tensor tympani contract reflexly (the acoustic reflex), not at
    # will, so a supranuclear lesion does not weaken them.
    with open(CRANIAL / "supranuclear_supply.csv", newline="", encoding="utf-8") as handle:
        found = {row["target"]: row["supply"] for row in csv.DictReader(handle)}
    assert found["stapedius"] == found["tensor_tympani"] == "reflex_only"


#: Gray42; Blumenfeld2021: the rostral and caudal level of each motor nucleus: the oculomotor
#: complex at the superior colliculus, the trochlear nucleus at the inferior colliculus, the
#: trigeminal motor nucleus in the mid pons, the abducens and facial nuclei in the caudal pons,
#: the nucleus ambiguus and the hypoglossal nucleus through the length of the medulla, the
#: spinal accessory nucleus in the upper five cervical segments.
NUCLEUS_LEVELS = {
    "nucleus.oculomotor": ("midbrain_superior_colliculus", "midbrain_superior_colliculus"),
    "nucleus.trochlear": ("midbrain_inferior_colliculus", "midbrain_inferior_colliculus"),
    "nucleus.trigeminal_motor": ("pons_mid", "pons_mid"),
    "nucleus.abducens": ("pons_caudal", "pons_caudal"),
    "nucleus.facial": ("pons_caudal", "pons_caudal"),
    "nucleus.ambiguus": ("medulla_rostral", "medulla_caudal"),
    "nucleus.hypoglossal": ("medulla_rostral", "medulla_caudal"),
    "nucleus.spinal_accessory": ("C1", "C5"),
}


def test_motor_nuclei_lie_at_their_textbook_levels():
    with open(CRANIAL / "nuclei.csv", newline="", encoding="utf-8") as handle:
        found = {row["nucleus"]: (row["level_from"], row["level_to"]) for row in csv.DictReader(handle)}
    for nucleus, levels in NUCLEUS_LEVELS.items():
        assert found[nucleus] == levels, nucleus


@pytest.mark.parametrize(("division", "muscles"), [
    ("superior", {"levator palpebrae superioris", "superior rectus"}),
    ("inferior", {"medial rectus", "inferior rectus", "inferior oblique"}),
])
def test_each_division_of_the_oculomotor_nerve_supplies_its_own_muscles(packaged_anatomy, division, muscles):
    # Gray42: the oculomotor nerve divides in the anterior cavernous sinus; its superior division
    # supplies the superior rectus and the levator palpebrae superioris, its inferior division the
    # medial and inferior recti and the inferior oblique.
    from neurograph.cranial import cranial_signs

    weak = {finding.label for finding in cranial_signs(packaged_anatomy, f"left {division} division of the oculomotor nerve").muscles}
    assert weak == {f"{muscle} (left)" for muscle in muscles}


#: The eye movement pictures, each as its references give it (syndrome_findings.csv must agree).
EYE_MOVEMENT_PICTURES = {
    # Blumenfeld2021; Kandel2021; Ropper2019: a lesion of one MLF takes the adduction of its own
    # side's eye on gaze to the other side; the nerve, the nucleus and convergence are kept, and
    # the other eye abducts.
    ("internuclear_ophthalmoplegia", "ipsilateral", "medial_rectus", "power"): {"gaze_weakness"},
    ("internuclear_ophthalmoplegia", "ipsilateral", "convergence", "reflex"): {"normal"},
    ("internuclear_ophthalmoplegia", "contralateral", "lateral_rectus", "power"): {"normal"},
    ("internuclear_ophthalmoplegia", "ipsilateral", "levator_palpebrae_superioris", "power"): {"normal"},
    # Fisher1967; WallWray1983: in the one-and-a-half syndrome both eyes fail to turn towards the
    # lesion and its side's eye fails to adduct; the other eye's abduction is all that is left.
    ("one_and_a_half", "ipsilateral", "medial_rectus", "power"): {"gaze_weakness"},
    ("one_and_a_half", "contralateral", "medial_rectus", "power"): {"gaze_weakness"},
    ("one_and_a_half", "contralateral", "lateral_rectus", "power"): {"normal"},
    # Blumenfeld2021; Kandel2021: the PPRF drives its abducens nucleus, so its lesion takes gaze
    # towards its side with no lower motor neuron sign.
    ("pprf_gaze_palsy", "ipsilateral", "lateral_rectus", "power"): {"gaze_weakness"},
    ("pprf_gaze_palsy", "contralateral", "medial_rectus", "power"): {"gaze_weakness"},
    # Blumenfeld2021; Brazis2011: a third nerve palsy takes the medial rectus's every drive,
    # convergence too.
    ("third_nerve_palsy", "ipsilateral", "convergence", "reflex"): {"absent"},
}


def test_eye_movement_pictures_are_the_references():
    found = syndrome_findings()
    for key, allowed in EYE_MOVEMENT_PICTURES.items():
        assert found.get(key) == allowed, key


def test_the_mlf_carries_the_abducens_internuclear_fibres_across_the_midline():
    """Blumenfeld2021; Kandel2021: the internuclear fibres cross at the abducens level and climb
    the opposite MLF from the pons to the midbrain, ending on the medial rectus subnucleus; the
    PPRF drives its own side's abducens nucleus."""
    with open(CRANIAL / "internuclear.csv", newline="", encoding="utf-8") as handle:
        fibres = list(csv.DictReader(handle))
    assert [(row["from_nucleus"], row["to_nucleus"], row["crosses"], row["pathway"]) for row in fibres] == [
        ("nucleus.abducens", "nucleus.oculomotor.medial_rectus", "yes", "medial_longitudinal_fasciculus")
    ]
    with open(CRANIAL / "gaze_stations.csv", newline="", encoding="utf-8") as handle:
        stations = {row["node"]: row for row in csv.DictReader(handle)}
    assert stations["pprf"]["drives"] == "nucleus.abducens"
    assert stations["mlf.pons"]["drives"] == "mlf.midbrain" and stations["mlf.midbrain"]["drives"] == "nucleus.oculomotor.medial_rectus"
    assert stations["mlf.pons"]["level"].startswith("pons") and stations["mlf.midbrain"]["level"].startswith("midbrain")
