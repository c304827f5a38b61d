"""Demo: subscriptions (a distributor with reseller information), a member who doesn't want
e-mails, and read and unread notifications."""

from . import services
from .models import Topic


def load(ctx) -> None:
    users = ctx.users
    huayun_admin = users["huayun_admin"]
    huayun_admin.refresh_from_db()
    services.subscriptions_set(
        actor=huayun_admin, topics=[Topic.PERFORMANCE, Topic.INCENTIVES, Topic.NEW_CUSTOMER_LABEL]
    )
    dingsheng_admin = users["dingsheng_admin"]
    services.subscriptions_set(
        actor=dingsheng_admin, topics=[Topic.RESELLER_INFO, Topic.PERFORMANCE]
    )
    services.preference_set(actor=users["huayun_member"], email_enabled=False)
    services.notify_subscribers(
        partner=ctx.partners["huayun"],
        topic=Topic.PERFORMANCE,
        title="2026-10 账期业绩已生成",
        body="本账期业绩汇总与明细已可查看。",
        link="/incentives/",
    )
    services.notify_subscribers(
        partner=ctx.partners["dingsheng"],
        topic=Topic.RESELLER_INFO,
        title="云经销商 启航云服 本月新增 3 个客户",
        link="/customers/",
    )
    read = services.notify(
        recipients=[huayun_admin],
        kind="programs.pce_approved",
        title="贵司已成为 PCE 计划成员",
        link="/programs/pce/",
        email=False,
    )
    services.mark_read(actor=huayun_admin, notification_ids=[n.pk for n in read])
