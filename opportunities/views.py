"""Pages for partners (POs, HO inbox, progress, import) and BD (review queue, verification,
HO pool, duplicate queue). Views parse and authorize; services decide."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center import exports, uploads
from partner_center.accounts.access import capability_required, get_for_user, is_vendor_staff
from partner_center.errors import DomainError
from partner_center.paging import Paginator, WindowPaginator
from partner_center.programs.selectors import is_pce_member
from partner_center.views_common import acted, posted
from partner_center.workdays import working_days_left_many

from . import (
    imports,
    list_exports,
    protection,
    routing,
    selectors,
    services,
    sla,
    stepper,
    views_pipeline,
)
from . import transitions as tr
from .catalog import LeadCloseReason, LostReason
from .filters import DuplicateFilter, LeadFilter, OpportunityFilter
from .forms import (
    BulkReviewForm,
    ConsentForm,
    DecideForm,
    DeclineForm,
    ImportForm,
    LeadForm,
    POForm,
    ProgressForm,
    RejectForm,
    ReturnForm,
    ShareForm,
    VerifyForm,
)
from .models import HO_INBOX_ORDER, DuplicatePair, Opportunity, POImport, VendorLead
from .permissions import REVIEW_OPPORTUNITIES, VIEW_OPPORTUNITIES, WORK_OPPORTUNITIES
from .transitions import SLA_WORKING_DAYS
from .views_dashboards import rank_share_form

S = Opportunity.State
K = Opportunity.Kind
PAGE_SIZE = 20
EXPORTABLE = ("opportunities", "review_queue", "ho_pool")
MAX_PAGE_SIZE = 100


def _page(request, queryset, size: int = PAGE_SIZE, paginator=Paginator):
    with contextlib.suppress(ValueError):
        size = min(max(int(request.GET.get("page_size", size)), 1), MAX_PAGE_SIZE)
    return paginator(queryset, size).get_page(request.GET.get("page"))


def _action_page(request, opp, form, act, *, title, submit_label, success="", **extra):
    """One action on an opportunity behind a form: on a valid POST `act(cleaned_data)` calls
    the service; a refusal shows next to its field, success flashes `success` and goes back
    to the opportunity."""
    done = posted(
        request,
        form,
        act,
        message=success or None,
        done=reverse("opportunities:detail", args=[opp.pk]),
    )
    context = {"page_title": title, "opp": opp, "form": form, "submit_label": submit_label}
    return done or render(request, "opportunities/action_form.html", {**context, **extra})


# ---- Lists -------------------------------------------------------------------------------


def _filtered(request, *, base, list_key, default_order=None, kind=None, states=None):
    """The list's rows as the page shows them: its filters (the default view when bare) and
    its sort. The page and its export share it."""
    data = views_pipeline.list_data(request, list_key)  # "Action needed" when bare
    filterset = OpportunityFilter(data, queryset=base, request=request, kind=kind, states=states)
    qs = filterset.qs if filterset.is_bound else base
    if not filterset.is_bound or not data.get("sort"):
        qs = qs.order_by(*(default_order or ("-created_at", "-id")))
    return data, filterset, qs


def _opportunity_list(
    request, *, base, template, title, list_key, extra=None, kind=None, states=None
):
    data, filterset, qs = _filtered(
        request,
        base=base,
        list_key=list_key,
        default_order=(extra or {}).get("default_order"),
        kind=kind,
        states=states,
    )
    page = _page(request, qs)
    page.object_list = selectors.attach_days_left(page.object_list)
    context = {
        "page_title": title,
        "filter": filterset,
        "page_obj": page,
        "rows": page.object_list,
        "is_vendor": is_vendor_staff(request.user),
        "pce_member": is_pce_member(request.user.partner_id) if request.user.partner_id else False,
        **views_pipeline.saved_views_context(request, list_key, data),
        "export_name": f"opportunities:{list_key}_export" if list_key in EXPORTABLE else "",
        "export_query": request.GET.urlencode(),
        **(extra or {}),
    }
    return render(request, template, context)


@capability_required(VIEW_OPPORTUNITIES)
def opportunity_list(request):
    return _opportunity_list(
        request,
        base=selectors.opportunities_for(request.user),
        template="opportunities/list.html",
        title=gettext_lazy("Opportunities"),
        list_key="opportunities",
    )


@capability_required(WORK_OPPORTUNITIES)
def ho_inbox(request):
    base = selectors.opportunities_for(request.user).filter(kind=K.HO)
    return _opportunity_list(
        request,
        base=base,
        template="opportunities/inbox.html",
        title=gettext_lazy("HO inbox"),
        list_key="ho_inbox",
        extra={"default_order": HO_INBOX_ORDER, "inbox": True},
        kind=K.HO,
    )


@capability_required(REVIEW_OPPORTUNITIES)
def review_queue(request):
    return _opportunity_list(
        request,
        base=selectors.review_queue(),
        template="opportunities/review_queue.html",
        title=gettext_lazy("PO review queue"),
        list_key="review_queue",
        extra={"default_order": ("deadline", "id"), "bulk": True, "bulk_form": BulkReviewForm()},
        kind=K.PO,
        states=tr.PO_OPEN_STATES,
    )


@capability_required(VIEW_OPPORTUNITIES)
def opportunities_export(request, fmt: str):
    _data, _filters, qs = _filtered(
        request, base=selectors.opportunities_for(request.user), list_key="opportunities"
    )
    return list_exports.response(
        fmt,
        list_exports.opportunity_rows(qs, with_partner=is_vendor_staff(request.user)),
        filename="opportunities",
    )


@capability_required(REVIEW_OPPORTUNITIES)
def review_queue_export(request, fmt: str):
    _data, _filters, qs = _filtered(
        request,
        base=selectors.review_queue(),
        list_key="review_queue",
        default_order=("deadline", "id"),
        kind=K.PO,
        states=tr.PO_OPEN_STATES,
    )
    return list_exports.response(
        fmt, list_exports.opportunity_rows(qs, with_partner=True), filename="po-review-queue"
    )


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def review_bulk(request):
    """The action BD chose for the POs ticked in the review queue; back to the queue with a
    summary of what was done and what was refused, and why."""
    form = BulkReviewForm(request.POST)
    query = QueryDict(request.POST.get("next_query", "")).urlencode()  # the queue's filters
    back = redirect(f"{reverse('opportunities:review_queue')}?{query}")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the selected POs."))
        return back
    data = form.cleaned_data
    try:
        results = services.po_bulk_review(
            request.user,
            request.POST.getlist("ids"),
            data["action"],
            comment=data["comment"],
            reason=data["reason"],
            fields=data["fields"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return back
    done = [r for r in results if r.ok]
    refused = [r for r in results if not r.ok]
    if done:
        messages.success(request, _("Done: %(count)s POs.") % {"count": len(done)})
    if refused:
        messages.warning(
            request,
            _("Refused: %(count)s POs. %(reasons)s")
            % {
                "count": len(refused),
                "reasons": " ".join(
                    _("PO #%(id)s: %(reason)s") % {"id": r.id, "reason": r.message} for r in refused
                ),
            },
        )
    return back


# ---- Detail ------------------------------------------------------------------------------


@capability_required(VIEW_OPPORTUNITIES)
def opportunity_detail(request, pk: int):
    opp = selectors.opportunity_for_user(request.user, pk)
    user = request.user
    vendor = is_vendor_staff(user)
    partner_side = not vendor and WORK_OPPORTUNITIES.allows(user)
    context = {
        "page_title": f"{opp.get_kind_display()} #{opp.pk}",
        "opp": opp,
        "is_vendor": vendor,
        "timeline": selectors.timeline(opp, user),
        "decision_text": selectors.decision_text(opp),
        "stepper": stepper.steps(opp),
        "contact_visible": selectors.contact_visible(opp, user),
        "editable": tr.partner_editable_fields(opp) if partner_side else frozenset(),
        "unlocked_labels": [tr.field_label(f) for f in opp.unlocked_fields or []],
        # A list in the reader's punctuation: 联系电话、预计金额 / contact phone, amount
        "unlocked_text": ("、" if get_language().startswith("zh") else ", ").join(
            str(tr.field_label(f)) for f in opp.unlocked_fields or []
        ),
        "partner_actions": partner_side,
        "bd_actions": vendor and REVIEW_OPPORTUNITIES.allows(user),
        # The transitions the table allows now (buttons ask this, never the state).
        "can": dict.fromkeys(tr.lifecycle(opp).allowed(opp), True),
        "deadline_passed": opp.clock_running and opp.deadline and opp.deadline < _now(),
        "deadline_provisional": sla.is_provisional(opp),
        "protection_live": protection.is_live(opp),
        "lost_reasons": LostReason.choices,
        "hints": selectors.duplicate_hints(opp)
        if opp.is_po and opp.state in (S.DRAFT, S.RETURNED) and partner_side
        else [],
        **views_pipeline.owners_context(request, opp),
    }
    # Working on a deal together (collab): comments merged into the timeline, next steps,
    # files; a refused collab form comes back here with its errors (status 400).
    from .collab.selectors import deal_context

    context.update(deal_context(opp, user, context["timeline"], request=request))
    response = render(request, "opportunities/detail.html", context)
    if getattr(request, "collab_errors", None):
        response.status_code = 400
    return response


def _now():
    return timezone.now()


def _partner_opportunity(request, pk: int, **filters) -> Opportunity:
    """A partner action's object: its own partner's, or 404."""
    return get_for_user(
        Opportunity.objects.select_related("partner"), request.user, pk=pk, **filters
    )


# ---- PO: create, edit, submit ------------------------------------------------------------


@capability_required(WORK_OPPORTUNITIES)
def po_create(request):
    form = POForm(request.POST or None)
    return posted(
        request,
        form,
        lambda data: services.po_create(
            actor=request.user, partner=request.user.partner, data=data
        ),
        message=_("Draft saved. Check it, then submit it to the vendor."),
        done=lambda po: reverse("opportunities:detail", args=[po.pk]),
    ) or render(
        request,
        "opportunities/po_form.html",
        {
            "page_title": _("New PO"),
            "form": form,
            "pce_member": is_pce_member(request.user.partner_id),
        },
    )


@capability_required(WORK_OPPORTUNITIES)
def po_edit(request, pk: int):
    po = _partner_opportunity(request, pk, kind=K.PO)
    editable = tr.partner_editable_fields(po)
    if not tr.PO.can(po, "edit") or not editable:
        messages.info(request, _("This PO cannot be edited now."))
        return redirect("opportunities:detail", po.pk)
    form = POForm(request.POST or None, instance=po, editable=editable)
    resubmit = "resubmit" in request.POST and tr.PO.can(po, "resubmit")
    return posted(
        request,
        form,
        lambda _data: (services.po_save_and_resubmit if resubmit else services.po_edit)(
            actor=request.user, po=po, changes=form.changes()
        ),
        message=_("Changes saved and resubmitted.") if resubmit else _("Changes saved."),
        done=reverse("opportunities:detail", args=[po.pk]),
    ) or render(
        request,
        "opportunities/po_form.html",
        {"page_title": _("Edit PO #%(id)s") % {"id": po.pk}, "form": form, "po": po},
    )


def _consent(data) -> services.Consent:
    """The customer's consent as the partner confirmed it on a form (its evidence optional)."""
    return services.Consent(
        confirmed=data["consent_confirmed"],
        method=data["consent_method"],
        note=data["consent_note"],
        file=data.get("consent_file"),
    )


@capability_required(WORK_OPPORTUNITIES)
def po_submit(request, pk: int):
    po = _partner_opportunity(request, pk, kind=K.PO)
    if not tr.PO.can(po, "submit"):
        messages.info(request, _("This PO was submitted already."))
        return redirect("opportunities:detail", po.pk)
    form = ConsentForm(request.POST or None, request.FILES or None)
    return posted(
        request,
        form,
        lambda data: services.po_submit(actor=request.user, po=po, consent=_consent(data)),
        message=_("Submitted. The vendor verifies it within %(days)s working days.")
        % {"days": SLA_WORKING_DAYS[Opportunity.Kind.PO]},
        done=reverse("opportunities:detail", args=[po.pk]),
    ) or render(
        request,
        "opportunities/submit.html",
        {
            "page_title": _("Submit PO #%(id)s") % {"id": po.pk},
            "po": po,
            "form": form,
            "hints": selectors.duplicate_hints(po),
            "pce_member": is_pce_member(po.partner_id),
        },
    )


@require_POST
@capability_required(WORK_OPPORTUNITIES)
def po_resubmit(request, pk: int):
    po = _partner_opportunity(request, pk, kind=K.PO)
    return _opportunity_action(
        request,
        po.pk,
        lambda: services.po_resubmit(actor=request.user, po=po, note=request.POST.get("note", "")),
        _("Resubmitted. The deadline stays as it was."),
    )


@capability_required(VIEW_OPPORTUNITIES)
def consent_file(request, pk: int):
    po = selectors.opportunity_for_user(request.user, pk)
    if not po.consent_file:
        raise Http404
    return uploads.field_file_response(
        po.consent_file,
        filename=po.consent_file_name or po.consent_file.name,
        content_type=po.consent_file_type,
    )


# ---- Progress ----------------------------------------------------------------------------


@capability_required(WORK_OPPORTUNITIES)
def progress(request, pk: int):
    opp = _partner_opportunity(request, pk)
    editable = tr.partner_editable_fields(opp)
    if opp.state not in tr.ACTIVE_STATES:
        messages.info(
            request,
            _("Progress updates take effect after verification (PO) or acceptance (HO)."),
        )
        return redirect("opportunities:detail", opp.pk)
    form = ProgressForm(request.POST or None, instance=opp, editable=editable)
    return _action_page(
        request,
        opp,
        form,
        lambda data: services.opportunity_update_progress(
            actor=request.user, opportunity=opp, changes=form.changes(), note=data["note"]
        ),
        title=_("Progress update"),
        submit_label=_("Save the update"),
        success=_("Progress update saved."),
    )


# ---- HO: accept, decline -----------------------------------------------------------------


@require_POST
@capability_required(WORK_OPPORTUNITIES)
def ho_accept(request, pk: int):
    ho = _partner_opportunity(request, pk, kind=K.HO)
    return _opportunity_action(
        request,
        ho.pk,
        lambda: services.ho_accept(actor=request.user, ho=ho),
        _("Accepted. The customer's contact details are now shown."),
    )


@capability_required(WORK_OPPORTUNITIES)
def ho_decline(request, pk: int):
    ho = _partner_opportunity(request, pk, kind=K.HO)
    return _action_page(
        request,
        ho,
        DeclineForm(request.POST or None),
        lambda data: services.ho_decline(actor=request.user, ho=ho, reason=data["reason"]),
        title=_("Decline HO #%(id)s") % {"id": ho.pk},
        submit_label=_("Decline"),
        success=_("Declined. The HO goes back to the vendor."),
        danger=True,
    )


# ---- BD: review, verify, reject, return, core label --------------------------------------


def _bd_opportunity(pk: int, **filters) -> Opportunity:
    return get_object_or_404(Opportunity.objects.select_related("partner"), pk=pk, **filters)


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def po_start_verification(request, pk: int):
    po = _bd_opportunity(pk, kind=K.PO)
    return _opportunity_action(
        request,
        po.pk,
        lambda: services.po_start_verification(actor=request.user, po=po),
        _("Review passed: the PO is under verification."),
    )


@capability_required(REVIEW_OPPORTUNITIES)
def po_verify(request, pk: int):
    po = _bd_opportunity(pk, kind=K.PO)

    def verify(data):
        verified = services.po_verify(
            actor=request.user,
            po=po,
            account_manager=data["account_manager"],
            confirmed_on=data["account_manager_confirmed_on"],
            note=data["note"],
        )
        if verified.state == S.VERIFIED:
            messages.success(request, _("Verification passed."))
        else:  # a duplicate verified first: the rule's verdict says why
            messages.warning(request, selectors.decision_text(verified))

    return _action_page(
        request,
        po,
        VerifyForm(request.POST or None),
        verify,
        title=_("Verify PO #%(id)s") % {"id": po.pk},
        submit_label=_("Verification passed"),
        hints=selectors.duplicate_hints(po),
    )


@capability_required(REVIEW_OPPORTUNITIES)
def po_reject(request, pk: int):
    po = _bd_opportunity(pk, kind=K.PO)
    return _action_page(
        request,
        po,
        RejectForm(request.POST or None),
        lambda data: services.po_reject(
            actor=request.user, po=po, reason=data["reason"], note=data["note"]
        ),
        title=_("Reject PO #%(id)s") % {"id": po.pk},
        submit_label=_("Reject"),
        success=_("The PO was rejected."),
        danger=True,
    )


@capability_required(REVIEW_OPPORTUNITIES)
def po_return(request, pk: int):
    po = _bd_opportunity(pk, kind=K.PO)
    return _action_page(
        request,
        po,
        ReturnForm(request.POST or None),
        lambda data: services.po_return_for_changes(
            actor=request.user, po=po, fields=data["fields"], comment=data["comment"]
        ),
        title=_("Return PO #%(id)s for changes") % {"id": po.pk},
        submit_label=_("Return for changes"),
        success=_("Returned to the partner for changes."),
    )


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def core_label(request, pk: int):
    opp = _bd_opportunity(pk)
    return _opportunity_action(
        request,
        opp.pk,
        lambda: services.opportunity_set_core_label(
            actor=request.user, opportunity=opp, core_label=request.POST.get("core_label") == "1"
        ),
        _("Core label saved."),
    )


# ---- Deal protection (R4.1) ---------------------------------------------------------------


def _opportunity_action(request, pk: int, call, done: str):
    """A button on an opportunity: the service's refusal or `done` is flashed, then back."""
    return acted(request, call, message=done, done=reverse("opportunities:detail", args=[pk]))


@require_POST
@capability_required(WORK_OPPORTUNITIES)
def opportunity_close(request, pk: int):
    opp = _partner_opportunity(request, pk)
    return _opportunity_action(
        request,
        opp.pk,
        lambda: services.opportunity_close(
            actor=request.user,
            opportunity=opp,
            outcome=request.POST.get("outcome", ""),
            lost_reason=request.POST.get("lost_reason", ""),
            note=request.POST.get("note", ""),
        ),
        _("The deal is closed; its customer is free for other partners."),
    )


@require_POST
@capability_required(WORK_OPPORTUNITIES)
def protection_request(request, pk: int):
    opp = _partner_opportunity(request, pk)
    return _opportunity_action(
        request,
        opp.pk,
        lambda: services.protection_request_extension(
            actor=request.user, opportunity=opp, note=request.POST.get("note", "")
        ),
        _("Your request was sent to the vendor."),
    )


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def protection_decide(request, pk: int):
    opp = _bd_opportunity(pk)
    return _opportunity_action(
        request,
        opp.pk,
        lambda: services.protection_decide_extension(
            actor=request.user,
            opportunity=opp,
            approve=request.POST.get("approve") == "1",
            reason=request.POST.get("reason", ""),
        ),
        _("Decision saved."),
    )


# ---- BD: HO pool -------------------------------------------------------------------------


@capability_required(REVIEW_OPPORTUNITIES)
def pool(request):
    data, filterset, qs = _pool_filtered(request)
    page = _page(request, qs, paginator=WindowPaginator)
    page.object_list = list(page.object_list)
    pending = [lead for lead in page.object_list if lead.share_state == "pending"]
    lefts = working_days_left_many(timezone.now(), [lead.share_deadline for lead in pending])
    for lead, left in zip(pending, lefts, strict=True):
        lead.days_left = left
    for lead in page.object_list:
        lead.status = selectors.lead_status(lead)
    return render(
        request,
        "opportunities/pool.html",
        {
            "page_title": _("HO pool"),
            "filter": filterset,
            "page_obj": page,
            "rows": page.object_list,
            **views_pipeline.saved_views_context(request, "ho_pool", data),
            "export_name": "opportunities:ho_pool_export",
            "export_query": request.GET.urlencode(),
        },
    )


def _pool_filtered(request):
    base = selectors.pool_leads()
    data = views_pipeline.list_data(request, "ho_pool")
    filterset = LeadFilter(data, queryset=base, request=request)
    return data, filterset, (filterset.qs if filterset.is_bound else base)


@capability_required(REVIEW_OPPORTUNITIES)
def pool_export(request, fmt: str):
    _data, _filters, qs = _pool_filtered(request)
    return list_exports.response(fmt, list_exports.lead_rows(qs), filename="ho-pool")


@capability_required(REVIEW_OPPORTUNITIES)
def lead_create(request):
    form = LeadForm(request.POST or None)
    return posted(
        request,
        form,
        lambda data: services.lead_create(
            actor=request.user,
            crm_id=data["crm_id"],
            crm_created_at=data["crm_created_at"],
            data=form.data_fields(),
        ),
        message=_("Added to the pool."),
        done=lambda lead: reverse("opportunities:lead_detail", args=[lead.pk]),
    ) or render(request, "opportunities/lead_form.html", {"page_title": _("New HO"), "form": form})


def _lead_page(request, lead: VendorLead, share_form: ShareForm, status: int = 200):
    lead = selectors.pool_leads().get(pk=lead.pk)
    # Lead routing (R5.7): the partners ranked by fit, with the points of each factor.
    candidates = routing.rank(lead)
    rank_share_form(share_form, candidates)
    return render(
        request,
        "opportunities/lead_detail.html",
        {
            "page_title": _("HO %(crm)s") % {"crm": lead.crm_id},
            "lead": lead,
            "status": selectors.lead_status(lead),
            "shares": lead.shares.select_related("partner").order_by("-shared_at"),
            "share_form": share_form,
            "timeline": selectors.lead_timeline(lead, request.user),
            "pairs": DuplicatePair.objects.filter(lead=lead).select_related("po", "po__partner"),
            "can_retire": tr.LEAD.can(lead, "retire"),
            "can_reopen": tr.LEAD.can(lead, "reopen"),
            "close_reasons": LeadCloseReason.choices,
            "candidates": candidates,
            "max_score": routing.MAX_SCORE,
            "bd_owner_choices": list(views_pipeline.owners.assignable_bd_owners()),
        },
        status=status,
    )


@capability_required(REVIEW_OPPORTUNITIES)
def lead_detail(request, pk: int):
    lead = get_object_or_404(VendorLead, pk=pk)
    return _lead_page(request, lead, ShareForm())


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def lead_share(request, pk: int):
    lead = get_object_or_404(VendorLead, pk=pk)
    form = ShareForm(request.POST)
    return posted(
        request,
        form,
        lambda data: services.ho_share(actor=request.user, lead=lead, **data),
        message=lambda share: (
            _("Shared with %(partner)s: it waits for acceptance.") % {"partner": share.partner.name}
        ),
        done=reverse("opportunities:lead_detail", args=[lead.pk]),
    ) or _lead_page(request, lead, form, status=400)


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def lead_close(request, pk: int):
    """Retire a lead from the pool with a reason (R4.2)."""
    lead = get_object_or_404(VendorLead, pk=pk)
    return acted(
        request,
        lambda: services.lead_retire(
            actor=request.user,
            lead=lead,
            reason=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        ),
        message=_("The lead is closed: it wins no duplicate any more."),
        done=reverse("opportunities:lead_detail", args=[lead.pk]),
    )


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def lead_reopen(request, pk: int):
    lead = get_object_or_404(VendorLead, pk=pk)
    return acted(
        request,
        lambda: services.lead_reopen(
            actor=request.user, lead=lead, note=request.POST.get("note", "")
        ),
        message=_("The lead is back in the pool."),
        done=reverse("opportunities:lead_detail", args=[lead.pk]),
    )


# ---- BD: duplicate queue -----------------------------------------------------------------


@capability_required(REVIEW_OPPORTUNITIES)
def duplicate_queue(request):
    base = selectors.open_pairs().order_by("-detected_at", "-id")
    data = views_pipeline.list_data(request, "duplicates")
    filterset = DuplicateFilter(data, queryset=base)
    qs = filterset.qs if filterset.is_bound else base
    page = _page(request, selectors.checked_pairs(qs), paginator=WindowPaginator)
    rows = []
    from .duplicates import verdict_for

    for pair in page.object_list:
        pair.verdict = verdict_for(pair)
        rows.append(pair)
    return render(
        request,
        "opportunities/duplicates.html",
        {
            "page_title": _("Duplicate queue"),
            "filter": filterset,
            "page_obj": page,
            "rows": rows,
            **views_pipeline.saved_views_context(request, "duplicates", data),
        },
    )


@require_POST
@capability_required(REVIEW_OPPORTUNITIES)
def duplicate_decide(request, pk: int):
    pair = get_object_or_404(DuplicatePair, pk=pk)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("opportunities:duplicates")
    return acted(
        request,
        lambda: services.duplicate_decide(
            actor=request.user,
            pair=pair,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        message=_("Decision saved."),
        done="opportunities:duplicates",
    )


# ---- Bulk import -------------------------------------------------------------------------


@capability_required(WORK_OPPORTUNITIES)
def import_start(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    started = posted(
        request,
        form,
        lambda data: services.po_import_start(
            actor=request.user,
            partner=request.user.partner,
            upload=data["file"],
            submit_rows=data["submit_rows"],
            consent=_consent(data),
        ),
        done=lambda imp: reverse("opportunities:import_detail", args=[imp.pk]),
    )
    if started:
        return started
    history = _page(request, selectors.imports_for(request.user), 10)
    return render(
        request,
        "opportunities/import.html",
        {
            "page_title": _("Import POs"),
            "form": form,
            "page_obj": history,
            "rows": history.object_list,
        },
    )


@capability_required(WORK_OPPORTUNITIES)
def import_detail(request, pk: int):
    imp = get_for_user(POImport.objects.all(), request.user, pk=pk)
    template = (
        "opportunities/_import_progress.html"
        if request.headers.get("HX-Request")
        else "opportunities/import_detail.html"
    )
    return render(request, template, {"page_title": _("Import"), "imp": imp})


@capability_required(WORK_OPPORTUNITIES)
def import_failed_rows(request, pk: int):
    imp = get_for_user(POImport.objects.all(), request.user, pk=pk)
    if not imp.failed_file:
        raise Http404
    return uploads.field_file_response(imp.failed_file, filename=imp.failed_file_download_name)


@capability_required(WORK_OPPORTUNITIES)
def import_template(request, fmt: str):
    if fmt == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif fmt == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = exports.content_disposition(f"po-import-template.{fmt}")
    return response
