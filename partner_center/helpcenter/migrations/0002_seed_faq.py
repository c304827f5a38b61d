"""The help center's first entries, in our own words (facts from the vendor's help pages).
Admins edit them in Django admin afterwards; this migration only adds missing slugs."""

import re

from django.db import migrations

# fmt: off
ENTRIES = [
    # slug, category, order, (question zh, answer zh), (question en, answer en), keywords,
    # link url name, link path, (link label zh, link label en)
    ("what-is-pce", "pce", 10,
     ("PCE 是什么？",
      "PCE（Partner Customer Engagement，合作伙伴共拓计划）是厂商与伙伴共享销售机会点的政策框架。"
      "它提供共享机会点的工具、权益和规则，让伙伴与厂商协同跟进客户，一起把生意做成。\n\n"
      "在 PCE 中，机会点分两种：伙伴分享给厂商的 PO，以及厂商分享给伙伴的 HO。"),
     ("What is PCE?",
      "PCE (Partner Customer Engagement) is the vendor's framework for sharing sales "
      "opportunities with partners. It provides the tools, benefits and rules for working "
      "customers together so that deals are won jointly.\n\n"
      "Opportunities come in two kinds: POs, which a partner shares with the vendor, and "
      "HOs, which the vendor shares with a partner."),
     "共拓计划 合作伙伴共拓 program 定位", "programs:pce", "", ("查看 PCE 计划", "Open the PCE program")),
    ("pce-who-can-join", "pce", 20,
     ("哪些伙伴可以加入 PCE？",
      "面向客户销售或交付的伙伴都可以申请：解决方案提供商、总经销商、云经销商、软件伙伴、服务伙伴，"
      "以及数字化转型咨询与系统集成伙伴。\n\n"
      "只持有“学习与赋能伙伴”类型的伙伴不能申请；同时持有上述任一类型后即可申请。伙伴账号须处于正常状态（未注销）。"),
     ("Which partners can join PCE?",
      "Partners that sell to or deliver for customers may apply: solution providers, "
      "distributors, resellers, software partners, service partners, and digital-"
      "transformation consulting & SI partners.\n\n"
      "A partner holding only the learning & enablement type can't apply; once it also holds "
      "one of the types above, it can. The partner account must be active (not deregistered)."),
     "资格 条件 eligible eligibility", "programs:pce", "", ("去申请", "Apply")),
    ("pce-how-to-apply", "pce", 30,
     ("伙伴如何申请加入 PCE？",
      "伙伴管理员在“我的伙伴 > PCE 计划”中填写服务的行业和希望达成的目标，阅读并接受计划规则后提交申请。\n\n"
      "申请提交后由厂商 BD 审核：通过后伙伴即成为 PCE 成员；驳回时会附上原因，伙伴可以完善后再次申请。"
      "同一时间只能有一份待审核的申请。"),
     ("How does a partner apply to PCE?",
      "The partner admin opens My partner > PCE program, enters the industries it serves and "
      "what it wants to achieve, reads and accepts the program rules, and sends the "
      "application.\n\n"
      "The vendor's BD staff decide: on approval the partner becomes a PCE member; a "
      "rejection comes with a reason, and the partner may improve its case and apply again. "
      "Only one application can wait for a decision at a time."),
     "申请 加入 apply application", "programs:pce", "", ("去申请", "Apply")),
    ("pce-check-membership", "pce", 40,
     ("如何查询自己是否已加入 PCE？",
      "打开“我的伙伴 > PCE 计划”：页面顶部显示当前状态（未加入、待 BD 审核、成员或已驳回），"
      "以及申请和审核的时间；被驳回时还会显示 BD 给出的原因。首页右上角也会显示 PCE 成员状态。"),
     ("How can I check whether my partner is in PCE?",
      "Open My partner > PCE program: the top of the page shows the current status (not a "
      "member, awaiting BD, member, or rejected) with the dates of the application and the "
      "decision, and BD's reason after a rejection. The home page also shows the PCE status."),
     "状态 查询 status member", "programs:pce", "", ("查看状态", "See the status")),
    ("pce-benefits", "pce", 50,
     ("加入 PCE 有哪些权益？共享机会点给厂商有什么好处？",
      "- 与厂商信息协同、联合销售和联合服务，获得更多商机，带动收入增长；\n"
      "- 和厂商团队一起面对客户，更好地理解客户需求，提供更合适的方案；\n"
      "- 达到 HO 场景的要求后，有机会通过伙伴中心接收厂商共享的机会点；\n"
      "- 对带核心标签且已交付完成的机会点，可申请 PCE 机会点共享专项激励。"),
     ("What does PCE membership give? Why share opportunities with the vendor?",
      "- Coordinated, joint selling and service with the vendor: more opportunities and more "
      "revenue.\n"
      "- Facing the customer together with the vendor's teams helps you understand its needs "
      "and offer a better solution.\n"
      "- Once your partner meets the HO requirements, it can receive the vendor's own "
      "opportunities in the portal.\n"
      "- Delivered opportunities that carry the core label qualify for the PCE "
      "opportunity-sharing incentive."),
     "权益 好处 激励 benefits advantages", "programs:pce", "", ("查看 PCE 计划", "Open the PCE program")),
    ("po-ho-what", "opportunities", 10,
     ("什么是 PO 和 HO？机会点如何协同？",
      "PO 是伙伴分享给厂商的机会点：经厂商审核和验证后，双方进行信息协同、联合销售和联合服务。\n\n"
      "HO 是厂商分享给伙伴的机会点：伙伴确认接收后，双方同样开展协同、联合销售和服务。\n\n"
      "只有 PCE 成员可以提交 PO 和接收 HO。"),
     ("What are POs and HOs, and how do we work them together?",
      "A PO is an opportunity a partner shares with the vendor: after the vendor reviews and "
      "verifies it, both sides share information, sell and serve together.\n\n"
      "An HO is an opportunity the vendor shares with a partner: once the partner accepts "
      "it, the same joint work starts.\n\n"
      "Only PCE members submit POs and receive HOs."),
     "机会点 分类 opportunity partner-originated vendor-originated", "", "/opportunities/", ("查看机会点", "Open opportunities")),
    ("po-before-submit", "opportunities", 20,
     ("提交 PO 之前需要注意什么？",
      "PO 中涉及的客户个人信息，必须事先明确取得客户同意才能共享给厂商。提交时需确认客户已同意，"
      "并记录确认方式（例如邮件或签字表单），可附上证明文件；未确认的 PO 无法提交。"),
     ("What must I check before submitting a PO?",
      "The customer must have explicitly agreed that the personal information in the PO is "
      "shared with the vendor. When you submit, you confirm that consent and record how it was "
      "given (for example by e-mail or a signed form), optionally with a file; a PO without "
      "this confirmation can't be submitted."),
     "同意 个人信息 consent privacy", "", "/opportunities/po/", ("提交 PO", "Submit a PO")),
    ("po-verification-sla", "opportunities", 30,
     ("PO 的验证时效是多久？",
      "PO 从提交起计算，需在 10 个工作日内完成审核和验证（工作日按中国大陆日历，含调休）。"
      "到期仍未验证通过的 PO 会被系统自动驳回，驳回原因显示为“验证时效已过”。"),
     ("How long does PO verification take?",
      "A PO must be reviewed and verified within 10 working days of its submission (mainland "
      "China working days, make-up days included). A PO not verified by then is rejected "
      "automatically, with the reason \"verification SLA expired\"."),
     "时效 期限 SLA 10 工作日 deadline", "", "/opportunities/po/", ("查看我的 PO", "See my POs")),
    ("po-what-is-verified", "opportunities", 40,
     ("PO 验证主要检查什么？",
      "验证检查两点：\n\n"
      "1. 重复：同一客户同一项目的多个 PO，以最先“验证通过”的为准；PO 与 HO 之间，HO 以其在厂商 CRM 中的创建时间、"
      "PO 以验证通过的时间比较，时间更早的一方为准。\n\n"
      "2. 有效性：客户负责人与客户沟通确认后，若发现客户不知道该项目、没有真实需求、信息不实或不完整、"
      "客户已由厂商直接服务，或属于重复机会点，PO 会被驳回。"),
     ("What does PO verification check?",
      "Verification checks two things:\n\n"
      "1. Duplicates: among several POs for the same customer and project, the first to pass "
      "verification wins; between a PO and an HO, the HO's creation time in the vendor's CRM "
      "is compared with the PO's verification time, and the earlier one wins.\n\n"
      "2. Validity: after the account manager talked to the customer, the PO is rejected if "
      "the customer doesn't know the project, has no real need, the information is false or "
      "incomplete, the vendor already serves the customer directly, or it is a duplicate."),
     "验证 有效性 驳回 validity rejected", "", "/opportunities/po/", ("查看我的 PO", "See my POs")),
    ("duplicate-rules", "opportunities", 50,
     ("机会点重复时如何判定？",
      "- 多个 PO 重复：以“验证通过”的时间为准；一个 PO 验证通过后，不再接受其他伙伴提交的重复 PO。\n"
      "- PO 与 HO 重复：HO 以创建时间为准，PO 以验证通过的时间为准，时间更早的一方获得该机会点。\n"
      "- BD 是处理机会点重复的第一责任人。被判定为重复的机会点会显示依据的规则和时间，但不会透露其他伙伴的信息。"),
     ("How are duplicate opportunities decided?",
      "- Several POs: the verification time decides; once one PO is verified, other partners' "
      "duplicates are no longer accepted.\n"
      "- PO against HO: the HO counts from its creation time, the PO from its verification "
      "time; the earlier one gets the opportunity.\n"
      "- BD staff are the first owners of duplicate handling. A duplicate shows the rule and "
      "the time that decided it, never the other partner's details."),
     "重复 冲突 duplicate conflict", "", "/opportunities/po/", ("查看我的 PO", "See my POs")),
    ("po-updates", "opportunities", 60,
     ("PO 验证通过后还能更新吗？",
      "可以。PO 验证通过后，伙伴可更新进展（阶段、金额、预计成交日期、备注、交付完成日期等），"
      "更新形成时间线，伙伴和 BD 都能看到。HO 在伙伴接收后同样可以更新进展。"),
     ("Can I update a PO after it is verified?",
      "Yes. Once a PO passes verification, your progress updates take effect (stage, amount, "
      "expected close date, notes, delivery completed date). The updates form a timeline that "
      "you and BD see. An HO can be updated in the same way after you accepted it."),
     "进展 更新 progress update", "", "/opportunities/po/", ("查看我的 PO", "See my POs")),
    ("ho-accept-sla", "opportunities", 70,
     ("接收 HO 有什么要求？",
      "收到厂商共享的 HO 后，需在 3 个工作日内接收或拒绝（拒绝需填写原因）。逾期未处理的 HO 会被自动拒绝并收回，"
      "厂商可将其共享给其他伙伴。接收前，客户联系人和电话会被隐藏；接收后可查看并开始更新进展。"),
     ("What do I need to know about accepting an HO?",
      "When the vendor shares an HO with you, accept or decline it (with a reason) within 3 "
      "working days. An HO left unanswered is declined automatically and taken back; the "
      "vendor may share it with another partner. The customer's contact and phone are hidden "
      "until you accept; after that you see them and can update progress."),
     "接收 拒绝 3 工作日 accept decline", "", "/opportunities/ho/", ("查看 HO", "See HOs")),
    ("opportunity-assessment", "opportunities", 80,
     ("哪些机会点计入 PO/HO 考核？",
      "只有验证通过的 PO 和伙伴已接收的 HO 计入考核。草稿、待审核、被驳回或被收回的机会点不计入。"),
     ("Which opportunities count for the PO/HO assessment?",
      "Only verified POs and accepted HOs count. Drafts, pending, rejected and reclaimed "
      "opportunities don't."),
     "考核 统计 assessment count", "", "/opportunities/", ("查看机会点", "Open opportunities")),
    ("incentive-flow", "incentives", 10,
     ("PCE 机会点共享激励的流程是怎样的？",
      "激励的目的是鼓励伙伴与厂商深化合作、共拓新业务，让联合方案更快落地。流程如下：\n\n"
      "1. 申请激励；\n2. 审核中；\n3. 激励公示待确认：伙伴在激励汇总中核对金额，确认或提出异议；\n"
      "4. 申付；\n5. 完成。"),
     ("How does the PCE opportunity-sharing incentive work?",
      "The incentive rewards partners that deepen their cooperation with the vendor and "
      "bring joint solutions to customers. The flow:\n\n"
      "1. Apply;\n2. Under review;\n3. Published, awaiting your confirmation: check the amounts "
      "in the reconciliation summary, then confirm or dispute;\n4. Payment request;\n"
      "5. Completed."),
     "激励 申请 对账 申付 incentive payout reconciliation", "", "/incentives/", ("查看激励", "Open incentives")),
    ("incentive-pending", "incentives", 20,
     ("为什么有的机会点不能申请激励？",
      "“待申请激励”只列出带核心标签且已交付完成的机会点。由于涉及订单结算，交付结束当天不能申请，"
      "从交付结束的第二天起才可以申请。同一机会点的同一产品只能申请一次。"),
     ("Why can't I apply for an incentive for some opportunities?",
      "\"Pending application\" lists only opportunities that carry the core label and whose "
      "delivery is complete. Because orders are settled first, you can't apply on the day "
      "delivery ended; the application opens the next day. Each opportunity and offering can "
      "be applied for once."),
     "核心标签 交付 待申请 core label delivery", "", "/incentives/", ("查看激励", "Open incentives")),
    ("performance-reconciliation", "incentives", 30,
     ("如何核对业绩？总经销商如何查看云经销商的业绩？",
      "在“激励 > 业绩”中选择账期：汇总页查看业绩合计，明细页可按业绩形成时间、订单类型、客户、产品筛选并导出。\n\n"
      "总经销商还可在业绩看板中查看名下云经销商的业绩汇总，点击“详情”查看某个云经销商的明细并导出。"),
     ("How do I reconcile performance? How does a distributor see its resellers'?",
      "Under Incentives > Performance, choose a billing period: the summary shows the totals; "
      "the details can be filtered by formation time, order type, customer and product, and "
      "exported.\n\n"
      "A distributor also has a performance dashboard with its resellers' totals; \"Details\" "
      "opens one reseller's lines, which can be exported."),
     "业绩 对账 看板 performance dashboard", "", "/incentives/", ("查看业绩", "Open performance")),
    ("tax-rate", "billing", 10,
     ("发票税率是多少？",
      "厂商开具发票的税率为 6%。"),
     ("What is the invoice tax rate?",
      "The vendor's invoices carry a 6% tax rate."),
     "发票 税率 6% invoice tax VAT", "", "/billing/", ("查看账单", "Open bills")),
    ("export-bill", "billing", 20,
     ("如何导出伙伴账单？",
      "在“财务 > 伙伴账单”中选择账期。点击导出 PDF 后，页面会提示导出任务已创建；生成完成后，在导出任务列表中下载。"
      "账单明细可导出为 CSV 或 XLSX。"),
     ("How do I export a partner bill?",
      "Open Finance > Partner bills and choose a billing period. Exporting a PDF answers at "
      "once that the export task was created; when it is ready, download it from the list of "
      "export tasks. Bill details export as CSV or XLSX."),
     "账单 导出 PDF bill export", "", "/billing/", ("查看账单", "Open bills")),
    ("certification-attachments", "certification", 10,
     ("企业认证的证件附件如何填写？",
      "附件按顺序提供：先是单位证件（第一张为营业执照），如涉及法定代表人或员工，再依次提供每个人的身份证，"
      "先人像面、后国徽面。\n\n"
      "附件地址使用相对路径：不含存储桶名称，也不含 download 目录本身，只写其下的子目录和文件名。\n\n"
      "支持 jpg、jpeg、bmp、png、gif、pdf 格式，单个文件不超过 10 MB。个人银行卡认证只需一张本人刷脸照片。"),
     ("How do I provide the attachments of the enterprise certification?",
      "Attachments go in a fixed order: the enterprise certificates first (the business "
      "licence as the first), then, where a legal person or staff member is involved, each "
      "person's ID card: portrait side first, then the national-emblem side.\n\n"
      "Give each file by relative path: without the bucket name and without the download "
      "folder itself, only the sub-folder and file name under it.\n\n"
      "Allowed formats are jpg, jpeg, bmp, png, gif and pdf, at most 10 MB each. The personal "
      "bank-card certification needs just one face-scan photo."),
     "附件 营业执照 身份证 格式 attachment licence ID", "", "/certification/", ("前往认证", "Open certification")),
    ("certification-defense", "certification", 20,
     ("对能力标签认证的标准或举证有疑问，可以和评审沟通吗？",
      "可以。能力标签认证设有答辩和澄清机制：伙伴可通过 PDM 或能力认证运营专员申请，由其组织评审专家进行线上答辩，结果会被记录。"),
     ("I disagree with the criteria or the evidence review of a capability label. Can I talk to the reviewers?",
      "Yes. Capability-label certification has a defense and clarification process: ask your "
      "PDM or the certification specialist, who schedules an online defense with the review "
      "experts. The outcome is recorded."),
     "答辩 澄清 能力标签 defense label", "", "/certification/", ("前往认证", "Open certification")),
    ("member-invitation-checks", "account", 10,
     ("邀请项目专员时提示校验失败，是什么原因？",
      "被邀请的个人账号须同时满足：\n\n"
      "- 未实名认证为企业用户；\n- 未关联其他伙伴；\n- 已完成实名认证（仅中国站）；\n"
      "- 不是伙伴账号本身；\n- 近 365 天内关联过的伙伴少于 3 个。\n\n"
      "不满足时，邀请页面会在账号输入框旁显示具体原因。邀请链接 7 天内有效且只能使用一次；每个伙伴每天最多发出 100 份邀请。"),
     ("Inviting a project specialist fails a check. Why?",
      "The invited person's account must:\n\n"
      "- not be real-name verified as an enterprise;\n- not be linked to another partner;\n"
      "- be real-name verified (mainland China site);\n- not be a partner's own account;\n"
      "- have been linked to fewer than 3 partners within the last 365 days.\n\n"
      "When a check fails, the invitation page shows the reason next to the account field. "
      "The link is valid for 7 days and works once; a partner sends at most 100 invitations "
      "a day."),
     "邀请 成员 项目专员 实名 invite member specialist", "members:list", "", ("管理成员", "Manage members")),
    ("deregistration", "account", 20,
     ("如何注销伙伴账号？",
      "已加入软件伙伴、服务伙伴、学习与赋能伙伴、数字化转型咨询与系统集成伙伴路径的，须先在“伙伴路径”中退出这些路径，"
      "才能注销账号。注销后伙伴及其全部用户无法再登录，已有记录会保留。"),
     ("How do I deregister the partner account?",
      "A partner on the software, service, learning & enablement, or consulting & SI path "
      "must first exit those paths under Partner paths; only then can the account be "
      "deregistered. Afterwards the partner and all its users can no longer sign in; its "
      "records are kept."),
     "注销 退出 路径 deregister close account path", "programs:deregister", "", ("前往注销", "Deregistration")),
    ("change-contact", "account", 30,
     ("如何修改伙伴的联系邮箱和手机号？",
      "伙伴管理员在“伙伴资料”中点击邮箱或手机旁的“修改”，输入新的邮箱或手机号。我们会向新地址或新号码发送 6 位验证码，"
      "输入验证码后修改才生效；验证码 15 分钟内有效。"),
     ("How do I change the partner's contact e-mail or phone?",
      "The partner admin opens Partner profile and clicks Change next to the e-mail or phone, "
      "then enters the new one. We send a 6-digit code to the new address or number; the "
      "change takes effect when you enter it. The code is valid for 15 minutes."),
     "邮箱 手机 修改 联系方式 email phone contact", "members:profile", "", ("打开伙伴资料", "Open the profile")),
    ("legal-representative-change", "account", 40,
     ("伙伴的法定代表人变更了怎么办？",
      "伙伴管理员在“伙伴资料”中修改法定代表人即可，可附上说明（例如工商变更日期）。每次变更都会记录操作人、时间以及变更前后的姓名。"),
     ("Our legal representative changed. What do I do?",
      "The partner admin changes the legal representative in Partner profile, optionally "
      "with a note such as the date of the registration change. Each change is recorded with "
      "who made it, when, and the names before and after."),
     "法人 法定代表人 变更 legal representative", "members:legal_representative", "", ("修改法定代表人", "Change it")),
    ("solution-provider-and-reseller", "account", 50,
     ("企业可以同时是解决方案提供商和云经销商吗？",
      "可以。一个伙伴可以同时持有多个类型，例如既是解决方案提供商，又是某个总经销商名下的云经销商。"
      "菜单会同时显示两种类型对应的功能。"),
     ("Can a company be a solution provider and a reseller at the same time?",
      "Yes. A partner can hold several types at once, for example solution provider and "
      "tier-2 reseller under a distributor. The menus then show the features of both."),
     "解决方案提供商 云经销商 同时 solution provider reseller both", "members:profile", "", ("查看伙伴类型", "See your types")),
    ("subscriptions", "account", 60,
     ("可以订阅哪些信息？谁能订阅云经销商信息？",
      "伙伴用户可订阅一项或多项：新客标签信息、业绩、预估激励、激励、指标明细。云经销商信息仅总经销商可以订阅，"
      "其他伙伴看不到该选项。订阅的信息会出现在通知中心，并按你的设置发送邮件。"),
     ("What can I subscribe to? Who can subscribe to reseller information?",
      "Partner users subscribe to one or more of: new-customer label information, "
      "performance, estimated incentives, incentives, and indicator details. Reseller "
      "information is for distributors only; other partners don't see that option. "
      "Subscribed information arrives in the notification center and, if you wish, by "
      "e-mail."),
     "订阅 通知 邮件 subscribe notification reseller", "notifications:subscriptions", "", ("管理订阅", "Manage subscriptions")),
    ("customers-buy-direct", "customers", 10,
     ("子客户购买产品需要经过伙伴吗？",
      "不需要。子客户统一在厂商官网下单购买；伙伴中心记录子客户的订单和消费，但不直接销售。"),
     ("Do sub-customers buy through the partner?",
      "No. Sub-customers order on the vendor's own site; the portal records their orders and "
      "consumption but does not sell."),
     "子客户 购买 下单 sub-customer order", "", "/customers/", ("查看客户", "Open customers")),
    ("no-binding-code", "customers", 20,
     ("为什么没有伙伴账号绑定码了？客户如何关联伙伴？",
      "绑定码已不再使用。伙伴在客户管理中创建邀请链接，线下发给客户；客户打开链接，登录或注册后即完成关联。链接有有效期，且只能使用一次。"),
     ("Why is there no binding code any more? How does a customer associate with us?",
      "Binding codes are gone. The partner creates an invitation link in customer management "
      "and sends it to the customer, who opens it, signs in or registers, and is associated. "
      "Links expire and work once."),
     "绑定码 邀请链接 关联 binding code invitation link", "", "/customers/", ("查看客户", "Open customers")),
    ("unbind-customer", "customers", 30,
     ("如何解除与子客户的关联？解除当月的消费怎么算？",
      "在客户列表中选择客户，点击“更多 > 解除关联”。解除关联当月，解除前的消费计入伙伴的财务托管子账号，解除后的消费计入客户自己的主账号，消费汇总中分别显示。"),
     ("How do I unbind a sub-customer, and how is that month's consumption split?",
      "In the customer list, choose the customer and click More > Unbind. In that month, "
      "consumption before the unbinding is attributed to the partner's hosted sub-account and "
      "consumption after it to the customer's own main account; the consumption summary "
      "shows both."),
     "解除关联 解绑 unbind", "", "/customers/", ("查看客户", "Open customers")),
    ("distributor-resellers", "customers", 40,
     ("总经销商如何管理名下的云经销商？",
      "总经销商可以向云经销商拨款并发放代金券额度；云经销商用拨款给客户调账、用额度给客户发放代金券，客户购买时可使用。"),
     ("How does a distributor manage its resellers?",
      "A distributor funds its tier-2 resellers and grants them voucher quota; a reseller "
      "uses the funds to adjust its customers' accounts and issues vouchers from its quota, "
      "which customers spend on purchases."),
     "总经销商 云经销商 拨款 代金券 distributor reseller voucher", "", "/customers/", ("查看客户", "Open customers")),
    ("why-menu-missing", "portal", 10,
     ("为什么我看不到某些菜单（例如激励管理、云经销商）？",
      "菜单取决于你的角色和伙伴的类型、路径：不是云经销商或总经销商的伙伴没有云经销商菜单；没有激励权限的伙伴类型没有激励管理菜单；"
      "项目专员需要伙伴管理员授权才能操作资金。\n\n"
      "“为什么缺少菜单”页面列出门户的全部菜单，并说明你看不到的原因。"),
     ("Why don't I see some menus (such as incentives or resellers)?",
      "Menus depend on your role and on your partner's types and paths: a partner that is "
      "not a reseller or distributor has no reseller menu; a partner type without incentive "
      "rights has no incentive menu; a project specialist needs the partner admin's grant to "
      "move money.\n\n"
      "The page \"Why is a menu missing?\" lists every menu of the portal and why you don't "
      "see it."),
     "菜单 看不到 权限 激励管理 menu missing permission", "helpcenter:menus", "", ("查看菜单说明", "See the menus")),
]
# fmt: on

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")


def _index_text(*texts):
    # Frozen copy of partner_center.helpcenter.search.index_text at the time of writing.
    out = []
    for text in texts:
        for token in _TOKEN.findall((text or "").lower()):
            if re.match(rf"[{_CJK}]", token):
                out.extend([*token, *(token[i : i + 2] for i in range(len(token) - 1))] if len(token) > 1 else [token])
            else:
                out.append(token)
    return " ".join(out)


def seed(apps, schema_editor):
    FAQEntry = apps.get_model("helpcenter", "FAQEntry")
    existing = set(FAQEntry.objects.values_list("slug", flat=True))
    rows = []
    for slug, category, order, zh, en, keywords, url_name, path, labels in ENTRIES:
        if slug in existing:
            continue
        rows.append(
            FAQEntry(
                slug=slug,
                category=category,
                order=order,
                question_zh=zh[0],
                answer_zh=zh[1],
                question_en=en[0],
                answer_en=en[1],
                keywords=keywords,
                link_url_name=url_name,
                link_path=path,
                link_label_zh=labels[0],
                link_label_en=labels[1],
                index_question=_index_text(zh[0], en[0], keywords),
                index_answer=_index_text(zh[1], en[1]),
            )
        )
    FAQEntry.objects.bulk_create(rows)


def unseed(apps, schema_editor):
    apps.get_model("helpcenter", "FAQEntry").objects.filter(
        slug__in=[e[0] for e in ENTRIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
