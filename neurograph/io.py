"""Reading and writing anatomy graphs as GraphML.

The reader parses with expat in one pass, refusing as :mod:`defusedxml` does a hostile file (a
DTD, and so any entity expansion or external entity) before anything is expanded; it keeps only
the GraphML elements it reads (no element tree), and checks the graph against the schema before
returning it: a caller gets a whole, well-formed graph or an
:class:`~neurograph.errors.AnatomyFileError`, never a partial graph.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from xml.parsers import expat

import networkx as nx
from defusedxml import DefusedXmlException
from defusedxml.common import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from neurograph.errors import AnatomyFileError
from neurograph.graph import AnatomyGraph
from neurograph.writing import write_file

__all__ = ["read_graphml", "write_graphml", "graphml_bytes", "load_anatomy", "anatomy_path"]

#: Files larger than this are refused before parsing (the packaged anatomy is well under 2 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Files with more nodes than this are refused while they are read, before a graph is built:
#: 15 times the packaged anatomy's nodes (3,962). Reading, the first checks, the name index and
#: the site list cost time in every node (about 0.1 ms each, in all), so that a command on an
#: anatomy within the limit ends within 10 s of CPU time (``scripts/bench_hostile.py``).
MAX_NODES = 60_000

_NS = "{http://graphml.graphdrawing.org/xmlns}"
# Element names as expat reports them (namespace, "}", local name).
_GRAPHML, _KEY, _GRAPH, _NODE, _EDGE, _DATA = (_NS[1:] + name for name in ("graphml", "key", "graph", "node", "edge", "data"))
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
        Naming the file and the problem: missing, too large (:data:`MAX_FILE_BYTES`, or more
        nodes than :data:`MAX_NODES`), not XML, not GraphML, a DTD or
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
        document = _Document(path, MAX_NODES)
    except _TooManyNodes:
        raise AnatomyFileError(
            path, f"holds more than {MAX_NODES:,} nodes, the limit for an anatomy (neurograph.io.MAX_NODES)"
        ) from None
    except DefusedXmlException as error:
        raise AnatomyFileError(path, f"refused unsafe XML ({type(error).__name__})") from None
    except expat.ExpatError as error:
        raise AnatomyFileError(path, f"not well-formed XML ({error})") from None
    except LookupError as error:  # the XML declaration names an encoding Python does not know
        raise AnatomyFileError(path, f"not readable XML ({error})") from None
    except OSError as error:
        raise AnatomyFileError(path, f"cannot read file ({error.strerror or error})") from None
    graph = _graph_from_document(path, document)
    problems = structural_violations(graph, remember=True) if check else ()
    if problems:
        shown = "; ".join(problem.message for problem in problems[:5])
        more = f" (and {len(problems) - 5} more: 'neurograph validate' lists them all)" if len(problems) > 5 else ""
        raise AnatomyFileError(path, f"not a valid neurograph anatomy: {shown}{more}", violations=problems)
    return graph


class _TooManyNodes(Exception):
    """Raised while parsing, at the first node beyond the limit."""


class _Document:
    """What the reader uses of a GraphML file, collected in one pass of expat.

    The root's tag, the root's ``<key>`` and ``<graph>`` elements (their attributes), and, of
    the first graph, its ``<data>`` and its ``<node>`` and ``<edge>`` elements, each with its
    attributes and its own ``<data>`` as ``(key, text)``: the elements the reader looks at, as
    direct children, and nothing else (nested graphs and unknown elements are skipped). It
    stops with :class:`_TooManyNodes` at the first node beyond ``max_nodes``.
    """

    def __init__(self, path, max_nodes):
        self._max_nodes = max_nodes
        self.root = ""
        self.keys: list[dict[str, str]] = []
        self.graphs: list[dict[str, str]] = []
        self.graph_data: list[tuple[str | None, str]] = []
        self.nodes: list[tuple[dict[str, str], list[tuple[str | None, str]]]] = []
        self.edges: list[tuple[dict[str, str], list[tuple[str | None, str]]]] = []
        self._open: list[str] = []
        self._owner: list[tuple[str | None, str]] | None = None
        # The open <data> element: where its (key, text) goes, its depth, and its text so far.
        # Text is collected only while a <data> element's own text runs (from its start to its
        # first child or its end): the parser reports no other text, as most of a file's text
        # is the whitespace between elements.
        self._data_owner: list[tuple[str | None, str]] = []
        self._data_depth = -1
        self._text: list[str] = []
        parser = self._parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._doctype
        parser.EntityDeclHandler = self._entity
        parser.UnparsedEntityDeclHandler = self._unparsed_entity
        parser.ExternalEntityRefHandler = self._external
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        with open(path, "rb") as stream:
            parser.ParseFile(stream)
        self._parser = None  # its handlers hold this object

    @staticmethod
    def _doctype(name, sysid, pubid, has_internal_subset):
        raise DTDForbidden(name, sysid, pubid)

    @staticmethod
    def _entity(name, is_parameter_entity, value, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation_name)

    @staticmethod
    def _unparsed_entity(name, base, sysid, pubid, notation_name):
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation_name)

    @staticmethod
    def _external(context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    def _start(self, name, attributes):
        path = self._open
        depth = len(path)
        path.append(name)
        if self._data_depth >= 0:
            self._parser.CharacterDataHandler = None  # a <data> element's text ends at its first child
        if depth == 3:  # most elements: a node's or an edge's <data>
            if (
                name == _DATA and self._owner is not None and path[2] in (_NODE, _EDGE) and path[1] == _GRAPH
                and path[0] == _GRAPHML and len(self.graphs) == 1
            ):
                self._begin_data(self._owner, attributes, depth)
        elif depth == 0:
            self.root = name
        elif path[0] != _GRAPHML:
            return
        elif depth == 1:
            if name == _KEY:
                self.keys.append(attributes)
            elif name == _GRAPH:
                self.graphs.append(attributes)
        elif depth == 2 and len(self.graphs) == 1 and path[1] == _GRAPH:
            if name in (_NODE, _EDGE):
                self._owner = []
                if name == _EDGE:
                    self.edges.append((attributes, self._owner))
                elif len(self.nodes) < self._max_nodes:
                    self.nodes.append((attributes, self._owner))
                else:
                    raise _TooManyNodes
            elif name == _DATA:
                self._begin_data(self.graph_data, attributes, depth)

    def _begin_data(self, owner, attributes, depth):
        owner.append((attributes.get("key"), ""))
        self._data_owner, self._data_depth, self._text = owner, depth, []
        self._parser.CharacterDataHandler = self._text.append

    def _end(self, name):
        path = self._open
        if len(path) == self._data_depth + 1:
            key, _ = self._data_owner[-1]
            self._data_owner[-1] = (key, "".join(self._text))
            self._data_depth = -1
            self._parser.CharacterDataHandler = None
        path.pop()


def _graph_from_document(path, document):
    if document.root != _GRAPHML:
        raise AnatomyFileError(path, f"not GraphML (root element is <{_local(document.root)}>)")
    keys = {}
    for key in document.keys:
        key_id = key.get("id")
        attr_type = key.get("attr.type", "string")
        if key_id is None or attr_type not in _CONVERTERS:
            raise AnatomyFileError(path, f"bad <key> declaration {dict(key)}")
        keys[key_id] = (key.get("attr.name", key_id), _CONVERTERS[attr_type])
    if len(document.graphs) != 1:
        raise AnatomyFileError(path, f"expected exactly one <graph> element, found {len(document.graphs)}")
    if document.graphs[0].get("edgedefault") != "directed":
        raise AnatomyFileError(path, "the graph is not directed (edgedefault must be 'directed')")
    graph = AnatomyGraph()
    graph.graph.update(_data(path, document.graph_data, keys, "graph"))
    for attributes, data in document.nodes:
        node_id = attributes.get("id")
        if node_id is None:
            raise AnatomyFileError(path, "a <node> has no id")
        if node_id in graph:
            raise AnatomyFileError(path, f"duplicate node id {node_id!r}")
        graph.add_node(node_id, **_data(path, data, keys, "node", node_id))
    for attributes, data in document.edges:
        source, target = attributes.get("source"), attributes.get("target")
        for end in (source, target):
            if end not in graph:
                raise AnatomyFileError(path, f"edge {source!r} -> {target!r} names an undeclared node {end!r}")
        if graph.has_edge(source, target):
            raise AnatomyFileError(path, f"duplicate edge {source!r} -> {target!r}")
        graph.add_edge(source, target, **_data(path, data, keys, "edge", (source, target)))
    return graph


def _data(path, data, keys, owner, name=None):
    """The attributes of the graph, a node or an edge (``owner``, named ``name``) from its ``(key, text)`` pairs."""
    values = {}
    for key_id, text in data:
        try:
            attribute, convert = keys[key_id]
            values[attribute] = convert(text)
        except KeyError:
            raise AnatomyFileError(path, f"{_owner_text(owner, name)} uses undeclared data key {key_id!r}") from None
        except ValueError:
            raise AnatomyFileError(path, f"{_owner_text(owner, name)}: attribute {attribute!r} has a bad value {text!r}") from None
    return values


def _owner_text(owner, name):
    """The words naming ``owner`` in an error ("graph", "node 'x'", "edge 'x' -> 'y'"), made only for one."""
    if owner == "edge":
        return f"edge {name[0]!r} -> {name[1]!r}"
    return owner if name is None else f"{owner} {name!r}"


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
