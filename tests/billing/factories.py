"""Bills for tests, made directly from lines (no customers app needed)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from itertools import count

from billing.demo import synthetic_lines
from billing.models import Bill, BillLine
from billing.periods import SHANGHAI
from billing.services import LineData, bill_settle, bill_store_lines

_refs = count(1)


def line(
    amount: str,
    *,
    line_type: str = BillLine.Type.USAGE,
    product: tuple[str, str] = ("ecs", "弹性云服务器 ECS"),
    customer: str = "杭州云启智能科技有限公司",
    when: datetime | None = None,
    voucher: str = "0.00",
    reseller=None,
    order_no: str = "",
) -> LineData:
    n = next(_refs)
    return LineData(
        source_ref=f"{'usage' if line_type == BillLine.Type.USAGE else 'order'}:T{n:08d}",
        occurred_at=when or datetime(2026, 5, 10, 9, 30, tzinfo=SHANGHAI),
        line_type=line_type,
        customer_name=customer,
        customer_account=f"hw{n:05d}",
        product_code=product[0],
        product_name=product[1],
        amount=Decimal(amount),
        order_no=order_no or (f"CS{n:010d}" if line_type != BillLine.Type.USAGE else ""),
        voucher_amount=Decimal(voucher),
        reseller_id=reseller.pk if reseller else None,
        reseller_name=reseller.name if reseller else "",
    )


def make_bill(
    partner,
    period: str = "2026-05",
    *,
    lines: int | list[LineData] = 10,
    resellers=(),
    settled: bool = False,
    seed: int = 7,
) -> Bill:
    rows = (
        lines
        if isinstance(lines, list)
        else synthetic_lines(
            lines,
            period,
            seed=seed,
            resellers=[(r.pk, r.name) for r in resellers],
            prefix=f"{partner.pk}-",
        )
    )
    bill = bill_store_lines(partner=partner, period=period, lines=rows)
    if settled:
        bill = bill_settle(actor=None, bill=bill)
    return bill
