"""Examination findings: what a clinician found, in clinicians' units.

A :class:`Findings` record holds, per examined muscle, an MRC grade (0-5) and optionally tone,
atrophy and fasciculations; per examined reflex a grade on the 0-4+ scale; the plantar
responses (flexor, extensor or mute); per examined skin place (a named place or an ISNCSCI key
point) the ISNCSCI grade of each modality tested (0 absent, 1 altered, 2 normal); and the phase. Whatever is not listed was not examined:
it is unknown, not normal. Records come from Python, from a dict or a JSON file, or from a
simulated lesion (what that lesion would show), and every bad entry is refused with an error
that names it: a record built in Python is checked as it is built, field by field.
"""

from __future__ import annotations

import functools
import json
import numbers
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurograph.errors import AnatomyFileError, InvalidValueError, UnknownNameError
from neurograph.files import read_regular_file
from neurograph.paths import territory
from neurograph.resolve import resolve_muscles, resolve_node, resolve_site
from neurograph.schema import (
    MODALITIES, MOVEMENT_ONLY_REGIONS, PLANTAR_RESPONSES, REFLEX_GRADES, REFLEX_STATE_GRADES, SIDE_NAMES, SIDES, TONE_NOT_ASSESSABLE,
    TONES, check_phase,
)
from neurograph.tables import Table, table

if TYPE_CHECKING:
    import networkx as nx

    from neurograph.results import LesionResult

__all__ = ["Findings", "MuscleExam", "SensoryExam", "findings_from_dict", "read_findings", "findings_from_result"]

# A findings record grades every reflex but the plantar response on the 0-4+ scale, so a
# superficial reflex found present is recorded as 2+ (normal).
_RECORDED_GRADES = {**REFLEX_STATE_GRADES, "present": "2+"}


# The checks of the values of a record, each shared by the records built in Python (named by
# their field) and by findings_from_dict (named by the user's entry).


def _whole_number(value: Any, highest: int, what: str, expected: str) -> int:
    """``value`` as an int if it is a whole number from 0 to ``highest`` (a bool is not, a NumPy
    integer is), else raise naming ``what``."""
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise InvalidValueError(what, value, expected)
        value = int(value)
    if not 0 <= value <= highest:
        raise InvalidValueError(what, value, expected)
    return value


def _sensory_grade(grade: Any, what: str) -> int:
    return _whole_number(grade, 2, what, "an ISNCSCI sensory grade: 0 absent, 1 altered, 2 normal")


def _check_tone(tone: Any, what: str) -> None:
    if tone is not None and (not isinstance(tone, str) or tone not in TONES):
        raise InvalidValueError(what, tone, "tone normal, spastic or flaccid")


#: The types of an examined flag (atrophy, fasciculations) or of one not examined.
_FLAG_TYPES = (bool, type(None))
_SENSORY_GRADES_OR_NONE = frozenset({0, 1, 2, None})
_INT_OR_NONE = frozenset({int, type(None)})
_NOTHING_GRADED = (None,) * len(MODALITIES)


def _check_flag(value: Any, flag: str, what: str) -> None:
    if value is not None and type(value) is not bool:
        raise InvalidValueError(what, value, f"{flag} true or false")


def _check_reflex_grade(grade: Any, what: str) -> None:
    if not isinstance(grade, str) or grade not in REFLEX_GRADES:
        raise InvalidValueError(what, grade, "a grade 0, 1+, 2+, 3+ or 4+")


def _check_plantar_response(response: Any, what: str) -> None:
    if not isinstance(response, str) or response not in PLANTAR_RESPONSES:
        raise InvalidValueError(what, response, "flexor, extensor or mute")


def _checked_mapping(value: Any, what: str, expected: str) -> Mapping[Any, Any]:
    if not isinstance(value, Mapping):
        raise InvalidValueError(what, type(value).__name__, expected)
    return value


def _check_node_id(node: Any, field_name: str) -> None:
    if not isinstance(node, str):
        raise InvalidValueError(f"Findings {field_name} key", node, "a node id (text)")


@dataclass(frozen=True)
class MuscleExam:
    """One examined muscle: MRC grade, and tone, atrophy, fasciculations where examined.

    Attributes
    ----------
    mrc_grade : int
        The MRC grade, 0 (no contraction) to 5 (normal power); a NumPy integer is kept as an int.
    tone : str, optional
        ``"normal"``, ``"spastic"`` or ``"flaccid"``; None where not examined.
    atrophy, fasciculations : bool, optional
        None where not examined.

    Raises
    ------
    InvalidValueError
        When a value is not one of these, naming the field and the value.

    Examples
    --------
    >>> MuscleExam(3, tone="spastic").to_dict()
    {'mrc_grade': 3, 'tone': 'spastic'}
    >>> MuscleExam(7)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid MuscleExam mrc_grade 7: expected an MRC grade, a whole number from 0 to 5
    """

    mrc_grade: int
    tone: str | None = None
    atrophy: bool | None = None
    fasciculations: bool | None = None

    def __post_init__(self) -> None:
        grade, tone = self.mrc_grade, self.tone
        # Plain valid values pass one inline test: a record of every muscle is built per simulated patient.
        if (
            type(grade) is int and 0 <= grade <= 5 and (tone is None or type(tone) is str and tone in TONES)
            and type(self.atrophy) in _FLAG_TYPES and type(self.fasciculations) in _FLAG_TYPES
        ):
            return
        grade = _whole_number(grade, 5, "MuscleExam mrc_grade", "an MRC grade, a whole number from 0 to 5")
        if grade is not self.mrc_grade:
            object.__setattr__(self, "mrc_grade", grade)
        _check_tone(tone, "MuscleExam tone")
        _check_flag(self.atrophy, "atrophy", "MuscleExam atrophy")
        _check_flag(self.fasciculations, "fasciculations", "MuscleExam fasciculations")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict, leaving out what was not examined."""
        entry = {"mrc_grade": self.mrc_grade}
        for name in ("tone", "atrophy", "fasciculations"):
            if getattr(self, name) is not None:
                entry[name] = getattr(self, name)
        return entry


@dataclass(frozen=True)
class SensoryExam:
    """One examined skin place: the ISNCSCI grade (0 absent, 1 altered, 2 normal) of each modality
    tested, None for those not tested.

    Raises
    ------
    InvalidValueError
        When a grade is not 0, 1 or 2 (naming the modality and the grade), or no modality is
        graded. A NumPy integer grade is kept as an int.

    Examples
    --------
    >>> SensoryExam(pin_prick=0, light_touch=1).grades
    {'light_touch': 1, 'pin_prick': 0}
    >>> SensoryExam(light_touch=5)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid SensoryExam light_touch 5: expected an ISNCSCI sensory grade: 0 absent, 1 altered, 2 normal
    """

    light_touch: int | None = None
    pin_prick: int | None = None
    temperature: int | None = None
    vibration: int | None = None
    joint_position: int | None = None

    def __post_init__(self) -> None:
        grades = (self.light_touch, self.pin_prick, self.temperature, self.vibration, self.joint_position)
        # Plain valid grades pass two set tests: of the types first (a bool equals 1 or 0, and a
        # value that cannot be hashed goes on to be named), then of the values.
        if (
            _INT_OR_NONE.issuperset(map(type, grades)) and _SENSORY_GRADES_OR_NONE.issuperset(grades)
            and grades != _NOTHING_GRADED
        ):
            return
        graded = False
        for modality in MODALITIES:
            found = getattr(self, modality)
            if found is not None:
                grade = _sensory_grade(found, f"SensoryExam {modality}")
                if grade is not found:
                    object.__setattr__(self, modality, grade)
                graded = True
        if not graded:
            raise InvalidValueError(
                "SensoryExam", "no modality graded", "a grade of at least one of " + ", ".join(MODALITIES)
            )

    @property
    def grades(self) -> dict[str, int]:
        """Modality to grade, for the modalities tested, in the order of :data:`~neurograph.schema.MODALITIES`."""
        return {modality: grade for modality in MODALITIES if (grade := getattr(self, modality)) is not None}

    def to_dict(self) -> dict[str, int]:
        """Return a JSON-serialisable dict of the modalities tested."""
        return self.grades


#: The names a findings record may give a modality (after lower case, with ``_`` and ``-`` read
#: as spaces), with the modality each stands for.
MODALITY_NAMES = {
    **{modality.replace("_", " "): modality for modality in MODALITIES},
    "pinprick": "pin_prick", "sharp dull discrimination": "pin_prick", "position sense": "joint_position",
    "proprioception": "joint_position",
}


@dataclass(frozen=True)
class Findings:
    """An examination: muscles and reflexes by node id, plantar responses by side, the phase.

    Attributes
    ----------
    muscles : dict of str to MuscleExam
    reflexes : dict of str to str
        Reflex node id to grade ("0" ... "4+"); the plantar response is not here.
    plantar : dict of str to str
        Side ("L", "R") to "flexor", "extensor" or "mute".
    phase : str
    sensation : dict of str to SensoryExam
        Skin node id (a named skin place or an ISNCSCI key point) to the grades found there.

    Raises
    ------
    InvalidValueError
        When a field is not as above (a mapping of text keys to the values listed), naming the
        field, the entry and the value. Whether each node id is one of the anatomy's is checked
        where the record meets it (:func:`neurograph.localize`).

    Examples
    --------
    >>> exam = Findings(muscles={"R.muscle.triceps_brachii": MuscleExam(2)}, plantar={"R": "extensor"}, phase="acute")
    >>> exam.to_dict()["plantar"]
    {'right': 'extensor'}
    >>> Findings(reflexes={"R.reflex.triceps_jerk": "5+"})
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid Findings reflexes['R.reflex.triceps_jerk'] '5+': expected a grade 0, 1+, 2+, 3+ or 4+
    """

    muscles: dict[str, MuscleExam] = field(default_factory=dict)
    reflexes: dict[str, str] = field(default_factory=dict)
    plantar: dict[str, str] = field(default_factory=dict)
    phase: str = "chronic"
    sensation: dict[str, SensoryExam] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_phase(self.phase)
        for name, kind in (("muscles", MuscleExam), ("sensation", SensoryExam)):
            entries = _checked_mapping(getattr(self, name), f"Findings {name}", f"a mapping of node id to {kind.__name__}")
            if all(map(isinstance, entries, repeat(str))) and all(map(isinstance, entries.values(), repeat(kind))):
                continue
            for node, exam in entries.items():
                _check_node_id(node, name)
                if not isinstance(exam, kind):
                    raise InvalidValueError(f"Findings {name}[{node!r}]", exam, f"a {kind.__name__}")
        for reflex, grade in _checked_mapping(self.reflexes, "Findings reflexes", "a mapping of node id to grade").items():
            _check_node_id(reflex, "reflexes")
            _check_reflex_grade(grade, f"Findings reflexes[{reflex!r}]")
        for side, response in _checked_mapping(self.plantar, "Findings plantar", "a mapping of side to response").items():
            if not isinstance(side, str) or side not in SIDES:
                raise InvalidValueError("Findings plantar side", side, "'L' or 'R'")
            _check_plantar_response(response, f"Findings plantar[{side!r}]")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict that :func:`findings_from_dict` reads back."""
        return {
            "phase": self.phase,
            "muscles": {muscle: exam.to_dict() for muscle, exam in sorted(self.muscles.items())},
            "reflexes": dict(sorted(self.reflexes.items())),
            "plantar": {SIDE_NAMES[side]: value for side, value in sorted(self.plantar.items())},
            "sensation": {place: exam.to_dict() for place, exam in sorted(self.sensation.items())},
        }

    def to_table(self) -> Table:
        """One row per examined item: a pandas DataFrame when pandas is installed, else a list of dicts.

        Columns: ``finding`` (``muscle``, ``reflex``, ``plantar`` or ``sensation``), ``node``
        (muscles, reflexes and skin places), ``side`` (plantar responses), ``mrc_grade``,
        ``tone``, ``atrophy`` and ``fasciculations`` (muscles; empty where not examined),
        ``grade`` (reflexes), ``response`` (plantar), ``modality`` and ``sensory_grade``
        (sensation: one row per place and modality tested). The phase is the record's, not a row's.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> exam = findings_from_dict(G, {"muscles": {"right triceps": 2}, "plantar": {"left": "extensor"}})
        >>> exam.to_table()[["finding", "node", "side", "mrc_grade", "response"]].values.tolist()
        [['muscle', 'R.muscle.triceps_brachii', <NA>, 2, <NA>], ['plantar', <NA>, 'L', <NA>, 'extensor']]
        """
        rows: list[dict[str, Any]] = [
            dict(finding="muscle", node=muscle, mrc_grade=exam.mrc_grade, tone=exam.tone, atrophy=exam.atrophy,
                 fasciculations=exam.fasciculations)
            for muscle, exam in sorted(self.muscles.items())
        ]
        rows += [dict(finding="reflex", node=reflex, grade=grade) for reflex, grade in sorted(self.reflexes.items())]
        rows += [dict(finding="plantar", side=side, response=response) for side, response in sorted(self.plantar.items())]
        rows += [
            dict(finding="sensation", node=place, modality=modality, sensory_grade=grade)
            for place, exam in sorted(self.sensation.items()) for modality, grade in exam.grades.items()
        ]
        return table(rows, (
            "finding", "node", "side", "mrc_grade", "tone", "atrophy", "fasciculations", "grade", "response", "modality",
            "sensory_grade",
        ))


def findings_from_dict(G: nx.DiGraph, record: Mapping[str, Any]) -> Findings:
    """Build and check :class:`Findings` from a dict such as a JSON file holds.

    Parameters
    ----------
    G : networkx.DiGraph
    record : dict
        ``{"phase": "chronic", "muscles": {"right triceps": 3, "left FDI": {"mrc_grade": 4,
        "atrophy": true}}, "reflexes": {"right knee jerk": "3+"}, "plantar": {"right":
        "extensor"}, "sensation": {"right C6 key point": {"light touch": 1, "pin prick": 0}}}``.
        Names are resolved like lesion sites, with their side; a muscle may be given by its grade
        alone. A muscle group ("right quadriceps", any group of the anatomy's ``muscle_groups``),
        or a muscle of both sides ("bilateral deltoid"), gives each of its muscles that finding.
        Sensation is graded per place and modality on the ISNCSCI scale (0 absent, 1 altered,
        2 normal); a modality is named as in :data:`MODALITY_NAMES` (light touch, pin prick,
        temperature, vibration, joint position or proprioception). A place is a named skin
        place, an ISNCSCI key point ("right C6 key point", "right dermatome C6", or the
        standard's name of the point), or a structure with a cutaneous territory ("right
        superficial radial nerve", "left L5 root"), which gives that finding to each place the
        structure serves whole (:func:`neurograph.paths.territory`).

    Raises
    ------
    NeurographError
        Naming the entry: an unknown muscle, reflex, skin place or modality, a grade out of
        range, a tone, side or phase not allowed, a muscle, group or place named without its
        side, a structure that serves no skin whole, or one muscle given two different
        findings, or one place two different grades of one modality (under two names, or on its
        own and in a group or territory): the error names both entries.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right triceps": 2}, "plantar": {"left": "extensor"}})
    >>> exam.muscles["R.muscle.triceps_brachii"].mrc_grade, exam.plantar
    (2, {'L': 'extensor'})
    >>> exam = findings_from_dict(G, {"muscles": {"left quadriceps": 3}})
    >>> sorted(exam.muscles), exam.muscles["L.muscle.vastus_medialis"].mrc_grade
    (['L.muscle.rectus_femoris', 'L.muscle.vastus_intermedius', 'L.muscle.vastus_lateralis', 'L.muscle.vastus_medialis'], 3)
    >>> exam = findings_from_dict(G, {"sensation": {"right dermatome C6": {"pin prick": 0, "light touch": 1}}})
    >>> exam.sensation["R.key_point.C6"].grades
    {'light_touch': 1, 'pin_prick': 0}
    """
    if not isinstance(record, dict):
        raise InvalidValueError("findings record", type(record).__name__, "a mapping with muscles, reflexes, plantar, phase")
    unknown = sorted(set(record) - {"phase", "muscles", "reflexes", "plantar", "sensation"})
    if unknown:
        raise InvalidValueError("findings field", unknown[0], "one of phase, muscles, reflexes, plantar, sensation")
    phase = check_phase(record.get("phase", "chronic"))
    muscles: dict[str, MuscleExam] = {}
    entry_of: dict[str, str] = {}
    for name, value in _mapping(record, "muscles").items():
        exam = _muscle_exam(name, value)
        for node in _examined_muscles(G, name):
            if G.nodes[node].get("body_region") in MOVEMENT_ONLY_REGIONS and exam != MuscleExam(exam.mrc_grade):
                raise InvalidValueError(
                    f"finding muscle {name!r}", value,
                    "an MRC grade of its movement alone (an eye muscle's tone, wasting and fasciculations cannot be examined)",
                )
            if node in muscles and muscles[node] != exam:
                raise InvalidValueError(
                    f"finding muscle {name!r}", value,
                    f"the same finding as entry {entry_of[node]!r}, which also names {G.nodes[node]['label']}",
                )
            muscles[node], entry_of[node] = exam, name
    reflexes = {}
    for name, grade in _mapping(record, "reflexes").items():
        node = resolve_node(G, name)
        kind = G.nodes[node]["kind"]
        if kind not in ("reflex", "cranial_reflex") or (kind == "reflex" and G.nodes[node]["reflex_kind"] == "plantar"):
            raise InvalidValueError(f"finding reflex {name!r}", name, "a reflex (the plantar response goes under 'plantar')")
        grade = str(grade).strip()
        _check_reflex_grade(grade, f"finding reflex {name!r}")
        reflexes[node] = grade
    plantar = {}
    for side, response in _mapping(record, "plantar").items():
        code = {"left": "L", "l": "L", "right": "R", "r": "R"}.get(str(side).lower())
        if code is None:
            raise InvalidValueError(f"finding plantar {side!r}", side, "'left' or 'right'")
        _check_plantar_response(response, f"finding plantar {side!r}")
        plantar[code] = response
    return Findings(muscles=muscles, reflexes=reflexes, plantar=plantar, phase=phase, sensation=_sensation(G, record))


def _examined_muscles(G: nx.DiGraph, name: str) -> tuple[str, ...]:
    """The muscles a findings entry names, with its side: a limb muscle or group, or a cranial
    muscle ("right orbicularis oris", "bilateral genioglossus")."""
    try:
        return resolve_muscles(G, name, sided=True)
    except UnknownNameError as limb_error:
        try:
            nodes = resolve_site(G, name).nodes
        except UnknownNameError as error:
            raise UnknownNameError(name, dict.fromkeys([*limb_error.suggestions, *error.suggestions])) from None
        if not all(G.nodes[node]["kind"] == "cranial_muscle" for node in nodes):
            raise
        return tuple(sorted(nodes))


def _sensation(G: nx.DiGraph, record: Mapping[str, Any]) -> dict[str, SensoryExam]:
    """The ``sensation`` entries as one :class:`SensoryExam` per place; one place's modality
    given two different grades by two entries is refused, naming both."""
    grades: dict[str, dict[str, int]] = {}
    entry_of: dict[tuple[str, str], str] = {}
    for name, value in _mapping(record, "sensation").items():
        tested = _sensory_grades(name, value)
        for place in _skin_places(G, name):
            for modality, grade in tested.items():
                found = grades.setdefault(place, {})
                if found.get(modality, grade) != grade:
                    raise InvalidValueError(
                        f"finding sensation {name!r}", grade,
                        f"the same {modality.replace('_', ' ')} grade as entry {entry_of[(place, modality)]!r}, "
                        f"which also names {G.nodes[place]['label']}",
                    )
                found[modality], entry_of[(place, modality)] = grade, name
    return {place: SensoryExam(**found) for place, found in grades.items()}


def _sensory_grades(name: str, value: Any) -> dict[str, int]:
    expected = "a mapping of modality (light touch, pin prick, temperature, vibration, joint position) to grade 0, 1 or 2"
    if not isinstance(value, dict) or not value:
        raise InvalidValueError(f"finding sensation {name!r}", value, expected)
    tested: dict[str, int] = {}
    for written, grade in value.items():
        modality = MODALITY_NAMES.get(" ".join(str(written).lower().replace("_", " ").replace("-", " ").split()))
        if modality is None:
            raise InvalidValueError(f"finding sensation {name!r}", written, "a modality: " + ", ".join(MODALITY_NAMES))
        grade = _sensory_grade(grade, f"finding sensation {name!r} {written}")
        if tested.get(modality, grade) != grade:
            raise InvalidValueError(f"finding sensation {name!r} {written}", grade, f"one grade of {modality.replace('_', ' ')}")
        tested[modality] = grade
    return tested


def _skin_places(G: nx.DiGraph, name: str) -> tuple[str, ...]:
    """The skin nodes a sensation entry names: its place or key point, or the places its structure serves whole."""
    site = resolve_site(G, name)
    if all(G.nodes[node]["kind"] == "skin" for node in site.nodes):
        return tuple(sorted(site.nodes))
    served = territory(G, name).whole
    if not served:
        raise InvalidValueError(
            f"finding sensation {name!r}", name, "a skin place, an ISNCSCI key point or a structure that serves some skin whole"
        )
    return served


def _mapping(record: Mapping[str, Any], key: str) -> Mapping[Any, Any]:
    return _checked_mapping(record.get(key, {}), f"findings {key}", "a mapping of names to findings")


def _muscle_exam(name: str, value: Any) -> MuscleExam:
    entry = value if isinstance(value, dict) else {"mrc_grade": value}
    unknown = sorted(set(entry) - {"mrc_grade", "tone", "atrophy", "fasciculations"})
    if unknown:
        raise InvalidValueError(f"finding muscle {name!r}", unknown[0], "mrc_grade, tone, atrophy, fasciculations")
    grade: Any = entry.get("mrc_grade")  # the user's, checked by MuscleExam
    try:
        return MuscleExam(grade, entry.get("tone"), entry.get("atrophy"), entry.get("fasciculations"))
    except InvalidValueError as error:
        # the same check as a record built in Python, named by the user's own entry
        raise InvalidValueError(f"finding muscle {name!r}", error.value, error.expected) from None


def read_findings(G: nx.DiGraph, path: str | os.PathLike[str]) -> Findings:
    """Read findings from a JSON file, or a YAML file (.yaml, .yml), shaped as :func:`findings_from_dict` takes.

    A findings file is small, and a hostile one is refused before it costs much: only a regular
    file is read (a FIFO or a device such as ``/dev/zero`` is refused without being opened for
    reading), at most :data:`MAX_FINDINGS_BYTES`; YAML aliases are refused (an alias bomb
    expands a few hundred bytes into gigabytes); nesting deeper than :data:`MAX_FINDINGS_DEPTH`
    and integers longer than :data:`MAX_INTEGER_DIGITS` digits are refused; every mapping key
    must be text.

    Raises
    ------
    AnatomyFileError
        When the file cannot be read, is not a regular file, is too large, is not JSON or YAML,
        or breaks one of the limits (naming the file and the problem).
    NeurographError
        For a bad entry (naming the entry).

    Examples
    --------
    >>> import neurograph, tempfile, pathlib
    >>> G = neurograph.load_anatomy()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     exam = pathlib.Path(folder) / "exam.yaml"
    ...     _ = exam.write_text("muscles: {right triceps: 3}\\nplantar: {left: extensor}\\n")
    ...     read_findings(G, exam).plantar
    {'L': 'extensor'}
    """
    path = Path(path)
    payload = read_regular_file(path, MAX_FINDINGS_BYTES, "findings")
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AnatomyFileError(path, f"findings are not UTF-8 text (byte {error.start})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        record = _load_yaml(path, text)
    else:
        record = _load_json(path, text)
    _check_shape(path, record)
    return findings_from_dict(G, record)


#: Findings files larger than this are refused unread (a full examination of every muscle and
#: reflex takes about 20 kB).
MAX_FINDINGS_BYTES = 256 * 1024
#: The deepest nesting of mappings and lists a findings file may have (a record needs 3).
MAX_FINDINGS_DEPTH = 8
#: The most digits an integer in a findings file may have (grades have one).
MAX_INTEGER_DIGITS = 20


def _load_json(path: Path, text: str) -> Any:
    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
            raise _TooLong(len(digits.lstrip("-")))
        return int(digits)

    try:
        return json.loads(text, parse_int=bounded_int)
    except _TooLong as error:
        raise AnatomyFileError(path, f"findings hold an integer of {error.args[0]} digits, more than {MAX_INTEGER_DIGITS}") from None
    except RecursionError:
        raise AnatomyFileError(path, f"findings are nested more than {MAX_FINDINGS_DEPTH} levels deep") from None
    except ValueError as error:
        raise AnatomyFileError(path, f"findings are not valid JSON ({error})") from None


class _TooLong(Exception):
    """An integer literal with more digits than :data:`MAX_INTEGER_DIGITS`."""


def _load_yaml(path: Path, text: str) -> Any:
    """Compose YAML events into nodes without recursion, refusing aliases and deep nesting, then construct."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    resolver = yaml.resolver.Resolver()
    open_nodes: list[Any] = []
    pending_keys: list[Any] = []
    documents: list[Any] = []
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.AliasEvent):
                raise AnatomyFileError(path, f"findings use a YAML alias (*{event.anchor}), which is not allowed")
            if isinstance(event, yaml.ScalarEvent):
                node_class, value = yaml.ScalarNode, event.value
            elif isinstance(event, yaml.SequenceStartEvent):
                node_class, value = yaml.SequenceNode, []
            elif isinstance(event, yaml.MappingStartEvent):
                node_class, value = yaml.MappingNode, []
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                open_nodes.pop()
                pending_keys.pop()
                continue
            else:
                continue
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolver.resolve(node_class, event.value if node_class is yaml.ScalarNode else None, event.implicit)
            node = node_class(tag, value, event.start_mark, event.end_mark)
            if not open_nodes:
                documents.append(node)
            elif isinstance(open_nodes[-1], yaml.SequenceNode):
                open_nodes[-1].value.append(node)
            elif pending_keys[-1] is None:
                pending_keys[-1] = node
            else:
                open_nodes[-1].value.append((pending_keys[-1], node))
                pending_keys[-1] = None
            if node_class is not yaml.ScalarNode:
                if len(open_nodes) >= MAX_FINDINGS_DEPTH:
                    raise AnatomyFileError(path, f"findings are nested more than {MAX_FINDINGS_DEPTH} levels deep")
                open_nodes.append(node)
                pending_keys.append(None)
        if len(documents) > 1:
            raise AnatomyFileError(path, "findings hold more than one YAML document")
        return _yaml_constructor()(path).construct_document(documents[0]) if documents else None
    except yaml.YAMLError as error:
        raise AnatomyFileError(path, f"findings are not valid YAML ({str(error).splitlines()[0]})") from None


@functools.cache
def _yaml_constructor() -> Any:
    import yaml

    class BoundedConstructor(yaml.constructor.SafeConstructor):
        """Safe construction that refuses integers longer than :data:`MAX_INTEGER_DIGITS` digits."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

        def construct_yaml_int(self, node: Any) -> int:
            digits = sum(character.isalnum() for character in node.value)
            if digits > MAX_INTEGER_DIGITS:
                raise AnatomyFileError(
                    self.path, f"findings hold an integer of {digits} digits, more than {MAX_INTEGER_DIGITS} (line {node.start_mark.line + 1})"
                )
            return super().construct_yaml_int(node)

    BoundedConstructor.add_constructor("tag:yaml.org,2002:int", BoundedConstructor.construct_yaml_int)
    return BoundedConstructor


def _check_shape(path: Path, record: Any) -> None:
    """Refuse nesting past the limit and a mapping key that is not text, naming where (iteratively)."""
    stack: list[tuple[Any, tuple[str, ...]]] = [(record, ())]
    while stack:
        value, where = stack.pop()
        if len(where) >= MAX_FINDINGS_DEPTH and isinstance(value, (dict, list)):
            raise AnatomyFileError(path, f"findings are nested more than {MAX_FINDINGS_DEPTH} levels deep")
        items: Iterable[tuple[Any, Any]]
        if isinstance(value, dict):
            items = value.items()
            for key in value:
                if not isinstance(key, str):
                    place = " -> ".join(where) or "the top level"
                    raise AnatomyFileError(path, f"findings key {key!r} under {place} is not text (every name must be a string)")
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            continue
        stack.extend((item, (*where, str(key))) for key, item in items)


def findings_from_result(
    result: LesionResult, muscles: Iterable[str] | None = None, places: Iterable[str] = ()
) -> Findings:
    """What examining the patient of a simulated lesion would find.

    Parameters
    ----------
    result : LesionResult
    muscles : iterable of str, optional
        Muscle node ids that were examined (default: every muscle of the anatomy).
    places : iterable of str, optional
        Skin node ids whose sensation was examined, every modality (default: none).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_result(neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> exam.muscles["R.muscle.brachioradialis"].mrc_grade, exam.muscles["R.muscle.triceps_brachii"].mrc_grade
    (0, 5)
    >>> exam = findings_from_result(neurograph.simulate(G, "right superficial radial nerve"), [], ["R.key_point.C6"])
    >>> exam.sensation["R.key_point.C6"].pin_prick
    0
    """
    G = result.graph
    examined = muscles if muscles is not None else [n for n, d in G.nodes(data=True) if d["kind"] == "muscle"]
    exams: dict[str, MuscleExam] = {}
    for muscle in examined:
        finding = result.muscle(muscle)
        if finding.tone == TONE_NOT_ASSESSABLE:
            exams[muscle] = MuscleExam(finding.mrc_grade)  # an eye muscle: its movement alone
            continue
        exams[muscle] = MuscleExam(finding.mrc_grade, finding.tone, finding.atrophy, finding.fasciculations)
    reflexes = {f.reflex: _RECORDED_GRADES[f.state] for f in result.reflexes if f.kind != "plantar"}
    plantar = {f.side: f.state for f in result.reflexes if f.kind == "plantar"}
    places = list(places)
    if places and result.sensory_grading is None:
        raise InvalidValueError("places", places[0], "a lesion simulated with sensation (simulate(..., sensation=True))")
    sensation = {place: SensoryExam(**result.sensory(place).grades) for place in places}
    return Findings(muscles=exams, reflexes=reflexes, plantar=plantar, phase=result.phase, sensation=sensation)
