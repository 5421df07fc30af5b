"""Clinical cases the engine must get right.

Expectations come from the seed texts (umn-lmn-principles) and standard clinical teaching
(Ropper 2019, Preston 2020, Blumenfeld 2021), not from the engine's own output.
"""

import pytest

import neurograph
from neurograph import preset_lesion, simulate
from neurograph.errors import InvalidValueError, UnknownNameError

LEG_MUSCLES = ("quadriceps", "tibialis anterior", "gastrocnemius", "extensor hallucis longus", "iliopsoas")


def muscle_findings(result, name):
    """Findings of every muscle a name covers (a muscle or a group), with its side."""
    return [result.muscle(node) for node in neurograph.resolve_muscles(result.graph, name)]


def has_umn_sign(result):
    return (
        any(f.deficit in ("UMN", "mixed") for f in result.muscles)
        or any(f.state in ("brisk", "extensor") for f in result.reflexes)
    )


def has_lmn_sign(result):
    return any(f.deficit in ("LMN", "mixed") for f in result.muscles)


@pytest.fixture(scope="module")
def chronic(packaged_anatomy):
    return simulate(packaged_anatomy, "C7", phase="chronic")


@pytest.fixture(scope="module")
def acute(packaged_anatomy):
    return simulate(packaged_anatomy, "C7", phase="acute")


@pytest.fixture(scope="module")
def als(packaged_anatomy):
    return simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "als"))


class TestC7Segment:
    """Seed text: one C7 cord injury gives LMN signs at C7 and UMN signs below it."""

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_triceps_shows_lmn_signs(self, chronic, side):
        triceps = chronic.muscle(f"{side} triceps")
        assert triceps.deficit in ("LMN", "mixed")
        assert "C7" in triceps.lmn_segments
        assert triceps.atrophy and triceps.fasciculations
        assert triceps.mrc_grade < 5

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_triceps_reflex_is_reduced(self, chronic, side):
        assert chronic.reflex(f"{side} triceps reflex").state in ("reduced", "absent")

    @pytest.mark.parametrize("side", ["left", "right"])
    @pytest.mark.parametrize("name", LEG_MUSCLES)
    def test_legs_show_umn_weakness(self, chronic, side, name):
        for finding in muscle_findings(chronic, f"{side} {name}"):
            assert finding.deficit == "UMN"
            assert finding.tone == "spastic"
            assert not finding.atrophy and not finding.fasciculations
            assert finding.mrc_grade < 5

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_leg_reflexes_brisk_and_plantars_extensor(self, chronic, side):
        assert chronic.reflex(f"{side} knee jerk").state == "brisk"
        assert chronic.reflex(f"{side} ankle jerk").state == "brisk"
        assert chronic.reflex(f"{side} plantar response").state == "extensor"

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_biceps_and_its_reflex_are_normal(self, chronic, side):
        assert chronic.muscle(f"{side} biceps").deficit == "normal"
        assert chronic.reflex(f"{side} biceps reflex").state == "normal"

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_acute_phase_is_spinal_shock_below(self, acute, side):
        assert acute.reflex(f"{side} knee jerk").state == "absent"
        assert acute.reflex(f"{side} ankle jerk").state == "absent"
        assert acute.reflex(f"{side} plantar response").state == "mute"
        assert acute.muscle(f"{side} tibialis anterior").tone == "flaccid"
        assert not acute.muscle(f"{side} triceps").atrophy

    def test_abdominal_reflexes_are_lost_below_a_cervical_lesion(self, chronic):
        assert chronic.reflex("right upper abdominal reflex").state == "absent"
        assert chronic.reflex("left lower abdominal reflex").state == "absent"


class TestALS:
    """Seed text: a diminished biceps reflex beside a brisk triceps reflex in the same arm."""

    @pytest.mark.parametrize("side", ["left", "right"])
    def test_reduced_biceps_beside_brisk_triceps(self, als, side):
        assert als.reflex(f"{side} biceps reflex").state in ("reduced", "absent")
        assert als.reflex(f"{side} triceps reflex").state == "brisk"

    def test_upper_and_lower_motor_neuron_signs_together(self, als):
        assert has_umn_sign(als) and has_lmn_sign(als)
        assert any(f.fasciculations for f in als.muscles)


class TestConusVersusCaudaEquina:
    """Seed text: the conus gives mixed UMN and LMN signs, the cauda equina LMN signs only."""

    def test_conus_gives_mixed_signs_and_a_normal_knee_jerk(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "conus_medullaris"))
        assert has_umn_sign(result) and has_lmn_sign(result)
        for side in ("left", "right"):
            assert result.reflex(f"{side} knee jerk").state == "normal"
            assert result.muscle(f"{side} external anal sphincter").deficit in ("LMN", "mixed")
            assert result.reflex(f"{side} anal reflex").state in ("reduced", "absent")

    def test_cauda_equina_gives_lmn_signs_only(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "cauda_equina"))
        assert has_lmn_sign(result)
        assert not has_umn_sign(result)
        for side in ("left", "right"):
            assert result.reflex(f"{side} ankle jerk").state in ("reduced", "absent")
            assert result.reflex(f"{side} plantar response").state in ("flexor", "mute")


class TestSupraspinal:
    def test_left_internal_capsule_gives_right_umn_signs_only(self, packaged_anatomy):
        result = simulate(packaged_anatomy, "left internal capsule")
        assert result.muscles
        assert {f.side for f in result.muscles} == {"R"}
        assert {f.deficit for f in result.muscles} == {"UMN"}
        assert not any(f.atrophy or f.fasciculations for f in result.muscles)
        assert result.reflex("right plantar response").state == "extensor"
        assert result.reflex("left plantar response").state == "flexor"
        assert result.reflex("right biceps reflex").state == "brisk"
        assert result.reflex("left biceps reflex").state == "normal"

    def test_hand_area_weakens_the_opposite_hand_only(self, packaged_anatomy):
        result = simulate(packaged_anatomy, "left hand area")
        assert result.muscles
        assert {f.side for f in result.muscles} == {"R"}
        assert result.muscle("right FDI").deficit == "UMN"
        assert result.muscle("right APB").deficit == "UMN"
        for spared in ("right deltoid", "right biceps", "right quadriceps femoris", "right tibialis anterior"):
            for finding in muscle_findings(result, spared):
                assert finding.deficit == "normal", finding

    def test_leg_area_stroke_spares_the_arm(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "cortical_leg_stroke", side="right"))
        assert result.muscle("left tibialis anterior").deficit == "UMN"
        assert result.muscle("left biceps").deficit == "normal"
        assert result.muscle("left FDI").deficit == "normal"

    def test_decussation_makes_cord_lesions_ipsilateral(self, packaged_anatomy):
        result = simulate(packaged_anatomy, "right half of C5")
        assert {f.side for f in result.muscles} == {"R"}
        assert result.muscle("right tibialis anterior").deficit == "UMN"
        assert result.muscle("left tibialis anterior").deficit == "normal"
        assert result.reflex("right plantar response").state == "extensor"


class TestCord:
    def test_thoracic_lesion_spares_every_arm_pool(self, packaged_anatomy):
        result = simulate(packaged_anatomy, "T8")
        arm_regions = {"shoulder", "arm", "forearm", "hand"}
        assert not [f for f in result.muscles if f.body_region in arm_regions]
        assert result.muscle("left tibialis anterior").deficit == "UMN"

    def test_central_cord_weakens_arms_more_than_legs(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "central_cord"))
        by_region = {}
        for node, data in packaged_anatomy.nodes(data=True):
            if data["kind"] == "muscle":
                by_region.setdefault(data["body_region"], []).append(result.muscle(node).mrc_grade)
        arm = [g for region in ("arm", "forearm", "hand") for g in by_region[region]]
        leg = [g for region in ("thigh", "leg", "foot") for g in by_region[region]]
        assert sum(arm) / len(arm) < sum(leg) / len(leg)
        assert sum(leg) / len(leg) == 5

    def test_brown_sequard_gives_ipsilateral_signs(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "brown_sequard", level="T10", side="left"))
        assert {f.side for f in result.muscles} == {"L"}
        assert result.reflex("left plantar response").state == "extensor"


class TestPeripheral:
    def test_radial_nerve_at_the_spiral_groove_spares_triceps(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "radial_spiral_groove", side="right"))
        for name in ("brachioradialis", "extensor carpi radialis longus", "extensor digitorum", "extensor carpi ulnaris"):
            finding = result.muscle(f"right {name}")
            assert finding.deficit == "LMN" and finding.mrc_grade == 0 and not finding.fasciculations
        assert result.muscle("right triceps").deficit == "normal"
        assert result.reflex("right triceps reflex").state == "normal"
        assert result.reflex("right brachioradialis reflex").state == "absent"
        assert {f.side for f in result.muscles} == {"R"}

    def test_common_fibular_nerve_spares_inversion_and_biceps_short_head(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "fibular_head", side="left"))
        for name in ("tibialis anterior", "extensor hallucis longus", "fibularis longus"):
            assert result.muscle(f"left {name}").deficit == "LMN"
        assert result.muscle("left tibialis posterior").deficit == "normal"
        assert result.muscle("left biceps femoris short head").deficit == "normal"
        assert result.reflex("left ankle jerk").state == "normal"

    def test_carpal_tunnel_spares_the_anterior_interosseous_muscles(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "carpal_tunnel", side="right"))
        assert result.muscle("right APB").deficit == "LMN"
        assert result.muscle("right opponens pollicis").deficit == "LMN"
        assert result.muscle("right FPL").deficit == "normal"
        assert result.muscle("right FDI").deficit == "normal"

    def test_erb_spares_rhomboids_and_serratus(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "erb", side="right"))
        for name in ("deltoid", "biceps", "supraspinatus", "infraspinatus"):
            assert result.muscle(f"right {name}").deficit == "LMN"
        assert result.muscle("right rhomboids").deficit == "normal"
        assert result.muscle("right serratus anterior").deficit == "normal"

    def test_klumpke_weakens_the_hand_and_spares_the_biceps(self, packaged_anatomy):
        result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "klumpke", side="right"))
        for name in ("FDI", "ADM", "APB"):
            assert result.muscle(f"right {name}").deficit == "LMN"
        assert result.muscle("right biceps").deficit == "normal"

    def test_one_root_weakens_and_all_roots_paralyse(self, packaged_anatomy):
        one = simulate(packaged_anatomy, "right L4 root").muscle("right tibialis anterior")
        both = simulate(packaged_anatomy, ["right L4 root", "right L5 root", "right S1 root"]).muscle("right tibialis anterior")
        assert one.deficit == "LMN" and 0 < one.mrc_grade < 5
        assert both.mrc_grade == 0

    def test_root_lesion_gives_fasciculations_nerve_lesion_does_not(self, packaged_anatomy):
        assert simulate(packaged_anatomy, "right C5 root").muscle("right deltoid").fasciculations
        assert not simulate(packaged_anatomy, "right axillary nerve").muscle("right deltoid").fasciculations


class TestLesionInput:
    def test_order_and_repetition_do_not_matter(self, packaged_anatomy):
        a = simulate(packaged_anatomy, ["left C7 root", "right ulnar nerve at the elbow"])
        b = simulate(packaged_anatomy, ["right ulnar nerve at the elbow", "left C7 root", "left C7 root"])
        assert a.to_dict() == b.to_dict()

    def test_partial_severity_weakens_less(self, packaged_anatomy):
        partial = simulate(packaged_anatomy, [("right axillary nerve", 0.5)]).muscle("right deltoid")
        complete = simulate(packaged_anatomy, "right axillary nerve").muscle("right deltoid")
        assert complete.mrc_grade == 0 < partial.mrc_grade < 5

    def test_unknown_site_lists_close_matches(self, packaged_anatomy):
        with pytest.raises(UnknownNameError) as caught:
            simulate(packaged_anatomy, "right radial nerv at the spiral grove")
        assert "radial nerve at the spiral groove" in caught.value.suggestions

    def test_side_is_required_for_one_sided_structures(self, packaged_anatomy):
        with pytest.raises(neurograph.AmbiguousSideError, match="needs a side"):
            simulate(packaged_anatomy, "radial nerve at the spiral groove")

    @pytest.mark.parametrize("severity", [0, -0.1, 1.5, "high"])
    def test_bad_severity_is_refused(self, packaged_anatomy, severity):
        with pytest.raises(InvalidValueError, match="invalid severity"):
            simulate(packaged_anatomy, [("C7", severity)])

    def test_bad_phase_is_refused(self, packaged_anatomy):
        with pytest.raises(InvalidValueError, match="invalid phase 'subacute'"):
            simulate(packaged_anatomy, "C7", phase="subacute")

    def test_empty_lesion_is_refused(self, packaged_anatomy):
        with pytest.raises(InvalidValueError, match="at least one site"):
            simulate(packaged_anatomy, [])
