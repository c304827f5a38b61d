"""Money safety [our rules]: every fund, reclaim, budget, quota and voucher action has a
confirmation step with the source balance and the amount in words; above the partner's limit
per operation a second partner admin approves; reclaim-all is explicit."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from customers import services
from customers.ledger import accounts_out_of_balance
from customers.models import Account, LedgerEntry, MoneyLimit, MoneyRequest, Voucher
from partner_center.accounts.permissions import Role
from partner_center.amount_words import en_words, in_words, zh_capitals, zh_short
from partner_center.audit.models import Event
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.models import Notification
from tests.customers.conftest import associate, make_customer, post_and_confirm
from tests.factories import partner_user
from tests.helpers import api_client

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- amount in words


@pytest.mark.parametrize(
    ("amount", "capitals", "short", "english"),
    [
        ("100000", "壹拾万元整", "10万元", "one hundred thousand yuan"),
        ("0", "零元整", "0元", "zero yuan"),
        ("1.05", "壹元零伍分", "1元5分", "one yuan and five fen"),
        ("0.50", "伍角", "5角", "fifty fen"),
        ("1001", "壹仟零壹元整", "1001元", "one thousand one yuan"),
        ("10010", "壹万零壹拾元整", "1万10元", "ten thousand ten yuan"),
        ("1000000", "壹佰万元整", "100万元", "one million yuan"),
        ("150000000", "壹亿伍仟万元整", "1亿5000万元", "one hundred fifty million yuan"),
        ("100000001", "壹亿零壹元整", "1亿1元", "one hundred million one yuan"),
        (
            "123456.78",
            "壹拾贰万叁仟肆佰伍拾陆元柒角捌分",
            "12万3456元7角8分",
            "one hundred twenty-three thousand four hundred fifty-six yuan and seventy-eight fen",
        ),
        (
            "99999999",
            "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元整",
            "9999万9999元",
            "ninety-nine million nine hundred ninety-nine thousand nine hundred ninety-nine yuan",
        ),
    ],
)
def test_amount_in_words(amount, capitals, short, english):
    assert zh_capitals(amount) == capitals
    assert zh_short(amount) == short
    assert en_words(amount) == english
    assert in_words(amount, "zh-hans") == f"{capitals}（{short}）"
    assert in_words(amount, "en") == english


# ---------------------------------------------------------------- confirmation step


def test_fund_page_confirms_with_source_and_words_before_anything_moves(
    login, owner, association, account
):
    client = login(owner)
    url = reverse("customers:fund", args=[association.pk])
    step = client.post(url, {"amount": "100000.00", "reason": "季度预付"})
    assert step.status_code == 200
    body = step.content.decode()
    assert "壹拾万元整" in body and "10万元" in body and "¥100,000.00" in body
    assert "¥1,000.00" in body  # the customer account's balance now
    assert account.entries.count() == 1  # nothing moved yet
    english = client.post(url, {"amount": "100000.00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "one hundred thousand yuan" in english.content.decode()
    done = client.post(url, {"confirm_token": step.context["token"]})
    assert done.status_code == 302
    account.refresh_from_db()
    assert account.balance == Decimal("101000.00")


def test_the_amount_moved_is_the_amount_confirmed(login, owner, association, account):
    """Extra fields on the confirming POST change nothing: the token carries the amount."""
    client = login(owner)
    url = reverse("customers:fund", args=[association.pk])
    step = client.post(url, {"amount": "10.00"})
    client.post(url, {"confirm_token": step.context["token"], "amount": "99999.00"})
    account.refresh_from_db()
    assert account.balance == Decimal("1010.00")


def test_a_forged_or_foreign_token_moves_nothing(login, owner, association, account, partner):
    url = reverse("customers:fund", args=[association.pk])
    forged = signing.dumps({"a": "fund", "t": account.pk, "u": owner.pk, "v": {}}, salt="other")
    response = login(owner).post(url, {"confirm_token": forged}, follow=True)
    assert response.status_code == 200
    step = login(owner).post(url, {"amount": "10.00"})
    colleague = partner_user(partner, Role.PARTNER_ADMIN)
    login(colleague).post(url, {"confirm_token": step.context["token"]})
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00")


def test_reclaim_needs_an_amount_or_the_explicit_whole_balance(login, owner, association, account):
    client = login(owner)
    url = reverse("customers:reclaim", args=[association.pk])
    empty = client.post(url, {"amount": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter the amount to reclaim" in empty.context["form"].errors["amount"][0]
    step = client.post(url, {"reclaim_all": "on"})
    body = step.content.decode()
    assert "¥1,000.00" in body and "壹仟元整" in body
    client.post(url, {"confirm_token": step.context["token"]})
    account.refresh_from_db()
    assert account.balance == 0


def test_budget_has_a_confirmation_step_too(login, owner, association, account):
    response = post_and_confirm(
        login(owner), reverse("customers:budget", args=[association.pk]), {"monthly_budget": "5"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.monthly_budget == Decimal("5.00")


def test_api_needs_confirm_true_everywhere(
    owner, association, account, distributor_admin, funded_reseller
):
    api = api_client(owner)
    base = f"/api/v1/customers/associations/{association.pk}"
    for action, data in [
        ("fund", {"amount": "1"}),
        ("reclaim", {"amount": "1"}),
        ("budget", {"monthly_budget": "1"}),
    ]:
        response = api.post(f"{base}/{action}/", data)
        assert response.status_code == 400 and "confirm" in response.json()["fields"], action
    api.force_authenticate(distributor_admin)
    for action in ("fund", "reclaim", "grant-quota", "reduce-quota"):
        url = f"/api/v1/customers/resellers/{funded_reseller.pk}/{action}/"
        assert api.post(url, {"amount": "1"}).status_code == 400, action
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00") and account.entries.count() == 1


# ---------------------------------------------------------------- limit and second admin


@pytest.fixture
def second_admin(partner):
    return partner_user(partner, Role.PARTNER_ADMIN, email="second@huayun.test")


@pytest.fixture
def low_limit(partner):
    return MoneyLimit.objects.create(partner=partner, per_operation=Decimal("500.00"))


def test_default_limit_is_one_million(owner, second_admin, account):
    assert services.operation_limit(owner.partner_id) == Decimal("1000000.00")
    done = services.account_fund(actor=owner, account=account, amount="1000000.00")
    assert isinstance(done, LedgerEntry)
    pending = services.account_fund(actor=owner, account=account, amount="1000000.01")
    assert isinstance(pending, MoneyRequest) and pending.state == MoneyRequest.State.PENDING


def test_over_the_limit_waits_for_a_second_admin(owner, second_admin, account, low_limit):
    request = services.account_fund(actor=owner, account=account, amount="600.00", reason="大单")
    assert isinstance(request, MoneyRequest)
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00")  # nothing moved
    assert Notification.objects.filter(
        recipient=second_admin, kind="customers.money_request"
    ).exists()
    assert not Notification.objects.filter(recipient=owner, kind="customers.money_request").exists()
    with pytest.raises(DomainError, match="second admin"):
        services.money_request_approve(actor=owner, request=request)
    services.money_request_approve(actor=second_admin, request=request)
    request.refresh_from_db()
    account.refresh_from_db()
    assert request.state == MoneyRequest.State.APPROVED and request.decided_by == second_admin
    assert account.balance == Decimal("1600.00")
    entry = account.entries.latest("id")
    assert entry.amount == Decimal("600.00") and entry.actor == owner
    assert request.ledger_transfer == entry.transfer
    verbs = list(
        Event.objects.filter(subject_id=request.pk, verb__startswith="money_request.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs == ["money_request.request", "money_request.approve"]
    assert Notification.objects.filter(recipient=owner, kind="customers.money_request").exists()
    with pytest.raises(DomainError):
        services.money_request_approve(actor=second_admin, request=request)  # only once
    assert not accounts_out_of_balance().exists()


def test_refused_or_withdrawn_requests_move_nothing(owner, second_admin, account, low_limit):
    first = services.account_reclaim(actor=owner, account=account, amount="900.00")
    services.money_request_refuse(actor=second_admin, request=first, note="太多")
    second = services.account_reclaim(actor=owner, account=account, reclaim_all=True)
    assert isinstance(second, MoneyRequest) and second.amount == Decimal("1000.00")
    with pytest.raises(NotAllowed):
        services.money_request_cancel(actor=second_admin, request=second)
    services.money_request_cancel(actor=owner, request=second)
    account.refresh_from_db()
    assert account.balance == Decimal("1000.00")
    states = set(MoneyRequest.objects.values_list("state", flat=True))
    assert states == {MoneyRequest.State.REFUSED, MoneyRequest.State.CANCELLED}


def test_members_and_other_partners_cannot_decide(
    owner, second_admin, account, low_limit, teammate, outsider
):
    request = services.account_fund(actor=owner, account=account, amount="501.00")
    for user in (teammate, outsider):
        with pytest.raises(NotAllowed):
            services.money_request_approve(actor=user, request=request)


def test_without_a_second_admin_the_operation_is_refused_with_the_reason(owner, account, low_limit):
    with pytest.raises(DomainError, match="no other partner admin"):
        services.account_fund(actor=owner, account=account, amount="501.00")
    assert not MoneyRequest.objects.exists()


def test_a_failing_approval_leaves_the_request_pending(owner, second_admin, account, low_limit):
    request = services.account_reclaim(actor=owner, account=account, amount="800.00")
    services.account_reclaim(actor=owner, account=account, amount="400.00")
    with pytest.raises(DomainError, match="balance is too low"):
        services.money_request_approve(actor=second_admin, request=request)
    request.refresh_from_db()
    assert request.state == MoneyRequest.State.PENDING


def test_page_flow_with_approval(login, owner, second_admin, association, account, low_limit):
    url = reverse("customers:fund", args=[association.pk])
    step = login(owner).post(url, {"amount": "700.00"})
    assert "second" in step.content.decode() or step.context["needs_approval"]
    login(owner).post(url, {"confirm_token": step.context["token"]})
    request = MoneyRequest.objects.get()
    listing = login(second_admin).get(reverse("customers:money_requests")).content.decode()
    assert "¥700.00" in listing and 'data-testid="approve"' in listing
    own = login(owner).get(reverse("customers:money_requests")).content.decode()
    assert 'data-testid="approve"' not in own and 'data-testid="cancel"' in own
    login(second_admin).post(reverse("customers:money_request_approve", args=[request.pk]))
    account.refresh_from_db()
    assert account.balance == Decimal("1700.00")


def test_api_answers_202_with_the_request_and_a_second_admin_approves(
    owner, second_admin, association, account, low_limit, outsider
):
    api = api_client(owner)
    response = api.post(
        f"/api/v1/customers/associations/{association.pk}/fund/",
        {"amount": "800.00", "confirm": True},
    )
    assert response.status_code == 202 and response.json()["state"] == "pending"
    pk = response.json()["id"]
    assert api.post(f"/api/v1/customers/money-requests/{pk}/approve/").status_code == 400
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/customers/money-requests/{pk}/").status_code == 404
    assert api.post(f"/api/v1/customers/money-requests/{pk}/approve/").status_code == 404
    api.force_authenticate(second_admin)
    approved = api.post(f"/api/v1/customers/money-requests/{pk}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    account.refresh_from_db()
    assert account.balance == Decimal("1800.00")


# ---------------------------------------------------------------- distributor and reseller


@pytest.fixture
def funded_reseller(distributor_admin, reseller):
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000.00")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="200.00")
    return reseller


def test_distributor_limit_applies_to_reseller_funding(distributor, distributor_admin, reseller):
    other = partner_user(distributor, Role.PARTNER_ADMIN, email="other@dist.test")
    MoneyLimit.objects.create(partner=distributor, per_operation=Decimal("100.00"))
    request = services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="150")
    assert isinstance(request, MoneyRequest) and request.partner == distributor
    services.money_request_approve(actor=other, request=request)
    assert Account.objects.get(partner=reseller, kind=Account.Kind.RESELLER_FUNDS).balance == 150


def test_reseller_voucher_over_the_limit_needs_approval(
    reseller, reseller_admin, funded_reseller, agreement
):
    association = associate(reseller_admin, make_customer())
    colleague = partner_user(reseller, Role.PARTNER_ADMIN, email="colleague@resa.test")
    MoneyLimit.objects.create(partner=reseller, per_operation=Decimal("50.00"))
    until = timezone.now() + timedelta(days=5)
    request = services.voucher_issue(
        actor=reseller_admin, association=association, face_value="80", valid_until=until
    )
    assert isinstance(request, MoneyRequest) and not Voucher.objects.exists()
    services.money_request_approve(actor=colleague, request=request)
    voucher = Voucher.objects.get()
    assert voucher.face_value == Decimal("80.00") and voucher.issued_by == reseller_admin


def test_reseller_confirmation_pages(login, distributor_admin, funded_reseller):
    client = login(distributor_admin)
    url = reverse("customers:reseller_detail", args=[funded_reseller.pk])
    step = client.post(url, {"action": "reclaim", "reclaim-amount": "300"})
    body = step.content.decode()
    assert "叁佰元整" in body and "¥1,000.00" in body  # the reseller's funds now
    assert 'name="action" value="reclaim"' in body


def test_waiting_for_approval_list_has_a_fixed_query_count(
    login, owner, second_admin, account, low_limit
):
    from tests.helpers import count_queries

    client = login(second_admin)
    api = api_client(second_admin)
    url = reverse("customers:money_requests")

    def make(n):
        for _ in range(n):
            MoneyRequest.objects.create(
                partner=owner.partner,
                operation=MoneyRequest.Operation.FUND,
                amount=Decimal("600.00"),
                account=account,
                requested_by=owner,
            )

    make(1)
    client.get(url), api.get("/api/v1/customers/money-requests/")  # warm caches
    page_one = count_queries(client.get, url)
    api_one = count_queries(api.get, "/api/v1/customers/money-requests/")
    make(49)
    assert count_queries(client.get, url) == page_one
    assert count_queries(api.get, "/api/v1/customers/money-requests/") == api_one
