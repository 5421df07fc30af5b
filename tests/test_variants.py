"""Anatomical variants as graph transforms: each yields a valid anatomy and changes exactly
the predictions its references describe (the references are cited in each test)."""

import pytest

import neurograph
from neurograph.errors import InvalidValueError
from neurograph.variants import apply_variants, catalogue, variants
from conftest import load_test_anatomy

G = load_test_anatomy()


@pytest.fixture(scope="module")
def anatomy():
    cache = {}

    def get(*names):
        if names not in cache:
            cache[names] = apply_variants(G, list(names))
        return cache[names]

    return get


def grade(graph, lesion, muscle):
    return neurograph.simulate(graph, lesion).muscle(muscle).mrc_grade


HAND_ULNAR = ("right FDI", "right abductor digiti minimi", "right adductor pollicis")


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_each_variant_yields_a_valid_new_anatomy_and_leaves_the_given_one_alone(anatomy, name):
    before = (G.number_of_nodes(), G.number_of_edges(), dict(G.graph))
    variant = anatomy(name)
    assert variant is not G
    assert neurograph.validate(variant) == []
    assert (G.number_of_nodes(), G.number_of_edges(), dict(G.graph)) == before
    assert neurograph.validate(G) == []
    assert variant.graph["variants"] == name
    assert catalogue()[name].label in variant.graph["name"]


def test_martin_gruber_median_lesion_at_the_elbow_weakens_ulnar_hand_muscles(anatomy):
    # Roy2016, Amoiridis1992: the anastomosis carries motor fibres for ulnar-supplied hand
    # muscles (first dorsal interosseous, hypothenar, adductor pollicis) in the median nerve
    # at the elbow; the issue's own example: FDI weak with it, normal without it.
    MG = anatomy("martin_gruber")
    for muscle in HAND_ULNAR:
        assert grade(G, "right median nerve at the elbow", muscle) == 5
        assert 0 < grade(MG, "right median nerve at the elbow", muscle) < 5
    # the median-supplied muscles are as before
    assert grade(MG, "right median nerve at the elbow", "right abductor pollicis brevis") == 0


def test_martin_gruber_changes_exactly_the_ulnar_hand_muscles_of_a_median_lesion_at_the_elbow(anatomy):
    # Roy2016, Amoiridis1992: the anastomosis carries ulnar-bound motor fibres for the intrinsic
    # hand muscles, which reach them with the ulnar nerve through Guyon's canal. So a median
    # lesion at the elbow changes ulnar-supplied hand muscles only (the first dorsal interosseous,
    # abductor digiti minimi and adductor pollicis among them), and no other muscle, reflex or
    # plantar response.
    from neurograph.resolve import resolve_muscles

    MG = anatomy("martin_gruber")
    lesion = "right median nerve at the elbow"
    usual, varied = neurograph.simulate(G, lesion), neurograph.simulate(MG, lesion)

    def findings(result):
        return {f.muscle: (f.mrc_grade, f.deficit, f.tone) for f in result.muscles}

    before, after = findings(usual), findings(varied)
    changed = {muscle for muscle in before.keys() | after.keys() if before.get(muscle) != after.get(muscle)}
    guyon = {f.muscle for f in neurograph.simulate(G, "right ulnar nerve at Guyon's canal").muscles}
    assert {resolve_muscles(G, name)[0] for name in HAND_ULNAR} <= changed <= guyon
    assert [(f.reflex, f.state) for f in usual.reflexes] == [(f.reflex, f.state) for f in varied.reflexes]


def test_martin_gruber_ulnar_lesion_at_the_elbow_spares_the_crossover_muscles_in_part(anatomy):
    # Roy2016: the crossing fibres join the ulnar nerve in the forearm, below an elbow lesion
    # (Preston2020: an ulnar lesion at the elbow then spares part of the hand muscles, while a
    # lesion at the wrist does not, and the forearm muscles above the crossing are not spared).
    MG = anatomy("martin_gruber")
    for muscle in HAND_ULNAR:
        assert grade(G, "right ulnar nerve at the elbow", muscle) == 0
        assert grade(MG, "right ulnar nerve at the elbow", muscle) > 0
        assert grade(MG, "right ulnar nerve at Guyon's canal", muscle) == 0
    assert grade(MG, "right ulnar nerve at the elbow", "right flexor carpi ulnaris") == 0


def test_marinacci_ulnar_lesion_at_the_elbow_weakens_the_thenar_muscles(anatomy):
    # Roy2016: ulnar-to-median fibres in the forearm bound for median-supplied hand muscles.
    MA = anatomy("marinacci")
    assert grade(G, "right ulnar nerve at the elbow", "right abductor pollicis brevis") == 5
    assert grade(MA, "right ulnar nerve at the elbow", "right abductor pollicis brevis") < 5
    assert grade(MA, "right median nerve at the elbow", "right abductor pollicis brevis") > 0
    # the fibres join the median nerve above the carpal tunnel: a wrist lesion takes them all
    assert grade(MA, "right median nerve at the carpal tunnel", "right abductor pollicis brevis") == 0


def test_riche_cannieu_keeps_thenar_power_after_a_median_lesion_at_the_wrist(anatomy):
    # Roy2016, Rowntree1949: the deep ulnar branch supplies thenar muscles through the
    # communication in the palm, so voluntary thenar activity survives a median lesion.
    RC = anatomy("riche_cannieu")
    for muscle in ("right abductor pollicis brevis", "right opponens pollicis"):
        assert grade(G, "right median nerve at the carpal tunnel", muscle) == 0
        assert grade(RC, "right median nerve at the carpal tunnel", muscle) > 0
        assert grade(RC, "right ulnar nerve at Guyon's canal", muscle) < 5


def test_all_ulnar_hand_moves_the_thenar_muscles_to_the_ulnar_nerve(anatomy):
    # Rowntree1949: every thenar muscle supplied by the ulnar nerve.
    U = anatomy("all_ulnar_hand")
    for muscle in ("right abductor pollicis brevis", "right opponens pollicis", "right flexor pollicis brevis"):
        assert grade(U, "right median nerve at the carpal tunnel", muscle) == 5
        assert grade(U, "right ulnar nerve at Guyon's canal", muscle) == 0


def test_all_median_hand_moves_the_ulnar_hand_muscles_to_the_median_nerve(anatomy):
    # ArchNeurol1965: the median nerve supplying the intrinsic hand muscles.
    M = anatomy("all_median_hand")
    for muscle in HAND_ULNAR:
        assert grade(M, "right ulnar nerve at Guyon's canal", muscle) == 5
        assert grade(M, "right median nerve at the carpal tunnel", muscle) == 0
    # the forearm muscles keep their nerves
    assert grade(M, "right ulnar nerve at the elbow", "right flexor carpi ulnaris") == 0


def test_accessory_deep_fibular_nerve_spares_extensor_digitorum_brevis(anatomy):
    # Rayegani2011 (and Gutmann's cases it cites): with the accessory nerve, a deep fibular
    # lesion spares extensor digitorum brevis, and a superficial fibular lesion involves it.
    A = anatomy("accessory_deep_fibular")
    edb = "right extensor digitorum brevis"
    assert grade(G, "right deep fibular nerve", edb) == 0
    assert grade(A, "right deep fibular nerve", edb) > 0
    assert grade(G, "right superficial fibular nerve", edb) == 5
    assert grade(A, "right superficial fibular nerve", edb) < 5
    assert grade(A, "right deep fibular nerve", "right tibialis anterior") == 0


def test_high_sciatic_division_spares_the_fibular_muscles_of_a_gluteal_sciatic_lesion(anatomy):
    # Smoll2010: the common fibular part leaves the pelvis apart from the tibial part (through
    # or above piriformis), so it does not run in the sciatic nerve below piriformis.
    S = anatomy("high_sciatic_division")
    lesion = "right sciatic nerve in the gluteal region"
    for muscle in ("right tibialis anterior", "right fibularis longus", "right biceps femoris short head"):
        assert grade(G, lesion, muscle) == 0
        assert grade(S, lesion, muscle) == 5
    assert grade(S, lesion, "right gastrocnemius") == 0
    assert grade(S, "right sacral plexus", "right tibialis anterior") == 0


LIMB = (
    "right deltoid", "right biceps", "right triceps", "right extensor carpi radialis longus", "right FDI",
    "right abductor pollicis brevis", "right flexor digitorum profundus (index and middle fingers)",
)


@pytest.mark.parametrize("usual", ["C6", "C7", "C8"])
def test_prefixed_plexus_shifts_segments_up_by_one(anatomy, usual):
    # Pellerin2010: in a prefixed plexus the roots are one segment higher, so a root lesion
    # gives the picture of the usual plexus's root below (a C6 root lesion looks like C7).
    P = anatomy("prefixed_brachial_plexus")
    above = f"C{int(usual[1]) - 1}"
    for muscle in LIMB:
        assert grade(P, f"right {above} ventral root", muscle) == grade(G, f"right {usual} ventral root", muscle), muscle


@pytest.mark.parametrize("usual", ["C5", "C6", "C7"])
def test_postfixed_plexus_shifts_segments_down_by_one(anatomy, usual):
    # Pellerin2010: a postfixed plexus takes T2 and little C5; each root's muscles are those of
    # the usual plexus's root above.
    Q = anatomy("postfixed_brachial_plexus")
    below = f"C{int(usual[1]) + 1}"
    for muscle in LIMB:
        assert grade(Q, f"right {below} ventral root", muscle) == grade(G, f"right {usual} ventral root", muscle), muscle


def test_prefixed_plexus_relabels_segments_and_leaves_the_neck_alone(anatomy):
    P = anatomy("prefixed_brachial_plexus")
    assert P.nodes["R.muscle.deltoid"]["segments"] == "C4|C5"
    assert P.nodes["R.reflex.biceps_jerk"]["efferent_segments"] == "C4|C5"
    assert P.nodes["R.reflex.biceps_jerk"]["afferent_segments"] == "C4|C5"
    # the phrenic nerve and the scalenes are no part of the brachial plexus
    assert P.nodes["R.muscle.diaphragm"]["segments"] == G.nodes["R.muscle.diaphragm"]["segments"]
    assert P.nodes["R.muscle.scalenus_anterior"]["segments"] == G.nodes["R.muscle.scalenus_anterior"]["segments"]


@pytest.mark.parametrize("name, root, usual", [("furcal_high", "L4", "L5"), ("furcal_low", "L5", "L4")])
def test_furcal_forms_shift_the_lumbosacral_roots(anatomy, name, root, usual):
    # Kikuchi1986, Bergman (after Bardeen): with the furcal nerve at L3 (high form) the plexus's
    # roots lie one segment higher, at L5 (low form) one lower; a root's muscles are those of the
    # usual plexus's neighbouring root.
    F = anatomy(name)
    for muscle in ("right tibialis anterior", "right extensor hallucis longus", "right gluteus medius",
                   "right vastus lateralis", "right gastrocnemius"):
        assert grade(F, f"right {root} ventral root", muscle) == grade(G, f"right {usual} ventral root", muscle), muscle


def test_variants_combine_with_shifts_made_last(anatomy):
    both = anatomy("martin_gruber", "prefixed_brachial_plexus")
    assert neurograph.validate(both) == []
    # the crossover fibres shift with the plexus: C7|C8 now
    assert both.edges["R.median.forearm", "R.martin_gruber"]["segments"] == "C7|C8"
    assert 0 < grade(both, "right median nerve at the elbow", "right FDI") < 5


def test_variants_lists_prevalence_source_and_status(anatomy):
    listed = {status.name: status for status in variants(G)}
    assert set(listed) == set(catalogue())
    assert all(status.applicable and not status.applied for status in listed.values())
    assert listed["martin_gruber"].prevalence == pytest.approx(0.195)  # Roy2016's pooled figure
    assert "Roy2016" in listed["martin_gruber"].source
    after = {status.name: status for status in variants(anatomy("prefixed_brachial_plexus"))}
    assert after["prefixed_brachial_plexus"].applied
    assert not after["postfixed_brachial_plexus"].applicable
    assert "group" in after["postfixed_brachial_plexus"].reason
    assert after["martin_gruber"].applicable


def test_disagreement_is_kept_and_the_default_prefers_meta_analyses():
    mg = catalogue()["martin_gruber"]
    assert len(mg.estimates) >= 3
    assert {e.method for e in mg.estimates} >= {"meta-analysis", "electrodiagnosis", "dissection"}
    assert mg.prevalence == pytest.approx(0.195)
    adpn = catalogue()["accessory_deep_fibular"]  # no meta-analysis: the median of the studies
    assert adpn.prevalence == pytest.approx((0.122 + 0.23) / 2)
    assert mg.to_dict()["estimates"][0]["source"] == ["Roy2016"]


@pytest.mark.parametrize(
    "names, expected",
    [
        (["no such variant"], "variant"),
        (["martin_gruber", "martin_gruber"], "once"),
        (["prefixed_brachial_plexus", "postfixed plexus"], "group"),
        ([""], "variant"),
    ],
)
def test_bad_variant_lists_are_refused_naming_the_problem(names, expected):
    with pytest.raises(InvalidValueError, match=expected):
        apply_variants(G, names)


def test_a_variant_applies_once(anatomy):
    with pytest.raises(InvalidValueError, match="once"):
        apply_variants(anatomy("martin_gruber"), ["MGA"])


def test_a_graph_without_the_nodes_is_refused():
    H = G.copy()
    H.remove_nodes_from(["R.martin_gruber"])  # absent anyway
    H.remove_node("R.ulnar.guyon")
    with pytest.raises(InvalidValueError, match="ulnar.guyon"):
        apply_variants(H, ["martin_gruber"])
    assert not {s.name: s for s in variants(H)}["martin_gruber"].applicable


def test_names_labels_and_aliases_resolve():
    for text in ("Martin-Gruber anastomosis", "MGA", "martin gruber", "MARTIN_GRUBER"):
        assert apply_variants(G, [text]).graph["variants"] == "martin_gruber"


# The command line: --variant on lesion, localize and render.

def cli(*arguments):
    from click.testing import CliRunner

    from neurograph.cli import main

    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


def test_cli_lesion_takes_variants():
    plain = cli("lesion", "right median nerve at the elbow", "--json")
    varied = cli("lesion", "right median nerve at the elbow", "--variant", "martin_gruber", "--json")
    assert plain.exit_code == varied.exit_code == 0

    def fdi(output):
        import json

        return [m for m in json.loads(output)["muscles"] if m["label"] == "first dorsal interosseous (right)"]

    assert fdi(plain.output) == []  # normal: not listed among the abnormal findings
    assert fdi(varied.output)[0]["mrc_grade"] < 5


def test_cli_variant_is_repeatable_and_checked():
    both = cli("lesion", "right C6 ventral root", "--variant", "martin_gruber", "--variant", "prefixed plexus")
    assert both.exit_code == 0
    assert "deltoid" not in both.output  # the prefixed plexus serves deltoid from C4-C5
    bad = cli("lesion", "C7", "--variant", "nosuch")
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: invalid variant 'nosuch'") and bad.output.count("\n") == 1
    clash = cli("lesion", "C7", "--variant", "prefixed_brachial_plexus", "--variant", "postfixed_brachial_plexus")
    assert clash.exit_code == 1 and "group" in clash.output


def test_cli_localize_and_render_take_variants(tmp_path):
    import json

    # Roy2016: with a Martin-Gruber anastomosis a median lesion at the elbow also weakens the
    # ulnar-supplied hand muscles; only the variant anatomy explains the picture by the median nerve.
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {
        "right abductor pollicis brevis": 0, "right flexor pollicis longus": 0, "right flexor carpi radialis": 0,
        "right FDI": 3, "right abductor digiti minimi": 3, "right flexor carpi ulnaris": 5, "right triceps": 5,
    }}))

    def best(*extra):
        result = cli("localize", str(exam), "--max-sites", "1", "--json", *extra)
        assert result.exit_code == 0
        return json.loads(result.output)["hypotheses"][0]["label"]

    assert best("--variant", "martin_gruber").startswith("median nerve")
    # without the anastomosis no median site explains the ulnar hand muscles' weakness
    assert not best("--ranking", "score").startswith("median nerve")
    figure = tmp_path / "mg.svg"
    rendered = cli("render", "right median nerve at the elbow", "--variant", "martin_gruber", "--output", str(figure))
    assert rendered.exit_code == 0 and figure.read_bytes().startswith(b"<?xml")


def numb(graph, lesion):
    """Every altered skin place of the lesion with its grades."""
    return {f.place: (f.light_touch, f.pin_prick) for f in neurograph.simulate(graph, lesion).sensation}


@pytest.mark.parametrize("name, lesion", [
    ("martin_gruber", "right median nerve at the elbow"),
    ("martin_gruber", "right ulnar nerve at the elbow"),
    ("marinacci", "right ulnar nerve at the elbow"),
    ("riche_cannieu", "right median nerve at the carpal tunnel"),
])
def test_the_forearm_and_hand_anastomoses_carry_motor_fibres_only(anatomy, name, lesion):
    # Roy2016, Amoiridis1992: the anastomoses are crossings of motor axons bound for the hand
    # muscles, shown by the muscles' responses to stimulation of the other nerve; the skin of the
    # hand keeps its usual nerves, so a lesion numbs the same skin with the crossing as without it.
    changed = anatomy(name)
    assert numb(changed, lesion) == numb(G, lesion)
    assert numb(G, lesion)


def limb_numbness(graph, lesion, regions):
    """The altered skin of the limb's regions after ``lesion``, place by place."""
    return {
        f.place: (f.light_touch, f.pin_prick) for f in neurograph.simulate(graph, lesion).sensation
        if graph.nodes[f.place]["body_region"] in regions
    }


ARM = ("shoulder", "arm", "forearm", "hand")
LEG = ("hip", "thigh", "knee", "leg", "ankle", "foot")


@pytest.mark.parametrize("name, root, usual, regions", [
    ("prefixed_brachial_plexus", "C5", "C6", ARM), ("prefixed_brachial_plexus", "C7", "C8", ARM),
    ("postfixed_brachial_plexus", "C7", "C6", ARM), ("postfixed_brachial_plexus", "C8", "C7", ARM),
    ("furcal_high", "L4", "L5", LEG), ("furcal_high", "S1", "S2", LEG), ("furcal_low", "L5", "L4", LEG),
])
def test_plexus_shifts_move_the_skin_with_the_muscles(anatomy, name, root, usual, regions):
    # Pellerin2010 (brachial plexus), Kikuchi1986 and Bergman (lumbosacral): in a prefixed or
    # postfixed plexus every muscle and skin area the plexus supplies is served by the neighbouring
    # segment, so a dorsal root lesion numbs the limb's skin that the usual plexus's neighbouring
    # root supplies: the dermatomes move with the myotomes.
    shifted = anatomy(name)
    assert limb_numbness(shifted, f"right {root} dorsal root", regions) == limb_numbness(G, f"right {usual} dorsal root", regions)
    assert limb_numbness(G, f"right {usual} dorsal root", regions)


def test_prefixed_plexus_moves_the_thumb_key_point_and_the_biceps_arc_up_a_segment(anatomy):
    # Pellerin2010: the thumb's skin (the C6 key sensory point, ISNCSCI2019) is served by C5 in a
    # prefixed plexus, and the biceps reflex arc (C5-C6, Ropper2019) by C4-C5, afferent and
    # efferent; the skin of the back, supplied by the dorsal rami (Gray42), keeps its segments.
    P = anatomy("prefixed_brachial_plexus")
    thumb = "R.key_point.C6"
    assert P.nodes[thumb]["segments"] == "C5" and G.nodes[thumb]["segments"] == "C6"
    assert thumb in limb_numbness(P, "right C5 dorsal root", ARM)
    assert thumb not in limb_numbness(G, "right C5 dorsal root", ARM)
    assert P.nodes["R.reflex.biceps_jerk"]["afferent_segments"] == "C4|C5"
    assert P.nodes["R.skin.back.C5"]["segments"] == G.nodes["R.skin.back.C5"]["segments"]
