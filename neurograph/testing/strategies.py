"""Hypothesis strategies for property-based checks of an anatomy and of the engine.

This is the only neurograph module that imports hypothesis. Every strategy takes the anatomy
graph first and keyword-only options, checks them, and draws from the graph it is given, so the
same checks run on the packaged anatomy and on a user's own (a variant plexus, a new muscle).

Examples
--------
>>> import neurograph
>>> from hypothesis import given, settings
>>> G = neurograph.load_anatomy()
>>> @settings(max_examples=5, deadline=None)
... @given(lesions(G, max_sites=2))
... def test_a_lesion_never_strengthens(lesion):
...     assert all(f.mrc_grade <= 5 for f in neurograph.simulate(G, lesion).muscles)
>>> test_a_lesion_never_strengthens()
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from hypothesis import strategies as st

from neurograph.errors import InvalidValueError
from neurograph.resolve import Site, atlas_sites
from neurograph.schema import NODE_KINDS, SIDES, decode_segment_list

if TYPE_CHECKING:
    import networkx as nx

    from neurograph.findings import Findings

__all__ = ["sites", "lesions", "severities", "findings", "anatomy_variants", "site_pool"]

#: Where a site lies, for the ``region`` filter.
REGIONS = ("cortex", "supraspinal", "cord", "root", "plexus", "nerve")

_REGION_KINDS = {
    "cortex": {"cortical_area", "sensory_cortex"},
    "root": {"ventral_root", "spinal_nerve", "dorsal_root", "dorsal_root_ganglion", "dorsal_ramus"},
    "plexus": {"ventral_ramus", "plexus_element"},
    "nerve": {"nerve", "afferent"},
}


def _region_of(G, node):
    data = G.nodes[node]
    if data.get("structure"):
        return _region_of(G, data["structure"])  # an afferent twin lies where its structure does
    if data["kind"] in ("tract", "sensory_tract"):
        return "cord" if data.get("segment") else "supraspinal"
    if data["kind"] == "anterior_horn":
        return "cord"
    for region, kinds in _REGION_KINDS.items():
        if data["kind"] in kinds:
            return region
    return None


def site_pool(G: nx.DiGraph, *, kind: str | None = None, side: str | None = None, region: str | None = None) -> list[Site]:
    """The lesion sites of ``G`` the filters keep (what :func:`sites` draws from).

    Parameters
    ----------
    kind : str, optional
        A node kind: every node of the site has it.
    side : {"L", "R"}, optional
        Every node of the site lies on that side.
    region : str, optional
        One of :data:`REGIONS`: every node of the site lies there.
    """
    if kind is not None and kind not in NODE_KINDS:
        raise InvalidValueError("kind", kind, "one of " + ", ".join(NODE_KINDS))
    if side is not None and side not in SIDES:
        raise InvalidValueError("side", side, "'L' or 'R'")
    if region is not None and region not in REGIONS:
        raise InvalidValueError("region", region, "one of " + ", ".join(REGIONS))
    chosen = []
    for site in atlas_sites(G):
        # A site's kind is that of its structures; an afferent twin goes with its structure.
        nodes = [G.nodes[node] for node in site.nodes if not G.nodes[node].get("structure")]
        if kind is not None and any(data["kind"] != kind for data in nodes):
            continue
        if side is not None and any(data["side"] != side for data in nodes):
            continue
        if region is not None and any(_region_of(G, node) != region for node in site.nodes):
            continue
        chosen.append(site)
    if not chosen:
        raise InvalidValueError("site filters", {"kind": kind, "side": side, "region": region}, "filters some site passes")
    return sorted(chosen, key=lambda site: (site.label, site.name))


def severities(*, partial: bool = True) -> st.SearchStrategy[float]:
    """Severities: 1.0 only, or any 0 < s <= 1 when ``partial``."""
    if not partial:
        return st.just(1.0)
    return st.one_of(st.just(1.0), st.floats(min_value=0.05, max_value=1.0, allow_nan=False))


def sites(
    G: nx.DiGraph, *, kind: str | None = None, side: str | None = None, region: str | None = None, partial: bool = False
) -> st.SearchStrategy[Site]:
    """Single lesion sites of ``G``: nodes and named regions, with a severity.

    Examples
    --------
    >>> import neurograph
    >>> from hypothesis import given, settings
    >>> G = neurograph.load_anatomy()
    >>> @settings(max_examples=10, deadline=None)
    ... @given(sites(G, region="nerve", side="R"))
    ... def test_right_nerve_sites_lie_on_the_right(site):
    ...     assert all(G.nodes[n]["side"] == "R" for n in site.nodes)
    >>> test_right_nerve_sites_lie_on_the_right()
    """
    pool = site_pool(G, kind=kind, side=side, region=region)
    return st.builds(
        lambda site, severity: Site(site.name, site.label, site.nodes, severity),
        st.sampled_from(pool),
        severities(partial=partial),
    )


def lesions(
    G: nx.DiGraph, *, min_sites: int = 1, max_sites: int = 3, kind: str | None = None, side: str | None = None,
    region: str | None = None, partial: bool = True,
) -> st.SearchStrategy[list[Site]]:
    """Lesions: lists of ``min_sites`` to ``max_sites`` sites, each with a severity."""
    if not isinstance(min_sites, int) or not isinstance(max_sites, int) or not 1 <= min_sites <= max_sites:
        raise InvalidValueError("site counts", (min_sites, max_sites), "whole numbers with 1 <= min_sites <= max_sites")
    return st.lists(
        sites(G, kind=kind, side=side, region=region, partial=partial), min_size=min_sites, max_size=max_sites
    )


def findings(G: nx.DiGraph, *, examined: int = 12, consistent: bool = True) -> st.SearchStrategy[Findings]:
    """Examination findings.

    With ``consistent`` (default) each record is what a random lesion would show on
    ``examined`` muscles drawn at random, so a localizer should explain it; otherwise grades,
    tones, reflex grades and plantar responses are drawn independently (arbitrary records, for
    robustness checks).

    Examples
    --------
    >>> import neurograph
    >>> from hypothesis import given, settings
    >>> G = neurograph.load_anatomy()
    >>> @settings(max_examples=5, deadline=None)
    ... @given(findings(G, examined=5))
    ... def test_five_muscles_examined(exam):
    ...     assert len(exam.muscles) == 5
    >>> test_five_muscles_examined()
    """
    from neurograph.findings import Findings, MuscleExam, findings_from_result
    from neurograph.lesion import simulate
    from neurograph.schema import PHASES, PLANTAR_RESPONSES, REFLEX_GRADES, SIDES, TONES

    muscles = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "muscle")
    reflexes = sorted(
        node for node, data in G.nodes(data=True) if data["kind"] == "reflex" and data["reflex_kind"] != "plantar"
    )
    if not isinstance(examined, int) or not 1 <= examined <= len(muscles):
        raise InvalidValueError("examined", examined, f"a whole number from 1 to {len(muscles)}")
    chosen = st.lists(st.sampled_from(muscles), min_size=examined, max_size=examined, unique=True)
    if consistent:
        return st.builds(
            lambda lesion, phase, names: findings_from_result(simulate(G, lesion, phase=phase), names),
            lesions(G, max_sites=2), st.sampled_from(PHASES), chosen,
        )
    exam = st.builds(
        MuscleExam, st.integers(0, 4), st.sampled_from(TONES) | st.none(), st.booleans() | st.none(),
        st.booleans() | st.none(),
    )
    return st.builds(
        Findings,
        st.dictionaries(st.sampled_from(muscles), exam, min_size=examined, max_size=examined),
        st.dictionaries(st.sampled_from(reflexes), st.sampled_from(REFLEX_GRADES), max_size=6),
        st.dictionaries(st.sampled_from(SIDES), st.sampled_from(PLANTAR_RESPONSES)),
        st.sampled_from(PHASES),
    )


def anatomy_variants(G: nx.DiGraph, *, changes: Collection[str] = ("add", "remove", "reroute")) -> st.SearchStrategy[Any]:
    """The graph with one branch changed: a muscle branch added, removed or rerouted.

    Each variant is a copy of ``G`` (``G`` is never modified) with ``graph["variant"]``
    describing the change.

    - ``add``: a muscle gets a second branch from another nerve node carrying one of its segments.
    - ``remove``: one branch to a muscle that has two is dropped.
    - ``reroute``: a muscle's branch leaves one step further down its nerve.
    """
    allowed = {"add", "remove", "reroute"}
    if not changes or set(changes) - allowed:
        raise InvalidValueError("changes", changes, "a non-empty subset of add, remove, reroute")
    branches = sorted(
        (u, v) for u, v, data in G.edges(data=True) if data["kind"] == "innervates"
    )
    nerves = sorted(node for node, data in G.nodes(data=True) if data["kind"] == "nerve")
    twice = [
        (u, v) for u, v in branches
        if sum(1 for p in G.predecessors(v) if G.nodes[p]["kind"] != "muscle") > 1
    ]
    deeper = [(u, v) for u, v in branches if any(G.nodes[w]["kind"] == "nerve" for w in G.successors(u))]
    options = []
    if "add" in changes:
        options.append(st.tuples(st.just("add"), st.sampled_from(branches), st.sampled_from(nerves)))
    if "remove" in changes and twice:
        options.append(st.tuples(st.just("remove"), st.sampled_from(twice), st.none()))
    if "reroute" in changes and deeper:
        options.append(st.tuples(st.just("reroute"), st.sampled_from(deeper), st.none()))
    return st.one_of(options).map(lambda change: _apply(G, *change))


def _apply(G, change, branch, other):
    variant = G.copy()
    source, muscle = branch
    data = dict(G.edges[branch])
    if change == "add":
        segment = decode_segment_list(data["segments"])[0]
        variant.add_edge(other, muscle, **{**data, "segments": segment})
        described = f"added a branch {other} -> {muscle}"
    elif change == "remove":
        variant.remove_edge(source, muscle)
        described = f"removed the branch {source} -> {muscle}"
    else:
        below = sorted(w for w in G.successors(source) if G.nodes[w]["kind"] == "nerve")[0]
        variant.remove_edge(source, muscle)
        variant.add_edge(below, muscle, **data)
        described = f"moved the branch to {muscle} from {source} down to {below}"
    variant.graph["variant"] = described
    return variant
