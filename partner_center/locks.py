"""Named locks held across a request: PostgreSQL session advisory locks (every process and
server sees them; released at the latest when the connection closes), or, on other
databases (the SQLite demo: one process), one process-wide re-entrant lock.

Used by idempotent requests (a duplicate waits for the first) and by `If-Match` writes
(the ETag check and the write happen under the object's lock)."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_LOCAL_LOCK = threading.RLock()


def lock_id(name: str) -> int:
    """A signed 64-bit id for `name` (what pg_advisory_lock takes)."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def named_lock(name: str) -> Iterator[None]:
    """Hold the lock called `name` for the block; waits while another request holds it."""
    if connection.vendor != "postgresql":
        with _LOCAL_LOCK:
            yield
        return
    key = lock_id(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
