"""The site atlas predicts what the engine does, for every single site and for pairs."""

import numpy as np
import pytest

import neurograph
from engine_arrays import engine_prediction
from neurograph.atlas import site_atlas

G = neurograph.load_anatomy()
ATLAS = site_atlas(G)
MUSCLES = list(ATLAS.table.muscle_order)
REFLEXES = [arc.node for arc in ATLAS.table.reflex_order]
FIELDS = ("grade", "spastic", "flaccid", "atrophy", "fasciculations", "reflex")


def mismatches(prediction, lesions, phase):
    wrong = []
    for position, sites in enumerate(lesions):
        expected = engine_prediction(G, sites, phase, MUSCLES, REFLEXES)
        differing = [name for name in FIELDS if prediction[name][position].tolist() != expected[name][0].tolist()]
        if differing:
            wrong.append((" + ".join(site.label for site in sites), differing))
    return wrong


@pytest.mark.parametrize("phase", ["chronic", "acute"])
def test_every_single_site_predicts_what_simulate_finds(phase):
    assert len(ATLAS.sites) > 900
    prediction = ATLAS.prediction(MUSCLES, REFLEXES, phase).predict(np.arange(len(ATLAS.sites)))
    assert mismatches(prediction, [(site,) for site in ATLAS.sites], phase) == []


@pytest.mark.parametrize("phase", ["chronic", "acute"])
def test_pairs_predict_what_simulate_finds_for_both_sites_together(phase):
    rng = np.random.default_rng(5)
    first, second = rng.integers(0, len(ATLAS.sites), 150), rng.integers(0, len(ATLAS.sites), 150)
    prediction = ATLAS.prediction(MUSCLES, REFLEXES, phase).predict(first, second)
    lesions = [(ATLAS.sites[a], ATLAS.sites[b]) for a, b in zip(first, second)]
    assert mismatches(prediction, lesions, phase) == []


def test_a_neck_pool_loses_its_drive_only_when_every_route_is_cut():
    """Longus colli (C2-C6) is driven from both hemispheres (crossed lateral and uncrossed
    anterior corticospinal tracts): one internal capsule leaves it strong, both weaken it."""
    muscle = "L.muscle.longus_colli"
    prediction = ATLAS.prediction([muscle], [], "chronic")
    rows = {site.label: row for row, site in enumerate(ATLAS.sites)}
    left, right = rows["internal capsule (posterior limb), left"], rows["internal capsule (posterior limb), right"]
    grades = prediction.predict([left, right, left], [left, right, right])["grade"][:, 0].tolist()
    assert grades[0] == 5 and grades[1] == 5 and grades[2] < 5


def test_a_subset_of_columns_predicts_the_same_as_all_columns():
    rows = np.arange(0, len(ATLAS.sites), 7)
    chosen = [MUSCLES[5], MUSCLES[100], MUSCLES[200]]
    reflexes = [REFLEXES[3], REFLEXES[20]]
    full = ATLAS.prediction(MUSCLES, REFLEXES, "chronic").predict(rows)
    part = ATLAS.prediction(chosen, reflexes, "chronic").predict(rows)
    assert part["grade"].tolist() == full["grade"][:, [5, 100, 200]].tolist()
    assert part["reflex"].tolist() == full["reflex"][:, [3, 20]].tolist()


def test_an_unknown_phase_is_refused():
    from neurograph.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="invalid phase 'subacute': expected 'acute' or 'chronic'"):
        ATLAS.prediction(MUSCLES[:1], [], "subacute")


def test_the_atlas_follows_the_graph_after_attributes_are_edited_in_place():
    variant = G.copy()
    before = site_atlas(variant)
    for side in "LR":
        variant.nodes[f"{side}.muscle.triceps_brachii"].update(segments="C7|C8", segment_weights="C7:1|C8:1")
    after = site_atlas(variant)
    assert after is not before and after.table is not before.table
    row = after.row_of[frozenset({"R.vroot.C6"})]
    assert after.singles(["R.muscle.triceps_brachii"], [], "chronic")["grade"][row, 0] == 5
    assert before.singles(["R.muscle.triceps_brachii"], [], "chronic")["grade"][row, 0] < 5
