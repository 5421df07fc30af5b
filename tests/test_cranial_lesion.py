"""simulate and the `lesion` command show the cranial signs beside the limb signs.

Clinical expectations: a capsular stroke weakens the opposite lower face and spares the
forehead (Blumenfeld2021: *Neuroanatomy through Clinical Cases*, 3rd edn; Brazis2011); Weber
syndrome is an oculomotor palsy with a contralateral hemiparesis (Blumenfeld2021; Brazis2011);
Bell's palsy weakens the whole hemiface, forehead included, and no limb (Blumenfeld2021; Ropper2019).
"""

import json

from click.testing import CliRunner

import neurograph
from neurograph.cli import main
from neurograph.cranial import cranial_signs
from neurograph.presets import preset_lesion


def run(*arguments):
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def test_simulate_holds_the_cranial_signs_of_a_capsular_stroke(packaged_anatomy):
    G = packaged_anatomy
    result = neurograph.simulate(G, preset_lesion(G, "capsular_stroke", side="left"))
    assert result.muscle("right orbicularis oris").deficit == "UMN"
    assert result.muscle("right frontalis").deficit == "normal"
    assert result.muscle("right deltoid").deficit == "UMN"
    assert result.reflex("right jaw jerk").state == "normal"  # bilateral supply of the trigeminal motor nucleus
    assert result.cranial == cranial_signs(G, preset_lesion(G, "capsular_stroke", side="left"))


def test_the_result_table_and_dict_carry_the_cranial_findings(packaged_anatomy):
    G = packaged_anatomy
    result = neurograph.simulate(G, "left facial nerve at the stylomastoid foramen")
    rows = result.to_table().set_index("node")
    assert rows.loc["L.muscle.frontalis", "deficit"] == "LMN"
    assert "R.muscle.frontalis" not in rows.index
    assert rows.loc["L.reflex.corneal", "state"] in ("reduced", "absent")
    assert rows.loc["L.reflex.corneal", "reflex_kind"] == "brainstem"
    # No limb muscle: Bell's palsy is a facial nerve lesion alone.
    assert set(rows[rows.finding == "muscle"].index) == {f.muscle for f in result.cranial.muscles}
    full = result.to_table(include_normal=True).set_index("node")
    assert full.loc["R.muscle.frontalis", "deficit"] == "normal" and full["label"].notna().all()
    data = result.to_dict()
    assert {m["muscle"] for m in data["cranial"]["muscles"]} >= {"L.muscle.frontalis", "L.muscle.orbicularis_oris"}
    assert json.dumps(data)


def test_a_limb_lesion_has_no_cranial_signs(packaged_anatomy):
    result = neurograph.simulate(packaged_anatomy, "right radial nerve at the spiral groove")
    assert result.cranial.muscles == () and not [r for r in result.cranial.reflexes if r.is_abnormal]
    assert result.to_dict()["cranial"]["muscles"] == []


def test_the_lesion_command_prints_the_cranial_signs():
    out = run("lesion", "--preset", "weber", "--side", "left")
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert any("LMN" in line and "levator palpebrae superioris (left)" in line for line in lines)
    assert any("UMN" in line and "deltoid (right)" in line for line in lines)
    assert any("UMN" in line and "orbicularis oris (right)" in line for line in lines)


def test_the_lesion_command_json_carries_the_cranial_signs_and_the_disputed_views():
    out = run("lesion", "left genu of the internal capsule", "--json")
    assert out.exit_code == 0, out.output
    cranial = json.loads(out.output)["cranial"]
    deficits = {m["muscle"]: m["deficit"] for m in cranial["muscles"]}
    assert deficits["R.muscle.orbicularis_oris"] == "UMN" and "R.muscle.frontalis" not in deficits
    # Sternocleidomastoid: mainly the same hemisphere (used) or both (Thompson1997).
    views = {(v["muscle"], v["supply"]) for v in cranial["views"]}
    assert ("L.muscle.sternocleidomastoid", "bilateral") in views


def test_the_lesion_command_refuses_a_cranial_name_without_a_side():
    out = CliRunner().invoke(main, ["lesion", "facial nerve at the stylomastoid foramen"])
    assert out.exit_code == 2  # a name without its side is bad usage, as for the limb nerves
    assert out.stderr == "Error: 'facial nerve at the stylomastoid foramen' needs a side: say left, right or bilateral\n"
