"""The "needs me" list (issue [8]): every item that waits for this user's action, across the
modules, sorted by deadline, each with its one next action.

Each app may offer `todo(user) -> list[TodoItem]` in its own `todo.py` (like the landing
cards in `home.py`): one bounded query per kind of item (at most `LIMIT` rows; the page says
"LIMIT+" and links to the module's full list). Permissions are the modules' own: a provider
returns nothing to a user who may not act."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache as memoize

from django.utils import timezone

from partner_center.app_modules import app_modules
from partner_center.workdays import working_days_left_many

LIMIT = 20
NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class TodoItem:
    kind: str  # stable code, e.g. "ho_to_accept" (tests and the page's counts use it)
    label: str  # what kind of item, in the reader's language
    title: str  # which item
    url: str  # where its next action is done
    action: str  # the next action, a verb
    deadline: datetime | None = None
    more_url: str = ""  # the module's list of every item of this kind
    days_left: int | None = None  # working days to the deadline (set by `todo_for`)


@dataclass(frozen=True)
class TodoKind:
    kind: str
    label: str
    count: int
    more: bool
    more_url: str


def take(queryset, limit: int = LIMIT) -> list:
    """At most `limit` + 1 rows: the extra one only tells the page there are more."""
    return list(queryset[: limit + 1])


def items(kind: str, label: str, rows, *, title, url, action, deadline=None, more_url=""):
    """TodoItems for `rows` (a `take()` result): `title`, `url` and `deadline` are callables
    of a row; the (LIMIT+1)th row is kept so `summary` can say "20+"."""
    return [
        TodoItem(
            kind=kind,
            label=str(label),
            title=str(title(row)),
            url=url(row),
            action=str(action),
            deadline=deadline(row) if deadline else None,
            more_url=more_url,
        )
        for row in rows
    ]


@memoize
def _providers():
    return tuple(module.todo for _app, module in app_modules("todo"))


def todo_for(user) -> tuple[list[TodoItem], list[TodoKind]]:
    """(items sorted by deadline — undated last —, counts per kind). A partner user's list is
    kept as the landing cards are (partner_center/home.py): computed afresh at the partner's
    next recorded event, otherwise within `HOME_CARDS_CACHE_SECONDS`; countdowns past their
    deadline say so at once (the badge compares with the time of the page)."""
    if not user.is_authenticated:
        return [], []
    from partner_center.home import cached_for_partner_user

    return cached_for_partner_user(user, "todo", _compute)


def _compute(user) -> tuple[list[TodoItem], list[TodoKind]]:
    everything: list[TodoItem] = []
    for provider in _providers():
        everything.extend(provider(user))
    kinds: dict[str, list[TodoItem]] = {}
    for item in everything:
        kinds.setdefault(item.kind, []).append(item)
    summary = []
    shown: list[TodoItem] = []
    for kind, found in kinds.items():
        more = len(found) > LIMIT
        shown.extend(found[:LIMIT])
        summary.append(
            TodoKind(kind, found[0].label, min(len(found), LIMIT), more, found[0].more_url)
        )
    shown.sort(key=lambda i: (i.deadline is None, i.deadline or NEVER, i.label, i.title))
    # One calendar query for every countdown on the page.
    lefts = working_days_left_many(timezone.now(), [i.deadline for i in shown])
    shown = [
        replace(i, days_left=left) if i.deadline else i
        for i, left in zip(shown, lefts, strict=True)
    ]
    return shown, summary
