#!/usr/bin/env python3
"""Benchmark the command line on the hostile anatomies of issue 11, at their full sizes.

Each anatomy is the packaged one grown by :mod:`neurograph.testing.scaled` and saved as GraphML:

- ``muscles on one nerve``: 8,000 extra muscles on the thoracodorsal nerves (4,000 copies of
  latissimus dorsi a side);
- ``isolated nodes``: 200,000 extra nerve nodes joined to nothing (100,000 a side), which the
  reader refuses (more nodes than ``neurograph.io.MAX_NODES``): its time is the refusal's;
- ``isolated nodes at the limit``: as many isolated nodes as ``neurograph.io.MAX_NODES`` lets
  the file hold (an even number, mirrored), which every command reads and answers.

On each, and on the packaged anatomy saved the same way as the baseline of the same run,
``neurograph validate``, ``neurograph lesion C7`` and ``neurograph localize`` (a wrist drop)
run as fresh processes: the median wall time and CPU time (user plus system) over the
repeats, the peak resident memory of the process, and the ratio of both to the baseline's; a
refusal (one ``Error:`` line, exit 1) is reported as such. Target (issue 11): each ends within
10 s of CPU time and 1 GB (CPU time, as the hostile tests bound it: the wall time of a loaded
machine stretches). The tests check the same cases at smaller sizes (tests/test_scale.py); the full sizes
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
from neurograph import io  # noqa: E402
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


#: Each anatomy's GraphML, made from the packaged anatomy when it is measured (so the benchmark
#: holds one at a time).
ANATOMIES = {
    "packaged (baseline)": lambda G: io.graphml_bytes(G),
    "muscles on one nerve": lambda G: io.graphml_bytes(scaled.more_muscles(G, 4001, nerve="R.thoracodorsal")),
    "isolated nodes": lambda G: scaled.isolated_nodes_graphml(G, 100_000),
    "isolated nodes at the limit": lambda G: scaled.isolated_nodes_graphml(G, (io.MAX_NODES - len(G)) // 2),
}


def run(arguments, folder, repeats, environment):
    """Median wall and CPU seconds, the largest peak resident MB of ``repeats`` runs of
    ``neurograph ARGUMENTS``, and the error line of a refusal (None when it answered)."""
    seconds, cpu, peaks, refusal = [], [], [], None
    for _ in range(repeats):
        peak_file = folder / "peak"
        started, before = time.perf_counter(), os.times()
        completed = subprocess.run(
            [sys.executable, "-c", _CHILD, str(peak_file), *arguments], capture_output=True, text=True, env=environment
        )
        after = os.times()
        seconds.append(time.perf_counter() - started)
        cpu.append(after.children_user + after.children_system - before.children_user - before.children_system)
        lines = completed.stderr.strip().splitlines()
        if completed.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "):
            refusal = lines[0]
        elif completed.returncode != 0:
            raise SystemExit(f"neurograph {' '.join(arguments)} failed: {completed.stderr.strip()}")
        peaks.append(int(peak_file.read_text()) / 1024)
    return statistics.median(seconds), statistics.median(cpu), max(peaks), refusal


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
        packaged = neurograph.load_anatomy()
        for name, graphml in ANATOMIES.items():
            path = folder / f"{name.replace(' ', '_')}.graphml"
            text = graphml(packaged)
            path.write_bytes(text)
            row = {"nodes": text.count(b"<node "), "edges": text.count(b"<edge "), "megabytes": round(len(text) / 2**20, 1)}
            del text
            commands = {
                "validate": ["validate", str(path)],
                "lesion": ["lesion", "C7", "--anatomy", str(path)],
                "localize": ["localize", str(exam), "--anatomy", str(path)],
            }
            for command, words in commands.items():
                seconds, cpu, peak, refusal = run(words, folder, arguments.repeats, environment)
                row[f"{command}_seconds"], row[f"{command}_cpu_seconds"] = round(seconds, 2), round(cpu, 2)
                row[f"{command}_peak_mb"] = round(peak, 1)
                if refusal:
                    row[f"{command}_refused"] = refusal
                if name.endswith("(baseline)"):
                    baseline[command] = (cpu, peak)
                else:
                    row[f"{command}_cpu_ratio"] = round(cpu / baseline[command][0], 1)
                    row[f"{command}_memory_ratio"] = round(peak / baseline[command][1], 1)
                    if cpu > TARGET_SECONDS or peak > TARGET_MB:
                        missed.append(f"{name} {command}: {cpu:.1f} s CPU, {peak:.0f} MB")
            path.unlink()
            measurements[name] = row
            print(json.dumps({name: row}), file=sys.stderr, flush=True)  # progress, as each anatomy is done
    measurements["missed"] = missed
    measurements["targets"] = {"cpu_seconds": TARGET_SECONDS, "peak_mb": TARGET_MB}
    return report(measurements, bool(missed), arguments.check)


if __name__ == "__main__":
    sys.exit(main())
