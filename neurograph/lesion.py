"""Simulating a lesion: from damaged structures to the signs a clinician would find.

The rules, in the order the engine applies them:

1. A lesion is one or more sites, each a node or a region with a severity (0 < s <= 1). A node
   hit by several sites takes the highest severity, so repeating a site changes nothing and the
   order of the sites does not matter.
2. A route survives a lesion in proportion to the product of ``1 - severity`` over its nodes.
   Where routes are too many to list they are kept as bundles (:mod:`neurograph.routes`), and
   the sums and maxima over routes below are computed over the bundle by dynamic programming,
   with the same result.
3. Lower motor neuron (LMN) loss: each segment of a muscle reaches it through one or more
   routes (anterior horn, ventral root, spinal nerve, plexus, nerve branch, muscle); the segment
   loses the share of its routes that is cut.
4. Upper motor neuron (UMN) loss: the pool of each segment (the anterior horn on that side, as
   driven by the muscle's cortical area) keeps the drive of its best surviving corticospinal
   route. Each area's fibres run in their own channel, so a cortical or capsular lesion cuts
   exactly the pools that area drives, and the crossing at the pyramidal decussation makes
   supraspinal lesions contralateral and cord lesions ipsilateral without special cases.
5. Within one pool LMN loss wins over UMN loss; a muscle whose pools are hit differently is
   ``mixed``. Its strength is the weighted mean over segments of what survives of both, and
   the MRC grade is estimated from it.
6. Reflexes: an arc with its afferent or efferent limb cut is reduced or absent; an intact arc
   whose pools lost UMN drive is brisk (chronic phase); superficial abdominal reflexes are lost
   with UMN loss above them; the plantar response is extensor with UMN loss to its pools and an
   intact arc, mute when the arc is cut. In the acute phase a cord lesion gives spinal shock:
   flaccid tone, absent reflexes and mute plantars below it.
7. Sensation: for each skin place and ISNCSCI key point and each ascending tract, the lesion
   leaves all, some or none of its routes (peripheral to the dorsal root of each of its
   segments, then central to the opposite somatosensory cortex); :func:`neurograph.engine.sensory_grades`
   turns that into a 0/1/2 grade per modality, with the rules of the graph (light touch in
   both tracts, overlapping dermatomes). The sensory level of each side follows from the key
   points' light touch and pin prick, as ISNCSCI defines it.
8. Cranial signs: the cranial muscles and brainstem reflexes follow the same rules from their
   nuclei's nerve chains and corticobulbar supply (:mod:`neurograph.cranial`); the result
   holds them as ``cranial``.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from typing import TYPE_CHECKING

from neurograph.cache import graph_state
from neurograph.cranial import cranial_findings
from neurograph.engine import (
    IMPAIRED, INTACT, LOST, PHASES, mrc_grade, muscle_outcome, node_effects, normal_reflex_state, reflex_state,
    sensory_grades, sensory_rules,
)
from neurograph.errors import InvalidValueError
from neurograph.resolve import LesionSpec, SiteSpec, make_lesion
from neurograph.results import LesionResult, ReflexFinding, SensoryFinding
from neurograph.routes import RouteTable, SensoryRouteTable, route_table, sensory_route_table
from neurograph.schema import MODALITIES, NORMAL_REFLEX_STATES, REFLEX_STATE_GRADES, SEGMENTS, SENSORY_TRACTS, check_phase

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["simulate", "make_lesion", "node_effects", "PHASES", "mrc_grade", "LesionSpec", "SiteSpec"]


def simulate(G: nx.DiGraph, lesion: LesionSpec, phase: str = "chronic", sensation: bool = True) -> LesionResult:
    """Simulate a lesion and return the deficits a clinician would find.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy (:func:`neurograph.load_anatomy`).
    lesion : str, Site, (str, severity), mapping or iterable of these
        The damaged sites; see :func:`make_lesion`.
    phase : {"chronic", "acute"}
        ``acute`` shows spinal shock below a cord lesion; ``chronic`` (default) spasticity,
        brisk reflexes and extensor plantars.
    sensation : bool
        Grade sensation (default). ``False`` gives the motor signs alone, a little faster, with
        no sensory findings and no sensory levels (for bulk motor work, such as a cohort of
        motor examinations).

    Returns
    -------
    LesionResult

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> result = simulate(G, "C7")
    >>> result.muscle("right triceps").deficit in ("LMN", "mixed")
    True
    >>> result.reflex("right knee jerk").state, result.reflex("left plantar response").state
    ('brisk', 'extensor')
    >>> simulate(G, "C7", phase="acute").reflex("right knee jerk").state
    'absent'

    A capsular stroke weakens the opposite lower face and spares the forehead:

    >>> capsular = simulate(G, ["left internal capsule", "left genu of the internal capsule"])
    >>> capsular.muscle("right orbicularis oris").deficit, capsular.muscle("right frontalis").deficit
    ('UMN', 'normal')
    """
    check_phase(phase)
    sites = make_lesion(G, lesion)
    state = graph_state(G)
    table = state.derived(RouteTable)
    damage = _Lesion(sites)
    touched_units, touched_pools, touched_reflexes = table.routes_through(damage.nodes)
    units, unit_nodes, cell_body_or_root = table.units, table.unit_nodes, table.cell_body_or_root
    # Each lost route keeps the lesioned nodes it passes; they become site names only when asked.
    # This loop is most of a simulation's time, so it reads the lesion's parts directly.
    lost_units = {}
    memo: dict = {}  # bundles that share a core weigh it once for this lesion
    for index in touched_units:
        hit = unit_nodes[index].intersection(damage.nodes)
        if not hit:
            continue
        bundle = units[index].bundle
        if bundle is not None:
            loss = 1.0 - bundle.mean_survival(damage.severity, memo=memo)
        else:
            loss = 1.0 if damage.complete else 1.0 - damage.kept(hit)
        if loss > 0:
            lost_units[index] = (loss, hit, not hit.isdisjoint(cell_body_or_root))
    plan = state.derived(_LesionPlan)
    lost_pools = {}
    pools, drive_routes, drive_nodes, cord_nodes = table.pools, table.pool_drive_nodes, plan.pool_drive_nodes, table.pool_cord_nodes
    for key in touched_pools:
        # Drive routes stop short of the anterior horn: losing the horn is LMN loss, not lost drive.
        hit = drive_nodes[key].intersection(damage.nodes)
        if not hit:
            continue
        loss = damage.drive_loss(drive_routes[key], pools[key].bundle)
        if loss > 0:
            lost_pools[key] = (loss, hit, not hit.isdisjoint(cord_nodes[key]))

    deficits, explanation = _muscle_deficits(table, lost_units, lost_pools, phase, damage.site_names)
    normal = state.derived(_normal_reflexes)
    reflexes = tuple(
        _reflex_finding(G, plan, arc, damage, lost_units, lost_pools, phase)
        if arc.node in touched_reflexes else normal[arc.node]
        for arc in table.reflex_order
    )
    grading = (
        _SensoryGrading(state.derived(SensoryRouteTable), damage, state.derived(_grade_lookup), state.derived(_sensory_plan))
        if sensation else None
    )
    return LesionResult(
        sites=sites, phase=phase, deficits=deficits, reflexes=reflexes, state=state, explanation=explanation,
        sensory_levels=grading.levels if grading is not None else (), sensory_grading=grading,
        cranial=cranial_findings(state, sites, phase),
    )


def _grade_lookup(G):
    """The grades of every combination of tract states, from the graph's rules (made once per state).

    Returns ``(rules, lookup, overlapped)``: ``lookup`` holds one row of grades per combination, at the
    position whose base-3 digits are the tracts' states (0 intact, 1 impaired, 2 lost) in the
    order of SENSORY_TRACTS; ``overlapped`` keeps the grades of skin that lost a tract at its
    roots alone, as they are asked for.
    """
    import numpy as np

    if not any(data["kind"] == "skin" for _, data in G.nodes(data=True)):
        return None, np.full((len(_STATES) ** len(SENSORY_TRACTS), len(MODALITIES)), 2, dtype=np.int8), {}
    rules = sensory_rules(G)
    rows: list[tuple[int, ...]] = []
    for code in range(len(_STATES) ** len(SENSORY_TRACTS)):
        digits = [(code // len(_STATES) ** power) % len(_STATES) for power in reversed(range(len(SENSORY_TRACTS)))]
        rows.append(sensory_grades(dict(zip(SENSORY_TRACTS, (_STATES[d] for d in digits))), None, (), rules))
    # Graded with the overlap of dermatomes: (tract states, run of lost roots, segments) to grades.
    overlapped: dict[tuple, tuple[int, ...]] = {}
    return rules, np.array(rows, dtype=np.int8), overlapped


def _sensory_plan(G):
    """The sensory route table's slots and channels as :class:`_SensoryGrading` reads them (made once per state).

    Returns ``(slot_piece, piece_slots, channel_peripheral, channel_central)``: per route slot
    its piece; per piece (and a spare last one, never lost) how many slots it has; per channel
    the peripheral and central pieces of its parts, as columns padded with the first part (which
    changes neither their best nor their worst; a part per row, so a reduction runs along channels).
    """
    import numpy as np

    table = sensory_route_table(G)
    slots = np.diff(np.append(table.piece_starts, table.route_slots))
    slot_piece = np.repeat(np.arange(len(table.pieces), dtype=np.intp), slots)
    piece_slots = np.append(slots, -1)
    # Each channel's end (none on an anatomy without skin).
    ends = np.append(table.channel_starts[1:], len(table.part_peripheral))[: len(table.channel_starts)]
    width = int((ends - table.channel_starts).max()) if len(ends) else 1
    parts = np.minimum(table.channel_starts[:, None] + np.arange(width), ends[:, None] - 1)
    parts = np.where(parts >= table.channel_starts[:, None], parts, table.channel_starts[:, None])
    columns = np.ascontiguousarray(parts.T)
    return slot_piece, piece_slots, table.part_peripheral[columns], table.part_central[columns]


#: A tract's state by its number in the grading arrays.
_STATES = (INTACT, IMPAIRED, LOST)


class _SensoryGrading:
    """The grades a lesion leaves at every skin node, as arrays; findings are made on first use.

    Per route slot (:class:`~neurograph.routes.SensoryRouteTable`): whether the lesion reaches
    it, cuts it (a node of severity 1) and reaches it anywhere but at a root. A piece is lost
    when every route is cut, touched when any is; a part (a segment's peripheral and central
    pieces) takes the worse of its two; a channel is lost when all its parts are, intact when
    none is touched. The tract states of each skin node select its grades from the lookup made
    by :func:`neurograph.engine.sensory_grades`; skin nodes that lost a tract at their roots
    alone are graded by that function one by one, with the run of lost roots (the overlap of
    dermatomes).
    """

    def __init__(self, table, damage, lookup, plan):
        import numpy as np

        self.table, self.damage = table, damage
        rules, grades_by_code, overlapped = lookup
        self.rules = rules
        #: Per piece (and the spare last one): 0 untouched, 1 touched, 2 lost; None when the lesion reaches no route.
        self.piece_state = None
        touched, cut, not_root = [], [], []
        for node, severity in damage.severity.items():
            slots = table.slots_by_node.get(node)
            if slots is None:
                continue
            touched.append(slots)
            if severity == 1.0:
                cut.append(slots)
            if node not in table.all_root_nodes:
                not_root.append(slots)
        skins = len(table.skin_nodes)
        self.grades = np.full((skins, len(MODALITIES)), 2, dtype=np.int8)
        self.channel = np.zeros((skins, len(SENSORY_TRACTS)), dtype=np.int8)
        self.affected = np.zeros(0, dtype=np.intp)
        if touched:
            # Per piece (and the spare last one): 0 untouched, 1 touched, 2 lost (every route cut).
            slot_piece, piece_slots, channel_peripheral, channel_central = plan
            piece_state = np.zeros(len(piece_slots), dtype=np.int8)
            piece_state[slot_piece[np.concatenate(touched)]] = 1
            if cut:
                marked = np.zeros(len(slot_piece), dtype=bool)
                marked[np.concatenate(cut)] = True
                piece_state[np.bincount(slot_piece[marked], minlength=len(piece_slots)) == piece_slots] = 2
            for piece in table.bundle_pieces:
                if piece_state[piece]:
                    bundle = table.pieces[piece][1]
                    piece_state[piece] = 2 if bundle.best_survival(damage.severity, through_goal=True) == 0.0 else 1
            self.piece_state = piece_state
            # Per channel, each part takes the worse of its two pieces; the channel is lost when
            # every part is, intact when none is touched.
            part_state = np.maximum(piece_state[channel_peripheral], piece_state[channel_central])
            self.channel = ((part_state.max(axis=0) > 0).view(np.int8) + (part_state.min(axis=0) == 2)).reshape(skins, -1)
            code = self.channel[:, 0].astype(np.intp)
            for tract in range(1, len(SENSORY_TRACTS)):
                code = code * len(_STATES) + self.channel[:, tract]
            self.affected = np.flatnonzero(code)
            self.grades[self.affected] = grades_by_code[code[self.affected]]
            # Overlapping dermatomes: a tract lost at the skin's own roots alone.
            lost_tract = self.affected[(self.channel[self.affected] == 2).any(axis=1)]
            overlap = lost_tract[:0]
            if len(lost_tract):
                piece_not_root = np.zeros(len(piece_slots), dtype=bool)
                if not_root:
                    piece_not_root[slot_piece[np.concatenate(not_root)]] = True
                part_not_root = piece_not_root[table.part_peripheral] | piece_not_root[table.part_central]
                skin_not_root = np.logical_or.reduceat(part_not_root, table.skin_starts)
                overlap = lost_tract[~skin_not_root[lost_tract]]
            if len(overlap):
                runs = _lost_root_runs(table, damage)
                for position in overlap.tolist():
                    info = table.skins[table.skin_nodes[position]]
                    run = max((runs.get((info.side, segment), 0) for segment in info.segments), default=0)
                    key = (tuple(self.channel[position].tolist()), run, info.segments)
                    if key not in overlapped:
                        states = dict(zip(SENSORY_TRACTS, (_STATES[state] for state in key[0])))
                        overlapped[key] = sensory_grades(states, run, info.segments, rules)
                    self.grades[position] = overlapped[key]
        self.levels = self._levels()

    def segment_grades(self, node):
        """Per segment of a skin node, rostral first: the grades its fibres of that segment alone leave.

        What a dermatome band of the sensory map shows. Each tract's part of the segment (its
        peripheral and central pieces) is intact, impaired or lost as for the whole place, and
        :func:`neurograph.engine.sensory_grades` grades it, with the overlap of dermatomes where
        the lesion reaches that segment's fibres at structures of one segment alone.
        """
        table, damage = self.table, self.damage
        info = table.skins[node]
        parts = {tract: {segment: (peripheral, central) for segment, peripheral, central in table.channels.get((node, tract), ())}
                 for tract in SENSORY_TRACTS}
        segments = [segment for segment in info.segments if any(segment in by_segment for by_segment in parts.values())]
        normal = tuple([2] * len(MODALITIES))
        if self.piece_state is None:
            return {segment: normal for segment in segments}
        beyond_roots = damage.nodes - table.all_root_nodes
        runs = None
        found = {}
        for segment in segments:
            states, beyond = {}, False
            for tract, by_segment in parts.items():
                if segment not in by_segment:
                    continue
                pieces = by_segment[segment]
                states[tract] = _STATES[max(int(self.piece_state[piece]) for piece in pieces)]
                beyond = beyond or any(not table.piece_nodes[piece].isdisjoint(beyond_roots) for piece in pieces)
            run = None
            if LOST in states.values() and not beyond:
                runs = _lost_root_runs(table, damage) if runs is None else runs
                run = runs.get((info.side, segment), 0)
            found[segment] = sensory_grades(states, run, (segment,), self.rules) if self.rules is not None else normal
        return found

    def _levels(self):
        """Per side, the most caudal key point up to which light touch and pin prick are normal (ISNCSCI)."""
        import numpy as np

        touch, pin = MODALITIES.index("light_touch"), MODALITIES.index("pin_prick")
        levels = []
        for side, positions in sorted(self.table.key_point_positions.items()):
            abnormal = np.flatnonzero((self.grades[positions, touch] < 2) | (self.grades[positions, pin] < 2))
            if not len(abnormal):
                levels.append((side, "INT"))
            else:
                first = int(abnormal[0])
                levels.append((side, self.table.key_points[side][first - 1][0] if first else "C1"))
        return tuple(levels)

    def findings(self):
        """Every altered skin node's :class:`~neurograph.results.SensoryFinding`, in anatomical order."""
        table, damage = self.table, self.damage
        causes: dict[int, frozenset[str]] = {}  # per piece, the sites that reach it

        def sites_of(piece):
            if piece not in causes:
                causes[piece] = frozenset(damage.causes(table.piece_nodes[piece].intersection(damage.nodes)))
            return causes[piece]

        found = []
        for position, grades, channel in zip(
            self.affected.tolist(), self.grades[self.affected].tolist(), self.channel[self.affected].tolist()
        ):
            info = table.skins[table.skin_nodes[position]]
            sites = set().union(*(sites_of(piece) for piece in table.skin_pieces[info.node]))
            found.append(SensoryFinding(
                info.node, info.label, info.side, info.level, *grades,
                tracts_lost=tuple(t for t, state in zip(SENSORY_TRACTS, channel) if state == 2),
                sites=tuple(sorted(sites)),
            ))
        return tuple(found)


def _lost_root_runs(table, damage):
    """Per lost root ``(side, segment)``, the length of the run of consecutive lost roots it lies in.

    A root is lost when the lesion takes whole one of the structures of that segment alone
    (:attr:`~neurograph.routes.SensoryRouteTable.root_nodes`: its dorsal root, ganglion and
    spinal nerve, and by the rule ``dermatome_overlap_structures`` its rami out to where other
    segments' fibres join them).
    """
    lost = {key for key, nodes in table.root_nodes.items() if any(damage.severity.get(node) == 1.0 for node in nodes)}
    runs = {}
    for side, segment in lost:
        if (side, segment) in runs:
            continue
        run = [segment]
        at = SEGMENTS.index(segment)
        for step in (-1, 1):
            index = at + step
            while 0 <= index < len(SEGMENTS) and (side, SEGMENTS[index]) in lost:
                run.append(SEGMENTS[index])
                index += step
        runs.update(((side, member), len(run)) for member in run)
    return runs


def _muscle_deficits(table, lost_units, lost_pools, phase, site_names):
    """Every affected muscle's class, grade, tone, wasting and fasciculations, as array arithmetic.

    Returns the rows ``(muscle, deficit, mrc_grade, tone, atrophy, fasciculations, strength)`` in
    anatomical order, and the :class:`_Explanation` that says why, segment by segment.
    """
    import numpy as np

    slots = len(table.slot_segment)
    lost_at = np.zeros(slots)
    at_cell_body_or_root = np.zeros(slots, dtype=bool)
    if lost_units:
        indices = np.fromiter(lost_units, dtype=np.intp, count=len(lost_units))
        losses = np.fromiter((lost_units[i][0] for i in lost_units), dtype=float, count=len(lost_units))
        flags = np.fromiter((lost_units[i][2] for i in lost_units), dtype=bool, count=len(lost_units))
        unit_slots = table.unit_slot[indices]
        lost_at = np.bincount(unit_slots, weights=table.unit_weight[indices] * losses, minlength=slots)
        at_cell_body_or_root[unit_slots[flags]] = True
    pool_loss = np.zeros(len(table.pool_keys) + 1)
    if lost_pools:
        pool_index = table.pool_index
        pool_loss[[pool_index[key] for key in lost_pools]] = [lost[0] for lost in lost_pools.values()]
    lmn = np.minimum(lost_at / table.slot_weight, 1.0)
    outcome = muscle_outcome(
        table.muscle_starts, table.slot_weight, table.muscle_total, lmn, pool_loss[table.slot_pool],
        at_cell_body_or_root, phase,
    )
    lower, upper = outcome["lmn"], outcome["umn"]
    affected = np.flatnonzero(lower | upper)
    # The rows are zipped from columns: a Python loop per affected muscle is most of the cost.
    grade = outcome["grade"][affected]
    deficits, tones = _row_words()
    deficit = deficits[lower[affected].astype(np.intp) + 2 * upper[affected]]
    tone = tones[np.where(grade == 5, 0, np.where(outcome["spastic"][affected], 1, 2))]
    rows = tuple(zip(
        table.muscle_order_array[affected].tolist(), deficit.tolist(), grade.tolist(), tone.tolist(),
        outcome["atrophy"][affected].tolist(), outcome["fasciculations"][affected].tolist(),
        outcome["strength"][affected].tolist(),
    ))
    return rows, _Explanation(table, lost_units, lost_pools, lmn, site_names)


@functools.cache
def _row_words():
    """A muscle's deficit by ``lmn + 2 * umn`` (no row has neither), and its tone by normal, spastic, flaccid."""
    import numpy as np

    return np.array(["", "LMN", "UMN", "mixed"], dtype=object), np.array(["normal", "spastic", "flaccid"], dtype=object)


class _Explanation:
    """Why each muscle is affected: its lost segments, the sites that explain them, in words."""

    def __init__(self, table, lost_units, lost_pools, lmn, site_names):
        self.table, self.lost_units, self.lost_pools = table, lost_units, lost_pools
        self.lmn, self.site_names = lmn, site_names

    def describe(self, muscle):
        """``(label, side, body_region)`` of a muscle, as the simulated graph had them."""
        return self.table.muscle_meta[muscle][:3]

    def segment_drive(self, muscle):
        """What each of a muscle's segments still drives, rostral first.

        Returns ``((segment, weight, share kept), ...)``: the share of the segment's lower motor
        neurons and of their corticospinal drive left; the muscle's strength is the mean of the
        shares kept, weighted by ``weight``.
        """
        table = self.table
        drive = []
        for segment, weight, unit_indices, pool_key in table.muscle_plan[muscle]:
            lmn = float(self.lmn[int(table.unit_slot[unit_indices[0]])]) if unit_indices else 0.0
            umn = self.lost_pools[pool_key][0] if pool_key in self.lost_pools else 0.0
            drive.append((segment, weight, (1.0 - lmn) * (1.0 - umn)))
        return tuple(drive)

    def explain(self, muscle):
        """``(lmn_segments, umn_segments, sites, reasons)`` of one affected muscle."""
        table = self.table
        hit, reasons, lmn_segments, umn_segments = set(), [], [], []
        for segment, _, unit_indices, pool_key in table.muscle_plan[muscle]:
            slot = None
            for index in unit_indices:
                slot = int(table.unit_slot[index])
                if index in self.lost_units:
                    hit |= self.lost_units[index][1]
            lmn = float(self.lmn[slot]) if slot is not None else 0.0
            if lmn > 0:
                lmn_segments.append(segment)
                reasons.append(f"loses {lmn:.0%} of its {segment} lower motor neurons")
            elif pool_key in self.lost_pools:
                umn_segments.append(segment)
                hit |= self.lost_pools[pool_key][1]
                reasons.append(f"its {segment} pool loses {self.lost_pools[pool_key][0]:.0%} of its corticospinal drive")
        causes = sorted({name for node in hit for name in self.site_names[node]})
        return tuple(lmn_segments), tuple(umn_segments), tuple(causes), tuple(reasons)


def _normal_reflexes(G):
    """Every reflex's normal finding, made once per state of the graph."""
    findings = {}
    for arc in route_table(G).reflexes.values():
        data = G.nodes[arc.node]
        state = normal_reflex_state(arc.kind)
        findings[arc.node] = ReflexFinding(
            arc.node, data["label"], data["side"], arc.kind, state, REFLEX_STATE_GRADES.get(state, state)
        )
    return findings


class _Lesion:
    """The lesioned nodes with their severities, and what they cut of a route."""

    __slots__ = ("severity", "site_names", "nodes", "complete")

    def __init__(self, sites):
        # A node hit by several sites takes the highest severity.
        self.severity, self.site_names = {}, defaultdict(set)
        for site in sites:
            for node in site.nodes:
                self.severity[node] = max(self.severity.get(node, 0.0), site.severity)
                self.site_names[node].add(site.label)
        self.nodes = frozenset(self.severity)
        self.complete = all(value == 1.0 for value in self.severity.values())

    def kept(self, hit):
        """The share of a route that survives, from the lesioned nodes ``hit`` on it."""
        if not hit:
            return 1.0
        if self.complete:
            return 0.0
        share = 1.0
        for node in hit:
            share *= 1.0 - self.severity[node]
        return share

    def survival(self, nodes, bundle=None):
        """``(share kept, lesioned nodes hit)`` of a route (or of a bundle's routes) through ``nodes``."""
        hit = nodes.intersection(self.nodes)
        if not hit:
            return 1.0, hit
        return (bundle.mean_survival(self.severity) if bundle is not None else self.kept(hit)), hit

    def drive_loss(self, routes, bundle=None):
        """The drive a pool loses: what its best surviving route (or its bundle's) does not keep."""
        if bundle is not None:
            return 1.0 - bundle.best_survival(self.severity)
        if self.complete:
            return 0.0 if any(nodes.isdisjoint(self.nodes) for nodes in routes) else 1.0
        return 1.0 - max((self.kept(nodes.intersection(self.nodes)) for nodes in routes), default=0.0)

    def causes(self, hit):
        """The labels of the sites that hit any of the lesioned nodes ``hit``."""
        return {name for node in hit for name in self.site_names[node]}


class _LesionPlan:
    """What :func:`simulate` reads of a route table beyond the table itself, made once per state."""

    def __init__(self, G):
        table = route_table(G)
        #: Per pool, every node of its drive routes (each stops short of the anterior horn).
        self.pool_drive_nodes = {key: frozenset().union(*routes) for key, routes in table.pool_drive_nodes.items()}
        #: Per reflex, the total weight of its efferent units and each unit's weight.
        self.efferent = {}
        #: Per reflex, how many afferent routes it has (a bundle counts all of its routes).
        self.afferent_routes = {}
        for arc in table.reflexes.values():
            weights = tuple((index, table.units[index].weight) for index in arc.efferent_units)
            self.efferent[arc.node] = (sum(weight for _, weight in weights), weights)
            self.afferent_routes[arc.node] = sum(arc.afferent_counts)


def _reflex_finding(G, plan, arc, lesion, lost_units, lost_pools, phase):
    data = G.nodes[arc.node]
    causes, reasons, hit = set(), [], set()
    total, weights = plan.efferent[arc.node]
    kept = 0.0
    for index, weight in weights:
        lost = lost_units.get(index)
        if lost is None:
            kept += weight
        else:
            kept += weight * (1.0 - lost[0])
            hit |= lost[1]
    efferent = kept / total if total else 0.0
    afferent = 1.0
    if arc.afferent_nodes:
        # A bundle stands for all its routes: the mean is over routes.
        kept_routes = 0.0
        for nodes, bundle, count in zip(arc.afferent_nodes, arc.afferent_bundles, arc.afferent_counts):
            share, afferent_hit = lesion.survival(nodes, bundle)
            kept_routes += count * share
            if share < 1.0:
                causes |= lesion.causes(afferent_hit)
        afferent = kept_routes / plan.afferent_routes[arc.node]
    arc_intact = min(efferent, afferent)
    if efferent < 1.0:
        reasons.append(f"efferent limb {1 - efferent:.0%} cut")
    if afferent < 1.0:
        reasons.append(f"afferent limb {1 - afferent:.0%} cut")
    umn_keys = [key for key in arc.pools if key in lost_pools]
    for key in umn_keys:
        hit |= lost_pools[key][1]
    causes |= lesion.causes(hit)
    umn = bool(umn_keys)
    if umn:
        reasons.append("its pools lost corticospinal drive")
    shock = phase == "acute" and any(lost_pools[key][2] for key in umn_keys)
    if shock:
        reasons.append("spinal shock below an acute cord lesion")
    state = reflex_state(arc.kind, arc_intact, umn, shock, phase)
    return ReflexFinding(
        arc.node, data["label"], data["side"], arc.kind, state, REFLEX_STATE_GRADES.get(state, state),
        sites=tuple(sorted(causes)) if state not in NORMAL_REFLEX_STATES else (),
        reasons=tuple(reasons),
    )
