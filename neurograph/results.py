"""Result objects: frozen, JSON-ready, tabular, and displayed in notebooks through one formatter.

Every result has ``to_dict()`` (what the command line prints with ``--json``), ``to_table()``
(a tidy table: one row per finding, structure or step, every cell a scalar; a pandas DataFrame
when pandas is installed, else a list of dicts, see :func:`table`), a ``repr`` that never fails,
and ``_repr_html_`` built by :func:`html_tables`. In tables, a list (segments, sites) becomes one
``|``-separated text, as lists are written in the graph.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from neurograph.schema import GAZE_LOSSES, MODALITIES, NORMAL_REFLEX_STATES, SIDE_NAMES, TONE_NOT_ASSESSABLE, join_list, side_text
from neurograph.tables import Table, table

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes

    from neurograph.cache import GraphState
    from neurograph.isncsci import Exam
    from neurograph.resolve import Site

#: One HTML table: its heading, its column names and its rows of cells.
HtmlTable = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
#: A muscle as the engine reports it: ``(muscle, deficit, mrc_grade, tone, atrophy,
#: fasciculations, strength)``.
Deficit = tuple[str, str, int, str, bool, bool, float]

__all__ = [
    "MuscleFinding", "ReflexFinding", "SensoryFinding", "LesionResult", "Route", "Pathway", "Innervation", "Supply", "Dermatome", "Territory",
    "AscendingRoute", "AscendingPathway", "SkinInnervation", "html_tables", "table",
]


def html_tables(title: str, tables: Sequence[HtmlTable], caption: str = "", figure: str = "") -> str:
    """The one HTML formatter behind every result's notebook display.

    Parameters
    ----------
    title : str
    tables : sequence of (heading, columns, rows)
    caption : str, optional
    figure : str, optional
        Inline SVG to show above the tables.

    Examples
    --------
    >>> print(html_tables("T", [("", ["a"], [[1]])]))  # doctest: +ELLIPSIS
    <div class="neurograph-result"><h4>T</h4>...<td>1</td>...
    """
    parts = [f'<div class="neurograph-result"><h4>{html.escape(title)}</h4>']
    if caption:
        parts.append(f"<p>{html.escape(caption)}</p>")
    if figure:
        parts.append(f'<div style="overflow-x:auto">{figure}</div>')
    for heading, columns, rows in tables:
        if heading:
            parts.append(f"<h5>{html.escape(heading)}</h5>")
        parts.append("<table><thead><tr>")
        parts.extend(f"<th>{html.escape(str(column))}</th>" for column in columns)
        parts.append("</tr></thead><tbody>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>")
        parts.append("</tbody></table>")
    parts.append("</div>")
    return "".join(parts)


#: The columns of a lesion result's table: one row per muscle, reflex or plantar response.
FINDING_COLUMNS = (
    "finding", "node", "label", "side", "abnormal", "deficit", "mrc_grade", "tone", "atrophy", "fasciculations",
    "strength", "lmn_segments", "umn_segments", "reflex_kind", "state", "grade", *MODALITIES, "sites",
)


class Displayable:
    """Shared notebook display and safe repr."""

    def __repr__(self) -> str:
        try:
            return self._short_repr()
        except Exception as error:  # a repr must never raise, whatever state the object is in
            return f"<{type(self).__name__} (unprintable: {type(error).__name__})>"

    def _repr_html_(self) -> str:
        title, tables, caption = self._html_parts()
        return html_tables(title, tables, caption)

    def _short_repr(self) -> str:
        raise NotImplementedError

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        raise NotImplementedError


class Explains(Protocol):
    """What a lesion result asks of the engine's record of a simulation."""

    def describe(self, muscle: str) -> tuple[str, str, str]:
        """A muscle's label, side and body region as the graph had them."""

    def explain(self, muscle: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """A muscle's lost LMN segments, UMN-only segments, causing sites and reasons."""

    def reflexes(self) -> tuple[ReflexFinding, ...]:
        """Every reflex's finding, in the order of the result's ``reflex_states``."""


@dataclass(frozen=True, repr=False)
class MuscleFinding(Displayable):
    """What examining one muscle would find.

    Attributes
    ----------
    muscle, label, side, body_region : str
    deficit : str
        ``normal``, ``UMN``, ``LMN`` or ``mixed`` (different pools of the muscle hit differently).
    mrc_grade : int
        Estimated MRC power, 0-5.
    tone : str
        ``normal``, ``spastic`` or ``flaccid``; ``not_assessable`` for an eye muscle
        (:data:`neurograph.schema.MOVEMENT_ONLY_REGIONS`), whose ``atrophy`` and
        ``fasciculations`` are then always false: it is examined by its movements alone.
    atrophy, fasciculations : bool
    strength : float
        The share of the muscle's drive left, 0-1, from which the grade is estimated.
    lmn_segments, umn_segments : tuple of str
        Segments whose lower motor neurons are lost, and segments that lost only their upper
        motor neuron drive.
    sites : tuple of str
        The lesion sites that explain the finding.
    reasons : tuple of str
        One sentence per cause.
    """

    muscle: str
    label: str
    side: str
    body_region: str
    deficit: str = "normal"
    mrc_grade: int = 5
    tone: str = "normal"
    atrophy: bool = False
    fasciculations: bool = False
    strength: float = 1.0
    lmn_segments: tuple[str, ...] = ()
    umn_segments: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "muscle": self.muscle, "label": self.label, "side": self.side, "body_region": self.body_region,
            "deficit": self.deficit, "mrc_grade": self.mrc_grade, "tone": self.tone, "atrophy": self.atrophy,
            "fasciculations": self.fasciculations, "strength": round(self.strength, 4),
            "lmn_segments": list(self.lmn_segments), "umn_segments": list(self.umn_segments),
            "sites": list(self.sites), "reasons": list(self.reasons),
        }

    def to_table(self) -> Table:
        """This finding as a one-row table with the columns of :meth:`LesionResult.to_table`."""
        return table([self._row()], FINDING_COLUMNS)

    def _row(self) -> dict[str, Any]:
        return dict(
            finding="muscle", node=self.muscle, label=self.label, side=self.side, abnormal=self.deficit != "normal",
            deficit=self.deficit, mrc_grade=self.mrc_grade, tone=self.tone, atrophy=self.atrophy,
            fasciculations=self.fasciculations, strength=round(self.strength, 4),
            lmn_segments=join_list(self.lmn_segments), umn_segments=join_list(self.umn_segments), reflex_kind=None,
            state=None, grade=None, **_NO_MODALITIES, sites=join_list(self.sites),
        )

    def _short_repr(self) -> str:
        return f"<MuscleFinding {self.label}: {self.deficit}, MRC {self.mrc_grade}, tone {self.tone}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        row = self.to_dict()
        return self.label, [("", list(row), [list(row.values())])], ""


@dataclass(frozen=True, repr=False)
class ReflexFinding(Displayable):
    """What eliciting one reflex would find.

    Attributes
    ----------
    reflex, label, side, kind : str
    state : str
        Deep tendon and segmental reflexes: ``absent``, ``reduced``, ``normal``, ``brisk``.
        Superficial reflexes: ``absent``, ``reduced``, ``present``. Plantar response:
        ``flexor``, ``extensor`` or ``mute``.
    grade : str
        The 0-4+ grade for tendon reflexes; the state otherwise.
    sites, reasons : tuple of str
    """

    reflex: str
    label: str
    side: str
    kind: str
    state: str
    grade: str
    sites: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def is_abnormal(self) -> bool:
        return self.state not in NORMAL_REFLEX_STATES

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "reflex": self.reflex, "label": self.label, "side": self.side, "kind": self.kind, "state": self.state,
            "grade": self.grade, "sites": list(self.sites), "reasons": list(self.reasons),
        }

    def to_table(self) -> Table:
        """This finding as a one-row table with the columns of :meth:`LesionResult.to_table`."""
        return table([self._row()], FINDING_COLUMNS)

    def _row(self) -> dict[str, Any]:
        return dict(
            finding="plantar" if self.kind == "plantar" else "reflex", node=self.reflex, label=self.label,
            side=self.side, abnormal=self.is_abnormal, deficit=None, mrc_grade=None, tone=None, atrophy=None,
            fasciculations=None, strength=None, lmn_segments=None, umn_segments=None, reflex_kind=self.kind,
            state=self.state, grade=self.grade, **_NO_MODALITIES, sites=join_list(self.sites),
        )

    def _short_repr(self) -> str:
        return f"<ReflexFinding {self.label}: {self.state}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        row = self.to_dict()
        return self.label, [("", list(row), [list(row.values())])], ""


#: The modality cells of a row that is not a sensory finding.
_NO_MODALITIES: dict[str, Any] = dict.fromkeys(MODALITIES)
def _gaze_loss(finding: MuscleFinding) -> str | None:
    """The gaze loss (one of ``GAZE_LOSSES``) an eye muscle's finding names first, else None."""
    return next((loss for loss in GAZE_LOSSES if finding.reasons and finding.reasons[0].startswith(loss)), None)


#: How a summary names the loss of an eye muscle (examined by its movements alone): the
#: supranuclear and internuclear gaze palsies keep the nerve and nucleus, a palsy does not.
_MOVEMENT_LOSS = {
    "UMN": "supranuclear (drive lost above its nucleus; nerve and nucleus intact)",
    "LMN": "nerve or nucleus palsy", "mixed": "nerve or nucleus palsy",
}


@dataclass(frozen=True, repr=False)
class SensoryFinding(Displayable):
    """What testing sensation at one place would find, modality by modality.

    Grades are on the ISNCSCI scale: 0 absent, 1 altered (impaired), 2 normal
    (:func:`neurograph.engine.sensory_grades` says how they follow from the lesion).

    Attributes
    ----------
    place, label, side : str
        The skin node (a named place or an ISNCSCI key point), its label and side.
    level : str
        A key point's ISNCSCI level (``C6``, ``S4-5``); empty for other places.
    light_touch, pin_prick, temperature, vibration, joint_position : int
    tracts_lost : tuple of str
        The ascending tracts none of whose routes from the place survive.
    sites : tuple of str
        The lesion sites that cut the place's routes.
    """

    place: str
    label: str
    side: str
    level: str = ""
    light_touch: int = 2
    pin_prick: int = 2
    temperature: int = 2
    vibration: int = 2
    joint_position: int = 2
    tracts_lost: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    @property
    def grades(self) -> dict[str, int]:
        """Modality to grade, in the order of :data:`~neurograph.schema.MODALITIES`."""
        return {modality: getattr(self, modality) for modality in MODALITIES}

    @property
    def is_abnormal(self) -> bool:
        return any(grade < 2 for grade in self.grades.values())

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "place": self.place, "label": self.label, "side": self.side, "level": self.level, **self.grades,
            "tracts_lost": list(self.tracts_lost), "sites": list(self.sites),
        }

    def to_table(self) -> Table:
        """This finding as a one-row table with the columns of :meth:`LesionResult.to_table`."""
        return table([self._row()], FINDING_COLUMNS)

    def _row(self) -> dict[str, Any]:
        return dict(
            finding="sensation", node=self.place, label=self.label, side=self.side, abnormal=self.is_abnormal,
            deficit=None, mrc_grade=None, tone=None, atrophy=None, fasciculations=None, strength=None,
            lmn_segments=None, umn_segments=None, reflex_kind=None, state=None, grade=None, **self.grades,
            sites=join_list(self.sites),
        )

    def _short_repr(self) -> str:
        grades = ", ".join(f"{modality.replace('_', ' ')} {grade}" for modality, grade in self.grades.items())
        return f"<SensoryFinding {self.label}: {grades}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        row = self.to_dict()
        return self.label, [("", list(row), [list(row.values())])], ""


_MUSCLE_COLUMNS = ("label", "deficit", "mrc_grade", "tone", "atrophy", "fasciculations", "lmn_segments", "umn_segments", "sites")
_REFLEX_COLUMNS = ("label", "state", "grade", "sites")
_SENSORY_COLUMNS = ("label", *MODALITIES, "tracts_lost", "sites")
#: How many places a line of the summary names before counting the rest.
_PLACES_NAMED = 6


@dataclass(frozen=True, repr=False)
class LesionResult(Displayable):
    """The deficits a lesion produces.

    Attributes
    ----------
    sites : tuple of Site
        The lesion, one entry per site, in a canonical order (the result does not depend on the
        order the sites were given in).
    phase : str
        ``acute`` or ``chronic``.
    muscles : tuple of MuscleFinding
        Every affected muscle (unaffected muscles are normal; :meth:`muscle` returns them too).
    deficits : tuple of tuple
        The affected muscles as the engine computes them, ``(muscle, deficit, mrc_grade, tone,
        atrophy, fasciculations, strength)``, in anatomical order; ``muscles`` adds labels,
        segments, sites and reasons on first use.
    reflexes : tuple of ReflexFinding
        Every reflex of both sides (its sites and reasons are put in words on first use).
    reflex_states : tuple of (str, str)
        ``(reflex, state)`` of every reflex as the engine computes them, in the order of
        ``reflexes``.
    state : neurograph.cache.GraphState
        The state of the anatomy the lesion was simulated on; :attr:`graph` reads it.
    sensation : tuple of SensoryFinding
        Every skin place and ISNCSCI key point whose sensation the lesion alters, in anatomical
        order (the others are normal; :meth:`sensory` returns them too). Graded on first use.
    sensory_levels : tuple of (str, str)
        ``(side, level)`` for each side with skin: the ISNCSCI sensory level, the most caudal
        key point such that it and every key point above it have normal light touch and pin prick
        (``C1`` when C2 does not, ``INT`` when every key point does).
    cranial : neurograph.cranial.CranialResult or None
        The cranial signs (:func:`neurograph.cranial_signs`): the weak cranial muscles, the
        brainstem reflexes and the disputed supplies' views. :meth:`muscle`, :meth:`reflex`,
        :meth:`summary`, :meth:`to_dict` and :meth:`to_table` include them.
    """

    sites: tuple[Site, ...]
    phase: str
    deficits: tuple[Deficit, ...]
    reflex_states: tuple[tuple[str, str], ...]
    state: GraphState = field(compare=False)
    explanation: Explains = field(compare=False)
    sensory_levels: tuple[tuple[str, str], ...] = ()
    #: The engine's grades, from which ``sensation`` is made on first use (None: not graded).
    sensory_grading: Any = field(default=None, compare=False)
    cranial: Any = None

    @cached_property
    def reflexes(self) -> tuple[ReflexFinding, ...]:
        """Every reflex's :class:`ReflexFinding` (see the class attributes), made on first use."""
        return self.explanation.reflexes()

    @cached_property
    def sensation(self) -> tuple[SensoryFinding, ...]:
        """Every altered skin place and key point (see the class attributes), made on first use."""
        return self.sensory_grading.findings() if self.sensory_grading is not None else ()

    @property
    def graph(self) -> nx.DiGraph:
        """The anatomy as it was when the lesion was simulated.

        The graph itself while it is unchanged; after an edit, a read-only copy of it as it
        was (:meth:`neurograph.cache.GraphState.computed_graph`), so that every method of this
        result keeps answering for the anatomy it was computed on.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> result = neurograph.simulate(G, "right radial nerve at the spiral groove")
        >>> result.graph is G
        True
        >>> G.nodes["R.muscle.brachioradialis"]["label"] = "supinator longus"
        >>> result.graph is G, result.muscle("right brachioradialis").label
        (False, 'brachioradialis (right)')
        """
        return self.state.computed_graph(self._description())

    def graph_given(self, G: nx.DiGraph) -> nx.DiGraph:
        """:attr:`graph`, for a function given ``G`` with this result: ``G`` must be the graph
        simulated (edited since or not); raises :class:`~neurograph.errors.StaleResultError`
        otherwise."""
        return self.state.computed_graph(self._description(), given=G)

    def _description(self) -> str:
        return f"the lesion result of {self.lesion_label} ({self.phase})"

    @cached_property
    def muscles(self) -> tuple[MuscleFinding, ...]:
        """Every affected muscle's :class:`MuscleFinding`, with its reasons, made on first use."""
        findings = []
        for muscle, deficit, grade, tone, atrophy, fasciculations, strength in self.deficits:
            # Labels as the graph had them when the lesion was simulated, whatever it has now.
            label, side, body_region = self.explanation.describe(muscle)
            lmn, umn, causes, reasons = self.explanation.explain(muscle)
            findings.append(MuscleFinding(
                muscle, label, side, body_region, deficit, grade, tone, atrophy,
                fasciculations, strength, lmn, umn, causes, reasons,
            ))
        return tuple(findings)

    def muscle(self, name: str) -> MuscleFinding:
        """The finding for one muscle, by id, name or alias with a side ("right triceps").

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> result = neurograph.simulate(G, "right radial nerve at the spiral groove")
        >>> result.muscle("right brachioradialis").deficit, result.muscle("right triceps").deficit
        ('LMN', 'normal')
        """
        from neurograph.resolve import resolve_muscles
        from neurograph.errors import InvalidValueError, UnknownNameError

        graph = self.graph
        # A node id needs no name lookup (an examination asks for every muscle by id): a cranial
        # muscle's goes straight to the cranial signs, whose lookup through the limb names'
        # unknown-name error (its suggestions) cost milliseconds.
        kind = graph.nodes[name]["kind"] if name in graph else None
        if kind == "cranial_muscle" and self.cranial is not None:
            return self.cranial.muscle(name)
        if kind == "muscle":
            node = name
        else:
            try:
                nodes = resolve_muscles(graph, name)
            except UnknownNameError:
                if self.cranial is None:
                    raise
                return self.cranial.muscle(name)
            if len(nodes) != 1:
                raise InvalidValueError("muscle", name, f"one muscle with its side, but it names {len(nodes)}")
            (node,) = nodes
        finding = self._muscle_findings.get(node)
        return finding if finding is not None else self._normal_muscle(node)

    @cached_property
    def _muscle_findings(self) -> dict[str, MuscleFinding]:
        return {finding.muscle: finding for finding in self.muscles}

    def reflex(self, name: str) -> ReflexFinding:
        """The finding for one reflex, by id, name or alias with a side ("left knee jerk")."""
        from neurograph.resolve import resolve_node

        node = resolve_node(self.graph, name)
        for finding in self.reflexes + (self.cranial.reflexes if self.cranial is not None else ()):
            if finding.reflex == node:
                return finding
        from neurograph.errors import InvalidValueError

        raise InvalidValueError("reflex", name, "the name of a reflex")

    def sensory(self, place: str) -> SensoryFinding:
        """The sensory finding at one skin place or key point, by id or name with a side.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> result = neurograph.simulate(G, "right superficial radial nerve")
        >>> result.sensory("right C6 key point").light_touch, result.sensory("left C6 key point").light_touch
        (0, 2)
        """
        from neurograph.errors import InvalidValueError
        from neurograph.resolve import resolve_node

        node = resolve_node(self.graph, place)
        for finding in self.sensation:
            if finding.place == node:
                return finding
        data = self.graph.nodes[node]
        if data.get("kind") != "skin":
            raise InvalidValueError("place", place, "a skin place or ISNCSCI key point with its side")
        return SensoryFinding(node, data.get("label", node), data["side"], data.get("isncsci_level", ""))

    def sensory_level(self, side: str) -> str:
        """The ISNCSCI sensory level of one side (``left``/``right`` or ``L``/``R``); see ``sensory_levels``."""
        from neurograph.schema import SIDE_NAMES

        wanted = {name: key for key, name in SIDE_NAMES.items()}.get(str(side).strip().lower(), side)
        for found, level in self.sensory_levels:
            if found == wanted:
                return level
        from neurograph.errors import InvalidValueError

        raise InvalidValueError("side", side, "a side whose key points the anatomy has")

    @property
    def lesion_label(self) -> str:
        return " + ".join(
            site.label + (f" (severity {site.severity:g})" if site.severity < 1 else "") for site in self.sites
        )

    def caption(self) -> str:
        """The key signs in one line: ``LMN: ...; UMN: ...; Babinski: ...``.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> print(neurograph.simulate(G, "right radial nerve at the spiral groove").caption())  # doctest: +ELLIPSIS
        LMN: brachioradialis (right), extensor carpi radialis brevis (right), ...
        """
        parts = []
        for deficit in ("LMN", "mixed", "UMN", *GAZE_LOSSES):
            # The cranial muscles too: a facial palsy alone is a deficit; an eye muscle that lost
            # its gaze drive goes under the level of its loss.
            names = [finding.label for finding in self.muscles + self._cranial_muscles if (_gaze_loss(finding) or finding.deficit) == deficit]
            if names:
                shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
                parts.append(f"{deficit}: {shown}")
        babinski = [f.side for f in self.reflexes if f.kind == "plantar" and f.state == "extensor"]
        if babinski:
            parts.append("Babinski " + ("both sides" if len(babinski) == 2 else side_text(babinski)))
        if parts:
            return "; ".join(parts)
        if self.sensation:
            # A purely sensory lesion (a cutaneous nerve, a dorsal column) is not "no deficit".
            sides = side_text([finding.side for finding in self.sensation])
            return f"no motor deficit; sensation altered at {len(self.sensation)} places ({sides})"
        return "no deficit"

    def summary(self) -> str:
        """A readable multi-line summary: lesion, phase, affected muscles, abnormal reflexes, altered sensation.

        Sensation is given as the ISNCSCI sensory level of each side below which it is lost, then
        the altered places grouped by side and by the grades they share (key points as runs of
        levels, other places by name).

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> print(neurograph.simulate(G, "right VPM").summary())
        Lesion: ventral posteromedial nucleus of the thalamus, left face fibres (right) (chronic)
        No muscle is affected.
        Sensation (0 absent, 1 impaired, 2 normal):
          light touch 0, pin prick 0, temperature 0, vibration 0, joint position 0 (left): skin of the cheek, skin of the chin, cornea, skin of the forehead, skin of the lower lip, skin of the upper lip
        """
        lines = [f"Lesion: {self.lesion_label} ({self.phase})"]
        if not self.muscles and not self._cranial_muscles:
            lines.append("No muscle is affected.")
        for finding in self.muscles + self._cranial_muscles:
            signs = [f"MRC {finding.mrc_grade}", finding.tone]
            if finding.tone == TONE_NOT_ASSESSABLE:
                # An eye muscle shows only its movements: which level failed, not tone or bulk.
                gaze = _gaze_loss(finding)
                signs = [f"movement MRC {finding.mrc_grade}", f"{gaze} (nerve and nucleus intact)" if gaze else _MOVEMENT_LOSS[finding.deficit]]
            if finding.atrophy:
                signs.append("atrophy")
            if finding.fasciculations:
                signs.append("fasciculations")
            lines.append(f"  {finding.deficit:<6} {finding.label}: {', '.join(signs)}")
        abnormal = [finding for finding in self.reflexes + self._cranial_reflexes if finding.is_abnormal]
        if abnormal:
            lines.append("Reflexes:")
            lines.extend(f"  {finding.label}: {finding.state}" for finding in abnormal)
        views = self.cranial.views if self.cranial is not None else ()
        if views:
            lines.append("Disputed supranuclear supply:")
            lines.extend(
                f"  {view.label}: {view.deficit}, MRC {view.mrc_grade} if {view.supply.replace('_', ' ')}"
                + (" (used)" if view.used else f" ({', '.join(view.references)})")
                for view in views
            )
        lines.extend(self._sensation_lines())
        return "\n".join(lines)

    def _sensation_lines(self) -> list[str]:
        if not self.sensation:
            return []
        lines = ["Sensation (0 absent, 1 impaired, 2 normal):"]
        levels = [f"{SIDE_NAMES[side]} {level}" for side, level in self.sensory_levels if level != "INT"]
        if levels:
            lines.append(f"  ISNCSCI sensory level: {', '.join(levels)}")
        groups: dict[tuple[str, tuple[tuple[str, int], ...]], list[SensoryFinding]] = {}
        for finding in sorted(self.sensation, key=lambda finding: finding.side):
            lost = tuple((modality, grade) for modality, grade in finding.grades.items() if grade < 2)
            groups.setdefault((finding.side, lost), []).append(finding)
        for (side, lost), findings in groups.items():
            grades = ", ".join(f"{modality.replace('_', ' ')} {grade}" for modality, grade in lost)
            lines.append(f"  {grades} ({SIDE_NAMES[side]}): {_places_text(findings, side)}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (what ``neurograph lesion --json`` prints)."""
        return {
            "sites": [site.to_dict() for site in self.sites],
            "phase": self.phase,
            "caption": self.caption(),
            "muscles": [finding.to_dict() for finding in self.muscles],
            "reflexes": [finding.to_dict() for finding in self.reflexes],
            "sensation": [finding.to_dict() for finding in self.sensation],
            "sensory_levels": dict(self.sensory_levels),
            "cranial": {
                "muscles": [finding.to_dict() for finding in self._cranial_muscles],
                "reflexes": [finding.to_dict() for finding in self._cranial_reflexes],
                "views": [view.to_dict() for view in self.cranial.views] if self.cranial is not None else [],
            },
        }

    @property
    def _cranial_muscles(self) -> tuple[MuscleFinding, ...]:
        return self.cranial.muscles if self.cranial is not None else ()

    @property
    def _cranial_reflexes(self) -> tuple[ReflexFinding, ...]:
        return self.cranial.reflexes if self.cranial is not None else ()

    def to_table(self, include_normal: bool = False) -> Table:
        """Every finding as one tidy table: a row per muscle, reflex and plantar response.

        Parameters
        ----------
        include_normal : bool, optional
            Also list the muscles and reflexes the lesion leaves normal (default: only the
            abnormal findings).

        Returns
        -------
        pandas.DataFrame or list of dict
            Columns ``FINDING_COLUMNS``: ``finding`` (``muscle``, ``reflex`` or ``plantar``),
            ``node``, ``label``, ``side``, ``abnormal``; for muscles ``deficit``, ``mrc_grade``,
            ``tone``, ``atrophy``, ``fasciculations``, ``strength``, ``lmn_segments`` and
            ``umn_segments`` (``|``-separated); for reflexes ``reflex_kind``, ``state`` and
            ``grade`` (a brainstem reflex's kind is ``brainstem``; the cranial muscles follow the
            limb muscles, the brainstem reflexes the limb reflexes); for sensation (``finding`` ``sensation``, one row per skin place or key
            point) the grade of each modality, ``light_touch`` ... ``joint_position``; ``sites``,
            the lesion sites behind the finding (``|``-separated). Cells that do not apply to a
            row are empty (``None``). The affected muscles come first, as in ``muscles``, then
            the abnormal reflexes, then the altered sensation; with ``include_normal``, the
            normal muscles (in the anatomy's node order), the normal reflexes and the skin with
            normal sensation follow, so that the default table is where the full one begins.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> result = neurograph.simulate(G, "right radial nerve at the spiral groove")
        >>> findings = result.to_table().set_index("node")
        >>> str(findings.loc["R.muscle.brachioradialis", "deficit"]), int(findings.loc["R.muscle.brachioradialis", "mrc_grade"])
        ('LMN', 0)
        >>> "R.muscle.triceps_brachii" in findings.index
        False
        >>> int(result.to_table(include_normal=True).set_index("node").loc["R.muscle.triceps_brachii", "mrc_grade"])
        5
        """
        reflexes = self.reflexes + self._cranial_reflexes
        findings: list[MuscleFinding | ReflexFinding | SensoryFinding] = [
            *self.muscles, *self._cranial_muscles, *(f for f in reflexes if f.is_abnormal), *self.sensation,
        ]
        if include_normal:
            affected = {finding.muscle for finding in self.muscles + self._cranial_muscles}
            G = self.graph
            findings += [
                self._normal_muscle(node)
                for node, data in G.nodes(data=True)
                if data["kind"] == "muscle" and node not in affected
            ]
            findings += [
                self.cranial.muscle(node)
                for node, data in G.nodes(data=True)
                if data["kind"] == "cranial_muscle" and node not in affected and self.cranial is not None
            ]
            findings += [finding for finding in reflexes if not finding.is_abnormal]
            altered = {finding.place for finding in self.sensation}
            findings += [
                SensoryFinding(node, data.get("label", node), data["side"], data.get("isncsci_level", ""))
                for node, data in G.nodes(data=True)
                if data["kind"] == "skin" and node not in altered
            ]
        return table([finding._row() for finding in findings], FINDING_COLUMNS)

    def _normal_muscle(self, node: str) -> MuscleFinding:
        return MuscleFinding(node, *self.explanation.describe(node))

    def isncsci(self) -> Exam:
        """The ISNCSCI exam this lesion gives (:func:`neurograph.isncsci.exam_from_result`).

        Examples
        --------
        >>> import neurograph
        >>> exam = neurograph.simulate(neurograph.load_anatomy(), "T1").isncsci()
        >>> exam.motor("right", "C8"), exam.motor("right", "T1")
        ('5', '0')
        """
        from neurograph.isncsci import exam_from_result

        return exam_from_result(self)

    def plot(self, ax: Axes | None = None) -> Axes:
        """Draw the lesion pathway diagram (:func:`neurograph.drawing.draw_lesion`); returns the Axes."""
        from neurograph.drawing import draw_lesion

        return draw_lesion(self.graph, self, ax=ax)

    def _short_repr(self) -> str:
        sensation = f"; sensation altered at {len(self.sensation)} places" if self.sensation and self.deficits else ""
        return f"<LesionResult {self.lesion_label} ({self.phase}): {len(self.deficits)} muscles affected{sensation}; {self.caption()}>"

    def _repr_svg_(self) -> str:
        """The diagram as SVG text, for Jupyter."""
        return _diagram_svg(self)

    def _repr_html_(self) -> str:
        """The diagram above the summary tables, for Jupyter: the same formatter as every result."""
        title, tables, caption = self._html_parts()
        return html_tables(title, tables, caption, figure=self._repr_svg_())

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        muscle_rows = [[_cell(finding.to_dict()[c]) for c in _MUSCLE_COLUMNS] for finding in self.muscles + self._cranial_muscles]
        reflexes = self.reflexes + self._cranial_reflexes
        reflex_rows = [[_cell(finding.to_dict()[c]) for c in _REFLEX_COLUMNS] for finding in reflexes if finding.is_abnormal]
        tables: list[HtmlTable] = [("Muscles", list(_MUSCLE_COLUMNS), muscle_rows), ("Abnormal reflexes", list(_REFLEX_COLUMNS), reflex_rows)]
        if self.sensation:
            sensory_rows = [[_cell(finding.to_dict()[c]) for c in _SENSORY_COLUMNS] for finding in self.sensation]
            tables.append(("Altered sensation (0 absent, 1 impaired, 2 normal)", list(_SENSORY_COLUMNS), sensory_rows))
        return f"Lesion: {self.lesion_label} ({self.phase})", tables, self.caption()


def _places_text(findings: Sequence[SensoryFinding], side: str) -> str:
    """Places of one side: ISNCSCI key points as runs of levels ("key points C2-T9, T11"), then the
    other places by name without their side, the first few named and the rest counted."""
    from neurograph.isncsci import SENSORY_LEVELS

    order = {level.replace("_", "-"): index for index, level in enumerate(SENSORY_LEVELS)}
    key_levels = sorted({finding.level for finding in findings if finding.level in order}, key=order.__getitem__)
    runs: list[list[str]] = []
    for level in key_levels:
        if runs and order[level] == order[runs[-1][-1]] + 1:
            runs[-1].append(level)
        else:
            runs.append([level])
    named = [f"key point{'s' if len(key_levels) > 1 else ''} " + ", ".join(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}" for run in runs)] if runs else []
    suffix = f" ({SIDE_NAMES[side]})"
    named += [finding.label.removesuffix(suffix) for finding in findings if finding.level not in order]
    shown = ", ".join(named[:_PLACES_NAMED])
    return shown + (f" and {len(named) - _PLACES_NAMED} more" if len(named) > _PLACES_NAMED else "")


def _diagram_svg(result: LesionResult) -> str:
    from neurograph.drawing.export import figure_bytes
    from neurograph.drawing.pathway import lesion_figure

    svg = figure_bytes(lesion_figure(result.graph, result), "svg").decode("utf-8")
    return svg[svg.index("<svg"):]


def _cell(value: Any) -> Any:
    return ", ".join(value) if isinstance(value, (list, tuple)) else value


_ROUTE_COLUMNS = ("segment", "part", "step", "node")


@dataclass(frozen=True, repr=False)
class Route(Displayable):
    """One segment's route from a cortical area to a muscle.

    Attributes
    ----------
    segment : str
    umn : tuple of str
        Cortical area to the anterior horn (the horn included).
    lmn : tuple of str
        Anterior horn to the muscle.
    """

    segment: str
    umn: tuple[str, ...]
    lmn: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"segment": self.segment, "umn": list(self.umn), "lmn": list(self.lmn)}

    def to_table(self) -> Table:
        """One row per structure on the route, in signal order: ``segment``, ``part`` (``UMN`` from
        the cortex to the anterior horn, ``LMN`` beyond it), ``step`` (0 at the cortex),
        ``node``."""
        return table(self._rows(), _ROUTE_COLUMNS)

    def _rows(self) -> list[dict[str, Any]]:
        parts = [("UMN", node) for node in self.umn] + [("LMN", node) for node in self.lmn[1:]]
        return [dict(segment=self.segment, part=part, step=step, node=node) for step, (part, node) in enumerate(parts)]

    def _short_repr(self) -> str:
        return f"<Route {self.segment}: {len(self.umn)} UMN + {len(self.lmn) - 1} LMN steps>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [["UMN", node] for node in self.umn] + [["LMN", node] for node in self.lmn[1:]]
        return f"Route through {self.segment}", [("", ["part", "structure"], rows)], ""


@dataclass(frozen=True, repr=False)
class Pathway(Displayable):
    """Every route from a cortical area to a muscle, one per segment of the muscle."""

    source: str
    target: str
    routes: tuple[Route, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"source": self.source, "target": self.target, "routes": [route.to_dict() for route in self.routes]}

    def to_table(self) -> Table:
        """One row per structure on each route (see :meth:`Route.to_table`), route by route.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> steps = neurograph.pathway(G, "left hand area", "right FDI").to_table()
        >>> steps.iloc[0]["node"], steps.iloc[-1]["node"], steps.iloc[-1]["part"]
        ('L.m1.hand', 'R.muscle.first_dorsal_interosseous', 'LMN')
        """
        return table([row for route in self.routes for row in route._rows()], _ROUTE_COLUMNS)

    def _short_repr(self) -> str:
        return f"<Pathway {self.source} -> {self.target}: segments {', '.join(r.segment for r in self.routes)}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [
            [route.segment, part, node]
            for route in self.routes
            for part, node in [("UMN", n) for n in route.umn] + [("LMN", n) for n in route.lmn[1:]]
        ]
        return f"Pathway {self.source} to {self.target}", [("", ["segment", "part", "structure"], rows)], ""


@dataclass(frozen=True, repr=False)
class Innervation(Displayable):
    """How one muscle is supplied: its nerve chain, plexus, roots, segments and cortical area.

    Attributes
    ----------
    muscle : str
    nerves, plexus, rami, roots, segments, cortex : tuple of str
        Node ids (``segments``: segment names), from the cortex outwards in route order.
    principal_segments : tuple of str
    segments_by_source : str
        Every reference's segmental values, e.g. ``MRC2010=C6,C7*,C8;Kendall2005=...``.
    disputed_segments : tuple of str
    branch_disputed_by : str
        Where other references place the origin of the muscle's nerve branch, with the share of
        dissected limbs, e.g. ``Colborn1993=deep branch of the radial nerve (57%), ...``.
    """

    muscle: str
    label: str
    nerves: tuple[str, ...]
    plexus: tuple[str, ...]
    rami: tuple[str, ...]
    roots: tuple[str, ...]
    segments: tuple[str, ...]
    principal_segments: tuple[str, ...]
    segments_by_source: str
    disputed_segments: tuple[str, ...]
    cortex: tuple[str, ...]
    branch_disputed_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "muscle": self.muscle, "label": self.label, "nerves": list(self.nerves), "plexus": list(self.plexus),
            "rami": list(self.rami), "roots": list(self.roots), "segments": list(self.segments),
            "principal_segments": list(self.principal_segments), "segments_by_source": self.segments_by_source,
            "disputed_segments": list(self.disputed_segments), "cortex": list(self.cortex),
            "branch_disputed_by": self.branch_disputed_by,
        }

    def to_table(self) -> Table:
        """One row per structure that supplies the muscle: ``muscle``, ``part`` (``cortex``,
        ``segment``, ``root``, ``ramus``, ``plexus``, ``nerve``), ``structure`` (a node id, or a
        segment name), and for segments ``principal`` and ``disputed`` (true or false).

        The per-reference values (``segments_by_source``, ``branch_disputed_by``) are in
        :meth:`to_dict`.

        Examples
        --------
        >>> import neurograph
        >>> supply = neurograph.innervation(neurograph.load_anatomy(), "right deltoid").to_table()
        >>> supply.loc[supply.part == "nerve", "structure"].tolist()
        ['R.axillary']
        """
        parts = (
            ("cortex", self.cortex), ("segment", self.segments), ("root", self.roots), ("ramus", self.rami),
            ("plexus", self.plexus), ("nerve", self.nerves),
        )
        rows = []
        for part, structures in parts:
            for structure in structures:
                segment = part == "segment"
                rows.append(dict(
                    muscle=self.muscle, part=part, structure=structure,
                    principal=structure in self.principal_segments if segment else None,
                    disputed=structure in self.disputed_segments if segment else None,
                ))
        return table(rows, ("muscle", "part", "structure", "principal", "disputed"))

    def _short_repr(self) -> str:
        return f"<Innervation {self.label}: {', '.join(self.segments)} via {', '.join(self.nerves)}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [[key, _cell(value)] for key, value in self.to_dict().items() if key not in ("muscle", "label")]
        return f"Innervation of {self.label}", [("", ["what", "structures"], rows)], ""


@dataclass(frozen=True, repr=False)
class Supply(Displayable):
    """What depends on a site: muscles through their lower and upper motor neurons, and reflexes.

    Attributes
    ----------
    site : Site
    lmn : tuple of (str, tuple of str)
        Muscles whose lower motor neuron routes pass the site, with the segments that do.
    umn : tuple of (str, tuple of str)
        Muscles whose pools' corticospinal routes pass the site, with those segments.
    reflexes : tuple of str
    """

    site: Site
    lmn: tuple[tuple[str, tuple[str, ...]], ...]
    umn: tuple[tuple[str, tuple[str, ...]], ...]
    reflexes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "site": self.site.to_dict(),
            "lmn": [{"muscle": muscle, "segments": list(segments)} for muscle, segments in self.lmn],
            "umn": [{"muscle": muscle, "segments": list(segments)} for muscle, segments in self.umn],
            "reflexes": list(self.reflexes),
        }

    def to_table(self) -> Table:
        """One row per muscle and segment that depends on the site, and per reflex: ``through``
        (``LMN``, ``UMN`` or ``reflex``), ``structure`` (a node id), ``segment`` (empty for
        reflexes).

        Examples
        --------
        >>> import neurograph
        >>> rows = neurograph.supplied_by(neurograph.load_anatomy(), "left upper trunk").to_table()
        >>> rows[rows.structure == "L.muscle.deltoid"].values.tolist()
        [['LMN', 'L.muscle.deltoid', 'C5'], ['LMN', 'L.muscle.deltoid', 'C6']]
        """
        rows: list[dict[str, str | None]] = [
            dict(through=through, structure=muscle, segment=segment)
            for through, supplied in (("LMN", self.lmn), ("UMN", self.umn))
            for muscle, segments in supplied
            for segment in segments
        ]
        rows += [dict(through="reflex", structure=reflex, segment=None) for reflex in self.reflexes]
        return table(rows, ("through", "structure", "segment"))

    def _short_repr(self) -> str:
        return f"<Supply {self.site.label}: {len(self.lmn)} muscles (LMN), {len(self.umn)} (UMN), {len(self.reflexes)} reflexes>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [["LMN", muscle, ", ".join(segments)] for muscle, segments in self.lmn]
        rows += [["UMN", muscle, ", ".join(segments)] for muscle, segments in self.umn]
        rows += [["reflex", reflex, ""] for reflex in self.reflexes]
        return f"Supplied by {self.site.label}", [("", ["through", "structure", "segments"], rows)], ""


@dataclass(frozen=True, repr=False)
class Dermatome(Displayable):
    """The skin of one segment: its ISNCSCI key points and the skin places its fibres reach.

    Attributes
    ----------
    segment : str
    key_points : tuple of str
        Key point node ids (one per side asked for).
    places : tuple of str
        Skin place node ids whose nerves carry the segment's fibres.
    """

    segment: str
    key_points: tuple[str, ...]
    places: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"segment": self.segment, "key_points": list(self.key_points), "places": list(self.places)}

    def to_table(self) -> Table:
        """One row per skin node: ``segment``, ``what`` (``key point`` or ``place``), ``node``."""
        rows = [dict(segment=self.segment, what="key point", node=node) for node in self.key_points]
        rows += [dict(segment=self.segment, what="place", node=node) for node in self.places]
        return table(rows, ("segment", "what", "node"))

    def _short_repr(self) -> str:
        return f"<Dermatome {self.segment}: {len(self.key_points)} key points, {len(self.places)} places>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [["key point", node] for node in self.key_points] + [["place", node] for node in self.places]
        return f"Dermatome {self.segment}", [("", ["what", "node"], rows)], ""


@dataclass(frozen=True, repr=False)
class Territory(Displayable):
    """The skin a structure serves.

    Attributes
    ----------
    site : Site
    whole : tuple of str
        Skin nodes every one of whose sensory routes passes the site (a complete lesion there
        leaves them without any fibres).
    partial : tuple of str
        Skin nodes some of whose routes pass the site.
    """

    site: Site
    whole: tuple[str, ...]
    partial: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"site": self.site.to_dict(), "whole": list(self.whole), "partial": list(self.partial)}

    def to_table(self) -> Table:
        """One row per skin node served: ``served`` (``whole`` or ``partial``), ``node``."""
        rows = [dict(served="whole", node=node) for node in self.whole]
        rows += [dict(served="partial", node=node) for node in self.partial]
        return table(rows, ("served", "node"))

    def _short_repr(self) -> str:
        return f"<Territory {self.site.label}: {len(self.whole)} whole, {len(self.partial)} partial>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [["whole", node] for node in self.whole] + [["partial", node] for node in self.partial]
        return f"Territory of {self.site.label}", [("", ["served", "node"], rows)], ""


_ASCENDING_COLUMNS = ("segment", "tract", "part", "step", "node")


@dataclass(frozen=True, repr=False)
class AscendingRoute(Displayable):
    """One route of a segment's fibres from the skin to the somatosensory cortex through one tract.

    Attributes
    ----------
    segment : str
    tract : str
        ``dorsal_columns`` or ``spinothalamic``.
    peripheral : tuple of str
        The skin node to the dorsal root (included).
    central : tuple of str
        The dorsal root to the cortex.
    """

    segment: str
    tract: str
    peripheral: tuple[str, ...]
    central: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"segment": self.segment, "tract": self.tract, "peripheral": list(self.peripheral), "central": list(self.central)}

    def to_table(self) -> Table:
        """One row per structure, in signal order: ``segment``, ``tract``, ``part`` (``peripheral``
        up to the dorsal root, ``central`` beyond it), ``step`` (0 at the skin), ``node``."""
        return table(self._rows(), _ASCENDING_COLUMNS)

    def _rows(self) -> list[dict[str, Any]]:
        parts = [("peripheral", node) for node in self.peripheral] + [("central", node) for node in self.central[1:]]
        return [
            dict(segment=self.segment, tract=self.tract, part=part, step=step, node=node) for step, (part, node) in enumerate(parts)
        ]

    def _short_repr(self) -> str:
        return f"<AscendingRoute {self.segment} {self.tract}: {self.peripheral[0]} -> {self.central[-1]}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        return f"{self.segment} {self.tract}", [("", ["part", "node"], [[row["part"], row["node"]] for row in self._rows()])], ""


@dataclass(frozen=True, repr=False)
class AscendingPathway(Displayable):
    """Every route from a skin place or key point to the opposite somatosensory cortex."""

    source: str
    target: str
    routes: tuple[AscendingRoute, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"source": self.source, "target": self.target, "routes": [route.to_dict() for route in self.routes]}

    def to_table(self) -> Table:
        """One row per structure on each route (see :meth:`AscendingRoute.to_table`), route by route."""
        return table([row for route in self.routes for row in route._rows()], _ASCENDING_COLUMNS)

    def _short_repr(self) -> str:
        tracts = sorted({route.tract for route in self.routes})
        return f"<AscendingPathway {self.source} -> {self.target}: {len(self.routes)} routes ({', '.join(tracts)})>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [[r["segment"], r["tract"], r["part"], r["node"]] for route in self.routes for r in route._rows()]
        return f"Ascending pathway {self.source} -> {self.target}", [("", ["segment", "tract", "part", "node"], rows)], ""


@dataclass(frozen=True, repr=False)
class SkinInnervation(Displayable):
    """How a skin place or key point is supplied, from the skin inwards.

    Attributes
    ----------
    place, label : str
    cutaneous : tuple of str
        The cutaneous nerve nodes (afferent) that reach it.
    nerves, plexus, rami : tuple of str
        The structures (motor-side ids) whose afferent twins its fibres pass, in route order.
    ganglia, roots : tuple of str
        Dorsal root ganglia and dorsal roots.
    cord : tuple of str
        The cord stations its fibres enter (dorsal column and Lissauer's tract nodes).
    segments : tuple of str
        Its dermatomal segments (those its nerves bring).
    isncsci_level : str
        For a key point, its ISNCSCI level; else empty.
    dermatome_disputed_by : str
        Where references disagree on its dermatome.
    """

    place: str
    label: str
    cutaneous: tuple[str, ...]
    nerves: tuple[str, ...]
    plexus: tuple[str, ...]
    rami: tuple[str, ...]
    ganglia: tuple[str, ...]
    roots: tuple[str, ...]
    cord: tuple[str, ...]
    segments: tuple[str, ...]
    isncsci_level: str = ""
    dermatome_disputed_by: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        listed = ("cutaneous", "nerves", "plexus", "rami", "ganglia", "roots", "cord", "segments")
        return {
            "place": self.place, "label": self.label, **{name: list(getattr(self, name)) for name in listed},
            "isncsci_level": self.isncsci_level, "dermatome_disputed_by": self.dermatome_disputed_by,
        }

    def to_table(self) -> Table:
        """One row per structure: ``place``, ``part`` (``cutaneous``, ``nerve``, ``plexus``, ``ramus``,
        ``ganglion``, ``root``, ``cord``, ``segment``), ``structure``."""
        parts = (
            ("cutaneous", self.cutaneous), ("nerve", self.nerves), ("plexus", self.plexus), ("ramus", self.rami),
            ("ganglion", self.ganglia), ("root", self.roots), ("cord", self.cord), ("segment", self.segments),
        )
        rows = [dict(place=self.place, part=part, structure=structure) for part, structures in parts for structure in structures]
        return table(rows, ("place", "part", "structure"))

    def _short_repr(self) -> str:
        return f"<SkinInnervation {self.label}: {', '.join(self.segments)} via {', '.join(self.cutaneous)}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [[key, _cell(value)] for key, value in self.to_dict().items() if key not in ("place", "label")]
        return f"Innervation of {self.label}", [("", ["what", "structures"], rows)], ""
