"""Optimistic concurrency for the API (README "Concurrency").

Every successful GET under /api/ answers an `ETag`: a hash of the representation the caller
got (`"<32 hex>"`), so it changes whenever anything the caller sees changes. A write may
send it back as `If-Match`: PATCH/PUT/DELETE on an object, or POST on one of its actions
(`/<id>/<action>/`, e.g. submit, fund). The object's current ETag is computed the same way
(its GET, as this caller) under a lock on the object, and the write runs only when it
matches — otherwise 412 `precondition_failed`, with the current ETag, and nothing changes.
Two clients that PATCH the same version: the first wins, the second gets 412 and re-reads.
A successful write sent with `If-Match` answers the object's new `ETag`.
`If-Match: *` matches any existing object. Without `If-Match` a write proceeds as before.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json

from django.http import JsonResponse
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext

from partner_center.api import API_PREFIX, error_body
from partner_center.locks import named_lock

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def etag_for(response) -> str:
    """The ETag of a response: a hash of its data (DRF) or of its bytes."""
    data = getattr(response, "data", None)
    if data is not None:
        raw = json.dumps(data, sort_keys=True, default=str, separators=(",", ":")).encode()
    else:
        raw = bytes(response.content)
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def _matches(if_match: str, current: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    return "*" in tags or current in tags


class ConditionalMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method in ("GET", "HEAD"):
            response = self.get_response(request)
            if (
                response.status_code == 200
                and not response.streaming
                and "json" in response.get("Content-Type", "")
                and "ETag" not in response
            ):
                response["ETag"] = etag_for(response)
            return response
        if_match = request.headers.get("If-Match", "").strip()
        target = object_path(request) if if_match and request.method in WRITE_METHODS else None
        if target is None:
            return self.get_response(request)
        with named_lock(f"object:{target}"):
            read = read_object(request, target)
            if read is not None and read.status_code in (401, 429):
                return read  # not signed in, or rate limited: the write is not tried unchecked
            current = etag_for(read) if read is not None and read.status_code == 200 else None
            if current is not None and not _matches(if_match, current):
                message = gettext(
                    "This object was changed since you read it: read it again, then retry."
                )
                response = JsonResponse(
                    error_body("precondition_failed", message),
                    status=412,
                    json_dumps_params={"ensure_ascii": False},
                )
                response["ETag"] = current
                return response
            response = self.get_response(request)
            if 200 <= response.status_code < 300:  # the new version, for the next If-Match
                fresh = read_object(request, target)
                if fresh is not None and fresh.status_code == 200:
                    response["ETag"] = etag_for(fresh)
            return response


def object_path(request) -> str | None:
    """The GET path of the object a write is about: the same path (PATCH/PUT/DELETE on a
    detail route, or an APIView with GET such as the profile), the detail route of an
    object action (`/po/7/submit/` → `/po/7/`); None for creates and other writes."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    func = match.func
    actions = getattr(func, "actions", None)
    if actions is None:  # an APIView: its own GET is the object, if it has one
        view_class = getattr(func, "cls", None)
        return request.path_info if view_class is not None and hasattr(view_class, "get") else None
    initkwargs = getattr(func, "initkwargs", {})
    if not initkwargs.get("detail"):
        return None
    action = actions.get(request.method.lower())
    if action in ("update", "partial_update", "destroy"):
        return request.path_info
    basename = initkwargs.get("basename")
    if not basename:
        return None
    name = f"{match.namespace}:{basename}-detail" if match.namespace else f"{basename}-detail"
    try:
        return reverse(name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return None


def read_object(request, path: str):
    """The response a GET of `path` answers this caller now (its ETag is the current one);
    None when the path does not resolve. Any answer but 200 (a 403, 404) skips the check:
    the write answers for itself."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    clone = copy.copy(request)
    clone.META = {
        **request.META,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "CONTENT_LENGTH": "0",
    }
    for header in ("HTTP_IF_MATCH", "HTTP_IDEMPOTENCY_KEY", "CONTENT_TYPE"):
        clone.META.pop(header, None)
    clone.method = "GET"
    clone.path_info = path
    clone.path = request.META.get("SCRIPT_NAME", "") + path
    clone._stream = io.BytesIO(b"")
    clone._read_started = False
    for attribute in ("_body", "_post", "_files", "_data", "_full_data", "GET"):
        clone.__dict__.pop(attribute, None)
    clone.resolver_match = match
    response = match.func(clone, *match.args, **match.kwargs)
    if hasattr(response, "render") and callable(response.render):
        response.render()
    return response
