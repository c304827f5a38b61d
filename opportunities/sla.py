"""SLA clocks: a PO must be verified within 10 working days of its submission, an HO share
accepted within 3 working days; otherwise the PO is rejected and the HO declined and
reclaimed, automatically.

The deadline (and the moment of the reminder) is stored on the row when the clock starts.
The sweep is set-based and idempotent: one batched UPDATE of the overdue rows plus an
INSERT ... SELECT of their events; the target states and verbs are the `expire` rows of the
PO and HO lifecycle tables (`transitions.py`). The decision is dated at the deadline itself, so a sweep
that runs late (beat down for days) or twice leaves the same rows as one on time; and since
every service refuses to act on an item past its deadline, nothing can slip in between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.urls import reverse
from django.utils import timezone, translation

from partner_center.audit.models import Event
from partner_center.audit.services import SYSTEM, PendingEvent, record_events_bulk
from partner_center.audit.verbs import Verb
from partner_center.notifications.messages import msg
from partner_center.workdays import (
    SHANGHAI,
    add_working_days,
    deadline_after,
    is_provisional_span,
    packaged_calendar_covers,
)

from .catalog import Rule
from .models import Opportunity
from .transitions import EXPIRED_STATE, EXPIRED_VERB, SLA_OPEN_STATES, SLA_WORKING_DAYS

K = Opportunity.Kind
SWEEP_BATCH = 25_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Kept in the audit log as written; pages show the rule in the reader's language.
EXPIRED_REASON = {
    K.PO: "verification SLA expired",
    K.HO: "acceptance SLA expired; reclaimed into the pool",
}


def start_of_day(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=SHANGHAI)


def clock(moment: datetime, kind: str) -> tuple[datetime, datetime]:
    """(deadline, reminder moment) for a clock of `kind` started at `moment`. The reminder is
    due at the start of the last working day but one: one working day before the deadline."""
    n = SLA_WORKING_DAYS[kind]
    deadline = deadline_after(moment, n)
    remind_day = add_working_days(moment.astimezone(SHANGHAI).date(), n - 1)
    return deadline, start_of_day(remind_day)


@dataclass
class SweepResult:
    rejected_pos: int = 0
    expired_hos: int = 0

    @property
    def total(self) -> int:
        return self.rejected_pos + self.expired_hos


def sweep_overdue(*, now: datetime | None = None, batch_size: int = SWEEP_BATCH) -> SweepResult:
    """End every item whose deadline passed before `now`: POs rejected ("verification SLA
    expired"), HO shares declined automatically and their leads back in the pool."""
    now = now or timezone.now()
    if connection.vendor == "postgresql":
        return _sweep_sql(now, batch_size)
    return _sweep_portable(now, batch_size)


def _in_list(values) -> str:
    # Our own state constants, never user input: inlined so the planner matches the
    # partial index `opportunity_sla_open`.
    return ", ".join(f"'{v}'" for v in values)


# One batch: the next `batch` overdue rows after the cursor (deadline, id), in the order of
# the partial index `opportunity_sla_open`; their update and their events in one statement.
# No row lock is taken beforehand: past its deadline a row changes only through a sweep (every
# service refuses to act on it; the deadline itself never changes), and the UPDATE re-checks
# its WHERE on a row another sweep changed meanwhile, so each row is ended, with its event,
# exactly once. The rows are fetched by primary key (`= ANY(ARRAY(...))`), which keeps the
# planner from hashing the whole table for every batch.
_SWEEP_SQL = """
WITH due AS (
    SELECT id, state, deadline FROM {opp}
    WHERE state IN ({open}) AND deadline < %(now)s
      AND (deadline, id) > (%(after)s, %(after_id)s)
    ORDER BY deadline, id
    LIMIT %(batch)s
), moved AS (
    UPDATE {opp} AS o
    SET state = CASE o.kind WHEN 'po' THEN '{po_target}' ELSE '{ho_target}' END,
        decided_at = o.deadline,
        decided_by_id = NULL,
        decision_rule = '{rule}',
        decision_reason = '',
        decision_detail = '{{"rule": "{rule}"}}'::jsonb
    WHERE o.id = ANY(ARRAY(SELECT id FROM due))
      AND o.state IN ({open}) AND o.deadline < %(now)s
    RETURNING o.id, o.kind, o.partner_id, o.deadline, o.state AS to_state
), written AS (
    INSERT INTO {event} (created_at, actor_id, actor_label, partner_id, subject_type_id,
                         subject_id, verb, from_state, to_state, reason, data)
    SELECT m.deadline, NULL, '{system}', m.partner_id, %(ct)s, m.id,
           CASE m.kind WHEN 'po' THEN '{po_verb}' ELSE '{ho_verb}' END,
           d.state, m.to_state,
           CASE m.kind WHEN 'po' THEN %(po_reason)s ELSE %(ho_reason)s END,
           jsonb_build_object('rule', '{rule}', 'swept_at', %(now)s::timestamptz)
    FROM moved AS m JOIN due AS d ON d.id = m.id
    RETURNING verb
), last AS (
    SELECT deadline, id FROM due ORDER BY deadline DESC, id DESC LIMIT 1
)
SELECT (SELECT count(*) FROM due),
       (SELECT count(*) FROM written WHERE verb = '{po_verb}'),
       (SELECT count(*) FROM written WHERE verb = '{ho_verb}'),
       (SELECT deadline FROM last),
       (SELECT id FROM last),
       (SELECT coalesce(array_agg(id), '{{}}') FROM moved),
       (SELECT coalesce(array_agg(DISTINCT partner_id), '{{}}') FROM moved),
       (SELECT count(*) > 0 FROM moved WHERE kind = 'ho')
"""


def sweep_sql() -> str:
    return _SWEEP_SQL.format(
        opp=Opportunity._meta.db_table,
        event=Event._meta.db_table,
        open=_in_list(SLA_OPEN_STATES),
        po_target=EXPIRED_STATE[K.PO],
        ho_target=EXPIRED_STATE[K.HO],
        po_verb=EXPIRED_VERB[K.PO],
        ho_verb=EXPIRED_VERB[K.HO],
        rule=Rule.SLA_EXPIRED,
        system=SYSTEM,
    )


def _sweep_sql(now: datetime, batch_size: int) -> SweepResult:
    result = SweepResult()
    sql = sweep_sql()
    params = {
        "now": now,
        "batch": batch_size,
        "ct": ContentType.objects.get_for_model(Opportunity).pk,
        "po_reason": EXPIRED_REASON[K.PO],
        "ho_reason": EXPIRED_REASON[K.HO],
    }
    params["after"], params["after_id"] = EPOCH, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            seen, pos, hos, last_deadline, last_id, moved, partners, any_ho = cursor.fetchone()
            # In the sweep's transaction: each ended row is notified exactly once.
            notify_swept(moved, partner_ids=partners, any_ho=any_ho)
        result.rejected_pos += pos
        result.expired_hos += hos
        if seen < batch_size:
            return result
        params["after"], params["after_id"] = last_deadline, last_id


def _sweep_portable(now: datetime, batch_size: int) -> SweepResult:
    """The same sweep with the ORM, for SQLite (the embedded demo), where a write
    transaction holds the whole database and nothing can change between the two steps."""
    result = SweepResult()
    ct = ContentType.objects.get_for_model(Opportunity)
    while True:
        with transaction.atomic():
            due = list(
                Opportunity.objects.filter(state__in=SLA_OPEN_STATES, deadline__lt=now)
                .order_by("deadline", "id")
                .values("id", "kind", "partner_id", "deadline", "state")[:batch_size]
            )
            if not due:
                return result
            Opportunity.objects.filter(
                pk__in=[row["id"] for row in due], state__in=SLA_OPEN_STATES, deadline__lt=now
            ).update(
                state=Case(
                    When(kind=K.PO, then=Value(EXPIRED_STATE[K.PO])),
                    default=Value(EXPIRED_STATE[K.HO]),
                ),
                decided_at=F("deadline"),
                decided_by=None,
                decision_rule=Rule.SLA_EXPIRED,
                decision_reason="",
                decision_detail={"rule": Rule.SLA_EXPIRED},
            )
            Event.objects.bulk_create(
                [
                    Event(
                        created_at=row["deadline"],
                        actor_label=SYSTEM,
                        partner_id=row["partner_id"],
                        subject_type=ct,
                        subject_id=row["id"],
                        verb=EXPIRED_VERB[row["kind"]],
                        from_state=row["state"],
                        to_state=EXPIRED_STATE[row["kind"]],
                        reason=EXPIRED_REASON[row["kind"]],
                        data={"rule": Rule.SLA_EXPIRED, "swept_at": now.isoformat()},
                    )
                    for row in due
                ],
                batch_size=5000,
            )
            notify_swept(
                [row["id"] for row in due],
                partner_ids={row["partner_id"] for row in due},
                any_ho=any(row["kind"] == K.HO for row in due),
            )
        result.rejected_pos += sum(1 for row in due if row["kind"] == K.PO)
        result.expired_hos += sum(1 for row in due if row["kind"] == K.HO)
        if len(due) < batch_size:
            return result


def notify_swept(ids, *, partner_ids, any_ho: bool) -> int:
    """Tell whoever must know that the sweep ended these items (R4.4): the partner's users
    (PO rejected, HO declined by the deadline) and BD (HO reclaimed into the pool). Called
    inside the sweep's transaction with the rows it moved, so each is told once."""
    if not ids:
        return 0
    from partner_center.webhooks.events import from_recorded

    # The sweep writes its events in SQL: the partners' webhooks and feed get them here.
    from_recorded(Opportunity, ids, EXPIRED_VERB.values())
    from partner_center.notifications.services import notify_bulk

    from .services import bd_recipients, partner_recipients

    # Who is there to tell first: rows nobody reads are not even fetched.
    partner_users = partner_recipients(set(partner_ids))
    bd_users = bd_recipients() if any_ho else []
    if not partner_users and not bd_users:
        return 0
    wanted = Opportunity.objects.filter(pk__in=list(ids))
    if not bd_users:
        wanted = wanted.filter(partner_id__in=list(partner_users))
    rows = list(
        wanted.values_list(
            "id", "kind", "partner_id", "customer_name", "project_name", "lead_id", "deadline"
        )
    )
    items = [
        Opportunity(
            id=i, kind=k, partner_id=p, customer_name=c, project_name=pr, lead_id=lead, deadline=d
        )
        for i, k, p, c, pr, lead, d in rows
    ]
    messages = []
    for opp in items:
        link = reverse("opportunities:detail", args=[opp.pk])
        deadline = timezone.localtime(opp.deadline).strftime("%Y-%m-%d %H:%M")
        if opp.kind == K.PO:
            messages.append(
                (
                    partner_users.get(opp.partner_id, []),
                    "opportunities.sla_rejected",
                    msg("PO #%(id)s was rejected: verification deadline passed", id=opp.pk),
                    msg(
                        "%(customer)s, %(project)s: it was not verified by %(deadline)s.",
                        customer=opp.customer_name,
                        project=opp.project_name,
                        deadline=deadline,
                    ),
                    link,
                )
            )
            continue
        messages.append(
            (
                partner_users.get(opp.partner_id, []),
                "opportunities.sla_declined",
                msg("HO #%(id)s was declined automatically: deadline passed", id=opp.pk),
                msg(
                    "%(customer)s: it was not accepted by %(deadline)s and went back to the "
                    "vendor.",
                    customer=opp.customer_name,
                    deadline=deadline,
                ),
                link,
            )
        )
        messages.append(
            (
                bd_users,
                "opportunities.ho_reclaimed",
                msg("HO #%(id)s is back in the pool: not accepted in time", id=opp.pk),
                opp.customer_name,
                reverse("opportunities:lead_detail", args=[opp.lead_id]),
            )
        )
    return len(notify_bulk(messages))


# ---- Reminders ---------------------------------------------------------------------------

REMINDER_BATCH = 500


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind once, one working day before the deadline: the partner of a pending HO, BD
    for a PO waiting for review or verification (and the partner when it was returned)."""
    from partner_center.notifications.services import notify

    from .services import bd_recipients, partner_recipients

    now = now or timezone.now()
    sent = 0
    while True:
        with transaction.atomic():
            due = list(
                Opportunity.objects.select_for_update(skip_locked=True)
                .filter(
                    state__in=SLA_OPEN_STATES,
                    reminded_at__isnull=True,
                    remind_at__lte=now,
                    deadline__gte=now,
                )
                .order_by("remind_at", "id")[:REMINDER_BATCH]
            )
            if not due:
                return sent
            Opportunity.objects.filter(pk__in=[o.pk for o in due]).update(reminded_at=now)
            partner_users = partner_recipients({o.partner_id for o in due})
            bd_users = bd_recipients()
            rows = []
            with translation.override(settings.LANGUAGE_CODE):
                for opp in due:
                    to_partner = opp.kind == K.HO or opp.state == Opportunity.State.RETURNED
                    to_bd = opp.kind == K.PO
                    recipients = list(partner_users.get(opp.partner_id, [])) if to_partner else []
                    if to_bd:
                        recipients += [
                            u for u in bd_users if u.pk not in {r.pk for r in recipients}
                        ]
                    deadline = timezone.localtime(opp.deadline).strftime("%Y-%m-%d %H:%M")
                    if opp.kind == K.HO:
                        title = msg(
                            "Accept or decline HO #%(id)s by %(deadline)s",
                            id=opp.pk,
                            deadline=deadline,
                        )
                        body = msg(
                            "One working day left: %(customer)s. Without an answer the HO is "
                            "declined automatically and goes back to the vendor.",
                            customer=opp.customer_name,
                        )
                    else:
                        title = msg(
                            "PO #%(id)s must be verified by %(deadline)s",
                            id=opp.pk,
                            deadline=deadline,
                        )
                        body = msg(
                            "One working day left: %(customer)s, %(project)s. Without a decision "
                            "the PO is rejected automatically.",
                            customer=opp.customer_name,
                            project=opp.project_name,
                        )
                    notify(
                        recipients=recipients,
                        kind="opportunities.deadline_reminder",
                        title=title,
                        body=body,
                        link=reverse("opportunities:detail", args=[opp.pk]),
                    )
                    rows.append(
                        PendingEvent(
                            subject_id=opp.pk,
                            partner_id=opp.partner_id,
                            data={"recipients": len(recipients)},
                        )
                    )
            record_events_bulk(
                model=Opportunity, verb=Verb.OPPORTUNITY_REMINDER_SENT, rows=rows, at=now
            )
            sent += len(due)


# ---- Calendar changes (R4.3) -------------------------------------------------------------


def clock_start(opp: Opportunity) -> datetime | None:
    """When the item's clock started: PO submission, HO sharing (a resubmission keeps it)."""
    return opp.submitted_at if opp.kind == K.PO else opp.shared_at


def recompute_deadlines(dates, *, actor=None, now: datetime | None = None) -> int:
    """Recompute the deadline and reminder of every open item whose clock runs over one of
    `dates` (days whose working status changed), from its clock start; record the move and
    tell the partner. Returns how many deadlines moved. Runs in the calendar change's
    transaction, so the sweep never sees a stale deadline."""
    from .services import partner_recipients

    dates = sorted(set(dates))
    if not dates:
        return 0
    now = now or timezone.now()
    candidates = list(
        Opportunity.objects.select_for_update()
        .filter(state__in=SLA_OPEN_STATES, deadline__gte=start_of_day(dates[0]))
        .order_by("id")
    )
    moved = []
    for opp in candidates:
        start = clock_start(opp)
        if start is None:
            continue
        start_day = start.astimezone(SHANGHAI).date()
        last_day = opp.deadline.astimezone(SHANGHAI).date()
        if not any(start_day < d <= last_day for d in dates):
            continue
        deadline, remind_at = clock(start, opp.kind)
        if deadline == opp.deadline:
            continue
        moved.append((opp, opp.deadline, deadline, remind_at))
    if not moved:
        return 0
    for opp, _old, deadline, remind_at in moved:
        changes = {"deadline": deadline, "remind_at": remind_at}
        if opp.reminded_at and remind_at > now:
            changes["reminded_at"] = None  # the reminder is due again, at the new moment
        Opportunity.objects.filter(pk=opp.pk).update(**changes)
    record_events_bulk(
        model=Opportunity,
        verb=Verb.OPPORTUNITY_DEADLINE_MOVED,
        rows=(
            PendingEvent(
                subject_id=opp.pk,
                partner_id=opp.partner_id,
                reason=(f"deadline moved from {_local(old)} to {_local(new)}: calendar changed"),
                data={"from": old.isoformat(), "to": new.isoformat()},
            )
            for opp, old, new, _r in moved
        ),
        actor=actor,
        actor_label="" if actor else SYSTEM,
        at=now,
    )
    from partner_center.notifications.services import notify_bulk

    users = partner_recipients({opp.partner_id for opp, *_rest in moved})
    notify_bulk(
        (
            users.get(opp.partner_id, []),
            "opportunities.deadline_moved",
            msg("The deadline of #%(id)s moved to %(new)s", id=opp.pk, new=_local(new)),
            msg(
                "The working-day calendar changed: the deadline moved from %(old)s to "
                "%(new)s (%(customer)s).",
                old=_local(old),
                new=_local(new),
                customer=opp.customer_name,
            ),
            reverse("opportunities:detail", args=[opp.pk]),
        )
        for opp, old, new, _r in moved
    )
    return len(moved)


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def on_calendar_changed(sender, *, dates, actor=None, **kwargs) -> None:
    recompute_deadlines(dates, actor=actor)
    from . import protection

    protection.recompute_reminders(dates)


def is_provisional(opp: Opportunity, cache: dict | None = None) -> bool:
    """Whether the item's running deadline counts over days of a year whose official
    schedule is not known yet (R4.3): the deadline may still move. Lists pass a `cache`
    (one answer per clock start day and kind)."""
    start = clock_start(opp)
    if not opp.clock_running or start is None or opp.deadline is None:
        return False
    first = start.astimezone(SHANGHAI).date()
    last = opp.deadline.astimezone(SHANGHAI).date()
    # Without a year the packaged calendar lacks, nothing is provisional (no query).
    if all(packaged_calendar_covers(y) for y in range(first.year, last.year + 1)):
        return False
    if cache is None:
        return is_provisional_span(first, SLA_WORKING_DAYS[opp.kind])
    key = (first, opp.kind)
    if key not in cache:
        cache[key] = is_provisional_span(first, SLA_WORKING_DAYS[opp.kind])
    return cache[key]
