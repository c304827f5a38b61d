"""Cards on the landing pages. Each app may offer `cards(user) -> list[HomeCard]` in its own
`home.py`: short counts with a link ("3 HOs wait for your answer"), shown in app order.

A user's cards (and to-do list, partner_center/todo.py) are cached per user and language
for `HOME_CARDS_CACHE_SECONDS` (60 s by default; 0 turns the cache off) and recomputed as
soon as anything of the user's partner records an event (the partner's change stamp,
`audit.services.partners_changed`), or, for vendor staff and customers, whose pages read
across partners, as soon as any event is recorded: an action shows on the landing page at
once, while changes that record no event through `record_event` / `record_events_bulk`
(imported orders, the SLA sweep's set-based decisions, a deadline coming closer) show
within the minute."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from partner_center.app_modules import app_modules
from partner_center.audit.services import stamp_key

T = TypeVar("T")


@dataclass(frozen=True)
class HomeCard:
    title: str
    value: str
    url: str
    hint: str = ""
    tone: str = "info"  # a Bootstrap colour: info, warning, danger, success, secondary


@memoize
def _providers():
    return tuple(module.cards for _app, module in app_modules("home"))


def cards_for(user) -> list[HomeCard]:
    return cached_for_partner_user(user, "home-cards", _compute)


def cached_for_partner_user(user, name: str, compute: Callable[[Any], T]) -> T:
    """`compute(user)`, kept per user and language for `HOME_CARDS_CACHE_SECONDS` and
    computed afresh at the next event recorded for the user's partner (with no partner:
    at the next event recorded at all) — the cards, the to-do list."""
    seconds = settings.HOME_CARDS_CACHE_SECONDS
    if not seconds:
        return compute(user)
    stamp_name = stamp_key(getattr(user, "partner_id", None))
    key = f"{name}:{user.pk}:{get_language()}"
    found = cache.get_many([stamp_name, key])
    stamp = found.get(stamp_name)
    if key in found and found[key][0] == stamp:
        return found[key][1]
    value = compute(user)
    cache.set(key, (stamp, value), seconds)
    return value


def _compute(user) -> list[HomeCard]:
    cards: list[HomeCard] = []
    for provider in _providers():
        cards.extend(provider(user))
    return cards
