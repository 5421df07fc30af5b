"""The site atlas: what a complete lesion of every single site cuts, as boolean arrays.

The engine decides a lesion's findings from the routes it cuts (:mod:`neurograph.routes`), and
two complete lesions together cut exactly the union of what each cuts. So every site of
:func:`neurograph.resolve.atlas_sites` is reduced once per anatomy to rows of booleans: the
lower motor neuron units it cuts, those it cuts at their cell body or root, the corticospinal
drive routes it cuts, the pools whose cord stretch it touches, and the reflex afferent routes
it cuts. The findings of any single site, or of any pair of sites (the row-wise OR of theirs),
then follow from a few matrix products restricted to the examined muscles and reflexes, with
the engine's own arithmetic from losses to findings (:func:`neurograph.engine.muscle_outcome`
and :func:`neurograph.engine.reflex_state`). The atlas therefore predicts exactly what :func:`~neurograph.simulate`
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

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.cache import derived
from neurograph.engine import REFLEX_DIRECTION, REFLEX_KINDS, muscle_outcome, reflex_state
from neurograph.errors import AnatomyTooLargeError
from neurograph.resolve import atlas_sites
from neurograph.routes import Budget, RouteBundle, anatomy_name, route_table
from neurograph.schema import check_phase

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["site_atlas", "SiteAtlas", "Prediction", "CELL_LIMIT"]

#: The most cells (sites that cut some route, times route columns) the atlas's cut matrices may
#: hold; the packaged anatomy needs about 1.2 million.
CELL_LIMIT = 150_000_000
#: Beyond this many cells in a cut matrix, :meth:`SiteAtlas.singles` predicts the muscles and
#: reflexes asked for, at the sites that cut what they depend on, instead of every muscle and
#: reflex at every site once per phase (which would grow with sites times muscles).
FULL_SINGLES_CELLS = 10_000_000
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
        self.depth = [min(table.depth[node] for node in site.nodes) for site in self.sites]
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

    def prediction(self, muscles: Sequence[str], reflexes: Sequence[str], phase: str) -> Prediction:
        """A :class:`Prediction` of the given muscles and reflexes (node names), in ``phase``."""
        return Prediction(self, muscles, reflexes, phase)

    def singles(
        self, muscles: Sequence[str], reflexes: Sequence[str], phase: str, rows: Iterable[int] | None = None
    ) -> dict[str, np.ndarray]:
        """What each site alone (or each of ``rows``) predicts for the given muscles and reflexes.

        The same arrays as :meth:`Prediction.predict` for every row; every muscle and reflex
        is predicted once per phase for each distinct row of the cut matrices and kept, so this
        is a selection.
        """
        table = self.table
        if phase not in self._singles and self.units.size > FULL_SINGLES_CELLS:
            return self._chosen_singles(muscles, reflexes, phase, rows)
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
        chosen = [muscle_column[muscle] for muscle in muscles]
        cut_rows = self.cut_row if rows is None else self.cut_row[np.asarray(rows, dtype=np.intp)]
        found = {name: values[:, chosen][cut_rows] for name, values in everything.items() if name != "reflex"}
        found["reflex"] = everything["reflex"][:, [reflex_column[reflex] for reflex in reflexes]][cut_rows]
        return found

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


def _index_routes(routes):
    by_node = defaultdict(list)
    for index, (_, nodes) in enumerate(routes):
        for node in nodes:
            by_node[node].append(index)
    return by_node


class Prediction:
    """What single sites and pairs of sites predict for a chosen set of muscles and reflexes.

    Only the columns of the atlas that can touch the chosen muscles and reflexes are kept, so a
    pair costs a row-wise OR and a few small matrix products. :meth:`relevant_rows` are the
    sites that cut anything kept: pairing any other site with a site ``A`` predicts what ``A``
    alone does.
    """

    def __init__(self, atlas: SiteAtlas, muscles: Sequence[str], reflexes: Sequence[str], phase: str) -> None:
        check_phase(phase)
        table = atlas.table
        self.phase = phase
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
        """Per atlas row, which chosen muscles and reflexes (in that order) its site's cuts can change.

        A muscle's findings depend only on its own units and the drive of its own pools, a
        reflex's on its efferent units, afferent routes and pools: a site that cuts none of
        these leaves it as it is, alone or with any partner.
        """
        if self._dependents is None:
            self._dependencies()
        rows = self.atlas.cut_row[rows]
        units, _, drive, _, afferent = (cut[rows].astype(float) for cut in self.cuts)
        return (
            units @ self.unit_dependents + drive @ self.drive_dependents + afferent @ self.afferent_dependents
        ) > 0

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
        packed = np.packbits(np.concatenate([cut[cut_rows] for cut in self.cuts], axis=1), axis=1)
        patterns = [pattern.tobytes() for pattern in packed]
        if self.bundled:
            kept = {bundles[column] for columns, bundles in self.bundled for column in columns.tolist() if column in bundles}
            bundle_nodes = frozenset().union(*{bundle.core.nodes for bundle in kept}, *(bundle.tail for bundle in kept))
            patterns = [(pattern, self.atlas.sites[row].nodes & bundle_nodes) for pattern, row in zip(patterns, rows.tolist())]
        groups: dict[Any, int] = {}
        group = np.array([groups.setdefault(pattern, len(groups)) for pattern in patterns], dtype=np.intp)
        first = np.zeros(len(groups), dtype=np.intp)
        first[group[::-1]] = np.arange(len(rows))[::-1]
        return rows[first], group

    def predict(self, first: Any, second: Any = None) -> dict[str, np.ndarray]:
        """Predicted findings of the sites in rows ``first`` (each with ``second``'s, when given).

        Returns a dict of arrays, one row per lesion: per chosen muscle ``grade``, ``spastic``,
        ``flaccid``, ``atrophy`` and ``fasciculations``; per chosen reflex its ``reflex``
        direction (-1, 0 or +1, see :data:`~neurograph.engine.REFLEX_DIRECTION`).
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
        return outcome


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
