"""Pages: partner paths, deregistration, the PCE program (partner side and BD queue)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required, get_for_user
from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.views_common import filtered_page, posted
from partner_center.workflow import verb_label

from . import services
from .filters import PCEApplicationFilter
from .forms import DecisionForm, DeregisterForm, PathForm, PCEApplyForm
from .models import PCEApplication
from .permissions import (
    DEREGISTER_PARTNER,
    MANAGE_PROGRAMS,
    PCE_ELIGIBLE_TYPES,
    REVIEW_PCE,
    VIEW_PROGRAMS,
)
from .selectors import current_pce_application, pce_applications_for
from .transitions import PCE


def _pce_timeline(application):
    """The application's events with readable labels and states."""
    events = list(timeline_for(application))
    for event in events:
        event.label = verb_label(event.verb)
        event.from_state = PCE.state_label(event.from_state)
        event.to_state = PCE.state_label(event.to_state)
    return events


def _path_rows(partner):
    joined = set(services.joined_paths(partner))
    return [
        {"code": p.value, "label": PartnerType(p).label, "joined": p in joined}
        for p in PARTNER_PATHS
    ]


@capability_required(VIEW_PROGRAMS)
def paths(request):
    partner = request.user.partner
    return render(
        request,
        "programs/paths.html",
        {
            "page_title": _("Partner paths"),
            "partner": partner,
            "paths": _path_rows(partner),
            "can_manage": MANAGE_PROGRAMS.allows(request.user),
        },
    )


@require_POST
@capability_required(MANAGE_PROGRAMS)
def path_change(request, action):
    form = PathForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This is not a partner path."))
        return redirect("programs:paths")
    path = form.cleaned_data["path"]
    label = PartnerType(path).label
    try:
        if action == "join":
            services.path_join(actor=request.user, partner=request.user.partner, path=path)
            messages.success(request, _("Your partner joined the %(path)s path.") % {"path": label})
        else:
            services.path_exit(actor=request.user, partner=request.user.partner, path=path)
            messages.success(request, _("Your partner left the %(path)s path.") % {"path": label})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("programs:paths")


@capability_required(DEREGISTER_PARTNER)
def deregister(request):
    partner = request.user.partner
    blockers = services.deregistration_blockers(partner)
    form = DeregisterForm(request.POST if request.method == "POST" else None)

    def deregister(data):
        services.partner_deregister(
            actor=request.user, partner=partner, confirm_name=data["confirm_name"]
        )
        logout(request)
        messages.info(request, _("The partner account was deregistered. Its records are kept."))

    return posted(request, form, deregister, done="login") or render(
        request,
        "programs/deregister.html",
        {
            "page_title": _("Deregister the partner account"),
            "partner": partner,
            "blockers": blockers,
            "form": form,
        },
    )


@capability_required(VIEW_PROGRAMS)
def pce(request):
    partner = request.user.partner
    can_manage = MANAGE_PROGRAMS.allows(request.user)
    refusal = services.pce_refusal(partner)
    form = PCEApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_manage:
            return redirect("programs:pce")
        applied = posted(
            request,
            form,
            lambda data: services.pce_apply(
                actor=request.user,
                partner=partner,
                motivation=data["motivation"],
                industries=data["industries"],
                accept_rules=data["accept_rules"],
            ),
            message=_("Your application was sent to BD."),
            done="programs:pce",
        )
        if applied:
            return applied
    history = pce_applications_for(request.user).order_by("-applied_at", "-id")
    return render(
        request,
        "programs/pce.html",
        {
            "page_title": _("PCE program"),
            "partner": partner,
            "current": current_pce_application(partner.pk),
            "history": history,
            "can_apply": can_manage and not refusal,
            "refusal": refusal,
            "form": form,
            "eligible_types": _(", ").join(
                str(PartnerType(t).label) for t in PartnerType if t in PCE_ELIGIBLE_TYPES
            ),
        },
    )


@capability_required(REVIEW_PCE)
def pce_queue(request):
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = PCEApplication.State.APPLIED  # the queue: what waits for BD
    filterset = PCEApplicationFilter(data, queryset=pce_applications_for(request.user))
    return render(
        request,
        "programs/pce_queue.html",
        {
            "page_title": _("PCE applications"),
            "filter": filterset,
            "page_obj": filtered_page(request, filterset),
        },
    )


@capability_required(REVIEW_PCE)
def pce_review(request, pk):
    application = get_for_user(pce_applications_for(request.user), request.user, pk=pk)
    form = DecisionForm(request.POST if request.method == "POST" else None)

    def decide(data):
        reason = data["reason"]
        if request.POST.get("decision") == "approve":
            services.pce_approve(actor=request.user, application=application, reason=reason)
            messages.success(
                request, _("%(partner)s is now a PCE member.") % {"partner": application.partner}
            )
        else:
            services.pce_reject(actor=request.user, application=application, reason=reason)
            messages.success(request, _("The application was rejected."))

    return posted(request, form, decide, done="programs:pce_queue") or render(
        request,
        "programs/pce_review.html",
        {
            "page_title": _("PCE application"),
            "application": application,
            "form": form,
            "events": _pce_timeline(application),
            "types": _(", ").join(str(t) for t in application.partner.type_labels),
        },
    )
