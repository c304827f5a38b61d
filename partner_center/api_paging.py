"""API list pagination (README "Pagination"): page numbers by default, a cursor on request.

Page numbers: `?page=` and `?page_size=` (1 to 200, 50 by default), in the list's sort with
the id last (ties keep one order from page to page). `count` is exact up to
10 000 matching rows; above that it reads 10 000, `count_capped` is true and pages stop
there (`partner_center.paging.Paginator`: no exact COUNT(*) over millions of rows). To read
further, or to walk a list that changes while you read it, use the cursor.

Cursor: `?cursor=` (empty for the first page) answers `{"next", "previous", "results"}`
without a count; follow `next` / `previous`. The order is the list's sort (`?sort=` or
`?ordering=`) with the id as the last key, so rows added or removed meanwhile never make
a row appear twice or be skipped. The cursor belongs to that sort: another sort with an old
cursor is 400 `invalid_cursor`. Lists that are not a table (a timeline) page by position."""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections import OrderedDict

from django.core.exceptions import FieldError
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.translation import gettext
from rest_framework import pagination
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from partner_center import paging

NOTHING = Q(pk__in=[])


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = paging.Paginator
    cursor_query_param = "cursor"

    # ---- which mode ---------------------------------------------------------------

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_mode = self.cursor_query_param in request.query_params
        if not self.cursor_mode:
            if _keyed(queryset):
                queryset = with_id_last(queryset)
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        token = request.query_params.get(self.cursor_query_param, "")
        size = self.get_page_size(request)
        if _keyed(queryset):
            return self._keyset_page(queryset, token, size)
        return self._position_page(queryset, token, size)

    def get_paginated_response(self, data):
        if self.cursor_mode:
            return Response(
                OrderedDict([("next", self._next), ("previous", self._previous), ("results", data)])
            )
        paginator = self.page.paginator
        return Response(
            OrderedDict(
                [
                    ("count", paginator.count),
                    ("count_capped", paginator.capped),
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("results", data),
                ]
            )
        )

    # ---- keyset cursor over a queryset ------------------------------------------

    def _keyset_page(self, queryset, token, size):
        keys = order_keys(queryset)
        names = [name for name, _desc in keys]
        cursor = _decode(token) if token else {}
        if cursor and (cursor.get("k") != names or len(cursor.get("v", [])) != len(keys)):
            raise _invalid()
        backwards = bool(cursor.get("b"))
        ordered = queryset.order_by(*_order_by(keys, invert=backwards))
        if cursor:
            try:
                ordered = ordered.filter(after(keys, cursor["v"], backwards=backwards))
                rows = list(ordered[: size + 1])
            except (DjangoValidationError, FieldError, ValueError, TypeError, OverflowError):
                raise _invalid() from None
        else:
            rows = list(ordered[: size + 1])
        more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        has_next, has_previous = (bool(cursor), more) if backwards else (more, bool(cursor))
        values = {}
        if rows:
            wanted = {rows[0].pk, rows[-1].pk}
            for row in queryset.order_by().filter(pk__in=wanted).values_list("pk", *names):
                values[row[0]] = list(row[1:])
        self._next = (
            self._link({"k": names, "v": values[rows[-1].pk]}) if has_next and rows else None
        )
        self._previous = (
            self._link({"k": names, "v": values[rows[0].pk], "b": 1})
            if has_previous and rows
            else None
        )
        return rows

    # ---- position cursor over a list --------------------------------------------

    def _position_page(self, items, token, size):
        cursor = _decode(token) if token else {"p": 0}
        start = cursor.get("p")
        if not isinstance(start, int) or isinstance(start, bool) or start < 0:
            raise _invalid()
        rows = list(items[start : start + size + 1])
        more = len(rows) > size
        self._next = self._link({"p": start + size}) if more else None
        self._previous = self._link({"p": max(start - size, 0)}) if start > 0 else None
        return rows[:size]

    def _link(self, cursor: dict) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, _encode(cursor))

    # ---- OpenAPI ----------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Matching rows, exact up to 10 000 (absent with a cursor).",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": "More than 10 000 rows match: count reads 10 000.",
                },
                "next": link,
                "previous": link,
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        params.append(
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": (
                    "Cursor mode: empty for the first page, then the `next`/`previous` "
                    "link. Stable order (the list's sort, then id), no count."
                ),
                "schema": {"type": "string"},
            }
        )
        return params


# ---- ordering and keyset conditions ------------------------------------------------


def order_keys(queryset) -> list[tuple[str, bool]]:
    """The queryset's order as (field path, descending) pairs, ending with the pk."""
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    keys: list[tuple[str, bool]] = []
    for item in ordering:
        if isinstance(item, str):
            if item == "?":
                continue
            name, descending = item.lstrip("-"), item.startswith("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
        elif isinstance(item, F):
            name, descending = item.name, False
        else:  # an expression we cannot compare in SQL by value: the id decides
            continue
        name = "pk" if name in ("id", "pk") else name
        if name not in {n for n, _ in keys}:
            keys.append((name, descending))
        if name == "pk":
            break
    if not keys or keys[-1][0] != "pk":
        keys.append(("pk", keys[-1][1] if keys else False))
    return keys


def _keyed(queryset) -> bool:
    """A queryset of model rows, each with its id: not grouped (`values().annotate()`),
    not DISTINCT, not dicts. Others page by position."""
    return (
        isinstance(queryset, QuerySet)
        and not queryset._fields
        and queryset.query.group_by is None
        and not queryset.query.distinct
        and not queryset.query.combinator
    )


def with_id_last(queryset):
    """The queryset's own order with the id as the last key, so rows that tie on the sort
    (same amount, no deadline) keep one order from page to page."""
    query = queryset.query
    ordering = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    descending = False
    for item in ordering:
        if isinstance(item, str):
            name, descending = item.lstrip("-"), item.startswith("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
        else:
            continue
        if name in ("pk", "id"):
            return queryset
    return queryset.order_by(*ordering, "-pk" if descending else "pk")


def _order_by(keys, *, invert: bool):
    """NULLs sort as the largest value on every database (PostgreSQL's own rule)."""
    result = []
    for name, descending in keys:
        if descending != invert:
            result.append(F(name).desc(nulls_first=True))
        else:
            result.append(F(name).asc(nulls_last=True))
    return result


def _beyond(name: str, value, descending: bool) -> Q:
    if descending:
        return Q(**{f"{name}__isnull": False}) if value is None else Q(**{f"{name}__lt": value})
    if value is None:
        return NOTHING
    return Q(**{f"{name}__gt": value}) | Q(**{f"{name}__isnull": True})


def _equal(name: str, value) -> Q:
    return Q(**{f"{name}__isnull": True}) if value is None else Q(**{name: value})


def after(keys, values, *, backwards: bool = False) -> Q:
    """Rows that come after `values` in the order `keys` (before, when backwards)."""
    condition = NOTHING
    prefix = Q()
    for (name, descending), value in zip(keys, values, strict=True):
        condition |= prefix & _beyond(name, value, descending != backwards)
        prefix &= _equal(name, value)
    return condition


class _Encoder(DjangoJSONEncoder):
    """Datetimes to the microsecond (Django's encoder keeps milliseconds: a cursor would
    then fall between rows created in the same millisecond)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        return super().default(o)


def _encode(cursor: dict) -> str:
    raw = json.dumps(cursor, cls=_Encoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(token: str) -> dict:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        cursor = json.loads(raw)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise _invalid() from None
    if not isinstance(cursor, dict):
        raise _invalid()
    return cursor


def _invalid() -> ValidationError:
    return ValidationError(
        {"cursor": [gettext("This cursor is not valid for this list: start again.")]},
        code="invalid_cursor",
    )
