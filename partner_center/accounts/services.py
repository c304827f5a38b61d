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

from .models import Partner, PartnerTypeMembership, User
from .permissions import PartnerType, Role
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
    membership = PartnerTypeMembership.objects.create(partner=partner, partner_type=partner_type)
    record_event(actor=actor, subject=partner, verb=Verb.PARTNER_TYPE_JOINED, to_state=partner_type)
    return membership


@transaction.atomic
def partner_exit_type(*, actor, partner: Partner, partner_type: str) -> None:
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    updated = partner.type_memberships.filter(
        partner_type=partner_type, exited_at__isnull=True
    ).update(exited_at=timezone.now())
    if not updated:
        raise DomainError(_("The partner does not hold this type."), field="partner_type")
    record_event(
        actor=actor, subject=partner, verb=Verb.PARTNER_TYPE_EXITED, from_state=partner_type
    )


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
