"""`get_<field>_display` with the labels looked up in a dict built once per field.

Django's own flattens and hashes every choice of the field on each call; list rows call it once
or twice each (an opportunity's state, a customer's billing model and state)."""

from __future__ import annotations

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


def choice_display(field_name: str):
    """In a model's body: `get_state_display = choice_display("state")`."""
    labels: dict | None = None

    def display(self) -> str:
        nonlocal labels
        field = self._meta.get_field(field_name)
        if labels is None:
            labels = {make_hashable(value): label for value, label in field.flatchoices}
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)

    display.__name__ = f"get_{field_name}_display"
    return display
