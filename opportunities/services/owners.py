"""Owners of deals (issue [5]): the partner-side owner (one of the partner's users) and the
vendor-side BD owner of opportunities and HO leads. Reassigning records an event and tells
the new owner; a user who leaves the partner hands its open deals to the partner admin.

Defaults are set where the deal is born: a PO's creator owns it, the user who accepts an HO
owns it, a lead's creator is its BD owner, a share inherits the lead's BD owner (or the
sharer's)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.accounts.permissions import PARTNER_ROLES, Role
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.recipients import partner_admins
from partner_center.notifications.services import notify

from ..models import Opportunity, VendorLead
from ..permissions import ASSIGN_OWNERS, REVIEW_OPPORTUNITIES
from ._common import S, _lock
from .leads_and_hos import _lock_lead

# A deal stays open (and keeps needing an owner) until it is rejected, declined or reclaimed.
CLOSED_STATES = (S.REJECTED, S.DECLINED, S.EXPIRED)


def open_deals_q() -> Q:
    return ~Q(state__in=CLOSED_STATES)


def _name(user) -> str:
    return str(user) if user is not None else ""


def _check_partner_user(user, partner_id: int) -> None:
    if (
        user is None
        or not user.is_active
        or user.partner_id != partner_id
        or user.role not in PARTNER_ROLES
    ):
        raise DomainError(_("Choose an active user of this partner."), field="owner")


def _check_bd_user(user) -> None:
    if user is None or not user.is_active or user.role != Role.BD:
        raise DomainError(_("Choose an active BD user."), field="bd_owner")


def _tell_new_owner(user, actor, *, title, body: str, link: str) -> None:
    if user is None or user.pk == getattr(actor, "pk", None):
        return
    notify(
        recipients=[user], kind="opportunities.owner_assigned", title=title, body=body, link=link
    )


def _reassign(obj, field: str, new_owner, *, actor, verb, title, body: str, link: str):
    """Set `obj.<field>` (locked row), record the change, tell the new owner."""
    previous = getattr(obj, field)
    if previous is not None and previous.pk == new_owner.pk:
        return obj
    setattr(obj, field, new_owner)
    obj.save(update_fields=[field])
    record_event(
        actor=actor,
        subject=obj,
        verb=verb,
        reason=f"{_name(previous) or '–'} → {_name(new_owner)}",
        data={"from": previous.pk if previous else None, "to": new_owner.pk},
    )
    _tell_new_owner(new_owner, actor, title=title, body=body, link=link)
    return obj


@transaction.atomic
def opportunity_set_owner(*, actor, opportunity: Opportunity, owner: User) -> Opportunity:
    """The partner admin gives the deal to another active user of the partner."""
    opportunity = _lock(opportunity)
    require(actor, ASSIGN_OWNERS, partner_id=opportunity.partner_id)
    _check_partner_user(owner, opportunity.partner_id)
    return _reassign(
        opportunity,
        "owner",
        owner,
        actor=actor,
        verb=Verb.OPPORTUNITY_OWNER_CHANGED,
        title=msg("You now own opportunity #%(number)s", number=opportunity.pk),
        body=f"{opportunity.customer_name} · {opportunity.project_name}",
        link=reverse("opportunities:detail", args=[opportunity.pk]),
    )


@transaction.atomic
def opportunity_set_bd_owner(*, actor, opportunity: Opportunity, bd_owner: User) -> Opportunity:
    """BD gives the deal to another BD user."""
    require(actor, REVIEW_OPPORTUNITIES)
    opportunity = _lock(opportunity)
    _check_bd_user(bd_owner)
    return _reassign(
        opportunity,
        "bd_owner",
        bd_owner,
        actor=actor,
        verb=Verb.OPPORTUNITY_BD_OWNER_CHANGED,
        title=msg("You are now the BD owner of opportunity #%(number)s", number=opportunity.pk),
        body=f"{opportunity.partner.name} · {opportunity.customer_name}",
        link=reverse("opportunities:detail", args=[opportunity.pk]),
    )


@transaction.atomic
def lead_set_bd_owner(*, actor, lead: VendorLead, bd_owner: User) -> VendorLead:
    """BD gives a lead of the pool to another BD user (its later shares inherit it)."""
    require(actor, REVIEW_OPPORTUNITIES)
    lead = _lock_lead(lead)
    _check_bd_user(bd_owner)
    return _reassign(
        lead,
        "bd_owner",
        bd_owner,
        actor=actor,
        verb=Verb.LEAD_BD_OWNER_CHANGED,
        title=msg("You are now the BD owner of HO lead %(crm)s", crm=lead.crm_id),
        body=lead.customer_name,
        link=reverse("opportunities:lead_detail", args=[lead.pk]),
    )


@transaction.atomic
def hand_over_deals(*, actor, user: User, partner_id: int) -> int:
    """`user` left the partner (unlinked, moved, deactivated): its open deals go to the
    partner admin, one event per deal and one notification to the admin. Returns how many
    deals moved. Without an active admin the deals keep no owner (the admin sees them in
    the list, owner empty)."""
    deals = list(
        Opportunity.objects.select_for_update()
        .filter(partner_id=partner_id, owner=user)
        .filter(open_deals_q())
        .order_by("pk")
    )
    if not deals:
        return 0
    admin = partner_admins(partner_id).exclude(pk=user.pk).first()
    Opportunity.objects.filter(pk__in=[d.pk for d in deals]).update(owner=admin)
    for deal in deals:
        record_event(
            actor=actor,
            subject=deal,
            verb=Verb.OPPORTUNITY_OWNER_HANDED_OVER,
            reason=f"{_name(user)} → {_name(admin) or '–'}",
            data={"from": user.pk, "to": admin.pk if admin else None},
        )
    if admin is not None:
        notify(
            recipients=[admin],
            kind="opportunities.owner_handed_over",
            title=msg(
                "%(person)s left: %(count)s open deals are now yours",
                person=_name(user),
                count=len(deals),
            ),
            body=", ".join(f"#{d.pk}" for d in deals[:20]),
            link=reverse("opportunities:list") + "?mine=on",
        )
    return len(deals)


@transaction.atomic
def release_bd_deals(*, actor, user: User) -> int:
    """A BD user was deactivated: its open opportunities and pooled HO leads lose their BD
    owner (one event each), so they show as unassigned to the other BD staff instead of
    waiting for someone who will never sign in. Returns how many moved."""
    deals = list(
        Opportunity.objects.select_for_update()
        .filter(bd_owner=user)
        .filter(open_deals_q())
        .order_by("pk")
    )
    leads = list(
        VendorLead.objects.select_for_update()
        .filter(bd_owner=user, state=VendorLead.State.POOLED)
        .order_by("pk")
    )
    Opportunity.objects.filter(pk__in=[d.pk for d in deals]).update(bd_owner=None)
    VendorLead.objects.filter(pk__in=[lead.pk for lead in leads]).update(bd_owner=None)
    for obj, verb in [(d, Verb.OPPORTUNITY_BD_OWNER_CHANGED) for d in deals] + [
        (lead, Verb.LEAD_BD_OWNER_CHANGED) for lead in leads
    ]:
        record_event(
            actor=actor,
            subject=obj,
            verb=verb,
            reason=f"{_name(user)} → –",
            data={"from": user.pk, "to": None, "deactivated": True},
        )
    return len(deals) + len(leads)


def on_member_left(sender, *, user, partner_id, actor=None, **kwargs) -> None:
    """Receiver of `members.signals.member_left`."""
    if partner_id:
        hand_over_deals(actor=actor, user=user, partner_id=partner_id)


def assignable_owners(partner_id: int):
    """The users a partner's deal may be given to."""
    return User.objects.filter(
        partner_id=partner_id, role__in=list(PARTNER_ROLES), is_active=True
    ).order_by("full_name", "id")


def assignable_bd_owners():
    return User.objects.filter(role=Role.BD, is_active=True).order_by("full_name", "id")
