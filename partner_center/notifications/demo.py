"""Demo: subscriptions (a distributor with reseller information), a member who doesn't want
e-mails, and read and unread notifications."""

from . import services
from .messages import msg
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
        title=msg(
            "Performance for %(period)s: %(amount)s", period="2026-10", amount="¥1,286,400.00"
        ),
        body=msg("The billing period is closed; its summary and details are ready."),
        link="/incentives/",
    )
    services.notify_subscribers(
        partner=ctx.partners["dingsheng"],
        topic=Topic.RESELLER_INFO,
        title=msg(
            "Tier-2 reseller %(reseller)s added %(n)s customers this month",
            reseller=ctx.partners["qihang"].name,
            n=3,
        ),
        link="/customers/",
    )
    read = services.notify(
        recipients=[huayun_admin],
        kind="programs.pce_approved",
        title=msg("Your partner is now a member of the PCE program"),
        link="/programs/pce/",
        email=False,
    )
    services.mark_read(actor=huayun_admin, notification_ids=[n.pk for n in read])
