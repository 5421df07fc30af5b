"""The part of the anatomy a lesion diagram shows, and where each part goes.

The diagram is a "butterfly": the spinal cord runs down the middle, one row per segment shown;
the cortex and the supraspinal stations sit above it (each hemisphere on its own side, crossing
at the pyramidal decussation); roots, plexus, nerves and muscles fan out sideways, the left
side of the body to the left and the right side to the right, each structure on the rows of
the segments whose fibres it carries. Corticospinal channels, cord tract and anterior horn of a
segment are drawn as one node per station or segment, and roots with their spinal nerve and
ramus as one node per segment, so that the drawing reads like a textbook figure rather than
like the full graph.

Each drawn edge takes the state of the fibres it carries, not that of the structure it reaches:
a nerve whose own fibres are intact is drawn intact even where it reaches a muscle that other
fibres leave weak. Beside a peripheral lesion, the branches that leave the nerve or plexus just
above it are drawn as spared (the triceps branches above a spiral groove lesion). When every
drawn structure below the cord is on one side, the diagram uses the whole width for that side.
A grouped diagram (for a slide or a page) draws a lesion whose two sides are alike as one side,
the other being its mirror image, and, where a slide needs it, an unlesioned plexus as one node.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from neurograph.engine import node_effects
from neurograph.errors import InvalidValueError
from neurograph.routes import route_table
from neurograph.drawing.brainstem import brainstem_layer, place_brainstem, touches_cranial
from neurograph.drawing.style import group_effect
from neurograph.schema import CRANIAL_KINDS, SENSORY_KINDS, decode_segment_list, segment_index

__all__ = ["DisplayGraph", "lesion_layout", "anatomy_layout", "ascending_layer", "SEVERITY_ORDER", "region_deficits"]

#: When effects meet in one drawn node, the strongest wins.
SEVERITY_ORDER = {"intact": 0, "normal": 0, "no_signal": 0.2, "spared": 0.5, "UMN": 1, "LMN": 2, "mixed": 3, "lesion": 4}

#: Node kinds drawn as the peripheral part of a pathway; nodes of other kinds are never spared branches.
_PERIPHERAL_KINDS = ("ventral_root", "spinal_nerve", "ventral_ramus", "plexus_element", "nerve")

#: Above this many affected muscles on one side, muscles are drawn as body-region groups.
MAX_MUSCLES_PER_SIDE = 14
#: The last grouping of :func:`lesion_layout`, for the most crowded slides.
MOST_GROUPED = 6


@dataclass
class DisplayGraph:
    """Drawn nodes (with label, effect, x, y) and drawn edges (with style), plus the title."""

    graph: nx.DiGraph
    title: str
    caption: str
    #: ``"L"`` or ``"R"`` when only that side is drawn (all on the positive side), else None.
    one_side: str | None = None
    #: The side drawn for a lesion whose two sides are alike, or None.
    mirrored: str | None = None


def region_deficits(findings: Any) -> dict[tuple[str, str], tuple[str, int]]:
    """The strongest deficit and the lowest MRC grade of the muscle findings of each (side, body region)."""
    regions: dict[tuple[str, str], tuple[str, int]] = {}
    for finding in findings:
        key = (finding.side, finding.body_region)
        effect, grade = regions.get(key, ("normal", 5))
        if SEVERITY_ORDER[finding.deficit] > SEVERITY_ORDER[effect]:
            effect = finding.deficit
        regions[key] = (effect, min(grade, finding.mrc_grade))
    return regions


def _strongest(effects):
    return max(effects, key=lambda effect: SEVERITY_ORDER.get(effect, 0), default="intact")


_COMPACT = (
    (" of the brachial plexus", ""),
    ("anterior division of the ", "anterior div. "),
    ("posterior division of the ", "posterior div. "),
    ("recurrent thenar branch of the median nerve", "recurrent thenar branch"),
    (" of the ulnar nerve", " (ulnar)"),
)

#: Roughly how wide one character of a label is, in layout units (see drawing.pathway).
CHARACTER_WIDTH = 0.075


#: Labels longer than this break onto two lines.
WRAP_AT = 16


def _short(label, wrap=True):
    """A node's label without its side, shortened, and broken onto two lines when long and ``wrap``."""
    label = label.rsplit(" (", 1)[0] if label.endswith(("(left)", "(right)")) else label
    for long, short in _COMPACT:
        label = label.replace(long, short)
    if not wrap or len(label) <= WRAP_AT or " " not in label:
        return label
    spaces = [index for index, character in enumerate(label) if character == " "]
    split = min(spaces, key=lambda index: abs(index - len(label) / 2))
    return label[:split] + "\n" + label[split + 1 :]


#: The body region each primary motor cortex area is drawn in on the most crowded slides, along the homunculus.
_CORTEX_REGIONS = {
    "perineum": "leg", "leg_foot": "leg", "hip_thigh": "leg", "trunk": "trunk", "shoulder": "arm", "arm": "arm",
    "hand": "arm", "neck": "head and neck", "brow": "head and neck", "eyelid": "head and neck", "face": "head and neck",
    "lips": "head and neck", "jaw": "head and neck", "tongue": "head and neck", "throat": "head and neck",
}


def _nerve_lesioned(G, nerve, side, lesioned):
    """Whether a lesioned node lies on ``nerve`` (a nerve name) on ``side``."""
    return bool(nerve) and any(G.nodes[other].get("nerve") == nerve and G.nodes[other]["side"] == side for other in lesioned)


def _display_key(G, node, grouped=0, lesioned=frozenset()):
    """The drawn node a graph node belongs to, with its stage and label; None where it is drawn as a line."""
    data = G.nodes[node]
    kind, side = data["kind"], data["side"]
    if grouped >= MOST_GROUPED:
        # The most crowded slide: the cortex areas of one body region as one node, and each
        # unlesioned root drawn with its cord segment.
        if kind == "cortical_area" and data.get("area") in _CORTEX_REGIONS:
            region = _CORTEX_REGIONS[data["area"]]
            return f"{side}.cortex.{region}", "cortex", f"{region} areas" if region != "trunk" else "trunk area"
        if kind in ("ventral_root", "spinal_nerve", "ventral_ramus", "dorsal_ramus") and data.get("segment") \
                and node not in lesioned:
            return f"{side}.cord.{data['segment']}", "cord", data["segment"]
        if kind == "nerve" and not _nerve_lesioned(G, data.get("nerve"), side, lesioned) and node not in lesioned:
            return None  # an unlesioned nerve: the line from its plexus or segment to its muscles
    if grouped >= 5 and node not in lesioned:
        # A slide with no room for each point of a nerve: one node per nerve, the dorsal rami with their roots.
        if kind == "dorsal_ramus" and data.get("segment"):
            return f"{side}.root.{data['segment']}", "root", f"{data['segment']} root"
        nerve = data.get("nerve")
        if kind == "nerve" and nerve and not _nerve_lesioned(G, nerve, side, lesioned):
            name = nerve.replace("_", " ") + " nerve"
            return f"{side}.nerve.{nerve}", "periphery", name if name in data["label"] else _short(data["label"], False)
    if grouped >= 2 and kind == "plexus_element" and data.get("plexus") and node not in lesioned:
        return f"{side}.plexus.{data['plexus']}", "periphery", f"{data['plexus']} plexus"
    if kind == "cortical_area":
        return node, "cortex", _short(data["label"], grouped < 4).replace("primary motor cortex, ", "")
    if kind == "tract" and not data.get("segment"):
        return f"{side}.station.{data['station']}", "station", data["station"].replace("_", " ")
    if kind in ("tract", "anterior_horn"):
        return f"{side}.cord.{data['segment']}", "cord", data["segment"]
    if kind in ("ventral_root", "spinal_nerve", "ventral_ramus"):
        return f"{side}.root.{data['segment']}", "root", f"{data['segment']} root"
    if kind == "muscle":
        return node, "muscle", _short(data["label"], grouped < 4)
    return node, "periphery", _short(data["label"], grouped < 4)


def lesion_layout(
    G: nx.DiGraph, result: Any, side: str | None = None, regions: Collection[str] | None = None, grouped: int = 0,
    ascending: bool | None = None,
) -> DisplayGraph:
    """Choose the structures that matter for ``result`` and place them.

    ``side`` ("L" or "R") keeps one side of the body; ``regions`` (body regions such as "arm",
    "hand", "leg") keeps the muscles of those regions and the pathways to them. ``grouped`` 1
    draws only the right side of a lesion whose sides are alike (the left is its mirror image);
    2 also draws an unlesioned plexus as one node; 3 also draws muscles as body-region groups;
    4 also keeps every label on one line (the room a slide has: fewer rows, wider columns); 5 also
    draws each unlesioned nerve as one node and the dorsal rami with their roots; 6 also draws
    the primary motor cortex areas of one body region as one node, each unlesioned root with its
    cord segment, each unlesioned nerve as the line to its muscles, and the cranial muscles by
    nerve, one row from each nucleus, a row apart (the most crowded slide; its caption says so).
    A group of muscles with UMN and LMN signs is drawn ``mixed``.

    A ``side`` on which nothing of the lesion would be drawn (no ``regions`` given) is refused.

    ``ascending`` draws the ascending tracts (see :func:`ascending_layer`) of a lesion with
    sensory findings: by default (None) where the lesion cuts one in the cord or the brain;
    True for any lesion with sensory findings; False never. They take the middle of the
    diagram, on both sides of the midline (where they cross). Where one side is drawn (``side``,
    or a mirror image), so are the ascending tracts of that side's skin only, the drawn side at
    the right and the midline at 0. A lesion that touches a cranial route gets the brainstem part
    (:mod:`neurograph.drawing.brainstem`) when the whole diagram is drawn (no ``side``, no
    ``regions``): both sides, never mirrored, and the ascending tracts only when asked for.

    Returns
    -------
    DisplayGraph
        ``graph`` nodes carry ``label``, ``effect`` (lesion, UMN, LMN, mixed, intact), ``stage``,
        ``side``, ``x``, ``y``; edges carry ``effect`` (that of the fibres they carry: ``LMN``
        past a lesion on a motor route, ``UMN`` past it on a corticospinal route, ``spared`` on a
        branch leaving above it, else ``intact``) and ``dashed`` (a UMN-only muscle linked
        straight to its cord segment, its intact roots and nerves not drawn).
    """
    if side not in (None, "L", "R"):
        raise InvalidValueError("side", side, "'L', 'R' or None")
    asked_side = side
    G = result.graph_given(G)  # the anatomy as it was simulated, whatever was edited since
    table = route_table(G)
    effects = node_effects(G, result)
    lesion_nodes = frozenset(node for site in result.sites for node in site.nodes)
    # The brainstem part draws both sides (its fibres cross), and only for a whole diagram.
    brainstem = side is None and not regions and touches_cranial(G, result)
    if ascending is None:
        # By default the ascending tracts make way for the brainstem part, which takes the same rows.
        ascending = not brainstem and any(G.nodes[node]["kind"] in ("sensory_tract", "sensory_cortex") for node in lesion_nodes)
    ascending = ascending and bool(result.sensation)
    mirrored = None
    if grouped and side is None and _sides_alike(G, result, lesion_nodes) and not brainstem:
        side = mirrored = "R"
    shown = nx.DiGraph()
    members = defaultdict(set)
    fibres = defaultdict(set)

    display_keys: dict[str, tuple[str, str, str] | None] = {}
    drawn_paths: dict[tuple, list[str]] = {}

    def add_path(path, past_lesion="intact", carrying=None):
        """Draw a route; its edges carry ``carrying`` fibres, or past its first lesioned node ``past_lesion``."""
        # Units sharing a motor pool share its drive routes: a route drawn once is drawn.
        drawn = (tuple(path), past_lesion, carrying)
        if drawn in drawn_paths:
            return drawn_paths[drawn]
        keys, cut = [], False
        for node in path:
            if node not in display_keys:
                display_keys[node] = _display_key(G, node, grouped, lesion_nodes)
            if display_keys[node] is None:
                continue  # drawn as the line between its neighbours (never a lesioned node)
            key, stage, label = display_keys[node]
            if key not in shown:
                shown.add_node(key, stage=stage, label=label, side=G.nodes[node]["side"], segments=set())
            members[key].add(node)
            if keys and keys[-1] != key:
                shown.add_edge(keys[-1], key, dashed=False)
                fibres[keys[-1], key].add(carrying or (past_lesion if cut else "intact"))
            cut = cut or node in lesion_nodes
            keys.append(key)
        drawn_paths[drawn] = keys
        return keys

    affected = [
        finding for finding in result.muscles
        if side in (None, finding.side) and (not regions or finding.body_region in regions)
    ]
    most = 0 if grouped >= 3 else MAX_MUSCLES_PER_SIDE
    grouped_sides = {side for side in ("L", "R") if sum(1 for f in affected if f.side == side) > most}
    muscle_key = {}
    for finding in affected:
        if finding.side in grouped_sides:
            key = f"{finding.side}.group.{finding.body_region}"
            label = f"{finding.body_region} muscles"
            muscle_key[finding.muscle] = key
            if key not in shown:
                shown.add_node(key, stage="muscle", label=label, side=finding.side, segments=set(), count=0)
            shown.nodes[key]["count"] += 1
            members[key].add(finding.muscle)
        else:
            muscle_key[finding.muscle] = finding.muscle

    supraspinal_lesion = any(
        G.nodes[node]["kind"] == "cortical_area" or (G.nodes[node]["kind"] == "tract" and not G.nodes[node].get("segment"))
        for node in lesion_nodes
    )
    for finding in affected:
        info = table.muscles[finding.muscle]
        for index in table.units_by_muscle.get(finding.muscle, ()):
            unit = table.units[index]
            if finding.deficit == "UMN":
                # Its roots and nerves are intact: one dashed link from its highest pool stands for them.
                cord = add_path(unit.route[:1])[0]
                target = muscle_key[finding.muscle]
                if target not in shown:
                    add_path([finding.muscle])
                if not any(shown.edges[p, target]["dashed"] for p in shown.predecessors(target)):
                    shown.add_edge(cord, target, dashed=True)
                    fibres[cord, target].add("UMN")
            else:
                keys = add_path(unit.route[:-1], past_lesion="LMN")
                target = muscle_key[finding.muscle]
                if target not in shown:
                    add_path([finding.muscle])
                cut = not lesion_nodes.isdisjoint(unit.route[:-1])
                shown.add_edge(keys[-1], target, dashed=False)
                fibres[keys[-1], target].add("LMN" if cut else "intact")
            for key in (muscle_key[finding.muscle],):
                shown.nodes[key]["segments"].add(unit.segment)
            if finding.deficit in ("UMN", "mixed"):
                pool = table.pools.get((info.side, info.area, unit.segment))
                for route in pool.routes if pool else ():
                    if not any(effects.get(node) for node in route):
                        continue
                    if not supraspinal_lesion:
                        route = tuple(node for node in route if G.nodes[node].get("segment"))
                    add_path(route, past_lesion="UMN")
    for site in result.sites:
        # In name order: a site's nodes are a set, whose order changes from one process to the next.
        for node in sorted(site.nodes):
            # The diagram draws the motor system; sensory structures a site also holds are not drawn.
            kind = G.nodes[node]["kind"]
            # Cranial structures are drawn by the brainstem part.
            if kind not in ("muscle", "reflex") and kind not in SENSORY_KINDS and kind not in CRANIAL_KINDS \
                    and side in (None, G.nodes[node]["side"]):
                add_path([node])
    spared = _add_spared_branches(G, table, result, lesion_nodes, side, regions, add_path)

    for key in shown:
        if shown.nodes[key].get("count"):
            # A group of muscles: mixed where some are UMN- and others LMN-affected.
            effect = group_effect([effects.get(node, "intact") for node in members[key]], lambda e: SEVERITY_ORDER.get(e, 0))
        else:
            effect = _strongest(effects.get(node, "intact") for node in members[key])
        shown.nodes[key]["effect"] = "spared" if effect == "intact" and key in spared else effect
        if shown.nodes[key]["stage"] == "muscle" and shown.nodes[key].get("count"):
            shown.nodes[key]["label"] += f" ({shown.nodes[key]['count']})"
        if key in spared and shown.nodes[key]["stage"] == "muscle":
            shown.nodes[key]["label"] += " (spared)" if grouped >= 4 else "\n(spared)"
    for a, b in shown.edges:
        shown.edges[a, b]["effect"] = _strongest(fibres[a, b])
    if side:
        # One side drawn (asked for, or a mirror image) keeps its own cord column: the drawn side's drive
        # routes also pass the other side's cord (the uncrossed anterior tract), which is left out.
        shown.remove_nodes_from([key for key in list(shown) if shown.nodes[key]["side"] not in (side, "M", None)])
    if ascending:
        ascending_layer(G, result, shown, side=side)
    if brainstem:
        brainstem_layer(G, result, shown, members, SEVERITY_ORDER, grouped)
    if asked_side and not regions and not len(shown):
        raise InvalidValueError(
            "side", {"L": "left", "R": "right"}[asked_side], "a side the lesion touches (nothing of it would be drawn on this one)"
        )
    # The brainstem part's nuclei, a level's one under another, need room between the station rows.
    _place(G, shown, members, inner=ASCENDING_WIDTH if ascending else 0.0, station_spacing=BRAINSTEM_SPACING if brainstem else 1.0)
    if brainstem:
        # The most crowded slide's text fills its rows: its nuclei need a whole row each.
        place_brainstem(shown, inner=ASCENDING_WIDTH if ascending else 0.0, step=1.0 if grouped >= MOST_GROUPED else None)
    drawn_sides = {shown.nodes[key]["side"] for key in shown if shown.nodes[key]["stage"] in ("cord", "root", "periphery", "muscle")}
    one_side = drawn_sides.pop() if len(drawn_sides) == 1 and drawn_sides <= {"L", "R"} and (side or not ascending) and not brainstem else None
    if one_side is not None:
        for key in shown:
            x = shown.nodes[key]["x"]
            # The drawn side goes to the right. With the ascending tracts, whose lanes cross the
            # midline, the whole drawing is turned over (the midline stays at 0); without, every
            # node is folded onto the right.
            shown.nodes[key]["x"] = (-x if one_side == "L" else x) if ascending else abs(x)
    caption = result.caption()
    if grouped >= MOST_GROUPED:
        caption += "\n" + _most_grouped_note(brainstem)
    return DisplayGraph(
        shown, f"Lesion: {result.lesion_label} ({result.phase})", caption, one_side=one_side, mirrored=mirrored
    )


def _most_grouped_note(brainstem):
    """What the most crowded slide (grouping 6) draws together, and where every structure is drawn."""
    cranial = "; cranial muscles by nerve (its numeral: their body regions, how many)" if brainstem else ""
    return ("Grouped for the slide: cortex areas by body region; roots with their cord segment; each unlesioned nerve "
            f"drawn as the line to its muscles; muscles by body region (how many){cranial}. The A4 size draws each cortex area, root, nerve and nucleus.")


def anatomy_layout(G: nx.DiGraph) -> tuple[nx.DiGraph, dict[str, frozenset], list[list[str]]]:
    """Every motor structure short of the muscles, drawn and placed as in the lesion diagram.

    The map of the lesion explorer: each drawn node stands for the graph nodes listed in
    ``members`` (a cord segment's tract and horn, a root with its spinal nerve and ramus, or one
    structure), placed as :func:`lesion_layout` places it, both sides of the body.

    Returns
    -------
    (networkx.DiGraph, dict, list)
        The drawn graph (nodes with ``label``, ``stage``, ``side``, ``x``, ``y``), the graph
        nodes of each drawn node, and for each motor unit of the route table the drawn nodes
        its route passes, in order.

    Examples
    --------
    >>> import neurograph
    >>> shown, members, unit_keys = anatomy_layout(neurograph.load_anatomy())
    >>> sorted(members["R.root.C7"])
    ['R.ramus.C7', 'R.spn.C7', 'R.vroot.C7']
    """
    table = route_table(G)
    shown = nx.DiGraph()
    members = defaultdict(set)

    def add_path(path):
        keys = []
        for node in path:
            key, stage, label = _display_key(G, node)
            if key not in shown:
                shown.add_node(key, stage=stage, label=label, side=G.nodes[node]["side"], segments=set())
            members[key].add(node)
            if keys and keys[-1] != key:
                shown.add_edge(keys[-1], key, dashed=False)
            if not keys or keys[-1] != key:
                keys.append(key)
        return keys

    unit_keys = [add_path(unit.route[:-1]) for unit in table.units]
    for pool in table.pools.values():
        for route in pool.routes:
            add_path(route)
    _place(G, shown, members)
    return shown, {key: frozenset(nodes) for key, nodes in members.items()}, unit_keys


#: Layout units between the supraspinal rows of a diagram with a brainstem part.
BRAINSTEM_SPACING = 2.2

#: Layout units at the midline kept for the ascending tracts, and each lane's distance from the midline.
ASCENDING_WIDTH = 1.0
_ASCENDING_X = {"spinothalamic_tract": 0.22, "dorsal_column": 0.5, "root": 0.85}
#: Names of the drawn ascending stations, and their rows above the cord (the first cord row is 0).
_ASCENDING_STATIONS = {
    "dorsal_column_nuclei": ("dorsal column nuclei", -1.0), "medial_lemniscus": ("medial lemniscus", -2.0),
    "spinal_lemniscus": ("spinal lemniscus", -2.0), "vpl_thalamus": ("VPL thalamus", -3.0),
}
_TRACT_NAMES = {"dorsal_column": ("dorsal columns", "DC"), "spinothalamic_tract": ("spinothalamic tract", "STT")}


def ascending_layer(G: nx.DiGraph, result: Any, shown: nx.DiGraph, side: str | None = None) -> None:
    """Add the ascending tracts of ``result``'s sensory loss to the drawn graph ``shown``.

    For one skin place of each side, or of ``side`` alone (as
    :func:`neurograph.drawing.ascending.ascending_routes` chooses them), each tract's route is drawn from its dorsal root up the cord to the thalamus
    and the somatosensory cortex, with its crossings: the spinothalamic fibres cross the midline
    at their entry (the anterior white commissure), the dorsal columns above the cord (the
    internal arcuate fibres, to the medial lemniscus). In the cord a tract is drawn as a line
    from its entry to its top, with a node where the lesion cuts it. Each edge carries
    ``tract`` (its system, "dorsal_columns" or "spinothalamic") and the state of its fibres as
    ``effect``: "intact" below the lesion (they still carry the signal that far), "no_signal"
    from the lesion on. Nodes have stage "ascending" (placed by :func:`_place_ascending`), and
    ``row`` (a cord segment, or a row above the cord).
    """
    from neurograph.drawing.ascending import ascending_routes

    lesioned = {node for site in result.sites for node in site.nodes}
    carried = defaultdict(set)
    for route in ascending_routes(G, result):
        if side not in (None, route["side"]):
            continue
        nodes, cut = route["nodes"], route["cut"]
        keys: list[list[Any]] = []  # each drawn node of the route with the last route position it stands for
        for position, node in enumerate(nodes):
            drawn = _ascending_key(G, nodes, position, node in lesioned, route["segment"])
            if drawn is None:
                continue  # a stretch of tract drawn as the line between two drawn nodes (never lesioned)
            key, label, row = drawn
            if key not in shown:
                shown.add_node(key, stage="ascending", label=label, side=G.nodes[node]["side"], segments=set(), row=row,
                               effect="intact")
            if node in lesioned:
                shown.nodes[key]["effect"] = "lesion"
            if keys and keys[-1][0] == key:
                keys[-1][1] = position
                continue
            if keys:
                # Fibres leaving a drawn node at or past the lesion's cut no longer carry the signal.
                carried[keys[-1][0], key].add((route["tract"], cut is not None and cut <= keys[-1][1]))
            keys.append([key, position])
    for (a, b), fibres in carried.items():
        tracts = {tract for tract, _ in fibres}
        shown.add_edge(a, b, dashed=False, tract=tracts.pop() if len(tracts) == 1 else "both",
                       effect="no_signal" if all(lost for _, lost in fibres) else "intact")


def _ascending_key(G, nodes, position, lesioned, entry):
    """The drawn node a route node belongs to (key, label, row), or None where the route is drawn as a plain line."""
    data = G.nodes[nodes[position]]
    side, kind, station = data["side"], data["kind"], data.get("station", "")
    if kind in ("skin", "afferent", "dorsal_root_ganglion", "dorsal_root") or position == 0:
        # The skin, its nerves and its root: one node where the fibres enter the cord.
        return f"{side}.ascending.root.{entry}", f"{entry} dorsal root", entry
    if kind == "sensory_cortex":
        return f"{side}.ascending.cortex", "somatosensory cortex", "cortex"
    if station in _ASCENDING_STATIONS:
        name, _ = _ASCENDING_STATIONS[station]
        return f"{side}.ascending.{station}", name, station
    if station in _TRACT_NAMES and data.get("segment"):
        name, short = _TRACT_NAMES[station]
        same = [index for index, node in enumerate(nodes) if G.nodes[node].get("station") == station]
        if lesioned:
            return f"{side}.ascending.{station}.{data['segment']}", f"{short} {data['segment']}", data["segment"]
        if position == same[0]:
            return f"{side}.ascending.{station}.entry", f"{short} {data['segment']}", data["segment"]
        if position == same[-1]:
            return f"{side}.ascending.{station}.top", name, "top"
        return None
    if lesioned:
        return f"{side}.ascending.{station or kind}", (station or kind).replace("_", " "), data.get("segment") or "top"
    return None


def _place_ascending(shown, row_of, top):
    """Place the ascending nodes in the middle lanes: cord nodes at their segments' rows, stations above the cord."""
    order = sorted(row_of, key=segment_index)

    def segment_row(segment):
        if segment in row_of:
            return float(row_of[segment])
        # A segment not drawn in the cord column: between the drawn segments around it.
        below = [row_of[s] for s in order if segment_index(s) > segment_index(segment)]
        above = [row_of[s] for s in order if segment_index(s) < segment_index(segment)]
        if below and above:
            return (max(above) + min(below)) / 2
        return (min(below) - 0.5) if below else ((max(above) + 0.5) if above else 0.0)

    for key in shown:
        data = shown.nodes[key]
        if data["stage"] != "ascending":
            continue
        sign = -1 if data["side"] == "L" else 1
        row, lane = data["row"], key.split(".")[2]
        if row == "cortex":
            data["y"], data["x"] = min(top, -4.0), sign * 0.5
        elif row in _ASCENDING_STATIONS:
            data["y"], data["x"] = _ASCENDING_STATIONS[row][1], sign * (0.5 if row != "spinal_lemniscus" else 0.22)
            if row == "vpl_thalamus":
                data["x"] = sign * 0.35
        elif row == "top":
            data["y"], data["x"] = -0.4, sign * _ASCENDING_X.get(lane, 0.5)
        else:
            data["y"], data["x"] = segment_row(row), sign * _ASCENDING_X.get(lane, 0.5)


def _sides_alike(G, result, lesion_nodes):
    """Whether a lesion hits both sides alike: its nodes and its findings mirror each other."""

    def mirrored(node):
        return "R" + node[1:] if node.startswith("L.") else ("L" + node[1:] if node.startswith("R.") else node)

    if not {G.nodes[node]["side"] for node in lesion_nodes} >= {"L", "R"}:
        return False
    if {mirrored(node) for node in lesion_nodes} != lesion_nodes:
        return False
    findings = {(f.muscle, f.deficit, f.mrc_grade) for f in result.muscles}
    return {(mirrored(muscle), deficit, grade) for muscle, deficit, grade in findings} == findings


def _add_spared_branches(G, table, result, lesion_nodes, side, regions, add_path):
    """Draw the branches that leave just above a peripheral lesion and reach unaffected muscles.

    Returns the drawn nodes of those branches (their muscles and the nerves only they use).
    """
    above = {
        parent for node in lesion_nodes if G.nodes[node]["kind"] in _PERIPHERAL_KINDS
        for parent in G.predecessors(node)
        if G.nodes[parent]["kind"] in _PERIPHERAL_KINDS and parent not in lesion_nodes
    }
    if not above:
        return set()
    affected = {finding.muscle for finding in result.muscles}
    spared = set()
    for index, unit in enumerate(table.units):
        muscle = unit.route[-1]
        data = G.nodes[muscle]
        if muscle in affected or side not in (None, data["side"]) or (regions and data.get("body_region") not in regions):
            continue
        starts = [position for position, node in enumerate(unit.route) if node in above]
        if not starts or not lesion_nodes.isdisjoint(unit.route):
            continue
        keys = add_path(unit.route[starts[0]:], carrying="spared")
        spared.update(keys[1:])
    return spared


def _node_segments(G, nodes):
    found = set()
    for node in nodes:
        data = G.nodes[node]
        if data.get("segment"):
            found.add(data["segment"])
        elif data.get("segments"):
            found.update(decode_segment_list(data["segments"]))
    return found


def _place(G, shown, members, inner=0.0, station_spacing=1.0):
    """Place the drawn nodes; ``inner`` layout units at the midline are left free (for the ascending tracts),
    the supraspinal rows ``station_spacing`` apart."""
    cord_rows = sorted(
        {shown.nodes[key]["label"] for key in shown if shown.nodes[key]["stage"] == "cord"}, key=segment_index
    )
    row_of = {segment: index for index, segment in enumerate(cord_rows)}
    supraspinal = [key for key in shown if shown.nodes[key]["stage"] in ("cortex", "station")]
    station_rows = sorted({_station_rank(G, members[key]) for key in supraspinal})
    top = -len(station_rows) * station_spacing - 0.5
    for key in supraspinal:
        shown.nodes[key]["y"] = top + station_spacing * station_rows.index(_station_rank(G, members[key]))
    for side, sign in (("L", -1), ("R", 1)):
        x = 1.2 + inner
        cortex = sorted(
            (k for k in supraspinal if shown.nodes[k]["stage"] == "cortex" and shown.nodes[k]["side"] == side),
            key=lambda k: shown.nodes[k]["label"],
        )
        for key in cortex:
            shown.nodes[key]["x"] = sign * x
            x += _width(shown.nodes[key]["label"])
    for key in supraspinal:
        data = shown.nodes[key]
        if data["stage"] == "station":
            data["x"] = (0.9 + inner) * (1 if data["side"] == "R" else -1)
    for key in shown:
        data = shown.nodes[key]
        if data["stage"] == "cord":
            data["x"] = (0.35 + inner) * (1 if data["side"] == "R" else -1)
            data["y"] = row_of[data["label"]]

    peripheral = [key for key in shown if shown.nodes[key]["stage"] in ("root", "periphery", "muscle")]
    _place_ascending(shown, row_of, min((shown.nodes[key]["y"] for key in supraspinal), default=0.0))
    depth = {}
    for key in nx.topological_sort(shown.subgraph(peripheral)):
        predecessors = [p for p in shown.predecessors(key) if p in depth]
        depth[key] = 1 + max((depth[p] for p in predecessors), default=0)
    deepest = max((depth[k] for k in peripheral if shown.nodes[k]["stage"] != "muscle"), default=0)
    columns = defaultdict(list)
    for key in peripheral:
        data = shown.nodes[key]
        data["column"] = deepest + 1 if data["stage"] == "muscle" else depth[key]
        columns[(data["side"], data["column"])].append(key)
        rows = [row_of[s] for s in (data["segments"] or _node_segments(G, members[key])) if s in row_of]
        data["y"] = sum(rows) / len(rows) if rows else 0.0
    for side, sign in (("L", -1), ("R", 1)):
        # Each column starts where the widest label of the column before it ends.
        x = 0.35 + inner + _width("C8")
        for column in range(1, deepest + 2):
            keys = columns.get((side, column), [])
            for key in keys:
                shown.nodes[key]["x"] = sign * x
            x += max((_width(shown.nodes[key]["label"]) for key in keys), default=0.0)
    for keys in columns.values():
        keys.sort(key=lambda key: (shown.nodes[key]["y"], shown.nodes[key]["label"]))
        previous = None
        for key in keys:
            data = shown.nodes[key]
            if previous is not None and data["y"] < previous + 1.0:
                data["y"] = previous + 1.0
            previous = data["y"]


def _width(label):
    """Room a node and its label take across, in layout units."""
    return 0.45 + CHARACTER_WIDTH * max(len(line) for line in label.split("\n"))


def _station_rank(G, nodes):
    ranks = [G.nodes[node].get("station_order", 0) for node in nodes]
    return max(ranks) if any(G.nodes[n]["kind"] == "tract" for n in nodes) else 0



