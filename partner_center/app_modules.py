"""The modules of one name that apps bring along (menu, home, todo, demo): each app that has
one adds to a shared feature without the feature naming the apps."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app, its module `name`) for every installed app that has one, in INSTALLED_APPS
    order; an import error inside such a module is raised, not taken for its absence."""
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
            continue
        yield config, module
