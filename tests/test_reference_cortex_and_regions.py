"""Cortical areas in their homunculus order, each muscle's area, and the named regions' bounds.

- Penfield1950: Penfield W, Rasmussen T, *The Cerebral Cortex of Man* (1950): the motor
  homunculus from the paracentral lobule laterally: foot and leg, hip and thigh, trunk,
  shoulder, elbow (arm), wrist and hand, then the neck.
- Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn (2021): the paracentral
  lobule controls the perineum (bladder and sphincters) with the foot; a muscle is driven from
  the area of the joint it moves (the shoulder girdle from the shoulder area, elbow flexors
  and extensors from the arm area, wrist and finger muscles from the hand area).
- Gray42: *Gray's Anatomy*, 42nd edn (2020): the cord ends at the conus medullaris (the sacral
  segments from S2 and the coccygeal segment) at the L1-L2 vertebral level; the cauda equina is
  the bundle of the roots below it, from L2 to the coccygeal root.
"""

import pytest

from neurograph import resolve_muscles, resolve_site, simulate
from neurograph.schema import SEGMENTS
from reference_cases import grades

MEDIAL_TO_LATERAL = ["leg_foot", "hip_thigh", "trunk", "shoulder", "arm", "hand", "neck"]

AREA_NAMES = {
    "perineum": "perineal area", "leg_foot": "leg area", "hip_thigh": "hip area", "trunk": "trunk area",
    "shoulder": "shoulder area", "arm": "arm area", "hand": "hand area", "neck": "neck area",
}

#: area -> the muscles it drives, each by the joint it moves (Penfield1950's areas; the actions as
#: Gray42 gives them): the neck and hyoid muscles from the neck area; the shoulder girdle and the
#: muscles moving the humerus from the shoulder area; those moving the elbow or turning the
#: forearm from the arm area; those moving the wrist or the digits from the hand area; the
#: diaphragm, chest and abdominal wall from the trunk area; those moving the hip or the knee from
#: the hip and thigh area; those moving the ankle or the toes from the leg and foot area; the
#: sphincters and pelvic floor from the perineal area.
AREA_MUSCLES = {
    "neck": "longus_capitis longus_colli rectus_capitis_anterior rectus_capitis_lateralis scalenus_anterior scalenus_medius scalenus_posterior sternohyoid sternothyroid omohyoid",
    "shoulder": "levator_scapulae rhomboids serratus_anterior supraspinatus infraspinatus subclavius pectoralis_major_clavicular pectoralis_major_sternocostal pectoralis_minor latissimus_dorsi teres_major subscapularis deltoid teres_minor coracobrachialis",
    "arm": "biceps_brachii brachialis triceps_brachii anconeus brachioradialis pronator_teres pronator_quadratus supinator",
    "hand": "extensor_carpi_radialis_longus extensor_carpi_radialis_brevis extensor_digitorum extensor_digiti_minimi extensor_carpi_ulnaris abductor_pollicis_longus extensor_pollicis_brevis extensor_pollicis_longus extensor_indicis flexor_carpi_radialis palmaris_longus flexor_digitorum_superficialis flexor_digitorum_profundus_index flexor_digitorum_profundus_little flexor_pollicis_longus flexor_carpi_ulnaris abductor_pollicis_brevis opponens_pollicis flexor_pollicis_brevis lumbricals_index_middle lumbricals_ring_little palmaris_brevis abductor_digiti_minimi flexor_digiti_minimi_brevis opponens_digiti_minimi first_dorsal_interosseous dorsal_interossei palmar_interossei adductor_pollicis",
    "trunk": "diaphragm intercostales rectus_abdominis_upper rectus_abdominis_lower external_oblique internal_oblique transversus_abdominis quadratus_lumborum",
    "hip_thigh": "psoas_major iliacus sartorius pectineus rectus_femoris vastus_lateralis vastus_medialis vastus_intermedius adductor_longus adductor_brevis adductor_magnus adductor_magnus_hamstring_part gracilis obturator_externus obturator_internus gluteus_maximus gluteus_medius gluteus_minimus tensor_fasciae_latae piriformis quadratus_femoris semitendinosus semimembranosus biceps_femoris_long_head biceps_femoris_short_head",
    "leg_foot": "tibialis_anterior extensor_hallucis_longus extensor_digitorum_longus fibularis_tertius extensor_digitorum_brevis fibularis_longus fibularis_brevis gastrocnemius soleus tibialis_posterior flexor_digitorum_longus flexor_hallucis_longus abductor_hallucis flexor_digitorum_brevis flexor_hallucis_brevis abductor_digiti_minimi_pedis foot_interossei adductor_hallucis",
    "perineum": "external_anal_sphincter external_urethral_sphincter levator_ani coccygeus",
}

def test_the_areas_lie_in_the_homunculus_order(packaged_anatomy):
    order = {d["area"]: d["homunculus_order"] for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "cortical_area"}
    assert sorted(MEDIAL_TO_LATERAL, key=order.get) == MEDIAL_TO_LATERAL
    # The perineum lies on the paracentral lobule, medial to the hip.
    assert order["perineum"] < order["hip_thigh"]


def both(area):
    return [f"left {AREA_NAMES[area]}", f"right {AREA_NAMES[area]}"]


def area_cases():
    for area, muscles in AREA_MUSCLES.items():
        for muscle in muscles.split():
            yield pytest.param(area, muscle.replace("_", " "), id=f"{area}: {muscle}")


@pytest.fixture(scope="module")
def area_lesions(packaged_anatomy):
    """Each area lesioned in both hemispheres (so that the bilaterally driven neck and trunk
    muscles are weakened too), simulated once."""
    return {area: simulate(packaged_anatomy, both(area)) for area in AREA_NAMES}


@pytest.mark.parametrize("area, muscle", list(area_cases()))
def test_a_muscle_is_weakened_by_its_own_cortical_area_only(packaged_anatomy, area_lesions, area, muscle):
    (node,) = resolve_muscles(packaged_anatomy, f"left {muscle}")
    found = {other: result.muscle(node).mrc_grade for other, result in area_lesions.items()}
    assert [other for other, grade in found.items() if grade < 5] == [area], found


def segment_of(G, node):
    return G.nodes[node].get("segment")


@pytest.mark.parametrize("side", ["L", "R"])
def test_the_cauda_equina_is_the_roots_from_l2_down(packaged_anatomy, side):
    # The cauda equina is the bundle of dorsal and ventral roots below the conus (Gray's).
    roots = {node for node in resolve_site(packaged_anatomy, "cauda equina").nodes if node.startswith(f"{side}.")}
    below_the_conus = SEGMENTS[SEGMENTS.index("L2") :]
    assert roots == {f"{side}.{kind}.{segment}" for segment in below_the_conus for kind in ("vroot", "droot")}


def test_the_conus_holds_the_segments_from_s2_down_and_not_the_epiconus(packaged_anatomy):
    # StatPearls, "Anatomy, Back, Conus Medullaris" (Nasr AY et al., updated 2023): the conus
    # holds the S2 to S5 and coccygeal segments; the epiconus above it, L4 to S1.
    segments = {segment_of(packaged_anatomy, node) for node in resolve_site(packaged_anatomy, "conus medullaris").nodes}
    assert segments == {"S2", "S3", "S4", "S5", "Co1"}
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


#: Gray42: eight cervical, twelve thoracic, five lumbar, five sacral segments and one coccygeal.
CORD_REGIONS = {"cervical": 8, "thoracic": 12, "lumbar": 5, "sacral": 5, "coccygeal": 1}


def test_each_cord_segment_lies_in_its_region(packaged_anatomy):
    expected, start = {}, 0
    for region, count in CORD_REGIONS.items():
        for segment in SEGMENTS[start : start + count]:
            expected[segment] = region
        start += count
    found = {d["segment"]: d["cord_region"] for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "anterior_horn"}
    assert found == expected
