"""Reads of deal collaboration for the deal page and the API: a fixed number of queries
whatever the number of comments, steps and files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from partner_center import uploads
from partner_center.accounts.access import get_for_user, is_vendor_staff, scope_to_partner
from partner_center.accounts.models import User

from ..models import Opportunity
from ..permissions import COLLABORATE_ON_OPPORTUNITIES
from . import services
from .models import DealAttachment, DealComment, NextStep

PARTNER_FIELD = "opportunity__partner"


def comments_of(opp: Opportunity) -> QuerySet[DealComment]:
    return DealComment.objects.filter(opportunity=opp).select_related("author")


def next_steps_of(opp: Opportunity) -> QuerySet[NextStep]:
    """Open steps first (the nearest due date first), then the done ones."""
    return (
        NextStep.objects.filter(opportunity=opp)
        .select_related("assignee")
        .order_by("done_at", "due_on", "id")
    )


def attachments_of(opp: Opportunity) -> QuerySet[DealAttachment]:
    return DealAttachment.objects.filter(opportunity=opp).select_related("uploaded_by")


def attachment_for_user(user, pk: int) -> DealAttachment:
    """A deal's file if the user may see the deal (404 otherwise)."""
    return get_for_user(
        DealAttachment.objects.select_related("opportunity"),
        user,
        partner_field=PARTNER_FIELD,
        pk=pk,
    )


def next_step_for_user(user, pk: int) -> NextStep:
    return get_for_user(
        NextStep.objects.select_related("opportunity"), user, partner_field=PARTNER_FIELD, pk=pk
    )


def attachments_for(user) -> QuerySet[DealAttachment]:
    return scope_to_partner(DealAttachment.objects.all(), user, PARTNER_FIELD)


def person_name(user: User | None, viewer, opp: Opportunity) -> str:
    """A person as the viewer may see them: partners never see BD by name."""
    if user is None:
        return _("System")
    if is_vendor_staff(viewer) or user.partner_id == opp.partner_id:
        return user.full_name or user.email
    if user.pk == opp.bd_owner_id:
        return _("BD owner")
    return _("Vendor BD")


@dataclass
class CommentEntry:
    """A comment in the deal's timeline (merged with its events by time)."""

    created_at: datetime
    who: str
    body: str
    by_vendor: bool
    mentioned: list[str] = field(default_factory=list)
    pk: int = 0
    is_comment: bool = True


def comment_entries(opp: Opportunity, viewer, comments=None) -> list[CommentEntry]:
    comments = list(comments if comments is not None else comments_of(opp))
    ids = {pk for c in comments for pk in c.mentioned or []}
    people = {u.pk: u for u in User.objects.filter(pk__in=ids)} if ids else {}
    return [
        CommentEntry(
            created_at=c.created_at,
            who=person_name(c.author, viewer, opp)
            if c.author_id
            else (_("Vendor BD") if c.by_vendor else _("Former user")),
            body=c.body,
            by_vendor=c.by_vendor,
            mentioned=[person_name(people[i], viewer, opp) for i in c.mentioned if i in people],
            pk=c.pk,
        )
        for c in comments
    ]


def merged_timeline(events: list, comments: list[CommentEntry]) -> list:
    """Events and comments in one list, oldest first (a comment after an event of the same
    second)."""
    return sorted(
        [*events, *comments], key=lambda e: (e.created_at, bool(getattr(e, "is_comment", False)))
    )


@dataclass
class StepRow:
    step: NextStep
    assignee: str


@dataclass
class FileRow:
    file: DealAttachment
    uploader: str
    deletable: bool


def deal_context(opp: Opportunity, viewer, timeline: list, *, request=None) -> dict:
    """What the deal page shows of the collaboration, and the forms' choices (with the
    errors and values of a refused form, which `views.py` puts on the request)."""
    may_write = COLLABORATE_ON_OPPORTUNITIES.allows(viewer)
    steps = [
        StepRow(s, person_name(s.assignee, viewer, opp) if s.assignee_id else "")
        for s in next_steps_of(opp)
    ]
    files = []
    for a in attachments_of(opp):
        a.opportunity = opp  # may_delete reads the deal's partner without a query
        files.append(
            FileRow(
                a,
                person_name(a.uploaded_by, viewer, opp),
                may_write and services.may_delete(viewer, a),
            )
        )
    people = (
        [(u.pk, person_name(u, viewer, opp)) for u in services.people_for(opp, viewer)]
        if may_write
        else []
    )
    return {
        "timeline": merged_timeline(timeline, comment_entries(opp, viewer)),
        "collab_may_write": may_write,
        "next_steps": steps,
        "open_steps": sum(1 for row in steps if not row.step.is_done),
        "deal_files": files,
        "collab_people": people,
        "attachment_kinds": DealAttachment.Kind.choices,
        "accept_files": uploads.accept_attribute(),
        "upload_formats": uploads.formats_text(),
        "collab_errors": getattr(request, "collab_errors", None) or {},
        "collab_values": getattr(request, "collab_values", None) or {},
    }
