"""The plexus schematic: roots, trunks, divisions, cords and branches in the textbook layout.

Generated from the graph, so a variant anatomy draws its own plexus: the plexus elements of a
plexus (nodes of kind ``plexus_element`` with that ``plexus``), the ventral rami that enter
them (the roots), and the nerves that leave the roots and elements (the branches). Roots stand
in one column from the highest segment down; each element stands one column right of the
furthest of its inputs and level with their mean, so trunks, divisions and cords fall into
their usual columns; every branch is named in the last column, level with where it leaves,
its line drawn from the root or element it leaves (terminal branches from the cords), except the
branches of the roots and trunks, which are named where they leave: on short stubs stacked above
the plexus (below it for its lowest roots), as textbooks draw the dorsal scapular, long thoracic
and suprascapular nerves. The lesion and what
it cuts are coloured as in the pathway diagram; beside the drawing, the branches are listed as
affected or spared, each with its muscles (MRC grade when weak).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

import numpy as np

from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.labels import LabelRequest, measuring_renderer, place_labels, placement_rank
from neurograph.drawing.style import EFFECT_STYLES, FIGURE_SIZES, check_size
from neurograph.engine import node_effects
from neurograph.errors import InvalidValueError
from neurograph.schema import segment_index

__all__ = ["PLEXUSES", "plexus_layout", "draw_plexus", "plexus_figure", "plexus_of_lesion"]

#: The plexuses drawn, and the ``plexus`` attribute values of their elements.
PLEXUSES = {"brachial": ("brachial",), "lumbosacral": ("lumbar", "sacral")}

_ROOT_KINDS = ("ventral_ramus", "spinal_nerve")
_SPACING = 0.9


def _short(label):
    """A label without its side; a division is named by its kind alone (its column says division)."""
    label = label.rsplit(" (", 1)[0] if label.endswith(("(left)", "(right)")) else label
    for kind in ("anterior", "posterior"):
        if label.startswith(f"{kind} division of the "):
            return kind
    return label.replace(" of the brachial plexus", "")


def plexus_of_lesion(G: nx.DiGraph, result: Any) -> str:
    """The plexus a lesion's sites or affected muscles lie in: ``brachial`` unless the legs are hit more."""
    counts: defaultdict[str, int] = defaultdict(int)
    for site in result.sites:
        for node in site.nodes:
            for name, members in PLEXUSES.items():
                if G.nodes[node].get("plexus") in members:
                    counts[name] += 10
    for finding in result.muscles:
        if finding.body_region in ("hip", "thigh", "leg", "foot"):
            counts["lumbosacral"] += 1
        elif finding.body_region in ("shoulder", "arm", "forearm", "hand"):
            counts["brachial"] += 1
    return max(sorted(PLEXUSES), key=lambda name: counts[name]) if counts else "brachial"


def plexus_layout(
    G: nx.DiGraph, plexus: str, side: str
) -> tuple[dict[str, tuple[float, float, str]], list[tuple[str, str]]]:
    """Positions of one plexus on one side: ``{node: (column, row, stage)}`` and its edges.

    Raises
    ------
    InvalidValueError
        For an unknown plexus or side, or an anatomy without that plexus.
    """
    if plexus not in PLEXUSES:
        raise InvalidValueError("plexus", plexus, "one of " + ", ".join(PLEXUSES))
    if side not in ("L", "R"):
        raise InvalidValueError("side", side, "'L' or 'R'")
    elements = {
        node for node, data in G.nodes(data=True)
        if data["kind"] == "plexus_element" and data.get("plexus") in PLEXUSES[plexus] and data["side"] == side
    }
    if not elements:
        raise InvalidValueError("plexus", plexus, f"a plexus the anatomy has ({G.graph.get('name') or 'this graph'} has none)")
    roots = sorted(
        {parent for node in elements for parent in G.predecessors(node) if G.nodes[parent]["kind"] in _ROOT_KINDS},
        key=lambda node: segment_index(G.nodes[node]["segment"]),
    )
    place = {root: (0.0, index * 1.6, "root") for index, root in enumerate(roots)}
    edges = []
    pending = set(elements)
    while pending:
        ready = sorted(node for node in pending if all(p in place for p in G.predecessors(node) if p in elements or p in roots))
        if not ready:
            raise InvalidValueError("plexus", plexus, "elements that do not form a chain from the roots")
        for node in ready:
            parents = [p for p in G.predecessors(node) if p in place]
            column = 1 + max(place[p][0] for p in parents)
            row = sum(place[p][1] for p in parents) / len(parents)
            place[node] = (column, row, G.nodes[node].get("element", "element"))
            edges += [(p, node) for p in parents]
            pending.discard(node)
    last = max(column for column, _, _ in place.values())
    branches = defaultdict(list)
    for origin in list(place):
        for child in G.successors(origin):
            if child not in place and G.nodes[child]["kind"] == "nerve":
                branches[child].append(origin)
    stubs = []
    for branch, origins in sorted(branches.items()):
        furthest = max(place[o][0] for o in origins)
        row = sum(place[o][1] for o in origins) / len(origins)
        edges += [(o, branch) for o in origins]
        if all(place[o][2] in _STUB_STAGES for o in origins):
            # A branch of the roots or trunks is named where it leaves, on a short stub.
            stubs.append((branch, furthest, row))
        else:
            place[branch] = (last + 1, row, "terminal" if furthest == last else "collateral")
    _spread(place)
    _place_stubs(place, stubs)
    return place, edges


#: Stages whose branches are drawn as stubs beside them (above the plexus, or below it for the lowest roots).
_STUB_STAGES = ("root", "trunk")
#: How far right of its origin's column a stub's node stands, in columns.
STUB_OFFSET = 0.3


def _place_stubs(place, stubs):
    """Stack the stubs above the plexus (below it, for those leaving its lower half), nearest the plexus
    those leaving furthest right, so that no stub's line crosses another stub's label."""
    rows = [row for _, row, stage in place.values() if stage not in ("terminal", "collateral")]
    top, bottom = min(rows), max(rows)
    middle = (top + bottom) / 2
    above = sorted((s for s in stubs if s[2] <= middle), key=lambda s: (-s[1], -s[2], s[0]))
    below = sorted((s for s in stubs if s[2] > middle), key=lambda s: (-s[1], s[2], s[0]))
    for direction, edge, group in ((-1, top, above), (1, bottom, below)):
        for index, (branch, column, _) in enumerate(group):
            place[branch] = (column + STUB_OFFSET, edge + direction * _SPACING * (index + 1), "collateral")


def _spread(place):
    """Keep nodes of one column at least one spacing apart, in the order of their rows."""
    columns = defaultdict(list)
    for node, (column, row, _) in place.items():
        columns[column].append(node)
    for nodes in columns.values():
        nodes.sort(key=lambda node: (place[node][1], node))
        previous = None
        for node in nodes:
            column, row, stage = place[node]
            if previous is not None and row < previous + _SPACING:
                row = previous + _SPACING
            place[node] = (column, row, stage)
            previous = row


def _muscles_of(G, branch):
    """The muscles a branch reaches, through its own nerve branches."""
    found, stack, seen = [], [branch], {branch}
    while stack:
        node = stack.pop()
        for child in G.successors(node):
            if child in seen:
                continue
            seen.add(child)
            if G.nodes[child]["kind"] == "muscle":
                found.append(child)
            elif G.nodes[child]["kind"] == "nerve":
                stack.append(child)
    return sorted(found, key=lambda node: G.nodes[node]["label"])


def draw_plexus(
    G: nx.DiGraph, result: Any, ax: Axes, plexus: str | None = None, side: str | None = None, font: float = 9.0
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Draw the plexus schematic of ``result`` into ``ax``, with the branch list at its right.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> figure = plexus_figure(G, neurograph.simulate(G, neurograph.preset_lesion(G, "erb")))
    >>> figure.axes[0].get_title(loc="left")
    'Brachial plexus (right): upper trunk of the brachial plexus (right)'
    """
    from matplotlib.collections import LineCollection

    G = result.graph_given(G)  # the anatomy as it was simulated, whatever was edited since
    plexus = plexus or plexus_of_lesion(G, result)
    if side is None:
        sides = [G.nodes[node]["side"] for site in result.sites for node in site.nodes] + [f.side for f in result.muscles]
        side = "L" if sides.count("L") > sides.count("R") else "R"
    place, edges = plexus_layout(G, plexus, side)
    labels = {
        node: G.nodes[node]["segment"] if stage == "root" else _short(G.nodes[node]["label"])
        for node, (_, _, stage) in place.items()
    }
    # Columns as wide as their longest label, in inches (the axes' x unit).
    # Stubs (at a fraction of a column) stand a little right of their origin's column.
    widths: defaultdict[float, float] = defaultdict(float)
    for node, (column, _, _) in place.items():
        if column == int(column):
            widths[column] = max(widths[column], 0.35 + len(labels[node]) * font / 72 * 0.56)
    column_x, right = {}, 0.0
    for column in sorted(widths):
        column_x[column] = right
        right += widths[column] + 0.25
    for node, (column, _, _) in place.items():
        if column != int(column):
            right = max(right, column_x[int(column)] + 0.35 + 0.35 + len(labels[node]) * font / 72 * 0.56)
    place = {
        node: (column_x[column] if column == int(column) else column_x[int(column)] + 0.35, row, stage)
        for node, (column, row, stage) in place.items()
    }
    effects = node_effects(G, result)
    findings = {finding.muscle: finding for finding in result.muscles}
    lesioned = {node for site in result.sites for node in site.nodes}

    def effect(node):
        return effects.get(node, "intact")

    lines = defaultdict(list)
    for a, b in edges:
        (xa, ya, _), (xb, yb, _) = place[a], place[b]
        # An edge carries cut fibres only past the lesion: from a lesioned or affected node to an affected one.
        cut = effect(b) in ("LMN", "mixed") and effect(a) in ("lesion", "LMN", "mixed")
        lines["LMN" if cut else "intact"].append([(xa, ya), (xb, yb)])
    for kind, segments in sorted(lines.items()):
        ax.add_collection(LineCollection(
            segments, colors=EFFECT_STYLES[kind]["color"], linewidths=2.2 if kind != "intact" else 1.2, zorder=1,
        ))
    for node, (x, y, stage) in sorted(place.items()):
        style = EFFECT_STYLES[effect(node)]
        ax.scatter([x], [y], s=_marker_area(node in lesioned), marker=style["marker"], zorder=3,
                   facecolor=style["color"] if node in lesioned else style["fill"], edgecolor=style["color"])
    stages: dict[str, float] = {}
    for x, _, stage in place.values():
        if stage in ("root", "trunk", "division", "cord"):
            stages.setdefault(stage, x)
    top = min(y for _, y, _ in place.values()) - 1.0
    headings = [ax.text(x, top, stage + "s", ha="center", va="bottom", fontsize=font, color="#555555", style="italic")
                for stage, x in stages.items()]
    figure = ax.get_figure(root=True)
    axes_width = ax.get_position().width * (figure.get_size_inches()[0] if figure is not None else 0.0)
    ax.set_xlim(-0.4, max(axes_width - 0.4, right))
    ax.set_ylim(max(y for _, y, _ in place.values()) + 0.8, top - 0.3)
    ax.set_axis_off()
    side_word = {"L": "left", "R": "right"}[side]
    ax.set_title(f"{plexus.capitalize()} plexus ({side_word}): {result.lesion_label}", loc="left",
                 fontsize=font + 2, fontweight="bold")
    # Labels are laid out clear of every line, marker and other label (a root's at its left, the
    # rest at their right where that is free), as in the pathway diagram.
    requests = []
    for node in sorted(place, key=lambda node: (placement_rank(effect(node)), place[node][1], place[node][0], node)):
        x, y, stage = place[node]
        text = ax.text(x, y, labels[node], fontsize=font, zorder=4, fontweight="bold" if node in lesioned else "normal",
                       color="#000000" if effect(node) != "intact" else "#555555")
        text.set_gid(f"label:{node}")
        requests.append(LabelRequest(text, x, y, math.sqrt(_marker_area(node in lesioned)) / 2, -1 if stage == "root" else 1))
    renderer = measuring_renderer(ax.figure)
    keep_out = [heading.get_window_extent(renderer).extents for heading in headings]
    drawn_lines = np.array([segment for group in lines.values() for segment in group], dtype=float).reshape(-1, 2, 2)
    place_labels(ax, requests, drawn_lines, keep_out, renderer=renderer)
    return _branch_list(G, place, findings, effects)


def _marker_area(lesioned):
    """A node marker's area in points squared: the lesion's own nodes are drawn larger."""
    return 70 if lesioned else 30


def _branch_list(G, place, findings, effects):
    """The branch list: branches whose own fibres are cut, with their weak muscles and grades, then spared ones."""
    affected, spared = [], []
    for node, (_, _, stage) in sorted(place.items(), key=lambda item: (item[1][1], item[0])):
        if stage not in ("terminal", "collateral"):
            continue
        muscles = _muscles_of(G, node)
        weak = [findings[m] for m in muscles if m in findings]
        name = _short(G.nodes[node]["label"])
        if effects.get(node) in ("lesion", "LMN", "mixed"):
            affected.append((name, ", ".join(f"{_short(f.label)} {f.mrc_grade}" for f in weak)))
        elif muscles:
            spared.append((name, ", ".join(_short(G.nodes[m]["label"]) for m in muscles)))
    return affected, spared


def plexus_figure(
    G: nx.DiGraph, result: Any, plexus: str | None = None, side: str | None = None, size: str = "free",
    dpi: int | None = None,
) -> Figure:
    """A stand-alone Figure of the plexus schematic with its branch list (``size`` as for the pathway diagram).

    Raises
    ------
    InvalidValueError
        For an unknown plexus, side or size, or an anatomy without the plexus.
    """
    import textwrap

    from matplotlib.figure import Figure

    check_size(size)
    width, height = FIGURE_SIZES["slide"] if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    font = 8.0 if size == "a4" else 9.0
    ax = figure.add_axes((0.02, 0.03, 0.58, 0.9))
    affected, spared = draw_plexus(G, result, ax, plexus=plexus, side=side, font=font)
    panel = figure.add_axes((0.62, 0.03, 0.37, 0.9))
    panel.set_axis_off()
    rows = []
    for heading, entries, colour in (("Affected branches (muscle, MRC grade)", affected, EFFECT_STYLES["LMN"]["color"]),
                                     ("Spared branches", spared, EFFECT_STYLES["spared"]["color"])):
        rows.append((heading, colour, "bold"))
        for name, muscles in entries or [("none", "")]:
            text = f"{name}: {muscles}" if muscles else name
            for index, line in enumerate(textwrap.wrap(text, 62, subsequent_indent="   ")):
                rows.append((line, "#000000", "normal"))
        rows.append(("", "#000000", "normal"))
    step = min(1.0 / max(len(rows), 1), font * 1.45 / 72 / (height * 0.9))
    if step * height * 0.9 * 72 < font * 1.2:
        # Too many lines for the panel at this size: the spared branches are shortened to their names.
        rows = [row for row in rows if not row[0].startswith("   ")]
        step = min(1.0 / max(len(rows), 1), font * 1.45 / 72 / (height * 0.9))
    for index, (text, colour, weight) in enumerate(rows):
        panel.text(0.0, 1.0 - index * step, text, fontsize=font, color=colour, fontweight=weight, va="top",
                   transform=panel.transAxes)
    return figure
