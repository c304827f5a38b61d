"""Small helpers for tests: counting queries, a signed-in API client."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(fn, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn(*args, **kwargs)
    return len(ctx.captured_queries)


def api_key(user, scopes=None, *, days: int = 30) -> str:
    """A usable API key acting as `user` (any role, all scopes unless given): its full text,
    for `Authorization: Bearer <key>`."""
    from datetime import timedelta

    from django.utils import timezone

    from partner_center.accounts.permissions import PARTNER_ROLES
    from partner_center.apikeys.models import ApiKey, secret_digest
    from partner_center.apikeys.scopes import ALL_SCOPES, normalized
    from partner_center.apikeys.services import new_key_text

    full, prefix, secret = new_key_text()
    ApiKey.objects.create(
        user=user,
        partner_id=user.partner_id if user.role in PARTNER_ROLES else None,
        label="test",
        prefix=prefix,
        secret_digest=secret_digest(secret),
        scopes=normalized(ALL_SCOPES if scopes is None else scopes),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return full


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
