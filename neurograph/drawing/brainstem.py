"""The brainstem part of the lesion pathway diagram: the cranial motor nuclei at their levels, the
corticobulbar fibres that reach them with their crossings, and the nerves to the weak cranial
muscles.

Drawn when a lesion touches a cranial route (a corticobulbar channel, a cranial nucleus, nerve
or muscle), into the same drawn graph as the limb pathways (:func:`neurograph.drawing.layout.lesion_layout`):

- The corticobulbar fibres run in the supraspinal stations the diagram already draws: the
  corona radiata, the internal capsule (their genu), the cerebral peduncle (midbrain), the basis pontis (pons) and the
  medullary pyramid (medulla); each of these station nodes stands for the corticospinal and the
  corticobulbar fibres there, and is labelled with its level.
- Each nucleus sits beside the station of its level (``level_from``: midbrain III and IV, pons
  V, VI and VII, medulla the nucleus ambiguus and XII; the spinal accessory nucleus below the
  pyramid, in the upper cervical cord), both sides, for every nucleus whose muscles the lesion
  changes or that the lesion reaches; the oculomotor subnuclei are drawn as one nucleus.
- A line joins each station to each drawn nucleus its corticobulbar fibres end on, as the graph
  has them: to both sides for a bilateral supply, across the midline for a crossed one (the
  lower face's fibres to the opposite facial nucleus), back across for sternocleidomastoid.
- From each nucleus a nerve (or the lesioned point of it) runs to the muscles with findings; a
  muscle that lost only its supranuclear drive is linked straight to its nucleus, dashed.

Edges carry the state of their fibres as the limb pathways' do: ``UMN`` past a lesion of the
corticobulbar fibres (their drive is lost), ``LMN`` past a lesion of the nucleus or nerve,
``intact`` otherwise; nodes the effect of what they hold (``lesion``, the finding's class).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

from neurograph.drawing.style import group_effect
from neurograph.routes import chain_paths
from neurograph.schema import CRANIAL_KINDS, relative_sides

__all__ = ["touches_cranial", "brainstem_layer", "place_brainstem", "LEVEL_STATIONS"]

#: The supraspinal station each corticobulbar station's fibres are drawn in, with the level it names.
LEVEL_STATIONS = {
    "corona_radiata": ("corona_radiata", "corona radiata"),
    "internal_capsule_genu": ("internal_capsule", "internal capsule"),
    "cerebral_peduncle": ("cerebral_peduncle", "midbrain: cerebral peduncle"),
    "basis_pontis": ("basis_pontis", "pons: basis pontis"),
    "medullary_pyramid": ("medullary_pyramid", "medulla: pyramid"),
}
#: The drawn row of each nucleus level: the station of that level (the cord's below the pyramid).
_LEVEL_ROWS = {"midbrain": "cerebral_peduncle", "pons": "basis_pontis", "medulla": "medullary_pyramid"}
#: Short names of the drawn nuclei, by cranial nerve.
_NUCLEUS_NAMES = {
    "III": "III nucleus", "IV": "IV nucleus", "V": "V motor nucleus", "VI": "VI nucleus", "VII": "VII nucleus",
    "IX|X": "nucleus ambiguus", "XII": "XII nucleus", "XI": "XI nucleus (C1-C5)",
}
#: The grouping (see :func:`neurograph.drawing.layout.lesion_layout`) from which the cranial muscles
#: are drawn by nerve: one row per nucleus, its intact nerve the line to its muscles.
NERVE_GROUPING = 6
#: Above this many weak cranial muscles on one side, those sharing a body region are drawn as its group.
MAX_CRANIAL_MUSCLES_PER_SIDE = 10
#: Layout units from the station column to the nuclei, between the nuclei of a level (one under
#: another), and from the nuclei's labels to the nerves.
_NUCLEUS_GAP, _NUCLEUS_STEP, _NERVE_GAP = 2.2, 0.7, 0.8
#: Layout units between two lesion marks next to each other in the nerve or muscle column: a row of room between them.
_LESION_SPACING = 2.0


def touches_cranial(G: nx.DiGraph, result: Any) -> bool:
    """Whether the lesion holds a cranial structure or changes a cranial muscle."""
    cranial = getattr(result, "cranial", None)
    if cranial is not None and cranial.muscles:
        return True
    return any(G.nodes[node]["kind"] in CRANIAL_KINDS for site in result.sites for node in site.nodes)


def _drawn_nucleus(G, node):
    """The drawn nucleus of a nucleus node (the oculomotor subnuclei share their parent's)."""
    parent = G.nodes[node].get("parent")
    return f"{node[0]}.{parent}" if parent else node


def _level(G, node):
    level = G.nodes[node]["level_from"]
    return level.split("_")[0] if "_" in level else "cord"


def brainstem_layer(
    G: nx.DiGraph, result: Any, shown: nx.DiGraph, members: dict[str, set[str]], severity: Mapping[str, float], grouped: int = 0,
) -> None:
    """Add the brainstem part of ``result`` to the drawn graph ``shown`` (see the module's description).

    Station nodes it needs and the diagram lacks are added as the limb pathways' are (stage
    ``station``, with a corticospinal node of that station among their ``members``, so that they
    take their rows); nuclei, nerves and cranial muscles have stage ``brainstem`` and are placed
    by :func:`place_brainstem`. Where effects meet, the strongest by ``severity`` (effect to rank)
    wins. ``grouped`` 4 and over keeps labels on one line.
    """

    def rank(effect):
        return severity.get(effect, 0)

    lesioned = frozenset(node for site in result.sites for node in site.nodes)
    # A lesioned cord segment's part of a nucleus (the spinal accessory's) is drawn as its nucleus, lesioned.
    lesioned_parts = {node for node in lesioned if _is_cord_part(G, node)}
    lesioned_nuclei = lesioned | {nucleus for part in lesioned_parts for nucleus in G.predecessors(part)}
    cranial = getattr(result, "cranial", None)
    findings = {finding.muscle: finding for finding in (cranial.muscles if cranial is not None else ())}
    kinds = {node: data["kind"] for node, data in G.nodes(data=True)}

    # The nuclei drawn: those of the changed muscles, the lesioned ones, those a lesioned nerve
    # point or corticobulbar node reaches; both sides of each.
    reached: set[str] = set()
    for muscle in findings:
        reached.update(_pool_nuclei(G, muscle))
    for node in lesioned:
        if kinds[node] == "cranial_nucleus":
            reached.add(node)
        elif kinds[node] == "cranial_nerve":
            reached.update(_walk(G, node, G.predecessors, kinds, "cranial_nerve", "cranial_nucleus"))
        elif kinds[node] == "corticobulbar_tract":
            reached.update(_walk(G, node, G.successors, kinds, "corticobulbar_tract", "cranial_nucleus"))
    drawn_types = {_drawn_nucleus(G, node)[2:] for node in reached}
    nuclei = sorted(node for node, kind in kinds.items() if kind == "cranial_nucleus" and _drawn_nucleus(G, node)[2:] in drawn_types)

    def add(key, stage, label, side, effect, **extra):
        if key not in shown:
            shown.add_node(key, stage=stage, label=label, side=side, segments=set(), effect=effect, **extra)
        elif rank(effect) > rank(shown.nodes[key]["effect"]):
            shown.nodes[key]["effect"] = effect

    fibres: dict[tuple[str, str], set[str]] = defaultdict(set)
    dashed: set[tuple[str, str]] = set()
    by_nerve = grouped >= NERVE_GROUPING
    for node in nuclei:
        key = _drawn_nucleus(G, node)
        data = G.nodes[key] if key in G else G.nodes[node]
        # Drawn by nerve, a nucleus is named by its row's label (its numeral, then its muscles).
        name = "" if by_nerve else _NUCLEUS_NAMES.get(data["cranial_nerve"], data["label"])
        add(key, "brainstem", name, node[0],
            "lesion" if node in lesioned_nuclei or key in lesioned else "intact", level=_level(G, node), nerve=data["cranial_nerve"])
        members.setdefault(key, set()).add(node)

    # The corticobulbar fibres: along the stations, and from each station to the nuclei they end on.
    cut = _cut_channels(G, kinds, lesioned)
    # Each side's supraspinal corticospinal node of each station (the first by name), found in one pass.
    anchors: dict[tuple[str, str], str] = {}
    for node, data in G.nodes(data=True):
        if data["kind"] == "tract" and not data.get("segment") and data.get("station"):
            place = (data["side"], data["station"])
            if place not in anchors or node < anchors[place]:
                anchors[place] = node
    for side in ("L", "R"):
        for station, (tract_station, label) in LEVEL_STATIONS.items():
            key = f"{side}.station.{tract_station}"
            if key not in shown:
                anchor = anchors.get((side, tract_station))
                if anchor is None:
                    continue
                add(key, "station", label, side, "intact")
                members.setdefault(key, set()).add(anchor)
            else:
                shown.nodes[key]["label"] = label
    drawn_nuclei = {_drawn_nucleus(G, node) for node in nuclei}
    # The channels drawn: those whose fibres end on a drawn nucleus, from the capsule down.
    relevant = {node for node in G if kinds[node] == "corticobulbar_tract"
                and any(kinds[v] == "cranial_nucleus" and _drawn_nucleus(G, v) in drawn_nuclei for v in G.successors(node))}
    frontier = list(relevant)
    while frontier:
        for u in G.predecessors(frontier.pop()):
            if kinds[u] == "corticobulbar_tract" and u not in relevant:
                relevant.add(u)
                frontier.append(u)
    for node in sorted(relevant | {node for node in lesioned if kinds[node] == "corticobulbar_tract"}):
        key = _station_key(G, node)
        if key is None:
            continue
        if node in lesioned:
            shown.nodes[key]["effect"] = "lesion"
            members[key].add(node)
        state = "UMN" if cut.get(node) else "intact"
        for successor in G.successors(node):
            if kinds[successor] == "corticobulbar_tract":
                following = _station_key(G, successor)
                if following is not None and following != key:
                    fibres[key, following].add(state)
            elif kinds[successor] == "cranial_nucleus" and _drawn_nucleus(G, successor) in drawn_nuclei:
                fibres[key, _drawn_nucleus(G, successor)].add(state)
        for predecessor in G.predecessors(node):
            if kinds[predecessor] == "cortical_area" and predecessor in shown:
                fibres[predecessor, key].add("UMN" if predecessor in lesioned else "intact")

    # The nerves and the muscles with findings.
    by_side = defaultdict(list)
    for muscle in findings:
        by_side[findings[muscle].side].append(muscle)
    # Per muscle group (by nerve or by body region): its members' findings, for its label and its colour.
    groups: dict[str, list[Any]] = defaultdict(list)
    for side, muscles in by_side.items():
        regions: dict[str, int] = defaultdict(int)
        for muscle in muscles:
            regions[findings[muscle].body_region] += 1
        group = len(muscles) > MAX_CRANIAL_MUSCLES_PER_SIDE
        for muscle in sorted(muscles):
            finding = findings[muscle]
            if by_nerve:
                # One row per nerve: its nucleus and the muscles it supplies on this side.
                muscle_key = f"{side}.brainstem.muscles.{_drawn_nucleus(G, side + '.' + G.nodes[muscle]['nucleus'])[2:]}"
                nerve = G.nodes[side + "." + G.nodes[muscle]["nucleus"]]["cranial_nerve"]
                add(muscle_key, "brainstem", "", side, finding.deficit, column="muscle", nerve=nerve)
                groups[muscle_key].append(finding)
            elif group and regions[finding.body_region] > 1:
                muscle_key = f"{side}.brainstem.group.{finding.body_region}"
                words = finding.body_region.replace("face_upper", "upper face").replace("face_lower", "lower face")
                add(muscle_key, "brainstem", f"{words} muscles", side, finding.deficit, column="muscle")
                groups[muscle_key].append(finding)
            else:
                muscle_key = muscle
                add(muscle_key, "brainstem", finding.label.rsplit(" (", 1)[0], side, finding.deficit, column="muscle")
            members.setdefault(muscle_key, set()).add(muscle)
            for nucleus in _pool_nuclei(G, muscle):
                nucleus_key = _drawn_nucleus(G, nucleus)
                if finding.deficit == "UMN":
                    dashed.add((nucleus_key, muscle_key))
                    fibres[nucleus_key, muscle_key].add("UMN")
                    continue
                for route in chain_paths(G, nucleus, muscle, lambda v: kinds[v] == "cranial_nerve" or v == muscle):
                    at_nucleus = nucleus in lesioned or not lesioned_parts.isdisjoint(route)
                    if by_nerve and lesioned_parts.issuperset(lesioned.intersection(route[1:])):
                        # An unlesioned nerve is the line from its nucleus to its muscles.
                        fibres[nucleus_key, muscle_key].add("LMN" if at_nucleus else "intact")
                        continue
                    nerve_key = _nerve_key(G, route, lesioned - lesioned_parts, add)
                    fibres[nucleus_key, nerve_key].add("LMN" if at_nucleus else "intact")
                    fibres[nerve_key, muscle_key].add("LMN" if lesioned.intersection(route) else "intact")
    for key, members_found in groups.items():
        data = shown.nodes[key]
        data["label"] = _nerve_group_label(data["nerve"], members_found) if by_nerve else f"{data['label']} ({len(members_found)})"
        data["effect"] = group_effect([finding.deficit for finding in members_found], rank)
    for (a, b), states in fibres.items():
        effect = max(states, key=rank)
        if shown.nodes[a].get("column") == "nerve" and rank(effect) > rank(shown.nodes[a]["effect"]):
            shown.nodes[a]["effect"] = effect  # a nerve beyond a lesion of its nucleus
        if shown.has_edge(a, b):
            if rank(effect) > rank(shown.edges[a, b]["effect"]):
                shown.edges[a, b]["effect"] = effect
            continue
        # Dashed: a muscle's supranuclear drive alone lost; a group line also carrying nerve fibres is solid.
        shown.add_edge(a, b, dashed=(a, b) in dashed and states == {"UMN"}, effect=effect)
    if grouped < 4:
        for key in shown:
            data = shown.nodes[key]
            if data["stage"] == "brainstem" and data.get("column") == "nerve" and len(data["label"]) > 18:
                words = data["label"].split(" ")
                half = len(words) // 2
                data["label"] = " ".join(words[:half]) + "\n" + " ".join(words[half:])


#: Body regions of the cranial muscles as a nerve's group names them.
_REGION_WORDS = {"face_upper": "face", "face_lower": "face"}


def _nerve_group_label(nerve: str, findings: list[Any]) -> str:
    """What a nerve's muscle group holds, after the nerve's numeral: its one muscle's name, or its
    muscles' body regions and how many they are ("VII: face, jaw (7)")."""
    if len(findings) == 1:
        return f"{nerve.replace('|', ', ')}: {findings[0].label.rsplit(' (', 1)[0]}"
    regions = list(dict.fromkeys(_REGION_WORDS.get(f.body_region, f.body_region) for f in sorted(findings, key=lambda f: f.muscle)))
    return f"{nerve.replace('|', ', ')}: {', '.join(regions)} ({len(findings)})"


def _pool_nuclei(G, muscle):
    """The nuclei of a cranial muscle's motor pool (its nucleus on the sides its pool gives)."""
    data = G.nodes[muscle]
    return [f"{side}.{data['nucleus']}" for side in relative_sides(data["nucleus_side"], data["side"])]


def _walk(G, start, step, kinds, through, goal):
    """The ``goal`` kind nodes reached from ``start`` by ``step`` (predecessors or successors) through ``through`` kind nodes."""
    found, seen, frontier = set(), {start}, [start]
    while frontier:
        for other in step(frontier.pop()):
            if other in seen:
                continue
            seen.add(other)
            if kinds[other] == goal:
                found.add(other)
            elif kinds[other] == through:
                frontier.append(other)
    return found


def _station_key(G, node):
    """The drawn station a corticobulbar node's fibres are drawn in."""
    data = G.nodes[node]
    if data["station"] not in LEVEL_STATIONS:
        return None
    return f"{data['side']}.station.{LEVEL_STATIONS[data['station']][0]}"


def _cut_channels(G, kinds, lesioned):
    """Per corticobulbar node: whether its fibres are cut at it or above it (its drive is lost past it)."""
    cut: dict[str, bool] = {}
    order = sorted((node for node, kind in kinds.items() if kind == "corticobulbar_tract"), key=lambda n: G.nodes[n]["station_order"])
    for node in order:
        above = [u for u in G.predecessors(node) if kinds[u] in ("corticobulbar_tract", "cortical_area")]
        cut[node] = node in lesioned or any(cut.get(u, u in lesioned) for u in above)
    return cut


def _nerve_key(G, route, lesioned, add):
    """The drawn nerve of an LMN route: its lesioned point if it has one, else the whole nerve of its side."""
    points = [node for node in route[1:-1] if G.nodes[node]["kind"] == "cranial_nerve"]
    hit = [node for node in points if node in lesioned]
    if hit:
        node = hit[0]
        label = G.nodes[node]["label"].rsplit(" (", 1)[0]
        add(node, "brainstem", label, G.nodes[node]["side"], "lesion", column="nerve")
        return node
    first = G.nodes[points[-1] if points else route[-1]]
    key = f"{first['side']}.brainstem.nerve.{first.get('nerve', 'nerve')}"
    add(key, "brainstem", f"{first.get('nerve', '').replace('_', ' ')} nerve ({first.get('cranial_nerve', '')})", first["side"],
        "intact", column="nerve")
    return key


def place_brainstem(shown: nx.DiGraph, inner: float = 0.0, step: float | None = None) -> None:
    """Place the brainstem part: each level's nuclei one under another from its station's row,
    ``step`` layout units apart (by default the part's own spacing), beside the stations; nerves and muscles in columns further out
    (the patient's left at negative x)."""
    rows: dict[str, float] = {}
    step = _NUCLEUS_STEP if step is None else step
    station_x = 0.9 + inner
    found = {}
    for level, station in _LEVEL_ROWS.items():
        ys = [shown.nodes[key]["y"] for key in shown if key.endswith(f".station.{station}") and "y" in shown.nodes[key]]
        if ys:
            found[level] = min(ys)
    base = min(found.values(), default=-6.0)
    for offset, level in enumerate(("midbrain", "pons", "medulla")):
        rows[level] = found.get(level, base + 2.0 * offset)
    rows["cord"] = rows["medulla"] + 2.0
    slots: dict[tuple[str, str], int] = defaultdict(int)
    nucleus_keys = sorted(
        (key for key in shown if shown.nodes[key]["stage"] == "brainstem" and "level" in shown.nodes[key]),
        key=lambda key: (_NERVE_ORDER.index(shown.nodes[key]["nerve"]) if shown.nodes[key]["nerve"] in _NERVE_ORDER else 99, key),
    )
    for key in nucleus_keys:
        data = shown.nodes[key]
        slot = slots[data["side"], data["level"]]
        slots[data["side"], data["level"]] += 1
        data["x"] = (-1 if data["side"] == "L" else 1) * (station_x + _NUCLEUS_GAP)
        # Just below the station's row: the fibres crossing to the other side's nuclei are drawn slanting.
        data["y"] = rows[data["level"]] + step * (slot + 0.5)
    widest_nucleus = max((len(shown.nodes[key]["label"]) for key in nucleus_keys), default=0)
    nerve_x = station_x + _NUCLEUS_GAP + 0.6 + 0.075 * widest_nucleus + _NERVE_GAP
    nerve_keys = [key for key in shown if shown.nodes[key]["stage"] == "brainstem" and shown.nodes[key].get("column") == "nerve"]
    widest_nerve = max((max(len(line) for line in shown.nodes[key]["label"].split("\n")) for key in nerve_keys), default=0)
    muscle_x = nerve_x + 0.8 + 0.075 * widest_nerve
    for column, x in (("nerve", nerve_x), ("muscle", muscle_x)):
        for side, sign in (("L", -1), ("R", 1)):
            keys = [key for key in shown if shown.nodes[key]["stage"] == "brainstem" and shown.nodes[key].get("column") == column
                    and shown.nodes[key]["side"] == side]
            for key in keys:
                sources = [shown.nodes[p]["y"] for p in shown.predecessors(key) if "y" in shown.nodes[p]]
                shown.nodes[key]["y"] = sum(sources) / len(sources) if sources else rows["midbrain"]
                shown.nodes[key]["x"] = sign * x
            keys.sort(key=lambda key: (shown.nodes[key]["y"], shown.nodes[key]["label"]))
            for above, key in zip(keys, keys[1:]):
                # Two lesion marks one under another (the fascicles of the facial and abducens nerves cut at one
                # level) each have a line to their muscles and to their nucleus, and their labels must stand beside
                # them: _LESION_SPACING leaves a row between the two's lines for the lower's label.
                lesions = shown.nodes[above]["effect"] == shown.nodes[key]["effect"] == "lesion"
                spacing = _LESION_SPACING if lesions else max(0.8, step)
                shown.nodes[key]["y"] = max(shown.nodes[key]["y"], shown.nodes[above]["y"] + spacing)


#: The drawn order of the nuclei within a level, by cranial nerve.
_NERVE_ORDER = ("III", "IV", "V", "VI", "VII", "IX|X", "XII", "XI")


def _is_cord_part(G, node):
    """Whether ``node`` is a cord segment's part of a nucleus (drawn as the nucleus itself)."""
    return G.nodes[node].get("point_kind") == "cord_part"
