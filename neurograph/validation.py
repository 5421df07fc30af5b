"""Checks that an anatomy graph is well formed and anatomically consistent.

:func:`validate` returns every violation it finds, each naming the rule and the nodes, so
that a user who edits the anatomy sees the whole list at once rather than one error at a time.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass

import networkx as nx

from neurograph.errors import InvalidAnatomyError
from neurograph.schema import (
    COMMON_NODE_ATTRIBUTES,
    NODE_KINDS,
    SIDES,
    edge_kind_for,
    opposite_side,
    parse_segments,
    split_list,
)

__all__ = ["Violation", "validate", "require_valid", "structural_violations", "RULES"]

#: Every rule the validator applies, with what it checks.
RULES = {
    "unknown_kind": "every node has a known kind",
    "missing_attribute": "every node carries the attributes its kind needs",
    "bad_value": "sides, segments and segment lists are well formed",
    "bad_edge": "edges join only the kinds the schema allows, with the matching edge kind",
    "cycle": "signal flow is acyclic",
    "uncited": "every node and edge cites a reference known to the graph",
    "ambiguous_name": "no two structures on one side share a label or alias",
    "muscle_unreachable": "every muscle is reachable from an anterior horn",
    "missing_lmn_route": "each segment of a muscle reaches it from that segment's anterior horn through the muscle's own nerve",
    "missing_umn_route": "each segment pool of a muscle is reached by corticospinal fibres from the muscle's area of the opposite hemisphere",
    "reflex_arc": "each reflex's efferent segments belong to its muscles",
    "asymmetry": "the left and right halves mirror each other",
}


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
        The node ids involved.
    """

    rule: str
    message: str
    nodes: tuple = ()

    def to_dict(self):
        """Return a JSON-serialisable dict."""
        return {"rule": self.rule, "message": self.message, "nodes": list(self.nodes)}


def structural_violations(G):
    """Return the schema violations: kinds, attributes, values, edges and cycles.

    These are the checks a graph must pass to be loaded at all.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("x", kind="gland", label="x", reference="Gray42")
    >>> [v.rule for v in structural_violations(G)]
    ['unknown_kind']
    """
    violations = []
    for node, data in G.nodes(data=True):
        kind = data.get("kind")
        if kind not in NODE_KINDS:
            violations.append(Violation("unknown_kind", f"node {node!r} has unknown kind {kind!r}", (node,)))
            continue
        missing = [name for name in COMMON_NODE_ATTRIBUTES + NODE_KINDS[kind] if data.get(name) in (None, "")]
        if missing:
            violations.append(
                Violation("missing_attribute", f"{kind} {node!r} lacks {', '.join(missing)}", (node,))
            )
            continue
        violations.extend(_value_violations(node, data))
    for source, target, data in G.edges(data=True):
        expected = edge_kind_for(G.nodes[source].get("kind"), G.nodes[target].get("kind"))
        if expected is None or data.get("kind") != expected:
            violations.append(
                Violation(
                    "bad_edge",
                    f"edge {source!r} -> {target!r} ({G.nodes[source].get('kind')} to {G.nodes[target].get('kind')}, "
                    f"kind {data.get('kind')!r}) is not allowed",
                    (source, target),
                )
            )
    try:
        cycle = nx.find_cycle(G)
    except nx.NetworkXNoCycle:
        cycle = None
    if cycle:
        nodes = tuple(edge[0] for edge in cycle)
        violations.append(Violation("cycle", "signal flow has a cycle: " + " -> ".join(nodes + nodes[:1]), nodes))
    return violations


def _value_violations(node, data):
    problems = []
    if data.get("side") not in SIDES:
        problems.append(f"side {data.get('side')!r} is not one of {', '.join(SIDES)}")
    for name in ("segment",):
        if data.get(name) and len(_segments_or_none(data[name]) or ()) != 1:
            problems.append(f"{name} {data[name]!r} is not a single segment")
    for name in ("segments", "afferent_segments", "efferent_segments", "principal_segments", "disputed_segments"):
        if name in data and _segments_or_none(data[name]) is None:
            problems.append(f"{name} {data[name]!r} is not a segment list")
    return [Violation("bad_value", f"node {node!r}: {problem}", (node,)) for problem in problems]


def _segments_or_none(text):
    try:
        return parse_segments(text)
    except ValueError:
        return None


def validate(G):
    """Check an anatomy graph against every rule in :data:`RULES`.

    Parameters
    ----------
    G : networkx.DiGraph
        An anatomy graph, such as :func:`neurograph.load_anatomy` returns.

    Returns
    -------
    list of Violation
        Empty when the graph is consistent.

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
    violations = structural_violations(G)
    if violations:
        return violations
    violations.extend(_citation_violations(G))
    violations.extend(_name_violations(G))
    violations.extend(_route_violations(G))
    violations.extend(_reflex_violations(G))
    violations.extend(_symmetry_violations(G))
    return violations


def require_valid(G):
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


def _citation_violations(G):
    try:
        known = set(json.loads(G.graph.get("references", "{}")))
    except (TypeError, ValueError):
        known = set()
    found = []

    def check(owner, nodes, source):
        keys = [key for key in (source or "").split(";") if key.strip()]
        unknown = [key for key in keys if key.strip() not in known]
        if not keys or unknown:
            what = "cites nothing" if not keys else f"cites unknown reference(s) {', '.join(unknown)}"
            found.append(Violation("uncited", f"{owner} {what}", nodes))

    for node, data in G.nodes(data=True):
        check(f"node {node!r}", (node,), data.get("reference"))
    for source, target, data in G.edges(data=True):
        check(f"edge {source!r} -> {target!r}", (source, target), data.get("reference"))
    return found


def _name_violations(G):
    owners = {}
    found = []
    for node, data in G.nodes(data=True):
        names = {data["label"].casefold()} | {alias.casefold() for alias in split_list(data.get("aliases"))}
        for name in names:
            other = owners.setdefault((data["side"], name), node)
            if other != node:
                found.append(Violation("ambiguous_name", f"{other!r} and {node!r} are both called {name!r}", (other, node)))
    return found


def _edge_segments(G):
    return {(u, v): frozenset(parse_segments(d.get("segments", ""))) for u, v, d in G.edges(data=True)}


def _reaches(G, start, goal, allowed):
    """Breadth-first search from ``start`` to ``goal`` along edges ``allowed`` accepts."""
    seen, queue = {start}, deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            return True
        for successor in G.successors(node):
            if successor not in seen and allowed(node, successor):
                seen.add(successor)
                queue.append(successor)
    return False


def _route_violations(G):
    carried = _edge_segments(G)
    found = []
    horns = {(d["side"], d["segment"]): n for n, d in G.nodes(data=True) if d["kind"] == "anterior_horn"}
    cortex = {(d["side"], d["area"]): n for n, d in G.nodes(data=True) if d["kind"] == "cortical_area"}
    reachable_from_horns = set()
    for horn in horns.values():
        reachable_from_horns |= nx.descendants(G, horn)
    for muscle, data in G.nodes(data=True):
        if data["kind"] != "muscle":
            continue
        if muscle not in reachable_from_horns:
            found.append(Violation("muscle_unreachable", f"muscle {muscle!r} is not reachable from any anterior horn", (muscle,)))
        for segment in parse_segments(data["segments"]):
            horn = horns.get((data["side"], segment))
            if horn is None or not _reaches(G, horn, muscle, lambda u, v, s=segment: s in carried[(u, v)]):
                found.append(
                    Violation(
                        "missing_lmn_route",
                        f"no {segment} fibre route from the anterior horn to muscle {muscle!r} through its nerve",
                        (muscle,),
                    )
                )
            area = cortex.get((opposite_side(data["side"]), data["cortical_area"]))
            umn_ok = (
                horn is not None
                and area is not None
                and _reaches(G, area, horn, lambda u, v, a=data["cortical_area"]: G.nodes[v].get("area", a) == a)
            )
            if not umn_ok:
                found.append(
                    Violation(
                        "missing_umn_route",
                        f"no corticospinal route from the {data['cortical_area']} area of the opposite hemisphere "
                        f"to the {segment} pool of muscle {muscle!r}",
                        (muscle,) + ((horn,) if horn else ()),
                    )
                )
    return found


def _reflex_violations(G):
    found = []
    for reflex, data in G.nodes(data=True):
        if data["kind"] != "reflex":
            continue
        muscles = list(G.predecessors(reflex))
        covered = set()
        for muscle in muscles:
            covered.update(parse_segments(G.nodes[muscle]["segments"]))
        missing = [s for s in parse_segments(data["efferent_segments"]) if s not in covered]
        if not muscles or missing:
            what = "has no muscle" if not muscles else f"has efferent segment(s) {', '.join(missing)} that none of its muscles has"
            found.append(Violation("reflex_arc", f"reflex {reflex!r} {what}", (reflex,)))
    return found


def _mirror_id(node):
    side, _, rest = node.partition(".")
    return f"{opposite_side(side)}.{rest}" if side in SIDES else node


_SIDE_DEPENDENT = frozenset({"side", "hemisphere", "label", "afferent_via"})


def _symmetry_violations(G):
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
            name for name in set(data) | set(other) if name not in _SIDE_DEPENDENT and data.get(name) != other.get(name)
        )
        if data.get("afferent_via") and _mirror_id(data["afferent_via"]) != other.get("afferent_via"):
            differing.append("afferent_via")
        if differing:
            found.append(Violation("asymmetry", f"{node!r} and {twin!r} differ in {', '.join(differing)}", (node, twin)))
    for source, target, data in G.edges(data=True):
        mirrored = (_mirror_id(source), _mirror_id(target))
        if not G.has_edge(*mirrored):
            found.append(Violation("asymmetry", f"edge {source!r} -> {target!r} has no mirror", (source, target)))
        elif G.edges[mirrored] != data:
            found.append(Violation("asymmetry", f"edge {source!r} -> {target!r} and its mirror differ", (source, target)))
    return found
