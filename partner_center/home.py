"""Cards on the landing pages. Each app may offer `cards(user) -> list[HomeCard]` in its own
`home.py`: short counts with a link ("3 HOs wait for your answer"), shown in app order.

A partner user's cards (and to-do list, partner_center/todo.py) are cached per user and
language for `HOME_CARDS_CACHE_SECONDS` (60 s by default; 0 turns the cache off) and recomputed as soon as anything of the partner
records an event (the partner's change stamp, `audit.services.partners_changed`): an action
shows on the landing page at once, while changes that record no event through
`record_event` / `record_events_bulk` (imported orders, the SLA sweep's set-based decisions,
a deadline coming closer) show within the minute. Vendor staff's cards are never cached."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoize
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

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
    found = []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        found.append(module.cards)
    return tuple(found)


def cards_for(user) -> list[HomeCard]:
    return cached_for_partner_user(user, "home-cards", _compute)


def cached_for_partner_user(user, name: str, compute: Callable[[Any], T]) -> T:
    """`compute(user)`, kept per partner user and language for `HOME_CARDS_CACHE_SECONDS`
    and computed afresh at the partner's next recorded event (the cards, the to-do list).
    Vendor staff's are never kept: their pages read every partner."""
    seconds = settings.HOME_CARDS_CACHE_SECONDS
    partner_id = getattr(user, "partner_id", None)
    if not seconds or partner_id is None:
        return compute(user)
    key = f"{name}:{user.pk}:{get_language()}"
    found = cache.get_many([stamp_key(partner_id), key])
    stamp = found.get(stamp_key(partner_id))
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
