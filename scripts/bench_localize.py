#!/usr/bin/env python3
"""Benchmark localization on the packaged anatomy.

Targets (issue 15), for every example: single sites weighed at their severities and ranked in
<= 10 ms (``localize(..., max_sites=1, tests=0)``), with the exact pairs in <= 200 ms
(``max_sites=2, tests=0``), and the next-test ranking in <= 100 ms (``next_tests`` on the
weights of the singles and the pairs found). The examples: the three public ones, an exam of
neck flexors alone, whose pools are driven from both hemispheres, the full examination of every
muscle and reflex after a C7 cord lesion, and examinations with sensation: an ulnar hand with a
numb dorsal ulnar hand, an L5 foot drop with an altered dermatome, a Brown-Sequard hemisection
at T10, and the full examination after C7 with every modality at every ISNCSCI key point; and
with cranial findings: a right hemiparesis with the right lower face weak and the forehead
spared, Weber's and Millard-Gubler's crossed signs, and the full examination of every limb and
cranial muscle after a left Weber lesion. Each is reported as wall time (the targets) and CPU
time of this process (steadier on a loaded machine), with the ratio against the current scorer
in the same run: ``ranking="score"`` (explained minus contradicted minus unexplained, complete
lesions only), singles against singles and pairs against pairs. The site atlas is built once
per anatomy, and reported with its site count and how many of its sites lie on cranial routes.
As a further baseline, in the same process: scoring every single site by calling ``simulate``
for each hypothesis, and ``simulate`` timed on sampled pairs to price scoring every searched
pair so. What is computed once per anatomy and phase (route table, site atlas, every single
site's prediction and item states) is reported on its own.

    python scripts/bench_localize.py            # print the measurements
    python scripts/bench_localize.py --check    # exit 1 when a target is missed for any example
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.atlas import site_atlas  # noqa: E402
from neurograph.cranial import cranial_table  # noqa: E402
from neurograph.findings import findings_from_dict, findings_from_result  # noqa: E402
from neurograph.inference import next_tests, weigh  # noqa: E402
from neurograph.localization import Observation, localize  # noqa: E402
from test_localize import (  # noqa: E402
    NECK_FLEXORS, WRIST_DROP, lumbosacral_lmn_picture, observation_prediction, seed_c7_picture,
)
from test_cranial_localize import record as hemiparesis_record  # noqa: E402
from test_localize_sensory import FOOT_DROP, brown_sequard_record, ulnar_record  # noqa: E402

SINGLE_TARGET_MS = 10.0
PAIRS_TARGET_MS = 200.0
NEXT_TESTS_TARGET_MS = 100.0


def timed(function, repeats):
    """The median wall and CPU milliseconds of ``repeats`` calls of ``function``, from the same calls."""
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1e3, statistics.median(cpus) * 1e3


def simulate_every_site(G, findings):
    """The baseline: one simulation per single-site hypothesis, each scored on its own."""
    observation = Observation(G, findings)
    return max(int(observation.scores(observation_prediction(G, findings, observation, [site]))[0]) for site in site_atlas(G).sites)


def precomputation_seconds():
    """Route table, site atlas, every site's prediction and item states in one phase and what
    every site touches (the pair search's), on a freshly loaded anatomy."""
    fresh = neurograph.load_anatomy()
    started = time.perf_counter()
    localize(fresh, findings_from_dict(fresh, WRIST_DROP), max_sites=2)
    return time.perf_counter() - started


def searched_pairs(G, findings):
    """How many pairs the pair search scores for ``findings``."""
    observation = Observation(G, findings)
    forecast = site_atlas(G).prediction(observation.muscles, observation.reflexes, findings.phase, observation.places)
    sites = len(forecast.relevant_rows())
    return sites * (sites - 1) // 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=9)
    arguments = parser.parse_args(argv)
    G = neurograph.load_anatomy()
    examples = {
        "wrist drop": findings_from_dict(G, WRIST_DROP),
        "seed C7 picture": findings_from_dict(G, seed_c7_picture()),
        "lumbosacral LMN picture": findings_from_dict(G, lumbosacral_lmn_picture()),
        "neck flexors both sides": findings_from_dict(G, NECK_FLEXORS),
        "full examination after C7": findings_from_result(neurograph.simulate(G, "C7")),
        "ulnar hand, dorsal ulnar hand numb": findings_from_dict(G, ulnar_record(dorsal_ulnar_hand=0)),
        "L5 foot drop, dermatome altered": findings_from_dict(G, {"muscles": FOOT_DROP, "sensation": {"right L5 key point": {"pin prick": 1}}}),
        "Brown-Sequard at T10": findings_from_dict(G, brown_sequard_record()),
        "full examination after C7, every key point": findings_from_result(
            neurograph.simulate(G, "C7"), places=[node for node, data in G.nodes(data=True) if data["kind"] == "skin" and data.get("isncsci_level")]
        ),
        "hemiparesis, same-side lower face weak": findings_from_dict(G, hemiparesis_record(
            right_orbicularis_oris=3, right_buccinator=3, right_frontalis=5, left_orbicularis_oris=5)),
        "Weber: left III palsy, right hemiparesis": findings_from_dict(G, hemiparesis_record(
            left_levator_palpebrae_superioris=1, left_medial_rectus=1, left_superior_rectus=1, left_lateral_rectus=5)),
        "Millard-Gubler: left VI and VII palsy, right hemiparesis": findings_from_dict(G, hemiparesis_record(
            left_lateral_rectus=1, left_frontalis=1, left_orbicularis_oris=1)),
        "full examination after a left Weber lesion, cranial muscles too": findings_from_result(
            neurograph.simulate(G, neurograph.preset_lesion(G, "weber", side="left")),
            muscles=[node for node, data in G.nodes(data=True) if data["kind"] in ("muscle", "cranial_muscle")],
        ),
    }
    atlas_seconds = precomputation_seconds()
    atlas = site_atlas(G)
    repeats = arguments.repeats
    by_example = {}
    for f in examples.values():  # what is made once per anatomy and phase
        localize(G, f, max_sites=2)
        localize(G, f, max_sites=2, ranking="score")
    for name, f in examples.items():
        weights = weigh(G, f, search_pairs=True)
        measured = {
            "singles": timed(lambda f=f: localize(G, f, max_sites=1, tests=0), repeats),
            "pairs": timed(lambda f=f: localize(G, f, max_sites=2, tests=0), repeats),
            "next_tests": timed(lambda f=f, w=weights: next_tests(G, f, w), repeats),
            "score_singles": timed(lambda f=f: localize(G, f, max_sites=1, ranking="score"), repeats),
            "score_pairs": timed(lambda f=f: localize(G, f, max_sites=2, ranking="score"), repeats),
        }
        entry = {f"{what}_ms": round(wall, 2) for what, (wall, _) in measured.items()}
        entry.update({f"{what}_cpu_ms": round(cpu, 2) for what, (_, cpu) in measured.items()})
        for what in ("singles", "pairs"):
            entry[f"{what}_ratio_to_score_cpu"] = round(measured[what][1] / measured[f"score_{what}"][1], 2)
        entry["within_targets"] = (
            measured["singles"][0] <= SINGLE_TARGET_MS and measured["pairs"][0] <= PAIRS_TARGET_MS
            and measured["next_tests"][0] <= NEXT_TESTS_TARGET_MS
        )
        by_example[name] = entry
    baseline = median_seconds(lambda: simulate_every_site(G, examples["wrist drop"]), 1) * 1e3
    sample = [(atlas.sites[a], atlas.sites[b]) for a, b in zip(range(0, 900, 9), range(5, 905, 9))]
    simulate_pair_ms = median_seconds(lambda: [neurograph.simulate(G, list(pair)) for pair in sample], 3) * 1e3 / len(sample)
    counted = {name: searched_pairs(G, f) for name, f in examples.items()}

    def median(key):
        return round(statistics.median(entry[key] for entry in by_example.values()), 2)

    cranial_nodes = cranial_table(G).sign_nodes
    measurements = {
        "atlas_sites": len(atlas.sites),
        "atlas_sites_on_cranial_routes": sum(1 for site in atlas.sites if not cranial_nodes.isdisjoint(site.nodes)),
        "precomputation_seconds_once_per_anatomy_and_phase": round(atlas_seconds, 3),
        "by_example": by_example,
        "medians_ms": {key: median(key) for key in next(iter(by_example.values())) if key != "within_targets"},
        "examples_within_targets": f"{sum(entry['within_targets'] for entry in by_example.values())} of {len(by_example)}",
        "pairs_scored_by_example": counted,
        "simulate_each_single_site_ms": round(baseline, 1),
        "speedup_of_single_site_weighing_over_simulate": round(baseline / by_example["wrist drop"]["singles_ms"], 1),
        "simulate_one_pair_ms": round(simulate_pair_ms, 3),
        "simulate_each_searched_pair_seconds_estimated": {
            name: round(count * simulate_pair_ms / 1e3, 1) for name, count in counted.items()
        },
        "targets_ms": {"singles": SINGLE_TARGET_MS, "pairs": PAIRS_TARGET_MS, "next_tests": NEXT_TESTS_TARGET_MS},
    }
    missed = not all(entry["within_targets"] for entry in by_example.values())
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
