"""The size-bounded cache shared by the zip writer and the photo checks."""

from __future__ import annotations

from toolkit.core.lru import SizedLRU


def test_oldest_go_first_the_newest_always_stays() -> None:
    cache: SizedLRU[str, bytes] = SizedLRU(len)
    cache.put("a", b"1234", limit=10)
    cache.put("b", b"5678", limit=10)
    assert cache.get("a") == b"1234"  # now the newest: "b" is the oldest
    cache.put("c", b"90", limit=9)  # 10 bytes kept would be one too many
    assert list(cache.values()) == [b"1234", b"90"]
    assert cache.get("b") is None
    cache.put("big", b"x" * 50, limit=10)  # bigger than the limit alone: kept, the rest dropped
    assert list(cache.values()) == [b"x" * 50]
    cache.put("big", b"y", limit=10)  # replacing counts the old size out
    cache.put("d", b"123456789", limit=10)
    assert list(cache.values()) == [b"y", b"123456789"]
    cache.clear()
    assert list(cache.values()) == []
