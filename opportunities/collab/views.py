"""Pages of deal collaboration: the forms on the deal page post here. A success goes back to
the deal page (at the right section); a refusal renders the deal page again with the error
next to its field (status 400). Downloads go through an access-checked view."""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partner_center import uploads
from partner_center.accounts.access import capability_required
from partner_center.audit.services import record_event
from partner_center.audit.verbs import Verb
from partner_center.errors import DomainError
from partner_center.views_common import acted

from .. import selectors as opp_selectors
from ..permissions import COLLABORATE_ON_OPPORTUNITIES, VIEW_OPPORTUNITIES
from . import selectors, services


def _back(opp_pk: int, anchor: str):
    return redirect(reverse("opportunities:detail", args=[opp_pk]) + f"#{anchor}")


def _refused(request, opp_pk: int, exc: DomainError, form: str):
    """The deal page again, with the refusal next to the field of the form that sent it."""
    from ..views import opportunity_detail

    request.collab_errors = {"form": form, exc.field or "all": str(exc.message)}
    request.collab_values = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    return opportunity_detail(request, opp_pk)


def _date(value: str) -> date | None:
    with contextlib.suppress(ValueError):
        return date.fromisoformat((value or "").strip())
    return None


def _post_on_deal(request, pk: int, call, *, form: str, done: str, anchor: str):
    """A form posted on the deal page: `call(opp)` (a service); a refusal shows the page
    again with the form's values and the message next to its field."""
    opp = opp_selectors.opportunity_for_user(request.user, pk)
    try:
        call(opp)
    except DomainError as exc:
        return _refused(request, opp.pk, exc, form)
    messages.success(request, done)
    return _back(opp.pk, anchor)


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def comment_post(request, pk: int):
    return _post_on_deal(
        request,
        pk,
        lambda opp: services.comment_post(
            actor=request.user,
            opportunity=opp,
            body=request.POST.get("body", ""),
            mentions=request.POST.getlist("mentions"),
        ),
        form="comment",
        done=_("Comment posted."),
        anchor="comments",
    )


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def next_step_add(request, pk: int):
    return _post_on_deal(
        request,
        pk,
        lambda opp: services.next_step_add(
            actor=request.user,
            opportunity=opp,
            text=request.POST.get("text", ""),
            due_on=_date(request.POST.get("due_on", "")),
            assignee_id=request.POST.get("assignee") or None,
        ),
        form="next_step",
        done=_("Next step added."),
        anchor="next-steps",
    )


def _step_action(request, pk: int, call, done: str):
    step = selectors.next_step_for_user(request.user, pk)
    return acted(
        request,
        lambda: call(actor=request.user, step=step),
        message=done,
        done=reverse("opportunities:detail", args=[step.opportunity_id]) + "#next-steps",
    )


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def next_step_done(request, pk: int):
    return _step_action(request, pk, services.next_step_complete, _("Marked as done."))


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def next_step_reopen(request, pk: int):
    return _step_action(request, pk, services.next_step_reopen, _("Reopened."))


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def attachment_upload(request, pk: int):
    return _post_on_deal(
        request,
        pk,
        lambda opp: services.attachment_upload(
            actor=request.user,
            opportunity=opp,
            kind=request.POST.get("kind", ""),
            upload=request.FILES.get("file"),
        ),
        form="attachment",
        done=_("File attached."),
        anchor="files",
    )


@require_GET
@capability_required(VIEW_OPPORTUNITIES)
def attachment_download(request, pk: int):
    """Only those who can see the deal get the file (404 for everybody else)."""
    return serve(request, selectors.attachment_for_user(request.user, pk))


def serve(request, attachment):
    """The file as an attachment with its original name (page and API); a download is an
    event on the file."""
    try:
        handle = uploads.open_stored(attachment.path)
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    record_event(
        actor=request.user,
        subject=attachment,
        verb=Verb.ATTACHMENT_DOWNLOADED,
        partner_id=attachment.opportunity.partner_id,
    )
    return uploads.download_response(
        handle, filename=attachment.original_name, content_type=attachment.content_type
    )


@require_POST
@capability_required(COLLABORATE_ON_OPPORTUNITIES)
def attachment_delete(request, pk: int):
    attachment = selectors.attachment_for_user(request.user, pk)
    opp_pk = attachment.opportunity_id
    services.attachment_delete(actor=request.user, attachment=attachment)  # NotAllowed: 403
    messages.success(request, _("File deleted."))
    return _back(opp_pk, "files")
