"""The ISNCSCI exam of simulated lesions, and its classification.

Light touch, pin prick and DAP come from the simulated sensation. Clinical expectations: the International Standards (Rupp et al. 2021, revised 2019):
the motor level is the most caudal key muscle at 3 or more with every key muscle above it at
5, and where no key muscle is tested it follows the sensory level; voluntary anal contraction
(VAC) is any voluntary contraction of the external anal sphincter, and with it present the
injury is motor incomplete (AIS C or D, never A or B); a complete cord lesion at a segment
destroys that segment's motor neurons and cuts the drive to everything below, and every
sensation below it, the sacral segments included (no sacral sparing: complete, AIS A); the
sensory level is the most caudal key point with normal light touch and pin prick and every
one above it normal, and the neurological level the more rostral of the sensory and motor
levels. The sphincter
(S2-S4) is supplied on each side by that side's pudendal nerve (Gray's Anatomy, 42nd ed.).
"""

import pytest

from neurograph import preset_lesion, simulate
from neurograph.isncsci import LEVELS, MOTOR_LEVELS, classify, exam_from_result


def levels(text):
    return [value.rstrip("*") for value in text.split(",")]


def above(segment):
    return LEVELS[LEVELS.index(segment) - 1]


# Every complete cord lesion from C4 to S1: where the segment above has no key muscle (C4, T2-L1)
# the motor level follows the sensory level, which is the segment above, as it is where a key
# muscle decides.
COMPLETE = LEVELS[LEVELS.index("C4") : LEVELS.index("S1") + 1]


@pytest.mark.parametrize("segment", COMPLETE)
def test_complete_cord_lesion_gives_the_motor_level_one_segment_above(packaged_anatomy, segment):
    result = classify(exam_from_result(simulate(packaged_anatomy, segment)))
    for side_levels in (result.right_motor, result.left_motor, result.right_sensory, result.left_sensory):
        assert levels(side_levels) == [above(segment)]
    assert levels(result.neurological_level) == [above(segment)]
    assert levels(result.ais) == ["A"]
    assert result.complete == "C"  # no VAC, no DAP, no sacral light touch or pin prick


@pytest.mark.parametrize("segment", [*COMPLETE, "S2"])
def test_complete_cord_lesion_above_the_sphincter_segments_leaves_no_anal_contraction(packaged_anatomy, segment):
    assert exam_from_result(simulate(packaged_anatomy, segment)).vac == "No"


@pytest.mark.parametrize(("lesion", "vac"), [
    ("left pudendal nerve", "Yes"),       # the right half of the sphincter still contracts
    ("bilateral pudendal nerve", "No"),
    ("conus medullaris", "No"),
    ("cauda equina", "No"),
    (["bilateral S2 root", "bilateral S3 root", "bilateral S4 root"], "No"),
    ("left S2 root", "Yes"),               # S3 and S4 still reach it
])
def test_anal_contraction_follows_the_sphincters_supply(packaged_anatomy, lesion, vac):
    assert exam_from_result(simulate(packaged_anatomy, lesion)).vac == vac


def test_an_anatomy_without_the_sphincter_leaves_anal_contraction_not_testable(packaged_anatomy):
    from neurograph.schema import decode_muscle_groups, encode_muscle_groups

    # the sphincter taken out, with the reflex it answers and its place in a muscle group
    G = packaged_anatomy.copy()
    G.remove_nodes_from([f"{side}.{kind}" for side in "LR"
                         for kind in ("muscle.external_anal_sphincter", "reflex.anal_reflex")])
    groups = decode_muscle_groups(G.graph["muscle_groups"])
    for group in groups.values():
        group["members"] = [member for member in group["members"] if member != "external_anal_sphincter"]
    G.graph["muscle_groups"] = encode_muscle_groups(groups)
    assert exam_from_result(simulate(G, "T6")).vac == "NT"


@pytest.mark.parametrize("segment", ["T2", "T6", "T12", "L1"])
def test_thoracic_motor_level_is_left_to_sensation(packaged_anatomy, segment):
    # No key muscle between T1 and L2: the motor level follows the sensory level, the segment
    # above the lesion.
    result = classify(exam_from_result(simulate(packaged_anatomy, segment)))
    assert levels(result.right_sensory) == levels(result.right_motor) == [above(segment)]


def test_the_two_key_muscle_conventions(packaged_anatomy):
    # C8: ECRB loses its C8 share, yet wrist extension (ECRL, C5-C6) stays 5, so C6 is 5.
    c8 = exam_from_result(simulate(packaged_anatomy, "C8"))
    assert c8.motor("right", "C6") == "5"
    # T1: abductor digiti minimi keeps its C8 share, which does not count for T1.
    t1 = exam_from_result(simulate(packaged_anatomy, "T1"))
    assert t1.motor("right", "C8") == "5" and int(t1.motor("right", "T1")) < 3


def test_the_exam_scores_sensation_at_the_key_points(packaged_anatomy):
    # A complete C6 lesion: key points above it normal, C6 and everything below absent; no deep
    # anal pressure.
    exam = simulate(packaged_anatomy, "C6").isncsci()
    for side in ("right", "left"):
        assert [exam.touch(side, level) for level in ("C2", "C5", "C6", "T4", "S4_5")] == ["2", "2", "0", "0", "0"]
        assert [exam.prick(side, level) for level in ("C2", "C5", "C6", "T4", "S4_5")] == ["2", "2", "0", "0", "0"]
    assert exam.dap == "No"
    assert exam.id == "C6 cord segment, bilateral"
    assert exam == exam_from_result(simulate(packaged_anatomy, "C6"))


def test_without_sensation_the_sensory_scores_are_not_testable(packaged_anatomy):
    exam = simulate(packaged_anatomy, "C6", sensation=False).isncsci()
    assert set(exam.right_touch + exam.left_prick) == {"NT"} and exam.dap == "NT"


def test_a_lesion_that_spares_the_key_muscles_gives_full_motor_scores(packaged_anatomy):
    exam = simulate(packaged_anatomy, "right carpal tunnel").isncsci()
    assert exam.right_motor == exam.left_motor == ("5",) * len(MOTOR_LEVELS)


def test_central_cord_leaves_the_arms_weaker_than_the_legs(packaged_anatomy):
    # Central cord syndrome: upper limbs weaker than lower (Schneider 1954).
    exam = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "central_cord")).isncsci()
    result = classify(exam)
    assert result.totals["upperMotorTotal"] < result.totals["lowerMotorTotal"]
    # the sacral fibres, outermost in the lateral corticospinal tract, are spared: anal
    # contraction stays, so the injury is motor incomplete, and with strong legs D
    assert exam.vac == "Yes" and levels(result.ais) == ["D"]


@pytest.mark.parametrize(("level", "weak_part"), [("C6", slice(0, 5)), ("T10", slice(5, 10))])
def test_hemisection_gives_ipsilateral_weakness_below_the_level(packaged_anatomy, level, weak_part):
    # Brown-Sequard syndrome: motor loss on the side of the lesion below it (Ropper 2019).
    lesion = preset_lesion(packaged_anatomy, "brown_sequard", level=level, side="left")
    exam = simulate(packaged_anatomy, lesion).isncsci()
    assert exam.right_motor == ("5",) * 10
    assert all(int(score) < 5 for score in exam.left_motor[weak_part][1:])
    result = classify(exam)
    assert result.totals["leftMotorTotal"] < result.totals["rightMotorTotal"]
    # the right half of the sphincter keeps its drive: motor incomplete
    assert exam.vac == "Yes" and not {"A", "B"} & set(levels(result.ais))


@pytest.mark.parametrize("level", ["C6", "T6", "T10"])
def test_hemisection_gives_the_brown_sequard_sensory_picture(packaged_anatomy, level):
    # Brown-Sequard syndrome (Ropper 2019; Blumenfeld 2021): pain and temperature are lost on the
    # opposite side from one to two segments below the lesion (the spinothalamic fibres cross in
    # the anterior white commissure after rising one to two segments); on the lesion's side the
    # dorsal columns are cut, so light touch, carried by both tracts, is impaired below the level
    # while pin prick is kept below a band of loss at the level (the segment's own entering fibres,
    # and those rising to it in Lissauer's tract, are cut before they cross).
    lesion = preset_lesion(packaged_anatomy, "brown_sequard", level=level, side="left")
    exam = simulate(packaged_anatomy, lesion).isncsci()
    key_points = list(LEVELS[LEVELS.index("C2") :])
    start = key_points.index(level)
    opposite_pin_prick_from = start + 2
    assert set(exam.right_prick[opposite_pin_prick_from:]) == {"0"}
    assert set(exam.right_prick[: start]) == {"2"}
    assert exam.left_prick[start] != "2"
    assert set(exam.left_prick[start + 3 :]) == {"2"}
    assert set(exam.left_touch[start + 1 :]) <= {"0", "1"}
    result = classify(exam)
    assert levels(result.right_sensory)[-1] in key_points[start - 1 : start + 2]


@pytest.mark.parametrize(("severity", "grades"), [(0.6, {"D"}), (0.9, {"C"})])
def test_partial_cord_lesion_grades_by_the_key_muscles_below(packaged_anatomy, severity, grades):
    # Part of the drive reaches the sphincter, so VAC is present and the injury is motor
    # incomplete. Legs at 3 or more: at least half the key muscles below any allowed NLI reach
    # 3, so it is D, never C. Legs below 3: below the NLI at T9 (sensation altered from T10)
    # fewer than half do (C).
    exam = simulate(packaged_anatomy, [("T10", severity)]).isncsci()
    assert exam.vac == "Yes"
    assert set(levels(classify(exam).ais)) == grades


def test_exam_from_something_else_is_refused():
    from neurograph.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="invalid lesion result 'str'"):
        exam_from_result("C6")


def test_key_scores_never_rise_when_a_lesion_grows(packaged_anatomy):
    # The T1 key score counts only T1's own drive: a complete T1 root lesion leaves abductor
    # digiti minimi its C8 share (grade 3 in the engine) but scores 0, and partial loss of C8
    # as well cannot bring it back up.
    alone = simulate(packaged_anatomy, ["left T1 root"]).isncsci()
    more = simulate(packaged_anatomy, ["left T1 root", ("left C8 root", 0.3)]).isncsci()
    assert alone.motor("left", "T1") == more.motor("left", "T1") == "0"


def test_property_key_scores_never_rise_and_always_classify(packaged_anatomy):
    from hypothesis import given
    from hypothesis import strategies as st

    from neurograph.testing import strategies

    @given(strategies.lesions(packaged_anatomy, max_sites=2), strategies.sites(packaged_anatomy, partial=True))
    def check(lesion, extra):
        before = simulate(packaged_anatomy, lesion).isncsci()
        after = simulate(packaged_anatomy, list(lesion) + [extra]).isncsci()
        for side in ("right", "left"):
            for level in MOTOR_LEVELS:
                assert int(after.motor(side, level)) <= int(before.motor(side, level)), (side, level)
        classify(after)

    check()
