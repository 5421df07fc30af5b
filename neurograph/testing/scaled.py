"""Larger valid anatomies grown from a base graph, for measuring and testing how cost grows.

Each generator takes an anatomy graph first, returns a new graph (the base is left as it is)
and keeps the graph valid: every output passes :func:`neurograph.validate` when the base does.
What is added mirrors on both sides, carries the segments of the fibres it continues and
cites the reference of the structure it copies.

- :func:`more_muscles` copies muscles (all of them, or those one nerve supplies) ``k`` times;
- :func:`more_layers` lengthens every nerve branch to a muscle by a chain of relay nerve nodes;
- :func:`nerve_lattice` replaces one nerve-to-nerve edge by a lattice of nerve nodes, whose
  number of fibre routes grows exponentially with its depth;
- :func:`isolated_nodes` adds nerve nodes joined to nothing (:func:`isolated_nodes_graphml` writes
  the same as a file, without building the graph).

Examples
--------
>>> import neurograph
>>> from neurograph.testing import scaled
>>> G = neurograph.load_anatomy()
>>> bigger = scaled.isolated_nodes(scaled.more_layers(scaled.more_muscles(G, 2), 1), 5)
>>> neurograph.validate(bigger)
[]
>>> muscles = sum(1 for _, kind in G.nodes(data="kind") if kind == "muscle")
>>> sum(1 for _, kind in bigger.nodes(data="kind") if kind == "muscle") == 2 * muscles
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from neurograph.errors import InvalidValueError
from neurograph.schema import SIDES

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["more_muscles", "more_layers", "nerve_lattice", "isolated_nodes", "isolated_nodes_graphml", "lattice_share"]


def _count(name, value, least):
    if not isinstance(value, int) or isinstance(value, bool) or value < least:
        raise InvalidValueError(name, value, f"a whole number of at least {least}")
    return value


def _sided(node):
    """``(side, rest)`` of a node id that starts with its side, as every mirrored id does."""
    side, dot, rest = node.partition(".")
    if side not in SIDES or not dot:
        raise InvalidValueError("node", node, "an id that starts with its side ('L.' or 'R.')")
    return side, rest


def _mirrored(side_rest):
    """The ids of ``rest`` on both sides."""
    return [f"{side}.{side_rest}" for side in SIDES]


def more_muscles(G: nx.DiGraph, k: int, *, nerve: str | None = None) -> nx.DiGraph:
    """Return a copy of ``G`` with every muscle present ``k`` times.

    Each copy ``R.muscle.x_copy2`` (and its mirror) has the original's attributes, with
    ``copy 2`` added to its label and no aliases, and receives the same nerve branches. Copies
    take part in no reflex.

    Parameters
    ----------
    G : networkx.DiGraph
        A valid anatomy.
    k : int
        How many of each muscle the result has (1 gives a plain copy).
    nerve : str, optional
        Copy only the muscles this nerve node (and its mirror) supplies directly.

    Examples
    --------
    >>> import neurograph
    >>> G = more_muscles(neurograph.load_anatomy(), 3, nerve="R.radial.axilla")
    >>> [m for m in sorted(G.successors("L.radial.axilla")) if "triceps" in m]
    ['L.muscle.triceps_brachii', 'L.muscle.triceps_brachii_copy2', 'L.muscle.triceps_brachii_copy3']
    """
    _count("k", k, 1)
    if nerve is not None and nerve not in G:
        raise InvalidValueError("nerve", nerve, "a node of the anatomy")
    scaled = G.copy()
    if nerve is None:
        originals = [node for node, kind in G.nodes(data="kind") if kind == "muscle"]
    else:
        side, rest = _sided(nerve)
        originals = [
            muscle for supplier in _mirrored(rest) if supplier in G
            for muscle in G.successors(supplier) if G.nodes[muscle]["kind"] == "muscle"
        ]
    for muscle in sorted(set(originals)):
        data = G.nodes[muscle]
        for copy in range(2, k + 1):
            name = f"{muscle}_copy{copy}"
            attributes = {key: value for key, value in data.items() if key != "aliases"}
            attributes["label"] = f"{data['label']} copy {copy}"
            scaled.add_node(name, **attributes)
            for supplier, _, edge in G.in_edges(muscle, data=True):
                scaled.add_edge(supplier, name, **edge)
    return scaled


def more_layers(G: nx.DiGraph, layers: int) -> nx.DiGraph:
    """Return a copy of ``G`` in which every nerve branch to a muscle passes ``layers`` relay nodes.

    The edge ``nerve -> muscle`` becomes ``nerve -> relay 1 -> ... -> relay n -> muscle``; each
    relay is a nerve node like ``nerve`` carrying the branch's segments.

    Examples
    --------
    >>> import neurograph
    >>> G = more_layers(neurograph.load_anatomy(), 2)
    >>> list(G.predecessors("R.muscle.triceps_brachii"))
    ['R.layer2.radial.axilla.muscle.triceps_brachii']
    """
    _count("layers", layers, 0)
    scaled = G.copy()
    for supplier, muscle, edge in list(G.edges(data=True)):
        if G.nodes[supplier]["kind"] != "nerve" or G.nodes[muscle]["kind"] != "muscle":
            continue
        side, supplier_rest = _sided(supplier)
        _, muscle_rest = _sided(muscle)
        chain = [supplier]
        for layer in range(1, layers + 1):
            relay = f"{side}.layer{layer}.{supplier_rest}.{muscle_rest}"
            attributes = {key: value for key, value in G.nodes[supplier].items() if key != "aliases"}
            attributes.update(
                label=f"{G.nodes[supplier]['label']} relay {layer} to {G.nodes[muscle]['label']}",
                segments=edge["segments"],
            )
            scaled.add_node(relay, **attributes)
            chain.append(relay)
        if layers:
            scaled.remove_edge(supplier, muscle)
            for upper, lower in zip(chain, chain[1:]):
                scaled.add_edge(upper, lower, **{**edge, "kind": "motor_axon"})
            scaled.add_edge(chain[-1], muscle, **edge)
    return scaled


def _busiest_nerve_edge(G):
    """The right-sided nerve-to-nerve edge with the most muscles below it."""
    import networkx as nx

    edges = [
        (u, v) for u, v in G.edges
        if u.startswith("R.") and G.nodes[u]["kind"] == "nerve" and G.nodes[v]["kind"] == "nerve"
    ]
    if not edges:
        raise InvalidValueError("anatomy", "no nerve-to-nerve edge", "a nerve-to-nerve edge to replace by a lattice")

    def muscles_below(edge):
        return sum(1 for node in nx.descendants(G, edge[1]) if G.nodes[node]["kind"] == "muscle")

    return max(sorted(edges), key=muscles_below)


def nerve_lattice(G: nx.DiGraph, width: int, depth: int, *, edge: tuple[str, str] | None = None) -> nx.DiGraph:
    """Return a copy of ``G`` with a nerve-to-nerve edge replaced by a lattice of nerve nodes.

    The lattice has ``depth`` layers of ``width`` nodes. The upper nerve reaches every node of
    the first layer, node ``j`` of a layer reaches nodes ``j`` and ``j + 1`` (modulo ``width``)
    of the next, and every node of the last layer reaches the lower nerve: so there are
    ``width * 2 ** (depth - 1)`` routes across the lattice (``width ** depth`` when ``width`` is
    1 or 2), and, the lattice being the same seen from any of its columns, each node lies on
    the same share of them: ``1 / width`` (see :func:`lattice_share`).

    Parameters
    ----------
    G : networkx.DiGraph
    width, depth : int
        At least 1.
    edge : (str, str), optional
        The nerve-to-nerve edge to replace, on either side (its mirror is replaced too).
        By default the right-sided one with the most muscles below it.

    Returns
    -------
    networkx.DiGraph
        Lattice node ``(layer, j)`` of side ``S`` is ``S.lattice.<upper>.<layer>.<j>``.

    Examples
    --------
    >>> import neurograph
    >>> G = nerve_lattice(neurograph.load_anatomy(), 3, 2, edge=("R.radial.axilla", "R.radial.spiral_groove"))
    >>> sorted(G.successors("R.lattice.radial.axilla.1.0"))
    ['R.lattice.radial.axilla.2.0', 'R.lattice.radial.axilla.2.1']
    >>> neurograph.validate(G)
    []
    """
    _count("width", width, 1)
    _count("depth", depth, 1)
    upper, lower = _busiest_nerve_edge(G) if edge is None else edge
    if not G.has_edge(upper, lower) or G.nodes[upper]["kind"] != "nerve" or G.nodes[lower]["kind"] != "nerve":
        raise InvalidValueError("edge", (upper, lower), "a nerve-to-nerve edge of the anatomy")
    _, upper_rest = _sided(upper)
    _, lower_rest = _sided(lower)
    scaled = G.copy()
    for side in SIDES:
        above, below = f"{side}.{upper_rest}", f"{side}.{lower_rest}"
        if not G.has_edge(above, below):
            continue
        edge_data = G.edges[above, below]
        scaled.remove_edge(above, below)

        def node(layer, column, side=side):
            return f"{side}.lattice.{upper_rest}.{layer}.{column}"

        for layer in range(1, depth + 1):
            for column in range(width):
                attributes = {key: value for key, value in G.nodes[above].items() if key != "aliases"}
                attributes.update(
                    label=f"{G.nodes[above]['label']} lattice {layer}.{column}", segments=edge_data["segments"]
                )
                scaled.add_node(node(layer, column), **attributes)
        for column in range(width):
            scaled.add_edge(above, node(1, column), **edge_data)
            scaled.add_edge(node(depth, column), below, **edge_data)
            for layer in range(1, depth):
                for step in sorted({column, (column + 1) % width}):
                    scaled.add_edge(node(layer, column), node(layer + 1, step), **edge_data)
    return scaled


def lattice_share(width: int, depth: int) -> tuple[int, float]:
    """``(routes, share)``: routes across a :func:`nerve_lattice`, and the share through any one node.

    Counted by hand: ``width`` first nodes, then a choice of two successors at each of the
    ``depth - 1`` steps (one when ``width`` is 1).

    Examples
    --------
    >>> lattice_share(4, 3)
    (16, 0.25)
    """
    _count("width", width, 1)
    _count("depth", depth, 1)
    return width * min(width, 2) ** (depth - 1), 1.0 / width


def isolated_nodes(G: nx.DiGraph, count: int) -> nx.DiGraph:
    """Return a copy of ``G`` with ``count`` nerve nodes on each side, joined to nothing.

    They cite the reference of the first nerve of ``G``.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> len(isolated_nodes(G, 10)) - len(G)
    20
    """
    scaled = G.copy()
    scaled.add_nodes_from(_isolated(G, count))
    return scaled


def isolated_nodes_graphml(G: nx.DiGraph, count: int) -> bytes:
    """The GraphML of :func:`isolated_nodes` ``(G, count)``, written without building that graph.

    ``G``'s own GraphML with the isolated nodes' elements added as text: a file of hundreds of
    thousands of nodes in a second, for the tests and benchmarks of anatomies read from files.
    Reading it gives the nodes, in the order and with the attributes, that
    :func:`isolated_nodes` gives.

    Examples
    --------
    >>> import neurograph, tempfile, pathlib
    >>> G = neurograph.load_anatomy()
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = pathlib.Path(folder) / "isolated.graphml"
    ...     _ = path.write_bytes(isolated_nodes_graphml(G, 10))
    ...     read = neurograph.read_graphml(path)
    >>> list(read.nodes(data=True))[-20:] == list(isolated_nodes(G, 10).nodes(data=True))[-20:]
    True
    """
    import re
    from xml.sax.saxutils import escape

    from neurograph.io import graphml_bytes

    text = graphml_bytes(G).decode("utf-8")
    key_of = {name: key for key, name in re.findall(r'<key id="([^"]+)" for="node" attr\.name="([^"]+)"', text)}
    elements = "".join(
        f'    <node id="{escape(node)}">\n'
        + "".join(f'      <data key="{key_of[name]}">{escape(str(value))}</data>\n' for name, value in data.items())
        + "    </node>\n"
        for node, data in _isolated(G, count)
    )
    end = text.rindex("</graph>")
    return (text[:end] + elements.lstrip() + "  " + text[end:]).encode("utf-8")


def _isolated(G, count):
    """The ids and attributes of ``count`` isolated nerve nodes a side, copying ``G``'s first nerve's segments and reference."""
    _count("count", count, 0)
    template = next((data for _, data in sorted(G.nodes(data=True)) if data.get("kind") == "nerve"), None)
    if template is None:
        raise InvalidValueError("anatomy", "no nerve node", "a nerve node to copy")
    return [
        (
            f"{side}.isolated.{index}",
            {"kind": "nerve", "side": side, "nerve": "isolated", "segments": template["segments"],
             "label": f"isolated nerve {index}", "reference": template["reference"]},
        )
        for index in range(count) for side in SIDES
    ]
