"""Sensory entries of findings records: names, grades, modalities, files, and the errors that name the entry.

Grades are the ISNCSCI scale (ISNCSCI2019, data/sources/references.csv): 0 absent, 1 altered,
2 normal; the key points are named as the standard names them.
"""

import json

import pytest
from click.testing import CliRunner

import neurograph
from neurograph.cli import main
from neurograph.errors import AmbiguousSideError, NeurographError, UnknownNameError
from neurograph.paths import territory
from neurograph.findings import SensoryExam, findings_from_dict, findings_from_result, read_findings


@pytest.fixture(scope="module")
def G(packaged_anatomy):
    return packaged_anatomy


def test_key_points_by_their_isncsci_names_and_aliases(G):
    exam = findings_from_dict(G, {"sensation": {
        "right C6 key point": {"light touch": 1},
        "right dermatome C6": {"pin prick": 0},
        "left dorsal surface of the proximal phalanx of the thumb": {"Pin_Prick": 2, "vibration": 2},
        "right lateral side of the heel": {"proprioception": 0, "position sense": 0},
    }})
    assert exam.sensation["R.key_point.C6"] == SensoryExam(light_touch=1, pin_prick=0)
    assert exam.sensation["L.key_point.C6"].grades == {"pin_prick": 2, "vibration": 2}
    assert exam.sensation["R.skin.lateral_heel"].joint_position == 0


def test_a_cutaneous_territory_gives_each_place_it_serves_whole_the_finding(G):
    exam = findings_from_dict(G, {"sensation": {"right superficial radial nerve": {"pin prick": 0}}})
    served = territory(G, "right superficial radial nerve").whole
    assert sorted(exam.sensation) == sorted(served)
    assert "R.skin.radial_dorsum_of_hand" in exam.sensation and "R.skin.thenar_eminence" not in exam.sensation
    assert {place.grades["pin_prick"] for place in exam.sensation.values()} == {0}


def test_a_territory_and_a_place_in_it_combine_modality_by_modality(G):
    exam = findings_from_dict(G, {"sensation": {
        "right superficial radial nerve": {"pin prick": 0},
        "right radial half of the back of the hand": {"pin prick": 0, "vibration": 2},
    }})
    assert exam.sensation["R.skin.radial_dorsum_of_hand"].grades == {"pin_prick": 0, "vibration": 2}


def test_bilateral_names_give_both_sides(G):
    exam = findings_from_dict(G, {"sensation": {"bilateral T10 key point": {"pin prick": 0}}})
    assert sorted(exam.sensation) == ["L.key_point.T10", "R.key_point.T10"]


@pytest.mark.parametrize(
    "entries, error, message",
    [
        ({"right C6 keypoint nowhere": {"pin prick": 0}}, UnknownNameError, "unknown structure 'right C6 keypoint nowhere'"),
        ({"C6 key point": {"pin prick": 0}}, AmbiguousSideError, "'C6 key point' needs a side"),
        ({"right C6 key point": {"smell": 0}}, NeurographError, "invalid finding sensation 'right C6 key point' 'smell': expected a modality"),
        ({"right C6 key point": {"pin prick": 3}}, NeurographError, "invalid finding sensation 'right C6 key point' pin prick 3: expected an ISNCSCI sensory grade"),
        ({"right C6 key point": {"pin prick": -1}}, NeurographError, "invalid finding sensation 'right C6 key point' pin prick -1"),
        ({"right C6 key point": {"pin prick": True}}, NeurographError, "invalid finding sensation 'right C6 key point' pin prick True"),
        ({"right C6 key point": {"pin prick": "1"}}, NeurographError, "invalid finding sensation 'right C6 key point' pin prick '1'"),
        ({"right C6 key point": 1}, NeurographError, "invalid finding sensation 'right C6 key point' 1: expected a mapping of modality"),
        ({"right C6 key point": {}}, NeurographError, "invalid finding sensation 'right C6 key point' {}: expected a mapping"),
        (
            {"right C6 key point": {"pin prick": 1, "pinprick": 0}}, NeurographError,
            "invalid finding sensation 'right C6 key point' pinprick 0: expected one grade of pin prick",
        ),
        (
            {"right C6 key point": {"pin prick": 1}, "right dermatome C6": {"pin prick": 0}}, NeurographError,
            "invalid finding sensation 'right dermatome C6' 0: expected the same pin prick grade as entry "
            "'right C6 key point', which also names C6 key sensory point",
        ),
        (
            {"right superficial radial nerve": {"pin prick": 0}, "right radial half of the back of the hand": {"pin prick": 2}},
            NeurographError,
            "expected the same pin prick grade as entry 'right superficial radial nerve', which also names radial half of the back of the hand",
        ),
        ({"right deltoid": {"pin prick": 0}}, NeurographError, "expected a skin place, an ISNCSCI key point or a structure that serves some skin whole"),
    ],
)
def test_bad_sensory_entries_are_named(G, entries, error, message):
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)").replace("{", r"\{").replace("}", r"\}")):
        findings_from_dict(G, {"sensation": entries})


def test_the_record_field_is_named_in_the_error_for_a_non_mapping(G):
    with pytest.raises(NeurographError, match="invalid findings sensation 'list'"):
        findings_from_dict(G, {"sensation": ["right C6 key point"]})


def test_json_and_yaml_files_round_trip_the_sensory_entries(G, tmp_path):
    exam = findings_from_dict(G, {"muscles": {"right triceps": 4}, "sensation": {
        "right C7 key point": {"pin prick": 1, "light touch": 1}, "left lateral side of the heel": {"vibration": 0}}})
    as_json = tmp_path / "exam.json"
    as_json.write_text(json.dumps(exam.to_dict()))
    assert read_findings(G, as_json) == exam
    as_yaml = tmp_path / "exam.yaml"
    as_yaml.write_text(
        "muscles: {right triceps: 4}\n"
        "sensation:\n  right C7 key point: {pin prick: 1, light touch: 1}\n  left lateral side of the heel: {vibration: 0}\n"
    )
    assert read_findings(G, as_yaml) == exam
    assert exam.to_dict()["sensation"] == {"L.skin.lateral_heel": {"vibration": 0}, "R.key_point.C7": {"light_touch": 1, "pin_prick": 1}}


def test_the_table_has_one_row_per_place_and_modality(G):
    exam = findings_from_dict(G, {"sensation": {"right C7 key point": {"pin prick": 1, "light touch": 2}}})
    rows = exam.to_table()[["finding", "node", "modality", "sensory_grade"]].values.tolist()
    assert rows == [["sensation", "R.key_point.C7", "light_touch", 2], ["sensation", "R.key_point.C7", "pin_prick", 1]]


def test_findings_of_a_simulated_lesion_hold_the_places_asked_for(G):
    result = neurograph.simulate(G, "right superficial radial nerve")
    exam = findings_from_result(result, [], ["R.key_point.C6", "L.key_point.C6"])
    assert exam.sensation["R.key_point.C6"].grades == result.sensory("R.key_point.C6").grades
    assert exam.sensation["L.key_point.C6"].grades == dict.fromkeys(exam.sensation["L.key_point.C6"].grades, 2)
    assert findings_from_result(result, []).sensation == {}
    with pytest.raises(NeurographError, match="invalid places 'R.key_point.C6': expected a lesion simulated with sensation"):
        findings_from_result(neurograph.simulate(G, "C7", sensation=False), [], ["R.key_point.C6"])


def test_the_cli_localizes_a_file_with_sensory_entries_and_names_a_bad_one(tmp_path):
    exam = tmp_path / "exam.yaml"
    exam.write_text(
        "muscles: {right FDI: 2, right abductor digiti minimi: 2, right abductor pollicis brevis: 5}\n"
        "sensation:\n  right ulnar half of the back of the hand: {pin prick: 2}\n"
        "  right palmar surface of the little finger: {pin prick: 0}\n"
    )
    result = CliRunner().invoke(main, ["localize", str(exam), "--top", "1"])
    assert result.exit_code == 0
    assert result.output.startswith(" 1. ulnar nerve at Guyon's canal (right)")
    exam.write_text("sensation:\n  right C6 key point: {pin prick: 4}\n")
    result = CliRunner().invoke(main, ["localize", str(exam)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid finding sensation 'right C6 key point' pin prick 4")
