"""Every write of deal collaboration: comments (with @mentions and notifications), next
steps, attachments. Each service checks its permission itself (`require`), so the page, the
API and the admin get the same rule.

Who may write: the partner's users on the partner's own deals, and BD (vendor staff with the
opportunities review role) on every deal [our rule R5.6]. Everyone who can see the deal
reads everything: there are no BD-only notes."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from partner_center import uploads
from partner_center.accounts.access import is_vendor_staff, require
from partner_center.accounts.models import User
from partner_center.accounts.permissions import PARTNER_ROLES, Role
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError, NotAllowed
from partner_center.notifications.messages import msg
from partner_center.notifications.recipients import bd_staff, partner_admins
from partner_center.notifications.services import notify
from partner_center.validators import check_date

from ..models import Opportunity
from ..permissions import COLLABORATE_ON_OPPORTUNITIES
from .models import COMMENT_MAX_CHARS, NEXT_STEP_MAX_CHARS, DealAttachment, DealComment, NextStep

# At most this many files on one deal [our rule R5.6].
MAX_ATTACHMENTS_PER_DEAL = 30
# `@owner` names the partner-side owner, `@bd` the BD owner (English and Chinese spellings).
MENTION_TOKENS = {
    "owner": "owner",
    "负责人": "owner",
    "bd": "bd_owner",
    "BD": "bd_owner",
}
_MENTION = re.compile(r"@(owner|bd|BD|负责人)(?![\w])")
EXCERPT_CHARS = 140


def _lock(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def _require(actor, opp: Opportunity) -> None:
    require(actor, COLLABORATE_ON_OPPORTUNITIES, partner_id=opp.partner_id)


def _link(opp: Opportunity) -> str:
    return reverse("opportunities:detail", args=[opp.pk])


def _active(users) -> list[User]:
    seen: dict[int, User] = {}
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return list(seen.values())


def _partner_users(opp: Opportunity) -> list[User]:
    return list(
        User.objects.filter(
            partner_id=opp.partner_id, role__in=list(PARTNER_ROLES), is_active=True
        ).order_by("full_name", "id")
    )


def _vendor_users() -> list[User]:
    return list(
        User.objects.filter(role__in=[Role.BD, Role.ADMIN], is_active=True).order_by(
            "full_name", "id"
        )
    )


def people_for(opp: Opportunity, actor) -> list[User]:
    """Whom `actor` may mention on or assign a step of this deal: the partner's users; for
    BD also the vendor's BD staff; for the partner also the deal's BD owner (shown to the
    partner as "BD owner", never by name)."""
    people = _partner_users(opp)
    if is_vendor_staff(actor):
        people += _vendor_users()
    elif opp.bd_owner_id and opp.bd_owner is not None:
        people.append(opp.bd_owner)
    return _active(people)


def _picked(opp: Opportunity, actor, ids, *, field: str) -> list[User]:
    ids = [int(i) for i in ids or [] if str(i).strip()]
    if not ids:
        return []
    allowed = {u.pk: u for u in people_for(opp, actor)}
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        raise DomainError(
            _("This person cannot be chosen on this deal."), field=field, code="unknown_person"
        )
    return [allowed[i] for i in dict.fromkeys(ids)]


# ---- Comments ----------------------------------------------------------------------------


def mentioned_in(opp: Opportunity, body: str) -> list[User]:
    """The owners named by `@owner` / `@bd` in the text (those the deal has)."""
    users = []
    for token in _MENTION.findall(body or ""):
        field = MENTION_TOKENS[token]
        user = getattr(opp, field)
        if user is not None:
            users.append(user)
    return _active(users)


def other_side(opp: Opportunity, *, vendor_wrote: bool) -> list[User]:
    """Who hears of a comment written by one side: the partner's owner and admins when BD
    wrote it; the deal's BD owner (all BD staff when the deal has none) when the partner
    wrote it."""
    if vendor_wrote:
        return _active([opp.owner, *partner_admins(opp.partner_id)])
    if opp.bd_owner is not None and opp.bd_owner.is_active:
        return [opp.bd_owner]
    return bd_staff()


def _who(author, *, vendor_wrote: bool, for_vendor: bool):
    """The author as the reader sees it: BD appears to partners as "Vendor BD"."""
    if vendor_wrote and not for_vendor:
        return msg("Vendor BD")
    return author.full_name or author.email


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


@transaction.atomic
def comment_post(*, actor, opportunity: Opportunity, body: str, mentions=()) -> DealComment:
    """Add a comment to the deal's thread. `@owner`/`@bd` in the text and the people picked
    in `mentions` (user ids) get a "mentioned you" notification; the other side gets a
    "new comment" notification; the author is never notified."""
    opp = Opportunity.objects.select_related("owner", "bd_owner", "partner").get(pk=opportunity.pk)
    _require(actor, opp)
    body = (body or "").replace("\x00", "").strip()
    if not body:
        raise DomainError(_("Write a comment."), field="body", code="required")
    if len(body) > COMMENT_MAX_CHARS:
        raise DomainError(
            _("A comment may have at most %(n)s characters.") % {"n": COMMENT_MAX_CHARS},
            field="body",
            code="too_long",
        )
    vendor = is_vendor_staff(actor)
    mentioned = _active(
        [*mentioned_in(opp, body), *_picked(opp, actor, mentions, field="mentions")]
    )
    mentioned = [u for u in mentioned if u.pk != actor.pk]
    comment = DealComment.objects.create(
        opportunity=opp,
        author=actor,
        by_vendor=vendor,
        body=body,
        mentioned=[u.pk for u in mentioned],
        created_at=timezone.now(),
    )
    _notify_comment(opp, comment, actor, mentioned)
    _publish_comment(comment)
    return comment


def _notify_comment(opp, comment, actor, mentioned: list[User]) -> None:
    vendor = comment.by_vendor
    excerpt = _excerpt(comment.body)
    mentioned_ids = {u.pk for u in mentioned}
    others = [
        u
        for u in other_side(opp, vendor_wrote=vendor)
        if u.pk != actor.pk and u.pk not in mentioned_ids
    ]
    for users, kind, title in (
        (
            mentioned,
            "opportunities.comment_mention",
            msg("%(who)s mentioned you on #%(id)s"),
        ),
        (others, "opportunities.comment_added", msg("%(who)s commented on #%(id)s")),
    ):
        # Vendor readers see the author's name; partner readers see "Vendor BD" for BD.
        for for_vendor in (True, False):
            group = [u for u in users if is_vendor_staff(u) == for_vendor]
            if not group:
                continue
            who = _who(actor, vendor_wrote=vendor, for_vendor=for_vendor)
            notify(
                recipients=group,
                kind=kind,
                title=title.with_params(who=who, id=opp.pk),
                body=msg("%(customer)s: %(text)s", customer=opp.customer_name, text=excerpt),
                link=_link(opp) + "#comments",
            )


def _publish_comment(comment: DealComment) -> None:
    """Tell the partner's webhooks and events feed (in this transaction)."""
    from partner_center.webhooks.events import publish

    opp = comment.opportunity
    publish(
        "comment.added",
        opp.partner_id,
        {
            "comment_id": comment.pk,
            "by_vendor": comment.by_vendor,
            "body": comment.body,
            "created_at": comment.created_at.isoformat(),
        },
        object=opp,
    )


# ---- Next steps --------------------------------------------------------------------------


@transaction.atomic
def next_step_add(
    *, actor, opportunity: Opportunity, text: str, due_on: date | None, assignee_id=None
) -> NextStep:
    """A next step on the deal, due on a day (today or later), for an optional person."""
    opp = Opportunity.objects.select_related("bd_owner").get(pk=opportunity.pk)
    _require(actor, opp)
    text = " ".join((text or "").replace("\x00", "").split())
    if not text:
        raise DomainError(_("Say what is to be done."), field="text", code="required")
    if len(text) > NEXT_STEP_MAX_CHARS:
        raise DomainError(_("At most %(n)s characters.") % {"n": NEXT_STEP_MAX_CHARS}, field="text")
    if due_on is None:
        raise DomainError(_("Choose the due date."), field="due_on", code="required")
    check_date(due_on, field="due_on")
    if due_on < timezone.localdate():
        raise DomainError(_("The due date cannot be in the past."), field="due_on")
    assignee = None
    if assignee_id not in (None, ""):
        assignee = _picked(opp, actor, [assignee_id], field="assignee")[0]
    step = NextStep.objects.create(
        opportunity=opp,
        text=text,
        due_on=due_on,
        assignee=assignee,
        created_by=actor,
        created_at=timezone.now(),
    )
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.NEXT_STEP_ADDED,
        reason=f"{text} · {due_on.isoformat()}",
        data={"next_step": step.pk, "due_on": due_on.isoformat()},
    )
    if assignee is not None and assignee.pk != actor.pk:
        notify(
            recipients=[assignee],
            kind="opportunities.next_step_assigned",
            title=msg("A next step on #%(id)s is yours, due %(due)s", id=opp.pk, due=due_on),
            body=msg("%(customer)s: %(text)s", customer=opp.customer_name, text=text),
            link=_link(opp) + "#next-steps",
        )
    return step


def _locked_step(step: NextStep) -> tuple[NextStep, Opportunity]:
    step = NextStep.objects.select_for_update().select_related("opportunity").get(pk=step.pk)
    return step, step.opportunity


@transaction.atomic
def next_step_complete(*, actor, step: NextStep) -> NextStep:
    return _set_done(actor, step, done=True)


@transaction.atomic
def next_step_reopen(*, actor, step: NextStep) -> NextStep:
    return _set_done(actor, step, done=False)


def _set_done(actor, step: NextStep, *, done: bool) -> NextStep:
    """Mark an open step done (`done`), or a done step open again, with an event."""
    step, opp = _locked_step(step)
    _require(actor, opp)
    if (step.done_at is not None) == done:
        refusal = _("This step is done already.") if done else _("This step is still open.")
        raise DomainError(refusal, code="wrong_state")
    step.done_at, step.done_by = (timezone.now(), actor) if done else (None, None)
    step.save(update_fields=["done_at", "done_by"])
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.NEXT_STEP_DONE if done else Verb.NEXT_STEP_REOPENED,
        reason=step.text,
        data={"next_step": step.pk},
    )
    return step


# ---- Attachments -------------------------------------------------------------------------


def attachment_upload(*, actor, opportunity: Opportunity, kind: str, upload) -> DealAttachment:
    """Check the file with the shared upload module (before anything is written), store it
    under a generated name and record it on the deal."""
    # The permission first: an outsider learns nothing, not even what is wrong with a file.
    _require(actor, opportunity)
    if kind not in DealAttachment.Kind.values:
        raise DomainError(_("Choose what kind of file this is."), field="kind", code="required")
    checked = uploads.check_upload(upload, field="file")
    with transaction.atomic():
        opp = _lock(opportunity)
        _require(actor, opp)
        if DealAttachment.objects.filter(opportunity=opp).count() >= MAX_ATTACHMENTS_PER_DEAL:
            raise DomainError(
                _("A deal may have at most %(n)s files; delete one first.")
                % {"n": MAX_ATTACHMENTS_PER_DEAL},
                field="file",
                code="too_many",
            )
        path = uploads.store(upload, checked, folder="opportunities/attachments")
        try:
            attachment = DealAttachment.objects.create(
                opportunity=opp,
                kind=kind,
                path=path,
                **checked.stored_fields(),
                uploaded_by=actor,
                by_vendor=is_vendor_staff(actor),
                uploaded_at=timezone.now(),
            )
            record_event(
                actor=actor,
                subject=opp,
                verb=Verb.DEAL_ATTACHMENT_ADDED,
                reason=checked.original_name,
                data={"attachment": attachment.pk, "kind": kind},
            )
        except BaseException:
            uploads.delete_quietly(path)
            raise
    return attachment


def may_delete(actor, attachment: DealAttachment) -> bool:
    """The uploader, or an admin of the deal's partner [our rule R5.6]."""
    if not COLLABORATE_ON_OPPORTUNITIES.allows(actor):
        return False
    if attachment.uploaded_by_id == actor.pk:
        return True
    return actor.role == Role.PARTNER_ADMIN and actor.partner_id == (
        attachment.opportunity.partner_id
    )


@transaction.atomic
def attachment_delete(*, actor, attachment: DealAttachment) -> None:
    """Delete the file and its row (the file once the transaction commits); the deal's
    timeline keeps an event naming it."""
    attachment = (
        DealAttachment.objects.select_for_update()
        .select_related("opportunity")
        .get(pk=attachment.pk)
    )
    opp = attachment.opportunity
    _require(actor, opp)
    if not may_delete(actor, attachment):
        raise NotAllowed(_("Only the uploader or the partner's admin may delete this file."))
    path, name, kind = attachment.path, attachment.original_name, attachment.kind
    attachment.delete()
    record_event(
        actor=actor,
        subject=opp,
        verb=Verb.DEAL_ATTACHMENT_DELETED,
        reason=name,
        data={"kind": kind},
    )
    transaction.on_commit(lambda: uploads.delete_quietly(path))
