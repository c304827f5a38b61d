"""Writing files to the media storage without leaving a half-written one behind.

A full or read-only disk makes `Storage.save` raise OSError after it created the file
(Django's file-system storage leaves a 0-byte or partial file). `save_or_refuse` picks the
name first, deletes whatever was written under it when the save fails, and raises a
`StorageUnavailable` rule refusal (pages: a message next to the field; API: 400) instead of
a 500."""

from __future__ import annotations

import logging

from django.utils.translation import gettext_lazy as _

from partner_center.errors import DomainError

log = logging.getLogger(__name__)

STORAGE_FULL = _(
    "The file could not be stored: the server's storage is full or read-only. Nothing was "
    "saved; try again later or tell the administrators."
)


class StorageUnavailable(DomainError):
    def __init__(self, *, field: str | None = None):
        super().__init__(STORAGE_FULL, field=field, code="storage_unavailable")


def save_or_refuse(storage, name: str, content, *, field: str | None = None) -> str:
    """`storage.save(name, content)`; on OSError the partial file is removed and
    `StorageUnavailable` raised. Returns the name the file was stored under."""
    name = storage.get_available_name(name)
    try:
        return storage.save(name, content)
    except OSError as exc:
        log.warning("could not store %s: %s", name, exc)
        try:
            if storage.exists(name):
                storage.delete(name)
        except OSError:
            log.warning("could not remove the partial file %s", name)
        raise StorageUnavailable(field=field) from exc
