"""Who sees what: every certification page and endpoint answers 404 to another partner;
files are downloaded only by the owning partner and reviewers, through a checked view."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import services
from partner_center.audit.models import Event
from tests.certification.helpers import (
    defended_application,
    failed_application,
    filled_enterprise,
    jpeg,
    pdf,
)
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(owner, partner, specialist, label, pdm):
    """One record of each kind belonging to the persona partner."""
    cert = filled_enterprise(owner, partner, legal_person="张三")
    services.enterprise_submit(actor=owner, certification=cert)
    card = services.bank_card_submit(
        actor=owner,
        partner=partner,
        holder_name="张三",
        bank_name="工商银行",
        card_number="6222021234567890128",
        face_photo=jpeg(),
    )
    app = defended_application(owner, partner, label, specialist, channel="pdm", statement="请澄清")
    evidence = app.evidence.select_related("attachment").first()
    return {
        "cert": cert,
        "card": card,
        "app": app,
        "slot_file": cert.slots.get(position=1).attachment,
        "photo": card.face_photo,
        "evidence": evidence,
    }


def page_urls(w):
    return [
        f"/certification/enterprise/{w['cert'].pk}/",
        f"/certification/enterprise/{w['cert'].pk}/setup/",
        f"/certification/bank-cards/{w['card'].pk}/",
        f"/certification/labels/applications/{w['app'].pk}/",
        f"/certification/files/{w['slot_file'].pk}/",
        f"/certification/files/{w['photo'].pk}/",
        f"/certification/files/{w['evidence'].attachment.pk}/",
    ]


def api_get_urls(w):
    return [
        f"/api/v1/certification/enterprise/{w['cert'].pk}/",
        f"/api/v1/certification/bank-cards/{w['card'].pk}/",
        f"/api/v1/certification/label-applications/{w['app'].pk}/",
        f"/api/v1/certification/files/{w['slot_file'].pk}/",
        f"/api/v1/certification/files/{w['slot_file'].pk}/download/",
        f"/api/v1/certification/files/{w['photo'].pk}/download/",
    ]


def partner_post_pages(w):
    e, a = w["cert"].pk, w["app"].pk
    return [
        (f"/certification/enterprise/{e}/", {"action": "upload", "position": 1, "file": pdf()}),
        (f"/certification/enterprise/{e}/", {"action": "submit"}),
        (f"/certification/enterprise/{e}/", {"action": "revise"}),
        (f"/certification/enterprise/{e}/setup/", {"legal_person": "x"}),
        (f"/certification/labels/applications/{a}/", {"action": "withdraw"}),
        (f"/certification/labels/applications/{a}/", {"action": "accept_result"}),
        (f"/certification/labels/applications/{a}/", {"action": "submit"}),
    ]


def partner_post_api(w):
    e, a = w["cert"].pk, w["app"].pk
    base = "/api/v1/certification"
    return [
        (f"{base}/enterprise/{e}/setup/", {"legal_person": "x"}),
        (f"{base}/enterprise/{e}/upload/", {"position": 1, "file": pdf()}),
        (f"{base}/enterprise/{e}/submit/", {}),
        (f"{base}/enterprise/{e}/revise/", {}),
        (f"{base}/label-applications/{a}/statement/", {"statement": "x"}),
        (f"{base}/label-applications/{a}/evidence/", {"criterion": 1, "file": pdf()}),
        (f"{base}/label-applications/{a}/remove-evidence/", {"evidence": w["evidence"].pk}),
        (f"{base}/label-applications/{a}/submit/", {}),
        (f"{base}/label-applications/{a}/withdraw/", {}),
        (f"{base}/label-applications/{a}/accept-result/", {}),
        (f"{base}/label-applications/{a}/request-defense/", {"channel": "pdm", "criteria": [1], "statement": "x"}),
    ]  # fmt: skip


def test_outsider_gets_404_on_every_page(world, login, outsider):
    client = login(outsider)
    for url in page_urls(world):
        assert client.get(url).status_code == 404, url
    for url, data in partner_post_pages(world):
        assert client.post(url, data).status_code == 404, url


def test_outsider_gets_404_on_every_endpoint(world, outsider):
    client = api_client(outsider)
    for url in api_get_urls(world):
        assert client.get(url).status_code == 404, url
    for url, data in partner_post_api(world):
        assert client.post(url, data, format="multipart").status_code == 404, url


def test_outsider_lists_show_none_of_the_partners_rows(world, login, outsider, partner):
    client = login(outsider)
    for url in [
        "/certification/enterprise/",
        "/certification/bank-cards/",
        "/certification/labels/applications/",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        assert 'data-testid="empty-state"' in response.content.decode(), url
    api = api_client(outsider)
    for url in [
        "/api/v1/certification/enterprise/",
        "/api/v1/certification/bank-cards/",
        "/api/v1/certification/label-applications/",
    ]:
        assert api.get(url).json()["count"] == 0, url


def test_reviewer_actions_answer_the_same_for_foreign_and_missing_ids(world, outsider):
    """An outsider learns nothing from reviewer endpoints: same answer as for a missing id."""
    client = api_client(outsider)
    base = "/api/v1/certification"
    for path in [
        "enterprise/{}/approve/",
        "enterprise/{}/reject/",
        "bank-cards/{}/approve/",
        "bank-cards/{}/reject/",
        "label-applications/{}/decide-criterion/",
        "label-applications/{}/conclude/",
        "label-applications/{}/schedule-defense/",
        "label-applications/{}/record-outcome/",
    ]:
        real = client.post(f"{base}/{path.format(world['cert'].pk)}", {}, format="json")
        missing = client.post(f"{base}/{path.format(999999)}", {}, format="json")
        assert real.status_code == missing.status_code and real.status_code in (403, 404), path


def test_reviewer_pages_refuse_partners(world, login, owner):
    client = login(owner)
    for url in [
        "/certification/review/enterprise/",
        "/certification/review/bank-cards/",
        "/certification/review/labels/",
        "/certification/defenses/",
    ]:
        assert client.get(url).status_code == 403, url


def test_anonymous_goes_to_login(world, client):
    for url in [*page_urls(world), "/certification/", "/certification/enterprise/"]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    assert client.get(api_get_urls(world)[0]).status_code in (401, 403)


@pytest.mark.parametrize("persona", ["owner", "teammate", "specialist"])
def test_owner_partner_and_reviewers_download(world, login, request, persona):
    user = request.getfixturevalue(persona)
    attachment = world["slot_file"]
    response = login(user).get(f"/certification/files/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert Event.objects.filter(verb="attachment.downloaded", actor=user).exists()


def test_download_refused_to_outsiders_bd_and_the_pdm(
    world, login, outsider, bd, pdm, customer_user
):
    url = f"/certification/files/{world['slot_file'].pk}/"
    assert login(outsider).get(url).status_code == 404
    for user in (bd, pdm, customer_user):
        assert login(user).get(url).status_code in (403, 404)
    api = api_client(outsider)
    assert api.get(f"/api/v1/certification/files/{world['photo'].pk}/download/").status_code == 404


def test_files_are_never_served_from_a_public_media_url(world, client, login, owner, settings):
    path = world["slot_file"].path
    assert login(owner).get(f"/media/{path}").status_code == 404
    assert login(owner).get(f"{settings.MEDIA_URL}{path}").status_code == 404


def test_images_can_be_viewed_inline_pdfs_always_download(world, login, specialist):
    client = login(specialist)
    response = client.get(f"/certification/files/{world['photo'].pk}/?inline=1")
    assert response["Content-Disposition"].startswith("inline")
    response = client.get(f"/certification/files/{world['evidence'].attachment.pk}/?inline=1")
    assert response["Content-Disposition"].startswith("attachment")


def test_pdm_sees_only_assigned_partners(
    world, login, pdm, outsider, other_partner, label, specialist
):
    other_app = failed_application(outsider, other_partner, label, specialist)
    client = login(pdm)
    assert client.get(f"/certification/labels/applications/{world['app'].pk}/").status_code == 200
    assert client.get(f"/certification/labels/applications/{other_app.pk}/").status_code == 404
    assert client.get(f"/certification/enterprise/{world['cert'].pk}/").status_code == 403
    html = client.get("/certification/labels/applications/").content.decode()
    assert world["app"].partner.name in html and other_partner.name not in html


def test_bd_without_assignment_sees_no_defense(world, login, bd):
    html = login(bd).get("/certification/defenses/").content.decode()
    assert 'data-testid="empty-state"' in html
    assert (
        login(bd).get(f"/certification/labels/applications/{world['app'].pk}/").status_code == 404
    )


def test_teammate_reads_but_may_not_act(world, login, teammate):
    client = login(teammate)
    url = f"/certification/labels/applications/{world['app'].pk}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "accept_result"}).status_code == 403
    api = api_client(teammate)
    assert (
        api.post(
            f"/api/v1/certification/label-applications/{world['app'].pk}/accept-result/"
        ).status_code
        == 403
    )


def test_every_certification_page_renders_for_its_users(world, login, owner, specialist, pdm):
    when = timezone.now() + timedelta(days=1)
    services.defense_schedule(
        actor=pdm,
        application=world["app"],
        scheduled_at=when,
        meeting_link="https://meet.example.com/q",
        experts=[specialist],
    )
    for user, urls in [
        (
            owner,
            [
                "/certification/",
                "/certification/enterprise/",
                "/certification/bank-cards/",
                "/certification/bank-cards/new/",
                "/certification/labels/",
                "/certification/labels/applications/",
                *page_urls(world)[:4],
            ],
        ),
        (
            specialist,
            [
                "/certification/review/enterprise/",
                "/certification/review/bank-cards/",
                "/certification/review/labels/",
                "/certification/defenses/",
                "/certification/labels/",
                *page_urls(world)[:1],
                *page_urls(world)[2:4],
            ],
        ),
    ]:
        client = login(user)
        for lang in ("zh-hans", "en"):
            for url in urls:
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
                assert response.status_code in (200, 302), (url, response.status_code)
