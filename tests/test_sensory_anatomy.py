"""Sensation in the packaged anatomy, checked against the references, not against the build.

Sources of the expected facts, written here by hand:

- ISNCSCI 2019: American Spinal Injury Association, International Standards for Neurological
  Classification of Spinal Cord Injury, revised 2019 (the 28 key sensory points and their spots).
- Gray's Anatomy, 42nd edn (2020): where the cutaneous branches leave their nerves.
- Botte et al. 1990, J Hand Surg Am 15:603: the dorsal branch of the ulnar nerve leaves a mean
  6.4 cm above the ulnar head, so above Guyon's canal.
- Blumenfeld, Neuroanatomy through Clinical Cases, 3rd edn (2021): the dorsal columns cross in
  the medulla (internal arcuate fibres); spinothalamic fibres ascend one to two segments in
  Lissauer's tract and cross in the anterior white commissure; sacral fibres lie outermost in
  the lateral spinothalamic tract and innermost in the dorsal columns.
- Ropper et al., Adams and Victor's Principles of Neurology, 11th edn (2019): the stretch reflex's
  afferent limb runs through the dorsal root, so a dorsal root lesion abolishes the reflex with
  full power.
- Preston and Shapiro, Electromyography and Neuromuscular Disorders, 4th edn (2020): the dorsal
  ramus leaves the spinal nerve before the plexus, so the paraspinal muscles are denervated by a
  root lesion and spared by a plexus lesion.
"""

import networkx as nx
import pytest

import neurograph
from neurograph.errors import AmbiguousSideError
from neurograph.resolve import resolve_site
from neurograph.schema import SEGMENTS

#: ISNCSCI 2019 key sensory points: level and words of the standard's spot.
KEY_POINTS = {
    "C2": "occipital protuberance", "C3": "supraclavicular fossa", "C4": "acromioclavicular joint",
    "C5": "antecubital fossa", "C6": "proximal phalanx of the thumb", "C7": "proximal phalanx of the middle finger",
    "C8": "proximal phalanx of the little finger", "T1": "medial epicondyle", "T2": "apex of the axilla",
    "T3": "third intercostal space", "T4": "fourth intercostal space", "T5": "fifth intercostal space",
    "T6": "xiphisternum", "T7": "one quarter", "T8": "midway between the xiphisternum and umbilicus",
    "T9": "three quarters", "T10": "umbilicus", "T11": "midway between the umbilicus and inguinal ligament",
    "T12": "inguinal ligament", "L1": "halfway between the T12 and L2", "L2": "anteromedial thigh",
    "L3": "medial femoral condyle", "L4": "medial malleolus", "L5": "third metatarsophalangeal joint",
    "S1": "lateral heel", "S2": "popliteal fossa", "S3": "ischial tuberosity", "S4-5": "perianal",
}


def skin_segments(G, node):
    return set(G.nodes[node]["segments"].split("|"))


def reaches_root(G, skin, segment):
    """Whether a skin node's fibres of ``segment`` reach its dorsal root along edges carrying it."""
    side = G.nodes[skin]["side"]
    allowed = nx.subgraph_view(
        G, filter_edge=lambda u, v: G.edges[u, v]["kind"] == "sensory_axon" and segment in G.edges[u, v].get("segments", "").split("|")
    )
    return nx.has_path(allowed, skin, f"{side}.droot.{segment}")


def test_the_28_key_points_on_each_side_with_their_standard_spots(packaged_anatomy):
    for side in ("L", "R"):
        points = {
            data["isncsci_level"]: data for node, data in packaged_anatomy.nodes(data=True)
            if data["kind"] == "skin" and data.get("isncsci_level") and data["side"] == side
        }
        assert set(points) == set(KEY_POINTS)
        for level, words in KEY_POINTS.items():
            assert words in points[level]["label"], level


@pytest.mark.parametrize("level", [level for level in KEY_POINTS if level != "S4-5"])
def test_each_key_point_carries_its_own_segment_to_its_dorsal_root(packaged_anatomy, level):
    node = f"R.key_point.{level}"
    assert skin_segments(packaged_anatomy, node) == {level}
    assert reaches_root(packaged_anatomy, node, level)


def test_the_perianal_point_reaches_the_s4_root(packaged_anatomy):
    assert reaches_root(packaged_anatomy, "L.key_point.S4-5", "S4")


@pytest.mark.parametrize("name, node", [
    ("right dermatome C6", "R.key_point.C6"),
    ("C6 key point, left", "L.key_point.C6"),
    ("right dorsal surface of the proximal phalanx of the thumb", "R.key_point.C6"),
    ("left dermatome S4-5", "L.key_point.S4-5"),
])
def test_key_points_answer_to_their_standard_names(packaged_anatomy, name, node):
    assert resolve_site(packaged_anatomy, name).nodes == {node}


def branch_parent(G, nerve, side="R"):
    """The structure a cutaneous nerve leaves: the motor-side id of the twin it joins."""
    (parent,) = G.successors(f"{side}.aff.{nerve}")
    return G.nodes[parent].get("structure", parent)


def test_palmar_cutaneous_branch_of_the_median_nerve_leaves_above_the_carpal_tunnel(packaged_anatomy):
    # Gray's: it arises in the distal forearm and passes superficial to the flexor retinaculum.
    G = packaged_anatomy
    assert branch_parent(G, "median_palmar_cutaneous") == "R.median.forearm"
    assert nx.has_path(G, "R.aff.median.carpal_tunnel", "R.aff.median.forearm")
    assert not nx.has_path(G, "R.aff.median_palmar_cutaneous", "R.aff.median.carpal_tunnel")


def test_dorsal_ulnar_branch_leaves_above_guyons_canal(packaged_anatomy):
    # Botte et al. 1990: a mean 6.4 cm proximal to the ulnar head.
    G = packaged_anatomy
    assert branch_parent(G, "dorsal_ulnar_cutaneous") == "R.ulnar.forearm"
    assert not nx.has_path(G, "R.aff.dorsal_ulnar_cutaneous", "R.aff.ulnar.guyon")


def test_superficial_radial_nerve_leaves_above_the_posterior_interosseous_nerve(packaged_anatomy):
    G = packaged_anatomy
    assert branch_parent(G, "superficial_radial") == "R.radial.above_elbow"
    assert not nx.has_path(G, "R.aff.superficial_radial", "R.aff.radial.pin")


def test_medial_antebrachial_cutaneous_nerve_comes_from_the_medial_cord(packaged_anatomy):
    assert branch_parent(packaged_anatomy, "medial_antebrachial_cutaneous") == "R.bp.medial_cord"


def test_the_deep_fibular_nerve_supplies_the_first_web_space_only(packaged_anatomy):
    G = packaged_anatomy
    places = set(G.predecessors("R.aff.deep_fibular_cutaneous"))
    assert places == {"R.skin.first_web_space_of_foot"}
    assert branch_parent(G, "deep_fibular_cutaneous") == "R.deep_fibular"


def test_every_mixed_structure_has_a_twin_carrying_its_segments(packaged_anatomy):
    G = packaged_anatomy
    for node, data in G.nodes(data=True):
        if data["kind"] in ("spinal_nerve", "ventral_ramus", "plexus_element", "nerve", "dorsal_ramus"):
            twin = G.nodes[f"{data['side']}.aff.{node.partition('.')[2]}"]
            assert twin["structure"] == node
            assert twin["segments"] == data.get("segments", data.get("segment"))


def test_motor_and_sensory_edges_keep_the_graph_acyclic(packaged_anatomy):
    assert nx.is_directed_acyclic_graph(packaged_anatomy)


def ascending(G, tract):
    """The graph of one tract's central stations (and the shared ones), the dorsal roots and the cortex."""
    keep = {
        node for node, data in G.nodes(data=True)
        if data["kind"] in ("dorsal_root", "sensory_cortex")
        or (data["kind"] == "sensory_tract" and data.get("tract", tract) == tract)
    }
    return G.subgraph(keep)


@pytest.mark.parametrize("tract, crossing", [
    ("dorsal_columns", "internal_arcuate_fibres"), ("spinothalamic", "anterior_white_commissure"),
])
def test_each_tract_crosses_once_at_its_own_station(packaged_anatomy, tract, crossing):
    G = ascending(packaged_anatomy, tract)
    for path in nx.all_simple_paths(G, "R.droot.C6", "L.s1.hand"):
        changes = [(u, v) for u, v in zip(path, path[1:]) if G.nodes[u]["side"] != G.nodes[v]["side"]]
        assert len(changes) == 1
        assert G.nodes[changes[0][0]]["station"] == crossing
    assert not nx.has_path(G, "R.droot.C6", "R.s1.hand")


def test_dorsal_columns_stay_ipsilateral_through_the_cord_and_cross_in_the_medulla(packaged_anatomy):
    G = packaged_anatomy
    for segment in ("C6", "C3", "C1"):
        assert G.nodes[f"R.dc.{segment}.hand.cuneatus_cervical"]["body_side"] == "R"
    assert nx.has_path(G, "R.dc.C1.hand.cuneatus_cervical", "R.ascending.internal_arcuate_fibres.hand")
    assert G.has_edge("R.ascending.internal_arcuate_fibres.hand", "L.ascending.medial_lemniscus.hand")


@pytest.mark.parametrize("entry, crossings", [("T8", {"T7", "T6"}), ("L3", {"L2", "L1"})])
def test_spinothalamic_fibres_cross_one_or_two_segments_above_their_entry(packaged_anatomy, entry, crossings):
    # Pain and temperature fibres ascend one to two segments in Lissauer's tract before they
    # synapse in the dorsal horn and cross in the anterior white commissure (Blumenfeld 2021).
    G = packaged_anatomy
    spinal = G.subgraph(
        n for n, d in G.nodes(data=True)
        if d.get("station") in ("lissauer_tract", "dorsal_horn", "anterior_white_commissure") and d["side"] == "R"
    )
    commissures = [n for n in nx.descendants(spinal, f"R.lissauer.{entry}") if G.nodes[n]["station"] == "anterior_white_commissure"]
    assert {G.nodes[n]["segment"] for n in commissures} == crossings
    for commissure in commissures:
        assert all(G.nodes[v]["side"] == "L" for v in G.successors(commissure))
        # On the way up, the fibres pass through Lissauer's tract at every segment between their
        # entry and the crossing, so that a lesion of any of them cuts them.
        crossing = G.nodes[commissure]["segment"]
        passed = SEGMENTS[SEGMENTS.index(crossing) + 1 : SEGMENTS.index(entry) + 1]
        for path in nx.all_simple_paths(spinal, f"R.lissauer.{entry}", commissure):
            tract = [G.nodes[n]["segment"] for n in path if G.nodes[n]["station"] == "lissauer_tract"]
            assert sorted(tract, key=SEGMENTS.index) == list(passed), path


def test_sacral_fibres_lie_outermost_in_the_spinothalamic_tract_and_innermost_in_the_dorsal_columns(packaged_anatomy):
    G = packaged_anatomy
    stt = {d["cord_region"]: d["lamina_order"] for _, d in G.nodes(data=True) if d.get("station") == "spinothalamic_tract"}
    dc = {d["cord_region"]: d["lamina_order"] for _, d in G.nodes(data=True) if d.get("station") == "dorsal_column"}
    assert stt["sacral"] == max(stt.values()) and stt["cervical"] == min(stt.values())
    assert dc["sacral"] == min(dc.values()) and dc["cervical"] == max(dc.values())


def test_the_fasciculi_divide_at_t6(packaged_anatomy):
    # Blumenfeld: fasciculus cuneatus carries T6 and above, gracilis T7 and below.
    G = packaged_anatomy
    for root, fasciculus in (("R.droot.T6", "cuneatus"), ("R.droot.T7", "gracilis"), ("R.droot.C5", "cuneatus")):
        entries = [v for v in G.successors(root) if G.nodes[v]["station"] == "dorsal_column"]
        assert entries and {G.nodes[v]["fasciculus"] for v in entries} == {fasciculus}


def test_stretch_reflex_afferent_limb_runs_through_the_dorsal_root(packaged_anatomy):
    G = packaged_anatomy
    assert nx.has_path(G, "R.muscle.biceps_brachii", "R.droot.C5")
    result = neurograph.simulate(G, ["right C5 dorsal root", "right C6 dorsal root"])
    assert result.reflex("right biceps reflex").state == "absent"
    assert result.muscle("right biceps").mrc_grade == 5


def test_paraspinal_muscles_hang_on_the_dorsal_ramus_before_the_plexus(packaged_anatomy):
    G = packaged_anatomy
    assert G.has_edge("R.spn.L5", "R.dramus.L5") and G.has_edge("R.dramus.L5", "R.muscle.multifidus.L5")
    root = neurograph.simulate(G, "right L5 ventral root").muscle("R.muscle.multifidus.L5")
    plexus = neurograph.simulate(G, "right lumbosacral trunk").muscle("R.muscle.multifidus.L5")
    assert root.mrc_grade < 5 and plexus.mrc_grade == 5


@pytest.mark.parametrize("name, kinds", [
    ("right C6 dorsal root", {"dorsal_root"}),
    ("right C6 dorsal root ganglion", {"dorsal_root_ganglion"}),
    ("right C6 root", {"dorsal_root", "ventral_root"}),
    ("right C6 ventral root", {"ventral_root"}),
    ("left VPL", {"sensory_tract"}),
    ("left S1 hand", {"sensory_cortex"}),
    ("right superficial radial nerve", {"afferent"}),
    ("right radial nerve at the spiral groove", {"nerve", "afferent"}),
])
def test_sensory_sites_resolve(packaged_anatomy, name, kinds):
    site = resolve_site(packaged_anatomy, name)
    assert {packaged_anatomy.nodes[node]["kind"] for node in site.nodes} == kinds


def test_dorsal_columns_at_a_level_take_both_sides_at_that_level_only(packaged_anatomy):
    G = packaged_anatomy
    nodes = resolve_site(G, "dorsal columns at C5").nodes
    assert {G.nodes[n]["segment"] for n in nodes} == {"C5"} and {G.nodes[n]["side"] for n in nodes} == {"L", "R"}
    assert {G.nodes[n]["station"] for n in nodes} == {"dorsal_column"}


def test_anterior_white_commissure_over_a_run(packaged_anatomy):
    G = packaged_anatomy
    nodes = resolve_site(G, "anterior white commissure over C4-C6").nodes
    assert {G.nodes[n]["segment"] for n in nodes} == {"C4", "C5", "C6"}
    assert {G.nodes[n]["station"] for n in nodes} == {"anterior_white_commissure"}


@pytest.mark.parametrize("bare, spelled", [
    ("anterior white commissure C4-C8", "anterior white commissure at C4-C8"),
    ("left dorsal columns C5", "left dorsal columns at C5"),
    ("lateral corticospinal tract T10", "lateral corticospinal tract at T10"),
])
def test_a_station_level_needs_no_connecting_word(packaged_anatomy, bare, spelled):
    assert resolve_site(packaged_anatomy, bare).nodes == resolve_site(packaged_anatomy, spelled).nodes


def test_a_cord_half_segment_holds_its_sensory_cord_nodes(packaged_anatomy):
    G = packaged_anatomy
    stations = {G.nodes[n].get("station") for n in resolve_site(G, "left half of T4").nodes}
    assert {"dorsal_column", "spinothalamic_tract", "lissauer_tract", "anterior_white_commissure"} <= stations


def test_one_sided_sensory_names_need_a_side(packaged_anatomy):
    for name in ("C6 dorsal root", "superficial radial nerve", "VPL"):
        with pytest.raises(AmbiguousSideError):
            resolve_site(packaged_anatomy, name)


def test_unknown_sensory_names_list_close_matches(packaged_anatomy):
    with pytest.raises(neurograph.UnknownNameError, match="superficial radial nerve"):
        resolve_site(packaged_anatomy, "right superficial radail nerve")


def test_dermatome_disputes_are_kept_as_data(packaged_anatomy):
    # Keegan and Garrett's map runs C6-C8 as bands to the dorsal midline; Grant finds the C6-C8
    # dorsal rami rarely reach the skin (both in dermatome_disputes.csv).
    disputes = neurograph.node_attributes(packaged_anatomy, "R.dramus.C7")["dermatome_disputed_by"]
    assert set(disputes) == {"Grant1962", "KeeganGarrett1948"}



# Properties: the validator catches a sensory edge removed and a crossing duplicated.

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from neurograph.validation import validate  # noqa: E402

#: Stations where fibres take one of two routes (Lissauer's tract up one or two segments), so
#: that one of their edges may go without leaving any skin cut off.
_REDUNDANT_STATIONS = ("lissauer_tract", "dorsal_horn", "anterior_white_commissure", "spinothalamic_tract")


def _essential_sensory_edges(G):
    """Right-side sensory edges on which some fibres depend alone: a cutaneous nerve's branch
    point, the ganglion edges, and the dorsal column, medullary and thalamocortical stations."""
    found = []
    for u, v, data in G.edges(data=True):
        if not u.startswith("R."):
            continue
        if data["kind"] == "sensory_axon" and (G.nodes[u].get("cutaneous") or G.nodes[v]["kind"] in ("dorsal_root_ganglion", "dorsal_root")):
            found.append((u, v))
        elif data["kind"] == "sensory_tract" and G.nodes[u].get("station") not in _REDUNDANT_STATIONS and G.nodes[v].get("station") not in _REDUNDANT_STATIONS[:3]:
            found.append((u, v))
    return sorted(found)


def _mirror(node):
    side, _, rest = node.partition(".")
    return f"{'L' if side == 'R' else 'R'}.{rest}"


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_validator_catches_a_sensory_edge_removed_on_both_sides(packaged_anatomy, data):
    G = packaged_anatomy.copy()
    u, v = data.draw(st.sampled_from(_essential_sensory_edges(packaged_anatomy)))
    G.remove_edge(u, v)
    G.remove_edge(_mirror(u), _mirror(v))
    rules = {violation.rule for violation in validate(G)}
    assert rules & {"sensory_unreachable", "missing_ascending_route", "reflex_arc"}, (u, v)


@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_validator_catches_a_crossing_duplicated(packaged_anatomy, data):
    G = packaged_anatomy.copy()
    edges = sorted(
        (u, v) for u, v, d in packaged_anatomy.edges(data=True)
        if d["kind"] == "sensory_tract" and packaged_anatomy.nodes[u]["kind"] == "sensory_tract"
        and packaged_anatomy.nodes[u]["laterality"] != "crossing" and packaged_anatomy.nodes[v]["kind"] == "sensory_tract"
    )
    u, v = data.draw(st.sampled_from(edges))
    G.add_edge(u, _mirror(v), kind="sensory_tract", reference="Gray42")
    G.add_edge(_mirror(u), v, kind="sensory_tract", reference="Gray42")
    assert "crossing" in {violation.rule for violation in validate(G)}, (u, v)
