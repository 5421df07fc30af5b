"""The site atlas: what a complete lesion of every single site cuts, as boolean arrays.

The engine decides a lesion's findings from the routes it cuts (:mod:`neurograph.routes`), and
two complete lesions together cut exactly the union of what each cuts. So every site of
:func:`neurograph.resolve.atlas_sites` is reduced once per anatomy to rows of booleans: the
lower motor neuron units it cuts, those it cuts at their cell body or root, the corticospinal
drive routes it cuts, the pools whose cord stretch it touches, and the reflex afferent routes
it cuts. The findings of any single site, or of any pair of sites (the row-wise OR of theirs),
then follow from a few matrix products restricted to the examined muscles and reflexes, with
the engine's own arithmetic from losses to findings (:func:`neurograph.engine.muscle_outcome`
and :func:`neurograph.engine.reflex_state`). Sensation has rows of its own (:class:`SensoryRows`:
the sensory route slots each site cuts, and the roots it takes), graded for the examined skin
places with :func:`neurograph.engine.sensory_grades`. The atlas therefore predicts exactly what :func:`~neurograph.simulate`
does; the test suite checks every single site and sampled pairs against it.

The union holds route by route. Where the route table keeps a unit's, a pool's or an afferent
limb's routes as one :class:`~neurograph.routes.RouteBundle` (too many to list), a column stands
for all of them, and what two sites cut of it is not what each cuts: for those columns alone the
atlas computes the share cut (or whether every route is cut) from the bundle itself, for the
union of the lesion's nodes, so predictions stay exact there too.

Memory: only the sites that cut some route get a row of the cut matrices (the rest share one
empty row), and :data:`CELL_LIMIT` bounds rows times columns; a larger anatomy is refused with
:class:`~neurograph.errors.AnatomyTooLargeError`.
"""

from __future__ import annotations

import copy
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.cache import derived
from neurograph.cranial import CranialRows
from neurograph.engine import (
    IMPAIRED, INTACT, LOST, REFLEX_DIRECTION, REFLEX_KINDS, muscle_outcome, reflex_state, sensory_grades, sensory_rules,
)
from neurograph.errors import AnatomyTooLargeError
from neurograph.resolve import atlas_sites
from neurograph.routes import Budget, RouteBundle, anatomy_name, route_table, sensory_route_table
from neurograph.schema import MODALITIES, SEGMENTS, SENSORY_TRACTS, check_phase

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["site_atlas", "SiteAtlas", "Prediction", "SensoryRows", "SensoryPrediction", "CELL_LIMIT"]

#: The most cells (sites that cut some route, times route columns) the atlas's cut matrices may
#: hold; the packaged anatomy needs about 1.2 million.
CELL_LIMIT = 150_000_000
#: Beyond this many cells in a cut matrix, :meth:`SiteAtlas.singles` predicts the muscles and
#: reflexes asked for, at the sites that cut what they depend on, instead of every muscle and
#: reflex at every site once per phase (which would grow with sites times muscles), and the
#: skin places asked for instead of every place. The packaged anatomy's motor cut matrix has
#: 0.9 million cells and its sensory one 2.1 million (with the face's places): both are kept
#: whole, the sensory singles as 3.5 MB (a byte per row, place and modality).
FULL_SINGLES_CELLS = 4_000_000
#: Beyond this many cells (sites times muscles, reflexes and skin places), what each site touches
#: of every item (:meth:`SiteAtlas.every_touch`, a byte a cell) is not kept: each prediction
#: works out its own.
TOUCH_CELLS = 20_000_000
#: How many pairs of sets of cranial route nodes :meth:`SiteAtlas.cranial_pairs` keeps per phase
#: (about 2 kB each on the packaged anatomy).
_CRANIAL_PAIRS_KEPT = 4096
#: How many predictions of chosen items :meth:`SiteAtlas.prediction` keeps (a localization asks
#: for the same examined items' several times; a full examination's takes a few megabytes).
_PREDICTIONS_KEPT = 4
#: Sites predicted at once when every site's prediction is made (bounds the memory it takes).
_ROWS_PER_BLOCK = 256

# What a reflex arc's intact share is compared against: cut (<= 0), partly cut, intact (1).
_ARC_SHARES = (0.0, 0.5, 1.0)
_TOLERANCE = 1e-9


class SiteAtlas:
    """Every atlas site's cuts as boolean arrays, with one row per site."""

    def __init__(self, G: nx.DiGraph) -> None:
        table = self.table = route_table(G)
        #: The anatomy's name, for errors.
        self.anatomy = anatomy_name(G)
        self.sites = atlas_sites(G)
        #: The row of each site, by its node set (no two sites share one).
        self.row_of = {site.nodes: row for row, site in enumerate(self.sites)}
        depth = table.depth
        self.depth = [
            depth[next(iter(site.nodes))] if len(site.nodes) == 1 else min(depth[node] for node in site.nodes)
            for site in self.sites
        ]
        self.drive_routes = [(key, nodes) for key in table.pool_keys for nodes in table.pool_drive_nodes[key]]
        self.afferent_routes = [(arc.node, nodes) for arc in table.reflex_order for nodes in arc.afferent_nodes]
        #: Columns that stand for a bundle of routes, with their bundle: unit, drive and afferent columns.
        self.unit_bundles = {index: bundle for index, unit in enumerate(table.units) if (bundle := unit.bundle) is not None}
        self.drive_bundles = {
            column: bundle for column, (key, _) in enumerate(self.drive_routes)
            if (bundle := table.pools[key].bundle) is not None
        }
        self.afferent_bundles = {
            column: bundle for column, bundle in enumerate(
                bundle for arc in table.reflex_order for bundle in arc.afferent_bundles
            ) if bundle is not None
        }
        self.afferent_counts = [count for arc in table.reflex_order for count in arc.afferent_counts]
        drive_by_node, afferent_by_node = _index_routes(self.drive_routes), _index_routes(self.afferent_routes)
        # A site off every route (an isolated node, a skin place) cuts nothing: no look-up needed.
        on_routes = frozenset().union(
            table.units_by_node, table.cores_by_node, table.pools_by_node, drive_by_node, afferent_by_node
        )
        cuts: list[Any] = []
        for site in self.sites:
            if on_routes.isdisjoint(site.nodes):
                cuts.append(None)
                continue
            units, pools, _ = table.routes_through(site.nodes)
            drive = {index for node in site.nodes for index in drive_by_node.get(node, ())}
            afferent = {index for node in site.nodes for index in afferent_by_node.get(node, ())}
            # Kept as arrays: a set per site would cost tens of bytes per (site, unit) cut.
            cuts.append(
                (np.fromiter(units, np.intp, len(units)), pools, drive, afferent) if units or drive or afferent else None
            )
        #: Per site, its row of the cut matrices; row 0 cuts nothing and is shared by every site that cuts nothing.
        self.cut_row = np.zeros(len(self.sites), dtype=np.intp)
        cutting = [row for row, cut in enumerate(cuts) if cut is not None]
        self.cut_row[cutting] = np.arange(1, len(cutting) + 1)
        rows = len(cutting) + 1
        columns = 2 * len(table.units) + len(self.drive_routes) + len(table.pool_keys) + len(self.afferent_routes)
        if rows * columns > CELL_LIMIT:
            raise AnatomyTooLargeError(self.anatomy, "site atlas", rows * columns, CELL_LIMIT, "neurograph.atlas.CELL_LIMIT", units="cells")
        self.units = np.zeros((rows, len(table.units)), dtype=bool)
        self.units_at_root = np.zeros((rows, len(table.units)), dtype=bool)
        self.drive = np.zeros((rows, len(self.drive_routes)), dtype=bool)
        self.cord = np.zeros((rows, len(table.pool_keys)), dtype=bool)
        self.afferent = np.zeros((rows, len(self.afferent_routes)), dtype=bool)
        for row in cutting:
            site, (units, pools, drive, afferent) = self.sites[row], cuts[row]
            at = self.cut_row[row]
            self.units[at, units] = True
            if not site.nodes.isdisjoint(table.cell_body_or_root):
                self.units_at_root[at, [
                    index for index in units.tolist()
                    if not table.unit_nodes[index].intersection(site.nodes).isdisjoint(table.cell_body_or_root)
                ]] = True
            for key in pools:
                self.cord[at, table.pool_index[key]] = not site.nodes.isdisjoint(table.pool_cord_nodes[key])
            self.drive[at, sorted(drive)] = True
            self.afferent[at, sorted(afferent)] = True
        self._singles: dict[Any, Any] = {}
        self._cranial: dict[str, Any] = {}
        self._every_touch: Any = None
        self._cranial_pairs: dict[str, dict[int, dict[str, np.ndarray]]] = {}
        self._predictions: OrderedDict[tuple, Prediction] = OrderedDict()
        #: What each site cuts of the sensory routes (:class:`SensoryRows`).
        self.sensation = SensoryRows(G, self.sites)
        #: What each site does to the cranial muscles and brainstem reflexes (:class:`~neurograph.cranial.CranialRows`).
        self.cranial = CranialRows(G, self.sites)
        #: Per site, whether its complete lesion changes anything the atlas predicts (a motor,
        #: sensory or cranial route passes it). A site that acts on nothing (an isolated node)
        #: explains no finding, so it is no hypothesis and takes no prior.
        self.acting = (self.cut_row != 0) | (self.sensation.cut_row != 0) | (np.asarray(self.cranial.set_of_site) != 0)
        #: Each reflex's kind (:data:`~neurograph.schema.REFLEX_KINDS`). A brainstem reflex is
        #: predicted as a deep tendon reflex is: absent, reduced, normal, or brisk where its
        #: supranuclear change shows (its ``reflex_umn`` column).
        self.reflex_kinds = {arc.node: arc.kind for arc in table.reflex_order}
        self.reflex_kinds.update((node, "deep_tendon") for node in self.cranial.table.reflexes)

    @cached_property
    def extent(self) -> np.ndarray:
        """Per site, how many structures it takes (a ranking prefers the smaller lesion)."""
        return np.array([len(site.nodes) for site in self.sites], dtype=np.intp)

    @cached_property
    def label_order(self) -> np.ndarray:
        """Per site, its label's position in the sorted labels (a ranking's last tie-break)."""
        return np.unique(np.array([site.label for site in self.sites], dtype=str), return_inverse=True)[1].reshape(-1)

    def prediction(self, muscles: Sequence[str], reflexes: Sequence[str], phase: str, places: Sequence[str] = ()) -> Prediction:
        """A :class:`Prediction` of the given muscles, reflexes and skin places (node names), in ``phase``.

        The last :data:`_PREDICTIONS_KEPT` asked for are kept (its tables depend only on the
        items and the phase); each call gets its own budget of work over bundled routes.
        """
        key = (tuple(muscles), tuple(reflexes), phase, tuple(places))
        kept = self._predictions.get(key)
        if kept is None:
            kept = self._predictions[key] = Prediction(self, muscles, reflexes, phase, places)
            if len(self._predictions) > _PREDICTIONS_KEPT:
                self._predictions.popitem(last=False)
        else:
            self._predictions.move_to_end(key)
        return kept.with_new_budget()

    def singles(
        self, muscles: Sequence[str], reflexes: Sequence[str], phase: str, rows: Iterable[int] | None = None,
        places: Sequence[str] = (),
    ) -> dict[str, np.ndarray]:
        """What each site alone (or each of ``rows``) predicts for the given muscles, reflexes and skin places.

        The same arrays as :meth:`Prediction.predict` for every row; every muscle and reflex
        is predicted once per phase, every place once, for each distinct row of the cut
        matrices and kept, so this is a selection.
        """
        cranial = self.cranial.items(list(muscles)) + self.cranial.items(list(reflexes))
        if cranial:
            split = _CranialSplit(self.cranial, muscles, reflexes)
            limb = self.singles(split.limb_muscles, split.limb_reflexes, phase, rows, places)
            site_rows = np.arange(len(self.sites)) if rows is None else np.asarray(rows, dtype=np.intp)
            return split.merge(limb, self._cranial_singles(split.cranial_muscles, split.cranial_reflexes, phase, site_rows))
        table = self.table
        if phase not in self._singles and self.units.size > FULL_SINGLES_CELLS:
            return {**self._chosen_singles(muscles, reflexes, phase, rows), "sensory": self.sensation.singles(places, rows)}
        if phase not in self._singles:
            reflex_order = [arc.node for arc in table.reflex_order]
            forecast = self.prediction(list(table.muscle_order), reflex_order, phase)
            # One site per row of the cut matrices stands for every site sharing it.
            standing = np.zeros(len(self.units), dtype=np.intp)
            standing[self.cut_row[::-1]] = np.arange(len(self.sites))[::-1]
            blocks = [forecast.predict(standing[start:start + _ROWS_PER_BLOCK]) for start in range(0, len(standing), _ROWS_PER_BLOCK)]
            everything = {name: np.concatenate([block[name] for block in blocks]) for name in blocks[0]}
            self._singles[phase] = (everything, {node: i for i, node in enumerate(table.muscle_order)}, {node: i for i, node in enumerate(reflex_order)})
        everything, muscle_column, reflex_column = self._singles[phase]
        cut_rows = self.cut_row if rows is None else self.cut_row[np.asarray(rows, dtype=np.intp)]
        chosen = np.array([muscle_column[muscle] for muscle in muscles], dtype=np.intp)
        chosen_reflexes = np.array([reflex_column[reflex] for reflex in reflexes], dtype=np.intp)
        found = {
            name: _select(values, cut_rows, chosen_reflexes if name.startswith("reflex") else chosen)
            for name, values in everything.items() if name != "sensory"
        }
        found["sensory"] = self.sensation.singles(places, rows)
        return found

    def cranial_patterns(self, names: Sequence[str]) -> np.ndarray:
        """Per site, a number for the nodes it holds on the routes of the cranial items ``names``
        (:meth:`~neurograph.cranial.CranialRows.pattern`): 0 where it holds none, the others
        numbered in the order of the first site holding them. Worked out once per set of
        cranial route nodes, not per site.

        Examples
        --------
        >>> import neurograph
        >>> atlas = site_atlas(neurograph.load_anatomy())
        >>> names = atlas.cranial.items(["L.cranial_muscle.lateral_rectus"])
        >>> numbers = atlas.cranial_patterns(names)
        >>> all((numbers[row] == 0) == (not atlas.cranial.pattern(row, names)) for row in range(len(atlas.sites)))
        True
        """
        cranial = self.cranial
        wanted = frozenset().union(*(cranial.nodes_of[name] for name in names))
        numbers: dict[frozenset[str], int] = {frozenset(): 0}
        of_set = np.array([numbers.setdefault(nodes & wanted, len(numbers)) for nodes in cranial.node_sets], dtype=np.intp)
        of_site = of_set[np.asarray(cranial.set_of_site, dtype=np.intp)]
        found, first = np.unique(of_site, return_index=True)
        held = found != 0
        renumbered = np.zeros(len(numbers), dtype=np.intp)
        renumbered[found[held][np.argsort(first[held], kind="stable")]] = np.arange(1, int(held.sum()) + 1)
        return renumbered[of_site]

    def every_touch(self) -> tuple[np.ndarray, dict[str, int]] | None:
        """Per site, which muscles, reflexes and skin places (every one of the anatomy) its lesion
        can change (see :meth:`Prediction.touches`), and the column of each by name; made on first
        use (by the pair search). None for an anatomy whose sites times items pass
        :data:`TOUCH_CELLS`, where each prediction works out its own."""
        if self._every_touch is None:
            table = self.table
            muscles = [*table.muscle_order, *self.cranial.table.muscles]
            reflexes = [*(arc.node for arc in table.reflex_order), *self.cranial.table.reflexes]
            places = list(self.sensation.table.skin_nodes)
            if len(self.sites) * (len(muscles) + len(reflexes) + len(places)) > TOUCH_CELLS:
                self._every_touch = ()
            else:
                # Touches do not depend on the phase.
                every = self.prediction(muscles, reflexes, "chronic", places)
                sites = np.arange(len(self.sites))
                matrix = np.concatenate([every._touches(sites[start:start + _ROWS_PER_BLOCK]) for start in range(0, len(sites), _ROWS_PER_BLOCK)])
                self._every_touch = (matrix, {name: column for column, name in enumerate(every.chosen)})
        return self._every_touch or None

    def _cranial_singles(self, muscles: list[str], reflexes: list[str], phase: str, rows: np.ndarray) -> dict[str, np.ndarray]:
        """What :meth:`~neurograph.cranial.CranialRows.predict` gives for each site of ``rows`` alone: every
        cranial item is predicted once per phase for each distinct set of cranial route nodes a site
        holds, and kept, so this is a selection."""
        cranial = self.cranial
        if phase not in self._cranial:
            sets = np.asarray(cranial.set_of_site, dtype=np.intp)
            # One site per set stands for every site holding it.
            standing = np.zeros(len(cranial.node_sets), dtype=np.intp)
            standing[sets[::-1]] = np.arange(len(sets))[::-1]
            items = (list(cranial.table.muscles), list(cranial.table.reflexes))
            everything = cranial.predict(*items, phase, standing)
            columns = tuple({item: column for column, item in enumerate(names)} for names in items)
            self._cranial[phase] = (sets, everything, columns)
        sets, everything, (muscle_column, reflex_column) = self._cranial[phase]
        chosen = np.array([muscle_column[muscle] for muscle in muscles], dtype=np.intp)
        chosen_reflexes = np.array([reflex_column[reflex] for reflex in reflexes], dtype=np.intp)
        return {
            name: _select(values, sets[rows], chosen_reflexes if name.startswith("reflex") else chosen)
            for name, values in everything.items()
        }

    def cranial_pairs(
        self, muscles: list[str], reflexes: list[str], phase: str, first: np.ndarray, second: np.ndarray | None,
    ) -> dict[str, np.ndarray]:
        """What :meth:`~neurograph.cranial.CranialRows.predict` gives for the sites of rows ``first``
        (each with ``second``'s): every cranial item is predicted for each pair of sets of cranial
        route nodes as it is first asked for, and the last :data:`_CRANIAL_PAIRS_KEPT` pairs of a phase
        are kept."""
        cranial = self.cranial
        if second is None or not len(first):
            return cranial.predict(muscles, reflexes, phase, first, second)
        sets = np.asarray(cranial.set_of_site, dtype=np.intp)
        a, b = sets[first], sets[np.asarray(second, dtype=np.intp)]
        count = len(cranial.node_sets)
        keys, position = np.unique(np.minimum(a, b) * count + np.maximum(a, b), return_inverse=True)
        kept = self._cranial_pairs.setdefault(phase, {})
        missing = [key for key in keys.tolist() if key not in kept]
        items = (list(cranial.table.muscles), list(cranial.table.reflexes))
        if missing:
            if len(kept) + len(missing) > _CRANIAL_PAIRS_KEPT:
                kept.clear()
            standing = np.zeros(count, dtype=np.intp)
            standing[sets[::-1]] = np.arange(len(sets))[::-1]
            pairs = np.array(missing, dtype=np.intp)
            found = cranial.predict(*items, phase, standing[pairs // count], standing[pairs % count])
            kept.update((key, {name: values[at] for name, values in found.items()}) for at, key in enumerate(missing))
        muscle_column = {muscle: column for column, muscle in enumerate(items[0])}
        reflex_column = {reflex: column for column, reflex in enumerate(items[1])}
        chosen = np.array([muscle_column[muscle] for muscle in muscles], dtype=np.intp)
        chosen_reflexes = np.array([reflex_column[reflex] for reflex in reflexes], dtype=np.intp)
        rows = [kept[key] for key in keys.tolist()]
        position = np.asarray(position).reshape(-1)
        return {
            name: np.stack([row[name] for row in rows])[position][:, chosen_reflexes if name.startswith("reflex") else chosen]
            for name in rows[0]
        }

    def _chosen_singles(self, muscles, reflexes, phase, rows):
        """What :meth:`singles` gives, predicted for the chosen muscles and reflexes alone.

        For an atlas too large to predict every muscle and reflex at every site once: only the
        sites that cut something the chosen ones depend on are predicted; every other site
        predicts what one of them does (nothing changes), or, when all are, each is predicted.
        """
        forecast = self.prediction(muscles, reflexes, phase)
        wanted = np.arange(len(self.sites)) if rows is None else np.asarray(rows, dtype=np.intp)
        relevant = forecast.relevant[wanted]
        predicted = np.flatnonzero(relevant)
        bystander = np.flatnonzero(~relevant)[:1]
        order = np.concatenate([predicted, bystander])
        blocks = [
            forecast.predict(wanted[order[start:start + _ROWS_PER_BLOCK]]) for start in range(0, max(len(order), 1), _ROWS_PER_BLOCK)
        ]
        found = {name: np.concatenate([block[name] for block in blocks]) for name in blocks[0]}
        # Row by row, the position of its prediction in ``found`` (the bystander's last).
        position = np.full(len(wanted), len(predicted), dtype=np.intp)
        position[predicted] = np.arange(len(predicted))
        return {name: values[position] for name, values in found.items()}

    def exact_cuts(
        self, columns: np.ndarray, bundles: dict[int, RouteBundle], first: np.ndarray, second: np.ndarray | None,
        cut: np.ndarray, measure: Callable[[RouteBundle, frozenset[str], dict], float], budget: Budget,
    ) -> np.ndarray:
        """Replace, in ``cut`` (rows x ``columns``), the share cut of every bundled column by its exact value.

        ``first`` and ``second`` (or None) are the lesions' site rows; ``measure(bundle, nodes,
        memo)`` gives what the lesion of ``nodes`` cuts of a bundle. A lesion of one node is a
        look-up; of more, a pass over the bundle's core (shared by the bundles that continue
        it, so made once per lesion) and its tail: that work is counted against ``budget``
        (see :data:`neurograph.routes.WORK_LIMIT`).
        """
        # Columns whose bundles share a core (and all continue it, or none does) lose the same
        # share to a lesion that misses their tails: it is weighed once per row and group.
        groups: dict[tuple[RouteBundle, bool], list[tuple[int, RouteBundle]]] = defaultdict(list)
        for position, column in enumerate(columns.tolist()):
            bundle = bundles.get(column)
            if bundle is not None:
                groups[(bundle.core, bool(bundle.tail))].append((position, bundle))
        memos: dict[int, dict[Any, float]] = defaultdict(dict)
        for (core, _), members in groups.items():
            positions = np.array([position for position, _ in members], dtype=np.intp)
            block = cut[:, positions]
            rows = np.flatnonzero(block.any(axis=1))
            tails = frozenset().union(*(bundle.tail for _, bundle in members))
            values = np.zeros(len(rows))
            apart = []
            for at, row in enumerate(rows.tolist()):
                nodes = self.sites[first[row]].nodes
                if second is not None:
                    nodes = nodes | self.sites[second[row]].nodes
                # One node, or the core's goal (on every route), is looked up; more take a pass
                # over the core, once per lesion.
                budget.spend(1 if len(nodes) == 1 or core.goal in nodes else core.size)
                values[at] = measure(members[0][1], nodes, memos[row])
                if not tails.isdisjoint(nodes):
                    apart.append((row, nodes))
            cut[np.ix_(rows, positions)] = np.where(block[rows] != 0, values[:, None], 0.0)
            for row, nodes in apart:  # a lesion of some column's own tail: weighed column by column
                for at, (position, bundle) in enumerate(members):
                    if block[row, at]:
                        budget.spend(1 + len(bundle.tail))
                        cut[row, position] = measure(bundle, nodes, memos[row])
        return cut


def _select(values: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """``values[rows][:, columns]``, selecting first along the axis that leaves the smaller copy
    (a few sites of every muscle, or every site of a few muscles)."""
    if len(rows) * values.shape[1] <= values.shape[0] * len(columns):
        return values.take(rows, axis=0).take(columns, axis=1)
    return values.take(columns, axis=1).take(rows, axis=0)


def _index_routes(routes):
    by_node = defaultdict(list)
    for index, (_, nodes) in enumerate(routes):
        for node in nodes:
            by_node[node].append(index)
    return by_node


class Prediction:
    """What single sites and pairs of sites predict for a chosen set of muscles, reflexes and skin places.

    Only the columns of the atlas that can touch the chosen muscles and reflexes are kept, so a
    pair costs a row-wise OR and a few small matrix products; the places are graded by a
    :class:`SensoryPrediction`. :meth:`relevant_rows` are the sites that cut anything kept:
    pairing any other site with a site ``A`` predicts what ``A`` alone does.
    """

    def __init__(
        self, atlas: SiteAtlas, muscles: Sequence[str], reflexes: Sequence[str], phase: str, places: Sequence[str] = ()
    ) -> None:
        check_phase(phase)
        table = atlas.table
        self.phase = phase
        #: The chosen muscles, reflexes and places, in the order of :meth:`touches`' columns.
        self.chosen = [*muscles, *reflexes, *places]
        self._touch_columns: np.ndarray | None = None
        # Cranial muscles and brainstem reflexes are predicted by the cranial rows and merged in.
        self.split = _CranialSplit(atlas.cranial, muscles, reflexes)
        muscles, reflexes = self.split.limb_muscles, self.split.limb_reflexes
        position = {muscle: index for index, muscle in enumerate(table.muscle_order)}
        chosen = [position[muscle] for muscle in muscles]
        ends = np.append(table.muscle_starts[1:], len(table.slot_weight))
        # The chosen muscles' slots, each muscle's consecutive, in the order of ``muscles``.
        slots = [slot for muscle in chosen for slot in range(table.muscle_starts[muscle], ends[muscle])]
        counts = [ends[muscle] - table.muscle_starts[muscle] for muscle in chosen]
        self.muscle_starts = (np.cumsum(counts) - counts).astype(np.intp)
        self.slot_muscle = np.repeat(np.arange(len(chosen)), counts)
        self.slot_weight = table.slot_weight[slots]
        self.muscle_total = table.muscle_total[chosen]
        arcs = [table.reflexes[reflex] for reflex in reflexes]
        slot_column = {slot: column for column, slot in enumerate(slots)}
        # Kept units: those of the chosen slots, ordered by slot, then the reflexes' other efferent units.
        slot_units = sorted((slot_column[slot], index) for index, slot in enumerate(table.unit_slot.tolist()) if slot in slot_column)
        in_slots = {index for _, index in slot_units}
        units = [index for _, index in slot_units]
        units += sorted({index for arc in arcs for index in arc.efferent_units} - in_slots)
        self.unit_columns = np.array(units, dtype=np.intp)
        self.slot_units = len(slot_units)
        self.unit_slot = np.array([column for column, _ in slot_units], dtype=np.intp)
        self.unit_share = np.array(
            [table.unit_weight[index] / table.slot_weight[slots[column]] for column, index in slot_units], dtype=float
        )
        self.slots_with_units, self.unit_runs = np.unique(self.unit_slot, return_index=True)
        pools = sorted(
            {int(table.slot_pool[slot]) for slot in slots} | {table.pool_index[key] for arc in arcs for key in arc.pools}
        )
        pools = [pool for pool in pools if pool < len(table.pool_keys)]
        pool_column = {pool: column for column, pool in enumerate(pools)}
        self.pool_columns = np.array(pools, dtype=np.intp)
        drive = [index for index, (key, _) in enumerate(atlas.drive_routes) if table.pool_index[key] in pool_column]
        self.drive_columns = np.array(drive, dtype=np.intp)
        self.drive_pool = np.zeros((len(drive), len(pools)))
        for row, index in enumerate(drive):
            self.drive_pool[row, pool_column[table.pool_index[atlas.drive_routes[index][0]]]] = 1.0
        self.routes_per_pool = self.drive_pool.sum(axis=0)
        # A slot whose pool has no route points at a spare last column that never loses drive.
        self.slot_pool = np.array([pool_column.get(int(table.slot_pool[slot]), len(pools)) for slot in slots], dtype=np.intp)
        self._reflex_plan(atlas, arcs, units, pool_column)
        # Made on the first call of touches: (columns x items) matrices, needed by the pair search only.
        self._pools, self._dependents = pools, None
        self.atlas = atlas
        #: Work spent on exact predictions over bundles, for this prediction's whole life.
        self.budget = Budget(atlas.anatomy, "predictions over bundled routes")
        self.relevant: np.ndarray = np.asarray(
            atlas.units[:, self.unit_columns].any(axis=1) | atlas.drive[:, self.drive_columns].any(axis=1)
            | atlas.afferent[:, self.afferent_columns].any(axis=1)
        )[atlas.cut_row]
        #: The chosen skin places' grades.
        self.sensory = atlas.sensation.prediction(places)
        self.relevant |= self.sensory.relevant
        if self.split.cranial_items:
            self.relevant |= atlas.cranial.holds(np.arange(len(atlas.sites)), self.split.cranial_items).any(axis=1)
        # Sites that cut the same columns of a bundle may cut different shares of its routes.
        self.bundled = [
            (columns, bundles) for columns, bundles in (
                (self.unit_columns, atlas.unit_bundles), (self.drive_columns, atlas.drive_bundles),
                (self.afferent_columns, atlas.afferent_bundles),
            ) if not bundles.keys().isdisjoint(columns.tolist())
        ]
        self.cuts = (
            atlas.units[:, self.unit_columns], atlas.units_at_root[:, self.unit_columns],
            atlas.drive[:, self.drive_columns], atlas.cord[:, self.pool_columns], atlas.afferent[:, self.afferent_columns],
        )

    def with_new_budget(self) -> Prediction:
        """This prediction (its tables shared, as they are only read) with no work spent yet."""
        made = copy.copy(self)
        made.budget = Budget(self.atlas.anatomy, "predictions over bundled routes")
        return made

    def _reflex_plan(self, atlas, arcs, units, pool_column):
        table = atlas.table
        unit_row = {index: row for row, index in enumerate(units)}
        self.efferent_share = np.zeros((len(units), len(arcs)))
        self.has_efferent = np.zeros(len(arcs), dtype=bool)
        self.arc_pools = np.zeros((len(pool_column), len(arcs)))
        afferent = [index for index, (node, _) in enumerate(atlas.afferent_routes) if node in {arc.node for arc in arcs}]
        self.afferent_columns = np.array(afferent, dtype=np.intp)
        self.afferent_share = np.zeros((len(afferent), len(arcs)))
        for column, arc in enumerate(arcs):
            total = sum(table.units[index].weight for index in arc.efferent_units)
            self.has_efferent[column] = total > 0
            for index in arc.efferent_units:
                self.efferent_share[unit_row[index], column] += table.units[index].weight / total
            for key in arc.pools:
                self.arc_pools[pool_column[table.pool_index[key]], column] = 1.0
            mine = [row for row, index in enumerate(afferent) if atlas.afferent_routes[index][0] == arc.node]
            # The arc's afferent share is the mean over routes; a bundled column counts all of its.
            routes = sum(atlas.afferent_counts[afferent[row]] for row in mine)
            for row in mine:
                self.afferent_share[row, column] = atlas.afferent_counts[afferent[row]] / routes
        self.arc_kind = np.array([REFLEX_KINDS.index(arc.kind) for arc in arcs], dtype=np.intp)
        # The engine's reflex rule, tabulated over everything it looks at: kind, how much of the
        # arc is intact, lost drive, spinal shock.
        self.direction_table = np.array([[[[
            REFLEX_DIRECTION[reflex_state(kind, share, umn, shock, self.phase)] for shock in (False, True)]
            for umn in (False, True)] for share in _ARC_SHARES] for kind in REFLEX_KINDS], dtype=np.int8)

    def _dependencies(self):
        """Which kept columns each chosen muscle and reflex depends on, as (columns, muscles + reflexes) matrices."""
        pools = self._pools
        muscles = len(self.muscle_total)
        self.unit_dependents = np.concatenate([np.zeros((len(self.unit_columns), muscles)), self.efferent_share], axis=1)
        self.unit_dependents[np.arange(self.slot_units), self.slot_muscle[self.unit_slot]] = 1.0
        # The spare last row stands for the slots whose pool has no route.
        pool_dependents = np.zeros((len(pools) + 1, muscles + self.arc_pools.shape[1]))
        pool_dependents[:-1, muscles:] = self.arc_pools
        pool_dependents[self.slot_pool, self.slot_muscle] = 1.0
        self.drive_dependents = ((self.drive_pool @ pool_dependents[:-1]) > 0).astype(float)
        self.afferent_dependents = np.concatenate([np.zeros((len(self.afferent_columns), muscles)), self.afferent_share], axis=1)
        self.unit_dependents = (self.unit_dependents > 0).astype(float)
        self.afferent_dependents = (self.afferent_dependents > 0).astype(float)
        self._dependents = True

    def touches(self, rows: Any) -> np.ndarray:
        """Per atlas row, which chosen muscles, reflexes and places (in that order) its site's cuts can change.

        A muscle's findings depend only on its own units and the drive of its own pools, a
        reflex's on its efferent units, afferent routes and pools, a place's on its sensory
        routes and the roots lost: a site that cuts none of these leaves it as it is, alone or
        with any partner. What each site touches of every item is found once per anatomy
        (:meth:`SiteAtlas.every_touch`), so this is a selection.
        """
        every = self.atlas.every_touch()
        if every is None:
            return self._touches(rows)
        matrix, column = every
        if self._touch_columns is None:
            self._touch_columns = np.array([column[name] for name in self.chosen], dtype=np.intp)
        return matrix[np.asarray(rows, dtype=np.intp)][:, self._touch_columns]

    def _touches(self, rows: Any) -> np.ndarray:
        """:meth:`touches`, worked out for ``rows`` from the kept columns."""
        if self._dependents is None:
            self._dependencies()
        places = self.sensory.reaches[self.sensory.rows.cut_row[rows]]
        sites, rows = rows, self.atlas.cut_row[rows]
        units, _, drive, _, afferent = (cut[rows].astype(float) for cut in self.cuts)
        motor = (units @ self.unit_dependents + drive @ self.drive_dependents + afferent @ self.afferent_dependents) > 0
        if self.split.cranial_items:
            motor = self.split.merge_touches(motor, self.atlas.cranial.holds(sites, self.split.cranial_items))
        return np.concatenate([motor, places], axis=1)

    def abnormal_when_paired(self) -> dict[str, np.ndarray]:
        """Per kind of finding (``weak``, ``spastic``, ``flaccid``, ``atrophy``,
        ``fasciculations`` over the chosen muscles, ``reflex`` over the chosen reflexes,
        ``sensory`` over the chosen places), whether a site that makes it abnormal alone makes
        it abnormal with any partner too.

        Two sites cut the union of what each cuts, and these findings only grow with what is
        cut: a limb muscle's weakness (its strength falls), flaccidity (a weak muscle that lost
        lower motor neurons keeps them lost; one weak without them is flaccid only while acute,
        and the phase is the pair's too), wasting and fasciculations (lower motor neurons lost,
        at their cell body or root); a limb reflex's change (a cut arc, lost drive and spinal
        shock each change it alone, and each stays); a place's numbness, where the rules grade
        every modality a touched tract carries below normal. Not spasticity (a partner that
        cuts the muscle's lower motor neurons makes it flaccid), nor cranial items, whose
        rules differ (a pool that loses motor neurons has its lost drive ignored).

        Examples
        --------
        >>> import neurograph
        >>> forecast = site_atlas(neurograph.load_anatomy()).prediction(["R.muscle.triceps_brachii"], [], "chronic")
        >>> {kind: flags.tolist() for kind, flags in forecast.abnormal_when_paired().items() if kind in ("weak", "spastic")}
        {'weak': [True], 'spastic': [False]}
        """
        split = self.split
        limb_muscles = np.ones(split.muscle_count, dtype=bool)
        limb_muscles[split.muscle_at[1]] = False
        limb_reflexes = np.ones(split.reflex_count, dtype=bool)
        limb_reflexes[split.reflex_at[1]] = False
        rules = self.atlas.sensation.rules
        numb_stays = rules is None or max(rules.absent, rules.altered, rules.one_tract_lost, rules.both_tracts_lost, rules.single_root) < 2
        return {
            "weak": limb_muscles, "spastic": np.zeros(split.muscle_count, dtype=bool), "flaccid": limb_muscles,
            "atrophy": limb_muscles, "fasciculations": limb_muscles, "reflex": limb_reflexes,
            "sensory": np.full(len(self.sensory.places), numb_stays),
        }

    def relevant_rows(self) -> np.ndarray:
        """Atlas rows of the sites that cut anything the chosen muscles and reflexes depend on."""
        return np.flatnonzero(self.relevant)

    def distinct(self, rows: Any) -> tuple[np.ndarray, np.ndarray]:
        """Group atlas ``rows`` by what their sites cut of the kept columns.

        Sites that cut the same kept columns predict the same, alone and with any partner.
        Returns the first row of each group and, per row of ``rows``, the number of its group.
        """
        rows = np.asarray(rows)
        cut_rows = self.atlas.cut_row[rows]
        packed = np.packbits(np.concatenate([cut[cut_rows] for cut in self.cuts] + [self.sensory.patterns(rows)], axis=1), axis=1)
        patterns = [pattern.tobytes() for pattern in packed]
        if self.bundled or self.sensory.bundles:
            kept = {bundles[column] for columns, bundles in self.bundled for column in columns.tolist() if column in bundles}
            bundle_nodes = frozenset().union(
                *{bundle.core.nodes for bundle in kept}, *(bundle.tail for bundle in kept),
                *(bundle.nodes for bundle in self.sensory.bundles.values()),
            )
            patterns = [(pattern, self.atlas.sites[row].nodes & bundle_nodes) for pattern, row in zip(patterns, rows.tolist())]
        if self.split.cranial_items:
            held = self.atlas.cranial_patterns(self.split.cranial_items)[rows].tolist()
            patterns = [(pattern, number) for pattern, number in zip(patterns, held)]
        groups: dict[Any, int] = {}
        group = np.array([groups.setdefault(pattern, len(groups)) for pattern in patterns], dtype=np.intp)
        first = np.zeros(len(groups), dtype=np.intp)
        first[group[::-1]] = np.arange(len(rows))[::-1]
        return rows[first], group

    def predict(self, first: Any, second: Any = None) -> dict[str, np.ndarray]:
        """Predicted findings of the sites in rows ``first`` (each with ``second``'s, when given).

        Returns a dict of arrays, one row per lesion: per chosen muscle ``grade``, ``spastic``,
        ``flaccid``, ``atrophy`` and ``fasciculations``; per chosen reflex its ``reflex``
        direction (-1, 0 or +1, see :data:`~neurograph.engine.REFLEX_DIRECTION`), and what that
        direction comes from (what :func:`~neurograph.engine.reflex_state` reads, so that a
        partial lesion's reflexes can be told from it): ``reflex_arc`` (0 arc cut, 1 partly
        cut, 2 intact), ``reflex_umn`` (its pools lost drive) and ``reflex_shock`` (spinal shock);
        ``sensory``, per lesion, chosen place and modality (:data:`~neurograph.schema.MODALITIES`),
        its ISNCSCI grade.
        """
        first = np.asarray(first, dtype=np.intp)
        second = None if second is None else np.asarray(second, dtype=np.intp)
        cut_first = self.atlas.cut_row[first]
        cut_second = None if second is None else self.atlas.cut_row[second]
        units, at_root, drive, cord, afferent = (
            cut[cut_first] | cut[cut_second] if second is not None else cut[cut_first] for cut in self.cuts
        )
        # Products of floats, not of booleans: numpy multiplies boolean matrices without BLAS.
        units, drive, afferent = (cut.astype(float) for cut in (units, drive, afferent))
        if self.bundled:
            exact = self.atlas.exact_cuts
            units = exact(self.unit_columns, self.atlas.unit_bundles, first, second, units, RouteBundle.cut_share, self.budget)
            drive = exact(self.drive_columns, self.atlas.drive_bundles, first, second, drive, RouteBundle.cut_all, self.budget)
            afferent = exact(
                self.afferent_columns, self.atlas.afferent_bundles, first, second, afferent, RouteBundle.cut_share, self.budget
            )
        lmn = np.zeros((len(units), len(self.slot_weight)))
        at_cell_body_or_root = np.zeros(lmn.shape, dtype=bool)
        if self.slot_units:
            in_slots = slice(0, self.slot_units)
            lost_share = np.add.reduceat(units[:, in_slots] * self.unit_share, self.unit_runs, axis=1)
            lmn[:, self.slots_with_units] = np.minimum(lost_share, 1.0)
            at_cell_body_or_root[:, self.slots_with_units] = np.logical_or.reduceat(at_root[:, in_slots], self.unit_runs, axis=1)
        lost = (self.routes_per_pool > 0) & ((drive @ self.drive_pool) >= self.routes_per_pool - _TOLERANCE)
        lost_with_spare = np.concatenate([lost, np.zeros((len(lost), 1), dtype=bool)], axis=1)
        outcome = muscle_outcome(
            self.muscle_starts, self.slot_weight, self.muscle_total, lmn, lost_with_spare[:, self.slot_pool].astype(float),
            at_cell_body_or_root, self.phase,
        )
        efferent = np.where(self.has_efferent, 1.0 - units @ self.efferent_share, 0.0)
        intact = np.minimum(efferent, 1.0 - afferent @ self.afferent_share)
        share = np.where(intact <= _TOLERANCE, 0, np.where(intact < 1.0 - _TOLERANCE, 1, 2))
        umn = (lost.astype(float) @ self.arc_pools) > 0
        shock = (self.phase == "acute") & (((lost & cord).astype(float) @ self.arc_pools) > 0)
        outcome["reflex"] = self.direction_table[self.arc_kind, share, umn.astype(np.intp), shock.astype(np.intp)]
        outcome["sensory"] = self.sensory.grades(first, second, self.budget)
        outcome["reflex_arc"], outcome["reflex_umn"], outcome["reflex_shock"] = share.astype(np.int8), umn, shock
        if self.split.cranial_items:
            split = self.split
            outcome = split.merge(outcome, self.atlas.cranial_pairs(split.cranial_muscles, split.cranial_reflexes, self.phase, first, second))
        return outcome


class _CranialSplit:
    """The chosen muscles and reflexes split into the limb ones (the route table's) and the
    cranial ones (:class:`~neurograph.cranial.CranialRows`), and their predictions merged back
    in the order chosen."""

    def __init__(self, cranial: CranialRows, muscles: Sequence[str], reflexes: Sequence[str]) -> None:
        muscles, reflexes = list(muscles), list(reflexes)
        self.cranial_muscles, self.cranial_reflexes = cranial.items(muscles), cranial.items(reflexes)
        self.cranial_items = self.cranial_muscles + self.cranial_reflexes
        mine = set(self.cranial_items)
        self.limb_muscles = [muscle for muscle in muscles if muscle not in mine]
        self.limb_reflexes = [reflex for reflex in reflexes if reflex not in mine]
        self.muscle_count, self.reflex_count = len(muscles), len(reflexes)
        self.muscle_at = [[at for at, muscle in enumerate(muscles) if (muscle in mine) == cranial_side] for cranial_side in (False, True)]
        self.reflex_at = [[at for at, reflex in enumerate(reflexes) if (reflex in mine) == cranial_side] for cranial_side in (False, True)]

    def merge(self, limb: dict[str, np.ndarray], cranial: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        merged = {}
        for name, values in limb.items():
            if name not in cranial:
                merged[name] = values
                continue
            places = self.reflex_at if name.startswith("reflex") else self.muscle_at
            count = self.reflex_count if name.startswith("reflex") else self.muscle_count
            whole = np.zeros((len(values), count), dtype=np.result_type(values.dtype, cranial[name].dtype))
            whole[:, places[0]], whole[:, places[1]] = values, cranial[name]
            merged[name] = whole
        return merged

    def merge_touches(self, limb: np.ndarray, cranial: np.ndarray) -> np.ndarray:
        """Touches of the limb muscles and reflexes and of the cranial ones, in the order chosen."""
        limb_muscles = len(self.limb_muscles)
        whole = np.zeros((len(limb), self.muscle_count + self.reflex_count), dtype=bool)
        whole[:, self.muscle_at[0]] = limb[:, :limb_muscles]
        whole[:, [self.muscle_count + at for at in self.reflex_at[0]]] = limb[:, limb_muscles:]
        whole[:, self.muscle_at[1]] = cranial[:, : len(self.cranial_muscles)]
        whole[:, [self.muscle_count + at for at in self.reflex_at[1]]] = cranial[:, len(self.cranial_muscles):]
        return whole


def site_atlas(G: nx.DiGraph) -> SiteAtlas:
    """Return the :class:`SiteAtlas` of the current state of a graph (built once per state).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> atlas = site_atlas(G)
    >>> row = next(row for row, site in enumerate(atlas.sites) if site.label == "radial nerve at the spiral groove (right)")
    >>> forecast = atlas.prediction(["R.muscle.triceps_brachii", "R.muscle.brachioradialis"], [], "chronic")
    >>> forecast.predict([row])["grade"].tolist()
    [[5, 0]]
    """
    return derived(G, SiteAtlas)


class SensoryRows:
    """What each atlas site's complete lesion cuts of the sensory routes, and the grades that follow.

    Per site (only those that reach a sensory route get a row; the rest share row 0): the route
    slots of the :class:`~neurograph.routes.SensoryRouteTable` it reaches (a complete lesion cuts
    them), those it reaches at a node other than a root, and the roots it takes whole. Two
    complete lesions together cut the union of what each cuts, so the grades of any single site
    or pair follow from these rows as :func:`~neurograph.simulate` grades sensation: a piece is
    lost when every slot is cut, touched when any is; a part (a segment's peripheral and central
    pieces) takes the worse of its two; a tract's channel is lost when all its parts are, intact
    when none is touched; the tract states give the grades of :func:`neurograph.engine.sensory_grades`,
    which also applies the overlap of dermatomes where a place loses a tract at its own roots
    alone (with the run of consecutive roots the lesion takes). A piece kept as a
    :class:`~neurograph.routes.RouteBundle` is decided by its own dynamic programming over the
    lesion's nodes.
    """

    def __init__(self, G: nx.DiGraph, sites: Sequence[Any]) -> None:
        table = self.table = sensory_route_table(G)
        self.sites = sites
        #: Per skin node, its position in the table's anatomical order.
        self.skin_position = table.skin_order
        self.sides = sorted({side for side, _ in table.root_nodes})
        self.root_of = {
            node: self.sides.index(side) * len(SEGMENTS) + SEGMENTS.index(segment)
            for (side, segment), nodes in table.root_nodes.items() for node in nodes
        }
        found: list[Any] = []
        # A site off every sensory route and root (an isolated node, a motor nerve) reaches nothing.
        reaching_nodes = table.slots_by_node.keys() | self.root_of.keys()
        for site in sites:
            if reaching_nodes.isdisjoint(site.nodes):
                found.append(None)
                continue
            slots = [table.slots_by_node[node] for node in site.nodes if node in table.slots_by_node]
            beyond = [table.slots_by_node[node] for node in site.nodes if node in table.slots_by_node and node not in table.all_root_nodes]
            roots = sorted({self.root_of[node] for node in site.nodes if node in self.root_of})
            found.append((slots, beyond, roots) if slots or roots else None)
        self.cut_row = np.zeros(len(sites), dtype=np.intp)
        reaching = [row for row, cut in enumerate(found) if cut is not None]
        self.cut_row[reaching] = np.arange(1, len(reaching) + 1)
        rows = len(reaching) + 1
        cells = rows * (2 * table.route_slots + len(self.sides) * len(SEGMENTS))
        if cells > CELL_LIMIT:
            raise AnatomyTooLargeError(anatomy_name(G), "site atlas (sensation)", cells, CELL_LIMIT, "neurograph.atlas.CELL_LIMIT", units="cells")
        self.cut = np.zeros((rows, table.route_slots), dtype=bool)
        self.beyond_root = np.zeros((rows, table.route_slots), dtype=bool)
        self.roots = np.zeros((rows, len(self.sides) * len(SEGMENTS)), dtype=bool)
        for row in reaching:
            slots, beyond, roots = found[row]
            at = self.cut_row[row]
            for chosen, matrix in ((slots, self.cut), (beyond, self.beyond_root)):
                if chosen:
                    matrix[at, np.concatenate(chosen)] = True
            self.roots[at, roots] = True
        self.rules, self.grades_by_code = _sensory_lookup(G, table)
        self._overlapped: dict[tuple, tuple[int, ...]] = {}
        self._singles: np.ndarray | None = None

    def prediction(self, places: Sequence[str]) -> SensoryPrediction:
        """A :class:`SensoryPrediction` of the given skin nodes."""
        return SensoryPrediction(self, places)

    def singles(self, places: Sequence[str], rows: Iterable[int] | None = None) -> np.ndarray:
        """What each site alone (or each of ``rows``) leaves at ``places``: (sites, places, modalities) grades.

        Every place is graded once for each distinct row of the cut matrices and kept, so this is a
        selection; on an anatomy whose cut matrices pass ``FULL_SINGLES_CELLS``, only the chosen
        places are graded, at the rows asked for.
        """
        cut_rows = self.cut_row if rows is None else self.cut_row[np.asarray(rows, dtype=np.intp)]
        # One site per row of the cut matrices stands for every site sharing it.
        standing = np.zeros(len(self.cut), dtype=np.intp)
        standing[self.cut_row[::-1]] = np.arange(len(self.sites))[::-1]
        if self._singles is None and self.cut.size > FULL_SINGLES_CELLS:
            # A large anatomy: only the chosen places, at the rows asked for.
            distinct, position = np.unique(cut_rows, return_inverse=True)
            return self._graded(self.prediction(places), standing[distinct])[position.reshape(-1)]
        if self._singles is None:
            self._singles = self._graded(self.prediction(self.table.skin_nodes), standing)
        # Both selections at once: only the chosen rows' chosen places are copied.
        positions = np.array([self.skin_position[place] for place in places], dtype=np.intp)
        return self._singles[np.ix_(cut_rows, positions)]

    def _graded(self, prediction: SensoryPrediction, rows: np.ndarray) -> np.ndarray:
        """The grades of each site of atlas ``rows`` alone, in blocks that bound the memory taken."""
        blocks = [prediction.grades(rows[start:start + _ROWS_PER_BLOCK]) for start in range(0, len(rows), _ROWS_PER_BLOCK)]
        return np.concatenate(blocks) if blocks else np.zeros((0, len(prediction.places), len(MODALITIES)), np.int8)

    def overlapped_grades(self, channel: tuple[int, ...], run: int, segments: tuple[str, ...]) -> tuple[int, ...]:
        """The engine's grades of a place that lost a tract at its own roots alone (kept as asked for)."""
        key = (channel, run, segments)
        if key not in self._overlapped:
            states = dict(zip(SENSORY_TRACTS, (_TRACT_STATES[state] for state in channel)))
            self._overlapped[key] = sensory_grades(states, run, segments, self.rules)
        return self._overlapped[key]


#: A tract's state by its number in the grading arrays: intact, impaired, lost.
_TRACT_STATES = (INTACT, IMPAIRED, LOST)


def _sensory_lookup(G, table):
    """The rules and the grades of every combination of tract states (one row per base-3 code)."""
    combinations = len(_TRACT_STATES) ** len(SENSORY_TRACTS)
    if not table.skins:
        return None, np.full((combinations, len(MODALITIES)), 2, dtype=np.int8)
    rules = sensory_rules(G)
    rows = []
    for code in range(combinations):
        digits = [(code // len(_TRACT_STATES) ** power) % len(_TRACT_STATES) for power in reversed(range(len(SENSORY_TRACTS)))]
        rows.append(sensory_grades(dict(zip(SENSORY_TRACTS, (_TRACT_STATES[d] for d in digits))), None, (), rules))
    return rules, np.array(rows, dtype=np.int8)


class SensoryPrediction:
    """What single sites and pairs of sites leave at a chosen set of skin nodes, modality by modality.

    Only the route slots of the chosen places' channels are kept. :attr:`relevant` marks the
    sites that reach one of them or take a root whole near a place's segments (a lost root
    lengthens the run of lost roots that decides the overlap of dermatomes, so it can change a
    partner's grades: with the packaged rules, a root next to one of the place's own).
    """

    def __init__(self, rows: SensoryRows, places: Sequence[str]) -> None:
        table = self.table = rows.table
        self.rows = rows
        spare = len(table.pieces)
        part_ends = np.append(table.channel_starts[1:], len(table.part_peripheral))
        tracts = len(SENSORY_TRACTS)
        periphery: list[int] = []
        centre: list[int] = []
        channel_starts: list[int] = []
        skin_starts: list[int] = []
        for place in places:
            skin = rows.skin_position[place]
            skin_starts.append(len(periphery))
            for channel in range(skin * tracts, (skin + 1) * tracts):
                channel_starts.append(len(periphery))
                periphery.extend(table.part_peripheral[table.channel_starts[channel]:part_ends[channel]].tolist())
                centre.extend(table.part_central[table.channel_starts[channel]:part_ends[channel]].tolist())
        pieces = sorted({piece for piece in periphery + centre if piece != spare})
        local = {piece: index for index, piece in enumerate(pieces)}
        local[spare] = len(pieces)  # a spare piece no lesion reaches
        piece_ends = np.append(table.piece_starts[1:], table.route_slots)
        slots: list[int] = []
        piece_starts: list[int] = []
        for piece in pieces:
            piece_starts.append(len(slots))
            slots.extend(range(table.piece_starts[piece], piece_ends[piece]))
        self.slots = np.array(slots, dtype=np.intp)
        self.piece_starts = np.array(piece_starts, dtype=np.intp)
        self.part_peripheral = np.array([local[piece] for piece in periphery], dtype=np.intp)
        self.part_central = np.array([local[piece] for piece in centre], dtype=np.intp)
        self.channel_starts = np.array(channel_starts, dtype=np.intp)
        self.skin_starts = np.array(skin_starts, dtype=np.intp)
        self.places = tuple(places)
        self.segments = [table.skins[place].segments for place in places]
        self.side = [rows.sides.index(table.skins[place].side) if table.skins[place].side in rows.sides else -1 for place in places]
        #: Chosen pieces kept as bundles, by their local number.
        self.bundles = {local[piece]: table.pieces[piece][1] for piece in table.bundle_pieces if piece in local}
        # A lost root changes a partner's grades of a place only by lengthening the run of lost
        # roots that holds one of the place's segments past the run the overlap rule allows:
        # the partner's own run is shorter than that, so the root lies that close to the segment.
        reach = max(rows.rules.roots_for_anaesthesia - 1, 0) if rows.rules is not None else 0
        near = np.zeros((rows.roots.shape[1], len(places)), dtype=bool)
        for column, (side, segments) in enumerate(zip(self.side, self.segments)):
            for segment in segments if side >= 0 else ():
                at = SEGMENTS.index(segment)
                near[side * len(SEGMENTS) + max(at - reach, 0): side * len(SEGMENTS) + min(at + reach, len(SEGMENTS) - 1) + 1, column] = True
        #: Per row of the cut matrices and chosen place: whether the row takes a root near enough to change its grades.
        self.takes_roots: np.ndarray = (rows.roots.astype(float) @ near.astype(float)) > 0
        self.relevant: np.ndarray = (rows.cut[:, self.slots].any(axis=1) | self.takes_roots.any(axis=1))[rows.cut_row]
        self._reaches: np.ndarray | None = None

    @property
    def reaches(self) -> np.ndarray:
        """Per row of the cut matrices and chosen place: whether the row's site can change the place's grades
        (it reaches one of the place's slots, or takes a root near enough, see ``takes_roots``); made on first use, by
        the pair search."""
        if self._reaches is None:
            table = self.table
            piece_ends = np.append(table.piece_starts[1:], table.route_slots)
            place_slots = np.zeros((len(self.slots), len(self.places)), dtype=bool)
            slot_column = {slot: column for column, slot in enumerate(self.slots.tolist())}
            for column, place in enumerate(self.places):
                for piece in table.skin_pieces[place]:
                    place_slots[[slot_column[slot] for slot in range(table.piece_starts[piece], piece_ends[piece])], column] = True
            reached = (self.rows.cut[:, self.slots].astype(float) @ place_slots.astype(float)) > 0
            self._reaches = reached | self.takes_roots
        return self._reaches

    def patterns(self, rows: np.ndarray) -> np.ndarray:
        """Per atlas row, what its site cuts of the kept slots and roots, as columns (for grouping sites)."""
        cut_rows = self.rows.cut_row[rows]
        if not self.places:
            return np.zeros((len(cut_rows), 0), dtype=bool)
        return np.concatenate(
            [self.rows.cut[cut_rows][:, self.slots], self.rows.beyond_root[cut_rows][:, self.slots], self.rows.roots[cut_rows]], axis=1
        )

    def grades(self, first: Any, second: Any = None, budget: Budget | None = None) -> np.ndarray:
        """The grades (lesions, places, modalities) of the sites in rows ``first`` (each with ``second``'s)."""
        rows = self.rows
        first = np.asarray(first, dtype=np.intp)
        lesions = len(first)
        found = np.full((lesions, len(self.places), len(MODALITIES)), 2, dtype=np.int8)
        if not len(self.places) or not lesions:
            return found
        second = None if second is None else np.asarray(second, dtype=np.intp)
        picked = [rows.cut_row[first]] + ([] if second is None else [rows.cut_row[second]])
        cut, beyond, roots = (
            np.logical_or.reduce([matrix[at] for at in picked]) for matrix in (rows.cut, rows.beyond_root, rows.roots)
        )
        cut, beyond = cut[:, self.slots], beyond[:, self.slots]
        never = np.zeros((lesions, 1), dtype=bool)

        def per_piece(marked, reduce):
            if not len(self.piece_starts):
                return never
            return np.concatenate([reduce.reduceat(marked, self.piece_starts, axis=1), never], axis=1)

        touched, lost = per_piece(cut, np.logical_or), per_piece(cut, np.logical_and)
        for piece, bundle in self.bundles.items():
            for lesion in np.flatnonzero(touched[:, piece]).tolist():
                nodes = frozenset().union(*(rows.sites[int(at[lesion])].nodes for at in (first, second) if at is not None))
                if budget is not None:
                    budget.spend(len(bundle.order))
                lost[lesion, piece] = bundle.best_survival(dict.fromkeys(nodes, 1.0), through_goal=True) == 0.0
        piece_state = touched.astype(np.int8) + lost
        part_state = np.maximum(piece_state[:, self.part_peripheral], piece_state[:, self.part_central])
        worst = np.minimum.reduceat(part_state, self.channel_starts, axis=1)
        best = np.maximum.reduceat(part_state, self.channel_starts, axis=1)
        channel = np.where(worst == 2, 2, np.where(best == 0, 0, 1)).astype(np.int8).reshape(lesions, len(self.places), -1)
        code = channel @ (len(_TRACT_STATES) ** np.arange(len(SENSORY_TRACTS) - 1, -1, -1))
        found[:] = rows.grades_by_code[code]
        # Overlapping dermatomes: a tract lost where the lesion reaches the place's roots alone.
        part_beyond = per_piece(beyond, np.logical_or)
        part_beyond = part_beyond[:, self.part_peripheral] | part_beyond[:, self.part_central]
        place_beyond = np.logical_or.reduceat(part_beyond, self.skin_starts, axis=1)
        overlap = (channel == 2).any(axis=2) & ~place_beyond
        if overlap.any():
            runs = _root_runs(roots.reshape(lesions, len(rows.sides), len(SEGMENTS)))
            for lesion, place in zip(*(index.tolist() for index in np.nonzero(overlap))):
                side = self.side[place]
                run = max((int(runs[lesion, side, SEGMENTS.index(s)]) for s in self.segments[place]), default=0) if side >= 0 else 0
                found[lesion, place] = rows.overlapped_grades(tuple(channel[lesion, place].tolist()), run, self.segments[place])
        return found


def _root_runs(lost: np.ndarray) -> np.ndarray:
    """Per lesion, side and segment: the length of the run of consecutive lost roots holding it (0 if not lost)."""
    before = np.zeros(lost.shape, dtype=np.int64)
    after = np.zeros(lost.shape, dtype=np.int64)
    segments = lost.shape[-1]
    for index in range(segments):
        before[..., index] = lost[..., index] * ((before[..., index - 1] if index else 0) + 1)
        back = segments - 1 - index
        after[..., back] = lost[..., back] * ((after[..., back + 1] if index else 0) + 1)
    return np.where(lost, before + after - 1, 0)
