"""The lesion pathway diagram, drawn with matplotlib."""

from __future__ import annotations

from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.layout import lesion_layout
from neurograph.drawing.style import EFFECT_STYLES, LEGEND_ORDER

__all__ = ["draw_lesion", "lesion_figure"]

#: Inches per layout unit down and across, and the label font size in points. A character of
#: FONT_SIZE is about 0.057 in wide and the layout allows CHARACTER_WIDTH units for it, so an
#: inch per unit above 0.057 / CHARACTER_WIDTH keeps every label inside its column.
ROW_HEIGHT = 0.30
COLUMN_WIDTH = 0.85
FONT_SIZE = 7.5


def draw_lesion(G, result, ax=None, side=None, regions=None):
    """Draw the pathway a lesion affects: cortex on top, cord down the middle, nerves sideways.

    Every drawn structure is coloured and shaped by its effect (lesion site, UMN-affected,
    LMN-affected, mixed, intact), with a legend, a title naming the lesion and phase, and a
    caption with the key signs.

    Parameters
    ----------
    G : networkx.DiGraph
    result : LesionResult
        From :func:`neurograph.simulate`.
    ax : matplotlib.axes.Axes, optional
        Where to draw. When omitted a figure sized to the diagram is made.
    side : {"L", "R"}, optional
        Draw one side of the body only (half the width, for a slide or an A4 page).
    regions : sequence of str, optional
        Draw only the muscles of these body regions ("shoulder", "arm", "forearm", "hand",
        "thigh", "leg", "foot", ...) and their pathways.

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
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    display = lesion_layout(G, result, side=side, regions=regions)
    shown = display.graph
    left, right, top, bottom = _extent(shown)
    if ax is None:
        ax = _axes_for(plt.figure(figsize=_size(left, right, top, bottom)), left, right, top, bottom)
    segments = {}
    for a, b, data in shown.edges(data=True):
        effect = data["effect"] if data["effect"] not in ("lesion", "normal") else ("LMN" if data["effect"] == "lesion" else "intact")
        start, end = shown.nodes[a], shown.nodes[b]
        segments.setdefault((effect, data["dashed"]), []).append([(start["x"], start["y"]), (end["x"], end["y"])])
    for (effect, dashed), lines in sorted(segments.items()):
        affected = effect != "intact"
        ax.add_collection(LineCollection(
            lines, colors=EFFECT_STYLES[effect]["color"], linewidths=1.5 if affected else 0.8,
            linestyles=(0, (3, 2)) if dashed else "solid", alpha=0.85, zorder=1,
        ))
    by_effect = {}
    for key in shown:
        by_effect.setdefault(shown.nodes[key]["effect"], []).append(key)
    for effect, keys in sorted(by_effect.items()):
        style = EFFECT_STYLES[effect]
        ax.scatter(
            [shown.nodes[k]["x"] for k in keys], [shown.nodes[k]["y"] for k in keys],
            s=70 if effect == "lesion" else 40, marker=style["marker"],
            facecolor=style["color"] if effect == "lesion" else style["fill"], edgecolor=style["color"],
            hatch=style["hatch"] or None, linewidth=1.0, zorder=3,
        )
    for key in sorted(shown):
        data = shown.nodes[key]
        on_left = data["x"] < 0
        ax.annotate(
            data["label"], (data["x"], data["y"]), xytext=(-5 if on_left else 5, 0), textcoords="offset points",
            ha="right" if on_left else "left", va="center", fontsize=FONT_SIZE, zorder=4,
            fontweight="bold" if data["effect"] == "lesion" else "normal",
            color="#555555" if data["effect"] in ("intact", "normal") else "#000000",
        ).set_gid(f"label:{key}")
    ax.axvline(0, color="#DDDDDD", linewidth=0.6, zorder=0)
    ax.text(left + 0.2, top, "left", ha="left", va="top", fontsize=FONT_SIZE + 1, color="#555555")
    ax.text(right - 0.2, top, "right", ha="right", va="top", fontsize=FONT_SIZE + 1, color="#555555")
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_axis_off()
    ax.set_title(display.title, loc="left", fontsize=FONT_SIZE + 3, fontweight="bold", pad=16)
    handles = [
        Line2D([], [], linestyle="none", marker=EFFECT_STYLES[k]["marker"], markersize=7,
               markerfacecolor=EFFECT_STYLES[k]["color"] if k == "lesion" else EFFECT_STYLES[k]["fill"],
               markeredgecolor=EFFECT_STYLES[k]["color"], label=EFFECT_STYLES[k]["label"])
        for k in LEGEND_ORDER
    ]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), fontsize=FONT_SIZE, frameon=False,
              ncol=len(handles), borderaxespad=0.1)
    ax.text(0.0, -0.01, display.caption, transform=ax.transAxes, fontsize=FONT_SIZE + 0.5, ha="left", va="top",
            wrap=True)
    return ax


def _extent(shown):
    xs = [data["x"] for _, data in shown.nodes(data=True)] or [0.0]
    ys = [data["y"] for _, data in shown.nodes(data=True)] or [0.0]
    return min(xs) - 3.0, max(xs) + 3.0, min(ys) - 1.0, max(ys) + 1.0


def _size(left, right, top, bottom):
    """Figure inches that give every layout unit its COLUMN_WIDTH and ROW_HEIGHT."""
    return max(6.0, (right - left) * COLUMN_WIDTH / 0.98), max(3.0, (bottom - top) * ROW_HEIGHT + 1.3)


def _axes_for(figure, left, right, top, bottom):
    height = figure.get_size_inches()[1]
    return figure.add_axes((0.01, 0.5 / height, 0.98, 1.0 - 1.3 / height))


def lesion_figure(G, result, side=None, regions=None, dpi=None):
    """A stand-alone matplotlib Figure of the diagram, outside pyplot's figure manager.

    For notebook display and files: nothing is left open in pyplot, and no GUI backend is touched.
    With ``dpi``, a figure that would exceed the pixel budget at that resolution is refused
    before anything is drawn (see :func:`neurograph.drawing.export.check_pixel_budget`).
    """
    from matplotlib.figure import Figure

    left, right, top, bottom = _extent(lesion_layout(G, result, side=side, regions=regions).graph)
    figure = Figure(figsize=_size(left, right, top, bottom))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    draw_lesion(G, result, ax=_axes_for(figure, left, right, top, bottom), side=side, regions=regions)
    return figure
