"""Assigning a partner's PDM."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import VENDOR_ROLES
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError

from ..models import (
    PartnerManager,
)
from ._common import _now


@transaction.atomic
def pdm_assign(*, actor: User | None, partner: Partner, user: User) -> PartnerManager:
    """Make `user` (vendor staff) the partner's PDM, replacing any earlier one."""
    if user.role not in VENDOR_ROLES or not user.is_active:
        raise DomainError(_("A PDM must be active vendor staff."), field="user")
    row, _created = PartnerManager.objects.update_or_create(
        partner=partner, defaults={"user": user, "assigned_at": _now()}
    )
    record_event(
        actor=actor, subject=partner, verb=Verb.PARTNER_PDM_ASSIGNED, data={"user": user.pk}
    )
    return row
