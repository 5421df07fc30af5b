"""Localization with sensory findings: the bedside pictures where sensation decides, best first.

Expectations come from the references (keys of data/sources/references.csv), not from the code:

- Preston2020 (Preston and Shapiro, *Electromyography and Neuromuscular Disorders*, 4th edn):
  the dorsal ulnar cutaneous branch leaves the ulnar nerve several centimetres proximal to the
  wrist, so a lesion at Guyon's canal spares the skin of the dorsal ulnar hand, and a lesion at
  the elbow takes it; a radiculopathy gives weakness in its myotome, a reduced reflex and
  sensory change in its dermatome, whereas disease of the anterior horn cells (and of the
  ventral root alone) is purely motor; the long thoracic nerve is purely motor (serratus
  anterior), so an isolated winged scapula from it comes without sensory loss; C7
  radiculopathy weakens triceps, wrist flexors (flexor carpi radialis, median nerve) and finger
  extensors, reduces the triceps reflex and alters sensation over the middle finger, whereas a
  radial nerve lesion spares the median muscles and the palmar middle finger; an isolated winged
  scapula (serratus anterior weak, the other shoulder muscles spared) is a lesion of the long
  thoracic nerve.
- Brazis2011 (*Localization in Clinical Neurology*, 6th edn): S1 radiculopathy weakens plantar
  flexion, abolishes the ankle jerk and alters sensation of the lateral foot and heel (the S1
  key point of ISNCSCI2019 is the lateral heel).
- Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn): a hemisection
  (Brown-Sequard) gives ipsilateral spastic weakness and loss of vibration and joint position
  below the lesion, contralateral loss of pain and temperature from one to two segments below
  it, and a band of ipsilateral loss at its level.
"""

import numpy as np
import pytest

from engine_arrays import engine_prediction
from neurograph.atlas import site_atlas
from neurograph.findings import findings_from_dict
from neurograph.localization import Observation, localize
from neurograph.schema import decode_segment_list


@pytest.fixture(scope="module")
def G(packaged_anatomy):
    return packaged_anatomy


def ranked(G, record, top=60, **options):
    """The labels of the hypotheses, best first, and the localization."""
    result = localize(G, findings_from_dict(G, record), top=top, **options)
    return [hypothesis.label for hypothesis in result.hypotheses], result


def likelihood(result, label):
    """The log-likelihood of the findings given the hypothesis ``label`` (priors left out)."""
    return next(h.log_likelihood for h in result.hypotheses if h.label == label)


def above(labels, better, worse):
    """Whether ``better`` ranks above ``worse`` (a hypothesis not listed ranks below every listed one)."""
    return better in labels and (worse not in labels or labels.index(better) < labels.index(worse))


#: Ulnar hand: the intrinsic muscles weak, the median-supplied thenar muscle spared, the palmar
#: little finger without pin prick (Preston2020).
ULNAR_HAND = {"right FDI": 2, "right abductor digiti minimi": 2, "right abductor pollicis brevis": 5}


def ulnar_record(dorsal_ulnar_hand):
    return {"muscles": ULNAR_HAND, "sensation": {
        "right palmar surface of the little finger": {"pin prick": 0},
        "right ulnar half of the back of the hand": {"pin prick": dorsal_ulnar_hand},
    }}


def test_a_numb_dorsal_ulnar_hand_puts_the_lesion_above_the_wrist(G):
    labels, result = ranked(G, ulnar_record(dorsal_ulnar_hand=0))
    assert above(labels, "ulnar nerve at the elbow (right)", "ulnar nerve at Guyon's canal (right)")
    assert result.best.label.startswith("ulnar nerve") and "Guyon" not in result.best.label
    assert result.best.contradicts == () and result.best.unexplained == ()


def test_a_spared_dorsal_ulnar_hand_puts_the_lesion_at_guyons_canal(G):
    labels, result = ranked(G, ulnar_record(dorsal_ulnar_hand=2))
    assert result.best.label == "ulnar nerve at Guyon's canal (right)"
    assert above(labels, "ulnar nerve at Guyon's canal (right)", "ulnar nerve at the elbow (right)")
    elbow = next(h for h in result.hypotheses if h.label == "ulnar nerve at the elbow (right)")
    assert "ulnar half of the back of the hand (right): pin prick 2" in elbow.contradicts


C7_ROOT_SITES = ("C7 root (dorsal and ventral), right", "C7 spinal nerve (right)")


def test_c7_root_ranks_above_the_radial_nerve_for_a_numb_middle_finger(G):
    record = {
        "muscles": {"right triceps": 4, "right flexor carpi radialis": 4, "right extensor digitorum": 4,
                    "right biceps": 5, "right deltoid": 5, "right brachioradialis": 5},
        "reflexes": {"right triceps reflex": "1+"},
        "sensation": {"right C7 key point": {"pin prick": 1}, "right palmar surface of the middle finger": {"pin prick": 1}},
    }
    labels, result = ranked(G, record)
    assert result.best.label in C7_ROOT_SITES
    for radial in ("radial nerve in the axilla (right)", "radial nerve at the spiral groove (right)", "posterior cord of the brachial plexus (right)"):
        assert above(labels, result.best.label, radial)


def test_c7_root_ranks_above_the_radial_nerve_with_triceps_alone(G):
    """The issue's picture at its barest: a weak triceps, a reduced triceps jerk, a numb middle finger."""
    record = {
        "muscles": {"right triceps": 4}, "reflexes": {"right triceps reflex": "1+"},
        "sensation": {"right palmar surface of the middle finger": {"pin prick": 1}},
    }
    labels, result = ranked(G, record)
    assert result.best.label in C7_ROOT_SITES
    assert above(labels, result.best.label, "radial nerve in the axilla (right)")


def test_an_s1_root_lesion(G):
    record = {
        "muscles": {"right gastrocnemius": 3, "right soleus": 3, "right tibialis anterior": 5},
        "reflexes": {"right ankle jerk": "0", "right knee jerk": "2+"},
        # The ISNCSCI S1 key point: the lateral heel (calcaneus).
        "sensation": {"right lateral heel (calcaneus)": {"pin prick": 1, "light touch": 1}},
    }
    labels, result = ranked(G, record)
    assert result.best.label in ("S1 root (dorsal and ventral), right", "S1 spinal nerve (right)")
    assert result.best.contradicts == () and result.best.unexplained == ()
    for nerve in ("tibial nerve at the popliteal fossa (right)", "tibial division of the sciatic nerve (right)"):
        assert above(labels, result.best.label, nerve)


def brown_sequard_record():
    """A left hemisection at T10 as Blumenfeld2021 draws it."""
    sensation = {"left T10 key point": dict.fromkeys(("pin prick", "light touch", "vibration", "joint position"), 0)}
    for level in ("T8", "T9"):
        sensation[f"left {level} key point"] = {"pin prick": 2, "light touch": 2}
        sensation[f"right {level} key point"] = {"pin prick": 2, "light touch": 2}
    for level in ("L2", "L3", "L4", "L5"):
        sensation[f"left {level} key point"] = {"vibration": 0, "joint position": 0, "pin prick": 2, "temperature": 2}
        sensation[f"right {level} key point"] = {"vibration": 2, "joint position": 2, "pin prick": 0, "temperature": 0}
    sensation["right T12 key point"] = {"pin prick": 0}
    muscles = {}
    for muscle in ("tibialis anterior", "rectus femoris", "gastrocnemius"):
        muscles[f"left {muscle}"] = {"mrc_grade": 3, "tone": "spastic"}
        muscles[f"right {muscle}"] = 5
    return {
        "muscles": muscles, "sensation": sensation, "plantar": {"left": "extensor", "right": "flexor"},
        "reflexes": {"left knee jerk": "3+", "left ankle jerk": "3+", "right knee jerk": "2+", "right ankle jerk": "2+"},
    }


def test_brown_sequard_gives_the_hemicord_and_its_level(G):
    labels, result = ranked(G, brown_sequard_record())
    assert result.best.label == "T10 cord segment, left"
    assert len(result.ties) == 1
    for wrong in ("T10 cord segment, right", "T9 cord segment, left", "T11 cord segment, left", "T10 cord segment, bilateral"):
        assert above(labels, "T10 cord segment, left", wrong)


#: Foot drop: tibialis anterior and extensor hallucis weak, tibialis posterior a little (L5),
#: gastrocnemius and the quadriceps spared.
FOOT_DROP = {"right tibialis anterior": 2, "right extensor hallucis longus": 2, "right tibialis posterior": 4,
             "right gastrocnemius": 5, "right vastus lateralis": 5}
L5_MOTOR = ("L5 anterior horn (right)", "L5 ventral root (right)")
L5_WITH_SENSORY_FIBRES = ("L5 root (dorsal and ventral), right", "L5 spinal nerve (right)", "L5 ventral ramus (right)")


def test_the_l5_foot_drop_tie_is_separated_by_a_sensory_test(G):
    """By score, the L5 sites tie on motor signs, and the test that separates them is sensory."""
    labels, result = ranked(G, {"muscles": FOOT_DROP}, ranking="score")
    tied = {hypothesis.label for hypothesis in result.ties}
    assert set(L5_MOTOR + L5_WITH_SENSORY_FIBRES) <= tied
    # Motor signs alone cannot tell them apart; pin prick in the L5 dermatome can (a root,
    # spinal nerve or ramus lesion impairs it, an anterior horn or ventral root spares it).
    place, _ = separating_place(G, result.separating)
    assert result.separating.startswith("test pin prick at")
    assert "L5" in decode_segment_list(G.nodes[place]["segments"])


def separating_place(G, separating):
    """The skin node a separating sensory test names, and the groups it describes."""
    head, described = separating.rsplit(": ", 1)
    places = [node for node, data in G.nodes(data=True) if data["kind"] == "skin" and head.endswith(" " + data["label"])]
    assert len(places) == 1, head
    return places[0], described


def test_motor_signs_alone_weigh_the_l5_sites_alike(G):
    """Motor signs cannot tell a radiculopathy from anterior horn or ventral root disease of the
    same segment (Preston2020): the findings are as likely under each, and the root, far the
    commoner lesion (radiculopathy against motor neuron disease, priors.csv), ranks first."""
    labels, result = ranked(G, {"muscles": FOOT_DROP})
    root = likelihood(result, "L5 root (dorsal and ventral), right")
    for motor in L5_MOTOR:
        assert likelihood(result, motor) == pytest.approx(root)
        assert above(labels, "L5 root (dorsal and ventral), right", motor)


def test_dermatomal_numbness_puts_the_l5_root_above_the_anterior_horn(G):
    labels, result = ranked(G, {"muscles": FOOT_DROP, "sensation": {"right L5 key point": {"pin prick": 1}}})
    root = next(h for h in result.hypotheses if h.label == "L5 root (dorsal and ventral), right")
    assert result.best.label in ("L5 root (dorsal and ventral), right", "L5 spinal nerve (right)")
    for motor in L5_MOTOR:
        assert above(labels, root.label, motor)
        assert likelihood(result, motor) < root.log_likelihood
        assert localized_score(result, motor) < root.score


def test_spared_dermatome_puts_the_anterior_horn_and_ventral_root_above_the_root(G):
    """A spared dermatome fits the purely motor lesions better than the root (Preston2020); by
    the findings alone (uniform priors) they rank above it."""
    record = {"muscles": FOOT_DROP, "sensation": {"right L5 key point": {"pin prick": 2}}}
    _, weighed = ranked(G, record)
    labels, result = ranked(G, record, priors="uniform")
    for motor in L5_MOTOR:
        assert likelihood(weighed, motor) > likelihood(weighed, "L5 root (dorsal and ventral), right")
        for sensory in L5_WITH_SENSORY_FIBRES + ("lumbosacral trunk (right)",):
            assert above(labels, motor, sensory)


def localized_score(result, label):
    return next(h.score for h in result.hypotheses if h.label == label) if label in [h.label for h in result.hypotheses] else -np.inf


WINGED_SCAPULA = {"right serratus anterior": {"mrc_grade": 2, "tone": "flaccid", "atrophy": True},
                  "right deltoid": 5, "right rhomboids": 5, "right supraspinatus": 5}


def test_normal_c7_sensation_puts_the_long_thoracic_nerve_above_the_c7_root(G):
    labels, before = ranked(G, {"muscles": WINGED_SCAPULA})
    assert before.best.label == "long thoracic nerve (right)"
    labels, result = ranked(G, {"muscles": WINGED_SCAPULA, "sensation": {"right C7 key point": {"pin prick": 2, "light touch": 2}}})
    assert result.best.label == "long thoracic nerve (right)"
    for root in L5_WITH_SENSORY_FIBRES:
        c7 = root.replace("L5", "C7")
        assert above(labels, "long thoracic nerve (right)", c7)
        assert localized_score(result, c7) < result.best.score
    # Normal C7 sensation makes the C7 root less likely than the winged scapula alone did.
    root = "C7 root (dorsal and ventral), right"
    assert likelihood(result, root) - likelihood(result, "long thoracic nerve (right)") < likelihood(before, root) - likelihood(before, "long thoracic nerve (right)")


@pytest.mark.parametrize("serratus", [0, 2])
def test_an_isolated_winged_scapula_is_the_long_thoracic_nerve_whatever_the_grade(G, serratus):
    """Issue 15: serratus anterior written down at MRC 0 or at 2, the other shoulder muscles
    spared, is a long thoracic nerve lesion first (Preston2020)."""
    muscles = dict(WINGED_SCAPULA, **{"right serratus anterior": {"mrc_grade": serratus, "tone": "flaccid", "atrophy": True}})
    labels, result = ranked(G, {"muscles": muscles})
    assert result.best.label == "long thoracic nerve (right)"
    for c7 in ("C7 root (dorsal and ventral), right", "C7 anterior horn (right)", "C7 ventral root (right)", "C7 cord segment, right"):
        assert above(labels, "long thoracic nerve (right)", c7)


def test_the_separating_sensory_test_predicts_what_simulate_finds(G):
    """Each group the sensory test names is what simulating its tied hypothesis grades there."""
    import neurograph

    _, result = ranked(G, {"muscles": FOOT_DROP}, ranking="score")
    place, described = separating_place(G, result.separating)
    assert result.separating.startswith("test pin prick at")
    tied = {h.label: h for h in result.ties}
    words = {0: "absent", 1: "altered", 2: "normal"}
    groups = described.split("; ")
    assert len(groups) == 3
    for group in groups:
        word, tie = group.split(" if ", 1)
        grade = neurograph.simulate(G, list(tied[tie.split(" (or ")[0]].sites)).sensory(place).pin_prick
        assert word == words[grade], group


@pytest.mark.parametrize("record", [ulnar_record(0), {"muscles": FOOT_DROP, "sensation": {"right L5 key point": {"pin prick": 1}}}])
def test_sensory_scores_of_single_sites_and_pairs_are_those_of_simulate(G, record):
    """The atlas's scores for single sites, and for pairs with a site outside the searched ones,
    are what judging simulate's findings gives (so the pair search stays exact with sensation)."""
    findings = findings_from_dict(G, record)
    observation = Observation(G, findings)
    atlas = site_atlas(G)

    def simulated(sites):
        prediction = engine_prediction(G, sites, findings.phase, observation.muscles, observation.reflexes, observation.places)
        return int(observation.scores(prediction)[0])

    forecast = atlas.prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
    rng = np.random.default_rng(21)
    rows = rng.choice(len(atlas.sites), 60, replace=False)
    scores = observation.scores(forecast.predict(rows))
    assert scores.tolist() == [simulated([atlas.sites[row]]) for row in rows]
    searched = forecast.relevant_rows()
    others = np.setdiff1d(np.arange(len(atlas.sites)), searched)
    for partner, other in zip(rng.choice(searched, 25), rng.choice(others, 25)):
        assert simulated([atlas.sites[partner], atlas.sites[other]]) == simulated([atlas.sites[partner]])
    best = localize(G, findings).best
    assert best.score == simulated(list(best.sites))
