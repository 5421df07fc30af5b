"""Writing figures: format from the file extension, deterministic bytes, atomic replacement."""

from __future__ import annotations

import io
from pathlib import Path

from neurograph.errors import InvalidValueError
from neurograph.io import atomic_write_bytes

__all__ = ["save_figure", "figure_bytes", "FORMATS"]

FORMATS = ("svg", "png", "pdf")

# Fixed metadata and hash salt make the same figure give the same bytes on every run.
_METADATA = {
    "svg": {"Date": None, "Creator": "neurograph"},
    "png": {"Software": "neurograph"},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": "neurograph", "Producer": "neurograph"},
}


def figure_bytes(figure, fmt, dpi=200):
    """Render a matplotlib figure to bytes in ``fmt`` (svg, png or pdf), deterministically."""
    import matplotlib

    if fmt not in FORMATS:
        raise InvalidValueError("figure format", fmt, "one of " + ", ".join(FORMATS))
    buffer = io.BytesIO()
    # Text stays text in SVG (editable on a slide, and far faster to write than glyph outlines);
    # the drawings size their own figures, so no second "tight" layout pass is needed.
    with matplotlib.rc_context({"svg.hashsalt": "neurograph", "svg.fonttype": "none", "pdf.compression": 6}):
        figure.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA[fmt])
    return buffer.getvalue()


def save_figure(figure, path, dpi=200):
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
        For an extension other than .svg, .png or .pdf, or a dpi out of range.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InvalidValueError("output file extension", path.suffix or path.name, ".svg, .png or .pdf")
    if not isinstance(dpi, int) or not 10 <= dpi <= 2400:
        raise InvalidValueError("dpi", dpi, "a whole number from 10 to 2400")
    atomic_write_bytes(path, figure_bytes(figure, fmt, dpi=dpi))
