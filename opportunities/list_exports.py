"""List exports (issue [5]): the opportunity list, BD's review queue and the HO pool as CSV
or XLSX, with the page's filters and sort, streamed through `partner_center.exports`
(formula-safe cells). The rows come from the same queryset the page shows, so a partner
exports only its own opportunities."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partner_center import exports

from . import selectors

FORMATS = ("csv", "xlsx")
CHUNK = 500


def _when(value, fmt="%Y-%m-%d %H:%M") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _person(user) -> str:
    return str(user) if user else ""


def _products(value) -> str:
    return ", ".join(str(p) for p in value or ())


def _deal_header() -> list:
    """The columns an opportunity and a lead share (the amount is the 6th)."""
    return [_("Customer"), _("Project"), _("Industry"), _("Region"), _("Products"), _("Amount")]


def _deal_cells(obj) -> list:
    return [
        obj.customer_name,
        obj.project_name,
        obj.get_customer_industry_display(),
        obj.get_customer_region_display(),
        _products(obj.products),
        obj.amount,
    ]


def opportunity_rows(queryset, *, with_partner: bool):
    header = [
        "#",
        _("Kind"),
        _("State"),
        *([_("Partner")] if with_partner else []),
        *_deal_header(),
        _("Expected close date"),
        _("Deadline"),
        _("Owner"),
        _("BD owner"),
        _("Created on"),
    ]

    def body():
        for opp in queryset.iterator(chunk_size=CHUNK):
            yield [
                opp.pk,
                opp.kind.upper(),
                opp.get_state_display(),
                *([opp.partner.name] if with_partner else []),
                *_deal_cells(opp),
                opp.expected_close_date.isoformat() if opp.expected_close_date else "",
                _when(opp.deadline),
                _person(opp.owner),
                _person(opp.bd_owner),
                _when(opp.created_at),
            ]

    return header, body(), (9,)


LEAD_STATUS = {
    "closed": gettext_noop("Closed"),
    "pool": gettext_noop("In the pool"),
    "pending": gettext_noop("Pending acceptance"),
    "accepted": gettext_noop("Accepted"),
}


def lead_rows(queryset):
    header = [
        "#",
        _("CRM reference"),
        _("Status"),
        _("Partner"),
        *_deal_header(),
        _("Deadline"),
        _("BD owner"),
        _("Created on"),
    ]

    def body():
        for lead in queryset.iterator(chunk_size=CHUNK):
            status = selectors.lead_status(lead)
            yield [
                lead.pk,
                lead.crm_id,
                _(LEAD_STATUS[status]) if status in LEAD_STATUS else status,
                lead.share_partner or "",
                *_deal_cells(lead),
                _when(lead.share_deadline),
                _person(lead.bd_owner),
                _when(lead.crm_created_at),
            ]

    return header, body(), (9,)


def response(fmt: str, rows, *, filename: str):
    """The streamed file: CSV as it is written, XLSX written row by row then streamed."""
    if fmt not in FORMATS:
        raise Http404
    header, body, money_columns = rows
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.{fmt}"
    if fmt == "csv":
        return exports.csv_response(exports.csv_stream(header, body), filename=name)
    writer = exports.XlsxWriter(title=filename, widths=(8, 10, 16, 28, 28, 24))
    writer.header(header)
    for values in body:
        writer.row(values, money_columns=money_columns)
    return exports.xlsx_response(writer.temporary_file(), filename=name)
