"""Eye movements: the medial longitudinal fasciculus, the horizontal gaze centre, and what an eye
muscle's finding can show.

The pictures, from the references:

- Blumenfeld2021; Kandel2021: the abducens nucleus holds motor neurons for its lateral rectus and
  internuclear neurons whose axons cross and climb the opposite medial longitudinal fasciculus
  (MLF) to the medial rectus subnucleus. The paramedian pontine reticular formation (PPRF) is the
  horizontal gaze centre that drives the abducens nucleus of its side.
- Blumenfeld2021; Ropper2019: a lesion of one MLF is an internuclear ophthalmoplegia (INO),
  named for its side: that eye fails to adduct on gaze to the other side, while its lid, its
  vertical movements and its convergence (which does not run in the MLF) are kept.
- Fisher1967; WallWray1983: the PPRF or the abducens nucleus with the same side's MLF gives the
  one-and-a-half syndrome: a gaze palsy towards the lesion and an INO of the same side's eye;
  only the opposite eye's abduction is left.
- Blumenfeld2021; Ropper2019: the eye muscles are examined by their movements (ductions,
  versions) and the lid's height; they have no tone, tendon reflex or wasting to examine.
"""

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import neurograph
from neurograph.cli import main
from neurograph.cranial import cranial_signs
from neurograph.errors import InvalidValueError
from neurograph.presets import preset_lesion
from conftest import load_test_anatomy

EYE = ("medial rectus", "lateral rectus", "superior rectus", "inferior rectus", "inferior oblique", "superior oblique",
       "levator palpebrae superioris")


def weak(signs, name):
    return signs.muscle(name).mrc_grade < 5


def gaze_weak(finding):
    """Weak on a movement whose drive is cut, its nucleus and nerve intact, nothing else claimed."""
    return finding.deficit == "UMN" and finding.mrc_grade < 5 and finding.tone == "not_assessable" \
        and not finding.atrophy and not finding.fasciculations


@pytest.mark.parametrize("side, other", [("right", "left"), ("left", "right")])
def test_one_mlf_gives_an_internuclear_ophthalmoplegia_of_its_own_side(packaged_anatomy, side, other):
    signs = cranial_signs(packaged_anatomy, f"{side} MLF")
    assert gaze_weak(signs.muscle(f"{side} medial rectus"))
    # Only the one eye's adduction: the other eye, and the lid and vertical muscles, are spared.
    assert [finding.muscle for finding in signs.muscles] == [f"{side[0].upper()}.muscle.medial_rectus"]
    for name in EYE:
        assert not weak(signs, f"{other} {name}"), name
    # Convergence runs outside the MLF, through the medial rectus's own nucleus and nerve.
    assert signs.reflex(f"{side} convergence").state == "normal"
    reason = signs.muscle(f"{side} medial rectus").reasons[0]
    assert reason.startswith("internuclear ophthalmoplegia") and "nerve are intact" in reason


@pytest.mark.parametrize("station", ["medial longitudinal fasciculus in the pons", "medial longitudinal fasciculus in the midbrain"])
def test_the_mlf_carries_the_fibres_at_each_of_its_levels(packaged_anatomy, station):
    signs = cranial_signs(packaged_anatomy, f"right {station}")
    assert [finding.muscle for finding in signs.muscles] == ["R.muscle.medial_rectus"]


def test_a_third_nerve_palsy_loses_convergence_an_ino_keeps_it(packaged_anatomy):
    G = packaged_anatomy
    nerve = cranial_signs(G, preset_lesion(G, "third_nerve_palsy", side="right"))
    assert nerve.muscle("right medial rectus").deficit == "LMN"
    assert nerve.reflex("right convergence").state == "absent"
    # A medial rectus subnucleus lesion also loses it; an INO of the same eye does not.
    assert cranial_signs(G, "right medial rectus subnucleus").reflex("right convergence").state == "absent"
    assert cranial_signs(G, "right MLF").reflex("right convergence").state == "normal"


def test_one_and_a_half_leaves_only_the_opposite_eyes_abduction(packaged_anatomy):
    G = packaged_anatomy
    signs = cranial_signs(G, preset_lesion(G, "one_and_a_half", side="right"))
    assert signs.muscle("right lateral rectus").deficit == "LMN"  # its abducens nucleus
    assert gaze_weak(signs.muscle("left medial rectus"))  # the right abducens nucleus's internuclear neurons
    assert gaze_weak(signs.muscle("right medial rectus"))  # the right MLF
    assert not weak(signs, "left lateral rectus")
    # Fisher1967: the right eye's adduction is lost in its MLF (the INO half), the left eye's with
    # the right abducens nucleus whose internuclear neurons drive it (the gaze palsy).
    assert signs.muscle("right medial rectus").reasons[0].startswith("internuclear ophthalmoplegia")
    assert signs.muscle("left medial rectus").reasons[0].startswith("gaze palsy")
    for name in ("superior rectus", "inferior rectus", "levator palpebrae superioris"):
        assert not weak(signs, f"right {name}") and not weak(signs, f"left {name}")


def test_the_abducens_nucleus_with_its_own_mlf_is_the_same_picture(packaged_anatomy):
    signs = cranial_signs(packaged_anatomy, ["right abducens nucleus", "right MLF"])
    weak_ones = {finding.muscle: finding.deficit for finding in signs.muscles}
    assert weak_ones == {"R.muscle.lateral_rectus": "LMN", "R.muscle.medial_rectus": "UMN", "L.muscle.medial_rectus": "UMN"}


def test_the_horizontal_gaze_centre_gives_a_gaze_palsy_without_a_palsied_muscle(packaged_anatomy):
    signs = cranial_signs(packaged_anatomy, "right PPRF")
    assert gaze_weak(signs.muscle("right lateral rectus")) and gaze_weak(signs.muscle("left medial rectus"))
    assert {finding.muscle for finding in signs.muscles} == {"R.muscle.lateral_rectus", "L.muscle.medial_rectus"}
    assert signs.reflex("left convergence").state == "normal"
    assert all(finding.reasons[0].startswith("gaze palsy") for finding in signs.muscles)


def test_eye_muscles_report_neither_tone_nor_wasting_and_the_face_still_does(packaged_anatomy):
    """A chronic nucleus lesion wastes the face and makes it fasciculate (Blumenfeld2021); the eye
    muscles it palsies are reported by their movement alone."""
    G = packaged_anatomy
    for lesion in ("right abducens nucleus", "right oculomotor nerve in the subarachnoid space", "right trochlear nucleus", "right PPRF"):
        for finding in cranial_signs(G, lesion).muscles:
            assert finding.tone == "not_assessable" and not finding.atrophy and not finding.fasciculations, (lesion, finding)
    capsules = cranial_signs(G, "bilateral genu of the internal capsule")
    assert capsules.muscle("right levator palpebrae superioris").tone == "not_assessable"
    assert cranial_signs(G, "right oculomotor nerve in the subarachnoid space").muscle("left medial rectus").tone == "not_assessable"
    facial = cranial_signs(G, "right facial nucleus").muscle("right frontalis")
    assert facial.deficit == "LMN" and facial.tone == "flaccid" and facial.atrophy and facial.fasciculations


def test_the_summary_names_the_level_of_an_eye_muscles_loss(packaged_anatomy):
    text = neurograph.simulate(packaged_anatomy, "right MLF").summary()
    line = next(line for line in text.splitlines() if "medial rectus (right)" in line)
    assert "internuclear ophthalmoplegia (nerve and nucleus intact)" in line and "spastic" not in line and "not_assessable" not in line
    palsy = neurograph.simulate(packaged_anatomy, "right abducens nerve over the petrous apex").summary()
    assert "nerve or nucleus palsy" in next(line for line in palsy.splitlines() if "lateral rectus (right)" in line)


def test_the_caption_puts_each_eye_muscle_under_the_level_of_its_loss(packaged_anatomy):
    """Fisher1967: the one-and-a-half syndrome is a palsied lateral rectus (its abducens nucleus),
    a gaze palsy of the other eye's medial rectus and an INO of its own."""
    G = packaged_anatomy
    caption = neurograph.simulate(G, preset_lesion(G, "one_and_a_half", side="right")).caption()
    assert caption == ("LMN: lateral rectus (right); internuclear ophthalmoplegia: medial rectus (right); "
                       "gaze palsy: medial rectus (left)")


def test_the_command_line_prints_an_ino_as_the_preset_gives_it():
    outcome = CliRunner().invoke(main, ["lesion", "--preset", "internuclear_ophthalmoplegia", "--side", "right"])
    assert outcome.exit_code == 0, outcome.output
    assert "medial rectus (right)" in outcome.output and "flaccid" not in outcome.output and "spastic" not in outcome.output
    data = json.loads(CliRunner().invoke(main, ["lesion", "--preset", "internuclear_ophthalmoplegia", "--side", "right", "--json"]).output)
    assert "medial longitudinal fasciculus" in json.dumps(data)


def test_findings_take_an_eye_muscles_grade_and_refuse_its_tone(packaged_anatomy):
    G = packaged_anatomy
    exam = neurograph.findings_from_dict(G, {"muscles": {"right medial rectus": 0}})
    assert exam.muscles["R.muscle.medial_rectus"].mrc_grade == 0
    for entry in ({"mrc_grade": 0, "tone": "flaccid"}, {"mrc_grade": 0, "atrophy": True}, {"mrc_grade": 3, "fasciculations": False}):
        with pytest.raises(InvalidValueError, match="eye muscle"):
            neurograph.findings_from_dict(G, {"muscles": {"right medial rectus": entry}})


def test_an_ino_localizes_to_the_mlf(packaged_anatomy):
    """Adduction lost in one eye with the lid, the vertical muscles, the other eye and convergence
    normal: the MLF of that side (Blumenfeld2021; Ropper2019), not the medial rectus subnucleus or
    the oculomotor nerve (which take convergence with them)."""
    G = packaged_anatomy
    exam = neurograph.findings_from_dict(G, {
        "muscles": {"right medial rectus": 0, "right lateral rectus": 5, "left medial rectus": 5, "left lateral rectus": 5,
                    "right superior rectus": 5, "right inferior rectus": 5, "right levator palpebrae superioris": 5},
        "reflexes": {"right convergence": "2+"},
    })
    result = neurograph.localize(G, exam)
    best = result.hypotheses[0]
    assert all(G.nodes[node]["kind"] == "gaze_pathway" and node.startswith("R.mlf.") for site in best.sites for node in site.nodes)
    on_mlf = sum(h.posterior for h in result.hypotheses
                 if all(node.startswith("R.mlf.") for site in h.sites for node in site.nodes))
    subnucleus = sum(h.posterior for h in result.hypotheses
                     if any("R.nucleus.oculomotor.medial_rectus" in site.nodes for site in h.sites))
    assert on_mlf > 0.5 and subnucleus < on_mlf / 10


def test_a_tie_between_an_ino_and_a_medial_rectus_palsy_is_separated_by_convergence(packaged_anatomy):
    """Without convergence examined, one weak medial rectus fits its MLF and its own nucleus or
    nerve alike; convergence tells them apart (Blumenfeld2021; Ropper2019)."""
    G = packaged_anatomy
    exam = neurograph.findings_from_dict(G, {"muscles": {
        "right medial rectus": 0, "right lateral rectus": 5, "left medial rectus": 5, "left lateral rectus": 5,
        "right superior rectus": 5, "right levator palpebrae superioris": 5,
    }})
    result = neurograph.localize(G, exam, tests=0)
    assert len(result.ties) > 1 and any(node.startswith("R.mlf.") for tie in result.ties for site in tie.sites for node in site.nodes)
    assert result.separating.startswith("examine convergence (right): ")
    assert "normal if medial longitudinal fasciculus" in result.separating


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_a_gaze_pathway_lesion_never_gives_a_lower_motor_neuron_sign(data):
    G = load_test_anatomy()
    nodes = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "gaze_pathway")
    chosen = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=3, unique=True))
    signs = cranial_signs(G, [(node, data.draw(st.sampled_from([0.5, 1.0]))) for node in chosen])
    assert signs.muscles and all(gaze_weak(f) and f.body_region == "eye" for f in signs.muscles)
    assert all(r.state == "normal" for r in signs.reflexes)
