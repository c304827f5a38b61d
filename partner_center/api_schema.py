"""The OpenAPI generator's schema class (kept apart from partner_center.api, which DRF's
settings import early: drf-spectacular's AutoSchema imports DRF's generic views)."""

import inspect

import drf_spectacular.openapi
from rest_framework import serializers


def _model_field(field):
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    model = getattr(meta, "model", None)
    source = getattr(field, "source", None) or ""
    if model is None or not source or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except Exception:  # noqa: BLE001 - a property or method, not a model field
        return None


class AutoSchema(drf_spectacular.openapi.AutoSchema):
    """drf-spectacular's schema, told what read-only fields really answer: DRF drops
        `allow_blank` from read-only model fields, so a `blank=True` choice or e-mail field would
        be documented without `""`; a read-only field with `default=None`, or a nested object for a
    nullable foreign key, answers null."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if getattr(field, "read_only", False):
            model_field = _model_field(field)
            if (
                model_field is not None
                and getattr(model_field, "blank", False)
                and isinstance(field, (serializers.ChoiceField, serializers.CharField))
            ):
                field.allow_blank = True
            if field.default is None or getattr(model_field, "null", False):
                field.allow_null = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_paginator(self):
        """Lists paginate; an extra action (e.g. `po/{id}/timeline/`) answers a plain array
        unless it paginates itself (`paginate_queryset`), and is documented so."""
        action = getattr(self.view, "action", None)
        if action and action != "list":
            handler = getattr(type(self.view), action, None)
            try:
                source = inspect.getsource(handler) if handler else ""
            except (OSError, TypeError):
                source = ""
            if "paginate" not in source:
                return None
        return super()._get_paginator()
