"""Anatomical variants: cited departures from the usual anatomy, each a transform of the graph.

The catalogue lives in source tables (``data/sources/variants/``, documented in
``VARIANTS_TABLES.md``): what each variant is (``variants.csv``), how often it is found, one row
per reference so that disagreements stay data (``prevalence.csv``), and the graph edits that make
it (``edits.csv``). :func:`apply_variants` makes those edits on a copy of an anatomy and
validates the result; :func:`variants` lists what applies to a graph, with prevalence and source.

Variants are applied on both sides: the anatomy's rules ask for a symmetric graph.

The edit operations:

- ``add_nerve``: a new nerve node (an anastomosis), motor only;
- ``connect`` / ``disconnect``: a motor edge between two nerve points, or a nerve branch to a
  muscle (with the muscle's spindle afferents going the same way); where both ends have
  afferent twins, the twins' ascending edge follows (a nerve trunk carries both);
- ``move_branch``: a muscle's branch leaves another nerve;
- ``shift_segments``: a plexus takes its roots one segment higher (``shift`` -1) or lower (+1),
  its motor and its sensory fibres alike: the root edges into its entry nodes (and their
  afferent twins) move to the neighbouring root, every segment its fibres carry below them is
  relabelled (the muscles' segments, the skin it supplies, so its dermatomes; the reflexes'
  arcs), the new pools get their corticospinal drive, and the skin's fibres join the cord's
  ascending channels of their area at the new segment (a channel that ended above it is
  extended down). Skin the plexus does not supply (the dorsal rami's strips of the back, the
  intercostal nerves' trunk) keeps its segments.

Examples
--------
>>> import neurograph
>>> from neurograph.variants import apply_variants, variants
>>> G = neurograph.load_anatomy()
>>> MG = apply_variants(G, ["martin_gruber"])
>>> neurograph.simulate(MG, "right median nerve at the elbow").muscle("right FDI").mrc_grade < 5
True
>>> neurograph.simulate(G, "right median nerve at the elbow").muscle("right FDI").mrc_grade
5
>>> [row.name for row in variants(MG) if row.applied]
['martin_gruber']
"""

from __future__ import annotations

import csv
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from neurograph.errors import InvalidValueError
from neurograph.schema import (
    SEGMENTS, SIDES, decode_list, decode_segment_list, decode_segment_weights, encode_list, encode_segment_list,
    encode_segment_weights,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Variant", "Prevalence", "VariantStatus", "catalogue", "apply_variants", "variants", "applied_variants",
    "variants_folder", "OPERATIONS",
]

#: The edit operations of ``edits.csv``.
OPERATIONS = ("add_nerve", "connect", "disconnect", "move_branch", "shift_segments")
#: The graph attribute recording the variants applied, in order (``|``-separated).
APPLIED = "variants"
#: Where a prevalence comes from, in the order the default prevalence prefers it.
PREFERRED_METHODS = ("meta-analysis",)
_MOTOR_EDGES = ("motor_axon", "innervates")
_ROOT_KINDS = ("ventral_ramus", "spinal_nerve")


def variants_folder() -> Path:
    """The folder of the variant tables: inside an installed wheel, or ``data/sources/variants``.

    Examples
    --------
    >>> (variants_folder() / "variants.csv").is_file()
    True
    """
    packaged = resources.files("neurograph").joinpath("_data", "variants")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / "sources" / "variants"


@dataclass(frozen=True)
class Prevalence:
    """One reference's figure for how often a variant is found.

    ``value`` is a share in [0, 1] of ``unit`` (limbs, plexuses or people); ``basis`` says
    whether the reference gives it (``cited``), it is computed from cited numbers (``derived``)
    or no reference gives it (``assumed``).
    """

    value: float
    low: float | None
    high: float | None
    unit: str
    sample: int | None
    method: str
    population: str
    basis: str
    note: str
    source: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value, "low": self.low, "high": self.high, "unit": self.unit, "sample": self.sample,
            "method": self.method, "population": self.population, "basis": self.basis, "note": self.note,
            "source": list(self.source),
        }


@dataclass(frozen=True)
class Edit:
    """One graph edit of a variant (a row of ``edits.csv``), with side-less node ids."""

    operation: str
    node: str
    from_node: str
    to_node: str
    segments: tuple[str, ...]
    shift: int
    label: str
    source: tuple[str, ...]


@dataclass(frozen=True)
class Variant:
    """A catalogued anatomical variant: what it is, how often it is found, and its edits.

    ``group`` names variants that exclude each other (a plexus is prefixed or postfixed, not
    both); ``prevalence`` is the default share a cohort draws it with (see :meth:`default_prevalence`).
    """

    name: str
    label: str
    aliases: tuple[str, ...]
    group: str
    description: str
    source: tuple[str, ...]
    estimates: tuple[Prevalence, ...]
    edits: tuple[Edit, ...]

    @property
    def prevalence(self) -> float:
        return self.default_prevalence()

    def default_prevalence(self) -> float:
        """The figure a cohort uses: the median of the meta-analyses where there are any, else
        the median of the cited and derived figures, else of the assumed ones."""
        for chosen in (
            [e.value for e in self.estimates if e.method in PREFERRED_METHODS],
            [e.value for e in self.estimates if e.basis != "assumed"],
            [e.value for e in self.estimates],
        ):
            if chosen:
                return float(statistics.median(chosen))
        return 0.0

    @property
    def shifts(self) -> bool:
        return any(edit.operation == "shift_segments" for edit in self.edits)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "aliases": list(self.aliases), "group": self.group,
            "description": self.description, "source": list(self.source), "prevalence": self.prevalence,
            "estimates": [estimate.to_dict() for estimate in self.estimates],
        }

    def __repr__(self) -> str:
        return f"<Variant {self.name}: {self.label}, prevalence {self.prevalence:.3g}>"


@dataclass(frozen=True)
class VariantStatus:
    """A variant as :func:`variants` reports it for one graph."""

    name: str
    label: str
    prevalence: float
    source: tuple[str, ...]
    applied: bool
    applicable: bool
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "label": self.label, "prevalence": self.prevalence, "source": list(self.source),
            "applied": self.applied, "applicable": self.applicable, "reason": self.reason,
        }


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(handle)]


def _number(text: str) -> float | None:
    return float(text) if text else None


@lru_cache(maxsize=1)
def _catalogue_from(folder: str) -> dict[str, Variant]:
    root = Path(folder)
    estimates: dict[str, list[Prevalence]] = {}
    for row in _read(root / "prevalence.csv"):
        estimates.setdefault(row["variant"], []).append(
            Prevalence(
                float(row["prevalence"]), _number(row["low"]), _number(row["high"]), row["unit"],
                int(row["sample"]) if row["sample"] else None, row["method"], row["population"], row["basis"],
                row["note"], tuple(decode_list(row["source"].replace(";", "|"))),
            )
        )
    edits: dict[str, list[Edit]] = {}
    for row in _read(root / "edits.csv"):
        edits.setdefault(row["variant"], []).append(
            Edit(
                row["operation"], row["node"], row["from_node"], row["to_node"],
                decode_segment_list(row["segments"]) if row["segments"] else (), int(row["shift"] or 0), row["label"],
                tuple(decode_list(row["source"].replace(";", "|"))),
            )
        )
    found = {}
    for row in _read(root / "variants.csv"):
        name = row["variant"]
        found[name] = Variant(
            name, row["label"], tuple(decode_list(row["aliases"])), row["group"], row["description"],
            tuple(decode_list(row["source"].replace(";", "|"))), tuple(estimates.get(name, ())),
            tuple(edits.get(name, ())),
        )
    return found


def catalogue() -> dict[str, Variant]:
    """Every catalogued variant by name, in the tables' order.

    Examples
    --------
    >>> cat = catalogue()
    >>> cat["martin_gruber"].label, round(cat["martin_gruber"].prevalence, 3)
    ('Martin-Gruber anastomosis', 0.195)
    >>> len(cat)
    11
    """
    return dict(_catalogue_from(str(variants_folder())))


def _normal(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").replace("_", " ").split())


def resolve_variant(name: str) -> Variant:
    """A variant by its name, label or alias (case, spaces, hyphens and underscores ignored)."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidValueError("variant", name, "the name of a catalogued variant")
    wanted = _normal(name)
    for variant in catalogue().values():
        if wanted in {_normal(variant.name), _normal(variant.label), *map(_normal, variant.aliases)}:
            return variant
    raise InvalidValueError("variant", name, "one of " + ", ".join(catalogue()))


def applied_variants(G: nx.DiGraph) -> tuple[str, ...]:
    """The names of the variants already applied to ``G``, in the order they were applied."""
    return tuple(decode_list(G.graph.get(APPLIED, "")))


def _missing_nodes(G: nx.DiGraph, variant: Variant) -> list[str]:
    created = {edit.node for edit in variant.edits if edit.operation == "add_nerve"}
    named: set[str] = set()
    for edit in variant.edits:
        named.update(n for n in (edit.node, edit.from_node, edit.to_node) if n and n not in created)
    return sorted(name for name in named for side in SIDES if f"{side}.{name}" not in G)


def variants(G: nx.DiGraph) -> list[VariantStatus]:
    """What each catalogued variant means for ``G``: applied already, applicable, or why not.

    A variant applies when every node its edits name is in ``G`` (on both sides), it is not
    applied yet, and no variant of its exclusive group is.

    Examples
    --------
    >>> import neurograph
    >>> statuses = variants(neurograph.load_anatomy())
    >>> all(s.applicable for s in statuses), statuses[0].name
    (True, 'prefixed_brachial_plexus')
    """
    done = applied_variants(G)
    cat = catalogue()
    groups = {cat[name].group for name in done if name in cat and cat[name].group}
    found = []
    for variant in cat.values():
        missing = _missing_nodes(G, variant)
        if variant.name in done:
            applicable, reason = False, "applied"
        elif missing:
            applicable, reason = False, "the anatomy lacks " + ", ".join(missing[:5])
        elif variant.group and variant.group in groups:
            applicable, reason = False, f"another variant of the group {variant.group} is applied"
        else:
            applicable, reason = True, ""
        found.append(
            VariantStatus(
                variant.name, variant.label, variant.prevalence, variant.source, variant.name in done, applicable, reason
            )
        )
    return found


def apply_variants(G: nx.DiGraph, names: Iterable[str] | str) -> nx.DiGraph:
    """A new anatomy: ``G`` with the named variants applied (``G`` itself is never changed).

    The structural edits (anastomoses, branches) are made before the segment shifts, so a
    variant's added fibres shift with the plexus they lie in. The result is validated.

    Parameters
    ----------
    G : networkx.DiGraph
        An anatomy.
    names : str or iterable of str
        Variant names, labels or aliases (:func:`catalogue`).

    Raises
    ------
    InvalidValueError
        A name that is no catalogued variant, a variant applied twice, two of one exclusive
        group, or one whose nodes ``G`` lacks.
    InvalidAnatomyError
        The result breaks the anatomy's rules.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> pre = apply_variants(G, "prefixed brachial plexus")
    >>> pre.nodes["R.muscle.deltoid"]["segments"], G.nodes["R.muscle.deltoid"]["segments"]
    ('C4|C5', 'C5|C6')
    """
    from neurograph.validation import require_valid

    wanted = [names] if isinstance(names, str) else list(names)
    chosen = [resolve_variant(name) for name in wanted]
    done = list(applied_variants(G))
    cat = catalogue()
    groups = {cat[name].group: name for name in done if name in cat and cat[name].group}
    for variant in chosen:
        if variant.name in done:
            raise InvalidValueError("variants", variant.name, "variants not applied already (each applies once)")
        if variant.group and variant.group in groups:
            raise InvalidValueError(
                "variants", f"{variant.name} with {groups[variant.group]}", f"at most one variant of the group {variant.group}"
            )
        missing = _missing_nodes(G, variant)
        if missing:
            raise InvalidValueError(f"variant {variant.name}", "the anatomy", "an anatomy with " + ", ".join(missing[:5]))
        done.append(variant.name)
        if variant.group:
            groups[variant.group] = variant.name
    result = G.copy()
    order = sorted(chosen, key=lambda variant: variant.shifts)  # shifts last, stable otherwise
    for variant in order:
        for side in SIDES:
            _Editor(result, side, variant).run()
    result.graph[APPLIED] = encode_list(done)
    labels = [cat[name].label for name in done]
    base = G.graph.get("name", "anatomy").split(" with ")[0]
    result.graph["name"] = f"{base} with {', '.join(labels)}" if labels else base
    require_valid(result)
    return result


def _shifted(segment: str, shift: int) -> str:
    index = SEGMENTS.index(segment) + shift
    if not 0 <= index < len(SEGMENTS):
        raise InvalidValueError("segment shift", f"{segment}{shift:+d}", "a segment between C1 and Co1")
    return SEGMENTS[index]


class _Editor:
    """Makes one variant's edits on one side of a graph."""

    def __init__(self, G: nx.DiGraph, side: str, variant: Variant) -> None:
        self.G, self.side, self.variant = G, side, variant

    def id(self, name: str) -> str:
        return f"{self.side}.{name}"

    def twin(self, node: str) -> str | None:
        twin = f"{self.side}.aff.{node.split('.', 1)[1]}"
        return twin if twin in self.G and self.G.nodes[twin].get("structure") == node else None

    def reference(self, edit: Edit) -> str:
        return ";".join(edit.source)

    def run(self) -> None:
        for edit in self.variant.edits:
            if edit.operation != "shift_segments":
                getattr(self, edit.operation)(edit)
        shifts = [edit for edit in self.variant.edits if edit.operation == "shift_segments"]
        if shifts:
            _Shift(self, [self.id(edit.node) for edit in shifts], shifts[0].shift, self.reference(shifts[0])).run()

    def add_nerve(self, edit: Edit) -> None:
        node = self.id(edit.node)
        side_word = "right" if self.side == "R" else "left"
        self.G.add_node(
            node, kind="nerve", side=self.side, label=f"{edit.label} ({side_word})", aliases=edit.label,
            nerve=edit.node, segments="", reference=self.reference(edit),
        )

    def connect(self, edit: Edit) -> None:
        source, target = self.id(edit.from_node), self.id(edit.to_node)
        segments = encode_segment_list(edit.segments)
        if self.G.nodes[target]["kind"] == "muscle":
            self.G.add_edge(source, target, kind="innervates", segments=segments, reference=self.reference(edit))
            afferent = self.twin(source)
            if afferent:
                self.G.add_edge(target, afferent, kind="spindle_afferent", segments=segments, reference=self.reference(edit))
            return
        self.G.add_edge(source, target, kind="motor_axon", segments=segments, reference=self.reference(edit))
        for node in (source, target):
            if self.G.nodes[node]["kind"] == "nerve" and node.split(".", 1)[1] in {
                e.node for e in self.variant.edits if e.operation == "add_nerve"
            }:
                carried = set(decode_segment_list(self.G.nodes[node]["segments"] or "")) | set(edit.segments)
                self.G.nodes[node]["segments"] = encode_segment_list(sorted(carried, key=SEGMENTS.index))
        up, down = self.twin(target), self.twin(source)
        if up and down:
            self.G.add_edge(up, down, kind="sensory_axon", segments=segments, reference=self.reference(edit))

    def disconnect(self, edit: Edit) -> None:
        source, target = self.id(edit.from_node), self.id(edit.to_node)
        self.G.remove_edge(source, target)
        up, down = self.twin(target), self.twin(source)
        if up and down and self.G.has_edge(up, down):
            self.G.remove_edge(up, down)

    def move_branch(self, edit: Edit) -> None:
        muscle, old, new = self.id(edit.node), self.id(edit.from_node), self.id(edit.to_node)
        data = dict(self.G.edges[old, muscle])
        self.G.remove_edge(old, muscle)
        self._merge_edge(new, muscle, data, self.reference(edit))
        old_twin, new_twin = self.twin(old), self.twin(new)
        if old_twin and self.G.has_edge(muscle, old_twin):
            spindle = dict(self.G.edges[muscle, old_twin])
            self.G.remove_edge(muscle, old_twin)
            if new_twin:
                self._merge_edge(muscle, new_twin, spindle, self.reference(edit))

    def _merge_edge(self, source: str, target: str, data: dict[str, Any], reference: str) -> None:
        if self.G.has_edge(source, target):
            both = set(decode_segment_list(self.G.edges[source, target]["segments"])) | set(
                decode_segment_list(data["segments"])
            )
            self.G.edges[source, target]["segments"] = encode_segment_list(sorted(both, key=SEGMENTS.index))
        else:
            self.G.add_edge(source, target, **{**data, "reference": reference})


class _Shift:
    """One plexus's segments shifted by one: its root edges move, the segments below relabel,
    motor and sensory."""

    def __init__(self, editor: _Editor, entries: Sequence[str], shift: int, reference: str) -> None:
        self.editor, self.G, self.entries, self.shift, self.reference = editor, editor.G, entries, shift, reference

    def motor_domain(self) -> set[str]:
        domain = set(self.entries)
        stack = list(self.entries)
        while stack:
            node = stack.pop()
            for child in self.G.successors(node):
                if self.G.edges[node, child]["kind"] in _MOTOR_EDGES and child not in domain:
                    domain.add(child)
                    stack.append(child)
        return domain

    def is_root(self, node: str) -> bool:
        """A ventral ramus or spinal nerve: where a plexus takes its roots."""
        return self.G.nodes[node]["kind"] in _ROOT_KINDS

    def root(self, node: str, segment: str) -> str:
        """The node carrying ``segment`` into a plexus in place of ``node``: the ventral ramus of
        that segment where the anatomy has one, else its spinal nerve."""
        same = ".".join([*node.split(".")[:-1], segment])
        return same if same in self.G else f"{self.editor.side}.spn.{segment}"

    def run(self) -> None:
        motor = self.motor_domain()
        move = lambda text: encode_segment_list(_shifted(s, self.shift) for s in decode_segment_list(text))  # noqa: E731
        rewired = []
        for u, v, data in list(self.G.edges(data=True)):
            if u in motor and v in motor:
                data["segments"] = move(data["segments"])
            elif v in motor and u not in motor and self.is_root(u):
                rewired.append((u, v, data))
        for u, v, _ in rewired:
            self.G.remove_edge(u, v)
        for u, v, data in rewired:
            (segment,) = [_shifted(s, self.shift) for s in decode_segment_list(data["segments"])]
            self.editor._merge_edge(self.root(u, segment), v, {**data, "segments": segment}, data["reference"])
        for node in motor:
            self.relabel(node)
        self.drive_new_pools(motor)
        for node, data in self.G.nodes(data=True):
            if data["kind"] == "reflex":
                muscles = [m for m in self.G.predecessors(node) if self.G.edges[m, node]["kind"] == "reflex_response"]
                if muscles and all(m in motor for m in muscles):
                    data["efferent_segments"] = move(data["efferent_segments"])
                    if data.get("afferent_segments"):
                        data["afferent_segments"] = move(data["afferent_segments"])
        self.shift_sensation(motor, move)

    def sensory_domain(self) -> set[str]:
        """The afferent twins of the plexus's nodes and everything whose fibres reach them: its
        nerves' afferent fibres, cutaneous branches and the skin they supply."""
        twins = [n for n, d in self.G.nodes(data=True) if d["kind"] == "afferent" and d.get("structure") in self.entries]
        domain: set[str] = set()
        stack = twins
        while stack:
            node = stack.pop()
            if node not in domain:
                domain.add(node)
                stack.extend(u for u in self.G.predecessors(node) if self.G.edges[u, node]["kind"] == "sensory_axon")
        return domain

    def shift_sensation(self, motor: set[str], move: Callable[[str], str]) -> None:
        """The plexus's sensory fibres shift with its motor fibres (Pellerin2010: the skin it
        supplies is served by the neighbouring segment): their edges relabel, the edges into the
        roots' afferent twins move to the neighbouring root, and each skin node's segments become
        those its fibres now carry, entering the cord at the new segments."""
        G, side = self.G, self.editor.side
        domain = self.sensory_domain()
        rewired = []
        for u, v, data in list(G.edges(data=True)):
            if data["kind"] == "sensory_axon" and u in domain:
                if v in domain:
                    data["segments"] = move(data["segments"])
                elif self.is_root(G.nodes[v].get("structure", v)):
                    rewired.append((u, v, data))
            elif data["kind"] == "spindle_afferent" and u in motor and v in domain:
                data["segments"] = move(data["segments"])
        for u, v, _ in rewired:
            G.remove_edge(u, v)
        for u, v, data in rewired:
            (segment,) = [_shifted(s, self.shift) for s in decode_segment_list(data["segments"])]
            twin = f"{side}.aff.{self.root(G.nodes[v]['structure'], segment).split('.', 1)[1]}"
            self.editor._merge_edge(u, twin, {**data, "segments": segment}, data["reference"])
        entering: set[tuple[str, str]] = set()
        for node in domain:
            data = G.nodes[node]
            if data["kind"] == "afferent" and data.get("segments"):
                data["segments"] = move(data["segments"])
            elif data["kind"] == "skin":
                carried = {
                    s for v in G.successors(node) if G.edges[node, v]["kind"] == "sensory_axon"
                    for s in decode_segment_list(G.edges[node, v]["segments"])
                }
                data["segments"] = encode_segment_list(sorted(carried, key=SEGMENTS.index))
                entering.update((segment, data["sensory_area"]) for segment in carried)
        for segment, area in sorted(entering, key=lambda pair: (SEGMENTS.index(pair[0]), pair[1])):
            self.enter_cord(segment, area)

    def enter_cord(self, segment: str, area: str) -> None:
        """Fibres of ``area``'s skin entering at ``segment`` join the dorsal column channel of the
        segment's fasciculus and cord region, and the spinothalamic channel at each segment where
        they cross, as the build joins them."""
        G, side = self.G, self.editor.side
        root = f"{side}.droot.{segment}"
        columns = [v for v in G.successors(root) if G.nodes[v].get("station") == "dorsal_column"]
        if columns:
            self.join(root, self.column(f"{side}.dc", segment, area, columns[0].rsplit(".", 1)[1]))
        stack, seen = [f"{side}.lissauer.{segment}"], set()
        while stack:
            node = stack.pop()
            if node in seen or node not in G:
                continue
            seen.add(node)
            for station_node in G.successors(node):
                data = G.nodes[station_node]
                if data.get("station") in ("lissauer_tract", "dorsal_horn"):
                    stack.append(station_node)
                elif data.get("station") == "anterior_white_commissure":
                    crossed = next(w for w in G.successors(station_node) if G.nodes[w].get("station") == "spinothalamic_tract")
                    prefix = crossed.split(".", 1)[0] + ".stt"
                    self.join(station_node, self.column(prefix, data["segment"], area, data["cord_region"]))

    def new_column(self, prefix: str, segment: str, area: str, group: str) -> str:
        """A new ascending channel of ``area`` for fibres of ``group`` (a fasciculus and cord
        region), from ``segment`` up to C1: its stations and its top's next station those of the
        area's channel for another region, its region and lamina those of the group's channels."""
        G = self.G
        here = [n for n in G if n.startswith(f"{prefix}.{segment}.")]
        template = next((n for n in here if n.split(".")[3] == area), None)
        peer = next((n for n in here if n.rsplit(".", 1)[1] == group), None)
        if template is None or peer is None:
            raise InvalidValueError("segment shift", f"{area} skin entering at {segment}", f"an ascending channel {prefix}.*.{area}.* at {segment}")
        model_group = template.rsplit(".", 1)[1]
        region, model_region = G.nodes[peer]["cord_region"], G.nodes[template]["cord_region"]
        own = {key: G.nodes[peer][key] for key in ("cord_region", "lamina_order", "fasciculus") if key in G.nodes[peer]}
        previous = None
        for i in range(SEGMENTS.index(segment), -1, -1):
            data = G.nodes[f"{prefix}.{SEGMENTS[i]}.{area}.{model_group}"]
            node = f"{prefix}.{SEGMENTS[i]}.{area}.{group}"
            label = data["label"].replace(f"from {model_region} segments", f"from {region} segments")
            G.add_node(node, **{**data, **own, "label": label})
            if previous is not None:
                G.add_edge(previous, node, kind="sensory_tract", reference=data["reference"])
            previous = node
        top = f"{prefix}.{SEGMENTS[0]}.{area}.{model_group}"
        for station in list(G.successors(top)):
            G.add_edge(previous, station, **G.edges[top, station])
        return f"{prefix}.{segment}.{area}.{group}"

    def join(self, source: str, channel: str) -> None:
        if not self.G.has_edge(source, channel):
            self.G.add_edge(source, channel, kind="sensory_tract", reference=self.G.nodes[channel]["reference"])

    def column(self, prefix: str, segment: str, area: str, group: str) -> str:
        """The ascending channel node ``prefix.segment.area.group``; a channel that ends above
        ``segment`` is extended down to it."""
        name = f"{prefix}.{segment}.{area}.{group}"
        if name in self.G:
            return name
        index = SEGMENTS.index(segment)
        above = [i for i in range(index) if f"{prefix}.{SEGMENTS[i]}.{area}.{group}" in self.G]
        if not above:
            return self.new_column(prefix, segment, area, group)
        for i in range(max(above) + 1, index + 1):
            upper = f"{prefix}.{SEGMENTS[i - 1]}.{area}.{group}"
            data = self.G.nodes[upper]
            label = data["label"].replace(f" at {SEGMENTS[i - 1]},", f" at {SEGMENTS[i]},")
            self.G.add_node(f"{prefix}.{SEGMENTS[i]}.{area}.{group}", **{**data, "segment": SEGMENTS[i], "label": label})
            self.G.add_edge(f"{prefix}.{SEGMENTS[i]}.{area}.{group}", upper, kind="sensory_tract", reference=data["reference"])
        return name

    def drive_new_pools(self, motor: set[str]) -> None:
        """Corticospinal fibres for each pool the shift creates: the lateral tract of the muscle's
        area at the new segment synapses on its anterior horn (the tract is extended down where it
        ended above)."""
        side = self.editor.side
        for muscle in motor:
            data = self.G.nodes[muscle]
            if data["kind"] != "muscle":
                continue
            area = data["cortical_area"]
            for segment in decode_segment_list(data["segments"]):
                tract = f"{side}.lcst.{segment}.{area}"
                if tract not in self.G:
                    self.extend_tract(side, area, segment)
                horn = f"{side}.ah.{segment}"
                if not self.G.has_edge(tract, horn):
                    self.G.add_edge(tract, horn, kind="synapse", reference=self.reference)

    def extend_tract(self, side: str, area: str, segment: str) -> None:
        """Continue an area's lateral corticospinal channel down to ``segment``."""
        index = SEGMENTS.index(segment)
        last = max(i for i in range(index) if f"{side}.lcst.{SEGMENTS[i]}.{area}" in self.G)
        for i in range(last + 1, index + 1):
            above = self.G.nodes[f"{side}.lcst.{SEGMENTS[i - 1]}.{area}"]
            label = above["label"].replace(f" at {SEGMENTS[i - 1]},", f" at {SEGMENTS[i]},")
            node = f"{side}.lcst.{SEGMENTS[i]}.{area}"
            self.G.add_node(node, **{**above, "segment": SEGMENTS[i], "label": label})
            self.G.add_edge(f"{side}.lcst.{SEGMENTS[i - 1]}.{area}", node, kind="corticospinal", reference=above["reference"])

    def relabel(self, node: str) -> None:
        """A node's segment attributes after the shift: those its edges now carry."""
        data = self.G.nodes[node]
        if "segments" not in data:
            return
        kind = data["kind"]
        if kind == "muscle":
            edges = [self.G.edges[u, node] for u in self.G.predecessors(node) if self.G.edges[u, node]["kind"] == "innervates"]
            new = {s for e in edges for s in decode_segment_list(e["segments"])}
            old = decode_segment_list(data["segments"])
            weights = decode_segment_weights(data["segment_weights"]) if data.get("segment_weights") else {}
            kept = [s for s in old if s in new]
            moved = {_shifted(s, self.shift): s for s in old if _shifted(s, self.shift) in new}
            new_weights = {}
            for segment in sorted(new, key=SEGMENTS.index):
                sources = [s for s in ([segment] if segment in kept else []) + ([moved[segment]] if segment in moved else [])]
                new_weights[segment] = max((weights.get(s, 1.0) for s in sources), default=1.0)
            data["segments"] = encode_segment_list(sorted(new, key=SEGMENTS.index))
            data["segment_weights"] = encode_segment_weights(new_weights)
            if data.get("principal_segments"):
                principal = [_shifted(s, self.shift) for s in decode_segment_list(data["principal_segments"])]
                data["principal_segments"] = encode_segment_list(s for s in principal if s in new)
            return
        edges = [self.G.edges[u, node] for u in self.G.predecessors(node) if self.G.edges[u, node]["kind"] == "motor_axon"]
        carried = {s for e in edges if e.get("segments") for s in decode_segment_list(e["segments"])}
        if carried:
            data["segments"] = encode_segment_list(sorted(carried, key=SEGMENTS.index))
