"""Saved views (issue [5]): a user keeps a list's filters and sort under a name and picks
them from the filter bar. Views are the user's own; "Action needed" is built in.

Only the list's own filter and sort parameters are kept (no page number, nothing else), so
a saved view is a query string the list understands and nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_center.accounts.access import require
from partner_center.errors import DomainError, NotAllowed

from ..filters import DuplicateFilter, LeadFilter, OpportunityFilter
from ..models import SavedView
from ..permissions import REVIEW_OPPORTUNITIES, VIEW_OPPORTUNITIES, WORK_OPPORTUNITIES

L = SavedView.ListKey
MAX_VIEWS_PER_LIST = 20

# Who may use which list, and the parameters the list understands.
LISTS: dict[str, tuple[Any, Any]] = {
    L.OPPORTUNITIES: (VIEW_OPPORTUNITIES, OpportunityFilter),
    L.HO_INBOX: (WORK_OPPORTUNITIES, OpportunityFilter),
    L.REVIEW_QUEUE: (REVIEW_OPPORTUNITIES, OpportunityFilter),
    L.HO_POOL: (REVIEW_OPPORTUNITIES, LeadFilter),
    L.DUPLICATES: (REVIEW_OPPORTUNITIES, DuplicateFilter),
}


@dataclass(frozen=True)
class BuiltinView:
    key: str
    name: Any  # a lazy translation
    query: str


ACTION_NEEDED = "action_needed=on&sort=deadline"
# The default view of a list: what it shows when opened without any parameter [our rule R5.8].
BUILTIN_VIEWS: dict[str, BuiltinView] = {
    L.OPPORTUNITIES: BuiltinView("action", gettext_lazy("Action needed"), ACTION_NEEDED),
    L.REVIEW_QUEUE: BuiltinView("action", gettext_lazy("Action needed"), ACTION_NEEDED),
}


def default_query(list_key: str) -> str:
    view = BUILTIN_VIEWS.get(list_key)
    return view.query if view else ""


def clean_query(list_key: str, query: str) -> str:
    """The list's own filter and sort parameters of `query`, non-empty ones only."""
    _cap, filterset = LISTS[list_key]
    allowed = set(filterset.base_filters)
    given = QueryDict(query or "")
    kept = QueryDict(mutable=True)
    for name in sorted(allowed & set(given)):
        values = [v.strip() for v in given.getlist(name) if v.strip()][:10]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()[:500]


def _check_list(actor, list_key: str) -> None:
    if list_key not in LISTS:
        raise DomainError(_("Unknown list."), field="list_key")
    require(actor, LISTS[list_key][0])


def saved_views_for(user, list_key: str):
    return SavedView.objects.filter(user=user, list_key=list_key).order_by("name", "id")


@transaction.atomic
def saved_view_save(*, actor, list_key: str, name: str, query: str) -> SavedView:
    """Save the list's filters and sort under `name` (the same name again replaces them)."""
    _check_list(actor, list_key)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Give the view a name."), field="name")
    if len(name) > 60:
        raise DomainError(_("At most 60 characters."), field="name")
    query = clean_query(list_key, query)
    if not query:
        raise DomainError(
            _("Choose some filters or a sort first: this view would show the whole list."),
            field="query",
        )
    existing = SavedView.objects.select_for_update().filter(
        user=actor, list_key=list_key, name=name
    )
    view = existing.first()
    if view is not None:
        view.query = query
        view.save(update_fields=["query"])
        return view
    if saved_views_for(actor, list_key).count() >= MAX_VIEWS_PER_LIST:
        raise DomainError(
            _("You have %(n)s saved views of this list, the limit: delete one first.")
            % {"n": MAX_VIEWS_PER_LIST},
            field="name",
        )
    return SavedView.objects.create(user=actor, list_key=list_key, name=name, query=query)


@transaction.atomic
def saved_view_delete(*, actor, view: SavedView) -> None:
    if view.user_id != getattr(actor, "pk", None):
        raise NotAllowed
    view.delete()
