"""Hostile files in and out: each case ends in one ``Error:`` line, bounded, with nothing replaced.

Findings files (an alias bomb, a device, a FIFO, deep nesting, mixed keys, a 5,000-digit
integer, a 300 MB file) and outputs (a missing folder, a FIFO, a device, an existing file's
permissions, DOT text into a .png, a dpi past the pixel budget) are run twice: in a child
process bounded to 10 s and 1 GB (tests/bounded.py), and in-process with click's CliRunner to
pin the exact message. Special files are made in the test's own folder (a FIFO; a character
device where the system lets the test create one), never taken from /dev.
"""

import errno
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bounded import assert_one_error, run_cli
from neurograph.cli import main
from neurograph.errors import InvalidValueError, OutputFileError
from neurograph.findings import MAX_FINDINGS_BYTES, read_findings
from neurograph.writing import TEMPORARY_SUFFIX, write_file

# Linux device numbers of /dev/zero (1, 5) and /dev/full (1, 7): a copy made in tmp_path reads
# and writes like the real device, which stays untouched.
ZERO, FULL = (1, 5), (1, 7)


def _device(folder, name, numbers):
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(*numbers))
    except OSError as error:
        if error.errno in (errno.EPERM, errno.EACCES):
            pytest.skip("creating a character device needs privileges this system does not give")
        raise
    return path


def _fifo(folder, name):
    path = folder / name
    os.mkfifo(path)
    return path


def _state(folder):
    """What is in a folder: each name with its kind, device numbers, size, mode and content stamp."""
    entries = {}
    for path in sorted(folder.iterdir()):
        status = os.lstat(path)
        entries[path.name] = (stat.S_IFMT(status.st_mode), status.st_rdev, status.st_size, status.st_mode, status.st_mtime_ns)
    return entries


# An alias bomb of 9 levels: 9**9 (387 million) strings from 342 bytes.
ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n" for previous, name in zip("abcdefgh", "bcdefghi")
)


def _findings_case(name):
    """Make the hostile findings file ``name`` in a folder: return (path, exit code, message)."""

    def make(folder):
        if name == "alias bomb":
            path = folder / "bomb.yaml"
            path.write_text(ALIAS_BOMB)
            return path, "findings use a YAML alias (*a), which is not allowed"
        if name == "device":
            return _device(folder, "zero.json", ZERO), "cannot read findings: it is a character device, not a regular file"
        if name == "FIFO":
            return _fifo(folder, "exam.json"), "cannot read findings: it is a FIFO (named pipe), not a regular file"
        if name == "deep JSON":
            path = folder / "deep.json"
            path.write_text("[" * 100_000 + "]" * 100_000)
            return path, "findings are nested more than 8 levels deep"
        if name == "deep YAML":
            path = folder / "deep.yaml"
            path.write_text("".join("  " * level + f"level{level}:\n" for level in range(300)))
            return path, "findings are nested more than 8 levels deep"
        if name == "mixed keys":
            path = folder / "mixed.yaml"
            path.write_text("muscles:\n  1: 3\n  right triceps: 4\n")
            return path, "findings key 1 under muscles is not text (every name must be a string)"
        if name == "long integer JSON":
            path = folder / "long.json"
            path.write_text(json.dumps({"muscles": {"right triceps": 0}}).replace("0", "9" * 5000))
            return path, "findings hold an integer of 5000 digits, more than 20"
        if name == "long integer YAML":
            path = folder / "long.yaml"
            path.write_text("muscles:\n  right triceps: " + "9" * 5000 + "\n")
            return path, "findings hold an integer of 5000 digits, more than 20 (line 2)"
        if name == "300 MB":
            path = folder / "huge.json"
            with open(path, "wb") as handle:
                handle.truncate(300 * 1024 * 1024)  # sparse: takes no disk space
            return path, f"cannot read findings: the file is 314572800 bytes, larger than the {MAX_FINDINGS_BYTES} byte limit"
        raise AssertionError(name)

    return make


FINDINGS_CASES = [
    "alias bomb", "device", "FIFO", "deep JSON", "deep YAML", "mixed keys", "long integer JSON", "long integer YAML",
    "300 MB",
]


@pytest.mark.parametrize("case", FINDINGS_CASES)
def test_a_hostile_findings_file_ends_in_one_error_line_within_bounds(case, tmp_path):
    path, message = _findings_case(case)(tmp_path)
    before = _state(tmp_path)
    completed = run_cli("localize", path)
    assert_one_error(completed, 1)
    assert completed.stderr == f"Error: {path}: {message}\n"
    assert completed.stdout == ""
    assert _state(tmp_path) == before  # the FIFO and the device are still what they were


@pytest.mark.parametrize("case", FINDINGS_CASES)
def test_a_hostile_findings_file_is_refused_by_the_library_with_the_same_message(case, tmp_path, packaged_anatomy):
    path, message = _findings_case(case)(tmp_path)
    with pytest.raises(Exception) as raised:
        read_findings(packaged_anatomy, path)
    assert str(raised.value) == f"{path}: {message}"


def test_a_directory_of_findings_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["localize", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Invalid value for 'FINDINGS_FILE': File '{tmp_path}' is a directory. (see 'main localize --help')\n"
    )


def test_a_findings_file_at_the_depth_limit_is_read(tmp_path, packaged_anatomy):
    """Nesting is counted in containers: a record needs three (record, muscles, one muscle's exam)."""
    exam = tmp_path / "exam.yaml"
    exam.write_text("muscles:\n  right triceps:\n    mrc_grade: 3\n")
    assert read_findings(packaged_anatomy, exam).muscles["R.muscle.triceps_brachii"].mrc_grade == 3


def test_an_anchor_without_an_alias_is_plain_yaml(tmp_path, packaged_anatomy):
    exam = tmp_path / "exam.yaml"
    exam.write_text("muscles: &examined\n  right triceps: 3\n")
    assert read_findings(packaged_anatomy, exam).muscles["R.muscle.triceps_brachii"].mrc_grade == 3


# Outputs. Each case: a function of the folder giving (arguments, exit code, message).


def _output_case(name):
    def make(folder):
        if name == "missing folder, DOT":
            target = folder / "missing" / "c7.dot"
            return ["render", "C7", "--dot", "--output", target], 1, f"cannot write {target}: the folder {target.parent} does not exist"
        if name == "missing folder, figure":
            target = folder / "missing" / "c7.svg"
            return ["lesion", "C7", "--output", target], 1, f"cannot write {target}: the folder {target.parent} does not exist"
        if name == "FIFO":
            target = _fifo(folder, "c7.svg")
            return ["render", "C7", "--output", target], 1, f"cannot write {target}: it is a FIFO (named pipe); only a regular file is ever replaced"
        if name == "device":
            target = _device(folder, "full.dot", FULL)
            return ["render", "C7", "--dot", "--output", target], 1, f"cannot write {target}: it is a character device; only a regular file is ever replaced"
        if name == "link to a device":
            device = _device(folder, "full", FULL)
            link = folder / "c7.png"
            link.symlink_to(device)
            return ["render", "C7", "--output", link], 1, f"cannot write {link}: it is a character device; only a regular file is ever replaced"
        if name == "DOT into .png":
            target = folder / "x.png"
            return ["render", "C7", "--dot", "--output", target], 1, "invalid output file extension '.png': expected .dot or .gv for DOT"
        if name == "dpi 2400":
            target = folder / "c7.png"
            # A slide has a fixed size (16:9, 13.3 x 7.5 in), so the message does not follow the layout.
            return ["render", "C7", "--size", "slide", "--output", target, "--dpi", "2400"], 1, (
                "invalid dpi 2400: expected at most 632 for this 13.3 x 7.5 inch figure "
                "(the budget is 40,000,000 pixels, 32,768 along a side)"
            )
        if name == "dpi out of range":
            target = folder / "c7.png"
            return ["render", "C7", "--output", target, "--dpi", "5000"], 2, (
                "Invalid value for '--dpi': 5000 is not in the range 10<=x<=2400. (see '{prog} render --help')"
            )
        raise AssertionError(name)

    return make


OUTPUT_CASES = [
    "missing folder, DOT", "missing folder, figure", "FIFO", "device", "link to a device", "DOT into .png", "dpi 2400",
    "dpi out of range",
]


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_a_hostile_output_ends_in_one_error_line_within_bounds(case, tmp_path):
    arguments, exit_code, message = _output_case(case)(tmp_path)
    before = _state(tmp_path)
    completed = run_cli(*arguments)
    assert_one_error(completed, exit_code)
    assert completed.stderr == "Error: " + message.format(prog="python -m neurograph") + "\n"
    assert _state(tmp_path) == before  # nothing replaced, nothing created, no temporary file left


@pytest.mark.parametrize("case", OUTPUT_CASES)
def test_a_hostile_output_gives_its_exact_message(case, tmp_path):
    arguments, exit_code, message = _output_case(case)(tmp_path)
    before = _state(tmp_path)
    result = CliRunner().invoke(main, [str(argument) for argument in arguments])
    assert (result.exit_code, result.stderr) == (exit_code, "Error: " + message.format(prog="main") + "\n")
    assert _state(tmp_path) == before


def test_an_existing_files_permissions_are_kept(tmp_path):
    target = tmp_path / "c7.dot"
    target.write_text("digraph old {}")
    target.chmod(0o600)
    completed = run_cli("render", "C7", "--dot", "--output", target)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text().startswith("digraph lesion {")
    assert [path.name for path in tmp_path.iterdir()] == ["c7.dot"]


def test_a_new_file_gets_the_umask_like_any_other(tmp_path):
    previous = os.umask(0o027)
    try:
        write_file(tmp_path / "new.dot", b"digraph g {}", "dot")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.dot").stat().st_mode) == 0o640


def test_a_link_to_a_regular_file_is_followed_and_kept(tmp_path):
    real = tmp_path / "real.dot"
    real.write_text("digraph old {}")
    link = tmp_path / "link.dot"
    link.symlink_to(real)
    write_file(link, b"digraph new {}", "dot")
    assert link.is_symlink() and real.read_bytes() == b"digraph new {}"


@pytest.mark.parametrize(
    "path_name, payload, file_format, message",
    [
        ("x.png", b"digraph g {}", "dot", "invalid output file extension '.png': expected .dot or .gv for DOT"),
        ("x", b"digraph g {}", "dot", "invalid output file extension 'x': expected .dot or .gv for DOT"),
        ("x.png", b"digraph g {}", "png", "invalid content for {folder}/x.png 'bytes': expected PNG bytes"),
        ("x.svg", "<svg/>", "svg", "invalid content for {folder}/x.svg 'str': expected SVG bytes"),
        ("x.jpg", b"", "jpeg", "invalid file format 'jpeg': expected one of svg, png, pdf, dot, graphml, html, csv, parquet"),
    ],
)
def test_the_extension_and_the_bytes_must_match_the_format(tmp_path, path_name, payload, file_format, message):
    with pytest.raises(InvalidValueError) as raised:
        write_file(tmp_path / path_name, payload, file_format)
    assert str(raised.value) == message.format(folder=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_directory_and_a_socket_are_not_replaced(tmp_path):
    import socket

    (tmp_path / "out.dot").mkdir()
    with pytest.raises(OutputFileError, match="it is a directory; only a regular file is ever replaced"):
        write_file(tmp_path / "out.dot", b"digraph g {}", "dot")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tmp_path / "s.dot"))
        with pytest.raises(OutputFileError, match="it is a socket; only a regular file is ever replaced"):
            write_file(tmp_path / "s.dot", b"digraph g {}", "dot")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.dot", "s.dot"]


def test_a_file_inside_a_file_is_refused(tmp_path):
    (tmp_path / "plain").write_text("")
    with pytest.raises(OutputFileError) as raised:
        write_file(tmp_path / "plain" / "x.dot", b"digraph g {}", "dot")
    assert str(raised.value) == f"cannot write {tmp_path}/plain/x.dot: {tmp_path}/plain is not a folder"


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_the_temporary_file_goes_on_every_handled_failure(tmp_path, monkeypatch, failing):
    target = tmp_path / "c7.dot"
    target.write_text("digraph old {}")

    def full(*arguments):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, failing, full)
    with pytest.raises(OutputFileError) as raised:
        write_file(target, b"digraph new {}", "dot")
    monkeypatch.undo()
    assert str(raised.value) == f"cannot write {target}: no space left on device"
    assert target.read_text() == "digraph old {}"
    assert [path.name for path in tmp_path.iterdir()] == ["c7.dot"]


def test_an_interrupt_removes_the_temporary_file_too(tmp_path, monkeypatch):
    def interrupted(*arguments):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_file(tmp_path / "c7.dot", b"digraph g {}", "dot")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


KILLED_WHILE_WRITING = """
import os, signal, sys
from neurograph.writing import write_file
os.fsync = lambda descriptor: os.kill(os.getpid(), signal.SIGKILL)
write_file(sys.argv[1], b"digraph g {}", "dot")
"""


def test_after_a_hard_kill_the_temporary_file_is_findable_by_its_suffix(tmp_path):
    target = tmp_path / "c7.dot"
    target.write_text("digraph old {}")
    completed = subprocess.run(
        [sys.executable, "-c", KILLED_WHILE_WRITING, str(target)],
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent)), timeout=60,
    )
    assert completed.returncode == -signal.SIGKILL
    assert target.read_text() == "digraph old {}"
    (left,) = tmp_path.glob(f"*{TEMPORARY_SUFFIX}")
    assert left.name.startswith(".c7.dot.") and left.read_bytes() == b"digraph g {}"


def test_a_long_thin_figure_is_held_to_the_pixels_along_a_side():
    from matplotlib.figure import Figure

    from neurograph.drawing.export import MAX_SIDE_PIXELS, check_pixel_budget, figure_bytes

    figure = Figure(figsize=(0.5, 100))  # 40,000 pixels tall at 400 dpi, though only 8 million in all
    check_pixel_budget(figure, MAX_SIDE_PIXELS // 100)
    with pytest.raises(InvalidValueError) as raised:
        figure_bytes(figure, "png", dpi=400)
    assert str(raised.value) == (
        "invalid dpi 400: expected at most 327 for this 0.5 x 100 inch figure "
        "(the budget is 40,000,000 pixels, 32,768 along a side)"
    )


@pytest.mark.parametrize(
    "text, problem",
    [
        ("muscles: " + "{a: " * 9 + "1" + "}" * 9 + "\n", "findings are nested more than 8 levels deep"),
        ("muscles: {right triceps: 3}\n---\nmuscles: {right triceps: 4}\n", "findings hold more than one YAML document"),
        ("muscles: !!python/object:os.system {}\n", "findings are not valid YAML (could not determine a constructor"),
    ],
)
def test_yaml_beyond_what_a_findings_record_needs_is_refused(tmp_path, packaged_anatomy, text, problem):
    exam = tmp_path / "exam.yaml"
    exam.write_text(text)
    with pytest.raises(Exception) as raised:
        read_findings(packaged_anatomy, exam)
    assert str(raised.value).startswith(f"{exam}: {problem}")


def test_a_fifo_put_in_place_while_writing_is_not_replaced(tmp_path, monkeypatch):
    target = tmp_path / "c7.dot"
    real_fsync = os.fsync

    def swap_in_a_fifo(descriptor):
        real_fsync(descriptor)
        os.mkfifo(target)

    monkeypatch.setattr(os, "fsync", swap_in_a_fifo)
    with pytest.raises(OutputFileError, match="it is a FIFO"):
        write_file(target, b"digraph g {}", "dot")
    monkeypatch.undo()
    assert stat.S_ISFIFO(os.lstat(target).st_mode)
    assert [path.name for path in tmp_path.iterdir()] == ["c7.dot"]
