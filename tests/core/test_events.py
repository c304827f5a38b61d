import pytest

from partner_center.accounts.models import Partner
from partner_center.audit.models import Event
from partner_center.audit.selectors import timeline_for
from partner_center.audit.services import PendingEvent, record_event, record_events_bulk
from partner_center.audit.verbs import Verb

pytestmark = pytest.mark.django_db


def test_record_event_and_timeline(partner, owner, other_partner):
    record_event(
        actor=owner,
        subject=partner,
        verb=Verb.PARTNER_TYPE_JOINED,
        from_state="a",
        to_state="b",
        reason="why",
    )
    record_event(
        actor=None, subject=partner, verb=Verb.PARTNER_TYPE_EXITED, from_state="b", to_state="c"
    )
    record_event(actor=owner, subject=other_partner, verb=Verb.PARTNER_CREATED)
    events = list(timeline_for(partner))
    verbs = [e.verb for e in events if e.verb.startswith("partner.type_")]
    assert verbs == ["partner.type_joined", "partner.type_exited"]
    assert events[-1].who == "system"
    assert events[-2].actor == owner and events[-2].reason == "why"


def test_bulk_events(partner, other_partner):
    written = record_events_bulk(
        model=Partner,
        verb=Verb.PARTNER_DEREGISTERED,
        rows=[
            PendingEvent(subject_id=p.pk, partner_id=p.pk, from_state="x", to_state="y")
            for p in (partner, other_partner)
        ],
        batch_size=1,
    )
    assert written == 2
    assert Event.objects.filter(verb=Verb.PARTNER_DEREGISTERED, actor_label="system").count() == 2


def test_a_free_verb_string_is_refused(partner):
    with pytest.raises(ValueError, match="unknown event verb"):
        record_event(actor=None, subject=partner, verb="partner.something_new")
    with pytest.raises(ValueError, match="unknown event verb"):
        record_events_bulk(model=Partner, verb="demo.bulk", rows=[])
    assert not Event.objects.filter(verb="partner.something_new").exists()


def test_lifecycle_and_enum_verbs_are_accepted(partner):
    record_event(actor=None, subject=partner, verb="partner.created")  # an enum value
    record_event(actor=None, subject=partner, verb="pce.applied")  # a lifecycle verb
    verbs = set(timeline_for(partner).values_list("verb", flat=True))
    assert {"partner.created", "pce.applied"} <= verbs


def test_events_are_append_only_in_the_database(partner, owner):
    """A trigger refuses UPDATE and DELETE on events, whatever the code path."""
    from django.db import DatabaseError, transaction
    from django.db.models.deletion import ProtectedError

    event = record_event(actor=owner, subject=partner, verb=Verb.PARTNER_CREATED, reason="original")
    event.reason = "rewritten"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        Event.objects.filter(pk=event.pk).delete()
    # The people an event names stay: deleting them is refused, not a silent SET NULL.
    with pytest.raises(ProtectedError), transaction.atomic():
        owner.delete()
    event.refresh_from_db()
    assert event.reason == "original" and event.actor_id == owner.pk
