"""Hostile exam files for ``neurograph isncsci``: one ``Error:`` line, bounded, nothing hangs.

Each case runs in a child process bounded to 10 s and 1 GB (tests/bounded.py) and must end in
exactly one ``Error:`` line naming the problem; the library's ``read_exams`` raises the same
message. A FIFO with no writer would block a plain read forever; an oversized file is refused
from its size without being read.
"""

import json
import os

import pytest

from bounded import assert_one_error, run_cli
from neurograph.errors import NeurographError
from neurograph.isncsci import FIELDS, MAX_EXAM_FILE_BYTES, Exam, read_exams


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def _hostile(name, folder):
    """Make the hostile exam file ``name`` in ``folder``: return (path, the error after the path)."""
    if name == "FIFO":
        path = folder / "exam.json"
        os.mkfifo(path)
        return path, ": cannot read ISNCSCI exams: it is a FIFO (named pipe), not a regular file"
    if name == "oversized":
        path = folder / "cohort.csv"
        with open(path, "wb") as handle:
            handle.truncate(MAX_EXAM_FILE_BYTES + 1)  # sparse: takes no disk space
        return path, (f": cannot read ISNCSCI exams: the file is {MAX_EXAM_FILE_BYTES + 1} bytes, "
                      f"larger than the {MAX_EXAM_FILE_BYTES} byte limit")
    if name == "binary garbage":
        # ASCII up to byte 127, then 0x80, which no UTF-8 text may start a character with
        return _write(folder / "cohort.csv", bytes(range(256)) * 64), ": ISNCSCI exams are not UTF-8 text (byte 128)"
    if name == "missing column":
        header = [name for name in FIELDS if name != "s1LeftMotor"]
        record = Exam.normal().to_dict()
        text = ",".join(header) + "\n" + ",".join(record.get(name, "") for name in header) + "\n"
        return _write(folder / "cohort.csv", text), "ISNCSCI exam field s1LeftMotor is missing in the header"
    if name == "JSON number":
        return _write(folder / "exam.json", "42"), ": expected an exam object or a list of them, not int"
    if name == "JSON string":
        return _write(folder / "exam.json", json.dumps("c5RightMotor")), ": expected an exam object or a list of them, not str"
    if name == "JSON list of numbers":
        return (_write(folder / "exams.json", "[1, 2]"),
                "invalid ISNCSCI exam field exam in case 1: 'int' (expected an object of ISNCSCI fields)")
    if name == "deep JSON":
        return (_write(folder / "exams.json", "[" * 100_000 + "]" * 100_000),
                ": ISNCSCI exams are nested too deeply to be exam records")
    if name == "CSV field past the csv limit":
        text = ",".join(FIELDS) + "\n" + '"' + "5" * 200_000 + '"\n'
        return (_write(folder / "cohort.csv", text),
                ": not valid CSV (field larger than field limit (131072), line 2)")
    if name == "empty CSV":
        return _write(folder / "cohort.csv", ""), "ISNCSCI exam field c5RightMotor is missing in the header"
    if name == "header only":
        return _write(folder / "cohort.csv", ",".join(FIELDS) + "\n"), ": no exams"
    raise AssertionError(name)


CASES = ["FIFO", "oversized", "binary garbage", "missing column", "JSON number", "JSON string",
         "JSON list of numbers", "deep JSON", "CSV field past the csv limit", "empty CSV", "header only"]


def _message(path, problem):
    """Problems of the file as a whole follow its path; problems of a field name it instead."""
    return f"{path}{problem}" if problem.startswith(":") else problem


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_exam_file_ends_in_one_error_line_within_bounds(case, tmp_path):
    path, problem = _hostile(case, tmp_path)
    completed = run_cli("isncsci", path)
    assert_one_error(completed, 1)
    assert completed.stderr == f"Error: {_message(path, problem)}\n"
    assert completed.stdout == ""
    if case == "FIFO":
        assert path.is_fifo()  # looked at, never opened for reading nor replaced


@pytest.mark.parametrize("case", CASES)
def test_read_exams_refuses_a_hostile_file_with_the_same_message(case, tmp_path):
    path, problem = _hostile(case, tmp_path)
    with pytest.raises(NeurographError) as raised:
        read_exams(path)
    assert str(raised.value) == _message(path, problem)


def test_a_directory_is_a_usage_error_as_for_every_file_argument(tmp_path):
    # click refuses a directory given for a file before the command runs (exit 2), as for the
    # findings file of `localize`
    folder = tmp_path / "exams.json"
    folder.mkdir()
    completed = run_cli("isncsci", folder)
    assert_one_error(completed, 2, f"File '{folder}' is a directory")


def test_a_directory_given_to_read_exams_is_named(tmp_path):
    folder = tmp_path / "exams.csv"
    folder.mkdir()
    with pytest.raises(NeurographError, match="cannot read ISNCSCI exams: it is a directory, not a regular file"):
        read_exams(folder)
