from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partner_center.accounts.permissions import PartnerType
from partner_center.fields import partner_ref, person_ref
from partner_center.money import money_field

# Kinds are "<area>.<event>"; the notification center filters by area.
AREAS = {
    "members": _("Members"),
    "programs": _("Programs"),
    "topic": _("Subscriptions"),
    "opportunities": _("Opportunities"),
    "customers": _("Customers"),
    "billing": _("Billing"),
    "incentives": _("Incentives"),
    "certification": _("Certification"),
    "workcalendar": _("Working days"),
    "webhooks": _("Webhooks"),
}


class Notification(models.Model):
    """A message to one user, shown in the portal's notification center."""

    recipient = person_ref(_("recipient"), "notifications")
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    # The message key and parameters of the title and body (see messages.py): the page, the
    # e-mail and the API render them in the reader's language. `title`/`body` keep the text
    # as rendered for the recipient when it was sent (admin, search, rows older than keys).
    title_message = models.JSONField(_("title (message key)"), null=True, blank=True)
    body_message = models.JSONField(_("message (message key)"), null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    email_wanted = models.BooleanField(
        _("to be e-mailed"),
        default=False,
        help_text=_(
            "Set when the message is sent: the sender asked for e-mail and the "
            "recipient wants e-mails."
        ),
    )
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class EmailState(models.TextChoices):
        NONE = "", _("No e-mail")  # the sender or the recipient did not want one
        PENDING = "pending", _("Waiting to be sent")  # the task or the sweep sends it
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")  # gave up after EMAIL_MAX_ATTEMPTS; see the error

    email_state = models.CharField(
        _("e-mail delivery"), max_length=8, choices=EmailState.choices, blank=True, default=""
    )
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    email_error = models.TextField(_("last e-mail error"), blank=True)
    email_next_attempt_at = models.DateTimeField(_("next e-mail attempt"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            models.Index(
                fields=["email_next_attempt_at"],
                condition=Q(email_state="pending"),
                name="notification_email_due",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def title_in(self, language: str | None = None) -> str:
        from .messages import render

        return render(self.title_message, language) if self.title_message else self.title

    def body_in(self, language: str | None = None) -> str:
        from .messages import render

        return render(self.body_message, language) if self.body_message else self.body

    @property
    def title_text(self) -> str:
        """The title in the active language (the page's reader)."""
        return self.title_in()

    @property
    def body_text(self) -> str:
        return self.body_in()

    @property
    def area(self) -> str:
        return self.kind.split(".", 1)[0]

    @property
    def area_label(self) -> str:
        return str(AREAS.get(self.area, self.area))


class NotificationPreference(models.Model):
    """How a user wants to be told: every notification is in the portal; e-mail is optional."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email_enabled = models.BooleanField(_("also send notifications by e-mail"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class Topic(models.TextChoices):
    """Information a partner can subscribe to."""

    NEW_CUSTOMER_LABEL = "new_customer_label", _("New-customer label information")
    PERFORMANCE = "performance", _("Performance")
    ESTIMATED_INCENTIVES = "estimated_incentives", _("Estimated incentives")
    INCENTIVES = "incentives", _("Incentives")
    INDICATOR_DETAILS = "indicator_details", _("Indicator details")
    RESELLER_INFO = "reseller_info", _("Reseller information")


# A topic listed here may be subscribed to only by partners holding one of these types.
TOPIC_PARTNER_TYPES = {Topic.RESELLER_INFO: frozenset({PartnerType.DISTRIBUTOR})}


class Subscription(models.Model):
    """A user of a partner receives the messages of one topic (portal, and e-mail if the
    user wants e-mails)."""

    partner = partner_ref("subscriptions", on_delete=models.CASCADE)
    user = person_ref(_("subscriber"), "subscriptions")
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["topic", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_subscription_per_topic")
        ]
        indexes = [models.Index(fields=["partner", "topic"], name="subscription_lookup")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_topic_display()}"


# Below this balance (CNY) a reseller's funds or voucher quota is reported in the
# reseller-information digest, unless the distributor sets another threshold [our rule R4.6].
DEFAULT_RESELLER_LOW_BALANCE = Decimal("1000.00")


class TopicSettings(models.Model):
    """A partner's settings of its subscriptions (set on the subscription page)."""

    partner = partner_ref("topic_settings", on_delete=models.CASCADE, one_to_one=True)
    reseller_low_balance = money_field(
        _("low reseller funds or voucher quota"),
        default=DEFAULT_RESELLER_LOW_BALANCE,
        help_text=_(
            "The reseller-information digest reports a reseller whose funds or voucher "
            "quota fall below this amount."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subscription settings")
        verbose_name_plural = _("subscription settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(reseller_low_balance__gte=0), name="topic_threshold_not_negative"
            )
        ]

    def __str__(self) -> str:
        return str(self.partner)


class Digest(models.Model):
    """One daily digest of a topic sent to a partner's subscribers: at most one per partner,
    topic and day (Asia/Shanghai), written in the transaction that sends the notification,
    so a digest goes out once even when the task runs twice or a worker dies."""

    partner = partner_ref("digests", on_delete=models.CASCADE)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    day = models.DateField(_("day"))
    items = models.PositiveIntegerField(_("items"), default=0)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-day", "partner_id", "topic"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "topic", "day"], name="one_digest_per_partner_topic_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_topic_display()} · {self.day}"
