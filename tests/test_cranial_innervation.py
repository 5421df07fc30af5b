"""Path queries on cranial muscles: ``innervation("left frontalis")`` gives the nerve chain, the
nucleus and the cortical areas of both hemispheres with their share of the drive.

Clinical expectations:
- The upper face (frontalis) is driven from both hemispheres, the lower face (orbicularis oris)
  mainly from the opposite one (Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn,
  ch. 12; Brazis2011); the minor hemisphere's share is the model's assumed
  ``minor_hemisphere_drive`` (cranial/rules.csv; Yildiz2005 measured no share).
- The frontalis is supplied by the temporal branch of the facial nerve, which leaves the skull
  at the stylomastoid foramen (Gray42).
- The trochlear fibres cross: the superior oblique is supplied by the opposite nucleus (Gray42).
- The medial rectus's horizontal gaze drive comes from the opposite abducens nucleus's
  internuclear neurons (Blumenfeld2021; Kandel2021); the eye muscles have no corticobulbar supply.
- The levator palpebrae is supplied by both halves of the central caudal nucleus (Warwick1953).
"""

import json

import pytest
from click.testing import CliRunner

from neurograph import innervation
from neurograph.cli import main
from neurograph.cranial import CranialInnervation
from neurograph.errors import AmbiguousSideError, UnknownNameError
from neurograph.schema import decode_sensory_rules


def test_the_forehead_is_driven_from_both_hemispheres_alike(packaged_anatomy):
    supply = innervation(packaged_anatomy, "left frontalis")
    assert isinstance(supply, CranialInnervation)
    assert supply.nuclei == ("L.nucleus.facial",)
    assert "L.facial.stylomastoid_foramen" in supply.nerves and supply.nerves[-1] == "L.facial.temporal"
    assert supply.supply == "bilateral"
    assert dict(supply.cortex) == {"L.m1.brow": 1.0, "R.m1.brow": 1.0}


def test_the_lower_face_is_driven_mainly_from_the_opposite_hemisphere(packaged_anatomy):
    minor = float(decode_sensory_rules(packaged_anatomy.graph["cranial_rules"], "cranial_rules")["minor_hemisphere_drive"]["value"])
    supply = innervation(packaged_anatomy, "left orbicularis oris")
    assert supply.supply == "mainly_contralateral"
    assert dict(supply.cortex) == {"R.m1.lips": 1.0, "L.m1.lips": minor}
    assert minor < 1.0


def test_the_eye_muscles_have_their_own_nuclei_and_no_corticobulbar_supply(packaged_anatomy):
    oblique = innervation(packaged_anatomy, "left superior oblique")
    assert oblique.nuclei == ("R.nucleus.trochlear",) and oblique.cortex == ()
    medial = innervation(packaged_anatomy, "right medial rectus")
    assert medial.nuclei == ("R.nucleus.oculomotor.medial_rectus",)
    # The horizontal gaze drive, in the order the signal runs: the opposite gaze centre and
    # abducens nucleus, whose internuclear fibres cross and climb the medial rectus's own MLF.
    assert medial.internuclear == ("L.pprf", "L.nucleus.abducens", "R.mlf.pons", "R.mlf.midbrain") and medial.cortex == ()
    levator = innervation(packaged_anatomy, "right levator palpebrae superioris")
    assert set(levator.nuclei) == {"L.nucleus.oculomotor.central_caudal", "R.nucleus.oculomotor.central_caudal"}


def test_the_result_has_a_dict_a_table_and_a_repr(packaged_anatomy):
    supply = innervation(packaged_anatomy, "left frontalis")
    data = json.loads(json.dumps(supply.to_dict()))
    assert data["cortex"] == {"L.m1.brow": 1.0, "R.m1.brow": 1.0} and data["nuclei"] == ["L.nucleus.facial"]
    rows = supply.to_table()
    assert sorted(rows.loc[rows.part == "cortex", "structure"]) == ["L.m1.brow", "R.m1.brow"]
    assert rows.loc[rows.part == "nucleus", "structure"].tolist() == ["L.nucleus.facial"]
    assert "frontalis" in repr(supply) and "<table>" in supply._repr_html_()


def test_a_cranial_muscle_needs_its_side_and_a_misspelt_one_lists_the_closest(packaged_anatomy):
    with pytest.raises(AmbiguousSideError):
        innervation(packaged_anatomy, "frontalis")
    with pytest.raises(UnknownNameError) as error:
        innervation(packaged_anatomy, "left frontalsi")
    assert "frontalis" in error.value.suggestions


def test_the_innervation_command_prints_both_hemispheres_with_their_share():
    outcome = CliRunner().invoke(main, ["innervation", "left frontalis"])
    assert outcome.exit_code == 0, outcome.output
    assert "brow area (left): 1" in outcome.output and "brow area (right): 1" in outcome.output
    assert "facial motor nucleus (left)" in outcome.output
    refused = CliRunner().invoke(main, ["innervation", "frontalis"])
    assert refused.exit_code != 0 and "needs a side" in refused.output and "Traceback" not in refused.output
