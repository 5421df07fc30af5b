"""Cohorts of virtual patients: specs, reproducible patients at any split, the in-process and
Dask runners, the table and the summary, and the command."""

import csv
import json
import random

import pytest

import neurograph
import neurograph.resolve
from neurograph.cohort import (
    COLUMNS, DASK_HINT, CohortSpec, PatientModel, patient_stream, read_spec, relevant_variants, run_cohort, run_partition,
)
from neurograph.errors import InvalidValueError, NeurographError
from conftest import load_test_anatomy, notebook_client

NO_NOISE = "none"
G_BASE = load_test_anatomy()
SMALL = CohortSpec(
    size=24, seed=11, partition_size=5, variants={"martin_gruber": 0.5, "prefixed_brachial_plexus": 0.3},
    lesions={"right C7 ventral root": 2, "right median nerve at the elbow": 2, "left L5 ventral root": 1,
             "right radial nerve at the spiral groove": 1},
)


@pytest.fixture(scope="module")
def small():
    return run_cohort(SMALL)


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"size": 0}, "size"),
        ({"size": 2.5}, "size"),
        ({"size": 5, "seed": -1}, "seed"),
        ({"size": 5, "protocol": "thorough"}, "protocol"),
        ({"size": 5, "phase": "subacute"}, "phase"),
        ({"size": 5, "lesions": "uniform"}, "lesions"),
        ({"size": 5, "lesions": {"C7": -1}}, "lesions"),
        ({"size": 5, "lesions": {"C7": 0}}, "lesions"),
        ({"size": 5, "severities": {"total": 1}}, "severities"),
        ({"size": 5, "variants": {"martin_gruber": 1.5}}, "variants"),
        ({"size": 5, "noise": {"mrc_grade_error": {"same_grade": 2}}}, "noise"),
        ({"size": 5, "noise": {"tone": 0.1}}, "noise"),
        ({"size": 5, "noise": "loud"}, "noise"),
        ({"size": 5, "max_sites": 3}, "max_sites"),
        ({"size": 5, "partition_size": 0}, "partition_size"),
        ({"size": 5, "colour": "blue"}, "colour"),
        ({"seed": 1}, "size"),
    ],
)
def test_bad_specs_are_refused_with_the_field_named(fields, field):
    with pytest.raises(InvalidValueError, match=f"field '{field}'"):
        CohortSpec.from_dict(fields)


def test_spec_names_resolve_when_the_cohort_runs():
    with pytest.raises(NeurographError, match="no such place"):
        run_cohort(CohortSpec(size=1, lesions={"no such place": 1}))
    with pytest.raises(InvalidValueError, match="variant"):
        run_cohort(CohortSpec(size=1, lesions={"C7": 1}, variants={"no such variant": 0.5}))
    with pytest.raises(InvalidValueError, match="group"):
        run_cohort(CohortSpec(size=1, lesions={"C7": 1},
                              variants={"prefixed_brachial_plexus": 0.7, "postfixed_brachial_plexus": 0.5}))


def test_a_spec_file_is_read(tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text("size: 3\nseed: 4\nprotocol: full\nlesions: {C7: 1}\n")
    assert read_spec(path) == CohortSpec(size=3, seed=4, protocol="full", lesions={"C7": 1})
    path.write_text("size: [1\n")
    with pytest.raises(NeurographError, match="cohort spec"):
        read_spec(path)
    with pytest.raises(NeurographError, match="regular file"):
        read_spec(tmp_path)


def test_rows_have_the_documented_columns_and_one_row_a_patient(small):
    assert [row["patient"] for row in small.rows] == list(range(SMALL.size))
    assert all(list(row) == list(COLUMNS) for row in small.rows)
    table = small.to_table()
    assert list(table.columns) == list(COLUMNS) and len(table) == SMALL.size
    assert small.summary["patients"] == SMALL.size
    assert sum(v["patients"] for v in small.summary["by_site_class"].values()) == SMALL.size
    assert repr(small).startswith("<CohortResult 24 patients")


def test_patient_i_is_the_same_however_the_cohort_is_split(small):
    for size in (1, 7, 24, 500):
        other = run_cohort(CohortSpec(**{**SMALL.to_dict(), "partition_size": size}))
        assert other.rows == small.rows and other.summary == small.summary
    assert run_partition(SMALL, 9, 13) == list(small.rows[9:13])


def test_another_seed_gives_other_patients(small):
    other = run_cohort(CohortSpec(**{**SMALL.to_dict(), "seed": 12}))
    assert [r["site"] for r in other.rows] != [r["site"] for r in small.rows]


def test_drawn_shares_follow_the_spec():
    spec = CohortSpec(size=300, seed=3, lesions={"right radial nerve at the spiral groove": 3, "right C7 ventral root": 1},
                      variants={"martin_gruber": 0.2}, severities="complete", noise=NO_NOISE, protocol="isncsci")
    # The shares are those of the 300 patients' draws, made as the runner makes them (the patient
    # model on each patient's stream); the runner's rows carry those draws, checked on the first
    # patients (examining and localizing all 300 would add nothing to the shares).
    model = PatientModel(G_BASE, spec)
    draws = [model.draw(patient_stream(spec.seed, patient)) for patient in range(spec.size)]
    rows = run_partition(spec, 0, 20)
    assert [(r["site"], r["variants"]) for r in rows] == [(site.name, "|".join(names)) for names, site, _, _ in draws[:20]]
    radial = sum(site.name.startswith("right radial") for _, site, _, _ in draws) / len(draws)
    martin = sum(names == ("martin_gruber",) for names, _, _, _ in draws) / len(draws)
    assert radial == pytest.approx(0.75, abs=0.08)
    assert martin == pytest.approx(0.2, abs=0.07)


def test_martin_gruber_patients_show_ulnar_hand_weakness_after_a_median_lesion():
    # Roy2016: with the anastomosis, a median lesion at the elbow takes the fibres of the
    # ulnar-supplied hand muscles; the focused examination then finds more weak muscles, and the
    # usual anatomy can no longer explain them all by the median nerve.
    base = dict(size=12, seed=5, lesions={"right median nerve at the elbow": 1}, severities="complete", noise=NO_NOISE)
    without = run_cohort(CohortSpec(**base)).rows
    with_mg = run_cohort(CohortSpec(**base, variants={"martin_gruber": 1.0})).rows
    assert all(r["variants"] == "martin_gruber" for r in with_mg)
    assert all(w["abnormal"] > n["abnormal"] for w, n in zip(with_mg, without))
    # without the variant the lesion is among the best-scoring sites (tied with the median nerve
    # in the arm: no muscle examined branches between the two); with it, it is not
    assert all(n["tied"] and n["top3"] for n in without)
    assert not any(w["tied"] or w["correct"] for w in with_mg)


def test_isncsci_protocol_classifies_complete_cord_lesions_as_ais_a():
    # ISNCSCI2019: a complete lesion leaves no motor or sensory function in S4-5: AIS A.
    spec = CohortSpec(size=6, seed=1, lesions={"C6": 1, "T10": 1}, severities="complete", noise=NO_NOISE,
                      protocol="isncsci")
    result = run_cohort(spec)
    assert {row["ais"] for row in result.rows} == {"A"}
    assert sum(entry["patients"] for entry in result.summary["ais_by_level"]) == 6
    assert all(row["examined"] >= 20 for row in result.rows)  # the ten key muscle groups a side


def test_the_priors_give_a_mixed_cohort():
    result = run_cohort(CohortSpec(size=40, seed=2))
    classes = {row["site_class"] for row in result.rows}
    assert "nerve" in classes and "root" in classes and "" not in classes
    assert {row["severity"] for row in result.rows} <= {"complete", "severe_partial", "mild_partial"}


def test_variants_deemed_irrelevant_leave_the_picture_unchanged(packaged_anatomy):
    # The runner builds only the variants that can change a lesion's picture; check that the
    # others really change nothing, on a seeded sample of the atlas's sites.
    from neurograph.resolve import atlas_sites
    from neurograph.variants import apply_variants, catalogue

    G = packaged_anatomy
    sample = random.Random(4).sample(atlas_sites(G), 25)

    def picture(graph, site):
        result = neurograph.simulate(graph, [site])
        return ({f.muscle: (f.mrc_grade, f.tone) for f in result.muscles}, {f.reflex: f.state for f in result.reflexes})

    checked = 0
    for name in catalogue():
        H = apply_variants(G, [name])
        for site in sample:
            if not relevant_variants(G, [name], site):
                assert picture(H, site) == picture(G, site), (name, site.label)
                checked += 1
    assert checked > 200


def test_rows_stream_to_a_csv_file(tmp_path, small):
    target = tmp_path / "rows.csv"
    result = run_cohort(SMALL, output=target)
    assert result.rows == () and result.summary == small.summary and result.output == str(target)
    with open(target, newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [int(r["patient"]) for r in read] == list(range(SMALL.size))
    assert [r["site"] for r in read] == [r["site"] for r in small.rows]
    with pytest.raises(InvalidValueError, match="extension"):
        run_cohort(SMALL, output=tmp_path / "rows.txt")


def test_dask_missing_says_how_to_install_it(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "dask", None)
    with pytest.raises(NeurographError, match=r"pip install 'neurograph\[cohort\]'"):
        run_cohort(CohortSpec(size=1, lesions={"C7": 1}), scheduler="synchronous")
    assert "neurograph[cohort]" in DASK_HINT


def test_dask_synchronous_scheduler_gives_the_same_rows(small):
    pytest.importorskip("dask")
    assert run_cohort(SMALL, scheduler="synchronous").rows == small.rows


def test_a_local_cluster_of_two_processes_gives_the_same_table(small):
    pytest.importorskip("dask.distributed")
    clustered = run_cohort(SMALL, workers=2)
    assert clustered.rows == small.rows and clustered.summary == small.summary


def test_cli_cohort(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"size": 4, "seed": 1, "lesions": {"right radial nerve at the spiral groove": 1},
                                "severities": "complete", "noise": NO_NOISE}))
    rows = tmp_path / "rows.csv"
    result = CliRunner().invoke(main, ["cohort", str(spec), "--output", str(rows)], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith("4 patients: top-1 ")
    assert rows.read_text().startswith(",".join(COLUMNS))
    as_json = CliRunner().invoke(main, ["cohort", str(spec), "--json"], catch_exceptions=False)
    assert json.loads(as_json.output)["patients"] == 4
    spec.write_text(json.dumps({"size": 4, "protocol": "brief"}))
    bad = CliRunner().invoke(main, ["cohort", str(spec)], catch_exceptions=False)
    assert bad.exit_code == 1 and bad.output.startswith("Error: invalid cohort spec field 'protocol'")


def test_the_readme_spec_is_a_valid_spec(tmp_path):
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("## Anatomical variants and cohorts", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "spec.yaml"
    path.write_text(example)
    spec = read_spec(path)
    assert (spec.size, spec.variants, spec.protocol, spec.lesions) == (100000, "catalogue", "focused", "priors")


def test_rows_stream_to_a_parquet_file(tmp_path, small):
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "rows.parquet"
    result = run_cohort(SMALL, output=target)
    table = pq.read_table(target)
    assert table.column_names == list(COLUMNS)
    assert table.num_rows == SMALL.size
    assert pq.ParquetFile(target).num_row_groups == 5  # a row group a partition
    assert table.to_pylist() == list(small.rows)
    assert result.summary == small.summary


def test_parquet_without_pyarrow_says_how_to_install_it(monkeypatch, tmp_path):
    import sys

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(NeurographError, match=r"pyarrow: install .*neurograph\[cohort\]"):
        run_cohort(CohortSpec(size=1, lesions={"C7": 1}), output=tmp_path / "rows.parquet")
    assert not (tmp_path / "rows.parquet").exists()


def test_a_patient_the_examination_cannot_see_is_kept_unlocalized():
    # The neck muscles are driven from both hemispheres (Gray42), so a mild lesion of one neck area
    # leaves a normal examination: the patient is counted, with no best hypothesis.
    spec = CohortSpec(size=3, lesions={"left primary motor cortex, neck area": 1}, severities="complete", noise=NO_NOISE)
    rows = run_cohort(spec).rows
    assert [row["abnormal"] for row in rows] == [0, 0, 0]
    assert {(row["best"], row["rank"], row["correct"]) for row in rows} == {("", 0, False)}


#: Lesions whose motor picture no other single lesion gives at the bedside (Preston2020, Brazis2011):
#: wrist and finger drop with triceps spared (the radial nerve at the spiral groove), foot drop with
#: inversion and plantar flexion spared (the common fibular nerve at the fibular head), clawing with
#: flexor carpi ulnaris weak (the ulnar nerve at the elbow), deltoid alone (the axillary nerve),
#: elbow flexion with biceps and brachialis alone (the musculocutaneous nerve), scapular winging
#: with serratus anterior alone (the long thoracic nerve), the whole root's myotome for C5, L5 and S1.
TEXTBOOK_LESIONS = (
    "right radial nerve at the spiral groove", "left common fibular nerve at the fibular head",
    "right ulnar nerve at the elbow", "left axillary nerve", "left musculocutaneous nerve", "right long thoracic nerve",
    "right C5 root", "left L5 root", "right S1 root",
)


def test_a_focused_examination_with_the_examiners_error_localizes_textbook_lesions():
    # Each lesion has a picture of its own (the references above), so a focused examination
    # recorded with the examiner's error of the cited examination model (ONeill2017, Litvan1996,
    # IsazaJaramillo2014: examination_error.csv) names it: the inference issue's targets for single
    # complete lesions are top-1 at least 0.80 and top-3 at least 0.95.
    spec = CohortSpec(size=54, seed=8, lesions=dict.fromkeys(TEXTBOOK_LESIONS, 1), severities="complete")
    result = run_cohort(spec)
    assert spec.noise == "model"
    assert result.summary["top1"] >= 0.80 and result.summary["top3"] >= 0.95
    for lesion in TEXTBOOK_LESIONS:
        rows = [row for row in result.rows if row["site"] == neurograph.resolve.resolve_site(G_BASE, lesion).name]
        assert rows and sum(row["top3"] for row in rows) / len(rows) >= 0.5, lesion


def test_the_examiners_error_is_drawn_from_the_examination_model():
    # A perfect examiner records every grade as simulated; with the cited model's error
    # (ONeill2017: about one grade in five recorded a grade off) some recorded grades differ, and
    # an examiner who always errs by a grade records none as simulated.
    lesion = {"right radial nerve at the spiral groove": 1}
    perfect = run_partition(CohortSpec(size=1, lesions=lesion, severities="complete", noise="none"), 0, 1)
    assert perfect[0]["correct"]
    always_off = {"mrc_grade_error": {"same_grade": 0.0, "one_grade_off": 1.0, "two_or_more_off": 0.0}}
    from neurograph.cohort import PatientModel, patient_stream

    def recorded(noise):
        spec = CohortSpec(size=1, lesions=lesion, severities="complete", noise=noise)
        model = PatientModel(G_BASE, spec)
        rng = patient_stream(spec.seed, 0)
        _, site, _, phase = model.draw(rng)
        result = neurograph.simulate(G_BASE, [site], phase=phase)
        exam = model.examine(G_BASE, site, result, rng)
        return {m: (e.mrc_grade, result.muscle(m).mrc_grade) for m, e in exam.muscles.items()}

    assert all(seen == true for seen, true in recorded("none").values())
    off = list(recorded(always_off).values())
    # At the ends of the scale the half of a one-grade error that would fall off it stays at the
    # end grade (the model's clipping), so an end grade is recorded as itself or one grade in.
    assert all(abs(seen - true) == 1 for seen, true in off if 0 < true < 5)
    assert all(abs(seen - true) <= 1 for seen, true in off)
    assert any(seen == 4 for seen, true in off if true == 5) and any(seen == 1 for seen, true in off if true == 0)


def test_cli_progress_line_shows_on_request_and_never_with_quiet(tmp_path):
    from click.testing import CliRunner

    from neurograph.cli import main

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"size": 4, "partition_size": 2, "lesions": {"right C7 ventral root": 1}, "noise": "none"}))
    runner = CliRunner()
    # the runner's stderr is no terminal: no progress line unless asked for
    plain = runner.invoke(main, ["cohort", str(spec)], catch_exceptions=False)
    assert plain.exit_code == 0 and plain.stderr == ""
    shown = runner.invoke(main, ["cohort", str(spec), "--progress"], catch_exceptions=False)
    assert shown.exit_code == 0
    assert "2 of 4 patients (50%)" in shown.stderr
    assert shown.stderr.split("\r")[-1].startswith("4 of 4 patients (100%)") and shown.stderr.endswith("\n")
    assert shown.stdout.startswith("4 patients: top-1")
    quiet = runner.invoke(main, ["cohort", str(spec), "--progress", "--quiet"], catch_exceptions=False)
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_start_up_and_the_default_runner_import_no_cluster_machinery():
    # `import neurograph` and the command line's start-up stay light; a cohort run with no client,
    # workers or scheduler is the in-process runner and never imports Dask or the Parquet writer.
    import subprocess
    import sys

    heavy = ("dask", "distributed", "pyarrow", "pandas", "numpy")
    code = (
        "import sys, neurograph, neurograph.cli\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
        "from neurograph.cohort import CohortSpec, run_cohort\n"
        "run_cohort(CohortSpec(size=2, lesions={'right C7 ventral root': 1}, noise='none'))\n"
        f"print(sorted(m for m in {heavy[:3]!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.splitlines()
    assert out == ["[]", "[]"]


def _examined(protocol, lesion):
    from neurograph.cohort import PatientModel, patient_stream

    spec = CohortSpec(size=1, lesions={lesion: 1}, severities="complete", noise=NO_NOISE, protocol=protocol)
    model = PatientModel(G_BASE, spec)
    rng = patient_stream(spec.seed, 0)
    _, site, _, phase = model.draw(rng)
    result = neurograph.simulate(G_BASE, [site], phase=phase, sensation=True)
    return model.examine(G_BASE, site, result, rng)


def _nodes(kind, **attributes):
    return {n for n, d in G_BASE.nodes(data=True) if d["kind"] == kind and all(d.get(k) == v for k, v in attributes.items())}


def test_the_full_protocol_examines_the_whole_bedside_examination():
    # Bell's palsy: the whole hemiface is weak, forehead included, and the corneal reflex's
    # efferent limb is lost on that side (Blumenfeld2021; Ropper2019). The full protocol examines
    # every limb and cranial muscle, every tendon, superficial and brainstem reflex, both plantar
    # responses and light touch and pin prick at every ISNCSCI key point (Kirshblum2011).
    exam = _examined("full", "left facial nerve at the stylomastoid foramen")
    assert set(exam.muscles) == _nodes("muscle") | _nodes("cranial_muscle")
    assert _nodes("cranial_reflex") <= set(exam.reflexes) and set(exam.plantar) == {"L", "R"}
    assert set(exam.sensation) == {n for n in _nodes("skin") if G_BASE.nodes[n].get("isncsci_level")}
    for muscle in ("frontalis", "orbicularis_oculi", "orbicularis_oris"):
        assert exam.muscles[f"L.muscle.{muscle}"].mrc_grade < 5 and exam.muscles[f"R.muscle.{muscle}"].mrc_grade == 5
    assert exam.reflexes["L.reflex.corneal"] in ("0", "1+")
    # The ISNCSCI examination has no cranial item: only the key muscles (Kirshblum2011).
    isncsci = _examined("isncsci", "left facial nerve at the stylomastoid foramen")
    assert not set(isncsci.muscles) & _nodes("cranial_muscle") and not set(isncsci.reflexes) & _nodes("cranial_reflex")


def test_the_full_protocol_finds_a_purely_sensory_lesion_on_the_key_points():
    # The superficial radial nerve supplies the skin of the dorsum of the thumb, the C6 key point
    # (Gray42; Kirshblum2011): a complete lesion leaves every muscle normal and that key point's
    # pin prick lost, which the full protocol tests.
    exam = _examined("full", "right superficial radial nerve")
    assert all(muscle.mrc_grade == 5 for muscle in exam.muscles.values())
    assert exam.sensation["R.key_point.C6"].pin_prick < 2 and exam.sensation["L.key_point.C6"].pin_prick == 2


class _FakeDisplay:
    """IPython's display(view, display_id=True) and its handle's update(view), recorded."""

    def __init__(self):
        self.views = []

    def __call__(self, view, display_id):
        assert display_id is True
        self.views.append(view)
        return self

    def update(self, view):
        self.views.append(view)


def test_the_notebook_progress_bar_updates_one_output_in_place():
    from neurograph.cohort import ProgressBar

    display = _FakeDisplay()
    spec = CohortSpec(size=6, partition_size=2, lesions={"right C7 ventral root": 1}, noise=NO_NOISE)
    run_cohort(spec, progress=ProgressBar(display=display))
    # one output shown, then updated after each of the three partitions
    assert len(display.views) == 4
    last = display.views[-1]
    assert '<progress value="6" max="6"' in last._repr_html_() and repr(last).startswith("6 of 6 patients (100%)")
    assert '<progress value="2" max="6"' in display.views[1]._repr_html_()
    assert "<script" not in last._repr_html_()


def test_progress_true_shows_a_line_outside_a_notebook(capsys):
    from neurograph.cohort import in_notebook

    assert not in_notebook()
    spec = CohortSpec(size=4, partition_size=2, lesions={"right C7 ventral root": 1}, noise=NO_NOISE)
    run_cohort(spec, progress=True)
    err = capsys.readouterr().err
    assert "2 of 4 patients (50%)" in err and err.split("\r")[-1].startswith("4 of 4 patients (100%)") and err.endswith("\n")
    run_cohort(spec, progress=False)
    assert capsys.readouterr().err == ""


def test_progress_true_shows_a_bar_in_a_notebook_kernel(tmp_path):
    # In a real Jupyter kernel the progress is one output, updated in place to the end of the run.
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("nbclient")
    code = (
        "from neurograph.cohort import CohortSpec, in_notebook, run_cohort\n"
        "spec = CohortSpec(size=4, partition_size=2, lesions={'right C7 ventral root': 1}, noise='none')\n"
        "result = run_cohort(spec, progress=True)\n"
        "print(in_notebook(), result.summary['patients'])\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    notebook_client(notebook, tmp_path, timeout=300).execute()
    outputs = notebook.cells[0].outputs
    bars = [output for output in outputs if output.output_type == "display_data"]
    assert len(bars) == 1 and '<progress value="4" max="4"' in bars[0].data["text/html"]
    assert bars[0].data["text/plain"].startswith("4 of 4 patients (100%)")
    assert "".join(output.get("text", "") for output in outputs if output.output_type == "stream") == "True 4\n"


def test_the_local_cluster_is_two_processes_without_the_profiler(small, tmp_path):
    # Processes (a patient's work holds the GIL), one thread each, and no statistical profiler
    # sampling the workers' stacks (LOCAL_WORKER_CONFIG). A cohort sent to its scheduler's
    # address (run_cohort(scheduler=...), the command's --scheduler) gives the in-process rows.
    pytest.importorskip("dask.distributed")
    from click.testing import CliRunner

    from neurograph.cli import main
    import os

    import dask
    from dask.distributed import Client

    from neurograph.cohort import local_cluster

    def worker_state():
        return os.getpid(), dask.config.get("distributed.worker.profile.enabled")

    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"size": 3, "lesions": {"right C7 ventral root": 1}, "noise": "none"}))
    with local_cluster(2) as cluster, Client(cluster) as client:
        states = list(client.run(worker_state).values())
        assert sum(client.nthreads().values()) == 2
        assert run_cohort(SMALL, scheduler=cluster.scheduler_address).rows == small.rows
        by_command = CliRunner().invoke(main, ["cohort", str(spec), "--json", "--scheduler", cluster.scheduler_address],
                                        catch_exceptions=False)
    in_process = CliRunner().invoke(main, ["cohort", str(spec), "--json"], catch_exceptions=False)
    assert by_command.exit_code == 0 and json.loads(by_command.stdout) == json.loads(in_process.stdout)
    assert len({pid for pid, _ in states}) == 2 and os.getpid() not in {pid for pid, _ in states}
    assert [enabled for _, enabled in states] == [False, False]
    with pytest.raises(InvalidValueError, match="workers"):
        local_cluster(0)
