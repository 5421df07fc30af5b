"""Writing figures: format from the file extension, deterministic bytes, atomic replacement.

A raster image costs memory in proportion to its pixels, so a PNG's pixels (the figure's width
and height in inches, each times ``dpi``) are capped at :data:`MAX_PIXELS`, as are an SVG's or
PDF's when the figure has rasterized parts (neurograph's own drawings have none, so their SVG
and PDF files are vector only and cost the same at any dpi). A figure over the budget is
refused, with the largest dpi it allows, before anything is rendered. Files are written by
:func:`neurograph.writing.write_file`.
"""

from __future__ import annotations

import io
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from neurograph.errors import InvalidValueError
from neurograph.writing import write_file

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["save_figure", "figure_bytes", "check_pixel_budget", "FORMATS", "MAX_PIXELS", "MAX_SIDE_PIXELS", "DPI_RANGE"]

FORMATS = ("svg", "png", "pdf")

#: The resolutions accepted, in dots per inch.
DPI_RANGE = (10, 2400)

#: The most pixels (width times height) a figure may be rendered at: 40 million, a 160 MB RGBA
#: canvas (the PNG of the 28.7 x 10.6 inch C7 diagram at 360 dpi, 39 million pixels, peaks at
#: 250 MB and takes 4 s), e.g. an 8 x 10 inch figure up to 707 dpi.
MAX_PIXELS = 40_000_000

#: The most pixels along either side (matplotlib's raster canvas takes fewer than 2**16).
MAX_SIDE_PIXELS = 32_768

# Fixed metadata and hash salt make the same figure give the same bytes on every run.
_METADATA = {
    "svg": {"Date": None, "Creator": "neurograph"},
    "png": {"Software": "neurograph"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "neurograph", "Producer": "neurograph"},
}


def check_pixel_budget(figure: Figure, dpi: int) -> None:
    """Refuse a resolution out of :data:`DPI_RANGE`, or one at which ``figure`` exceeds the pixel budget.

    The budget is :data:`MAX_PIXELS` in all and :data:`MAX_SIDE_PIXELS` along either side.

    A PNG is rendered on a canvas of that many pixels, and so are the rasterized parts of an
    SVG or PDF; :func:`figure_bytes` checks the budget for those.

    Raises
    ------
    InvalidValueError
        Naming the dpi and the largest dpi within the budget.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> check_pixel_budget(Figure(figsize=(8, 10)), 300)
    >>> check_pixel_budget(Figure(figsize=(8, 10)), 2400)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid dpi 2400: expected at most 707 for this 8 x 10 inch figure (the budget is 40,000,000 pixels, 32,768 along a side)
    """
    _check_dpi(dpi)
    width, height = (float(inches) for inches in figure.get_size_inches())
    area, longest = width * height, max(width, height)
    largest = min(
        (MAX_PIXELS / area) ** 0.5 if area > 0 else math.inf, MAX_SIDE_PIXELS / longest if longest > 0 else math.inf
    )
    if dpi > largest:
        raise InvalidValueError(
            "dpi", dpi,
            f"at most {int(largest)} for this {width:.3g} x {height:.3g} inch figure (the budget is "
            f"{MAX_PIXELS:,} pixels, {MAX_SIDE_PIXELS:,} along a side)",
        )


def _check_dpi(dpi):
    low, high = DPI_RANGE
    if isinstance(dpi, bool) or not isinstance(dpi, int) or not low <= dpi <= high:
        raise InvalidValueError("dpi", dpi, f"a whole number from {low} to {high}")


def figure_bytes(figure: Figure, fmt: str, dpi: int = 200) -> bytes:
    """Render a matplotlib figure to bytes in ``fmt`` (svg, png or pdf), deterministically.

    Raises
    ------
    InvalidValueError
        For another format, or a dpi out of range or over the pixel budget (see
        :func:`check_pixel_budget`).
    """
    import matplotlib

    if fmt not in FORMATS:
        raise InvalidValueError("figure format", fmt, "one of " + ", ".join(FORMATS))
    if fmt == "png" or _has_rasterized_parts(figure):
        check_pixel_budget(figure, dpi)
    else:
        _check_dpi(dpi)
    buffer = io.BytesIO()
    # Text stays text in SVG (editable on a slide, and far faster to write than glyph outlines);
    # the drawings size their own figures, so no second "tight" layout pass is needed.
    with matplotlib.rc_context({"svg.hashsalt": "neurograph", "svg.fonttype": "none", "pdf.compression": 6}):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return buffer.getvalue()


def _has_rasterized_parts(artist) -> bool:
    """Whether ``artist`` or anything it draws is rasterized.

    The axis of an Axes drawn without axes (``set_axis_off``) is not drawn and not visited:
    ``findobj`` would create its tick objects only to ask them, which took as long as writing
    a sensory map's SVG.
    """
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis

    if artist.get_rasterized():
        return True
    children = artist.get_children()
    if isinstance(artist, Axes) and not artist.axison:
        children = [child for child in children if not isinstance(child, Axis)]
    return any(_has_rasterized_parts(child) for child in children)


def save_figure(figure: Figure, path: str | os.PathLike, dpi: int = 200) -> None:
    """Save a figure in the format its extension names (.svg, .png, .pdf), atomically.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    path : str or os.PathLike
    dpi : int
        Resolution for PNG (and raster parts of the others).

    Raises
    ------
    InvalidValueError
        For an extension other than .svg, .png or .pdf, or a dpi out of range or over the
        pixel budget.
    OutputFileError
        When the file cannot be written or is not a regular file (see
        :func:`neurograph.writing.write_file`).
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidValueError("output file extension", path.suffix or path.name, ".svg, .png or .pdf")
    write_file(path, figure_bytes(figure, fmt, dpi=dpi), fmt)
