"""Path queries follow real fibre routes (Gray's; Preston 2020 for branch points)."""

import json

import pytest

import neurograph
from neurograph import innervation, myotome, pathway, shared_sites, supplied_by
from neurograph.errors import InvalidValueError


def test_pathway_from_the_left_arm_area_to_the_right_triceps(packaged_anatomy):
    result = pathway(packaged_anatomy, "left arm area", "right triceps")
    c7 = next(route for route in result.routes if route.segment == "C7")
    assert c7.umn[0] == "L.m1.arm"
    stations = [packaged_anatomy.nodes[node].get("station") for node in c7.umn]
    for station in ("internal_capsule", "cerebral_peduncle", "medullary_pyramid", "pyramidal_decussation"):
        assert station in stations
    # The fibres cross: supraspinal stations on the left, the cord tract and pool on the right.
    assert packaged_anatomy.nodes[c7.umn[-2]]["station"] == "lateral_corticospinal_tract"
    assert c7.umn[-2].startswith("R.lcst.") and c7.umn[-1] == "R.ah.C7"
    assert c7.lmn[:3] == ("R.ah.C7", "R.vroot.C7", "R.spn.C7")
    assert "R.bp.middle_trunk" in c7.lmn and "R.bp.posterior_cord" in c7.lmn
    # The triceps branches leave before the spiral groove.
    assert "R.radial.spiral_groove" not in c7.lmn
    assert {route.segment for route in result.routes} == {"C6", "C7", "C8"}
    assert json.loads(json.dumps(result.to_dict()))["target"] == "triceps brachii (right)"


def test_pathway_needs_the_opposite_hemisphere(packaged_anatomy):
    with pytest.raises(InvalidValueError, match="invalid route"):
        pathway(packaged_anatomy, "right arm area", "right triceps")


def test_innervation_of_the_deltoid(packaged_anatomy):
    result = innervation(packaged_anatomy, "right deltoid")
    assert result.nerves == ("R.axillary",)
    assert "R.bp.posterior_cord" in result.plexus and "R.bp.upper_trunk" in result.plexus
    assert result.roots == ("R.vroot.C5", "R.vroot.C6")
    # The shoulder's pools are driven from the opposite hemisphere only (no anterior tract).
    assert result.cortex == ("L.m1.shoulder",)


def test_innervation_of_a_muscle_with_two_nerves(packaged_anatomy):
    result = innervation(packaged_anatomy, "left adductor magnus")
    assert "L.obturator" in result.nerves


def test_supplied_by_the_spiral_groove(packaged_anatomy):
    result = supplied_by(packaged_anatomy, "right radial nerve at the spiral groove")
    lmn = dict(result.lmn)
    assert "R.muscle.brachioradialis" in lmn and "R.muscle.extensor_carpi_ulnaris" in lmn
    assert "R.muscle.triceps_brachii" not in lmn
    assert "R.reflex.brachioradialis_jerk" in result.reflexes
    assert result.umn == ()


def test_supplied_by_a_cortical_area_is_upper_motor_neuron_only(packaged_anatomy):
    result = supplied_by(packaged_anatomy, "left leg and foot area")
    assert result.lmn == ()
    assert "R.muscle.tibialis_anterior" in dict(result.umn)
    assert all(muscle.startswith("R.") for muscle, _ in result.umn)


def test_supplied_by_a_root_splits_by_segment(packaged_anatomy):
    result = supplied_by(packaged_anatomy, "left C7 root")
    lmn = dict(result.lmn)
    assert lmn["L.muscle.triceps_brachii"] == ("C7",)
    assert "L.muscle.biceps_brachii" not in lmn


def test_myotome_of_l4_contains_the_isncsci_key_muscle(packaged_anatomy):
    muscles = myotome(packaged_anatomy, "L4")
    assert "R.muscle.tibialis_anterior" in muscles and "L.muscle.tibialis_anterior" in muscles
    assert all(packaged_anatomy.nodes[m]["kind"] == "muscle" for m in muscles)
    assert myotome(packaged_anatomy, "L4", side="L") == tuple(m for m in muscles if m.startswith("L."))


def test_myotome_refuses_a_range(packaged_anatomy):
    with pytest.raises(InvalidValueError, match="one segment"):
        myotome(packaged_anatomy, "L4-L5")


def test_shared_sites_of_radial_muscles(packaged_anatomy):
    sites = shared_sites(packaged_anatomy, ["right brachioradialis", "right extensor carpi ulnaris"])
    assert "R.radial.spiral_groove" in sites
    assert "R.radial.pin" not in sites
    assert "R.bp.posterior_cord" in sites


def test_shared_sites_of_both_sides_are_only_what_crosses_nothing(packaged_anatomy):
    sites = shared_sites(packaged_anatomy, ["right tibialis anterior", "left tibialis anterior"])
    assert not any(packaged_anatomy.nodes[s]["kind"] in ("nerve", "ventral_root") for s in sites)


def test_results_have_reprs_and_html(packaged_anatomy):
    for result in (
        pathway(packaged_anatomy, "left hand area", "right FDI"),
        innervation(packaged_anatomy, "right FDI"),
        supplied_by(packaged_anatomy, "right ulnar nerve at the elbow"),
        neurograph.simulate(packaged_anatomy, "C7"),
    ):
        assert repr(result).startswith("<")
        assert result._repr_html_().startswith('<div class="neurograph-result">')
        json.dumps(result.to_dict())
