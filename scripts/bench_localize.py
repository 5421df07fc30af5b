#!/usr/bin/env python3
"""Benchmark localization on the packaged anatomy.

Targets: every single site scored in <= 10 ms; the exact best pairs in <= 200 ms (medians over
the examples, each of which must meet them: the three public ones, an exam of neck flexors
alone, whose pools are driven from both hemispheres, the full examination of every muscle
and reflex after a C7 cord lesion, and examinations with sensation: an ulnar hand with a numb
dorsal ulnar hand, an L5 foot drop with an altered dermatome, a Brown-Sequard hemisection at
T10, and the full examination after C7 with every modality at every ISNCSCI key point; and
with cranial findings: a right hemiparesis with the right lower face weak and the forehead
spared, Weber's and Millard-Gubler's crossed signs, and the full examination of every limb
and cranial muscle after a left Weber lesion). The site atlas is built once per anatomy, and
reported with its site count and how many of its sites lie on cranial routes. As the
baseline, in the same process: scoring every single site by calling ``simulate`` for each
hypothesis, and ``simulate`` timed on sampled pairs to price scoring every searched pair so.
What is computed once per anatomy and phase (route table, site atlas, every single site's
prediction) is reported on its own.

    python scripts/bench_localize.py            # print the measurements
    python scripts/bench_localize.py --check    # exit 1 when a target is missed
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
from neurograph.localization import _Observation, localize  # noqa: E402
from test_localize import (  # noqa: E402
    NECK_FLEXORS, WRIST_DROP, lumbosacral_lmn_picture, observation_prediction, seed_c7_picture,
)
from test_cranial_localize import record as hemiparesis_record  # noqa: E402
from test_localize_sensory import FOOT_DROP, brown_sequard_record, ulnar_record  # noqa: E402

SINGLE_TARGET_MS = 10.0
PAIRS_TARGET_MS = 200.0


def simulate_every_site(G, findings):
    """The baseline: one simulation per single-site hypothesis, each scored on its own."""
    observation = _Observation(G, findings)
    return max(int(observation.scores(observation_prediction(G, findings, observation, [site]))[0]) for site in site_atlas(G).sites)


def precomputation_seconds():
    """Route table, site atlas and every site's prediction in one phase, on a freshly loaded anatomy."""
    fresh = neurograph.load_anatomy()
    started = time.perf_counter()
    localize(fresh, findings_from_dict(fresh, WRIST_DROP), max_sites=1)
    return time.perf_counter() - started


def searched_pairs(G, findings):
    """How many pairs the pair search scores for ``findings``."""
    observation = _Observation(G, findings)
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
    singles = {name: median_seconds(lambda f=f: localize(G, f, max_sites=1), arguments.repeats) * 1e3 for name, f in examples.items()}
    pairs = {name: median_seconds(lambda f=f: localize(G, f, max_sites=2), arguments.repeats) * 1e3 for name, f in examples.items()}
    baseline = median_seconds(lambda: simulate_every_site(G, examples["wrist drop"]), 1) * 1e3
    sample = [(atlas.sites[a], atlas.sites[b]) for a, b in zip(range(0, 900, 9), range(5, 905, 9))]
    simulate_pair_ms = median_seconds(lambda: [neurograph.simulate(G, list(pair)) for pair in sample], 3) * 1e3 / len(sample)
    counted = {name: searched_pairs(G, f) for name, f in examples.items()}
    single_ms, pairs_ms = statistics.median(singles.values()), statistics.median(pairs.values())
    cranial_nodes = cranial_table(G).sign_nodes
    measurements = {
        "atlas_sites": len(atlas.sites),
        "atlas_sites_on_cranial_routes": sum(1 for site in atlas.sites if not cranial_nodes.isdisjoint(site.nodes)),
        "precomputation_seconds_once_per_anatomy_and_phase": round(atlas_seconds, 3),
        "single_sites_ms_median": round(single_ms, 2),
        "single_sites_ms_by_example": {name: round(ms, 2) for name, ms in singles.items()},
        "with_pairs_ms_median": round(pairs_ms, 1),
        "with_pairs_ms_by_example": {name: round(ms, 1) for name, ms in pairs.items()},
        "pairs_scored_by_example": counted,
        "simulate_each_single_site_ms": round(baseline, 1),
        "speedup_of_single_site_scoring": round(baseline / single_ms, 1),
        "simulate_one_pair_ms": round(simulate_pair_ms, 3),
        "simulate_each_searched_pair_seconds_estimated": {
            name: round(count * simulate_pair_ms / 1e3, 1) for name, count in counted.items()
        },
        "targets": {"single_sites_ms": SINGLE_TARGET_MS, "with_pairs_ms": PAIRS_TARGET_MS},
    }
    missed = max(singles.values()) > SINGLE_TARGET_MS or max(pairs.values()) > PAIRS_TARGET_MS
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
