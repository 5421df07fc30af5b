"""ISNCSCI: the International Standards for Neurological Classification of Spinal Cord Injury.

An :class:`Exam` holds one International Standards examination (motor scores of the ten key
muscles and light touch and pin prick at the 28 key sensory points on each side, voluntary anal
contraction, deep anal pressure, the lowest non-key muscle with motor function). :func:`classify`
derives its classification by the 2019 revision of the standard: sensory and motor levels per
side, the neurological level of injury (NLI), complete or incomplete, the ASIA Impairment Scale
(AIS) grade, the motor and sensory zones of partial preservation (ZPP) and the score totals.

Scores
------
Motor 0-5, sensory 0-2, ``NT`` (not testable), and the 2019 ``*`` flag for an impairment not
due to the spinal cord injury, written as the reference cases write it:

- ``X*`` (motor ``0*``-``4*``, sensory ``0*``-``1*``, and ``NT*``): impaired by another
  condition and *not normal* for classification. The injury alone could give any grade from
  the one scored up to just below normal (``NT*``: any grade below normal); a result that rests
  on a grade above the one scored carries the flag.
- ``X**`` (``0**``-``4**``, ``0**``-``1**``, ``NT**``): impaired by another condition and
  considered normal for classification (5 or 2); a result that rests on it carries the flag.

How flags reach a result
------------------------
The standard asks that a classification value resting on a flagged score be flagged itself
(Rupp et al. 2021; Kirshblum et al. 2022, case 1, where one flagged score decides between AIS C
and D). Where several values are possible, each carries the flag of the least assuming way to
reach it, with three conventions of the reference implementation (praxis ISNCSCI algorithm),
followed so that the two classify every exam alike:

- *Neurological level at a key muscle segment.* The NLI there takes the key muscles' flags only
  when the motor levels of both sides may lie at that segment. If on one side the motor level
  surely lies lower (its key muscle there counts as normal and the next one is at 3 or more),
  the segment is reached as the NLI through the sensory levels and keeps only the flags of the
  segments above.
  Left C6 ``NT*``, right C6 5: with right C7 at 3 the NLI is ``C5,C6``; with right C7 at 0 it
  is ``C5,C6*`` (reference cases 89 and 126).
- *Key muscles counted for AIS C and D.* A muscle scored ``0*``-``2*`` may stand below grade 3
  or at 3 or more, and either reading is flagged: its score is the other condition's, not the
  injury's. ``NT`` and ``NT*`` may stand either side of 3 unflagged, ``0**``-``2**`` counts as 3
  or more flagged, every other score as it reads. D is flagged only if every NLI that allows it
  needs a flagged reading.
- *AIS C is judged at the most rostral NLI that allows it*: its flag is the one needed there,
  even if a more caudal NLI would allow C without one. With the NLI open from C1 to L1, the
  first NLI allowing C is C5: ten of the 18 key muscles below it may be under 3, but only with
  the two scored ``0*`` (right L4 and S1) counted, so C is flagged, ``B*,C*,D`` (reference case
  130), although below NLI T1 eight of ten are under 3 without them.

Where the scores leave the classification open (``NT``), every value the standard allows is
listed, comma-separated and in order (``"C5,C6"``, ``"A,B"``), as the reference cases list them.
A level ``INT`` means intact; a ZPP ``NA`` means not applicable; a total ``ND`` means not
determinable.

References
----------
Rupp R, Biering-Sorensen F, Burns SP, et al. International Standards for Neurological
Classification of Spinal Cord Injury: revised 2019. Top Spinal Cord Inj Rehabil 2021;27(2):1-22.

Kirshblum S, Schmidt Read M, Rupp R. Classification challenges of the 2019 revised
International Standards for Neurological Classification of Spinal Cord Injury (ISNCSCI). Spinal
Cord 2022;60:11-17.

Schuld C, Kirshblum S, Tansey K, Rupp R, et al. The revised zone of partial preservation (ZPP)
in the 2019 ISNCSCI: ZPP applicability in incomplete injuries. Spinal Cord 2024;62:79-87.

Examples
--------
>>> from neurograph.isncsci import Exam, classify
>>> classify(Exam.normal()).ais
'E'
>>> result = classify(Exam.normal().replace(vac="No"))    # no anal contraction: motor level S3
>>> result.right_motor, result.neurological_level, result.ais
('S3', 'INT', 'B')
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any

from neurograph.errors import InvalidValueError, NeurographError, UnknownNameError
from neurograph.tables import Table, table

__all__ = [
    "Exam", "Classification", "InvalidExamError", "classify", "exam_from_result", "read_exams",
    "classifications_csv", "FIELDS", "RESULT_NAMES", "SENSORY_LEVELS", "MOTOR_LEVELS", "LEVELS",
    "KEY_MUSCLE_RULE", "ANAL_SPHINCTER", "MAX_EXAM_FILE_BYTES",
]

#: Every segment a level can name, rostral to caudal; a level at S4-5 is written ``INT``.
LEVELS = (
    "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8",
    "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12",
    "L1", "L2", "L3", "L4", "L5", "S1", "S2", "S3", "S4_5",
)
#: The 28 key sensory points, C2 to S4-5.
SENSORY_LEVELS = LEVELS[1:]
#: The segments of the ten key muscles (C5-T1 arm, L2-S1 leg).
MOTOR_LEVELS = ("C5", "C6", "C7", "C8", "T1", "L2", "L3", "L4", "L5", "S1")
_INDEX = {level: index for index, level in enumerate(LEVELS)}
_MOTOR_INDEX = tuple(_INDEX[level] for level in MOTOR_LEVELS)
_INTACT = len(LEVELS) - 1

SIDES = ("right", "left")
_ANAL_VALUES = ("Yes", "No", "NT")

# What a score allows, as {class: flagged}: motor classes "low" (0-2), "mid" (3-4), "full" (5);
# sensory classes "absent" (0-1) and "normal" (2).  A score flagged X* is "not normal" for
# classification: the grade the injury alone would give lies from X up to just below normal,
# and a class above the one scored rests on that assumption, so it carries the flag (True).
# A score flagged X** counts as normal, flagged.
_MOTOR = {"0": {"low": False}, "1": {"low": False}, "2": {"low": False}, "3": {"mid": False},
          "4": {"mid": False}, "5": {"full": False},
          "NT": {"low": False, "mid": False, "full": False},
          "NT*": {"low": False, "mid": True}, "NT**": {"full": False},
          "0*": {"low": False, "mid": True}, "1*": {"low": False, "mid": True}, "2*": {"low": False, "mid": True},
          "3*": {"mid": False}, "4*": {"mid": False}}
_SENSORY = {"0": {"absent": False}, "1": {"absent": False}, "2": {"normal": False},
            "NT": {"absent": False, "normal": False}, "NT*": {"absent": True}, "NT**": {"normal": True},
            "0*": {"absent": False}, "1*": {"absent": False}}
for _grade in "01234":
    _MOTOR[_grade + "**"] = {"full": True}
for _grade in "01":
    _SENSORY[_grade + "**"] = {"normal": True}
del _grade


class InvalidExamError(NeurographError, ValueError):
    """An examination value is malformed; the message names the field.

    Parameters
    ----------
    field : str
        The field as the reference JSON and the CSV name it (``"c6RightMotor"``).
    value : object
        The offending value.
    expected : str or None
        What the standard allows there; None when the field is missing.
    where : str, optional
        Which record of a file (``"row 3"``).
    """

    def __init__(self, field: str, value: Any, expected: str | None, where: str = "") -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.where = where
        place = f" in {where}" if where else ""
        if expected is None:
            super().__init__(f"ISNCSCI exam field {field} is missing{place}")
        else:
            super().__init__(f"invalid ISNCSCI exam field {field}{place}: {value!r} (expected {expected})")


# Each allowed score mapped to itself, motor (True) and sensory (False): looking a score up
# checks it and gives the one string kept for that value.
_CANONICAL = {True: {value: value for value in _MOTOR}, False: {value: value for value in _SENSORY}}


def _key(level, side, kind):
    """The reference cases' name of one score: ``c6RightMotor``, ``s4_5LeftPrick``."""
    return f"{level.lower()}{side.capitalize()}{kind}"


#: Every field name of the flat record (the JSON object and the CSV row), in worksheet order.
FIELDS = tuple(
    [_key(level, side, kind) for side in SIDES for kind, levels in
     (("Motor", MOTOR_LEVELS), ("Touch", SENSORY_LEVELS), ("Prick", SENSORY_LEVELS)) for level in levels]
    + ["analContraction", "analSensation",
       "rightLowestNonKeyMuscleWithMotorFunction", "leftLowestNonKeyMuscleWithMotorFunction"]
)
_NON_KEY_NAMES = FIELDS[-2:]
_OPTIONAL = frozenset(_NON_KEY_NAMES) | {"id"}
_REQUIRED = frozenset(FIELDS) - _OPTIONAL
#: The record names of each score tuple of an exam (``right_motor``: c5RightMotor ... s1RightMotor).
_RECORD_NAMES = {
    f"{side}_{attribute}": tuple(_key(level, side, kind) for level in levels)
    for side in SIDES for kind, levels, attribute in
    (("Motor", MOTOR_LEVELS, "motor"), ("Touch", SENSORY_LEVELS, "touch"), ("Prick", SENSORY_LEVELS, "prick"))
}


def _score(value, allowed, field):
    """A score as its canonical text, or InvalidExamError naming the field."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip()
        if value.upper().startswith("NT"):
            value = "NT" + value[2:]
        if value in allowed:
            return value
    expected = "0-5" if allowed is _MOTOR else "0-2"
    raise InvalidExamError(field, value, f"{expected}, NT, or one of these flagged with * or **")


@dataclass(frozen=True)
class Exam:
    """One International Standards examination (ISNCSCI 2019), both sides.

    Scores are kept as the worksheet writes them (strings: ``"4"``, ``"NT"``, ``"0*"``,
    ``"NT**"``); see the module notes for what the flags mean. Construction checks every
    value and raises :class:`InvalidExamError` naming the first malformed field.

    Parameters
    ----------
    right_motor, left_motor : tuple of str
        The ten key muscles, in :data:`MOTOR_LEVELS` order (C5-T1, L2-S1): 0-5 or NT.
    right_touch, left_touch, right_prick, left_prick : tuple of str
        Light touch and pin prick at the 28 key points, C2 to S4-5: 0-2 or NT.
    vac, dap : str
        Voluntary anal contraction and deep anal pressure: ``"Yes"``, ``"No"`` or ``"NT"``.
    right_non_key, left_non_key : str or None
        The segment of the lowest non-key muscle with motor function on that side (``"L4"``),
        used for AIS B versus C and for the motor ZPP; None when none was recorded.
    id : str, optional
        An identifier carried into tables and CSV rows.

    Examples
    --------
    >>> exam = Exam.normal()
    >>> exam.motor("right", "C6"), exam.touch("left", "S4_5")
    ('5', '2')
    >>> Exam.normal().replace(right_motor=("5",) * 9 + ("6",))
    Traceback (most recent call last):
    ...
    neurograph.isncsci.InvalidExamError: invalid ISNCSCI exam field s1RightMotor: '6' (expected 0-5, NT, or one of these flagged with * or **)
    """

    right_motor: tuple
    left_motor: tuple
    right_touch: tuple
    left_touch: tuple
    right_prick: tuple
    left_prick: tuple
    vac: str
    dap: str
    right_non_key: str | None = None
    left_non_key: str | None = None
    id: str | None = None

    def __post_init__(self):
        for name, field_names in _RECORD_NAMES.items():
            scores = getattr(self, name)
            allowed = _MOTOR if name.endswith("motor") else _SENSORY
            if type(scores) is tuple and len(scores) == len(field_names):
                # the common case, kept fast for cohorts: every score written as the standard
                # writes it, each kept as the one shared string for its value
                try:
                    object.__setattr__(self, name, tuple(map(_CANONICAL[allowed is _MOTOR].__getitem__, scores)))
                    continue
                except (KeyError, TypeError):  # a value to normalize ("nt", 4) or to refuse
                    pass
            if isinstance(scores, (str, bytes)) or not hasattr(scores, "__len__") or len(scores) != len(field_names):
                levels = MOTOR_LEVELS if allowed is _MOTOR else SENSORY_LEVELS
                raise InvalidExamError(name, scores, f"{len(levels)} scores, {levels[0]} to {levels[-1]}")
            object.__setattr__(self, name, tuple(
                _score(value, allowed, field) for field, value in zip(field_names, scores)))
        for name, field in (("vac", "analContraction"), ("dap", "analSensation")):
            value = getattr(self, name)
            text = value.strip() if isinstance(value, str) else value
            match = next((choice for choice in _ANAL_VALUES if isinstance(text, str) and text.lower() == choice.lower()), None)
            if match is None:
                raise InvalidExamError(field, value, "Yes, No or NT")
            object.__setattr__(self, name, match)
        for side in SIDES:
            name = f"{side}_non_key"
            value = getattr(self, name)
            if isinstance(value, str) and value.strip() in ("", "None"):
                value = None
            if value is not None:
                value = value.strip().upper().replace("S4-5", "S4_5") if isinstance(value, str) else value
                if value not in _INDEX or value == "S4_5":
                    raise InvalidExamError(f"{side}LowestNonKeyMuscleWithMotorFunction", getattr(self, name),
                                           "a segment C1 to S3, or nothing")
            object.__setattr__(self, name, value)
        if self.id is not None and not isinstance(self.id, str):
            object.__setattr__(self, "id", str(self.id))

    @classmethod
    def normal(cls, id: str | None = None) -> Exam:
        """The examination with every score normal, VAC and DAP present."""
        return cls(("5",) * 10, ("5",) * 10, ("2",) * 28, ("2",) * 28, ("2",) * 28, ("2",) * 28, "Yes", "Yes", id=id)

    def replace(self, **changes: Any) -> Exam:
        """A copy with some fields changed (checked like a new exam)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return type(self)(**values)

    def motor(self, side: str, level: str) -> str:
        """The motor score of the key muscle of ``level`` (``"C6"``) on ``side``."""
        return getattr(self, f"{side}_motor")[MOTOR_LEVELS.index(level)]

    def touch(self, side: str, level: str) -> str:
        """The light touch score at the key point of ``level`` on ``side``."""
        return getattr(self, f"{side}_touch")[SENSORY_LEVELS.index(level)]

    def prick(self, side: str, level: str) -> str:
        """The pin prick score at the key point of ``level`` on ``side``."""
        return getattr(self, f"{side}_prick")[SENSORY_LEVELS.index(level)]

    def swap_sides(self) -> Exam:
        """The same examination with right and left exchanged."""
        return type(self)(self.left_motor, self.right_motor, self.left_touch, self.right_touch, self.left_prick,
                          self.right_prick, self.vac, self.dap, self.left_non_key, self.right_non_key, self.id)

    @classmethod
    def from_dict(cls, record: Any) -> Exam:
        """An exam from the flat record of the reference cases (keys as in :data:`FIELDS`).

        Keys outside the record (``comments``, ``totals``, ...) are ignored; a missing score is
        refused with its name.

        Examples
        --------
        >>> Exam.from_dict(Exam.normal().to_dict()) == Exam.normal()
        True
        """
        if not isinstance(record, dict):
            raise InvalidExamError("exam", type(record).__name__, "an object of ISNCSCI fields")
        if not _REQUIRED <= record.keys():
            raise InvalidExamError(next(name for name in FIELDS if name in _REQUIRED and name not in record), None, None)
        values: dict[str, Any] = {
            attribute: tuple(map(record.__getitem__, names)) for attribute, names in _RECORD_NAMES.items()
        }
        for side in SIDES:
            values[f"{side}_non_key"] = record.get(f"{side}LowestNonKeyMuscleWithMotorFunction")
        identifier = record.get("id")
        return cls(vac=record["analContraction"], dap=record["analSensation"],
                   id=None if identifier in (None, "") else str(identifier), **values)

    def to_dict(self) -> dict[str, Any]:
        """The flat record of the reference cases (and of a CSV row), with ``id`` when set."""
        record = {} if self.id is None else {"id": self.id}
        for attribute, names in _RECORD_NAMES.items():
            record.update(zip(names, getattr(self, attribute)))
        record["analContraction"], record["analSensation"] = self.vac, self.dap
        for side in SIDES:
            if getattr(self, f"{side}_non_key") is not None:
                record[f"{side}LowestNonKeyMuscleWithMotorFunction"] = getattr(self, f"{side}_non_key")
        return record


# "Any function" (score above 0), as {present: flagged, absent: flagged}, for sacral sparing and
# the zones of partial preservation; a 0* may hide function the other condition masks.
_FUNCTION = {"0": {"absent": False}, "NT": {"absent": False, "present": False},
             "NT*": {"absent": False, "present": False}, "NT**": {"present": True},
             "0*": {"absent": True, "present": True}}
for _grade in "12345":
    _FUNCTION[_grade] = _FUNCTION[_grade + "*"] = {"present": False}
for _grade in "01234":
    _FUNCTION[_grade + "**"] = {"present": True}
del _grade
# a key muscle not testable but to be taken as normal (NT**) is normal outright, as for the levels
_MOTOR_FUNCTION = {**{value: _FUNCTION[value] for value in _MOTOR}, "NT**": {"present": False}}
# telling AIS B from C, a 0* below the level may be read as spared function unflagged
_SPARED = {**_MOTOR_FUNCTION, "0*": {"present": False, "absent": True}}
_ANAL = {"Yes": {"present": False}, "No": {"absent": False}, "NT": {"present": False, "absent": False}}


def _add(found, index, flagged):
    """Record a possible value; it is flagged only if every way to reach it is."""
    found[index] = found.get(index, True) and flagged


# How a level index is written: -1 for a zone not applicable, S4-5 as intact.
_LEVEL_NAMES = {-1: "NA", **dict(enumerate(LEVELS[:-1])), _INTACT: "INT"}


def _format(found, names=_LEVEL_NAMES):
    """``{index: flagged}`` as the standard writes it: ``"NA,C5,C6*"``."""
    return ",".join([names[index] + "*" if found[index] else names[index] for index in sorted(found)])


def _dermatome(touch, prick):
    """A key point as (flag of being normal or None if it cannot be, flag of not being or None).

    A point left open by a plain NT stays unflagged either way: the flag is kept for results
    that rest on a flagged score alone.
    """
    absent = [classes["absent"] for classes in (touch, prick) if "absent" in classes]
    absent = min(absent) if absent else None
    if "normal" not in touch or "normal" not in prick:
        return None, absent
    return (touch["normal"] or prick["normal"]) and absent is None, absent


def _by_segment(key_muscle_values):
    """The ten key muscles' values as a list by segment index, None where there is no key
    muscle (one longer than the segments, so that the segment below S4-5 reads None too)."""
    values = [None] * (_INTACT + 2)
    for index, value in zip(_MOTOR_INDEX, key_muscle_values):
        values[index] = value
    return values


class _Side:
    """One side's scores as the classification reads them, made once per exam."""

    __slots__ = ("scores", "motor", "motor_function", "spared", "pairs", "dermatomes", "sacral", "non_key", "totals")

    def __init__(self, motor, touch, prick, non_key):
        self.scores = motor
        self.motor = _by_segment(map(_MOTOR.__getitem__, motor))
        self.motor_function = _by_segment(map(_MOTOR_FUNCTION.__getitem__, motor))
        self.spared = _by_segment(map(_SPARED.__getitem__, motor))
        self.pairs = pairs = list(zip(touch, prick))
        self.dermatomes = [None, *map(_DERMATOME.__getitem__, pairs)]
        self.sacral = (_FUNCTION[touch[-1]], _FUNCTION[prick[-1]])
        self.non_key = None if non_key is None else _INDEX[non_key]
        self.totals = (_total(motor[:5]), _total(motor[5:]), _total(touch), _total(prick))

    def sensory_levels(self):
        found, flagged = {}, False
        for index in range(1, 29):
            normal, absent = self.dermatomes[index]
            if absent is not None:
                _add(found, index - 1, flagged or absent)
            if normal is None:
                return found
            flagged = flagged or normal
        _add(found, _INTACT, flagged)
        return found

    def motor_levels(self, vac):
        """The possible motor levels, and the same with the flags a motor ZPP inherits.

        Key muscles speak for their own segments; between them (C1-C4, T2-L1, S2-S4/5) the
        motor level follows the sensory level, so leaving a run of key muscles for a segment
        without one asks every dermatome passed over since the last such check to be normal
        too. Anal contraction stands for S4-5. A level that rests on an NT* key point being
        abnormal is flagged, but the zone below it is not: it starts there either way.
        """
        found, zone, flagged, checked = {}, {}, False, 0
        for index in range(_INTACT + 1):
            muscle = self.motor[index]
            if muscle is not None:
                if "mid" in muscle:
                    _add(found, index, flagged or muscle["mid"])
                    _add(zone, index, flagged or muscle["mid"])
                if "full" not in muscle:
                    return found, zone
                flagged = flagged or muscle["full"]
            if index == _INTACT:
                _add(found, _INTACT, flagged)
                _add(zone, _INTACT, flagged)
                return found, zone
            below = self.motor[index + 1]
            if below is not None:
                if "low" in below:
                    _add(found, index, flagged or below["low"])
                    _add(zone, index, flagged)
                if "mid" not in below and "full" not in below:
                    return found, zone
                continue
            passed = self.dermatomes[checked + 1:index + 2]
            checked = index + 1
            if index + 1 == _INTACT:
                passed.append((vac.get("present"), vac.get("absent")))
            absent, blocked, assumed = None, False, False
            for normal, absent_flag in passed:
                if absent_flag is not None:
                    absent = absent_flag if absent is None else absent and absent_flag
                if normal is None:
                    blocked = True
                else:
                    assumed = assumed or normal
            if absent is not None:
                _add(found, index, flagged or absent)
                _add(zone, index, flagged)
            if blocked:
                return found, zone
            flagged = flagged or assumed
        return found, zone


def _motor_level_may_stop(muscle, below):
    """Whether one side's motor level may be the segment of ``muscle`` (3-4 there, or the next
    key muscle, ``below``, under 3)."""
    return "mid" in muscle or (below is not None and "low" in below)


def _neurological_levels(sides):
    """The most caudal segment with normal sensation and antigravity key muscles on both sides,
    all segments above being normal (the levels of the two sides read together, not apart).

    Unlike the motor level, the NLI does not look at anal contraction: intact sensation and
    key muscles give ``INT``.
    """
    right, left = sides
    found, flagged = {}, False
    for index in range(_INTACT + 1):
        muscle = right.motor[index]
        if muscle is not None:
            other = left.motor[index]
            if ("mid" in muscle or "full" in muscle) and ("mid" in other or "full" in other) and (
                    "mid" in muscle or "mid" in other):
                # the key muscles' flags count only where both motor levels may lie here
                # (module notes, "How flags reach a result")
                if _motor_level_may_stop(muscle, right.motor[index + 1]) and _motor_level_may_stop(
                        other, left.motor[index + 1]):
                    _add(found, index, flagged or muscle.get("mid", muscle.get("full")) or other.get("mid", other.get("full")))
                else:
                    _add(found, index, flagged)
            if "full" not in muscle or "full" not in other:
                return found
            flagged = flagged or muscle["full"] or other["full"]
        if index == _INTACT:
            _add(found, _INTACT, flagged)
            return found
        (normal, absent), (other_normal, other_absent) = right.dermatomes[index + 1], left.dermatomes[index + 1]
        absent = [flag for flag in (absent, other_absent) if flag is not None]
        below = right.motor[index + 1]
        if below is not None:
            other = left.motor[index + 1]
            absent += [classes["low"] for classes in (below, other) if "low" in classes]
        if absent:
            _add(found, index, flagged or min(absent))
        if normal is None or other_normal is None:
            return found
        if below is not None and not (("mid" in below or "full" in below) and ("mid" in other or "full" in other)):
            return found
        flagged = flagged or normal or other_normal
    return found


def _total(values):
    """The sum of the scores (a flagged score counts as scored), None if any is NT."""
    total = sum(map(_NUMBER.__getitem__, values))
    return None if total >= _NOT_TESTED else total


# NT counts as a number no sum of real scores reaches, so one pass finds both.
_NOT_TESTED = 10_000
_NUMBER = {value: _NOT_TESTED if value.startswith("NT") else int(value[0]) for value in _MOTOR}


def _zone(levels, function, non_key=None, level_flags=True):
    """Every zone of partial preservation the levels and scores allow, ``{index: flagged}``.

    For each possible level, the zone ends at the most caudal segment below it with function
    (``function[index]`` gives that segment's {present, absent} classes), or at the level.
    A non-key muscle counts only more than three levels below the level, where the standard
    uses it (to tell AIS B from C). A motor zone carries the flag of its motor level; a
    sensory zone carries the flag of any flagged score passed over on the way up to it.
    """
    # One scan up from S3 serves every level: the segments that may have function, up to the
    # first that surely has, each with its flag and the flags passed so far.
    scanned, passed, surely = [], False, -1
    for index in range(_INTACT - 1, 0, -1):
        classes = function[index]
        if classes and "present" in classes:
            if not level_flags:
                passed = passed or classes["present"]
            scanned.append((index, passed or classes["present"], passed))
            if "absent" not in classes:
                surely = index
                break
    found, deepest = {}, {}
    for level, flagged in levels.items():
        if level == _INTACT:
            continue
        stop = surely
        if non_key is not None and non_key > level + 3 and non_key > surely:
            stop = non_key
            _add(found, non_key, False)
        deepest[stop] = min(deepest.get(stop, _INTACT), level)
        if stop <= level:
            _add(found, level, flagged if level_flags else _passed_below(scanned, level))
    # each level's zone holds the scanned segments below it; their union is the longest run
    for stop, level in deepest.items():
        for index, entry_flag, _ in scanned:
            if index <= level or index < stop:
                break
            _add(found, index, entry_flag)
    return found


def _passed_below(scanned, level):
    """A sensory zone's own flag: that of any flagged score passed on the way up to just below
    ``level`` (``scanned`` runs from S3 upwards)."""
    flagged = False
    for index, _, passed in scanned:
        if index <= level:
            break
        flagged = passed
    return flagged


def _sensation(lt, pp):
    """Light touch or pin prick present at a dermatome, as {present, absent} classes."""
    classes = {}
    if "present" in lt or "present" in pp:
        classes["present"] = lt.get("present", True) and pp.get("present", True)
    if "absent" in lt and "absent" in pp:
        classes["absent"] = False
    return classes


# Every pair of light touch and pin prick scores, read once.
_DERMATOME = {(lt, pp): _dermatome(_SENSORY[lt], _SENSORY[pp]) for lt in _SENSORY for pp in _SENSORY}
_SENSATION = {(lt, pp): _sensation(_FUNCTION[lt], _FUNCTION[pp]) for lt in _SENSORY for pp in _SENSORY}


def _sensory_zpp(side, levels, dap):
    """Applicable on a side only without DAP and without light touch and pin prick at S4-5 there."""
    found = {}
    if "present" in dap or any("present" in score for score in side.sacral):
        _add(found, -1, False)
    if "absent" in dap and all("absent" in score for score in side.sacral):
        sensation = [None, *map(_SENSATION.__getitem__, side.pairs[:-1])]
        found.update(_zone(levels, sensation, level_flags=False))
    return found


def _motor_zpp(side, levels, vac, sensory_incomplete):
    """Applicable on both sides without voluntary anal contraction."""
    found = {}
    if "present" in vac:
        _add(found, -1, False)
    if "absent" in vac:
        found.update(_zone(levels, side.motor_function, side.non_key if sensory_incomplete else None))
    return found


def _any_present(items):
    """The flag of the least assuming way for any of the items to be present, or None."""
    flags = [item["present"] for item in items if "present" in item]
    return min(flags) if flags else None


def _motor_below(side, level):
    """Flags of (motor function more than three levels below ``level``, none there); None: cannot."""
    below = [side.spared[index] for index in _MOTOR_INDEX if index > level + 3]
    if side.non_key is not None and side.non_key > level + 3:
        return False, None
    some = _any_present(below)
    none = any(classes["absent"] for classes in below) if all("absent" in classes for classes in below) else None
    return some, none


def _grades(sides, motor, nli, vac, complete, sensory_incomplete):
    """The AIS grades A-D the exam allows, ``{0..3: flagged}`` (E is added by the caller).

    A: complete. B: sensory incomplete, and motor complete: no anal contraction and, on each
    side, no motor function (key or non-key muscle) more than three levels below the motor
    level. C and D: motor incomplete (anal contraction, or sensory incomplete with such motor
    function on either side), with fewer than half (C) or at least half (D) of the key muscles
    below the NLI at grade 3 or more. How the flags of C and D are found: module notes.
    """
    ais = {}
    if 0 in complete:
        _add(ais, 0, complete[0])
    spared = None
    if sensory_incomplete is not None:
        below = [[_motor_below(side, level) for level in levels] for side, levels in zip(sides, motor)]
        if "absent" in vac:
            complete_below = [[none for _, none in side if none is not None] for side in below]
            if all(complete_below):
                _add(ais, 1, sensory_incomplete or any(min(flags) for flags in complete_below))
        some = [flag for side in below for flag, _ in side if flag is not None]
        spared = sensory_incomplete or min(some) if some else None
    counts = None
    for level in nli:
        if level == _INTACT:
            continue
        # motor incomplete by anal contraction rests on the NLI; by sparing, on the function below
        routes = [flag for flag in (vac["present"] or nli[level] if "present" in vac else None,
                                    spared if "absent" in vac else None)
                  if flag is not None]
        if not routes:
            break
        motor_incomplete = min(routes)
        counts = counts or _counts_below(sides)
        muscles, below, below_unflagged, at_least, at_least_unflagged = counts[bisect_right(_MOTOR_INDEX, level)]
        if 2 * below > muscles and 2 not in ais:  # C is judged at the most rostral NLI allowing it
            _add(ais, 2, motor_incomplete or 2 * below_unflagged <= muscles)
        if 2 * at_least >= muscles:
            _add(ais, 3, motor_incomplete or 2 * at_least_unflagged < muscles)
    return ais


# Whether a key muscle may stand below grade 3 or at 3 or more, for telling AIS C from D,
# as {reading: flagged} (module notes, "Key muscles counted for AIS C and D").
_GRADE_THREE = {"NT": {"below": False, "at_least": False}, "NT*": {"below": False, "at_least": False},
                "NT**": {"at_least": False}}
for _grade in "012":
    _GRADE_THREE[_grade] = {"below": False}
    _GRADE_THREE[_grade + "*"] = {"below": True, "at_least": True}
    _GRADE_THREE[_grade + "**"] = {"at_least": True}
for _grade in ("3", "4", "5", "3*", "4*", "3**", "4**"):
    _GRADE_THREE[_grade] = {"at_least": False}
del _grade


def _counts_below(sides):
    """For each key muscle position, counts over the key muscles from there down, both sides:
    (muscles, maybe below 3, below 3 unflagged, maybe 3 or more, 3 or more unflagged)."""
    counts = [(0, 0, 0, 0, 0)]
    for index in reversed(range(len(_MOTOR_INDEX))):
        muscles, below, below_unflagged, at_least, at_least_unflagged = counts[-1]
        for side in sides:
            classes = _GRADE_THREE[side.scores[index]]
            muscles += 1
            below += "below" in classes
            below_unflagged += classes.get("below") is False
            at_least += "at_least" in classes
            at_least_unflagged += classes.get("at_least") is False
        counts.append((muscles, below, below_unflagged, at_least, at_least_unflagged))
    return counts[::-1]


@dataclass(frozen=True)
class Classification:
    """The ISNCSCI classification of one exam; every field as the standard writes it.

    Levels and grades list every value the scores allow, comma-separated (``"C5,C6"``); a
    trailing ``*`` marks a value that rests on a score flagged as impaired by another condition.
    Totals are numbers, or None when a score in them was not testable (``ND``).
    """

    right_sensory: str
    left_sensory: str
    right_motor: str
    left_motor: str
    neurological_level: str
    complete: str
    ais: str
    right_sensory_zpp: str
    left_sensory_zpp: str
    right_motor_zpp: str
    left_motor_zpp: str
    right_upper_motor_total: int | None
    left_upper_motor_total: int | None
    right_lower_motor_total: int | None
    left_lower_motor_total: int | None
    right_touch_total: int | None
    left_touch_total: int | None
    right_prick_total: int | None
    left_prick_total: int | None
    id: str | None = None

    @property
    def totals(self) -> dict[str, int | None]:
        """Every score total by its reference name (``upperMotorTotal``), None when not determinable."""
        def total(*parts: int | None) -> int | None:
            known = [part for part in parts if part is not None]
            return sum(known) if len(known) == len(parts) else None

        right_motor = total(self.right_upper_motor_total, self.right_lower_motor_total)
        left_motor = total(self.left_upper_motor_total, self.left_lower_motor_total)
        return {
            "rightUpperMotorTotal": self.right_upper_motor_total, "leftUpperMotorTotal": self.left_upper_motor_total,
            "rightLowerMotorTotal": self.right_lower_motor_total, "leftLowerMotorTotal": self.left_lower_motor_total,
            "rightTouchTotal": self.right_touch_total, "leftTouchTotal": self.left_touch_total,
            "rightPrickTotal": self.right_prick_total, "leftPrickTotal": self.left_prick_total,
            "rightMotorTotal": right_motor, "leftMotorTotal": left_motor,
            "upperMotorTotal": total(self.right_upper_motor_total, self.left_upper_motor_total),
            "lowerMotorTotal": total(self.right_lower_motor_total, self.left_lower_motor_total),
            "touchTotal": total(self.right_touch_total, self.left_touch_total),
            "prickTotal": total(self.right_prick_total, self.left_prick_total),
        }

    def to_dict(self) -> dict[str, Any]:
        """The classification in the reference cases' ``totals`` shape: every value a string,
        a total that cannot be determined ``"ND"``; ``id`` first when the exam had one.

        Examples
        --------
        >>> classify(Exam.normal()).to_dict()["upperMotorTotal"]
        '50'
        """
        record = {} if self.id is None else {"id": self.id}
        record.update({name: "ND" if value is None else str(value) for name, value in self.totals.items()})
        record.update({name: getattr(self, attribute) for name, attribute in _RESULT_FIELDS.items()})
        return record

    def to_table(self) -> Table:
        """Field and value rows (a pandas DataFrame when pandas is installed)."""

        return table({"field": name, "value": value} for name, value in self.to_dict().items())

    def __str__(self):
        """The classification as the worksheet's summary box reads."""
        return "\n".join(f"{label:<30}{value}" for label, value in self.summary_rows())

    def summary_rows(self) -> list[tuple[str, str]]:
        """(label, value) rows of the worksheet's classification box, in its order."""
        totals = {name: "ND" if value is None else str(value) for name, value in self.totals.items()}
        return [
            ("Right sensory level", self.right_sensory), ("Left sensory level", self.left_sensory),
            ("Right motor level", self.right_motor), ("Left motor level", self.left_motor),
            ("Neurological level (NLI)", self.neurological_level),
            ("Complete or incomplete", self.complete),
            ("AIS grade", self.ais),
            ("Right sensory ZPP", self.right_sensory_zpp), ("Left sensory ZPP", self.left_sensory_zpp),
            ("Right motor ZPP", self.right_motor_zpp), ("Left motor ZPP", self.left_motor_zpp),
            ("Motor total (upper, lower)", f"{totals['upperMotorTotal']}, {totals['lowerMotorTotal']}"),
            ("Light touch, pin prick total", f"{totals['touchTotal']}, {totals['prickTotal']}"),
        ]


#: The classification's reference names and attributes (levels, grades, zones).
_RESULT_FIELDS = {
    "rightSensory": "right_sensory", "leftSensory": "left_sensory", "rightMotor": "right_motor",
    "leftMotor": "left_motor", "neurologicalLevelOfInjury": "neurological_level", "injuryComplete": "complete",
    "asiaImpairmentScale": "ais", "rightSensoryZpp": "right_sensory_zpp", "leftSensoryZpp": "left_sensory_zpp",
    "rightMotorZpp": "right_motor_zpp", "leftMotorZpp": "left_motor_zpp",
}
#: Every name of a classification record (:meth:`Classification.to_dict`, a CSV row), in order.
RESULT_NAMES = (
    "rightUpperMotorTotal", "leftUpperMotorTotal", "rightLowerMotorTotal", "leftLowerMotorTotal",
    "rightTouchTotal", "leftTouchTotal", "rightPrickTotal", "leftPrickTotal", "rightMotorTotal", "leftMotorTotal",
    "upperMotorTotal", "lowerMotorTotal", "touchTotal", "prickTotal", *_RESULT_FIELDS,
)


def classify(exam: Exam) -> Classification:
    """Classify an :class:`Exam` by the 2019 International Standards.

    Parameters
    ----------
    exam : Exam

    Returns
    -------
    Classification

    Examples
    --------
    >>> exam = Exam.normal().replace(vac="No", dap="No", right_motor=("5", "5", "2", "0", "0") + ("0",) * 5)
    >>> classify(exam).right_motor
    'C6'
    """
    if not isinstance(exam, Exam):
        raise InvalidExamError("exam", type(exam).__name__, "an isncsci.Exam")
    sides = (_Side(exam.right_motor, exam.right_touch, exam.right_prick, exam.right_non_key),
             _Side(exam.left_motor, exam.left_touch, exam.left_prick, exam.left_non_key))
    sensory = [side.sensory_levels() for side in sides]
    vac, dap = _ANAL[exam.vac], _ANAL[exam.dap]
    motor, motor_zone = zip(*(side.motor_levels(vac) for side in sides))
    nli = _neurological_levels(sides)
    # complete: no sacral sparing at all (no anal contraction, no deep anal pressure, no light
    # touch or pin prick at S4-5 on either side); sensory incomplete: any sacral sensation
    sacral_sensation = [dap, *sides[0].sacral, *sides[1].sacral]
    complete: dict[int, bool] = {}
    if "absent" in vac and all("absent" in item for item in sacral_sensation):
        _add(complete, 0, any(item["absent"] for item in [vac, *sacral_sensation]))
    incomplete = _any_present([vac, *sacral_sensation])
    if incomplete is not None:
        _add(complete, 1, incomplete)
    sensory_incomplete = _any_present(sacral_sensation)
    ais = _grades(sides, motor, nli, vac, complete, sensory_incomplete)
    # E: every sensory and motor function normal, anal contraction included
    if all(_INTACT in levels for levels in sensory + list(motor)):
        _add(ais, 4, any(levels[_INTACT] for levels in sensory + list(motor)))
    right, left = sides
    return Classification(
        right_sensory=_format(sensory[0]), left_sensory=_format(sensory[1]),
        right_motor=_format(motor[0]), left_motor=_format(motor[1]),
        neurological_level=_format(nli), complete=_format(complete, "CI"), ais=_format(ais, "ABCDE"),
        right_sensory_zpp=_format(_sensory_zpp(right, sensory[0], dap)),
        left_sensory_zpp=_format(_sensory_zpp(left, sensory[1], dap)),
        right_motor_zpp=_format(_motor_zpp(right, motor_zone[0], vac, sensory_incomplete is not None)),
        left_motor_zpp=_format(_motor_zpp(left, motor_zone[1], vac, sensory_incomplete is not None)),
        right_upper_motor_total=right.totals[0], left_upper_motor_total=left.totals[0],
        right_lower_motor_total=right.totals[1], left_lower_motor_total=left.totals[1],
        right_touch_total=right.totals[2], left_touch_total=left.totals[2],
        right_prick_total=right.totals[3], left_prick_total=left.totals[3],
        id=exam.id,
    )


def read_exams(path: str | os.PathLike[str]) -> list[Exam]:
    """Every exam in a JSON file (one record or a list of them) or a CSV file (one a row).

    The CSV has a header row of :data:`FIELDS` names (``c2RightTouch`` ... ``s1LeftMotor``,
    ``analContraction``, ``analSensation``, the two optional non-key muscle columns) and an
    optional ``id`` column; other columns are ignored. Only a regular file of at most
    :data:`MAX_EXAM_FILE_BYTES` is read (a FIFO, a device or a directory is refused unread).

    Raises
    ------
    InvalidExamError
        Naming the field and the record (``case 3`` in JSON, ``row 3`` in CSV, ``the header``).
    NeurographError
        When the file cannot be read, is not a regular file, is too large, or is not JSON or
        CSV of exams (naming the file and the problem).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     cohort = pathlib.Path(folder) / "cohort.csv"
    ...     _ = cohort.write_text(",".join(FIELDS) + "\\n" + ",".join(Exam.normal().to_dict().values()) + "\\n")
    ...     [classify(exam).ais for exam in read_exams(cohort)]
    ['E']
    """
    from pathlib import Path

    from neurograph.files import read_regular_file

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        raise NeurographError(f"{path}: an ISNCSCI exam file must be .json or .csv")
    payload = read_regular_file(path, MAX_EXAM_FILE_BYTES, "ISNCSCI exams")
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NeurographError(f"{path}: ISNCSCI exams are not UTF-8 text (byte {error.start})") from None
    del payload
    with _collection_paused():
        exams = _exams_from_json(path, text) if suffix == ".json" else _exams_from_csv(path, text)
    if not exams:
        raise NeurographError(f"{path}: no exams")
    return exams


#: ISNCSCI exam files larger than this are refused unread. A CSV row of one exam takes about
#: 300 bytes (a cohort of 10,000 about 3 MB) and a JSON record about 3 kB, so this holds a
#: cohort of about 50,000 exams as CSV or 5,000 as JSON, while the most wasteful file of this
#: size (millions of empty records) is read within a few hundred megabytes.
MAX_EXAM_FILE_BYTES = 16 * 1024 * 1024


@contextmanager
def _collection_paused():
    """Pause the cyclic garbage collector while a file's records are made.

    Parsed records and exams hold no reference cycles, but every container made counts toward
    the next collection, and each collection walks the containers made so far: a file of
    millions of small lists or objects took several times as long with it running.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _exams_from_json(path, text):
    import json

    try:
        records = json.loads(text)
    except RecursionError:
        raise NeurographError(f"{path}: ISNCSCI exams are nested too deeply to be exam records") from None
    except ValueError as error:
        raise NeurographError(f"{path}: not valid JSON ({error})") from None
    records, unit = ([records], "the exam") if isinstance(records, dict) else (records, "case")
    if not isinstance(records, list):
        raise NeurographError(f"{path}: expected an exam object or a list of them, not {type(records).__name__}")
    exams = []
    for number, record in enumerate(records, start=1):
        try:
            exams.append(Exam.from_dict(record))
        except InvalidExamError as error:
            where = unit if unit == "the exam" else f"{unit} {number}"
            raise InvalidExamError(error.field, error.value, error.expected, where=where) from None
    return exams


def _exams_from_csv(path, text):
    """One exam a row, each score taken by its column's position (no record built per row)."""
    import csv
    from operator import itemgetter

    rows = csv.reader(text.splitlines())
    try:
        header = next(rows, [])
        column = {name: position for position, name in enumerate(header)}
        missing = next((name for name in FIELDS if name in _REQUIRED and name not in column), None)
        if missing is not None:
            raise InvalidExamError(missing, None, None, where="the header")
        scores = {attribute: itemgetter(*map(column.__getitem__, names)) for attribute, names in _RECORD_NAMES.items()}
        others = [column.get(name) for name in ("analContraction", "analSensation", *_NON_KEY_NAMES, "id")]
        width = max(column[name] for name in FIELDS if name in _REQUIRED) + 1
        exams = []
        for number, row in enumerate(rows, start=1):
            if not row:
                continue
            try:
                if len(row) < width:
                    short = next(name for name in FIELDS if name in _REQUIRED and column[name] >= len(row))
                    raise InvalidExamError(short, None, None)
                vac, dap, right_non_key, left_non_key, identifier = (
                    None if position is None or position >= len(row) else row[position] for position in others)
                exams.append(Exam(vac=vac, dap=dap, right_non_key=right_non_key, left_non_key=left_non_key,
                                  id=identifier or None, **{attribute: take(row) for attribute, take in scores.items()}))
            except InvalidExamError as error:
                raise InvalidExamError(error.field, error.value, error.expected, where=f"row {number}") from None
    except csv.Error as error:
        raise NeurographError(f"{path}: not valid CSV ({error}, line {rows.line_num})") from None
    return exams


def classifications_csv(classifications: Iterable[Classification]) -> str:
    """The classifications as CSV text, one row each: ``id`` then the reference's result names.

    Examples
    --------
    >>> print(classifications_csv([classify(Exam.normal(id="p1"))]).splitlines()[1][:22])
    p1,25,25,25,25,56,56,5
    """
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", *RESULT_NAMES])
    for result in classifications:
        record = result.to_dict()
        writer.writerow([result.id or "", *map(record.__getitem__, RESULT_NAMES)])
    return buffer.getvalue()


# -- The examination a simulated lesion gives -------------------------------------------------

#: How a simulated lesion is scored at each key level (the one place this rule lives).
#:
#: Which muscles: the anatomy marks each muscle that performs a key level's test movement with
#: ``isncsci_level`` (data/sources/muscles, cited there): C5 elbow flexors (biceps, brachialis),
#: C6 wrist extensors (ECRL, ECRB), C7 elbow extensors (triceps), C8 finger flexors (FDP to the
#: middle finger, here its index part), T1 finger abductors (abductor digiti minimi), L2 hip
#: flexors (iliopsoas), L3 knee extensors (quadriceps), L4 ankle dorsiflexors (tibialis
#: anterior), L5 long toe extensors (EHL), S1 ankle plantar flexors (gastrocnemius, soleus), as
#: the International Standards list them (Rupp et al. 2021, the worksheet's key muscles).
#:
#: How a group scores, two rules:
#:
#: 1. The standard grades the *movement*, and a movement is as strong as its strongest agonist:
#:    the group scores its strongest member. This meets the first convention, that a complete C8
#:    lesion leaves the motor level at C7: ECRB (segments from Kendall, C6-C7 with minor C5 and
#:    C8 shares; it has no MRC 2010 row) loses its C8 share and drops to 4, but ECRL (MRC 2010:
#:    C5-C6) stays at 5, so wrist extension is 5 and C6 does not stop the motor level.
#: 2. The standard reads a key muscle at grade 3 or more as intact innervation of the segment it
#:    stands for, the more rostral of the (two) segments it assumes for that muscle (Rupp et al.
#:    2021, motor level definition). Drive from segments rostral to that one is therefore not
#:    counted: the muscle is graded (``mrc_grade``, the engine's scale) from the drive its
#:    segments at and below the key level keep, weighted as the engine weighs them. This meets
#:    the second convention, that a complete T1 lesion gives motor level C8: abductor digiti
#:    minimi (MRC 2010: C8, T1) keeps half its drive from C8 and would grade 3, but from T1 alone
#:    it grades 0. A key score is never above the muscle's own grade, and never rises when a
#:    lesion grows.
#:
#: Voluntary anal contraction tests the voluntary contraction of the external anal sphincter
#: (Rupp et al. 2021, the anorectal examination): ``Yes`` when the simulated sphincter keeps any
#: voluntary drive on either side (MRC 1 or more, a drive that reaches it through an intact
#: upper and lower motor neuron route), ``No`` when it keeps none, ``NT`` for an anatomy without
#: that muscle (:data:`ANAL_SPHINCTER`).
#:
#: How sensation is scored from a simulated lesion: light touch and pin prick at each key point
#: are the engine's grades there (0 absent, 1 altered, 2 normal); deep anal pressure is felt
#: (``Yes``) while either S4-5 key point keeps some light touch, whose fibres share the pudendal
#: nerve, the S4 dorsal root and the cord with it. A result simulated without sensation, or an
#: anatomy without key points, leaves them NT. No non-key muscle is recorded.
KEY_MUSCLE_RULE = "strongest member of each key group, drive from segments rostral to the key level not counted"


#: The muscle whose voluntary contraction VAC tests, as the anatomy names it.
ANAL_SPHINCTER = "external anal sphincter"


def exam_from_result(result: Any) -> Exam:
    """The ISNCSCI exam a simulated lesion gives: key muscle scores and VAC from its motor grades,
    light touch, pin prick and DAP from its sensory grades.

    See :data:`KEY_MUSCLE_RULE` for how each key level and VAC are scored, and the note above
    it for sensation.

    Parameters
    ----------
    result : neurograph.results.LesionResult

    Returns
    -------
    Exam
        With ``id`` set to the lesion's label.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> exam = exam_from_result(neurograph.simulate(G, "C7"))
    >>> exam.right_motor[:5], exam.vac     # the cord lesion cuts the drive to the sphincter
    (('5', '5', '0', '0', '0'), 'No')
    >>> exam.touch("right", "C6"), exam.touch("right", "C7"), exam.dap
    ('2', '0', 'No')
    >>> classify(exam).neurological_level, classify(exam).ais
    ('C6', 'A')
    """
    from neurograph.engine import mrc_grade
    from neurograph.routes import route_table
    from neurograph.schema import segment_index

    if not all(hasattr(result, name) for name in ("graph", "deficits", "explanation", "lesion_label")):
        raise InvalidValueError("lesion result", type(result).__name__, "the result of neurograph.simulate")
    G = result.graph
    affected = {row[0]: row for row in result.deficits}
    scores: dict[tuple[str, str], int] = {}
    for node, info in route_table(G).muscles.items():
        level = G.nodes[node].get("isncsci_level")
        if level not in _MOTOR_INDEX_BY_LEVEL:
            continue
        row = affected.get(node)
        grade = 5 if row is None else row[2]
        if grade and row is not None and segment_index(info.segments[0]) < segment_index(level):
            # the drive of the key level's segment and those below it, as the engine weighs them
            counted = [(weight, kept) for segment, weight, kept in result.explanation.segment_drive(node)
                       if segment_index(segment) >= segment_index(level)]
            total = sum(weight for weight, _ in counted)
            if total:
                grade = min(grade, mrc_grade(round(sum(weight * kept for weight, kept in counted) / total, 12)))
        key = (info.side, level)
        scores[key] = max(scores.get(key, 0), grade)
    motor = {side: tuple(str(scores[(side[0].upper(), level)]) if (side[0].upper(), level) in scores else "NT"
                         for level in MOTOR_LEVELS) for side in SIDES}
    touch, prick, dap = _sensory_scores(result)
    return Exam(motor["right"], motor["left"], touch["R"], touch["L"], prick["R"], prick["L"],
                _voluntary_anal_contraction(G, affected), dap, id=result.lesion_label)


def _sensory_scores(result):
    """Light touch and pin prick per side at the 28 key points, and DAP, from the sensory grades."""
    graded = {finding.place: finding for finding in result.sensation}
    key_points = {}
    if result.sensory_levels:
        for node, data in result.graph.nodes(data=True):
            if data.get("kind") == "skin" and data.get("isncsci_level"):
                key_points[(data["side"], data["isncsci_level"].replace("-", "_"))] = node
    touch, prick = {}, {}
    for side in ("R", "L"):
        nodes = [key_points.get((side, level)) for level in SENSORY_LEVELS]
        findings = [graded.get(node) for node in nodes]
        touch[side] = tuple(
            "NT" if node is None else str(finding.light_touch if finding else 2) for node, finding in zip(nodes, findings)
        )
        prick[side] = tuple(
            "NT" if node is None else str(finding.pin_prick if finding else 2) for node, finding in zip(nodes, findings)
        )
    # DAP tests deep sensation of the anorectal wall, which the S4-5 fibres of the pudendal nerve
    # carry (ISNCSCI 2019; Rupp et al. 2021): the model has no separate deep-pressure place, so DAP
    # is present when either side's S4-5 key point keeps any light touch (its sensation reaches
    # the cortex by either tract). This is the model's reading, not a rule of the standard.
    sacral = [touch[side][-1] for side in ("R", "L") if touch[side][-1] != "NT"]
    dap = "NT" if not sacral else ("Yes" if any(score != "0" for score in sacral) else "No")
    return touch, prick, dap


def _voluntary_anal_contraction(G, affected):
    """``Yes`` if either side of the anal sphincter keeps a voluntary contraction (MRC 1 or
    more), ``No`` if neither does, ``NT`` if the anatomy has no such muscle."""
    from neurograph.resolve import resolve_muscles

    try:
        sphincter = resolve_muscles(G, ANAL_SPHINCTER)
    except UnknownNameError:
        return "NT"
    return "Yes" if any(node not in affected or affected[node][2] > 0 for node in sphincter) else "No"


_MOTOR_INDEX_BY_LEVEL = frozenset(MOTOR_LEVELS)
