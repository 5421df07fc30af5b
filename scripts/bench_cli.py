#!/usr/bin/env python3
"""Benchmark the command line's start-up: ``neurograph --help`` must answer in <= 0.3 s.

Median of repeated runs, each a fresh process, with the time of a bare ``python -c pass`` in
the same run as the baseline (the interpreter's own start-up, which no package can save). It
also times a cold ``neurograph lesion C7`` (read the packaged anatomy, validate it, build its
route tables and name index, simulate, print), and the ratio of its time to ``--help``'s.

Both are timed as an installed package runs, with compiled bytecode (kept in a scratch folder
through ``PYTHONPYCACHEPREFIX``, so nothing is written into the repository), and again with
``PYTHONDONTWRITEBYTECODE=1`` as some development setups run: then every module of the package
is compiled from source on every start, which grows with the package's source, not its work.

    python scripts/bench_cli.py            # print the measurements
    python scripts/bench_cli.py --check    # exit 1 when the target is missed
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

from benchmarking import median_seconds, report

TARGET_SECONDS = 0.3


def start_up_seconds(command, repeats, environment=None):
    return median_seconds(lambda: subprocess.run(command, check=True, capture_output=True, env=environment), repeats)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when the target is missed")
    parser.add_argument("--repeats", type=int, default=15)
    arguments = parser.parse_args(argv)
    neurograph = [sys.executable, "-m", "neurograph"]
    with tempfile.TemporaryDirectory() as cache:
        compiled = {**os.environ, "PYTHONPYCACHEPREFIX": cache}
        compiled.pop("PYTHONDONTWRITEBYTECODE", None)
        from_source = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        subprocess.run([*neurograph, "lesion", "C7"], check=True, capture_output=True, env=compiled)  # compiles once
        baseline = start_up_seconds([sys.executable, "-c", "pass"], arguments.repeats, compiled)
        help_seconds = start_up_seconds([*neurograph, "--help"], arguments.repeats, compiled)
        lesion_repeats = max(3, arguments.repeats // 3)
        lesion_seconds = start_up_seconds([*neurograph, "lesion", "C7"], lesion_repeats, compiled)
        help_from_source = start_up_seconds([*neurograph, "--help"], arguments.repeats, from_source)
        lesion_from_source = start_up_seconds([*neurograph, "lesion", "C7"], lesion_repeats, from_source)
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, neurograph.cli; print(sorted(m for m in ('networkx', 'matplotlib', 'pydot', 'hypothesis', 'numpy') if m in sys.modules))"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    measurements = {
        "help_seconds_median": round(help_seconds, 3),
        "python_startup_seconds_median": round(baseline, 3),
        "ratio_to_bare_python": round(help_seconds / baseline, 2),
        "lesion_C7_seconds_median": round(lesion_seconds, 3),
        "lesion_to_help_ratio": round(lesion_seconds / help_seconds, 1),
        "help_seconds_median_compiling_sources": round(help_from_source, 3),
        "lesion_C7_seconds_median_compiling_sources": round(lesion_from_source, 3),
        "heavy_modules_imported_at_startup": heavy,
        "target_seconds": TARGET_SECONDS,
    }
    return report(measurements, help_seconds > TARGET_SECONDS, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
