"""The vocabulary of the anatomy graph: node kinds, edge kinds, attributes and segments.

Everything that reads, writes, builds or checks an anatomy graph takes its names from here,
so that one table decides what a well-formed graph is. The clinical vocabulary that results
and findings share (phases, tones, reflex grades, plantar responses, side names) is defined
here too, once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from neurograph.errors import InvalidValueError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "SEGMENTS",
    "SIDES",
    "NODE_KINDS",
    "EDGE_KINDS",
    "UMN_KINDS",
    "LMN_KINDS",
    "edge_kind_for",
    "segment_index",
    "parse_segments",
    "format_segments",
    "join_list",
    "opposite_side",
    "PHASES",
    "TONES",
    "REFLEX_GRADES",
    "REFLEX_STATE_GRADES",
    "PLANTAR_RESPONSES",
    "NORMAL_REFLEX_STATES",
    "SIDE_NAMES",
    "check_phase",
    "side_text",
    "REFLEX_KINDS",
    "REGION_KINDS",
    "CONTRIBUTIONS",
    "SENSORY_KINDS",
    "SENSORY_EDGE_KINDS",
    "MODALITIES",
    "SENSORY_TRACTS",
    "DERMATOME_OVERLAP_STRUCTURES",
    "MODALITY_TRACTS",
    "SENSORY_AREAS",
    "SKIN_VIEWS",
    "TRIGEMINAL_ZONES",
    "CROSSING_STATIONS",
    "LATERALITIES",
    "CRANIAL_KINDS",
    "MOVEMENT_ONLY_REGIONS",
    "TONE_NOT_ASSESSABLE",
    "GAZE_LOSSES",
    "CRANIAL_EDGE_KINDS",
    "SUPRANUCLEAR_SUPPLIES",
    "BRAINSTEM_LEVELS",
    "relative_sides",
    "Codec",
    "NODE_CODECS",
    "EDGE_CODECS",
    "GRAPH_CODECS",
    "node_attributes",
    "edge_attributes",
    "graph_attributes",
    "decode_list",
    "encode_list",
    "decode_references",
    "encode_references",
    "decode_segment",
    "decode_segment_list",
    "encode_segment_list",
    "decode_segment_weights",
    "encode_segment_weights",
    "decode_segments_by_source",
    "encode_segments_by_source",
    "decode_disputes",
    "encode_disputes",
    "decode_reference_table",
    "encode_reference_table",
    "decode_muscle_groups",
    "encode_muscle_groups",
    "decode_regions",
    "encode_regions",
    "decode_synonyms",
    "encode_synonyms",
    "decode_sensory_rules",
    "encode_sensory_rules",
]

#: Every spinal cord segment, rostral to caudal.
SEGMENTS = (
    tuple(f"C{i}" for i in range(1, 9))
    + tuple(f"T{i}" for i in range(1, 13))
    + tuple(f"L{i}" for i in range(1, 6))
    + tuple(f"S{i}" for i in range(1, 6))
    + ("Co1",)
)
_SEGMENT_INDEX = {segment: index for index, segment in enumerate(SEGMENTS)}

#: Side codes: left, right.
SIDES = ("L", "R")

#: Side codes to the words used in labels and messages.
SIDE_NAMES = {"L": "left", "R": "right"}

#: The phases of a lesion: ``acute`` (spinal shock below a cord lesion: flaccid, areflexic) and
#: ``chronic`` (upper motor neuron signs established: spastic, brisk).
PHASES = ("acute", "chronic")

#: Muscle tone as examined.
TONES = ("normal", "spastic", "flaccid")

#: Tendon reflex grades on the 0-4+ scale (NINDS myotatic reflex scale, Hallett 1993).
REFLEX_GRADES = ("0", "1+", "2+", "3+", "4+")

#: The grade of each tendon reflex state; superficial reflexes and the plantar response are
#: reported by their state alone.
REFLEX_STATE_GRADES = {"absent": "0", "reduced": "1+", "normal": "2+", "brisk": "3+", "clonus": "4+"}

#: Plantar responses: flexor (normal), extensor (Babinski sign), mute (no response).
PLANTAR_RESPONSES = ("flexor", "extensor", "mute")

#: The reflex states that are not abnormal, whatever the reflex's kind.
NORMAL_REFLEX_STATES = frozenset({"normal", "present", "flexor"})

#: Node kinds and the attributes each must carry (beyond ``kind``, ``label`` and ``reference``).
NODE_KINDS = {
    "cortical_area": ("side", "area"),
    "tract": ("side", "hemisphere", "area", "station"),
    "anterior_horn": ("side", "segment"),
    "ventral_root": ("side", "segment"),
    "spinal_nerve": ("side", "segment"),
    "ventral_ramus": ("side", "segment", "segments"),
    "plexus_element": ("side", "element", "segments"),
    "nerve": ("side", "nerve", "segments"),
    "muscle": ("side", "body_region", "cortical_area", "segments", "segments_source"),
    "reflex": ("side", "reflex_kind", "afferent_segments", "efferent_segments"),
    "dorsal_ramus": ("side", "segment", "segments"),
    "skin": ("side", "body_region", "sensory_area", "segments"),
    "afferent": ("side", "segments"),
    "dorsal_root_ganglion": ("side", "segment"),
    "dorsal_root": ("side", "segment"),
    "sensory_tract": ("side", "body_side", "station", "ascending_order", "laterality"),
    "sensory_cortex": ("side", "area"),
    "corticobulbar_tract": ("side", "hemisphere", "area", "station"),
    "cranial_nucleus": ("side", "cranial_nerve", "level_from", "level_to"),
    "cranial_nerve": ("side", "cranial_nerve", "nerve", "point_kind"),
    "cranial_muscle": ("side", "body_region", "cranial_nerve", "nucleus", "supranuclear_supply"),
    "cranial_reflex": ("side", "response_side", "bilateral_umn_loss"),
    "gaze_pathway": ("side", "pathway", "level"),
    "cranial_afferent": ("side", "cranial_nerve", "nerve", "point_kind"),
}

#: Attributes every node carries, whatever its kind.
COMMON_NODE_ATTRIBUTES = ("kind", "label", "reference")

#: The upper motor neuron kinds (cortex and its descending tract).
UMN_KINDS = frozenset({"cortical_area", "tract"})
#: The lower motor neuron kinds, from the anterior horn cell to the muscle.
LMN_KINDS = frozenset(
    {"anterior_horn", "ventral_root", "spinal_nerve", "ventral_ramus", "plexus_element", "nerve", "muscle"}
)

#: The kinds of the sensory system: skin, the afferent fibres from it to the cord (cutaneous
#: nerves and the afferent twins of mixed nerve points), ganglia, dorsal roots, the ascending
#: tract stations and the primary somatosensory cortex; for the face, the trigeminal nerve's
#: sensory points, ganglion and root (``cranial_afferent``). Motor code ignores them.
SENSORY_KINDS = frozenset(
    {"skin", "afferent", "dorsal_root_ganglion", "dorsal_root", "sensory_tract", "sensory_cortex", "cranial_afferent"}
)

#: The sensory modalities examined at the bedside.
MODALITIES = ("light_touch", "pin_prick", "temperature", "vibration", "joint_position")
#: The ascending tracts.
SENSORY_TRACTS = ("dorsal_columns", "spinothalamic")
#: Which tracts carry each modality: light touch travels in both (Blumenfeld 2021).
MODALITY_TRACTS = {
    "light_touch": ("dorsal_columns", "spinothalamic"),
    "pin_prick": ("spinothalamic",),
    "temperature": ("spinothalamic",),
    "vibration": ("dorsal_columns",),
    "joint_position": ("dorsal_columns",),
}
#: The values of the sensory rule ``dermatome_overlap_structures``: the structures of one
#: segment whose lesion leaves its skin to the neighbouring dermatomes' overlapping fibres, the
#: roots alone or every structure that carries that segment alone (:func:`neurograph.routes.segment_structures`).
DERMATOME_OVERLAP_STRUCTURES = ("roots", "one_segment_structures")
#: Where each tract's fibres cross to the other side: the dorsal columns in the medulla, the
#: spinothalamic fibres in the cord; the face's fibres of either system in the trigeminothalamic
#: decussation, from the principal and spinal trigeminal nuclei (Blumenfeld 2021).
CROSSING_STATIONS = {
    "dorsal_columns": ("internal_arcuate_fibres", "trigeminothalamic_decussation"),
    "spinothalamic": ("anterior_white_commissure", "trigeminothalamic_decussation"),
}
#: A sensory tract station's side against the body side whose fibres it carries.
LATERALITIES = ("ipsilateral", "crossing", "contralateral")
#: The primary somatosensory cortex areas, medial to lateral on Penfield's sensory homunculus
#: (the same area names as the motor areas).
SENSORY_AREAS = ("perineum", "leg_foot", "hip_thigh", "trunk", "neck", "shoulder", "arm", "hand", "face")
#: The onion-skin rings of the face (``trigeminal_zone`` of a face place and of the spinal
#: trigeminal nucleus level its pain and temperature fibres end in), lips first.
TRIGEMINAL_ZONES = ("inner", "middle", "outer")
#: The values of a skin place's ``view``: the view of the body in the anatomical position (palms
#: and feet forward) that shows it, the front, the back, or both (a medial or lateral side).
SKIN_VIEWS = ("front", "back", "both")

#: The kinds of the cranial motor system: the corticobulbar fibres, the cranial motor nuclei, the
#: points and branches of the cranial nerves, their muscles, the brainstem reflexes, and the
#: brainstem gaze system above the ocular motor nuclei (``gaze_pathway``: the horizontal gaze
#: centre and the stations of the medial longitudinal fasciculus), and the trigeminal nerve's
#: sensory points (``cranial_afferent``, a sensory kind too). The limb engine ignores them;
#: :mod:`neurograph.cranial` reads them.
CRANIAL_KINDS = frozenset({
    "corticobulbar_tract", "cranial_nucleus", "cranial_nerve", "cranial_muscle", "cranial_reflex", "gaze_pathway",
    "cranial_afferent",
})

#: Body regions whose muscles show no tone, tendon reflex, wasting or fasciculation at the
#: bedside: the extraocular muscles and the levator are examined by their movements alone
#: (ductions, versions, the lid's height; Blumenfeld2021; Ropper2019).
MOVEMENT_ONLY_REGIONS = frozenset({"eye"})
#: The ``tone`` of a muscle in :data:`MOVEMENT_ONLY_REGIONS`.
TONE_NOT_ASSESSABLE = "not_assessable"
#: What an eye muscle that lost its gaze drive (its nucleus and nerve intact) has, as the first
#: words of its finding's reason: the drive cut on its way from another nucleus (in the medial
#: longitudinal fasciculus), or at or above that nucleus (Blumenfeld2021; Fisher1967).
GAZE_LOSSES = ("internuclear ophthalmoplegia", "gaze palsy")

#: The brainstem and upper cord levels of the cranial nuclei and brainstem regions, rostral to caudal.
BRAINSTEM_LEVELS = (
    "midbrain_superior_colliculus", "midbrain_inferior_colliculus", "pons_rostral", "pons_mid", "pons_caudal",
    "medulla_rostral", "medulla_caudal", "C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8",
)

#: The supranuclear supply of a cranial muscle and the hemispheres whose corticobulbar fibres
#: the graph gives it, relative to the muscle's side. ``bilateral``: either hemisphere keeps the
#: muscle strong; ``mainly_*``: both, the main side first, the other's fibres carrying only a
#: share of the drive (edge attribute ``drive``, the ``minor_hemisphere_drive`` of the cranial
#: rules); ``sparse``, ``gaze_centres`` and ``reflex_only``: no direct corticobulbar route.
SUPRANUCLEAR_SUPPLIES = {
    "bilateral": ("ipsilateral", "contralateral"),
    "mainly_contralateral": ("contralateral", "ipsilateral"),
    "contralateral": ("contralateral",),
    "mainly_ipsilateral": ("ipsilateral", "contralateral"),
    "ipsilateral": ("ipsilateral",),
    "sparse": (),
    "gaze_centres": (),
    "reflex_only": (),
}



def relative_sides(relation: str, side: str) -> tuple[str, ...]:
    """The sides that stand in ``relation`` (``ipsilateral``, ``contralateral``, ``bilateral``) to ``side``.

    Examples
    --------
    >>> relative_sides("contralateral", "L"), relative_sides("bilateral", "R")
    (('R',), ('L', 'R'))
    """
    if relation == "ipsilateral":
        return (side,)
    if relation == "contralateral":
        return (opposite_side(side),)
    if relation == "bilateral":
        return SIDES
    raise InvalidValueError("side relation", relation, "ipsilateral, contralateral or bilateral")


_PERIPHERAL = ("ventral_ramus", "plexus_element", "nerve")

#: Allowed (source kind, target kind) pairs and the edge kind each pair has.
EDGE_KINDS = {
    ("cortical_area", "tract"): "corticospinal",
    ("tract", "tract"): "corticospinal",
    ("tract", "anterior_horn"): "synapse",
    ("anterior_horn", "ventral_root"): "motor_axon",
    ("ventral_root", "spinal_nerve"): "motor_axon",
    **{("spinal_nerve", kind): "motor_axon" for kind in _PERIPHERAL},
    **{(a, b): "motor_axon" for a in _PERIPHERAL for b in ("plexus_element", "nerve")},
    **{(kind, "muscle"): "innervates" for kind in _PERIPHERAL},
    ("muscle", "reflex"): "reflex_response",
    ("spinal_nerve", "dorsal_ramus"): "motor_axon",
    ("dorsal_ramus", "muscle"): "innervates",
    ("skin", "afferent"): "sensory_axon",
    ("afferent", "afferent"): "sensory_axon",
    ("afferent", "dorsal_root_ganglion"): "sensory_axon",
    ("dorsal_root_ganglion", "dorsal_root"): "sensory_axon",
    ("muscle", "afferent"): "spindle_afferent",
    ("dorsal_root", "sensory_tract"): "sensory_tract",
    ("sensory_tract", "sensory_tract"): "sensory_tract",
    ("sensory_tract", "sensory_cortex"): "sensory_tract",
    ("cortical_area", "corticobulbar_tract"): "corticobulbar",
    ("corticobulbar_tract", "corticobulbar_tract"): "corticobulbar",
    ("corticobulbar_tract", "cranial_nucleus"): "corticobulbar",
    ("cranial_nucleus", "cranial_nerve"): "cranial_motor_axon",
    ("cranial_nucleus", "cranial_nucleus"): "internuclear",
    ("cranial_nucleus", "gaze_pathway"): "internuclear",
    ("gaze_pathway", "gaze_pathway"): "internuclear",
    ("gaze_pathway", "cranial_nucleus"): "internuclear",
    ("cranial_nerve", "cranial_nerve"): "cranial_motor_axon",
    ("cranial_nerve", "cranial_muscle"): "cranial_innervates",
    ("cranial_muscle", "cranial_reflex"): "reflex_response",
    ("skin", "cranial_afferent"): "sensory_axon",
    ("cranial_afferent", "cranial_afferent"): "sensory_axon",
    ("cranial_afferent", "sensory_tract"): "sensory_tract",
}

#: The edge kinds of the cranial motor system.
CRANIAL_EDGE_KINDS = frozenset({"corticobulbar", "cranial_motor_axon", "cranial_innervates", "internuclear"})

#: The edge kinds of the sensory system; the signal runs towards the cord and the cortex.
SENSORY_EDGE_KINDS = frozenset({"sensory_axon", "spindle_afferent", "sensory_tract"})


def edge_kind_for(source_kind: str, target_kind: str) -> str | None:
    """Return the edge kind joining two node kinds, or ``None`` where no edge may join them.

    Examples
    --------
    >>> edge_kind_for("tract", "anterior_horn")
    'synapse'
    >>> edge_kind_for("muscle", "nerve") is None
    True
    """
    return EDGE_KINDS.get((source_kind, target_kind))


def opposite_side(side: str) -> str:
    """Return the other side code.

    Examples
    --------
    >>> opposite_side("L")
    'R'
    """
    return {"L": "R", "R": "L"}[side]


def side_text(sides: Iterable[str]) -> str:
    """Name one side or both: ``"left"``, ``"right"`` or ``"bilateral"``.

    Examples
    --------
    >>> side_text(("R",)), side_text(("L", "R"))
    ('right', 'bilateral')
    """
    return "bilateral" if len(set(sides)) == 2 else SIDE_NAMES[next(iter(sides))]


def check_phase(phase: str) -> str:
    """Return ``phase`` if it is one of :data:`PHASES`, else raise naming it.

    Raises
    ------
    InvalidValueError
        If ``phase`` is not ``"acute"`` or ``"chronic"``.

    Examples
    --------
    >>> check_phase("acute")
    'acute'
    """
    if phase not in PHASES:
        raise InvalidValueError("phase", phase, "'acute' or 'chronic'")
    return phase


def segment_index(segment: str) -> int:
    """Return the rostro-caudal position of a segment (C1 is 0, Co1 is 30).

    Raises
    ------
    InvalidValueError
        If ``segment`` is not a spinal cord segment name.

    Examples
    --------
    >>> segment_index("C7"), segment_index("T1"), segment_index("Co1")
    (6, 8, 30)
    """
    try:
        return _SEGMENT_INDEX[segment]
    except (KeyError, TypeError):
        raise InvalidValueError("segment", segment, "one of C1-C8, T1-T12, L1-L5, S1-S5, Co1") from None


_SEGMENT_TOKEN = re.compile(r"^(Co1|[CTLS]\d{1,2})$", re.IGNORECASE)


def _canonical_segment(token):
    token = token.strip()
    if not _SEGMENT_TOKEN.match(token):
        raise InvalidValueError("segment", token, "one of C1-C8, T1-T12, L1-L5, S1-S5, Co1")
    canonical = "Co1" if token.lower() == "co1" else token.upper()
    segment_index(canonical)
    return canonical


@functools.lru_cache(maxsize=4096)
def _parsed_segments(text):
    """:func:`parse_segments` of a string, kept: a graph repeats a few segment lists many times."""
    return parse_segments(text)


def parse_segments(text: str | None) -> tuple[str, ...]:
    """Parse a segment list such as ``"C5-C7|T1"`` into a tuple of segments, rostral first.

    Items are separated by ``|`` (or commas); an item may be a single segment or a range.

    Examples
    --------
    >>> parse_segments("C5-C7|T1")
    ('C5', 'C6', 'C7', 'T1')
    >>> parse_segments("T12-L2")
    ('T12', 'L1', 'L2')
    >>> parse_segments("")
    ()
    """
    found: set[str] = set()
    for item in re.split(r"[|,]", text or ""):
        item = item.strip()
        if not item:
            continue
        first, _, last = item.partition("-")
        start = segment_index(_canonical_segment(first))
        stop = segment_index(_canonical_segment(last)) if last else start
        if stop < start:
            raise InvalidValueError("segment range", item, "a range from rostral to caudal, such as C5-C7")
        found.update(SEGMENTS[start : stop + 1])
    return tuple(sorted(found, key=segment_index))


def format_segments(segments: Iterable[str]) -> str:
    """Join segments into the ``|``-separated form stored in the graph, rostral first.

    Examples
    --------
    >>> format_segments(["C6", "C5"])
    'C5|C6'
    """
    return "|".join(sorted(set(segments), key=segment_index))


def join_list(items: Iterable[str]) -> str:
    """Join items into a ``|``-separated attribute.

    Examples
    --------
    >>> join_list(["a", "b"])
    'a|b'
    """
    return "|".join(items)


# ---------------------------------------------------------------------------------------------
# Codecs: how each attribute that packs structure into a string is written and read.
#
# GraphML attributes are scalars, so lists and tables are stored as text. Each encoding has one
# encode/decode pair here; the build script writes with the encoders, the engine and the
# validator read with the decoders, and a decoder refuses what its encoder could not have
# written, with an InvalidValueError naming the attribute and the value.
# ---------------------------------------------------------------------------------------------

#: What ``reflex_kind`` may be.
REFLEX_KINDS = ("deep_tendon", "superficial", "plantar", "segmental")

#: What a named region (graph attribute ``regions``) may cover: a tract station, cord segments
#: of both sides, the ventral roots of a run of segments, the (dorsal and ventral) roots of a run,
#: or named structures (a brainstem region: the nuclei, fascicles and passing tracts it holds).
REGION_KINDS = ("station", "cord_segment", "ventral_root", "root", "structures")

#: How a reference marks a segment in ``segments_by_source``.
CONTRIBUTIONS = ("principal", "major", "minor")


def _refuse(attribute, value, expected):
    return InvalidValueError(f"{attribute} attribute", value, expected)


def _text(value, attribute):
    if not isinstance(value, str):
        raise _refuse(attribute, value, "a string")
    return value


def _items(text, separator, attribute):
    return tuple(item.strip() for item in _text(text, attribute).split(separator) if item.strip())


def _encoded_items(items, separator, attribute, forbidden=()):
    checked = []
    for item in items:
        if not isinstance(item, str) or not item.strip() or any(mark in item for mark in (separator, *forbidden)):
            raise _refuse(attribute, item, f"non-empty text without {' or '.join(repr(m) for m in (separator, *forbidden))}")
        checked.append(item.strip())
    return separator.join(checked)


def decode_list(text: object, attribute: str = "aliases") -> tuple[str, ...]:
    """Read a ``|``-separated list (``aliases``), dropping blank items.

    Raises
    ------
    InvalidValueError
        If ``text`` is not a string.

    Examples
    --------
    >>> decode_list("FDI|first dorsal interosseous|")
    ('FDI', 'first dorsal interosseous')
    >>> decode_list(7)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid aliases attribute 7: expected a string
    """
    if text == "":  # most nodes have no aliases: read as often as there are nodes
        return ()
    return _items(text, "|", attribute)


def encode_list(items: Iterable[str], attribute: str = "aliases") -> str:
    """Write items as a ``|``-separated list; an item may not be blank or contain ``|``.

    Examples
    --------
    >>> encode_list(["FDI", "first dorsal interosseous"])
    'FDI|first dorsal interosseous'
    """
    return _encoded_items(items, "|", attribute)


def decode_references(text: object, attribute: str = "reference") -> tuple[str, ...]:
    """Read ``;``-separated reference keys (``reference``, ``reference_priority``).

    Examples
    --------
    >>> decode_references("Gray42;Preston2020")
    ('Gray42', 'Preston2020')
    """
    return _items(text, ";", attribute)


def encode_references(keys: Iterable[str], attribute: str = "reference") -> str:
    """Write reference keys ``;``-separated; a key may not contain ``;``, ``=`` or ``|``.

    Examples
    --------
    >>> encode_references(["Gray42", "Preston2020"])
    'Gray42;Preston2020'
    """
    return _encoded_items(keys, ";", attribute, forbidden=("=", "|"))


def decode_segment(text: object, attribute: str = "segment") -> str:
    """Read a single segment (``segment``).

    Examples
    --------
    >>> decode_segment("C7")
    'C7'
    """
    segments = decode_segment_list(text, attribute)
    if len(segments) != 1:
        raise _refuse(attribute, text, "one segment, such as C7")
    return segments[0]


def decode_segment_list(text: object, attribute: str = "segments") -> tuple[str, ...]:
    """Read a segment list (``segments``, ``principal_segments``, ``disputed_segments``,
    ``afferent_segments``, ``efferent_segments``): ``|``-separated, rostral first.

    Examples
    --------
    >>> decode_segment_list("C6|C7|C8")
    ('C6', 'C7', 'C8')
    >>> decode_segment_list("C6|X9", "segments")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid segments attribute 'C6|X9': expected segments C1-C8, T1-T12, L1-L5, S1-S5, Co1 separated by '|'
    """
    try:
        return _parsed_segments(_text(text, attribute))
    except InvalidValueError:
        raise _refuse(attribute, text, "segments C1-C8, T1-T12, L1-L5, S1-S5, Co1 separated by '|'") from None


def encode_segment_list(segments: Iterable[str]) -> str:
    """Write segments ``|``-separated, rostral first, each once (see :func:`format_segments`).

    Examples
    --------
    >>> encode_segment_list(["C7", "C6"])
    'C6|C7'
    """
    return format_segments(segments)


def decode_segment_weights(text: object, attribute: str = "segment_weights") -> dict[str, float]:
    """Read ``segment_weights`` (``C6:0.5|C7:1``): each segment's share of a muscle's innervation.

    Every weight must be a finite number above 0; a segment may appear once.

    Examples
    --------
    >>> decode_segment_weights("C6:0.5|C7:1")
    {'C6': 0.5, 'C7': 1.0}
    >>> decode_segment_weights("C7:heavy")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid segment_weights attribute 'C7:heavy': expected segment:weight items separated by '|', each weight a number above 0
    """
    expected = "segment:weight items separated by '|', each weight a number above 0"
    weights: dict[str, float] = {}
    for item in _items(text, "|", attribute):
        name, _, number = item.partition(":")
        try:
            segment, weight = decode_segment(name, attribute), float(number)
        except ValueError:
            raise _refuse(attribute, text, expected) from None
        if not 0 < weight < float("inf") or segment in weights:
            raise _refuse(attribute, text, expected)
        weights[segment] = weight
    return dict(sorted(weights.items(), key=lambda pair: segment_index(pair[0])))


def encode_segment_weights(weights: Mapping[str, float]) -> str:
    """Write ``segment_weights`` from a mapping of segment to weight, rostral first.

    Examples
    --------
    >>> encode_segment_weights({"C7": 1.0, "C6": 0.5})
    'C6:0.5|C7:1'
    """
    return "|".join(f"{segment}:{weights[segment]:g}" for segment in sorted(weights, key=segment_index))


_MARKS = {"principal": "{}*", "major": "{}", "minor": "({})"}


def decode_segments_by_source(text: object, attribute: str = "segments_by_source") -> dict[str, dict[str, str]]:
    """Read ``segments_by_source``: every reference's segments for a muscle, ``*`` principal and
    parentheses minor (``MRC2010=C6,C7*,C8;Kendall2005=(C5),C6``).

    Returns
    -------
    dict
        Reference key to ``{segment: "principal" | "major" | "minor"}``, in the stored order.

    Examples
    --------
    >>> decode_segments_by_source("MRC2010=C6,C7*;Kendall2005=(C5),C6")
    {'MRC2010': {'C6': 'major', 'C7': 'principal'}, 'Kendall2005': {'C5': 'minor', 'C6': 'major'}}
    """
    expected = "reference=segment,... items separated by ';', a segment marked * (principal) or (minor)"
    found = {}
    for part in _items(text, ";", attribute):
        key, equals, listed = part.partition("=")
        key = key.strip()
        if not equals or not key or key in found:
            raise _refuse(attribute, text, expected)
        marks = {}
        for mark in (item.strip() for item in listed.split(",")):
            contribution = "principal" if mark.endswith("*") else "minor" if mark.startswith("(") and mark.endswith(")") else "major"
            segment = mark.rstrip("*").strip("()") if contribution != "major" else mark
            try:
                (segment,) = parse_segments(segment)
            except ValueError:
                raise _refuse(attribute, text, expected) from None
            if segment in marks:
                raise _refuse(attribute, text, expected)
            marks[segment] = contribution
        found[key] = marks
    return found


def encode_segments_by_source(per_source: Mapping[str, Mapping[str, str]]) -> str:
    """Write ``segments_by_source`` from reference key to ``{segment: contribution}``, keys in the
    given order, segments rostral first.

    Examples
    --------
    >>> encode_segments_by_source({"MRC2010": {"C7": "principal", "C6": "major"}, "Kendall2005": {"C5": "minor"}})
    'MRC2010=C6,C7*;Kendall2005=(C5)'
    """
    parts = []
    for key, marks in per_source.items():
        if marks and not set(marks.values()) <= set(CONTRIBUTIONS):
            raise _refuse("segments_by_source", marks, f"contributions among {', '.join(CONTRIBUTIONS)}")
        listed = ",".join(_MARKS[marks[segment]].format(segment) for segment in sorted(marks, key=segment_index))
        parts.append(f"{encode_references([key], 'segments_by_source')}={listed}")
    return ";".join(parts)


def decode_disputes(text: object, attribute: str = "branch_disputed_by") -> dict[str, tuple[str, ...]]:
    """Read a dispute attribute (``branch_disputed_by``, ``lamina_disputed_by``): what each
    dissenting reference finds, ``Key=finding, finding;Key2=finding``.

    Returns
    -------
    dict
        Reference key to a tuple of its findings, in the stored order.

    Examples
    --------
    >>> decode_disputes("Levi1996=unlaminated", "lamina_disputed_by")
    {'Levi1996': ('unlaminated',)}
    >>> decode_disputes("Colborn1993=deep branch (57%), superficial branch (32%)")
    {'Colborn1993': ('deep branch (57%)', 'superficial branch (32%)')}
    """
    found = {}
    for part in _items(text, ";", attribute):
        key, equals, findings = part.partition("=")
        key = key.strip()
        values = tuple(item.strip() for item in findings.split(",") if item.strip())
        if not equals or not key or key in found or not values:
            raise _refuse(attribute, text, "reference=finding, ... items separated by ';'")
        found[key] = values
    return found


def encode_disputes(per_source: Mapping[str, Iterable[str]], attribute: str = "branch_disputed_by") -> str:
    """Write a dispute attribute from reference key to its findings, keys in the given order; a
    finding may not contain ``;`` or ``,``.

    Examples
    --------
    >>> encode_disputes({"Levi1996": ["unlaminated"]}, "lamina_disputed_by")
    'Levi1996=unlaminated'
    """
    return ";".join(
        f"{encode_references([key], attribute)}={_encoded_items(findings, ', ', attribute, forbidden=(';', ','))}"
        for key, findings in per_source.items()
    )


def _json_object(text, attribute):
    import json

    try:
        value = json.loads(_text(text, attribute))
    except ValueError:
        raise _refuse(attribute, text, "a JSON object") from None
    if not isinstance(value, dict):
        raise _refuse(attribute, text, "a JSON object")
    return value


def _encode_json(value):
    import json

    return json.dumps(value, sort_keys=True)


def _checked_entries(text, attribute, fields, extra_check):
    table = _json_object(text, attribute)
    for name, entry in table.items():
        problem = None
        if not isinstance(entry, dict):
            problem = "is not an object"
        else:
            for field_name, check, wanted in fields:
                if not check(entry.get(field_name)):
                    problem = f"has {field_name} {entry.get(field_name)!r}, expected {wanted}"
                    break
            else:
                problem = extra_check(entry)
        if problem:
            raise _refuse(attribute, f"{name}: {entry!r}"[:200], f"{name!r} {problem}")
    return table


def decode_reference_table(text: object, attribute: str = "references") -> dict[str, str]:
    """Read the graph attribute ``references``: JSON, reference key to full citation.

    Examples
    --------
    >>> decode_reference_table('{"Gray42": "Gray\\'s Anatomy, 42nd edn."}')
    {'Gray42': "Gray's Anatomy, 42nd edn."}
    """
    table = _json_object(text, attribute)
    for key, citation in table.items():
        if not key.strip() or any(mark in key for mark in ";=|") or not isinstance(citation, str):
            raise _refuse(attribute, f"{key}: {citation!r}"[:200], "reference keys without ';', '=' or '|', each to a citation")
    return table


def encode_reference_table(table: Mapping[str, str]) -> str:
    """Write the graph attribute ``references`` (JSON, keys sorted).

    Examples
    --------
    >>> encode_reference_table({"Gray42": "Gray's Anatomy"})
    '{"Gray42": "Gray\\'s Anatomy"}'
    """
    return _encode_json(table)


_TEXT = (lambda value: isinstance(value, str) and bool(value.strip()), "non-empty text")
_TEXT_LIST = (lambda value: isinstance(value, list) and all(_TEXT[0](item) for item in value), "a list of names")
_NAMES = (lambda value: _TEXT_LIST[0](value) and bool(value), "a non-empty list of names")


def decode_muscle_groups(text: object, attribute: str = "muscle_groups") -> dict[str, dict[str, Any]]:
    """Read the graph attribute ``muscle_groups``: JSON, group id to ``label``, ``aliases``,
    ``members`` (muscle names, the part of a muscle's id after ``<side>.muscle.``) and ``reference``.

    Examples
    --------
    >>> groups = decode_muscle_groups('{"hamstrings": {"label": "hamstrings", "aliases": [], '
    ...     '"members": ["semitendinosus"], "reference": "Gray42"}}')
    >>> groups["hamstrings"]["members"]
    ['semitendinosus']
    >>> decode_muscle_groups('{"hamstrings": {"label": "hamstrings"}}')
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid muscle_groups attribute "hamstrings: {'label': 'hamstrings'}": expected 'hamstrings' has aliases None, expected a list of names
    """
    fields = (
        ("label", *_TEXT), ("aliases", *_TEXT_LIST), ("members", *_NAMES), ("reference", *_TEXT),
    )
    return _checked_entries(text, attribute, fields, lambda entry: None)


def encode_muscle_groups(groups: Mapping[str, Mapping[str, Any]]) -> str:
    """Write the graph attribute ``muscle_groups`` (JSON, keys sorted).

    Examples
    --------
    >>> encode_muscle_groups({"g": {"label": "g", "aliases": [], "members": ["m"], "reference": "R"}})
    '{"g": {"aliases": [], "label": "g", "members": ["m"], "reference": "R"}}'
    """
    return _encode_json(groups)


def _region_problem(entry):
    if entry["kind"] == "structures":
        nodes, laterality = entry.get("nodes"), entry.get("laterality")
        if not _NAMES[0](nodes) or laterality not in ("unilateral", "bilateral"):
            return (
                f"has nodes {nodes!r} and laterality {laterality!r}, expected a non-empty list of side-less node ids "
                "and 'unilateral' or 'bilateral'"
            )
        return None
    if entry["kind"] == "station":
        return None if _TEXT[0](entry.get("station")) else f"has station {entry.get('station')!r}, expected a station name"
    segments = entry.get("segments")
    if not _NAMES[0](segments) or any(segment not in _SEGMENT_INDEX for segment in segments):
        return f"has segments {segments!r}, expected a non-empty list of segments such as 'L2'"
    return None


def decode_regions(text: object, attribute: str = "regions") -> dict[str, dict[str, Any]]:
    """Read the graph attribute ``regions``: JSON, region id to ``label``, ``aliases``, ``kind``
    (one of :data:`REGION_KINDS`), ``reference``, and ``station`` (a station region),
    ``nodes`` and ``laterality`` (a ``structures`` region: side-less node ids, taken on the side
    named, or on both sides when ``bilateral``) or ``segments`` (the others).

    Examples
    --------
    >>> regions = decode_regions('{"conus_medullaris": {"label": "conus medullaris", "aliases": ["conus"], '
    ...     '"kind": "cord_segment", "segments": ["S2", "S3"], "reference": "Gray42"}}')
    >>> regions["conus_medullaris"]["segments"]
    ['S2', 'S3']
    >>> decode_regions("{not json")
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid regions attribute '{not json': expected a JSON object
    """
    kind = (lambda value: value in REGION_KINDS, f"one of {', '.join(REGION_KINDS)}")
    fields = (("label", *_TEXT), ("aliases", *_TEXT_LIST), ("kind", *kind), ("reference", *_TEXT))
    return _checked_entries(text, attribute, fields, _region_problem)


def encode_regions(regions: Mapping[str, Mapping[str, Any]]) -> str:
    """Write the graph attribute ``regions`` (JSON, keys sorted).

    Examples
    --------
    >>> encode_regions({"pons": {"label": "pons", "aliases": [], "kind": "station", "station": "basis_pontis", "reference": "Gray42"}})
    '{"pons": {"aliases": [], "kind": "station", "label": "pons", "reference": "Gray42", "station": "basis_pontis"}}'
    """
    return _encode_json(regions)


def decode_synonyms(text: object, attribute: str = "synonyms") -> dict[str, dict[str, Any]]:
    """Read the graph attribute ``synonyms``: JSON, a word of structure names to ``same_as``
    (the word it stands for, which the data's labels use) and, optionally, ``reference``.

    Each word and each ``same_as`` is one lower-case word (``normalize`` folds names to such
    words), and no ``same_as`` is itself a synonym, so one replacement reads every name.

    Examples
    --------
    >>> decode_synonyms('{"peroneal": {"same_as": "fibular", "reference": "TA1998"}}')["peroneal"]["same_as"]
    'fibular'
    >>> decode_synonyms('{"peroneal": {"same_as": "fibular nerve", "reference": "TA1998"}}')
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid synonyms attribute "peroneal: {'same_as': 'fibular nerve', 'reference': 'TA1998'}": expected 'peroneal' has same_as 'fibular nerve', expected one lower-case word
    """
    word = (lambda value: isinstance(value, str) and re.fullmatch(r"[0-9a-z\-]+", value) is not None, "one lower-case word")
    reference = (lambda value: value is None or _TEXT[0](value), "non-empty text, if given")
    table = _checked_entries(text, attribute, (("same_as", *word), ("reference", *reference)), lambda entry: None)
    for name, entry in table.items():
        if not word[0](name) or entry["same_as"] == name or entry["same_as"] in table:
            raise _refuse(attribute, f"{name}: {entry!r}"[:200], f"{name!r} a lower-case word standing for another word that is not itself a synonym")
    return table


def encode_synonyms(synonyms: Mapping[str, Mapping[str, Any]]) -> str:
    """Write the graph attribute ``synonyms`` (JSON, keys sorted).

    Examples
    --------
    >>> encode_synonyms({"volar": {"same_as": "palmar", "reference": "TA1998"}})
    '{"volar": {"reference": "TA1998", "same_as": "palmar"}}'
    """
    return _encode_json(synonyms)


def decode_sensory_rules(text: object, attribute: str = "sensory_rules") -> dict[str, dict[str, Any]]:
    """Read the graph attribute ``sensory_rules``: JSON, rule name to ``value`` (text) and
    ``reference`` (the rules of data/sources/sensory/rules.csv).

    Examples
    --------
    >>> decode_sensory_rules('{"grade_absent": {"value": "0", "reference": "ISNCSCI2019"}}')["grade_absent"]["value"]
    '0'
    """
    return _checked_entries(text, attribute, (("value", *_TEXT), ("reference", *_TEXT)), lambda entry: None)


def encode_sensory_rules(rules: Mapping[str, Mapping[str, Any]]) -> str:
    """Write the graph attribute ``sensory_rules`` (JSON, keys sorted).

    Examples
    --------
    >>> encode_sensory_rules({"grade_absent": {"value": "0", "reference": "ISNCSCI2019"}})
    '{"grade_absent": {"reference": "ISNCSCI2019", "value": "0"}}'
    """
    return _encode_json(rules)


@dataclass(frozen=True)
class Codec:
    """The encode/decode pair of one encoded attribute, and the stored form in words."""

    decode: Callable
    encode: Callable
    form: str


_SEGMENT_LIST = Codec(decode_segment_list, encode_segment_list, "segments separated by '|', rostral first: C5|C6")

#: The codec of every encoded node attribute.
NODE_CODECS = {
    "aliases": Codec(decode_list, encode_list, "names separated by '|'"),
    "reference": Codec(decode_references, encode_references, "reference keys separated by ';'"),
    **dict.fromkeys(
        ("segments", "principal_segments", "disputed_segments", "afferent_segments", "efferent_segments"), _SEGMENT_LIST
    ),
    "alternative_nerves": Codec(decode_list, encode_list, "node ids separated by '|'"),
    "segment_weights": Codec(decode_segment_weights, encode_segment_weights, "segment:weight separated by '|': C6:0.5|C7:1"),
    "segments_by_source": Codec(
        decode_segments_by_source, encode_segments_by_source, "Key=C6,C7*,(C8);Key2=...: * principal, () minor"
    ),
    **dict.fromkeys(
        (
            "branch_disputed_by", "lamina_disputed_by", "dermatome_disputed_by", "variation_reported_by",
            "supply_disputed_by", "supply_agreed_by",
        ),
        Codec(decode_disputes, encode_disputes, "Key=finding, finding;Key2=finding"),
    ),
}

def decode_drive(value: object, attribute: str = "drive") -> float:
    """Read a corticobulbar edge's ``drive``: the share of a nucleus's drive its fibres carry, above 0, at most 1.

    Examples
    --------
    >>> decode_drive("0.7")
    0.7
    >>> decode_drive(1.5)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidValueError: invalid drive attribute 1.5: expected a number above 0 and at most 1
    """
    share = float("nan")
    if isinstance(value, (int, float, str)) and not isinstance(value, bool):
        try:
            share = float(value)
        except ValueError:
            pass  # not a number: refused below
    if not 0 < share <= 1:
        raise _refuse(attribute, value, "a number above 0 and at most 1")
    return share


#: The codec of every encoded edge attribute.
EDGE_CODECS = {
    "segments": _SEGMENT_LIST, "reference": NODE_CODECS["reference"],
    "drive": Codec(decode_drive, float, "a number above 0 and at most 1: the share of the drive"),
}

#: The codec of every encoded graph attribute.
GRAPH_CODECS = {
    "references": Codec(decode_reference_table, encode_reference_table, "JSON: reference key to citation"),
    "reference_priority": Codec(decode_references, encode_references, "reference keys separated by ';', preferred first"),
    "muscle_groups": Codec(decode_muscle_groups, encode_muscle_groups, "JSON: group id to label, aliases, members, reference"),
    "regions": Codec(decode_regions, encode_regions, "JSON: region id to label, aliases, kind, station or segments, reference"),
    "synonyms": Codec(decode_synonyms, encode_synonyms, "JSON: a word of names to same_as (the word it stands for), reference"),
    "sensory_rules": Codec(decode_sensory_rules, encode_sensory_rules, "JSON: rule name to value and reference"),
    # The cranial rules (data/sources/cranial/rules.csv) take the sensory rules' form.
    "cranial_rules": Codec(decode_sensory_rules, encode_sensory_rules, "JSON: rule name to value and reference"),
}


def _decoded(data, codecs, owner):
    decoded = {}
    for name, value in data.items():
        codec = codecs.get(name)
        try:
            decoded[name] = codec.decode(value, name) if codec else value
        except InvalidValueError as error:
            raise InvalidValueError(f"{error.what} of {owner}", error.value, error.expected) from None
    return decoded


def node_attributes(G: nx.DiGraph, node: str) -> dict[str, Any]:
    """A node's attributes, each encoded one decoded by its codec (:data:`NODE_CODECS`).

    Raises
    ------
    InvalidValueError
        Naming the node and the attribute whose value cannot be decoded.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> triceps = node_attributes(G, "R.muscle.triceps_brachii")
    >>> triceps["segments"], triceps["segment_weights"]["C7"], triceps["aliases"]
    (('C6', 'C7', 'C8'), 1.0, ('triceps brachii', 'triceps'))
    >>> triceps["segments_by_source"]["MRC2010"]["C7"]
    'principal'
    """
    return _decoded(G.nodes[node], NODE_CODECS, f"node {node!r}")


def edge_attributes(G: nx.DiGraph, source: str, target: str) -> dict[str, Any]:
    """An edge's attributes, each encoded one decoded (:data:`EDGE_CODECS`).

    Examples
    --------
    >>> import neurograph
    >>> edge_attributes(neurograph.load_anatomy(), "R.bp.posterior_cord", "R.radial.axilla")["segments"]
    ('C5', 'C6', 'C7', 'C8', 'T1')
    """
    return _decoded(G.edges[source, target], EDGE_CODECS, f"edge {source!r} -> {target!r}")


def graph_attributes(G: nx.DiGraph) -> dict[str, Any]:
    """The graph's attributes, each encoded one decoded (:data:`GRAPH_CODECS`).

    Examples
    --------
    >>> import neurograph
    >>> info = graph_attributes(neurograph.load_anatomy())
    >>> info["reference_priority"][:2], info["regions"]["conus_medullaris"]["segments"][0]
    (('MRC2010', 'Kendall2005'), 'S2')
    """
    return _decoded(G.graph, GRAPH_CODECS, "the graph")
