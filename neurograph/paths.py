"""Path queries: the route to a muscle, what supplies it, what a structure supplies.

All queries read the route tables (:mod:`neurograph.routes`), so they follow fibres segment by
segment: the C7 route to triceps runs through the middle trunk and posterior cord, not through
every path the graph happens to allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from neurograph.errors import InvalidValueError
from neurograph.resolve import resolve_muscles, resolve_site
from neurograph.results import Innervation, Pathway, Route, Supply
from neurograph.routes import route_table
from neurograph.schema import decode_segment_list, parse_segments, segment_index

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["pathway", "innervation", "supplied_by", "myotome", "shared_sites"]


def _one_muscle(G: nx.DiGraph, name: str) -> str:
    muscles = resolve_muscles(G, name)
    if len(muscles) != 1:
        raise InvalidValueError("muscle", name, f"one muscle with its side, but it names {len(muscles)}")
    return muscles[0]


def pathway(G: nx.DiGraph, source: str, target: str) -> Pathway:
    """The ordered routes from a cortical area (or any structure on the way) to a muscle.

    Parameters
    ----------
    G : networkx.DiGraph
    source : str
        Where the route starts: a cortical area ("left hand area"), the motor cortex of one side,
        or any structure the route must pass ("left internal capsule").
    target : str
        A muscle, with its side.

    Returns
    -------
    Pathway
        One :class:`~neurograph.results.Route` per segment of the muscle (and per nerve, for a
        muscle with two), each split into its UMN part (cortex to anterior horn) and its LMN
        part (anterior horn to muscle).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> route = pathway(G, "left arm area", "right triceps").routes[1]
    >>> route.segment, route.umn[0], route.umn[-1], route.lmn[-2]
    ('C7', 'L.m1.arm', 'R.ah.C7', 'R.radial.axilla')
    """
    table = route_table(G)
    start = resolve_site(G, source)
    muscle = _one_muscle(G, target)
    info = table.muscles[muscle]
    routes: list[Route] = []
    for unit_index in table.units_by_muscle.get(muscle, ()):
        unit = table.units[unit_index]
        pool = table.pools.get(table.pool_of(unit))
        umn_routes = [route for route in (pool.routes if pool else ()) if start.nodes & set(route)]
        lmn_hit = start.nodes & set(unit.route)
        if umn_routes:
            routes.append(Route(unit.segment, min(umn_routes, key=len), unit.route))
        elif lmn_hit and pool and pool.routes:
            routes.append(Route(unit.segment, min(pool.routes, key=len), unit.route))
    if not routes:
        raise InvalidValueError(
            "route", f"{start.label} -> {G.nodes[muscle]['label']}",
            f"a source on the route of that muscle (its cortical area is {info.area.replace('_', ' ')}, "
            f"opposite side)",
        )
    routes.sort(key=lambda route: (segment_index(route.segment), route.lmn))
    return Pathway(source=start.label, target=G.nodes[muscle]["label"], routes=tuple(routes))


def innervation(G: nx.DiGraph, muscle: str) -> Innervation:
    """How a muscle is supplied: nerve chain, plexus elements, rami, roots, segments, cortex.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> supply = innervation(G, "left deltoid")
    >>> supply.nerves, supply.segments
    (('L.axillary',), ('C5', 'C6'))
    >>> "L.bp.posterior_cord" in supply.plexus
    True
    """
    table = route_table(G)
    node = _one_muscle(G, muscle)
    data = G.nodes[node]
    ordered: dict[str, int] = {}
    cortex: dict[str, None] = {}
    for unit_index in table.units_by_muscle.get(node, ()):
        unit = table.units[unit_index]
        for position, step in enumerate(unit.route):
            ordered.setdefault(step, position)
        pool = table.pools.get(table.pool_of(unit))
        for route in pool.routes if pool else ():
            cortex.setdefault(route[0], None)

    def of_kind(*kinds: str) -> tuple[str, ...]:
        found = [step for step in ordered if G.nodes[step]["kind"] in kinds]
        return tuple(sorted(found, key=lambda step: (ordered[step], step)))

    return Innervation(
        muscle=node, label=data["label"], nerves=of_kind("nerve"), plexus=of_kind("plexus_element"),
        rami=of_kind("ventral_ramus"), roots=of_kind("ventral_root"), segments=decode_segment_list(data["segments"]),
        principal_segments=decode_segment_list(data.get("principal_segments", ""), "principal_segments"),
        segments_by_source=data.get("segments_by_source", ""),
        disputed_segments=decode_segment_list(data.get("disputed_segments", ""), "disputed_segments"), cortex=tuple(sorted(cortex)),
        branch_disputed_by=data.get("branch_disputed_by", ""),
    )


def supplied_by(G: nx.DiGraph, site: str) -> Supply:
    """Every muscle and reflex that depends on a site, split into LMN and UMN dependence.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> supply = supplied_by(G, "right radial nerve at the spiral groove")
    >>> "R.muscle.brachioradialis" in dict(supply.lmn), "R.muscle.triceps_brachii" in dict(supply.lmn)
    (True, False)
    """
    table = route_table(G)
    resolved = resolve_site(G, site)
    units, pools, reflexes = table.routes_through(resolved.nodes)
    lmn: dict[str, set[str]] = {}
    for index in units:
        unit = table.units[index]
        lmn.setdefault(unit.muscle, set()).add(unit.segment)
    umn: dict[str, set[str]] = {}
    for key in pools:
        for muscle in table.muscles_by_pool[key]:
            umn.setdefault(muscle, set()).add(key[2])

    def listed(found: dict[str, set[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return tuple((muscle, tuple(sorted(found[muscle], key=segment_index))) for muscle in sorted(found))

    return Supply(site=resolved, lmn=listed(lmn), umn=listed(umn), reflexes=tuple(sorted(reflexes)))


def myotome(G: nx.DiGraph, segment: str, side: str | None = None) -> tuple[str, ...]:
    """The muscles that take fibres from one segment (as the engine's references give them).

    Parameters
    ----------
    segment : str
        ``C1`` ... ``Co1``.
    side : {"L", "R", None}
        One side, or both.

    Examples
    --------
    >>> import neurograph
    >>> "R.muscle.tibialis_anterior" in myotome(neurograph.load_anatomy(), "L4", side="R")
    True
    """
    segments = parse_segments(segment)
    if len(segments) != 1:
        raise InvalidValueError("segment", segment, "one segment, such as C7")
    (wanted,) = segments
    if side not in (None, "L", "R"):
        raise InvalidValueError("side", side, "'L', 'R' or None")
    return tuple(
        node for node, data in sorted(G.nodes(data=True))
        if data["kind"] == "muscle" and wanted in decode_segment_list(data["segments"]) and side in (None, data["side"])
    )


def shared_sites(G: nx.DiGraph, muscles: Iterable[str]) -> tuple[str, ...]:
    """The structures on the routes of every one of a set of muscles, cortex first.

    This is the first step of localization: a lesion that explains weakness of all of them
    must lie on a structure they share (or be several lesions).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> sites = shared_sites(G, ["right brachioradialis", "right extensor carpi ulnaris"])
    >>> "R.radial.spiral_groove" in sites, "R.radial.pin" in sites
    (True, False)
    """
    table = route_table(G)
    common: set[str] | None = None
    for name in muscles:
        for muscle in resolve_muscles(G, name):
            on_routes: set[str] = set()
            for index in table.units_by_muscle.get(muscle, ()):
                unit = table.units[index]
                on_routes.update(unit.route)
                pool = table.pools.get(table.pool_of(unit))
                on_routes.update(step for route in (pool.routes if pool else ()) for step in route)
            common = on_routes if common is None else common & on_routes
    if common is None:
        raise InvalidValueError("muscles", muscles, "at least one muscle")
    return tuple(sorted(common, key=lambda node: (table.depth[node], node)))
