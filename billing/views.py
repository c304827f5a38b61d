"""Billing pages: the bill of a period (overview and details), its exports and invoices."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center import exports, uploads
from partner_center.accounts.access import capability_required
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.views_common import acted
from partner_center.workflow import verb_label

from . import selectors, services
from .detail_exports import csv_stream, has_resellers, xlsx_file
from .filters import BillLineFilter, ExportTaskFilter, InvoiceFilter
from .models import Bill, ExportTask
from .periods import current_period, is_period, period_bounds
from .permissions import REQUEST_INVOICE, VIEW_BILLS
from .tax import TAX_RATE
from .transitions import INVOICE

PAGE_SIZE = 50


def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _period_context(request, period: str) -> dict:
    start, end = period_bounds(period)
    return {
        "period": period,
        "periods": selectors.periods_for(request.user),
        "is_current": period == current_period(),
        "period_start": start,
        "period_last": end - timedelta(days=1),
    }


@capability_required(VIEW_BILLS)
def bill_home(request):
    period = request.GET.get("period") or selectors.default_period(request.user)
    if not is_period(period):
        period = current_period()
    return redirect("billing:bill_overview", period=period)


def _bill_page(request, period: str, title: str, tab: str) -> tuple[Bill | None, dict]:
    """The bill of `period` (None before it is built) and what every tab of it shows."""
    bill = selectors.bill_for_period(request.user, period)
    return bill, {
        **_period_context(request, period),
        "page_title": title % {"period": period},
        "bill": bill,
        "tab": tab,
    }


@capability_required(VIEW_BILLS)
def bill_overview(request, period: str):
    bill, context = _bill_page(request, period, _("Partner bill %(period)s"), "overview")
    context |= {
        "can_request_invoice": REQUEST_INVOICE.allows(request.user),
        "tax_rate_percent": f"{(TAX_RATE * 100).normalize():f}",
    }
    if bill is not None:
        context["products"] = selectors.bill_product_summary(bill)
        context["resellers"] = selectors.bill_reseller_summary(bill)
        context["exports"] = list(
            ExportTask.objects.filter(bill=bill).select_related("bill").order_by("-created_at")[:5]
        )
        context["exports_polling"] = any(task.is_active for task in context["exports"])
        context["export_refresh_url"] = f"{reverse('billing:exports')}?compact=1&bill={bill.pk}"
        context["invoice"] = getattr(bill, "invoice", None) if bill.is_settled else None
        context["net_amount"] = bill.amount_due - bill.tax_amount
    return render(request, "billing/bill_overview.html", context)


def _filtered_lines(request, bill: Bill) -> BillLineFilter:
    return BillLineFilter(request.GET or None, selectors.bill_lines(bill), bill=bill)


@capability_required(VIEW_BILLS)
def bill_details(request, period: str):
    bill, context = _bill_page(request, period, _("Bill details %(period)s"), "details")
    if bill is not None:
        filterset = _filtered_lines(request, bill)
        context["filter"] = filterset
        context["page_obj"] = _page(request, filterset.qs)
        context["show_reseller"] = "reseller" in filterset.filters
        context["filtered"] = any(
            value for key, value in request.GET.items() if key not in ("page", "ordering")
        )
    return render(request, "billing/bill_details.html", context)


def _built_bill(request, period: str) -> Bill:
    """The bill of `period`; 404 while it is not built."""
    bill = selectors.bill_for_period(request.user, period)
    if bill is None:
        raise Http404
    return bill


def _export_bill(request, period: str) -> tuple[Bill, BillLineFilter]:
    bill = _built_bill(request, period)
    return bill, _filtered_lines(request, bill)


@capability_required(VIEW_BILLS)
def bill_details_csv(request, period: str):
    bill, filterset = _export_bill(request, period)
    return exports.csv_response(
        csv_stream(filterset.qs, with_reseller=has_resellers(bill)),
        filename=f"bill-{bill.period}-details.csv",
    )


@capability_required(VIEW_BILLS)
def bill_details_xlsx(request, period: str):
    bill, filterset = _export_bill(request, period)
    handle = xlsx_file(filterset.qs, with_reseller=has_resellers(bill), title=period)
    return exports.xlsx_response(handle, filename=f"bill-{bill.period}-details.xlsx")


@require_POST
@capability_required(VIEW_BILLS)
def bill_export_pdf(request, period: str):
    bill = _built_bill(request, period)
    task, created = services.export_request(actor=request.user, bill=bill)
    if created:
        messages.success(
            request,
            _(
                "Export task created. The PDF is being prepared; download it from the list when it is ready."
            ),
        )
    else:
        messages.info(request, _("This bill is already being exported; see its progress below."))
    return redirect(reverse("billing:bill_overview", args=[period]) + "#exports")


@require_POST
@capability_required(VIEW_BILLS)
def bill_refresh(request, period: str):
    return acted(
        request,
        lambda: services.bill_refresh_request(
            actor=request.user, partner=request.user.partner, period=period
        ),
        message=_(
            "The bill is being rebuilt with the latest orders and consumption; reload the page in a moment."
        ),
        done=reverse("billing:bill_overview", kwargs={"period": period}),
        level=messages.info,
    )


@require_POST
@capability_required(REQUEST_INVOICE)
def bill_request_invoice(request, period: str):
    bill = _built_bill(request, period)
    try:
        invoice = services.invoice_request(actor=request.user, bill=bill)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("billing:bill_overview", period=period)
    messages.success(request, _("Invoice %(number)s requested.") % {"number": invoice.number})
    return redirect("billing:invoice", pk=invoice.pk)


@capability_required(VIEW_BILLS)
def export_list(request):
    filterset = ExportTaskFilter(request.GET or None, selectors.exports_for(request.user))
    compact = request.GET.get("compact") == "1"  # the panel on a bill's page
    page_obj = _page(request, filterset.qs, 5 if compact else PAGE_SIZE)
    context = {
        "page_title": _("Export tasks"),
        "filter": filterset,
        "page_obj": page_obj,
        "compact": compact,
        "polling": any(task.is_active for task in page_obj),
        "refresh_url": request.get_full_path(),
        "ttl_days": settings.EXPORT_FILE_TTL.days,
    }
    template = "billing/_export_rows.html" if request.htmx else "billing/exports.html"
    return render(request, template, context)


@capability_required(VIEW_BILLS)
def export_download(request, pk: int):
    return export_pdf(selectors.get_export_for_user(request.user, pk))


def export_pdf(task):
    """The finished PDF of an export task as a download (page and API); 404 while it is not
    done or when its file is gone."""
    if task.state != ExportTask.State.DONE or not task.file:
        raise Http404
    try:
        handle = task.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return uploads.download_response(
        handle, filename=task.download_name, content_type="application/pdf"
    )


@capability_required(VIEW_BILLS)
def invoice_list(request):
    filterset = InvoiceFilter(request.GET or None, selectors.invoices_for(request.user))
    return render(
        request,
        "billing/invoices.html",
        {
            "page_title": _("Invoices"),
            "filter": filterset,
            "page_obj": _page(request, filterset.qs),
        },
    )


@capability_required(VIEW_BILLS)
def invoice_detail(request, pk: int):
    invoice = selectors.get_invoice_for_user(request.user, pk)
    events = list(timeline_for(invoice))
    for event in events:
        event.label = verb_label(event.verb)
        event.from_label = INVOICE.state_label(event.from_state)
        event.to_label = INVOICE.state_label(event.to_state)
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "page_title": _("Invoice %(number)s") % {"number": invoice.number},
            "invoice": invoice,
            "events": events,
            "tax_rate_percent": f"{(invoice.tax_rate * 100).normalize():f}",
        },
    )
