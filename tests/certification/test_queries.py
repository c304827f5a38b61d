"""Every certification list page and list endpoint runs a fixed number of queries, the same
for 1 row as for 50."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from certification.models import (
    Attachment,
    AttachmentSlot,
    BankCardCertification,
    CapabilityLabel,
    Defense,
    EnterpriseCertification,
    LabelApplication,
    LabelCriterion,
)
from tests.factories import PartnerFactory
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

_seq = iter(range(1, 100_000))


def _attachment(partner, purpose="enterprise") -> Attachment:
    n = next(_seq)
    return Attachment.objects.create(
        partner=partner,
        purpose=purpose,
        path=f"{purpose}/{n:032x}.png",
        original_name=f"{n}.png",
        content_type="image/png",
        size=100,
        sha256="0" * 64,
    )


def _labels(n):
    labels = []
    for _ in range(n):
        i = next(_seq)
        label = CapabilityLabel.objects.create(code=f"l{i}", name_zh=f"标签{i}", name_en=f"L{i}")
        LabelCriterion.objects.create(label=label, position=1, title_zh="一", title_en="one")
        LabelCriterion.objects.create(label=label, position=2, title_zh="二", title_en="two")
        labels.append(label)
    return labels


def make_enterprise(partner, owner, n):
    for _ in range(n):
        cert = EnterpriseCertification.objects.create(
            partner=partner, created_by=owner, state="approved", submitted_at=timezone.now()
        )
        AttachmentSlot.objects.create(
            certification=cert, position=1, kind="business_licence", attachment=_attachment(partner)
        )


def make_bank_cards(partner, owner, n):
    for i in range(n):
        BankCardCertification.objects.create(
            partner=partner,
            applicant=owner,
            holder_name=f"持卡人{i}",
            bank_name="工商银行",
            card_number_masked="6222 **** **** 0128",
            face_photo=_attachment(partner, "bank_card"),
            state="approved",
        )


def make_applications(partner, owner, n):
    apps = []
    for label in _labels(n):
        apps.append(
            LabelApplication.objects.create(
                partner=partner, label=label, created_by=owner, state="defense_scheduled"
            )
        )
    return apps


def make_defenses(partner, owner, specialist, n):
    for app in make_applications(partner, owner, n):
        defense = Defense.objects.create(
            application=app,
            channel="specialist",
            organizer=specialist,
            statement="x",
            requested_by=owner,
            scheduled_at=timezone.now() + timedelta(days=1),
            meeting_link="https://meet.example.com/x",
        )
        defense.experts.set([specialist])
        defense.disputed_criteria.set(app.label.criteria.all())


PAGES = [
    # (url, who, rows to make, queries)
    ("/certification/enterprise/", "owner", "enterprise", 6),
    ("/certification/review/enterprise/?state=", "specialist", "enterprise", 4),
    ("/certification/bank-cards/", "owner", "bank_cards", 5),
    ("/certification/review/bank-cards/?state=", "specialist", "bank_cards", 4),
    ("/certification/labels/applications/", "owner", "applications", 6),
    ("/certification/review/labels/?state=", "specialist", "applications", 5),
    ("/certification/defenses/", "specialist", "defenses", 6),
    ("/certification/labels/", "owner", "labels", 5),
]
ENDPOINTS = [
    ("/api/v1/certification/enterprise/", "owner", "enterprise", 2),
    ("/api/v1/certification/bank-cards/", "owner", "bank_cards", 2),
    ("/api/v1/certification/label-applications/", "specialist", "applications", 2),
    ("/api/v1/certification/defenses/", "specialist", "defenses", 4),
    ("/api/v1/certification/labels/", "owner", "labels", 3),
]


def _make(kind, n, partner, owner, specialist):
    if kind == "enterprise":
        make_enterprise(partner, owner, n)
    elif kind == "bank_cards":
        make_bank_cards(partner, owner, n)
    elif kind == "applications":
        make_applications(partner, owner, n)
    elif kind == "defenses":
        make_defenses(partner, owner, specialist, n)
    else:
        _labels(n)


def _rows(kind) -> int:
    return {
        "enterprise": EnterpriseCertification,
        "bank_cards": BankCardCertification,
        "applications": LabelApplication,
        "defenses": Defense,
        "labels": CapabilityLabel,
    }[kind].objects.count()


@pytest.mark.parametrize(("url", "who", "kind", "queries"), PAGES, ids=[p[0] for p in PAGES])
def test_list_pages_run_a_fixed_number_of_queries(
    request, url, who, kind, queries, owner, specialist
):
    partner = owner.partner
    user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)
    _make(kind, 1, partner, owner, specialist)
    client.get(url)  # warm caches (content types, sessions)
    one = count_queries(lambda: client.get(url))
    _make(kind, 49, partner, owner, specialist)
    assert _rows(kind) == 50
    response = client.get(url)
    assert response.status_code == 200
    fifty = count_queries(lambda: client.get(url))
    assert one == fifty == queries, (one, fifty)


@pytest.mark.parametrize(
    ("url", "who", "kind", "queries"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS]
)
def test_list_endpoints_run_a_fixed_number_of_queries(
    request, url, who, kind, queries, owner, specialist
):
    partner = owner.partner
    client = APIClient()
    client.force_authenticate(request.getfixturevalue(who))
    _make(kind, 1, partner, owner, specialist)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    _make(kind, 49, partner, owner, specialist)
    response = client.get(url)
    assert response.status_code == 200 and response.json()["count"] == 50
    fifty = count_queries(lambda: client.get(url))
    assert one == fifty == queries, (one, fifty)


def test_reviewer_queue_stays_flat_across_partners(specialist, owner):
    """The reviewer's queue lists rows of many partners: still one query for the page."""
    make_enterprise(owner.partner, owner, 1)
    client = Client()
    client.force_login(specialist)
    url = "/certification/review/enterprise/?state="
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for _ in range(10):
        other = PartnerFactory()
        make_enterprise(other, None, 1)
    assert count_queries(lambda: client.get(url)) == one
