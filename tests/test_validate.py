"""The validator: the packaged anatomy passes, and each rule catches a graph broken its way."""

import json

import networkx as nx
import pytest

from neurograph.validation import RULES, validate


def rules_broken(G):
    return {violation.rule for violation in validate(G)}


def test_packaged_anatomy_is_valid(packaged_anatomy):
    assert validate(packaged_anatomy) == []


def break_unknown_kind(G):
    G.nodes["R.muscle.triceps_brachii"]["kind"] = "gland"


def break_missing_attribute(G):
    del G.nodes["R.muscle.triceps_brachii"]["segments"]


def break_bad_value(G):
    G.nodes["R.ah.C7"]["side"] = "middle"


def break_bad_edge(G):
    G.add_edge("R.muscle.triceps_brachii", "R.radial.axilla", kind="motor_axon", reference="Gray42")


def break_cycle(G):
    G.add_edge("R.radial.pin", "R.radial.axilla", kind="motor_axon", segments="C7", reference="Gray42")


def break_uncited(G):
    G.nodes["L.muscle.biceps_brachii"]["reference"] = "Wikipedia"


def break_ambiguous_name(G):
    G.nodes["R.muscle.brachioradialis"]["aliases"] += "|triceps"


def break_muscle_unreachable(G):
    G.remove_edge("R.bp.lateral_cord", "R.musculocutaneous")


def break_missing_lmn_route(G):
    edge = G.edges["R.bp.middle_trunk", "R.bp.middle_trunk.posterior"]
    edge["segments"] = ""


def break_missing_umn_route(G):
    G.remove_edge("R.lcst.C7.arm", "R.ah.C7")


def break_reflex_arc(G):
    G.nodes["R.reflex.triceps_jerk"]["efferent_segments"] = "C7|C8|T1|L1"
    G.nodes["L.reflex.triceps_jerk"]["efferent_segments"] = "C7|C8|T1|L1"


def break_asymmetry(G):
    G.nodes["L.muscle.deltoid"]["segments_source"] = "Kendall2005"


def break_asymmetry_by_swapped_side(G):
    G.nodes["L.ah.T10"]["side"] = "R"


def break_bad_id(G):
    nx.relabel_nodes(G, {"R.muscle.triceps_brachii": "R.triceps_brachii"}, copy=False)


def break_bad_graph_attribute(G):
    G.graph["regions"] = "{not json"


def break_incomplete(G):
    G.remove_nodes_from([node for node, kind in G.nodes(data="kind") if kind == "cortical_area"])


def break_duplicate_structure(G):
    G.add_node("R.ah.C7_again", **G.nodes["R.ah.C7"])


def break_sensory_unreachable(G):
    G.remove_edge("R.key_point.C6", "R.aff.superficial_radial")


def break_missing_ascending_route(G):
    G.remove_edge("R.dc.C6.hand.cuneatus_cervical", "R.dc.C5.hand.cuneatus_cervical")


def break_crossing(G):
    # A second crossing: the medial lemniscus hands its fibres back to the side they came from.
    G.add_edge("L.ascending.medial_lemniscus.hand", "R.ascending.vpl_thalamus.hand", kind="sensory_tract", reference="Gray42")


def break_twin(G):
    G.nodes["R.aff.radial.spiral_groove"]["structure"] = "R.muscle.triceps_brachii"
    G.nodes["L.aff.radial.spiral_groove"]["structure"] = "L.muscle.triceps_brachii"


def break_cranial_route(G):
    # The temporal branch no longer leaves the facial nerve: frontalis loses its nerve.
    G.remove_edge("L.facial.parotid", "L.facial.temporal")


def break_supranuclear_supply(G):
    # The uncrossed lips fibres carry all the drive: the lower face would be supplied equally from
    # both hemispheres, not mainly from the opposite one.
    G.edges["L.cbt.basis_pontis.lips", "L.nucleus.facial"].pop("drive")


def break_cranial_reflex(G):
    G.nodes["L.reflex.jaw_jerk"]["afferent_via"] = "R.masseteric_nerve"
    G.nodes["R.reflex.jaw_jerk"]["afferent_via"] = "L.masseteric_nerve"


def break_cord_skip(G):
    # Fibres entering at T8 handed to the T6 dorsal horn past T7, on both sides.
    for side in "LR":
        G.add_edge(f"{side}.lissauer.T8", f"{side}.dorsal_horn.T6.thoracic", kind="sensory_tract", reference="Gray42")


def break_sensory_rules(G):
    rules = json.loads(G.graph["sensory_rules"])
    rules["grade_altered"]["value"] = "3"
    G.graph["sensory_rules"] = json.dumps(rules)


BREAKERS = {
    "cranial_route": break_cranial_route,
    "supranuclear_supply": break_supranuclear_supply,
    "cranial_reflex": break_cranial_reflex,
    "cord_skip": break_cord_skip,
    "sensory_rules": break_sensory_rules,
    "sensory_unreachable": break_sensory_unreachable,
    "missing_ascending_route": break_missing_ascending_route,
    "crossing": break_crossing,
    "twin": break_twin,
    "bad_id": break_bad_id,
    "bad_graph_attribute": break_bad_graph_attribute,
    "incomplete": break_incomplete,
    "duplicate_structure": break_duplicate_structure,
    "unknown_kind": break_unknown_kind,
    "missing_attribute": break_missing_attribute,
    "bad_value": break_bad_value,
    "bad_edge": break_bad_edge,
    "cycle": break_cycle,
    "uncited": break_uncited,
    "ambiguous_name": break_ambiguous_name,
    "muscle_unreachable": break_muscle_unreachable,
    "missing_lmn_route": break_missing_lmn_route,
    "missing_umn_route": break_missing_umn_route,
    "reflex_arc": break_reflex_arc,
    "asymmetry": break_asymmetry,
}


def test_every_rule_has_a_breaking_test():
    assert set(BREAKERS) == set(RULES)


@pytest.mark.parametrize("rule", sorted(BREAKERS))
def test_each_rule_catches_its_breakage(anatomy, rule):
    BREAKERS[rule](anatomy)
    assert rule in rules_broken(anatomy)


def test_swapped_side_is_reported(anatomy):
    break_asymmetry_by_swapped_side(anatomy)
    messages = [v.message for v in validate(anatomy) if v.rule == "asymmetry"]
    assert any("'L.ah.T10'" in message for message in messages)


def test_all_violations_are_reported_not_just_the_first(anatomy):
    anatomy.nodes["L.muscle.biceps_brachii"]["reference"] = "Wikipedia"
    anatomy.nodes["R.muscle.biceps_brachii"]["reference"] = "Wikipedia"
    anatomy.edges["R.radial.axilla", "R.radial.spiral_groove"]["reference"] = ""
    uncited = [v for v in validate(anatomy) if v.rule == "uncited"]
    assert len(uncited) == 3
    assert {node for v in uncited for node in v.nodes} >= {
        "L.muscle.biceps_brachii", "R.muscle.biceps_brachii", "R.radial.axilla", "R.radial.spiral_groove",
    }


def test_lmn_route_violation_names_the_segment_and_muscle(anatomy):
    break_missing_lmn_route(anatomy)
    messages = {v.message for v in validate(anatomy) if v.rule == "missing_lmn_route"}
    assert "no C7 fibre route from the anterior horn to muscle 'R.muscle.triceps_brachii' through its nerve" in messages


def test_violation_to_dict_is_json(anatomy):
    break_uncited(anatomy)
    payload = json.dumps([v.to_dict() for v in validate(anatomy)])
    assert "L.muscle.biceps_brachii" in payload
