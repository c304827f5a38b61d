"""The audit log feeds the partner events through the one mapping table, also from the
set-based sweeps (SLA reminders, the SLA sweep's SQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from opportunities import sla
from partner_center.webhooks.event_types import ROUTES, EventType
from partner_center.webhooks.models import PartnerEvent, WebhookDelivery
from partner_center.workflow import transition_of
from tests.opportunities.conftest import make_ho, make_po, sh

pytestmark = pytest.mark.django_db


def _events(partner):
    return list(PartnerEvent.objects.filter(partner=partner).order_by("id"))


def test_every_routed_verb_exists_and_every_type_is_reachable_or_published_directly():
    import billing.jobs  # noqa: F401 - registers the bill export lifecycle
    from partner_center.audit.verbs import Verb

    for verb in ROUTES:
        assert transition_of(verb) or verb in Verb.values, verb
    routed = {r.type for r in ROUTES.values()} | {
        t for r in ROUTES.values() for t in r.by_kind.values()
    }
    assert set(EventType.values) - routed == {"comment.added"}  # published by its service


@pytest.mark.parametrize("sweep", [sla._sweep_sql, sla._sweep_portable])
def test_the_sla_sweep_publishes_expiries(owner, bd, partner, sweep, endpoint_of, receiver):
    endpoint, _secret = endpoint_of(owner, receiver.url)
    with time_machine.travel(sh(2026, 11, 23, 10), tick=False):
        po = make_po(owner, state="submitted")
        ho = make_ho(bd, partner)
    PartnerEvent.objects.all().delete()
    sweep(po.deadline + timedelta(seconds=1), 100)
    by_type = {e.type: e.payload for e in _events(partner)}
    assert by_type["po.state_changed"]["object"] == {
        "kind": "po",
        "id": po.pk,
        "state": "rejected",
        "previous_state": "submitted",
    }
    assert by_type["po.state_changed"]["action"] == "expired"
    assert by_type["ho.reclaimed"]["object"]["id"] == ho.pk
    assert by_type["ho.reclaimed"]["object"]["state"] == "expired"
    assert WebhookDelivery.objects.filter(endpoint=endpoint).count() == 2


def test_reminders_become_ho_expiring_and_sla_reminder(owner, bd, partner):
    with time_machine.travel(sh(2026, 11, 23, 10), tick=False):
        ho = make_ho(bd, partner)
        po = make_po(owner, state="submitted")
    PartnerEvent.objects.all().delete()
    sla.send_due_reminders(now=ho.remind_at)
    sla.send_due_reminders(now=po.remind_at)
    events = _events(partner)
    assert [(e.type, e.payload["object"]["kind"], e.payload["object"]["id"]) for e in events] == [
        ("ho.expiring", "ho", ho.pk),
        ("sla.reminder", "po", po.pk),
    ]
    assert events[0].payload["object"]["state"] == "pending"
    assert events[1].payload["links"]["html"].endswith(f"/opportunities/{po.pk}/")


def test_no_other_partners_data_in_payloads(owner, bd, partner):
    make_po(owner, state="submitted")
    make_ho(bd, partner)
    for event in _events(partner):
        assert set(event.payload) <= {"object", "links", "action"}
        assert set(event.payload["object"]) <= {"kind", "id", "state", "previous_state"}


def test_a_certification_decision_is_published(owner, partner, specialist):
    from certification import services as cert_services
    from tests.certification.helpers import filled_enterprise

    cert = filled_enterprise(owner, partner, legal_person="张三")
    cert_services.enterprise_submit(actor=owner, certification=cert)
    assert not PartnerEvent.objects.filter(type="certification.decided").exists()
    cert_services.enterprise_approve(actor=specialist, certification=cert, comment="齐全")
    event = PartnerEvent.objects.get(type="certification.decided")
    assert event.partner_id == partner.pk
    assert event.payload["object"] == {
        "kind": "enterprise_certification",
        "id": cert.pk,
        "state": "approved",
        "previous_state": "submitted",
    }
    assert event.payload["links"]["html"].endswith(f"/certification/enterprise/{cert.pk}/")
