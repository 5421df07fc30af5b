"""The exception family raised by neurograph.

Every error neurograph raises on bad input is a :class:`NeurographError`; the subclasses
carry the offending input so that callers (and the command line) can name it.
"""

from __future__ import annotations

__all__ = [
    "NeurographError",
    "AnatomyFileError",
    "UnknownNameError",
    "AmbiguousSideError",
    "InvalidValueError",
    "InvalidAnatomyError",
    "AnatomyTooLargeError",
]


class NeurographError(Exception):
    """Base class of every error neurograph raises on bad input."""


class AnatomyFileError(NeurographError):
    """An anatomy file could not be read or is not a valid neurograph anatomy.

    Parameters
    ----------
    path : str
        The file that was being read or written.
    problem : str
        What is wrong with it.
    violations : sequence of neurograph.validation.Violation, optional
        Every rule the anatomy it holds breaks, when that is the problem.
    """

    def __init__(self, path, problem, violations=()):
        self.path = str(path)
        self.problem = problem
        self.violations = tuple(violations)
        super().__init__(f"{self.path}: {problem}")


class UnknownNameError(NeurographError, LookupError):
    """A structure, muscle or region name matched nothing in the anatomy.

    Parameters
    ----------
    name : str
        The name as given.
    suggestions : sequence of str
        The closest known names, best first.
    """

    def __init__(self, name, suggestions=()):
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

    def __init__(self, name):
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

    def __init__(self, what, value, expected):
        self.what = what
        self.value = value
        self.expected = expected
        super().__init__(f"invalid {what} {value!r}: expected {expected}")


class InvalidAnatomyError(NeurographError, ValueError):
    """An anatomy graph breaks a rule the engine relies on.

    Parameters
    ----------
    violations : sequence of neurograph.validation.Violation
        Every rule it breaks; the message names the first few.
    """

    def __init__(self, violations):
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
        How many work units it needs (at least; counting stops at the limit).
    limit : int
        The limit, and ``setting`` the name that holds it.
    """

    def __init__(self, anatomy, what, size, limit, setting):
        self.anatomy, self.what, self.size, self.limit, self.setting = anatomy, what, size, limit, setting
        super().__init__(
            f"the anatomy {anatomy!r} is too large: its {what} need more than {limit:,} work units "
            f"({size:,} counted; the limit is {setting})"
        )
