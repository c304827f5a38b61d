"""Demo: members of 华云数智 in every state, accounts that show each invitation refusal,
a recorded legal-representative change and a contact change waiting for its code."""

from datetime import timedelta

from django.utils import timezone

from partner_center.accounts.models import User
from partner_center.accounts.permissions import Role
from partner_center.accounts.services import user_create

from . import services
from .models import ContactChange, Membership


def _person(ctx, key, email, name, shows=None, **attrs):
    from partner_center.demo import DEMO_PASSWORD

    attrs.setdefault("real_name_status", User.RealName.PERSONAL)
    user = user_create(
        email=email, password=DEMO_PASSWORD, role=Role.CUSTOMER, full_name=name, **attrs
    )
    ctx.users[key] = user
    if shows:
        ctx.logins.append((email, shows))
    return user


def load(ctx) -> None:
    now = timezone.now()
    huayun = ctx.partners["huayun"]
    admin = ctx.users["huayun_admin"]

    # The member made by the core demo gets its place in the link history.
    link = services.member_link_existing(actor=ctx.users["admin"], user=ctx.users["huayun_member"])
    Membership.objects.filter(pk=link.pk).update(linked_at=now - timedelta(days=200))

    # Invited, waiting: this person sees the invitation in the notification center.
    zhou = _person(
        ctx, "zhou", "zhou@person.demo.local", "周敏", "has an open invitation from 华云数智"
    )
    services.member_invite(actor=admin, partner=huayun, email=zhou.email)

    # Invited, the link ran out.
    wu = _person(ctx, "wu", "wu@person.demo.local", "吴涛")
    expired = services.member_invite(actor=admin, partner=huayun, email=wu.email)
    Membership.objects.filter(pk=expired.pk).update(
        invited_at=now - timedelta(days=9), expires_at=now - timedelta(days=2)
    )
    services.expire_invitations()

    # Linked through the invitation.
    sun = _person(
        ctx,
        "sun",
        "sun@person.demo.local",
        "孙浩",
        "project specialist of 华云数智 (joined by invitation)",
    )
    services.invitation_accept(
        actor=sun, membership=services.member_invite(actor=admin, partner=huayun, email=sun.email)
    )
    # Linked, then unlinked.
    qian = _person(ctx, "qian", "qian@person.demo.local", "钱丽")
    joined = services.member_invite(actor=admin, partner=huayun, email=qian.email)
    services.invitation_accept(actor=qian, membership=joined)
    services.member_unlink(actor=admin, membership=joined)

    # Accounts an admin can try to invite, each refused for one reason.
    _person(
        ctx,
        "enterprise_account",
        "enterprise@person.demo.local",
        "某企业账号",
        real_name_status=User.RealName.ENTERPRISE,
    )
    _person(
        ctx,
        "unverified",
        "unverified@person.demo.local",
        "未实名用户",
        real_name_status=User.RealName.NONE,
    )
    _person(
        ctx,
        "international",
        "intl@person.demo.local",
        "Alex Lee",
        real_name_status=User.RealName.NONE,
        site=User.Site.INTERNATIONAL,
    )
    hopper = _person(ctx, "hopper", "hopper@person.demo.local", "郑跳")
    for i, key in enumerate(("boxue", "xinrui", "zhiyuan")):
        membership = services.member_invite(
            actor=ctx.users[f"{key}_admin"], partner=ctx.partners[key], email=hopper.email
        )
        services.invitation_accept(actor=hopper, membership=membership)
        services.member_unlink(actor=ctx.users[f"{key}_admin"], membership=membership)
        Membership.objects.filter(pk=membership.pk).update(
            linked_at=now - timedelta(days=300 - i * 90),
            unlinked_at=now - timedelta(days=250 - i * 90),
        )

    # Profile: a recorded legal-representative change, and an e-mail change waiting for its code.
    services.partner_change_legal_representative(
        actor=admin, partner=huayun, name="李四", note="2026-09 工商变更"
    )
    services.contact_change_start(
        actor=ctx.users["dingsheng_admin"],
        partner=ctx.partners["dingsheng"],
        channel=ContactChange.Channel.EMAIL,
        new_value="bd-team@dingsheng.demo.local",
    )
