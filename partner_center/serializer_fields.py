"""Serializer fields shared by the apps' serializers."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers


class ReadOnlyCharField(serializers.CharField):
    """A text the API only gives out: a name looked up through `source`, a label, a value the
    view computed. The same as `serializers.CharField(read_only=True, ...)`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)


# A model serializer the API only gives out: every field of `Meta.fields` is read-only, the
# same as `read_only_fields = fields` in its `Meta`. (A comment, not a docstring: the API
# schema would show a docstring as the description of every serializer without its own.)
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self) -> dict[str, Any]:
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs[name] = {**extra_kwargs.get(name, {}), "read_only": True}
        return extra_kwargs
