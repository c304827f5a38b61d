"""Pages: performance (summary, details, export), the distributor's dashboard, estimated
incentives and indicators, the program's rules. Views parse and authorize; selectors read."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from partner_center.accounts.access import capability_required, is_vendor_staff

from . import charts, exports, periods, selectors
from .filters import PerformanceFilter, StaffPerformanceFilter
from .permissions import (
    VIEW_APPLICATIONS,
    VIEW_DASHBOARD,
    VIEW_ESTIMATES,
    VIEW_PERFORMANCE,
    VIEW_PROGRAM,
)

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
        (VIEW_APPLICATIONS, "incentives:applications"),
        (VIEW_PROGRAM, "incentives:program"),
    ):
        if cap.allows(request.user):
            try:
                return redirect(reverse(name))
            except Exception:  # noqa: S112 - a page not wired yet: try the next one
                continue
    raise Http404


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


def _export(records, fmt: str, filename: str, *, with_reseller: bool = False):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(records, with_reseller=with_reseller),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    return FileResponse(
        exports.xlsx_file(records, title=filename, with_reseller=with_reseller),
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@capability_required(VIEW_PERFORMANCE)
def performance_export(request, fmt: str):
    filterset = _filterset(request, selectors.performance_for(request.user))
    period = filterset.form.data.get("period") or "all"
    return _export(
        filterset.qs, fmt, f"performance-{period}", with_reseller=is_vendor_staff(request.user)
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
    period = filterset.form.data.get("period") or "all"
    return _export(filterset.qs, fmt, f"reseller-performance-{period}", with_reseller=True)


@capability_required(VIEW_DASHBOARD)
def dashboard_reseller_export(request, pk: int, fmt: str):
    me = request.user.partner_id
    reseller = selectors.reseller_of(me, pk)
    filterset = _filterset(request, selectors.reseller_records(me, reseller.pk))
    period = filterset.form.data.get("period") or "all"
    return _export(
        filterset.qs, fmt, f"reseller-{reseller.pk}-performance-{period}", with_reseller=True
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
