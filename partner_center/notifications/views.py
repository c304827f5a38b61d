"""Pages: the notification center, e-mail preference and topic subscriptions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required
from partner_center.accounts.language import language_set, preferred_language, remember_language
from partner_center.paging import Paginator
from partner_center.views_common import posted

from . import services
from .filters import NotificationFilter
from .forms import PreferenceForm, ResellerThresholdForm, SubscriptionForm
from .models import Notification, Topic
from .permissions import MANAGE_SUBSCRIPTIONS, SET_TOPIC_THRESHOLDS, USE_NOTIFICATIONS
from .selectors import (
    email_enabled_for,
    notifications_for,
    subscribed_topics_of,
    subscriptions_for,
    unread_count_for,
)
from .services_topics import reseller_low_balance_of, reseller_threshold_set


@capability_required(USE_NOTIFICATIONS)
def notification_list(request):
    filterset = NotificationFilter(request.GET or None, queryset=notifications_for(request.user))
    qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {
            "page_title": _("Notifications"),
            "filter": filterset,
            "page_obj": page,
            "unread": unread_count_for(request.user),
            "email_enabled": email_enabled_for(request.user),
        },
    )


@require_POST
@capability_required(USE_NOTIFICATIONS)
def mark_read(request, pk):
    note = get_object_or_404(Notification, recipient=request.user, pk=pk)
    services.mark_read(actor=request.user, notification_ids=[note.pk])
    return redirect("notifications:list")


@require_POST
@capability_required(USE_NOTIFICATIONS)
def mark_all_read(request):
    count = services.mark_read(actor=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("notifications:list")


@require_POST
@capability_required(USE_NOTIFICATIONS)
def open_notification(request, pk):
    """Mark the notification read and go to the page it points to."""
    note = get_object_or_404(Notification, recipient=request.user, pk=pk)
    services.mark_read(actor=request.user, notification_ids=[note.pk])
    if note.link and url_has_allowed_host_and_scheme(
        note.link, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(note.link)
    return redirect("notifications:list")


@capability_required(USE_NOTIFICATIONS)
def preferences(request):
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        initial={
            "email_enabled": email_enabled_for(request.user),
            "language": preferred_language(request.user, request.LANGUAGE_CODE),
        },
    )
    if request.method == "POST" and form.is_valid():
        services.preference_set(
            actor=request.user, email_enabled=form.cleaned_data["email_enabled"]
        )
        if form.cleaned_data["language"]:
            language_set(actor=request.user, language=form.cleaned_data["language"])
            remember_language(request, form.cleaned_data["language"])
        messages.success(request, _("Your preference was saved."))
        return redirect("notifications:list")
    return render(
        request,
        "notifications/preferences.html",
        {"page_title": _("Notification settings"), "form": form},
    )


@capability_required(MANAGE_SUBSCRIPTIONS)
def subscriptions(request):
    partner = request.user.partner
    allowed = services.topics_for_partner(partner)
    # The page has two forms: the topics, and (distributors' admins) the digest threshold.
    threshold_posted = request.method == "POST" and "reseller_low_balance" in request.POST
    form = SubscriptionForm(
        request.POST if request.method == "POST" and not threshold_posted else None,
        allowed_topics=allowed,
        initial={"topics": sorted(subscribed_topics_of(request.user))},
    )
    can_set_threshold = SET_TOPIC_THRESHOLDS.allows(request.user)
    threshold_form = ResellerThresholdForm(
        request.POST if threshold_posted else None,
        initial={"reseller_low_balance": reseller_low_balance_of(request.user.partner_id)},
    )
    if threshold_posted:
        saved = posted(
            request,
            threshold_form,
            lambda data: reseller_threshold_set(
                actor=request.user, amount=data["reseller_low_balance"]
            ),
            message=_("The threshold was saved."),
            done="notifications:subscriptions",
        )
    else:
        saved = posted(
            request,
            form,
            lambda data: services.subscriptions_set(actor=request.user, topics=data["topics"]),
            message=_("Your subscriptions were saved."),
            done="notifications:subscriptions",
        )
    if saved:
        return saved
    team = None
    if request.user.role == "partner_admin":
        rows: dict[str, list] = {t: [] for t in allowed}
        for sub in subscriptions_for(request.user):
            rows.setdefault(sub.topic, []).append(sub.user)
        team = [(Topic(t).label, users) for t, users in rows.items()]
    return render(
        request,
        "notifications/subscriptions.html",
        {
            "page_title": _("Subscriptions"),
            "form": form,
            "team": team,
            "reseller_hidden": Topic.RESELLER_INFO not in allowed,
            "threshold_form": threshold_form if can_set_threshold else None,
            "threshold": reseller_low_balance_of(request.user.partner_id)
            if Topic.RESELLER_INFO in allowed
            else None,
        },
    )
