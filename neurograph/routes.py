"""Route tables: every fibre route of the anatomy, enumerated once per graph.

A lesion's effect is decided by which routes it cuts, so the engine, the path queries and
localization all read these tables instead of walking the graph:

- a *lower motor neuron unit* is one route from the anterior horn of one segment to one muscle
  (through one of the muscle's nerves), carrying that segment's share of the muscle's
  innervation;
- a *pool* is the anterior horn of one segment on one side as driven by one cortical area; its
  *upper motor neuron routes* are the corticospinal paths from that area (of either hemisphere)
  to the horn;
- a *reflex arc* is its efferent units plus its afferent routes (root, spinal nerve and nerve of
  each afferent segment, to the responding muscle or to the nerve whose skin is stimulated).

Tables are cached per graph object; :func:`route_table` rebuilds them when the graph's node or
edge count changes (see :func:`fingerprint`). After editing a graph's attributes in place, call :func:`forget` (or work
on a copy).
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from neurograph.schema import parse_segments, segment_index, split_list

__all__ = ["RouteTable", "LmnUnit", "Pool", "ReflexArc", "MuscleInfo", "route_table", "forget"]


@dataclass(frozen=True)
class MuscleInfo:
    node: str
    side: str
    area: str
    segments: tuple
    weights: tuple


@dataclass(frozen=True)
class LmnUnit:
    muscle: str
    segment: str
    weight: float
    route: tuple

    @property
    def nodes(self):
        return frozenset(self.route)


@dataclass(frozen=True)
class Pool:
    side: str
    area: str
    segment: str
    routes: tuple

    @property
    def key(self):
        return (self.side, self.area, self.segment)


@dataclass(frozen=True)
class ReflexArc:
    node: str
    kind: str
    muscles: tuple
    efferent_units: tuple
    afferent_routes: tuple
    afferent_nodes: tuple
    pools: tuple


class RouteTable:
    """Every LMN unit, pool and reflex arc of one anatomy graph, with inverted indexes."""

    def __init__(self, G):
        self.muscles = {}
        self.units = []
        #: How far each node lies from the cortex (topological generation), for ordering.
        self.depth = {node: level for level, generation in enumerate(nx.topological_generations(G)) for node in generation}
        self.pools = {}
        self.reflexes = {}
        horns = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "anterior_horn"}
        roots = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "ventral_root"}
        carried = {(u, v): frozenset(parse_segments(d.get("segments", ""))) for u, v, d in G.edges(data=True)}
        cortex = defaultdict(list)
        for node, data in G.nodes(data=True):
            if data["kind"] == "cortical_area":
                cortex[data["area"]].append(node)
        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] != "muscle":
                continue
            segments = parse_segments(data["segments"])
            weights = dict(_weights(data.get("segment_weights", ""), segments))
            info = MuscleInfo(node, data["side"], data["cortical_area"], segments, tuple(weights[s] for s in segments))
            self.muscles[node] = info
            for segment in segments:
                horn = horns.get((data["side"], segment))
                paths = list(_paths(G, horn, node, lambda u, v, s=segment: s in carried[(u, v)])) if horn else []
                for path in paths:
                    self.units.append(LmnUnit(node, segment, weights[segment] / len(paths), tuple(path)))
                key = (data["side"], data["cortical_area"], segment)
                if key not in self.pools and horn:
                    area = data["cortical_area"]
                    routes = []
                    for start in sorted(cortex[area]):
                        routes.extend(_paths(G, start, horn, lambda u, v, a=area, goal=horn: _in_channel(G, v, a, goal)))
                    self.pools[key] = Pool(*key, routes=tuple(tuple(route) for route in routes))
        self.units = tuple(self.units)
        self.units_by_muscle = _invert((unit.muscle,) for unit in self.units)
        self.units_by_node = _invert(unit.route for unit in self.units)
        self.pools_by_node = defaultdict(list)
        for key, pool in self.pools.items():
            for node in {node for route in pool.routes for node in route}:
                self.pools_by_node[node].append(key)
        self.muscles_by_pool = defaultdict(list)
        for info in self.muscles.values():
            for segment in info.segments:
                self.muscles_by_pool[(info.side, info.area, segment)].append(info.node)
        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] == "reflex":
                self.reflexes[node] = self._reflex(G, node, data, roots, carried)
        self._plan(G)
        self.reflex_order = tuple(sorted(self.reflexes.values(), key=lambda arc: _reflex_rank(G, arc)))
        self.reflexes_by_node = defaultdict(list)
        for arc in self.reflexes.values():
            touched = {n for i in arc.efferent_units for n in self.units[i].route}
            touched |= {n for route in arc.afferent_routes for n in route}
            touched |= {n for key in arc.pools for route in self.pools[key].routes for n in route}
            for n in touched:
                self.reflexes_by_node[n].append(arc.node)

    def _reflex(self, G, node, data, roots, carried):
        muscles = tuple(sorted(G.predecessors(node)))
        efferent = set(parse_segments(data["efferent_segments"]))
        units = tuple(
            index for muscle in muscles for index in self.units_by_muscle.get(muscle, ())
            if self.units[index].segment in efferent
        )
        targets = (data["afferent_via"],) if data.get("afferent_via") else muscles
        afferent = []
        for segment in parse_segments(data["afferent_segments"]):
            root = roots.get((data["side"], segment))
            for target in targets:
                afferent.extend(
                    tuple(path) for path in _paths(G, root, target, lambda u, v, s=segment: s in carried.get((u, v), ()))
                )
        pools = tuple(sorted({self.pool_of(self.units[index]) for index in units}))
        afferent_nodes = tuple(frozenset(route) for route in afferent)
        return ReflexArc(node, data["reflex_kind"], muscles, units, tuple(afferent), afferent_nodes, pools)

    def _plan(self, G):
        """Precomputed sets, so that a simulation does set intersections, not graph lookups."""
        self.unit_nodes = tuple(frozenset(unit.route) for unit in self.units)
        self.pool_drive_nodes = {
            key: tuple(frozenset(route[:-1]) for route in pool.routes) for key, pool in self.pools.items()
        }
        self.pool_cord_nodes = {
            key: frozenset(
                node for route in pool.routes for node in route[:-1]
                if G.nodes[node]["kind"] == "tract" and G.nodes[node].get("segment")
            )
            for key, pool in self.pools.items()
        }
        self.cell_body_or_root = frozenset(
            node for node, data in G.nodes(data=True) if data["kind"] in ("anterior_horn", "ventral_root")
        )
        self.muscle_plan = {}
        #: Per muscle: label, side, body region, and its place in the anatomical order.
        self.muscle_meta = {
            muscle: (
                G.nodes[muscle]["label"], info.side, G.nodes[muscle]["body_region"],
                (info.side, segment_index(info.segments[0]), G.nodes[muscle]["label"]),
            )
            for muscle, info in self.muscles.items()
        }
        for muscle, info in self.muscles.items():
            by_segment = defaultdict(list)
            for index in self.units_by_muscle.get(muscle, ()):
                by_segment[self.units[index].segment].append(index)
            self.muscle_plan[muscle] = tuple(
                (segment, weight, tuple(by_segment[segment]), (info.side, info.area, segment))
                for segment, weight in zip(info.segments, info.weights)
            )
        self._arrays()

    def _arrays(self):
        """The same plans as arrays: one slot per (muscle, segment), so a lesion is a few array operations."""
        import numpy as np

        self.muscle_order = tuple(sorted(self.muscles, key=lambda muscle: self.muscle_meta[muscle][3]))
        self.pool_keys = tuple(sorted(self.pools))
        self.pool_index = pool_index = {key: position for position, key in enumerate(self.pool_keys)}
        slot_muscle, slot_weight, slot_pool, slot_segment, slot_of = [], [], [], [], {}
        for position, muscle in enumerate(self.muscle_order):
            for segment, weight, _, pool_key in self.muscle_plan[muscle]:
                slot_of[(muscle, segment)] = len(slot_segment)
                slot_muscle.append(position)
                slot_weight.append(weight)
                # A pool with no route at all gets the spare last index, which never loses drive.
                slot_pool.append(pool_index.get(pool_key, len(self.pool_keys)))
                slot_segment.append(segment)
        self.slot_muscle = np.array(slot_muscle, dtype=np.intp)
        self.slot_weight = np.array(slot_weight, dtype=float)
        self.slot_pool = np.array(slot_pool, dtype=np.intp)
        self.slot_segment = tuple(slot_segment)
        self.unit_slot = np.array([slot_of[(unit.muscle, unit.segment)] for unit in self.units], dtype=np.intp)
        self.unit_weight = np.array([unit.weight for unit in self.units], dtype=float)
        self.muscle_total = np.bincount(self.slot_muscle, weights=self.slot_weight, minlength=len(self.muscle_order))
        #: Each muscle's slots are consecutive: where they start.
        self.muscle_starts = np.searchsorted(self.slot_muscle, np.arange(len(self.muscle_order)))

    def pool_of(self, unit):
        """The pool key (side, area, segment) whose drive reaches ``unit``'s anterior horn."""
        info = self.muscles[unit.muscle]
        return (info.side, info.area, unit.segment)

    def routes_through(self, nodes):
        """The LMN units, pools and reflexes whose routes pass any of ``nodes``."""
        units, pools, reflexes = set(), set(), set()
        for node in nodes:
            units.update(self.units_by_node.get(node, ()))
            pools.update(self.pools_by_node.get(node, ()))
            reflexes.update(self.reflexes_by_node.get(node, ()))
        return units, pools, reflexes


def _reflex_rank(G, arc):
    data = G.nodes[arc.node]
    return (data["side"], segment_index(parse_segments(data["efferent_segments"])[0]), arc.node)


def _weights(text, segments):
    given = {}
    for item in split_list(text):
        segment, _, weight = item.partition(":")
        given[segment] = float(weight)
    for segment in segments:
        yield segment, given.get(segment, 1.0)


def _in_channel(G, node, area, goal):
    """Whether a corticospinal route to ``goal`` may step onto ``node``: its area's tract, or the goal."""
    data = G.nodes[node]
    return node == goal or (data["kind"] == "tract" and data["area"] == area)


def _invert(groups):
    index = defaultdict(list)
    for position, members in enumerate(groups):
        for member in members:
            index[member].append(position)
    return {key: tuple(value) for key, value in index.items()}


def _paths(G, start, goal, allowed):
    """Every simple path from ``start`` to ``goal`` along edges ``allowed`` accepts."""
    if start is None or goal not in G:
        return
    stack = [(start, (start,))]
    while stack:
        node, path = stack.pop()
        if node == goal:
            yield path
            continue
        for successor in sorted(G.successors(node), reverse=True):
            if successor not in path and allowed(node, successor):
                stack.append((successor, path + (successor,)))


_TABLES = weakref.WeakKeyDictionary()


def fingerprint(G):
    """A cheap token that changes when nodes or edges are added or removed.

    ``G.number_of_edges()`` sums degrees in Python; counting the successor dicts in C is
    about a hundred times faster, which matters because every simulation checks its cache.
    """
    return (len(G), sum(map(len, G._succ.values())))


def cached_per_graph(cache, G, build):
    """``build(G)``, kept in ``cache`` (a WeakKeyDictionary) until the graph's fingerprint changes."""
    token = fingerprint(G)
    cached = cache.get(G)
    if cached is None or cached[0] != token:
        cached = (token, build(G))
        cache[G] = cached
    return cached[1]


def route_table(G):
    """Return the (cached) :class:`RouteTable` of a graph.

    Examples
    --------
    >>> import neurograph
    >>> table = route_table(neurograph.load_anatomy())
    >>> [unit.route[-3:] for unit in table.units if unit.muscle == "R.muscle.triceps_brachii" and unit.segment == "C7"]
    [('R.bp.posterior_cord', 'R.radial.axilla', 'R.muscle.triceps_brachii')]
    """
    return cached_per_graph(_TABLES, G, RouteTable)


def forget(G):
    """Drop the cached route table of ``G`` (after editing its attributes in place)."""
    _TABLES.pop(G, None)

