"""The command line: exact messages and exit codes (CliRunner), and the installed script."""

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from neurograph.cli import main


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*arguments):
        return runner.invoke(main, list(arguments), catch_exceptions=False)

    return invoke


def test_stats_counts_the_segments(run):
    result = run("stats")
    assert result.exit_code == 0
    assert "  anterior_horn   62" in result.output
    assert "  ventral_root    62" in result.output


def test_stats_json(run):
    payload = json.loads(run("stats", "--json").output)
    assert payload["node_kinds"]["anterior_horn"] == 62
    assert payload["muscles_per_side"]["L"] == payload["muscles_per_side"]["R"] >= 80


def test_validate_the_packaged_anatomy(run):
    result = run("validate")
    assert result.exit_code == 0
    assert result.output == "valid: no violations\n"


def test_validate_a_broken_file_lists_violations_and_exits_1(run, tmp_path, anatomy):
    from neurograph.io import write_graphml

    anatomy.nodes["L.muscle.deltoid"]["reference"] = "Nobody2024"
    path = tmp_path / "broken.graphml"
    write_graphml(anatomy, path)
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert "uncited: node 'L.muscle.deltoid' cites unknown reference(s) Nobody2024" in result.output


def test_a_file_that_is_not_xml_exits_1_with_an_error_line(run, tmp_path):
    path = tmp_path / "notes.graphml"
    path.write_text("hello")
    result = CliRunner().invoke(main, ["stats", "--anatomy", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: not well-formed XML")
    assert "Traceback" not in result.output


def test_lesion_prints_a_summary(run):
    result = run("lesion", "right radial nerve at the spiral groove")
    assert result.exit_code == 0
    assert result.output.startswith("Lesion: radial nerve at the spiral groove (right) (chronic)\n")
    assert "LMN    brachioradialis (right): MRC 0, flaccid, atrophy" in result.output


def test_lesion_json_with_severity_and_phase(run):
    payload = json.loads(run("lesion", "left C7 root@0.5", "--phase", "acute", "--json").output)
    assert payload["phase"] == "acute"
    assert payload["sites"][0]["severity"] == 0.5
    assert payload["sites"][0]["label"] == "C7 root (dorsal and ventral), left"


def test_lesion_preset(run):
    result = run("lesion", "--preset", "brown_sequard", "--level", "T10", "--side", "left")
    assert result.exit_code == 0
    assert result.output.startswith("Lesion: T10 cord segment, left (chronic)")


def test_unknown_structure_exits_2_with_closest_matches():
    result = CliRunner().invoke(main, ["lesion", "left interna capsule"])
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: unknown structure 'left interna capsule'; closest matches: internal capsule")


def test_missing_side_exits_2():
    result = CliRunner().invoke(main, ["lesion", "radial nerve at the spiral groove"])
    assert result.exit_code == 2
    assert result.stderr == "Error: 'radial nerve at the spiral groove' needs a side: say left, right or bilateral\n"


def test_bad_severity_exits_1():
    result = CliRunner().invoke(main, ["lesion", "C7@2"])
    assert result.exit_code == 1
    assert result.stderr == "Error: invalid severity 2.0: expected a number with 0 < severity <= 1\n"


def test_lesion_without_sites_is_a_usage_error():
    result = CliRunner().invoke(main, ["lesion"])
    assert result.exit_code == 2
    assert "give at least one SITE or a --preset" in result.stderr


def test_pathway_innervation_supplied_by_find_presets(run):
    assert "L.m1.arm" not in run("pathway", "left arm area", "right triceps").output
    assert "radial nerve in the axilla (right)" in run("pathway", "left arm area", "right triceps").output
    assert "nerves: axillary nerve (left)" in run("innervation", "left deltoid").output
    assert "LMN  brachioradialis (right)" in run("supplied-by", "right radial nerve at the spiral groove").output
    assert "peroneal nerve  (common fibular nerve at the fibular head)" in run("find", "peroneal").output
    assert run("presets").output.startswith("transection: complete cord transection [level=T10]")


def test_every_command_has_help_with_an_example(run):
    for command in main.commands:
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output


SCRIPT = Path(sys.executable).parent / "neurograph"


@pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is installed by pip install .")
def test_the_installed_console_script_runs():
    completed = subprocess.run([str(SCRIPT), "--version"], capture_output=True, text=True, check=True)
    assert completed.stdout.startswith("neurograph, version ")
    completed = subprocess.run([str(SCRIPT), "lesion", "nowhere"], capture_output=True, text=True)
    assert completed.returncode == 2
    assert completed.stderr.startswith("Error: unknown structure 'nowhere'")
    assert "Traceback" not in completed.stderr


def test_python_dash_m_runs_the_command_line():
    completed = subprocess.run([sys.executable, "-m", "neurograph", "stats"], capture_output=True, text=True)
    assert completed.returncode == 0
    assert "anterior_horn   62" in completed.stdout


def test_lesion_writes_its_diagram(run, tmp_path):
    target = tmp_path / "c7.svg"
    result = run("lesion", "C7", "--output", str(target))
    assert result.exit_code == 0
    assert result.output.endswith(f"Diagram written to {target}\n")
    assert target.read_bytes().startswith(b"<?xml")


def test_render_body_map_png_and_dot(run, tmp_path):
    png = tmp_path / "bs.png"
    assert run("render", "--preset", "brown_sequard", "--side", "left", "--body-map", "--output", str(png), "--dpi", "40").exit_code == 0
    assert png.read_bytes().startswith(b"\x89PNG")
    dot = tmp_path / "c7.dot"
    assert run("render", "C7", "--dot", "--output", str(dot)).output == f"Wrote {dot}\n"
    assert dot.read_text().startswith("digraph lesion {")


def test_bad_output_extension_exits_1_and_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["lesion", "C7", "--output", str(tmp_path / "c7.jpg")])
    assert result.exit_code == 1
    assert result.stderr == "Error: invalid output file extension '.jpg': expected .svg, .png or .pdf\n"
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_exits_1(tmp_path):
    result = CliRunner().invoke(main, ["lesion", "C7", "--output", str(tmp_path / "missing" / "c7.svg")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot write {tmp_path / 'missing' / 'c7.svg'}: the folder {tmp_path / 'missing'} does not exist\n"


def test_commands_are_named_as_the_python_functions_and_the_old_names_still_work(run):
    listed = run("--help").output
    assert "  pathway " in listed and "  supplied-by " in listed
    assert "  path " not in listed and "  supplies " not in listed
    arguments = ("left arm area", "right triceps", "--json")
    assert json.loads(run("path", *arguments).output) == json.loads(run("pathway", *arguments).output)
    site = ("right radial nerve at the spiral groove", "--json")
    assert json.loads(run("supplies", *site).output) == json.loads(run("supplied-by", *site).output)
    assert "Usage: main pathway " in run("path", "--help").output


def test_a_usage_error_is_one_line_naming_the_help(tmp_path):
    result = CliRunner().invoke(main, ["lesion", "C7", "--bogus"])
    assert (result.exit_code, result.stderr) == (2, "Error: No such option '--bogus'. (see 'main lesion --help')\n")
    result = CliRunner().invoke(main, ["nowhere"])
    assert (result.exit_code, result.stderr) == (2, "Error: No such command 'nowhere'. (see 'main --help')\n")


def test_an_unexpected_failure_is_one_line_too(monkeypatch):
    import neurograph.stats

    def broken(G):
        raise KeyError("cortex")

    monkeypatch.setattr(neurograph.stats, "anatomy_stats", broken)
    result = CliRunner().invoke(main, ["stats"])
    assert (result.exit_code, result.stderr) == (
        1, "Error: internal error (KeyError: 'cortex'); please report it with the command\n"
    )


def test_validate_takes_the_file_either_way(run, tmp_path):
    from neurograph.io import anatomy_path

    assert run("validate", "--anatomy", str(anatomy_path())).output == "valid: no violations\n"
    result = CliRunner().invoke(main, ["validate", str(anatomy_path()), "--anatomy", str(anatomy_path())])
    assert result.exit_code == 2 and "not both" in result.stderr


def test_presets_on_an_anatomy_that_lacks_a_structure(run, tmp_path, anatomy):
    from neurograph.io import write_graphml

    for side in ("L", "R"):
        anatomy.nodes[f"{side}.radial.spiral_groove"]["label"] = f"radial nerve mid-arm ({'left' if side == 'L' else 'right'})"
        anatomy.nodes[f"{side}.radial.spiral_groove"]["aliases"] = "radial nerve mid-arm"
    path = tmp_path / "renamed.graphml"
    write_graphml(anatomy, path)
    output = run("presets", "--anatomy", str(path)).output
    assert "radial_spiral_groove: radial nerve at the spiral groove [side=right] (not available: unknown structure" in output
    assert "brown_sequard: Brown-Sequard syndrome (hemisection) [level=T10, side=left]\n" in output


def test_start_up_imports_nothing_heavy():
    code = "import sys, neurograph, neurograph.cli; print(sorted(m for m in ('networkx', 'matplotlib', 'pydot', 'hypothesis', 'numpy') if m in sys.modules))"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "[]"


def test_localize_a_findings_file(run, tmp_path):
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {
        "right brachioradialis": 1, "right extensor digitorum": 0, "right extensor carpi ulnaris": 0,
        "right triceps": 5, "right deltoid": 5, "right FDI": 5}}))
    result = run("localize", str(exam), "--top", "2", "--ranking", "score")
    assert result.exit_code == 0
    # Three abnormal muscles, all explained, nothing contradicted: score 3.
    assert result.output.startswith(" 1. radial nerve at the spiral groove (right)  (score 3)\n")
    payload = json.loads(run("localize", str(exam), "--json", "--max-sites", "1").output)
    assert payload["ranking"] == "posterior"
    assert payload["hypotheses"][0]["label"] == "radial nerve at the spiral groove (right)"
    assert 0 < payload["hypotheses"][0]["posterior"] <= 1 and len(payload["next_tests"]) == 3
    assert math.isclose(sum(h["posterior"] for h in payload["hypotheses"]) + payload["remainder"], 1, abs_tol=1e-6)
    assert json.loads(run("localize", str(exam), "--json", "--ranking", "score").output)["next_tests"] == []


def test_localize_prints_posteriors_and_the_next_tests(run, tmp_path):
    """Wrist drop (radial nerve at the spiral groove, Preston2020): the default ranking is the
    posterior's, each hypothesis with its probability and likeliest severities, then the rest's
    probability and the next tests, each with what its outcomes would point to."""
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {
        "right brachioradialis": 1, "right extensor digitorum": 0, "right extensor carpi ulnaris": 0,
        "right triceps": 5, "right deltoid": 5, "right FDI": 5}}))
    lines = run("localize", str(exam), "--top", "2", "--tests", "2").output.splitlines()
    first = re.fullmatch(r" 1\. radial nerve at the spiral groove \(right\)  \(p = (0\.\d+), ([a-z ]+); score 3\)", lines[0])
    assert first and first.group(2) in ("complete", "severe partial", "mild partial")
    assert lines[1].startswith(f"    A lesion of radial nerve at the spiral groove (right) (p = {first.group(1)}, {first.group(2)}) explains 3 finding(s)")
    rest = lines.index(next(line for line in lines if line.startswith("Every other hypothesis weighed: p = ")))
    assert lines[rest + 1] == "Next tests, most informative first:"
    assert len(lines) == rest + 4
    assert all(re.match(r" - examine .+ \(\d\.\d\d bits expected\): .+ \(p [\d.e-]+\) points to ", line) for line in lines[rest + 2:])
    assert "Next tests" not in run("localize", str(exam), "--ranking", "score").output
    assert "Next tests" not in run("localize", str(exam), "--tests", "0").output


def test_localize_refuses_an_unknown_ranking(tmp_path):
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {"right triceps": 4}}))
    result = CliRunner().invoke(main, ["localize", str(exam), "--ranking", "likelihood"])
    assert result.exit_code == 2
    assert "Invalid value for '--ranking': 'likelihood' is not one of 'posterior', 'score'." in result.stderr


def test_localize_a_bad_findings_file_exits_with_the_entry_named(tmp_path):
    exam = tmp_path / "exam.json"
    exam.write_text(json.dumps({"muscles": {"right triceps": 7}}))
    result = CliRunner().invoke(main, ["localize", str(exam)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: invalid finding muscle 'right triceps' 7: expected an MRC grade")


def test_the_readme_findings_example_localizes_to_the_spiral_groove(run, tmp_path):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    example = readme.split("## From findings to a lesion site", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    exam = tmp_path / "exam.yaml"
    exam.write_text(example)
    assert run("localize", str(exam), "--top", "2").output.startswith(" 1. radial nerve at the spiral groove (right)  (p = ")
    result = run("localize", str(exam), "--top", "2", "--ranking", "score")
    assert result.output.splitlines()[0] == " 1. radial nerve at the spiral groove (right)  (score 5)"
    # The lower lateral cutaneous nerve of the arm and the posterior cutaneous nerve of the forearm
    # leave the radial nerve in the spiral groove (Gray42): sensation above the elbow tells the two apart.
    tie, separating = result.output.splitlines()[-1].split("; to separate them, ")
    assert tie == (
        "2 hypotheses tie for the best score (radial nerve at the spiral groove (right); radial nerve above the "
        "elbow (right))"
    )
    assert separating.startswith("test pin prick at ")
    assert "altered if radial nerve at the spiral groove (right)" in separating or "absent if radial nerve at the spiral groove (right)" in separating
    assert "normal if radial nerve above the elbow (right)" in separating
