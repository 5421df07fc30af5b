"""The cord cross-section: drawn from the graph's tracts and lamination, the lesion shaded where it lies.

Clinical expectations:
- A hemisection (Brown-Sequard) cuts the lateral corticospinal tract, the dorsal columns and the
  spinothalamic tract of its side (Ropper et al. 2019, Adams and Victor's Principles of
  Neurology, ch. 42; Blumenfeld 2021, Neuroanatomy through Clinical Cases, ch. 7).
- Anterior cord syndrome (anterior spinal artery) spares the dorsal columns and takes the
  anterior horns, corticospinal and spinothalamic tracts of both sides (Blumenfeld 2021, ch. 7).
- Posterior cord syndrome takes the dorsal columns alone (Ropper et al. 2019).
- Central cord syndrome takes the central grey matter and the medial (arm) fibres of the
  lateral corticospinal tracts (Schneider et al. 1954; lamination after Gray's Anatomy, 42nd ed.).
- Lamination: sacral fibres lie most medial in the dorsal columns and outermost in the
  spinothalamic tract (Gray's Anatomy, 42nd ed.; Blumenfeld 2021); the fasciculus cuneatus
  exists only from T6 up (Blumenfeld 2021).
- Motor pools: those of the axial muscles lie medially in the anterior horn, those of the limbs
  laterally, the distal limb's (the hand's) dorsolateral to the proximal limb's (Kandel et al.
  2021, Principles of Neural Science, 6th ed., ch. 32); Onuf's nucleus, the pool of the perineal
  sphincters (S2-S4), lies at the ventrolateral margin of the horn (Gray's Anatomy, 42nd ed.).
- The somatotopic lamination of the lateral corticospinal tract is disputed: Levi et al. 1996
  found none in the human tract.
"""

import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402
from test_figures import label_overlaps, svg_text_pixels  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import cross_section_figure, figure_bytes  # noqa: E402
from neurograph.drawing.cross_section import CORD_HEIGHT, cross_section_parts  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402

LESIONS = {
    "left hemisection T10": ("brown_sequard", {"level": "T10", "side": "left"}),
    "left hemisection C6": ("brown_sequard", {"level": "C6", "side": "left"}),
    "central cord": ("central_cord", {}),
    "anterior cord": ("anterior_cord", {}),
    "posterior cord": ("posterior_cord", {}),
    "transection C6": ("transection", {"level": "C6"}),
}


@pytest.fixture(scope="module")
def results(packaged_anatomy):
    return {name: simulate(packaged_anatomy, preset_lesion(packaged_anatomy, preset, **parameters))
            for name, (preset, parameters) in LESIONS.items()}


@pytest.fixture(scope="module")
def svgs(packaged_anatomy, results):
    return {name: figure_bytes(cross_section_figure(packaged_anatomy, result, size="slide"), "svg").decode("utf-8")
            for name, result in results.items()}


def shaded(svg):
    """The parts drawn with the lesion's shading, read from the SVG: (side, tract station) pairs."""
    return {(key.split(".")[0], key.split(".")[1]) for key in re.findall(r'<g id="lesion:([^"]+)"', svg)}


def drawn(svg):
    return {(key.split(".")[0], key.split(".")[1]) for key in re.findall(r'<g id="part:([^"]+)"', svg)}


TRACTS = {"lateral_corticospinal_tract", "dorsal_column", "spinothalamic_tract", "anterior_corticospinal_tract"}


@pytest.mark.parametrize("name", ["left hemisection T10", "left hemisection C6"])
def test_a_left_hemisection_shades_the_left_tracts_only(svgs, name):
    svg = svgs[name]
    for tract in ("lateral_corticospinal_tract", "dorsal_column", "spinothalamic_tract", "anterior_horn"):
        assert ("L", tract) in shaded(svg) and ("R", tract) not in shaded(svg), tract
    assert {side for side, _ in shaded(svg)} == {"L"}
    # The whole left half is shaded, white matter included; the right half is drawn unshaded.
    assert ("L", "half") in shaded(svg) and ("R", "half") not in shaded(svg)
    assert {("R", tract) for tract in ("lateral_corticospinal_tract", "dorsal_column", "spinothalamic_tract")} <= drawn(svg)


def test_anterior_cord_spares_the_dorsal_columns(svgs):
    lesioned = shaded(svgs["anterior cord"])
    for side in ("L", "R"):
        for tract in ("lateral_corticospinal_tract", "spinothalamic_tract", "anterior_corticospinal_tract", "anterior_horn"):
            assert (side, tract) in lesioned, (side, tract)
        assert (side, "dorsal_column") not in lesioned and (side, "dorsal_column") in drawn(svgs["anterior cord"])


def test_posterior_cord_shades_the_dorsal_columns_alone(svgs):
    assert {tract for _, tract in shaded(svgs["posterior cord"])} == {"dorsal_column"}
    assert {side for side, _ in shaded(svgs["posterior cord"])} == {"L", "R"}


def test_central_cord_shades_the_grey_matter_and_the_arm_lamina(svgs, packaged_anatomy, results):
    lesioned = shaded(svgs["central cord"])
    assert {("L", "anterior_horn"), ("R", "anterior_horn")} <= lesioned
    assert not any(tract in ("dorsal_column", "spinothalamic_tract") for _, tract in lesioned)
    parts = {part.key: part for part in cross_section_parts(packaged_anatomy, "C4", results["central cord"])}
    for side in ("L", "R"):
        assert parts[f"{side}.lateral_corticospinal_tract.medial"].lesioned == 1.0
        assert parts[f"{side}.lateral_corticospinal_tract.lateral"].lesioned == 0.0


def test_a_transection_shades_every_tract_of_both_sides(svgs):
    lesioned = shaded(svgs["transection C6"])
    assert {(side, tract) for side in ("L", "R") for tract in TRACTS} <= lesioned
    assert {("L", "half"), ("R", "half")} <= lesioned


def test_lamination_follows_the_tables(packaged_anatomy):
    parts = {part.key: part for part in cross_section_parts(packaged_anatomy, "C6")}

    def from_midline(key):
        xs = [abs(x) for x, _ in parts[key].outline]
        return sum(xs) / len(xs)

    def from_centre(key):
        return sum((x * x + (y / CORD_HEIGHT) ** 2) ** 0.5 for x, y in parts[key].outline) / len(parts[key].outline)

    for side in ("L", "R"):
        assert from_midline(f"{side}.dorsal_column.gracilis.sacral") < from_midline(f"{side}.dorsal_column.gracilis.lumbar")
        assert from_midline(f"{side}.dorsal_column.gracilis.thoracic") < from_midline(f"{side}.dorsal_column.cuneatus.cervical")
        assert from_centre(f"{side}.spinothalamic_tract.sacral") > from_centre(f"{side}.spinothalamic_tract.cervical")
        # The lateral tract's arm fibres lie medial to its leg fibres (Gray's).
        assert from_midline(f"{side}.lateral_corticospinal_tract.medial") < from_midline(f"{side}.lateral_corticospinal_tract.lateral")
    # Each side's parts lie on its own side of the midline: the patient's left on the viewer's left.
    assert all(x <= 0 for x, _ in parts["L.lateral_corticospinal_tract.medial"].outline)


def test_each_segment_draws_the_tracts_that_pass_it(packaged_anatomy):
    def keys(segment):
        return {part.key for part in cross_section_parts(packaged_anatomy, segment) if part.nodes}

    assert any(".cuneatus." in key for key in keys("T4")) and not any(".cuneatus." in key for key in keys("T10"))
    assert "L.anterior_corticospinal_tract" in keys("C6") and "L.anterior_corticospinal_tract" not in keys("L4")


def test_slide_text_and_labels(packaged_anatomy, results, svgs):
    for name, svg in svgs.items():
        width = float(re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).group(1))
        height = float(re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).group(2))
        assert width / height == pytest.approx(16 / 9)
        assert min(svg_text_pixels(svg)) >= 14 - 1e-6, name
    for size in ("free", "slide", "a4"):
        for name in ("left hemisection C6", "anterior cord"):
            assert label_overlaps(cross_section_figure(packaged_anatomy, results[name], size=size)) == [], (name, size)


def test_the_panel_says_what_each_cut_tract_carries(svgs):
    texts = " ".join(" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svgs["left hemisection T10"]))
    # The left spinothalamic tract carries pain and temperature from the right body (it crossed below).
    assert "left spinothalamic tract: light touch, pin prick, temperature, right body below T10" in texts
    assert "left dorsal columns: light touch, vibration, joint position, left body below T10" in texts


def test_segment_and_lesion_without_cord_are_handled(packaged_anatomy, results):
    radial = simulate(packaged_anatomy, "right radial nerve at the spiral groove")
    with pytest.raises(InvalidValueError, match="radial nerve at the spiral groove"):
        cross_section_figure(packaged_anatomy, radial)
    figure = cross_section_figure(packaged_anatomy, radial, segment="C7")
    svg = figure_bytes(figure, "svg").decode("utf-8")
    assert shaded(svg) == set() and ("L", "dorsal_column") in drawn(svg)
    with pytest.raises(InvalidValueError, match="invalid segment 'X9'"):
        cross_section_figure(packaged_anatomy, results["central cord"], segment="X9")


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import cross_section_figure, figure_bytes
G = neurograph.load_anatomy(sys.argv[1] or None)
result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="C6", side="left"))
sys.stdout.buffer.write(figure_bytes(cross_section_figure(G, result, size="slide"), "svg"))
"""


def test_renders_byte_identical(packaged_anatomy, results):
    def render():
        return figure_bytes(cross_section_figure(packaged_anatomy, results["left hemisection C6"], size="slide"), "svg")

    elsewhere = subprocess.run([sys.executable, "-c", RENDER, anatomy_under_test_file() or ""], capture_output=True,
                               check=True).stdout
    assert render() == render() == elsewhere


def test_cli_cross_section(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "central.svg"
    runner = CliRunner()
    outcome = runner.invoke(main, ["render", "--preset", "central_cord", "--figure", "cross-section", "--size", "slide",
                                   "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert "Cord at C4" in target.read_text()
    at_c5 = runner.invoke(main, ["render", "--preset", "central_cord", "--figure", "cross-section", "--segment", "C5",
                                 "--output", str(tmp_path / "c5.svg")])
    assert at_c5.exit_code == 0 and "Cord at C5" in (tmp_path / "c5.svg").read_text()
    bad = runner.invoke(main, ["render", "C7", "--figure", "cross-section", "--segment", "X9", "--output", str(tmp_path / "x.svg")])
    assert bad.exit_code == 1 and bad.output.startswith("Error: ") and "X9" in bad.output
    misplaced = runner.invoke(main, ["render", "C7", "--segment", "C7", "--output", str(tmp_path / "y.svg")])
    assert misplaced.exit_code == 2
    peripheral = runner.invoke(main, ["render", "right radial nerve at the spiral groove", "--figure", "cross-section",
                                      "--output", str(tmp_path / "z.svg")])
    assert peripheral.exit_code == 1 and peripheral.output.startswith("Error: ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c5.svg", "central.svg"]


def pool_centres(packaged_anatomy, segment, side="R"):
    parts = cross_section_parts(packaged_anatomy, segment, simulate(packaged_anatomy, "left radial nerve at the axilla"))
    return {
        part.label.removesuffix(" pool"): (sum(x for x, _ in part.outline) / len(part.outline),
                                           sum(y for _, y in part.outline) / len(part.outline))
        for part in parts if part.system == "pool" and part.side == side
    }


def test_motor_pools_lie_where_the_references_place_them(packaged_anatomy):
    # Kandel 2021: axial pools medial, limb pools lateral, the hand's dorsolateral (dorsal is up).
    c8 = pool_centres(packaged_anatomy, "C8")
    assert {"neck", "hand", "shoulder"} <= set(c8)
    assert c8["neck"][0] < c8["shoulder"][0] < c8["hand"][0]
    assert c8["hand"][1] > c8["shoulder"][1] and c8["hand"][1] > c8["neck"][1]
    # Gray's: Onuf's nucleus (the perineum's pool) lateral to the axial pools and ventral to the distal limb's.
    s2 = pool_centres(packaged_anatomy, "S2")
    assert s2["perineum"][0] > s2["trunk"][0] and s2["perineum"][1] < s2["leg and foot"][1]
    # The left side is the mirror image: medial is towards the midline there too.
    left = pool_centres(packaged_anatomy, "C8", side="L")
    assert left["neck"][0] > left["hand"][0]


def test_the_pool_table_is_what_places_the_pools(packaged_anatomy, monkeypatch):
    from neurograph.drawing import cross_section

    table = cross_section.pool_positions()
    import csv
    from pathlib import Path

    with open(Path(__file__).resolve().parent.parent / "data" / "sources" / "references.csv", newline="") as handle:
        references = {row["key"] for row in csv.DictReader(handle)}
    # Every row cites a listed reference; every area the route table has a pool for is ranked.
    assert {row[2] for row in table.values()} <= references
    from neurograph.routes import route_table

    assert {area for _, area, _ in route_table(packaged_anatomy).pools} <= set(table)
    # Reversing the table's medial-to-lateral ranks reverses the drawn order.
    reversed_table = {area: (10 - ml, vd, source) for area, (ml, vd, source) in table.items()}
    monkeypatch.setattr(cross_section, "pool_positions", lambda: reversed_table)
    c8 = pool_centres(packaged_anatomy, "C8")
    assert c8["hand"][0] < c8["neck"][0]


def test_the_figure_names_the_lamination_dispute_and_the_pools_source(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "central_cord"))
    svg = figure_bytes(cross_section_figure(packaged_anatomy, result, segment="C6", size="a4"), "svg").decode("utf-8")
    words = " ".join(" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg)).split())
    # Levi et al. 1996 dispute the lamination the figure draws after Gray's.
    assert "Lamination of the lateral corticospinal tract as Gray42 gives it; disputed (Levi1996: unlaminated)." in words
    assert "Motor pools, medial to lateral (Kandel2021):" in words
