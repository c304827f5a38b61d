"""Serializer fields shared by the apps' serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ReadOnlyCharField(serializers.CharField):
    """A text the API only gives out: a name looked up through `source`, a label, a value the
    view computed. The same as `serializers.CharField(read_only=True, ...)`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)
