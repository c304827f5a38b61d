"""Demo bills. `synthetic_lines` also feeds the tests and the benchmarks: plausible lines
(Chinese customer and product names, every order type) without the customers app."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from datetime import timedelta
from decimal import Decimal

from .models import BillLine
from .periods import current_period, period_bounds, shift_period
from .services import LineData

CUSTOMERS = [
    "杭州云启智能科技有限公司",
    "上海数联物流有限公司",
    "北京知行教育科技有限公司",
    "深圳前海微链金融服务有限公司",
    "成都天府智慧医疗科技有限公司",
    "苏州工业园区精密制造股份有限公司",
    "广州岭南文旅集团有限公司",
    "武汉光谷生物医药研究院",
    "南京紫金山数据服务有限公司",
    "西安秦川新能源汽车零部件有限公司",
    "Harbour Analytics Ltd.",
    "青岛海澜智能家居有限公司",
]
PRODUCTS = [
    ("ecs", "弹性云服务器 ECS"),
    ("obs", "对象存储服务 OBS"),
    ("rds", "云数据库 RDS for MySQL"),
    ("evs", "云硬盘 EVS"),
    ("cdn", "内容分发网络 CDN"),
    ("eip", "弹性公网IP EIP"),
    ("cce", "云容器引擎 CCE"),
    ("dcs", "分布式缓存服务 Redis"),
]
# Most lines are usage; purchases and renewals are common; refunds are rare.
TYPE_WEIGHTS = [
    (BillLine.Type.USAGE, 60),
    (BillLine.Type.NEW, 12),
    (BillLine.Type.RENEWAL, 14),
    (BillLine.Type.UPGRADE, 6),
    (BillLine.Type.DOWNGRADE, 4),
    (BillLine.Type.UNSUBSCRIBE, 4),
]


def synthetic_lines(
    count: int,
    period: str,
    *,
    seed: int = 2026,
    resellers: Sequence[tuple[int, str]] = (),
    prefix: str = "",
) -> Iterator[LineData]:
    """`count` lines spread over `period`. With `resellers` ((id, name) pairs) about half the
    lines belong to their customers, as on a distributor's bill."""
    rng = random.Random(seed)  # noqa: S311 - demo data, repeatable on purpose
    start, end = period_bounds(period)
    span = (end - start).total_seconds() - 1
    types = [t for t, _w in TYPE_WEIGHTS]
    weights = [w for _t, w in TYPE_WEIGHTS]
    moments = sorted(rng.random() * span for _ in range(count))
    stem = period.replace("-", "")
    for index, offset in enumerate(moments):
        line_type = rng.choices(types, weights)[0]
        code, product = rng.choice(PRODUCTS)
        customer_index = rng.randrange(len(CUSTOMERS))
        cents = (
            rng.randint(150, 500_000)
            if line_type != BillLine.Type.USAGE
            else rng.randint(1, 60_000)
        )
        amount = Decimal(cents) / 100
        voucher = Decimal("0.00")
        if line_type in BillLine.REFUND_TYPES:
            amount = -amount
        elif rng.random() < 0.08:
            voucher = (amount * Decimal("0.3")).quantize(Decimal("0.01"))
        reseller_id, reseller_name = (None, "")
        if resellers and rng.random() < 0.5:
            reseller_id, reseller_name = rng.choice(resellers)
        is_order = line_type != BillLine.Type.USAGE
        number = f"{prefix}{stem}{index:07d}"
        yield LineData(
            source_ref=f"{'order' if is_order else 'usage'}:{'CS' if is_order else 'UR'}{number}",
            occurred_at=start + timedelta(seconds=offset),
            line_type=line_type,
            customer_name=CUSTOMERS[customer_index],
            customer_account=f"hw{customer_index:04d}{rng.randrange(10):d}",
            product_code=code,
            product_name=product,
            amount=amount,
            order_no=f"CS{number}" if is_order else "",
            voucher_amount=voucher,
            reseller_id=reseller_id,
            reseller_name=reseller_name,
        )


def load(ctx) -> None:
    """Bills of 华云 (a solution provider) and 鼎盛 (a distributor, whose bill names its
    resellers 启航 and 星河). The last three periods and the running one are generated from
    the orders and consumption the customers demo recorded; the two periods before them hold
    a longer history (synthetic lines, as if taken over from an earlier billing system) so
    the PDF export, the filters and paging have something to show. Ended periods are
    settled; both partners have requested the invoice of the oldest one."""
    from .services import bill_generate, bill_settle, bill_store_lines, invoice_request

    admin = ctx.users["admin"]
    now_period = current_period()
    resellers = [(ctx.partners[k].pk, ctx.partners[k].name) for k in ("qihang", "xinghe")]
    plans = [("huayun", (), (160, 72)), ("dingsheng", resellers, (420, 110))]
    for key, partner_resellers, history in plans:
        partner = ctx.partners[key]
        for back, count in zip((5, 4), history, strict=True):
            period = shift_period(now_period, -back)
            lines = synthetic_lines(
                count,
                period,
                seed=partner.pk * 100 + back,
                resellers=partner_resellers,
                prefix=f"{partner.pk:02d}",
            )
            bill = bill_settle(
                actor=admin, bill=bill_store_lines(partner=partner, period=period, lines=lines)
            )
            if back == 5:
                invoice_request(actor=ctx.users[f"{key}_admin"], bill=bill)
        for back in (3, 2, 1, 0):
            bill = bill_generate(partner=partner, period=shift_period(now_period, -back))
            if bill is not None and back:
                bill_settle(actor=admin, bill=bill)
