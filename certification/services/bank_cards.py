"""Personal bank-card certification."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from partner_center.accounts.models import Partner, User
from partner_center.errors import DomainError
from partner_center.notifications.messages import msg
from partner_center.notifications.services import notify
from partner_center.workflow import By

from .. import uploads
from ..models import (
    Attachment,
    BankCardCertification,
)
from ..transitions import BANK_CARD
from ._common import (
    B,
    _decide,
    _require,
    _specialists,
    _store_checked,
)

_DIGITS = re.compile(r"[\s-]+")


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask_card_number(card_number: str) -> str:
    number = _DIGITS.sub("", card_number or "")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        raise DomainError(_("Enter the card number: 12 to 19 digits."), field="card_number")
    if not _luhn_ok(number):
        raise DomainError(
            _("This card number is not valid: check the digits."), field="card_number"
        )
    return f"{number[:4]} **** **** {number[-4:]}"


def bank_card_submit(
    *,
    actor: User,
    partner: Partner,
    holder_name: str,
    bank_name: str,
    card_number: str,
    face_photo,
) -> BankCardCertification:
    """Submit a bank-card certification with its one face-scan photo (an image)."""
    _require(By.PARTNER, actor, partner.pk)
    holder = (holder_name or "").strip()
    bank = (bank_name or "").strip()
    if not holder:
        raise DomainError(_("Enter the card holder's name."), field="holder_name")
    if not bank:
        raise DomainError(_("Enter the bank."), field="bank_name")
    masked = mask_card_number(card_number)
    checked = uploads.check_upload(face_photo, formats=uploads.IMAGE_FORMATS, field="face_photo")
    try:
        with transaction.atomic():
            if BankCardCertification.objects.filter(
                partner=partner, holder_name=holder, state=B.SUBMITTED
            ).exists():
                raise DomainError(
                    _("A certification for this card holder is under review already."),
                    field="holder_name",
                )
            photo = _store_checked(
                face_photo,
                checked,
                partner_id=partner.pk,
                purpose=Attachment.Purpose.BANK_CARD,
                actor=actor,
            )
            try:
                cert = BankCardCertification.objects.create(
                    partner=partner,
                    applicant=actor,
                    holder_name=holder,
                    bank_name=bank,
                    card_number_masked=masked,
                    face_photo=photo,
                )
                BANK_CARD.record_created(cert, "submit", actor=actor, data={"path": photo.path})
                notify(
                    recipients=_specialists(),
                    kind="certification.bank_card.submitted",
                    title=msg(
                        "Bank-card certification to review: %(partner)s", partner=partner.name
                    ),
                    link=reverse("certification:bank-card-detail", args=[cert.pk]),
                )
            except BaseException:
                uploads.delete_quietly(photo.path)
                raise
    except IntegrityError as exc:
        raise DomainError(
            _("A certification for this card holder is under review already."),
            field="holder_name",
        ) from exc
    return cert


def _lock_bank_card(certification) -> BankCardCertification:
    return BankCardCertification.objects.select_for_update().get(pk=certification.pk)


@transaction.atomic
def bank_card_approve(*, actor: User, certification, comment: str = "") -> BankCardCertification:
    return _decide(
        BankCardCertification,
        certification,
        "approve",
        actor=actor,
        comment=comment,
        kind="certification.bank_card.approved",
        title=lambda cert: msg(
            "Bank-card certification approved: %(holder)s", holder=cert.holder_name
        ),
        url_name="certification:bank-card-detail",
    )


@transaction.atomic
def bank_card_reject(
    *, actor: User, certification, reasons: Iterable[str], comment: str = ""
) -> BankCardCertification:
    return _decide(
        BankCardCertification,
        certification,
        "reject",
        actor=actor,
        comment=comment,
        reasons=reasons,
        kind="certification.bank_card.rejected",
        title=lambda cert: msg(
            "Bank-card certification rejected: %(holder)s", holder=cert.holder_name
        ),
        url_name="certification:bank-card-detail",
    )
