"""Django admin for certification (state changes through the services) and the periodic
task that closes defense windows."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from certification import services, tasks
from certification.models import (
    Attachment,
    BankCardCertification,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    PartnerManager,
)
from partner_center.accounts.permissions import Role
from tests.certification.helpers import defended_application, failed_application, filled_enterprise
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Every model of the app (all twelve have an admin page), by name.
MODELS = sorted(apps.get_app_config("certification").get_models(), key=lambda m: m.__name__)


@pytest.fixture
def records(owner, partner, specialist, label):
    cert = filled_enterprise(owner, partner, legal_person="张三")
    services.enterprise_submit(actor=owner, certification=cert)
    app = defended_application(owner, partner, label, specialist)
    return {"cert": cert, "app": app}


@pytest.mark.parametrize("model", MODELS, ids=[m.__name__ for m in MODELS])
def test_admin_lists_search_and_details_load(records, login, admin_user, model):
    client = login(admin_user)
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "华云"}).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200


def test_admin_approve_action_goes_through_the_service(records, login, admin_user):
    cert = records["cert"]
    response = login(admin_user).post(
        reverse("admin:certification_enterprisecertification_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [cert.pk]},
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.state == "approved" and cert.decided_by == admin_user
    assert (
        cert.partner.users.first()
        .notifications.filter(kind="certification.enterprise.approved")
        .exists()
    )


def test_admin_reject_action_asks_for_reasons(records, login, admin_user):
    cert = records["cert"]
    client = login(admin_user)
    url = reverse("admin:certification_enterprisecertification_changelist")
    response = client.post(url, {"action": "reject", ACTION_CHECKBOX_NAME: [cert.pk]})
    assert response.status_code == 200 and b'name="reasons"' in response.content
    cert.refresh_from_db()
    assert cert.state == "submitted"
    response = client.post(
        url,
        {
            "action": "reject",
            ACTION_CHECKBOX_NAME: [cert.pk],
            "apply": "1",
            "reasons": ["expired"],
            "comment": "过期",
        },
    )
    assert response.status_code == 302
    cert.refresh_from_db()
    assert cert.state == "rejected" and cert.reject_reasons == ["expired"]


def test_admin_state_fields_are_read_only(records, login, admin_user):
    cert = records["cert"]
    url = reverse("admin:certification_enterprisecertification_change", args=[cert.pk])
    html = login(admin_user).get(url).content.decode()
    assert 'name="state"' not in html


def test_admin_assigns_a_pdm_through_the_service(login, admin_user, partner):
    bd_user = UserFactory(role=Role.BD, email="pdm2@vendor.test")
    response = login(admin_user).post(
        reverse("admin:certification_partnermanager_add"),
        {"partner": partner.pk, "user": bd_user.pk},
    )
    assert response.status_code == 302
    assert PartnerManager.objects.get(partner=partner).user == bd_user


def test_the_task_closes_expired_windows(owner, partner, label, specialist):
    import time_machine

    app = failed_application(owner, partner, label, specialist)
    with time_machine.travel(app.defense_deadline + timedelta(hours=1), tick=False):
        assert tasks.close_expired_defense_windows.run() == 1
        assert tasks.close_expired_defense_windows.run() == 0
    app.refresh_from_db()
    assert app.state == LabelApplication.State.REFUSED


def test_the_schedule_is_declared_for_beat(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certification-close-defense-windows"]
    assert entry["task"] == "certification.tasks.close_expired_defense_windows"


def test_demo_data_shows_every_state(db, settings, tmp_path):
    from partner_center.demo import load_all

    ctx = load_all()
    assert ctx is not None
    assert set(EnterpriseCertification.objects.values_list("state", flat=True)) == set(
        EnterpriseCertification.State.values
    )
    assert set(BankCardCertification.objects.values_list("state", flat=True)) == set(
        BankCardCertification.State.values
    )
    assert set(LabelApplication.objects.values_list("state", flat=True)) == set(
        LabelApplication.State.values
    )
    assert Defense.objects.exclude(outcome="").exists()
    assert not Attachment.objects.filter(path__startswith="download/").exists()
