"""A help answer for requesting an invoice (issue [8]: the help center had the tax rate but
not how to ask for the invoice). In our own words, from the billing rules; seeded with
0004's helpers, so the index text is built the same way. Adds only a missing slug."""

from importlib import import_module

from django.db import migrations

_0004 = import_module("partner_center.helpcenter.migrations.0004_three_answers")

# fmt: off
ENTRIES = [
    ("invoice-request", "billing", 55,
     ("如何申请发票？",
      "账期结算后，伙伴管理员（或获得“可拨款”授权的成员）打开该账期的账单页面，点击“申请发票”即可。每张账单只能申请一张发票；"
      "账期尚未结算、已经申请过，或者没有应付金额时，无法申请，页面会说明原因。\n\n"
      "- 发票抬头和纳税人识别号取自伙伴资料中的企业名称和统一社会信用代码，税率为 6%。\n"
      "- 发票按产品分行列出税前金额、税额和合计。\n"
      "- 厂商财务开具发票后，申请人会收到通知；“财务 > 发票”中可查看每张发票的状态和历史记录。\n"
      "- “待办”页面会列出已结算但尚未申请发票的账单，按账期从早到晚排列。"),
     ("How do I request an invoice?",
      "Once a billing period is settled, a partner admin (or a member granted \"may move "
      "money\") opens that period's bill and clicks Request invoice. Each bill gets one "
      "invoice; while the period is still open, when the invoice was requested already, or "
      "when nothing is due, the request is refused and the page says why.\n\n"
      "- The buyer name and taxpayer ID are the company name and unified social credit code "
      "of the partner profile; the tax rate is 6%.\n"
      "- The invoice lists one line per product with the amount before tax, the tax and the "
      "total.\n"
      "- When the vendor's finance team issues it, the requester is notified; Finance > "
      "Invoices shows each invoice with its state and history.\n"
      "- The Needs me page lists the settled bills still waiting for an invoice request, "
      "oldest period first."),
     "发票 申请发票 开票 抬头 税号 invoice request VAT tax billing",
     "billing:invoices", "", ("查看发票", "See invoices")),
]
# fmt: on


def seed(apps, schema_editor):
    _0004.seed_entries(apps, ENTRIES)


def unseed(apps, schema_editor):
    _0004.unseed_entries(apps, ENTRIES)


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0004_three_answers")]

    operations = [migrations.RunPython(seed, unseed)]
