"""Figure sizes and the reworked pathway diagram, checked from the figures' own output.

Clinical expectations:
- A radial nerve lesion at the spiral groove spares triceps: its branches leave the nerve in
  the axilla, above the groove (Preston & Shapiro 2020, "Radial neuropathy").
- An upper trunk (Erb) lesion weakens the muscles of the suprascapular, musculocutaneous and
  axillary nerves and spares the dorsal scapular and long thoracic nerves, which leave the C5-C7
  roots before the trunk (Gray's Anatomy, 42nd ed.; Preston & Shapiro 2020, "Brachial plexopathy").
- A T10 hemisection leaves the roots and intercostal nerves of T1-T9 intact: they leave the
  cord above the lesion (Ropper et al. 2019, Adams and Victor's Principles of Neurology, ch. 42).
- Ascending tracts (Ropper et al. 2019; Blumenfeld 2021, ch. 7): the dorsal columns climb on the
  side of the body they serve and cross in the medulla (internal arcuate fibres, to the medial
  lemniscus); the spinothalamic fibres cross in the anterior white commissure near their entry.
  A left hemisection therefore cuts the left body's dorsal-column fibres and the right body's
  spinothalamic fibres (which climb on the left), sparing the left body's spinothalamic and the
  right body's dorsal-column fibres; a posterior cord lesion cuts the dorsal columns of both
  sides and spares the spinothalamic tracts.
"""

import re
import shutil
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from conftest import anatomy_under_test_file  # noqa: E402

from neurograph import preset_lesion, simulate  # noqa: E402
from neurograph.drawing import body_map_figure, figure_bytes, lesion_figure, plexus_figure, to_dot  # noqa: E402
from neurograph.drawing.layout import lesion_layout  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402

LESIONS = {
    "radial nerve at the spiral groove": lambda G: "right radial nerve at the spiral groove",
    "C7 segment": lambda G: "C7",
    "left internal capsule": lambda G: "left internal capsule",
    "T10 hemisection": lambda G: preset_lesion(G, "brown_sequard", level="T10", side="left"),
    "upper trunk": lambda G: preset_lesion(G, "erb"),
    "cauda equina": lambda G: preset_lesion(G, "cauda_equina"),
}
KINDS = {"pathway": lesion_figure, "body map": body_map_figure, "plexus": plexus_figure}


@pytest.fixture(scope="module")
def results(packaged_anatomy):
    return {name: simulate(packaged_anatomy, make(packaged_anatomy)) for name, make in LESIONS.items()}


@pytest.fixture(scope="module")
def drawn(packaged_anatomy, results):
    """``drawn(kind, lesion name, size)``: each figure drawn once per module (tests only read it)."""
    figures = {}

    def draw(kind, name, size):
        if (kind, name, size) not in figures:
            figures[kind, name, size] = KINDS[kind](packaged_anatomy, results[name], size=size)
        return figures[kind, name, size]

    return draw


@pytest.fixture(scope="module")
def svg_of(drawn):
    """``svg_of(kind, lesion name, size)``: the SVG text of :func:`drawn`'s figure, written once per module."""
    written = {}

    def write(kind, name, size):
        if (kind, name, size) not in written:
            written[kind, name, size] = figure_bytes(drawn(kind, name, size), "svg").decode("utf-8")
        return written[kind, name, size]

    return write


def svg_text_pixels(svg, screen_width=1920):
    """Every text's font size in pixels when the SVG is shown ``screen_width`` pixels wide."""
    width = float(re.search(r'viewBox="0 0 ([\d.]+) ', svg).group(1))
    return [float(size) * screen_width / width for size in re.findall(r"font-size: ([\d.]+)px", svg)]


def label_overlaps(figure):
    """Pairs of diagram labels whose rendered boxes overlap."""
    # Laid out as for a file (an equal-aspect axes takes its place only then), without painting pixels.
    figure.draw_without_rendering()
    boxes = [(text.get_text(), text.get_window_extent()) for text in diagram_labels(figure)]
    return [
        (a, b) for i, (a, box_a) in enumerate(boxes) for b, box_b in boxes[i + 1 :]
        if box_a.x0 < box_b.x1 and box_b.x0 < box_a.x1 and box_a.y0 < box_b.y1 and box_b.y0 < box_a.y1
    ]


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", list(LESIONS))
def test_slide_figures_are_16_9_with_every_text_at_least_14_pixels(drawn, svg_of, kind, name):
    width, height = drawn(kind, name, "slide").get_size_inches()
    assert width / height == pytest.approx(16 / 9)
    sizes = svg_text_pixels(svg_of(kind, name, "slide"))
    assert len(sizes) >= 5
    assert min(sizes) >= 14 - 1e-6


def test_a_crowded_slide_draws_each_nerve_once(drawn):
    # The bilateral cauda equina fits a slide by drawing each unlesioned nerve as one node.
    figure = drawn("pathway", "cauda equina", "slide")
    gids = {text.get_gid() for text in diagram_labels(figure)}
    assert "label:R.nerve.tibial" in gids and not any(gid.startswith("label:R.tibial.") for gid in gids)
    assert "label:R.tibial.ankle" in {
        text.get_gid() for text in diagram_labels(drawn("pathway", "cauda equina", "a4"))
    }


def drawn_lines(figure):
    """Every straight piece of line drawn in the figure's axes: its line's gid (one per piece), and its points in
    display pixels (a point every half pixel or less, ends included) with the number of the piece each is on."""
    import numpy as np

    gids, starts, ends = [], [], []
    for ax in figure.axes:
        polylines = [(None, collection.get_transform().transform(np.asarray(path)))
                     for collection in ax.collections if isinstance(collection, matplotlib.collections.LineCollection)
                     for path in collection.get_segments()]
        polylines += [(line.get_gid(), line.get_transform().transform(line.get_xydata())) for line in ax.lines]
        for gid, points in polylines:
            gids += [gid] * (len(points) - 1)
            starts.append(points[:-1])
            ends.append(points[1:])
    if not gids:
        return [], np.zeros(0, dtype=int), np.zeros((0, 2))
    start, end = np.concatenate(starts), np.concatenate(ends)
    steps = np.maximum(2, (np.hypot(*(end - start).T) * 2).astype(int) + 1)
    owner = np.repeat(np.arange(len(gids)), steps)
    # Each point's place along its piece, 0 to 1 (as numpy.linspace(0, 1, steps) gives it).
    first = np.cumsum(steps) - steps
    fraction = (np.arange(len(owner)) - first[owner]) / (steps[owner] - 1)
    return gids, owner, start[owner] + (end - start)[owner] * fraction[:, None]


def diagram_labels(figure):
    """The diagram's labels (texts with a ``label:`` gid) of every axes of ``figure``.

    Read from the axes' texts: searching the whole figure (``findobj``) would make every axis's ticks.
    """
    return [text for ax in figure.axes for text in ax.texts if (text.get_gid() or "").startswith("label:")]


def label_collisions(figure):
    """Labels whose rendered box a drawn line crosses (other than the label's own leader line), and overlapping labels."""
    import numpy as np

    from matplotlib.backends.backend_agg import RendererAgg

    # Measured, not drawn: every label and line already stands where the figure shows it (the axes and
    # their limits are fixed before the labels are placed), and a label's box is its text measured at the
    # figure's resolution, as a file's drawing would measure it.
    width, height = figure.get_size_inches()
    renderer = RendererAgg(int(width * figure.dpi) + 1, int(height * figure.dpi) + 1, figure.dpi)
    boxes = [(text.get_gid(), text.get_window_extent(renderer)) for text in diagram_labels(figure)]
    assert boxes
    gids, owner, points = drawn_lines(figure)
    assert gids
    # Every line's points in one array sorted across, each with its piece's number: a box looks at the
    # points within its own width only.
    order = np.argsort(points[:, 0], kind="stable")
    owner, points = owner[order], points[order]
    crossed = []
    for gid, box in boxes:
        # Half a pixel in from the box's edge: a line may touch a label, never run into it.
        x0, y0, x1, y1 = box.x0 + 0.5, box.y0 + 0.5, box.x1 - 0.5, box.y1 - 0.5
        start, end = np.searchsorted(points[:, 0], x0, side="right"), np.searchsorted(points[:, 0], x1, side="left")
        within = points[start:end, 1]
        numbers = [number for number in np.unique(owner[start:end][(within > y0) & (within < y1)])
                   if gids[number] != f"leader:{gid}"]
        if numbers:
            crossed.append((gid, gids[numbers[0]] or "edge"))
    # Pairs of boxes overlapping, in the order of the labels (the first's, then the second's).
    x0, y0, x1, y1 = np.array([box.extents for _, box in boxes]).T
    first, second = np.nonzero(np.triu((x0[:, None] < x1) & (x0 < x1[:, None]) & (y0[:, None] < y1) & (y0 < y1[:, None]), 1))
    overlapping = [(boxes[i][0], boxes[j][0]) for i, j in zip(first.tolist(), second.tolist())]
    return crossed, overlapping


@pytest.mark.parametrize("size", ["slide", "a4"])
@pytest.mark.parametrize("name", list(LESIONS))
def test_pathway_labels_are_laid_out_clear_of_every_line_and_label(drawn, name, size):
    figure = drawn("pathway", name, size)
    # No white ground hides what is beneath a label: the placement alone keeps lines out of it.
    assert not any(text.get_bbox_patch() for text in diagram_labels(figure))
    assert label_collisions(figure) == ([], [])


@pytest.mark.parametrize("size", ["free", "slide"])
def test_the_body_map_shows_front_and_back_with_a_complete_legend(svg_of, size):
    from neurograph.drawing.style import EFFECT_STYLES

    svg = svg_of("body map", "T10 hemisection", size)
    texts = " ".join(" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert {"front", "back"} <= set(texts.split())
    # Every deficit class with its hatch, the intact regions, and what shading means.
    for effect, hatch in (("UMN", "rising"), ("LMN", "falling"), ("mixed", "crossed")):
        assert f"{EFFECT_STYLES[effect]['label']} (hatch {hatch})" in texts
    assert EFFECT_STYLES["intact"]["label"] in texts
    assert "the darker a region, the weaker its weakest muscle" in texts
    # Both views are drawn: a region of each view and side has its own patch.
    for view in ("front", "back"):
        for side in ("L", "R"):
            assert f'id="region:{view}.{side}.thigh"' in svg


def cord_column(figure, G):
    """The pathway diagram's cord column: each cord segment's fill colour, read from the drawn column."""
    from neurograph.schema import segment_index

    (column,) = figure.axes[0].child_axes
    segments = sorted({data["segment"] for _, data in G.nodes(data=True) if data.get("segment")}, key=segment_index)
    assert len(column.patches) == len(segments)
    return {segment: matplotlib.colors.to_hex(patch.get_facecolor()) for segment, patch in zip(segments, column.patches)}


def test_the_cord_column_marks_the_lesioned_and_the_carried_segments(packaged_anatomy, drawn):
    from neurograph.drawing.style import EFFECT_STYLES

    orange = matplotlib.colors.to_hex(EFFECT_STYLES["LMN"]["color"])
    c7 = cord_column(drawn("pathway", "C7 segment", "slide"), packaged_anatomy)
    assert [segment for segment, face in c7.items() if face == "#000000"] == ["C7"]
    # The radial nerve carries fibres of C5-T1 (Gray's Anatomy, 42nd ed.): those segments are
    # marked as carried, none lesioned.
    radial = cord_column(drawn("pathway", "radial nerve at the spiral groove", "slide"), packaged_anatomy)
    carried = {segment for segment, face in radial.items() if face == orange}
    assert {"C6", "C7", "C8"} <= carried <= {"C5", "C6", "C7", "C8", "T1"}
    assert "#000000" not in radial.values()


def test_the_lumbosacral_schematic_of_a_cauda_equina_lesion(svg_of):
    # The L3-S5 roots cut: the sciatic (L4-S3) and pudendal (S2-S4) nerves affected, the
    # iliohypogastric (L1) spared (Gray's Anatomy, 42nd ed.; Preston & Shapiro 2020).
    svg = svg_of("plexus", "cauda equina", "slide")
    texts = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert any(text.startswith("Lumbosacral plexus") for text in texts)
    affected, spared = texts.index("Affected branches (muscle, MRC grade)"), texts.index("Spared branches")
    listed_affected, listed_spared = " ".join(texts[affected:spared]), " ".join(texts[spared:])
    for nerve in ("sciatic nerve", "pudendal nerve"):
        assert nerve in listed_affected and nerve not in listed_spared
    assert "iliohypogastric nerve" in listed_spared and "iliohypogastric nerve" not in listed_affected
    for root in ("L1", "L3", "S1", "S4"):
        assert f'id="label:R.ramus.{root}"' in svg


def test_a4_is_a_landscape_page(drawn):
    for kind in KINDS:
        assert [round(v, 2) for v in drawn(kind, "C7 segment", "a4").get_size_inches()] == [11.69, 8.27]


def test_an_unknown_size_is_refused(packaged_anatomy, results):
    for make in KINDS.values():
        with pytest.raises(InvalidValueError, match="invalid figure size 'poster'"):
            make(packaged_anatomy, results["C7 segment"], size="poster")


RENDER = """
import matplotlib; matplotlib.use("Agg")
import sys, neurograph
from neurograph.drawing import body_map_figure, figure_bytes, lesion_figure, limb_map_figure, plexus_figure, to_dot
G = neurograph.load_anatomy(sys.argv[1] or None)
make = {"pathway": lesion_figure, "body map": body_map_figure, "plexus": plexus_figure, "limb map": limb_map_figure}
for lesion, kind, size in zip(sys.argv[2::3], sys.argv[3::3], sys.argv[4::3]):
    preset = lesion.removeprefix("preset ")
    result = neurograph.simulate(G, neurograph.preset_lesion(G, preset) if preset != lesion else lesion)
    out = to_dot(G, result).encode("utf-8") if kind == "dot" else figure_bytes(make[kind](G, result, size=size), "svg")
    sys.stdout.buffer.write(b"%d\\n" % len(out) + out)
"""
#: Figures rendered here and in a fresh process: every kind for the C7 lesion, and the most crowded slide
#: (a lesion of many structures: the order of a set of them changes with the process's string hashing).
RENDERED = [("C7", kind, size) for kind, size in (
    ("pathway", "slide"), ("pathway", "a4"), ("body map", "free"), ("body map", "slide"), ("plexus", "slide"),
    ("limb map", "slide"), ("dot", "free"),
)] + [("preset als", "pathway", "slide")]


@pytest.fixture(scope="module")
def rendered_elsewhere():
    """Each of RENDERED, rendered in one fresh process whose string hashing differs from this one's."""
    import os

    anatomy_file = anatomy_under_test_file() or ""  # the child loads the anatomy under test too
    arguments = [word for case in RENDERED for word in case]
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    out = subprocess.run([sys.executable, "-c", RENDER, anatomy_file, *arguments], capture_output=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": seed}).stdout
    found = {}
    for case in RENDERED:
        length, out = out.split(b"\n", 1)
        found[case], out = out[:int(length)], out[int(length):]
    assert out == b""
    return found


@pytest.mark.parametrize("lesion, kind, size", RENDERED)
def test_every_figure_kind_renders_byte_identical(packaged_anatomy, results, preset_figure, svg_of, rendered_elsewhere,
                                                  lesion, kind, size):
    from neurograph.drawing import limb_map_figure

    preset = lesion.removeprefix("preset ")
    result = results["C7 segment"] if preset == lesion else preset_figure.results[preset]

    def render():
        if kind == "dot":
            return to_dot(packaged_anatomy, result).encode("utf-8")
        make = limb_map_figure if kind == "limb map" else KINDS[kind]
        return figure_bytes(make(packaged_anatomy, result, size=size), "svg")

    # The figure the module's other tests drew (earlier, among other figures), where there is one, else a first render.
    if preset != lesion:
        first = figure_bytes(preset_figure(preset, size), "svg")
    elif kind in KINDS:
        first = svg_of(kind, "C7 segment", size).encode("utf-8")
    else:
        first = render()
    assert render() == first == rendered_elsewhere[lesion, kind, size]


@pytest.mark.parametrize("size", ["free", "slide", "a4"])
def test_radial_diagram_shows_the_triceps_branches_spared(svg_of, size):
    svg = svg_of("pathway", "radial nerve at the spiral groove", size)
    # The label's group holds its white ground, then its lines of text: up to the next label.
    label = re.search(r'<g id="label:R\.muscle\.triceps_brachii">(.*?)(?=<g id="label:|\Z)', svg, re.S)
    assert label is not None
    words = " ".join(re.findall(r">\s*([^<>]+?)\s*<", label.group(1)))
    assert "triceps brachii" in words and "(spared)" in words
    # Drawn in the spared colour, and the legend says what it means.
    assert "#00684c" in label.group(1).lower()
    assert "spared (leaves above the lesion)" in svg


def test_spared_branches_leave_above_the_lesion(packaged_anatomy, results):
    shown = lesion_layout(packaged_anatomy, results["radial nerve at the spiral groove"]).graph
    assert shown.nodes["R.muscle.triceps_brachii"]["effect"] == "spared"
    assert shown.edges["R.radial.axilla", "R.muscle.triceps_brachii"]["effect"] == "spared"
    assert shown.edges["R.radial.spiral_groove", "R.radial.above_elbow"]["effect"] == "LMN"
    # The fibres reaching the lesion are not yet cut.
    assert shown.edges["R.radial.axilla", "R.radial.spiral_groove"]["effect"] == "intact"


def test_edges_take_the_state_of_the_fibres_they_carry(packaged_anatomy, results):
    shown = lesion_layout(packaged_anatomy, results["T10 hemisection"]).graph
    intercostal = [
        (a, b) for a, b in shown.edges
        if packaged_anatomy.nodes.get(a, {}).get("kind") == "nerve" and "intercostal" in shown.nodes[a]["label"]
    ]
    above = [(a, b) for a, b in intercostal if shown.nodes[a]["y"] < shown.nodes["L.cord.T10"]["y"]]
    assert len(above) >= 8
    assert {shown.edges[edge]["effect"] for edge in above} == {"intact"}
    at_level = [(a, b) for a, b in intercostal if "T10" in shown.nodes[a]["label"]]
    assert at_level and {shown.edges[edge]["effect"] for edge in at_level} == {"LMN"}


def test_a_lesioned_cord_part_of_the_accessory_nucleus_is_drawn_as_its_nucleus(packaged_anatomy):
    """The spinal accessory nucleus lies in the anterior horn of C1-C5 (Gray42; Blumenfeld2021 ch. 12):
    a lesion of its C3 part is a lesion of the nucleus, not of a point on the nerve, and its muscles
    lose lower motor neurons."""
    result = simulate(packaged_anatomy, "right spinal accessory nucleus at C3")
    shown = lesion_layout(packaged_anatomy, result).graph
    assert shown.nodes["R.nucleus.spinal_accessory"]["effect"] == "lesion"
    assert "R.nucleus.spinal_accessory.C3" not in shown
    nerve_rows = [node for node, data in shown.nodes(data=True) if data.get("column") == "nerve"]
    assert nerve_rows and {shown.nodes[node]["effect"] for node in nerve_rows} == {"LMN"}
    assert {shown.nodes[m]["effect"] for m in ("R.muscle.sternocleidomastoid", "R.muscle.trapezius")} == {"LMN"}


def test_one_sided_lesions_use_the_whole_width(packaged_anatomy, results):
    for name, ascending in (("radial nerve at the spiral groove", None), ("T10 hemisection", False), ("upper trunk", None)):
        display = lesion_layout(packaged_anatomy, results[name], ascending=ascending)
        assert display.one_side in ("L", "R")
        assert min(data["x"] for _, data in display.graph.nodes(data=True)) >= 0
    assert lesion_layout(packaged_anatomy, results["C7 segment"]).one_side is None
    # A hemisection's sensory loss is on both sides (Ropper et al. 2019): with its ascending tracts it draws both.
    assert lesion_layout(packaged_anatomy, results["T10 hemisection"]).one_side is None


def test_c7_fits_a_slide_by_grouping_with_full_detail_on_a4(drawn):
    def labels(size):
        figure = drawn("pathway", "C7 segment", size)
        return {text.get_gid()[len("label:"):]: text.get_fontsize() for text in figure.findobj(matplotlib.text.Text)
                if (text.get_gid() or "").startswith("label:")}

    slide, a4 = labels("slide"), labels("a4")
    # The sides are alike: one side is drawn, the other is its mirror image. Of the left half only
    # the right body's ascending fibres are drawn, where they climb after crossing: the
    # spinothalamic lane of the left cord and the left brain's stations, no left root or dorsal column.
    for drawn in (slide, a4):
        left = {key for key in drawn if key.startswith("L.")}
        assert all(key.startswith("L.ascending.") for key in left)
        assert not any(".dorsal_column." in key or ".root." in key for key in left)
    # The slide groups the plexus; the A4 page keeps every trunk, division and cord.
    plexus = {"R.bp.upper_trunk", "R.bp.middle_trunk.anterior", "R.bp.lateral_cord", "R.bp.posterior_cord"}
    assert plexus <= set(a4) and not plexus & set(slide)
    assert len(a4) > len(slide)
    # Drawn at one side, a printed page keeps its text readable (at least 5.5 pt; both sides would be 2.9 pt).
    assert min(a4.values()) >= 5.5


def test_cli_size_option(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "c7.svg"
    outcome = CliRunner().invoke(main, ["render", "C7", "--size", "slide", "--output", str(target)])
    assert outcome.exit_code == 0, outcome.output
    svg = target.read_text()
    assert 'width="960pt" height="540pt"' in svg and min(svg_text_pixels(svg)) >= 14 - 1e-6
    refused = CliRunner().invoke(main, ["render", "C7", "--size", "poster", "--output", str(tmp_path / "x.svg")])
    assert refused.exit_code == 2 and not (tmp_path / "x.svg").exists()


@pytest.mark.parametrize("size", ["free", "slide", "a4"])
@pytest.mark.parametrize("name", ["upper trunk", "C7 segment", "radial nerve at the spiral groove", "cauda equina"])
def test_plexus_labels_are_laid_out_clear_of_every_line_and_label(drawn, name, size):
    figure = drawn("plexus", name, size)
    # As in the pathway diagram, no white ground hides a line: the placement alone keeps lines out of the labels.
    labels = [text for text in figure.findobj(matplotlib.text.Text) if (text.get_gid() or "").startswith("label:")]
    assert len(labels) >= 20 and not any(text.get_bbox_patch() for text in labels)
    assert label_collisions(figure) == ([], [])


def test_upper_trunk_plexus_schematic(svg_of):
    svg = svg_of("plexus", "upper trunk", "slide")
    texts = [" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]
    for column in ("roots", "trunks", "divisions", "cords"):
        assert column in texts
    affected = texts.index("Affected branches (muscle, MRC grade)")
    spared = texts.index("Spared branches")
    listed_affected = " ".join(texts[affected:spared])
    listed_spared = " ".join(texts[spared:])
    for nerve in ("suprascapular nerve", "musculocutaneous nerve", "axillary nerve"):
        assert nerve in listed_affected and nerve not in listed_spared
    for nerve in ("dorsal scapular nerve", "long thoracic nerve"):
        assert nerve in listed_spared and nerve not in listed_affected
    assert "supraspinatus 0" in listed_affected
    # The lesion is marked on the upper trunk itself, in bold.
    label = re.search(r'<g id="label:R\.bp\.upper_trunk">(.*?)(?=<g id="label:|\Z)', svg, re.S).group(1)
    assert "upper trunk" in label and "font-weight: 700" in label


def test_root_and_trunk_branches_are_named_where_they_leave(packaged_anatomy, results):
    from neurograph.drawing.plexus import plexus_layout

    place, _ = plexus_layout(packaged_anatomy, "brachial", "R")
    column = {node: x for node, (x, _, _) in place.items()}
    # Gray's: the dorsal scapular and long thoracic nerves leave the roots, the suprascapular
    # nerve the upper trunk; they are drawn beside their origin, not with the cords' branches.
    for branch, origin, after in (("R.dorsal_scapular", "R.ramus.C5", "R.bp.upper_trunk"),
                                  ("R.long_thoracic", "R.ramus.C7", "R.bp.upper_trunk"),
                                  ("R.suprascapular", "R.bp.upper_trunk", "R.bp.upper_trunk.anterior")):
        assert column[origin] < column[branch] < column[after], branch
    assert column["R.musculocutaneous"] > column["R.bp.lateral_cord"]
    # Stubs stand above (or below) the plexus, one row each.
    stubs = [place[node][1] for node in ("R.dorsal_scapular", "R.long_thoracic", "R.suprascapular", "R.phrenic")]
    assert len(set(stubs)) == len(stubs) and max(stubs) < place["R.ramus.C5"][1]


def test_a_variant_anatomy_draws_its_own_plexus(packaged_anatomy):
    from neurograph.drawing.plexus import plexus_layout

    variant = packaged_anatomy.copy()
    # A plexus without a middle trunk: C7 joins the upper trunk (a prefixed-like variant).
    variant.remove_nodes_from(["R.bp.middle_trunk", "R.bp.middle_trunk.anterior", "R.bp.middle_trunk.posterior"])
    variant.add_edge("R.ramus.C7", "R.bp.upper_trunk")
    place, edges = plexus_layout(variant, "brachial", "R")
    assert "R.bp.middle_trunk" not in place
    assert {a for a, b in edges if b == "R.bp.upper_trunk"} == {"R.ramus.C5", "R.ramus.C6", "R.ramus.C7"}
    stock, _ = plexus_layout(packaged_anatomy, "brachial", "R")
    assert "R.bp.middle_trunk" in stock
    with pytest.raises(InvalidValueError, match="invalid plexus 'cervical'"):
        plexus_layout(packaged_anatomy, "cervical", "R")


def dot_graph(text):
    import pydot

    (graph,) = pydot.graph_from_dot_data(text)
    return graph


@pytest.fixture(scope="module")
def c7_dot(packaged_anatomy, results):
    """The C7 lesion's DOT export as pydot reads it (its parser takes seconds: once per module)."""
    return dot_graph(to_dot(packaged_anatomy, results["C7 segment"]))


def test_dot_sides_are_labelled_clusters_and_a_legend_shows_every_class(c7_dot):
    graph = c7_dot
    clusters = {sub.get_name(): sub for sub in graph.get_subgraphs()}
    assert clusters["cluster_side_L"].get_label() == '"left side"'
    assert clusters["cluster_side_R"].get_label() == '"right side"'
    left = {node.get_name().strip('"') for node in clusters["cluster_side_L"].get_nodes()}
    right = {node.get_name().strip('"') for node in clusters["cluster_side_R"].get_nodes()}
    assert "L.root.C7" in left and "R.root.C7" in right and not {k for k in left if k.startswith("R.")}
    legend = [node.get("label").strip('"') for node in clusters["cluster_legend"].get_nodes()]
    assert legend == ["lesion site", "UMN-affected", "LMN-affected", "mixed UMN + LMN", "intact"]


def test_dot_title_has_at_most_two_lines(packaged_anatomy, results):
    for result in results.values():
        text = to_dot(packaged_anatomy, result)
        # The graph's own statements, before its first node (pydot reads the whole file far more slowly).
        header = dot_graph(text[:text.index('\n"')] + "\n}")
        assert header.get_name() == "lesion" and not header.get_nodes()
        label = header.get_label().strip('"')
        assert 1 <= len(label.split("\\n")) <= 2 and all(len(line) <= 120 for line in label.split("\\n"))


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is not installed")
def test_graphviz_renders_the_sides_and_the_legend(packaged_anatomy, results):
    from neurograph.drawing import render_svg

    import html

    svg = html.unescape(render_svg(to_dot(packaged_anatomy, results["T10 hemisection"])).decode("utf-8"))
    for text in ("left side", "legend", "UMN-affected", "intact", "Lesion: T10 cord segment, left (chronic)"):
        assert f">{text}<" in svg


def test_dot_cord_columns_name_their_side_and_are_held_apart(c7_dot):
    graph = c7_dot
    # The cord segments stand between the side clusters, in same-rank rows of their own.
    for side, word in (("L", "left"), ("R", "right")):
        cord = {node.get_name().strip('"'): node for node in graph.get_nodes() if node.get_name().startswith(f'"{side}.cord.')}
        assert {node.get("label").strip('"') for node in cord.values()} >= {f"C7 ({word})", f"T1 ({word})"}
        assert {node.get("group").strip('"') for node in cord.values()} == {f"cord_{side}"}
        # The column is chained top to bottom by invisible edges, in segment order.
        chain = [(e.get_source().strip('"'), e.get_destination().strip('"')) for e in graph.get_edges() if e.get("style") == "invis"]
        assert (f"{side}.cord.C7", f"{side}.cord.C8") in chain and (f"{side}.cord.C8", f"{side}.cord.T1") in chain
    rows = {sub.get_name(): sub for sub in graph.get_subgraphs() if sub.get("rank") == "same"}
    assert [node.get_name().strip('"') for node in rows["rank_C7"].get_nodes()] == ["L.cord.C7", "R.cord.C7"]


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is not installed")
@pytest.mark.parametrize("name", ["C7 segment", "cauda equina", "left internal capsule"])
def test_graphviz_lays_the_cord_columns_out_apart_and_unbraided(packaged_anatomy, results, name):
    from neurograph.schema import segment_index

    plain = subprocess.run(["dot", "-Tplain"], input=to_dot(packaged_anatomy, results[name]).encode("utf-8"),
                           capture_output=True, check=True, timeout=120).stdout.decode("utf-8")
    place = {}
    for line in plain.splitlines():
        fields = line.split()
        if fields[0] == "node" and re.match(r'"?[LR]\.cord\.', fields[1]):
            place[fields[1].strip('"')] = (float(fields[2]), float(fields[3]))
    left = {key[len("L.cord."):]: xy for key, xy in place.items() if key.startswith("L.")}
    right = {key[len("R.cord."):]: xy for key, xy in place.items() if key.startswith("R.")}
    assert left and right
    # Every left segment lies left of every right one: the columns never cross.
    assert max(x for x, _ in left.values()) < min(x for x, _ in right.values())
    for column in (left, right):
        order = sorted(column, key=segment_index)
        # Each column runs down in segment order (Graphviz's y grows upwards) on one vertical line.
        assert all(column[a][1] > column[b][1] for a, b in zip(order, order[1:]))
        assert len({round(x, 3) for x, _ in column.values()}) == 1


def ascending_edges(shown):
    """Each drawn ascending edge: (tract, body side of its skin, from, to, effect), the body side read from the route's root."""
    found = []
    for a, b, data in shown.edges(data=True):
        if data.get("tract"):
            found.append((data["tract"], a, b, data["effect"]))
    return found


def routes_from(shown, root_key):
    """The drawn ascending edges reachable from a skin place's root node, by tract."""
    import networkx as nx

    reach = nx.descendants(shown, root_key) | {root_key}
    return [(tract, a, b, effect) for tract, a, b, effect in ascending_edges(shown) if a in reach]


def test_a_hemisection_draws_the_ascending_tracts_with_their_crossings_and_state(packaged_anatomy, results):
    shown = lesion_layout(packaged_anatomy, results["T10 hemisection"]).graph
    roots = sorted(key for key in shown if ".ascending.root." in key)
    assert {key[0] for key in roots} == {"L", "R"}
    for root in roots:
        body = root[0]
        x_sign = -1 if body == "L" else 1
        edges = routes_from(shown, root)
        dorsal = [e for e in edges if e[0] == "dorsal_columns" and ".dorsal_column." in e[1] + e[2]]
        spinothalamic = [e for e in edges if e[0] == "spinothalamic" and ".spinothalamic_tract." in e[1] + e[2]]
        # In the cord the dorsal columns climb on the body's side, the spinothalamic tract on the other.
        assert dorsal and all(shown.nodes[b]["x"] * x_sign > 0 for _, a, b, _ in dorsal)
        assert spinothalamic and all(shown.nodes[b]["x"] * x_sign < 0 for _, a, b, _ in spinothalamic)
        # Crossings: the root's spinothalamic edge crosses the midline; the dorsal columns cross above the cord.
        assert any(a == root and shown.nodes[b]["x"] * x_sign < 0 for tract, a, b, _ in edges if tract == "spinothalamic")
        lemniscus = [(a, b) for tract, a, b, _ in edges if b.endswith("medial_lemniscus")]
        assert lemniscus and all(shown.nodes[a]["x"] * x_sign > 0 > shown.nodes[b]["x"] * x_sign for a, b in lemniscus)
        lost = {tract for tract, a, b, effect in edges if effect == "no_signal"}
        # The left hemisection cuts the left body's dorsal columns and the right body's spinothalamic fibres.
        assert lost == ({"dorsal_columns"} if body == "L" else {"spinothalamic"})
    # The cut is at the lesion's level: below it the fibres still carry the signal.
    cut = shown.nodes["L.ascending.dorsal_column.T10"]
    assert cut["effect"] == "lesion"
    assert shown.edges["L.ascending.dorsal_column.entry", "L.ascending.dorsal_column.T10"]["effect"] == "intact"
    assert shown.edges["L.ascending.dorsal_column.T10", "L.ascending.dorsal_column.top"]["effect"] == "no_signal"


def test_a_posterior_cord_lesion_silences_both_dorsal_columns_only(packaged_anatomy):
    result = simulate(packaged_anatomy, preset_lesion(packaged_anatomy, "posterior_cord"))
    edges = ascending_edges(lesion_layout(packaged_anatomy, result).graph)
    in_cord = [(tract, effect) for tract, a, b, effect in edges if ".dorsal_column.top" in b or ".spinothalamic_tract.top" in b]
    assert ("dorsal_columns", "no_signal") in in_cord and ("spinothalamic", "intact") in in_cord
    assert ("dorsal_columns", "intact") not in in_cord and ("spinothalamic", "no_signal") not in in_cord


def test_one_side_drawn_keeps_that_side_s_ascending_tracts_and_their_crossings(packaged_anatomy, results):
    hemisection = results["T10 hemisection"]
    shown = lesion_layout(packaged_anatomy, hemisection, side="L").graph
    edges = ascending_edges(shown)
    assert edges and {key[0] for key in shown if ".ascending.root." in key} == {"L"}
    # Turned over, the left body is drawn at the right: its dorsal columns climb right of the midline
    # (in the left cord), its spinothalamic fibres cross to the left of it (the right cord).
    dorsal = [b for tract, a, b, _ in edges if tract == "dorsal_columns" and ".dorsal_column." in b]
    spinothalamic = [b for tract, a, b, _ in edges if tract == "spinothalamic" and ".spinothalamic_tract." in b]
    assert dorsal and all(shown.nodes[b]["x"] > 0 for b in dorsal)
    assert spinothalamic and all(shown.nodes[b]["x"] < 0 for b in spinothalamic)
    # The left hemisection silences the left body's dorsal columns and spares its spinothalamic fibres.
    assert {tract for tract, a, b, effect in edges if effect == "no_signal"} == {"dorsal_columns"}
    muscles = [key for key, data in shown.nodes(data=True) if data["stage"] == "muscle"]
    assert muscles and all(shown.nodes[key]["x"] > 0 for key in muscles)


def test_a_mirrored_cord_lesion_draws_the_drawn_side_s_ascending_tracts(packaged_anatomy, results, svg_of):
    # The C7 segment lesion cuts the tracts of both sides alike: the slide draws the right side,
    # the left its mirror image, with the right body's tracts cut at C7 and silent above it.
    display = lesion_layout(packaged_anatomy, results["C7 segment"], grouped=1)
    assert display.mirrored == "R" and display.one_side == "R"
    edges = ascending_edges(display.graph)
    assert {key[0] for key in display.graph if ".ascending.root." in key} == {"R"}
    assert {tract for tract, *_ in edges} >= {"dorsal_columns", "spinothalamic"}
    assert {tract for tract, a, b, effect in edges if effect == "no_signal"} >= {"dorsal_columns", "spinothalamic"}
    texts = {" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg_of("pathway", "C7 segment", "slide"))}
    assert {"dorsal columns", "spinothalamic tract", "no signal past the lesion"} <= texts


def test_an_a4_page_leaves_out_the_ascending_tracts_only_for_a_crowded_mirror_image(svg_of):
    def legend(name):
        return {" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg_of("pathway", name, "a4"))}

    # The hemisection is drawn with both sides, its tracts included; the bilateral C7 page, a
    # mirror image, would fall under 5.5 pt with them and keeps its motor detail instead.
    assert {"dorsal columns", "spinothalamic tract"} <= legend("T10 hemisection")
    assert not {"dorsal columns", "spinothalamic tract"} & legend("C7 segment")


def test_a_one_sided_diagram_with_ascending_tracts_lays_its_labels_clear(packaged_anatomy, results):
    assert label_collisions(lesion_figure(packaged_anatomy, results["T10 hemisection"], side="L", size="slide")) == ([], [])


def test_ascending_tracts_are_drawn_where_asked(packaged_anatomy, results):
    radial = results["radial nerve at the spiral groove"]
    # A peripheral lesion: the motor diagram alone unless asked; asked, both sides (the crossings).
    assert not any(data["stage"] == "ascending" for _, data in lesion_layout(packaged_anatomy, radial).graph.nodes(data=True))
    asked = lesion_layout(packaged_anatomy, radial, ascending=True)
    assert asked.one_side is None and any(data["stage"] == "ascending" for _, data in asked.graph.nodes(data=True))
    # Past a nerve lesion no signal climbs: the whole central route of the numb skin is silent.
    assert {effect for tract, a, b, effect in ascending_edges(asked.graph) if a.startswith("R.ascending.root")} == {"no_signal"}
    hemisection = results["T10 hemisection"]
    assert not any(data["stage"] == "ascending"
                   for _, data in lesion_layout(packaged_anatomy, hemisection, ascending=False).graph.nodes(data=True))


@pytest.mark.parametrize("size", ["free", "slide"])
def test_the_figure_shows_the_ascending_tracts_in_their_colours_with_a_legend(svg_of, size):
    from neurograph.drawing.pathway import ASCENDING_COLOURS, NO_SIGNAL_COLOUR

    svg = svg_of("pathway", "T10 hemisection", size)
    texts = {" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}
    assert {"dorsal columns", "spinothalamic tract", "no signal past the lesion"} <= texts
    for colour in (ASCENDING_COLOURS["dorsal_columns"], ASCENDING_COLOURS["spinothalamic"], NO_SIGNAL_COLOUR):
        assert f"stroke: {colour.lower()}" in svg.lower()


def test_cli_ascending_option(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    lesion = ["--preset", "brown_sequard", "--level", "T10", "--side", "left"]
    drawn = {}
    for option in ("--ascending", "--no-ascending"):
        target = tmp_path / f"{option.strip('-')}.svg"
        outcome = CliRunner().invoke(main, ["render", *lesion, option, "--output", str(target)])
        assert outcome.exit_code == 0, outcome.output
        drawn[option] = {" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", target.read_text())}
    assert "spinothalamic tract" in drawn["--ascending"] and "spinothalamic tract" not in drawn["--no-ascending"]
    refused = CliRunner().invoke(main, ["render", *lesion, "--ascending", "--figure", "plexus", "--output", str(tmp_path / "x.svg")])
    assert refused.exit_code == 2 and not (tmp_path / "x.svg").exists()


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is not installed")
@pytest.mark.parametrize("name", list(LESIONS))
def test_graphviz_renders_every_example(packaged_anatomy, results, name):
    from neurograph.drawing import render_svg

    # With the ascending tracts (C7, the hemisection) and the held cord columns, dot routes every edge.
    assert render_svg(to_dot(packaged_anatomy, results[name])).startswith(b"<?xml")


def svg_texts(svg):
    return {" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)}


def test_cli_draw_side_draws_the_side_asked_for(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    def render(*arguments):
        target = tmp_path / "figure.svg"
        outcome = CliRunner().invoke(main, ["render", *arguments, "--output", str(target)])
        assert outcome.exit_code == 0, outcome.output
        return target.read_text()

    # A C7 segment lesion is bilateral: the left side's diagram has the left cord, roots, nerves and muscles alone.
    svg = render("C7", "--no-ascending", "--draw-side", "left")
    labels = re.findall(r'<g id="label:([^"]+)"', svg)
    assert "L.root.C7" in labels and all(label.startswith("L.") for label in labels)
    assert "left side" in svg_texts(svg)
    # The plexus schematic and the limb map of the side asked for, not the lesion's (an Erb palsy on the right).
    assert any(text.startswith("Brachial plexus (left):") for text in svg_texts(render("--preset", "erb", "--figure", "plexus",
                                                                                     "--draw-side", "left")))
    assert any(text.startswith("Limb sensation, left side:") for text in svg_texts(render("--preset", "erb", "--figure", "limb-map",
                                                                                        "--draw-side", "left")))


@pytest.mark.parametrize("arguments, code, message", [
    (["C7", "--draw-side", "middle"], 2,
     "Error: Invalid value for '--draw-side': 'middle' is not one of 'left', 'right'. (see 'main render --help')\n"),
    (["C7", "--draw-side", "left", "--figure", "body-map"], 2,
     "Error: --draw-side goes with --figure pathway, plexus, limb-map (not --dot) (see 'main render --help')\n"),
    (["right radial nerve at the spiral groove", "--draw-side", "left"], 1,
     "Error: invalid side 'left': expected a side the lesion touches (nothing of it would be drawn on this one)\n"),
])
def test_cli_draw_side_refuses_what_it_cannot_draw(tmp_path, arguments, code, message):
    from click.testing import CliRunner

    from neurograph.cli import main

    target = tmp_path / "figure.svg"
    outcome = CliRunner().invoke(main, ["render", *arguments, "--output", str(target)])
    assert (outcome.exit_code, outcome.stderr) == (code, message)
    assert not target.exists()


@pytest.fixture(scope="module")
def preset_results(packaged_anatomy):
    """Each preset's result (its default parameters), simulated once per module."""
    from neurograph.presets import PRESETS

    return {name: simulate(packaged_anatomy, preset_lesion(packaged_anatomy, name)) for name in PRESETS}


def preset_names():
    from neurograph.presets import PRESETS

    return list(PRESETS)


@pytest.fixture(scope="module")
def preset_figure(packaged_anatomy, preset_results):
    """``preset_figure(name, size)``: the preset's pathway diagram; slides, which several tests read, drawn once
    per module (``preset_figure.results`` are the presets' results)."""
    slides = {}

    def draw(name, size):
        if size != "slide":
            return lesion_figure(packaged_anatomy, preset_results[name], size=size)
        if name not in slides:
            slides[name] = lesion_figure(packaged_anatomy, preset_results[name], size=size)
        return slides[name]

    draw.results = preset_results
    return draw


@pytest.mark.parametrize("name, size", [(name, size) for name in preset_names() for size in ("free", "slide", "a4")])
def test_every_preset_s_pathway_labels_are_clear_of_every_line_and_label(preset_figure, name, size):
    result = preset_figure.results[name]
    figure = preset_figure(name, size)
    if not diagram_labels(figure):
        # A diagram without a label draws nothing: a lesion without motor findings and no tract cut centrally.
        assert not result.muscles
        return
    assert label_collisions(figure) == ([], [])


def lesion_labels_beside_other_marks(figure):
    """The labels of lesion marks that stand nearer another mark than their own, and not at the end of a short
    leader line (two label heights at most) from it: a reader would take them for the other mark's name.

    The lesion marks are a scatter named ``marks:<node>:<node>...`` (its points in that order); a mark's label is
    the text named ``label:<node>``, or ``label:<node>:<node>`` for one label naming a mirrored pair; a leader
    line is named ``leader:<label's name>``.
    Distances are from a mark's centre to the label's box, in display pixels.
    """
    import numpy as np

    from matplotlib.backends.backend_agg import RendererAgg

    width, height = figure.get_size_inches()
    renderer = RendererAgg(int(width * figure.dpi) + 1, int(height * figure.dpi) + 1, figure.dpi)
    beside_others = []
    for ax in figure.axes:
        scatters = [collection for collection in ax.collections
                    if isinstance(collection, matplotlib.collections.PathCollection) and len(collection.get_offsets())]
        marks = {key: centre for collection in scatters if (collection.get_gid() or "").startswith("marks:")
                 for key, centre in zip(collection.get_gid()[len("marks:"):].split(":"),
                                        collection.get_offset_transform().transform(collection.get_offsets()))}
        if not marks:
            continue
        centres = np.concatenate([collection.get_offset_transform().transform(collection.get_offsets())
                                  for collection in scatters])
        leaders = {line.get_gid()[len("leader:"):]: line.get_transform().transform(line.get_xydata())
                   for line in ax.lines if (line.get_gid() or "").startswith("leader:")}
        for text in diagram_labels(figure):
            owners = [key for key in text.get_gid()[len("label:"):].split(":") if key in marks]
            if not owners:
                continue
            box = text.get_window_extent(renderer)

            def distances(points):
                return np.hypot(np.maximum(0, np.maximum(box.x0 - points[:, 0], points[:, 0] - box.x1)),
                                np.maximum(0, np.maximum(box.y0 - points[:, 1], points[:, 1] - box.y1)))

            own = distances(np.array([marks[key] for key in owners])).min()
            leader = leaders.get(text.get_gid())
            short = leader is not None and np.hypot(*(leader[-1] - leader[0])) <= 2 * box.height
            if distances(centres).min() < own - 1e-6 and not short:
                beside_others.append(text.get_gid())
    return beside_others


#: Slides where a lesion mark's label still finds no free place beside it (a crowded crossing of the ascending
#: tracts, several drawn at one place): placed clear of every line and label, but further away.
LABELS_AWAY_FROM_THEIR_MARKS = ("conus_medullaris",)


@pytest.mark.parametrize("name, size", [
    pytest.param(name, "slide", marks=[pytest.mark.xfail(strict=True, reason="no free place beside the mark")]
                 if name in LABELS_AWAY_FROM_THEIR_MARKS else [])
    for name in preset_names()] + [("als", "free"), ("als", "a4")])
def test_every_lesion_mark_s_label_stands_beside_it(preset_figure, name, size):
    """The ALS slide put "C6" beside the C5 lesion mark and "C5" and "T1" rows lower, at the end of long leaders."""
    figure = preset_figure(name, size)
    result = preset_figure.results[name]
    named = {text.get_gid()[len("label:"):] for text in diagram_labels(figure)}
    marked = {key for ax in figure.axes for collection in ax.collections if (collection.get_gid() or "").startswith("marks:")
              for key in collection.get_gid()[len("marks:"):].split(":")}
    if result.muscles:
        # Every lesion drawn is marked, and the cord's lesioned segments named by a label of their own.
        assert marked
        assert {key for key in marked if ".cord." in key} <= {key for label in named for key in label.split(":")}
    assert lesion_labels_beside_other_marks(figure) == []


#: The slides of over 120 drawn structures (the most crowded grouping): both sides' limbs and a brainstem part.
CROWDED_SLIDES = ("als", "als_bulbar_onset", "locked_in")


@pytest.mark.parametrize("name", CROWDED_SLIDES)
def test_the_most_crowded_slides_draw_the_cranial_muscles_by_nerve_and_say_so(packaged_anatomy, preset_figure, name):
    from matplotlib.backends.backend_agg import RendererAgg

    result = preset_figure.results[name]
    figure = preset_figure(name, "slide")
    labels = {text.get_gid()[len("label:"):]: text.get_text() for text in diagram_labels(figure)}
    # One row per nerve: its muscles' label opens with the nerve's numeral; no intact nerve, no
    # single cranial muscle and no nucleus has a label of its own (the row names its nucleus).
    rows = {key: text for key, text in labels.items() if ".brainstem.muscles." in key}
    assert rows and all(re.match(r"(III|IV|V|VI|VII|IX, X|XI|XII): ", text) for text in rows.values())
    assert not any(key[2:].startswith("nucleus.") or ".brainstem.nerve." in key for key in labels)
    cranial = {finding.muscle for finding in result.cranial.muscles}
    assert cranial and not cranial & set(labels)
    # A row's count is how many of that side's cranial muscles with findings its nerve supplies.
    for key, text in rows.items():
        side, nucleus = key.split(".brainstem.muscles.")
        members = [m for m in cranial if m.startswith(side + ".") and packaged_anatomy.nodes[m]["nucleus"].startswith(nucleus)]
        count = re.search(r"\((\d+)\)$", text)
        assert (int(count.group(1)) if count else 1) == len(members), text
    # The slide says what it grouped and where every structure is drawn; its text stays 14 px or more,
    # and its title (wrapped) and caption stay on the slide.
    svg = figure_bytes(figure, "svg").decode("utf-8")
    assert min(svg_text_pixels(svg)) >= 14 - 1e-6
    texts = " ".join(" ".join(t.split()) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))
    assert "Grouped for the slide" in texts and "cranial muscles by nerve" in texts and "The A4 size draws each cortex area, root, nerve and nucleus" in texts
    width, height = figure.get_size_inches()
    renderer = RendererAgg(int(width * figure.dpi) + 1, int(height * figure.dpi) + 1, figure.dpi)
    ax = figure.axes[0]
    for text in (ax.title, *ax.texts):
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= figure.bbox.x1 and box.y1 <= figure.bbox.y1, text.get_text()[:40]
    # No unlesioned limb nerve has a node on the slide (it is the line to its muscles); the A4 page
    # keeps each nucleus, named, and each nerve point of the LMN routes.
    def nerves(keys):
        return {key for key in keys if ".nerve." in key or packaged_anatomy.nodes.get(key, {}).get("kind") == "nerve"}

    assert not nerves(labels)
    a4 = lesion_layout(packaged_anatomy, result).graph
    for key in rows:
        side, nucleus = key.split(".brainstem.muscles.")
        assert a4.nodes[f"{side}.{nucleus}"]["label"].endswith(("nucleus", "nucleus ambiguus", "(C1-C5)"))
    assert bool(nerves(a4)) == any(finding.deficit in ("LMN", "mixed") for finding in result.muscles)


def test_a_nerve_row_takes_the_state_of_its_muscles(packaged_anatomy, preset_results):
    def rows(name):
        shown = lesion_layout(packaged_anatomy, preset_results[name], grouped=6).graph
        return {key.split(".brainstem.muscles.")[1] + "." + key[0]: shown.nodes[key]["effect"]
                for key in shown if ".brainstem.muscles." in key}

    # Bulbar-onset ALS: the hypoglossal nucleus and the nucleus ambiguus lose their neurons, so the
    # tongue, palate, pharynx and vocal folds are LMN-weak; the jaw's motor nucleus keeps its neurons
    # and loses its drive (a brisk jaw jerk) (Ropper et al. 2019, ch. 39; Brazis et al. 2011).
    bulbar = rows("als_bulbar_onset")
    for side in "LR":
        assert bulbar[f"nucleus.hypoglossal.{side}"] == bulbar[f"nucleus.ambiguus.{side}"] == "LMN"
        assert bulbar[f"nucleus.trigeminal_motor.{side}"] == "UMN"
    # Locked-in (a bilateral ventral pontine lesion): the corticobulbar fibres to the face and the
    # bulbar muscles are cut (UMN), the abducens fascicles crossing the basis pontis too (the lateral
    # rectus LMN-weak), and vertical gaze and eyelid elevation, the third nerve's, are spared
    # (Blumenfeld 2021, ch. 14; Ropper et al. 2019, ch. 34).
    locked = rows("locked_in")
    for side in "LR":
        assert locked[f"nucleus.abducens.{side}"] == "LMN"
        assert locked[f"nucleus.facial.{side}"] == locked[f"nucleus.hypoglossal.{side}"] == "UMN"
        assert f"nucleus.oculomotor.{side}" not in locked


def test_a_muscle_group_of_upper_and_lower_motor_neuron_signs_is_drawn_mixed(packaged_anatomy, preset_results):
    # A cord transection: the back muscles of the lesioned segments lose their motor neurons (LMN),
    # those below lose their drive (UMN) (Ropper et al. 2019, ch. 42). Their group shows both.
    result = preset_results["transection"]
    back = {finding.deficit for finding in result.muscles if finding.body_region == "back" and finding.side == "R"}
    assert {"UMN", "LMN"} <= back
    shown = lesion_layout(packaged_anatomy, result, grouped=3).graph
    assert shown.nodes["R.group.back"]["effect"] == "mixed"
