"""Examination findings: what a clinician found, in clinicians' units.

A :class:`Findings` record holds, per examined muscle, an MRC grade (0-5) and optionally tone,
atrophy and fasciculations; per examined reflex a grade on the 0-4+ scale; the plantar
responses (flexor, extensor or mute); and the phase. Whatever is not listed was not examined:
it is unknown, not normal. Records come from Python, from a dict or a JSON file, or from a
simulated lesion (what that lesion would show), and every bad entry is refused with an error
that names it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from neurograph.errors import AnatomyFileError, InvalidValueError
from neurograph.resolve import resolve_muscles, resolve_node
from neurograph.results import table
from neurograph.schema import PLANTAR_RESPONSES, REFLEX_GRADES, REFLEX_STATE_GRADES, SIDE_NAMES, TONES, check_phase

__all__ = ["Findings", "MuscleExam", "findings_from_dict", "read_findings", "findings_from_result"]

# A findings record grades every reflex but the plantar response on the 0-4+ scale, so a
# superficial reflex found present is recorded as 2+ (normal).
_RECORDED_GRADES = {**REFLEX_STATE_GRADES, "present": "2+"}


@dataclass(frozen=True)
class MuscleExam:
    """One examined muscle: MRC grade, and tone, atrophy, fasciculations where examined."""

    mrc_grade: int
    tone: str | None = None
    atrophy: bool | None = None
    fasciculations: bool | None = None

    def to_dict(self):
        """Return a JSON-serialisable dict, leaving out what was not examined."""
        entry = {"mrc_grade": self.mrc_grade}
        for name in ("tone", "atrophy", "fasciculations"):
            if getattr(self, name) is not None:
                entry[name] = getattr(self, name)
        return entry


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
    """

    muscles: dict = field(default_factory=dict)
    reflexes: dict = field(default_factory=dict)
    plantar: dict = field(default_factory=dict)
    phase: str = "chronic"

    def to_dict(self):
        """Return a JSON-serialisable dict that :func:`findings_from_dict` reads back."""
        return {
            "phase": self.phase,
            "muscles": {muscle: exam.to_dict() for muscle, exam in sorted(self.muscles.items())},
            "reflexes": dict(sorted(self.reflexes.items())),
            "plantar": {SIDE_NAMES[side]: value for side, value in sorted(self.plantar.items())},
        }

    def to_table(self):
        """One row per examined item: a pandas DataFrame when pandas is installed, else a list of dicts.

        Columns: ``finding`` (``muscle``, ``reflex`` or ``plantar``), ``node`` (muscles and
        reflexes), ``side`` (plantar responses), ``mrc_grade``, ``tone``, ``atrophy`` and
        ``fasciculations`` (muscles; empty where not examined), ``grade`` (reflexes) and
        ``response`` (plantar). The phase is the record's, not a row's.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> exam = findings_from_dict(G, {"muscles": {"right triceps": 2}, "plantar": {"left": "extensor"}})
        >>> exam.to_table()[["finding", "node", "side", "mrc_grade", "response"]].values.tolist()
        [['muscle', 'R.muscle.triceps_brachii', <NA>, 2, <NA>], ['plantar', <NA>, 'L', <NA>, 'extensor']]
        """
        rows = [
            dict(finding="muscle", node=muscle, mrc_grade=exam.mrc_grade, tone=exam.tone, atrophy=exam.atrophy,
                 fasciculations=exam.fasciculations)
            for muscle, exam in sorted(self.muscles.items())
        ]
        rows += [dict(finding="reflex", node=reflex, grade=grade) for reflex, grade in sorted(self.reflexes.items())]
        rows += [dict(finding="plantar", side=side, response=response) for side, response in sorted(self.plantar.items())]
        return table(rows, ("finding", "node", "side", "mrc_grade", "tone", "atrophy", "fasciculations", "grade", "response"))


def findings_from_dict(G, record):
    """Build and check :class:`Findings` from a dict such as a JSON file holds.

    Parameters
    ----------
    G : networkx.DiGraph
    record : dict
        ``{"phase": "chronic", "muscles": {"right triceps": 3, "left FDI": {"mrc_grade": 4,
        "atrophy": true}}, "reflexes": {"right knee jerk": "3+"}, "plantar": {"right":
        "extensor"}}``. Names are resolved like lesion sites, with their side; a muscle may be
        given by its grade alone. A muscle group ("right quadriceps", any group of the
        anatomy's ``muscle_groups``), or a muscle of both sides ("bilateral deltoid"), gives
        each of its muscles that finding.

    Raises
    ------
    NeurographError
        Naming the entry: an unknown muscle or reflex, a grade out of range, a tone, side or
        phase not allowed, a muscle or group named without its side, or one muscle given two
        different findings (under two names, or on its own and in a group): the error names
        both entries.

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
    """
    if not isinstance(record, dict):
        raise InvalidValueError("findings record", type(record).__name__, "a mapping with muscles, reflexes, plantar, phase")
    unknown = sorted(set(record) - {"phase", "muscles", "reflexes", "plantar"})
    if unknown:
        raise InvalidValueError("findings field", unknown[0], "one of phase, muscles, reflexes, plantar")
    phase = check_phase(record.get("phase", "chronic"))
    muscles, entry_of = {}, {}
    for name, value in _mapping(record, "muscles").items():
        exam = _muscle_exam(name, value)
        for node in resolve_muscles(G, name, sided=True):
            if node in muscles and muscles[node] != exam:
                raise InvalidValueError(
                    f"finding muscle {name!r}", value,
                    f"the same finding as entry {entry_of[node]!r}, which also names {G.nodes[node]['label']}",
                )
            muscles[node], entry_of[node] = exam, name
    reflexes = {}
    for name, grade in _mapping(record, "reflexes").items():
        node = resolve_node(G, name)
        if G.nodes[node]["kind"] != "reflex" or G.nodes[node]["reflex_kind"] == "plantar":
            raise InvalidValueError(f"finding reflex {name!r}", name, "a reflex (the plantar response goes under 'plantar')")
        grade = str(grade).strip()
        if grade not in REFLEX_GRADES:
            raise InvalidValueError(f"finding reflex {name!r}", grade, "a grade 0, 1+, 2+, 3+ or 4+")
        reflexes[node] = grade
    plantar = {}
    for side, response in _mapping(record, "plantar").items():
        code = {"left": "L", "l": "L", "right": "R", "r": "R"}.get(str(side).lower())
        if code is None:
            raise InvalidValueError(f"finding plantar {side!r}", side, "'left' or 'right'")
        if response not in PLANTAR_RESPONSES:
            raise InvalidValueError(f"finding plantar {side!r}", response, "flexor, extensor or mute")
        plantar[code] = response
    return Findings(muscles=muscles, reflexes=reflexes, plantar=plantar, phase=phase)


def _mapping(record, key):
    value = record.get(key, {})
    if not isinstance(value, dict):
        raise InvalidValueError(f"findings {key}", type(value).__name__, "a mapping of names to findings")
    return value


def _muscle_exam(name, value):
    entry = value if isinstance(value, dict) else {"mrc_grade": value}
    unknown = sorted(set(entry) - {"mrc_grade", "tone", "atrophy", "fasciculations"})
    if unknown:
        raise InvalidValueError(f"finding muscle {name!r}", unknown[0], "mrc_grade, tone, atrophy, fasciculations")
    grade = entry.get("mrc_grade")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 0 <= grade <= 5:
        raise InvalidValueError(f"finding muscle {name!r}", grade, "an MRC grade, a whole number from 0 to 5")
    tone = entry.get("tone")
    if tone is not None and tone not in TONES:
        raise InvalidValueError(f"finding muscle {name!r}", tone, "tone normal, spastic or flaccid")
    for flag in ("atrophy", "fasciculations"):
        if entry.get(flag) is not None and not isinstance(entry[flag], bool):
            raise InvalidValueError(f"finding muscle {name!r}", entry[flag], f"{flag} true or false")
    return MuscleExam(grade, tone, entry.get("atrophy"), entry.get("fasciculations"))


def read_findings(G, path):
    """Read findings from a JSON file, or a YAML file (.yaml, .yml), shaped as :func:`findings_from_dict` takes.

    Raises
    ------
    AnatomyFileError
        When the file cannot be read or is not JSON (naming the file).
    NeurographError
        For a bad entry (naming the entry).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AnatomyFileError(path, f"cannot read findings ({getattr(error, 'strerror', None) or error})") from None
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            record = yaml.safe_load(text)
        except yaml.YAMLError as error:
            raise AnatomyFileError(path, f"findings are not valid YAML ({str(error).splitlines()[0]})") from None
    else:
        try:
            record = json.loads(text)
        except ValueError as error:
            raise AnatomyFileError(path, f"findings are not valid JSON ({error})") from None
    return findings_from_dict(G, record)


def findings_from_result(result, muscles=None):
    """What examining the patient of a simulated lesion would find.

    Parameters
    ----------
    result : LesionResult
    muscles : iterable of str, optional
        Muscle node ids that were examined (default: every muscle of the anatomy).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_result(neurograph.simulate(G, "right radial nerve at the spiral groove"))
    >>> exam.muscles["R.muscle.brachioradialis"].mrc_grade, exam.muscles["R.muscle.triceps_brachii"].mrc_grade
    (0, 5)
    """
    G = result.graph
    examined = muscles if muscles is not None else [n for n, d in G.nodes(data=True) if d["kind"] == "muscle"]
    exams = {}
    for muscle in examined:
        finding = result.muscle(muscle)
        exams[muscle] = MuscleExam(finding.mrc_grade, finding.tone, finding.atrophy, finding.fasciculations)
    reflexes = {f.reflex: _RECORDED_GRADES[f.state] for f in result.reflexes if f.kind != "plantar"}
    plantar = {f.side: f.state for f in result.reflexes if f.kind == "plantar"}
    return Findings(muscles=exams, reflexes=reflexes, plantar=plantar, phase=result.phase)
