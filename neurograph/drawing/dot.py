"""Graphviz DOT export of a lesion diagram, through pydot.

The DOT text needs no Graphviz program; where ``dot`` is installed, :func:`render_svg` turns
it into SVG. Colours, shapes and lesion marks are those of the matplotlib diagram.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

import shutil
import subprocess

from neurograph.drawing.layout import lesion_layout
from neurograph.drawing.style import EFFECT_STYLES
from neurograph.errors import NeurographError

__all__ = ["to_dot", "render_svg", "dot_available"]


def _escaped(text):
    """Text inside a DOT string: backslashes and quotes escaped, line breaks made spaces."""
    return " ".join(str(text).splitlines()).replace("\\", "\\\\").replace('"', '\\"')


def _quoted(text):
    return '"' + _escaped(text) + '"'


def _lines(*lines):
    """A DOT label of the given lines, each centred: DOT's line break is the two characters ``\\n``."""
    return '"' + "\\n".join(_escaped(line) for line in lines if line) + '"'


def to_dot(G: nx.DiGraph, result: Any) -> str:
    """The lesion diagram as Graphviz DOT text, top to bottom, left side left.

    Examples
    --------
    >>> import neurograph, pydot
    >>> G = neurograph.load_anatomy()
    >>> text = to_dot(G, neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> graph = pydot.graph_from_dot_data(text)[0]
    >>> graph.get_node('"R.radial.spiral_groove"')[0].get("shape")
    'octagon'
    """
    import pydot

    display = lesion_layout(G, result)
    shown = display.graph
    graph = pydot.Dot(
        "lesion", graph_type="digraph", rankdir="TB", label=_lines(display.title, display.caption),
        labelloc="t", fontsize="12", fontname="Helvetica", splines="true", nodesep="0.25", ranksep="0.35",
    )
    for key in sorted(shown):
        data = shown.nodes[key]
        style = EFFECT_STYLES[data["effect"]]
        attributes = {
            "label": _quoted(data["label"]), "shape": style["dot_shape"], "style": '"filled"',
            "fillcolor": _quoted(style["fill"]), "color": _quoted(style["color"]), "fontname": "Helvetica",
            "fontsize": "10", "tooltip": _quoted(style["label"]),
        }
        if data["effect"] == "lesion":
            attributes.update(penwidth="3", style='"filled,bold"', xlabel=_quoted("lesion"))
        graph.add_node(pydot.Node(_quoted(key), **attributes))
    for a, b in sorted(shown.edges):
        data = shown.edges[a, b]
        style = EFFECT_STYLES[data["effect"] if data["effect"] != "lesion" else "LMN"]
        affected = data["effect"] not in ("intact", "normal")
        graph.add_edge(pydot.Edge(
            _quoted(a), _quoted(b), color=_quoted(style["color"] if affected else EFFECT_STYLES["intact"]["color"]),
            penwidth="2" if affected else "1", style="dashed" if data["dashed"] else "solid",
        ))
    return graph.to_string()


def dot_available() -> bool:
    """Whether the Graphviz ``dot`` program is on the PATH."""
    return shutil.which("dot") is not None


def render_svg(dot_text: str, timeout: float = 60) -> bytes:
    """Render DOT text to SVG bytes with the Graphviz ``dot`` program.

    Raises
    ------
    NeurographError
        When ``dot`` is not installed, fails, or takes longer than ``timeout`` seconds.
    """
    program = shutil.which("dot")
    if program is None:
        raise NeurographError("the Graphviz 'dot' program is not installed; the DOT text needs no program")
    try:
        completed = subprocess.run(
            [program, "-Tsvg"], input=dot_text.encode("utf-8"), capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise NeurographError(f"Graphviz 'dot' took longer than {timeout} s") from None
    if completed.returncode != 0:
        raise NeurographError(f"Graphviz 'dot' failed: {completed.stderr.decode('utf-8', 'replace').strip()}")
    return completed.stdout
