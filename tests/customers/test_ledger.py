"""Customer accounts and the append-only ledger: balances never go negative (also under
concurrent requests), ledger entries always sum to balances, money needs the grant."""

import threading
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from customers import services
from customers.ledger import accounts_out_of_balance
from customers.models import Account, LedgerEntry
from partner_center.errors import DomainError
from tests.customers.conftest import associate, make_customer, open_account, post_and_confirm
from tests.helpers import api_client


@pytest.mark.django_db
class TestAccount:
    def test_fund_and_reclaim_write_entries_with_balance_after(self, owner, account):
        services.account_fund(actor=owner, account=account, amount="250.50", reason="追加")
        services.account_reclaim(actor=owner, account=account, amount="50.50")
        account.refresh_from_db()
        assert account.balance == Decimal("1200.00")
        entries = list(
            account.entries.order_by("id").values_list(
                "entry_type", "amount", "balance_after", "actor"
            )
        )
        assert entries == [
            ("fund", Decimal("1000.00"), Decimal("1000.00"), owner.pk),
            ("fund", Decimal("250.50"), Decimal("1250.50"), owner.pk),
            ("reclaim", Decimal("-50.50"), Decimal("1200.00"), owner.pk),
        ]

    def test_reclaim_more_than_the_balance_is_refused(self, owner, account):
        with pytest.raises(DomainError, match="balance is too low"):
            services.account_reclaim(actor=owner, account=account, amount="1000.01")
        account.refresh_from_db()
        assert account.balance == Decimal("1000.00") and account.entries.count() == 1

    def test_an_empty_amount_is_refused_and_reclaim_all_is_explicit(self, owner, account):
        with pytest.raises(DomainError, match="Enter the amount to reclaim"):
            services.account_reclaim(actor=owner, account=account)
        account.refresh_from_db()
        assert account.balance == Decimal("1000.00")
        services.account_reclaim(actor=owner, account=account, reclaim_all=True)
        account.refresh_from_db()
        assert account.balance == 0
        with pytest.raises(DomainError, match="nothing to reclaim"):
            services.account_reclaim(actor=owner, account=account, reclaim_all=True)

    @pytest.mark.parametrize("amount", ["0", "-5", "abc", "0.001"])
    def test_amounts_must_be_positive_money(self, owner, account, amount):
        with pytest.raises(DomainError):
            services.account_fund(actor=owner, account=account, amount=amount)

    def test_database_refuses_a_negative_balance(self, account):
        with pytest.raises(IntegrityError), transaction.atomic():
            Account.objects.filter(pk=account.pk).update(balance=Decimal("-0.01"))

    def test_ledger_is_append_only(self, account):
        entry = account.entries.first()
        with pytest.raises(Exception, match="append-only"):
            entry.save()
        with pytest.raises(Exception, match="append-only"):
            entry.delete()
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("5.00"))
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).delete()

    def test_ledger_sums_equal_balances_after_every_kind_of_movement(
        self, owner, distributor_admin, reseller, reseller_admin
    ):
        services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="5000")
        services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="300")
        customer = make_customer()
        association = associate(reseller_admin, customer)
        account = open_account(association, reseller_admin, amount="1200")
        services.account_reclaim(actor=reseller_admin, account=account, amount="200")
        voucher = services.voucher_issue(
            actor=reseller_admin,
            association=association,
            face_value="100",
            valid_until=services.timezone.now() + services.timedelta(days=5),
        )
        services.reseller_reclaim(actor=distributor_admin, reseller=reseller, amount="100")
        services.voucher_revoke(actor=reseller_admin, voucher=voucher)
        services.customer_unbind(actor=reseller_admin, association=association)
        assert list(accounts_out_of_balance()) == []
        call_command("verify_ledgers")
        funds = Account.objects.get(partner=reseller, kind=Account.Kind.RESELLER_FUNDS)
        assert funds.balance == Decimal("4900.00")  # 5000 - 1200 + 200 - 100 + 1000 back
        # a balance changed behind the ledger's back is found
        Account.objects.filter(pk=funds.pk).update(balance=Decimal("1.00"))
        assert [a.pk for a in accounts_out_of_balance()] == [funds.pk]
        with pytest.raises(CommandError):
            call_command("verify_ledgers")


@pytest.mark.django_db(transaction=True)
def test_no_negative_balance_under_20_concurrent_debits(owner, customer):
    services.agreement_ensure_published()
    association = associate(owner, customer)
    account = open_account(association, owner, amount="100.00")
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def debit():
        try:
            barrier.wait(timeout=30)
            services.account_reclaim(
                actor=owner, account=Account.objects.get(pk=account.pk), amount="7.00"
            )
            result = "ok"
        except DomainError:
            result = "refused"
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            result = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=debit) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(set(outcomes)) == ["ok", "refused"], outcomes
    assert outcomes.count("ok") == 14 and outcomes.count("refused") == 6
    account.refresh_from_db()
    assert account.balance == Decimal("2.00")
    assert list(accounts_out_of_balance()) == []
    balances = list(account.entries.order_by("id").values_list("balance_after", flat=True))
    assert balances == sorted(balances, reverse=True) and min(balances) >= 0


@pytest.mark.django_db
class TestPagesAndGrant:
    def test_owner_funds_through_the_page(self, login, owner, account, association):
        response = post_and_confirm(
            login(owner),
            reverse("customers:fund", args=[association.pk]),
            {"amount": "300.00", "reason": "x"},
        )
        assert response.status_code == 302
        account.refresh_from_db()
        assert account.balance == Decimal("1300.00")

    def test_too_large_reclaim_shows_the_reason_next_to_the_field(
        self, login, owner, association, account
    ):
        response = post_and_confirm(
            login(owner),
            reverse("customers:reclaim", args=[association.pk]),
            {"amount": "5000.00"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 200
        assert "balance is too low" in response.context["form"].errors["amount"][0]

    def test_member_needs_the_grant(self, login, teammate, association, account):
        url = reverse("customers:fund", args=[association.pk])
        assert login(teammate).post(url, {"amount": "1"}).status_code == 403
        api = api_client(teammate)
        api_url = f"/api/v1/customers/associations/{association.pk}/fund/"
        assert api.post(api_url, {"amount": "1", "confirm": True}).status_code == 403
        teammate.can_move_money = True
        teammate.save(update_fields=["can_move_money"])
        assert post_and_confirm(login(teammate), url, {"amount": "1"}).status_code == 302
        assert api.post(api_url, {"amount": "1", "confirm": True}).status_code == 200
        account.refresh_from_db()
        assert account.balance == Decimal("1002.00")

    def test_outsider_cannot_touch_the_account(self, login, outsider, association, account):
        for name in ("customers:fund", "customers:reclaim", "customers:budget"):
            assert login(outsider).get(reverse(name, args=[association.pk])).status_code == 404
            assert (
                login(outsider)
                .post(reverse(name, args=[association.pk]), {"amount": "1", "monthly_budget": "1"})
                .status_code
                == 404
            )
        api = api_client(outsider)
        for action in ("fund", "reclaim", "budget", "ledger"):
            url = f"/api/v1/customers/associations/{association.pk}/{action}/"
            response = (
                api.get(url)
                if action == "ledger"
                else api.post(url, {"amount": "1", "monthly_budget": "1"})
            )
            assert response.status_code == 404, action
        account.refresh_from_db()
        assert account.balance == Decimal("1000.00")

    def test_api_fund_reclaim_budget_and_ledger(self, owner, association, account):
        api = api_client(owner)
        base = f"/api/v1/customers/associations/{association.pk}"
        unconfirmed = api.post(f"{base}/fund/", {"amount": "10.00"})
        assert (
            unconfirmed.status_code == 400
            and "壹拾元整" in unconfirmed.json()["fields"]["confirm"][0]
        )
        english = api.post(f"{base}/fund/", {"amount": "10.00"}, HTTP_ACCEPT_LANGUAGE="en")
        assert "ten yuan" in english.json()["fields"]["confirm"][0]
        fund = api.post(f"{base}/fund/", {"amount": "10.00", "confirm": True})
        assert fund.json()["account"]["balance"] == "1010.00"
        refused = api.post(f"{base}/reclaim/", {"amount": "9999.00", "confirm": True})
        assert refused.status_code == 400 and "amount" in refused.json()["fields"]
        assert (
            api.post(f"{base}/budget/", {"monthly_budget": "50.00", "confirm": True}).json()[
                "account"
            ]["monthly_budget"]
            == "50.00"
        )
        empty = api.post(f"{base}/reclaim/", {"confirm": True})
        assert empty.status_code == 400 and "amount" in empty.json()["fields"]
        everything = api.post(f"{base}/reclaim/", {"reclaim_all": True, "confirm": True})
        assert everything.json()["account"]["balance"] == "0.00"
        entries = api.get(f"{base}/ledger/").json()["results"]
        assert [e["entry_type"] for e in entries] == ["reclaim", "fund", "fund"]


@pytest.mark.django_db
def test_pages_speak_chinese_by_default_and_english_on_request(login, owner, association, account):
    url = reverse("customers:reclaim", args=[association.pk])
    zh = post_and_confirm(login(owner), url, {"amount": "5000.00"})
    assert "余额不足" in zh.context["form"].errors["amount"][0]
    assert "回收账户余额" in zh.content.decode()
    en = post_and_confirm(login(owner), url, {"amount": "5000.00"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "Reclaim the account balance" in en.content.decode()
