"""Checks of user-entered text shared by every service (so pages, the API, imports and
admin refuse the same input): Chinese phone numbers, dates within a sane range, and names
cleaned of invisible characters that reorder or hide text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_center.errors import DomainError

# Mainland mobile: 1[3-9] and nine digits. Landline: area code 0xx or 0xxx, a number of 7-8
# digits, an optional extension (-123, 转123, ext 123, #123). Service numbers 400/800.
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(?:(?:-|转|ext\.?|x|#)\d{1,6})?", re.IGNORECASE)
SERVICE = re.compile(r"[48]00-?\d{3}-?\d{4}")
COUNTRY_PREFIX = re.compile(r"^(?:\+86|0086)-?")

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

# Characters that reorder text (bidirectional overrides, embeddings, isolates, marks) or
# hide it (zero-width spaces and joiners, word joiner, BOM, Mongolian vowel separator).
_INVISIBLE = dict.fromkeys(
    [
        *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
        *range(0x2066, 0x206A),  # LRI RLI FSI PDI
        0x200E,  # LRM
        0x200F,  # RLM
        0x061C,  # Arabic letter mark
        *range(0x200B, 0x200E),  # zero-width space, non-joiner, joiner
        0x2060,  # word joiner
        0xFEFF,  # zero-width no-break space (BOM)
        0x180E,  # Mongolian vowel separator
    ]
)


def normalize_phone(value: str) -> str:
    """The number as stored: no spaces or brackets, no +86 prefix for mainland numbers."""
    value = COUNTRY_PREFIX.sub("", re.sub(r"[\s()（）]", "", value or ""))
    if MOBILE.fullmatch(value.replace("-", "")):
        return value.replace("-", "")  # 139-1234-5678 is stored as 13912345678
    return value


def is_phone(value: str) -> bool:
    value = normalize_phone(value)
    return bool(MOBILE.fullmatch(value) or LANDLINE.fullmatch(value) or SERVICE.fullmatch(value))


PHONE_MESSAGE = gettext_lazy(
    "Enter a mainland mobile number (11 digits starting with 1) or a landline with its area "
    "code, such as 010-12345678 (an extension may follow)."
)


def clean_phone(value: str, *, field: str) -> str:
    """The normalised number, or DomainError on `field`. Empty stays empty."""
    value = (value or "").strip()
    if not value:
        return ""
    if not is_phone(value):
        raise DomainError(PHONE_MESSAGE, field=field, code="invalid_phone")
    return normalize_phone(value)


def validate_phone(value: str) -> None:
    """The same check as a Django validator (forms, serializers, model fields)."""
    if value and not is_phone(value):
        raise ValidationError(PHONE_MESSAGE, code="invalid_phone")


def check_date(value, *, field: str):
    """`value` (a date or datetime, or None) unless it lies outside 2000-01-01..2100-12-31."""
    if value is None or value == "":
        return value
    day = value.date() if isinstance(value, datetime) else value
    if isinstance(day, date) and not (EARLIEST_DATE <= day <= LATEST_DATE):
        raise DomainError(
            _("Enter a date between %(start)s and %(end)s.")
            % {"start": EARLIEST_DATE.isoformat(), "end": LATEST_DATE.isoformat()},
            field=field,
            code="date_out_of_range",
        )
    return value


def validate_date_range(value) -> None:
    try:
        check_date(value, field="")
    except DomainError as exc:
        raise ValidationError(str(exc.message), code=exc.code) from exc


def clean_name(value: str) -> str:
    """A name as typed, minus invisible reordering or hiding characters and other control
    characters, with runs of white space made one space."""
    if not isinstance(value, str):
        return value
    value = value.translate(_INVISIBLE)
    value = "".join(
        ch if ch in " \t\n" or unicodedata.category(ch) not in ("Cc", "Cf") else "" for ch in value
    )
    return re.sub(r"\s+", " ", value).strip()
