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
from neurograph.drawing.pathway import ASCENDING_COLOURS, NO_SIGNAL_COLOUR
from neurograph.drawing.style import EFFECT_STYLES, LEGEND_ORDER
from neurograph.errors import NeurographError
from neurograph.schema import segment_index

__all__ = ["to_dot", "render_svg", "dot_available"]


def _escaped(text):
    """Text inside a DOT string: backslashes and quotes escaped, line breaks made spaces."""
    return " ".join(str(text).splitlines()).replace("\\", "\\\\").replace('"', '\\"')


def _quoted(text):
    return '"' + _escaped(text) + '"'


def _lines(*lines):
    """A DOT label of the given lines, each centred: DOT's line break is the two characters ``\\n``."""
    return '"' + "\\n".join(_escaped(line) for line in lines if line) + '"'


#: The longest caption line under the title; a longer caption is cut at a word and ends in "...".
CAPTION_CHARACTERS = 120


def _caption_line(caption: str) -> str:
    if len(caption) <= CAPTION_CHARACTERS:
        return caption
    return caption[: CAPTION_CHARACTERS - 4].rsplit(" ", 1)[0].rstrip(",;") + " ..."


def to_dot(G: nx.DiGraph, result: Any) -> str:
    """The lesion diagram as Graphviz DOT text, top to bottom, left side left.

    Each side's structures are in a cluster of its own, labelled with the side; each cord
    segment and supraspinal station names its side too, since both sides draw one. The two cord
    columns are held apart and in order: each side's segments are chained top to bottom by
    invisible edges in one straight group, and a segment drawn on both sides is one rank with
    the left declared before the right, so the columns never braid. A legend cluster shows each effect
    class's shape and colour; the title is the lesion on one line and its key signs on a second,
    cut short when long.

    Examples
    --------
    >>> import neurograph, pydot
    >>> G = neurograph.load_anatomy()
    >>> text = to_dot(G, neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> graph = pydot.graph_from_dot_data(text)[0]
    >>> right = next(cluster for cluster in graph.get_subgraphs() if cluster.get_name() == "cluster_side_R")
    >>> right.get_node('"R.radial.spiral_groove"')[0].get("shape"), right.get_label()
    ('octagon', '"right side"')
    """
    import pydot

    display = lesion_layout(G, result)
    shown = display.graph
    graph = pydot.Dot(
        "lesion", graph_type="digraph", rankdir="TB", label=_lines(display.title, _caption_line(display.caption)),
        labelloc="t", fontsize="12", fontname="Helvetica", splines="true", nodesep="0.25", ranksep="0.35",
        # Rank constraints across the two side clusters (the cord segments of both sides) need newrank.
        newrank="true",
    )
    sides = {
        side: pydot.Subgraph(f"cluster_side_{side}", label=_quoted(f"{word} side"), fontname="Helvetica", fontsize="11", color='"#CCCCCC"')
        for side, word in (("L", "left"), ("R", "right"))
    }
    for key in sorted(shown):
        data = shown.nodes[key]
        style = EFFECT_STYLES[data["effect"]]
        attributes = {
            "label": _quoted(data["label"]), "shape": style["dot_shape"], "style": '"filled"',
            "fillcolor": _quoted(style["fill"]), "color": _quoted(style["color"]), "fontname": "Helvetica",
            "fontsize": "10", "tooltip": _quoted(style["label"]),
        }
        if data["stage"] in _MIDLINE_STAGES and data["side"] in _SIDE_WORDS:
            attributes.update(label=_quoted(f"{data['label']} ({_SIDE_WORDS[data['side']]})"), group=f"cord_{data['side']}")
        if data["effect"] == "lesion":
            attributes.update(penwidth="3", style='"filled,bold"', xlabel=_quoted("lesion"))
        # Cord segments stand outside the side clusters, in rows of their own (see _hold_columns_apart).
        home = graph if data["stage"] == "cord" else sides.get(data["side"], graph)
        home.add_node(pydot.Node(_quoted(key), **attributes))
    rows = _hold_columns_apart(pydot, graph, shown)
    for cluster in sides.values():
        if cluster.get_nodes():
            graph.add_subgraph(cluster)
    for row in rows:
        graph.add_subgraph(row)
    for a, b in sorted(shown.edges):
        data = shown.edges[a, b]
        if data.get("tract"):
            # An ascending tract, as the diagram draws it: its colour while it carries the signal, grey and dotted past the lesion.
            carrying = data["effect"] != "no_signal"
            graph.add_edge(pydot.Edge(
                _quoted(a), _quoted(b), color=_quoted(ASCENDING_COLOURS[data["tract"]] if carrying else NO_SIGNAL_COLOUR),
                penwidth="2", style="solid" if carrying else "dotted",
            ))
            continue
        style = EFFECT_STYLES[data["effect"]]
        affected = data["effect"] not in ("intact", "normal")
        graph.add_edge(pydot.Edge(
            _quoted(a), _quoted(b), color=_quoted(style["color"]),
            penwidth="2" if affected else "1", style="dashed" if data["dashed"] else "solid",
        ))
    graph.add_subgraph(_legend(pydot, {data["effect"] for _, data in shown.nodes(data=True)}))
    return graph.to_string()


#: The stages drawn down the middle, one node per side: the sides' cord columns and stations.
_MIDLINE_STAGES = ("cord", "station")
_SIDE_WORDS = {"L": "left", "R": "right"}


def _hold_columns_apart(pydot: Any, graph: Any, shown: Any) -> list[Any]:
    """Keep each side's cord column straight and in segment order, and the left column left of the right one.

    Chains each side's cord nodes in ``graph`` and returns one same-rank row per segment,
    the left segment declared before the right, the order dot keeps. (An invisible edge from
    left to right within a row would say so too, but dot fails to route such flat edges beside
    the side clusters: "lost edge".) Where both sides draw a cord column, a segment drawn on
    one side only gets an invisible stand-in on the other, so that every row holds both.
    """
    drawn = {key for key in shown if shown.nodes[key]["stage"] == "cord" and shown.nodes[key]["side"] in _SIDE_WORDS}
    segments = sorted({shown.nodes[key]["label"] for key in drawn}, key=segment_index)
    if {key[0] for key in drawn} != set(_SIDE_WORDS):
        segments_by_side = {side: [s for s in segments if f"{side}.cord.{s}" in drawn] for side in _SIDE_WORDS}
        for side, own in segments_by_side.items():
            for upper, lower in zip(own, own[1:]):
                graph.add_edge(pydot.Edge(_quoted(f"{side}.cord.{upper}"), _quoted(f"{side}.cord.{lower}"),
                                          style="invis", weight="100"))
        return []
    for side in _SIDE_WORDS:
        keys = [f"{side}.cord.{segment}" for segment in segments]
        for key in keys:
            if key not in drawn:
                graph.add_node(pydot.Node(_quoted(key), label='""', style="invis", group=f"cord_{side}"))
        for upper, lower in zip(keys, keys[1:]):
            graph.add_edge(pydot.Edge(_quoted(upper), _quoted(lower), style="invis", weight="100"))
    rows = []
    for segment in segments:
        row = pydot.Subgraph(f"rank_{segment}", rank="same")
        row.add_node(pydot.Node(_quoted(f"L.cord.{segment}")))
        row.add_node(pydot.Node(_quoted(f"R.cord.{segment}")))
        rows.append(row)
    return rows


def _legend(pydot: Any, present: set[str]) -> Any:
    """A legend cluster: one node per effect class, in its shape and colours, in a row."""
    legend = pydot.Subgraph("cluster_legend", label='"legend"', fontname="Helvetica", fontsize="10", color='"#CCCCCC"', rank="sink")
    keys = [key for key in LEGEND_ORDER if key != "intact"] + ["intact"] + (["spared"] if "spared" in present else [])
    for key in keys:
        style = EFFECT_STYLES[key]
        legend.add_node(pydot.Node(
            _quoted(f"legend.{key}"), label=_quoted(style["label"]), shape=style["dot_shape"], style='"filled"',
            fillcolor=_quoted(style["fill"]), color=_quoted(style["color"]), fontname="Helvetica", fontsize="9",
        ))
    for a, b in zip(keys, keys[1:]):
        legend.add_edge(pydot.Edge(_quoted(f"legend.{a}"), _quoted(f"legend.{b}"), style="invis"))
    return legend


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
