"""Cranial nerve facts as the references state them, checked against the cranial source tables.

The cranial tables (data/sources/cranial/) are not yet built into the graph, so these tests read
the tables; the expectations are written here from Gray42 (*Gray's Anatomy*, 42nd edn, 2020)
and Blumenfeld2021 (*Neuroanatomy through Clinical Cases*, 3rd edn, 2021), not from the tables.
"""

import csv
from pathlib import Path

import pytest

CRANIAL = Path(__file__).resolve().parent.parent / "data" / "sources" / "cranial"

pytestmark = pytest.mark.skipif(not CRANIAL.is_dir(), reason="the cranial tables are not in this tree")

#: The branchial and somatic motor nuclei and the nerves their axons leave in (Gray42,
#: Blumenfeld2021): the nucleus ambiguus sends its axons out in the glossopharyngeal (to
#: stylopharyngeus) and vagus nerves.
MOTOR_NUCLEI = {
    "nucleus.oculomotor": {"III"},
    "nucleus.trochlear": {"IV"},
    "nucleus.trigeminal_motor": {"V"},
    "nucleus.abducens": {"VI"},
    "nucleus.facial": {"VII"},
    "nucleus.ambiguus": {"IX", "X"},
    "nucleus.spinal_accessory": {"XI"},
    "nucleus.hypoglossal": {"XII"},
}


@pytest.mark.parametrize("nucleus, nerves", MOTOR_NUCLEI.items())
def test_a_motor_nucleus_sends_its_axons_out_in_its_cranial_nerves(nucleus, nerves):
    with open(CRANIAL / "nuclei.csv", newline="", encoding="utf-8") as handle:
        found = {row["nucleus"]: set(row["cranial_nerve"].split("|")) for row in csv.DictReader(handle)}
    assert found[nucleus] == nerves
