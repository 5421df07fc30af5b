"""From the names clinicians use to the nodes of the anatomy graph.

A name may be a node id (``R.radial.spiral_groove``), a label or alias with side words
("right radial nerve at the spiral groove", "FDI, left", "bilateral C7 root"), or a region that
holds many nodes: a cord segment ("C7"), one half of it ("left half of T10"), a run of segments
("C5-C7"), a tract station ("left internal capsule"), a whole nerve ("left radial nerve"), a
plexus ("right brachial plexus"), the motor cortex of one side, the conus medullaris or the
cauda equina. Matching ignores case, punctuation and the articles "the", "a" and "an" ("upper
trunk of brachial plexus" names the upper trunk of the brachial plexus), and reads a word the
anatomy declares a synonym as the word it stands for (graph attribute ``synonyms``: "peroneal"
for "fibular"). An unknown name raises :class:`~neurograph.errors.UnknownNameError` listing the
closest names.

:func:`find` ranks the names it returns in four tiers: names equal to the query, names holding
every word of the query, names holding the query as text (a word begun), then close matches
(misspellings). A close match is a name whose text is at least ``FUZZY_CUTOFF`` similar to the
query's (:class:`difflib.SequenceMatcher` ratio), or a name holding every word of the query once
each unknown word is read as a known word at least that similar; a known word is never read as
another, so "peroneal" finds the fibular nerves and neither "perineal" nor "pudendal".
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from neurograph.errors import AmbiguousSideError, InvalidValueError, UnknownNameError
from neurograph.cache import derived
from neurograph.schema import (
    SIDES,
    decode_list,
    decode_muscle_groups,
    decode_regions,
    decode_synonyms,
    parse_segments,
    segment_index,
    side_text,
)

if TYPE_CHECKING:
    import networkx as nx

#: Node ids by side code ("L", "R").
BySide = dict[str, set[str]]

__all__ = [
    "Site", "resolve_site", "resolve_muscles", "resolve_node", "find", "atlas_sites", "match_key", "with_twins", "ARTICLES",
    "FUZZY_CUTOFF", "AmbiguousSideError", "make_lesion", "LesionSpec", "SiteSpec",
]

#: Words that names are matched without.
ARTICLES = frozenset({"the", "a", "an"})
#: How similar a misspelt query (or word of it) must be to a name (or word) for :func:`find` to
#: offer it: a :class:`difflib.SequenceMatcher` ratio. One wrong letter in a word of eight
#: ("peroneel") passes; "peroneal" and "perineal", both known words, are never confused.
FUZZY_CUTOFF = 0.8

_SIDE_WORDS = {
    "left": ("L",), "l": ("L",), "lt": ("L",), "sinistral": ("L",),
    "right": ("R",), "r": ("R",), "rt": ("R",),
    "bilateral": SIDES, "both": SIDES, "bilaterally": SIDES, "both sides": SIDES, "b l": SIDES,
}
_SIDE_PHRASE = "|".join(sorted((re.escape(word) for word in _SIDE_WORDS), key=len, reverse=True))
_LEADING_SIDE = re.compile(rf"^(?:on the |the )?({_SIDE_PHRASE})(?: side)?(?: of)?(?: the)? (.+)$")
_TRAILING_SIDE = re.compile(rf"^(.+?) (?:on (?:the )?|of (?:the )?)?({_SIDE_PHRASE})(?: side)?$")
_HALF = re.compile(r"^(?:half of (?:the )?(?:cord at )?|hemicord (?:at )?|hemisection (?:at |of )?)(.+)$|^(.+?) (?:half|hemicord|hemisection)$")
_SEGMENT_WORDS = re.compile(r"^(?:the )?(?:spinal )?(?:cord )?(?:segments? )?(?:at )?(.+?)(?: spinal)?(?: cord)?(?: segments?)?(?: level)?$")


@dataclass(frozen=True)
class Site:
    """A place a lesion can be put: a node or a region of nodes, with a severity.

    Attributes
    ----------
    name : str
        The name as the user gave it.
    label : str
        What it resolved to, in words.
    nodes : frozenset of str
        The node ids it covers.
    severity : float
        How complete the damage is, 0 < severity <= 1.
    """

    name: str
    label: str
    nodes: frozenset[str] = field(repr=False)
    severity: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.severity, (int, float)) or not 0 < self.severity <= 1:
            raise InvalidValueError("severity", self.severity, "a number with 0 < severity <= 1")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict."""
        return {"name": self.name, "label": self.label, "severity": self.severity, "nodes": sorted(self.nodes)}


def match_key(text: object, synonyms: Mapping[str, str] | None = None) -> str:
    """Fold a name to the form names are matched in: :func:`normalize`, without articles,
    each word a synonym stands for (``synonyms``: word to the word it means) replaced by it.

    Examples
    --------
    >>> match_key("Upper trunk of the Brachial Plexus")
    'upper trunk of brachial plexus'
    >>> match_key("deep peroneal nerve", {"peroneal": "fibular"})
    'deep fibular nerve'
    """
    return _loose(normalize(text), synonyms or {})


def _loose(folded: str, synonyms: Mapping[str, str]) -> str:
    """:func:`match_key` of a text already folded by :func:`normalize` (folding it again changes nothing)."""
    return " ".join(synonyms.get(word, word) for word in folded.split() if word not in ARTICLES)


def normalize(text: object) -> str:
    """Fold a name for matching: lower case, no apostrophes, punctuation to spaces.

    Examples
    --------
    >>> normalize("Guyon's  canal, LEFT")
    'guyons canal left'
    """
    return _folded(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _folded(text: str) -> str:
    # Kept across graph states: the name index is rebuilt after every edit of a graph, and a
    # copy or an edit of an anatomy repeats nearly all of its names.
    text = text.casefold().replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^0-9a-z\-]+", " ", text.replace("_", " "))
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split())


#: A label's side, which its names drop ("radial nerve at the spiral groove (right)").
_SIDE_SUFFIX = re.compile(r" \((left|right)\)$")


def _fold_all(texts: list[str]) -> list[str]:
    """:func:`normalize` of every text, folded in one pass over them all.

    The name index folds every name of every node (a graph of many nodes would otherwise spend
    most of its indexing in one regular-expression call per name). Texts are joined by line
    breaks, which folding keeps apart; a text holding a line break of its own is folded alone.
    """
    joined = "\n".join(texts)
    if joined.count("\n") != max(len(texts) - 1, 0):
        return [_folded(text) for text in texts]
    text = joined.casefold().replace("'", "").replace("\u2019", "")
    text = re.sub(r"[^0-9a-z\-\n]+", " ", text.replace("_", " "))
    text = re.sub(r" *- *", "-", text)
    text = re.sub(r" *\n *", "\n", text)
    return text.strip(" ").split("\n") if texts else []


@dataclass(frozen=True)
class _Entry:
    """What a folded name stands for: per side, a set of nodes; ``default_sides`` if none is said."""

    label: str
    by_side: BySide
    default_sides: tuple[str, ...] = ()


class _NameIndex:
    """Every name the resolver knows for one graph."""

    def __init__(self, G: nx.DiGraph) -> None:
        self.entries: dict[str, _Entry] = {}
        self.muscle_entries: dict[str, _Entry] = {}
        self.display_names: set[str] = set()
        self.synonyms = {word: entry["same_as"] for word, entry in decode_synonyms(G.graph.get("synonyms", "{}")).items()}
        #: Each mixed structure's afferent twin: a lesion of the structure takes both.
        self.twins = {
            data["structure"]: node for node, data in G.nodes(data=True) if data["kind"] in ("afferent", "cranial_afferent") and data.get("structure")
        }
        self._add_nodes(G)
        self._add_regions(G)
        self._add_groups(G)

    # The tables below are made on first use: a name given exactly needs none of them, and
    # making them costs several passes over every name of the anatomy.

    @functools.cached_property
    def loose_entries(self) -> dict[str, list[str]]:
        """The keys of ``entries`` by their match key (articles dropped, synonyms read)."""
        return self._by_match_key(self.entries)

    @functools.cached_property
    def loose_muscle_entries(self) -> dict[str, list[str]]:
        """The keys of ``muscle_entries`` by their match key."""
        return self._by_match_key(self.muscle_entries)

    @functools.cached_property
    def find_names(self) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
        """Every name ``find`` lists: its match key, that key's words, and its own words (no synonym read)."""
        return {
            name: (key, frozenset(key.split()), frozenset(match_key(name).split()))
            for name in self.names()
            for key in [match_key(name, self.synonyms)]
        }

    @functools.cached_property
    def vocabulary(self) -> frozenset[str]:
        """Every word of every name, as written and as synonyms read it."""
        return frozenset().union(*(words | own for _, words, own in self.find_names.values()))

    def _by_match_key(self, table: Mapping[str, _Entry]) -> dict[str, list[str]]:
        loose: dict[str, list[str]] = {}
        for key in sorted(table):  # every key is folded already
            loose.setdefault(_loose(key, self.synonyms), []).append(key)
        return loose

    def key_for(self, name: str, text: str, muscles_only: bool) -> str | None:
        """The key a folded name ``text`` stands for, matched exactly or loosely, or ``None``.

        Raises :class:`UnknownNameError` naming ``name`` when ``text`` matches loosely keys that
        stand for different structures.
        """
        table = self.muscle_entries if muscles_only else self.entries
        if text in table:
            return text
        keys = (self.loose_muscle_entries if muscles_only else self.loose_entries).get(match_key(text, self.synonyms), ())
        meanings = {(_frozen(table[key].by_side), table[key].default_sides) for key in keys}
        if len(meanings) > 1:
            raise UnknownNameError(name, keys)
        return keys[0] if keys else None

    def _put(
        self, table: dict[str, _Entry], name: str, label: str, by_side: BySide, default_sides: tuple[str, ...] = ()
    ) -> None:
        key = normalize(name)
        if key and key not in table:
            table[key] = _Entry(label, by_side, default_sides)
            self.display_names.add(key)

    def _add_nodes(self, G: nx.DiGraph) -> None:
        named = []  # per node: the node, its side, whether a muscle, its label, and how many of ``names`` are its own
        names: list[str] = []  # every node's names, then the side-less parts of their ids
        id_names: list[str] = []
        for node, data in G.nodes(data=True):
            if data.get("structure") or (data["kind"] == "sensory_tract" and data.get("segment")):
                # An afferent twin is named by its structure (a site takes both); the ascending
                # cord channels by their station at a level ("dorsal columns at C5") or their id.
                continue
            label = data["label"]
            base = _SIDE_SUFFIX.sub("", label) if label.endswith((")", ")\n")) else label
            own = [base, *decode_list(data.get("aliases", ""))]
            names += own
            # The side-less part of an id ("radial.spiral_groove", "rhomboids") works like a name.
            id_names.append(node.partition(".")[2])
            muscle_or_reflex = data["kind"] in ("muscle", "reflex")
            if muscle_or_reflex:
                id_names.append(node.split(".", 2)[2])
            named.append((node, data["side"], data["kind"] == "muscle", base, len(own), 2 if muscle_or_reflex else 1))
        keys = iter(_fold_all(names))
        id_keys = iter(_fold_all(id_names))
        entries, muscle_entries, display_names = self.entries, self.muscle_entries, self.display_names
        pools_in_horn = _pools_in_anterior_horns(G)
        for node, side, muscle, base, own_count, id_count in named:
            for _ in range(own_count):
                key = next(keys)
                display_names.add(key)
                entry = entries.get(key) or entries.setdefault(key, _Entry(base, {}))
                entry.by_side.setdefault(side, set()).add(node)
                if node in pools_in_horn:
                    entry.by_side[side] |= pools_in_horn[node]
                if muscle:
                    muscle_entry = muscle_entries.get(key) or muscle_entries.setdefault(key, _Entry(base, {}))
                    muscle_entry.by_side.setdefault(side, set()).add(node)
            for _ in range(id_count):
                key = next(id_keys)
                entry = entries.get(key) or entries.setdefault(key, _Entry(base, {}))
                entry.by_side.setdefault(side, set()).add(node)
                if muscle:
                    muscle_entry = muscle_entries.get(key) or muscle_entries.setdefault(key, _Entry(base, {}))
                    muscle_entry.by_side.setdefault(side, set()).add(node)

    def _add_regions(self, G: nx.DiGraph) -> None:
        by: dict[tuple[str, ...], BySide] = {}
        for node, data in G.nodes(data=True):
            kind, side = data["kind"], data["side"]
            # A node with a cord station lies in its segment's part of the cord (the spinal
            # accessory nucleus's segment parts, the upper cord's trigeminal stations).
            if (kind in ("anterior_horn", "tract", "sensory_tract") or data.get("cord_station")) and data.get("segment"):
                by.setdefault(("segment", data["segment"]), {}).setdefault(side, set()).add(node)
            if kind == "ventral_root":
                by.setdefault(("ventral_root", data["segment"]), {}).setdefault(side, set()).add(node)
            if kind in ("ventral_root", "dorsal_root"):
                by.setdefault(("root", data["segment"]), {}).setdefault(side, set()).add(node)
            if kind in ("tract", "sensory_tract", "corticobulbar_tract"):
                by.setdefault(("station", data["station"]), {}).setdefault(side, set()).add(node)
            if kind == "cranial_nerve":
                by.setdefault(("cranial_nerve", data["cranial_nerve"]), {}).setdefault(side, set()).add(node)
            if kind in ("cortical_area", "sensory_cortex"):
                by.setdefault((kind,), {}).setdefault(side, set()).add(node)
            if data.get("nerve"):
                by.setdefault(("nerve", data["nerve"]), {}).setdefault(side, set()).add(node)
            if data.get("plexus") and kind in ("ventral_ramus", "plexus_element"):
                by.setdefault(("plexus", data["plexus"]), {}).setdefault(side, set()).add(node)
        self.segment_nodes = {key[1]: value for key, value in by.items() if key[0] == "segment"}
        #: The clinical root of a segment (dorsal and ventral roots), and the ventral root alone.
        self.root_nodes = {key[1]: value for key, value in by.items() if key[0] == "root"}
        self.ventral_root_nodes = {key[1]: value for key, value in by.items() if key[0] == "ventral_root"}
        self.station_nodes = {key[1]: value for key, value in by.items() if key[0] == "station"}
        for name in ("motor cortex", "primary motor cortex", "M1", "precentral gyrus", "cortex"):
            self._put(self.entries, name, "primary motor cortex", by.get(("cortical_area",), {}))
        # Not "S1": that names the first sacral segment.
        for name in ("somatosensory cortex", "primary somatosensory cortex", "sensory cortex", "postcentral gyrus"):
            self._put(self.entries, name, "primary somatosensory cortex", by.get(("sensory_cortex",), {}))
        for (what, *rest), by_side in by.items():
            if what == "root" and any(len(nodes) > 1 for nodes in by_side.values()):
                segment = rest[0]
                for name in (f"{segment} root", f"{segment} nerve root", f"{segment} radiculopathy", f"{segment} roots"):
                    self._put(self.entries, name, f"{segment} root (dorsal and ventral)", by_side)
            if what == "nerve":
                words = rest[0].replace("_", " ")
                self._put(self.entries, f"{words} nerve", f"{words} nerve", by_side)
                self._put(self.entries, words, f"{words} nerve", by_side)
            elif what == "plexus":
                self._put(self.entries, f"{rest[0]} plexus", f"{rest[0]} plexus", by_side)
            elif what == "cranial_nerve":
                numeral = rest[0]
                for name in (f"CN {numeral}", f"cranial nerve {numeral}", f"CN {_ARABIC[numeral]}", f"cranial nerve {_ARABIC[numeral]}"):
                    self._put(self.entries, name, f"cranial nerve {numeral}", by_side)
        regions = decode_regions(G.graph.get("regions", "{}"))
        for region in regions.values():
            default: tuple[str, ...]
            if region["kind"] == "station":
                by_side = by.get(("station", region["station"]), {})
                default = ()
            elif region["kind"] == "structures":
                by_side = {
                    side: {f"{side}.{node}" for node in region["nodes"] if f"{side}.{node}" in G} for side in SIDES
                }
                default = SIDES if region["laterality"] == "bilateral" else ()
            else:
                source = {"cord_segment": self.segment_nodes, "root": self.root_nodes}.get(region["kind"], self.ventral_root_nodes)
                by_side = {}
                for segment in region["segments"]:
                    for side, nodes in source.get(segment, {}).items():
                        by_side.setdefault(side, set()).update(nodes)
                default = SIDES
            for name in [region["label"]] + region["aliases"]:
                self._put(self.entries, name, region["label"], by_side, default)
            if region["kind"] == "station":
                self._put_motor_fibres(G, region, by_side)

    def _put_motor_fibres(self, G: nx.DiGraph, region: dict[str, Any], by_side: BySide) -> None:
        """A station that carries the ascending sensory fibres beside the descending motor ones
        (the posterior limb of the internal capsule, the corona radiata) also names its motor
        fibres alone: a small lesion among them gives a pure motor stroke, the thalamocortical
        sensory radiation running behind the corticospinal fibres in the posterior limb
        (Fisher and Curry 1965; Blumenfeld 2021)."""
        motor = {side: {node for node in nodes if G.nodes[node]["kind"] != "sensory_tract"} for side, nodes in by_side.items()}
        if all(motor[side] == nodes for side, nodes in by_side.items()) or not any(motor.values()):
            return
        label = f"{region['label']}, motor fibres"
        for name in [label, *(f"{alias} motor fibres" for alias in region["aliases"])]:
            self._put(self.entries, name, label, motor)

    def _add_groups(self, G: nx.DiGraph) -> None:
        groups = decode_muscle_groups(G.graph.get("muscle_groups", "{}"))
        muscles_by_name: dict[str, dict[str, str]] = {}
        for node, data in G.nodes(data=True):
            if data["kind"] == "muscle":
                muscles_by_name.setdefault(node.partition(".")[2].partition(".")[2], {})[data["side"]] = node
        for group_id, group in groups.items():
            by_side = {
                side: {muscles_by_name[member][side] for member in group["members"]} for side in SIDES
            }
            for name in [group_id, group["label"]] + group["aliases"]:
                self._put(self.muscle_entries, name, group["label"], by_side)

    def names(self, muscles_only: bool = False) -> list[str]:
        table = self.muscle_entries if muscles_only else self.entries
        return sorted(self.display_names & set(table))


def _pools_in_anterior_horns(G: nx.DiGraph) -> dict[str, set[str]]:
    """Per anterior horn node, the other motor pools lying in it: the parts of a cranial nucleus in
    the cord whose ``cord_station`` is the anterior horn of the same side and segment (the spinal
    accessory nucleus at C1-C5). The anterior horn of a segment is every motor pool there, so its
    names name them too; the node's id names it alone."""
    horns = {(data["side"], data["segment"]): node for node, data in G.nodes(data=True) if data["kind"] == "anterior_horn"}
    found: dict[str, set[str]] = {}
    for node, data in G.nodes(data=True):
        horn = horns.get((data["side"], data.get("segment"))) if data.get("cord_station") == "anterior_horn" else None
        if horn is not None:
            found.setdefault(horn, set()).add(node)
    return found


def _frozen(by_side: BySide) -> frozenset[tuple[str, frozenset[str]]]:
    return frozenset((side, frozenset(nodes)) for side, nodes in by_side.items())


def _index(G: nx.DiGraph) -> _NameIndex:
    return derived(G, _NameIndex)


def _split_side(text: str) -> tuple[tuple[str, ...] | None, str]:
    """Return (sides or None, remainder): side words may lead or trail the name.

    "left half of T10", "T10, left" and "left T10" all name the left half of T10.
    """
    for pattern, side_group, rest_group in ((_LEADING_SIDE, 1, 2), (_TRAILING_SIDE, 2, 1)):
        match = pattern.match(text)
        if match:
            rest = match.group(rest_group)
            half = _HALF.match(rest)
            if half:
                rest = half.group(1) or half.group(2)
            return _SIDE_WORDS[match.group(side_group)], rest
    return None, text


def _segment_region(index: _NameIndex, text: str) -> _Entry | None:
    """A cord segment or run of segments named as "C7", "C5-C7", "T10 segment", "cord at L1"."""
    match = _SEGMENT_WORDS.match(text)
    candidate = match.group(1) if match else text
    candidate = re.sub(r"\s+to\s+", "-", candidate).replace(" ", "")
    if not re.fullmatch(r"(co1|[ctls]\d{1,2})(-(co1|[ctls]\d{1,2}))?", candidate):
        return None
    try:
        segments = parse_segments(candidate)
    except InvalidValueError:
        return None
    by_side: BySide = {}
    for segment in segments:
        for side, nodes in index.segment_nodes.get(segment, {}).items():
            by_side.setdefault(side, set()).update(nodes)
    plural = "s" if len(segments) > 1 else ""
    return _Entry(f"{segment_range_label(segments)} cord segment{plural}", by_side, SIDES)


#: The cranial nerves' numbers, for "CN 7" as well as "CN VII".
_ARABIC = {
    numeral: str(number) for number, numeral in enumerate(
        ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"), start=1
    )
}

_AT_LEVEL = re.compile(r"^(.+?) (?:at|from|over|in) (.+)$")
# The connecting word may be left out when the level is a segment or a run of them: "dorsal
# columns C5", "anterior white commissure C4-C8".
# A segmental structure named with its segment last: "ventral root of C7" for "C7 ventral root".
_OF_SEGMENT = re.compile(r"^(.+?) of ((?:co1|[ctls]\d{1,2}))$")
_BARE_LEVEL = re.compile(r"^(.+?) ((?:co1|[ctls]\d{1,2})(?: ?- ?(?:co1|[ctls]\d{1,2}))?)$")


def _station_at_level(index: _NameIndex, text: str) -> _Entry | None:
    """A tract station over a segment or run: "dorsal columns at C5", "anterior white commissure over C4-C6"."""
    match = _AT_LEVEL.match(text) or _BARE_LEVEL.match(text)
    if not match:
        return None
    key = index.key_for(text, match.group(1), False)
    level = _segment_region(index, match.group(2))
    if key is None or level is None:
        return None
    entry = index.entries[key]
    segments = set(re.findall(r"(?:co1|[ctls]\d{1,2})", match.group(2)))
    wanted = level.by_side
    by_side = {
        side: {node for node in nodes if node in wanted.get(side, ())}
        for side, nodes in entry.by_side.items()
    }
    by_side = {side: nodes for side, nodes in by_side.items() if nodes}
    if not by_side or not segments:
        return None
    return _Entry(f"{entry.label} at {level.label.split(' cord segment')[0]}", by_side, SIDES)


def _lookup(G: nx.DiGraph, name: str, muscles_only: bool) -> tuple[_Entry, tuple[str, ...] | None]:
    if not isinstance(name, str) or not name.strip():
        raise InvalidValueError("structure name", name, "a non-empty string")
    index = _index(G)
    if name in G and (not muscles_only or G.nodes[name]["kind"] == "muscle"):
        side = G.nodes[name]["side"]
        return _Entry(G.nodes[name]["label"], {side: {name}}), (side,)
    table = index.muscle_entries if muscles_only else index.entries
    text = normalize(name)
    sides, rest = _split_side(text)
    # A name that holds a side word of its own ("bilateral ventral pons") is read whole.
    for candidate in (text, rest) if sides and text in table else (rest, text) if sides else (text,):
        key = index.key_for(name, candidate, muscles_only)
        segment_last = _OF_SEGMENT.match(candidate)
        if key is None and segment_last:
            key = index.key_for(name, f"{segment_last.group(2)} {segment_last.group(1)}", muscles_only)
        entry = table[key] if key is not None else None
        if entry is None and not muscles_only:
            entry = _segment_region(index, candidate) or _station_at_level(index, candidate)
        if entry is not None:
            return entry, sides if candidate == rest else None
    choices = index.names(muscles_only)
    suggestions = difflib.get_close_matches(rest, choices, n=5, cutoff=0.6)
    raise UnknownNameError(name, suggestions)


def _pick_sides(name: str, entry: _Entry, sides: tuple[str, ...] | None) -> tuple[str, ...]:
    if sides is None:
        sides = entry.default_sides or (tuple(entry.by_side) if len(entry.by_side) == 1 else None)
    if sides is None:
        raise AmbiguousSideError(name)
    return tuple(side for side in SIDES if side in sides)


def resolve_site(G: nx.DiGraph, name: str, severity: float = 1.0) -> Site:
    """Resolve a name to a lesion :class:`Site`.

    Parameters
    ----------
    G : networkx.DiGraph
        The anatomy.
    name : str
        A node id, label, alias or region, with side words where the structure has a side.
        Cord segments, runs of segments, the conus and the cauda equina default to both sides.
    severity : float, optional
        0 < severity <= 1 (default 1, complete).

    Raises
    ------
    UnknownNameError
        If nothing matches; the error lists the closest names.
    AmbiguousSideError
        If a one-sided structure is named without a side.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> sorted(resolve_site(G, "right radial nerve at the spiral groove").nodes)
    ['R.aff.radial.spiral_groove', 'R.radial.spiral_groove']
    >>> sorted(resolve_site(G, "left C6 root").nodes)
    ['L.droot.C6', 'L.vroot.C6']
    >>> site = resolve_site(G, "left half of T10")
    >>> site.label, sorted({G.nodes[n]['side'] for n in site.nodes})
    ('T10 cord segment, left', ['L'])
    >>> resolve_site(G, "C7").label
    'C7 cord segment, bilateral'
    """
    entry, sides = _lookup(G, name, muscles_only=False)
    chosen = _pick_sides(name, entry, sides)
    nodes = set()
    for side in chosen:
        nodes |= entry.by_side.get(side, set())
    if not nodes:
        raise UnknownNameError(name, ())
    if len(nodes) == 1:
        label = G.nodes[next(iter(nodes))]["label"]
    else:
        label = f"{entry.label}, {side_text(chosen)}"
    return Site(name=name, label=label, nodes=with_twins(G, nodes), severity=severity)


def with_twins(G: nx.DiGraph, nodes: Iterable[str]) -> frozenset[str]:
    """``nodes`` and the afferent twin of each mixed structure among them, as a frozenset.

    A nerve point carries motor fibres away from the cord and sensory fibres towards it; the
    graph keeps them as two nodes (the structure and its afferent twin) so that it stays a DAG,
    and a lesion of the structure takes both.

    Examples
    --------
    >>> import neurograph
    >>> sorted(with_twins(neurograph.load_anatomy(), {"R.radial.spiral_groove"}))
    ['R.aff.radial.spiral_groove', 'R.radial.spiral_groove']
    """
    return _twinned(_index(G).twins, nodes)


def _twinned(twins: Mapping[str, str], nodes: Iterable[str]) -> frozenset[str]:
    nodes = frozenset(nodes)
    return nodes | {twins[node] for node in nodes if node in twins}


def resolve_muscles(G: nx.DiGraph, name: str, sided: bool = False) -> tuple[str, ...]:
    """Resolve a muscle or muscle-group name to its muscle node ids.

    A name without a side gives both sides, unless ``sided`` is true.

    Parameters
    ----------
    G : networkx.DiGraph
    name : str
        A muscle's or muscle group's node id, name or alias, with side words or without.
    sided : bool, optional
        Require the name to say its side ("left", "right", "bilateral") or to be a node id.

    Raises
    ------
    UnknownNameError
        If no muscle or muscle group has the name.
    AmbiguousSideError
        If ``sided`` and the name says no side.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> resolve_muscles(G, "left FDI")
    ('L.muscle.first_dorsal_interosseous',)
    >>> len(resolve_muscles(G, "right hamstrings")) >= 3
    True
    """
    entry, sides = _lookup(G, name, muscles_only=True)
    if sided and sides is None:
        raise AmbiguousSideError(name)
    chosen = sides or tuple(entry.by_side)
    nodes = set()
    for side in chosen:
        nodes |= entry.by_side.get(side, set())
    return tuple(sorted(nodes))


def resolve_node(G: nx.DiGraph, name: str) -> str:
    """Resolve a name that must stand for exactly one node.

    Examples
    --------
    >>> import neurograph
    >>> resolve_node(neurograph.load_anatomy(), "left hand area")
    'L.m1.hand'
    """
    site = resolve_site(G, name)
    if len(site.nodes) != 1:
        raise InvalidValueError("single structure", name, f"one node, but it names {len(site.nodes)} ({site.label})")
    return next(iter(site.nodes))


def find(G: nx.DiGraph, query: str, limit: int = 20) -> list[tuple[str, str]]:
    """Search structure names, best first: exact names, aliases and synonyms, then names holding
    the query, then close matches.

    Names are compared as :func:`match_key` folds them (no case, punctuation or articles,
    synonyms read as the word they stand for), and ranked in four tiers (see the module
    docstring): equal to the query; holding every word of the query; holding the query as
    text; close matches at or above ``FUZZY_CUTOFF``. Within a tier, names that hold the query's
    own words come before those that match only through a synonym, then shorter names first.

    Parameters
    ----------
    G : networkx.DiGraph
    query : str
    limit : int, optional
        The most names to return (default 20).

    Returns
    -------
    list of (str, str)
        ``(name, what it resolves to)`` pairs, best first.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> find(G, "spiral groove")[0]
    ('radial nerve at the spiral groove', 'radial nerve at the spiral groove')
    >>> find(G, "upper trunk of brachial plexus")[0]
    ('upper trunk of the brachial plexus', 'upper trunk of the brachial plexus')
    """
    if not isinstance(query, str) or not normalize(query):
        raise InvalidValueError("search text", query, "a non-empty string")
    index = _index(G)
    key = match_key(query, index.synonyms)
    words = set(key.split())
    own_words = set(match_key(query).split())
    # Each word of the query as written, or the known words close to it when it is not known.
    written = [
        {word} if word in index.vocabulary else set(difflib.get_close_matches(word, index.vocabulary, n=3, cutoff=FUZZY_CUTOFF))
        for word in own_words
    ]
    corrected = [{index.synonyms.get(word, word) for word in options} for options in written]
    matcher = difflib.SequenceMatcher(None, "", key)
    ranked = []
    for name, (name_key, name_words, name_own_words) in index.find_names.items():
        if name_key == key:
            tier = 0
        elif words <= name_words:
            tier = 1
        elif key in name_key:
            tier = 2
        elif all(options & name_words for options in corrected) or _similarity(matcher, name_key) >= FUZZY_CUTOFF:
            tier = 3
        else:
            continue
        literal = all(options & name_own_words for options in written)
        ranked.append((tier, not literal, len(name), name))
    return [(name, index.entries[name].label) for *_, name in sorted(ranked)[:limit]]


def _similarity(matcher: difflib.SequenceMatcher[str], other: str) -> float:
    """The ratio of ``other`` to the query set as ``matcher``'s second sequence (indexed once)."""
    matcher.set_seq1(other)
    # The cheap upper bounds first: most names are far from the query.
    if matcher.real_quick_ratio() < FUZZY_CUTOFF or matcher.quick_ratio() < FUZZY_CUTOFF:
        return 0.0
    return matcher.ratio()


def segment_range_label(segments: Iterable[str]) -> str:
    """``C5-C7`` for a run of segments, ``C7`` for one.

    Examples
    --------
    >>> segment_range_label(["C7", "C5", "C6"])
    'C5-C7'
    """
    ordered = sorted(segments, key=segment_index)
    return ordered[0] if len(ordered) == 1 else f"{ordered[0]}-{ordered[-1]}"



def atlas_sites(G: nx.DiGraph) -> list[Site]:
    """Every single place a lesion can be put: each node, and each named region on each side.

    A node with no edge is no site: no route passes it, so its lesion acts on nothing (it can
    still be named in :func:`simulate`).

    Regions are one side of every cord segment and the whole segment, every tract station,
    nerve and plexus on each side, the motor cortex of each side, and the regions the data
    names (conus medullaris, cauda equina, ...). Muscles and reflexes are not lesion sites here.

    Examples
    --------
    >>> import neurograph
    >>> sites = atlas_sites(neurograph.load_anatomy())
    >>> any(site.label == "C7 cord segment, bilateral" for site in sites)
    True
    """
    # Made once per state of the graph (the atlas, the priors and cohorts all list them); each
    # caller gets its own list.
    return list(derived(G, _sites))


def _sites(G: nx.DiGraph) -> tuple[Site, ...]:
    index = _index(G)
    twinned = set(index.twins.values())
    # A node joined to nothing (neither signal nor twin passes it) acts on nothing: it is no site.
    joined = {node for edge in G.edges for node in edge}
    sites = [
        Site(name=node, label=data["label"], nodes=frozenset((node, index.twins[node]) if node in index.twins else (node,)))
        for node, data in G.nodes(data=True)
        if (node in joined or index.twins.get(node) in joined)
        and data["kind"] not in ("muscle", "reflex", "skin", "cranial_muscle", "cranial_reflex") and node not in twinned
    ]
    seen = {site.nodes for site in sites}
    # A name of one node a side names that node's site (or no site): only names of several nodes,
    # or of both sides at once, can name a region.
    regions = sorted(
        (key, entry) for key, entry in index.entries.items()
        if (entry.default_sides or any(len(nodes) > 1 for nodes in entry.by_side.values())) and key in index.display_names
    )
    regions += [
        (segment.lower(), entry)
        for segment in index.segment_nodes
        for entry in [_segment_region(index, segment.lower())]
        if entry is not None
    ]
    for key, entry in regions:
        choices = [(side,) for side in SIDES if side in entry.by_side] + ([SIDES] if entry.default_sides else [])
        for sides in choices:
            nodes = _twinned(index.twins, {node for side in sides for node in entry.by_side.get(side, ())})
            if len(nodes) > 1 and nodes not in seen and not all(G.nodes[node]["kind"] == "skin" for node in nodes):
                seen.add(nodes)
                words = side_text(sides)
                sites.append(Site(name=f"{words} {key}", label=f"{entry.label}, {words}", nodes=nodes))
    return tuple(sites)


#: One lesion site: a name, a :class:`~neurograph.resolve.Site`, or a name with a severity.
SiteSpec = Union[str, Site, tuple[str, float]]
#: What :func:`simulate` takes as a lesion: one site, sites by name with their severity, or
#: several sites.
LesionSpec = Union[SiteSpec, Mapping[str, float], Iterable[SiteSpec]]


def make_lesion(G: nx.DiGraph, lesion: LesionSpec) -> tuple[Site, ...]:
    """Normalise a lesion to a canonical tuple of :class:`~neurograph.resolve.Site`.

    Parameters
    ----------
    G : networkx.DiGraph
    lesion : str, Site, (str, severity), mapping of name to severity, or an iterable of these

    Returns
    -------
    tuple of Site
        Sorted and without repeats, so that equal lesions compare equal.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> [s.label for s in make_lesion(G, ["left C7 root", ("C5", 0.5)])]
    ['C5 cord segment, bilateral', 'C7 root (dorsal and ventral), left']
    """
    if isinstance(lesion, (str, Site)) or (isinstance(lesion, tuple) and len(lesion) == 2 and isinstance(lesion[1], (int, float))):
        items = [lesion]
    elif isinstance(lesion, Mapping):
        items = list(lesion.items())
    elif isinstance(lesion, Iterable):
        items = list(lesion)
    else:
        raise InvalidValueError("lesion", lesion, "a site name, a Site, a (name, severity) pair, or a list of them")
    if not items:
        raise InvalidValueError("lesion", lesion, "at least one site")
    sites: dict[tuple[frozenset[str], float], Site] = {}
    for item in items:
        if isinstance(item, Site):
            site = item
        elif isinstance(item, str):
            site = resolve_site(G, item)
        elif isinstance(item, tuple) and len(item) == 2:
            site = resolve_site(G, item[0], severity=item[1])
        else:
            raise InvalidValueError("lesion site", item, "a site name, a Site or a (name, severity) pair")
        sites.setdefault((site.nodes, site.severity), site)
    return tuple(sorted(sites.values(), key=lambda site: (site.label, site.name, site.severity)))
