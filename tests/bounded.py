"""Run the command line in a child process with its time and memory bounded.

A hostile input must end in one ``Error: ...`` line, exit 1 (bad input) or 2 (bad usage),
within :data:`TIME_LIMIT` seconds and :data:`MEMORY_LIMIT` bytes. :func:`run_cli` runs
``python -m neurograph`` on this checkout's code (``PYTHONPATH`` points at it) with its CPU
time and address space capped by ``resource.setrlimit`` in the child: the bounds measure the
command's own work, not how busy the machine is (a shared machine under load can stretch the
wall time of a 2 s command past 10 s). Only a command that waits without working (a read from a
FIFO) is not stopped by them: :data:`HANG_LIMIT` seconds of wall time guard against that. It
reports the exit code, output, wall and CPU time and peak resident memory;
:func:`assert_one_error` checks the whole contract in one call::

    completed = run_cli("localize", str(bomb))
    assert_one_error(completed, 1, "findings")
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Completed", "run_cli", "assert_one_error", "TIME_LIMIT", "HANG_LIMIT", "MEMORY_LIMIT"]

REPO = Path(__file__).resolve().parent.parent

#: CPU seconds (user plus system) a command may take: beyond them the kernel stops it (SIGXCPU).
TIME_LIMIT = 10
#: Wall-clock seconds after which a command is taken to hang and killed: a guard against waiting
#: forever, generous enough that no load on the machine reaches it.
HANG_LIMIT = 120.0
#: Address space a command may map (bytes); going beyond it fails allocations instead of swapping.
MEMORY_LIMIT = 1 << 30


@dataclass(frozen=True)
class Completed:
    """What a bounded run of the command line did.

    Attributes
    ----------
    returncode : int or None
        The exit code (minus the signal's number when a signal ended it: ``-signal.SIGXCPU`` at
        the CPU limit); None when the process was killed as hanging.
    stdout, stderr : str
    elapsed : float
        Wall-clock seconds.
    cpu_seconds : float
        The child's user plus system CPU time.
    peak_rss : int
        The child's peak resident memory in bytes.
    """

    returncode: int | None
    stdout: str
    stderr: str
    elapsed: float
    cpu_seconds: float
    peak_rss: int

    @property
    def timed_out(self):
        """Whether the command was stopped for taking too long: at the CPU limit, or as hanging."""
        return self.returncode is None or self.returncode == -signal.SIGXCPU


def _limit(cpu_seconds, memory):
    def apply():
        # The soft CPU limit sends SIGXCPU (which ends the process); the hard one, a second
        # later, SIGKILL should the signal be caught.
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return apply


def run_cli(*arguments, timeout=TIME_LIMIT, memory=MEMORY_LIMIT, hang=HANG_LIMIT, cwd=None, stdin=None):
    """Run ``python -m neurograph ARGUMENTS`` with bounded CPU time and address space.

    Parameters
    ----------
    *arguments : str
    timeout : int
        CPU seconds before the kernel stops the process (reported with ``returncode=-SIGXCPU``).
    memory : int
        The address-space limit in bytes.
    hang : float
        Wall-clock seconds before the process is killed as hanging (reported with ``returncode=None``).
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
            cwd=cwd, env=environment, preexec_fn=_limit(timeout, memory),
        )
        returncode, usage = None, None
        while time.monotonic() - start < hang:
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
            cpu_seconds=usage.ru_utime + usage.ru_stime,
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
    assert completed.returncode is not None, f"killed as hanging after {HANG_LIMIT} s; stderr: {completed.stderr[-500:]!r}"
    assert not completed.timed_out, f"stopped at the CPU limit of {TIME_LIMIT} s; stderr: {completed.stderr[-500:]!r}"
    lines = completed.stderr.splitlines()
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("Error: "), completed.stderr[-2000:]
    assert completed.returncode == exit_code, (completed.returncode, completed.stderr)
    assert completed.peak_rss < MEMORY_LIMIT
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
