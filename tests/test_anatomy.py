"""The packaged anatomy holds what the references describe.

Every expectation here is written from the references (Gray's, MRC Aids, ISNCSCI, Preston),
not read off the data.
"""

import pytest

from neurograph import anatomy_stats
from neurograph.schema import SEGMENTS, decode_reference_table, node_attributes


def test_counts_meet_the_minimums(packaged_anatomy):
    stats = anatomy_stats(packaged_anatomy)
    kinds = stats["node_kinds"]
    assert kinds["anterior_horn"] == kinds["ventral_root"] == kinds["spinal_nerve"] == 2 * 31
    assert stats["muscles_per_side"] == {"L": stats["muscles_per_side"]["R"], "R": stats["muscles_per_side"]["L"]}
    assert stats["muscles_per_side"]["L"] >= 80
    assert kinds["reflex"] >= 2 * 10


@pytest.mark.parametrize("side", ["L", "R"])
def test_every_segment_has_its_cord_and_root_structures(packaged_anatomy, side):
    assert len(SEGMENTS) == 31 and SEGMENTS[0] == "C1" and SEGMENTS[-1] == "Co1"
    for segment in SEGMENTS:
        for part in ("ah", "vroot", "spn"):
            assert f"{side}.{part}.{segment}" in packaged_anatomy


def test_lateral_corticospinal_tract_runs_to_s5_on_the_opposite_side(packaged_anatomy):
    for segment in SEGMENTS[: SEGMENTS.index("S5") + 1]:
        nodes = [n for n, d in packaged_anatomy.nodes(data=True)
                 if d.get("station") == "lateral_corticospinal_tract" and d.get("segment") == segment and d["side"] == "R"]
        assert nodes, segment
        assert {packaged_anatomy.nodes[n]["hemisphere"] for n in nodes} == {"L"}


def test_supraspinal_stations_in_descending_order(packaged_anatomy):
    stations = sorted(
        {(d["station_order"], d["station"]) for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "tract" and d.get("station_order")}
    )
    assert [name for _, name in stations] == [
        "corona_radiata", "internal_capsule", "cerebral_peduncle", "basis_pontis", "medullary_pyramid",
        "pyramidal_decussation",
    ]


def test_anterior_corticospinal_tract_is_uncrossed_and_ends_in_the_upper_thoracic_cord(packaged_anatomy):
    acst = [d for _, d in packaged_anatomy.nodes(data=True) if d.get("station") == "anterior_corticospinal_tract"]
    assert acst and all(d["side"] == d["hemisphere"] for d in acst)
    assert max(SEGMENTS.index(d["segment"]) for d in acst) <= SEGMENTS.index("T6")


def test_somatotopic_cortical_areas(packaged_anatomy):
    areas = {d["area"] for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "cortical_area"}
    assert {"neck", "shoulder", "arm", "hand", "trunk", "hip_thigh", "leg_foot"} <= areas


def test_brachial_plexus_elements(packaged_anatomy):
    elements = {}
    for node, data in packaged_anatomy.nodes(data=True):
        if data["side"] == "R" and data.get("plexus") == "brachial":
            elements.setdefault(data["element"], set()).add(node)
    assert len(elements["root"]) == 5 and len(elements["trunk"]) == 3
    assert len(elements["division"]) == 6 and len(elements["cord"]) == 3


@pytest.mark.parametrize(
    "nerve",
    ["phrenic", "dorsal_scapular", "long_thoracic", "suprascapular", "lateral_pectoral", "medial_pectoral",
     "upper_subscapular", "lower_subscapular", "thoracodorsal", "musculocutaneous", "axillary", "radial.axilla",
     "median.arm", "ulnar.arm", "subcostal", "femoral.thigh", "obturator", "psoas_branches", "superior_gluteal",
     "inferior_gluteal", "sciatic.gluteal", "tibial.popliteal_fossa", "common_fibular.fibular_head",
     "deep_fibular", "superficial_fibular", "pudendal"]
    + [f"intercostal.T{i}" for i in range(1, 12)],
)
def test_named_nerves_exist(packaged_anatomy, nerve):
    assert f"L.{nerve}" in packaged_anatomy


# (muscle, nerve node its branch leaves from): Gray's and Preston for the branch points.
BRANCH_POINTS = [
    ("triceps_brachii", "radial.axilla"),
    ("brachioradialis", "radial.above_elbow"),
    ("extensor_carpi_radialis_longus", "radial.above_elbow"),
    ("extensor_indicis", "radial.pin"),
    ("flexor_pollicis_longus", "median.ain"),
    ("pronator_quadratus", "median.ain"),
    ("abductor_pollicis_brevis", "median.recurrent"),
    ("flexor_carpi_ulnaris", "ulnar.forearm"),
    ("first_dorsal_interosseous", "ulnar.deep"),
    ("deltoid", "axillary"),
    ("serratus_anterior", "long_thoracic"),
    ("rhomboids", "dorsal_scapular"),
    ("biceps_femoris_short_head", "sciatic.fibular_division"),
    ("tibialis_anterior", "deep_fibular"),
    ("fibularis_longus", "superficial_fibular"),
    ("tibialis_posterior", "tibial.leg"),
    ("gastrocnemius", "tibial.popliteal_fossa"),
    ("abductor_hallucis", "medial_plantar"),
    ("gluteus_medius", "superior_gluteal"),
    ("gluteus_maximus", "inferior_gluteal"),
    ("diaphragm", "phrenic"),
    ("external_anal_sphincter", "pudendal"),
]


@pytest.mark.parametrize("muscle, branch", BRANCH_POINTS)
def test_muscle_branches_leave_at_their_true_point(packaged_anatomy, muscle, branch):
    assert packaged_anatomy.has_edge(f"R.{branch}", f"R.muscle.{muscle}")


def test_triceps_branch_leaves_before_the_spiral_groove(packaged_anatomy):
    import networkx as nx

    below_groove = nx.descendants(packaged_anatomy, "R.radial.spiral_groove")
    assert "R.muscle.triceps_brachii" not in below_groove
    assert {"R.muscle.brachioradialis", "R.muscle.extensor_carpi_radialis_longus"} <= below_groove


# ISNCSCI 2019 key muscle levels: the key muscle's segments include its level.
ISNCSCI = {
    "biceps_brachii": "C5", "extensor_carpi_radialis_longus": "C6", "triceps_brachii": "C7",
    "flexor_digitorum_profundus_index": "C8", "abductor_digiti_minimi": "T1", "psoas_major": "L2",
    "rectus_femoris": "L3", "tibialis_anterior": "L4", "extensor_hallucis_longus": "L5", "gastrocnemius": "S1",
}


@pytest.mark.parametrize("muscle, level", sorted(ISNCSCI.items()))
def test_isncsci_key_muscles(packaged_anatomy, muscle, level):
    data = node_attributes(packaged_anatomy, f"L.muscle.{muscle}")
    assert data["isncsci_level"] == level
    assert level in data["segments"]


# MRC Aids principal roots (bold in the booklet).
MRC_PRINCIPAL = {
    "deltoid": "C5", "supraspinatus": "C5", "infraspinatus": "C5", "latissimus_dorsi": "C7",
    "triceps_brachii": "C7", "abductor_pollicis_brevis": "T1", "first_dorsal_interosseous": "T1",
    "tibialis_anterior": "L4", "extensor_hallucis_longus": "L5", "gastrocnemius": "S1",
}


@pytest.mark.parametrize("muscle, root", sorted(MRC_PRINCIPAL.items()))
def test_mrc_principal_roots(packaged_anatomy, muscle, root):
    data = node_attributes(packaged_anatomy, f"R.muscle.{muscle}")
    assert data["segments_source"] == "MRC2010"
    assert data["principal_segments"] == (root,)


def test_disagreements_between_references_are_kept(packaged_anatomy):
    triceps = node_attributes(packaged_anatomy, "R.muscle.triceps_brachii")
    # MRC Aids: C6, C7 (principal), C8; Kendall: C6-T1.
    assert triceps["segments_by_source"]["MRC2010"] == {"C6": "major", "C7": "principal", "C8": "major"}
    assert "T1" in triceps["segments_by_source"]["Kendall2005"]
    assert "T1" in triceps["disputed_segments"]


def test_the_disputed_origin_of_the_nerve_to_ecrb_is_kept(packaged_anatomy):
    """Colborn et al. 1993 (111 limbs): deep branch 56.7%, superficial branch 31.5%, the
    division 11.7%; the graph keeps the branch proximal to the arcade of Frohse either way."""
    for side in "LR":
        dissent = packaged_anatomy.nodes[f"{side}.muscle.extensor_carpi_radialis_brevis"]["branch_disputed_by"]
        assert dissent.startswith("Colborn1993=deep branch of the radial nerve (57%)")
        assert "superficial branch of the radial nerve (32%)" in dissent and "(12%)" in dissent
    assert set(packaged_anatomy.predecessors("R.muscle.extensor_carpi_radialis_brevis")) == {"R.radial.above_elbow"}


# Reflex arcs: afferent and efferent segments (Ropper).
REFLEXES = {
    "biceps_jerk": ("C5|C6", "C5|C6"), "brachioradialis_jerk": ("C5|C6", "C5|C6"), "triceps_jerk": ("C7|C8", "C7|C8"),
    "finger_flexor_jerk": ("C8", "C8"), "knee_jerk": ("L3|L4", "L3|L4"), "adductor_jerk": ("L2|L3|L4", "L2|L3|L4"),
    "ankle_jerk": ("S1|S2", "S1|S2"), "plantar_response": ("S1", "L5|S1"), "anal_reflex": ("S2|S3|S4", "S2|S3|S4"),
}


@pytest.mark.parametrize("reflex, segments", sorted(REFLEXES.items()))
def test_reflex_arcs(packaged_anatomy, reflex, segments):
    data = packaged_anatomy.nodes[f"L.reflex.{reflex}"]
    assert (data["afferent_segments"], data["efferent_segments"]) == segments
    assert list(packaged_anatomy.predecessors(f"L.reflex.{reflex}"))


def test_superficial_abdominal_reflexes_span_t8_to_t12(packaged_anatomy):
    covered = set()
    for reflex in ("upper_abdominal", "lower_abdominal"):
        covered |= set(node_attributes(packaged_anatomy, f"R.reflex.{reflex}")["efferent_segments"])
    assert covered == {"T8", "T9", "T10", "T11", "T12"}


def test_every_node_has_label_side_and_source_and_references_resolve(packaged_anatomy):
    references = decode_reference_table(packaged_anatomy.graph["references"])
    for node in packaged_anatomy:
        data = node_attributes(packaged_anatomy, node)
        assert data["label"] and data["side"] in ("L", "R")
        assert data["reference"] and all(key in references for key in data["reference"])


def test_some_ontology_identifiers(packaged_anatomy):
    assert packaged_anatomy.nodes["R.muscle.triceps_brachii"]["uberon"] == "UBERON:0001509"
    with_ids = [d for _, d in packaged_anatomy.nodes(data=True) if d.get("uberon")]
    assert all(d["uberon"].startswith("UBERON:") and d["fma"].startswith("FMA:") for d in with_ids)
