"""The anatomy moves through the usual graph tools without loss.

networkx's pandas edge list, node-link JSON and its own GraphML reader and writer, and
python-igraph reading the packaged GraphML, each with every attribute of the type
data/README.md documents. The converted graphs are checked by what the library does with them
(they validate clean and simulate a lesion exactly as the original does), not only by counts.
"""

import json
import xml.etree.ElementTree as ElementTree

import igraph
import networkx as nx
import pandas
import pytest

import neurograph
from neurograph.io import anatomy_path

GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def same_graph(first, second):
    """Equal nodes, edges and attributes (node, edge and graph), in any order."""
    assert dict(first.nodes(data=True)) == dict(second.nodes(data=True))
    assert {(u, v): d for u, v, d in first.edges(data=True)} == {(u, v): d for u, v, d in second.edges(data=True)}
    assert without_reader_defaults(first.graph) == without_reader_defaults(second.graph)


def without_reader_defaults(attributes):
    """Graph attributes less the empty ``node_default``/``edge_default`` that networkx's GraphML
    reader adds (the file declares no defaults)."""
    return {name: value for name, value in attributes.items() if not (name.endswith("_default") and value == {})}


def simulates_alike(first, second):
    """The radial nerve at the spiral groove gives the same findings on both graphs."""
    lesion = "right radial nerve at the spiral groove"
    assert neurograph.simulate(first, lesion).to_dict() == neurograph.simulate(second, lesion).to_dict()


def test_pandas_edge_list_keeps_tail_head_and_citation_apart(packaged_anatomy):
    table = nx.to_pandas_edgelist(packaged_anatomy)
    assert len(table) == packaged_anatomy.number_of_edges()
    assert {"source", "target", "kind", "segments", "reference"} <= set(table.columns)
    # The C7 fibres to triceps leave the posterior cord for the radial nerve in the axilla (Gray's).
    row = table[(table["source"] == "R.bp.posterior_cord") & (table["target"] == "R.radial.axilla")]
    assert len(row) == 1
    assert row["reference"].iloc[0] == packaged_anatomy.edges["R.bp.posterior_cord", "R.radial.axilla"]["reference"]
    back = nx.from_pandas_edgelist(table, edge_attr=True, create_using=nx.DiGraph)
    for u, v, data in packaged_anatomy.edges(data=True):
        kept = {name: value for name, value in back.edges[u, v].items() if not pandas.isna(value)}
        assert kept == data


def test_node_link_json_round_trip(packaged_anatomy):
    payload = json.loads(json.dumps(nx.node_link_data(packaged_anatomy, edges="edges")))
    back = nx.node_link_graph(payload, edges="edges")
    assert back.is_directed() and not back.is_multigraph()
    same_graph(back, packaged_anatomy)
    assert neurograph.validate(back) == []
    simulates_alike(back, packaged_anatomy)


def test_networkx_graphml_round_trip(packaged_anatomy, tmp_path):
    path = tmp_path / "anatomy.graphml"
    nx.write_graphml(packaged_anatomy, path)
    back = nx.read_graphml(path)
    assert isinstance(back, nx.DiGraph)
    same_graph(back, packaged_anatomy)
    assert neurograph.validate(back) == []
    simulates_alike(back, packaged_anatomy)
    # And the library reads what networkx wrote.
    same_graph(neurograph.read_graphml(path), packaged_anatomy)


def test_networkx_reads_the_packaged_file_as_the_library_does(packaged_anatomy):
    same_graph(nx.read_graphml(anatomy_path()), packaged_anatomy)


def declared_types():
    """Per (domain, attribute name): the GraphML type the packaged file declares."""
    root = ElementTree.parse(anatomy_path()).getroot()
    return {(key.get("for"), key.get("attr.name")): key.get("attr.type") for key in root.iter(GRAPHML + "key")}


#: What python-igraph gives for each GraphML type, as data/README.md documents: it reads the
#: declared ``long`` attributes (the homunculus and station orders) as floats.
IGRAPH_TYPES = {"string": str, "long": float, "int": float, "double": float}


def test_declared_types_are_the_documented_ones():
    types = declared_types()
    assert set(types.values()) <= set(IGRAPH_TYPES)
    assert types[("node", "homunculus_order")] == "long"
    assert types[("node", "station_order")] == "long"
    assert types[("node", "segments")] == "string"


def test_igraph_reads_every_attribute_with_its_documented_type(packaged_anatomy):
    graph = igraph.Graph.Read_GraphML(str(anatomy_path()))
    assert graph.is_directed()
    assert graph.vcount() == packaged_anatomy.number_of_nodes()
    assert graph.ecount() == packaged_anatomy.number_of_edges()
    types = declared_types()
    domains = {"node": graph.vs, "edge": graph.es}
    for (domain, name), declared in types.items():
        wanted = IGRAPH_TYPES[declared]
        if domain == "graph":
            assert isinstance(graph[name], wanted), name
            assert graph[name] == packaged_anatomy.graph[name]
            continue
        values = domains[domain][name]
        # igraph gives every vertex every attribute: absent strings are "" and absent numbers NaN.
        assert all(isinstance(value, wanted) for value in values), (domain, name)
    ids = graph.vs["id"]
    for vertex, node in zip(graph.vs, ids):
        data = packaged_anatomy.nodes[node]
        for name, value in data.items():
            assert vertex[name] == pytest.approx(value) if not isinstance(value, str) else vertex[name] == value
    for edge in graph.es:
        data = packaged_anatomy.edges[ids[edge.source], ids[edge.target]]
        assert {name: edge[name] for name in data} == data
