"""Reading and writing GraphML: round trips, atomic writes, and refusal of bad input."""

import os
import time

import networkx as nx
import pytest

import neurograph
from neurograph.errors import AnatomyFileError
from neurograph.io import read_graphml, write_graphml

GRAPHML_HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">\n'
    '<key id="k" for="node" attr.name="kind" attr.type="string"/>\n'
    '<key id="l" for="node" attr.name="label" attr.type="string"/>\n'
    '<key id="s" for="node" attr.name="reference" attr.type="string"/>\n'
    '<key id="d" for="node" attr.name="side" attr.type="string"/>\n'
    '<key id="a" for="node" attr.name="area" attr.type="string"/>\n'
)


def write(tmp_path, text, name="anatomy.graphml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_preserves_every_node_edge_and_attribute(packaged_anatomy, tmp_path):
    target = tmp_path / "copy.graphml"
    write_graphml(packaged_anatomy, target)
    again = read_graphml(target)
    assert dict(again.nodes(data=True)) == dict(packaged_anatomy.nodes(data=True))
    assert {(u, v): d for u, v, d in again.edges(data=True)} == {
        (u, v): d for u, v, d in packaged_anatomy.edges(data=True)
    }
    assert again.graph == packaged_anatomy.graph


def test_packaged_anatomy_is_readable_by_networkx_itself(packaged_anatomy):
    """Only standard GraphML types are used, so a generic reader sees the same attributes."""
    generic = nx.read_graphml(neurograph.io.anatomy_path())
    assert dict(generic.nodes(data=True)) == dict(packaged_anatomy.nodes(data=True))


def test_write_is_atomic_when_replacing_fails(packaged_anatomy, tmp_path, monkeypatch):
    target = tmp_path / "out.graphml"
    target.write_text("previous content")

    def refuse(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_graphml(packaged_anatomy, target)
    assert target.read_text() == "previous content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.graphml"]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("this is not xml", "not well-formed XML"),
        ('<?xml version="1.0" encoding="atf-8"?><graphml/>', "not readable XML (unknown encoding: atf-8)"),
        ("<html><body/></html>", "not GraphML (root element is <html>)"),
        (GRAPHML_HEAD + "</graphml>", "expected exactly one <graph> element, found 0"),
        (GRAPHML_HEAD + '<graph edgedefault="undirected"/></graphml>', "the graph is not directed"),
        (
            GRAPHML_HEAD + '<graph edgedefault="directed"><node id="a"/><node id="a"/></graph></graphml>',
            "duplicate node id 'a'",
        ),
        (
            GRAPHML_HEAD + '<graph edgedefault="directed"><node id="a"/><edge source="a" target="b"/></graph></graphml>',
            "names an undeclared node 'b'",
        ),
        (
            GRAPHML_HEAD
            + '<graph edgedefault="directed"><node id="a"><data key="zz">1</data></node></graph></graphml>',
            "uses undeclared data key 'zz'",
        ),
        (
            GRAPHML_HEAD
            + '<graph edgedefault="directed"><node id="x"><data key="k">gland</data><data key="l">x</data>'
            '<data key="s">Gray42</data></node></graph></graphml>',
            "node 'x' has unknown kind 'gland'",
        ),
        (
            GRAPHML_HEAD
            + '<graph edgedefault="directed"><node id="x"><data key="k">cortical_area</data><data key="l">x</data>'
            '<data key="s">Gray42</data></node></graph></graphml>',
            "cortical_area 'x' lacks side, area",
        ),
    ],
)
def test_malformed_files_name_the_file_and_the_problem(tmp_path, text, problem):
    path = write(tmp_path, text)
    with pytest.raises(AnatomyFileError) as caught:
        read_graphml(path)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)
    assert caught.value.path == str(path)


def test_a_cycle_is_refused(packaged_anatomy, tmp_path):
    broken = packaged_anatomy.copy()
    broken.add_edge("R.ulnar.guyon", "R.ulnar.elbow", kind="motor_axon", segments="C8", reference="Gray42")
    path = tmp_path / "cyclic.graphml"
    write_graphml(broken, path)
    with pytest.raises(AnatomyFileError, match="signal flow has a cycle"):
        read_graphml(path)


def test_billion_laughs_is_refused_quickly(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 10)
    )
    text = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><graphml>&lol9;</graphml>'
    path = write(tmp_path, text)
    started = time.process_time()  # the reader's own work, which the machine's load does not stretch
    with pytest.raises(AnatomyFileError, match="refused unsafe XML"):
        read_graphml(path)
    assert time.process_time() - started < 5


def test_external_entity_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE g [<!ENTITY x SYSTEM "file://{secret}">]>'
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">&x;</graphml>'
    )
    path = write(tmp_path, text)
    with pytest.raises(AnatomyFileError, match="refused unsafe XML"):
        read_graphml(path)


def test_missing_file_and_directory_are_refused(tmp_path):
    with pytest.raises(AnatomyFileError, match="cannot read file"):
        read_graphml(tmp_path / "absent.graphml")
    with pytest.raises(AnatomyFileError, match="not a regular file"):
        read_graphml(tmp_path)


def test_oversized_file_is_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(neurograph.io, "MAX_FILE_BYTES", 10)
    path = write(tmp_path, GRAPHML_HEAD + "</graphml>")
    with pytest.raises(AnatomyFileError, match="larger than the 10 byte limit"):
        read_graphml(path)


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "garbage.graphml"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(AnatomyFileError, match="not well-formed XML"):
        read_graphml(path)
