#!/usr/bin/env python3
"""Benchmark localization as inference (neurograph.inference) on the packaged anatomy.

Targets (issue 15), medians over the examples (the three public pictures, three classic
pictures and the full examination of every muscle and reflex after a C7 cord lesion):
every single site weighed at its three severities in <= 10 ms; with the pair search and the
exact weighing of the pairs found in <= 200 ms; the next-test ranking in <= 100 ms. The
baseline, in the same run: the ranking by score every site and pair had before (explained minus
contradicted minus unexplained, ``localize(..., ranking="score")``), for single sites and with
the exact best-scoring pairs; the ratio is inference over score. The whole `localize` call (pairs,
posteriors, three next tests) is reported too.

    python scripts/bench_inference.py            # print the measurements
    python scripts/bench_inference.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.findings import findings_from_dict, findings_from_result  # noqa: E402
from neurograph.inference import next_tests, weigh  # noqa: E402
from neurograph.localization import localize  # noqa: E402
from test_localize import WRIST_DROP, lumbosacral_lmn_picture, seed_c7_picture  # noqa: E402

SINGLES_TARGET_MS = 10.0
PAIRS_TARGET_MS = 200.0
NEXT_TEST_TARGET_MS = 100.0

CLASSIC = {
    "finger drop": {"muscles": {
        "right extensor digitorum": 1, "right extensor indicis": 1, "right extensor pollicis longus": 1,
        "right extensor carpi ulnaris": 2, "right abductor pollicis longus": 2, "right extensor carpi radialis longus": 5,
        "right brachioradialis": 5, "right triceps": 5, "right deltoid": 5, "right FDI": 5},
        "reflexes": {"right brachioradialis reflex": "2+", "right triceps reflex": "2+"}},
    "partial C7 root": {"muscles": {"right triceps": 4}, "reflexes": {"right triceps reflex": "1+"}},
    "L5 radiculopathy": {"muscles": {
        "right tibialis anterior": 4, "right extensor hallucis longus": 3, "right tibialis posterior": 4,
        "right gluteus medius": 4, "right fibularis longus": 4, "right gastrocnemius": 5, "right rectus femoris": 5,
        "right gluteus maximus": 5}, "reflexes": {"right ankle jerk": "2+", "right knee jerk": "2+"}, "plantar": {"right": "flexor"}},
}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=7)
    arguments = parser.parse_args(argv)
    G = neurograph.load_anatomy()
    examples = {
        "wrist drop": findings_from_dict(G, WRIST_DROP),
        "seed C7 picture": findings_from_dict(G, seed_c7_picture()),
        "lumbosacral LMN picture": findings_from_dict(G, lumbosacral_lmn_picture()),
        **{name: findings_from_dict(G, record) for name, record in CLASSIC.items()},
        "full examination after C7": findings_from_result(neurograph.simulate(G, "C7")),
    }
    for findings in examples.values():  # what is made once per anatomy and phase
        localize(G, findings, ranking="posterior")
    repeats = arguments.repeats

    def ms(function):
        return {name: median_seconds(lambda f=f: function(f), repeats) * 1e3 for name, f in examples.items()}

    singles = ms(lambda f: weigh(G, f))
    with_pairs = ms(lambda f: weigh(G, f, search_pairs=True))
    weights = {name: weigh(G, f, search_pairs=True) for name, f in examples.items()}
    tests = {name: median_seconds(lambda f=f, w=weights[name]: next_tests(G, f, w), repeats) * 1e3 for name, f in examples.items()}
    whole = ms(lambda f: localize(G, f, ranking="posterior"))
    scored_singles = ms(lambda f: localize(G, f, max_sites=1, ranking="score"))
    scored_pairs = ms(lambda f: localize(G, f, max_sites=2, ranking="score"))
    median = {name: statistics.median(values.values()) for name, values in (
        ("singles", singles), ("pairs", with_pairs), ("tests", tests), ("whole", whole),
        ("scored_singles", scored_singles), ("scored_pairs", scored_pairs),
    )}
    measurements = {
        "singles_with_severities_ms_median": round(median["singles"], 2),
        "singles_with_severities_ms_by_example": {name: round(value, 2) for name, value in singles.items()},
        "with_pairs_ms_median": round(median["pairs"], 1),
        "with_pairs_ms_by_example": {name: round(value, 1) for name, value in with_pairs.items()},
        "pairs_weighed_by_example": {name: len(w.pair_rows) for name, w in weights.items()},
        "next_tests_ms_median": round(median["tests"], 1),
        "next_tests_ms_by_example": {name: round(value, 1) for name, value in tests.items()},
        "localize_whole_ms_median": round(median["whole"], 1),
        "score_singles_ms_median (baseline)": round(median["scored_singles"], 2),
        "score_pairs_ms_median (baseline)": round(median["scored_pairs"], 1),
        "ratio_singles_inference_over_score": round(median["singles"] / median["scored_singles"], 1),
        "ratio_pairs_inference_over_score": round(median["pairs"] / median["scored_pairs"], 1),
        "targets_ms": {"singles": SINGLES_TARGET_MS, "with_pairs": PAIRS_TARGET_MS, "next_tests": NEXT_TEST_TARGET_MS},
    }
    missed = median["singles"] > SINGLES_TARGET_MS or median["pairs"] > PAIRS_TARGET_MS or median["tests"] > NEXT_TEST_TARGET_MS
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
