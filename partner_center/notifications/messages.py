"""Texts rendered for their reader (DESIGN habit 18).

A notification is stored as a message key (the English msgid, with an optional context) and
its parameters, and rendered in the language of whoever reads it: the page in the request's
language, the e-mail and the API in the recipient's preferred language. Senders build the
text with `msg`:

    notify(recipients=..., kind="opportunities.po_returned",
           title=msg("PO #%(number)s needs changes", number=po.pk),
           body=msg("Reason: %(reason)s", reason=reason))

A parameter may itself be a `Message` (or a lazy translation such as a choice label, see
`label`), rendered in the same language; user data (names, reasons) stays as typed.
The msgid must be in an app's catalogue like any other text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.functional import Promise


@dataclass(frozen=True)
class Message:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    context: str | None = None

    def render(self, language: str | None = None) -> str:
        if language:
            with translation.override(language):
                return self._render()
        return self._render()

    def _render(self) -> str:
        if self.context:
            text = translation.pgettext(self.context, self.key)
        else:
            text = translation.gettext(self.key)
        if not self.params:
            return text
        values = {name: _render_value(value) for name, value in self.params.items()}
        try:
            return text % values
        except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
            return self.key % values

    def __str__(self) -> str:
        return self._render()

    def with_params(self, **params: Any) -> Message:
        """The same text with (more) parameters, e.g. a notice chosen by a caller and
        filled in by the service that sends it."""
        return Message(key=self.key, params={**self.params, **params}, context=self.context)

    def to_json(self) -> dict:
        data: dict[str, Any] = {"key": self.key}
        if self.context:
            data["context"] = self.context
        if self.params:
            data["params"] = {name: _dump(value) for name, value in self.params.items()}
        return data

    @classmethod
    def from_json(cls, data: dict) -> Message:
        return cls(
            key=data["key"],
            params={name: _load(value) for name, value in (data.get("params") or {}).items()},
            context=data.get("context"),
        )


@dataclass(frozen=True)
class Names:
    """A name kept in both languages (e.g. a capability label's `name_zh`/`name_en`): the
    reader sees the one of their language (Chinese when there is no English name)."""

    zh: str
    en: str = ""

    def __str__(self) -> str:
        english = (translation.get_language() or "").startswith("en")
        return self.en if english and self.en else self.zh


def names(zh: str, en: str = "") -> Names:
    return Names(zh=zh, en=en)


def msg(key: str, /, *, context: str | None = None, **params: Any) -> Message:
    """A text to be translated when it is read, not when it is sent."""
    return Message(key=key, params=params, context=context)


def join(*parts: Any, sep: str = "\n") -> Message:
    """Several texts (messages or plain text) as one message, e.g. the lines of a body; each
    part is rendered in the reader's language."""
    params = {f"p{i}": part for i, part in enumerate(parts)}
    return Message(key=sep.replace("%", "%%").join(f"%({name})s" for name in params), params=params)


def as_message(value: Any) -> Message | None:
    """A `Message` for a value that can be translated later (a Message or a lazy
    gettext/pgettext string); None for plain text."""
    if isinstance(value, Message):
        return value
    if isinstance(value, Promise):
        # Django's lazy proxy keeps its function only in the pickling data.
        try:
            func, args = value.__reduce__()[1][:2]
        except (AttributeError, IndexError, TypeError, ValueError):
            return None
        name = getattr(func, "__name__", "")
        if name in ("gettext", "ugettext") and len(args) == 1:
            return Message(key=str(args[0]))
        if name == "pgettext" and len(args) == 2:
            return Message(key=str(args[1]), context=str(args[0]))
    return None


def label(instance, field_name: str) -> Message | str:
    """The choice label of `instance.<field_name>` as a message (the reader's language),
    e.g. `msg("Your application is %(state)s", state=label(app, "state"))`."""
    model_field = instance._meta.get_field(field_name)
    value = getattr(instance, field_name)
    for choice, text in model_field.flatchoices:
        if choice == value:
            return as_message(text) or str(text)
    return str(value)


def render(value: Any, language: str | None = None) -> str:
    """Text of a stored message (dict), a Message, a lazy string or plain text."""
    if isinstance(value, dict) and "key" in value:
        value = Message.from_json(value)
    message = as_message(value)
    if message is not None:
        return message.render(language)
    return "" if value is None else str(value)


def _render_value(value: Any) -> Any:
    if isinstance(value, Message):
        return value._render()
    if isinstance(value, (Promise, Names)):
        return str(value)
    if isinstance(value, Decimal):
        return formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "DATE_FORMAT")
    return value


def _dump(value: Any) -> Any:
    message = as_message(value)
    if message is not None:
        return {"$msg": message.to_json()}
    if isinstance(value, Names):
        return {"$names": {"zh": value.zh, "en": value.en}}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    return str(value)


def _load(value: Any) -> Any:
    if isinstance(value, dict):
        if "$msg" in value:
            return Message.from_json(value["$msg"])
        if "$names" in value:
            return Names(**value["$names"])
        if "$dec" in value:
            return Decimal(value["$dec"])
        if "$dt" in value:
            return dt.datetime.fromisoformat(value["$dt"])
        if "$date" in value:
            return dt.date.fromisoformat(value["$date"])
    return value
