"""Run the command line in a child process with its time and memory bounded.

A hostile input must end in one ``Error: ...`` line, exit 1 (bad input) or 2 (bad usage),
within :data:`TIME_LIMIT` seconds and :data:`MEMORY_LIMIT` bytes. :func:`run_cli` runs
``python -m neurograph`` on this checkout's code (``PYTHONPATH`` points at it) with its address
space capped by ``resource.setrlimit``, kills it at the time limit, and reports its exit code,
output, wall time and peak resident memory; :func:`assert_one_error` checks the whole contract
in one call::

    completed = run_cli("localize", str(bomb))
    assert_one_error(completed, 1, "findings")
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Completed", "run_cli", "assert_one_error", "TIME_LIMIT", "MEMORY_LIMIT"]

REPO = Path(__file__).resolve().parent.parent

#: Wall-clock seconds a command may take before it is killed.
TIME_LIMIT = 10.0
#: Address space a command may map (bytes); going beyond it fails allocations instead of swapping.
MEMORY_LIMIT = 1 << 30


@dataclass(frozen=True)
class Completed:
    """What a bounded run of the command line did.

    Attributes
    ----------
    returncode : int or None
        The exit code; None when the process was killed at the time limit.
    stdout, stderr : str
    elapsed : float
        Wall-clock seconds.
    peak_rss : int
        The child's peak resident memory in bytes.
    """

    returncode: int | None
    stdout: str
    stderr: str
    elapsed: float
    peak_rss: int

    @property
    def timed_out(self):
        return self.returncode is None


def _limit_memory(limit):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


def run_cli(*arguments, timeout=TIME_LIMIT, memory=MEMORY_LIMIT, cwd=None, stdin=None):
    """Run ``python -m neurograph ARGUMENTS`` with bounded time and address space.

    Parameters
    ----------
    *arguments : str
    timeout : float
        Seconds before the process is killed (it is then reported with ``returncode=None``).
    memory : int
        The address-space limit in bytes.
    cwd : path, optional
    stdin : bytes, optional

    Returns
    -------
    Completed
    """
    environment = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    # Output goes to files, not pipes: a child that floods its output cannot block on a full pipe
    # while this process waits for it to exit.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as feed:
        feed.write(stdin or b"")
        feed.seek(0)
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "neurograph", *map(str, arguments)], stdin=feed, stdout=out, stderr=err,
            cwd=cwd, env=environment, preexec_fn=_limit_memory(memory),
        )
        returncode, usage = None, None
        while time.monotonic() - start < timeout:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                returncode = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.02)
        else:
            process.kill()
            _, _, usage = os.wait4(process.pid, 0)
        process.returncode = returncode if returncode is not None else -9  # reaped here, not by Popen
        elapsed = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Completed(
            returncode=returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            elapsed=elapsed,
            peak_rss=usage.ru_maxrss * 1024,  # Linux reports kilobytes
        )


def assert_one_error(completed, exit_code, *fragments):
    """Assert the command ended within its bounds in exactly one ``Error:`` line on stderr.

    Parameters
    ----------
    completed : Completed
    exit_code : int
        1 for bad input, 2 for bad usage.
    *fragments : str
        Text the error line must contain (for instance the file's path).
    """
    assert not completed.timed_out, f"killed after {TIME_LIMIT} s; stderr: {completed.stderr[-500:]!r}"
    lines = completed.stderr.splitlines()
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("Error: "), completed.stderr[-2000:]
    assert completed.returncode == exit_code, (completed.returncode, completed.stderr)
    assert completed.peak_rss < MEMORY_LIMIT
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
