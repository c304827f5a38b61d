"""Enterprise certification: fixed, ordered slots; order enforced; missing slots named;
reviewers approve or reject with reasons; the partner sees state and history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import services, transitions
from certification.models import AttachmentSlot, EnterpriseCertification
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.notifications.models import Notification
from tests.certification.helpers import filled_enterprise, pdf, png, upload_on_the_page
from tests.helpers import api_client

pytestmark = pytest.mark.django_db

K = AttachmentSlot.Kind


def _layout(cert):
    return [
        (s.position, s.kind, s.person.name if s.person else s.title)
        for s in cert.slots.select_related("person").order_by("position")
    ]


def test_slots_follow_the_required_order(owner, partner):
    cert = services.enterprise_start(
        actor=owner,
        partner=partner,
        legal_person="张三",
        staff=["李四", "王五"],
        other_certificates=["增值电信业务经营许可证"],
    )
    assert _layout(cert) == [
        (1, K.BUSINESS_LICENCE, ""),
        (2, K.OTHER_CERTIFICATE, "增值电信业务经营许可证"),
        (3, K.ID_PORTRAIT, "张三"),
        (4, K.ID_EMBLEM, "张三"),
        (5, K.ID_PORTRAIT, "李四"),
        (6, K.ID_EMBLEM, "李四"),
        (7, K.ID_PORTRAIT, "王五"),
        (8, K.ID_EMBLEM, "王五"),
    ]


def test_without_persons_only_the_certificates_are_asked(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    assert _layout(cert) == [(1, K.BUSINESS_LICENCE, "")]


def test_a_slot_opens_only_after_every_earlier_slot_holds_a_file(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner, legal_person="张三")
    with pytest.raises(DomainError) as err:
        services.enterprise_upload(actor=owner, certification=cert, position=2, upload=png())
    assert err.value.code == "order"
    assert "slot 1" in str(err.value.message) and "Business licence" in str(err.value.message)
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    with pytest.raises(DomainError) as err:
        services.enterprise_upload(actor=owner, certification=cert, position=3, upload=png())
    assert "slot 2" in str(err.value.message) and "portrait side" in str(err.value.message)
    services.enterprise_upload(actor=owner, certification=cert, position=2, upload=png())
    services.enterprise_upload(actor=owner, certification=cert, position=3, upload=png())
    assert cert.slots.filter(attachment__isnull=False).count() == 3


def test_submitting_with_a_missing_slot_names_it(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner, legal_person="张三")
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    services.enterprise_upload(actor=owner, certification=cert, position=2, upload=png())
    with pytest.raises(DomainError) as err:
        services.enterprise_submit(actor=owner, certification=cert)
    message = str(err.value.message)
    assert "#3" in message and "national-emblem side" in message and "张三" in message
    assert "#2" not in message
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.DRAFT


def test_changing_the_persons_keeps_uploaded_files_in_their_slots(owner, partner):
    cert = filled_enterprise(owner, partner, legal_person="张三")
    licence = cert.slots.get(position=1).attachment_id
    portrait = cert.slots.get(kind=K.ID_PORTRAIT).attachment_id
    services.enterprise_setup(
        actor=owner,
        certification=cert,
        legal_person="张三",
        staff=["李四"],
        other_certificates=["资质证书"],
    )
    slots = {s.position: s for s in cert.slots.select_related("person")}
    assert slots[1].attachment_id == licence
    assert slots[2].kind == K.OTHER_CERTIFICATE and slots[2].attachment_id is None
    assert slots[3].attachment_id == portrait and slots[3].person.name == "张三"
    assert slots[5].person.name == "李四" and slots[5].attachment_id is None
    # Slot 2 is empty now: slot 5 (after it) cannot be filled before it.
    with pytest.raises(DomainError):
        services.enterprise_upload(actor=owner, certification=cert, position=5, upload=png())


def test_setup_refuses_duplicate_names_and_too_many_staff(owner, partner):
    with pytest.raises(DomainError) as err:
        services.enterprise_start(actor=owner, partner=partner, staff=["李四", "李四"])
    assert err.value.field == "staff"
    with pytest.raises(DomainError):
        services.enterprise_start(
            actor=owner, partner=partner, staff=[f"员工{i}" for i in range(11)]
        )
    with pytest.raises(DomainError):
        services.enterprise_start(actor=owner, partner=partner, legal_person="张三", staff=["张三"])


def test_one_open_certification_per_partner(owner, partner):
    services.enterprise_start(actor=owner, partner=partner)
    with pytest.raises(DomainError) as err:
        services.enterprise_start(actor=owner, partner=partner)
    assert err.value.code == "exists"


def test_approve_notifies_the_partner_and_records_the_history(
    owner, partner, specialist, django_capture_on_commit_callbacks
):
    cert = filled_enterprise(owner, partner, legal_person="张三")
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_submit(actor=owner, certification=cert)
    assert Notification.objects.filter(
        recipient=specialist, kind="certification.enterprise.submitted"
    ).exists()
    services.enterprise_approve(actor=specialist, certification=cert, comment="齐全")
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.APPROVED
    assert cert.decided_by == specialist
    assert Notification.objects.filter(
        recipient=owner, kind="certification.enterprise.approved"
    ).exists()
    verbs = [e.verb for e in timeline_for(cert)]
    assert verbs == [
        "enterprise.create",
        "enterprise.upload",
        "enterprise.upload",
        "enterprise.upload",
        "enterprise.submit",
        "enterprise.approve",
    ]


def test_reject_needs_reasons_and_other_needs_a_comment(owner, partner, specialist):
    cert = filled_enterprise(owner, partner)
    services.enterprise_submit(actor=owner, certification=cert)
    with pytest.raises(DomainError) as err:
        services.enterprise_reject(actor=specialist, certification=cert, reasons=[])
    assert err.value.field == "reasons"
    with pytest.raises(DomainError) as err:
        services.enterprise_reject(actor=specialist, certification=cert, reasons=["other"])
    assert err.value.field == "comment"
    services.enterprise_reject(
        actor=specialist, certification=cert, reasons=["unreadable", "expired"], comment="重拍"
    )
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.REJECTED
    assert cert.reject_reasons == ["unreadable", "expired"]
    event = timeline_for(cert).last()
    assert event.verb == "enterprise.reject" and "重拍" in event.reason


def test_rejected_certification_is_revised_and_resubmitted(owner, partner, specialist):
    cert = filled_enterprise(owner, partner)
    services.enterprise_submit(actor=owner, certification=cert)
    services.enterprise_reject(actor=specialist, certification=cert, reasons=["unreadable"])
    services.enterprise_revise(actor=owner, certification=cert)
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.DRAFT
    assert cert.reject_reasons == ["unreadable"]  # still shown while revising
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf("new.pdf"))
    services.enterprise_submit(actor=owner, certification=cert)
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.SUBMITTED
    assert cert.reject_reasons == []


def test_the_transition_table_refuses_steps_from_the_wrong_state(owner, partner, specialist):
    cert = services.enterprise_start(actor=owner, partner=partner)
    with pytest.raises(DomainError) as err:
        services.enterprise_approve(actor=specialist, certification=cert)
    assert err.value.code == "wrong_state"
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    services.enterprise_submit(actor=owner, certification=cert)
    with pytest.raises(DomainError):
        services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    cert.refresh_from_db()
    assert transitions.ENTERPRISE.allowed(cert) == {"approve", "reject"}


def test_only_a_reviewer_decides_and_only_the_partner_admin_uploads(
    owner, teammate, outsider, partner, specialist, bd
):
    cert = services.enterprise_start(actor=owner, partner=partner)
    for actor in (teammate, outsider, specialist):
        with pytest.raises(DomainError):
            services.enterprise_upload(actor=actor, certification=cert, position=1, upload=pdf())
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    services.enterprise_submit(actor=owner, certification=cert)
    for actor in (owner, bd, outsider):
        with pytest.raises(DomainError):
            services.enterprise_approve(actor=actor, certification=cert)


# Pages -----------------------------------------------------------------------------------


def test_partner_starts_uploads_in_order_and_submits_through_pages(login, owner, partner):
    client = login(owner)
    response = client.post(
        "/certification/enterprise/new/",
        {"legal_person": "张三", "staff": "", "other_certificates": ""},
    )
    cert = EnterpriseCertification.objects.get(partner=partner)
    assert response.status_code == 302 and response.url == f"/certification/enterprise/{cert.pk}/"
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        page.index("Business licence") < page.index("portrait side") < page.index("national-emblem")
    )
    assert page.count('data-testid="upload-form"') == 1  # only slot 1 is open
    # Slot 2 before slot 1: refused on the page, next to slot 2.
    response = client.post(
        response.url,
        {"action": "upload", "position": 2, "file": png()},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "upload slot 1 (Business licence) before slot 2" in response.content.decode()
    for position, upload in [(1, pdf()), (2, png()), (3, png())]:
        response = client.post(
            f"/certification/enterprise/{cert.pk}/",
            {"action": "upload", "position": position, "file": upload},
        )
        assert response.status_code == 302
    response = client.post(f"/certification/enterprise/{cert.pk}/", {"action": "submit"})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.state == EnterpriseCertification.State.SUBMITTED


def test_submit_page_says_which_slot_is_missing(login, owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner, legal_person="张三")
    response = login(owner).post(
        f"/certification/enterprise/{cert.pk}/", {"action": "submit"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert 'data-testid="page-error"' in html
    assert "#1 Business licence" in html and "#3 ID card, national-emblem side — 张三" in html


def test_specialist_rejects_on_the_page_and_the_partner_sees_why(login, owner, partner, specialist):
    cert = filled_enterprise(owner, partner)
    services.enterprise_submit(actor=owner, certification=cert)
    client = login(specialist)
    url = f"/certification/enterprise/{cert.pk}/"
    response = client.post(url, {"action": "decide", "decision-decision": "reject"})
    assert 'data-field-error="reasons"' in response.content.decode()
    response = client.post(
        url,
        {
            "action": "decide",
            "decision-decision": "reject",
            "decision-reasons": ["expired"],
            "decision-comment": "营业执照已过期",
        },
    )
    assert response.status_code == 302
    html = login(owner).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="rejection"' in html and "营业执照已过期" in html
    assert "has expired" in html
    assert 'data-testid="revise"' in html
    assert 'data-testid="timeline"' in html and "Rejected" in html


def test_teammate_sees_but_cannot_change(login, owner, teammate, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    client = login(teammate)
    url = f"/certification/enterprise/{cert.pk}/"
    assert client.get(url).status_code == 200
    assert 'data-testid="upload-form"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "upload", "position": 1, "file": pdf()}).status_code == 403
    assert client.get("/certification/enterprise/new/").status_code == 403


def test_partner_cannot_decide_its_own_certification(login, owner, partner):
    cert = filled_enterprise(owner, partner)
    services.enterprise_submit(actor=owner, certification=cert)
    response = login(owner).post(
        f"/certification/enterprise/{cert.pk}/",
        {"action": "decide", "decision-decision": "approve"},
    )
    assert response.status_code == 403


# API ------------------------------------------------------------------------------------


def test_api_flow_start_upload_submit_approve(owner, partner, specialist):
    client = api_client(owner)
    response = client.post(
        "/api/v1/certification/enterprise/",
        {"legal_person": "张三", "staff": [], "other_certificates": []},
        format="json",
    )
    assert response.status_code == 201, response.content
    cid = response.json()["id"]
    assert [s["kind"] for s in response.json()["slots"]] == [
        "business_licence",
        "id_portrait",
        "id_emblem",
    ]
    response = client.post(
        f"/api/v1/certification/enterprise/{cid}/upload/",
        {"position": 2, "file": png()},
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()["fields"]
    for position in (1, 2, 3):
        response = client.post(
            f"/api/v1/certification/enterprise/{cid}/upload/",
            {"position": position, "file": png(f"{position}.png")},
            format="multipart",
        )
        assert response.status_code == 200, response.content
    slot = response.json()["slots"][0]
    assert slot["attachment"]["path"].startswith("enterprise/")
    assert slot["attachment"]["download_url"] == (
        f"/api/v1/certification/files/{slot['attachment']['id']}/download/"
    )
    assert client.post(f"/api/v1/certification/enterprise/{cid}/submit/").json()["state"] == (
        "submitted"
    )
    assert client.post(f"/api/v1/certification/enterprise/{cid}/approve/").status_code == 403
    reviewer = api_client(specialist)
    response = reviewer.post(
        f"/api/v1/certification/enterprise/{cid}/reject/", {"reasons": []}, format="json"
    )
    assert response.status_code == 400 and "reasons" in response.json()["fields"]
    response = reviewer.post(
        f"/api/v1/certification/enterprise/{cid}/approve/", {"comment": "ok"}, format="json"
    )
    assert response.status_code == 200 and response.json()["state"] == "approved"


def test_api_refuses_two_files_in_one_upload(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner)
    client = api_client(owner)
    response = client.post(
        f"/api/v1/certification/enterprise/{cert.pk}/upload/",
        {"position": 1, "file": [png("a.png"), png("b.png")]},
        format="multipart",
    )
    assert response.status_code == 400
    assert not cert.slots.filter(attachment__isnull=False).exists()


def test_api_submit_names_the_missing_slots(owner, partner):
    cert = services.enterprise_start(actor=owner, partner=partner, staff=["李四"])
    client = api_client(owner)
    response = client.post(
        f"/api/v1/certification/enterprise/{cert.pk}/submit/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "#2 ID card, portrait side — 李四" in response.json()["fields"]["slots"][0]


def test_empty_upload_field_on_page(login, owner, partner):
    response = upload_on_the_page(login(owner), owner, partner, SimpleUploadedFile("e.pdf", b""))
    assert "is empty" in response.content.decode()
