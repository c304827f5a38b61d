from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opportunities import services
from opportunities.models import Opportunity
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from partner_center.programs.models import PCEApplication
from tests.certification.helpers import pdf_bytes
from tests.factories import PartnerFactory, partner_user

from .conftest import CONSENT, make_po, po_data, sh

pytestmark = pytest.mark.django_db
S = Opportunity.State


def test_draft_to_verified_with_events_and_consent_evidence(owner, bd):
    traveller = time_machine.travel(sh(2026, 11, 23, 10, 0), tick=False)
    clock = traveller.start()
    po = make_po(owner, state="draft")
    assert po.state == S.DRAFT and po.deadline is None
    po = services.po_submit(actor=owner, po=po, consent=CONSENT)
    assert po.state == S.SUBMITTED
    assert po.consent_confirmed_by == owner and po.consent_method == "email"
    assert po.consent_confirmed_at == sh(2026, 11, 23, 10, 0)
    # 10 working days after Monday 23 Nov 2026: Mon 7 Dec, end of day, Beijing time.
    assert po.deadline == sh(2026, 12, 7, 23, 59, 59, 999999)
    assert po.remind_at == sh(2026, 12, 4, 0, 0)  # start of the 9th working day
    clock.shift(timedelta(hours=1))
    po = services.po_start_verification(actor=bd, po=po)
    assert po.state == S.UNDER_VERIFICATION and po.reviewed_by == bd
    clock.shift(timedelta(hours=1))
    po = services.po_verify(
        actor=bd, po=po, account_manager="刘经理", confirmed_on=timezone.localdate()
    )
    assert po.state == S.VERIFIED and po.verified_at and po.counts_for_assessment
    verbs = [e.verb for e in timeline_for(po)]
    assert verbs == ["po.created", "po.submitted", "po.review_passed", "po.verified"]
    assert Notification.objects.filter(recipient=owner, kind="opportunities.verified").exists()
    traveller.stop()


def test_submission_requires_consent_and_its_method(po_of, owner):
    po = po_of("draft")
    with pytest.raises(DomainError) as exc:
        services.po_submit(actor=owner, po=po, consent=services.Consent(confirmed=False))
    assert exc.value.field == "consent_confirmed"
    with pytest.raises(DomainError) as exc:
        services.po_submit(actor=owner, po=po, consent=services.Consent(confirmed=True))
    assert exc.value.field == "consent_method"
    with pytest.raises(DomainError) as exc:
        services.po_submit(
            actor=owner, po=po, consent=services.Consent(confirmed=True, method="other")
        )
    assert exc.value.field == "consent_note"
    po.refresh_from_db()
    assert po.state == S.DRAFT


def test_consent_file_is_kept(po_of, owner):
    po = po_of("draft")
    pdf = SimpleUploadedFile("consent.pdf", pdf_bytes(), content_type="application/pdf")
    po = services.po_submit(
        actor=owner,
        po=po,
        consent=services.Consent(confirmed=True, method="signed_form", file=pdf),
    )
    assert po.consent_file.name.endswith(".pdf")
    # Stored under a generated name; the uploader's name is kept for display only.
    assert "consent" not in po.consent_file.name.rsplit("/", 1)[-1]
    assert po.consent_file_name == "consent.pdf"
    assert po.consent_file_type == "application/pdf"


def test_only_pce_members_submit(db, bd):
    partner = PartnerFactory()  # not in the PCE program
    user = partner_user(partner)
    po = make_po(user, state="draft")
    with pytest.raises(DomainError, match="PCE"):
        services.po_submit(actor=user, po=po, consent=CONSENT)
    PCEApplication.objects.create(partner=partner, state=PCEApplication.State.APPLIED)
    with pytest.raises(DomainError, match="PCE"):
        services.po_submit(actor=user, po=po, consent=CONSENT)


def test_submission_requires_the_fields_a_review_needs(owner):
    po = services.po_create(
        actor=owner, partner=owner.partner, data=po_data(contact_phone="", amount=None)
    )
    with pytest.raises(DomainError) as exc:
        services.po_submit(actor=owner, po=po, consent=CONSENT)
    assert exc.value.field == "contact_phone"


def test_a_submitted_po_cannot_be_withdrawn_or_edited_by_the_partner(po_of, owner):
    po = po_of("submitted")
    assert "withdraw" not in services.__dict__
    with pytest.raises(DomainError) as exc:
        services.po_edit(actor=owner, po=po, changes={"customer_name": "别的公司"})
    assert exc.value.code == "locked"
    with pytest.raises(DomainError):
        services.po_submit(actor=owner, po=po, consent=CONSENT)


def test_return_for_changes_unlocks_named_fields_and_keeps_the_clock(po_of, owner, bd):
    po = po_of("under_verification")
    deadline = po.deadline
    po = services.po_return_for_changes(
        actor=bd, po=po, fields=["contact_phone", "amount"], comment="电话打不通,金额偏高"
    )
    assert po.state == S.RETURNED and po.unlocked_fields == ["amount", "contact_phone"]
    assert Notification.objects.filter(recipient=owner, kind="opportunities.returned").exists()
    with pytest.raises(DomainError) as exc:
        services.po_edit(actor=owner, po=po, changes={"customer_name": "别的公司"})
    assert exc.value.field == "customer_name"
    po = services.po_edit(actor=owner, po=po, changes={"contact_phone": "13800001111"})
    assert po.contact_phone == "13800001111"
    po = services.po_resubmit(actor=owner, po=po)
    assert po.state == S.SUBMITTED and po.deadline == deadline and po.unlocked_fields == []


def test_return_needs_fields_and_a_comment(po_of, bd):
    po = po_of("submitted")
    with pytest.raises(DomainError) as exc:
        services.po_return_for_changes(actor=bd, po=po, fields=[], comment="x")
    assert exc.value.field == "fields"
    with pytest.raises(DomainError) as exc:
        services.po_return_for_changes(actor=bd, po=po, fields=["amount"], comment=" ")
    assert exc.value.field == "comment"
    with pytest.raises(DomainError):
        services.po_return_for_changes(actor=bd, po=po, fields=["core_label"], comment="x")


def test_reject_for_a_validity_reason_tells_the_partner(po_of, owner, bd):
    po = po_of("under_verification")
    po = services.po_reject(actor=bd, po=po, reason="customer_unaware", note="客户不知情")
    assert (po.state, po.decision_rule, po.decision_reason) == (
        S.REJECTED,
        "validity",
        "customer_unaware",
    )
    from django.utils import translation

    from opportunities.selectors import decision_text

    with translation.override("en"):
        assert "unaware" in decision_text(po)
    assert "客户不知晓该项目" in decision_text(po)
    with pytest.raises(DomainError):
        services.po_reject(actor=bd, po=po, reason="no_real_demand")
    with pytest.raises(DomainError) as exc:
        services.po_reject(actor=bd, po=po_of("submitted"), reason="bogus")
    assert exc.value.field == "reason"


def test_verification_needs_the_account_managers_confirmation(po_of, bd):
    po = po_of("under_verification")
    with pytest.raises(DomainError) as exc:
        services.po_verify(actor=bd, po=po, account_manager="", confirmed_on=timezone.localdate())
    assert exc.value.field == "account_manager"
    with pytest.raises(DomainError) as exc:
        services.po_verify(
            actor=bd,
            po=po,
            account_manager="刘经理",
            confirmed_on=timezone.localdate() + timedelta(days=1),
        )
    assert exc.value.field == "account_manager_confirmed_on"


def test_verification_follows_review(po_of, bd):
    with pytest.raises(DomainError):
        services.po_verify(
            actor=bd,
            po=po_of("submitted"),
            account_manager="刘经理",
            confirmed_on=timezone.localdate(),
        )


def test_partners_cannot_review_and_bd_cannot_act_for_partners(po_of, owner, bd, outsider):
    po = po_of("submitted")
    with pytest.raises(NotAllowed):
        services.po_start_verification(actor=owner, po=po)
    with pytest.raises(NotAllowed):
        services.po_edit(actor=outsider, po=po_of("draft"), changes={"amount": 1})
    with pytest.raises(NotAllowed):
        services.po_submit(actor=bd, po=po_of("draft"), consent=CONSENT)


def test_progress_updates_after_verification_and_core_label_by_bd(po_of, owner, bd):
    draft = po_of("draft")
    with pytest.raises(DomainError):
        services.opportunity_update_progress(
            actor=owner, opportunity=draft, changes={"stage": "bidding"}
        )
    po = po_of("verified", customer_name="另一家客户有限公司")
    po = services.opportunity_update_progress(
        actor=owner,
        opportunity=po,
        changes={"stage": "won", "amount": "720000", "delivery_completed_on": timezone.localdate()},
        note="已中标",
    )
    assert po.stage == "won" and str(po.amount) == "720000.00" and po.last_progress_at
    with pytest.raises(DomainError) as exc:
        services.opportunity_update_progress(
            actor=owner, opportunity=po, changes={"customer_name": "改名"}
        )
    assert exc.value.field == "customer_name"
    with pytest.raises(NotAllowed):
        services.opportunity_set_core_label(actor=owner, opportunity=po, core_label=True)
    po = services.opportunity_set_core_label(actor=bd, opportunity=po, core_label=True)
    assert po.core_label
    verbs = [e.verb for e in timeline_for(po)]
    assert verbs[-2:] == ["opportunity.progress", "opportunity.core_label"]


def test_external_reference_is_unique_per_partner(owner, outsider):
    make_po(owner, external_ref="ERP-1")
    with pytest.raises(DomainError) as exc:
        make_po(owner, external_ref="ERP-1")
    assert exc.value.field == "external_ref"
    make_po(outsider, external_ref="ERP-1")  # another partner's reference space


def test_model_validation_reaches_the_service(owner):
    with pytest.raises(DomainError) as exc:
        make_po(owner, customer_credit_code="91110000123456789X")
    assert exc.value.field == "customer_credit_code"
    with pytest.raises(DomainError) as exc:
        make_po(owner, products=["nonsense"])
    assert exc.value.field == "products"
