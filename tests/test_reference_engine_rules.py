"""The engine's rules for several sites and partial severities, as tables of cases.

The rules are those documented in :mod:`neurograph.lesion` (its module docstring): a node hit by
several sites takes the highest severity (1); a route survives in proportion to the product of
``1 - severity`` over its nodes, so a lesion is complete only where every part is (2); a
segment loses the share of its routes that is cut (3); a pool keeps the drive of its best
surviving corticospinal route (4); within one pool lower motor neuron loss wins, strength is
the weighted mean over the muscle's segments of what survives of both, and the grade follows
from it (5): MRC 5 from 95 % of the strength, 4 from 60 %, 3 from 35 %, 2 from 15 %, 1 above
nothing (the ``mrc_grade`` examples). Each case below works the expected grade out by hand from
those rules and the muscle's segments as the MRC *Aids* (2010) lists them, each a full
contribution: biceps C5-C6, triceps C6-C8, FDP (index) C7-C8, tibialis anterior L4-L5.
"""

import pytest

from neurograph import simulate
from reference_cases import grades

CASES = [
    # (lesion, muscle, expected grade, how)
    ([("left C7 root", 1.0)], "triceps", 4, "C7 lost: 2/3 = 0.67 left"),
    ([("left C7 root", 0.5), ("left C7 root", 1.0)], "triceps", 4, "the strongest severity of a structure wins: as C7 at 100 %"),
    ([("left C7 root", 1.0), ("left C7 root", 0.5)], "triceps", 4, "order does not matter"),
    ([("cauda equina", 0.5), ("left L4 root", 1.0)], "tibialis anterior", 2, "L4 1.0 (strongest), L5 0.5: 0.25 left"),
    ([("cauda equina", 1.0), ("left L4 root", 0.5)], "tibialis anterior", 0, "L4 and L5 roots complete: nothing left"),
    ([("left C7 root", 1.0), ("left C8 root", 0.5)], "flexor digitorum profundus index", 2, "C7 cut, C8 half: 0.25 left, not complete"),
    ([("left C7 root", 1.0), ("left C8 root", 1.0)], "flexor digitorum profundus index", 0, "both roots complete"),
    ([("left C7 root", 0.5), ("left middle trunk", 0.5)], "triceps", 4, "C7 routes pass both: 0.25 of C7 left; (1 + 0.25 + 1)/3 = 0.75"),
    ([("left radial nerve in the axilla", 0.5)], "triceps", 3, "every route half cut: 0.5 left"),
    ([("left C5 root", 0.3)], "biceps", 4, "C5 30 % cut: (0.7 + 1)/2 = 0.85"),
    ([("left C5 root", 1.0), ("left C6 root", 0.3)], "biceps", 3, "(0 + 0.7)/2 = 0.35, exactly the MRC 3 bound"),
    ([("left C5 root", 1.0), ("left C6 root", 0.4)], "biceps", 2, "(0 + 0.6)/2 = 0.30"),
    ([("right internal capsule", 0.5)], "triceps", 3, "drive of every pool halved: 0.5 left"),
    ([("right internal capsule", 0.5), ("left C7 root", 0.5)], "triceps", 3, "C6 0.5, C7 0.5 x 0.5, C8 0.5: 1.25/3 = 0.42"),
    ([("right internal capsule", 1.0), ("left internal capsule", 1.0)], "biceps", 0, "both capsules: every pool loses its drive"),
    ([("left internal capsule", 1.0)], "biceps", 5, "an ipsilateral capsule drives the other side"),
]


@pytest.mark.parametrize("lesion, muscle, expected, how", CASES, ids=[f"{c[1]}: {c[3]}" for c in CASES])
def test_grades_follow_the_documented_rules(packaged_anatomy, lesion, muscle, expected, how):
    assert grades(packaged_anatomy, lesion, [muscle])[muscle] == expected


CLASSES = [
    # (lesion, phase, muscle, deficit, tone, atrophy): rule 5 and the signs of each class.
    ([("left C7 root", 1.0)], "chronic", "triceps", "LMN", "flaccid", True),
    ([("right internal capsule", 0.5)], "chronic", "triceps", "UMN", "spastic", False),
    ([("right internal capsule", 0.5)], "acute", "triceps", "UMN", "flaccid", False),
    ([("right internal capsule", 0.5), ("left C7 root", 0.5)], "chronic", "triceps", "mixed", "flaccid", True),
]


@pytest.mark.parametrize("lesion, phase, muscle, deficit, tone, atrophy", CLASSES)
def test_lower_motor_neuron_loss_wins_within_a_pool_and_mixes_across_pools(
    packaged_anatomy, lesion, phase, muscle, deficit, tone, atrophy
):
    finding = simulate(packaged_anatomy, lesion, phase=phase).muscle(f"left {muscle}")
    assert (finding.deficit, finding.tone, finding.atrophy) == (deficit, tone, atrophy)


def test_reflexes_are_reported_one_side_at_a_time_from_the_highest_segment_down(packaged_anatomy):
    # As a clinician records them: each side in turn, by the segments of their arcs (Ropper2019):
    # biceps (C5-C6), triceps (C7-C8), knee (L3-L4), ankle (S1-S2).
    reflexes = simulate(packaged_anatomy, "C7").reflexes
    sides = [finding.side for finding in reflexes]
    assert sides == sorted(sides)
    for side in ("L", "R"):
        names = [finding.reflex.split(".", 2)[2] for finding in reflexes if finding.side == side]
        chosen = [name for name in names if name in ("biceps_jerk", "triceps_jerk", "knee_jerk", "ankle_jerk")]
        assert chosen == ["biceps_jerk", "triceps_jerk", "knee_jerk", "ankle_jerk"]


def test_a_complete_c1_transection_takes_the_drive_of_every_muscle_below_it(packaged_anatomy):
    # Every corticospinal fibre to the cord below passes the first cervical segment (Gray42), so
    # a complete C1 transection leaves the respiratory, trunk and limb muscles without drive
    # (Ropper2019: ventilator-dependent tetraplegia): no route of drive is left, so rule 4 leaves
    # nothing of their strength.
    found = grades(packaged_anatomy, "C1", ["diaphragm", "intercostales", "rectus abdominis", "deltoid", "tibialis anterior"])
    assert all(grade == 0 for grade in found.values()), found


@pytest.mark.parametrize("lesion", ["T7 anterior horn (left)", "C8 anterior horn (left)"])
def test_of_sites_that_fit_equally_the_smaller_ranks_first_then_the_more_proximal(packaged_anatomy, lesion):
    # The ranking localize documents: of single sites level in score and in how far their
    # predicted grades are from those found, the smaller lesion (fewer structures) first, and of
    # those as small, the more proximal; a more proximal site never outranks a smaller one.
    # These examinations have level sites where the smaller one is the more distal.
    import neurograph
    from neurograph.atlas import site_atlas
    from neurograph.findings import findings_from_result

    atlas = site_atlas(packaged_anatomy)
    depth = {site.nodes: level for site, level in zip(atlas.sites, atlas.depth)}
    exam = findings_from_result(simulate(packaged_anatomy, lesion))
    singles = neurograph.localize(packaged_anatomy, exam, max_sites=1, top=30, ranking="score").hypotheses
    conflicts = 0
    for first, later in ((a, b) for position, a in enumerate(singles) for b in singles[position + 1 :]):
        if (first.score, first.grade_difference) != (later.score, later.grade_difference):
            continue
        size = (len(first.sites[0].nodes), len(later.sites[0].nodes))
        assert size[0] <= size[1], (first.label, later.label)
        if size[0] == size[1]:
            assert depth[first.sites[0].nodes] <= depth[later.sites[0].nodes], (first.label, later.label)
        conflicts += size[0] < size[1] and depth[first.sites[0].nodes] > depth[later.sites[0].nodes]
    assert conflicts


@pytest.mark.parametrize("severity", [1.0, 0.5])
def test_a_pool_keeps_the_drive_of_its_best_surviving_route(packaged_anatomy, severity):
    # Rule 4 of neurograph.lesion. Nathan1990: the anterior corticospinal tract, uncrossed in the
    # medulla, ends on the axial pools of the upper cord of both sides, so those pools take drive
    # from both hemispheres; damage to one side's tract, whole or partial, leaves them the other's
    # intact route, and no muscle weakens.
    assert simulate(packaged_anatomy, [("R.acst.C7.trunk", severity)]).muscles == ()


def test_a_pair_is_listed_only_when_it_explains_more_than_either_site_alone(packaged_anatomy):
    # The ranking localize documents, after Blumenfeld2021's rule of localization: look for one
    # lesion that explains the findings, and propose a second only for what one site cannot
    # explain; a pair scoring no better than one of its sites alone adds nothing.
    import neurograph
    from neurograph.atlas import site_atlas
    from neurograph.findings import findings_from_result

    exam = findings_from_result(simulate(packaged_anatomy, "left C7 root", phase="acute"))
    every = len(site_atlas(packaged_anatomy).sites)
    alone = {h.sites[0].nodes: h.score for h in neurograph.localize(packaged_anatomy, exam, max_sites=1, top=every, ranking="score").hypotheses}
    pairs = [h for h in neurograph.localize(packaged_anatomy, exam, top=10, ranking="score").hypotheses if len(h.sites) == 2]
    for pair in pairs:
        assert pair.score > max(alone[site.nodes] for site in pair.sites), pair.label
