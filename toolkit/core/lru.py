"""A per-process cache of the most recently used values, bounded by their total size.

For work a build repeats on the same bytes (deflating the template's members, checking a
release's photo for each language and renderer) but whose results are too big to keep all
of: the newest value always stays, the oldest go first once the total passes the limit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class SizedLRU(Generic[K, V]):
    def __init__(self, size: Callable[[V], int]) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._total = 0

    def get(self, key: K) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: K, value: V, *, limit: int) -> None:
        """Keep ``value`` as the newest; drop the oldest while more than ``limit`` is kept."""
        old = self._items.pop(key, None)
        if old is not None:
            self._total -= self._size(old)
        self._items[key] = value
        self._total += self._size(value)
        while self._total > limit and len(self._items) > 1:
            _, dropped = self._items.popitem(last=False)
            self._total -= self._size(dropped)

    def values(self) -> Iterator[V]:
        return iter(self._items.values())

    def clear(self) -> None:
        self._items.clear()
        self._total = 0
