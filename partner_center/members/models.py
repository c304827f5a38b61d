from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.fields import partner_ref, person_ref, user_ref

# How long an invitation link works, and how many invitations a partner may send a day.
INVITATION_VALIDITY_DAYS = 7
INVITATIONS_PER_DAY = 100
# A person linked to this many partners within the window can't be invited again.
LINK_LIMIT_PARTNERS = 3
LINK_LIMIT_WINDOW_DAYS = 365


class MembershipQuerySet(models.QuerySet):
    def with_status(self, now=None):
        """Annotate `status`: the stored state, except an invitation whose link ran out
        reads "expired" even before the hourly sweep has stored it."""
        now = now or timezone.now()
        return self.annotate(
            status=Case(
                When(
                    state=Membership.State.INVITED,
                    expires_at__lte=now,
                    then=Value(Membership.State.EXPIRED.value),
                ),
                default=F("state"),
                output_field=models.CharField(),
            )
        )

    def overlapping(self, since):
        """Links that were open at some moment after `since` (the link history)."""
        return self.filter(linked_at__isnull=False).filter(
            Q(unlinked_at__isnull=True) | Q(unlinked_at__gte=since)
        )


class Membership(models.Model):
    """One person's link to one partner, from the invitation to the unlinking. The rows
    with `linked_at` set are the link history the 365-day rule is computed from."""

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")  # link sent, the person has not accepted yet
        EXPIRED = "expired", _("Expired")  # the link ran out before it was used
        WITHDRAWN = "withdrawn", _("Withdrawn")  # the partner admin took the invitation back
        LINKED = "linked", _("Linked")  # the person works for the partner
        UNLINKED = "unlinked", _("Unlinked")  # the link ended

    partner = partner_ref("memberships")
    user = person_ref(_("person"), "memberships", on_delete=models.PROTECT)
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    invited_by = user_ref(_("invited by"))
    invited_at = models.DateTimeField(_("invited at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    token = models.CharField(_("link token"), max_length=64, unique=True, null=True, blank=True)
    linked_at = models.DateTimeField(_("linked at"), null=True, blank=True)
    unlinked_at = models.DateTimeField(_("unlinked at"), null=True, blank=True)
    unlinked_by = user_ref(_("unlinked by"))

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-invited_at", "-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="linked"), name="one_open_link_per_person"
            ),
            models.UniqueConstraint(
                fields=["partner", "user"],
                condition=Q(state="invited"),
                name="one_open_invitation_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["linked", "unlinked"]) | Q(linked_at__isnull=False),
                name="linked_membership_has_linked_at",
            ),
        ]
        indexes = [
            models.Index(fields=["partner", "invited_at"], name="membership_invites_per_day"),
            models.Index(fields=["user", "linked_at"], name="membership_link_history"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.partner}"

    @property
    def current_status(self) -> str:
        status = getattr(self, "status", None)
        if status:
            return status
        if (
            self.state == self.State.INVITED
            and self.expires_at
            and self.expires_at <= timezone.now()
        ):
            return self.State.EXPIRED
        return self.state

    @property
    def status_label(self) -> str:
        return self.State(self.current_status).label


class ContactChange(models.Model):
    """A request to change the partner's contact e-mail or phone. The new value takes effect
    only when the code sent to it is entered."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("contact e-mail")
        PHONE = "phone", _("contact phone")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the code")  # code sent, not entered yet
        CONFIRMED = "confirmed", _("Confirmed")  # the new value is in effect
        CANCELLED = "cancelled", _("Cancelled")  # replaced by a newer request or withdrawn
        LOCKED = "locked", _("Too many wrong codes")  # the code can no longer be used

    partner = partner_ref("contact_changes", on_delete=models.CASCADE)
    channel = models.CharField(_("what changes"), max_length=8, choices=Channel.choices)
    old_value = models.CharField(_("old value"), max_length=254, blank=True)
    new_value = models.CharField(_("new value"), max_length=254)
    code_hash = models.CharField(max_length=128)
    attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    requested_by = user_ref(_("requested by"), blank=False)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    expires_at = models.DateTimeField(_("code valid until"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact change")
        verbose_name_plural = _("contact changes")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "channel"],
                condition=Q(state="pending"),
                name="one_pending_contact_change_per_channel",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_channel_display()} → {self.new_value}"

    @property
    def masked_value(self) -> str:
        value = self.new_value
        if self.channel == self.Channel.EMAIL and "@" in value:
            name, domain = value.split("@", 1)
            return f"{name[:2]}***@{domain}"
        return f"{value[:3]}****{value[-4:]}" if len(value) > 7 else value
