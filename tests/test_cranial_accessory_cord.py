"""Sternocleidomastoid and trapezius after a lesion of the upper cervical cord.

References (data/sources/references.csv):

- Gray42 (*Gray's Anatomy*, 42nd edn) and Blumenfeld2021 (*Neuroanatomy through Clinical Cases*,
  3rd edn, ch. 12): the spinal accessory nucleus is a column of motor neurons in the lateral part
  of the anterior horn of the upper five cervical segments (C1-C5); its rootlets leave the lateral
  cord at each of them and join the spinal root, which climbs through the foramen magnum. So the
  anterior horn of each of those segments holds part of the pool: a lesion of the anterior horns
  there (by name, polio, anterior horn disease) weakens both muscles with lower motor neuron signs
  (flaccid, wasted), but does not paralyse them, the other segments' neurons being kept; a lesion
  of the whole nucleus or of the nerve paralyses; a lesion at C6 or below spares both muscles.
- Gray42; Mastaglia1986 (*J Neurol Neurosurg Psychiatry* 1986;49:195-197): the supranuclear fibres
  to the accessory nucleus leave the pyramid for the upper cervical cord, so those for a segment's
  neurons descend through the segments above it.
- Ropper2019 (*Adams and Victor's Principles of Neurology*, 11th edn, ch. 42, diseases of the
  spinal cord) and Blumenfeld2021 (ch. 6): a cord lesion gives lower motor neuron signs in the
  muscles whose anterior horn cells lie at its level and upper motor neuron signs in those whose
  cells lie below it; a muscle whose pools lie at and below the level has both (the limb rule:
  deltoid, C5-C6, after a C5 transection). Fasciculations come from disease of the motor neuron
  itself (its cell body in the anterior horn, or its root), not of the nerve further out.
- Gray42; Blumenfeld2021: the branch to sternocleidomastoid leaves the nerve before it crosses
  the posterior triangle, so a lesion there weakens trapezius alone.
- Kitamura1982 found the sternocleidomastoid's neurons above the trapezius's in the rat; the
  graph does not follow it (nucleus_segment_disputes.csv), so the tests hold both muscles to the
  same side and class, never to a difference in their grades.
"""

import pytest

import neurograph
from neurograph.presets import preset_lesion
from neurograph.resolve import resolve_site

MUSCLES = ("sternocleidomastoid", "trapezius")
SIDES = ("left", "right")
#: Gray42; Blumenfeld2021: the segments holding the spinal accessory nucleus.
POOL_SEGMENTS = ("C1", "C2", "C3", "C4", "C5")


@pytest.fixture(scope="module")
def G():
    return neurograph.load_anatomy()


def accessory(G, lesion, phase="chronic"):
    """Per side and muscle, the cranial finding of sternocleidomastoid and trapezius."""
    signs = neurograph.simulate(G, lesion, phase=phase).cranial
    return {(side, muscle): signs.muscle(f"{side} {muscle}") for side in SIDES for muscle in MUSCLES}


def assert_partial_lmn(finding):
    # Part of the pool lost at its cells: weak, not paralysed, with lower motor neuron signs (chronic).
    assert finding.deficit == "LMN", finding
    assert 0 < finding.mrc_grade < 5, finding
    assert finding.tone == "flaccid" and finding.atrophy and finding.fasciculations, finding


def assert_lmn_at_the_level_umn_below(finding):
    # Ropper2019: the part at the level loses its neurons (wasting, fasciculations), the parts below
    # their drive; in one muscle, both: mixed and flaccid (the LMN signs show), as a limb muscle.
    assert finding.deficit == "mixed", finding
    assert finding.tone == "flaccid" and finding.atrophy and finding.fasciculations, finding


def assert_normal(finding):
    assert finding.deficit == "normal" and finding.mrc_grade == 5, finding


@pytest.mark.parametrize("segment", POOL_SEGMENTS[:-1])
def test_a_hemisection_above_the_last_part_gives_lmn_signs_at_its_level_and_umn_below(G, segment):
    found = accessory(G, preset_lesion(G, "brown_sequard", level=segment, side="right"))
    for muscle in MUSCLES:
        assert_lmn_at_the_level_umn_below(found["right", muscle])
        assert_normal(found["left", muscle])


def test_a_hemisection_at_the_last_part_takes_its_neurons_alone(G):
    # No part of the pool lies below C5: its own neurons are lost, no drive.
    found = accessory(G, preset_lesion(G, "brown_sequard", level="C5", side="right"))
    for muscle in MUSCLES:
        assert_partial_lmn(found["right", muscle])
        assert_normal(found["left", muscle])


def test_the_higher_the_hemisection_the_weaker_the_muscles(G):
    # Gray42; Ropper2019: a higher lesion leaves fewer parts above it with their drive.
    for muscle in MUSCLES:
        grades = [accessory(G, preset_lesion(G, "brown_sequard", level=segment, side="right"))["right", muscle].strength
                  for segment in POOL_SEGMENTS]
        assert grades == sorted(grades) and grades[0] < grades[-1]


def test_a_lesion_at_the_top_of_the_pool_paralyses_both_muscles_of_its_side(G):
    # At C1 every part lies at or below the lesion: its neurons or its drive are lost.
    found = accessory(G, preset_lesion(G, "brown_sequard", level="C1", side="right"))
    for muscle in MUSCLES:
        assert found["right", muscle].mrc_grade == 0


@pytest.mark.parametrize("lesion", ["C2", "C3", "C2 spinal cord segment"])
def test_a_whole_segment_lesion_weakens_both_sides(G, lesion):
    for finding in accessory(G, lesion).values():
        assert_lmn_at_the_level_umn_below(finding)


@pytest.mark.parametrize("level", ["C1", "C3"])
def test_a_transection_within_the_pool_gives_both_sides_lmn_and_umn_signs(G, level):
    for finding in accessory(G, preset_lesion(G, "transection", level=level)).values():
        assert_lmn_at_the_level_umn_below(finding)


def test_a_transection_within_the_pool_makes_them_mixed_as_a_limb_muscle_with_pools_at_and_below_it(G):
    # Ropper2019: deltoid (C5-C6) after a C5 transection has LMN signs from its C5 pool and UMN
    # ones from its C6 pool; sternocleidomastoid and trapezius after a C4 transection, from their
    # C4 and C5 parts, alike.
    limb = neurograph.simulate(G, preset_lesion(G, "transection", level="C5")).muscle("right deltoid")
    result = neurograph.simulate(G, preset_lesion(G, "transection", level="C4")).cranial
    assert limb.deficit == "mixed"
    for muscle in MUSCLES:
        xi = result.muscle(f"right {muscle}")
        assert (xi.deficit, xi.tone, xi.atrophy, xi.fasciculations) == (limb.deficit, limb.tone, limb.atrophy, limb.fasciculations)


def test_a_transection_at_the_last_part_takes_its_neurons_alone(G):
    for finding in accessory(G, preset_lesion(G, "transection", level="C5")).values():
        assert_partial_lmn(finding)


@pytest.mark.parametrize("lesion", ["right C6", "C7", "right half of C6", "T1"])
def test_a_lesion_below_the_pool_spares_both_muscles(G, lesion):
    for finding in accessory(G, lesion).values():
        assert_normal(finding)


def test_a_transection_below_the_pool_spares_both_muscles(G):
    for finding in accessory(G, preset_lesion(G, "transection", level="C6")).values():
        assert_normal(finding)


def test_more_segments_of_anterior_horn_lost_weaken_more(G):
    # Gray42: each segment holds part of the column, so losing more of them loses more neurons;
    # the anterior horns alone (polio) cut no descending fibre: pure LMN signs.
    one = accessory(G, preset_lesion(G, "polio", levels="C2-C2", side="right"))
    three = accessory(G, preset_lesion(G, "polio", levels="C1-C3", side="right"))
    for muscle in MUSCLES:
        assert_partial_lmn(one["right", muscle])
        assert_partial_lmn(three["right", muscle])
        assert three["right", muscle].strength < one["right", muscle].strength


def test_the_anterior_cord_and_polio_patterns_take_the_anterior_horn_part(G):
    # C3-C5: every part from C3 down loses its neurons, C1 and C2 keep theirs and their drive.
    for finding in accessory(G, preset_lesion(G, "anterior_cord", levels="C3-C5")).values():
        assert_partial_lmn(finding)
    polio = accessory(G, preset_lesion(G, "polio", levels="C2-C4", side="left"))
    for muscle in MUSCLES:
        assert_partial_lmn(polio["left", muscle])
        assert_normal(polio["right", muscle])


@pytest.mark.parametrize("lesion", ["right spinal accessory nucleus", "right accessory nucleus", "right spinal root of the accessory nerve"])
def test_the_whole_nucleus_or_its_root_still_paralyses_both(G, lesion):
    found = accessory(G, lesion)
    for muscle in MUSCLES:
        assert found["right", muscle].deficit == "LMN" and found["right", muscle].mrc_grade == 0
        assert_normal(found["left", muscle])


def test_a_segment_part_names_its_share_of_the_nucleus(G):
    found = accessory(G, "right spinal accessory nucleus at C3")
    for muscle in MUSCLES:
        assert_partial_lmn(found["right", muscle])
        assert_normal(found["left", muscle])


def test_the_posterior_triangle_still_spares_sternocleidomastoid(G):
    found = accessory(G, "right accessory nerve in the posterior triangle")
    assert found["right", "trapezius"].deficit == "LMN" and found["right", "trapezius"].mrc_grade == 0
    assert_normal(found["right", "sternocleidomastoid"])
    # A lesion of the nerve, away from the motor neurons: wasting without fasciculations.
    assert found["right", "trapezius"].atrophy and not found["right", "trapezius"].fasciculations


# The anterior horn of a segment is every motor pool there (Gray42: the accessory motor neurons lie
# in the lateral part of the anterior horn of C1-C5).

@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("segment", POOL_SEGMENTS)
def test_the_anterior_horn_of_a_pool_segment_holds_the_accessory_part(G, side, segment):
    code = side[0].upper()
    for name in (f"{side} {segment} anterior horn", f"{side} anterior horn of {segment}", f"{segment} motor neurons, {side}"):
        assert resolve_site(G, name).nodes == {f"{code}.ah.{segment}", f"{code}.nucleus.spinal_accessory.{segment}"}, name
    assert resolve_site(G, f"bilateral anterior horn of {segment}").nodes == {
        f"{s}.{part}" for s in ("L", "R") for part in (f"ah.{segment}", f"nucleus.spinal_accessory.{segment}")
    }


@pytest.mark.parametrize("name", ["right C6 anterior horn", "left anterior horn of T1", "right anterior horn of L4"])
def test_the_anterior_horn_below_the_pool_is_the_limb_pools_alone(G, name):
    assert len(resolve_site(G, name).nodes) == 1


def test_a_named_anterior_horn_lesion_wastes_and_fasciculates_as_the_limb_pools_there(G):
    # Ropper2019; Blumenfeld2021: anterior horn cell loss: weakness, wasting and fasciculations in
    # every muscle with a pool in the horn (levator scapulae at C3, and the accessory part there).
    result = neurograph.simulate(G, "right C3 anterior horn")
    limb = result.muscle("right levator scapulae")
    assert (limb.deficit, limb.atrophy, limb.fasciculations) == ("LMN", True, True)
    for muscle in MUSCLES:
        xi = result.cranial.muscle(f"right {muscle}")
        assert (xi.deficit, xi.tone, xi.atrophy, xi.fasciculations) == (limb.deficit, limb.tone, limb.atrophy, limb.fasciculations)
        assert_normal(result.cranial.muscle(f"left {muscle}"))


def test_the_parts_and_the_limb_pools_keep_their_own_names(G):
    assert resolve_site(G, "right spinal accessory nucleus at C2").nodes == {"R.nucleus.spinal_accessory.C2"}
    assert resolve_site(G, "R.ah.C2").nodes == {"R.ah.C2"}
    assert len(resolve_site(G, "right spinal accessory nucleus").nodes) == 1


@pytest.mark.parametrize("side", SIDES)
def test_anterior_horn_loss_at_a_pool_segment_wastes_and_fasciculates_as_the_limb_pools_there(G, side):
    # Ropper2019; Blumenfeld2021: anterior horn cell loss gives weakness, wasting and fasciculations,
    # the same in every muscle with a pool in that horn (levator scapulae has one at C3).
    result = neurograph.simulate(G, preset_lesion(G, "polio", levels="C3-C3", side=side))
    limb = result.muscle(f"{side} levator scapulae")
    assert (limb.deficit, limb.atrophy, limb.fasciculations) == ("LMN", True, True)
    for muscle in MUSCLES:
        xi = result.cranial.muscle(f"{side} {muscle}")
        assert (xi.deficit, xi.tone, xi.atrophy, xi.fasciculations) == (limb.deficit, limb.tone, limb.atrophy, limb.fasciculations)
        assert 0 < xi.mrc_grade < 5


def test_acute_anterior_horn_loss_is_flaccid_without_wasting_yet(G):
    # Ropper2019: wasting and fasciculations take weeks to appear after the motor neurons are lost.
    for muscle in MUSCLES:
        finding = accessory(G, preset_lesion(G, "polio", levels="C3-C3", side="right"), phase="acute")["right", muscle]
        assert finding.deficit == "LMN" and not finding.atrophy and not finding.fasciculations


def test_a_central_cord_lesion_of_the_pool_segments_wastes_and_fasciculates(G):
    # Schneider1954; Blumenfeld2021: the central grey matter (anterior horns) at the level: LMN signs
    # there; the parts below the level lose the drive of the medial corticospinal lamina as well.
    for finding in accessory(G, preset_lesion(G, "central_cord", levels="C2-C4")).values():
        assert_lmn_at_the_level_umn_below(finding)


def test_every_supply_view_keeps_the_descent_through_the_cord(G):
    # Gray42; Mastaglia1986: whichever hemisphere drives sternocleidomastoid (Odergren1996, mainly
    # its own; Thompson1997, both), its fibres reach the nucleus down the upper cord: a lesion of
    # the right lateral corticospinal tract (the course the fibres take, a stated choice) weakens
    # the right sternocleidomastoid under every view, so no view calls it normal.
    signs = neurograph.simulate(G, "right lateral corticospinal tract").cranial
    assert signs.muscle("right sternocleidomastoid").deficit == "UMN"
    assert all(view.deficit == "UMN" for view in signs.views if view.muscle == "R.muscle.sternocleidomastoid")
    assert signs.muscle("left sternocleidomastoid").deficit == "normal"


def test_the_als_preset_takes_the_accessory_part_of_its_anterior_horns(G):
    # Ropper2019 (amyotrophic lateral sclerosis): the disease takes the anterior horn cells and the
    # corticospinal and corticobulbar neurons together, so muscles show LMN signs (wasting,
    # fasciculations) beside UMN ones; the preset's C5 anterior horns hold the accessory part there
    # (Gray42: the nucleus reaches C5), as they hold deltoid's C5 pool.
    sites = preset_lesion(G, "als")
    assert {f"{side}.nucleus.spinal_accessory.C5" for side in ("L", "R")} <= frozenset().union(*(site.nodes for site in sites))
    result = neurograph.simulate(G, sites)
    deltoid = result.muscle("right deltoid")
    assert deltoid.atrophy and deltoid.fasciculations
    for finding in accessory(G, sites).values():
        # The C5 part loses neurons, C1-C4 the cortex's drive: both signs in one muscle.
        assert_lmn_at_the_level_umn_below(finding)
