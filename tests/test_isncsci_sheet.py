"""The ISNCSCI worksheet figure: every format, atomic and deterministic, and from the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pytest
from click.testing import CliRunner

from neurograph.cli import main
from neurograph.drawing import figure_bytes, save_figure
from neurograph.drawing.isncsci_sheet import isncsci_figure
from neurograph.isncsci import Exam, classify

CASE = json.loads((Path(__file__).parent / "data" / "isncsci" / "2019.json").read_text(encoding="utf-8"))[0]

RENDER = """
import json, sys, matplotlib; matplotlib.use("Agg")
from neurograph.drawing import figure_bytes
from neurograph.drawing.isncsci_sheet import isncsci_figure
from neurograph.isncsci import Exam
sys.stdout.buffer.write(figure_bytes(isncsci_figure(Exam.from_dict(json.loads(sys.argv[1]))), "svg"))
"""


def test_worksheet_svg_is_byte_identical_across_runs():
    exam = Exam.from_dict(CASE)
    here, again = (figure_bytes(isncsci_figure(exam), "svg") for _ in range(2))
    elsewhere = subprocess.run([sys.executable, "-c", RENDER, json.dumps(exam.to_dict())],
                               capture_output=True, check=True).stdout
    assert here == again == elsewhere


def test_worksheet_shows_every_score_and_the_classification():
    exam = Exam.from_dict(CASE)
    texts = [text.get_text() for text in isncsci_figure(exam).axes[0].texts]
    result = classify(exam)
    assert "S4-5" in texts and texts.count("NT") == 1  # the legend: this exam has no NT score
    assert result.neurological_level in texts and result.ais in texts
    # 28 key points x 2 sides x (light touch, pin prick) + 10 key muscles x 2 sides
    assert len([text for text in texts if text.rstrip("*").isdigit()]) >= 28 * 4 + 20


@pytest.mark.parametrize(("suffix", "magic"), [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_worksheet_saves_in_each_format(tmp_path, suffix, magic):
    target = tmp_path / f"sheet{suffix}"
    save_figure(isncsci_figure(Exam.normal(id="normal")), target, dpi=40)
    assert target.read_bytes().startswith(magic)
    assert [path.name for path in tmp_path.iterdir()] == [target.name]


def test_cli_writes_the_worksheet_of_one_exam(tmp_path):
    exam_path = tmp_path / "exam.json"
    exam_path.write_text(json.dumps(Exam.from_dict(CASE).to_dict()), encoding="utf-8")
    target = tmp_path / "sheet.svg"
    result = CliRunner().invoke(main, ["isncsci", str(exam_path), "--output", str(target)])
    assert result.exit_code == 0 and result.output.endswith(f"Worksheet written to {target}\n")
    assert target.read_bytes().startswith(b"<?xml")


def test_cli_refuses_a_worksheet_of_many_exams_before_writing(tmp_path):
    exam_path = tmp_path / "two.json"
    exam_path.write_text(json.dumps([Exam.normal().to_dict()] * 2), encoding="utf-8")
    result = CliRunner().invoke(main, ["isncsci", str(exam_path), "--output", str(tmp_path / "sheet.pdf")])
    assert result.exit_code == 1
    assert result.stderr == ("Error: invalid number of exams for --output 2: "
                             "expected one exam (the worksheet draws one)\n")
    assert not (tmp_path / "sheet.pdf").exists()


def test_cli_checks_the_output_before_reading_the_exams(tmp_path):
    result = CliRunner().invoke(main, ["isncsci", str(tmp_path / "missing.json"), "--output", str(tmp_path / "x.jpg")])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "missing.json" not in result.stderr
