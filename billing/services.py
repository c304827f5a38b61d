"""Every write of the billing app: bills and their lines, PDF exports, invoices."""

from __future__ import annotations

import itertools
import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partner_center.accounts.access import require
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify
from partner_center.storage import StorageUnavailable, save_or_refuse

from .models import Bill, BillLine, ExportTask, Invoice, InvoiceLine
from .periods import current_period, period_has_ended, previous_period, validate_period
from .permissions import ISSUE_INVOICES, REQUEST_INVOICE, SETTLE_BILLS, VIEW_BILLS
from .tax import ZERO, split_gross, to_fen
from .transitions import BILL, INVOICE

log = logging.getLogger(__name__)
LINE_BATCH = 2000


@dataclass(frozen=True)
class LineData:
    """One line to put on a bill (what `bill_generate` reads from orders and consumption)."""

    source_ref: str
    occurred_at: datetime
    line_type: str
    customer_name: str
    product_code: str
    product_name: str
    amount: Decimal
    customer_account: str = ""
    order_no: str = ""
    voucher_amount: Decimal = ZERO
    reseller_id: int | None = None
    reseller_name: str = ""


# ------------------------------------------------------------------ bills


def bill_store_lines(*, partner, period: str, lines: Iterable[LineData]) -> Bill:
    """Replace the lines of `partner`'s bill for `period` (creating the bill) and recompute
    its totals. A settled bill never changes."""
    validate_period(period)
    with transaction.atomic():
        bill, created = Bill.objects.select_for_update().get_or_create(
            partner=partner, period=period
        )
        if created:
            BILL.record_created(bill, "open", actor=None)
        if bill.is_settled:
            raise DomainError(
                _("The bill for %(period)s is settled and cannot change.") % {"period": period}
            )
        BillLine.objects.filter(bill=bill).delete()
        batch: list[BillLine] = []
        for data in lines:
            batch.append(BillLine(bill=bill, **data.__dict__))
            if len(batch) >= LINE_BATCH:
                BillLine.objects.bulk_create(batch)
                batch = []
        if batch:
            BillLine.objects.bulk_create(batch)
        bill.generated_at = timezone.now()
        _recompute_totals(bill)
        bill.save()
    return bill


def _recompute_totals(bill: Bill) -> None:
    """Totals in the database (one aggregate, one grouped query), never in Python loops."""
    refund = Q(line_type__in=BillLine.REFUND_TYPES)
    lines = BillLine.objects.filter(bill=bill)
    agg = lines.aggregate(
        count=Count("id"),
        consumption=Sum("amount", filter=~refund),
        refunds=Sum("amount", filter=refund),
        vouchers=Sum("voucher_amount"),
    )
    bill.line_count = agg["count"]
    bill.consumption_amount = agg["consumption"] or ZERO
    bill.refund_amount = -(agg["refunds"] or ZERO)
    bill.voucher_amount = agg["vouchers"] or ZERO
    bill.amount_due = bill.consumption_amount - bill.refund_amount - bill.voucher_amount
    bill.tax_amount = sum((line.tax for line in invoice_lines_for(bill)), ZERO)


@dataclass(frozen=True)
class TaxLine:
    product_code: str
    description: str
    net: Decimal
    tax: Decimal
    total: Decimal


def invoice_lines_for(bill: Bill) -> list[TaxLine]:
    """The bill's amount due per product, each split into net and tax (see `billing.tax`).
    The bill's `tax_amount` and its invoice use these same lines, so they always agree."""
    rows = (
        BillLine.objects.filter(bill=bill)
        .values("product_code")
        .annotate(name=Max("product_name"), amount=Sum("amount"), vouchers=Sum("voucher_amount"))
        .order_by("product_code")
    )
    result = []
    for row in rows:
        gross = to_fen(row["amount"] - row["vouchers"])
        if gross == 0:
            continue
        net, tax = split_gross(gross)
        result.append(TaxLine(row["product_code"], row["name"], net, tax, gross))
    return result


def bill_settle(*, actor, bill: Bill) -> Bill:
    """Close the bill: its figures become final. Only after the period has ended."""
    if actor is not None:  # None: the period-close task
        require(actor, SETTLE_BILLS)
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        if bill.is_settled:
            return bill
        if not period_has_ended(bill.period):
            raise DomainError(
                _("The period %(period)s has not ended yet.") % {"period": bill.period},
                field="period",
            )
        BILL.apply(bill, "settle", actor=actor, changes={"settled_at": timezone.now()}, locked=True)
    return bill


# ------------------------------------------------------------------ generation from customers


def _billed_to(partner_id: int) -> Q:
    """Records on `partner_id`'s bill: its own customers' (unless it is a tier-2 reseller,
    whose customers are billed to its distributor) and, for a distributor, its resellers'."""
    return Q(distributor_id=partner_id) | Q(partner_id=partner_id, distributor__isnull=True)


def _hosted_in(period: str) -> Q:
    """[our rule] A partner's bill holds what is booked to partner-hosted sub-accounts (the
    reseller model: the partner pays). Referral-model customers, and a customer's records
    after it was unbound, are booked to the customer's own main account and paid by the
    customer, so they are not on any partner's bill."""
    from customers.models import Attribution

    return Q(billing_period=period, attributed_to=Attribution.HOSTED_SUB_ACCOUNT)


def period_lines(partner_id: int, period: str) -> Iterator[LineData]:
    """The bill lines of a period, read from the customers app's orders and consumption in
    chunks (never the whole period in memory)."""
    from customers.models import ConsumptionRecord, Order

    refund_types = set(Order.REFUND_TYPES)
    orders = (
        Order.objects.filter(_hosted_in(period) & _billed_to(partner_id))
        .order_by("formed_at", "id")
        .values_list(
            "order_no",
            "order_type",
            "formed_at",
            "amount",
            "voucher_amount",
            "customer__name",
            "customer__account_name",
            "product__code",
            "product__name",
            "partner_id",
            "partner__name",
            "distributor_id",
        )
    )
    for (
        no,
        kind,
        at,
        amount,
        voucher,
        name,
        account,
        code,
        product,
        pid,
        pname,
        dist,
    ) in orders.iterator(chunk_size=2000):
        refund = kind in refund_types
        yield LineData(
            source_ref=f"order:{no}",
            occurred_at=at,
            line_type=kind,
            customer_name=name,
            customer_account=account,
            product_code=code,
            product_name=product,
            amount=-amount if refund else amount,
            order_no=no,
            voucher_amount=ZERO if refund else voucher,
            reseller_id=pid if dist else None,
            reseller_name=pname if dist else "",
        )
    usage = (
        ConsumptionRecord.objects.filter(_hosted_in(period) & _billed_to(partner_id))
        .order_by("consumed_at", "id")
        .values_list(
            "record_no",
            "consumed_at",
            "amount",
            "voucher_amount",
            "customer__name",
            "customer__account_name",
            "product__code",
            "product__name",
            "order__order_no",
            "partner_id",
            "partner__name",
            "distributor_id",
        )
    )
    for (
        no,
        at,
        amount,
        voucher,
        name,
        account,
        code,
        product,
        order_no,
        pid,
        pname,
        dist,
    ) in usage.iterator(chunk_size=2000):
        yield LineData(
            source_ref=f"usage:{no}",
            occurred_at=at,
            line_type=BillLine.Type.USAGE,
            customer_name=name,
            customer_account=account,
            product_code=code,
            product_name=product,
            amount=amount,
            order_no=order_no or "",
            voucher_amount=voucher,
            reseller_id=pid if dist else None,
            reseller_name=pname if dist else "",
        )


def bill_generate(*, partner, period: str) -> Bill | None:
    """Build (or rebuild) `partner`'s bill for `period` from the orders and consumption the
    customers app recorded. A settled bill is left as it is; with nothing recorded and no
    bill yet, no bill is made (None)."""
    validate_period(period)
    existing = Bill.objects.filter(partner=partner, period=period).first()
    if existing is not None and existing.is_settled:
        return existing
    lines = period_lines(partner.pk, period)
    first = next(lines, None)
    if first is None and existing is None:
        return None
    rows = lines if first is None else itertools.chain([first], lines)
    return bill_store_lines(partner=partner, period=period, lines=rows)


def bill_close(*, partner_id: int, period: str) -> Bill | None:
    """Month end for one partner: generate the bill of an ended period and settle it (the
    beat task's per-partner step). Safe to run late or twice."""
    from partner_center.accounts.models import Partner

    if not period_has_ended(period):
        return None
    partner = Partner.objects.get(pk=partner_id)
    with transaction.atomic():
        bill = bill_generate(partner=partner, period=period)
        return bill_settle(actor=None, bill=bill) if bill else None


def bills_to_close(*, now: datetime | None = None) -> list[tuple[int, str]]:
    """(partner id, period) pairs to close: every partner with hosted records in the last
    ended period whose bill is not settled yet, and every bill still open although its
    period has ended."""
    from customers.models import ConsumptionRecord, Order

    last = previous_period(now)
    pairs: set[tuple[int, str]] = set()
    for model in (Order, ConsumptionRecord):
        for partner_id, distributor_id in (
            model.objects.filter(_hosted_in(last), partner__isnull=False)
            .values_list("partner_id", "distributor_id")
            .distinct()
        ):
            pairs.add((distributor_id or partner_id, last))
    settled = set(
        Bill.objects.filter(state=Bill.State.SETTLED, period=last).values_list(
            "partner_id", "period"
        )
    )
    pairs -= settled
    pairs.update(
        Bill.objects.filter(state=Bill.State.OPEN, period__lt=current_period(now)).values_list(
            "partner_id", "period"
        )
    )
    return sorted(pairs, key=lambda pair: (pair[1], pair[0]))


def bill_refresh_request(*, actor, partner, period: str) -> None:
    """Queue a rebuild of the running period's bill with the latest orders and consumption."""
    require(actor, VIEW_BILLS, partner_id=partner.pk)
    validate_period(period)
    if period != current_period():
        raise DomainError(
            _("Only the bill of the running period is refreshed on demand."), field="period"
        )
    from partner_center.outbox.services import enqueue

    enqueue("billing.tasks.generate_bill", {"partner_id": partner.pk, "period": period})


# ------------------------------------------------------------------ PDF export


def export_request(*, actor, bill: Bill, language: str | None = None) -> tuple[ExportTask, bool]:
    """Queue a PDF export of `bill`; returns (task, created). While an export of the same
    bill in the same language is queued or rendering, that one is returned instead."""
    require(actor, VIEW_BILLS, partner_id=bill.partner_id)
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():
        Bill.objects.select_for_update().filter(pk=bill.pk).first()
        running = ExportTask.objects.filter(
            bill=bill, language=language, state__in=ExportTask.ACTIVE_STATES
        ).first()
        if running and not _is_stale(running):
            return running, False
        if running:  # stuck: its worker died or its message was lost; start afresh
            from .jobs import EXPORT_LIFECYCLE

            EXPORT_LIFECYCLE.apply(
                running,
                "fail",
                actor=None,
                reason=str(EXPORT_STALE),
                changes={
                    "failure_reason": str(EXPORT_STALE),
                    "finished_at": timezone.now(),
                    "lease_expires_at": None,
                },
            )
        task = ExportTask.objects.create(
            partner_id=bill.partner_id, bill=bill, language=language, requested_by=actor
        )
        from partner_center.outbox.services import enqueue

        enqueue("billing.tasks.render_bill_pdf", {"task_id": task.pk}, key=f"bill-export:{task.pk}")
    return task, True


EXPORT_STALE = gettext_lazy(
    "The export stopped without finishing (its worker was interrupted); a new one was started."
)


def _is_stale(task: ExportTask, now: datetime | None = None) -> bool:
    """A queued or rendering export nobody works on: its lease ran out, or it has waited
    for a worker far longer than any queue delay."""
    from partner_center.jobs import LEASE

    now = now or timezone.now()
    if task.state == ExportTask.State.RENDERING:
        return bool(task.lease_expires_at and task.lease_expires_at < now)
    waited_since = task.heartbeat_at or task.created_at
    return waited_since < now - 10 * LEASE


def _set_progress(task_id: int, fraction: float) -> None:
    from partner_center.jobs import heartbeat

    heartbeat(
        ExportTask.objects.filter(state=ExportTask.State.RENDERING),
        task_id,
        progress=max(1, min(99, int(fraction * 100))),
    )


def export_render(*, task_id: int) -> ExportTask | None:
    """Render a queued export (the Celery task's body). Safe to run twice: a finished task,
    or one a live worker renders (its lease runs), is left alone; a task whose lease ran
    out (its worker died) is rendered again."""
    from partner_center.jobs import claim, job_temp_dir

    from .jobs import EXPORT_JOB

    task = claim(EXPORT_JOB, task_id)
    if task is None:
        return ExportTask.objects.filter(pk=task_id).first()
    ExportTask.objects.filter(pk=task.pk).update(started_at=timezone.now(), progress=0)
    task = ExportTask.objects.select_related("bill__partner").get(pk=task.pk)

    from .pdf import RenderError, render_bill_pdf

    try:
        with job_temp_dir() as tmp:
            path = Path(tmp) / "bill.pdf"
            with translation.override(task.language):
                pages = render_bill_pdf(
                    task.bill, path, progress=lambda f: _set_progress(task.pk, f)
                )
            with path.open("rb") as fh:
                name = save_or_refuse(
                    default_storage,
                    f"billing/exports/{task.partner_id}/{uuid.uuid4().hex}.pdf",
                    File(fh),
                )
            size = path.stat().st_size
    except Exception as exc:
        reason = (
            str(exc)
            if isinstance(exc, RenderError | StorageUnavailable)
            else _("Unexpected error: %(error)s") % {"error": type(exc).__name__}
        )
        if exc.__class__.__name__ == "SoftTimeLimitExceeded":
            reason = _("The export took too long and was stopped.")
        log.exception("bill export %s failed", task_id)
        _finish(task, state=ExportTask.State.FAILED, failure_reason=reason)
        return task

    now = timezone.now()
    _finish(
        task,
        state=ExportTask.State.DONE,
        file=name,
        file_size=size,
        page_count=pages,
        progress=100,
        finished_at=now,
        expires_at=now + settings.EXPORT_FILE_TTL,
    )
    if task.requested_by_id:
        with translation.override(task.language):
            notify(
                recipients=[task.requested_by],
                kind="billing.export_done",
                title=msg("Your bill PDF for %(period)s is ready", period=task.bill.period),
                body=msg("Download it from the export task list before it expires."),
                link=reverse("billing:exports"),
                email=False,
            )
    return task


def _finish(task: ExportTask, *, state: str, **fields) -> None:
    """End a rendering export through its lifecycle; a file made by a worker that lost
    the job meanwhile (another one finished it) is deleted."""
    from .jobs import EXPORT_LIFECYCLE

    fields.setdefault("finished_at", timezone.now())
    fields["lease_expires_at"] = None
    name = "finish" if state == ExportTask.State.DONE else "fail"
    with transaction.atomic():
        current = ExportTask.objects.select_for_update().filter(pk=task.pk).first()
        if current is None or current.state != ExportTask.State.RENDERING:
            if fields.get("file"):
                default_storage.delete(fields["file"])
            return
        EXPORT_LIFECYCLE.apply(
            current,
            name,
            actor=None,
            locked=True,
            reason=fields.get("failure_reason", ""),
            changes=fields,
        )
    for key, value in fields.items():
        setattr(task, key, value)
    task.state = state


def exports_expire(*, now: datetime | None = None, batch_size: int = 500) -> int:
    """Delete export files older than `EXPORT_FILE_TTL` (the beat task). Rows are updated
    set-based in batches; the files go one by one, after their rows say 'expired'."""
    now = now or timezone.now()
    expired = 0
    while True:
        rows = list(
            ExportTask.objects.filter(state=ExportTask.State.DONE, expires_at__lte=now).values_list(
                "pk", "file"
            )[:batch_size]
        )
        if not rows:
            return expired
        ids = [pk for pk, _name in rows]
        expired += ExportTask.objects.filter(pk__in=ids, state=ExportTask.State.DONE).update(
            state=ExportTask.State.EXPIRED, file="", file_size=0
        )
        for _pk, name in rows:
            if name:
                try:
                    default_storage.delete(name)
                except OSError:
                    log.warning("could not delete expired export file %s", name)


# ------------------------------------------------------------------ invoices

INVOICE_NOT_SETTLED = gettext_lazy(
    "Invoices are issued for settled periods only: %(period)s is still open."
)


def invoice_request(*, actor, bill: Bill) -> Invoice:
    """A partner asks for the VAT invoice of a settled bill: one invoice per bill."""
    require(actor, REQUEST_INVOICE, partner_id=bill.partner_id)
    with transaction.atomic():
        bill = Bill.objects.select_for_update().select_related("partner").get(pk=bill.pk)
        if not bill.is_settled:
            raise DomainError(INVOICE_NOT_SETTLED % {"period": bill.period}, field="bill")
        if Invoice.objects.filter(bill=bill).exists():
            raise DomainError(
                _("An invoice for %(period)s was already requested.") % {"period": bill.period},
                field="bill",
            )
        lines = invoice_lines_for(bill)
        total = sum((line.total for line in lines), ZERO)
        if total <= 0:
            raise DomainError(
                _("Nothing to invoice: the amount due for %(period)s is not above zero.")
                % {"period": bill.period},
                field="bill",
            )
        invoice = Invoice.objects.create(
            number=f"FP{bill.period.replace('-', '')}{bill.pk:08d}",
            partner=bill.partner,
            bill=bill,
            buyer_name=bill.partner.name,
            buyer_tax_id=bill.partner.credit_code,
            net_amount=sum((line.net for line in lines), ZERO),
            tax_amount=sum((line.tax for line in lines), ZERO),
            total_amount=total,
            requested_by=actor,
        )
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=position,
                product_code=line.product_code,
                description=line.description,
                net_amount=line.net,
                tax_amount=line.tax,
                total_amount=line.total,
            )
            for position, line in enumerate(lines, start=1)
        )
        INVOICE.record_created(invoice, "request", actor=actor, data={"total": str(total)})
    return invoice


def invoice_issue(*, actor, invoice: Invoice) -> Invoice:
    """The vendor's finance team marks a requested invoice as issued (Django admin)."""
    require(actor, ISSUE_INVOICES)
    with transaction.atomic():
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if not INVOICE.can(invoice, "issue"):
            raise DomainError(
                _("Only a requested invoice can be issued."), field="state", code="wrong_state"
            )
        INVOICE.apply(
            invoice,
            "issue",
            actor=actor,
            changes={"issued_by": actor, "issued_at": timezone.now()},
            locked=True,
        )
        recipients = [invoice.requested_by] if invoice.requested_by_id else []
        if recipients:
            notify(
                recipients=recipients,
                kind="billing.invoice_issued",
                title=msg("Invoice %(number)s has been issued", number=invoice.number),
                link=reverse("billing:invoice", args=[invoice.pk]),
            )
    return invoice
