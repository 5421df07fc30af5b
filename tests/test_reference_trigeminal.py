"""Reference pins for face sensation (the trigeminal system), as the engine grades it.

Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn, ch. 12 and 14) and Brazis2011
(*Localization in Clinical Neurology*, 6th edn): the face's sensation runs in the trigeminal
nerve to its root in the pons; a lesion of the trigeminal ganglion numbs the whole half-face in
every modality, and the lateral medullary syndrome takes pain and temperature from the face on the
lesion's side. Gray42: the cheek is the maxillary division's, the chin the mandibular division's.
"""

import pytest

import neurograph


@pytest.mark.parametrize("side, word", [("L", "left"), ("R", "right")])
def test_a_trigeminal_ganglion_lesion_numbs_the_whole_half_face(packaged_anatomy, side, word):
    result = neurograph.simulate(packaged_anatomy, f"{word} trigeminal ganglion")
    for place in ("forehead", "cornea", "cheek", "upper_lip", "lower_lip", "chin"):
        assert set(result.sensory(f"{side}.skin.{place}").grades.values()) == {0}, place


def test_the_lateral_medulla_takes_pain_from_the_cheek_and_chin_of_its_side(packaged_anatomy):
    result = neurograph.simulate(packaged_anatomy, "left lateral medulla")
    for place in ("cheek", "chin"):
        assert result.sensory(f"L.skin.{place}").pin_prick == 0, place
        assert result.sensory(f"R.skin.{place}").pin_prick == 2, place


@pytest.mark.parametrize("side, word", [("L", "left"), ("R", "right")])
def test_the_spinal_trigeminal_tract_in_the_caudal_pons_carries_every_ring(packaged_anatomy, side, word):
    # Blumenfeld2021; Gray42: the pain and temperature fibres enter with the root in the pons and
    # descend in the spinal trigeminal tract from there; above the highest ring's ending the tract
    # carries the whole half-face's pain, its touch going to the principal nucleus.
    result = neurograph.simulate(packaged_anatomy, f"{word} spinal trigeminal tract at the caudal pons")
    for place in ("forehead", "cornea", "cheek", "upper_lip", "lower_lip", "chin"):
        finding = result.sensory(f"{side}.skin.{place}")
        assert (finding.pin_prick, finding.temperature) == (0, 0) and finding.light_touch >= 1, place
