from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partner_center.fields import optional_ref

from .permissions import PARTNER_ROLES, PartnerType, Role
from .uscc import validate_uscc


class Partner(models.Model):
    """A company in the partner program: one account, many users."""

    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    contact_email = models.EmailField(_("contact e-mail"))
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=100, blank=True)
    parent_distributor = optional_ref(
        "self",
        _("distributor"),
        help_text=_("For a tier-2 reseller: the distributor that manages it."),
        related_name="resellers",
    )
    is_active = models.BooleanField(_("active"), default=True)
    deregistered_at = models.DateTimeField(_("deregistered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    mfa_required = models.BooleanField(
        _("two-factor sign-in required"),
        default=False,
        help_text=_(
            "Set by the partner's admin: every user of the partner must use a second factor."
        ),
    )

    # Who changed what, and when (django-simple-history; shown in admin).
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent_distributor=models.F("id")), name="partner_not_own_distributor"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @cached_property
    def type_codes(self) -> frozenset[str]:
        """Codes of the types the partner holds now (prefetch `active_type_memberships`)."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "type_memberships" in cache:
            rows = [m for m in cache["type_memberships"] if m.exited_at is None]
        else:
            rows = self.type_memberships.filter(exited_at__isnull=True)
        return frozenset(m.partner_type for m in rows)

    def has_type(self, partner_type: str) -> bool:
        return partner_type in self.type_codes

    @property
    def type_labels(self) -> list[str]:
        return [label for code, label in PartnerType.choices if code in self.type_codes]


class PartnerTypeMembership(models.Model):
    """A partner holding one type, from `joined_at` until `exited_at` (kept as history)."""

    partner = models.ForeignKey(
        Partner,
        on_delete=models.CASCADE,
        related_name="type_memberships",
        verbose_name=_("partner"),
    )
    partner_type = models.CharField(_("type"), max_length=32, choices=PartnerType.choices)
    joined_at = models.DateTimeField(_("joined at"), default=timezone.now)
    exited_at = models.DateTimeField(_("exited at"), null=True, blank=True)

    class Meta:
        verbose_name = _("partner type")
        verbose_name_plural = _("partner types")
        ordering = ["partner_type", "-joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "partner_type"],
                condition=Q(exited_at__isnull=True),
                name="one_active_membership_per_type",
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.get_partner_type_display()}"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    class RealName(models.TextChoices):
        NONE = "none", _("Not verified")
        PERSONAL = "personal", _("Verified as a person")
        ENTERPRISE = "enterprise", _("Verified as an enterprise")

    class Site(models.TextChoices):
        MAINLAND = "mainland", _("Mainland China site")
        INTERNATIONAL = "international", _("International site")

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CUSTOMER)
    partner = optional_ref(Partner, _("partner"), related_name="users")
    can_move_money = models.BooleanField(
        _("may move money"),
        default=False,
        help_text=_("Lets a partner member fund and reclaim customer accounts."),
    )
    real_name_status = models.CharField(
        _("real-name verification"), max_length=16, choices=RealName.choices, default=RealName.NONE
    )
    site = models.CharField(_("site"), max_length=16, choices=Site.choices, default=Site.MAINLAND)
    is_partner_account = models.BooleanField(
        _("is a partner's own account"),
        default=False,
        help_text=_("The account a partner company registered with, not a person's account."),
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the user's e-mails and notifications; set by the language "
            "switch. Empty: the portal's default language."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (Django admin)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    session_epoch = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        editable=False,
        help_text=_('Raised by "sign out everywhere": every older session stops working.'),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in PARTNER_ROLES))
                | Q(partner__isnull=False),
                name="partner_roles_have_partner",
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    def _get_session_auth_hash(self, secret=None):
        """Django checks this hash on every request; it includes `session_epoch`, so raising
        the epoch ends every session at once (generation 0 keeps Django's own hash)."""
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "partner_center.accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt, f"{self.password}:{self.session_epoch}", secret=secret, algorithm="sha256"
        ).hexdigest()

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)
