#!/usr/bin/env python3
"""Benchmark rendering a lesion diagram (layout, drawing and SVG export) on the packaged anatomy.

Target: one diagram <= 1 s, median over repeated runs of the typical lesions. As a baseline in
the same process it times networkx's own matplotlib drawing (spring layout) of the same
structures, which is what a user would reach for first.

    python scripts/bench_drawing.py            # print the measurements
    python scripts/bench_drawing.py --check    # exit 1 when the target is missed
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
from benchmarking import median_seconds, report  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import neurograph  # noqa: E402
from neurograph.drawing.export import figure_bytes  # noqa: E402
from neurograph.drawing.layout import lesion_layout  # noqa: E402
from neurograph.drawing.pathway import lesion_figure  # noqa: E402

TARGET_SECONDS = 1.0



def networkx_drawing(G, result):
    shown = lesion_layout(G, result).graph
    figure = Figure(figsize=(12, 8))
    ax = figure.add_subplot()
    nx.draw_networkx(shown, pos=nx.spring_layout(shown, seed=1), ax=ax, node_size=40, font_size=6)
    return figure_bytes(figure, "svg")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--repeats", type=int, default=5)
    arguments = parser.parse_args(argv)

    G = neurograph.load_anatomy()
    cases = {
        "radial nerve at the spiral groove": "right radial nerve at the spiral groove",
        "C7 segment": "C7",
        "left internal capsule": "left internal capsule",
        "conus medullaris": neurograph.preset_lesion(G, "conus_medullaris"),
        "cauda equina": neurograph.preset_lesion(G, "cauda_equina"),
    }
    results = {name: neurograph.simulate(G, lesion) for name, lesion in cases.items()}
    figure_bytes(lesion_figure(G, results["left internal capsule"]), "svg")  # imports and font cache, once
    per_case = {
        name: median_seconds(lambda r=result: figure_bytes(lesion_figure(G, r), "svg"), arguments.repeats)
        for name, result in results.items()
    }
    baseline = statistics.median(
        median_seconds(lambda r=result: networkx_drawing(G, r), max(1, arguments.repeats // 2))
        for result in results.values()
    )
    median = statistics.median(per_case.values())
    measurements = {
        "diagram_seconds_median": round(median, 3),
        "diagram_seconds_by_case": {name: round(seconds, 3) for name, seconds in per_case.items()},
        "networkx_spring_drawing_seconds_median": round(baseline, 3),
        "ratio_to_networkx_drawing": round(median / baseline, 2),
        "target_seconds": TARGET_SECONDS,
    }
    return report(measurements, median > TARGET_SECONDS, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
