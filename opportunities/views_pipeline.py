"""Pipeline tools on the pages (issue [5]): owners (reassign), saved views of the lists.
The list pages themselves stay in views.py and call `list_data` / `saved_views_context`."""

from __future__ import annotations

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required, get_for_user
from partner_center.accounts.models import User
from partner_center.errors import DomainError

from .models import Opportunity, SavedView, VendorLead
from .permissions import ASSIGN_OWNERS, REVIEW_OPPORTUNITIES, VIEW_OPPORTUNITIES
from .services import owners, saved_views

L = SavedView.ListKey
LIST_URLS = {
    L.OPPORTUNITIES: "opportunities:list",
    L.HO_INBOX: "opportunities:ho_inbox",
    L.REVIEW_QUEUE: "opportunities:review_queue",
    L.HO_POOL: "opportunities:pool",
    L.DUPLICATES: "opportunities:duplicates",
}


# ---- Saved views -------------------------------------------------------------------------


PAGING = frozenset({"page", "page_size"})


def list_data(request, list_key: str) -> QueryDict | None:
    """The parameters a list is filtered with: the request's, or, when it has none but
    paging, the list's default view ("Action needed", kept while paging); None for an
    unfiltered list."""
    if set(request.GET) - PAGING:
        return request.GET
    default = saved_views.default_query(list_key)
    if not default:
        return request.GET or None
    data = QueryDict(default, mutable=True)
    for name in PAGING & set(request.GET):
        data.setlist(name, request.GET.getlist(name))
    return data


def saved_views_context(request, list_key: str, data: QueryDict | None) -> dict:
    """What the filter bar needs to pick, save and delete views (one query)."""
    current = saved_views.clean_query(list_key, data.urlencode() if data else "")
    views = list(saved_views.saved_views_for(request.user, list_key))
    builtin = saved_views.BUILTIN_VIEWS.get(list_key)
    active = ""
    if builtin and current == saved_views.clean_query(list_key, builtin.query):
        active = builtin.key
    for view in views:
        view.is_active = bool(current) and view.query == current
        if view.is_active:
            active = f"saved-{view.pk}"
    return {
        "views_list_key": list_key,
        "views_builtin": builtin,
        "views_saved": views,
        "views_current_query": current,
        "views_active": active,
        "views_all_query": "view=all" if builtin else "",
    }


def _back_to_list(list_key: str, query: str = ""):
    url = reverse(LIST_URLS.get(list_key, "opportunities:list"))
    return redirect(f"{url}?{query}" if query else url)


@require_POST
@capability_required(VIEW_OPPORTUNITIES)
def saved_view_save(request):
    list_key = request.POST.get("list_key", "")
    query = request.POST.get("query", "")
    try:
        view = saved_views.saved_view_save(
            actor=request.user, list_key=list_key, name=request.POST.get("name", ""), query=query
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        if list_key not in LIST_URLS:
            return _back_to_list(L.OPPORTUNITIES)
        return _back_to_list(list_key, saved_views.clean_query(list_key, query))
    messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
    return _back_to_list(view.list_key, view.query)


@require_POST
@capability_required(VIEW_OPPORTUNITIES)
def saved_view_delete(request, pk: int):
    view = get_object_or_404(SavedView, pk=pk, user=request.user)
    saved_views.saved_view_delete(actor=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return _back_to_list(view.list_key)


# ---- Owners ------------------------------------------------------------------------------


def owners_context(request, opp: Opportunity) -> dict:
    """The owners card of a deal page: who owns it, and whom it may be given to."""
    user = request.user
    can_assign = ASSIGN_OWNERS.allows(user) and (
        user.partner_id == opp.partner_id or not user.partner_id
    )
    return {
        "owner_choices": list(owners.assignable_owners(opp.partner_id)) if can_assign else [],
        "bd_owner_choices": list(owners.assignable_bd_owners())
        if REVIEW_OPPORTUNITIES.allows(user)
        else [],
    }


def _user_from_post(request, name: str) -> User | None:
    value = request.POST.get(name, "")
    return (
        User.objects.filter(pk=int(value)).first() if value.isdigit() and len(value) < 12 else None
    )


def _done(request, call, success: str) -> None:
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def _owner_change(cap, fetch, field: str, change, success, detail: str):
    """The view of a form that names a new owner (`field`, a user id) of the object
    `fetch(request, pk)`: `change(actor, obj, user)`, then back to the page that posted it
    (or `detail`)."""

    @require_POST
    @capability_required(cap)
    def view(request, pk: int):
        obj = fetch(request, pk)
        user = _user_from_post(request, field)
        _done(request, lambda: change(request.user, obj, user), success)
        return _redirect_next(request, reverse(detail, args=[obj.pk]))

    return view


# The partner admin gives a deal to another user of the partner.
opportunity_owner = _owner_change(
    ASSIGN_OWNERS,
    lambda request, pk: get_for_user(Opportunity.objects.all(), request.user, pk=pk),
    "owner",
    lambda actor, opp, user: owners.opportunity_set_owner(actor=actor, opportunity=opp, owner=user),
    gettext_lazy("Owner changed."),
    "opportunities:detail",
)
opportunity_bd_owner = _owner_change(
    REVIEW_OPPORTUNITIES,
    lambda request, pk: get_object_or_404(Opportunity.objects.select_related("partner"), pk=pk),
    "bd_owner",
    lambda actor, opp, user: owners.opportunity_set_bd_owner(
        actor=actor, opportunity=opp, bd_owner=user
    ),
    gettext_lazy("BD owner changed."),
    "opportunities:detail",
)
lead_bd_owner = _owner_change(
    REVIEW_OPPORTUNITIES,
    lambda request, pk: get_object_or_404(VendorLead, pk=pk),
    "bd_owner",
    lambda actor, lead, user: owners.lead_set_bd_owner(actor=actor, lead=lead, bd_owner=user),
    gettext_lazy("BD owner changed."),
    "opportunities:lead_detail",
)


def _redirect_next(request, default: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)
