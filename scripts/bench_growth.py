#!/usr/bin/env python3
"""Benchmark how the cost of validate, lesion and localize grows with the size of the anatomy.

Anatomies are grown from the packaged one by :mod:`neurograph.testing.scaled` to about 1x, 4x
and 16x its size (nodes plus edges) in three ways: more muscles (every muscle copied), more nerve
layers (relay nerve nodes on every branch to a muscle), and a lattice of nerve nodes in the
sciatic nerve (whose routes grow exponentially with its depth). On each, on a fresh copy of the
graph every time (nothing cached): ``validate``, ``simulate(G, "C7")`` (route tables included)
and ``localize`` of a radial and tibial examination with ``max_sites=1`` (site atlas included;
the pair search weighs pairs of the sites relevant to the examination, so it grows with their
square by its nature and is bounded by ``neurograph.localization.PAIR_LIMIT``). Reported per
step: median CPU time of the process over the repeats (user plus system, ``time.process_time``:
the work done: a loaded shared machine stretches the wall time of the longer runs most, so
growth read from wall time under load looks superlinear where the work is not) and peak traced
memory (tracemalloc, one extra run), with
their growth against the input size, ``log(cost ratio) / log(size ratio)``: 1 is linear, 2
quadratic; and, per family, the slope fitted over all three sizes.

Input size is nodes plus edges plus (muscle, segment) pairs. The route tables are found by one
reachability pass per segment, so an edge costs once per segment it carries: their cost is
linear in the *fibre size*, nodes plus (edge, segment carried) pairs plus (muscle, segment)
pairs, which is at most 31 times the input size. The families grow the two differently: the
lattice's edges carry the five segments of the sciatic nerve, and the lattice is most of each
larger anatomy (at 4x about 70% of its nodes, at 16x over 90%), so its fibre size grows faster than its
input size and a cost linear in fibre size shows an exponent above 1 against input size. So the
slopes are fitted against both (``fitted_exponents`` and ``fitted_exponents_by_fibre_size``).

Target: no growth exponent above 1.5 (clearly superlinear) where the larger run takes at least
50 ms or 10 MB (smaller ones are dominated by fixed costs and noise). What a documented size limit
refuses (AnatomyTooLargeError) is reported as refused, with the error.

    python scripts/bench_growth.py            # print the measurements
    python scripts/bench_growth.py --check    # exit 1 when growth is clearly superlinear
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.errors import AnatomyTooLargeError  # noqa: E402
from neurograph.findings import findings_from_dict  # noqa: E402
from neurograph.schema import parse_segments  # noqa: E402
from neurograph.testing import scaled  # noqa: E402

GROWTH_TARGET = 1.5
#: Steps whose larger run takes less time or memory than this are not judged.
JUDGED_SECONDS, JUDGED_MB = 0.05, 10.0
FACTORS = (1, 4, 16)
EXAMINATION = {
    "muscles": {
        "right brachioradialis": 1, "right extensor digitorum": 0, "right triceps": 5, "right gastrocnemius": 3,
        "right tibialis anterior": 5,
    }
}


def grown(G, family, factor):
    """The packaged anatomy grown to about ``factor`` times its nodes plus edges."""
    size = len(G) + G.number_of_edges()
    extra = (factor - 1) * size
    if family == "muscles":
        muscles = [node for node, kind in G.nodes(data="kind") if kind == "muscle"]
        per_copy = len(muscles) + sum(G.in_degree(node) for node in muscles)
        return scaled.more_muscles(G, 1 + round(extra / per_copy))
    if family == "layers":
        branches = sum(1 for u, v in G.edges if G.nodes[u]["kind"] == "nerve" and G.nodes[v]["kind"] == "muscle")
        return scaled.more_layers(G, round(extra / (2 * branches)))
    # A square lattice of n x n nodes on each side adds about 6 n**2 nodes and edges.
    side = max(1, round(math.sqrt(extra / 6))) if factor > 1 else 1
    return scaled.nerve_lattice(G, side, side)


def input_size(G):
    """Nodes plus edges plus (muscle, segment) pairs: what the engine's cost should be linear in."""
    slots = sum(len(parse_segments(data["segments"])) for _, data in G.nodes(data=True) if data["kind"] == "muscle")
    return len(G) + G.number_of_edges() + slots


def fibre_size(G):
    """Nodes plus (edge, segment carried) pairs (an edge with none counts once) plus (muscle, segment) pairs."""
    carried = sum(max(1, len(parse_segments(data["segments"])) if data.get("segments") else 1) for _, _, data in G.edges(data=True))
    slots = input_size(G) - len(G) - G.number_of_edges()
    return len(G) + carried + slots


def operations(G):
    findings = findings_from_dict(G, EXAMINATION)
    return {
        "validate": lambda graph: neurograph.validate(graph),
        "lesion": lambda graph: neurograph.simulate(graph, "C7"),
        "localize": lambda graph: neurograph.localize(graph, findings, max_sites=1),
    }


def measure(G, operation, repeats):
    """Median CPU seconds over ``repeats`` fresh copies, and the peak traced MB of one more."""
    copies = [G.copy() for _ in range(repeats)]
    seconds = median_seconds(lambda: operation(copies.pop()), repeats, clock=time.process_time)
    fresh = G.copy()
    tracemalloc.start()
    operation(fresh)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak / 2**20


def growth(before, after, size_before, size_after):
    if not before or not after:
        return None
    return round(math.log(after / before) / math.log(size_after / size_before), 2)


def fitted(rows, names, size="input_size"):
    """Per operation and unit, the least-squares slope of log(cost) on log(``size``) over every size measured."""
    slopes = {}
    for name in names:
        for unit in ("ms", "peak_mb"):
            points = [(math.log(row[size]), math.log(row[f"{name}_{unit}"])) for row in rows if row.get(f"{name}_{unit}")]
            if len(points) < 2:
                slopes[f"{name}_{unit}"] = None
                continue
            mean_x = sum(x for x, _ in points) / len(points)
            mean_y = sum(y for _, y in points) / len(points)
            spread = sum((x - mean_x) ** 2 for x, _ in points)
            slopes[f"{name}_{unit}"] = round(sum((x - mean_x) * (y - mean_y) for x, y in points) / spread, 2)
    return slopes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when growth is clearly superlinear")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--families", default="muscles,layers,lattice")
    arguments = parser.parse_args(argv)
    base = neurograph.load_anatomy()
    measurements, missed = {}, []
    for family in arguments.families.split(","):
        rows = []
        for factor in FACTORS:
            G = grown(base, family, factor)
            row = {"factor": factor, "nodes": len(G), "edges": G.number_of_edges(), "input_size": input_size(G), "fibre_size": fibre_size(G)}
            for name, operation in operations(G).items():
                try:
                    seconds, peak = measure(G, operation, arguments.repeats)
                except AnatomyTooLargeError as error:  # a documented limit refuses it: reported, not timed
                    row[f"{name}_ms"] = row[f"{name}_peak_mb"] = None
                    row[f"{name}_refused"] = str(error)
                    continue
                row[f"{name}_ms"], row[f"{name}_peak_mb"] = round(seconds * 1e3, 1), round(peak, 1)
            rows.append(row)
            print(json.dumps({family: row}), file=sys.stderr, flush=True)  # progress, as each size is done
        for before, after in zip(rows, rows[1:]):
            for name in operations(base):
                for unit in ("ms", "peak_mb"):
                    key = f"{name}_{unit}"
                    exponent = growth(before[key], after[key], before["input_size"], after["input_size"])
                    after[f"{key}_growth"] = exponent
                    judged = (after[key] or 0) >= (JUDGED_MB if unit == "peak_mb" else JUDGED_SECONDS * 1e3)
                    if exponent is not None and exponent > GROWTH_TARGET and judged:
                        missed.append(f"{family} {name} {unit} x{after['factor']}: growth {exponent}")
        measurements[family] = rows
        measurements[f"{family}_fitted_exponents"] = fitted(rows, operations(base))
        measurements[f"{family}_fitted_exponents_by_fibre_size"] = fitted(rows, operations(base), "fibre_size")
    measurements["superlinear"] = missed
    measurements["targets"] = {"growth_exponent_at_most": GROWTH_TARGET}
    return report(measurements, bool(missed), arguments.check)


if __name__ == "__main__":
    sys.exit(main())
