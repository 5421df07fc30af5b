"""Results keep answering for the anatomy they were computed on, whatever is edited after.

Every method of a result that reads the anatomy (name lookups, the full table, the ISNCSCI
exam, the diagram and its layout, the node effects, the findings record) is called before an
edit of the graph and after it: it gives exactly what it gave before, or it raises
:class:`~neurograph.errors.StaleResultError`; never an answer from the edited graph, and never a
mixture of the two. New calls on the edited graph answer for the edited graph.
"""

import gc
import pickle

import matplotlib
import networkx as nx
import pytest

import neurograph
from neurograph.drawing import to_dot
from neurograph.drawing.layout import lesion_layout
from neurograph.engine import node_effects
from neurograph.errors import StaleResultError

matplotlib.use("Agg")

LESION = "right radial nerve at the spiral groove"
# In the packaged anatomy the branch to the triceps leaves the radial nerve in the axilla, above
# the spiral groove, so a lesion there spares the triceps (Gray42; Preston2020).
TRICEPS, TRICEPS_JERK = "R.muscle.triceps_brachii", "R.reflex.triceps_jerk"


def relabel(G):
    """New labels and aliases on both sides: the old names no longer name the triceps or its reflex."""
    for side, word in (("R", "right"), ("L", "left")):
        muscle, reflex = TRICEPS.replace("R.", f"{side}.", 1), TRICEPS_JERK.replace("R.", f"{side}.", 1)
        G.nodes[muscle]["label"], G.nodes[muscle]["aliases"] = f"elbow extensor ({word})", "elbow extensor"
        G.nodes[reflex]["label"], G.nodes[reflex]["aliases"] = f"elbow jerk ({word})", "elbow jerk"


def move_branch(G):
    """The triceps branches moved from the axilla to above the elbow: the same edge count."""
    for side in ("R", "L"):
        muscle = TRICEPS.replace("R.", f"{side}.", 1)
        data = G.edges[f"{side}.radial.axilla", muscle]
        G.remove_edge(f"{side}.radial.axilla", muscle)
        G.add_edge(f"{side}.radial.above_elbow", muscle, **data)


EDITS = {"relabel": relabel, "move_branch": move_branch}


def svg_of(result):
    return result._repr_svg_()


def plotted_labels(result):
    ax = result.plot()
    return sorted((text.get_gid(), text.get_text()) for text in ax.texts if text.get_gid())


def layout_of(G, result):
    shown = lesion_layout(G, result).graph
    return sorted(shown.nodes(data=True)), sorted(shown.edges(data=True))


def graph_content(G):
    """The graph's content, copied (its attribute dicts are the graph's own)."""
    nodes = sorted((node, dict(data)) for node, data in G.nodes(data=True))
    return nodes, sorted((u, v, dict(data)) for u, v, data in G.edges(data=True)), dict(G.graph)


def lesion_calls(G, result):
    """Every reading of ``result``, by name: each a function of no argument."""
    return {
        "muscle": lambda: result.muscle("right triceps"),
        "muscle_affected": lambda: result.muscle("right brachioradialis"),
        "reflex": lambda: result.reflex("right triceps jerk"),
        "to_table_all": lambda: result.to_table(include_normal=True).to_dict("records"),
        "to_table": lambda: result.to_table().to_dict("records"),
        "to_dict": lambda: result.to_dict(),
        "summary": lambda: result.summary(),
        "repr": lambda: repr(result),
        "isncsci": lambda: result.isncsci(),
        "findings_from_result": lambda: neurograph.findings_from_result(result),
        "node_effects": lambda: node_effects(G, result),
        "lesion_layout": lambda: layout_of(G, result),
        "to_dot": lambda: to_dot(G, result),
        "plot": lambda: plotted_labels(result),
        "graph": lambda: graph_content(result.graph),
    }


def same_or_stale(call):
    try:
        return call()
    except StaleResultError:
        return StaleResultError


@pytest.mark.parametrize("edit", EDITS)
def test_a_lesion_result_answers_for_the_graph_it_was_simulated_on(anatomy, edit):
    result = neurograph.simulate(anatomy, LESION)
    calls = lesion_calls(anatomy, result)
    before = {name: call() for name, call in calls.items()}
    EDITS[edit](anatomy)
    for name, call in calls.items():
        after = same_or_stale(call)
        assert after is StaleResultError or after == before[name], name
    # ...and a new simulation answers for the edited graph, as a fresh copy of it does.
    fresh = neurograph.simulate(anatomy.copy(), LESION)
    assert neurograph.simulate(anatomy, LESION) == fresh
    if edit == "move_branch":  # the branch now leaves below the lesion (the case)
        assert fresh.muscle("right triceps").mrc_grade == 0 and result.muscle("right triceps").mrc_grade == 5


def test_a_lesion_result_draws_the_diagram_it_was_simulated_with(anatomy):
    result = neurograph.simulate(anatomy, LESION)
    before = svg_of(result)
    move_branch(anatomy)
    relabel(anatomy)
    after = same_or_stale(lambda: svg_of(result))
    assert after is StaleResultError or after == before


@pytest.mark.parametrize("edit", EDITS)
def test_path_and_localization_results_answer_for_their_graph(anatomy, edit):
    exam = neurograph.findings_from_dict(anatomy, {"muscles": {"right brachioradialis": 0, "right triceps": 5}})
    results = {
        "pathway": neurograph.pathway(anatomy, "left arm area", "right triceps"),
        "innervation": neurograph.innervation(anatomy, "right triceps"),
        "supply": neurograph.supplied_by(anatomy, "right radial nerve in the axilla"),
        "localization": neurograph.localize(anatomy, exam, max_sites=1, top=5),
    }
    readings = {
        f"{kind}.{method}": getattr(result, method)
        for kind, result in results.items()
        for method in ("to_dict", "to_table", "__repr__", "_repr_html_")
    }
    readings["localization.graph"] = lambda: graph_content(results["localization"].graph)
    before = {name: read() for name, read in readings.items()}
    EDITS[edit](anatomy)
    for name, read in readings.items():
        after = same_or_stale(read)
        if after is not StaleResultError and name.endswith("to_table"):
            assert after.equals(before[name]), name
        else:
            assert after is StaleResultError or after == before[name], name


def test_the_result_stands_on_a_read_only_copy_once_the_graph_is_edited(anatomy):
    result = neurograph.simulate(anatomy, LESION)
    assert result.graph is anatomy  # nothing is copied while the graph is unchanged
    relabel(anatomy)
    old = result.graph
    assert old is not anatomy and old.nodes[TRICEPS]["label"] == "triceps brachii (right)"
    assert result.graph is old
    with pytest.raises(nx.NetworkXError):
        old.remove_node(TRICEPS)


def test_an_edited_copy_or_another_graph_is_refused_clearly(anatomy, packaged_anatomy):
    result = neurograph.simulate(anatomy, LESION)
    with pytest.raises(StaleResultError, match="another graph"):
        node_effects(packaged_anatomy, result)
    move_branch(anatomy)
    result.graph.nodes[TRICEPS]["label"] = "edited"
    with pytest.raises(StaleResultError, match=r"lesion result of radial nerve at the spiral groove .*compute it again"):
        result.muscle("right triceps")
    with pytest.raises(StaleResultError):
        result.plot()
    assert isinstance(StaleResultError("r", "p"), neurograph.NeurographError)


def readings(result):
    """What a lesion result answers from its anatomy: a name lookup, the full table, the exam."""
    return (
        result.muscle("right triceps"), result.reflex("right triceps jerk"),
        result.to_table(include_normal=True).to_dict("records"), result.isncsci(),
    )


def test_a_result_outlives_its_graph_and_survives_pickling(packaged_anatomy):
    G = packaged_anatomy.copy()
    result = neurograph.simulate(G, LESION)
    before = readings(result)
    again = pickle.loads(pickle.dumps(result))
    assert again == result and readings(again) == before
    del G
    gc.collect()
    assert readings(result) == before


@pytest.mark.parametrize("kind", ["plain DiGraph", "subgraph view"])
def test_results_of_other_graph_classes_keep_their_anatomy(packaged_anatomy, kind):
    # A plain DiGraph is compared by content, a view copied out on every call (neurograph.cache).
    parent = nx.DiGraph(packaged_anatomy)
    G = parent if kind == "plain DiGraph" else parent.subgraph(list(parent))
    result = neurograph.simulate(G, LESION)
    before = readings(result)
    move_branch(parent)
    relabel(parent)
    assert readings(result) == before
    assert neurograph.simulate(G, LESION).muscle("right elbow extensor").mrc_grade == 0
