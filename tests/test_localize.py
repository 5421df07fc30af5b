"""Localization: the public examples rank first, parsimony, ties, bad input."""

import pytest

import neurograph
from neurograph.errors import InvalidValueError
from neurograph.findings import findings_from_dict
from neurograph.localize import localize

G = neurograph.load_anatomy()

WRIST_DROP = {
    "muscles": {
        "right brachioradialis": 1, "right extensor digitorum": 0, "right extensor carpi ulnaris": 0,
        "right extensor carpi radialis longus": 1, "right triceps": 5, "right deltoid": 5, "right FDI": 5,
        "right biceps": 5,
    },
    "reflexes": {"right triceps reflex": "2+", "right brachioradialis reflex": "0"},
}


def seed_c7_picture():
    """The seed text's C7 injury: triceps LMN, hands and legs UMN, biceps spared."""
    record = {"muscles": {}, "reflexes": {}, "plantar": {"left": "extensor", "right": "extensor"}}
    for side in ("left", "right"):
        record["muscles"].update({
            f"{side} triceps": {"mrc_grade": 2, "atrophy": True, "fasciculations": True, "tone": "flaccid"},
            f"{side} biceps": 5, f"{side} deltoid": 5,
            f"{side} FDI": {"mrc_grade": 2, "tone": "spastic", "atrophy": False},
            f"{side} tibialis anterior": {"mrc_grade": 2, "tone": "spastic", "atrophy": False},
            f"{side} rectus femoris": {"mrc_grade": 2, "tone": "spastic"},
            f"{side} gastrocnemius": {"mrc_grade": 2, "tone": "spastic"},
        })
        record["reflexes"].update({
            f"{side} triceps reflex": "1+", f"{side} biceps reflex": "2+", f"{side} knee jerk": "3+",
            f"{side} ankle jerk": "3+",
        })
    return record


def lumbosacral_lmn_picture():
    """Pure LMN signs in both legs and the anal sphincter, no UMN sign."""
    record = {"muscles": {}, "reflexes": {}, "plantar": {"left": "mute", "right": "mute"}}
    for side in ("left", "right"):
        record["muscles"].update({
            f"{side} tibialis anterior": {"mrc_grade": 2, "tone": "flaccid", "atrophy": True},
            f"{side} gastrocnemius": {"mrc_grade": 1, "tone": "flaccid", "atrophy": True},
            f"{side} extensor hallucis longus": {"mrc_grade": 1, "atrophy": True},
            f"{side} external anal sphincter": {"mrc_grade": 1, "tone": "flaccid"},
            f"{side} biceps": 5, f"{side} FDI": 5,
        })
        record["reflexes"].update({f"{side} ankle jerk": "0", f"{side} anal reflex": "0", f"{side} biceps reflex": "2+"})
    return record


def test_wrist_drop_with_spared_triceps_is_the_spiral_groove():
    result = localize(G, findings_from_dict(G, WRIST_DROP))
    assert result.best.label == "radial nerve at the spiral groove (right)"
    assert result.best.contradicts == () and result.best.unexplained == ()
    axilla = next(h for h in result.hypotheses if h.label == "radial nerve in the axilla (right)")
    assert "triceps brachii (right): MRC 5" in axilla.contradicts


def test_the_seed_c7_picture_is_the_c7_segment():
    result = localize(G, findings_from_dict(G, seed_c7_picture()))
    assert result.best.label == "C7 cord segment, bilateral"
    assert len(result.best.sites) == 1


def test_pure_lmn_legs_and_sphincter_are_the_cauda_equina_not_the_conus():
    result = localize(G, findings_from_dict(G, lumbosacral_lmn_picture()))
    assert result.best.label == "cauda equina, bilateral"
    labels = [h.label for h in result.hypotheses]
    assert "conus medullaris, bilateral" not in labels[:1]


def test_a_single_site_that_explains_everything_ranks_above_any_pair():
    result = localize(G, findings_from_dict(G, WRIST_DROP), max_sites=2)
    first_pair = next(i for i, h in enumerate(result.hypotheses) if len(h.sites) == 2)
    assert all(len(h.sites) == 1 for h in result.hypotheses[:first_pair])
    assert result.hypotheses[first_pair].score <= result.best.score


def test_two_lesions_are_found_as_a_pair():
    record = {"muscles": {
        "right APB": 1, "right opponens pollicis": 1, "right FPL": 5, "right FDI": 5,
        "left tibialis anterior": 0, "left extensor hallucis longus": 0, "left tibialis posterior": 5,
        "left gastrocnemius": 5,
    }}
    result = localize(G, findings_from_dict(G, record))
    labels = {site.label for site in result.best.sites}
    assert len(result.best.sites) == 2
    # Distal to the anterior interosseous branch: the carpal tunnel or the forearm below it.
    assert any(label.startswith(("median nerve at the carpal tunnel", "median nerve in the forearm")) for label in labels)
    assert any("fibular" in label for label in labels)


def test_ties_are_reported_with_the_examination_that_separates_them():
    # Pure UMN weakness of the left leg: the right leg area or the left side of the thoracic cord.
    record = {"muscles": {"left tibialis anterior": {"mrc_grade": 3, "tone": "spastic"},
                          "left gastrocnemius": {"mrc_grade": 3, "tone": "spastic"}},
              "reflexes": {"left knee jerk": "3+", "left ankle jerk": "3+"}, "plantar": {"left": "extensor"}}
    result = localize(G, findings_from_dict(G, record))
    assert len(result.ties) > 1
    assert all(h.score == result.best.score for h in result.ties)
    assert result.separating.startswith("examine ")
    tied = {h.label for h in result.ties}
    assert any("motor cortex" in label or "leg and foot area" in label for label in tied)
    assert any("T" in label and "cord segment, left" in label for label in tied)


def test_results_serialise_and_display():
    import json

    result = localize(G, findings_from_dict(G, WRIST_DROP), top=3)
    payload = json.loads(json.dumps(result.to_dict()))
    assert len(payload["hypotheses"]) == 3 and payload["hypotheses"][0]["explanation"].startswith("A lesion of")
    assert repr(result).startswith("<Localization best: radial nerve at the spiral groove (right)")
    assert "<table>" in result._repr_html_()


def test_bad_arguments_and_empty_findings():
    exam = findings_from_dict(G, WRIST_DROP)
    with pytest.raises(InvalidValueError, match="invalid max_sites 3"):
        localize(G, exam, max_sites=3)
    with pytest.raises(InvalidValueError, match="invalid top 0"):
        localize(G, exam, top=0)
    with pytest.raises(InvalidValueError, match="at least one abnormal finding"):
        localize(G, findings_from_dict(G, {"muscles": {"right biceps": 5}}))


def test_the_pair_bound_is_never_below_the_exact_pair_score():
    """What makes the pair search provable: the bound of every pair it skips is an upper bound."""
    import numpy as np

    from neurograph.localize import _Observation, _atlas, _pair_bounds

    for record in (WRIST_DROP, seed_c7_picture(), lumbosacral_lmn_picture()):
        findings = findings_from_dict(G, record)
        atlas = _atlas(G, findings.phase)
        observation = _Observation(G, atlas, findings)
        explained, _, _ = observation.judge(atlas.prediction)
        rows = np.flatnonzero(explained.any(axis=1))
        first, second, upper = _pair_bounds(G, atlas, observation, rows)
        sample = np.random.default_rng(7).choice(len(upper), size=min(60, len(upper)), replace=False)
        for index in sample:
            sites = (atlas.sites[rows[first[index]]], atlas.sites[rows[second[index]]])
            e, c, u = observation.judge(atlas.predict(G, sites))
            assert int(e.sum() - c.sum() - u.sum()) <= int(upper[index]), [site.label for site in sites]


def test_bilateral_axial_weakness_needs_both_routes_cut():
    """Neck flexors on both sides: drive from both hemispheres must be lost (anterior tract)."""
    record = {"muscles": {"left longus colli": {"mrc_grade": 3, "tone": "spastic"},
                          "right longus colli": {"mrc_grade": 3, "tone": "spastic"},
                          "left biceps": 5, "right biceps": 5, "left deltoid": 5, "right deltoid": 5}}
    result = localize(G, findings_from_dict(G, record))
    assert result.best.unexplained == ()
    assert result.best.contradicts == ()
