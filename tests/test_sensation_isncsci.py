"""The sensory half of the ISNCSCI exam of simulated complete cord lesions, against the
reference cases.

The expectations come from the ISNCSCI reference cases (tests/data/isncsci/2019.json, the
praxis ISNCSCI algorithm's specification of the 2019 International Standards; see the README
there): each complete (AIS A) case whose sensation is normal down to a key point and absent
at every key point below it, on both sides, is the sensory picture of a complete lesion of the
segment below that key point (ISNCSCI 2019: below a complete lesion nothing is felt, the
sacral segments included). Its totals give the sensory levels and the sensory zones of
partial preservation that the standard assigns to that picture.
"""

import json
from pathlib import Path

import pytest

import neurograph
from neurograph.isncsci import LEVELS, SENSORY_LEVELS, classify

CASES = json.loads((Path(__file__).parent / "data" / "isncsci" / "2019.json").read_text(encoding="utf-8"))


def _sharp_cut(case, side):
    """The first key point level below normal sensation when sensation is normal above it and
    absent from it down on ``side`` ("Right" or "Left"); else None."""
    scores = [(case[f"{_key(level)}{side}Touch"], case[f"{_key(level)}{side}Prick"]) for level in SENSORY_LEVELS]
    normal = next((index for index, score in enumerate(scores) if score != ("2", "2")), len(scores))
    if normal in (0, len(scores) - 1, len(scores)) or set(scores[normal:]) != {("0", "0")}:
        return None
    return SENSORY_LEVELS[normal]


def _key(level):
    return level.lower()


#: (case, side) of every complete case with a sharp cut on that side.
COMPLETE_SIDES = [
    (case, side) for case in CASES for side in ("Right", "Left")
    if case["totals"]["asiaImpairmentScale"] == "A" and _sharp_cut(case, side)
]


def test_the_reference_holds_complete_cases_with_a_sharp_sensory_cut():
    # The cases this file checks against: cervical, thoracic and lumbar ones.
    assert {_sharp_cut(case, side) for case, side in COMPLETE_SIDES} >= {"C7", "T7", "L1"}


@pytest.mark.parametrize(("case", "side"), COMPLETE_SIDES, ids=[f"case {case['id']} {side}" for case, side in COMPLETE_SIDES])
def test_a_complete_lesion_gives_the_reference_sensory_scores_levels_and_zones(packaged_anatomy, case, side):
    # The fibres entering just below the lesion climb through it in Lissauer's tract, so the
    # first key point below is absent too, and no zone of partial preservation extends below
    # the sensory level (the standard then records the sensory level as the zone).
    segment = _sharp_cut(case, side)
    exam = neurograph.simulate(packaged_anatomy, f"{segment} cord segment").isncsci()
    for level in SENSORY_LEVELS:
        field = f"{_key(level)}{side}"
        got = (exam.touch(side.lower(), level), exam.prick(side.lower(), level))
        assert got == (case[f"{field}Touch"], case[f"{field}Prick"]), (segment, field)
    assert exam.dap == case["analSensation"]
    got = classify(exam).to_dict()
    for name in ("Sensory", "SensoryZpp", "TouchTotal", "PrickTotal"):
        name = f"{side.lower()}{name}"
        assert got[name] == case["totals"][name].rstrip("*"), (segment, name)


@pytest.mark.parametrize("segment", LEVELS[LEVELS.index("C4") : LEVELS.index("S1") + 1])
def test_no_sensory_zone_of_partial_preservation_below_a_complete_lesion(packaged_anatomy, segment):
    # As in the reference cases above: with nothing felt below the sensory level, the sensory
    # zone of partial preservation is the sensory level itself (ISNCSCI 2019).
    result = classify(neurograph.simulate(packaged_anatomy, f"{segment} cord segment").isncsci())
    above = LEVELS[LEVELS.index(segment) - 1]
    assert result.right_sensory_zpp == result.left_sensory_zpp == result.right_sensory == above
