"""Certification: a partner's enterprise certification (ordered attachment slots), personal
bank-card certification (one face-scan photo) and capability labels (evidence, per-criterion
review, online defense). Files are recorded by their path relative to the storage root."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from partner_center.fields import optional_ref, partner_ref, person_ref, user_ref


def _in_english() -> bool:
    return (get_language() or "").startswith("en")


class Attachment(models.Model):
    """One uploaded file, checked and stored through Django's storage API.

    `path` is relative to the storage root: a sub-folder and a server-generated file name,
    never a bucket name or a `download/` prefix."""

    class Purpose(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise certification")
        BANK_CARD = "bank_card", _("Bank-card certification")
        LABEL_EVIDENCE = "label_evidence", _("Capability label evidence")

    partner = partner_ref("certification_attachments")
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    path = models.CharField(_("relative path"), max_length=255, unique=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_ref(_("uploaded by"), blank=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            # Relative paths only: no leading slash, no download/ prefix, no scheme.
            models.CheckConstraint(
                condition=~Q(path__startswith="/")
                & ~Q(path__startswith="download/")
                & ~Q(path__contains="://"),
                name="attachment_path_is_relative",
            )
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class Decision(models.TextChoices):
    """What a reviewer decided about a whole certification."""

    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class ReviewDecision(models.Model):
    """What a certification specialist decided about a whole certification (enterprise,
    bank card): who and when, the reasons of a rejection (codes of the model's
    `RejectReason`) and the comment to the partner."""

    decided_by = user_ref(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reject_reasons = models.JSONField(_("reasons for rejection"), default=list, blank=True)
    decision_comment = models.TextField(_("reviewer's comment"), blank=True)

    class Meta:
        abstract = True

    @property
    def reject_reason_labels(self) -> list[str]:
        labels = dict(self.RejectReason.choices)
        return [str(labels.get(code, code)) for code in self.reject_reasons]


class EnterpriseCertification(ReviewDecision):
    """A partner's enterprise certification: its certificates and its people's ID cards,
    uploaded into fixed, ordered slots (see `AttachmentSlot`)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")  # the partner fills the slots
        SUBMITTED = "submitted", _("Under review")  # waiting for a certification specialist
        APPROVED = "approved", _("Approved")  # certified
        REJECTED = "rejected", _("Rejected")  # the partner may revise and submit again

    class RejectReason(models.TextChoices):
        UNREADABLE = "unreadable", _("An attachment is unreadable or incomplete")
        WRONG_SLOT = "wrong_slot", _("An attachment is in the wrong slot")
        NAME_MISMATCH = "name_mismatch", _("The certificate does not match the partner")
        EXPIRED = "expired", _("A certificate or ID card has expired")
        PERSON_MISMATCH = "person_mismatch", _("An ID card does not match the person named")
        OTHER = "other", _("Other (see the comment)")

    OPEN_STATES = (State.DRAFT, State.SUBMITTED)

    partner = partner_ref("enterprise_certifications")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = user_ref(_("created by"), blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enterprise certification")
        verbose_name_plural = _("enterprise certifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(state__in=["draft", "submitted"]),
                name="one_open_enterprise_certification",
            )
        ]
        indexes = [models.Index(fields=["state", "-submitted_at"], name="enterprise_cert_queue")]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_state_display()}"


class CertificationPerson(models.Model):
    """A person whose ID card belongs to an enterprise certification: the legal person and
    staff members, in the order their ID cards follow the certificates."""

    class Role(models.TextChoices):
        LEGAL_PERSON = "legal_person", _("Legal person")
        STAFF = "staff", _("Staff member")

    certification = models.ForeignKey(
        EnterpriseCertification, on_delete=models.CASCADE, related_name="persons"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"))
    role = models.CharField(pgettext_lazy("person", "role"), max_length=16, choices=Role.choices)
    name = models.CharField(_("person's name"), max_length=100)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["certification", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "position"], name="person_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class AttachmentSlot(models.Model):
    """One place for one attachment in an enterprise certification. Slots are numbered in
    the required order: the business licence first, then other enterprise certificates,
    then for each person the ID card's portrait side and then its national-emblem side."""

    class Kind(models.TextChoices):
        BUSINESS_LICENCE = "business_licence", _("Business licence")
        OTHER_CERTIFICATE = "other_certificate", _("Enterprise certificate")
        ID_PORTRAIT = "id_portrait", _("ID card, portrait side")
        ID_EMBLEM = "id_emblem", _("ID card, national-emblem side")

    certification = models.ForeignKey(
        EnterpriseCertification, on_delete=models.CASCADE, related_name="slots"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"))
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    person = optional_ref(
        CertificationPerson, _("person"), on_delete=models.CASCADE, related_name="slots"
    )
    title = models.CharField(
        _("certificate name"),
        max_length=100,
        blank=True,
        help_text=_("For other enterprise certificates: what the certificate is."),
    )
    attachment = optional_ref(
        Attachment, _("attachment"), on_delete=models.SET_NULL, related_name="slot", one_to_one=True
    )

    class Meta:
        verbose_name = _("attachment slot")
        verbose_name_plural = _("attachment slots")
        ordering = ["certification", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["certification", "position"], name="slot_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["id_portrait", "id_emblem"], person__isnull=False)
                | (~Q(kind__in=["id_portrait", "id_emblem"]) & Q(person__isnull=True)),
                name="slot_person_only_for_id_cards",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.label}"

    @property
    def label(self) -> str:
        """What goes into this slot, in words: "ID card, portrait side — 张三"."""
        if self.kind == self.Kind.OTHER_CERTIFICATE and self.title:
            return self.title
        text = str(self.get_kind_display())
        if self.person_id:
            text = f"{text} — {self.person.name}"
        return text


class BankCardCertification(ReviewDecision):
    """A person's bank-card certification: card details and exactly one face-scan photo."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class RejectReason(models.TextChoices):
        PHOTO_UNCLEAR = "photo_unclear", _("The face-scan photo is unclear")
        FACE_MISMATCH = "face_mismatch", _("The face does not match the card holder")
        CARD_MISMATCH = "card_mismatch", _("The card details do not match the holder")
        OTHER = "other", _("Other (see the comment)")

    partner = partner_ref("bank_card_certifications")
    applicant = user_ref(_("applicant"), blank=False)
    holder_name = models.CharField(_("card holder"), max_length=100)
    bank_name = models.CharField(_("bank"), max_length=100)
    card_number_masked = models.CharField(
        _("card number"),
        max_length=32,
        help_text=_("Only the first four and last four digits are kept."),
    )
    face_photo = models.OneToOneField(
        Attachment,
        verbose_name=_("face-scan photo"),
        on_delete=models.PROTECT,
        related_name="bank_card_certification",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("bank-card certification")
        verbose_name_plural = _("bank-card certifications")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "holder_name"],
                condition=Q(state="submitted"),
                name="one_open_bank_card_certification_per_holder",
            )
        ]
        indexes = [models.Index(fields=["state", "-submitted_at"], name="bank_card_cert_queue")]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.card_number_masked}"


class PartnerManager(models.Model):
    """The partner development manager (PDM): vendor staff assigned to one partner, who
    may organise the partner's online defenses."""

    partner = partner_ref("pdm_assignment", on_delete=models.CASCADE, one_to_one=True)
    user = person_ref(
        _("PDM"),
        "pdm_assignments",
        on_delete=models.PROTECT,
        limit_choices_to={"role__in": ["bd", "cert_specialist", "admin"]},
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("partner development manager")
        verbose_name_plural = _("partner development managers")
        ordering = ["partner__name"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.user}"


class CapabilityLabel(models.Model):
    """A capability a partner can be certified for, with the criteria reviewers check."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_active = models.BooleanField(
        _("open for applications"),
        default=True,
        help_text=_("Closed labels take no new applications."),
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"), default=100)

    class Meta:
        verbose_name = _("capability label")
        verbose_name_plural = _("capability labels")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _in_english() and self.name_en else self.name_zh

    @property
    def description(self) -> str:
        return self.description_en if _in_english() and self.description_en else self.description_zh


class LabelCriterion(models.Model):
    """One criterion of a label; reviewers decide each one, with a comment."""

    label = models.ForeignKey(
        CapabilityLabel, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("label")
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"))
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    evidence_hint_zh = models.TextField(_("evidence expected (Chinese)"), blank=True)
    evidence_hint_en = models.TextField(_("evidence expected (English)"), blank=True)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["label", "position"]
        constraints = [
            models.UniqueConstraint(fields=["label", "position"], name="criterion_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def title(self) -> str:
        return self.title_en if _in_english() and self.title_en else self.title_zh

    @property
    def evidence_hint(self) -> str:
        if _in_english() and self.evidence_hint_en:
            return self.evidence_hint_en
        return self.evidence_hint_zh


class LabelApplication(models.Model):
    """A partner's application for one capability label."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")  # the partner adds evidence
        SUBMITTED = "submitted", _("Under review")  # reviewers decide each criterion
        REVIEW_FAILED = "review_failed", _("Not passed, defense possible")  # partner may dispute
        DEFENSE_REQUESTED = "defense_requested", _("Defense requested")  # waiting for a date
        DEFENSE_SCHEDULED = "defense_scheduled", _("Defense scheduled")  # date, link, experts set
        GRANTED = "granted", _("Granted")  # the partner holds the label
        REFUSED = "refused", _("Refused")  # final; the partner may apply again
        WITHDRAWN = "withdrawn", _("Withdrawn")  # the partner withdrew before a decision

    OPEN_STATES = (
        State.DRAFT,
        State.SUBMITTED,
        State.REVIEW_FAILED,
        State.DEFENSE_REQUESTED,
        State.DEFENSE_SCHEDULED,
    )

    partner = partner_ref("label_applications")
    label = models.ForeignKey(
        CapabilityLabel,
        verbose_name=_("label"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    state = models.CharField(_("state"), max_length=24, choices=State.choices, default=State.DRAFT)
    statement = models.TextField(_("summary of the partner's capability"), blank=True)
    created_by = user_ref(_("created by"), blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = user_ref(_("reviewed by"))
    reviewed_at = models.DateTimeField(_("review concluded at"), null=True, blank=True)
    review_summary = models.TextField(_("review summary"), blank=True)
    defense_deadline = models.DateTimeField(
        _("defense may be requested until"), null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("label application")
        verbose_name_plural = _("label applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "label"],
                condition=Q(
                    state__in=[
                        "draft",
                        "submitted",
                        "review_failed",
                        "defense_requested",
                        "defense_scheduled",
                        "granted",
                    ]
                ),
                name="one_live_application_per_label",
            )
        ]
        indexes = [
            models.Index(fields=["state", "-submitted_at"], name="label_app_queue"),
            models.Index(
                fields=["defense_deadline"],
                condition=Q(state="review_failed"),
                name="label_app_defense_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.label}"


class LabelEvidence(models.Model):
    """An evidence file for one criterion of a label application."""

    application = models.ForeignKey(
        LabelApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    criterion = models.ForeignKey(
        LabelCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    attachment = models.OneToOneField(
        Attachment, on_delete=models.PROTECT, related_name="label_evidence"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["application", "criterion__position", "id"]

    def __str__(self) -> str:
        return str(self.attachment)


class CriterionReview(models.Model):
    """A reviewer's verdict on one criterion of one application (revised after a defense)."""

    class Verdict(models.TextChoices):
        MET = "met", _("Met")
        NOT_MET = "not_met", _("Not met")

    application = models.ForeignKey(
        LabelApplication, on_delete=models.CASCADE, related_name="criterion_reviews"
    )
    criterion = models.ForeignKey(
        LabelCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = user_ref(_("reviewer"), blank=False)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    revised_in_defense = models.BooleanField(_("revised after the defense"), default=False)

    class Meta:
        verbose_name = _("criterion review")
        verbose_name_plural = _("criterion reviews")
        ordering = ["application", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"], name="one_review_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(verdict="met") | ~Q(comment=""), name="not_met_needs_comment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_verdict_display()}"


class Defense(models.Model):
    """An online defense (clarification) of a label application that did not pass: the
    partner asks through its PDM or a certification specialist, who schedules it with
    review experts; the outcome decides the label. One per application."""

    class Channel(models.TextChoices):
        # Neutral wording: staff read it too; the partner's form says "Through our PDM".
        PDM = "pdm", _("Through the partner's PDM")
        SPECIALIST = "specialist", _("Through a certification specialist")

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("Label granted")
        REFUSED = "refused", _("Label refused")

    application = models.OneToOneField(
        LabelApplication, on_delete=models.CASCADE, related_name="defense"
    )
    channel = models.CharField(_("requested through"), max_length=16, choices=Channel.choices)
    organizer = user_ref(
        _("organiser"), help_text=_("The PDM asked, or the specialist who schedules.")
    )
    disputed_criteria = models.ManyToManyField(
        LabelCriterion, verbose_name=_("disputed criteria"), related_name="+"
    )
    statement = models.TextField(_("what the partner disputes"))
    requested_by = user_ref(_("requested by"), blank=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    scheduled_at = models.DateTimeField(_("defense time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=60)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    experts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("review experts"),
        blank=True,
        related_name="defenses_as_expert",
    )
    external_experts = models.CharField(
        _("other experts"),
        max_length=300,
        blank=True,
        help_text=_("Experts without a portal account: names and organisations."),
    )
    scheduled_by = user_ref(_("scheduled by"))
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    outcome_notes = models.TextField(_("outcome notes"), blank=True)
    outcome_by = user_ref(_("outcome recorded by"))
    outcome_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("online defense")
        verbose_name_plural = _("online defenses")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_channel_display()}"
