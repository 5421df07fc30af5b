"""Facts from the references that the mutation run found no test pinning, each as its source states it."""

import pytest

from neurograph import simulate
from neurograph.paths import territory
from source_tables import SOURCES, items, read


def test_the_scalenus_anterior_is_supplied_by_the_rami_before_the_upper_trunk_forms(packaged_anatomy):
    # Gray42: the scalenus anterior is supplied directly by the ventral rami of C4-C6, so a lesion
    # of the upper trunk spares it.
    weak = {finding.label for finding in simulate(packaged_anatomy, "right upper trunk").muscles}
    assert not any("scalenus anterior" in label for label in weak)


@pytest.mark.parametrize(("nerve", "place"), [
    # Gray42: the supraclavicular nerves supply the skin over the clavicle; the superior cluneal
    # nerves (dorsal rami of L1-L3) the skin of the upper buttock.
    ("right supraclavicular nerve", "R.skin.skin_over_clavicle"),
    ("right superior cluneal nerve", "R.skin.upper_buttock"),
])
def test_a_cutaneous_nerve_supplies_its_textbook_skin(packaged_anatomy, nerve, place):
    assert place in territory(packaged_anatomy, nerve).whole


@pytest.mark.parametrize("reflex", ["upper superficial abdominal reflex", "lower superficial abdominal reflex"])
def test_superficial_abdominal_reflexes_are_lost_below_a_chronic_cord_lesion(packaged_anatomy, reflex):
    # Blumenfeld 2021; Ropper 2019: the superficial abdominal reflexes are absent, not merely
    # reduced, with an upper motor neuron lesion above their segments.
    states = {finding.label: finding.state for finding in simulate(packaged_anatomy, "T10", phase="chronic").reflexes}
    assert states[f"{reflex} (left)"] == states[f"{reflex} (right)"] == "absent"


def test_the_recurrent_laryngeal_nerves_leave_the_vagus_at_different_levels():
    # Gray42: the left recurrent laryngeal nerve hooks under the aortic arch (it leaves the vagus
    # in the thorax), the right under the subclavian artery (in the root of the neck).
    rows = read(SOURCES / "cranial" / "nerve_variation.csv")[1]
    (row,) = [row for row in rows if row["subject"] == "recurrent_laryngeal" and row["aspect"] == "origin_side_difference"]
    assert set(items(row["value"])) == {"L:vagus.thorax", "R:vagus.neck"}


@pytest.mark.parametrize(("reflex", "expected"), [("jaw_jerk", {"brisk"}), ("gag", {"normal", "brisk"})])
def test_pseudobulbar_palsy_leaves_brisk_brainstem_reflexes(reflex, expected):
    # Blumenfeld 2021; Ropper 2019: bilateral supranuclear loss makes the jaw jerk brisk; the gag
    # reflex is kept and may be brisk.
    rows = read(SOURCES / "cranial" / "syndrome_findings.csv")[1]
    found = [set(items(row["expected"])) for row in rows
             if row["syndrome"] == "pseudobulbar_palsy" and row["target_kind"] == "reflex" and row["target"] == reflex]
    assert found == [expected]


#: Gray42: what each class of the localization priors is, anatomically: one structure (a node)
#: or every structure of one kind that a named lesion takes together (a region). A root is its
#: ventral and dorsal roots together; the cauda equina is a run of roots; a whole nerve is every
#: point of one nerve; a whole plexus every element of one plexus.
SITE_CLASS_KINDS = {
    "cortical_area": "node:cortical_area", "cortex": "region:cortex", "tract": "node:tract",
    "tract_station": "region:station", "cord_segment": "region:cord_segment", "anterior_horn": "node:anterior_horn",
    "ventral_root": "node:ventral_root", "root": "region:root", "root_region": "region:roots", "spinal_nerve": "node:spinal_nerve",
    "ventral_ramus": "node:ventral_ramus", "plexus_element": "node:plexus_element", "whole_plexus": "region:plexus",
    "nerve": "node:nerve", "whole_nerve": "region:nerve",
}


def test_each_site_class_of_the_priors_is_the_structure_it_names():
    _, rows = read(SOURCES / "inference" / "site_classes.csv")
    found = {row["site_class"]: row["resolver_kind"] for row in rows}
    assert {site_class: found.get(site_class) for site_class in SITE_CLASS_KINDS} == SITE_CLASS_KINDS


def test_the_all_median_hand_is_rarer_than_the_all_ulnar_hand():
    # Rowntree1949 counts a hand whose thenar muscles are all ulnar-supplied in a dissection series
    # (Brooks: 1 of 30 cadavers); the all-median hand is known from single case reports only
    # (ArchNeurol1965), so no series finds it as often.
    prevalence = {}
    for row in read(SOURCES / "variants" / "prevalence.csv")[1]:
        prevalence.setdefault(row["variant"], []).append(float(row["prevalence"]))
    assert max(prevalence["all_median_hand"]) < min(prevalence["all_ulnar_hand"])


@pytest.mark.parametrize("nerve", ["right iliohypogastric nerve", "right ilioinguinal nerve"])
def test_the_iliohypogastric_and_ilioinguinal_nerves_each_supply_the_lowest_abdominal_muscles(packaged_anatomy, nerve):
    # Gray42: the iliohypogastric and the ilioinguinal nerve (L1) each give branches to the lowest
    # fibres of the internal oblique and the transversus abdominis, so a lesion of either
    # affects both muscles.
    affected = {finding.label for finding in simulate(packaged_anatomy, nerve).muscles}
    assert {"internal abdominal oblique (right)", "transversus abdominis (right)"} <= affected


#: Landis JR, Koch GG, Biometrics 1977;33:159-174: the bands of agreement of a kappa statistic.
LANDIS_KOCH_BANDS = {
    "slight": (0.0, 0.2), "fair": (0.21, 0.4), "moderate": (0.41, 0.6), "substantial": (0.61, 0.8),
    "almost perfect": (0.81, 1.0),
}


def test_a_kappa_reported_as_a_landis_koch_band_spans_that_band():
    # ThallerHughes2014 report each item's agreement as its Landis and Koch band (sensation fair,
    # reflexes and tone moderate, strength substantial), not as a figure: the table keeps the band.
    banded = [
        row for row in read(SOURCES / "inference" / "examination_error.csv")[1]
        if row["measure"] == "kappa" and row["source"] == "ThallerHughes2014"
    ]
    assert {row["item"] for row in banded} >= {"light_touch", "pin_prick", "reflex_grade", "tone", "mrc_grade"}
    for row in banded:
        (band,) = [name for name in LANDIS_KOCH_BANDS if f"{name} agreement" in row["note"]]
        assert (float(row["value"]), float(row["value_high"])) == LANDIS_KOCH_BANDS[band], row["item"]


@pytest.mark.parametrize(("variant", "carried"), [
    # Roy2016; Rowntree1949; Amoiridis1992: the Martin-Gruber (median to ulnar) and Marinacci (ulnar
    # to median) anastomoses in the forearm and the Riche-Cannieu anastomosis in the palm carry
    # the fibres of the intrinsic hand muscles from one nerve to the other: C8 and T1 (Gray42).
    ("martin_gruber", {"C8", "T1"}),
    ("marinacci", {"C8", "T1"}),
    ("riche_cannieu", {"C8", "T1"}),
    # Rayegani2011; Su1998: the accessory deep fibular nerve carries the superficial fibular
    # nerve's share of extensor digitorum brevis, whose roots are L5 and S1 (MRC2010).
    ("accessory_deep_fibular", {"L5", "S1"}),
])
def test_an_anastomosis_carries_the_roots_of_the_muscles_it_reaches(variant, carried):
    rows = [row for row in read(SOURCES / "variants" / "edits.csv")[1] if row["variant"] == variant and row["operation"] == "connect"]
    assert rows and all(set(items(row["segments"])) == carried for row in rows)


def test_a_cortical_central_facial_palsy_lies_in_the_face_area_of_the_motor_cortex():
    # Blumenfeld2021; Brazis2011: a central facial palsy of cortical origin comes from a lesion of
    # the face area of the lower precentral gyrus (the lower face, beside the lips).
    (row,) = [row for row in read(SOURCES / "cranial" / "syndromes.csv")[1] if row["syndrome"] == "central_facial_palsy_cortical"]
    assert row["lesion_kind"] == "cortical_area" and "face" in items(row["lesion"])


def test_a_prevalence_taken_as_the_midpoint_of_a_reported_range_is_that_midpoint():
    # Pellerin2010 (and the other reviews so used) report a range of prevalences, not a figure: the
    # table keeps the range as low and high and takes its midpoint.
    midpoints = [row for row in read(SOURCES / "variants" / "prevalence.csv")[1] if row["note"].startswith("midpoint of the range")]
    assert {row["variant"] for row in midpoints} >= {"prefixed_brachial_plexus", "postfixed_brachial_plexus"}
    for row in midpoints:
        assert float(row["prevalence"]) == pytest.approx((float(row["low"]) + float(row["high"])) / 2), row["variant"]


#: Roy2016 (meta-analysis of 58 studies, 10,562 limbs): the pooled prevalence of each anastomosis.
ROY2016 = {"martin_gruber": 0.195, "marinacci": 0.007, "riche_cannieu": 0.555}


@pytest.mark.parametrize(("variant", "pooled"), ROY2016.items())
def test_the_anastomoses_keep_their_pooled_prevalence(variant, pooled):
    found = [row for row in read(SOURCES / "variants" / "prevalence.csv")[1] if row["variant"] == variant and row["source"] == "Roy2016"]
    assert [float(row["prevalence"]) for row in found] == [pooled]


@pytest.mark.parametrize(("nerve", "muscles"), [
    # Gray42: the dorsal scapular nerve (C5, from its ventral ramus) supplies the rhomboids and
    # part of levator scapulae; the long thoracic nerve (C5-C7) serratus anterior; the
    # suprascapular nerve (from the upper trunk) supraspinatus and infraspinatus. None supplies
    # the scalene muscles, which take twigs of the ventral rami themselves.
    ("right dorsal scapular nerve", {"rhomboid major and minor", "levator scapulae"}),
    ("right long thoracic nerve", {"serratus anterior"}),
    ("right suprascapular nerve", {"supraspinatus", "infraspinatus"}),
])
def test_the_nerves_from_the_roots_and_upper_trunk_supply_their_own_muscles_only(packaged_anatomy, nerve, muscles):
    affected = {finding.label for finding in simulate(packaged_anatomy, nerve).muscles}
    assert affected == {f"{muscle} (right)" for muscle in muscles}


def test_each_site_class_prior_is_its_incidence_figures_share():
    # priors.csv: a site class's prior is its figure (a cited incidence per 100,000 a year, or an
    # assumed one with its reason) as a share of all the classes' figures, so that the classes'
    # priors keep the proportions of the incidences they come from.
    rows = [row for row in read(SOURCES / "inference" / "priors.csv")[1] if row["group"] == "site_class"]
    total = sum(float(row["figure"]) for row in rows)
    for row in rows:
        assert float(row["prior"]) == pytest.approx(float(row["figure"]) / total, rel=0.01), row["site_class"]


@pytest.mark.parametrize(("findings", "nerve"), [
    # Preston2020: a superficial radial neuropathy is purely sensory: the back of the thumb, the
    # first web space and the radial back of the hand numb, every muscle strong.
    ({"sensation": {place: {"pin prick": 0, "light touch": 0} for place in (
        "right back of the first web space of the hand", "right radial half of the back of the hand",
        "right back of the thumb proximal to the nail bed")} | {"right C8 key point": {"pin prick": 2, "light touch": 2}},
      "muscles": {muscle: 5 for muscle in (
          "right extensor pollicis longus", "right extensor digitorum", "right brachioradialis",
          "right first dorsal interosseous", "right abductor pollicis brevis")}},
     "superficial radial nerve (right)"),
    # Preston2020: a posterior interosseous neuropathy is purely motor: finger and thumb extensors
    # and extensor carpi ulnaris weak, brachioradialis and extensor carpi radialis longus (supplied
    # above the supinator) strong, the radial back of the hand's sensation normal.
    ({"muscles": {"right extensor digitorum": 1, "right extensor indicis": 1, "right extensor pollicis longus": 1,
                  "right extensor carpi ulnaris": 1, "right extensor carpi radialis longus": 5, "right brachioradialis": 5,
                  "right triceps": 5, "right first dorsal interosseous": 5},
      "sensation": {"right back of the first web space of the hand": {"pin prick": 2, "light touch": 2},
                    "right C6 key point": {"pin prick": 2, "light touch": 2}}},
     "posterior interosseous nerve (right)"),
])
def test_a_purely_sensory_or_purely_motor_nerve_lesion_localizes_to_that_nerve(packaged_anatomy, findings, nerve):
    # A site that carries only sensory or only motor fibres still acts on the examination and
    # takes its prior, so it is the most probable site.
    from neurograph.findings import findings_from_dict
    from neurograph.localization import localize

    exam = findings_from_dict(packaged_anatomy, findings)
    assert [hypothesis.label for hypothesis in localize(packaged_anatomy, exam, ranking="posterior").ties] == [nerve]
