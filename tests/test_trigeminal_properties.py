"""Properties of face sensation over any lesion of the trigeminal structures.

The pictures they hold (Gray42: the territories of the trigeminal divisions; Blumenfeld2021:
the face's fibres cross once, from the principal and spinal trigeminal nuclei into the ventral
trigeminothalamic tract, and the body's fibres never run in a trigeminal station):

- a lesion of the trigeminal nerve's sensory points numbs only the face places whose nerve
  chain passes them, on their own side, and nothing of the body;
- a lesion of the trigeminal stations before the crossing numbs only the same side's face, one
  after it only the opposite side's; neither alters the body;
- a larger lesion never raises a face place's grade.
"""

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

import neurograph
from conftest import load_test_anatomy
from neurograph.resolve import Site
from neurograph.testing import strategies

G = load_test_anatomy()
POINTS = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "cranial_afferent")
STATIONS = sorted(
    node for node, data in G.nodes(data=True)
    if data["kind"] == "sensory_tract" and data.get("area") == "face" and data["laterality"] in ("ipsilateral", "crossing", "contralateral")
)
FACE = {node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("cranial_nerve")}
# The route tables are made on the first simulation; make them before the examples are timed.
neurograph.simulate(G, "right trigeminal ganglion")


def sites(nodes):
    return st.builds(
        lambda node, severity: Site(node, node, frozenset({node}), severity), st.sampled_from(nodes),
        strategies.severities(partial=True),
    )


def upstream_places(node):
    """The face places whose peripheral chain passes ``node`` (their sensory edges lead to it)."""
    return {place for place in FACE if node in nx.descendants(G, place)}


@given(st.lists(sites(POINTS), min_size=1, max_size=3))
def test_a_trigeminal_point_lesion_numbs_only_the_face_places_it_carries(lesion):
    result = neurograph.simulate(G, lesion)
    carried = set().union(*(upstream_places(node) for site in lesion for node in site.nodes))
    altered = {finding.place for finding in result.sensation}
    assert altered <= carried, altered - carried
    if all(site.severity == 1.0 for site in lesion):
        assert altered == carried
        for place in carried:
            assert set(result.sensory(place).grades.values()) == {0}, place
    assert not result.cranial.muscles and not result.deficits


@given(st.lists(sites(STATIONS), min_size=1, max_size=3))
def test_trigeminal_stations_alter_the_face_alone_on_the_side_their_crossing_gives(lesion):
    result = neurograph.simulate(G, lesion)
    body_sides = {G.nodes[node]["body_side"] for site in lesion for node in site.nodes}
    for finding in result.sensation:
        assert finding.place in FACE, finding.place
        assert finding.side in body_sides, finding.place


@given(st.lists(st.one_of(sites(POINTS), sites(STATIONS), strategies.sites(G, partial=True)), min_size=1, max_size=2),
       st.one_of(sites(POINTS), sites(STATIONS)))
def test_a_larger_lesion_never_raises_a_face_grade(lesion, extra):
    before = {f.place: f.grades for f in neurograph.simulate(G, lesion).sensation if f.place in FACE}
    after = {f.place: f.grades for f in neurograph.simulate(G, [*lesion, extra]).sensation if f.place in FACE}
    assert set(before) <= set(after)
    for place, grades in before.items():
        for modality, grade in grades.items():
            assert after[place][modality] <= grade, (place, modality)
