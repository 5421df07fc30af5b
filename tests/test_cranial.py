"""The cranial motor system built into the graph, and the cranial signs of lesions.

The textbook pictures are those of data/sources/cranial/syndrome_findings.csv, each row with its
citation (Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn; Brazis2011:
*Localization in Clinical Neurology*, 6th edn; Ropper2019: *Adams and Victor's Principles of
Neurology*, 11th edn; Gray42: *Gray's Anatomy*, 42nd edn; Warwick1953). They are checked
against what :func:`neurograph.cranial_signs` and :func:`neurograph.simulate` predict for each
syndrome's lesion, put on the left.
"""

from collections import defaultdict

import networkx as nx
import pytest
from hypothesis import given, strategies as st
from source_tables import SOURCES, items, read

import neurograph
from conftest import load_test_anatomy
from neurograph.cranial import cranial_signs, cranial_table
from neurograph.errors import AmbiguousSideError, UnknownNameError
from neurograph.presets import preset_lesion
from neurograph.resolve import resolve_site
from neurograph.validation import validate

CRANIAL = SOURCES / "cranial"


def rows(name):
    return read(CRANIAL / name)[1]


SYNDROMES = {row["syndrome"]: row for row in rows("syndromes.csv")}
FINDINGS = defaultdict(list)
for _row in rows("syndrome_findings.csv"):
    FINDINGS[_row["syndrome"]].append(_row)
REGION_LABELS = {row["region"]: row["label"] for row in rows("brainstem_regions.csv")}
REGION_LABELS.update((row["pathway"], row["label"]) for row in rows("gaze_pathways.csv"))


def syndrome_lesion(G, syndrome):
    """The syndrome's lesion (syndromes.csv), on the left for a one-sided one."""
    row = SYNDROMES[syndrome]
    sides = ("L", "R") if row["laterality"] == "bilateral" else ("L",)
    kind, names = row["lesion_kind"], items(row["lesion"])
    if kind == "disease":
        # A disease of the motor neurons is no site of the graph: its preset puts partial
        # losses of both neurons where the disease takes them.
        return preset_lesion(G, syndrome)
    if kind in ("region", "gaze_pathway"):
        label = REGION_LABELS[names[0]]
        return [resolve_site(G, label if row["laterality"] == "bilateral" else f"left {label}")]
    if kind == "corticobulbar_station":
        return [f"{side}.cbt.{names[0]}.{area}" for side in sides for area in CHANNEL_AREAS(G) if f"{side}.cbt.{names[0]}.{area}" in G]
    if kind == "cortical_area":
        return [f"{side}.m1.{name}" for side in sides for name in names]
    return [f"{side}.{name}" for side in sides for name in names]


def CHANNEL_AREAS(G):
    return sorted({data["area"] for _, data in G.nodes(data=True) if data["kind"] == "corticobulbar_tract"})


def muscle_meets(finding, aspect, expected):
    if aspect == "power":
        return {
            "lmn_weakness": finding.deficit in ("LMN", "mixed") and finding.mrc_grade < 5,
            "umn_weakness": finding.deficit == "UMN" and finding.mrc_grade < 5,
            # An eye muscle whose gaze drive is cut: weak on that movement, its nucleus and nerve
            # intact, and no tone or bulk to report (Blumenfeld2021; Kandel2021).
            "gaze_weakness": finding.deficit == "UMN" and finding.mrc_grade < 5 and finding.body_region == "eye"
            and finding.tone == "not_assessable" and not finding.atrophy,
            "normal": finding.deficit == "normal",
        }[expected]
    if aspect == "bulk":
        return finding.atrophy == (expected == "wasting")
    if aspect == "fasciculation":
        return finding.fasciculations == (expected == "present")
    raise AssertionError(aspect)


def limbs_meet(result, side, expected):
    """The arm and leg of one side: UMN weakness (arm and leg muscles weak, none LMN) or normal."""
    limbs = [f for f in result.muscles if f.side == side and f.body_region in ("arm", "hand", "forearm", "leg", "thigh", "foot", "shoulder", "hip")]
    if expected == "normal":
        return not [f for f in limbs if f.deficit != "normal"]
    if expected == "umn_weakness":
        weak = [f for f in limbs if f.deficit == "UMN" and f.mrc_grade < 5]
        return weak and {f.body_region for f in weak} & {"arm", "hand", "forearm"} and {f.body_region for f in weak} & {"leg", "thigh", "foot"}
    raise AssertionError(expected)


CASES = [(syndrome, row) for syndrome in SYNDROMES for row in FINDINGS[syndrome]]


@pytest.mark.parametrize(
    "syndrome, row", CASES, ids=[f"{s}-{r['side']}-{r['target']}-{r['aspect']}" for s, r in CASES]
)
def test_each_syndrome_gives_its_textbook_picture(packaged_anatomy, syndrome, row):
    """Every expected finding of every syndrome (syndrome_findings.csv, cited per row)."""
    G = packaged_anatomy
    lesion = syndrome_lesion(G, syndrome)
    sides = {"ipsilateral": ("L",), "contralateral": ("R",), "bilateral": ("L", "R")}[row["side"]]
    allowed = items(row["expected"])
    for side in sides:
        if row["target_kind"] == "limbs":
            result = neurograph.simulate(G, lesion, sensation=False)
            assert any(limbs_meet(result, side, expected) for expected in allowed), (syndrome, row, side)
        elif row["target_kind"] in ("face", "body"):
            # Sensation: a face place, or every ISNCSCI key point of that side (Blumenfeld2021; Brazis2011).
            result = neurograph.simulate(G, lesion)
            places = [f"{side}.skin.{row['target']}"] if row["target_kind"] == "face" else [
                node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level") and data["side"] == side
            ]
            for place in places:
                assert str(result.sensory(place).grades[row["aspect"]]) in allowed, (row, place)
        elif row["target_kind"] == "muscle":
            finding = cranial_signs(G, lesion).muscle(f"{side}.muscle.{row['target']}")
            assert any(muscle_meets(finding, row["aspect"], expected) for expected in allowed), (row, finding)
        else:
            state = cranial_signs(G, lesion).reflex(f"{side}.reflex.{row['target']}").state
            assert state in allowed, (row, state)


def test_every_syndrome_is_checked():
    assert {syndrome for syndrome, _ in CASES} == set(SYNDROMES)


def test_als_with_bulbar_onset_mixes_upper_and_lower_motor_neuron_signs(packaged_anatomy):
    """Bulbar-onset ALS (Ropper2019; Brazis2011): a wasted, fasciculating tongue beside a brisk
    jaw jerk and spastic limbs with brisk reflexes and extensor plantars; LMN signs in the hands."""
    G = packaged_anatomy
    result = neurograph.simulate(G, preset_lesion(G, "als_bulbar_onset"))
    tongue = result.muscle("left genioglossus")
    assert (tongue.deficit, tongue.atrophy, tongue.fasciculations) == ("LMN", True, True)
    assert result.reflex("left jaw jerk").state == result.reflex("right jaw jerk").state == "brisk"
    assert result.muscle("right deltoid").deficit == "UMN" and result.reflex("right plantar response").state == "extensor"
    assert result.muscle("right first dorsal interosseous").deficit in ("LMN", "mixed")
    assert result.muscle("right first dorsal interosseous").atrophy


# -- Presets ------------------------------------------------------------------------------


def test_capsular_stroke_gives_a_hemiparesis_with_lower_face_weakness_and_the_forehead_spared(packaged_anatomy):
    """Capsular stroke (Ropper2019; Blumenfeld2021): contralateral UMN hemiparesis with a
    contralateral central facial palsy: the lower face weak, the forehead strong."""
    G = packaged_anatomy
    sites = preset_lesion(G, "capsular_stroke", side="left")
    limbs = neurograph.simulate(G, sites, sensation=False)
    assert limbs_meet(limbs, "R", "umn_weakness") and limbs_meet(limbs, "L", "normal")
    face = cranial_signs(G, sites)
    assert face.muscle("right orbicularis oris").deficit == "UMN"
    assert face.muscle("right buccinator").deficit == "UMN"
    assert face.muscle("right frontalis").deficit == "normal"
    assert face.muscle("left orbicularis oris").deficit == "normal"
    # Bilateral supply: jaw closure and palate are spared by a one-sided lesion (Blumenfeld2021; Brazis2011).
    assert face.muscle("right masseter").deficit == face.muscle("right levator veli palatini").deficit == "normal"


def test_the_posterior_limb_alone_spares_the_face(packaged_anatomy):
    """The corticobulbar fibres run in the genu, in front of the posterior limb (Gray42)."""
    face = cranial_signs(packaged_anatomy, "left internal capsule")
    assert not [f for f in face.muscles if f.body_region.startswith("face")]


@pytest.mark.parametrize("level, stapedius", [
    ("facial nerve at the stylomastoid foramen", "normal"),
    ("facial nerve in the lower mastoid segment (above the stylomastoid foramen)", "normal"),
    ("facial nerve in the upper mastoid segment (at the pyramidal eminence)", "LMN"),
    ("facial nerve at the geniculate ganglion", "LMN"),
    ("facial nerve at the cerebellopontine angle", "LMN"),
])
def test_a_facial_nerve_lesion_weakens_the_whole_face_and_stapedius_by_level(packaged_anatomy, level, stapedius):
    """Bell's palsy: the whole hemiface LMN, forehead included (Blumenfeld2021; Ropper2019); the
    nerve to stapedius leaves at the pyramidal eminence, above the stylomastoid foramen (Gray42)."""
    signs = cranial_signs(packaged_anatomy, f"right {level}")
    for muscle in ("frontalis", "orbicularis oculi", "orbicularis oris", "buccinator", "platysma"):
        assert signs.muscle(f"right {muscle}").deficit == "LMN"
        assert signs.muscle(f"left {muscle}").deficit == "normal"
    assert signs.muscle("right stapedius").deficit == stapedius
    assert signs.reflex("right corneal reflex").state in ("reduced", "absent")


def test_the_chorda_tympani_leaves_between_the_upper_mastoid_segment_and_the_foramen(packaged_anatomy):
    """The chorda tympani leaves the facial nerve a few millimetres above the stylomastoid foramen
    (Gray42; Kullman1971): a lesion in the lower mastoid segment takes it, one at the foramen does not."""
    G = packaged_anatomy
    below = nx.descendants(G, "R.facial.mastoid_segment_lower")
    assert "R.chorda_tympani" in below
    assert "R.chorda_tympani" not in nx.descendants(G, "R.facial.stylomastoid_foramen")
    assert "R.nerve_to_stapedius" not in below


def test_a_facial_nucleus_or_fascicle_lesion_weakens_the_whole_face_and_a_genu_lesion_the_opposite_lower_face(packaged_anatomy):
    """LMN: whole ipsilateral face; UMN: contralateral lower face (Blumenfeld2021; Brazis2011)."""
    nuclear = cranial_signs(packaged_anatomy, "left facial nucleus")
    assert {nuclear.muscle(f"left {m}").deficit for m in ("frontalis", "orbicularis oculi", "orbicularis oris")} == {"LMN"}
    assert nuclear.muscle("left frontalis").fasciculations  # chronic, at the cell bodies
    central = cranial_signs(packaged_anatomy, "left genu of the internal capsule")
    assert central.muscle("right orbicularis oris").deficit == "UMN" and central.muscle("right frontalis").deficit == "normal"
    assert central.muscle("right orbicularis oris").tone == "spastic"


def test_a_trochlear_nucleus_lesion_weakens_the_opposite_superior_oblique_and_a_nerve_lesion_its_own(packaged_anatomy):
    """The trochlear fibres cross in the superior medullary velum (Gray42; Blumenfeld2021)."""
    nuclear = cranial_signs(packaged_anatomy, preset_lesion(packaged_anatomy, "fourth_nerve_nuclear_palsy", side="left"))
    assert nuclear.muscle("right superior oblique").deficit == "LMN"
    assert nuclear.muscle("left superior oblique").deficit == "normal"
    nerve = cranial_signs(packaged_anatomy, "left trochlear nerve around the midbrain")
    assert nerve.muscle("left superior oblique").deficit == "LMN"
    assert nerve.muscle("right superior oblique").deficit == "normal"


def test_eye_muscles_are_never_weakened_from_above_the_nuclei(packaged_anatomy):
    """Eye movements reach the ocular motor nuclei through the gaze centres, not corticobulbar
    fibres (Blumenfeld2021; Kandel2021): a capsular or peduncular lesion leaves them strong."""
    signs = cranial_signs(packaged_anatomy, ["bilateral genu of the internal capsule", "bilateral cerebral peduncle"])
    eye = [f for f in signs.muscles if f.body_region == "eye" and "levator" not in f.label]
    assert not eye


def test_the_levator_has_a_cortical_route_from_both_hemispheres(packaged_anatomy):
    """Lid elevation is driven from both hemispheres (Averbuch-Heller et al. 2002: ptosis after
    hemisphere strokes, often bilateral; Warwick1953: one central caudal nucleus for both lids):
    lesions above the midbrain of both sides lower both lids (UMN), one side's leaves them up, and
    the locked-in lesion below the oculomotor nucleus spares them (Blumenfeld2021)."""
    G = packaged_anatomy
    both = cranial_signs(G, "bilateral genu of the internal capsule")
    assert both.muscle("left levator palpebrae superioris").deficit == both.muscle("right levator palpebrae superioris").deficit == "UMN"
    one = cranial_signs(G, "left genu of the internal capsule")
    assert one.muscle("right levator palpebrae superioris").deficit == one.muscle("left levator palpebrae superioris").deficit == "normal"
    locked_in = cranial_signs(G, preset_lesion(G, "locked_in"))
    assert locked_in.muscle("left levator palpebrae superioris").deficit == "normal"


def test_the_levator_is_driven_from_the_eyelid_area(packaged_anatomy):
    """Penfield and Boldrey's homunculus (Penfield1950) has an eyelid and eyeball area between the
    brow and the face: losing it on both sides lowers both lids; losing the brow areas does not."""
    G = packaged_anatomy
    eyelid = cranial_signs(G, ["L.m1.eyelid", "R.m1.eyelid"])
    brow = cranial_signs(G, ["L.m1.brow", "R.m1.brow"])
    assert eyelid.muscle("left levator palpebrae superioris").deficit == "UMN"
    assert brow.muscle("left levator palpebrae superioris").deficit == "normal"


def test_a_mainly_one_sided_supply_leaves_a_mild_weakness(packaged_anatomy):
    """The lower face opposite a capsular lesion is weak but not paralysed: a stroke's central
    facial palsy is generally incomplete and mild, the other hemisphere still driving the lower
    face (Yildiz2005); a bilateral lesion paralyses it (pseudobulbar palsy: Ropper2019)."""
    G = packaged_anatomy
    one = cranial_signs(G, "left genu of the internal capsule").muscle("right orbicularis oris")
    both = cranial_signs(G, "bilateral genu of the internal capsule").muscle("right orbicularis oris")
    assert one.deficit == "UMN" and one.mrc_grade == 4
    assert both.deficit == "UMN" and both.mrc_grade < one.mrc_grade


def test_a_medial_medullary_lesion_weakens_the_opposite_sternocleidomastoid(packaged_anatomy):
    """Mastaglia et al. 1986: after a medullary lesion head turning towards the lesion is weak (the
    opposite sternocleidomastoid), after a hemisphere or upper brainstem lesion turning away from it
    (the sternocleidomastoid of the lesion's side)."""
    G = packaged_anatomy
    medulla = cranial_signs(G, "left medial medulla")
    assert medulla.muscle("right sternocleidomastoid").deficit == "UMN"
    assert medulla.muscle("left sternocleidomastoid").deficit == "normal"
    for higher in ("left genu of the internal capsule", "left ventral pons", "left ventral midbrain"):
        signs = cranial_signs(G, higher)
        assert signs.muscle("left sternocleidomastoid").deficit == "UMN", higher
        assert signs.muscle("right sternocleidomastoid").deficit == "normal", higher


def test_the_sternocleidomastoid_dispute_shows_both_views(packaged_anatomy):
    """Which hemisphere drives sternocleidomastoid is disputed: mainly the same one (Odergren1996,
    DeToledo1998, Mastaglia1986: used) or both (Thompson1997). A capsular lesion weakens the SCM
    of its own side in the used view and neither in the other."""
    signs = cranial_signs(packaged_anatomy, "left genu of the internal capsule")
    assert signs.muscle("left sternocleidomastoid").deficit == "UMN"
    assert signs.muscle("right sternocleidomastoid").deficit == "normal"
    views = {(v.supply, v.used): v for v in signs.views if v.muscle == "L.muscle.sternocleidomastoid"}
    assert views[("mainly_ipsilateral", True)].deficit == "UMN"
    bilateral = views[("bilateral", False)]
    assert bilateral.deficit == "normal" and bilateral.references == ("Thompson1997",)
    assert signs.muscle("right trapezius").deficit == "UMN"  # crossed supply of the upper trapezius (Blumenfeld2021)


def test_jaw_jerk_is_brisk_only_with_supranuclear_loss_of_both_sides(packaged_anatomy):
    """The jaw jerk is brisk in pseudobulbar palsy (bilateral supranuclear loss), normal after a
    one-sided lesion (bilateral supply), reduced or lost when its arc is cut (Blumenfeld2021; Ropper2019)."""
    G = packaged_anatomy
    assert cranial_signs(G, preset_lesion(G, "pseudobulbar_palsy")).reflex("left jaw jerk").state == "brisk"
    assert cranial_signs(G, preset_lesion(G, "pseudobulbar_palsy"), phase="acute").reflex("left jaw jerk").state == "normal"
    assert cranial_signs(G, "left genu of the internal capsule").reflex("right jaw jerk").state == "normal"
    # Its afferents run in the masseteric nerve (reflex_limbs.csv: Blumenfeld2021; Gray42); temporalis is one of two muscles.
    assert cranial_signs(G, "left masseteric nerve").reflex("left jaw jerk").state == "absent"
    assert cranial_signs(G, "left deep temporal nerves").reflex("left jaw jerk").state == "reduced"
    assert cranial_signs(G, "left mandibular nerve at the foramen ovale").reflex("left jaw jerk").state == "absent"


def test_bulbar_and_pseudobulbar_palsy_differ_as_lower_and_upper_motor_neuron_pictures(packaged_anatomy):
    """Bulbar palsy: wasted fasciculating tongue, gag lost; pseudobulbar: spastic tongue without
    wasting, brisk jaw jerk (Ropper2019; Blumenfeld2021)."""
    G = packaged_anatomy
    bulbar = cranial_signs(G, preset_lesion(G, "bulbar_palsy"))
    pseudo = cranial_signs(G, preset_lesion(G, "pseudobulbar_palsy"))
    tongue_b, tongue_p = bulbar.muscle("left genioglossus"), pseudo.muscle("left genioglossus")
    assert (tongue_b.deficit, tongue_b.atrophy, tongue_b.fasciculations, tongue_b.tone) == ("LMN", True, True, "flaccid")
    assert (tongue_p.deficit, tongue_p.atrophy, tongue_p.fasciculations, tongue_p.tone) == ("UMN", False, False, "spastic")
    assert bulbar.reflex("left gag reflex").state == "absent"
    assert pseudo.reflex("left jaw jerk").state == "brisk" and bulbar.reflex("left jaw jerk").state == "normal"


@pytest.mark.parametrize("preset, ipsilateral_lmn", [
    ("weber", {"levator palpebrae superioris", "superior rectus", "medial rectus", "inferior rectus", "inferior oblique"}),
    ("millard_gubler", {"frontalis", "orbicularis oris", "lateral rectus"}),
    ("medial_medullary", {"genioglossus"}),
])
def test_crossed_brainstem_syndromes_give_ipsilateral_lmn_and_contralateral_hemiparesis(packaged_anatomy, preset, ipsilateral_lmn):
    """Weber, Millard-Gubler and medial medullary syndromes (Blumenfeld2021; Brazis2011): the
    cranial nerve of the lesion's side LMN, the opposite arm and leg UMN."""
    G = packaged_anatomy
    sites = preset_lesion(G, preset, side="left")
    signs = cranial_signs(G, sites)
    for muscle in ipsilateral_lmn:
        assert signs.muscle(f"left {muscle}").deficit == "LMN"
    limbs = neurograph.simulate(G, sites, sensation=False)
    assert limbs_meet(limbs, "R", "umn_weakness") and limbs_meet(limbs, "L", "normal")


def test_accessory_nerve_in_the_posterior_triangle_spares_sternocleidomastoid(packaged_anatomy):
    """The SCM branch leaves above the posterior triangle (Gray42; Blumenfeld2021)."""
    signs = cranial_signs(packaged_anatomy, preset_lesion(packaged_anatomy, "accessory_posterior_triangle", side="left"))
    assert signs.muscle("left trapezius").deficit == "LMN"
    assert signs.muscle("left sternocleidomastoid").deficit == "normal"


def test_the_recurrent_laryngeal_nerves_leave_at_their_own_levels(packaged_anatomy):
    """The left recurrent laryngeal nerve hooks under the aortic arch, the right under the
    subclavian artery (Gray42): a lesion of the vagus in the upper thorax weakens the left vocal
    fold and not the right."""
    G = packaged_anatomy
    left = cranial_signs(G, "left vagus nerve in the upper thorax")
    right = cranial_signs(G, "right vagus nerve in the upper thorax")
    assert left.muscle("left posterior cricoarytenoid").deficit == "LMN"
    assert right.muscle("right posterior cricoarytenoid").deficit == "normal"


# -- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, nodes", [
    ("facial nerve at the stylomastoid foramen, left", {"L.facial.stylomastoid_foramen"}),
    ("left stylomastoid foramen", {"L.facial.stylomastoid_foramen"}),
    ("left CN VII", None),
    ("CN 7, left", None),
    ("left cranial nerve VII", None),
])
def test_cranial_structures_resolve_by_their_clinical_names(packaged_anatomy, name, nodes):
    site = resolve_site(packaged_anatomy, name)
    if nodes is not None:
        assert site.nodes == nodes
    else:
        found = {packaged_anatomy.nodes[n]["cranial_nerve"] for n in site.nodes}
        assert found == {"VII"} and {n[0] for n in site.nodes} == {"L"}
        assert {"L.facial.stylomastoid_foramen", "L.nerve_to_stapedius", "L.chorda_tympani"} <= site.nodes


def test_ventral_pons_names_the_region_and_not_the_station(packaged_anatomy):
    """'ventral pons' is the region (basis pontis with the facial and abducens fascicles); the
    basis pontis station keeps its own names."""
    G = packaged_anatomy
    region = resolve_site(G, "right ventral pons").nodes
    station = resolve_site(G, "right basis pontis").nodes
    assert {"R.facial.fascicle", "R.abducens.fascicle"} <= region
    assert station < region
    with pytest.raises(AmbiguousSideError):
        resolve_site(G, "ventral pons")
    assert resolve_site(G, "bilateral ventral pons").label.startswith("basis pontis (both sides)")


def test_unknown_cranial_names_list_the_closest(packaged_anatomy):
    with pytest.raises(UnknownNameError) as error:
        resolve_site(packaged_anatomy, "left stylomastoid foramne")
    assert "stylomastoid foramen" in str(error.value)


# -- The graph ------------------------------------------------------------------------------

LEVELS = {row["nucleus"]: (row["level_from"], row["level_to"]) for row in rows("nuclei.csv")}
POOLS = {row["muscle"]: row["nucleus"] for row in rows("motor_pools.csv")}


def test_every_cranial_muscle_lmn_route_starts_at_its_nucleus_at_the_tables_level(packaged_anatomy):
    """Each cranial muscle's LMN routes start at the nucleus motor_pools.csv gives, lying at the
    levels nuclei.csv gives (Gray42; Blumenfeld2021), and end at the muscle."""
    G = packaged_anatomy
    table = cranial_table(G)
    assert len(table.muscles) == 2 * len(POOLS)
    for node, muscle in table.muscles.items():
        name = node.split(".", 2)[2]
        routes = [route for _, lmn, _ in muscle.pools for route in lmn]
        assert routes, node
        for route in routes:
            start = G.nodes[route[0]]
            assert start["kind"] == "cranial_nucleus" and route[0].partition(".")[2] == POOLS[name]
            assert (start["level_from"], start["level_to"]) == LEVELS[POOLS[name]]
            assert route[-1] == node


@given(st.data())
def test_a_cranial_nerve_lesion_never_gives_upper_motor_neuron_signs(data):
    """Nerve points and nuclei: only LMN signs, save the medial rectus opposite a lesioned
    abducens nucleus, which loses the drive of its internuclear neurons (horizontal gaze;
    Blumenfeld2021; Kandel2021) without losing a motor neuron."""
    G = load_test_anatomy()
    points = sorted(n for n, d in G.nodes(data=True) if d["kind"] in ("cranial_nerve", "cranial_nucleus"))
    chosen = data.draw(st.lists(st.sampled_from(points), min_size=1, max_size=4, unique=True))
    severity = data.draw(st.sampled_from([0.5, 1.0]))
    signs = cranial_signs(G, [(node, severity) for node in chosen])
    gaze = {f"{'R' if node[0] == 'L' else 'L'}.muscle.medial_rectus" for node in chosen if node.endswith(".nucleus.abducens")}
    assert all(f.deficit == "LMN" or (f.muscle in gaze and f.deficit in ("UMN", "mixed")) for f in signs.muscles)
    assert all(not f.atrophy or f.deficit != "UMN" for f in signs.muscles)
    assert all(r.state in ("normal", "reduced", "absent") for r in signs.reflexes)


@given(st.data())
def test_a_lesion_of_nerve_points_alone_never_gives_upper_motor_neuron_signs(data):
    G = load_test_anatomy()
    points = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "cranial_nerve")
    chosen = data.draw(st.lists(st.sampled_from(points), min_size=1, max_size=4, unique=True))
    signs = cranial_signs(G, [(node, data.draw(st.sampled_from([0.5, 1.0]))) for node in chosen])
    assert all(f.deficit == "LMN" for f in signs.muscles)


@given(st.data())
def test_a_lesion_above_the_nuclei_never_gives_lower_motor_neuron_signs(data):
    G = load_test_anatomy()
    above = sorted(n for n, d in G.nodes(data=True) if d["kind"] in ("cortical_area", "corticobulbar_tract", "tract") and not d.get("segment"))
    chosen = data.draw(st.lists(st.sampled_from(above), min_size=1, max_size=6, unique=True))
    signs = cranial_signs(G, chosen)
    assert all(f.deficit == "UMN" and not f.atrophy for f in signs.muscles)
    assert all(r.state in ("normal", "brisk") for r in signs.reflexes)


@given(st.data())
def test_a_one_sided_lesion_above_the_nuclei_spares_every_bilaterally_supplied_muscle(data):
    """Bilateral supply (supranuclear_supply.csv: Blumenfeld2021; Brazis2011): any one-sided
    lesion above the nuclei leaves the muscle strong."""
    G = load_test_anatomy()
    side = data.draw(st.sampled_from("LR"))
    above = sorted(n for n, d in G.nodes(data=True) if d["kind"] in ("cortical_area", "corticobulbar_tract") and d["side"] == side)
    signs = cranial_signs(G, data.draw(st.lists(st.sampled_from(above), min_size=1, unique=True)))
    for finding in signs.muscles:
        assert G.nodes[finding.muscle]["supranuclear_supply"] != "bilateral"


def test_cranial_muscles_mirror_and_the_result_is_a_proper_result(packaged_anatomy):
    signs = cranial_signs(packaged_anatomy, "right facial nerve at the stylomastoid foramen")
    mirrored = cranial_signs(packaged_anatomy, "left facial nerve at the stylomastoid foramen")
    assert [f.muscle[2:] for f in signs.muscles] == [f.muscle[2:] for f in mirrored.muscles]
    data = signs.to_dict()
    assert data["muscles"] and data["reflexes"]
    assert len(signs.to_table()) == len(signs.muscles) + sum(r.is_abnormal for r in signs.reflexes)
    assert "CranialResult" in repr(signs)


# -- Validation refuses broken cranial structures -----------------------------------------


def test_validation_accepts_the_cranial_graph(packaged_anatomy):
    assert validate(packaged_anatomy) == []


@pytest.mark.parametrize("break_it, rule", [
    (lambda G: G.remove_edge("L.facial.parotid", "L.facial.temporal"), "cranial_route"),
    (lambda G: G.remove_edge("L.cbt.basis_pontis.lips", "L.nucleus.facial"), "supranuclear_supply"),
    (lambda G: G.edges["L.cbt.basis_pontis.lips", "L.nucleus.facial"].pop("drive"), "supranuclear_supply"),
    (lambda G: G.edges["L.cbt.basis_pontis.lips", "R.nucleus.facial"].update(drive=0.5), "supranuclear_supply"),
    (lambda G: G.edges["L.cbt.basis_pontis.lips", "L.nucleus.facial"].update(drive="strong"), "bad_edge"),
    (lambda G: G.remove_edge("R.cbt.basis_pontis.brow", "R.nucleus.facial"), "supranuclear_supply"),
    (lambda G: G.edges["L.trochlear.fascicle", "R.trochlear.superior_medullary_velum"].update(crosses="no"), "cranial_route"),
    (lambda G: G.nodes["L.muscle.frontalis"].update(nucleus_side="contralateral"), "cranial_route"),
    (lambda G: G.nodes["L.reflex.jaw_jerk"].update(afferent_via="R.masseteric_nerve"), "cranial_reflex"),
    (lambda G: G.edges["L.vagus.thorax", "L.recurrent_laryngeal"].pop("side_only"), "asymmetry"),
    (lambda G: G.nodes["L.nucleus.facial"].update(level_from="pons_middle"), "bad_value"),
])
def test_validation_refuses_broken_cranial_structures(anatomy, break_it, rule):
    break_it(anatomy)
    assert rule in {violation.rule for violation in validate(anatomy)}


def test_corticobulbar_stations_descend_beside_the_corticospinal_ones(packaged_anatomy):
    """Corona radiata, genu of the internal capsule, cerebral peduncle, basis pontis, pyramid (Gray42)."""
    stations = sorted(
        {(d["station_order"], d["station"]) for _, d in packaged_anatomy.nodes(data=True) if d["kind"] == "corticobulbar_tract"}
    )
    assert [name for _, name in stations] == [
        "corona_radiata", "internal_capsule_genu", "cerebral_peduncle", "basis_pontis", "medullary_pyramid",
    ]
