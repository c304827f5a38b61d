"""Comments, next steps and attachments of an opportunity (PO or HO alike)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partner_center.fields import user_ref

COMMENT_MAX_CHARS = 4000
NEXT_STEP_MAX_CHARS = 300


class DealComment(models.Model):
    """One message in the thread between the partner and BD on an opportunity. Everyone who
    can see the deal reads every comment (there are no BD-only notes)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = user_ref(_("author"), blank=False)
    # Written by the vendor's side (BD); kept on the row so that the thread shows the side
    # even after the author's account changed.
    by_vendor = models.BooleanField(_("written by the vendor"), default=False)
    body = models.TextField(pgettext_lazy("deal thread", "comment"), max_length=COMMENT_MAX_CHARS)
    # The ids of the users the comment mentioned (each was notified).
    mentioned = models.JSONField(_("mentioned users"), default=list, blank=True)
    created_at = models.DateTimeField(_("posted at"), default=timezone.now)

    class Meta:
        verbose_name = _("deal comment")
        verbose_name_plural = _("deal comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["opportunity", "created_at", "id"], name="deal_comment_thread")
        ]

    def __str__(self) -> str:
        return f"#{self.opportunity_id} · {self.body[:40]}"


class NextStep(models.Model):
    """Something to do on a deal by a date, optionally by a named person; done or not."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="next_steps",
    )
    text = models.CharField(_("next step"), max_length=NEXT_STEP_MAX_CHARS)
    due_on = models.DateField(_("due on"))
    assignee = user_ref(_("assignee"))
    created_by = user_ref(blank=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = user_ref()

    class Meta:
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["opportunity", "due_on", "id"], name="next_step_deal")]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_at__isnull=True, done_by__isnull=True) | Q(done_at__isnull=False),
                name="next_step_done_has_time",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.opportunity_id} · {self.due_on} · {self.text[:40]}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Not done and its due date is before today (Asia/Shanghai)."""
        return self.done_at is None and self.due_on < timezone.localdate()


class DealAttachment(models.Model):
    """A file on a deal (proposal, customer letter, other), checked and stored by the shared
    upload module under a generated name; `path` is relative to the storage root."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Proposal")
        CUSTOMER_LETTER = "customer_letter", _("Customer letter")
        OTHER = "other", _("Other file")

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        verbose_name=_("opportunity"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    kind = models.CharField(_("kind of file"), max_length=16, choices=Kind.choices)
    path = models.CharField(_("relative path"), max_length=255, unique=True)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = user_ref(_("uploaded by"), blank=False)
    by_vendor = models.BooleanField(_("uploaded by the vendor"), default=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("deal attachment")
        verbose_name_plural = _("deal attachments")
        ordering = ["-uploaded_at", "-id"]
        indexes = [
            models.Index(fields=["opportunity", "-uploaded_at", "-id"], name="deal_attachment_deal")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(path__startswith="/")
                & ~Q(path__startswith="download/")
                & ~Q(path__contains="://"),
                name="deal_attachment_path_is_relative",
            )
        ]

    def __str__(self) -> str:
        return self.original_name
