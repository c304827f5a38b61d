"""Enterprise certification in one go: several files into the ordered slots in one step
(suggested by order, reassignable, all or nothing, one timeline event), locked slots name
the slot they wait for, and reviewers see previews next to the checklist."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import services
from certification.models import AttachmentSlot, EnterpriseCertification
from certification.previews import preview_path
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.uploads import storage
from tests.certification.helpers import filled_enterprise, nothing_stored, pdf, png, stored_files
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db


def _start(owner, partner, **setup):
    setup.setdefault("legal_person", "张三")
    return services.enterprise_start(actor=owner, partner=partner, **setup)


def _filled(cert):
    return {
        s.position: s.attachment.original_name if s.attachment_id else None
        for s in cert.slots.select_related("attachment")
    }


def _three_files(owner, cert, reversed_with=None):
    """The licence and both ID sides in order, or the other way round with slots chosen."""
    files = [pdf("licence.pdf"), png("front.png"), png("back.png")]
    if reversed_with:
        files.reverse()
    return services.enterprise_upload_many(
        actor=owner, certification=cert, files=files, positions=reversed_with
    )


def _batch_events(cert):
    return [e for e in timeline_for(cert) if e.verb == "enterprise.upload_batch"]


def test_order_suggestion_fills_empty_slots_in_order(owner, partner):
    cert = _start(owner, partner)
    services.enterprise_upload(actor=owner, certification=cert, position=1, upload=pdf())
    slots = list(cert.slots.all())
    assert services.suggest_slots(slots, 2) == [2, 3]
    assert services.suggest_slots(slots, 3) == [2, 3, None]


def test_several_files_go_into_their_slots_in_one_step_with_one_event(owner, partner):
    cert = _start(owner, partner)
    done = _three_files(owner, cert)
    assert [s.position for s in done] == [1, 2, 3]
    assert _filled(cert) == {1: "licence.pdf", 2: "front.png", 3: "back.png"}
    events = _batch_events(cert)
    assert len(events) == 1
    assert [f["position"] for f in events[0].data["files"]] == [1, 2, 3]
    assert not [e for e in timeline_for(cert) if e.verb == "enterprise.upload"]


def test_the_user_reassigns_files_before_saving(owner, partner):
    cert = _start(owner, partner)
    _three_files(owner, cert, reversed_with=[3, 2, 1])
    assert _filled(cert) == {1: "licence.pdf", 2: "front.png", 3: "back.png"}


def test_a_bad_file_refuses_the_whole_batch_and_names_the_file(owner, partner):
    cert = _start(owner, partner)
    fake = SimpleUploadedFile("id-back.png", b"MZ not an image", content_type="image/png")
    with pytest.raises(DomainError) as info:
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[pdf(), png("front.png"), fake]
        )
    assert info.value.field == "files"
    assert "id-back.png" in str(info.value.message)
    assert "front.png" not in str(info.value.message)
    assert nothing_stored()
    assert set(_filled(cert).values()) == {None}
    assert not _batch_events(cert)


def test_the_order_rule_and_one_file_per_slot_hold_for_a_batch(owner, partner):
    cert = _start(owner, partner)
    with pytest.raises(DomainError) as info:
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[png("a.png")], positions=[2]
        )
    assert info.value.code == "order"
    with pytest.raises(DomainError) as info:
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[png("a.png"), png("b.png")], positions=[1, 1]
        )
    assert info.value.code == "same_slot"
    with pytest.raises(DomainError) as info:
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[png(f"{i}.png") for i in range(4)]
        )
    assert info.value.code == "too_many_files"
    assert nothing_stored()


def test_a_batch_replaces_files_and_only_drafts_take_files(
    owner, partner, django_capture_on_commit_callbacks
):
    cert = filled_enterprise(owner, partner, legal_person="张三")
    old = set(stored_files())
    with django_capture_on_commit_callbacks(execute=True):
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[pdf("new.pdf")], positions=[1]
        )
    assert _filled(cert)[1] == "new.pdf"
    assert len(stored_files()) == len(old)  # the replaced file is gone
    services.enterprise_submit(actor=owner, certification=cert)
    with pytest.raises(DomainError):
        services.enterprise_upload_many(
            actor=owner, certification=cert, files=[png()], positions=[1]
        )


def test_page_batch_upload_and_locked_slots_name_their_slot(login, owner, partner):
    cert = _start(owner, partner)
    client = login(owner)
    url = f"/certification/enterprise/{cert.pk}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="batch-form"' in page and "multiple" in page
    assert "Opens after “Business licence”." in page
    assert "data-empty" in page  # the suggestion's source for the script
    response = client.post(
        url,
        {
            "action": "upload_many",
            "files": [pdf("licence.pdf"), png("front.png")],
            "slot": ["", ""],
        },
    )
    assert response.status_code == 302
    assert _filled(cert) == {1: "licence.pdf", 2: "front.png", 3: None}
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "一次上传多个文件" in page


def test_page_shows_the_refused_file_and_stores_nothing(login, owner, partner):
    cert = _start(owner, partner)
    fake = SimpleUploadedFile("scan.exe.png", b"x" * 10, content_type="image/png")
    response = login(owner).post(
        f"/certification/enterprise/{cert.pk}/",
        {"action": "upload_many", "files": [pdf(), fake]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="batch-error"' in html and "scan.exe.png" in html
    assert nothing_stored()


def test_teammate_cannot_batch_upload(login, owner, teammate, partner):
    cert = _start(owner, partner)
    response = login(teammate).post(
        f"/certification/enterprise/{cert.pk}/", {"action": "upload_many", "files": [pdf()]}
    )
    assert response.status_code == 403
    assert nothing_stored()


def _submitted(owner, partner):
    cert = _start(owner, partner)
    _three_files(owner, cert)
    return services.enterprise_submit(actor=owner, certification=cert)


def test_specialist_sees_previews_of_images_and_the_pdf_first_page(
    login, owner, partner, specialist
):
    cert = _submitted(owner, partner)
    client = login(specialist)
    page = client.get(f"/certification/enterprise/{cert.pk}/").content.decode()
    assert page.count('data-testid="preview"') == 3
    assert 'data-testid="decision-form"' in page
    licence = cert.slots.get(position=1).attachment
    response = client.get(f"/certification/files/{licence.pk}/?preview=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\x89PNG")
    assert storage().exists(preview_path(licence.path))  # cached for the next reviewer
    again = client.get(f"/certification/files/{licence.pk}/?preview=1")
    assert b"".join(again.streaming_content) == body
    photo = cert.slots.get(position=2).attachment
    response = client.get(f"/certification/files/{photo.pk}/?preview=1")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_partner_page_has_no_previews(login, owner, partner):
    cert = _submitted(owner, partner)
    page = login(owner).get(f"/certification/enterprise/{cert.pk}/").content.decode()
    assert 'data-testid="preview"' not in page


def test_outsider_cannot_fetch_previews(login, owner, partner, outsider):
    cert = _submitted(owner, partner)
    client = login(outsider)
    for slot in cert.slots.all():
        response = client.get(f"/certification/files/{slot.attachment_id}/?preview=1")
        assert response.status_code == 404


def test_review_page_query_count_does_not_grow_with_slots(
    login, owner, partner, specialist, other_partner, outsider
):
    small = _submitted(owner, partner)
    client = login(specialist)
    few = count_queries(client.get, f"/certification/enterprise/{small.pk}/")
    other, other_owner = other_partner, outsider
    big = services.enterprise_start(
        actor=other_owner, partner=other, legal_person="李四", staff=["王五", "赵六"]
    )
    services.enterprise_upload_many(
        actor=other_owner,
        certification=big,
        files=[png(f"{i}.png") for i in range(big.slots.count())],
    )
    services.enterprise_submit(actor=other_owner, certification=big)
    many = count_queries(client.get, f"/certification/enterprise/{big.pk}/")
    assert many == few
    assert EnterpriseCertification.objects.count() == 2
    assert AttachmentSlot.objects.filter(certification=big).count() == 7
