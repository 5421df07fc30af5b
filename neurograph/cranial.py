"""Cranial motor signs: what a lesion does to the muscles of the eyes, face, jaw, palate, throat,
tongue and neck, and to the brainstem reflexes.

The limb rules of :mod:`neurograph.lesion` apply to the cranial nuclei unchanged:

1. A cranial muscle's *lower motor neuron routes* run from its own motor nucleus (the side or
   sides its motor pool gives: the superior rectus from the opposite subnucleus, the levator from
   both halves of the central caudal nucleus) along the nerve chain to the muscle; a muscle with
   two branches (orbicularis oculi: temporal and zygomatic) has a route through each. A route
   survives in proportion to the product of ``1 - severity`` over its nodes; each nucleus's
   pool loses the share of its routes that is cut. A nucleus in the cord (the spinal accessory
   nucleus) has a pool in each segment's part (``point_kind`` ``cord_part``), as a limb muscle
   has one in each segment's anterior horn.
2. Its *upper motor neuron routes* run from the muscle's cortical area, in either hemisphere,
   down that area's corticobulbar channel to the pool's nucleus. The graph holds them where the
   muscle's supranuclear supply says (``neurograph.schema.SUPRANUCLEAR_SUPPLIES``): from both
   hemispheres for a bilateral supply, so that a one-sided lesion above the nucleus leaves the
   forehead, the jaw and the palate strong; from both for a ``mainly_*`` supply too, the minor
   hemisphere's route carrying only a share of the drive (its edge's ``drive``, from
   ``cranial/rules.csv``), so that the lower face opposite a capsular lesion is weak but not
   paralysed. A cord part's routes go on from where the fibres leave the brainstem down the
   cord, through its ``drive_cord_station``'s channel of the muscle's area on its side at each
   segment from the nucleus's first part to its own, so a cord lesion cuts the drive of the
   parts below it. A pool keeps its best surviving route's share of the drive. Eye muscles (driven through the gaze centres)
   and the middle ear muscles have no corticobulbar route: a lesion above their nuclei never weakens them. A
   nucleus driven through the brainstem gaze system has a drive route for each run of its
   ``internuclear`` edges, lost with any node on it: the abducens nucleus from the horizontal
   gaze centre of its side, the medial rectus subnucleus from the opposite gaze centre and
   abducens nucleus through its own side's medial longitudinal fasciculus. So a gaze centre or
   abducens nucleus lesion gives a horizontal gaze palsy towards its side, a lesion of one MLF
   an internuclear ophthalmoplegia of that side's eye.
3. Within a pool LMN loss wins; strength is the mean over pools, weighted by their share of
   the routes, of what survives of both; the MRC grade, tone, wasting and fasciculations
   (a lesion of the nucleus or of the cord part itself, chronic) follow as for a limb muscle, save in the eye
   muscles (``neurograph.schema.MOVEMENT_ONLY_REGIONS``), which are examined by their movements
   alone: their tone is ``not_assessable`` and they never show wasting or fasciculations, and
   the reason of a gaze-driven muscle's drive loss names its level (``GAZE_LOSSES``).
4. A brainstem reflex is elicited on one side: its arc is the efferent routes of its muscles on
   that side and its afferent nerve points outside the brainstem (the afferent's root, ganglion
   and brainstem centre are not modelled). A cut arc is reduced or absent; an intact arc whose
   muscles lost their supranuclear drive shows the change the reflex table gives for it
   (``bilateral_umn_loss``: the jaw jerk is brisk, chronic phase).
5. Where references dispute a muscle's supranuclear supply (sternocleidomastoid: mainly the
   same hemisphere, or both), the result also gives the finding under each dissenting view
   (:class:`SupplyView`), computed from what the lesion leaves of each hemisphere's channel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from neurograph.cache import graph_state
from neurograph.engine import REFLEX_DIRECTION, mrc_grade
from neurograph.errors import InvalidValueError
from neurograph.resolve import Site, make_lesion, resolve_node
from neurograph.routes import chain_paths
from neurograph.results import Displayable, HtmlTable, MuscleFinding, ReflexFinding
from neurograph.schema import (
    GAZE_LOSSES, MOVEMENT_ONLY_REGIONS, REFLEX_STATE_GRADES, SIDES, SUPRANUCLEAR_SUPPLIES, TONE_NOT_ASSESSABLE, check_phase, decode_disputes, decode_drive, decode_list, relative_sides, segment_index,
)
from neurograph.tables import Table, table

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

    from neurograph.cache import GraphState
    from neurograph.resolve import LesionSpec

__all__ = [
    "cranial_signs", "cranial_findings", "CranialResult", "SupplyView", "CranialMuscle", "cranial_table", "CranialTable",
    "CranialRows", "CranialInnervation", "cranial_innervation",
]

#: Nerve points whose afferent fibres a reflex's stimulus reaches outside the brainstem.
_PERIPHERAL_POINTS = frozenset({"course", "division", "branch", "terminal_branch"})
#: The kind of the reflexes in findings (their states are those of a deep tendon reflex).
BRAINSTEM_REFLEX = "brainstem"


@dataclass(frozen=True)
class CranialMuscle:
    """A cranial muscle's routes, as the engine reads them.

    ``pools`` holds each motor pool of the muscle (a nucleus node that supplies it, or for a
    nucleus in the cord each segment's part, ``point_kind`` ``cord_part``) with its LMN routes
    (tuples of nodes, nucleus first, muscle last) and its UMN routes (corticobulbar, cortex
    first, ending on the pool; a cord part's continue from where the fibres leave the brainstem
    down the cord to it: :func:`_cord_parts`).
    """

    node: str
    side: str
    label: str
    body_region: str
    nucleus: str
    supply: str
    area: str
    pools: tuple[tuple[str, tuple[tuple[str, ...], ...], tuple[tuple[str, ...], ...]], ...]
    #: Per hemisphere, the corticobulbar channel from the cortex to the node whose fibres end on
    #: this muscle's nucleus (of either side): what each supranuclear view reads.
    channels: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]
    #: The supplies other references give: ``((reference, supply), ...)``.
    dissent: tuple[tuple[str, str], ...]
    #: The share of drive a UMN route carries where it is less than all of it: the minor
    #: hemisphere's route of a ``mainly_*`` supply (the ``drive`` of its edge into the nucleus).
    drive: dict[tuple[str, ...], float] = field(default_factory=dict, compare=False)
    #: The nodes of its gaze routes that carry internuclear fibres on their way from another
    #: nucleus (the medial longitudinal fasciculus, for the medial rectus): a cut there is an
    #: internuclear ophthalmoplegia, a cut at or above that nucleus a gaze palsy.
    internuclear: frozenset[str] = frozenset()
    #: Per pool that lies below the brainstem (a cord part), the cord nodes its drive descends
    #: through: every supranuclear view's drive reaches the pool through them.
    courses: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CranialReflexArc:
    node: str
    side: str
    label: str
    muscles: tuple[str, ...]
    afferent: frozenset[str]
    umn_change: str


class CranialTable:
    """Every cranial muscle's routes and every brainstem reflex arc of one anatomy."""

    def __init__(self, G: nx.DiGraph) -> None:
        kinds = {node: data["kind"] for node, data in G.nodes(data=True)}
        #: The cord's corticospinal channels by side, station, cortical area and segment.
        tracts = {
            (data["side"], data["station"], data["area"], data["segment"]): node
            for node, data in G.nodes(data=True) if data["kind"] == "tract" and data.get("segment")
        }
        self.muscles: dict[str, CranialMuscle] = {}
        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] == "cranial_muscle":
                self.muscles[node] = self._muscle(G, kinds, tracts, node, data)
        self.reflexes: dict[str, CranialReflexArc] = {}
        for node, data in sorted(G.nodes(data=True)):
            if data["kind"] == "cranial_reflex":
                afferent: set[str] = set()
                via = data.get("afferent_via")
                if via and kinds[via] == "cranial_afferent":
                    afferent = _sensory_afferent(G, kinds, via, f"{data['side']}.{data.get('centre', '')}")
                frontier = [via] if via and kinds[via] == "cranial_nerve" else []
                while frontier:
                    point = frontier.pop()
                    if point in afferent or G.nodes[point].get("point_kind") not in _PERIPHERAL_POINTS:
                        continue
                    afferent.add(point)
                    frontier.extend(u for u in G.predecessors(point) if kinds[u] == "cranial_nerve")
                changes = decode_list(data["bilateral_umn_loss"], "bilateral_umn_loss")
                self.reflexes[node] = CranialReflexArc(
                    node, data["side"], data["label"], tuple(sorted(G.predecessors(node))), frozenset(afferent),
                    # Where the textbooks allow either, the first is used (the reflex table lists the usual one first).
                    "normal" if changes[0] == "unchanged" else changes[0],
                )
        #: Node to the muscles whose routes (LMN or UMN) pass it.
        self.muscles_by_node: dict[str, set[str]] = defaultdict(set)
        for muscle in self.muscles.values():
            for _, lmn, umn in muscle.pools:
                for route in lmn + umn:
                    for step in route:
                        self.muscles_by_node[step].add(muscle.node)
            for _, routes in muscle.channels:
                for route in routes:
                    for step in route:
                        self.muscles_by_node[step].add(muscle.node)
        #: Every node a lesion must hold to change a cranial sign, and the reflexes of a lesion that holds none.
        self.sign_nodes = frozenset(self.muscles_by_node).union(*(arc.afferent for arc in self.reflexes.values()))
        self.normal_reflexes = tuple(_reflex_finding(self, arc, _Damage(()), {}, {}, False) for arc in self.reflexes.values())

    @staticmethod
    def _muscle(G, kinds, tracts, node, data):
        side = data["side"]
        pools, courses, shares = [], {}, {}
        for nucleus in (f"{s}.{data['nucleus']}" for s in relative_sides(data["nucleus_side"], side)):
            lmn = chain_paths(G, nucleus, node, lambda v: kinds[v] in ("cranial_nerve", "cranial_muscle"))
            umn = tuple(
                route + (nucleus,)
                for u in sorted(G.predecessors(nucleus)) if kinds[u] == "corticobulbar_tract"
                and G.nodes[u]["area"] == data["cortical_area"]
                for route in _routes_up(G, kinds, u, data["cortical_area"])
            ) + _gaze_routes(G, nucleus)
            # A route's share of the drive is its last edge's (the minor hemisphere's of a mainly one-sided supply).
            share = {route: decode_drive(G.edges[route[-2], route[-1]].get("drive", 1.0)) for route in umn}
            parts = _cord_parts(G, tracts, nucleus, data["cortical_area"])
            for part, course in parts:
                # A part is a pool of its own: the routes through it, and the drive descending the cord to it.
                courses[part] = course
                continued = {route[:-1] + course + (part,): share[route] for route in umn}
                shares.update(continued)
                pools.append((part, tuple(route for route in lmn if part in route), tuple(continued)))
            if not parts:
                shares.update(share)
                pools.append((nucleus, lmn, umn))
        channels = []
        if data["cortical_area"]:
            for hemisphere in SIDES:
                ends = sorted({
                    u for s in SIDES for u in G.predecessors(f"{s}.{data['nucleus']}")
                    if kinds[u] == "corticobulbar_tract" and G.nodes[u]["area"] == data["cortical_area"]
                    and G.nodes[u]["hemisphere"] == hemisphere
                })
                channels.append((hemisphere, tuple(route for end in ends for route in _routes_up(G, kinds, end, data["cortical_area"]))))
        dissent = tuple(
            (key, finding.split(" (")[0])
            for key, findings in decode_disputes(data.get("supply_disputed_by", ""), "supply_disputed_by").items()
            for finding in findings
        ) if data.get("supply_disputed_by") else ()
        internuclear = frozenset(
            step for _, _, umn in pools for route in umn if kinds[route[0]] != "cortical_area"
            for step in route[next(i for i, n in enumerate(route) if kinds[n] == "cranial_nucleus") + 1 : -1]
        )
        return CranialMuscle(
            node, side, data["label"], data["body_region"], data["nucleus"], data["supranuclear_supply"],
            data.get("cortical_area", ""), tuple(pools), tuple(channels), dissent,
            {route: share for route, share in shares.items() if share < 1}, internuclear, courses,
        )


def _cord_parts(G, tracts, nucleus, area):
    """A nucleus in the cord's segment parts (its ``cord_part`` successors, rostral first), each with
    the cord nodes its supranuclear drive descends through: on the part's side, in the part's
    ``drive_cord_station``, the channel of the muscle's cortical ``area`` at every segment from
    the nucleus's first part down to the part's own, as a limb pool's drive descends (none for a
    nucleus in the brainstem)."""
    parts = sorted(
        (v for v in G.successors(nucleus) if G.nodes[v].get("point_kind") == "cord_part"),
        key=lambda v: segment_index(G.nodes[v]["segment"]),
    )
    found = []
    for index, part in enumerate(parts):
        data = G.nodes[part]
        course = tuple(
            tracts[key] for above in parts[: index + 1]
            if (key := (data["side"], data.get("drive_cord_station", ""), area, G.nodes[above]["segment"])) in tracts
        )
        found.append((part, course))
    return found


def _sensory_afferent(G, kinds, via, centre):
    """The nodes from a sensory nerve point to a reflex's centre (the corneal reflex: from the
    nasociliary nerve down the spinal trigeminal tract to the nucleus the cornea's fibres end in);
    none when the graph has no such centre."""
    if centre not in G:
        return set()
    routes = chain_paths(G, via, centre, lambda v: kinds[v] in ("cranial_afferent", "sensory_tract"))
    return set().union(*routes) if routes else set()


def _gaze_routes(G, nucleus):
    """The drive routes of the brainstem gaze system that end on ``nucleus``: each run of
    internuclear edges up to where it starts (the horizontal gaze centre, through the abducens
    nucleus and the opposite medial longitudinal fasciculus, for the medial rectus subnucleus),
    lost with any node on it."""
    routes, stack = [], [(nucleus,)]
    while stack:
        path = stack.pop()
        earlier = [u for u in G.predecessors(path[0]) if G.edges[u, path[0]]["kind"] == "internuclear"]
        if not earlier and len(path) > 1:
            routes.append(path)
        stack.extend((u,) + path for u in earlier)
    return tuple(sorted(routes))


def _routes_up(G, kinds, end, area):
    """The corticobulbar routes from the cortex of ``area`` down its channel to ``end``."""
    routes, stack = [], [(end,)]
    while stack:
        path = stack.pop()
        earlier = [
            u for u in G.predecessors(path[0])
            if kinds[u] == "cortical_area" or (kinds[u] == "corticobulbar_tract" and G.nodes[u]["area"] == area)
        ]
        if kinds[path[0]] == "cortical_area":
            routes.append(path)
        stack.extend((u,) + path for u in earlier)
    return tuple(sorted(routes))


def cranial_table(G: nx.DiGraph) -> CranialTable:
    """The :class:`CranialTable` of the current state of a graph (built once per state).

    Examples
    --------
    >>> import neurograph
    >>> table = cranial_table(neurograph.load_anatomy())
    >>> [route[-3:] for _, lmn, _ in table.muscles["R.muscle.frontalis"].pools for route in lmn]
    [('R.facial.parotid', 'R.facial.temporal', 'R.muscle.frontalis')]
    >>> sorted({route[0] for _, _, umn in table.muscles["R.muscle.frontalis"].pools for route in umn})
    ['L.m1.brow', 'R.m1.brow']
    """
    return graph_state(G).derived(CranialTable)


@dataclass(frozen=True, repr=False)
class SupplyView(Displayable):
    """A muscle's finding under a supranuclear supply that a reference gives instead of the one used.

    Attributes
    ----------
    muscle, label : str
    supply : str
        The supply of this view (``bilateral``, ``mainly_ipsilateral``, ...).
    references : tuple of str
        The references that give it.
    used : bool
        Whether the graph (and so the result's muscle findings) uses this supply.
    deficit : str
        ``normal`` or ``UMN`` (a view changes only the supranuclear drive).
    mrc_grade : int
    """

    muscle: str
    label: str
    supply: str
    references: tuple[str, ...]
    used: bool
    deficit: str
    mrc_grade: int

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "muscle": self.muscle, "label": self.label, "supply": self.supply, "references": list(self.references),
            "used": self.used, "deficit": self.deficit, "mrc_grade": self.mrc_grade,
        }

    def to_table(self) -> Table:
        """This view as a one-row table."""
        return table([self.to_dict() | {"references": ";".join(self.references)}], _VIEW_COLUMNS)

    def _short_repr(self) -> str:
        return f"<SupplyView {self.label} ({self.supply}): {self.deficit}, MRC {self.mrc_grade}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        row = self.to_dict()
        return self.label, [("", list(row), [list(row.values())])], ""


_VIEW_COLUMNS = ("muscle", "label", "supply", "references", "used", "deficit", "mrc_grade")


@dataclass(frozen=True, repr=False)
class CranialInnervation(Displayable):
    """How one cranial muscle is supplied: its nerve chain, its nucleus, and the cortical areas
    of both hemispheres that drive it, each with its share of the drive.

    Attributes
    ----------
    muscle, label : str
    nerves : tuple of str
        The nerve points of its lower motor neuron routes, from the nucleus outwards.
    nuclei : tuple of str
        The nuclei of its motor pool (both, for the levator's central caudal nucleus).
    supply : str
        Its supranuclear supply (``bilateral``, ``mainly_contralateral``, ``gaze_centres``, ...).
    cortex : tuple of (str, float)
        Each cortical area (either hemisphere) whose corticobulbar fibres reach its nucleus, with
        the share of the drive they carry (1: all of it; the minor hemisphere of a mainly
        one-sided supply less). Empty for a muscle with no corticobulbar supply.
    internuclear : tuple of str
        The brainstem gaze system's nodes whose fibres drive its nucleus, in the order the signal
        runs (for the medial rectus on horizontal gaze: the opposite horizontal gaze centre and
        abducens nucleus, then the medial longitudinal fasciculus of its own side).
    supply_disputed_by : tuple of (str, str)
        Other references' supplies: ``(reference, supply)``.
    """

    muscle: str
    label: str
    nerves: tuple[str, ...]
    nuclei: tuple[str, ...]
    supply: str
    cortex: tuple[tuple[str, float], ...]
    internuclear: tuple[str, ...]
    supply_disputed_by: tuple[tuple[str, str], ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict (``cortex``: area node to its share of the drive)."""
        return {
            "muscle": self.muscle, "label": self.label, "nerves": list(self.nerves), "nuclei": list(self.nuclei),
            "supply": self.supply, "cortex": dict(self.cortex), "internuclear": list(self.internuclear),
            "supply_disputed_by": [f"{reference}: {supply}" for reference, supply in self.supply_disputed_by],
        }

    def to_table(self) -> Table:
        """One row per structure: ``muscle``, ``part`` (``cortex``, ``internuclear``, ``nucleus``,
        ``nerve``), ``structure`` (a node id) and ``share`` (of the drive, for the cortex).

        Examples
        --------
        >>> import neurograph
        >>> supply = neurograph.innervation(neurograph.load_anatomy(), "left orbicularis oris").to_table()
        >>> supply.loc[supply.part == "cortex", ["structure", "share"]].values.tolist()
        [['L.m1.lips', 0.7], ['R.m1.lips', 1.0]]
        """
        rows = [dict(muscle=self.muscle, part="cortex", structure=area, share=share) for area, share in self.cortex]
        rows += [dict(muscle=self.muscle, part="internuclear", structure=node, share=None) for node in self.internuclear]
        rows += [dict(muscle=self.muscle, part="nucleus", structure=node, share=None) for node in self.nuclei]
        rows += [dict(muscle=self.muscle, part="nerve", structure=node, share=None) for node in self.nerves]
        return table(rows, ("muscle", "part", "structure", "share"))

    def _short_repr(self) -> str:
        cortex = ", ".join(f"{area} {share:g}" for area, share in self.cortex) or "no corticobulbar supply"
        return f"<CranialInnervation {self.label}: {', '.join(self.nuclei)}; {self.supply}: {cortex}>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        rows = [[key, value if isinstance(value, str) else ", ".join(map(str, value.items() if isinstance(value, dict) else value))]
                for key, value in self.to_dict().items() if key not in ("muscle", "label")]
        return f"Innervation of {self.label}", [("", ["what", "structures"], rows)], ""


def cranial_innervation(G: nx.DiGraph, muscle: str) -> CranialInnervation:
    """How the cranial muscle node ``muscle`` is supplied (what :func:`neurograph.innervation`
    gives for a cranial muscle).

    Examples
    --------
    The forehead is driven from both hemispheres alike, the lower face mainly from the opposite
    one (Blumenfeld2021; the minor hemisphere's share is the model's ``minor_hemisphere_drive``):

    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> cranial_innervation(G, "L.muscle.frontalis").cortex
    (('L.m1.brow', 1.0), ('R.m1.brow', 1.0))
    >>> cranial_innervation(G, "L.muscle.orbicularis_oris").cortex
    (('L.m1.lips', 0.7), ('R.m1.lips', 1.0))
    """
    found = cranial_table(G).muscles.get(muscle)
    if found is None:
        raise InvalidValueError("cranial muscle", muscle, "a cranial muscle node")
    nerves: dict[str, None] = {}
    cortex: dict[str, float] = {}
    internuclear: dict[str, None] = {}
    for _, lmn, umn in found.pools:
        for route in lmn:
            nerves.update(dict.fromkeys(route[1:-1]))
        for route in umn:
            if G.nodes[route[0]]["kind"] == "cortical_area":
                cortex[route[0]] = max(cortex.get(route[0], 0.0), found.drive.get(route, 1.0))
            else:
                internuclear.update(dict.fromkeys(route[:-1]))
    return CranialInnervation(
        muscle, found.label, tuple(nerves), tuple(dict.fromkeys(route[0] for _, lmn, _ in found.pools for route in lmn)), found.supply,
        tuple(sorted(cortex.items())), tuple(internuclear), found.dissent,
    )


@dataclass(frozen=True, repr=False)
class CranialResult(Displayable):
    """The cranial signs of one lesion.

    Attributes
    ----------
    sites : tuple of Site
    phase : str
    muscles : tuple of MuscleFinding
        Every cranial muscle the lesion weakens, in order (side, label); ``lmn_segments`` and
        ``umn_segments`` are empty (cranial muscles have nuclei, not segments: ``reasons`` names them).
    reflexes : tuple of ReflexFinding
        Every brainstem reflex (kind ``brainstem``), normal ones too.
    views : tuple of SupplyView
        For each weakened or disputed muscle whose supply references dispute, its finding under
        every view (the used one first).
    """

    sites: tuple[Site, ...]
    phase: str
    muscles: tuple[MuscleFinding, ...]
    reflexes: tuple[ReflexFinding, ...]
    views: tuple[SupplyView, ...]
    state: GraphState = field(compare=False)

    @property
    def graph(self) -> nx.DiGraph:
        """The anatomy as it was when the signs were computed."""
        return self.state.computed_graph("cranial signs")

    def muscle(self, name: str) -> MuscleFinding:
        """The finding of one cranial muscle, by node id or name with its side ("left frontalis").

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> signs = cranial_signs(G, "left facial nerve at the stylomastoid foramen")
        >>> signs.muscle("left frontalis").deficit, signs.muscle("right frontalis").deficit
        ('LMN', 'normal')
        """
        node = self._node(name, "cranial_muscle")
        for finding in self.muscles:
            if finding.muscle == node:
                return finding
        data = self.graph.nodes[node]
        tone = TONE_NOT_ASSESSABLE if data["body_region"] in MOVEMENT_ONLY_REGIONS else "normal"
        return MuscleFinding(node, data["label"], data["side"], data["body_region"], tone=tone)

    def reflex(self, name: str) -> ReflexFinding:
        """The finding of one brainstem reflex, by node id or name with its side ("right jaw jerk")."""
        node = self._node(name, "cranial_reflex")
        return next(finding for finding in self.reflexes if finding.reflex == node)

    def _node(self, name, kind):
        node = name if name in self.graph else resolve_node(self.graph, name)
        if self.graph.nodes[node]["kind"] != kind:
            raise InvalidValueError("cranial structure", name, f"a {kind.replace('_', ' ')}")
        return node

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "sites": [site.to_dict() for site in self.sites], "phase": self.phase,
            "muscles": [finding.to_dict() for finding in self.muscles],
            "reflexes": [finding.to_dict() for finding in self.reflexes],
            "views": [view.to_dict() for view in self.views],
        }

    def to_table(self) -> Table:
        """One row per weakened muscle and abnormal reflex (a reflex has a ``state``, a muscle the rest)."""
        rows = [
            dict(finding="muscle", node=f.muscle, label=f.label, side=f.side, deficit=f.deficit, mrc_grade=f.mrc_grade,
                 tone=f.tone, atrophy=f.atrophy, fasciculations=f.fasciculations, state=None, sites="|".join(f.sites))
            for f in self.muscles
        ]
        rows += [
            dict(finding="reflex", node=f.reflex, label=f.label, side=f.side, deficit=None, mrc_grade=None, tone=None,
                 atrophy=None, fasciculations=None, state=f.state, sites="|".join(f.sites))
            for f in self.reflexes if f.is_abnormal
        ]
        return table(rows, _SIGN_COLUMNS)

    def _short_repr(self) -> str:
        sites = ", ".join(site.label for site in self.sites)
        return f"<CranialResult {sites}: {len(self.muscles)} cranial muscle(s) weak>"

    def _html_parts(self) -> tuple[str, list[HtmlTable], str]:
        muscles = [[f.label, f.deficit, f.mrc_grade, f.tone, "; ".join(f.reasons)] for f in self.muscles]
        reflexes = [[f.label, f.state, "; ".join(f.reasons)] for f in self.reflexes]
        return (
            "Cranial signs: " + ", ".join(site.label for site in self.sites),
            [("Muscles", ["muscle", "deficit", "MRC", "tone", "why"], muscles), ("Reflexes", ["reflex", "state", "why"], reflexes)],
            self.phase,
        )


_SIGN_COLUMNS = ("finding", "node", "label", "side", "deficit", "mrc_grade", "tone", "atrophy", "fasciculations", "state", "sites")


class _Damage:
    """The lesioned nodes with their severities and the sites that hit each."""

    def __init__(self, sites):
        self.severity: dict[str, float] = {}
        self.names: dict[str, set[str]] = defaultdict(set)
        for site in sites:
            for node in site.nodes:
                self.severity[node] = max(self.severity.get(node, 0.0), site.severity)
                self.names[node].add(site.label)

    def kept(self, route):
        share = 1.0
        for node in route:
            share *= 1.0 - self.severity.get(node, 0.0)
        return share

    def best(self, routes):
        """What the best surviving route keeps (0 when there is none)."""
        return max((self.kept(route) for route in routes), default=0.0)

    def causes(self, routes):
        return {name for route in routes for node in route if node in self.severity for name in self.names[node]}


def cranial_signs(G: nx.DiGraph, lesion: LesionSpec, phase: str = "chronic") -> CranialResult:
    """Simulate a lesion's cranial signs: cranial muscles and brainstem reflexes.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy (:func:`neurograph.load_anatomy`).
    lesion : str, Site, (str, severity), mapping or iterable of these
        As for :func:`neurograph.simulate`.
    phase : {"chronic", "acute"}
        ``chronic`` (default) shows wasting, fasciculations, spasticity and brisk reflexes.

    Returns
    -------
    CranialResult

    Examples
    --------
    A left capsular genu stroke weakens the right lower face and spares the forehead (its supply
    is bilateral):

    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> signs = cranial_signs(G, "left genu of the internal capsule")
    >>> signs.muscle("right orbicularis oris").deficit, signs.muscle("right frontalis").deficit
    ('UMN', 'normal')
    """
    check_phase(phase)
    return cranial_findings(graph_state(G), make_lesion(G, lesion), phase)


def cranial_findings(state: GraphState, sites: tuple[Site, ...], phase: str) -> CranialResult:
    """The :class:`CranialResult` of lesion ``sites`` (see :func:`neurograph.lesion.make_lesion`)
    on the anatomy of ``state``: what :func:`cranial_signs` and :func:`neurograph.simulate` give."""
    cranial = state.derived(CranialTable)
    if all(cranial.sign_nodes.isdisjoint(site.nodes) for site in sites):
        return CranialResult(sites, phase, (), cranial.normal_reflexes, (), state=state)
    damage = _Damage(sites)
    touched = set().union(*(cranial.muscles_by_node.get(node, ()) for node in damage.severity))
    chronic = phase == "chronic"
    findings, drive_lost, views = {}, {}, []
    for node in sorted(touched):
        muscle = cranial.muscles[node]
        finding, lost = _muscle_finding(muscle, damage, chronic)
        drive_lost[node] = lost
        if finding is not None:
            findings[node] = finding
        if muscle.dissent:
            views.extend(_views(muscle, damage, finding))
    reflexes = tuple(_reflex_finding(cranial, arc, damage, findings, drive_lost, chronic) for arc in cranial.reflexes.values())
    muscles = tuple(sorted(findings.values(), key=lambda finding: (finding.side, finding.label)))
    return CranialResult(sites, phase, muscles, reflexes, tuple(views), state=state)


#: What a cranial muscle's finding becomes in :meth:`CranialRows.predict`: the columns of
#: :meth:`neurograph.atlas.Prediction.predict` for a muscle.
MUSCLE_COLUMNS = ("strength", "grade", "lmn", "umn", "spastic", "flaccid", "atrophy", "fasciculations")
#: The same for a brainstem reflex: its direction, and what the direction comes from.
REFLEX_COLUMNS = ("reflex", "reflex_arc", "reflex_umn", "reflex_shock")


class CranialRows:
    """What a complete lesion of each of ``sites`` (the site atlas's) does to the cranial muscles
    and brainstem reflexes, for the atlas's predictions of single sites and pairs.

    A site acts on the cranial items only through the nodes of their routes it holds (most
    sites hold none), so each distinct set of such nodes, alone or joined with a partner's, is
    computed once per phase by the engine's own rules (:func:`cranial_findings`).
    """

    def __init__(self, G: nx.DiGraph, sites: list[Site]) -> None:
        state = graph_state(G)
        self.state = state
        self.table = table = state.derived(CranialTable)
        #: Per cranial muscle and brainstem reflex, the nodes whose lesion can change it.
        self.nodes_of: dict[str, frozenset[str]] = {}
        by_muscle = defaultdict(set)
        for node, muscles in table.muscles_by_node.items():
            for muscle in muscles:
                by_muscle[muscle].add(node)
        self.nodes_of.update((muscle, frozenset(nodes)) for muscle, nodes in by_muscle.items())
        for arc in table.reflexes.values():
            self.nodes_of[arc.node] = frozenset().union(arc.afferent, *(by_muscle[muscle] for muscle in arc.muscles))
        relevant = frozenset().union(*self.nodes_of.values()) if self.nodes_of else frozenset()
        held = [site.nodes & relevant for site in sites]
        numbers: dict[frozenset[str], int] = {frozenset(): 0}
        #: Per site, the number of its set of cranial route nodes (0: none).
        self.set_of_site = [numbers.setdefault(nodes, len(numbers)) for nodes in held]
        self.node_sets = list(numbers)
        self._outcomes: dict[tuple[int, int, str], tuple[dict[str, tuple], dict[str, tuple]]] = {}

    def items(self, names: list[str]) -> list[str]:
        """The cranial muscles and brainstem reflexes among ``names``."""
        return [name for name in names if name in self.nodes_of]

    def holds(self, rows: Any, names: list[str]) -> np.ndarray:
        """Per site of ``rows``, which of ``names`` (cranial items) its lesion can change."""
        import numpy as np

        held, item_column, set_of_site = self._holding
        columns = np.array([item_column[name] for name in names], dtype=np.intp)
        return held[set_of_site[np.asarray(rows, dtype=np.intp)]][:, columns]

    @cached_property
    def _holding(self) -> tuple[np.ndarray, dict[str, int], np.ndarray]:
        """Per set of cranial route nodes and cranial item, whether the set holds one of the
        item's nodes (sets x items, a byte a cell: 28 kB on the packaged anatomy), each item's
        column, and each site's set as an array."""
        import numpy as np

        held = np.array(
            [[not nodes.isdisjoint(item_nodes) for item_nodes in self.nodes_of.values()] for nodes in self.node_sets], dtype=bool,
        ).reshape(len(self.node_sets), len(self.nodes_of))
        return held, {name: column for column, name in enumerate(self.nodes_of)}, np.asarray(self.set_of_site, dtype=np.intp)

    def pattern(self, row: int, names: list[str]) -> frozenset[str]:
        """The nodes of the site in ``row`` that the routes of ``names`` pass."""
        wanted = frozenset().union(*(self.nodes_of[name] for name in names)) if names else frozenset()
        return self.node_sets[self.set_of_site[row]] & wanted

    def predict(self, muscles: list[str], reflexes: list[str], phase: str, first: Any, second: Any = None) -> dict[str, np.ndarray]:
        """Per lesion (the site in ``first``, with ``second``'s when given), the columns
        :data:`MUSCLE_COLUMNS` of each of ``muscles`` and :data:`REFLEX_COLUMNS` of each of ``reflexes``."""
        import numpy as np

        first = np.asarray(first, dtype=np.intp)
        sets = np.array(self.set_of_site, dtype=np.intp)
        a = sets[first]
        b = sets[np.asarray(second, dtype=np.intp)] if second is not None else np.zeros_like(a)
        pairs, position = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1), axis=0, return_inverse=True)
        position = np.asarray(position).reshape(-1)
        found = {name: np.zeros((len(pairs), len(muscles))) for name in MUSCLE_COLUMNS}
        found.update((name, np.zeros((len(pairs), len(reflexes)))) for name in REFLEX_COLUMNS)
        for at, (one, other) in enumerate(pairs.tolist()):
            muscle_outcomes, reflex_outcomes = self._outcome(one, other, phase)
            for column, muscle in enumerate(muscles):
                for name, value in zip(MUSCLE_COLUMNS, muscle_outcomes.get(muscle, _NORMAL_MUSCLE)):
                    found[name][at, column] = value
            for column, reflex in enumerate(reflexes):
                for name, value in zip(REFLEX_COLUMNS, reflex_outcomes[reflex]):
                    found[name][at, column] = value
        kinds = {"grade": np.int8, "strength": float, "reflex": np.int8, "reflex_arc": np.int8}
        return {name: values[position].astype(kinds.get(name, bool)) for name, values in found.items()}

    def _outcome(self, one, other, phase):
        key = (one, other, phase)
        if key not in self._outcomes:
            nodes = self.node_sets[one] | self.node_sets[other]
            sites = (Site("atlas", "atlas", nodes),) if nodes else ()
            result = cranial_findings(self.state, sites, phase)
            muscles = {
                f.muscle: (f.strength, f.mrc_grade, f.deficit in ("LMN", "mixed"), f.deficit in ("UMN", "mixed"),
                           f.tone == "spastic", f.tone == "flaccid", f.atrophy, f.fasciculations)
                for f in result.muscles
            }
            # The reflex's direction, and what it comes from as the limb reflexes' columns say:
            # 0 arc cut, 1 partly cut, 2 intact; its supranuclear change shown (brisk).
            reflexes = {
                f.reflex: (REFLEX_DIRECTION[f.state], {"absent": 0, "reduced": 1}.get(f.state, 2), f.state == "brisk", False)
                for f in result.reflexes
            }
            self._outcomes[key] = (muscles, reflexes)
        return self._outcomes[key]


_NORMAL_MUSCLE = (1.0, 5, False, False, False, False, False, False)


def _muscle_finding(muscle, damage, chronic):
    """``(MuscleFinding or None, whether any pool lost supranuclear drive)``."""
    total = sum(len(lmn) for _, lmn, _ in muscle.pools)
    strength, lower, upper, at_nucleus, said, hit = 0.0, False, False, False, [], []
    for pool, lmn, umn in muscle.pools:
        weight = len(lmn) / total if total else 0.0
        lost = 1.0 - sum(damage.kept(route) for route in lmn) / len(lmn) if lmn else 0.0
        # Drive routes stop short of the pool: losing the nucleus is LMN loss, not lost drive.
        # A pool keeps its best surviving route's share of the drive.
        drive = 1.0 - max(damage.kept(route[:-1]) * muscle.drive.get(route, 1.0) for route in umn) if umn else 0.0
        nucleus = lmn[0][0] if lmn else pool
        words = nucleus.replace(".", " ").split(" ", 1)[1].replace("_", " ").replace("nucleus ", "")
        side_word = {"L": "left", "R": "right"}[nucleus[0]]
        where = f"{side_word} {words} nucleus"
        # A cord part of a nucleus is named by its segment (its id is the nucleus's and the segment's).
        segment = pool[len(nucleus) + 1 :] if pool != nucleus else ""
        parts = sum(part.startswith(nucleus + ".") for part in muscle.courses)
        if lost > 0:
            lower = True
            # Fasciculations come from the motor neurons themselves: the nucleus, or the part of it lesioned.
            at_nucleus = at_nucleus or damage.severity.get(nucleus, 0.0) > 0 or damage.severity.get(pool, 0.0) > 0
            said.append((f"loses {lost:.0%} of its lower motor neurons from the {{where}}", where, segment, parts))
            hit.extend(route for route in lmn if damage.kept(route) < 1.0)
        elif drive > 0:
            upper = True
            if muscle.supply == "gaze_centres":
                # Its motor neurons and nerve are intact: only the movements the cut gaze drive
                # carried fail (Blumenfeld2021; Kandel2021: the medial rectus still adducts on convergence).
                cut = {step for route in umn for step in route[:-1] if step in damage.severity}
                kind = GAZE_LOSSES[0] if cut & muscle.internuclear else GAZE_LOSSES[1]
                said.append((
                    f"{kind}: the {{where}} loses {drive:.0%} of its gaze drive ({', '.join(sorted(damage.causes(umn)))} cut); "
                    "its motor neurons and nerve are intact, so movements driven otherwise, as convergence, are kept", where, segment, parts,
                ))
            else:
                said.append((f"the {{where}} loses {drive:.0%} of its supranuclear drive", where, segment, parts))
            hit.extend(umn)
        strength += weight * (1.0 - lost) * (1.0 - (0.0 if lost > 0 else drive))
    if not (lower or upper):
        return None, False
    reasons = _reasons(said)
    strength = round(strength, 12)
    grade = mrc_grade(strength)
    deficit = "mixed" if lower and upper else ("LMN" if lower else "UMN")
    if muscle.body_region in MOVEMENT_ONLY_REGIONS:
        # Examined by its movements alone: no tone, wasting or fasciculation to report.
        tone, atrophy, fasciculating = TONE_NOT_ASSESSABLE, False, False
    else:
        spastic = grade < 5 and upper and not lower and chronic
        tone = "normal" if grade == 5 else ("spastic" if spastic else "flaccid")
        atrophy = lower and chronic
        fasciculating = atrophy and at_nucleus
    return MuscleFinding(
        muscle.node, muscle.label, muscle.side, muscle.body_region, deficit, grade, tone, atrophy, fasciculating,
        strength, sites=tuple(sorted(damage.causes(hit))), reasons=tuple(reasons),
    ), upper


def _reasons(said):
    """The reasons of a muscle's finding from ``(template, nucleus, segment, parts)`` per pool hit:
    the parts of a nucleus in the cord (``parts`` of them) that lose the same share named in one
    reason ("the right spinal accessory nucleus at C2, C3 and C4 loses 100% of its supranuclear
    drive"), all of them as the nucleus."""
    segments = defaultdict(list)
    for template, where, segment, parts in said:
        segments[template, where, parts].append(segment)
    reasons = []
    for (template, where, parts), found in segments.items():
        if 0 < len(found) < parts:
            where += f" at {', '.join(found[:-1])} and {found[-1]}" if len(found) > 1 else f" at {found[0]}"
        reasons.append(template.replace("{where}", where))
    return reasons


def _views(muscle, damage, finding):
    """The muscle's finding under the used supply and under each dissenting one, when they differ.

    A view changes only the supranuclear drive: a muscle that lost lower motor neurons has the
    same finding under every view, and none is given. A pool in the cord keeps under every view
    only what its drive's descent through the cord keeps (``courses``).
    """
    if finding is not None and finding.deficit != "UMN":
        return []
    kept = {hemisphere: damage.best(routes) if routes else 1.0 for hemisphere, routes in muscle.channels}
    total = sum(len(lmn) for _, lmn, _ in muscle.pools)
    descent = sum(len(lmn) * damage.kept(muscle.courses.get(pool, ())) for pool, lmn, _ in muscle.pools) / total if total else 1.0
    by_supply = defaultdict(list)
    for key, supply in muscle.dissent:
        by_supply[supply].append(key)
    views = [SupplyView(
        muscle.node, muscle.label, muscle.supply, (), True, finding.deficit if finding else "normal",
        finding.mrc_grade if finding else 5,
    )]
    for supply, references in by_supply.items():
        hemispheres = {side for relation in SUPRANUCLEAR_SUPPLIES[supply] for side in relative_sides(relation, muscle.side)}
        # With no direct supply (sparse) nothing above the nucleus weakens the muscle.
        drive = max((kept.get(side, 1.0) * descent for side in hemispheres), default=1.0)
        views.append(SupplyView(
            muscle.node, muscle.label, supply, tuple(references), False, "UMN" if drive < 1.0 else "normal",
            mrc_grade(round(drive, 12)),
        ))
    return views if len({view.deficit for view in views}) > 1 else []


def _reflex_finding(cranial, arc, damage, findings, drive_lost, chronic):
    reasons, causes = [], set()
    efferent_routes = [route for muscle in arc.muscles for _, lmn, _ in cranial.muscles[muscle].pools for route in lmn]
    efferent = sum(damage.kept(route) for route in efferent_routes) / len(efferent_routes) if efferent_routes else 0.0
    afferent = damage.kept(tuple(arc.afferent))
    if efferent < 1.0:
        reasons.append(f"efferent limb {1 - efferent:.0%} cut")
        causes |= damage.causes(efferent_routes)
    if afferent < 1.0:
        reasons.append("afferent nerve cut" if afferent == 0 else f"afferent nerve {1 - afferent:.0%} cut")
        causes |= damage.causes((tuple(arc.afferent),))
    arc_intact = min(efferent, afferent)
    if arc_intact <= 0:
        state = "absent"
    elif arc_intact < 1:
        state = "reduced"
    elif chronic and any(drive_lost.get(muscle) for muscle in arc.muscles):
        state = arc.umn_change
        reasons.append("its muscles lost their supranuclear drive")
        causes |= {site for muscle in arc.muscles if muscle in findings for site in findings[muscle].sites}
    else:
        state = "normal"
    return ReflexFinding(
        arc.node, arc.label, arc.side, BRAINSTEM_REFLEX, state, REFLEX_STATE_GRADES.get(state, state),
        sites=tuple(sorted(causes)) if state != "normal" else (), reasons=tuple(reasons),
    )
