from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from opportunities import services
from opportunities.models import Opportunity
from opportunities.selectors import lead_status, pool_leads
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from tests.factories import PartnerFactory, partner_user

from .conftest import make_ho, make_lead

pytestmark = pytest.mark.django_db
S = Opportunity.State


def test_bd_shares_a_lead_and_the_partner_accepts(bd, partner, owner):
    lead = make_lead(bd, contact_name="王海川", contact_phone="13912345678")
    assert lead_status(pool_leads().get(pk=lead.pk)) == "pool"
    ho = services.ho_share(actor=bd, lead=lead, partner=partner)
    assert (ho.kind, ho.state, ho.partner) == ("ho", S.PENDING, partner)
    assert ho.deadline and ho.remind_at and ho.shared_by == bd
    # Masked until accepted: the partner's row never holds the real contact.
    assert ho.contact_name == "王**" and ho.contact_phone == "139****5678"
    assert Notification.objects.filter(recipient=owner, kind="opportunities.ho_shared").exists()
    assert lead_status(pool_leads().get(pk=lead.pk)) == "pending"
    ho = services.ho_accept(actor=owner, ho=ho)
    assert ho.state == S.ACCEPTED and ho.contact_name == "王海川"
    assert ho.contact_phone == "13912345678" and ho.counts_for_assessment
    assert lead_status(pool_leads().get(pk=lead.pk)) == "accepted"
    ho = services.opportunity_update_progress(
        actor=owner, opportunity=ho, changes={"stage": "solution"}
    )
    assert ho.stage == "solution"


def test_decline_needs_a_reason_and_reclaims_into_the_pool(bd, partner, owner, other_partner):
    ho = make_ho(bd, partner)
    with pytest.raises(DomainError) as exc:
        services.ho_decline(actor=owner, ho=ho, reason="  ")
    assert exc.value.field == "reason"
    ho = services.ho_decline(actor=owner, ho=ho, reason="客户不在我们的服务区域")
    assert ho.state == S.DECLINED and ho.decision_rule == "partner_declined"
    assert Notification.objects.filter(recipient=bd, kind="opportunities.ho_declined").exists()
    lead = ho.lead
    assert lead_status(pool_leads().get(pk=lead.pk)) == "pool"
    # Back in the pool: shareable to another partner, not to the one that declined.
    with pytest.raises(DomainError) as exc:
        services.ho_share(actor=bd, lead=lead, partner=partner)
    assert exc.value.field == "partner"
    again = services.ho_share(actor=bd, lead=lead, partner=other_partner)
    assert again.state == S.PENDING and again.pk != ho.pk


def test_one_live_share_per_lead_in_the_service_and_the_database(bd, partner, other_partner):
    ho = make_ho(bd, partner)
    with pytest.raises(DomainError) as exc:
        services.ho_share(actor=bd, lead=ho.lead, partner=other_partner)
    assert exc.value.code == "held"
    clone = Opportunity.objects.get(pk=ho.pk)
    clone.pk = None
    clone.partner = other_partner
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_only_pce_members_receive_hos(bd):
    outsider_partner = PartnerFactory()  # not a PCE member
    with pytest.raises(DomainError) as exc:
        services.ho_share(actor=bd, lead=make_lead(bd), partner=outsider_partner)
    assert exc.value.field == "partner"


def test_partner_cannot_answer_another_partners_ho(bd, partner, outsider):
    ho = make_ho(bd, partner)
    from partner_center.errors import NotAllowed

    with pytest.raises(NotAllowed):
        services.ho_accept(actor=outsider, ho=ho)


def test_accept_and_decline_only_while_pending(bd, partner, owner):
    ho = make_ho(bd, partner, state="accepted", user=owner)
    with pytest.raises(DomainError):
        services.ho_decline(actor=owner, ho=ho, reason="改主意")
    with pytest.raises(DomainError):
        services.ho_accept(actor=owner, ho=ho)


def test_lead_crm_time_cannot_be_in_the_future(bd):
    with pytest.raises(DomainError) as exc:
        make_lead(bd, crm_created_at=timezone.now() + timedelta(hours=1))
    assert exc.value.field == "crm_created_at"
    lead = make_lead(bd)
    with pytest.raises(DomainError) as exc:
        services.lead_create(
            actor=bd,
            crm_id=lead.crm_id,
            crm_created_at=timezone.now(),
            data={"customer_name": "x", "project_name": "y", "products": ["ecs"]},
        )
    assert exc.value.field == "crm_id"


def test_partner_member_can_answer(bd, partner, teammate):
    ho = make_ho(bd, partner)
    assert services.ho_accept(actor=teammate, ho=ho).state == S.ACCEPTED


def test_shares_of_a_deactivated_partner_are_refused(bd):
    p = PartnerFactory(pce=True, is_active=False)
    partner_user(p)
    with pytest.raises(DomainError):
        services.ho_share(actor=bd, lead=make_lead(bd), partner=p)
