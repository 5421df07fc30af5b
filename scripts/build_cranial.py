"""The cranial part of the anatomy build: the cranial motor nerves and the corticobulbar system.

Built from ``data/sources/cranial/`` (``CRANIAL_TABLES.md``) by :func:`add_cranial`, which
``scripts/build_anatomy.py`` calls after the motor and sensory parts. Every side-less row is
mirrored to the left and right side; a nerve edge with ``side`` L or R exists on that side only
(the recurrent laryngeal nerves), and a crossing edge (``crosses=yes``) ends on the other side.

- Head areas of the motor cortex join the limb areas (``L.m1.brow`` ...).
- Corticobulbar fibres run one channel per cortical area (``L.cbt.<station>.<area>``) through
  the corona radiata, the genu of the internal capsule, the cerebral peduncle, the basis pontis
  and the pyramid, down to the station at which the fibres of the deepest nucleus the area
  drives leave (``corticobulbar_terminations.csv``, the ``used`` rows).
- From that station each channel ends on the nuclei its muscles hang on, on the sides their
  supranuclear supply says (``supranuclear_supply.csv``, the ``used`` row, read through
  ``neurograph.schema.SUPRANUCLEAR_SUPPLIES``). The face area's fibres reach both facial nuclei
  for the upper face and only the opposite one for the lower face because the upper and lower
  face have their own cortical areas (brow and eyelid; face and lips).
- Nuclei, nerve points and branches, muscles and reflexes are nodes; the brainstem regions and
  the parent oculomotor nucleus are named regions (``kind`` ``structures``) listing what they hold.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from pathlib import Path

from neurograph.schema import (
    BRAINSTEM_LEVELS,
    SEGMENTS,
    SIDE_NAMES,
    SIDES,
    SUPRANUCLEAR_SUPPLIES,
    decode_list,
    decode_references,
    encode_disputes,
    encode_list,
    encode_references,
    encode_sensory_rules,
    opposite_side,
    relative_sides,
)

#: The columns each cranial table must have.
COLUMNS = {
    "cortical_areas": ("area", "label", "aliases", "homunculus_order", "source"),
    "corticobulbar_stations": ("station", "order", "label", "aliases", "tract_station", "position", "source"),
    "corticobulbar_terminations": ("nucleus", "leaves_at", "status", "note", "source"),
    "nuclei": ("nucleus", "label", "aliases", "cranial_nerve", "parent", "level_from", "level_to", "source"),
    "nerve_points": ("node", "cranial_nerve", "nerve", "label", "aliases", "point_kind", "source"),
    "nerve_edges": ("from_node", "to_node", "crosses", "side", "source"),
    "muscles": ("muscle", "label", "aliases", "body_region", "cortical_area", "action", "source"),
    "innervation": ("muscle", "branch_of", "source"),
    "motor_pools": ("muscle", "nucleus", "side", "source"),
    "supranuclear_supply": ("target", "supply", "contralateral_share", "share_basis", "status", "note", "source"),
    "nerve_variation": ("subject", "aspect", "value", "share", "specimens", "note", "source"),
    "brainstem_regions": ("region", "label", "aliases", "level", "laterality", "source"),
    "region_contents": ("region", "structure", "structure_kind", "modelled", "source"),
    "reflexes": ("reflex", "label", "aliases", "response_side", "bilateral_umn_loss", "source"),
    "reflex_limbs": ("reflex", "limb", "structure", "structure_kind", "modelled", "source"),
    "rules": ("rule", "value", "basis", "note", "source"),
    "corticobulbar_course": ("area", "station", "side", "status", "note", "source"),
    "internuclear": ("from_nucleus", "to_nucleus", "crosses", "pathway", "note", "source"),
    "gaze_pathways": ("pathway", "label", "aliases", "source"),
    "gaze_stations": ("node", "pathway", "order", "label", "aliases", "level", "drives", "source"),
    "nucleus_segments": ("nucleus", "segment", "cord_station", "basis", "note", "source"),
    "nucleus_segment_disputes": ("topic", "claim", "model", "note", "source"),
    "nucleus_cord_drive": ("nucleus", "cord_station", "basis", "note", "source"),
}

#: What a rule's value rests on: a picture the references give, or a parameter the model assumes.
RULE_BASES = ("reference", "assumed")
#: The sides a motor pool's nucleus may lie on, relative to its muscle.
POOL_SIDES = ("ipsilateral", "contralateral", "bilateral")
#: How a row of ``nucleus_segments.csv`` gives its segment's share: the references give it, or
#: the graph chooses where none does (equal shares).
SEGMENT_BASES = ("reference", "choice")


def nucleus_levels(row):
    """The levels a row of ``nuclei.csv`` spans, ``level_from`` to ``level_to`` (of ``BRAINSTEM_LEVELS``)."""
    levels = list(BRAINSTEM_LEVELS)
    return levels[levels.index(row["level_from"]) : levels.index(row["level_to"]) + 1]


def read_cited(root, columns, reference_keys, helpers):
    """The tables ``columns`` names (table name to its columns) under ``cranial/``, each row citing
    known references in ``source``: table name to rows."""
    tables = {}
    for name, names in columns.items():
        rows = tables[name] = helpers.read_table(Path(root) / "cranial" / f"{name}.csv", names)
        for row in rows:
            keys = decode_references(row["source"], "source")
            unknown = [key for key in keys if key not in reference_keys]
            if not keys or unknown:
                raise helpers.error(f"{row['_where']}: {'no source given' if not keys else 'unknown reference key(s) ' + ', '.join(unknown)}")
    return tables


class CranialSources:
    """The cranial tables, read once and checked against the references and each other."""

    def __init__(self, root, reference_keys, helpers):
        self.error = helpers.error
        for name, rows in read_cited(root, COLUMNS, reference_keys, helpers).items():
            setattr(self, name, rows)
        self.points = {row["node"]: row for row in self.nerve_points}
        self.nucleus_rows = {row["nucleus"]: row for row in self.nuclei}
        self.parents = {row["parent"] for row in self.nuclei if row["parent"]}
        self.muscle_rows = {row["muscle"]: row for row in self.muscles}
        self.stations_in_order = sorted(self.corticobulbar_stations, key=lambda row: int(row["order"]))
        self.station_order = {row["station"]: int(row["order"]) for row in self.corticobulbar_stations}
        for row in self.nuclei:
            for level in (row["level_from"], row["level_to"]):
                if level not in BRAINSTEM_LEVELS:
                    raise self.error(f"{row['_where']}: unknown level {level!r}")
        #: A nucleus in the cord (the spinal accessory nucleus) to its segments' rows, rostral first.
        self.segment_parts = defaultdict(list)
        for row in self.nucleus_segments:
            nucleus = self.nucleus_rows.get(row["nucleus"])
            if (
                nucleus is None or row["segment"] not in SEGMENTS or row["basis"] not in SEGMENT_BASES
                or row["segment"] not in nucleus_levels(nucleus)
            ):
                raise self.error(f"{row['_where']}: unknown nucleus or basis, or a segment outside the nucleus's levels")
            self.segment_parts[row["nucleus"]].append(row)
        #: A nucleus in the cord to the cord station its supranuclear fibres descend in to its parts.
        self.cord_drive = {}
        for row in self.nucleus_cord_drive:
            if row["nucleus"] not in self.segment_parts or row["basis"] not in SEGMENT_BASES or row["nucleus"] in self.cord_drive:
                raise self.error(f"{row['_where']}: not a nucleus split by segment, an unknown basis, or a second row for it")
            self.cord_drive[row["nucleus"]] = row
        for nucleus, rows in self.segment_parts.items():
            levels = nucleus_levels(self.nucleus_rows[nucleus])
            if sorted(part["segment"] for part in rows) != sorted(levels):
                raise self.error(f"cranial/nucleus_segments.csv: {nucleus!r} needs one row for each of its levels {', '.join(levels)}")
            if nucleus not in self.cord_drive:
                raise self.error(f"cranial/nucleus_cord_drive.csv: {nucleus!r} needs the cord station its supranuclear fibres descend in")
        #: A nucleus to the nerve its fibres leave by (its first nerve point's).
        self.nerve_of = {row["from_node"]: self.points[row["to_node"]]["nerve"] for row in self.nerve_edges
                         if row["from_node"] in self.nucleus_rows and row["to_node"] in self.points}
        self.leaves_at = {}
        for row in self.corticobulbar_terminations:
            if row["leaves_at"] not in self.station_order:
                raise self.error(f"{row['_where']}: unknown corticobulbar station {row['leaves_at']!r}")
            if row["status"] == "used":
                if row["nucleus"] in self.leaves_at:
                    raise self.error(f"{row['_where']}: a second used termination for {row['nucleus']!r}")
                self.leaves_at[row["nucleus"]] = row
        self.pool = {}
        for row in self.motor_pools:
            if row["muscle"] not in self.muscle_rows or row["nucleus"] not in self.nucleus_rows:
                raise self.error(f"{row['_where']}: unknown muscle or nucleus")
            if row["side"] not in POOL_SIDES:
                raise self.error(f"{row['_where']}: side must be one of {', '.join(POOL_SIDES)}")
            self.pool[row["muscle"]] = row
        self.supply = defaultdict(list)
        for row in self.supranuclear_supply:
            if row["target"] not in self.muscle_rows:
                raise self.error(f"{row['_where']}: unknown muscle {row['target']!r}")
            if row["supply"] not in SUPRANUCLEAR_SUPPLIES:
                raise self.error(f"{row['_where']}: supply must be one of {', '.join(SUPRANUCLEAR_SUPPLIES)}")
            self.supply[row["target"]].append(row)
        for muscle in self.muscle_rows:
            used = [row for row in self.supply[muscle] if row["status"] == "used"]
            if len(used) != 1 or muscle not in self.pool:
                raise self.error(f"cranial muscle {muscle!r} needs one motor pool and one used supranuclear supply row")
        self.rule_rows = {row["rule"]: row for row in self.rules}
        for row in self.rules:
            # A rule is a textbook picture (``reference``) or a parameter the model chooses (``assumed``).
            if row["basis"] not in RULE_BASES or (row["basis"] == "assumed") != bool(row["note"]):
                raise self.error(f"{row['_where']}: basis must be one of {', '.join(RULE_BASES)}, an assumed value with a note")
        minor = self.rule_rows.get("minor_hemisphere_drive")
        try:
            #: The share of the drive the minor hemisphere's fibres of a mainly one-sided supply carry.
            self.minor_drive = float(minor["value"]) if minor else None
        except ValueError:
            self.minor_drive = None
        if self.minor_drive is None or not 0 < self.minor_drive < 1:
            raise self.error("cranial/rules.csv: minor_hemisphere_drive must be a number between 0 and 1")
        #: (area, station) to the side, relative to the hemisphere, its fibres run on there.
        self.course = {}
        for row in self.corticobulbar_course:
            if row["station"] not in self.station_order or row["side"] not in ("ipsilateral", "contralateral"):
                raise self.error(f"{row['_where']}: unknown station or side")
            if row["status"] == "used":
                self.course[(row["area"], row["station"])] = row

    def used_supply(self, muscle):
        return next(row for row in self.supply[muscle] if row["status"] == "used")


def add_cranial(graph, root, reference_keys, helpers):
    """Add the cranial motor system to ``graph``; return its named regions (id to region entry).

    ``helpers`` carries the build's ``read_table``, ``citation`` and ``error`` (SourceTableError).
    """
    sources = CranialSources(root, reference_keys, helpers)
    for side in SIDES:
        add_head_areas(graph, side, sources, helpers)
        add_nuclei_and_nerves(graph, side, sources, helpers)
    for side in SIDES:
        add_nerve_edges(graph, side, sources, helpers)
        add_cranial_muscles(graph, side, sources, helpers)
    for side in SIDES:
        add_gaze_stations(graph, side, sources, helpers)
    for side in SIDES:
        add_gaze_edges(graph, side, sources, helpers)
    for side in SIDES:
        add_internuclear_edges(graph, side, sources, helpers)
    # Face sensation (build_trigeminal.py): the corneal reflex's afferent limb and the lateral medulla need it.
    face = sibling("build_trigeminal")
    trigeminal = face.add_trigeminal(graph, read_cited(root, face.COLUMNS, reference_keys, helpers), helpers)
    for side in SIDES:
        add_corticobulbar(graph, side, sources, helpers)
        add_cranial_reflexes(graph, side, sources, helpers)
    graph.graph["cranial_rules"] = encode_sensory_rules(
        {row["rule"]: {"value": row["value"], "basis": row["basis"], "reference": helpers.citation(row)} for row in sources.rules}
    )
    return {**trigeminal, **cranial_regions(graph, sources, helpers)}


def sibling(name):
    """A build script beside this one, loaded as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).resolve().with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled(row, side):
    """``label`` and ``aliases`` attributes of a row on one side (the label is an alias too)."""
    return dict(
        label=f"{row['label']} ({SIDE_NAMES[side]})",
        aliases=encode_list(list(dict.fromkeys([row["label"], *decode_list(row["aliases"])]))),
    )


def add_head_areas(graph, side, sources, helpers):
    for row in sources.cortical_areas:
        name = f"{side}.m1.{row['area']}"
        if name in graph:
            raise helpers.error(f"{row['_where']}: the cortical area {row['area']!r} already exists")
        graph.add_node(
            name, kind="cortical_area", side=side, area=row["area"],
            label=f"primary motor cortex, {row['label']} area ({SIDE_NAMES[side]})",
            aliases=encode_list([f"M1 {row['label']}", f"motor cortex {row['label']} area", *decode_list(row["aliases"])]),
            homunculus_order=int(row["homunculus_order"]), reference=helpers.citation(row),
        )


def add_nuclei_and_nerves(graph, side, sources, helpers):
    caudal = {row["subject"]: row for row in sources.nerve_variation if row["aspect"] == "caudal_extent"}
    for row in sources.nuclei:
        if row["nucleus"] in sources.parents:
            continue  # a parent nucleus is the region of its subnuclei (cranial_regions)
        attributes = dict(
            kind="cranial_nucleus", side=side, cranial_nerve=row["cranial_nerve"], level_from=row["level_from"],
            level_to=row["level_to"], reference=helpers.citation(row), **labelled(row, side),
        )
        if row["parent"]:
            attributes["parent"] = row["parent"]
        if row["nucleus"] in caudal:
            extent = caudal[row["nucleus"]]
            attributes["variation_reported_by"] = encode_disputes(
                {extent["source"]: [f"caudal extent {extent['value']}"]}, "variation_reported_by"
            )
        graph.add_node(f"{side}.{row['nucleus']}", **attributes)
        for part in sources.segment_parts.get(row["nucleus"], ()):
            # The segment's share of a nucleus in the cord: its motor neurons there and their
            # rootlets, lying in the cord segment (a lesion of the segment, whole or one half, or
            # of the anterior horns in a cord pattern, takes them), of kind ``cranial_nerve`` so
            # that each of the pool's routes runs through one of them (nucleus_segments.csv); its
            # drive descends the cord to it in ``drive_cord_station`` (nucleus_cord_drive.csv).
            drive = sources.cord_drive[row["nucleus"]]
            graph.add_node(
                f"{side}.{row['nucleus']}.{part['segment']}", kind="cranial_nerve", side=side, cranial_nerve=row["cranial_nerve"],
                nerve=sources.nerve_of[row["nucleus"]], point_kind="cord_part", segment=part["segment"],
                cord_station=part["cord_station"], drive_cord_station=drive["cord_station"],
                reference=encode_references(dict.fromkeys(decode_references(part["source"]) + decode_references(drive["source"]))),
                label=f"{row['label']} at {part['segment']} ({SIDE_NAMES[side]})",
                aliases=encode_list([f"{row['label']} at {part['segment']}", f"{part['segment']} part of the {row['label']}"]),
            )
    for row in sources.nerve_points:
        graph.add_node(
            f"{side}.{row['node']}", kind="cranial_nerve", side=side, cranial_nerve=row["cranial_nerve"], nerve=row["nerve"],
            point_kind=row["point_kind"], reference=helpers.citation(row), **labelled(row, side),
        )


def add_gaze_stations(graph, side, sources, helpers):
    """The brainstem gaze system above the ocular motor nuclei: the horizontal gaze centre and the
    stations of the medial longitudinal fasciculus (``gaze_stations.csv``), kind ``gaze_pathway``."""
    pathways = {row["pathway"] for row in sources.gaze_pathways}
    for row in sources.gaze_stations:
        if row["pathway"] not in pathways or row["level"] not in BRAINSTEM_LEVELS:
            raise helpers.error(f"{row['_where']}: unknown pathway or level")
        graph.add_node(
            f"{side}.{row['node']}", kind="gaze_pathway", side=side, pathway=row["pathway"], level=row["level"],
            reference=helpers.citation(row), **labelled(row, side),
        )


def add_gaze_edges(graph, side, sources, helpers):
    """Each gaze station to what it drives, on its own side: the next station of its pathway, or a nucleus."""
    for row in sources.gaze_stations:
        target = f"{side}.{row['drives']}"
        if graph.nodes.get(target, {}).get("kind") not in ("gaze_pathway", "cranial_nucleus"):
            raise helpers.error(f"{row['_where']}: unknown gaze station or nucleus {row['drives']!r}")
        graph.add_edge(f"{side}.{row['node']}", target, kind="internuclear", reference=helpers.citation(row))


def add_internuclear_edges(graph, side, sources, helpers):
    """The internuclear fibres from one nucleus to another (the abducens nucleus's to the medial
    rectus subnucleus of the other side): a drive the receiving nucleus's pool loses with them.

    Fibres whose pathway has stations (``gaze_stations.csv``: the medial longitudinal fasciculus)
    enter its first station, on the side the row's ``crosses`` gives, and run along it; the
    stations' chain must end on the receiving nucleus."""
    first = {}
    for row in sorted(sources.gaze_stations, key=lambda row: int(row["order"])):
        first.setdefault(row["pathway"], row["node"])
    for row in sources.internuclear:
        if row["crosses"] not in ("yes", "no"):
            raise helpers.error(f"{row['_where']}: crosses must be yes or no")
        source_node = f"{side}.{row['from_nucleus']}"
        far_side = opposite_side(side) if row["crosses"] == "yes" else side
        target_node = f"{far_side}.{row['to_nucleus']}"
        for end in (source_node, target_node):
            if graph.nodes.get(end, {}).get("kind") != "cranial_nucleus":
                raise helpers.error(f"{row['_where']}: unknown nucleus {end.split('.', 1)[1]!r}")
        entry = f"{far_side}.{first[row['pathway']]}" if row["pathway"] in first else target_node
        station = entry
        while graph.nodes[station]["kind"] == "gaze_pathway":
            station = next(iter(graph.successors(station)))
        if station != target_node:
            raise helpers.error(f"{row['_where']}: the {row['pathway']} stations do not end on {row['to_nucleus']!r}")
        graph.add_edge(source_node, entry, kind="internuclear", crosses=row["crosses"], pathway=row["pathway"],
                       reference=helpers.citation(row))


def add_nerve_edges(graph, side, sources, helpers):
    for row in sources.nerve_edges:
        if row["side"] not in ("both", side):
            continue
        if row["crosses"] not in ("yes", "no"):
            raise helpers.error(f"{row['_where']}: crosses must be yes or no")
        source_node = f"{side}.{row['from_node']}"
        target_node = f"{opposite_side(side) if row['crosses'] == 'yes' else side}.{row['to_node']}"
        for end in (source_node, target_node):
            if end not in graph:
                raise helpers.error(f"{row['_where']}: unknown nucleus or nerve point {end.split('.', 1)[1]!r}")
        attributes = dict(kind="cranial_motor_axon", crosses=row["crosses"], reference=helpers.citation(row))
        if row["side"] != "both":
            attributes["side_only"] = side
        parts = [f"{source_node}.{part['segment']}" for part in sources.segment_parts.get(row["from_node"], ())]
        for part in parts:
            # A nucleus in the cord reaches its nerve through each segment's part, one route a part.
            graph.add_edge(source_node, part, **attributes)
            graph.add_edge(part, target_node, **attributes)
        if not parts:
            graph.add_edge(source_node, target_node, **attributes)


def supply_views(rows, status):
    """The supplies of one status (``agrees`` or ``dissent``) as a dispute attribute, or ``""``."""
    views = defaultdict(list)
    for row in rows:
        if row["status"] == status:
            share = f" (contralateral share {float(row['contralateral_share']):.2f})" if row["contralateral_share"] else ""
            for key in decode_references(row["source"]):
                views[key].append(row["supply"] + share)
    return encode_disputes(dict(sorted(views.items())), "supply_disputed_by") if views else ""


def add_cranial_muscles(graph, side, sources, helpers):
    variation = defaultdict(list)
    for row in sources.nerve_variation:
        if row["subject"] in sources.muscle_rows:
            share = f" in {float(row['share']):.0%} of {row['specimens']}" if row["share"] else ""
            variation[row["subject"]].extend((key, f"{row['aspect'].replace('_', ' ')} {row['value'].replace('_', ' ')}{share}") for key in decode_references(row["source"]))
    for muscle, row in sources.muscle_rows.items():
        pool = sources.pool[muscle]
        used = sources.used_supply(muscle)
        attributes = dict(
            kind="cranial_muscle", side=side, body_region=row["body_region"], cortical_area=row["cortical_area"],
            action=row["action"], cranial_nerve=sources.nucleus_rows[pool["nucleus"]]["cranial_nerve"],
            nucleus=pool["nucleus"], nucleus_side=pool["side"], supranuclear_supply=used["supply"],
            supply_source=helpers.citation(used), reference=helpers.citation(row), **labelled(row, side),
        )
        if used["contralateral_share"]:
            attributes["contralateral_share"] = used["contralateral_share"]
        for status, attribute in (("agrees", "supply_agreed_by"), ("dissent", "supply_disputed_by")):
            views = supply_views(sources.supply[muscle], status)
            if views:
                attributes[attribute] = views
        if variation[muscle]:
            per_source = defaultdict(list)
            for key, finding in variation[muscle]:
                per_source[key].append(finding)
            attributes["variation_reported_by"] = encode_disputes(dict(sorted(per_source.items())), "variation_reported_by")
        graph.add_node(f"{side}.muscle.{muscle}", **attributes)
    for row in sources.innervation:
        branch = f"{side}.{row['branch_of']}"
        if row["muscle"] not in sources.muscle_rows or branch not in graph:
            raise helpers.error(f"{row['_where']}: unknown muscle or nerve point")
        graph.add_edge(branch, f"{side}.muscle.{row['muscle']}", kind="cranial_innervates", reference=helpers.citation(row))


def add_corticobulbar(graph, hemisphere, sources, helpers):
    """One hemisphere's corticobulbar channels, each ending on the nuclei its area's muscles hang on."""
    targets = defaultdict(dict)  # area -> nucleus node -> (laterality, muscle row, supply row)
    for muscle, row in sources.muscle_rows.items():
        area = row["cortical_area"]
        used = sources.used_supply(muscle)
        if not area or not SUPRANUCLEAR_SUPPLIES[used["supply"]]:
            continue
        if f"{hemisphere}.m1.{area}" not in graph:
            raise helpers.error(f"{row['_where']}: unknown cortical area {area!r}")
        pool = sources.pool[muscle]
        for rank, laterality in enumerate(SUPRANUCLEAR_SUPPLIES[used["supply"]]):
            muscle_side = hemisphere if laterality == "ipsilateral" else opposite_side(hemisphere)
            for nucleus_side in relative_sides(pool["side"], muscle_side):
                nucleus = f"{nucleus_side}.{pool['nucleus']}"
                # A mainly one-sided supply lists its main side first; the other carries a share.
                drive = sources.minor_drive if rank > 0 and used["supply"].startswith("mainly_") else 1.0
                earlier = targets[area].get(nucleus)
                if earlier is not None and earlier[1]["muscle"] != muscle and earlier[2]["supply"] != used["supply"]:
                    raise helpers.error(
                        f"{used['_where']}: {muscle} and {earlier[1]['muscle']} share the {area} area and {pool['nucleus']} "
                        "but not their supranuclear supply"
                    )
                if earlier is not None and earlier[1]["muscle"] == muscle and earlier[0] != laterality:
                    # A muscle whose pool lies on both sides (the levator) meets a nucleus from both hemispheres' sides.
                    laterality, drive = "bilateral", max(drive, earlier[3])
                targets[area][nucleus] = (laterality, row, used, drive)
    for area, nuclei in sorted(targets.items()):
        leaving = {}
        for nucleus in nuclei:
            termination = sources.leaves_at.get(nucleus.split(".", 1)[1])
            if termination is None:
                raise helpers.error(f"no used corticobulbar termination for {nucleus.split('.', 1)[1]!r}")
            leaving[nucleus] = termination
        deepest = max(sources.station_order[row["leaves_at"]] for row in leaving.values())
        previous = f"{hemisphere}.m1.{area}"
        area_label = graph.nodes[previous]["label"].split(", ", 1)[1].rsplit(" area (", 1)[0]
        at_station = {}
        for station in sources.stations_in_order:
            if int(station["order"]) > deepest:
                break
            # Fibres that run on the other side at a station (corticobulbar_course.csv) are that side's nodes there.
            course = sources.course.get((area, station["station"]))
            located = opposite_side(hemisphere) if course and course["side"] == "contralateral" else hemisphere
            name = at_station[station["station"]] = f"{located}.cbt.{station['station']}.{area}"
            where = f" of the {SIDE_NAMES[hemisphere]} hemisphere" if located != hemisphere else ""
            graph.add_node(
                name, kind="corticobulbar_tract", side=located, hemisphere=hemisphere, area=area,
                station=station["tract_station"] or station["station"], station_order=int(station["order"]),
                label=f"{station['label']}, {area_label} fibres{where} ({SIDE_NAMES[located]})",
                reference=helpers.citation(course or station),
            )
            graph.add_edge(previous, name, kind="corticobulbar", reference=helpers.citation(course or station))
            previous = name
        for nucleus, termination in sorted(leaving.items()):
            laterality, _, used, drive = nuclei[nucleus]
            attributes = dict(laterality=laterality, drive=drive) if drive < 1 else dict(laterality=laterality)
            graph.add_edge(
                at_station[termination["leaves_at"]], nucleus, kind="corticobulbar", **attributes,
                reference=encode_references(dict.fromkeys(decode_references(termination["source"]) + decode_references(used["source"]))),
            )


def add_cranial_reflexes(graph, side, sources, helpers):
    limbs = defaultdict(list)
    for row in sources.reflex_limbs:
        limbs[row["reflex"]].append(row)
    centres = {}  # reflex to the onion-skin ring of the face place it is stimulated at
    for row in sources.reflexes:
        name = f"{side}.reflex.{row['reflex']}"
        attributes = dict(
            kind="cranial_reflex", side=side, response_side=row["response_side"], bilateral_umn_loss=row["bilateral_umn_loss"],
            reference=helpers.citation(row), **labelled(row, side),
        )
        for limb in limbs[row["reflex"]]:
            if limb["limb"] == "afferent" and limb["structure_kind"] == "nerve_point":
                attributes["afferent_via"] = f"{side}.{limb['structure']}"
            elif limb["limb"] == "afferent" and limb["structure_kind"] == "trigeminal_place":
                # The stimulus falls on a face place of the stimulated side: its arc runs from the place's
                # nerve down to the centre (below), the nucleus level of the place's ring.
                place = graph.nodes[f"{side}.skin.{limb['structure']}"]
                attributes["afferent_via"] = next(graph.successors(f"{side}.skin.{limb['structure']}"))
                centres[row["reflex"]] = place["trigeminal_zone"]
            elif limb["limb"] == "centre" and limb["structure_kind"] == "trigeminal_station":
                # The modelled centre: the station's node (side-less id) where the place's fibres end.
                attributes["centre"] = next(
                    node.split(".", 1)[1] for node, data in graph.nodes(data=True)
                    if data["side"] == side and data.get("station") == limb["structure"]
                    and data.get("trigeminal_zone") == centres.get(row["reflex"])
                )
            elif limb["limb"] == "centre":
                attributes["centre"] = limb["structure"]
            elif limb["limb"] == "efferent":
                attributes["efferent_nucleus"] = limb["structure"]
        graph.add_node(name, **attributes)
        # A reflex node stands on the stimulated side; a consensual response comes from the other side's muscles.
        responding = opposite_side(side) if row["response_side"] == "contralateral" else side
        for limb in limbs[row["reflex"]]:
            if limb["limb"] == "muscle":
                muscle = f"{responding}.muscle.{limb['structure']}"
                if muscle not in graph:
                    raise helpers.error(f"{limb['_where']}: unknown cranial muscle {limb['structure']!r}")
                graph.add_edge(muscle, name, kind="reflex_response", reference=helpers.citation(limb))


def cranial_regions(graph, sources, helpers):
    """The brainstem regions and the parent nuclei as named regions of side-less node ids.

    A region's tract and corticobulbar stations are expanded to their nodes (every area's
    channel at that station); sensory stations join when the graph has them; structures no table
    models yet are listed in ``unmodelled``.
    """
    left = {node.split(".", 1)[1]: data for node, data in graph.nodes(data=True) if data["side"] == "L"}

    def expand(row, level):
        kind, structure = row["structure_kind"], row["structure"]
        if kind == "trigeminal_station":
            # A station that runs through several levels (the spinal trigeminal tract) is cut at the region's own.
            return [n for n, d in left.items() if d["kind"] == "sensory_tract" and d["station"] == structure and d.get("level", level) == level]
        if kind == "tract_station":
            return [n for n, d in left.items() if d["kind"] == "tract" and d["station"] == structure and not d.get("segment")]
        if kind == "corticobulbar_station":
            return [n for n in left if n.startswith(f"cbt.{structure}.")]
        if kind == "sensory_station":
            return [n for n, d in left.items() if d["kind"] == "sensory_tract" and d["station"] == structure]
        if kind == "nucleus":
            return [n for n, d in left.items() if n == structure or d.get("parent") == structure]
        if kind in ("nerve_point", "gaze_station"):
            return [structure] if structure in left else []
        return []

    regions = {}
    for row in sources.nuclei:
        if row["nucleus"] in sources.parents:
            regions[row["nucleus"]] = dict(
                label=row["label"], aliases=list(decode_list(row["aliases"])), kind="structures", laterality="unilateral",
                level=row["level_from"], nodes=sorted(n for n, d in left.items() if d.get("parent") == row["nucleus"]),
                reference=helpers.citation(row),
            )
    stations = defaultdict(list)
    for row in sorted(sources.gaze_stations, key=lambda row: int(row["order"])):
        stations[row["pathway"]].append(row)
    for row in sources.gaze_pathways:
        if len(stations[row["pathway"]]) > 1:
            # A pathway of several stations (the medial longitudinal fasciculus) is the region of its stations.
            regions[row["pathway"]] = dict(
                label=row["label"], aliases=list(decode_list(row["aliases"])), kind="structures", laterality="unilateral",
                level=stations[row["pathway"]][0]["level"], nodes=[station["node"] for station in stations[row["pathway"]]],
                reference=helpers.citation(row),
            )
    contents = defaultdict(list)
    for row in sources.region_contents:
        contents[row["region"]].append(row)
    for row in sources.brainstem_regions:
        if row["laterality"] not in ("unilateral", "bilateral") or row["level"] not in BRAINSTEM_LEVELS:
            raise helpers.error(f"{row['_where']}: bad laterality or level")
        nodes, unmodelled = [], []
        for held in contents[row["region"]]:
            found = expand(held, row["level"])
            if held["structure_kind"] in ("unmodelled", "sensory_station") and not found:
                unmodelled.append(held["structure"])
            elif not found:
                raise helpers.error(f"{held['_where']}: {held['structure']!r} is not in the graph")
            nodes.extend(found)
        regions[row["region"]] = dict(
            label=row["label"], aliases=list(decode_list(row["aliases"])), kind="structures", laterality=row["laterality"],
            level=row["level"], nodes=sorted(dict.fromkeys(nodes)), unmodelled=unmodelled, reference=helpers.citation(row),
        )
    for row in sources.corticobulbar_stations:
        if not row["tract_station"]:
            # The genu carries corticobulbar fibres alone; the other stations are the tract stations' regions.
            regions[row["station"]] = dict(
                label=row["label"], aliases=list(decode_list(row["aliases"])), kind="station", station=row["station"],
                reference=helpers.citation(row),
            )
    return regions
