"""Pages under "My partner": the partner's webhook endpoints (register, change, rotate the
secret, delete), their deliveries with each attempt, redelivery by hand."""

import json

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partner_center.accounts.access import capability_required
from partner_center.errors import DomainError
from partner_center.paging import Paginator
from partner_center.views_common import posted

from . import selectors, services
from .event_types import EventType
from .events import envelope
from .forms import EndpointForm
from .permissions import MANAGE_OWN_WEBHOOKS

SECRET_SESSION_KEY = "webhooks.new_secret"


def _partner_of(request):
    if request.user.partner is None:
        raise Http404
    return request.user.partner


def _show_secret_once(request, endpoint_pk: int, secret: str) -> None:
    request.session[SECRET_SESSION_KEY] = {"endpoint": endpoint_pk, "secret": secret}


def _type_labels(endpoint) -> list[str]:
    labels = dict(EventType.choices)
    return [str(labels.get(t, t)) for t in endpoint.event_types]


@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_list(request):
    _partner_of(request)
    endpoints = list(selectors.endpoints_for(request.user))
    for endpoint in endpoints:
        endpoint.type_labels = _type_labels(endpoint)
    return render(
        request,
        "webhooks/endpoint_list.html",
        {
            "page_title": _("Webhooks"),
            "endpoints": endpoints,
            "max_endpoints": services.MAX_ENDPOINTS_PER_PARTNER,
        },
    )


@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_create(request):
    partner = _partner_of(request)
    form = EndpointForm(request.POST if request.method == "POST" else None)

    def create(data):
        endpoint, secret = services.endpoint_create(actor=request.user, partner=partner, **data)
        _show_secret_once(request, endpoint.pk, secret)
        return endpoint

    return posted(
        request,
        form,
        create,
        message=_("Endpoint registered."),
        done=lambda endpoint: reverse("webhooks:detail", kwargs={"pk": endpoint.pk}),
    ) or render(
        request,
        "webhooks/endpoint_form.html",
        {"page_title": _("Register an endpoint"), "form": form},
    )


@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_edit(request, pk):
    endpoint = selectors.get_endpoint_for_user(request.user, pk)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": endpoint.event_types,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(request.POST if request.method == "POST" else None, initial=initial)
    return posted(
        request,
        form,
        lambda data: services.endpoint_update(actor=request.user, endpoint=endpoint, **data),
        message=_("Endpoint saved."),
        done=reverse("webhooks:detail", kwargs={"pk": endpoint.pk}),
    ) or render(
        request,
        "webhooks/endpoint_form.html",
        {"page_title": _("Change the endpoint"), "form": form, "endpoint": endpoint},
    )


@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_detail(request, pk):
    endpoint = selectors.get_endpoint_for_user(request.user, pk)
    shown = request.session.get(SECRET_SESSION_KEY)
    new_secret = ""
    if shown and shown.get("endpoint") == endpoint.pk:
        new_secret = shown["secret"]
        del request.session[SECRET_SESSION_KEY]  # shown once
    deliveries = Paginator(selectors.deliveries_for(request.user, endpoint=endpoint), 20)
    endpoint.type_labels = _type_labels(endpoint)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {
            "page_title": endpoint.url,
            "endpoint": endpoint,
            "new_secret": new_secret,
            "page_obj": deliveries.get_page(request.GET.get("page")),
        },
    )


@require_POST
@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_rotate_secret(request, pk):
    endpoint = selectors.get_endpoint_for_user(request.user, pk)
    secret = services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
    _show_secret_once(request, endpoint.pk, secret)
    messages.success(request, _("A new signing secret was made; the old one no longer works."))
    return redirect("webhooks:detail", pk=endpoint.pk)


@require_POST
@capability_required(MANAGE_OWN_WEBHOOKS)
def endpoint_delete(request, pk):
    endpoint = selectors.get_endpoint_for_user(request.user, pk)
    services.endpoint_delete(actor=request.user, endpoint=endpoint)
    messages.success(request, _("Endpoint deleted."))
    return redirect("webhooks:list")


@capability_required(MANAGE_OWN_WEBHOOKS)
def delivery_detail(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk)
    return render(
        request,
        "webhooks/delivery_detail.html",
        {
            "page_title": _("Delivery #%(id)s") % {"id": delivery.pk},
            "delivery": delivery,
            "attempts": selectors.attempts_of(delivery),
            "body": json.dumps(envelope(delivery.event), ensure_ascii=False, indent=2),
        },
    )


@require_POST
@capability_required(MANAGE_OWN_WEBHOOKS)
def delivery_redeliver(request, pk):
    delivery = selectors.get_delivery_for_user(request.user, pk)
    try:
        again = services.delivery_redeliver(actor=request.user, delivery=delivery)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("webhooks:delivery_detail", pk=delivery.pk)
    messages.success(request, _("Delivery #%(id)s queued.") % {"id": again.pk})
    return redirect("webhooks:detail", pk=delivery.endpoint_id)
