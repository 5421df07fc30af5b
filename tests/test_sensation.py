"""Sensation in `simulate`: the textbook pictures, graded on the ISNCSCI 0/1/2 scale.

The expected grades come from the references, not from the engine: the cord syndromes and
nerve entrapments from ``data/sources/sensory/syndrome_findings.csv`` (each row cites its
source: ISNCSCI 2019; Ropper et al., Adams and Victor's Principles of Neurology, 11th edn,
2019; Blumenfeld, Neuroanatomy through Clinical Cases, 3rd edn, 2021; Preston and Shapiro,
Electromyography and Neuromuscular Disorders, 4th edn, 2020), the territories from
``territories.csv`` (Gray's Anatomy, 42nd edn), and the single root rule from Foerster 1933.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import neurograph
from neurograph.schema import MODALITIES, MODALITY_TRACTS, SEGMENTS, decode_segment_list

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources" / "sensory"


def rows(name, folder=SOURCES):
    with open(folder / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


EXPECTED = rows("syndrome_findings.csv")
TERRITORIES = rows("territories.csv")


def expected(syndrome):
    found = [row for row in EXPECTED if row["syndrome"] == syndrome]
    assert found, syndrome
    return found


def allowed(row):
    return {int(grade) for grade in row["expected"].split("|")}


def key_points(G, side):
    """Side's key points as (cord segment of the point, node), rostral first."""
    points = []
    for node, data in G.nodes(data=True):
        if data["kind"] == "skin" and data.get("isncsci_level") and data["side"] == side:
            points.append((SEGMENTS.index(decode_segment_list(data["segments"])[0]), node))
    return sorted(points)


#: How many segments up the pain and temperature fibres cross (rules.csv,
#: spinothalamic_crossing_segments: Blumenfeld 2021; Ropper 2019).
CROSSING_STEPS = [int(step) for row in rows("rules.csv") if row["rule"] == "spinothalamic_crossing_segments"
                  for step in row["value"].split("|")]


def crossing_within(at, first, last):
    """Whether every pain and temperature fibre entering at segment index ``at`` crosses in the
    run of segment indices ``first``-``last`` (a lesion of the commissure there takes them all)."""
    return all(first <= at - step <= last for step in CROSSING_STEPS)


def check_cord_syndrome(G, syndrome, lesion, segment, lesion_side="R", first=None):
    """Every expected finding of a cord syndrome at the key points it names; ``segment`` is the
    lesion's most caudal segment, ``first`` its most rostral (the same by default)."""
    result = neurograph.simulate(G, lesion)
    level = SEGMENTS.index(segment)
    top = SEGMENTS.index(first or segment)
    other = "L" if lesion_side == "R" else "R"
    checked = 0
    for row in expected(syndrome):
        sides = {"ipsilateral": [lesion_side], "contralateral": [other], "bilateral": ["L", "R"]}[row["side"]]
        for side in sides:
            for at, node in key_points(G, side):
                where = row["where"]
                assert where in ("at_level", "below_level", "below_crossing", "sacral", "lesion_segments"), where
                if where == "at_level" and at != level:
                    continue
                if where == "below_level" and at <= level:
                    continue
                # Pain and temperature fibres (and the touch they carry) climb one to two
                # segments in Lissauer's tract before crossing (rules.csv,
                # spinothalamic_crossing_segments: Blumenfeld 2021; Ropper 2019): those entering
                # within two segments below the lesion pass through it, so where the picture
                # spares them, the sparing starts beyond them (where it takes them, it takes
                # them from the first segment below).
                crossing_zone = at <= level + 2 and "spinothalamic" in MODALITY_TRACTS[row["modality"]]
                if where == "below_level" and crossing_zone and 0 not in allowed(row):
                    continue
                # Crossing one to two segments up: from two segments below, every fibre is cut.
                if where == "below_crossing" and at < level + 2:
                    continue
                if where == "sacral" and not node.endswith("S4-5"):
                    continue
                # The suspended loss of a central lesion lies in the dermatomes whose fibres
                # all cross in the lesion's segments.
                if where == "lesion_segments" and not crossing_within(at, top, level):
                    continue
                grade = result.sensory(node).grades[row["modality"]]
                assert grade in allowed(row), (syndrome, row, node, grade)
                checked += 1
    assert checked
    return result


def test_complete_transection_abolishes_every_modality_below_the_level_on_both_sides(packaged_anatomy):
    # ISNCSCI 2019; Ropper 2019: below a complete lesion nothing is felt, sacral segments included.
    result = check_cord_syndrome(packaged_anatomy, "complete_transection", "T6", "T6")
    for side in ("L", "R"):
        for at, node in key_points(packaged_anatomy, side):
            if at > SEGMENTS.index("T6"):
                assert set(result.sensory(node).grades.values()) == {0}, node
            if at < SEGMENTS.index("T6"):
                assert set(result.sensory(node).grades.values()) == {2}, node
    # The sensory level is the most caudal normal segment (ISNCSCI 2019).
    assert result.sensory_level("left") == result.sensory_level("R") == "T5"


@pytest.mark.parametrize("segment", ["C5", "T4", "L2"])
def test_brown_sequard_hemisection(packaged_anatomy, segment):
    # Ipsilateral dorsal column loss below; contralateral pain and temperature loss from one to
    # two segments below; an ipsilateral band of loss at the level (Ropper 2019; Blumenfeld 2021).
    result = check_cord_syndrome(packaged_anatomy, "brown_sequard", f"right half of {segment}", segment)
    level = SEGMENTS.index(segment)
    just_below = [node for at, node in key_points(packaged_anatomy, "L") if at == level + 1]
    for node in just_below:
        # Some of the fibres entering one segment below cross above the lesion, some at it.
        assert result.sensory(node).pin_prick in (0, 1)


def test_posterior_cord_syndrome_spares_pain_and_temperature(packaged_anatomy):
    # Vibration and joint position lost below, pain and temperature spared (Ropper 2019;
    # Blumenfeld 2021).
    check_cord_syndrome(packaged_anatomy, "posterior_cord", "dorsal columns at T8", "T8")


@pytest.mark.parametrize(("syndrome", "lesion"), [
    ("carpal_tunnel", "right median nerve at the carpal tunnel"),
    ("guyon_canal", "right ulnar nerve at Guyon's canal"),
])
def test_entrapment_at_the_wrist_spares_the_branches_that_leave_above_it(packaged_anatomy, syndrome, lesion):
    # Carpal tunnel: the palmar cutaneous branch leaves above the retinaculum, so the palm is
    # spared; Guyon's canal: the dorsal ulnar cutaneous branch leaves in the forearm, so the
    # dorsal ulnar hand is spared (Preston 2020).
    result = neurograph.simulate(packaged_anatomy, lesion)
    checked = 0
    for row in expected(syndrome):
        nerve = row["where"].removeprefix("territory:")
        for territory in TERRITORIES:
            if territory["nerve"] == nerve:
                grade = result.sensory(f"R.skin.{territory['place']}").grades[row["modality"]]
                assert grade in allowed(row), (row, territory["place"], grade)
                assert result.sensory(f"L.skin.{territory['place']}").grades[row["modality"]] == 2
                checked += 1
    assert checked >= 6


def test_a_single_root_lesion_impairs_its_key_point_and_does_not_abolish_it(packaged_anatomy):
    # Neighbouring dermatomes overlap: one root lesion impairs its dermatome; anaesthesia needs
    # consecutive roots lost (Foerster 1933; Grant 1962).
    one = neurograph.simulate(packaged_anatomy, "right C6 root")
    assert one.sensory("R.key_point.C6").light_touch == 1
    assert one.sensory("R.key_point.C6").pin_prick == 1
    assert one.sensory("L.key_point.C6").light_touch == 2
    assert one.sensory_level("right") == "C5"
    two = neurograph.simulate(packaged_anatomy, ["right C6 root", "right C7 root"])
    assert two.sensory("R.key_point.C6").pin_prick == 0


def test_a_dorsal_root_lesion_abolishes_its_reflex_with_full_power(packaged_anatomy):
    # The afferent limb of a stretch reflex runs through the dorsal root (Ropper 2019): cutting
    # the dorsal roots of the biceps jerk abolishes it, and no muscle weakens.
    G = packaged_anatomy
    segments = decode_segment_list(G.nodes["R.reflex.biceps_jerk"]["afferent_segments"])
    result = neurograph.simulate(G, [f"right {segment} dorsal root" for segment in segments])
    assert result.reflex("R.reflex.biceps_jerk").state == "absent"
    assert result.muscles == ()
    assert any(finding.pin_prick < 2 for finding in result.sensation)


def test_sensory_findings_are_frozen_tabular_and_printable(packaged_anatomy):
    result = neurograph.simulate(packaged_anatomy, "right superficial radial nerve")
    finding = result.sensation[0]
    with pytest.raises(AttributeError):
        finding.pin_prick = 2
    assert finding.to_dict()["place"] == finding.place
    assert set(MODALITIES) <= set(finding.to_dict())
    assert repr(finding).startswith("<SensoryFinding")
    rows = result.to_table().set_index("node")
    assert rows.loc[finding.place, "finding"] == "sensation"
    assert int(rows.loc[finding.place, "light_touch"]) == finding.light_touch
    assert result.to_dict()["sensation"][0]["place"] == finding.place
    assert "R.muscle.triceps_brachii" not in rows.index


# Properties. The sensory sites: every single node of the sensory system a lesion can take,
# besides the atlas sites (roots, plexus, nerves, cord segments, capsule...).
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from conftest import load_test_anatomy  # noqa: E402
from neurograph.resolve import Site  # noqa: E402
from neurograph.testing import strategies  # noqa: E402

PROPERTY_ANATOMY = load_test_anatomy()
SENSORY_NODES = sorted(
    node for node, data in PROPERTY_ANATOMY.nodes(data=True)
    if data["kind"] in ("afferent", "dorsal_root_ganglion", "dorsal_root", "sensory_tract", "sensory_cortex")
)


def node_sites(nodes):
    return st.builds(
        lambda node, severity: Site(node, node, frozenset({node}), severity),
        st.sampled_from(nodes), strategies.severities(partial=True),
    )


ANY_SITE = st.one_of(strategies.sites(PROPERTY_ANATOMY, partial=True), node_sites(SENSORY_NODES))


def sensory_grades_of(result):
    return {finding.place: finding.grades for finding in result.sensation}


@given(st.lists(ANY_SITE, min_size=1, max_size=2), ANY_SITE)
def test_a_larger_lesion_never_raises_a_sensory_grade(lesion, extra):
    before = sensory_grades_of(neurograph.simulate(PROPERTY_ANATOMY, lesion))
    after = sensory_grades_of(neurograph.simulate(PROPERTY_ANATOMY, [*lesion, extra]))
    assert set(before) <= set(after)
    for place, grades in before.items():
        for modality, grade in grades.items():
            assert after[place][modality] <= grade, (place, modality)


# Above the medullary decussation the dorsal column fibres run in the medial lemniscus of the
# other side (Blumenfeld 2021): a lesion there takes vibration and joint position of the
# opposite body only, and spares pain and temperature.
LEMNISCUS_NODES = sorted(
    node for node, data in PROPERTY_ANATOMY.nodes(data=True)
    if data["kind"] == "sensory_tract" and data.get("tract") == "dorsal_columns" and data["laterality"] == "contralateral"
)


@given(st.lists(node_sites(LEMNISCUS_NODES), min_size=1, max_size=3))
def test_a_lesion_above_the_decussation_gives_only_contralateral_dorsal_column_loss(lesion):
    sides = {PROPERTY_ANATOMY.nodes[node]["side"] for site in lesion for node in site.nodes}
    result = neurograph.simulate(PROPERTY_ANATOMY, lesion)
    assert result.sensation
    for finding in result.sensation:
        assert finding.side not in sides or len(sides) == 2
        assert finding.pin_prick == finding.temperature == 2
        assert finding.tracts_lost in ((), ("dorsal_columns",))
    if len(sides) == 1:
        assert {finding.side for finding in result.sensation} == {"L", "R"} - sides


# A cutaneous nerve's territory, from the source tables (territories.csv and the key points of
# key_point_nerves.csv: Gray's Anatomy 42nd edn; ISNCSCI 2019): the skin it serves, and the part
# no other nerve serves.
SERVED_BY = {}
for row in TERRITORIES:
    SERVED_BY.setdefault(f"skin.{row['place']}", set()).add(row["nerve"])
for row in rows("key_point_nerves.csv"):
    if row["site"] == "point":
        SERVED_BY.setdefault(row["point"], set()).add(row["nerve"])
CUTANEOUS_NERVES = sorted({nerve for nerves in SERVED_BY.values() for nerve in nerves})
# Nerves that carry one segment's fibres alone, never joined by another's: a dorsal ramus's or
# an intercostal nerve's branches (cutaneous_branches.csv). Their skin keeps the neighbouring
# segments' overlapping fibres (Sherrington 1893; Moore 2018: no anaesthesia from one
# intercostal nerve), except where a root alone leaves anaesthesia (C2: Foerster 1933).
_BRANCHES: dict[str, list[dict[str, str]]] = {}
for row in rows("cutaneous_branches.csv"):
    _BRANCHES.setdefault(row["nerve"], []).append(row)
ANAESTHESIA_EXCEPTIONS = {row["value"] for row in rows("rules.csv") if row["rule"] == "single_root_anaesthesia_exception"}
ONE_SEGMENT_NERVES = {
    nerve: found[0]["segments"] for nerve, found in _BRANCHES.items()
    if len(found) == 1 and len(decode_segment_list(found[0]["segments"])) == 1
    and found[0]["branch_of"].startswith(("dramus.", "intercostal.", "subcostal"))
}


@given(st.sampled_from(CUTANEOUS_NERVES), st.sampled_from(["L", "R"]))
def test_a_cutaneous_nerve_lesion_numbs_its_territory_only_and_its_exclusive_territory_whole(nerve, side):
    # Complete section of a purely sensory nerve: its own skin loses the fibres it brings, and
    # only that skin; where no other nerve reaches (its exclusive territory), nothing is felt
    # (Gray's Anatomy; Preston 2020), unless the nerve carries one segment alone, whose skin the
    # neighbouring segments overlap (ONE_SEGMENT_NERVES).
    result = neurograph.simulate(PROPERTY_ANATOMY, [Site(nerve, nerve, frozenset({f"{side}.aff.{nerve}"}), 1.0)])
    territory = {f"{side}.{place}" for place, nerves in SERVED_BY.items() if nerve in nerves}
    exclusive = {f"{side}.{place}" for place, nerves in SERVED_BY.items() if nerves == {nerve}}
    altered = {finding.place for finding in result.sensation}
    assert altered <= territory, altered - territory
    assert territory <= altered, territory - altered
    overlapped = nerve in ONE_SEGMENT_NERVES and ONE_SEGMENT_NERVES[nerve] not in ANAESTHESIA_EXCEPTIONS
    for place in exclusive:
        assert set(result.sensory(place).grades.values()) == ({1} if overlapped else {0}), place
    assert result.muscles == ()


def _below(rows_, start):
    """``start`` and every node the peripheral edges lead to from it (peripheral_edges.csv)."""
    following = {}
    for row in rows_:
        following.setdefault(row["source_node"], []).append(row["target_node"])
    found, frontier = {start}, [start]
    while frontier:
        for node in following.get(frontier.pop(), ()):
            if node not in found:
                found.add(node)
                frontier.append(node)
    return found


PERIPHERAL_EDGES = rows("peripheral_edges.csv", SOURCES.parent)
NERVE_POINTS = sorted(row["node"] for row in rows("peripheral_nodes.csv", SOURCES.parent) if row["kind"] == "nerve")
# A branch point the peripheral tables lack is taken at the node above it (SENSORY_TABLES.md).
BRANCH_POINT = {row["node"]: row["after"] for row in rows("proposed_nodes.csv")}


@given(st.sampled_from(NERVE_POINTS), st.sampled_from(["L", "R"]))
def test_a_nerve_lesion_numbs_only_the_skin_of_the_cutaneous_branches_leaving_at_or_below_it(point, side):
    # A lesion of a nerve at one point of its course spares the skin of the branches that leave
    # above it (Preston 2020; the branch points of cutaneous_branches.csv, Gray's Anatomy).
    below = _below(PERIPHERAL_EDGES, point)
    nerves = {row["nerve"] for row in rows("cutaneous_branches.csv") if BRANCH_POINT.get(row["branch_of"], row["branch_of"]) in below}
    territory = {f"{side}.{place}" for place, serving in SERVED_BY.items() if serving & nerves}
    site = Site(point, point, frozenset({f"{side}.{point}", f"{side}.aff.{point}"}), 1.0)
    altered = {finding.place for finding in neurograph.simulate(PROPERTY_ANATOMY, [site]).sensation}
    assert altered <= territory, altered - territory


@pytest.mark.parametrize("segment", SEGMENTS[SEGMENTS.index("C4"):SEGMENTS.index("S1") + 1])
def test_a_complete_cord_lesion_is_ais_a_with_the_neurological_level_one_segment_above(packaged_anatomy, segment):
    # ISNCSCI 2019: nothing felt or moved below a complete lesion, the sacral segments
    # included (AIS A); the neurological level is the most rostral of the sensory and motor
    # levels, here the segment above the lesion.
    from neurograph.isncsci import classify

    result = classify(neurograph.simulate(packaged_anatomy, f"{segment} cord segment").isncsci())
    above = SEGMENTS[SEGMENTS.index(segment) - 1]
    assert (result.neurological_level, result.ais) == (above, "A")
    assert result.right_sensory == result.left_sensory == above


@pytest.mark.parametrize(("change", "message"), [
    (lambda rules: rules.pop("single_root_lesion_grade"), "sensory rule 'single_root_lesion_grade' is missing"),
    (lambda rules: rules["grade_absent"].update(value="none"), "sensory rule 'grade_absent' is 'none', not a whole number"),
])
def test_a_graph_with_broken_sensory_rules_is_refused_by_name(packaged_anatomy, change, message):
    import json

    from neurograph.errors import InvalidAnatomyError

    G = packaged_anatomy.copy()
    rules = json.loads(G.graph["sensory_rules"])
    change(rules)
    G.graph["sensory_rules"] = json.dumps(rules)
    with pytest.raises(InvalidAnatomyError, match=message):
        neurograph.simulate(G, "right C6 root")


@pytest.mark.parametrize(("preset", "syndrome", "segment", "side"), [
    ("brown_sequard", "brown_sequard", "T10", "left"),
    ("anterior_cord", "anterior_cord", "T6", None),
    ("posterior_cord", "posterior_cord", "T6", None),
])
def test_cord_presets_give_the_textbook_sensory_picture(packaged_anatomy, preset, syndrome, segment, side):
    # syndrome_findings.csv: Brown-Sequard (Ropper 2019; Blumenfeld 2021), anterior cord
    # syndrome sparing the dorsal columns (ISNCSCI 2019; Blumenfeld 2021), posterior cord
    # syndrome (Ropper 2019; Blumenfeld 2021). The level is the most caudal lesioned segment.
    parameters = {"level": segment, "side": side} if side else {}
    sites = neurograph.preset_lesion(packaged_anatomy, preset, **parameters)
    check_cord_syndrome(packaged_anatomy, syndrome, sites, segment, lesion_side="L" if side == "left" else "R")


def test_the_anterior_cord_preset_keeps_its_motor_picture(packaged_anatomy):
    # The dorsal columns it now spares carry no motor fibres: the motor signs are those of a
    # transection of the same segments (Ropper 2019).
    sites = neurograph.preset_lesion(packaged_anatomy, "anterior_cord")
    transection = neurograph.simulate(packaged_anatomy, "T4-T6")
    assert neurograph.simulate(packaged_anatomy, sites).deficits == transection.deficits


def test_the_cauda_equina_preset_takes_the_saddle_and_the_root_dermatomes(packaged_anatomy):
    # Cauda equina syndrome: saddle anaesthesia (S3-S5) with loss in the dermatomes of the roots
    # taken (Ropper 2019; ISNCSCI 2019); the grades allowed are the table's.
    sites = neurograph.preset_lesion(packaged_anatomy, "cauda_equina")
    result = neurograph.simulate(packaged_anatomy, sites)
    roots = {(packaged_anatomy.nodes[node]["side"], packaged_anatomy.nodes[node]["segment"])
             for site in sites for node in site.nodes}
    checked = 0
    for row in expected("cauda_equina"):
        for side in ("L", "R"):
            for at, node in key_points(packaged_anatomy, side):
                segment = SEGMENTS[at]
                in_saddle = segment in ("S3", "S4", "S5")
                if (row["where"] == "saddle" and in_saddle) or (row["where"] == "root_dermatomes" and (side, segment) in roots):
                    assert result.sensory(node).grades[row["modality"]] in allowed(row), (row, node)
                    checked += 1
    assert checked
    assert result.sensory("L.key_point.L1").pin_prick == 2  # above the roots taken


@pytest.mark.parametrize(("preset", "syndrome"), [
    ("carpal_tunnel", "carpal_tunnel"), ("guyon_canal", "guyon_canal"), ("meralgia_paresthetica", "meralgia_paresthetica"),
])
def test_nerve_presets_give_the_textbook_territories(packaged_anatomy, preset, syndrome):
    # Preston 2020 (syndrome_findings.csv): the territory of the nerve below the lesion is
    # numb, the branches that leave above it are spared; the other side is normal.
    result = neurograph.simulate(packaged_anatomy, neurograph.preset_lesion(packaged_anatomy, preset, side="right"))
    checked = 0
    for row in expected(syndrome):
        nerve = row["where"].removeprefix("territory:")
        for territory in TERRITORIES:
            if territory["nerve"] == nerve:
                assert result.sensory(f"R.skin.{territory['place']}").grades[row["modality"]] in allowed(row), row
                assert result.sensory(f"L.skin.{territory['place']}").grades[row["modality"]] == 2
                checked += 1
    assert checked


def test_the_thalamic_stroke_preset_numbs_the_opposite_half_of_the_body(packaged_anatomy):
    # Pure sensory stroke (Fisher 1965; Blumenfeld 2021): contralateral hemibody, every
    # modality impaired or lost, the ipsilateral side normal, no weakness.
    result = neurograph.simulate(packaged_anatomy, neurograph.preset_lesion(packaged_anatomy, "thalamic_sensory_stroke"))
    for row in expected("thalamic_sensory_stroke"):
        side = "R" if row["side"] == "contralateral" else "L"
        for _, node in key_points(packaged_anatomy, side):
            assert result.sensory(node).grades[row["modality"]] in allowed(row), (row, node)
    assert result.muscles == ()


# The cord syndromes in full, from their presets.


def test_brown_sequard_takes_the_band_at_the_level_and_crossed_pain_from_one_to_two_segments_below(packaged_anatomy):
    # Brown-Sequard syndrome (Ropper 2019; Blumenfeld 2021): on the side of the lesion, every
    # modality is lost in a band at the level and vibration and joint position below it, with
    # weakness below; on the other side pain and temperature are lost from one to two segments
    # below the level (the fibres cross after rising one to two segments), vibration and joint
    # position kept and strength full.
    G = packaged_anatomy
    level = SEGMENTS.index("T8")
    result = check_cord_syndrome(G, "brown_sequard", neurograph.preset_lesion(G, "brown_sequard", level="T8", side="right"), "T8")
    assert set(result.sensory("R.key_point.T8").grades.values()) == {0}
    assert result.sensory("L.key_point.T8").pin_prick == 2
    assert result.sensory("L.key_point.T9").pin_prick in (0, 1)
    for at, node in key_points(G, "L"):
        if at >= level + 2:
            assert result.sensory(node).pin_prick == result.sensory(node).temperature == 0, node
        if at > level:
            assert result.sensory(node).vibration == 2, node
    assert result.sensory_level("left") in ("T7", "T8")
    assert result.muscles and {finding.side for finding in result.muscles} == {"R"}


def test_anterior_cord_syndrome_spares_the_dorsal_columns_and_weakens_both_legs(packaged_anatomy):
    # Anterior spinal artery syndrome (ISNCSCI 2019; Blumenfeld 2021): paraplegia and loss of
    # pain and temperature below the level on both sides, vibration and joint position kept.
    G = packaged_anatomy
    result = neurograph.simulate(G, neurograph.preset_lesion(G, "anterior_cord", levels="T8-T10"))
    for side in ("left", "right"):
        assert result.muscle(f"{side} tibialis anterior").mrc_grade == 0
        point = result.sensory(f"{side} L4 key point")
        assert (point.pin_prick, point.temperature, point.vibration, point.joint_position) == (0, 0, 2, 2)
        assert point.light_touch == 1  # still carried by the dorsal columns


def test_posterior_cord_syndrome_takes_vibration_and_joint_position_below_and_spares_strength(packaged_anatomy):
    # Posterior cord syndrome (Ropper 2019; Blumenfeld 2021): vibration and joint position lost
    # below the lesion on both sides, pain, temperature and strength kept.
    G = packaged_anatomy
    sites = neurograph.preset_lesion(G, "posterior_cord", levels="C5-C6")
    result = check_cord_syndrome(G, "posterior_cord", sites, "C6", first="C5")
    assert result.muscles == ()
    # The sensory level needs light touch normal as well as pin prick (ISNCSCI 2019): light
    # touch is impaired from C5 down, so it is C4 on both sides though pin prick is normal.
    assert result.sensory_level("left") == result.sensory_level("right") == "C4"
    assert all(finding.state == "normal" or finding.state in ("present", "flexor") for finding in result.reflexes)
    for side in ("L", "R"):
        for at, node in key_points(G, side):
            grades = result.sensory(node).grades
            # The fibres entering in the lesion's segments join the dorsal columns there.
            below = at >= SEGMENTS.index("C5")
            assert (grades["vibration"], grades["joint_position"]) == ((0, 0) if below else (2, 2)), node
            assert grades["pin_prick"] == grades["temperature"] == 2, node


def test_syringomyelia_gives_a_suspended_cape_of_dissociated_loss(packaged_anatomy):
    # A cervical syrinx (Ropper 2019; Blumenfeld 2021): pain and temperature lost over the
    # shoulders and arms, in the dermatomes whose fibres cross at the syrinx's segments, touch,
    # vibration and joint position kept there; normal above and below (suspended), the sacral
    # segments included; weakness and lost reflexes of the arms, no long tract sign.
    G = packaged_anatomy
    sites = neurograph.preset_lesion(G, "syringomyelia", levels="C4-T1")
    result = check_cord_syndrome(G, "syringomyelia", sites, "T1", first="C4")
    cape = [level for level in ("C5", "C6", "C7", "C8", "T1", "T2", "T3")
            if result.sensory(f"R.key_point.{level}").pin_prick == 0]
    # Arms and upper chest: the dermatomes C6 to T2 (C4-T1 crossings, one to two segments up).
    assert cape == ["C6", "C7", "C8", "T1", "T2"]
    for side in ("left", "right"):
        for level in ("C3", "T6", "L4", "S1", "S4-5"):
            assert set(result.sensory(f"{side} {level} key point").grades.values()) == {2}, (side, level)
        assert result.reflex(f"{side} biceps reflex").state in ("reduced", "absent")
        assert result.reflex(f"{side} plantar response").state == "flexor"
        assert result.muscle(f"{side} tibialis anterior") is None or result.muscle(f"{side} tibialis anterior").mrc_grade == 5
    assert not any(finding.tone == "spastic" for finding in result.muscles)


def test_central_cord_syndrome_takes_pain_at_its_level_and_spares_sacral_sensation(packaged_anatomy):
    # Acute central cervical cord injury (Schneider 1954; ISNCSCI 2019): pain and temperature
    # impaired or lost in the dermatomes whose fibres cross in the injured segments, sacral
    # sensation spared.
    G = packaged_anatomy
    sites = neurograph.preset_lesion(G, "central_cord", levels="C4-C6")
    result = check_cord_syndrome(G, "central_cord", sites, "C6", first="C4")
    assert result.sensory("R.key_point.C6").pin_prick == 0
    assert result.sensory("R.key_point.C6").vibration == 2


def test_conus_gives_a_symmetric_saddle_and_spares_the_legs(packaged_anatomy):
    # Conus medullaris syndrome (Ropper 2019; ISNCSCI 2019): saddle anaesthesia, symmetric on
    # both sides; the lumbar and first sacral dermatomes of the legs are spared.
    G = packaged_anatomy
    result = neurograph.simulate(G, neurograph.preset_lesion(G, "conus_medullaris"))
    for row in expected("conus_medullaris"):
        for side in ("L", "R"):
            for level in ("S3", "S4-5"):
                assert result.sensory(f"{side}.key_point.{level}").grades[row["modality"]] in allowed(row)
    for level in ("L2", "L3", "L4", "L5", "S1"):
        assert set(result.sensory(f"R.key_point.{level}").grades.values()) == {2}, level
    for (_, left), (_, right) in zip(key_points(G, "L"), key_points(G, "R")):
        assert result.sensory(left).grades == result.sensory(right).grades


def test_cauda_equina_gives_a_saddle_with_asymmetric_radicular_loss(packaged_anatomy):
    # Cauda equina syndrome (Ropper 2019; ISNCSCI 2019): saddle anaesthesia or hypaesthesia
    # with loss in the dermatomes of the roots taken, usually asymmetric, unlike the conus.
    G = packaged_anatomy
    result = neurograph.simulate(G, neurograph.preset_lesion(G, "cauda_equina", levels="L4-S5", side="left"))
    for row in expected("cauda_equina"):
        for side in ("L", "R"):
            for level in ("S3", "S4-5"):
                if row["where"] == "saddle":
                    assert result.sensory(f"{side}.key_point.{level}").grades[row["modality"]] in allowed(row)
        if row["where"] == "root_dermatomes":
            for level in ("L4", "L5", "S1"):
                assert result.sensory(f"L.key_point.{level}").grades[row["modality"]] in allowed(row)
    for level in ("L4", "L5", "S1"):
        assert result.sensory(f"R.key_point.{level}").pin_prick == 2
    assert result.sensory("L.key_point.L3").pin_prick == 2
    assert not any(finding.tone == "spastic" for finding in result.muscles)


def test_an_anatomy_without_skin_simulates_its_motor_signs_and_grades_no_sensation(packaged_anatomy):
    # Sensation is graded only where the anatomy has skin: the motor half of the engine works on
    # an anatomy whose skin was removed (as the sensation benchmark's baseline uses it).
    bare = packaged_anatomy.copy()
    bare.remove_nodes_from([node for node, data in packaged_anatomy.nodes(data=True) if data["kind"] == "skin"])
    result = neurograph.simulate(bare, "right C7 root")
    assert result.sensation == () and result.sensory_levels == ()
    assert result.muscle("right triceps").deficit == neurograph.simulate(packaged_anatomy, "right C7 root").muscle("right triceps").deficit
