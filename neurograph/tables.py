"""Tables for notebook users: rows of dicts as a pandas DataFrame when pandas is installed.

Every result's ``to_table()`` goes through :func:`table`, so that results without pandas still
give their rows; pandas is imported on first use only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    import pandas

__all__ = ["table", "Table"]

#: What every ``to_table()`` returns: a DataFrame when pandas is installed, else the rows as dicts.
Table = Union["pandas.DataFrame", list[dict[str, Any]]]


def table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str] | None = None) -> Table:
    """Rows of dicts as a pandas DataFrame when pandas is installed, else as a list of dicts.

    Each DataFrame column takes the pandas nullable type of its values (``boolean``, ``Int64``,
    ``Float64``, ``string``), so that empty cells (``None``) leave whole numbers whole: MRC
    grades stay integers, strengths stay floats, whatever the rows.

    Parameters
    ----------
    rows : iterable of dict
    columns : sequence of str, optional
        The columns in order: every row gets each of them (``None`` where a row has no value),
        and an empty DataFrame keeps them all the same.

    Examples
    --------
    >>> frame = table([{"muscle": "deltoid", "mrc_grade": 3}, {"muscle": "biceps", "mrc_grade": None}])
    >>> len(frame)
    2
    >>> frame["mrc_grade"].tolist()
    [3, <NA>]
    """
    rows = [dict(row) for row in rows] if columns is None else [{column: row.get(column) for column in columns} for row in rows]
    try:
        import pandas
    except ImportError:
        return rows
    frame = pandas.DataFrame(rows, columns=list(columns) if columns is not None else None, dtype=object)
    return frame.astype({column: _column_type([row.get(column) for row in rows]) for column in frame.columns})


def _column_type(values: Sequence[Any]) -> Any:
    """The pandas nullable type that holds every value of a column (``None`` is an empty cell)."""
    present = [value for value in values if value is not None]
    if not present:
        return object
    if all(isinstance(value, bool) for value in present):
        return "boolean"
    if all(isinstance(value, int) and not isinstance(value, bool) for value in present):
        return "Int64"
    if all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in present):
        return "Float64"
    return "string" if all(isinstance(value, str) for value in present) else object
