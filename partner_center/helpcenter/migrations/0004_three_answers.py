"""Three questions of the vendor's help pages that had no answer here (issue [4]): moving a
customer to another partner account (迁移), an expired solution-provider account and the
reseller program (账号过期), the missing "Support > 能力开放" menu. In our own words, from the
portal's rules; each links to the page where the thing is done or says why it isn't
possible. Adds only missing slugs, like 0002."""

import re

from django.db import migrations

# fmt: off
ENTRIES = [
    ("customer-migration", "customers", 50,
     ("解决方案提供商账号下的客户能否迁移到其他伙伴账号？",
      "不能直接迁移。一个客户同一时间只与一个伙伴关联，伙伴中心没有把客户连同其账户、资源从一个伙伴账号整体转到另一个伙伴账号的功能。\n\n"
      "需要更换伙伴时，分两步完成：\n"
      "- 当前伙伴的管理员在“客户 > 客户管理”中找到该客户，点击“更多 > 解除关联”。解除后托管账户的余额退回伙伴，"
      "未使用的代金券退回额度，资源不再归属该伙伴；解除之前的订单和消费仍记在原伙伴名下。\n"
      "- 新伙伴在“客户 > 邀请链接”中生成邀请链接发给客户，客户打开链接、签署关联协议后即与新伙伴关联。"),
     ("Can the customers under a solution-provider account be moved to another partner account?",
      "Not in one step. A customer is associated with one partner at a time, and the portal "
      "has no function that transfers a customer, with its account and resources, from one "
      "partner account to another.\n\n"
      "To change partners, do it in two steps:\n"
      "- The current partner's admin opens Customers > Customer management, finds the "
      "customer and chooses More > Unbind. The hosted account's balance goes back to the "
      "partner, unused vouchers go back to the quota and the resources leave the partner; "
      "orders and consumption before the unbinding stay with the old partner.\n"
      "- The new partner creates an invitation link under Customers > Invitation links and "
      "sends it; the customer opens it, signs the association agreement and is associated "
      "with the new partner."),
     "迁移 转移 子客户 更换伙伴 解除关联 migrate move transfer customer unbind",
     "customers:list", "", ("前往客户管理", "Open customer management")),
    ("expired-account-reseller", "account", 40,
     ("解决方案提供商账号过期时，能否加入云经销商？",
      "不能。伙伴类型只能加在状态正常的伙伴账号上：账号过期或已注销后，既不能增加新的伙伴类型，也不能被总经销商纳入名下。\n\n"
      "请先让账号恢复正常。之后由管理您的总经销商向厂商提出，厂商管理员为您的账号加上“云经销商”类型并指定该总经销商。"
      "同一家企业可以同时是解决方案提供商和云经销商，加入云经销商不需要先退出解决方案提供商。"
      "账号当前持有的伙伴类型可在“伙伴资料”页面查看。"),
     ("Can an expired solution-provider account join the reseller program?",
      "No. A partner type can only be added to an active partner account: once the account "
      "has expired or been deregistered, it can neither take a new type nor be placed under "
      "a distributor.\n\n"
      "Bring the account back to active first. Then the distributor that will manage you asks "
      "the vendor, and the vendor's administrator adds the tier-2 reseller type to your "
      "account together with that distributor. One company may be a solution provider and "
      "a reseller at once: joining as a reseller does not require leaving the solution-"
      "provider type. The Partner profile page shows the types your account holds."),
     "账号过期 过期 云经销商 加入 解决方案提供商 expired account reseller join",
     "members:profile", "", ("查看伙伴资料", "See the partner profile")),
    ("no-capability-opening-menu", "portal", 20,
     ("为什么伙伴中心没有“支持 > 能力开放”菜单？",
      "本伙伴中心没有“支持”菜单，也不提供“能力开放”功能，所以任何角色都看不到它，这与您的角色或伙伴类型无关，也不需要申请权限。\n\n"
      "如果您想在自己的系统中调用伙伴中心的功能，请使用伙伴中心的 API（/api/v1/，接口文档见 /api/docs/）："
      "它与页面遵循同样的规则，API 令牌由厂商管理员创建。其他菜单为什么显示或不显示，见“为什么缺少菜单”页面。"),
     ("Why is there no \"Support > Capability opening\" (能力开放) menu?",
      "This portal has no Support menu and offers no capability-opening function, so no role "
      "sees it: it does not depend on your role or partner type, and there is no permission "
      "to ask for.\n\n"
      "To use the portal's functions from your own systems, use the portal's API (/api/v1/, "
      "documented at /api/docs/): it follows the same rules as the pages; API tokens are "
      "created by the vendor's administrator. Why any other menu is shown or hidden is "
      "explained on the \"Why is a menu missing?\" page."),
     "能力开放 支持 菜单 API 接口 capability opening support menu",
     "helpcenter:menus", "", ("查看菜单说明", "See the menus")),
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
                out.extend(
                    [*token, *(token[i : i + 2] for i in range(len(token) - 1))]
                    if len(token) > 1
                    else [token]
                )
            else:
                out.append(token)
    return " ".join(out)


def seed(apps, schema_editor):
    seed_entries(apps, ENTRIES)


def seed_entries(apps, entries):
    """Create the entries whose slug is missing (later help migrations use it too)."""
    FAQEntry = apps.get_model("helpcenter", "FAQEntry")
    existing = set(FAQEntry.objects.values_list("slug", flat=True))
    FAQEntry.objects.bulk_create(
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
        for slug, category, order, zh, en, keywords, url_name, path, labels in entries
        if slug not in existing
    )


def unseed(apps, schema_editor):
    unseed_entries(apps, ENTRIES)


def unseed_entries(apps, entries):
    apps.get_model("helpcenter", "FAQEntry").objects.filter(
        slug__in=[e[0] for e in entries]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("helpcenter", "0003_help_entry_history")]

    operations = [migrations.RunPython(seed, unseed)]
