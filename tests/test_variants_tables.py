"""The variant tables (data/sources/variants, VARIANTS_TABLES.md): their columns, their
references, their vocabulary, their numbers and the nodes their edits name."""

import csv
from pathlib import Path

import pytest

import neurograph
from neurograph.variants import OPERATIONS, catalogue

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"
FOLDER = SOURCES / "variants"

COLUMNS = {
    "variants.csv": ["variant", "label", "aliases", "group", "description", "source"],
    "prevalence.csv": [
        "variant", "prevalence", "low", "high", "unit", "sample", "method", "population", "basis", "note", "source",
    ],
    "edits.csv": ["variant", "operation", "node", "from_node", "to_node", "segments", "shift", "label", "source"],
}
METHODS = {"dissection", "electrodiagnosis", "imaging", "meta-analysis", "review", "case report"}


def read(name):
    with open(FOLDER / name, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def references():
    with open(SOURCES / "references.csv", newline="", encoding="utf-8") as handle:
        return {row["key"] for row in csv.DictReader(handle)}


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_are_the_documented_ones(name):
    fieldnames, rows = read(name)
    assert fieldnames == COLUMNS[name]
    assert rows
    documented = (SOURCES / "VARIANTS_TABLES.md").read_text()
    assert all(f"`{column}`" in documented for column in COLUMNS[name])


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_cites_known_references(name):
    known = references()
    for row in read(name)[1]:
        keys = [key.strip() for key in row["source"].split(";")]
        assert keys and all(keys), row
        assert set(keys) <= known, (row, set(keys) - known)


def test_every_variant_has_a_prevalence_and_an_edit():
    variants = {row["variant"] for row in read("variants.csv")[1]}
    assert variants == {row["variant"] for row in read("prevalence.csv")[1]}
    assert variants == {row["variant"] for row in read("edits.csv")[1]}


def test_the_issue_asks_for_these_variants():
    assert set(catalogue()) == {
        "prefixed_brachial_plexus", "postfixed_brachial_plexus", "martin_gruber", "marinacci", "riche_cannieu",
        "all_ulnar_hand", "all_median_hand", "accessory_deep_fibular", "furcal_high", "furcal_low",
        "high_sciatic_division",
    }


def test_prevalences_are_shares_within_their_intervals():
    for row in read("prevalence.csv")[1]:
        value = float(row["prevalence"])
        assert 0 <= value <= 1, row
        if row["low"] or row["high"]:
            assert float(row["low"]) <= value <= float(row["high"]) <= 1, row
        assert row["unit"] in {"limbs", "plexuses", "people"}, row
        assert row["method"] in METHODS, row
        assert row["basis"] in {"cited", "derived", "assumed"}, row
        if row["basis"] != "cited":
            assert row["note"], row
        if row["sample"]:
            assert int(row["sample"]) > 0


def test_counted_figures_match_their_counts():
    # where the note gives "k of n", the prevalence is k/n to the table's precision
    import re

    for row in read("prevalence.csv")[1]:
        found = re.match(r"(\d+) of (\d+)", row["note"])
        if found:
            k, n = map(int, found.groups())
            assert float(row["prevalence"]) == pytest.approx(k / n, abs=0.0015), row


def test_exclusive_groups_have_shares_summing_below_one():
    groups = {}
    for variant in catalogue().values():
        if variant.group:
            groups.setdefault(variant.group, []).append(variant.prevalence)
    assert groups
    assert all(len(shares) >= 2 and sum(shares) < 1 for shares in groups.values())


def test_edits_use_known_operations_and_nodes_of_the_anatomy(packaged_anatomy):
    G = packaged_anatomy
    created = {row["node"] for row in read("edits.csv")[1] if row["operation"] == "add_nerve"}
    for row in read("edits.csv")[1]:
        assert row["operation"] in OPERATIONS, row
        for column in ("node", "from_node", "to_node"):
            if row[column] and row[column] not in created:
                assert f"R.{row[column]}" in G and f"L.{row[column]}" in G, (row, column)
        if row["operation"] == "shift_segments":
            assert row["shift"] in {"-1", "1"}, row
        if row["operation"] == "connect":
            assert row["segments"], row
        if row["operation"] == "move_branch":
            assert G.has_edge(f"R.{row['from_node']}", f"R.{row['node']}"), row


def test_a_variant_shifts_one_way_only():
    for variant in catalogue().values():
        assert len({edit.shift for edit in variant.edits if edit.operation == "shift_segments"}) <= 1
