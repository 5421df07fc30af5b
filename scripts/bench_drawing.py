#!/usr/bin/env python3
"""Benchmark the figures (layout, drawing and SVG export) and the explorer page on the packaged anatomy.

Targets (medians): each figure (pathway diagram in three sizes, also of the most crowded preset, ALS;
body map, sensory map, plexus schematic, cord cross-section, ascending pathways, DOT) <= 1 s; the explorer page written <= 3 s; in the browser (the
system Chromium, when it and Playwright are installed) load to interactive <= 1 s and a click
to updated deficits <= 50 ms. As a baseline in the same process it times networkx's own
matplotlib drawing (spring layout) of the same structures, which is what a user would reach
for first. The explorer page is written from a freshly loaded anatomy (as ``neurograph explore``
does), timed as wall and as CPU time (the CPU time is what a loaded machine does not blur); its
size in bytes is reported too. In the browser, load to interactive is the page's own clock
(``performance.now()`` from the start of navigation) when it has read its data, built its list
and map and shown the empty lesion; every request other than the file is blocked.

    python scripts/bench_drawing.py                    # print the measurements
    python scripts/bench_drawing.py --check            # exit 1 when a target is missed
    python scripts/bench_drawing.py --part explorer    # the explorer page alone (write, size, browser)
    python scripts/bench_drawing.py --part figures --clock cpu   # the figures' CPU time (a loaded machine)

The targets are for wall time on a quiet machine; ``--clock cpu`` reports each figure's CPU time
instead, which is what to compare before and after a change while other work shares the machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import matplotlib  # noqa: E402

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
from benchmarking import median_seconds, report  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import neurograph  # noqa: E402
from neurograph.drawing import (  # noqa: E402
    ascending_figure, body_map_figure, cross_section_figure, figure_bytes, lesion_figure, plexus_figure,
    sensory_map_figure, to_dot,
)
from neurograph.drawing.cross_section import lesion_segment  # noqa: E402
from neurograph.errors import InvalidValueError  # noqa: E402
from neurograph.explorer import write_explorer  # noqa: E402
from neurograph.drawing.layout import lesion_layout  # noqa: E402

FIGURE_SECONDS = 1.0
EXPLORER_SECONDS = 3.0
LOAD_SECONDS = 1.0
CLICK_SECONDS = 0.05
CHROMIUM = "/usr/bin/chromium"


def networkx_drawing(G, result):
    shown = lesion_layout(G, result).graph
    figure = Figure(figsize=(12, 8))
    ax = figure.add_subplot()
    nx.draw_networkx(shown, pos=nx.spring_layout(shown, seed=1), ax=ax, node_size=40, font_size=6)
    return figure_bytes(figure, "svg")


def browser_timings(page, repeats):
    """Median load-to-interactive and click-to-updated-deficits in the system Chromium, or None."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    loads, clicks = [], []
    with sync_playwright() as manager:
        browser = manager.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        for _ in range(repeats):
            tab = browser.new_page()
            tab.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
            tab.goto(page.as_uri())
            tab.wait_for_selector("body[data-ready='1']")
            # From the start of navigation to the page's data read, its list and map built (its own clock).
            loads.append(float(tab.evaluate("() => document.body.dataset.readyMs")) / 1000)
            clicks.append(tab.evaluate(
                "() => { const b = [...document.querySelectorAll('#list button')]"
                ".find(x => x.textContent === 'radial nerve at the spiral groove (right)');"
                " const t = performance.now(); b.click(); document.querySelector('#muscles tbody').offsetHeight;"
                " return performance.now() - t; }"
            ) / 1000)
            tab.close()
        browser.close()
    return statistics.median(loads), statistics.median(clicks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--part", choices=("all", "figures", "explorer"), default="all")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="time the figures by the wall clock (the targets') or by CPU time")
    arguments = parser.parse_args(argv)
    measurements, missed = {}, False
    if arguments.part in ("all", "figures"):
        found, missed = figure_timings(arguments.repeats, time.process_time if arguments.clock == "cpu" else time.perf_counter)
        measurements.update(found)
    if arguments.part in ("all", "explorer"):
        found, slow = explorer_timings(arguments.repeats)
        measurements.update(found)
        missed = missed or slow
    measurements["targets_seconds"] = {
        "figure": FIGURE_SECONDS, "explorer_write": EXPLORER_SECONDS, "load": LOAD_SECONDS, "click": CLICK_SECONDS,
    }
    return report(measurements, missed, arguments.check)


def explorer_timings(repeats):
    """The explorer page: write time (wall and CPU), size, and in the browser load and click times."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "explorer.html"
        write_explorer(neurograph.load_anatomy(), page)  # imports and caches, once
        wall = median_seconds(lambda: write_explorer(neurograph.load_anatomy(), page), repeats)
        cpu = median_seconds(lambda: write_explorer(neurograph.load_anatomy(), page), repeats, clock=time.process_time)
        browser = browser_timings(page, repeats) if shutil.which("chromium") else None
        size = page.stat().st_size
    measurements = {
        "explorer_write_seconds_median": round(wall, 3),
        "explorer_write_cpu_seconds_median": round(cpu, 3),
        "explorer_bytes": size,
        "browser_load_to_interactive_seconds_median": None if browser is None else round(browser[0], 3),
        "browser_click_to_updated_deficits_seconds_median": None if browser is None else round(browser[1], 4),
    }
    missed = wall > EXPLORER_SECONDS or (browser is not None and (browser[0] > LOAD_SECONDS or browser[1] > CLICK_SECONDS))
    return measurements, missed


def figure_timings(repeats, clock=time.perf_counter):
    """Each figure kind's median time (by ``clock``) on four lesions and the pathway diagram of ALS at each size,
    against networkx's own drawing."""
    G = neurograph.load_anatomy()
    results = {
        "radial nerve at the spiral groove": neurograph.simulate(G, "right radial nerve at the spiral groove"),
        "C7 segment": neurograph.simulate(G, "C7"),
        "left internal capsule": neurograph.simulate(G, "left internal capsule"),
        "Brown-Sequard T10": neurograph.simulate(G, neurograph.preset_lesion(G, "brown_sequard", level="T10", side="left")),
    }
    figure_bytes(lesion_figure(G, results["left internal capsule"]), "svg")  # imports and font cache, once
    kinds = {
        f"pathway {size}": (lambda r, s=size: figure_bytes(lesion_figure(G, r, size=s), "svg"))
        for size in ("free", "slide", "a4")
    }
    kinds["body map slide"] = lambda r: figure_bytes(body_map_figure(G, r, size="slide"), "svg")
    kinds["plexus slide"] = lambda r: figure_bytes(plexus_figure(G, r, size="slide"), "svg")
    kinds["sensory map slide"] = lambda r: figure_bytes(sensory_map_figure(G, r, size="slide"), "svg")
    kinds["cross-section slide"] = lambda r: figure_bytes(cross_section_figure(G, r, segment=cut_at(r), size="slide"), "svg")
    kinds["ascending slide"] = lambda r: figure_bytes(ascending_figure(G, r, size="slide"), "svg")
    kinds["dot"] = lambda r: to_dot(G, r)

    def cut_at(result):
        """The lesion's own segment, or C7 for a lesion outside the cord."""
        try:
            return lesion_segment(G, result)
        except InvalidValueError:
            return "C7"

    per_figure = {
        f"{kind}: {name}": median_seconds(lambda f=draw, r=result: f(r), repeats, clock=clock)
        for kind, draw in kinds.items() for name, result in results.items()
        # The ascending pathways need a lesion that alters sensation.
        if kind != "ascending slide" or result.sensation
    }
    # The most crowded pathway diagram (both sides' limbs, the cord lesioned at several segments and the brainstem part).
    als = neurograph.simulate(G, neurograph.preset_lesion(G, "als"))
    per_figure.update({
        f"pathway {size}: ALS": median_seconds(lambda s=size: figure_bytes(lesion_figure(G, als, size=s), "svg"),
                                               repeats, clock=clock)
        for size in ("free", "slide", "a4")
    })
    baseline = statistics.median(
        median_seconds(lambda r=result: networkx_drawing(G, r), 1, clock=clock) for result in results.values()
    )
    slowest = max(per_figure.values())
    measurements = {
        "figure_seconds_median_by_case": {name: round(seconds, 3) for name, seconds in per_figure.items()},
        "figure_seconds_slowest_median": round(slowest, 3),
        "networkx_spring_drawing_seconds_median": round(baseline, 3),
        "ratio_slowest_figure_to_networkx_drawing": round(slowest / baseline, 2),
    }
    return measurements, slowest > FIGURE_SECONDS


if __name__ == "__main__":
    sys.exit(main())
