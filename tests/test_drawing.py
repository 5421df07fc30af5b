"""Lesion diagrams: readable (no overlapping labels), exported in every format, deterministic."""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pydot  # noqa: E402
import pytest  # noqa: E402

import neurograph  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402
from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import (  # noqa: E402
    dot_available, draw_body_map, draw_lesion, figure_bytes, render_svg, save_figure, to_dot,
)
from neurograph.drawing.body import region_effects  # noqa: E402
from neurograph.drawing.pathway import lesion_figure  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402

TYPICAL = {
    "radial nerve at the spiral groove": lambda G: "right radial nerve at the spiral groove",
    "C7 segment": lambda G: "C7",
    "left internal capsule": lambda G: "left internal capsule",
    "conus medullaris": lambda G: preset_lesion(G, "conus_medullaris"),
    "cauda equina": lambda G: preset_lesion(G, "cauda_equina"),
}


@pytest.fixture(scope="module")
def figures(packaged_anatomy):
    return {name: lesion_figure(packaged_anatomy, simulate(packaged_anatomy, make(packaged_anatomy)))
            for name, make in TYPICAL.items()}


@pytest.mark.parametrize("name", list(TYPICAL))
def test_no_two_labels_overlap(figures, name):
    figure = figures[name]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    labels = [text for text in figure.findobj(matplotlib.text.Text) if (text.get_gid() or "").startswith("label:")]
    assert len(labels) >= 5
    boxes = [(text.get_text(), text.get_window_extent(renderer)) for text in labels]
    overlapping = [
        (a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :]
        if box_a.x0 < box_b.x1 and box_b.x0 < box_a.x1 and box_a.y0 < box_b.y1 and box_b.y0 < box_a.y1
    ]
    assert overlapping == []


def test_labels_stay_inside_the_figure(figures):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = figures["radial nerve at the spiral groove"]
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    width, height = canvas.get_width_height()
    for text in figure.findobj(matplotlib.text.Text):
        if (text.get_gid() or "").startswith("label:"):
            box = text.get_window_extent(canvas.get_renderer())
            assert 0 <= box.x0 and box.x1 <= width and 0 <= box.y0 and box.y1 <= height, text.get_text()


def test_every_drawn_structure_is_classified(packaged_anatomy):
    result = simulate(packaged_anatomy, "right radial nerve at the spiral groove")
    ax = draw_lesion(packaged_anatomy, result)
    assert ax.get_title(loc="left") == "Lesion: radial nerve at the spiral groove (right) (chronic)"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == [
        "lesion site", "UMN-affected", "LMN-affected", "mixed UMN + LMN", "intact", "spared (leaves above the lesion)",
    ]
    labels = {text.get_gid(): text.get_text().replace("\n", " ") for text in ax.findobj(matplotlib.text.Text)
              if (text.get_gid() or "").startswith("label:")}
    assert labels["label:R.radial.spiral_groove"] == "radial nerve at the spiral groove"
    assert labels["label:R.muscle.brachioradialis"] == "brachioradialis"
    assert labels["label:R.muscle.triceps_brachii"] == "triceps brachii (spared)"


def test_draws_into_a_given_axes(packaged_anatomy):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    result = simulate(packaged_anatomy, "left C5 root")
    assert result.plot(ax=ax) is ax
    plt.close(figure)


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".png", b"\x89PNG"), (".pdf", b"%PDF")])
def test_exports_by_extension(figures, tmp_path, suffix, magic):
    target = tmp_path / f"diagram{suffix}"
    save_figure(figures["left internal capsule"], target, dpi=72)
    assert target.read_bytes().startswith(magic)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_png_resolution_follows_dpi(figures, tmp_path):
    import struct

    figure = figures["left internal capsule"]
    for dpi in (50, 100):
        target = tmp_path / f"at{dpi}.png"
        save_figure(figure, target, dpi=dpi)
        width = struct.unpack(">I", target.read_bytes()[16:20])[0]
        assert abs(width - figure.get_size_inches()[0] * dpi) <= 1


def test_bad_extension_and_dpi_are_refused_without_writing(figures, tmp_path):
    with pytest.raises(InvalidValueError, match="invalid output file extension '.jpg'"):
        save_figure(figures["left internal capsule"], tmp_path / "out.jpg")
    with pytest.raises(InvalidValueError, match="invalid dpi 5"):
        save_figure(figures["left internal capsule"], tmp_path / "out.png", dpi=5)
    assert list(tmp_path.iterdir()) == []


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import figure_bytes
from neurograph.drawing.pathway import lesion_figure
G = neurograph.load_anatomy(sys.argv[1] or None)
sys.stdout.buffer.write(figure_bytes(lesion_figure(G, neurograph.simulate(G, "C7")), "svg"))
"""


def test_svg_is_byte_identical_across_runs(packaged_anatomy):
    here = figure_bytes(lesion_figure(packaged_anatomy, simulate(packaged_anatomy, "C7")), "svg")
    again = figure_bytes(lesion_figure(packaged_anatomy, simulate(packaged_anatomy, "C7")), "svg")
    anatomy_file = anatomy_under_test_file() or ""  # the child loads the anatomy under test too
    elsewhere = subprocess.run([sys.executable, "-c", RENDER, anatomy_file], capture_output=True, check=True).stdout
    assert here == again == elsewhere


def test_dot_round_trip_keeps_colours_and_lesion_marks(packaged_anatomy):
    result = simulate(packaged_anatomy, "right radial nerve at the spiral groove")
    (graph,) = pydot.graph_from_dot_data(to_dot(packaged_anatomy, result))
    every = graph.get_nodes() + [node for cluster in graph.get_subgraphs() for node in cluster.get_nodes()]
    nodes = {
        node.get_name().strip('"'): node for node in every
        if node.get_name() not in ("node", "graph", "edge") and not node.get_name().startswith('"legend.')
    }
    lesion = nodes["R.radial.spiral_groove"]
    assert lesion.get("penwidth") == "3" and lesion.get("shape") == "octagon"
    brachioradialis = nodes["R.muscle.brachioradialis"]
    assert brachioradialis.get("color").strip('"') == "#D55E00"
    assert brachioradialis.get("shape") == "invtriangle"
    assert nodes["R.muscle.triceps_brachii"].get("color").strip('"') == "#009E73"
    assert len(graph.get_edges()) >= len(nodes) - 1


def test_the_dot_title_is_the_title_and_the_caption_on_two_lines(packaged_anatomy):
    result = simulate(packaged_anatomy, "C7")
    text = to_dot(packaged_anatomy, result)
    # The graph's own statements, before its first node (pydot reads the whole file far more slowly).
    (graph,) = pydot.graph_from_dot_data(text[:text.index('\n"')] + "\n}")
    assert graph.get_name() == "lesion" and not graph.get_nodes()
    label = graph.get_label()
    # In a DOT string, the two characters backslash-n break the line; an escaped backslash
    # before an n would show a literal "\n" in the title.
    assert "\\\\n" not in label
    title, caption = label.strip('"').split("\\n")
    assert title == f"Lesion: {result.lesion_label} (chronic)"
    # The caption is cut at a word when long: the second line starts as the caption does.
    assert caption.endswith(" ...") and result.caption().startswith(caption[:-4]) and len(caption) <= 120


@pytest.mark.skipif(not dot_available(), reason="the Graphviz dot program is not installed")
def test_dot_renders_with_graphviz(packaged_anatomy):
    svg = render_svg(to_dot(packaged_anatomy, simulate(packaged_anatomy, "C7")))
    assert b"<svg" in svg and b"C7" in svg


def test_body_map_shades_the_weak_regions(packaged_anatomy):
    result = simulate(packaged_anatomy, "left internal capsule")
    effects = region_effects(result)
    assert effects[("R", "hand")][0] == "UMN"
    assert ("L", "hand") not in effects
    ax = draw_body_map(packaged_anatomy, result)
    assert ax.get_title(loc="left") == "Lesion: internal capsule (posterior limb), left (chronic)"
    assert len(ax.patches) > 40


def test_notebook_reprs_share_one_formatter(packaged_anatomy):
    result = simulate(packaged_anatomy, "right median nerve at the carpal tunnel")
    svg = result._repr_svg_()
    html = result._repr_html_()
    assert svg.startswith("<svg")
    assert svg in html
    assert "<table>" in html and "abductor pollicis brevis (right)" in html


def test_one_side_and_chosen_regions(packaged_anatomy):
    result = simulate(packaged_anatomy, "C7")
    whole = lesion_figure(packaged_anatomy, result)
    arm = lesion_figure(packaged_anatomy, result, side="R", regions=("shoulder", "arm", "forearm", "hand"))
    assert arm.get_size_inches()[0] < whole.get_size_inches()[0] * 0.7
    gids = [text.get_gid() for text in arm.findobj(matplotlib.text.Text) if (text.get_gid() or "").startswith("label:")]
    # Of the left half, only the right body's ascending fibres, where they climb after crossing.
    assert gids and all(not gid.startswith("label:L.") or gid.startswith("label:L.ascending.") for gid in gids)
    assert not any("thigh" in gid or "leg" in gid for gid in gids)
    with pytest.raises(InvalidValueError, match="invalid side 'middle'"):
        lesion_figure(packaged_anatomy, result, side="middle")
