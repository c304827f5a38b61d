"""Pages: the partner profile (contact changes with a code, legal representative) and the
member list (invite, withdraw, unlink), plus the page where an invited person answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required, get_for_user
from partner_center.errors import DomainError
from partner_center.views_common import filtered_page, posted, row_action
from partner_center.workflow import verb_label

from . import services
from .filters import MembershipFilter
from .forms import CodeForm, InviteForm, LegalRepresentativeForm, NewEmailForm, NewPhoneForm
from .models import INVITATION_VALIDITY_DAYS, INVITATIONS_PER_DAY, ContactChange, Membership
from .permissions import ANSWER_INVITATION, MANAGE_MEMBERS, MANAGE_PROFILE, VIEW_PROFILE
from .selectors import memberships_for, pending_contact_changes, profile_history


def _labelled(events):
    for event in events:
        event.label = verb_label(event.verb)
        if event.data.get("from") is not None or event.data.get("to") is not None:
            event.reason = " → ".join(
                str(v) for v in (event.data.get("from") or "–", event.data.get("to") or "–")
            ) + (f" · {event.reason}" if event.reason else "")
    return events


def _partner_of(request):
    partner = request.user.partner
    if partner is None:
        raise Http404
    return partner


@capability_required(VIEW_PROFILE)
def profile(request):
    partner = _partner_of(request)
    return render(
        request,
        "members/profile.html",
        {
            "page_title": _("Partner profile"),
            "partner": partner,
            "can_edit": MANAGE_PROFILE.allows(request.user),
            "pending_changes": pending_contact_changes(partner),
            "events": _labelled(profile_history(partner)),
        },
    )


@capability_required(MANAGE_PROFILE)
def contact_change_start(request, channel):
    if channel not in ContactChange.Channel.values:
        raise Http404
    partner = _partner_of(request)
    form_class = NewEmailForm if channel == ContactChange.Channel.EMAIL else NewPhoneForm
    form = form_class(request.POST if request.method == "POST" else None)
    sent = posted(
        request,
        form,
        lambda data: services.contact_change_start(
            actor=request.user, partner=partner, channel=channel, new_value=data["new_value"]
        ),
        message=lambda change: _("We sent a code to %(to)s.") % {"to": change.masked_value},
        done=lambda change: reverse("members:contact_change", kwargs={"pk": change.pk}),
    )
    if sent:
        return sent
    title = (
        _("Change the contact e-mail")
        if channel == ContactChange.Channel.EMAIL
        else _("Change the contact phone")
    )
    return render(
        request,
        "members/contact_change_start.html",
        {"page_title": title, "form": form, "partner": partner, "channel": channel},
    )


@capability_required(MANAGE_PROFILE)
def contact_change(request, pk):
    change = get_for_user(ContactChange.objects.all(), request.user, pk=pk)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_change_confirm(
                actor=request.user, change=change, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            exc.add_to_form(form)
            change.refresh_from_db()
        else:
            messages.success(request, _("The new contact detail is in effect."))
            return redirect("members:profile")
    return render(
        request,
        "members/contact_change.html",
        {"page_title": _("Enter the confirmation code"), "change": change, "form": form},
    )


@require_POST
@capability_required(MANAGE_PROFILE)
def contact_change_cancel(request, pk):
    change = get_for_user(ContactChange.objects.all(), request.user, pk=pk)
    services.contact_change_cancel(actor=request.user, change=change)
    messages.info(request, _("The change was cancelled."))
    return redirect("members:profile")


@capability_required(MANAGE_PROFILE)
def legal_representative(request):
    partner = _partner_of(request)
    form = LegalRepresentativeForm(request.POST if request.method == "POST" else None)
    return posted(
        request,
        form,
        lambda data: services.partner_change_legal_representative(
            actor=request.user, partner=partner, name=data["name"], note=data["note"]
        ),
        message=_("The legal representative was changed and recorded."),
        done="members:profile",
    ) or render(
        request,
        "members/legal_representative.html",
        {"page_title": _("Change the legal representative"), "form": form, "partner": partner},
    )


@capability_required(MANAGE_MEMBERS)
def member_list(request):
    filterset = MembershipFilter(request.GET or None, queryset=memberships_for(request.user))
    return render(
        request,
        "members/member_list.html",
        {
            "page_title": _("Members"),
            "filter": filterset,
            "page_obj": filtered_page(request, filterset),
            "left_today": services.invitations_left_today(request.user.partner),
            "per_day": INVITATIONS_PER_DAY,
        },
    )


@capability_required(MANAGE_MEMBERS)
def member_invite(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    return posted(
        request,
        form,
        lambda data: services.member_invite(
            actor=request.user, partner=request.user.partner, email=data["email"]
        ),
        message=lambda membership: (
            _("Invitation sent to %(email)s. The link is valid for %(days)s days.")
            % {"email": membership.user.email, "days": INVITATION_VALIDITY_DAYS}
        ),
        done="members:list",
    ) or render(
        request,
        "members/member_invite.html",
        {
            "page_title": _("Invite a member"),
            "form": form,
            "left_today": services.invitations_left_today(request.user.partner),
        },
    )


def _membership_action(action, done_message):
    """A button on a member row: `action(request, membership)` (a service), then back to the
    list with `done_message(request)` about the person."""
    return row_action(
        MANAGE_MEMBERS,
        lambda user: Membership.objects.select_related("user"),
        action,
        message=lambda request, membership: done_message(request) % {"person": membership.user},
        done="members:list",
    )


member_unlink = _membership_action(
    lambda request, m: services.member_unlink(actor=request.user, membership=m),
    lambda request: _("%(person)s is no longer linked to your partner."),
)
member_withdraw = _membership_action(
    lambda request, m: services.invitation_withdraw(actor=request.user, membership=m),
    lambda request: _("The invitation to %(person)s was withdrawn."),
)


def _money_allowed(request) -> bool:
    return request.POST.get("allowed") == "1"


member_money = _membership_action(
    lambda request, m: services.member_set_money_grant(
        actor=request.user, membership=m, allowed=_money_allowed(request)
    ),
    lambda request: (
        _("%(person)s may now move money.")
        if _money_allowed(request)
        else _("%(person)s may no longer move money.")
    ),
)


@login_required
def invitation(request, token):
    """The page the invitation link opens: the invited person accepts or declines."""
    membership = services.invitation_by_token(token)
    if membership is None or membership.user_id != request.user.pk:
        # No such link, or a link for another account: say so without revealing whom for.
        return render(
            request,
            "members/invitation.html",
            {"page_title": _("Invitation"), "membership": None},
            status=404,
        )
    error = None
    if request.method == "POST":
        if not ANSWER_INVITATION.allows(request.user):
            error = _("Vendor staff accounts can't be linked to a partner.")
        else:
            try:
                if request.POST.get("answer") == "accept":
                    services.invitation_accept(actor=request.user, membership=membership)
                    messages.success(
                        request,
                        _("You are now a project specialist of %(partner)s.")
                        % {"partner": membership.partner},
                    )
                    return redirect("home")
                services.invitation_decline(actor=request.user, membership=membership)
                messages.info(request, _("You declined the invitation."))
                return redirect("notifications:list")
            except DomainError as exc:
                error = exc.message
    return render(
        request,
        "members/invitation.html",
        {"page_title": _("Invitation"), "membership": membership, "error": error},
    )
