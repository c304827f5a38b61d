"""Sub-customers and the money around them.

- `AgreementVersion` / `AgreementSignature`: the association agreement a customer signs.
- `Customer`: a customer's own main account on the vendor's site, with the user who signs in.
- `Invitation` -> `Association`: a partner invites, the customer accepts; one active
  association per customer; unbinding ends it (`unbound_at`).
- `Account` + `LedgerEntry`: every money pot (a customer's hosted account, a reseller's funds
  and voucher quota, one voucher) is a row with a balance that never goes below zero (CHECK
  constraint, updated under a row lock); every movement is an append-only ledger entry.
- `Order`, `OrderLine`, `Resource`, `ConsumptionRecord`: what happened on the vendor's site
  (imported, idempotent by number), attributed to the partner associated at that moment.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from partner_center.choices import choice_display
from partner_center.fields import optional_ref, partner_ref, person_ref, user_ref
from partner_center.money import ZERO, money_field  # noqa: F401
from partner_center.periods import period_of as billing_period_of  # noqa: F401
from partner_center.timezones import SHANGHAI  # noqa: F401


class BillingModel(models.TextChoices):
    """How a customer associated with a partner pays."""

    RESELLER = "reseller", _("Reseller model")  # partner funds a hosted sub-account and pays
    REFERRAL = "referral", _("Referral model")  # the customer pays from its own main account


class Attribution(models.TextChoices):
    """Which account an order or a consumption record is booked to."""

    HOSTED_SUB_ACCOUNT = "hosted_sub_account", _("Partner-hosted sub-account")
    MAIN_ACCOUNT = "main_account", _("Customer's own main account")


# ---------------------------------------------------------------- agreement


class AgreementVersion(models.Model):
    """One published version of the customer association agreement; never changed later."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_zh = models.TextField(_("text (Chinese)"))
    body_en = models.TextField(_("text (English)"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = user_ref(_("published by"))

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"v{self.version} {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title_zh

    @property
    def body(self) -> str:
        return self.body_en if (get_language() or "").startswith("en") else self.body_zh


# ---------------------------------------------------------------- customers


class Customer(models.Model):
    """A sub-customer: its own main account on the vendor's site and the user who signs in."""

    user = user_ref(
        _("user"), on_delete=models.PROTECT, related_name="customer_profile", one_to_one=True
    )
    name = models.CharField(_("customer name"), max_length=200)
    account_name = models.CharField(
        _("vendor account name"),
        max_length=64,
        unique=True,
        help_text=_("The customer's main account on the vendor's site; imports refer to it."),
    )
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    industry = models.CharField(_("industry"), max_length=64, blank=True)
    region = models.CharField(_("region"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.account_name})"


class AgreementSignature(models.Model):
    """A customer signed one version of the agreement."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("customer")
    )
    version = models.ForeignKey(
        AgreementVersion,
        on_delete=models.PROTECT,
        related_name="signatures",
        verbose_name=_("version"),
    )
    signed_by = user_ref(_("signed by"), blank=False)
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["-signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "version"], name="one_signature_per_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer} · v{self.version.version}"


class Invitation(models.Model):
    """A link a partner sends to a customer. It expires and works once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the customer")
        ACCEPTED = (
            "accepted",
            pgettext_lazy("invitation", "Accepted"),
        )  # the link was used; an association exists
        REVOKED = "revoked", _("Revoked")  # the partner withdrew the link

    partner = partner_ref("customer_invitations")
    token = models.CharField(_("link token"), max_length=64, unique=True, editable=False)
    billing_model = models.CharField(
        _("billing model"), max_length=16, choices=BillingModel.choices
    )
    email = models.EmailField(_("customer e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_by = user_ref(_("created by"), blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = user_ref(_("used by"))

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["partner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.partner} · {self.email or self.token[:8]}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.state == self.State.PENDING and (now or timezone.now()) >= self.expires_at

    @property
    def display_state(self) -> str:
        if self.is_expired():
            return str(_("Expired"))
        return self.get_state_display()


class Registration(models.Model):
    """A customer registering through an invitation link. The account is created only when
    the 6-digit code e-mailed to the address is entered; one registration per link (a second
    attempt before verification replaces the first, after it the link is used)."""

    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.CASCADE,
        related_name="registration",
        verbose_name=_("invitation"),
    )
    email = models.EmailField(_("e-mail"))
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    password = models.CharField(_("password (hashed)"), max_length=128)
    code_hash = models.CharField(_("code (hashed)"), max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    expires_at = models.DateTimeField(_("code valid until"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    user = user_ref(_("user"), one_to_one=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.email


class Association(models.Model):
    """A customer associated with a partner, from `associated_at` until `unbound_at`."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Associated")
        UNBOUND = "unbound", _("Unbound")  # the partner ended the association

    partner = partner_ref("customer_associations")
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="associations", verbose_name=_("customer")
    )
    billing_model = models.CharField(
        _("billing model"), max_length=16, choices=BillingModel.choices
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ACTIVE)
    get_state_display = choice_display("state")  # once per list row
    get_billing_model_display = choice_display("billing_model")
    invitation = optional_ref(
        Invitation, _("invitation"), related_name="association", one_to_one=True
    )
    associated_at = models.DateTimeField(_("associated at"), default=timezone.now)
    unbound_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    unbound_by = user_ref(_("unbound by"))
    unbind_reason = models.CharField(_("reason for unbinding"), max_length=200, blank=True)
    # The new-customer label [our rule R4.5, customers/new_customer.py]: the customer's first
    # paid order on the vendor's site came within 90 days of this association. Set (and
    # cleared) by the import of orders; `new_customer_labelled_at` is when the portal set it
    # (the daily digest reports the labels of one day).
    new_customer_at = models.DateTimeField(
        _("new customer since"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the first paid order that earned the new-customer label was formed."),
    )
    new_customer_labelled_at = models.DateTimeField(
        _("new-customer label set at"), null=True, blank=True, db_index=True
    )

    class Meta:
        verbose_name = _("customer association")
        verbose_name_plural = _("customer associations")
        ordering = ["-associated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(state="active"),
                name="one_active_association_per_customer",
            ),
            models.CheckConstraint(
                condition=(Q(state="active") & Q(unbound_at__isnull=True))
                | (Q(state="unbound") & Q(unbound_at__isnull=False)),
                name="association_unbound_at_matches_state",
            ),
        ]
        indexes = [
            models.Index(fields=["customer", "associated_at"]),
            # The customer lists' default order, for one partner and for vendor staff.
            models.Index(
                fields=["partner", "-associated_at", "-id"], name="association_partner_list"
            ),
            models.Index(fields=["-associated_at", "-id"], name="association_list"),
            models.Index(fields=["partner", "state"], name="association_partner_state"),
        ]

    def __str__(self) -> str:
        return f"{self.customer.name} ↔ {self.partner.name}"

    @property
    def is_active(self) -> bool:
        return self.state == self.State.ACTIVE

    @property
    def is_new_customer(self) -> bool:
        return self.new_customer_at is not None

    @property
    def hosted(self) -> bool:
        """Orders and consumption go to the partner-hosted sub-account (reseller model)."""
        return self.billing_model == BillingModel.RESELLER


# ---------------------------------------------------------------- money


class Account(models.Model):
    """A pot of money (or voucher value). The balance is changed only by `customers.ledger`,
    under a row lock, and never goes below zero (database CHECK)."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("Customer account")  # one per reseller-model association
        RESELLER_FUNDS = "reseller_funds", _("Reseller funds")  # from the distributor
        VOUCHER_QUOTA = "voucher_quota", _("Voucher quota")  # granted by the distributor
        VOUCHER = "voucher", _("Voucher")  # what is left on one voucher

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    partner = partner_ref("money_accounts", help_text=_("The partner that controls the money."))
    association = optional_ref(
        Association, _("customer association"), related_name="account", one_to_one=True
    )
    balance = money_field(_("balance"), default=ZERO)
    frozen = models.BooleanField(
        _("frozen"), default=False, help_text=_("A frozen account cannot pay for anything.")
    )
    monthly_budget = money_field(
        _("monthly budget"),
        null=True,
        blank=True,
        help_text=_("The most the customer may spend from this account in one calendar month."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("money account")
        verbose_name_plural = _("money accounts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="account_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(monthly_budget__isnull=True) | Q(monthly_budget__gte=0),
                name="account_budget_not_negative",
            ),
            models.UniqueConstraint(
                fields=["partner", "kind"],
                condition=Q(kind__in=["reseller_funds", "voucher_quota"]),
                name="one_funds_and_quota_account_per_reseller",
            ),
            models.CheckConstraint(
                condition=~Q(kind="customer") | Q(association__isnull=False),
                name="customer_account_has_association",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} · {self.partner}"


class LedgerEntry(models.Model):
    """One movement of money on one account. Append-only: never updated or deleted (on
    PostgreSQL a trigger refuses it too). The entries of an account sum to its balance."""

    class Type(models.TextChoices):
        FUND = "fund", _("Customer account funded")
        RECLAIM = "reclaim", _("Customer account reclaimed")
        UNBIND_RECLAIM = "unbind_reclaim", _("Reclaimed at unbinding")
        PURCHASE = "purchase", _("Purchase")
        RENEWAL = "renewal", _("Renewal")
        UPGRADE = "upgrade", _("Upgrade")
        REFUND = "refund", _("Refund")
        DISTRIBUTOR_FUND = "distributor_fund", _("Funded by the distributor")
        DISTRIBUTOR_RECLAIM = "distributor_reclaim", _("Reclaimed by the distributor")
        QUOTA_GRANT = "quota_grant", _("Voucher quota granted")
        QUOTA_REDUCE = "quota_reduce", _("Voucher quota reduced")
        VOUCHER_ISSUE = "voucher_issue", _("Voucher issued")
        VOUCHER_SPEND = "voucher_spend", _("Voucher spent")
        VOUCHER_REVOKE = "voucher_revoke", _("Voucher revoked")

    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="entries", verbose_name=_("account")
    )
    transfer = models.UUIDField(
        _("transfer"), help_text=_("Entries of one movement share it."), db_index=True
    )
    entry_type = models.CharField(_("type"), max_length=24, choices=Type.choices)
    amount = money_field(_("amount"), help_text=_("Positive in, negative out."))
    balance_after = money_field(_("balance after"))
    counter_account = optional_ref(Account, _("other account"))
    order = optional_ref("Order", _("order"), related_name="ledger_entries")
    actor = user_ref(_("who"), on_delete=models.PROTECT)
    actor_label = models.CharField(_("acting system"), max_length=100, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="ledger_balance_after_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-created_at"]),
            # An account's ledger page, the latest first (issue [9]).
            models.Index(fields=["account", "-created_at", "-id"], name="ledger_account_page"),
            models.Index(fields=["-created_at", "-id"], name="ledger_latest"),
            # One account's entries of some types, the latest first: what a distributor sees
            # of a reseller's ledger, a month's spending. (A reseller's figures are running
            # totals, `LedgerTotal`, no longer sums over this.)
            models.Index(
                fields=["account", "entry_type", "-created_at", "-id"],
                name="ledger_account_type_page",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_type_display()} {self.amount}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValidationError("Ledger entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Ledger entries are append-only.")

    SYSTEM_LABELS = {
        "system": _("System"),
        "auto_renew": _("Auto-renewal"),
        "vendor_site": _("Vendor's site"),
    }

    @property
    def who(self) -> str:
        if self.actor_id:
            return str(self.actor)
        label = self.actor_label or "system"
        return str(self.SYSTEM_LABELS.get(label, label))


class LedgerTotal(models.Model):
    """The running total of one account's ledger entries of one type: their sum and their
    number. Written only by `customers.ledger.move`, in the transaction that writes the
    entries and under the account's row lock, so it always equals the entries it stands for
    (`customers.ledger.totals_out_of_step` finds any that do not). Pages read a reseller's
    figures (received, passed on, returned) and a ledger's length here instead of summing or
    counting entries: their cost stays the same however long the ledger grows."""

    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        related_name="totals",
        verbose_name=_("account"),
        db_index=False,  # the unique (account, entry_type) index serves it
    )
    entry_type = models.CharField(_("type"), max_length=24, choices=LedgerEntry.Type.choices)
    # Wider than a balance: a sum of many movements, each up to a balance's maximum.
    amount = money_field(_("sum"), max_digits=18, default=ZERO)
    entries = models.PositiveBigIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("ledger total")
        verbose_name_plural = _("ledger totals")
        ordering = ["account_id", "entry_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "entry_type"], name="one_ledger_total_per_account_and_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.account_id} · {self.entry_type} · {self.amount} ({self.entries})"


class Voucher(models.Model):
    """A voucher a reseller issued to one of its customers from its voucher quota. What is
    left on it lives in its own `Account` (kind voucher)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    partner = partner_ref("issued_vouchers", verbose_name=_("issued by partner"))
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("customer")
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("customer association"),
    )
    account = models.OneToOneField(
        Account, on_delete=models.PROTECT, related_name="voucher", verbose_name=_("account")
    )
    face_value = money_field(_("face value"))
    valid_until = models.DateTimeField(_("valid until"))
    issued_by = user_ref(_("issued by"), blank=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(face_value__gt=0), name="voucher_face_value_positive"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def state(self, now: datetime | None = None) -> str:
        if self.revoked_at:
            return "revoked"
        if self.account.balance <= 0:
            return "used_up"
        if (now or timezone.now()) >= self.valid_until:
            return "expired"
        return "active"

    STATE_LABELS = {
        "active": _("Usable"),
        "used_up": _("Used up"),
        "expired": _("Expired"),
        "revoked": _("Revoked"),
    }

    @property
    def state_label(self) -> str:
        return str(self.STATE_LABELS[self.state()])

    @property
    def remaining(self) -> Decimal:
        return self.account.balance


# ---------------------------------------------------------------- what happened on the vendor's site


class Product(models.Model):
    """A cloud product (ECS, OBS, ...)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class KnowledgeArticle(models.Model):
    """A help article the portal recommends to a partner for customers using `product`."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="articles", verbose_name=_("product")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("link"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        ordering = ["product__code", "title"]

    def __str__(self) -> str:
        return self.title


def attributed_constraints(prefix: str) -> list[models.BaseConstraint]:
    """An attributed row's checks: no negative amount, the voucher pays at most all of it."""
    return [
        models.CheckConstraint(condition=Q(amount__gte=0), name=f"{prefix}_amount_not_negative"),
        models.CheckConstraint(
            condition=Q(voucher_amount__gte=0) & Q(voucher_amount__lte=F("amount")),
            name=f"{prefix}_voucher_within_amount",
        ),
    ]


def attributed_indexes(by_customer: models.Index) -> list[models.Index]:
    """An attributed row's indexes: by partner and by distributor per billing period, then
    the model's own index for a customer's rows (new objects each call: Django names them
    after their model)."""
    return [
        models.Index(fields=["partner", "billing_period"]),
        models.Index(fields=["distributor", "billing_period"]),
        by_customer,
    ]


class Attributed(models.Model):
    """Who an order or a consumption record counts for: the customer, the partner associated
    at that moment (with its distributor, for a tier-2 reseller) and which account it is
    booked to; with its billing period (`YYYY-MM`, Asia/Shanghai)."""

    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    partner = partner_ref(
        "+",
        null=True,
        blank=True,
        help_text=_("The partner associated with the customer at that moment."),
    )
    distributor = partner_ref(
        "+",
        verbose_name=_("distributor"),
        null=True,
        blank=True,
        help_text=_("For a tier-2 reseller's customer: the reseller's distributor."),
    )
    association = optional_ref(Association, _("customer association"))
    attributed_to = models.CharField(_("booked to"), max_length=24, choices=Attribution.choices)
    account = optional_ref(Account, _("hosted account"))
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    amount = money_field(_("amount"))
    voucher_amount = money_field(_("paid by voucher"), default=ZERO)
    billing_period = models.CharField(_("billing period"), max_length=7, db_index=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def reseller(self):
        """The tier-2 reseller the customer belonged to (None unless a distributor is set)."""
        return self.partner if self.distributor_id else None


class Order(Attributed):
    """An order the customer placed on the vendor's site (imported) or a renewal made in the
    portal. `amount` is what was charged, or for a refund type what was refunded."""

    class Type(models.TextChoices):
        NEW = "new", _("New purchase")
        RENEWAL = "renewal", _("Renewal")
        UPGRADE = "upgrade", _("Upgrade")
        DOWNGRADE = "downgrade", _("Downgrade")
        UNSUBSCRIBE = "unsubscribe", _("Unsubscribe")

    REFUND_TYPES = frozenset({Type.DOWNGRADE, Type.UNSUBSCRIBE})

    class Source(models.TextChoices):
        VENDOR_SITE = "vendor_site", _("Vendor's site (imported)")
        PORTAL = "portal", _("Renewed in the portal")
        AUTO_RENEW = "auto_renew", _("Auto-renewal")

    order_no = models.CharField(_("order number"), max_length=64, unique=True)
    order_type = models.CharField(_("order type"), max_length=16, choices=Type.choices)
    formed_at = models.DateTimeField(_("formed at"), db_index=True)
    voucher = optional_ref(Voucher, _("voucher"), related_name="orders")
    source = models.CharField(
        _("source"), max_length=16, choices=Source.choices, default=Source.VENDOR_SITE
    )
    created_by = user_ref(_("created by"))

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-formed_at", "-id"]
        constraints = attributed_constraints("order")
        indexes = attributed_indexes(models.Index(fields=["customer", "-formed_at"]))

    def __str__(self) -> str:
        return self.order_no

    @property
    def is_refund(self) -> bool:
        return self.order_type in self.REFUND_TYPES

    @property
    def signed_amount(self) -> Decimal:
        """Charged (positive) or refunded (negative)."""
        return -self.amount if self.is_refund else self.amount


class Resource(models.Model):
    """A yearly/monthly (prepaid) resource of a customer."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("In use")
        EXPIRED = "expired", _("Expired")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    class PeriodUnit(models.TextChoices):
        MONTH = "month", _("Monthly")
        YEAR = "year", _("Yearly")

    resource_id = models.CharField(_("resource ID"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="resources", verbose_name=_("customer")
    )
    partner = partner_ref(
        "customer_resources",
        null=True,
        blank=True,
        help_text=_("The partner the customer is associated with now."),
    )
    association = optional_ref(Association, _("customer association"), related_name="resources")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="resources", verbose_name=_("product")
    )
    region = models.CharField(_("region"), max_length=64, blank=True)
    period_unit = models.CharField(
        _("billing mode"), max_length=8, choices=PeriodUnit.choices, default=PeriodUnit.MONTH
    )
    renewal_price = money_field(_("price per period"))
    started_at = models.DateTimeField(_("started at"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    auto_renew = models.BooleanField(_("auto-renew"), default=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    original_order = optional_ref(Order, _("original order"), related_name="created_resources")
    last_auto_renew_error = models.CharField(
        _("last auto-renewal problem"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("yearly/monthly resource")
        verbose_name_plural = _("yearly/monthly resources")
        ordering = ["expires_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(renewal_price__gte=0), name="resource_price_not_negative"
            )
        ]
        indexes = [models.Index(fields=["partner", "status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.resource_id})"


class OrderLine(models.Model):
    """The part of an order that concerns one resource. For a refund (unsubscribe or
    downgrade) it says which original order the refunded money came from."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("resource")
    )
    amount = money_field(_("amount"))
    periods = models.PositiveIntegerField(_("periods"), default=0)
    original_order = optional_ref(Order, _("refunded from order"), related_name="refund_lines")

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="order_line_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.resource}"


class ConsumptionRecord(Attributed):
    """What a customer consumed (usage), as the vendor's site reports it. In the month of
    unbinding, records before the moment of unbinding are booked to the partner-hosted
    sub-account and records after it to the customer's own main account."""

    record_no = models.CharField(_("record number"), max_length=64, unique=True)
    consumed_at = models.DateTimeField(_("consumed at"), db_index=True)
    resource = optional_ref(Resource, _("resource"), related_name="consumption")
    order = optional_ref(Order, _("order"), related_name="consumption")

    class Meta:
        verbose_name = _("consumption record")
        verbose_name_plural = _("consumption records")
        ordering = ["-consumed_at", "-id"]
        constraints = attributed_constraints("consumption")
        indexes = attributed_indexes(models.Index(fields=["customer", "billing_period"]))

    def __str__(self) -> str:
        return self.record_no


class ImportRun(models.Model):
    """One import of orders and consumption from the vendor's site, with its outcome."""

    class Source(models.TextChoices):
        API = "api", _("API")
        COMMAND = "command", _("Management command")
        DEMO = "demo", _("Demo data")

    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    actor = user_ref(_("who"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    created = models.PositiveIntegerField(_("recorded"), default=0)
    skipped = models.PositiveIntegerField(_("already recorded"), default=0)
    failed = models.PositiveIntegerField(_("refused"), default=0)
    errors = models.JSONField(_("refused rows"), default=list, blank=True)

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} +{self.created} ={self.skipped} !{self.failed}"


# ---------------------------------------------------------------- large movements need a second admin


DEFAULT_OPERATION_LIMIT = Decimal("1000000.00")  # [our rule] ¥1,000,000 per operation


class MoneyLimit(models.Model):
    """The most one money operation of a partner may move without a second partner admin's
    approval [our rule]; set by the vendor's admin. No row: `DEFAULT_OPERATION_LIMIT`."""

    partner = partner_ref("money_limit", on_delete=models.CASCADE, one_to_one=True)
    per_operation = money_field(
        _("limit per operation"),
        help_text=_("Above this amount a second partner admin must approve the operation."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("money limit")
        verbose_name_plural = _("money limits")
        constraints = [
            models.CheckConstraint(
                condition=Q(per_operation__gte=0), name="money_limit_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.per_operation}"


class MoneyRequest(models.Model):
    """A money operation above the partner's limit, waiting for a second partner admin (not
    the one who asked). Approving it runs the same service that would have run at once."""

    class Operation(models.TextChoices):
        FUND = "fund", _("Fund a customer's account")
        RECLAIM = "reclaim", _("Reclaim from a customer's account")
        RESELLER_FUND = "reseller_fund", _("Allocate funds to a reseller")
        RESELLER_RECLAIM = "reseller_reclaim", _("Take funds back from a reseller")
        GRANT_QUOTA = "grant_quota", _("Grant voucher quota")
        REDUCE_QUOTA = "reduce_quota", _("Reduce voucher quota")
        VOUCHER_ISSUE = "voucher_issue", _("Issue a voucher")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")  # a second partner admin decides
        APPROVED = "approved", _("Approved and done")  # the money moved
        REFUSED = "refused", _("Refused")  # a second admin said no
        CANCELLED = "cancelled", _("Withdrawn")  # the requester withdrew it

    partner = partner_ref("money_requests")
    operation = models.CharField(_("operation"), max_length=24, choices=Operation.choices)
    amount = money_field(_("amount"))
    account = optional_ref(Account, _("customer account"))
    association = optional_ref(Association, _("customer association"))
    reseller = partner_ref("+", verbose_name=_("reseller"), null=True, blank=True)
    reason = models.CharField(_("why"), max_length=300, blank=True)
    valid_until = models.DateTimeField(_("voucher valid until"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_by = person_ref(_("requested by"), on_delete=models.PROTECT)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = user_ref(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    ledger_transfer = models.UUIDField(_("transfer"), null=True, blank=True)

    class Meta:
        verbose_name = _("money request")
        verbose_name_plural = _("money requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="money_request_amount_positive")
        ]
        indexes = [models.Index(fields=["partner", "state"])]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} · {self.amount}"

    @property
    def target_name(self) -> str:
        if self.reseller_id:
            return self.reseller.name
        association = self.association or (self.account.association if self.account else None)
        return association.customer.name if association else ""
