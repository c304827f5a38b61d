"""Cached pipeline figures (issue [9]): the dashboards' grouped counts and the HO profiles'
statistics read every opportunity in their scope, so their cost grows with the table. They
are kept in the cache for `PIPELINE_FIGURES_CACHE_SECONDS` (60 s by default; 0 turns the
cache off, as the tests do):

- one partner's figures against the partner's change stamp (`audit.services.stamp_key`, as
  the landing cards): any event recorded on the partner's items computes them afresh at once;
- figures across partners (BD's dashboard) for at most the cache time: a change shows within
  the minute.

What is cached is plain data (rows of a GROUP BY, counts), never querysets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache

from partner_center.audit.services import stamp_key

T = TypeVar("T")
PREFIX = "pipeline-figures"


def _seconds() -> int:
    return int(getattr(settings, "PIPELINE_FIGURES_CACHE_SECONDS", 60))


def cached(key: str, compute: Callable[[], T], *, partner_id: int | None = None) -> T:
    """`compute()`, kept under `key` (for one partner: valid while its stamp is unchanged)."""
    seconds = _seconds()
    if not seconds:
        return compute()
    full = f"{PREFIX}:{key}"
    if partner_id is None:
        found = cache.get(full)
        if found is not None:
            return found[1]
        value = compute()
        cache.set(full, (None, value), seconds)
        return value
    found = cache.get_many([stamp_key(partner_id), full])
    stamp = found.get(stamp_key(partner_id))
    if full in found and found[full][0] == stamp:
        return found[full][1]
    value = compute()
    cache.set(full, (stamp, value), seconds)
    return value


def cached_per_partner(
    key: str, partner_ids: Iterable[int], compute: Callable[[list[int]], dict[int, Any]]
) -> dict[int, Any]:
    """`compute(ids)` → {partner id: value}, each partner's value kept under `key` against
    its own stamp; only the partners whose value is missing or stale are computed (one
    cache round trip to read, one to write)."""
    ids = list(partner_ids)
    seconds = _seconds()
    if not seconds:
        return compute(ids)
    keys = {pk: f"{PREFIX}:{key}:{pk}" for pk in ids}
    found = cache.get_many([*keys.values(), *(stamp_key(pk) for pk in ids)])
    values: dict[int, Any] = {}
    missing = []
    for pk in ids:
        entry = found.get(keys[pk])
        if entry is not None and entry[0] == found.get(stamp_key(pk)):
            values[pk] = entry[1]
        else:
            missing.append(pk)
    if missing:
        fresh = compute(missing)
        cache.set_many(
            {keys[pk]: (found.get(stamp_key(pk)), fresh.get(pk)) for pk in missing},
            seconds,
        )
        values.update({pk: fresh.get(pk) for pk in missing})
    return values
