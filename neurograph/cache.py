"""Per-graph caches: every result follows the graph's current state.

The engine works from tables derived from a graph (the route table, the name index, the site
atlas, each reflex's normal finding). Building them takes tens to hundreds of milliseconds, a
simulation well under one, so they are built once per *state* of a graph and kept here, and
nowhere else. A state is everything a result may depend on: the nodes, the edges and every
node, edge and graph attribute. No public function returns anything computed from a state other
than the current one, whatever the user edited and however, and without the user calling
anything. The first call on each state also runs :func:`neurograph.validation.require_valid`,
and the verdict is kept with the state: a valid state is not checked again, an invalid one
raises the same :class:`~neurograph.errors.InvalidAnatomyError` on every call.

How a state is recognised, on every public call:

1. **Structure.** networkx empties ``G.__networkx_cache__`` whenever a node or an edge is added
   or removed through the graph's methods (``add_edge``, ``remove_node``, ``update``,
   ``clear``...). A state leaves a token there; a missing token means the structure changed.
   ``nx.freeze`` only makes the structure read-only (attributes stay writable), so frozen
   graphs need nothing special. The token is trusted only where nothing else can change the
   structure: a graph of class :class:`networkx.DiGraph` or
   :class:`~neurograph.graph.AnatomyGraph` that owns plain dicts (not a view, whose parent may
   change under it, and not a subclass that may override the methods).
2. **Attributes**, edited in place (``G.nodes[n]["segments"] = ...``, ``G.edges[u, v][...]``,
   ``G.graph[...]``), which networkx does not notice. A state keeps a snapshot: the graph's
   attribute dicts and a copy of each (nested values, such as a list, copied deeply). The dicts
   are compared with their copies as one flat list, all in C (``live == copies``): about
   1.7 ms on the packaged anatomy of data 4.4.0 (comparing ``G._node`` and ``G._succ`` with
   nested copies took over four times as long), several times a simulation. So graphs loaded by
   :func:`neurograph.load_anatomy` skip it: they are :class:`~neurograph.graph.AnatomyGraph`\\ s,
   whose attribute dicts count every write (:func:`~neurograph.graph.attribute_writes`). When
   no write happened since the snapshot, the comparison is skipped (about 0.5 µs a call);
   after any write it runs once (the write may have been to another graph, or may have put
   back the same value). Counting covers the dicts' own methods; a value that is itself
   mutable (a list) could change without them, so a graph holding one is always compared.
3. **Anything else** (a subgraph view, a graph subclass): the graph's nodes, edges and
   attributes are copied out through its public views and compared with the snapshot's whole,
   each call. A graph class without hashing or weak references is checked on every call and
   nothing is kept for it.

What no check sees is a change made behind networkx's back: assigning into the private
``G._node``, ``G._succ`` or ``G._pred``, or, on an AnatomyGraph, writing around the dict's own
methods (``dict.__setitem__(G.nodes[n], key, value)``).

**Tables derived from values, not graphs** (the examination model's log-likelihoods per phase)
are kept here too, by :func:`derived_from_values`: keyed by the values themselves, so that a
model edited in place, or another model with other probabilities, never reads a table made
from different ones.
:func:`clear_cache` drops a graph's state, to free its memory; results never depend on calling
it.

**Results outlive states.** A result (:class:`~neurograph.results.LesionResult`,
:class:`~neurograph.localization.Localization`) keeps the state it was computed from, and every
later call that reads the anatomy for it (``result.muscle(name)``, ``result.to_table(
include_normal=True)``, ``result.isncsci()``, drawing it, :func:`~neurograph.engine.node_effects`)
reads it through :meth:`GraphState.computed_graph`: the graph itself while it is unchanged, and
after an edit a read-only copy of it as it was, rebuilt from the state's snapshot (which a state
keeps anyway, so a simulation copies nothing more). An old result therefore answers, draws and
looks names up exactly as it did before the edit, never with the edited graph's labels or edges
and never with a mixture; the copy shares the state's route table and name index, so nothing is
rebuilt. Should the copy itself be edited (it is reachable as ``result.graph``), or a result be
given with another graph (``draw_lesion(other, result)``), the call raises
:class:`~neurograph.errors.StaleResultError` instead.
"""

from __future__ import annotations

import copy
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import networkx as nx

from neurograph.errors import InvalidAnatomyError, InvalidValueError, StaleResultError
from neurograph.graph import AnatomyGraph, WriteCountingDict, attribute_writes
from neurograph.validation import require_valid

__all__ = ["GraphState", "graph_state", "derived", "derived_from_values", "clear_cache"]

#: The key of a state's token in ``G.__networkx_cache__``.
TOKEN_KEY = "neurograph"
# Values that cannot change in place: a snapshot may share them with the graph.
_IMMUTABLE = (str, int, float, bool, type(None), bytes, complex)

_STATES: weakref.WeakKeyDictionary[Any, GraphState] = weakref.WeakKeyDictionary()
#: What a derived value is.
Derived = TypeVar("Derived")
#: How many tables derived from values (:func:`derived_from_values`) are kept: the most recently used.
VALUE_TABLES_KEPT = 16
_FROM_VALUES: OrderedDict[tuple[Any, ...], Any] = OrderedDict()


class GraphState:
    """One state of one graph: its snapshot, its validity, and what was derived from it."""

    def __init__(self, G: nx.DiGraph) -> None:
        self._graph: Callable[[], Any]
        try:
            self._graph = weakref.ref(G)
        except TypeError:  # not kept either (see graph_state): holding the graph keeps nothing alive
            self._graph = lambda: G
        self.token = object()
        self.method = _method(G)
        self.graph_attributes = G.graph
        if self.method == "full":
            self.snapshot = _content(G)
        else:
            self.nodes = list(G._node)
            self.edges = [(u, v) for u, targets in G._succ.items() for v in targets]
            self.live = [*G._node.values(), *(data for targets in G._succ.values() for data in targets.values()), G.graph]
            self.copies = [_copy(data) for data in self.live]
            if self.method == "counted" and not all(
                type(data) is WriteCountingDict and all(type(value) in _IMMUTABLE for value in data.values())
                for data in self.live
            ):
                self.method = "compared"
            self.writes = attribute_writes()
            G.__networkx_cache__[TOKEN_KEY] = self.token
        self.violations: tuple[Any, ...] | None = None
        self.values: dict[Callable[[nx.DiGraph], Any], Any] = {}
        #: The read-only copy standing in for the graph once it has left this state, and its state.
        self.stand_in: tuple[nx.DiGraph, GraphState] | None = None

    def is_current(self, G: nx.DiGraph) -> bool:
        """Whether ``G`` is still in this state (see the module's description)."""
        if self.method == "full":
            return _content(G) == self.snapshot
        if G.__networkx_cache__.get(TOKEN_KEY) is not self.token or G.graph is not self.graph_attributes:
            return False
        if self.method == "counted" and attribute_writes() == self.writes:
            return True
        if self.live != self.copies:
            return False
        self.writes = attribute_writes()
        return True

    def computed_graph(self, result: str, given: Any = None) -> nx.DiGraph:
        """The graph as it was in this state, for a result computed from it.

        While the graph is still in this state, that is the graph itself. Once it has been
        edited (or dropped), it is a read-only copy rebuilt from the state's snapshot, made on
        first need and kept: the result keeps answering exactly as before the edit, never from
        the edited graph, and nothing is copied until then. The copy's state shares what was
        derived from this one (the route table...), so reading it costs no rebuild.

        Parameters
        ----------
        result : str
            The result, in words, for the error.
        given : networkx.DiGraph, optional
            A graph a caller passed along with the result (``draw_lesion(G, result)``): it must
            be the one the result was computed on, edited or not, or its stand-in.

        Raises
        ------
        StaleResultError
            If ``given`` is another graph, or the stand-in copy was edited.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> state = graph_state(G)
        >>> state.computed_graph("a result") is G
        True
        >>> G.nodes["R.muscle.triceps_brachii"]["label"] = "triceps"
        >>> old = state.computed_graph("a result")
        >>> old is G, old.nodes["R.muscle.triceps_brachii"]["label"]
        (False, 'triceps brachii (right)')
        >>> state.computed_graph("a result", given=G) is old
        True
        """
        live = self._graph()
        if given is not None and given is not live and (self.stand_in is None or given is not self.stand_in[0]):
            raise StaleResultError(result, "it was computed on another graph than the one given with it")
        if self.stand_in is None:
            if live is not None and self.is_current(live):
                return live
            self.stand_in = self._stand_in()
        copy, state = self.stand_in
        if not state.is_current(copy):
            raise StaleResultError(result, "the copy of the anatomy it was computed from has been edited")
        _STATES[copy] = state  # again, should clear_cache have dropped it
        return copy

    def __getstate__(self) -> dict[str, Any]:
        # A pickled state (with a pickled result) keeps its snapshot only: not the graph (held
        # weakly), nor the live attribute dicts, nor what was derived (rebuilt on need). Once
        # unpickled, it reads the anatomy through its stand-in copy.
        kept = dict(self.__dict__, values={}, stand_in=None, graph_attributes=None)
        kept.pop("_graph")
        kept.pop("live", None)
        return kept

    def __setstate__(self, kept: dict[str, Any]) -> None:
        self.__dict__.update(kept)
        self._graph = _no_graph

    def _stand_in(self):
        """A frozen AnatomyGraph with this state's content, and its state sharing this one's values."""
        if self.method == "full":
            _, graph_attributes, nodes, edges = self.snapshot
            node_items, edge_items = nodes.items(), edges.items()
        else:
            graph_attributes = self.copies[-1]
            node_items = zip(self.nodes, self.copies)
            edge_items = zip(self.edges, self.copies[len(self.nodes):])
        copy = AnatomyGraph()
        copy.graph.update(_copy(graph_attributes))
        copy.add_nodes_from((node, _copy(data)) for node, data in node_items)
        copy.add_edges_from((u, v, _copy(data)) for (u, v), data in edge_items)
        nx.freeze(copy)
        state = GraphState(copy)
        state.values, state.violations = self.values, self.violations
        return copy, state

    def derived(self, build: Callable[[nx.DiGraph], Derived]) -> Derived:
        """``build(G)``, computed once per state.

        Examples
        --------
        >>> import neurograph
        >>> G = neurograph.load_anatomy()
        >>> state = graph_state(G)
        >>> state.derived(len) == len(G) and state.derived(len) is state.derived(len)
        True
        """
        try:
            return self.values[build]
        except KeyError:
            value = self.values[build] = build(self._graph())
            return value


def _no_graph() -> None:
    """The graph of an unpickled state: none (see GraphState.__getstate__)."""
    return None


def _method(G):
    """How a graph's state is recognised: ``counted``, ``compared`` or ``full``."""
    owned = (
        type(G) in (nx.DiGraph, AnatomyGraph)
        and isinstance(getattr(G, "__networkx_cache__", None), dict)
        and all(type(getattr(G, name, None)) is dict for name in ("_node", "_succ", "_pred"))
    )
    if not owned:
        return "full"
    return "counted" if type(G) is AnatomyGraph else "compared"


def _copy(data):
    return {key: value if type(value) in _IMMUTABLE else copy.deepcopy(value) for key, value in data.items()}


def _content(G):
    """Everything a state is made of, copied out through the public views."""
    return (
        type(G), _copy(G.graph), {node: _copy(data) for node, data in G.nodes(data=True)},
        {(u, v): _copy(data) for u, v, data in G.edges(data=True)},
    )


def graph_state(G: nx.DiGraph) -> GraphState:
    """The current, validated state of ``G``: a new one after any edit.

    Raises
    ------
    InvalidAnatomyError
        If ``G`` breaks the rules :func:`neurograph.validation.validate` checks (on every call
        until it is fixed).
    InvalidValueError
        If ``G`` is not a networkx directed graph.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> state = graph_state(G)
    >>> graph_state(G) is state
    True
    >>> G.graph["note"] = "edited"
    >>> graph_state(G) is state
    False
    """
    try:
        state, kept = _STATES.get(G), True
    except TypeError:  # a graph class without hashing or weak references: nothing is kept for it
        state, kept = None, False
    if state is None or not state.is_current(G):
        if not isinstance(G, nx.DiGraph):
            raise InvalidValueError("anatomy", type(G).__name__, "a networkx DiGraph")
        state = GraphState(G)
        try:
            require_valid(G)
        except InvalidAnatomyError as error:
            state.violations = error.violations
        if kept:
            _STATES[G] = state
    if state.violations is not None:
        raise InvalidAnatomyError(state.violations)
    return state


def derived(G: nx.DiGraph, build: Callable[[nx.DiGraph], Derived]) -> Derived:
    """``build(G)``, kept with the current state of ``G`` (see :meth:`GraphState.derived`).

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> derived(G, len) == G.number_of_nodes()
    True
    >>> G.remove_node("R.muscle.triceps_brachii")
    >>> derived(G, len)
    Traceback (most recent call last):
    ...
    neurograph.errors.InvalidAnatomyError: the anatomy is not valid: ...
    """
    return graph_state(G).derived(build)


def derived_from_values(build: Callable[..., Derived], *values: Hashable) -> Derived:
    """``build(*values)``, kept for later calls with equal values (the last
    :data:`VALUE_TABLES_KEPT` kept).

    For a table that depends on no graph but on values, such as the examination model's
    probabilities and the phase. The values are the key: they must hold by value (never an
    object's identity) everything the table is made from, so that equal values give the same
    table and a changed value another.

    Examples
    --------
    >>> derived_from_values(sorted, (3, 1, 2)) is derived_from_values(sorted, (3, 1, 2))
    True
    >>> derived_from_values(sorted, (3, 1, 4))
    [1, 3, 4]
    """
    key = (build, *values)
    try:
        _FROM_VALUES.move_to_end(key)
        return _FROM_VALUES[key]
    except KeyError:
        value = _FROM_VALUES[key] = build(*values)
        if len(_FROM_VALUES) > VALUE_TABLES_KEPT:
            _FROM_VALUES.popitem(last=False)
        return value


def clear_cache(G: nx.DiGraph) -> None:
    """Drop everything kept for ``G`` (to free its memory); later calls rebuild it.

    Results never depend on calling this: every public function notices any edit of the
    graph by itself.

    Examples
    --------
    >>> import neurograph
    >>> G = neurograph.load_anatomy()
    >>> state = graph_state(G)
    >>> clear_cache(G)
    >>> graph_state(G) is state
    False
    """
    try:
        _STATES.pop(G, None)
    except TypeError:  # never kept (see graph_state)
        pass
