"""Opportunities: POs a partner shares with the vendor, HOs the vendor shares with a partner.

An HO starts as a `VendorLead` in BD's pool (a lead from the vendor's CRM). Sharing it with a
partner creates an `Opportunity` of kind HO: the partner's copy, which the partner accepts or
declines. A lead is back in the pool when it has no pending or accepted share; the database
allows at most one such share per lead. Lifecycles and field locks: `transitions.py`."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.uscc import validate_uscc
from partner_center.choices import choice_display
from partner_center.fields import optional_ref, partner_ref, user_ref

from .catalog import (
    ConsentMethod,
    Industry,
    LeadCloseReason,
    LostReason,
    Product,
    Region,
    RejectionReason,
    Rule,
    Stage,
)


def validate_products(value) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one product."), code="required")
    unknown = [v for v in value if v not in Product.values]
    if unknown:
        raise ValidationError(
            _("Unknown products: %(codes)s"), code="unknown", params={"codes": ", ".join(unknown)}
        )


class CustomerFields(models.Model):
    """What POs and leads both say about the customer and the project."""

    customer_name = models.CharField(_("customer name"), max_length=200)
    # The name normalized for duplicate checks (see duplicates.normalize_customer_name).
    customer_key = models.CharField(_("normalized customer name"), max_length=200, db_index=True)
    customer_credit_code = models.CharField(
        _("customer's unified social credit code"),
        max_length=18,
        blank=True,
        db_index=True,
        validators=[validate_uscc],
    )
    customer_industry = models.CharField(
        _("industry"), max_length=32, choices=Industry.choices, blank=True
    )
    customer_region = models.CharField(
        _("region"), max_length=32, choices=Region.choices, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    project_name = models.CharField(_("project name"), max_length=200)
    products = models.JSONField(
        _("products of interest"), default=list, validators=[validate_products]
    )
    amount = models.DecimalField(
        _("estimated amount (CNY)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    expected_close_date = models.DateField(_("expected close date"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    @property
    def product_labels(self) -> list[str]:
        labels = dict(Product.choices)
        return [str(labels.get(code, code)) for code in self.products or []]


class VendorLead(CustomerFields):
    """An HO as BD holds it: a lead from the vendor's CRM, in the pool until a partner
    accepts a share of it. Its CRM creation time decides duplicates against POs."""

    class State(models.TextChoices):
        POOLED = "pooled", _("In the pool")  # BD may correct and share it
        CLOSED = "closed", _("Closed")  # lost to an earlier PO, or retired by BD

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.POOLED)
    crm_id = models.CharField(_("CRM reference"), max_length=64, unique=True)
    crm_created_at = models.DateTimeField(_("created in the CRM at"))
    created_by = user_ref(blank=False)
    created_at = models.DateTimeField(_("added to the pool at"), default=timezone.now)
    # The vendor-side owner (issue [5]): the BD user who looks after this lead.
    bd_owner = user_ref(_("BD owner"))
    # Closed: BD decided the lead loses to an earlier PO; it can no longer be shared.
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = user_ref()
    close_detail = models.JSONField(_("why it was closed"), default=dict, blank=True)
    # Retired by BD (R4.2): one of LeadCloseReason, with BD's comment.
    close_reason = models.CharField(
        _("close reason"), max_length=24, choices=LeadCloseReason.choices, blank=True
    )
    close_note = models.TextField(_("close comment"), blank=True)

    class Meta:
        verbose_name = _("HO lead (pool)")
        verbose_name_plural = _("HO leads (pool)")
        ordering = ["-crm_created_at", "-id"]
        indexes = [
            # The HO pool's default order and its sorts (issue [9]).
            models.Index(fields=["-crm_created_at", "-id"], name="lead_pool_order"),
            models.Index(fields=["customer_name"], name="lead_customer"),
            models.Index(fields=["amount"], name="lead_amount"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="lead_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.crm_id} · {self.customer_name}"


# The HO inbox's order: pending HOs first, nearest deadline first; then the handled ones,
# newest first. The inbox page orders by it and an index has exactly these expressions.
HO_INBOX_ORDER = (
    Case(When(state="pending", then=Value(0)), default=Value(1)),
    # Handled HOs have no value here (NULL); the first key has already put them last, so no
    # NULLS LAST is needed (SQLite, the demo's database, can't index one).
    Case(When(state="pending", then=F("deadline"))),
    F("shared_at").desc(),
    F("id").desc(),
)


class Opportunity(CustomerFields):
    """A PO (the partner shares its lead) or an HO share (the vendor shares one of its leads
    with this partner). The partner-facing record of both kinds, one timeline each."""

    class Kind(models.TextChoices):
        PO = "po", _("PO (shared with the vendor)")
        HO = "ho", _("HO (shared by the vendor)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")  # PO: the partner is still writing it
        SUBMITTED = "submitted", _("Submitted, review pending")  # PO: waits for BD's review
        UNDER_VERIFICATION = "under_verification", _("Under verification")  # PO: review passed
        RETURNED = "returned", _("Returned for changes")  # PO: the partner must act
        VERIFIED = "verified", _("Verification passed")  # PO: progress updates take effect
        REJECTED = "rejected", _("Rejected")  # PO: final; the rule is on the row
        PENDING = "pending", _("Pending acceptance")  # HO: waits for the partner
        ACCEPTED = "accepted", _("Accepted")  # HO: progress updates take effect
        DECLINED = "declined", _("Declined")  # HO: by the partner (or closed); back in the pool
        EXPIRED = "expired", _("Declined automatically")  # HO: deadline passed; back in the pool

    kind = models.CharField(_("kind"), max_length=2, choices=Kind.choices)
    partner = partner_ref("opportunities")
    state = models.CharField(_("state"), max_length=24, choices=State.choices)
    get_state_display = choice_display("state")  # once per list row
    lead = optional_ref(VendorLead, _("HO lead"), related_name="shares")
    external_ref = models.CharField(
        _("external reference"),
        max_length=64,
        blank=True,
        help_text=_("Your own system's reference; unique within your partner account."),
    )
    created_by = user_ref(blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, db_index=True)
    # Owners (issue [5]): one of the partner's users (default: the creator of a PO, the user
    # who accepts an HO) and the vendor's BD user who looks after the deal.
    owner = user_ref(_("owner"), related_name="owned_opportunities")
    bd_owner = user_ref(_("BD owner"), related_name="bd_owned_opportunities")

    # SLA: stored when the clock starts (PO submission, HO sharing), never moved.
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    remind_at = models.DateTimeField(_("reminder due at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    # PO review (审核) and verification (验证)
    reviewed_at = models.DateTimeField(_("review passed at"), null=True, blank=True)
    reviewed_by = user_ref()
    verified_at = models.DateTimeField(_("verification passed at"), null=True, blank=True)
    verified_by = user_ref()
    account_manager = models.CharField(_("account manager"), max_length=100, blank=True)
    account_manager_confirmed_on = models.DateField(
        _("account manager confirmed with the customer on"), null=True, blank=True
    )

    # PO returned for changes: the fields BD unlocked, and why
    unlocked_fields = models.JSONField(_("fields unlocked for changes"), default=list, blank=True)
    return_comment = models.TextField(_("what to change"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    # Rejection (PO) or decline (HO): which rule decided, and its evidence
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_ref()
    decision_rule = models.CharField(_("rule"), max_length=24, choices=Rule.choices, blank=True)
    decision_reason = models.CharField(
        _("reason"), max_length=24, choices=RejectionReason.choices, blank=True
    )
    decision_note = models.TextField(_("comment"), blank=True)
    # For duplicates: which kind of item won and the deciding timestamps; never a partner.
    decision_detail = models.JSONField(_("decision details"), default=dict, blank=True)

    # PO: evidence of the customer's consent to share its personal information
    consent_confirmed_by = user_ref()
    consent_confirmed_at = models.DateTimeField(_("consent confirmed at"), null=True, blank=True)
    consent_method = models.CharField(
        _("how the customer consented"), max_length=24, choices=ConsentMethod.choices, blank=True
    )
    consent_note = models.TextField(_("consent details"), blank=True)
    consent_file = models.FileField(
        _("consent evidence file"), upload_to="opportunities/consent/%Y/%m/", blank=True
    )
    # The file is stored under a generated name; the uploader's name is kept for display only,
    # and the checked content type is what the download is served as.
    consent_file_name = models.CharField(
        _("consent evidence file name"), max_length=255, blank=True
    )
    consent_file_type = models.CharField(
        _("consent evidence content type"), max_length=64, blank=True
    )

    # HO share
    shared_at = models.DateTimeField(_("shared at"), null=True, blank=True)
    shared_by = user_ref()
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    # Progress (after verification or acceptance); the incentives module reads these.
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, blank=True)
    delivery_completed_on = models.DateField(_("delivery completed on"), null=True, blank=True)
    core_label = models.BooleanField(
        _("core label"), default=False, help_text=_("Set by BD; needed for the PCE incentive.")
    )
    last_progress_at = models.DateTimeField(_("last progress update"), null=True, blank=True)

    # Deal protection (R4.1, protection.py): live from verification/acceptance until the
    # partner closes the deal or `protected_until` passes.
    class Protection(models.TextChoices):
        NONE = "", _("Not protected")
        LIVE = "live", _("Protected")
        WON = "won", _("Closed: won")
        LOST = "lost", _("Closed: lost")
        EXPIRED = "expired", _("Protection expired")

    protection = models.CharField(
        _("deal protection"), max_length=8, choices=Protection.choices, blank=True, default=""
    )
    protected_until = models.DateTimeField(_("protected until"), null=True, blank=True)
    protection_remind_at = models.DateTimeField(
        _("protection reminder due at"), null=True, blank=True
    )
    protection_reminded_at = models.DateTimeField(
        _("protection reminder sent at"), null=True, blank=True
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    lost_reason = models.CharField(
        _("lost reason"), max_length=16, choices=LostReason.choices, blank=True
    )
    # Collaboration (issue [5]): the partner's words on why the deal was lost (required
    # with the reason "other").
    lost_note = models.TextField(_("lost comment"), blank=True)
    extension_requested_at = models.DateTimeField(
        _("extension requested at"), null=True, blank=True
    )
    extension_request_note = models.TextField(_("why more time is needed"), blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-id"]
        indexes = [
            # Serves the SLA sweep: only rows whose clock runs are in it.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=["submitted", "under_verification", "returned", "pending"]),
                name="opportunity_sla_open",
            ),
            models.Index(
                fields=["remind_at"],
                condition=Q(
                    state__in=["submitted", "under_verification", "returned", "pending"],
                    reminded_at__isnull=True,
                ),
                name="opportunity_reminder_due",
            ),
            models.Index(fields=["partner", "kind", "state"], name="opportunity_partner_state"),
            # List pages (issue [9]): each default order and each offered sort, for one
            # partner's list and for vendor staff's list of all partners; every sort ends
            # with the id (SortFilter), so rows that tie keep their order across pages.
            models.Index(
                fields=["partner", "-created_at", "-id"], name="opportunity_partner_created"
            ),
            models.Index(fields=["-created_at", "-id"], name="opportunity_created"),
            models.Index(fields=["partner", "amount", "id"], name="opportunity_partner_amount"),
            models.Index(fields=["partner", "deadline", "id"], name="opportunity_partner_deadline"),
            # The partner's default view ("Action needed": drafts, returned POs, HOs to
            # accept, by deadline): its deep pages walk this index alone.
            models.Index(
                fields=["partner", "deadline", "id"],
                condition=Q(state__in=["draft", "returned", "pending"]),
                name="opportunity_partner_action",
            ),
            models.Index(
                fields=["partner", "customer_name", "id"], name="opportunity_partner_customer"
            ),
            models.Index(
                fields=["partner", "expected_close_date", "id"], name="opportunity_partner_close"
            ),
            models.Index(fields=["amount", "id"], name="opportunity_amount"),
            models.Index(fields=["deadline", "id"], name="opportunity_deadline"),
            models.Index(fields=["customer_name", "id"], name="opportunity_customer"),
            models.Index(fields=["expected_close_date", "id"], name="opportunity_close"),
            # The HO inbox: one partner's HO shares, the nearest deadline first.
            # The HO inbox: pending HOs first, nearest deadline first; then the handled
            # ones, newest first (HO_INBOX_ORDER, also the page's order).
            models.Index(
                "partner",
                *HO_INBOX_ORDER,
                condition=Q(kind="ho"),
                name="opportunity_ho_inbox_pending",
            ),
            # Incentives: a partner's counted opportunities, the latest delivery first, and
            # those verified or accepted in one month (the estimates page).
            models.Index(
                fields=["partner", "-delivery_completed_on", "-id"],
                condition=Q(state__in=["verified", "accepted"]),
                name="opportunity_counted_delivery",
            ),
            models.Index(
                fields=["partner", "verified_at"],
                condition=Q(state="verified"),
                name="opportunity_verified_month",
            ),
            models.Index(
                fields=["partner", "accepted_at"],
                condition=Q(state="accepted"),
                name="opportunity_accepted_month",
            ),
            # BD's review queue: open POs by deadline, and sorted by amount.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(kind="po", state__in=["submitted", "under_verification", "returned"]),
                name="opportunity_review_queue",
            ),
            models.Index(
                fields=["amount", "id"],
                condition=Q(kind="po", state__in=["submitted", "under_verification", "returned"]),
                name="opportunity_review_amount",
            ),
            # ... and one of those states by deadline (BD's to-do: POs to review, to verify;
            # the queue filtered by state).
            models.Index(
                fields=["state", "deadline", "id"],
                condition=Q(kind="po", state__in=["submitted", "under_verification", "returned"]),
                name="opportunity_review_state",
            ),
            models.Index(
                fields=["protected_until"],
                condition=Q(protection="live"),
                name="opportunity_protection_live",
            ),
            # BD's to-do and landing card: protection extensions to decide, the soonest end
            # first (a few rows among millions).
            models.Index(
                fields=["protected_until", "id"],
                condition=Q(extension_requested_at__isnull=False),
                name="opportunity_extension_asked",
            ),
            # BD's default view of the list ("Action needed": POs to review or verify, by
            # deadline): the HOs waiting for partners come first by deadline otherwise.
            models.Index(
                fields=["deadline", "id"],
                condition=Q(state__in=["submitted", "under_verification"]),
                name="opportunity_bd_action",
            ),
            # BD's to-do: duplicate pairs by their PO's deadline, the protected POs' walk
            # (the waiting POs' walk uses opportunity_review_queue).
            models.Index(
                fields=["deadline", "id"],
                condition=Q(kind="po", protection="live", state__in=["verified", "accepted"]),
                name="opportunity_protected_deadline",
            ),
            # "Mine" filters of the lists (issue [5]): owner / BD owner, then state.
            models.Index(fields=["owner", "state"], name="opportunity_owner_state"),
            # ... newest first (a partner user's "Mine"), BD's own POs in the review queue
            # by deadline, and a partner's lost deals by reason (the lost-reason filter).
            models.Index(fields=["owner", "-created_at", "-id"], name="opportunity_owner_created"),
            models.Index(
                fields=["bd_owner", "deadline", "id"],
                condition=Q(kind="po", state__in=["submitted", "under_verification", "returned"]),
                name="opportunity_review_mine",
            ),
            models.Index(
                fields=["partner", "lost_reason", "-created_at", "-id"],
                condition=~Q(lost_reason=""),
                name="opportunity_partner_lost",
            ),
            models.Index(fields=["bd_owner", "state"], name="opportunity_bd_owner_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "external_ref"],
                condition=~Q(external_ref=""),
                name="opportunity_external_ref_per_partner",
            ),
            models.UniqueConstraint(
                fields=["lead"],
                condition=Q(state__in=["pending", "accepted"]),
                name="one_live_share_per_lead",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="po",
                        lead__isnull=True,
                        state__in=[
                            "draft",
                            "submitted",
                            "under_verification",
                            "returned",
                            "verified",
                            "rejected",
                        ],
                    )
                    | Q(
                        kind="ho",
                        lead__isnull=False,
                        state__in=["pending", "accepted", "declined", "expired"],
                    )
                ),
                name="opportunity_state_fits_kind",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["submitted", "under_verification", "returned", "pending"])
                | Q(deadline__isnull=False),
                name="opportunity_open_clock_has_deadline",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["rejected", "declined", "expired"]) | ~Q(decision_rule=""),
                name="opportunity_decision_names_rule",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) | Q(amount__isnull=True),
                name="opportunity_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} · {self.customer_name}"

    @property
    def is_po(self) -> bool:
        return self.kind == self.Kind.PO

    @property
    def is_ho(self) -> bool:
        return self.kind == self.Kind.HO

    @property
    def clock_running(self) -> bool:
        from .transitions import SLA_OPEN_STATES

        return self.state in SLA_OPEN_STATES

    @property
    def state_css(self) -> str:
        return STATE_CSS.get(self.state, "secondary")

    @property
    def counts_for_assessment(self) -> bool:
        """Verified POs and accepted HOs count for the PO/HO assessment."""
        return self.state in (self.State.VERIFIED, self.State.ACCEPTED)


STATE_CSS = {
    "draft": "secondary",
    "submitted": "info",
    "under_verification": "primary",
    "returned": "warning",
    "verified": "success",
    "rejected": "danger",
    "pending": "info",
    "accepted": "success",
    "declined": "secondary",
    "expired": "secondary",
}


class DuplicatePair(models.Model):
    """Two items that look like the same customer and project: a PO and another PO, or a
    PO and an HO lead. BD is the first owner of duplicates: it applies the rule's verdict
    or says they are not duplicates; some pairs are settled by the rule automatically."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for BD")
        RESOLVED = "resolved", _("Settled by the rule")
        DISMISSED = "dismissed", _("Not duplicates")

    class Match(models.TextChoices):
        CREDIT_CODE = "credit_code", _("Same credit code")
        NAME = "name", _("Same customer name")

    po = models.ForeignKey(
        Opportunity, verbose_name=_("PO"), on_delete=models.CASCADE, related_name="+"
    )
    other_po = optional_ref(Opportunity, _("other PO"), on_delete=models.CASCADE)
    lead = optional_ref(VendorLead, _("HO lead"), on_delete=models.CASCADE)
    matched_on = models.CharField(_("matched on"), max_length=16, choices=Match.choices)
    products = models.JSONField(_("shared products"), default=list)
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    decided_by = user_ref()
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("duplicate candidate")
        verbose_name_plural = _("duplicate candidates")
        ordering = ["-detected_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-detected_at"], name="duplicate_status"),
            # The duplicate queue: open pairs, the latest first (issue [9]).
            models.Index(
                fields=["-detected_at", "-id"], condition=Q(status="open"), name="duplicate_open"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(other_po__isnull=True, lead__isnull=False)
                | Q(other_po__isnull=False, lead__isnull=True),
                name="duplicate_pairs_two_items",
            ),
            models.CheckConstraint(
                condition=Q(other_po__isnull=True) | Q(po__lt=models.F("other_po")),
                name="duplicate_po_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["po", "other_po"],
                condition=Q(other_po__isnull=False),
                name="one_pair_per_two_pos",
            ),
            models.UniqueConstraint(
                fields=["po", "lead"], condition=Q(lead__isnull=False), name="one_pair_per_po_lead"
            ),
        ]

    def __str__(self) -> str:
        other = f"PO #{self.other_po_id}" if self.other_po_id else f"HO lead {self.lead_id}"
        return f"PO #{self.po_id} ~ {other}"

    @property
    def product_labels(self) -> list[str]:
        labels = dict(Product.choices)
        return [str(labels.get(code, code)) for code in self.products or []]


class CustomerKeyLock(models.Model):
    """One row per customer key ("code:…" or "name:…"). Verification and submission lock the
    rows of their keys (sorted) so that two duplicates are never verified at once."""

    key = models.CharField(max_length=220, primary_key=True)

    class Meta:
        verbose_name = _("customer lock")
        verbose_name_plural = _("customer locks")

    def __str__(self) -> str:
        return self.key


class POImport(models.Model):
    """A bulk import of POs from a CSV or XLSX file: rows that pass become POs, the others
    go into a file of failed rows with the reason for each."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Could not be read")

    partner = models.ForeignKey(
        "accounts.Partner", on_delete=models.CASCADE, related_name="po_imports"
    )
    created_by = user_ref(blank=False)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file = models.FileField(_("file"), upload_to="opportunities/imports/%Y/%m/")
    file_name = models.CharField(_("file name"), max_length=200)
    submit_rows = models.BooleanField(_("submit the imported POs"), default=False)
    consent_method = models.CharField(
        _("how the customers consented"), max_length=24, choices=ConsentMethod.choices, blank=True
    )
    consent_note = models.TextField(_("consent details"), blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    succeeded = models.PositiveIntegerField(_("imported"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    failed_file = models.FileField(
        _("failed rows"), upload_to="opportunities/imports/failed/%Y/%m/", blank=True
    )
    created_ids = models.JSONField(_("created POs"), default=list, blank=True)
    # The uploader's language: the reasons in the file of failed rows are written in it.
    language = models.CharField(_("language"), max_length=16, default="zh-hans")
    error = models.TextField(_("error"), blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the worker importing it (partner_center/jobs.py): renewed every few rows;
    # when it runs out the reaper queues the import again (it continues after the last
    # recorded row) or fails it after a few attempts.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("PO import")
        verbose_name_plural = _("PO imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def failed_file_download_name(self) -> str:
        """The uploader's file name with "-failed" (the stored file has a generated name)."""
        extension = self.failed_file.name.rsplit(".", 1)[-1] if self.failed_file else "csv"
        stem = self.file_name.rsplit(".", 1)[0] if "." in self.file_name else self.file_name
        return f"{stem or 'import'}-failed.{extension}"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in (self.State.DONE, self.State.FAILED) else 0
        return int(self.processed_rows * 100 / self.total_rows)


class ImportRow(models.Model):
    """The outcome of one row of an import, written in the same transaction as the PO it
    created: a re-run import skips the rows recorded here, so no row makes two POs."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Imported")
        FAILED = "failed", _("Failed")

    po_import = models.ForeignKey(POImport, on_delete=models.CASCADE, related_name="rows")
    row_number = models.PositiveIntegerField(_("row"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    opportunity = optional_ref("opportunities.Opportunity", on_delete=models.SET_NULL)
    cells = models.JSONField(_("cells"), default=list, blank=True)  # failed rows only
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        ordering = ["po_import", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["po_import", "row_number"], name="import_row_once")
        ]

    def __str__(self) -> str:
        return f"{self.po_import_id}:{self.row_number} {self.outcome}"


# ---- Working on a deal together (issue [5]): comments, next steps, attachments -------------
from .collab.models import DealAttachment, DealComment, NextStep  # noqa: E402, F401

# Pipeline tools (issue [5]): stage probabilities and HO profiles.
from .pipeline_models import HOProfile, StageProbability  # noqa: E402, F401

# ---- Saved views of the lists (issue [5]) -------------------------------------------------


class SavedView(models.Model):
    """A user's named filters and sort of one list page; only its user sees it."""

    class ListKey(models.TextChoices):
        OPPORTUNITIES = "opportunities", _("Opportunities")
        HO_INBOX = "ho_inbox", _("HO inbox")
        REVIEW_QUEUE = "review_queue", _("PO review queue")
        HO_POOL = "ho_pool", _("HO pool")
        DUPLICATES = "duplicates", _("Duplicate queue")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    list_key = models.CharField(_("list"), max_length=24, choices=ListKey.choices)
    name = models.CharField(_("name"), max_length=60)
    # The list's query string (filters and sort only), e.g. "state=returned&sort=deadline".
    query = models.CharField(_("filters and sort"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["list_key", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "list_key", "name"], name="saved_view_name_per_user_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_list_key_display()} · {self.name}"
