"""Every read the customer pages and API need, scoped to the user and with fixed query
counts (relations selected, aggregates annotated)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from partner_center.accounts.access import is_vendor_staff, scope_to_partner
from partner_center.accounts.models import Partner

from .models import (
    ZERO,
    Account,
    AgreementSignature,
    AgreementVersion,
    Association,
    Attribution,
    ConsumptionRecord,
    Customer,
    Invitation,
    KnowledgeArticle,
    LedgerEntry,
    LedgerTotal,
    MoneyRequest,
    Order,
    OrderLine,
    Resource,
    Voucher,
    billing_period_of,
)

EXPIRING_SOON_DAYS = 30  # [our rule] "expiring soon" means within 30 days
MONEY = DecimalField(max_digits=14, decimal_places=2)


def latest_agreement() -> AgreementVersion | None:
    return AgreementVersion.objects.order_by("-version").first()


def signed_latest_subquery(latest: AgreementVersion | None, customer_ref: str = "customer"):
    """True when the customer signed the latest version. A scalar subquery (LIMIT 1), not
    EXISTS: PostgreSQL evaluates it for the page's rows only, where it hashed every
    signature for an EXISTS in the SELECT list."""
    return Coalesce(
        Subquery(
            AgreementSignature.objects.filter(
                customer=OuterRef(customer_ref), version_id=latest.pk if latest else -1
            )
            .order_by()
            .annotate(signed=Value(True))
            .values("signed")[:1],
            output_field=BooleanField(),
        ),
        Value(False),
    )


# ---------------------------------------------------------------- associations


def associations_for(user) -> QuerySet[Association]:
    """The user's partner's customer associations (all for vendor staff), with the customer,
    the hosted account and whether the customer signed the latest agreement."""
    latest = latest_agreement()
    qs = Association.objects.select_related("customer", "partner", "account").annotate(
        signed_latest=signed_latest_subquery(latest)
    )
    return scope_to_partner(qs, user)


def association_for_user(user, pk: int) -> Association:
    association = associations_for(user).filter(pk=pk).first()
    if association is None:
        raise Http404
    return association


@dataclass
class Recommendations:
    visible: bool
    reason: str
    articles: list


def recommendations_for(association: Association) -> Recommendations:
    """Knowledge articles for the products the customer uses, shown only while the customer
    has signed the latest agreement and is associated."""
    latest = latest_agreement()
    if not association.is_active:
        return Recommendations(False, _("The customer is not associated with you any more."), [])
    if latest is None:
        return Recommendations(False, _("No association agreement is published yet."), [])
    signed = AgreementSignature.objects.filter(
        customer_id=association.customer_id, version=latest
    ).exists()
    if not signed:
        last = (
            AgreementSignature.objects.filter(customer_id=association.customer_id)
            .select_related("version")
            .order_by("-version__version")
            .first()
        )
        if last is None:
            reason = _(
                "The customer has not signed the association agreement (version %(v)s). "
                "Recommendations appear once it signs."
            ) % {"v": latest.version}
        else:
            reason = _(
                "The customer signed version %(old)s of the association agreement, but version "
                "%(v)s is the latest. Recommendations appear once the customer signs it."
            ) % {"old": last.version.version, "v": latest.version}
        return Recommendations(False, reason, [])
    # Only what the customer uses through this partner: its products with another partner
    # are that partner's business.
    product_ids = set(
        Resource.objects.filter(association=association).values_list("product_id", flat=True)
    ) | set(partner_consumption(association).values_list("product_id", flat=True).distinct())
    articles = list(
        KnowledgeArticle.objects.filter(product_id__in=product_ids).select_related("product")[:20]
    )
    return Recommendations(True, "", articles)


@dataclass
class ConsumptionRow:
    period: str
    hosted: Decimal
    main: Decimal
    unbinding_month: bool

    @property
    def total(self) -> Decimal:
        return self.hosted + self.main


def _after_unbinding_q(association: Association) -> Q | None:
    """In the month of unbinding, what the customer consumed after the moment of unbinding
    on its **own main account while associated with no partner** (the second column the spec
    asks for). Never a record booked to another partner (its hosted sub-account or a referral
    association): those carry that partner, and the window closes when the customer's next
    association begins."""
    if association.unbound_at is None:
        return None
    q = Q(
        customer_id=association.customer_id,
        billing_period=billing_period_of(association.unbound_at),
        consumed_at__gte=association.unbound_at,
        attributed_to=Attribution.MAIN_ACCOUNT,
        partner__isnull=True,
        association__isnull=True,
    )
    next_start = (
        Association.objects.filter(
            customer_id=association.customer_id, associated_at__gte=association.unbound_at
        )
        .exclude(pk=association.pk)
        .order_by("associated_at")
        .values_list("associated_at", flat=True)
        .first()
    )
    if next_start is not None:
        q &= Q(consumed_at__lt=next_start)
    return q


def partner_consumption(association: Association) -> QuerySet[ConsumptionRecord]:
    """Every consumption record a partner may see for one association: what is booked to the
    association **and to that partner** (its hosted sub-account, or the referral
    association), plus the unbinding month's part on the customer's own main account. The one
    root of the consumption tab and the consumption-summary endpoint."""
    q = Q(association=association, partner_id=association.partner_id)
    after = _after_unbinding_q(association)
    if after is not None:
        q |= after
    return ConsumptionRecord.objects.filter(q)


def consumption_summary(association: Association) -> list[ConsumptionRow]:
    """Consumption per billing period while associated, split by the account it is booked to.
    The month of unbinding has both parts: before the moment of unbinding on the
    partner-hosted sub-account, after it on the customer's own main account."""
    rows: dict[str, dict[str, Decimal]] = {}
    totals = (
        partner_consumption(association)
        .values("billing_period", "attributed_to", "partner_id")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for item in totals:
        row = rows.setdefault(item["billing_period"], {"hosted": ZERO, "main": ZERO})
        hosted = (
            item["attributed_to"] == Attribution.HOSTED_SUB_ACCOUNT
            and item["partner_id"] == association.partner_id
        )
        row["hosted" if hosted else "main"] += item["total"]
    unbind_period = billing_period_of(association.unbound_at) if association.unbound_at else None
    if unbind_period is not None:
        rows.setdefault(unbind_period, {"hosted": ZERO, "main": ZERO})
    return [
        ConsumptionRow(period, parts["hosted"], parts["main"], period == unbind_period)
        for period, parts in sorted(rows.items(), reverse=True)
    ]


def consumption_for_association(association: Association) -> QuerySet[ConsumptionRecord]:
    """The records behind `consumption_summary`, the latest first."""
    return (
        partner_consumption(association).select_related("product").order_by("-consumed_at", "-id")
    )


def account_for_association(association: Association) -> Account | None:
    return Account.objects.filter(association=association).first()


def ledger_for(account: Account) -> QuerySet[LedgerEntry]:
    return account.entries.select_related("actor", "order").order_by("-created_at", "-id")


# ---------------------------------------------------------------- invitations


def invitations_for(user) -> QuerySet[Invitation]:
    qs = Invitation.objects.select_related("partner", "created_by", "association__customer")
    return scope_to_partner(qs, user)


def invitation_by_token(token: str) -> Invitation | None:
    return Invitation.objects.select_related("partner").filter(token=token).first()


# ---------------------------------------------------------------- resources and orders


def resources_for(user) -> QuerySet[Resource]:
    qs = Resource.objects.select_related("customer", "product", "association", "original_order")
    if getattr(user, "role", None) == "customer":
        return qs.filter(customer__user=user)
    return scope_to_partner(qs, user)


def resources_listed(qs: QuerySet[Resource]) -> QuerySet[Resource]:
    """The default order of a resource list: those in use first, the next to expire on top;
    then the expired and unsubscribed ones, the latest first."""
    in_use = Q(status=Resource.Status.ACTIVE)
    return qs.annotate(
        _ended=Case(When(in_use, then=Value(0)), default=Value(1)),
        _in_use_expiry=Case(When(in_use, then=F("expires_at"))),
    ).order_by("_ended", F("_in_use_expiry").asc(nulls_last=True), "-expires_at", "id")


def expiring_soon_q(now: datetime | None = None) -> Q:
    """In use and expiring within EXPIRING_SOON_DAYS; a resource already past its expiry is
    expired (the hourly task only catches its status up), not "expiring soon"."""
    now = now or timezone.now()
    return Q(
        status=Resource.Status.ACTIVE,
        expires_at__gt=now,
        expires_at__lte=now + timedelta(days=EXPIRING_SOON_DAYS),
    )


def expiring_soon(qs: QuerySet[Resource], now: datetime | None = None) -> QuerySet[Resource]:
    return qs.filter(expiring_soon_q(now))


def orders_for(user) -> QuerySet[Order]:
    qs = Order.objects.select_related("customer", "product", "voucher", "distributor")
    if getattr(user, "role", None) == "customer":
        return qs.filter(customer__user=user)
    return scope_to_partner(qs, user)


def order_lines(order: Order) -> list[OrderLine]:
    """The order's lines with their resources and, for a refund, the original orders."""
    return list(order.lines.select_related("resource__product", "original_order").order_by("id"))


def consumption_for(user) -> QuerySet[ConsumptionRecord]:
    qs = ConsumptionRecord.objects.select_related("customer", "product", "distributor")
    return scope_to_partner(qs, user)


# ---------------------------------------------------------------- resellers and vouchers


def _account_balance(kind: str):
    return Coalesce(
        Subquery(
            Account.objects.filter(partner=OuterRef("pk"), kind=kind).values("balance")[:1],
            output_field=MONEY,
        ),
        Value(ZERO),
    )


def _entries_total(kind: str, *entry_types: str, outgoing: bool = False):
    """The running total of a reseller account's entries of these types (as a positive
    figure): one or two `LedgerTotal` rows, never the entries themselves."""
    amount = F("amount") * -1 if outgoing else F("amount")
    sub = (
        LedgerTotal.objects.filter(
            account__partner=OuterRef("pk"), account__kind=kind, entry_type__in=entry_types
        )
        .order_by()
        .values("account__partner")
        .annotate(total=Sum(amount))
        .values("total")
    )
    return Coalesce(Subquery(sub, output_field=MONEY), Value(ZERO))


def _with_reseller_figures(qs: QuerySet[Partner]) -> QuerySet[Partner]:
    """Each reseller's funds and voucher quota: received, passed on, left."""
    return qs.select_related("parent_distributor").annotate(
        funds_balance=_account_balance(Account.Kind.RESELLER_FUNDS),
        funds_received=_entries_total(
            Account.Kind.RESELLER_FUNDS, LedgerEntry.Type.DISTRIBUTOR_FUND
        ),
        funds_reclaimed=_entries_total(
            Account.Kind.RESELLER_FUNDS, LedgerEntry.Type.DISTRIBUTOR_RECLAIM, outgoing=True
        ),
        funds_to_customers=_entries_total(
            Account.Kind.RESELLER_FUNDS, LedgerEntry.Type.FUND, outgoing=True
        ),
        funds_back_from_customers=_entries_total(
            Account.Kind.RESELLER_FUNDS,
            LedgerEntry.Type.RECLAIM,
            LedgerEntry.Type.UNBIND_RECLAIM,
        ),
        quota_balance=_account_balance(Account.Kind.VOUCHER_QUOTA),
        quota_granted=_entries_total(Account.Kind.VOUCHER_QUOTA, LedgerEntry.Type.QUOTA_GRANT),
        quota_issued=_entries_total(
            Account.Kind.VOUCHER_QUOTA, LedgerEntry.Type.VOUCHER_ISSUE, outgoing=True
        ),
        quota_returned=_entries_total(Account.Kind.VOUCHER_QUOTA, LedgerEntry.Type.VOUCHER_REVOKE),
        quota_reduced=_entries_total(
            Account.Kind.VOUCHER_QUOTA, LedgerEntry.Type.QUOTA_REDUCE, outgoing=True
        ),
        # Its own subquery: a Count over the join would GROUP BY the partner and run every
        # subquery above once per association row. COUNT(*), not of the id: read from the
        # (partner, state) index alone, not from every association's row.
        customer_count=Coalesce(
            Subquery(
                Association.objects.filter(partner=OuterRef("pk"), state=Association.State.ACTIVE)
                .order_by()
                .values("partner")
                .annotate(n=Count("*"))
                .values("n"),
            ),
            Value(0),
        ),
    )


def resellers_for(user) -> QuerySet[Partner]:
    """A distributor's tier-2 resellers (all tier-2 resellers for vendor staff) with their
    funds, quota and what they did with them."""
    qs = Partner.objects.filter(parent_distributor__isnull=False)
    if not is_vendor_staff(user):
        qs = qs.filter(parent_distributor_id=getattr(user, "partner_id", None) or -1)
    return _with_reseller_figures(qs)


def resellers_for_self(user) -> Partner | None:
    """The user's own partner with its reseller figures (for a tier-2 reseller's pages)."""
    return _with_reseller_figures(
        Partner.objects.filter(pk=getattr(user, "partner_id", None) or -1)
    ).first()


def reseller_for_user(user, pk: int) -> Partner:
    reseller = resellers_for(user).filter(pk=pk).first()
    if reseller is None:
        raise Http404
    return reseller


def reseller_ledger(reseller: Partner) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(
            account__partner=reseller,
            account__kind__in=[Account.Kind.RESELLER_FUNDS, Account.Kind.VOUCHER_QUOTA],
        )
        .select_related("account", "actor", "counter_account__association__customer")
        .order_by("-created_at", "-id")
    )


DISTRIBUTOR_ENTRY_TYPES = (
    LedgerEntry.Type.DISTRIBUTOR_FUND,
    LedgerEntry.Type.DISTRIBUTOR_RECLAIM,
    LedgerEntry.Type.QUOTA_GRANT,
    LedgerEntry.Type.QUOTA_REDUCE,
)


def distributor_movements(reseller: Partner) -> QuerySet[LedgerEntry]:
    """What a distributor sees of a reseller's ledger [our rule]: only the movements between
    the two of them (allocations, take-backs, quota grants and reductions). The reseller's own
    lines (which customer got how much, voucher codes, its staff, its reasons) stay private;
    the distributor reads the totals in `_with_reseller_figures`."""
    return (
        LedgerEntry.objects.filter(
            account__partner=reseller,
            account__kind__in=[Account.Kind.RESELLER_FUNDS, Account.Kind.VOUCHER_QUOTA],
            entry_type__in=DISTRIBUTOR_ENTRY_TYPES,
        )
        .select_related("account", "actor")
        .order_by("-created_at", "-id")
    )


def reseller_performance(reseller: Partner, periods: list[str]) -> list[dict]:
    """A reseller's performance total per billing period (for its distributor's page)."""
    from incentives.models import PerformanceRecord

    totals = dict(
        PerformanceRecord.objects.filter(partner=reseller, billing_period__in=periods)
        .order_by()
        .values("billing_period")
        .annotate(total=Sum("amount"))
        .values_list("billing_period", "total")
    )
    return [{"period": p, "total": totals.get(p) or ZERO} for p in periods]


def money_requests_for(user) -> QuerySet[MoneyRequest]:
    """The user's partner's money operations waiting for (or decided by) a second admin."""
    qs = MoneyRequest.objects.select_related(
        "partner",
        "requested_by",
        "decided_by",
        "reseller",
        "association__customer",
        "account__association__customer",
    ).order_by("-requested_at", "-id")
    return scope_to_partner(qs, user)


class LedgerWindow:
    """A ledger page, latest first, reading only its own window. The running totals
    (`LedgerTotal`) of the accounts give the count and which accounts (or accounts and
    types) have entries; each of those gives its latest keys through the index
    `(account, -created_at, -id)` or `(account, entry_type, -created_at, -id)`, merged in one
    UNION ALL, then the page's rows with their relations. One sort, or one count, over every
    entry of the accounts (100,000 on a busy reseller's funds) is what this avoids.
    Sliceable, for `partner_center.paging.Paginator`."""

    ordered = True
    RELATED = ("account", "actor", "counter_account__association__customer")

    def __init__(
        self,
        accounts: QuerySet[Account],
        entry_types: tuple[str, ...] | None = None,
        related: tuple[str, ...] = RELATED,
    ):
        self.accounts = accounts
        self.entry_types = entry_types
        self.related = related

    @cached_property
    def _totals(self) -> list[tuple[int, str, int]]:
        totals = LedgerTotal.objects.filter(
            account__in=self.accounts.order_by().values("pk"), entries__gt=0
        )
        if self.entry_types is not None:
            totals = totals.filter(entry_type__in=self.entry_types)
        return list(
            totals.order_by("account_id", "entry_type").values_list(
                "account_id", "entry_type", "entries"
            )
        )

    def _branches(self) -> list[dict]:
        if self.entry_types is None:
            return [{"account_id": pk} for pk in sorted({pk for pk, _t, _n in self._totals})]
        return [{"account_id": pk, "entry_type": t} for pk, t, _n in self._totals]

    def count(self) -> int:
        return sum(n for _pk, _t, n in self._totals)

    def bounded_count(self, cap: int) -> int:
        return self.count()  # exact, and as cheap as any bound

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[LedgerEntry]:
        start, stop = window.start or 0, window.stop
        branches = self._branches()
        if not branches or stop is None or stop <= start:
            return []
        newest = [
            LedgerEntry.objects.filter(**branch)
            .order_by("-created_at", "-id")
            .values_list("created_at", "id")
            for branch in branches
        ]
        if len(newest) > 1:
            keys = newest[0][:stop].union(*(q[:stop] for q in newest[1:]), all=True)
            keys = keys.order_by("-created_at", "-id")
        else:
            keys = newest[0]
        ids = [pk for _when, pk in keys[start:stop]]
        rows = LedgerEntry.objects.select_related(*self.related).in_bulk(ids)
        return [rows[pk] for pk in ids]


def _reseller_accounts(reseller: Partner) -> QuerySet[Account]:
    return Account.objects.filter(
        partner=reseller, kind__in=[Account.Kind.RESELLER_FUNDS, Account.Kind.VOUCHER_QUOTA]
    )


def reseller_ledger_window(reseller: Partner) -> LedgerWindow:
    """The reseller ledger page's entries (see `reseller_ledger` for the same as a queryset)."""
    return LedgerWindow(_reseller_accounts(reseller))


def distributor_movements_window(reseller: Partner) -> LedgerWindow:
    """The distributor's page of a reseller's movements (see `distributor_movements` for the
    same as a queryset, and for what the distributor may see)."""
    return LedgerWindow(
        _reseller_accounts(reseller), DISTRIBUTOR_ENTRY_TYPES, related=("account", "actor")
    )


def vouchers_for(user) -> QuerySet[Voucher]:
    qs = Voucher.objects.select_related("customer", "account", "partner", "issued_by")
    if getattr(user, "role", None) == "customer":
        return qs.filter(customer__user=user)
    return scope_to_partner(qs, user)


# ---------------------------------------------------------------- the customer's own view


@dataclass
class CustomerHome:
    customer: Customer | None
    association: Association | None
    latest: AgreementVersion | None
    signed_latest: bool
    last_signed: AgreementSignature | None


def customer_home(user) -> CustomerHome:
    customer = Customer.objects.filter(user=user).first()
    latest = latest_agreement()
    if customer is None:
        return CustomerHome(None, None, latest, False, None)
    association = (
        customer.associations.filter(state=Association.State.ACTIVE)
        .select_related("partner", "account")
        .first()
    )
    last = customer.signatures.select_related("version").order_by("-version__version").first()
    signed = bool(latest and last and last.version_id == latest.pk)
    return CustomerHome(customer, association, latest, signed, last)


def customer_past_associations(customer: Customer) -> QuerySet[Association]:
    return customer.associations.select_related("partner").order_by("-associated_at")


# ---------------------------------------------------------------- for billing and incentives
