"""Demo data for the pipeline tools (issue [5]): HO profiles, and verified POs of the last
months at every sales stage, so the dashboards, the assessment and lead routing show
something. Through the services, with the clock set back like `demo.py`."""

from __future__ import annotations

from datetime import timedelta

from . import services
from .demo import CONSENT, _at, _data, _working_days_ago
from .services.pipeline import update_ho_profile

# (customer, project, products, amount, industry, region, verified N working days ago, stage)
DEALS = [
    (
        "长风汽车零部件有限公司",
        "供应链协同平台",
        ["ecs", "rds"],
        "880000",
        "manufacturing",
        "east",
        60,
        "won",
    ),
    (
        "松涛教育科技有限公司",
        "在线课堂扩容",
        ["ecs", "cdn"],
        "360000",
        "education",
        "east",
        50,
        "lost",
    ),
    (
        "明德医院集团有限公司",
        "影像归档云",
        ["obs", "ecs"],
        "1500000",
        "healthcare",
        "north",
        40,
        "bidding",
    ),
    (
        "恒远能源股份有限公司",
        "能耗监测平台",
        ["iot", "bigdata"],
        "990000",
        "energy",
        "north",
        30,
        "solution",
    ),
    (
        "嘉禾食品有限公司",
        "门店系统上云",
        ["ecs", "rds"],
        "420000",
        "retail",
        "south",
        25,
        "contacting",
    ),
    ("华章出版传媒有限公司", "数字资产库", ["obs", "cdn"], "270000", "media", "east", 1, ""),
]


def load(ctx) -> None:
    bd = ctx.users["bd"]
    huayun, member = ctx.users["huayun_admin"], ctx.users["huayun_member"]
    update_ho_profile(
        actor=huayun,
        partner_id=huayun.partner_id,
        industries=["manufacturing", "healthcare", "energy"],
        regions=["east", "north"],
        products=["ecs", "rds", "iot", "gaussdb", "obs"],
    )
    for key, industries, regions, products in (
        ("dingsheng_admin", ["retail", "transport"], ["southwest", "south"], ["ecs", "cdn"]),
        ("qihang_admin", ["finance"], ["east"], ["network", "security", "ecs"]),
    ):
        user = ctx.users.get(key)
        if user is not None:
            update_ho_profile(
                actor=user,
                partner_id=user.partner_id,
                industries=industries,
                regions=regions,
                products=products,
            )
    for customer, project, products, amount, industry, region, ago, stage in DEALS:
        start = _working_days_ago(ago + 6, 9)
        with _at(start):
            po = services.po_create(
                actor=huayun,
                partner=huayun.partner,
                data=_data(customer, project, products, amount, industry=industry, region=region),
                external_ref="",
            )
            po = services.po_submit(actor=huayun, po=po, consent=CONSENT)
        with _at(_working_days_ago(ago + 3, 11)):
            po = services.po_start_verification(actor=bd, po=po)
        verified_at = _working_days_ago(ago, 15)
        with _at(verified_at):
            po = services.po_verify(
                actor=bd, po=po, account_manager="刘经理", confirmed_on=verified_at.date()
            )
        if stage:
            with _at(verified_at + timedelta(days=2)):
                services.opportunity_update_progress(
                    actor=member, opportunity=po, changes={"stage": stage}
                )
