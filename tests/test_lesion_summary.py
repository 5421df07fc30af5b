"""What a lesion's text summary, repr, caption and notebook display say about sensation and the
cranial nerves: the CLI's ``lesion`` output is the summary, so a sign missing here is missing for
every reader of the command line.

Expectations from the references: the Brown-Sequard picture (ipsilateral loss of vibration and
joint position, contralateral loss of pain and temperature; Blumenfeld, Neuroanatomy through
Clinical Cases, 3rd edn, 2021, and ``data/sources/sensory/syndrome_findings.csv``), the lateral
medullary picture (pain and temperature lost on the same side of the face and the opposite side of
the body, touch kept; Blumenfeld 2021; Brazis et al., Localization in Clinical Neurology, 6th edn,
2011), the superficial radial nerve's skin on the back of the radial hand and the anterior
interosseous nerve's lack of any (Gray's Anatomy, 42nd edn; Preston and Shapiro, 4th edn, 2020),
the ISNCSCI sensory level (ISNCSCI 2019: the most caudal key point normal with all above it), and
the oculomotor palsy of a ventral midbrain (Weber) lesion (Blumenfeld 2021).
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

import neurograph
from neurograph.cli import main
from neurograph.isncsci import SENSORY_LEVELS

KEY_LEVELS = [level.replace("_", "-") for level in SENSORY_LEVELS]


def sensation_lines(summary):
    lines = summary.splitlines()
    assert "Sensation (0 absent, 1 impaired, 2 normal):" in lines, summary
    return lines[lines.index("Sensation (0 absent, 1 impaired, 2 normal):") + 1:]


def lines_of_side(lines, side):
    return [line for line in lines if f" ({side}): " in line]


def lost(line):
    """The modalities a summary line names with their grades."""
    grades = line.split(" (")[0].strip()
    return dict((name, int(grade)) for name, grade in re.findall(r"([a-z ]+?) (\d)(?:, |$)", grades))


def key_point_runs(line):
    """The key point levels a summary line names, runs expanded ("C7-S4-5" is C7 to S4-5)."""
    found = re.search(r"key points? ((?:(?:S4-5|[CTLS]\d+)(?:-(?:S4-5|[CTLS]\d+))?(?:, |$))+)", line)
    if found is None:
        return []
    levels = []
    for run in found.group(1).rstrip(", ").split(", "):
        ends = re.findall(r"S4-5|[CTLS]\d+", run)
        levels += KEY_LEVELS[KEY_LEVELS.index(ends[0]): KEY_LEVELS.index(ends[-1]) + 1]
    return levels


def test_a_brown_sequard_summary_gives_each_side_its_half_of_the_picture(anatomy):
    summary = neurograph.simulate(anatomy, "left T10 hemisection").summary()
    lines = sensation_lines(summary)
    # Below the lesion, the same side keeps pain but loses vibration and joint position ...
    dorsal = [lost(line) for line in lines_of_side(lines, "left") if "S4-5" in key_point_runs(line)]
    assert dorsal and all(grades.get("vibration") == 0 and grades.get("joint position") == 0 and "pin prick" not in grades for grades in dorsal)
    # ... and the other side loses pain and temperature, down to the sacral key points.
    crossed = [lost(line) for line in lines_of_side(lines, "right") if "S4-5" in key_point_runs(line)]
    assert crossed and all(grades.get("pin prick") == 0 and grades.get("temperature") == 0 and "vibration" not in grades for grades in crossed)
    level_line = next(line for line in lines if line.startswith("  ISNCSCI sensory level: "))
    for side in ("left", "right"):
        level = re.search(rf"{side} (\w+)", level_line).group(1)
        assert KEY_LEVELS.index(level) < KEY_LEVELS.index("T11"), level_line


def test_a_lateral_medulla_summary_crosses_face_and_body(anatomy):
    lines = sensation_lines(neurograph.simulate(anatomy, "right lateral medulla").summary())
    face = [line for line in lines_of_side(lines, "right") if "forehead" in line]
    assert face and lost(face[0])["pin prick"] == 0 and lost(face[0])["temperature"] == 0
    assert lost(face[0]).get("light touch", 2) > 0
    body = [line for line in lines_of_side(lines, "left") if "S4-5" in key_point_runs(line)]
    assert body and lost(body[0])["pin prick"] == 0
    assert not any("forehead" in line for line in lines_of_side(lines, "left"))


def test_a_purely_sensory_nerve_is_not_reported_as_no_deficit(anatomy):
    result = neurograph.simulate(anatomy, "left superficial radial nerve")
    assert result.caption() != "no deficit" and "sensation altered" in result.caption()
    assert "sensation altered" in repr(result)
    lines = sensation_lines(result.summary())
    assert lines_of_side(lines, "left") and not lines_of_side(lines, "right")
    assert any("back of" in line and "hand" in line for line in lines), lines


def test_a_purely_motor_nerve_has_no_sensation_section(anatomy):
    result = neurograph.simulate(anatomy, "right anterior interosseous nerve")
    assert "Sensation" not in result.summary()
    assert "sensation" not in repr(result) and "Altered sensation" not in result._repr_html_()


def test_key_points_are_named_as_runs_of_levels(anatomy):
    lines = sensation_lines(neurograph.simulate(anatomy, "C7").summary())
    for side in ("left", "right"):
        named = [level for line in lines_of_side(lines, side) for level in key_point_runs(line)]
        # ISNCSCI: a destroyed C7 segment (both sides) leaves the C6 key point the most caudal normal one.
        assert sorted(named, key=KEY_LEVELS.index) == KEY_LEVELS[KEY_LEVELS.index("C7"):]
        assert len(named) == len(set(named))
    assert "  ISNCSCI sensory level: left C6, right C6" in lines


def test_the_notebook_display_shows_cranial_muscles_and_sensation(anatomy):
    weber = neurograph.simulate(anatomy, "left ventral midbrain")._repr_html_()
    assert "medial rectus (left)" in weber
    medulla = neurograph.simulate(anatomy, "right lateral medulla")._repr_html_()
    assert "Altered sensation" in medulla and "skin of the forehead (right)" in medulla


@pytest.mark.parametrize("site", ["right lateral medulla", "left superficial radial nerve"])
def test_the_cli_prints_the_sensation(site):
    outcome = CliRunner().invoke(main, ["lesion", site])
    assert outcome.exit_code == 0, outcome.output
    assert "Sensation (0 absent, 1 impaired, 2 normal):" in outcome.output
