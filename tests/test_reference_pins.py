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
