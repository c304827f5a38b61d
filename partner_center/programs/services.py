"""Writes for the partner's programs: partner paths, the PCE program, deregistration."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.accounts import services as account_services
from partner_center.accounts.access import require
from partner_center.accounts.models import Partner, PartnerTypeMembership, User
from partner_center.accounts.permissions import PARTNER_PATHS, PartnerType
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.recipients import bd_staff, partner_admins
from partner_center.notifications.services import notify

from .models import PCEApplication
from .permissions import DEREGISTER_OR_ADMIN, MANAGE_PROGRAMS, PCE_ELIGIBLE_TYPES, REVIEW_PCE
from .selectors import is_pce_member
from .transitions import PCE

# ---------------------------------------------------------------------------------------
# Partner paths
# ---------------------------------------------------------------------------------------


def _check_path(path: str) -> None:
    if path not in PARTNER_PATHS:
        raise DomainError(_("This is not a partner path."), field="path")


def path_join(*, actor: User, partner: Partner, path: str) -> PartnerTypeMembership:
    _check_path(path)
    if not partner.is_active:
        raise DomainError(_("This partner account is deregistered."))
    require(actor, MANAGE_PROGRAMS, partner_id=partner.pk)
    try:
        return account_services.partner_join_type(actor=actor, partner=partner, partner_type=path)
    except DomainError as exc:
        raise DomainError(exc.message, field="path") from exc


def path_exit(*, actor: User, partner: Partner, path: str) -> None:
    _check_path(path)
    require(actor, MANAGE_PROGRAMS, partner_id=partner.pk)
    try:
        account_services.partner_exit_type(actor=actor, partner=partner, partner_type=path)
    except DomainError as exc:
        raise DomainError(exc.message, field="path") from exc


def joined_paths(partner: Partner) -> list[str]:
    """The partner paths the partner holds now, in the order of PARTNER_PATHS."""
    held = set(
        PartnerTypeMembership.objects.filter(
            partner=partner, exited_at__isnull=True, partner_type__in=PARTNER_PATHS
        ).values_list("partner_type", flat=True)
    )
    return [p for p in PARTNER_PATHS if p in held]


# ---------------------------------------------------------------------------------------
# Deregistration
# ---------------------------------------------------------------------------------------


def deregistration_blockers(partner: Partner) -> list[str]:
    """Labels of the paths that must be exited before the account can be deregistered."""
    return [str(PartnerType(p).label) for p in joined_paths(partner)]


@transaction.atomic
def partner_deregister(*, actor: User, partner: Partner, confirm_name: str) -> Partner:
    """Close the partner account: refused while a partner path is joined. The partner and
    its users are deactivated; every record stays."""
    require(actor, DEREGISTER_OR_ADMIN, partner_id=partner.pk)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    if not partner.is_active:
        raise DomainError(_("This partner account is deregistered already."))
    blockers = deregistration_blockers(partner)
    if blockers:
        raise DomainError(
            _("Exit these partner paths before deregistering: %(paths)s.")
            % {"paths": _(", ").join(str(b) for b in blockers)},
            code="paths_joined",
        )
    if (confirm_name or "").strip() != partner.name:
        raise DomainError(
            _("Type the partner's name exactly as shown to confirm."), field="confirm_name"
        )
    now = timezone.now()
    partner.is_active = False
    partner.deregistered_at = now
    partner.save(update_fields=["is_active", "deregistered_at"])
    users = User.objects.filter(partner=partner, is_active=True)
    deactivated = users.update(is_active=False)
    from partner_center.members.models import ContactChange, Membership
    from partner_center.members.transitions import MEMBERSHIP

    MEMBERSHIP.apply_bulk(
        Membership.objects.filter(partner=partner), "withdraw", actor=actor, at=now
    )
    ContactChange.objects.filter(partner=partner, state=ContactChange.State.PENDING).update(
        state=ContactChange.State.CANCELLED
    )
    record_event(
        actor=actor,
        subject=partner,
        partner_id=partner.pk,
        verb=Verb.PARTNER_DEREGISTERED,
        from_state="active",
        to_state="deregistered",
        data={"users_deactivated": deactivated},
    )
    return partner


# ---------------------------------------------------------------------------------------
# PCE program
# ---------------------------------------------------------------------------------------


def pce_refusal(partner: Partner) -> str:
    """Why `partner` can't apply to the PCE program now ("" when it can)."""
    if not partner.is_active:
        return _("This partner account is deregistered.")
    if not (set(PCE_ELIGIBLE_TYPES) & set(partner.type_codes)):
        return _(
            "The PCE program is for partners that sell to or deliver for customers. A "
            "learning & enablement partner can apply once it also holds another type."
        )
    open_app = (
        PCEApplication.objects.filter(
            partner=partner,
            state__in=[PCEApplication.State.APPLIED, PCEApplication.State.APPROVED],
        )
        .values_list("state", flat=True)
        .first()
    )
    if open_app == PCEApplication.State.APPROVED:
        return _("Your partner is a PCE member already.")
    if open_app == PCEApplication.State.APPLIED:
        return _("Your application is waiting for BD's decision.")
    return ""


@transaction.atomic
def pce_apply(
    *,
    actor: User,
    partner: Partner,
    motivation: str = "",
    industries: str = "",
    accept_rules: bool,
) -> PCEApplication:
    require(actor, MANAGE_PROGRAMS, partner_id=partner.pk)
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    reason = pce_refusal(partner)
    if reason:
        raise DomainError(reason)
    if not accept_rules:
        raise DomainError(_("Read and accept the program rules to apply."), field="accept_rules")
    now = timezone.now()
    application = PCEApplication.objects.create(
        partner=partner,
        state=PCEApplication.State.APPLIED,
        motivation=motivation.strip(),
        industries=industries.strip(),
        rules_accepted_at=now,
        applied_by=actor,
        applied_at=now,
    )
    PCE.record_created(application, "apply", actor=actor)
    notify(
        recipients=bd_staff(),
        kind="programs.pce_applied",
        title=msg("%(partner)s applied to the PCE program", partner=partner.name),
        link=reverse("programs:pce_review", kwargs={"pk": application.pk}),
    )
    return application


def _decide(
    *, actor: User, application: PCEApplication, action: str, reason: str
) -> PCEApplication:
    require(actor, REVIEW_PCE)
    application = PCEApplication.objects.select_for_update().get(pk=application.pk)
    if not PCE.can(application, action):
        raise DomainError(
            _("This application was decided already (%(state)s).")
            % {"state": application.get_state_display()},
            code="wrong_state",
        )
    PCE.apply(
        application,
        action,
        actor=actor,
        changes={
            "decided_by": actor,
            "decided_at": timezone.now(),
            "decision_reason": reason.strip(),
        },
        reason=reason.strip(),
        locked=True,
    )
    target = application.state
    if target == PCEApplication.State.APPROVED:
        title = msg("Your partner is now a member of the PCE program")
    else:
        title = msg("Your PCE application was not approved")
    notify(
        recipients=partner_admins(application.partner_id),
        kind=f"programs.pce_{target}",
        title=title,
        body=application.decision_reason,
        link=reverse("programs:pce"),
    )
    return application


@transaction.atomic
def pce_approve(*, actor: User, application: PCEApplication, reason: str = "") -> PCEApplication:
    return _decide(actor=actor, application=application, action="approve", reason=reason)


@transaction.atomic
def pce_reject(*, actor: User, application: PCEApplication, reason: str) -> PCEApplication:
    if not (reason or "").strip():
        raise DomainError(_("Give the partner a reason for the rejection."), field="reason")
    return _decide(actor=actor, application=application, action="reject", reason=reason)


def ensure_pce_member(partner_id: int | None, *, field: str | None = None) -> None:
    """Raise unless the partner is an approved PCE member (POs and HOs need it)."""
    if not is_pce_member(partner_id):
        raise DomainError(
            _(
                "Only members of the PCE program share opportunities with the vendor and "
                "receive the vendor's. Apply under My partner > PCE program."
            ),
            field=field,
            code="not_pce_member",
        )
