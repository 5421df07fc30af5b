"""Named lesions from the clinical literature, each with its source.

>>> import neurograph
>>> G = neurograph.load_anatomy()
>>> [site.label for site in preset_lesion(G, "brown_sequard", level="T10", side="left")]
['T10 cord segment, left']
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neurograph.errors import InvalidValueError, UnknownNameError
from neurograph.resolve import Site, resolve_site, segment_range_label
from neurograph.schema import parse_segments, segment_index

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Preset", "PRESETS", "preset_lesion", "list_presets"]

_SIDES = {"left": "left", "l": "left", "right": "right", "r": "right"}


@dataclass(frozen=True)
class Preset:
    """A named lesion.

    Attributes
    ----------
    name : str
        The id used by :func:`preset_lesion` and ``neurograph lesion --preset``.
    label, description, source : str
    parameters : dict
        Parameter names and their defaults (``level``, ``levels``, ``side``).
    """

    name: str
    label: str
    description: str
    source: str
    parameters: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {
            "name": self.name, "label": self.label, "description": self.description, "source": self.source,
            "parameters": dict(self.parameters),
        }


def _nodes_site(
    G: nx.DiGraph, name: str, label: str, predicate: Callable[[Mapping[str, Any]], bool], severity: float = 1.0
) -> Site:
    nodes = frozenset(node for node, data in G.nodes(data=True) if predicate(data))
    return Site(name=name, label=label, nodes=nodes, severity=severity)


def _segments(levels: str) -> tuple[str, ...]:
    segments = parse_segments(levels)
    if not segments:
        raise InvalidValueError("levels", levels, "a segment or a run of segments, such as C5-C7")
    return segments


def _transection(G: nx.DiGraph, level: str) -> list[Site]:
    return [resolve_site(G, level)]


def _hemisection(G: nx.DiGraph, level: str, side: str) -> list[Site]:
    return [resolve_site(G, f"{side} half of {level}")]


def _cord_station(data: Mapping[str, Any]) -> str:
    """The cord station whose part of the cord a node lies in: its own station, or for a cranial
    structure in the upper cord the body's station it lies with (``cord_station``: the spinal
    trigeminal tract with Lissauer's tract, its nucleus with the dorsal horn, the spinal
    accessory nucleus's parts at C1-C5 with the anterior horn)."""
    return str(data.get("cord_station") or data.get("station", ""))


def _anterior_cord(G: nx.DiGraph, levels: str) -> list[Site]:
    # The anterior spinal artery supplies the cord in front of the dorsal columns.
    segments = set(_segments(levels))
    return [
        _nodes_site(G, f"anterior two thirds of the cord {levels}", f"anterior two thirds of the cord at {levels}, bilateral",
                    lambda d: d.get("segment") in segments and (d["kind"] in ("anterior_horn", "tract", "sensory_tract") or "cord_station" in d)
                    and _cord_station(d) not in ("dorsal_column", "lissauer_tract", "dorsal_horn"))
    ]


def _posterior_cord(G: nx.DiGraph, levels: str) -> list[Site]:
    segments = set(_segments(levels))
    return [
        _nodes_site(G, f"dorsal columns {levels}", f"dorsal columns at {levels}, bilateral",
                    lambda d: d["kind"] == "sensory_tract" and _cord_station(d) == "dorsal_column"
                    and d.get("segment") in segments)
    ]


def _commissure_and_dorsal_horns(G: nx.DiGraph, levels: str) -> Site:
    # Around the central canal: the dorsal horns where pain and temperature fibres synapse and
    # the anterior white commissure where they cross (the dorsal columns and Lissauer's tract,
    # at the cord's dorsal and dorsolateral margins, are spared); at C1-C2 also the spinal
    # trigeminal nucleus and its crossing fibres, which continue them.
    segments = set(_segments(levels))
    return _nodes_site(
        G, f"anterior white commissure and dorsal horns {levels}",
        f"anterior white commissure and dorsal horns at {levels}, bilateral",
        lambda d: d.get("segment") in segments and _cord_station(d) in ("dorsal_horn", "anterior_white_commissure"),
    )


def _in_anterior_horn(data: Mapping[str, Any]) -> bool:
    """Whether a node lies in an anterior horn: the limb and trunk motor pools, and the parts of
    a cranial nucleus that lie there (the spinal accessory nucleus at C1-C5: ``cord_station``)."""
    return data["kind"] == "anterior_horn" or data.get("cord_station") == "anterior_horn"


def _anterior_horns(G: nx.DiGraph, levels: str, severity: float = 1.0) -> Site:
    segments = set(_segments(levels))
    return _nodes_site(G, f"anterior horns {levels}", f"{levels} anterior horns, bilateral",
                       lambda d: _in_anterior_horn(d) and d["segment"] in segments, severity=severity)


def _spinothalamic_laminae(G: nx.DiGraph, levels: str, laminae: str) -> list[Site]:
    # The spinothalamic tract is laminated, cervical fibres innermost and sacral outermost
    # (tract_lamination.csv: Gray's; Blumenfeld): a lesion spreading out from the centre of the
    # cord reaches the inner laminae first and the sacral fibres last (sacral sparing).
    orders = sorted({d["lamina_order"] for _, d in G.nodes(data=True) if d.get("station") == "spinothalamic_tract" and "lamina_order" in d})
    text = str(laminae).strip()
    if not text.isdigit() or int(text) > len(orders):
        raise InvalidValueError("laminae", laminae, f"a whole number of spinothalamic laminae from the midline, 0 to {len(orders)}")
    taken = set(orders[: int(text)])
    if not taken:
        return []
    segments = set(_segments(levels))
    regions = sorted({d["cord_region"] for _, d in G.nodes(data=True) if d.get("lamina_order") in taken and d.get("station") == "spinothalamic_tract"},
                     key=lambda region: min(d["lamina_order"] for _, d in G.nodes(data=True) if d.get("cord_region") == region and d.get("station") == "spinothalamic_tract"))
    return [_nodes_site(
        G, f"inner spinothalamic laminae {levels}", f"inner laminae of the spinothalamic tracts ({', '.join(regions)} fibres) at {levels}, bilateral",
        lambda d: d.get("station") == "spinothalamic_tract" and d.get("segment") in segments and d.get("lamina_order") in taken,
    )]


def _central_cord(G: nx.DiGraph, levels: str, laminae: str) -> list[Site]:
    segments = set(_segments(levels))
    return [
        _anterior_horns(G, levels),
        _commissure_and_dorsal_horns(G, levels),
        _nodes_site(G, f"medial lateral corticospinal tract {levels}",
                    f"medial (arm) lamina of the lateral corticospinal tracts at {levels}, bilateral",
                    lambda d: d["kind"] == "tract" and d.get("lamina") == "medial" and d.get("segment") in segments),
        *_spinothalamic_laminae(G, levels, laminae),
    ]


def _syringomyelia(G: nx.DiGraph, levels: str) -> list[Site]:
    # The cavity cuts the crossing fibres first; the anterior horns it reaches in part.
    return [_commissure_and_dorsal_horns(G, levels), _anterior_horns(G, levels, severity=0.5)]


def _motor_neuron_disease(G: nx.DiGraph, cortex: float, lower: list[tuple[str, float]]) -> list[Site]:
    """Partial loss of the corticospinal and corticobulbar neurons of both hemispheres (``cortex``)
    with the lower motor neuron losses ``lower`` (site name, severity)."""
    betz = _nodes_site(G, "motor cortex (Betz cells)", "primary motor cortex, bilateral",
                       lambda d: d["kind"] == "cortical_area", severity=cortex)
    return [betz, *(resolve_site(G, name, severity=severity) for name, severity in lower)]


def _als(G: nx.DiGraph) -> list[Site]:
    return _motor_neuron_disease(G, 0.7, [
        ("bilateral anterior horn of C5", 0.6), ("bilateral anterior horn of C6", 0.6), ("bilateral anterior horn of T1", 0.6),
        ("left anterior horn of L5", 0.5),
    ])


def _als_bulbar_onset(G: nx.DiGraph) -> list[Site]:
    return _motor_neuron_disease(G, 0.6, [
        ("bilateral hypoglossal nucleus", 0.7), ("bilateral nucleus ambiguus", 0.7), ("bilateral anterior horn of C8", 0.4),
    ])


def _polio(G: nx.DiGraph, levels: str, side: str) -> list[Site]:
    segments = set(_segments(levels))
    code = "L" if side == "left" else "R"
    return [
        _nodes_site(G, f"{side} anterior horns {levels}", f"{levels} anterior horns, {side}",
                    lambda d: _in_anterior_horn(d) and d["segment"] in segments and d["side"] == code,
                    severity=0.8)
    ]


#: The conus's segments, for a lesion inside it.
_CONUS_SEGMENTS = "S2-Co1"


def _conus(G: nx.DiGraph, part: str) -> list[Site]:
    if part not in ("whole", "central"):
        raise InvalidValueError("part", part, "'whole' or 'central'")
    if part == "central":
        # An intramedullary lesion of the conus (Brazis 2011): its grey matter and the commissure
        # where the sacral pain and temperature fibres cross, the dorsal columns at its margin
        # spared, so the saddle loses pain and temperature and keeps touch (dissociated loss).
        return [_anterior_horns(G, _CONUS_SEGMENTS), _commissure_and_dorsal_horns(G, _CONUS_SEGMENTS)]
    return [
        resolve_site(G, "conus medullaris"),
        _nodes_site(G, "corticospinal fibres entering the conus", "lateral corticospinal tracts at S1, bilateral",
                    lambda d: d["kind"] == "tract" and d.get("segment") == "S1"),
    ]


def _cauda_equina(G: nx.DiGraph, levels: str, side: str) -> list[Site]:
    segments = _segments(levels)
    if side == "both":
        return [_nodes_site(G, f"cauda equina roots {levels}", f"{levels} roots (cauda equina), bilateral",
                            lambda d: d["kind"] in ("ventral_root", "dorsal_root") and d["segment"] in segments)]
    # A mass in the lumbar canal compresses the roots unevenly: those of one side over the run
    # (radicular loss in that leg) and the sacral roots of both sides, which run nearest the
    # midline (the saddle and the sphincters).
    code, other = ("L", "right") if side == "left" else ("R", "left")
    sacral = tuple(segment for segment in segments if segment_index(segment) >= segment_index("S2"))

    def roots(wanted: tuple[str, ...], on_side: bool) -> Callable[[Mapping[str, Any]], bool]:
        return lambda d: d["kind"] in ("ventral_root", "dorsal_root") and d["segment"] in wanted and (d["side"] == code) == on_side

    sites = [_nodes_site(G, f"{side} cauda equina roots {levels}", f"{levels} roots (cauda equina), {side}", roots(segments, True))]
    if sacral:
        run = segment_range_label(sacral)
        sites.append(_nodes_site(G, f"{other} cauda equina roots {run}", f"{run} roots (cauda equina), {other}", roots(sacral, False)))
    return sites


def _named(*names: str) -> Callable[..., list[Site]]:
    def build(G: nx.DiGraph, side: str) -> list[Site]:
        return [resolve_site(G, f"{side} {name}") for name in names]

    return build


_BUILDERS: dict[str, Callable[..., list[Site]]] = {}
#: Every named lesion, by name.
PRESETS: dict[str, Preset] = {}


def _register(preset: Preset, build: Callable[..., list[Site]]) -> None:
    PRESETS[preset.name] = preset
    _BUILDERS[preset.name] = build


_register(Preset("transection", "complete cord transection", "Every structure of one cord segment, both sides: LMN signs at the level, UMN signs below it (after spinal shock).", "Ropper2019", {"level": "T10"}), _transection)
_register(Preset("brown_sequard", "Brown-Sequard syndrome (hemisection)", "One half of a cord segment: ipsilateral LMN signs and a band of lost sensation at the level, ipsilateral UMN signs and loss of vibration and joint position below it, contralateral loss of pain and temperature from one to two segments below.", "Ropper2019;Blumenfeld2021", {"level": "T10", "side": "left"}), _hemisection)
_register(Preset("anterior_cord", "anterior cord syndrome", "Anterior spinal artery territory over a few segments: anterior horns, corticospinal and spinothalamic tracts and the anterior white commissure of both sides, the dorsal columns spared: weakness and loss of pain and temperature below, vibration and joint position kept.", "ISNCSCI2019;Blumenfeld2021;Ropper2019", {"levels": "T4-T6"}), _anterior_cord)
_register(Preset("posterior_cord", "posterior cord syndrome", "The dorsal columns of both sides over a few segments: vibration and joint position lost below, light touch impaired, pain, temperature and strength kept.", "Ropper2019;Blumenfeld2021", {"levels": "T4-T6"}), _posterior_cord)
_register(Preset("central_cord", "central cord syndrome", "Central grey matter (anterior and dorsal horns), the anterior white commissure and the medial (arm) lamina of both lateral corticospinal tracts in the cervical cord (a wider lesion, laminae=N, also takes N laminae of both spinothalamic tracts from the midline, cervical, thoracic, lumbar, sacral: pain lost below, sacral sensation spared last): arms weaker than legs, LMN signs at the level, pain and temperature lost or impaired in the dermatomes whose fibres cross there (one to two segments below), sacral sensation spared. Rests on the lamination of the lateral tract (Gray's; disputed by Levi et al. 1996).", "Schneider1954;Gray42;Levi1996;Blumenfeld2021", {"levels": "C4-C6", "laminae": "0"}), _central_cord)
_register(Preset("syringomyelia", "syringomyelia (central syrinx)", "A syrinx in the central grey matter and the anterior white commissure over a run of cervical segments, both sides: suspended, cape-like loss of pain and temperature over the shoulders and arms (the dermatomes whose fibres cross there, one to two segments below), touch, vibration and joint position kept, sensation below normal; the anterior horns partly: weakness, wasting and reduced reflexes of those segments' muscles, no long tract sign.", "Ropper2019;Blumenfeld2021", {"levels": "C4-T1"}), _syringomyelia)
_register(Preset("als", "amyotrophic lateral sclerosis (patchy)", "Partial loss of corticospinal neurons of both hemispheres with patchy anterior horn loss (C5-C6 and T1 both sides, L5 left): UMN and LMN signs together, e.g. a reduced biceps reflex beside a brisk triceps reflex.", "Ropper2019", {}), _als)
_register(Preset("polio", "poliomyelitis (anterior horn loss)", "Asymmetric, partial loss of anterior horn cells over a run of segments: pure LMN signs with fasciculations and wasting, no UMN sign.", "Ropper2019", {"levels": "L2-S2", "side": "right"}), _polio)
_register(Preset("conus_medullaris", "conus medullaris syndrome", "The conus (cord segments S2-Co1) with the corticospinal fibres entering it at S1: mixed UMN and LMN signs, sphincter weakness, ankle jerk lost, knee jerk kept; saddle anaesthesia (part=whole), or with part=central an intramedullary lesion of its grey matter and commissure: the saddle loses pain and temperature and keeps touch (dissociated loss).", "Blumenfeld2021;Gray42;Ropper2019;Brazis2011", {"part": "whole"}), _conus)
_register(Preset("cauda_equina", "cauda equina syndrome", "The lumbosacral roots below the conus, ventral and dorsal, both sides (side=both), or, as it usually presents, asymmetric (side=left or right: that side's roots over the run and the sacral roots, S2 down, of both): LMN signs only, never a UMN sign; saddle anaesthesia and loss in the dermatomes of the roots taken (unlike the symmetric saddle of a conus lesion).", "Blumenfeld2021;Ropper2019", {"levels": "L3-S5", "side": "both"}), _cauda_equina)
_register(Preset("erb", "Erb's palsy (upper trunk)", "The upper trunk of the brachial plexus (C5-C6): shoulder abductors and external rotators, elbow flexors and supinator weak; rhomboids and serratus spared.", "Gray42;Preston2020", {"side": "right"}), _named("upper trunk"))
_register(Preset("klumpke", "Klumpke's palsy (lower trunk)", "The lower trunk of the brachial plexus (C8-T1): intrinsic hand muscles and long finger flexors weak.", "Gray42;Preston2020", {"side": "right"}), _named("lower trunk"))
_register(Preset("carpal_tunnel", "carpal tunnel syndrome", "The median nerve at the carpal tunnel: thenar muscles (abductor pollicis brevis, opponens) and lumbricals 1-2 weak.", "Preston2020", {"side": "right"}), _named("median nerve at the carpal tunnel"))
_register(Preset("guyon_canal", "ulnar neuropathy at Guyon's canal", "The ulnar nerve at the wrist: hypothenar and interosseous muscles weak; the little and ring finger pads numb, the dorsal ulnar hand and the hypothenar skin spared (their branches leave in the forearm).", "Preston2020", {"side": "right"}), _named("ulnar nerve at Guyon's canal"))
_register(Preset("meralgia_paresthetica", "meralgia paresthetica", "The lateral femoral cutaneous nerve: numbness of the lateral thigh, no weakness, reflexes kept.", "Preston2020;Aszmann1997", {"side": "right"}), _named("lateral femoral cutaneous nerve"))
_register(Preset("thalamic_sensory_stroke", "thalamic sensory stroke", "The ventral posterolateral nucleus of one thalamus: every modality impaired over the opposite half of the body, strength kept (a pure sensory stroke).", "Fisher1965;Blumenfeld2021", {"side": "left"}), _named("VPL thalamus"))
_register(Preset("radial_spiral_groove", "radial nerve at the spiral groove", "Wrist and finger drop with brachioradialis weak and triceps spared (\"Saturday night palsy\").", "Preston2020", {"side": "right"}), _named("radial nerve at the spiral groove"))
_register(Preset("fibular_head", "common fibular nerve at the fibular head", "Foot drop with weak eversion; inversion (tibialis posterior) and the short head of biceps femoris spared.", "Preston2020", {"side": "right"}), _named("common fibular nerve at the fibular head"))
_register(Preset("capsular_stroke", "capsular stroke", "The posterior limb and the genu of one internal capsule: contralateral UMN weakness of arm and leg (axial muscles spared by their bilateral supply) and of the lower face, the forehead spared (its supply is bilateral; see neurograph.cranial_signs).", "Ropper2019;Blumenfeld2021", {"side": "left"}), _named("internal capsule", "genu of the internal capsule"))
_register(Preset("cortical_arm_stroke", "cortical stroke of the arm area", "Middle cerebral artery territory of one primary motor cortex: the arm and hand areas; contralateral arm weakness, leg spared.", "Ropper2019;Penfield1950", {"side": "left"}), _named("arm area", "hand area"))
_register(Preset("cortical_leg_stroke", "cortical stroke of the leg area", "Anterior cerebral artery territory of one primary motor cortex: the leg and foot and hip and thigh areas on the medial surface; contralateral leg weakness, arm spared.", "Ropper2019;Penfield1950", {"side": "left"}), _named("leg and foot area", "hip and thigh area"))



def _both(*names: str) -> Callable[..., list[Site]]:
    def build(G: nx.DiGraph) -> list[Site]:
        return [resolve_site(G, f"bilateral {name}") for name in names]

    return build


# Cranial nerve and brainstem lesions (data/sources/cranial/syndromes.csv): their cranial signs
# come from neurograph.cranial_signs, their limb signs from neurograph.simulate.
_register(Preset("bells_palsy", "Bell's palsy", "The facial nerve at the stylomastoid foramen: the whole face of that side weak (LMN), forehead included; stapedius spared (its nerve leaves higher in the canal).", "Blumenfeld2021;Ropper2019", {"side": "right"}), _named("facial nerve at the stylomastoid foramen"))
_register(Preset("weber", "Weber syndrome", "One ventral midbrain (cerebral peduncle and oculomotor fascicle): an ipsilateral third nerve palsy with a contralateral hemiparesis and lower-face weakness.", "Blumenfeld2021;Brazis2011", {"side": "left"}), _named("ventral midbrain"))
_register(Preset("millard_gubler", "Millard-Gubler syndrome", "One ventral caudal pons (basis pontis with the facial and abducens fascicles): an ipsilateral LMN facial palsy and sixth nerve palsy with a contralateral hemiparesis.", "Blumenfeld2021;Brazis2011", {"side": "left"}), _named("ventral pons"))
_register(Preset("medial_medullary", "medial medullary syndrome", "One medial medulla (pyramid, hypoglossal fascicle, medial lemniscus): ipsilateral tongue weakness with a contralateral hemiparesis and loss of vibration and joint position.", "Blumenfeld2021;Brazis2011", {"side": "left"}), _named("medial medulla"))
_register(Preset("lateral_medullary", "lateral medullary syndrome", "One lateral medulla (nucleus ambiguus, spinal lemniscus): ipsilateral palate, pharynx and vocal fold weakness, contralateral loss of pain and temperature, limbs strong.", "Blumenfeld2021;Brazis2011", {"side": "left"}), _named("lateral medulla"))
_register(Preset("locked_in", "locked-in syndrome", "The basis pontis of both sides: every limb and the lower cranial muscles weak (UMN), vertical eye movements and the lids spared.", "Blumenfeld2021;Ropper2019", {}), lambda G: [resolve_site(G, "basis pontis (both sides)")])
_register(Preset("pseudobulbar_palsy", "pseudobulbar palsy", "The corticobulbar fibres of both sides (both capsular genua): UMN weakness of face, jaw, palate, pharynx, larynx and tongue without wasting, a brisk jaw jerk.", "Blumenfeld2021;Ropper2019", {}), _both("genu of the internal capsule"))
_register(Preset("bulbar_palsy", "bulbar palsy", "The nucleus ambiguus and the hypoglossal nucleus of both sides: LMN weakness of palate, pharynx, larynx and tongue with wasting and fasciculations; the gag reflex lost.", "Ropper2019;Blumenfeld2021", {}), _both("nucleus ambiguus", "hypoglossal nucleus"))
_register(Preset("als_bulbar_onset", "ALS with bulbar onset", "Partial loss of the corticospinal and corticobulbar neurons of both hemispheres with loss of the hypoglossal and ambiguus motor neurons of both sides and patchy anterior horn loss (C8 both sides): a weak, wasted, fasciculating tongue, weak palate, pharynx and vocal folds, a brisk jaw jerk (its nuclei keep their neurons and lose their drive), UMN signs in the limbs with LMN signs in the hands.", "Ropper2019;Brazis2011", {}), _als_bulbar_onset)
_register(Preset("accessory_posterior_triangle", "spinal accessory nerve lesion in the posterior triangle", "The accessory nerve in the posterior triangle of the neck: trapezius weak, sternocleidomastoid spared (its branch leaves higher).", "Gray42;Blumenfeld2021", {"side": "right"}), _named("accessory nerve in the posterior triangle"))
_register(Preset("third_nerve_palsy", "third nerve palsy", "The oculomotor nerve in the subarachnoid space: ptosis and weakness of the superior, medial and inferior recti and the inferior oblique on that side.", "Blumenfeld2021;Brazis2011", {"side": "right"}), _named("oculomotor nerve in the subarachnoid space"))
_register(Preset("fourth_nerve_nuclear_palsy", "fourth nerve palsy from a trochlear nucleus lesion", "One trochlear nucleus: the opposite superior oblique weak (the trochlear fibres cross before they leave the midbrain).", "Blumenfeld2021;Brazis2011", {"side": "right"}), _named("trochlear nucleus"))
_register(Preset("internuclear_ophthalmoplegia", "internuclear ophthalmoplegia", "One medial longitudinal fasciculus (pons and midbrain): the medial rectus of that side fails to adduct on gaze to the other side (its drive from the opposite abducens nucleus runs in it), its nerve, nucleus and convergence intact; named for the side of the weak adduction.", "Blumenfeld2021;Kandel2021;Ropper2019", {"side": "right"}), _named("medial longitudinal fasciculus"))
_register(Preset("one_and_a_half", "one-and-a-half syndrome", "The paramedian pontine tegmentum of one side (abducens nucleus, horizontal gaze centre, medial longitudinal fasciculus): a horizontal gaze palsy towards the lesion and an internuclear ophthalmoplegia of the same side's eye; only the other eye's abduction is left.", "Fisher1967;WallWray1983;Blumenfeld2021", {"side": "right"}), _named("paramedian pontine tegmentum"))
_register(Preset("pprf_gaze_palsy", "horizontal gaze palsy from a PPRF lesion", "The paramedian pontine reticular formation of one side: neither eye turns towards the lesion (its lateral rectus and the opposite medial rectus lose their gaze drive), with no lower motor neuron sign.", "Blumenfeld2021;Kandel2021", {"side": "right"}), _named("paramedian pontine reticular formation"))
_register(Preset("sixth_nerve_palsy", "sixth nerve palsy", "The abducens nerve over the petrous apex: the lateral rectus of that side weak.", "Blumenfeld2021;Brazis2011", {"side": "right"}), _named("abducens nerve over the petrous apex"))


def list_presets() -> tuple[Preset, ...]:
    """Every preset, in registration order.

    Examples
    --------
    >>> "brown_sequard" in [p.name for p in list_presets()]
    True
    """
    return tuple(PRESETS.values())


def preset_lesion(G: nx.DiGraph, name: str, **parameters: str | None) -> list[Site]:
    """The sites of a named lesion.

    Parameters
    ----------
    G : networkx.DiGraph
    name : str
        A preset name (see :func:`presets`).
    **parameters
        ``level`` (a segment), ``levels`` (a run of segments), ``side`` ("left" or "right"),
        ``laminae`` (central_cord: spinothalamic laminae taken from the midline) or ``part``
        (conus_medullaris: ``whole`` or ``central``), as the preset takes; omitted ones take the
        preset's defaults.

    Returns
    -------
    list of Site
        Ready for :func:`neurograph.simulate`.

    Raises
    ------
    UnknownNameError
        For an unknown preset.
    InvalidValueError
        For a parameter the preset does not take, or a bad value.
    """
    key = str(name).strip().lower().replace("-", "_").replace(" ", "_")
    if key not in PRESETS:
        import difflib

        raise UnknownNameError(name, difflib.get_close_matches(key, list(PRESETS), n=5, cutoff=0.5))
    preset = PRESETS[key]
    unknown = sorted(set(parameters) - set(preset.parameters))
    if unknown:
        takes = ", ".join(preset.parameters) or "no parameters"
        raise InvalidValueError("preset parameter", unknown[0], f"one that {preset.name} takes ({takes})")
    values = {**preset.parameters, **{k: v for k, v in parameters.items() if v is not None}}
    if "side" in values:
        # A preset whose default is both sides (the cauda equina) also takes "both".
        both = preset.parameters["side"] == "both"
        side = {**_SIDES, **({"both": "both", "bilateral": "both"} if both else {})}.get(str(values["side"]).lower())
        if side is None:
            raise InvalidValueError("side", values["side"], "'left', 'right' or 'both'" if both else "'left' or 'right'")
        values["side"] = side
    if "level" in values:
        try:
            (values["level"],) = parse_segments(str(values["level"]))
        except ValueError:
            raise InvalidValueError("level", values["level"], "one cord segment, such as T10") from None
    return _BUILDERS[key](G, **values)
