#!/usr/bin/env python3
"""Mutation testing of the anatomy data and the engine: does every fact and every rule break a test?

A *mutant* is the repository with one small change: a fact in a source table under
``data/sources`` (a muscle's segment dropped, a nerve branch moved one step along its nerve, a
reflex's responding muscle dropped, a region's bounds moved, ...) or an operator in the engine
core (a comparison flipped, a threshold changed, ``and`` for ``or``, two rules swapped). Each
mutant is made in a temporary copy of the repository (the working tree is never touched):

1. data mutants are rebuilt through ``scripts/build_anatomy.py`` (a build that refuses the
   tables kills the mutant);
2. the mutant is *probed*: every single site of the anatomy lesioned alone in both phases
   (a data mutant: every site its change can reach, see :func:`probe_scope`), a fixed, seeded
   set of multi-site lesions with partial severities, and (engine mutants) every site's atlas
   row and the localization of a fixed set of examinations; a prediction holds muscles,
   reflexes, sensation and cranial signs. A mutant whose probe answers exactly as the
   original's is *equivalent*: no prediction can tell it apart, and it is reported apart. A
   mutant of a table the build does not read (inference, variants, syndromes) is judged by its
   tests alone and reported apart too;
3. the test selection runs on the mutant (``pytest -x -q``, the mutant anatomy passed through
   ``NEUROGRAPH_TEST_ANATOMY``). A failing test *kills* the mutant; a passing selection lets it
   *survive*, and every survivor is listed with its file, row and change.

Each mutant is judged in a child forked from a process that has imported everything once, so a
mutant costs a few seconds; ``--jobs`` children run at once.

    python scripts/mutation_test.py                         # the sampled run (CI): fails on a survivor
    python scripts/mutation_test.py --ids survivors.txt --merge full.json --report docs/mutation_report.md
    python scripts/mutation_test.py --data 300 --engine 50 --report docs/mutation_report.md
    python scripts/mutation_test.py --list                  # every mutant that could be drawn
    python scripts/mutation_test.py --only d-1a2b3c4d       # one mutant, with the test output

Data mutants are drawn from tables by the mutators registered for them in ``DATA_MUTATORS``
(a table glob to its mutators); a table added later (``data/sources/sensory/*.csv``,
``data/sources/cranial/*.csv``) gets its kinds by adding one entry built from the generic
mutators (``shift_segments``, ``drop_list_item``, ``replace_value``, ``drop_row``), and until
then its segment and list columns are mutated by ``generic_mutators``. Engine mutants are
found with :mod:`ast` in the engine core as it is when the script runs, so they follow the code
as it changes; a mutant's id is a hash of what it changes, not of a line number.

Exit status: 0 when every non-equivalent mutant run was killed (or survived with a reason in
``EXPLAINED``), 1 when one survived, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import importlib.util
import io
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCES = Path("data") / "sources"

#: The engine core, mutated where it exists when the script runs.
ENGINE_FILES = (
    "neurograph/engine.py",
    "neurograph/lesion.py",
    "neurograph/atlas.py",
    "neurograph/localization.py",
    "neurograph/routes.py",
)
#: What a mutant's temporary copy of the repository holds.
COPIED = ("neurograph", "scripts", "tests", "data", "pyproject.toml")

#: The fast test selections: tests that pin facts and rules from the references first.
DATA_TESTS = (
    "tests/test_reference_*.py", "tests/test_sensory_tables.py", "tests/test_cranial_tables.py", "tests/test_anatomy.py",
    "tests/test_lesion_cases.py", "tests/test_validate.py",
)
ENGINE_TESTS = (
    "tests/test_reference_*.py", "tests/test_lesion_cases.py", "tests/test_atlas.py", "tests/test_localize.py",
)
#: Test files run first on a mutant of a file matching the glob: those that pin what it holds
#: (a mutant is usually killed by one of them, and the run stops at the first failure).
FOCUSED_TESTS = {
    "data/sources/muscle_segments/*": ("tests/test_reference_myotomes.py",),
    "data/sources/innervation/*": ("tests/test_reference_branching.py",),
    "data/sources/peripheral_edges.csv": ("tests/test_reference_branching.py", "tests/test_reference_myotomes.py"),
    "data/sources/reflexes.csv": ("tests/test_reference_reflexes.py",),
    "data/sources/muscles/*": ("tests/test_reference_cortex_and_regions.py",),
    "data/sources/cortical_areas.csv": ("tests/test_reference_cortex_and_regions.py",),
    "data/sources/regions.csv": ("tests/test_reference_cortex_and_regions.py",),
    "data/sources/segments.csv": ("tests/test_reference_cortex_and_regions.py",),
    "data/sources/sensory/*": (
        "tests/test_reference_sensory.py", "tests/test_sensory_tables.py", "tests/test_sensory_anatomy.py",
        "tests/test_sensation.py",
    ),
    "data/sources/cranial/*": ("tests/test_reference_cranial.py", "tests/test_cranial*.py"),
    "data/sources/inference/*": ("tests/test_reference_pins.py", "tests/test_inference*.py"),
    "data/sources/variants/*": ("tests/test_reference_pins.py", "tests/test_variants*.py"),
    "neurograph/engine.py": ("tests/test_reference_engine_rules.py",),
    "neurograph/lesion.py": ("tests/test_reference_engine_rules.py",),
    "neurograph/routes.py": ("tests/test_reference_engine_rules.py",),
    "neurograph/atlas.py": ("tests/test_atlas.py",),
    "neurograph/localization.py": ("tests/test_localize.py", "tests/test_inference.py"),
}
#: Survivors that change a prediction into one the references also allow, by id, with the
#: reason: reported as survivors, but they do not fail the run (docs/mutation_report.md).
EXPLAINED = {
    "d-7dde5347": "T12 fibres join the iliohypogastric nerve in many subjects (Gray42), so a T12 share of its "
    "branch to transversus abdominis is an anatomical variant, not an error",
    "d-7de80b6b": "Nathan1990 follows the anterior corticospinal tract into the upper thoracic cord without naming "
    "its last segment; T4 and T5 both fit",
    "d-5651c8cb": "Nathan1990 follows the anterior corticospinal tract into the upper thoracic cord without naming "
    "its last segment; T3 and T4 both fit",
    "d-a58ffa87": "Nathan1990 follows the anterior corticospinal tract into the upper thoracic cord without naming "
    "its last segment; T4 and T5 both fit",
    "d-4131c0e7": "Nathan1990 follows the anterior corticospinal tract into the upper thoracic cord without naming "
    "its last segment; T3 and T4 both fit",
    "d-a344bda4": "Gray42 gives the external oblique's supply as the lower six thoracic ventral rami (T7-T12) without "
    "weighing one segment against another; T7 as a major or a minor contribution both fit",
    "d-b3bd8bf4": "Blumenfeld2021 and Brazis2011 put the locked-in infarct in the basis pontis of both sides without one "
    "level; the region holds the abducens fascicles, which leave through the caudal pons, so pons_mid and pons_caudal "
    "both fit",
}

#: The anatomy the tests load instead of the packaged one (tests/conftest.py).
ANATOMY_OVERRIDE = "NEUROGRAPH_TEST_ANATOMY"

SEGMENTS = (
    tuple(f"C{i}" for i in range(1, 9)) + tuple(f"T{i}" for i in range(1, 13)) + tuple(f"L{i}" for i in range(1, 6))
    + tuple(f"S{i}" for i in range(1, 6)) + ("Co1",)
)
CORD_REGIONS = ("cervical", "thoracic", "lumbar", "sacral", "coccygeal")
#: Brainstem levels rostral to caudal, then the cord's (data/sources/CRANIAL_TABLES.md).
LEVELS = (
    "midbrain_superior_colliculus", "midbrain_inferior_colliculus", "pons_rostral", "pons_mid", "pons_caudal",
    "medulla_rostral", "medulla_caudal",
) + SEGMENTS


# --------------------------------------------------------------------------------------------
# Mutants


@dataclass
class Mutant:
    """One small change to a copy of the repository."""

    family: str  # "data" or "engine"
    kind: str  # the mutator
    file: str  # path relative to the repository
    row: int  # the CSV line (data) or source line (engine) it changes
    change: str  # what it changes, in words
    apply: object = field(repr=False, compare=False)  # callable(root: Path) -> None

    @property
    def id(self):
        digest = hashlib.sha1(f"{self.kind}|{self.file}|{self.change}".encode()).hexdigest()[:8]
        return f"{self.family[0]}-{digest}"

    def where(self):
        return f"{self.file}:{self.row}"


# --------------------------------------------------------------------------------------------
# Source tables


class Table:
    """A CSV source table: its header and rows (dicts), and the line number of each row."""

    def __init__(self, path):
        self.path = Path(path)
        with open(REPO / self.path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            self.header = list(reader.fieldnames or ())
            self.rows = [dict(row) for row in reader]
        self.lines = list(range(2, len(self.rows) + 2))

    def render(self, rows):
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=self.header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue()


def read_tables():
    """Every CSV table under data/sources, by its path relative to data/sources."""
    return {
        str(path.relative_to(REPO / SOURCES)): Table(path.relative_to(REPO))
        for path in sorted((REPO / SOURCES).rglob("*.csv"))
    }


def table_mutant(kind, table, index, change, edit):
    """A data mutant whose ``edit(rows)`` returns the table's new rows (from a copy of them)."""

    def apply(root):
        rows = edit([dict(row) for row in table.rows])
        (root / table.path).write_text(table.render(rows), encoding="utf-8")

    line = table.lines[index] if index is not None and index < len(table.lines) else len(table.lines) + 2
    return Mutant("data", kind, str(table.path), line, change, apply)


def replace_row(index, **values):
    def edit(rows):
        rows[index].update(values)
        return rows
    return edit


def segment_list(text):
    """Segments of a ``|`` list with ``A-B`` runs, rostral first."""
    found = []
    for token in filter(None, (part.strip() for part in (text or "").split("|"))):
        first, _, last = token.partition("-")
        if last and first in SEGMENTS and last in SEGMENTS:
            found.extend(SEGMENTS[SEGMENTS.index(first) : SEGMENTS.index(last) + 1])
        elif token in SEGMENTS:
            found.append(token)
        else:
            return []  # not a segment list
    return found


def neighbours(segment, order=SEGMENTS):
    position = order.index(segment)
    return [order[i] for i in (position - 1, position + 1) if 0 <= i < len(order)]


# Generic mutators: each is a factory taking column names, returning ``mutator(table, tables)``.


def shift_segments(column, kind=None):
    """Drop the first or last segment of a segment list, or add the one beyond either end."""

    def mutate(table, tables):
        for index, row in enumerate(table.rows):
            segments = segment_list(row.get(column))
            if not segments or len(segments) != len(set(segments)):
                continue
            variants = []
            if len(segments) > 1:
                variants += [(segments[1:], f"drops {segments[0]}"), (segments[:-1], f"drops {segments[-1]}")]
            first, last = SEGMENTS.index(segments[0]), SEGMENTS.index(segments[-1])
            if first > 0:
                variants.append(([SEGMENTS[first - 1], *segments], f"adds {SEGMENTS[first - 1]}"))
            if last + 1 < len(SEGMENTS):
                variants.append(([*segments, SEGMENTS[last + 1]], f"adds {SEGMENTS[last + 1]}"))
            for new, words in variants:
                yield table_mutant(
                    kind or f"segments:{column}", table, index, f"{describe(row)} {column} {words} ({row[column]} -> {'|'.join(new)})",
                    replace_row(index, **{column: "|".join(new)}),
                )
    return mutate


def shift_bound(column, order=SEGMENTS):
    """Move a single-segment bound (a region's first or last segment) one segment (or ``order``'s level) up or down."""

    def mutate(table, tables):
        for index, row in enumerate(table.rows):
            if row.get(column) in order:
                for other in neighbours(row[column], order):
                    yield table_mutant(
                        f"bound:{column}", table, index, f"{describe(row)} {column} {row[column]} -> {other}",
                        replace_row(index, **{column: other}),
                    )
    return mutate


def drop_list_item(column):
    """Drop one item of a ``|`` list (a group member, a reflex's responding muscle)."""

    def mutate(table, tables):
        for index, row in enumerate(table.rows):
            items = [item for item in (row.get(column) or "").split("|") if item]
            if len(items) < 2:
                continue
            for item in items:
                kept = "|".join(other for other in items if other != item)
                yield table_mutant(
                    f"drop-item:{column}", table, index, f"{describe(row)} {column} loses {item}",
                    replace_row(index, **{column: kept}),
                )
    return mutate


def replace_value(column, choices):
    """Replace a column's value (where a row has one) by each of ``choices(row, tables)``."""

    def mutate(table, tables):
        for index, row in enumerate(table.rows):
            for other in choices(row, tables) if row.get(column) else ():
                if other != row.get(column):
                    yield table_mutant(
                        f"replace:{column}", table, index, f"{describe(row)} {column} {row.get(column)} -> {other}",
                        replace_row(index, **{column: other}),
                    )
    return mutate


def swap_values(column, same=None):
    """Swap a column's values between two rows (optionally only rows equal in column ``same``)."""

    def mutate(table, tables):
        rows = table.rows
        for first in range(len(rows)):
            for second in range(first + 1, len(rows)):
                a, b = rows[first], rows[second]
                if a[column] == b[column] or (same and a[same] != b[same]):
                    continue
                if _facts({**a, column: b[column]}) == _facts(b) and _facts({**b, column: a[column]}) == _facts(a):
                    continue  # the rows trade places: the table holds the same facts (only citations move)

                def edit(new, first=first, second=second):
                    new[first][column], new[second][column] = new[second][column], new[first][column]
                    return new

                yield table_mutant(
                    f"swap:{column}", table, first,
                    f"{describe(a)} and {describe(b)} swap {column} ({a[column]} <-> {b[column]})", edit,
                )
    return mutate


def _facts(row):
    """A row without its citation."""
    return {key: value for key, value in row.items() if key not in ("source", "reference")}


def drop_row():
    def mutate(table, tables):
        for index, row in enumerate(table.rows):
            yield table_mutant(
                "drop-row", table, index, f"{describe(row)} row dropped",
                lambda rows, index=index: rows[:index] + rows[index + 1 :],
            )
    return mutate


def describe(row):
    """A row as a reader finds it: its leading key columns."""
    values = [value for value in list(row.values())[:2] if value]
    return "/".join(values) or "row"


def generic_mutators(table):
    """Mutators for a table no entry of ``DATA_MUTATORS`` names: its segment and list columns."""
    mutators = []
    for column in table.header:
        values = [row.get(column) or "" for row in table.rows]
        if not any(values):
            continue
        if all(segment_list(value) or not value for value in values) and "segment" in column:
            single = all(value in SEGMENTS or not value for value in values)
            mutators.append(shift_bound(column) if single else shift_segments(column))
        elif column not in ("aliases", "source", "reference") and any("|" in value for value in values):
            mutators.append(drop_list_item(column))
    return mutators


# Mutators of the motor tables, which need other tables for context.


def preferred_rows(tables):
    """The muscle_segments rows the engine uses: per muscle, those of its highest-priority reference."""
    priority = {row["key"]: int(row["priority"]) for row in tables["references.csv"].rows}
    by_muscle = defaultdict(list)
    for name, table in tables.items():
        if fnmatch(name, "muscle_segments/*.csv"):
            for index, row in enumerate(table.rows):
                by_muscle[row["muscle"]].append((name, index, row))
    chosen = {}
    for muscle, rows in by_muscle.items():
        best = min(priority.get(row["source"], 99) for _, _, row in rows)
        chosen[muscle] = [(name, index, row) for name, index, row in rows if priority.get(row["source"], 99) == best]
    return chosen


def muscle_segment_mutants(table, tables):
    """Drop or add one of a muscle's segments, move its principal marker, change a contribution."""
    name = str(table.path.relative_to(SOURCES))
    for muscle, rows in preferred_rows(tables).items():
        rows = [(index, row) for file, index, row in rows if file == name]
        if not rows:
            continue
        present = [row["segment"] for _, row in rows]
        reference = rows[0][1]["source"]
        for index, row in rows:
            yield table_mutant(
                "drop-segment", table, index, f"{muscle} loses {row['segment']} ({reference})",
                lambda new, index=index: new[:index] + new[index + 1 :],
            )
            other = "minor" if row["contribution"] != "minor" else "major"
            yield table_mutant(
                "contribution", table, index, f"{muscle} {row['segment']} {row['contribution']} -> {other} ({reference})",
                replace_row(index, contribution=other),
            )
        ordered = sorted(present, key=SEGMENTS.index)
        for segment in {*neighbours(ordered[0]), *neighbours(ordered[-1])} - set(present):
            last = rows[-1][0]
            yield table_mutant(
                "add-segment", table, last, f"{muscle} gains {segment} ({reference})",
                lambda new, last=last, segment=segment, reference=reference, muscle=muscle: (
                    new[: last + 1] + [{"muscle": muscle, "segment": segment, "contribution": "major", "source": reference}]
                    + new[last + 1 :]
                ),
            )
        principal = [index for index, row in rows if row["contribution"] == "principal"]
        for index, row in rows:
            if row["contribution"] == "principal" or not principal:
                continue

            def move(new, to=index):
                for old in principal:
                    new[old]["contribution"] = "major"
                new[to]["contribution"] = "principal"
                return new

            yield table_mutant(
                "move-principal", table, index, f"{muscle} principal segment -> {row['segment']} ({reference})", move
            )


def nerve_chain(tables):
    """The peripheral nodes' parents and children (peripheral_edges.csv), among peripheral nodes."""
    known = {row["node"] for row in tables["peripheral_nodes.csv"].rows}
    parents, children = defaultdict(set), defaultdict(set)
    for row in tables["peripheral_edges.csv"].rows:
        if row["source_node"] in known and row["target_node"] in known:
            parents[row["target_node"]].add(row["source_node"])
            children[row["source_node"]].add(row["target_node"])
    return parents, children


def branch_moves(table, tables):
    """Move a nerve branch's origin one step along its nerve chain, up (proximal) and down."""
    parents, children = nerve_chain(tables)
    for index, row in enumerate(table.rows):
        origin = row["branch_of"]
        for direction, others in (("up", parents[origin]), ("down", children[origin])):
            for other in sorted(others):
                yield table_mutant(
                    f"branch-{direction}", table, index, f"{row['muscle']} branch moves {direction} from {origin} to {other}",
                    replace_row(index, branch_of=other),
                )


def adjacent_areas(areas="cortical_areas.csv", column="cortical_area"):
    """The areas next to a row's area in the homunculus of the ``areas`` table (choices for :func:`replace_value`)."""

    def choices(row, tables):
        order = {r["area"]: int(r["homunculus_order"]) for r in tables[areas].rows}
        mine = order.get(row[column])
        return sorted(area for area, position in order.items() if mine is not None and abs(position - mine) == 1)
    return choices


def reflex_muscle_replacements(row, tables):
    """Another reflex's responding muscle in place of this reflex's muscles."""
    others = sorted({m for r in tables["reflexes.csv"].rows for m in r["muscles"].split("|")} - set(row["muscles"].split("|")))
    return others


def swap_adjacent_order(key, column, within=None):
    """Swap the order of two neighbouring entries (homunculus order, station order), of the same ``within`` if given."""

    def mutate(table, tables):
        by_order = sorted(range(len(table.rows)), key=lambda index: (table.rows[index].get(within, ""), int(table.rows[index][column])))
        for first, second in zip(by_order, by_order[1:]):
            a, b = table.rows[first], table.rows[second]
            if within and a[within] != b[within]:
                continue

            def edit(new, first=first, second=second):
                new[first][column], new[second][column] = new[second][column], new[first][column]
                return new

            yield table_mutant(f"swap:{column}", table, first, f"{a[key]} and {b[key]} swap {column}", edit)
    return mutate


def neighbouring_region(row, tables):
    position = CORD_REGIONS.index(row["cord_region"]) if row.get("cord_region") in CORD_REGIONS else None
    if position is None:
        return []
    segment = row["segment"]
    regions = []
    for other in neighbours(segment):
        region = next((r["cord_region"] for r in tables["segments.csv"].rows if r["segment"] == other), None)
        if region and region != row["cord_region"]:
            regions.append(region)
    return regions


def swap_reference_priority(table, tables):
    ranked = sorted(range(len(table.rows)), key=lambda index: int(table.rows[index]["priority"]))
    for first, second in zip(ranked, ranked[1:4]):
        a, b = table.rows[first], table.rows[second]

        def edit(new, first=first, second=second):
            new[first]["priority"], new[second]["priority"] = new[second]["priority"], new[first]["priority"]
            return new

        yield table_mutant("swap:priority", table, first, f"{a['key']} and {b['key']} swap priority", edit)


def other_lamina(row, tables):
    return [lamina for lamina in ("medial", "intermediate", "lateral") if lamina != row["lamina"]]


def shifted_share(column="share"):
    """A share (or probability) a tenth lower and a tenth higher, each kept inside (0, 1)."""

    def choices(row, tables):
        if not row.get(column):
            return []
        share = float(row[column])
        return [f"{value:.3f}" for value in (share - 0.1, share + 0.1) if 0 < value < 1]
    return choices


def scaled_figure(column):
    """A probability halved and doubled (a small prior moved by a tenth would leave (0, 1))."""

    def choices(row, tables):
        if not row.get(column):
            return []
        value = float(row[column])
        return [f"{changed:.5g}" for changed in (value / 2, value * 2) if 0 < changed < 1]
    return choices


def other_values(*values):
    """Each of ``values`` other than the row's own (a side, a yes/no, a kind of supply)."""

    def choices(row, tables, values=values):
        return list(values)
    return choices


def chain_moves(edges, source="from_node", target="to_node", column="branch_of"):
    """Move a branch's origin one step along its nerve chain (the ``edges`` table), up and down."""

    def mutate(table, tables):
        parents, children = defaultdict(set), defaultdict(set)
        for row in tables[edges].rows:
            parents[row[target]].add(row[source])
            children[row[source]].add(row[target])
        for index, row in enumerate(table.rows):
            origin = row[column]
            for direction, others in (("up", parents[origin]), ("down", children[origin])):
                for other in sorted(others):
                    yield table_mutant(
                        f"branch-{direction}", table, index, f"{describe(row)} branch moves {direction} from {origin} to {other}",
                        replace_row(index, **{column: other}),
                    )
    return mutate


#: Table glob (relative to data/sources) -> its mutators. A table added later gets its kinds
#: with one entry here; until then ``generic_mutators`` covers its segment and list columns.
DATA_MUTATORS = {
    "muscle_segments/*.csv": (muscle_segment_mutants,),
    "innervation/*.csv": (branch_moves, swap_values("branch_of"), shift_segments("segments", "branch-segments")),
    "muscles/*.csv": (replace_value("cortical_area", adjacent_areas()),),
    "muscle_groups/*.csv": (drop_list_item("members"),),
    "reflexes.csv": (
        shift_segments("afferent_segments"), shift_segments("efferent_segments"), drop_list_item("muscles"),
        replace_value("muscles", reflex_muscle_replacements),
    ),
    "peripheral_edges.csv": (shift_segments("segments", "edge-segments"),),
    "regions.csv": (shift_bound("first_segment"), shift_bound("last_segment")),
    "segments.csv": (replace_value("cord_region", neighbouring_region),),
    "cord_tracts.csv": (shift_bound("first_segment"), shift_bound("last_segment")),
    "cortical_areas.csv": (swap_adjacent_order("area", "homunculus_order"),),
    "tract_stations.csv": (swap_adjacent_order("station", "order"),),
    "lcst_lamination.csv": (replace_value("lamina", other_lamina),),
    "references.csv": (swap_reference_priority,),
    "branch_disputes.csv": (replace_value("share", shifted_share()),),
    # Node labels and aliases only: names, which the resolver tests check, not predictions.
    "peripheral_nodes.csv": (),
    # Sensation (data/sources/sensory, not yet built into the graph: its tests judge them).
    "sensory/cutaneous_branches.csv": (shift_segments("segments", "sensory-branch-segments"), swap_values("branch_of")),
    "sensory/key_points.csv": (shift_segments("segments", "key-point-segments"),),
    "sensory/key_point_nerves.csv": (swap_values("nerve"),),
    "sensory/territories.csv": (swap_values("nerve"),),
    "sensory/dorsal_column_fasciculi.csv": (shift_bound("first_segment"), shift_bound("last_segment")),
    "sensory/somatosensory_areas.csv": (swap_adjacent_order("area", "homunculus_order"),),
    "sensory/body_region_areas.csv": (replace_value("area", adjacent_areas("sensory/somatosensory_areas.csv", "area")),),
    "sensory/modality_tracts.csv": (swap_values("tract"),),
    "sensory/pathway_stations.csv": (swap_adjacent_order("station", "order", within="tract"),),
    "sensory/tract_lamination.csv": (swap_adjacent_order("tract", "order_from_midline", within="cord_region"),),
    "sensory/skin_places.csv": (swap_values("body_region"),),
    # Names, labels and aliases only (the resolver tests check them), or variation figures the
    # model does not use.
    "sensory/cutaneous_nerves.csv": (),
    "sensory/modalities.csv": (),
    "sensory/territory_variation.csv": (),
    # Cranial nerves (data/sources/cranial; judged by their tests until the build reads them).
    "cranial/innervation.csv": (chain_moves("cranial/nerve_edges.csv"), swap_values("branch_of")),
    "cranial/motor_pools.csv": (swap_values("nucleus"), replace_value("side", other_values("ipsilateral", "contralateral", "bilateral"))),
    "cranial/muscles.csv": (replace_value("cortical_area", adjacent_areas("cranial/cortical_areas.csv")),),
    "cranial/cortical_areas.csv": (swap_adjacent_order("area", "homunculus_order"),),
    "cranial/corticobulbar_stations.csv": (swap_adjacent_order("station", "order"),),
    "cranial/corticobulbar_terminations.csv": (swap_values("leaves_at"),),
    "cranial/nuclei.csv": (shift_bound("level_from", LEVELS), shift_bound("level_to", LEVELS), swap_values("cranial_nerve")),
    "cranial/nerve_edges.csv": (replace_value("crosses", other_values("yes", "no")),),
    "cranial/supranuclear_supply.csv": (
        replace_value("supply", other_values("bilateral", "mainly_contralateral", "mainly_ipsilateral")),
        replace_value("contralateral_share", shifted_share("contralateral_share")),
    ),
    "cranial/brainstem_regions.csv": (shift_bound("level", LEVELS),),
    "cranial/region_contents.csv": (drop_row(),),
    "cranial/reflex_limbs.csv": (swap_values("structure", same="limb"),),
    "cranial/nerve_points.csv": (swap_values("cranial_nerve"),),
    # Inference (data/sources/inference): priors and examination error rates.
    "inference/priors.csv": (replace_value("prior", scaled_figure("prior")),),
    "inference/examination_error.csv": (replace_value("value", scaled_figure("value")),),
    "inference/site_classes.csv": (swap_values("resolver_kind"),),
    # Anatomical variants (data/sources/variants, read by neurograph.variants when a variant is applied).
    "variants/edits.csv": (
        shift_segments("segments", "variant-edit-segments"), replace_value("shift", other_values("-1", "1")),
        swap_values("to_node", same="operation"), swap_values("from_node", same="operation"), drop_row(),
    ),
    "variants/prevalence.csv": (replace_value("prevalence", shifted_share("prevalence")),),
    "variants/variants.csv": (),  # names, labels and descriptions
}


def data_mutants():
    """Every data mutant the registered (or generic) mutators give, by table."""
    tables = read_tables()
    mutants, unmutated = [], []
    for name, table in tables.items():
        mutators = next((mutators for pattern, mutators in DATA_MUTATORS.items() if fnmatch(name, pattern)), None)
        if mutators is None:
            mutators = generic_mutators(table)
        found = [mutant for mutator in mutators for mutant in mutator(table, tables)]
        if not found:
            unmutated.append(name)
        mutants.extend(found)
    return unique(mutants), unmutated


def unique(mutants):
    seen, kept = set(), []
    for mutant in mutants:
        if mutant.id not in seen:
            seen.add(mutant.id)
            kept.append(mutant)
    return kept


# --------------------------------------------------------------------------------------------
# Engine mutants


COMPARISON_FLIPS = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
    ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}
BOOLEAN_SWAPS = {ast.And: ast.Or, ast.Or: ast.And}
BITWISE_SWAPS = {ast.BitAnd: ast.BitOr, ast.BitOr: ast.BitAnd}
CALL_SWAPS = {"any": "all", "all": "any", "max": "min", "min": "max"}
#: Keyword arguments whose numbers are shapes or indices, not thresholds.
SHAPE_KEYWORDS = {"axis", "minlength", "count", "start", "maxsplit", "stacklevel", "indent"}


def changed_numbers(value):
    if isinstance(value, bool):
        return []
    if isinstance(value, int):
        return [value + 1] + ([value - 1] if value > 0 else [])
    if isinstance(value, float):
        if value == 0:
            return [1e-9]
        if 0 < value < 1:
            return sorted({round(value + 0.1, 6), round(value - 0.1, 6)} - {0.0, 1.0} | ({value * 10} if value < 0.01 else set()))
        return [value + 0.5, value - 0.5]
    return []


class _Parents(ast.NodeVisitor):
    def __init__(self):
        self.parent, self.function = {}, {}

    def generic_visit(self, node):
        for child in ast.iter_child_nodes(node):
            self.parent[child] = node
        super().generic_visit(node)


def enclosing(node, parents):
    names = []
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return ".".join(reversed(names)) or "<module>"


def in_subscript_or_shape(node, parents):
    """Whether a number is an index, a slice bound or a shape argument (not a threshold)."""
    child = node
    while child in parents:
        parent = parents[child]
        if isinstance(parent, (ast.Subscript, ast.Slice)) and child is not getattr(parent, "value", None):
            return True
        if isinstance(parent, ast.keyword):
            return parent.arg in SHAPE_KEYWORDS
        if isinstance(parent, (ast.stmt, ast.Call)):
            return isinstance(parent, ast.Call) and _call_name(parent) in ("range", "enumerate", "zip", "round")
        child = parent
    return False


def _call_name(node):
    return node.func.id if isinstance(node.func, ast.Name) else (node.func.attr if isinstance(node.func, ast.Attribute) else "")


def _is_docstring(node, parents):
    parent = parents.get(node)
    return isinstance(parent, ast.Expr) and isinstance(node, ast.Constant) and isinstance(node.value, str)


def _ends_in_exit(statements):
    return bool(statements) and isinstance(statements[-1], (ast.Return, ast.Raise, ast.Continue, ast.Break))


def expression_edits(tree, parents):
    """``(kind, node, replacement_node)`` for every expression-level mutation of a module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            for position, op in enumerate(node.ops):
                if type(op) in COMPARISON_FLIPS:
                    new = ast.Compare(left=node.left, ops=list(node.ops), comparators=node.comparators)
                    new.ops[position] = COMPARISON_FLIPS[type(op)]()
                    yield "comparison", node, new
        elif isinstance(node, ast.BoolOp):
            yield "boolean", node, ast.BoolOp(op=BOOLEAN_SWAPS[type(node.op)](), values=node.values)
        elif isinstance(node, ast.BinOp) and type(node.op) in BITWISE_SWAPS:
            yield "boolean", node, ast.BinOp(left=node.left, op=BITWISE_SWAPS[type(node.op)](), right=node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield "boolean", node, node.operand
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALL_SWAPS:
            yield "boolean" if node.func.id in ("any", "all") else "strongest-weakest", node, ast.Call(
                func=ast.Name(id=CALL_SWAPS[node.func.id], ctx=ast.Load()), args=node.args, keywords=node.keywords
            )
        elif isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            if in_subscript_or_shape(node, parents):
                continue
            for value in changed_numbers(node.value):
                yield "threshold", node, ast.Constant(value=value)
        elif isinstance(node, ast.Tuple) and len(node.elts) >= 2 and _is_sort_key(node, parents):
            for position in range(len(node.elts) - 1):
                elements = list(node.elts)
                elements[position], elements[position + 1] = elements[position + 1], elements[position]
                yield "rule-order", node, ast.Tuple(elts=elements, ctx=ast.Load())


def _is_sort_key(node, parents):
    """A tuple that ranks things: returned by a function named like a key, or a key lambda's body."""
    parent = parents.get(node)
    if isinstance(parent, ast.Lambda):
        holder = parents.get(parent)
        return isinstance(holder, ast.keyword) and holder.arg == "key"
    if isinstance(parent, ast.Return):
        function = parent
        while function in parents and not isinstance(function, (ast.FunctionDef, ast.Lambda)):
            function = parents[function]
        return isinstance(function, ast.FunctionDef) and any(word in function.name for word in ("rank", "key", "order"))
    return False


def statement_swaps(tree):
    """Pairs of neighbouring guard clauses (``if ...: return``) whose order is a rule order."""
    for node in ast.walk(tree):
        for body in (getattr(node, "body", None), getattr(node, "orelse", None)):
            if not isinstance(body, list):
                continue
            for first, second in zip(body, body[1:]):
                if (
                    isinstance(first, ast.If) and isinstance(second, ast.If) and not first.orelse
                    and _ends_in_exit(first.body) and _ends_in_exit(second.body)
                ):
                    yield first, second


def engine_mutants():
    mutants = []
    for name in ENGINE_FILES:
        path = REPO / name
        if not path.is_file():
            continue
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        original = ast.dump(tree)  # what a mutant that changes nothing parses to
        visitor = _Parents()
        visitor.visit(tree)
        parents = visitor.parent
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        seen = Counter()

        def span(node):
            return offsets[node.lineno - 1] + _byte_col(lines[node.lineno - 1], node.col_offset), offsets[
                node.end_lineno - 1
            ] + _byte_col(lines[node.end_lineno - 1], node.end_col_offset)

        for kind, node, replacement in expression_edits(tree, parents):
            if _is_docstring(node, parents):
                continue
            start, end = span(node)
            before = source[start:end]
            after = ast.unparse(replacement)
            mutated = source[:start] + "(" + after + ")" + source[end:]
            mutant = _engine_mutant(name, kind, node, parents, before, after, seen, mutated, original)
            if mutant:
                mutants.append(mutant)
        for first, second in statement_swaps(tree):
            start, _ = offsets[first.lineno - 1], None
            middle, end = offsets[first.end_lineno], offsets[second.end_lineno]
            if offsets[second.lineno - 1] != middle:
                continue  # something (a comment) sits between them
            mutated = source[:start] + source[middle:end] + source[start:middle] + source[end:]
            before = ast.unparse(first.test)
            after = ast.unparse(second.test)
            mutant = _engine_mutant(
                name, "rule-order", first, parents, f"if {before}: ... ; if {after}: ...",
                f"if {after}: ... ; if {before}: ...", seen, mutated, original,
            )
            if mutant:
                mutants.append(mutant)
    return mutants


def _byte_col(line, column):
    """ast columns count UTF-8 bytes; string offsets count characters."""
    return len(line.encode("utf-8")[:column].decode("utf-8", errors="ignore"))


def _engine_mutant(name, kind, node, parents, before, after, seen, mutated, original):
    try:
        if ast.dump(ast.parse(mutated)) == original:
            return None
    except SyntaxError:
        return None
    function = enclosing(node, parents)
    before_text = " ".join(before.split())
    key = (function, kind, before_text, after)
    seen[key] += 1
    occurrence = f" #{seen[key]}" if seen[key] > 1 else ""
    change = f"{function}: `{before_text}` -> `{after}`{occurrence}"

    def apply(root, mutated=mutated):
        (root / name).write_text(mutated, encoding="utf-8")

    return Mutant("engine", kind, name, node.lineno, change, apply)


# --------------------------------------------------------------------------------------------
# The probe: what a mutant predicts (run inside the mutant's copy)

#: Examinations localized by the probe: findings of these lesions, every muscle examined.
PROBE_EXAMINATIONS = (
    ["right radial nerve at the spiral groove"], ["left C7 root"], ["right ulnar nerve at the elbow"],
    ["left common fibular nerve at the fibular head"], ["C5"], ["left internal capsule"], ["cauda equina"],
    ["right L5 root"], [("left median nerve at the carpal tunnel", 0.5)], ["right upper trunk", "left S1 root"],
    ["T10"], ["conus medullaris"],
)
#: Examinations made in spinal shock, localized in the acute phase.
PROBE_ACUTE_EXAMINATIONS = (["C5"], ["T10"], ["left C7 root"])


#: The probe's stages and the modules their predictions come from.
STAGE_ENTRIES = {
    "single sites": ("neurograph/lesion.py", "neurograph/cranial.py", "neurograph/resolve.py"),
    "atlas rows": ("neurograph/atlas.py",),
    "multi-site lesions": ("neurograph/lesion.py", "neurograph/cranial.py", "neurograph/resolve.py"),
    "localization": ("neurograph/localization.py", "neurograph/lesion.py", "neurograph/findings.py"),
}


def imported_modules(entries, root=None):
    """The package's modules that ``entries`` (paths like ``neurograph/lesion.py``) import, directly or not."""
    root = root or SNAPSHOT[0]
    seen, pending = set(), list(entries)
    while pending:
        name = pending.pop()
        if name in seen or not (root / name).is_file():
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            )
            pending += [module.replace(".", "/") + ".py" for module in modules if module.startswith("neurograph.")]
    return seen


def stages_seeing(file):
    """The probe's stages whose predictions a change to ``file`` can reach (the others cannot change)."""
    return {stage: entries for stage, entries in STAGE_ENTRIES.items() if file in imported_modules(entries)}


def changed_nodes(G, original):
    """The nodes of ``G`` or ``original`` whose attributes differ, that one of them lacks, or that
    end an edge the other lacks or holds with other attributes."""
    changed = {node for node, data in G.nodes(data=True) if original.nodes.get(node) != data}
    changed |= {node for node in original if node not in G}
    for first, second in (G, original), (original, G):
        changed |= {node for u, v, data in first.edges(data=True) if second.get_edge_data(u, v) != data for node in (u, v)}
    return changed


def distance_from_changes(G, original):
    """Per node of ``G``, how many edges (either way) it lies from a node whose attributes or
    edges differ from ``original``'s: a lesion near a change is the likeliest to predict differently."""
    import networkx as nx

    changed = changed_nodes(G, original) & set(G)
    return nx.multi_source_dijkstra_path_length(G.to_undirected(as_view=True), changed) if changed else {}


def item_reach(G):
    """Per item the probe reports (muscle, reflex, skin place, cranial muscle or reflex), every node its prediction reads.

    The engine grades an item from its own routes alone: a muscle from its LMN units and the
    corticospinal routes of its segments' pools, a reflex from its efferent units, afferent
    routes and pools (and, to be safe, everything its muscles read), a skin place from the
    peripheral and central pieces of its channels, a cranial muscle from its nuclei's LMN and
    corticobulbar routes and channels (:func:`neurograph.cranial.cranial_signs` grades only the
    muscles whose routes the lesion touches), a brainstem reflex from its afferent points and
    its muscles. An item none of whose routes a lesion touches is normal
    (:func:`neurograph.simulate` grades only what
    :meth:`~neurograph.routes.RouteTable.routes_through` and the sensory slots of the lesion's
    nodes give). So these nodes, with the attributes and edges among them, decide everything
    the probe reports of the item.
    """
    from neurograph.cache import derived
    from neurograph.cranial import CranialTable
    from neurograph.routes import route_table, sensory_route_table

    table, sensory, cranial = route_table(G), sensory_route_table(G), derived(G, CranialTable)

    def pool_nodes(key):
        pool = table.pools.get(key)
        if pool is None:
            return frozenset()
        return pool.bundle.nodes if pool.bundle is not None else frozenset(node for route in pool.routes for node in route)

    reach = {}
    for muscle, info in table.muscles.items():
        nodes = {muscle}.union(*(table.units[index].nodes for index in table.units_by_muscle.get(muscle, ())))
        reach[muscle] = nodes.union(*(pool_nodes((info.side, info.area, segment)) for segment in info.segments))
    for node, arc in table.reflexes.items():
        nodes = {node}.union(*(reach.get(muscle, {muscle}) for muscle in arc.muscles), *arc.afferent_nodes)
        nodes = nodes.union(*(table.units[index].nodes for index in arc.efferent_units), *map(pool_nodes, arc.pools))
        reach[node] = nodes
    for skin in sensory.skins:
        reach[skin] = {skin}.union(*(sensory.piece_nodes[piece] for piece in sensory.skin_pieces[skin]))
    for node, muscle in cranial.muscles.items():
        routes = [route for _, lmn, umn in muscle.pools for route in lmn + umn] + [route for _, found in muscle.channels for route in found]
        reach[node] = {node}.union(*routes)
    for node, arc in cranial.reflexes.items():
        reach[node] = {node}.union(arc.afferent, *(reach.get(muscle, {muscle}) for muscle in arc.muscles))
    return reach


def probe_scope(G, original, original_reach):
    """The labels of the sites whose single-site predictions a data mutant's graph ``G`` can
    change, or ``None`` when every site must be probed.

    Why the rest cannot change: let C be the changed nodes (:func:`changed_nodes`). An item
    none of whose routes, in either graph, meets C has the same routes in both: its routes in
    the original avoid C, so every node, edge and attribute on them is unchanged and each is a
    route in ``G`` too, and a route of ``G`` avoids C likewise, so it is one in the original.
    Such an item reads the same nodes and attributes in both graphs and is graded alike under
    any lesion of the same nodes. A changed item (one whose routes meet C in either graph, or
    that only one graph has) is normal in both under a lesion that touches none of its routes
    in either graph. So a site whose nodes meet neither C nor a changed item's routes (old or
    new) predicts the same in both graphs, and a multi-site lesion of such sites alike. This
    holds while the sites themselves are the same nodes and the graph-wide attributes (the
    grading rules) are equal; otherwise the whole probe runs. The run checks it on demand with
    ``--check-scope``.
    """
    from neurograph.resolve import atlas_sites

    if G.graph != original.graph:
        return None
    sites = {site.label: site.nodes for site in atlas_sites(G)}
    if sites != {site.label: site.nodes for site in atlas_sites(original)}:
        return None
    changed = changed_nodes(G, original)
    reach = item_reach(G)
    touched = set(changed)
    for item in set(reach) | set(original_reach):
        new, old = reach.get(item), original_reach.get(item)
        if new is None or old is None or not changed.isdisjoint(new) or not changed.isdisjoint(old):
            touched |= (new or set()) | (old or set())
    return {label for label, nodes in sites.items() if not touched.isdisjoint(nodes)}


def probe_stages(G, seed=20240, localizing=True, stages=STAGE_ENTRIES, distance=None, scope=None):
    """What the anatomy ``G`` and the engine imported here predict, stage by stage, simplest first.

    Yields ``(stage, key, prediction)``, one prediction (a string of the muscles, reflexes,
    sensation and cranial signs it changes) at a time: every single site in both phases;
    (``localizing``) every single site's row of the site atlas in both phases, which the atlas
    computes on its own from its cut matrices; a fixed, seeded set of multi-site lesions with
    partial severities; (``localizing``) the localization of fixed examinations (labels, scores,
    posteriors, remainder). The atlas and localization follow from the single-site predictions
    but for their own arithmetic and rules (ranking, tie-breaks), so they are probed only when
    the engine is mutated. A caller may stop at the first prediction that differs from the
    original's: the mutant is then not equivalent.
    With ``scope`` (site labels, see :func:`probe_scope`), only the single sites it names and the
    multi-site lesions that hold one of them are lesioned (the others cannot differ).
    """
    import numpy as np

    import neurograph
    from neurograph.atlas import site_atlas
    from neurograph.cranial import cranial_signs
    from neurograph.findings import findings_from_result
    from neurograph.resolve import atlas_sites

    def describe_result(result):
        muscles = ";".join(f"{m}:{d}:{g}:{t}:{int(a)}{int(f)}" for m, d, g, t, a, f, _ in result.deficits)
        reflexes = ";".join(f"{r.reflex}:{r.state}" for r in result.reflexes if r.state not in ("normal", "present", "flexor"))
        sensation = ";".join(
            f"{s.side}.{s.place}:{s.light_touch}{s.pin_prick}{s.temperature}{s.vibration}{s.joint_position}"
            for s in result.sensation if min(s.light_touch, s.pin_prick, s.temperature, s.vibration, s.joint_position) < 2
        )
        return f"{muscles}|{reflexes}|{sensation}"

    def describe_cranial(signs):
        muscles = ";".join(f"{m.muscle}:{m.deficit}:{m.mrc_grade}:{m.tone}:{int(m.atrophy)}{int(m.fasciculations)}" for m in signs.muscles)
        reflexes = ";".join(f"{r.reflex}:{r.state}" for r in signs.reflexes if r.state not in ("normal", "present"))
        return f"|{muscles}|{reflexes}"

    def predict(lesion, phase):
        return describe_result(neurograph.simulate(G, lesion, phase=phase)) + describe_cranial(cranial_signs(G, lesion, phase=phase))

    sites = sorted(atlas_sites(G), key=lambda site: site.label)
    # Sites nearest a change (``distance``, see :func:`distance_from_changes`) are lesioned first:
    # a mutant that predicts differently does so there, and its probe stops sooner.
    distance = distance or {}
    in_order = sorted(sites, key=lambda site: min((distance.get(node, len(G)) for node in site.nodes), default=len(G)))
    if scope is not None:
        in_order = [site for site in in_order if site.label in scope]
    for phase in ("chronic", "acute") if "single sites" in stages else ():
        for site in in_order:
            yield "single sites", f"{phase} {site.label}", predict(site, phase)
    if localizing and "atlas rows" in stages:
        for key, value in atlas_rows(site_atlas(G)).items():
            yield "atlas rows", key, value
    # Several sites, partial severities: the rules single complete sites cannot show.
    rng = np.random.default_rng(seed)
    for number in range(160 if "multi-site lesions" in stages else 0):
        chosen = rng.choice(len(sites), size=int(rng.integers(2, 4)), replace=False)
        lesion = [(sites[i].name, float(rng.choice([0.3, 0.5, 0.8, 1.0]))) for i in chosen]
        phase = ("chronic", "acute")[number % 2]
        if scope is not None and not any(sites[i].label in scope for i in chosen):
            continue
        key = f"{phase} " + " + ".join(f"{name}@{severity}" for name, severity in lesion)
        try:
            found = predict(lesion, phase)
        except neurograph.NeurographError as error:
            found = f"error: {error}"
        yield "multi-site lesions", key, found
    if not localizing or "localization" not in stages:
        return
    examinations = [(lesion, "chronic") for lesion in PROBE_EXAMINATIONS]
    examinations += [(lesion, "acute") for lesion in PROBE_ACUTE_EXAMINATIONS]
    for lesion, phase in examinations:
        key = f"localize {phase} " + " + ".join(map(str, lesion))
        try:
            exam = findings_from_result(neurograph.simulate(G, lesion, phase=phase))
            ranking = neurograph.localize(G, exam, top=5)
            # the posteriors and the unlisted remainder too: a mutant of the inference's arithmetic
            # can keep every label and score and still move the probabilities
            found = " / ".join(f"{h.label}:{h.score}:{h.posterior:.6g}" for h in ranking.hypotheses)
            found += f" | remainder {ranking.remainder:.6g} | ties {len(ranking.ties)}"
        except neurograph.NeurographError as error:
            found = f"error: {error}"
        yield "localization", key, found


def atlas_rows(atlas):
    """Every site's row of the site atlas, in both phases: what the atlas alone predicts of it.

    The atlas predicts a site's findings from its boolean cut matrices with its own arithmetic,
    not through :func:`~neurograph.simulate`; in the original both agree site by site (the atlas
    tests check it), so a row that changes is a prediction the atlas (and every localization
    built on it) makes differently. A row holds the weak muscles, the changed reflexes and the
    skin places whose sensation the site alters (each modality's grade, 2 normal).
    """
    import numpy as np

    table = atlas.table
    muscles = list(table.muscle_order)
    reflexes = [arc.node for arc in table.reflex_order]
    places = list(atlas.sensation.table.skin_nodes)
    found = {}
    for phase in ("chronic", "acute"):
        predicted = atlas.singles(muscles, reflexes, phase, places=places)
        grades, reflex, sensory = predicted["grade"], predicted["reflex"], predicted["sensory"]
        flags = [predicted[name] for name in ("spastic", "flaccid", "atrophy", "fasciculations") if name in predicted]
        abnormal = (grades < 5) | np.logical_or.reduce(flags) if flags else grades < 5
        altered = sensory.min(axis=2) < 2
        for row, site in enumerate(atlas.sites):
            weak = [
                f"{muscles[column]}:{int(grades[row, column])}:" + "".join(str(int(flag[row, column])) for flag in flags)
                for column in np.flatnonzero(abnormal[row])
            ]
            changed = [f"{reflexes[column]}:{int(reflex[row, column]):+d}" for column in np.flatnonzero(reflex[row])]
            numb = [f"{places[column]}:" + "".join(map(str, sensory[row, column].tolist())) for column in np.flatnonzero(altered[row])]
            found[f"atlas {phase} {site.label}"] = ";".join(weak) + "|" + ";".join(changed) + "|" + ";".join(numb)
    return found


def first_difference(original, mutant):
    """The simplest prediction that differs: single sites first, then several sites, then localization."""

    def simplest(key):
        return ("@" in key, key.startswith("localize"), key)

    for key in sorted(set(original) | set(mutant), key=simplest):
        if original.get(key) != mutant.get(key):
            before, after = original.get(key, "(none)"), mutant.get(key, "(none)")
            return f"{key}: {_diff_words(before, after)}"
    return ""


def _diff_words(before, after):
    old, new = set(re.split(r"[;|]", before)), set(re.split(r"[;|]", after))
    lost, gained = sorted(old - new)[:2], sorted(new - old)[:2]
    return f"{', '.join(lost) or '-'} -> {', '.join(gained) or '-'}"[:240]


# --------------------------------------------------------------------------------------------
# Running mutants


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, equivalent
    killer: str = ""  # the build, the probe or the first failing test
    difference: str = ""  # the first prediction that changed (non-equivalent mutants)
    seconds: float = 0.0
    output: str = ""
    unbuilt: bool = False  # a data mutant of a table the build does not read yet
    timings: dict = field(default_factory=dict)  # seconds of the build, the probe and the tests, and CPU seconds
    probe_note: str = ""  # how much of the probe ran (a data mutant's sites), and its scope check

    @property
    def group(self):
        return "data, tables the build does not read" if self.unbuilt else self.mutant.family


#: The copy of the repository every mutant's copy is made from, taken when the run starts, so
#: that editing the working tree during a run changes nothing.
SNAPSHOT = [REPO]


def copy_repository(root):
    for name in COPIED:
        source = SNAPSHOT[0] / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis"))
        elif source.exists():
            shutil.copy2(source, root / name)


def last_line(text):
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def test_files(root, patterns):
    files = []
    for pattern in patterns:
        files.extend(sorted(str(path.relative_to(root)) for path in root.glob(pattern)))
    return list(dict.fromkeys(files))


#: The original anatomy, loaded once before the children are forked (a data mutant's graph is compared with it).
ORIGINAL = [None]
#: The original's :func:`item_reach`, found once before the children are forked.
ORIGINAL_REACH = [None]
#: The source tables the build reads (relative to the repository), found by building once.
BUILT_TABLES = set()


def tables_the_build_reads(build_module):
    """Build the snapshot's anatomy once, noting every source table the build opens."""
    sources = (SNAPSHOT[0] / SOURCES).resolve()
    opened, listening = set(), [True]

    def note(event, arguments):
        if listening and event == "open" and isinstance(arguments[0], (str, os.PathLike)):
            path = Path(os.fsdecode(arguments[0])).resolve()
            if path.suffix == ".csv" and sources in path.parents:
                opened.add(str(SOURCES / path.relative_to(sources)))

    sys.addaudithook(note)  # a hook cannot be removed: it stops listening instead
    try:
        build_module.build_graph(SNAPSHOT[0] / SOURCES)
    finally:
        listening.clear()
    return opened


def preload():
    """Import what every mutant needs once, before the children are forked from this process."""
    import hypothesis  # noqa: F401
    import networkx  # noqa: F401
    import numpy  # noqa: F401
    import pytest  # noqa: F401

    import neurograph
    import neurograph.atlas  # noqa: F401
    import neurograph.findings  # noqa: F401
    import neurograph.localization  # noqa: F401

    spec = importlib.util.spec_from_file_location("build_anatomy", SNAPSHOT[0] / "scripts" / "build_anatomy.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_anatomy"] = module
    spec.loader.exec_module(module)
    BUILT_TABLES.update(tables_the_build_reads(module))
    ORIGINAL[0] = neurograph.load_anatomy(SNAPSHOT[0] / "data" / "anatomy.graphml")
    ORIGINAL_REACH[0] = item_reach(ORIGINAL[0])
    return module


def import_package_from(root):
    """Forget the imported neurograph so that the copy's (the mutant's) is imported instead."""
    for name in [name for name in sys.modules if name == "neurograph" or name.startswith("neurograph.")]:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()


def judge(mutant, root, baseline, options, build_module):
    """In a child process: build, probe and test one copy; returns the outcome's fields.

    ``baseline`` is the original's probe, stage by stage (``None`` when the original itself is
    judged). The probe stops at the first stage that differs from the original's: one differing
    prediction is enough to know that the mutant is not equivalent.
    """
    import pytest

    import neurograph

    found = {"status": "killed", "killer": "", "difference": "", "output": ""}
    started = time.monotonic()
    if mutant is not None:
        mutant.apply(root)
    if mutant is None or mutant.family == "engine":
        import_package_from(root)
        import neurograph
    elif mutant.file not in BUILT_TABLES:
        # A table the build does not read (cranial nerves, inference, variants) leaves the graph as
        # it is: only its tests can judge it, with the package imported from the copy, which
        # reads its tables there.
        found["unbuilt"] = True
        import_package_from(root)
    else:
        try:
            graph = build_module.build_graph(root / SOURCES)
            built = build_module.graphml_bytes(graph)
        except Exception as error:  # the build refuses the mutated tables: killed by the build
            found["killer"] = f"build: {type(error).__name__}: {last_line(str(error))}"
            return found
        original = root / "data" / "anatomy.graphml"
        if built == original.read_bytes():
            found["status"] = "equivalent"  # the same graph: no prediction can change
            return found
        original.write_bytes(built)
    anatomy_file = root / "data" / "anatomy.graphml"
    os.environ[ANATOMY_OVERRIDE] = str(anatomy_file)
    os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")
    found["timings"] = {"build": round(time.monotonic() - started, 1)}
    G = None
    if not found.get("unbuilt"):  # the graph is the original's: the probe would answer as the original's
        started = time.monotonic()
        localizing = mutant is None or mutant.family == "engine"
        predicted = {}
        try:
            G = neurograph.load_anatomy(anatomy_file)
            stages = STAGE_ENTRIES if mutant is None or mutant.family == "data" else stages_seeing(mutant.file)
            distance = scope = None
            if mutant is not None and mutant.family == "data":
                distance = distance_from_changes(G, ORIGINAL[0])
                scope = None if options.full_probe else probe_scope(G, ORIGINAL[0], ORIGINAL_REACH[0])
                found["probe_note"] = "all sites" if scope is None else f"{len(scope)} sites"
                if options.check_scope and scope is not None:
                    found["probe_note"] += f"; scope check: {check_scope(G, baseline, scope)}"
            for stage, key, prediction in probe_stages(G, localizing=localizing, stages=stages, distance=distance, scope=scope):
                predicted.setdefault(stage, {})[key] = prediction
                if baseline is not None and baseline[stage].get(key) != prediction:
                    found["difference"] = f"{key}: {_diff_words(baseline[stage].get(key, '(none)'), prediction)}"
                    break
            else:
                if baseline is not None and scope is None:  # a prediction the original made and the mutant does not
                    found["difference"] = next(
                        (first_difference(baseline[stage], predictions) for stage, predictions in predicted.items()
                         if set(predictions) != set(baseline[stage])), "",
                    )
        except Exception as error:
            predicted = None
            found["difference"] = f"the probe fails: {type(error).__name__}: {last_line(str(error))}"
        found["probe"] = predicted if mutant is None else None
        found["timings"]["probe"] = round(time.monotonic() - started, 1)
    equivalent = mutant is not None and not found["difference"] and not found.get("unbuilt")
    if equivalent and not options.test_equivalent:
        found["status"] = "equivalent"
        return found
    if G is not None:
        reuse_anatomy(neurograph, anatomy_file, G)
    started = time.monotonic()
    files = test_files(root, options.baseline_tests) if mutant is None else test_selection(mutant, root, bool(found.get("unbuilt")))
    log = root / "pytest.log"
    os.chdir(root)
    with open(log, "w") as handle:
        os.dup2(handle.fileno(), 1)
        os.dup2(handle.fileno(), 2)
        # One process, stopping at the first failure: the parallel runner's plugin is not even loaded.
        code = pytest.main([
            "-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:xdist.looponfail", "-o", "addopts=-ra",
            "-W", "ignore::pytest.PytestAssertRewriteWarning", "--rootdir", str(root), *files,
        ])
    found["timings"]["tests"] = round(time.monotonic() - started, 1)
    output = log.read_text(encoding="utf-8", errors="replace")
    found["output"] = output[-8000:]
    if code == 0:
        found["status"] = "equivalent" if equivalent else "survived"
    else:
        failed = re.findall(r"^(?:FAILED|ERROR) (.+?)(?: - .*)?$", output, flags=re.MULTILINE)
        found["killer"] = failed[0] if failed else (last_line(output) or f"pytest exit {int(code)}")
        if equivalent:
            found["status"] = "equivalent"
    return found


def check_scope(G, baseline, scope):
    """Whether a data mutant's whole probe differs from the original's only where ``scope``
    (:func:`probe_scope`) looks: ``ok``, or the first prediction outside it that differs."""
    within = {key for stage, key, _ in probe_stages(G, localizing=False, scope=scope)}
    for stage, key, prediction in probe_stages(G, localizing=False):
        if baseline[stage].get(key) != prediction and key not in within:
            return f"outside the scope: {key}"
    return "ok"


def reuse_anatomy(neurograph, path, G):
    """Let the tests' first load of the anatomy at ``path`` take ``G``, the probe's (loaded once).

    The tests load the anatomy under test once (``tests/conftest.py``) and must not modify it;
    ``G`` is that anatomy as the probe loaded it, with the route tables it has already compiled.
    Any other load, or a second one, reads the file as usual.
    """
    load = neurograph.load_anatomy
    unused = [G]

    def load_anatomy(source=None, *args, **kwargs):
        if unused and not args and not kwargs and source is not None and Path(source) == path:
            return unused.pop()
        return load(source, *args, **kwargs)

    neurograph.load_anatomy = load_anatomy


def test_selection(mutant, root, unbuilt):
    """The test files to run on a mutant, those most likely to see its change first.

    A mutant of a table the build does not read leaves the graph as it is, so only the test
    files that can see the table run: those focused on it and those that read the source tables
    themselves (they name ``sources``).
    """
    focused = test_files(root, [test for glob, tests in FOCUSED_TESTS.items() if fnmatch(mutant.file, glob) for test in tests])
    files = test_files(root, focused + list(DATA_TESTS if mutant.family == "data" else ENGINE_TESTS))
    if unbuilt:
        files = [name for name in files if name in focused or "sources" in (root / name).read_text(encoding="utf-8").lower()]
    return files


def run_in_child(mutant, baseline, options, build_module, timeout=None):
    """Fork a child that judges one mutant in a temporary copy; returns (pid, directory)."""
    directory = tempfile.mkdtemp(prefix="neurograph-mutant-")
    root = Path(directory)
    copy_repository(root)
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 0
        try:
            signal.alarm(int(timeout or options.timeout))
            found = judge(mutant, root, baseline, options, build_module)
        except TimeoutError:
            found = {"status": "killed", "killer": "timed out", "difference": "", "output": ""}
        except BaseException as error:  # noqa: BLE001 - a child reports every failure to its parent
            found = {"status": "killed", "killer": f"{type(error).__name__}: {last_line(str(error))}", "difference": "", "output": ""}
        # A forked child's CPU clock starts at zero: this is what judging the mutant cost.
        found.setdefault("timings", {})["cpu"] = round(time.process_time(), 1)
        try:
            (root / "outcome.json").write_text(json.dumps(found), encoding="utf-8")
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    return pid, root


def _alarm(signum, frame):
    raise TimeoutError


def run_all(mutants, baseline, options, build_module, report):
    """Judge the mutants, ``options.jobs`` children at a time; ``report(outcome)`` as each ends."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGTERM, _stop)
    pending, running, outcomes = list(reversed(mutants)), {}, []
    try:
        _judge_all(pending, running, outcomes, baseline, options, build_module, report)
    finally:
        for pid, (_, root, _) in running.items():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            shutil.rmtree(root, ignore_errors=True)
    return outcomes


def _stop(signum, frame):
    raise KeyboardInterrupt


def _judge_all(pending, running, outcomes, baseline, options, build_module, report):
    while pending or running:
        while pending and len(running) < options.jobs:
            mutant = pending.pop()
            pid, root = run_in_child(mutant, baseline, options, build_module)
            running[pid] = (mutant, root, time.monotonic())
        pid, _ = os.wait()
        if pid not in running:
            continue
        mutant, root, started = running.pop(pid)
        try:
            found = json.loads((root / "outcome.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = {"status": "killed", "killer": "the mutant's child process crashed", "difference": "", "output": ""}
        finally:
            shutil.rmtree(root, ignore_errors=True)
        outcome = Outcome(
            mutant, found["status"], found["killer"], found["difference"], time.monotonic() - started, found.get("output", ""),
            bool(found.get("unbuilt")), found.get("timings", {}), found.get("probe_note", ""),
        )
        outcomes.append(outcome)
        report(outcome, len(outcomes))


def baseline_probe(options, build_module):
    """The original's probe, after checking that the test selection passes on it.

    With ``--cache DIR``, kept there under a digest of every file of the snapshot and of the
    test selection: a later run over the same repository (a part of a long run, a survivor
    rerun with ``--only``) reads it instead of probing and testing the original again.
    """
    cached = options.cache / f"baseline-{snapshot_digest(options.baseline_tests)}.json" if options.cache else None
    if cached is not None and cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    probe = probe_original(options, build_module)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".partial")
        partial.write_text(json.dumps(probe), encoding="utf-8")
        partial.replace(cached)
    return probe


def snapshot_digest(tests):
    """A digest of every file of the snapshot (paths and contents) and of the test selection."""
    digest = hashlib.sha1(repr(tests).encode())
    for path in sorted(SNAPSHOT[0].rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(SNAPSHOT[0])).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def probe_original(options, build_module):
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGTERM, _stop)
    pid, root = run_in_child(None, None, options, build_module, timeout=4 * options.timeout)
    try:
        os.waitpid(pid, 0)
    except BaseException:  # the run is stopped: so is the child
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        found = json.loads((root / "outcome.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if found.get("probe") is None:
        raise SystemExit(f"Error: the original repository cannot be probed: {found['difference'] or found['killer']}")
    if found["killer"]:
        raise SystemExit(f"Error: the test selection fails on the original repository: {found['killer']}\n{found['output'][-3000:]}")
    return found["probe"]


def sample(mutants, count, rng):
    """``count`` mutants drawn kind by kind in turn (each kind shuffled), so every kind is tried."""
    by_kind = defaultdict(list)
    for mutant in sorted(mutants, key=lambda m: m.id):
        by_kind[mutant.kind].append(mutant)
    for group in by_kind.values():
        rng.shuffle(group)
    kinds = sorted(by_kind)
    rng.shuffle(kinds)
    chosen = []
    while len(chosen) < count and any(by_kind.values()):
        for kind in kinds:
            if by_kind[kind] and len(chosen) < count:
                chosen.append(by_kind[kind].pop())
    return chosen


# --------------------------------------------------------------------------------------------
# Reporting


def summary(outcomes):
    lines = []
    for family in ("data", "data, tables the build does not read", "engine"):
        mine = [o for o in outcomes if o.group == family]
        if not mine:
            continue
        counts = Counter(o.status for o in mine)
        live = counts["killed"] + counts["survived"]
        rate = f"{100 * counts['killed'] / live:.1f} %" if live else "n/a"
        lines.append(
            f"{family}: {len(mine)} mutants, {counts['equivalent']} equivalent, {counts['killed']} of {live} "
            f"non-equivalent killed ({rate}), {counts['survived']} survived"
        )
    return lines


def markdown_report(outcomes, options, unmutated, elapsed, populations):
    out = ["# Mutation testing report", ""]
    counts = Counter(o.mutant.family for o in outcomes)
    out.append(
        f"`python scripts/mutation_test.py --seed {options.seed}` over the repository at commit `{git_commit()}`: "
        f"{counts['data']} data mutants and {counts['engine']} engine mutants, drawn kind by kind from "
        f"{populations['data']} possible data mutants and {populations['engine']} possible engine mutants, "
        f"{elapsed / 60:.0f} min of wall time on a shared 2-core machine (--jobs {options.jobs})."
    )
    out += ["", "## Kill rates", ""]
    out += [f"- {line}" for line in summary(outcomes)]
    out += ["", "### By kind", "", "| family | kind | mutants | equivalent | killed | survived |", "| --- | --- | --- | --- | --- | --- |"]
    by_kind = defaultdict(Counter)
    for outcome in outcomes:
        by_kind[(outcome.group, outcome.mutant.kind)][outcome.status] += 1
    for (family, kind), counts in sorted(by_kind.items()):
        out.append(
            f"| {family} | {kind} | {sum(counts.values())} | {counts['equivalent']} | {counts['killed']} | {counts['survived']} |"
        )
    by_table = defaultdict(Counter)
    for outcome in outcomes:
        by_table[(outcome.group, outcome.mutant.file)][outcome.status] += 1
    out += ["", "### By table or module", "", "| family | file | mutants | equivalent | killed | survived |", "| --- | --- | --- | --- | --- | --- |"]
    for (family, name), counts in sorted(by_table.items()):
        out.append(
            f"| {family} | `{name}` | {sum(counts.values())} | {counts['equivalent']} | {counts['killed']} | {counts['survived']} |"
        )
    out += [
        "", "### What a mutant costs", "",
        "Medians: wall seconds of the whole mutant, of its build, probe and tests, its CPU seconds, and (data mutants of the "
        "graph) how many single sites its probe lesioned.", "",
        "| family | status | mutants | median s | build | probe | tests | CPU s | sites probed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    by_cost = defaultdict(list)
    for outcome in outcomes:
        by_cost[(outcome.group, outcome.status)].append(outcome)
    for (family, status), mine in sorted(by_cost.items()):
        stages = [_median([o.timings[stage] for o in mine if stage in o.timings]) for stage in ("build", "probe", "tests", "cpu")]
        sites = _median([int(o.probe_note.split()[0]) for o in mine if o.probe_note[:1].isdigit()])
        whole = sum(o.probe_note.startswith("all") for o in mine)
        probed = "-" if sites is None else f"{sites:.0f}"
        probed += f" ({whole} every site)" if whole else ""
        out.append(
            f"| {family} | {status} | {len(mine)} | {_median([o.seconds for o in mine]):.0f} | "
            + " | ".join("-" if value is None else f"{value:.0f}" for value in stages) + f" | {probed} |"
        )
    killers = Counter(_killer_group(o.killer) for o in outcomes if o.status == "killed")
    out += ["", "### What killed them", "", "| killed by | mutants |", "| --- | --- |"]
    out += [f"| {killer} | {count} |" for killer, count in killers.most_common()]
    survivors = [o for o in outcomes if o.status == "survived"]
    out += ["", "## Survivors", ""]
    if survivors:
        out += ["| id | file:row | change | first prediction that changes | explained |", "| --- | --- | --- | --- | --- |"]
        out += [
            f"| {o.mutant.id} | {o.mutant.where()} | {_cell(o.mutant.change)} | {_cell(o.difference)} | {_cell(EXPLAINED.get(o.mutant.id, ''))} |"
            for o in survivors
        ]
    else:
        out.append("None.")
    equivalent = [o for o in outcomes if o.status == "equivalent"]
    out += ["", "## Equivalent mutants", ""]
    if equivalent:
        out.append(
            "No single-site prediction (either phase), multi-site prediction or localization of the probe "
            "changes. Killed anyway: a test failed although no prediction changed."
        )
        out += ["", "| id | file:row | change | killed anyway by |", "| --- | --- | --- | --- |"]
        out += [f"| {o.mutant.id} | {o.mutant.where()} | {_cell(o.mutant.change)} | {_cell(o.killer) or '-'} |" for o in equivalent]
    else:
        out.append("None.")
    if unmutated:
        out += ["", "## Tables without mutants", ""]
        out += [f"- `data/sources/{name}`" for name in unmutated]
    out += ["", "## Every mutant", "", "| id | status | file:row | change | killed by | s |", "| --- | --- | --- | --- | --- | --- |"]
    for o in outcomes:
        out.append(
            f"| {o.mutant.id} | {o.status} | {o.mutant.where()} | {_cell(o.mutant.change)} | {_cell(o.killer)} | {o.seconds:.0f} |"
        )
    return "\n".join(out) + "\n"


def _median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _killer_group(killer):
    if killer.startswith("build"):
        return "the build"
    if "::" in killer:
        return killer.split("::")[0]
    return killer or "the probe"


def _cell(text):
    return (text or "").replace("|", "\\|").replace("\n", " ")


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    except OSError:
        return "unknown"


# --------------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=17, help="the sample's seed (default 17)")
    parser.add_argument("--data", type=int, default=16, metavar="N", help="data mutants to draw (default 16)")
    parser.add_argument("--engine", type=int, default=4, metavar="N", help="engine mutants to draw (default 4)")
    parser.add_argument("--jobs", type=int, default=2, help="mutants run at once (default 2)")
    parser.add_argument("--only", metavar="ID", help="run one mutant by id and show its test output")
    parser.add_argument("--ids", type=Path, metavar="FILE", help="run the mutants whose ids a file lists (one a line), in its order")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every outcome as JSON here")
    parser.add_argument(
        "--merge", type=Path, metavar="FILE", action="append", default=[],
        help="a previous run's JSON: its outcomes are kept except those of the mutants run now (a rerun of survivors); "
        "may be repeated (a later file's outcome of a mutant replaces an earlier one's); with nothing to run, only merges",
    )
    parser.add_argument("--list", action="store_true", help="list every mutant that could be drawn, and stop")
    parser.add_argument("--report", type=Path, help="write a Markdown report here")
    parser.add_argument("--test-equivalent", action="store_true", help="run the tests on equivalent mutants too")
    parser.add_argument("--timeout", type=float, default=300, help="seconds one mutant may take (default 300)")
    parser.add_argument(
        "--cache", type=Path, metavar="DIR",
        help="keep the original's probe here, to be read by later runs over the same repository",
    )
    parser.add_argument(
        "--full-probe", action="store_true",
        help="probe every site of a data mutant, not only those its change can reach (see probe_scope)",
    )
    parser.add_argument(
        "--check-scope", action="store_true",
        help="also run each data mutant's whole probe and note any prediction outside its scope that differs",
    )
    options = parser.parse_args(argv)
    if min(options.data, options.engine) < 0 or options.jobs < 1:
        parser.error("--data and --engine must be 0 or more, --jobs at least 1")
    data, unmutated = data_mutants()
    engine = engine_mutants()
    populations = {"data": len(data), "engine": len(engine)}
    if options.list:
        # by id, as the sample is drawn: the order the tables and modules yield them in need not repeat
        for mutant in sorted(data + engine, key=lambda mutant: mutant.id):
            print(f"{mutant.id}  {mutant.kind:<28} {mutant.where():<48} {mutant.change}")
        print(f"{len(data)} data mutants, {len(engine)} engine mutants", file=sys.stderr)
        return 0
    if options.only:
        chosen = [mutant for mutant in data + engine if mutant.id == options.only]
        if not chosen:
            parser.error(f"no mutant has the id {options.only!r} (see --list)")
        options.test_equivalent = True
    elif options.ids:
        wanted = {identifier: position for position, identifier in enumerate(options.ids.read_text(encoding="utf-8").split())}
        chosen = sorted((mutant for mutant in data + engine if mutant.id in wanted), key=lambda mutant: wanted[mutant.id])
    else:
        rng = random.Random(options.seed)
        chosen = sample(data, options.data, rng) + sample(engine, options.engine, rng)
    families = {mutant.family for mutant in chosen}
    options.baseline_tests = (DATA_TESTS if "data" in families else ()) + (ENGINE_TESTS if "engine" in families else ()) + tuple(
        test for glob, tests in FOCUSED_TESTS.items() if any(fnmatch(mutant.file, glob) for mutant in chosen) for test in tests
    )
    started = time.monotonic()
    print(f"probing the original ({populations['data']} data and {populations['engine']} engine mutants possible) ...", flush=True)
    snapshot = Path(tempfile.mkdtemp(prefix="neurograph-snapshot-"))
    try:
        copy_repository(snapshot)
        SNAPSHOT[0] = snapshot
        import_package_from(snapshot)
        build_module = preload()
        return finish_run(chosen, options, build_module, data, engine, unmutated, populations, started)
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)


def outcome_from_json(entry):
    """An outcome of an earlier run, as ``write_json`` stored it (its mutant can no longer be applied)."""
    file, row = entry["where"].rsplit(":", 1)
    mutant = Mutant(entry["family"], entry["kind"], file, int(row), entry["change"], apply=None)
    return Outcome(
        mutant, entry["status"], entry["killer"], entry["difference"], entry["seconds"], unbuilt=entry.get("unbuilt", False),
        timings=entry.get("timings", {}), probe_note=entry.get("probe_note", ""),
    )


def write_json(path, outcomes, elapsed):
    entries = [
        {"id": o.mutant.id, "family": o.mutant.family, "kind": o.mutant.kind, "where": o.mutant.where(),
         "change": o.mutant.change, "status": o.status, "killer": o.killer, "difference": o.difference, "seconds": o.seconds,
         "unbuilt": o.unbuilt, "timings": o.timings, "probe_note": o.probe_note}
        for o in outcomes
    ]
    path.write_text(json.dumps({"seconds": elapsed, "outcomes": entries}, indent=1), encoding="utf-8")


def finish_run(chosen, options, build_module, data, engine, unmutated, populations, started):
    baseline = baseline_probe(options, build_module) if chosen else None

    finished = []

    def report(outcome, done):
        mutant = outcome.mutant
        finished.append(outcome)
        if options.json:  # after every mutant, so that a run stopped early keeps what it found
            write_json(options.json, finished, time.monotonic() - started)
        print(
            f"{done:>4}/{len(chosen)} {outcome.status:<10} {mutant.id} {mutant.where()} {mutant.change}"
            + (f"  [{outcome.killer}]" if outcome.killer else "")
            + f"  ({outcome.timings.get('cpu', 0):.0f} s CPU{', ' + outcome.probe_note if outcome.probe_note else ''})", flush=True,
        )

    outcomes = run_all(chosen, baseline, options, build_module, report) if chosen else []
    elapsed = time.monotonic() - started if chosen else 0.0
    merged = {}
    for path in options.merge:
        previous = json.loads(path.read_text(encoding="utf-8"))
        merged.update((entry["id"], entry) for entry in previous["outcomes"])
        elapsed += previous["seconds"]
    rerun = {outcome.mutant.id for outcome in outcomes}
    outcomes += [outcome_from_json(entry) for identifier, entry in merged.items() if identifier not in rerun]
    outcomes.sort(key=lambda o: (o.mutant.family, o.mutant.file, o.mutant.row, o.mutant.id))
    if options.json:
        write_json(options.json, outcomes, elapsed)
    print()
    for line in summary(outcomes):
        print(line)
    survivors = [o for o in outcomes if o.status == "survived"]
    for o in survivors:
        print(f"SURVIVED {o.mutant.id} {o.mutant.where()}: {o.mutant.change}\n    changes {o.difference}")
        if o.mutant.id in EXPLAINED:
            print(f"    explained: {EXPLAINED[o.mutant.id]}")
    if options.only:
        outcome = outcomes[0]
        print(f"\n{outcome.status}; first prediction that changes: {outcome.difference or 'none'}")
        print(outcome.output[-6000:])
    if options.report:
        options.report.write_text(markdown_report(outcomes, options, unmutated, elapsed, populations), encoding="utf-8")
    print(f"{elapsed:.0f} s")
    return 1 if any(o.mutant.id not in EXPLAINED for o in survivors) else 0


if __name__ == "__main__":
    sys.exit(main())
