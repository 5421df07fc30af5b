"""The trigeminal part of the anatomy build: sensation of the face.

Built from the ``trigeminal_*.csv`` tables of ``data/sources/cranial/`` (``CRANIAL_TABLES.md``,
"The trigeminal system") by :func:`add_trigeminal`, which ``scripts/build_cranial.py`` calls
before it names the brainstem regions. Every row is mirrored to the left and right side.

- Face places are ``skin`` nodes with no segments: their fibres reach the trigeminal sensory
  root (``R.trigeminal.sensory_root``) through the nerves of their division, the ganglion and
  the root (``sensory_axon`` edges between ``cranial_afferent`` nodes). The sensory fibres of
  the mandibular nerve's motor points are afferent twins (``structure``) of those points.
- From the root, touch runs to the principal sensory nucleus in the pons (the lemniscal
  system, ``tract`` ``dorsal_columns``), pain and temperature down the spinal trigeminal tract,
  level by level (``level``), to the spinal trigeminal nucleus at the level of the place's
  ring (``trigeminal_zone``: the onion-skin rings, lips highest, forehead and chin lowest),
  the anterolateral system (``tract`` ``spinothalamic``). Both cross (the trigeminothalamic
  decussation) into the ventral trigeminothalamic tract to the opposite VPM thalamus, the
  posterior limb of the internal capsule, the corona radiata and the face area of S1. The
  uncrossed dorsal trigeminothalamic tract carries the oral cavity's touch to the same side's
  VPM; no modelled place uses it (``trigeminal_disputes.csv``).
- The stations at the upper cord's levels (C1, C2) lie in the cord: they carry that level as
  their ``segment`` too, so a lesion of the cord segment (whole, one half) takes them, and a
  ``cord_station``, the body's cord station whose part of the cord they lie in
  (``trigeminal_cord_stations.csv``: the tract with Lissauer's tract, the nucleus with the dorsal
  horn, the crossing with the anterior white commissure), by which the cord patterns (anterior,
  central, posterior cord) take or spare them as they take or spare that station.
"""

from __future__ import annotations

from collections import defaultdict

from neurograph.schema import BRAINSTEM_LEVELS, SEGMENTS, SIDE_NAMES, SIDES, decode_list, encode_list, opposite_side

COLUMNS = {
    "trigeminal_places": ("place", "label", "aliases", "body_region", "view", "division", "nerve", "zone", "source"),
    "trigeminal_afferents": ("node", "division", "nerve", "label", "aliases", "point_kind", "structure", "source"),
    "trigeminal_afferent_edges": ("from_node", "to_node", "source"),
    "trigeminal_stations": (
        "station", "tract", "label", "aliases", "levels", "laterality", "ascending_order", "neuron", "source",
    ),
    "trigeminal_zones": ("zone", "label", "nucleus_level", "source"),
    "trigeminal_disputes": ("topic", "claim", "model", "note", "source"),
    "trigeminal_cord_stations": ("station", "cord_station", "basis", "source"),
}
#: How a row of ``trigeminal_cord_stations.csv`` places its station: the references call the two
#: continuous, or the graph chooses where no reference places it (CRANIAL_TABLES.md).
CORD_STATION_BASES = ("continuity", "choice")
#: The somatosensory area of every face place.
FACE_AREA = "face"
#: Penfield's sensory homunculus: the face lies lateral to the hand (Penfield1950).
FACE_AREA_ORDER = 9
#: How a node's label names its brainstem level ("spinal trigeminal tract at the rostral medulla").
LEVEL_WORDS = {
    "pons_mid": "the mid pons", "pons_caudal": "the caudal pons", "medulla_rostral": "the rostral medulla",
    "medulla_caudal": "the caudal medulla",
}
#: The cranial nerve of the face places.
TRIGEMINAL = "V"


class TrigeminalSources:
    """The trigeminal tables, checked against each other."""

    def __init__(self, tables, helpers):
        for name, rows in tables.items():
            setattr(self, name, rows)
        self.stations = {row["station"]: row for row in self.trigeminal_stations}
        self.zones = {row["zone"]: row for row in self.trigeminal_zones}
        self.points = {row["node"]: row for row in self.trigeminal_afferents}
        self.cord_stations = {row["station"]: row for row in self.trigeminal_cord_stations}
        for row in self.trigeminal_cord_stations:
            if row["station"] not in self.stations or row["basis"] not in CORD_STATION_BASES:
                raise helpers.error(f"{row['_where']}: unknown station or basis")
        for row in self.trigeminal_zones:
            if row["nucleus_level"] not in decode_list(self.stations["spinal_trigeminal_nucleus"]["levels"]):
                raise helpers.error(f"{row['_where']}: the spinal trigeminal nucleus has no level {row['nucleus_level']!r}")
            if row["nucleus_level"] not in decode_list(self.stations["spinal_trigeminal_tract"]["levels"]):
                raise helpers.error(f"{row['_where']}: the spinal trigeminal tract does not reach {row['nucleus_level']!r}")
        for row in self.trigeminal_places:
            if row["zone"] not in self.zones or row["nerve"] not in self.points:
                raise helpers.error(f"{row['_where']}: unknown zone or nerve")
        for row in self.trigeminal_stations:
            if any(level not in BRAINSTEM_LEVELS for level in decode_list(row["levels"])):
                raise helpers.error(f"{row['_where']}: unknown level in {row['levels']!r}")
        counts = defaultdict(int)
        for row in self.trigeminal_disputes:
            counts[row["topic"]] += 1
            if row["model"] not in ("yes", "no"):
                raise helpers.error(f"{row['_where']}: model must be yes or no")
        if any(count < 2 for count in counts.values()):
            raise helpers.error("cranial/trigeminal_disputes.csv: every topic needs at least two references' claims")


def labelled(label, aliases, side):
    return dict(
        label=f"{label} ({SIDE_NAMES[side]})", aliases=encode_list(list(dict.fromkeys([label, *decode_list(aliases)]))),
    )


def add_trigeminal(graph, tables, helpers):
    """Add the face places and the trigeminal sensory system to ``graph``; return its station regions.

    ``tables`` are the tables of :data:`COLUMNS`, read and their citations checked by the caller.
    """
    sources = TrigeminalSources(tables, helpers)
    cord = {data.get("station") for _, data in graph.nodes(data=True) if data["kind"] == "sensory_tract" and data.get("segment")}
    for row in sources.trigeminal_cord_stations:
        if row["cord_station"] not in cord:
            raise helpers.error(f"{row['_where']}: no cord station {row['cord_station']!r} in the graph")
    for side in SIDES:
        add_peripheral(graph, side, sources, helpers)
    for side in SIDES:
        add_central(graph, side, sources, helpers)
    return {
        row["station"]: dict(
            label=row["label"], aliases=list(decode_list(row["aliases"])), kind="station", station=row["station"],
            reference=helpers.citation(row),
        )
        for row in sources.trigeminal_stations if row["station"] not in ("internal_capsule", "corona_radiata")
    }


def add_peripheral(graph, side, sources, helpers):
    """The face places, the nerves of the three divisions, the ganglion and the sensory root."""
    for row in sources.trigeminal_afferents:
        attributes = dict(
            kind="cranial_afferent", side=side, cranial_nerve=TRIGEMINAL, nerve=row["nerve"], point_kind=row["point_kind"],
            reference=helpers.citation(row), **labelled(row["label"], row["aliases"], side),
        )
        if row["division"]:
            attributes["division"] = row["division"]
        if row["structure"]:
            structure = f"{side}.{row['structure']}"
            if structure not in graph:
                raise helpers.error(f"{row['_where']}: unknown nerve point {row['structure']!r}")
            attributes["structure"] = structure
        graph.add_node(f"{side}.{row['node']}", **attributes)
    for row in sources.trigeminal_afferent_edges:
        ends = (f"{side}.{row['from_node']}", f"{side}.{row['to_node']}")
        if any(graph.nodes.get(end, {}).get("kind") != "cranial_afferent" for end in ends):
            raise helpers.error(f"{row['_where']}: unknown trigeminal point")
        graph.add_edge(*ends, kind="sensory_axon", reference=helpers.citation(row))
    for row in sources.trigeminal_places:
        name = f"{side}.skin.{row['place']}"
        graph.add_node(
            name, kind="skin", side=side, body_region=row["body_region"], view=row["view"], sensory_area=FACE_AREA,
            segments="", cranial_nerve=TRIGEMINAL, division=row["division"], trigeminal_zone=row["zone"],
            reference=helpers.citation(row), **labelled(row["label"], row["aliases"], side),
        )
        graph.add_edge(name, f"{side}.{row['nerve']}", kind="sensory_axon", reference=helpers.citation(row))


def add_central(graph, body_side, sources, helpers):
    """One face side's central pathways, with their crossing."""
    crossed = opposite_side(body_side)
    stations = sources.stations

    def station_node(name, side, station, tract=None, laterality=None, label_words=None, **extra):
        row = stations[station]
        if extra.get("level") in SEGMENTS:
            # A station at the upper cord's levels lies in that cord segment, with the body's cord
            # station it continues (trigeminal_cord_stations.csv).
            if station not in sources.cord_stations:
                raise helpers.error(f"cranial/trigeminal_cord_stations.csv: no row for {station!r}, built at {extra['level']}")
            extra.update(segment=extra["level"], cord_station=sources.cord_stations[station]["cord_station"])
        where = f" at {LEVEL_WORDS.get(extra['level'], extra['level'])}" if "level" in extra else ""
        whose = label_words if label_words is not None else f", {SIDE_NAMES[body_side]} face fibres" if side != body_side else ""
        attributes = dict(
            kind="sensory_tract", side=side, body_side=body_side, station=station, area=FACE_AREA,
            ascending_order=int(row["ascending_order"]), laterality=laterality or row["laterality"],
            label=f"{row['label']}{where}{whose} ({SIDE_NAMES[side]})",
            reference=helpers.citation(row), **extra,
        )
        if row["aliases"] and len(decode_list(row["levels"])) <= 1 and row["laterality"] != "crossing" and not label_words:
            # A station of one node a side takes its names; one of several nodes is named by its station
            # region, and the stations the body's fibres share (internal capsule, corona radiata) by theirs.
            attributes["aliases"] = encode_list(list(dict.fromkeys([row["label"], *decode_list(row["aliases"])])))
        if tract or row["tract"]:
            attributes["tract"] = tract or row["tract"]
        graph.add_node(name, **attributes)
        return name

    def link(source, target):
        graph.add_edge(source, target, kind="sensory_tract", reference=graph.nodes[target]["reference"])

    root = f"{body_side}.trigeminal.sensory_root"
    lemniscus = station_node(f"{crossed}.trigeminal.ventral_trigeminothalamic_tract", crossed, "ventral_trigeminothalamic_tract")
    # Touch: the principal nucleus in the pons, crossing into the ventral tract; its uncrossed
    # dorsal tract carries the oral cavity's touch to the same side's VPM (trigeminal_disputes.csv).
    principal = station_node(
        f"{body_side}.trigeminal.principal_sensory_nucleus", body_side, "principal_sensory_nucleus",
        level=decode_list(stations["principal_sensory_nucleus"]["levels"])[0],
    )
    link(root, principal)
    # Named by its nucleus, so that the station's own name ("crossing trigeminothalamic fibres",
    # also at a level: "... at C1") names every crossing of the face's fibres, as for the tract.
    crossing = station_node(
        f"{body_side}.trigeminal.trigeminothalamic_decussation.principal", body_side, "trigeminothalamic_decussation",
        "dorsal_columns", label_words=" from the principal nucleus",
    )
    link(principal, crossing)
    link(crossing, lemniscus)
    dorsal = station_node(f"{body_side}.trigeminal.dorsal_trigeminothalamic_tract", body_side, "dorsal_trigeminothalamic_tract")
    link(principal, dorsal)
    ipsilateral_vpm = station_node(
        f"{body_side}.ascending.vpm_thalamus.oral", body_side, "vpm_thalamus", laterality="ipsilateral",
        label_words=", oral cavity fibres of the same side",
    )
    link(dorsal, ipsilateral_vpm)
    # Pain and temperature: down the spinal trigeminal tract to the nucleus level of each ring.
    previous = root
    tract_levels = decode_list(stations["spinal_trigeminal_tract"]["levels"])
    ends = {row["nucleus_level"]: row["zone"] for row in sources.trigeminal_zones}
    for level in tract_levels:
        tract = station_node(f"{body_side}.trigeminal.spinal_tract.{level}", body_side, "spinal_trigeminal_tract", level=level)
        link(previous, tract)
        previous = tract
        if level in ends:
            nucleus = station_node(
                f"{body_side}.trigeminal.spinal_nucleus.{level}", body_side, "spinal_trigeminal_nucleus", level=level,
                trigeminal_zone=ends[level],
            )
            link(tract, nucleus)
            decussation = station_node(
                f"{body_side}.trigeminal.trigeminothalamic_decussation.{level}", body_side, "trigeminothalamic_decussation",
                "spinothalamic", level=level,
            )
            link(nucleus, decussation)
            link(decussation, lemniscus)
    previous = lemniscus
    for station in ("vpm_thalamus", "internal_capsule", "corona_radiata"):
        name = station_node(f"{crossed}.ascending.{station}.{FACE_AREA}", crossed, station)
        link(previous, name)
        previous = name
    cortex = f"{crossed}.s1.{FACE_AREA}"
    if cortex not in graph:
        graph.add_node(
            cortex, kind="sensory_cortex", side=crossed, area=FACE_AREA, homunculus_order=FACE_AREA_ORDER,
            label=f"primary somatosensory cortex, face area ({SIDE_NAMES[crossed]})",
            aliases=encode_list(["S1 face", "somatosensory cortex face area", "sensory cortex face area", "face sensory area"]),
            reference="Penfield1950",
        )
    graph.add_edge(previous, cortex, kind="sensory_tract", reference="Gray42;Penfield1950")
