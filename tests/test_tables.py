"""Every result as a tidy table: one row per finding, structure or step, every cell a scalar.

Clinical expectations come from standard teaching (Preston 2020 for the radial nerve at the
spiral groove, Blumenfeld 2021 for the capsular lesion's contralateral Babinski sign, MRC *Aids*
2010 for the deltoid's axillary nerve and C5-C6 roots), not from the engine's own output.
"""

import math
import sys

import pytest

import neurograph
from neurograph.results import FINDING_COLUMNS

pandas = pytest.importorskip("pandas")


def records(frame):
    """A DataFrame's rows as dicts, pandas' empty cells as ``None`` (what the list form holds)."""
    return [{key: None if value is pandas.NA else value for key, value in row.items()} for row in frame.to_dict("records")]


def assert_tidy(frame, columns):
    assert list(frame.columns) == list(columns)
    for row in records(frame):
        for column, value in row.items():
            assert value is None or isinstance(value, (str, int, float, bool)), (column, value)


@pytest.fixture(scope="module")
def spiral_groove(packaged_anatomy):
    return neurograph.simulate(packaged_anatomy, "right radial nerve at the spiral groove")


@pytest.fixture(scope="module")
def exam(packaged_anatomy):
    return neurograph.findings_from_dict(packaged_anatomy, {
        "muscles": {"right brachioradialis": 0, "right extensor digitorum": {"mrc_grade": 0, "atrophy": True},
                    "right triceps": 5},
        "reflexes": {"right brachioradialis reflex": "0"},
        "plantar": {"right": "flexor"},
    })


def every_table(packaged_anatomy, spiral_groove, exam):
    localization = neurograph.localize(packaged_anatomy, exam, top=5)
    pathway = neurograph.pathway(packaged_anatomy, "left hand area", "right FDI")
    return {
        "lesion": spiral_groove.to_table(),
        "lesion with normal findings": spiral_groove.to_table(include_normal=True),
        "muscle finding": spiral_groove.muscle("right brachioradialis").to_table(),
        "reflex finding": spiral_groove.reflex("right brachioradialis reflex").to_table(),
        "pathway": pathway.to_table(),
        "route": pathway.routes[0].to_table(),
        "innervation": neurograph.innervation(packaged_anatomy, "right deltoid").to_table(),
        "supply": neurograph.supplied_by(packaged_anatomy, "left upper trunk").to_table(),
        "localization": localization.to_table(),
        "hypothesis": localization.best.to_table(),
        "findings": exam.to_table(),
    }


def test_every_result_is_a_tidy_table(packaged_anatomy, spiral_groove, exam):
    for name, frame in every_table(packaged_anatomy, spiral_groove, exam).items():
        assert isinstance(frame, pandas.DataFrame), name
        assert len(frame) > 0, name
        assert_tidy(frame, frame.columns)


def test_without_pandas_every_table_is_the_same_rows_as_dicts(packaged_anatomy, spiral_groove, exam, monkeypatch):
    frames = every_table(packaged_anatomy, spiral_groove, exam)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    lists = every_table(packaged_anatomy, spiral_groove, exam)
    for name, frame in frames.items():
        assert isinstance(lists[name], list), name
        assert lists[name] == records(frame), name


def test_the_lesion_table_has_one_row_per_abnormal_finding(spiral_groove):
    frame = spiral_groove.to_table()
    assert_tidy(frame, FINDING_COLUMNS)
    abnormal_reflexes = [f for f in spiral_groove.reflexes if f.is_abnormal]
    assert len(frame) == len(spiral_groove.muscles) + len(abnormal_reflexes) + len(spiral_groove.sensation)
    assert frame["abnormal"].all()
    assert frame["node"].is_unique
    # Radial nerve at the spiral groove: wrist drop with brachioradialis weak and its reflex
    # lost; triceps spared, its branches leaving above the groove (Preston 2020).
    rows = frame.set_index("node")
    assert rows.loc["R.muscle.brachioradialis", "finding"] == "muscle"
    assert rows.loc["R.muscle.brachioradialis", "deficit"] == "LMN"
    assert rows.loc["R.muscle.brachioradialis", "mrc_grade"] < 5
    assert rows.loc["R.reflex.brachioradialis_jerk", "finding"] == "reflex"
    assert rows.loc["R.reflex.brachioradialis_jerk", "state"] in ("reduced", "absent")
    assert "R.muscle.triceps_brachii" not in rows.index


def test_normal_findings_on_request(packaged_anatomy, spiral_groove):
    full = spiral_groove.to_table(include_normal=True)
    assert_tidy(full, FINDING_COLUMNS)
    kinds = [data["kind"] for _, data in packaged_anatomy.nodes(data=True)]
    kinds_shown = ("muscle", "reflex", "skin", "cranial_muscle", "cranial_reflex")
    assert len(full) == sum(kinds.count(kind) for kind in kinds_shown)
    assert full["node"].is_unique
    default = spiral_groove.to_table()
    assert records(full.head(len(default))) == records(default)
    triceps = full.set_index("node").loc["R.muscle.triceps_brachii"]
    assert (triceps["deficit"], triceps["mrc_grade"], bool(triceps["abnormal"])) == ("normal", 5, False)
    assert set(full.loc[full.finding == "plantar", "side"]) == {"L", "R"}


def test_plantar_responses_are_rows_of_the_lesion_table(packaged_anatomy):
    # A capsular lesion gives an extensor plantar response on the opposite side (Blumenfeld 2021).
    frame = neurograph.simulate(packaged_anatomy, "left internal capsule").to_table()
    plantar = frame[frame.finding == "plantar"]
    assert plantar[["side", "state"]].values.tolist() == [["R", "extensor"]]


def test_whole_numbers_stay_whole_and_shares_stay_fractions(spiral_groove):
    frame = spiral_groove.to_table(include_normal=True)
    assert str(frame["mrc_grade"].dtype) == "Int64"
    assert str(frame["strength"].dtype) == "Float64"
    assert frame.loc[frame.finding == "reflex", "mrc_grade"].isna().all()
    assert not any(isinstance(value, float) and math.isnan(value) for value in frame["finding"])


def test_innervation_and_supply_tables_list_one_structure_a_row(packaged_anatomy):
    # Deltoid: axillary nerve, posterior cord, C5 and C6 (MRC Aids 2010).
    deltoid = neurograph.innervation(packaged_anatomy, "right deltoid").to_table()
    assert deltoid.loc[deltoid.part == "nerve", "structure"].tolist() == ["R.axillary"]
    segments = deltoid[deltoid.part == "segment"]
    assert {"C5", "C6"} <= set(segments["structure"])
    assert segments["principal"].notna().all() and deltoid.loc[deltoid.part != "segment", "principal"].isna().all()
    # The upper trunk carries C5 and C6 (Gray's Anatomy, 42nd edn): the deltoid depends on it.
    supply = neurograph.supplied_by(packaged_anatomy, "left upper trunk").to_table()
    deltoid_rows = supply[supply.structure == "L.muscle.deltoid"]
    assert set(deltoid_rows["through"]) == {"LMN"} and set(deltoid_rows["segment"]) <= {"C5", "C6"}


def test_localization_table_ranks_and_marks_the_tie(packaged_anatomy, exam):
    localization = neurograph.localize(packaged_anatomy, exam, top=5)
    ranking = localization.to_table()
    assert ranking["rank"].tolist() == list(range(1, len(localization.hypotheses) + 1))
    assert ranking["label"].tolist() == [hypothesis.label for hypothesis in localization.hypotheses]
    assert int(ranking["tied"].sum()) == min(len(localization.ties), len(localization.hypotheses))
    verdicts = localization.best.to_table()
    assert len(verdicts) == sum(map(len, (localization.best.explains, localization.best.contradicts, localization.best.unexplained)))


def test_findings_table_has_a_row_per_examined_item(exam):
    frame = exam.to_table()
    assert frame["finding"].tolist() == ["muscle"] * 3 + ["reflex", "plantar"]
    assert frame.loc[frame.finding == "plantar", ["side", "response"]].values.tolist() == [["R", "flexor"]]
    atrophy = frame.set_index("node").loc["R.muscle.extensor_digitorum", "atrophy"]
    assert bool(atrophy) is True
    assert frame.set_index("node").loc["R.muscle.brachioradialis", "atrophy"] is pandas.NA  # not examined
