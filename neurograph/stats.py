"""Counts that summarise an anatomy graph."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["anatomy_stats", "format_stats"]


def anatomy_stats(G: nx.DiGraph) -> dict[str, Any]:
    """Count the nodes and edges of an anatomy graph by kind.

    Parameters
    ----------
    G : networkx.DiGraph

    Returns
    -------
    dict
        ``{"nodes": int, "edges": int, "node_kinds": {kind: n}, "edge_kinds": {kind: n},
        "muscles_per_side": {side: n}, "data_version": str}``

    Examples
    --------
    >>> import neurograph
    >>> stats = anatomy_stats(neurograph.load_anatomy())
    >>> stats["node_kinds"]["anterior_horn"]
    62
    """
    node_kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    edge_kinds = Counter(kind for _, _, kind in G.edges(data="kind"))
    muscles_per_side = Counter(d["side"] for _, d in G.nodes(data=True) if d.get("kind") == "muscle")
    return {
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "node_kinds": dict(sorted(node_kinds.items())),
        "edge_kinds": dict(sorted(edge_kinds.items())),
        "muscles_per_side": dict(sorted(muscles_per_side.items())),
        "data_version": G.graph.get("data_version", ""),
    }


def format_stats(stats: Mapping[str, Any]) -> str:
    """Render :func:`anatomy_stats` as aligned text lines.

    Examples
    --------
    >>> print(format_stats({"nodes": 2, "edges": 1, "node_kinds": {"muscle": 2},
    ...                     "edge_kinds": {"innervates": 1}, "muscles_per_side": {"L": 1, "R": 1},
    ...                     "data_version": "1.0.0"}))
    anatomy data version 1.0.0
    nodes: 2
      muscle          2
    edges: 1
      innervates      1
    muscles per side: L 1, R 1
    """
    lines = [f"anatomy data version {stats['data_version']}", f"nodes: {stats['nodes']}"]
    lines += [f"  {kind:<15} {count}" for kind, count in stats["node_kinds"].items()]
    lines.append(f"edges: {stats['edges']}")
    lines += [f"  {kind:<15} {count}" for kind, count in stats["edge_kinds"].items()]
    lines.append("muscles per side: " + ", ".join(f"{side} {n}" for side, n in stats["muscles_per_side"].items()))
    return "\n".join(lines)
