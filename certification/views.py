"""Certification pages for partners and reviewers. Lists are scoped per user; details answer
404 outside the scope; each POST names its `action`, checked against its capability, and
calls one service. A refused action shows its message next to the field it is about."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_http_methods

from partner_center import workflow
from partner_center.accounts.access import capability_required
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.uploads import limit_text
from partner_center.views_common import on_form, page_of, posted

from . import previews, selectors, services, uploads
from .filters import (
    BankCardFilter,
    DefenseFilter,
    EnterpriseCertificationFilter,
    LabelApplicationFilter,
)
from .forms import (
    BANK_CARD_REASONS,
    BankCardForm,
    ConcludeForm,
    CriterionVerdictForm,
    DecisionForm,
    DefenseOutcomeForm,
    DefenseRequestForm,
    DefenseScheduleForm,
    EnterpriseSetupForm,
    EvidenceForm,
    LabelStatementForm,
    SlotUploadForm,
)
from .models import (
    BankCardCertification,
    CapabilityLabel,
    CriterionReview,
    EnterpriseCertification,
    LabelApplication,
    LabelEvidence,
)
from .permissions import (
    MANAGE_CERTIFICATION,
    ORGANIZE_DEFENSE,
    REVIEW_CERTIFICATION,
    USE_CERTIFICATION,
    VIEW_CERTIFICATION,
    VIEW_LABEL_APPLICATIONS,
)

PAGE_SIZE = 20


def _page(request, filterset):
    return page_of(request, filterset.qs, PAGE_SIZE)


def _queue_data(request, queue: bool, state):
    """The list's filters; a reviewer's queue shows `state` when no state is chosen."""
    data = request.GET.copy()
    if queue and "state" not in data:
        data["state"] = state
    return data


def _decided(request, form, cert, approve, reject, done: str):
    """A reviewer's decision (DecisionForm) on `cert`: approve or reject through the services
    given, then back to the `done` page of the certification (None: the form has errors)."""

    def decide(data) -> None:
        if data["decision"] == "approve":
            approve(actor=request.user, certification=cert, comment=data["comment"])
            messages.success(request, _("Approved."))
        else:
            reject(
                actor=request.user,
                certification=cert,
                reasons=data["reasons"],
                comment=data["comment"],
            )
            messages.success(request, _("Rejected; the partner is notified."))

    return posted(request, form, decide, done=reverse(done, args=[cert.pk]))


def _owns(user, obj) -> bool:
    return MANAGE_CERTIFICATION.allows(user) and user.partner_id == obj.partner_id


def _needs(cap, user) -> None:
    if not cap.allows(user):
        raise PermissionDenied


# Overview -------------------------------------------------------------------------------


@capability_required(VIEW_CERTIFICATION)
def overview(request):
    """A partner's certification at a glance: enterprise, bank cards, labels."""
    partner_id = request.user.partner_id
    enterprise = (
        EnterpriseCertification.objects.filter(partner_id=partner_id)
        .select_related("decided_by")
        .order_by("-created_at")
        .first()
    )
    bank_counts = BankCardCertification.objects.filter(partner_id=partner_id).aggregate(
        approved=Count("pk", filter=Q(state=BankCardCertification.State.APPROVED)),
        submitted=Count("pk", filter=Q(state=BankCardCertification.State.SUBMITTED)),
        rejected=Count("pk", filter=Q(state=BankCardCertification.State.REJECTED)),
    )
    applications = list(
        LabelApplication.objects.filter(partner_id=partner_id)
        .exclude(state=LabelApplication.State.WITHDRAWN)
        .select_related("label")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "certification/overview.html",
        {
            "page_title": _("Certification"),
            "enterprise": enterprise,
            "bank_counts": bank_counts,
            "held": [a for a in applications if a.state == LabelApplication.State.GRANTED],
            "open_applications": [
                a for a in applications if a.state in LabelApplication.OPEN_STATES
            ],
            "can_manage": MANAGE_CERTIFICATION.allows(request.user),
        },
    )


# Enterprise certification ---------------------------------------------------------------


def _enterprise_list(request, *, queue: bool):
    data = _queue_data(request, queue, EnterpriseCertification.State.SUBMITTED)
    filterset = EnterpriseCertificationFilter(
        data,
        queryset=selectors.enterprise_certifications_for(request.user).order_by(
            "-created_at", "-id"
        ),
    )
    user = request.user
    open_cert = None
    if user.partner_id and not selectors.is_reviewer(user):
        open_cert = selectors.open_enterprise_certification(user.partner_id)
    return render(
        request,
        "certification/enterprise_list.html",
        {
            "page_title": _("Enterprise certification"),
            "filter": filterset,
            "page_obj": _page(request, filterset),
            "queue": queue,
            "is_reviewer": selectors.is_reviewer(user),
            "can_start": MANAGE_CERTIFICATION.allows(user) and open_cert is None,
            "open_cert": open_cert,
        },
    )


@capability_required(USE_CERTIFICATION)
def enterprise_list(request):
    return _enterprise_list(request, queue=False)


@capability_required(REVIEW_CERTIFICATION)
def enterprise_queue(request):
    return _enterprise_list(request, queue=True)


def _setup_page(request, cert, form, save, *, title, done):
    """The certificates-and-persons form: `save(setup)` (a service) starts a certification
    or changes a draft; a refusal is shown on the form, success goes to the certification."""
    return posted(
        request,
        form,
        lambda _data: save(form.setup()),
        message=done,
        done=lambda saved: reverse("certification:enterprise-detail", args=[saved.pk]),
    ) or render(
        request,
        "certification/enterprise_setup.html",
        {"page_title": title, "form": form, "cert": cert},
    )


@capability_required(MANAGE_CERTIFICATION)
def enterprise_new(request):
    open_cert = selectors.open_enterprise_certification(request.user.partner_id)
    if open_cert is not None:
        messages.info(request, _("An enterprise certification is open already: continue that one."))
        return redirect("certification:enterprise-detail", open_cert.pk)
    return _setup_page(
        request,
        None,
        EnterpriseSetupForm(request.POST or None),
        lambda setup: services.enterprise_start(
            actor=request.user, partner=request.user.partner, **setup
        ),
        title=_("Start enterprise certification"),
        done=_("Started. Upload the attachments in the order shown."),
    )


@capability_required(MANAGE_CERTIFICATION)
def enterprise_setup(request, pk: int):
    cert = selectors.get_enterprise_for_user(request.user, pk)
    if not workflow.lifecycle_of(cert).can(cert, "setup"):
        messages.error(request, _("Only a draft can be changed."))
        return redirect("certification:enterprise-detail", cert.pk)
    return _setup_page(
        request,
        cert,
        EnterpriseSetupForm(request.POST or None, initial=EnterpriseSetupForm.initial_for(cert)),
        lambda setup: services.enterprise_setup(actor=request.user, certification=cert, **setup),
        title=_("Certificates and persons"),
        done=_("Saved. The slots follow the new list."),
    )


@capability_required(USE_CERTIFICATION)
@require_http_methods(["GET", "POST"])
def enterprise_detail(request, pk: int):
    cert = selectors.get_enterprise_for_user(request.user, pk)
    user = request.user
    decision_form = DecisionForm(prefix="decision")
    upload_errors: dict[int, str] = {}
    batch_error = ""
    page_error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in {"upload", "upload_many", "submit", "revise"}:
                if not _owns(user, cert):
                    raise PermissionDenied
                if action == "upload_many":
                    files = request.FILES.getlist("files")
                    chosen = [_int(v) or None for v in request.POST.getlist("slot")]
                    try:
                        done = services.enterprise_upload_many(
                            actor=user, certification=cert, files=files, positions=chosen
                        )
                    except DomainError as exc:
                        if exc.field != "files":
                            raise
                        batch_error = str(exc.message)
                    else:
                        messages.success(
                            request,
                            _("%(n)s files uploaded: %(slots)s.")
                            % {
                                "n": len(done),
                                "slots": pgettext("list separator", "; ").join(
                                    f"#{s.position} {s.label}" for s in done
                                ),
                            },
                        )
                        return redirect("certification:enterprise-detail", cert.pk)
                elif action == "upload":
                    form = SlotUploadForm(request.POST, request.FILES)
                    position = _int(request.POST.get("position"))
                    if not form.is_valid():
                        upload_errors[position] = " ".join(
                            str(e) for errs in form.errors.values() for e in errs
                        )
                    else:
                        try:
                            slot = services.enterprise_upload(
                                actor=user,
                                certification=cert,
                                position=form.cleaned_data["position"],
                                upload=form.cleaned_data["file"],
                            )
                        except DomainError as exc:
                            if exc.field in {"file", "position"}:
                                upload_errors[position] = str(exc.message)
                            else:
                                raise
                        else:
                            messages.success(
                                request,
                                _("Slot %(n)s uploaded: %(label)s.")
                                % {"n": slot.position, "label": slot.label},
                            )
                            return redirect("certification:enterprise-detail", cert.pk)
                elif action == "submit":
                    services.enterprise_submit(actor=user, certification=cert)
                    messages.success(request, _("Submitted for review."))
                    return redirect("certification:enterprise-detail", cert.pk)
                else:
                    services.enterprise_revise(actor=user, certification=cert)
                    messages.success(
                        request, _("Reopened: change the attachments and submit again.")
                    )
                    return redirect("certification:enterprise-detail", cert.pk)
            elif action == "decide":
                _needs(REVIEW_CERTIFICATION, user)
                decision_form = DecisionForm(request.POST, prefix="decision")
                decided = _decided(
                    request,
                    decision_form,
                    cert,
                    services.enterprise_approve,
                    services.enterprise_reject,
                    "certification:enterprise-detail",
                )
                if decided:
                    return decided
            else:
                raise PermissionDenied
        except DomainError as exc:
            page_error = str(exc.message)
        cert = selectors.get_enterprise_for_user(user, pk)
    slots = list(cert.slots.all())
    first_empty_slot = next((s for s in slots if s.attachment_id is None), None)
    first_empty = first_empty_slot.position if first_empty_slot else None
    return render(
        request,
        "certification/enterprise_detail.html",
        {
            "page_title": _("Enterprise certification"),
            "cert": cert,
            "slots": slots,
            "first_empty": first_empty,
            "filled": sum(1 for s in slots if s.attachment_id),
            "can_manage": _owns(user, cert),
            "can_review": REVIEW_CERTIFICATION.allows(user),
            "steps": workflow.allowed(cert),
            "decision_form": decision_form,
            "upload_errors": upload_errors,
            "batch_error": batch_error,
            "first_empty_slot": first_empty_slot,
            "upload_limit": limit_text(),
            "page_error": page_error,
            "accept": uploads.accept_attribute(),
            "formats": uploads.formats_text(),
            "events": selectors.timeline(cert),
        },
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# Bank-card certification ----------------------------------------------------------------


def _bank_card_list(request, *, queue: bool):
    data = _queue_data(request, queue, BankCardCertification.State.SUBMITTED)
    filterset = BankCardFilter(
        data, queryset=selectors.bank_cards_for(request.user).order_by("-submitted_at", "-id")
    )
    return render(
        request,
        "certification/bank_card_list.html",
        {
            "page_title": _("Bank-card certification"),
            "filter": filterset,
            "page_obj": _page(request, filterset),
            "queue": queue,
            "is_reviewer": selectors.is_reviewer(request.user),
            "can_start": MANAGE_CERTIFICATION.allows(request.user),
        },
    )


@capability_required(USE_CERTIFICATION)
def bank_card_list(request):
    return _bank_card_list(request, queue=False)


@capability_required(REVIEW_CERTIFICATION)
def bank_card_queue(request):
    return _bank_card_list(request, queue=True)


@capability_required(MANAGE_CERTIFICATION)
def bank_card_new(request):
    form = BankCardForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if len(request.FILES.getlist("face_photo")) > 1:
            form.add_error("face_photo", _("Upload exactly one face-scan photo."))
        else:
            submitted = posted(
                request,
                form,
                lambda data: services.bank_card_submit(
                    actor=request.user, partner=request.user.partner, **data
                ),
                message=_("Submitted for review."),
                done=lambda cert: reverse("certification:bank-card-detail", args=[cert.pk]),
            )
            if submitted:
                return submitted
    return render(
        request,
        "certification/bank_card_form.html",
        {"page_title": _("New bank-card certification"), "form": form},
    )


@capability_required(USE_CERTIFICATION)
@require_http_methods(["GET", "POST"])
def bank_card_detail(request, pk: int):
    cert = selectors.get_bank_card_for_user(request.user, pk)
    form = DecisionForm(prefix="decision", reason_choices=BANK_CARD_REASONS)
    if request.method == "POST":
        if request.POST.get("action") != "decide":
            raise PermissionDenied
        _needs(REVIEW_CERTIFICATION, request.user)
        form = DecisionForm(request.POST, prefix="decision", reason_choices=BANK_CARD_REASONS)
        decided = _decided(
            request,
            form,
            cert,
            services.bank_card_approve,
            services.bank_card_reject,
            "certification:bank-card-detail",
        )
        if decided:
            return decided
    return render(
        request,
        "certification/bank_card_detail.html",
        {
            "page_title": _("Bank-card certification"),
            "cert": cert,
            "can_review": REVIEW_CERTIFICATION.allows(request.user),
            "steps": workflow.allowed(cert),
            "decision_form": form,
            "events": selectors.timeline(cert),
        },
    )


# Capability labels ----------------------------------------------------------------------


@capability_required(USE_CERTIFICATION)
def label_catalogue(request):
    user = request.user
    partner_id = user.partner_id if not selectors.is_reviewer(user) else None
    return render(
        request,
        "certification/label_catalogue.html",
        {
            "page_title": _("Capability labels"),
            "labels": selectors.labels_catalogue(partner_id=partner_id),
            "can_apply": MANAGE_CERTIFICATION.allows(user),
        },
    )


@capability_required(MANAGE_CERTIFICATION)
def label_apply(request, label_pk: int):
    label = CapabilityLabel.objects.filter(pk=label_pk, is_active=True).first()
    if label is None:
        raise Http404
    form = LabelStatementForm(request.POST or None)
    return posted(
        request,
        form,
        lambda data: services.label_apply(
            actor=request.user,
            partner=request.user.partner,
            label=label,
            statement=data["statement"],
        ),
        message=_("Started. Add evidence for every criterion, then submit."),
        done=lambda app: reverse("certification:label-application-detail", args=[app.pk]),
    ) or render(
        request,
        "certification/label_apply.html",
        {
            "page_title": _("Apply for a label"),
            "label": label,
            "criteria": label.criteria.order_by("position"),
            "form": form,
        },
    )


def _label_application_list(request, *, queue: bool):
    data = _queue_data(request, queue, LabelApplication.State.SUBMITTED)
    filterset = LabelApplicationFilter(
        data,
        queryset=selectors.label_applications_for(request.user).order_by("-created_at", "-id"),
    )
    return render(
        request,
        "certification/label_application_list.html",
        {
            "page_title": _("Label applications"),
            "filter": filterset,
            "page_obj": _page(request, filterset),
            "queue": queue,
            "show_partner": not request.user.partner_id,
            "can_apply": MANAGE_CERTIFICATION.allows(request.user),
        },
    )


@capability_required(VIEW_LABEL_APPLICATIONS)
def label_application_list(request):
    return _label_application_list(request, queue=False)


@capability_required(REVIEW_CERTIFICATION)
def label_application_queue(request):
    return _label_application_list(request, queue=True)


PARTNER_LABEL_ACTIONS = {
    "statement",
    "add_evidence",
    "remove_evidence",
    "submit",
    "withdraw",
    "accept_result",
    "request_defense",
}
REVIEWER_LABEL_ACTIONS = {"decide_criterion", "conclude", "record_outcome"}


@capability_required(VIEW_LABEL_APPLICATIONS)
@require_http_methods(["GET", "POST"])
def label_application_detail(request, pk: int):
    user = request.user
    app = selectors.get_label_application_for_user(user, pk)
    defense = selectors.defense_of(app)
    is_owner = _owns(user, app)
    can_review = REVIEW_CERTIFICATION.allows(user)
    can_organize = can_review or (
        ORGANIZE_DEFENSE.allows(user) and selectors.is_pdm_of(user, app.partner_id)
    )
    forms = {
        "statement": LabelStatementForm(prefix="statement", initial={"statement": app.statement}),
        "conclude": ConcludeForm(prefix="conclude"),
        "request_defense": DefenseRequestForm(
            prefix="defense",
            criteria=_not_met(app),
            has_pdm=selectors.pdm_of(app.partner_id) is not None,
        ),
        "schedule": _schedule_form(defense),
        "outcome": DefenseOutcomeForm(
            prefix="outcome",
            criteria=list(defense.disputed_criteria.order_by("position")) if defense else [],
        ),
    }
    evidence_errors: dict[int, str] = {}
    verdict_forms: dict[int, CriterionVerdictForm] = {}
    page_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in PARTNER_LABEL_ACTIONS and not is_owner:
            raise PermissionDenied
        if action in REVIEWER_LABEL_ACTIONS and not can_review:
            raise PermissionDenied
        if action == "schedule" and not can_organize:
            raise PermissionDenied
        if action not in PARTNER_LABEL_ACTIONS | REVIEWER_LABEL_ACTIONS | {"schedule"}:
            raise PermissionDenied
        try:
            done = _label_action(
                request, app, defense, action, forms, evidence_errors, verdict_forms
            )
        except DomainError as exc:
            page_error = str(exc.message)
            done = None
        if done:
            messages.success(request, done)
            return redirect("certification:label-application-detail", app.pk)
        app = selectors.get_label_application_for_user(user, pk)
        defense = selectors.defense_of(app)
    rows = selectors.criteria_rows(app)
    for row in rows:
        cid = row["criterion"].pk
        review = row["review"]
        row["verdict_form"] = verdict_forms.get(cid) or CriterionVerdictForm(
            prefix=f"c{cid}",
            initial={
                "verdict": review.verdict if review else None,
                "comment": review.comment if review else "",
            },
        )
        row["evidence_error"] = evidence_errors.get(cid, "")
    steps = workflow.allowed(app)
    return render(
        request,
        "certification/label_application_detail.html",
        {
            "page_title": _("Label application"),
            "app": app,
            "defense": defense,
            "rows": rows,
            "steps": steps,
            "is_owner": is_owner,
            "can_review": can_review,
            "can_organize": can_organize,
            "can_download": is_owner
            or can_review
            or (user.partner_id == app.partner_id and VIEW_CERTIFICATION.allows(user)),
            "all_decided": all(r["review"] for r in rows),
            "defense_started": bool(
                defense and defense.scheduled_at and defense.scheduled_at <= timezone.now()
            ),
            "forms": forms,
            "page_error": page_error,
            "accept": uploads.accept_attribute(),
            "events": selectors.timeline(app),
        },
    )


def _not_met(app) -> list:
    return sorted(
        (
            r.criterion
            for r in app.criterion_reviews.all()
            if r.verdict == CriterionReview.Verdict.NOT_MET
        ),
        key=lambda c: c.position,
    )


def _schedule_form(defense, data=None):
    initial = {}
    if defense and defense.scheduled_at:
        initial = {
            "scheduled_at": defense.scheduled_at,
            "duration_minutes": defense.duration_minutes,
            "meeting_link": defense.meeting_link,
            "experts": list(defense.experts.all()),
            "external_experts": defense.external_experts,
        }
    return DefenseScheduleForm(data, prefix="schedule", initial=initial)


def _label_action(request, app, defense, action, forms, evidence_errors, verdict_forms):
    """Run one POST action; returns the success message, or None when a form has errors."""
    user, post = request.user, request.POST
    if action == "statement":
        form = LabelStatementForm(post, prefix="statement")
        forms["statement"] = form
        if form.is_valid():
            services.label_edit(
                actor=user, application=app, statement=form.cleaned_data["statement"]
            )
            return _("Saved.")
    elif action == "add_evidence":
        form = EvidenceForm(post, request.FILES)
        cid = _int(post.get("criterion"))
        criterion = app.label.criteria.filter(pk=cid).first()
        if criterion is None:
            raise DomainError(_("Choose a criterion."))
        if not form.is_valid():
            evidence_errors[cid] = " ".join(str(e) for errs in form.errors.values() for e in errs)
            return None
        try:
            services.label_add_evidence(
                actor=user,
                application=app,
                criterion=criterion,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except DomainError as exc:
            if exc.field in {"file", "criterion"}:
                evidence_errors[cid] = str(exc.message)
                return None
            raise
        return _("Evidence added.")
    elif action == "remove_evidence":
        evidence = (
            LabelEvidence.objects.filter(pk=_int(post.get("evidence")), application=app)
            .select_related("attachment", "application")
            .first()
        )
        if evidence is None:
            raise Http404
        services.label_remove_evidence(actor=user, evidence=evidence)
        return _("Evidence removed.")
    elif action == "submit":
        services.label_submit(actor=user, application=app)
        return _("Submitted for review.")
    elif action == "withdraw":
        services.label_withdraw(actor=user, application=app, reason=post.get("reason", ""))
        return _("Application withdrawn.")
    elif action == "accept_result":
        services.label_accept_result(actor=user, application=app)
        return _("You accepted the result; the application is closed.")
    elif action == "request_defense":
        form = DefenseRequestForm(
            post,
            prefix="defense",
            criteria=_not_met(app),
            has_pdm=selectors.pdm_of(app.partner_id) is not None,
        )
        forms["request_defense"] = form
        if form.is_valid():
            data = form.cleaned_data
            chosen = [c for c in app.label.criteria.all() if c.pk in set(data["criteria"])]
            return on_form(
                form,
                lambda: services.label_request_defense(
                    actor=user,
                    application=app,
                    channel=data["channel"],
                    criteria=chosen,
                    statement=data["statement"],
                ),
                _("Online defense requested; you will be told the date."),
            )
    elif action == "decide_criterion":
        cid = _int(post.get("criterion"))
        criterion = app.label.criteria.filter(pk=cid).first()
        if criterion is None:
            raise DomainError(_("Choose a criterion."))
        form = CriterionVerdictForm(post, prefix=f"c{cid}")
        verdict_forms[cid] = form
        if form.is_valid():
            return on_form(
                form,
                lambda: services.label_decide_criterion(
                    actor=user,
                    application=app,
                    criterion=criterion,
                    verdict=form.cleaned_data["verdict"],
                    comment=form.cleaned_data["comment"],
                ),
                _("Criterion %(n)s decided.") % {"n": criterion.position},
            )
    elif action == "conclude":
        form = ConcludeForm(post, prefix="conclude")
        forms["conclude"] = form
        if form.is_valid():
            app = services.label_conclude(
                actor=user, application=app, summary=form.cleaned_data["summary"]
            )
            if app.state == LabelApplication.State.GRANTED:
                return _("Review concluded: the label is granted.")
            return _("Review concluded: not passed. The partner may request a defense.")
    elif action == "schedule":
        form = _schedule_form(defense, post)
        forms["schedule"] = form
        if form.is_valid():
            # The form's fields are the service's arguments.
            return on_form(
                form,
                lambda: services.defense_schedule(actor=user, application=app, **form.cleaned_data),
                _("Defense scheduled; the partner and the experts are notified."),
            )
    elif action == "record_outcome":
        form = DefenseOutcomeForm(
            post,
            prefix="outcome",
            criteria=list(defense.disputed_criteria.order_by("position")) if defense else [],
        )
        forms["outcome"] = form
        if form.is_valid():
            return on_form(
                form,
                lambda: services.defense_record_outcome(
                    actor=user,
                    application=app,
                    verdicts=form.verdicts(),
                    notes=form.cleaned_data["notes"],
                ),
                lambda app: (
                    _("Outcome recorded: the label is granted.")
                    if app.state == LabelApplication.State.GRANTED
                    else _("Outcome recorded: the label is refused.")
                ),
            )
    return None


# Defenses -------------------------------------------------------------------------------


@capability_required(ORGANIZE_DEFENSE)
def defense_list(request):
    filterset = DefenseFilter(
        request.GET,
        queryset=selectors.defenses_for(request.user).order_by("-requested_at", "-id"),
    )
    return render(
        request,
        "certification/defense_list.html",
        {
            "page_title": _("Online defenses"),
            "filter": filterset,
            "page_obj": _page(request, filterset),
        },
    )


# Files ----------------------------------------------------------------------------------

DOWNLOAD_VERB = Verb.ATTACHMENT_DOWNLOADED
DOWNLOAD_LABEL = gettext_lazy("Downloaded")


@capability_required(USE_CERTIFICATION)
def file_download(request, pk: int):
    """Serve a stored file to its partner's users and reviewers only (404 otherwise)."""
    attachment = selectors.get_attachment_for_user(request.user, pk)
    if request.GET.get("preview") == "1":
        return _file_preview(request, attachment)
    try:
        handle = uploads.open_stored(attachment.path)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    inline = request.GET.get("inline") == "1" and attachment.is_image
    record_event(actor=request.user, subject=attachment, verb=DOWNLOAD_VERB)
    return uploads.download_response(
        handle,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        inline=inline,
    )


def _file_preview(request, attachment):
    """An image's thumbnail or a PDF's first page as PNG, shown inline on the review page
    (same access rule and headers as the file; viewing it is recorded like a download)."""
    try:
        png = previews.preview(attachment)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    if png is None:
        raise Http404
    record_event(actor=request.user, subject=attachment, verb=DOWNLOAD_VERB)
    return uploads.download_response(
        io.BytesIO(png),
        filename=f"{attachment.original_name}.png",
        content_type="image/png",
        inline=True,
    )
