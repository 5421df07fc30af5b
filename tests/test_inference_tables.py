"""The inference tables (data/sources/inference/): cited, complete and consistent with the anatomy.

These tables hold the parameters of localization as inference (issue 15): the prior weight of
each site class and site, and the error model of the examination, read by
:mod:`neurograph.inference`. See data/sources/INFERENCE_TABLES.md for the columns.
"""

import math
from collections import defaultdict

import pytest

from neurograph.resolve import atlas_sites
from neurograph.schema import CRANIAL_KINDS, SENSORY_KINDS
from source_tables import SOURCES, read, keys

INFERENCE = SOURCES / "inference"

#: The columns of every inference table, as INFERENCE_TABLES.md documents them.
COLUMNS = {
    "site_classes.csv": ("site_class", "resolver_kind", "label", "source"),
    "priors.csv": ("group", "site_class", "site", "prior", "figure", "unit", "population", "basis", "note", "source"),
    "examination_error.csv": (
        "item", "measure", "true_state", "observed", "phase", "value", "value_high", "distribution", "population",
        "basis", "note", "source",
    ),
}
#: Columns that may be left empty; every other column must hold a value.
OPTIONAL = {
    "priors.csv": {"site", "figure", "population"},
    "examination_error.csv": {"true_state", "observed", "value_high", "distribution", "population"},
}
BASES = {"cited", "derived", "assumed"}
UNITS = {"per_100000_per_year", "share", "factor"}
#: Groups that are not distributions over sites.
NOT_DISTRIBUTIONS = {"pair_penalty"}
SEVERITIES = {"complete", "severe_partial", "mild_partial"}
ITEMS = {
    "mrc_grade", "reflex_grade", "plantar_response", "tone", "wasting", "fasciculations", "light_touch", "pin_prick",
}
STATISTICS = {
    "kappa", "weighted_kappa", "gwet_ac2", "icc", "percent_agreement", "percent_disagreement", "accuracy",
    "sensitivity", "specificity",
}
PHASES = {"any", "acute", "chronic"}
TOLERANCE = 1e-3



def table(name):
    return read(INFERENCE / name)[1]



@pytest.fixture(scope="module")
def references():
    return {row["key"] for row in read(SOURCES / "references.csv")[1]}


@pytest.fixture(scope="module")
def site_classes():
    return {row["site_class"]: row["resolver_kind"] for row in table("site_classes.csv")}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_as_documented(name):
    fields, rows = read(INFERENCE / name)
    assert tuple(fields) == COLUMNS[name]
    documented = (SOURCES / "INFERENCE_TABLES.md").read_text(encoding="utf-8")
    assert all(f"`{column}`" in documented for column in fields), name
    for number, row in enumerate(rows, start=2):
        assert None not in row.values() and None not in row, f"{name}:{number} has the wrong number of fields"
        missing = [column for column in fields if not row[column].strip() and column not in OPTIONAL.get(name, ())]
        assert not missing, f"{name}:{number} leaves {missing} empty"


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_cites_a_known_reference(name, references):
    for number, row in enumerate(table(name), start=2):
        cited = keys(row["source"])
        assert cited, f"{name}:{number} cites nothing"
        assert set(cited) <= references, f"{name}:{number} cites unknown {set(cited) - references}"


@pytest.mark.parametrize("name", ["priors.csv", "examination_error.csv"])
def test_assumed_and_derived_rows_say_why(name):
    for number, row in enumerate(table(name), start=2):
        assert row["basis"] in BASES, f"{name}:{number}"
        if row["basis"] in ("assumed", "derived"):
            assert len(row["note"].split()) >= 4, f"{name}:{number} is {row['basis']} without its reasoning"


def test_site_classes_match_the_resolver(anatomy, site_classes):
    """Every lesion site the resolver offers, sensory sites too, falls in exactly one declared
    class (as the engine classes it), every class occurs, and the class says what the site is."""
    from neurograph.inference import site_class

    found = defaultdict(list)
    for site in atlas_sites(anatomy):
        found[site_class(anatomy, site)].append(site)
    assert set(found) == set(site_classes), set(found) ^ set(site_classes)
    for name, sites in found.items():
        kind, _, what = site_classes[name].partition(":")
        for site in sites:
            # A segment's anterior horn holds every motor pool there, the spinal accessory nucleus's part too.
            pools = {node for node in site.nodes if anatomy.nodes[node].get("cord_station") == "anterior_horn"
                     and kind == "node" and what == "anterior_horn"}
            own = {anatomy.nodes[node]["kind"] for node in set(site.nodes) - pools} - {"afferent", "skin"} or {"afferent"}
            if kind == "kind":
                assert own <= CRANIAL_KINDS, (name, site.label)
            elif kind == "node":
                assert own == {what}, (name, site.label)
            else:
                assert len(site.nodes) > 1, (name, site.label)


def side_less_ids(anatomy):
    return {node.partition(".")[2] for node in anatomy.nodes}


def test_priors_name_declared_classes_and_real_sites(anatomy, site_classes):
    stations = {row["station"] for row in read(SOURCES / "tract_stations.csv")[1]}
    stations |= {row["region"] for row in read(SOURCES / "regions.csv")[1] if row["kind"] == "station"}
    nodes = side_less_ids(anatomy)
    for number, row in enumerate(table("priors.csv"), start=2):
        where = f"priors.csv:{number}"
        assert row["unit"] in UNITS, where
        if row["group"] in ("severity", "pair_penalty"):
            assert row["site_class"] == "*", where
            assert row["group"] == "pair_penalty" or row["site"] in SEVERITIES, where
            continue
        assert row["site_class"] in site_classes, f"{where} names an undeclared class {row['site_class']!r}"
        if row["group"] == "site_class":
            assert not row["site"], where
            continue
        assert row["group"] == row["site_class"], f"{where}: a class's distribution is its own group"
        if row["site"] == "*":
            continue
        if site_classes[row["site_class"]] == "region:station":
            station = row["site"].removesuffix("_motor_fibres")
            assert station in stations, f"{where} names an unknown station {row['site']!r}"
            if station != row["site"]:
                # The motor fibres alone are a site only where sensory fibres run beside them.
                assert any(data["kind"] == "sensory_tract" and data.get("station") == station for _, data in anatomy.nodes(data=True)), where
        elif site_classes[row["site_class"]] == "region:root":
            assert f"L.vroot.{row['site']}" in anatomy, f"{where} names an unknown root {row['site']!r}"
        else:
            assert row["site"] in nodes, f"{where} names an unknown site {row['site']!r}"
            kind = anatomy.nodes[f"L.{row['site']}"]["kind"]
            # The cranial class holds every cranial kind (a nucleus, a nerve, corticobulbar fibres).
            assert kind in CRANIAL_KINDS if site_classes[row["site_class"]] == "kind:cranial" else kind == row["site_class"], where


def test_prior_distributions_sum_to_one():
    groups = defaultdict(list)
    for number, row in enumerate(table("priors.csv"), start=2):
        prior = float(row["prior"])
        assert 0 <= prior <= 1, f"priors.csv:{number}"
        groups[row["group"]].append(row)
    assert "site_class" in groups and "pair_penalty" in groups
    assert len(groups["pair_penalty"]) == 1 and 0 < float(groups["pair_penalty"][0]["prior"]) < 1
    for group, rows in groups.items():
        if group in NOT_DISTRIBUTIONS:
            continue
        assert math.isclose(sum(float(row["prior"]) for row in rows), 1, abs_tol=TOLERANCE), group
        names = [row["site"] or row["site_class"] for row in rows]
        assert len(names) == len(set(names)), f"{group} names a site or class twice"


def test_priors_follow_their_figures():
    """Where a group's rows all carry a figure in one unit, each prior is its figure's share of the group."""
    groups = defaultdict(list)
    for row in table("priors.csv"):
        groups[row["group"]].append(row)
    for group, rows in groups.items():
        units = {row["unit"] for row in rows}
        if group in NOT_DISTRIBUTIONS:
            continue
        if units == {"share"}:
            assert all(not row["figure"] for row in rows), group
            continue
        assert len(units) == 1 and all(row["figure"] for row in rows), group
        total = sum(float(row["figure"]) for row in rows)
        for row in rows:
            assert math.isclose(float(row["prior"]), float(row["figure"]) / total, abs_tol=TOLERANCE), (group, row["site"])


def test_class_figures_are_the_sums_of_their_groups():
    rows = table("priors.csv")
    class_figures = {row["site_class"]: float(row["figure"]) for row in rows if row["group"] == "site_class"}
    by_group = defaultdict(float)
    for row in rows:
        if row["group"] not in ("site_class", *NOT_DISTRIBUTIONS) and row["figure"]:
            by_group[row["group"]] += float(row["figure"])
    for group, total in by_group.items():
        assert math.isclose(class_figures[group], total, abs_tol=0.05), group


def test_radiculopathy_and_entrapment_priors_rank_as_published():
    """C7 then C6 (Radhakrishnan 1994; 69 and 19 of 100 operated protrusions, Yoss 1957); L5 and S1 the commonest lumbosacral roots; carpal tunnel
    before ulnar at the elbow (Mondelli 2002, 2005)."""
    prior = {row["site"]: float(row["prior"]) for row in table("priors.csv") if row["site"]}
    assert prior["C7"] > prior["C6"] > max(prior["C5"], prior["C8"])
    assert min(prior["L5"], prior["S1"]) > prior["L4"]
    assert prior["median.carpal_tunnel"] > prior["ulnar.elbow"] > prior["radial.spiral_groove"]


def test_examination_error_values_and_distributions():
    distributions = defaultdict(list)
    for number, row in enumerate(table("examination_error.csv"), start=2):
        where = f"examination_error.csv:{number}"
        assert row["item"] in ITEMS, where
        assert row["phase"] in PHASES, where
        value = float(row["value"])
        low = -1 if "kappa" in row["measure"] else 0
        assert low <= value <= 1, where
        if row["value_high"]:
            assert value <= float(row["value_high"]) <= 1, where
        if row["measure"] == "probability":
            assert row["true_state"] and row["observed"] and row["distribution"], where
            distributions[row["distribution"]].append(row)
        else:
            assert row["measure"] in STATISTICS, where
            assert row["basis"] == "cited" and not row["distribution"], where
    for name, rows in distributions.items():
        assert math.isclose(sum(float(row["value"]) for row in rows), 1, abs_tol=TOLERANCE), name
        assert len({(row["item"], row["true_state"], row["phase"]) for row in rows}) == 1, f"{name} mixes conditions"
        observed = [row["observed"] for row in rows]
        assert len(observed) == len(set(observed)), name


def test_plantar_likelihoods_come_from_the_cited_accuracy():
    rows = table("examination_error.csv")
    statistic = {
        row["measure"]: float(row["value"])
        for row in rows
        if row["source"] == "IsazaJaramillo2014" and row["measure"] != "probability"
    }
    likelihood = {
        (row["true_state"], row["observed"]): float(row["value"])
        for row in rows
        if row["item"] == "plantar_response" and row["measure"] == "probability"
    }
    assert likelihood["umn_lesion", "extensor"] == statistic["sensitivity"]
    assert math.isclose(likelihood["no_umn_lesion", "extensor"], 1 - statistic["specificity"])


def test_acute_and_chronic_expectations_differ_where_the_literature_says():
    """No wasting in the first weeks of denervation (Preston 2020); spasticity in 4% of strokes at day 2-10
    (Lundström 2010) against 28% of the hemiparetic at 3 months (Sommerfeld 2004)."""
    rows = table("examination_error.csv")
    present = {(row["item"], row["phase"]): float(row["value"]) for row in rows
               if row["measure"] == "probability" and row["observed"] in ("present", "increased")
               and row["true_state"] in ("denervated", "umn_lesion")}
    assert present["wasting", "acute"] < 0.1 < present["wasting", "chronic"]
    assert present["tone", "acute"] < present["tone", "chronic"]
