"""Path queries: the route to a muscle, what supplies it, what a structure supplies; the
ascending routes from the skin, a segment's dermatome, the skin a structure serves, and how a
place of skin is supplied.

All queries read the route tables (:mod:`neurograph.routes`), so they follow fibres segment by
segment: the C7 route to triceps runs through the middle trunk and posterior cord, not through
every path the graph happens to allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from neurograph.errors import AmbiguousSideError, InvalidValueError, NeurographError, UnknownNameError
from neurograph.resolve import resolve_muscles, resolve_site
from neurograph.results import (
    AscendingPathway, AscendingRoute, Dermatome, Innervation, Pathway, Route, SkinInnervation, Supply, Territory,
)
from neurograph.routes import SensoryRouteTable, route_table, sensory_route_table
from neurograph.schema import SENSORY_TRACTS, decode_segment_list, parse_segments, segment_index

if TYPE_CHECKING:
    from neurograph.cranial import CranialInnervation
    import networkx as nx

__all__ = [
    "pathway", "innervation", "supplied_by", "myotome", "shared_sites", "ascending_pathway", "dermatome", "territory",
    "skin_innervation",
]


def _one_muscle(G: nx.DiGraph, name: str) -> str:
    muscles = resolve_muscles(G, name)
    if len(muscles) != 1:
        raise InvalidValueError("muscle", name, f"one muscle with its side, but it names {len(muscles)}")
    return muscles[0]


def pathway(G: nx.DiGraph, source: str, target: str | None = None) -> Pathway | AscendingPathway:
    """The ordered routes from a cortical area (or any structure on the way) to a muscle, or
    from a place of skin up to the somatosensory cortex.

    Parameters
    ----------
    G : networkx.DiGraph
    source : str
        Where the route starts: a cortical area ("left hand area"), the motor cortex of one side,
        or any structure the route must pass ("left internal capsule"); or a skin place or key
        point ("right C6 key point"), for the ascending routes (:func:`ascending_pathway`).
    target : str
        A muscle, with its side (for a skin source: optional, a structure the routes must pass).

    Returns
    -------
    Pathway or AscendingPathway
        One :class:`~neurograph.results.Route` per segment of the muscle (and per nerve, for a
        muscle with two), each split into its UMN part (cortex to anterior horn) and its LMN
        part (anterior horn to muscle). For a skin source, an
        :class:`~neurograph.results.AscendingPathway`.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> route = pathway(G, "left arm area", "right triceps").routes[1]
    >>> route.segment, route.umn[0], route.umn[-1], route.lmn[-2]
    ('C7', 'L.m1.arm', 'R.ah.C7', 'R.radial.axilla')
    """
    if _skin_or_none(G, source):
        return ascending_pathway(G, source, target)
    if target is None:
        raise InvalidValueError("pathway target", target, "a muscle with its side (only a skin source goes without one)")
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


def innervation(G: nx.DiGraph, muscle: str) -> Innervation | SkinInnervation | CranialInnervation:
    """How a muscle is supplied: nerve chain, plexus elements, rami, roots, segments, cortex; for
    a skin place or key point, how it is supplied (:func:`skin_innervation`); for a cranial
    muscle, its nerve chain, nucleus and the cortical areas of both hemispheres with their share
    of the drive (:func:`neurograph.cranial.cranial_innervation`).

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
    if _skin_or_none(G, muscle):
        return skin_innervation(G, muscle)
    cranial = _cranial_muscle_or_none(G, muscle)
    if cranial is not None:
        from neurograph.cranial import cranial_innervation

        return cranial_innervation(G, cranial)
    table = route_table(G)
    try:
        node = _one_muscle(G, muscle)
    except UnknownNameError as limb_error:
        # The closest names among every structure too: a misspelt cranial muscle is listed.
        try:
            resolve_site(G, muscle)
        except UnknownNameError as error:
            raise UnknownNameError(muscle, dict.fromkeys([*limb_error.suggestions, *error.suggestions])) from None
        raise
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


# ---------------------------------------------------------------------------------------------
# Sensation: the queries read the sensory route table (routes.SensoryRouteTable), whose pieces
# are a skin node's peripheral routes of one segment (along the sensory_axon edges that carry
# it, to its dorsal root) and a dorsal root's central routes through one tract to one area of
# the opposite cortex. So a query costs what the routes it reports cost, never a walk of the graph.
# ---------------------------------------------------------------------------------------------


def _skin_or_none(G: nx.DiGraph, name: str) -> str | None:
    """The skin node ``name`` names alone, or ``None`` (for any other name, known or not)."""
    try:
        nodes = resolve_site(G, name).nodes
    except NeurographError:
        return None
    (node,) = nodes if len(nodes) == 1 else (None,)
    return node if node is not None and G.nodes[node]["kind"] == "skin" else None


def _cranial_muscle_or_none(G: nx.DiGraph, name: str) -> str | None:
    """The cranial muscle ``name`` names with its side, or ``None`` for any name that names no
    cranial muscle; a cranial muscle named without its side is refused."""
    try:
        nodes = resolve_site(G, name).nodes
    except AmbiguousSideError:
        try:
            one_side = resolve_site(G, f"left {name}").nodes
        except NeurographError:
            return None
        if any(G.nodes[node]["kind"] == "cranial_muscle" for node in one_side):
            raise  # a cranial muscle named without its side
        return None
    except NeurographError:
        return None
    if not nodes or any(G.nodes[node]["kind"] != "cranial_muscle" for node in nodes):
        return None
    if len(nodes) != 1:
        raise InvalidValueError("muscle", name, f"one muscle with its side, but it names {len(nodes)}")
    (node,) = nodes
    return node


def _skin_node(G: nx.DiGraph, name: str) -> str:
    site = resolve_site(G, name)
    skin = [node for node in site.nodes if G.nodes[node]["kind"] == "skin"]
    if len(skin) != 1 or len(site.nodes) != 1:
        raise InvalidValueError("skin place", name, f"one skin place or key point with its side, but it names {site.label}")
    return skin[0]


def _ascending_routes(table: SensoryRouteTable, skin: str) -> list[AscendingRoute]:
    """Every :class:`AscendingRoute` of a skin node, segment by segment, tract by tract."""
    parts = {tract: {segment: (p, c) for segment, p, c in table.channels.get((skin, tract), ())} for tract in SENSORY_TRACTS}
    routes = []
    # The segments in order (a face place has one part, its cranial nerve's, under the empty segment).
    for segment in dict.fromkeys(segment for tract in SENSORY_TRACTS for segment in parts[tract]):
        peripheral_piece = next((parts[tract][segment][0] for tract in SENSORY_TRACTS if segment in parts[tract]), None)
        if peripheral_piece is None:
            continue
        for peripheral in table.piece_routes[peripheral_piece]:
            for tract in SENSORY_TRACTS:
                if segment in parts[tract]:
                    for central in table.piece_routes[parts[tract][segment][1]]:
                        routes.append(AscendingRoute(segment, tract, peripheral, central))
    return routes


def _all_cut(table: SensoryRouteTable, piece: int, hit: frozenset[str]) -> bool:
    """Whether ``hit`` takes every route of a piece."""
    routes, bundle = table.pieces[piece]
    if bundle is not None:
        return bundle.order[-1] in hit or bundle.cut_all(hit)
    return bool(routes) and all(route & hit for route in routes)


def ascending_pathway(G: nx.DiGraph, source: str, target: str | None = None) -> AscendingPathway:
    """The routes from a skin place or key point to the opposite somatosensory cortex.

    Parameters
    ----------
    G : networkx.DiGraph
    source : str
        A skin place or key point, with its side ("right C6 key point", "left dermatome L5").
    target : str, optional
        A structure the routes must pass ("left VPL thalamus"); by default every route.

    Returns
    -------
    AscendingPathway
        One :class:`~neurograph.results.AscendingRoute` per segment, peripheral route, tract and
        central route (the spinothalamic fibres cross one or two segments up: two routes).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> routes = ascending_pathway(G, "right C6 key point").routes
    >>> sorted({(route.tract, route.central[-1]) for route in routes})
    [('dorsal_columns', 'L.s1.hand'), ('spinothalamic', 'L.s1.hand')]
    >>> routes[0].peripheral[:2], routes[0].peripheral[-1]
    (('R.key_point.C6', 'R.aff.superficial_radial'), 'R.droot.C6')
    """
    skin = _skin_node(G, source)
    routes = _ascending_routes(sensory_route_table(G), skin)
    label = G.nodes[skin]["label"]
    if target is not None:
        through = resolve_site(G, target)
        routes = [route for route in routes if through.nodes & (set(route.peripheral) | set(route.central))]
        if not routes:
            raise InvalidValueError("route", f"{label} -> {through.label}", "a structure on the ascending routes of that skin")
        return AscendingPathway(source=label, target=through.label, routes=tuple(routes))
    cortex = {route.central[-1] for route in routes}
    return AscendingPathway(source=label, target=", ".join(G.nodes[node]["label"] for node in sorted(cortex)), routes=tuple(routes))


def dermatome(G: nx.DiGraph, segment: str, side: str | None = None) -> Dermatome:
    """The skin of one segment: its ISNCSCI key point and the skin places its fibres reach.

    Parameters
    ----------
    segment : str
        ``C2`` ... ``S5`` (``S4-5`` names the perianal key point's level).
    side : {"L", "R", None}
        One side, or both.

    Examples
    --------
    >>> import neurograph
    >>> found = dermatome(neurograph.load_anatomy(), "C6", side="R")
    >>> found.key_points, "R.skin.thumb_dorsal_proximal" in found.places
    (('R.key_point.C6',), True)
    """
    if side not in (None, "L", "R"):
        raise InvalidValueError("side", side, "'L', 'R' or None")
    level = segment.strip() if isinstance(segment, str) else segment
    if level in ("S4-5", "S4-S5"):
        wanted, level = "S4", "S4-5"
    else:
        segments = parse_segments(level) if isinstance(level, str) else ()
        if len(segments) != 1:
            raise InvalidValueError("segment", segment, "one segment, such as C6")
        (wanted,) = segments
    key_points, places = [], []
    for node, info in sorted(sensory_route_table(G).skins.items()):
        if side not in (None, info.side):
            continue
        if info.level:
            if info.level == level or (level != "S4-5" and info.level == wanted):
                key_points.append(node)
        elif wanted in info.segments:
            places.append(node)
    return Dermatome(segment=level, key_points=tuple(key_points), places=tuple(places))


def territory(G: nx.DiGraph, structure: str) -> Territory:
    """The skin a structure serves: the skin nodes whose sensory routes pass it.

    A skin node is served ``whole`` when every one of its routes (every segment, every tract)
    passes the structure, so a complete lesion there leaves it without fibres, and
    ``partial`` when only some do.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> found = territory(G, "right superficial radial nerve")
    >>> "R.skin.radial_dorsum_of_hand" in found.whole, "R.key_point.C6" in found.whole
    (True, True)
    >>> "R.skin.thenar_eminence" in found.whole + found.partial
    False
    """
    site = resolve_site(G, structure)
    table = sensory_route_table(G)
    hit = site.nodes
    touched = {piece for node in hit for piece in table.pieces_by_node.get(node, ())}
    skins = {skin for piece in touched for skin, _ in table.channels_by_piece.get(piece, ())}
    whole: list[str] = []
    partial: list[str] = []
    for skin in sorted(skins):
        # A route is cut where its peripheral or its central piece is; every route of a segment
        # is cut when all its peripheral routes are, or all its central ones.
        parts = [part for tract in SENSORY_TRACTS for part in table.channels.get((skin, tract), ())]
        every = all(_all_cut(table, p, hit) or _all_cut(table, c, hit) for _, p, c in parts)
        (whole if every else partial).append(skin)
    return Territory(site=site, whole=tuple(whole), partial=tuple(partial))


def skin_innervation(G: nx.DiGraph, place: str) -> SkinInnervation:
    """How a skin place or key point is supplied: cutaneous nerve, nerve chain, plexus, rami,
    ganglia, dorsal roots, the cord stations its fibres enter, and its dermatome.

    Examples
    --------
    >>> import neurograph
    >>> supply = skin_innervation(neurograph.load_anatomy(), "right outer heel")
    >>> supply.cutaneous, supply.roots
    (('R.aff.sural',), ('R.droot.S1', 'R.droot.S2'))
    """
    skin = _skin_node(G, place)
    table = sensory_route_table(G)
    data = G.nodes[skin]
    ordered: dict[str, int] = {}
    cord: dict[str, None] = {}
    for tract in SENSORY_TRACTS:
        for _, peripheral, central in table.channels.get((skin, tract), ()):
            for route in table.piece_routes[peripheral]:
                for position, step in enumerate(route[1:]):
                    ordered.setdefault(step, position)
            # The cord station each central route enters first, after the dorsal root.
            cord.update((route[1], None) for route in table.piece_routes[central] if len(route) > 1)
    def of(kinds: tuple[str, ...], twins_of: tuple[str, ...] | None = None) -> tuple[str, ...]:
        found = [step for step in ordered if G.nodes[step]["kind"] in kinds]
        if twins_of is not None:
            found = [step for step in ordered if G.nodes[step].get("structure") and G.nodes[G.nodes[step]["structure"]]["kind"] in twins_of]
            return tuple(G.nodes[step]["structure"] for step in sorted(found, key=lambda step: (ordered[step], step)))
        return tuple(sorted(found, key=lambda step: (ordered[step], step)))

    # A face place's nerves are its cranial nerve's sensory points; its ganglion and root that nerve's.
    cranial = {point: [step for step in of(("cranial_afferent",)) if G.nodes[step]["point_kind"] in point]
               for point in (("branch", "division"), ("ganglion",), ("root",))}
    cutaneous = tuple(step for step in of(("afferent",)) if G.nodes[step].get("cutaneous")) + tuple(cranial[("branch", "division")])
    return SkinInnervation(
        place=skin, label=data["label"], cutaneous=cutaneous, nerves=of((), twins_of=("nerve",)),
        plexus=of((), twins_of=("plexus_element",)), rami=of((), twins_of=("ventral_ramus", "dorsal_ramus")),
        ganglia=tuple(sorted(of(("dorsal_root_ganglion",)), key=lambda n: segment_index(G.nodes[n]["segment"])))
        + tuple(cranial[("ganglion",)]),
        roots=tuple(sorted(of(("dorsal_root",)), key=lambda n: segment_index(G.nodes[n]["segment"]))) + tuple(cranial[("root",)]),
        cord=tuple(sorted(cord)), segments=parse_segments(data["segments"]),
        isncsci_level=data.get("isncsci_level", ""), dermatome_disputed_by=data.get("dermatome_disputed_by", ""),
    )
