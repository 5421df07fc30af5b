"""The graph class of loaded anatomies: a networkx DiGraph whose attribute dicts count their writes.

:func:`neurograph.load_anatomy` and :func:`neurograph.read_graphml` return an
:class:`AnatomyGraph`. It is a :class:`networkx.DiGraph` in every way (``G.copy()``,
``G.reverse()`` and ``G.subgraph(...).copy()`` are AnatomyGraphs too), except that each node,
edge and graph attribute dict is a :class:`WriteCountingDict`: every write to one (``G.nodes[n]
["segments"] = ...``, ``G.edges[u, v].update(...)``, ``G.graph.pop(...)``) advances one
process-wide counter, :func:`attribute_writes`. That lets :mod:`neurograph.cache` tell in
constant time that no attribute of a graph can have changed since its results were computed;
any other networkx graph works as well and is compared by content instead (see that module).
An :class:`UnchangedMark` uses the same counter to tell that a graph has not been edited at all
since a check passed on it.
"""

from __future__ import annotations

from typing import Any, Self

import networkx as nx

__all__ = ["AnatomyGraph", "WriteCountingDict", "attribute_writes", "UnchangedMark"]

_writes = 0


def attribute_writes() -> int:
    """How many writes all :class:`WriteCountingDict` objects have taken so far.

    Examples
    --------
    >>> G = AnatomyGraph()
    >>> G.add_node("x", label="x")
    >>> before = attribute_writes()
    >>> G.nodes["x"]["label"] = "y"
    >>> attribute_writes() > before
    True
    """
    return _writes


def _count() -> None:
    global _writes
    _writes += 1


class WriteCountingDict(dict[Any, Any]):
    """A dict that advances :func:`attribute_writes` on every change.

    Examples
    --------
    >>> data = WriteCountingDict(kind="muscle")
    >>> before = attribute_writes()
    >>> data |= {"side": "L"}
    >>> data, attribute_writes() - before
    ({'kind': 'muscle', 'side': 'L'}, 1)
    """

    __slots__ = ()

    def __setitem__(self, key: Any, value: Any) -> None:
        _count()
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        _count()
        dict.__delitem__(self, key)

    # Typed as dict's own __ior__; mypy compares it with dict.__or__'s overloads, which return a
    # plain dict, and reports a mismatch that dict itself has.
    def __ior__(self, other: Any) -> Self:  # type: ignore[misc]
        _count()
        return dict.__ior__(self, other)

    def update(self, *args: Any, **kwargs: Any) -> None:
        _count()
        dict.update(self, *args, **kwargs)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        _count()
        return dict.setdefault(self, key, default)

    def pop(self, *args: Any) -> Any:
        _count()
        return dict.pop(self, *args)

    def popitem(self) -> tuple[Any, Any]:
        _count()
        return dict.popitem(self)

    def clear(self) -> None:
        _count()
        dict.clear(self)


class AnatomyGraph(nx.DiGraph):
    """A :class:`networkx.DiGraph` whose node, edge and graph attribute dicts count their writes.

    ``AnatomyGraph(G)`` converts any directed graph (a copy, with its attributes).

    Examples
    --------
    >>> import networkx as nx
    >>> G = AnatomyGraph(nx.DiGraph([("a", "b")]))
    >>> isinstance(G, nx.DiGraph), type(G.edges["a", "b"]).__name__
    (True, 'WriteCountingDict')
    """

    node_attr_dict_factory = WriteCountingDict
    edge_attr_dict_factory = WriteCountingDict
    graph_attr_dict_factory = WriteCountingDict


class UnchangedMark:
    """Tells in constant time whether an :class:`AnatomyGraph` is exactly as it was when marked.

    The structure: networkx empties ``G.__networkx_cache__`` on every structural edit, and the
    mark leaves a token there. The attributes: no :class:`WriteCountingDict` anywhere has been
    written since (:func:`attribute_writes`), and the graph attribute dict is the same object.
    Only a graph whose attribute values cannot change in place (strings and numbers, as
    :func:`neurograph.read_graphml` gives) may be marked: a list value could change unseen.

    Examples
    --------
    >>> G = AnatomyGraph()
    >>> G.add_node("x", label="x")
    >>> mark = UnchangedMark(G, "example")
    >>> mark.holds(G)
    True
    >>> G.nodes["x"]["label"] = "y"
    >>> mark.holds(G)
    False
    """

    __slots__ = ("key", "token", "writes", "graph_attributes")

    def __init__(self, G: AnatomyGraph, key: str) -> None:
        if type(G) is not AnatomyGraph:
            raise TypeError(f"only an AnatomyGraph can be marked, not a {type(G).__name__}")
        self.key, self.token, self.writes, self.graph_attributes = key, object(), _writes, G.graph
        G.__networkx_cache__[key] = self.token

    def holds(self, G: Any) -> bool:
        """Whether ``G`` is the graph marked, unchanged since."""
        return (
            type(G) is AnatomyGraph and _writes == self.writes and G.graph is self.graph_attributes
            and G.__networkx_cache__.get(self.key) is self.token
        )
