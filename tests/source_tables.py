"""Reading the source tables under data/sources in the tests that check them.

The tables are CSV (UTF-8, a header row); a field may hold a `;`-separated list of reference
keys or a `|`-separated list of items, the same encodings as the graph attributes built from them.
"""

import csv
from pathlib import Path

from neurograph.schema import decode_list, decode_references

SOURCES = Path(__file__).resolve().parent.parent / "data" / "sources"


def read(path):
    """The header and the rows (as dicts) of one CSV table."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return reader.fieldnames, list(reader)


def keys(text):
    """The reference keys of a `;`-separated citation field."""
    return list(decode_references(text))


def items(text):
    """The items of a `|`-separated field."""
    return list(decode_list(text))
