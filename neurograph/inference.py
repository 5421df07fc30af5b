"""Localization as inference: how likely each lesion is, given an imperfect examination.

Every hypothesis is a site (or a pair of sites) of :func:`neurograph.resolve.atlas_sites` at
one of three severities (:data:`SEVERITIES`). Its posterior probability is its prior times the
likelihood of what was examined, normalised over every hypothesis searched:

- **Priors** (:func:`read_priors`, the table ``data/sources/inference/priors.csv``): a weight
  per site class (:func:`site_class`) and, where the literature gives one, per site, spread
  over the severities; the two sides share a site's weight. A pair carries the product of its
  sites' priors and the documented ``pair_penalty``, so parsimony comes from probability.
- **Likelihood** (:class:`ExaminationModel`, the table ``examination_error.csv``): for each
  examined item the probability of what was recorded given what the lesion makes true, with
  the examiner's error: an MRC grade one off costs little, a predicted normal muscle recorded
  at 0 costs a lot. Acute and chronic phases keep their own expectations (no wasting, rarely
  spasticity, in the first weeks). Items are independent given the hypothesis; items not
  examined are left out.
- **Partial lesions**: a lesion of severity ``s`` leaves each route it cuts ``1 - s`` of its
  function, as :func:`~neurograph.simulate` does for a site of that severity: a muscle keeps
  ``1 - s * (1 - strength)`` of its strength, a reflex arc the complete lesion cuts is reduced,
  not absent, and corticospinal loss still shows its signs. Two sites of a pair add their
  losses, and what the complete pair does beyond that sum (less where they cut the same routes,
  more where each spares what the other cuts) counts at the lesser severity.

The predictions come from the site atlas (:mod:`neurograph.atlas`), so a single site's
hypothesis at any severity costs a few array operations. :func:`weigh` weighs every single
site and the pairs given; :func:`next_tests` ranks the unexamined items by expected
information gain; :func:`draw_patients` and :func:`noisy_findings` make the simulated patients
the evaluation harness (``scripts/evaluate_localization.py``) localizes.
"""

from __future__ import annotations

import csv
import functools
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, Union

import numpy as np

from neurograph.atlas import site_atlas
from neurograph.cache import derived, derived_from_values
from neurograph.engine import MRC_THRESHOLDS, REFLEX_DIRECTION, reflex_state
from neurograph.errors import InvalidValueError
from neurograph.findings import Findings, MuscleExam, SensoryExam
from neurograph.resolve import atlas_sites
from neurograph.results import Displayable, table
from neurograph.schema import CRANIAL_KINDS, MODALITIES, REFLEX_KINDS, TONE_NOT_ASSESSABLE
from neurograph.tables import Table

if TYPE_CHECKING:
    import networkx as nx
    from neurograph.resolve import Site

__all__ = [
    "SEVERITIES", "ExaminedItems", "ExaminationModel", "Priors", "PriorSpec", "read_examination_model", "read_priors", "site_class",
    "site_prior_weights", "Weights", "weigh", "predict_at_severities", "NextTest", "Outcome", "next_tests", "SimulatedPatient", "focused_items",
    "noisy_findings", "draw_patients",
]

#: The severities a hypothesis may have, by name, as the share of each route a lesion of that
#: severity cuts (the ``severity`` of a :class:`~neurograph.resolve.Site`): complete, a severe
#: partial lesion (a muscle it denervates falls to MRC 2) and a mild one (MRC 4).
SEVERITIES = {"complete": 1.0, "severe_partial": 0.7, "mild_partial": 0.3}

#: The states the examination model knows, per item; an observation is one of these.
_REFLEX_CATEGORIES = ("absent", "reduced", "normal", "brisk")
_PLANTAR_CATEGORIES = ("flexor", "extensor", "mute")
_TONES = ("normal", "flaccid", "spastic")
#: Every reflex state the engine gives, numbered, and the category each is recorded in.
_STATES = ("absent", "reduced", "normal", "brisk", "present", "flexor", "extensor", "mute")
_STATE_CATEGORY = {"absent": 0, "reduced": 1, "normal": 2, "brisk": 3, "present": 2, "flexor": 0, "extensor": 1, "mute": 2}
#: Observed reflex grades (and plantar responses) as categories.
_GRADE_CATEGORY = {"0": 0, "1+": 1, "2+": 2, "3+": 3, "4+": 3}
_PLANTAR_CATEGORY = {"flexor": 0, "extensor": 1, "mute": 2}
#: Fasciculation states: anterior horn disease, a root or nerve lesion, no lesion of the muscle.
_FASCICULATION_STATES = ("anterior_horn_disease", "root_or_nerve_lesion", "no_lesion")
#: Site classes whose lesion takes anterior horn cells (fasciculations are their clinical mark).
_ANTERIOR_HORN_CLASSES = frozenset({"anterior_horn", "cord_segment"})

#: The distributions :class:`ExaminationModel` needs, with the observations of each.
_DISTRIBUTIONS = {
    "mrc_grade_error": ("same_grade", "one_grade_off", "two_or_more_off"),
    "shared_supply_grade": ("as_predicted", "one_grade_off"),
    **{f"reflex_true_{state}": _REFLEX_CATEGORIES for state in _REFLEX_CATEGORIES},
    "plantar_umn_lesion": ("extensor", "not_extensor"),
    "plantar_no_umn_lesion": ("extensor", "not_extensor"),
    "plantar_not_extensor_arc_intact": ("flexor", "mute"),
    "plantar_arc_cut": _PLANTAR_CATEGORIES,
    "tone_error": ("same", "different"),
    "tone_umn_acute": ("increased", "not_increased"),
    "tone_umn_chronic": ("increased", "not_increased"),
    "wasting_denervated_acute": ("present", "absent"),
    "wasting_denervated_chronic": ("present", "absent"),
    "wasting_innervated": ("present", "absent"),
    "fasciculations_anterior_horn": ("present", "absent"),
    "fasciculations_root_or_nerve": ("present", "absent"),
    "fasciculations_no_lesion": ("present", "absent"),
    "light_touch_grade_error": ("same_grade", "one_grade_off", "two_grades_off"),
    "pin_prick_grade_error": ("same_grade", "one_grade_off", "two_grades_off"),
}
#: The error distribution each sensory modality is recorded with: the dorsal column modalities
#: as light touch, the spinothalamic ones as pin prick (the table measures those two).
_SENSORY_ERROR = {"light_touch": "light_touch", "pin_prick": "pin_prick", "temperature": "pin_prick",
                  "vibration": "light_touch", "joint_position": "light_touch"}
_SUM_TOLERANCE = 1e-3


def _table_path(name: str) -> Path:
    """A table of ``data/sources/inference``: inside an installed wheel, or beside the package."""
    packaged = resources.files("neurograph").joinpath("_data", "inference", name)
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / "sources" / "inference" / name


def _read_rows(path: str | os.PathLike[str], what: str) -> list[dict[str, str]]:
    from neurograph.errors import AnatomyFileError
    from neurograph.files import read_regular_file

    path = Path(path)
    try:
        text = read_regular_file(path, 1024 * 1024, what).decode("utf-8")
    except UnicodeDecodeError:
        raise AnatomyFileError(path, f"{what} are not UTF-8 text") from None
    return list(csv.DictReader(text.splitlines()))


def _probability(where: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidValueError(where, value, "a probability from 0 to 1") from None
    if isinstance(value, bool) or not 0 <= number <= 1 or math.isnan(number):
        raise InvalidValueError(where, value, "a probability from 0 to 1")
    return number


@dataclass(frozen=True)
class ExaminationModel:
    """The likelihood model of the examination: one distribution per condition of an item.

    ``distributions`` maps each name of ``examination_error.csv``'s ``distribution`` column
    (``mrc_grade_error``, ``reflex_true_brisk``, ``plantar_umn_lesion``, ``tone_error``,
    ``wasting_denervated_chronic``, ...) to the probability of each observation. Every one the
    model needs must be there, each summing to 1.

    Examples
    --------
    >>> model = read_examination_model()
    >>> round(float(model.mrc_matrix()[3, 2]), 5), round(float(model.mrc_matrix()[5, 0]), 5)
    (0.0975, 0.00125)
    """

    distributions: Mapping[str, Mapping[str, float]]

    def __post_init__(self) -> None:
        for name, observations in _DISTRIBUTIONS.items():
            given = self.distributions.get(name)
            if given is None:
                raise InvalidValueError("examination model", name, "every distribution of examination_error.csv")
            if set(given) != set(observations):
                raise InvalidValueError(f"examination model {name}", sorted(given), f"the observations {list(observations)}")
            for observed, value in given.items():
                _probability(f"examination model {name} {observed}", value)
            if abs(sum(given.values()) - 1) > _SUM_TOLERANCE:
                raise InvalidValueError(f"examination model {name}", round(sum(given.values()), 6), "probabilities summing to 1")

    def probabilities(self) -> tuple[tuple[str, tuple[tuple[str, float], ...]], ...]:
        """Every distribution's probabilities, by name and observation, as one hashable value:
        what the tables made from a model are kept by (two models with the same probabilities
        share them; a model whose probabilities changed gets its own).

        Examples
        --------
        >>> read_examination_model().probabilities() == read_examination_model().probabilities()
        True
        """
        return tuple(sorted(
            (name, tuple(sorted((observed, float(value)) for observed, value in observations.items())))
            for name, observations in self.distributions.items()
        ))

    def _p(self, name: str, observed: str) -> float:
        return float(self.distributions[name][observed])

    def mrc_matrix(self) -> np.ndarray:
        """P(recorded grade | true grade), a 6 x 6 array (rows true, columns recorded).

        One grade off is split evenly between up and down; at an end of the scale the half
        that would leave it is recorded at that end (an examiner who would grade a normal
        muscle above 5 records 5, so a normal muscle is recorded at 4 no more often than a
        muscle at 3 is recorded at 2). Two or more off is spread evenly over the grades that far.
        """
        same, one, more = (self._p("mrc_grade_error", key) for key in _DISTRIBUTIONS["mrc_grade_error"])
        matrix = np.zeros((6, 6))
        for true in range(6):
            far = [grade for grade in range(6) if abs(grade - true) >= 2]
            matrix[true, true] = same
            for grade in (true - 1, true + 1):
                matrix[true, min(max(grade, 0), 5)] += one / 2
            matrix[true, far] = more / len(far)
        return matrix

    def shared_supply_mrc_matrix(self) -> np.ndarray:
        """P(recorded grade | predicted grade) for a muscle the lesion takes only part of the
        strength of (a muscle of several roots, one of them cut, or a partial lesion): how much
        each root gives a muscle varies between people, and a partial lesion takes the fibres
        to each muscle unevenly, so its true grade may lie a grade either side of the
        prediction (``shared_supply_grade``; clipped at the ends of the scale), and is then
        recorded with the examiner's error (:meth:`mrc_matrix`)."""
        off = self._p("shared_supply_grade", "one_grade_off")
        variation = np.eye(6) * (1 - off)
        for true in range(6):
            for grade in (true - 1, true + 1):
                variation[true, min(max(grade, 0), 5)] += off / 2
        return variation @ self.mrc_matrix()

    def sensory_matrix(self, modality: str) -> np.ndarray:
        """P(recorded ISNCSCI grade | true grade) for a modality, a 3 x 3 array (0 absent, 1
        altered, 2 normal); one grade off split evenly between up and down where both exist;
        from the middle grade, an error of two grades would leave the scale and is recorded at
        its end. Temperature is recorded as pin prick is, vibration and joint position as light
        touch."""
        name = f"{_SENSORY_ERROR[modality]}_grade_error"
        same, one, two = (self._p(name, key) for key in _DISTRIBUTIONS[name])
        return np.array([[same, one, two], [(one + two) / 2, same, (one + two) / 2], [two, one, same]])

    def reflex_matrix(self) -> np.ndarray:
        """P(recorded | true) over absent, reduced, normal, brisk (a 4 x 4 array)."""
        return np.array([[self._p(f"reflex_true_{true}", seen) for seen in _REFLEX_CATEGORIES] for true in _REFLEX_CATEGORIES])

    def plantar_matrix(self) -> np.ndarray:
        """P(recorded | true): rows flexor (no UMN lesion), extensor (UMN lesion, arc intact),
        mute (arc cut or spinal shock); columns flexor, extensor, mute. A response that is
        not extensor with the arc intact is recorded flexor or mute by its own distribution."""
        flexor, mute = (self._p("plantar_not_extensor_arc_intact", seen) for seen in ("flexor", "mute"))
        intact = [
            [self._p(name, "not_extensor") * flexor, self._p(name, "extensor"), self._p(name, "not_extensor") * mute]
            for name in ("plantar_no_umn_lesion", "plantar_umn_lesion")
        ]
        return np.array([*intact, [self._p("plantar_arc_cut", seen) for seen in _PLANTAR_CATEGORIES]])

    def tone_matrix(self, phase: str) -> np.ndarray:
        """P(recorded tone | true state): rows normal, flaccid, upper motor neuron weakness;
        columns normal, flaccid, spastic. UMN weakness is spastic only in some patients, and
        seldom in the first weeks; what is not increased is flaccid when acute, normal later."""
        same = self._p("tone_error", "same")
        error = np.full((3, 3), (1 - same) / 2)
        np.fill_diagonal(error, same)
        increased = self._p(f"tone_umn_{phase}", "increased")
        umn = increased * error[2] + (1 - increased) * error[1 if phase == "acute" else 0]
        return np.stack([error[0], error[1], umn])

    def wasting_matrix(self, phase: str) -> np.ndarray:
        """P(recorded | true): rows innervated, denervated; columns absent, present."""
        rows = ("wasting_innervated", f"wasting_denervated_{phase}")
        return np.array([[self._p(name, "absent"), self._p(name, "present")] for name in rows])

    def fasciculation_matrix(self) -> np.ndarray:
        """P(recorded | true): rows anterior horn disease, root or nerve lesion, no lesion; columns absent, present."""
        rows = ("fasciculations_anterior_horn", "fasciculations_root_or_nerve", "fasciculations_no_lesion")
        return np.array([[self._p(name, "absent"), self._p(name, "present")] for name in rows])


def read_examination_model(
    path: str | os.PathLike[str] | None = None, overrides: Mapping[str, Mapping[str, float]] | None = None
) -> ExaminationModel:
    """Read the examination model from ``examination_error.csv`` (or a file in its format).

    Parameters
    ----------
    path : path, optional
        A CSV in the format of ``data/sources/inference/examination_error.csv`` (default: that
        table). Its ``probability`` rows are read.
    overrides : mapping, optional
        Distributions to replace, by name: ``{"mrc_grade_error": {"same_grade": 0.7,
        "one_grade_off": 0.27, "two_or_more_off": 0.03}}``.

    Raises
    ------
    NeurographError
        Naming the distribution: unknown, missing an observation, or not summing to 1.

    Examples
    --------
    >>> strict = read_examination_model(overrides={"mrc_grade_error": {"same_grade": 0.98, "one_grade_off": 0.02, "two_or_more_off": 0.0}})
    >>> strict.distributions["mrc_grade_error"]["same_grade"]
    0.98
    """
    rows = _read_rows(path or _table_path("examination_error.csv"), "examination error rows")
    distributions: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.get("measure") == "probability":
            name = row.get("distribution") or ""
            distributions.setdefault(name, {})[row.get("observed") or ""] = _probability(f"examination model {name}", row.get("value"))
    for name, given in (overrides or {}).items():
        if name not in _DISTRIBUTIONS:
            raise InvalidValueError("examination model override", name, f"one of {', '.join(_DISTRIBUTIONS)}")
        if not isinstance(given, Mapping):
            raise InvalidValueError(f"examination model override {name}", given, "a mapping of observations to probabilities")
        distributions[name] = {str(key): _probability(f"examination model override {name} {key}", value) for key, value in given.items()}
    return ExaminationModel(distributions)


@dataclass(frozen=True)
class Priors:
    """Prior weights: per site class, per site within its class, per severity, and the pair penalty.

    ``classes`` maps a class to its weight; ``shares`` maps a class to ``{site key: share}``
    where a key is a side-less node id (``median.carpal_tunnel``), a station
    (``internal_capsule``) or a segment (``C7``, for a root), and ``*`` stands for every key
    not named, sharing its weight evenly; a class without shares spreads its weight evenly over
    its sites. ``severity`` maps each of :data:`SEVERITIES` to its share.
    """

    classes: Mapping[str, float]
    shares: Mapping[str, Mapping[str, float]]
    severity: Mapping[str, float]
    pair_penalty: float

    def __post_init__(self) -> None:
        _check_weights("prior class", self.classes)
        for name, shares in self.shares.items():
            _check_weights(f"prior shares of {name}", shares)
        _check_weights("prior severity", self.severity)
        if set(self.severity) != set(SEVERITIES):
            raise InvalidValueError("prior severity", sorted(self.severity), f"a weight for each of {list(SEVERITIES)}")
        if not 0 < _weight("pair penalty", self.pair_penalty) <= 1:
            raise InvalidValueError("pair penalty", self.pair_penalty, "a factor above 0, at most 1")


def _weight(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InvalidValueError(where, value, "a weight: a finite number of at least 0")
    return float(value)


def _check_weights(where: str, weights: Mapping[str, float]) -> None:
    if not isinstance(weights, Mapping) or not weights:
        raise InvalidValueError(where, weights, "a mapping of names to weights")
    for name, value in weights.items():
        _weight(f"{where} {name!r}", value)
    if sum(weights.values()) <= 0:
        raise InvalidValueError(where, "weights summing to 0", "at least one weight above 0")


def read_priors(path: str | os.PathLike[str] | None = None) -> Priors:
    """Read :class:`Priors` from ``priors.csv`` (or a file in its format).

    Examples
    --------
    >>> priors = read_priors()
    >>> priors.shares["root"]["C7"] > priors.shares["root"]["C6"], priors.pair_penalty
    (True, 0.05)
    """
    rows = _read_rows(path or _table_path("priors.csv"), "priors")
    classes: dict[str, float] = {}
    shares: dict[str, dict[str, float]] = {}
    severity: dict[str, float] = {}
    penalty = None
    for number, row in enumerate(rows, start=2):
        group, site = row.get("group") or "", row.get("site") or ""
        try:
            prior = float(row.get("prior") or "")
        except ValueError:
            raise InvalidValueError(f"priors row {number}", row.get("prior"), "a number") from None
        if group == "site_class":
            classes[row.get("site_class") or ""] = prior
        elif group == "severity":
            severity[site] = prior
        elif group == "pair_penalty":
            penalty = prior
        else:
            shares.setdefault(group, {})[site] = prior
    if penalty is None:
        raise InvalidValueError("priors", "no pair_penalty row", "a pair_penalty row")
    return Priors(classes, shares, severity, penalty)


#: What ``priors=`` takes: None (the table), "uniform" (every site and severity alike), a
#: :class:`Priors`, or a mapping of site classes and site names to weights.
PriorSpec = Union[None, str, Priors, Mapping[str, float]]


def site_class(G: nx.DiGraph, site: Site) -> str:
    """The class of a lesion site (``site_classes.csv``): from the kinds of its nodes.

    A nerve point's afferent twin goes with it; a single node is classed by its kind, a region
    by what it covers.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.resolve import resolve_site
    >>> G = neurograph.load_anatomy()
    >>> [site_class(G, resolve_site(G, name)) for name in ("right carpal tunnel", "left C7 nerve root", "C7", "right median nerve")]
    ['nerve', 'root', 'cord_segment', 'whole_nerve']
    """
    return _site_class(G, site.nodes)


_NODE_CLASSES = {"afferent": "cutaneous_nerve", "sensory_cortex": "sensory_cortical_area"}


def _site_class(G, nodes):
    kinds = {G.nodes[node]["kind"] for node in nodes}
    if kinds <= CRANIAL_KINDS:
        return "cranial"
    # Cranial structures a region holds beside limb ones (corticobulbar fibres in the pons) go with it.
    main = [node for node in nodes if G.nodes[node]["kind"] not in ("afferent", "skin", *CRANIAL_KINDS)] or list(nodes)
    main_kinds = {G.nodes[node]["kind"] for node in main}
    if len(main) == 1:
        kind = G.nodes[main[0]]["kind"]
        return _NODE_CLASSES.get(kind, kind)
    if main_kinds == {"cortical_area"}:
        return "cortex"
    if main_kinds == {"sensory_cortex"}:
        return "sensory_cortex"
    if "anterior_horn" in main_kinds and main_kinds <= {"anterior_horn", "tract", "sensory_tract"}:
        return "cord_segment"
    if "tract" in main_kinds and main_kinds <= {"tract", "sensory_tract"}:
        return "tract_station"
    if main_kinds == {"sensory_tract"}:
        return "sensory_tract_region"
    if main_kinds <= {"ventral_root", "dorsal_root"}:
        segments = {G.nodes[node].get("segment") for node in main}
        if main_kinds == {"ventral_root", "dorsal_root"} and len(segments) == 1:
            return "root"
        return "root_region"
    if main_kinds == {"nerve"} and len({G.nodes[node].get("nerve") for node in main}) == 1:
        return "whole_nerve"
    if main_kinds <= {"ventral_ramus", "plexus_element", "nerve"}:
        return "whole_plexus"
    raise InvalidValueError("lesion site", ", ".join(sorted(kinds)), "a site of a known class (site_classes.csv)")


def _site_key(G, site, site_class_name, sensory_stations=frozenset()):
    """The name a priors table gives a site within its class (side-less). The motor fibres alone
    of a station that also carries sensory fibres are ``<station>_motor_fibres``: a pure motor
    stroke there, not the sensorimotor stroke of the whole station."""
    main = sorted(node for node in site.nodes if G.nodes[node]["kind"] not in ("afferent", "skin", *CRANIAL_KINDS)) or sorted(site.nodes)
    if site_class_name == "tract_station":
        station = G.nodes[main[0]].get("station", "")
        motor_only = station in sensory_stations and all(G.nodes[node]["kind"] != "sensory_tract" for node in main)
        return f"{station}_motor_fibres" if motor_only else station
    if site_class_name == "root":
        return G.nodes[main[0]].get("segment", "")
    if len(main) == 1:
        return main[0].partition(".")[2]
    return site.label.rsplit(", ", 1)[0]


class _SiteClasses:
    """Per atlas site: its class and its key in the priors table (made once per graph state)."""

    def __init__(self, G):
        sites = atlas_sites(G)
        # Only sites that act on something share a class's prior, so nodes off every route
        # change no posterior; if none acts, every site shares it. A site that acts on nothing
        # has no class (None).
        acting = site_atlas(G).acting
        self.acting = acting if acting.any() else np.ones(len(sites), dtype=bool)
        sensory_stations = frozenset(data.get("station") for _, data in G.nodes(data=True) if data["kind"] == "sensory_tract")
        self.classes: list[str | None] = [None] * len(sites)
        self.keys: list[str | None] = [None] * len(sites)
        for row in np.flatnonzero(self.acting).tolist():
            self.classes[row] = _site_class(G, sites[row].nodes)
            self.keys[row] = _site_key(G, sites[row], self.classes[row], sensory_stations)
        self.by_label = {site.label: row for row, site in enumerate(sites)}


def site_prior_weights(G: nx.DiGraph, priors: PriorSpec = None) -> np.ndarray:
    """The prior of each site of :func:`~neurograph.resolve.atlas_sites` (in its order), summing to 1.

    A site whose lesion acts on nothing (no route passes it: ``SiteAtlas.acting``) can explain
    no finding, so it takes no prior and a class's prior is shared among the sites that act.

    Parameters
    ----------
    G : networkx.DiGraph
    priors : None, "uniform", Priors or mapping
        None reads ``priors.csv``. A mapping names site classes (``"nerve"``) and sites (an
        atlas site's name or label, ``"right radial nerve at the spiral groove"``) with a
        weight: a class's weight replaces the table's; a site's replaces its share of its class
        (the table's prior for the site); what is not named keeps the table's prior.

    Raises
    ------
    NeurographError
        Naming the entry: a negative or non-numeric weight, a name that is neither a site class
        nor a site, weights that leave every site at 0.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> from neurograph.resolve import atlas_sites
    >>> labels = [site.label for site in atlas_sites(G)]
    >>> weights = site_prior_weights(G)
    >>> bool(weights[labels.index("C7 root (dorsal and ventral), right")] > weights[labels.index("C7 anterior horn (right)")])
    True
    """
    if priors is None:
        return derived(G, _TablePriors).weights
    return _site_prior_weights(G, priors)


class _TablePriors:
    """The table's prior of every atlas site (made once per graph state)."""

    def __init__(self, G):
        self.weights = _site_prior_weights(G, None)
        self.weights.flags.writeable = False


def _site_prior_weights(G, priors):
    known = derived(G, _SiteClasses)
    if isinstance(priors, str):
        if priors != "uniform":
            raise InvalidValueError("priors", priors, "None, 'uniform', a Priors or a mapping of classes and sites to weights")
        return known.acting / known.acting.sum()
    if priors is None or isinstance(priors, Priors):
        table_priors, overrides = (priors or _default_priors()), {}
    elif isinstance(priors, Mapping):
        table_priors, overrides = _default_priors(), dict(priors)
    else:
        raise InvalidValueError("priors", type(priors).__name__, "None, 'uniform', a Priors or a mapping of classes and sites to weights")
    classes = dict(table_priors.classes)
    site_weights: dict[int, float] = {}
    for name, value in overrides.items():
        weight = _weight(f"prior {name!r}", value)
        if name in classes or name in known.classes:
            classes[name] = weight
        elif (row := _site_row(G, known, name)) is not None:
            site_weights[row] = weight
        else:
            raise InvalidValueError("prior", name, "a site class of site_classes.csv or a lesion site of this anatomy")
    weights = np.zeros(len(known.classes))
    members: dict[str, list[int]] = {}
    for row in np.flatnonzero(known.acting).tolist():
        members.setdefault(known.classes[row], []).append(row)
    for name, rows in members.items():
        shares = table_priors.shares.get(name, {})
        keys: dict[str, list[int]] = {}
        for row in rows:
            keys.setdefault(known.keys[row], []).append(row)
        unnamed = [key for key in keys if key not in shares]
        rest = shares.get("*", 0.0 if shares else 1.0)
        total = sum(shares.get(key, 0.0) for key in keys) + (rest if unnamed else 0.0)
        for key, key_rows in keys.items():
            share = shares[key] if key in shares else rest / len(unnamed)
            weights[key_rows] = classes.get(name, 0.0) * (share / total if total else 0.0) / len(key_rows)
    for row, weight in site_weights.items():
        weights[row] = weight if known.acting[row] else 0.0
    if weights.sum() <= 0:
        raise InvalidValueError("priors", "weights summing to 0", "at least one site with a weight above 0")
    return weights / weights.sum()


def _site_row(G, known, name):
    """The atlas row of a site named as the resolver takes it, or by an atlas site's label; None if it is none."""
    from neurograph.errors import NeurographError
    from neurograph.resolve import resolve_site

    if not isinstance(name, str):
        return None
    if name in known.by_label:
        return known.by_label[name]
    try:
        nodes = resolve_site(G, name).nodes
    except NeurographError:
        return None
    return site_atlas(G).row_of.get(nodes)


_PRIORS: list[Priors] = []


def _default_priors():
    if not _PRIORS:
        _PRIORS.append(read_priors())
    return _PRIORS[0]


_MODEL: list[ExaminationModel] = []


def _default_model():
    if not _MODEL:
        _MODEL.append(read_examination_model())
    return _MODEL[0]


def _severity_weights(priors):
    if isinstance(priors, Priors):
        given = priors.severity
    elif isinstance(priors, str):
        given = dict.fromkeys(SEVERITIES, 1.0)
    else:
        given = _default_priors().severity
    weights = np.array([given[name] for name in SEVERITIES], dtype=float)
    return weights / weights.sum()


def _pair_penalty(priors):
    if isinstance(priors, Priors):
        return priors.pair_penalty
    if isinstance(priors, str):
        return 1.0
    return _default_priors().pair_penalty


class ExaminedItems:
    """The examined items of a findings record, as codes the likelihood reads (read once per
    localization: :func:`neurograph.localize` judges the same arrays it weighs).

    ``muscles`` are the examined muscles in sorted order, ``exams`` their records (:class:`MuscleExam`);
    per muscle, ``grade`` (MRC), ``tone`` (the number of its recorded tone in :attr:`TONES`),
    ``wasting`` and ``fasciculations`` (0 or 1), each -1 where not examined. ``reflexes`` are
    the graded reflexes in sorted order, then the plantar responses by side (the order
    :mod:`neurograph.localization` uses), ``recorded`` what was found of each (a grade, or a
    plantar response), ``graded`` how many are graded; per reflex, ``observed`` (its recorded
    category), ``plantar`` (whether it is a plantar response) and ``kind`` (its number in
    :data:`~neurograph.schema.REFLEX_KINDS`). ``places`` are the examined skin places in sorted
    order; per place and modality tested, ``sense_place`` (the place's position),
    ``sense_modality`` (the modality's in :data:`~neurograph.schema.MODALITIES`) and
    ``sense_grade`` (the grade found).

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> items = ExaminedItems(G, findings_from_dict(G, {"muscles": {"right triceps": {"mrc_grade": 3, "tone": "spastic"}},
    ...     "plantar": {"right": "extensor"}}))
    >>> items.grade.tolist(), [ExaminedItems.TONES[tone] for tone in items.tone.tolist()], items.reflexes, items.recorded
    ([3], ['spastic'], ['R.reflex.plantar_response'], ['extensor'])
    """

    #: The recorded tones, in the order ``tone`` numbers them.
    TONES = _TONES

    def __init__(self, G: nx.DiGraph, findings: Findings) -> None:
        atlas = site_atlas(G)
        _check_examined_nodes(atlas, findings)
        self.phase = findings.phase
        self.muscles, self.reflexes = _examined_nodes(findings)
        exams = self.exams = [findings.muscles[muscle] for muscle in self.muscles]
        self.grade = np.array([exam.mrc_grade for exam in exams], dtype=np.intp)
        self.tone = np.array([-1 if exam.tone is None else _TONES.index(exam.tone) for exam in exams], dtype=np.intp)
        self.wasting = np.array([-1 if exam.atrophy is None else int(exam.atrophy) for exam in exams], dtype=np.intp)
        self.fasciculations = np.array([-1 if exam.fasciculations is None else int(exam.fasciculations) for exam in exams], dtype=np.intp)
        self.graded = len(findings.reflexes)
        self.recorded = [grade for _, grade in sorted(findings.reflexes.items())] + [findings.plantar[side] for side in sorted(findings.plantar)]
        self.observed = np.array(
            [_GRADE_CATEGORY[grade] for grade in self.recorded[: self.graded]] + [_PLANTAR_CATEGORY[response] for response in self.recorded[self.graded :]],
            dtype=np.intp,
        )
        kinds = atlas.reflex_kinds
        self.plantar = np.array([kinds[node] == "plantar" for node in self.reflexes], dtype=bool)
        self.kind = np.array([REFLEX_KINDS.index(kinds[node]) for node in self.reflexes], dtype=np.intp)
        sensation = getattr(findings, "sensation", {})
        self.places = sorted(sensation)
        # Each place's modalities tested, in the order of MODALITIES (that of SensoryExam.grades).
        tested = np.array([
            (column, number, grade) for column, place in enumerate(self.places)
            for number, modality in enumerate(MODALITIES) if (grade := getattr(sensation[place], modality)) is not None
        ], dtype=np.intp).reshape(-1, 3)
        self.sense_place, self.sense_modality, self.sense_grade = tested.T


def _check_examined_nodes(atlas, findings):
    """Refuse an examined item the atlas's anatomy lacks or holds as another kind than its entry says: a
    muscle under ``muscles``, a graded reflex under ``reflexes`` (the plantar response under ``plantar``),
    a skin place under ``sensation``."""
    limb, cranial = atlas.table.muscles, atlas.cranial.table.muscles
    for muscle in findings.muscles:
        if muscle not in limb and muscle not in cranial:
            raise InvalidValueError("finding", muscle, "a muscle of this anatomy")
    for reflex in findings.reflexes:
        if atlas.reflex_kinds.get(reflex, "plantar") == "plantar":
            raise InvalidValueError("finding", reflex, "a reflex of this anatomy (the plantar response is given under plantar)")
    for side in findings.plantar:
        if atlas.reflex_kinds.get(f"{side}.reflex.plantar_response") != "plantar":
            raise InvalidValueError("finding", f"{side}.reflex.plantar_response", "a reflex of this anatomy")
    for place in findings.sensation:
        if place not in atlas.sensation.skin_position:
            raise InvalidValueError("finding", place, "a skin place of this anatomy")


def _examined_nodes(findings):
    """The examined muscles in sorted order, and the reflexes: the graded ones in sorted order, then the plantar responses by side."""
    plantar = [f"{side}.reflex.plantar_response" for side in sorted(findings.plantar)]
    return sorted(findings.muscles), sorted(findings.reflexes) + plantar


@functools.lru_cache(maxsize=None)
def _state_table(phase):
    """The engine's reflex state for every (kind, arc bucket, umn, shock), as numbers of ``_STATES``
    (read-only; made once per phase, as it derives from the engine's rules alone, not a graph)."""
    shares = (0.0, 0.5, 1.0)
    table = np.array([[[[
        _STATES.index(reflex_state(kind, share, umn, shock, phase)) for shock in (False, True)]
        for umn in (False, True)] for share in shares] for kind in REFLEX_KINDS], dtype=np.intp)
    table.setflags(write=False)
    return table


def _grades(strength):
    """The MRC grade of each share of strength left: the best grade whose lower bound it reaches."""
    reached = np.searchsorted(_ASCENDING_BOUNDS, np.round(strength, 12), side="right")
    return _GRADE_BY_BOUNDS_REACHED[reached]


#: The lower bounds of ``MRC_THRESHOLDS``, lowest first, and the grade of a strength that reaches the first n of them.
_ASCENDING_BOUNDS = np.array([bound for _, bound in reversed(MRC_THRESHOLDS)])
_GRADE_BY_BOUNDS_REACHED = np.array([0, *(grade for grade, _ in reversed(MRC_THRESHOLDS))], dtype=np.intp)


@dataclass(frozen=True)
class _Truth:
    """What a hypothesis makes true of each item: the states the examination model reads.

    Per muscle (rows x muscles): ``grade`` (0-5), ``tone`` (0 normal, 1 flaccid, 2 upper motor
    neuron weakness), ``denervated`` and ``fasciculation`` (a number of
    ``_FASCICULATION_STATES``), ``fasciculates`` (the engine's finding) and ``shared`` (the
    lesion takes part, not all, of the muscle's strength); per reflex:
    ``reflex`` (a number of ``_STATES``).
    """

    grade: Any
    tone: Any
    denervated: Any
    fasciculation: Any
    reflex: Any
    fasciculates: Any
    sensory: Any = None
    shared: Any = None


def _sensory_truth(prediction, items, partial):
    """The true grade of each sensory item; a partial lesion leaves some feeling where the complete one abolishes it."""
    if items is None or not len(items.sense_grade):
        return None
    grade = prediction["sensory"][:, items.sense_place, items.sense_modality].astype(np.intp)
    return np.where(partial[:, None] & (grade == 0), 1, grade)


def _truth(prediction, loss, kinds, phase, anterior_horn, partial_arc):
    """The true states of a lesion whose muscles lose ``loss`` of their strength.

    ``prediction`` is the atlas's complete-lesion prediction (for the flags and the reflexes);
    ``anterior_horn`` per row whether the lesion takes anterior horn cells; ``partial_arc`` per
    row whether an arc the complete lesion cuts is only partly cut.
    """
    grade = _grades(1.0 - loss)
    weak = grade < 5
    lmn, umn = prediction["lmn"], prediction["umn"]
    tone = np.where(weak & umn & ~lmn, 2, np.where(weak, 1, 0))
    fasciculating = prediction["fasciculations"] & anterior_horn[:, None] if phase == "chronic" else np.zeros_like(lmn)
    fasciculation = np.where(fasciculating, 0, np.where(lmn, 1, 2))
    arc = prediction["reflex_arc"].astype(np.intp)
    arc = np.where(partial_arc[:, None] & (arc == 0), 1, arc)
    reflex = _state_table(phase)[kinds[None, :], arc, prediction["reflex_umn"].astype(np.intp), prediction["reflex_shock"].astype(np.intp)]
    shared = (loss > 1e-9) & (loss < 1 - 1e-9)
    return _Truth(grade, tone, lmn, fasciculation, reflex, prediction["fasciculations"] & weak, shared=shared)


def _item_log_likelihoods(model, items, truth):
    """Per row and examined item (grades, tones, wasting, fasciculations, reflexes, sensory
    grades), the log-probability of what was recorded given ``truth``.

    Each item's log-probabilities by true state are laid side by side (a row of
    ``_LOOKUP_WIDTH`` per item, :func:`_recorded_rows`), so every row's items are read in one
    flat lookup rather than a fancy index per kind of item (a whole examination has hundreds of items).
    """
    lookup, kinds = _recorded_rows(model, items)
    # An MRC grade's state is its grade, or six more where the lesion takes part of the strength.
    grade_state = truth.grade if truth.shared is None else truth.grade + 6 * truth.shared
    # (Without sensory items a truth has no sensory states.)
    sensory = truth.sensory if truth.sensory is not None else np.zeros((len(grade_state), 0), dtype=np.intp)
    state_of = {
        "grade": grade_state, "tone": truth.tone, "wasting": truth.denervated, "fasciculations": truth.fasciculation,
        "reflex": truth.reflex, "plantar": truth.reflex, **dict.fromkeys(MODALITIES, sensory),
    }
    flat = np.concatenate([state_of[kind][:, chosen] for kind, chosen in kinds], axis=1, dtype=np.intp)
    flat += np.arange(0, lookup.size, _LOOKUP_WIDTH)[None, :]
    return lookup.ravel().take(flat)


def _recorded_rows(model, items):
    """Per examined item, the log-probability of what was recorded in each of its true states
    (a row of ``_LOOKUP_WIDTH``), kind by kind: each muscle's MRC grade, then its tone, wasting
    and fasciculations where examined, the graded reflexes, the plantar responses, and the
    sensory items modality by modality (each kind in its items' order). Also the kinds in that
    order, each with which of its items (muscles, reflexes or sensory items) it holds."""
    likelihoods = derived_from_values(_Likelihoods, model.probabilities(), items.phase)
    every_muscle = np.ones(len(items.grade), dtype=bool)
    kinds = [
        ("grade", every_muscle, items.grade), ("tone", items.tone >= 0, items.tone), ("wasting", items.wasting >= 0, items.wasting),
        ("fasciculations", items.fasciculations >= 0, items.fasciculations), ("reflex", ~items.plantar, items.observed),
        ("plantar", items.plantar, items.observed),
        *((modality, items.sense_modality == number, items.sense_grade) for number, modality in enumerate(MODALITIES)),
    ]
    lookup = np.concatenate([likelihoods.rows[kind][observed[chosen]] for kind, chosen, observed in kinds])
    return lookup, [(kind, chosen) for kind, chosen, _ in kinds]


class _Likelihoods:
    """The log-probability of each value an item of each kind may be recorded with, in each of
    the item's true states, for one examination model (given by its probabilities,
    :meth:`ExaminationModel.probabilities`) and phase: per kind, a row per recorded value of
    ``_LOOKUP_WIDTH`` states (an MRC grade's twelve: its grade alone, then where the lesion takes
    part of the strength; a reflex's by the engine's state, ``_STATES``). Made once per model
    and phase (:func:`~neurograph.cache.derived_from_values`), read-only."""

    def __init__(self, probabilities, phase):
        model = ExaminationModel({name: dict(observations) for name, observations in probabilities})
        matrices = {
            "grade": np.concatenate([model.mrc_matrix(), model.shared_supply_mrc_matrix()]), "tone": model.tone_matrix(phase),
            "wasting": model.wasting_matrix(phase), "fasciculations": model.fasciculation_matrix(),
            **{modality: model.sensory_matrix(modality) for modality in MODALITIES},
        }
        # A reflex by the engine's state: its recorded category (a state whose category the
        # matrix lacks, a brisk plantar response, never occurs).
        for kind, matrix in (("reflex", model.reflex_matrix()), ("plantar", model.plantar_matrix())):
            matrices[kind] = matrix[np.where(_STATE_CATEGORIES < len(matrix), _STATE_CATEGORIES, 0)]
        self.rows = {}
        for kind, matrix in matrices.items():
            rows = np.zeros((matrix.shape[1], _LOOKUP_WIDTH))
            rows[:, : matrix.shape[0]] = _floored_log(matrix).T
            rows.flags.writeable = False
            self.rows[kind] = rows


#: The states an examined item's lookup row holds at most: six MRC grades alone and six shared.
_LOOKUP_WIDTH = 12
#: The recorded category (``_STATE_CATEGORY``) of each of ``_STATES``, by its number.
_STATE_CATEGORIES = np.array([_STATE_CATEGORY[state] for state in _STATES], dtype=np.intp)


def _floored_log(matrix):
    """The log of probabilities, a probability of 0 (a model that rules an observation out) as
    about -690 rather than minus infinity, so that sums and differences stay finite."""
    return np.log(np.maximum(matrix, 1e-300))


def _log_likelihood(model, items, truth):
    """Per row, the log-probability of what was recorded given ``truth``."""
    return _item_log_likelihoods(model, items, truth).sum(axis=1)


def _shows(truth):
    """Per row, whether the lesion makes any examined item abnormal."""
    normal = np.array([state in ("normal", "present", "flexor") for state in _STATES])
    motor = (
        (truth.grade < 5).any(axis=1) | (truth.tone > 0).any(axis=1) | truth.denervated.any(axis=1)
        | ~normal[truth.reflex].all(axis=1)
    )
    return motor if truth.sensory is None else motor | (truth.sensory < 2).any(axis=1)


def _reflex_kinds(atlas, reflexes):
    return np.array([REFLEX_KINDS.index(atlas.reflex_kinds[node]) for node in reflexes], dtype=np.intp)


def _anterior_horn_rows(G, rows):
    classes = derived(G, _SiteClasses).classes
    return np.array([classes[row] in _ANTERIOR_HORN_CLASSES for row in rows], dtype=bool)


def _single_truths(G, atlas, muscles, reflexes, phase, rows, items=None):
    """The true states of each of ``rows`` at each severity: a list over :data:`SEVERITIES`
    (with the sensory items of ``items``, when given)."""
    prediction = atlas.singles(muscles, reflexes, phase, rows=rows, places=items.places if items is not None else ())
    return _severity_truths(prediction, _reflex_kinds(atlas, reflexes), phase, _anterior_horn_rows(G, rows), items)


def _severity_truths(prediction, kinds, phase, anterior_horn, items):
    """The true states of the single sites of ``prediction`` (the atlas's) at each of :data:`SEVERITIES`."""
    lost = 1.0 - prediction["strength"]
    truths = []
    for fraction in SEVERITIES.values():
        partial = np.full(len(lost), fraction < 1)
        truth = _truth(prediction, fraction * lost, kinds, phase, anterior_horn, partial)
        truths.append(replace(truth, sensory=_sensory_truth(prediction, items, partial)))
    return truths


#: Sites whose item states are worked out at once when :class:`_ItemStates` are made (bounds the memory taken).
_STATE_ROWS_PER_BLOCK = 256


class _Entries(NamedTuple):
    """The items a lesion changes at any severity, column by column: column ``c``'s entries are
    ``starts[c]:starts[c + 1]``, each a group of sites and the states it makes true (a column
    of ``states``, severities x entries, in the order of :data:`SEVERITIES`: the state of no
    lesion where that severity leaves the item as it is)."""

    starts: np.ndarray
    groups: np.ndarray
    states: np.ndarray


class _ItemStates:
    """What a lesion of each atlas site makes true of every item an examination may record,
    kept only where it differs from no lesion (made once per graph state, a phase on first use).

    An item is a column: each muscle's (limb, then cranial) MRC grade state (its grade, six more
    where the lesion takes part of its strength), tone, wasting and fasciculation states; each
    reflex's state (a number of ``_STATES``; limb, then brainstem); each skin place's grade in
    each modality. Sites that predict alike (the same rows of the limb, cranial and sensory cuts,
    and whether they take anterior horn cells) are one group. A lesion changes few of the items,
    so weighing an examination reads only the examined items' entries (:class:`_Examined`): a
    group's log-likelihood is that of no lesion plus, over its entries, what its state changes.
    The three severities' entries are kept together (a lesion changes nearly the same items at
    each), so that an examination's entries are found once for all three.
    """

    def __init__(self, G):
        atlas = self.atlas = site_atlas(G)
        self.muscles = [*atlas.table.muscle_order, *atlas.cranial.table.muscles]
        self.reflexes = [*(arc.node for arc in atlas.table.reflex_order), *atlas.cranial.table.reflexes]
        self.places = list(atlas.sensation.table.skin_nodes)
        self.muscle_column = {muscle: column for column, muscle in enumerate(self.muscles)}
        self.reflex_column = {reflex: column for column, reflex in enumerate(self.reflexes)}
        self.place_column = {place: column for column, place in enumerate(self.places)}
        anterior_horn = _anterior_horn_rows(G, range(len(atlas.sites)))
        keys = np.stack([
            atlas.cut_row, np.asarray(atlas.cranial.set_of_site, dtype=np.intp), atlas.sensation.cut_row, anterior_horn.astype(np.intp),
        ], axis=1).reshape(len(atlas.sites), 4)
        _, self.representatives, group_of_site = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        #: Per atlas site, its group.
        self.group_of_site = np.asarray(group_of_site, dtype=np.intp).reshape(-1)
        self.count = len(self.representatives)
        self.anterior_horn = anterior_horn[self.representatives]
        self.kinds = _reflex_kinds(atlas, self.reflexes)
        muscles = len(self.muscles)
        #: Where each kind of item's columns start.
        self.offsets = {
            "grade": 0, "tone": muscles, "wasting": 2 * muscles, "fasciculations": 3 * muscles, "reflex": 4 * muscles,
            "sensory": 4 * muscles + len(self.reflexes),
        }
        self.width = self.offsets["sensory"] + len(self.places) * len(MODALITIES)
        self._entries: dict[str, _Entries] = {}
        self._normal: dict[str, np.ndarray] = {}

    def normal(self, phase):
        """Every column's state with no lesion (read-only; made once per phase)."""
        if phase not in self._normal:
            self._normal[phase] = self._made_normal(phase)
        return self._normal[phase]

    def _made_normal(self, phase):
        muscles = len(self.muscles)
        normal = np.concatenate([
            np.full(muscles, 5), np.zeros(muscles), np.zeros(muscles), np.full(muscles, _FASCICULATION_STATES.index("no_lesion")),
            _state_table(phase)[self.kinds, 2, 0, 0],  # the arc intact, no drive lost, no shock
            np.full(len(self.places) * len(MODALITIES), 2),
        ]).astype(np.intp)
        normal.flags.writeable = False
        return normal

    def entries(self, phase):
        """The :class:`_Entries` of ``phase``."""
        if phase not in self._entries:
            self._entries[phase] = self._made(phase)
        return self._entries[phase]

    def _made(self, phase):
        normal = self.normal(phase)
        places = len(self.places)
        every_place = _EveryPlace(
            np.repeat(np.arange(places), len(MODALITIES)), np.tile(np.arange(len(MODALITIES)), places), np.zeros(places * len(MODALITIES)),
        )
        # Per severity, each changed item as a key (column, then group) and its state.
        keys: list[list[np.ndarray]] = [[np.zeros(0, dtype=np.int64)] for _ in SEVERITIES]
        changed: list[list[np.ndarray]] = [[np.zeros(0, dtype=np.intp)] for _ in SEVERITIES]
        for start in range(0, self.count, _STATE_ROWS_PER_BLOCK):
            block = slice(start, start + _STATE_ROWS_PER_BLOCK)
            prediction = self.atlas.singles(self.muscles, self.reflexes, phase, rows=self.representatives[block], places=self.places)
            truths = _severity_truths(prediction, self.kinds, phase, self.anterior_horn[block], every_place)
            for severity, truth in enumerate(truths):
                parts = [truth.grade + 6 * truth.shared, truth.tone, truth.denervated, truth.fasciculation, truth.reflex]
                states = np.concatenate(parts + ([] if truth.sensory is None else [truth.sensory]), axis=1, dtype=np.intp)
                group, column = np.nonzero(states != normal[None, :])
                keys[severity].append(column.astype(np.int64) * self.count + group + start)
                changed[severity].append(states[group, column])
        keys_by_severity = [np.concatenate(parts) for parts in keys]
        # Column by column; within a column, groups in order.
        every = np.unique(np.concatenate(keys_by_severity))
        column, group = np.divmod(every, self.count)
        table = np.repeat(normal[column][None, :], len(SEVERITIES), axis=0)
        for severity, key in enumerate(keys_by_severity):
            table[severity, np.searchsorted(every, key)] = np.concatenate(changed[severity])
        starts = np.searchsorted(column, np.arange(self.width + 1))
        return _Entries(starts, group.astype(np.intp), table.astype(np.int8))


class _EveryPlace(NamedTuple):
    """Every skin place in every modality, as the sensory items of :func:`_sensory_truth`."""

    sense_place: np.ndarray
    sense_modality: np.ndarray
    sense_grade: np.ndarray


def _gather(entries, columns):
    """The entries of ``columns``: per entry, the position of its column in ``columns``, its group and its states."""
    starts = entries.starts[columns]
    lengths = entries.starts[columns + 1] - starts
    position = np.repeat(np.arange(len(columns)), lengths)
    index = np.arange(int(lengths.sum())) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return position, entries.groups.take(index), entries.states.take(index, axis=1)


class _Examined:
    """The examined items of a findings record (:class:`ExaminedItems`) as columns of :class:`_ItemStates`,
    in the order of :func:`_item_log_likelihoods`, with the log-probability of what was recorded
    in each state of each (``lookup``), less that in the state of no lesion (``changes``)."""

    def __init__(self, states, model, items):
        muscles = np.array([states.muscle_column[muscle] for muscle in items.muscles], dtype=np.intp)
        reflexes = np.array([states.reflex_column[reflex] for reflex in items.reflexes], dtype=np.intp)
        places = np.array([states.place_column[place] for place in items.places], dtype=np.intp)
        lookup, kinds = _recorded_rows(model, items)
        offsets = states.offsets
        column_of = {
            **{kind: offsets[kind] + muscles for kind in ("grade", "tone", "wasting", "fasciculations")},
            "reflex": offsets["reflex"] + reflexes, "plantar": offsets["reflex"] + reflexes,
            **{
                modality: offsets["sensory"] + places[items.sense_place] * len(MODALITIES) + number
                for number, modality in enumerate(MODALITIES)
            },
        }
        parts = [column_of[kind][chosen] for kind, chosen in kinds]
        self.columns = np.concatenate(parts).astype(np.intp)
        normal = states.normal(items.phase)
        at_normal = lookup[np.arange(len(self.columns)), normal[self.columns]]
        #: The log-likelihood of the examination with no lesion.
        self.baseline = float(at_normal.sum())
        self.changes = lookup - at_normal[:, None]
        # What makes a lesion show: a muscle weak or denervated, any reflex or sensory item
        # changed. Per item and state (laid out as ``changes``), whether the state shows: not
        # for a muscle's tone or fasciculations; a muscle's grade state where its grade (the
        # state, less six where the lesion takes part of the strength) is below 5. And the
        # wasting of the muscles whose wasting was not examined.
        kind = np.repeat(np.arange(len(parts)), [len(part) for part in parts])
        number = {name: at for at, (name, _) in enumerate(kinds)}
        state = np.arange(_LOOKUP_WIDTH)[None, :]
        self.showing = (
            ((kind != number["tone"]) & (kind != number["fasciculations"]))[:, None] & (state != normal[self.columns][:, None])
            & ((kind != number["grade"])[:, None] | (state % 6 != 5))
        )
        self.unexamined_wasting = states.offsets["wasting"] + muscles[items.wasting < 0]
        self.unexamined_wasting_normal = normal[self.unexamined_wasting]
        self.states = states

    def gather(self, entries):
        """The examined items' entries (``entries`` is an :class:`_Entries`): per entry its item and
        group, and per severity and entry its state as a position in ``changes``' flat layout and
        its change of log-likelihood."""
        item, group, state = _gather(entries, self.columns)
        flat = item * _LOOKUP_WIDTH + state
        return item, group, flat, self.changes.take(flat)

    def shows(self, entries, gathered):
        """Per group, whether its complete lesion makes any examined item abnormal (``gathered``:
        :meth:`gather` of ``entries``)."""
        _, group, flat, _ = gathered
        showing = np.bincount(group[self.showing.take(flat[0])], minlength=self.states.count) > 0
        if len(self.unexamined_wasting):
            at, wasted_group, wasted_state = _gather(entries, self.unexamined_wasting)
            showing[wasted_group[wasted_state[0] != self.unexamined_wasting_normal[at]]] = True
        return showing


def _pair_truths(G, atlas, muscles, reflexes, phase, first, second, items=None):
    """The true states of each pair at each of the nine pairs of severities (first's, second's)."""
    first, second = np.asarray(first, dtype=np.intp), np.asarray(second, dtype=np.intp)
    places = items.places if items is not None else ()
    together = atlas.prediction(muscles, reflexes, phase, places).predict(first, second)
    alone_first = atlas.singles(muscles, reflexes, phase, rows=first)
    alone_second = atlas.singles(muscles, reflexes, phase, rows=second)
    kinds = _reflex_kinds(atlas, reflexes)
    anterior_horn = _anterior_horn_rows(G, first) | _anterior_horn_rows(G, second)
    loss_a, loss_b = 1.0 - alone_first["strength"], 1.0 - alone_second["strength"]
    # What the pair does beyond the sum of its sites: negative where they cut the same routes,
    # positive where each spares what the other cuts (a muscle driven from both hemispheres).
    interaction = (1.0 - together["strength"]) - loss_a - loss_b
    # An arc stays cut only where a complete site alone cuts it, or both sites are complete.
    cut_a, cut_b = alone_first["reflex_arc"] == 0, alone_second["reflex_arc"] == 0
    truths = []
    for fraction_a in SEVERITIES.values():
        for fraction_b in SEVERITIES.values():
            loss = np.clip(fraction_a * loss_a + fraction_b * loss_b + min(fraction_a, fraction_b) * interaction, 0.0, 1.0)
            truth = _truth(together, loss, kinds, phase, anterior_horn, np.zeros(len(first), dtype=bool))
            if fraction_a < 1 or fraction_b < 1:
                still_cut = (cut_a & (fraction_a == 1)) | (cut_b & (fraction_b == 1))
                arc = np.where((together["reflex_arc"] == 0) & ~still_cut, 1, together["reflex_arc"]).astype(np.intp)
                reflex = _state_table(phase)[kinds[None, :], arc, together["reflex_umn"].astype(np.intp), together["reflex_shock"].astype(np.intp)]
                truth = replace(truth, reflex=reflex)
            partial = np.full(len(first), fraction_a < 1 or fraction_b < 1)
            truths.append(replace(truth, sensory=_sensory_truth(together, items, partial)))
    return truths


#: The pair search: how many of the likeliest distinct predictions are paired with each other,
#: how many of those pairs (of sites that predict alike) are weighed exactly, and how many sites
#: of each such group.
_PAIRED_SINGLES = 150
_PAIRS_WEIGHED = 60
_GROUP_MEMBERS = 4


def _prediction_groups(atlas, items):
    """Per atlas site, what decides its prediction of ``items``, as a row of numbers (sites with
    equal rows predict alike): its row of the limb cut matrices, with its cranial structures
    when cranial items were examined and its row of the sensory cut matrices when skin places
    were; and whether the site acts on none of them."""
    columns = [atlas.cut_row]
    nothing = atlas.cut_row == 0
    cranial = atlas.cranial.items(items.muscles) + atlas.cranial.items(items.reflexes)
    if cranial:
        # The cranial structures a site holds on the examined items' routes (the others change nothing).
        held = atlas.cranial_patterns(cranial)
        columns.append(held)
        nothing = nothing & (held == 0)
    if items.places:
        # A site that reaches none of the examined places grades them all normal.
        reaching = atlas.sensation.prediction(items.places).relevant
        sensory = np.where(reaching, atlas.sensation.cut_row, 0)
        columns.append(sensory)
        nothing = nothing & (sensory == 0)
    return np.stack(columns, axis=1), nothing


class _ItemGains:
    """Item by item, what distinct predictions (each by the group of its first site) gain over
    predicting every examined item normal, at a severity each: made for the few the pair search pairs."""

    def __init__(self, groups, gathered, item_count, group_count):
        self.groups, self.gathered, self.item_count, self.group_count = groups, gathered, item_count, group_count

    def __call__(self, distinct, severities):
        """Per distinct prediction of ``distinct`` at its severity of ``severities``, the gain of each item."""
        found = np.zeros((len(distinct), self.item_count))
        item, group, _, changes = self.gathered
        for severity, change in enumerate(changes):
            mine = np.flatnonzero(severities == severity)
            slot = np.full(self.group_count, -1, dtype=np.intp)
            slot[self.groups[distinct[mine]]] = mine
            at = slot[group]
            kept = at >= 0
            found[at[kept], item[kept]] = change[kept]
        return found


def _likely_pairs(atlas, changes, item_gains, position, singles, site_prior, penalty):
    """Pairs of sites likely to be the best pairs: found from the singles' item by item fit.

    Each distinct prediction (sites that cut the same predict the same; ``changes`` holds, per
    distinct prediction and severity, how much it changes the log-likelihood of predicting
    every item normal), at its likeliest severity, gains item by item over predicting the item
    normal (``item_gains``). A pair is estimated to gain on each item what its better site
    gains where both change it, and what either gains elsewhere (exact when the two sites touch
    different items). The estimated best pairs of the likeliest distinct predictions are
    returned as atlas rows (each by its likeliest sites), to be weighed exactly.
    """
    distinct = len(changes)
    if not item_gains.item_count or distinct < 2:
        return np.zeros((0, 2), dtype=np.intp)
    weighed = np.isfinite(singles.max(axis=1))
    group_prior = np.full(distinct, -np.inf)
    np.maximum.at(group_prior, position, np.where(weighed, site_prior, -np.inf))
    best_severity = changes.argmax(axis=1)
    joint = changes[np.arange(distinct), best_severity] + group_prior
    chosen = np.argsort(-joint, kind="stable")[:_PAIRED_SINGLES]
    chosen = chosen[np.isfinite(joint[chosen])]
    if len(chosen) < 2:
        return np.zeros((0, 2), dtype=np.intp)
    chosen_gains = item_gains(chosen, best_severity[chosen]).astype(np.float32)
    first, second = np.triu_indices(len(chosen), 1)
    # Where both touch an item the pair gains the better of the two, not their sum: the lesser
    # is summed over the items both touch, in the items' order (an accumulation, so that the
    # float32 sums are the same whatever the shapes), each distinct prediction with those after it.
    overlaps = np.zeros((len(chosen), len(chosen)), dtype=np.float32)
    by_item = np.ascontiguousarray(chosen_gains.T)
    shared_items = by_item[(by_item != 0).sum(axis=1) > 1]
    touching = shared_items != 0
    for one in range(len(chosen) - 1):
        mine = touching[:, one]
        if mine.any():
            later = shared_items[mine, one + 1:]
            lesser = np.where(later != 0, np.minimum(shared_items[mine, one][:, None], later), 0)
            overlaps[one, one + 1:] = np.add.accumulate(lesser, axis=0)[-1]
    overlap = overlaps[first, second]
    totals = chosen_gains.sum(axis=1)
    estimate = totals[first] + totals[second] - overlap + group_prior[chosen[first]] + group_prior[chosen[second]] + math.log(penalty)
    members = {}
    found: list[tuple[int, int]] = []
    for index in np.argsort(-estimate, kind="stable")[:_PAIRS_WEIGHED].tolist():
        key = (int(chosen[first[index]]), int(chosen[second[index]]))
        for group in key:
            if group not in members:
                rows = np.flatnonzero((position == group) & weighed)
                members[group] = rows[np.argsort(-site_prior[rows], kind="stable")][:_GROUP_MEMBERS].tolist()
        # Two lesions lie in two places: sites that share a structure are not paired, and two
        # halves of one region are that region, a single site.
        found += [
            (a, b) for a in members[key[0]] for b in members[key[1]]
            if atlas.sites[a].nodes.isdisjoint(atlas.sites[b].nodes) and atlas.sites[a].nodes | atlas.sites[b].nodes not in atlas.row_of
        ]
    return np.array(found, dtype=np.intp).reshape(-1, 2)


def predict_at_severities(
    G: nx.DiGraph, findings: Findings, rows: Sequence[Sequence[int]], severities: Sequence[Sequence[str]]
) -> dict[str, np.ndarray]:
    """What each hypothesis (one or two atlas rows, each at its named severity) predicts for the
    examined items, in the format of :meth:`neurograph.atlas.Prediction.predict`.

    The muscles are the findings' in sorted order, the reflexes the graded ones in sorted order
    then the plantar responses by side. Grades, tone, wasting and reflexes are those of the
    lesion at that severity (see the module's notes); fasciculations the engine's.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right triceps": 4}, "reflexes": {"right triceps reflex": "1+"}})
    >>> row = [site.label for site in neurograph.atlas.site_atlas(G).sites].index("radial nerve in the axilla (right)")
    >>> predicted = predict_at_severities(G, exam, [(row,), (row,)], [("complete",), ("mild_partial",)])
    >>> predicted["grade"].tolist(), predicted["reflex"].tolist()
    ([[0], [4]], [[-1], [-1]])
    """
    atlas = site_atlas(G)
    muscles, reflexes = _examined_nodes(findings)
    phase = findings.phase
    names = list(SEVERITIES)
    found: list[Any] = [None] * len(rows)
    singles = [position for position, sites in enumerate(rows) if len(sites) == 1]
    pairs = [position for position, sites in enumerate(rows) if len(sites) == 2]
    if singles:
        # Each single site at its own severity, made at once.
        chosen = [rows[p][0] for p in singles]
        prediction = atlas.singles(muscles, reflexes, phase, rows=chosen)
        fractions = np.array([SEVERITIES[severities[p][0]] for p in singles])
        truth = _truth(
            prediction, fractions[:, None] * (1.0 - prediction["strength"]), _reflex_kinds(atlas, reflexes), phase,
            _anterior_horn_rows(G, chosen), fractions < 1,
        )
        for index, position in enumerate(singles):
            found[position] = (truth, index)
    if pairs:
        first, second = ([rows[p][number] for p in pairs] for number in (0, 1))
        truths = _pair_truths(G, atlas, muscles, reflexes, phase, first, second)
        for index, position in enumerate(pairs):
            combination = names.index(severities[position][0]) * len(names) + names.index(severities[position][1])
            found[position] = (truths[combination], index)
    chronic = phase == "chronic"
    direction = np.array([REFLEX_DIRECTION[state] for state in _STATES], dtype=np.int8)

    def stacked(name):
        """Each hypothesis's true states of one kind, a row each (in the order of ``rows``)."""
        return np.array([getattr(truth, name)[index] for truth, index in found]).reshape(len(rows), -1)

    if found:
        grade = stacked("grade")
        weak = grade < 5
        spastic = weak & (stacked("tone") == 2) & chronic
        predicted = {
            "grade": grade, "spastic": spastic, "flaccid": weak & ~spastic, "atrophy": stacked("denervated") & chronic,
            "fasciculations": stacked("fasciculates"), "reflex": direction[stacked("reflex")],
        }
    else:
        predicted = {name: np.zeros((0, 0)) for name in ("grade", "spastic", "flaccid", "atrophy", "fasciculations", "reflex")}
    # Sensation is judged as the complete lesion grades it.
    places = sorted(getattr(findings, "sensation", {}))
    sensory = np.zeros((len(rows), len(places), len(MODALITIES)), dtype=np.int8)
    if places and singles:
        sensory[singles] = atlas.singles([], [], phase, rows=[rows[p][0] for p in singles], places=places)["sensory"]
    if places and pairs:
        forecast = atlas.prediction([], [], phase, places)
        sensory[pairs] = forecast.predict([rows[p][0] for p in pairs], [rows[p][1] for p in pairs])["sensory"]
    predicted["sensory"] = sensory
    return predicted


@dataclass(frozen=True)
class Weights:
    """The log prior plus log likelihood (the log joint) of every hypothesis weighed.

    ``singles`` is (sites x severities, in the order of :data:`SEVERITIES`), ``pairs`` (pairs x
    9: the first site's severity, then the second's); ``pair_rows`` holds the atlas rows of each
    pair. ``single_likelihood`` and ``pair_likelihood`` are per hypothesis log P(findings |
    sites), the likelihood averaged over severities by their prior. ``log_evidence`` is the log
    of the sum of the joint over everything weighed: a posterior is ``exp(joint - log_evidence)``.
    """

    singles: np.ndarray
    single_likelihood: np.ndarray
    pairs: np.ndarray
    pair_likelihood: np.ndarray
    pair_rows: np.ndarray
    log_evidence: float

    def single_posterior(self) -> np.ndarray:
        """Per site, its posterior summed over severities."""
        return np.exp(self.singles - self.log_evidence).sum(axis=1)

    def pair_posterior(self) -> np.ndarray:
        """Per pair, its posterior summed over severities."""
        return np.exp(self.pairs - self.log_evidence).sum(axis=1)


def _log(values):
    with np.errstate(divide="ignore"):
        return np.log(values)


def _logsumexp_rows(values):
    # The rows' maxima column by column (a reduction along rows of a few values costs several times more).
    top = np.ascontiguousarray(values.T).max(axis=0)[:, None]
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):
        return top[:, 0] + np.log(np.exp(values - top).sum(axis=1))


def _logsumexp(values):
    values = np.asarray(values, dtype=float).ravel()
    if not len(values):
        return -math.inf
    top = values.max()
    if not np.isfinite(top):
        return float(top)
    return float(top + np.log(np.exp(values - top).sum()))


def weigh(
    G: nx.DiGraph, findings: Findings | ExaminedItems, pairs: Sequence[tuple[int, int]] = (), priors: PriorSpec = None,
    model: ExaminationModel | None = None, search_pairs: bool = False,
) -> Weights:
    """Weigh every single site at every severity, and pairs of sites (atlas rows).

    The pairs weighed are those given and, with ``search_pairs``, the likeliest pairs found
    from the singles (:func:`_likely_pairs`): each at the nine pairs of severities. The
    findings may be given as their :class:`ExaminedItems` (read on ``G``), as
    :func:`neurograph.localize` does, which reads them once for its own judging too.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0,
    ...     "right extensor carpi ulnaris": 0, "right triceps": 5, "right deltoid": 5, "right FDI": 5}})
    >>> weights = weigh(G, exam)
    >>> best = int(weights.single_posterior().argmax())
    >>> neurograph.atlas.site_atlas(G).sites[best].label
    'radial nerve at the spiral groove (right)'
    """
    model = model or _default_model()
    atlas = site_atlas(G)
    items = findings if isinstance(findings, ExaminedItems) else ExaminedItems(G, findings)
    severity = _log(_severity_weights(priors))
    site_prior = _log(site_prior_weights(G, priors))
    # Sites that cut the same predict the same: each distinct row of the cut matrices (the limb
    # routes', and the cranial and sensory ones' when such items were examined) is weighed once.
    states = derived(G, _ItemStates)
    examined = _Examined(states, model, items)
    entries = states.entries(items.phase)
    gathered = examined.gather(entries)
    # Per group of sites and severity: how much its lesion changes the log-likelihood of no lesion.
    _, group, _, change = gathered
    changes = np.stack([np.bincount(group, weights=at_severity, minlength=states.count) for at_severity in change], axis=1)
    likelihood = (examined.baseline + changes)[states.group_of_site]
    singles = likelihood + site_prior[:, None] + severity[None, :]
    # The lesion sought shows on the examination: a site whose complete lesion leaves every
    # examined item normal is not weighed (unless none shows, when every site is).
    shows = examined.shows(entries, gathered)[states.group_of_site]
    if shows.any():
        singles[~shows] = -np.inf
    single_likelihood = _logsumexp_rows(likelihood + severity[None, :])
    pair_rows = np.asarray(pairs, dtype=np.intp).reshape(-1, 2)
    if search_pairs:
        # Sites that cut the same of what the examined items depend on predict the same: the
        # pairs are sought among these groups, each weighed by its first site.
        groups, _ = _prediction_groups(atlas, items)
        # (One column, the limb routes' alone, is the common case and a plain unique is much faster.)
        keys = groups[:, 0] if groups.shape[1] == 1 else groups
        _, first_of, position = np.unique(keys, axis=0 if keys.ndim > 1 else None, return_index=True, return_inverse=True)
        item_gains = _ItemGains(states.group_of_site[first_of], gathered, len(examined.columns), states.count)
        found = _likely_pairs(atlas, changes[states.group_of_site[first_of]], item_gains, position.reshape(-1), singles, site_prior, _pair_penalty(priors))
        pair_rows = np.unique(np.sort(np.concatenate([pair_rows, found]), axis=1), axis=0)
    if len(pair_rows):
        truths = _pair_truths(G, atlas, items.muscles, items.reflexes, items.phase, pair_rows[:, 0], pair_rows[:, 1], items)
        pair_likelihood = np.stack([_log_likelihood(model, items, truth) for truth in truths], axis=1)
        pair_severity = (severity[:, None] + severity[None, :]).ravel()
        pair_prior = site_prior[pair_rows[:, 0]] + site_prior[pair_rows[:, 1]] + math.log(_pair_penalty(priors))
        pair_weights = pair_likelihood + pair_prior[:, None] + pair_severity[None, :]
        pair_marginal = _logsumexp_rows(pair_likelihood + pair_severity[None, :])
    else:
        pair_weights, pair_marginal = np.zeros((0, len(SEVERITIES) ** 2)), np.zeros(0)
    evidence = _logsumexp(np.concatenate([singles.ravel(), pair_weights.ravel()]))
    return Weights(singles, single_likelihood, pair_weights, pair_marginal, pair_rows, evidence)


@dataclass(frozen=True, repr=False)
class Outcome(Displayable):
    """One outcome of a test: what may be found, how probable it is, and what would then lead."""

    value: str
    probability: float
    leading: str
    leading_posterior: float

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"value": self.value, "probability": self.probability, "leading": self.leading, "leading_posterior": self.leading_posterior}

    def to_table(self) -> Table:
        """One row: the dict's fields (a pandas DataFrame when pandas is installed)."""
        return table([self.to_dict()], ("value", "probability", "leading", "leading_posterior"))

    def _short_repr(self) -> str:
        return f"<Outcome {self.value}: p {self.probability:.3g}, then {self.leading}>"

    def _html_parts(self):
        rows = [[self.value, f"{self.probability:.3g}", self.leading, f"{self.leading_posterior:.3g}"]]
        return "Outcome", [("", ["found", "probability", "then leads", "its posterior"], rows)], ""


@dataclass(frozen=True, repr=False)
class NextTest(Displayable):
    """An unexamined item and what examining it is expected to tell.

    ``expected_gain`` is the expected drop in the entropy of the posterior over sites (bits); ``outcomes`` each value it may take (probability at least 0.001), with
    the hypothesis that would lead after it.
    """

    item: str
    node: str
    expected_gain: float
    outcomes: tuple[Outcome, ...]

    @property
    def sentence(self) -> str:
        """The test in words."""
        said = "; ".join(
            f"{outcome.value} (p {outcome.probability:.2g}) points to {outcome.leading}" for outcome in self.outcomes if outcome.probability >= 0.01
        )
        return f"examine {self.item} ({self.expected_gain:.2f} bits expected): {said}"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"item": self.item, "node": self.node, "expected_gain": self.expected_gain,
                "outcomes": [outcome.to_dict() for outcome in self.outcomes]}

    def to_table(self) -> Table:
        """One row per outcome: ``item``, ``expected_gain``, ``value``, ``probability``,
        ``leading``, ``leading_posterior`` (a pandas DataFrame when pandas is installed)."""
        return table(
            [dict(item=self.item, expected_gain=self.expected_gain, **outcome.to_dict()) for outcome in self.outcomes],
            ("item", "expected_gain", "value", "probability", "leading", "leading_posterior"),
        )

    def _short_repr(self) -> str:
        return f"<NextTest {self.item}: {self.expected_gain:.3g} bits>"

    def _html_parts(self):
        rows = [[o.value, f"{o.probability:.3g}", o.leading, f"{o.leading_posterior:.3g}"] for o in self.outcomes]
        return self.item, [("", ["found", "probability", "then leads", "its posterior"], rows)], self.sentence


#: The hypotheses the next test is weighed over: the likeliest, up to this many, or fewer when
#: they hold all but :data:`_NEXT_TEST_MASS_LEFT` of the posterior.
_NEXT_TEST_HYPOTHESES = 200
_NEXT_TEST_MASS_LEFT = 1e-4
_GRADE_WORDS = ("0", "1+", "2+", "3+")


def next_tests(
    G: nx.DiGraph, findings: Findings, weights: Weights, count: int = 3, model: ExaminationModel | None = None,
) -> tuple[NextTest, ...]:
    """The unexamined items with the most expected information: MRC grades of limb and cranial
    muscles, tendon, plantar and brainstem reflexes, and light touch and pin prick at the ISNCSCI
    key points.

    The expected information gain of an item is the mutual information between its recorded
    value and the lesion's site (or pair of sites): the expected drop in the entropy of the
    posterior over sites, in bits, never negative. It is weighed over the likeliest hypotheses (each site or pair at each severity)
    that hold all but 0.0001 of the posterior (at most 200), with the likelihood model of the
    examination.

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.findings import findings_from_dict
    >>> G = neurograph.load_anatomy()
    >>> exam = findings_from_dict(G, {"muscles": {"right extensor digitorum": 1, "right extensor carpi ulnaris": 1}})
    >>> best = next_tests(G, exam, weigh(G, exam))[0]
    >>> best.expected_gain > 0, sum(outcome.probability for outcome in best.outcomes) > 0.99
    (True, True)
    """
    model = model or _default_model()
    atlas = site_atlas(G)
    joint = np.concatenate([weights.singles.ravel(), weights.pairs.ravel()]) - weights.log_evidence
    order = np.argsort(-joint, kind="stable")
    posterior = np.exp(joint[order])
    enough = int(np.searchsorted(np.cumsum(posterior), 1 - _NEXT_TEST_MASS_LEFT)) + 1
    chosen = order[: min(enough, _NEXT_TEST_HYPOTHESES, int(np.isfinite(joint).sum()))]
    if not len(chosen):
        return ()
    weight = np.exp(joint[chosen])
    weight = weight / weight.sum()
    severities = len(SEVERITIES)
    examined = set(findings.reflexes) | {f"{side}.reflex.plantar_response" for side in findings.plantar}
    is_single = chosen < weights.singles.size
    singles, pairs = chosen[is_single], chosen[~is_single] - weights.singles.size
    # A cranial item no hypothesis weighed can change is normal under all of them and tells
    # nothing: only those some hypothesis's sites hold are candidates (the cranial rows are
    # predicted site by site, so this keeps a limb picture's ranking as cheap as before).
    cranial = [item for item in [*atlas.cranial.table.muscles, *atlas.cranial.table.reflexes] if item not in findings.muscles and item not in examined]
    weighed_rows = np.unique(np.concatenate([singles // severities, weights.pair_rows[pairs // severities**2].ravel()]))
    if cranial:
        held = np.asarray(atlas.cranial.holds(weighed_rows, cranial).any(axis=0), dtype=bool)
        cranial = [item for item, holds in zip(cranial, held.tolist()) if holds]
    muscles = [muscle for muscle in atlas.table.muscle_order if muscle not in findings.muscles] + [item for item in cranial if item in atlas.cranial.table.muscles]
    reflexes = [arc.node for arc in atlas.table.reflex_order if arc.node not in examined] + [item for item in cranial if item not in atlas.cranial.table.muscles]
    places, modalities = _unexamined_sensation(G, findings, atlas, weighed_rows)
    sensory = np.zeros((len(chosen), len(places)), dtype=np.intp)
    grade = np.zeros((len(chosen), len(muscles)), dtype=np.intp)
    shared = np.zeros((len(chosen), len(muscles)), dtype=bool)
    reflex = np.zeros((len(chosen), len(reflexes)), dtype=np.intp)
    labels = [""] * len(chosen)
    if len(singles):
        rows, severity = singles // severities, singles % severities
        # A site weighed at several severities is predicted once.
        distinct, of = np.unique(rows, return_inverse=True)
        truths = _single_truths(G, atlas, muscles, reflexes, findings.phase, distinct)
        for number, truth in enumerate(truths):
            mine = severity == number
            grade[np.flatnonzero(is_single)[mine]] = truth.grade[of[mine]]
            shared[np.flatnonzero(is_single)[mine]] = truth.shared[of[mine]]
            reflex[np.flatnonzero(is_single)[mine]] = truth.reflex[of[mine]]
        if places:
            graded = atlas.singles([], [], findings.phase, rows=distinct, places=sorted(set(places)))["sensory"]
            sensory[is_single] = _sensory_outcome_grades(graded, places, modalities)[of, :]
            # A partial lesion leaves some feeling where the complete one abolishes it.
            sensory[is_single] = np.where((severity > 0)[:, None] & (sensory[is_single] == 0), 1, sensory[is_single])
        for position, row in zip(np.flatnonzero(is_single).tolist(), rows.tolist()):
            labels[position] = atlas.sites[row].label
    if len(pairs):
        pair, combination = pairs // severities**2, pairs % severities**2
        rows = weights.pair_rows[pair]
        distinct, of = np.unique(pair, return_inverse=True)
        truths = _pair_truths(G, atlas, muscles, reflexes, findings.phase, weights.pair_rows[distinct, 0], weights.pair_rows[distinct, 1])
        for number, truth in enumerate(truths):
            mine = combination == number
            grade[np.flatnonzero(~is_single)[mine]] = truth.grade[of[mine]]
            shared[np.flatnonzero(~is_single)[mine]] = truth.shared[of[mine]]
            reflex[np.flatnonzero(~is_single)[mine]] = truth.reflex[of[mine]]
        if places:
            forecast = atlas.prediction([], [], findings.phase, sorted(set(places)))
            graded = forecast.predict(weights.pair_rows[distinct, 0], weights.pair_rows[distinct, 1])["sensory"]
            partial = combination != 0
            pair_grades = _sensory_outcome_grades(graded, places, modalities)[of, :]
            sensory[~is_single] = np.where(partial[:, None] & (pair_grades == 0), 1, pair_grades)
        for position, (a, b) in zip(np.flatnonzero(~is_single).tolist(), rows.tolist()):
            labels[position] = f"{atlas.sites[a].label} + {atlas.sites[b].label}"
    # Every candidate's outcomes side by side, made a kind of item at a time (fewer than six
    # padded with outcomes of probability 0); a candidate is (item, node, outcome count, words).
    outcomes = np.zeros((len(chosen), len(muscles) + len(reflexes) + len(places), 6))
    candidates: list[tuple[str, str, int, tuple[str, ...]]] = []
    mrc, shared_mrc = model.mrc_matrix(), model.shared_supply_mrc_matrix()
    outcomes[:, : len(muscles), : mrc.shape[1]] = np.where(shared[:, :, None], shared_mrc[grade], mrc[grade])
    candidates += [(f"{G.nodes[muscle]['label']}: MRC grade", muscle, mrc.shape[1], _MRC_WORDS) for muscle in muscles]
    category = _STATE_CATEGORIES[reflex]
    plantar = np.array([atlas.reflex_kinds[node] == "plantar" for node in reflexes], dtype=bool)
    reflex_columns = len(muscles) + np.arange(len(reflexes))
    for kind, matrix, words in ((~plantar, model.reflex_matrix(), _GRADE_WORDS), (plantar, model.plantar_matrix(), _PLANTAR_CATEGORIES)):
        outcomes[:, reflex_columns[kind], : matrix.shape[1]] = matrix[category[:, kind]]
    for node, is_plantar in zip(reflexes, plantar.tolist()):
        count_words = (len(_PLANTAR_CATEGORIES), _PLANTAR_CATEGORIES) if is_plantar else (len(_GRADE_WORDS), _GRADE_WORDS)
        candidates.append((G.nodes[node]["label"], node, *count_words))
    sensory_columns = len(muscles) + len(reflexes) + np.arange(len(places))
    for modality in sorted(set(modalities)):
        mine = np.array([tested == modality for tested in modalities], dtype=bool)
        matrix = model.sensory_matrix(modality)
        outcomes[:, sensory_columns[mine], : matrix.shape[1]] = matrix[sensory[:, mine]]
    candidates += [
        (f"{G.nodes[place]['label']}: {modality.replace('_', ' ')}", place, len(_SENSORY_WORDS), _SENSORY_WORDS)
        for place, modality in zip(places, modalities)
    ]
    if not candidates:
        return ()
    # The gain is in what the hypotheses' sites are: their severities are summed over.
    names, site_of = np.unique(np.array(labels), return_inverse=True)
    membership = np.zeros((len(chosen), len(names)))
    membership[np.arange(len(chosen)), site_of.reshape(-1)] = 1.0
    site_weight = weight @ membership
    # Each site's hypotheses' weighted outcomes summed in the hypotheses' order: a sum per run
    # of the hypotheses sorted by site, not a product with the one-hot membership.
    by_hypothesis = np.argsort(site_of.reshape(-1), kind="stable")
    runs = np.flatnonzero(np.r_[True, np.diff(site_of.reshape(-1)[by_hypothesis]) != 0])
    weighted = weight[by_hypothesis, None, None] * outcomes[by_hypothesis]
    by_site = np.add.reduceat(weighted, runs, axis=0) / site_weight[:, None, None]
    gains = _information(site_weight, by_site)
    found = []
    for index in np.argsort(-gains, kind="stable")[:count].tolist():
        item, node, outcome_count, words = candidates[index]
        # Contiguous, so the products below sum in the same order as over a candidate's own array.
        probabilities = np.ascontiguousarray(outcomes[:, index, :outcome_count])
        predictive = weight @ probabilities
        possible = []
        for value in range(probabilities.shape[1]):
            if predictive[value] < 1e-3:
                continue
            after: dict[str, float] = {}
            for label, mass in zip(labels, weight * probabilities[:, value] / predictive[value]):
                after[label] = after.get(label, 0.0) + float(mass)
            leading = max(after, key=lambda label: (after[label], label))
            possible.append(Outcome(words[value], float(predictive[value]), leading, after[leading]))
        found.append(NextTest(item, node, float(gains[index]), tuple(possible)))
    return tuple(found)


#: How an MRC grade is recorded.
_MRC_WORDS = tuple(str(grade) for grade in range(6))
#: How a sensory grade is recorded (ISNCSCI): absent, altered, normal.
_SENSORY_WORDS = ("0", "1", "2")
#: The modalities a key point is tested for, as the ISNCSCI examination tests them.
_KEY_POINT_MODALITIES = ("light_touch", "pin_prick")


def _unexamined_sensation(G, findings, atlas, rows):
    """The key points and modalities (light touch, pin prick) not yet recorded that a lesion of
    one of the atlas ``rows`` alters: two lists, one entry a test. A place no site of a
    hypothesis alters alone is normal under every hypothesis (two lesions together take no
    feeling from a place that each spares), so it tells nothing."""
    recorded = getattr(findings, "sensation", {})
    nodes = derived(G, _KeyPoints).nodes
    if not nodes or not len(rows):
        return [], []
    altered = (atlas.singles([], [], findings.phase, rows=rows, places=nodes)["sensory"] < 2).any(axis=(0, 2))
    places: list[str] = []
    modalities: list[str] = []
    for node in np.array(nodes)[altered].tolist():
        for modality in _KEY_POINT_MODALITIES:
            if node not in recorded or modality not in recorded[node].grades:
                places.append(node)
                modalities.append(modality)
    return places, modalities


class _KeyPoints:
    """The ISNCSCI key sensory points of the anatomy, sorted (made once per graph state)."""

    def __init__(self, G):
        self.nodes = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level"))


def _sensory_outcome_grades(graded, places, modalities):
    """From the atlas's sensory grades (rows x sorted distinct places x modalities), the grade of
    each (place, modality) test, a column each."""
    order = sorted(set(places))
    return graded[:, [order.index(place) for place in places], [MODALITIES.index(modality) for modality in modalities]].astype(np.intp)


def _information(weight, probabilities):
    """Per candidate test, the mutual information (bits) between the hypothesis (``weight``)
    and its outcome, distributed as ``probabilities`` (hypotheses x tests x outcomes) under each."""
    predictive = np.einsum("h,hco->co", weight, probabilities)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(probabilities > 0, probabilities * np.log2(probabilities / predictive[None]), 0.0)
    return np.maximum(0.0, np.einsum("h,hco->c", weight, terms))


@dataclass(frozen=True)
class SimulatedPatient:
    """A simulated patient: the true lesion and what a noisy, focused examination found.

    ``sites`` are the lesion's sites with their severity (:data:`SEVERITIES` values), ``rows``
    their rows in the site atlas, ``severities`` their severity names; ``findings`` the
    examination (see :func:`noisy_findings`).
    """

    sites: tuple[Site, ...]
    rows: tuple[int, ...]
    severities: tuple[str, ...]
    phase: str
    findings: Findings


#: Body regions of a limb or the trunk in order, so that a region's neighbours are those beside it.
_BODY_CHAINS = (("shoulder", "arm", "forearm", "hand"), ("hip", "thigh", "leg", "foot"), ("neck", "back", "thorax", "abdomen", "perineum"))


def _neighbours(region: str) -> set[str]:
    for chain in _BODY_CHAINS:
        if region in chain:
            at = chain.index(region)
            return set(chain[max(at - 1, 0): at + 2])
    return {region}


def focused_items(
    G: nx.DiGraph, result: Any, rng: np.random.Generator, extra: int = 3,
) -> tuple[list[str], list[str], list[str], list[str]]:
    """What a clinician examines in a patient with the lesion of ``result``: ``(muscles, reflexes, plantar sides, places)``.

    Every muscle of each body region on each side where the lesion weakens a muscle or changes
    its tone, and of the regions beside it in the same limb (or trunk), then ``extra`` muscles
    drawn at random elsewhere; the tendon and superficial reflexes and the plantar response of
    each side so affected; and the ISNCSCI key points of those regions (light touch and pin
    prick, as the standard tests them).

    Examples
    --------
    >>> import neurograph, numpy
    >>> G = neurograph.load_anatomy()
    >>> muscles, reflexes, plantar, places = focused_items(G, neurograph.simulate(G, "right carpal tunnel"), numpy.random.default_rng(0))
    >>> "R.muscle.abductor_pollicis_brevis" in muscles, plantar, "R.key_point.C6" in places
    (True, ['R'], True)
    """
    regions: set[tuple[str, str]] = set()
    for finding in result.muscles:
        if finding.mrc_grade < 5 or finding.tone != "normal":
            regions |= {(finding.side, region) for region in _neighbours(finding.body_region)}
    every = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "muscle")
    muscles = [node for node in every if (G.nodes[node]["side"], G.nodes[node].get("body_region")) in regions]
    others = [node for node in every if node not in set(muscles)]
    if others and extra:
        muscles += sorted(rng.choice(others, size=min(extra, len(others)), replace=False).tolist())
    sides = sorted({side for side, _ in regions})
    reflexes = sorted(
        node for node, data in G.nodes(data=True)
        if data["kind"] == "reflex" and data["side"] in sides and data["reflex_kind"] != "plantar"
    )
    places = sorted(
        node for node, data in G.nodes(data=True)
        if data["kind"] == "skin" and data.get("isncsci_level") and (data["side"], data.get("body_region")) in regions
    )
    return muscles, reflexes, sides, places


def noisy_findings(
    G: nx.DiGraph, result: Any, rng: np.random.Generator, model: ExaminationModel | None = None,
    items: tuple[Sequence[str], ...] | None = None, anterior_horn: bool = False,
) -> Findings:
    """What an examiner records of the patient of a simulated lesion, with the examination's error.

    Each examined item's true state comes from ``result`` (a :class:`~neurograph.results.LesionResult`);
    what is recorded is drawn from the likelihood model (:class:`ExaminationModel`) given that
    state, the same distributions :func:`weigh` reads: an MRC grade may be recorded one or more
    grades off, a brisk reflex as normal, spastic weakness as normal tone, and so on.

    Parameters
    ----------
    items : (muscles, reflexes, plantar sides[, places]), optional
        What is examined (default: :func:`focused_items`); tone, wasting and fasciculations are
        recorded for the muscles of the affected regions, the grade alone for the others; light
        touch and pin prick at each place (when ``result`` graded sensation).
    anterior_horn : bool
        Whether the lesion takes anterior horn cells (its fasciculations are then those of
        anterior horn disease).

    Examples
    --------
    >>> import neurograph, numpy
    >>> G = neurograph.load_anatomy()
    >>> exam = noisy_findings(G, neurograph.simulate(G, "right radial nerve at the spiral groove"), numpy.random.default_rng(1))
    >>> exam.muscles["R.muscle.extensor_digitorum"].mrc_grade <= 2
    True
    """
    model = model or _default_model()
    phase = result.phase
    muscles, reflexes, sides, *more = items if items is not None else focused_items(G, result, rng)
    places = more[0] if more and result.sensory_grading is not None else ()
    weak_regions = {(f.side, f.body_region) for f in result.muscles if f.mrc_grade < 5 or f.tone != "normal"}
    mrc, tone, wasting, fasciculation = model.mrc_matrix(), model.tone_matrix(phase), model.wasting_matrix(phase), model.fasciculation_matrix()
    exams = {}
    for muscle in muscles:
        finding = result.muscle(muscle)
        grade = int(rng.choice(6, p=mrc[finding.mrc_grade]))
        if (finding.side, finding.body_region) not in weak_regions or finding.tone == TONE_NOT_ASSESSABLE:
            exams[muscle] = MuscleExam(grade)
            continue
        denervated = finding.deficit in ("LMN", "mixed")
        tone_state = 0 if finding.mrc_grade == 5 else (2 if finding.deficit == "UMN" else 1)
        fasciculation_state = 0 if anterior_horn and finding.fasciculations and phase == "chronic" else (1 if denervated else 2)
        exams[muscle] = MuscleExam(
            grade, _TONES[int(rng.choice(3, p=tone[tone_state]))], bool(rng.random() < wasting[int(denervated), 1]),
            bool(rng.random() < fasciculation[fasciculation_state, 1]),
        )
    recorded = {}
    reflex_error = model.reflex_matrix()
    for reflex in reflexes:
        category = _STATE_CATEGORY[result.reflex(reflex).state]
        recorded[reflex] = _GRADE_WORDS[int(rng.choice(4, p=reflex_error[category]))]
    plantar_error = model.plantar_matrix()
    plantar = {}
    for side in sides:
        category = _STATE_CATEGORY[result.reflex(f"{side}.reflex.plantar_response").state]
        plantar[side] = _PLANTAR_CATEGORIES[int(rng.choice(3, p=plantar_error[category]))]
    sensation = {}
    for place in places:
        found = result.sensory(place)
        sensation[place] = SensoryExam(**{
            modality: int(rng.choice(3, p=model.sensory_matrix(modality)[getattr(found, modality)]))
            for modality in ("light_touch", "pin_prick")
        })
    return Findings(muscles=exams, reflexes=recorded, plantar=plantar, phase=phase, sensation=sensation)


class _MotorSites:
    """The atlas rows whose complete lesion weakens some muscle (made once per graph state)."""

    def __init__(self, G):
        atlas = site_atlas(G)
        grades = atlas.singles(list(atlas.table.muscle_order), [], "chronic")["grade"]
        self.rows = np.flatnonzero((grades < 5).any(axis=1))


def draw_patients(
    G: nx.DiGraph, count: int, seed: int = 0, priors: PriorSpec = None, model: ExaminationModel | None = None,
    pair_share: float = 0.1, acute_share: float = 0.5, extra: int = 3,
) -> list[SimulatedPatient]:
    """Simulated patients drawn from the priors, each examined with noise (:func:`noisy_findings`).

    A patient has one lesion, or two (``pair_share`` of patients) at two places that share no
    structure; each site drawn by its prior among the sites whose lesion weakens some muscle,
    its severity by the severity priors, the phase acute in ``acute_share`` of patients. The
    lesion is simulated (:func:`~neurograph.simulate`, the motor signs) and examined as
    :func:`focused_items` says; a patient whose recorded examination shows nothing abnormal is
    drawn again. The same ``seed`` gives the same patients.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> patients = draw_patients(G, 3, seed=7)
    >>> [len(patient.sites) for patient in patients] == [len(p.sites) for p in draw_patients(G, 3, seed=7)]
    True
    """
    from neurograph.lesion import simulate
    from neurograph.resolve import Site

    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise InvalidValueError("count", count, "a whole number of at least 0")
    for name, share in (("pair_share", pair_share), ("acute_share", acute_share)):
        _probability(name, share)
    rng = np.random.default_rng(seed)
    atlas = site_atlas(G)
    rows = derived(G, _MotorSites).rows
    weights = site_prior_weights(G, priors)[rows]
    if weights.sum() <= 0:
        raise InvalidValueError("priors", "no weight on a site that weakens a muscle", "a prior above 0 on such a site")
    weights = weights / weights.sum()
    severity = _severity_weights(priors)
    names = list(SEVERITIES)
    classes = derived(G, _SiteClasses).classes
    patients: list[SimulatedPatient] = []
    while len(patients) < count:
        chosen = [int(rng.choice(rows, p=weights))]
        if rng.random() < pair_share:
            partner = int(rng.choice(rows, p=weights))
            nodes = atlas.sites[chosen[0]].nodes
            if partner == chosen[0] or not nodes.isdisjoint(atlas.sites[partner].nodes) or nodes | atlas.sites[partner].nodes in atlas.row_of:
                continue
            chosen.append(partner)
        levels = [names[int(rng.choice(len(names), p=severity))] for _ in chosen]
        phase = "acute" if rng.random() < acute_share else "chronic"
        sites = tuple(
            Site(atlas.sites[row].name, atlas.sites[row].label, atlas.sites[row].nodes, SEVERITIES[level])
            for row, level in zip(chosen, levels)
        )
        result = simulate(G, list(sites), phase=phase)
        findings = noisy_findings(
            G, result, rng, model, focused_items(G, result, rng, extra),
            anterior_horn=any(classes[row] in _ANTERIOR_HORN_CLASSES for row in chosen),
        )
        if not _abnormal(findings):
            continue
        patients.append(SimulatedPatient(sites, tuple(chosen), tuple(levels), phase, findings))
    return patients


def _abnormal(findings: Findings) -> bool:
    return (
        any(exam.mrc_grade < 5 or exam.tone not in (None, "normal") or exam.atrophy or exam.fasciculations for exam in findings.muscles.values())
        or any(grade != "2+" for grade in findings.reflexes.values())
        or any(response != "flexor" for response in findings.plantar.values())
        or any(grade < 2 for exam in findings.sensation.values() for grade in exam.grades.values())
    )
