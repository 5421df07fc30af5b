"""The exception family raised by neurograph.

Every error neurograph raises on bad input is a :class:`NeurographError`; the subclasses
carry the offending input so that callers (and the command line) can name it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

__all__ = [
    "NeurographError",
    "AnatomyFileError",
    "OutputFileError",
    "UnknownNameError",
    "AmbiguousSideError",
    "InvalidValueError",
    "InvalidAnatomyError",
    "AnatomyTooLargeError",
    "StaleResultError",
]


class NeurographError(Exception):
    """Base class of every error neurograph raises on bad input."""


class _FileProblem(NeurographError):
    """A problem with one file: keeps the path and the problem apart for callers."""

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(self.describe())

    def describe(self) -> str:
        return f"{self.path}: {self.problem}"


class AnatomyFileError(_FileProblem):
    """An anatomy file (or a findings file) could not be read or is not valid input.

    Parameters
    ----------
    path : str
        The file that was being read.
    problem : str
        What is wrong with it.
    violations : sequence of neurograph.validation.Violation, optional
        Every rule the anatomy it holds breaks, when that is the problem.
    """

    def __init__(self, path: str | os.PathLike[str], problem: str, violations: Iterable[Any] = ()) -> None:
        self.violations = tuple(violations)
        super().__init__(path, problem)


class OutputFileError(_FileProblem, OSError):
    """A file could not be written, or writing it would replace what is not a regular file.

    Parameters
    ----------
    path : str
        The file that was to be written.
    problem : str
        Why it was not written.
    """

    def describe(self) -> str:
        return f"cannot write {self.path}: {self.problem}"


class UnknownNameError(NeurographError, LookupError):
    """A structure, muscle or region name matched nothing in the anatomy.

    Parameters
    ----------
    name : str
        The name as given.
    suggestions : sequence of str
        The closest known names, best first.
    """

    def __init__(self, name: str, suggestions: Iterable[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        message = f"unknown structure {name!r}"
        if self.suggestions:
            message += "; closest matches: " + ", ".join(self.suggestions)
        super().__init__(message)


class AmbiguousSideError(NeurographError, LookupError):
    """A one-sided structure was named without saying which side.

    Parameters
    ----------
    name : str
        The name as given.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"{name!r} needs a side: say left, right or bilateral")


class InvalidValueError(NeurographError, ValueError):
    """A value (severity, phase, grade, ...) is out of its allowed range.

    Parameters
    ----------
    what : str
        What the value is for, e.g. ``"severity"``.
    value : object
        The offending value.
    expected : str
        What would have been accepted.
    """

    def __init__(self, what: str, value: Any, expected: str) -> None:
        self.what = what
        self.value = value
        self.expected = expected
        super().__init__(f"invalid {what} {value!r}: expected {expected}")


class NormalFindingsError(InvalidValueError):
    """A findings record holds no abnormal finding, so there is nothing to localize.

    Parameters
    ----------
    findings : neurograph.findings.Findings
        The record, every item of which is normal.
    """

    def __init__(self, findings: Any) -> None:
        self.findings = findings
        super().__init__("findings", "no abnormal finding", "at least one abnormal finding to localize")


class InvalidAnatomyError(NeurographError, ValueError):
    """An anatomy graph breaks a rule the engine relies on.

    Parameters
    ----------
    violations : sequence of neurograph.validation.Violation
        Every rule it breaks; the message names the first few.
    """

    def __init__(self, violations: Iterable[Any]) -> None:
        self.violations = tuple(violations)
        shown = "; ".join(violation.message for violation in self.violations[:3])
        more = f" (and {len(self.violations) - 3} more)" if len(self.violations) > 3 else ""
        super().__init__(f"the anatomy is not valid: {shown}{more}")


class AnatomyTooLargeError(NeurographError, ValueError):
    """An anatomy needs more work than the engine's documented limit allows.

    Parameters
    ----------
    anatomy : str
        The anatomy's name (its ``name`` graph attribute) or a description of it.
    what : str
        What would grow too large, e.g. ``"route tables"``.
    size : int
        How many ``units`` it needs (at least; counting may stop past the limit).
    limit : int
        The limit, and ``setting`` the name that holds it.
    units : str
        What is counted.
    """

    def __init__(self, anatomy: str, what: str, size: int, limit: int, setting: str, units: str = "work units") -> None:
        self.anatomy, self.what, self.size, self.limit, self.setting = anatomy, what, size, limit, setting
        super().__init__(
            f"the anatomy {anatomy!r} is too large: its {what} need more than {limit:,} {units} "
            f"({size:,} counted; the limit is {setting})"
        )


class StaleResultError(NeurographError, RuntimeError):
    """A result can no longer show the anatomy it was computed from.

    A result keeps reading the graph as it was when it was computed, also after the graph is
    edited (a read-only copy stands in for it, see :meth:`neurograph.cache.GraphState.computed_graph`);
    this is raised when that copy itself was edited, or when a call pairs a result with a graph
    it was not computed on.

    Parameters
    ----------
    result : str
        The result, in words.
    problem : str
        Why its anatomy cannot be read.
    """

    def __init__(self, result: str, problem: str) -> None:
        self.result = result
        self.problem = problem
        super().__init__(f"{result}: {problem}; compute it again on the graph as it is now")
