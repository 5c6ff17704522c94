"""A thread-safe in-memory segment store and id counter."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable

from .messages import JsonObject

__all__ = ["IdCounter", "SegmentStore"]


def _clone(segment: JsonObject) -> JsonObject:
    # A JSON round trip is a deep copy that no caller can alias, and runs in C (bodies are depth-capped).
    clone: JsonObject = json.loads(json.dumps(segment))
    return clone


class IdCounter:
    """Hands out increasing positive integers, once each, from any thread."""

    def __init__(self, start: int) -> None:
        self._next = start
        self._lock = threading.Lock()

    def take(self) -> int:
        """The next unused number."""
        with self._lock:
            value = self._next
            self._next += 1
            return value


class SegmentStore:
    """Segments by id; every read and write copies, so stored state changes only through this class."""

    def __init__(self, segments: Iterable[JsonObject] = ()) -> None:
        self._lock = threading.Lock()
        self._segments: dict[str, JsonObject] = {str(s["id"]): _clone(s) for s in segments}

    def get(self, segment_id: str) -> JsonObject | None:
        """A copy of segment `segment_id`, or None."""
        # Stored dicts are replaced, never mutated, so copying them after the lock is released is safe.
        with self._lock:
            found = self._segments.get(segment_id)
        return None if found is None else _clone(found)

    def add(self, segment: JsonObject) -> None:
        """Store `segment` under its id (ids come from IdCounter, so never clash)."""
        stored = _clone(segment)
        with self._lock:
            self._segments[str(stored["id"])] = stored

    def delete(self, segment_id: str) -> bool:
        """Remove segment `segment_id`; False if it was not there."""
        with self._lock:
            return self._segments.pop(segment_id, None) is not None

    def ids(self) -> set[str]:
        """The ids currently stored."""
        with self._lock:
            return set(self._segments)

    def all(self) -> list[JsonObject]:
        """Copies of every segment, in increasing numeric id order."""
        return self.copied(self.shared())

    def shared(self) -> list[JsonObject]:
        """The stored segments themselves, in increasing numeric id order: to read, never to change.

        A list request filters every segment but returns one page; copying only that page keeps a listing
        of a large store cheap.
        """
        with self._lock:
            segments = list(self._segments.values())
        return sorted(segments, key=lambda s: int(s["id"]))

    @staticmethod
    def copied(segments: Iterable[JsonObject]) -> list[JsonObject]:
        """Copies of `segments` (read from shared()), which a caller may change."""
        return [_clone(s) for s in segments]
