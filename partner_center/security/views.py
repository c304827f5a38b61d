"""Pages of the signed-in user's security: second factor, trusted browsers, sessions, and
the partner admin's "require a second factor" switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.permissions import MANAGE_PARTNER_PROFILE
from partner_center.errors import DomainError

from . import mfa, sessions
from .forms import ConfirmAuthenticatorForm, PartnerMfaForm, VerifyForm
from .models import TrustedDevice


def _next_url(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    from django.urls import reverse

    return reverse(default)


@login_required
def overview(request):
    user = request.user
    current = sessions.current_digest(request)
    idle = sessions.idle_timeout(user)
    context = {
        "page_title": _("Sign-in and security"),
        "has_mfa": mfa.has_mfa(user),
        "mfa_required": mfa.mfa_required(user),
        "codes_left": mfa.recovery_codes_left(user),
        "trusted_count": TrustedDevice.objects.filter(user=user).count(),
        "trust_days": settings.MFA_TRUST_DAYS,
        "sessions": [(row, row.key_digest == current) for row in sessions.active_sessions(user)],
        "idle_minutes": int(idle.total_seconds() // 60) if idle else None,
    }
    if user.partner_id and MANAGE_PARTNER_PROFILE.allows(user):
        context["partner_form"] = PartnerMfaForm(initial={"required": user.partner.mfa_required})
    return render(request, "security/overview.html", context)


@login_required
def mfa_setup(request):
    user = request.user
    if _needs_code(request):
        return redirect("security:mfa_verify")
    device = mfa.authenticator_start(user=user)
    form = ConfirmAuthenticatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.authenticator_confirm(
                request=request, device=device, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            return render(
                request,
                "security/recovery_codes.html",
                {
                    "page_title": _("Your recovery codes"),
                    "codes": codes,
                    "next": _next_url(request),
                    "just_enabled": True,
                    "hide_menu": True,
                },
            )
    return render(
        request,
        "security/mfa_setup.html",
        {
            "page_title": _("Set up two-factor sign-in"),
            "form": form,
            "qr": mfa.qr_svg(device),
            "secret": mfa.secret_base32(device),
            "required": mfa.mfa_required(user),
            # Until the second factor is set up the menu leads nowhere: hide it.
            "hide_menu": not user.is_verified(),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


def _needs_code(request) -> bool:
    """Changing the second factor needs a session that passed it (if the user has one)."""
    return mfa.has_mfa(request.user) and not request.user.is_verified()


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


@login_required
def mfa_verify(request):
    user = request.user
    if not mfa.has_mfa(user):
        return redirect("security:mfa_setup")
    form = VerifyForm(request.POST or None, trust_days=settings.MFA_TRUST_DAYS)
    if request.method == "POST" and form.is_valid():
        try:
            ok = mfa.verify(request=request, code=form.cleaned_data["code"])
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            if ok:
                response = redirect(_next_url(request))
                if form.cleaned_data["trust"]:
                    mfa.trust_this_device(request=request, response=response)
                return response
            form.add_error("code", _("The code is not right. Try the newest code."))
    return render(
        request,
        "security/mfa_verify.html",
        {
            "page_title": _("Two-factor sign-in"),
            "hide_menu": True,
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@login_required
@require_POST
def recovery_codes(request):
    if not mfa.has_mfa(request.user):
        return redirect("security:mfa_setup")
    if _needs_code(request):
        return redirect("security:mfa_verify")
    codes = mfa.recovery_codes_issue(user=request.user)
    return render(
        request,
        "security/recovery_codes.html",
        {
            "page_title": _("Your recovery codes"),
            "codes": codes,
            "next": _reverse("security:overview"),
        },
    )


@login_required
@require_POST
def mfa_off(request):
    if _needs_code(request):
        return redirect("security:mfa_verify")
    try:
        mfa.mfa_disable(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Two-factor sign-in is off for your account."))
    return redirect("security:overview")


@login_required
@require_POST
def forget_trusted(request):
    mfa.trusted_devices_forget(user=request.user)
    response = redirect("security:overview")
    response.delete_cookie(mfa.TRUST_COOKIE)
    messages.success(request, _("No browser is trusted any more: each asks for a code."))
    return response


@login_required
@require_POST
def sign_out_others(request):
    count = sessions.sign_out_other_sessions(request=request)
    messages.success(request, _("Signed out of %(count)s other sessions.") % {"count": count})
    return redirect("security:overview")


@login_required
@require_POST
def sign_out_all(request):
    sessions.sign_out_everywhere(request=request)
    messages.success(request, _("You were signed out everywhere."))
    return redirect("login")


@login_required
@require_POST
def partner_policy(request):
    user = request.user
    if not MANAGE_PARTNER_PROFILE.allows(user):
        raise PermissionDenied
    form = PartnerMfaForm(request.POST)
    if form.is_valid():
        try:
            mfa.partner_mfa_set(
                actor=user, partner=user.partner, required=form.cleaned_data["required"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            if form.cleaned_data["required"]:
                messages.success(
                    request, _("Every user of your company now needs a second factor.")
                )
            else:
                messages.success(request, _("A second factor is now optional for your users."))
    return redirect("security:overview")
