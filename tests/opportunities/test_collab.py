"""Working on a deal together: the comment thread (permissions, @mentions, notifications in
the reader's language, the webhook hook), next steps, files through the shared upload module,
lost-reason codes; outsiders on every page and endpoint; fixed query counts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from opportunities.collab import services
from opportunities.collab.models import DealAttachment, DealComment, NextStep
from opportunities.models import Opportunity
from partner_center.accounts.permissions import Role
from partner_center.audit.models import Event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from tests.factories import UserFactory, partner_user
from tests.files_kit import BAD_DOCUMENTS, image_bytes, pdf_bytes
from tests.helpers import api_client

pytestmark = pytest.mark.django_db
BAD_IDS = [case for case, *_ in BAD_DOCUMENTS]


@pytest.fixture
def po(po_of):
    return po_of("submitted")


@pytest.fixture
def bd2(db):
    return UserFactory(role=Role.BD, email="bd2@vendor.test", full_name="BD 李")


def _pdf(name="方案.pdf"):
    return SimpleUploadedFile(name, pdf_bytes())


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def notes(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs)


# ---- Comments: who may post ----------------------------------------------------------------


def test_partner_users_and_bd_post_comments(po, owner, teammate, bd):
    services.comment_post(actor=teammate, opportunity=po, body="客户下周开会")
    services.comment_post(actor=bd, opportunity=po, body="好的")
    services.comment_post(actor=owner, opportunity=po, body="收到")
    assert list(DealComment.objects.values_list("by_vendor", flat=True)) == [False, True, False]


def test_outsiders_and_other_roles_cannot_post(po, outsider, specialist):
    for actor in (outsider, specialist):
        with pytest.raises(NotAllowed):
            services.comment_post(actor=actor, opportunity=po, body="x")
    assert not DealComment.objects.exists()


def test_an_empty_or_too_long_comment_is_refused(po, owner):
    with pytest.raises(DomainError) as empty:
        services.comment_post(actor=owner, opportunity=po, body="   ")
    assert empty.value.field == "body"
    with pytest.raises(DomainError) as long:
        services.comment_post(actor=owner, opportunity=po, body="x" * 4001)
    assert long.value.field == "body"


# ---- Comments: notifications -----------------------------------------------------------


def test_a_partner_comment_notifies_all_bd_when_the_deal_has_no_bd_owner(po, teammate, bd, bd2):
    services.comment_post(actor=teammate, opportunity=po, body="请帮忙确认")
    assert len(notes(bd, "opportunities.comment_added")) == 1
    assert len(notes(bd2, "opportunities.comment_added")) == 1
    assert notes(teammate) == []


def test_a_partner_comment_notifies_only_the_bd_owner(po, teammate, bd, bd2):
    Opportunity.objects.filter(pk=po.pk).update(bd_owner=bd2)
    services.comment_post(actor=teammate, opportunity=po, body="请帮忙确认")
    assert notes(bd, "opportunities.comment_added") == []
    assert len(notes(bd2, "opportunities.comment_added")) == 1


def test_a_bd_comment_notifies_the_owner_and_partner_admins_not_bd(po, owner, teammate, bd, bd2):
    Opportunity.objects.filter(pk=po.pk).update(owner=teammate)
    services.comment_post(actor=bd, opportunity=po, body="材料齐全")
    assert len(notes(teammate, "opportunities.comment_added")) == 1  # the owner
    assert len(notes(owner, "opportunities.comment_added")) == 1  # the partner admin
    assert notes(bd) == [] and notes(bd2) == []


def test_at_owner_and_at_bd_notify_the_owners_once_as_mentions(po, owner, teammate, bd, bd2):
    Opportunity.objects.filter(pk=po.pk).update(owner=owner, bd_owner=bd2)
    comment = services.comment_post(actor=teammate, opportunity=po, body="@owner @bd 请看")
    assert comment.mentioned == [owner.pk, bd2.pk]
    assert len(notes(owner, "opportunities.comment_mention")) == 1
    assert [n.kind for n in notes(bd2)] == ["opportunities.comment_mention"]  # not twice
    assert notes(bd) == []


def test_picking_a_name_mentions_a_teammate(po, owner, teammate):
    services.comment_post(actor=owner, opportunity=po, body="请跟进", mentions=[teammate.pk])
    assert len(notes(teammate, "opportunities.comment_mention")) == 1


def test_a_mention_of_someone_outside_the_deal_is_refused(po, owner, outsider, bd):
    for person in (outsider, bd):  # a partner picks neither other partners nor BD by name
        with pytest.raises(DomainError) as refused:
            services.comment_post(actor=owner, opportunity=po, body="x", mentions=[person.pk])
        assert refused.value.field == "mentions"


def test_notifications_are_rendered_in_each_readers_language(po, owner, teammate, bd):
    owner.language = "en"
    owner.save(update_fields=["language"])
    teammate.language = "zh-hans"
    teammate.save(update_fields=["language"])
    Opportunity.objects.filter(pk=po.pk).update(owner=owner)
    services.comment_post(actor=bd, opportunity=po, body="@owner 请补充", mentions=[teammate.pk])
    english = notes(owner)[0]
    chinese = notes(teammate)[0]
    assert english.title == f"Vendor BD mentioned you on #{po.pk}"  # BD unnamed to partners
    assert chinese.title == f"云厂商 BD 在 #{po.pk} 中提到了你"
    assert english.title_message["key"] == "%(who)s mentioned you on #%(id)s"
    with translation.override("zh-hans"):
        assert "请补充" in str(chinese.body)


def test_bd_readers_see_the_partner_author_by_name(po, teammate, bd):
    teammate.full_name = "赵敏"
    teammate.save(update_fields=["full_name"])
    bd.language = "en"
    bd.save(update_fields=["language"])
    services.comment_post(actor=teammate, opportunity=po, body="hi")
    assert notes(bd)[0].title == f"赵敏 commented on #{po.pk}"


def test_a_comment_reaches_the_partners_events_feed(po, owner):
    from partner_center.webhooks.models import PartnerEvent

    comment = services.comment_post(actor=owner, opportunity=po, body="with webhooks")
    event = PartnerEvent.objects.filter(type="comment.added").get()
    assert event.partner_id == po.partner_id
    assert event.payload["comment_id"] == comment.pk
    assert event.payload["body"] == "with webhooks"
    assert event.payload["object"]["id"] == po.pk


# ---- Comments: the page and the API ------------------------------------------------------


def test_comments_show_in_the_timeline_merged_with_events(po, owner, bd, login):
    services.comment_post(actor=bd, opportunity=po, body="第一条评论")
    client = login(owner)
    response = client.post(
        reverse("opportunities:comment_post", args=[po.pk]), {"body": "第二条 @owner"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    page = client.get(reverse("opportunities:detail", args=[po.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    timeline = page.context["timeline"]
    assert [getattr(e, "is_comment", False) for e in timeline][-2:] == [True, True]
    assert [e.created_at for e in timeline] == sorted(e.created_at for e in timeline)
    assert html.count('data-testid="comment"') == 2
    assert "BD comment" in html and "Partner comment" in html
    assert "BD 王" not in html  # the partner sees "Vendor BD"


def test_a_refused_comment_shows_next_to_its_field(po, owner, login):
    response = login(owner).post(
        reverse("opportunities:comment_post", args=[po.pk]),
        {"body": " "},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'data-field-error="body"' in response.content.decode()


def test_api_lists_and_creates_comments(po, owner, bd, api):
    url = f"/api/v1/opportunities/{po.pk}/comments/"
    created = api(bd).post(url, {"body": "请补充材料"}, format="json")
    assert created.status_code == 201 and created.json()["by_vendor"] is True
    listed = api(owner).get(url).json()
    assert listed["count"] == 1
    assert listed["results"][0]["author"] in ("Vendor BD", "云厂商 BD")
    bad = api(owner).post(url, {"body": "x", "mentions": [bd.pk]}, format="json")
    assert bad.status_code == 400 and "mentions" in bad.json()["fields"]


# ---- Next steps --------------------------------------------------------------------------


def test_next_steps_add_complete_reopen_with_events(po, owner, teammate):
    step = services.next_step_add(
        actor=owner,
        opportunity=po,
        text="约客户开会",
        due_on=timezone.localdate() + timedelta(days=3),
        assignee_id=teammate.pk,
    )
    assert len(notes(teammate, "opportunities.next_step_assigned")) == 1
    services.next_step_complete(actor=teammate, step=step)
    step.refresh_from_db()
    assert step.is_done and step.done_by == teammate
    with pytest.raises(DomainError):
        services.next_step_complete(actor=owner, step=step)
    services.next_step_reopen(actor=owner, step=step)
    step.refresh_from_db()
    assert not step.is_done
    verbs = list(Event.objects.filter(subject_id=po.pk).values_list("verb", flat=True))
    assert [v for v in verbs if v.startswith("opportunity.next_step")] == [
        Verb.NEXT_STEP_ADDED,
        Verb.NEXT_STEP_DONE,
        Verb.NEXT_STEP_REOPENED,
    ]


def test_a_next_step_needs_a_due_date_not_in_the_past_and_a_person_of_the_deal(po, owner, outsider):
    today = timezone.localdate()
    cases = [
        ({"text": "", "due_on": today}, "text"),
        ({"text": "x", "due_on": None}, "due_on"),
        ({"text": "x", "due_on": today - timedelta(days=1)}, "due_on"),
        ({"text": "x", "due_on": today, "assignee_id": outsider.pk}, "assignee"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as refused:
            services.next_step_add(actor=owner, opportunity=po, **kwargs)
        assert refused.value.field == field


def test_overdue_steps_are_highlighted(po, owner, login, time_machine):
    time_machine.move_to(timezone.now() - timedelta(days=5))
    services.next_step_add(
        actor=owner, opportunity=po, text="逾期的一步", due_on=timezone.localdate() + timedelta(1)
    )
    services.next_step_add(
        actor=owner, opportunity=po, text="未来的一步", due_on=timezone.localdate() + timedelta(9)
    )
    time_machine.move_to(timezone.now() + timedelta(days=5))
    html = login(owner).get(reverse("opportunities:detail", args=[po.pk])).content.decode()
    assert html.count('data-overdue="1"') == 1
    assert "pc-step-overdue" in html


def test_next_step_pages_and_api(po, owner, teammate, bd, login, api):
    client = login(teammate)
    due = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = client.post(
        reverse("opportunities:next_step_add", args=[po.pk]),
        {"text": "准备方案", "due_on": due, "assignee": str(owner.pk)},
    )
    assert response.status_code == 302
    step = NextStep.objects.get()
    client.post(reverse("opportunities:next_step_done", args=[step.pk]))
    assert NextStep.objects.get().is_done
    client.post(reverse("opportunities:next_step_reopen", args=[step.pk]))
    assert not NextStep.objects.get().is_done
    refused = client.post(
        reverse("opportunities:next_step_add", args=[po.pk]),
        {"text": "x", "due_on": "2001-01-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 400 and 'data-field-error="due_on"' in refused.content.decode()
    # API (BD)
    url = f"/api/v1/opportunities/{po.pk}/next-steps/"
    created = api(bd).post(url, {"text": "电话确认", "due_on": due}, format="json")
    assert created.status_code == 201 and created.json()["overdue"] is False
    step_id = created.json()["id"]
    done = api(bd).post(f"/api/v1/opportunities/next-steps/{step_id}/complete/")
    assert done.status_code == 200 and done.json()["done"] is True
    again = api(bd).post(f"/api/v1/opportunities/next-steps/{step_id}/complete/")
    assert again.status_code == 400
    assert api(owner).get(url).json()["count"] == 2


# ---- Files -------------------------------------------------------------------------------


def test_upload_list_download_by_everyone_who_sees_the_deal(po, owner, teammate, bd, login, api):
    client = login(teammate)
    response = client.post(
        reverse("opportunities:attachment_upload", args=[po.pk]),
        {"kind": "proposal", "file": _pdf()},
    )
    assert response.status_code == 302
    attachment = DealAttachment.objects.get()
    assert attachment.path.startswith("opportunities/attachments/")
    assert attachment.original_name == "方案.pdf" and attachment.content_type == "application/pdf"
    assert Event.objects.filter(verb=Verb.DEAL_ATTACHMENT_ADDED, subject_id=po.pk).exists()
    for user in (owner, teammate, bd):
        download = login(user).get(
            reverse("opportunities:attachment_download", args=[attachment.pk])
        )
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in download["Content-Disposition"]
    api_download = api(bd).get(f"/api/v1/opportunities/files/{attachment.pk}/download/")
    assert api_download.status_code == 200
    listed = api(owner).get(f"/api/v1/opportunities/{po.pk}/files/").json()
    assert listed["results"][0]["kind"] == "proposal"
    assert listed["results"][0]["download_url"].endswith(f"/files/{attachment.pk}/download/")


def test_api_upload(po, owner, api):
    response = api(owner).post(
        f"/api/v1/opportunities/{po.pk}/files/",
        {"kind": "customer_letter", "file": SimpleUploadedFile("letter.png", image_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind_label"] in ("Customer letter", "客户函件")


@pytest.mark.parametrize(("case", "name", "content", "words"), BAD_DOCUMENTS, ids=BAD_IDS)
def test_bad_files_are_refused_by_page_and_api(case, name, content, words, po, owner, login, api):
    with translation.override("en"):
        page = login(owner).post(
            reverse("opportunities:attachment_upload", args=[po.pk]),
            {"kind": "proposal", "file": SimpleUploadedFile(name, content)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-field-error="file"' in html and words in html.replace("&quot;", '"')
    client = api(owner)
    response = client.post(
        f"/api/v1/opportunities/{po.pk}/files/",
        {"kind": "proposal", "file": SimpleUploadedFile(name, content)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert words in response.json()["fields"]["file"][0]
    assert not DealAttachment.objects.exists() and stored_files() == []


def test_delete_by_the_uploader_or_the_partner_admin_only(po, owner, teammate, bd, login, api):
    mine = services.attachment_upload(
        actor=teammate, opportunity=po, kind="proposal", upload=_pdf()
    )
    by_bd = services.attachment_upload(actor=bd, opportunity=po, kind="other", upload=_pdf("b.pdf"))
    with pytest.raises(NotAllowed):
        services.attachment_delete(actor=teammate, attachment=by_bd)  # a member, not the uploader
    assert (
        login(teammate)
        .post(reverse("opportunities:attachment_delete", args=[by_bd.pk]))
        .status_code
        == 403
    )
    assert api(bd).delete(f"/api/v1/opportunities/files/{mine.pk}/").status_code == 403
    response = login(teammate).post(reverse("opportunities:attachment_delete", args=[mine.pk]))
    assert response.status_code == 302
    assert api(owner).delete(f"/api/v1/opportunities/files/{by_bd.pk}/").status_code == 204
    assert not DealAttachment.objects.exists()
    deleted = Event.objects.filter(verb=Verb.DEAL_ATTACHMENT_DELETED, subject_id=po.pk)
    assert sorted(deleted.values_list("reason", flat=True)) == ["b.pdf", "方案.pdf"]


# ---- Outsiders ---------------------------------------------------------------------------


def test_outsiders_get_404_on_every_collab_page_and_endpoint(po, owner, outsider, login, api):
    step = services.next_step_add(
        actor=owner, opportunity=po, text="x", due_on=timezone.localdate()
    )
    attachment = services.attachment_upload(
        actor=owner, opportunity=po, kind="proposal", upload=_pdf()
    )
    client = login(outsider)
    for name, pk in (
        ("comment_post", po.pk),
        ("next_step_add", po.pk),
        ("next_step_done", step.pk),
        ("next_step_reopen", step.pk),
        ("attachment_upload", po.pk),
        ("attachment_delete", attachment.pk),
    ):
        url = reverse(f"opportunities:{name}", args=[pk])
        assert client.post(url, {"body": "x", "text": "x", "kind": "other"}).status_code == 404
    download = reverse("opportunities:attachment_download", args=[attachment.pk])
    assert client.get(download).status_code == 404
    rest = api(outsider)
    for method, url in (
        ("get", f"/api/v1/opportunities/{po.pk}/comments/"),
        ("post", f"/api/v1/opportunities/{po.pk}/comments/"),
        ("get", f"/api/v1/opportunities/{po.pk}/next-steps/"),
        ("post", f"/api/v1/opportunities/{po.pk}/next-steps/"),
        ("get", f"/api/v1/opportunities/next-steps/{step.pk}/"),
        ("post", f"/api/v1/opportunities/next-steps/{step.pk}/complete/"),
        ("get", f"/api/v1/opportunities/{po.pk}/files/"),
        ("post", f"/api/v1/opportunities/{po.pk}/files/"),
        ("get", f"/api/v1/opportunities/files/{attachment.pk}/"),
        ("get", f"/api/v1/opportunities/files/{attachment.pk}/download/"),
        ("delete", f"/api/v1/opportunities/files/{attachment.pk}/"),
    ):
        assert getattr(rest, method)(url, {"body": "x"}).status_code == 404, url
    assert not DealComment.objects.exists()
    assert DealAttachment.objects.count() == 1 and not NextStep.objects.get().is_done


def test_other_vendor_roles_cannot_use_collab(po, specialist, login):
    client = login(specialist)
    assert client.post(reverse("opportunities:comment_post", args=[po.pk])).status_code == 403


# ---- Lost reasons ------------------------------------------------------------------------


@pytest.fixture
def verified(po_of):
    return po_of("verified")


def test_closing_lost_with_other_needs_a_comment_that_is_kept(verified, owner, api):
    from opportunities import services as opp_services

    with pytest.raises(DomainError) as refused:
        opp_services.opportunity_close(
            actor=owner, opportunity=verified, outcome="lost", lost_reason="other"
        )
    assert refused.value.field == "note"
    opp_services.opportunity_close(
        actor=owner, opportunity=verified, outcome="lost", lost_reason="other", note="客户内部重组"
    )
    body = api(owner).get(f"/api/v1/opportunities/po/{verified.pk}/").json()
    assert body["lost_reason"] == "other" and body["lost_note"] == "客户内部重组"
    assert body["lost_reason_label"] in ("Other", "其他")


def test_lost_reason_codes_filter_the_list(verified, owner, login, api):
    from opportunities import services as opp_services

    opp_services.opportunity_close(
        actor=owner, opportunity=verified, outcome="lost", lost_reason="competitor"
    )
    assert api(owner).get("/api/v1/opportunities/po/?lost_reason=competitor").json()["count"] == 1
    assert api(owner).get("/api/v1/opportunities/po/?lost_reason=price").json()["count"] == 0
    page = login(owner).get(reverse("opportunities:list") + "?lost_reason=competitor")
    assert page.status_code == 200


# ---- Query counts ------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["owner", "bd"])
def test_the_deal_page_query_count_is_fixed_for_1_and_20_items(
    viewer, po, owner, bd, login, request
):
    user = request.getfixturevalue(viewer)
    teammate = partner_user(owner.partner, Role.PARTNER_MEMBER, email="t2@huayun.test")
    due = timezone.localdate() + timedelta(days=1)

    def add(n):
        for i in range(n):
            author = (owner, bd, teammate)[i % 3]
            services.comment_post(actor=author, opportunity=po, body=f"c{i} @owner")
            services.next_step_add(
                actor=author, opportunity=po, text=f"s{i}", due_on=due, assignee_id=teammate.pk
            )
            services.attachment_upload(
                actor=author, opportunity=po, kind="other", upload=_pdf(f"f{i}.pdf")
            )

    def api_counts() -> list[int]:
        rest = api_client(user)
        counts = []
        for part in ("comments", "next-steps", "files"):
            with CaptureQueriesContext(connection) as ctx:
                assert rest.get(f"/api/v1/opportunities/{po.pk}/{part}/").status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    add(3)  # one of each author, so the page already shows a mention of another user
    client = login(user)
    url = reverse("opportunities:detail", args=[po.pk])
    one, api_one = _queries(client, url), api_counts()
    add(17)
    assert _queries(client, url) == one
    assert api_counts() == api_one
