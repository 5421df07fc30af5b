"""Results follow the graph: after any edit, every call answers as it would on a fresh copy.

The engine keeps tables per state of a graph (neurograph.cache); these tests edit graphs whose
tables are already built, in every way a user can (in place or through networkx's methods), and
compare with a copy of the edited graph, which has no tables yet.
"""

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph
import neurograph.cache
from neurograph.errors import InvalidAnatomyError, NeurographError
from neurograph.findings import findings_from_dict
from neurograph.graph import AnatomyGraph

LESIONS = ("right radial nerve at the spiral groove", "C7", "left internal capsule", "cauda equina")
RECORD = {"muscles": {"right triceps": 0, "right brachioradialis": 0, "right extensor digitorum": 0, "right deltoid": 5}}
NAMES = ("right triceps", "left radial nerve", "right C7 root", "left knee jerk")
QUERIES = ("triceps", "radial", "groove")


def outcome(call):
    """What a call returns, as data, or the error it raises."""
    try:
        value = call()
    except NeurographError as error:
        return ("error", type(error).__name__, str(error))
    return value.to_dict() if hasattr(value, "to_dict") else value


def answers(G, names=NAMES, queries=QUERIES, localize=True):
    """Every public call the property compares, on ``G``."""
    found = {}
    for lesion in LESIONS:
        found[f"simulate {lesion}"] = outcome(lambda: neurograph.simulate(G, lesion))
        found[f"simulate {lesion} acute"] = outcome(lambda: neurograph.simulate(G, lesion, phase="acute"))
    if localize:
        found["localize"] = outcome(lambda: neurograph.localize(G, findings_from_dict(G, RECORD), top=5))
    for name in names:
        found[f"resolve {name}"] = outcome(lambda: neurograph.resolve_site(G, name))
    for query in queries:
        found[f"find {query}"] = outcome(lambda: neurograph.find(G, query))
    return found


def mirror(name):
    return {"L": "R", "R": "L"}[name[0]] + name[1:]


def test_moving_a_branch_changes_the_answer_at_once(anatomy):
    # The nerve to the long and lateral heads of triceps leaves the radial nerve in the axilla,
    # above the spiral groove, so a spiral-groove lesion spares triceps (Preston & Shapiro,
    # Electromyography and Neuromuscular Disorders, 4th ed., 2020, ch. 22). Moved below the
    # groove, the same lesion cuts every route to triceps.
    lesion = "right radial nerve at the spiral groove"
    assert neurograph.simulate(anatomy, lesion).muscle("right triceps").mrc_grade == 5
    for side in "RL":
        data = dict(anatomy.edges[f"{side}.radial.axilla", f"{side}.muscle.triceps_brachii"])
        anatomy.remove_edge(f"{side}.radial.axilla", f"{side}.muscle.triceps_brachii")
        anatomy.add_edge(f"{side}.radial.above_elbow", f"{side}.muscle.triceps_brachii", **data)
    edited = neurograph.simulate(anatomy, lesion).muscle("right triceps")
    fresh = neurograph.simulate(anatomy.copy(), lesion).muscle("right triceps")
    assert edited == fresh and edited.mrc_grade == 0


def test_in_place_edits_of_node_edge_and_graph_attributes_are_seen(anatomy):
    G = anatomy
    before = answers(G, localize=False)
    # The branch to triceps no longer carries C6, which triceps still lists: refused, as on a copy.
    for side in "RL":
        G.edges[f"{side}.radial.axilla", f"{side}.muscle.triceps_brachii"]["segments"] = "C7|C8"
    edge_edit = answers(G, localize=False)
    assert edge_edit == answers(G.copy(), localize=False)
    assert "no C6 fibre route" in edge_edit["simulate C7"][2]
    for side in "RL":
        G.edges[f"{side}.radial.axilla", f"{side}.muscle.triceps_brachii"]["segments"] = "C6|C7|C8"
    assert answers(G, localize=False) == before
    for side in "RL":
        G.nodes[f"{side}.muscle.triceps_brachii"]["segment_weights"] = "C6:1|C7:4|C8:1"
    node_edit = answers(G, localize=False)
    assert node_edit == answers(G.copy(), localize=False) and node_edit["simulate C7"] != before["simulate C7"]
    for side, word in (("R", "right"), ("L", "left")):
        G.nodes[f"{side}.muscle.triceps_brachii"].update(label=f"three-headed extensor ({word})")
    label_edit = answers(G, queries=("three-headed",), localize=False)
    assert label_edit == answers(G.copy(), queries=("three-headed",), localize=False)
    assert label_edit["find three-headed"]
    del G.graph["regions"]
    graph_edit = answers(G, localize=False)
    assert graph_edit == answers(G.copy(), localize=False)
    assert graph_edit["simulate cauda equina"][:2] == ("error", "UnknownNameError")


def test_a_localization_names_its_findings_with_the_labels_of_its_graph_state(anatomy):
    """The words of the findings a hypothesis explains come from the graph's labels as they are
    at the call: a label edited after one call names the finding in the next, and the earlier
    result keeps the words it was made with."""
    findings = findings_from_dict(anatomy, RECORD)
    before = neurograph.localize(anatomy, findings, max_sites=1, tests=0)
    assert "triceps brachii (right): MRC 0" in before.best.explains
    anatomy.nodes["R.muscle.triceps_brachii"]["label"] = "three-headed extensor (right)"
    after = neurograph.localize(anatomy, findings, max_sites=1, tests=0)
    assert after.to_dict() == neurograph.localize(anatomy.copy(), findings, max_sites=1, tests=0).to_dict()
    assert "three-headed extensor (right): MRC 0" in after.best.explains
    assert not any("triceps brachii (right)" in finding for hypothesis in after.hypotheses for finding in hypothesis.explains)
    assert "triceps brachii (right): MRC 0" in before.best.explains


def test_an_edit_that_breaks_the_anatomy_is_refused_on_every_call(anatomy):
    neurograph.simulate(anatomy, "C7")
    anatomy.nodes["R.muscle.triceps_brachii"]["segments"] = "C7|C8"
    for _ in range(2):
        with pytest.raises(InvalidAnatomyError, match="R.muscle.triceps_brachii"):
            neurograph.simulate(anatomy, "C7")
    with pytest.raises(InvalidAnatomyError, match="R.muscle.triceps_brachii"):
        neurograph.find(anatomy, "triceps")
    anatomy.nodes["R.muscle.triceps_brachii"]["segments"] = "C6|C7|C8"
    assert neurograph.simulate(anatomy, "C7").to_dict() == neurograph.simulate(anatomy.copy(), "C7").to_dict()


def test_a_valid_state_is_validated_once(anatomy, monkeypatch):
    import neurograph.cache

    calls = []
    monkeypatch.setattr(neurograph.cache, "require_valid", lambda G: calls.append(G))
    for _ in range(3):
        neurograph.simulate(anatomy, "C7")
        neurograph.find(anatomy, "triceps")
    assert len(calls) == 1
    anatomy.nodes["R.muscle.triceps_brachii"]["label"] = "triceps (right)"
    neurograph.simulate(anatomy, "C7")
    assert len(calls) == 2


def test_a_nested_value_changed_in_place_is_seen(packaged_anatomy):
    # Attribute values are strings in the packaged anatomy; a user's graph may hold a list, and
    # changing the list is an edit like any other.
    G = nx.DiGraph(packaged_anatomy)
    G.graph["notes"] = ["first"]
    state = neurograph.cache.graph_state(G)
    G.graph["notes"].append("second")
    assert neurograph.cache.graph_state(G) is not state


def test_a_subgraph_view_follows_its_parent(packaged_anatomy):
    G = packaged_anatomy.copy()
    view = G.subgraph(list(G))
    lesion = "right radial nerve at the spiral groove"
    before = neurograph.simulate(view, lesion).to_dict()
    for side in "RL":
        G.edges[f"{side}.radial.spiral_groove", f"{side}.radial.above_elbow"]["segments"] = "C5|C6|C7|C8"
    after = neurograph.simulate(view, lesion).to_dict()
    assert after == neurograph.simulate(G.copy(), lesion).to_dict()
    assert before == neurograph.simulate(packaged_anatomy, lesion).to_dict()


def test_an_empty_graph_or_a_non_graph_is_refused_with_a_clear_error():
    with pytest.raises(NeurographError):
        neurograph.simulate(nx.DiGraph(), "C7")
    with pytest.raises(NeurographError, match="expected a networkx DiGraph"):
        neurograph.simulate({"C7": {}}, "C7")


def test_clear_cache_is_public_and_only_frees_memory(anatomy):
    before = neurograph.simulate(anatomy, "C7").to_dict()
    neurograph.clear_cache(anatomy)
    assert neurograph.simulate(anatomy, "C7").to_dict() == before
    assert "clear_cache" in neurograph.__all__


def test_loaded_anatomies_and_their_copies_count_attribute_writes(packaged_anatomy):
    copy = packaged_anatomy.copy()
    assert type(copy) is AnatomyGraph
    assert {type(data).__name__ for _, data in copy.nodes(data=True)} == {"WriteCountingDict"}
    assert {type(data).__name__ for *_, data in copy.edges(data=True)} == {"WriteCountingDict"}
    assert type(copy.graph).__name__ == "WriteCountingDict"


EDIT_KINDS = ("move", "add_edge", "remove_edge", "segments", "segment_weights", "label", "alias", "add_node", "remove_node")


@st.composite
def edits(draw, G):
    """One edit of ``G``, on the right side and, usually, mirrored on the left: (kind, details, mirrored)."""
    kind = draw(st.sampled_from(EDIT_KINDS))
    branches = sorted((u, v) for u, v, data in G.edges(data=True) if data["kind"] == "innervates" and u.startswith("R."))
    nerves = sorted(n for n, data in G.nodes(data=True) if data["kind"] == "nerve" and n.startswith("R."))
    muscles = sorted(n for n, data in G.nodes(data=True) if data["kind"] == "muscle" and n.startswith("R."))
    if kind in ("move", "add_edge"):
        details = (draw(st.sampled_from(branches)), draw(st.sampled_from(nerves)))
    elif kind == "remove_edge":
        details = draw(st.sampled_from(branches))
    elif kind in ("segments", "segment_weights"):
        muscle = draw(st.sampled_from(muscles))
        segments = G.nodes[muscle]["segments"].split("|")
        if kind == "segments":
            details = (muscle, "|".join(draw(st.lists(st.sampled_from(segments), min_size=1, unique=True))))
        else:
            weights = draw(st.lists(st.sampled_from(("0.5", "1", "2", "3")), min_size=len(segments), max_size=len(segments)))
            details = (muscle, "|".join(f"{s}:{w}" for s, w in zip(segments, weights)))
    elif kind in ("label", "alias", "remove_node"):
        details = draw(st.sampled_from(sorted(n for n in G if n.startswith("R."))))
    else:
        details = draw(st.sampled_from(branches))
    return kind, details, draw(st.booleans()) or draw(st.booleans())


def apply(G, kind, details, mirrored):
    """Edit ``G`` in place as a user would: through networkx's methods or its attribute dicts."""
    def on(name):
        return [name, mirror(name)] if mirrored else [name]

    if kind in ("move", "add_edge"):
        (source, muscle), nerve = details
        for u, v, w in zip(on(source), on(muscle), on(nerve)):
            data = dict(G.edges[u, v])
            if kind == "move":
                G.remove_edge(u, v)
            G.add_edge(w, v, **data)
    elif kind == "remove_edge":
        for u, v in zip(on(details[0]), on(details[1])):
            G.remove_edge(u, v)
    elif kind in ("segments", "segment_weights"):
        for node in on(details[0]):
            G.nodes[node][kind] = details[1]
    elif kind == "label":
        for node in on(details):
            G.nodes[node]["label"] = G.nodes[node]["label"].replace("(", "(edited ")
    elif kind == "alias":
        for node in on(details):
            G.nodes[node]["aliases"] = "|".join(filter(None, [G.nodes[node].get("aliases", ""), "renamed structure"]))
    elif kind == "add_node":
        source, muscle = details
        for u, v in zip(on(source), on(muscle)):
            twin = v + "_accessory"
            data = {key: value for key, value in G.nodes[v].items() if key != "aliases"}  # names stay unique
            G.add_node(twin, **{**data, "label": data["label"].replace("(", "accessory (")})
            G.add_edge(u, twin, **G.edges[u, v])
    else:
        G.remove_nodes_from(on(details))


def edited_node(details):
    """The first node an edit names."""
    while not isinstance(details, str):
        details = details[0]
    return details


@settings(max_examples=max(4, settings.default.max_examples // 10), deadline=None)
@given(data=st.data(), plain=st.booleans())
def test_after_any_edit_every_call_answers_as_on_a_fresh_copy(packaged_anatomy, data, plain):
    G = nx.DiGraph(packaged_anatomy) if plain else packaged_anatomy.copy()
    answers(G)  # every table of the unedited graph is built and kept
    kind, details, mirrored = data.draw(edits(packaged_anatomy), label="edit")
    apply(G, kind, details, mirrored)
    names = (*NAMES, "renamed structure", edited_node(details))
    queries = (*QUERIES, "renamed", "edited", "accessory")
    assert answers(G, names=names, queries=queries) == answers(G.copy(), names=names, queries=queries)


def test_a_result_keeps_the_state_it_was_computed_from(anatomy):
    # A result's muscle findings are made on first use; an edit made in between does not leak in.
    result = neurograph.simulate(anatomy, "right radial nerve at the spiral groove")
    for side, word in (("R", "right"), ("L", "left")):
        anatomy.nodes[f"{side}.muscle.brachioradialis"]["label"] = f"supinator longus ({word})"
    labels = {finding.label for finding in result.muscles}
    assert "brachioradialis (right)" in labels and "supinator longus (right)" not in labels
    again = {finding.label for finding in neurograph.simulate(anatomy, "right radial nerve at the spiral groove").muscles}
    assert "supinator longus (right)" in again


def test_a_graph_class_without_hashing_is_checked_on_every_call(packaged_anatomy):
    class Unhashable(nx.DiGraph):
        __hash__ = None

    G = Unhashable(packaged_anatomy)
    lesion = "right radial nerve at the spiral groove"
    before = neurograph.simulate(G, lesion).to_dict()
    assert before == neurograph.simulate(packaged_anatomy, lesion).to_dict()
    G.remove_edge("R.radial.spiral_groove", "R.radial.above_elbow")
    with pytest.raises(InvalidAnatomyError):
        neurograph.simulate(G, lesion)
    neurograph.clear_cache(G)
