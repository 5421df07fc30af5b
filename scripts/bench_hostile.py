#!/usr/bin/env python3
"""Benchmark the command line on the hostile anatomies of issue 11, at their full sizes.

Each anatomy is the packaged one grown by :mod:`neurograph.testing.scaled` and saved as GraphML:

- ``muscles on one nerve``: 8,000 extra muscles on the thoracodorsal nerves (4,000 copies of
  latissimus dorsi a side);
- ``isolated nodes``: 200,000 extra nerve nodes joined to nothing (100,000 a side).

On each, and on the packaged anatomy saved the same way as the baseline of the same run,
``neurograph validate``, ``neurograph lesion C7`` and ``neurograph localize`` (a wrist drop)
run as fresh processes: the median wall time over the repeats, the peak resident memory of
the process, and the ratio of both to the baseline's. Target (issue 11): each within 10 s and
1 GB. The tests check the same cases at smaller sizes (tests/test_scale.py); the full sizes
take too long for a test run.

    python scripts/bench_hostile.py            # print the measurements
    python scripts/bench_hostile.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarking import report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.testing import scaled  # noqa: E402

TARGET_SECONDS = 10.0
TARGET_MB = 1024.0
EXAMINATION = {"muscles": {"right brachioradialis": 1, "right extensor digitorum": 0, "right triceps": 5}}
# Runs the command line in this process and reports its peak resident memory in kB: the high-water
# mark of its own address space (VmHWM; ru_maxrss would count the parent's size at the fork).
_CHILD = (
    "import resource, sys\n"
    "from neurograph.cli import main\n"
    "try:\n"
    "    main(sys.argv[2:])\n"
    "except SystemExit as stop:\n"
    "    code = stop.code\n"
    "else:\n"
    "    code = 0\n"
    "try:\n"
    "    with open('/proc/self/status') as status:\n"
    "        peak = next(line.split()[1] for line in status if line.startswith('VmHWM:'))\n"
    "except OSError:\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "with open(sys.argv[1], 'w') as out:\n"
    "    out.write(str(peak))\n"
    "sys.exit(code)\n"
)


#: Each anatomy, made from the packaged one when it is measured (so the benchmark holds one at a time).
ANATOMIES = {
    "packaged (baseline)": lambda G: G,
    "muscles on one nerve": lambda G: scaled.more_muscles(G, 4001, nerve="R.thoracodorsal"),
    "isolated nodes": lambda G: scaled.isolated_nodes(G, 100_000),
}


def run(arguments, folder, repeats, environment):
    """Median seconds and the largest peak resident MB of ``repeats`` runs of ``neurograph ARGUMENTS``."""
    seconds, peaks = [], []
    for _ in range(repeats):
        peak_file = folder / "peak"
        started = time.perf_counter()
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, str(peak_file), *arguments], capture_output=True, text=True, env=environment
        )
        seconds.append(time.perf_counter() - started)
        if completed.returncode != 0:
            raise SystemExit(f"neurograph {' '.join(arguments)} failed: {completed.stderr.strip()}")
        peaks.append(int(peak_file.read_text()) / 1024)
    return statistics.median(seconds), max(peaks)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args(argv)
    measurements, missed = {}, []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        exam = folder / "exam.json"
        exam.write_text(json.dumps(EXAMINATION))
        # Modules compiled once into a scratch folder, as an installed package runs.
        environment = {**os.environ, "PYTHONPYCACHEPREFIX": str(folder / "bytecode")}
        environment.pop("PYTHONDONTWRITEBYTECODE", None)
        run(["localize", str(exam)], folder, 1, environment)  # compiles the modules the commands import
        baseline = {}
        for name, grow in ANATOMIES.items():
            G = grow(neurograph.load_anatomy())
            path = folder / f"{name.split()[0]}.graphml"
            neurograph.write_graphml(G, path)
            row = {"nodes": len(G), "edges": G.number_of_edges(), "megabytes": round(path.stat().st_size / 2**20, 1)}
            del G
            commands = {
                "validate": ["validate", str(path)],
                "lesion": ["lesion", "C7", "--anatomy", str(path)],
                "localize": ["localize", str(exam), "--anatomy", str(path)],
            }
            for command, words in commands.items():
                seconds, peak = run(words, folder, arguments.repeats, environment)
                row[f"{command}_seconds"], row[f"{command}_peak_mb"] = round(seconds, 2), round(peak, 1)
                if name.endswith("(baseline)"):
                    baseline[command] = (seconds, peak)
                else:
                    row[f"{command}_time_ratio"] = round(seconds / baseline[command][0], 1)
                    row[f"{command}_memory_ratio"] = round(peak / baseline[command][1], 1)
                    if seconds > TARGET_SECONDS or peak > TARGET_MB:
                        missed.append(f"{name} {command}: {seconds:.1f} s, {peak:.0f} MB")
            measurements[name] = row
            print(json.dumps({name: row}), file=sys.stderr, flush=True)  # progress, as each anatomy is done
    measurements["missed"] = missed
    measurements["targets"] = {"seconds": TARGET_SECONDS, "peak_mb": TARGET_MB}
    return report(measurements, bool(missed), arguments.check)


if __name__ == "__main__":
    sys.exit(main())
