#!/usr/bin/env python3
"""Build ``data/anatomy.graphml`` from the human-edited tables in ``data/sources/``.

The build is deterministic: the same tables give a byte-identical GraphML. Run it after
editing a table; ``--check`` exits 1 when the committed GraphML is stale.

    python scripts/build_anatomy.py            # rewrite data/anatomy.graphml
    python scripts/build_anatomy.py --check    # is the committed file up to date?
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from neurograph.errors import NeurographError  # noqa: E402
from neurograph.io import graphml_bytes  # noqa: E402
from neurograph.schema import (  # noqa: E402
    MODALITY_TRACTS,
    SEGMENTS,
    SENSORY_AREAS,
    SIDE_NAMES,
    SIDES,
    decode_list,
    decode_references,
    encode_disputes,
    encode_list,
    encode_muscle_groups,
    encode_reference_table,
    encode_references,
    encode_regions,
    encode_sensory_rules,
    encode_synonyms,
    encode_segment_list,
    encode_segment_weights,
    encode_segments_by_source,
    opposite_side,
    parse_segments,
    segment_index,
)
from neurograph.writing import write_file  # noqa: E402

SOURCES = REPO / "data" / "sources"
OUTPUT = REPO / "data" / "anatomy.graphml"

#: Bump when the data change in a way users should notice; recorded in the GraphML.
DATA_VERSION = "4.8.0"

#: Which cord sides a tract's fibres end on, given the hemisphere they come from (cord_tracts.csv).
TERMINATION_SIDES = {
    "contralateral": lambda hemisphere: (opposite_side(hemisphere),),
    "ipsilateral": lambda hemisphere: (hemisphere,),
    "bilateral": lambda hemisphere: tuple(SIDES),
}

#: How much of a muscle's innervation a segment carries, by the reference's own mark.
CONTRIBUTION_WEIGHTS = {"principal": 1.0, "major": 1.0, "minor": 0.5}

class SourceTableError(Exception):
    """A source table is malformed; the message names the file, the row and the problem."""


def where(path):
    """A table's path as a reader should see it: relative to the repository when inside it."""
    path = Path(path).resolve()
    return path.relative_to(REPO) if path.is_relative_to(REPO) else path


def read_table(path, required):
    """Read a CSV table as a list of dicts, checking its columns and stripping whitespace."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in required if column not in (reader.fieldnames or ())]
        if missing:
            raise SourceTableError(f"{where(path)}: missing column(s) {', '.join(missing)}")
        rows = []
        for line, row in enumerate(reader, start=2):
            cleaned = {key: (value or "").strip() for key, value in row.items() if key is not None}
            cleaned["_where"] = f"{where(path)}:{line}"
            rows.append(cleaned)
        return rows


def read_folder(folder, required):
    """Read every CSV in a folder (one file per body part), in name order."""
    rows = []
    for path in sorted(Path(folder).glob("*.csv")):
        rows.extend(read_table(path, required))
    return rows


class Sources:
    """All source tables, read once and cross-checked."""

    def __init__(self, root=SOURCES):
        root = Path(root)
        self.references = read_table(root / "references.csv", ("key", "priority", "citation"))
        self.reference_keys = {row["key"] for row in self.references}
        self.priority = {row["key"]: int(row["priority"]) for row in self.references}
        self.segments = read_table(root / "segments.csv", ("segment", "cord_region", "source"))
        self.areas = read_table(root / "cortical_areas.csv", ("area", "label", "aliases", "homunculus_order", "source"))
        self.stations = read_table(root / "tract_stations.csv", ("station", "order", "label", "aliases", "source"))
        self.cord_tracts = read_table(
            root / "cord_tracts.csv", ("tract", "area", "first_segment", "last_segment", "terminates", "source")
        )
        self.lamination = read_table(root / "lcst_lamination.csv", ("area", "lamina", "source"))
        self.peripheral_nodes = read_table(
            root / "peripheral_nodes.csv", ("node", "kind", "element", "plexus", "nerve", "label", "aliases", "source")
        )
        self.peripheral_edges = read_table(
            root / "peripheral_edges.csv", ("source_node", "target_node", "segments", "source")
        )
        self.muscles = read_folder(
            root / "muscles",
            ("muscle", "label", "aliases", "body_region", "cortical_area", "action", "isncsci_level", "uberon", "fma", "source"),
        )
        self.innervation = read_folder(root / "innervation", ("muscle", "branch_of", "segments", "source"))
        self.muscle_segments = read_folder(root / "muscle_segments", ("muscle", "segment", "contribution", "source"))
        self.branch_disputes = read_table(root / "branch_disputes.csv", ("muscle", "origin", "share", "source"))
        self.groups = read_folder(root / "muscle_groups", ("group", "label", "aliases", "members", "source"))
        self.reflexes = read_table(
            root / "reflexes.csv",
            ("reflex", "label", "aliases", "reflex_kind", "muscles", "afferent_segments", "efferent_segments", "afferent_via", "source"),
        )
        self.regions = read_table(
            root / "regions.csv", ("region", "label", "aliases", "kind", "first_segment", "last_segment", "source")
        )
        self.synonyms = read_table(root / "synonyms.csv", ("word", "same_as", "source"))
        self._check_citations()

    def _check_citations(self):
        tables = (
            self.segments, self.areas, self.stations, self.cord_tracts, self.lamination, self.peripheral_nodes,
            self.peripheral_edges, self.muscles, self.innervation, self.muscle_segments, self.groups, self.reflexes,
            self.regions, self.branch_disputes, self.synonyms,
        )
        for table in tables:
            for row in table:
                keys = decode_references(row["source"], "source")
                if not keys:
                    raise SourceTableError(f"{row['_where']}: no source given")
                unknown = [key for key in keys if key not in self.reference_keys]
                if unknown:
                    raise SourceTableError(f"{row['_where']}: unknown reference key(s) {', '.join(unknown)}")


def citation(row):
    """The ``;``-separated reference keys of a row, normalised."""
    return encode_references(decode_references(row["source"], "source"))


def parse_segments_at(row, text):
    try:
        return parse_segments(text)
    except ValueError as error:
        raise SourceTableError(f"{row['_where']}: {error}") from None


def muscle_segment_facts(sources):
    """Per muscle: the segments each reference gives, and the reference the engine uses."""
    known = {row["muscle"] for row in sources.muscles}
    by_muscle = defaultdict(lambda: defaultdict(dict))
    for row in sources.muscle_segments:
        if row["muscle"] not in known:
            raise SourceTableError(f"{row['_where']}: unknown muscle {row['muscle']!r}")
        if row["contribution"] not in CONTRIBUTION_WEIGHTS:
            raise SourceTableError(f"{row['_where']}: contribution must be one of {', '.join(CONTRIBUTION_WEIGHTS)}")
        if ";" in row["source"]:
            raise SourceTableError(f"{row['_where']}: one reference per segment row")
        (segment,) = parse_segments_at(row, row["segment"])
        by_muscle[row["muscle"]][row["source"]][segment] = row["contribution"]
    facts = {}
    for muscle in sorted(known):
        per_source = by_muscle.get(muscle)
        if not per_source:
            raise SourceTableError(f"muscle {muscle!r} has no segment rows")
        used = min(per_source, key=lambda key: sources.priority[key])
        facts[muscle] = (used, {key: dict(value) for key, value in per_source.items()})
    return facts


def describe_by_source(per_source, priority):
    """``MRC2010=C5*,C6;Kendall2005=C5,C6,(C7)``: * principal, () minor; references by priority."""
    return encode_segments_by_source({key: per_source[key] for key in sorted(per_source, key=lambda key: priority[key])})


def node_id(side, name):
    return f"{side}.{name}"


def build_graph(root=SOURCES):
    """Build the anatomy graph from the tables under ``root``."""
    sources = Sources(root)
    sensory = SensorySources(root, sources.reference_keys)
    graph = nx.DiGraph()
    graph.graph.update(
        name="neurograph human somatic motor and sensory system",
        data_version=DATA_VERSION,
        references=encode_reference_table({row["key"]: row["citation"] for row in sources.references}),
        reference_priority=encode_references(
            [row["key"] for row in sorted(sources.references, key=lambda row: int(row["priority"]))], "reference_priority"
        ),
    )
    segment_facts = muscle_segment_facts(sources)
    muscles = {row["muscle"]: row for row in sources.muscles}
    if len(muscles) != len(sources.muscles):
        raise SourceTableError("a muscle id appears twice in the muscle tables")
    drive = area_segments(sources, segment_facts, paraspinal_drive(sensory))
    for side in SIDES:
        add_cord(graph, side, sources)
    for side in SIDES:
        add_cortex_and_tracts(graph, side, sources, drive)
    for side in SIDES:
        add_peripheral(graph, side, sources)
        add_dorsal_rami(graph, side, sources, sensory)
        add_muscles(graph, side, sources, muscles, segment_facts)
        add_reflexes(graph, side, sources)
    for side in SIDES:
        add_afferent_chains(graph, side, sensory)
        add_skin(graph, side, sources, sensory)
    for side in SIDES:
        add_ascending_tracts(graph, side, sources, sensory)
    cranial = add_cranial_system(graph, root, sources)
    graph.graph["muscle_groups"] = encode_muscle_groups(groups_table(sources, muscles))
    graph.graph["regions"] = encode_regions({**sensory_regions(sensory), **regions_table(sources), **cranial})
    graph.graph["sensory_rules"] = encode_sensory_rules(sensory_rules(sensory))
    graph.graph["synonyms"] = encode_synonyms(synonyms_table(sources))
    return graph


def add_cranial_system(graph, root, sources):
    """The cranial motor nerves and the corticobulbar system (``scripts/build_cranial.py``); returns
    their named regions."""
    spec = importlib.util.spec_from_file_location("build_cranial", Path(__file__).resolve().with_name("build_cranial.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    helpers = argparse.Namespace(read_table=read_table, citation=citation, error=SourceTableError)
    return module.add_cranial(graph, root, sources.reference_keys, helpers)


def area_segments(sources, segment_facts, paraspinal):
    """Which cord segments each cortical area drives: those of the muscles it moves (``paraspinal``:
    area to the segments of the paraspinal muscles it moves)."""
    areas = {row["area"] for row in sources.areas}
    drive = defaultdict(set, {area: set(segments) for area, segments in paraspinal.items()})
    for row in sources.muscles:
        if row["cortical_area"] not in areas:
            raise SourceTableError(f"{row['_where']}: unknown cortical area {row['cortical_area']!r}")
        used, per_source = segment_facts[row["muscle"]]
        drive[row["cortical_area"]].update(per_source[used])
    return {area: tuple(sorted(segments, key=segment_index)) for area, segments in drive.items()}


def add_cord(graph, side, sources):
    region_of = {row["segment"]: row["cord_region"] for row in sources.segments}
    if tuple(region_of) != SEGMENTS:
        raise SourceTableError("segments.csv must list C1 ... Co1 in order")
    for segment in SEGMENTS:
        word = SIDE_NAMES[side]
        common = dict(side=side, segment=segment, cord_region=region_of[segment], reference="Gray42")
        horn, root, nerve = (node_id(side, f"{part}.{segment}") for part in ("ah", "vroot", "spn"))
        graph.add_node(
            horn, kind="anterior_horn", label=f"{segment} anterior horn ({word})",
            aliases=f"anterior horn of {segment}|{segment} anterior horn|{segment} ventral horn|{segment} motor neurons|{segment} motor pool",
            **common,
        )
        graph.add_node(
            root, kind="ventral_root", label=f"{segment} ventral root ({word})",
            aliases=f"{segment} ventral root|{segment} motor root|{segment} anterior root",
            **common,
        )
        graph.add_node(
            nerve, kind="spinal_nerve", label=f"{segment} spinal nerve ({word})",
            aliases=f"{segment} spinal nerve|{segment} nerve",
            **common,
        )
        graph.add_edge(horn, root, kind="motor_axon", segments=segment, reference="Gray42")
        graph.add_edge(root, nerve, kind="motor_axon", segments=segment, reference="Gray42")


def add_cortex_and_tracts(graph, hemisphere, sources, drive):
    """Primary motor cortex areas and their corticospinal fibre channels, kept apart by area.

    Each area's fibres run as their own channel through every station, so that cutting one
    area (or one lamina of the lateral tract) cuts exactly the pools that area drives.
    """
    crossed = opposite_side(hemisphere)
    stations = sorted(sources.stations, key=lambda row: int(row["order"]))
    lamina = preferred_lamination(sources)
    dissent = lamination_dissent(sources)
    for area_row in sorted(sources.areas, key=lambda row: int(row["homunculus_order"])):
        area = area_row["area"]
        if area not in drive:
            continue
        cortex = node_id(hemisphere, f"m1.{area}")
        graph.add_node(
            cortex, kind="cortical_area", side=hemisphere, area=area, label=f"primary motor cortex, {area_row['label']} area ({SIDE_NAMES[hemisphere]})",
            aliases=encode_list(
                [f"M1 {area_row['label']}", f"motor cortex {area_row['label']} area"] + list(decode_list(area_row["aliases"]))
            ),
            homunculus_order=int(area_row["homunculus_order"]), reference=citation(area_row),
        )
        previous = cortex
        for station in stations:
            name = node_id(hemisphere, f"cst.{station['station']}.{area}")
            graph.add_node(
                name, kind="tract", side=hemisphere, hemisphere=hemisphere, area=area, station=station["station"],
                label=f"{station['label']}, {area_row['label']} fibres ({SIDE_NAMES[hemisphere]})",
                station_order=int(station["order"]), reference=citation(station),
            )
            graph.add_edge(previous, name, kind="corticospinal", reference=citation(station))
            previous = name
        pyramid = node_id(hemisphere, f"cst.medullary_pyramid.{area}")
        segments = drive[area]
        add_cord_channel(
            graph, previous, crossed, hemisphere, area, "lateral_corticospinal_tract", "lcst",
            SEGMENTS[: segment_index(segments[-1]) + 1], segments, area_row["label"], target_sides=(crossed,),
            lamina=lamina[area], lamina_dissent=encode_disputes(dissent[area], "lamina_disputed_by"), reference="Gray42",
        )
        for tract_row in sources.cord_tracts:
            if tract_row["area"] != area:
                continue
            span = SEGMENTS[segment_index(tract_row["first_segment"]) : segment_index(tract_row["last_segment"]) + 1]
            add_cord_channel(
                graph, pyramid, hemisphere, hemisphere, area, tract_row["tract"], "acst", span,
                [segment for segment in segments if segment in span], area_row["label"],
                target_sides=TERMINATION_SIDES[tract_row["terminates"]](hemisphere),
                lamina="", lamina_dissent="", reference=citation(tract_row),
            )


def add_cord_channel(
    graph, entry, cord_side, hemisphere, area, station, short, span, targets, area_label, target_sides, lamina,
    lamina_dissent, reference,
):
    previous = entry
    tract_label = station.replace("_", " ")
    for segment in span:
        name = node_id(cord_side, f"{short}.{segment}.{area}")
        attributes = dict(
            kind="tract", side=cord_side, hemisphere=hemisphere, area=area, station=station, segment=segment,
            label=f"{tract_label} at {segment}, {area_label} fibres ({SIDE_NAMES[cord_side]})",
            reference=reference,
        )
        if lamina:
            attributes["lamina"] = lamina
        if lamina_dissent:
            attributes["lamina_disputed_by"] = lamina_dissent
        graph.add_node(name, **attributes)
        graph.add_edge(previous, name, kind="corticospinal", reference=reference)
        if segment in targets:
            for target_side in target_sides:
                graph.add_edge(name, node_id(target_side, f"ah.{segment}"), kind="synapse", reference=reference)
        previous = name


def preferred_lamination(sources):
    """The lamina of each area's fibres in the lateral tract, from the highest-priority reference."""
    best = {}
    for row in sources.lamination:
        current = best.get(row["area"])
        if current is None or sources.priority[row["source"]] < sources.priority[current["source"]]:
            best[row["area"]] = row
    return {area: row["lamina"] for area, row in best.items()}


def lamination_dissent(sources):
    preferred = preferred_lamination(sources)
    dissent = defaultdict(lambda: defaultdict(list))
    for row in sources.lamination:
        if row["lamina"] != preferred[row["area"]]:
            dissent[row["area"]][row["source"]].append(row["lamina"])
    return dissent


def add_peripheral(graph, side, sources):
    """Ventral rami, plexus elements and nerves; each carries the union of its incoming segments."""
    for row in sources.peripheral_nodes:
        attributes = dict(kind=row["kind"], side=side, label=f"{row['label']} ({SIDE_NAMES[side]})", reference=citation(row))
        aliases = decode_list(row["aliases"])
        attributes["aliases"] = encode_list(aliases if row["label"] in aliases else [row["label"], *aliases])
        for optional in ("element", "plexus", "nerve"):
            if row[optional]:
                attributes[optional] = row[optional]
        if row["kind"] == "ventral_ramus":
            attributes["segment"] = row["node"].split(".", 1)[1]
        graph.add_node(node_id(side, row["node"]), **attributes)
    carried = defaultdict(set)
    for row in sources.peripheral_edges:
        source_node, target_node = node_id(side, row["source_node"]), node_id(side, row["target_node"])
        for end in (source_node, target_node):
            if end not in graph:
                raise SourceTableError(f"{row['_where']}: unknown node {end.split('.', 1)[1]!r}")
        segments = set(parse_segments_at(row, row["segments"]))
        cited = decode_references(citation(row))
        if graph.has_edge(source_node, target_node):
            # Several rows for one connection: each reference's fibres are kept, with its citation.
            earlier = graph.edges[source_node, target_node]
            segments |= set(parse_segments(earlier["segments"]))
            cited = tuple(dict.fromkeys(decode_references(earlier["reference"]) + cited))
        graph.add_edge(
            source_node, target_node, kind="motor_axon", segments=encode_segment_list(segments),
            reference=encode_references(cited),
        )
        carried[target_node].update(segments)
    for row in sources.peripheral_nodes:
        name = node_id(side, row["node"])
        if not carried[name]:
            raise SourceTableError(f"{row['_where']}: node {row['node']!r} receives no fibres")
        graph.nodes[name]["segments"] = encode_segment_list(carried[name])


def parse_share(row):
    try:
        share = float(row["share"])
    except ValueError:
        share = None
    if share is None or not 0 < share <= 1:
        raise SourceTableError(f"{row['_where']}: share must be a fraction above 0 and at most 1, not {row['share']!r}")
    return share


def branch_disputes(sources, muscles):
    """Per muscle, where other references place the origin of its nerve branch, with the share of
    dissected limbs each origin was found in: ``Key=origin (57%), origin (32%);Key2=...``."""
    by_muscle = defaultdict(lambda: defaultdict(list))
    for row in sources.branch_disputes:
        if row["muscle"] not in muscles:
            raise SourceTableError(f"{row['_where']}: unknown muscle {row['muscle']!r}")
        if ";" in row["source"]:
            raise SourceTableError(f"{row['_where']}: one reference per dispute row")
        share = f" ({parse_share(row):.0%})" if row["share"] else ""
        by_muscle[row["muscle"]][row["source"]].append(row["origin"] + share)
    return {
        muscle: encode_disputes(dict(sorted(per_source.items())), "branch_disputed_by")
        for muscle, per_source in by_muscle.items()
    }


def add_muscles(graph, side, sources, muscles, segment_facts):
    priority = sources.priority
    branch_dissent = branch_disputes(sources, muscles)
    for muscle, row in sorted(muscles.items()):
        used, per_source = segment_facts[muscle]
        marks = per_source[used]
        segments = tuple(sorted(marks, key=segment_index))
        listed_by_all = set.intersection(*(set(value) for value in per_source.values()))
        listed_by_any = set().union(*(set(value) for value in per_source.values()))
        attributes = dict(
            kind="muscle", side=side, label=f"{row['label']} ({SIDE_NAMES[side]})",
            aliases=encode_list([row["label"], *decode_list(row["aliases"])]),
            body_region=row["body_region"], cortical_area=row["cortical_area"], action=row["action"],
            segments=encode_segment_list(segments),
            principal_segments=encode_segment_list(s for s in segments if marks[s] == "principal"),
            segment_weights=encode_segment_weights({s: CONTRIBUTION_WEIGHTS[marks[s]] for s in segments}),
            segments_source=used,
            segments_by_source=describe_by_source(per_source, priority),
            disputed_segments=encode_segment_list(listed_by_any - listed_by_all),
            reference=citation(row),
        )
        for optional in ("isncsci_level", "uberon", "fma"):
            if row[optional]:
                attributes[optional] = row[optional]
        if muscle in branch_dissent:
            attributes["branch_disputed_by"] = branch_dissent[muscle]
        graph.add_node(node_id(side, f"muscle.{muscle}"), **attributes)
    for row in sources.innervation:
        if row["muscle"] not in muscles:
            raise SourceTableError(f"{row['_where']}: unknown muscle {row['muscle']!r}")
        branch = node_id(side, row["branch_of"])
        if branch not in graph:
            raise SourceTableError(f"{row['_where']}: unknown nerve node {row['branch_of']!r}")
        target = node_id(side, f"muscle.{row['muscle']}")
        segments = parse_segments_at(row, row["segments"]) or parse_segments(graph.nodes[target]["segments"])
        graph.add_edge(branch, target, kind="innervates", segments=encode_segment_list(segments), reference=citation(row))


def add_reflexes(graph, side, sources):
    for row in sources.reflexes:
        name = node_id(side, f"reflex.{row['reflex']}")
        attributes = dict(
            kind="reflex", side=side, label=f"{row['label']} ({SIDE_NAMES[side]})",
            aliases=encode_list([row["label"], *decode_list(row["aliases"])]), reflex_kind=row["reflex_kind"],
            afferent_segments=encode_segment_list(parse_segments_at(row, row["afferent_segments"])),
            efferent_segments=encode_segment_list(parse_segments_at(row, row["efferent_segments"])),
            reference=citation(row),
        )
        if row["afferent_via"]:
            via = node_id(side, row["afferent_via"])
            if via not in graph:
                raise SourceTableError(f"{row['_where']}: unknown nerve node {row['afferent_via']!r}")
            attributes["afferent_via"] = via
        graph.add_node(name, **attributes)
        for muscle in decode_list(row["muscles"], "muscles"):
            muscle_node = node_id(side, f"muscle.{muscle}")
            if muscle_node not in graph:
                raise SourceTableError(f"{row['_where']}: unknown muscle {muscle!r}")
            graph.add_edge(muscle_node, name, kind="reflex_response", reference=citation(row))


def groups_table(sources, muscles):
    groups = {}
    for row in sources.groups:
        members = list(decode_list(row["members"], "members"))
        unknown = [member for member in members if member not in muscles]
        if unknown:
            raise SourceTableError(f"{row['_where']}: unknown muscle(s) {', '.join(unknown)}")
        if row["group"] in groups or row["group"] in muscles:
            raise SourceTableError(f"{row['_where']}: group id {row['group']!r} is already used")
        groups[row["group"]] = dict(
            label=row["label"], aliases=list(decode_list(row["aliases"])), members=members, reference=citation(row)
        )
    return groups


def regions_table(sources):
    """Named regions a lesion can be put on: tract stations, the conus, the cauda equina."""
    regions = {}
    for row in sources.stations:
        regions[row["station"]] = dict(
            label=row["label"], aliases=list(decode_list(row["aliases"])), kind="station", station=row["station"],
            reference=citation(row),
        )
    for row in sources.regions:
        region = dict(label=row["label"], aliases=list(decode_list(row["aliases"])), kind=row["kind"], reference=citation(row))
        if row["kind"] == "station":
            region["station"] = row["region"]
        else:
            first, last = segment_index(row["first_segment"]), segment_index(row["last_segment"])
            region["segments"] = list(SEGMENTS[first : last + 1])
        regions[row["region"]] = region
    return regions



def synonyms_table(sources):
    """Words of structure names and the words they stand for ("peroneal" for "fibular")."""
    synonyms = {}
    for row in sources.synonyms:
        if row["word"] in synonyms:
            raise SourceTableError(f"{row['_where']}: the word {row['word']!r} is already given")
        synonyms[row["word"]] = dict(same_as=row["same_as"], reference=citation(row))
    return synonyms

# ---------------------------------------------------------------------------------------------
# Sensation (data/sources/sensory/, SENSORY_TABLES.md): skin, cutaneous nerves, the afferent
# twins of the nerve points, ganglia, dorsal roots and rami, paraspinal muscles, the ascending
# tracts with their crossings, the thalamus and the somatosensory cortex. Edges follow the
# sensory signal: from the skin (or a muscle's spindles) towards the cord and up to the cortex.
# ---------------------------------------------------------------------------------------------

SENSORY = "sensory"

#: The nodes that get an afferent twin: every peripheral point sensory fibres pass.
TWINNED_KINDS = ("spinal_nerve", "dorsal_ramus", "ventral_ramus", "plexus_element", "nerve")

#: The coccygeal segment's fibres lie with the sacral ones (tract_lamination.csv names four regions).
LAMINA_REGION = {"cervical": "cervical", "thoracic": "thoracic", "lumbar": "lumbar", "sacral": "sacral", "coccygeal": "sacral"}

#: Node id words of the ascending stations: cord stations per segment, the rest per body area.
CORD_STATION_IDS = {
    "dorsal_column": "dc", "lissauer_tract": "lissauer", "dorsal_horn": "dorsal_horn",
    "anterior_white_commissure": "awc", "spinothalamic_tract": "stt",
}


class SensorySources:
    """The sensory tables, read once, their citations checked."""

    TABLES = {
        "key_points": ("point", "level", "segments", "label", "alternative", "aliases", "body_region", "view", "source"),
        "key_point_nerves": ("point", "site", "nerve", "source"),
        "skin_places": ("place", "label", "aliases", "body_region", "view", "source"),
        "cutaneous_nerves": ("nerve", "label", "aliases", "source"),
        "cutaneous_branches": ("nerve", "branch_of", "segments", "source"),
        "territories": ("nerve", "place", "source"),
        "territory_variation": ("subject", "aspect", "value", "share", "specimens", "note", "source"),
        "proposed_nodes": ("node", "kind", "nerve", "label", "aliases", "after", "before", "segments", "source"),
        "dermatome_disputes": ("place", "segment", "claim", "reference", "reported_in", "note"),
        "dorsal_roots": ("segment", "dorsal_root", "ganglion_site", "ramus_cutaneous", "source"),
        "paraspinal_muscles": (
            "muscle", "label", "aliases", "segment", "dorsal_ramus_branch", "body_region", "cortical_area", "action", "source",
        ),
        "modality_tracts": ("modality", "tract", "source"),
        "pathway_stations": ("tract", "order", "station", "label", "aliases", "level", "laterality", "neuron", "source"),
        "tract_lamination": ("tract", "cord_region", "order_from_midline", "source"),
        "pathway_disputes": ("topic", "claim", "model", "reference", "note"),
        "dorsal_column_fasciculi": ("fasciculus", "label", "aliases", "first_segment", "last_segment", "source"),
        "somatosensory_areas": ("area", "label", "aliases", "homunculus_order", "source"),
        "body_region_areas": ("body_region", "area", "source"),
        "rules": ("rule", "value", "source"),
    }

    def __init__(self, root, reference_keys):
        folder = Path(root) / SENSORY
        for name, columns in self.TABLES.items():
            setattr(self, name, read_table(folder / f"{name}.csv", columns))
        for name in self.TABLES:
            for row in getattr(self, name):
                for column in ("source", "reference", "reported_in"):
                    unknown = [key for key in decode_references(row.get(column, ""), column) if key not in reference_keys]
                    if unknown:
                        raise SourceTableError(f"{row['_where']}: unknown reference key(s) {', '.join(unknown)}")
        self.area_of_region = {row["body_region"]: row["area"] for row in self.body_region_areas}
        self.rule = {row["rule"]: row for row in self.rules}
        tracts = defaultdict(set)
        for row in self.modality_tracts:
            tracts[row["modality"]].add(row["tract"])
        if {modality: tuple(sorted(found)) for modality, found in tracts.items()} != {
            modality: tuple(sorted(found)) for modality, found in MODALITY_TRACTS.items()
        }:
            raise SourceTableError("sensory/modality_tracts.csv disagrees with neurograph.schema.MODALITY_TRACTS")

    def sensory_area(self, row):
        area = self.area_of_region.get(row["body_region"])
        if area not in SENSORY_AREAS:
            raise SourceTableError(f"{row['_where']}: body region {row['body_region']!r} has no somatosensory area")
        return area


def add_dorsal_rami(graph, side, sources, sensory):
    """Per segment: the dorsal ramus leaving the spinal nerve, and the paraspinal muscles on it."""
    for row in sensory.dorsal_roots:
        segment = row["segment"]
        ramus = node_id(side, f"dramus.{segment}")
        graph.add_node(
            ramus, kind="dorsal_ramus", side=side, segment=segment, segments=segment,
            label=f"{segment} dorsal ramus ({SIDE_NAMES[side]})",
            aliases=encode_list([f"{segment} dorsal ramus", f"{segment} posterior ramus", f"dorsal ramus of {segment}"]),
            ramus_cutaneous=row["ramus_cutaneous"], reference=citation(row),
        )
        graph.add_edge(node_id(side, f"spn.{segment}"), ramus, kind="motor_axon", segments=segment, reference=citation(row))
    for row in sensory.paraspinal_muscles:
        (segment,) = parse_segments_at(row, row["segment"])
        keys = decode_references(citation(row))
        muscle = node_id(side, f"muscle.{row['muscle']}")
        graph.add_node(
            muscle, kind="muscle", side=side, label=f"{row['label']} ({SIDE_NAMES[side]})",
            aliases=encode_list([row["label"], *decode_list(row["aliases"])]), body_region=row["body_region"],
            cortical_area=row["cortical_area"], action=row["action"], segments=segment, principal_segments=segment,
            segment_weights=encode_segment_weights({segment: 1.0}), segments_source=keys[0],
            segments_by_source=encode_segments_by_source({key: {segment: "principal"} for key in keys}),
            disputed_segments="", dorsal_ramus_branch=row["dorsal_ramus_branch"], reference=citation(row),
        )
        graph.add_edge(node_id(side, f"dramus.{segment}"), muscle, kind="innervates", segments=segment, reference=citation(row))


def paraspinal_drive(sensory):
    """The segments each cortical area drives through the paraspinal muscles."""
    drive = defaultdict(set)
    for row in sensory.paraspinal_muscles:
        drive[row["cortical_area"]].add(row["segment"])
    return drive


def twin_id(node):
    side, _, name = node.partition(".")
    return f"{side}.aff.{name}"


def add_afferent_chains(graph, side, sensory):
    """The afferent twins, ganglia, dorsal roots and the spindle afferents of every muscle.

    Each twin carries what its structure carries, and each motor edge between twinned points
    has its twin edge the other way, so that the fibres of every segment find their way from
    any point of a nerve back to their own ganglion and dorsal root.
    """
    twinned = [node for node, data in graph.nodes(data=True) if data["side"] == side and data["kind"] in TWINNED_KINDS]
    for node in twinned:
        data = graph.nodes[node]
        attributes = dict(
            kind="afferent", side=side, structure=node, segments=data["segments"] if "segments" in data else data["segment"],
            label=f"{data['label'][: -len(SIDE_NAMES[side]) - 3]}, afferent fibres ({SIDE_NAMES[side]})",
            reference=data["reference"],
        )
        graph.add_node(twin_id(node), **attributes)
    for node in twinned:
        for successor in graph.successors(node):
            if graph.nodes[successor]["kind"] in TWINNED_KINDS:
                edge = graph.edges[node, successor]
                graph.add_edge(
                    twin_id(successor), twin_id(node), kind="sensory_axon", segments=edge["segments"], reference=edge["reference"]
                )
    for row in sensory.dorsal_roots:
        segment = row["segment"]
        ganglion, root = node_id(side, f"drg.{segment}"), node_id(side, f"droot.{segment}")
        common = dict(side=side, segment=segment, presence=row["dorsal_root"], reference=citation(row))
        graph.add_node(
            ganglion, kind="dorsal_root_ganglion", label=f"{segment} dorsal root ganglion ({SIDE_NAMES[side]})",
            aliases=encode_list([f"{segment} dorsal root ganglion", f"{segment} DRG", f"{segment} spinal ganglion", f"{segment} ganglion"]),
            ganglion_site=row["ganglion_site"], **common,
        )
        graph.add_node(
            root, kind="dorsal_root", label=f"{segment} dorsal root ({SIDE_NAMES[side]})",
            aliases=encode_list([f"{segment} dorsal root", f"{segment} posterior root", f"{segment} sensory root"]),
            **common,
        )
        graph.add_edge(twin_id(node_id(side, f"spn.{segment}")), ganglion, kind="sensory_axon", segments=segment, reference=citation(row))
        graph.add_edge(ganglion, root, kind="sensory_axon", segments=segment, reference=citation(row))
    for branch, muscle, data in list(graph.edges(data=True)):
        if data["kind"] == "innervates" and graph.nodes[muscle]["side"] == side:
            graph.add_edge(muscle, twin_id(branch), kind="spindle_afferent", segments=data["segments"], reference=data["reference"])


def variation_findings(sensory):
    """Per subject of territory_variation.csv, each study's findings: ``Key=aspect value in 46% of 85``."""
    found = defaultdict(lambda: defaultdict(list))
    for row in sensory.territory_variation:
        text = f"{row['aspect']} {row['value']}"
        if row["share"]:
            text += f" in {float(row['share']):.0%}" + (f" of {row['specimens']}" if row["specimens"] else "")
        elif row["specimens"]:
            text += f" over {row['specimens']} specimens"
        for key in decode_references(row["source"]):
            found[row["subject"]][key].append(text)
    return found


def add_skin(graph, side, sources, sensory):
    """Cutaneous nerves on their branch points, skin places and the ISNCSCI key points."""
    proposed = {row["node"]: row for row in sensory.proposed_nodes}
    variation = variation_findings(sensory)
    labels = {row["nerve"]: row for row in sensory.cutaneous_nerves}
    carried = defaultdict(set)
    for row in sensory.cutaneous_branches:
        if row["nerve"] not in labels:
            raise SourceTableError(f"{row['_where']}: unknown cutaneous nerve {row['nerve']!r}")
        carried[row["nerve"]].update(parse_segments_at(row, row["segments"]))
    for nerve, row in labels.items():
        if not carried[nerve]:
            raise SourceTableError(f"{row['_where']}: cutaneous nerve {nerve!r} leaves no nerve")
        name = node_id(side, f"aff.{nerve}")
        attributes = dict(
            kind="afferent", side=side, nerve=nerve, cutaneous=nerve, segments=encode_segment_list(carried[nerve]),
            label=f"{row['label']} ({SIDE_NAMES[side]})", aliases=encode_list([row["label"], *decode_list(row["aliases"])]),
            reference=citation(row),
        )
        if nerve in variation:
            attributes["variation_reported_by"] = encode_disputes(dict(sorted(variation[nerve].items())), "variation_reported_by")
        graph.add_node(name, **attributes)
    for row in sensory.cutaneous_branches:
        # A branch point the peripheral tables still lack (proposed_nodes.csv) is taken as the
        # node above it: the branch leaves at or below that node and above the next one.
        parent = proposed[row["branch_of"]]["after"] if row["branch_of"] in proposed else row["branch_of"]
        target = twin_id(node_id(side, parent))
        if target not in graph:
            raise SourceTableError(f"{row['_where']}: unknown branch point {row['branch_of']!r}")
        segments = set(parse_segments_at(row, row["segments"]))
        if not segments <= set(parse_segments(graph.nodes[target]["segments"])):
            raise SourceTableError(f"{row['_where']}: {row['branch_of']!r} does not carry {encode_segment_list(segments)}")
        graph.add_edge(
            node_id(side, f"aff.{row['nerve']}"), target, kind="sensory_axon", segments=encode_segment_list(segments),
            reference=citation(row),
        )
    places = {row["place"]: row for row in sensory.skin_places}
    served = defaultdict(list)
    for row in sensory.territories:
        if row["place"] not in places or row["nerve"] not in labels:
            raise SourceTableError(f"{row['_where']}: unknown place or nerve")
        served[row["place"]].append(row)
    disputes = defaultdict(lambda: defaultdict(list))
    for row in sensory.dermatome_disputes:
        if row["place"] not in places:
            raise SourceTableError(f"{row['_where']}: unknown place {row['place']!r}")
        where_read = f" as reported in {row['reported_in']}" if row["reported_in"] else ""
        owner = node_id(side, f"skin.{row['place']}" if served[row["place"]] else f"dramus.{row['segment']}")
        place_words = "" if served[row["place"]] else f" at {row['place']}"
        disputes[owner][row["reference"]].append(f"{row['claim']} {row['segment']}{place_words}{where_read}")
    for place, row in places.items():
        if not served[place]:
            # Skin no nerve usually reaches (the back at C6-C8, whose dorsal rami reach the skin
            # in about one embryo in ten) is not a node; its disputes go to the dorsal rami.
            continue
        segments = set().union(*(carried[nerve_row["nerve"]] for nerve_row in served[place]))
        name = node_id(side, f"skin.{place}")
        attributes = dict(
            kind="skin", side=side, body_region=row["body_region"], view=row["view"], sensory_area=sensory.sensory_area(row),
            segments=encode_segment_list(segments), label=f"{row['label']} ({SIDE_NAMES[side]})",
            aliases=encode_list(list(dict.fromkeys([row["label"], *decode_list(row["aliases"])]))), reference=citation(row),
        )
        graph.add_node(name, **attributes)
        for nerve_row in served[place]:
            nerve = nerve_row["nerve"]
            graph.add_edge(
                name, node_id(side, f"aff.{nerve}"), kind="sensory_axon", segments=encode_segment_list(carried[nerve]),
                reference=citation(nerve_row),
            )
    for owner, per_source in disputes.items():
        graph.nodes[owner]["dermatome_disputed_by"] = encode_disputes(dict(sorted(per_source.items())), "dermatome_disputed_by")
    point_nerves = defaultdict(lambda: defaultdict(list))
    for row in sensory.key_point_nerves:
        point_nerves[row["point"]][row["site"]].append(row)
    for row in sensory.key_points:
        segments = parse_segments_at(row, row["segments"])
        # The segments its nerves bring: S4-5 gets S4 through the inferior rectal nerve (S2-S4);
        # no table names a nerve bringing S5 fibres to the perianal point.
        segments = [
            segment for segment in segments
            if any(segment in carried[nerve_row["nerve"]] for nerve_row in point_nerves[row["point"]]["point"])
        ]
        name = node_id(side, row["point"])
        attributes = dict(
            kind="skin", side=side, body_region=row["body_region"], view=row["view"], sensory_area=sensory.sensory_area(row),
            segments=encode_segment_list(segments), isncsci_level=row["level"],
            label=f"{row['level']} key sensory point: {row['label']} ({SIDE_NAMES[side]})",
            aliases=encode_list([row["label"], *decode_list(row["aliases"])]), reference=citation(row),
        )
        if row["alternative"]:
            attributes["alternative"] = row["alternative"]
            attributes["alternative_nerves"] = encode_list(
                [node_id(side, f"aff.{nerve_row['nerve']}") for nerve_row in point_nerves[row["point"]]["alternative"]],
                "alternative_nerves",
            )
        graph.add_node(name, **attributes)
        for nerve_row in point_nerves[row["point"]]["point"]:
            nerve = node_id(side, f"aff.{nerve_row['nerve']}")
            # The nerve brings the point's segments it carries (S4-5: the inferior rectal nerve, S2-S4).
            shared = set(segments) & set(parse_segments(graph.nodes[nerve]["segments"]))
            if not shared:
                raise SourceTableError(f"{nerve_row['_where']}: {nerve_row['nerve']!r} does not carry {row['segments']}")
            graph.add_edge(name, nerve, kind="sensory_axon", segments=encode_segment_list(shared), reference=citation(nerve_row))
    for subject, per_source in variation.items():
        kind_word, _, segment = subject.partition(".")
        if kind_word in ("droot", "drg", "dramus"):
            graph.nodes[node_id(side, subject)]["variation_reported_by"] = encode_disputes(
                dict(sorted(per_source.items())), "variation_reported_by"
            )


def crossing_targets(sensory, segment):
    """The segments where fibres entering at ``segment`` cross, after ascending in Lissauer's tract."""
    index = segment_index(segment)
    steps = [int(step) for step in decode_list(sensory.rule["spinothalamic_crossing_segments"]["value"])]
    return tuple(dict.fromkeys(SEGMENTS[max(index - step, 0)] for step in steps))


def add_ascending_tracts(graph, body_side, sources, sensory):
    """The dorsal columns and the spinothalamic tract of one body side, with their crossings.

    Fibres run in channels by somatosensory area and by the cord region they enter in (and,
    in the dorsal columns, by fasciculus), so that lamination and somatotopy survive every
    station. A channel starts at the lowest segment whose skin belongs to its area.
    """
    crossed = opposite_side(body_side)
    region_of = {row["segment"]: LAMINA_REGION[row["cord_region"]] for row in sources.segments}
    lamina = {(row["tract"], row["cord_region"]): int(row["order_from_midline"]) for row in sensory.tract_lamination}
    fasciculi = {
        segment: row for row in sensory.dorsal_column_fasciculi
        for segment in SEGMENTS[segment_index(row["first_segment"]) : segment_index(row["last_segment"]) + 1]
    }
    stations = {}
    for row in sensory.pathway_stations:
        stations.setdefault(row["station"], {})[row["tract"]] = row
    # One order for both tracts: a shared station takes its highest order, so that every edge climbs.
    order = {station: max(int(row["order"]) for row in rows.values()) for station, rows in stations.items()}
    areas = {row["area"]: row for row in sensory.somatosensory_areas}
    fasciculus_labels = {row["fasciculus"]: row["label"] for row in sensory.dorsal_column_fasciculi}
    served = defaultdict(set)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "skin" and data["side"] == body_side:
            for segment in parse_segments(data["segments"]):
                served[segment].add(data["sensory_area"])

    def station_node(name, side, station, tract, **extra):
        row = next(iter(stations[station].values())) if tract is None else stations[station][tract]
        if name not in graph:
            where_words = f" at {extra['segment']}" if "segment" in extra else ""
            area_words = f", {areas[extra['area']]['label'].split(' (')[0]} sensory fibres" if "area" in extra else ""
            region_words = f" from {extra['cord_region']} segments" if "cord_region" in extra else ""
            if "entry_segment" in extra:
                region_words = f" entering at {extra['entry_segment']}"
            station_label = fasciculus_labels[extra["fasciculus"]] if "fasciculus" in extra else row["label"]
            attributes = dict(
                kind="sensory_tract", side=side, body_side=body_side, station=station, ascending_order=order[station],
                laterality=row["laterality"],
                label=f"{station_label}{where_words}{area_words or (', fibres' if region_words else '')}{region_words} ({SIDE_NAMES[side]})",
                reference=citation(row), **extra,
            )
            if tract is not None:
                attributes["tract"] = tract
            graph.add_node(name, **attributes)
        return name

    def link(source, target, reference):
        graph.add_edge(source, target, kind="sensory_tract", reference=reference)

    def cord_column(lowest, station_at, entries):
        """One ascending column from ``lowest`` up to C1, each segment's station fed from its entry node."""
        previous = None
        for segment in reversed(SEGMENTS[: segment_index(lowest) + 1]):
            name = station_at(segment)
            if previous:
                link(previous, name, graph.nodes[name]["reference"])
            if segment in entries:
                link(entries[segment], name, graph.nodes[name]["reference"])
            previous = name
        return previous

    def thalamocortical(entry, area):
        """VPL thalamus, internal capsule, corona radiata and cortex of ``area``, both tracts' fibres."""
        previous = entry
        for station in ("vpl_thalamus", "internal_capsule", "corona_radiata"):
            name = station_node(node_id(crossed, f"ascending.{station}.{area}"), crossed, station, None, area=area)
            link(previous, name, graph.nodes[name]["reference"])
            previous = name
        cortex = node_id(crossed, f"s1.{area}")
        if cortex not in graph:
            row = areas[area]
            label = row["label"].split(" (")[0]
            graph.add_node(
                cortex, kind="sensory_cortex", side=crossed, area=area, homunculus_order=int(row["homunculus_order"]),
                label=f"primary somatosensory cortex, {label} area ({SIDE_NAMES[crossed]})",
                aliases=encode_list([f"S1 {label}", f"somatosensory cortex {label} area", f"sensory cortex {label} area", *decode_list(row["aliases"])]),
                reference=citation(row),
            )
        link(previous, cortex, citation(stations["somatosensory_cortex"]["dorsal_columns"]))

    # Dorsal columns: ipsilateral in the cord, crossing in the medulla as internal arcuate fibres.
    channels = defaultdict(list)
    for segment in SEGMENTS:
        for area in served[segment]:
            fasciculus = fasciculi[segment]["fasciculus"]
            channels[(area, fasciculus, region_of[segment])].append(segment)
    for (area, fasciculus, region), entries in sorted(channels.items()):
        group = f"{fasciculus}_{region}"
        previous = cord_column(
            max(entries, key=segment_index),
            lambda segment: station_node(
                node_id(body_side, f"dc.{segment}.{area}.{group}"), body_side, "dorsal_column", "dorsal_columns",
                segment=segment, area=area, fasciculus=fasciculus, cord_region=region,
                lamina_order=lamina[("dorsal_columns", region)],
            ),
            {segment: node_id(body_side, f"droot.{segment}") for segment in entries},
        )
        nucleus = station_node(
            node_id(body_side, f"ascending.dorsal_column_nuclei.{fasciculus}.{area}"), body_side, "dorsal_column_nuclei",
            "dorsal_columns", area=area, fasciculus=fasciculus,
        )
        link(previous, nucleus, graph.nodes[nucleus]["reference"])
        arcuate = station_node(
            node_id(body_side, f"ascending.internal_arcuate_fibres.{area}"), body_side, "internal_arcuate_fibres",
            "dorsal_columns", area=area,
        )
        link(nucleus, arcuate, graph.nodes[arcuate]["reference"])
        lemniscus = station_node(
            node_id(crossed, f"ascending.medial_lemniscus.{area}"), crossed, "medial_lemniscus", "dorsal_columns", area=area
        )
        link(arcuate, lemniscus, graph.nodes[lemniscus]["reference"])
        thalamocortical(lemniscus, area)

    # Spinothalamic: Lissauer's tract 1-2 segments up, dorsal horn, crossing in the anterior white
    # commissure, the contralateral tract laminated by cord region.
    joins = defaultdict(set)
    for segment in SEGMENTS:
        if not served[segment]:
            continue
        region = region_of[segment]
        entry = station_node(
            node_id(body_side, f"lissauer.{segment}"), body_side, "lissauer_tract", "spinothalamic", segment=segment
        )
        link(node_id(body_side, f"droot.{segment}"), entry, graph.nodes[entry]["reference"])
        for level in crossing_targets(sensory, segment):
            # The fibres climb Lissauer's tract through every segment between their entry and the
            # dorsal horn they synapse in, so a lesion of a segment they pass cuts them.
            feeder = entry
            for passed in reversed(SEGMENTS[segment_index(level) + 1 : segment_index(segment)]):
                ascent = station_node(
                    node_id(body_side, f"lissauer.{passed}.from_{segment}"), body_side, "lissauer_tract", "spinothalamic",
                    segment=passed, entry_segment=segment,
                )
                link(feeder, ascent, graph.nodes[ascent]["reference"])
                feeder = ascent
            horn = station_node(
                node_id(body_side, f"dorsal_horn.{level}.{region}"), body_side, "dorsal_horn", "spinothalamic",
                segment=level, cord_region=region,
            )
            link(feeder, horn, graph.nodes[horn]["reference"])
            commissure = station_node(
                node_id(body_side, f"awc.{level}.{region}"), body_side, "anterior_white_commissure", "spinothalamic",
                segment=level, cord_region=region,
            )
            link(horn, commissure, graph.nodes[commissure]["reference"])
            for area in served[segment]:
                joins[(area, region)].add(level)
    for (area, region), levels in sorted(joins.items()):
        previous = cord_column(
            max(levels, key=segment_index),
            lambda segment: station_node(
                node_id(crossed, f"stt.{segment}.{area}.{region}"), crossed, "spinothalamic_tract", "spinothalamic",
                segment=segment, area=area, cord_region=region, lamina_order=lamina[("spinothalamic", region)],
            ),
            {segment: node_id(body_side, f"awc.{segment}.{region}") for segment in levels},
        )
        lemniscus = station_node(
            node_id(crossed, f"ascending.spinal_lemniscus.{area}"), crossed, "spinal_lemniscus", "spinothalamic", area=area
        )
        link(previous, lemniscus, graph.nodes[lemniscus]["reference"])
        thalamocortical(lemniscus, area)


def sensory_regions(sensory):
    """Named regions of the ascending stations (those whose names are not already motor stations)."""
    regions = {}
    for row in sensory.pathway_stations:
        if row["station"] in regions or row["station"] in ("dorsal_root_ganglion", "dorsal_root", "somatosensory_cortex"):
            continue
        regions[row["station"]] = dict(
            label=row["label"], aliases=list(decode_list(row["aliases"])), kind="station", station=row["station"],
            reference=citation(row),
        )
    return regions


def sensory_rules(sensory):
    """The rules the engine applies to sensation (rules.csv), with their references."""
    return {row["rule"]: dict(value=row["value"], reference=citation(row)) for row in sensory.rules}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed GraphML is stale")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="where to write (default: data/anatomy.graphml)")
    arguments = parser.parse_args(argv)
    try:
        payload = graphml_bytes(build_graph())
    except SourceTableError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    if arguments.check:
        current = arguments.output.read_bytes() if arguments.output.exists() else b""
        if current != payload:
            print(f"{arguments.output} is stale: run python scripts/build_anatomy.py", file=sys.stderr)
            return 1
        print(f"{arguments.output} is up to date")
        return 0
    try:
        write_file(arguments.output, payload, "graphml")
    except NeurographError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
