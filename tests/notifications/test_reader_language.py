"""A notification is written in its READER's language, whoever caused it and in whatever
language they work: the portal page, the e-mail and the API agree. The preferred language
comes from the language switch, the settings page, and is restored at sign-in."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from opportunities import services as opportunities
from partner_center.notifications.messages import Message, join, label, msg
from partner_center.notifications.models import Notification
from partner_center.programs import services as programs
from tests.factories import PartnerFactory, partner_user
from tests.helpers import api_client
from tests.opportunities.conftest import make_po

pytestmark = pytest.mark.django_db

ZH_RETURNED = "PO #%s 需要修改"
EN_RETURNED = "PO #%s needs changes"


def _page(user, language):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("notifications:list")).content.decode()


def _api(user, accept_language):
    client = api_client(user)
    response = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    return response.json()["results"][0]


def test_english_bd_reaches_a_chinese_partner_in_chinese(
    owner, bd, outbox_inline, django_capture_on_commit_callbacks
):
    owner.language, bd.language = "zh-hans", "en"
    owner.save(), bd.save()
    po = make_po(owner, state="submitted", bd=bd)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        opportunities.po_return_for_changes(
            actor=bd, po=po, fields=["contact_phone"], comment="Check the phone"
        )
    note = Notification.objects.get(recipient=owner, kind="opportunities.returned")
    assert note.title == ZH_RETURNED % po.pk  # stored as the reader reads it
    assert ZH_RETURNED % po.pk in _page(owner, "zh-hans")
    # The e-mail, in the recipient's language.
    assert [m.subject for m in mail.outbox] == [ZH_RETURNED % po.pk]
    assert "联系电话" in mail.outbox[0].body or "电话" in mail.outbox[0].body
    # The API, in the preferred language even when the client asks for English.
    assert _api(owner, "en")["title"] == ZH_RETURNED % po.pk
    # The same row read by someone on an English page is English (rendered when read).
    assert EN_RETURNED % po.pk in _page(owner, "en")


def test_chinese_partner_reaches_an_english_bd_in_english(
    bd, outbox_inline, django_capture_on_commit_callbacks
):
    bd.language = "en"
    bd.save()
    newcomer = PartnerFactory(name="新来伙伴有限公司")
    admin = partner_user(newcomer, email="admin@newcomer.test", language="zh-hans")
    with translation.override("zh-hans"), django_capture_on_commit_callbacks(execute=True):
        programs.pce_apply(actor=admin, partner=newcomer, accept_rules=True)
    expected = "新来伙伴有限公司 applied to the PCE program"
    note = Notification.objects.get(recipient=bd, kind="programs.pce_applied")
    assert note.title == expected
    assert [m.subject for m in mail.outbox] == [expected]
    assert _api(bd, "zh-hans")["title"] == expected
    assert expected in _page(bd, "en")


def test_api_falls_back_to_the_request_language(owner):
    from partner_center.notifications.services import notify

    notify(
        recipients=[owner],
        kind="members.x",
        title=msg("Your partner is now a member of the PCE program"),
    )
    assert _api(owner, "en")["title"] == "Your partner is now a member of the PCE program"
    assert _api(owner, "zh-hans")["title"] == "贵司已成为 PCE 共拓计划成员"


class TestPreferredLanguage:
    def test_the_language_switch_saves_the_choice(self, owner):
        client = Client()
        client.force_login(owner)
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
        assert response.status_code == 302
        owner.refresh_from_db()
        assert owner.language == "en"

    def test_the_switch_works_signed_out_without_saving(self):
        response = Client().post(reverse("set_language"), {"language": "en", "next": "/login/"})
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    def test_settings_page_edits_it(self, owner):
        client = Client()
        client.force_login(owner)
        page = client.get(reverse("notifications:preferences")).content.decode()
        assert 'name="language"' in page
        response = client.post(
            reverse("notifications:preferences"), {"language": "en", "email_enabled": "on"}
        )
        assert response.status_code == 302
        owner.refresh_from_db()
        assert owner.language == "en"
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    def test_sign_in_activates_the_stored_language(self, owner):
        owner.language = "en"
        owner.set_password("Secret#2026pc")
        owner.save()
        client = Client()
        response = client.post(
            reverse("login"), {"username": owner.email, "password": "Secret#2026pc"}
        )
        assert response.status_code == 302
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert 'lang="en"' in client.get("/").content.decode()


def test_choice_labels_and_field_names_follow_the_reader():
    note = Notification(email_state=Notification.EmailState.SENT)
    message = msg("%(state)s", state=label(note, "email_state"))
    stored = Message.from_json(message.to_json())
    assert stored.render("en") == "Sent"
    assert stored.render("zh-hans") != "Sent"
    field = Notification._meta.get_field("title").verbose_name
    assert join(field, "x", sep=" · ").render("en") == "title · x"
