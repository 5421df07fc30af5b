"""The interactive lesion explorer: one self-contained, offline HTML page.

The page embeds the site atlas (:mod:`neurograph.atlas`) as data: for every lesion site, the
columns of the route tables its complete lesion cuts (motor units, those cut at their cell body
or root, corticospinal drive routes, pools whose cord stretch it touches, reflex afferent
routes). Two sites cut the union of what each cuts, so the page computes a single site or a
pair with the engine's own arithmetic (:func:`neurograph.engine.muscle_outcome` and
:func:`neurograph.engine.reflex_state`, the latter tabulated), ported to the page's script.
:func:`evaluate_rows` is the same arithmetic in Python over the same exported data, which the
tests compare with :func:`neurograph.simulate`. The page loads nothing: no network request, no
external script or style.
"""

from __future__ import annotations

import json
from collections import defaultdict
from importlib import resources
from typing import TYPE_CHECKING, Any

from neurograph.atlas import site_atlas
from neurograph.drawing.layout import anatomy_layout
from neurograph.engine import MRC_THRESHOLDS, REFLEX_KINDS, reflex_state
from neurograph.errors import NeurographError
from neurograph.schema import PHASES
from neurograph.writing import write_file

if TYPE_CHECKING:
    import os

    import networkx as nx

__all__ = ["explorer_data", "explorer_html", "write_explorer", "evaluate_rows", "Explorer", "MAX_BYTES"]

#: The largest page written, in bytes.
MAX_BYTES = 5_000_000

# What a reflex arc's intact share is compared against, as the atlas does: cut, partly cut, intact.
_ARC_SHARES = (0.0, 0.5, 1.0)


def explorer_data(G: nx.DiGraph) -> dict[str, Any]:
    """The data the page embeds: sites with their cut rows, and the route tables' arithmetic.

    Raises
    ------
    NeurographError
        When the anatomy keeps routes as bundles: the union of two sites' cuts is then not the
        OR of their rows, and the page's arithmetic would not be exact.
    """
    atlas = site_atlas(G)
    table = atlas.table
    if atlas.unit_bundles or atlas.drive_bundles or atlas.afferent_bundles:
        raise NeurographError(
            f"the explorer needs an anatomy whose routes are listed one by one; {G.graph.get('name') or 'this graph'} "
            "keeps some as bundles"
        )

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
    slots = len(data["slotWeight"])
    lmn, at_root = [0.0] * slots, [False] * slots
    for unit in sorted(cut["units"]):
        slot = data["unitSlot"][unit]
        lmn[slot] += data["unitShare"][unit]
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
        efferent = 1.0 - sum(share for unit, share in arc["efferent"] if unit in cut["units"]) if arc["efferent"] else 0.0
        afferent = 1.0 - sum(share for column, share in arc["afferent"] if column in cut["afferent"])
        intact = min(efferent, afferent)
        share = 0 if intact <= 1e-9 else (1 if intact < 1.0 - 1e-9 else 2)
        umn = any(lost[pool] for pool in arc["pools"])
        shock = phase == "acute" and any(lost[pool] and pool in cut["cord"] for pool in arc["pools"])
        reflexes.append((arc["id"], data["reflexStates"][phase][arc["kind"]][share][int(umn)][int(shock)]))
    return muscles, reflexes


def explorer_html(G: nx.DiGraph) -> str:
    """The explorer page as text: the page's script and styles inline, the data as JSON."""
    data = json.dumps(explorer_data(G), separators=(",", ":"), sort_keys=True).replace("</", "<\\/")
    template = resources.files("neurograph").joinpath("explorer.html").read_text(encoding="utf-8")
    return template.replace("/*NEUROGRAPH_DATA*/null", data)


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
