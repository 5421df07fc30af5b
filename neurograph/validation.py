"""Checks that an anatomy graph is well formed and anatomically consistent.

:func:`validate` returns every violation it finds, each naming the rule, the nodes or edge and,
where one is at fault, the attribute, so that a user who edits the anatomy sees the whole list
at once rather than one error at a time.

The rules are exactly what the engine relies on: every anatomy :func:`validate` accepts can be
simulated, localized, queried and drawn, and the engine refuses every other one through
:func:`require_valid`. The checks run in two stages. The structural stage (kinds, ids, attribute
types and encodings, edges, cycles, graph attributes) makes the graph safe to read; only then
does the consistency stage (citations, names, groups and regions, fibre routes, reflex arcs,
symmetry) run, so that no check ever trips over a malformed value.

Cost: every check is linear in nodes plus edges plus (muscles x segments). Fibre routes are
checked by one search per anterior horn and segment, along the edges that carry that segment,
and one per cortical area node along its own channel, never by a search per muscle.
"""

from __future__ import annotations

import weakref
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

import networkx as nx

from neurograph.errors import InvalidAnatomyError, InvalidValueError
from neurograph.graph import AnatomyGraph, UnchangedMark
from neurograph.schema import (
    COMMON_NODE_ATTRIBUTES,
    DERMATOME_OVERLAP_STRUCTURES,
    BRAINSTEM_LEVELS,
    EDGE_CODECS,
    GRAPH_CODECS,
    NODE_CODECS,
    NODE_KINDS,
    CROSSING_STATIONS,
    LATERALITIES,
    REFLEX_KINDS,
    SENSORY_KINDS,
    SENSORY_TRACTS,
    SIDES,
    SKIN_VIEWS,
    TRIGEMINAL_ZONES,
    decode_drive,
    SUPRANUCLEAR_SUPPLIES,
    decode_list,
    SEGMENTS,
    decode_segment,
    edge_kind_for,
    opposite_side,
    relative_sides,
    segment_index,
)

__all__ = ["Violation", "validate", "require_valid", "structural_violations", "sensory_rule_violations", "RULES"]

#: Every rule the validator applies, with what it checks.
RULES = {
    "bad_id": "node ids are strings; muscle and reflex ids have the form <side>.<kind>.<name>",
    "unknown_kind": "every node has a known kind",
    "missing_attribute": "every node carries the attributes its kind needs",
    "bad_value": "every attribute has its type and encoding: sides, segments, segment lists, weights, names, references; a key muscle's ISNCSCI level is one of its segments",
    "bad_edge": "edges join only the kinds the schema allows, with the matching edge kind and readable attributes",
    "cycle": "signal flow is acyclic",
    "bad_graph_attribute": "the graph attributes decode, muscle groups name muscles of both sides and regions name stations the graph has",
    "incomplete": "the anatomy has a primary motor cortex area",
    "duplicate_structure": "one anterior horn and one ventral root per side and segment, one cortical area node per side and area",
    "uncited": "every node, edge, muscle group and region (and synonym that cites one) cites a reference known to the graph",
    "ambiguous_name": "no two structures on one side share a label or alias",
    "muscle_unreachable": "every muscle is reachable from an anterior horn",
    "missing_lmn_route": "each segment of a muscle reaches it from that segment's anterior horn through the muscle's own nerve",
    "missing_umn_route": "each segment pool of a muscle is reached by corticospinal fibres from the muscle's area of the opposite hemisphere",
    "reflex_arc": "each reflex has muscles, efferent segments its muscles have, a nerve it is stimulated through, if any, on its side, and (with dorsal roots in the graph) an afferent route to the dorsal root of each afferent segment",
    "sensory_unreachable": "every skin and afferent node reaches the dorsal root of each of its segments through afferent edges carrying that segment; every face place reaches the trigeminal sensory root of its side",
    "missing_ascending_route": "every dorsal root a skin node uses (and the trigeminal root of a face place) reaches the skin's area of the opposite somatosensory cortex through each ascending tract",
    "crossing": "sensory tract nodes lie on the side their laterality says; edges keep the body side, ascend (the spinal trigeminal tract descends level by level), and change side only after the tract's own crossing (dorsal columns: internal arcuate fibres; spinothalamic: anterior white commissure; the face's: the trigeminothalamic decussation)",
    "twin": "every afferent twin stands for a nerve point on its side",
    "cord_skip": "sensory tract edges in the cord climb one segment at a time, so that a lesion of a segment takes every fibre passing it",
    "sensory_rules": "with sensation in the graph, the graph attribute sensory_rules holds every rule the engine applies, each sound (the ISNCSCI grades 0, 1 and 2; light touch and overlap grades among them; whole numbers of roots and of crossing segments; segments), and the spinothalamic fibres cross where its crossing rule says",
    "asymmetry": "the left and right halves mirror each other (a cranial nerve edge marked side_only exists on its own side alone)",
    "cranial_route": "each cranial muscle is reached through its nerve chain from its nucleus on exactly the side(s) its motor pool says, and a nerve edge changes side exactly when it is marked as crossing",
    "supranuclear_supply": "each cranial muscle is reached by corticobulbar fibres of its cortical area from exactly the hemispheres its supranuclear supply names (none for gaze-centre and reflex-only muscles)",
    "cranial_reflex": "each cranial reflex has muscles on its responding side (the other side for a consensual response) and an afferent nerve point, if any, on its stimulated side",
}

#: Attributes whose values are whole numbers.
_INTEGER_ATTRIBUTES = frozenset({"homunculus_order", "station_order", "ascending_order", "lamina_order"})
#: Attributes the engine reads as plain text (the encoded ones are in ``schema.NODE_CODECS``).
_TEXT_ATTRIBUTES = frozenset(
    {
        "kind", "side", "label", "hemisphere", "area", "station", "segment", "lamina", "cord_region", "element",
        "plexus", "nerve", "body_region", "cortical_area", "action", "segments_source", "isncsci_level", "uberon",
        "fma", "reflex_kind", "afferent_via", "body_side", "tract", "laterality", "fasciculus", "sensory_area", "view",
        "structure", "cutaneous", "presence", "ganglion_site", "ramus_cutaneous", "dorsal_ramus_branch", "alternative",
        "cranial_nerve", "level_from", "level_to", "parent", "point_kind", "nucleus", "nucleus_side",
        "supranuclear_supply", "supply_source", "contralateral_share", "response_side", "bilateral_umn_loss", "centre",
        "efferent_nucleus",
        "entry_segment", "division", "trigeminal_zone", "level", "cord_station",
    }
)
#: Kinds whose ids carry a name after ``<side>.<kind word>.``, which the resolver and the
#: muscle groups use.
_NAMED_BY_ID = ("muscle", "reflex", "cranial_muscle", "cranial_reflex")
#: Kinds a reflex's stimulus may be applied through (``afferent_via``).
_NERVE_KINDS = frozenset({"ventral_ramus", "plexus_element", "nerve"})


@dataclass(frozen=True)
class Violation:
    """One broken rule.

    Attributes
    ----------
    rule : str
        A key of :data:`RULES`.
    message : str
        What is wrong, naming the structures.
    nodes : tuple of str
        The node ids involved (an edge's two ends).
    attribute : str
        The attribute at fault, if one is ("" otherwise).
    """

    rule: str
    message: str
    nodes: tuple[Any, ...] = ()
    attribute: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"rule": self.rule, "message": self.message, "nodes": [str(n) for n in self.nodes], "attribute": self.attribute}


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        return False
    return True


#: Graphs read from files whose structural checks passed, each with the mark that tells it is
#: unchanged since: a file is checked when read, and again only once edited.
_STRUCTURE_PASSED: weakref.WeakKeyDictionary[nx.DiGraph, UnchangedMark] = weakref.WeakKeyDictionary()


def structural_violations(G: nx.DiGraph, *, remember: bool = False) -> list[Violation]:
    """Return the schema violations: ids, kinds, attributes, values, edges, cycles, graph attributes.

    These are the checks a graph must pass to be loaded at all; all of them are listed.

    Parameters
    ----------
    G : networkx.DiGraph
    remember : bool, optional
        Remember a pass, so that checking the same graph again before any edit of it (or of any
        other :class:`~neurograph.graph.AnatomyGraph`'s attributes) costs nothing: for an
        AnatomyGraph whose attribute values are all strings and numbers, as
        :func:`neurograph.read_graphml` gives (see :class:`~neurograph.graph.UnchangedMark`).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("x", kind="gland", label="x", reference="Gray42")
    >>> [v.rule for v in structural_violations(G)]
    ['unknown_kind']
    """
    marked = type(G) is AnatomyGraph
    mark = _STRUCTURE_PASSED.get(G) if marked else None
    if mark is not None and mark.holds(G):
        return []
    violations = _structural_violations(G)
    if remember and marked and not violations:
        _STRUCTURE_PASSED[G] = UnchangedMark(G, "neurograph.structure")
    return violations


def _structural_violations(G):
    violations = []
    kinds = {}
    # Many nodes repeat the same encoded text (every copy of a muscle, every cord segment): each
    # distinct (attribute, text) is decoded once.
    decodings: dict[tuple[str, str], Any] = {}
    # A graph with anatomical variants applied (neurograph.variants) records them.
    conventional_levels = bool(G.graph.get("variants"))
    for node, data in G.nodes(data=True):
        kind = data.get("kind")
        if not isinstance(node, str):
            violations.append(Violation("bad_id", f"node id {node!r} is not a string", (node,)))
            continue
        if not (isinstance(kind, str) and kind in NODE_KINDS):
            violations.append(Violation("unknown_kind", f"node {node!r} has unknown kind {kind!r}", (node,), "kind"))
            continue
        kinds[node] = kind
        missing = [
            name for name in COMMON_NODE_ATTRIBUTES + NODE_KINDS[kind]
            if data.get(name) is None or (data[name] == "" and not _may_be_blank(kind, name, data))
        ]
        if missing:
            violations.append(
                Violation("missing_attribute", f"{kind} {node!r} lacks {', '.join(missing)}", (node,), missing[0])
            )
            continue
        if kind in _NAMED_BY_ID and not _id_name(node):
            violations.append(
                Violation("bad_id", f"{kind} id {node!r} does not have the form <side>.{kind}.<name>", (node,))
            )
        violations.extend(_value_violations(node, kind, data, decodings, conventional_levels))
    for source, target, data in G.edges(data=True):
        violations.extend(_edge_violations(source, target, data, kinds))
    violations.extend(_graph_attribute_violations(G))
    if not nx.is_directed_acyclic_graph(G):
        cycle = nx.find_cycle(G)
        nodes = tuple(edge[0] for edge in cycle)
        violations.append(
            Violation("cycle", "signal flow has a cycle: " + " -> ".join(map(repr, nodes + nodes[:1])), nodes)
        )
    return violations


def _may_be_blank(kind, name, data):
    """A face place (a skin node with its cranial nerve) carries no spinal segments."""
    return kind == "skin" and name == "segments" and bool(data.get("cranial_nerve"))


def _id_name(node):
    """The name a muscle or reflex id carries after ``<side>.<kind word>.`` ("" if none)."""
    parts = node.split(".", 2)
    return parts[2].strip() if len(parts) == 3 and all(parts[:2]) else ""


def _differ(first, second):
    """Whether two attribute values (or attribute dicts) differ; values that cannot be compared do."""
    try:
        return bool(first != second)
    except Exception:  # noqa: BLE001 - a foreign value (an array, say) whose comparison is not a bool
        return True


def _decode(name, value, decodings):
    """``NODE_CODECS[name].decode(value)``, or the InvalidValueError it raises; text is decoded once."""
    key = (name, value) if isinstance(value, str) else None
    if key in decodings:
        return decodings[key]
    try:
        outcome = NODE_CODECS[name].decode(value, name)
    except InvalidValueError as error:
        outcome = error
    if key is not None:
        decodings[key] = outcome
    return outcome


#: The cranial attributes with a closed vocabulary.
_CRANIAL_VOCABULARY = {
    "level_from": BRAINSTEM_LEVELS, "level_to": BRAINSTEM_LEVELS, "supranuclear_supply": tuple(SUPRANUCLEAR_SUPPLIES),
    "nucleus_side": ("ipsilateral", "contralateral", "bilateral"),
}
_SKIN_VOCABULARY = {"view": SKIN_VIEWS, "trigeminal_zone": TRIGEMINAL_ZONES, "level": BRAINSTEM_LEVELS}


def _value_violations(node, kind, data, decodings, conventional_levels=False):
    """Every attribute of one node against its type and encoding.

    With ``conventional_levels`` (a graph with anatomical variants applied) a key muscle keeps
    the worksheet level it stands for even where a shifted plexus serves it from other segments.
    """
    found = []

    def bad(attribute, problem):
        found.append(Violation("bad_value", f"node {node!r}: {problem}", (node,), attribute))

    decoded = {}
    for name, value in data.items():
        if name in NODE_CODECS:
            outcome = _decode(name, value, decodings)
            if isinstance(outcome, InvalidValueError):
                bad(name, f"{name} {value!r} is not {outcome.expected}")
            else:
                decoded[name] = outcome
        elif name in _INTEGER_ATTRIBUTES and (not isinstance(value, int) or isinstance(value, bool)):
            bad(name, f"{name} {value!r} is not a whole number")
        elif name in _TEXT_ATTRIBUTES and not isinstance(value, str):
            bad(name, f"{name} {value!r} is not text")
    if found:
        return found
    for name in ("side", "hemisphere", "body_side"):
        if name in data and data[name] not in SIDES:
            bad(name, f"{name} {data[name]!r} is not one of {', '.join(SIDES)}")
    if data.get("segment"):
        try:
            decode_segment(data["segment"])
        except InvalidValueError:
            bad("segment", f"segment {data['segment']!r} is not a single segment")
    for name, allowed in (*_CRANIAL_VOCABULARY.items(), *_SKIN_VOCABULARY.items()):
        if name in data and data[name] not in allowed:
            bad(name, f"{name} {data[name]!r} is not one of {', '.join(allowed)}")
    if kind == "reflex" and data["reflex_kind"] not in REFLEX_KINDS:
        bad("reflex_kind", f"reflex_kind {data['reflex_kind']!r} is not one of {', '.join(REFLEX_KINDS)}")
    required_lists = {"muscle": ("segments",), "reflex": ("afferent_segments", "efferent_segments")}.get(kind, ())
    for name in required_lists:
        if not decoded.get(name):
            bad(name, f"{name} {data[name]!r} lists no segment")
    if (
        kind == "muscle" and data.get("isncsci_level", "") and not conventional_levels
        and data["isncsci_level"] not in decoded["segments"]
    ):
        # The ISNCSCI grade of a key muscle counts the drive from its level down.
        bad("isncsci_level", f"isncsci_level {data['isncsci_level']!r} is not one of its segments")
    if kind == "muscle" and "segment_weights" in decoded:
        extra = sorted(set(decoded["segment_weights"]) - set(decoded["segments"]))
        if extra:
            bad("segment_weights", f"segment_weights {data['segment_weights']!r} weighs {', '.join(extra)}, not among its segments")
    if not data["label"].strip():
        bad("label", "label is blank")
    return found


def _edge_violations(source, target, data, kinds):
    source_kind, target_kind = kinds.get(source), kinds.get(target)
    if source_kind is None or target_kind is None:
        return []  # an end with a bad id or kind is reported already
    edge = f"edge {source!r} -> {target!r}"
    kind = data.get("kind")
    expected = edge_kind_for(source_kind, target_kind)
    if expected is None or not (isinstance(kind, str) and kind == expected):
        shown = kind if _hashable(kind) else type(kind).__name__
        return [
            Violation(
                "bad_edge", f"{edge} ({source_kind} to {target_kind}, kind {shown!r}) is not allowed", (source, target), "kind"
            )
        ]
    found = []
    for name, codec in EDGE_CODECS.items():
        if name in data:
            try:
                codec.decode(data[name], name)
            except InvalidValueError as error:
                found.append(
                    Violation("bad_edge", f"{edge}: {name} {data[name]!r} is not {error.expected}", (source, target), name)
                )
    return found


def _graph_attribute_violations(G):
    found = []
    for name, codec in GRAPH_CODECS.items():
        if name in G.graph:
            try:
                codec.decode(G.graph[name], name)
            except InvalidValueError as error:
                value = error.value if isinstance(error.value, str) else repr(error.value)
                found.append(
                    Violation(
                        "bad_graph_attribute", f"graph attribute {name}: {value[:200]!r} is not {error.expected}", (), name
                    )
                )
    return found


def validate(G: nx.DiGraph) -> list[Violation]:
    """Check an anatomy graph against every rule in :data:`RULES`.

    Parameters
    ----------
    G : networkx.DiGraph
        An anatomy graph, such as :func:`neurograph.load_anatomy` returns.

    Returns
    -------
    list of Violation
        Empty when the graph is consistent. When the structural checks fail, their violations
        (all of them) are returned without the consistency checks, which need a readable graph.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> validate(G)
    []
    >>> G.remove_edge("R.radial.spiral_groove", "R.radial.above_elbow")
    >>> sorted({v.rule for v in validate(G)})
    ['asymmetry', 'missing_lmn_route', 'muscle_unreachable']
    """
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InvalidValueError("anatomy", type(G).__name__, "a networkx.DiGraph")
    violations = structural_violations(G)
    if violations:
        return violations
    graph = _Decoded(G)
    for check in (
        _completeness_violations, _duplicate_violations, _citation_violations, _name_violations,
        _group_and_region_violations, _route_violations, _reflex_violations, _sensory_violations, _cranial_violations,
        _symmetry_violations,
    ):
        violations.extend(check(G, graph))
    return violations


def require_valid(G: nx.DiGraph) -> None:
    """Raise :class:`~neurograph.errors.InvalidAnatomyError` unless ``G`` passes :func:`validate`.

    The engine calls this once per state of a graph before computing anything from it, so
    that every anatomy :func:`validate` accepts can be simulated and every other one is
    refused with its violations named.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("x", kind="gland", label="x", reference="Gray42")
    >>> require_valid(G)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidAnatomyError: the anatomy is not valid: node 'x' has unknown kind 'gland'
    """
    violations = validate(G)
    if violations:
        raise InvalidAnatomyError(violations)


class _Decoded:
    """The encoded attributes the consistency checks read, decoded once (the graph passed the
    structural checks, so every one decodes)."""

    def __init__(self, G):
        self.segments = {}
        for node, data in G.nodes(data=True):
            for name in ("segments", "efferent_segments", "afferent_segments"):
                if name in data:
                    self.segments[node, name] = NODE_CODECS[name].decode(data[name], name)
        self.carried = {
            (u, v): EDGE_CODECS["segments"].decode(d.get("segments", ""), "segments") for u, v, d in G.edges(data=True)
        }
        self.graph = {name: codec.decode(G.graph[name], name) for name, codec in GRAPH_CODECS.items() if name in G.graph}


def _completeness_violations(G, graph):
    if any(data["kind"] == "cortical_area" for _, data in G.nodes(data=True)):
        return []
    what = "is empty" if not len(G) else "has no cortical_area node"
    return [Violation("incomplete", f"the anatomy {what}: a lesion needs a primary motor cortex to be put on")]


def _duplicate_violations(G, graph):
    owners, found = {}, []
    keys = {"anterior_horn": "segment", "ventral_root": "segment", "cortical_area": "area"}
    for node, data in G.nodes(data=True):
        if data["kind"] in keys:
            key = (data["kind"], data["side"], data[keys[data["kind"]]])
            other = owners.setdefault(key, node)
            if other != node:
                found.append(
                    Violation(
                        "duplicate_structure",
                        f"{other!r} and {node!r} are both the {data['kind']} of side {key[1]} at {key[2]}",
                        (other, node),
                    )
                )
    return found


def _citation_violations(G, graph):
    known = set(graph.graph.get("references", {}))
    found = []

    def check(owner, nodes, keys, attribute="reference"):
        unknown = [key for key in keys if key not in known]
        if not keys or unknown:
            what = "cites nothing" if not keys else f"cites unknown reference(s) {', '.join(unknown)}"
            found.append(Violation("uncited", f"{owner} {what}", nodes, attribute))

    for node, data in G.nodes(data=True):
        check(f"node {node!r}", (node,), NODE_CODECS["reference"].decode(data["reference"], "reference"))
    for source, target, data in G.edges(data=True):
        check(f"edge {source!r} -> {target!r}", (source, target), EDGE_CODECS["reference"].decode(data.get("reference", ""), "reference"))
    for attribute in ("muscle_groups", "regions", "synonyms", "sensory_rules"):
        for name, entry in graph.graph.get(attribute, {}).items():
            if attribute != "synonyms" or "reference" in entry:
                keys = NODE_CODECS["reference"].decode(entry["reference"], "reference")
                check(f"{attribute} entry {name!r}", (), keys, attribute)
    return found


def _name_violations(G, graph):
    owners = {}
    found = []
    for node, data in G.nodes(data=True):
        names = {data["label"].casefold()} | {alias.casefold() for alias in decode_list(data.get("aliases", ""))}
        for name in names:
            other = owners.setdefault((data["side"], name), node)
            if other != node:
                found.append(Violation("ambiguous_name", f"{other!r} and {node!r} are both called {name!r}", (other, node)))
    return found


def _group_and_region_violations(G, graph):
    found = []
    muscles = defaultdict(set)
    stations = set()
    for node, data in G.nodes(data=True):
        if data["kind"] == "muscle":
            muscles[_id_name(node)].add(data["side"])
        elif data["kind"] in ("tract", "sensory_tract", "corticobulbar_tract"):
            stations.add(data["station"])
    for group, entry in graph.graph.get("muscle_groups", {}).items():
        for member in entry["members"]:
            lacking = [side for side in SIDES if side not in muscles.get(member, ())]
            if lacking:
                found.append(
                    Violation(
                        "bad_graph_attribute",
                        f"muscle group {group!r} names {member!r}, which is not a muscle on side {', '.join(lacking)}",
                        (), "muscle_groups",
                    )
                )
    for region, entry in graph.graph.get("regions", {}).items():
        if entry["kind"] == "structures":
            absent = [node for node in entry["nodes"] for side in SIDES if f"{side}.{node}" not in G]
            if absent:
                found.append(
                    Violation(
                        "bad_graph_attribute", f"region {region!r} holds {', '.join(sorted(set(absent))[:5])}, not in the graph on both sides",
                        (), "regions",
                    )
                )
        elif entry["kind"] == "station" and entry["station"] not in stations:
            found.append(
                Violation(
                    "bad_graph_attribute", f"region {region!r} names station {entry['station']!r}, which no tract node has",
                    (), "regions",
                )
            )
    return found


def _reachable(starts, successors):
    """Every node reachable from any of ``starts`` (included) by ``successors``, in one search."""
    seen, queue = set(starts), deque(starts)
    while queue:
        for successor in successors(queue.popleft()):
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
    return seen


def _route_violations(G, graph):
    """Fibre routes by reachability: one search per anterior horn along its segment's edges,
    one per cortical area node along its own channel."""
    found = []
    horns = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "anterior_horn"}
    by_segment = defaultdict(lambda: defaultdict(list))
    for (u, v), segments in graph.carried.items():
        for segment in segments:
            by_segment[segment][u].append(v)
    lmn_reach = {
        (side, segment): _reachable([horn], lambda node, edges=by_segment[segment]: edges.get(node, ()))
        for (side, segment), horn in horns.items()
    }
    umn_reach = {}
    for node, data in G.nodes(data=True):
        if data["kind"] == "cortical_area":
            area = data["area"]
            channel = _reachable(
                [node], lambda step, a=area: (v for v in G.successors(step) if _in_channel(G.nodes[v], a))
            )
            umn_reach[data["side"], area] = {
                v for step in channel for v in G.successors(step) if G.nodes[v]["kind"] == "anterior_horn"
            }
    reachable_from_horns = _reachable(list(horns.values()), G.successors)
    for muscle, data in G.nodes(data=True):
        if data["kind"] != "muscle":
            continue
        if muscle not in reachable_from_horns:
            found.append(Violation("muscle_unreachable", f"muscle {muscle!r} is not reachable from any anterior horn", (muscle,)))
        area = data["cortical_area"]
        driven = umn_reach.get((opposite_side(data["side"]), area), ())
        for segment in graph.segments[muscle, "segments"]:
            horn = horns.get((data["side"], segment))
            if horn is None or muscle not in lmn_reach[data["side"], segment]:
                found.append(
                    Violation(
                        "missing_lmn_route",
                        f"no {segment} fibre route from the anterior horn to muscle {muscle!r} through its nerve",
                        (muscle,), "segments",
                    )
                )
            if horn is None or horn not in driven:
                found.append(
                    Violation(
                        "missing_umn_route",
                        f"no corticospinal route from the {area} area of the opposite hemisphere "
                        f"to the {segment} pool of muscle {muscle!r}",
                        (muscle,) + ((horn,) if horn else ()), "cortical_area",
                    )
                )
    return found


def _in_channel(data, area):
    """Whether corticospinal fibres of ``area`` run on through a node: a tract node of that area."""
    return data["kind"] == "tract" and data["area"] == area


def _reflex_violations(G, graph):
    found = []
    for reflex, data in G.nodes(data=True):
        if data["kind"] != "reflex":
            continue
        muscles = list(G.predecessors(reflex))
        covered = set()
        for muscle in muscles:
            covered.update(graph.segments[muscle, "segments"])
        missing = [s for s in graph.segments[reflex, "efferent_segments"] if s not in covered]
        if not muscles or missing:
            what = "has no muscle" if not muscles else f"has efferent segment(s) {', '.join(missing)} that none of its muscles has"
            found.append(Violation("reflex_arc", f"reflex {reflex!r} {what}", (reflex,), "efferent_segments"))
        via = data.get("afferent_via")
        if via is not None and not (
            via in G and G.nodes[via]["kind"] in _NERVE_KINDS and G.nodes[via]["side"] == data["side"]
        ):
            found.append(
                Violation(
                    "reflex_arc", f"reflex {reflex!r} is stimulated through {via!r}, which is not a nerve on its side",
                    (reflex,), "afferent_via",
                )
            )
    return found


def _mirror_id(node):
    side, _, rest = node.partition(".")
    return f"{opposite_side(side)}.{rest}" if side in SIDES else node


_SIDE_DEPENDENT = frozenset({"side", "hemisphere", "label", "afferent_via", "body_side", "structure", "alternative_nerves"})


def _symmetry_violations(G, graph):
    found = []
    for node, data in G.nodes(data=True):
        prefix = node.partition(".")[0]
        if prefix in SIDES and prefix != data["side"]:
            found.append(Violation("asymmetry", f"{node!r} lies on side {data['side']} but its id names side {prefix}", (node,)))
        twin = _mirror_id(node)
        if twin not in G:
            found.append(Violation("asymmetry", f"{node!r} has no mirror {twin!r}", (node,)))
            continue
        other = G.nodes[twin]
        differing = sorted(
            name for name in data.keys() | other.keys() if name not in _SIDE_DEPENDENT and _differ(data.get(name), other.get(name))
        )
        for name in ("afferent_via", "structure"):
            if data.get(name) and _mirror_id(data[name]) != other.get(name):
                differing.append(name)
        if data.get("body_side") and opposite_side(data["body_side"]) != other.get("body_side"):
            differing.append("body_side")
        if "alternative_nerves" in data or "alternative_nerves" in other:
            mirrored_nerves = tuple(_mirror_id(nerve) for nerve in decode_list(data.get("alternative_nerves", "")))
            if mirrored_nerves != decode_list(other.get("alternative_nerves", "")):
                differing.append("alternative_nerves")
        if differing:
            found.append(Violation("asymmetry", f"{node!r} and {twin!r} differ in {', '.join(differing)}", (node, twin)))
    for source, target, data in G.edges(data=True):
        mirrored = (_mirror_id(source), _mirror_id(target))
        if data.get("side_only") is not None:
            if data["side_only"] != G.nodes[source]["side"]:
                found.append(Violation("asymmetry", f"edge {source!r} -> {target!r} is marked side_only {data['side_only']!r} on the other side", (source, target)))
            continue
        if not G.has_edge(*mirrored):
            found.append(Violation("asymmetry", f"edge {source!r} -> {target!r} has no mirror", (source, target)))
        elif _differ(G.edges[mirrored], data):
            found.append(Violation("asymmetry", f"edge {source!r} -> {target!r} and its mirror differ", (source, target)))
    return found


def _minor_drive_violations(G, kinds, muscle, data, pools):
    """A mainly one-sided supply: the minor hemisphere's fibres carry a share of the drive (``drive``
    below 1), the main one's all of it; any other supply's fibres all of it."""
    supply = data["supranuclear_supply"]
    main = SUPRANUCLEAR_SUPPLIES[supply][0] if supply.startswith("mainly_") else None
    found = []
    for nucleus in sorted(pools):
        for u in sorted(G.predecessors(nucleus)):
            if kinds[u] != "corticobulbar_tract" or G.nodes[u].get("area") != data.get("cortical_area"):
                continue
            relation = "ipsilateral" if G.nodes[u].get("hemisphere") == data["side"] else "contralateral"
            try:
                share = decode_drive(G.edges[u, nucleus].get("drive", 1.0))
            except InvalidValueError:
                continue  # reported as a bad edge value
            if (share < 1) != (main is not None and relation != main):
                found.append(Violation(
                    "supranuclear_supply", f"corticobulbar edge {u!r} -> {nucleus!r} carries {share:g} of the drive of "
                    f"{muscle!r}, whose supply is {supply!r}", (u, nucleus), "drive",
                ))
    return found


def _cranial_violations(G, graph):
    """The cranial motor system: each muscle's nerve chain from its nucleus, the crossings, the
    corticobulbar supply of each muscle by hemisphere, and the reflexes. Linear: one backward search
    per cranial muscle along the nerve chain, one forward search per cortical area and hemisphere."""
    kinds = {node: data["kind"] for node, data in G.nodes(data=True)}
    found = []
    for u, v, data in G.edges(data=True):
        if data["kind"] in ("cranial_motor_axon", "internuclear"):
            crosses = G.nodes[u]["side"] != G.nodes[v]["side"]
            if data.get("crosses", "no") != ("yes" if crosses else "no"):
                what = "changes side" if crosses else "stays on its side"
                found.append(Violation("cranial_route", f"edge {u!r} -> {v!r} {what} but is marked crosses={data.get('crosses')!r}", (u, v), "crosses"))
    driven = {}

    def nuclei_driven(hemisphere, area):
        if (hemisphere, area) not in driven:
            start = f"{hemisphere}.m1.{area}"
            channel = _reachable([start], lambda step: (
                v for v in G.successors(step) if kinds[v] == "corticobulbar_tract" and G.nodes[v]["area"] == area
            )) if start in G else set()
            driven[hemisphere, area] = {v for step in channel for v in G.successors(step) if kinds[v] == "cranial_nucleus"}
        return driven[hemisphere, area]

    for node, data in G.nodes(data=True):
        if data["kind"] == "cranial_muscle":
            muscle = node
            side = data["side"]
            chain = _reachable([muscle], lambda node: () if kinds[node] == "cranial_nucleus" else (
                u for u in G.predecessors(node) if kinds[u] in ("cranial_nerve", "cranial_nucleus")
            ))
            # The chains are shared (one oculomotor nerve for five subnuclei): the muscle's own
            # nucleus must reach it from the sides its pool says, and from no other side.
            pools = {node for node in chain if kinds[node] == "cranial_nucleus" and node.partition(".")[2] == data["nucleus"]}
            expected = {f"{s}.{data['nucleus']}" for s in relative_sides(data["nucleus_side"], side)}
            if pools != expected:
                found.append(Violation(
                    "cranial_route", f"cranial muscle {muscle!r} is reached from {sorted(pools) or 'no nucleus'}, "
                    f"not from {sorted(expected)} as its motor pool ({data['nucleus_side']}) says", (muscle,), "nucleus",
                ))
            area = data.get("cortical_area", "")
            supplied = {
                "ipsilateral" if hemisphere == side else "contralateral"
                for hemisphere in SIDES if area and pools & nuclei_driven(hemisphere, area)
            }
            wanted = set(SUPRANUCLEAR_SUPPLIES[data["supranuclear_supply"]]) if area else set()
            if supplied != wanted:
                found.append(Violation(
                    "supranuclear_supply", f"cranial muscle {muscle!r} is driven by corticobulbar fibres from the "
                    f"{' and '.join(sorted(supplied)) or 'no'} hemisphere(s), but its supply is {data['supranuclear_supply']!r}",
                    (muscle,), "supranuclear_supply",
                ))
            found.extend(_minor_drive_violations(G, kinds, muscle, data, pools))
        elif data["kind"] == "cranial_reflex":
            reflex = node
            muscles = list(G.predecessors(reflex))
            via = data.get("afferent_via")
            # The reflex stands on the stimulated side; a consensual one answers with the other side's muscles.
            responding = opposite_side(data["side"]) if data["response_side"] == "contralateral" else data["side"]
            if not muscles or any(G.nodes[m]["side"] != responding for m in muscles):
                found.append(Violation("cranial_reflex", f"cranial reflex {reflex!r} has no muscle on its responding side", (reflex,)))
            if via is not None and not (
                via in G and kinds[via] in ("cranial_nerve", "cranial_afferent") and G.nodes[via]["side"] == data["side"]
            ):
                found.append(Violation(
                    "cranial_reflex", f"cranial reflex {reflex!r} is stimulated through {via!r}, which is not a cranial nerve point on its side",
                    (reflex,), "afferent_via",
                ))
    return found


_TWINNED_KINDS = frozenset({"spinal_nerve", "dorsal_ramus", "ventral_ramus", "plexus_element", "nerve"})


def _sensory_violations(G, graph):
    """The sensory system: twins match their structures, every skin node and reflex afferent limb
    reaches its dorsal roots, every dorsal root a skin node uses reaches the opposite
    somatosensory cortex through each tract, and each tract crosses once, where it should.

    Linear: one backward search per dorsal root along the edges carrying its segment, one per
    sensory cortex node and tract; the crossing rules are checked node by node and edge by edge.
    """
    kinds = {node: data["kind"] for node, data in G.nodes(data=True)}
    if not any(kind in SENSORY_KINDS for kind in kinds.values()):
        return []
    found = _twin_violations(G, graph, kinds)
    found += _crossing_violations(G, kinds)
    found += _cord_skip_violations(G, kinds)
    if any(kind == "skin" for kind in kinds.values()):
        found += _sensory_rules_violations(G, graph, kinds)
    roots = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "dorsal_root"}
    incoming = defaultdict(lambda: defaultdict(list))
    for (u, v), segments in graph.carried.items():
        if G.edges[u, v]["kind"] in ("sensory_axon", "spindle_afferent"):
            for segment in segments:
                incoming[segment][v].append(u)
    reaching = {
        key: _reachable([root], lambda node, edges=incoming[key[1]]: edges.get(node, ()))
        for key, root in roots.items()
    }
    cortex_reach = {}
    for node, data in G.nodes(data=True):
        if data["kind"] == "sensory_cortex":
            for tract in SENSORY_TRACTS:
                cortex_reach[data["side"], data["area"], tract] = _reachable(
                    [node],
                    lambda step, t=tract, a=data["area"]: (
                        u for u in G.predecessors(step)
                        if kinds[u] == "dorsal_root" or (kinds[u] == "cranial_afferent" and G.nodes[u]["point_kind"] == "root")
                        or (kinds[u] == "sensory_tract" and G.nodes[u].get("tract", t) == t and G.nodes[u].get("area", a) == a)
                    ),
                )
    cranial_roots = {d["side"]: n for n, d in G.nodes(data=True) if d["kind"] == "cranial_afferent" and d["point_kind"] == "root"}
    for node, data in G.nodes(data=True):
        if data["kind"] not in ("skin", "afferent"):
            continue
        side = data["side"]
        if data["kind"] == "skin" and data.get("cranial_nerve"):
            found += _face_place_violations(G, kinds, node, data, cranial_roots.get(side), cortex_reach)
        for segment in graph.segments[node, "segments"]:
            if node not in reaching.get((side, segment), ()):
                found.append(Violation(
                    "sensory_unreachable", f"{data['kind']} {node!r} does not reach the {segment} dorsal root of its side", (node,), "segments",
                ))
                continue
            if data["kind"] != "skin":
                continue
            for tract in SENSORY_TRACTS:
                if roots[side, segment] not in cortex_reach.get((opposite_side(side), data["sensory_area"], tract), ()):
                    found.append(Violation(
                        "missing_ascending_route",
                        f"no {tract} route from the {segment} dorsal root of skin {node!r} to the {data['sensory_area']} "
                        f"area of the opposite somatosensory cortex",
                        (node, roots[side, segment]), "sensory_area",
                    ))
    twins = {data["structure"]: node for node, data in G.nodes(data=True) if data["kind"] == "afferent" and data.get("structure")}
    for reflex, data in G.nodes(data=True):
        if data["kind"] != "reflex":
            continue
        starts = [twins.get(data["afferent_via"])] if data.get("afferent_via") else list(G.predecessors(reflex))
        for segment in NODE_CODECS["afferent_segments"].decode(data["afferent_segments"], "afferent_segments"):
            if not any(start in reaching.get((data["side"], segment), ()) for start in starts):
                found.append(Violation(
                    "reflex_arc", f"reflex {reflex!r} has no afferent route to the {segment} dorsal root", (reflex,),
                    "afferent_segments",
                ))
    return found


def _face_place_violations(G, kinds, node, data, root, cortex_reach):
    """A face place reaches its cranial nerve's sensory root through sensory edges, and that root the
    place's area of the opposite somatosensory cortex through each ascending system."""
    reached = _reachable([node], lambda step: (v for v in G.successors(step) if kinds[v] == "cranial_afferent"))
    if root is None or root not in reached:
        return [Violation("sensory_unreachable", f"face place {node!r} does not reach the trigeminal sensory root of its side", (node,))]
    return [
        Violation(
            "missing_ascending_route",
            f"no {tract} route from the trigeminal sensory root of face place {node!r} to the {data['sensory_area']} area "
            "of the opposite somatosensory cortex", (node, root), "sensory_area",
        )
        for tract in SENSORY_TRACTS if root not in cortex_reach.get((opposite_side(data["side"]), data["sensory_area"], tract), ())
    ]


#: The ISNCSCI grades, in ``sensory_rules``: absent, altered, normal (ISNCSCI 2019).
_GRADE_RULES = {"grade_absent": 0, "grade_altered": 1, "grade_normal": 2}
#: Rules whose value is one of the grades.
_RULES_GIVING_A_GRADE = ("light_touch_one_tract_lost", "light_touch_both_tracts_lost", "single_root_lesion_grade")


def sensory_rule_violations(rules: dict[str, dict[str, Any]]) -> list[Violation]:
    """What is wrong with a graph's decoded ``sensory_rules``, rule by rule (empty when sound).

    The rules the engine applies must all be there: the ISNCSCI grades 0, 1 and 2
    (``grade_absent``, ``grade_altered``, ``grade_normal``); light touch with one tract and with
    both tracts lost, and the single root grade, each one of those grades, with both tracts
    lost no better than one; ``consecutive_roots_for_anaesthesia`` a whole number of at least
    one; ``spinothalamic_crossing_segments`` whole numbers separated by ``|``; and
    ``single_root_anaesthesia_exception`` segments separated by ``|`` and
    ``dermatome_overlap_structures`` one of :data:`~neurograph.schema.DERMATOME_OVERLAP_STRUCTURES`
    (each may be absent).

    Examples
    --------
    >>> import neurograph
    >>> from neurograph.schema import graph_attributes
    >>> rules = graph_attributes(neurograph.load_anatomy())["sensory_rules"]
    >>> sensory_rule_violations(rules)
    []
    >>> rules["grade_altered"] = {"value": "2", "reference": "ISNCSCI2019"}
    >>> [violation.message for violation in sensory_rule_violations(rules)]
    ["sensory rule 'grade_altered' is '2', not the ISNCSCI grade 1"]
    """
    found: list[Violation] = []

    def bad(rule: str, problem: str) -> None:
        found.append(Violation("sensory_rules", f"sensory rule {rule!r} {problem}", (), "sensory_rules"))

    def whole(rule: str) -> int | None:
        if rule not in rules:
            bad(rule, "is missing")
            return None
        text = str(rules[rule].get("value", ""))
        if not text.isdigit():
            bad(rule, f"is {text!r}, not a whole number")
            return None
        return int(text)

    for rule, grade in _GRADE_RULES.items():
        value = whole(rule)
        if value is not None and value != grade:
            bad(rule, f"is {str(value)!r}, not the ISNCSCI grade {grade}")
    given = {}
    for rule in _RULES_GIVING_A_GRADE:
        value = whole(rule)
        if value is not None and value not in _GRADE_RULES.values():
            bad(rule, f"is {str(value)!r}, not an ISNCSCI grade (0, 1 or 2)")
        given[rule] = value
    one, both = given["light_touch_one_tract_lost"], given["light_touch_both_tracts_lost"]
    if one is not None and both is not None and both > one:
        bad("light_touch_both_tracts_lost", f"is {both}, better than with one tract lost ({one})")
    roots = whole("consecutive_roots_for_anaesthesia")
    if roots is not None and roots < 1:
        bad("consecutive_roots_for_anaesthesia", "is 0, not at least one root")
    if "spinothalamic_crossing_segments" not in rules:
        bad("spinothalamic_crossing_segments", "is missing")
    else:
        steps = decode_list(str(rules["spinothalamic_crossing_segments"].get("value", "")))
        if not steps or not all(step.isdigit() for step in steps):
            bad("spinothalamic_crossing_segments", f"is {rules['spinothalamic_crossing_segments'].get('value')!r}, not whole numbers separated by '|'")
    if "dermatome_overlap_structures" in rules:
        text = str(rules["dermatome_overlap_structures"].get("value", ""))
        if text not in DERMATOME_OVERLAP_STRUCTURES:
            bad("dermatome_overlap_structures", f"is {text!r}, not one of {', '.join(DERMATOME_OVERLAP_STRUCTURES)}")
    if "single_root_anaesthesia_exception" in rules:
        text = str(rules["single_root_anaesthesia_exception"].get("value", ""))
        for segment in decode_list(text):
            try:
                decode_segment(segment, "single_root_anaesthesia_exception")
            except InvalidValueError:
                bad("single_root_anaesthesia_exception", f"is {text!r}, not segments separated by '|'")
                break
    return found


def _sensory_rules_violations(G, graph, kinds):
    """The rules the engine applies to sensation, and the spinothalamic crossings against theirs."""
    if "sensory_rules" not in graph.graph:
        return [Violation("sensory_rules", "the anatomy has skin but no graph attribute sensory_rules", (), "sensory_rules")]
    rules = graph.graph["sensory_rules"]
    found = sensory_rule_violations(rules)
    if any(violation.message.startswith("sensory rule 'spinothalamic_crossing_segments'") for violation in found):
        return found
    steps = {int(step) for step in decode_list(rules["spinothalamic_crossing_segments"]["value"])}
    for node, data in G.nodes(data=True):
        if data["kind"] != "sensory_tract" or data["station"] != "lissauer_tract" or data.get("entry_segment"):
            continue
        entry = segment_index(data["segment"])
        expected = {max(entry - step, 0) for step in steps}
        # Lissauer's tract and the dorsal horn up to the commissures these fibres cross in.
        crossings, seen, frontier = set(), {node}, [node]
        while frontier:
            for following in G.successors(frontier.pop()):
                station = G.nodes[following].get("station")
                if station == "anterior_white_commissure":
                    crossings.add(segment_index(G.nodes[following]["segment"]))
                elif station in ("lissauer_tract", "dorsal_horn") and following not in seen:
                    seen.add(following)
                    frontier.append(following)
        if crossings and crossings != expected:
            found.append(Violation(
                "sensory_rules",
                f"fibres entering at {node!r} cross at {', '.join(SEGMENTS[i] for i in sorted(crossings))}, not "
                f"{', '.join(SEGMENTS[i] for i in sorted(expected))} as the rule spinothalamic_crossing_segments says",
                (node,), "sensory_rules",
            ))
    return found


def _cord_skip_violations(G, kinds):
    """Sensory edges between cord nodes (and from a dorsal root) that skip a segment."""
    found = []
    for u, v, data in G.edges(data=True):
        if data["kind"] != "sensory_tract" or kinds[v] != "sensory_tract":
            continue
        tail, head = G.nodes[u].get("segment"), G.nodes[v].get("segment")
        if tail and head and abs(segment_index(tail) - segment_index(head)) > 1:
            found.append(Violation(
                "cord_skip", f"edge {u!r} -> {v!r} climbs from {tail} to {head} without passing the segments between", (u, v),
            ))
    return found


def _twin_violations(G, graph, kinds):
    """Each afferent twin stands for an existing nerve point on its side (edits of the motor
    chains need not touch the twins: the sensory routes are checked by reachability)."""
    found = []
    for node, data in G.nodes(data=True):
        if data["kind"] != "afferent" or not data.get("structure"):
            continue
        structure = data["structure"]
        if kinds.get(structure) not in _TWINNED_KINDS or G.nodes[structure]["side"] != data["side"]:
            found.append(Violation("twin", f"afferent twin {node!r} stands for {structure!r}, which is no nerve point on its side", (node,), "structure"))
    return found


def _crossing_violations(G, kinds):
    """Sensory tract stations: each node's side against the body side it carries, by its laterality;
    edges keep the body side and climb; the side changes only after a tract's own crossing station."""
    found = []
    for node, data in G.nodes(data=True):
        if data["kind"] != "sensory_tract":
            continue
        laterality, tract = data["laterality"], data.get("tract")
        crossed = data["side"] != data["body_side"]
        if laterality not in LATERALITIES or crossed != (laterality == "contralateral"):
            found.append(Violation("crossing", f"{node!r} lies on side {data['side']} with body side {data['body_side']} but is {laterality!r}", (node,), "laterality"))
        if laterality == "crossing" and data["station"] not in CROSSING_STATIONS.get(tract, ()):
            found.append(Violation("crossing", f"{node!r} crosses at {data['station']!r}, not where the {tract} tract crosses", (node,), "station"))
    for u, v, data in G.edges(data=True):
        if data["kind"] != "sensory_tract":
            continue
        tail, head = G.nodes[u], G.nodes[v]
        body_side = tail["side"] if kinds[u] in ("dorsal_root", "cranial_afferent") else tail["body_side"]
        if kinds[v] == "sensory_tract":
            if head["body_side"] != body_side:
                found.append(Violation("crossing", f"edge {u!r} -> {v!r} hands fibres of body side {body_side} to body side {head['body_side']}", (u, v)))
            if kinds[u] == "sensory_tract" and not (
                head["ascending_order"] > tail["ascending_order"]
                or (head["station"] == tail["station"] and head.get("segment") and tail.get("segment")
                    and segment_index(head["segment"]) < segment_index(tail["segment"]))
                # The spinal trigeminal tract descends from the pons to the upper cord before its fibres end.
                or (head["station"] == tail["station"] == "spinal_trigeminal_tract"
                    and BRAINSTEM_LEVELS.index(head["level"]) == BRAINSTEM_LEVELS.index(tail["level"]) + 1)
            ):
                found.append(Violation("crossing", f"edge {u!r} -> {v!r} does not ascend", (u, v)))
        crossing_here = kinds[u] == "sensory_tract" and tail["laterality"] == "crossing"
        if (head["side"] != tail["side"]) != crossing_here:
            what = "changes side without crossing" if not crossing_here else "leaves a crossing station on its own side"
            found.append(Violation("crossing", f"edge {u!r} -> {v!r} {what}", (u, v)))
    return found
