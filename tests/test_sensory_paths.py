"""Sensory path queries: dermatome, territory, ascending pathway and skin innervation.

Expected facts, written by hand from the references:

- ISNCSCI 2019: the C6 key point is the dorsal surface of the proximal phalanx of the thumb,
  the L5 key point the dorsum of the foot at the third metatarsophalangeal joint.
- Gray's Anatomy, 42nd edn (2020): the superficial radial nerve supplies the radial dorsum of
  the hand and the dorsal thumb, not the palm; the sural nerve the lateral heel and foot border
  (S1, S2); the deep fibular nerve only the first web space of the foot; the palmar cutaneous
  branch of the median nerve leaves above the carpal tunnel, so the thenar skin is spared by a
  lesion in the tunnel while the digits are not.
- Blumenfeld 2021: the dorsal columns and the spinothalamic tract both end in the opposite
  VPL thalamus and somatosensory cortex.
"""

import pytest
from click.testing import CliRunner

from neurograph.cli import main
from neurograph.errors import AmbiguousSideError, InvalidValueError, UnknownNameError
from neurograph.paths import ascending_pathway, dermatome, innervation, pathway, skin_innervation, territory


def test_dermatome_c6_holds_the_thumb_key_point_on_each_side(packaged_anatomy):
    found = dermatome(packaged_anatomy, "C6")
    assert found.key_points == ("L.key_point.C6", "R.key_point.C6")
    assert "R.skin.thumb_dorsal_proximal" in found.places
    assert "R.skin.little_palmar" not in found.places
    assert dermatome(packaged_anatomy, "S4-5", side="L").key_points == ("L.key_point.S4-5",)


def test_dermatome_refuses_what_is_not_one_segment(packaged_anatomy):
    with pytest.raises(InvalidValueError):
        dermatome(packaged_anatomy, "C5-C7")
    with pytest.raises(InvalidValueError):
        dermatome(packaged_anatomy, "C6", side="middle")


def test_superficial_radial_territory_is_the_radial_dorsum_not_the_palm(packaged_anatomy):
    found = territory(packaged_anatomy, "right superficial radial nerve")
    assert {"R.skin.radial_dorsum_of_hand", "R.skin.thumb_dorsal_proximal", "R.key_point.C6"} <= set(found.whole)
    assert not {"R.skin.thenar_eminence", "R.skin.thumb_palmar"} & set(found.whole + found.partial)
    assert all(node.startswith("R.") for node in found.whole + found.partial)


def test_carpal_tunnel_takes_the_digits_and_spares_the_thenar_skin(packaged_anatomy):
    found = territory(packaged_anatomy, "right median nerve at the carpal tunnel")
    assert {"R.skin.thumb_palmar", "R.skin.index_palmar"} <= set(found.whole)
    assert "R.skin.thenar_eminence" not in found.whole + found.partial


def test_a_single_root_serves_its_key_point_wholly_and_shared_skin_in_part(packaged_anatomy):
    found = territory(packaged_anatomy, "right C6 root")
    assert "R.key_point.C6" in found.whole
    # The superficial radial nerve carries C6-C8: the radial dorsum keeps its C7 and C8 fibres.
    assert "R.skin.radial_dorsum_of_hand" in found.partial


def test_a_thalamic_site_serves_the_opposite_body(packaged_anatomy):
    found = territory(packaged_anatomy, "left VPL thalamus")
    assert "R.key_point.C6" in found.whole and "R.key_point.L5" in found.whole
    assert not any(node.startswith("L.") for node in found.whole + found.partial)


def test_ascending_pathway_runs_both_tracts_to_the_opposite_cortex(packaged_anatomy):
    result = ascending_pathway(packaged_anatomy, "right C6 key point")
    assert {route.tract for route in result.routes} == {"dorsal_columns", "spinothalamic"}
    for route in result.routes:
        assert route.peripheral[0] == "R.key_point.C6" and route.peripheral[-1] == "R.droot.C6"
        assert route.central[0] == "R.droot.C6" and route.central[-1] == "L.s1.hand"
        assert "L.ascending.vpl_thalamus.hand" in route.central
    assert pathway(packaged_anatomy, "right C6 key point").to_dict() == result.to_dict()


def test_ascending_pathway_through_a_structure_keeps_only_routes_passing_it(packaged_anatomy):
    result = ascending_pathway(packaged_anatomy, "right C6 key point", "left medial lemniscus")
    assert {route.tract for route in result.routes} == {"dorsal_columns"}
    with pytest.raises(InvalidValueError):
        ascending_pathway(packaged_anatomy, "right C6 key point", "right medial lemniscus")


def test_pathway_without_a_muscle_needs_a_skin_source(packaged_anatomy):
    with pytest.raises(InvalidValueError):
        pathway(packaged_anatomy, "left arm area")


def test_skin_innervation_names_nerve_chain_roots_and_dermatome(packaged_anatomy):
    supply = skin_innervation(packaged_anatomy, "right L5 key point")
    assert supply.cutaneous == ("R.aff.superficial_fibular_cutaneous",)
    assert "R.superficial_fibular" in supply.nerves and "R.sciatic.fibular_division" in supply.nerves
    assert supply.roots == ("R.droot.L5",) and supply.segments == ("L5",) and supply.isncsci_level == "L5"
    assert innervation(packaged_anatomy, "right outer heel").roots == ("R.droot.S1", "R.droot.S2")


def test_one_sided_skin_needs_a_side(packaged_anatomy):
    with pytest.raises(AmbiguousSideError):
        skin_innervation(packaged_anatomy, "C6 key point")
    with pytest.raises(UnknownNameError):
        territory(packaged_anatomy, "right superficial radial nevre ending")


@pytest.mark.parametrize("fn", [dermatome, territory, ascending_pathway, skin_innervation])
def test_results_are_frozen_dicts_tables_and_reprs(packaged_anatomy, fn):
    argument = {dermatome: "L5", territory: "left sural nerve"}.get(fn, "left L5 key point")
    result = fn(packaged_anatomy, argument)
    assert result.to_dict() and len(result.to_table()) > 0 and repr(result).startswith("<")
    with pytest.raises(AttributeError):
        result.label = "changed"


@pytest.mark.parametrize("arguments, shown", [
    (["dermatome", "C6", "--side", "right"], "dorsal surface of the proximal phalanx of the thumb"),
    (["territory", "right deep fibular nerve"], "first web space of the foot"),
    (["pathway", "right C6 key point"], "medial lemniscus"),
    (["innervation", "right first web space"], "cutaneous branch of the deep fibular nerve"),
])
def test_cli_commands(arguments, shown):
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    assert shown in result.output


def test_cli_reports_an_unknown_place_as_one_error_line():
    result = CliRunner().invoke(main, ["territory", "right nowhere nerve"])
    assert result.exit_code == 2
    assert result.output.count("Error:") == 1 and "Traceback" not in result.output
