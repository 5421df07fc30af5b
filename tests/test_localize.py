"""Localization: the public examples rank first, parsimony, ties, bad input."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph
from engine_arrays import engine_prediction
from neurograph.errors import InvalidValueError
from neurograph.findings import Findings, MuscleExam, SensoryExam, findings_from_dict
from neurograph.localization import localize


@pytest.fixture(scope="module")
def G(packaged_anatomy):
    """The anatomy under test, by the name the engine's functions give it."""
    return packaged_anatomy


WRIST_DROP = {
    "muscles": {
        "right brachioradialis": 1, "right extensor digitorum": 0, "right extensor carpi ulnaris": 0,
        "right extensor carpi radialis longus": 1, "right triceps": 5, "right deltoid": 5, "right FDI": 5,
        "right biceps": 5,
    },
    "reflexes": {"right triceps reflex": "2+", "right brachioradialis reflex": "0"},
}

#: Spastic weakness of the neck flexors on both sides, arms spared.
NECK_FLEXORS = {"muscles": {"left longus colli": {"mrc_grade": 3, "tone": "spastic"},
                            "right longus colli": {"mrc_grade": 3, "tone": "spastic"},
                            "left biceps": 5, "right biceps": 5, "left deltoid": 5, "right deltoid": 5}}


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


def test_wrist_drop_with_spared_triceps_is_the_spiral_groove(G):
    result = localize(G, findings_from_dict(G, WRIST_DROP))
    assert result.best.label == "radial nerve at the spiral groove (right)"
    assert result.best.contradicts == () and result.best.unexplained == ()
    axilla = next(h for h in result.hypotheses if h.label == "radial nerve in the axilla (right)")
    assert "triceps brachii (right): MRC 5" in axilla.contradicts


def test_the_seed_c7_picture_is_the_c7_segment(G):
    result = localize(G, findings_from_dict(G, seed_c7_picture()))
    assert result.best.label == "C7 cord segment, bilateral"
    assert len(result.best.sites) == 1


def test_pure_lmn_legs_and_sphincter_are_the_cauda_equina_not_the_conus(G):
    result = localize(G, findings_from_dict(G, lumbosacral_lmn_picture()))
    assert result.best.label == "cauda equina, bilateral"
    labels = [h.label for h in result.hypotheses]
    assert "conus medullaris, bilateral" not in labels[:1]


def test_a_single_site_that_explains_everything_ranks_above_any_pair(G):
    # Pure LMN legs and sphincter: the cauda equina explains it all, and so do both sacral
    # plexuses together, which rank below it.
    result = localize(G, findings_from_dict(G, lumbosacral_lmn_picture()), top=40, ranking="score")
    sizes = [len(h.sites) for h in result.hypotheses]
    assert 2 in sizes and sizes[0] == 1
    assert result.best.contradicts == () and result.best.unexplained == ()
    weighed = localize(G, findings_from_dict(G, lumbosacral_lmn_picture()), top=40)
    assert weighed.best.label == result.best.label
    assert all(h.posterior < weighed.best.posterior for h in weighed.hypotheses if len(h.sites) == 2)
    first_pair = sizes.index(2)
    assert all(size == 1 for size in sizes[:first_pair])
    assert all(h.score <= result.best.score for h in result.hypotheses[first_pair:])


def test_a_pair_is_listed_only_when_both_sites_are_needed(G):
    """A pair that scores no better than one of its sites alone is that site with a bystander."""
    from neurograph.atlas import site_atlas

    findings = findings_from_dict(G, lumbosacral_lmn_picture())
    result = localize(G, findings, top=40)
    single = {h.sites[0]: h.score for h in localize(G, findings, max_sites=1, top=len(site_atlas(G).sites)).hypotheses}
    pairs = [h for h in result.hypotheses if len(h.sites) == 2]
    assert pairs
    for pair in pairs:
        assert all(pair.score > single[site] for site in pair.sites), pair.label


def test_two_lesions_are_found_as_a_pair(G):
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


def test_ties_are_reported_with_the_examination_that_separates_them(G):
    # Pure UMN weakness of the left leg: the right leg area or the left side of the thoracic cord.
    record = {"muscles": {"left tibialis anterior": {"mrc_grade": 3, "tone": "spastic"},
                          "left gastrocnemius": {"mrc_grade": 3, "tone": "spastic"}},
              "reflexes": {"left knee jerk": "3+", "left ankle jerk": "3+"}, "plantar": {"left": "extensor"}}
    result = localize(G, findings_from_dict(G, record), ranking="score")
    assert len(result.ties) > 1
    assert all(h.score == result.best.score for h in result.ties)
    # A muscle, a reflex or a sensory test (here the sensory level on the trunk tells the cortex from the cord).
    assert result.separating.startswith(("examine ", "test "))
    tied = {h.label for h in result.ties}
    assert any("motor cortex" in label or "leg and foot area" in label for label in tied)
    assert any("T" in label and "cord segment, left" in label for label in tied)


def test_the_separating_examination_predicts_differently_for_the_tied_it_names(G):
    """Each group named (a finding, and a tied hypothesis with it) is what simulating that
    hypothesis gives for the named muscle or sensory test."""
    record = {"muscles": {"left tibialis anterior": {"mrc_grade": 3, "tone": "spastic"},
                          "left gastrocnemius": {"mrc_grade": 3, "tone": "spastic"}},
              "reflexes": {"left knee jerk": "3+", "left ankle jerk": "3+"}, "plantar": {"left": "extensor"}}
    result = localize(G, findings_from_dict(G, record), ranking="score")
    tied = {h.label: h for h in result.ties}
    if result.separating.startswith("test "):
        modality, rest = result.separating.removeprefix("test ").split(" at ", 1)
        place = next(node for node, data in G.nodes(data=True) if data["kind"] == "skin" and rest.startswith(data["label"] + ": "))
        described = rest.removeprefix(G.nodes[place]["label"] + ": ")
        groups = described.split("; ")
        assert len(groups) >= 2 and len({group.split(" if ")[0] for group in groups}) == len(groups)
        for group in groups:
            words, tie = group.split(" if ", 1)
            grade = getattr(neurograph.simulate(G, list(tied[tie.split(" (or ")[0]].sites)).sensory(place), modality.replace(" ", "_"))
            assert words == {0: "absent", 1: "altered", 2: "normal"}[grade], group
        return
    label, described = result.separating.removeprefix("examine ").split(": ", 1)
    muscle = next(node for node, data in G.nodes(data=True) if data["label"] == label and data["kind"] == "muscle")
    assert muscle not in findings_from_dict(G, record).muscles
    groups = described.split("; ")
    assert len(groups) >= 2 and len({group.split(" if ")[0] for group in groups}) == len(groups)
    for group in groups:
        words, tie = group.split(" if ", 1)
        finding = neurograph.simulate(G, list(tied[tie.split(" (or ")[0]].sites)).muscle(muscle)
        assert ("weak" in words) == (finding.mrc_grade < 5), group
        assert ("spastic" in words) == (finding.tone == "spastic"), group
        assert ("flaccid" in words) == (finding.tone == "flaccid"), group


def test_findings_of_another_anatomy_are_refused(G):
    # A valid anatomy with a muscle this one lacks (an invalid one is refused as such first).
    from neurograph.testing import scaled

    other = scaled.more_muscles(G, 2, nerve="R.radial.pin")
    exam = findings_from_dict(other, {"muscles": {"R.muscle.extensor_digitorum_copy2": 0}})
    with pytest.raises(InvalidValueError, match="invalid finding 'R.muscle.extensor_digitorum_copy2': expected a muscle of this anatomy"):
        localize(G, exam)


@pytest.mark.parametrize("findings, named, expected", [
    (Findings(muscles={"R.reflex.biceps_jerk": MuscleExam(0)}), "R.reflex.biceps_jerk", "a muscle of this anatomy"),
    (Findings(muscles={"R.key_point.C6": MuscleExam(0)}), "R.key_point.C6", "a muscle of this anatomy"),
    (Findings(reflexes={"R.muscle.biceps_brachii": "0"}), "R.muscle.biceps_brachii", "a reflex of this anatomy"),
    (Findings(reflexes={"R.reflex.plantar_response": "0"}), "R.reflex.plantar_response", "a reflex of this anatomy"),
    (Findings(sensation={"R.muscle.biceps_brachii": SensoryExam(pin_prick=0)}), "R.muscle.biceps_brachii", "a skin place"),
])
def test_a_finding_under_the_wrong_kind_of_entry_is_refused_by_name(G, findings, named, expected):
    """Each examined item is held against the anatomy as what its entry says it is, by localize and by weigh alike."""
    from neurograph.inference import weigh

    for judge in (localize, weigh):
        with pytest.raises(InvalidValueError, match=f"invalid finding '{named}': expected {expected}"):
            judge(G, findings)


def test_results_serialise_and_display(G):
    import json

    result = localize(G, findings_from_dict(G, WRIST_DROP), top=3)
    payload = json.loads(json.dumps(result.to_dict()))
    assert len(payload["hypotheses"]) == 3 and payload["hypotheses"][0]["explanation"].startswith("A lesion of")
    assert repr(result).startswith("<Localization best: radial nerve at the spiral groove (right)")
    assert "<table>" in result._repr_html_()


def test_bad_arguments_and_empty_findings(G):
    exam = findings_from_dict(G, WRIST_DROP)
    with pytest.raises(InvalidValueError, match="invalid max_sites 3"):
        localize(G, exam, max_sites=3)
    with pytest.raises(InvalidValueError, match="invalid top 0"):
        localize(G, exam, top=0)
    with pytest.raises(InvalidValueError, match="invalid findings 'dict': expected a Findings record"):
        localize(G, WRIST_DROP)
    with pytest.raises(InvalidValueError, match="invalid top True"):
        localize(G, exam, top=True)
    with pytest.raises(InvalidValueError, match="at least one abnormal finding"):
        localize(G, findings_from_dict(G, {"muscles": {"right biceps": 5}}))


def test_no_pair_outside_the_searched_sites_scores_higher(G):
    """What makes the pair search exact: pairing a site that cuts nothing the examined items
    depend on changes nothing, so the pairs of the other sites hold the best pair."""
    import numpy as np

    from neurograph.atlas import site_atlas
    from neurograph.localization import Observation

    atlas = site_atlas(G)
    for record in (WRIST_DROP, seed_c7_picture(), lumbosacral_lmn_picture()):
        findings = findings_from_dict(G, record)
        observation = Observation(G, findings)
        forecast = atlas.prediction(observation.muscles, observation.reflexes, findings.phase)
        searched = set(forecast.relevant_rows().tolist())
        others = [row for row in range(len(atlas.sites)) if row not in searched]
        assert others and searched
        rng = np.random.default_rng(11)
        for partner, other in zip(rng.choice(sorted(searched), 40), rng.choice(others, 40)):
            alone = observation.scores(observation_prediction(G, findings, observation, [atlas.sites[partner]]))
            paired = observation.scores(observation_prediction(G, findings, observation, [atlas.sites[partner], atlas.sites[other]]))
            assert alone.tolist() == paired.tolist(), (atlas.sites[partner].label, atlas.sites[other].label)
        listed = localize(G, findings).hypotheses
        rows = np.array(sorted(searched))
        first, second = (rows[index] for index in np.triu_indices(len(rows), 1))
        every_pair = observation.scores(forecast.predict(first, second))
        alone = observation.scores(forecast.predict(np.arange(len(atlas.sites))))
        listable = (every_pair > np.maximum(alone[first], alone[second])) & (every_pair >= alone.max())
        # Two halves of one region are that region, a single site.
        listable &= [atlas.sites[a].nodes | atlas.sites[b].nodes not in atlas.row_of for a, b in zip(first, second)]
        listed_pairs = [h.score for h in listed if len(h.sites) == 2]
        assert max(listed_pairs, default=None) == (every_pair[listable].max() if listable.any() else None)


def observation_prediction(G, findings, observation, sites):
    """The engine's findings for ``sites``, as the one-row arrays that ``Observation`` judges."""
    return engine_prediction(G, sites, findings.phase, observation.muscles, observation.reflexes, observation.places)


def test_bilateral_axial_weakness_needs_both_routes_cut(G):
    """Neck flexors on both sides: drive from both hemispheres must be lost (anterior tract)."""
    result = localize(G, findings_from_dict(G, NECK_FLEXORS), ranking="score")
    assert result.best.unexplained == ()
    assert result.best.contradicts == ()


def neck_flexors_with_the_limbs_examined():
    """The neck-flexor picture as a clinician completes it: arm, hand and leg muscles, tendon
    reflexes and plantar responses of both sides examined and normal."""
    record = {"muscles": dict(NECK_FLEXORS["muscles"]), "reflexes": {}, "plantar": {"left": "flexor", "right": "flexor"}}
    for side in ("left", "right"):
        for muscle in ("triceps", "FDI", "extensor digitorum", "iliopsoas", "tibialis anterior", "gastrocnemius"):
            record["muscles"][f"{side} {muscle}"] = 5
        for reflex in ("biceps reflex", "knee jerk", "ankle jerk"):
            record["reflexes"][f"{side} {reflex}"] = "2+"
    return record


def loses_the_neck_on_both_sides(G, hypothesis):
    """Whether the hypothesis's lesion, at its likeliest severities, weakens both longus colli."""
    from neurograph.inference import SEVERITIES
    from neurograph.resolve import Site

    sites = [Site(site.name, site.label, site.nodes, SEVERITIES[severity]) for site, severity in zip(hypothesis.sites, hypothesis.severities)]
    result = neurograph.simulate(G, sites)
    return all(result.muscle(f"{side}.muscle.longus_colli").mrc_grade < 5 for side in ("L", "R"))


def test_bilateral_axial_weakness_by_posterior_loses_the_drive_of_both_hemispheres(G):
    """The neck flexors are driven from both hemispheres (Blumenfeld2021: the medial motor
    systems, the anterior corticospinal tract among them, act on axial muscles bilaterally), so
    weakness on both sides needs the drive of both lost. By posterior the leader is a lesion that
    weakens both sides: with only four arm muscles examined, a mild bilateral pontine lesion (its
    arm muscles one grade down, Kumral2002: tetraparesis) is likelier than two symmetrical
    cortical lesions; any one-sided site, which leaves one side's neck strong, ranks below it."""
    hypotheses = localize(G, findings_from_dict(G, NECK_FLEXORS), top=10).hypotheses
    assert loses_the_neck_on_both_sides(G, hypotheses[0])
    one_sided = [h for h in hypotheses if {node[0] for site in h.sites for node in site.nodes} in ({"L"}, {"R"})]
    assert one_sided and all(h.posterior < hypotheses[0].posterior for h in one_sided)


def test_bilateral_axial_weakness_with_the_limbs_examined_is_two_lesions_by_posterior(G):
    """With the limbs, reflexes and plantar responses examined and normal, nothing that weakens
    the limbs is left: the leader cuts the neck's drive from both hemispheres and contradicts
    no finding."""
    result = localize(G, findings_from_dict(G, neck_flexors_with_the_limbs_examined()))
    assert loses_the_neck_on_both_sides(G, result.best)
    assert result.best.unexplained == () and result.best.contradicts == ()


def full_examination(G, *sites):
    """Every muscle, reflex and plantar response of a patient with a simulated lesion of ``sites``."""
    from neurograph.findings import findings_from_result

    return findings_from_result(neurograph.simulate(G, list(sites)))


@pytest.mark.parametrize("sites", [
    ("right radial nerve at the spiral groove", "left common fibular nerve"),
    ("C7",),
    ("left internal capsule", "right C5 ventral root"),
])
def test_pair_scores_are_exact_where_they_can_reach_the_floor(G, sites):
    """The pairs of groups listed are exactly those whose score reaches the floor and is above
    each group's alone, each with its exact score (checked against the atlas's own pair predictions)."""
    import numpy as np

    from neurograph.atlas import site_atlas
    from neurograph.localization import Observation, _group_pair_scores

    findings = full_examination(G, *sites)
    observation = Observation(G, findings)
    forecast = site_atlas(G).prediction(observation.muscles, observation.reflexes, findings.phase)
    representatives, _ = forecast.distinct(forecast.relevant_rows())
    explained, contradicted, unexplained = observation.judge(forecast.predict(representatives))
    alone = explained.astype(int) - contradicted - unexplained
    # A floor well below the best single site, so that many pairs reach it.
    floor = int(np.percentile(alone.sum(axis=1), 90))
    first, second, scores = _group_pair_scores(forecast, observation, representatives, alone, floor)
    each = alone.sum(axis=1)
    assert (first < second).all() and (scores >= floor).all() and len(first) > 20
    assert (scores > np.maximum(each[first], each[second])).all()
    rng = np.random.default_rng(3)
    listed = rng.permutation(len(first))[:3000]
    exact = observation.scores(forecast.predict(representatives[first[listed]], representatives[second[listed]]))
    assert (scores[listed] == exact).all()
    # Every pair among some of the listed pairs' groups and as many others.
    listed_groups = rng.permutation(np.union1d(first, second))[:60]
    chosen = np.union1d(listed_groups, rng.permutation(len(representatives))[:60])
    one, other = (chosen[index] for index in np.triu_indices(len(chosen), 1))
    exact = observation.scores(forecast.predict(representatives[one], representatives[other]))
    found = set(zip(first.tolist(), second.tolist()))
    beating = (exact >= floor) & (exact > np.maximum(each[one], each[other]))
    assert (exact < floor).sum() > 100 and beating.sum() > 10 and ((exact >= floor) & ~beating).sum() > 10
    assert [pair in found for pair in zip(one.tolist(), other.tolist())] == beating.tolist()


def test_a_full_examination_of_two_lesions_is_explained_by_a_pair(G):
    findings = full_examination(G, "right radial nerve at the spiral groove", "left common fibular nerve at the fibular head")
    result = localize(G, findings)
    assert len(result.best.sites) == 2
    assert result.best.contradicts == () and result.best.unexplained == ()
    labels = {site.label for site in result.best.sites}
    assert "common fibular nerve at the fibular head (left)" in labels
    assert any(label.startswith("radial nerve") for label in labels)


def test_an_examination_of_reflexes_alone_is_localized(G):
    """A brisk knee jerk and an extensor plantar with an absent ankle jerk, all on the left and
    no muscle examined: no single site gives all three (a lesion above the lumbar enlargement
    makes the ankle jerk brisk too), a UMN lesion with an S1 lower motor neuron lesion does."""
    record = {"reflexes": {"left knee jerk": "3+", "left ankle jerk": "0"}, "plantar": {"left": "extensor"}}
    weighed = localize(G, findings_from_dict(G, record), top=100)
    assert all(h.contradicts or h.unexplained for h in weighed.hypotheses if len(h.sites) == 1)
    assert any(len(h.sites) == 2 and not h.contradicts and not h.unexplained for h in weighed.hypotheses)
    result = localize(G, findings_from_dict(G, record), ranking="score")
    assert len(result.best.sites) == 2
    assert result.best.unexplained == () and result.best.contradicts == () and len(result.best.explains) == 3
    assert all(len(h.sites) == 2 for h in result.ties)
    assert any(any(site.label.startswith("S1 ") for site in h.sites) for h in result.ties)


def test_no_public_name_is_shadowed_by_a_module_of_the_same_name():
    """Importing a submodule sets the package attribute of its name, so a function and a module
    may not share one (``neurograph.localize`` must stay the function)."""
    import pkgutil

    import neurograph.localization  # noqa: F401

    modules = {info.name for info in pkgutil.iter_modules(neurograph.__path__)}
    assert modules.isdisjoint(neurograph.__all__), modules & set(neurograph.__all__)
    assert callable(neurograph.localize)


def test_mild_weakness_ranks_partial_lesions_above_a_transection(G):
    """Triceps MRC 4 alone: a C7 root lesion leaves its C6 and C8 supply (partial weakness), a
    radial nerve lesion in the axilla paralyses it. Both explain the one finding; the root ranks
    above the nerve because its predicted grade is the one found (by score, complete lesions
    only); by posterior the partial C7 root comes first (issue 15)."""
    weighed = localize(G, findings_from_dict(G, {"muscles": {"right triceps": 4}}), top=100)
    ranked = [h.label for h in weighed.hypotheses]
    assert weighed.best.label == "C7 root (dorsal and ventral), right" and weighed.best.severities == ("mild_partial",)
    assert ranked.index(weighed.best.label) < ranked.index("radial nerve in the axilla (right)")
    result = localize(G, findings_from_dict(G, {"muscles": {"right triceps": 4}}), top=100, ranking="score")
    ranked = [h.label for h in result.hypotheses]
    root, nerve = ranked.index("C7 ventral root (right)"), ranked.index("radial nerve in the axilla (right)")
    assert root < nerve
    assert result.hypotheses[root].score == result.hypotheses[nerve].score
    assert result.hypotheses[root].grade_difference < result.hypotheses[nerve].grade_difference
    assert "its predicted grades differ from those found by 4 in all" in result.hypotheses[nerve].explanation


def test_localize_command_takes_priors_and_an_examination_model_from_files(tmp_path):
    """The priors and the examination's error are data a user can replace per call (issue 15):
    a priors file that puts no weight on the nerve points moves wrist drop (Preston2020: the radial nerve)
    off every nerve point; a file that is not there is one error line, exit 1."""
    import json
    import re
    from pathlib import Path

    from click.testing import CliRunner

    from neurograph.cli import main

    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps(WRIST_DROP))
    table = Path(neurograph.__file__).resolve().parent.parent / "data" / "sources" / "inference"
    priors = tmp_path / "priors.csv"
    lines = (table / "priors.csv").read_text(encoding="utf-8").splitlines()
    priors.write_text("\n".join(re.sub(r"^(site_class,nerve,,)[^,]*", r"\g<1>0", line) for line in lines) + "\n")
    runner = CliRunner()
    usual = json.loads(runner.invoke(main, ["localize", str(exam), "--json", "--tests", "0"]).output)
    assert usual["hypotheses"][0]["label"] == "radial nerve at the spiral groove (right)"
    moved = runner.invoke(main, ["localize", str(exam), "--json", "--tests", "0", "--priors", str(priors),
                                 "--examination-model", str(table / "examination_error.csv")])
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.output)["hypotheses"][0]["label"] != usual["hypotheses"][0]["label"]
    missing = runner.invoke(main, ["localize", str(exam), "--priors", str(tmp_path / "none.csv")])
    assert missing.exit_code == 1 and missing.output.count("Error: ") == 1 and "Traceback" not in missing.output


def pair_search_parts(G, findings):
    """The pair search's observation, prediction, group representatives and their contributions alone."""
    from neurograph.atlas import site_atlas
    from neurograph.localization import Observation

    observation = Observation(G, findings)
    forecast = site_atlas(G).prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
    representatives, _ = forecast.distinct(forecast.relevant_rows())
    explained, contradicted, unexplained = observation.judge(forecast.predict(representatives))
    return observation, forecast, representatives, explained.astype(int) - contradicted - unexplained


def check_pair_bounds(G, findings, rng, pairs=3000):
    """The pair bound, at random pairs of groups (half of them pairs it counts contradictions
    for), is never below the pair's exact score and equals it where the two touch no item in
    common. Returns how many sampled pairs the sharper bound lowered."""
    import numpy as np

    from neurograph.localization import _PairBounds

    observation, forecast, representatives, alone = pair_search_parts(G, findings)
    bounds = _PairBounds(forecast, observation, representatives, alone)
    every = np.argwhere(np.triu(np.ones((len(representatives),) * 2, dtype=bool), 1))
    shared = every[bounds.shares(*every.T)]
    first, second = shared[rng.permutation(len(shared))[:20 * pairs]].T
    lowered = bounds.still_contradicted(first, second) > 0
    chosen = np.concatenate([np.flatnonzero(lowered)[: pairs // 2], np.flatnonzero(~lowered)[: pairs // 2]])
    sampled = rng.integers(0, len(representatives), (pairs // 2, 2))
    first, second = np.concatenate([np.stack([first[chosen], second[chosen]], axis=1), sampled]).T
    exact = observation.scores(forecast.predict(representatives[first], representatives[second]))
    bound = bounds(first, second)
    assert (bound >= exact).all()
    assert (bound <= bounds.by_classes[first, second]).all()
    apart = ~bounds.shares(first, second)
    assert (bound[apart] == exact[apart]).all()
    return int((bound < bounds.by_classes[first, second]).sum())


def test_the_sharper_pair_bound_holds_on_full_examinations(G):
    """Full examinations of every muscle, reflex and (after C7) key point, limb and cranial:
    the pair bound holds, and it is lower than counting shared items at their best for many pairs."""
    import numpy as np

    from neurograph.findings import findings_from_result

    key_points = [node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level")]
    cranial = [node for node, data in G.nodes(data=True) if data["kind"] in ("muscle", "cranial_muscle")]
    examinations = [
        findings_from_result(neurograph.simulate(G, "C7"), places=key_points),
        findings_from_result(neurograph.simulate(G, neurograph.preset_lesion(G, "weber", side="left")), muscles=cranial),
        findings_from_result(neurograph.simulate(G, "right internal capsule", phase="acute"), places=key_points),
    ]
    for findings in examinations:
        assert check_pair_bounds(G, findings, np.random.default_rng(5)) > 200


@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_the_pair_bound_holds_on_simulated_patients(G, seed):
    """Noisy focused examinations of simulated patients (one lesion or two, complete or partial, acute or chronic)."""
    import numpy as np

    from neurograph.inference import draw_patients

    patient = draw_patients(G, 1, seed=seed, pair_share=0.5)[0]
    check_pair_bounds(G, patient.findings, np.random.default_rng(seed), pairs=1000)


def test_what_a_site_makes_abnormal_alone_stays_abnormal_with_a_partner(G):
    """The findings the pair bound counts as kept (Prediction.abnormal_when_paired) are abnormal
    in every sampled pair where one of the two sites makes them abnormal alone; spasticity is
    not kept: an upper motor neuron lesion's spastic triceps is flaccid once its C7 ventral
    root is cut too (lower motor neuron signs prevail where both are lost; Blumenfeld2021)."""
    import numpy as np

    from neurograph.atlas import site_atlas
    from neurograph.findings import findings_from_result

    key_points = [node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level")]
    findings = findings_from_result(neurograph.simulate(G, "C7"), places=key_points)
    observation, forecast, representatives, _ = pair_search_parts(G, findings)
    kept = forecast.abnormal_when_paired()
    rng = np.random.default_rng(11)
    first, second = representatives[rng.integers(0, len(representatives), (2, 4000))]
    together, one, other = forecast.predict(first, second), forecast.predict(first), forecast.predict(second)

    def abnormal(prediction):
        found = {kind: prediction[kind] for kind in ("spastic", "flaccid", "atrophy", "fasciculations")}
        found["weak"], found["reflex"] = prediction["grade"] < 5, prediction["reflex"] != 0
        found["sensory"] = prediction["sensory"] < 2  # per place and modality
        return found

    paired, alone_one, alone_other = abnormal(together), abnormal(one), abnormal(other)
    checked = 0
    for kind, columns in kept.items():
        either = (alone_one[kind] | alone_other[kind])[:, columns]
        assert paired[kind][:, columns][either].all(), kind
        checked += int(either.sum())
    assert checked > 10_000 and kept["weak"].all() and not kept["spastic"].any()
    atlas = site_atlas(G)
    rows = {site.label: row for row, site in enumerate(atlas.sites)}
    capsule, root = rows["internal capsule (posterior limb), arm fibres (left)"], rows["C7 ventral root (right)"]
    triceps = site_atlas(G).prediction(["R.muscle.triceps_brachii"], [], "chronic")
    assert triceps.predict([capsule])["spastic"].tolist() == [[True]]
    assert triceps.predict([capsule], [root])["spastic"].tolist() == [[False]]


def test_a_bilateral_lesion_lists_each_side_s_sensation_together_rostral_first(G):
    """A bilateral cord lesion's altered places are listed side by side as the ISNCSCI worksheet
    records them (ISNCSCI2019: each side in its own column, key points from C2 down): the places
    of one side together, then the other's, and each side's key points rostral to caudal."""
    from neurograph.schema import SEGMENTS

    sensation = neurograph.simulate(G, "bilateral c5").sensation
    sides = [finding.side for finding in sensation]
    assert set(sides) == {"L", "R"} and sum(a != b for a, b in zip(sides, sides[1:])) == 1
    for side in ("L", "R"):
        levels = [G.nodes[f.place]["isncsci_level"] for f in sensation if f.side == side and G.nodes[f.place].get("isncsci_level")]
        rostral_first = sorted(levels, key=lambda level: SEGMENTS.index(level.split("-")[0]))  # S4-5 at S4
        assert len(levels) > 20 and levels == rostral_first


def test_an_observation_names_each_item_as_asked_whatever_the_order(G):
    """Each item's words: a muscle's grade, tone, wasting and fasciculations in that order, then
    the reflexes and plantar responses, then each place's modalities; an item's words are the
    same whether asked for alone, out of order, or with every other item."""
    from neurograph.localization import Observation

    record = {
        "muscles": {"right triceps": {"mrc_grade": 2, "tone": "flaccid", "atrophy": True, "fasciculations": False},
                    "right biceps": {"mrc_grade": 5, "fasciculations": True}},
        "reflexes": {"right triceps reflex": "0"},
        "plantar": {"right": "extensor"},
        "sensation": {"right C7 key point": {"light touch": 1, "pin prick": 0}},
    }
    expected = [
        "biceps brachii (right): MRC 5", "biceps brachii (right): fasciculations",
        "triceps brachii (right): MRC 2", "triceps brachii (right): tone flaccid", "triceps brachii (right): tone flaccid",
        "triceps brachii (right): atrophy", "triceps brachii (right): no fasciculations",
        "triceps reflex (right): 0", "plantar response (right): extensor",
    ]
    findings = findings_from_dict(G, record)
    scattered = Observation(G, findings)
    assert scattered.labels_of([8, 0, 5]) == (expected[8], expected[0], expected[5])
    labels = scattered.labels
    assert labels[: len(expected)] == expected
    place = G.nodes["R.key_point.C7"]["label"]
    assert labels[len(expected):] == [f"{place}: light touch 1", f"{place}: pin prick 0"]
    assert Observation(G, findings).labels == labels
    # The tone makes two items: found spastic (no) and found flaccid (yes).
    assert scattered.abnormal.tolist() == [False, True, True, False, True, True, False, True, True, True, True]
