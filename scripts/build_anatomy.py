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
import sys
from collections import defaultdict
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from neurograph.errors import NeurographError  # noqa: E402
from neurograph.io import graphml_bytes  # noqa: E402
from neurograph.schema import (  # noqa: E402
    SEGMENTS,
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
DATA_VERSION = "2.1.0"

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
    graph = nx.DiGraph()
    graph.graph.update(
        name="neurograph human somatic motor system",
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
    drive = area_segments(sources, segment_facts)
    for side in SIDES:
        add_cord(graph, side, sources)
    for side in SIDES:
        add_cortex_and_tracts(graph, side, sources, drive)
    for side in SIDES:
        add_peripheral(graph, side, sources)
        add_muscles(graph, side, sources, muscles, segment_facts)
        add_reflexes(graph, side, sources)
    graph.graph["muscle_groups"] = encode_muscle_groups(groups_table(sources, muscles))
    graph.graph["regions"] = encode_regions(regions_table(sources))
    graph.graph["synonyms"] = encode_synonyms(synonyms_table(sources))
    return graph


def area_segments(sources, segment_facts):
    """Which cord segments each cortical area drives: those of the muscles it moves."""
    areas = {row["area"] for row in sources.areas}
    drive = defaultdict(set)
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
            aliases=f"{segment} root|{segment} nerve root|{segment} ventral root|{segment} motor root|{segment} radiculopathy",
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
