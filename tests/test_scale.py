"""Cost bounded by input size: scaled anatomies stay valid, and the engine answers them quickly and exactly."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

import neurograph
from engine_arrays import engine_prediction
from neurograph import atlas as atlas_module
from neurograph import localization, routes
from neurograph.atlas import site_atlas
from neurograph.cli import main
from neurograph.errors import AnatomyTooLargeError, InvalidValueError
from neurograph.findings import findings_from_dict
from neurograph.inference import site_prior_weights
from neurograph.resolve import with_twins
from neurograph.routes import route_table
from neurograph.testing import scaled


@pytest.mark.parametrize(
    "grow",
    [
        lambda G: scaled.more_muscles(G, 2),
        lambda G: scaled.more_muscles(G, 40, nerve="R.radial.axilla"),
        lambda G: scaled.more_layers(G, 2),
        lambda G: scaled.nerve_lattice(G, 3, 4),
        lambda G: scaled.isolated_nodes(G, 25),
    ],
    ids=["muscles", "muscles-on-one-nerve", "layers", "lattice", "isolated"],
)
def test_every_scaled_anatomy_is_valid(packaged_anatomy, grow):
    size = (packaged_anatomy.number_of_nodes(), packaged_anatomy.number_of_edges())
    grown = grow(packaged_anatomy)
    assert len(grown) > len(packaged_anatomy)
    assert neurograph.validate(grown) == []
    assert (packaged_anatomy.number_of_nodes(), packaged_anatomy.number_of_edges()) == size  # a copy was grown


def test_scaled_generators_refuse_bad_sizes(packaged_anatomy):
    with pytest.raises(InvalidValueError, match="width"):
        scaled.nerve_lattice(packaged_anatomy, 0, 3)
    with pytest.raises(InvalidValueError, match="nerve"):
        scaled.more_muscles(packaged_anatomy, 2, nerve="R.no_such_nerve")


# A lattice of 8 x 8 nerve nodes in the right radial nerve between the axilla and the spiral
# groove: 8 * 2**7 = 1,024 routes for each segment of each muscle below it (this took 11 s and
# 220 MB when routes were enumerated one by one). The share of routes through any one lattice
# node is 1/8, counted by hand in scaled.lattice_share.
LATTICE_EDGE = ("R.radial.axilla", "R.radial.spiral_groove")
WIDTH = DEPTH = 8


@pytest.fixture(scope="module")
def lattice(packaged_anatomy):
    return scaled.nerve_lattice(packaged_anatomy, WIDTH, DEPTH, edge=LATTICE_EDGE)


def _below_the_lattice(G):
    below = nx.descendants(G, LATTICE_EDGE[1])
    return sorted(node for node in below if G.nodes[node]["kind"] == "muscle")


def test_a_lattice_node_cuts_its_share_of_every_route_below_it(lattice):
    routes, share = scaled.lattice_share(WIDTH, DEPTH)
    table = route_table(lattice)
    bundled = [unit for unit in table.units if unit.bundle is not None]
    assert bundled and all(unit.bundle.routes == routes for unit in bundled)
    result = neurograph.simulate(lattice, "R.lattice.radial.axilla.4.3")
    weak = {finding.muscle: finding for finding in result.muscles}
    muscles = _below_the_lattice(lattice)
    assert set(weak) == set(muscles)
    # Every segment of every muscle below loses the same share: the muscle keeps 1 - 1/8.
    assert all(weak[m].strength == pytest.approx(1 - share) and weak[m].deficit == "LMN" for m in muscles)
    assert {weak[m].mrc_grade for m in muscles} == {neurograph.lesion.mrc_grade(1 - share)}
    partial = neurograph.simulate(lattice, ("R.lattice.radial.axilla.4.3", 0.5))
    assert {round(f.strength, 12) for f in partial.muscles} == {round(1 - share / 2, 12)}


def test_cutting_a_whole_lattice_layer_cuts_every_route(lattice):
    layer = [f"R.lattice.radial.axilla.5.{column}" for column in range(WIDTH)]
    result = neurograph.simulate(lattice, layer)
    assert {f.muscle for f in result.muscles if f.mrc_grade == 0} == set(_below_the_lattice(lattice))
    assert neurograph.simulate(lattice, layer[:-1]).muscle("right brachioradialis").mrc_grade > 0


def test_lesion_on_the_lattice_from_the_command_line(lattice, tmp_path):
    path = tmp_path / "lattice.graphml"
    neurograph.write_graphml(lattice, path)
    result = CliRunner().invoke(main, ["lesion", "C7", "--anatomy", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["muscles"]


def test_the_atlas_predicts_what_simulate_finds_on_the_lattice(lattice):
    atlas = site_atlas(lattice)
    muscles = list(atlas.table.muscle_order)
    reflexes = [arc.node for arc in atlas.table.reflex_order]
    lattice_rows = [row for row, site in enumerate(atlas.sites) if ".lattice." in next(iter(site.nodes))][::7]
    # A nerve point's site holds its afferent twin too.
    nerve_rows = [atlas.row_of[with_twins(lattice, {node})] for node in ("R.radial.axilla", "R.radial.spiral_groove", "R.radial.pin")]
    forecast = atlas.prediction(muscles, reflexes, "chronic")
    singles = forecast.predict(lattice_rows + nerve_rows)
    pairs = list(zip(lattice_rows, lattice_rows[1:] + nerve_rows[:1]))
    paired = forecast.predict([a for a, _ in pairs], [b for _, b in pairs])
    for prediction, lesions in ((singles, [[row] for row in lattice_rows + nerve_rows]), (paired, pairs)):
        for position, rows in enumerate(lesions):
            expected = engine_prediction(lattice, [atlas.sites[row] for row in rows], "chronic", muscles, reflexes)
            for name, values in expected.items():
                assert prediction[name][position].tolist() == values[0].tolist(), (rows, name)


# 300 copies of each muscle the right radial nerve supplies in the axilla: 600 muscles on one
# nerve (500 copies took 7.5 s when each muscle's route search walked every sibling).
def test_many_muscles_on_one_nerve(packaged_anatomy):
    crowded = scaled.more_muscles(packaged_anatomy, 300, nerve="R.radial.axilla")
    expected = neurograph.simulate(packaged_anatomy, "C7")
    result = neurograph.simulate(crowded, "C7")
    for finding in expected.muscles:
        copies = [result.muscle(finding.muscle)] + [
            result.muscle(f"{finding.muscle}_copy{k}") for k in (2, 300) if f"{finding.muscle}_copy{k}" in crowded
        ]
        assert {(f.deficit, f.mrc_grade, f.tone) for f in copies} == {(finding.deficit, finding.mrc_grade, finding.tone)}


# The packaged anatomy plus 2 x 5,000 isolated nerve nodes (3.5 s and 500 MB to localize before
# the atlas kept rows only for sites that cut something): each isolated node is a site that
# predicts nothing, so the ranking is the packaged anatomy's.
def test_isolated_nodes_change_no_localization(packaged_anatomy):
    crowded = scaled.isolated_nodes(packaged_anatomy, 5000)
    exam = {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0, "right triceps": 5, "right deltoid": 5}}
    expected = neurograph.localize(packaged_anatomy, findings_from_dict(packaged_anatomy, exam), ranking="score")
    found = neurograph.localize(crowded, findings_from_dict(crowded, exam), ranking="score")
    assert [h.label for h in found.hypotheses] == [h.label for h in expected.hypotheses]
    assert [h.score for h in found.hypotheses] == [h.score for h in expected.hypotheses]


# A site class's prior is shared among the sites that act on something: isolated nodes are nerve
# sites that cut nothing, so they take none of the nerves' prior and every posterior stays.
def test_isolated_nodes_change_no_posterior(packaged_anatomy):
    crowded = scaled.isolated_nodes(packaged_anatomy, 5000)
    exam = {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0, "right triceps": 5, "right deltoid": 5}}
    expected = neurograph.localize(packaged_anatomy, findings_from_dict(packaged_anatomy, exam))
    found = neurograph.localize(crowded, findings_from_dict(crowded, exam))
    assert [h.label for h in found.hypotheses] == [h.label for h in expected.hypotheses]
    assert [h.posterior for h in found.hypotheses] == pytest.approx([h.posterior for h in expected.hypotheses], rel=1e-9)
    # A node joined to nothing is no site; the isolated "nerve" (all of them a side) is one, and
    # takes no prior, from the table or uniform.
    sites = site_atlas(crowded).sites
    assert not any(len(site.nodes) == 1 and "isolated" in site.label for site in sites)
    isolated = [row for row, site in enumerate(sites) if any(node.partition(".")[2].startswith("isolated.") for node in site.nodes)]
    assert isolated and not site_prior_weights(crowded)[isolated].any()
    assert not site_prior_weights(crowded, "uniform")[isolated].any()


def test_every_route_kept_as_a_bundle_predicts_what_listed_routes_do(packaged_anatomy, monkeypatch):
    """With no route listed (every unit, pool and afferent limb a bundle), the dynamic
    programmes over bundles give exactly the findings of the listed routes."""
    sites = [site for site in site_atlas(packaged_anatomy).sites][::9]
    monkeypatch.setattr(routes, "ROUTES_PER_UNIT", 0)
    bundled = packaged_anatomy.copy()
    table = route_table(bundled)
    assert all(unit.bundle is not None for unit in table.units)
    assert all(pool.bundle is not None for pool in table.pools.values() if pool.routes)
    lesions = [[site] for site in sites] + [[(site.name, 0.5)] for site in sites[::5]] + list(zip(sites, sites[3:]))[::4]
    # partial lesions of nerves that carry a tendon reflex's afferent limb, whatever the sample holds
    lesions += [[(nerve, 0.5)] for nerve in ("right femoral", "left musculocutaneous", "right tibial", "left radial")]
    for lesion in lesions:
        for phase in ("chronic", "acute"):
            mine = neurograph.simulate(bundled, lesion, phase=phase)
            listed = neurograph.simulate(packaged_anatomy, lesion, phase=phase)
            assert [(f.muscle, f.deficit, f.mrc_grade, f.tone, f.atrophy, f.fasciculations) for f in mine.muscles] == [
                (f.muscle, f.deficit, f.mrc_grade, f.tone, f.atrophy, f.fasciculations) for f in listed.muscles
            ]
            assert [(r.reflex, r.state) for r in mine.reflexes] == [(r.reflex, r.state) for r in listed.reflexes]
    atlas = site_atlas(bundled)
    muscles = list(atlas.table.muscle_order)
    reflexes = [arc.node for arc in atlas.table.reflex_order]
    rows = list(range(0, len(atlas.sites), 11))
    prediction = atlas.prediction(muscles, reflexes, "acute").predict(rows[:-1], rows[1:])
    for position, (a, b) in enumerate(zip(rows, rows[1:])):
        expected = engine_prediction(packaged_anatomy, [atlas.sites[a], atlas.sites[b]], "acute", muscles, reflexes)
        for name, values in expected.items():
            assert prediction[name][position].tolist() == values[0].tolist(), (atlas.sites[a].label, atlas.sites[b].label, name)


def test_an_anatomy_beyond_the_work_limit_is_refused_with_its_name(packaged_anatomy, monkeypatch, tmp_path):
    monkeypatch.setattr(routes, "WORK_LIMIT", 5000)
    with pytest.raises(AnatomyTooLargeError, match=r"'neurograph human somatic motor and sensory system' is too large: its route tables need more than 5,000 work units .*neurograph.routes.WORK_LIMIT"):
        neurograph.simulate(packaged_anatomy.copy(), "C7")
    path = tmp_path / "big.graphml"
    neurograph.write_graphml(packaged_anatomy, path)
    result = CliRunner().invoke(main, ["lesion", "C7", "--anatomy", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("Error: the anatomy 'neurograph human somatic motor and sensory system' is too large")


def test_an_atlas_beyond_its_cell_limit_is_refused(packaged_anatomy, monkeypatch):
    monkeypatch.setattr(atlas_module, "CELL_LIMIT", 10_000)
    with pytest.raises(AnatomyTooLargeError, match="site atlas need more than 10,000 cells"):
        site_atlas(packaged_anatomy.copy())


def test_a_pair_search_beyond_its_limit_is_refused_but_single_sites_are_ranked(packaged_anatomy, monkeypatch):
    monkeypatch.setattr(localization, "PAIR_LIMIT", 100)
    exam = findings_from_dict(packaged_anatomy, {"muscles": {"right brachioradialis": 1, "right triceps": 5}})
    with pytest.raises(AnatomyTooLargeError, match=r"pair search .* more than 100 pairs of sites"):
        neurograph.localize(packaged_anatomy, exam)
    assert neurograph.localize(packaged_anatomy, exam, max_sites=1).best


def test_exact_predictions_over_bundles_stop_at_the_work_limit(lattice, monkeypatch):
    atlas = site_atlas(lattice)
    rows = [row for row, site in enumerate(atlas.sites) if ".lattice." in next(iter(site.nodes))]
    forecast = atlas.prediction(["R.muscle.brachioradialis"], [], "chronic")
    monkeypatch.setattr(routes, "WORK_LIMIT", 10 * WIDTH * DEPTH)
    with pytest.raises(AnatomyTooLargeError, match="predictions over bundled routes"):
        forecast.predict(rows[:-1], rows[1:])


def test_a_large_atlas_predicts_the_examined_items_alone_exactly_as_every_item(packaged_anatomy, monkeypatch):
    """Beyond FULL_SINGLES_CELLS the atlas predicts only what was examined, at the sites that cut
    what it depends on: the ranking and every hypothesis stay what predicting everything gives."""
    exams = [
        {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0, "right triceps": 5, "right deltoid": 5}},
        {"muscles": {"left tibialis anterior": 2, "left gastrocnemius": 5}, "reflexes": {"left ankle jerk": 0}},
    ]
    expected = [neurograph.localize(packaged_anatomy, findings_from_dict(packaged_anatomy, exam)) for exam in exams]
    monkeypatch.setattr(atlas_module, "FULL_SINGLES_CELLS", 0)
    fresh = packaged_anatomy.copy()
    for exam, wanted in zip(exams, expected):
        found = neurograph.localize(fresh, findings_from_dict(fresh, exam))
        assert found.to_dict() == wanted.to_dict()
    assert not site_atlas(fresh)._singles  # nothing was predicted for every muscle


def test_bundles_below_a_lattice_share_one_core_per_segment(lattice):
    table = route_table(lattice)
    bundled = [unit for unit in table.units if unit.bundle is not None]
    # One sub-DAG per segment and side below the lattice (mirrored on both sides), however many
    # muscles it reaches; each ends at the nerve node the lattice rejoins.
    cores = {unit.bundle.core for unit in bundled}
    reaches = {(unit.muscle[0], unit.segment) for unit in bundled}
    assert len(cores) == len(reaches) < len(bundled)
    assert {core.goal for core in cores} == {"L.radial.spiral_groove", "R.radial.spiral_groove"}
    assert all(unit.bundle.nodes == unit.bundle.core.nodes | set(unit.bundle.tail) for unit in bundled)


def test_a_file_is_checked_once_when_read_and_again_after_any_edit(tmp_path, monkeypatch):
    """Reading a file runs the structural checks; the engine's check of the unchanged graph does
    not repeat them, but any edit, structural or of an attribute, makes them run again."""
    from neurograph import validation
    from neurograph.io import anatomy_path, read_graphml

    runs = []
    check = validation._structural_violations
    monkeypatch.setattr(validation, "_structural_violations", lambda G: runs.append(G) or check(G))
    G = read_graphml(anatomy_path())
    assert len(runs) == 1
    assert neurograph.validate(G) == [] and len(runs) == 1
    neurograph.simulate(G, "C7")
    assert len(runs) == 1

    edited = read_graphml(anatomy_path())
    edited.nodes["R.muscle.triceps_brachii"]["segments"] = "C9"
    assert "bad_value" in {violation.rule for violation in neurograph.validate(edited)}
    with pytest.raises(neurograph.InvalidAnatomyError, match="C9"):
        neurograph.simulate(edited, "C7")

    rewired = read_graphml(anatomy_path())
    rewired.add_edge("R.muscle.triceps_brachii", "R.radial.axilla", kind="motor_axon", segments="C7", reference="Gray42")
    assert "cycle" in {violation.rule for violation in neurograph.validate(rewired)}

    copied = read_graphml(anatomy_path()).copy()  # a copy is checked as any graph is
    runs.clear()
    neurograph.validate(copied)
    assert len(runs) == 1


def test_a_file_with_more_nodes_than_the_limit_is_refused_and_one_at_the_limit_read(packaged_anatomy, tmp_path, monkeypatch):
    from neurograph import io

    path = tmp_path / "isolated.graphml"
    path.write_bytes(scaled.isolated_nodes_graphml(packaged_anatomy, 5))
    size = len(packaged_anatomy) + 10
    monkeypatch.setattr(io, "MAX_NODES", size)
    read = io.read_graphml(path)
    assert len(read) == size and neurograph.validate(read) == []
    monkeypatch.setattr(io, "MAX_NODES", size - 1)
    with pytest.raises(neurograph.AnatomyFileError, match=f"more than {size - 1:,} nodes.*neurograph.io.MAX_NODES") as refused:
        io.read_graphml(path)
    assert str(path) in str(refused.value)
