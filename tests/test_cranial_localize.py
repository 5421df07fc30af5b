"""Cranial items in findings records and in localize: the textbook localizations.

A face weak on the same side as a hemiparesis puts the lesion above the facial nucleus; a
cranial nerve palsy on one side with a hemiparesis on the other ("crossed" or alternating
signs) puts it in the brainstem on the side of the palsy, at the level of that nerve's nucleus
(Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn, ch. 12 and 14; Brazis2011:
*Localization in Clinical Neurology*, 6th edn, ch. 11 and 15).
"""

import pytest

import neurograph
from neurograph.errors import AmbiguousSideError, UnknownNameError
from neurograph.findings import findings_from_dict
from neurograph.localization import localize

#: A right hemiparesis of UMN type: arm and leg weak, brisk reflexes, extensor plantar; the
#: left limbs strong (the record says the weakness is one-sided).
RIGHT_HEMIPARESIS = {
    "muscles": {
        **{f"right {m}": 3 for m in ("deltoid", "triceps", "FDI", "iliopsoas", "tibialis anterior", "hamstrings")},
        **{f"left {m}": 5 for m in ("deltoid", "triceps", "FDI", "iliopsoas", "tibialis anterior", "hamstrings")},
    },
    "reflexes": {"right biceps reflex": "3+", "right knee jerk": "3+"},
    "plantar": {"right": "extensor", "left": "flexor"},
}

#: Sites at or above the facial nucleus's level that carry its corticobulbar fibres (Gray42;
#: Blumenfeld2021): cortex, corona radiata, internal capsule, cerebral peduncle, basis pontis.
ABOVE_THE_FACIAL_NUCLEUS = ("motor cortex", "corona radiata", "internal capsule", "cerebral peduncle", "basis pontis", "ventral midbrain", "ventral pons")


def record(**cranial):
    muscles = {**RIGHT_HEMIPARESIS["muscles"], **{name.replace("_", " "): value for name, value in cranial.items()}}
    return {**RIGHT_HEMIPARESIS, "muscles": muscles}


@pytest.mark.parametrize("ranking", ["score", "posterior"])
def test_a_hemiparesis_with_a_lower_face_weak_on_its_side_lies_above_the_facial_nucleus(packaged_anatomy, ranking):
    """Central facial palsy with a hemiparesis of the same side (Blumenfeld2021, ch. 12; Brazis2011):
    the lesion lies above the facial nucleus, opposite the weak side; the forehead is spared by its
    bilateral supply. Without the face the same hemiparesis ties from the cortex to C1 (the
    medullary pyramid, the decussation and the upper cord included); with it none of those remain."""
    G = packaged_anatomy
    exam = findings_from_dict(G, {
        **record(), "muscles": {**record()["muscles"], "right orbicularis oris": 3, "right buccinator": 3, "right frontalis": 5,
                                "left orbicularis oris": 5},
    })
    found = localize(G, exam, ranking=ranking)
    assert found.ties
    for hypothesis in found.ties:
        assert len(hypothesis.sites) == 1
        label = hypothesis.label
        assert any(words in label for words in ABOVE_THE_FACIAL_NUCLEUS), label
        assert "left" in label, label

    def best_below_scores(findings):
        listed = localize(G, findings, ranking=ranking, top=60).hypotheses
        below = [h.score for h in listed if len(h.sites) == 1 and any(w in h.label for w in ("pyramid", "decussation", "C1 "))]
        return max(below, default=None), max(h.score for h in listed)

    below, best = best_below_scores(findings_from_dict(G, record()))
    assert below == best
    below, best = best_below_scores(exam)
    assert below is None or below < best


@pytest.mark.parametrize("ranking", ["score", "posterior"])
@pytest.mark.parametrize("cranial, expected", [
    # Weber: oculomotor palsy (ptosis, the eye down and out) with a contralateral hemiparesis.
    ({"left levator palpebrae superioris": 1, "left medial rectus": 1, "left superior rectus": 1, "left lateral rectus": 5},
     "ventral midbrain, left"),
    # Millard-Gubler: abducens and facial (LMN: the forehead too) palsy with a contralateral hemiparesis.
    ({"left lateral rectus": 1, "left frontalis": 1, "left orbicularis oris": 1}, "ventral pons, left"),
    # The facial palsy alone with the crossed hemiparesis: still the ventral pons (the LMN case).
    ({"left frontalis": 1, "left orbicularis oris": 1, "left orbicularis oculi": 1}, "ventral pons, left"),
    # Medial medullary (Dejerine): the tongue weak and wasted on the lesion's side, hemiparesis opposite.
    ({"left genioglossus": {"mrc_grade": 2, "atrophy": True}}, "medial medulla, left"),
])
def test_crossed_signs_put_the_lesion_in_the_brainstem_on_the_side_of_the_palsy(packaged_anatomy, ranking, cranial, expected):
    """Alternating hemiplegias (Blumenfeld2021, ch. 14; Brazis2011, ch. 11): the cranial nerve
    palsy is on the lesion's side, the hemiparesis opposite; the nerve names the level."""
    G = packaged_anatomy
    exam = findings_from_dict(G, record(**cranial))
    found = localize(G, exam, ranking=ranking)
    assert [h.label for h in found.ties] == [expected]


def test_findings_take_cranial_muscles_and_brainstem_reflexes_by_name(packaged_anatomy):
    G = packaged_anatomy
    exam = findings_from_dict(G, {
        "muscles": {"bilateral genioglossus": {"mrc_grade": 4, "atrophy": True, "fasciculations": True}, "right frontalis": 2},
        "reflexes": {"left jaw jerk": "3+"},
    })
    assert sorted(exam.muscles) == ["L.muscle.genioglossus", "R.muscle.frontalis", "R.muscle.genioglossus"]
    assert exam.muscles["L.muscle.genioglossus"].fasciculations is True
    assert exam.reflexes == {"L.reflex.jaw_jerk": "3+"}
    with pytest.raises(AmbiguousSideError):
        findings_from_dict(G, {"muscles": {"frontalis": 3}})
    with pytest.raises(UnknownNameError) as error:
        findings_from_dict(G, {"muscles": {"right orbicularis oriss": 3}})
    assert "orbicularis oris" in str(error.value)


@pytest.mark.parametrize("ranking", ["score", "posterior"])
def test_a_brisk_jaw_jerk_with_a_spastic_tongue_points_to_both_corticobulbar_tracts(packaged_anatomy, ranking):
    """Pseudobulbar palsy (Blumenfeld2021; Ropper2019): a brisk jaw jerk needs the supranuclear
    supply of both trigeminal motor nuclei lost, so no one-sided site explains it."""
    G = packaged_anatomy
    exam = findings_from_dict(G, {
        "muscles": {"bilateral genioglossus": {"mrc_grade": 3, "tone": "spastic", "atrophy": False},
                    "bilateral levator veli palatini": 3},
        "reflexes": {"left jaw jerk": "3+", "right jaw jerk": "3+"},
    })
    best = localize(G, exam, ranking=ranking).best
    nodes = frozenset().union(*(site.nodes for site in best.sites))
    assert {G.nodes[node]["side"] for node in nodes} == {"L", "R"}
    assert not best.contradicts and not best.unexplained


def test_the_atlas_predicts_cranial_items_as_simulate_does(packaged_anatomy):
    """Every site's complete lesion: the atlas's cranial columns agree with cranial_signs."""
    from neurograph.atlas import site_atlas
    from neurograph.cranial import cranial_signs

    G = packaged_anatomy
    atlas = site_atlas(G)
    muscles = ["L.muscle.frontalis", "R.muscle.orbicularis_oris", "L.muscle.genioglossus", "R.muscle.lateral_rectus"]
    reflexes = ["L.reflex.jaw_jerk", "R.reflex.corneal"]
    rows = [row for row, site in enumerate(atlas.sites) if atlas.cranial.set_of_site[row]]
    predicted = atlas.singles(muscles, reflexes, "chronic", rows=rows)
    for position, row in enumerate(rows):
        signs = cranial_signs(G, atlas.sites[row])
        for column, muscle in enumerate(muscles):
            assert predicted["grade"][position, column] == signs.muscle(muscle).mrc_grade, (atlas.sites[row].label, muscle)
        for column, reflex in enumerate(reflexes):
            state = signs.reflex(reflex).state
            assert predicted["reflex"][position, column] == {"absent": -1, "reduced": -1, "normal": 0, "brisk": 1}[state]
