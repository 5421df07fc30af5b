#!/usr/bin/env python3
"""Benchmark ISNCSCI classification, a cohort CSV, and the exam of a simulated lesion.

Targets (medians): classifying one exam <= 0.3 ms (over the 128 reference exams); reading,
classifying and writing a CSV of 10,000 exams <= 5 s; the exam of a simulated lesion <= 1 ms
(over complete cord lesions C5-S1). Baselines in the same run: reading each exam from its
record (``Exam.from_dict``), a plain ``csv`` pass over the cohort file, and the simulation that
the exam is taken from.

    python scripts/bench_isncsci.py            # print the measurements
    python scripts/bench_isncsci.py --check    # exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarking import median_seconds, report  # noqa: E402

import neurograph  # noqa: E402
from neurograph.isncsci import FIELDS, Exam, classifications_csv, classify, exam_from_result, read_exams  # noqa: E402

TARGETS = {"classify_ms": 0.3, "cohort_csv_seconds": 5.0, "exam_from_lesion_ms": 1.0}
CASES = ROOT / "tests" / "data" / "isncsci" / "2019.json"
LESIONS = ("C5", "C6", "C7", "C8", "T1", "T6", "L2", "L3", "L4", "L5", "S1")


def cohort(records, size, seed=1):
    """``size`` exam rows: the reference exams, each copied with a few scores changed at random."""
    rng = random.Random(seed)
    scores = {name: ("0", "1", "2", "NT") if name.endswith(("Touch", "Prick")) else ("0", "3", "5", "NT")
              for name in FIELDS[:-4]}
    rows = []
    for number in range(size):
        row = {"id": f"p{number}", **rng.choice(records).to_dict()}
        for name in rng.sample(sorted(scores), 3):
            row[name] = rng.choice(scores[name])
        rows.append(row)
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cohort", type=int, default=10_000, help="exams in the cohort CSV")
    arguments = parser.parse_args(argv)

    records = json.loads(CASES.read_text(encoding="utf-8"))
    exams = [Exam.from_dict(record) for record in records]
    per_exam = [median_seconds(lambda e=exam: classify(e), arguments.repeats * 4) for exam in exams]
    reading = [median_seconds(lambda r=record: Exam.from_dict(r), arguments.repeats * 4) for record in records]

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cohort.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=["id", *FIELDS], restval="")
            writer.writeheader()
            writer.writerows(cohort(exams, arguments.cohort))
        def classify_cohort():
            return classifications_csv([classify(exam) for exam in read_exams(path)])

        cohort_seconds = median_seconds(classify_cohort, max(1, arguments.repeats // 2))
        # CPU time too: on a shared machine the wall time also counts the time spent waiting for a core
        started = time.process_time()
        classify_cohort()
        cohort_cpu = time.process_time() - started
        plain_csv = median_seconds(lambda: sum(1 for _ in csv.DictReader(path.open(encoding="utf-8"))),
                                   max(1, arguments.repeats // 2))

    G = neurograph.load_anatomy()
    results = {segment: neurograph.simulate(G, segment) for segment in LESIONS}
    from_lesion = [median_seconds(lambda r=result: exam_from_result(r), arguments.repeats * 4)
                   for result in results.values()]
    simulating = [median_seconds(lambda s=segment: neurograph.simulate(G, s), arguments.repeats) for segment in LESIONS]

    classify_ms = statistics.median(per_exam) * 1e3
    lesion_ms = statistics.median(from_lesion) * 1e3
    measurements = {
        "classify_ms_median": round(classify_ms, 4),
        "classify_ms_max": round(max(per_exam) * 1e3, 4),
        "exam_from_record_ms_median": round(statistics.median(reading) * 1e3, 4),
        "ratio_classify_to_reading": round(statistics.median(per_exam) / statistics.median(reading), 2),
        "cohort_exams": arguments.cohort,
        "cohort_csv_seconds": round(cohort_seconds, 3),
        "cohort_csv_cpu_seconds": round(cohort_cpu, 3),
        "plain_csv_read_seconds": round(plain_csv, 3),
        "ratio_cohort_to_plain_csv": round(cohort_seconds / plain_csv, 1),
        "exam_from_lesion_ms_median": round(lesion_ms, 4),
        "simulate_ms_median": round(statistics.median(simulating) * 1e3, 3),
        "ratio_exam_to_simulation": round(statistics.median(from_lesion) / statistics.median(simulating), 3),
        "targets": TARGETS,
    }
    missed = (classify_ms > TARGETS["classify_ms"] or cohort_seconds > TARGETS["cohort_csv_seconds"]
              or lesion_ms > TARGETS["exam_from_lesion_ms"])
    return report(measurements, missed, arguments.check)


if __name__ == "__main__":
    sys.exit(main())
