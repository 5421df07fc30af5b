"""The site atlas's sensory rows grade every skin place as simulate does, for every single site and for pairs.

The one clinical expectation here is the overlap of dermatomes (Foerster1933; Grant1962,
data/sources/references.csv): one root lesion leaves its key point altered, two neighbouring
roots lost together leave it without sensation.
"""

import numpy as np
import pytest

import neurograph
from neurograph.atlas import site_atlas
from neurograph.schema import MODALITIES


@pytest.fixture(scope="module")
def atlas(packaged_anatomy):
    return site_atlas(packaged_anatomy)


@pytest.fixture(scope="module")
def places(atlas):
    """Every skin place and key point of the anatomy."""
    return list(atlas.sensation.table.skin_nodes)


def simulated_grades(G, sites, places):
    """What ``simulate`` grades at ``places`` for the lesion of ``sites``: (places, modalities)."""
    found = {finding.place: finding for finding in neurograph.simulate(G, list(sites)).sensation}
    return np.array([[getattr(found[place], m) if place in found else 2 for m in MODALITIES] for place in places])


def mismatches(G, predicted, lesions, places):
    return [
        " + ".join(site.label for site in sites)
        for grades, sites in zip(predicted, lesions)
        if not np.array_equal(grades, simulated_grades(G, sites, places))
    ]


def test_every_single_site_grades_every_place_as_simulate_does(packaged_anatomy, atlas, places):
    predicted = atlas.sensation.singles(places)
    assert predicted.shape == (len(atlas.sites), len(places), len(MODALITIES))
    # The comparison is not vacuous: many sites leave some place without some sensation.
    assert (predicted < 2).any(axis=(1, 2)).sum() > 500
    assert mismatches(packaged_anatomy, predicted, [(site,) for site in atlas.sites], places) == []


def test_pairs_grade_every_place_as_simulate_does_for_both_sites_together(packaged_anatomy, atlas, places):
    rng = np.random.default_rng(12)
    first, second = rng.integers(0, len(atlas.sites), 200), rng.integers(0, len(atlas.sites), 200)
    predicted = atlas.sensation.prediction(places).grades(first, second)
    lesions = [(atlas.sites[a], atlas.sites[b]) for a, b in zip(first, second)]
    assert mismatches(packaged_anatomy, predicted, lesions, places) == []


def test_pairs_of_sensory_sites_grade_as_simulate_does(packaged_anatomy, atlas, places):
    """Pairs drawn among the sites that reach sensory routes, where unions matter most."""
    reaching = np.flatnonzero(atlas.sensation.cut_row)
    rng = np.random.default_rng(13)
    first, second = rng.choice(reaching, 200), rng.choice(reaching, 200)
    predicted = atlas.prediction([], [], "chronic", places).predict(first, second)["sensory"]
    lesions = [(atlas.sites[a], atlas.sites[b]) for a, b in zip(first, second)]
    assert mismatches(packaged_anatomy, predicted, lesions, places) == []


def test_two_neighbouring_roots_abolish_what_one_root_only_alters(atlas):
    rows = {site.label: row for row, site in enumerate(atlas.sites)}
    c6, c7 = rows["C6 root (dorsal and ventral), right"], rows["C7 root (dorsal and ventral), right"]
    prediction = atlas.prediction([], [], "chronic", ["R.key_point.C6"])
    pin = MODALITIES.index("pin_prick")
    grades = prediction.predict([c6, c6], [c6, c7])["sensory"][:, 0, pin].tolist()
    assert grades == [1, 0]
    # The C7 root alone does not reach the C6 key point, but is weighed with any partner; the
    # C8 root, whose dermatome does not border C6's, leaves the C6 root's altered key point as it is.
    c8 = rows["C8 root (dorsal and ventral), right"]
    assert prediction.relevant[c7] and prediction.touches([c7])[0, -1]
    assert not prediction.relevant[c8]
    assert prediction.predict([c6], [c8])["sensory"][0, 0, pin] == 1


def test_a_subset_of_places_grades_as_all_places_do(atlas, places):
    chosen = ["R.key_point.C7", "L.skin.ulnar_dorsum_of_hand", "R.key_point.S1"]
    rng = np.random.default_rng(3)
    first, second = rng.integers(0, len(atlas.sites), 300), rng.integers(0, len(atlas.sites), 300)
    every = atlas.sensation.prediction(places).grades(first, second)
    some = atlas.sensation.prediction(chosen).grades(first, second)
    assert np.array_equal(some, every[:, [places.index(place) for place in chosen]])
    assert np.array_equal(atlas.sensation.singles(chosen, rows=first), atlas.sensation.singles(places, rows=first)[:, [places.index(p) for p in chosen]])


def test_an_anatomy_without_skin_localizes_motor_findings_and_refuses_sensory_ones(packaged_anatomy, anatomy):
    from neurograph.errors import InvalidValueError
    from neurograph.findings import findings_from_dict

    record = {"muscles": {"right brachioradialis": 0, "right triceps": 5}, "sensation": {"right C6 key point": {"pin prick": 0}}}
    exam = findings_from_dict(packaged_anatomy, record)
    anatomy.remove_nodes_from([node for node, data in list(anatomy.nodes(data=True)) if data["kind"] == "skin"])
    atlas = site_atlas(anatomy)
    assert atlas.sensation.singles([]).shape == (len(atlas.sites), 0, len(MODALITIES))
    motor = findings_from_dict(anatomy, {"muscles": record["muscles"]})
    assert neurograph.localize(anatomy, motor).best.explains == ("brachioradialis (right): MRC 0",)
    with pytest.raises(InvalidValueError, match="invalid finding 'R.key_point.C6': expected a skin place of this anatomy"):
        neurograph.localize(anatomy, exam)
