"""Small helpers for tests: counting queries, a signed-in API client."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn(*args, **kwargs)
    return len(ctx.captured_queries)


def api_client(user):
    """An API client signed in as `user` (force-authenticated)."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def wait_for_a_lock_waiter(tries: int = 500) -> bool:
    """Until some connection waits on a PostgreSQL advisory lock (a concurrent request
    blocked behind another's): True when seen, False after `tries` × 20 ms."""
    import threading

    pause = threading.Event()
    for _ in range(tries):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            )
            if cursor.fetchone()[0]:
                return True
        pause.wait(0.02)
    return False
