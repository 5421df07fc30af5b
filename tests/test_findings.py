"""Findings records: built from names, checked entry by entry, read from JSON."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import neurograph
from conftest import load_test_anatomy
from neurograph.errors import AnatomyFileError, NeurographError, UnknownNameError
from neurograph.findings import MuscleExam, findings_from_dict, findings_from_result, read_findings
from neurograph.testing import strategies

# Module level, through the one loader of the anatomy under test: the @given decorators below
# draw their examples from it.
G = load_test_anatomy()


def test_a_record_by_clinicians_names():
    exam = findings_from_dict(G, {
        "phase": "acute",
        "muscles": {"right triceps": 2, "left FDI": {"mrc_grade": 4, "atrophy": True, "tone": "flaccid"}},
        "reflexes": {"right knee jerk": "3+", "left biceps reflex": 0},
        "plantar": {"right": "extensor"},
    })
    assert exam.phase == "acute"
    assert exam.muscles["R.muscle.triceps_brachii"].mrc_grade == 2
    assert exam.muscles["L.muscle.first_dorsal_interosseous"].atrophy is True
    assert exam.reflexes == {"R.reflex.knee_jerk": "3+", "L.reflex.biceps_jerk": "0"}
    assert exam.plantar == {"R": "extensor"}


@pytest.mark.parametrize(
    "record, message",
    [
        ({"muscles": {"right tricep": 3}}, "unknown structure 'right tricep'"),
        ({"muscles": {"triceps": 3}}, "'triceps' needs a side: say left, right or bilateral"),
        ({"muscles": {"quadriceps": 3}}, "'quadriceps' needs a side"),
        ({"muscles": {"right triceps": 6}}, "invalid finding muscle 'right triceps' 6: expected an MRC grade"),
        ({"muscles": {"right triceps": {"mrc_grade": 3, "tone": "rigid"}}}, "expected tone normal, spastic or flaccid"),
        (
            {"muscles": {"right triceps": 3, "R.muscle.triceps_brachii": 4}},
            "invalid finding muscle 'R.muscle.triceps_brachii' 4: expected the same finding as entry 'right triceps', "
            "which also names triceps brachii (right)",
        ),
        (
            {"muscles": {"right quadriceps": 3, "right vastus medialis": 4}},
            "invalid finding muscle 'right vastus medialis' 4: expected the same finding as entry 'right quadriceps', "
            "which also names vastus medialis (right)",
        ),
        ({"reflexes": {"right knee jerk": "5+"}}, "invalid finding reflex 'right knee jerk' '5+'"),
        ({"reflexes": {"right plantar response": "0"}}, "the plantar response goes under 'plantar'"),
        ({"plantar": {"middle": "flexor"}}, "invalid finding plantar 'middle'"),
        ({"plantar": {"left": "upgoing"}}, "expected flexor, extensor or mute"),
        ({"phase": "subacute"}, "invalid phase 'subacute'"),
        ({"tone": {}}, "invalid findings field 'tone'"),
    ],
)
def test_bad_entries_are_named(record, message):
    with pytest.raises(NeurographError, match=message.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        findings_from_dict(G, record)


def test_read_from_json_and_back(tmp_path):
    exam = findings_from_result(neurograph.simulate(G, "C7"), ["R.muscle.triceps_brachii", "L.muscle.tibialis_anterior"])
    path = tmp_path / "exam.json"
    path.write_text(json.dumps(exam.to_dict()))
    assert read_findings(G, path) == exam


def test_unreadable_and_non_json_files(tmp_path):
    with pytest.raises(AnatomyFileError, match="cannot read findings"):
        read_findings(G, tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(AnatomyFileError, match="findings are not valid JSON"):
        read_findings(G, bad)


@given(strategies.findings(G, examined=6))
def test_consistent_findings_round_trip_through_json(exam):
    assert findings_from_dict(G, json.loads(json.dumps(exam.to_dict()))) == exam


@given(strategies.findings(G, examined=4, consistent=False))
def test_arbitrary_findings_are_records_the_checker_accepts_or_names(exam):
    try:
        again = findings_from_dict(G, exam.to_dict())
    except NeurographError:
        return
    assert again.muscles.keys() == exam.muscles.keys()


@given(st.recursive(
    st.none() | st.booleans() | st.integers(-3, 9) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=8,
))
def test_the_findings_parser_gives_a_record_or_a_neurograph_error_for_anything(record):
    try:
        findings_from_dict(G, record)
    except NeurographError:
        pass


def test_a_muscle_group_gives_each_member_its_finding():
    # Quadriceps femoris: rectus femoris and the three vasti (Gray's Anatomy, 42nd edn).
    exam = findings_from_dict(G, {"muscles": {"right quadriceps": {"mrc_grade": 3, "atrophy": True}, "left FDI": 5}})
    quadriceps = {f"R.muscle.{name}" for name in ("rectus_femoris", "vastus_lateralis", "vastus_medialis", "vastus_intermedius")}
    assert set(exam.muscles) == quadriceps | {"L.muscle.first_dorsal_interosseous"}
    assert {exam.muscles[node] for node in quadriceps} == {MuscleExam(3, atrophy=True)}
    # A member listed on its own with the same finding agrees with the group.
    again = findings_from_dict(G, {"muscles": {"right quadriceps": 3, "right vastus medialis": 3}})
    assert set(again.muscles) == quadriceps
    both = findings_from_dict(G, {"muscles": {"bilateral quadriceps": 4}})
    assert {node.split(".")[0] for node in both.muscles} == {"L", "R"} and len(both.muscles) == 8


def test_every_muscle_group_of_the_anatomy_is_accepted_in_a_record():
    for group_id, group in json.loads(G.graph["muscle_groups"]).items():
        for name in [group_id, group["label"], *group["aliases"]]:
            exam = findings_from_dict(G, {"muscles": {f"left {name}": 2}})
            assert set(exam.muscles) == {f"L.muscle.{member}" for member in group["members"]}, name


def test_unknown_muscle_suggests(tmp_path):
    with pytest.raises(UnknownNameError) as caught:
        findings_from_dict(G, {"muscles": {"right tibialis anterio": 2}})
    assert "tibialis anterior" in caught.value.suggestions


def test_read_from_yaml(tmp_path):
    path = tmp_path / "exam.yaml"
    path.write_text("phase: acute\nmuscles:\n  right triceps: 2\n  left FDI: {mrc_grade: 4, atrophy: true}\nplantar:\n  right: extensor\n")
    exam = read_findings(G, path)
    assert exam.phase == "acute" and exam.plantar == {"R": "extensor"}
    assert exam.muscles["L.muscle.first_dorsal_interosseous"].atrophy is True
    bad = tmp_path / "bad.yml"
    bad.write_text("muscles: [unclosed\n")
    with pytest.raises(AnatomyFileError, match="findings are not valid YAML"):
        read_findings(G, bad)
