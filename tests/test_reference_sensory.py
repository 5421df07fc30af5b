"""Sensory facts as the references state them, checked against the sensory source tables.

The sensory tables (data/sources/sensory/) are not yet built into the graph, so these tests
read the tables; every expectation is written here from the references, not from the tables:

- ISNCSCI2019: ASIA, *International Standards for Neurological Classification of Spinal Cord
  Injury*, revised 2019: the key sensory points, one per dermatome C2 to S4-5, and the grades.
- Gray42: *Gray's Anatomy*, 42nd edn (2020): the cutaneous nerves, their origins and territories.
- Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn (2021): the spinothalamic
  fibres cross in the anterior commissure within one or two segments of their entry; the
  gracile fasciculus carries the leg and lower trunk (below T6), the cuneate the arm and
  upper trunk.
- Penfield1950: the somatosensory homunculus, genitals and foot medial, the hand lateral, with
  the neck between the trunk and the shoulder.
- Foerster1933; KeeganGarrett1948; Lee2008 (an evidence-based dermatome map): the C6 dermatome
  takes the radial border of the hand, the C8 dermatome its ulnar border.
"""

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from neurograph.schema import SEGMENTS

SENSORY = Path(__file__).resolve().parent.parent / "data" / "sources" / "sensory"


def rows(name):
    with open(SENSORY / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def segments(text):
    found = []
    for token in text.split("|"):
        first, _, last = token.partition("-")
        found += SEGMENTS[SEGMENTS.index(first) : SEGMENTS.index(last) + 1] if last else [first]
    return found


pytestmark = pytest.mark.skipif(not SENSORY.is_dir(), reason="the sensory tables are not in this tree")

#: ISNCSCI2019: the key sensory points, C2 to S3, then S4-5 (one point for both).
KEY_POINT_LEVELS = [segment for segment in SEGMENTS[SEGMENTS.index("C2") : SEGMENTS.index("S3") + 1]] + ["S4-5"]


def test_each_isncsci_key_point_tests_its_own_dermatome():
    found = {row["level"]: segments(row["segments"]) for row in rows("key_points.csv")}
    assert sorted(found, key=KEY_POINT_LEVELS.index) == KEY_POINT_LEVELS
    for level, tested in found.items():
        assert tested == (["S4", "S5"] if level == "S4-5" else [level]), level


def test_isncsci_sensory_grades():
    rules = {row["rule"]: row["value"] for row in rows("rules.csv")}
    assert (rules["grade_absent"], rules["grade_altered"], rules["grade_normal"]) == ("0", "1", "2")


def test_spinothalamic_fibres_cross_within_one_or_two_segments():
    rules = {row["rule"]: row["value"] for row in rows("rules.csv")}
    assert rules["spinothalamic_crossing_segments"].split("|") == ["1", "2"]


#: Gray42 (and the MRC2010 cutaneous maps): a skin place and the nerve that supplies it.
TERRITORIES = {
    "first_web_space_of_foot": "deep_fibular_cutaneous",
    "dorsum_of_foot": "superficial_fibular_cutaneous",
    "dorsum_of_toes": "superficial_fibular_cutaneous",
    "lateral_foot_border": "sural",
    "medial_leg": "saphenous",
    "infrapatellar_region": "saphenous",
    "posterior_thigh": "posterior_femoral_cutaneous",
    "lateral_thigh": "lateral_femoral_cutaneous",
    "anterior_thigh": "anterior_femoral_cutaneous",
    "medial_thigh": "obturator_cutaneous",
    "medial_sole": "medial_plantar_cutaneous",
    "lateral_sole": "lateral_plantar_cutaneous",
    "lateral_forearm": "lateral_antebrachial_cutaneous",
    "medial_forearm": "medial_antebrachial_cutaneous",
    "lower_deltoid": "upper_lateral_cutaneous_arm",
    "first_dorsal_web_space": "superficial_radial",
    "thenar_eminence": "median_palmar_cutaneous",
    "index_palmar": "median_digital",
    # The median palmar digital nerves turn onto the back of the lateral three and a half digits
    # to supply the skin of their distal phalanges (the nail beds).
    "middle_dorsal_distal": "median_digital",
    # The third occipital nerve (the C3 dorsal ramus' medial branch) supplies the skin of the
    # upper back of the neck.
    "upper_posterior_neck": "third_occipital",
    "medial_arm": "medial_brachial_cutaneous",
    "ring_ulnar_half_palmar": "ulnar_digital",
    "penis_or_clitoris": "dorsal_nerve_penis_clitoris",
    "little_palmar": "ulnar_digital",
    "ulnar_dorsum_of_hand": "dorsal_ulnar_cutaneous",
    "ear_lobe_and_lower_auricle": "great_auricular",
    "skin_over_angle_of_mandible": "great_auricular",
    "perianal_skin": "inferior_rectal",
    "upper_medial_thigh": "ilioinguinal_cutaneous",
    "skin_over_coccyx": "anococcygeal",
    **{f"anterior_trunk.T{n}": f"anterior_cutaneous.T{n}" for n in range(1, 13)},
    # The lateral cutaneous branches of the third to eleventh intercostal nerves supply the side
    # of the trunk in their bands (the second's is the intercostobrachial nerve, to the arm).
    **{f"lateral_trunk.T{n}": f"lateral_cutaneous.T{n}" for n in range(3, 12)},
    # The dorsal rami's cutaneous branches supply the skin of the back beside the midline, each
    # at its own level.
    **{f"back.T{n}": f"dorsal_ramus_cutaneous.T{n}" for n in range(1, 13)},
}


@pytest.mark.parametrize("place, nerve", TERRITORIES.items())
def test_a_skin_place_is_supplied_by_its_cutaneous_nerve(place, nerve):
    nerves = defaultdict(set)
    for row in rows("territories.csv"):
        nerves[row["place"]].add(row["nerve"])
    assert nerve in nerves[place]
    if place.startswith("anterior_trunk."):
        assert nerves[place] == {nerve}


#: Gray42: where a cutaneous nerve leaves its mixed nerve (the nerve point of the motor tables)
#: and its segments where Gray's states them.
CUTANEOUS_ORIGINS = {
    # The palmar cutaneous branch leaves the median nerve above the wrist: spared in carpal tunnel syndrome.
    "median_palmar_cutaneous": ("median.forearm", None),
    # The dorsal cutaneous branch leaves the ulnar nerve in the forearm: spared at Guyon's canal.
    "dorsal_ulnar_cutaneous": ("ulnar.forearm", None),
    "ulnar_digital": ("ulnar.superficial", None),
    "lateral_antebrachial_cutaneous": ("musculocutaneous", "C5 C6"),
    "medial_antebrachial_cutaneous": ("bp.medial_cord", "C8 T1"),
    "upper_lateral_cutaneous_arm": ("axillary", None),
    "saphenous": ("femoral.thigh", None),
    # The medial plantar nerve: L4 and L5; the lateral plantar nerve: S1 and S2.
    "medial_plantar_cutaneous": ("medial_plantar", "L4 L5"),
    "lateral_plantar_cutaneous": ("lateral_plantar", "S1 S2"),
    "intercostobrachial": ("intercostal.T2", "T2"),
    "ilioinguinal_cutaneous": ("ilioinguinal", "L1"),
    # The genitofemoral nerve (L1 and L2) divides into its genital and femoral branches, each
    # carrying fibres of both.
    "genital_branch_genitofemoral": ("genitofemoral", "L1 L2"),
    "femoral_branch_genitofemoral": ("genitofemoral", "L1 L2"),
    # The iliohypogastric nerve: the first lumbar ventral ramus with a twig from T12.
    "iliohypogastric_lateral_cutaneous": ("iliohypogastric", "T12 L1"),
    "lateral_femoral_cutaneous": ("lumbar_plexus", "L2 L3"),
    # The median nerve's digital branches leave it beyond the carpal tunnel (numb in carpal tunnel
    # syndrome) for the radial three and a half digits, whose dermatomes run from C6 (thumb)
    # through C7 (index and middle) to C8 (ring finger; Foerster1933; KeeganGarrett1948).
    "median_digital": ("median.carpal_tunnel", "C6 C7 C8"),
    # The skin of the back beside the midline takes the dorsal rami's cutaneous branches; the front
    # of the trunk the terminal (anterior cutaneous) branches of the intercostal nerves, and of the
    # subcostal nerve below them.
    **{f"dorsal_ramus_cutaneous.T{n}": (f"dramus.T{n}", f"T{n}") for n in range(1, 13)},
    **{f"anterior_cutaneous.T{n}": (f"intercostal.T{n}", f"T{n}") for n in range(1, 12)},
    "anterior_cutaneous.T12": ("subcostal", "T12"),
}


@pytest.mark.parametrize("nerve, origin", CUTANEOUS_ORIGINS.items())
def test_a_cutaneous_nerve_leaves_where_grays_says(nerve, origin):
    branch_of, listed = origin
    found = {row["nerve"]: row for row in rows("cutaneous_branches.csv")}
    assert found[nerve]["branch_of"] == branch_of
    if listed:
        assert segments(found[nerve]["segments"]) == listed.split()


def test_the_dorsal_column_fasciculi_split_at_the_sixth_thoracic_segment():
    bounds = {row["fasciculus"]: (row["first_segment"], row["last_segment"]) for row in rows("dorsal_column_fasciculi.csv")}
    assert bounds["cuneatus"] == ("C1", "T6")
    assert bounds["gracilis"][0] == "T7"


def test_the_somatosensory_areas_lie_in_the_homunculus_order():
    order = {row["area"]: int(row["homunculus_order"]) for row in rows("somatosensory_areas.csv")}
    assert sorted(order, key=order.get) == ["perineum", "leg_foot", "hip_thigh", "trunk", "neck", "shoulder", "arm", "hand"]


# Bogduk N, *Clinical and Radiological Anatomy of the Lumbar Spine*, 5th edn (2012), and Gray42:
# multifidus is supplied by the medial branch of each dorsal ramus; the erector spinae by the
# lateral (iliocostalis) and intermediate (longissimus) branches; the L5 dorsal ramus has no
# lateral branch, so its erector spinae share comes through the intermediate branch only.
def paraspinal_branches():
    return {row["muscle"]: set(row["dorsal_ramus_branch"].split("|")) for row in rows("paraspinal_muscles.csv")}


def test_multifidus_is_supplied_by_the_medial_branches():
    found = {muscle: branches for muscle, branches in paraspinal_branches().items() if muscle.startswith("multifidus.")}
    assert found and all(branches == {"medial"} for branches in found.values())


@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4"])
def test_the_lumbar_erector_spinae_has_lateral_and_intermediate_branches(level):
    assert paraspinal_branches()[f"erector_spinae.{level}"] == {"lateral", "intermediate"}


def test_the_fifth_lumbar_dorsal_ramus_has_no_lateral_branch():
    assert paraspinal_branches()["erector_spinae.L5"] == {"intermediate"}


@pytest.mark.parametrize("modality", ["light_touch", "pin_prick", "temperature", "vibration", "joint_position"])
def test_a_thalamic_sensory_stroke_impairs_or_abolishes_the_other_half_of_the_body(modality):
    # Fisher1965 (pure sensory stroke); Blumenfeld2021: a lacune of the ventral posterior thalamus
    # leaves the face, arm and leg of the other side numb, the sensation reduced or lost, and its
    # own side normal.
    found = defaultdict(set)
    for row in rows("syndrome_findings.csv"):
        if row["syndrome"] == "thalamic_sensory_stroke" and row["modality"] == modality:
            found[row["side"]].update(row["expected"].split("|"))
    assert found["contralateral"] == {"0", "1"}
    assert found.get("ipsilateral", {"2"}) == {"2"}


def test_the_cauda_equina_syndrome_impairs_or_abolishes_saddle_sensation():
    # Ropper2019: saddle anaesthesia or hypaesthesia; ISNCSCI grades 0 (absent) or 1 (altered).
    found = [row for row in rows("syndrome_findings.csv") if row["syndrome"] == "cauda_equina" and row["where"] == "saddle"]
    assert found and all(set(row["expected"].split("|")) == {"0", "1"} for row in found)


def test_a_lesion_at_guyons_canal_spares_the_branches_that_leave_above_the_wrist():
    # Preston2020 (ch. on ulnar neuropathy at the wrist): the palmar and dorsal cutaneous
    # branches leave the ulnar nerve in the forearm, so their skin is normal; the digital
    # territory of the little and ring fingers is impaired or lost.
    found = {
        (row["where"], row["modality"]): set(row["expected"].split("|"))
        for row in rows("syndrome_findings.csv") if row["syndrome"] == "guyon_canal"
    }
    for modality in ("pin_prick", "light_touch"):
        assert found[("territory:ulnar_digital", modality)] == {"0", "1"}
        assert found[("territory:dorsal_ulnar_cutaneous", modality)] == {"2"}
        assert found[("territory:ulnar_palmar_cutaneous", modality)] == {"2"}


def test_a_central_cord_lesion_takes_pain_and_temperature_at_its_level_and_spares_the_sacrum():
    # Schneider1954; Ropper2019: the crossing spinothalamic fibres are cut at the lesion's segments
    # (a cape of lost or impaired pain and temperature), while the laminated sacral fibres
    # lie outermost and are spared (sacral sparing).
    found = {}
    for row in rows("syndrome_findings.csv"):
        if row["syndrome"] == "central_cord":
            found.setdefault((row["where"], row["modality"]), set()).update(row["expected"].split("|"))
    assert found[("lesion_segments", "pin_prick")] == {"0", "1"}
    assert found[("lesion_segments", "temperature")] == {"0", "1"}
    assert found[("sacral", "pin_prick")] == {"2"}


def test_carpal_tunnel_syndrome_spares_the_palmar_cutaneous_territory():
    # Preston2020 (ch. on median neuropathy at the wrist): the palmar cutaneous branch leaves
    # above the carpal tunnel, so the thenar skin is normal while the digital territory is not.
    found = {
        (row["where"], row["modality"]): set(row["expected"].split("|"))
        for row in rows("syndrome_findings.csv") if row["syndrome"] == "carpal_tunnel"
    }
    for modality in ("pin_prick", "light_touch"):
        assert found[("territory:median_digital", modality)] == {"0", "1"}
        assert found[("territory:median_palmar_cutaneous", modality)] == {"2"}


def test_syringomyelia_dissociates_pain_and_temperature_from_the_dorsal_columns():
    # Ropper2019; Blumenfeld2021: a central syrinx cuts the crossing spinothalamic fibres at its
    # own segments (pain and temperature lost in a cape), leaves the dorsal columns (vibration,
    # joint position) and, largely, touch (carried by both systems), and spares the segments
    # below it.
    found = {
        (row["where"], row["modality"]): set(row["expected"].split("|"))
        for row in rows("syndrome_findings.csv") if row["syndrome"] == "syringomyelia"
    }
    assert found[("lesion_segments", "pin_prick")] == found[("lesion_segments", "temperature")] == {"0"}
    assert found[("lesion_segments", "light_touch")] == {"1", "2"}
    assert found[("lesion_segments", "vibration")] == found[("lesion_segments", "joint_position")] == {"2"}
    assert found[("below_level", "pin_prick")] == {"2"}


def test_an_intramedullary_conus_lesion_dissociates_the_saddles_sensation():
    # Brazis2011; Blumenfeld2021: a lesion inside the conus cuts the crossing spinothalamic
    # fibres of the sacral segments (pain and temperature lost in the saddle) and leaves the
    # dorsal columns (vibration, joint position); touch, carried by both systems, is kept or only
    # impaired, never lost.
    found = {
        (row["where"], row["modality"]): set(row["expected"].split("|"))
        for row in rows("syndrome_findings.csv") if row["syndrome"] == "conus_medullaris_central"
    }
    assert found[("sacral", "pin_prick")] == found[("sacral", "temperature")] == {"0"}
    assert found[("sacral", "light_touch")] == {"1", "2"}
    assert found[("sacral", "vibration")] == found[("sacral", "joint_position")] == {"2"}


def test_meralgia_paresthetica_is_confined_to_the_lateral_femoral_cutaneous_territory():
    # Preston2020: a purely sensory nerve; the femoral nerve's own skin is normal.
    found = {
        (row["where"], row["modality"]): set(row["expected"].split("|"))
        for row in rows("syndrome_findings.csv") if row["syndrome"] == "meralgia_paresthetica"
    }
    assert found[("territory:lateral_femoral_cutaneous", "pin_prick")] == {"0", "1"}
    assert found[("territory:lateral_femoral_cutaneous", "light_touch")] == {"0", "1"}
    assert found[("territory:anterior_femoral_cutaneous", "pin_prick")] == {"2"}
    assert found[("territory:saphenous", "pin_prick")] == {"2"}


@pytest.mark.parametrize(
    "root, impaired, spared",
    [("right C6 root", "thenar_eminence", "hypothenar_eminence"), ("right C8 root", "hypothenar_eminence", "thenar_eminence")],
)
def test_a_root_lesion_takes_its_own_side_of_the_palm(packaged_anatomy, root, impaired, spared):
    # Foerster1933; KeeganGarrett1948; Lee2008 (evidence-based dermatome map): the C6 dermatome
    # takes the radial border of the hand with the thumb and the thenar eminence, the C8
    # dermatome the ulnar border with the little finger and the hypothenar eminence. Gray42
    # gives the palmar cutaneous branch of the median nerve (the thenar skin) no roots of its
    # own, and texts differ (C6-C7 or C6-C8): the thenar skin's dermatome decides it, so a C8
    # root lesion leaves the thenar skin normal. A single root lesion impairs its skin without
    # abolishing it (dermatomes overlap).
    import neurograph

    result = neurograph.simulate(packaged_anatomy, root)
    assert set(result.sensory(f"R.skin.{impaired}").grades.values()) == {1}
    assert set(result.sensory(f"R.skin.{spared}").grades.values()) == {2}
    assert set(result.sensory(f"L.skin.{impaired}").grades.values()) == {2}


@pytest.mark.parametrize("segment", ["T3", "T5", "T9"])
def test_one_intercostal_nerve_impairs_its_dermatome_without_abolishing_it(packaged_anatomy, segment):
    # Moore2018; Foerster1933; Sherrington1893: each segment's skin is also reached by the
    # neighbouring segments' fibres, which run in their own intercostal nerves, so cutting one
    # intercostal nerve (fibres of its segment alone) leaves its dermatome impaired, not
    # anaesthetic, as a single root lesion does.
    import neurograph

    result = neurograph.simulate(packaged_anatomy, f"R.intercostal.{segment}")
    assert set(result.sensory(f"R.key_point.{segment}").grades.values()) == {1}
    assert set(result.sensory(f"L.key_point.{segment}").grades.values()) == {2}


@pytest.mark.parametrize("segment", ["C1", "C4", "C7", "T2", "T6", "T10", "L1"])
def test_a_hemisection_impairs_light_touch_below_it_without_abolishing_it(packaged_anatomy, segment):
    # Ropper2019; Blumenfeld2021 (the Brown-Sequard syndrome): touch ascends both in the dorsal
    # columns of its own side and in the spinothalamic tract of the other, so below a
    # hemisection it is impaired on either side but lost on neither; only the band at the
    # level (the segment itself and the fibres still crossing one segment below) may lose it.
    import neurograph

    result = neurograph.simulate(packaged_anatomy, f"right half of {segment}")
    level = SEGMENTS.index(segment)
    below = []
    for finding in result.sensation:
        point = finding.place.partition(".key_point.")[2]
        if point and SEGMENTS.index(point.split("-")[0]) >= level + 2:
            below.append(finding)
            assert finding.light_touch >= 1, (finding.place, finding.light_touch)
    assert any(finding.side == "R" and finding.vibration == 0 for finding in below)


#: Each skin place by the part of the body it lies on, grouped by the somatosensory area that
#: maps that part (Penfield1950): the places of the back of the head, the ear and the neck in the
#: neck area; the arm's and forearm's in the arm area; the knee's, leg's, ankle's and foot's in
#: the leg and foot area.
AREA_SKIN = {
    "hand": {
        "thenar_eminence", "central_palm", "hypothenar_eminence", "radial_dorsum_of_hand", "ulnar_dorsum_of_hand",
        "first_dorsal_web_space", "thumb_dorsal_proximal", "thumb_dorsal_distal", "thumb_palmar", "index_palmar",
        "index_dorsal_proximal", "index_dorsal_distal", "middle_palmar", "middle_dorsal_proximal", "middle_dorsal_distal",
        "ring_radial_half_palmar", "ring_ulnar_half_palmar", "ring_radial_half_dorsal_proximal",
        "ring_radial_half_dorsal_distal", "ring_ulnar_half_dorsal", "little_palmar", "little_dorsal",
    },
    "arm": {
        "lateral_arm_below_deltoid", "posterior_arm", "axilla_floor", "posteromedial_upper_arm", "medial_arm",
        "lateral_forearm", "medial_forearm", "posterior_forearm",
    },
    "shoulder": {"skin_over_clavicle", "top_of_shoulder", "lower_deltoid"},
    "neck": {
        "occipital_scalp", "scalp_behind_ear", "ear_lobe_and_lower_auricle", "skin_over_angle_of_mandible",
        "anterior_neck", "upper_posterior_neck", "supraclavicular_fossa", "back.C4", "back.C5",
    },
    "trunk": {
        "upper_anterior_chest", "suprapubic_region", *(f"anterior_trunk.T{n}" for n in range(1, 13)),
        *(f"lateral_trunk.T{n}" for n in range(3, 12)), *(f"back.T{n}" for n in range(1, 13)),
    },
    "hip_thigh": {
        "anterior_gluteal_region", "posterolateral_gluteal_region", "upper_buttock", "medial_buttock", "lower_buttock",
        "inferomedial_buttock", "femoral_triangle_skin", "upper_medial_thigh", "lateral_thigh", "anterior_thigh",
        "medial_thigh", "posterior_thigh",
    },
    "leg_foot": {
        "medial_knee", "infrapatellar_region", "popliteal_fossa", "medial_leg", "upper_lateral_leg", "lower_lateral_leg",
        "posterolateral_lower_leg", "upper_posterior_calf", "medial_malleolus", "lateral_ankle", "medial_foot_border",
        "medial_side_of_hallux", "dorsum_of_foot", "dorsum_of_toes", "first_web_space_of_foot", "lateral_foot_border",
        "lateral_heel", "medial_heel", "medial_sole", "lateral_sole", "plantar_medial_toes", "plantar_lateral_toes",
    },
    "perineum": {
        "skin_over_coccyx", "perianal_skin", "perineal_skin", "lateral_perineum", "posterior_scrotum_or_labia",
        "anterior_scrotum_or_labium_majus", "root_of_penis_or_mons_pubis", "penis_or_clitoris",
    },
}


@pytest.mark.parametrize("area", AREA_SKIN)
def test_a_somatosensory_area_takes_the_skin_of_its_own_body_part(packaged_anatomy, area):
    # Penfield1950: the postcentral gyrus maps the body in order, the genitals and perineum
    # deepest on the medial surface, then the foot and leg (with the knee and ankle), the hip and
    # thigh, the trunk, and the hand on the lateral convexity; a cortical lesion takes the skin of
    # its own part on the other side. The skin of the neck and of the back of the head and the ear
    # (C2-C4) lies in the neck area, above the shoulder's, above the trunk's.
    import neurograph

    result = neurograph.simulate(packaged_anatomy, f"R.s1.{area}")
    altered = {finding.place for finding in result.sensation if finding.light_touch < 2}
    assert {f"L.skin.{place}" for place in AREA_SKIN[area]} <= altered
    assert not {f"L.skin.{place}" for other, places in AREA_SKIN.items() if other != area for place in places} & altered
    assert not any(place.startswith("R.") for place in altered)


def test_the_sensory_level_of_a_complete_cord_lesion_is_the_segment_above_it(packaged_anatomy):
    # ISNCSCI 2019: the sensory level is the most caudal key point with normal light touch and
    # pin prick, every key point above it normal; below a complete lesion nothing is felt, so a
    # complete T6 lesion has its sensory level at T5 on both sides (key points taken rostral
    # first, C2 to S4-5).
    import neurograph

    result = neurograph.simulate(packaged_anatomy, "T6 cord segment")
    assert result.sensory_level("left") == result.sensory_level("right") == "T5"
