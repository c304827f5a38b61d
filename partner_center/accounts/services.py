"""Writes to partners and users. Every change of a partner is recorded as an event."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.validators import clean_name, clean_phone

from .access import require
from .models import Partner, PartnerTypeMembership, User
from .permissions import MANAGE_PARTNERS, PartnerType, Role
from .uscc import is_valid_uscc


def _check_types(types: set[str], parent_distributor: Partner | None) -> None:
    unknown = types - set(PartnerType.values)
    if unknown or not types:
        raise DomainError(_("Choose at least one known partner type."), field="types")
    if PartnerType.RESELLER in types and parent_distributor is None:
        raise DomainError(_("A tier-2 reseller needs its distributor."), field="parent_distributor")
    if parent_distributor is not None and not parent_distributor.has_type(PartnerType.DISTRIBUTOR):
        raise DomainError(_("The chosen partner is not a distributor."), field="parent_distributor")


@transaction.atomic
def partner_create(
    *,
    actor,
    name: str,
    credit_code: str,
    contact_email: str,
    types: Iterable[str],
    contact_phone: str = "",
    legal_representative: str = "",
    parent_distributor: Partner | None = None,
) -> Partner:
    code = credit_code.strip().upper()
    if not is_valid_uscc(code):
        raise DomainError(_("This unified social credit code is not valid."), field="credit_code")
    if Partner.objects.filter(credit_code=code).exists():
        raise DomainError(_("A partner with this credit code exists already."), field="credit_code")
    type_set = set(types)
    _check_types(type_set, parent_distributor)
    contact_phone = clean_phone(contact_phone, field="contact_phone")
    legal_representative = clean_name(legal_representative)
    partner = Partner.objects.create(
        name=clean_name(name),
        credit_code=code,
        contact_email=contact_email,
        contact_phone=contact_phone,
        legal_representative=legal_representative,
        parent_distributor=parent_distributor if PartnerType.RESELLER in type_set else None,
    )
    PartnerTypeMembership.objects.bulk_create(
        PartnerTypeMembership(partner=partner, partner_type=t) for t in sorted(type_set)
    )
    record_event(
        actor=actor, subject=partner, verb=Verb.PARTNER_CREATED, data={"types": sorted(type_set)}
    )
    return partner


@transaction.atomic
def partner_join_type(*, actor, partner: Partner, partner_type: str) -> PartnerTypeMembership:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner_type not in PartnerType.values:
        raise DomainError(_("Unknown partner type."), field="partner_type")
    if partner.type_memberships.filter(partner_type=partner_type, exited_at__isnull=True).exists():
        raise DomainError(_("The partner holds this type already."), field="partner_type")
    if partner_type == PartnerType.RESELLER and partner.parent_distributor_id is None:
        raise DomainError(_("A tier-2 reseller needs its distributor."), field="parent_distributor")
    membership = PartnerTypeMembership.objects.create(partner=partner, partner_type=partner_type)
    record_event(actor=actor, subject=partner, verb=Verb.PARTNER_TYPE_JOINED, to_state=partner_type)
    return membership


@transaction.atomic
def partner_exit_type(*, actor, partner: Partner, partner_type: str) -> None:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if partner_type == PartnerType.DISTRIBUTOR and partner.resellers.exists():
        raise DomainError(
            _("This distributor still manages tier-2 resellers: move them first."),
            field="types",
        )
    updated = partner.type_memberships.filter(
        partner_type=partner_type, exited_at__isnull=True
    ).update(exited_at=timezone.now())
    if not updated:
        raise DomainError(_("The partner does not hold this type."), field="partner_type")
    distributor_id = partner.parent_distributor_id  # the reseller digest names who it left
    if partner_type == PartnerType.RESELLER and partner.parent_distributor_id is not None:
        partner.parent_distributor = None
        partner.save(update_fields=["parent_distributor"])
    record_event(
        actor=actor,
        subject=partner,
        verb=Verb.PARTNER_TYPE_EXITED,
        from_state=partner_type,
        data={"distributor": distributor_id} if partner_type == PartnerType.RESELLER else None,
    )


MASTER_DATA_FIELDS = ("name", "contact_email", "contact_phone")


@transaction.atomic
def partner_update(
    *,
    actor,
    partner: Partner,
    types: Iterable[str] | None = None,
    parent_distributor: Partner | None = None,
    **changes,
) -> Partner:
    """Change a partner's master data, types and distributor as the portal's administrator
    (Django admin). The type rules of `partner_create` hold: a tier-2 reseller needs a
    distributor, a distributor can't leave while it manages resellers. The legal
    representative and contact details have their own recorded services."""
    require(actor, MANAGE_PARTNERS)
    unknown = set(changes) - set(MASTER_DATA_FIELDS)
    if unknown:
        raise DomainError(_("These fields can't be changed here."), field=sorted(unknown)[0])
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    type_set = set(partner.type_codes if types is None else types)
    if parent_distributor is not None and parent_distributor.pk == partner.pk:
        raise DomainError(_("A partner can't be its own distributor."), field="parent_distributor")
    _check_types(type_set, parent_distributor if PartnerType.RESELLER in type_set else None)
    if PartnerType.DISTRIBUTOR not in type_set and partner.resellers.exists():
        raise DomainError(
            _("This distributor still manages tier-2 resellers: move them first."),
            field="types",
        )
    new_distributor_id = parent_distributor.pk if PartnerType.RESELLER in type_set else None
    changed = {
        name: {"from": getattr(partner, name), "to": value}
        for name, value in changes.items()
        if getattr(partner, name) != value
    }
    if partner.parent_distributor_id != new_distributor_id:
        changed["parent_distributor"] = {
            "from": partner.parent_distributor_id,
            "to": new_distributor_id,
        }
    for name, change in changed.items():
        setattr(partner, f"{name}_id" if name == "parent_distributor" else name, change["to"])
    if changed:
        partner.full_clean(exclude=["credit_code"], validate_unique=False)
        partner.save(update_fields=[*changed])
        record_event(actor=actor, subject=partner, verb=Verb.PARTNER_UPDATED, data=changed)
    held = partner.type_codes
    for partner_type in sorted(held - type_set):
        partner_exit_type(actor=actor, partner=partner, partner_type=partner_type)
    for partner_type in sorted(type_set - held):
        partner_join_type(actor=actor, partner=partner, partner_type=partner_type)
    partner.__dict__.pop("type_codes", None)
    return partner


def user_create(
    *,
    email: str,
    password: str | None,
    role: str,
    partner: Partner | None = None,
    full_name: str = "",
    **attributes,
) -> User:
    if role in (Role.PARTNER_ADMIN, Role.PARTNER_MEMBER) and partner is None:
        raise DomainError(_("A partner user belongs to a partner."), field="partner")
    if User.objects.filter(email=email.strip().lower()).exists():
        raise DomainError(_("An account with this e-mail exists already."), field="email")
    if "phone" in attributes:
        attributes["phone"] = clean_phone(attributes["phone"], field="phone")
    return User.objects.create_user(
        email=email,
        password=password,
        role=role,
        partner=partner,
        full_name=clean_name(full_name),
        **attributes,
    )
