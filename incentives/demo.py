"""Demo performance and incentives, made through the customers' importer and our services:

- program periods for last year and this year, with their rates and rules;
- twelve months of orders for 鼎盛's tier-2 resellers 启航 and 星河 (and a third reseller,
  云途) and for 华云, so the performance pages and the distributor's dashboard chart have
  real history; a refund here and there;
- the last three billing periods closed: statements written and sent to the subscribers;
- PCE incentive applications in every state: 华云's MES project (published, waiting for
  华云 to check it; its RDS offering under review), a smart-park project paid and completed
  and disputed once, 鼎盛's project with a payment request waiting for BD, and a project
  whose delivery ended today (its application opens tomorrow).
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from customers import services as customer_services
from customers.imports import import_payload
from customers.models import Customer, ImportRun
from opportunities import services as opportunity_services
from opportunities.models import Opportunity
from partner_center.accounts.models import User
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.accounts.services import partner_create, user_create
from partner_center.accounts.uscc import make_uscc
from partner_center.demo import DEMO_PASSWORD, DemoContext
from partner_center.notifications.models import Topic
from partner_center.notifications.services import subscribe

from . import periods, services
from .models import ProgramPeriod

RULES_ZH = """目的：鼓励伙伴与厂商深化合作、共拓新业务，推动联合解决方案落地。
对象：PCE 计划成员。
定义：带核心标签、已交付完成的机会点，按产品（offering）分别申请；同一机会点的同一产品只能申请一次。
核算：激励金额 = 业绩基数 × 激励比例（不超过单笔上限），另计税额；业绩基数为该机会点该产品截至交付完成当日计入的业绩。
发放：审核通过后公示，伙伴核对确认后提交申付，付款后完成。对金额有异议可提出，退回 BD 重新核算。"""

RULES_EN = """Purpose: reward partners that deepen their cooperation with the vendor and bring joint solutions to customers.
Who: members of the PCE program.
Definition: opportunities with the core label whose delivery is complete, applied for per offering; each opportunity and offering once.
Accounting: incentive = performance basis × rate (up to the cap per application), plus tax; the basis is the performance of that opportunity and offering credited up to and including the delivery day.
Payout: after review the amounts are published; the partner checks and confirms them, then requests payment; paid means completed. A dispute sends the application back to BD."""

RESELLER_PLAN = [
    # partner key, customer name, product codes, base amount per month
    ("qihang", "海岳智造股份有限公司", ["ecs", "rds"], 5200),
    ("qihang", "青松在线教育有限公司", ["obs", "cdn"], 2300),
    ("xinghe", "远帆跨境电商有限公司", ["ecs", "cdn"], 3600),
    ("yuntu", "金穗农业科技有限公司", ["ecs"], 1500),
    ("huayun", "云帆智能科技有限公司·二期", ["ecs", "rds", "obs"], 6800),
    ("dingsheng", "东方明珠文旅集团有限公司", ["ecs", "obs"], 4100),
]


def _programs(now) -> None:
    year = timezone.localtime(now).year
    ProgramPeriod.objects.create(
        name=f"{year - 1} 年度激励计划",
        starts_on=date(year - 1, 1, 1),
        ends_on=date(year - 1, 12, 31),
        opportunity_rate=Decimal("4.00"),
        opportunity_cap=Decimal("50000.00"),
        performance_rate=Decimal("1.50"),
        performance_threshold=Decimal("3000.00"),
        monthly_target=Decimal("20000.00"),
        rules_zh=RULES_ZH,
        rules_en=RULES_EN,
    )
    ProgramPeriod.objects.create(
        name=f"{year} 年度激励计划",
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
        opportunity_rate=Decimal("5.00"),
        opportunity_cap=Decimal("80000.00"),
        performance_rate=Decimal("2.00"),
        performance_threshold=Decimal("5000.00"),
        monthly_target=Decimal("30000.00"),
        rules_zh=RULES_ZH,
        rules_en=RULES_EN,
    )


def _customer(name: str, key: str) -> Customer:
    user = customer_services.customer_register(
        email=f"{key}@customers.demo.local",
        password=None,
        name=name,
        phone="+86 139 0000 0000",
    )
    return user.customer_profile


def _order(no, account, product, amount, formed_at, resource, order_type="new", original=""):
    line = {"resource_id": resource, "amount": str(amount)}
    if order_type == "new":
        line.update(
            {
                "name": f"{product.upper()} · {resource}",
                "region": "华东-上海一",
                "billing_mode": "month",
                "periods": 1,
                "renewal_price": str(amount),
                "expires_at": (formed_at + timedelta(days=30)).isoformat(),
            }
        )
    elif original:
        line["original_order_no"] = original
    return {
        "order_no": no,
        "customer_account": account,
        "type": order_type,
        "product": product,
        "amount": str(amount),
        "formed_at": formed_at.isoformat(),
        "lines": [line],
    }


def load(ctx: DemoContext) -> None:
    now = timezone.now()
    rng = random.Random(20260101)  # noqa: S311 - demo figures, not secrets
    _programs(now)
    partners = ctx.partners
    yuntu = partner_create(
        actor=ctx.users["admin"],
        name="云途数科(成都)有限公司",
        credit_code=make_uscc("91510100MA7YT0606"),
        contact_email="contact@yuntu.demo.local",
        types=[PartnerType.RESELLER],
        parent_distributor=partners["dingsheng"],
    )
    partners["yuntu"] = yuntu
    ctx.users["yuntu_admin"] = user_create(
        email="admin@yuntu.demo.local",
        password=DEMO_PASSWORD,
        role=Role.PARTNER_ADMIN,
        partner=yuntu,
        full_name="云途管理员",
        real_name_status=User.RealName.PERSONAL,
        is_partner_account=True,
    )
    ctx.logins.append(("admin@yuntu.demo.local", "tier-2 reseller 云途 of 鼎盛: own performance"))
    inviters = {
        key: ctx.users[f"{key}_admin"]
        for key in ("qihang", "xinghe", "huayun", "yuntu", "dingsheng")
    }
    latest = customer_services.agreement_ensure_published()
    start = now - timedelta(days=400)
    orders = []
    for index, (key, name, products, base) in enumerate(RESELLER_PLAN):
        customer = _customer(name, f"perf-demo-{index + 1:02d}")
        account = customer.account_name
        invitation = customer_services.invitation_create(
            actor=inviters[key], billing_model="referral", now=start
        )
        customer_services.invitation_accept(
            actor=customer.user,
            token=invitation.token,
            agreement_version_id=latest.pk,
            now=start + timedelta(hours=1),
        )
        for month_back in range(12, -1, -1):
            period = periods.shift(periods.current_period(now), -month_back)
            first, _end = periods.bounds(period)
            day = first + timedelta(days=rng.randint(1, 25), hours=rng.randint(9, 17))
            if day >= now:
                day = now - timedelta(hours=2)
            growth = 1 + (12 - month_back) * 0.04
            for product in products:
                amount = Decimal(int(base * growth * rng.uniform(0.6, 1.3))) / len(products)
                no = f"PF{index + 1:02d}{period.replace('-', '')}{product.upper()}"
                orders.append(
                    _order(no, account, product, amount.quantize(Decimal("0.01")), day, no)
                )
            if month_back in (7, 2) and products:
                product = products[0]
                original = f"PF{index + 1:02d}{period.replace('-', '')}{product.upper()}"
                orders.append(
                    _order(
                        f"{original}R",
                        account,
                        product,
                        Decimal(int(base * 0.15)),
                        day + timedelta(days=2),
                        original,
                        order_type="unsubscribe",
                        original=original,
                    )
                )
    run = import_payload(actor=None, payload={"orders": orders}, source=ImportRun.Source.DEMO)
    assert not run.errors, run.errors
    # a year of monthly orders leaves resources whose month has passed: mark them expired, as
    # the hourly task would
    customer_services.resources_mark_expired()

    for key in ("huayun_admin", "dingsheng_admin"):
        for topic in (Topic.ESTIMATED_INCENTIVES, Topic.INDICATOR_DETAILS):
            subscribe(actor=ctx.users[key], topic=topic)
    load_applications(ctx)
    for months_back in (3, 2, 1):
        services.period_close(period=periods.shift(periods.current_period(now), -months_back))


# ---------------------------------------------------------------- PCE incentive applications


@contextmanager
def _at(moment: datetime):
    """Run services as if it were `moment` (demo data only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


CONSENT = opportunity_services.Consent(
    confirmed=True, method="signed_form", note="客户签署信息共享同意书(已归档)"
)


def _delivered_po(
    user, bd, *, customer, code, project, products, verified_days_ago, delivered_on
) -> Opportunity:
    now = timezone.now()
    data = {
        "customer_name": customer,
        "customer_credit_code": code,
        "customer_industry": "manufacturing",
        "customer_region": "east",
        "contact_name": "林晓",
        "contact_phone": "13800001111",
        "project_name": project,
        "products": products,
        "amount": Decimal("900000"),
        "expected_close_date": timezone.localdate() + timedelta(days=60),
        "description": "",
    }
    start = now - timedelta(days=verified_days_ago + 2)
    with _at(start):
        po = opportunity_services.po_create(actor=user, partner=user.partner, data=data)
        po = opportunity_services.po_submit(actor=user, po=po, consent=CONSENT)
    with _at(start + timedelta(days=1)):
        po = opportunity_services.po_start_verification(actor=bd, po=po)
    with _at(now - timedelta(days=verified_days_ago)):
        po = opportunity_services.po_verify(
            actor=bd, po=po, account_manager="周经理", confirmed_on=timezone.localdate()
        )
    return _deliver(user, bd, po, delivered_on)


def _deliver(user, bd, po: Opportunity, delivered_on: date) -> Opportunity:
    with _at(timezone.now()):
        po = opportunity_services.opportunity_update_progress(
            actor=user,
            opportunity=po,
            changes={"stage": "won", "delivery_completed_on": delivered_on},
            note="交付完成",
        )
        if not po.core_label:
            po = opportunity_services.opportunity_set_core_label(
                actor=bd, opportunity=po, core_label=True
            )
    return po


def _orders_for(ctx, inviter, po: Opportunity, amounts: dict[str, list[str]], start) -> None:
    """A customer with the opportunity's identity, associated with the partner after the
    opportunity counted, ordering its products before the delivery: the orders are
    credited to the partner and linked to the opportunity."""
    latest = customer_services.agreement_ensure_published()
    user = customer_services.customer_register(
        email=f"po{po.pk}@customers.demo.local",
        password=None,
        name=po.customer_name,
        phone="+86 139 0000 2222",
        credit_code=po.customer_credit_code,
    )
    customer = user.customer_profile
    invitation = customer_services.invitation_create(
        actor=inviter, billing_model="referral", now=start
    )
    customer_services.invitation_accept(
        actor=user, token=invitation.token, agreement_version_id=latest.pk, now=start
    )
    orders = []
    for product, values in amounts.items():
        for i, amount in enumerate(values):
            formed = start + timedelta(days=1 + i * 3, hours=2)
            no = f"PCE{po.pk:04d}{product.upper()}{i}"
            orders.append(_order(no, customer.account_name, product, amount, formed, no))
    run = import_payload(actor=None, payload={"orders": orders}, source=ImportRun.Source.DEMO)
    assert not run.errors, run.errors
    # a year of monthly orders leaves resources whose month has passed: mark them expired, as
    # the hourly task would
    customer_services.resources_mark_expired()


def load_applications(ctx: DemoContext) -> None:
    bd = ctx.users["bd"]
    huayun = ctx.users["huayun_admin"]
    dingsheng = ctx.users["dingsheng_admin"]
    today = timezone.localdate()
    now = timezone.now()

    # 华云's MES project (the opportunities demo verified it and set the core label)
    mes = (
        Opportunity.objects.filter(partner=huayun.partner, core_label=True)
        .exclude(delivery_completed_on=None)
        .order_by("pk")
        .first()
    )
    if mes is not None:
        _orders_for(
            ctx,
            huayun,
            mes,
            {"ecs": ["38000.00", "26500.00"], "rds": ["41200.00"]},
            mes.verified_at + timedelta(hours=3),
        )
        ecs = services.incentive_apply(
            actor=huayun, opportunity=mes, offering="ecs", note="一期 ECS 已交付,请审核"
        )
        services.incentive_publish(actor=bd, application=ecs)
        services.incentive_apply(actor=ctx.users["huayun_member"], opportunity=mes, offering="rds")

    park = _delivered_po(
        huayun,
        bd,
        customer="南湖智慧园区运营有限公司",
        code=make_uscc("91320500MA1P4RK07"),
        project="智慧园区综合管理平台",
        products=["ecs", "obs"],
        verified_days_ago=70,
        delivered_on=today - timedelta(days=30),
    )
    _orders_for(
        ctx,
        huayun,
        park,
        {"ecs": ["52000.00", "18800.00", "9600.00"], "obs": ["12400.00"]},
        now - timedelta(days=68),
    )
    paid = services.incentive_apply(actor=huayun, opportunity=park, offering="ecs")
    services.incentive_publish(actor=bd, application=paid)
    services.incentive_confirm(actor=huayun, application=paid)
    services.incentive_request_payment(actor=huayun, application=paid, invoice_no="No.04417725")
    services.incentive_mark_paid(actor=bd, application=paid, reference="PAY-2026-0815")
    disputed = services.incentive_apply(actor=huayun, opportunity=park, offering="obs")
    services.incentive_publish(actor=bd, application=disputed)
    services.incentive_dispute(
        actor=huayun,
        application=disputed,
        reason="园区二期的 OBS 扩容订单(6,800 元)未计入业绩基数,请核对。",
    )

    dock = _delivered_po(
        dingsheng,
        bd,
        customer="东港智慧物流有限公司",
        code=make_uscc("91370200MA3D6GK08"),
        project="港口调度系统上云",
        products=["ecs", "network"],
        verified_days_ago=50,
        delivered_on=today - timedelta(days=12),
    )
    _orders_for(ctx, dingsheng, dock, {"ecs": ["64000.00", "21000.00"]}, now - timedelta(days=48))
    requested = services.incentive_apply(actor=dingsheng, opportunity=dock, offering="ecs")
    services.incentive_publish(actor=bd, application=requested)
    services.incentive_confirm(actor=dingsheng, application=requested)
    services.incentive_request_payment(
        actor=dingsheng, application=requested, invoice_no="No.31700926"
    )

    _delivered_po(
        huayun,
        bd,
        customer="西岭文旅集团有限公司",
        code=make_uscc("91510100MA6XL0J09"),
        project="景区智慧票务二期",
        products=["ecs"],
        verified_days_ago=40,
        delivered_on=today,
    )
