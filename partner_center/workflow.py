"""The one lifecycle mechanism: every entity with states declares a `Lifecycle` here.

A lifecycle is a table of transitions (name, the states it may start from, the state it
leads to, who takes it, the label the timeline shows). `Lifecycle.apply` is the only way a
single object changes state: it takes the row lock, checks the current state against the
table, saves the changed fields with `update_fields` and records the event with the table's
label. Sweeps that end many rows at once use `Lifecycle.apply_bulk` (one UPDATE, events
inserted in bulk). Pages, timelines and buttons ask the table (`can`, `allowed`,
`verb_label`), never compare state strings themselves.

Event verbs are `<lifecycle key>.<transition name>` (or `<key>.<event>` when a row names its
event, to keep verbs written before the table existed); `verb_label()` finds the label of any
verb of any registered lifecycle, so a timeline mixing entities reads one table. A model with
several lifecycles (POs and HO shares are both `Opportunity` rows) tells them apart with
`where` ({field: value} on the object)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center.errors import DomainError


class By:
    """Who takes a transition (a table's `by` column)."""

    PARTNER = "partner"  # a user of the partner that owns the object
    VENDOR = "vendor"  # vendor staff: BD, certification specialist or admin
    BD = "bd"  # vendor BD staff (or an admin)
    REVIEWER = "reviewer"  # a certification specialist (or an admin)
    ORGANIZER = "organizer"  # a reviewer, or the partner's PDM
    SYSTEM = "system"  # a periodic task or another service acting on its own
    ANYONE = "anyone"  # the services decide who (for example the invited person)


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str | None  # None: the step changes data but not the state
    by: str
    label: Any  # lazy text shown on the timeline
    event: str = ""  # the verb's suffix when it is not the transition's name

    @property
    def verb_suffix(self) -> str:
        return self.event or self.name

    def leads_to(self, current: str) -> str:
        return current if self.target is None else self.target


def t(
    name: str,
    sources: Iterable[str],
    target: str | None,
    by: str,
    label: Any,
    *,
    event: str = "",
) -> Transition:
    """Shorthand for a table row."""
    return Transition(name, frozenset(sources), target, by, label, event)


REGISTRY: dict[str, Lifecycle] = {}


@dataclass
class Lifecycle:
    """The transitions of one model's `state_field`. `key` prefixes the event verbs."""

    key: str
    model: type[models.Model]
    transitions: list[Transition]
    state_field: str = "state"
    # Transitions whose state change is also an initial step (created in that state):
    # `record_created` writes their event without a state check.
    initial: tuple[str, ...] = ()
    # For a model with several lifecycles: the field values that make an object this one's.
    where: dict[str, Any] = field(default_factory=dict)
    # Pages and buttons (`can`, `allowed`) may read the state as the user sees it from another
    # attribute (an invitation whose link ran out reads "expired" before the sweep stores
    # it); `check` and `apply` always use the stored state.
    shown_state: str = ""
    table: dict[str, Transition] = field(init=False)
    by_verb: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        self.table = {tr.name: tr for tr in self.transitions}
        if len(self.table) != len(self.transitions):
            raise ValueError(f"lifecycle {self.key}: duplicate transition names")
        self.by_verb = {}
        for tr in self.transitions:
            first = self.by_verb.setdefault(tr.verb_suffix, tr)
            # Two rows may write the same event (a rule's variant of a step), never with
            # two labels: the timeline shows one label per verb.
            if str(first.label) != str(tr.label):
                raise ValueError(f"lifecycle {self.key}: {tr.verb_suffix} has two labels")
        unknown = [n for n in self.initial if n not in self.table]
        if unknown:
            raise ValueError(f"lifecycle {self.key}: unknown initial transitions {unknown}")
        if self.key in REGISTRY and REGISTRY[self.key].model is not self.model:
            raise ValueError(f"lifecycle {self.key} declared twice")
        REGISTRY[self.key] = self

    def describes(self, obj) -> bool:
        """Whether `obj` follows this lifecycle (its model, and the `where` values)."""
        return isinstance(obj, self.model) and all(
            getattr(obj, k) == v for k, v in self.where.items()
        )

    # ---- reading the table ---------------------------------------------------------------

    def __getitem__(self, name: str) -> Transition:
        return self.table[name]

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def shown_state_of(self, obj) -> str:
        return getattr(obj, self.shown_state or self.state_field)

    def can(self, obj, name: str) -> bool:
        tr = self.table.get(name)
        return bool(tr and self.describes(obj) and self.shown_state_of(obj) in tr.sources)

    def allowed(self, obj, by: str | None = None) -> set[str]:
        current = self.shown_state_of(obj)
        return {
            tr.name
            for tr in self.transitions
            if current in tr.sources and (by is None or tr.by == by)
        }

    def sources(self, name: str) -> frozenset[str]:
        return self.table[name].sources

    def verb(self, name: str) -> str:
        """The event verb transition `name` writes."""
        return f"{self.key}.{self.table[name].verb_suffix}"

    def label(self, name: str) -> str:
        return str(self.table[name].label)

    @property
    def verbs(self) -> list[str]:
        return [self.verb(tr.name) for tr in self.transitions]

    def state_label(self, code: str) -> str:
        if not code:
            return ""
        field = self.model._meta.get_field(self.state_field)
        choices = dict(getattr(field, "choices", None) or ())
        return str(choices.get(code, code))

    def check(self, obj, name: str) -> Transition:
        """The transition, or a DomainError (code `wrong_state`) saying why not now."""
        tr = self.table.get(name)
        if tr is None or not self.describes(obj):
            raise DomainError(_("This action does not apply here."), code="wrong_state")
        if self.state_of(obj) not in tr.sources:
            raise DomainError(
                _("This is not possible while the state is “%(state)s”.")
                % {"state": self.state_label(self.state_of(obj))},
                code="wrong_state",
            )
        return tr

    # ---- changing state ------------------------------------------------------------------

    def apply(
        self,
        obj,
        name: str,
        *,
        actor,
        changes: dict | None = None,
        reason: str = "",
        data: dict | None = None,
        actor_label: str = "",
        locked: bool = False,
        at=None,
        partner_id: int | None = None,
    ):
        """Take transition `name` on `obj`: lock the row (unless the caller already did,
        `locked=True`), check the table against the state in the database, save `changes`
        and the new state with `update_fields`, record the event. Returns the event."""
        from partner_center.audit.services import record_event

        refused: DomainError | None = None
        with transaction.atomic(savepoint=False):
            if not locked:
                current = (
                    type(obj)
                    ._default_manager.select_for_update()
                    .values_list(self.state_field, flat=True)
                    .get(pk=obj.pk)
                )
                setattr(obj, self.state_field, current)
            try:
                tr = self.check(obj, name)
            except DomainError as exc:
                # Raised once the block is left: a refusal must not break the caller's
                # transaction (an exception inside a savepoint-less block would).
                refused = exc
            else:
                from_state = self.state_of(obj)
                to_state = tr.leads_to(from_state)
                fields = []
                for fname, value in (changes or {}).items():
                    setattr(obj, fname, value)
                    fields.append(fname)
                moved = to_state != from_state
                if moved:
                    setattr(obj, self.state_field, to_state)
                    fields.append(self.state_field)
                if fields:
                    obj.save(update_fields=fields)
                return record_event(
                    actor=actor,
                    subject=obj,
                    verb=self.verb(name),
                    from_state=from_state if moved else "",
                    to_state=to_state if moved else "",
                    reason=reason,
                    data=data,
                    actor_label=actor_label,
                    at=at,
                    partner_id=partner_id,
                )
        raise refused

    def record_created(
        self, obj, name: str, *, actor, reason: str = "", data: dict | None = None, at=None
    ):
        """The event of an initial transition: `obj` was just created in its first state."""
        from partner_center.audit.services import record_event

        if name not in self.initial:
            raise ValueError(f"{self.key}.{name} is not an initial transition")
        return record_event(
            actor=actor,
            subject=obj,
            verb=self.verb(name),
            to_state=self.state_of(obj),
            reason=reason,
            data=data,
            at=at,
        )

    def apply_bulk(
        self,
        queryset: models.QuerySet,
        name: str,
        *,
        actor=None,
        actor_label: str = "system",
        changes: dict | None = None,
        reason: str = "",
        partner_field: str | None = "partner_id",
        at=None,
    ) -> list[int]:
        """Move every row of `queryset` that is in a source state of `name` (one locked
        UPDATE), record one event per row moved; returns the ids moved. Idempotent: rows
        already moved are not in a source state any more."""
        from partner_center.audit.services import PendingEvent, record_events_bulk

        tr = self.table[name]
        if tr.target is None:
            raise ValueError("apply_bulk is for transitions that change the state")
        fields = ["pk", self.state_field] + ([partner_field] if partner_field else [])
        with transaction.atomic(savepoint=False):
            rows = list(
                queryset.filter(**{f"{self.state_field}__in": tr.sources})
                .select_for_update(skip_locked=True)
                .values_list(*fields)
            )
            if not rows:
                return []
            ids = [r[0] for r in rows]
            self.model._default_manager.filter(pk__in=ids).update(
                **{self.state_field: tr.target}, **(changes or {})
            )
            record_events_bulk(
                model=self.model,
                verb=self.verb(name),
                rows=(
                    PendingEvent(
                        subject_id=r[0],
                        partner_id=r[2] if partner_field else None,
                        from_state=r[1],
                        to_state=tr.target,
                        reason=str(reason),
                    )
                    for r in rows
                ),
                actor=actor,
                actor_label=actor_label,
                at=at or timezone.now(),
            )
            return ids


def lifecycle_of(obj_or_model) -> Lifecycle:
    """The lifecycle an object follows (for a model: its only lifecycle)."""
    if isinstance(obj_or_model, type):
        found = [lc for lc in REGISTRY.values() if lc.model is obj_or_model]
        if len(found) == 1:
            return found[0]
        raise LookupError(f"{len(found)} lifecycles for {obj_or_model.__name__}")
    for lc in REGISTRY.values():
        if lc.describes(obj_or_model):
            return lc
    raise LookupError(f"no lifecycle for {type(obj_or_model).__name__}")


def transition_of(verb: str) -> Transition | None:
    """The table row that writes `verb`, if a registered lifecycle does."""
    key, _sep, suffix = verb.partition(".")
    lc = REGISTRY.get(key)
    return lc.by_verb.get(suffix) if lc else None


def verb_label(verb: str) -> str:
    """The timeline label of any registered lifecycle's verb, or of a verb of the
    `audit.verbs.Verb` enum (the verb itself otherwise)."""
    tr = transition_of(verb)
    if tr:
        return str(tr.label)
    from partner_center.audit.verbs import Verb

    try:
        return str(Verb(verb).label)
    except ValueError:
        return verb


def apply(obj, name: str, **kwargs):
    """`lifecycle_of(obj).apply(obj, name, ...)`, for services handling several models."""
    return lifecycle_of(obj).apply(obj, name, **kwargs)


def check(obj, name: str) -> Transition:
    """`lifecycle_of(obj).check(obj, name)`: the transition, or DomainError wrong_state."""
    return lifecycle_of(obj).check(obj, name)


def allowed(obj, by: str | None = None) -> set[str]:
    return lifecycle_of(obj).allowed(obj, by)
