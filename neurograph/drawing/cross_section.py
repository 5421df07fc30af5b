"""The cord cross-section at one segment: grey matter, motor pools, the long tracts and the lesion.

Generated from the graph: every part drawn stands for the graph nodes of that segment and side
it holds, so a segment draws only the tracts that pass it (the fasciculus cuneatus from T6 up,
the anterior corticospinal tract down to its last segment) and a variant anatomy draws its own.

- Grey matter: the dorsal horn (the spinothalamic relay, laminae I and V) with Lissauer's tract
  at its tip, the anterior white commissure where the spinothalamic fibres cross, and the
  anterior horn with one motor pool per body area the segment drives (the route table's pools),
  placed as ``data/drawing/motor_pool_positions.csv`` ranks them (axial pools medial,
  limb pools lateral, distal limb pools dorsolateral; Kandel 2021, Gray's).
- The lateral corticospinal tract, its laminae (``lamina`` of its nodes, from
  ``data/sources/lcst_lamination.csv``) from medial to lateral; the anterior corticospinal tract
  beside the anterior median fissure. The lamination is disputed (``lamina_disputed_by`` of the
  nodes: Levi et al. 1996 find none): the figure's notes say so, with the references' names.
- The dorsal columns, fasciculus gracilis medial to fasciculus cuneatus, and the spinothalamic
  tract, each laminated by the cord region its fibres enter from (``lamina_order`` of its nodes,
  from ``data/sources/sensory/tract_lamination.csv``: sacral fibres medial in the dorsal columns
  and outermost in the spinothalamic tract).

A part is shaded as lesioned where the lesion holds its nodes (darker where it holds all of
them), and a side whose every part is lesioned is shaded whole. The dorsal side is up, as in
neuroanatomy texts; the patient's left is on the viewer's left, as in the pathway diagram.
Beside the section, each lesioned tract is listed with what its loss means (the body side its
fibres serve and the modalities or movements they carry).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.style import FIGURE_SIZES, SLIDE_MIN_POINTS, check_size, text_panel
from neurograph.errors import InvalidValueError
from neurograph.routes import route_table
from neurograph.schema import MODALITY_TRACTS, SIDE_NAMES, decode_disputes, decode_references, segment_index

__all__ = ["CrossSectionPart", "pool_positions", "cross_section_parts", "draw_cross_section", "cross_section_figure", "lesion_segment",
           "TRACT_STYLES"]

#: Fill and edge colour of each drawn system (Okabe-Ito colours, as the other figures use).
TRACT_STYLES = {
    "grey": {"fill": "#D9D9D9", "edge": "#7F7F7F", "label": "grey matter"},
    "pool": {"fill": "#F2F2F2", "edge": "#7F7F7F", "label": "motor pool (anterior horn)"},
    "motor": {"fill": "#CCE3F0", "edge": "#0072B2", "label": "corticospinal (motor)"},
    "dorsal_columns": {"fill": "#FBE3B3", "edge": "#E69F00", "label": "dorsal columns"},
    "spinothalamic": {"fill": "#F5E4ED", "edge": "#CC79A7", "label": "spinothalamic"},
}
#: The lesion's shading: a dark hatch over the part it holds, paler over a part it holds in part.
LESION_STYLE: dict[str, Any] = {"color": "#000000", "hatch": "xxx", "alpha": 0.55, "partial_alpha": 0.25}

#: Lamination letters of the ascending tracts: the cord region the fibres enter from.
_REGION_LETTERS = {"cervical": "C", "thoracic": "T", "lumbar": "L", "sacral": "S", "coccygeal": "Co"}
#: Words of the lateral corticospinal tract's laminae, by the body areas they drive.
_LAMINA_WORDS = {"medial": "arm", "intermediate": "trunk", "lateral": "leg"}
_LAMINA_ORDER = ("medial", "intermediate", "lateral", "unlaminated")


def pool_positions() -> dict[str, tuple[int, int, str]]:
    """Each body area's motor pool rank medial to lateral and ventral to dorsal, with its source.

    From ``data/drawing/motor_pool_positions.csv`` (inside an installed wheel, or beside
    the package).

    Examples
    --------
    >>> positions = pool_positions()
    >>> positions["neck"][0] < positions["hand"][0] and positions["shoulder"][1] < positions["hand"][1]
    True
    """
    import csv
    from importlib import resources
    from pathlib import Path

    packaged = resources.files("neurograph").joinpath("_data", "drawing", "motor_pool_positions.csv")
    path = Path(str(packaged)) if packaged.is_file() else (
        Path(__file__).resolve().parents[2] / "data" / "drawing" / "motor_pool_positions.csv")
    with open(path, newline="", encoding="utf-8") as handle:
        return {row["area"]: (int(row["mediolateral"]), int(row["ventrodorsal"]), row["source"]) for row in csv.DictReader(handle)}


@dataclass(frozen=True)
class CrossSectionPart:
    """One drawn part of the section: its graph nodes, its outline and whether the lesion holds it.

    ``lesioned`` is the share of its nodes the lesion holds (0 to 1); ``outline`` is a polygon
    in section units (x to the patient's left negative, dorsal up).
    """

    key: str
    system: str
    side: str
    label: str
    letter: str
    nodes: frozenset[str]
    outline: tuple[tuple[float, float], ...]
    lesioned: float


def lesion_segment(G: nx.DiGraph, result: Any) -> str:
    """The most rostral cord segment a lesion holds a structure of, or refuse one that holds none.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> lesion_segment(G, neurograph.simulate(G, neurograph.preset_lesion(G, "central_cord")))
    'C4'
    """
    segments = {
        G.nodes[node]["segment"] for site in result.sites for node in site.nodes
        if G.nodes[node].get("segment") and G.nodes[node]["kind"] in _SECTION_KINDS
    }
    if not segments:
        raise InvalidValueError(
            "lesion", result.lesion_label, "one holding a cord segment's structures, or a segment to draw"
        )
    return min(segments, key=segment_index)


#: Node kinds a cross-section draws (other kinds at a segment, roots and rami, are outside the cord).
_SECTION_KINDS = ("tract", "sensory_tract", "anterior_horn")


def _ellipse(cx, cy, rx, ry, angle=0.0, points=36):
    turn = math.radians(angle)
    outline = []
    for step in range(points):
        t = 2 * math.pi * step / points
        x, y = rx * math.cos(t), ry * math.sin(t)
        outline.append((round(cx + x * math.cos(turn) - y * math.sin(turn), 4),
                        round(cy + x * math.sin(turn) + y * math.cos(turn), 4)))
    return tuple(outline)


def _strip(inner, outer, start, end):
    """The band between fractions ``start`` and ``end`` of the way from polyline ``inner`` to ``outer``."""

    def blend(fraction):
        return [(a[0] + (b[0] - a[0]) * fraction, a[1] + (b[1] - a[1]) * fraction) for a, b in zip(inner, outer)]

    return tuple((round(x, 4), round(y, 4)) for x, y in blend(start) + blend(end)[::-1])


# Section geometry for the right side (the left is its mirror image): the cord is an ellipse of
# half-width 1 and half-height CORD_HEIGHT; each tract lies between an inner and an outer polyline.
CORD_HEIGHT = 0.75
_TRACT_BOUNDS = {
    "dorsal_column": (((0.015, 0.06), (0.015, 0.40), (0.015, 0.72)), ((0.11, 0.08), (0.19, 0.40), (0.27, 0.66))),
    "lateral_corticospinal_tract": (((0.50, 0.40), (0.52, 0.20), (0.57, 0.00)), ((0.74, 0.48), (0.89, 0.26), (0.95, 0.02))),
    "spinothalamic_tract": (((0.66, -0.10), (0.62, -0.30), (0.52, -0.52)), ((0.95, -0.10), (0.86, -0.32), (0.70, -0.50))),
    "anterior_corticospinal_tract": (((0.03, -0.36), (0.03, -0.52), (0.03, -0.70)), ((0.16, -0.36), (0.19, -0.52), (0.21, -0.67))),
}
_DORSAL_HORN = (0.22, 0.36, 0.075, 0.32, -25.0)  # centre x, y, half-width, half-height, tilt (right side)
_LISSAUER = (0.38, 0.71, 0.045, 0.035)
_COMMISSURE = ((0.0, -0.09), (0.11, -0.09), (0.11, -0.16), (0.0, -0.16))


def _ventral_horn(enlarged):
    """The anterior horn's centre and half-axes: wider in the limb enlargements."""
    return (0.32, -0.30, 0.26 if enlarged else 0.17, 0.21 if enlarged else 0.16)


def _mirror(outline, side):
    return outline if side == "R" else tuple((-x, y) for x, y in outline)


def cross_section_parts(G: nx.DiGraph, segment: str, result: Any = None) -> list[CrossSectionPart]:
    """The parts of the section at ``segment``, from the graph, with the lesion's share of each.

    Raises
    ------
    InvalidValueError
        For a segment the anatomy's cord does not have.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> parts = cross_section_parts(G, "C6")
    >>> [part.letter for part in parts if part.key.startswith("L.dorsal_column")]
    ['S', 'L', 'T', 'T', 'C']
    >>> sorted({part.system for part in parts})
    ['dorsal_columns', 'grey', 'motor', 'pool', 'spinothalamic']
    """
    nodes_here = [
        (node, data) for node, data in G.nodes(data=True)
        if data.get("segment") == segment and data.get("kind") in _SECTION_KINDS and data.get("side") in ("L", "R")
    ]
    if not nodes_here:
        raise InvalidValueError("segment", segment, "a cord segment of this anatomy")
    hit = {node for site in result.sites for node in site.nodes} if result is not None else set()
    groups: dict[tuple[str, str, Any], set[str]] = defaultdict(set)
    for node, data in nodes_here:
        station = data.get("station") if data["kind"] != "anterior_horn" else "anterior_horn"
        order: tuple[Any, ...]
        if station == "dorsal_column":
            order = ((data.get("fasciculus") or "") != "gracilis", int(data.get("lamina_order") or 0),
                     data.get("fasciculus") or "", data.get("cord_region") or "")
        elif station == "spinothalamic_tract":
            order = (int(data.get("lamina_order") or 0), data.get("cord_region") or "")
        elif station == "lateral_corticospinal_tract":
            lamina = data.get("lamina") or "unlaminated"
            order = (_LAMINA_ORDER.index(lamina) if lamina in _LAMINA_ORDER else len(_LAMINA_ORDER), lamina)
        else:
            order = ()
        groups[(data["side"], station, order)].add(node)
    pools = defaultdict(list)
    for side, area, pool_segment in route_table(G).pools:
        if pool_segment == segment:
            pools[side].append(area)
    enlarged = any(area in ("arm", "hand", "leg_foot") for areas in pools.values() for area in areas)
    positions = pool_positions()

    parts = []

    def add(side, key, system, label, letter, nodes, outline):
        share = len(nodes & hit) / len(nodes) if nodes else 0.0
        parts.append(CrossSectionPart(
            f"{side}.{key}", system, side, label, letter, frozenset(nodes), _mirror(outline, side), share,
        ))

    for side in ("L", "R"):
        horns = groups.pop((side, "anterior_horn", ()), set())
        cx, cy, rx, ry = _ventral_horn(enlarged)
        add(side, "anterior_horn", "grey", "anterior horn", "", horns, _ellipse(cx, cy, rx, ry))
        dx, dy, dw, dh, tilt = _DORSAL_HORN
        add(side, "dorsal_horn", "grey", "dorsal horn", "", groups.pop((side, "dorsal_horn", ()), set()),
            _ellipse(dx, dy, dw, dh, tilt))
        # An area the table does not rank stands dorsolateral of the ranked ones.
        unranked = (max((p[0] for p in positions.values()), default=0) + 1, max((p[1] for p in positions.values()), default=0) + 1, "")
        rank = {area: positions.get(area, unranked) for area in pools.get(side, ())}
        areas = sorted(rank, key=lambda area: (rank[area][0], rank[area][1], area))
        depths = sorted({rank[area][1] for area in areas})
        for index, area in enumerate(areas):
            # Pools spread medial to lateral across the horn in their table order, ventral ones lower (dorsal is up).
            fraction = (index + 0.5) / len(areas)
            x = cx - rx * 0.62 + 2 * rx * 0.62 * fraction
            depth = depths.index(rank[area][1]) / (len(depths) - 1) if len(depths) > 1 else 0.5
            y = cy - ry * 0.38 + ry * 0.76 * depth
            radius = min(rx * 0.62 / len(areas) * 1.1, ry * 0.5)
            add(side, f"pool.{area}", "pool", f"{area.replace('_', ' and ')} pool", str(index + 1), horns,
                _ellipse(x, y, radius, radius, points=20))
        lx, ly, lw, lh = _LISSAUER
        add(side, "lissauer_tract", "spinothalamic", "Lissauer's tract", "",
            groups.pop((side, "lissauer_tract", ()), set()), _ellipse(lx, ly, lw, lh, points=20))
        add(side, "anterior_white_commissure", "spinothalamic", "anterior white commissure", "",
            set().union(*(nodes for (s, station, _), nodes in groups.items() if s == side and station == "anterior_white_commissure")),
            _COMMISSURE)
        for station, system, label in (
            ("dorsal_column", "dorsal_columns", ""), ("lateral_corticospinal_tract", "motor", "lateral corticospinal tract"),
            ("spinothalamic_tract", "spinothalamic", "spinothalamic tract"),
            ("anterior_corticospinal_tract", "motor", "anterior corticospinal tract"),
        ):
            strips = sorted((order, nodes) for (s, st, order), nodes in groups.items() if s == side and st == station)
            inner, outer = _TRACT_BOUNDS[station]
            for index, (order, nodes) in enumerate(strips):
                outline = _strip(inner, outer, index / len(strips), (index + 1) / len(strips))
                sample = G.nodes[min(nodes)]
                if station == "dorsal_column":
                    name, letter = f"fasciculus {sample.get('fasciculus', '')}".strip(), _REGION_LETTERS.get(sample.get("cord_region"), "")
                    key = f"dorsal_column.{sample.get('fasciculus', '')}.{sample.get('cord_region', '')}"
                elif station == "spinothalamic_tract":
                    name, letter = label, _REGION_LETTERS.get(sample.get("cord_region"), "")
                    key = f"spinothalamic_tract.{sample.get('cord_region', '')}"
                elif station == "lateral_corticospinal_tract":
                    lamina = sample.get("lamina") or "unlaminated"
                    name, letter = label, _LAMINA_WORDS.get(lamina, "")
                    key = f"lateral_corticospinal_tract.{lamina}"
                else:
                    name, letter, key = label, "", station
                add(side, key, system, name, letter, nodes, outline)
    return parts


def _lamination_dispute(G, segment):
    """A note naming who gives the lateral corticospinal tract's lamination and who disputes it, from the nodes."""
    given, disputed = set(), {}
    for _, data in G.nodes(data=True):
        if data.get("station") == "lateral_corticospinal_tract" and data.get("segment") == segment and data.get("lamina"):
            given.update(decode_references(data.get("reference", "")))
            for source, values in decode_disputes(data.get("lamina_disputed_by", ""), "lamina_disputed_by").items():
                disputed.setdefault(source, set()).update(values)
    if not given or not disputed:
        return []
    dissent = "; ".join(f"{source}: {', '.join(sorted(values))}" for source, values in sorted(disputed.items()))
    return [("", "normal"), (f"Lamination of the lateral corticospinal tract as {', '.join(sorted(given))} gives it; "
                             f"disputed ({dissent}).", "normal")]


def _consequences(G, parts, segment):
    """What each lesioned tract's loss means, one line per tract and side."""
    lines = []
    seen = set()
    for part in parts:
        if not part.lesioned or part.system not in ("motor", "dorsal_columns", "spinothalamic") or not part.letter and part.system != "motor":
            continue
        data = G.nodes[min(part.nodes)]
        station = data.get("station", "")
        tract = data.get("tract") or station
        key = (part.side, station)
        if key in seen or station in ("lissauer_tract", "anterior_white_commissure", "dorsal_horn"):
            continue
        seen.add(key)
        body = SIDE_NAMES.get(data.get("body_side") or part.side, "")
        if station == "anterior_corticospinal_tract":
            lines.append(f"{SIDE_NAMES[part.side]} anterior corticospinal tract: drive of the axial muscles of both "
                         f"sides (each has both tracts) below {segment}")
            continue
        if part.system == "motor":
            what = "UMN weakness"
        else:
            what = ", ".join(modality.replace("_", " ") for modality, tracts in MODALITY_TRACTS.items() if tract in tracts)
        name = "dorsal columns" if station == "dorsal_column" else station.replace("_", " ")
        laminae = [other for other in parts if other.side == part.side and other.nodes
                   and G.nodes[min(other.nodes)].get("station") == station]
        if station == "lateral_corticospinal_tract" and not all(other.lesioned for other in laminae):
            name += " (" + ", ".join(other.letter for other in laminae if other.lesioned) + " lamina)"
        lines.append(f"{SIDE_NAMES[part.side]} {name}: {what}, {body} body below {segment}")
    return lines


def draw_cross_section(
    G: nx.DiGraph, result: Any, ax: Axes | None = None, segment: str | None = None, font: float = 9.0,
) -> Axes:
    """Draw the cord's cross-section at ``segment`` (by default the lesion's most rostral) with the lesion shaded.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy ``result`` was simulated on (as it was then).
    result : LesionResult
    ax : matplotlib.axes.Axes, optional
        Where to draw; when omitted a free-sized figure is made.
    segment : str, optional
        The segment to cut at; required for a lesion that holds no cord structure.
    font : float
        The label size in points.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
    >>> draw_cross_section(G, result).get_title(loc="left")
    'Cord at T10, dorsal side up: T10 cord segment, left'
    """
    if ax is None:
        return cross_section_figure(G, result, segment=segment).axes[0]
    from matplotlib.patches import Ellipse, Patch, Polygon

    G = result.graph_given(G)
    segment = segment or lesion_segment(G, result)
    parts = cross_section_parts(G, segment, result)
    ax.add_patch(Ellipse((0, 0), 2.0, 2 * CORD_HEIGHT, facecolor="#FFFFFF", edgecolor="#333333", linewidth=1.2, zorder=0))
    for side in ("L", "R"):
        if all(part.lesioned == 1.0 for part in parts if part.side == side and part.nodes):
            # The whole half is lesioned: its white matter too.
            sign = -1 if side == "L" else 1
            half = [(sign * math.cos(t) * 0.995, CORD_HEIGHT * 0.995 * math.sin(t))
                    for t in (math.pi / 2 - math.pi * k / 48 for k in range(49))]
            whole = Polygon([(0, CORD_HEIGHT)] + half + [(0, -CORD_HEIGHT)], closed=True, facecolor="none",
                            edgecolor=LESION_STYLE["color"], hatch="//", linewidth=0.0, alpha=0.3, zorder=0.5)
            whole.set_gid(f"lesion:{side}.half")
            ax.add_patch(whole)
    # Grey matter joins across the midline around the central canal.
    ax.add_patch(Polygon([(-0.13, 0.06), (0.13, 0.06), (0.13, -0.09), (-0.13, -0.09)], closed=True,
                         facecolor=TRACT_STYLES["grey"]["fill"], edgecolor="none", zorder=1))
    for part in parts:
        style = TRACT_STYLES[part.system]
        patch = Polygon(part.outline, closed=True, facecolor=style["fill"], edgecolor=style["edge"], linewidth=0.8,
                        zorder=1 if part.system == "grey" else 2)
        patch.set_gid(f"part:{part.key}")
        ax.add_patch(patch)
        if part.lesioned:
            shade = Polygon(part.outline, closed=True, facecolor="none", edgecolor=LESION_STYLE["color"],
                            hatch=LESION_STYLE["hatch"], linewidth=0.0, zorder=3,
                            alpha=LESION_STYLE["alpha"] if part.lesioned == 1.0 else LESION_STYLE["partial_alpha"])
            shade.set_gid(f"lesion:{part.key}")
            ax.add_patch(shade)
    ax.add_patch(Ellipse((0, -0.01), 0.04, 0.04, facecolor="#FFFFFF", edgecolor="#7F7F7F", linewidth=0.6, zorder=2))
    ax.set_xlim(-1.8, 1.8)
    ax.set_ylim(-CORD_HEIGHT - 0.36, CORD_HEIGHT + 0.34)
    ax.set_aspect("equal")
    ax.set_axis_off()
    _letters(ax, parts, font)
    _labels(ax, parts, font)
    ax.text(-1.8, -CORD_HEIGHT - 0.36, "left", ha="left", va="bottom", fontsize=font + 1, fontweight="bold", color="#333333")
    ax.text(1.8, -CORD_HEIGHT - 0.36, "right", ha="right", va="bottom", fontsize=font + 1, fontweight="bold", color="#333333")
    import textwrap

    title = f"Cord at {segment}, dorsal side up: {result.lesion_label}"
    figure = ax.get_figure(root=True)
    inches = ax.get_position().width * (figure.get_size_inches()[0] if figure is not None else 8.0)
    ax.set_title("\n".join(textwrap.wrap(title, int(inches * 72 / ((font + 2) * 0.6)))), loc="left",
                 fontsize=font + 2, fontweight="bold")
    handles = [Patch(facecolor=TRACT_STYLES[k]["fill"], edgecolor=TRACT_STYLES[k]["edge"], label=TRACT_STYLES[k]["label"])
               for k in ("grey", "motor", "dorsal_columns", "spinothalamic")]
    handles.append(Patch(facecolor="none", edgecolor=LESION_STYLE["color"], hatch=LESION_STYLE["hatch"], label="lesioned"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(handles), fontsize=font,
              frameon=False, handlelength=1.6, columnspacing=1.0, borderaxespad=0.2)
    return ax


def _letters(ax, parts, font):
    """The lamination letters inside the strips of each laminated tract."""
    for part in parts:
        if not part.letter:
            continue
        xs, ys = zip(*part.outline)
        x, y = sum(xs) / len(xs), sum(ys) / len(ys)
        if part.key.split(".", 1)[1].startswith("dorsal_column"):
            # The columns widen dorsally: the letter goes near their dorsal end.
            top = sorted(part.outline, key=lambda point: -point[1])[:2]
            x, y = (top[0][0] + top[1][0]) / 2, (top[0][1] + top[1][1]) / 2 - 0.07
        vertical = part.key.split(".", 1)[1].startswith("lateral_corticospinal")
        # A pool's number stands on white, readable over the lesion's hatch.
        box = {"facecolor": "#FFFFFF", "edgecolor": "none", "pad": 0.6} if part.system == "pool" else None
        ax.text(x, y, part.letter, ha="center", va="center", fontsize=font * (0.85 if len(part.letter) > 2 else 1.0),
                rotation=90 if vertical and len(part.letter) > 2 else 0, zorder=4, color="#222222", bbox=box)


#: The labelled parts: the part key's first words, the label shown, and where the label goes
#: (above the section for the dorsal structures, below it for the ventral ones, else beside it).
_LABELLED = (
    ("dorsal_column.gracilis", "fasciculus gracilis", "top"), ("dorsal_column.cuneatus", "fasciculus cuneatus", "top"),
    ("lissauer_tract", "Lissauer's tract", "top"), ("dorsal_horn", "dorsal horn", "top"),
    ("lateral_corticospinal_tract", "lateral corticospinal tract", "side"),
    ("spinothalamic_tract", "spinothalamic tract", "side"),
    ("anterior_horn", "anterior horn", "bottom"), ("anterior_corticospinal_tract", "anterior corticospinal tract", "bottom"),
    ("anterior_white_commissure", "anterior white commissure", "bottom"),
)


def _labels(ax, parts, font):
    """Each structure named once per side, with a leader line, without two labels or leaders crossing.

    Dorsal structures are named above the section and ventral ones below it, one row each,
    the outermost structure on the row nearest the section so that the vertical leaders never
    run through another label; the lateral tracts are named beside it, level with themselves.
    """
    step = font / 72 * 1.45 * _units_per_inch(ax)
    for side, sign in (("L", -1), ("R", 1)):
        rows: dict[str, list] = {"top": [], "bottom": [], "side": []}
        for prefix, text, where in _LABELLED:
            members = [part for part in parts if part.side == side and part.key.split(".", 1)[1].startswith(prefix)
                       and (part.nodes or prefix in ("anterior_horn", "dorsal_horn"))]
            if not members:
                continue
            points = [point for part in members for point in part.outline]
            if where == "top":
                anchor = max(points, key=lambda p: (p[1] + 0.5 * sign * p[0]))
            elif where == "bottom":
                anchor = min(points, key=lambda p: p[1])
            else:
                middle = sum(p[1] for p in points) / len(points)
                anchor = max((p for p in points if abs(p[1] - middle) < 0.12), key=lambda p: sign * p[0])
            key = members[0].key.rsplit(".", 1)[0] if prefix.startswith("dorsal_column") else members[0].key
            rows[where].append((anchor, text, key, any(part.lesioned for part in members)))
        placed = []
        for where, direction, edge in (("top", 1, CORD_HEIGHT + 0.06), ("bottom", -1, -CORD_HEIGHT - 0.06)):
            for row, ((x, y), text, key, lesioned) in enumerate(sorted(rows[where], key=lambda item: -abs(item[0][0]))):
                placed.append(((x, y), (x, edge + direction * row * step), text, key, lesioned, "top" if direction < 0 else "bottom"))
        for (x, y), text, key, lesioned in rows["side"]:
            placed.append(((x, y), (sign * 1.06, y), text, key, lesioned, "center"))
        for (x, y), (tx, ty), text, key, lesioned, vertical in placed:
            ax.plot([x, tx], [y, ty], color="#777777", linewidth=0.6, zorder=5)
            ax.annotate(
                text, (tx, ty), ha="right" if sign < 0 else "left", va=vertical if vertical == "center" else
                ("bottom" if vertical == "bottom" else "top"), fontsize=font, zorder=6,
                fontweight="bold" if lesioned else "normal",
            ).set_gid(f"label:{key}")


def _units_per_inch(ax):
    """Section units per inch in ``ax`` (equal aspect: the direction that limits the scale)."""
    figure = ax.get_figure(root=True)
    box = ax.get_position()
    inches = figure.get_size_inches() if figure is not None else (1.0, 1.0)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    return max(abs(x1 - x0) / (box.width * inches[0]), abs(y1 - y0) / (box.height * inches[1]))


def cross_section_figure(
    G: nx.DiGraph, result: Any, segment: str | None = None, size: str = "free", dpi: int | None = None,
) -> Figure:
    """A stand-alone Figure of the cross-section, with what each lesioned tract's loss means beside it.

    ``size`` is ``free`` (its own size), ``slide`` (16:9, every text at least 14 px at 1920 x
    1080) or ``a4`` (landscape).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "central_cord"))
    >>> [round(float(v), 2) for v in cross_section_figure(G, result, size="slide").get_size_inches()]
    [13.33, 7.5]
    """
    from matplotlib.figure import Figure

    check_size(size)
    G = result.graph_given(G)
    segment = segment or lesion_segment(G, result)
    width, height = (11.0, 6.2) if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    font = {"free": 8.0, "slide": max(SLIDE_MIN_POINTS + 1.5, 8.5), "a4": 8.0}[size]
    ax = figure.add_axes((0.0, 0.1, 0.72, 0.82))
    draw_cross_section(G, result, ax, segment=segment, font=font)
    parts = cross_section_parts(G, segment, result)
    lines = [("What the lesion cuts here", "bold")] + [(line, "normal") for line in _consequences(G, parts, segment)]
    if len(lines) == 1:
        lines.append(("no long tract at this segment", "normal"))
    levels = ", ".join(f"{SIDE_NAMES[side]} {level}" for side, level in result.sensory_levels)
    if levels:
        lines += [("", "normal"), ("Sensory level: " + levels, "bold")]
    pools = [part.label.removesuffix(" pool") for part in parts if part.system == "pool" and part.side == "R"]
    if pools:
        numbered = ", ".join(f"{number} {area}" for number, area in enumerate(pools, 1))
        sources = sorted({source for area, (*_, source) in pool_positions().items()
                          if area.replace("_", " and ") in pools and source})
        lines += [("", "normal"), (f"Motor pools, medial to lateral ({', '.join(sources)}): {numbered}.", "normal")]
    lines += _lamination_dispute(G, segment)
    lines += [("", "normal"), ("Letters in the ascending tracts: the cord region their fibres enter from (cervical, "
                               "thoracic, lumbar, sacral); arm, trunk, leg: the laminae of the lateral corticospinal "
                               "tract.", "normal")]
    text_panel(figure, (0.72, 0.1, 0.27, 0.82), lines, font)
    return figure
