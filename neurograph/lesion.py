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
from typing import TYPE_CHECKING, NamedTuple

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
    import numpy as np

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
    motor = state.derived(_LesionPlan).losses(table, damage)
    deficits, explanation = _muscle_deficits(table, motor, phase, state.derived(_normal_reflexes))
    grading = (
        _SensoryGrading(state.derived(SensoryRouteTable), damage, state.derived(_grade_lookup), state.derived(_sensory_plan))
        if sensation else None
    )
    return LesionResult(
        sites=sites, phase=phase, deficits=deficits, reflex_states=explanation.reflex_states, state=state,
        explanation=explanation,
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


class _SensoryPlan(NamedTuple):
    """The sensory route table's slots, roots and key points as :class:`_SensoryGrading` reads them."""

    #: Per route slot, its piece.
    slot_piece: np.ndarray
    #: Per piece (and a spare last one, never lost), how many slots it has.
    piece_slots: np.ndarray
    #: Per channel, the peripheral and central pieces of its parts, as columns padded with its
    #: first part (which changes neither their best nor their worst; a part per row, so that a
    #: reduction runs along channels: faster than one over each channel's run of parts).
    channel_peripheral: np.ndarray
    channel_central: np.ndarray
    #: Per node, the roots ``(side, segment)`` whose
    #: :attr:`~neurograph.routes.SensoryRouteTable.root_nodes` hold it.
    root_keys: dict[str, list[tuple[str, str]]]
    #: The key points' positions in the skin order, side after side.
    key_point_positions: np.ndarray
    #: Per side, ``(side, start, end, levels)``: where its key points lie among those positions, and their levels.
    key_point_sides: tuple[tuple[str, int, int, tuple[str, ...]], ...]


def _sensory_plan(G):
    """The :class:`_SensoryPlan` of a graph's state (made once per state)."""
    import numpy as np

    table = sensory_route_table(G)
    slots = np.diff(np.append(table.piece_starts, table.route_slots))
    slot_piece = np.repeat(np.arange(len(table.pieces), dtype=np.intp), slots)
    piece_slots = np.append(slots, -1)
    columns = _padded_columns(table.channel_starts, len(table.part_peripheral))
    root_keys = defaultdict(list)
    for key, nodes in table.root_nodes.items():
        for node in nodes:
            root_keys[node].append(key)
    sides, positions = [], []
    for side, at in sorted(table.key_point_positions.items()):
        sides.append((side, len(positions), len(positions) + len(at), tuple(level for level, _ in table.key_points[side])))
        positions.extend(at.tolist())
    return _SensoryPlan(
        slot_piece, piece_slots, table.part_peripheral[columns], table.part_central[columns], dict(root_keys),
        np.array(positions, dtype=np.intp), tuple(sides),
    )


def _padded_columns(starts, length):
    """Consecutive runs of positions (each starting at ``starts``, the last ending at ``length``)
    as the columns of one array, each padded with its run's first position.

    A maximum or minimum along the columns gives each run's, as a reduction over each run would
    (``reduceat``), and much faster where the runs are many and short. A run with no position
    (none on the tables read here) would take the next run's first.

    Examples
    --------
    >>> import numpy as np
    >>> _padded_columns(np.array([0, 1, 4]), 5).tolist()
    [[0, 1, 4], [0, 2, 4], [0, 3, 4]]
    """
    import numpy as np

    ends = np.append(starts[1:], length)[: len(starts)]
    width = int((ends - starts).max()) if len(ends) else 1
    positions = np.minimum(starts[:, None] + np.arange(width), ends[:, None] - 1)
    positions = np.where(positions >= starts[:, None], positions, starts[:, None])
    return np.ascontiguousarray(positions.T)


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

        self.table, self.damage, self.plan = table, damage, plan
        rules, grades_by_code, overlapped = lookup
        self.rules = rules
        #: Per piece (and the spare last one): 0 untouched, 1 touched, 2 lost; None when the lesion reaches no route.
        self.piece_state = None
        touched, cut, not_root = [], [], []
        slots_by_node, root_nodes = table.slots_by_node, table.all_root_nodes
        for node, severity in damage.severity.items():
            slots = slots_by_node.get(node)
            if slots is None:
                continue
            touched.append(slots)
            if severity == 1.0:
                cut.append(slots)
            if node not in root_nodes:
                not_root.append(slots)
        skins = len(table.skin_nodes)
        self.grades = np.full((skins, len(MODALITIES)), 2, dtype=np.int8)
        self.channel = np.zeros((skins, len(SENSORY_TRACTS)), dtype=np.int8)
        self.affected = np.zeros(0, dtype=np.intp)
        if not touched:
            self.levels = self._levels()
            return
        # Per piece (and the spare last one): 0 untouched, 1 touched, 2 lost (every route cut).
        slot_piece, piece_slots = plan.slot_piece, plan.piece_slots
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
        part_state = np.maximum(piece_state[plan.channel_peripheral], piece_state[plan.channel_central])
        self.channel = ((part_state.max(axis=0) > 0).view(np.int8) + (part_state.min(axis=0) == 2)).reshape(skins, -1)
        code = self.channel[:, 0].astype(np.intp)
        for tract in range(1, len(SENSORY_TRACTS)):
            code = code * len(_STATES) + self.channel[:, tract]
        self.affected = np.flatnonzero(code)
        self.grades[self.affected] = grades_by_code[code[self.affected]]
        # Overlapping dermatomes: a tract lost at the skin's own roots alone. A skin with a lost
        # tract was reached; when every node reached lies beyond the roots, none of them can be.
        if len(not_root) < len(touched):
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
                runs = _lost_root_runs(plan.root_keys, damage)
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
                runs = _lost_root_runs(self.plan.root_keys, damage) if runs is None else runs
                run = runs.get((info.side, segment), 0)
            found[segment] = sensory_grades(states, run, (segment,), self.rules) if self.rules is not None else normal
        return found

    def _levels(self):
        """Per side, the most caudal key point up to which light touch and pin prick are normal (ISNCSCI)."""
        positions, sides = self.plan.key_point_positions, self.plan.key_point_sides
        if not len(self.affected):
            return tuple((side, "INT") for side, *_ in sides)
        touch, pin = MODALITIES.index("light_touch"), MODALITIES.index("pin_prick")
        grades = self.grades[positions]
        abnormal = ((grades[:, touch] < 2) | (grades[:, pin] < 2)).tolist()
        levels = []
        for side, start, end, names in sides:
            first = abnormal.index(True, start, end) - start if True in abnormal[start:end] else None
            levels.append((side, "INT" if first is None else names[first - 1] if first else "C1"))
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


def _lost_root_runs(root_keys, damage):
    """Per lost root ``(side, segment)``, the length of the run of consecutive lost roots it lies in.

    A root is lost when the lesion takes whole one of the structures of that segment alone
    (:attr:`~neurograph.routes.SensoryRouteTable.root_nodes`: its dorsal root, ganglion and
    spinal nerve, and by the rule ``dermatome_overlap_structures`` its rami out to where other
    segments' fibres join them); ``root_keys`` gives, per node, the roots whose structures hold it.
    """
    lost = {key for node, severity in damage.severity.items() if severity == 1.0 for key in root_keys.get(node, ())}
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


def _muscle_deficits(table, motor, phase, normal_reflexes):
    """Every affected muscle's class, grade, tone, wasting and fasciculations, as array arithmetic.

    Returns the rows ``(muscle, deficit, mrc_grade, tone, atrophy, fasciculations, strength)`` in
    anatomical order, and the :class:`_Explanation` that says why, segment by segment (and holds
    the reflexes' states).
    """
    import numpy as np

    slots = len(table.slot_segment)
    if not motor.touched:
        return (), _Explanation(table, motor, np.zeros(slots), phase, normal_reflexes)
    lost_at = np.bincount(table.unit_slot, weights=table.unit_weight * motor.unit_loss, minlength=slots)
    at_cell_body_or_root = np.zeros(slots, dtype=bool)
    at_cell_body_or_root[table.unit_slot[motor.unit_at_cell_body_or_root]] = True
    lmn = np.minimum(lost_at / table.slot_weight, 1.0)
    outcome = muscle_outcome(
        table.muscle_starts, table.slot_weight, table.muscle_total, lmn, motor.pool_loss[table.slot_pool],
        at_cell_body_or_root, phase, slot_muscle=table.slot_muscle,
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
    return rows, _Explanation(table, motor, lmn, phase, normal_reflexes)


@functools.cache
def _row_words():
    """A muscle's deficit by ``lmn + 2 * umn`` (no row has neither), and its tone by normal, spastic, flaccid."""
    import numpy as np

    return np.array(["", "LMN", "UMN", "mixed"], dtype=object), np.array(["normal", "spastic", "flaccid"], dtype=object)


class _Explanation:
    """Why each muscle and reflex is affected: its lost segments or limbs, the sites that explain them, in words.

    Every reflex's state is set here (:attr:`reflex_states`); a changed reflex's reasons and
    sites are put in words when its finding is first asked for (:meth:`reflexes`).
    """

    def __init__(self, table, motor, lmn, phase, normal_reflexes):
        self.table, self.motor, self.lmn, self.phase = table, motor, lmn, phase
        self.normal_reflexes = normal_reflexes
        #: Per changed reflex (by its position in the table's order): efferent and afferent
        #: shares kept, and whether it is in spinal shock.
        self.changed: dict[int, tuple[float, float, bool]] = {}
        #: ``(reflex, state)`` of every reflex, in the table's order.
        self.reflex_states = motor.plan.normal_reflex_states
        changed = motor.changed_reflexes()
        if changed:
            states = list(self.reflex_states)
            damage = motor.damage
            for position, efferent, afferent, umn in changed:
                arc = table.reflex_order[position]
                shock = phase == "acute" and umn and any(
                    not table.pool_cord_nodes[key].isdisjoint(damage.nodes) for key in motor.drive_lost(position)
                )
                states[position] = (arc.node, reflex_state(arc.kind, min(efferent, afferent), umn, shock, phase))
                self.changed[position] = (efferent, afferent, shock)
            self.reflex_states = tuple(states)

    def reflexes(self):
        """Every reflex's :class:`~neurograph.results.ReflexFinding`, in the table's order."""
        return tuple(
            _reflex_finding(self.normal_reflexes[arc.node], arc, position, self.motor, state, *self.changed[position])
            if position in self.changed else self.normal_reflexes[arc.node]
            for position, (arc, (_, state)) in enumerate(zip(self.table.reflex_order, self.reflex_states))
        )

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
            drive.append((segment, weight, (1.0 - lmn) * (1.0 - self.motor.lost_drive(pool_key))))
        return tuple(drive)

    def explain(self, muscle):
        """``(lmn_segments, umn_segments, sites, reasons)`` of one affected muscle."""
        table, motor = self.table, self.motor
        hit, reasons, lmn_segments, umn_segments = set(), [], [], []
        for segment, _, unit_indices, pool_key in table.muscle_plan[muscle]:
            slot = None
            for index in unit_indices:
                slot = int(table.unit_slot[index])
                hit |= motor.unit_hit(index)
            lmn = float(self.lmn[slot]) if slot is not None else 0.0
            drive = motor.lost_drive(pool_key)
            if lmn > 0:
                lmn_segments.append(segment)
                reasons.append(f"loses {lmn:.0%} of its {segment} lower motor neurons")
            elif drive > 0:
                umn_segments.append(segment)
                hit |= motor.pool_hit(pool_key)
                reasons.append(f"its {segment} pool loses {drive:.0%} of its corticospinal drive")
        causes = sorted(motor.damage.causes(hit))
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

    __slots__ = ("sites", "severity", "_site_names", "nodes", "complete")

    def __init__(self, sites):
        self.sites = sites
        if len(sites) == 1:
            (site,) = sites
            self.severity = dict.fromkeys(site.nodes, site.severity)
            self.complete = site.severity == 1.0
        else:
            # A node hit by several sites takes the highest severity.
            self.severity = {}
            for site in sites:
                for node in site.nodes:
                    self.severity[node] = max(self.severity.get(node, 0.0), site.severity)
            self.complete = all(value == 1.0 for value in self.severity.values())
        self.nodes = frozenset(self.severity)
        self._site_names = None

    @property
    def site_names(self):
        """Per lesioned node, the labels of the sites that hit it (made when first asked for)."""
        if self._site_names is None:
            self._site_names = defaultdict(set)
            for site in self.sites:
                for node in site.nodes:
                    self._site_names[node].add(site.label)
        return self._site_names

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

    def drive_loss(self, routes, bundle=None):
        """The drive a pool loses: what its best surviving route (or its bundle's) does not keep."""
        if bundle is not None:
            return 1.0 - bundle.best_survival(self.severity)
        if self.complete:
            return 0.0 if any(nodes.isdisjoint(self.nodes) for nodes in routes) else 1.0
        return 1.0 - max((self.kept(nodes.intersection(self.nodes)) for nodes in routes), default=0.0)

    def causes(self, hit):
        """The labels of the sites that hit any of the lesioned nodes ``hit``."""
        names = self.site_names
        return {name for node in hit for name in names[node]}


class _LesionPlan:
    """What :func:`simulate` reads of a route table beyond the table itself, made once per state.

    Every listed route the motor signs read (each LMN unit's, each pool's drive routes, each
    reflex's afferent routes) is numbered, and each node knows the routes that pass it, so that
    what a lesion keeps of every route takes a few array steps over the routes its nodes pass
    (:meth:`losses`). A bundled unit, pool or afferent route has no node of its own here (it
    counts as intact) and is weighed apart, by its bundle.
    """

    def __init__(self, G):
        import numpy as np

        table = self.table = route_table(G)
        #: Per pool, every node of its drive routes (each stops short of the anterior horn).
        self.pool_drive_nodes = {key: frozenset().union(*routes) for key, routes in table.pool_drive_nodes.items()}
        routes_by_node: dict[str, list[int]] = defaultdict(list)
        self.routes = 0

        def add(route):
            for node in route:
                routes_by_node[node].append(self.routes)
            self.routes += 1
            return self.routes - 1

        for unit in table.units:
            add(unit.route if unit.bundle is None else ())
        #: The units and pools weighed by their bundles.
        self.bundled_units = tuple(index for index, unit in enumerate(table.units) if unit.bundle is not None)
        self.bundled_pools = tuple(key for key in table.pool_keys if table.pools[key].bundle is not None)
        pool_routes, pool_starts = [], []
        for key in table.pool_keys:
            pool = table.pools[key]
            listed = pool.routes if pool.bundle is None else ()
            pool_starts.append(len(pool_routes))
            # Drive routes stop short of the anterior horn: losing the horn is LMN loss, not lost
            # drive. A pool with no listed route is given an intact one: it loses nothing here.
            pool_routes.extend(add(route) for route in [route[:-1] for route in listed] or [()])
        #: Each pool's routes as a column (see _padded_columns): its best route is a maximum along it.
        self.pool_routes = np.array(pool_routes, dtype=np.intp)[_padded_columns(np.array(pool_starts, dtype=np.intp), len(pool_routes))]
        #: Per reflex (in the table's order), its efferent units and afferent routes as parallel arrays.
        efferent_reflex, efferent_units, efferent_weights, efferent_totals = [], [], [], []
        afferent_reflex, afferent_routes, afferent_counts, afferent_totals = [], [], [], []
        #: The afferent routes weighed by their bundles: ``(reflex position, bundle, count, nodes)``.
        self.bundled_afferents = []
        reflex_pools, reflex_pool_positions = [], []
        #: Per reflex, its pools' keys and positions (the spare last one for a pool without routes).
        self.reflex_pool_keys = []
        pool_index = table.pool_index
        for position, arc in enumerate(table.reflex_order):
            weights = [(index, table.units[index].weight) for index in arc.efferent_units]
            efferent_totals.append(sum(weight for _, weight in weights))
            for index, weight in weights:
                efferent_reflex.append(position)
                efferent_units.append(index)
                efferent_weights.append(weight)
            # A reflex without afferent routes keeps its afferent limb whole (its total is 0).
            afferent_totals.append(sum(arc.afferent_counts))
            for route, nodes, bundle, count in zip(arc.afferent_routes, arc.afferent_nodes, arc.afferent_bundles, arc.afferent_counts):
                if bundle is not None:
                    self.bundled_afferents.append((position, bundle, count, nodes))
                    continue
                afferent_reflex.append(position)
                afferent_routes.append(add(route))
                afferent_counts.append(count)
            keys = [(key, pool_index.get(key, len(table.pool_keys))) for key in arc.pools]
            self.reflex_pool_keys.append(keys)
            for _, at in keys:
                reflex_pools.append(position)
                reflex_pool_positions.append(at)
        #: Per node, the routes that pass it.
        self.routes_by_node = {node: np.array(routes, dtype=np.intp) for node, routes in routes_by_node.items()}
        self.reflexes = len(table.reflex_order)
        #: ``(reflex, state)`` of every reflex when no lesion changes it.
        self.normal_reflex_states = tuple((arc.node, normal_reflex_state(arc.kind)) for arc in table.reflex_order)
        # A total of 0 divides as 1: what it divides is 0 too, and is set apart (without_efferent,
        # without_afferent).
        self.efferent = (
            np.array(efferent_reflex, dtype=np.intp), np.array(efferent_units, dtype=np.intp),
            np.array(efferent_weights, dtype=float), np.array([total or 1.0 for total in efferent_totals], dtype=float),
        )
        self.afferent = (
            np.array(afferent_reflex, dtype=np.intp), np.array(afferent_routes, dtype=np.intp),
            np.array(afferent_counts, dtype=float), np.array([total or 1.0 for total in afferent_totals], dtype=float),
        )
        #: The reflexes without afferent routes: their afferent limb is whole.
        self.without_afferent = np.array([position for position, total in enumerate(afferent_totals) if not total], dtype=np.intp)
        self.reflex_pools = (np.array(reflex_pools, dtype=np.intp), np.array(reflex_pool_positions, dtype=np.intp))
        #: The reflexes without efferent units, and their afferent routes' nodes: such a reflex
        #: is absent once the lesion reaches its afferent routes, and normal until then (as one
        #: that no lesioned node reaches).
        self.without_efferent = tuple(
            (position, arc.afferent_nodes) for position, arc in enumerate(table.reflex_order) if not arc.efferent_units
        )

    def losses(self, table, damage):
        """What ``damage`` takes of every unit, pool and reflex arc (:class:`_MotorLosses`)."""
        import numpy as np

        passed, keeps, at_cell_body_or_root = [], [], []
        routes_by_node, cell_body_or_root = self.routes_by_node, table.cell_body_or_root
        for node, severity in damage.severity.items():
            routes = routes_by_node.get(node)
            if routes is not None:
                passed.append(routes)
                keeps.append(1.0 - severity)
                if node in cell_body_or_root:
                    at_cell_body_or_root.append(routes)
        units, pools = len(table.units), len(table.pool_keys)
        bundled = self.bundled_units or self.bundled_pools or self.bundled_afferents
        if not passed and not bundled:
            return _MotorLosses(self, damage, None, None, None, None, None)
        # What each listed route keeps: the product of 1 - severity over its lesioned nodes.
        route_kept = np.ones(self.routes)
        if passed:
            hit = np.concatenate(passed)
            if damage.complete:
                route_kept[hit] = 0.0
            else:
                np.multiply.at(route_kept, hit, np.repeat(keeps, [len(routes) for routes in passed]))
        unit_loss = 1.0 - route_kept[:units]
        pool_loss = np.zeros(pools + 1)  # the spare last pool never loses drive
        pool_loss[:pools] = 1.0 - route_kept[self.pool_routes].max(axis=0, initial=0.0)
        unit_at_cell_body_or_root = np.zeros(units, dtype=bool)
        if at_cell_body_or_root:
            flagged = np.concatenate(at_cell_body_or_root)
            unit_at_cell_body_or_root[flagged[flagged < units]] = True
        afferent_reflex, afferent_routes, afferent_counts, afferent_totals = self.afferent
        # as floats: with no listed afferent route bincount counts in integers, and the bundles'
        # shares added below would be truncated to 0 (a partial lesion abolishing the reflex)
        afferent_kept = np.bincount(
            afferent_reflex, weights=afferent_counts * route_kept[afferent_routes], minlength=self.reflexes
        ).astype(float)
        if bundled:
            # Bundles that share a core weigh it once for this lesion.
            memo: dict = {}
            touched_units, touched_pools, _ = table.routes_through(damage.nodes)
            for index in touched_units:
                unit = table.units[index]
                if unit.bundle is not None:
                    reached = unit.bundle.intersection(damage.nodes)
                    if reached:
                        unit_loss[index] = 1.0 - unit.bundle.mean_survival(damage.severity, memo=memo)
                        unit_at_cell_body_or_root[index] = not reached.isdisjoint(table.cell_body_or_root)
            for key in touched_pools:
                bundle = table.pools[key].bundle
                if bundle is not None and not self.pool_drive_nodes[key].isdisjoint(damage.nodes):
                    pool_loss[table.pool_index[key]] = damage.drive_loss(table.pool_drive_nodes[key], bundle)
            for reflex, bundle, count, nodes in self.bundled_afferents:
                share = bundle.mean_survival(damage.severity) if not nodes.isdisjoint(damage.nodes) else 1.0
                afferent_kept[reflex] += count * share
        return _MotorLosses(self, damage, unit_loss, unit_at_cell_body_or_root & (unit_loss > 0), pool_loss, route_kept, afferent_kept)


class _MotorLosses:
    """What one lesion takes of the units (LMN loss), the pools (lost drive) and the reflex arcs.

    ``unit_loss`` and ``pool_loss`` (over :attr:`~neurograph.routes.RouteTable.pool_keys`, and a
    spare last pool that never loses) are None when the lesion touches no motor route.
    """

    def __init__(self, plan, damage, unit_loss, unit_at_cell_body_or_root, pool_loss, route_kept, afferent_kept):
        import numpy as np

        self.plan, self.damage = plan, damage
        self.touched = unit_loss is not None
        table = plan.table
        if unit_loss is None:
            unit_loss = np.zeros(len(table.units))
            unit_at_cell_body_or_root = np.zeros(len(table.units), dtype=bool)
            pool_loss = np.zeros(len(table.pool_keys) + 1)
        self.unit_loss, self.unit_at_cell_body_or_root, self.pool_loss = unit_loss, unit_at_cell_body_or_root, pool_loss
        self.route_kept, self.afferent_kept = route_kept, afferent_kept

    def lost_drive(self, pool_key):
        """The share of its corticospinal drive a pool loses."""
        position = self.plan.table.pool_index.get(pool_key)
        return float(self.pool_loss[position]) if position is not None else 0.0

    def unit_hit(self, index):
        """The lesioned nodes on a lost unit's routes (none for a unit that keeps them all)."""
        if self.unit_loss[index] > 0:
            return self.plan.table.unit_nodes[index].intersection(self.damage.nodes)
        return frozenset()

    def pool_hit(self, pool_key):
        """The lesioned nodes on the drive routes of a pool that lost drive."""
        return self.plan.pool_drive_nodes[pool_key].intersection(self.damage.nodes) if self.lost_drive(pool_key) > 0 else frozenset()

    def changed_reflexes(self):
        """``(position, efferent kept, afferent kept, whether a pool lost drive)`` of every reflex arc
        the lesion cuts or whose pools lose drive (by position in the table's reflex order)."""
        import numpy as np

        if not self.touched:
            return []
        plan = self.plan
        efferent_reflex, efferent_units, efferent_weights, efferent_totals = plan.efferent
        efferent = np.bincount(
            efferent_reflex, weights=efferent_weights * (1.0 - self.unit_loss[efferent_units]), minlength=plan.reflexes
        ) / efferent_totals
        for position, afferent_nodes in plan.without_efferent:
            efferent[position] = 0.0 if any(not nodes.isdisjoint(self.damage.nodes) for nodes in afferent_nodes) else 1.0
        afferent = self.afferent_kept / plan.afferent[3]
        if len(plan.without_afferent):
            afferent[plan.without_afferent] = 1.0
        reflex_pools, pool_positions = plan.reflex_pools
        pool_lost = self.pool_loss > 0
        umn = np.bincount(reflex_pools, weights=pool_lost[pool_positions], minlength=plan.reflexes) > 0
        changed = np.flatnonzero((efferent < 1.0) | (afferent < 1.0) | umn).tolist()
        if not changed:
            return []
        self.pool_lost = pool_lost
        efferent_kept, afferent_kept, with_umn = efferent.tolist(), afferent.tolist(), umn.tolist()
        return [(position, efferent_kept[position], afferent_kept[position], with_umn[position]) for position in changed]

    def drive_lost(self, position):
        """The pools of the reflex at ``position`` (in the table's order) that lost drive."""
        return [key for key, at in self.plan.reflex_pool_keys[position] if self.pool_lost[at]]


def _reflex_finding(normal, arc, position, motor, state, efferent, afferent, shock):
    """The finding of a reflex whose arc ``motor`` cuts or whose pools lose drive (``normal`` gives its label and side)."""
    reasons = []
    if efferent < 1.0:
        reasons.append(f"efferent limb {1 - efferent:.0%} cut")
    if afferent < 1.0:
        reasons.append(f"afferent limb {1 - afferent:.0%} cut")
    umn_keys = motor.drive_lost(position)
    if umn_keys:
        reasons.append("its pools lost corticospinal drive")
    if shock:
        reasons.append("spinal shock below an acute cord lesion")
    sites: tuple[str, ...] = ()
    if state not in NORMAL_REFLEX_STATES:
        damage = motor.damage
        hit = set().union(*(motor.unit_hit(index) for index in arc.efferent_units), *(motor.pool_hit(key) for key in umn_keys))
        for nodes in arc.afferent_nodes:
            # A route the lesion reaches but leaves whole (a severity too small to count) explains nothing.
            afferent_hit = nodes.intersection(damage.nodes)
            if afferent_hit and damage.kept(afferent_hit) < 1.0:
                hit |= afferent_hit
        sites = tuple(sorted(damage.causes(hit)))
    return ReflexFinding(
        arc.node, normal.label, normal.side, arc.kind, state, REFLEX_STATE_GRADES.get(state, state),
        sites=sites, reasons=tuple(reasons),
    )
