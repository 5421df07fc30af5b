"""The vocabulary of the anatomy graph: node kinds, edge kinds, attributes and segments.

Everything that reads, writes, builds or checks an anatomy graph takes its names from here,
so that one table decides what a well-formed graph is. The clinical vocabulary that results
and findings share (phases, tones, reflex grades, plantar responses, side names) is defined
here too, once.
"""

from __future__ import annotations

import re

from neurograph.errors import InvalidValueError

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
    "split_list",
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
}

#: Attributes every node carries, whatever its kind.
COMMON_NODE_ATTRIBUTES = ("kind", "label", "reference")

#: The upper motor neuron kinds (cortex and its descending tract).
UMN_KINDS = frozenset({"cortical_area", "tract"})
#: The lower motor neuron kinds, from the anterior horn cell to the muscle.
LMN_KINDS = frozenset(
    {"anterior_horn", "ventral_root", "spinal_nerve", "ventral_ramus", "plexus_element", "nerve", "muscle"}
)

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
}


def edge_kind_for(source_kind, target_kind):
    """Return the edge kind joining two node kinds, or ``None`` where no edge may join them.

    Examples
    --------
    >>> edge_kind_for("tract", "anterior_horn")
    'synapse'
    >>> edge_kind_for("muscle", "nerve") is None
    True
    """
    return EDGE_KINDS.get((source_kind, target_kind))


def opposite_side(side):
    """Return the other side code.

    Examples
    --------
    >>> opposite_side("L")
    'R'
    """
    return {"L": "R", "R": "L"}[side]


def side_text(sides):
    """Name one side or both: ``"left"``, ``"right"`` or ``"bilateral"``.

    Examples
    --------
    >>> side_text(("R",)), side_text(("L", "R"))
    ('right', 'bilateral')
    """
    return "bilateral" if len(set(sides)) == 2 else SIDE_NAMES[next(iter(sides))]


def check_phase(phase):
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


def segment_index(segment):
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


def parse_segments(text):
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
    found = set()
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


def format_segments(segments):
    """Join segments into the ``|``-separated form stored in the graph, rostral first.

    Examples
    --------
    >>> format_segments(["C6", "C5"])
    'C5|C6'
    """
    return "|".join(sorted(set(segments), key=segment_index))


def split_list(text):
    """Split a ``|``-separated attribute into its items, dropping blanks.

    Examples
    --------
    >>> split_list("FDI|first dorsal interosseous|")
    ['FDI', 'first dorsal interosseous']
    """
    return [item.strip() for item in (text or "").split("|") if item.strip()]


def join_list(items):
    """Join items into a ``|``-separated attribute.

    Examples
    --------
    >>> join_list(["a", "b"])
    'a|b'
    """
    return "|".join(items)
