"""The one lifecycle mechanism (`partner_center.workflow`): the table decides, `apply` locks,
checks, saves only what changed and records the event with the table's label; `apply_bulk`
sweeps idempotently; every app's table is registered and every row writes a labelled event."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from opportunities.models import Opportunity
from partner_center import workflow
from partner_center.accounts.permissions import PartnerType
from partner_center.audit.models import Event
from partner_center.errors import DomainError
from partner_center.members.models import Membership
from partner_center.members.transitions import MEMBERSHIP
from partner_center.programs.models import PCEApplication
from partner_center.programs.transitions import PCE
from tests.factories import PartnerFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
S = PCEApplication.State


@pytest.fixture
def application(db):
    partner = PartnerFactory(name="流程测试伙伴有限公司", types=[PartnerType.SOLUTION_PROVIDER])
    return PCEApplication.objects.create(partner=partner, state=S.APPLIED, motivation="first words")


def _events(obj):
    return Event.objects.filter(subject_id=obj.pk, verb__startswith=f"{PCE.key}.")


# ---- apply ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_transition_from_the_wrong_state_is_refused_with_wrong_state(application, bd):
    PCE.apply(application, "reject", actor=bd, changes={"decision_reason": "no"})
    with pytest.raises(DomainError) as err:
        PCE.apply(application, "approve", actor=bd)
    assert err.value.code == "wrong_state"
    application.refresh_from_db()
    assert application.state == S.REJECTED
    assert list(_events(application).values_list("verb", flat=True)) == ["pce.rejected"]


@pytest.mark.django_db
def test_a_refusal_leaves_the_callers_transaction_usable(application, bd):
    from django.db import transaction

    with transaction.atomic():
        PCE.apply(application, "approve", actor=bd)
        with pytest.raises(DomainError):
            PCE.apply(application, "reject", actor=bd)
        # the caller caught the refusal and goes on writing in the same transaction
        PCEApplication.objects.filter(pk=application.pk).update(decision_reason="still fine")
    application.refresh_from_db()
    assert (application.state, application.decision_reason) == (S.APPROVED, "still fine")


@pytest.mark.django_db
def test_apply_reads_the_state_in_the_database_not_a_stale_copy(application, bd):
    stale = PCEApplication.objects.get(pk=application.pk)
    PCE.apply(application, "approve", actor=bd)
    assert stale.state == S.APPLIED  # an older copy still says "applied"
    with pytest.raises(DomainError) as err:
        PCE.apply(stale, "reject", actor=bd)
    assert err.value.code == "wrong_state"
    assert PCEApplication.objects.get(pk=application.pk).state == S.APPROVED


@pytest.mark.django_db
def test_an_unknown_transition_or_another_lifecycles_object_is_refused(application, bd):
    with pytest.raises(DomainError) as err:
        PCE.apply(application, "fly", actor=bd)
    assert err.value.code == "wrong_state"
    po = Opportunity(kind=Opportunity.Kind.PO, state=Opportunity.State.DRAFT)
    with pytest.raises(DomainError):
        workflow.lifecycle_of(po).check(po, "accept")  # an HO step on a PO


@pytest.mark.django_db
def test_apply_takes_the_row_lock(application, bd):
    with CaptureQueriesContext(connection) as ctx:
        PCE.apply(application, "approve", actor=bd)
    table = PCEApplication._meta.db_table
    locking = [q["sql"] for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]
    assert locking and table in locking[0]


@pytest.mark.django_db
def test_locked_true_trusts_the_callers_lock(application, bd):
    with CaptureQueriesContext(connection) as ctx:
        PCE.apply(application, "approve", actor=bd, locked=True)
    assert not [q for q in ctx.captured_queries if "FOR UPDATE" in q["sql"]]


@pytest.mark.django_db
def test_apply_saves_only_the_changed_fields_and_the_state(application, bd):
    application.motivation = "edited in memory, never saved"
    with CaptureQueriesContext(connection) as ctx:
        PCE.apply(
            application, "approve", actor=bd, changes={"decision_reason": "fine"}, locked=True
        )
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 1
    assert '"decision_reason"' in updates[0] and '"state"' in updates[0]
    assert '"motivation"' not in updates[0]
    application.refresh_from_db()
    assert application.motivation == "first words"
    assert (application.state, application.decision_reason) == (S.APPROVED, "fine")


@pytest.mark.django_db
def test_the_event_has_the_tables_verb_states_and_label(application, bd):
    event = PCE.apply(application, "approve", actor=bd, reason="welcome")
    assert (event.verb, event.from_state, event.to_state) == ("pce.approved", "applied", "approved")
    assert (event.actor, event.partner_id, event.reason) == (bd, application.partner_id, "welcome")
    assert workflow.verb_label(event.verb) == str(PCE["approve"].label)
    with translation.override("zh-hans"):
        assert workflow.verb_label(event.verb) == str(PCE["approve"].label)
        assert workflow.verb_label(event.verb) != "Application approved"


@pytest.mark.django_db
def test_record_created_writes_only_initial_steps(application, owner):
    event = PCE.record_created(application, "apply", actor=owner)
    assert (event.verb, event.from_state, event.to_state) == ("pce.applied", "", "applied")
    with pytest.raises(ValueError):
        PCE.record_created(application, "approve", actor=owner)


# ---- apply_bulk ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_apply_bulk_moves_each_row_once_and_is_idempotent(partner, owner):
    now = timezone.now()
    rows = [
        Membership.objects.create(
            partner=partner,
            user=UserFactory(),
            state=Membership.State.INVITED,
            invited_by=owner,
            invited_at=now - timedelta(days=8),
            expires_at=now - timedelta(days=1) if i < 2 else now + timedelta(days=1),
            token=f"wf-{i}",
        )
        for i in range(3)
    ]
    due = Membership.objects.filter(expires_at__lte=now)
    moved = MEMBERSHIP.apply_bulk(due, "expire", at=now)
    assert sorted(moved) == sorted(m.pk for m in rows[:2])
    assert MEMBERSHIP.apply_bulk(due, "expire", at=now) == []  # a second run changes nothing
    events = Event.objects.filter(verb="member.expired")
    assert events.count() == 2
    assert {(e.from_state, e.to_state, e.partner_id) for e in events} == {
        ("invited", "expired", partner.pk)
    }
    assert Membership.objects.get(pk=rows[2].pk).state == Membership.State.INVITED


# ---- reading the table ---------------------------------------------------------------------


def test_lifecycle_of_tells_pos_from_ho_shares():
    po = Opportunity(kind=Opportunity.Kind.PO, state=Opportunity.State.DRAFT)
    ho = Opportunity(kind=Opportunity.Kind.HO, state=Opportunity.State.PENDING)
    assert workflow.lifecycle_of(po).key == "po"
    assert workflow.lifecycle_of(ho).key == "ho"
    assert workflow.allowed(po) >= {"submit", "edit"}
    assert workflow.allowed(ho, by=workflow.By.PARTNER) == {"accept", "decline"}


def test_the_can_filter_asks_the_table():
    template = Template('{% load pc_tags %}{% if o|can:"submit" %}yes{% else %}no{% endif %}')
    draft = Opportunity(kind=Opportunity.Kind.PO, state=Opportunity.State.DRAFT)
    submitted = Opportunity(kind=Opportunity.Kind.PO, state=Opportunity.State.SUBMITTED)
    assert template.render(Context({"o": draft})) == "yes"
    assert template.render(Context({"o": submitted})) == "no"


def test_a_table_cannot_give_one_verb_two_labels():
    with pytest.raises(ValueError):
        workflow.Lifecycle(
            key="test_two_labels",
            model=PCEApplication,
            transitions=[
                workflow.t("a", {S.APPLIED}, S.APPROVED, "bd", "One", event="x"),
                workflow.t("b", {S.APPLIED}, S.REJECTED, "bd", "Two", event="x"),
            ],
        )
    assert "test_two_labels" not in workflow.REGISTRY


# ---- every table ---------------------------------------------------------------------------

EXPECTED = {
    "po": "opportunities",
    "ho": "opportunities",
    "lead": "opportunities",
    "enterprise": "certification",
    "bank_card": "certification",
    "label": "certification",
    "incentive": "incentives",
    "pce": "programs",
    "member": "members",
    "bill": "billing",
    "invoice": "billing",
}


def test_every_lifecycle_is_registered():
    assert set(EXPECTED) <= set(workflow.REGISTRY)
    for key, app in EXPECTED.items():
        assert workflow.REGISTRY[key].model._meta.app_label == app


ROWS = [
    pytest.param(lc, tr, id=f"{lc.key}.{tr.name}")
    for lc in list(workflow.REGISTRY.values())
    for tr in lc.transitions
]


@pytest.mark.django_db
@pytest.mark.parametrize(("lc", "tr"), ROWS)
def test_every_transition_writes_an_event_labelled_by_its_table(lc, tr, monkeypatch):
    """Each row, taken through the mechanism (with the database stubbed out), writes one
    event whose verb maps back to the row's label, in English and in Chinese."""
    written = []
    monkeypatch.setattr(
        "partner_center.audit.services.record_event", lambda **kw: written.append(kw) or kw
    )
    states = {code for code, _label in lc.model._meta.get_field(lc.state_field).choices}
    assert tr.sources <= states and (tr.target is None or tr.target in states)
    obj = lc.model(pk=1, **lc.where)
    monkeypatch.setattr(obj, "save", lambda **kw: None)
    if tr.name in lc.initial:
        setattr(obj, lc.state_field, tr.target)
        lc.record_created(obj, tr.name, actor=None)
        assert written[-1]["to_state"] == tr.target
    else:
        source = sorted(tr.sources)[0]
        setattr(obj, lc.state_field, source)
        lc.apply(obj, tr.name, actor=None, locked=True)
        assert written[-1]["from_state"] in ("", source)
        assert getattr(obj, lc.state_field) == tr.leads_to(source)
    assert len(written) == 1
    verb = written[0]["verb"]
    assert verb == lc.verb(tr.name) and workflow.transition_of(verb) is not None
    assert workflow.verb_label(verb) == str(tr.label) == str(lc.table[tr.name].label)
    with translation.override("zh-hans"):
        zh = workflow.verb_label(verb)
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{verb}: no Chinese label ({zh!r})"


def test_there_is_one_transition_mechanism():
    """No app keeps its own step/transition machinery: each transitions.py declares
    `Lifecycle` tables and nothing that applies them."""
    files = [
        p
        for p in ROOT.glob("**/transitions.py")
        if ".venv" not in p.parts and "tests" not in p.parts
    ]
    assert len(files) >= 6
    for path in files:
        text = path.read_text()
        assert "Lifecycle(" in text, path
        for forbidden in (
            "def apply(",
            "def take(",
            "class Step",
            "class Transition",
            "def check(",
        ):
            assert forbidden not in text, f"{path}: {forbidden}"
