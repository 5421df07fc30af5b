"""Hostile sensory rules and cord routes: each is refused with an error naming what is wrong.

The graph attribute ``sensory_rules`` holds the rules the engine grades sensation by
(data/sources/sensory/rules.csv). A broken rule, or a spinothalamic route that skips the
segments it climbs through, must be refused by :func:`neurograph.validate` with a violation
naming the rule or the edge, by :func:`neurograph.simulate` with an
:class:`~neurograph.errors.InvalidAnatomyError`, and by the command line with one ``Error:``
line and exit 1 (the style of tests/test_hostile_graphs.py).
"""

import json

import pytest

import neurograph
from neurograph.errors import InvalidAnatomyError
from neurograph.validation import validate
from bounded import assert_one_error, run_cli


def change_rules(change):
    def edit(G):
        rules = json.loads(G.graph["sensory_rules"])
        change(rules)
        G.graph["sensory_rules"] = json.dumps(rules)

    return edit


def set_rule(rule, value):
    return change_rules(lambda rules: rules[rule].update(value=value))


def skip_a_segment(G):
    # Fibres entering at T8 handed straight to the T6 dorsal horn, past T7 (the build before
    # data 3.1.0): a T7 lesion would miss them.
    G.add_edge("R.lissauer.T8", "R.dorsal_horn.T6.thoracic", kind="sensory_tract", reference="Gray42")


#: name: (edit of a copy of the packaged anatomy, the rule broken, text the violation must contain).
CASES = {
    "a grade rule missing": (change_rules(lambda rules: rules.pop("single_root_lesion_grade")), "sensory_rules", "'single_root_lesion_grade' is missing"),
    "a grade not a number": (set_rule("grade_absent", "none"), "sensory_rules", "'grade_absent' is 'none', not a whole number"),
    "the grades out of order": (set_rule("grade_altered", "2"), "sensory_rules", "not the ISNCSCI grade 1"),
    "light touch graded 3": (set_rule("light_touch_one_tract_lost", "3"), "sensory_rules", "'light_touch_one_tract_lost' is '3'"),
    "light touch better with both tracts lost": (
        set_rule("light_touch_both_tracts_lost", "2"), "sensory_rules", "better than with one tract lost",
    ),
    "no roots for anaesthesia": (set_rule("consecutive_roots_for_anaesthesia", "0"), "sensory_rules", "not at least one root"),
    "crossing segments not numbers": (
        set_rule("spinothalamic_crossing_segments", "one|two"), "sensory_rules", "not whole numbers separated by '|'",
    ),
    "crossing rule against the crossings built": (
        set_rule("spinothalamic_crossing_segments", "1"), "sensory_rules", "as the rule spinothalamic_crossing_segments says",
    ),
    "exception not a segment": (set_rule("single_root_anaesthesia_exception", "C9"), "sensory_rules", "'C9'"),
    "rules gone": (lambda G: G.graph.pop("sensory_rules"), "sensory_rules", "no graph attribute sensory_rules"),
    "a rule citing an unknown reference": (
        change_rules(lambda rules: rules["grade_absent"].update(reference="Nobody1900")), "uncited", "Nobody1900",
    ),
    "a spinothalamic route skipping a segment": (skip_a_segment, "cord_skip", "from T8 to T6"),
}


_EDITED = {}


def edited(G, case):
    """A copy of ``G`` with the edit of ``case``, made once per case."""
    if case not in _EDITED:
        _EDITED[case] = G.copy()
        CASES[case][0](_EDITED[case])
    return _EDITED[case]


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_names_the_rule(packaged_anatomy, case):
    _, rule, text = CASES[case]
    found = validate(edited(packaged_anatomy, case))
    assert any(v.rule == rule and text in v.message for v in found), found[:3]


@pytest.mark.parametrize("case", sorted(CASES))
def test_simulate_refuses_the_anatomy(packaged_anatomy, case):
    with pytest.raises(InvalidAnatomyError, match="not valid"):
        neurograph.simulate(edited(packaged_anatomy, case), "right C6 root")


@pytest.mark.parametrize("case", ["a grade not a number", "crossing rule against the crossings built", "a spinothalamic route skipping a segment"])
def test_lesion_and_validate_commands_give_one_error_line(packaged_anatomy, case, tmp_path):
    path = tmp_path / "anatomy.graphml"
    neurograph.write_graphml(edited(packaged_anatomy, case), path)
    assert_one_error(run_cli("lesion", "C7", "--anatomy", path), 1, CASES[case][2])
    completed = run_cli("validate", path, "--json")
    assert_one_error(completed, 1, str(path))
    assert any(v["rule"] == CASES[case][1] and CASES[case][2] in v["message"] for v in json.loads(completed.stdout))


def test_the_packaged_rules_are_sound(packaged_anatomy):
    from neurograph.schema import graph_attributes
    from neurograph.validation import sensory_rule_violations

    assert sensory_rule_violations(graph_attributes(packaged_anatomy)["sensory_rules"]) == []
