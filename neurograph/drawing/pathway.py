"""The lesion pathway diagram, drawn with matplotlib."""

from __future__ import annotations

from neurograph.drawing.layout import lesion_layout
from neurograph.drawing.style import EFFECT_STYLES, LEGEND_ORDER

__all__ = ["draw_lesion"]

#: Inches per drawn row and per column unit; font size in points. Chosen so that labels of
#: neighbouring rows and columns never touch at the default font.
ROW_HEIGHT = 0.30
COLUMN_WIDTH = 0.95
FONT_SIZE = 7.5


def draw_lesion(G, result, ax=None):
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
    from matplotlib.lines import Line2D

    display = lesion_layout(G, result)
    shown = display.graph
    xs = [data["x"] for _, data in shown.nodes(data=True)] or [0.0]
    ys = [data["y"] for _, data in shown.nodes(data=True)] or [0.0]
    width = max(xs) - min(xs) + 4.0
    height = max(ys) - min(ys) + 3.0
    if ax is None:
        figure = plt.figure(figsize=(max(8.0, width * COLUMN_WIDTH), max(4.5, height * ROW_HEIGHT + 1.6)))
        ax = figure.add_axes((0.01, 0.08, 0.98, 0.84))
    for a, b, data in shown.edges(data=True):
        style = EFFECT_STYLES[data["effect"] if data["effect"] != "lesion" else "LMN"]
        start, end = shown.nodes[a], shown.nodes[b]
        affected = data["effect"] not in ("intact", "normal")
        ax.plot(
            [start["x"], end["x"]], [start["y"], end["y"]],
            color=style["color"] if affected else EFFECT_STYLES["intact"]["color"],
            linewidth=1.6 if affected else 0.8, linestyle=(0, (3, 2)) if data["dashed"] else "solid",
            alpha=0.9, zorder=1, solid_capstyle="round",
        )
    for key in sorted(shown, key=lambda k: (shown.nodes[k]["y"], shown.nodes[k]["x"], k)):
        data = shown.nodes[key]
        style = EFFECT_STYLES[data["effect"]]
        left = data["x"] < 0
        ax.scatter(
            [data["x"]], [data["y"]], s=70 if data["effect"] == "lesion" else 42, marker=style["marker"],
            facecolor=style["fill"] if data["effect"] != "lesion" else style["color"], edgecolor=style["color"],
            hatch=style["hatch"] or None, linewidth=1.1, zorder=3,
        )
        ax.annotate(
            data["label"], (data["x"], data["y"]), xytext=(-6 if left else 6, 0), textcoords="offset points",
            ha="right" if left else "left", va="center", fontsize=FONT_SIZE, zorder=4,
            fontweight="bold" if data["effect"] == "lesion" else "normal",
            color="#000000" if data["effect"] != "intact" else "#555555",
        ).set_gid(f"label:{key}")
    ax.axvline(0, color="#DDDDDD", linewidth=0.6, zorder=0)
    ax.text(min(xs) - 0.5, min(ys) - 1.2, "left", ha="left", va="bottom", fontsize=FONT_SIZE + 1, color="#555555")
    ax.text(max(xs) + 0.5, min(ys) - 1.2, "right", ha="right", va="bottom", fontsize=FONT_SIZE + 1, color="#555555")
    ax.set_xlim(min(xs) - 2.2, max(xs) + 2.2)
    ax.set_ylim(max(ys) + 1.0, min(ys) - 1.6)
    ax.set_axis_off()
    ax.set_title(display.title, loc="left", fontsize=FONT_SIZE + 3, fontweight="bold")
    handles = [
        Line2D([], [], linestyle="none", marker=EFFECT_STYLES[k]["marker"], markersize=7,
               markerfacecolor=EFFECT_STYLES[k]["fill"] if k != "lesion" else EFFECT_STYLES[k]["color"],
               markeredgecolor=EFFECT_STYLES[k]["color"], label=EFFECT_STYLES[k]["label"])
        for k in LEGEND_ORDER
    ]
    ax.legend(handles=handles, loc="upper right", fontsize=FONT_SIZE, frameon=False, ncol=len(handles),
              bbox_to_anchor=(1.0, 1.0))
    ax.figure.text(0.01, 0.01, display.caption, fontsize=FONT_SIZE + 0.5, ha="left", va="bottom", wrap=True)
    return ax
