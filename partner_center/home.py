"""Cards on the landing pages. Each app may offer `cards(user) -> list[HomeCard]` in its own
`home.py`: short counts with a link ("3 HOs wait for your answer"), shown in app order."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class HomeCard:
    title: str
    value: str
    url: str
    hint: str = ""
    tone: str = "info"  # a Bootstrap colour: info, warning, danger, success, secondary


@cache
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
    cards: list[HomeCard] = []
    for provider in _providers():
        cards.extend(provider(user))
    return cards
