"""The ascending pathways of a lesion: the dorsal columns and the spinothalamic tract, with their crossings.

From one skin place of each side (by default the ISNCSCI key point of a level where the lesion
costs the most tracts), each tract's route is drawn from the skin through the dorsal root, up
the cord and the brainstem, to the thalamus and the somatosensory cortex, as the graph has it
(the routes of :class:`neurograph.routes.SensoryRouteTable`, as
:func:`neurograph.paths.ascending_pathway` lists them): the dorsal columns climb on the side of the body
they serve and cross in the medulla (the internal arcuate fibres), the spinothalamic fibres
cross in the anterior white commissure within a segment or two of their entry. Where a route
meets the lesion it is marked, and the rest of it, which no longer carries the signal, is
drawn dotted and grey. The patient's left is on the viewer's left, the cortex on top.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.figure import Figure

from neurograph.drawing.cross_section import TRACT_STYLES
from neurograph.drawing.export import check_pixel_budget
from neurograph.drawing.style import FIGURE_SIZES, LABEL_HALO, check_size, text_panel
from neurograph.errors import InvalidValueError
from neurograph.routes import route_table, sensory_route_table
from neurograph.schema import MODALITY_TRACTS, SENSORY_TRACTS, SIDE_NAMES, segment_index

__all__ = ["ascending_routes", "ascending_figure"]

#: Rows of the stations above the cord, cortex first; cord segments follow, one row each.
_STATION_ROWS = {
    "somatosensory_cortex": 0.0, "corona_radiata": 1.6, "internal_capsule": 3.2, "vpl_thalamus": 4.8,
    "medial_lemniscus": 6.6, "spinal_lemniscus": 6.6, "internal_arcuate_fibres": 8.4, "dorsal_column_nuclei": 10.0,
}
_FIRST_SEGMENT_ROW = 11.8
#: Distance from the midline of each station (the patient's left negative).
_STATION_X = {
    "skin": 4.2, "dorsal_root": 3.1, "lissauer_tract": 1.55, "dorsal_horn": 1.15, "anterior_white_commissure": 0.25,
    "dorsal_column": 0.6, "spinothalamic_tract": 1.9, "dorsal_column_nuclei": 0.6, "internal_arcuate_fibres": 0.2,
    "medial_lemniscus": 0.6, "spinal_lemniscus": 1.5, "vpl_thalamus": 1.0, "internal_capsule": 1.45,
    "corona_radiata": 1.9, "somatosensory_cortex": 2.5,
}
#: Names of the rows above the cord, shown at the left margin.
_ROW_NAMES = (
    (0.0, "somatosensory cortex"), (1.6, "corona radiata"), (3.2, "internal capsule"), (4.8, "VPL thalamus"),
    (6.6, "medial and spinal lemniscus"), (8.4, "sensory decussation"), (10.0, "dorsal column nuclei (medulla)"),
)
_LOST = "#8C8C8C"


def _station(G, node):
    data = G.nodes[node]
    if data["kind"] == "sensory_cortex":
        return "somatosensory_cortex"
    if data["kind"] in ("dorsal_root", "dorsal_root_ganglion"):
        return "dorsal_root"
    return data.get("station", "")


def _chosen_places(G, result):
    """One skin place of each side: the key points of the level losing most tracts (the median of ties)."""
    lost = {finding.place: len(finding.tracts_lost) for finding in result.sensation}
    levels: dict[str, dict[str, str]] = {}
    for node, data in G.nodes(data=True):
        if data.get("kind") == "skin" and data.get("isncsci_level") and data.get("side") in ("L", "R"):
            levels.setdefault(data["isncsci_level"], {})[data["side"]] = node
    scored = [(sum(lost.get(node, 0) for node in sides.values()), level) for level, sides in levels.items() if len(sides) == 2]
    if scored and max(score for score, _ in scored) > 0:
        best = max(score for score, _ in scored)
        tied = sorted((level for score, level in scored if score == best), key=lambda level: segment_index(level.split("-")[0]))
        return [levels[tied[(len(tied) - 1) // 2]][side] for side in ("L", "R")]
    altered = [finding.place for finding in result.sensation]
    if altered:
        first = altered[0]
        mirror = ("R" if first.startswith("L.") else "L") + first[1:]
        return sorted({first, mirror} & set(G.nodes))
    raise InvalidValueError("lesion", result.lesion_label, "one that alters sensation somewhere")


def ascending_routes(G: nx.DiGraph, result: Any, places: list[str] | None = None) -> list[dict[str, Any]]:
    """The routes the figure draws: per place and tract, its nodes and where the lesion first meets it.

    Returns a list of ``{"place", "side", "tract", "nodes", "cut"}`` (``cut`` is the position in
    ``nodes`` of the first lesioned node, or None).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
    >>> [(r["side"], r["tract"], r["cut"] is not None) for r in ascending_routes(G, result)]
    [('L', 'dorsal_columns', True), ('L', 'spinothalamic', False), ('R', 'dorsal_columns', False), ('R', 'spinothalamic', True)]
    """
    G = result.graph_given(G)
    table = sensory_route_table(G)
    depth = route_table(G).depth
    lesioned = {node for site in result.sites for node in site.nodes}

    def listed(piece):
        """A piece's routes, each in signal order (a bundle: its example route)."""
        routes, bundle = table.pieces[piece]
        if bundle is not None:
            return [tuple(bundle.route)]
        return [tuple(sorted(nodes, key=depth.__getitem__)) for nodes in routes]

    chosen = []
    for place in places or _chosen_places(G, result):
        for tract in SENSORY_TRACTS:
            candidates = [
                (segment, peripheral, central)
                for segment, peripheral_piece, central_piece in table.channels.get((place, tract), ())
                for peripheral in listed(peripheral_piece) for central in listed(central_piece)
            ]
            if not candidates:
                continue
            # The route the lesion meets, if any does; else the first.
            segment, peripheral, central = next(
                (c for c in candidates if lesioned & (set(c[1]) | set(c[2]))), candidates[0]
            )
            nodes = (peripheral[0],) + central
            # The nerves between the skin and the dorsal root are drawn as one line: a cut on it
            # is at its start (0), a cut of the ganglion or the root at the root (1).
            peripheral_cut = [G.nodes[node]["kind"] for node in peripheral if node in lesioned]
            if peripheral_cut:
                cut: int | None = 1 if {"dorsal_root", "dorsal_root_ganglion"} & set(peripheral_cut) else 0
            else:
                cut = next((index for index, node in enumerate(nodes) if node in lesioned), None)
            chosen.append({"place": place, "side": G.nodes[place]["side"], "tract": tract, "nodes": nodes, "cut": cut,
                           "segment": segment})
    return chosen


def ascending_figure(G: nx.DiGraph, result: Any, places: list[str] | None = None, size: str = "free",
                     dpi: int | None = None) -> Figure:
    """A stand-alone Figure of the ascending pathways of ``result`` (``size`` as for the other figures).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left"))
    >>> ascending_figure(G, result, size="slide").axes[0].get_title(loc="left")
    'Ascending pathways: T10 cord segment, left'
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    check_size(size)
    G = result.graph_given(G)
    routes = ascending_routes(G, result, places)
    width, height = (11.0, 8.0) if size == "free" else FIGURE_SIZES[size]
    figure = Figure(figsize=(width, height))
    if dpi is not None:
        check_pixel_budget(figure, dpi)
    font = 9.0 if size == "slide" else 8.0
    ax = figure.add_axes((0.0, 0.09, 0.74, 0.84))
    # The cord from its top down to the lowest segment a drawn route enters at, one row per segment.
    lowest = max(segment_index(route["segment"]) for route in routes)
    shown = sorted({d["segment"] for _, d in G.nodes(data=True) if d.get("kind") == "sensory_tract" and d.get("segment")
                    and segment_index(d["segment"]) <= lowest}, key=segment_index)
    row_of = {segment: _FIRST_SEGMENT_ROW + index for index, segment in enumerate(shown)}

    def position(node, entry):
        data = G.nodes[node]
        station = "skin" if data["kind"] == "skin" else _station(G, node)
        sign = -1 if data["side"] == "L" else 1
        if station in _STATION_ROWS:
            y = _STATION_ROWS[station]
        else:
            y = row_of.get(data.get("segment") or entry, row_of[entry])
        return sign * _STATION_X.get(station, 2.0), y

    bottom = _FIRST_SEGMENT_ROW + len(shown)
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((-2.3, _FIRST_SEGMENT_ROW - 0.6), 4.6, len(shown) + 0.2, boxstyle="round,pad=0.05",
                                facecolor="#F2F2F2", edgecolor="#BBBBBB", zorder=0))
    ax.add_patch(FancyBboxPatch((-2.0, 5.8), 4.0, 5.0, boxstyle="round,pad=0.05", facecolor="#F7F7F7",
                                edgecolor="#CCCCCC", zorder=0))
    ax.axvline(0, color="#DDDDDD", linewidth=0.6, zorder=0)
    for segment, y in row_of.items():
        ax.text(0, y, segment, ha="center", va="center", fontsize=font * 0.8 if len(shown) > 24 else font,
                color="#777777", zorder=1)
    for y, name in _ROW_NAMES:
        ax.text(-5.3, y, name, ha="left", va="center", fontsize=font, color="#555555")
    ax.text(-5.3, _FIRST_SEGMENT_ROW + 0.5, "spinal cord", ha="left", va="center", fontsize=font, color="#555555")
    for route in routes:
        colour = TRACT_STYLES[route["tract"]]["edge"]
        points = [position(node, route["segment"]) for node in route["nodes"]]
        cut = route["cut"]
        kept = points if cut is None else points[: cut + 1]
        offset = 0.06 if route["tract"] == "spinothalamic" else -0.06
        xs, ys = zip(*kept)
        ax.plot(xs, [y + offset for y in ys], color=colour, linewidth=2.2, zorder=2, solid_capstyle="round",
                gid=f"route:{route['side']}.{route['tract']}")
        if cut is not None:
            # A cut of a nerve between the skin and the root is marked halfway along that line.
            mark = points[cut] if cut else ((points[0][0] + points[1][0]) / 2, points[0][1])
            xs, ys = zip(*points[cut:])
            ax.plot(xs, [y + offset for y in ys], color=_LOST, linewidth=1.4, linestyle=(0, (1.5, 1.5)), zorder=2,
                    gid=f"lost:{route['side']}.{route['tract']}")
            ax.scatter([mark[0]], [mark[1] + offset], marker="X", s=(font * 1.6) ** 2, color="#000000",
                       zorder=4, gid=f"cut:{route['side']}.{route['tract']}")
        skin_x, skin_y = points[0]
        label = G.nodes[route["place"]]["label"]
        if route["tract"] == "dorsal_columns":
            ax.annotate(_place_name(label), (skin_x, skin_y), xytext=(0, -font * 1.4), textcoords="offset points",
                        ha="center", va="top", fontsize=font, bbox=LABEL_HALO, zorder=5).set_gid(f"label:{route['place']}")
    ax.text(0, _STATION_ROWS["internal_arcuate_fibres"] - 0.6, "the dorsal columns cross here", ha="center", va="bottom",
            fontsize=font, color=TRACT_STYLES["dorsal_columns"]["edge"], bbox=LABEL_HALO, zorder=5)
    ax.set_xlim(-5.4, 5.4)
    ax.set_ylim(bottom + 2.6, -0.8)
    ax.set_axis_off()
    ax.text(-5.3, bottom + 2.5, "left", ha="left", va="bottom", fontsize=font + 1, fontweight="bold", color="#333333")
    ax.text(5.3, bottom + 2.5, "right", ha="right", va="bottom", fontsize=font + 1, fontweight="bold", color="#333333")
    ax.set_title(f"Ascending pathways: {result.lesion_label}", loc="left", fontsize=font + 2, fontweight="bold")
    handles = [
        Line2D([], [], color=TRACT_STYLES[tract]["edge"], linewidth=2.2,
               label=f"{tract.replace('_', ' ')}: " + ", ".join(m.replace("_", " ") for m, t in MODALITY_TRACTS.items() if tract in t))
        for tract in SENSORY_TRACTS
    ]
    handles.append(Line2D([], [], color=_LOST, linewidth=1.4, linestyle=(0, (1.5, 1.5)), label="beyond the lesion: no signal"))
    handles.append(Line2D([], [], linestyle="none", marker="X", color="#000000", markersize=font, label="where the lesion cuts it"))
    figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncol=2, fontsize=font, frameon=False)
    lines = [("What is lost", "bold")]
    for route in routes:
        side, tract = SIDE_NAMES[route["side"]], route["tract"].replace("_", " ")
        state = "cut" if route["cut"] is not None else "intact"
        lines.append((f"{tract} from the {side} {_place_name(G.nodes[route['place']]['label'])}: {state}", "normal"))
    levels = ", ".join(f"{SIDE_NAMES[side]} {level}" for side, level in result.sensory_levels)
    if levels:
        lines += [("", "normal"), (f"Sensory level: {levels}", "bold")]
    text_panel(figure, (0.75, 0.09, 0.24, 0.84), lines, font)
    return figure


def _place_name(label):
    """A skin place's label without its side, a key point by its level."""
    label = label.rsplit(" (", 1)[0] if label.endswith(("(left)", "(right)")) else label
    return label.split(":", 1)[0] if "key sensory point" in label else label
