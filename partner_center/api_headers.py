"""The OpenAPI side of the request headers every API write understands (an extra
drf-spectacular post-processing hook, after partner_center.api.postprocess_schema):

- `Idempotency-Key` on every POST/PUT/PATCH/DELETE, with 422 `idempotency_key_reused` and
  the `Idempotent-Replayed` response header (partner_center/idempotency);
- `If-Match` on PATCH/PUT/DELETE and on object actions (`/{id}/<action>/`), with 412
  `precondition_failed`; `ETag` on every GET's 200 (partner_center/concurrency)."""

from __future__ import annotations

import re

from partner_center.api import ERROR_COMPONENT

WRITES = ("post", "put", "patch", "delete")

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": r"^[!-~]+$"},
    "description": (
        "Makes a retry safe: the first successful answer to this key (per user) is stored "
        "for 24 hours and replayed to a retry with `Idempotent-Replayed: true`; the write "
        "runs once. The same key for another method, path or body answers 422 "
        "`idempotency_key_reused`. A 4xx/5xx answer is not stored: a retry runs again."
    ),
}
IF_MATCH = {
    "name": "If-Match",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        "The `ETag` of the object as you read it (GET): the write runs only if the object "
        "is unchanged, else 412 `precondition_failed` (with the current `ETag`). `*` "
        "matches any version. Without it the write proceeds (last writer wins)."
    ),
}
ETAG_HEADER = {
    "description": "The version of this representation: send it back as `If-Match`.",
    "schema": {"type": "string"},
}
WRITE_ETAG_HEADER = {
    "description": "With `If-Match`: the object's new version, for the next write.",
    "schema": {"type": "string"},
}
REPLAYED_HEADER = {
    "description": "`true` when this answer is the stored answer to an `Idempotency-Key`.",
    "schema": {"type": "string", "enum": ["true"]},
}
_ERRORS = {
    "412": "The object changed since you read it (`precondition_failed`): read it again.",
    "422": "The Idempotency-Key was used for another request (`idempotency_key_reused`).",
}


def _error(code: str) -> dict:
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    return {"description": _ERRORS[code], "content": {"application/json": {"schema": ref}}}


def postprocess_schema(result, generator, request, public):
    for path, item in result.get("paths", {}).items():
        on_object = bool(re.search(r"{[^}]+}", path))
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            responses = operation.setdefault("responses", {})
            if method == "get":
                if "200" in responses:
                    responses["200"].setdefault("headers", {})["ETag"] = ETAG_HEADER
                continue
            if method not in WRITES:
                continue
            params = operation.setdefault("parameters", [])
            params.append(IDEMPOTENCY_KEY)
            responses.setdefault("422", _error("422"))
            for status, response in responses.items():
                if status.startswith("2"):
                    response.setdefault("headers", {})["Idempotent-Replayed"] = REPLAYED_HEADER
            if method != "post" or on_object:
                params.append(IF_MATCH)
                responses.setdefault("412", _error("412"))
                for status, response in responses.items():
                    if status.startswith("2"):
                        response.setdefault("headers", {})["ETag"] = WRITE_ETAG_HEADER
    return result
