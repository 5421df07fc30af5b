"""Cohorts of virtual patients: lesions drawn from a distribution, across anatomical variants.

A :class:`CohortSpec` (a Python dataclass, or a YAML/JSON file read by :func:`read_spec`) says
how to make each patient:

- ``lesions``: the lesion distribution: ``"priors"`` (the cited priors of
  ``data/sources/inference/priors.csv``, read as ``INFERENCE_TABLES.md`` says) or a mapping of
  site names to weights;
- ``severities``: ``"priors"`` (complete, severe and mild partial lesions in the priors' shares),
  ``"complete"``, or a mapping of :data:`neurograph.inference.SEVERITIES` names to weights;
- ``variants``: ``"none"``, ``"catalogue"`` (every catalogued variant at its default prevalence,
  :mod:`neurograph.variants`) or a mapping of variant names to prevalences;
- ``protocol``: ``"focused"`` (every muscle of the body regions the lesion weakens and of the
  regions beside them, three muscles elsewhere, the reflexes and plantar response of the sides
  affected, with the ISNCSCI key points of those regions: :func:`neurograph.inference.focused_items`),
  ``"full"`` (the whole bedside examination the anatomy has: every limb and trunk muscle, every
  cranial muscle, every tendon, superficial and brainstem reflex, both plantar responses, and
  light touch and pin prick at every key point) or ``"isncsci"`` (the key muscles, every reflex,
  both plantar responses and every key point; the exam is also classified by ISNCSCI);
- ``noise``: how the examiner errs: ``"model"`` (the cited examination error model of
  ``data/sources/inference/examination_error.csv``, the one the posterior ranking weighs the
  findings with), ``"none"`` (every item recorded as it is), or a mapping of that model's
  distributions to replace (``{"mrc_grade_error": {"same_grade": 0.9, "one_grade_off": 0.1,
  "two_or_more_off": 0}}``, as :func:`neurograph.inference.read_examination_model` takes);
- ``phase`` (``chronic``, ``acute`` or ``mixed``), ``size``, ``seed``, ``max_sites`` (1: single
  sites only; 2: pairs too) and ``partition_size``.

Each patient is simulated on its own anatomy (the base anatomy with its variants), examined
on it, and localized on the base anatomy by posterior probability
(:func:`~neurograph.localization.localize` with ``ranking="posterior"``), as a clinician who
does not know the variant would.
Only the variants that can change the lesion's picture are applied (:func:`relevant_variants`:
an anastomosis matters only to lesions on the nerves it joins, a plexus shift to segmental and
plexus lesions), so a worker builds few variant anatomies; the row lists every variant drawn.

**Reproducible at any split.** Patient ``i`` draws every random number from its own
counter-based stream (numpy's Philox keyed by ``(seed, i)``), so it is the same patient
however the cohort is cut into partitions and wherever a partition runs.

**Runners.** :func:`run_cohort` runs in process by default (rows to CSV, or to Parquet with
pyarrow). With ``client=`` (a
``dask.distributed.Client``), ``workers=N`` (a local cluster of N processes) or
``scheduler="synchronous"`` it runs the partitions on Dask (``pip install 'neurograph[cohort]'``;
dask is imported only then) and gives the same rows. Partitions stream: at most a few are held
at once, rows go to ``output`` (CSV) as they complete, in order, and the summary is a tally
merged partition by partition, so memory does not grow with the cohort.

**One model of the examination.** :class:`PatientModel` records each examination with
:func:`neurograph.inference.noisy_findings`, drawing what is recorded from the same
distributions the posterior ranking weighs it with, so a cohort measures how well a focused
examination localizes when the examiner errs as the cited studies say examiners do.

Examples
--------
>>> from neurograph.cohort import CohortSpec, run_cohort
>>> spec = CohortSpec(size=6, seed=1, lesions={"right C7 ventral root": 1, "right radial nerve at the spiral groove": 1},
...                   severities="complete", noise="none")
>>> result = run_cohort(spec)
>>> len(result.rows), result.summary["patients"]
(6, 6)
>>> list(result.rows[0])[:3]
['patient', 'variants', 'site']
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurograph.errors import InvalidValueError, NeurographError, NormalFindingsError

if TYPE_CHECKING:
    import networkx as nx

    from neurograph.findings import Findings
    from neurograph.resolve import Site

__all__ = [
    "CohortSpec", "CohortResult", "PatientModel", "Tally", "run_cohort", "run_partition", "run_worker_partition", "read_spec",
    "patient_stream",
    "PROTOCOLS", "COLUMNS", "DASK_HINT", "relevant_variants", "format_summary", "ProgressLine", "ProgressBar", "in_notebook", "local_cluster", "kept_anatomies",
]

PROTOCOLS = ("focused", "full", "isncsci")
PHASE_CHOICES = ("chronic", "acute", "mixed")
#: The columns of a cohort's table, in order.
COLUMNS = (
    "patient", "variants", "site", "site_label", "site_class", "severity", "phase", "protocol", "examined",
    "abnormal", "best", "best_label", "correct", "top3", "rank", "tied", "ais", "nli",
)
DASK_HINT = "install the cohort extra: pip install 'neurograph[cohort]'"
#: The Parquet type of each column (the rest are text).
_INTEGER_COLUMNS = ("patient", "examined", "abnormal", "rank")
_BOOLEAN_COLUMNS = ("correct", "top3", "tied")
#: The words ``noise`` takes besides a mapping of examination model distributions.
NOISE_CHOICES = ("model", "none")


@dataclass(frozen=True)
class CohortSpec:
    """What a cohort is (see the module's notes for each field).

    Examples
    --------
    >>> CohortSpec(size=10).protocol
    'focused'
    >>> CohortSpec(size=0)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid cohort spec field 'size' 0: expected a whole number from 1 to 10,000,000,000
    """

    size: int
    seed: int = 0
    lesions: str | Mapping[str, float] = "priors"
    severities: str | Mapping[str, float] = "priors"
    variants: str | Mapping[str, float] = "none"
    protocol: str = "focused"
    noise: str | Mapping[str, Mapping[str, float]] = "model"
    phase: str = "chronic"
    max_sites: int = 1
    partition_size: int = 500
    anatomy: str | None = None

    def __post_init__(self) -> None:
        def bad(name: str, expected: str) -> InvalidValueError:
            return InvalidValueError(f"cohort spec field {name!r}", getattr(self, name), expected)

        def whole(name: str, low: int, high: int) -> None:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise bad(name, f"a whole number from {low:,} to {high:,}")

        whole("size", 1, 10_000_000_000)
        whole("seed", 0, 2**63 - 1)
        whole("max_sites", 1, 2)
        whole("partition_size", 1, 1_000_000)
        if self.protocol not in PROTOCOLS:
            raise bad("protocol", "one of " + ", ".join(PROTOCOLS))
        if self.phase not in PHASE_CHOICES:
            raise bad("phase", "one of " + ", ".join(PHASE_CHOICES))
        from neurograph.inference import SEVERITIES

        for name, words, names in (
            ("lesions", ("priors",), None),
            ("severities", ("priors", "complete"), SEVERITIES),
            ("variants", ("none", "catalogue"), None),
        ):
            value = getattr(self, name)
            if isinstance(value, str):
                if value not in words:
                    raise bad(name, " or ".join(repr(w) for w in words) + " or a mapping of names to weights")
                continue
            if not isinstance(value, Mapping) or not value:
                raise bad(name, "a non-empty mapping of names to weights")
            for key, weight in value.items():
                if not isinstance(key, str) or (names is not None and key not in names):
                    raise bad(name, "names" + (" among " + ", ".join(names) if names else "") + f", not {key!r}")
                if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight < float("inf"):
                    raise bad(name, f"weights that are numbers >= 0, not {weight!r} for {key!r}")
                if name == "variants" and weight > 1:
                    raise bad(name, f"prevalences in [0, 1], not {weight!r} for {key!r}")
            if name != "variants" and not sum(value.values()) > 0:
                raise bad(name, "weights that do not sum to zero")
        self._check_noise(bad)
        if self.anatomy is not None and not isinstance(self.anatomy, str):
            raise bad("anatomy", "the path of a GraphML anatomy")

    def _check_noise(self, bad: Callable[[str, str], InvalidValueError]) -> None:
        from neurograph.inference import read_examination_model

        if isinstance(self.noise, str) and self.noise in NOISE_CHOICES:
            return
        if not isinstance(self.noise, Mapping) or not self.noise:
            raise bad("noise", " or ".join(repr(w) for w in NOISE_CHOICES) + " or a mapping of examination model distributions")
        try:
            read_examination_model(overrides=self.noise)
        except NeurographError as error:
            raise bad("noise", f"distributions the examination model knows, each summing to 1 ({error})") from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CohortSpec:
        """A spec from a plain mapping (what a YAML or JSON spec file holds), fields named as here."""
        if not isinstance(data, Mapping):
            raise InvalidValueError("cohort spec", type(data).__name__, "a mapping of field names to values")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(map(str, data)) - known)
        if unknown:
            raise InvalidValueError(f"cohort spec field {unknown[0]!r}", data[unknown[0]], "a field among " + ", ".join(sorted(known)))
        if "size" not in data:
            raise InvalidValueError("cohort spec field 'size'", None, "a whole number of patients")
        return cls(**dict(data))

    def to_dict(self) -> dict[str, Any]:
        return {key: (dict(value) if isinstance(value, Mapping) else value) for key, value in asdict(self).items()}


def read_spec(path: str | os.PathLike[str]) -> CohortSpec:
    """Read a cohort spec from a YAML or JSON file (at most 1 MiB)."""
    import yaml

    from neurograph.errors import AnatomyFileError

    path = Path(path)
    try:
        if not path.is_file():
            raise AnatomyFileError(path, "is not a regular file")
        if path.stat().st_size > 1 << 20:
            raise AnatomyFileError(path, "is larger than 1 MiB")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise AnatomyFileError(path, f"cannot be read as a YAML or JSON cohort spec ({type(error).__name__})") from None
    return CohortSpec.from_dict(data if data is not None else {})


def patient_stream(seed: int, patient: int) -> Any:
    """The random generator of patient ``patient``: Philox keyed by ``(seed, patient)``.

    Examples
    --------
    >>> a, b = patient_stream(7, 3), patient_stream(7, 3)
    >>> a.random() == b.random(), patient_stream(7, 4).random() == patient_stream(7, 3).random()
    (True, False)
    """
    import numpy as np

    return np.random.Generator(np.random.Philox(key=np.array([seed, patient], dtype=np.uint64)))


# ---------------------------------------------------------------------------------------------
# The patient model (the seam for neurograph.inference's likelihood model and generation)


def _site_classes(G: nx.DiGraph) -> dict[frozenset[str], str]:
    """Each lesion site of the atlas (by its nodes) and its class of ``site_classes.csv``."""
    from neurograph.inference import site_class
    from neurograph.resolve import atlas_sites

    return {site.nodes: site_class(G, site) for site in atlas_sites(G)}


def _prior_distribution(G: nx.DiGraph) -> tuple[list[Site], list[float], dict[frozenset[str], str]]:
    """Every site the priors table gives a chance, with that prior, and every site's class."""
    from neurograph.inference import site_prior_weights
    from neurograph.resolve import atlas_sites

    weighted = [(site, float(weight)) for site, weight in zip(atlas_sites(G), site_prior_weights(G)) if weight > 0]
    return [site for site, _ in weighted], [weight for _, weight in weighted], _site_classes(G)


def _prior_severities() -> dict[str, float]:
    from neurograph.inference import read_priors

    return dict(read_priors().severity)


class PatientModel:
    """How a cohort's patients are drawn and examined, for one spec and one base anatomy.

    The lesion is drawn from the spec's distribution (by default the cited priors, through
    :func:`neurograph.inference.site_prior_weights`) at a severity of
    :data:`neurograph.inference.SEVERITIES`; the examination records the protocol's items with
    the error of the examination model (:func:`neurograph.inference.noisy_findings`).
    """

    def __init__(self, G: nx.DiGraph, spec: CohortSpec) -> None:
        from neurograph.inference import read_examination_model
        from neurograph.resolve import resolve_site
        from neurograph.variants import catalogue, resolve_variant

        self.G, self.spec = G, spec
        if spec.lesions == "priors":
            self.sites, weights, self.classes = _prior_distribution(G)
        else:
            assert isinstance(spec.lesions, Mapping)
            self.sites = [resolve_site(G, name) for name in spec.lesions]
            weights = [float(w) for w in spec.lesions.values()]
            self.classes = _site_classes(G)
        self.cumulative = _cumulative(weights)
        severities = (
            {"complete": 1.0} if spec.severities == "complete"
            else _prior_severities() if spec.severities == "priors" else dict(spec.severities)  # type: ignore[arg-type]
        )
        self.severity_names = list(severities)
        self.severity_cumulative = _cumulative(list(severities.values()))
        self.error_model = None if spec.noise == "none" else read_examination_model(
            overrides=None if spec.noise == "model" else spec.noise  # type: ignore[arg-type]
        )
        if spec.variants == "none":
            chosen: dict[str, float] = {}
        elif spec.variants == "catalogue":
            chosen = {name: variant.prevalence for name, variant in catalogue().items()}
        else:
            assert isinstance(spec.variants, Mapping)
            chosen = {resolve_variant(name).name: float(p) for name, p in spec.variants.items()}
        # variants that exclude each other are drawn together: one uniform picks at most one
        cat = catalogue()
        self.variant_draws: list[list[tuple[str, float]]] = []
        groups: dict[str, list[tuple[str, float]]] = {}
        for name, prevalence in chosen.items():
            group = cat[name].group
            if group:
                groups.setdefault(group, []).append((name, prevalence))
            else:
                self.variant_draws.append([(name, prevalence)])
        for group, members in groups.items():
            if sum(p for _, p in members) > 1:
                raise InvalidValueError("cohort spec field 'variants'", dict(members), f"prevalences of the group {group} summing to at most 1")
            self.variant_draws.append(members)
        self.muscles = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "muscle")
        self.key_muscles = [n for n in self.muscles if G.nodes[n].get("isncsci_level")]
        self.reflexes = sorted(
            n for n, d in G.nodes(data=True) if d["kind"] == "reflex" and d.get("reflex_kind") != "plantar"
        )
        self.sides = sorted({G.nodes[n]["side"] for n in self.muscles})
        self.key_points = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "skin" and d.get("isncsci_level"))
        self.cranial_muscles = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "cranial_muscle")
        self.cranial_reflexes = sorted(n for n, d in G.nodes(data=True) if d["kind"] == "cranial_reflex")

    def draw(self, rng: Any) -> tuple[tuple[str, ...], Site, str, str]:
        """The patient's variants, lesion site (with its severity) and phase."""
        from neurograph.inference import SEVERITIES
        from neurograph.resolve import Site

        names = []
        for members in self.variant_draws:
            u = rng.random()
            for name, prevalence in members:
                if u < prevalence:
                    names.append(name)
                    break
                u -= prevalence
        site = self.sites[_pick(self.cumulative, rng.random())]
        severity_name = self.severity_names[_pick(self.severity_cumulative, rng.random())]
        phase = self.spec.phase if self.spec.phase != "mixed" else ("acute" if rng.random() < 0.5 else "chronic")
        return tuple(sorted(names)), Site(site.name, site.label, site.nodes, SEVERITIES[severity_name]), severity_name, phase

    def items(self, anatomy: nx.DiGraph, result: Any, rng: Any) -> tuple[list[str], list[str], list[str], list[str]]:
        """What the protocol examines in this patient: ``(muscles, reflexes, plantar sides, places)``,
        the places' light touch and pin prick being tested."""
        from neurograph.inference import focused_items

        if self.spec.protocol == "focused":
            return focused_items(anatomy, result, rng)
        if self.spec.protocol == "full":
            return (
                self.muscles + self.cranial_muscles, self.reflexes + self.cranial_reflexes, self.sides, self.key_points,
            )
        return self.key_muscles, self.reflexes, self.sides, self.key_points

    def examine(self, anatomy: nx.DiGraph, site: Site, result: Any, rng: Any) -> Findings:
        """The findings an examiner records on the patient's anatomy: the protocol's items, with
        the error of the spec's examination model (none with ``noise="none"``)."""
        from neurograph.findings import Findings, findings_from_result
        from neurograph.inference import noisy_findings
        from neurograph.schema import REFLEX_STATE_GRADES

        muscles, reflexes, sides, places = self.items(anatomy, result, rng)
        if self.error_model is not None:
            # fasciculations are the mark of a lesion that takes anterior horn cells
            takes_horn = any(anatomy.nodes[node]["kind"] == "anterior_horn" for node in site.nodes)
            return noisy_findings(
                anatomy, result, rng, self.error_model, (muscles, reflexes, sides, places), anterior_horn=takes_horn
            )
        true = findings_from_result(result, muscles, places)
        return Findings(
            muscles=true.muscles,
            reflexes={reflex: REFLEX_STATE_GRADES.get(result.reflex(reflex).state, "2+") for reflex in reflexes},
            plantar={side: true.plantar[side] for side in sides if side in true.plantar}, sensation=true.sensation,
            phase=true.phase,
        )


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = float(sum(weights))
    running, out = 0.0, []
    for weight in weights:
        running += weight / total
        out.append(running)
    return out


def _pick(cumulative: Sequence[float], u: float) -> int:
    import bisect

    return min(bisect.bisect_right(cumulative, u), len(cumulative) - 1)


# ---------------------------------------------------------------------------------------------
# Which variants can change a lesion's picture

#: Node kinds lying on a segment: a lesion there cuts fibres by segment, which a shift relabels.
_SEGMENTAL = ("anterior_horn", "ventral_root", "spinal_nerve", "ventral_ramus", "dorsal_root", "dorsal_root_ganglion")
_PERIPHERAL = ("nerve", "plexus_element", "ventral_ramus")


def _reaches(G: nx.DiGraph) -> dict[str, frozenset[str]]:
    """For each catalogued variant, the nodes of ``G`` a lesion must touch for the variant to
    change its picture.

    A variant that adds, moves or removes nerve branches changes only the peripheral routes of
    the muscles below its edits: a lesion elsewhere (cortex, tracts, cord, roots, spinal nerves)
    cuts the same share of each muscle's segments with the variant as without it. Those routes'
    nerve points, plexus elements and rami are its reach. A shift relabels segments: every
    segmental node and every cord-level tract node (cut by segment) is in its reach, with the
    plexus it shifts.
    """
    from neurograph.variants import catalogue

    motor = ("motor_axon", "innervates")

    def closure(nodes: Iterable[str], step: Callable[[str], Iterable[str]]) -> set[str]:
        found, stack = set(), [n for n in nodes if n in G]
        while stack:
            node = stack.pop()
            if node not in found:
                found.add(node)
                stack.extend(step(node))
        return found

    def below(nodes: Iterable[str]) -> set[str]:
        return closure(nodes, lambda node: (v for v in G.successors(node) if G.edges[node, v]["kind"] in motor))

    def above(nodes: Iterable[str]) -> set[str]:
        return closure(nodes, lambda node: (u for u in G.predecessors(node) if G.edges[u, node]["kind"] in motor))

    segmental = {
        n for n, d in G.nodes(data=True)
        if d["kind"] in _SEGMENTAL or (d["kind"] in ("tract", "sensory_tract") and d.get("segment"))
    }
    reaches = {}
    for name, variant in catalogue().items():
        named = {
            f"{side}.{n}" for edit in variant.edits for n in (edit.node, edit.from_node, edit.to_node) if n
            for side in ("L", "R")
        }
        if variant.shifts:
            reaches[name] = frozenset(segmental | below(named))
            continue
        muscles = {n for n in below(named) if G.nodes[n]["kind"] == "muscle"}
        routes = above(muscles | named)
        reaches[name] = frozenset(n for n in routes if G.nodes[n]["kind"] in _PERIPHERAL)
    return reaches


def relevant_variants(G: nx.DiGraph, names: Iterable[str], site: Site) -> tuple[str, ...]:
    """The variants among ``names`` that can change the picture of a lesion of ``site`` (the
    others leave every finding as it is on ``G``).

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.resolve import resolve_site
    >>> G = neurograph.load_anatomy()
    >>> relevant_variants(G, ["martin_gruber", "accessory_deep_fibular"], resolve_site(G, "right median nerve at the elbow"))
    ('martin_gruber',)
    >>> relevant_variants(G, ["martin_gruber", "prefixed_brachial_plexus"], resolve_site(G, "left internal capsule"))
    ()
    """
    from neurograph.cache import derived

    reaches = derived(G, _reaches)
    return tuple(name for name in names if reaches[name] & site.nodes)


# ---------------------------------------------------------------------------------------------
# One partition


#: How many variant anatomies a process keeps (least recently used first out). Each, with the
#: tables its simulations build, holds about 18 MB and takes about 1.2 s of CPU to build (a
#: patient, about 50 ms). A cohort of 100,000 patients with the whole catalogue at its
#: prevalences meets 66 sets of variants that matter to its lesions (:func:`relevant_variants`);
#: the 32 commonest carry all but 0.35 % of its patients, so keeping 32 rebuilds about 4 ms a
#: patient on average and bounds them at about 580 MB: with the base anatomy, its atlas, Dask
#: and the memory the allocator keeps (:data:`WORKER_TRIM_THRESHOLD`), a worker stays under
#: 1 GB (with 64 it would not).
VARIANT_ANATOMIES_KEPT = 32


class _Anatomies:
    """The base anatomy of a spec and its variant anatomies, built once per process and kept
    (at most :data:`VARIANT_ANATOMIES_KEPT` variant anatomies)."""

    def __init__(self) -> None:
        self.base: dict[str | None, nx.DiGraph] = {}
        self.variants: OrderedDict[tuple[str | None, tuple[str, ...]], nx.DiGraph] = OrderedDict()
        self.models: dict[tuple[str | None, str], PatientModel] = {}

    def anatomy(self, path: str | None, names: tuple[str, ...] = ()) -> nx.DiGraph:
        from neurograph.io import load_anatomy
        from neurograph.variants import apply_variants

        if path not in self.base:
            self.base[path] = load_anatomy(path)
        if not names:
            return self.base[path]
        key = (path, names)
        if key in self.variants:
            self.variants.move_to_end(key)
        else:
            self.variants[key] = apply_variants(self.base[path], names)
            if len(self.variants) > VARIANT_ANATOMIES_KEPT:
                self.variants.popitem(last=False)
        return self.variants[key]

    def model(self, spec: CohortSpec) -> PatientModel:
        key = (spec.anatomy, json.dumps(replace(spec, size=1, partition_size=1).to_dict(), sort_keys=True))
        if key not in self.models:
            self.models[key] = PatientModel(self.anatomy(spec.anatomy), spec)
        return self.models[key]


_ANATOMIES = _Anatomies()


def kept_anatomies() -> int:
    """How many variant anatomies this process keeps now (at most :data:`VARIANT_ANATOMIES_KEPT`):
    what a worker holds besides its base anatomies, for the benchmark's memory part."""
    return len(_ANATOMIES.variants)


def _patient(spec: CohortSpec, model: PatientModel, index: int) -> dict[str, Any]:
    from neurograph.isncsci import classify, exam_from_result
    from neurograph.lesion import simulate
    from neurograph.localization import localize

    rng = patient_stream(spec.seed, index)
    names, site, severity_name, phase = model.draw(rng)
    anatomy = _ANATOMIES.anatomy(spec.anatomy, relevant_variants(model.G, names, site))
    result = simulate(anatomy, [site], phase=phase, sensation=True)
    findings = model.examine(anatomy, site, result, rng)
    try:
        ranking = localize(model.G, findings, max_sites=spec.max_sites, top=10, ranking="posterior", tests=0)
    except NormalFindingsError:
        # A lesion the protocol's examination cannot see (a mild one, or one whose muscles keep
        # another drive): the patient counts, unlocalized.
        hypotheses, ties, best = [], [], None
    else:
        hypotheses, ties, best = list(ranking.hypotheses), list(ranking.ties), ranking.best
    rank = next((i + 1 for i, h in enumerate(hypotheses) if len(h.sites) == 1 and h.sites[0].nodes == site.nodes), 0)
    tied = any(len(h.sites) == 1 and h.sites[0].nodes == site.nodes for h in ties)
    ais = nli = ""
    if spec.protocol == "isncsci":
        classification = classify(exam_from_result(result))
        ais, nli = classification.ais, classification.neurological_level
    return {
        "patient": index, "variants": "|".join(names), "site": site.name, "site_label": site.label,
        "site_class": model.classes.get(site.nodes, ""), "severity": severity_name, "phase": phase,
        "protocol": spec.protocol, "examined": len(findings.muscles),
        "abnormal": sum(1 for exam in findings.muscles.values() if exam.mrc_grade < 5),
        "best": "+".join(s.name for s in best.sites) if best else "", "best_label": best.label if best else "",
        "correct": rank == 1, "top3": 0 < rank <= 3, "rank": rank, "tied": tied, "ais": ais, "nli": nli,
    }


def run_partition(spec: CohortSpec, start: int, stop: int) -> list[dict[str, Any]]:
    """The rows of patients ``start`` to ``stop - 1`` (what one worker computes).

    Examples
    --------
    >>> spec = CohortSpec(size=4, lesions={"left C7 ventral root": 1}, severities="complete", noise="none")
    >>> [(row["patient"], row["site"]) for row in run_partition(spec, 2, 4)]
    [(2, 'left C7 ventral root'), (3, 'left C7 ventral root')]
    """
    if not 0 <= start <= stop <= spec.size:
        raise InvalidValueError("partition", (start, stop), f"0 <= start <= stop <= {spec.size}")
    model = _ANATOMIES.model(spec)
    return [_patient(spec, model, index) for index in range(start, stop)]


# ---------------------------------------------------------------------------------------------
# Aggregates


@dataclass
class Tally:
    """Running aggregates of a cohort, mergeable partition by partition."""

    patients: int = 0
    correct: int = 0
    top3: int = 0
    by_class: dict[str, list[int]] = field(default_factory=dict)
    by_variant: dict[str, list[int]] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    ais: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, row: Mapping[str, Any]) -> None:
        self.patients += 1
        self.correct += bool(row["correct"])
        self.top3 += bool(row["top3"])
        for table, key in ((self.by_class, row["site_class"] or "unclassed"),):
            counts = table.setdefault(key, [0, 0, 0])
            counts[0] += 1
            counts[1] += bool(row["correct"])
            counts[2] += bool(row["top3"])
        for name in (row["variants"].split("|") if row["variants"] else ["(none)"]):
            counts = self.by_variant.setdefault(name, [0, 0, 0])
            counts[0] += 1
            counts[1] += bool(row["correct"])
            counts[2] += bool(row["top3"])
        if not row["correct"]:
            self.confusion[(row["site_label"], row["best_label"])] += 1
        if row["ais"]:
            self.ais[(row["nli"], row["ais"])] += 1

    def merge(self, other: Tally) -> None:
        self.patients += other.patients
        self.correct += other.correct
        self.top3 += other.top3
        for mine, theirs in ((self.by_class, other.by_class), (self.by_variant, other.by_variant)):
            for key, counts in theirs.items():
                current = mine.setdefault(key, [0, 0, 0])
                for i, count in enumerate(counts):
                    current[i] += count
        self.confusion.update(other.confusion)
        self.ais.update(other.ais)

    def summary(self, confused: int = 10) -> dict[str, Any]:
        def share(counts: Sequence[int]) -> dict[str, Any]:
            return {"patients": counts[0], "top1": counts[1] / counts[0], "top3": counts[2] / counts[0]}

        return {
            "patients": self.patients,
            "top1": self.correct / self.patients if self.patients else 0.0,
            "top3": self.top3 / self.patients if self.patients else 0.0,
            "by_site_class": {key: share(value) for key, value in sorted(self.by_class.items())},
            "by_variant": {key: share(value) for key, value in sorted(self.by_variant.items())},
            "most_confused": [
                {"site": truth, "localized_as": best, "patients": count}
                for (truth, best), count in sorted(self.confusion.items(), key=lambda item: (-item[1], item[0]))[:confused]
            ],
            "ais_by_level": [
                {"nli": nli, "ais": ais, "patients": count} for (nli, ais), count in sorted(self.ais.items())
            ],
        }


@dataclass(frozen=True)
class CohortResult:
    """A cohort's rows (when kept) and its summary.

    Attributes
    ----------
    spec : CohortSpec
    rows : tuple of dict
        One row per patient, columns :data:`COLUMNS` (empty when the rows went only to a file).
    summary : dict
        Top-1 and top-3 accuracy overall, by site class and by variant; the most confused site
        pairs; the AIS distribution by neurological level (ISNCSCI protocol).
    output : str or None
        The CSV file the rows were written to.
    """

    spec: CohortSpec
    rows: tuple[dict[str, Any], ...]
    summary: dict[str, Any]
    output: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"spec": self.spec.to_dict(), "summary": self.summary, "rows": list(self.rows), "output": self.output}

    def to_table(self) -> Any:
        """The rows as a pandas DataFrame when pandas is installed, else a list of dicts."""
        try:
            import pandas as pd
        except ImportError:
            return [dict(row) for row in self.rows]
        return pd.DataFrame(list(self.rows), columns=list(COLUMNS))

    def __repr__(self) -> str:
        summary = self.summary
        return f"<CohortResult {summary.get('patients', 0)} patients, top-1 {summary.get('top1', 0):.3f}, top-3 {summary.get('top3', 0):.3f}>"


def _progress_text(done: int, size: int, elapsed: float) -> str:
    """``1,000 of 2,000 patients (50%), 50.0 a second, about 20 s left``."""
    rate = done / max(elapsed, 1e-9)
    text = f"{done:,} of {size:,} patients ({100 * done // max(size, 1)}%), {rate:.1f} a second"
    if 0 < done < size:
        text += f", about {_duration((size - done) / rate)} left"
    return text


class ProgressLine:
    r"""A progress line for long cohort runs: call it as ``progress(done, size)`` (what
    :func:`run_cohort` passes) and it rewrites one line of ``stream`` with the patients done, the
    rate and the time left; :meth:`close` ends the line.

    Examples
    --------
    >>> import io
    >>> stream, ticks = io.StringIO(), iter([0.0, 10.0, 20.0])
    >>> line = ProgressLine(stream, clock=lambda: next(ticks))
    >>> line(500, 2000); line(1000, 2000); line.close()
    >>> stream.getvalue().split("\r")[-1]
    '1,000 of 2,000 patients (50%), 50.0 a second, about 20 s left\n'
    """

    def __init__(self, stream: Any, clock: Callable[[], float] | None = None) -> None:
        import time

        self.stream, self.clock = stream, clock or time.monotonic
        self.started = self.clock()
        self.width = 0

    def __call__(self, done: int, size: int) -> None:
        text = _progress_text(done, size, self.clock() - self.started)
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def close(self) -> None:
        if self.width:
            self.stream.write("\n")
            self.stream.flush()


@dataclass(frozen=True)
class _ProgressView:
    """What a notebook shows of a run's progress: a bar (HTML) or the progress line's text."""

    done: int
    size: int
    text: str

    def _repr_html_(self) -> str:
        import html

        return (f'<progress value="{self.done}" max="{max(self.size, 1)}" style="width: 24em"></progress> '
                f"<span>{html.escape(self.text)}</span>")

    def __repr__(self) -> str:
        return self.text


class ProgressBar:
    """A progress bar for cohort runs in a notebook: call it as ``progress(done, size)`` (what
    :func:`run_cohort` passes) and it updates one output of the cell in place (an HTML bar with
    the patients done, the rate and the time left; the text where HTML is not shown).

    It uses IPython's display machinery, there in every Jupyter kernel: no widget library.
    ``run_cohort(spec, progress=True)`` chooses it in a notebook and :class:`ProgressLine`
    elsewhere. ``display`` (for tests) is called as IPython's ``display(view, display_id=True)``
    and returns a handle with ``update(view)``.

    Examples
    --------
    >>> shown = []
    >>> class Handle:
    ...     def update(self, view): shown.append(repr(view))
    >>> ticks = iter([0.0, 10.0, 20.0])
    >>> bar = ProgressBar(display=lambda view, display_id: shown.append(repr(view)) or Handle(), clock=lambda: next(ticks))
    >>> bar(500, 2000); bar(1000, 2000)
    >>> shown
    ['starting', '500 of 2,000 patients (25%), 50.0 a second, about 30 s left', '1,000 of 2,000 patients (50%), 50.0 a second, about 20 s left']
    """

    def __init__(self, display: Callable[..., Any] | None = None, clock: Callable[[], float] | None = None) -> None:
        import time

        if display is None:
            from IPython.display import display as ipython_display

            display = ipython_display
        self.clock = clock or time.monotonic
        self.started = self.clock()
        self.handle = display(_ProgressView(0, 1, "starting"), display_id=True)

    def __call__(self, done: int, size: int) -> None:
        self.handle.update(_ProgressView(done, size, _progress_text(done, size, self.clock() - self.started)))

    def close(self) -> None:
        """Nothing to end: the bar stays as the run left it."""


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython with a kernel; IPython is not imported here
    when it was not already)."""
    import sys

    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _duration(seconds: float) -> str:
    """``42 s``, ``7 min``, ``3 h 20 min``."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 90 else f"{minutes // 60} h {minutes % 60} min"


def format_summary(summary: Mapping[str, Any]) -> str:
    """A cohort's summary as text for the command line."""
    lines = [f"{summary['patients']:,} patients: top-1 {summary['top1']:.3f}, top-3 {summary['top3']:.3f}", "By site class:"]
    for key, value in summary["by_site_class"].items():
        lines.append(f"  {key:<16} {value['patients']:>8,}  top-1 {value['top1']:.3f}  top-3 {value['top3']:.3f}")
    lines.append("By variant:")
    for key, value in summary["by_variant"].items():
        lines.append(f"  {key:<26} {value['patients']:>8,}  top-1 {value['top1']:.3f}  top-3 {value['top3']:.3f}")
    if summary["most_confused"]:
        lines.append("Most confused:")
        lines.extend(f"  {row['site']} -> {row['localized_as']}: {row['patients']:,}" for row in summary["most_confused"])
    if summary["ais_by_level"]:
        lines.append("AIS by neurological level:")
        lines.extend(f"  {row['nli']:<8} {row['ais']:<4} {row['patients']:,}" for row in summary["ais_by_level"])
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Runners


def _partitions(spec: CohortSpec) -> list[tuple[int, int]]:
    size = spec.partition_size
    return [(start, min(start + size, spec.size)) for start in range(0, spec.size, size)]


def _in_process(spec: CohortSpec, parts: Sequence[tuple[int, int]]) -> Iterator[list[dict[str, Any]]]:
    for start, stop in parts:
        yield run_partition(spec, start, stop)


#: The thresholds a Dask worker's allocator is given (bytes): freed memory up to the trim
#: threshold stays in the process for reuse, and blocks below the mmap threshold come from the heap.
WORKER_TRIM_THRESHOLD, WORKER_MMAP_THRESHOLD = 128 << 20, 32 << 20
_TUNED: list[bool] = []
#: How many partitions a local Dask scheduler (``scheduler="threads"`` and the like) is given at once.
LOCAL_SCHEDULER_BATCH = 4


def _keep_freed_memory() -> None:
    """Let this process's allocator keep freed memory for reuse (glibc; elsewhere nothing).

    Dask's nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``, which hands freed
    memory back to the system at once and, being set, stops glibc from raising its mmap
    threshold: every array a localization allocates above 128 KiB is then mapped and unmapped
    afresh. A patient allocates and frees the same arrays over and over, so a worker spent about
    twice the CPU time of the in-process runner on the same patients, most of the extra in page
    faults; with these thresholds it spends the same. Memory stays bounded: at most
    :data:`WORKER_TRIM_THRESHOLD` of free memory is kept.
    """
    if _TUNED:
        return
    _TUNED.append(True)
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    mallopt = getattr(ctypes.CDLL(name), "mallopt", None) if name else None
    if mallopt is not None:
        trim, mmap = -1, -3  # M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in glibc's malloc.h
        mallopt(trim, WORKER_TRIM_THRESHOLD)
        mallopt(mmap, WORKER_MMAP_THRESHOLD)


def run_worker_partition(spec: CohortSpec, start: int, stop: int) -> list[dict[str, Any]]:
    """:func:`run_partition` as a Dask worker runs it: the worker's allocator first set to keep
    freed memory (:func:`_keep_freed_memory`)."""
    _keep_freed_memory()
    return run_partition(spec, start, stop)


#: Dask settings for the cluster :func:`local_cluster` starts. Dask's defaults wake every worker
#: and the scheduler 50 times a second (the event loop's health tick), sample each worker's stacks
#: every 10 ms (the statistical profiler), and poll memory every 100 ms and the system every
#: 500 ms; a local cluster of two idle workers so spent about 11 % of a core (client, scheduler and
#: nannies 4.5 %, each worker 3.4 %), time and GIL hand-overs taken from the partitions on a
#: machine whose cores the workers fill. With these, 1.5 %. Blocked event loops are still
#: reported (after 3 s), memory still bounds each worker.
LOCAL_WORKER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.scheduler.work-stealing-interval": "1s",
}
#: Partitions submitted and not yet consumed, for each thread of the cluster's workers: the rows
#: are consumed in patient order, so a slow partition at the head must not leave workers idle.
PARTITIONS_QUEUED_PER_THREAD = 16


def local_cluster(workers: int) -> Any:
    """A local Dask cluster of ``workers`` processes of one thread each, as ``run_cohort(spec,
    workers=N)`` and ``neurograph cohort --workers N`` start it (see :data:`LOCAL_WORKER_CONFIG`).

    Processes, not threads: a patient's simulation and localization are mostly Python and hold
    the GIL, so threads of one process would take turns. Close it after use (a context manager).
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidValueError("workers", workers, "a whole number of worker processes >= 1")
    try:
        import dask
        from dask.distributed import LocalCluster
    except ImportError:
        raise NeurographError(f"running a cohort on Dask needs dask.distributed: {DASK_HINT}") from None
    # The scheduler's web server on a free port (Dask's dashboard there when bokeh is installed):
    # with no address it takes 8787, and warns on stderr when another cluster has that port.
    with dask.config.set(LOCAL_WORKER_CONFIG):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")


def _on_dask(spec: CohortSpec, parts: Sequence[tuple[int, int]], client: Any, scheduler: str | None
             ) -> Iterator[list[dict[str, Any]]]:
    """The partitions' rows in order; at most :data:`PARTITIONS_QUEUED_PER_THREAD` partitions for
    each thread of the cluster's workers are submitted and not yet consumed."""
    try:
        import dask
    except ImportError:
        raise NeurographError(f"running a cohort on Dask needs dask: {DASK_HINT}") from None
    if client is None:
        for first in range(0, len(parts), LOCAL_SCHEDULER_BATCH):
            batch = [dask.delayed(run_partition)(spec, start, stop) for start, stop in parts[first:first + LOCAL_SCHEDULER_BATCH]]
            yield from dask.compute(*batch, scheduler=scheduler or "synchronous")
        return
    window = PARTITIONS_QUEUED_PER_THREAD * max(1, sum(client.nthreads().values()))
    pending: list[Any] = []
    submitted = 0
    while submitted < len(parts) or pending:
        while submitted < len(parts) and len(pending) < window:
            start, stop = parts[submitted]
            pending.append(client.submit(run_worker_partition, spec, start, stop, pure=False))
            submitted += 1
        yield pending.pop(0).result()


def _csv_chunks(parts: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    for number, part in enumerate(parts):
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=list(COLUMNS), lineterminator="\n")
        if number == 0:
            writer.writeheader()
        writer.writerows(part)
        yield text.getvalue().encode("utf-8")


def _parquet() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise NeurographError(f"writing Parquet needs pyarrow: {DASK_HINT}") from None
    return pyarrow


class _Sink:
    """A write-only file for pyarrow's Parquet writer that hands on what was written."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.closed = False

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.parts.append(chunk)
        self.size += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def take(self) -> bytes:
        out, self.parts = b"".join(self.parts), []
        return out


def _parquet_chunks(parts: Iterable[list[dict[str, Any]]]) -> Iterator[bytes]:
    """One Parquet file, a row group per partition, handed on as it is written."""
    pa = _parquet()
    schema = pa.schema([
        (name, pa.int64() if name in _INTEGER_COLUMNS else pa.bool_() if name in _BOOLEAN_COLUMNS else pa.string())
        for name in COLUMNS
    ])
    sink = _Sink()
    writer = pa.parquet.ParquetWriter(sink, schema)
    for part in parts:
        writer.write_table(pa.Table.from_pylist(part, schema=schema))
        yield sink.take()
    writer.close()
    yield sink.take()


def run_cohort(
    spec: CohortSpec, *, client: Any = None, workers: int | None = None, scheduler: str | None = None,
    output: str | os.PathLike[str] | None = None, keep_rows: bool | None = None,
    progress: Callable[[int, int], None] | bool | None = None,
) -> CohortResult:
    """Generate, simulate, examine and localize every patient of ``spec``.

    Parameters
    ----------
    spec : CohortSpec
    client : dask.distributed.Client, optional
        Run the partitions on this Dask cluster.
    workers : int, optional
        Start a local Dask cluster of this many worker processes (one thread each) for the run.
    scheduler : str, optional
        A Dask scheduler address (``tcp://...``) to connect to, or a local Dask scheduler name
        (``"synchronous"``, ``"processes"``, ``"threads"``) to run the partitions with.
    output : path, optional
        Write the rows to this CSV file (or Parquet, by the ``.parquet`` extension: one row group
        a partition; needs pyarrow, in the Dask extra), partition by partition, in patient order.
    keep_rows : bool, optional
        Keep the rows in the result (default: only when there is no ``output``).
    progress : callable or bool, optional
        Called as ``progress(done, size)`` after each partition. ``True`` shows the progress:
        a bar updated in place in a notebook (:class:`ProgressBar`), else a line on stderr
        (:class:`ProgressLine`), on either runner.

    Returns
    -------
    CohortResult
    """
    from neurograph.writing import check_output, write_chunks

    file_format = "parquet" if output is not None and str(output).endswith(".parquet") else "csv"
    if output is not None:
        check_output(output, file_format)
        if file_format == "parquet":
            _parquet()
    parts = _partitions(spec)
    keep = output is None if keep_rows is None else keep_rows
    shown: ProgressBar | ProgressLine | None = None
    if progress is True:
        import sys

        shown = ProgressBar() if in_notebook() else ProgressLine(sys.stderr)
    report: Callable[[int, int], None] | None = shown if shown is not None else progress if callable(progress) else None
    cluster = own_client = None
    try:
        if workers is not None or (scheduler and "://" in scheduler):
            if workers is not None:
                cluster = local_cluster(workers)
            try:
                from dask.distributed import Client
            except ImportError:
                raise NeurographError(f"running a cohort on Dask needs dask.distributed: {DASK_HINT}") from None
            client = own_client = Client(scheduler if cluster is None else cluster)
        if client is not None or scheduler is not None:
            stream = _on_dask(spec, parts, client, scheduler)
        else:
            stream = _in_process(spec, parts)
        tally, rows = Tally(), []

        def tallied() -> Iterator[list[dict[str, Any]]]:
            done = 0
            for part in stream:
                for row in part:
                    tally.add(row)
                if keep:
                    rows.extend(part)
                yield part
                done += len(part)
                if report is not None:
                    report(done, spec.size)

        if output is None:
            for _ in tallied():
                pass
        elif file_format == "parquet":
            write_chunks(output, _parquet_chunks(tallied()), "parquet")
        else:
            write_chunks(output, _csv_chunks(tallied()), "csv")
    finally:
        if shown is not None:
            shown.close()
        if own_client is not None:
            own_client.close()
        if cluster is not None:
            cluster.close()
    return CohortResult(spec, tuple(rows), tally.summary(), None if output is None else str(output))
