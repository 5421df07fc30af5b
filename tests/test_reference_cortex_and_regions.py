"""Cortical areas in their homunculus order, each muscle's area, and the named regions' bounds.

- Penfield1950: Penfield W, Rasmussen T, *The Cerebral Cortex of Man* (1950): the motor
  homunculus from the paracentral lobule laterally: foot and leg, hip and thigh, trunk,
  shoulder, elbow (arm), wrist and hand, then the neck.
- Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn (2021): the paracentral
  lobule controls the perineum (bladder and sphincters) with the foot; a muscle is driven from
  the area of the joint it moves (the shoulder girdle from the shoulder area, elbow flexors
  and extensors from the arm area, wrist and finger muscles from the hand area).
- Gray42: *Gray's Anatomy*, 42nd edn (2020): the cord ends at the conus medullaris (the sacral
  and coccygeal segments, S3 down certainly) at the L1-L2 vertebral level; the cauda equina is
  the bundle of the roots below it, from L2 to the coccygeal root.
"""

import pytest

from neurograph import resolve_site
from neurograph.schema import SEGMENTS
from reference_cases import grades

MEDIAL_TO_LATERAL = ["leg_foot", "hip_thigh", "trunk", "shoulder", "arm", "hand", "neck"]

AREA_NAMES = {
    "perineum": "perineal area", "leg_foot": "leg area", "hip_thigh": "hip area", "trunk": "trunk area",
    "shoulder": "shoulder area", "arm": "arm area", "hand": "hand area", "neck": "neck area",
}

#: area -> muscles it drives (the joint each moves; Penfield1950, Blumenfeld2021).
AREA_MUSCLES = {
    "shoulder": ["deltoid", "supraspinatus", "infraspinatus", "teres major", "latissimus dorsi", "rhomboids", "serratus anterior"],
    "arm": ["biceps", "brachialis", "triceps", "brachioradialis", "pronator teres"],
    "hand": ["extensor carpi radialis longus", "extensor digitorum", "flexor digitorum profundus index", "abductor pollicis brevis",
             "first dorsal interosseous", "abductor digiti minimi"],
    "trunk": ["intercostales", "rectus abdominis", "external oblique"],
    "hip_thigh": ["psoas major", "gluteus maximus", "gluteus medius", "adductor longus", "rectus femoris", "semitendinosus"],
    "leg_foot": ["tibialis anterior", "gastrocnemius", "extensor hallucis longus", "fibularis longus", "abductor hallucis"],
    "neck": ["longus capitis", "longus colli", "scalenus anterior"],
    "perineum": ["external anal sphincter"],
}


def test_the_areas_lie_in_the_homunculus_order(packaged_anatomy):
    order = {d["area"]: d["homunculus_order"] for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "cortical_area"}
    assert sorted(MEDIAL_TO_LATERAL, key=order.get) == MEDIAL_TO_LATERAL
    # The perineum lies on the paracentral lobule, medial to the hip.
    assert order["perineum"] < order["hip_thigh"]


def both(area):
    return [f"left {AREA_NAMES[area]}", f"right {AREA_NAMES[area]}"]


@pytest.mark.parametrize("area, muscle", [(area, muscle) for area, muscles in AREA_MUSCLES.items() for muscle in muscles])
def test_a_muscle_is_weakened_by_its_own_cortical_area_only(packaged_anatomy, area, muscle):
    # Both hemispheres, so that the bilaterally driven neck and trunk muscles are weakened too.
    assert grades(packaged_anatomy, both(area), [muscle])[muscle] < 5
    for other in AREA_NAMES:
        if other != area:
            assert grades(packaged_anatomy, both(other), [muscle])[muscle] == 5, f"{muscle} weak after the {other} areas"


def segment_of(G, node):
    return G.nodes[node].get("segment")


@pytest.mark.parametrize("side", ["L", "R"])
def test_the_cauda_equina_is_the_ventral_roots_from_l2_down(packaged_anatomy, side):
    roots = {node for node in resolve_site(packaged_anatomy, "cauda equina").nodes if node.startswith(f"{side}.")}
    below_the_conus = SEGMENTS[SEGMENTS.index("L2") :]
    assert roots == {f"{side}.vroot.{segment}" for segment in below_the_conus}


def test_the_conus_holds_the_lowest_cord_segments_and_not_the_lumbar_ones(packaged_anatomy):
    segments = {segment_of(packaged_anatomy, node) for node in resolve_site(packaged_anatomy, "conus medullaris").nodes}
    assert {"S3", "S4", "S5", "Co1"} <= segments
    assert not segments & {"L4", "L5", "S1"}
    kinds = {packaged_anatomy.nodes[node]["kind"] for node in resolve_site(packaged_anatomy, "conus medullaris").nodes}
    assert "anterior_horn" in kinds and "ventral_root" not in kinds


@pytest.mark.parametrize(
    "region, weak_muscles, spared_muscles",
    [
        # Gray42: a cauda equina lesion takes every root from L2: flaccid legs and sphincters,
        # psoas only partly (its L1 fibres leave above).
        ("cauda equina", ["iliacus", "tibialis anterior", "gastrocnemius", "external anal sphincter"], ["internal oblique"]),
        # The conus: the sphincters, not the L4-L5 muscles.
        ("conus medullaris", ["external anal sphincter"], ["tibialis anterior", "rectus femoris"]),
    ],
)
def test_a_region_lesion_weakens_what_lies_below_it(packaged_anatomy, region, weak_muscles, spared_muscles):
    found = grades(packaged_anatomy, region, weak_muscles + spared_muscles + ["psoas major"])
    assert all(found[m] < 5 for m in weak_muscles), found
    assert all(found[m] == 5 for m in spared_muscles), found
    if region == "cauda equina":
        assert 0 < found["psoas major"] < 5


# Nathan1990 (Nathan PW, Smith MC, Deacon P, Brain 1990;113:303-324) and Gray42: the anterior
# corticospinal tract carries neck and upper trunk fibres uncrossed from the upper cervical cord
# down to the upper thoracic cord and ends on both sides, so one hemisphere's lesion leaves the
# neck muscles of both sides strong, while both hemispheres' lesions weaken them.
NECK_MUSCLES = ["rectus capitis anterior", "longus capitis", "longus colli", "sternohyoid"]


@pytest.mark.parametrize("side", ["left", "right"])
def test_one_capsule_spares_the_bilaterally_driven_neck_muscles(packaged_anatomy, side):
    found = grades(packaged_anatomy, "left internal capsule", NECK_MUSCLES, side=side)
    assert all(grade == 5 for grade in found.values()), found
    both_capsules = grades(packaged_anatomy, ["left internal capsule", "right internal capsule"], NECK_MUSCLES, side=side)
    assert all(grade < 5 for grade in both_capsules.values()), both_capsules
