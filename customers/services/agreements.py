"""The partner agreement: versions, publishing and signing."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.access import require
from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify

from .. import agreement as agreement_text
from ..models import (
    AgreementSignature,
    AgreementVersion,
    Association,
)
from ..permissions import (
    PUBLISH_AGREEMENT,
)


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
    *, actor: User | None, title_zh: str, title_en: str, body_zh: str, body_en: str
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
        title=msg("Please sign the new version of the association agreement"),
        body=msg(
            "Version %(v)s of the agreement was published. Your partner sees knowledge "
            "recommendations for you only after you sign it.",
            v=version.version,
        ),
        link=reverse("customers:me"),
    )
    return version


@transaction.atomic
def agreement_sign(*, actor: User | None, version: AgreementVersion) -> AgreementSignature:
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
