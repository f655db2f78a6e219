"""The crosswalk between years' instruments, as pure data: which codes are one question over time.

Nothing here imports Django. Each link says how a question (or OIT item) of an earlier year's
version continues in a later one: the same code, renumbered, merged with others, split, or
dropped. A per-question trend follows the links, both forward and back, rather than matching
codes, so I14 of one year meets its renumbered successor the next year and a dropped item ends
its line instead of meeting an unrelated question that reuses its code.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass

# A question of one year's version: (fiscal year, code).
Node = tuple[int, str]


@dataclass(frozen=True)
class Link:
    earlier: Node
    later: Node | None
    kind: str


def lineage(links: Iterable[Link], start: Node) -> dict[int, tuple[str, ...]]:
    """Return, by fiscal year, the codes that are the same question as start, oldest year first.

    The start year keeps only the start code (a question merged with it is a sibling, not it);
    other years may hold several codes where questions were merged or split.
    """
    edges: dict[Node, set[Node]] = defaultdict(set)
    for link in links:
        if link.later is not None:
            edges[link.earlier].add(link.later)
            edges[link.later].add(link.earlier)
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in sorted(edges[node]):
            if neighbour in seen or neighbour[0] == start[0]:
                continue
            seen.add(neighbour)
            queue.append(neighbour)
    years: dict[int, list[str]] = defaultdict(list)
    for year, code in seen:
        years[year].append(code)
    return {year: tuple(sorted(years[year])) for year in sorted(years)}
