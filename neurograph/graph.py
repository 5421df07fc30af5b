"""The graph class of loaded anatomies: a networkx DiGraph whose attribute dicts count their writes.

:func:`neurograph.load_anatomy` and :func:`neurograph.read_graphml` return an
:class:`AnatomyGraph`. It is a :class:`networkx.DiGraph` in every way (``G.copy()``,
``G.reverse()`` and ``G.subgraph(...).copy()`` are AnatomyGraphs too), except that each node,
edge and graph attribute dict is a :class:`WriteCountingDict`: every write to one (``G.nodes[n]
["segments"] = ...``, ``G.edges[u, v].update(...)``, ``G.graph.pop(...)``) advances one
process-wide counter, :func:`attribute_writes`. That lets :mod:`neurograph.cache` tell in
constant time that no attribute of a graph can have changed since its results were computed;
any other networkx graph works as well and is compared by content instead (see that module).
"""

from __future__ import annotations

from typing import Any, Self

import networkx as nx

__all__ = ["AnatomyGraph", "WriteCountingDict", "attribute_writes"]

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
