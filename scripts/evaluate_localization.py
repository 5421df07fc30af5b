#!/usr/bin/env python3
"""Evaluate localization as inference on simulated patients.

A cohort is drawn from the priors (``neurograph.inference.draw_patients``: single and double
lesions, complete and partial, acute and chronic), each patient simulated and examined as a
clinician would (the muscles, reflexes and ISNCSCI key points, light touch and pin prick, of the
affected body regions and their neighbours, plus a few muscles at random), every recorded item
noised by the examination's likelihood model; each examination is then localized with
``neurograph.localize``.

A hypothesis counts as right when it names the true sites or sites that cannot be told from
them by any motor examination: sites whose complete lesions predict the same for every muscle
and reflex in the patient's phase (a ventral root and the whole root, for instance). Its
confidence is the posterior of every listed hypothesis so equivalent to it.

Reported: top-1 and top-3 accuracy, overall, for single complete lesions (the targets: top-1
>= 0.80, top-3 >= 0.95) and by site class of the true lesion; calibration of the top
hypothesis's confidence (expected calibration error over ten bins, target <= 0.05, and the
Brier score), with a reliability diagram; the median time per case.

    python scripts/evaluate_localization.py --patients 2000 --seed 15
    python scripts/evaluate_localization.py --patients 200 --check        # exit 1 when a target is missed
    python scripts/evaluate_localization.py --figure docs/inference_reliability.svg --table docs/inference_evaluation.md
    python scripts/evaluate_localization.py --pictures docs/inference_pictures.md   # the twelve classic pictures
    python scripts/evaluate_localization.py --part 1/2 --records part1.jsonl   # two runs side by side, then
    python scripts/evaluate_localization.py --merge part1.jsonl part2.jsonl --table ... --figure ...

``--pictures`` writes the first answers to the twelve classic pictures of
``tests/test_inference.py`` (each with the clinician's site and its reference) by posterior and by
score (explained minus contradicted minus unexplained, the ranking the issue compared with a
peer engine), and where the clinician's site ranks under each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import neurograph  # noqa: E402
from neurograph.atlas import site_atlas  # noqa: E402
from neurograph.inference import draw_patients, site_class  # noqa: E402
from neurograph.localization import localize  # noqa: E402

TARGETS = {"top1_single_complete": 0.80, "top3_single_complete": 0.95, "ece": 0.05}
BINS = 10


def signatures(G, phase):
    """Per atlas row, a number shared by the sites that predict the same for every muscle and reflex."""
    atlas = site_atlas(G)
    predicted = atlas.singles(list(atlas.table.muscle_order), [arc.node for arc in atlas.table.reflex_order], phase)
    names = ("grade", "strength", "lmn", "umn", "spastic", "atrophy", "fasciculations", "reflex", "reflex_arc")
    rows = np.concatenate([np.round(predicted[name].astype(float), 9) for name in names], axis=1)
    _, number = np.unique(rows, axis=0, return_inverse=True)
    return number.reshape(-1)


def evaluate(G, patients, top=50, max_sites=2, deadline=None, keep=None):
    """One record per patient: whether the best (and the first three) are right, the best's
    confidence, the true lesion's kind, and the time localization took. Patients are taken in
    order until the ``deadline`` (a ``time.monotonic()`` value), if one is given; ``keep``, if
    given, is called with each record as it is made."""
    atlas = site_atlas(G)
    signature = {phase: signatures(G, phase) for phase in ("acute", "chronic")}

    def key(sites, phase):
        return frozenset(int(signature[phase][atlas.row_of[site.nodes]]) for site in sites)

    records = []
    for number, patient in enumerate(patients, start=1):
        if deadline is not None and time.monotonic() > deadline:
            break
        if number % 100 == 0:
            print(f"{number} of {len(patients)} patients localized", file=sys.stderr, flush=True)
        start = time.perf_counter()
        result = localize(G, patient.findings, max_sites=max_sites, top=top, tests=0, ranking="posterior")
        elapsed = time.perf_counter() - start
        truth = key(patient.sites, patient.phase)
        keys = [key(h.sites, patient.phase) for h in result.hypotheses]
        # The top three distinct answers (hypotheses that cannot be told apart count once).
        distinct = list(dict.fromkeys(keys))
        confidence = sum(h.posterior for h, k in zip(result.hypotheses, keys) if k == keys[0])
        kind = "pair" if len(patient.sites) == 2 else site_class(G, atlas.sites[patient.rows[0]])
        records.append(dict(
            top1=keys[0] == truth, top3=truth in distinct[:3], confidence=min(confidence, 1.0), kind=kind,
            single_complete=len(patient.sites) == 1 and patient.severities[0] == "complete",
            severity=patient.severities[0] if len(patient.sites) == 1 else "pair", phase=patient.phase, seconds=elapsed,
        ))
        if keep is not None:
            keep(records[-1])
    return records


def calibration(records):
    """Expected calibration error over ten equal-width bins, the Brier score, and the bins."""
    confidence = np.array([record["confidence"] for record in records])
    right = np.array([record["top1"] for record in records], dtype=float)
    edges = np.linspace(0, 1, BINS + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1]), 0, BINS - 1)
    bins, ece = [], 0.0
    for number in range(BINS):
        mine = which == number
        if mine.any():
            ece += mine.mean() * abs(confidence[mine].mean() - right[mine].mean())
            bins.append((edges[number], edges[number + 1], int(mine.sum()), float(confidence[mine].mean()), float(right[mine].mean())))
    return float(ece), float(((confidence - right) ** 2).mean()), bins


def summary(records):
    def rate(chosen, name):
        return sum(record[name] for record in chosen) / len(chosen) if chosen else float("nan")

    single_complete = [record for record in records if record["single_complete"]]
    ece, brier, bins = calibration(records)
    rows = [("all patients", len(records), rate(records, "top1"), rate(records, "top3"))]
    rows.append(("single complete lesions", len(single_complete), rate(single_complete, "top1"), rate(single_complete, "top3")))
    for group, name in (("severity", "severity: {}"), ("phase", "phase: {}"), ("kind", "{}")):
        for value in sorted({record[group] for record in records}):
            chosen = [record for record in records if record[group] == value]
            rows.append((name.format(value), len(chosen), rate(chosen, "top1"), rate(chosen, "top3")))
    measured = {
        "top1_single_complete": rate(single_complete, "top1"), "top3_single_complete": rate(single_complete, "top3"),
        "ece": ece, "brier": brier, "median_ms": 1000 * statistics.median(record["seconds"] for record in records),
    }
    return rows, measured, bins


def markdown(rows, measured, bins, patients, seed, drawn=None):
    cohort = f"{patients} simulated patients" if drawn in (None, patients) else f"the first {patients} of {drawn} simulated patients (the time limit stopped the rest)"
    lines = [
        f"Localization of {cohort} (seed {seed}; `scripts/evaluate_localization.py`).",
        "",
        "| patients | n | top-1 | top-3 |", "| --- | ---: | ---: | ---: |",
        *(f"| {name} | {n} | {top1:.3f} | {top3:.3f} |" for name, n, top1, top3 in rows),
        "",
        f"Calibration of the best hypothesis's posterior: expected calibration error {measured['ece']:.3f} "
        f"(ten bins), Brier score {measured['brier']:.3f}; median time per case {measured['median_ms']:.0f} ms.",
        "",
        "| confidence | n | mean confidence | share right |", "| --- | ---: | ---: | ---: |",
        *(f"| {low:.1f}-{high:.1f} | {n} | {mean:.3f} | {right:.3f} |" for low, high, n, mean, right in bins),
    ]
    return "\n".join(lines) + "\n"


def reliability_figure(bins, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from neurograph.drawing import save_figure

    figure, axes = plt.subplots(figsize=(4.5, 4.5))
    axes.plot([0, 1], [0, 1], color="0.6", linestyle="--", linewidth=1, label="perfect calibration")
    axes.plot([b[3] for b in bins], [b[4] for b in bins], marker="o", color="tab:blue", label="localization")
    for low, high, n, mean, right in bins:
        axes.annotate(str(n), (mean, right), textcoords="offset points", xytext=(4, -10), fontsize=7, color="0.3")
    axes.set_xlabel("posterior of the best hypothesis")
    axes.set_ylabel("share of patients it was right")
    axes.set_xlim(0, 1)
    axes.set_ylim(0, 1)
    axes.legend(loc="upper left", fontsize=8)
    axes.set_title("Reliability of the posterior", fontsize=10)
    save_figure(figure, path)
    plt.close(figure)


def pictures_table(G):
    """The twelve classic pictures: the first answer and the clinician's rank by posterior and by score."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_inference import PICTURES

    from neurograph.findings import findings_from_dict

    lines = [
        "The twelve classic pictures of `tests/test_inference.py` (`scripts/evaluate_localization.py --pictures`): "
        "the first answer by posterior (the default) and by score (explained minus contradicted minus unexplained, "
        "ties broken by grade closeness, lesion size and proximity), and the rank of the clinician's site under each.",
        "",
        "| picture | clinician's site (reference) | first by posterior (p) | rank | first by score | rank |",
        "| --- | --- | --- | ---: | --- | ---: |",
    ]
    first_counts = {"posterior": 0, "score": 0}
    for name, (record, answer, reference) in sorted(PICTURES.items()):
        findings = findings_from_dict(G, record)
        cells = []
        for ranking in ("posterior", "score"):
            labels = [h.label for h in localize(G, findings, top=50, tests=0, ranking=ranking).hypotheses]
            rank = labels.index(answer) + 1 if answer in labels else None
            first_counts[ranking] += rank == 1
            cells.append((labels[0], rank))
        best = localize(G, findings, top=1, tests=0).best
        lines.append(
            f"| {name} | {answer} ({reference}) | {cells[0][0]} ({best.posterior:.2f}) | {cells[0][1] or '>50'} "
            f"| {cells[1][0]} | {cells[1][1] or '>50'} |"
        )
    lines += ["", f"Clinician's site first: {first_counts['posterior']} of {len(PICTURES)} by posterior, "
              f"{first_counts['score']} of {len(PICTURES)} by score."]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--pair-share", type=float, default=0.1)
    parser.add_argument("--acute-share", type=float, default=0.5)
    parser.add_argument("--table", type=Path, help="write the results as a Markdown table here")
    parser.add_argument("--figure", type=Path, help="write the reliability diagram here (.svg, .png, .pdf)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--time-limit", type=float, help="stop localizing after this many seconds and report the patients done")
    parser.add_argument("--part", help="K/N: localize every N-th patient of the cohort from the K-th (one of N runs side by side)")
    parser.add_argument("--records", type=Path, help="append each patient's record here (JSON lines) as it is made")
    parser.add_argument("--merge", type=Path, nargs="+", help="report on the records of these files (of --records) instead of localizing")
    parser.add_argument("--pictures", type=Path, help="write the twelve classic pictures' first answers here (Markdown) and stop")
    args = parser.parse_args(argv)
    G = neurograph.load_anatomy()
    if args.pictures:
        text = pictures_table(G)
        print(text)
        args.pictures.write_text(text, encoding="utf-8")
        return 0
    start = time.perf_counter()
    if args.merge:
        records = [json.loads(line) for path in args.merge for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    else:
        patients = draw_patients(G, args.patients, seed=args.seed, pair_share=args.pair_share, acute_share=args.acute_share)
        if args.part:
            number, parts = (int(value) for value in args.part.split("/"))
            patients = patients[number - 1::parts]
        deadline = time.monotonic() + args.time_limit if args.time_limit else None
        with open(args.records, "a", encoding="utf-8") if args.records else contextlib.nullcontext() as kept:
            records = evaluate(G, patients, deadline=deadline, keep=(lambda record: print(json.dumps(record), file=kept, flush=True)) if kept else None)
    drawn = time.perf_counter() - start
    rows, measured, bins = summary(records)
    text = markdown(rows, measured, bins, len(records), args.seed, drawn=args.patients)
    print(text)
    print(f"cohort drawn and localized (or read) in {drawn:.1f} s")
    if args.table:
        args.table.write_text(text, encoding="utf-8")
    if args.figure:
        reliability_figure(bins, args.figure)
    missed = [
        f"{name} {measured[name]:.3f} (target {'<=' if name == 'ece' else '>='} {target})"
        for name, target in TARGETS.items()
        if (measured[name] > target if name == "ece" else not measured[name] >= target)
    ]
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
