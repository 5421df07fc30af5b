"""The site atlas predicts what the engine does, for every single site and for pairs."""

import numpy as np
import pytest

from engine_arrays import engine_prediction
from neurograph.atlas import site_atlas

FIELDS = ("grade", "spastic", "flaccid", "atrophy", "fasciculations", "reflex")


@pytest.fixture(scope="module")
def atlas(packaged_anatomy):
    return site_atlas(packaged_anatomy)


@pytest.fixture(scope="module")
def columns(atlas):
    """Every muscle and reflex of the anatomy, in the atlas's column order."""
    return list(atlas.table.muscle_order), [arc.node for arc in atlas.table.reflex_order]


def mismatches(G, prediction, lesions, phase, columns):
    muscles, reflexes = columns
    wrong = []
    for position, sites in enumerate(lesions):
        expected = engine_prediction(G, sites, phase, muscles, reflexes)
        differing = [name for name in FIELDS if prediction[name][position].tolist() != expected[name][0].tolist()]
        if differing:
            wrong.append((" + ".join(site.label for site in sites), differing))
    return wrong


@pytest.mark.parametrize("phase", ["chronic", "acute"])
def test_every_single_site_predicts_what_simulate_finds(packaged_anatomy, atlas, columns, phase):
    assert len(atlas.sites) > 900
    prediction = atlas.prediction(*columns, phase).predict(np.arange(len(atlas.sites)))
    assert mismatches(packaged_anatomy, prediction, [(site,) for site in atlas.sites], phase, columns) == []


@pytest.mark.parametrize("phase", ["chronic", "acute"])
def test_pairs_predict_what_simulate_finds_for_both_sites_together(packaged_anatomy, atlas, columns, phase):
    rng = np.random.default_rng(5)
    first, second = rng.integers(0, len(atlas.sites), 150), rng.integers(0, len(atlas.sites), 150)
    prediction = atlas.prediction(*columns, phase).predict(first, second)
    lesions = [(atlas.sites[a], atlas.sites[b]) for a, b in zip(first, second)]
    assert mismatches(packaged_anatomy, prediction, lesions, phase, columns) == []


def test_a_neck_pool_loses_its_drive_only_when_every_route_is_cut(atlas):
    """Longus colli (C2-C6) is driven from both hemispheres (crossed lateral and uncrossed
    anterior corticospinal tracts): one internal capsule leaves it strong, both weaken it."""
    muscle = "L.muscle.longus_colli"
    prediction = atlas.prediction([muscle], [], "chronic")
    rows = {site.label: row for row, site in enumerate(atlas.sites)}
    left, right = rows["internal capsule (posterior limb), left"], rows["internal capsule (posterior limb), right"]
    grades = prediction.predict([left, right, left], [left, right, right])["grade"][:, 0].tolist()
    assert grades[0] == 5 and grades[1] == 5 and grades[2] < 5


def test_a_subset_of_columns_predicts_the_same_as_all_columns(atlas, columns):
    muscles, reflexes = columns
    rows = np.arange(0, len(atlas.sites), 7)
    full = atlas.prediction(muscles, reflexes, "chronic").predict(rows)
    part = atlas.prediction([muscles[5], muscles[100], muscles[200]], [reflexes[3], reflexes[20]], "chronic").predict(rows)
    assert part["grade"].tolist() == full["grade"][:, [5, 100, 200]].tolist()
    assert part["reflex"].tolist() == full["reflex"][:, [3, 20]].tolist()


def test_an_unknown_phase_is_refused(atlas, columns):
    from neurograph.errors import InvalidValueError

    with pytest.raises(InvalidValueError, match="invalid phase 'subacute': expected 'acute' or 'chronic'"):
        atlas.prediction(columns[0][:1], [], "subacute")


def test_the_atlas_follows_the_graph_after_attributes_are_edited_in_place(anatomy):
    variant = anatomy
    before = site_atlas(variant)
    for side in "LR":
        variant.nodes[f"{side}.muscle.triceps_brachii"].update(segments="C7|C8", segment_weights="C7:1|C8:1")
    after = site_atlas(variant)
    assert after is not before and after.table is not before.table
    row = after.row_of[frozenset({"R.vroot.C6"})]
    assert after.singles(["R.muscle.triceps_brachii"], [], "chronic")["grade"][row, 0] == 5
    assert before.singles(["R.muscle.triceps_brachii"], [], "chronic")["grade"][row, 0] < 5
