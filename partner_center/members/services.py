"""Writes for members (invitations, links) and for the partner profile (contact details with
confirmation codes, legal representative). Every change is recorded as an event."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import PARTNER_ROLES, VENDOR_ROLES, Role
from partner_center.accounts.sms import send_sms
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.models import Subscription
from partner_center.notifications.services import notify
from partner_center.validators import clean_name, clean_phone

from .models import (
    INVITATION_VALIDITY_DAYS,
    INVITATIONS_PER_DAY,
    LINK_LIMIT_PARTNERS,
    LINK_LIMIT_WINDOW_DAYS,
    ContactChange,
    Membership,
)
from .permissions import (
    MANAGE_MEMBERS,
    MANAGE_MEMBERS_OR_ADMIN,
    MANAGE_PROFILE,
    MANAGE_PROFILE_OR_ADMIN,
)
from .signals import member_left
from .transitions import MEMBERSHIP

CODE_VALIDITY = timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5

# ---------------------------------------------------------------------------------------
# Invitations and links
# ---------------------------------------------------------------------------------------


def _start_of_today() -> datetime:
    """Midnight of today in China Standard Time: the daily invitation quota resets then."""
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def invitation_refusal(*, partner: Partner, invitee: User, now: datetime | None = None) -> str:
    """Why `invitee` can't be invited to `partner` ("" when it can). The checks run in the
    order the help center lists them."""
    now = now or timezone.now()
    if invitee.role in VENDOR_ROLES or invitee.is_superuser:
        return _("Vendor staff accounts can't be linked to a partner.")
    if not invitee.is_active:
        return _("This account is deactivated.")
    if invitee.real_name_status == User.RealName.ENTERPRISE:
        return _(
            "This account is real-name verified as an enterprise. Only a person's account "
            "can be linked."
        )
    if invitee.partner_id == partner.pk:
        return _("This person is already a member of your partner.")
    if (
        invitee.partner_id is not None
        or Membership.objects.filter(user=invitee, state=Membership.State.LINKED)
        .exclude(partner=partner)
        .exists()
    ):
        return _("This account is already linked to another partner.")
    if invitee.site == User.Site.MAINLAND and invitee.real_name_status == User.RealName.NONE:
        return _(
            "This account is not real-name verified. On the mainland China site a person "
            "must verify their real name before being linked."
        )
    if invitee.is_partner_account:
        return _("This is a partner's own account. Invite a person's account instead.")
    since = now - timedelta(days=LINK_LIMIT_WINDOW_DAYS)
    partners_linked = (
        Membership.objects.overlapping(since)
        .filter(user=invitee)
        .values("partner_id")
        .distinct()
        .count()
    )
    if partners_linked >= LINK_LIMIT_PARTNERS:
        return _(
            "This account has been linked to %(n)s partners within the last %(days)s days."
        ) % {"n": LINK_LIMIT_PARTNERS, "days": LINK_LIMIT_WINDOW_DAYS}
    return ""


def invitations_left_today(partner: Partner) -> int:
    sent = Membership.objects.filter(
        partner=partner, invited_by__isnull=False, invited_at__gte=_start_of_today()
    ).count()
    return max(INVITATIONS_PER_DAY - sent, 0)


def invitation_url(membership: Membership) -> str:
    return reverse("members:invitation", kwargs={"token": membership.token})


@transaction.atomic
def member_invite(*, actor: User, partner: Partner, email: str) -> Membership:
    """Invite the account with this e-mail to become a project specialist of `partner`."""
    require(actor, MANAGE_MEMBERS, partner_id=partner.pk)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)  # serializes the quota
    if not partner.is_active:
        raise DomainError(_("This partner account is deregistered."))
    email = (email or "").strip().lower()
    invitee = User.objects.filter(email=email).first()
    if invitee is None:
        raise DomainError(
            _("No account uses this e-mail. Ask the person to register first."), field="email"
        )
    now = timezone.now()
    # An invitation whose link ran out no longer blocks a new one.
    MEMBERSHIP.apply_bulk(
        Membership.objects.filter(partner=partner, user=invitee, expires_at__lte=now),
        "expire",
        at=now,
    )
    reason = invitation_refusal(partner=partner, invitee=invitee, now=now)
    if reason:
        raise DomainError(reason, field="email")
    pending = Membership.objects.filter(
        partner=partner, user=invitee, state=Membership.State.INVITED
    ).first()
    if pending is not None:
        raise DomainError(
            _("This person has an open invitation already, valid until %(when)s.")
            % {"when": timezone.localtime(pending.expires_at).strftime("%Y-%m-%d %H:%M")},
            field="email",
        )
    if invitations_left_today(partner) <= 0:
        raise DomainError(
            _("Your partner has sent %(n)s invitations today, the daily limit. Try again tomorrow.")
            % {"n": INVITATIONS_PER_DAY}
        )
    membership = Membership.objects.create(
        partner=partner,
        user=invitee,
        state=Membership.State.INVITED,
        invited_by=actor,
        invited_at=now,
        expires_at=now + timedelta(days=INVITATION_VALIDITY_DAYS),
        token=secrets.token_urlsafe(32),
    )
    MEMBERSHIP.record_created(membership, "invite", actor=actor, data={"email": invitee.email})
    notify(
        recipients=[invitee],
        kind="members.invited",
        title=msg("%(partner)s invites you to join as a project specialist", partner=partner.name),
        body=msg(
            "Open the link to accept or decline. It works once and is valid for %(days)s days.",
            days=INVITATION_VALIDITY_DAYS,
        ),
        link=invitation_url(membership),
    )
    return membership


def invitation_by_token(token: str) -> Membership | None:
    return (
        Membership.objects.select_related("partner", "invited_by", "user")
        .filter(token=token, invited_by__isnull=False)
        .first()
    )


def _check_answerable(membership: Membership, actor: User, now: datetime) -> None:
    if membership.user_id != actor.pk:
        raise DomainError(_("This invitation is for another account. Sign in with that one."))
    if membership.state != Membership.State.INVITED:
        raise DomainError(_("This invitation link has been used or withdrawn already."))
    if membership.expires_at <= now:
        raise DomainError(
            _("This invitation link expired. Ask the partner admin to invite you again.")
        )


@transaction.atomic
def invitation_accept(*, actor: User, membership: Membership) -> Membership:
    """The invited person accepts: they become a project specialist of the partner."""
    membership = _lock(membership)
    user = User.objects.select_for_update().get(pk=actor.pk)
    partner = Partner.objects.get(pk=membership.partner_id)
    now = timezone.now()
    _check_answerable(membership, user, now)
    if not partner.is_active:
        raise DomainError(_("This partner account is deregistered."))
    # The person's account may have changed since the invitation: check again.
    reason = invitation_refusal(partner=partner, invitee=user, now=now)
    if reason:
        raise DomainError(reason)
    MEMBERSHIP.apply(membership, "accept", actor=user, changes={"linked_at": now}, locked=True)
    user.partner = partner
    user.role = Role.PARTNER_MEMBER
    user.can_move_money = False
    user.save(update_fields=["partner", "role", "can_move_money"])
    if membership.invited_by_id:
        notify(
            recipients=User.objects.filter(pk=membership.invited_by_id),
            kind="members.accepted",
            title=msg("%(person)s accepted your invitation", person=str(user)),
            link=reverse("members:list"),
        )
    return membership


def _lock(membership: Membership) -> Membership:
    return Membership.objects.select_for_update().get(pk=membership.pk)


def _managed(actor: User, membership: Membership, transition: str, refusal: str) -> Membership:
    """The membership locked for its partner's admin; `refusal` when `transition` does not
    apply to it."""
    require(actor, MANAGE_MEMBERS_OR_ADMIN, partner_id=membership.partner_id)
    membership = _lock(membership)
    if not MEMBERSHIP.can(membership, transition):
        raise DomainError(refusal, code="wrong_state")
    return membership


@transaction.atomic
def invitation_decline(*, actor: User, membership: Membership) -> Membership:
    membership = _lock(membership)
    _check_answerable(membership, actor, timezone.now())
    MEMBERSHIP.apply(membership, "decline", actor=actor, locked=True)
    return membership


@transaction.atomic
def invitation_withdraw(*, actor: User, membership: Membership) -> Membership:
    """The partner admin takes back an invitation that has not been used."""
    membership = _managed(
        actor, membership, "withdraw", _("Only an open invitation can be withdrawn.")
    )
    MEMBERSHIP.apply(membership, "withdraw", actor=actor, locked=True)
    return membership


@transaction.atomic
def member_unlink(*, actor: User, membership: Membership) -> Membership:
    """End a member's link: the person keeps the account, without the partner."""
    membership = _managed(actor, membership, "unlink", _("Only a linked member can be unlinked."))
    if membership.user_id == getattr(actor, "pk", None):
        raise DomainError(_("You can't unlink yourself."))
    _unlink(membership, actor=actor, at=timezone.now())
    User.objects.filter(pk=membership.user_id, partner_id=membership.partner_id).update(
        partner=None, role=Role.CUSTOMER, can_move_money=False
    )
    member_left.send(
        sender=Membership, user=membership.user, partner_id=membership.partner_id, actor=actor
    )
    Subscription.objects.filter(user_id=membership.user_id).delete()  # partner's topics
    notify(
        recipients=User.objects.filter(pk=membership.user_id),
        kind="members.unlinked",
        title=msg("Your link to %(partner)s has ended", partner=membership.partner.name),
    )
    return membership


def _unlink(membership: Membership, *, actor, at: datetime, locked: bool = True) -> None:
    MEMBERSHIP.apply(
        membership,
        "unlink",
        actor=actor,
        changes={
            "unlinked_at": at,
            "unlinked_by": actor if getattr(actor, "pk", None) else None,
        },
        locked=locked,
    )


@transaction.atomic
def member_link_existing(*, actor, user: User, at: datetime | None = None) -> Membership:
    """Record the link of a partner member who got its partner another way (Django admin,
    an import): the link history must hold every link, whatever way it was made."""
    if user.role not in PARTNER_ROLES or user.partner_id is None:
        raise DomainError(_("This account is not linked to a partner."))
    existing = Membership.objects.filter(user=user, state=Membership.State.LINKED).first()
    if existing is not None and existing.partner_id == user.partner_id:
        return existing
    when = at or timezone.now()
    if existing is not None:  # moved from one partner to another in Django admin
        _unlink(existing, actor=actor, at=when, locked=False)
    membership = Membership.objects.create(
        partner_id=user.partner_id, user=user, state=MEMBERSHIP["link"].target, linked_at=when
    )
    MEMBERSHIP.record_created(membership, "link", actor=actor)
    return membership


@transaction.atomic
def member_end_link_of(*, actor, user: User, partner_id: int) -> int:
    """Close the open link of a person whose partner was removed another way."""
    rows = list(
        Membership.objects.select_for_update().filter(
            user=user, partner_id=partner_id, state=Membership.State.LINKED
        )
    )
    for membership in rows:
        _unlink(membership, actor=actor, at=timezone.now())
    member_left.send(sender=Membership, user=user, partner_id=partner_id, actor=actor)
    return len(rows)


def member_record_partner_change(*, actor, user: User, old_partner_id: int | None) -> None:
    """Keep the link history right when a person's partner was changed outside the
    invitation flow (Django admin): close the old link, open the new one."""
    if old_partner_id == user.partner_id:
        return
    if old_partner_id:
        member_end_link_of(actor=actor, user=user, partner_id=old_partner_id)
    if user.partner_id and user.role == Role.PARTNER_MEMBER:
        member_link_existing(actor=actor, user=user)


@transaction.atomic
def member_set_money_grant(*, actor: User, membership: Membership, allowed: bool) -> User:
    """Let a member fund and reclaim customer accounts, or take that right away."""
    require(actor, MANAGE_MEMBERS_OR_ADMIN, partner_id=membership.partner_id)
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if membership.state != Membership.State.LINKED:
        raise DomainError(_("Only a linked member can hold this right."))
    user = User.objects.select_for_update().get(pk=membership.user_id)
    if user.can_move_money != allowed:
        user.can_move_money = allowed
        user.save(update_fields=["can_move_money"])
        record_event(
            actor=actor,
            subject=membership,
            verb=Verb.MEMBER_MONEY_GRANTED if allowed else Verb.MEMBER_MONEY_REVOKED,
        )
    return user


@transaction.atomic
def expire_invitations(now: datetime | None = None) -> int:
    """Store "expired" on invitations whose link ran out (the table's `expire`): one locked
    SELECT, one UPDATE and one bulk insert of events; running it late or twice gives the
    same end state."""
    now = now or timezone.now()
    return len(
        MEMBERSHIP.apply_bulk(Membership.objects.filter(expires_at__lte=now), "expire", at=now)
    )


# ---------------------------------------------------------------------------------------
# Partner profile
# ---------------------------------------------------------------------------------------


def normalize_phone(value: str) -> str:
    return re.sub(r"[\s\-()]", "", value or "")


def _clean_new_value(channel: str, value: str) -> str:
    value = (value or "").strip()
    if channel == ContactChange.Channel.EMAIL:
        value = value.lower()
        try:
            validate_email(value)
        except Exception as exc:  # django's ValidationError
            raise DomainError(_("Enter a valid e-mail address."), field="new_value") from exc
        return value
    return clean_phone(value, field="new_value")


def _send_code(channel: str, to: str, code: str, partner_name: str) -> None:
    text = _(
        "Your Partner Center confirmation code for %(partner)s is %(code)s. It is valid for "
        "%(minutes)s minutes. If you did not ask for it, ignore this message."
    ) % {"partner": partner_name, "code": code, "minutes": int(CODE_VALIDITY.total_seconds() // 60)}
    if channel == ContactChange.Channel.EMAIL:
        send_mail(_("Confirm your new contact e-mail"), text, settings.DEFAULT_FROM_EMAIL, [to])
    else:
        send_sms(to, text)


@transaction.atomic
def contact_change_start(
    *, actor: User, partner: Partner, channel: str, new_value: str
) -> ContactChange:
    """Send a code to the new e-mail address or phone; the change waits for that code."""
    require(actor, MANAGE_PROFILE, partner_id=partner.pk)
    if channel not in ContactChange.Channel.values:
        raise DomainError(_("Unknown contact channel."), field="channel")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    value = _clean_new_value(channel, new_value)
    current = (
        partner.contact_email if channel == ContactChange.Channel.EMAIL else partner.contact_phone
    )
    if value == (current or "").lower() or value == normalize_phone(current):
        raise DomainError(_("This is the current value already."), field="new_value")
    ContactChange.objects.filter(
        partner=partner, channel=channel, state=ContactChange.State.PENDING
    ).update(state=ContactChange.State.CANCELLED)
    code = f"{secrets.randbelow(1_000_000):06d}"
    change = ContactChange.objects.create(
        partner=partner,
        channel=channel,
        old_value=current or "",
        new_value=value,
        code_hash=make_password(code),
        requested_by=actor,
        expires_at=timezone.now() + CODE_VALIDITY,
    )
    record_event(
        actor=actor,
        subject=partner,
        partner_id=partner.pk,
        verb=Verb.contact_change_requested(channel),
        data={"to": change.masked_value},
    )
    from partner_center.outbox.services import enqueue

    # The code itself travels in the outbox entry (blanked once sent): only its hash is kept.
    enqueue(
        "partner_center.members.tasks.send_contact_code",
        {"change_id": change.pk, "secret_code": code},
        key=f"members.contact-code:{change.pk}",
    )
    return change


def contact_code_send(*, change_id: int, code: str) -> bool:
    """Send the confirmation code of a pending change (the outbox task's body)."""
    change = (
        ContactChange.objects.select_related("partner")
        .filter(pk=change_id, state=ContactChange.State.PENDING, expires_at__gt=timezone.now())
        .first()
    )
    if change is None:
        return False
    _send_code(change.channel, change.new_value, code, change.partner.name)
    return True


def contact_change_confirm(*, actor: User, change: ContactChange, code: str) -> Partner:
    """Apply the change when `code` is right. A wrong code counts as an attempt even though
    the caller gets an error: the error is raised after the attempt is saved."""
    error: DomainError | None = None
    with transaction.atomic():
        change = ContactChange.objects.select_for_update().get(pk=change.pk)
        if change.state != ContactChange.State.PENDING:
            error = DomainError(_("This change is no longer waiting for a code."), field="code")
        elif change.expires_at <= timezone.now():
            error = DomainError(_("The code expired. Ask for a new one."), field="code")
        elif not check_password((code or "").strip(), change.code_hash):
            change.attempts += 1
            if change.attempts >= CODE_MAX_ATTEMPTS:
                change.state = ContactChange.State.LOCKED
                error = DomainError(_("Too many wrong codes. Ask for a new code."), field="code")
            else:
                error = DomainError(
                    _("This code is not right. %(n)s tries left.")
                    % {"n": CODE_MAX_ATTEMPTS - change.attempts},
                    field="code",
                )
            change.save(update_fields=["attempts", "state"])
        else:
            partner = Partner.objects.select_for_update().get(pk=change.partner_id)
            field = (
                "contact_email"
                if change.channel == ContactChange.Channel.EMAIL
                else "contact_phone"
            )
            old = getattr(partner, field)
            setattr(partner, field, change.new_value)
            partner.save(update_fields=[field])
            change.state = ContactChange.State.CONFIRMED
            change.confirmed_at = timezone.now()
            change.save(update_fields=["state", "confirmed_at"])
            record_event(
                actor=actor,
                subject=partner,
                partner_id=partner.pk,
                verb=Verb.contact_changed(change.channel),
                data={"from": old, "to": change.new_value},
            )
    if error is not None:
        raise error
    return partner


@transaction.atomic
def contact_change_cancel(*, actor: User, change: ContactChange) -> ContactChange:
    change = ContactChange.objects.select_for_update().get(pk=change.pk)
    if change.state == ContactChange.State.PENDING:
        change.state = ContactChange.State.CANCELLED
        change.save(update_fields=["state"])
    return change


@transaction.atomic
def partner_change_legal_representative(
    *, actor: User, partner: Partner, name: str, note: str = ""
) -> Partner:
    """Record a new legal representative: who changed it, when, from whom to whom."""
    require(actor, MANAGE_PROFILE_OR_ADMIN, partner_id=partner.pk)
    name = clean_name(name or "")
    if not name:
        raise DomainError(_("Enter the new legal representative's name."), field="name")
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if name == partner.legal_representative:
        raise DomainError(_("This is the current legal representative already."), field="name")
    old = partner.legal_representative
    partner.legal_representative = name
    partner.save(update_fields=["legal_representative"])
    record_event(
        actor=actor,
        subject=partner,
        partner_id=partner.pk,
        verb=Verb.PARTNER_LEGAL_REPRESENTATIVE_CHANGED,
        reason=note,
        data={"from": old, "to": name},
    )
    return partner
