"""Tenant isolation, generated from the URL resolver.

Every URL pattern (web and API) that takes an object id is requested by the admin of an
outsider partner (of every selling type, with every grant, so a role refusal does not hide a
leak) with the real id of an object that belongs to another partner (the demo world). The
answer must be 404 (or 403 where the outsider's role may not use the page at all, 405 for a
method the route does not have) — never 200 with the other partner's data, never a 500, never
a redirect that means "done". API detail routes are tried with GET, POST, PATCH and DELETE.

`OBJECT_OF` maps each object-scoped URL name to the kind of object its id names; `NOT_OWNED`
lists, with the reason, the patterns whose argument is not another partner's object. A new
object-scoped pattern in neither makes `test_every_object_pattern_is_mapped` fail: a new page
cannot be added without its outsider test."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from partner_center.accounts.permissions import PartnerType, Role
from tests.factories import PartnerFactory, partner_user

pytestmark = pytest.mark.django_db


def object_patterns() -> list[tuple[str, str, list[str]]]:
    """(route, URL name, kwarg names) of every non-admin pattern with an argument."""
    found = []

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace + (f"{p.namespace}:" if p.namespace else "")
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                names = [a or b for a, b in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)]
                names = [n for n in names if n != "format"]
                if names and not route.startswith("admin/") and p.name:
                    found.append((route, namespace + p.name, names))

    walk(get_resolver().url_patterns)
    return found


# ---------------------------------------------------------------- the mapping


def _first(model_path: str, **filters) -> Callable[[], int]:
    def get():
        from django.apps import apps

        app_label, name = model_path.split(".")
        obj = apps.get_model(app_label, name).objects.filter(**filters).order_by("pk").first()
        return obj.pk if obj is not None else None

    return get


KINDS: dict[str, Callable[[], int]] = {
    "partner": _first("accounts.Partner", name__contains="华云"),
    "reseller": _first("accounts.Partner", parent_distributor__isnull=False),
    "membership": _first("members.Membership"),
    "contact_change": _first("members.ContactChange"),
    "pce_application": _first("programs.PCEApplication"),
    "notification": _first("notifications.Notification"),
    "po": _first("opportunities.Opportunity", kind="po"),
    "ho": _first("opportunities.Opportunity", kind="ho"),
    "lead": _first("opportunities.VendorLead"),
    "duplicate": _first("opportunities.DuplicatePair"),
    "po_import": _first("opportunities.POImport"),
    "next_step": _first("opportunities.NextStep"),
    "deal_attachment": _first("opportunities.DealAttachment"),
    "saved_view": _first("opportunities.SavedView"),
    "association": _first("customers.Association"),
    "customer_invitation": _first("customers.Invitation"),
    "resource": _first("customers.Resource"),
    "order": _first("customers.Order"),
    "consumption": _first("customers.ConsumptionRecord"),
    "voucher": _first("customers.Voucher"),
    "money_request": _first("customers.MoneyRequest"),
    "bill": _first("billing.Bill"),
    "export": _first("billing.ExportTask"),
    "invoice": _first("billing.Invoice"),
    "performance": _first("incentives.PerformanceRecord"),
    "statement": _first("incentives.PeriodStatement"),
    "application": _first("incentives.IncentiveApplication"),
    "enterprise": _first("certification.EnterpriseCertification"),
    "bank_card": _first("certification.BankCardCertification"),
    "label_application": _first("certification.LabelApplication"),
    "attachment": _first("certification.Attachment"),
    "webhook_endpoint": _first("webhooks.WebhookEndpoint"),
    "webhook_delivery": _first("webhooks.WebhookDelivery"),
    "api_key": _first("apikeys.ApiKey", partner__isnull=False),
}

# URL name (exact, or a prefix ending in "-" / ":") -> the kind its id names.
OBJECT_OF: dict[str, str] = {
    "partner-detail": "partner",
    "members:unlink": "membership",
    "members:withdraw": "membership",
    "members:money": "membership",
    "member-detail": "membership",
    "member-money-grant": "membership",
    "member-unlink": "membership",
    "member-withdraw": "membership",
    "member-invitation-": "membership",
    "members:contact_change": "contact_change",
    "members:contact_change_cancel": "contact_change",
    "contact-change-": "contact_change",
    "programs:pce_review": "pce_application",
    "pce-application-": "pce_application",
    "notifications:": "notification",
    "notification-detail": "notification",
    "opportunities:detail": "po",
    "opportunities:po_": "po",
    "opportunities:consent_file": "po",
    "opportunities:progress": "po",
    "opportunities:core_label": "po",
    "opportunities:close": "po",
    "opportunities:protection_request": "po",
    "opportunities:protection_decide": "po",
    "opportunities:ho_": "ho",
    "opportunities:lead_": "lead",
    "opportunities:duplicate_decide": "duplicate",
    "opportunities:import_": "po_import",
    "opportunities:comment_post": "po",
    "opportunities:next_step_add": "po",
    "opportunities:next_step_": "next_step",
    "opportunities:attachment_upload": "po",
    "opportunities:attachment_": "deal_attachment",
    "opportunities:owner": "po",
    "opportunities:bd_owner": "po",
    "opportunities:saved_view_delete": "saved_view",
    "opportunity-saved-view-": "saved_view",
    "opportunity-po-": "po",
    "opportunity-ho-": "ho",
    "opportunity-lead-": "lead",
    "opportunity-duplicate-": "duplicate",
    "opportunity-import-": "po_import",
    "opportunity-comment-": "po",
    "opportunity-deal-next-step-": "po",
    "opportunity-deal-file-": "po",
    "opportunity-next-step-": "next_step",
    "opportunity-file-": "deal_attachment",
    "opportunities:assessment_partner": "partner",
    "opportunity-assessment-": "partner",
    "opportunity-routing-": "lead",
    "customers:detail": "association",
    "customers:unbind": "association",
    "customers:fund": "association",
    "customers:reclaim": "association",
    "customers:budget": "association",
    "customers:money_request_": "money_request",
    "customers:invitation_revoke": "customer_invitation",
    "customers:renew": "resource",
    "customers:auto_renew": "resource",
    "customers:my_renew": "resource",
    "customers:order_detail": "order",
    "customers:reseller_detail": "reseller",
    "customers:voucher_revoke": "voucher",
    "customer-association-": "association",
    "customer-invitation-": "customer_invitation",
    "customer-resource-": "resource",
    "customer-order-": "order",
    "customer-consumption-": "consumption",
    "customer-reseller-": "reseller",
    "customer-voucher-": "voucher",
    "customer-money-request-": "money_request",
    "customer-my-resource-": "resource",
    "customer-my-voucher-": "voucher",
    "billing:export_download": "export",
    "billing:invoice": "invoice",
    "billing-api-bills-": "bill",
    "billing-api-lines-list": "bill",
    "billing-api-exports-": "export",
    "billing-api-invoices-": "invoice",
    "incentives:dashboard_reseller": "reseller",
    "incentives:dashboard_reseller_export": "reseller",
    "incentives:application_apply": "po",
    "incentives:application_detail": "application",
    "incentives:application_step": "application",
    "incentive-performance-": "performance",
    "incentive-dashboard-": "reseller",
    "incentive-statement-": "statement",
    "incentive-application-": "application",
    "certification:enterprise-": "enterprise",
    "certification:bank-card-": "bank_card",
    "certification:label-application-": "label_application",
    "certification:file-download": "attachment",
    "certification-enterprise-": "enterprise",
    "certification-bank-card-": "bank_card",
    "certification-label-application-": "label_application",
    "certification-file-": "attachment",
    "webhooks:delivery_": "webhook_delivery",
    "webhooks:": "webhook_endpoint",
    "webhook-endpoint-": "webhook_endpoint",
    "webhook-delivery-": "webhook_delivery",
    "apikeys:": "api_key",
    "api-key-": "api_key",
}

# Patterns whose argument is not another partner's object, with the reason.
NOT_OWNED: dict[str, str] = {
    "password_reset_confirm": "a one-time token mailed to its owner",
    "members:invitation": "the invitation link's token is the invitee's key",
    "members:contact_change_start": "the channel name (email/phone), not an object",
    "helpcenter:entry": "published help entries are public",
    "help-entry-detail": "published help entries are public",
    "opportunities:import_template": "the file format of a blank template",
    "customers:invite": "the invitation link's token is the invitee's key",
    "customers:invite_register": "the invitation link's token is the invitee's key",
    "customers:invite_verify": "the invitation link's token is the invitee's key",
    "customer-invite": "the invitation link's token is the invitee's key",
    "customer-invite-accept": "the invitation link's token is the invitee's key",
    "billing:bill_": "a billing period: the user's own bill of that period",
    "incentives:performance_export": "the file format",
    "incentives:dashboard_export": "the file format",
    "opportunities:assessment_export": "the file format (BD only)",
    "opportunities:opportunities_export": "the file format: the rows are the user's own list",
    "opportunities:review_queue_export": "the file format (BD only)",
    "incentives:estimate_detail": "a billing period: the user's own estimate",
    "incentive-program-detail": "program periods are published to every partner",
    "certification:label-apply": "capability labels are published to every partner",
    "certification-label-detail": "capability labels are published to every partner",
}

# Values for the arguments that are not ids.
EXTRA_ARGS = {"fmt": "csv", "step": "confirm", "offering": "ecs"}


def _lookup(table: dict[str, str], name: str) -> str | None:
    if name in table:
        return table[name]
    for key, value in table.items():
        if key.endswith(("-", ":", "_")) and name.startswith(key):
            return value
    return None


def test_every_object_pattern_is_mapped():
    missing = [
        f"{name} ({route})"
        for route, name, _args in object_patterns()
        if _lookup(OBJECT_OF, name) is None and _lookup(NOT_OWNED, name) is None
    ]
    assert not missing, (
        "New object-scoped URL patterns without an outsider test: map them in OBJECT_OF "
        "(or NOT_OWNED with the reason): " + ", ".join(missing)
    )
    stale = [
        k
        for k in OBJECT_OF
        if k.rstrip("-:_") and not any(n == k or n.startswith(k) for _r, n, _a in object_patterns())
    ]
    assert not stale, f"mapping entries that match no pattern any more: {stale}"


# ---------------------------------------------------------------- the walk


@pytest.fixture
def world(db):
    """The demo world (every kind of object, owned by the demo partners), plus the objects
    the demo does not make, and an outsider partner of every selling type."""
    from customers.models import Association, MoneyRequest
    from partner_center.demo import load_all

    with translation.override("zh-hans"):
        load_all()
    association = Association.objects.select_related("partner").filter(account__isnull=False)
    association = association.order_by("pk").first()
    requester = association.partner.users.filter(role=Role.PARTNER_ADMIN).first()
    MoneyRequest.objects.create(
        partner=association.partner,
        operation=MoneyRequest.Operation.FUND,
        amount=Decimal("2000000.00"),
        account=association.account,
        requested_by=requester,
    )
    from billing.models import Bill, ExportTask
    from opportunities.models import POImport

    bill = Bill.objects.select_related("partner").order_by("pk").first()
    ExportTask.objects.create(partner=bill.partner, bill=bill)
    POImport.objects.create(
        partner=requester.partner, created_by=requester, file="x.csv", file_name="x.csv"
    )
    from partner_center.webhooks.events import publish
    from partner_center.webhooks.models import WebhookEndpoint

    WebhookEndpoint.objects.create(
        partner=requester.partner, url="https://crm.example.com/hooks", secret="whsec_x"
    )
    publish("comment.added", requester.partner_id, {})  # and its delivery
    from opportunities.models import SavedView

    SavedView.objects.create(
        user=requester, list_key="opportunities", name="待我处理", query="state=draft"
    )
    distributor = PartnerFactory(name="外来总经销", types=[PartnerType.DISTRIBUTOR])
    outsider_partner = PartnerFactory(
        name="外来伙伴有限公司",
        types=[PartnerType.SOLUTION_PROVIDER, PartnerType.DISTRIBUTOR, PartnerType.RESELLER],
        parent_distributor=distributor,
        pce=True,
    )
    return partner_user(
        outsider_partner, Role.PARTNER_ADMIN, email="admin@outsider.test", can_move_money=True
    )


def _urls():
    for route, name, args in object_patterns():
        kind = _lookup(OBJECT_OF, name)
        if kind is None or name in NOT_OWNED:
            continue
        yield route, name, kind, args


ALLOWED = {403, 404, 405}


def test_outsider_gets_404_on_every_object_of_another_partner(world, client):
    client.force_login(world)
    ids = {kind: get() for kind, get in KINDS.items()}
    missing = sorted(kind for kind, pk in ids.items() if pk is None)
    assert not missing, f"the world has no object of these kinds; build them: {missing}"
    failures = []
    tried = 0
    for _route, name, kind, args in _urls():
        kwargs = {a: EXTRA_ARGS.get(a, ids[kind]) for a in args}
        url = reverse(name, kwargs=kwargs)
        api = url.startswith("/api/")
        methods = ("get", "post", "patch", "delete") if api else ("get", "post")
        for method in methods:
            tried += 1
            extra = {"content_type": "application/json"} if api and method != "get" else {}
            response = getattr(client, method)(
                url, **({"data": {}} if method != "get" else {}), **extra
            )
            if response.status_code not in ALLOWED:
                failures.append(f"{method.upper()} {url} [{name}] -> {response.status_code}")
    assert tried > 400
    assert not failures, "\n".join(failures)
