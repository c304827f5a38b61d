"""Demo customers in every state, made through the services and the vendor-site importer:

- 华云 (solution provider): a funded reseller-model customer with resources, orders (one
  unsubscribe with its refund trace) and consumption; a frozen one waiting for its budget; a
  referral-model customer that signed only the old agreement (recommendations hidden); one
  unbound in the middle of this month (consumption split); invitation links pending, used,
  expired and revoked.
- 鼎盛 (distributor) funds its resellers 启航 and 星河 and grants them voucher quota.
- 启航 (reseller) funds `customer@demo.local` from those funds and issued it a voucher that
  paid part of an order.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from partner_center.demo import DEMO_PASSWORD, DemoContext

from . import services
from .imports import import_payload
from .models import (
    Account,
    Customer,
    ImportRun,
    Invitation,
    KnowledgeArticle,
    Product,
    Resource,
)

PRODUCTS = [
    ("ecs", "弹性云服务器 ECS"),
    ("rds", "云数据库 RDS"),
    ("obs", "对象存储服务 OBS"),
    ("cdn", "内容分发网络 CDN"),
]

ARTICLES = [
    (
        "ecs",
        "ECS 实例规格选型与成本优化",
        "按业务负载选择通用型或计算型实例,结合包年包月降低成本。",
    ),
    ("ecs", "云服务器安全加固清单", "安全组最小开放、主机安全防护与定期补丁的做法。"),
    ("rds", "RDS 高可用与备份策略", "主备实例、自动备份保留期与跨区域恢复演练。"),
    ("obs", "OBS 生命周期规则降低存储费用", "把低频数据自动转为归档存储。"),
    ("cdn", "CDN 回源与缓存命中率调优", "设置合理的缓存规则,减少回源流量。"),
]


def _iso(moment) -> str:
    return moment.isoformat()


def _customer(ctx: DemoContext, email: str, name: str, **extra) -> Customer:
    user = services.customer_register(
        email=email, password=DEMO_PASSWORD, name=name, phone="+86 139 0000 0000"
    )
    customer = user.customer_profile
    for key, value in extra.items():
        setattr(customer, key, value)
    customer.save()
    return customer


def _associate(inviter, customer: Customer, model: str, at):
    invitation = services.invitation_create(actor=inviter, billing_model=model, now=at)
    latest = services.agreement_ensure_published()
    return services.invitation_accept(
        actor=customer.user,
        token=invitation.token,
        agreement_version_id=latest.pk,
        now=at + timedelta(hours=2),
    )


def _new_order(
    no, account_name, product, amount, formed_at, resource_id, name, unit, expires_at, **extra
):
    return {
        "order_no": no,
        "customer_account": account_name,
        "type": "new",
        "product": product,
        "amount": str(amount),
        "formed_at": _iso(formed_at),
        **extra,
        "lines": [
            {
                "resource_id": resource_id,
                "name": name,
                "region": "华北-北京四",
                "billing_mode": unit,
                "periods": 1,
                "amount": str(amount),
                "renewal_price": str(amount),
                "expires_at": _iso(expires_at),
            }
        ],
    }


def _usage(no, account_name, product, amount, at, **extra):
    return {
        "record_no": no,
        "customer_account": account_name,
        "product": product,
        "amount": str(amount),
        "consumed_at": _iso(at),
        **extra,
    }


def load(ctx: DemoContext) -> None:
    now = timezone.now()
    partners = ctx.partners
    huayun_admin = ctx.users["huayun_admin"]
    dingsheng_admin = ctx.users["dingsheng_admin"]
    qihang_admin = ctx.users["qihang_admin"]
    xinghe_admin = ctx.users["xinghe_admin"]

    for code, name in PRODUCTS:
        Product.objects.get_or_create(code=code, defaults={"name": name})
    for code, title, summary in ARTICLES:
        KnowledgeArticle.objects.create(
            product=Product.objects.get(code=code),
            title=title,
            summary=summary,
            url=f"https://support.example.com/{code}",
        )

    v1 = services.agreement_ensure_published()

    # ---- customers (associated under version 1)
    yunfan = _customer(
        ctx, "it@yunfan.demo.local", "云帆智能科技有限公司", industry="互联网", region="北京"
    )
    qinghe = _customer(
        ctx, "it@qinghe.demo.local", "青禾教育科技有限公司", industry="教育", region="成都"
    )
    beichen = _customer(
        ctx, "it@beichen.demo.local", "北辰物流有限公司", industry="物流", region="天津"
    )
    haichuan = _customer(
        ctx, "it@haichuan.demo.local", "海川制造股份有限公司", industry="制造", region="宁波"
    )
    star = _customer(
        ctx, "customer@demo.local", "星辰数据服务有限公司", industry="金融科技", region="深圳"
    )
    ctx.logins.append(
        ("customer@demo.local", "customer of reseller 启航: association, agreement, vouchers")
    )
    for c in (yunfan, qinghe, beichen, haichuan):
        c.user.set_unusable_password()
        c.user.save(update_fields=["password"])
    mingyue = _customer(ctx, "it@mingyue.demo.local", "明月文化传媒有限公司", region="杭州")
    mingyue.user.set_unusable_password()
    mingyue.user.save(update_fields=["password"])

    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    a_yunfan = _associate(huayun_admin, yunfan, "reseller", now - timedelta(days=75))
    _associate(huayun_admin, beichen, "referral", now - timedelta(days=50))
    a_haichuan = _associate(huayun_admin, haichuan, "reseller", now - timedelta(days=70))
    a_star = _associate(qihang_admin, star, "reseller", now - timedelta(days=60))
    _associate(xinghe_admin, mingyue, "referral", now - timedelta(days=20))

    # ---- version 2 of the agreement; some customers sign it, 北辰 does not
    v2 = services.agreement_publish(
        actor=ctx.users["admin"],
        title_zh=v1.title_zh,
        title_en=v1.title_en,
        body_zh=v1.body_zh + "6. 合作伙伴仅在服务您所需的范围内使用上述信息,不会向第三方提供。\n",
        body_en=v1.body_en
        + "6. The partner uses this information only as far as it needs to serve you and "
        "does not pass it on to third parties.\n",
    )
    for c in (yunfan, star, haichuan):
        services.agreement_sign(actor=c.user, version=v2)
    # 青禾 accepts now, under version 2: its account stays frozen (no budget yet)
    _associate(huayun_admin, qinghe, "reseller", now - timedelta(days=1))

    # ---- invitation links in every state
    services.invitation_create(
        actor=huayun_admin,
        billing_model="reseller",
        email="cto@newclient.demo.local",
        note="新客户 A",
    )
    expired = services.invitation_create(
        actor=huayun_admin,
        billing_model="referral",
        note="过期的链接",
        now=now - timedelta(days=10),
    )
    assert expired.is_expired(now)
    revoked = services.invitation_create(
        actor=huayun_admin, billing_model="reseller", note="发错了"
    )
    services.invitation_revoke(actor=huayun_admin, invitation=revoked)

    # ---- money: huayun funds its customers; dingsheng funds its resellers
    for assoc, amount, budget in (
        (a_yunfan, "20000.00", "15000.00"),
        (a_haichuan, "8000.00", "10000.00"),
    ):
        account = Account.objects.get(association=assoc)
        services.account_set_budget(actor=huayun_admin, account=account, monthly_budget=budget)
        services.account_fund(actor=huayun_admin, account=account, amount=amount, reason="首次拨款")
    services.account_reclaim(
        actor=huayun_admin,
        account=Account.objects.get(association=a_yunfan),
        amount="1500.00",
        reason="项目结余回收",
    )
    qihang, xinghe = partners["qihang"], partners["xinghe"]
    services.reseller_fund(
        actor=dingsheng_admin, reseller=qihang, amount="50000.00", reason="Q1 资金"
    )
    services.reseller_grant_quota(actor=dingsheng_admin, reseller=qihang, amount="5000.00")
    services.reseller_fund(actor=dingsheng_admin, reseller=xinghe, amount="12000.00")
    services.reseller_grant_quota(actor=dingsheng_admin, reseller=xinghe, amount="1000.00")
    services.reseller_reclaim(
        actor=dingsheng_admin, reseller=xinghe, amount="2000.00", reason="调整额度"
    )
    star_account = Account.objects.get(association=a_star)
    services.account_set_budget(actor=qihang_admin, account=star_account, monthly_budget="20000.00")
    services.account_fund(
        actor=qihang_admin, account=star_account, amount="12000.00", reason="季度预算"
    )
    voucher = services.voucher_issue(
        actor=qihang_admin,
        association=a_star,
        face_value="800.00",
        valid_until=now + timedelta(days=90),
    )
    services.voucher_issue(
        actor=qihang_admin,
        association=a_star,
        face_value="300.00",
        valid_until=now + timedelta(days=30),
    )

    # ---- orders and consumption from the vendor's site
    d = timedelta(days=1)
    orders = [
        _new_order(
            "CS2026000101",
            yunfan.account_name,
            "ecs",
            "1200.00",
            now - 60 * d,
            "ecs-yf-web01",
            "web01 · s6.xlarge.2",
            "month",
            now - 24 * d,
        ),
        _new_order(
            "CS2026000102",
            yunfan.account_name,
            "rds",
            "9600.00",
            now - 58 * d,
            "rds-yf-main",
            "主库 · rds.mysql.x1.large",
            "year",
            now + 307 * d,
        ),
        _new_order(
            "CS2026000103",
            yunfan.account_name,
            "ecs",
            "800.00",
            now - 40 * d,
            "ecs-yf-batch",
            "batch · c6.large.2",
            "month",
            now + 20 * d,
        ),
        {
            "order_no": "CS2026000104",
            "customer_account": yunfan.account_name,
            "type": "renewal",
            "product": "ecs",
            "amount": "1200.00",
            "formed_at": _iso(now - 30 * d),
            "lines": [
                {
                    "resource_id": "ecs-yf-web01",
                    "amount": "1200.00",
                    "periods": 1,
                    "expires_at": _iso(now + 6 * d),
                }
            ],
        },
        _new_order(
            "CS2026000105",
            yunfan.account_name,
            "obs",
            "600.00",
            now - 20 * d,
            "obs-yf-archive",
            "归档桶 · 1TB",
            "month",
            now + 10 * d,
        ),
        {
            "order_no": "CS2026000106",
            "customer_account": yunfan.account_name,
            "type": "unsubscribe",
            "product": "ecs",
            "amount": "450.00",
            "formed_at": _iso(now - 5 * d),
            "lines": [
                {
                    "resource_id": "ecs-yf-batch",
                    "amount": "450.00",
                    "original_order_no": "CS2026000103",
                }
            ],
        },
        {
            "order_no": "CS2026000107",
            "customer_account": yunfan.account_name,
            "type": "downgrade",
            "product": "rds",
            "amount": "1800.00",
            "formed_at": _iso(now - 3 * d),
            "lines": [
                {
                    "resource_id": "rds-yf-main",
                    "amount": "1800.00",
                    "renewal_price": "7800.00",
                    "original_order_no": "CS2026000102",
                }
            ],
        },
        _new_order(
            "CS2026000201",
            star.account_name,
            "ecs",
            "2400.00",
            now - 45 * d,
            "ecs-xc-app01",
            "app01 · s6.2xlarge.2",
            "month",
            now + 25 * d,
            voucher_code=voucher.code,
            voucher_amount="500.00",
        ),
        _new_order(
            "CS2026000202",
            star.account_name,
            "cdn",
            "300.00",
            now - 25 * d,
            "cdn-xc-static",
            "静态加速包 · 1TB",
            "month",
            now + 5 * d,
        ),
        _new_order(
            "CS2026000301",
            haichuan.account_name,
            "ecs",
            "1500.00",
            now - 65 * d,
            "ecs-hc-mes",
            "MES · s6.xlarge.4",
            "month",
            now + 12 * d,
        ),
        _new_order(
            "CS2026000401",
            beichen.account_name,
            "rds",
            "5200.00",
            now - 40 * d,
            "rds-bc-wms",
            "WMS 数据库 · rds.pg.large",
            "year",
            now + 325 * d,
        ),
    ]
    consumption = []
    for i in range(1, 61):
        at = now - i * d
        consumption.append(
            _usage(
                f"U-YF-{i:03d}",
                yunfan.account_name,
                "cdn" if i % 3 else "obs",
                Decimal("35.50") + i % 7,
                at,
            )
        )
        consumption.append(
            _usage(f"U-XC-{i:03d}", star.account_name, "ecs", Decimal("22.00") + i % 5, at)
        )
        if i <= 45:
            consumption.append(
                _usage(f"U-BC-{i:03d}", beichen.account_name, "obs", Decimal("12.80"), at)
            )
    haichuan_start = now - 70 * d
    moment = haichuan_start + timedelta(hours=5)
    n = 0
    while moment < now - timedelta(minutes=30):
        n += 1
        consumption.append(_usage(f"U-HC-{n:03d}", haichuan.account_name, "ecs", "48.00", moment))
        moment += timedelta(hours=18)
    run = import_payload(actor=None, payload={"orders": orders}, source=ImportRun.Source.DEMO)
    assert not run.errors, run.errors

    # ---- 海川 is unbound in the middle of this month; its usage after that moment arrives
    # later and is booked to its own main account
    unbind_at = month_start + (now - month_start) / 2
    services.customer_unbind(
        actor=huayun_admin, association=a_haichuan, reason="客户改为自行付费", now=unbind_at
    )
    run = import_payload(
        actor=None, payload={"consumption": consumption}, source=ImportRun.Source.DEMO
    )
    assert not run.errors, run.errors

    # ---- auto-renew on two resources
    for rid, actor in (("rds-yf-main", huayun_admin), ("ecs-xc-app01", qihang_admin)):
        services.resource_set_auto_renew(
            actor=actor, resource=Resource.objects.get(resource_id=rid), enabled=True
        )
    assert Invitation.objects.filter(state=Invitation.State.ACCEPTED).count() == 6

    # ---- today's digests (R4.6), so subscribers see real ones: 华云数智's new-customer
    # labels and 鼎盛云联's reseller information (the beat task then skips this day)
    from partner_center.notifications.digests import digest_day

    from .digests import DIGESTS, send_topic_digests

    today = digest_day(now + timedelta(days=1))
    for topic in DIGESTS:
        send_topic_digests(topic, today)
