"""The API keys page: the partner's keys (partner admin) or the user's own keys (staff);
create one (shown once, on the answer to the create), revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required
from partner_center.errors import DomainError

from . import services
from .forms import ApiKeyForm
from .permissions import MANAGE_API_KEYS
from .selectors import keys_for


@capability_required(MANAGE_API_KEYS)
def key_list(request):
    form = ApiKeyForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            key, full = services.create_key(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            exc.add_to_form(form)
        else:
            created = {"key": key, "full": full}
            form = ApiKeyForm()
    return render(
        request,
        "apikeys/keys.html",
        {
            "page_title": _("API keys"),
            "form": form,
            "created": created,
            "keys": list(keys_for(request.user)),
            "for_partner": bool(request.user.partner_id),
        },
    )


@require_POST
@capability_required(MANAGE_API_KEYS)
def key_revoke(request, pk: int):
    key = get_object_or_404(keys_for(request.user), pk=pk)
    services.revoke_key(actor=request.user, key=key)
    messages.success(request, _("The key %(label)s is revoked.") % {"label": key.label})
    return redirect("apikeys:list")
