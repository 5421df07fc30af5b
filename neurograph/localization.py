"""Localization: from examination findings to ranked lesion sites.

Every single site of the anatomy (:func:`neurograph.resolve.atlas_sites`) and every pair of
sites is scored exactly from the site atlas (:mod:`neurograph.atlas`), which predicts what
:func:`~neurograph.simulate` would for the examined muscles, reflexes and skin places: an MRC
grade, tone, wasting and fasciculations per muscle, a direction per reflex (-1 reduced, absent
or mute; 0 normal; +1 brisk or extensor), and an ISNCSCI grade per place and modality (0 absent,
1 altered, 2 normal; below 2 is abnormal). Each examined item is *explained* (abnormal and predicted so),
*contradicted* (predicted abnormal but found normal, or abnormal the other way) or
*unexplained* (found abnormal, predicted normal); the score is explained minus contradicted
minus unexplained. Hypotheses are ranked by their posterior probability
(:mod:`neurograph.inference`: priors, partial lesions and the examination's error), or with
``ranking="score"`` by the score.

Pairs: every pair of the sites that cut any route the examined items depend on is scored, so
the best pair is never missed; pairing any other site with a site predicts what that site does
alone.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from neurograph.atlas import site_atlas
from neurograph.cache import GraphState, derived, graph_state
from neurograph.engine import REFLEX_DIRECTION
from neurograph.errors import AnatomyTooLargeError, InvalidValueError, NormalFindingsError
from neurograph.findings import Findings
from neurograph.inference import SEVERITIES, ExaminationModel, ExaminedItems, NextTest, PriorSpec, next_tests, predict_at_severities, weigh
from neurograph.results import Displayable, table
from neurograph.schema import MODALITIES, REFLEX_STATE_GRADES
from neurograph.tables import Table

if TYPE_CHECKING:
    import networkx as nx

    from neurograph.resolve import Site

__all__ = ["localize", "Hypothesis", "Localization", "Observation"]

#: The direction of each tendon reflex grade, as the engine's states have them.
_GRADE_DIRECTION = {grade: REFLEX_DIRECTION[state] for state, grade in REFLEX_STATE_GRADES.items()}
#: The kinds of a muscle's items, in the order they are listed for it.
_MUSCLE_KINDS = ("weak", "spastic", "flaccid", "atrophy", "fasciculations")
#: Each modality of ``MODALITIES`` in words.
_MODALITY_WORDS = tuple(modality.replace("_", " ") for modality in MODALITIES)


@dataclass(frozen=True, repr=False)
class Hypothesis(Displayable):
    """One candidate lesion: its sites, score, and which findings it explains or not.

    ``grade_difference`` is how far the MRC and sensory grades it predicts are from those found,
    summed over the examined muscles and skin places. ``posterior`` is its probability given the
    findings (summed over severities), ``log_likelihood`` the log probability of the findings
    given its sites (averaged over severities by their prior), and ``severities`` the most
    probable severity of each site (names of :data:`neurograph.inference.SEVERITIES`); see
    :mod:`neurograph.inference`. What it explains, contradicts and leaves unexplained (and
    ``score`` and ``grade_difference``) is judged for a single site at its likeliest severity,
    for a pair for complete lesions of both.
    """

    sites: tuple[Site, ...]
    score: float
    explains: tuple[str, ...]
    contradicts: tuple[str, ...]
    unexplained: tuple[str, ...]
    grade_difference: int = 0
    posterior: float = 0.0
    log_likelihood: float = 0.0
    severities: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return " + ".join(site.label for site in self.sites)

    @property
    def probability_words(self) -> str:
        """The posterior and the most probable severities, in words ("p = 0.82, mild partial")."""
        severities = ", ".join(name.replace("_", " ") for name in self.severities)
        return f"p = {self.posterior:.3g}" + (f", {severities}" if severities else "")

    @property
    def explanation(self) -> str:
        """The hypothesis in plain words."""
        words = f"A lesion of {self.label} ({self.probability_words}) explains {len(self.explains)} finding(s){_some(self.explains)}"
        if self.contradicts:
            words += f", contradicts {len(self.contradicts)}{_some(self.contradicts)}"
        if self.unexplained:
            words += f", leaves {len(self.unexplained)} unexplained{_some(self.unexplained)}"
        if self.grade_difference:
            words += f"; its predicted grades differ from those found by {self.grade_difference} in all"
        return words + "."

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "sites": [site.to_dict() for site in self.sites], "label": self.label, "score": self.score,
            "explains": list(self.explains), "contradicts": list(self.contradicts),
            "unexplained": list(self.unexplained), "grade_difference": self.grade_difference,
            "posterior": self.posterior, "log_likelihood": self.log_likelihood, "severities": list(self.severities),
            "explanation": self.explanation,
        }

    def to_table(self) -> Table:
        """One row per examined finding the hypothesis explains, contradicts or leaves
        unexplained: ``verdict`` (``explains``, ``contradicts``, ``unexplained``) and ``finding``
        (in words); a pandas DataFrame when pandas is installed, else a list of dicts.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> exam = neurograph.findings_from_dict(G, {"muscles": {"right brachioradialis": 0, "right triceps": 5}})
        >>> verdicts = neurograph.localize(G, exam).best.to_table()
        >>> verdicts.values.tolist()
        [['explains', 'brachioradialis (right): MRC 0']]
        """
        verdicts = (("explains", self.explains), ("contradicts", self.contradicts), ("unexplained", self.unexplained))
        return table(
            [dict(verdict=verdict, finding=finding) for verdict, findings in verdicts for finding in findings],
            ("verdict", "finding"),
        )

    def _short_repr(self):
        return f"<Hypothesis {self.label}: p {self.posterior:.3g}, score {self.score:g}>"

    def _html_parts(self):
        rows = [["explains", item] for item in self.explains] + [["contradicts", item] for item in self.contradicts]
        rows += [["unexplained", item] for item in self.unexplained]
        return self.label, [("", ["", "finding"], rows)], self.explanation


def _some(findings, shown=3):
    """Up to ``shown`` findings in parentheses, saying how many more there are."""
    if not findings:
        return ""
    more = f"; and {len(findings) - shown} more" if len(findings) > shown else ""
    return f" ({'; '.join(findings[:shown])}{more})"


@dataclass(frozen=True, repr=False)
class Localization(Displayable):
    """Ranked hypotheses, the ties at the top, and the examination that would separate them.

    ``remainder`` is the posterior probability of every hypothesis weighed but not listed, so
    that it and the listed posteriors sum to 1; ``tests`` the unexamined items with the most
    expected information about the site, best first (:func:`neurograph.inference.next_tests`);
    ``ranking`` what the hypotheses are ranked by (``"posterior"`` or ``"score"``).
    """

    hypotheses: tuple[Hypothesis, ...]
    ties: tuple[Hypothesis, ...]
    separating: str = ""
    remainder: float = 0.0
    tests: tuple[NextTest, ...] = ()
    ranking: str = "posterior"
    state: GraphState | None = field(default=None, compare=False)

    @property
    def graph(self) -> nx.DiGraph | None:
        """The anatomy as it was when the findings were localized (see
        :attr:`neurograph.results.LesionResult.graph`); None for a Localization made by hand."""
        return None if self.state is None else self.state.computed_graph("the localization")

    @property
    def best(self) -> Hypothesis | None:
        return self.hypotheses[0] if self.hypotheses else None

    @property
    def tie_sentence(self) -> str:
        """The tie at the top and what would separate it, in words ("" without a tie)."""
        if len(self.ties) < 2:
            return ""
        words = f"{len(self.ties)} hypotheses tie for the best {'score' if self.ranking == 'score' else 'posterior'} ({'; '.join(h.label for h in self.ties[:3])}"
        words += f"; and {len(self.ties) - 3} more)" if len(self.ties) > 3 else ")"
        if self.separating:
            return f"{words}; to separate them, {self.separating}"
        return f"{words}; no examination separates them in this anatomy"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (what ``neurograph localize --json`` prints)."""
        return {
            "ranking": self.ranking,
            "hypotheses": [hypothesis.to_dict() for hypothesis in self.hypotheses],
            "ties": [hypothesis.label for hypothesis in self.ties],
            "separating": self.separating,
            "remainder": self.remainder,
            "next_tests": [test.to_dict() for test in self.tests],
        }

    def to_table(self) -> Table:
        """One row per hypothesis, best first: ``rank``, ``label`` (its sites joined by " + "),
        ``sites`` (how many), ``posterior``, ``log_likelihood``, ``severities`` (``|``-separated), ``score``, how many findings it ``explains``, ``contradicts`` and
        leaves ``unexplained``, ``grade_difference``, and ``tied`` (true for those tied at the
        top); a pandas DataFrame when pandas is installed, else a list of dicts.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> exam = neurograph.findings_from_dict(G, {"muscles": {"right brachioradialis": 0, "right triceps": 5}})
        >>> ranking = neurograph.localize(G, exam, top=3).to_table()
        >>> ranking["rank"].tolist(), bool(ranking["posterior"].is_monotonic_decreasing)
        ([1, 2, 3], True)
        """
        return table(
            [
                dict(
                    rank=rank, label=hypothesis.label, sites=len(hypothesis.sites), posterior=hypothesis.posterior,
                    log_likelihood=hypothesis.log_likelihood, severities="|".join(hypothesis.severities), score=hypothesis.score,
                    explains=len(hypothesis.explains), contradicts=len(hypothesis.contradicts),
                    unexplained=len(hypothesis.unexplained), grade_difference=hypothesis.grade_difference,
                    tied=hypothesis in self.ties,
                )
                for rank, hypothesis in enumerate(self.hypotheses, start=1)
            ],
            ("rank", "label", "sites", "posterior", "log_likelihood", "severities", "score", "explains", "contradicts", "unexplained", "grade_difference", "tied"),
        )

    def _short_repr(self):
        best = self.best.label if self.best else "nothing"
        return f"<Localization best: {best}; {len(self.ties)} tied; {len(self.hypotheses)} hypotheses>"

    def _html_parts(self):
        rows = [[rank, h.label, f"{h.posterior:.3g}", f"{h.score:g}", len(h.explains), len(h.contradicts), len(h.unexplained)]
                for rank, h in enumerate(self.hypotheses, start=1)]
        caption = f"{self.tie_sentence}." if self.tie_sentence else ""
        columns = ["rank", "sites", "posterior", "score", "explains", "contradicts", "unexplained"]
        return "Localization", [("", columns, rows)], caption


class Observation:
    """A findings record as items: which are abnormal, and in which direction.

    ``muscles``, ``reflexes`` and ``places`` are the examined nodes, in the column order of the
    :class:`~neurograph.atlas.Prediction` the items are judged against. Items are the muscles'
    (weak, tone, wasting, fasciculations), then the reflexes', then the places' (one per place
    and modality tested: ``sensory_places``, ``sensory_modalities`` and ``sensory_grades``).
    :meth:`labels_of` gives items' words, ``labels`` every item's.
    :meth:`scores` gives the score each predicted lesion has (what ``ranking="score"`` ranks by).

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.atlas import site_atlas
    >>> G = neurograph.load_anatomy()
    >>> exam = neurograph.findings_from_dict(G, {"muscles": {"right brachioradialis": 0, "right triceps": 5}})
    >>> observation = Observation(G, exam)
    >>> observation.labels
    ['brachioradialis (right): MRC 0', 'triceps brachii (right): MRC 5']
    >>> atlas = site_atlas(G)
    >>> row = [site.label for site in atlas.sites].index("radial nerve at the spiral groove (right)")
    >>> observation.scores(atlas.singles(observation.muscles, observation.reflexes, exam.phase, rows=[row])).tolist()
    [1]
    """

    def __init__(self, G: nx.DiGraph, findings: Findings) -> None:
        self.G, self.findings = G, findings
        #: The findings read as weighing reads them.
        items = self.items = ExaminedItems(G, findings)
        self.muscles = items.muscles
        self.grades = np.asarray(items.grade, dtype=np.int64)
        # Each muscle's items: its grade, then its tone (spastic, flaccid), wasting and
        # fasciculations where examined, muscle by muscle.
        tone_examined = items.tone >= 0
        examined = {"atrophy": items.wasting >= 0, "fasciculations": items.fasciculations >= 0}
        after = {"weak": np.zeros(len(self.muscles), dtype=np.intp)}
        after["spastic"], after["flaccid"] = after["weak"] + 1, after["weak"] + 2
        after["atrophy"] = 1 + 2 * tone_examined
        after["fasciculations"] = after["atrophy"] + examined["atrophy"]
        counts = after["fasciculations"] + examined["fasciculations"]
        first = np.cumsum(counts) - counts
        present = {"weak": np.ones(len(self.muscles), dtype=bool), "spastic": tone_examined, "flaccid": tone_examined, **examined}
        found = {
            "weak": self.grades < 5, **{kind: items.tone == ExaminedItems.TONES.index(kind) for kind in ("spastic", "flaccid")},
            "atrophy": items.wasting == 1, "fasciculations": items.fasciculations == 1,
        }
        muscle_item_count = int(counts.sum())
        muscle_abnormal = np.zeros(muscle_item_count, dtype=bool)
        #: Per kind of muscle item (weak, spastic, ...): the items' positions and their muscles' columns.
        self.muscle_kinds = {}
        for kind in _MUSCLE_KINDS:
            columns = np.flatnonzero(present[kind])
            if len(columns):
                positions = first[columns] + after[kind][columns]
                self.muscle_kinds[kind] = (positions, columns)
                muscle_abnormal[positions] = found[kind][columns]
        self.muscle_columns = np.repeat(np.arange(len(self.muscles)), counts)
        self.reflexes = items.reflexes
        graded, recorded = items.graded, items.recorded
        #: Per reflex item, the direction found (-1, 0 or 1).
        self.wanted = np.array(
            [_GRADE_DIRECTION[grade] for grade in recorded[:graded]] + [REFLEX_DIRECTION[response] for response in recorded[graded:]], dtype=np.int8,
        )
        self.places = items.places
        #: Per sensory item (a place and modality tested): its place's column, its modality's
        #: column (of ``MODALITIES``) and the grade found.
        self.sensory_places, self.sensory_modalities = items.sense_place, items.sense_modality
        self.sensory_grades = np.asarray(items.sense_grade, dtype=np.int64)
        self.abnormal = np.concatenate([muscle_abnormal, self.wanted != 0, self.sensory_grades < 2])
        #: Per item, its muscle's, reflex's or place's column in ``muscles + reflexes + places``.
        self.item_columns = np.concatenate([
            self.muscle_columns, len(self.muscles) + np.arange(len(self.reflexes)), len(self.muscles) + len(self.reflexes) + self.sensory_places,
        ]).astype(np.intp)

    @property
    def muscle_item_count(self) -> int:
        """How many of the items are the muscles' (they come first, then the reflexes', then the places')."""
        return len(self.muscle_columns)

    def labels_of(self, positions: Sequence[int]) -> tuple[str, ...]:
        """The words of the items at ``positions``, such as ``'triceps brachii (right): MRC 4'``."""
        return tuple(self._words[np.asarray(positions, dtype=np.intp)].tolist())

    @property
    def labels(self) -> list[str]:
        """The words of every item, in order."""
        return self._words.tolist()

    @functools.cached_property
    def _words(self) -> np.ndarray:
        """Every item's words (an array of strings), made on first need, each kind of item at once."""
        labels = derived(self.G, _node_labels)
        items = self.items
        # Per muscle, the words of each kind of its items (a muscle's spastic and flaccid items
        # both say its tone; a kind's words are read only where it was examined), then each
        # item's from its muscle's.
        tone = np.array([f"tone {tone}" for tone in ExaminedItems.TONES], dtype=object)[np.maximum(items.tone, 0)]
        by_muscle = {
            "weak": np.array([f"MRC {grade}" for grade in items.grade.tolist()], dtype=object), "spastic": tone, "flaccid": tone,
            **{
                flag: np.array([f"no {flag}", flag], dtype=object)[(found == 1).astype(np.intp)]
                for flag, found in (("atrophy", items.wasting), ("fasciculations", items.fasciculations))
            },
        }
        words = np.empty(len(self.abnormal), dtype=object)
        for kind, (positions, columns) in self.muscle_kinds.items():
            words[positions] = by_muscle[kind][columns]
        named = np.array([f"{labels[muscle]}: " for muscle in self.muscles], dtype=object)
        words[: self.muscle_item_count] = named[self.muscle_columns] + words[: self.muscle_item_count]
        reflexes_end = self.muscle_item_count + len(self.reflexes)
        words[self.muscle_item_count : reflexes_end] = [f"{labels[reflex]}: {found}" for reflex, found in zip(self.reflexes, self.items.recorded)]
        places = [labels[place] for place in self.places]
        words[reflexes_end:] = [
            f"{places[column]}: {_MODALITY_WORDS[modality]} {grade}"
            for column, modality, grade in zip(self.sensory_places.tolist(), self.sensory_modalities.tolist(), self.sensory_grades.tolist())
        ]
        return words

    def sensory_predicted(self, prediction: dict[str, np.ndarray]) -> np.ndarray:
        """Per predicted lesion, the grade predicted for each sensory item."""
        if not len(self.sensory_grades):
            return np.zeros((len(prediction["grade"]), 0), dtype=np.int64)
        return prediction["sensory"][:, self.sensory_places, self.sensory_modalities].astype(np.int64)

    def judge(self, prediction: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per predicted lesion and per item: explained, contradicted, unexplained (boolean arrays)."""
        lesions = prediction["grade"].shape[0]
        predicted_abnormal = np.empty((lesions, self.muscle_item_count), dtype=bool)
        # One selection per kind of muscle item (weak, spastic, ...), not one per item.
        for kind, (positions, columns) in self.muscle_kinds.items():
            predicted_abnormal[:, positions] = prediction["grade"][:, columns] < 5 if kind == "weak" else prediction[kind][:, columns]
        observed = self.abnormal[: self.muscle_item_count]
        directions = prediction["reflex"]
        numb = self.sensory_predicted(prediction) < 2
        found_numb = self.sensory_grades < 2
        explained = np.concatenate(
            [predicted_abnormal & observed, (self.wanted != 0) & (directions == self.wanted), numb & found_numb], axis=1
        )
        contradicted = np.concatenate(
            [predicted_abnormal & ~observed, (directions != 0) & (directions != self.wanted), numb & ~found_numb], axis=1
        )
        unexplained = np.concatenate(
            [~predicted_abnormal & observed, (self.wanted != 0) & (directions == 0), ~numb & found_numb], axis=1
        )
        return explained, contradicted, unexplained

    def grade_differences(self, prediction: dict[str, np.ndarray]) -> np.ndarray:
        """Per predicted lesion: the predicted MRC and sensory grades' distance from those found, summed."""
        sensory = np.abs(self.sensory_predicted(prediction) - self.sensory_grades).sum(axis=1)
        return np.abs(prediction["grade"].astype(np.int64) - self.grades).sum(axis=1) + sensory

    def scores(self, prediction: dict[str, np.ndarray]) -> np.ndarray:
        """The score of each predicted lesion: explained minus contradicted minus unexplained."""
        explained, contradicted, unexplained = self.judge(prediction)
        return explained.sum(axis=1) - contradicted.sum(axis=1) - unexplained.sum(axis=1)


def _node_labels(G):
    """Every node's label (made once per graph state)."""
    return {node: data["label"] for node, data in G.nodes(data=True)}


def _hypothesis(observation, sites, explained, contradicted, unexplained, grade_difference):
    labels = observation.labels_of
    return Hypothesis(
        sites=tuple(sites),
        score=float(explained.sum() - contradicted.sum() - unexplained.sum()),
        explains=labels(np.flatnonzero(explained)),
        contradicts=labels(np.flatnonzero(contradicted)),
        unexplained=labels(np.flatnonzero(unexplained)),
        grade_difference=int(grade_difference),
    )


#: Hypotheses whose posteriors differ by less than this share of the best are tied with it.
TIE_TOLERANCE = 1e-9
#: The pairs weighed by their posterior: at least this many of the best-scoring pairs.
_PAIR_CANDIDATES = 30


def localize(
    G: nx.DiGraph, findings: Findings, max_sites: int = 2, top: int = 10, priors: PriorSpec = None,
    model: ExaminationModel | None = None, tests: int = 3, ranking: str = "posterior",
) -> Localization:
    """Rank the lesion sites (single sites and pairs) by their posterior probability given a findings record.

    Parameters
    ----------
    G : networkx.DiGraph
    findings : Findings
        See :mod:`neurograph.findings`.
    max_sites : {1, 2}
        Whether pairs of sites are considered.
    top : int
        How many hypotheses to return.
    priors : None, "uniform", Priors or mapping, optional
        The prior of each site (see :func:`neurograph.inference.site_prior_weights`); None
        reads ``data/sources/inference/priors.csv``.
    model : ExaminationModel, optional
        The likelihood model of the examination (default: ``examination_error.csv``, see
        :func:`neurograph.inference.read_examination_model`).
    tests : int
        How many of the most informative next tests to rank (0: none); with ``ranking="posterior"``.
    ranking : {"posterior", "score"}
        ``"posterior"`` (the default) ranks by posterior probability (:mod:`neurograph.inference`);
        ``"score"`` by score, as below, with complete lesions only, and leaves ``posterior``,
        ``severities`` and ``tests`` empty.

    Returns
    -------
    Localization
        With ``ranking="posterior"``: hypotheses best first by posterior (every single site at
        each severity, and the pairs weighed, normalised over them; ``remainder`` the rest), then
        fewer sites, then higher score, then predicted grades closer to those found, then the
        smaller lesion, then the more proximal site; ``ties`` are those whose posterior is within
        :data:`TIE_TOLERANCE` of the best's. The pairs weighed are the best-scoring pairs and those
        the singles' fit points to (:func:`neurograph.inference.weigh`).
        With ``ranking="score"``: higher score first, then fewer sites (a single site that
        explains everything ranks above any pair), then predicted MRC grades closer to those
        found, then the smaller lesion (fewer structures), then the more proximal site; ``ties``
        are those level with the best. ``separating`` names the examination whose predicted
        finding differs most between the first of the ties and the first other that predicts
        anything differently (empty when there is no tie, or when no examination separates the
        ties). Of pairs level with the best pair, at most 50 are listed.

    Raises
    ------
    neurograph.AnatomyTooLargeError
        When the anatomy's route tables, its site atlas or the pair search would pass their
        limits (``neurograph.routes.WORK_LIMIT``, ``neurograph.atlas.CELL_LIMIT``,
        :data:`PAIR_LIMIT`); ``max_sites=1`` needs no pair search.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0,
    ...     "right extensor carpi ulnaris": 0, "right triceps": 5, "right deltoid": 5, "right FDI": 5}})
    >>> localize(G, exam, max_sites=1).best.label
    'radial nerve at the spiral groove (right)'
    """
    if max_sites not in (1, 2):
        raise InvalidValueError("max_sites", max_sites, "1 or 2")
    if not isinstance(top, int) or isinstance(top, bool) or top < 1:
        raise InvalidValueError("top", top, "a whole number of at least 1")
    if ranking not in ("score", "posterior"):
        raise InvalidValueError("ranking", ranking, "'score' or 'posterior'")
    if not isinstance(tests, int) or isinstance(tests, bool) or tests < 0:
        raise InvalidValueError("tests", tests, "a whole number of at least 0")
    if not isinstance(findings, Findings):
        raise InvalidValueError("findings", type(findings).__name__, "a Findings record (see neurograph.findings)")
    # The anatomy is checked before the findings are held against it (and each finding against it, as read).
    atlas = site_atlas(G)
    observation = Observation(G, findings)
    if not observation.abnormal.any():
        raise NormalFindingsError(findings)
    if ranking == "score":
        alone = atlas.singles(observation.muscles, observation.reflexes, findings.phase, places=observation.places)
        return _ranked_by_score(G, atlas, findings, observation, alone, max_sites, top)

    found_pairs = []
    if max_sites == 2:
        # The pair search starts from every site's verdicts alone.
        forecast = atlas.prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
        searched = _pair_groups(atlas, forecast)
        # Sites that cut the same predict the same: each group is judged by its first site.
        at_groups = atlas.singles(observation.muscles, observation.reflexes, findings.phase, rows=searched[1], places=observation.places)
        explained, contradicted, unexplained = observation.judge(at_groups)
        each_alone = explained.astype(np.int8) - contradicted - unexplained  # -1, 0 or 1: a byte each
        # Every other site changes no examined item: it leaves each abnormal finding unexplained.
        scores = np.full(len(atlas.sites), -int(observation.abnormal.sum()), dtype=np.int64)
        scores[searched[0]] = each_alone.sum(axis=1)[searched[2]]
        found_pairs = _pairs(atlas, forecast, observation, searched, each_alone, int(scores.max()), max(top, _PAIR_CANDIDATES))
    pair_rows = [(atlas.row_of[hypothesis.sites[0].nodes], atlas.row_of[hypothesis.sites[1].nodes]) for hypothesis, _ in found_pairs]
    weights = weigh(G, observation.items, pair_rows, priors, model, search_pairs=max_sites == 2)
    posterior, names = weights.single_posterior(), list(SEVERITIES)
    # Every single site level with the best is kept, so that ties are reported whole.
    level = posterior >= posterior.max() * (1 - TIE_TOLERANCE)
    candidates = np.union1d(np.flatnonzero(level), np.argsort(-posterior, kind="stable")[: max(top, 2) + int(level.sum())])
    # Among equal posteriors the order needs the score and grade difference of the candidates alone.
    at_candidates = atlas.singles(observation.muscles, observation.reflexes, findings.phase, rows=candidates, places=observation.places)
    score_of = dict(zip(candidates.tolist(), observation.scores(at_candidates).tolist()))
    gap_of = dict(zip(candidates.tolist(), observation.grade_differences(at_candidates).tolist()))

    def rank(row):
        return (1, -score_of[row], gap_of[row], len(atlas.sites[row].nodes), atlas.depth[row])

    singles = sorted(candidates.tolist(), key=lambda row: (-posterior[row], rank(row), atlas.sites[row].label))
    kept = [row for row in singles if level[row]]
    kept += [row for row in singles if not level[row]][: max(max(top, 2) - len(kept), 0)]
    hypotheses, order = [], {}
    # A single site's verdicts are those of its likeliest severity.
    likeliest = [(names[int(weights.singles[row].argmax())],) for row in kept]
    at_severity = predict_at_severities(G, findings, [(row,) for row in kept], likeliest)
    verdicts = observation.judge(at_severity)
    kept_gaps = observation.grade_differences(at_severity)
    for position, row in enumerate(kept):
        explained_single, contradicted_single, unexplained_single = (verdict[position] for verdict in verdicts)
        hypothesis = _hypothesis(
            observation, [atlas.sites[row]], explained_single, contradicted_single, unexplained_single, kept_gaps[position]
        )
        hypothesis = replace(
            hypothesis, posterior=float(posterior[row]), log_likelihood=float(weights.single_likelihood[row]),
            severities=likeliest[position],
        )
        hypotheses.append(hypothesis)
        order[hypothesis.sites] = (-hypothesis.posterior, *rank(row))
    pair_posterior = weights.pair_posterior()
    if len(weights.pair_rows):
        forecast = atlas.prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
        predicted = forecast.predict(weights.pair_rows[:, 0], weights.pair_rows[:, 1])
        judged, pair_gaps = observation.judge(predicted), observation.grade_differences(predicted)
        pair_scores = judged[0].sum(axis=1) - judged[1].sum(axis=1) - judged[2].sum(axis=1)
    for position, (a, b) in enumerate(weights.pair_rows.tolist()):
        if pair_scores[position] <= max(scores[a], scores[b]) or pair_scores[position] < scores.max():
            # Weighed, but listed only where both sites are needed (a site with a bystander is
            # that site) and the pair scores at least as well as the best single site.
            continue
        explained_pair, contradicted_pair, unexplained_pair = (verdict[position] for verdict in judged)
        hypothesis = _hypothesis(
            observation, (atlas.sites[a], atlas.sites[b]), explained_pair, contradicted_pair, unexplained_pair, pair_gaps[position]
        )
        extent = len(atlas.sites[a].nodes) + len(atlas.sites[b].nodes)
        key = (-hypothesis.score, 2, int(pair_gaps[position]), extent, min(atlas.depth[a], atlas.depth[b]))
        best = int(weights.pairs[position].argmax())
        hypothesis = replace(
            hypothesis, posterior=float(pair_posterior[position]), log_likelihood=float(weights.pair_likelihood[position]),
            severities=(names[best // len(names)], names[best % len(names)]),
        )
        hypotheses.append(hypothesis)
        order[hypothesis.sites] = (-hypothesis.posterior, key[1], key[0], *key[2:])
    hypotheses.sort(key=lambda hypothesis: (order[hypothesis.sites], hypothesis.label))
    best_posterior = hypotheses[0].posterior
    ties = tuple(h for h in hypotheses if h.posterior >= best_posterior * (1 - TIE_TOLERANCE))
    separating = _separating(G, atlas, findings, ties) if len(ties) > 1 else ""
    listed = hypotheses[:top]
    remainder = max(0.0, 1.0 - sum(h.posterior for h in listed))
    ranked_tests = next_tests(G, findings, weights, tests, model) if tests else ()
    return Localization(
        hypotheses=tuple(listed), ties=ties, separating=separating, remainder=remainder, tests=ranked_tests,
        state=graph_state(G),
    )


def _ranked_by_score(G, atlas, findings, observation, alone, max_sites, top):
    """The ranking by score (explained minus contradicted minus unexplained), complete lesions."""
    explained, contradicted, unexplained = observation.judge(alone)
    scores = explained.sum(axis=1) - contradicted.sum(axis=1) - unexplained.sum(axis=1)
    gaps = observation.grade_differences(alone)

    def rank(row):
        return (-scores[row], 1, gaps[row], len(atlas.sites[row].nodes), atlas.depth[row])

    # Every site in the order of rank(row), then label (a stable sort, last key first).
    singles = np.lexsort((atlas.label_order, atlas.depth, atlas.extent, gaps, -scores))
    best_score = scores[singles[0]]
    # Every single site level with the best is kept (they come first), so that ties are reported whole.
    kept = singles[: max(int((scores == best_score).sum()), top, 2)].tolist()
    hypotheses, ranking = [], {}
    for row in kept:
        hypothesis = _hypothesis(
            observation, [atlas.sites[row]], explained[row], contradicted[row], unexplained[row], gaps[row]
        )
        hypotheses.append(hypothesis)
        ranking[hypothesis.sites] = rank(row)
    if max_sites == 2:
        forecast = atlas.prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
        searched = _pair_groups(atlas, forecast)
        each_alone = (explained.astype(np.int8) - contradicted - unexplained)[searched[1]]
        for hypothesis, key in _pairs(atlas, forecast, observation, searched, each_alone, int(best_score), top):
            hypotheses.append(hypothesis)
            ranking[hypothesis.sites] = key
    hypotheses.sort(key=lambda hypothesis: (ranking[hypothesis.sites], hypothesis.label))
    best_key = ranking[hypotheses[0].sites][:2]
    ties = tuple(h for h in hypotheses if ranking[h.sites][:2] == best_key)
    separating = _separating(G, atlas, findings, ties) if len(ties) > 1 else ""
    return Localization(hypotheses=tuple(hypotheses[:top]), ties=ties, separating=separating, ranking="score", state=graph_state(G))



#: How many pairs are scored at once (bounds the memory of the pair search to a few megabytes).
_PAIRS_PER_BLOCK = 4096
#: The most pairs of sites the pair search may weigh (the packaged anatomy's largest examination
#: weighs about 450,000); beyond it localize refuses, as its memory grows with the pairs.
PAIR_LIMIT = 4_000_000
#: At most this many pairs level with the best pair are listed as ties.
_MAX_TIED_PAIRS = 50


def _pair_groups(atlas, forecast):
    """The sites the pair search pairs, ``(rows, representatives, group)``: the atlas rows of the
    sites that cut anything the examined items depend on (pairing any other site with a site
    predicts what that site does alone, so it can never outrank it), and those sites grouped by
    what they cut of it (:meth:`~neurograph.atlas.Prediction.distinct`: the first row of each
    group, and each row's group). More than :data:`PAIR_LIMIT` pairs of them are refused."""
    rows = forecast.relevant_rows()
    pairs = len(rows) * (len(rows) - 1) // 2
    if pairs > PAIR_LIMIT:
        raise AnatomyTooLargeError(
            atlas.anatomy, "pair search (localize with max_sites=1 does without it)", pairs, PAIR_LIMIT,
            "neurograph.localization.PAIR_LIMIT", units="pairs of sites",
        )
    representatives, group = forecast.distinct(rows)
    return rows, representatives, group


def _pairs(atlas, forecast, observation, searched, each_alone, best_single, shown):
    """The best pairs of sites, found exactly.

    The sites of ``searched`` (:func:`_pair_groups`) are paired; ``each_alone`` holds each
    group's contribution per item alone. Sites that cut the same predict the same, alone or
    paired, so pairs are scored per two such groups (``_group_pair_scores``). A pair is listed
    only when it scores above each of its sites alone. Pairs that beat the best single site are
    returned, those level with the best pair in full (up to ``_MAX_TIED_PAIRS``), and ``shown``
    pairs in all at least; pairs that only tie the best single site rank below it (parsimony)
    and fill the listing.
    """
    rows, representatives, group = searched
    # A pair that does no better than one of its sites alone is that site with a bystander (two
    # sites of one group do what each does alone). The pairs of sites of groups that do better:
    first_groups, second_groups, group_scores = _group_pair_scores(forecast, observation, representatives, each_alone, best_single)
    one, other = _member_pairs(group, first_groups, second_groups)
    first, second = rows[one], rows[other]
    # Each pair of sites takes its pair of groups' score (the groups' pairs are in order, first group first).
    keys = first_groups * len(representatives) + second_groups
    scores = group_scores[np.searchsorted(keys, np.minimum(group[one], group[other]) * len(representatives) + np.maximum(group[one], group[other]))]
    depth = np.asarray(atlas.depth)
    nearest = np.minimum(depth[first], depth[second])
    extent = atlas.extent[first] + atlas.extent[second]
    gaps = _pair_grade_differences(forecast, observation, representatives, group[one], group[other])
    order = np.lexsort((np.arange(len(first)), nearest, extent, gaps, -scores))
    chosen = []
    for index in order.tolist():
        a, b = int(first[index]), int(second[index])
        if atlas.sites[a].nodes | atlas.sites[b].nodes in atlas.row_of:
            continue  # the two halves of one region are that region, already scored as a single site
        level_with_best = chosen and scores[index] == scores[chosen[0]] and scores[index] > best_single
        if len(chosen) >= shown and not (level_with_best and len(chosen) < _MAX_TIED_PAIRS):
            break
        chosen.append(index)
    if not chosen:
        return []
    chosen = np.array(chosen, dtype=np.intp)
    explained, contradicted, unexplained = observation.judge(forecast.predict(first[chosen], second[chosen]))
    found = []
    for position, index in enumerate(chosen.tolist()):
        a, b = int(first[index]), int(second[index])
        sites = (atlas.sites[a], atlas.sites[b])
        gap = int(gaps[index])
        hypothesis = _hypothesis(observation, sites, explained[position], contradicted[position], unexplained[position], gap)
        extent = len(atlas.sites[a].nodes) + len(atlas.sites[b].nodes)
        found.append((hypothesis, (-hypothesis.score, 2, gap, extent, min(atlas.depth[a], atlas.depth[b]))))
    return found


def _member_pairs(group, first_groups, second_groups):
    """Every pair of positions ``(one, other)``, ``one < other``, whose groups (``group``, per
    position) are a pair of ``first_groups`` and ``second_groups`` (two different groups each),
    in the order of ``one``, then ``other``."""
    counts = np.bincount(group, minlength=int(group.max(initial=-1)) + 1)
    members = np.argsort(group, kind="stable")
    starts = np.cumsum(counts) - counts
    sizes = counts[first_groups] * counts[second_groups]
    pair = np.repeat(np.arange(len(sizes)), sizes)
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    partners = counts[second_groups][pair]
    a = members[starts[first_groups][pair] + within // partners]
    b = members[starts[second_groups][pair] + within % partners]
    one, other = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((other, one))
    return one[order], other[order]


def _pair_grade_differences(forecast, observation, representatives, first_groups, second_groups):
    """The grade difference of each pair of groups given, predicting each distinct pair once."""
    if not len(first_groups):
        return np.zeros(0, dtype=np.int64)
    distinct, position = np.unique(np.stack([first_groups, second_groups], axis=1), axis=0, return_inverse=True)
    differences = np.concatenate([
        observation.grade_differences(forecast.predict(representatives[block[:, 0]], representatives[block[:, 1]]))
        for block in (distinct[start:start + _PAIRS_PER_BLOCK] for start in range(0, len(distinct), _PAIRS_PER_BLOCK))
    ])
    return differences[position.reshape(-1)]


def _group_pair_scores(forecast, observation, representatives, alone, floor):
    """Every pair of ``representatives`` (positions ``first < second``, in that order) whose score
    reaches ``floor`` and is above each one's alone, with that score, exact: ``(first, second, scores)``.

    ``alone`` holds each representative's contribution per item on its own (+1 explained, -1
    contradicted or unexplained, 0 otherwise). Pairs are bounded (:class:`_PairBounds`); those
    whose bound reaches what they need and that share an item are predicted from the atlas.
    """
    bounds = _PairBounds(forecast, observation, representatives, alone)
    first, second = np.nonzero(bounds.by_classes >= floor)
    first, second = first[first < second], second[first < second]
    # A pair must do better than each of its representatives alone (else it is one of them with a bystander).
    each = np.rint(alone.sum(axis=1)).astype(np.int64)
    needed = np.maximum(floor, np.maximum(each[first], each[second]) + 1)
    scores = bounds.by_classes[first, second]
    first, second, scores, needed = (values[scores >= needed] for values in (first, second, scores, needed))
    shared = np.flatnonzero(bounds.shares(first, second))
    sharper = scores[shared] - bounds.still_contradicted(first[shared], second[shared])
    scores[shared] = sharper
    uncertain = shared[sharper >= needed[shared]]
    for start in range(0, len(uncertain), _PAIRS_PER_BLOCK):
        block = uncertain[start:start + _PAIRS_PER_BLOCK]
        scores[block] = observation.scores(forecast.predict(representatives[first[block]], representatives[second[block]]))
    reaching = scores >= needed
    return first[reaching], second[reaching], scores[reaching]


class _PairBounds:
    """Upper bounds on the scores of pairs of ``representatives`` (see :func:`_group_pair_scores`).

    An item's prediction changes only where a site cuts what it depends on
    (:meth:`~neurograph.atlas.Prediction.touches`). For two sites, an item that only one of them
    touches is predicted as that site predicts it alone, an item neither touches as normal;
    only items both touch need the pair itself. Counting each of those at its best gives
    ``by_classes``, an upper bound on every pair's score as a few matrix products, exact when
    the two touch no item in common (:meth:`shares`). At its best is explained when found abnormal;
    when found normal, it is contradicted still where one of the sites makes it abnormal alone
    and the finding stays abnormal with any partner
    (:meth:`~neurograph.atlas.Prediction.abnormal_when_paired`), and nothing otherwise:
    :meth:`still_contradicted` counts those, pair by pair, and calling the bounds gives the
    sharper bound.
    """

    def __init__(self, forecast, observation, representatives, alone):
        untouched = np.where(observation.abnormal, -1.0, 0.0)
        # Items are touched together when their columns (muscles, reflexes, places) are touched by
        # the same representatives: such items are summed into one class, as a pair shares all of
        # them or none (a muscle's weakness, tone, wasting and fasciculations are one column).
        touches = forecast.touches(representatives)
        classes: dict[bytes, int] = {}
        column_class = np.array([classes.setdefault(key.tobytes(), len(classes)) for key in np.packbits(touches, axis=0).T], dtype=np.intp)
        item_class = column_class[observation.item_columns]
        order = np.argsort(item_class, kind="stable")
        starts = np.flatnonzero(np.r_[True, np.diff(item_class[order]) != 0])
        touched = touches[:, observation.item_columns[order][starts]].astype(np.float32)
        # Per representative and class, the class's items' contributions alone (whole numbers, so
        # that float32 products stay exact).
        alone_by_class = np.add.reduceat(alone[:, order], starts, axis=1, dtype=np.int32).astype(np.float32)
        untouched_by_class = np.add.reduceat(untouched[order], starts).astype(np.float32)
        gain = (touched * alone_by_class).sum(axis=1) - touched @ untouched_by_class
        # Where both touch an item, what each contributes alone is taken off, leaving the item at
        # its best (explained when found abnormal, nothing when normal).
        mine_where_shared = (touched * alone_by_class) @ touched.T
        bound = gain[:, None] + (gain + np.float32(untouched.sum()))[None, :]
        bound -= mine_where_shared
        bound -= mine_where_shared.T
        #: Per pair of representatives, the bound counting every item both touch at its best.
        self.by_classes = bound.astype(np.int64)  # whole numbers, exact in float32
        self._touched_classes = touched.astype(bool)
        # The items found normal whose abnormality a site alone predicts stays with a partner,
        # with the representatives that touch each and those that contradict it alone.
        lasting = np.flatnonzero(_abnormal_when_paired(forecast, observation) & ~observation.abnormal)
        self._touching = touches[:, observation.item_columns[lasting]]
        self._contradicting = alone[:, lasting] < 0

    def shares(self, first, second):
        """Per pair (representatives ``first[i]`` and ``second[i]``), whether both touch some item
        (where they do not, ``by_classes`` is the pair's exact score)."""
        shared = np.zeros(len(first), dtype=bool)
        for start in range(0, len(first), _PAIRS_PER_BLOCK):
            block = slice(start, start + _PAIRS_PER_BLOCK)
            shared[block] = (self._touched_classes[first[block]] & self._touched_classes[second[block]]).any(axis=1)
        return shared

    def still_contradicted(self, first, second):
        """Per pair (representatives ``first[i]`` and ``second[i]``), the items found normal that
        both touch and that one of them contradicts alone, in a way the pair keeps."""
        counted = np.zeros(len(first), dtype=np.int64)
        for start in range(0, len(first), _PAIRS_PER_BLOCK):
            a, b = first[start:start + _PAIRS_PER_BLOCK], second[start:start + _PAIRS_PER_BLOCK]
            both = self._touching[a] & self._touching[b] & (self._contradicting[a] | self._contradicting[b])
            counted[start:start + _PAIRS_PER_BLOCK] = both.sum(axis=1)
        return counted

    def __call__(self, first, second):
        """The sharper bound of each pair (representatives ``first[i]`` and ``second[i]``)."""
        return self.by_classes[first, second] - self.still_contradicted(first, second)


def _abnormal_when_paired(forecast, observation):
    """Per item of ``observation``, whether a site that predicts it abnormal alone does so with
    any partner (:meth:`~neurograph.atlas.Prediction.abnormal_when_paired`)."""
    kept = forecast.abnormal_when_paired()
    found = np.zeros(len(observation.abnormal), dtype=bool)
    for kind, (positions, columns) in observation.muscle_kinds.items():
        found[positions] = kept[kind][columns]
    reflexes = observation.muscle_item_count + np.arange(len(observation.reflexes))
    found[reflexes] = kept["reflex"]
    found[observation.muscle_item_count + len(observation.reflexes):] = kept["sensory"][observation.sensory_places]
    return found


_REFLEX_WORDS = {
    "plantar": {-1: "mute", 0: "flexor", 1: "extensor"},
    "superficial": {-1: "absent", 0: "present", 1: "present"},
}
_TENDON_WORDS = {-1: "reduced or absent", 0: "normal", 1: "brisk"}


#: The order in which sensory tests are offered to separate ties, among tests that separate
#: equally: pin prick first, as it maps dermatomes and nerve territories at the bedside and is,
#: with light touch, what the ISNCSCI examination tests (ISNCSCI 2019).
_SEPARATING_MODALITIES = ("pin_prick", "light_touch", "vibration", "joint_position", "temperature")
_GRADE_WORDS = {0: "absent", 1: "altered", 2: "normal"}


def _separating(G, atlas, findings, ties):
    """The unexamined muscle, reflex or sensory test whose predicted finding best splits the tied hypotheses.

    Best: the one that tells apart the most pairs of ties (so the fewest remain together), the
    first among equals: muscles, then reflexes, in anatomical order, then sensory tests (place
    by place in anatomical order, modalities in the order of ``_SEPARATING_MODALITIES``); the
    cranial muscles and brainstem reflexes when none of those tells any two apart.
    Returns "" when no examination tells any two apart.
    """
    table, cranial = atlas.table, atlas.cranial.table
    examined = set(findings.reflexes) | {f"{side}.reflex.plantar_response" for side in findings.plantar}
    places = list(atlas.sensation.table.skin_nodes)
    tests = [
        (column, MODALITIES.index(modality)) for column, place in enumerate(places) for modality in _SEPARATING_MODALITIES
        if place not in findings.sensation or getattr(findings.sensation[place], modality) is None
    ]
    rows = [[atlas.row_of[site.nodes] for site in tie.sites] for tie in ties]
    # The cranial muscles and brainstem reflexes only where no limb or sensory test separates the
    # ties (convergence tells an internuclear ophthalmoplegia from a medial rectus palsy).
    for cranial_muscles, cranial_reflexes in (((), ()), (cranial.muscles, cranial.reflexes)):
        muscles = [muscle for muscle in [*table.muscle_order, *cranial_muscles] if muscle not in findings.muscles]
        reflexes = [node for node in [*(arc.node for arc in table.reflex_order), *cranial_reflexes] if node not in examined]
        if all(len(sites) == 1 for sites in rows):
            predicted = atlas.singles(muscles, reflexes, findings.phase, rows=[sites[0] for sites in rows], places=places)
        else:
            forecast = atlas.prediction(muscles, reflexes, findings.phase, places)
            predicted = forecast.predict([sites[0] for sites in rows], [sites[-1] for sites in rows])
        weak = predicted["grade"] < 5
        muscle_classes = weak + 2 * predicted["spastic"] + 4 * predicted["flaccid"] + 8 * predicted["atrophy"]
        sensory = predicted["sensory"][:, [place for place, _ in tests], [modality for _, modality in tests]].astype(int)
        classes = np.concatenate([muscle_classes, predicted["reflex"].astype(int) + 16, sensory + 32], axis=1)
        # Per column, how many pairs of ties fall in different classes (the first column among equals).
        counts = np.stack([(classes == value).sum(axis=0) for value in np.unique(classes)])
        told_apart = (len(ties) ** 2 - (counts**2).sum(axis=0)) // 2
        if len(told_apart) and told_apart.max() > 0:
            break
    else:
        return ""
    best_column = int(np.argmax(told_apart))
    test = "examine"
    if best_column < len(muscles):
        label = G.nodes[muscles[best_column]]["label"]
        words = [_muscle_words(code) for code in muscle_classes[:, best_column].tolist()]
    elif best_column < len(muscles) + len(reflexes):
        reflex = reflexes[best_column - len(muscles)]
        label = G.nodes[reflex]["label"]
        words = [_REFLEX_WORDS.get(atlas.reflex_kinds[reflex], _TENDON_WORDS)[direction] for direction in predicted["reflex"][:, best_column - len(muscles)].tolist()]
    else:
        place, modality = tests[best_column - len(muscles) - len(reflexes)]
        test, label = f"test {MODALITIES[modality].replace('_', ' ')} at", G.nodes[places[place]]["label"]
        words = [_GRADE_WORDS[grade] for grade in sensory[:, best_column - len(muscles) - len(reflexes)].tolist()]
    groups = {}
    for tie, word in zip(ties, words):
        groups.setdefault(word, []).append(tie.label)
    described = [
        f"{word} if {labels[0]}" + (f" (or {len(labels) - 1} other tied)" if len(labels) > 1 else "")
        for word, labels in sorted(groups.items(), key=lambda item: -len(item[1]))
    ]
    return f"{test} {label}: {'; '.join(described)}"


def _muscle_words(code):
    words = [word for bit, word in ((1, "weak"), (2, "spastic"), (4, "flaccid"), (8, "wasted")) if code & bit]
    return " and ".join(", ".join(words).rsplit(", ", 1)) if words else "normal"
