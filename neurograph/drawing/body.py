"""A schematic human figure, front and back, with muscle groups shaded by deficit class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from neurograph.drawing.layout import SEVERITY_ORDER
from neurograph.drawing.style import EFFECT_STYLES, FIGURE_SIZES, check_size

__all__ = ["draw_body_map", "body_map_figure", "region_effects", "BODY_MAP_SIZE", "BODY_MAP_AXES"]

#: The deficit classes of the legend, in order, with "intact" last.
_LEGEND_CLASSES = ("UMN", "LMN", "mixed", "intact")

#: Figure inches and axes rectangle of a stand-alone body map (room below for legend and caption).
BODY_MAP_SIZE = (7.5, 6.8)
BODY_MAP_AXES = (0.02, 0.2, 0.96, 0.74)

# Body-region outlines of one side, in figure units (x to the figure's own right is positive,
# as the patient faces you in the front view). Each: (kind, parameters).
_OUTLINES = {
    "neck": ("rect", (0.0, 8.05, 0.28, 0.55)),
    "shoulder": ("ellipse", (1.05, 7.75, 0.55, 0.45)),
    "thorax": ("rect", (0.45, 6.55, 0.45, 1.35)),
    "abdomen": ("rect", (0.4, 5.15, 0.4, 1.3)),
    "arm": ("rect", (1.3, 6.25, 0.2, 1.15)),
    "forearm": ("rect", (1.42, 4.9, 0.18, 1.15)),
    "hand": ("ellipse", (1.5, 4.35, 0.22, 0.33)),
    "hip": ("rect", (0.5, 4.45, 0.45, 0.6)),
    "perineum": ("rect", (0.0, 3.85, 0.1, 0.3)),
    "thigh": ("rect", (0.5, 2.75, 0.27, 1.55)),
    "leg": ("rect", (0.5, 1.05, 0.22, 1.55)),
    "foot": ("ellipse", (0.55, 0.7, 0.3, 0.18)),
}
_MIDLINE = ("neck", "perineum")


def region_effects(result: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """Per (side, body region): the strongest effect and the lowest MRC grade among its muscles.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> region_effects(neurograph.simulate(G, "left internal capsule"))[("R", "hand")][0]
    'UMN'
    """
    regions: dict[tuple[str, str], tuple[str, int]] = {}
    for finding in result.muscles:
        key = (finding.side, finding.body_region)
        effect, grade = regions.get(key, ("normal", 5))
        if SEVERITY_ORDER[finding.deficit] > SEVERITY_ORDER[effect]:
            effect = finding.deficit
        regions[key] = (effect, min(grade, finding.mrc_grade))
    return regions


def draw_body_map(G: nx.DiGraph, result: Any, ax: Axes | None = None, legend_right: bool = False) -> Axes:
    """Draw a front and a back view of a schematic body, regions shaded by deficit class.

    Regions are shaded with the class's colour and hatch (darker where the weakest muscle is
    weaker); the patient's right is on the viewer's left in the front view and on the right in
    the back view, as a clinician sees them. The legend, a note on shading and the caption go
    below the body, or with ``legend_right`` at its right (on a wide slide or page).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> ax = draw_body_map(G, neurograph.simulate(G, "C7"))
    >>> ax.get_title(loc="left")
    'Lesion: C7 cord segment, bilateral (chronic)'
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Ellipse, Rectangle

    if ax is None:
        figure = plt.figure(figsize=BODY_MAP_SIZE)
        ax = figure.add_axes(BODY_MAP_AXES)
    effects = region_effects(result)

    def patch(kind, x, y, w, h, effect, grade):
        style = EFFECT_STYLES[effect]
        shade = 0.35 + 0.65 * (5 - grade) / 5 if effect != "normal" else 1.0
        options = dict(
            facecolor=style["fill"] if effect == "normal" else style["color"], alpha=shade if effect != "normal" else 1,
            edgecolor="#444444", linewidth=0.8, hatch=style["hatch"] or None,
        )
        if kind == "rect":
            return Rectangle((x - w, y - h / 2), 2 * w, h, **options)
        return Ellipse((x, y), 2 * w, 2 * h, **options)

    for view, offset, right_sign in (("front", -2.6, -1), ("back", 2.6, 1)):
        ax.add_patch(Circle((offset, 9.05), 0.45, facecolor="#F2F2F2", edgecolor="#444444", linewidth=0.8))
        for side in ("L", "R"):
            sign = right_sign if side == "R" else -right_sign
            for region, (kind, (x, y, w, h)) in _OUTLINES.items():
                if region in _MIDLINE and side == "L":
                    continue
                effect, grade = effects.get((side, region), ("normal", 5))
                if region in _MIDLINE:
                    other = effects.get(("L", region), ("normal", 5))
                    if SEVERITY_ORDER[other[0]] > SEVERITY_ORDER[effect]:
                        effect, grade = other
                ax.add_patch(patch(kind, offset + sign * x, y, w, h, effect, grade))
        ax.text(offset, 10.0, view, ha="center", va="bottom", fontsize=10, fontweight="bold")
        ax.text(offset + right_sign * 1.9, 9.6, "R", ha="center", fontsize=10, color="#333333")
        ax.text(offset - right_sign * 1.9, 9.6, "L", ha="center", fontsize=10, color="#333333")
    ax.set_xlim(-5.0, 5.0)
    ax.set_ylim(0.2, 10.5)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(f"Lesion: {result.lesion_label} ({result.phase})", loc="left", fontsize=10, fontweight="bold")
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=EFFECT_STYLES[k]["fill"] if k == "intact" else EFFECT_STYLES[k]["color"],
              alpha=None if k == "intact" else 0.7, hatch=EFFECT_STYLES[k]["hatch"] or None, edgecolor="#444444",
              label=EFFECT_STYLES[k]["label"] + ("" if k == "intact" else f" (hatch {_HATCH_WORDS[k]})"))
        for k in _LEGEND_CLASSES
    ]
    shading = (
        "Shading: the darker a region, the weaker its weakest muscle (MRC grade 0 darkest); "
        "colour and hatch give its strongest deficit class."
    )
    if legend_right:
        ax.legend(handles=handles, loc="upper left", ncol=1, fontsize=10, frameon=False, bbox_to_anchor=(1.02, 0.95),
                  handlelength=2.2, handleheight=1.4)
        ax.text(1.04, 0.6, shading, transform=ax.transAxes, fontsize=9, ha="left", va="top", wrap=True, color="#333333")
        ax.text(1.04, 0.45, result.caption(), transform=ax.transAxes, fontsize=9, ha="left", va="top", wrap=True)
        return ax
    ax.legend(handles=handles, loc="upper center", ncol=2, fontsize=8, frameon=False, bbox_to_anchor=(0.5, 0.0),
              handlelength=2.2, handleheight=1.4)
    ax.text(0.0, -0.16, shading, transform=ax.transAxes, fontsize=7.5, ha="left", va="top", wrap=True, color="#333333")
    ax.text(0.0, -0.22, result.caption(), transform=ax.transAxes, fontsize=7.5, ha="left", va="top", wrap=True)
    return ax


_HATCH_WORDS = {"UMN": "rising", "LMN": "falling", "mixed": "crossed"}


def body_map_figure(G: nx.DiGraph, result: Any, size: str = "free", dpi: int | None = None) -> Figure:
    """A stand-alone Figure of the body map: ``free`` (its own size), ``slide`` (16:9) or ``a4`` (landscape).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> figure = body_map_figure(G, neurograph.simulate(G, "C7"), size="a4")
    >>> [round(float(inches), 2) for inches in figure.get_size_inches()]
    [11.69, 8.27]
    """
    from matplotlib.figure import Figure

    from neurograph.drawing.export import check_pixel_budget

    check_size(size)
    width, height = BODY_MAP_SIZE if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    if size == "free":
        draw_body_map(G, result, ax=figure.add_axes(BODY_MAP_AXES))
        return figure
    # On a wide slide or page the body keeps its proportions at the full height, at the left,
    # with the legend, the shading note and the caption at its right.
    top, bottom = 0.5 / height, 0.2 / height
    axes_height = 1.0 - top - bottom
    axes_width = axes_height * height * 10.0 / 10.3 / width
    draw_body_map(G, result, ax=figure.add_axes((0.01, bottom, axes_width, axes_height)), legend_right=True)
    return figure
