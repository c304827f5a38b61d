"""Demo data for the one-command demo. The core part makes partners of every type, vendor
staff and an admin; then each app's `demo.py` (if it has one) adds its own records through
its services, in the order of INSTALLED_APPS."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from partner_center.accounts.models import Partner, User
from partner_center.accounts.permissions import PartnerType as T
from partner_center.accounts.permissions import Role
from partner_center.accounts.services import partner_create, user_create
from partner_center.accounts.uscc import make_uscc
from partner_center.app_modules import app_modules
from partner_center.programs.models import PCEApplication

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - printed for the demo on purpose


@dataclass
class DemoContext:
    partners: dict[str, Partner] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    logins: list[tuple[str, str]] = field(default_factory=list)  # (e-mail, what it shows)


PARTNERS = [
    # key, name, credit code body (17 chars), types, distributor key, PCE state
    (
        "huayun",
        "华云数智科技有限公司",
        "91110108MA01ABCD1",
        [T.SOLUTION_PROVIDER, T.SOFTWARE],
        None,
        "approved",
    ),
    (
        "dingsheng",
        "鼎盛云联信息技术有限公司",
        "91310115MA1K2DT00",
        [T.DISTRIBUTOR, T.SOLUTION_PROVIDER],
        None,
        "approved",
    ),
    (
        "qihang",
        "启航云服科技(深圳)有限公司",
        "91440300MA5G7QH01",
        [T.RESELLER],
        "dingsheng",
        "approved",
    ),
    (
        "xinghe",
        "星河云创软件有限公司",
        "91330106MA2H8XH02",
        [T.RESELLER, T.SOFTWARE],
        "dingsheng",
        "",
    ),
    ("boxue", "博学赋能教育科技有限公司", "91420100MA4K9BX03", [T.LEARNING], None, ""),
    (
        "zhiyuan",
        "智远数字化咨询集团有限公司",
        "91510100MA6C0QY04",
        [T.CONSULTING, T.SERVICE],
        None,
        "applied",
    ),
    (
        "xinrui",
        "新锐云计算服务有限公司",
        "91320594MA1N1XR05",
        [T.SOLUTION_PROVIDER],
        None,
        "rejected",
    ),
]


def _user(ctx: DemoContext, key: str, email: str, role: str, shows: str, **extra) -> User:
    user = user_create(email=email, password=DEMO_PASSWORD, role=role, **extra)
    ctx.users[key] = user
    ctx.logins.append((email, shows))
    return user


@transaction.atomic
def load_core(ctx: DemoContext) -> None:
    admin = User.objects.create_superuser("admin@demo.local", DEMO_PASSWORD, full_name="系统管理员")
    ctx.users["admin"] = admin
    ctx.logins.append(("admin@demo.local", "Django admin, every record"))
    bd = _user(
        ctx,
        "bd",
        "bd@demo.local",
        Role.BD,
        "BD staff: review queues, HO pool",
        full_name="王晓明 (BD)",
    )
    _user(ctx, "bd2", "bd2@demo.local", Role.BD, "a second BD user", full_name="李娜 (BD)")
    _user(
        ctx,
        "cert",
        "cert@demo.local",
        Role.CERT_SPECIALIST,
        "certification specialist",
        full_name="赵敏 (认证)",
    )
    for key, name, body, types, parent, pce in PARTNERS:
        partner = partner_create(
            actor=admin,
            name=name,
            credit_code=make_uscc(body),
            contact_email=f"contact@{key}.demo.local",
            contact_phone="+86 138 0000 0000",
            legal_representative="张三",
            types=types,
            parent_distributor=ctx.partners.get(parent or ""),
        )
        ctx.partners[key] = partner
        _user(
            ctx,
            f"{key}_admin",
            f"admin@{key}.demo.local",
            Role.PARTNER_ADMIN,
            f"partner admin of {name}",
            partner=partner,
            full_name=f"{name[:2]}管理员",
            real_name_status=User.RealName.PERSONAL,
            is_partner_account=True,
            can_move_money=True,
        )
        if pce:
            PCEApplication.objects.create(
                partner=partner,
                state=pce,
                applied_by=ctx.users[f"{key}_admin"],
                decided_by=bd if pce != "applied" else None,
                decided_at=timezone.now() if pce != "applied" else None,
                decision_reason="材料不完整" if pce == "rejected" else "",
            )
    _user(
        ctx,
        "huayun_member",
        "member@huayun.demo.local",
        Role.PARTNER_MEMBER,
        "project specialist of 华云数智",
        partner=ctx.partners["huayun"],
        full_name="陈项目",
        real_name_status=User.RealName.PERSONAL,
    )


def load_all() -> DemoContext | None:
    """Load the demo once; returns None when it is there already."""
    if User.objects.filter(email="admin@demo.local").exists():
        return None
    ctx = DemoContext()
    load_core(ctx)
    for config, module in app_modules("demo"):
        if config.name == "partner_center.accounts":
            continue
        with transaction.atomic():
            module.load(ctx)
    return ctx
