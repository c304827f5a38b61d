"""Every write about customers, resellers and their money. Pages, the API, admin actions,
tasks and the importer call these functions; nothing else changes these rows.

Rules decided here that the source pages leave open are marked [our rule]."""

from __future__ import annotations

import calendar
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import Role
from partner_center.accounts.services import user_create
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.money import cny
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify
from partner_center.validators import check_date

from . import agreement as agreement_text
from . import ledger
from .models import (
    DEFAULT_OPERATION_LIMIT,
    SHANGHAI,
    ZERO,
    Account,
    AgreementSignature,
    AgreementVersion,
    Association,
    Attribution,
    BillingModel,
    ConsumptionRecord,
    Customer,
    Invitation,
    LedgerEntry,
    MoneyLimit,
    MoneyRequest,
    Order,
    OrderLine,
    Product,
    Registration,
    Resource,
    Voucher,
    billing_period_of,
)
from .permissions import (
    FUND_RESELLERS,
    INVITE_CUSTOMERS,
    ISSUE_VOUCHERS,
    MOVE_MONEY,
    PUBLISH_AGREEMENT,
    REVOKE_INVITATIONS,
    REVOKE_VOUCHERS,
    SWITCH_AUTO_RENEW,
    UNBIND_AS_PARTNER_OR_ADMIN,
)
from .transitions import MONEY_REQUEST

INVITATION_VALID_FOR = timedelta(days=7)  # [our rule] as long as a member invitation
AUTO_RENEW_LEAD = timedelta(days=3)  # [our rule] auto-renew from 3 days before expiry
MAX_RENEWAL_PERIODS = 36
SPEND_TYPES = (LedgerEntry.Type.PURCHASE, LedgerEntry.Type.RENEWAL, LedgerEntry.Type.UPGRADE)
ORDER_ENTRY_TYPE = {
    Order.Type.NEW: LedgerEntry.Type.PURCHASE,
    Order.Type.RENEWAL: LedgerEntry.Type.RENEWAL,
    Order.Type.UPGRADE: LedgerEntry.Type.UPGRADE,
}


# ---------------------------------------------------------------- helpers


def association_at(customer: Customer, moment: datetime) -> Association | None:
    """The association in force at `moment` (associated before it, not unbound before it)."""
    assoc = (
        customer.associations.select_related("partner")
        .filter(associated_at__lte=moment)
        .order_by("-associated_at", "-id")
        .first()
    )
    if assoc is not None and (assoc.unbound_at is None or assoc.unbound_at > moment):
        return assoc
    return None


def add_periods(moment: datetime, unit: str, n: int) -> datetime:
    """`moment` plus n months or years, on the same day (the month's last day if shorter),
    counted in Asia/Shanghai."""
    local = timezone.localtime(moment, SHANGHAI)
    months = n * (12 if unit == Resource.PeriodUnit.YEAR else 1)
    total = local.year * 12 + (local.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


def _funding_source(partner: Partner) -> Account | None:
    """Where a partner's money for its customers comes from: a tier-2 reseller spends the
    funds its distributor allocated; any other partner pays with its own money (None)."""
    if partner.parent_distributor_id is None:
        return None
    account = Account.objects.filter(partner=partner, kind=Account.Kind.RESELLER_FUNDS).first()
    if account is None:
        raise DomainError(_("Your distributor has not allocated funds to you yet."), field="amount")
    return account


def _reseller_account(reseller: Partner, kind: str) -> Account:
    account, _created = Account.objects.get_or_create(partner=reseller, kind=kind)
    return account


# ---------------------------------------------------------------- agreement


def agreement_latest() -> AgreementVersion | None:
    return AgreementVersion.objects.order_by("-version").first()


@transaction.atomic
def agreement_ensure_published() -> AgreementVersion:
    """The latest version; publishes the built-in first version when there is none."""
    latest = agreement_latest()
    if latest is not None:
        return latest
    try:
        with transaction.atomic():
            return AgreementVersion.objects.create(
                version=1,
                title_zh=agreement_text.INITIAL_TITLE_ZH,
                title_en=agreement_text.INITIAL_TITLE_EN,
                body_zh=agreement_text.INITIAL_BODY_ZH,
                body_en=agreement_text.INITIAL_BODY_EN,
            )
    except IntegrityError:  # published meanwhile by another request
        return agreement_latest()


@transaction.atomic
def agreement_publish(
    *, actor, title_zh: str, title_en: str, body_zh: str, body_en: str
) -> AgreementVersion:
    """Publish a new version. Associated customers are asked to sign it; until they do,
    their partners do not see their knowledge recommendations."""
    require(actor, PUBLISH_AGREEMENT)
    if not all(s.strip() for s in (title_zh, title_en, body_zh, body_en)):
        raise DomainError(_("Give the title and the text in both languages."), field="body_zh")
    last = AgreementVersion.objects.select_for_update().order_by("-version").first()
    version = AgreementVersion.objects.create(
        version=(last.version + 1) if last else 1,
        title_zh=title_zh.strip(),
        title_en=title_en.strip(),
        body_zh=body_zh.strip(),
        body_en=body_en.strip(),
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor=actor, subject=version, verb=Verb.AGREEMENT_PUBLISHED, to_state=f"v{version.version}"
    )
    users = User.objects.filter(
        customer_profile__associations__state=Association.State.ACTIVE, is_active=True
    ).distinct()
    notify(
        recipients=list(users),
        kind="customers.agreement",
        title=_("Please sign the new version of the association agreement"),
        body=_(
            "Version %(v)s of the agreement was published. Your partner sees knowledge "
            "recommendations for you only after you sign it."
        )
        % {"v": version.version},
        link=reverse("customers:me"),
    )
    return version


@transaction.atomic
def agreement_sign(*, actor, version: AgreementVersion) -> AgreementSignature:
    """The customer signs `version`, which must be the latest. Signing twice is harmless."""
    customer = getattr(actor, "customer_profile", None)
    if actor.role != Role.CUSTOMER or customer is None:
        raise DomainError(_("Only a customer account signs the agreement."))
    latest = agreement_latest()
    if latest is None or latest.pk != version.pk:
        raise DomainError(
            _("A newer version of the agreement was published. Read it and sign that one."),
            field="version",
        )
    signature, created = AgreementSignature.objects.get_or_create(
        customer=customer, version=version, defaults={"signed_by": actor}
    )
    if created:
        record_event(
            actor=actor,
            subject=customer,
            verb=Verb.AGREEMENT_SIGNED,
            to_state=f"v{version.version}",
        )
    return signature


# ---------------------------------------------------------------- invitations


def default_billing_model(partner: Partner) -> str:
    """Distributors and resellers host their customers' accounts; others refer [our rule]."""
    from partner_center.accounts.permissions import PartnerType

    if partner.has_type(PartnerType.RESELLER) or partner.has_type(PartnerType.DISTRIBUTOR):
        return BillingModel.RESELLER
    return BillingModel.REFERRAL


@transaction.atomic
def invitation_create(
    *, actor, billing_model: str, email: str = "", note: str = "", now: datetime | None = None
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
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
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
        full_name=name.strip(),
        phone=phone.strip(),
    )
    Customer.objects.create(
        user=user,
        name=name.strip(),
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
    from .tasks import email_registration

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
    *, actor, token: str, agreement_version_id: int, now: datetime | None = None
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
        title=_("%(customer)s accepted your invitation") % {"customer": customer.name},
        body=_("Set the customer's monthly budget to unfreeze its account.")
        if association.hosted
        else "",
        link=reverse("customers:detail", args=[association.pk]),
    )
    return association


# ---------------------------------------------------------------- unbinding


@transaction.atomic
def customer_unbind(
    *, actor, association: Association, reason: str = "", now: datetime | None = None
) -> Association:
    """End the association now. The hosted account's balance goes back to the partner (to a
    reseller's funds) and the account closes; the customer's unused vouchers go back to the
    reseller's quota [our rule]; its resources leave the partner. Consumption after this
    moment is booked to the customer's own main account."""
    require(actor, UNBIND_AS_PARTNER_OR_ADMIN, partner_id=association.partner_id)
    now = now or timezone.now()
    association = Association.objects.select_for_update().get(pk=association.pk)
    if association.state != Association.State.ACTIVE:
        raise DomainError(_("This customer is not associated any more."))
    association.state = Association.State.UNBOUND
    association.unbound_at = now
    association.unbound_by = actor if getattr(actor, "pk", None) else None
    association.unbind_reason = reason.strip()[:200]
    association.save(update_fields=["state", "unbound_at", "unbound_by", "unbind_reason"])
    account = Account.objects.filter(association=association).first()
    if account is not None:
        account = Account.objects.select_for_update().get(pk=account.pk)
        if account.balance > 0:
            target = None
            if association.partner.parent_distributor_id:
                target = _reseller_account(association.partner, Account.Kind.RESELLER_FUNDS)
            ledger.move(
                actor=actor,
                entry_type=LedgerEntry.Type.UNBIND_RECLAIM,
                amount=account.balance,
                source=account,
                target=target,
                reason=_("Customer unbound"),
            )
            account.refresh_from_db()
        account.closed_at = now
        account.frozen = True
        account.save(update_fields=["closed_at", "frozen"])
    for voucher in Voucher.objects.filter(
        association=association, revoked_at__isnull=True
    ).select_related("account"):
        _voucher_return(actor=actor, voucher=voucher, reason=_("Customer unbound"), now=now)
    Resource.objects.filter(association=association).update(partner=None, association=None)
    record_event(
        actor=actor,
        subject=association,
        verb=Verb.ASSOCIATION_UNBOUND,
        from_state="active",
        to_state="unbound",
        reason=association.unbind_reason,
        at=now,
    )
    customer_user = association.customer.user
    if customer_user is not None:
        notify(
            recipients=[customer_user],
            kind="customers.unbound",
            title=_("%(partner)s ended its association with your account")
            % {"partner": association.partner.name},
            body=_("From now on your consumption is booked to your own main account."),
            link=reverse("customers:me"),
        )
    return association


# ---------------------------------------------------------------- limits and second approval


def operation_limit(partner_id: int | None) -> Decimal:
    """The most one money operation of the partner moves without a second admin [our rule]."""
    limit = (
        MoneyLimit.objects.filter(partner_id=partner_id)
        .values_list("per_operation", flat=True)
        .first()
    )
    return DEFAULT_OPERATION_LIMIT if limit is None else limit


def needs_approval(partner_id: int | None, amount) -> bool:
    """Whether `amount` is above the partner's limit (the confirmation step says so)."""
    return Decimal(str(amount)) > operation_limit(partner_id)


def _needs_approval(partner_id, amount: Decimal, approval: MoneyRequest | None) -> bool:
    if approval is not None:
        # Only the approval service passes the request, after checking it under a lock.
        if approval.state != MoneyRequest.State.PENDING or approval.amount != amount:
            raise ValueError("approval does not match the operation")
        return False
    return needs_approval(partner_id, amount)


def second_admins(partner_id: int, requester) -> list[User]:
    return list(partner_admins(partner_id).exclude(pk=getattr(requester, "pk", None)))


def _ask_approval(*, actor, partner_id: int, operation: str, amount: Decimal, **fields):
    """Record the operation as pending and ask the partner's other admins."""
    approvers = second_admins(partner_id, actor)
    limit = operation_limit(partner_id)
    if not approvers:
        raise DomainError(
            _(
                "%(amount)s is above your limit of %(limit)s per operation, and no other "
                "partner admin can approve it. Split it or ask the vendor to change the limit."
            )
            % {"amount": cny(amount), "limit": cny(limit)},
            field="face_value" if operation == MoneyRequest.Operation.VOUCHER_ISSUE else "amount",
            code="over_limit",
        )
    request = MoneyRequest.objects.create(
        partner_id=partner_id,
        operation=operation,
        amount=amount,
        requested_by=actor,
        reason=str(fields.pop("reason", "") or "")[:300],
        **fields,
    )
    MONEY_REQUEST.record_created(
        request,
        "request",
        actor=actor,
        data={"amount": str(amount), "limit": str(limit), "operation": operation},
    )
    notify(
        recipients=approvers,
        kind="customers.money_request",
        title=_("%(who)s asks you to approve: %(what)s, %(amount)s")
        % {
            "who": actor.get_full_name() or actor.email,
            "what": request.get_operation_display(),
            "amount": cny(amount),
        },
        link=reverse("customers:money_requests"),
    )
    return request


def _carry_out(request: MoneyRequest):
    """Run the operation a request stands for, as the one who asked for it."""
    common = {"actor": request.requested_by, "amount": request.amount, "approval": request}
    op = MoneyRequest.Operation
    if request.operation == op.FUND:
        return account_fund(account=request.account, reason=request.reason, **common)
    if request.operation == op.RECLAIM:
        return account_reclaim(account=request.account, reason=request.reason, **common)
    reseller_services = {
        op.RESELLER_FUND: reseller_fund,
        op.RESELLER_RECLAIM: reseller_reclaim,
        op.GRANT_QUOTA: reseller_grant_quota,
        op.REDUCE_QUOTA: reseller_reduce_quota,
    }
    operation = op(request.operation)
    if operation in reseller_services:
        return reseller_services[operation](
            reseller=request.reseller, reason=request.reason, **common
        )
    return voucher_issue(
        actor=request.requested_by,
        association=request.association,
        face_value=request.amount,
        valid_until=request.valid_until,
        approval=request,
    )


def _check_decider(actor, request: MoneyRequest) -> None:
    from partner_center.errors import NotAllowed

    if getattr(actor, "role", None) != Role.PARTNER_ADMIN or actor.partner_id != request.partner_id:
        raise NotAllowed
    if actor.pk == request.requested_by_id:
        raise DomainError(
            _("A second admin decides: you cannot approve or refuse your own request."),
            code="own_request",
        )


@transaction.atomic
def money_request_approve(*, actor, request: MoneyRequest) -> MoneyRequest:
    """A second partner admin approves: the money moves now, through the same service (its
    balance checks apply now; if they refuse, the request stays pending)."""
    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    _check_decider(actor, request)
    MONEY_REQUEST.check(request, "approve")
    result = _carry_out(request)
    transfer = getattr(result, "transfer", None)
    now = timezone.now()
    MONEY_REQUEST.apply(
        request,
        "approve",
        actor=actor,
        locked=True,
        changes={"decided_by": actor, "decided_at": now, "ledger_transfer": transfer},
        data={"amount": str(request.amount)},
    )
    notify(
        recipients=[request.requested_by],
        kind="customers.money_request",
        title=_("Approved and done: %(what)s, %(amount)s")
        % {"what": request.get_operation_display(), "amount": cny(request.amount)},
        link=reverse("customers:money_requests"),
    )
    return request


@transaction.atomic
def money_request_refuse(*, actor, request: MoneyRequest, note: str = "") -> MoneyRequest:
    """A second partner admin refuses: nothing moves."""
    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    _check_decider(actor, request)
    MONEY_REQUEST.apply(
        request,
        "refuse",
        actor=actor,
        locked=True,
        reason=note[:300],
        changes={"decided_by": actor, "decided_at": timezone.now(), "decision_note": note[:300]},
    )
    notify(
        recipients=[request.requested_by],
        kind="customers.money_request",
        title=_("Refused: %(what)s, %(amount)s")
        % {"what": request.get_operation_display(), "amount": cny(request.amount)},
        body=note,
        link=reverse("customers:money_requests"),
    )
    return request


@transaction.atomic
def money_request_cancel(*, actor, request: MoneyRequest) -> MoneyRequest:
    """The requester withdraws a pending request: nothing moves."""
    from partner_center.errors import NotAllowed

    request = MoneyRequest.objects.select_for_update().get(pk=request.pk)
    if actor.pk != request.requested_by_id:
        raise NotAllowed
    MONEY_REQUEST.apply(
        request,
        "cancel",
        actor=actor,
        locked=True,
        changes={"decided_by": actor, "decided_at": timezone.now()},
    )
    return request


# ---------------------------------------------------------------- customer accounts


def _check_customer_account(account: Account) -> None:
    if account.kind != Account.Kind.CUSTOMER:
        raise DomainError(_("This is not a customer account."))
    if account.closed_at is not None:
        raise DomainError(
            _("This account was closed when the customer was unbound."), field="amount"
        )


@transaction.atomic
def account_fund(
    *, actor, account: Account, amount, reason: str = "", approval: MoneyRequest | None = None
) -> LedgerEntry | MoneyRequest:
    """The partner puts money into a customer's hosted account. A tier-2 reseller pays from
    the funds its distributor allocated (over-allocation is refused). Above the partner's
    limit it becomes a request a second admin approves (returned instead of the entry)."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    amount = ledger.to_money(amount)
    if _needs_approval(account.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=account.partner_id,
            operation=MoneyRequest.Operation.FUND,
            amount=amount,
            account=account,
            reason=reason,
        )
    source = _funding_source(account.partner)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.FUND,
        amount=amount,
        source=source,
        target=account,
        reason=reason or _("Funded by the partner"),
    )
    return movement.into


@transaction.atomic
def account_reclaim(
    *,
    actor,
    account: Account,
    amount=None,
    reclaim_all: bool = False,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The partner takes money back from a customer's account; a tier-2 reseller's money goes
    back to its funds. The amount is always explicit: an empty amount is refused, taking
    everything is the explicit `reclaim_all` [our rule]."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    if amount is None or amount == "":
        if not reclaim_all:
            raise DomainError(
                _("Enter the amount to reclaim, or choose to reclaim the whole balance."),
                field="amount",
                code="amount_required",
            )
        amount = Account.objects.get(pk=account.pk).balance
        if amount <= 0:
            raise DomainError(_("The account is empty: there is nothing to reclaim."))
    elif reclaim_all:
        raise DomainError(
            _("Give an amount or reclaim the whole balance, not both."), field="amount"
        )
    amount = ledger.to_money(amount)
    if _needs_approval(account.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=account.partner_id,
            operation=MoneyRequest.Operation.RECLAIM,
            amount=amount,
            account=account,
            reason=reason,
        )
    target = None
    if account.partner.parent_distributor_id:
        target = _reseller_account(account.partner, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.RECLAIM,
        amount=amount,
        source=account,
        target=target,
        reason=reason or _("Reclaimed by the partner"),
    )
    return movement.out


@transaction.atomic
def account_set_budget(*, actor, account: Account, monthly_budget) -> Account:
    """Set the most the customer may spend per month; this unfreezes a new account."""
    require(actor, MOVE_MONEY, partner_id=account.partner_id)
    _check_customer_account(account)
    budget = ledger.to_money(monthly_budget, field="monthly_budget", allow_zero=True)
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = account.monthly_budget
    was_frozen = account.frozen
    account.monthly_budget = budget
    account.frozen = False
    account.save(update_fields=["monthly_budget", "frozen"])
    record_event(
        actor=actor,
        subject=account.association,
        verb=Verb.ACCOUNT_BUDGET_SET,
        from_state="frozen" if was_frozen else "",
        to_state="open",
        data={"before": str(before) if before is not None else None, "budget": str(budget)},
    )
    return account


def month_spend(account: Account, now: datetime) -> Decimal:
    """What the account paid for purchases, renewals and upgrades this calendar month."""
    local = timezone.localtime(now, SHANGHAI)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    total = LedgerEntry.objects.filter(
        account=account, entry_type__in=SPEND_TYPES, created_at__gte=start
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or ZERO)


AUTO_RENEW = "auto_renew"  # actor label of the auto-renewal task
VENDOR_SITE = "vendor_site"  # actor label of records imported from the vendor's site


def _spend(
    *,
    actor,
    account: Account,
    amount: Decimal,
    entry_type: str,
    order,
    reason,
    now,
    actor_label: str = "",
):
    """Pay `amount` from a customer's hosted account: refused while frozen, beyond the
    monthly budget, or beyond the balance."""
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.closed_at is not None:
        raise DomainError(
            _("The customer's hosted account was closed when it was unbound."), field="amount"
        )
    if account.frozen:
        raise DomainError(
            _("The customer's account is frozen until its partner sets a monthly budget."),
            field="amount",
            code="frozen",
        )
    if account.monthly_budget is not None:
        spent = month_spend(account, now)
        if spent + amount > account.monthly_budget:
            raise DomainError(
                _(
                    "This exceeds the customer's monthly budget: %(budget)s per month, "
                    "%(spent)s spent this month, %(needed)s needed."
                )
                % {
                    "budget": cny(account.monthly_budget),
                    "spent": cny(spent),
                    "needed": cny(amount),
                },
                field="amount",
                code="over_budget",
            )
    return ledger.move(
        actor=actor,
        entry_type=entry_type,
        amount=amount,
        source=account,
        target=None,
        order=order,
        reason=reason,
        actor_label=actor_label,
    )


def _spend_voucher(
    *, actor, voucher: Voucher, amount: Decimal, order, now, actor_label: str = ""
) -> None:
    voucher = Voucher.objects.select_related("account").get(pk=voucher.pk)
    state = voucher.state(now)
    if state != "active":
        raise DomainError(
            _("Voucher %(code)s cannot be used: %(state)s.")
            % {"code": voucher.code, "state": voucher.STATE_LABELS[state]},
            field="voucher",
        )
    ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.VOUCHER_SPEND,
        amount=amount,
        source=voucher.account,
        target=None,
        order=order,
        reason=_("Order %(no)s") % {"no": order.order_no},
        field="voucher",
        actor_label=actor_label,
    )


# ---------------------------------------------------------------- resources


@transaction.atomic
def resource_renew(
    *,
    actor,
    resource: Resource,
    periods: int = 1,
    voucher: Voucher | None = None,
    source: str = Order.Source.PORTAL,
    order_no: str | None = None,
    now: datetime | None = None,
) -> Order:
    """Renew a yearly/monthly resource for `periods` months or years, paid from the
    customer's hosted account (a voucher first, if one is given). Refused with the reason
    when the account cannot pay."""
    if actor is not None:  # None: the auto-renew sweep
        require(actor, MOVE_MONEY, partner_id=resource.partner_id)
    now = now or timezone.now()
    resource = Resource.objects.select_for_update().select_related("product").get(pk=resource.pk)
    try:
        periods = int(periods)
    except (TypeError, ValueError):
        periods = 0
    if not 1 <= periods <= MAX_RENEWAL_PERIODS:
        raise DomainError(_("Renew for 1 to 36 periods."), field="periods")
    if resource.status == Resource.Status.UNSUBSCRIBED:
        raise DomainError(_("This resource was unsubscribed; it cannot be renewed."))
    association = (
        Association.objects.select_related("partner").filter(pk=resource.association_id).first()
    )
    if association is None or not association.is_active:
        raise DomainError(_("The customer is not associated with a partner any more."))
    if not association.hosted:
        raise DomainError(
            _(
                "This customer pays from its own main account (referral model); it renews on "
                "the vendor's site."
            )
        )
    account = Account.objects.get(association=association)
    amount = resource.renewal_price * periods
    voucher_amount = ZERO
    if voucher is not None:
        if (
            voucher.customer_id != resource.customer_id
            or voucher.partner_id != association.partner_id
        ):
            raise DomainError(_("This voucher belongs to another customer."), field="voucher")
        voucher_amount = min(Voucher.objects.get(pk=voucher.pk).account.balance, amount)
    order = Order.objects.create(
        order_no=order_no or f"PCR{now:%Y%m%d%H%M%S}{secrets.token_hex(3).upper()}",
        order_type=Order.Type.RENEWAL,
        customer_id=resource.customer_id,
        partner=association.partner,
        distributor_id=association.partner.parent_distributor_id,
        association=association,
        attributed_to=Attribution.HOSTED_SUB_ACCOUNT,
        account=account,
        product=resource.product,
        amount=amount,
        voucher_amount=voucher_amount,
        voucher=voucher if voucher_amount > 0 else None,
        formed_at=now,
        billing_period=billing_period_of(now),
        source=source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    OrderLine.objects.create(order=order, resource=resource, amount=amount, periods=periods)
    label = AUTO_RENEW if source == Order.Source.AUTO_RENEW else ""
    if voucher_amount > 0:
        _spend_voucher(
            actor=actor,
            voucher=voucher,
            amount=voucher_amount,
            order=order,
            now=now,
            actor_label=label,
        )
    if amount - voucher_amount > 0:
        _spend(
            actor=actor,
            account=account,
            amount=amount - voucher_amount,
            entry_type=LedgerEntry.Type.RENEWAL,
            order=order,
            reason=_("Renewal of %(name)s") % {"name": resource.name},
            now=now,
            actor_label=label,
        )
    before = resource.expires_at
    resource.expires_at = add_periods(max(resource.expires_at, now), resource.period_unit, periods)
    resource.status = Resource.Status.ACTIVE
    resource.last_auto_renew_error = ""
    resource.save(update_fields=["expires_at", "status", "last_auto_renew_error"])
    record_event(
        actor=actor,
        subject=resource,
        verb=Verb.RESOURCE_RENEWED,
        reason=order.order_no,
        data={
            "periods": periods,
            "from": before.isoformat(),
            "to": resource.expires_at.isoformat(),
            "amount": str(amount),
            "auto": source == Order.Source.AUTO_RENEW,
        },
        actor_label=AUTO_RENEW if actor is None else "",
    )
    return order


@transaction.atomic
def resource_set_auto_renew(*, actor, resource: Resource, enabled: bool) -> Resource:
    """Set or cancel auto-renew. The portal renews only resources paid from a hosted
    account; a referral-model customer sets it on the vendor's site."""
    require(actor, SWITCH_AUTO_RENEW, partner_id=resource.partner_id)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    if (
        actor.role == Role.CUSTOMER
        and not Customer.objects.filter(pk=resource.customer_id, user=actor).exists()
    ):
        raise NotAllowed  # a customer switches only its own resources
    if resource.status == Resource.Status.UNSUBSCRIBED:
        raise DomainError(_("This resource was unsubscribed."))
    association = Association.objects.filter(pk=resource.association_id).first()
    if enabled and (association is None or not association.is_active or not association.hosted):
        raise DomainError(
            _(
                "Auto-renew in the portal pays from the partner-hosted account; this "
                "resource is paid from the customer's own main account."
            )
        )
    if resource.auto_renew == enabled:
        return resource
    resource.auto_renew = enabled
    resource.last_auto_renew_error = ""
    resource.save(update_fields=["auto_renew", "last_auto_renew_error"])
    record_event(
        actor=actor,
        subject=resource,
        verb=Verb.RESOURCE_AUTO_RENEW_ON if enabled else "resource.auto_renew_off",
    )
    return resource


def auto_renew_order_no(resource: Resource) -> str:
    """One number per resource and expiry: a second run cannot renew the same period twice."""
    return f"AR-{resource.pk}-{resource.expires_at:%Y%m%d%H%M%S}"


@dataclass
class AutoRenewResult:
    renewed: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def auto_renew_due(*, now: datetime | None = None) -> AutoRenewResult:
    """Renew, one period each, the resources with auto-renew on that expire within
    AUTO_RENEW_LEAD. Safe to run late or twice: a renewed resource is no longer due, and each
    renewal's order number is fixed by the resource and its old expiry."""
    now = now or timezone.now()
    result = AutoRenewResult()
    due = Resource.objects.filter(
        auto_renew=True,
        status=Resource.Status.ACTIVE,
        expires_at__lte=now + AUTO_RENEW_LEAD,
        association__state=Association.State.ACTIVE,
        association__billing_model=BillingModel.RESELLER,
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            resource = Resource.objects.select_for_update().get(pk=pk)
            if not (
                resource.auto_renew
                and resource.status == Resource.Status.ACTIVE
                and resource.expires_at <= now + AUTO_RENEW_LEAD
            ):
                continue
            order_no = auto_renew_order_no(resource)
            if Order.objects.filter(order_no=order_no).exists():
                continue
            try:
                with transaction.atomic():
                    resource_renew(
                        actor=None,
                        resource=resource,
                        periods=1,
                        source=Order.Source.AUTO_RENEW,
                        order_no=order_no,
                        now=now,
                    )
                result.renewed.append(resource.resource_id)
            except DomainError as exc:
                message = str(exc.message)
                result.failed[resource.resource_id] = message
                first_failure = resource.last_auto_renew_error != message
                Resource.objects.filter(pk=pk).update(last_auto_renew_error=message[:300])
                if first_failure:
                    record_event(
                        actor=None,
                        subject=resource,
                        verb=Verb.RESOURCE_AUTO_RENEW_FAILED,
                        reason=message,
                        actor_label=AUTO_RENEW,
                    )
                    if resource.partner_id:
                        notify(
                            recipients=list(partner_admins(resource.partner_id)),
                            kind="customers.auto_renew_failed",
                            title=_("Auto-renewal of %(name)s failed") % {"name": resource.name},
                            body=message,
                            link=reverse("customers:resources") + "?expiring=1",
                        )
    return result


def resources_mark_expired(*, now: datetime | None = None) -> int:
    """Set-based: active resources past their expiry become expired. Idempotent."""
    now = now or timezone.now()
    return Resource.objects.filter(status=Resource.Status.ACTIVE, expires_at__lte=now).update(
        status=Resource.Status.EXPIRED
    )


# ---------------------------------------------------------------- distributor -> reseller


def _check_reseller_of(actor, reseller: Partner) -> None:
    if reseller.parent_distributor_id is None or reseller.parent_distributor_id != getattr(
        actor, "partner_id", None
    ):
        raise DomainError(_("This partner is not one of your tier-2 resellers."))


def _notify_reseller(reseller: Partner, title: str) -> None:
    notify(
        recipients=list(partner_admins(reseller.pk)),
        kind="customers.reseller_funds",
        title=title,
        link=reverse("customers:funds"),
    )


@transaction.atomic
def reseller_fund(
    *,
    actor,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor allocates money to a tier-2 reseller."""
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.RESELLER_FUND,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_FUND,
        amount=amount,
        source=None,
        target=account,
        reason=reason or _("Funded by %(d)s") % {"d": actor.partner.name},
    )
    _notify_reseller(
        reseller,
        _("%(d)s allocated %(amount)s to you")
        % {"d": actor.partner.name, "amount": cny(movement.into.amount)},
    )
    return movement.into


@transaction.atomic
def reseller_reclaim(
    *,
    actor,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor takes back funds the reseller has not passed on to customers."""
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.RESELLER_RECLAIM,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.RESELLER_FUNDS)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.DISTRIBUTOR_RECLAIM,
        amount=amount,
        source=account,
        target=None,
        reason=reason or _("Reclaimed by %(d)s") % {"d": actor.partner.name},
    )
    return movement.out


@transaction.atomic
def reseller_grant_quota(
    *,
    actor,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor grants voucher quota to a tier-2 reseller."""
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.GRANT_QUOTA,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.VOUCHER_QUOTA)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.QUOTA_GRANT,
        amount=amount,
        source=None,
        target=account,
        reason=reason or _("Granted by %(d)s") % {"d": actor.partner.name},
    )
    _notify_reseller(
        reseller,
        _("%(d)s granted you %(amount)s of voucher quota")
        % {"d": actor.partner.name, "amount": cny(movement.into.amount)},
    )
    return movement.into


@transaction.atomic
def reseller_reduce_quota(
    *,
    actor,
    reseller: Partner,
    amount,
    reason: str = "",
    approval: MoneyRequest | None = None,
) -> LedgerEntry | MoneyRequest:
    """The distributor takes back voucher quota the reseller has not issued."""
    require(actor, FUND_RESELLERS)
    _check_reseller_of(actor, reseller)
    amount = ledger.to_money(amount)
    if _needs_approval(reseller.parent_distributor_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=reseller.parent_distributor_id,
            operation=MoneyRequest.Operation.REDUCE_QUOTA,
            amount=amount,
            reseller=reseller,
            reason=reason,
        )
    account = _reseller_account(reseller, Account.Kind.VOUCHER_QUOTA)
    movement = ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.QUOTA_REDUCE,
        amount=amount,
        source=account,
        target=None,
        reason=reason or _("Reduced by %(d)s") % {"d": actor.partner.name},
    )
    return movement.out


# ---------------------------------------------------------------- vouchers


def _new_voucher_code() -> str:
    while True:
        code = "V" + secrets.token_hex(6).upper()
        if not Voucher.objects.filter(code=code).exists():
            return code


@transaction.atomic
def voucher_issue(
    *,
    actor,
    association: Association,
    face_value,
    valid_until: datetime,
    now: datetime | None = None,
    approval: MoneyRequest | None = None,
) -> Voucher | MoneyRequest:
    """A reseller issues a voucher to one of its customers from its voucher quota (above the
    partner's limit: a request a second admin approves)."""
    require(actor, ISSUE_VOUCHERS)
    now = now or timezone.now()
    if association.partner_id != actor.partner_id or not association.is_active:
        raise DomainError(_("Choose one of your associated customers."), field="customer")
    check_date(valid_until, field="valid_until")
    if valid_until <= now:
        raise DomainError(_("The voucher must be valid in the future."), field="valid_until")
    amount = ledger.to_money(face_value, field="face_value")
    if _needs_approval(association.partner_id, amount, approval):
        return _ask_approval(
            actor=actor,
            partner_id=association.partner_id,
            operation=MoneyRequest.Operation.VOUCHER_ISSUE,
            amount=amount,
            association=association,
            reason="",
            valid_until=valid_until,
        )
    quota = Account.objects.filter(
        partner_id=actor.partner_id, kind=Account.Kind.VOUCHER_QUOTA
    ).first()
    if quota is None:
        raise DomainError(
            _("Your distributor has not granted you voucher quota yet."), field="face_value"
        )
    account = Account.objects.create(kind=Account.Kind.VOUCHER, partner_id=actor.partner_id)
    voucher = Voucher.objects.create(
        code=_new_voucher_code(),
        partner_id=actor.partner_id,
        customer_id=association.customer_id,
        association=association,
        account=account,
        face_value=amount,
        valid_until=valid_until,
        issued_by=actor,
        issued_at=now,
    )
    ledger.move(
        actor=actor,
        entry_type=LedgerEntry.Type.VOUCHER_ISSUE,
        amount=amount,
        source=quota,
        target=account,
        reason=_("Voucher %(code)s") % {"code": voucher.code},
        field="face_value",
    )
    record_event(
        actor=actor, subject=voucher, verb=Verb.VOUCHER_ISSUED, partner_id=actor.partner_id
    )
    customer_user = association.customer.user
    if customer_user is not None:
        notify(
            recipients=[customer_user],
            kind="customers.voucher",
            title=_("You received a voucher of %(amount)s") % {"amount": cny(amount)},
            link=reverse("customers:my_vouchers"),
        )
    return voucher


def _voucher_return(*, actor, voucher: Voucher, reason: str, now: datetime) -> None:
    remaining = Account.objects.get(pk=voucher.account_id).balance
    if remaining > 0:
        quota = _reseller_account(voucher.partner, Account.Kind.VOUCHER_QUOTA)
        ledger.move(
            actor=actor,
            entry_type=LedgerEntry.Type.VOUCHER_REVOKE,
            amount=remaining,
            source=voucher.account,
            target=quota,
            reason=reason,
        )
    Voucher.objects.filter(pk=voucher.pk).update(revoked_at=now)
    record_event(
        actor=actor,
        subject=voucher,
        verb=Verb.VOUCHER_REVOKED,
        reason=reason,
        partner_id=voucher.partner_id,
        data={"returned": str(remaining)},
    )


@transaction.atomic
def voucher_revoke(*, actor, voucher: Voucher, now: datetime | None = None) -> Voucher:
    """Withdraw a voucher; what is left on it goes back to the reseller's quota."""
    require(actor, REVOKE_VOUCHERS, partner_id=voucher.partner_id)
    now = now or timezone.now()
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.revoked_at is not None:
        raise DomainError(_("This voucher was revoked already."))
    _voucher_return(actor=actor, voucher=voucher, reason=_("Revoked by the partner"), now=now)
    voucher.refresh_from_db()
    return voucher


# ---------------------------------------------------------------- vendor records


@dataclass
class LineData:
    resource_id: str
    amount: Decimal
    name: str = ""
    region: str = ""
    period_unit: str = Resource.PeriodUnit.MONTH
    periods: int = 1
    renewal_price: Decimal | None = None
    expires_at: datetime | None = None
    original_order_no: str = ""


@dataclass
class OrderData:
    order_no: str
    customer_account: str
    order_type: str
    product_code: str
    amount: Decimal
    formed_at: datetime
    lines: list[LineData]
    product_name: str = ""
    voucher_code: str = ""
    voucher_amount: Decimal = ZERO


@dataclass
class ConsumptionData:
    record_no: str
    customer_account: str
    product_code: str
    amount: Decimal
    consumed_at: datetime
    product_name: str = ""
    resource_id: str = ""
    order_no: str = ""
    voucher_code: str = ""
    voucher_amount: Decimal = ZERO


def _product(code: str, name: str) -> Product:
    product, created = Product.objects.get_or_create(code=code, defaults={"name": name or code})
    if not created and name and product.name != name:
        product.name = name
        product.save(update_fields=["name"])
    return product


def _attribution(customer: Customer, moment: datetime) -> dict:
    assoc = association_at(customer, moment)
    if assoc is None:
        return {
            "association": None,
            "partner": None,
            "distributor_id": None,
            "attributed_to": Attribution.MAIN_ACCOUNT,
            "account": None,
        }
    partner = assoc.partner
    return {
        "association": assoc,
        "partner": partner,
        "distributor_id": partner.parent_distributor_id,
        "attributed_to": Attribution.HOSTED_SUB_ACCOUNT
        if assoc.hosted
        else Attribution.MAIN_ACCOUNT,
        "account": Account.objects.filter(association=assoc).first() if assoc.hosted else None,
    }


def _voucher_for(customer: Customer, code: str, amount: Decimal) -> Voucher | None:
    if amount <= 0:
        return None
    if not code:
        raise DomainError(_("A voucher amount needs the voucher code."), field="voucher_code")
    voucher = Voucher.objects.filter(code=code, customer=customer).first()
    if voucher is None:
        raise DomainError(_("No such voucher for this customer."), field="voucher_code")
    return voucher


@transaction.atomic
def order_record(*, actor, data: OrderData, now: datetime | None = None) -> tuple[Order, bool]:
    """Record an order from the vendor's site; returns (order, created). An order number
    recorded before is left alone (idempotent). A hosted customer's account pays for a new
    purchase, renewal or upgrade (a voucher first), and gets the refund of an unsubscribe or
    downgrade."""
    now = now or timezone.now()
    existing = Order.objects.filter(order_no=data.order_no).first()
    if existing is not None:
        return existing, False
    if data.order_type not in Order.Type.values:
        raise DomainError(_("Unknown order type."), field="type")
    if data.formed_at > now:
        raise DomainError(_("The order is formed in the future."), field="formed_at")
    customer = Customer.objects.filter(account_name=data.customer_account).first()
    if customer is None:
        raise DomainError(_("Unknown customer account."), field="customer_account")
    if not data.lines:
        raise DomainError(_("An order needs at least one resource line."), field="lines")
    amount = ledger.to_money(data.amount, allow_zero=True)
    voucher_amount = ledger.to_money(data.voucher_amount, field="voucher_amount", allow_zero=True)
    if sum((ledger.to_money(line.amount, allow_zero=True) for line in data.lines), ZERO) != amount:
        raise DomainError(_("The lines do not add up to the order amount."), field="lines")
    is_refund = data.order_type in Order.REFUND_TYPES
    if is_refund and voucher_amount > 0:
        raise DomainError(_("A refund carries no voucher amount."), field="voucher_amount")
    if voucher_amount > amount:
        raise DomainError(_("The voucher pays more than the order."), field="voucher_amount")
    voucher = _voucher_for(customer, data.voucher_code, voucher_amount)
    attribution = _attribution(customer, data.formed_at)
    product = _product(data.product_code, data.product_name)
    order = Order.objects.create(
        order_no=data.order_no,
        order_type=data.order_type,
        customer=customer,
        product=product,
        amount=amount,
        voucher_amount=voucher_amount,
        voucher=voucher,
        formed_at=data.formed_at,
        billing_period=billing_period_of(data.formed_at),
        source=Order.Source.VENDOR_SITE,
        **attribution,
    )
    for line in data.lines:
        _record_line(
            order=order, customer=customer, product=product, line=line, attribution=attribution
        )
    account = attribution["account"]
    if voucher is not None:
        _spend_voucher(
            actor=actor,
            voucher=voucher,
            amount=voucher_amount,
            order=order,
            now=data.formed_at,
            actor_label=VENDOR_SITE,
        )
    cash = amount - voucher_amount
    if account is not None and cash > 0:
        if is_refund:
            if account.closed_at is not None:
                raise DomainError(
                    _("The customer's hosted account was closed when it was unbound."),
                    field="customer_account",
                )
            ledger.move(
                actor=actor,
                entry_type=LedgerEntry.Type.REFUND,
                amount=cash,
                source=None,
                target=account,
                order=order,
                reason=_("Refund of order %(no)s") % {"no": order.order_no},
                actor_label=VENDOR_SITE,
            )
        else:
            _spend(
                actor=actor,
                account=account,
                amount=cash,
                entry_type=ORDER_ENTRY_TYPE[Order.Type(data.order_type)],
                order=order,
                reason=_("Order %(no)s") % {"no": order.order_no},
                now=now,
                actor_label=VENDOR_SITE,
            )
    return order, True


def _record_line(
    *, order: Order, customer: Customer, product: Product, line: LineData, attribution
):
    resource = Resource.objects.select_for_update().filter(resource_id=line.resource_id).first()
    amount = ledger.to_money(line.amount, allow_zero=True)
    original = None
    if resource is not None and resource.customer_id != customer.pk:
        raise DomainError(
            _("Resource %(id)s belongs to another customer.") % {"id": line.resource_id},
            field="lines",
        )
    if order.order_type == Order.Type.NEW:
        if resource is not None:
            raise DomainError(
                _("Resource %(id)s exists already.") % {"id": line.resource_id}, field="lines"
            )
        if line.expires_at is None:
            raise DomainError(_("A new resource needs its expiry date."), field="lines")
        if line.period_unit not in Resource.PeriodUnit.values:
            raise DomainError(_("Unknown billing mode."), field="lines")
        association = attribution["association"]
        current = association if association is not None and association.is_active else None
        resource = Resource.objects.create(
            resource_id=line.resource_id,
            name=line.name or product.name,
            customer=customer,
            partner=current.partner if current else None,
            association=current,
            product=product,
            region=line.region,
            period_unit=line.period_unit,
            renewal_price=ledger.to_money(
                line.renewal_price if line.renewal_price is not None else amount, allow_zero=True
            ),
            started_at=order.formed_at,
            expires_at=line.expires_at,
            original_order=order,
        )
    else:
        if resource is None:
            raise DomainError(
                _("Unknown resource %(id)s.") % {"id": line.resource_id}, field="lines"
            )
        update = []
        if line.expires_at is not None and order.order_type in (
            Order.Type.RENEWAL,
            Order.Type.UPGRADE,
            Order.Type.DOWNGRADE,
        ):
            resource.expires_at = line.expires_at
            update.append("expires_at")
            if order.order_type == Order.Type.RENEWAL:
                resource.status = Resource.Status.ACTIVE
                update.append("status")
        if line.renewal_price is not None and order.order_type in (
            Order.Type.UPGRADE,
            Order.Type.DOWNGRADE,
        ):
            resource.renewal_price = ledger.to_money(line.renewal_price, allow_zero=True)
            update.append("renewal_price")
        if order.order_type == Order.Type.UNSUBSCRIBE:
            resource.status = Resource.Status.UNSUBSCRIBED
            resource.auto_renew = False
            update += ["status", "auto_renew"]
        if update:
            resource.save(update_fields=update)
        if order.order_type in Order.REFUND_TYPES:
            if line.original_order_no:
                original = Order.objects.filter(
                    order_no=line.original_order_no, customer=customer
                ).first()
                if original is None:
                    raise DomainError(
                        _("Unknown original order %(no)s.") % {"no": line.original_order_no},
                        field="lines",
                    )
            else:
                original = resource.original_order
    OrderLine.objects.create(
        order=order,
        resource=resource,
        amount=amount,
        periods=line.periods if order.order_type in (Order.Type.NEW, Order.Type.RENEWAL) else 0,
        original_order=original,
    )


@transaction.atomic
def consumption_record(
    *, actor, data: ConsumptionData, now: datetime | None = None
) -> tuple[ConsumptionRecord, bool]:
    """Record usage from the vendor's site; idempotent by record number. It is booked to the
    partner-hosted sub-account when the customer was associated in the reseller model at
    `consumed_at`, otherwise to the customer's own main account. Usage is settled in the
    partner's bill, not from the hosted account's balance [our rule]; a voucher it names pays
    its part."""
    now = now or timezone.now()
    existing = ConsumptionRecord.objects.filter(record_no=data.record_no).first()
    if existing is not None:
        return existing, False
    if data.consumed_at > now:
        raise DomainError(_("The consumption is in the future."), field="consumed_at")
    customer = Customer.objects.filter(account_name=data.customer_account).first()
    if customer is None:
        raise DomainError(_("Unknown customer account."), field="customer_account")
    amount = ledger.to_money(data.amount, allow_zero=True)
    voucher_amount = ledger.to_money(data.voucher_amount, field="voucher_amount", allow_zero=True)
    if voucher_amount > amount:
        raise DomainError(_("The voucher pays more than the consumption."), field="voucher_amount")
    voucher = _voucher_for(customer, data.voucher_code, voucher_amount)
    resource = None
    if data.resource_id:
        resource = Resource.objects.filter(resource_id=data.resource_id, customer=customer).first()
        if resource is None:
            raise DomainError(
                _("Unknown resource %(id)s.") % {"id": data.resource_id}, field="resource_id"
            )
    order = None
    if data.order_no:
        order = Order.objects.filter(order_no=data.order_no, customer=customer).first()
        if order is None:
            raise DomainError(_("Unknown order %(no)s.") % {"no": data.order_no}, field="order_no")
    record = ConsumptionRecord.objects.create(
        record_no=data.record_no,
        customer=customer,
        product=_product(data.product_code, data.product_name),
        amount=amount,
        voucher_amount=voucher_amount,
        consumed_at=data.consumed_at,
        billing_period=billing_period_of(data.consumed_at),
        resource=resource,
        order=order,
        **_attribution(customer, data.consumed_at),
    )
    if voucher is not None:
        voucher = Voucher.objects.select_related("account").get(pk=voucher.pk)
        state = voucher.state(data.consumed_at)
        if state != "active":
            raise DomainError(
                _("Voucher %(code)s cannot be used: %(state)s.")
                % {"code": voucher.code, "state": voucher.STATE_LABELS[state]},
                field="voucher_code",
            )
        ledger.move(
            actor=actor,
            entry_type=LedgerEntry.Type.VOUCHER_SPEND,
            amount=voucher_amount,
            source=voucher.account,
            target=None,
            reason=_("Consumption %(no)s") % {"no": record.record_no},
            field="voucher_code",
            actor_label=VENDOR_SITE,
        )
    return record, True
