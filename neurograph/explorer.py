"""The interactive lesion explorer: one self-contained, offline HTML page.

The page embeds the site atlas (:mod:`neurograph.atlas`) as data: for every lesion site, the
columns of the route tables its complete lesion cuts (motor units, those cut at their cell body
or root, corticospinal drive routes, pools whose cord stretch it touches, reflex afferent
routes). Two sites cut the union of what each cuts, so the page computes a single site or a
pair with the engine's own arithmetic (:func:`neurograph.engine.muscle_outcome` and
:func:`neurograph.engine.reflex_state`, the latter tabulated), ported to the page's script.
Where the anatomy keeps routes as bundles (:class:`neurograph.routes.RouteBundle`, too many to
list), the page embeds each bundle's sub-DAG and every site's nodes on it, and measures what a
lesion cuts of a bundle as the bundle does (the share of its routes, or whether all are cut).

Sensation is computed the same way, from the sensory route table
(:class:`neurograph.routes.SensoryRouteTable`): every site's route slots, the pieces, parts and
channels of every skin place, the roots it takes, and the grading rules
(:func:`neurograph.engine.sensory_grades`, ported). :func:`evaluate_rows` and
:func:`evaluate_sensation` are the same arithmetic in Python over the same exported data, which
the tests compare with :func:`neurograph.simulate`. The page loads nothing: no network request,
no external script or style.

The data is embedded as JSON compressed with raw DEFLATE and written in base64: the rows of the
atlas and the labels repeat a great deal (sides, segments, "nerve at the ..."), which DEFLATE
stores once, and the browser inflates it natively (``DecompressionStream``) before the page
starts. :func:`embedded_data` reads it back from a page, as the tests do.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from neurograph.atlas import site_atlas
from neurograph.drawing.layout import anatomy_layout
from neurograph.engine import INTACT, IMPAIRED, LOST, MRC_THRESHOLDS, REFLEX_KINDS, SensoryRules, reflex_state, sensory_grades
from neurograph.errors import NeurographError
from neurograph.routes import RouteBundle, sensory_route_table
from neurograph.schema import MODALITIES, MODALITY_TRACTS, PHASES, SEGMENTS, SENSORY_TRACTS
from neurograph.writing import write_file

if TYPE_CHECKING:
    import os

    import networkx as nx

__all__ = ["explorer_data", "explorer_html", "embedded_data", "write_explorer", "evaluate_rows", "evaluate_sensation", "Explorer", "MAX_BYTES"]

#: The largest page written, in bytes.
MAX_BYTES = 5_000_000

# What a reflex arc's intact share is compared against, as the atlas does: cut, partly cut, intact.
_ARC_SHARES = (0.0, 0.5, 1.0)


def explorer_data(G: nx.DiGraph) -> dict[str, Any]:
    """The data the page embeds: sites with their cut rows, bundles, sensation, and the route tables' arithmetic."""
    atlas = site_atlas(G)
    table = atlas.table

    def columns(matrix, row):
        return [int(column) for column in matrix[row].nonzero()[0]]

    cut_rows = [
        {
            "units": columns(atlas.units, row), "root": columns(atlas.units_at_root, row),
            "drive": columns(atlas.drive, row), "cord": columns(atlas.cord, row), "afferent": columns(atlas.afferent, row),
        }
        for row in range(len(atlas.units))
    ]
    muscles = [
        {"id": node, "label": G.nodes[node]["label"], "side": G.nodes[node]["side"], "region": G.nodes[node].get("body_region", "")}
        for node in table.muscle_order
    ]
    pool_count = len(table.pool_keys)
    unit_slot = table.unit_slot.tolist()
    reflexes = []
    for arc in table.reflex_order:
        total = sum(table.units[index].weight for index in arc.efferent_units)
        afferent = [column for column, (node, _) in enumerate(atlas.afferent_routes) if node == arc.node]
        routes = sum(atlas.afferent_counts[column] for column in afferent)
        reflexes.append({
            "id": arc.node, "label": G.nodes[arc.node]["label"], "side": G.nodes[arc.node]["side"], "kind": arc.kind,
            "efferent": [[index, table.units[index].weight / total] for index in arc.efferent_units] if total else [],
            "afferent": [[column, atlas.afferent_counts[column] / routes] for column in afferent],
            "pools": sorted(table.pool_index[key] for key in arc.pools),
        })
    drive_pool = [table.pool_index[key] for key, _ in atlas.drive_routes]
    routes_per_pool = [0] * pool_count
    for pool in drive_pool:
        routes_per_pool[pool] += 1
    return {
        "sites": [{"label": site.label, "row": int(atlas.cut_row[row])} for row, site in enumerate(atlas.sites)],
        "cuts": cut_rows,
        "muscles": muscles,
        "muscleStarts": table.muscle_starts.tolist(),
        "slotWeight": table.slot_weight.tolist(),
        "muscleTotal": table.muscle_total.tolist(),
        "slotPool": [int(pool) if pool < pool_count else -1 for pool in table.slot_pool.tolist()],
        "unitSlot": unit_slot,
        "unitShare": [float(table.unit_weight[index] / table.slot_weight[slot]) for index, slot in enumerate(unit_slot)],
        "drivePool": drive_pool,
        "routesPerPool": routes_per_pool,
        "reflexes": reflexes,
        "mrcThresholds": [list(pair) for pair in MRC_THRESHOLDS],
        "reflexStates": {
            phase: {
                kind: [[[reflex_state(kind, share, umn, shock, phase) for shock in (False, True)] for umn in (False, True)]
                       for share in _ARC_SHARES]
                for kind in REFLEX_KINDS
            }
            for phase in PHASES
        },
        "presets": _presets(G),
        "map": _anatomy_map(G, atlas),
        **_bundles(G, atlas),
        "sensation": _sensation(G, atlas),
    }


def _bundles(G, atlas):
    """Every bundle of routes (motor and sensory) as a sub-DAG over listed nodes, and each site's nodes on them."""
    sensory = sensory_route_table(G)
    found: dict[int, RouteBundle] = {}
    for bundles in (atlas.unit_bundles, atlas.drive_bundles, atlas.afferent_bundles):
        for bundle in bundles.values():
            found.setdefault(id(bundle), bundle)
    for piece in sensory.bundle_pieces:
        bundle = sensory.pieces[piece][1]
        found.setdefault(id(bundle), bundle)
    ordered = list(found.values())
    number = {id(bundle): index for index, bundle in enumerate(ordered)}
    nodes = sorted(frozenset().union(*(bundle.nodes for bundle in ordered))) if ordered else []
    node_index = {node: index for index, node in enumerate(nodes)}
    hits = {}
    for position, site in enumerate(atlas.sites):
        on = sorted(node_index[node] for node in site.nodes if node in node_index)
        if on:
            hits[str(position)] = on
    return {
        "bundles": [
            {"order": [node_index[node] for node in bundle.order], "preds": [list(p) for p in bundle.predecessors],
             "counts": list(bundle.counts)}
            for bundle in ordered
        ],
        "bundleNodes": nodes,
        "bundleHits": hits,
        "unitBundle": {str(column): number[id(bundle)] for column, bundle in atlas.unit_bundles.items()},
        "driveBundle": {str(column): number[id(bundle)] for column, bundle in atlas.drive_bundles.items()},
        "afferentBundle": {str(column): number[id(bundle)] for column, bundle in atlas.afferent_bundles.items()},
        "pieceBundle": {str(piece): number[id(sensory.pieces[piece][1])] for piece in sensory.bundle_pieces},
    }


def _sensation(G, atlas):
    """The sensory route table as the page grades it: each site's route slots and roots, and every skin's channels."""
    table = sensory_route_table(G)
    if not table.skins:
        return None
    from neurograph.engine import sensory_rules

    rules = sensory_rules(G)
    root_keys = sorted(table.root_nodes)
    root_of = defaultdict(list)
    for position, key in enumerate(root_keys):
        for node in table.root_nodes[key]:
            root_of[node].append(position)
    rows: dict[tuple, int] = {}
    site_rows = []
    for site in atlas.sites:
        slots, not_root, roots = set(), set(), set()
        for node in site.nodes:
            found = table.slots_by_node.get(node)
            if found is not None:
                slots.update(found.tolist())
                if node not in table.all_root_nodes:
                    not_root.update(found.tolist())
            roots.update(root_of.get(node, ()))
        key = (tuple(sorted(slots)), tuple(sorted(not_root)), tuple(sorted(roots)))
        site_rows.append(rows.setdefault(key, len(rows)))
    skins = [table.skins[node] for node in table.skin_nodes]
    return {
        "siteRow": site_rows,
        "rows": [{"slots": list(slots), "notRoot": list(not_root), "roots": list(roots)} for slots, not_root, roots in rows],
        "routeSlots": table.route_slots,
        "pieceStarts": table.piece_starts.tolist(),
        "partPeripheral": table.part_peripheral.tolist(),
        "partCentral": table.part_central.tolist(),
        "channelStarts": table.channel_starts.tolist(),
        "skins": [{"id": info.node, "label": info.label, "side": info.side, "level": info.level,
                   "segments": list(info.segments)} for info in skins],
        "roots": [[side, segment] for side, segment in root_keys],
        "keyPoints": {side: table.key_point_positions[side].tolist() for side in sorted(table.key_point_positions)},
        "segments": list(SEGMENTS),
        "tracts": list(SENSORY_TRACTS),
        "modalities": list(MODALITIES),
        "modalityTracts": {modality: [SENSORY_TRACTS.index(t) for t in tracts] for modality, tracts in MODALITY_TRACTS.items()},
        "rules": {"absent": rules.absent, "altered": rules.altered, "normal": rules.normal,
                  "oneTractLost": rules.one_tract_lost, "bothTractsLost": rules.both_tracts_lost,
                  "singleRoot": rules.single_root, "rootsForAnaesthesia": rules.roots_for_anaesthesia,
                  "overlapExceptions": sorted(rules.overlap_exceptions)},
    }


#: Pixels per layout unit across and down in the page's map.
_MAP_COLUMN, _MAP_ROW = 80.0, 24.0


def _anatomy_map(G, atlas):
    """The page's map: the lesion diagram's drawing of every motor structure, each linked to its site.

    Each drawn node is linked to the atlas site that best matches what it stands for (the site
    with the most of its graph nodes, then the smallest); each motor unit lists the drawn nodes
    its route passes; each pool its cord node, for highlighting what a lesion cuts.
    """
    shown, members, unit_keys = anatomy_layout(G)
    keys = sorted(shown)
    index = {key: position for position, key in enumerate(keys)}
    sites_by_node = defaultdict(list)
    for position, site in enumerate(atlas.sites):
        for node in site.nodes:
            sites_by_node[node].append(position)
    left = min(shown.nodes[key]["x"] for key in keys)
    top = min(shown.nodes[key]["y"] for key in keys)
    nodes, touched = [], defaultdict(set)
    for key in keys:
        data = shown.nodes[key]
        candidates = {position for node in members[key] for position in sites_by_node[node]}
        site = min(
            candidates, key=lambda position: (-len(atlas.sites[position].nodes & members[key]), len(atlas.sites[position].nodes), position)
        )
        nodes.append({
            "key": key, "label": data["label"], "site": site, "stage": data["stage"],
            "x": round((data["x"] - left) * _MAP_COLUMN + 230, 1), "y": round((data["y"] - top) * _MAP_ROW + 30, 1),
        })
        for position in candidates:
            touched[position].add(index[key])
    return {
        "nodes": nodes,
        "edges": sorted([index[a], index[b]] for a, b in shown.edges),
        "unitRoutes": [[index[key] for key in route] for route in unit_keys],
        "poolNode": [index.get(f"{side}.cord.{segment}", -1) for side, _, segment in atlas.table.pool_keys],
        "siteNodes": [sorted(touched[position]) for position in range(len(atlas.sites))],
        "width": round((max(shown.nodes[key]["x"] for key in keys) - left) * _MAP_COLUMN + 460, 1),
        "height": round((max(shown.nodes[key]["y"] for key in keys) - top) * _MAP_ROW + 60, 1),
    }


def _presets(G):
    """The named lesions that resolve to one or two atlas sites, with their names."""
    from neurograph.lesion import make_lesion
    from neurograph.presets import PRESETS, preset_lesion

    atlas = site_atlas(G)
    listed = []
    for name in sorted(PRESETS):
        try:
            sites = make_lesion(G, preset_lesion(G, name))
        except NeurographError:
            continue
        rows = [atlas.row_of.get(site.nodes) for site in sites]
        if 1 <= len(rows) <= 2 and None not in rows and all(site.severity == 1.0 for site in sites):
            listed.append({"name": name, "label": PRESETS[name].label, "sites": rows})
    return listed


def evaluate_rows(
    data: dict[str, Any], site_indices: list[int], phase: str = "chronic"
) -> tuple[list[tuple], list[tuple[str, str]]]:
    """The findings of a complete lesion of the given sites, by the page's arithmetic over ``data``.

    Returns ``(muscles, reflexes)``: per affected muscle ``(id, deficit, grade, tone, atrophy,
    fasciculations)``, and per reflex ``(id, state)``.
    """
    cut: dict[str, set[int]] = {name: set() for name in ("units", "root", "drive", "cord", "afferent")}
    for index in site_indices:
        for name, columns in data["cuts"][data["sites"][index]["row"]].items():
            cut[name].update(columns)
    measure = _bundle_measure(data, site_indices)
    # What the lesion cuts of each column: all of a listed route, a bundle's share of its routes.
    unit_cut = {unit: measure("unitBundle", unit, RouteBundle.cut_share, 1.0) for unit in cut["units"]}
    afferent_cut = {column: measure("afferentBundle", column, RouteBundle.cut_share, 1.0) for column in cut["afferent"]}
    cut["drive"] = {route for route in cut["drive"] if measure("driveBundle", route, RouteBundle.cut_all, True)}
    slots = len(data["slotWeight"])
    lmn, at_root = [0.0] * slots, [False] * slots
    for unit in sorted(cut["units"]):
        slot = data["unitSlot"][unit]
        lmn[slot] += data["unitShare"][unit] * unit_cut[unit]
        at_root[slot] = at_root[slot] or unit in cut["root"]
    lmn = [min(value, 1.0) for value in lmn]
    lost_drive = [0] * len(data["routesPerPool"])
    for route in cut["drive"]:
        lost_drive[data["drivePool"][route]] += 1
    lost = [total > 0 and count >= total for count, total in zip(lost_drive, data["routesPerPool"])]
    chronic = phase == "chronic"
    muscles = []
    starts = data["muscleStarts"] + [slots]
    for position, muscle in enumerate(data["muscles"]):
        kept = 0.0
        with_lmn = with_umn = fasciculating = False
        for slot in range(starts[position], starts[position + 1]):
            pool = data["slotPool"][slot]
            umn = 1.0 if pool >= 0 and lost[pool] else 0.0
            kept += data["slotWeight"][slot] * (1.0 - lmn[slot]) * (1.0 - umn)
            with_lmn = with_lmn or lmn[slot] > 0
            with_umn = with_umn or (umn > 0 and not lmn[slot] > 0)
            fasciculating = fasciculating or (at_root[slot] and lmn[slot] > 0)
        if not (with_lmn or with_umn):
            continue
        strength = round(kept / data["muscleTotal"][position], 12)
        grade = next((value for value, lower in data["mrcThresholds"] if strength >= lower), 0)
        spastic = grade < 5 and with_umn and not with_lmn and chronic
        deficit = "mixed" if with_lmn and with_umn else ("LMN" if with_lmn else "UMN")
        tone = "normal" if grade == 5 else ("spastic" if spastic else "flaccid")
        atrophy = with_lmn and chronic
        muscles.append((muscle["id"], deficit, grade, tone, atrophy, atrophy and fasciculating))
    reflexes = []
    for arc in data["reflexes"]:
        efferent = 1.0 - sum(share * unit_cut[unit] for unit, share in arc["efferent"] if unit in cut["units"]) if arc["efferent"] else 0.0
        afferent = 1.0 - sum(share * afferent_cut[column] for column, share in arc["afferent"] if column in cut["afferent"])
        intact = min(efferent, afferent)
        share = 0 if intact <= 1e-9 else (1 if intact < 1.0 - 1e-9 else 2)
        umn = any(lost[pool] for pool in arc["pools"])
        shock = phase == "acute" and any(lost[pool] and pool in cut["cord"] for pool in arc["pools"])
        reflexes.append((arc["id"], data["reflexStates"][phase][arc["kind"]][share][int(umn)][int(shock)]))
    return muscles, reflexes


def _bundle_measure(data, site_indices):
    """``measure(kind, column, how, listed)``: what the sites cut of a column's bundle, or ``listed`` for a listed route."""
    names = data["bundleNodes"]
    hit = frozenset(names[node] for index in site_indices for node in data["bundleHits"].get(str(index), ()))
    made: dict[int, RouteBundle] = {}

    def bundle(number):
        if number not in made:
            found = data["bundles"][number]
            made[number] = RouteBundle([names[node] for node in found["order"]], found["preds"], found["counts"])
        return made[number]

    def measure(kind, column, how, listed):
        number = data[kind].get(str(column))
        return listed if number is None else how(bundle(number), hit)

    return measure


def evaluate_sensation(
    data: dict[str, Any], site_indices: list[int]
) -> tuple[list[tuple], list[tuple[str, str]]]:
    """The sensory findings of a complete lesion of the given sites, by the page's arithmetic over ``data``.

    As :class:`neurograph.lesion` grades sensation: a piece of route is touched when the lesion
    reaches any of its route slots and lost when it cuts all (a bundle: when no route survives);
    a part takes the worse of its peripheral and central pieces; a channel (a skin place's
    routes through one tract) is lost when all its parts are, intact when none is touched; the
    tract states give the grades (:func:`neurograph.engine.sensory_grades`), with the overlap
    of dermatomes where the skin lost a tract at its own roots alone.

    Returns ``(places, levels)``: per altered skin place ``(id, grades...)`` in the order of
    :data:`~neurograph.schema.MODALITIES`, and per side ``(side, sensory level)``.
    """
    sense = data["sensation"]
    if sense is None:
        return [], []
    slots, not_root, roots = set(), set(), set()
    for index in site_indices:
        row = sense["rows"][sense["siteRow"][index]]
        slots.update(row["slots"])
        not_root.update(row["notRoot"])
        roots.update(row["roots"])
    measure = _bundle_measure(data, site_indices)
    starts = sense["pieceStarts"] + [sense["routeSlots"]]
    state, piece_not_root = [], []
    for piece in range(len(sense["pieceStarts"])):
        span = range(starts[piece], starts[piece + 1])
        touched = any(slot in slots for slot in span)
        lost = touched and measure("pieceBundle", piece, _no_route_survives, all(slot in slots for slot in span))
        state.append(int(touched) + int(lost))
        piece_not_root.append(any(slot in not_root for slot in span))
    state.append(0)  # the spare piece no lesion reaches
    piece_not_root.append(False)
    part_state = [max(state[p], state[c]) for p, c in zip(sense["partPeripheral"], sense["partCentral"])]
    part_not_root = [piece_not_root[p] or piece_not_root[c] for p, c in zip(sense["partPeripheral"], sense["partCentral"])]
    channel_starts = sense["channelStarts"] + [len(part_state)]
    tracts = len(sense["tracts"])
    runs = _root_runs(sense, roots)
    rules = _rules(sense["rules"])
    places, grades_by_skin = [], []
    for skin_index, skin in enumerate(sense["skins"]):
        channels, not_root_here = [], False
        for tract in range(tracts):
            channel = skin_index * tracts + tract
            parts = part_state[channel_starts[channel]:channel_starts[channel + 1]]
            not_root_here = not_root_here or any(part_not_root[channel_starts[channel]:channel_starts[channel + 1]])
            channels.append(2 if min(parts) == 2 else (0 if max(parts) == 0 else 1))
        states = dict(zip(sense["tracts"], ((INTACT, IMPAIRED, LOST)[value] for value in channels)))
        run = None
        if 2 in channels and not not_root_here:
            run = max((runs.get((skin["side"], segment), 0) for segment in skin["segments"]), default=0)
        grades = sensory_grades(states, run, tuple(skin["segments"]), rules) if any(channels) else (rules.normal,) * len(MODALITIES)
        grades_by_skin.append(grades)
        if any(channels):
            places.append((skin["id"], *grades))
    touch, pin = sense["modalities"].index("light_touch"), sense["modalities"].index("pin_prick")
    levels = []
    for side, positions in sorted(sense["keyPoints"].items()):
        abnormal = [k for k, position in enumerate(positions)
                    if grades_by_skin[position][touch] < 2 or grades_by_skin[position][pin] < 2]
        level = "INT" if not abnormal else (sense["skins"][positions[abnormal[0] - 1]]["level"] if abnormal[0] else "C1")
        levels.append((side, level))
    return places, levels


def _no_route_survives(bundle, hit):
    return bundle.best_survival(dict.fromkeys(hit, 1.0), through_goal=True) == 0.0


def _root_runs(sense, roots):
    """Per lost root ``(side, segment)``, the length of the run of consecutive lost roots it lies in."""
    lost = {tuple(sense["roots"][index]) for index in roots}
    order = sense["segments"]
    runs = {}
    for side, segment in sorted(lost):
        if (side, segment) in runs:
            continue
        at = order.index(segment)
        low = high = at
        while low > 0 and (side, order[low - 1]) in lost:
            low -= 1
        while high + 1 < len(order) and (side, order[high + 1]) in lost:
            high += 1
        runs.update(((side, order[index]), high - low + 1) for index in range(low, high + 1))
    return runs


def _rules(exported):
    return SensoryRules(
        absent=exported["absent"], altered=exported["altered"], normal=exported["normal"],
        one_tract_lost=exported["oneTractLost"], both_tracts_lost=exported["bothTractsLost"],
        single_root=exported["singleRoot"], roots_for_anaesthesia=exported["rootsForAnaesthesia"],
        overlap_exceptions=frozenset(exported["overlapExceptions"]), references={},
    )


def explorer_html(G: nx.DiGraph) -> str:
    """The explorer page as text: the page's script and styles inline, the data as deflated JSON in base64."""
    text = json.dumps(explorer_data(G), separators=(",", ":"), sort_keys=True).encode("utf-8")
    # Raw DEFLATE (no zlib header), as the browser's DecompressionStream("deflate-raw") reads it.
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = base64.b64encode(packer.compress(text) + packer.flush()).decode("ascii")
    template = resources.files("neurograph").joinpath("explorer.html").read_text(encoding="utf-8")
    return template.replace("/*NEUROGRAPH_DATA*/", packed)


_EMBEDDED = re.compile(r'<script type="application/octet-stream" id="neurograph-data"[^>]*>([A-Za-z0-9+/=\s]*)</script>')


def embedded_data(page: str) -> dict[str, Any]:
    """The data an explorer page embeds, read back from the page's text.

    Examples
    --------
    >>> import neurograph
    >>> data = embedded_data(explorer_html(neurograph.load_anatomy()))
    >>> data["sites"][0]["label"] == neurograph.atlas.site_atlas(neurograph.load_anatomy()).sites[0].label
    True
    """
    found = _EMBEDDED.search(page)
    if found is None:
        raise NeurographError("the page embeds no explorer data")
    return json.loads(zlib.decompress(base64.b64decode(found.group(1)), -15).decode("utf-8"))


class Explorer:
    """The explorer page of an anatomy, shown in a notebook (in a frame of its own) or written to a file.

    Examples
    --------
    >>> import neurograph
    >>> page = Explorer(neurograph.load_anatomy())
    >>> page._repr_html_().startswith("<iframe")
    True
    """

    def __init__(self, G: nx.DiGraph) -> None:
        self.html = explorer_html(G)

    def __repr__(self):
        return f"<Explorer page, {len(self.html.encode('utf-8')):,} bytes>"

    def _repr_html_(self):
        import html

        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" style="width:100%;height:640px;border:1px solid #ccc">'
            "</iframe>"
        )


def write_explorer(G: nx.DiGraph, path: str | os.PathLike) -> int:
    """Write the explorer page to ``path`` (.html) atomically; refuse one over :data:`MAX_BYTES`."""
    page = explorer_html(G).encode("utf-8")
    if len(page) > MAX_BYTES:
        raise NeurographError(f"the explorer page would take {len(page):,} bytes, over the {MAX_BYTES:,} byte limit")
    write_file(path, page, "html")
    return len(page)
