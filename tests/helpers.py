"""Small helpers for tests: counting queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn(*args, **kwargs)
    return len(ctx.captured_queries)
