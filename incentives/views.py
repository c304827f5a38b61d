"""Pages: performance (summary, details, export), the distributor's dashboard, estimated
incentives and indicators, the program's rules. Views parse and authorize; selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opportunities.catalog import PRODUCT_LABELS
from partner_center import exports as file_exports
from partner_center.accounts.access import capability_required, is_vendor_staff
from partner_center.errors import DomainError
from partner_center.paging import Paginator
from partner_center.views_common import posted
from partner_center.workflow import By

from . import charts, exports, periods, selectors, services
from .eligibility import Reason
from .filters import ApplicationFilter, PerformanceFilter, StaffPerformanceFilter
from .forms import ApplyForm, MarkPaidForm, PaymentRequestForm, PublishForm, ReasonForm
from .models import IncentiveApplication
from .permissions import (
    APPLY_INCENTIVES,
    REVIEW_INCENTIVES,
    SETTLE_INCENTIVES,
    VIEW_APPLICATIONS,
    VIEW_DASHBOARD,
    VIEW_ESTIMATES,
    VIEW_PERFORMANCE,
    VIEW_PROGRAM,
)
from .transitions import INCENTIVE

PER_PAGE = 25
EXPORT_FORMATS = ("csv", "xlsx")


def _page(request, qs, per_page: int = PER_PAGE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _period(request) -> str:
    return periods.parse(request.GET.get("period"), periods.current_period())


def home(request):
    """The incentives section's front door: the first page the user may open."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    for cap, name in (
        (VIEW_PERFORMANCE, "incentives:performance"),
        (APPLY_INCENTIVES, "incentives:applications"),
        (REVIEW_INCENTIVES, "incentives:review"),
        (VIEW_PROGRAM, "incentives:program"),
    ):
        if cap.allows(request.user):
            return redirect(reverse(name))
    raise PermissionDenied


# ---------------------------------------------------------------- performance


def _performance_records(request):
    records = selectors.performance_for(request.user)
    if is_vendor_staff(request.user) and request.GET.get("partner", "").isdigit():
        records = records.filter(partner_id=int(request.GET["partner"]))
    return records


def _details_link(base: str, period: str, **params) -> str:
    return f"{base}?{urlencode({'period': period, **params})}"


def _chart(period_list, values, title: str):
    return charts.performance_chart(
        period_list,
        [(_("Performance"), values, False)],
        title=title,
        empty_text=_("No performance in these periods"),
    )


@capability_required(VIEW_PERFORMANCE)
def performance(request):
    period = _period(request)
    records = _performance_records(request)
    summary = selectors.performance_summary(records, period)
    period_list = periods.series(period)
    base = reverse("incentives:performance_details")
    extra = {"partner": request.GET["partner"]} if "partner" in request.GET else {}
    for row in summary.by_type:
        row.link = _details_link(base, period, order_type=row.key, **extra)
    for row in summary.by_product:
        row.link = _details_link(base, period, product=row.key, **extra)
    for row in summary.by_customer:
        row.link = _details_link(base, period, customer=row.key, **extra)
    return render(
        request,
        "incentives/performance.html",
        {
            "page_title": _("Performance"),
            "period": period,
            "period_choices": periods.choices(),
            "summary": summary,
            "details_link": _details_link(base, period, **extra),
            "chart": _chart(
                period_list,
                selectors.period_totals(records, period_list),
                _("Performance over the last 12 billing periods"),
            ),
            "is_staff": is_vendor_staff(request.user),
        },
    )


def _filterset(request, records):
    data = request.GET.copy()
    if "period" not in data:
        data["period"] = periods.current_period()
    filter_class = StaffPerformanceFilter if is_vendor_staff(request.user) else PerformanceFilter
    return filter_class(data, queryset=records.order_by("-formed_at", "-pk"), request=request)


@capability_required(VIEW_PERFORMANCE)
def performance_details(request):
    filterset = _filterset(request, selectors.performance_for(request.user))
    rows = filterset.qs
    return render(
        request,
        "incentives/performance_details.html",
        {
            "page_title": _("Performance details"),
            "filter": filterset,
            "page_obj": _page(request, rows),
            "totals": selectors.filtered_total(rows),
            "export_query": request.GET.urlencode(),
            "is_staff": is_vendor_staff(request.user),
        },
    )


def _export(request, filterset, fmt: str, stem: str, *, with_reseller: bool = False):
    """The filtered records as a CSV or XLSX file named from the validated period only;
    a malformed `?period=` or filter answers 400 (never a 500, never a header from input)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    try:
        period = file_exports.clean_period(filterset.form.data.get("period"), allow_blank=True)
    except DomainError as exc:
        return _export_refused(request, [str(exc.message)])
    if not filterset.is_valid():
        return _export_refused(
            request, [str(error) for errors in filterset.errors.values() for error in errors]
        )
    filename = f"{stem}-{period or 'all'}"
    records = filterset.qs
    if fmt == "csv":
        return file_exports.csv_response(
            exports.csv_stream(records, with_reseller=with_reseller), filename=f"{filename}.csv"
        )
    return file_exports.xlsx_response(
        exports.xlsx_file(records, title=filename, with_reseller=with_reseller),
        filename=f"{filename}.xlsx",
    )


def _export_refused(request, errors: list[str]):
    return render(request, "400.html", {"errors": errors}, status=400)


@capability_required(VIEW_PERFORMANCE)
def performance_export(request, fmt: str):
    filterset = _filterset(request, selectors.performance_for(request.user))
    return _export(
        request, filterset, fmt, "performance", with_reseller=is_vendor_staff(request.user)
    )


# ---------------------------------------------------------------- distributor dashboard


@capability_required(VIEW_DASHBOARD)
def dashboard(request):
    me = request.user.partner_id
    period = _period(request)
    period_list = periods.series(period)
    series = selectors.dashboard_series(me, period_list)
    chart = charts.performance_chart(
        period_list,
        [(s.name or _("Other resellers"), s.values, s.key is None) for s in series],
        total=selectors.period_totals(selectors.reseller_records(me), period_list),
        total_label=_("All resellers"),
        title=_("Tier-2 resellers' performance over the last 12 billing periods"),
        empty_text=_("No performance in these periods"),
    )
    return render(
        request,
        "incentives/dashboard.html",
        {
            "page_title": _("Performance dashboard"),
            "period": period,
            "period_choices": periods.choices(),
            "totals": selectors.dashboard_totals(me, period),
            "page_obj": _page(request, selectors.dashboard_resellers(me, period), 50),
            "chart": chart,
        },
    )


@capability_required(VIEW_DASHBOARD)
def dashboard_reseller(request, pk: int):
    me = request.user.partner_id
    reseller = selectors.reseller_of(me, pk)
    records = selectors.reseller_records(me, reseller.pk)
    filterset = _filterset(request, records)
    period = periods.parse(filterset.form.data.get("period"), periods.current_period())
    period_list = periods.series(period)
    rows = filterset.qs
    return render(
        request,
        "incentives/dashboard_reseller.html",
        {
            "page_title": reseller.name,
            "reseller": reseller,
            "period": period,
            "filter": filterset,
            "page_obj": _page(request, rows),
            "totals": selectors.filtered_total(rows),
            "export_query": request.GET.urlencode(),
            "chart": _chart(
                period_list,
                selectors.period_totals(records, period_list),
                _("%(name)s: performance over the last 12 billing periods")
                % {"name": reseller.name},
            ),
        },
    )


@capability_required(VIEW_DASHBOARD)
def dashboard_export(request, fmt: str):
    me = request.user.partner_id
    filterset = _filterset(request, selectors.reseller_records(me))
    return _export(request, filterset, fmt, "reseller-performance", with_reseller=True)


@capability_required(VIEW_DASHBOARD)
def dashboard_reseller_export(request, pk: int, fmt: str):
    me = request.user.partner_id
    reseller = selectors.reseller_of(me, pk)
    filterset = _filterset(request, selectors.reseller_records(me, reseller.pk))
    return _export(
        request, filterset, fmt, f"reseller-{reseller.pk}-performance", with_reseller=True
    )


# ---------------------------------------------------------------- estimates


@capability_required(VIEW_ESTIMATES)
def estimates(request):
    statements = selectors.statements_for(request.user).order_by("-period", "partner__name")
    staff = is_vendor_staff(request.user)
    if staff and request.GET.get("partner", "").isdigit():
        statements = statements.filter(partner_id=int(request.GET["partner"]))
    current = periods.current_period()
    running = None if staff else selectors.running_estimate(request.user.partner_id, current)
    return render(
        request,
        "incentives/estimates.html",
        {
            "page_title": _("Estimated incentives and indicators"),
            "page_obj": _page(request, statements),
            "running": running,
            "current_period": current,
            "is_staff": staff,
        },
    )


@capability_required(VIEW_ESTIMATES)
def estimate_detail(request, period: str):
    if not periods.is_period(period):
        raise Http404
    staff = is_vendor_staff(request.user)
    partner_id = int(request.GET["partner"]) if request.GET.get("partner", "").isdigit() else None
    statement = selectors.statement_for(request.user, period, partner_id)
    running = False
    if statement is None:
        # Not closed yet (the open period, or a past one the close task has not reached):
        # the estimate is computed now.
        if staff or period > periods.current_period():
            raise Http404
        statement = selectors.running_estimate(request.user.partner_id, period)
        running = True
    return render(
        request,
        "incentives/estimate_detail.html",
        {
            "page_title": _("Estimate for %(period)s") % {"period": period},
            "statement": statement,
            "running": running,
            "performance_link": reverse("incentives:performance") + f"?period={period}",
        },
    )


# ---------------------------------------------------------------- program


@capability_required(VIEW_PROGRAM)
def program(request):
    current = selectors.current_program()
    return render(
        request,
        "incentives/program.html",
        {
            "page_title": _("Incentive program"),
            "current": current,
            "program_periods": list(selectors.program_periods()),
        },
    )


# ---------------------------------------------------------------- PCE incentive applications


@capability_required(APPLY_INCENTIVES)
def applications(request):
    """The partner's tabs: pending application, applied (with a state filter)."""
    tab = "applied" if request.GET.get("tab") == "applied" else "pending"
    context = {
        "page_title": _("Opportunity incentives"),
        "tab": tab,
        "counts": selectors.application_counts(request.user),
        "can_settle": SETTLE_INCENTIVES.allows(request.user),
    }
    if tab == "applied":
        qs = selectors.applications_for(request.user).order_by("-applied_at", "-pk")
        filterset = ApplicationFilter(request.GET, queryset=qs)
        context.update(filter=filterset, page_obj=_page(request, filterset.qs))
    else:
        pending = selectors.pending_for(request.user.partner_id)
        context.update(pending=pending, page_obj=_page(request, pending.rows))
    return render(request, "incentives/applications.html", context)


@capability_required(APPLY_INCENTIVES)
def application_apply(request, opportunity_pk: int, offering: str):
    opportunity = selectors.opportunity_of_partner(request.user, opportunity_pk)
    form = ApplyForm(request.POST or None)
    applied = posted(
        request,
        form,
        lambda data: services.incentive_apply(
            actor=request.user, opportunity=opportunity, offering=offering, note=data["note"]
        ),
        message=_("Applied. BD reviews the application."),
        done=lambda app: reverse("incentives:application_detail", kwargs={"pk": app.pk}),
    )
    if applied:
        return applied
    verdict = selectors.eligibility_for(opportunity, offering)
    existing = (
        selectors.application_of(opportunity.pk, offering)
        if verdict.reason == Reason.ALREADY_APPLIED
        else None
    )
    basis = None
    if opportunity.delivery_completed_on:
        basis = services.performance_basis(
            opportunity.pk, offering, opportunity.delivery_completed_on
        )
    return render(
        request,
        "incentives/application_apply.html",
        {
            "page_title": _("Apply for the incentive"),
            "opportunity": opportunity,
            "offering": offering,
            "offering_label": PRODUCT_LABELS.get(offering, offering),
            "verdict": verdict,
            "existing": existing,
            "basis": basis,
            "form": form,
        },
    )


STEP_FORMS = {
    "publish": PublishForm,
    "reject": ReasonForm,
    "dispute": ReasonForm,
    "confirm": None,
    "request_payment": PaymentRequestForm,
    "mark_paid": MarkPaidForm,
}
STEP_DONE = {
    "publish": _("Published. The partner checks the amounts now."),
    "reject": _("The application is rejected."),
    "dispute": _("Your dispute was sent to BD."),
    "confirm": _("Confirmed. You can request the payment now."),
    "request_payment": _("Payment requested."),
    "mark_paid": _("Marked paid. The application is completed."),
}


def _run_step(step: str, actor, application: IncentiveApplication, data: dict):
    if step == "publish":
        return services.incentive_publish(
            actor=actor, application=application, basis=data["basis"], note=data["note"]
        )
    if step == "reject":
        return services.incentive_reject(
            actor=actor, application=application, reason=data["reason"]
        )
    if step == "dispute":
        return services.incentive_dispute(
            actor=actor, application=application, reason=data["reason"]
        )
    if step == "confirm":
        return services.incentive_confirm(actor=actor, application=application)
    if step == "request_payment":
        return services.incentive_request_payment(
            actor=actor, application=application, invoice_no=data["invoice_no"]
        )
    return services.incentive_mark_paid(
        actor=actor, application=application, reference=data["reference"]
    )


def _steps_for(user, application: IncentiveApplication) -> set[str]:
    steps = set()
    if REVIEW_INCENTIVES.allows(user):
        steps |= INCENTIVE.allowed(application, By.BD)
    if SETTLE_INCENTIVES.allows(user) and user.partner_id == application.partner_id:
        steps |= INCENTIVE.allowed(application, By.PARTNER)
    return steps


def _detail(request, application: IncentiveApplication, bound: dict | None = None):
    steps = _steps_for(request.user, application)
    forms_by_step = {}
    for step in steps:
        form_class = STEP_FORMS.get(step)
        if form_class is None:
            continue
        if bound and step in bound:
            forms_by_step[step] = bound[step]
        elif step == "publish":
            forms_by_step[step] = PublishForm(prefix=step)
        else:
            forms_by_step[step] = form_class(prefix=step)
    computed = selectors.computed_basis(application) if "publish" in steps else None
    return render(
        request,
        "incentives/application_detail.html",
        {
            "page_title": _("Incentive application #%(pk)s") % {"pk": application.pk},
            "application": application,
            "events": selectors.timeline(application),
            "steps": steps,
            "forms": forms_by_step,
            "computed_basis": computed,
            "is_staff": is_vendor_staff(request.user),
        },
    )


@capability_required(VIEW_APPLICATIONS)
def application_detail(request, pk: int):
    return _detail(request, selectors.application_for_user(request.user, pk))


@require_POST
@capability_required(VIEW_APPLICATIONS)
def application_step(request, pk: int, step: str):
    application = selectors.application_for_user(request.user, pk)
    if step not in STEP_FORMS:
        raise Http404
    by = INCENTIVE[step].by
    if not (REVIEW_INCENTIVES if by == By.BD else SETTLE_INCENTIVES).allows(request.user):
        raise PermissionDenied
    if step not in _steps_for(request.user, application):
        messages.error(
            request,
            _("This is not possible while the application is “%(state)s”.")
            % {"state": application.get_state_display()},
        )
        return redirect("incentives:application_detail", pk=pk)
    form_class = STEP_FORMS[step]
    form = form_class(request.POST, prefix=step) if form_class else None
    if form is None or form.is_valid():
        try:
            _run_step(step, request.user, application, form.cleaned_data if form else {})
        except DomainError as exc:
            if form is None:
                messages.error(request, exc.message)
                return redirect("incentives:application_detail", pk=pk)
            exc.add_to_form(form)
        else:
            messages.success(request, STEP_DONE[step])
            return redirect("incentives:application_detail", pk=pk)
    return _detail(request, application, bound={step: form})


@capability_required(REVIEW_INCENTIVES)
def review(request):
    """BD's queue: under review first; publish, reject, mark paid from the detail page."""
    data = request.GET.copy()
    if "state" not in data:
        data["state"] = IncentiveApplication.State.UNDER_REVIEW
    filterset = ApplicationFilter(data, queryset=selectors.review_queue())
    return render(
        request,
        "incentives/review.html",
        {
            "page_title": _("Incentive review"),
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
            "counts": selectors.application_counts(request.user),
        },
    )
