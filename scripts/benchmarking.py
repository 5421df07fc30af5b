"""What the benchmark scripts share: median timing and the report with its target check."""

from __future__ import annotations

import json
import statistics
import sys
import time


def median_seconds(function, repeats, clock=time.perf_counter):
    """The median time of ``repeats`` calls of ``function``: wall time, or ``clock``'s (``time.process_time`` for CPU time)."""
    timings = []
    for _ in range(repeats):
        started = clock()
        function()
        timings.append(clock() - started)
    return statistics.median(timings)


def report(measurements, missed, check):
    """Print the measurements as JSON; the exit status is 1 only when checking and a target was missed."""
    print(json.dumps(measurements, indent=2))
    if missed:
        print("target missed", file=sys.stderr)
    return 1 if (missed and check) else 0
