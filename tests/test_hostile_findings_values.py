"""Findings files with values a user could plausibly mistype: each ends in one ``Error:`` line
naming the entry and the value, exit status 1, nothing on stdout.

The checks are those of a record built in Python (tests/test_findings_hand_built.py), named by
the file's own entries. The scales: MRC 0-5, tendon reflexes 0-4+ (NINDS, Hallett 1993), plantar
flexor/extensor/mute, ISNCSCI sensory grades 0-2 (ASIA 2019).
"""

import json

import pytest
from click.testing import CliRunner

from neurograph.cli import main

MRC = "expected an MRC grade, a whole number from 0 to 5"


@pytest.mark.parametrize(
    "record, message",
    [
        ({"muscles": {"right triceps": 3.5}}, f"invalid finding muscle 'right triceps' 3.5: {MRC}"),
        ({"muscles": {"right triceps": "3"}}, f"invalid finding muscle 'right triceps' '3': {MRC}"),
        ({"muscles": {"right triceps": True}}, f"invalid finding muscle 'right triceps' True: {MRC}"),
        ({"muscles": {"right triceps": -1}}, f"invalid finding muscle 'right triceps' -1: {MRC}"),
        (
            {"muscles": {"right triceps": {"mrc_grade": 3, "tone": "Spastic"}}},
            "invalid finding muscle 'right triceps' 'Spastic': expected tone normal, spastic or flaccid",
        ),
        (
            {"muscles": {"right triceps": {"mrc_grade": 3, "atrophy": "yes"}}},
            "invalid finding muscle 'right triceps' 'yes': expected atrophy true or false",
        ),
        (
            {"muscles": {"right triceps": {"mrc_grade": 3, "fasciculations": 0}}},
            "invalid finding muscle 'right triceps' 0: expected fasciculations true or false",
        ),
        ({"muscles": ["right triceps"]}, "invalid findings muscles 'list': expected a mapping of names to findings"),
        ({"reflexes": {"right knee jerk": "5+"}}, "invalid finding reflex 'right knee jerk' '5+': expected a grade 0, 1+, 2+, 3+ or 4+"),
        ({"reflexes": {"right knee jerk": "brisk"}}, "invalid finding reflex 'right knee jerk' 'brisk': expected a grade 0, 1+, 2+, 3+ or 4+"),
        ({"plantar": {"right": "babinski"}}, "invalid finding plantar 'right' 'babinski': expected flexor, extensor or mute"),
        ({"plantar": {"right": None}}, "invalid finding plantar 'right' None: expected flexor, extensor or mute"),
        (
            {"sensation": {"right C6 key point": {"pin prick": True}}},
            "invalid finding sensation 'right C6 key point' pin prick True: expected an ISNCSCI sensory grade: 0 absent, "
            "1 altered, 2 normal",
        ),
        (
            {"sensation": {"right C6 key point": {"light touch": 1.5}}},
            "invalid finding sensation 'right C6 key point' light touch 1.5: expected an ISNCSCI sensory grade: 0 absent, "
            "1 altered, 2 normal",
        ),
        ({"phase": "later", "muscles": {"right triceps": 3}}, "invalid phase 'later': expected 'acute' or 'chronic'"),
    ],
)
def test_a_mistyped_value_in_a_findings_file_ends_in_one_error_line(record, message, tmp_path):
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps(record))
    result = CliRunner().invoke(main, ["localize", str(exam)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {message}\n"
    assert result.stdout == ""
