"""Idempotent API writes (README "Idempotent requests").

Any POST, PUT, PATCH or DELETE under /api/ may carry an `Idempotency-Key` header (1–255
printable ASCII characters, e.g. a UUID). The first response to it — status, body, content
type and a few headers — is stored for the signed-in user and that key, with the method,
path and a hash of the body. For 24 hours a retry with the same key gets that stored
response again (header `Idempotent-Replayed: true`), even when the object changed since:
the write never runs twice. The same key with another method, path or body answers 422
`idempotency_key_reused`. A duplicate sent while the first is still running waits for it
(a PostgreSQL advisory lock on user and key), then replays its response.

Only successful answers (2xx, 3xx) are stored. A refused request (4xx: invalid, not
allowed, conflict, stale If-Match, rate limited) changed nothing — services write in one
transaction or not at all — so a retry with the same key, corrected or not, runs again;
a 5xx too. Calls without the header, or that are not signed in, work as before. Keys are
per user: two users may use the same key. Expired responses are deleted hourly (beat task
`partner_center.idempotency.tasks.sweep`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from partner_center.api import API_PREFIX, error_body
from partner_center.locks import named_lock

from .models import StoredResponse

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_HEADERS = ("Location", "Content-Disposition", "Content-Language", "ETag", "Vary")
UTF8 = {"ensure_ascii": False}
_SANE_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER, "").strip()
        if (
            not key
            or request.method not in UNSAFE_METHODS
            or not request.path_info.startswith(API_PREFIX)
        ):
            return self.get_response(request)
        if not _SANE_KEY.match(key):
            message = gettext("An Idempotency-Key is 1 to 255 printable ASCII characters.")
            return JsonResponse(
                error_body("invalid_idempotency_key", message), status=400, json_dumps_params=UTF8
            )
        user = _api_user(request)
        digest = _request_hash(request) if user is not None else None
        if digest is None:  # not signed in, or a body we cannot read: the view answers
            return self.get_response(request)
        path = request.get_full_path()
        with named_lock(f"idempotency:{user.pk}:{key}"):
            stored = StoredResponse.objects.filter(user=user, key=key).first()
            if stored is not None and stored.expires_at <= timezone.now():
                stored.delete()
                stored = None
            if stored is not None:
                if (stored.method, stored.path, stored.request_hash) != (
                    request.method,
                    path,
                    digest,
                ):
                    message = gettext(
                        "This Idempotency-Key was already used for another request: "
                        "use a new key for a new request."
                    )
                    return JsonResponse(
                        error_body("idempotency_key_reused", message),
                        status=422,
                        json_dumps_params=UTF8,
                    )
                return replay(stored)
            response = self.get_response(request)
            if _storable(response):
                _store(
                    response, user=user, key=key, method=request.method, path=path, digest=digest
                )
            return response


def replay(stored: StoredResponse) -> HttpResponse:
    response = HttpResponse(
        bytes(stored.body), status=stored.status_code, content_type=stored.content_type or None
    )
    for name, value in stored.headers.items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


def sweep_expired() -> int:
    deleted, _ = StoredResponse.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def _storable(response) -> bool:
    return not response.streaming and response.status_code < 400


def _store(response, *, user, key: str, method: str, path: str, digest: str) -> None:
    now = timezone.now()
    try:
        StoredResponse.objects.create(
            user=user,
            key=key,
            method=method,
            path=path,
            request_hash=digest,
            status_code=response.status_code,
            content_type=response.get("Content-Type", ""),
            headers={name: response[name] for name in KEPT_HEADERS if name in response},
            body=bytes(response.content),
            created_at=now,
            expires_at=now + TTL,
        )
    except DatabaseError:  # the write itself is done: answer it, a retry may run again
        logger.exception("Could not store the response for an Idempotency-Key")


def _api_user(request):
    """The user the API view will see: its own authenticators (token or session), run once
    here. None when the call is not signed in (the view then answers 401/403 itself)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "cls", None)
    if view_class is None or not hasattr(view_class, "authentication_classes"):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
    had_user = "user" in request.__dict__
    original = request.__dict__.get("user")
    try:
        drf_request = Request(
            request, authenticators=[cls() for cls in view_class.authentication_classes]
        )
        user = drf_request.user
    except APIException:
        user = None
    finally:  # DRF sets request.user; the view authenticates again from a clean request
        if had_user:
            request.user = original
        else:
            request.__dict__.pop("user", None)
    return user if user is not None and user.is_authenticated else None


def _request_hash(request) -> str | None:
    """sha256 of the body: JSON canonically (key order and spacing don't matter), forms by
    their fields and the files' contents (a retry's multipart boundary differs)."""
    digest = hashlib.sha256()
    try:
        if request.content_type == "multipart/form-data" and request.method == "POST":
            if int(request.META.get("CONTENT_LENGTH") or 0) > settings.UPLOAD_MAX_REQUEST_BYTES:
                return None  # refused by the upload cap while the view reads it
            for name in sorted(request.POST):
                digest.update(json.dumps([name, request.POST.getlist(name)]).encode())
            for name in sorted(request.FILES):
                for upload in request.FILES.getlist(name):
                    digest.update(json.dumps([name, upload.name, upload.size]).encode())
                    for chunk in upload.chunks():
                        digest.update(chunk)
                    upload.seek(0)
        else:
            body = request.body
            if request.content_type == "application/json" and body:
                with contextlib.suppress(ValueError):
                    body = json.dumps(
                        json.loads(body), sort_keys=True, separators=(",", ":")
                    ).encode()
            digest.update(body)
    except Exception:  # noqa: BLE001 - too big or malformed: the view answers as without a key
        return None
    return digest.hexdigest()
