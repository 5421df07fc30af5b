"""Route tables: every fibre route of the anatomy, found by per-segment reachability.

A lesion's effect is decided by which routes it cuts, so the engine, the path queries and
localization all read these tables instead of walking the graph:

- a *lower motor neuron unit* is one route from the anterior horn of one segment to one muscle
  (through one of the muscle's nerves), carrying that segment's share of the muscle's
  innervation;
- a *pool* is the anterior horn of one segment on one side as driven by one cortical area; its
  *upper motor neuron routes* are the corticospinal paths from that area (of either hemisphere)
  to the horn;
- a *reflex arc* is its efferent units plus its afferent routes: for each afferent segment, from
  the responding muscle's spindles (or the afferent twin of the nerve whose skin is stimulated)
  along the sensory edges carrying that segment (afferent twins, spinal nerve twin, dorsal root
  ganglion) to the dorsal root.

Routes are never enumerated blindly. For each segment and side, one pass from the anterior
horn along the edges that carry the segment finds every node the segment reaches and how many
routes lead to it (the graph is a DAG, so the counts add up along edges); corticospinal
channels are found the same way, one pass per cortical area. A (muscle, segment) whose routes
number at most :data:`ROUTES_PER_UNIT` has them listed, one unit each, exactly as a clinician
would trace them (on the packaged anatomy every one does). Beyond that, where fibres
redivide and rejoin (a lattice of nerve fascicles), the routes are kept as one
:class:`RouteBundle`: the sub-DAG they cover with its route counts, from which the share of
routes a lesion cuts (a sum of products over routes) and the best surviving route (a maximum of
products) follow by dynamic programming in time proportional to the sub-DAG, however many
routes it holds.

So building a table costs time and memory near-linear in the nodes, the edges and the (muscle,
segment) pairs times the length of their routes. :data:`WORK_LIMIT` bounds that work: a larger
anatomy is refused with :class:`~neurograph.errors.AnatomyTooLargeError` before minutes are
spent on it.

:func:`route_table` builds a graph's table once per state of the graph (:mod:`neurograph.cache`):
after any edit, the next call builds it again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from neurograph.cache import derived
from neurograph.errors import AnatomyTooLargeError
from neurograph.schema import (
    DERMATOME_OVERLAP_STRUCTURES, SENSORY_EDGE_KINDS, SENSORY_TRACTS, decode_segment_list, decode_sensory_rules, decode_segment_weights, opposite_side, segment_index,
)

__all__ = [
    "RouteTable", "LmnUnit", "Pool", "ReflexArc", "MuscleInfo", "RouteBundle", "route_table",
    "ROUTES_PER_UNIT", "WORK_LIMIT", "Budget", "anatomy_name", "SkinInfo", "SensoryRouteTable",
    "sensory_route_table", "segment_structures", "dermatome_overlap_structures", "chain_paths",
]

#: A unit, pool or afferent limb with more routes than this keeps them as one :class:`RouteBundle`.
ROUTES_PER_UNIT = 64
#: The most work units a route table may take: nodes plus edges plus, for every unit, pool and
#: afferent limb, the nodes of its routes (listed) or of its sub-DAG (bundled). The packaged
#: anatomy takes about 16,000; a larger anatomy is refused with AnatomyTooLargeError.
WORK_LIMIT = 3_000_000


class RouteBundle:
    """Every route from a set of start nodes to one goal, kept as the sub-DAG they cover.

    A bundle either holds its sub-DAG itself (its ``core`` is itself), or continues another
    bundle's goal by a chain of nodes each with one way in (:meth:`extended`): then it keeps
    that bundle as its ``core`` and only the chain as its ``tail``, so the muscles below one
    lattice of nerve fascicles share one sub-DAG (built once, and weighed once per lesion
    through ``memo``) instead of each holding a copy.

    Parameters
    ----------
    order : tuple of str
        The sub-DAG's nodes in topological order, the goal last.
    predecessors : tuple of tuple of int
        For each node, the positions (in ``order``) of its predecessors on some route.
    counts : sequence of int
        For each node, how many routes from the starts reach it.

    Attributes
    ----------
    routes : int
        How many routes the bundle holds.
    route : tuple of str
        The first route in lexicographic order, to show as an example.
    core : RouteBundle
        The bundle whose sub-DAG this one shares (itself, unless made by :meth:`extended`).
    tail : tuple of str
        The chain after the core's goal, the goal last (empty when the core is itself).

    Notes
    -----
    ``memo``, which several methods take, is a dict the caller keeps for one lesion (one
    ``severity`` mapping or one ``removed`` set): bundles sharing a core weigh it once.

    Examples
    --------
    >>> bundle = RouteBundle(("a", "b", "c", "d"), ((), (0,), (0,), (1, 2)), (1, 1, 1, 2))
    >>> bundle.routes, bundle.route
    (2, ('a', 'b', 'd'))
    >>> bundle.mean_survival({"b": 1.0}), bundle.best_survival({"b": 1.0}), bundle.best_survival({"a": 1.0})
    (0.5, 1.0, 0.0)
    >>> longer = bundle.extended("e", 2)
    >>> longer.core is bundle, longer.tail, longer.goal, longer.size, sorted(longer.nodes)
    (True, ('e',), 'e', 5, ['a', 'b', 'c', 'd', 'e'])
    >>> longer.cut_share({"b"}), longer.cut_share({"d"}), longer.cut_all({"d"}), longer.cut_all({"e"})
    (0.5, 1.0, True, False)
    """

    __slots__ = (
        "routes", "route", "core", "tail", "_tail_set", "_dag_order", "_dag_predecessors", "_dag_counts", "_dag_nodes",
        "_chained", "_through", "_shares",
    )
    routes: int
    route: tuple[str, ...]
    core: RouteBundle
    tail: tuple[str, ...]
    _tail_set: frozenset[str]
    # The sub-DAG, set on a core only (a bundle made by extended() reads its core's).
    _dag_order: tuple[str, ...]
    _dag_predecessors: tuple[Sequence[int], ...]
    _dag_counts: tuple[int, ...]
    _dag_nodes: frozenset[str]
    # A bundle made by extended(): its order, predecessors, counts and nodes, made when first asked for.
    _chained: tuple[tuple[str, ...], tuple[Sequence[int], ...], tuple[int, ...], frozenset[str]] | None
    _through: dict[str, int] | None
    _shares: tuple[tuple[float, ...], ...] | None

    def __init__(self, order: Sequence[str], predecessors: Sequence[Sequence[int]], counts: Sequence[int]) -> None:
        order = self._dag_order = tuple(order)
        self._dag_predecessors, self._dag_counts = tuple(predecessors), tuple(counts)
        self._dag_nodes = frozenset(order)
        self.core, self.tail, self._tail_set, self._chained = self, (), frozenset(), None
        self._through = self._shares = None
        self.routes = counts[-1]
        following: list[list[int]] = [[] for _ in order]
        for node, preds in enumerate(self._dag_predecessors):
            for p in preds:
                following[p].append(node)
        first = min((i for i, preds in enumerate(self._dag_predecessors) if not preds), key=order.__getitem__)
        route = [first]
        while following[route[-1]]:
            route.append(min(following[route[-1]], key=order.__getitem__))
        self.route = tuple(order[i] for i in route)

    def _whole(self):
        """``(order, predecessors, counts, nodes)`` of the whole bundle, core and tail."""
        core = self.core
        if not self.tail:
            return core._dag_order, core._dag_predecessors, core._dag_counts, core._dag_nodes
        if self._chained is None:
            start = len(core._dag_order) - 1
            self._chained = (
                core._dag_order + self.tail,
                core._dag_predecessors + tuple((start + i,) for i in range(len(self.tail))),
                core._dag_counts + (self.routes,) * len(self.tail),
                core._dag_nodes | self._tail_set,
            )
        return self._chained

    @property
    def order(self) -> tuple[str, ...]:
        """Every node in topological order, the goal last."""
        return self._whole()[0]

    @property
    def predecessors(self) -> tuple[Sequence[int], ...]:
        """For each node of :attr:`order`, the positions of its predecessors on some route."""
        return self._whole()[1]

    @property
    def counts(self) -> tuple[int, ...]:
        """For each node of :attr:`order`, how many routes reach it."""
        return self._whole()[2]

    @property
    def nodes(self) -> frozenset[str]:
        """Every node on some route."""
        return self._whole()[3]

    @property
    def goal(self) -> str:
        """Where every route ends."""
        return self.route[-1]

    @property
    def size(self) -> int:
        """How many nodes the routes cover."""
        return len(self.core._dag_order) + len(self.tail)

    def extended(self, node: str, routes: int) -> RouteBundle:
        """This bundle continued by one step to ``node``, which only its goal reaches (``routes`` of them).

        The result shares this bundle's core: the step costs one node, not a copy of the sub-DAG.
        """
        longer = RouteBundle.__new__(RouteBundle)
        longer.core, longer.tail = self.core, self.tail + (node,)
        longer._tail_set = frozenset(longer.tail)
        longer.routes, longer.route = routes, self.route + (node,)
        longer._chained = longer._through = longer._shares = None
        return longer

    def intersection(self, nodes: Collection[str]) -> frozenset[str]:
        """The nodes of the bundle's routes that are among ``nodes`` (as ``frozenset.intersection``)."""
        hit = self.core._dag_nodes.intersection(nodes)
        return hit | self._tail_set.intersection(nodes) if self.tail else hit

    def mean_survival(
        self, severity: Mapping[str, float], through_goal: bool = True, memo: dict[Any, float] | None = None
    ) -> float:
        """The mean over routes of the product of ``1 - severity`` over each route's nodes.

        ``severity`` maps nodes to severities (absent nodes are intact); ``through_goal=False``
        leaves the goal's own severity out.
        """
        if not self.tail:
            return self._core_mean(severity, through_goal, memo)
        kept = self.core._core_mean(severity, True, memo)
        for node in self.tail[:-1] if not through_goal else self.tail:
            kept *= 1.0 - severity.get(node, 0.0)
        return kept

    def best_survival(
        self, severity: Mapping[str, float], through_goal: bool = False, memo: dict[Any, float] | None = None
    ) -> float:
        """The largest product of ``1 - severity`` over one route (by default leaving the goal out)."""
        if not self.tail:
            return self._core_best(severity, through_goal, memo)
        best = self.core._core_best(severity, True, memo)
        for node in self.tail[:-1] if not through_goal else self.tail:
            best *= 1.0 - severity.get(node, 0.0)
        return best

    def _core_mean(self, severity, through_goal, memo):
        key = (self, "mean", through_goal)
        if memo is not None and key in memo:
            return memo[key]
        order, predecessors = self._dag_order, self._dag_predecessors
        kept: list[float] = []
        last = len(order) - 1
        if self._shares is None:
            # Per node, the share of its incoming routes that comes through each predecessor.
            counts = self._dag_counts
            self._shares = tuple(tuple(counts[p] / counts[i] for p in preds) for i, preds in enumerate(predecessors))
        for i, (node, preds, shares) in enumerate(zip(order, predecessors, self._shares)):
            own = 1.0 if (i == last and not through_goal) else 1.0 - severity.get(node, 0.0)
            kept.append(own * (sum(share * kept[p] for p, share in zip(preds, shares)) if preds else 1.0))
        if memo is not None:
            memo[key] = kept[-1]
        return kept[-1]

    def _core_best(self, severity, through_goal, memo):
        key = (self, "best", through_goal)
        if memo is not None and key in memo:
            return memo[key]
        best: list[float] = []
        last = len(self._dag_order) - 1
        for i, (node, preds) in enumerate(zip(self._dag_order, self._dag_predecessors)):
            own = 1.0 if (i == last and not through_goal) else 1.0 - severity.get(node, 0.0)
            best.append(own * (max(best[p] for p in preds) if preds else 1.0))
        if memo is not None:
            memo[key] = best[-1]
        return best[-1]

    def routes_through(self, node: str) -> int:
        """How many of the bundle's routes pass ``node`` (routes to it times routes on from it)."""
        if node in self._tail_set:
            return self.routes
        core = self.core
        if core._through is None:
            order, predecessors = core._dag_order, core._dag_predecessors
            onward = [0] * len(order)
            onward[-1] = 1
            for i in range(len(order) - 1, -1, -1):
                for p in predecessors[i]:
                    onward[p] += onward[i]
            core._through = {node: count * more for node, count, more in zip(order, core._dag_counts, onward)}
        return core._through.get(node, 0)

    def cut_share(self, removed: Collection[str], memo: dict[Any, float] | None = None) -> float:
        """The share of the bundle's routes that pass any node of ``removed`` (a set).

        Examples
        --------
        >>> bundle = RouteBundle(("a", "b", "c", "d"), ((), (0,), (0,), (1, 2)), (1, 1, 1, 2))
        >>> bundle.cut_share({"b"}), bundle.cut_share({"b", "c"}), bundle.cut_share({"x"})
        (0.5, 1.0, 0.0)
        """
        core = self.core
        if (self.tail and not self._tail_set.isdisjoint(removed)) or core._dag_order[-1] in removed:
            return 1.0  # every route passes the core's goal and every node of the tail
        hit = core._dag_nodes.intersection(removed)
        if not hit:
            return 0.0
        if len(hit) == 1:
            return core.routes_through(next(iter(hit))) / core.routes
        return 1.0 - core._core_mean(dict.fromkeys(hit, 1.0), True, memo)

    def cut_all(self, removed: Collection[str], memo: dict[Any, float] | None = None) -> bool:
        """Whether ``removed`` (a set) cuts every route, the goal itself not counting."""
        core = self.core
        core_goal = core._dag_order[-1]
        if self.tail and (core_goal in removed or any(node in removed for node in self.tail[:-1])):
            return True  # the core's goal and the tail before the goal lie on every route
        hit = core._dag_nodes.intersection(removed) - {core_goal}
        if not hit:
            return False
        if len(hit) == 1:
            return core.routes_through(next(iter(hit))) == core.routes
        return core._core_best(dict.fromkeys(hit, 1.0), False, memo) == 0.0

    def after(self, nodes: Collection[str]) -> list[str]:
        """The nodes that lie after any of ``nodes`` on some route."""
        core = self.core
        order = core._dag_order
        below: list[bool] = []
        for preds in core._dag_predecessors:
            below.append(any(below[p] or order[p] in nodes for p in preds))
        found = [node for node, flag in zip(order, below) if flag]
        # Every node of the core lies on a route to its goal, so the tail lies after any of them.
        passed = not core._dag_nodes.isdisjoint(nodes)
        for node in self.tail:
            if passed:
                found.append(node)
            passed = passed or node in nodes
        return found


def chain_paths(G: nx.DiGraph, start: str, goal: str, allowed: Callable[[str], bool]) -> tuple[tuple[str, ...], ...]:
    """Every path from ``start`` to ``goal`` whose later nodes ``allowed`` accepts, sorted.

    Meant for small trees, as the cranial nerve chains are (a nucleus to one of its muscles): the
    search lists each path, so it is not for the limb lattices (:class:`RouteBundle` is).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> nerve = lambda node: G.nodes[node]["kind"] in ("cranial_nerve", "cranial_muscle")
    >>> [path[-2:] for path in chain_paths(G, "R.nucleus.facial", "R.muscle.frontalis", nerve)]
    [('R.facial.temporal', 'R.muscle.frontalis')]
    """
    found: list[tuple[str, ...]] = []
    stack: list[tuple[str, ...]] = [(start,)]
    while stack:
        path = stack.pop()
        if path[-1] == goal:
            found.append(path)
            continue
        stack.extend(path + (v,) for v in G.successors(path[-1]) if allowed(v))
    return tuple(sorted(found))


def anatomy_name(G: nx.DiGraph) -> str:
    """How errors name an anatomy: its ``name`` graph attribute, or its size."""
    return G.graph.get("name") or f"graph of {len(G)} nodes"


class Budget:
    """Counts work units against :data:`WORK_LIMIT` and refuses the anatomy when they run out.

    Examples
    --------
    >>> budget = Budget("my anatomy", "route tables")
    >>> budget.spend(WORK_LIMIT + 1)
    Traceback (most recent call last):
    ...
    neurograph.errors.AnatomyTooLargeError: the anatomy 'my anatomy' is too large: its route tables need more than 3,000,000 work units (3,000,001 counted; the limit is neurograph.routes.WORK_LIMIT)
    """

    def __init__(self, anatomy: str, what: str) -> None:
        self.anatomy, self.what, self.used = anatomy, what, 0

    def spend(self, units: int) -> None:
        self.used += units
        if self.used > WORK_LIMIT:
            raise AnatomyTooLargeError(self.anatomy, self.what, self.used, WORK_LIMIT, "neurograph.routes.WORK_LIMIT")


class _Reach:
    """Everything reachable from ``starts`` along the edges ``allowed`` accepts, with route counts.

    One pass in topological order: the routes reaching a node are the sum of those reaching its
    allowed predecessors (plus one where it is a start). Nodes ``stop`` accepts are reached but
    not left.
    """

    def __init__(self, G, position, starts, allowed, budget, stop=lambda node: False):
        self.G, self.allowed, self.position = G, allowed, position
        self.starts = frozenset(starts)
        seen, frontier = set(self.starts), list(self.starts)
        while frontier:
            node = frontier.pop()
            if stop(node) and node not in self.starts:
                continue
            for successor in G.successors(node):
                if successor not in seen and allowed(node, successor):
                    seen.add(successor)
                    frontier.append(successor)
        budget.spend(len(seen))
        self.stopped = frozenset(node for node in seen if stop(node) and node not in self.starts)
        self.counts, self._inward, self._routes, self._bundles = {}, {}, {}, {}
        for node in sorted(seen, key=position.__getitem__):
            self.counts[node] = int(node in self.starts) + sum(
                self.counts[u] for u in self.inward(node)
            )

    def inward(self, node):
        """The reached predecessors of ``node`` from which a route steps onto it."""
        found = self._inward.get(node)
        if found is None:
            found = self._inward[node] = [
                u for u in self.G.predecessors(node)
                if u in self.counts and u not in self.stopped and self.allowed(u, node)
            ]
        return found

    def routes_to(self, goal, budget):
        """The routes to ``goal``: a tuple of routes (each a tuple of nodes), or a :class:`RouteBundle`."""
        if goal not in self.counts:
            return ()
        if self.counts[goal] <= ROUTES_PER_UNIT:
            routes = self._listed(goal)
            budget.spend(sum(map(len, routes)))
            return routes
        # A chain of nodes with one way in (a nerve's branches below a lattice) extends the
        # bundle of the node above it, so muscles below one lattice share the work of covering it.
        chain = [goal]
        while chain[-1] not in self._bundles:
            earlier = self.inward(chain[-1])
            if len(earlier) != 1 or self.counts[earlier[0]] <= ROUTES_PER_UNIT:
                break
            chain.append(earlier[0])
        top = chain.pop()
        if top not in self._bundles:
            self._bundles[top] = self._covering(top, budget)
        for node in reversed(chain):
            self._bundles[node] = self._bundles[top].extended(node, self.counts[node])
            top = node
        # The core was counted once, by _covering; each goal costs its own chain.
        budget.spend(2 * (len(self._bundles[goal].tail) + 1))
        return self._bundles[goal]

    def _covering(self, goal, budget):
        """The bundle of every route to ``goal``, from the sub-DAG of its reached ancestors."""
        covered, frontier = {goal}, [goal]
        while frontier:
            for u in self.inward(frontier.pop()):
                if u not in covered:
                    covered.add(u)
                    frontier.append(u)
        budget.spend(2 * len(covered))
        order = sorted(covered, key=self.position.__getitem__)
        at = {node: i for i, node in enumerate(order)}
        predecessors = [tuple(sorted(at[u] for u in self.inward(node))) for node in order]
        return RouteBundle(order, predecessors, [self.counts[node] for node in order])

    def _listed(self, goal):
        """Every route to ``goal`` (which has at most ROUTES_PER_UNIT), in lexicographic order.

        Routes to each node are kept as linked cells ``(node, cell before)``, so muscles that
        share a nerve share the work of tracing it and a long chain costs one cell per node; a
        node's ancestors have no more routes than it has, so they are all kept too.
        """
        missing, frontier = [], [goal]
        while frontier:
            node = frontier.pop()
            if node not in self._routes:
                self._routes[node] = None
                missing.append(node)
                frontier.extend(self.inward(node))
        for node in sorted(missing, key=self.position.__getitem__):
            cells = [(node, None)] if node in self.starts else []
            for u in self.inward(node):
                cells.extend((node, cell) for cell in self._routes[u])
            self._routes[node] = cells
        routes = []
        for cell in self._routes[goal]:
            route = []
            while cell is not None:
                route.append(cell[0])
                cell = cell[1]
            routes.append(tuple(reversed(route)))
        return tuple(sorted(routes))


@dataclass(frozen=True)
class MuscleInfo:
    node: str
    side: str
    area: str
    segments: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class LmnUnit:
    """One route from an anterior horn to a muscle, or (``bundle`` set) all of them as one unit."""

    muscle: str
    segment: str
    weight: float
    route: tuple[str, ...]
    bundle: RouteBundle | None = None

    @property
    def nodes(self) -> frozenset[str]:
        return self.bundle.nodes if self.bundle is not None else frozenset(self.route)


@dataclass(frozen=True)
class Pool:
    """A segment's pool and its corticospinal routes (``bundle`` set: too many to list; ``routes`` shows one)."""

    side: str
    area: str
    segment: str
    routes: tuple[tuple[str, ...], ...]
    bundle: RouteBundle | None = None

    @property
    def key(self) -> tuple[str, str, str]:
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
    #: Per afferent route, the bundle it stands for (or None), and how many routes it counts as.
    afferent_bundles: tuple = ()
    afferent_counts: tuple = ()


def _listed(found):
    """A route list, or a bundle with its example route: ``(routes, bundle)``."""
    if isinstance(found, RouteBundle):
        return (found.route,), found
    return found, None


class RouteTable:
    """Every LMN unit, pool and reflex arc of one anatomy graph, with inverted indexes."""

    def __init__(self, G: nx.DiGraph) -> None:
        budget = Budget(anatomy_name(G), "route tables")
        budget.spend(len(G) + sum(map(len, G._succ.values())))
        self.muscles = {}
        units: list[LmnUnit] = []
        generations = list(nx.topological_generations(G))
        #: How far each node lies from the cortex (topological generation), for ordering.
        self.depth = {node: level for level, generation in enumerate(generations) for node in generation}
        position = {node: index for index, node in enumerate(node for generation in generations for node in generation)}
        self.pools: dict[tuple[str, str, str], Pool] = {}
        self.reflexes: dict[str, ReflexArc] = {}
        horns = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "anterior_horn"}
        roots = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "dorsal_root"}
        twins = {d["structure"]: n for n, d in G.nodes(data=True) if d["kind"] == "afferent" and d.get("structure")}
        parsed: dict[str, frozenset[str]] = {}  # many edges carry the same segment list
        # Motor routes follow the motor edges; a reflex's afferent limb follows the sensory ones.
        carried: dict[tuple[str, str], frozenset[str]] = {}
        afferent_carried: dict[tuple[str, str], frozenset[str]] = {}
        for u, v, d in G.edges(data=True):
            text = d.get("segments", "")
            on_edge = parsed.get(text) or parsed.setdefault(text, frozenset(decode_segment_list(text)))
            (afferent_carried if d["kind"] in SENSORY_EDGE_KINDS else carried)[(u, v)] = on_edge
        cortex = defaultdict(list)
        for node, data in G.nodes(data=True):
            if data["kind"] == "cortical_area":
                cortex[data["area"]].append(node)
        reaches = {}

        def fibres_from(start, segment):
            key = (start, segment)
            if key not in reaches:
                reaches[key] = _Reach(G, position, [start], lambda u, v: segment in carried.get((u, v), ()), budget)
            return reaches[key]

        def afferent_fibres(start, segment):
            key = ("afferent", start, segment)
            if key not in reaches:
                reaches[key] = _Reach(G, position, [start], lambda u, v: segment in afferent_carried.get((u, v), ()), budget)
            return reaches[key]

        def channel_of(area):
            if area not in reaches:
                reaches[area] = _Reach(
                    G, position, cortex[area], lambda u, v: _in_channel(G, v, area), budget,
                    stop=lambda node: G.nodes[node]["kind"] == "anterior_horn",
                )
            return reaches[area]

        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] != "muscle":
                continue
            segments = decode_segment_list(data["segments"])
            given = decode_segment_weights(data.get("segment_weights", ""))
            weights = {segment: given.get(segment, 1.0) for segment in segments}
            info = MuscleInfo(node, data["side"], data["cortical_area"], segments, tuple(weights[s] for s in segments))
            self.muscles[node] = info
            for segment in segments:
                horn = horns.get((data["side"], segment))
                found = fibres_from(horn, segment).routes_to(node, budget) if horn else ()
                if isinstance(found, RouteBundle):
                    units.append(LmnUnit(node, segment, weights[segment], found.route, found))
                for path in () if isinstance(found, RouteBundle) else found:
                    units.append(LmnUnit(node, segment, weights[segment] / len(found), path))
                key = (data["side"], data["cortical_area"], segment)
                if key not in self.pools and horn:
                    routes, bundle = _listed(channel_of(data["cortical_area"]).routes_to(horn, budget))
                    self.pools[key] = Pool(*key, routes=routes, bundle=bundle)
        self.units = tuple(units)
        self.units_by_muscle = _invert((unit.muscle,) for unit in self.units)
        # Units whose bundles share a core are found through it: indexing each of them by
        # every node of the core would cost the core's size once per unit.
        core_of: dict[RouteBundle, int] = {}
        for unit in self.units:
            if unit.bundle is not None:
                core_of.setdefault(unit.bundle.core, len(core_of))
        #: The distinct cores of the units' bundles.
        self.cores = tuple(core_of)
        self.unit_core = tuple(core_of[unit.bundle.core] if unit.bundle is not None else None for unit in self.units)
        self.units_by_node = _invert(_own_nodes(unit) for unit in self.units)
        self.units_by_core = _invert((core,) if core is not None else () for core in self.unit_core)
        self.cores_by_node = _invert(core._dag_nodes for core in self.cores)
        self.pools_by_node = defaultdict(list)
        for key, pool in self.pools.items():
            for node in _pool_nodes(pool):
                self.pools_by_node[node].append(key)
        self.muscles_by_pool = defaultdict(list)
        for info in self.muscles.values():
            for segment in info.segments:
                self.muscles_by_pool[(info.side, info.area, segment)].append(info.node)
        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] == "reflex":
                self.reflexes[node] = self._reflex(G, node, data, roots, twins, afferent_fibres, budget)
        self._plan(G)
        self.reflex_order = tuple(sorted(self.reflexes.values(), key=lambda arc: _reflex_rank(G, arc)))
        self.reflexes_by_node = defaultdict(list)
        self.reflexes_by_core = defaultdict(list)
        for arc in self.reflexes.values():
            touched = {n for i in arc.efferent_units for n in _own_nodes(self.units[i])}
            touched |= {n for nodes in arc.afferent_nodes for n in nodes}
            touched |= {n for key in arc.pools for n in _pool_nodes(self.pools[key])}
            for n in touched:
                self.reflexes_by_node[n].append(arc.node)
            for core in sorted({self.unit_core[i] for i in arc.efferent_units} - {None}):
                self.reflexes_by_core[core].append(arc.node)
        #: The work units the table took (see WORK_LIMIT).
        self.work = budget.used

    def _reflex(self, G, node, data, roots, twins, afferent_fibres, budget):
        muscles = tuple(sorted(G.predecessors(node)))
        efferent = set(decode_segment_list(data["efferent_segments"], "efferent_segments"))
        units = tuple(
            index for muscle in muscles for index in self.units_by_muscle.get(muscle, ())
            if self.units[index].segment in efferent
        )
        # The afferent limb: from the muscle's spindles (or the stimulated nerve's afferent twin)
        # through the afferent twins, the ganglion and the dorsal root of each afferent segment.
        starts = (twins.get(data["afferent_via"]),) if data.get("afferent_via") else muscles
        afferent, bundles = [], []
        for segment in decode_segment_list(data["afferent_segments"], "afferent_segments"):
            root = roots.get((data["side"], segment))
            for start in starts:
                found = afferent_fibres(start, segment).routes_to(root, budget) if root and start else ()
                routes, bundle = _listed(found)
                afferent.extend(routes)
                bundles.extend([bundle] * len(routes))
        pools = tuple(sorted({self.pool_of(self.units[index]) for index in units}))
        afferent_nodes = tuple(
            bundle.nodes if bundle is not None else frozenset(route) for route, bundle in zip(afferent, bundles)
        )
        counts = tuple(bundle.routes if bundle is not None else 1 for bundle in bundles)
        return ReflexArc(
            node, data["reflex_kind"], muscles, units, tuple(afferent), afferent_nodes, pools, tuple(bundles), counts
        )

    def _plan(self, G):
        """Precomputed sets, so that a simulation does set intersections, not graph lookups."""
        #: Per unit, its nodes: a frozenset, or its RouteBundle, which answers ``intersection`` alike.
        self.unit_nodes = tuple(unit.bundle if unit.bundle is not None else frozenset(unit.route) for unit in self.units)
        self.pool_drive_nodes = {
            key: (
                (pool.bundle.nodes - {pool.bundle.order[-1]},) if pool.bundle is not None
                else tuple(frozenset(route[:-1]) for route in pool.routes)
            )
            for key, pool in self.pools.items()
        }
        self.pool_cord_nodes = {
            key: frozenset(
                node for nodes in self.pool_drive_nodes[key] for node in nodes
                if G.nodes[node]["kind"] == "tract" and G.nodes[node].get("segment")
            )
            for key in self.pools
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
        self.muscle_order_array = np.array(self.muscle_order, dtype=object)
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

    def pool_of(self, unit: LmnUnit) -> tuple[str, str, str]:
        """The pool key (side, area, segment) whose drive reaches ``unit``'s anterior horn."""
        info = self.muscles[unit.muscle]
        return (info.side, info.area, unit.segment)

    def routes_through(self, nodes: Iterable[str]) -> tuple[set[int], set[tuple[str, str, str]], set[str]]:
        """The LMN units, pools and reflexes whose routes pass any of ``nodes``."""
        units: set[int] = set()
        pools: set[tuple[str, str, str]] = set()
        reflexes: set[str] = set()
        cores: set[int] = set()
        for node in nodes:
            units.update(self.units_by_node.get(node, ()))
            pools.update(self.pools_by_node.get(node, ()))
            reflexes.update(self.reflexes_by_node.get(node, ()))
            cores.update(self.cores_by_node.get(node, ()))
        for core in cores:
            units.update(self.units_by_core[core])
            reflexes.update(self.reflexes_by_core.get(core, ()))
        return units, pools, reflexes


def _reflex_rank(G, arc):
    data = G.nodes[arc.node]
    return (data["side"], segment_index(decode_segment_list(data["efferent_segments"], "efferent_segments")[0]), arc.node)


def _in_channel(G, node, area):
    """Whether a corticospinal route may step onto ``node``: its area's tract, or a pool's anterior horn."""
    data = G.nodes[node]
    return data["kind"] == "anterior_horn" or (data["kind"] == "tract" and data["area"] == area)


def _pool_nodes(pool):
    """Every node on a pool's corticospinal routes."""
    return pool.bundle.nodes if pool.bundle is not None else {node for route in pool.routes for node in route}


def _own_nodes(unit):
    """A unit's nodes, but for a bundle only its tail beyond the core (the core is indexed once)."""
    if unit.bundle is None:
        return unit.route
    return unit.bundle.tail


def _invert(groups):
    index = defaultdict(list)
    for position, members in enumerate(groups):
        for member in members:
            index[member].append(position)
    return {key: tuple(value) for key, value in index.items()}


def route_table(G: nx.DiGraph) -> RouteTable:
    """Return the :class:`RouteTable` of the current state of a graph (built once per state).

    Examples
    --------
    >>> import neurograph
    >>> table = route_table(neurograph.load_anatomy())
    >>> [unit.route[-3:] for unit in table.units if unit.muscle == "R.muscle.triceps_brachii" and unit.segment == "C7"]
    [('R.bp.posterior_cord', 'R.radial.axilla', 'R.muscle.triceps_brachii')]
    """
    return derived(G, RouteTable)



@dataclass(frozen=True)
class SkinInfo:
    """A skin node as the sensory engine reads it."""

    node: str
    side: str
    label: str
    area: str
    segments: tuple[str, ...]
    #: The ISNCSCI level of a key sensory point (``C6``, ``S4-5``); empty for other places.
    level: str
    #: A face place's onion-skin ring (``inner``, ``middle``, ``outer``); empty for the body.
    zone: str = ""


class SensoryRouteTable:
    """Every sensory route of one anatomy, in pieces: peripheral and central, per segment and tract.

    A skin node's fibres of segment S run peripherally from the skin along the ``sensory_axon``
    edges that carry S to the dorsal root of S (a *peripheral piece*: every such route, found by
    per-segment reachability as for motor units), then centrally from that root through one
    tract to the skin's area of the opposite somatosensory cortex (a *central piece*, shared by
    every skin node of that root, area and tract). A *channel* is one skin node's routes through
    one tract: for each of its segments, the pair (peripheral piece, central piece). A piece
    with more than :data:`ROUTES_PER_UNIT` routes is kept as a :class:`RouteBundle`.

    Attributes
    ----------
    skins : dict
        Skin node to :class:`SkinInfo`, in anatomical order (side, segment, node).
    pieces : tuple of (tuple of frozenset, RouteBundle or None)
        Each piece's routes as node sets (a bundle: one set, all its nodes), and its bundle.
    piece_routes : tuple of tuple of tuple of str
        Each piece's routes in order, node by node (a bundle: its first route).
    pieces_by_node : dict
        Node to the pieces whose routes pass it.
    channels : dict
        ``(skin, tract)`` to ``((segment, peripheral piece, central piece), ...)``.
    channels_by_piece : dict
        Piece to the ``(skin, tract)`` channels that use it.
    root_nodes : dict
        ``(side, segment)`` to the structures whose lesion takes that segment's fibres and no
        other segment's, so that the overlap of neighbouring dermatomes applies to it as to a
        root lesion (:func:`segment_structures`): the dorsal root, the ganglion and the spinal
        nerve's afferent twin, and (by the rule ``dermatome_overlap_structures``) every afferent
        structure of that segment alone out to where other segments' fibres join it.
    key_points : dict
        Side to its key points ``(level, skin node)``, rostral first.
    """

    def __init__(self, G: nx.DiGraph) -> None:
        budget = Budget(anatomy_name(G), "sensory route tables")
        budget.spend(len(G))
        position = {node: index for index, node in enumerate(nx.topological_sort(G))}
        nodes = G.nodes
        roots = {(d["side"], d["segment"]): n for n, d in nodes(data=True) if d["kind"] == "dorsal_root"}
        overlap_at = dermatome_overlap_structures(G)
        cortex = {(d["side"], d["area"]): n for n, d in nodes(data=True) if d["kind"] == "sensory_cortex"}
        # The sensory root of a cranial nerve (the trigeminal's), per side, and the edges towards it.
        cranial_roots = {
            d["side"]: n for n, d in nodes(data=True) if d["kind"] == "cranial_afferent" and d["point_kind"] == "root"
        }
        cranial_edges = frozenset(
            (u, v) for u, v, d in G.edges(data=True) if d["kind"] == "sensory_axon" and nodes[v]["kind"] == "cranial_afferent"
        )
        parsed: dict[str, frozenset[str]] = {}
        carried: dict[tuple[str, str], frozenset[str]] = {}
        for u, v, d in G.edges(data=True):
            if d["kind"] == "sensory_axon":
                text = d.get("segments", "")
                carried[(u, v)] = parsed.get(text) or parsed.setdefault(text, frozenset(decode_segment_list(text)))
        self.skins: dict[str, SkinInfo] = {}
        found = sorted(
            (
                SkinInfo(
                    n, d["side"], d.get("label", n), d.get("sensory_area", ""), decode_segment_list(d.get("segments", "")),
                    d.get("isncsci_level", ""), d.get("trigeminal_zone", ""),
                )
                for n, d in nodes(data=True) if d["kind"] == "skin"
            ),
            key=lambda info: (info.side, segment_index(info.segments[0]) if info.segments else -1, info.node),
        )
        self.skins = {info.node: info for info in found}
        pieces: list[tuple[tuple[frozenset[str], ...], RouteBundle | None]] = []
        central_of: dict[tuple[str, str, str, str], int] = {}
        self.channels: dict[tuple[str, str], tuple[tuple[str, int, int], ...]] = {}
        self.root_nodes: dict[tuple[str, str], frozenset[str]] = {}

        ordered: list[tuple[tuple[str, ...], ...]] = []

        def piece(found_routes):
            routes, bundle = _listed(found_routes)
            pieces.append(((bundle.nodes,) if bundle is not None else tuple(frozenset(r) for r in routes), bundle))
            ordered.append(tuple(routes))
            return len(pieces) - 1

        tract_reaches: dict[tuple[str, str, str], _Reach] = {}

        def central(root, side, area, tract, zone):
            # One pass per root, tract and face ring: a route into one area's channel stays in it up
            # to the cortex; a face place's pain fibres end at the spinal trigeminal level of its ring.
            key = (root, area, tract, zone)
            if key not in central_of:
                if (root, tract, zone) not in tract_reaches:

                    def allowed(u, v):
                        data = nodes[v]
                        return (
                            data["kind"] in ("sensory_tract", "sensory_cortex") and data.get("tract", tract) == tract
                            and data.get("trigeminal_zone", zone) == zone
                        )

                    tract_reaches[(root, tract, zone)] = _Reach(G, position, [root], allowed, budget)
                goal = cortex.get((opposite_side(side), area))
                central_of[key] = piece(tract_reaches[(root, tract, zone)].routes_to(goal, budget) if goal else ())
            return central_of[key]

        for info in self.skins.values():
            peripheral, root_of = {}, {}
            for segment in info.segments:
                root = roots.get((info.side, segment))
                if root is None:
                    continue
                reach = _Reach(G, position, [info.node], lambda u, v, s=segment: s in carried.get((u, v), ()), budget)
                found_routes = reach.routes_to(root, budget)
                if not found_routes:
                    continue
                peripheral[segment], root_of[segment] = piece(found_routes), root
                if (info.side, segment) not in self.root_nodes:
                    self.root_nodes[(info.side, segment)] = segment_structures(G, root, segment, overlap_at)
            if not info.segments and info.side in cranial_roots:
                # A face place: its fibres run in its cranial nerve to that nerve's sensory root.
                root = cranial_roots[info.side]
                found_routes = _Reach(G, position, [info.node], lambda u, v: (u, v) in cranial_edges, budget).routes_to(root, budget)
                if found_routes:
                    peripheral[""], root_of[""] = piece(found_routes), root
            for tract in SENSORY_TRACTS:
                self.channels[(info.node, tract)] = tuple(
                    (segment, index, central(root_of[segment], info.side, info.area, tract, info.zone))
                    for segment, index in peripheral.items()
                )
        self.pieces = tuple(pieces)
        #: Per piece, its routes in order (each a tuple of nodes, in lexicographic order; a
        #: bundle shows its first route).
        self.piece_routes = tuple(ordered)
        #: Per piece, every node of its routes.
        self.piece_nodes = tuple(frozenset().union(*routes) for routes, _ in self.pieces)
        #: Per skin node, its place in the anatomical order.
        self.skin_order = {node: index for index, node in enumerate(self.skins)}
        self.pieces_by_node = _invert(frozenset().union(*routes) for routes, _ in self.pieces)
        by_piece: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for key, parts in self.channels.items():
            for _, peripheral_piece, central_piece in parts:
                by_piece[peripheral_piece].append(key)
                by_piece[central_piece].append(key)
        self.channels_by_piece = {p: tuple(dict.fromkeys(keys)) for p, keys in by_piece.items()}
        key_points: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for info in self.skins.values():
            if info.level:
                key_points[info.side].append((info.level, info.node))
        self.key_points = {side: tuple(points) for side, points in key_points.items()}
        self._arrays()
        #: The work units the table took (see WORK_LIMIT).
        self.work = budget.used

    def _arrays(self):
        """The same pieces and channels as arrays, so that grading a lesion is a few array operations.

        Every listed route of every piece is one *route slot* (a piece's slots are consecutive;
        a bundle is one slot whose cut is decided by its own dynamic programming; a piece with
        no route gets one slot no lesion reaches, so it counts as intact). Every channel's
        parts are consecutive, skin by skin in anatomical order and, within a skin, tract by
        tract in the order of :data:`~neurograph.schema.SENSORY_TRACTS`; a skin with no route
        at all gets parts that point at a spare piece that is never hit.
        """
        import numpy as np

        route_piece, node_slots = [], defaultdict(list)
        piece_starts = []
        for index, (routes, _) in enumerate(self.pieces):
            piece_starts.append(len(route_piece))
            for nodes in routes or (frozenset(),):
                for node in nodes:
                    node_slots[node].append(len(route_piece))
                route_piece.append(index)
        self.route_slots = len(route_piece)
        self.piece_starts = np.array(piece_starts, dtype=np.intp)
        #: Node to the route slots that pass it.
        self.slots_by_node = {node: np.array(slots, dtype=np.intp) for node, slots in node_slots.items()}
        self.bundle_pieces = tuple(index for index, (_, bundle) in enumerate(self.pieces) if bundle is not None)
        spare = len(self.pieces)
        peripheral, central, channel_starts = [], [], []
        for skin in self.skins:
            for tract in SENSORY_TRACTS:
                channel_starts.append(len(peripheral))
                parts = self.channels.get((skin, tract)) or (("", spare, spare),)
                peripheral.extend(part[1] for part in parts)
                central.extend(part[2] for part in parts)
        self.part_peripheral = np.array(peripheral, dtype=np.intp)
        self.part_central = np.array(central, dtype=np.intp)
        self.channel_starts = np.array(channel_starts, dtype=np.intp)
        #: Per skin, where its parts start (its channels' parts are consecutive).
        self.skin_starts = self.channel_starts[:: len(SENSORY_TRACTS)].copy()
        self.skin_nodes = tuple(self.skins)
        #: Per skin node, the distinct pieces of its channels.
        self.skin_pieces = {
            skin: tuple(dict.fromkeys(
                piece for tract in SENSORY_TRACTS for _, *parts in self.channels.get((skin, tract), ()) for piece in parts
            ))
            for skin in self.skins
        }
        #: Every node a single root lesion takes, to tell a lesion of roots alone.
        self.all_root_nodes = frozenset().union(*self.root_nodes.values())
        #: Per side, the positions (in ``skin_nodes``) of its key points, rostral first.
        self.key_point_positions = {
            side: np.array([self.skin_order[node] for _, node in points], dtype=np.intp)
            for side, points in self.key_points.items()
        }


def dermatome_overlap_structures(G: nx.DiGraph) -> str:
    """The graph's rule ``dermatome_overlap_structures`` (``roots`` when the graph has none).

    Examples
    --------
    >>> import neurograph
    >>> dermatome_overlap_structures(neurograph.load_anatomy())
    'one_segment_structures'
    """
    rules = decode_sensory_rules(G.graph.get("sensory_rules", "{}"))
    return str(rules.get("dermatome_overlap_structures", {}).get("value", DERMATOME_OVERLAP_STRUCTURES[0]))


def segment_structures(G: nx.DiGraph, root: str, segment: str, overlap_at: str) -> frozenset[str]:
    """The structures of one segment alone whose lesion leaves its skin to the neighbouring dermatomes.

    Neighbouring dermatomes overlap because each segment's skin also receives fibres of the
    segments next to it, and those travel in their own roots and nerves. So a lesion that takes
    the fibres of one segment, and of no other, leaves that overlap as a root lesion does,
    wherever it lies between the dorsal root and the point where other segments' fibres join
    (Foerster 1933 for roots; Moore 2018 for one intercostal nerve). With ``overlap_at`` set to
    ``roots`` these are the dorsal root, its ganglion and the spinal nerve's afferent twin; with
    ``one_segment_structures``, also the afferent structures that carry ``segment`` alone out
    from the spinal nerve (its ventral and dorsal rami, a trunk of one ramus, an intercostal
    nerve and its branches), found back from the dorsal root along the ``sensory_axon`` edges.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> sorted(segment_structures(G, "R.droot.C6", "C6", "roots"))
    ['R.aff.spn.C6', 'R.drg.C6', 'R.droot.C6']
    >>> "R.aff.ramus.C6" in segment_structures(G, "R.droot.C6", "C6", "one_segment_structures")
    True
    """
    nodes = G.nodes
    found = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        for source, _, data in G.in_edges(node, data=True):
            if source in found or data["kind"] != "sensory_axon" or nodes[source]["kind"] not in ("afferent", "dorsal_root_ganglion"):
                continue
            if tuple(decode_segment_list(nodes[source].get("segments", segment))) != (segment,):
                continue
            structure = nodes[source].get("structure", "")
            if overlap_at == "roots" and nodes[source]["kind"] == "afferent" and not structure.endswith(f".spn.{segment}"):
                continue
            found.add(source)
            stack.append(source)
    return frozenset(found)


def sensory_route_table(G: nx.DiGraph) -> SensoryRouteTable:
    """Return the :class:`SensoryRouteTable` of the current state of a graph (built once per state).

    Examples
    --------
    >>> import neurograph
    >>> table = sensory_route_table(neurograph.load_anatomy())
    >>> [segment for segment, _, _ in table.channels[("R.key_point.C6", "dorsal_columns")]]
    ['C6']
    """
    return derived(G, SensoryRouteTable)
