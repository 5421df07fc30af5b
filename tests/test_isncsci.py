"""The ISNCSCI classifier against the 128 reference cases, and the exam record's contract.

The reference cases (tests/data/isncsci/2019.json, see the README there) carry the expected
classification of each examination by the 2019 International Standards.
"""

import json
from pathlib import Path

import pytest

from neurograph.errors import NeurographError
from neurograph.isncsci import FIELDS, Exam, InvalidExamError, classify, classifications_csv, read_exams

DATA = Path(__file__).parent / "data" / "isncsci"
CASES = json.loads((DATA / "2019.json").read_text(encoding="utf-8"))

def test_the_reference_file_is_complete():
    assert len(CASES) == 128
    assert (DATA / "LICENSE").is_file()


@pytest.mark.parametrize("case", CASES, ids=[str(case["id"]) for case in CASES])
def test_reference_case(case):
    got = classify(Exam.from_dict(case)).to_dict()
    for name, expected in case["totals"].items():
        assert got[name] == expected, f"case {case['id']}: {name}"


def test_exam_round_trips_through_its_record():
    for case in CASES[:20]:
        exam = Exam.from_dict(case)
        assert Exam.from_dict(exam.to_dict()) == exam


def test_csv_of_exams_classifies_row_by_row(tmp_path):
    exams = [Exam.from_dict(case) for case in CASES[:5]]
    path = tmp_path / "cohort.csv"
    header = ["id", *FIELDS]
    lines = [",".join(header)]
    for exam in exams:
        record = exam.to_dict()
        lines.append(",".join(str(record.get(name, "")) for name in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_exams(path)
    assert read == exams
    text = classifications_csv([classify(exam) for exam in read])
    rows = text.splitlines()
    assert len(rows) == 6 and rows[0].startswith("id,rightUpperMotorTotal")
    assert rows[1].split(",")[0] == str(CASES[0]["id"])


@pytest.mark.parametrize(("change", "field"), [
    ({"c6RightMotor": "6"}, "c6RightMotor"),
    ({"t4LeftTouch": "3"}, "t4LeftTouch"),
    ({"s4_5RightPrick": "2*"}, "s4_5RightPrick"),   # a normal score cannot be flagged impaired
    ({"l2LeftMotor": "5**"}, "l2LeftMotor"),
    ({"analContraction": "maybe"}, "analContraction"),
    ({"rightLowestNonKeyMuscleWithMotorFunction": "X9"}, "rightLowestNonKeyMuscleWithMotorFunction"),
])
def test_malformed_exam_is_refused_with_the_field_named(change, field):
    record = {**Exam.normal().to_dict(), **change}
    with pytest.raises(InvalidExamError, match=field) as caught:
        Exam.from_dict(record)
    assert caught.value.field == field and isinstance(caught.value, NeurographError)


def test_missing_field_is_named():
    record = Exam.normal().to_dict()
    del record["c7LeftPrick"]
    with pytest.raises(InvalidExamError, match="c7LeftPrick"):
        Exam.from_dict(record)


def test_a_bad_row_is_named_with_its_row(tmp_path):
    path = tmp_path / "bad.csv"
    record = Exam.normal().to_dict()
    record["c5LeftMotor"] = "9"
    path.write_text(",".join(record) + "\n" + ",".join(record.values()) + "\n", encoding="utf-8")
    with pytest.raises(InvalidExamError, match="c5LeftMotor in row 1"):
        read_exams(path)
