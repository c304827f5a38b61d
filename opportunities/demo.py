"""Demo opportunities: every PO and HO state, items about to expire, items the SLA sweep
ended, duplicates waiting in BD's queue. Everything goes through the services; to place
items in the past, the services run with the clock set back (`_at`)."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from partner_center.accounts.uscc import make_uscc
from partner_center.workdays import SHANGHAI, deadline_after, is_working_day

from . import services, sla
from .models import Opportunity
from .transitions import SLA_WORKING_DAYS

K = Opportunity.Kind
CONSENT = services.Consent(
    confirmed=True, method="email", note="客户信息部负责人邮件确认同意共享（邮件已归档）"
)


@contextmanager
def _at(moment: datetime):
    """Run services as if it were `moment` (demo data only)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _working_days_ago(n: int, hour: int = 10) -> datetime:
    day = timezone.localdate()
    count = 0
    while count < n:
        day -= timedelta(days=1)
        if is_working_day(day):
            count += 1
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _least_time_left(kind: str) -> datetime:
    """The earliest start whose deadline has not passed yet: an item about to expire."""
    now = timezone.now()
    n = SLA_WORKING_DAYS[kind]
    best = now
    for back in range(1, 40):
        moment = (now - timedelta(days=back)).replace(hour=10, minute=0, second=0, microsecond=0)
        if deadline_after(moment, n) < now + timedelta(hours=2):
            break
        best = moment
    return best


def _data(customer, project, products, amount, **extra) -> dict:
    data = {
        "customer_name": customer,
        "customer_credit_code": extra.pop("code", ""),
        "customer_industry": extra.pop("industry", "manufacturing"),
        "customer_region": extra.pop("region", "east"),
        "contact_name": extra.pop("contact", "周建国"),
        "contact_phone": extra.pop("phone", "13912345678"),
        "project_name": project,
        "products": products,
        "amount": Decimal(amount),
        "expected_close_date": extra.pop("close", timezone.localdate() + timedelta(days=120)),
        "description": extra.pop("description", ""),
    }
    data.update(extra)
    return data


def load(ctx) -> None:
    bd, bd2 = ctx.users["bd"], ctx.users["bd2"]
    huayun, member = ctx.users["huayun_admin"], ctx.users["huayun_member"]
    dingsheng, qihang = ctx.users["dingsheng_admin"], ctx.users["qihang_admin"]

    def po(user, data, *, at=None, ref=""):
        with _at(at or timezone.now()):
            return services.po_create(actor=user, partner=user.partner, data=data, external_ref=ref)

    def submit(user, item, at):
        with _at(at):
            return services.po_submit(actor=user, po=item, consent=CONSENT)

    def submitted(user, data, *, days_ago, later=timedelta(hours=1), ref=""):
        """A PO created `days_ago` working days ago and submitted `later`."""
        created = _working_days_ago(days_ago)
        item = po(user, data, at=created, ref=ref)
        submit(user, item, created + later)
        return item

    # -- POs of 华云数智 in every state --------------------------------------------------
    po(
        member,
        _data(
            "青禾生物医药有限公司",
            "实验数据平台上云",
            ["obs", "bigdata"],
            "450000",
            industry="healthcare",
        ),
        ref="HY-2026-031",
    )
    fresh = po(
        huayun,
        _data(
            "东岳重工机械股份有限公司", "设备物联网平台", ["iot", "ecs"], "1200000", region="north"
        ),
        at=_working_days_ago(2, 9),
        ref="HY-2026-027",
    )
    submit(huayun, fresh, _working_days_ago(2, 9) + timedelta(minutes=20))

    expiring = _least_time_left(K.PO)
    urgent = po(
        huayun,
        _data(
            "南湖智慧水务集团有限公司",
            "智慧水务云平台",
            ["ecs", "gaussdb"],
            "2350000",
            industry="energy",
        ),
        at=expiring - timedelta(minutes=30),
        ref="HY-2026-019",
    )
    submit(huayun, urgent, expiring)  # deadline within the next working day

    reviewing = submitted(
        huayun,
        _data(
            "锦程物流供应链有限公司",
            "运输管理系统迁移",
            ["ecs", "rds", "cce"],
            "890000",
            industry="transport",
        ),
        days_ago=5,
    )
    with _at(_working_days_ago(4)):
        services.po_start_verification(actor=bd, po=reviewing, note="材料齐全")

    returned = submitted(
        member,
        _data(
            "星海教育科技有限公司",
            "在线课堂扩容",
            ["ecs", "cdn"],
            "360000",
            industry="education",
            phone="010-88880000",
        ),
        days_ago=3,
    )
    with _at(_working_days_ago(2)):
        services.po_return_for_changes(
            actor=bd,
            po=returned,
            fields=["contact_phone", "amount"],
            comment="联系电话无法接通，请补充手机号；预算请按一期范围填写。",
        )

    won_code = make_uscc("91330100MA2B3C4D5")
    won = submitted(
        huayun,
        _data(
            "江南智造装备股份有限公司",
            "MES 系统上云",
            ["ecs", "rds", "modelarts"],
            "680000",
            code=won_code,
            description="客户计划分两期迁移，一期为生产执行系统。",
        ),
        days_ago=30,
        ref="HY-2026-002",
    )
    # 鼎盛 submitted the same customer too: it is rejected by the duplicate rule when
    # 华云's PO passes verification first.
    submitted(
        dingsheng,
        _data("江南智造装备股份有限公司", "生产系统云化", ["rds"], "500000", code=won_code),
        days_ago=29,
        later=timedelta(hours=2),
    )
    with _at(_working_days_ago(28)):
        services.po_start_verification(actor=bd, po=won)
    with _at(_working_days_ago(25)):
        services.po_verify(
            actor=bd,
            po=won,
            account_manager="刘建华",
            confirmed_on=timezone.localdate(),
            note="客户负责人已电话确认需求",
        )
    with _at(_working_days_ago(15)):
        services.opportunity_update_progress(
            actor=huayun,
            opportunity=won,
            changes={"stage": "bidding", "amount": Decimal("720000")},
            note="客户已发布招标公告",
        )
    with _at(_working_days_ago(1)):
        services.opportunity_update_progress(
            actor=member,
            opportunity=won,
            changes={"stage": "won", "delivery_completed_on": _working_days_ago(3).date()},
            note="已中标，一期交付完成",
        )
        services.opportunity_set_core_label(actor=bd, opportunity=won, core_label=True)

    plain = submitted(
        huayun,
        _data(
            "汇通城市商业银行股份有限公司",
            "灾备中心建设",
            ["ecs", "obs", "security"],
            "3100000",
            industry="finance",
        ),
        days_ago=20,
    )
    with _at(_working_days_ago(19)):
        services.po_start_verification(actor=bd2, po=plain)
    with _at(_working_days_ago(17)):
        services.po_verify(
            actor=bd2, po=plain, account_manager="陈思远", confirmed_on=timezone.localdate()
        )

    invalid = submitted(
        huayun,
        _data("远帆文旅发展有限公司", "景区票务系统", ["ecs"], "150000", industry="media"),
        days_ago=12,
    )
    with _at(_working_days_ago(10)):
        services.po_reject(
            actor=bd, po=invalid, reason="no_real_demand", note="客户负责人确认今年无预算"
        )

    submitted(  # swept below
        huayun,
        _data("北辰新材料科技有限公司", "研发数据湖", ["bigdata", "obs"], "540000"),
        days_ago=16,
    )

    # Two partners with the same prospect, neither verified yet: a pair in BD's queue.
    for user, project in ((huayun, "门店数字化"), (qihang, "门店收银上云")):
        submitted(
            user,
            _data("百味连锁餐饮管理有限公司", project, ["ecs", "rds"], "260000", industry="retail"),
            days_ago=1,
            later=timedelta(hours=2),
        )

    # -- HOs: the pool and its shares ---------------------------------------------------
    crm = iter(range(1, 100))

    def lead(data, created):
        with _at(created + timedelta(hours=2)):
            return services.lead_create(
                actor=bd, crm_id=f"CRM-HO-{next(crm):04d}", crm_created_at=created, data=data
            )

    def share(item, partner, at):
        with _at(at):
            return services.ho_share(actor=bd, lead=item, partner=partner)

    fresh_lead = lead(
        _data(
            "天衡制药集团有限公司",
            "GxP 合规云",
            ["ecs", "security"],
            "980000",
            industry="healthcare",
            contact="孙明",
            phone="13700001234",
        ),
        _working_days_ago(2),
    )
    share(fresh_lead, huayun.partner, timezone.now() - timedelta(hours=3))

    ho_expiring = _least_time_left(K.HO)
    urgent_lead = lead(
        _data(
            "蓝湾港口集团有限公司",
            "智慧港口调度",
            ["iot", "ecs", "cce"],
            "1750000",
            industry="transport",
            contact="郑海",
            phone="13600005678",
        ),
        ho_expiring - timedelta(days=2),
    )
    share(urgent_lead, huayun.partner, ho_expiring)

    accepted_lead = lead(
        _data(
            "瑞丰农业科技有限公司",
            "农产品溯源平台",
            ["ecs", "rds"],
            "420000",
            industry="retail",
            contact="钱丰",
            phone="13500009876",
        ),
        _working_days_ago(12),
    )
    accepted = share(accepted_lead, huayun.partner, _working_days_ago(10))
    with _at(_working_days_ago(9)):
        services.ho_accept(actor=huayun, ho=accepted)
    with _at(_working_days_ago(4)):
        services.opportunity_update_progress(
            actor=member,
            opportunity=accepted,
            changes={"stage": "solution"},
            note="已与客户完成方案交流",
        )

    declined_lead = lead(
        _data(
            "西岭矿业有限公司",
            "矿区安全监测",
            ["iot", "bigdata"],
            "760000",
            industry="energy",
            region="southwest",
            contact="吴岭",
            phone="13400002222",
        ),
        _working_days_ago(8),
    )
    declined = share(declined_lead, huayun.partner, _working_days_ago(6))
    with _at(_working_days_ago(6) + timedelta(hours=3)):
        services.ho_decline(actor=huayun, ho=declined, reason="客户在西南地区，我司暂无交付团队")
    share(declined_lead, dingsheng.partner, _working_days_ago(1))

    lapsed_lead = lead(
        _data(
            "云杉家居用品有限公司",
            "电商大促扩容",
            ["ecs", "cdn"],
            "310000",
            industry="retail",
            contact="冯杉",
            phone="13300003333",
        ),
        _working_days_ago(12),
    )
    share(lapsed_lead, qihang.partner, _working_days_ago(8))  # expires, swept below

    lead(
        _data(
            "金石证券股份有限公司",
            "量化交易低延时网络",
            ["network", "ecs"],
            "2600000",
            industry="finance",
            contact="林石",
            phone="13200004444",
        ),
        _working_days_ago(1),
    )
    # The vendor already holds this customer: 华云's fresh PO pairs with it in the queue.
    lead(
        _data(
            "东岳重工机械股份有限公司",
            "设备预测性维护",
            ["iot"],
            "800000",
            region="north",
            contact="马岳",
            phone="13100005555",
        ),
        _working_days_ago(40),
    )

    # Working on a deal together (collab): a thread, next steps and files.
    from .collab.demo import load as load_collab

    load_collab(ctx, at=_at, days_ago=_working_days_ago, reviewing=reviewing, won=won)
    # Pipeline tools (issue [5]): HO profiles, verified deals at every stage.
    from .demo_pipeline import load as load_pipeline

    load_pipeline(ctx)

    # End what is overdue and send the reminders that are due, as beat would.
    sla.sweep_overdue()
    sla.send_due_reminders()
