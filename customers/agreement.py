"""The first version of the customer association agreement, published automatically when
an invitation is opened and no admin has published one yet. Admins publish later versions
in Django admin (Customers -> Agreement versions)."""

INITIAL_TITLE_ZH = "客户关联合作伙伴须知"
INITIAL_TITLE_EN = "Notice on associating your account with a partner"

INITIAL_BODY_ZH = """\
1. 关联后,该合作伙伴可以查看您账号的基本资料、云资源、订单和消费记录,用于为您提供销售、技术和运维服务。
2. 经销商模式下,您的账号作为合作伙伴托管的子账号:由合作伙伴为账号拨款、设置预算并承担费用;在合作伙伴设置预算之前,账号处于冻结状态。
3. 推荐模式下,您仍使用自己的主账号付款,合作伙伴只为您提供服务。
4. 关联关系可以由合作伙伴解除。解除当月,解除时刻之前的消费计入合作伙伴托管的子账号,之后的消费计入您自己的主账号。
5. 您签署本须知的最新版本后,合作伙伴才能看到与您的业务相关的知识推荐。须知更新后,请重新签署。
"""

INITIAL_BODY_EN = """\
1. Once associated, the partner can see your account's basic profile, cloud resources, orders and consumption, so that it can sell to you and support and operate your services.
2. In the reseller model your account becomes a sub-account hosted by the partner: the partner funds it, sets its budget and pays for it. Until the partner sets a budget the account is frozen.
3. In the referral model you keep paying from your own main account; the partner only serves you.
4. The partner may end the association. In the month it ends, consumption before that moment is booked to the partner-hosted sub-account and consumption after it to your own main account.
5. The partner sees knowledge recommendations about your business only while you have signed the latest version of this notice. When it changes, please sign again.
"""
