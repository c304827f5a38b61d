"""API plumbing shared by every app: the router, pagination, sorting, the error body every
API error answers with, the middleware that keeps /api/ answers JSON, and the OpenAPI
post-processing that adds tags, summaries and the documented error responses.

Every API error answers `{"code": "...", "message": "...", "fields": {...}}`: `code` is a
stable machine code (`invalid`, `not_found`, `not_authenticated`, `forbidden`, ...),
`message` a human sentence in the caller's language, `fields` the field errors (DRF's
shape, `non_field_errors` for the ones about no single field; `{}` when there are none)."""

from __future__ import annotations

import logging
import re
import uuid

from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext
from rest_framework import exceptions, filters, serializers
from rest_framework.routers import DefaultRouter, SimpleRouter
from rest_framework.views import exception_handler as drf_exception_handler

from partner_center.api_paging import Pagination  # noqa: F401 - DEFAULT_PAGINATION_CLASS
from partner_center.errors import Conflict, DomainError, NotAllowed

logger = logging.getLogger(__name__)

router = DefaultRouter()

API_PREFIX = "/api/"
REQUEST_ID_HEADER = "X-Request-ID"
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")


class Router(SimpleRouter):
    """A SimpleRouter whose detail routes only match numeric ids (`/x/abc/` is a 404, never
    a 500 from `int()` or a queryset lookup), unless the viewset names its own lookup."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(
            viewset, "lookup_field", "pk"
        ) in ("pk", "id"):
            viewset.lookup_value_regex = r"\d+"
        return super().get_lookup_regex(viewset, lookup_prefix)


class OrderingFilter(filters.OrderingFilter):
    """DRF's `?ordering=`, which steps aside when a list's filter set sorts by `?sort=` (the
    pages' sort options): the view's default order would otherwise undo that sort."""

    def get_schema_operation_parameters(self, view):
        """`?ordering=` documented with the list's sort keys (`-` for descending)."""
        params = super().get_schema_operation_parameters(view)
        fields = getattr(view, "ordering_fields", None)
        if isinstance(fields, (list, tuple)) and fields:
            for param in params:
                if param["name"] == self.ordering_param:
                    param["schema"] = {
                        "type": "string",
                        "enum": [key for field in fields for key in (field, f"-{field}")],
                    }
        return params

    def filter_queryset(self, request, queryset, view):
        if request.query_params.get("sort") and not request.query_params.get(self.ordering_param):
            filterset_class = getattr(view, "filterset_class", None)
            if filterset_class is not None and "sort" in filterset_class.base_filters:
                return queryset
        return super().filter_queryset(request, queryset, view)


# ---- The error body --------------------------------------------------------------------


class ErrorResponseSerializer(serializers.Serializer):
    """What every API error answers (documented on every operation)."""

    code = serializers.CharField(help_text="A stable machine code, e.g. `invalid`, `not_found`.")
    message = serializers.CharField(help_text="A sentence for people, in the caller's language.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Field errors: field name to a list of messages; `{}` when none.",
    )


STATUS_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "server_error",
}


def _status_message(status: int) -> str:
    return {
        400: gettext("The request is not valid."),
        401: gettext("Authentication credentials were not provided."),
        403: gettext("You are not allowed to do this."),
        404: gettext("Not found."),
        405: gettext("This method is not allowed here."),
        429: gettext("Too many requests: slow down."),
        500: gettext("Server error: the request could not be completed."),
    }.get(status, gettext("The request could not be completed."))


def is_schema_view(view) -> bool:
    """A view drf-spectacular makes to write the OpenAPI schema: no real request, no user."""
    return getattr(view, "swagger_fake_view", False)


def validated(serializer_class, request, **kwargs) -> dict:
    """The request body read through `serializer_class` (its `validated_data`); a field
    error answers 400 in the shared error body."""
    data = serializer_class(data=request.data, **kwargs)
    data.is_valid(raise_exception=True)
    return data.validated_data


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _first_leaf(value, first_keys: tuple = ()):
    """The first non-empty string in DRF's nested lists and dicts of errors (or of their
    codes); a dict's `first_keys` are looked at before its other keys."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        items = [value[key] for key in (*first_keys, *value) if key in value]
    else:
        items = []
    for item in items:
        found = _first_leaf(item, first_keys)
        if found:
            return found
    return None


def _first_code(codes) -> str | None:
    return _first_leaf(codes)


def _first_message(detail) -> str | None:
    found = _first_leaf(detail, ("non_field_errors",))
    return None if found is None else str(found)


def exception_handler(exc, context):
    """Domain errors and model validation errors answer 400 with field errors, `NotAllowed`
    403, `Conflict` 409 with the existing object's id; every error answers the shared body
    (`code`, `message`, `fields`)."""
    if isinstance(exc, Conflict):
        from rest_framework.response import Response

        fields = exc.as_field_errors()
        body = {**error_body(exc.code, str(exc.message), fields), "existing_id": exc.existing_id}
        return Response(body, status=409)
    code = None
    if isinstance(exc, NotAllowed):
        code = exc.code
        exc = exceptions.PermissionDenied(str(exc.message), code=exc.code)
    elif isinstance(exc, DomainError):
        code = exc.code
        exc = serializers.ValidationError(exc.as_field_errors())
    elif isinstance(exc, RequestDataTooBig):
        code = "too_large"
        exc = exceptions.ParseError(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(exc, serializers.ValidationError):
        fields = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        if code in (None, "invalid"):
            field_code = _first_code(exc.get_codes())
            code = "invalid" if len(fields) != 1 or not field_code else field_code
        message = _first_message(fields) or gettext("The request is not valid.")
        response.data = error_body(code, message, fields)
    else:
        if code is None:
            codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
            code = _first_code(codes) or STATUS_CODES.get(response.status_code, "error")
            if code == "permission_denied":
                code = "forbidden"
        message = _first_message(detail) or _status_message(response.status_code)
        response.data = error_body(code, message)
    return response


# ---- /api/ answers JSON, with a request id ----------------------------------------------


class ApiMiddleware:
    """Outermost middleware. Every response carries `X-Request-ID` (the caller's, when it is
    sane, or a new one). Under /api/: a path without its trailing slash answers a 404 JSON
    naming the right URL (instead of a redirect that drops a POST body), and any error page
    Django rendered as HTML (404, 500, 400) is answered as the JSON error body instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        response = None
        if request.path_info.startswith(API_PREFIX):
            response = self._missing_slash(request)
        if response is None:
            response = self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            response = self._as_json(response)
            # X-RateLimit-* of the call (partner_center.security.throttles.RateLimit).
            for name, value in getattr(request, "rate_limit_headers", {}).items():
                response[name] = value
        response[REQUEST_ID_HEADER] = request_id
        return response

    @staticmethod
    def _missing_slash(request):
        path = request.path_info
        if path.endswith("/"):
            return None
        try:
            resolve(path)
            return None
        except Resolver404:
            pass
        try:
            resolve(path + "/")
        except Resolver404:
            return None
        message = gettext("API paths end with a slash: use %(path)s.") % {"path": path + "/"}
        return JsonResponse(error_body("trailing_slash_required", message), status=404)

    @staticmethod
    def _as_json(response):
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or "json" in content_type:
            return response
        status = response.status_code
        replaced = JsonResponse(
            error_body(STATUS_CODES.get(status, "error"), _status_message(status)), status=status
        )
        for header in ("Allow", "Retry-After", "WWW-Authenticate", *RATE_LIMIT_HEADERS):
            if header in response:
                replaced[header] = response[header]
        return replaced


# ---- OpenAPI post-processing -----------------------------------------------------------

TAGS = [
    ("opportunities", "Opportunities: PO/HO registrations, leads, duplicates, imports."),
    ("customers", "Customers: associations, invitations, resources, orders, vouchers."),
    ("billing", "Billing: bills, bill lines, exports, invoices."),
    ("incentives", "Incentives: performance, statements, applications."),
    ("certification", "Certification: enterprise, bank cards, labels, files."),
    ("members", "Members, invitations and the partner profile."),
    ("programs", "Partner paths, PCE applications, deregistration."),
    ("notifications", "Notifications, preferences, subscriptions."),
    ("helpcenter", "The help centre's entries."),
    ("accounts", "The signed-in user and partners."),
    ("webhooks", "Webhook endpoints, their deliveries, and the events feed."),
    ("apikeys", "API keys of the partner's systems and of staff."),
]
_TAG_BY_PREFIX = [
    ("profile", "members"),
    ("help", "helpcenter"),
    ("me", "accounts"),
    ("partners", "accounts"),
    ("events", "webhooks"),
    ("api-keys", "apikeys"),
]

ERROR_COMPONENT = "ErrorResponse"
_ERROR_DESCRIPTIONS = {
    "400": "The request is not valid (field errors under `fields`).",
    "401": "Not authenticated: send `Authorization: Bearer <API key>` or a session cookie.",
    "403": "Authenticated, but not allowed to do this.",
    "404": "Not found (or not yours).",
    "409": "Conflicts with the current state (e.g. a duplicate).",
    "429": "Too many requests (code `rate_limited`): wait `Retry-After` seconds.",
}
_RATE_LIMIT_DOC = {
    "X-RateLimit-Limit": {
        "description": "Requests allowed in the current window (the tightest limit).",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "X-RateLimit-Reset": {
        "description": "Unix time (seconds) when the current window ends.",
        "schema": {"type": "integer"},
    },
}
_RETRY_AFTER_DOC = {
    "description": "Seconds to wait before calling again.",
    "schema": {"type": "integer"},
}
# Request examples for the main creates (by operationId).
CREATE_EXAMPLES = {
    "v1_opportunities_po_create": {
        "external_ref": "ERP-2026-0042",
        "customer_name": "江南精密制造有限公司",
        "customer_industry": "manufacturing",
        "customer_region": "east",
        "project_name": "生产系统上云",
        "products": ["ecs", "rds"],
        "amount": "380000.00",
        "expected_close_date": "2026-09-30",
    },
    "v1_customers_invitations_create": {
        "billing_model": "reseller",
        "email": "it@customer.example",
        "note": "华东区新客户",
    },
    "v1_billing_invoices_create": {"bill": 42},
    "v1_members_create": {"email": "colleague@partner.example"},
    "v1_certification_label_applications_create": {"label": 3, "statement": "我们的交付案例……"},
}
_ID_PARAM = re.compile(r"^(id|pk|.+_pk)$")


def _tag_for(path: str) -> str:
    first = path.removeprefix("/api/v1/").split("/", 1)[0]
    for prefix, tag in _TAG_BY_PREFIX:
        if first == prefix:
            return tag
    known = {name for name, _ in TAGS}
    return first if first in known else "accounts"


def _summary_for(operation: dict, method: str, path: str) -> str:
    description = (operation.get("description") or "").strip()
    if description:
        first = description.split("\n\n", 1)[0].replace("\n", " ").strip()
        first = re.split(r"(?<=[.:;])\s", first, maxsplit=1)[0].rstrip(".:;")
        if first and len(first) <= 120:
            return first
    words = operation.get("operationId", f"{method} {path}").replace("_", " ")
    return words[:1].upper() + words[1:]


def postprocess_schema(result, generator, request, public):
    """Tags per domain, a summary on every operation, typed id path parameters (dropping
    the ones a path does not have), and the error responses documented everywhere."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[ERROR_COMPONENT] = {
        "type": "object",
        "description": "The body of every API error.",
        "properties": {
            "code": {"type": "string", "description": "A stable machine code."},
            "message": {"type": "string", "description": "A sentence for people."},
            "fields": {
                "type": "object",
                "additionalProperties": {},
                "description": "Field errors: field name to a list of messages.",
            },
        },
        "required": ["code", "message", "fields"],
    }
    ref = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
    result["tags"] = [{"name": name, "description": text} for name, text in TAGS]
    for path, item in result.get("paths", {}).items():
        placeholders = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            if not isinstance(operation, dict) or method == "parameters":
                continue
            operation["tags"] = [_tag_for(path)]
            operation.setdefault("summary", _summary_for(operation, method, path))
            params = []
            for param in operation.get("parameters", []):
                if param.get("in") == "query" and param["name"] == "page_size":
                    param["schema"] = {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": Pagination.max_page_size,
                        "default": Pagination.page_size,
                    }
                if param.get("in") == "path":
                    if param["name"] not in placeholders:
                        continue
                    if _ID_PARAM.match(param["name"]):
                        param["schema"] = {"type": "integer"}
                params.append(param)
            if params or "parameters" in operation:
                operation["parameters"] = params
            example = CREATE_EXAMPLES.get(operation.get("operationId"))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if example and body is not None:
                body["examples"] = {"create": {"summary": "A typical create", "value": example}}
            responses = operation.setdefault("responses", {})
            codes = ["400", "401", "403", "404", "429"]
            if method in ("post", "put", "patch"):
                codes.append("409")
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": _ERROR_DESCRIPTIONS[code],
                        "content": {"application/json": {"schema": ref}},
                    },
                )
            for code, response in responses.items():
                if isinstance(response, dict) and "$ref" not in response:
                    headers = response.setdefault("headers", {})
                    headers.update(_RATE_LIMIT_DOC)
                    if code == "429":
                        headers["Retry-After"] = _RETRY_AFTER_DOC
    return result
