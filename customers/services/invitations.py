"""Customer invitations and self-registration through an invitation link."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import Role
from partner_center.accounts.services import user_create
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify
from partner_center.validators import clean_name

from ..models import (
    SHANGHAI,
    Account,
    AgreementSignature,
    Association,
    BillingModel,
    Customer,
    Invitation,
    Registration,
    Resource,
)
from ..permissions import (
    INVITE_CUSTOMERS,
    REVOKE_INVITATIONS,
)
from ._common import INVITATION_VALID_FOR
from .agreements import agreement_latest


def default_billing_model(partner: Partner) -> str:
    """Distributors and resellers host their customers' accounts; others refer [our rule]."""
    from partner_center.accounts.permissions import PartnerType

    if partner.has_type(PartnerType.RESELLER) or partner.has_type(PartnerType.DISTRIBUTOR):
        return BillingModel.RESELLER
    return BillingModel.REFERRAL


@transaction.atomic
def invitation_create(
    *,
    actor: User | None,
    billing_model: str,
    email: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Invitation:
    require(actor, INVITE_CUSTOMERS)
    if actor.partner_id is None:
        raise DomainError(_("Only a partner invites customers."))
    if billing_model not in BillingModel.values:
        raise DomainError(_("Choose how the customer pays."), field="billing_model")
    now = now or timezone.now()
    invitation = Invitation.objects.create(
        partner_id=actor.partner_id,
        token=secrets.token_urlsafe(32),
        billing_model=billing_model,
        email=email.strip().lower(),
        note=note.strip(),
        created_by=actor,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    record_event(actor=actor, subject=invitation, verb=Verb.INVITATION_CREATED, to_state="pending")
    if invitation.email:
        from partner_center.outbox.services import enqueue

        enqueue(
            "customers.tasks.email_invitation",
            {"invitation_id": invitation.pk},
            key=f"customers.invitation-email:{invitation.pk}",
        )
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    require(actor, REVOKE_INVITATIONS, partner_id=invitation.partner_id)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise DomainError(_("Only a link that was not used yet can be revoked."))
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state"])
    record_event(
        actor=actor,
        subject=invitation,
        verb=Verb.INVITATION_REVOKED,
        from_state="pending",
        to_state="revoked",
    )
    return invitation


def invitation_link(invitation: Invitation) -> str:
    from django.conf import settings

    return settings.PORTAL_SITE_URL + reverse("customers:invite", args=[invitation.token])


def invitation_send_email(invitation_id: int) -> bool:
    """E-mail the link to the address the partner gave (in Chinese and English)."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    invitation = Invitation.objects.select_related("partner").filter(pk=invitation_id).first()
    if invitation is None or not invitation.email or invitation.state != Invitation.State.PENDING:
        return False
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts.append(
                _(
                    "%(partner)s invites you to associate your cloud account with it in the "
                    "Partner Center. Open this link, sign in or register, and sign the "
                    "association agreement (the link works once, until %(date)s):"
                )
                % {
                    "partner": invitation.partner.name,
                    "date": timezone.localtime(invitation.expires_at, SHANGHAI).strftime(
                        "%Y-%m-%d %H:%M"
                    ),
                }
                + "\n"
                + invitation_link(invitation)
            )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("%(partner)s invites you to associate your account") % {
            "partner": invitation.partner.name
        }
    send_mail(subject, "\n\n".join(parts), None, [invitation.email])
    return True


def invitation_problem(invitation: Invitation, *, user=None, now: datetime | None = None) -> str:
    """Why this link cannot be used (by `user`), in plain words; "" when it can."""
    now = now or timezone.now()
    if invitation.state == Invitation.State.ACCEPTED:
        return _("This invitation link has been used already. Each link works once.")
    if invitation.state == Invitation.State.REVOKED:
        return _("The partner withdrew this invitation. Ask it for a new link.")
    if now >= invitation.expires_at:
        return _("This invitation link expired on %(date)s. Ask %(partner)s for a new one.") % {
            "date": timezone.localtime(invitation.expires_at, SHANGHAI).strftime("%Y-%m-%d %H:%M"),
            "partner": invitation.partner.name,
        }
    if user is not None and user.is_authenticated:
        if user.role != Role.CUSTOMER:
            return _(
                "You are signed in with a partner or vendor account. Sign out and sign in "
                "with the customer's account to accept."
            )
        customer = getattr(user, "customer_profile", None)
        if customer is not None:
            current = customer.associations.filter(state=Association.State.ACTIVE).first()
            if current is not None and current.partner_id == invitation.partner_id:
                return _("Your account is associated with %(partner)s already.") % {
                    "partner": invitation.partner.name
                }
            if current is not None:
                return _(
                    "Your account is already associated with another partner. That partner "
                    "has to unbind it before you can accept this invitation."
                )
    return ""


def _customer_for(user: User) -> Customer:
    customer = Customer.objects.filter(user=user).first()
    if customer is None:
        customer = Customer.objects.create(
            user=user,
            name=user.full_name or user.email.split("@")[0],
            account_name=_new_account_name(),
            contact_email=user.email,
            contact_phone=user.phone,
        )
    return customer


def _new_account_name() -> str:
    while True:
        name = f"hwc_{secrets.token_hex(5)}"
        if not Customer.objects.filter(account_name=name).exists():
            return name


@transaction.atomic
def customer_register(
    *, email: str, password: str | None, name: str, phone: str = "", credit_code: str = ""
) -> User:
    """A new customer account (user + main account), e.g. from an invitation link."""
    user = user_create(
        email=email,
        password=password,
        role=Role.CUSTOMER,
        full_name=clean_name(name),
        phone=phone.strip(),
    )
    Customer.objects.create(
        user=user,
        name=clean_name(name),
        account_name=_new_account_name(),
        credit_code=credit_code.strip().upper(),
        contact_email=user.email,
        contact_phone=phone.strip(),
    )
    record_event(actor=user, subject=user, verb=Verb.CUSTOMER_REGISTERED)
    return user


REGISTRATION_CODE_VALID = timedelta(minutes=30)
REGISTRATION_MAX_WRONG_CODES = 5


def _registration_problem(invitation: Invitation) -> str:
    problem = invitation_problem(invitation)
    if problem:
        return problem
    registration = Registration.objects.filter(invitation=invitation).first()
    if registration is not None and registration.verified_at is not None:
        return _("This link was used for a registration already. Sign in to continue.")
    return ""


@transaction.atomic
def registration_start(
    *, invitation: Invitation, email: str, name: str, phone: str, password: str, now=None
) -> None:
    """Step 1 of registering through an invitation link. The answer is the same whether or
    not the address has an account [our rule]: a new address gets a 6-digit code (the account
    is created once it is entered); an address with an account gets a message telling its
    owner to sign in and open the link instead."""
    from django.contrib.auth.hashers import make_password

    now = now or timezone.now()
    problem = _registration_problem(invitation)
    if problem:
        raise DomainError(problem)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        transaction.on_commit(lambda: _send_registration_mail(invitation.pk, email, code=""))
        return
    code = f"{secrets.randbelow(10**6):06d}"
    Registration.objects.update_or_create(
        invitation=invitation,
        defaults={
            "email": email,
            "name": name.strip(),
            "phone": phone.strip(),
            "password": make_password(password),
            "code_hash": make_password(code),
            "attempts": 0,
            "created_at": now,
            "expires_at": now + REGISTRATION_CODE_VALID,
            "verified_at": None,
        },
    )
    transaction.on_commit(lambda: _send_registration_mail(invitation.pk, email, code=code))


def _send_registration_mail(invitation_id: int, email: str, *, code: str) -> None:
    from ..tasks import email_registration

    email_registration.delay(invitation_id, email, code)


def registration_send_email(invitation_id: int, email: str, code: str) -> bool:
    """The code (new address) or the sign-in hint (address with an account), in Chinese and
    English."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.utils import translation

    invitation = Invitation.objects.select_related("partner").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    parts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            if code:
                parts.append(
                    _(
                        "Your code to finish registering with the Partner Center is %(code)s. "
                        "It is valid for 30 minutes. If you did not ask for it, ignore this "
                        "message."
                    )
                    % {"code": code}
                )
            else:
                parts.append(
                    _(
                        "Someone tried to register an account with this address through an "
                        "invitation from %(partner)s. You have an account already: sign in "
                        "and open the link to accept the invitation. If it was not you, ignore "
                        "this message."
                    )
                    % {"partner": invitation.partner.name}
                    + "\n"
                    + invitation_link(invitation)
                )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your Partner Center registration")
    send_mail(subject, "\n\n".join(parts), None, [email])
    return True


def registration_verify(*, invitation: Invitation, email: str, code: str, now=None) -> User:
    """Step 2: the right code creates the customer account (once per link). A wrong code
    counts; after five the registration must start again."""
    from django.contrib.auth.hashers import check_password

    now = now or timezone.now()
    wrong = DomainError(
        _("The code is wrong or has expired. Check the message or start again."), field="code"
    )
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(invitation=invitation, email=(email or "").strip().lower())
            .first()
        )
        if registration is None or registration.verified_at is not None:
            raise wrong
        usable = (
            registration.expires_at > now
            and registration.attempts < REGISTRATION_MAX_WRONG_CODES
            and check_password((code or "").strip(), registration.code_hash)
        )
        if not usable:
            registration.attempts += 1
            registration.save(update_fields=["attempts"])
    if not usable:
        raise wrong
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.verified_at is not None:
            raise wrong
        problem = invitation_problem(invitation)
        if problem:
            raise DomainError(problem)
        user = customer_register(
            email=registration.email,
            password=None,
            name=registration.name,
            phone=registration.phone,
        )
        user.password = registration.password
        user.save(update_fields=["password"])
        registration.verified_at = now
        registration.user = user
        registration.save(update_fields=["verified_at", "user"])
    return user


@transaction.atomic
def invitation_accept(
    *, actor: User | None, token: str, agreement_version_id: int, now: datetime | None = None
) -> Association:
    """The customer accepts the link: signs the current agreement and is associated with the
    partner. In the reseller model a hosted account is opened, frozen until the partner sets
    its budget."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.select_for_update().select_related("partner").filter(token=token).first()
    )
    if invitation is None:
        raise DomainError(_("This invitation link is not valid. Check that it was copied whole."))
    if actor.role != Role.CUSTOMER:
        raise DomainError(invitation_problem(invitation, user=actor, now=now))
    customer = _customer_for(actor)
    # Lock the customer: two invitations accepted at once end with one association.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    problem = invitation_problem(invitation, user=actor, now=now)
    if problem:
        raise DomainError(problem)
    latest = agreement_latest()
    if latest is None or latest.pk != int(agreement_version_id):
        raise DomainError(
            _("A newer version of the agreement was published. Read it and sign that one."),
            field="agree",
        )
    signature, signed = AgreementSignature.objects.get_or_create(
        customer=customer, version=latest, defaults={"signed_by": actor, "signed_at": now}
    )
    if signed:
        record_event(
            actor=actor, subject=customer, verb=Verb.AGREEMENT_SIGNED, to_state=f"v{latest.version}"
        )
    association = Association.objects.create(
        partner=invitation.partner,
        customer=customer,
        billing_model=invitation.billing_model,
        invitation=invitation,
        associated_at=now,
    )
    if association.hosted:
        Account.objects.create(
            kind=Account.Kind.CUSTOMER,
            partner=invitation.partner,
            association=association,
            frozen=True,
        )
    invitation.state = Invitation.State.ACCEPTED
    invitation.used_at = now
    invitation.used_by = actor
    invitation.save(update_fields=["state", "used_at", "used_by"])
    Resource.objects.filter(customer=customer, partner__isnull=True).exclude(
        status=Resource.Status.UNSUBSCRIBED
    ).update(partner=invitation.partner, association=association)
    record_event(
        actor=actor,
        subject=invitation,
        verb=Verb.INVITATION_ACCEPTED,
        from_state="pending",
        to_state="accepted",
    )
    record_event(
        actor=actor,
        subject=association,
        verb=Verb.ASSOCIATION_CREATED,
        to_state="active",
        data={"billing_model": association.billing_model, "agreement": latest.version},
    )
    recipients = list(partner_admins(invitation.partner_id))
    if invitation.created_by and invitation.created_by not in recipients:
        recipients.append(invitation.created_by)
    notify(
        recipients=recipients,
        kind="customers.associated",
        title=msg("%(customer)s accepted your invitation", customer=customer.name),
        body=msg("Set the customer's monthly budget to unfreeze its account.")
        if association.hosted
        else "",
        link=reverse("customers:detail", args=[association.pk]),
    )
    return association
