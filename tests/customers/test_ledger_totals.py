"""Running totals of the ledger (`LedgerTotal`): every money service keeps them equal to the
sums of the entries (also under concurrent movements, and a movement that fails halfway
changes neither), the backfill computes them from old entries, and the pages that show a
reseller's figures read them with a query count that does not grow with the ledger."""

import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from customers import ledger, selectors, services
from customers.ledger import totals_out_of_step
from customers.models import (
    Account,
    LedgerEntry,
    LedgerTotal,
    MoneyLimit,
    MoneyRequest,
    Resource,
)
from partner_center.accounts.permissions import Role
from tests.customers.conftest import associate, make_customer, open_account
from tests.factories import UserFactory, partner_user
from tests.helpers import api_client, imported

T = LedgerEntry.Type


def _order(no, customer, *, order_type="new", amount="100.00", rid="r-1", **extra):
    now = timezone.now()
    line = {"resource_id": rid, "amount": amount}
    if order_type in ("new", "renewal", "upgrade"):
        line["expires_at"] = (now + timedelta(days=30)).isoformat()
        line["renewal_price"] = "10.00"
    return {
        "order_no": no,
        "customer_account": customer.account_name,
        "type": order_type,
        "product": "ecs",
        "amount": amount,
        "formed_at": now.isoformat(),
        **extra,
        "lines": [line],
    }


def _import(**payload):
    return imported(payload)


def _figures(user, reseller):
    row = selectors.resellers_for(user).get(pk=reseller.pk)
    names = (
        "funds_received",
        "funds_reclaimed",
        "funds_to_customers",
        "funds_back_from_customers",
        "funds_balance",
        "quota_granted",
        "quota_reduced",
        "quota_issued",
        "quota_returned",
        "quota_balance",
    )
    return {name: getattr(row, name) for name in names}


@pytest.mark.django_db
def test_every_money_service_keeps_the_totals_equal_to_the_sums(
    distributor, distributor_admin, reseller, reseller_admin, agreement
):
    second = partner_user(distributor, Role.PARTNER_ADMIN, email="second@dist.test")
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="5000")
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="300")
    customer = make_customer()
    association = associate(reseller_admin, customer)
    account = open_account(association, reseller_admin, amount="1200")  # fund
    services.account_reclaim(actor=reseller_admin, account=account, amount="200")
    valid = timezone.now() + timedelta(days=30)
    spent = services.voucher_issue(
        actor=reseller_admin, association=association, face_value="100", valid_until=valid
    )
    revoked = services.voucher_issue(
        actor=reseller_admin, association=association, face_value="50", valid_until=valid
    )
    # purchase (voucher first, then the account), upgrade, refund, consumption by voucher
    _import(
        orders=[
            _order("N1", customer, amount="100.00", voucher_code=spent.code, voucher_amount="30"),
            _order("N2", customer, amount="30.00", rid="r-2"),
            _order("UP1", customer, order_type="upgrade", amount="20.00"),
            _order("U1", customer, order_type="unsubscribe", amount="15.00", rid="r-2"),
        ],
        consumption=[
            {
                "record_no": "C1",
                "customer_account": customer.account_name,
                "product": "obs",
                "amount": "5.00",
                "voucher_code": spent.code,
                "voucher_amount": "5.00",
                "consumed_at": timezone.now().isoformat(),
            }
        ],
    )
    services.resource_renew(
        actor=reseller_admin, resource=Resource.objects.get(resource_id="r-1"), periods=2
    )
    services.voucher_revoke(actor=reseller_admin, voucher=revoked)
    services.reseller_reclaim(actor=distributor_admin, reseller=reseller, amount="100")
    services.reseller_reduce_quota(actor=distributor_admin, reseller=reseller, amount="10")
    # a movement above the limit waits for the second admin, then runs the same service
    MoneyLimit.objects.create(partner=distributor, per_operation=Decimal("500.00"))
    request = services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="600")
    assert isinstance(request, MoneyRequest)
    services.money_request_approve(actor=second, request=request)
    services.customer_unbind(actor=reseller_admin, association=association)

    assert set(LedgerEntry.objects.values_list("entry_type", flat=True)) == set(T.values)
    assert totals_out_of_step() == []
    call_command("verify_ledgers")
    assert _figures(distributor_admin, reseller) == {
        "funds_received": Decimal("5600.00"),
        "funds_reclaimed": Decimal("100.00"),
        "funds_to_customers": Decimal("1200.00"),
        # reclaimed 200; at unbinding the rest: 1200 - 200 - 70 - 30 - 20 + 15 - 20
        "funds_back_from_customers": Decimal("1075.00"),
        "funds_balance": Decimal("5375.00"),
        "quota_granted": Decimal("300.00"),
        "quota_reduced": Decimal("10.00"),
        "quota_issued": Decimal("150.00"),
        # the revoked voucher's 50, and at unbinding what was left on the other: 65
        "quota_returned": Decimal("115.00"),
        "quota_balance": Decimal("255.00"),
    }
    funds = Account.objects.get(partner=reseller, kind=Account.Kind.RESELLER_FUNDS)
    assert {t.entry_type: t.entries for t in funds.totals.all()} == {
        T.DISTRIBUTOR_FUND: 2,
        T.DISTRIBUTOR_RECLAIM: 1,
        T.FUND: 1,
        T.RECLAIM: 1,
        T.UNBIND_RECLAIM: 1,
    }


@pytest.mark.django_db
def test_an_entry_written_around_the_service_is_found(distributor_admin, reseller):
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="100")
    funds = Account.objects.get(partner=reseller, kind=Account.Kind.RESELLER_FUNDS)
    LedgerEntry.objects.create(
        account=funds,
        transfer=funds.entries.get().transfer,
        entry_type=T.DISTRIBUTOR_FUND,
        amount=Decimal("5.00"),
        balance_after=Decimal("105.00"),
    )
    LedgerTotal.objects.filter(account=funds).update(entries=1)
    [mismatch] = totals_out_of_step()
    assert (mismatch.account_id, mismatch.entry_type) == (funds.pk, T.DISTRIBUTOR_FUND)
    assert (mismatch.ledger_sum, mismatch.ledger_entries) == (Decimal("105.00"), 2)
    assert (mismatch.total, mismatch.total_entries) == (Decimal("100.00"), 1)
    Account.objects.filter(pk=funds.pk).update(balance=Decimal("105.00"))
    with pytest.raises(CommandError, match="1 running total"):
        call_command("verify_ledgers")
    # a total without entries is found too
    LedgerTotal.objects.create(account=funds, entry_type=T.REFUND, amount=1, entries=1)
    assert len(totals_out_of_step(account_ids=[funds.pk])) == 2
    assert ledger.rebuild_totals() == 1
    assert totals_out_of_step() == []


@pytest.mark.django_db
def test_a_movement_failing_halfway_changes_neither_balances_nor_totals(
    distributor_admin, reseller, reseller_admin, agreement
):
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000")
    account = open_account(associate(reseller_admin, make_customer()), reseller_admin, "300")
    funds = Account.objects.get(partner=reseller, kind=Account.Kind.RESELLER_FUNDS)

    def state():
        return (
            sorted(Account.objects.values_list("pk", "balance")),
            LedgerEntry.objects.count(),
            sorted(
                LedgerTotal.objects.values_list("account_id", "entry_type", "amount", "entries")
            ),
        )

    before = state()
    real = ledger._add_to_total
    calls = []

    def fail_on_the_second_side(acc, entry_type, amount):
        calls.append(acc.pk)
        if len(calls) == 2:  # the source's entry and total are written; the target's fails
            raise RuntimeError("connection lost")
        real(acc, entry_type, amount)

    with (
        mock.patch.object(ledger, "_add_to_total", fail_on_the_second_side),
        pytest.raises(RuntimeError),
    ):
        services.account_fund(actor=reseller_admin, account=account, amount="50")
    assert calls == [funds.pk, account.pk]
    assert state() == before
    # and a failure writing the second entry, after the first side's entry and total
    create = LedgerEntry.objects.create
    written = []

    def fail_on_the_second_entry(**fields):
        if written:
            raise RuntimeError("disk full")
        written.append(create(**fields))
        return written[-1]

    with (
        mock.patch.object(LedgerEntry.objects, "create", fail_on_the_second_entry),
        pytest.raises(RuntimeError),
    ):
        services.account_fund(actor=reseller_admin, account=account, amount="50")
    assert len(written) == 1
    assert state() == before
    assert totals_out_of_step() == []


@pytest.mark.django_db(transaction=True)
def test_two_connections_moving_money_on_one_account_end_consistent(
    distributor_admin, reseller, reseller_admin
):
    services.agreement_ensure_published()
    services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1000")
    account = open_account(associate(reseller_admin, make_customer()), reseller_admin, "0")
    rounds = 15
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def run(step):
        try:
            barrier.wait(timeout=30)
            for _ in range(rounds):
                step()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))
        finally:
            connection.close()

    def distributor_tops_up():  # into the reseller's funds
        services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="10")

    def reseller_passes_on():  # out of the same account, into a customer's
        services.account_fund(
            actor=reseller_admin, account=Account.objects.get(pk=account.pk), amount="7"
        )

    threads = [threading.Thread(target=run, args=(s,)) for s in (distributor_tops_up,)]
    threads.append(threading.Thread(target=run, args=(reseller_passes_on,)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert totals_out_of_step() == []
    assert list(ledger.accounts_out_of_balance()) == []
    figures = _figures(distributor_admin, reseller)
    assert figures["funds_received"] == Decimal("1000") + 10 * rounds
    assert figures["funds_to_customers"] == 7 * rounds
    assert figures["funds_balance"] == Decimal("1000") + 3 * rounds


# ---------------------------------------------------------------- the pages read the totals


def _sums_entries(sql: str) -> bool:
    """A query that adds up or counts ledger entries (what the totals replace)."""
    sql = sql.upper()
    return '"CUSTOMERS_LEDGERENTRY"' in sql and ("SUM(" in sql or "COUNT(" in sql)


def _queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def busy_reseller(distributor_admin, reseller, reseller_admin, agreement):
    """A reseller with a customer and some quota; `grow(n)` adds n movements of every kind
    the reseller's figures count."""
    services.reseller_grant_quota(actor=distributor_admin, reseller=reseller, amount="100000")
    association = associate(reseller_admin, make_customer())
    account = open_account(association, reseller_admin, "0")
    valid = timezone.now() + timedelta(days=30)

    def grow(n):
        for _ in range(n):
            services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="10")
            services.account_fund(actor=reseller_admin, account=account, amount="4")
            services.account_reclaim(actor=reseller_admin, account=account, amount="1")
            voucher = services.voucher_issue(
                actor=reseller_admin, association=association, face_value="2", valid_until=valid
            )
            services.voucher_revoke(actor=reseller_admin, voucher=voucher)

    return grow


def test_figure_pages_keep_their_queries_as_the_ledger_grows(
    login, busy_reseller, reseller, reseller_admin, distributor_admin
):
    bd = UserFactory(role=Role.BD, email="bd-totals@vendor.test")
    pages = [
        (bd, reverse("customers:resellers")),
        (distributor_admin, reverse("customers:resellers")),
        (bd, reverse("customers:reseller_detail", args=[reseller.pk])),
        (distributor_admin, reverse("customers:reseller_detail", args=[reseller.pk])),
        (reseller_admin, reverse("customers:funds")),
        (reseller_admin, reverse("customers:vouchers")),
    ]

    def measure():
        counts = {}
        for user, url in pages:
            sqls = _queries(login(user), url)
            assert not [s for s in sqls if _sums_entries(s)], url
            counts[(user.email, url)] = len(sqls)
        api = api_client(distributor_admin)
        with CaptureQueriesContext(connection) as ctx:
            assert api.get("/api/v1/customers/resellers/").status_code == 200
        assert not [q for q in ctx.captured_queries if _sums_entries(q["sql"])]
        counts["api"] = len(ctx.captured_queries)
        return counts

    busy_reseller(3)
    small = measure()
    busy_reseller(27)
    assert measure() == small
    assert max(small.values()) <= 12, small
    # and the figures are right: 30 movements of each kind
    page = login(reseller_admin).get(reverse("customers:funds"))
    figures = page.context["reseller"]
    assert (figures.funds_received, figures.funds_to_customers) == (300, 120)
    assert (figures.funds_back_from_customers, figures.funds_balance) == (30, 210)
    assert (figures.quota_issued, figures.quota_returned) == (60, 60)
    # the pages count the entries from the totals: the distributor sees its 30 allocations
    # and 1 grant; the reseller's own ledger has 5 entries a round, and the grant
    detail = login(distributor_admin).get(reverse("customers:reseller_detail", args=[reseller.pk]))
    assert detail.context["entries"].paginator.count == 31
    assert page.context["entries"].paginator.count == 30 * 5 + 1


def test_the_windows_page_through_the_same_entries_as_the_querysets(busy_reseller, reseller):
    busy_reseller(8)  # 40 entries of the reseller, 9 of them between it and its distributor
    for window, queryset in (
        (selectors.reseller_ledger_window(reseller), selectors.reseller_ledger(reseller)),
        (
            selectors.distributor_movements_window(reseller),
            selectors.distributor_movements(reseller),
        ),
    ):
        expected = list(queryset.values_list("pk", flat=True))
        assert window.count() == len(expected)
        pages = [window[i : i + 7] for i in range(0, len(expected), 7)]
        assert [entry.pk for page in pages for entry in page] == expected
    assert selectors.distributor_movements_window(reseller).count() == 9


def test_a_ledger_of_one_account_or_none_pages_too(
    login, distributor_admin, reseller, reseller_admin, other_reseller, other_reseller_admin
):
    for _ in range(3):  # funds, and no voucher quota yet
        services.reseller_fund(actor=distributor_admin, reseller=reseller, amount="1")
    window = selectors.reseller_ledger_window(reseller)
    assert [e.pk for e in window[1:3]] == list(
        selectors.reseller_ledger(reseller).values_list("pk", flat=True)[1:3]
    )
    assert login(reseller_admin).get(reverse("customers:funds")).status_code == 200
    assert window.count() == 3
    empty = selectors.reseller_ledger_window(other_reseller)
    assert (empty.count(), empty[0:25]) == (0, [])
    assert login(other_reseller_admin).get(reverse("customers:funds")).status_code == 200
