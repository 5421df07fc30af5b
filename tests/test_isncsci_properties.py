"""Properties of the ISNCSCI classifier, checked with hypothesis over examinations.

Monotone fields (raising one motor or sensory score, nothing else changed, plain scores):
- right and left sensory level, right and left motor level and the NLI never move rostrally;
- every score total never decreases;
- an incomplete injury never becomes complete, so an AIS other than A never becomes A, and
  AIS E never changes.
Not monotone, by the standard's own rules (each shown by an example below): AIS C and D (moving
the NLI caudally removes key muscles graded 3 or more from the proportion of D), and AIS B and
C (moving the motor level caudally can leave spared function within three levels of it).
"""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from neurograph.isncsci import (
    FIELDS, LEVELS, MOTOR_LEVELS, SENSORY_LEVELS, Exam, InvalidExamError, classify,
)

MOTOR_SCORES = [str(grade) for grade in range(6)]
SENSORY_SCORES = ["0", "1", "2"]
MOTOR_ANY = MOTOR_SCORES + ["NT", "NT*", "NT**"] + [f"{g}{flag}" for g in range(5) for flag in ("*", "**")]
SENSORY_ANY = SENSORY_SCORES + ["NT", "NT*", "NT**"] + [f"{g}{flag}" for g in range(2) for flag in ("*", "**")]
ANAL = ["Yes", "No", "NT"]
NON_KEY = [None, *LEVELS[:-1]]
ORDER = {level: index for index, level in enumerate([*LEVELS[:-1], "INT"])}


@st.composite
def exams(draw, motor=MOTOR_SCORES, sensory=SENSORY_SCORES, anal=("Yes", "No"), non_key=(None,)):
    """Examinations; skewed towards the patterns of injuries (normal above, impaired below)."""
    def side(scores, count, normal):
        top = draw(st.integers(0, count))
        return tuple([normal] * top + [draw(st.sampled_from(scores)) for _ in range(count - top)])

    return Exam(
        side(motor, 10, "5"), side(motor, 10, "5"), side(sensory, 28, "2"), side(sensory, 28, "2"),
        side(sensory, 28, "2"), side(sensory, 28, "2"), draw(st.sampled_from(anal)), draw(st.sampled_from(anal)),
        draw(st.sampled_from(non_key)), draw(st.sampled_from(non_key)),
    )


def raised(exam, data):
    """The exam with one motor or sensory score raised by one grade or more."""
    name = data.draw(st.sampled_from(["right_motor", "left_motor", "right_touch", "left_touch",
                                      "right_prick", "left_prick"]))
    scores = list(getattr(exam, name))
    top = 5 if name.endswith("motor") else 2
    candidates = [i for i, score in enumerate(scores) if int(score) < top]
    assume(candidates)
    index = data.draw(st.sampled_from(candidates))
    scores[index] = str(data.draw(st.integers(int(scores[index]) + 1, top)))
    return exam.replace(**{name: tuple(scores)})


LEVEL_FIELDS = ("right_sensory", "left_sensory", "right_motor", "left_motor", "neurological_level")


@given(exams(), st.data())
def test_raising_a_score_never_moves_a_level_rostrally_nor_lowers_a_total(exam, data):
    before, after = classify(exam), classify(raised(exam, data))
    for field in LEVEL_FIELDS:
        assert ORDER[getattr(after, field)] >= ORDER[getattr(before, field)], field
    for name, total in before.totals.items():
        assert after.totals[name] >= total, name


@given(exams(), st.data())
def test_raising_a_score_never_makes_an_injury_complete_nor_leaves_ais_e(exam, data):
    before, after = classify(exam), classify(raised(exam, data))
    if before.complete == "I":
        assert after.complete == "I" and after.ais != "A"
    if before.ais == "E":
        assert after.ais == "E"


def test_ais_d_can_become_c_when_a_raised_score_moves_the_nli_down():
    # Arms 5, legs 0, VAC present: below an NLI of C4, 10 of 20 key muscles reach 3 (half: D);
    # normal C5 sensation moves the NLI to C5, leaving 8 of 18 (less than half: C).
    arms_only = ("5",) * 5 + ("0",) * 5
    touch = ("2",) * 3 + ("0",) * 24 + ("1",)
    exam = Exam(arms_only, arms_only, touch, touch, touch, touch, "Yes", "Yes")
    better = exam.replace(right_touch=touch[:3] + ("2",) + touch[4:], left_touch=touch[:3] + ("2",) + touch[4:],
                          right_prick=touch[:3] + ("2",) + touch[4:], left_prick=touch[:3] + ("2",) + touch[4:])
    assert (classify(exam).neurological_level, classify(exam).ais) == ("C4", "D")
    assert (classify(better).neurological_level, classify(better).ais) == ("C5", "C")


def test_ais_c_can_become_b_when_a_raised_score_moves_the_motor_level_down():
    # No VAC, sacral sensation spared. Motor level C5 with a flicker at T1 (more than three
    # levels below): motor incomplete, C. With C6 at 3 the motor level is C6 and T1 is only
    # two levels below it: motor complete, B.
    motor = ("5", "2", "0", "0", "1") + ("0",) * 5
    touch = ("2",) * 28
    exam = Exam(motor, motor, touch, touch, touch, touch, "No", "Yes")
    better = exam.replace(right_motor=("5", "3") + motor[2:], left_motor=("5", "3") + motor[2:])
    assert classify(exam).ais == "C" and classify(better).ais == "B"


SWAPPED = {"right": "left", "left": "right"}


@given(exams(motor=MOTOR_ANY, sensory=SENSORY_ANY, anal=ANAL, non_key=NON_KEY))
def test_classification_is_symmetric_under_swapping_sides(exam):
    result, mirror = classify(exam).to_dict(), classify(exam.swap_sides()).to_dict()
    for name, value in result.items():
        for side, other in SWAPPED.items():
            if name.startswith(side):
                name = other + name[len(side):]
                break
        assert mirror[name] == value, name


def values(text):
    return {value.rstrip("*") for value in text.split(",")}


@given(exams(motor=MOTOR_ANY, sensory=SENSORY_ANY, anal=ANAL, non_key=NON_KEY), st.data())
def test_nt_only_widens_the_result(exam, data):
    record = exam.to_dict()
    scores = [name for name in FIELDS[:-2] if record[name] != "NT"]
    name = data.draw(st.sampled_from(scores))
    record[name] = "NT"
    before, after = classify(exam).to_dict(), classify(Exam.from_dict(record)).to_dict()
    for field, value in before.items():
        if field.endswith("Total"):
            assert after[field] in (value, "ND"), field
        else:
            assert values(value) <= values(after[field]), field


@given(exams(motor=MOTOR_ANY, sensory=SENSORY_ANY, anal=ANAL, non_key=NON_KEY))
def test_classify_never_raises_on_an_exam_the_type_accepts(exam):
    result = classify(exam)
    assert result.ais and all(grade.rstrip("*") in "ABCDE" for grade in result.ais.split(","))
    assert repr(result) and str(result)


BAD = st.one_of(st.text(max_size=4), st.integers(-3, 12).map(str), st.sampled_from(["5*", "2**", "NA", "6", "-1", ""]),
                st.floats(allow_nan=True), st.none(), st.booleans())


@given(st.sampled_from(FIELDS[:-2]), BAD)
def test_malformed_exam_is_refused_with_the_field_named(field, value):
    allowed = SENSORY_ANY if field.endswith(("Touch", "Prick")) else MOTOR_ANY if field.endswith("Motor") else ANAL
    assume(str(value).strip() not in allowed and str(value).strip().upper() not in [a.upper() for a in allowed])
    record = Exam.normal().to_dict()
    record[field] = value
    with pytest.raises(InvalidExamError) as caught:
        Exam.from_dict(record)
    assert caught.value.field == field and field in str(caught.value)


def test_levels_are_in_worksheet_order():
    assert LEVELS[0] == "C1" and SENSORY_LEVELS[-1] == "S4_5" and MOTOR_LEVELS[4] == "T1"
