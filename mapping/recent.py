"""A small thread-safe store of the most recently used results, for work keyed on content."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Recent"]

K = TypeVar("K", bound=Hashable)
T = TypeVar("T")


class Recent(Generic[K, T]):
    """Up to ``size`` results (of type ``T``) by key (of type ``K``); the least recently used
    drops out first.

    >>> kept = Recent(2)
    >>> kept.put("a", 1); kept.put("b", 2); kept.get("a"); kept.put("c", 3)
    1
    >>> kept.get("b") is None, kept.get("a"), kept.get("c")
    (True, 1, 3)
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> T | None:
        """The result kept for ``key`` (now the most recently used), or ``None``."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: T) -> None:
        """Keep ``value`` for ``key``."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def drop(self, where: Callable[[K], bool]) -> int:
        """Forget every result whose key ``where`` accepts; return how many were forgotten.

        >>> kept = Recent(4)
        >>> for key in ("a1", "a2", "b1"): kept.put(key, key)
        >>> kept.drop(lambda key: key.startswith("a")), kept.items()
        (2, [('b1', 'b1')])
        """
        with self._lock:
            gone = [key for key in self._items if where(key)]
            for key in gone:
                del self._items[key]
            return len(gone)

    def items(self) -> list[tuple[K, T]]:
        """Every kept key and result, the least recently used first."""
        with self._lock:
            return list(self._items.items())

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
