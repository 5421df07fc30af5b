#!/usr/bin/env python3
"""Benchmark the command line's start-up: ``neurograph --help`` must answer in <= 0.3 s.

Median of repeated runs, each a fresh process, with the time of a bare ``python -c pass`` in
the same run as the baseline (the interpreter's own start-up, which no package can save).

    python scripts/bench_cli.py            # print the measurements
    python scripts/bench_cli.py --check    # exit 1 when the target is missed
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from benchmarking import median_seconds, report

TARGET_SECONDS = 0.3


def start_up_seconds(command, repeats):
    return median_seconds(lambda: subprocess.run(command, check=True, capture_output=True), repeats)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--repeats", type=int, default=15)
    arguments = parser.parse_args(argv)
    baseline = start_up_seconds([sys.executable, "-c", "pass"], arguments.repeats)
    help_seconds = start_up_seconds([sys.executable, "-m", "neurograph", "--help"], arguments.repeats)
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, neurograph.cli; print(sorted(m for m in ('networkx', 'matplotlib', 'pydot', 'hypothesis', 'numpy') if m in sys.modules))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    measurements = {
        "help_seconds_median": round(help_seconds, 3),
        "python_startup_seconds_median": round(baseline, 3),
        "ratio_to_bare_python": round(help_seconds / baseline, 2),
        "heavy_modules_imported_at_startup": heavy,
        "target_seconds": TARGET_SECONDS,
    }
    return report(measurements, help_seconds > TARGET_SECONDS, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
