"""The API's OpenAPI document is always in English: titles, descriptions, enum labels and
error texts do not follow Accept-Language, the `lang` parameter or the caller's preferred
language (client code is generated from it; one document for everybody)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.generators import SchemaGenerator

SCHEMA_LANGUAGE = "en"


class EnglishSchemaGenerator(SchemaGenerator):
    def get_schema(self, *args, **kwargs):
        with translation.override(SCHEMA_LANGUAGE):
            return _resolved(super().get_schema(*args, **kwargs))


def _resolved(value: Any) -> Any:
    """Lazy texts turned into English strings now (the renderer runs after the override)."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {_resolved(k): _resolved(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_resolved(v) for v in value)
    return value
