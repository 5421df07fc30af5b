#!/usr/bin/env python3
"""Benchmark cohorts: patients per second in process and on local Dask clusters of one and two
workers, and the workers' memory as the cohort grows.

**Scaling** (the default part). Each runner runs the same cohort (the priors' lesions, a focused
examination with the cited examiner error, localized by posterior; with ``--variants
catalogue`` every catalogued variant at its prevalence) once to warm up (each process loads the
anatomy and builds what it keeps), then ``--repeats`` times. The clusters of one and two workers
(:func:`neurograph.cohort.local_cluster`, as ``run_cohort(spec, workers=N)`` starts them) are
both started first and their runs alternate, so the two share whatever load the machine has and
their ratio is measured in the same conditions. Reported for each runner: the median wall time
as patients per second; the CPU time per patient, the in-process runner's own and the workers'
summed (``os.times`` in each worker); for Dask, the CPU time the benchmark process spends per
patient (the client and the local scheduler, which share the machine's cores with the workers)
and the workers' utilization (their CPU time over the wall time of their runs: below 1 when they
wait for work, or for a core the machine gives to something else). Ratios from the same run: two
workers over one (the scaling; target 1.7 on a two-core machine, judged on a quiet machine), two
workers over the in-process runner, and the workers' CPU time per patient over the in-process
runner's (the overhead of running on Dask; about 1.0 when the workers do only the patients'
work), and the scaling those CPU times allow on an idle two-core machine (two workers' CPU time
with the client's sharing both cores, against one worker's alone). Also: the wall time projected for 10 million patients on N workers from the measured
rate per worker.

**Memory** (``--memory 300,3000,10000``). On the two-worker cluster, cohorts of growing size are
written to Parquet, as a large run would be. Before each cohort every process's peak resident
memory is reset (Linux ``/proc/self/clear_refs``); after it the peak of each worker and of the
benchmark process (client, scheduler and the Parquet writer) is read (``VmHWM``). A worker holds
one partition at a time and the client at most a window of partitions, and the aggregates are
counters, so the peaks do not grow with the cohort; the target is at most 1 GB a worker for
100,000 patients, and (without variants) the growth of the peak between the two largest
cohorts, per patient, projects it. With
``--variants catalogue`` a worker also keeps up to ``VARIANT_ANATOMIES_KEPT`` variant anatomies
(each reported run says how many it keeps): their memory grows until that bound, then stops, so
the worst case is projected from the peak with the bound reached (``VARIANT_ANATOMY_MB`` each).

    python scripts/bench_cohort.py                 # print the measurements (JSON)
    python scripts/bench_cohort.py --size 300 --repeats 3 --check   # exit 1 when a target is missed
    python scripts/bench_cohort.py --no-scaling --memory 300,3000 --variants catalogue

Needs the Dask extra (pip install 'neurograph[cohort]'); without it only the in-process runner is
measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarking import median_seconds, report  # noqa: E402

from neurograph.cohort import VARIANT_ANATOMIES_KEPT, CohortSpec, kept_anatomies, local_cluster, run_cohort  # noqa: E402

SCALING_TARGET = 1.7
WORKER_MEMORY_TARGET_MB = 1024
MEMORY_TARGET_PATIENTS = 100_000
PROJECTED_PATIENTS = 10_000_000
#: Resident memory of one variant anatomy a worker keeps: the graph (3.4 MB) and the tables its
#: simulations build (about 14 MB), measured on the packaged anatomy with eight sets of variants.
VARIANT_ANATOMY_MB = 18


def rss_mb() -> float:
    """This process's resident memory now (from /proc where there is one, else its peak)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset this process's peak resident memory (Linux: ``5`` to ``/proc/self/clear_refs``)."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """This process's peak resident memory since the last reset (``VmHWM``), else since it started."""
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
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


def scaling(spec: CohortSpec, repeats: int, clients: dict, in_process_rate: float, in_process_cpu: float,
            measurements: dict, missed: list) -> None:
    """The runs on one and two workers, alternating, and their ratios."""
    walls: dict[int, list[float]] = {n: [] for n in clients}
    worker_cpu = dict.fromkeys(clients, 0.0)
    client_cpu = dict.fromkeys(clients, 0.0)
    for _ in range(repeats):
        for workers, client in clients.items():
            cpu_before, own_before = sum(client.run(cpu_seconds).values()), cpu_seconds()
            started = time.perf_counter()
            run_cohort(spec, client=client)
            walls[workers].append(time.perf_counter() - started)
            client_cpu[workers] += cpu_seconds() - own_before
            worker_cpu[workers] += sum(client.run(cpu_seconds).values()) - cpu_before
    rates = {}
    for workers, client in clients.items():
        rates[workers] = spec.size / statistics.median(walls[workers])
        per_patient = worker_cpu[workers] / (repeats * spec.size)
        prefix = f"dask_{workers}_workers"
        measurements[f"{prefix}_patients_per_second"] = round(rates[workers], 2)
        measurements[f"{prefix}_cpu_ms_per_patient"] = round(1000 * per_patient, 1)
        measurements[f"{prefix}_cpu_over_in_process"] = round(per_patient / in_process_cpu, 3)
        measurements[f"{prefix}_client_cpu_ms_per_patient"] = round(1000 * client_cpu[workers] / (repeats * spec.size), 2)
        measurements[f"{prefix}_utilization"] = round(worker_cpu[workers] / (sum(walls[workers]) * workers), 3)
        memory = client.run(rss_mb)
        measurements[f"{prefix}_rss_mb"] = sorted(round(value, 1) for value in memory.values())
        if max(memory.values()) > WORKER_MEMORY_TARGET_MB:
            missed.append(f"worker memory over {WORKER_MEMORY_TARGET_MB} MB with {workers} workers")
    ratio = rates[2] / rates[1]
    measurements["scaling_two_workers_over_one"] = round(ratio, 3)
    # What the CPU times allow on an otherwise idle two-core machine: one worker has a core to
    # itself (the client and scheduler on the other); two share both cores with the client and
    # scheduler. Idle gaps (the last partitions, round trips) are not in it: an upper bound that
    # load does not move as it moves the wall times.
    one, two = (worker_cpu[n] / (repeats * spec.size) for n in (1, 2))
    measurements["scaling_bound_from_cpu"] = round(2 * one / (two + client_cpu[2] / (repeats * spec.size)), 3)
    measurements["scaling_per_repeat"] = [round(one / two, 3) for one, two in zip(walls[1], walls[2])]
    measurements["two_workers_over_in_process"] = round(rates[2] / in_process_rate, 3)
    if ratio < SCALING_TARGET:
        missed.append(f"scaling {ratio:.2f} below {SCALING_TARGET}")
    per_worker = rates[2] / 2
    measurements["projected_hours_for_10_million_patients"] = {
        f"{n} workers": round(PROJECTED_PATIENTS / (per_worker * n) / 3600, 1) for n in (1, 2, 8, 32, 128)
    }


def memory(spec: CohortSpec, sizes: list[int], client, measurements: dict, missed: list) -> None:
    """The peak resident memory of each worker and of this process for cohorts of ``sizes``
    patients written to Parquet, and the peak projected for :data:`MEMORY_TARGET_PATIENTS`."""
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            cohort = CohortSpec(**{**spec.to_dict(), "size": size})
            client.run(reset_peak_rss)
            reset_peak_rss()
            cpu_before, started = sum(client.run(cpu_seconds).values()), time.perf_counter()
            run_cohort(cohort, client=client, output=Path(folder) / f"cohort-{size}.parquet")
            peaks = client.run(peak_rss_mb)
            rows.append({
                "patients": size, "partition_size": cohort.partition_size,
                "worker_peak_rss_mb": sorted(round(value, 1) for value in peaks.values()),
                "variant_anatomies_kept": sorted(client.run(kept_anatomies).values()),
                "client_peak_rss_mb": round(peak_rss_mb(), 1),
                "parquet_mb": round((Path(folder) / f"cohort-{size}.parquet").stat().st_size / 2**20, 2),
                "seconds": round(time.perf_counter() - started, 1),
                "worker_cpu_seconds": round(sum(client.run(cpu_seconds).values()) - cpu_before, 1),
            })
    measurements["memory"] = rows
    worst = [max(row["worker_peak_rss_mb"]) for row in rows]
    if spec.variants != "none":
        # the variant anatomies still to come, up to the bound
        bounded = worst[-1] + VARIANT_ANATOMY_MB * (VARIANT_ANATOMIES_KEPT - min(rows[-1]["variant_anatomies_kept"]))
        measurements["worker_peak_rss_mb_with_every_variant_anatomy_kept"] = round(bounded, 1)
        if bounded > WORKER_MEMORY_TARGET_MB:
            missed.append(f"worker memory with {VARIANT_ANATOMIES_KEPT} variant anatomies over {WORKER_MEMORY_TARGET_MB} MB")
    if len(rows) > 1 and spec.variants == "none":
        # without variants a worker keeps nothing that grows: a growth from one cohort to the
        # next would be per patient, and is projected (with variants, the bound below)
        # between the two largest cohorts: what a worker builds once (the atlas's rows for the
        # sites it meets, the allocator's high-water mark) is in both
        sizes_seen = [row["patients"] for row in rows]
        slope = (worst[-1] - worst[-2]) / (sizes_seen[-1] - sizes_seen[-2])
        measurements["worker_peak_mb_per_1000_patients"] = round(1000 * slope, 2)
        projected = worst[-1] + max(slope, 0.0) * (MEMORY_TARGET_PATIENTS - sizes_seen[-1])
        measurements[f"worker_peak_rss_mb_projected_for_{MEMORY_TARGET_PATIENTS}"] = round(projected, 1)
        if projected > WORKER_MEMORY_TARGET_MB:
            missed.append(f"worker memory projected over {WORKER_MEMORY_TARGET_MB} MB for {MEMORY_TARGET_PATIENTS:,} patients")
    if max(worst) > WORKER_MEMORY_TARGET_MB:
        missed.append(f"worker peak memory over {WORKER_MEMORY_TARGET_MB} MB")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200, help="patients in the scaling cohort (default 200)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--partition-size", type=int, default=None,
                        help="patients a partition (default: a 64th of the scaling cohort, so each of two workers "
                             "has 32 and the last to finish leaves the other idle briefly; the spec's default, 500, "
                             "for the memory part)")
    parser.add_argument("--variants", choices=["none", "catalogue"], default="none")
    parser.add_argument("--memory", default="",
                        help="cohort sizes for the memory part, comma-separated (e.g. 300,3000,10000; default: none)")
    parser.add_argument("--no-scaling", action="store_true", help="skip the scaling part")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    arguments = parser.parse_args()
    spec = CohortSpec(size=arguments.size, seed=1, variants=arguments.variants,
                      partition_size=arguments.partition_size or max(1, arguments.size // 64))
    measurements: dict[str, object] = {
        "patients": spec.size, "partition_size": spec.partition_size, "variants": arguments.variants,
        "repeats": arguments.repeats, "cpu_count": os.cpu_count(),
        "load_average_1min_before": round(os.getloadavg()[0], 2),
    }
    missed: list[str] = []
    scale = not arguments.no_scaling
    if scale:
        run_cohort(spec)  # warm up: the anatomy, the patient model and the variant anatomies are kept
        in_process_rate, in_process_cpu = measure(lambda: run_cohort(spec), arguments.repeats, spec.size, cpu_seconds)
        measurements["in_process_patients_per_second"] = round(in_process_rate, 2)
        measurements["in_process_cpu_ms_per_patient"] = round(1000 * in_process_cpu, 1)
        measurements["in_process_rss_mb"] = round(rss_mb(), 1)
    try:
        from dask.distributed import Client
    except ImportError:
        measurements["dask"] = "not installed: pip install 'neurograph[cohort]'"
        return report(measurements, missed, arguments.check)

    sizes = [int(size) for size in arguments.memory.split(",") if size.strip()]
    clusters = {n: local_cluster(n) for n in ((1, 2) if scale else (2,))}
    clients = {n: Client(cluster) for n, cluster in clusters.items()}
    try:
        if scale:
            for client in clients.values():
                run_cohort(spec, client=client)  # warm up every worker
            scaling(spec, arguments.repeats, clients, in_process_rate, in_process_cpu, measurements, missed)
        if sizes:
            memory_spec = CohortSpec(size=1, seed=1, variants=arguments.variants,
                                     **({"partition_size": arguments.partition_size} if arguments.partition_size else {}))
            memory(memory_spec, sizes, clients[2], measurements, missed)
    finally:
        for n in clusters:
            clients[n].close()
            clusters[n].close()
    measurements["load_average_1min_after"] = round(os.getloadavg()[0], 2)
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
