"""Small helpers for tests: counting queries."""

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
