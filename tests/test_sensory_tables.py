"""The sensory source tables (data/sources/sensory/): complete, cited and consistent with the motor tables.

The tables are not yet built into the graph; these checks keep them ready for the build: every
row parses and cites a known reference, every name they use is declared once, and every
cutaneous nerve hangs on a nerve point that carries its segments. See
data/sources/SENSORY_TABLES.md for the columns.
"""

from collections import defaultdict

import pytest

from neurograph.schema import SEGMENTS, parse_segments, segment_index
from source_tables import SOURCES, read, keys, items

SENSORY = SOURCES / "sensory"

#: The columns of every sensory table, as SENSORY_TABLES.md documents them.
COLUMNS = {
    "key_points.csv": ("point", "level", "segments", "label", "alternative", "aliases", "body_region", "view", "source"),
    "key_point_nerves.csv": ("point", "site", "nerve", "source"),
    "skin_places.csv": ("place", "label", "aliases", "body_region", "view", "source"),
    "cutaneous_nerves.csv": ("nerve", "label", "aliases", "source"),
    "cutaneous_branches.csv": ("nerve", "branch_of", "segments", "source"),
    "territories.csv": ("nerve", "place", "source"),
    "territory_variation.csv": ("subject", "aspect", "value", "share", "specimens", "note", "source"),
    "proposed_nodes.csv": ("node", "kind", "nerve", "label", "aliases", "after", "before", "segments", "source"),
    "dermatome_disputes.csv": ("place", "segment", "claim", "reference", "reported_in", "note"),
    "dorsal_roots.csv": ("segment", "dorsal_root", "ganglion_site", "ramus_cutaneous", "source"),
    "paraspinal_muscles.csv": (
        "muscle", "label", "aliases", "segment", "dorsal_ramus_branch", "body_region", "cortical_area", "action", "source",
    ),
    "modalities.csv": ("modality", "label", "aliases", "isncsci_tested", "source"),
    "modality_tracts.csv": ("modality", "tract", "source"),
    "pathway_stations.csv": ("tract", "order", "station", "label", "aliases", "level", "laterality", "neuron", "source"),
    "tract_lamination.csv": ("tract", "cord_region", "order_from_midline", "source"),
    "pathway_disputes.csv": ("topic", "claim", "model", "reference", "note"),
    "dorsal_column_fasciculi.csv": ("fasciculus", "label", "aliases", "first_segment", "last_segment", "source"),
    "somatosensory_areas.csv": ("area", "label", "aliases", "homunculus_order", "source"),
    "rules.csv": ("rule", "value", "source"),
    "syndromes.csv": ("syndrome", "label", "aliases", "lesion_kind", "lesion", "source"),
    "syndrome_findings.csv": ("syndrome", "side", "where", "modality", "expected", "source"),
    "body_region_areas.csv": ("body_region", "area", "source"),
}

#: Columns that may be left empty; every other column must hold a value.
OPTIONAL = {
    "key_points.csv": {"alternative"},
    "skin_places.csv": {"aliases"},
    "cutaneous_nerves.csv": {"aliases"},
    "territory_variation.csv": {"share", "specimens"},
    "dermatome_disputes.csv": {"reported_in"},
    "syndromes.csv": {"aliases"},
}

#: Columns holding reference keys (`;`-separated).
CITING = ("source", "reference", "reported_in")

#: The ISNCSCI key sensory levels, rostral to caudal (S4-5 is one level).
ISNCSCI_LEVELS = tuple(SEGMENTS[SEGMENTS.index("C2"):SEGMENTS.index("S3") + 1]) + ("S4-5",)

BODY_REGIONS = {
    "head", "neck", "shoulder", "arm", "forearm", "hand", "thorax", "abdomen", "back", "hip", "thigh", "knee",
    "leg", "ankle", "foot", "perineum",
}
GRADES = {"0", "1", "2"}
SIDES = {"ipsilateral", "contralateral", "bilateral"}
FINDING_PLACES = {
    "at_level", "below_level", "below_crossing", "lesion_segments", "sacral", "saddle", "root_dermatomes", "hemibody",
}
CORD_PARTS = {"hemicord", "anterior_two_thirds", "central_grey_and_commissure", "dorsal_columns", "whole_cord"}



def table(name):
    return read(SENSORY / name)[1]




@pytest.fixture(scope="module")
def references():
    return {row["key"] for row in read(SOURCES / "references.csv")[1]}


@pytest.fixture(scope="module")
def peripheral_nodes():
    return {row["node"] for row in read(SOURCES / "peripheral_nodes.csv")[1]}


@pytest.fixture(scope="module")
def carried():
    """Segments each existing nerve point carries: the union over the edges that reach it."""
    segments = defaultdict(set)
    for row in read(SOURCES / "peripheral_edges.csv")[1]:
        segments[row["target_node"]].update(parse_segments(row["segments"]))
    return segments


@pytest.fixture(scope="module")
def dorsal_rami():
    return {f"dramus.{row['segment']}": row for row in table("dorsal_roots.csv")}


@pytest.fixture(scope="module")
def branch_points(peripheral_nodes, dorsal_rami, carried):
    """Every node a cutaneous nerve may leave from, with the segments it carries."""
    points = {node: carried[node] for node in peripheral_nodes}
    points.update({node: {row["segment"]} for node, row in dorsal_rami.items()})
    points.update({row["node"]: set(parse_segments(row["segments"])) for row in table("proposed_nodes.csv")})
    return points


@pytest.fixture(scope="module")
def nerve_segments():
    segments = defaultdict(set)
    for row in table("cutaneous_branches.csv"):
        segments[row["nerve"]].update(parse_segments(row["segments"]))
    return segments


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_table_parses_with_its_documented_columns_and_no_blank_required_field(name):
    fieldnames, rows = read(SENSORY / name)
    assert tuple(fieldnames) == COLUMNS[name]
    assert rows, f"{name} is empty"
    required = set(COLUMNS[name]) - OPTIONAL.get(name, set())
    for line, row in enumerate(rows, start=2):
        assert None not in row, f"{name}:{line}: more fields than columns"
        blank = sorted(column for column in required if not (row[column] or "").strip())
        assert not blank, f"{name}:{line}: empty {', '.join(blank)}"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_table_has_no_duplicate_rows(name):
    rows = [tuple(row.values()) for row in table(name)]
    assert len(rows) == len(set(rows))


def test_every_table_in_the_folder_is_documented():
    assert {path.name for path in SENSORY.glob("*.csv")} == set(COLUMNS)


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_cites_known_references(name, references):
    for line, row in enumerate(table(name), start=2):
        cited = [key for column in CITING if column in row for key in keys(row[column])]
        assert cited, f"{name}:{line}: no reference"
        unknown = sorted(set(cited) - references)
        assert not unknown, f"{name}:{line}: unknown reference key(s) {', '.join(unknown)}"


def test_new_references_keep_the_reference_table_format():
    fieldnames, rows = read(SOURCES / "references.csv")
    assert fieldnames == ["key", "priority", "citation"]
    assert len({row["key"] for row in rows}) == len(rows)
    priorities = [int(row["priority"]) for row in rows]
    assert sorted(priorities) == list(range(1, len(rows) + 1))


# ISNCSCI 2019: 28 key sensory points per side, C2 to S4-5, one per level.
def test_there_are_28_key_points_one_per_isncsci_level_in_order():
    rows = table("key_points.csv")
    assert len(rows) == 28
    assert tuple(row["level"] for row in rows) == ISNCSCI_LEVELS
    assert len({row["point"] for row in rows}) == 28


def test_key_point_segments_match_their_level():
    for row in table("key_points.csv"):
        expected = ("S4", "S5") if row["level"] == "S4-5" else (row["level"],)
        assert parse_segments(row["segments"]) == expected, row["point"]


def test_key_points_answer_to_dermatome_and_key_point_names():
    for row in table("key_points.csv"):
        aliases = set(items(row["aliases"]))
        assert {f"dermatome {row['level']}", f"{row['level']} key point"} <= aliases, row["point"]


def test_key_point_nerves_are_cutaneous_nerves_carrying_the_points_segment(nerve_segments):
    points = {row["point"]: set(parse_segments(row["segments"])) for row in table("key_points.csv")}
    alternatives = {row["point"] for row in table("key_points.csv") if row["alternative"]}
    supplied = set()
    for row in table("key_point_nerves.csv"):
        assert row["point"] in points, row
        assert row["nerve"] in nerve_segments, row
        assert row["site"] in {"point", "alternative"}, row
        if row["site"] == "alternative":
            assert row["point"] in alternatives, f"{row['point']} has no alternative site"
        # A nerve can only carry a dermatome's sensation if it carries that segment's fibres.
        assert points[row["point"]] & nerve_segments[row["nerve"]], row
        supplied.add(row["point"])
    assert supplied == set(points), f"key points with no nerve: {sorted(set(points) - supplied)}"


def test_body_regions_are_from_the_vocabulary():
    for name in ("key_points.csv", "skin_places.csv", "paraspinal_muscles.csv"):
        for row in table(name):
            assert row["body_region"] in BODY_REGIONS, (name, row)


def test_every_branch_point_is_an_existing_or_proposed_node(branch_points):
    for row in table("cutaneous_branches.csv"):
        assert row["branch_of"] in branch_points, f"{row['nerve']}: unknown branch point {row['branch_of']!r}"


def test_cutaneous_nerve_segments_are_carried_by_the_node_it_leaves(branch_points):
    for row in table("cutaneous_branches.csv"):
        segments = set(parse_segments(row["segments"]))
        missing = segments - branch_points[row["branch_of"]]
        assert not missing, f"{row['nerve']}: {row['branch_of']} does not carry {sorted(missing, key=segment_index)}"


def test_every_cutaneous_nerve_has_a_branch_point_and_a_territory():
    nerves = {row["nerve"] for row in table("cutaneous_nerves.csv")}
    assert len(nerves) == len(table("cutaneous_nerves.csv"))
    assert {row["nerve"] for row in table("cutaneous_branches.csv")} == nerves
    assert {row["nerve"] for row in table("territories.csv")} == nerves


def test_a_nerve_with_several_branch_points_takes_different_segments_from_each():
    seen = defaultdict(set)
    for row in table("cutaneous_branches.csv"):
        segments = set(parse_segments(row["segments"]))
        assert not seen[row["nerve"]] & segments, row
        seen[row["nerve"]] |= segments


def test_territories_name_declared_places():
    places = {row["place"] for row in table("skin_places.csv")}
    assert len(places) == len(table("skin_places.csv"))
    for row in table("territories.csv"):
        assert row["place"] in places, row


# The branch points that decide the clinical picture (Gray's; Preston and Shapiro).
@pytest.mark.parametrize(
    "nerve, branch_of",
    [
        ("median_palmar_cutaneous", "median.forearm"),  # leaves above the carpal tunnel: palm spared in CTS
        ("dorsal_ulnar_cutaneous", "ulnar.forearm"),  # leaves above Guyon's canal: dorsal hand spared
        ("ulnar_palmar_cutaneous", "ulnar.forearm"),
        ("superficial_radial", "radial.above_elbow"),  # spared by a posterior interosseous lesion
        ("posterior_cutaneous_arm", "radial.axilla"),  # spared by a spiral groove lesion
        ("medial_antebrachial_cutaneous", "bp.medial_cord"),
        ("medial_brachial_cutaneous", "bp.medial_cord"),
        ("upper_lateral_cutaneous_arm", "axillary"),
        ("lateral_femoral_cutaneous", "lumbar_plexus"),
        ("deep_fibular_cutaneous", "deep_fibular"),
        ("posterior_femoral_cutaneous", "sacral_plexus"),
    ],
)
def test_clinically_decisive_branch_points(nerve, branch_of):
    assert (nerve, branch_of) in {(row["nerve"], row["branch_of"]) for row in table("cutaneous_branches.csv")}


def test_first_web_space_of_the_foot_is_deep_fibular_territory_only():
    # Gray's: the deep fibular nerve's only skin is the first web space; the superficial fibular spares it.
    owners = {row["nerve"] for row in table("territories.csv") if row["place"] == "first_web_space_of_foot"}
    assert owners == {"deep_fibular_cutaneous"}


def test_proposed_nodes_sit_on_an_existing_edge_and_carry_what_they_pass_on(peripheral_nodes, carried):
    edges = {(row["source_node"], row["target_node"]) for row in read(SOURCES / "peripheral_edges.csv")[1]}
    for row in table("proposed_nodes.csv"):
        assert row["node"] not in peripheral_nodes, f"{row['node']} already exists"
        assert (row["after"], row["before"]) in edges, f"{row['node']}: no edge {row['after']} -> {row['before']}"
        segments = set(parse_segments(row["segments"]))
        assert segments <= carried[row["after"]], row["node"]
        assert carried[row["before"]] <= segments, f"{row['node']} does not carry all that {row['before']} needs"


def test_dorsal_roots_cover_every_cord_segment_in_order():
    rows = table("dorsal_roots.csv")
    assert tuple(row["segment"] for row in rows) == SEGMENTS
    assert tuple(row["segment"] for row in rows) == tuple(row["segment"] for row in read(SOURCES / "segments.csv")[1])
    for row in rows:
        assert row["dorsal_root"] in {"present", "inconstant"}, row
        assert row["ramus_cutaneous"] in {"yes", "no", "inconstant"}, row


def test_dorsal_rami_with_skin_have_a_cutaneous_nerve_and_those_without_have_none(dorsal_rami):
    used = {row["branch_of"] for row in table("cutaneous_branches.csv") if row["branch_of"] in dorsal_rami}
    for node, row in dorsal_rami.items():
        if row["ramus_cutaneous"] == "yes":
            assert node in used, f"{node} supplies skin but no cutaneous nerve leaves it"
        if row["ramus_cutaneous"] == "no":
            assert node not in used, f"{node} has no cutaneous branch"


def test_paraspinal_muscles_hang_on_dorsal_rami_with_known_branches():
    areas = {row["area"] for row in read(SOURCES / "cortical_areas.csv")[1]}
    muscles = [row["muscle"] for row in table("paraspinal_muscles.csv")]
    assert len(muscles) == len(set(muscles))
    for row in table("paraspinal_muscles.csv"):
        assert row["segment"] in SEGMENTS, row
        assert row["muscle"].endswith("." + row["segment"]), row
        assert set(items(row["dorsal_ramus_branch"])) <= {"medial", "lateral", "intermediate"}, row
        assert row["cortical_area"] in areas, row


def test_lumbar_multifidus_is_segmental_on_the_medial_branch():
    # Bogduk et al. 1982: each lumbar medial branch supplies the multifidus fascicles of its own segment.
    lumbar = {row["segment"]: row for row in table("paraspinal_muscles.csv") if row["muscle"].startswith("multifidus.L")}
    assert sorted(lumbar, key=segment_index) == ["L1", "L2", "L3", "L4", "L5"]
    assert {row["dorsal_ramus_branch"] for row in lumbar.values()} == {"medial"}


def test_territory_variation_refers_to_known_structures_and_shares():
    nerves = {row["nerve"] for row in table("cutaneous_nerves.csv")}
    places = {row["place"] for row in table("skin_places.csv")}
    subjects = nerves | {f"{structure}.{segment}" for structure in ("droot", "drg", "dramus") for segment in SEGMENTS}
    nodes = {row["node"] for row in read(SOURCES / "peripheral_nodes.csv")[1]}
    shares = defaultdict(float)
    for row in table("territory_variation.csv"):
        assert row["subject"] in subjects, row
        if row["share"]:
            assert 0 < float(row["share"]) <= 1, row
        if row["specimens"]:
            assert int(row["specimens"]) > 0, row
        if row["aspect"] == "origin":
            assert row["value"] in nodes, row
        if row["aspect"] in ("territory_includes", "territory_excludes"):
            assert row["value"] in places, row
        if row["aspect"] in ("exit_type", "count"):
            shares[(row["subject"], row["aspect"], row["source"])] += float(row["share"])
    for key, total in shares.items():
        # The types of one study partition its specimens (rounded percentages).
        assert total == pytest.approx(1.0, abs=0.011), key


def test_dermatome_disputes_name_places_and_each_dispute_has_two_sides():
    places = {row["place"] for row in table("skin_places.csv")}
    claims = defaultdict(set)
    for row in table("dermatome_disputes.csv"):
        assert row["place"] in places, row
        assert row["segment"] in SEGMENTS, row
        assert row["claim"] in {"includes", "excludes", "disputed"}, row
        claims[(row["place"], row["segment"])].add((row["reference"], row["claim"]))
    for key, found in claims.items():
        sides = {claim for _, claim in found}
        assert "disputed" in sides or sides == {"includes", "excludes"}, f"{key}: no disagreement recorded"


def test_modalities_and_tracts_come_from_the_declared_vocabulary():
    modalities = {row["modality"] for row in table("modalities.csv")}
    tracts = {row["tract"] for row in table("pathway_stations.csv")}
    assert modalities == {"light_touch", "pin_prick", "temperature", "vibration", "joint_position"}
    assert tracts == {"dorsal_columns", "spinothalamic"}
    carried_by = defaultdict(set)
    for row in table("modality_tracts.csv"):
        assert row["modality"] in modalities and row["tract"] in tracts, row
        carried_by[row["modality"]].add(row["tract"])
    assert set(carried_by) == modalities
    for row in table("syndrome_findings.csv"):
        assert row["modality"] in modalities, row


def test_light_touch_travels_in_both_systems_and_the_others_in_one():
    # Blumenfeld: touch is carried by the dorsal columns and the anterolateral system alike, so it
    # is impaired, not lost, when one is cut; pain and temperature travel only in the
    # spinothalamic tract, vibration and position only in the dorsal columns.
    carried_by = defaultdict(set)
    for row in table("modality_tracts.csv"):
        carried_by[row["modality"]].add(row["tract"])
    assert carried_by["light_touch"] == {"dorsal_columns", "spinothalamic"}
    assert carried_by["pin_prick"] == carried_by["temperature"] == {"spinothalamic"}
    assert carried_by["vibration"] == carried_by["joint_position"] == {"dorsal_columns"}
    assert len(table("modalities.csv")) == len({row["modality"] for row in table("modalities.csv")})


def test_each_tract_is_an_ordered_chain_that_crosses_once():
    by_tract = defaultdict(list)
    for row in table("pathway_stations.csv"):
        assert row["laterality"] in {"ipsilateral", "crossing", "contralateral"}, row
        assert row["neuron"] in {"1", "2", "3"}, row
        by_tract[row["tract"]].append(row)
    for tract, rows in by_tract.items():
        rows.sort(key=lambda row: int(row["order"]))
        assert [int(row["order"]) for row in rows] == list(range(1, len(rows) + 1)), tract
        sides = [row["laterality"] for row in rows]
        crossing = sides.index("crossing")
        assert sides.count("crossing") == 1, tract
        assert set(sides[:crossing]) == {"ipsilateral"} and set(sides[crossing + 1:]) == {"contralateral"}, tract
        neurons = [int(row["neuron"]) for row in rows]
        assert neurons == sorted(neurons), f"{tract}: neuron order goes back"
        assert rows[0]["station"] == "dorsal_root_ganglion" and rows[-1]["station"] == "somatosensory_cortex"


def test_dorsal_columns_cross_in_the_medulla_and_spinothalamic_fibres_in_the_cord():
    crossing = {row["tract"]: row for row in table("pathway_stations.csv") if row["laterality"] == "crossing"}
    assert (crossing["dorsal_columns"]["station"], crossing["dorsal_columns"]["level"]) == ("internal_arcuate_fibres", "medulla")
    assert (crossing["spinothalamic"]["station"], crossing["spinothalamic"]["level"]) == ("anterior_white_commissure", "spinal_cord")


def test_both_tracts_share_the_thalamocortical_stations():
    chains = defaultdict(list)
    for row in sorted(table("pathway_stations.csv"), key=lambda row: int(row["order"])):
        chains[row["tract"]].append(row["station"])
    tail = chains["dorsal_columns"][chains["dorsal_columns"].index("vpl_thalamus"):]
    assert chains["spinothalamic"][-len(tail):] == tail
    labels = defaultdict(set)
    for row in table("pathway_stations.csv"):
        labels[row["station"]].add((row["label"], row["aliases"]))
    assert all(len(found) == 1 for found in labels.values()), "a shared station is described twice differently"


def test_lamination_orders_every_cord_region_once_per_tract():
    regions = {row["cord_region"] for row in read(SOURCES / "segments.csv")[1]} - {"coccygeal"}
    by_tract = defaultdict(dict)
    for row in table("tract_lamination.csv"):
        by_tract[row["tract"]][row["cord_region"]] = int(row["order_from_midline"])
    for tract, orders in by_tract.items():
        assert set(orders) == regions, tract
        assert sorted(orders.values()) == list(range(1, len(regions) + 1)), tract


def test_sacral_fibres_lie_outermost_in_the_spinothalamic_tract_and_innermost_in_the_dorsal_columns():
    # Blumenfeld; Gray's: the outermost (sacral) spinothalamic fibres escape a central lesion (sacral
    # sparing); dorsal column fibres are added laterally as they enter.
    orders = defaultdict(dict)
    for row in table("tract_lamination.csv"):
        orders[row["tract"]][row["cord_region"]] = int(row["order_from_midline"])
    assert max(orders["spinothalamic"], key=orders["spinothalamic"].get) == "sacral"
    assert min(orders["dorsal_columns"], key=orders["dorsal_columns"].get) == "sacral"


def test_dorsal_column_fasciculi_divide_the_cord_without_gap_or_overlap():
    rows = sorted(table("dorsal_column_fasciculi.csv"), key=lambda row: segment_index(row["first_segment"]))
    covered = [segment for row in rows for segment in parse_segments(f"{row['first_segment']}-{row['last_segment']}")]
    assert tuple(covered) == SEGMENTS


def test_somatosensory_areas_match_the_motor_areas():
    motor = {row["area"] for row in read(SOURCES / "cortical_areas.csv")[1]}
    rows = table("somatosensory_areas.csv")
    assert {row["area"] for row in rows} == motor
    assert sorted(int(row["homunculus_order"]) for row in rows) == list(range(1, len(motor) + 1))


def test_rules_are_unique_and_grades_use_the_isncsci_scale():
    rules = {}
    for row in table("rules.csv"):
        assert row["rule"] not in rules, row
        rules[row["rule"]] = row["value"]
    assert {rules["grade_absent"], rules["grade_altered"], rules["grade_normal"]} == GRADES
    assert rules["single_root_lesion_grade"] == rules["grade_altered"]
    assert rules["light_touch_one_tract_lost"] == rules["grade_altered"]
    assert rules["light_touch_both_tracts_lost"] == rules["grade_absent"]
    assert all(int(value) > 0 for value in items(rules["spinothalamic_crossing_segments"]))


def test_syndromes_name_real_lesion_sites():
    regions = {row["region"] for row in read(SOURCES / "regions.csv")[1]}
    nodes = {row["node"] for row in read(SOURCES / "peripheral_nodes.csv")[1]}
    nerves = {row["nerve"] for row in table("cutaneous_nerves.csv")}
    stations = {row["station"] for row in table("pathway_stations.csv")}
    known = {"cord_part": CORD_PARTS, "region": regions, "node": nodes, "cutaneous_nerve": nerves, "station": stations}
    for row in table("syndromes.csv"):
        assert row["lesion"] in known[row["lesion_kind"]], row


def test_syndrome_findings_are_well_formed_and_every_syndrome_has_them():
    syndromes = {row["syndrome"] for row in table("syndromes.csv")}
    nerves = {row["nerve"] for row in table("cutaneous_nerves.csv")}
    places = {row["place"] for row in table("skin_places.csv")}
    found = set()
    for row in table("syndrome_findings.csv"):
        assert row["syndrome"] in syndromes, row
        assert row["side"] in SIDES, row
        kind, _, name = row["where"].partition(":")
        assert (
            row["where"] in FINDING_PLACES or (kind == "territory" and name in nerves) or (kind == "place" and name in places)
        ), row
        assert set(items(row["expected"])) <= GRADES and items(row["expected"]), row
        found.add(row["syndrome"])
    assert found == syndromes


def test_syndrome_findings_do_not_contradict_themselves():
    seen = {}
    for row in table("syndrome_findings.csv"):
        key = (row["syndrome"], row["side"], row["where"], row["modality"])
        assert key not in seen, f"{key} given twice: {seen.get(key)} and {row['expected']}"
        seen[key] = row["expected"]


def test_carpal_tunnel_and_guyon_pictures_follow_the_branch_points():
    # The palm is spared in carpal tunnel syndrome and the dorsal hand at Guyon's canal because those
    # branches leave above the lesion (Preston and Shapiro); the findings must agree with the branch table.
    branch_of = {row["nerve"]: row["branch_of"] for row in table("cutaneous_branches.csv")}
    chain = {"median.carpal_tunnel": ("median.arm", "median.elbow", "median.forearm"),
             "ulnar.guyon": ("ulnar.arm", "ulnar.elbow", "ulnar.forearm")}
    lesions = {row["syndrome"]: row["lesion"] for row in table("syndromes.csv")}
    for row in table("syndrome_findings.csv"):
        lesion = lesions[row["syndrome"]]
        if lesion not in chain or not row["where"].startswith("territory:"):
            continue
        nerve = row["where"].split(":", 1)[1]
        spared = branch_of[nerve] in chain[lesion]
        assert (row["expected"] == "2") == spared, row


def test_names_are_unique_across_the_sensory_vocabulary():
    """A name clinicians type must resolve to one thing (labels and aliases, case-insensitive)."""
    owners = defaultdict(set)
    for name, key in (("key_points.csv", "point"), ("skin_places.csv", "place"), ("cutaneous_nerves.csv", "nerve"),
                      ("modalities.csv", "modality"), ("syndromes.csv", "syndrome"), ("paraspinal_muscles.csv", "muscle")):
        for row in table(name):
            for text in [row["label"], *items(row["aliases"])]:
                owners[text.casefold()].add((name, row[key]))
    for row in read(SOURCES / "peripheral_nodes.csv")[1]:
        for text in [row["label"], *items(row["aliases"])]:
            owners[text.casefold()].add(("peripheral_nodes.csv", row["node"]))
    clashes = {text: sorted(found) for text, found in owners.items() if len(found) > 1}
    assert not clashes
