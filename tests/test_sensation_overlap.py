"""The overlap of neighbouring dermatomes wherever a lesion takes one segment's fibres alone.

Each segment's skin also receives fibres of the segments next to it, and those run in their own
roots and nerves. Cutting one posterior root leaves no anaesthetic patch (Sherrington 1893;
Foerster 1933, "remaining sensibility"); the same holds wherever the fibres of that segment
travel alone before others join them: the spinal nerve, the ventral ramus before the plexus,
the middle trunk (the C7 ventral ramus alone, Gray's Anatomy, 42nd edn), and one intercostal
nerve, whose section or block leaves no anaesthesia unless a neighbour is taken too (Moore,
Dalley and Agur, Clinically Oriented Anatomy, 8th edn, 2018). Where the plexus has mixed
segments, a nerve lesion takes its territory whole (Preston and Shapiro 2020).
"""

from __future__ import annotations

import pytest

import neurograph
from neurograph.schema import MODALITIES
from neurograph.atlas import SensoryRows
from neurograph.resolve import resolve_site

ONE_SEGMENT = [
    ("right C6 dorsal root", "R.key_point.C6"),
    ("right C6 dorsal root ganglion", "R.key_point.C6"),
    ("right C6 spinal nerve", "R.key_point.C6"),
    ("right C6 ventral ramus", "R.key_point.C6"),
    ("right middle trunk", "R.key_point.C7"),
    ("right L5 ventral ramus", "R.key_point.L5"),
    ("right S1 spinal nerve", "R.key_point.S1"),
    ("right intercostal nerve T4", "R.key_point.T4"),
    ("right intercostal nerve T8", "R.key_point.T8"),
]


@pytest.mark.parametrize(("site", "point"), ONE_SEGMENT)
def test_a_structure_of_one_segment_impairs_its_key_point_and_does_not_abolish_it(packaged_anatomy, site, point):
    # Sherrington 1893; Foerster 1933; Moore 2018 (one intercostal nerve): impaired, not absent.
    finding = neurograph.simulate(packaged_anatomy, site).sensory(point)
    assert finding.light_touch == 1
    assert finding.pin_prick == 1
    assert neurograph.simulate(packaged_anatomy, site).sensory(point.replace("R.", "L.", 1)).pin_prick == 2


@pytest.mark.parametrize(
    ("sites", "point"),
    [
        (["right C6 ventral ramus", "right C7 ventral ramus"], "R.key_point.C6"),
        (["right C6 spinal nerve", "right C7 ventral ramus"], "R.key_point.C7"),
        (["right intercostal nerve T4", "right intercostal nerve T5"], "R.key_point.T4"),
    ],
)
def test_two_neighbouring_segments_taken_anywhere_before_mixing_leave_anaesthesia(packaged_anatomy, sites, point):
    # Anaesthesia needs the neighbour's overlapping fibres cut too (Foerster 1933: two
    # consecutive roots, rules.csv consecutive_roots_for_anaesthesia; Moore 2018: two or more
    # intercostal nerves).
    finding = neurograph.simulate(packaged_anatomy, sites).sensory(point)
    assert (finding.light_touch, finding.pin_prick) == (0, 0)


def test_the_overlap_stops_where_the_plexus_has_mixed_segments(packaged_anatomy):
    # The superficial radial nerve's lesion numbs the dorsum of the thumb (Preston 2020): past
    # the plexus the C6 fibres run with C5 and C7 ones, and the nerve's territory is lost whole.
    finding = neurograph.simulate(packaged_anatomy, "right superficial radial nerve").sensory("R.key_point.C6")
    assert finding.pin_prick == 0


def test_the_atlas_grades_one_segment_structures_as_simulate_does(packaged_anatomy):
    sites = [resolve_site(packaged_anatomy, site) for site, _ in ONE_SEGMENT]
    places = sorted({point for _, point in ONE_SEGMENT})
    grades = SensoryRows(packaged_anatomy, sites).singles(places)
    for row, (site, _) in enumerate(ONE_SEGMENT):
        result = neurograph.simulate(packaged_anatomy, site)
        for column, place in enumerate(places):
            assert tuple(grades[row, column].tolist()) == tuple(result.sensory(place).grades[m] for m in MODALITIES), (site, place)


def test_a_lumbosacral_trunk_lesion_numbs_the_l5_skin_and_takes_l4_there_too(packaged_anatomy):
    """Katirji, Wilbourn, Scarberry and Preston 2002 (Muscle Nerve 26:340-347): lumbosacral trunk
    lesions gave sensory loss in the L5 dermatome. The trunk is part of the L4 ventral ramus with
    the whole of L5 (Gray's Anatomy, 42nd edn), and the superficial fibular nerve, which supplies
    the L5 key point, carries L4, L5 and S1 (Gray's): its L4 fibres reach the sacral plexus only
    through the trunk. So at that skin the trunk takes two neighbouring segments, and the overlap
    that spares a one-segment lesion is gone, as when the L4 and L5 ventral rami are both cut
    (Foerster 1933: anaesthesia with two consecutive roots). The L4 (saphenous) and S1 (sural)
    key points are outside the loss."""
    G = packaged_anatomy
    trunk = neurograph.simulate(G, "right lumbosacral trunk")
    root = neurograph.simulate(G, "right L5 root")
    numb = {finding.place for finding in trunk.sensation if min(finding.grades.values()) < 2}
    assert numb == {finding.place for finding in root.sensation if min(finding.grades.values()) < 2}
    assert "L4" in G.nodes["R.aff.superficial_fibular_cutaneous"]["segments"].split("|")
    both_rami = neurograph.simulate(G, ["right L4 ventral ramus", "right L5 ventral ramus"]).sensory("R.key_point.L5")
    assert trunk.sensory("R.key_point.L5").grades == both_rami.grades
    assert (both_rami.light_touch, both_rami.pin_prick) == (0, 0)
    assert neurograph.simulate(G, "right L5 ventral ramus").sensory("R.key_point.L5").pin_prick == 1
    for spared in ("R.key_point.L4", "R.key_point.S1"):
        assert trunk.sensory(spared).pin_prick == 2
