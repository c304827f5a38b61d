"""Second factor: an authenticator app (TOTP, django-otp) and ten single-use recovery codes.

A session is "verified" when django-otp has a device recorded in it (`django_otp.login`).
Signing in with a password leaves the session waiting for the code (SESSION_PENDING) if the
user has a confirmed authenticator, unless the browser carries a valid trusted-device
cookie. Staff (when MFA_REQUIRED_FOR_STAFF is on) and users of a partner that requires it
must have one: the middleware sends them to set it up before any other page."""

from __future__ import annotations

import io
import secrets
from datetime import timedelta

import django_otp
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from partner_center.accounts.access import is_vendor_staff
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb as AuditVerb
from partner_center.errors import DomainError

from .models import TrustedDevice, key_digest


class Verb:
    """Audit event verbs of sign-in security (members of partner_center.audit.verbs.Verb)."""

    MFA_ENABLED = AuditVerb.USER_MFA_ENABLED
    MFA_DISABLED = AuditVerb.USER_MFA_DISABLED
    PARTNER_MFA_REQUIRED = AuditVerb.PARTNER_MFA_REQUIRED
    PARTNER_MFA_OPTIONAL = AuditVerb.PARTNER_MFA_OPTIONAL
    SIGNED_OUT_EVERYWHERE = AuditVerb.USER_SIGNED_OUT_EVERYWHERE


SESSION_PENDING = "pc_mfa_pending"
TRUST_COOKIE = "pc_trusted_device"
TRUST_SALT = "partner_center.security.trusted-device"
RECOVERY_CODE_COUNT = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery-codes"


def is_staff_user(user) -> bool:
    return bool(user.is_staff or user.is_superuser or is_vendor_staff(user))


def mfa_required(user) -> bool:
    """Must this user sign in with a second factor?"""
    if is_staff_user(user):
        return settings.MFA_REQUIRED_FOR_STAFF
    partner = getattr(user, "partner", None) if user.partner_id else None
    return bool(partner and partner.mfa_required)


def confirmed_authenticator(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_mfa(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_start(*, user) -> TOTPDevice:
    """The unconfirmed authenticator the setup page shows (kept across reloads, so the QR
    code the user scanned stays valid until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI of `device` as an inline SVG (no image request, no script)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    out = io.BytesIO()
    image.save(out)
    svg = out.getvalue().decode()
    svg = svg[svg.index("<svg") :]  # drop the XML declaration
    return mark_safe(svg.replace("<svg ", '<svg class="pc-qr" role="img" ', 1))  # noqa: S308


def secret_base32(device: TOTPDevice) -> str:
    import base64

    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def authenticator_confirm(*, request, device: TOTPDevice, code: str) -> list[str]:
    """Confirm the new authenticator with a code from the app; replace any older one, issue
    fresh recovery codes (returned once) and mark this session verified."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user)
    if not device.verify_token(_digits(code)):
        raise DomainError(_("The code is not right. Check the time on your phone."), field="code")
    TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = recovery_codes_issue(user=request.user)
    record_event(
        actor=request.user,
        subject=request.user,
        verb=Verb.MFA_ENABLED,
        partner_id=request.user.partner_id,
    )
    django_otp.login(request, device)
    request.session.pop(SESSION_PENDING, None)
    return codes


@transaction.atomic
def recovery_codes_issue(*, user) -> list[str]:
    """Ten new single-use codes; older codes stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


def verify(*, request, code: str) -> bool:
    """Check a code from the authenticator or a recovery code; on success the session is
    verified. django-otp slows down repeated failures (its throttling) per device."""
    user = request.user
    code = code.strip().replace(" ", "").replace("-", "").lower()
    authenticator = confirmed_authenticator(user)
    if authenticator is None:
        return False
    device = None
    with transaction.atomic():
        if code.isdigit():
            totp = TOTPDevice.objects.select_for_update().get(pk=authenticator.pk)
            allowed, _info = totp.verify_is_allowed()
            if not allowed:
                raise DomainError(
                    _("Too many wrong codes. Wait a minute, then try again."), field="code"
                )
            if totp.verify_token(code):
                device = totp
        else:
            static = (
                StaticDevice.objects.select_for_update()
                .filter(user=user, name=RECOVERY_NAME)
                .first()
            )
            if static is not None:
                allowed, _info = static.verify_is_allowed()
                if not allowed:
                    raise DomainError(
                        _("Too many wrong codes. Wait a minute, then try again."), field="code"
                    )
                if static.verify_token(code):
                    device = authenticator  # the session counts as verified by the app
    if device is None:
        return False
    django_otp.login(request, device)
    request.session.pop(SESSION_PENDING, None)
    return True


@transaction.atomic
def mfa_disable(*, user) -> None:
    """Remove the second factor (refused while it is required for the user)."""
    if mfa_required(user):
        raise DomainError(_("Two-factor sign-in is required for your account."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    TrustedDevice.objects.filter(user=user).delete()
    record_event(actor=user, subject=user, verb=Verb.MFA_DISABLED, partner_id=user.partner_id)


# Trusted devices ---------------------------------------------------------------------------


def trust_this_device(*, request, response) -> None:
    """Remember this browser for MFA_TRUST_DAYS: a row with the token's digest and a signed
    cookie carrying the user id and the token."""
    token = secrets.token_urlsafe(32)
    days = settings.MFA_TRUST_DAYS
    TrustedDevice.objects.create(
        user=request.user,
        token_digest=key_digest(token),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        expires_at=timezone.now() + timedelta(days=days),
    )
    value = signing.dumps({"u": request.user.pk, "t": token}, salt=TRUST_SALT)
    response.set_cookie(
        TRUST_COOKIE,
        value,
        max_age=days * 86400,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Lax",
    )


def trusted_device_for(request, user) -> TrustedDevice | None:
    value = request.COOKIES.get(TRUST_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(value, salt=TRUST_SALT, max_age=settings.MFA_TRUST_DAYS * 86400)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk:
        return None
    return TrustedDevice.objects.filter(
        user=user, token_digest=key_digest(str(data.get("t"))), expires_at__gt=timezone.now()
    ).first()


def trusted_devices_forget(*, user) -> int:
    count, _ = TrustedDevice.objects.filter(user=user).delete()
    return count


def on_password_login(request, user) -> None:
    """After the password: verified at once on a trusted browser, else waiting for the code
    if the user has an authenticator."""
    authenticator = confirmed_authenticator(user)
    if authenticator is None:
        return
    if trusted_device_for(request, user) is not None:
        django_otp.login(request, authenticator)
    else:
        request.session[SESSION_PENDING] = True


def _digits(code: str) -> str:
    return "".join(ch for ch in str(code) if ch.isdigit())


@transaction.atomic
def partner_mfa_set(*, actor, partner, required: bool) -> None:
    """The partner admin turns the requirement on or off for all its users."""
    from partner_center.accounts.access import require
    from partner_center.accounts.permissions import MANAGE_PARTNER_PROFILE

    require(actor, MANAGE_PARTNER_PROFILE, partner_id=partner.pk)
    if required and not has_mfa(actor):
        raise DomainError(_("Set up two-factor sign-in for yourself first."), field="required")
    partner.mfa_required = required
    partner.save(update_fields=["mfa_required"])
    record_event(
        actor=actor,
        subject=partner,
        verb=Verb.PARTNER_MFA_REQUIRED if required else Verb.PARTNER_MFA_OPTIONAL,
        partner_id=partner.pk,
    )
