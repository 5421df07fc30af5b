"""The engine core: from lost routes to findings, shared by :func:`~neurograph.simulate` and the atlas.

:func:`neurograph.simulate` computes one lesion; the site atlas (:mod:`neurograph.atlas`)
predicts every single site and pair of sites at once, as arrays. Both turn what a lesion cuts
into findings with the rules here, so that they agree by construction: :func:`muscle_outcome`
for muscles (strength, MRC grade, tone, wasting, fasciculations) and :func:`reflex_state` for
reflexes. :func:`sensory_grades` grades sensation by modality from what is left of each
ascending tract, with the rules of the graph's ``sensory_rules`` (:func:`sensory_rules`).
:func:`node_effects` classifies the structures a lesion touches, for drawing it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

from neurograph.cache import derived
from neurograph.errors import InvalidAnatomyError
from neurograph.routes import route_table
from neurograph.schema import MODALITIES, MODALITY_TRACTS, PHASES, REFLEX_KINDS, decode_sensory_rules
from neurograph.validation import sensory_rule_violations

__all__ = [
    "PHASES", "MRC_THRESHOLDS", "REFLEX_DIRECTION", "REFLEX_KINDS", "mrc_grade", "muscle_outcome",
    "reflex_state", "normal_reflex_state", "node_effects", "SensoryRules", "sensory_rules", "sensory_grades",
    "INTACT", "IMPAIRED", "LOST",
]

#: What a lesion leaves of a tract's routes to one place: all of them, some, or none.
INTACT, IMPAIRED, LOST = "intact", "impaired", "lost"

#: Lower bounds of the share of strength left for each estimated MRC grade, best first.
MRC_THRESHOLDS = ((5, 0.95), (4, 0.6), (3, 0.35), (2, 0.15), (1, 1e-9))

# The lower bounds of MRC_THRESHOLDS, lowest first, and the grade of a strength that reaches
# the first n of them.
_ASCENDING_BOUNDS = tuple(bound for _, bound in reversed(MRC_THRESHOLDS))
_GRADE_BY_BOUNDS_REACHED = (0, *(grade for grade, _ in reversed(MRC_THRESHOLDS)))

#: Reflex states as directions: -1 reduced, absent or mute; 0 normal, present or flexor; +1 brisk or extensor.
REFLEX_DIRECTION = {
    "absent": -1, "reduced": -1, "mute": -1, "normal": 0, "present": 0, "flexor": 0, "brisk": 1, "clonus": 1,
    "extensor": 1,
}


def mrc_grade(strength: float) -> int:
    """Estimate the MRC grade (0-5) from the share of a muscle's drive that survives.

    Parameters
    ----------
    strength : float
        The share left, 0-1.

    Returns
    -------
    int
        The first grade of :data:`MRC_THRESHOLDS` whose lower bound ``strength`` reaches.

    Examples
    --------
    >>> [mrc_grade(s) for s in (1.0, 0.7, 0.5, 0.2, 0.05, 0.0)]
    [5, 4, 3, 2, 1, 0]
    """
    for grade, lower in MRC_THRESHOLDS:
        if strength >= lower:
            return grade
    return 0


def muscle_outcome(
    muscle_starts: np.ndarray, slot_weight: np.ndarray, muscle_total: np.ndarray, lmn: np.ndarray, umn: np.ndarray,
    cell_body_or_root: np.ndarray, phase: str, slot_muscle: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """What lost lower motor neurons and lost drive do to each muscle, as arrays.

    A muscle's innervation is split into *slots*, one per segment, each with its weight; a
    muscle's slots are consecutive. Within a slot, LMN loss wins over UMN loss; a muscle's
    strength is the weighted mean over its slots of what survives of both, and its grade is
    :func:`mrc_grade` of that.

    Parameters
    ----------
    muscle_starts : numpy.ndarray of int
        Where each muscle's slots start.
    slot_weight : numpy.ndarray of float
        Each slot's share of its muscle's innervation.
    muscle_total : numpy.ndarray of float
        Each muscle's sum of slot weights.
    lmn, umn : numpy.ndarray of float
        The share lost per slot, of lower motor neurons and of corticospinal drive; any leading
        axes (one row per lesion).
    cell_body_or_root : numpy.ndarray of bool
        Whether a lost unit of the slot was cut at its cell body or ventral root.
    phase : {"acute", "chronic"}
    slot_muscle : numpy.ndarray of int, optional
        Each slot's muscle. For one lesion (no leading axes) the sums and flags per muscle are
        then gathered by muscle number, several times faster than reduced over each muscle's
        run of slots; the strength, rounded, is the same.

    Returns
    -------
    dict of numpy.ndarray
        Over muscles (with the leading axes): ``strength``, ``grade``, ``lmn`` and ``umn``
        (whether any slot has that loss), ``spastic``, ``flaccid``, ``atrophy`` and
        ``fasciculations``.

    Examples
    --------
    Two muscles, the first with two equal segments; its first segment loses all its lower
    motor neurons at the root, the second muscle loses half its drive:

    >>> import numpy as np
    >>> outcome = muscle_outcome(
    ...     np.array([0, 2]), np.array([1.0, 1.0, 1.0]), np.array([2.0, 1.0]),
    ...     lmn=np.array([1.0, 0.0, 0.0]), umn=np.array([0.0, 0.0, 0.5]),
    ...     cell_body_or_root=np.array([True, False, False]), phase="chronic")
    >>> outcome["strength"].tolist(), outcome["grade"].tolist()
    ([0.5, 0.5], [3, 3])
    >>> outcome["atrophy"].tolist(), outcome["fasciculations"].tolist(), outcome["spastic"].tolist()
    ([True, False], [True, False], [False, True])

    Each slot's muscle given, the same outcome is gathered by muscle number:

    >>> by_number = muscle_outcome(
    ...     np.array([0, 2]), np.array([1.0, 1.0, 1.0]), np.array([2.0, 1.0]),
    ...     lmn=np.array([1.0, 0.0, 0.0]), umn=np.array([0.0, 0.0, 0.5]),
    ...     cell_body_or_root=np.array([True, False, False]), phase="chronic", slot_muscle=np.array([0, 0, 1]))
    >>> all((by_number[name] == outcome[name]).all() for name in outcome)
    True
    """
    import numpy as np

    if slot_muscle is not None and lmn.ndim == 1:

        def sum_per_muscle(values):
            return np.bincount(slot_muscle, weights=values, minlength=len(muscle_starts))

        def any_per_muscle(flags):
            found = np.zeros(len(muscle_starts), dtype=bool)
            found[slot_muscle[flags]] = True
            return found
    else:

        def per_muscle(values, ufunc):
            if not len(muscle_starts):
                return np.zeros(values.shape[:-1] + (0,), dtype=values.dtype)
            return ufunc.reduceat(values, muscle_starts, axis=-1)

        def sum_per_muscle(values):
            return per_muscle(values, np.add)

        def any_per_muscle(flags):
            # A reduction per muscle costs far more than a look over the slots, which often finds none.
            return per_muscle(flags, np.logical_or) if flags.any() else np.zeros(flags.shape[:-1] + muscle_starts.shape, dtype=bool)

    lmn_hit = lmn > 0
    umn_hit = (umn > 0) & ~lmn_hit
    # Rounded so that sums taken over other subsets of slots, or in another order, give the same
    # grade at a threshold.
    strength = (sum_per_muscle(slot_weight * (1.0 - lmn) * (1.0 - umn)) / muscle_total).round(12)
    with_lmn = any_per_muscle(lmn_hit)
    with_umn = any_per_muscle(umn_hit)
    fasciculating = any_per_muscle(cell_body_or_root & lmn_hit)
    # The grade of the highest lower bound the strength reaches (0 below them all), found by
    # counting the bounds it reaches.
    bounds, grades = _grade_arrays()
    grade = grades[np.searchsorted(bounds, strength, side="right")]
    chronic = phase == "chronic"
    weak = grade < 5
    # A muscle that keeps full power keeps normal tone, whatever slight loss it has.
    spastic = weak & with_umn & ~with_lmn & chronic
    atrophy = with_lmn & chronic
    return {
        "strength": strength, "grade": grade, "lmn": with_lmn, "umn": with_umn, "spastic": spastic,
        "flaccid": weak & ~spastic, "atrophy": atrophy, "fasciculations": atrophy & fasciculating,
    }


@functools.cache
def _grade_arrays():
    """:data:`MRC_THRESHOLDS` as arrays: the lower bounds, lowest first, and the grade by bounds reached."""
    import numpy as np

    return np.array(_ASCENDING_BOUNDS), np.array(_GRADE_BY_BOUNDS_REACHED, dtype=np.int8)


def reflex_state(kind: str, arc_intact: float, umn: bool, shock: bool, phase: str) -> str:
    """The state of one reflex from what is left of its arc and its pools' drive.

    Parameters
    ----------
    kind : str
        One of :data:`REFLEX_KINDS`.
    arc_intact : float
        The share of the arc left: the lesser of its efferent and afferent limbs, 0-1.
    umn : bool
        Whether a pool of the arc lost corticospinal drive.
    shock : bool
        Whether the pools lost it to an acute cord lesion (spinal shock).
    phase : {"acute", "chronic"}

    Returns
    -------
    str
        Deep tendon and segmental: ``absent``, ``reduced``, ``normal`` or ``brisk``;
        superficial: ``absent``, ``reduced`` or ``present``; plantar: ``flexor``, ``extensor``
        or ``mute``.

    Examples
    --------
    >>> reflex_state("deep_tendon", 1.0, True, False, "chronic")
    'brisk'
    >>> reflex_state("deep_tendon", 1.0, True, True, "acute")
    'absent'
    >>> reflex_state("plantar", 1.0, True, False, "chronic"), reflex_state("superficial", 0.5, False, False, "chronic")
    ('extensor', 'reduced')
    """
    if kind == "plantar":
        if arc_intact <= 0 or shock:
            return "mute"
        return "extensor" if umn else "flexor"
    if arc_intact <= 0 or shock:
        return "absent"
    if kind == "superficial":
        if umn:
            return "absent"
        return "reduced" if arc_intact < 1 else "present"
    if arc_intact < 1:
        return "reduced"
    if kind == "deep_tendon" and umn and phase == "chronic":
        return "brisk"
    return "normal"


def normal_reflex_state(kind: str) -> str:
    """The state of a reflex of ``kind`` with its arc and drive intact.

    Examples
    --------
    >>> [normal_reflex_state(kind) for kind in REFLEX_KINDS]
    ['normal', 'present', 'flexor', 'normal']
    """
    return reflex_state(kind, 1.0, False, False, "chronic")


@dataclass(frozen=True)
class SensoryRules:
    """The parameters of :func:`sensory_grades`, read from a graph's ``sensory_rules``.

    Attributes
    ----------
    absent, altered, normal : int
        The ISNCSCI grades (``grade_absent``, ``grade_altered``, ``grade_normal``: 0, 1, 2).
    one_tract_lost, both_tracts_lost : int
        The grade of a modality carried by two tracts (light touch) when one of them is lost and
        when both are (``light_touch_one_tract_lost``, ``light_touch_both_tracts_lost``).
    single_root : int
        The grade left where neighbouring dermatomes overlap (``single_root_lesion_grade``).
    roots_for_anaesthesia : int
        How many consecutive roots must be lost for anaesthesia
        (``consecutive_roots_for_anaesthesia``).
    overlap_exceptions : frozenset of str
        Segments whose skin no neighbour overlaps (``single_root_anaesthesia_exception``: C2).
    references : dict
        Rule name to its reference keys.
    """

    absent: int
    altered: int
    normal: int
    one_tract_lost: int
    both_tracts_lost: int
    single_root: int
    roots_for_anaesthesia: int
    overlap_exceptions: frozenset[str]
    references: Mapping[str, str]


_RULE_FIELDS = {
    "absent": "grade_absent", "altered": "grade_altered", "normal": "grade_normal",
    "one_tract_lost": "light_touch_one_tract_lost", "both_tracts_lost": "light_touch_both_tracts_lost",
    "single_root": "single_root_lesion_grade", "roots_for_anaesthesia": "consecutive_roots_for_anaesthesia",
}


def _read_sensory_rules(G: nx.DiGraph) -> SensoryRules:
    rules = decode_sensory_rules(G.graph.get("sensory_rules", "{}"))
    # The validator's rule checks, so that the rules read here are those validate() accepts.
    violations = sensory_rule_violations(rules)
    if violations:
        raise InvalidAnatomyError(violations)
    values = {name: int(rules[rule]["value"]) for name, rule in _RULE_FIELDS.items()}
    exceptions = rules.get("single_root_anaesthesia_exception", {}).get("value", "")
    return SensoryRules(
        **values, overlap_exceptions=frozenset(filter(None, exceptions.split("|"))),
        references={rule: entry["reference"] for rule, entry in rules.items()},
    )


def sensory_rules(G: nx.DiGraph) -> SensoryRules:
    """The :class:`SensoryRules` of a graph's ``sensory_rules`` attribute (read once per state).

    Examples
    --------
    >>> import neurograph
    >>> rules = sensory_rules(neurograph.load_anatomy())
    >>> rules.absent, rules.altered, rules.normal, rules.single_root, rules.references["single_root_lesion_grade"]
    (0, 1, 2, 1, 'Foerster1933;Grant1962')
    """
    return derived(G, _read_sensory_rules)


def sensory_grades(tract_states: Mapping[str, str], lost_root_run: int | None, segments: tuple[str, ...], rules: SensoryRules) -> tuple[int, ...]:
    """Grade one place's sensation, modality by modality, from what is left of each tract.

    This is where every rule of sensation is applied (their parameters come from the graph,
    :func:`sensory_rules`, built from ``data/sources/sensory/rules.csv``):

    - A modality travels in the tracts of :data:`~neurograph.schema.MODALITY_TRACTS`
      (Blumenfeld 2021): pin prick and temperature in the spinothalamic tract, vibration and
      joint position in the dorsal columns, light touch in both.
    - On the ISNCSCI scale (2019), a modality whose routes all survive is normal (2), one whose
      routes are all cut is absent (0), anything between is altered (1).
    - Light touch is altered, not absent, when only one of its two tracts is lost
      (``light_touch_one_tract_lost``) and absent when both are (``light_touch_both_tracts_lost``).
    - Neighbouring dermatomes overlap (Foerster 1933; Grant 1962): where a place loses its
      fibres only at the roots of its own segments (or, by the rule
      ``dermatome_overlap_structures``, at any structure that carries one of its segments alone,
      :func:`neurograph.routes.segment_structures`) and fewer consecutive roots are lost than
      ``consecutive_roots_for_anaesthesia``, its neighbours' fibres still reach it, so what
      would be absent is ``single_root_lesion_grade`` (altered). The segments of
      ``single_root_anaesthesia_exception`` (C2: its root alone leaves an anaesthetic patch)
      have no such overlap.

    Sensation does not change with the phase (spinal shock is a motor and reflex sign); a
    partial lesion (severity below 1) leaves routes partly cut, so it alters what it reaches.

    Parameters
    ----------
    tract_states : mapping
        Tract to :data:`INTACT`, :data:`IMPAIRED` or :data:`LOST` (a missing tract is intact).
    lost_root_run : int or None
        When the lesion cuts the place's routes only at the roots of its own segments (or at
        structures of one of them alone): the longest run of consecutive roots lost (on the place's side) that holds one of them;
        otherwise None.
    segments : tuple of str
        The place's segments.
    rules : SensoryRules

    Returns
    -------
    tuple of int
        One grade per modality, in the order of :data:`~neurograph.schema.MODALITIES`.

    Examples
    --------
    A hemicord lesion cuts the dorsal columns of the side below it: touch altered, pin prick
    normal, vibration and joint position absent.

    >>> import neurograph
    >>> rules = sensory_rules(neurograph.load_anatomy())
    >>> dict(zip(MODALITIES, sensory_grades({"dorsal_columns": LOST}, None, ("T12",), rules)))
    {'light_touch': 1, 'pin_prick': 2, 'temperature': 2, 'vibration': 0, 'joint_position': 0}

    One C6 root lesion leaves the C6 key point altered; with C7 lost too, it is anaesthetic:

    >>> both_lost = {"dorsal_columns": LOST, "spinothalamic": LOST}
    >>> sensory_grades(both_lost, 1, ("C6",), rules), sensory_grades(both_lost, 2, ("C6",), rules)
    ((1, 1, 1, 1, 1), (0, 0, 0, 0, 0))
    """
    overlapped = (
        lost_root_run is not None and lost_root_run < rules.roots_for_anaesthesia
        and not set(segments) <= rules.overlap_exceptions
    )
    grades = []
    for modality in MODALITIES:
        states = [tract_states.get(tract, INTACT) for tract in MODALITY_TRACTS[modality]]
        if all(state == INTACT for state in states):
            grade = rules.normal
        elif all(state == LOST for state in states):
            grade = rules.both_tracts_lost if len(states) > 1 else rules.absent
            if overlapped:
                grade = max(grade, rules.single_root)
        elif len(states) > 1 and LOST in states:
            grade = rules.one_tract_lost
        else:
            grade = rules.altered
        grades.append(grade)
    return tuple(grades)


def node_effects(G: nx.DiGraph, result: Any) -> dict[str, str]:
    """Classify every structure a lesion touches, for drawing it.

    A structure is ``lesion`` where a site hits it, ``UMN`` or ``LMN`` where it lies downstream
    of the lesion on a corticospinal or motor route that lost drive, ``mixed`` where both, and
    each affected muscle takes its finding's class. Structures not listed are intact.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy the lesion was simulated on; if it was edited since, the structures are
        those of the anatomy as it was (see :attr:`neurograph.results.LesionResult.graph`).
    result : LesionResult
        What :func:`neurograph.simulate` returned.

    Returns
    -------
    dict
        Node id to ``lesion``, ``UMN``, ``LMN`` or ``mixed``.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> effects = node_effects(G, neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> effects["R.radial.spiral_groove"], effects["R.radial.pin"], "R.radial.axilla" in effects
    ('lesion', 'LMN', False)
    """
    G = result.graph_given(G)
    table = route_table(G)
    hit = {node for site in result.sites for node in site.nodes}
    effects: dict[str, str] = {}

    def mark(node, kind):
        current = effects.get(node)
        if current in (None, kind):
            effects[node] = kind
        elif current != "lesion":
            effects[node] = "mixed"

    def downstream(route):
        positions = [index for index, node in enumerate(route) if node in hit]
        return route[positions[0] + 1 :] if positions else ()

    units, pools, _ = table.routes_through(hit)
    for index in units:
        unit = table.units[index]
        for node in unit.bundle.after(hit) if unit.bundle is not None else downstream(unit.route):
            if node not in table.muscles:
                mark(node, "LMN")
    for key in pools:
        bundle = table.pools[key].bundle
        if bundle is not None:
            if bundle.best_survival(dict.fromkeys(hit, 1.0)) == 0.0:
                for node in bundle.after(hit):
                    mark(node, "UMN")
            continue
        lost = [route for route in table.pools[key].routes if set(route[:-1]) & hit]
        if len(lost) == len(table.pools[key].routes):
            for route in lost:
                for node in downstream(route):
                    mark(node, "UMN")
    for finding in result.muscles:
        effects[finding.muscle] = finding.deficit
    for node in hit:
        effects[node] = "lesion"
    return effects
