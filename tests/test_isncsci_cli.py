"""The ``neurograph isncsci`` command: exact messages, exit codes and output shapes (CliRunner)."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurograph.cli import main
from neurograph.isncsci import FIELDS, Exam

CASES = json.loads((Path(__file__).parent / "data" / "isncsci" / "2019.json").read_text(encoding="utf-8"))
# Reference case 1 (InSTeP module 5, assessment case A) and its expected classification.
CASE = CASES[0]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*arguments):
        return runner.invoke(main, list(arguments))

    return invoke


@pytest.fixture
def exam_file(tmp_path):
    path = tmp_path / "exam.json"
    path.write_text(json.dumps(Exam.from_dict(CASE).to_dict()), encoding="utf-8")
    return path


def test_one_exam_prints_the_classification_box(run, exam_file):
    result = run("isncsci", str(exam_file))
    assert result.exit_code == 0
    expected = CASE["totals"]
    assert f"Neurological level (NLI)      {expected['neurologicalLevelOfInjury']}\n" in result.output
    assert f"AIS grade                     {expected['asiaImpairmentScale']}\n" in result.output
    assert f"Right motor level             {expected['rightMotor']}\n" in result.output
    assert f"Left motor level              {expected['leftMotor']}\n" in result.output


def test_json_output_is_the_reference_shape(run, exam_file):
    payload = json.loads(run("isncsci", str(exam_file), "--json").output)
    assert {name: payload[name] for name in CASE["totals"]} == CASE["totals"]


def test_a_csv_of_exams_gives_a_csv_of_classifications(run, tmp_path):
    path = tmp_path / "cohort.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", *FIELDS], extrasaction="ignore")
        writer.writeheader()
        for case in CASES[:4]:
            writer.writerow({"id": case["id"], **Exam.from_dict(case).to_dict()})
    result = run("isncsci", str(path))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [row["id"] for row in rows] == [str(case["id"]) for case in CASES[:4]]
    for row, case in zip(rows, CASES[:4]):
        assert row["asiaImpairmentScale"] == case["totals"]["asiaImpairmentScale"]
        assert row["neurologicalLevelOfInjury"] == case["totals"]["neurologicalLevelOfInjury"]


def test_a_malformed_score_is_one_error_line_naming_the_field(run, tmp_path):
    record = Exam.normal().to_dict()
    record["c6LeftMotor"] = "7"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = run("isncsci", str(path))
    assert result.exit_code == 1
    assert result.stderr == ("Error: invalid ISNCSCI exam field c6LeftMotor in the exam: '7' "
                             "(expected 0-5, NT, or one of these flagged with * or **)\n")


def test_a_missing_column_is_named_from_the_header(run, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("id,c2RightTouch\np1,2\n", encoding="utf-8")
    result = run("isncsci", str(path))
    assert result.exit_code == 1
    assert result.stderr == "Error: ISNCSCI exam field c5RightMotor is missing in the header\n"


def test_a_short_row_is_named_with_its_first_missing_field(run, tmp_path):
    path = tmp_path / "ragged.csv"
    record = Exam.normal().to_dict()
    values = list(record.values())
    path.write_text(",".join(record) + "\n" + ",".join(values) + "\n" + ",".join(values[:-3]) + "\n", encoding="utf-8")
    result = run("isncsci", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"Error: ISNCSCI exam field {list(record)[-3]} is missing in row 2\n"


def test_a_missing_file_and_a_wrong_extension_are_error_lines(run, tmp_path):
    result = run("isncsci", str(tmp_path / "none.json"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'none.json'}: cannot read ISNCSCI exams (No such file or directory)\n"
    other = tmp_path / "exam.txt"
    other.write_text("x")
    result = run("isncsci", str(other))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {other}: an ISNCSCI exam file must be .json or .csv\n"


def test_invalid_json_is_an_error_line(run, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    result = run("isncsci", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: not valid JSON (") and "Traceback" not in result.output


def test_lesion_isncsci_prints_the_key_muscle_scores_and_classification(run):
    # A complete T1 lesion: key muscles C5-C8 normal, T1 and below lost (see
    # tests/test_isncsci_lesions.py), no anal contraction, no sensation from T1 down: motor,
    # sensory and neurological levels C8, AIS A (ISNCSCI 2019).
    result = run("lesion", "T1", "--isncsci")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "ISNCSCI exam of T1 cord segment, bilateral"
    assert lines[1] == "Key muscle    C5  C6  C7  C8  T1  L2  L3  L4  L5  S1"
    assert lines[2] == "  right        5   5   5   5   0   0   0   0   0   0"
    assert "Right motor level             C8" in lines
    assert "Right sensory level           C8" in lines
    assert "AIS grade                     A" in lines


def test_lesion_isncsci_json_holds_exam_and_classification(run):
    payload = json.loads(run("lesion", "C6", "--isncsci", "--json").output)
    assert int(payload["exam"]["c5RightMotor"]) >= 3 and payload["exam"]["analContraction"] == "No"
    assert payload["classification"]["rightMotor"].split(",")[-1] == "C5"
