"""Hostile anatomies: each is refused with an error naming what is wrong, never a traceback.

Every graph here once validated clean and then crashed the engine, or crashed ``validate``
itself. Through the Python API each must be refused by :func:`neurograph.validate` with a
violation naming the node or attribute, and by :func:`neurograph.simulate` and
:func:`neurograph.localize` with an :class:`~neurograph.errors.InvalidAnatomyError`; through the
command line, saved as GraphML, ``lesion``, ``localize`` and ``validate`` each end in one
``Error:`` line with exit 1 within the time and memory bounds of ``tests/bounded.py``.
"""

import json

import networkx as nx
import pytest

import neurograph
from neurograph.errors import InvalidAnatomyError
from neurograph.findings import findings_from_dict
from neurograph.io import MAX_NODES
from neurograph.testing import scaled
from neurograph.validation import validate
from bounded import assert_one_error, run_cli

TRICEPS = "R.muscle.triceps_brachii"


def set_node(node, name, value):
    def edit(G):
        G.nodes[node][name] = value

    return edit


def add_group_member(G):
    groups = json.loads(G.graph["muscle_groups"])
    groups["hamstrings"]["members"].append("no_such_muscle")
    G.graph["muscle_groups"] = json.dumps(groups)


def give_triceps_a_one_dot_id(G):
    nx.relabel_nodes(G, {TRICEPS: "R.triceps"}, copy=False)


def empty(G):
    G.clear()


#: name: (edit of a copy of the packaged anatomy, the rule broken, the attribute at fault,
#: text the violation must contain).
CASES = {
    "empty graph": (empty, "incomplete", "", "empty"),
    "muscle group naming a missing muscle": (add_group_member, "bad_graph_attribute", "muscle_groups", "no_such_muscle"),
    "regions not JSON": (
        lambda G: G.graph.__setitem__("regions", "{not json"), "bad_graph_attribute", "regions", "regions",
    ),
    "synonym read as a number": (
        lambda G: G.graph.__setitem__("synonyms", '{"peroneal": {"same_as": 3}}'), "bad_graph_attribute", "synonyms", "peroneal",
    ),
    "weight not a number": (set_node(TRICEPS, "segment_weights", "C6:1|C7:heavy|C8:1"), "bad_value", "segment_weights", "C7:heavy"),
    "zero weights": (set_node(TRICEPS, "segment_weights", "C6:0|C7:0|C8:0"), "bad_value", "segment_weights", TRICEPS),
    "NaN weight": (set_node(TRICEPS, "segment_weights", "C6:nan|C7:1|C8:1"), "bad_value", "segment_weights", "nan"),
    "muscle id with one dot": (give_triceps_a_one_dot_id, "bad_id", "", "R.triceps"),
    "key muscle level outside its segments": (
        set_node(TRICEPS, "isncsci_level", "T1"), "bad_value", "isncsci_level", TRICEPS,
    ),
    "int segments": (set_node(TRICEPS, "segments", 7), "bad_value", "segments", TRICEPS),
    "int label": (set_node(TRICEPS, "label", 7), "bad_value", "label", TRICEPS),
}


@pytest.fixture(scope="module")
def hostile(packaged_anatomy):
    graphs = {}
    for name, (edit, *_) in CASES.items():
        graphs[name] = packaged_anatomy.copy()
        edit(graphs[name])
    return graphs


@pytest.fixture(scope="module")
def exam(packaged_anatomy):
    """A wrist drop with weak brachioradialis (Preston & Shapiro 2020: radial nerve at the spiral groove)."""
    return findings_from_dict(packaged_anatomy, {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0}})


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_names_the_problem(hostile, case):
    _, rule, attribute, fragment = CASES[case]
    named = [v for v in validate(hostile[case]) if v.rule == rule and fragment in v.message]
    assert named, validate(hostile[case])
    assert named[0].attribute == attribute


@pytest.mark.parametrize("case", sorted(CASES))
def test_simulate_refuses_the_anatomy(hostile, case):
    with pytest.raises(InvalidAnatomyError, match="not valid") as refused:
        neurograph.simulate(hostile[case], "C7")
    assert CASES[case][3] in str(refused.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_localize_refuses_the_anatomy(hostile, exam, case):
    with pytest.raises(InvalidAnatomyError) as refused:
        neurograph.localize(hostile[case], exam)
    assert CASES[case][3] in str(refused.value)


def test_a_plantar_finding_on_an_anatomy_without_the_plantar_reflex_is_named(anatomy):
    # A valid anatomy may lack the plantar response; a finding of it is then refused, not a KeyError.
    anatomy.remove_nodes_from(["L.reflex.plantar_response", "R.reflex.plantar_response"])
    assert validate(anatomy) == []
    with_plantar = findings_from_dict(anatomy, {"muscles": {"right brachioradialis": 1}, "plantar": {"left": "extensor"}})
    with pytest.raises(neurograph.InvalidValueError, match="L.reflex.plantar_response"):
        neurograph.localize(anatomy, with_plantar)


def test_simulate_on_a_bare_digraph_is_refused_not_a_key_error():
    with pytest.raises(InvalidAnatomyError, match="empty"):
        neurograph.simulate(nx.DiGraph(), "C7")


def test_validate_refuses_what_is_not_a_directed_graph():
    with pytest.raises(neurograph.InvalidValueError, match="networkx.DiGraph"):
        validate(nx.Graph())


@pytest.fixture(scope="module")
def hostile_files(hostile, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for number, (case, G) in enumerate(sorted(hostile.items())):
        paths[case] = folder / f"case{number}.graphml"
        neurograph.write_graphml(G, paths[case])
    exam = folder / "exam.json"
    exam.write_text(json.dumps({"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0}}))
    return paths, exam


@pytest.mark.parametrize("case", sorted(CASES))
def test_lesion_command_gives_one_error_line(hostile_files, case):
    paths, _ = hostile_files
    assert_one_error(run_cli("lesion", "C7", "--anatomy", paths[case]), 1, CASES[case][3])


@pytest.mark.parametrize("case", sorted(CASES))
def test_localize_command_gives_one_error_line(hostile_files, case):
    paths, exam = hostile_files
    assert_one_error(run_cli("localize", exam, "--anatomy", paths[case]), 1, CASES[case][3])


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_command_lists_the_problem_and_gives_one_error_line(hostile_files, case):
    paths, _ = hostile_files
    completed = run_cli("validate", paths[case], "--json")
    assert_one_error(completed, 1, str(paths[case]))
    listed = json.loads(completed.stdout)
    assert any(v["rule"] == CASES[case][1] and CASES[case][3] in v["message"] for v in listed)


def test_validate_lists_every_structural_problem_of_a_file_as_json(anatomy, tmp_path):
    muscles = sorted(node for node, kind in anatomy.nodes(data="kind") if kind == "muscle")[:27]
    for muscle in muscles:
        anatomy.nodes[muscle]["segment_weights"] = "C7:heavy"
    path = tmp_path / "many.graphml"
    neurograph.write_graphml(anatomy, path)
    completed = run_cli("validate", "--json", path)
    assert_one_error(completed, 1, "27 violation(s)")
    listed = json.loads(completed.stdout)
    assert sorted(node for v in listed for node in v["nodes"]) == muscles
    # The other commands refuse it in one line that says how many problems there are.
    assert_one_error(run_cli("lesion", "C7", "--anatomy", path), 1, "and 22 more")


def test_validate_lists_every_structural_problem_of_a_graph_in_memory(anatomy):
    for node, kind in list(anatomy.nodes(data="kind")):
        if kind == "reflex":
            anatomy.nodes[node]["reflex_kind"] = "vestibular"
    listed = validate(anatomy)
    assert {v.rule for v in listed} == {"bad_value"}
    assert len(listed) == sum(1 for _, kind in anatomy.nodes(data="kind") if kind == "reflex")


def test_validating_many_muscles_on_one_nerve_stays_within_bounds(packaged_anatomy, tmp_path):
    # 4,000 muscles on the posterior interosseous nerves (8 a side, 250 times): validation
    # searches once per segment, not once per muscle (which took minutes at this size).
    grown = scaled.more_muscles(packaged_anatomy, 250, nerve="R.radial.pin")
    path = tmp_path / "radial_muscles.graphml"
    neurograph.write_graphml(grown, path)
    completed = run_cli("validate", path)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout == "valid: no violations\n"


def test_an_anatomy_file_beyond_the_node_limit_is_refused_while_read(packaged_anatomy, tmp_path):
    # The packaged anatomy plus 200,000 isolated nerve nodes (57 MB; localize took 31 s CPU and
    # 850 MB): the reader stops at the first node beyond neurograph.io.MAX_NODES.
    path = tmp_path / "isolated.graphml"
    path.write_bytes(scaled.isolated_nodes_graphml(packaged_anatomy, 100_000))
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0}}))
    completed = run_cli("localize", exam, "--anatomy", path)
    assert_one_error(completed, 1, str(path), f"more than {MAX_NODES:,} nodes", "neurograph.io.MAX_NODES")
