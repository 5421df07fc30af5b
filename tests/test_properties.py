"""Invariants of anatomical consistency, checked with hypothesis on the packaged anatomy."""

import json

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import neurograph
from conftest import load_test_anatomy
from neurograph import simulate
from neurograph.errors import NeurographError
from neurograph.io import graphml_bytes, read_graphml, write_graphml
from neurograph.resolve import Site
from neurograph.routes import route_table
from neurograph.schema import opposite_side, segment_index
from neurograph.testing import strategies
from neurograph.validation import structural_violations, validate

# Module level, through the one loader of the anatomy under test: the @given decorators below
# draw their examples from it.
G = load_test_anatomy()

UMN_SIGNS = ("brisk", "extensor")


def grades(result):
    return {finding.muscle: finding.mrc_grade for finding in result.muscles}


def mirrored(node):
    side, _, rest = node.partition(".")
    return f"{opposite_side(side)}.{rest}"


def mirror_site(site):
    return Site(f"mirror of {site.name}", site.label, frozenset(mirrored(n) for n in site.nodes), site.severity)


@given(strategies.lesions(G, max_sites=2), strategies.sites(G, partial=True))
def test_adding_a_site_never_removes_a_deficit_nor_raises_a_grade(lesion, extra):
    before = grades(simulate(G, lesion))
    after = grades(simulate(G, lesion + [extra]))
    assert set(before) <= set(after)
    for muscle, grade in before.items():
        assert after[muscle] <= grade


@given(strategies.lesions(G, min_sites=2, max_sites=3), st.randoms(use_true_random=False))
def test_site_order_and_repetition_do_not_matter(lesion, random):
    shuffled = list(lesion)
    random.shuffle(shuffled)
    reference = simulate(G, lesion).to_dict()
    assert simulate(G, shuffled).to_dict() == reference
    assert simulate(G, lesion + lesion[:1]).to_dict() == reference


@pytest.mark.parametrize("region", ["cord", "root", "plexus", "nerve"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_one_sided_lower_lesions_give_signs_on_that_side_only(region, side):
    @given(strategies.lesions(G, side=side, region=region, max_sites=2))
    def check(lesion):
        result = simulate(G, lesion)
        assert {f.side for f in result.muscles} <= {side}
        assert all(f.side == side for f in result.reflexes if f.is_abnormal)

    check()


@pytest.mark.parametrize("region", ["cortex", "supraspinal"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_lesions_above_the_decussation_give_opposite_signs_only(region, side):
    @given(strategies.lesions(G, side=side, region=region, max_sites=2))
    def check(lesion):
        result = simulate(G, lesion)
        assert {f.side for f in result.muscles} <= {opposite_side(side)}
        assert all(f.side == opposite_side(side) for f in result.reflexes if f.is_abnormal)

    check()


SEGMENT_SITES = [site for site in strategies.site_pool(G, region="cord") if {G.nodes[n]["kind"] for n in site.nodes} >= {"anterior_horn", "tract"}]


@given(st.sampled_from(SEGMENT_SITES))
def test_cord_lesion_gives_lmn_at_its_level_and_umn_below(site):
    segments = {G.nodes[n]["segment"] for n in site.nodes}
    highest = min(segment_index(s) for s in segments)
    result = simulate(G, site)
    for finding in result.muscles:
        assert set(finding.lmn_segments) <= segments
        assert all(segment_index(s) > highest for s in finding.umn_segments)


@given(strategies.lesions(G, max_sites=2))
def test_the_mirrored_lesion_gives_the_mirrored_result(lesion):
    result = simulate(G, lesion)
    mirror = simulate(G, [mirror_site(site) for site in lesion])
    assert sorted((mirrored(f.muscle), f.deficit, f.mrc_grade, f.tone) for f in result.muscles) == sorted(
        (f.muscle, f.deficit, f.mrc_grade, f.tone) for f in mirror.muscles
    )
    assert sorted((mirrored(f.reflex), f.state) for f in result.reflexes) == sorted(
        (f.reflex, f.state) for f in mirror.reflexes
    )


@pytest.mark.parametrize("region", ["cord", "root", "plexus", "nerve"])
def test_lmn_structures_never_give_a_umn_sign(region):
    @given(strategies.lesions(G, region=region, kind=None, max_sites=2))
    def check(lesion):
        if any(G.nodes[n]["kind"] == "tract" for site in lesion for n in site.nodes):
            return
        result = simulate(G, lesion)
        assert all(f.deficit == "LMN" for f in result.muscles)
        assert not any(f.state in UMN_SIGNS for f in result.reflexes)

    check()


@pytest.mark.parametrize("region", ["cortex", "supraspinal"])
def test_umn_structures_never_give_wasting_or_fasciculations(region):
    @given(strategies.lesions(G, region=region, max_sites=3))
    def check(lesion):
        result = simulate(G, lesion)
        assert all(f.deficit == "UMN" and not f.atrophy and not f.fasciculations for f in result.muscles)

    check()


@given(strategies.lesions(G, max_sites=2))
def test_every_deficit_names_a_site_on_that_muscles_route(lesion):
    table = route_table(G)
    result = simulate(G, lesion)
    by_label = {}
    for site in result.sites:
        by_label.setdefault(site.label, set()).update(site.nodes)
    for finding in result.muscles:
        on_route = set()
        for index in table.units_by_muscle[finding.muscle]:
            unit = table.units[index]
            on_route.update(unit.route)
            on_route.update(n for route in table.pools[table.pool_of(unit)].routes for n in route)
        assert finding.sites
        assert all(by_label[name] & on_route for name in finding.sites)


# Writing and reading a whole anatomy takes a second or so; a deadline would measure the load on
# the machine, not the code (the loader's own cost is bounded in scripts/bench_hostile.py).
@settings(max_examples=10, deadline=None)
@given(strategies.anatomy_variants(G))
def test_graphml_round_trip_preserves_variants(tmp_path_factory, variant):
    path = tmp_path_factory.mktemp("variant") / "variant.graphml"
    write_graphml(variant, path)
    again = read_graphml(path)
    assert dict(again.nodes(data=True)) == dict(variant.nodes(data=True))
    assert {(u, v): d for u, v, d in again.edges(data=True)} == {(u, v): d for u, v, d in variant.edges(data=True)}
    assert again.graph == variant.graph


@settings(max_examples=15, deadline=None)  # validates a whole anatomy per example: see above
@given(strategies.anatomy_variants(G, changes=("remove", "reroute")))
def test_a_one_sided_variant_is_reported_as_asymmetric(variant):
    assert "asymmetry" in {v.rule for v in validate(variant)}


MOTOR_EDGES = sorted((u, v) for u, v, d in G.edges(data=True) if d["kind"] in ("motor_axon", "innervates"))


def _myotome_edges():
    """Edges every route of some (muscle, segment) passes: removing one must cut a myotome route."""
    table = route_table(G)
    routes = {}
    for unit in table.units:
        edges = set(zip(unit.route, unit.route[1:]))
        key = (unit.muscle, unit.segment)
        routes[key] = edges if key not in routes else routes[key] & edges
    return sorted(set().union(*routes.values()))


@settings(max_examples=15)
@given(st.sampled_from(_myotome_edges()))
def test_removing_an_edge_of_a_myotome_route_is_reported(edge):
    broken = G.copy()
    broken.remove_edge(*edge)
    rules = {v.rule for v in validate(broken)}
    assert rules & {"missing_lmn_route", "muscle_unreachable"}
    assert "asymmetry" in rules


@settings(max_examples=15)
@given(st.sampled_from(MOTOR_EDGES))
def test_a_reversed_edge_makes_a_cycle_the_validator_reports(edge):
    broken = G.copy()
    broken.add_edge(edge[1], edge[0], kind="motor_axon", segments="C5", source="Gray42")
    assert {"cycle", "bad_edge"} & {v.rule for v in validate(broken)}


@settings(max_examples=15)
@given(st.sampled_from(sorted(G.nodes)), st.sampled_from(["reference", "side"]))
def test_a_dropped_citation_or_swapped_side_is_reported(node, attribute):
    broken = G.copy()
    if attribute == "reference":
        broken.nodes[node]["reference"] = ""
        expected = {"missing_attribute"}
    else:
        broken.nodes[node]["side"] = opposite_side(G.nodes[node]["side"])
        expected = {"asymmetry", "ambiguous_name"}
    assert expected & {v.rule for v in validate(broken)}


#: A small well-formed anatomy file (one anterior horn to its spinal nerve), whose corrupted
#: copies the loader must either refuse or read as a graph that passes its structural checks.
def _small_anatomy():
    small = G.subgraph(["R.ah.C7", "R.vroot.C7", "R.spn.C7"]).copy()
    small.graph.clear()  # its nodes and edges are what the corruptions should hit
    return small


SMALL_GRAPHML = graphml_bytes(_small_anatomy())


def corrupted(document):
    """Copies of ``document`` with up to four bytes replaced (by any byte, or by a letter, so
    that some copies stay well-formed), and sometimes cut short."""
    byte = st.integers(0, 255) | st.sampled_from(b"aZ7 ")
    changes = st.lists(st.tuples(st.integers(0, len(document) - 1), byte), min_size=1, max_size=4)
    return st.builds(_corrupt, st.just(document), changes, st.none() | st.integers(0, len(document)))


def _corrupt(document, changes, end):
    edited = bytearray(document)
    for index, value in changes:
        edited[index] = value
    return bytes(edited[:end])


@given(st.binary(max_size=2000) | corrupted(SMALL_GRAPHML) | st.just(SMALL_GRAPHML))
def test_the_loader_gives_a_checked_graph_or_a_neurograph_error_for_any_bytes(tmp_path_factory, payload):
    path = tmp_path_factory.mktemp("fuzz") / "input.graphml"
    path.write_bytes(payload)
    try:
        graph = read_graphml(path)
    except NeurographError:
        return
    # What the loader returns is what it promises: a directed graph with no structural violation
    # (checked on a copy: the loader remembers its own check of the graph it returns).
    assert graph.is_directed()
    assert structural_violations(graph.copy()) == []


@given(st.text(max_size=80))
def test_the_resolver_gives_a_site_or_a_neurograph_error_for_any_text(text):
    try:
        site = neurograph.resolve_site(G, text)
    except NeurographError:
        return
    assert site.nodes and all(node in G for node in site.nodes)


def test_strategies_check_their_arguments():
    with pytest.raises(NeurographError, match="invalid side"):
        strategies.sites(G, side="middle")
    with pytest.raises(NeurographError, match="invalid site counts"):
        strategies.lesions(G, min_sites=3, max_sites=1)
    with pytest.raises(NeurographError, match="invalid changes"):
        strategies.anatomy_variants(G, changes=("explode",))


@given(strategies.lesions(G, max_sites=3))
def test_grades_follow_the_strength_left(lesion):
    from neurograph.lesion import mrc_grade

    for finding in simulate(G, lesion).muscles:
        assert finding.mrc_grade == mrc_grade(finding.strength)
        assert (finding.deficit == "mixed") == bool(finding.lmn_segments and finding.umn_segments)
        assert finding.tone in (("normal",) if finding.mrc_grade == 5 else ("spastic", "flaccid"))


def test_results_are_json():
    json.dumps(simulate(G, "C7").to_dict())


MUSCLES = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "muscle")


@given(
    strategies.lesions(G, max_sites=2, partial=False), st.sampled_from(("acute", "chronic")),
    st.lists(st.sampled_from(MUSCLES), min_size=1, max_size=20, unique=True),
)
def test_localization_explains_every_finding_of_one_or_two_complete_lesions(lesion, phase, examined):
    """Complete lesions of one or two sites are among the hypotheses searched, so the best one by
    score explains every abnormal finding and contradicts none; one site's findings need no pair
    (the posterior may prefer a likelier site that leaves a finding to the examiner's error)."""
    from neurograph.findings import findings_from_result
    from neurograph.localization import localize

    exam = findings_from_result(simulate(G, lesion, phase=phase), examined)
    abnormal = sum(e.mrc_grade < 5 for e in exam.muscles.values()) + sum(g != "2+" for g in exam.reflexes.values())
    abnormal += sum(response != "flexor" for response in exam.plantar.values())
    assume(abnormal)
    best = localize(G, exam, top=1, ranking="score").best
    assert best.contradicts == () and best.unexplained == ()
    assert len(best.explains) >= abnormal
    if len({site.nodes for site in lesion}) == 1:
        assert len(best.sites) == 1


@given(strategies.findings(G, examined=8, consistent=False))
def test_localization_answers_any_record_or_says_why_not(exam):
    """Arbitrary records (grades, tones, reflexes and plantars drawn independently) are ranked,
    or refused with a NeurographError when nothing in them is abnormal."""
    from neurograph.localization import localize

    try:
        result = localize(G, exam, top=3)
    except NeurographError as error:
        assert "abnormal" in str(error)
        return
    assert 1 <= len(result.hypotheses) <= 3 and result.ties
    assert all(h.score == result.best.score for h in result.ties)
    json.dumps(result.to_dict())
