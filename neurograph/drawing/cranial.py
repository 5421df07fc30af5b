"""The corticobulbar figure: head areas of both hemispheres, their corticobulbar channels down
the brainstem, the cranial motor nuclei at their levels, the nerves to the muscles, the lesion.

Generated from the graph: every channel is the chain of ``corticobulbar_tract`` nodes of one
hemisphere and cortical area, ending on the nuclei its ``corticobulbar`` edges reach (so the
upper face's bilateral supply and the lower face's crossed one are drawn as the data gives
them); every nucleus sits at the brainstem level of its ``level_from``; every muscle hangs on
the nucleus of its motor pool (the superior oblique and superior rectus from the opposite side).

The patient's left is on the viewer's left, as in the pathway diagram; the levels run from the
cortex at the top down to the upper cervical cord. Lines and muscles take the effect class of
the finding (:data:`~neurograph.drawing.style.EFFECT_STYLES`): a channel beyond a lesioned
station no longer carries drive (UMN colour, dashed), a nerve whose route the lesion cuts is
drawn in the LMN colour, and a lesioned structure is marked with the lesion's cross.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.style import EFFECT_STYLES, FIGURE_SIZES, SLIDE_MIN_POINTS, check_size, text_panel
from neurograph.schema import BRAINSTEM_LEVELS, SIDE_NAMES, relative_sides

__all__ = ["corticobulbar_figure", "draw_corticobulbar", "corticobulbar_layout"]

#: Rows of the figure, top to bottom: the cortex, the corticobulbar stations above the brainstem,
#: then the brainstem levels (a station and the nuclei of its level share a row band).
_STATION_ROWS = {"corona_radiata": 1.0, "internal_capsule_genu": 2.0}
_LEVEL_ROW = {level: 3.0 + 2.2 * index for index, level in enumerate(BRAINSTEM_LEVELS)}
#: Brainstem stations at the level where their fibres run.
_STATION_LEVEL = {"cerebral_peduncle": "midbrain_superior_colliculus", "basis_pontis": "pons_mid", "medullary_pyramid": "medulla_rostral"}
#: Horizontal places (the patient's right side mirrors the left, x > 0).
_CORTEX_X, _CHANNEL_X, _NUCLEUS_X, _MUSCLE_X = 0.9, 0.9, 2.4, 4.4
#: The last row drawn: the spinal accessory nucleus's upper cervical segments.
_LAST_ROW = _LEVEL_ROW["C2"]


def _x(side: str, distance: float) -> float:
    return -distance if side == "L" else distance


def corticobulbar_layout(G: nx.DiGraph, result: Any) -> dict[str, Any]:
    """Where each drawn structure sits and what state it is in, for :func:`draw_corticobulbar`.

    Returns a dict: ``areas`` (node to (x, y)), ``channels`` (list of (points, states): one per
    hemisphere and area, each segment ``intact``, ``lesion`` or ``UMN`` for drive lost past a
    lesioned station), ``nuclei`` (node to (x, y, lesioned)), ``muscles`` (node to (x, y,
    label, effect)), ``nerves`` (list of (nucleus point, muscle point, effect, cut)).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> layout = corticobulbar_layout(G, neurograph.simulate(G, "left genu of the internal capsule"))
    >>> layout["muscles"]["R.muscle.orbicularis_oris"][3], layout["muscles"]["R.muscle.frontalis"][3]
    ('UMN', 'intact')
    """
    lesion = frozenset().union(*(site.nodes for site in result.sites))
    kinds = {node: data["kind"] for node, data in G.nodes(data=True)}
    channels_by_key: dict[tuple[str, str], list[str]] = {}
    for node, data in G.nodes(data=True):
        if data["kind"] == "corticobulbar_tract":
            channels_by_key.setdefault((data["hemisphere"], data["area"]), []).append(node)
    areas_used = sorted({area for _, area in channels_by_key}, key=lambda area: G.nodes[f"L.m1.{area}"].get("homunculus_order", 0))
    areas = {}
    for side in ("L", "R"):
        for number, area in enumerate(areas_used):
            areas[f"{side}.m1.{area}"] = (_x(side, _CORTEX_X + 0.32 * number), 0.0)
    nuclei = {}
    by_row: dict[tuple[str, float], int] = {}
    for node, data in sorted(G.nodes(data=True)):
        if data["kind"] == "cranial_nucleus":
            row = _LEVEL_ROW[data["level_from"]]
            place = by_row.get((data["side"], row), 0)
            by_row[(data["side"], row)] = place + 1
            # Subnuclei side by side in a tight cluster; nuclei sharing a level one under another.
            step = (0.2, 0.0) if data.get("parent") else (0.0, 0.7)
            nuclei[node] = (_x(data["side"], _NUCLEUS_X + step[0] * place), row + step[1] * place, node in lesion)
    channels = []
    for (hemisphere, area), nodes in sorted(channels_by_key.items()):
        nodes.sort(key=lambda node: G.nodes[node]["station_order"])
        offset = 0.06 * areas_used.index(area)
        points, states, cut = [areas[f"{hemisphere}.m1.{area}"]], [], f"{hemisphere}.m1.{area}" in lesion
        for node in nodes:
            station = G.nodes[node]["station"]
            row = _STATION_ROWS.get(station, _LEVEL_ROW.get(_STATION_LEVEL.get(station, ""), 0.0))
            # The node's own side: fibres that run on the other side there are drawn crossing to it.
            points.append((_x(G.nodes[node]["side"], _CHANNEL_X - 0.5 + offset), row))
            states.append("lesion" if node in lesion else ("UMN" if cut else "intact"))
            cut = cut or node in lesion
        channels.append((tuple(points), tuple(states)))
        for position, node in enumerate(nodes):
            for nucleus in sorted(G.successors(node)):
                if kinds[nucleus] == "cranial_nucleus":
                    x, y, _ = nuclei[nucleus]
                    # The fibres leaving a station carry what its segment of the channel carries.
                    state = states[position]
                    channels.append(((points[1 + position], (x, y)), ("intact" if state == "intact" else "UMN",)))
    cranial = getattr(result, "cranial", None)
    findings = {finding.muscle: finding for finding in cranial.muscles} if cranial is not None else {}
    muscles, nerves = {}, []
    placed: dict[str, int] = {"L": 0, "R": 0}
    pools = {
        node: [f"{side}.{data['nucleus']}" for side in relative_sides(data["nucleus_side"], data["side"])]
        for node, data in G.nodes(data=True) if data["kind"] == "cranial_muscle"
    }
    order = sorted(pools, key=lambda node: (min(nuclei[n][1] for n in pools[node]), G.nodes[node]["label"]))
    for node in order:
        side = G.nodes[node]["side"]
        effect = findings[node].deficit if node in findings else "intact"
        y = 0.55 * placed[side] + 3.0
        placed[side] += 1
        point = (_x(side, _MUSCLE_X), y)
        muscles[node] = (*point, G.nodes[node]["label"].rsplit(" (", 1)[0], effect)
        for nucleus in pools[node]:
            # Lower motor neurons lost with the nucleus intact: the lesion is on the nerve.
            lost = effect in ("LMN", "mixed")
            nerves.append((nuclei[nucleus][:2], point, "LMN" if lost else "intact", lost and not nuclei[nucleus][2]))
    return {"areas": areas, "channels": channels, "nuclei": nuclei, "muscles": muscles, "nerves": nerves,
            "area_labels": {node: G.nodes[node]["area"] for node in areas}}


def draw_corticobulbar(G: nx.DiGraph, result: Any, ax: Axes, font: float = 8.0) -> Axes:
    """Draw the corticobulbar figure of ``result`` into ``ax``; returns ``ax``."""
    G = result.graph_given(G)
    layout = corticobulbar_layout(G, result)
    line_styles = {"intact": ("-", EFFECT_STYLES["intact"]["color"], 0.8), "UMN": ("--", EFFECT_STYLES["UMN"]["color"], 1.2),
                   "lesion": ("-", EFFECT_STYLES["lesion"]["color"], 2.0), "LMN": ("-", EFFECT_STYLES["LMN"]["color"], 1.2)}
    for number, (points, states) in enumerate(layout["channels"]):
        for (start, end), state in zip(zip(points, points[1:]), states):
            style, colour, width = line_styles[state]
            (line,) = ax.plot([start[0], end[0]], [start[1], end[1]], style, color=colour, linewidth=width, zorder=1)
            line.set_gid(f"channel:{number}:{state}")
    for start, end, effect, cut in layout["nerves"]:
        style, colour, width = line_styles[effect]
        ax.plot([start[0], end[0]], [start[1], end[1]], style, color=colour, linewidth=width, zorder=1)
        if cut:
            ax.plot([(start[0] + end[0]) / 2], [(start[1] + end[1]) / 2], EFFECT_STYLES["lesion"]["marker"],
                    color=EFFECT_STYLES["lesion"]["color"], markersize=font, zorder=4)
    for node, (x, y) in layout["areas"].items():
        ax.plot([x], [y], "o", color=EFFECT_STYLES["intact"]["color"], markersize=font * 0.6, zorder=2)
        ax.text(x, y - 0.35, layout["area_labels"][node], fontsize=font, rotation=90, ha="center", va="bottom", zorder=3)
    labelled_parents: dict[str, str] = {}
    for node, (x, y, lesioned) in layout["nuclei"].items():
        ax.plot([x], [y], "s", color=EFFECT_STYLES["intact"]["color"], markersize=font * 0.7, zorder=2)
        if lesioned:
            (cross,) = ax.plot([x], [y], EFFECT_STYLES["lesion"]["marker"], color=EFFECT_STYLES["lesion"]["color"], markersize=font * 1.2, zorder=4)
            cross.set_gid(f"lesion:{node}")
        parent = G.nodes[node].get("parent")
        if parent and labelled_parents.setdefault(node[0] + parent, node) != node:
            continue
        words = f"{parent.split('.')[-1]} subnuclei" if parent else G.nodes[node]["label"].rsplit(" (", 1)[0]
        ax.text(x, y + 0.25, words.replace(" nucleus", "").replace("nucleus ", ""), fontsize=font, ha="center", va="top", zorder=3,
                gid=f"label:{node}")
    for node, (x, y, label, effect) in layout["muscles"].items():
        look = EFFECT_STYLES["normal" if effect == "intact" else effect]
        (marker,) = ax.plot([x], [y], look["marker"], color=look["color"], markersize=font * 0.8, zorder=2)
        marker.set_gid(f"muscle:{node}:{effect}")
        ax.text(x + (0.12 if x > 0 else -0.12), y, label, fontsize=font, ha="left" if x > 0 else "right", va="center",
                color=look["color"] if effect != "intact" else "#000000", zorder=3, gid=f"label:{node}")
    for area, (x, y) in layout["areas"].items():
        if area in frozenset().union(*(site.nodes for site in result.sites)):
            ax.plot([x], [y], EFFECT_STYLES["lesion"]["marker"], color=EFFECT_STYLES["lesion"]["color"], markersize=font * 1.2, zorder=4)
    rows = [("cortex", 0.0), ("corona radiata", 1.0), ("genu of the internal capsule", 2.0), ("midbrain", _LEVEL_ROW["midbrain_superior_colliculus"]),
            ("pons", _LEVEL_ROW["pons_rostral"]), ("medulla", _LEVEL_ROW["medulla_rostral"]), ("cervical cord", _LEVEL_ROW["C1"])]
    for words, y in rows:
        ax.axhline(y - 0.5, color="#E0E0E0", linewidth=0.6, zorder=0)
        ax.text(0.0, y - 0.45, words, fontsize=font, ha="center", va="top", color="#555555", zorder=3)
    ax.axvline(0.0, color="#E0E0E0", linewidth=0.6, zorder=0)
    lowest = max([y for _, y, _, _ in layout["muscles"].values()] + [_LAST_ROW])
    ax.set_xlim(-_MUSCLE_X - 2.6, _MUSCLE_X + 2.6)
    ax.set_ylim(lowest + 0.8, -1.8)
    ax.text(-_MUSCLE_X, -1.5, f"patient's {SIDE_NAMES['L']}", fontsize=font, ha="left", fontweight="bold")
    ax.text(_MUSCLE_X, -1.5, f"patient's {SIDE_NAMES['R']}", fontsize=font, ha="right", fontweight="bold")
    ax.set_axis_off()
    return ax


def corticobulbar_figure(G: nx.DiGraph, result: Any, size: str = "free", dpi: int | None = None) -> Figure:
    """A stand-alone Figure of the corticobulbar pathways, nuclei and nerves, with the cranial signs beside it.

    ``size`` is ``free`` (its own size), ``slide`` (16:9, every text at least 14 px at 1920 x
    1080) or ``a4`` (landscape).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "weber", side="left"))
    >>> [round(float(v), 2) for v in corticobulbar_figure(G, result, size="slide").get_size_inches()]
    [13.33, 7.5]
    """
    from matplotlib.figure import Figure

    check_size(size)
    G = result.graph_given(G)
    width, height = (12.0, 9.0) if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    font = {"free": 7.0, "slide": SLIDE_MIN_POINTS, "a4": 6.0}[size]
    ax = figure.add_axes((0.0, 0.02, 0.74, 0.96))
    draw_corticobulbar(G, result, ax, font=font)
    cranial = getattr(result, "cranial", None)
    weak = cranial.muscles if cranial is not None else ()
    lines = [(f"Lesion: {result.lesion_label}", "bold"), ("", "normal")]
    lines += [(f"{f.deficit} {f.label}: MRC {f.mrc_grade}", "normal") for f in weak] or [("no cranial muscle weak", "normal")]
    abnormal = [f for f in (cranial.reflexes if cranial is not None else ()) if f.is_abnormal]
    if abnormal:
        lines += [("", "normal")] + [(f"{f.label}: {f.state}", "normal") for f in abnormal]
    lines += [("", "normal"), ("Lines: grey intact; blue dashed, drive lost beyond the lesion; orange, nerve cut; "
                               "black cross, the lesion.", "normal")]
    text_panel(figure, (0.75, 0.02, 0.24, 0.94), lines, font)
    return figure
