"""Sessions: one UserSession row per sign-in, idle expiry, an absolute lifetime, and signing
out other sessions. Ending sessions relies on the user's `session_epoch`, which is part of
the hash Django checks on every request, so it works with any session engine at no cost per
request."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model, logout, update_session_auth_hash
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from partner_center.audit.services import record_event

from .mfa import Verb, is_staff_user
from .models import UserSession, key_digest

SEEN_AT = "pc_seen_at"  # unix time of the last request that refreshed it
SIGNED_IN_AT = "pc_signed_in_at"
REFRESH_SECONDS = 60
KEEP_ENDED_DAYS = 30


def idle_timeout(user) -> timedelta | None:
    if is_staff_user(user):
        return settings.SESSION_IDLE_TIMEOUT_STAFF
    return settings.SESSION_IDLE_TIMEOUT_PARTNER


def client_address(request) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or None


def current_digest(request) -> str:
    if not request.session.session_key:
        request.session.save()
    return key_digest(request.session.session_key)


def session_started(request, user) -> UserSession:
    """Called at sign-in (Django's user_logged_in)."""
    now = timezone.now()
    request.session[SIGNED_IN_AT] = request.session[SEEN_AT] = time.time()
    UserSession.objects.filter(
        user=user, last_seen_at__lt=now - timedelta(days=KEEP_ENDED_DAYS)
    ).delete()
    row, _ = UserSession.objects.update_or_create(
        key_digest=current_digest(request),
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ended_at": None,
        },
    )
    return row


def session_ended(request, user) -> None:
    """Called at sign-out (Django's user_logged_out), before the session is flushed."""
    if user is not None and request.session.session_key:
        UserSession.objects.filter(
            user=user, key_digest=key_digest(request.session.session_key), ended_at=None
        ).update(ended_at=timezone.now())


def expired_reason(request, user, now: float) -> str | None:
    """ "idle" or "lifetime" when the session must end now, else None."""
    session = request.session
    signed_in = session.get(SIGNED_IN_AT)
    lifetime = settings.SESSION_ABSOLUTE_LIFETIME
    if lifetime and signed_in and now - signed_in > lifetime.total_seconds():
        return "lifetime"
    idle = idle_timeout(user)
    seen = session.get(SEEN_AT)
    if idle and seen and now - seen > idle.total_seconds():
        return "idle"
    return None


def touch(request, user, now: float) -> None:
    """Refresh the last-activity time, at most once a minute (a session write and one
    UPDATE), and recreate the row if the session key changed since sign-in."""
    session = request.session
    seen = session.get(SEEN_AT)
    if seen is not None and now - seen < REFRESH_SECONDS:
        return
    session[SEEN_AT] = now
    session.setdefault(SIGNED_IN_AT, now)
    digest = current_digest(request)
    updated = UserSession.objects.filter(key_digest=digest, user=user, ended_at=None).update(
        last_seen_at=timezone.now()
    )
    if not updated:
        session_started_again(request, user, digest)


def session_started_again(request, user, digest: str) -> None:
    UserSession.objects.update_or_create(
        key_digest=digest,
        defaults={
            "user": user,
            "last_seen_at": timezone.now(),
            "ip_address": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "ended_at": None,
        },
    )


def active_sessions(user):
    """The user's sessions that may still be in use, newest activity first."""
    now = timezone.now()
    rows = UserSession.objects.filter(user=user, ended_at=None)
    idle = idle_timeout(user)
    if idle:
        rows = rows.filter(last_seen_at__gte=now - idle)
    if settings.SESSION_ABSOLUTE_LIFETIME:
        rows = rows.filter(created_at__gte=now - settings.SESSION_ABSOLUTE_LIFETIME)
    return rows.order_by("-last_seen_at")


@transaction.atomic
def sign_out_other_sessions(*, request) -> int:
    """End every session of the user but this one."""
    user = request.user
    get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    old = current_digest(request)
    update_session_auth_hash(request, user)  # keeps this session, with a new key
    new = current_digest(request)
    UserSession.objects.filter(key_digest=old).update(key_digest=new)
    return (
        UserSession.objects.filter(user=user, ended_at=None)
        .exclude(key_digest=new)
        .update(ended_at=timezone.now())
    )


@transaction.atomic
def sign_out_everywhere(*, request) -> None:
    """End every session of the user, this one included."""
    user = request.user
    get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    UserSession.objects.filter(user=user, ended_at=None).update(ended_at=timezone.now())
    record_event(
        actor=user, subject=user, verb=Verb.SIGNED_OUT_EVERYWHERE, partner_id=user.partner_id
    )
    logout(request)


@transaction.atomic
def sign_out_users_everywhere(*, user_ids: set[int]) -> int:
    """Admin: end every session of these users (a lost laptop, a person who left)."""
    from django.contrib.auth import get_user_model

    count = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .update(session_epoch=F("session_epoch") + 1)
    )
    UserSession.objects.filter(user_id__in=user_ids, ended_at=None).update(ended_at=timezone.now())
    return count
