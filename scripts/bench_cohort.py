#!/usr/bin/env python3
"""Benchmark cohorts: patients per second in process and on local Dask clusters of one and two workers.

Each runner runs the same cohort (the priors' lesions, a focused examination with the cited
examiner error, localized by posterior; with ``--variants catalogue`` every catalogued variant
at its prevalence) once to warm up (each process loads the anatomy and builds what it keeps),
then ``--repeats`` times. Reported for each runner: the median wall time as patients per
second, and the CPU time per patient (the in-process runner's own; the workers' summed, from
``os.times`` in each worker), so that an overhead of the distributed runner shows even when the
machine is loaded and wall times are not. The ratios are measured in the same run: two workers
against one (the scaling; the target 1.7 on a two-core machine, to be judged on a quiet
machine) and two workers against the in-process runner, and the workers' CPU time per patient
against the in-process runner's (the overhead; about 1.0 when the workers do the same work).
Also reported: the resident memory of the benchmark process and of each worker after the runs
(the target: at most 1 GB a worker; rows stream and aggregates are counters, so it does not
grow with the cohort), and the wall time projected for 10 million patients on N workers from
the measured rate per worker.

    python scripts/bench_cohort.py                 # print the measurements (JSON)
    python scripts/bench_cohort.py --size 400 --repeats 3 --check   # exit 1 when a target is missed

Needs the Dask extra (pip install 'neurograph[dask]'); without it only the in-process runner is
measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarking import median_seconds, report  # noqa: E402

from neurograph.cohort import CohortSpec, run_cohort  # noqa: E402

SCALING_TARGET = 1.7
WORKER_MEMORY_TARGET_MB = 1024
PROJECTED_PATIENTS = 10_000_000


def rss_mb() -> float:
    """This process's resident memory now (from /proc where there is one, else its peak)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """This process's CPU time so far (user and system, every thread)."""
    times = os.times()
    return times.user + times.system


def measure(run, repeats: int, size: int, cpu) -> tuple[float, float]:
    """Patients per second (median wall time of ``repeats`` runs) and CPU seconds per patient
    (``cpu()`` before and after the runs) of ``run``."""
    before = cpu()
    seconds = median_seconds(run, repeats)
    return size / seconds, (cpu() - before) / (repeats * size)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200, help="patients in the cohort (default 200)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--partition-size", type=int, default=None,
                        help="patients a partition (default: a sixteenth of the cohort, so each of two workers has eight)")
    parser.add_argument("--variants", choices=["none", "catalogue"], default="none")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    arguments = parser.parse_args()
    spec = CohortSpec(size=arguments.size, seed=1, variants=arguments.variants,
                      partition_size=arguments.partition_size or max(1, arguments.size // 16))
    measurements: dict[str, object] = {
        "patients": spec.size, "partition_size": spec.partition_size, "variants": arguments.variants,
        "repeats": arguments.repeats, "load_average_1min_before": round(os.getloadavg()[0], 2),
    }

    run_cohort(spec)  # warm up: the anatomy, the patient model and the variant anatomies are kept
    in_process_rate, in_process_cpu = measure(lambda: run_cohort(spec), arguments.repeats, spec.size, cpu_seconds)
    measurements["in_process_patients_per_second"] = round(in_process_rate, 2)
    measurements["in_process_cpu_ms_per_patient"] = round(1000 * in_process_cpu, 1)
    measurements["in_process_rss_mb"] = round(rss_mb(), 1)
    missed = []
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        measurements["dask"] = "not installed: pip install 'neurograph[dask]'"
        return report(measurements, missed, arguments.check)

    rates = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            run_cohort(spec, client=client)  # warm up every worker

            def workers_cpu() -> float:
                return sum(client.run(cpu_seconds).values())

            rates[workers], cpu = measure(lambda: run_cohort(spec, client=client), arguments.repeats, spec.size, workers_cpu)
            memory = client.run(rss_mb)
            measurements[f"dask_{workers}_workers_patients_per_second"] = round(rates[workers], 2)
            measurements[f"dask_{workers}_workers_cpu_ms_per_patient"] = round(1000 * cpu, 1)
            measurements[f"dask_{workers}_workers_cpu_over_in_process"] = round(cpu / in_process_cpu, 3)
            measurements[f"dask_{workers}_workers_rss_mb"] = sorted(round(value, 1) for value in memory.values())
            if max(memory.values()) > WORKER_MEMORY_TARGET_MB:
                missed.append(f"worker memory over {WORKER_MEMORY_TARGET_MB} MB with {workers} workers")
    scaling = rates[2] / rates[1]
    measurements["scaling_two_workers_over_one"] = round(scaling, 3)
    measurements["two_workers_over_in_process"] = round(rates[2] / in_process_rate, 3)
    if scaling < SCALING_TARGET:
        missed.append(f"scaling {scaling:.2f} below {SCALING_TARGET}")
    per_worker = rates[2] / 2
    measurements["projected_hours_for_10_million_patients"] = {
        f"{n} workers": round(PROJECTED_PATIENTS / (per_worker * n) / 3600, 1) for n in (1, 2, 8, 32, 128)
    }
    measurements["cpu_count"] = os.cpu_count()
    measurements["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
