#!/usr/bin/env python3
"""Benchmark sensation's speed targets (issue 12) against the engine without sensation, in one run.

Targets, each a median on the packaged anatomy with sensation graded:

- one ``simulate`` <= 0.5 ms (over the lesions of ``CASES``: those of ``bench_lesion.py`` and
  two of mostly sensory structures);
- the single-site atlas (``simulate`` of every atlas site) <= 1.5 s;
- ``localize`` of single sites <= 10 ms and with exact pairs <= 200 ms, over examinations with
  sensory findings (a numb dorsal ulnar hand with an ulnar hand, an L5 foot drop with an altered
  dermatome, a Brown-Sequard hemisection at T10, every key point after a C7 lesion); the
  ranking of next tests, which has a target of its own, is left out (``tests=0``) and timed
  for the same examinations by ``bench_localize.py``.

The baseline, measured in the same run: ``simulate(..., sensation=False)`` for the simulations;
for the atlas and localization, the same anatomy with its skin removed (so nothing is graded
and the site atlas has no sensory rows) and the examinations' motor and reflex findings alone.
Each measurement is reported as wall time (the targets) and as CPU time of this process
(``time.process_time``, steadier on a loaded machine), with the ratio of each to its baseline.

    python scripts/bench_sensation.py            # print the measurements
    python scripts/bench_sensation.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bench_lesion import CASES as ENGINE_CASES  # noqa: E402
from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.findings import findings_from_dict, findings_from_result  # noqa: E402
from neurograph.localization import localize  # noqa: E402
from neurograph.resolve import atlas_sites  # noqa: E402
from test_localize_sensory import FOOT_DROP, brown_sequard_record, ulnar_record  # noqa: E402

#: The engine benchmark's lesions, and two that reach sensation alone or mostly.
CASES = ENGINE_CASES + ("right C6 ventral ramus", "right VPL thalamus")
TARGETS = {"simulation_ms": 0.5, "atlas_seconds": 1.5, "single_sites_ms": 10.0, "with_pairs_ms": 200.0}


def without_skin(G):
    """The anatomy with every skin node removed: the engine then grades no sensation."""
    bare = G.copy()
    bare.remove_nodes_from([node for node, data in G.nodes(data=True) if data["kind"] == "skin"])
    return bare


def timed(function, repeats):
    """``(wall, cpu)``: the median wall and CPU seconds of ``repeats`` calls of ``function``."""
    return median_seconds(function, repeats), median_seconds(function, repeats, clock=time.process_time)


def examinations(G):
    """The examinations with sensory findings, and the same examinations' motor and reflex findings alone."""
    records = {
        "ulnar hand, dorsal ulnar hand numb": ulnar_record(dorsal_ulnar_hand=0),
        "L5 foot drop, dermatome altered": {"muscles": FOOT_DROP, "sensation": {"right L5 key point": {"pin prick": 1}}},
        "Brown-Sequard at T10": brown_sequard_record(),
    }
    with_sensation = {name: findings_from_dict(G, record) for name, record in records.items()}
    motor_only = {name: {key: value for key, value in record.items() if key != "sensation"} for name, record in records.items()}
    c7 = neurograph.simulate(G, "C7")
    key_points = [node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level")]
    with_sensation["every key point after C7"] = findings_from_result(c7, places=key_points)
    return with_sensation, motor_only


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=100)
    arguments = parser.parse_args(argv)
    repeats = arguments.repeats

    G = neurograph.load_anatomy()
    bare = without_skin(G)
    sites = [neurograph.resolve_site(G, case) for case in CASES]
    for graph in (G, bare):
        neurograph.simulate(graph, sites[0])  # builds the route tables once, as any session would

    def per_case(**options):
        found = [timed(lambda site=site: neurograph.simulate(G, site, **options), repeats) for site in sites]
        return statistics.median(wall for wall, _ in found) * 1e3, statistics.median(cpu for _, cpu in found) * 1e3

    simulation = per_case()
    simulation_motor = per_case(sensation=False)

    atlas = atlas_sites(G)
    bare_atlas = atlas_sites(bare)
    atlas_rounds = max(1, repeats // 30)
    atlas_time = timed(lambda: [neurograph.simulate(G, site) for site in atlas], atlas_rounds)
    atlas_motor = timed(lambda: [neurograph.simulate(bare, site) for site in bare_atlas], atlas_rounds)

    with_sensation, motor_only = examinations(G)
    motor_findings = {name: findings_from_dict(bare, record) for name, record in motor_only.items()}
    localize_repeats = max(3, repeats // 10)

    def localization(graph, examples, max_sites):
        found = {name: timed(lambda f=f: localize(graph, f, max_sites=max_sites, tests=0), localize_repeats) for name, f in examples.items()}
        return {name: (wall * 1e3, cpu * 1e3) for name, (wall, cpu) in found.items()}

    singles = localization(G, with_sensation, 1)
    pairs = localization(G, with_sensation, 2)
    singles_motor = localization(bare, motor_findings, 1)
    pairs_motor = localization(bare, motor_findings, 2)

    def medians(by_example):
        return statistics.median(wall for wall, _ in by_example.values()), statistics.median(cpu for _, cpu in by_example.values())

    def entry(measured, baseline, digits):
        return {
            "wall": round(measured[0], digits), "cpu": round(measured[1], digits),
            "baseline_wall": round(baseline[0], digits), "baseline_cpu": round(baseline[1], digits),
            "ratio_wall": round(measured[0] / baseline[0], 2) if baseline[0] else None,
            "ratio_cpu": round(measured[1] / baseline[1], 2) if baseline[1] else None,
        }

    single_ms, pairs_ms = medians(singles), medians(pairs)
    measurements = {
        "nodes": G.number_of_nodes(),
        "skin_nodes": G.number_of_nodes() - bare.number_of_nodes(),
        "simulation_ms_median": entry(simulation, simulation_motor, 4),
        "atlas_sites": len(atlas),
        "atlas_seconds_median": entry(atlas_time, atlas_motor, 3),
        "single_sites_ms_median": entry(single_ms, medians(singles_motor), 2),
        "single_sites_ms_by_example": {name: round(wall, 2) for name, (wall, _) in singles.items()},
        "with_pairs_ms_median": entry(pairs_ms, medians(pairs_motor), 1),
        "with_pairs_ms_by_example": {name: round(wall, 1) for name, (wall, _) in pairs.items()},
        "baseline": "simulate(sensation=False); atlas and localize on the anatomy without skin, motor and reflex findings alone",
        "targets": TARGETS,
    }
    missed = (
        simulation[0] > TARGETS["simulation_ms"] or atlas_time[0] > TARGETS["atlas_seconds"]
        or single_ms[0] > TARGETS["single_sites_ms"] or pairs_ms[0] > TARGETS["with_pairs_ms"]
    )
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
