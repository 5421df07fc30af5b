"""The data build: deterministic, up to date with the committed GraphML, strict about its tables."""

import shutil

import pytest

from neurograph.io import anatomy_path, graphml_bytes


def test_committed_graphml_matches_a_fresh_build(build_script):
    fresh = graphml_bytes(build_script.build_graph())
    committed = (build_script.REPO / "data" / "anatomy.graphml").read_bytes()
    assert fresh == committed, "data/anatomy.graphml is stale: run python scripts/build_anatomy.py"


def test_build_is_deterministic(build_script):
    assert graphml_bytes(build_script.build_graph()) == graphml_bytes(build_script.build_graph())


def test_check_mode_reports_stale_output(build_script, tmp_path, capsys):
    stale = tmp_path / "anatomy.graphml"
    stale.write_text("old")
    assert build_script.main(["--check", "--output", str(stale)]) == 1
    assert "is stale" in capsys.readouterr().err
    shutil.copy(anatomy_path(), stale)
    assert build_script.main(["--check", "--output", str(stale)]) == 0


@pytest.fixture
def sources_copy(build_script, tmp_path):
    target = tmp_path / "sources"
    shutil.copytree(build_script.SOURCES, target)
    return target


def append(path, line):
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def test_unknown_reference_key_names_file_and_line(build_script, sources_copy):
    table = sources_copy / "muscle_segments" / "neck.csv"
    lines = table.read_text().count("\n")
    append(table, "longus_colli,C7,minor,MadeUp1999")
    with pytest.raises(build_script.SourceTableError, match=rf"neck.csv:{lines + 1}: unknown reference key\(s\) MadeUp1999"):
        build_script.build_graph(sources_copy)


def test_row_without_source_is_refused(build_script, sources_copy):
    append(sources_copy / "innervation" / "neck.csv", "longus_colli,ramus.C7,C7,")
    with pytest.raises(build_script.SourceTableError, match="no source given"):
        build_script.build_graph(sources_copy)


def test_unknown_muscle_is_refused(build_script, sources_copy):
    append(sources_copy / "innervation" / "neck.csv", "musculus_imaginarius,ramus.C5,C5,Gray42")
    with pytest.raises(build_script.SourceTableError, match="unknown muscle 'musculus_imaginarius'"):
        build_script.build_graph(sources_copy)


def test_bad_segment_is_refused(build_script, sources_copy):
    append(sources_copy / "innervation" / "neck.csv", "longus_colli,ramus.C5,C9,Gray42")
    with pytest.raises(build_script.SourceTableError, match="invalid segment 'C9'"):
        build_script.build_graph(sources_copy)


def test_unknown_branch_node_is_refused(build_script, sources_copy):
    append(sources_copy / "innervation" / "neck.csv", "longus_colli,nerve_to_nowhere,C6,Gray42")
    with pytest.raises(build_script.SourceTableError, match="unknown nerve node 'nerve_to_nowhere'"):
        build_script.build_graph(sources_copy)


def test_disputed_roots_are_kept_as_data(build_script, sources_copy):
    append(sources_copy / "muscle_segments" / "neck.csv", "longus_colli,C7,minor,Kendall2005")
    append(sources_copy / "muscle_segments" / "neck.csv", "longus_colli,C6,major,Kendall2005")
    graph = build_script.build_graph(sources_copy)
    muscle = graph.nodes["R.muscle.longus_colli"]
    # Gray's is the only reference for the other segments, but Kendall outranks Gray's.
    assert muscle["segments_source"] == "Kendall2005"
    assert muscle["segments"] == "C6|C7"
    assert muscle["segments_by_source"] == "Kendall2005=C6,(C7);Gray42=C2,C3,C4,C5,C6"
    assert muscle["disputed_segments"] == "C2|C3|C4|C5|C7"


def test_branch_disputes_are_kept_per_reference(build_script, sources_copy):
    append(sources_copy / "branch_disputes.csv", "longus_colli,ventral rami of C1-C3 only,,Kendall2005")
    graph = build_script.build_graph(sources_copy)
    assert graph.nodes["L.muscle.longus_colli"]["branch_disputed_by"] == "Kendall2005=ventral rami of C1-C3 only"
    assert "branch_disputed_by" not in graph.nodes["L.muscle.longus_capitis"]


@pytest.mark.parametrize("share", ["1.5", "0", "most"])
def test_a_branch_dispute_share_outside_0_to_1_is_refused(build_script, sources_copy, share):
    append(sources_copy / "branch_disputes.csv", f"longus_colli,elsewhere,{share},Kendall2005")
    with pytest.raises(build_script.SourceTableError, match=rf"branch_disputes.csv:\d+: share must be a fraction above 0 and at most 1, not '{share}'"):
        build_script.build_graph(sources_copy)
