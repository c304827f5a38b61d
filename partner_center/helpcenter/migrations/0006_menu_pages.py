"""One help entry per menu page (issue 19 item 3): what the page is for, who sees it, and
its main rules. Each menu entry names its entry (`MenuEntry.help_slug`), and "Why is a menu
missing?" links it. In our own words, from the spec and the portal's rules.

Numbers that a rule fixes are written as placeholders (`{po_sla_days}` …, see
helpcenter/facts.py) and filled in when the entry is shown, so a changed rule never leaves a
stale number here. Seeded with 0004's helpers; adds only missing slugs."""

import re
from importlib import import_module

from django.db import migrations

_0004 = import_module("partner_center.helpcenter.migrations.0004_three_answers")

# fmt: off
ENTRIES = [
    # ---- Sales -------------------------------------------------------------------------
    ("page-opportunities", "opportunities", 110,
     ("“机会点”页面有什么用？",
      "“销售 > 机会点”列出您的伙伴的全部 PO 和 HO：可按状态、类型、客户和日期筛选，打开一条查看详情、时间线和截止时间。"
      "在这里新建 PO：先确认客户已明确同意把个人信息共享给厂商，再提交。\n\n"
      "- 伙伴管理员和伙伴成员都能看到本伙伴的机会点；BD 和系统管理员看到所有伙伴的机会点。\n"
      "- 只有已加入 PCE 共拓计划的伙伴能提交 PO、接收 HO；未加入时只能保存草稿。\n"
      "- PO 提交后由 BD 在 {po_sla_days} 个工作日内完成审核和验证，逾期自动驳回；提交后伙伴不能撤回。\n"
      "- 验证通过的 PO 和已接收的 HO 会保护该客户和产品 {protection_days} 天，推进阶段会重新起算，"
      "也可向 BD 申请延长 {protection_extension_days} 天；到期前 {protection_reminder_days} 个工作日会提醒您。"),
     ("What is the Opportunities page for?",
      "Sales > Opportunities lists every PO and HO of your partner. Filter by state, kind, "
      "customer and dates, and open one for its details, timeline and deadline. New POs "
      "start here: confirm that the customer explicitly agreed to share its personal "
      "information with the vendor, then submit.\n\n"
      "- Partner admins and members see their partner's opportunities; BD staff and "
      "administrators see every partner's.\n"
      "- Only PCE program members submit POs and receive HOs; others can keep drafts.\n"
      "- BD reviews and verifies a submitted PO within {po_sla_days} working days, or it is "
      "rejected automatically; once submitted, the partner cannot withdraw it.\n"
      "- A verified PO or an accepted HO protects its customer and products for "
      "{protection_days} days, restarted when the deal moves to a later stage; BD may extend "
      "it by {protection_extension_days} days on request, and you are reminded "
      "{protection_reminder_days} working days before it ends."),
     "机会点 Opportunities",
     "opportunities:list", "", ("打开机会点", "Open opportunities")),
    ("page-ho-inbox", "opportunities", 120,
     ("“HO 待办”页面有什么用？",
      "“销售 > HO 待办”列出厂商共享给您的伙伴、等待答复的 HO，每条都显示剩余时间。\n\n"
      "- 伙伴管理员和伙伴成员可见，并可接收或拒绝；拒绝时须填写原因。\n"
      "- 须在共享后 {ho_sla_days} 个工作日内答复，逾期自动拒绝，HO 被收回并可能共享给其他伙伴。\n"
      "- 接收之前，客户联系人和电话是隐藏的；接收后即可查看并更新进展。"),
     ("What is the HO inbox for?",
      "Sales > HO inbox lists the HOs the vendor shared with your partner that still wait "
      "for your answer, each with the time left.\n\n"
      "- Partner admins and members see it and may accept or decline; declining needs a "
      "reason.\n"
      "- Answer within {ho_sla_days} working days of the sharing; after that the HO is "
      "declined automatically, reclaimed and may go to another partner.\n"
      "- The customer's contact person and phone stay hidden until you accept; then you see "
      "them and can post progress updates."),
     "HO 待办 HO inbox",
     "opportunities:ho_inbox", "", ("打开 HO 待办", "Open the HO inbox")),
    ("page-po-import", "opportunities", 130,
     ("“批量导入 PO”页面有什么用？",
      "“销售 > 批量导入 PO”用 CSV 或 XLSX 文件一次创建多条 PO。请从页面提供的模板开始，每行一条 PO，"
      "产品、行业和地区填写模板中列出的代码或名称。\n\n"
      "- 伙伴管理员和伙伴成员可用。\n"
      "- 每个文件最多 {po_import_rows} 行。\n"
      "- 导入可以部分成功：通过校验的行成为 PO，其余行连同各自的原因放进一个可下载的文件，改正后可再次导入。\n"
      "- 每行与手工新建 PO 遵循相同的规则，包括客户同意的确认。"),
     ("What is the Import POs page for?",
      "Sales > Import POs creates many POs from one CSV or XLSX file. Start from the "
      "template on the page: one PO per row; products, industry and region take the codes or "
      "names listed in the template.\n\n"
      "- Partner admins and members can use it.\n"
      "- At most {po_import_rows} rows per file.\n"
      "- An import may partly succeed: rows that pass become POs, the others come back in a "
      "downloadable file with the reason for each, to fix and import again.\n"
      "- Each row follows the same rules as a PO created by hand, the customer's consent "
      "included."),
     "批量导入 PO Import POs",
     "opportunities:import", "", ("打开批量导入", "Open the import")),
    ("page-pipeline-dashboard", "opportunities", 140,
     ("伙伴的“机会点看板”页面有什么用？",
      "“销售 > 机会点看板”汇总您的伙伴的机会点：PO 和 HO 各处于什么状态，进行中的项目处于哪个阶段，"
      "以及按各阶段成交概率加权后的金额。\n\n"
      "- 伙伴管理员和伙伴成员可见，只包含本伙伴的数据。\n"
      "- 各阶段的成交概率由厂商设定。\n"
      "- 只有验证通过的 PO 和已接收的 HO 计入阶段和金额。"),
     ("What is the partner's Pipeline dashboard for?",
      "Sales > Pipeline dashboard sums up your partner's opportunities: your POs and HOs by "
      "state, your deals by stage, and what they are worth weighted by each stage's "
      "probability.\n\n"
      "- Partner admins and members see it, with their own partner's data only.\n"
      "- The vendor sets each stage's probability.\n"
      "- Only verified POs and accepted HOs count in the stages and amounts."),
     "机会点看板 Pipeline dashboard",
     "opportunities:dashboard", "", ("打开机会点看板", "Open the dashboard")),
    ("page-assessment", "opportunities", 150,
     ("伙伴的“PO/HO 考核”页面有什么用？",
      "“销售 > PO/HO 考核”按账期列出您的伙伴计入考核的机会点数量和金额。\n\n"
      "- 伙伴管理员和伙伴成员可见。\n"
      "- 计入考核的只有验证通过的 PO 和已接收的 HO；草稿、待审核、被驳回或被收回的不计入。\n"
      "- PO 按验证通过的时间、HO 按接收的时间归入账期。"),
     ("What is the partner's PO/HO assessment page for?",
      "Sales > PO/HO assessment shows, per billing period, how many of your partner's "
      "opportunities count for the assessment, and their amounts.\n\n"
      "- Partner admins and members see it.\n"
      "- Only verified POs and accepted HOs count; drafts, pending, rejected and reclaimed "
      "ones don't.\n"
      "- A PO falls in the period of its verification, an HO in the period it was accepted."),
     "PO/HO 考核 PO/HO assessment",
     "opportunities:assessment", "", ("打开考核", "Open the assessment")),
    ("page-ho-profile", "opportunities", 160,
     ("“HO 画像”页面有什么用？",
      "厂商会把 HO 优先共享给最匹配的伙伴。“销售 > HO 画像”说明获得 HO 的要求，以及您的伙伴目前达到了哪些。\n\n"
      "- 伙伴管理员和伙伴成员可见；伙伴服务的行业、地区和产品由伙伴管理员填写。\n"
      "- 匹配度看行业、地区、产品、能力标签，以及过去一年接收 HO 的比例、按时答复的比例和验证通过的 PO。\n"
      "- 同时有 {ho_max_pending} 条或更多 HO 等待答复的伙伴，暂不会获得新的 HO。"),
     ("What is the HO profile page for?",
      "The vendor shares its HOs first with the partners that fit them best. Sales > HO "
      "profile lists what a partner needs to receive HOs and which of these your partner "
      "meets today.\n\n"
      "- Partner admins and members see it; the partner admin fills in the industries, "
      "regions and products the partner serves.\n"
      "- The fit counts industry, region, products, capability labels, and over the last "
      "year the share of HOs accepted, the share answered in time and the verified POs.\n"
      "- A partner with {ho_max_pending} or more HOs waiting for an answer gets no new HO "
      "until it answers some."),
     "HO 画像 HO profile",
     "opportunities:ho_profile", "", ("打开 HO 画像", "Open the HO profile")),
    # ---- Customers ---------------------------------------------------------------------
    ("page-customers", "customers", 110,
     ("“客户管理”页面有什么用？",
      "“客户 > 客户管理”列出通过邀请链接与您的伙伴关联的客户。打开客户可查看其托管账户、订单、消费汇总和关联协议的签署情况。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴管理员、伙伴成员可见；BD 和系统管理员可查看所有伙伴的客户。\n"
      "- 向客户账户拨款、回收余额需要伙伴管理员，或获得“可拨款”授权的成员；超过伙伴单笔限额的操作须由另一位伙伴管理员审批。\n"
      "- 解除关联（“更多 > 解除关联”）只能由伙伴管理员操作。\n"
      "- 客户签署最新版本的关联协议后，伙伴才能看到与该客户相关的知识推荐。"),
     ("What is the Customer management page for?",
      "Customers > Customer management lists the customers associated with your partner "
      "through an invitation link. Open one for its hosted account, orders, consumption "
      "summary and whether it signed the association agreement.\n\n"
      "- Partner admins and members of solution providers, distributors and resellers see "
      "it; BD staff and administrators see every partner's customers.\n"
      "- Funding a customer account or reclaiming its balance takes a partner admin or a "
      "member granted \"may move money\"; an operation above the partner's limit per "
      "operation waits for another partner admin's approval.\n"
      "- Only a partner admin ends an association (More > Unbind).\n"
      "- The partner sees a customer's knowledge recommendations only after the customer "
      "signed the latest agreement."),
     "客户管理 Customer management",
     "customers:list", "", ("打开客户管理", "Open customer management")),
    ("page-customer-invitations", "customers", 120,
     ("“邀请链接”页面有什么用？",
      "客户与伙伴关联只通过邀请链接（不再使用绑定码）。在“客户 > 邀请链接”中生成链接发给客户，并查看每个链接的状态。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴管理员、伙伴成员可用。\n"
      "- 链接有效期 {customer_invitation_days} 天，只能使用一次；未使用的链接可以作废。\n"
      "- 客户打开链接、登录或注册并签署关联协议后，即出现在客户管理中。"),
     ("What is the Invitation links page for?",
      "Customers associate with a partner only through an invitation link (binding codes "
      "are gone). Customers > Invitation links creates a link to send to the customer and "
      "shows the state of each link.\n\n"
      "- Partner admins and members of solution providers, distributors and resellers can "
      "use it.\n"
      "- A link is valid for {customer_invitation_days} days and works once; an unused link "
      "can be revoked.\n"
      "- Once the customer opens it, signs in or registers, and signs the association "
      "agreement, it appears under Customer management."),
     "邀请链接 Invitation links",
     "customers:invitations", "", ("打开邀请链接", "Open invitation links")),
    ("page-prepaid-resources", "customers", 130,
     ("“包年/包月资源”页面有什么用？",
      "“客户 > 包年/包月资源”列出您的客户已购买的包年/包月资源及其到期时间。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴用户可见；BD 和系统管理员可查看所有伙伴的客户资源。\n"
      "- {expiring_soon_days} 天内到期的资源标为即将到期，可以续费；也可以为资源设置或取消自动续费，"
      "自动续费在到期前 {auto_renew_days} 天进行。\n"
      "- 续费和自动续费从客户的托管账户扣款，余额不足时不能续费。\n"
      "- 退订或降配订单会显示退款来自哪些资源和原订单。"),
     ("What is the Yearly/monthly resources page for?",
      "Customers > Yearly/monthly resources lists the prepaid resources your customers "
      "bought, with their expiry dates.\n\n"
      "- Users of solution providers, distributors and resellers see it; BD staff and "
      "administrators see every partner's customers' resources.\n"
      "- Resources that expire within {expiring_soon_days} days are marked as expiring soon "
      "and can be renewed; auto-renew can be set or cancelled per resource and renews "
      "{auto_renew_days} days before expiry.\n"
      "- Renewals are paid from the customer's hosted account; without enough balance there "
      "is no renewal.\n"
      "- For an unsubscribe or downgrade order, the page shows which resources and original "
      "orders the refund came from."),
     "包年/包月资源 Yearly/monthly resources",
     "customers:resources", "", ("打开资源列表", "Open resources")),
    ("page-customer-orders", "customers", 140,
     ("“客户订单”页面有什么用？",
      "客户在厂商官网下单，伙伴中心不销售产品。“客户 > 客户订单”记录您的客户的订单，并注明订单计入哪个伙伴和哪个账户。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴用户可见；BD 和系统管理员可查看所有伙伴的客户订单。\n"
      "- 订单由厂商官网导入，页面只读。\n"
      "- 解除关联当月，解除前的消费计入伙伴托管的子账号，解除后的消费计入客户自己的主账号。"),
     ("What is the Customer orders page for?",
      "Customers order on the vendor's site; the portal does not sell. Customers > Customer "
      "orders records your customers' orders with the partner and account each counts "
      "for.\n\n"
      "- Users of solution providers, distributors and resellers see it; BD staff and "
      "administrators see every partner's customers' orders.\n"
      "- Orders are imported from the vendor's site; the page is read-only.\n"
      "- In the month a customer is unbound, consumption before the unbinding counts for "
      "the partner's hosted sub-account, after it for the customer's own main account."),
     "客户订单 Customer orders",
     "customers:orders", "", ("打开客户订单", "Open customer orders")),
    ("page-money-requests", "customers", 150,
     ("“待审批”页面有什么用？",
      "拨款、回收等资金操作超过伙伴的单笔限额时，不会立即执行，而是进入“客户 > 待审批”，等待另一位伙伴管理员审批。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴用户可见。\n"
      "- 只有另一位伙伴管理员可以批准或拒绝，申请人不能审批自己的申请，但可以撤回。\n"
      "- 批准后才真正动用资金；余额仍按批准时计算，不会出现负数。"),
     ("What is the Waiting for approval page for?",
      "A money operation (funding, reclaiming …) above the partner's limit per operation is "
      "not carried out at once: it waits under Customers > Waiting for approval for another "
      "partner admin.\n\n"
      "- Users of solution providers, distributors and resellers see it.\n"
      "- Only another partner admin approves or refuses; the one who asked cannot approve "
      "their own request but may withdraw it.\n"
      "- Money moves only on approval; the balance is checked then and never goes "
      "negative."),
     "待审批 Waiting for approval",
     "customers:money_requests", "", ("打开待审批", "Open approvals")),
    ("page-resellers", "customers", 160,
     ("“云经销商”页面有什么用？",
      "“客户 > 云经销商”列出以您为总经销商的云经销商，可向他们拨款、发放代金券额度，并查看各自的资金和额度流水。\n\n"
      "- 仅总经销商的伙伴用户可见；BD 和系统管理员也可查看。\n"
      "- 拨款和发放额度需要伙伴管理员，或获得“可拨款”授权的成员。\n"
      "- 云经销商用收到的拨款为其客户调账，并在额度内向客户发放代金券。"),
     ("What is the Tier-2 resellers page for?",
      "Customers > Tier-2 resellers lists the resellers that name you as their distributor; "
      "fund them, grant them voucher quota and see each one's funds and quota ledger.\n\n"
      "- Only users of a distributor see it; BD staff and administrators may look too.\n"
      "- Funding and granting quota take a partner admin or a member granted \"may move "
      "money\".\n"
      "- A reseller passes the funds on to its customers' accounts and issues vouchers to "
      "them from its quota."),
     "云经销商 Tier-2 resellers",
     "customers:resellers", "", ("打开云经销商", "Open resellers")),
    ("page-reseller-funds", "customers", 170,
     ("“拨款与代金券额度”页面有什么用？",
      "“客户 > 拨款与代金券额度”显示总经销商给您的拨款余额和代金券额度，以及每一笔变动的流水。\n\n"
      "- 仅云经销商的伙伴用户可见。\n"
      "- 拨款用于给您的客户账户调账；额度用于向客户发放代金券，发放多少就占用多少额度。\n"
      "- 余额和额度都不会变成负数；不足时请联系您的总经销商。"),
     ("What is the Funds and voucher quota page for?",
      "Customers > Funds and voucher quota shows the funds and voucher quota your "
      "distributor gave you, with a ledger of every change.\n\n"
      "- Only users of a tier-2 reseller see it.\n"
      "- Funds adjust your customers' accounts; the quota pays for the vouchers you issue to "
      "customers, each voucher using its amount.\n"
      "- Neither ever goes below zero; when they run low, ask your distributor."),
     "拨款与代金券额度 Funds and voucher quota",
     "customers:funds", "", ("打开拨款与额度", "Open funds and quota")),
    ("page-vouchers", "customers", 180,
     ("“代金券”页面有什么用？",
      "“客户 > 代金券”列出您向客户发放的代金券及其余额，也可以在这里发放新的代金券。\n\n"
      "- 仅云经销商的伙伴用户可见；发放和作废代金券需要伙伴管理员，或获得“可拨款”授权的成员。\n"
      "- 代金券从总经销商给您的额度中扣减，额度不足时不能发放。\n"
      "- 客户购买或续费时先用代金券抵扣，再扣账户余额。"),
     ("What is the Vouchers page for?",
      "Customers > Vouchers lists the vouchers you issued to customers with what is left on "
      "each, and issues new ones.\n\n"
      "- Only users of a tier-2 reseller see it; issuing and revoking vouchers take a "
      "partner admin or a member granted \"may move money\".\n"
      "- A voucher uses the quota your distributor granted; without enough quota it cannot "
      "be issued.\n"
      "- Customers pay purchases and renewals with vouchers first, then with the account "
      "balance."),
     "代金券 Vouchers",
     "customers:vouchers", "", ("打开代金券", "Open vouchers")),
    # ---- Finance -----------------------------------------------------------------------
    ("page-partner-bill", "billing", 110,
     ("“伙伴账单”页面有什么用？",
      "“账务 > 伙伴账单”按账期（一个自然月）显示您的伙伴的账单：概览中有消费、退款、代金券抵扣、已付金额和税额，明细中有每一行的客户、产品、订单、类型和金额。\n\n"
      "- 仅解决方案提供商和总经销商的伙伴用户可见；云经销商客户的消费记在其总经销商的账单上，并注明云经销商。\n"
      "- 账单可导出为 PDF，明细可导出为 CSV 或 XLSX；导出在后台进行，完成后在“导出任务”中下载。\n"
      "- 账期结算后，可从账单概览申请发票，税率为 {tax_rate_percent}%。"),
     ("What is the Partner bill page for?",
      "Finance > Partner bill shows your partner's bill per billing period (a calendar "
      "month): the overview with consumption, refunds, vouchers, paid amount and tax, and the "
      "details with each line's customer, product, order, type and amount.\n\n"
      "- Only users of solution providers and distributors see it; the consumption of a "
      "reseller's customers is on its distributor's bill, naming the reseller.\n"
      "- Export the bill as PDF, or its details as CSV or XLSX; exports run in the "
      "background and are downloaded from Export tasks.\n"
      "- Once the period is settled, request the invoice from the bill's overview; the tax "
      "rate is {tax_rate_percent}%."),
     "伙伴账单 Partner bill",
     "billing:bill", "", ("打开伙伴账单", "Open the bill")),
    ("page-export-tasks", "billing", 120,
     ("“导出任务”页面有什么用？",
      "导出账单或明细时，页面会立即提示“导出任务已创建”，文件在后台生成。“账务 > 导出任务”列出这些任务的进度，完成后在此下载。\n\n"
      "- 仅解决方案提供商和总经销商的伙伴用户可见，只显示本伙伴的任务。\n"
      "- 账单 PDF 含中文内容；大账期的明细导出为 CSV 或 XLSX。\n"
      "- 文件保留 {export_file_days} 天，之后自动删除，需要时重新导出即可。"),
     ("What is the Export tasks page for?",
      "When you export a bill or its details, the page answers at once that the export task "
      "was created, and the file is made in the background. Finance > Export tasks shows "
      "those tasks with their progress; download the file here when it is done.\n\n"
      "- Only users of solution providers and distributors see it, with their own "
      "partner's tasks.\n"
      "- Bills export as PDF with their Chinese text; large periods' details as CSV or "
      "XLSX.\n"
      "- A file is kept {export_file_days} days and then deleted; export again when needed."),
     "导出任务 Export tasks",
     "billing:exports", "", ("打开导出任务", "Open export tasks")),
    ("page-invoices", "billing", 130,
     ("“发票”页面有什么用？",
      "“账务 > 发票”列出您的伙伴已申请的增值税发票，显示每张发票的状态和历史记录。\n\n"
      "- 仅解决方案提供商和总经销商的伙伴用户可见。\n"
      "- 发票在账期结算后，从该账期的账单概览申请；申请需要伙伴管理员，或获得“可拨款”授权的成员。\n"
      "- 每张账单只能申请一张发票，税率为 {tax_rate_percent}%；厂商财务开具后，申请人会收到通知。"),
     ("What is the Invoices page for?",
      "Finance > Invoices lists the VAT invoices your partner requested, each with its "
      "state and history.\n\n"
      "- Only users of solution providers and distributors see it.\n"
      "- Request an invoice from the bill's overview once the period is settled; it takes a "
      "partner admin or a member granted \"may move money\".\n"
      "- One invoice per bill, at a {tax_rate_percent}% tax rate; the requester is notified "
      "when the vendor's finance team issues it."),
     "发票 Invoices",
     "billing:invoices", "", ("打开发票", "Open invoices")),
    # ---- Incentives --------------------------------------------------------------------
    ("page-performance", "incentives", 110,
     ("“业绩”页面有什么用？",
      "“激励 > 业绩”按账期显示计入您的伙伴的业绩，即客户订单带来的收入。汇总中的每个合计都可以点开，查看组成它的订单明细。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴用户可见；BD 和系统管理员可查看所有伙伴的业绩。\n"
      "- 明细可按业绩形成时间、订单类型、客户、产品筛选，并可导出。"),
     ("What is the Performance page for?",
      "Incentives > Performance shows the revenue credited to your partner per billing "
      "period, from its customers' orders. Every total opens the order lines that make it "
      "up.\n\n"
      "- Users of solution providers, distributors and resellers see it; BD staff and "
      "administrators see every partner's.\n"
      "- The details filter by formation time, order type, customer and product, and can be "
      "exported."),
     "业绩 Performance",
     "incentives:performance", "", ("打开业绩", "Open performance")),
    ("page-performance-dashboard", "incentives", 120,
     ("“业绩看板”页面有什么用？",
      "“激励 > 业绩看板”是总经销商查看名下云经销商业绩的地方：所选账期的业绩汇总，以及最近 12 个账期的趋势图。\n\n"
      "- 仅总经销商的伙伴用户可见。\n"
      "- 在汇总中点击某个云经销商的“详情”，可查看其业绩明细并导出。"),
     ("What is the Performance dashboard for?",
      "Incentives > Performance dashboard is where a distributor follows its tier-2 "
      "resellers' performance: the totals of the chosen billing period, and a chart of the "
      "last 12 periods.\n\n"
      "- Only users of a distributor see it.\n"
      "- \"Details\" on a reseller's row opens its performance lines, which can be "
      "exported."),
     "业绩看板 Performance dashboard",
     "incentives:dashboard", "", ("打开业绩看板", "Open the dashboard")),
    ("page-estimated-incentives", "incentives", 130,
     ("“预估激励”页面有什么用？",
      "每个账期结束后，系统为您的伙伴计算该账期的预估激励和各项指标，写在“激励 > 预估激励”中，并发送给订阅了该信息的用户。\n\n"
      "- 解决方案提供商、总经销商和云经销商的伙伴用户可见；BD 和系统管理员可查看所有伙伴的预估激励。\n"
      "- 预估金额按该账期所属激励计划周期的费率计算，仅供参考，实际以发放为准。"),
     ("What is the Estimated incentives page for?",
      "When a billing period closes, the portal works out your partner's estimated "
      "incentive and indicators for it, writes them under Incentives > Estimated incentives "
      "and sends them to the users who subscribed.\n\n"
      "- Users of solution providers, distributors and resellers see it; BD staff and "
      "administrators see every partner's.\n"
      "- The estimate uses the rates of the program period the billing period falls in; "
      "it is a guide, the amount paid is what counts."),
     "预估激励 Estimated incentives",
     "incentives:estimates", "", ("打开预估激励", "Open estimates")),
    ("page-incentive-applications", "incentives", 140,
     ("“机会点激励申请”页面有什么用？",
      "“激励 > 机会点激励申请”用于申请 PCE 机会点共享激励并跟进：待申请、已申请、公示待确认、申付和完成。\n\n"
      "- 伙伴管理员和伙伴成员可见；申请需要伙伴已加入 PCE 共拓计划。\n"
      "- “待申请”只列出带核心标签且交付完成的机会点；交付结束当天不能申请，从第二天起可以申请；同一机会点的同一产品只能申请一次。\n"
      "- BD 审核后公示金额，您在激励汇总中核对后确认或提出异议，再申请付款；确认和申付需要伙伴管理员，或获得“可拨款”授权的成员。"),
     ("What is the Opportunity incentives page for?",
      "Incentives > Opportunity incentives is where you apply for the PCE opportunity-"
      "sharing incentive and follow it: pending application, applied, published for "
      "confirmation, payment request, completed.\n\n"
      "- Partner admins and members see it; applying needs PCE program membership.\n"
      "- \"Pending application\" lists only opportunities with the core label whose "
      "delivery is complete; not on the day delivery ended, from the next day; one "
      "application per opportunity and offering.\n"
      "- BD reviews it and publishes the amounts; you check them in the reconciliation "
      "summary, confirm or dispute, then request payment. Confirming and requesting payment "
      "take a partner admin or a member granted \"may move money\"."),
     "机会点激励申请 Opportunity incentives",
     "incentives:applications", "", ("打开激励申请", "Open incentive applications")),
    ("page-incentive-program", "incentives", 150,
     ("“激励计划”页面有什么用？",
      "“激励 > 激励计划”公布厂商设定的激励计划周期，以及每个周期的费率和规则。某个账期或交付落在哪个周期内，就按该周期的规则计算。\n\n"
      "- 所有伙伴用户都可以查看（不论伙伴类型），BD 和系统管理员也可以。\n"
      "- 页面只读，周期和费率由厂商维护。"),
     ("What is the Incentive program page for?",
      "Incentives > Incentive program publishes the program periods the vendor sets, with "
      "each period's rates and rules. A billing period or delivery is paid by the rules of "
      "the period it falls in.\n\n"
      "- Every partner user may read it, whatever the partner's types; BD staff and "
      "administrators too.\n"
      "- The page is read-only; the vendor maintains the periods and rates."),
     "激励计划 Incentive program",
     "incentives:program", "", ("打开激励计划", "Open the program")),
    # ---- Certification (partner side) --------------------------------------------------
    ("page-certification-overview", "certification", 110,
     ("认证“概览”页面有什么用？",
      "“认证 > 概览”汇总您的伙伴的各项认证：单位证件认证、个人银行卡认证、能力标签及其申请，各自处于什么状态、下一步做什么。\n\n"
      "- 伙伴管理员和伙伴成员都可以查看；提交和修改认证由伙伴管理员操作。\n"
      "- 证件附件支持 jpg、jpeg、bmp、png、gif、pdf，单个文件不超过 {upload_max_mb} MB。"),
     ("What is the certification Overview page for?",
      "Certification > Overview sums up your partner's certifications: enterprise "
      "certification, personal bank-card certification, capability labels and their "
      "applications, with each one's state and next step.\n\n"
      "- Partner admins and members can read it; the partner admin submits and changes "
      "certifications.\n"
      "- Attachments may be jpg, jpeg, bmp, png, gif or pdf, at most {upload_max_mb} MB "
      "each."),
     "概览 Overview",
     "certification:overview", "", ("打开认证概览", "Open the overview")),
    ("page-enterprise-certification", "certification", 120,
     ("“单位证件认证”页面有什么用？",
      "“认证 > 单位证件认证”用营业执照、其他单位证件和相关人员的身份证为您的企业做认证，由厂商的能力认证运营专员审核。\n\n"
      "- 伙伴用户可见，伙伴管理员提交。\n"
      "- 附件按固定顺序：先是单位证件（营业执照为第一张），再按人员逐一上传身份证人像面、国徽面。\n"
      "- 格式为 jpg、jpeg、bmp、png、gif、pdf，单个文件不超过 {upload_max_mb} MB；系统检查文件的真实内容，而不只看文件名。"),
     ("What is the Enterprise certification page for?",
      "Certification > Enterprise certification certifies your company with its business "
      "licence, other enterprise certificates and the ID cards of the people concerned; the "
      "vendor's certification specialists review it.\n\n"
      "- Partner users see it; the partner admin submits.\n"
      "- Attachments go in a fixed order: the enterprise certificates first (the business "
      "licence as the first), then for each person the ID card's portrait side and then its "
      "national-emblem side.\n"
      "- jpg, jpeg, bmp, png, gif or pdf, at most {upload_max_mb} MB each; the portal "
      "checks a file's real content, not only its name."),
     "单位证件认证 Enterprise certification",
     "certification:enterprise-list", "", ("打开单位证件认证", "Open enterprise certification")),
    ("page-bank-card-certification", "certification", 130,
     ("“个人银行卡认证”页面有什么用？",
      "“认证 > 个人银行卡认证”为个人做银行卡认证：填写银行卡信息，并上传一张本人扫脸照片，由能力认证运营专员审核。\n\n"
      "- 伙伴用户可见，伙伴管理员提交。\n"
      "- 照片只需一张，格式为 jpg、jpeg、bmp、png、gif，不超过 {upload_max_mb} MB。"),
     ("What is the Bank-card certification page for?",
      "Certification > Bank-card certification certifies a person by bank card: the card "
      "details and one face-scan photo, reviewed by a certification specialist.\n\n"
      "- Partner users see it; the partner admin submits.\n"
      "- Exactly one photo: jpg, jpeg, bmp, png or gif, at most {upload_max_mb} MB."),
     "个人银行卡认证 Bank-card certification",
     "certification:bank-card-list", "", ("打开个人银行卡认证", "Open bank-card certification")),
    ("page-capability-labels", "certification", 140,
     ("“能力标签”页面有什么用？",
      "“认证 > 能力标签”列出可以申请的能力标签，以及每个标签的评审标准。选择一个标签，为每条标准提交举证材料即可申请。\n\n"
      "- 伙伴用户可见，伙伴管理员申请。\n"
      "- 评审人员逐条给出结论和意见，全部满足即授予标签。\n"
      "- 对评审标准或举证结论有异议时，可通过 PDM 或能力认证运营专员申请线上答辩。"),
     ("What is the Capability labels page for?",
      "Certification > Capability labels lists the labels a partner can apply for, each "
      "with its criteria. Choose a label and give evidence for each criterion to apply.\n\n"
      "- Partner users see it; the partner admin applies.\n"
      "- Reviewers decide each criterion with a comment; the label is granted when every "
      "criterion is met.\n"
      "- If you disagree with the criteria or the review of your evidence, ask for an "
      "online defense through your PDM or a certification specialist."),
     "能力标签 Capability labels",
     "certification:label-catalogue", "", ("打开能力标签", "Open capability labels")),
    ("page-label-applications", "certification", 150,
     ("伙伴的“标签认证申请”页面有什么用？",
      "“认证 > 标签认证申请”列出您的伙伴提交的能力标签申请，显示评审进度、每条标准的结论和答辩安排。\n\n"
      "- 伙伴用户可见。\n"
      "- 评审未通过时，如有异议，须在 {defense_window_days} 个工作日内申请线上答辩，逾期不再受理。\n"
      "- 答辩由 PDM 或能力认证运营专员与评审专家安排，结果记录在申请中。"),
     ("What is the partner's Label applications page for?",
      "Certification > Label applications lists your partner's capability-label "
      "applications with the review's progress, each criterion's verdict and any defense.\n\n"
      "- Partner users see it.\n"
      "- When a review fails and you disagree, request an online defense within "
      "{defense_window_days} working days; after that it is no longer possible.\n"
      "- The PDM or a certification specialist schedules the defense with the review "
      "experts, and its outcome is recorded on the application."),
     "标签认证申请 Label applications",
     "certification:label-application-list", "", ("打开标签认证申请", "Open label applications")),
    # ---- Review (vendor staff) ---------------------------------------------------------
    ("page-po-review-queue", "opportunities", 210,
     ("“PO 审核队列”页面有什么用？",
      "“审核 > PO 审核队列”列出等待 BD 处理的 PO，按截止时间排序。BD 在这里先审核，再与客户负责人确认后验证。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 每条 PO 须在提交后 {po_sla_days} 个工作日内验证，逾期自动驳回。\n"
      "- 可以验证通过、驳回（选择原因：客户不知情、无真实需求、信息不实或不全、厂商已直接服务、重复），"
      "或退回修改并指定伙伴可改的字段；退回期间时限继续计算。"),
     ("What is the PO review queue for?",
      "Review > PO review queue lists the POs that wait for BD, soonest deadline first. BD "
      "reviews them here, then verifies them once the account manager has confirmed with "
      "the customer.\n\n"
      "- BD staff and administrators see it.\n"
      "- Each PO must be verified within {po_sla_days} working days of its submission, or "
      "it is rejected automatically.\n"
      "- Verify, reject with a reason (customer unaware, no real demand, false or "
      "incomplete information, already served by the vendor, duplicate), or return it for "
      "changes naming the fields the partner may edit; the clock keeps running meanwhile."),
     "PO 审核队列 PO review queue",
     "opportunities:review_queue", "", ("打开审核队列", "Open the review queue")),
    ("page-ho-pool", "opportunities", 220,
     ("“HO 池”页面有什么用？",
      "“审核 > HO 池”存放来自厂商 CRM 的机会点。BD 在这里录入机会点（含其在 CRM 中的创建时间），再共享给一个 PCE 伙伴。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 页面按匹配度为伙伴排序；有 {ho_max_pending} 条或更多 HO 等待答复的伙伴不会被推荐。\n"
      "- 伙伴须在 {ho_sla_days} 个工作日内接收或拒绝；被拒绝或逾期收回的 HO 回到池中，可以共享给其他伙伴。"),
     ("What is the HO pool for?",
      "Review > HO pool holds the opportunities from the vendor's CRM. BD adds them here "
      "(with their CRM creation time) and shares each with one PCE partner.\n\n"
      "- BD staff and administrators see it.\n"
      "- Partners are ranked by fit; a partner with {ho_max_pending} or more HOs waiting "
      "for an answer is not suggested.\n"
      "- The partner accepts or declines within {ho_sla_days} working days; a declined or "
      "reclaimed HO comes back to the pool and can be shared with another partner."),
     "HO 池 HO pool",
     "opportunities:pool", "", ("打开 HO 池", "Open the HO pool")),
    ("page-duplicate-queue", "opportunities", 230,
     ("“重复处理队列”页面有什么用？",
      "BD 是处理机会点重复的第一责任人。“审核 > 重复处理队列”列出可能重复的机会点对，由 BD 逐对判定。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 同一客户（统一社会信用代码或规范化后的名称相同）且至少有一个相同产品，视为可能重复。\n"
      "- PO 与 PO：先验证通过的为准；PO 与 HO：HO 在 CRM 中的创建时间与 PO 验证通过的时间相比，更早的为准。\n"
      "- 被判定的一方会看到依据，但看不到另一个伙伴是谁。"),
     ("What is the Duplicate queue for?",
      "BD is the first owner of duplicates. Review > Duplicate queue lists the pairs of "
      "opportunities that may be duplicates, for BD to decide one by one.\n\n"
      "- BD staff and administrators see it.\n"
      "- Same customer (credit code or normalized name) and at least one shared product "
      "make a possible duplicate.\n"
      "- PO against PO: the first verified wins. PO against HO: the HO's CRM creation time "
      "against the PO's verification time, the earlier wins.\n"
      "- The losing side sees the rule that decided, never which other partner it was."),
     "重复处理队列 Duplicate queue",
     "opportunities:duplicates", "", ("打开重复处理队列", "Open the duplicate queue")),
    ("page-bd-pipeline-dashboard", "opportunities", 240,
     ("BD 的“机会点看板”页面有什么用？",
      "“审核 > 机会点看板”是 BD 的全局视图：所有伙伴的 PO 和 HO 漏斗、验证和接收时限的执行情况、今天到期和已逾期的事项，以及谁在负责哪些机会点。\n\n"
      "- BD 和系统管理员可见。\n"
      "- PO 验证时限为 {po_sla_days} 个工作日，HO 接收时限为 {ho_sla_days} 个工作日；看板显示验证所用工作日的中位数和自动拒绝的 HO 数。"),
     ("What is BD's Pipeline dashboard for?",
      "Review > Pipeline dashboard is BD's view of everything: every partner's PO and HO "
      "funnel, how the verification and acceptance deadlines are kept, what is due today "
      "or overdue, and who looks after what.\n\n"
      "- BD staff and administrators see it.\n"
      "- POs are verified within {po_sla_days} working days and HOs answered within "
      "{ho_sla_days}; the dashboard shows the median working days to verify and the HOs "
      "declined automatically."),
     "机会点看板 Pipeline dashboard",
     "opportunities:bd_dashboard", "", ("打开机会点看板", "Open the dashboard")),
    ("page-incentive-review", "incentives", 210,
     ("“激励审核”页面有什么用？",
      "“审核 > 激励审核”是 BD 处理 PCE 机会点共享激励的地方：审核伙伴的申请，公示核算金额（激励基数乘以费率，含税），"
      "处理伙伴的异议，并把已申付的激励标为已付款。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 伙伴提出异议的申请会回到审核中；被驳回和已完成的申请不再变化。"),
     ("What is the Incentive review page for?",
      "Review > Incentive review is where BD handles the PCE opportunity-sharing incentive: "
      "review partners' applications, publish the reconciliation (basis × rate, with tax), "
      "handle disputes, and mark requested payments paid.\n\n"
      "- BD staff and administrators see it.\n"
      "- A disputed application comes back under review; rejected and completed ones are "
      "final."),
     "激励审核 Incentive review",
     "incentives:review", "", ("打开激励审核", "Open incentive review")),
    ("page-assessment-overview", "opportunities", 250,
     ("BD 的“PO/HO 考核”页面有什么用？",
      "“审核 > PO/HO 考核”按伙伴列出所选账期内验证通过的 PO 和已接收的 HO 及其金额。即使没有计入的机会点，PCE 成员也会列出。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 只有验证通过的 PO 和已接收的 HO 计入考核。"),
     ("What is BD's PO/HO assessment page for?",
      "Review > PO/HO assessment lists, per partner, the POs verified and HOs accepted in "
      "the chosen billing period, with their amounts. PCE members are listed even with "
      "nothing counted.\n\n"
      "- BD staff and administrators see it.\n"
      "- Only verified POs and accepted HOs count."),
     "PO/HO 考核 PO/HO assessment",
     "opportunities:assessment_overview", "", ("打开考核", "Open the assessment")),
    ("page-pce-applications", "pce", 210,
     ("“PCE 申请”页面有什么用？",
      "伙伴申请加入 PCE 共拓计划后，申请进入“审核 > PCE 申请”，由 BD 批准或拒绝。\n\n"
      "- BD 和系统管理员可见。\n"
      "- 批准后伙伴即成为 PCE 成员，可以提交 PO、接收 HO；拒绝时须说明原因，伙伴会看到结果。"),
     ("What is the PCE applications page for?",
      "When a partner applies to join the PCE program, the application waits under Review > "
      "PCE applications for BD to approve or reject.\n\n"
      "- BD staff and administrators see it.\n"
      "- Once approved, the partner is a PCE member and may submit POs and receive HOs; a "
      "rejection gives a reason, and the partner sees the outcome."),
     "PCE 申请 PCE applications",
     "programs:pce_queue", "", ("打开 PCE 申请", "Open PCE applications")),
    ("page-enterprise-review", "certification", 210,
     ("“单位证件认证审核”页面有什么用？",
      "“审核 > 单位证件认证审核”列出等待审核的单位证件认证。能力认证运营专员核对营业执照、其他证件和人员身份证后，批准或驳回。\n\n"
      "- 能力认证运营专员和系统管理员可见。\n"
      "- 附件按固定顺序排列：单位证件在前（营业执照第一），其后每人依次是身份证人像面、国徽面。\n"
      "- 驳回须写明原因，伙伴管理员会收到通知，修改后可重新提交。"),
     ("What is the Enterprise certifications review page for?",
      "Review > Enterprise certifications lists the enterprise certifications waiting for "
      "review. A certification specialist checks the business licence, other certificates "
      "and the people's ID cards, then approves or rejects.\n\n"
      "- Certification specialists and administrators see it.\n"
      "- Attachments come in a fixed order: enterprise certificates first (the business "
      "licence first of all), then each person's ID card, portrait side then national-"
      "emblem side.\n"
      "- A rejection gives the reason; the partner admin is notified and may resubmit."),
     "单位证件认证审核 Enterprise certifications",
     "certification:enterprise-queue", "", ("打开审核列表", "Open the review list")),
    ("page-bank-card-review", "certification", 220,
     ("“银行卡认证审核”页面有什么用？",
      "“审核 > 银行卡认证审核”列出等待审核的个人银行卡认证。能力认证运营专员核对银行卡信息和扫脸照片后批准或驳回。\n\n"
      "- 能力认证运营专员和系统管理员可见。\n"
      "- 每个认证只有一张扫脸照片；驳回须写明原因，伙伴管理员会收到通知。"),
     ("What is the Bank-card certifications review page for?",
      "Review > Bank-card certifications lists the personal bank-card certifications "
      "waiting for review. A certification specialist checks the card details and the "
      "face-scan photo, then approves or rejects.\n\n"
      "- Certification specialists and administrators see it.\n"
      "- Each certification has exactly one face-scan photo; a rejection gives the reason "
      "and the partner admin is notified."),
     "银行卡认证审核 Bank-card certifications",
     "certification:bank-card-queue", "", ("打开审核列表", "Open the review list")),
    ("page-label-review", "certification", 230,
     ("审核中的“标签认证申请”页面有什么用？",
      "“审核 > 标签认证申请”列出等待评审的能力标签申请。评审人员逐条给出结论和意见，全部满足即授予标签。\n\n"
      "- 能力认证运营专员和系统管理员可见。\n"
      "- 有任何一条不满足时，评审不通过；伙伴可在 {defense_window_days} 个工作日内申请线上答辩，答辩后由评审人员根据结果授予或拒绝标签。"),
     ("What is the Label applications review page for?",
      "Review > Label applications lists the capability-label applications waiting for "
      "the criteria review. Reviewers decide each criterion with a comment; the label is "
      "granted when every criterion is met.\n\n"
      "- Certification specialists and administrators see it.\n"
      "- When any criterion is not met, the review fails; the partner has "
      "{defense_window_days} working days to request an online defense, after which the "
      "reviewers grant or refuse the label on its outcome."),
     "标签认证申请 Label applications",
     "certification:label-application-queue", "", ("打开评审列表", "Open the review list")),
    ("page-online-defenses", "certification", 240,
     ("“线上答辩”页面有什么用？",
      "伙伴对能力标签的评审结果有异议时，可通过 PDM 或能力认证运营专员申请线上答辩。“审核 > 线上答辩”列出这些申请，"
      "由组织者与评审专家安排时间，答辩后记录结果。\n\n"
      "- 能力认证运营专员、BD 和系统管理员可见；作为 PDM 的 BD 只看到其负责伙伴的答辩。\n"
      "- 伙伴须在评审未通过后 {defense_window_days} 个工作日内提出申请。"),
     ("What is the Online defenses page for?",
      "A partner that disagrees with a label review asks for an online defense through its "
      "PDM or a certification specialist. Review > Online defenses lists those requests: "
      "schedule each with the review experts, then record the outcome.\n\n"
      "- Certification specialists, BD staff and administrators see it; BD staff acting as "
      "a PDM see the defenses of the partners assigned to them.\n"
      "- The partner asks within {defense_window_days} working days of the failed review."),
     "线上答辩 Online defenses",
     "certification:defense-list", "", ("打开线上答辩", "Open online defenses")),
    ("page-api-keys", "account", 210,
     ("“API 密钥”和“我的 API 密钥”页面有什么用？",
      "API 密钥让系统调用伙伴中心的 API（/api/v1/），遵循与页面相同的规则。\n\n"
      "- “我的伙伴 > API 密钥”：仅伙伴管理员可见，为本伙伴的 CRM、ERP 等系统创建密钥，并选择它可以使用的权限范围；伙伴成员不能创建密钥。\n"
      "- “审核 > 我的 API 密钥”：BD、能力认证运营专员和系统管理员为自己创建密钥。\n"
      "- 密钥只在创建时显示一次，请立即复制；最长有效 {api_key_max_days} 天，可以随时撤销。"),
     ("What are the API keys and My API keys pages for?",
      "An API key lets a system call the portal's API (/api/v1/) under the same rules as the "
      "pages.\n\n"
      "- My partner > API keys: only the partner admin sees it, and creates keys for the "
      "partner's systems (a CRM, an ERP), choosing the scopes each may use; partner members "
      "cannot create keys.\n"
      "- Review > My API keys: BD staff, certification specialists and administrators "
      "create keys for themselves.\n"
      "- A key is shown only once, when it is created: copy it then. It lives at most "
      "{api_key_max_days} days and can be revoked at any time."),
     "我的 API 密钥 My API keys API 密钥 API keys",
     "apikeys:list", "", ("打开 API 密钥", "Open API keys")),
    # ---- My partner ----------------------------------------------------------------------
    ("page-partner-overview", "portal", 110,
     ("伙伴首页的“概览”有什么用？",
      "“我的伙伴 > 概览”是伙伴用户登录后的首页：显示伙伴是否已加入 PCE 共拓计划、账号信息和您的角色，"
      "以及需要您处理的待办事项（例如即将到期的 HO、待申请发票的账单），并提供常用页面的入口。\n\n"
      "- 伙伴管理员和伙伴成员可见；厂商员工和客户有各自的首页。\n"
      "- 待办按截止时间排列，每一项都链接到要处理的页面。"),
     ("What is the partner Overview page for?",
      "My partner > Overview is a partner user's home page: whether the partner is a PCE "
      "program member, the account details and your role, what needs you now (HOs about to "
      "expire, bills waiting for an invoice request …), and shortcuts to the pages you use "
      "most.\n\n"
      "- Partner admins and members see it; vendor staff and customers have their own home "
      "pages.\n"
      "- The to-do items come soonest deadline first, each linking to the page where it is "
      "done."),
     "概览 Overview",
     "home", "", ("打开概览", "Open the overview")),
    ("page-partner-profile", "account", 110,
     ("“伙伴资料”页面有什么用？",
      "“我的伙伴 > 伙伴资料”显示您的伙伴的企业名称、统一社会信用代码、伙伴类型、联系方式和法定代表人。\n\n"
      "- 伙伴管理员和伙伴成员可见，修改由伙伴管理员操作。\n"
      "- 修改联系邮箱或手机时，需要用发送到新地址的验证码确认；法定代表人的变更会留下记录。\n"
      "- 伙伴类型（解决方案提供商、总经销商、云经销商）由厂商设定；伙伴路径在“伙伴路径”页面加入或退出。"),
     ("What is the Partner profile page for?",
      "My partner > Partner profile shows your partner's company name, unified social "
      "credit code, partner types, contact details and legal representative.\n\n"
      "- Partner admins and members see it; the partner admin makes changes.\n"
      "- A new contact e-mail or phone is confirmed with a code sent to it; a change of the "
      "legal representative is recorded.\n"
      "- Types such as solution provider, distributor and reseller are set by the vendor; "
      "partner paths are joined and left on the Partner paths page."),
     "伙伴资料 Partner profile",
     "members:profile", "", ("打开伙伴资料", "Open the profile")),
    ("page-members", "account", 120,
     ("“成员”页面有什么用？",
      "“我的伙伴 > 成员”是伙伴管理员管理项目专员的地方：邀请个人账号成为本伙伴的成员、授予“可拨款”权限、解除关联。\n\n"
      "- 仅伙伴管理员可见。\n"
      "- 邀请链接有效期 {member_invitation_days} 天，每个伙伴每天最多发出 {member_invitations_per_day} 个邀请。\n"
      "- 以下账号不能被邀请，页面会说明原因：已实名认证为企业的账号、已关联其他伙伴的账号、未实名认证的账号（仅中国站）、伙伴账号本身，"
      "以及一年内已与 {member_link_limit} 个伙伴关联过的账号。"),
     ("What is the Members page for?",
      "My partner > Members is where the partner admin manages project specialists: invite a "
      "person's account to become a member, grant \"may move money\", and unlink members.\n\n"
      "- Only the partner admin sees it.\n"
      "- An invitation link is valid for {member_invitation_days} days; a partner sends at "
      "most {member_invitations_per_day} invitations a day.\n"
      "- These accounts cannot be invited, and the page says why: one verified as an "
      "enterprise, one linked to another partner, one without real-name verification "
      "(mainland site only), a partner account itself, and one linked to "
      "{member_link_limit} partners within "
      "the last year."),
     "成员 Members",
     "members:list", "", ("打开成员", "Open members")),
    ("page-pce-program", "pce", 110,
     ("“PCE 共拓计划”页面有什么用？",
      "“我的伙伴 > PCE 共拓计划”介绍 PCE 共拓计划及其权益，显示您的伙伴是否已加入，并可在这里申请加入。\n\n"
      "- 伙伴管理员和伙伴成员可见。\n"
      "- 申请由 BD 批准或拒绝，结果和时间显示在页面上。\n"
      "- 只有成员能提交 PO、接收 HO：PO 由 BD 在 {po_sla_days} 个工作日内审核和验证，HO 须在 {ho_sla_days} 个工作日内接收或拒绝。"),
     ("What is the PCE program page for?",
      "My partner > PCE program explains the PCE program and its benefits, shows whether "
      "your partner is a member, and is where you apply to join.\n\n"
      "- Partner admins and members see it.\n"
      "- BD approves or rejects the application; the outcome and its date appear on the "
      "page.\n"
      "- Only members submit POs and receive HOs: BD reviews and verifies a PO within "
      "{po_sla_days} working days, and an HO must be accepted or declined within "
      "{ho_sla_days} working days."),
     "PCE 共拓计划 PCE program",
     "programs:pce", "", ("打开 PCE 共拓计划", "Open the PCE program")),
    ("page-partner-paths", "account", 130,
     ("“伙伴路径”页面有什么用？",
      "“我的伙伴 > 伙伴路径”列出四条伙伴路径：软件伙伴、服务伙伴、学习与赋能伙伴、数字化转型咨询与系统集成伙伴。伙伴可以自行加入或退出。\n\n"
      "- 伙伴管理员和伙伴成员可见。\n"
      "- 注销伙伴账号前，须先退出所有已加入的路径；否则注销会被拒绝，并列出需要先退出的路径。\n"
      "- 解决方案提供商、总经销商、云经销商等类型不在这里加入，由厂商设定。"),
     ("What is the Partner paths page for?",
      "My partner > Partner paths lists the four partner paths: software, service, learning "
      "& enablement, and digital-transformation consulting & SI. A partner joins and leaves "
      "them itself.\n\n"
      "- Partner admins and members see it.\n"
      "- Deregistering the partner account needs every joined path left first; otherwise "
      "it is refused, naming the paths to leave.\n"
      "- Types such as solution provider, distributor and reseller are not joined here; "
      "the vendor sets them."),
     "伙伴路径 Partner paths",
     "programs:paths", "", ("打开伙伴路径", "Open partner paths")),
    ("page-subscriptions", "account", 140,
     ("“消息订阅”页面有什么用？",
      "“我的伙伴 > 消息订阅”选择您想收到的信息：新客标签信息、业绩、预估激励、激励、指标明细和云经销商信息，可订阅一项或多项。"
      "信息进入通知中心，也可以同时发送邮件。\n\n"
      "- 伙伴管理员和伙伴成员可见，每人设置自己的订阅。\n"
      "- 云经销商信息只有总经销商可以订阅。\n"
      "- 新客标签信息和云经销商信息每天汇总发送一次（前一天，中国时间），没有内容时不发送。"),
     ("What is the Subscriptions page for?",
      "My partner > Subscriptions chooses the information you receive: new-customer labels, "
      "performance, estimated incentives, incentives, indicator details and reseller "
      "information, one or more of them. It arrives in your notification center and, if you "
      "wish, by e-mail.\n\n"
      "- Partner admins and members see it; each person sets their own.\n"
      "- Reseller information can be subscribed to by distributors only.\n"
      "- New-customer labels and reseller information come as one daily digest (the "
      "previous day, China time), only when there is something to report."),
     "消息订阅 Subscriptions",
     "notifications:subscriptions", "", ("打开消息订阅", "Open subscriptions")),
    ("page-webhooks", "account", 150,
     ("“Webhook”页面有什么用？",
      "“我的伙伴 > Webhook”登记您的 CRM 或其他系统的地址。本伙伴的机会点、账单、激励或认证发生变化时，伙伴中心向该地址发送带签名的 POST 请求。\n\n"
      "- 仅伙伴管理员可见。\n"
      "- 每次发送都有记录，可查看结果；连续失败的地址会被自动停用，修复后可重新启用。\n"
      "- 同样的事件也可以通过 API 的事件流读取。"),
     ("What is the Webhooks page for?",
      "My partner > Webhooks registers the address of your CRM or another system. When "
      "something happens to your partner's opportunities, bills, incentives or "
      "certifications, the portal sends it a signed POST request.\n\n"
      "- Only the partner admin sees it.\n"
      "- Every delivery is recorded with its result; an address that keeps failing is "
      "turned off automatically and can be turned on again once fixed.\n"
      "- The same events can also be read from the API's events feed."),
     "Webhook Webhooks",
     "webhooks:list", "", ("打开 Webhook", "Open webhooks")),
    # ---- A customer's own pages ---------------------------------------------------------
    ("page-my-partner", "customers", 210,
     ("客户的“我的伙伴”页面有什么用？",
      "“我的伙伴”是客户用户的页面：显示您关联的伙伴、关联时间、计费方式和托管账户，以及关联协议。\n\n"
      "- 仅客户用户可见。\n"
      "- 尚未关联伙伴时，请打开伙伴发给您的邀请链接完成关联。\n"
      "- 有新版本的关联协议时，请在此阅读并签署；签署最新版本后，伙伴才能看到与您相关的知识推荐。\n"
      "- 托管账户在伙伴设置预算前处于冻结状态。"),
     ("What is a customer's My partner page for?",
      "My partner is a customer user's page: the partner you are associated with, since "
      "when, the billing model and the hosted account, and the association agreement.\n\n"
      "- Only customer users see it.\n"
      "- Not associated yet? Open the invitation link your partner sent you.\n"
      "- When a new agreement version is out, read and sign it here; the partner sees "
      "knowledge recommendations about you only after you signed the latest version.\n"
      "- A hosted account stays frozen until your partner sets a budget."),
     "我的伙伴 My partner",
     "customers:me", "", ("打开我的伙伴", "Open my partner")),
    ("page-my-resources", "customers", 220,
     ("客户的“我的资源”页面有什么用？",
      "“我的资源”列出您的包年/包月资源及其到期时间。\n\n"
      "- 仅客户用户可见。\n"
      "- 账户由伙伴托管期间，您可以在这里续费，设置或取消自动续费；自动续费在到期前 {auto_renew_days} 天进行。\n"
      "- 续费从托管账户扣款，余额不足时无法续费，请联系您的伙伴拨款。"),
     ("What is a customer's My resources page for?",
      "My resources lists your yearly/monthly resources with their expiry dates.\n\n"
      "- Only customer users see it.\n"
      "- While your partner hosts your account, renew resources and set or cancel auto-"
      "renew here; auto-renew renews {auto_renew_days} days before expiry.\n"
      "- Renewals are paid from the hosted account; without enough balance, ask your "
      "partner to fund it."),
     "我的资源 My resources",
     "customers:my_resources", "", ("打开我的资源", "Open my resources")),
    ("page-my-vouchers", "customers", 230,
     ("客户的“我的代金券”页面有什么用？",
      "“我的代金券”列出伙伴发给您的代金券、余额和有效期。\n\n"
      "- 仅客户用户可见。\n"
      "- 购买或续费时先用代金券抵扣，不足部分再从账户余额扣除。"),
     ("What is a customer's My vouchers page for?",
      "My vouchers lists the vouchers your partner issued to you, with what is left and "
      "until when.\n\n"
      "- Only customer users see it.\n"
      "- Purchases and renewals are paid by voucher first, then from the account "
      "balance."),
     "我的代金券 My vouchers",
     "customers:my_vouchers", "", ("打开我的代金券", "Open my vouchers")),
    # ---- Help --------------------------------------------------------------------------
    ("page-help-center", "portal", 30,
     ("“帮助中心”页面有什么用？",
      "“帮助 > 帮助中心”收录伙伴中心的常见问题和每个菜单页面的说明，可以用中文或英文搜索，也可以按分类浏览。\n\n"
      "- 所有登录用户都可以使用。\n"
      "- 搜索时所有关键词都须出现在条目中；常见的同义词（例如“商机”和“机会点”）会一起查找。\n"
      "- 每个条目都链接到办理该事项的页面；看不到某个菜单时，见“为什么缺少菜单？”。"),
     ("What is the Help center for?",
      "Help > Help center holds the portal's frequent questions and an entry for every menu "
      "page. Search in Chinese or English, or browse by category.\n\n"
      "- Every signed-in user can use it.\n"
      "- A search finds the entries that contain all of its words; common synonyms (商机 "
      "and 机会点, for example) are searched together.\n"
      "- Each entry links to the page where the thing is done; when a menu is missing, see "
      "\"Why is a menu missing?\"."),
     "帮助中心 Help center",
     "helpcenter:index", "", ("打开帮助中心", "Open the help center")),
]
# fmt: on


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def _bare(text):
    # The index leaves the placeholders out (their names are no search words); saving an
    # entry (FAQEntry.save) indexes it again with the numbers filled in.
    return _PLACEHOLDER.sub(" ", text)


def seed(apps, schema_editor):
    FAQEntry = apps.get_model("helpcenter", "FAQEntry")
    existing = set(FAQEntry.objects.values_list("slug", flat=True))
    _0004.seed_entries(apps, ENTRIES)
    for slug, _category, _order, zh, en, keywords, *_rest in ENTRIES:
        if slug not in existing:
            FAQEntry.objects.filter(slug=slug).update(
                index_question=_0004._index_text(_bare(zh[0]), _bare(en[0]), keywords),
                index_answer=_0004._index_text(_bare(zh[1]), _bare(en[1])),
            )


def unseed(apps, schema_editor):
    _0004.unseed_entries(apps, ENTRIES)


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0005_invoice_request")]

    operations = [migrations.RunPython(seed, unseed)]
