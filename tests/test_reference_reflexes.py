"""Reflex arcs by their textbook segments and effectors, and each reflex kind's rule.

Segments and effectors as stated by Ropper2019 (Ropper AH et al., *Adams and Victor's
Principles of Neurology*, 11th edn, 2019, the table of the segmental levels of the reflexes)
and Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn, 2021): a lesion of a root of
the arc's segments reduces or abolishes the reflex, a root lesion well away from them leaves it
normal, and a lesion of the nerve to the responding muscle (or of the nerve that carries its
stimulus) reduces or abolishes it.
"""

import pytest

from neurograph import simulate
from reference_cases import reflex_state

LOST = ("reduced", "absent", "mute")

#: reflex -> (its segments, a root well outside them, nerve lesions that cut it, nerve lesions that spare it)
ARCS = {
    # Biceps jerk C5-C6 through the musculocutaneous nerve.
    "biceps reflex": ("C5 C6", "C8", ["musculocutaneous nerve"], ["radial nerve at the spiral groove"]),
    # Brachioradialis (supinator) jerk C5-C6 through the radial nerve below the spiral groove.
    "brachioradialis reflex": ("C5 C6", "C8", ["radial nerve at the spiral groove"], ["musculocutaneous nerve"]),
    # Triceps jerk C7-C8 through the radial nerve; its branches leave above the spiral groove, so
    # a spiral-groove palsy keeps the triceps jerk (Stewart2010, ch. 9).
    "triceps reflex": ("C7 C8", "C5", ["radial nerve in the axilla"], ["radial nerve at the spiral groove"]),
    # Finger flexor jerk C8.
    "finger flexor reflex": ("C8", "C5", [], ["radial nerve in the axilla"]),
    # Knee jerk L3-L4 through the femoral nerve.
    "knee reflex": ("L3 L4", "S1", ["femoral nerve in the thigh"], ["obturator nerve", "sciatic nerve in the gluteal region"]),
    # Adductor jerk L2-L4 through the obturator nerve.
    "adductor reflex": ("L2 L3 L4", "S1", ["obturator nerve"], ["femoral nerve in the thigh"]),
    # Ankle jerk S1-S2 through the tibial nerve; a common fibular palsy keeps it.
    "ankle reflex": ("S1 S2", "L3", ["tibial nerve at the popliteal fossa"], ["common fibular nerve at the fibular head"]),
    # Anal reflex S2-S4 through the pudendal nerve.
    "anal reflex": ("S2 S3 S4", "L3", ["pudendal nerve"], ["sciatic nerve in the gluteal region"]),
    # Superficial abdominal reflexes: upper T8-T10, lower T10-T12 (intercostal nerves).
    "upper abdominal reflex": ("T8 T9 T10", "T12", [], []),
    "lower abdominal reflex": ("T10 T11 T12", "T9", [], []),
    # Plantar response: S1 (afferent from the sole: the tibial nerve's plantar branches),
    # efferent L5-S1.
    "plantar response": ("S1", "L3", ["sciatic nerve in the gluteal region"], ["femoral nerve in the thigh"]),
}


def arc_cases():
    for reflex, (segments, outside, cut_by, spared_by) in ARCS.items():
        for segment in segments.split():
            yield pytest.param(reflex, f"left {segment} root", True, id=f"{reflex}: {segment} root")
        yield pytest.param(reflex, f"left {outside} root", False, id=f"{reflex}: not {outside} root")
        for nerve in cut_by:
            yield pytest.param(reflex, f"left {nerve}", True, id=f"{reflex}: {nerve}")
        for nerve in spared_by:
            yield pytest.param(reflex, f"left {nerve}", False, id=f"{reflex}: not {nerve}")


@pytest.mark.parametrize("reflex, lesion, cuts", list(arc_cases()))
def test_a_reflex_is_lost_with_its_arc_only(packaged_anatomy, reflex, lesion, cuts):
    state = reflex_state(packaged_anatomy, lesion, reflex)
    assert (state in LOST) == cuts, f"{reflex} after {lesion}: {state}"


def limb_cases():
    # The segmental reflexes have both limbs at the arc's segments: the afferent fibres enter by
    # the dorsal roots of those segments and the motor neurons of the response lie in their
    # anterior horns (Ropper2019; Blumenfeld2021), so a lesion of either limb at one of them
    # reduces or abolishes the reflex, and one well outside them leaves it. (The plantar
    # response is left out: its response is a pattern of several muscles, not a segment's.)
    for reflex, (segments, outside, _, _) in ARCS.items():
        if reflex == "plantar response":
            continue
        for limb in ("dorsal root", "anterior horn"):
            for segment in segments.split():
                yield pytest.param(reflex, f"left {segment} {limb}", True, id=f"{reflex}: {segment} {limb}")
            yield pytest.param(reflex, f"left {outside} {limb}", False, id=f"{reflex}: not {outside} {limb}")


@pytest.mark.parametrize("reflex, lesion, cuts", list(limb_cases()))
def test_each_limb_of_a_segmental_reflex_lies_in_the_arcs_segments(packaged_anatomy, reflex, lesion, cuts):
    state = reflex_state(packaged_anatomy, lesion, reflex)
    assert (state in LOST) == cuts, f"{reflex} after {lesion}: {state}"


@pytest.mark.parametrize(
    "reflex, effectors",
    [
        ("biceps reflex", {"biceps_brachii"}),
        ("brachioradialis reflex", {"brachioradialis"}),
        ("triceps reflex", {"triceps_brachii"}),
        ("finger flexor reflex", {"flexor_digitorum_superficialis", "flexor_digitorum_profundus_index", "flexor_digitorum_profundus_little"}),
        ("upper abdominal reflex", {"rectus_abdominis_upper", "external_oblique", "internal_oblique"}),
        ("lower abdominal reflex", {"rectus_abdominis_lower", "external_oblique", "internal_oblique"}),
        ("knee reflex", {"rectus_femoris", "vastus_lateralis", "vastus_medialis", "vastus_intermedius"}),
        ("adductor reflex", {"adductor_longus", "adductor_magnus"}),
        ("ankle reflex", {"gastrocnemius", "soleus"}),
        ("anal reflex", {"external_anal_sphincter"}),
        # van Gijn J, *The Babinski Sign: A Centenary* (1996): the normal response is flexion of
        # the great toe (flexor hallucis brevis), the extensor response extension (EHL).
        ("plantar response", {"extensor_hallucis_longus", "flexor_hallucis_brevis"}),
    ],
)
def test_a_reflex_is_the_response_of_its_textbook_effectors(packaged_anatomy, reflex, effectors):
    node = simulate(packaged_anatomy, "left C7 root").reflex(f"left {reflex}").reflex
    responding = {muscle.split(".", 2)[2] for muscle in packaged_anatomy.predecessors(node)}
    assert effectors <= responding


# Each reflex kind's rule (lesion.py, rule 6; Ropper2019 ch. 3-4): a tendon reflex is brisk below
# a chronic upper motor neuron lesion, absent in spinal shock; the superficial abdominal reflexes
# are lost with an upper motor neuron lesion, and, as any reflex, when their whole arc is cut (the
# upper abdominal reflex's segments are T8-T10, Ropper2019's table of the segmental levels of the
# reflexes, and the left intercostal nerves, T1-T11, carry all three); the plantar response turns extensor, and is mute
# when its arc is cut or in spinal shock; the anal reflex is kept below a chronic cord lesion
# above the conus (it is not a tendon reflex) and lost in spinal shock (Ropper2019; the
# bulbocavernosus and anal reflexes return as spinal shock ends).
KIND_RULES = [
    # (reflex, lesion, phase, expected state)
    ("knee reflex", "left C7 root", "chronic", "normal"),
    ("knee reflex", "T6", "chronic", "brisk"),
    ("knee reflex", "T6", "acute", "absent"),
    ("knee reflex", "right internal capsule", "chronic", "brisk"),
    ("knee reflex", "left femoral nerve in the thigh", "chronic", "absent"),
    ("knee reflex", "left L4 root", "chronic", "reduced"),
    ("biceps reflex", "left C5 root", "chronic", "reduced"),
    ("upper abdominal reflex", "left C7 root", "chronic", "present"),
    ("upper abdominal reflex", "right internal capsule", "chronic", "absent"),
    ("upper abdominal reflex", "T6", "chronic", "absent"),
    ("upper abdominal reflex", "T12", "chronic", "present"),
    ("upper abdominal reflex", "left intercostal nerve", "chronic", "absent"),
    ("lower abdominal reflex", "left T11 root", "chronic", "reduced"),
    ("lower abdominal reflex", "T6", "acute", "absent"),
    ("plantar response", "left C7 root", "chronic", "flexor"),
    ("plantar response", "right internal capsule", "chronic", "extensor"),
    ("plantar response", "T6", "chronic", "extensor"),
    ("plantar response", "T6", "acute", "mute"),
    ("plantar response", "left sciatic nerve in the gluteal region", "chronic", "mute"),
    ("anal reflex", "T10", "chronic", "normal"),
    ("anal reflex", "T10", "acute", "absent"),
    ("anal reflex", "right internal capsule", "chronic", "normal"),
    ("anal reflex", "cauda equina", "chronic", "absent"),
    ("anal reflex", "left S3 root", "chronic", "reduced"),
]


@pytest.mark.parametrize("reflex, lesion, phase, expected", KIND_RULES)
def test_each_reflex_kind_follows_its_rule(packaged_anatomy, reflex, lesion, phase, expected):
    assert reflex_state(packaged_anatomy, lesion, reflex, phase=phase) == expected
