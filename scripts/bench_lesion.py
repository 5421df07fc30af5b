#!/usr/bin/env python3
"""Benchmark the lesion engine on the packaged anatomy.

Targets: one simulation <= 0.3 ms (issue 11; median over six lesions, on the loaded anatomy,
sensation graded, with the check that the graph has not changed since its tables were built),
an atlas of every single-site lesion <= 2 s. In the same run it reports the same simulations
without sensation (``simulate(..., sensation=False)``) and their ratio, what that check costs by
itself, the same simulations with the check skipped, the check on a plain ``networkx.DiGraph``
copy (compared by content, see :mod:`neurograph.cache`), the simulations with every muscle and
reflex finding read (their sites and reasons are put in words on first use), and the
simulations' CPU time; and it times the plain networkx approach a user would write by hand (copy
the graph, remove the lesioned nodes, ``has_path`` for every muscle segment and pool) and prints
the ratio.

    python scripts/bench_lesion.py            # print the measurements
    python scripts/bench_lesion.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402
from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
import neurograph.lesion  # noqa: E402
from neurograph.cache import graph_state  # noqa: E402
from neurograph.resolve import atlas_sites  # noqa: E402
from neurograph.schema import decode_segment_list, opposite_side  # noqa: E402

CASES = (
    "C7",
    "left internal capsule",
    "right radial nerve at the spiral groove",
    "left half of T10",
    "right upper trunk",
    "cauda equina",
)
SIMULATION_TARGET_MS = 0.3
ATLAS_TARGET_S = 2.0


def naive_simulation(G, site_nodes):
    """What a user would write with networkx alone: delete the lesion, test reachability."""
    remaining = G.copy()
    remaining.remove_nodes_from(site_nodes)
    cut = []
    for muscle, data in G.nodes(data=True):
        if data["kind"] != "muscle":
            continue
        for segment in decode_segment_list(data["segments"]):
            horn = f"{data['side']}.ah.{segment}"
            cortex = f"{opposite_side(data['side'])}.m1.{data['cortical_area']}"
            lmn = muscle in remaining and horn in remaining and nx.has_path(remaining, horn, muscle)
            umn = cortex in remaining and horn in remaining and nx.has_path(remaining, cortex, horn)
            if not (lmn and umn):
                cut.append((muscle, segment))
    return cut


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=200)
    arguments = parser.parse_args(argv)

    G = neurograph.load_anatomy()
    sites = [neurograph.resolve_site(G, case) for case in CASES]
    neurograph.simulate(G, sites[0])  # builds the route tables once, as any session would

    def simulation_medians(graph):
        return {
            site.label: median_seconds(lambda site=site: neurograph.simulate(graph, site), arguments.repeats) * 1e3
            for site in sites
        }

    per_case = simulation_medians(G)
    simulation_ms = statistics.median(per_case.values())
    without_sensation_ms = statistics.median(
        median_seconds(lambda site=site: neurograph.simulate(G, site, sensation=False), arguments.repeats) * 1e3
        for site in sites
    )
    check_us = median_seconds(lambda: graph_state(G), arguments.repeats * 5) * 1e6
    # The same simulations with the check skipped: the engine is handed the state it last checked.
    checked = graph_state(G)
    neurograph.lesion.graph_state = lambda graph: checked
    try:
        unchecked_ms = statistics.median(simulation_medians(G).values())
    finally:
        neurograph.lesion.graph_state = graph_state
    plain = nx.DiGraph(G)
    neurograph.simulate(plain, sites[0])
    plain_check_us = median_seconds(lambda: graph_state(plain), arguments.repeats) * 1e6
    plain_ms = statistics.median(simulation_medians(plain).values())
    # The same, reading every muscle and reflex finding (labels, segments, sites and reasons are
    # put in words on first use).
    def read_findings(site):
        result = neurograph.simulate(G, site)
        return result.muscles, result.reflexes

    with_findings_ms = statistics.median(
        median_seconds(lambda site=site: read_findings(site), arguments.repeats) * 1e3 for site in sites
    )
    # CPU time of this process, steadier than wall time on a loaded machine.
    simulation_cpu_ms = statistics.median(
        median_seconds(lambda site=site: neurograph.simulate(G, site), arguments.repeats, clock=time.process_time) * 1e3
        for site in sites
    )
    # And reading every sensory finding too (each altered place's finding is made on first use).
    with_sensory_findings_ms = statistics.median(
        median_seconds(lambda site=site: neurograph.simulate(G, site).sensation, arguments.repeats) * 1e3
        for site in sites
    )
    naive_ms = statistics.median(
        median_seconds(lambda site=site: naive_simulation(G, site.nodes), max(3, arguments.repeats // 20)) * 1e3
        for site in sites
    )
    atlas = atlas_sites(G)
    atlas_s = median_seconds(lambda: [neurograph.simulate(G, site) for site in atlas], 3)
    measurements = {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "simulation_ms_median": round(simulation_ms, 4),
        "simulation_ms_by_case": {label: round(ms, 4) for label, ms in per_case.items()},
        "simulation_cpu_ms_median": round(simulation_cpu_ms, 4),
        "simulation_without_sensation_ms_median": round(without_sensation_ms, 4),
        "sensation_cost_ratio": round(simulation_ms / without_sensation_ms, 2),
        "graph_check_us_median": round(check_us, 2),
        "simulation_without_check_ms_median": round(unchecked_ms, 4),
        "plain_digraph_graph_check_us_median": round(plain_check_us, 1),
        "plain_digraph_simulation_ms_median": round(plain_ms, 4),
        "simulation_with_findings_read_ms_median": round(with_findings_ms, 4),
        "simulation_with_sensory_findings_read_ms_median": round(with_sensory_findings_ms, 4),
        "naive_networkx_ms_median": round(naive_ms, 3),
        "speedup_vs_naive": round(naive_ms / simulation_ms, 1),
        "atlas_sites": len(atlas),
        "atlas_seconds_median": round(atlas_s, 3),
        "targets": {"simulation_ms": SIMULATION_TARGET_MS, "atlas_seconds": ATLAS_TARGET_S},
    }
    missed = simulation_ms > SIMULATION_TARGET_MS or atlas_s > ATLAS_TARGET_S
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
