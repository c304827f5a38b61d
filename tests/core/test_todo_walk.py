"""The to-do page walked in Chromium on a phone (390 px), one role at a time: one item of
every kind the role's providers can produce is seeded through the services; the page lists
each once, the nearest deadline first; each row's next action opens a page where that action
is there and enabled for that user; accepting an HO, fixing a returned PO, deciding a
duplicate and accepting an invitation take the item off the list.

Kinds per role (the `todo.py` providers of opportunities, incentives, certification,
billing, customers, members and programs):

- partner admin of a solution provider / distributor: every partner kind (HO, returned PO,
  draft, protection ending, incentive amounts to confirm, incentive payment to request,
  enterprise certification to complete, label review failed, invoice to request, budget to
  set, money operation to approve, resource to renew);
- partner admin of a tier-2 reseller: the same but the invoice (resellers are not billed);
- partner member without the money grant: the opportunity kinds only; with the grant: also
  the money kinds a member may act on (no second approval, no certification);
- BD: POs to review and verify, extension requests, duplicates, incentives to review and to
  pay, PCE applications;
- certification specialist: enterprise certifications, bank cards and label applications to
  review;
- a person invited to join a partner (a customer user, the only to-do a customer has)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from certification import services as certification
from certification.models import CapabilityLabel, LabelCriterion
from customers import services as customers
from customers.models import MoneyLimit
from incentives import services as incentives
from incentives.models import ProgramPeriod
from opportunities import services as opportunities
from partner_center.accounts.permissions import PartnerType, Role
from partner_center.members import services as members
from partner_center.programs import services as programs
from tests.billing.factories import make_bill
from tests.certification.helpers import failed_application, filled_enterprise, jpeg
from tests.certification.helpers import submitted_application as label_submitted
from tests.customers.conftest import associate, make_customer, make_resource, open_account
from tests.factories import PartnerFactory, UserFactory, partner_user
from tests.incentives.conftest import deliver
from tests.members.factories import person
from tests.opportunities.conftest import make_ho, make_lead, make_po

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_n = itertools.count(1)

# Where each kind's next action lands: the control that does it (visible at 390 px).
ACTION = {
    "ho_to_accept": "[data-testid=m-accept]",
    "po_returned": "[data-testid=save-and-resubmit]",
    "po_draft": "[data-testid=m-submit-link]",
    "protection_ending": "[data-testid=extension-request-form] button",
    "incentive_to_confirm": "[data-testid=confirm]",
    "incentive_payment": "[data-testid=request-payment]",
    "certification_to_revise": "[data-testid=upload-form] [data-testid=upload]",
    "label_review_failed": "[data-testid=request-defense]",
    "invoice_to_request": "[data-testid=request-invoice]",
    "budget_to_set": "[data-testid=submit]",
    "money_request_to_decide": "[data-testid=money-requests] [data-testid=approve]",
    "resource_to_renew": "[data-testid=renew-submit]",
    "po_to_review": "[data-testid=m-start-verification]",
    "po_to_verify": "[data-testid=m-verify-link]",
    "extension_to_decide": "[data-testid=extension-decide-form] button[name=approve][value='1']",
    "duplicate_to_decide": "[data-testid=pair] [data-testid=dismiss]",
    "incentive_to_review": "[data-testid=publish]",
    "incentive_to_pay": "[data-testid=mark-paid]",
    "pce_to_review": "[data-testid=approve]",
    "enterprise_to_review": "[data-testid=decision-form] [data-testid=decide]",
    "bank_card_to_review": "[data-testid=decision-form] [data-testid=decide]",
    "label_to_review": "[data-testid=verdict-form] [data-testid=decide-criterion]",
    "invitation_to_answer": "[data-testid=accept-invitation]",
}

OPPORTUNITY_KINDS = ["ho_to_accept", "po_returned", "po_draft", "protection_ending"]
MONEY_KINDS = ["incentive_to_confirm", "incentive_payment", "budget_to_set", "resource_to_renew"]
ADMIN_KINDS = [
    *OPPORTUNITY_KINDS,
    *MONEY_KINDS,
    "certification_to_revise",
    "label_review_failed",
    "money_request_to_decide",
]
BILLED = ["invoice_to_request"]

# role -> (partner type of the user's partner, role, money grant, kinds listed for them).
# Every partner kind of the partner is seeded; a role sees only those it may act on.
PARTNER_ROLES = {
    "solution_provider_admin": (PartnerType.SOLUTION_PROVIDER, Role.PARTNER_ADMIN, True, ADMIN_KINDS + BILLED),
    "distributor_admin": (PartnerType.DISTRIBUTOR, Role.PARTNER_ADMIN, True, ADMIN_KINDS + BILLED),
    "reseller_admin": (PartnerType.RESELLER, Role.PARTNER_ADMIN, True, ADMIN_KINDS),
    "member_without_money_grant": (PartnerType.SOLUTION_PROVIDER, Role.PARTNER_MEMBER, False, OPPORTUNITY_KINDS),
    "member_with_money_grant": (PartnerType.SOLUTION_PROVIDER, Role.PARTNER_MEMBER, True, OPPORTUNITY_KINDS + MONEY_KINDS + BILLED),
}  # fmt: skip
BD_KINDS = [
    "po_to_review",
    "po_to_verify",
    "extension_to_decide",
    "duplicate_to_decide",
    "incentive_to_review",
    "incentive_to_pay",
    "pce_to_review",
]
SPECIALIST_KINDS = ["enterprise_to_review", "bank_card_to_review", "label_to_review"]
ROLES = [*PARTNER_ROLES, "bd", "certification_specialist", "invited_customer_user"]
# What the walk does to the end (the item must then leave the list).
COMPLETE = {
    "ho_to_accept": "[data-testid=m-accept]",
    "po_returned": "[data-testid=save-and-resubmit]",
    "duplicate_to_decide": "[data-testid=pair] [data-testid=dismiss]",
    "invitation_to_answer": "[data-testid=accept-invitation]",
}


def customer_name(what: str) -> str:
    return f"{what}{next(_n)}号客户有限公司"


def last_month() -> str:
    first = timezone.localdate().replace(day=1) - timedelta(days=1)
    return first.strftime("%Y-%m")


class World:
    """The people of one walk: vendor staff, the partner and its admin (who seeds)."""

    def __init__(self, partner_type=PartnerType.SOLUTION_PROVIDER):
        self.bd = UserFactory(role=Role.BD, email=f"bd{next(_n)}@vendor.test")
        self.specialist = UserFactory(role=Role.CERT_SPECIALIST, email=f"c{next(_n)}@vendor.test")
        self.distributor = None
        parent = None
        if partner_type == PartnerType.RESELLER:
            self.distributor = PartnerFactory(types=[PartnerType.DISTRIBUTOR], pce=True)
            parent = self.distributor
        self.partner = PartnerFactory(
            name=f"待办伙伴{next(_n)}有限公司",
            types=[partner_type],
            pce=True,
            parent_distributor=parent,
        )
        self.admin = partner_user(
            self.partner, Role.PARTNER_ADMIN, email=f"admin{next(_n)}@p.test", can_move_money=True
        )
        today = timezone.localdate()
        self.program = ProgramPeriod.objects.create(
            name=f"{today.year} 年度",
            starts_on=date(today.year, 1, 1),
            ends_on=date(today.year, 12, 31),
            opportunity_rate=Decimal("5.00"),
            performance_rate=Decimal("2.00"),
            performance_threshold=Decimal("1000.00"),
            monthly_target=Decimal("10000.00"),
            tax_rate=Decimal("6.00"),
            rules_zh="规则",
            rules_en="Rules",
        )
        self._label = None

    @property
    def label(self):
        if self._label is None:
            self._label = CapabilityLabel.objects.create(
                code=f"label-{next(_n)}", name_zh="云迁移交付能力", name_en="Cloud migration"
            )
            for i in (1, 2):
                LabelCriterion.objects.create(
                    label=self._label, position=i, title_zh=f"标准{i}", title_en=f"Criterion {i}"
                )
        return self._label

    def po(self, state, **overrides):
        overrides.setdefault("customer_name", customer_name("商机"))
        return make_po(self.admin, state=state, bd=self.bd, **overrides)

    def delivered(self):
        po = self.po("verified", products=["ecs", "rds"])
        return deliver(po, self.admin, self.bd, delivered_on=timezone.localdate() - timedelta(3))

    def hosted_account(self, *, budget=True):
        association = associate(self.admin, make_customer(name=customer_name("托管")))
        if self.distributor is not None:
            dist_admin = partner_user(
                self.distributor, Role.PARTNER_ADMIN, email=f"d{next(_n)}@d.test"
            )
            dist_admin.can_move_money = True
            dist_admin.save(update_fields=["can_move_money"])
            customers.reseller_fund(actor=dist_admin, reseller=self.partner, amount="100000")
        if budget:
            return open_account(association, self.admin, amount="1000.00")
        return association

    # ---- one item of each kind ------------------------------------------------------------

    def seed(self, kind: str) -> None:
        getattr(self, f"seed_{kind}")()

    def seed_ho_to_accept(self):
        make_ho(self.bd, self.partner, customer_name=customer_name("HO"))

    def seed_po_returned(self):
        self.po("returned")

    def seed_po_draft(self):
        self.po("draft")

    def seed_protection_ending(self):
        # Verified 175 days ago: protection ends in 5 days, the reminder date has passed.
        with time_machine.travel(timezone.now() - timedelta(days=175), tick=False):
            self.po("verified")

    def _applied(self):
        if not hasattr(self, "_delivered"):
            self._delivered = self.delivered()
            self._offerings = iter(["ecs", "rds"])
        return incentives.incentive_apply(
            actor=self.admin, opportunity=self._delivered, offering=next(self._offerings)
        )

    def seed_incentive_to_confirm(self):
        incentives.incentive_publish(actor=self.bd, application=self._applied())

    def seed_incentive_payment(self):
        app = incentives.incentive_publish(actor=self.bd, application=self._applied())
        incentives.incentive_confirm(actor=self.admin, application=app)

    def seed_incentive_to_review(self):
        self._applied()

    def seed_incentive_to_pay(self):
        app = incentives.incentive_publish(actor=self.bd, application=self._applied())
        app = incentives.incentive_confirm(actor=self.admin, application=app)
        incentives.incentive_request_payment(actor=self.admin, application=app, invoice_no="F-1")

    def seed_certification_to_revise(self):
        certification.enterprise_start(actor=self.admin, partner=self.partner, legal_person="张总")

    def seed_label_review_failed(self):
        failed_application(self.admin, self.partner, self.label, self.specialist)

    def seed_invoice_to_request(self):
        make_bill(self.partner, last_month(), lines=3, settled=True)

    def seed_budget_to_set(self):
        self.hosted_account(budget=False)

    def seed_money_request_to_decide(self):
        account = self.hosted_account()
        MoneyLimit.objects.create(partner=self.partner, per_operation=Decimal("500.00"))
        second = partner_user(
            self.partner, Role.PARTNER_ADMIN, email=f"second{next(_n)}@p.test", can_move_money=True
        )
        customers.account_fund(actor=second, account=account, amount="600.00", reason="大单")

    def seed_resource_to_renew(self):
        account = self.hosted_account()
        association = account.association
        make_resource(association, f"ecs-{next(_n)}", name=f"服务器 {next(_n)}", auto_renew=False)

    def seed_po_to_review(self):
        self.po("submitted")

    def seed_po_to_verify(self):
        self.po("under_verification")

    def seed_extension_to_decide(self):
        po = self.po("verified")
        opportunities.protection_request_extension(
            actor=self.admin, opportunity=po, note="客户预算下季度批"
        )

    def seed_duplicate_to_decide(self):
        # A lead in the pool for a customer whose PO is under verification: a PO/HO pair (the
        # PO is the one `po_to_verify` item, seeded here).
        name = customer_name("重复")
        make_lead(self.bd, customer_name=name)
        self.po("under_verification", customer_name=name)

    def seed_pce_to_review(self):
        newcomer = PartnerFactory(name=customer_name("新伙伴"))
        admin = partner_user(newcomer, Role.PARTNER_ADMIN, email=f"new{next(_n)}@p.test")
        programs.pce_apply(actor=admin, partner=newcomer, industries="制造", accept_rules=True)

    def seed_enterprise_to_review(self):
        cert = filled_enterprise(self.admin, self.partner, legal_person="张总")
        certification.enterprise_submit(actor=self.admin, certification=cert)

    def seed_bank_card_to_review(self):
        certification.bank_card_submit(
            actor=self.admin,
            partner=self.partner,
            holder_name="张三",
            bank_name="中国工商银行",
            card_number="6222 0212 3456 7890 128",
            face_photo=jpeg(),
        )

    def seed_label_to_review(self):
        label_submitted(self.admin, self.partner, self.label)


def build(role: str):
    """(the user who walks, the kinds seeded for them)."""
    if role in PARTNER_ROLES:
        partner_type, user_role, grant, kinds = PARTNER_ROLES[role]
        world = World(partner_type)
        for kind in ADMIN_KINDS + (BILLED if partner_type != PartnerType.RESELLER else []):
            world.seed(kind)
        viewer = world.admin
        if user_role == Role.PARTNER_MEMBER:
            viewer = partner_user(
                world.partner, Role.PARTNER_MEMBER, email="walker@p.test", can_move_money=grant
            )
        return viewer, kinds
    world = World()
    if role == "bd":
        viewer, kinds = world.bd, BD_KINDS
    elif role == "certification_specialist":
        viewer, kinds = world.specialist, SPECIALIST_KINDS
    else:
        viewer = person(email="invited@client.test")
        members.member_invite(actor=world.admin, partner=world.partner, email=viewer.email)
        return viewer, ["invitation_to_answer"]
    for kind in kinds:
        if kind != "po_to_verify":  # the duplicate pair's PO is that item
            world.seed(kind)
    return viewer, kinds


def rows(page) -> list[dict]:
    return page.eval_on_selector_all(
        "[data-testid=todo-list] .pc-todo-item",
        """els => els.map(e => ({kind: e.dataset.kind, deadline: e.dataset.deadline || "",
            href: e.querySelector('[data-testid=todo-action]').getAttribute('href')}))""",
    )


def open_todo(page) -> list[dict]:
    response = page.goto("/todo/")
    assert response and response.status == 200
    return rows(page)


@pytest.mark.parametrize("role", ROLES)
def test_every_kind_is_listed_and_its_next_action_is_there(role, page, browser_login):
    viewer, kinds = build(role)
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, viewer)
    found = open_todo(page)
    listed = [r["kind"] for r in found]
    assert sorted(listed) == sorted(kinds), f"{role}: listed {listed}, expected {kinds}"
    dated = [r["deadline"] for r in found if r["deadline"]]
    assert dated == sorted(dated), "nearest deadline first"
    assert all(r["deadline"] for r in found[: len(dated)]), "undated items come last"
    # the page fits the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    for row in found:
        page.goto("/todo/")
        link = page.locator(f".pc-todo-item[data-kind={row['kind']}] [data-testid=todo-action]")
        with page.expect_navigation() as navigation:
            link.click()
        response = navigation.value
        assert response and response.status == 200, f"{row['kind']}: {row['href']} {response}"
        assert page.locator("[data-testid=page-error]").count() == 0, row["kind"]
        action = page.locator(f"{ACTION[row['kind']]} >> visible=true").first
        assert action.count() == 1, f"{row['kind']}: no {ACTION[row['kind']]} on {page.url}"
        assert action.is_enabled(), f"{row['kind']}: {ACTION[row['kind']]} disabled"

    done = [k for k in COMPLETE if k in kinds]
    # Accepting an HO asks first (as on the inbox row): the walk answers yes, as a user would.
    page.on("dialog", lambda dialog: dialog.accept())
    for kind in done:
        page.goto("/todo/")
        page.click(f".pc-todo-item[data-kind={kind}] [data-testid=todo-action]")
        with page.expect_navigation():
            page.click(f"{COMPLETE[kind]} >> visible=true")
        assert page.locator(".alert-danger").count() == 0, page.inner_text("main")
    if done:
        left = [r["kind"] for r in open_todo(page)]
        assert not set(done) & set(left), f"{role}: {done} still on the list: {left}"
        assert len(left) == len(kinds) - len(done)
    print(f"\n{role}: {', '.join(kinds)}; completed: {', '.join(done) or '-'}")
