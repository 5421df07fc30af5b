"""The ascending pathways figure: each tract's route drawn from the graph, with its crossing and the lesion's cut.

Clinical expectations:
- The dorsal columns ascend on the side of the body they serve and cross in the medulla (the
  internal arcuate fibres); the spinothalamic fibres cross in the anterior white commissure
  within a segment or two of their entry (Blumenfeld 2021, Neuroanatomy through Clinical Cases,
  ch. 7; Gray's Anatomy, 42nd ed.).
- So a left hemisection cuts the dorsal columns from the left body and the spinothalamic fibres
  from the right body, and spares the other two (Ropper et al. 2019, ch. 42).
- A thalamic (VPL) sensory stroke cuts both tracts from the opposite half of the body (Fisher 1965).
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
from neurograph.drawing import ascending_figure, figure_bytes  # noqa: E402
from neurograph.drawing.ascending import ascending_routes  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402


@pytest.fixture(scope="module")
def hemisection(packaged_anatomy):
    return simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "brown_sequard", level="T10", side="left"))


def cuts(routes):
    return {(route["side"], route["tract"]): route["cut"] is not None for route in routes}


def test_a_left_hemisection_cuts_the_left_dorsal_columns_and_the_right_spinothalamic_fibres(packaged_anatomy, hemisection):
    routes = ascending_routes(packaged_anatomy, hemisection)
    assert cuts(routes) == {("L", "dorsal_columns"): True, ("L", "spinothalamic"): False,
                            ("R", "dorsal_columns"): False, ("R", "spinothalamic"): True}
    # The right body's spinothalamic fibres are cut on the left of the cord, at T10: they crossed below.
    right = next(route for route in routes if route["side"] == "R" and route["tract"] == "spinothalamic")
    where = packaged_anatomy.nodes[right["nodes"][right["cut"]]]
    assert where["side"] == "L" and where["segment"] == "T10"
    svg = figure_bytes(ascending_figure(packaged_anatomy, hemisection, size="slide"), "svg").decode("utf-8")
    assert set(re.findall(r'<g id="cut:([^"]+)"', svg)) == {"L.dorsal_columns", "R.spinothalamic"}
    assert set(re.findall(r'<g id="lost:([^"]+)"', svg)) == {"L.dorsal_columns", "R.spinothalamic"}


def test_each_tract_crosses_where_the_anatomy_says(packaged_anatomy, hemisection):
    for route in ascending_routes(packaged_anatomy, hemisection):
        sides = [packaged_anatomy.nodes[node]["side"] for node in route["nodes"][1:]]
        crossing = next(index for index, side in enumerate(sides) if side != route["side"])
        station = packaged_anatomy.nodes[route["nodes"][crossing]].get("station")
        assert station == ("internal_arcuate_fibres" if route["tract"] == "dorsal_columns" else "anterior_white_commissure")
        assert set(sides[crossing + 1:]) == {"R" if route["side"] == "L" else "L"}


def test_a_thalamic_stroke_cuts_both_tracts_from_the_opposite_body(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "thalamic_sensory_stroke"))
    routes = ascending_routes(packaged_anatomy, result)
    assert cuts(routes) == {("L", "dorsal_columns"): False, ("L", "spinothalamic"): False,
                            ("R", "dorsal_columns"): True, ("R", "spinothalamic"): True}
    for route in routes:
        if route["cut"] is not None:
            assert packaged_anatomy.nodes[route["nodes"][route["cut"]]]["station"] == "vpl_thalamus"


def test_slide_text_labels_and_sizes(packaged_anatomy, hemisection):
    svg = figure_bytes(ascending_figure(packaged_anatomy, hemisection, size="slide"), "svg").decode("utf-8")
    assert min(svg_text_pixels(svg)) >= 14 - 1e-6
    for size in ("free", "slide", "a4"):
        assert label_overlaps(ascending_figure(packaged_anatomy, hemisection, size=size)) == []
    assert [round(float(v), 2) for v in ascending_figure(packaged_anatomy, hemisection, size="a4").get_size_inches()] == [11.69, 8.27]


def test_a_result_without_sensory_loss_is_refused(packaged_anatomy):
    with pytest.raises(InvalidValueError, match="alters sensation"):
        ascending_figure(packaged_anatomy, simulate(packaged_anatomy, "C7", sensation=False))


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import ascending_figure, figure_bytes
G = neurograph.load_anatomy(sys.argv[1] or None)
result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
sys.stdout.buffer.write(figure_bytes(ascending_figure(G, result, size="slide"), "svg"))
"""


def test_renders_byte_identical(packaged_anatomy, hemisection):
    def render():
        return figure_bytes(ascending_figure(packaged_anatomy, hemisection, size="slide"), "svg")

    elsewhere = subprocess.run([sys.executable, "-c", RENDER, anatomy_under_test_file() or ""], capture_output=True,
                               check=True).stdout
    assert render() == render() == elsewhere


def test_cli_ascending(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "bs.svg"
    outcome = CliRunner().invoke(main, ["render", "--preset", "brown_sequard", "--figure", "ascending", "--size", "slide",
                                        "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    assert "Ascending pathways" in target.read_text()
