"""Colours, shapes and hatches of the effect classes: one palette for every drawing.

The colours are from the Okabe-Ito palette, distinguishable with the common colour-vision
deficiencies; every class also has its own marker shape and hatch, so the figures read in
grey-scale print too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Text

__all__ = ["EFFECT_STYLES", "LEGEND_ORDER", "FIGURE_SIZES", "SIZE_NAMES", "SLIDE_MIN_POINTS", "LABEL_HALO", "check_size",
           "text_panel", "wrap_now", "WRAP_ROOM", "group_effect"]

EFFECT_STYLES = {
    "lesion": {"color": "#000000", "fill": "#FFFFFF", "marker": "X", "hatch": "", "dot_shape": "octagon", "label": "lesion site"},
    "UMN": {"color": "#0072B2", "fill": "#CCE3F0", "marker": "s", "hatch": "///", "dot_shape": "box", "label": "UMN-affected"},
    "LMN": {"color": "#D55E00", "fill": "#F7DFCC", "marker": "^", "hatch": "\\\\\\", "dot_shape": "invtriangle", "label": "LMN-affected"},
    "mixed": {"color": "#CC79A7", "fill": "#F5E4ED", "marker": "D", "hatch": "xxx", "dot_shape": "diamond", "label": "mixed UMN + LMN"},
    "intact": {"color": "#8C8C8C", "fill": "#F2F2F2", "marker": "o", "hatch": "", "dot_shape": "ellipse", "label": "intact"},
    "spared": {"color": "#009E73", "fill": "#CCECE3", "marker": "o", "hatch": "", "dot_shape": "ellipse", "label": "spared (leaves above the lesion)"},
}
EFFECT_STYLES["normal"] = EFFECT_STYLES["intact"]

LEGEND_ORDER = ("lesion", "UMN", "LMN", "mixed", "intact")

#: The white ground under every diagram label: lines run beneath the labels, never across their text.
LABEL_HALO = {"boxstyle": "square,pad=0.15", "facecolor": "#FFFFFF", "edgecolor": "none", "alpha": 0.85}


def group_effect(effects: list[str], rank: Callable[[str], Any]) -> str:
    """The drawn state of a group whose members are in ``effects``: "mixed" where some are UMN- and
    others LMN-affected, else the strongest by ``rank``.

    Examples
    --------
    >>> order = {"intact": 0, "UMN": 1, "LMN": 2, "mixed": 3}.get
    >>> group_effect(["UMN", "LMN"], order), group_effect(["UMN", "intact"], order)
    ('mixed', 'UMN')
    """
    if {"UMN", "LMN"} <= set(effects):
        return "mixed"
    return max(effects, key=rank)


#: Figure sizes by name, in inches: a 16:9 slide (shown at 1920 x 1080 pixels, 144 per inch) and
#: a landscape A4 page; ``"free"`` sizes the figure to its content.
FIGURE_SIZES = {"slide": (40 / 3, 7.5), "a4": (11.69, 8.27)}
SIZE_NAMES = ("free", "slide", "a4")

#: The smallest text on a slide figure, in points: 14 pixels at 1920 x 1080 (144 pixels per inch).
SLIDE_MIN_POINTS = 7.0  # 14 px / 144 px per inch * 72 pt per inch


def check_size(size: str) -> None:
    """Refuse a figure size name other than those of :data:`SIZE_NAMES`.

    Examples
    --------
    >>> check_size("slide")
    >>> check_size("poster")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid figure size 'poster': expected one of free, slide, a4
    """
    from neurograph.errors import InvalidValueError

    if size not in SIZE_NAMES:
        raise InvalidValueError("figure size", size, "one of " + ", ".join(SIZE_NAMES))


def text_panel(
    figure: Figure, rect: tuple[float, float, float, float], lines: Sequence[tuple[str, str]], font: float
) -> Axes:
    """Write ``lines`` (text, font weight) into a frameless panel at ``rect`` of ``figure``, wrapped to its width.

    Each line is broken where it would overflow the panel; an empty text leaves a blank line.
    """
    import textwrap

    panel = figure.add_axes(rect)
    panel.set_axis_off()
    width, height = figure.get_size_inches()
    characters = int(rect[2] * width * 72 / (font * 0.55))
    y = 1.0
    for text, weight in lines:
        for line in textwrap.wrap(text, characters) or [""]:
            panel.text(0.0, y, line, fontsize=font, fontweight=weight, va="top", transform=panel.transAxes)
            y -= font * 1.5 / 72 / (height * rect[3])
    return panel


#: The share of the room to the figure's edge a wrapped line may fill: the lines are measured once,
#: unhinted, and a PNG draws its text hinted, up to 9% wider at some resolutions (72 to 200 dpi).
WRAP_ROOM = 0.92


def wrap_now(text: Text, renderer: Any) -> Text:
    """Break a left-aligned ``text`` into lines at its spaces, as ``wrap=True`` would, once, measured by ``renderer``.

    Each line takes as many words as fit in :data:`WRAP_ROOM` of the room between the text's
    start and the figure's right edge (its first word always), found by halving; ``wrap`` is then
    turned off. Matplotlib's own wrapping measures every longer and longer run of words again at
    each drawing, which in an SVG (measured as glyph outlines) took half of a wide diagram's time.
    """
    import matplotlib

    figure: Any = text.get_figure(root=True)
    width = WRAP_ROOM * (figure.bbox.x1 - text.get_transform().transform(text.get_position())[0])
    font = text.get_fontproperties()

    def fits(words):
        return math.ceil(renderer.get_text_width_height_descent(" ".join(words), font, ismath=False)[0]) <= width

    lines = []
    # Measured unhinted, as a vector file's text is, whatever the figure's resolution.
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        for paragraph in text.get_text().split("\n"):
            words = paragraph.split(" ")
            if fits(words):
                # Most paragraphs fit whole: one measurement instead of a search.
                lines.append(paragraph)
                continue
            while words:
                # The longest run of words from the start that fits (a run's width grows with its words).
                low, high = 1, len(words)
                while low < high:
                    middle = (low + high + 1) // 2
                    low, high = (middle, high) if fits(words[:middle]) else (low, middle - 1)
                lines.append(" ".join(words[:low]))
                words = words[low:]
    text.set_text("\n".join(lines))
    text.set_wrap(False)
    return text
