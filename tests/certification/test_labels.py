"""Capability labels: evidence per criterion, a verdict per criterion with comments, and
the online defense a partner requests through its PDM or a certification specialist."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from certification import services
from certification.models import CriterionReview, Defense, LabelApplication
from partner_center.audit.models import Event
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from partner_center.workdays import deadline_after
from tests.certification.helpers import (
    defended_application,
    failed_application,
    pdf,
    submitted_application,
)
from tests.factories import UserFactory
from tests.helpers import api_client

pytestmark = pytest.mark.django_db
S = LabelApplication.State


def test_submit_needs_a_summary_and_evidence_for_every_criterion(owner, partner, label):
    app = services.label_apply(actor=owner, partner=partner, label=label)
    first, second = label.criteria.order_by("position")
    services.label_add_evidence(actor=owner, application=app, criterion=first, upload=pdf())
    with pytest.raises(DomainError) as err:
        services.label_submit(actor=owner, application=app)
    assert err.value.field == "statement"
    services.label_edit(actor=owner, application=app, statement="十个迁移项目")
    with pytest.raises(DomainError) as err:
        services.label_submit(actor=owner, application=app)
    assert err.value.code == "missing_evidence"
    assert "2. Certified staff" in str(err.value.message)
    services.label_add_evidence(actor=owner, application=app, criterion=second, upload=pdf())
    app = services.label_submit(actor=owner, application=app)
    assert app.state == S.SUBMITTED


def test_one_live_application_per_label(owner, partner, label, specialist):
    submitted_application(owner, partner, label)
    with pytest.raises(DomainError):
        services.label_apply(actor=owner, partner=partner, label=label)


def test_all_criteria_met_grants_the_label(owner, partner, label, specialist):
    app = submitted_application(owner, partner, label)
    first, second = label.criteria.order_by("position")
    services.label_decide_criterion(
        actor=specialist, application=app, criterion=first, verdict="met"
    )
    with pytest.raises(DomainError) as err:
        services.label_conclude(actor=specialist, application=app)
    assert err.value.code == "undecided"
    with pytest.raises(DomainError) as err:
        services.label_decide_criterion(
            actor=specialist, application=app, criterion=second, verdict="not_met"
        )
    assert err.value.field == "comment"
    services.label_decide_criterion(
        actor=specialist, application=app, criterion=second, verdict="met", comment="好"
    )
    app = services.label_conclude(actor=specialist, application=app, summary="通过")
    assert app.state == S.GRANTED
    assert Notification.objects.filter(recipient=partner.users.first()).exists()
    with pytest.raises(DomainError):
        services.label_apply(actor=owner, partner=partner, label=label)


def test_defense_flow_through_the_pdm(owner, partner, label, specialist, pdm):
    """Not passed -> the partner asks its PDM for an online defense -> the PDM schedules it
    with review experts -> after it, the specialist records the outcome: granted."""
    expert = UserFactory(role="cert_specialist", email="expert@vendor.test")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        app = failed_application(owner, partner, label, specialist, not_met=(1,))
        assert app.state == S.REVIEW_FAILED
        assert app.defense_deadline == deadline_after(now, services.DEFENSE_WINDOW_WORKING_DAYS)
        first = label.criteria.get(position=1)
        second = label.criteria.get(position=2)
        with pytest.raises(DomainError) as err:  # only criteria not met can be disputed
            services.label_request_defense(
                actor=owner, application=app, channel="pdm", criteria=[second], statement="x"
            )
        assert err.value.field == "criteria"
        defense = services.label_request_defense(
            actor=owner,
            application=app,
            channel=Defense.Channel.PDM,
            criteria=[first],
            statement="第二份验收报告被漏看",
        )
        assert defense.organizer == pdm
        assert Notification.objects.filter(
            recipient=pdm, kind="certification.defense.requested"
        ).exists()
        app.refresh_from_db()
        assert app.state == S.DEFENSE_REQUESTED

    when = now + timedelta(days=2)
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        schedule = {"actor": pdm, "application": app, "scheduled_at": when}
        refusals = [  # what is wrong, and the field the refusal names
            (
                {"meeting_link": "http://insecure.example.com/x", "experts": [expert]},
                "meeting_link",
            ),
            (
                {
                    "scheduled_at": now - timedelta(days=1),
                    "meeting_link": "https://meet.example.com/1",
                    "experts": [expert],
                },
                "scheduled_at",
            ),
            ({"meeting_link": "https://m.example.com/1"}, "experts"),  # no experts
        ]
        for wrong, field in refusals:
            with pytest.raises(DomainError) as err:
                services.defense_schedule(**{**schedule, **wrong})
            assert err.value.field == field
        services.defense_schedule(
            actor=pdm,
            application=app,
            scheduled_at=when,
            meeting_link="https://meet.example.com/1",
            experts=[expert, specialist],
        )
        app.refresh_from_db()
        assert app.state == S.DEFENSE_SCHEDULED
        assert {
            n.recipient for n in Notification.objects.filter(kind="certification.defense.scheduled")
        } >= {
            owner,
            expert,
            specialist,
        }
        with pytest.raises(DomainError) as err:  # not before the defense took place
            services.defense_record_outcome(
                actor=specialist,
                application=app,
                verdicts={first.pk: ("met", "")},
                notes="补充材料有效",
            )
        assert err.value.code == "too_early"
        with pytest.raises(DomainError):  # the PDM organises; a specialist decides
            services.defense_record_outcome(
                actor=pdm, application=app, verdicts={first.pk: ("met", "")}, notes="x"
            )

    with time_machine.travel(when + timedelta(hours=1), tick=False):
        with pytest.raises(DomainError) as err:
            services.defense_record_outcome(
                actor=specialist, application=app, verdicts={}, notes="x"
            )
        assert err.value.field == f"verdict_{first.pk}"
        app = services.defense_record_outcome(
            actor=specialist,
            application=app,
            verdicts={first.pk: ("met", "答辩中出示了验收报告")},
            notes="补充材料有效",
        )
    assert app.state == S.GRANTED
    review = CriterionReview.objects.get(application=app, criterion=first)
    assert review.verdict == "met" and review.revised_in_defense
    defense.refresh_from_db()
    assert defense.outcome == Defense.Outcome.GRANTED and defense.outcome_by == specialist
    verbs = [e.verb for e in timeline_for(app)]
    assert verbs[verbs.index("label.fail_review") :] == [
        "label.fail_review",
        "label.request_defense",
        "label.schedule_defense",
        "label.defense_grant",
    ]


def test_defense_through_a_specialist_can_end_in_refusal(owner, partner, label, specialist):
    app = failed_application(owner, partner, label, specialist, not_met=(1, 2))
    with pytest.raises(DomainError) as err:  # no PDM assigned
        services.label_request_defense(
            actor=owner,
            application=app,
            channel="pdm",
            criteria=list(label.criteria.all()),
            statement="请澄清",
        )
    assert err.value.field == "channel"
    defense = services.label_request_defense(
        actor=owner,
        application=app,
        channel="specialist",
        criteria=list(label.criteria.all()),
        statement="请澄清",
    )
    assert defense.organizer == specialist  # the reviewer who concluded the review
    when = timezone.now() + timedelta(days=1)
    services.defense_schedule(
        actor=specialist,
        application=app,
        scheduled_at=when,
        meeting_link="https://meet.example.com/2",
        external_experts="周教授",
    )
    services.defense_schedule(  # rescheduled
        actor=specialist,
        application=app,
        scheduled_at=when + timedelta(hours=2),
        meeting_link="https://meet.example.com/3",
        external_experts="周教授",
    )
    with time_machine.travel(when + timedelta(hours=5), tick=False):
        app = services.defense_record_outcome(
            actor=specialist,
            application=app,
            verdicts={
                c.pk: ("not_met" if c.position == 1 else "met", "仍缺少材料")
                for c in label.criteria.all()
            },
            notes="第一项仍不满足",
        )
    assert app.state == S.REFUSED
    assert Defense.objects.get().outcome == Defense.Outcome.REFUSED
    assert Event.objects.filter(verb="label.reschedule_defense").count() == 1


def test_request_after_the_window_is_refused_and_the_sweep_closes_it(
    owner, partner, label, specialist
):
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        app = failed_application(owner, partner, label, specialist)
    late = app.defense_deadline + timedelta(minutes=1)
    with time_machine.travel(late, tick=False):
        with pytest.raises(DomainError) as err:
            services.label_request_defense(
                actor=owner,
                application=app,
                channel="specialist",
                criteria=[label.criteria.get(position=1)],
                statement="x",
            )
        assert err.value.code == "window_closed"
        assert services.close_expired_defense_windows() == 1
        assert services.close_expired_defense_windows() == 0  # twice: same end state
    app.refresh_from_db()
    assert app.state == S.REFUSED
    assert Event.objects.filter(verb="label.close_defense_window", subject_id=app.pk).count() == 1
    assert Notification.objects.filter(recipient=owner, kind="certification.label.refused").exists()


def test_sweep_leaves_open_windows_alone(owner, partner, label, specialist):
    app = failed_application(owner, partner, label, specialist)
    assert (
        services.close_expired_defense_windows(now=app.defense_deadline - timedelta(seconds=1)) == 0
    )
    app.refresh_from_db()
    assert app.state == S.REVIEW_FAILED


def test_accepting_the_result_closes_the_application(owner, partner, label, specialist):
    app = failed_application(owner, partner, label, specialist)
    app = services.label_accept_result(actor=owner, application=app)
    assert app.state == S.REFUSED
    assert services.label_apply(actor=owner, partner=partner, label=label).state == S.DRAFT


def test_withdraw_and_evidence_locks(owner, partner, label, specialist):
    app = submitted_application(owner, partner, label)
    with pytest.raises(DomainError):  # evidence is locked once submitted
        services.label_add_evidence(
            actor=owner, application=app, criterion=label.criteria.first(), upload=pdf()
        )
    app = services.label_withdraw(actor=owner, application=app, reason="稍后")
    assert app.state == S.WITHDRAWN


def test_a_bd_user_who_is_not_the_pdm_cannot_schedule(owner, partner, label, specialist, bd):
    app = defended_application(owner, partner, label, specialist)
    with pytest.raises(DomainError) as err:
        services.defense_schedule(
            actor=bd,
            application=app,
            scheduled_at=timezone.now() + timedelta(days=1),
            meeting_link="https://meet.example.com/1",
            external_experts="专家",
        )
    assert err.value.code == "forbidden"


# Pages and API --------------------------------------------------------------------------


def test_defense_flow_through_pages(login, owner, partner, label, specialist, pdm):
    app = failed_application(owner, partner, label, specialist)
    url = f"/certification/labels/applications/{app.pk}/"
    partner_client = login(owner)
    html = partner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="review-failed"' in html and 'data-testid="defense-request-form"' in html
    assert 'data-verdict="not_met"' in html and "缺少验收报告" in html
    response = partner_client.post(
        url,
        {
            "action": "request_defense",
            "defense-channel": "pdm",
            "defense-criteria": [label.criteria.get(position=1).pk],
            "defense-statement": "请安排答辩",
        },
    )
    assert response.status_code == 302
    pdm_client = login(pdm)
    html = pdm_client.get("/certification/defenses/").content.decode()
    assert partner.name in html
    html = pdm_client.get(url).content.decode()
    assert 'data-testid="schedule-form"' in html
    assert 'data-testid="download"' not in html  # the PDM organises; files stay private
    when = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = pdm_client.post(
        url,
        {
            "action": "schedule",
            "schedule-scheduled_at": when,
            "schedule-duration_minutes": 60,
            "schedule-meeting_link": "https://meet.example.com/abc",
            "schedule-experts": [specialist.pk],
            "schedule-external_experts": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    html = partner_client.get(url).content.decode()
    assert "https://meet.example.com/abc" in html and 'data-testid="defense-time"' in html
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later, tick=False):
        client = login(specialist)
        first = label.criteria.get(position=1)
        response = client.post(
            url,
            {
                "action": "record_outcome",
                f"outcome-verdict_{first.pk}": "met",
                f"outcome-comment_{first.pk}": "",
                "outcome-notes": "澄清后满足",
            },
        )
        assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.GRANTED


def test_reviewer_decides_each_criterion_on_the_page(login, owner, partner, label, specialist):
    app = submitted_application(owner, partner, label)
    url = f"/certification/labels/applications/{app.pk}/"
    client = login(specialist)
    first, second = label.criteria.order_by("position")
    response = client.post(
        url,
        {"action": "decide_criterion", "criterion": first.pk, f"c{first.pk}-verdict": "not_met"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert 'data-field-error="comment"' in response.content.decode()
    for c in (first, second):
        response = client.post(
            url,
            {
                "action": "decide_criterion",
                "criterion": c.pk,
                f"c{c.pk}-verdict": "not_met" if c == first else "met",
                f"c{c.pk}-comment": "缺少" if c == first else "",
            },
        )
        assert response.status_code == 302
    # The partner does not see verdicts while the review is in progress.
    assert 'data-testid="verdict"' not in login(owner).get(url).content.decode()
    response = client.post(url, {"action": "conclude", "conclude-summary": "一项不满足"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.REVIEW_FAILED


def test_partner_applies_and_adds_evidence_on_pages(login, owner, partner, label):
    client = login(owner)
    response = client.post(f"/certification/labels/{label.pk}/apply/", {"statement": "做过"})
    app = LabelApplication.objects.get()
    assert response.status_code == 302
    url = f"/certification/labels/applications/{app.pk}/"
    for c in label.criteria.all():
        response = client.post(
            url, {"action": "add_evidence", "criterion": c.pk, "file": pdf(), "note": "报告"}
        )
        assert response.status_code == 302
    assert client.post(url, {"action": "submit"}).status_code == 302
    app.refresh_from_db()
    assert app.state == S.SUBMITTED


def test_api_defense_flow(owner, partner, label, specialist, pdm):
    app = failed_application(owner, partner, label, specialist)
    first = label.criteria.get(position=1)
    partner_api = api_client(owner)
    base = f"/api/v1/certification/label-applications/{app.pk}"
    body = partner_api.get(f"{base}/").json()
    assert body["state"] == "review_failed"
    assert {r["verdict"] for r in body["criterion_reviews"]} == {"met", "not_met"}
    response = partner_api.post(
        f"{base}/request-defense/",
        {"channel": "pdm", "criteria": [first.pk], "statement": "请澄清"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["defense"]["channel"] == "pdm"
    pdm_api = api_client(pdm)
    assert pdm_api.get("/api/v1/certification/defenses/").json()["count"] == 1
    when = (timezone.now() + timedelta(days=1)).isoformat()
    response = pdm_api.post(
        f"{base}/schedule-defense/",
        {
            "scheduled_at": when,
            "meeting_link": "https://meet.example.com/z",
            "experts": [specialist.pk],
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "defense_scheduled"
    reviewer = api_client(specialist)
    with time_machine.travel(timezone.now() + timedelta(days=2), tick=False):
        response = reviewer.post(
            f"{base}/record-outcome/",
            {
                "verdicts": [{"criterion": first.pk, "verdict": "not_met", "comment": "不足"}],
                "notes": "维持",
            },
            format="json",
        )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "refused"
    assert response.json()["defense"]["outcome"] == "refused"


def test_api_partner_does_not_see_verdicts_during_review(owner, partner, label, specialist):
    app = submitted_application(owner, partner, label)
    services.label_decide_criterion(
        actor=specialist, application=app, criterion=label.criteria.first(), verdict="met"
    )
    client = api_client(owner)
    body = client.get(f"/api/v1/certification/label-applications/{app.pk}/").json()
    assert body["criterion_reviews"] == []
    client.force_authenticate(specialist)
    body = client.get(f"/api/v1/certification/label-applications/{app.pk}/").json()
    assert len(body["criterion_reviews"]) == 1
