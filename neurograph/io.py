"""Reading and writing anatomy graphs as GraphML.

The reader parses with :mod:`defusedxml`, so a hostile file (entity expansion, external
entities, a DTD) is refused before anything is expanded, and it checks the graph against the
schema before returning it: a caller gets a whole, well-formed graph or an
:class:`~neurograph.errors.AnatomyFileError`, never a partial graph.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ElementTree
from importlib import resources
from pathlib import Path

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as _defused_parse

from neurograph.errors import AnatomyFileError
from neurograph.graph import AnatomyGraph
from neurograph.writing import write_file

__all__ = ["read_graphml", "write_graphml", "graphml_bytes", "load_anatomy", "anatomy_path"]

#: Files larger than this are refused before parsing (the packaged anatomy is well under 2 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024

_NS = "{http://graphml.graphdrawing.org/xmlns}"
_CONVERTERS = {
    "string": str,
    "int": int,
    "long": int,
    "float": float,
    "double": float,
    "boolean": lambda text: text.strip().lower() in ("true", "1"),
}


def anatomy_path() -> Path:
    """Return the path of the packaged anatomy GraphML.

    An installed wheel carries it inside the package; a source checkout has it at
    ``data/anatomy.graphml`` beside the package.

    Examples
    --------
    >>> anatomy_path().name
    'anatomy.graphml'
    """
    packaged = resources.files("neurograph").joinpath("_data", "anatomy.graphml")
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data" / "anatomy.graphml"


def load_anatomy(path: str | os.PathLike[str] | None = None) -> nx.DiGraph:
    """Load an anatomy graph: the packaged one by default, or a GraphML file of your own.

    Parameters
    ----------
    path : str or os.PathLike, optional
        A GraphML file. When omitted, the anatomy shipped with neurograph is loaded.

    Returns
    -------
    AnatomyGraph
        A :class:`networkx.DiGraph` (see :mod:`neurograph.graph`). Nodes are structures (cortical areas, tract stations, cord segments, roots, plexus
        elements, nerves, muscles, reflexes); edges run in the direction of the motor signal.

    Raises
    ------
    AnatomyFileError
        If the file cannot be read or is not a well-formed neurograph anatomy.

    Examples
    --------
    >>> G = load_anatomy()
    >>> G.nodes["R.radial.spiral_groove"]["label"]
    'radial nerve at the spiral groove (right)'
    """
    return read_graphml(anatomy_path() if path is None else path)


def read_graphml(path: str | os.PathLike[str], check: bool = True) -> nx.DiGraph:
    """Read a neurograph anatomy from a GraphML file, refusing hostile or malformed input.

    Parameters
    ----------
    path : str or os.PathLike
        The GraphML file.
    check : bool, optional
        Refuse a graph that fails the structural checks
        (:func:`neurograph.validation.structural_violations`; default). ``False`` returns it
        as read, for :func:`neurograph.validate` to list every problem it has.

    Returns
    -------
    AnatomyGraph
        A :class:`networkx.DiGraph` whose attribute dicts count their writes, so that results
        follow every edit at no cost (see :mod:`neurograph.cache`).

    Raises
    ------
    AnatomyFileError
        Naming the file and the problem: missing, too large, not XML, not GraphML, a DTD or
        entity declaration; with ``check``, also an unknown node kind, a missing or malformed
        attribute, a forbidden edge or a cycle (the error's ``violations`` lists them all).

    Examples
    --------
    >>> G = read_graphml(anatomy_path())
    >>> G.is_directed()
    True
    """
    from neurograph.validation import structural_violations

    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read file ({error.strerror or error})") from None
    if not path.is_file():
        raise AnatomyFileError(path, "not a regular file")
    if size > MAX_FILE_BYTES:
        raise AnatomyFileError(path, f"file is {size} bytes, larger than the {MAX_FILE_BYTES} byte limit")
    try:
        root = _defused_parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True).getroot()
    except DefusedXmlException as error:
        raise AnatomyFileError(path, f"refused unsafe XML ({type(error).__name__})") from None
    except ElementTree.ParseError as error:
        raise AnatomyFileError(path, f"not well-formed XML ({error})") from None
    except LookupError as error:  # the XML declaration names an encoding Python does not know
        raise AnatomyFileError(path, f"not readable XML ({error})") from None
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read file ({error.strerror or error})") from None
    graph = _graph_from_root(path, root)
    problems = structural_violations(graph) if check else ()
    if problems:
        shown = "; ".join(problem.message for problem in problems[:5])
        more = f" (and {len(problems) - 5} more: 'neurograph validate' lists them all)" if len(problems) > 5 else ""
        raise AnatomyFileError(path, f"not a valid neurograph anatomy: {shown}{more}", violations=problems)
    return graph


def _graph_from_root(path, root):
    if root.tag != _NS + "graphml":
        raise AnatomyFileError(path, f"not GraphML (root element is <{_local(root.tag)}>)")
    keys = {}
    for key in root.findall(_NS + "key"):
        key_id = key.get("id")
        attr_type = key.get("attr.type", "string")
        if key_id is None or attr_type not in _CONVERTERS:
            raise AnatomyFileError(path, f"bad <key> declaration {dict(key.attrib)}")
        keys[key_id] = (key.get("attr.name", key_id), _CONVERTERS[attr_type])
    graphs = root.findall(_NS + "graph")
    if len(graphs) != 1:
        raise AnatomyFileError(path, f"expected exactly one <graph> element, found {len(graphs)}")
    graph_element = graphs[0]
    if graph_element.get("edgedefault") != "directed":
        raise AnatomyFileError(path, "the graph is not directed (edgedefault must be 'directed')")
    graph = AnatomyGraph()
    graph.graph.update(_data(path, graph_element, keys, "graph"))
    for node in graph_element.findall(_NS + "node"):
        node_id = node.get("id")
        if node_id is None:
            raise AnatomyFileError(path, "a <node> has no id")
        if node_id in graph:
            raise AnatomyFileError(path, f"duplicate node id {node_id!r}")
        graph.add_node(node_id, **_data(path, node, keys, f"node {node_id!r}"))
    for edge in graph_element.findall(_NS + "edge"):
        source, target = edge.get("source"), edge.get("target")
        for end in (source, target):
            if end not in graph:
                raise AnatomyFileError(path, f"edge {source!r} -> {target!r} names an undeclared node {end!r}")
        if graph.has_edge(source, target):
            raise AnatomyFileError(path, f"duplicate edge {source!r} -> {target!r}")
        graph.add_edge(source, target, **_data(path, edge, keys, f"edge {source!r} -> {target!r}"))
    return graph


def _data(path, element, keys, owner):
    values = {}
    for data in element.findall(_NS + "data"):
        key_id = data.get("key")
        if key_id not in keys:
            raise AnatomyFileError(path, f"{owner} uses undeclared data key {key_id!r}")
        name, convert = keys[key_id]
        try:
            values[name] = convert(data.text or "")
        except ValueError:
            raise AnatomyFileError(path, f"{owner}: attribute {name!r} has a bad value {data.text!r}") from None
    return values


def _local(tag):
    return tag.rpartition("}")[2]


def write_graphml(graph: nx.DiGraph, path: str | os.PathLike[str]) -> None:
    """Write an anatomy graph as GraphML, atomically, through :func:`neurograph.writing.write_file`.

    The file appears whole or not at all, only ever replaces a regular file and keeps its
    permission bits. Attribute values must be str, int, float or bool (the standard GraphML
    types), so that any GraphML reader sees every attribute.

    Parameters
    ----------
    graph : networkx.DiGraph
    path : str or os.PathLike
        A ``.graphml`` (or ``.xml``) file.

    Raises
    ------
    OutputFileError
        When the file cannot be written or is not a regular file.
    InvalidValueError
        For another extension.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> G = load_anatomy()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     target = pathlib.Path(folder) / "copy.graphml"
    ...     write_graphml(G, target)
    ...     read_graphml(target).number_of_nodes() == G.number_of_nodes()
    True
    """
    write_file(path, graphml_bytes(graph), "graphml")


def graphml_bytes(graph: nx.DiGraph) -> bytes:
    """Serialise a graph to GraphML bytes; the same graph always gives the same bytes.

    Examples
    --------
    >>> import networkx as nx
    >>> graphml_bytes(nx.DiGraph()).startswith(b"<?xml")
    True
    """
    lines = nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + "\n".join(lines) + "\n"
    return text.encode("utf-8")
