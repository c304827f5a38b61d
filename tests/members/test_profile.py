import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from partner_center.accounts.models import Partner
from partner_center.accounts.permissions import PartnerType
from partner_center.accounts.services import partner_create
from partner_center.accounts.sms import MemorySmsBackend
from partner_center.accounts.uscc import make_uscc
from partner_center.audit.selectors import timeline_for
from partner_center.errors import DomainError
from partner_center.members import services
from partner_center.members.models import ContactChange
from tests.factories import PartnerFactory
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


def _code_from(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemorySmsBackend.outbox.clear()
    yield
    MemorySmsBackend.outbox.clear()


def start(owner, channel, value, capture):
    with capture(execute=True):
        return services.contact_change_start(
            actor=owner, partner=owner.partner, channel=channel, new_value=value
        )


@pytest.mark.usefixtures("outbox_inline")
class TestContactChange:
    def test_email_changes_only_after_the_code_sent_to_it(
        self, owner, partner, django_capture_on_commit_callbacks
    ):
        old = partner.contact_email
        change = start(owner, "email", "New@Partner.test", django_capture_on_commit_callbacks)
        partner.refresh_from_db()
        assert partner.contact_email == old  # nothing changes before the code
        assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@partner.test"]
        code = _code_from(mail.outbox[0].body)
        services.contact_change_confirm(actor=owner, change=change, code=code)
        partner.refresh_from_db()
        assert partner.contact_email == "new@partner.test"
        event = [e for e in timeline_for(partner) if e.verb == "partner.email_changed"][0]
        assert event.actor == owner and event.data == {"from": old, "to": "new@partner.test"}

    def test_phone_code_goes_by_sms(self, owner, partner, django_capture_on_commit_callbacks):
        change = start(owner, "phone", "+86 139-1234-5678", django_capture_on_commit_callbacks)
        assert mail.outbox == []
        phone, text = MemorySmsBackend.outbox[-1]
        assert phone == "13912345678"
        services.contact_change_confirm(actor=owner, change=change, code=_code_from(text))
        partner.refresh_from_db()
        assert partner.contact_phone == "13912345678"

    def test_wrong_codes_count_and_lock(self, owner, partner, django_capture_on_commit_callbacks):
        change = start(owner, "email", "x@partner.test", django_capture_on_commit_callbacks)
        code = _code_from(mail.outbox[0].body)
        wrong = "000000" if code != "000000" else "111111"
        for tries_left in (4, 3, 2, 1):
            with pytest.raises(DomainError, match=f"{tries_left} tries left"):
                services.contact_change_confirm(actor=owner, change=change, code=wrong)
        with pytest.raises(DomainError, match="Too many wrong codes"):
            services.contact_change_confirm(actor=owner, change=change, code=wrong)
        change.refresh_from_db()
        assert change.state == ContactChange.State.LOCKED and change.attempts == 5
        with pytest.raises(DomainError, match="no longer waiting"):
            services.contact_change_confirm(actor=owner, change=change, code=code)
        partner.refresh_from_db()
        assert partner.contact_email != "x@partner.test"

    def test_code_expires_after_15_minutes(
        self, owner, partner, django_capture_on_commit_callbacks
    ):
        change = start(owner, "email", "late@partner.test", django_capture_on_commit_callbacks)
        code = _code_from(mail.outbox[0].body)
        with (
            time_machine.travel(timezone.now() + timedelta(minutes=16)),
            pytest.raises(DomainError, match="expired"),
        ):
            services.contact_change_confirm(actor=owner, change=change, code=code)

    def test_a_new_request_cancels_the_previous_one(
        self, owner, django_capture_on_commit_callbacks
    ):
        first = start(owner, "email", "a@partner.test", django_capture_on_commit_callbacks)
        start(owner, "email", "b@partner.test", django_capture_on_commit_callbacks)
        first.refresh_from_db()
        assert first.state == ContactChange.State.CANCELLED
        with pytest.raises(DomainError):
            services.contact_change_confirm(
                actor=owner, change=first, code=_code_from(mail.outbox[0].body)
            )

    @pytest.mark.parametrize(
        ("channel", "value", "message"),
        [
            ("email", "not-an-email", "valid e-mail"),
            ("phone", "12", "mainland mobile number"),
        ],
    )
    def test_invalid_values(self, owner, channel, value, message):
        with pytest.raises(DomainError, match=message) as exc:
            services.contact_change_start(
                actor=owner, partner=owner.partner, channel=channel, new_value=value
            )
        assert exc.value.field == "new_value"

    def test_pages(self, owner, partner, login, django_capture_on_commit_callbacks):
        client = login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("members:contact_change_start", args=["email"]),
                {"new_value": "page@partner.test"},
            )
        assert response.status_code == 302
        change = ContactChange.objects.get(partner=partner)
        assert response.url == reverse("members:contact_change", args=[change.pk])
        wrong = client.post(response.url, {"code": "999999"}, HTTP_ACCEPT_LANGUAGE="en")
        code = _code_from(mail.outbox[0].body)
        if code != "999999":
            assert 'data-field-error="code"' in wrong.content.decode()
        done = client.post(response.url, {"code": code})
        assert done.status_code == 302 and done.url == reverse("members:profile")
        assert "page@partner.test" in client.get(reverse("members:profile")).content.decode()

    def test_api(self, owner, partner, django_capture_on_commit_callbacks):
        api = api_client(owner)
        with django_capture_on_commit_callbacks(execute=True):
            created = api.post(
                "/api/v1/profile/contact-changes/",
                {"channel": "email", "new_value": "api@partner.test"},
                format="json",
            )
        assert created.status_code == 201 and "new_value" not in created.json()
        url = f"/api/v1/profile/contact-changes/{created.json()['id']}/confirm/"
        confirmed = api.post(url, {"code": _code_from(mail.outbox[0].body)}, format="json")
        assert confirmed.status_code == 200
        assert confirmed.json()["contact_email"] == "api@partner.test"


class TestLegalRepresentative:
    def test_change_is_recorded_with_who_and_when(self, owner, partner, login):
        partner.legal_representative = "张三"
        partner.save()
        response = login(owner).post(
            reverse("members:legal_representative"), {"name": "李四", "note": "工商变更"}
        )
        assert response.status_code == 302
        partner.refresh_from_db()
        assert partner.legal_representative == "李四"
        event = timeline_for(partner).get(verb="partner.legal_representative_changed")
        assert event.actor == owner and event.reason == "工商变更"
        assert event.data == {"from": "张三", "to": "李四"}
        assert timezone.now() - event.created_at < timedelta(minutes=1)
        profile = login(owner).get(reverse("members:profile")).content.decode()
        assert "张三 → 李四" in profile

    def test_same_name_refused(self, owner, partner):
        partner.legal_representative = "张三"
        partner.save()
        with pytest.raises(DomainError, match="current legal representative"):
            services.partner_change_legal_representative(actor=owner, partner=partner, name="张三")

    def test_api(self, owner):
        api = api_client(owner)
        response = api.post(
            "/api/v1/profile/legal-representative/", {"name": "王五"}, format="json"
        )
        assert response.status_code == 200 and response.json()["legal_representative"] == "王五"


class TestProfileAccess:
    def test_member_reads_but_cannot_change(self, teammate, login):
        client = login(teammate)
        page = client.get(reverse("members:profile"))
        assert page.status_code == 200
        assert reverse("members:legal_representative") not in page.content.decode()
        assert client.get(reverse("members:legal_representative")).status_code == 403
        assert (
            client.get(reverse("members:contact_change_start", args=["email"])).status_code == 403
        )

    def test_vendor_staff_have_no_partner_profile(self, bd, login):
        assert login(bd).get(reverse("members:profile")).status_code == 403

    def test_outsider_gets_404_for_another_partners_change(
        self, owner, outsider, login, django_capture_on_commit_callbacks
    ):
        change = start(owner, "email", "secret@partner.test", django_capture_on_commit_callbacks)
        client = login(outsider)
        assert client.get(reverse("members:contact_change", args=[change.pk])).status_code == 404
        assert (
            client.post(reverse("members:contact_change_cancel", args=[change.pk])).status_code
            == 404
        )
        api = api_client(outsider)
        assert api.get(f"/api/v1/profile/contact-changes/{change.pk}/").status_code == 404
        assert (
            api.post(
                f"/api/v1/profile/contact-changes/{change.pk}/confirm/",
                {"code": "123456"},
                format="json",
            ).status_code
            == 404
        )
        assert api.get("/api/v1/profile/").json()["name"] == outsider.partner.name

    def test_profile_shows_own_partner_only(self, owner, outsider, login):
        html = login(outsider).get(reverse("members:profile")).content.decode()
        assert outsider.partner.name in html and owner.partner.name not in html


def test_partner_can_be_solution_provider_and_reseller_at_once(admin_user):
    distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR])
    both = partner_create(
        actor=admin_user,
        name="双重身份有限公司",
        credit_code=make_uscc("91110108MA01XYWB9"),
        contact_email="both@partner.test",
        types=[PartnerType.SOLUTION_PROVIDER, PartnerType.RESELLER],
        parent_distributor=distributor,
    )
    both = Partner.objects.get(pk=both.pk)
    assert both.type_codes == {PartnerType.SOLUTION_PROVIDER, PartnerType.RESELLER}
    assert both.parent_distributor == distributor
