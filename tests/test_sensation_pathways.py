"""Where the references disagree about the ascending pathways, and what the engine follows.

- Lissauer's tract: entering pain and temperature fibres send branches up and down one to two
  segments (Gray's Anatomy, 42nd edn); clinically the contralateral loss below a cord lesion
  begins one to two segments below it and nothing is lost above it (Blumenfeld 2021; Ropper et
  al. 2019). The engine's crossings follow the ascending branches.
- The lateral spinothalamic tract is laminated, cervical fibres innermost and sacral outermost
  (Gray's; Blumenfeld 2021; tract_lamination.csv), so a lesion spreading out from the centre of
  the cervical cord takes pain and temperature below it and spares the sacral segments last
  (Schneider et al. 1954; ISNCSCI 2019: sacral sparing). Mapping at cordotomy agrees that leg
  fibres lie outside arm fibres, on an axis the graph does not have (Honey et al. 2019).
- A conus lesion gives saddle anaesthesia (Ropper 2019; ISNCSCI 2019); an intramedullary one may
  dissociate it, pain and temperature lost with touch kept (Brazis et al. 2011).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import neurograph
from neurograph.errors import InvalidValueError
from neurograph.schema import SEGMENTS

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def rows(name):
    with open(SOURCES / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


DISPUTES = rows("sensory/pathway_disputes.csv")
REFERENCES = {row["key"] for row in rows("references.csv")}


def test_every_disputed_topic_holds_two_references_and_says_which_one_the_graph_follows():
    topics: dict[str, list[dict[str, str]]] = {}
    for row in DISPUTES:
        topics.setdefault(row["topic"], []).append(row)
        assert row["model"] in ("yes", "no"), row
        assert set(row["reference"].split(";")) <= REFERENCES, row
    assert set(topics) == {"lissauer_branches", "spinothalamic_lamination", "conus_sensory_loss"}
    for topic, claims in topics.items():
        assert len({row["reference"] for row in claims}) >= 2, topic
        assert any(row["model"] == "yes" for row in claims), topic


@pytest.mark.parametrize("segment", ["C6", "T6", "L2"])
def test_a_hemisection_takes_no_pain_or_temperature_above_itself(packaged_anatomy, segment):
    # Blumenfeld 2021; Ropper 2019: the contralateral loss begins below the lesion, nothing above
    # it (the model row of lissauer_branches); the descending branches (Gray's) are no route.
    result = neurograph.simulate(packaged_anatomy, f"right half of {segment}")
    level = SEGMENTS.index(segment)
    for side in ("left", "right"):
        for at in SEGMENTS[1:level]:
            if at in ("C1",):
                continue
            finding = result.sensory(f"{side} {at} key point")
            assert (finding.pin_prick, finding.temperature) == (2, 2), (side, at)


LAMINA = {row["cord_region"]: int(row["order_from_midline"]) for row in rows("sensory/tract_lamination.csv")
          if row["tract"] == "spinothalamic"}
REGION = {row["segment"]: row["cord_region"] for row in rows("segments.csv")}


@pytest.mark.parametrize("laminae", [0, 1, 2, 3])
def test_a_central_lesion_takes_the_inner_laminae_below_it_and_spares_the_sacral_fibres(packaged_anatomy, laminae):
    # Gray's; Blumenfeld 2021 (tract_lamination.csv): the laminae taken from the midline are those
    # of the first regions; below the crossing zone (two segments under the lesion: rules.csv)
    # their key points lose pain, the outer regions keep it; the sacral fibres, outermost, are
    # spared while any lamina is left (Schneider 1954; ISNCSCI 2019).
    G = packaged_anatomy
    result = neurograph.simulate(G, neurograph.preset_lesion(G, "central_cord", levels="C4-C6", laminae=str(laminae)))
    below = SEGMENTS.index("C6") + 3
    checked = 0
    for node, data in G.nodes(data=True):
        if data["kind"] != "skin" or not data.get("isncsci_level") or data["side"] != "R":
            continue
        segment = data["segments"].split("|")[0]
        if SEGMENTS.index(segment) < below:
            continue
        region = REGION[segment] if REGION[segment] in LAMINA else "sacral"
        expected = 0 if LAMINA[region] <= laminae else 2
        assert result.sensory(node).pin_prick == expected, (laminae, node)
        checked += 1
    assert checked > 20
    assert result.sensory("right S4-5 key point").pin_prick == result.sensory("left S4-5 key point").pin_prick == 2


def test_an_intramedullary_conus_lesion_dissociates_the_saddle(packaged_anatomy):
    # Brazis 2011 (syndrome_findings.csv, conus_medullaris_central): at S4-5 pain and temperature
    # lost, touch kept or altered (light touch also runs in the dorsal columns), vibration and
    # joint position kept; the legs spared, both sides alike.
    G = packaged_anatomy
    result = neurograph.simulate(G, neurograph.preset_lesion(G, "conus_medullaris", part="central"))
    found = [row for row in rows("sensory/syndrome_findings.csv") if row["syndrome"] == "conus_medullaris_central"]
    assert {row["where"] for row in found} == {"sacral"}
    for row in found:
        for side in ("left", "right"):
            grade = result.sensory(f"{side} S4-5 key point").grades[row["modality"]]
            assert grade in {int(value) for value in row["expected"].split("|")}, (row, side, grade)
    for level in ("L2", "L3", "L4", "L5", "S1"):
        assert set(result.sensory(f"right {level} key point").grades.values()) == {2}, level
    whole = neurograph.simulate(G, neurograph.preset_lesion(G, "conus_medullaris"))
    assert whole.sensory("right S4-5 key point").light_touch == 0


@pytest.mark.parametrize(("preset", "parameters", "named"), [
    ("central_cord", {"laminae": "outer"}, "laminae"),
    ("central_cord", {"laminae": "9"}, "laminae"),
    ("conus_medullaris", {"part": "half"}, "part"),
])
def test_bad_preset_parameters_are_refused_by_name(packaged_anatomy, preset, parameters, named):
    with pytest.raises(InvalidValueError, match=named):
        neurograph.preset_lesion(packaged_anatomy, preset, **parameters)
