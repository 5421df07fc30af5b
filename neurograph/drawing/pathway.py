"""The lesion pathway diagram, drawn with matplotlib, free-sized or fitted to a slide or an A4 page."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

import math

import numpy as np

from neurograph.drawing.cross_section import TRACT_STYLES
from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.labels import (
    MARGIN, LabelRequest, SegmentSet, find_places, label_sizes, measuring_renderer, placement_rank, show_places,
)
from neurograph.drawing.layout import MOST_GROUPED, lesion_layout
from neurograph.drawing.style import (
    EFFECT_STYLES, FIGURE_SIZES, LEGEND_ORDER, SLIDE_MIN_POINTS, check_size, wrap_now,
)
from neurograph.errors import InvalidValueError
from neurograph.schema import segment_index

__all__ = ["draw_lesion", "lesion_figure"]

#: Inches per layout unit down and across, and the label font size in points, of a free-sized
#: figure. A character of FONT_SIZE is about 0.057 in wide and the layout allows CHARACTER_WIDTH
#: units for it, so an inch per unit above 0.057 / CHARACTER_WIDTH keeps every label inside its
#: column. A fitted figure scales all three together.
ROW_HEIGHT = 0.30
COLUMN_WIDTH = 0.85
FONT_SIZE = 7.5
#: The largest label size of a fitted figure: a small diagram is not blown up beyond it.
MAX_FONT_SIZE = 13.0
#: Below this label size, an A4 page draws one side of a lesion whose sides are alike.
A4_MIN_POINTS = 5.5
#: Colours of the ascending tracts while they carry the signal (those of the cross-section), and past the lesion.
ASCENDING_COLOURS = {
    "dorsal_columns": TRACT_STYLES["dorsal_columns"]["edge"], "spinothalamic": TRACT_STYLES["spinothalamic"]["edge"],
    "both": "#7F7F7F",
}
ASCENDING_NAMES = {"dorsal_columns": "dorsal columns", "spinothalamic": "spinothalamic tract"}
NO_SIGNAL_COLOUR = "#8C8C8C"
#: Lines of caption the room below a fitted diagram holds; a longer caption takes room from the diagram.
CAPTION_LINES = 3
#: Layout units kept at the left for the compact cord column.
CORD_COLUMN_UNITS = 1.6
#: Where labels find no free place, a figure is drawn again with this much more room (a free-sized figure
#: this much larger, a slide's or page's text this much smaller), at most ROOM_ATTEMPTS times in all.
ROOM_GROWTH = 1.15
ROOM_ATTEMPTS = 4


def draw_lesion(
    G: nx.DiGraph, result: Any, ax: Axes | None = None, side: str | None = None,
    regions: Collection[str] | None = None, size: str = "free", ascending: bool | None = None,
) -> Axes:
    """Draw the pathway a lesion affects: cortex on top, cord down the middle, nerves sideways.

    Every drawn structure is coloured and shaped by its effect (lesion site, UMN-affected,
    LMN-affected, mixed, intact, spared branch), and every edge by the state of the fibres it
    carries; labels are laid out clear of every line and of each other
    (:mod:`neurograph.drawing.labels`), with a leader line where one stands away from its node, a lesion
    site's beside its own mark (a cord segment lesioned on both sides named once, between its two marks where
    that is nearer them than any other mark: the line across broken for it, or, with no line across, where
    its labels find no place beside either mark); with a legend, a compact cord column marking the segments involved, a title naming
    the lesion and phase, and a caption with the key signs.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy ``result`` was simulated on. The diagram is that of the anatomy as it was
        then, also if it was edited since (see :attr:`neurograph.results.LesionResult.graph`);
        another graph is refused with :class:`~neurograph.errors.StaleResultError`.
    result : LesionResult
        From :func:`neurograph.simulate`.
    ax : matplotlib.axes.Axes, optional
        Where to draw. When omitted a figure of ``size`` is made.
    side : {"L", "R"}, optional
        Draw one side of the body only.
    regions : sequence of str, optional
        Draw only the muscles of these body regions ("shoulder", "arm", "forearm", "hand",
        "thigh", "leg", "foot", ...) and their pathways.
    size : {"free", "slide", "a4"}
        ``free`` sizes the figure to the diagram; ``slide`` fits a 16:9 slide with every text at
        least 14 pixels high at 1920 x 1080 (grouping plexus and mirror-image sides, then
        muscles, then keeping labels on one line, then each nerve, and for over 120 drawn
        structures the cortex areas by body region, the roots with their cord segments, the
        nerves as lines and the cranial muscles by nerve, where it must); ``a4`` fits a landscape A4 page with full detail.
    ascending : bool, optional
        Draw the ascending tracts of the lesion's sensory loss in the middle of the diagram (the
        dorsal columns and the spinothalamic tract of one skin place of each side, with their
        crossings, each in its colour while it carries the signal and grey and dotted past the
        lesion; see :func:`neurograph.drawing.layout.ascending_layer`); where one side is drawn
        (``side``, or a mirror image), that side's skin's tracts. By default they are drawn where
        the lesion cuts an ascending tract in the cord or the brain, except on an A4 page drawn as a
        mirror image whose text they would bring under 5.5 pt (the ascending pathways figure shows them).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> ax = draw_lesion(G, neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> ax.get_title(loc="left").startswith("Lesion: radial nerve at the spiral groove")
    True
    """
    if ax is None:
        return lesion_figure(G, result, side=side, regions=regions, size=size).axes[0]
    check_size(size)
    G = result.graph_given(G)  # the anatomy as it was simulated, whatever was edited since
    display = lesion_layout(G, result, side=side, regions=regions, grouped=3 if size == "slide" else 0, ascending=ascending)
    _draw(ax, G, result, display, FONT_SIZE)
    return ax


def lesion_figure(
    G: nx.DiGraph, result: Any, side: str | None = None, regions: Collection[str] | None = None,
    dpi: int | None = None, size: str = "free", ascending: bool | None = None,
) -> Figure:
    """A stand-alone matplotlib Figure of the diagram, outside pyplot's figure manager.

    For notebook display and files: nothing is left open in pyplot, and no GUI backend is touched.
    With ``dpi``, a figure that would exceed the pixel budget at that resolution is refused
    before anything is drawn (see :func:`neurograph.drawing.export.check_pixel_budget`).
    ``size`` and ``ascending`` are as for :func:`draw_lesion`. Where some labels find no free
    place, the figure is drawn again with more room: a free-sized figure larger, a slide's or a
    page's text smaller (not under 14 px on a slide, nor under 5.5 pt on a page that had more).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> figure = lesion_figure(G, neurograph.simulate(G, "C7"), size="slide")
    >>> [round(float(inches), 2) for inches in figure.get_size_inches()]
    [13.33, 7.5]
    """
    from matplotlib.figure import Figure

    check_size(size)
    G = result.graph_given(G)
    if dpi is not None and size in FIGURE_SIZES:
        # A slide or a page has its size before any layout: a dpi over the budget is refused at once.
        check_pixel_budget(Figure(figsize=FIGURE_SIZES[size]), dpi)
    display, inches, font, grouped = _fitted(G, result, side, regions, size, ascending)
    smallest = {"free": font, "slide": SLIDE_MIN_POINTS, "a4": min(font, A4_MIN_POINTS)}[size]
    while True:
        for attempt in range(ROOM_ATTEMPTS):
            figure = Figure(figsize=inches)
            if dpi is not None:
                check_pixel_budget(figure, dpi)
            # Labels that find no free place get more room: a free-sized figure grows (its labels' places are
            # sought again at each larger size before its labels are drawn); a slide or a page has its size and
            # is drawn again with smaller text, down to its smallest size.
            smaller = size != "free" and font > smallest and attempt < ROOM_ATTEMPTS - 1
            larger = _larger_sizes(inches, dpi) if size == "free" else []
            misses = _draw(_axes_for(figure, font), G, result, display, font, larger, give_up=smaller)
            if not misses or not smaller:
                break
            font = max(smallest, font / ROOM_GROWTH)
        if not misses or size != "slide" or grouped == MOST_GROUPED:
            return figure
        # A slide whose labels still find no place at its smallest text groups further: fitting its text
        # to its rows alone cannot tell how crowded its labels are.
        display, font, grouped = _grouped_to_fit(G, result, side, regions, size, ascending, display, grouped + 1)
        font = max(font, SLIDE_MIN_POINTS)


def _larger_sizes(inches, dpi):
    """The sizes a free-sized figure of ``inches`` may grow to, each ROOM_GROWTH times the last, as many as
    ROOM_ATTEMPTS allows and (at ``dpi``) within the pixel budget."""
    from matplotlib.figure import Figure

    sizes = []
    for _ in range(ROOM_ATTEMPTS - 1):
        inches = (inches[0] * ROOM_GROWTH, inches[1] * ROOM_GROWTH)
        if dpi is not None:
            try:
                check_pixel_budget(Figure(figsize=inches), dpi)
            except InvalidValueError:
                break
        sizes.append(inches)
    return sizes


def _fitted(G, result, side, regions, size, ascending):
    """The layout, figure inches, label size and grouping (of :func:`lesion_layout`) for ``size``."""
    display = lesion_layout(G, result, side=side, regions=regions, ascending=ascending)
    if size == "free":
        left, right, top, bottom = _extent(display)
        height = max(3.0, (bottom - top) * ROW_HEIGHT + _margins(FONT_SIZE))
        return display, (max(6.0, (right - left) * COLUMN_WIDTH / 0.98), height), FONT_SIZE, 0
    width, height = FIGURE_SIZES[size]
    display, font, grouped = _grouped_to_fit(G, result, side, regions, size, ascending, display)
    if size == "a4" and font < A4_MIN_POINTS and ascending is None and display.mirrored and any(
        data["stage"] == "ascending" for _, data in display.graph.nodes(data=True)
    ):
        # A page drawn as a mirror image is already short of room: where the ascending tracts (drawn
        # by default) would bring its text under A4_MIN_POINTS, they are left to the ascending
        # pathways figure and the motor pathways keep their full detail readable.
        without = lesion_layout(G, result, side=side, regions=regions, ascending=False)
        without, smaller, grouped_without = _grouped_to_fit(G, result, side, regions, size, False, without)
        if smaller > font:
            display, font, grouped = without, smaller, grouped_without
    return display, (width, height), max(font, SLIDE_MIN_POINTS) if size == "slide" else font, grouped


#: Above this many drawn structures, a slide that has grouped all else also groups the cortex areas and the roots.
SLIDE_MOST_LABELS = 120


def _grouped_to_fit(G, result, side, regions, size, ascending, display, at_least=0):
    """The layout ``display``, grouped as far as ``size`` needs for its text (a slide's, to at least the
    grouping ``at_least``), its label size and its grouping."""
    width, height = FIGURE_SIZES[size]
    font = _fitted_font(display, width, height)
    # A page keeps full detail, only drawing one side of a lesion whose sides are alike where
    # the text would otherwise be smaller than A4_MIN_POINTS; a slide groups further.
    smallest = SLIDE_MIN_POINTS if size == "slide" else A4_MIN_POINTS
    reached = 0
    for grouped in range(max(1, at_least), MOST_GROUPED + 1) if size == "slide" else (1,):
        # The last grouping (cortex areas by body region, roots with their cord segments, nerves as lines,
        # cranial muscles by nerve) is for a slide with more labels than it has room for at its smallest text, whatever its size.
        if grouped > at_least and (font >= smallest or (grouped == MOST_GROUPED and len(display.graph) <= SLIDE_MOST_LABELS)):
            break
        # The last grouping, all labels on one line, needs the least height per row: where
        # nothing fits at the smallest text, rows one line high are what keeps labels apart.
        display = lesion_layout(G, result, side=side, regions=regions, grouped=grouped, ascending=ascending)
        font = _fitted_font(display, width, height)
        reached = grouped
    return display, font, reached


def _fitted_font(display, width, height):
    """The label size at which the diagram fills ``width`` x ``height`` inches."""
    left, right, top, bottom = _extent(display)
    font = MAX_FONT_SIZE
    for _ in range(3):  # the margins grow with the font: settle them
        scale = min(0.98 * width / ((right - left) * COLUMN_WIDTH), (height - _margins(font)) / ((bottom - top) * ROW_HEIGHT))
        font = min(MAX_FONT_SIZE, FONT_SIZE * scale)
    return font


def _margins(font):
    """Inches above the diagram (title, legend) and below it (caption) at label size ``font``."""
    return font / 72 * 10.5


def _axes_for(figure, font):
    return figure.add_axes(_axes_box(figure, font))


def _axes_box(figure, font):
    """Where the diagram's axes stand in ``figure`` (figure fractions), room kept above and below for ``font``."""
    height = figure.get_size_inches()[1]
    below, above = font / 72 * 5.0, font / 72 * 5.5
    return (0.01, below / height, 0.98, 1.0 - (below + above) / height)


def _extent(display):
    shown = display.graph
    xs = [data["x"] for _, data in shown.nodes(data=True)] or [0.0]
    ys = [data["y"] for _, data in shown.nodes(data=True)] or [0.0]
    left = min(xs) - (0.2 if display.one_side else 3.0)
    return left - CORD_COLUMN_UNITS, max(xs) + 3.0, min(ys) - 1.0, max(ys) + 1.0


def _draw(ax, G, result, display, font, larger=(), give_up=False):
    """Draw the diagram into ``ax`` with labels of ``font`` points; return how many labels found no free place.

    Where some label finds no free place, the figure takes the next of the ``larger`` sizes (inches) and the
    labels' places are sought again: the marks, texts and inset are made once, for whatever size, and the
    lines and leader lines once the places are found. With ``give_up``, a diagram whose labels do not all
    find a place is left unfinished at the first that does not (returning 1): its caller draws it again
    with smaller text."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    shown = display.graph
    left, right, top, bottom = extent = _extent(display)
    renderer = measuring_renderer(ax.figure)
    # At the axes' top, where it stands anyway (nothing of the axes rises above it): placed by
    # hand, it spares the drawing a search of the axes' invisible ticks for anything higher.
    title = ax.set_title(display.title, loc="left", fontsize=font + 3, fontweight="bold", pad=2.2 * font, y=1.0)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    by_effect = {}
    for key in shown:
        by_effect.setdefault(shown.nodes[key]["effect"], []).append(key)
    marker_area = 40 * (font / FONT_SIZE) ** 2
    for effect, keys in sorted(by_effect.items()):
        style = EFFECT_STYLES[effect]
        ax.scatter(
            [shown.nodes[k]["x"] for k in keys], [shown.nodes[k]["y"] for k in keys],
            s=marker_area * (1.75 if effect == "lesion" else 1.0), marker=style["marker"],
            facecolor=style["color"] if effect == "lesion" else style["fill"], edgecolor=style["color"],
            hatch=style["hatch"] or None, linewidth=1.0, zorder=3,
            # The lesion marks name their nodes, in order: which mark a label names can be read from the figure.
            gid="marks:" + ":".join(keys) if effect == "lesion" else None,
        )
    # The ascending tracts cross the midline, so it is drawn wherever they are, one side drawn or both.
    midline = display.one_side is None or any(data["stage"] == "ascending" for _, data in shown.nodes(data=True))
    if display.one_side is None:
        headings = [
            ax.text(left + CORD_COLUMN_UNITS + 0.2, top, "left", ha="left", va="top", fontsize=font + 1, color="#555555"),
            ax.text(right - 0.2, top, "right", ha="right", va="top", fontsize=font + 1, color="#555555"),
        ]
    else:
        words = {"L": "left", "R": "right"}[display.one_side]
        note = (f"{words} side" + (", the left alike (mirror image)" if display.mirrored else "")
                + (f"; the {words} body's ascending tracts, crossing the midline (grey)" if midline else ""))
        headings = [ax.text(right - 0.2, top, note, ha="right", va="top", fontsize=font + 1, color="#555555")]
    column = _cord_column(ax, G, result, display, font, extent)
    ax.set_axis_off()
    rung_texts = _rung_texts(ax, shown, font)
    requests = {}
    for key in sorted(shown, key=lambda key: _label_order(shown, key)):
        data = shown.nodes[key]
        if not data["label"]:
            continue
        text = ax.text(
            data["x"], data["y"], data["label"], fontsize=font, zorder=4,
            fontweight="bold" if data["effect"] == "lesion" else "normal",
            color={"intact": "#555555", "normal": "#555555", "spared": "#00684C"}.get(data["effect"], "#000000"),
            multialignment="right" if data["x"] < 0 else "left",
        )
        text.set_gid(f"label:{key}")
        # The marker's radius in points: the lesion's mark is drawn larger.
        radius = math.sqrt(marker_area * (1.75 if data["effect"] == "lesion" else 1.0)) / 2
        requests[key] = LabelRequest(text, data["x"], data["y"], radius, -1 if data["x"] < 0 else 1,
                                     own_nearest=data["effect"] == "lesion")
    sizes = {}
    larger = list(larger)
    # The mirrored pairs with no line across named on the midline: those whose labels found no place beside either mark.
    unjoined = set()
    while True:
        caption = _frame(ax, display, title, font, renderer)
        rungs = _rungs(ax, shown, rung_texts, font, renderer, extent, unjoined)
        segments = _line_groups(shown, rungs)
        midline_pieces = _midline_pieces(top, bottom, rungs.values()) if midline else []
        # A mirrored pair named by the label between its marks has no label of its own.
        named_by_rung = {key for pair in rungs for key in pair}
        placing = [key for key in requests if key not in named_by_rung]
        unlabelled = [(shown.nodes[key]["x"], shown.nodes[key]["y"])
                      for key in sorted(shown, key=lambda key: _label_order(shown, key))
                      if not shown.nodes[key]["label"] or key in named_by_rung]
        unmeasured = [key for key in placing if key not in sizes]
        sizes.update(zip(unmeasured, label_sizes([requests[key] for key in unmeasured], renderer)))
        lines = [segment for group in segments.values() for segment in group] + midline_pieces
        keep_out = [heading.get_window_extent(renderer).extents for heading in headings]
        keep_out += [box for *_, box in rungs.values()]
        if column is not None:
            keep_out.append(column.get_tightbbox(renderer).extents)
        again = bool(larger) or give_up
        places = find_places(ax, [requests[key] for key in placing], np.array([sizes[key] for key in placing]).reshape(-1, 2),
                             np.array(lines, dtype=float).reshape(-1, 2, 2), keep_out, unlabelled, stop_at_miss=again)
        # A pair's label between its marks takes room on the midline that other labels may have used: a pair with
        # no line across is named there only where its labels find no place beside their marks, and the places
        # are sought again.
        away = {pair for index in places.away for pair in rung_texts if placing[index] in pair} - unjoined
        if away:
            unjoined |= away
            continue
        if not places.misses or not again:
            break
        if not larger:
            return places.misses
        ax.figure.set_size_inches(larger.pop(0))
    for pair, (_, text, _) in rung_texts.items():
        if pair not in rungs:
            text.remove()
    for key in named_by_rung:
        requests[key].text.remove()
    for (effect, dashed, tract), pieces in sorted(segments.items()):
        if tract:
            # An ascending tract: its own colour while it carries the signal, grey and dotted past the lesion.
            carrying = effect != "no_signal"
            ax.add_collection(LineCollection(
                pieces, colors=ASCENDING_COLOURS[tract] if carrying else NO_SIGNAL_COLOUR, linewidths=1.6 if carrying else 1.3,
                linestyles="solid" if carrying else (0, (1.5, 1.5)), alpha=0.9, zorder=1,
            ))
            continue
        affected = effect not in ("intact", "normal")
        ax.add_collection(LineCollection(
            pieces, colors=EFFECT_STYLES[effect]["color"], linewidths=1.6 if affected else 0.8,
            linestyles=(0, (3, 2)) if dashed else "solid", alpha=0.85, zorder=1,
        ))
    if rungs and midline:
        ax.add_collection(LineCollection(midline_pieces, colors="#DDDDDD", linewidths=0.6, zorder=0))
    elif midline:
        ax.axvline(0, color="#DDDDDD", linewidth=0.6, zorder=0)
    show_places(ax, [requests[key] for key in placing], places)
    present = {data["effect"] for _, data in shown.nodes(data=True)} | {data["effect"] for *_, data in shown.edges(data=True)}
    handles = [
        Line2D([], [], linestyle="none", marker=EFFECT_STYLES[k]["marker"], markersize=font,
               markerfacecolor=EFFECT_STYLES[k]["color"] if k == "lesion" else EFFECT_STYLES[k]["fill"],
               markeredgecolor=EFFECT_STYLES[k]["color"], label=EFFECT_STYLES[k]["label"])
        for k in LEGEND_ORDER + (("spared",) if "spared" in present else ())
    ]
    tracts = {data.get("tract") for *_, data in shown.edges(data=True)} - {None}
    handles += [Line2D([], [], color=ASCENDING_COLOURS[tract], linewidth=1.6, label=ASCENDING_NAMES[tract])
                for tract in ("dorsal_columns", "spinothalamic") if tract in tracts]
    if "no_signal" in present:
        handles.append(Line2D([], [], color=NO_SIGNAL_COLOUR, linewidth=1.3, linestyle=(0, (1.5, 1.5)),
                              label="no signal past the lesion"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=font, frameon=False,
              ncol=len(handles), borderaxespad=0.1, handletextpad=0.3, columnspacing=1.2)
    ax.text(0.0, -0.01, caption, transform=ax.transAxes, fontsize=font, ha="left", va="top")
    return places.misses


def _frame(ax, display, title, font, renderer):
    """Fit the axes to their figure's present size, the title and caption wrapped to its width; return the caption."""
    ax.set_position(_axes_box(ax.figure, font))
    title.set_text(display.title)
    # The caption, wrapped now to know its lines, is written last (the figure's texts keep their order).
    probe = wrap_now(ax.text(0.0, -0.01, display.caption, transform=ax.transAxes, fontsize=font, ha="left", va="top"), renderer)
    caption = probe.get_text()
    probe.remove()
    title_over = wrap_now(title, renderer).get_text().count("\n")
    caption_over = max(0, caption.count("\n") + 1 - CAPTION_LINES)
    if title_over or caption_over:
        # A title or caption too long for its room (a lesion of many sites, a grouping note): the axes
        # give up the height of their further lines.
        box, inches = ax.get_position(), ax.figure.get_size_inches()[1]
        lower, raise_by = (title_over * 1.2 * (font + 3) / 72 / inches, caption_over * 1.2 * font / 72 / inches)
        ax.set_position((box.x0, box.y0 + raise_by, box.width, box.height - lower - raise_by))
    return caption


def _line_groups(shown, rungs):
    """The diagram's lines (data units) by how they are drawn (effect, dashed, ascending tract), the line
    between a mirrored pair of lesion marks of ``rungs`` broken for their label."""
    segments = {}
    for a, b, data in shown.edges(data=True):
        start, end = shown.nodes[a], shown.nodes[b]
        group = (data["effect"], data["dashed"], data.get("tract") or "")
        if frozenset((a, b)) in rungs:
            across, _, _, gap_x, _ = rungs[frozenset((a, b))]
            segments.setdefault(group, []).extend(
                [[(-across, start["y"]), (-gap_x, start["y"])], [(gap_x, start["y"]), (across, start["y"])]])
            continue
        segments.setdefault(group, []).append([(start["x"], start["y"]), (end["x"], end["y"])])
    return segments


def _rung_texts(ax, shown, font):
    """The labels of the mirrored pairs of lesion marks (a segment of the cord lesioned on both sides, joined by a line
    across or not), each on the midline between its marks, by pair (a frozenset of its two nodes): (its left node,
    its text, whether a line joins the marks). Beside either mark, a label would stand among the lines that leave it
    and the next segments' marks; whether it has room between them depends on the figure's size (:func:`_rungs`)."""
    texts = {}
    for key in sorted(shown):
        data = shown.nodes[key]
        mirror = "R" + key[1:]
        if not key.startswith("L.") or mirror not in shown or data["effect"] != "lesion" or not data["label"]:
            continue
        other = shown.nodes[mirror]
        if (other["effect"], other["label"], other["y"], other["x"]) != ("lesion", data["label"], data["y"], -data["x"]):
            continue
        texts[frozenset((key, mirror))] = (key, ax.text(
            0.0, data["y"], data["label"], fontsize=font, zorder=4, fontweight="bold", color="#000000",
            ha="center", va="center", gid=f"label:{key}:{mirror}"), shown.has_edge(key, mirror) or shown.has_edge(mirror, key))
    return texts


def _rungs(ax, shown, rung_texts, font, renderer, extent, unjoined):
    """The pairs of ``rung_texts`` joined by a line across, or among ``unjoined``, whose label has room between their
    marks at the figure's present size and stands nearer them than any other mark. Return, per pair, the marks'
    distance from the midline and their row, the label's half height and half width with room around it (layout
    units) and its box (display units)."""
    left, right, top, bottom = extent
    per_unit = (ax.bbox.width / (right - left), ax.bbox.height / (bottom - top))
    room = 2 * MARGIN * ax.figure.dpi / 100.0
    radius = math.sqrt(40 * 1.75) * font / FONT_SIZE / 2 * ax.figure.dpi / 72.0
    rungs = {}
    drawn = None  # the diagram's marks and lines (display units), made for the first label that needs them
    for pair, (key, text, joined) in rung_texts.items():
        if not joined and pair not in unjoined:
            continue
        data = shown.nodes[key]
        box = text.get_window_extent(renderer)
        half_width = (box.width / 2 + room) / per_unit[0]
        padded = np.array([box.extents]) + np.array([-room, -room, room, room])
        if half_width + radius / per_unit[0] >= abs(data["x"]) or any(
            abs(shown.nodes[node]["x"]) < abs(data["x"]) and abs(shown.nodes[node]["y"] - data["y"]) < 1.5 for node in shown
        ):
            # No room between the marks, or something else drawn between them: each is labelled beside it.
            continue
        if drawn is None:
            drawn = _display_geometry(ax, shown)
        keys, marks, ends, lines = drawn
        distance = np.hypot(np.maximum(0, np.maximum(box.x0 - marks[:, 0], marks[:, 0] - box.x1)),
                            np.maximum(0, np.maximum(box.y0 - marks[:, 1], marks[:, 1] - box.y1)))
        own = np.array([node in pair for node in keys])
        if distance[own].min() > distance[~own].min(initial=np.inf) \
                or SegmentSet(lines[[{a, b} != pair for a, b in ends]]).crossing(padded)[0]:
            # Another mark nearer (a reader would take the label for its name), or a line across other than the
            # pair's own: each is labelled beside its mark.
            continue
        rungs[pair] = (abs(data["x"]), data["y"], (box.height / 2 + room) / per_unit[1], half_width, box.extents)
    return rungs


def _display_geometry(ax, shown):
    """The diagram's nodes, their marks' centres (n x 2), its edges and their lines (m x 2 x 2), in display units."""
    keys, ends = list(shown), list(shown.edges)
    marks = ax.transData.transform(np.array([(shown.nodes[key]["x"], shown.nodes[key]["y"]) for key in keys], dtype=float))
    lines = ax.transData.transform(np.array(
        [[(shown.nodes[a]["x"], shown.nodes[a]["y"]), (shown.nodes[b]["x"], shown.nodes[b]["y"])] for a, b in ends],
        dtype=float).reshape(-1, 2)).reshape(-1, 2, 2)
    return keys, marks, ends, lines


def _midline_pieces(top, bottom, rungs):
    """The midline from ``top`` to ``bottom`` (layout units, down), broken where a rung's label stands."""
    pieces, start = [], top
    for _, y, half_height, _, _ in sorted(rungs, key=lambda rung: rung[1]):
        pieces.append([(0.0, start), (0.0, y - half_height)])
        start = y + half_height
    return pieces + [[(0.0, start), (0.0, bottom)]]


def _label_order(shown, key):
    """Labels are placed the lesion's first, then the affected structures', then the rest, top to bottom."""
    data = shown.nodes[key]
    return placement_rank(data["effect"]), data["y"], abs(data["x"]), key


def _cord_column(ax, G, result, display, font, extent):
    """A thin column of every cord segment at the left: the lesioned segments black, the drawn ones outlined."""
    from matplotlib.patches import Rectangle

    left, right, top, bottom = extent
    segments = sorted({data["segment"] for _, data in G.nodes(data=True) if data.get("segment")}, key=segment_index)
    if not segments:
        return None
    hit, carried = set(), set()
    for site in result.sites:
        for node in site.nodes:
            data = G.nodes[node]
            if data.get("segment") and data["kind"] in ("tract", "anterior_horn"):
                hit.add(data["segment"])
            else:
                carried.update(data["segment"] if data.get("segment") else (data.get("segments") or "").split("|"))
    drawn = {data["label"] for _, data in display.graph.nodes(data=True) if data["stage"] == "cord"}
    column = ax.inset_axes(
        ((0.15) / (right - left), 0.02, 0.35 / (right - left), 0.96)
    )
    column.set_xlim(0, 1)
    column.set_ylim(len(segments), 0)
    column.set_axis_off()
    for row, segment in enumerate(segments):
        if segment in hit:
            face = "#000000"
        elif segment in carried:
            face = EFFECT_STYLES["LMN"]["color"]
        else:
            face = "#FFFFFF"
        column.add_patch(Rectangle(
            (0, row), 1, 1, facecolor=face, edgecolor="#000000" if segment in drawn else "#BBBBBB", linewidth=0.5,
        ))
    for row, segment in enumerate(segments):
        if row == 0 or segment[0] != segments[row - 1][0]:
            column.text(1.25, row + 0.5, segment, ha="left", va="center", fontsize=font, color="#555555")
    # At the inset's top (its axis is off: nothing rises above it), placed by hand: matplotlib's own
    # placing makes the inset's ticks at every measuring and drawing.
    column.set_title("cord", fontsize=font, color="#555555", pad=2, y=1.0)
    return column
