"""Every write of the incentives app.

Performance: each order of a partner's customer is credited once (`performance_credit_order`,
called when an order is recorded; `performance_sync` credits whatever was missed, set-based),
linked to the opportunity it belongs to where there is one.
Period close: `period_close` writes each selling partner's statement for a billing period
once and sends the estimated incentives and indicators to the subscribers.
PCE incentive: `incentive_apply` and one service per step of `transitions.INCENTIVE`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from customers.models import Order
from opportunities.catalog import PRODUCT_LABELS
from opportunities.duplicates import normalize_customer_name
from opportunities.models import Opportunity
from partner_center.accounts.access import require
from partner_center.errors import DomainError
from partner_center.money import cny
from partner_center.notifications.messages import join, msg
from partner_center.notifications.models import Topic
from partner_center.notifications.recipients import bd_staff, partner_admins
from partner_center.notifications.selectors import subscribers_of
from partner_center.notifications.services import notify, notify_subscribers
from partner_center.programs.selectors import is_pce_member

from . import eligibility, periods
from .models import (
    HUNDRED,
    ZERO,
    IncentiveApplication,
    PerformanceRecord,
    PeriodClose,
    PeriodStatement,
    ProgramPeriod,
    money,
)
from .permissions import APPLY_INCENTIVES, REVIEW_INCENTIVES, SETTLE_INCENTIVES
from .statements import build_statements, program_for_period
from .transitions import INCENTIVE

SYNC_BATCH = 2000
_ORDER_FIELDS = (
    "pk",
    "partner_id",
    "distributor_id",
    "customer_id",
    "product_id",
    "order_type",
    "formed_at",
    "billing_period",
    "amount",
    "voucher_amount",
)
_MATCH_FIELDS = ("customer__name", "customer__credit_code", "product__code")


# ---------------------------------------------------------------- performance


@dataclass(frozen=True)
class _Candidate:
    """A counted opportunity an order may belong to."""

    pk: int
    customer_key: str
    credit_code: str
    products: frozenset[str]
    counted_since: datetime


def _candidates(partner_ids) -> dict[int, list[_Candidate]]:
    """The partners' counted opportunities (verified POs, accepted HOs), earliest first."""
    found: dict[int, list[_Candidate]] = {}
    rows = Opportunity.objects.filter(
        partner_id__in=set(partner_ids), state__in=eligibility.COUNTED_STATES
    ).values(
        "pk",
        "partner_id",
        "customer_key",
        "customer_credit_code",
        "products",
        "verified_at",
        "accepted_at",
    )
    for row in rows:
        since = row["verified_at"] or row["accepted_at"]
        if since is None:
            continue
        found.setdefault(row["partner_id"], []).append(
            _Candidate(
                row["pk"],
                row["customer_key"],
                row["customer_credit_code"],
                frozenset(row["products"] or ()),
                since,
            )
        )
    for items in found.values():
        items.sort(key=lambda c: (c.counted_since, c.pk))
    return found


def _opportunity_for(row: dict, candidates: list[_Candidate]) -> int | None:
    """[our rule] An order belongs to the partner's earliest counted opportunity for the
    same customer (same credit code, or same normalized name) whose products include the
    order's product and that counted (was verified or accepted) before the order was formed."""
    if not candidates:
        return None
    code = (row.get("customer__credit_code") or "").strip().upper()
    key = normalize_customer_name(row.get("customer__name") or "")
    product = row.get("product__code") or ""
    for candidate in candidates:
        same_customer = (code and candidate.credit_code == code) or (
            key and candidate.customer_key == key
        )
        if (
            same_customer
            and product in candidate.products
            and candidate.counted_since <= row["formed_at"]
        ):
            return candidate.pk
    return None


def _record_from(row: dict, candidates: list[_Candidate]) -> PerformanceRecord:
    refund = row["order_type"] in Order.REFUND_TYPES
    signed = -row["amount"] if refund else row["amount"]
    voucher = ZERO if refund else row["voucher_amount"]
    return PerformanceRecord(
        order_id=row["pk"],
        partner_id=row["partner_id"],
        distributor_id=row["distributor_id"],
        customer_id=row["customer_id"],
        product_id=row["product_id"],
        order_type=row["order_type"],
        formed_at=row["formed_at"],
        billing_period=row["billing_period"],
        order_amount=signed,
        voucher_amount=voucher,
        amount=signed - voucher,
        opportunity_id=_opportunity_for(row, candidates),
    )


def performance_credit_order(*, order: Order) -> PerformanceRecord | None:
    """Credit one order to the partner its customer was associated with when the order was
    formed, linked to its opportunity where there is one. Orders of customers without a
    partner earn no performance. Idempotent."""
    if order.partner_id is None:
        return None
    row = {name: getattr(order, name) for name in _ORDER_FIELDS}
    row.update(
        {
            "customer__name": order.customer.name,
            "customer__credit_code": order.customer.credit_code,
            "product__code": order.product.code,
        }
    )
    candidates = _candidates([order.partner_id]).get(order.partner_id, [])
    PerformanceRecord.objects.bulk_create([_record_from(row, candidates)], ignore_conflicts=True)
    return PerformanceRecord.objects.filter(order_id=order.pk).first()


def performance_sync(*, batch_size: int = SYNC_BATCH) -> int:
    """Credit every partner order that has no performance record yet, in batches (orders
    loaded in bulk, or recorded before this module existed). Running it twice credits
    nothing twice. Returns how many records were written."""
    written = 0
    last_pk = 0
    pending = Order.objects.filter(partner__isnull=False, performance__isnull=True).order_by("pk")
    while True:
        rows = list(
            pending.filter(pk__gt=last_pk).values(*_ORDER_FIELDS, *_MATCH_FIELDS)[:batch_size]
        )
        if not rows:
            return written
        candidates = _candidates(row["partner_id"] for row in rows)
        created = PerformanceRecord.objects.bulk_create(
            [_record_from(row, candidates.get(row["partner_id"], [])) for row in rows],
            ignore_conflicts=True,
        )
        written += len(created)
        last_pk = rows[-1]["pk"]


def performance_relink(*, records) -> int:
    """Work out the opportunity of these records again (an admin's correction, e.g. after a
    customer's credit code was fixed). Returns how many links changed."""
    rows = list(
        records.values(
            "pk",
            "partner_id",
            "formed_at",
            "opportunity_id",
            "customer__name",
            "customer__credit_code",
            "product__code",
        )
    )
    candidates = _candidates(row["partner_id"] for row in rows)
    changed = []
    for row in rows:
        found = _opportunity_for(row, candidates.get(row["partner_id"], []))
        if found != row["opportunity_id"]:
            changed.append(PerformanceRecord(pk=row["pk"], opportunity_id=found))
    PerformanceRecord.objects.bulk_update(changed, ["opportunity_id"], batch_size=1000)
    return len(changed)


# ---------------------------------------------------------------- period close


@dataclass
class CloseResult:
    period: str
    written: int
    sent: int


def period_close(*, period: str, now: datetime | None = None) -> CloseResult:
    """Close a billing period: credit what is missing, write each selling partner's
    statement once, then send the unsent ones. Running it late or twice writes and sends
    nothing twice."""
    now = now or timezone.now()
    if not periods.is_period(period):
        raise ValueError(period)
    if period >= periods.current_period(now):
        raise ValueError(f"{period} has not ended yet")
    performance_sync()
    with transaction.atomic():
        close, created = PeriodClose.objects.get_or_create(
            period=period, defaults={"closed_at": now}
        )
        written = 0
        if created:
            rows = build_statements(period, program_for_period(period))
            written = len(PeriodStatement.objects.bulk_create(rows, ignore_conflicts=True))
            close.statements = written
            close.save(update_fields=["statements"])
    return CloseResult(period, written, statements_send(period=period, now=now))


def statements_send(*, period: str, now: datetime | None = None) -> int:
    """Send the period's unsent statements to each partner's subscribers (estimated
    incentives; indicator details). A statement is sent once, even by concurrent runs."""
    now = now or timezone.now()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        while True:
            with transaction.atomic():
                batch = list(
                    PeriodStatement.objects.select_for_update(skip_locked=True)
                    .filter(period=period, notified_at__isnull=True)
                    .select_related("partner")
                    .order_by("pk")[:200]
                )
                if not batch:
                    return sent
                for statement in batch:
                    _send_statement(statement)
                PeriodStatement.objects.filter(pk__in=[s.pk for s in batch]).update(notified_at=now)
                sent += len(batch)


def _send_statement(statement: PeriodStatement) -> None:
    link = reverse("incentives:estimate_detail", args=[statement.period])
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.PERFORMANCE,
        title=msg(
            "Performance for %(period)s: %(amount)s",
            period=statement.period,
            amount=cny(statement.performance),
        ),
        body=msg("The billing period is closed; its summary and details are ready."),
        link=reverse("incentives:performance") + f"?period={statement.period}",
    )
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.ESTIMATED_INCENTIVES,
        title=msg(
            "Estimated incentive for %(period)s: %(amount)s",
            period=statement.period,
            amount=cny(statement.estimated_incentive),
        ),
        body=msg(
            "Performance %(performance)s at a rate of %(rate)s%%. This is an estimate; the "
            "incentive paid follows the program's accounting.",
            performance=cny(statement.performance),
            rate=statement.rate,
        ),
        link=link,
    )
    achievement = statement.achievement
    target = msg("Target: %(value)s", value=cny(statement.target))
    lines = [
        msg("Performance: %(value)s", value=cny(statement.performance)),
        join(target, f" ({achievement}%)", sep="") if achievement is not None else target,
        msg(
            "Orders: %(n)s; customers: %(c)s; new customers: %(new)s",
            n=statement.order_count,
            c=statement.customer_count,
            new=statement.new_customer_count,
        ),
        msg("Opportunities counted: %(n)s", n=statement.opportunity_count),
    ]
    notify_subscribers(
        partner=statement.partner,
        topic=Topic.INDICATOR_DETAILS,
        title=msg("Indicators for %(period)s", period=statement.period),
        body=join(*lines),
        link=link,
    )


def close_last_period(now: datetime | None = None) -> CloseResult:
    """What the beat task runs: close the period that ended most recently."""
    return period_close(period=periods.last_closed_period(now), now=now)


# ---------------------------------------------------------------- PCE incentive applications


def performance_basis(opportunity_id: int, offering: str, delivered_on) -> Decimal:
    """[our rule] The performance of the opportunity's orders for this offering credited
    up to the day the delivery was completed (Asia/Shanghai); never below zero."""
    end = datetime.combine(delivered_on + timedelta(days=1), time.min, tzinfo=periods.SHANGHAI)
    total = (
        PerformanceRecord.objects.filter(
            opportunity_id=opportunity_id,
            product__code=offering,
            formed_at__lt=end,
        )
        .order_by()
        .aggregate(total=Sum("amount"))["total"]
    )
    return max(money(total or ZERO), ZERO)


@dataclass(frozen=True)
class Reconciliation:
    """The reconciliation summary (激励汇总) the partner checks."""

    basis: Decimal
    rate: Decimal
    amount: Decimal
    tax_rate: Decimal
    tax: Decimal
    total: Decimal
    capped: bool


def reconcile(basis: Decimal, program: ProgramPeriod) -> Reconciliation:
    """Incentive = basis × the program's rate, at most its cap; tax at its tax rate."""
    basis = money(basis)
    amount = money(basis * program.opportunity_rate / HUNDRED)
    capped = program.opportunity_cap is not None and amount > program.opportunity_cap
    if capped:
        amount = money(program.opportunity_cap)
    tax = money(amount * program.tax_rate / HUNDRED)
    return Reconciliation(
        basis, program.opportunity_rate, amount, program.tax_rate, tax, amount + tax, capped
    )


def _lock(application: IncentiveApplication) -> IncentiveApplication:
    return IncentiveApplication.objects.select_for_update().get(pk=application.pk)


def _require(cap, actor, partner_id: int | None = None) -> None:
    require(actor, cap, partner_id=partner_id)


def _link(application: IncentiveApplication) -> str:
    return reverse("incentives:application_detail", args=[application.pk])


def _partner_recipients(application: IncentiveApplication) -> list:
    """Who hears about the application at the partner: the applicant, the partner's admins
    and the users subscribed to incentive news."""
    users = list(partner_admins(application.partner_id))
    users += list(subscribers_of(application.partner, Topic.INCENTIVES))
    if application.applied_by_id:
        users.append(application.applied_by)
    unique = {u.pk: u for u in users}
    return [unique[pk] for pk in sorted(unique)]


def _bd_recipients(application: IncentiveApplication | None = None) -> list:
    """BD staff: the one who published it, if any, else all BD users."""
    if application is not None and application.published_by_id:
        return [application.published_by]
    return bd_staff()


def _subject(application: IncentiveApplication) -> dict:
    return {
        "opp": application.opportunity.project_name,
        "offering": PRODUCT_LABELS.get(application.offering, application.offering),
    }


def _take(app, step: str, *, actor, changes: dict, notice: dict, reason: str = "", data=None):
    """Take one step of a locked application through its table, then send `notice`
    (recipients, kind, title, body) with a link to the application."""
    INCENTIVE.apply(app, step, actor=actor, changes=changes, reason=reason, data=data, locked=True)
    notify(**notice, link=_link(app))
    return app


@transaction.atomic
def incentive_apply(
    *, actor, opportunity: Opportunity, offering: str, note: str = "", now: datetime | None = None
) -> IncentiveApplication:
    """Apply for the PCE incentive of one opportunity and one offering. The opportunity row
    is locked so that concurrent clicks queue up; the database allows one application per
    opportunity and offering in any case."""
    _require(APPLY_INCENTIVES, actor)
    now = now or timezone.now()
    opp = Opportunity.objects.select_for_update().select_related("partner").get(pk=opportunity.pk)
    if opp.partner_id != actor.partner_id:
        raise DomainError(_("You may not do this."), code="forbidden")
    applied = set(
        IncentiveApplication.objects.filter(opportunity=opp).values_list(
            "opportunity_id", "offering"
        )
    )
    verdict = eligibility.check(
        opp,
        offering,
        today=eligibility.today_in_shanghai(now),
        is_pce=is_pce_member(opp.partner_id),
        applied=applied,
        programs=list(ProgramPeriod.objects.all()),
    )
    if not verdict.ok:
        raise DomainError(verdict.message, field="offering", code=verdict.reason)
    try:
        with transaction.atomic():
            application = IncentiveApplication.objects.create(
                partner_id=opp.partner_id,
                opportunity=opp,
                offering=offering,
                program=verdict.program,
                delivery_completed_on=opp.delivery_completed_on,
                note=note.strip(),
                applied_by=actor,
                applied_at=now,
            )
    except IntegrityError as exc:
        raise DomainError(
            _("An incentive for this opportunity and offering was applied for already."),
            field="offering",
            code=eligibility.Reason.ALREADY_APPLIED,
        ) from exc
    INCENTIVE.record_created(
        application,
        "apply",
        actor=actor,
        reason=application.note,
        data={"opportunity": application.opportunity_id, "offering": application.offering},
    )
    notify(
        recipients=_bd_recipients(),
        kind="incentives.applied",
        title=msg(
            "Incentive application to review: %(opp)s · %(offering)s", **_subject(application)
        ),
        body=msg(
            "%(partner)s applied for the PCE opportunity-sharing incentive.",
            partner=opp.partner.name,
        ),
        link=_link(application),
    )
    return application


@transaction.atomic
def incentive_publish(
    *,
    actor,
    application: IncentiveApplication,
    basis: Decimal | str | None = None,
    note: str = "",
    now: datetime | None = None,
) -> IncentiveApplication:
    """BD publishes the reconciliation summary: the performance basis (computed from the
    opportunity's performance, or BD's corrected figure with a note), the program's rate,
    the amount, the tax. The partner then confirms or disputes."""
    _require(REVIEW_INCENTIVES, actor)
    app = _lock(application)
    INCENTIVE.check(app, "publish")
    computed = performance_basis(app.opportunity_id, app.offering, app.delivery_completed_on)
    note = (note or "").strip()
    if basis in (None, ""):
        chosen = computed
    else:
        try:
            chosen = money(Decimal(str(basis)))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError(_("Enter an amount."), field="basis") from exc
        if chosen < 0:
            raise DomainError(_("The basis cannot be negative."), field="basis")
        if chosen != computed and not note:
            raise DomainError(
                _("Say why the basis differs from the computed %(amount)s.")
                % {"amount": cny(computed)},
                field="note",
            )
    figures = reconcile(chosen, app.program)
    return _take(
        app,
        "publish",
        actor=actor,
        changes={
            "basis": figures.basis,
            "rate": figures.rate,
            "amount": figures.amount,
            "tax_rate": figures.tax_rate,
            "tax": figures.tax,
            "total": figures.total,
            "capped": figures.capped,
            "reconciliation_note": note,
            "published_at": now or timezone.now(),
            "published_by": actor,
        },
        reason=note,
        data={
            "basis": str(figures.basis),
            "computed_basis": str(computed),
            "rate": str(figures.rate),
            "amount": str(figures.amount),
            "tax": str(figures.tax),
            "total": str(figures.total),
        },
        notice={
            "recipients": _partner_recipients(app),
            "kind": "incentives.published",
            "title": msg(
                "Incentive published, please check it: %(opp)s · %(offering)s", **_subject(app)
            ),
            "body": msg(
                "Incentive %(amount)s plus tax %(tax)s. Confirm it or dispute it with a reason.",
                amount=cny(figures.amount),
                tax=cny(figures.tax),
            ),
        },
    )


@transaction.atomic
def incentive_reject(*, actor, application: IncentiveApplication, reason: str):
    _require(REVIEW_INCENTIVES, actor)
    app = _lock(application)
    INCENTIVE.check(app, "reject")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the rejection."), field="reason")
    return _take(
        app,
        "reject",
        actor=actor,
        changes={"rejection_reason": reason, "decided_at": timezone.now()},
        reason=reason,
        notice={
            "recipients": _partner_recipients(app),
            "kind": "incentives.rejected",
            "title": msg("Incentive application rejected: %(opp)s · %(offering)s", **_subject(app)),
            "body": reason,
        },
    )


@transaction.atomic
def incentive_dispute(*, actor, application: IncentiveApplication, reason: str):
    """The partner does not agree with the published amounts: back to BD with a reason."""
    _require(SETTLE_INCENTIVES, actor, application.partner_id)
    app = _lock(application)
    INCENTIVE.check(app, "dispute")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what is wrong with the amounts."), field="reason")
    return _take(
        app,
        "dispute",
        actor=actor,
        changes={
            "dispute_reason": reason,
            "disputed_at": timezone.now(),
            "dispute_count": app.dispute_count + 1,
        },
        reason=reason,
        data={"published_total": str(app.total)},
        notice={
            "recipients": _bd_recipients(app),
            "kind": "incentives.disputed",
            "title": msg("Incentive disputed: %(opp)s · %(offering)s", **_subject(app)),
            "body": reason,
        },
    )


@transaction.atomic
def incentive_confirm(*, actor, application: IncentiveApplication):
    _require(SETTLE_INCENTIVES, actor, application.partner_id)
    app = _lock(application)
    return _take(
        app,
        "confirm",
        actor=actor,
        changes={"confirmed_at": timezone.now(), "confirmed_by": actor},
        data={"total": str(app.total)},
        notice={
            "recipients": _bd_recipients(app),
            "kind": "incentives.confirmed",
            "title": msg(
                "Incentive confirmed by the partner: %(opp)s · %(offering)s", **_subject(app)
            ),
        },
    )


@transaction.atomic
def incentive_request_payment(*, actor, application: IncentiveApplication, invoice_no: str):
    """The payment request (申付): the partner names its invoice for the total."""
    _require(SETTLE_INCENTIVES, actor, application.partner_id)
    app = _lock(application)
    INCENTIVE.check(app, "request_payment")
    invoice_no = (invoice_no or "").strip()
    if not invoice_no:
        raise DomainError(_("Enter the number of your invoice."), field="invoice_no")
    return _take(
        app,
        "request_payment",
        actor=actor,
        changes={
            "invoice_no": invoice_no[:64],
            "payment_requested_at": timezone.now(),
            "payment_requested_by": actor,
        },
        data={"invoice_no": invoice_no[:64]},
        notice={
            "recipients": _bd_recipients(),
            "kind": "incentives.payment_requested",
            "title": msg("Payment requested: %(opp)s · %(offering)s", **_subject(app)),
            "body": msg(
                "Total %(total)s, invoice %(invoice)s.", total=cny(app.total), invoice=invoice_no
            ),
        },
    )


@transaction.atomic
def incentive_mark_paid(*, actor, application: IncentiveApplication, reference: str = ""):
    _require(REVIEW_INCENTIVES, actor)
    app = _lock(application)
    reference = (reference or "").strip()[:64]
    return _take(
        app,
        "mark_paid",
        actor=actor,
        changes={"paid_at": timezone.now(), "paid_by": actor, "payment_reference": reference},
        data={"reference": reference},
        notice={
            "recipients": _partner_recipients(app),
            "kind": "incentives.paid",
            "title": msg("Incentive paid: %(opp)s · %(offering)s", **_subject(app)),
            "body": msg("%(total)s was paid.", total=cny(app.total)),
        },
    )
