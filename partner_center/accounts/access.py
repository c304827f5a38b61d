"""Access in one place: who may see which rows, and the helpers views use to fetch them.

A partner user sees only its own partner's rows; vendor staff (BD, specialists, admins)
see all. A partner never learns that another partner's object exists: 404, not 403."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.permissions import BasePermission

from .permissions import PARTNER_ROLES, VENDOR_ROLES, Capability


def is_vendor_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in VENDOR_ROLES))


def scope_to_partner(qs: QuerySet, user, partner_field: str = "partner") -> QuerySet:
    """Rows of `qs` the user may see: its partner's rows, all rows for vendor staff."""
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if is_vendor_staff(user):
        return qs
    if user.role in PARTNER_ROLES and user.partner_id:
        return qs.filter(**{partner_field: user.partner_id})
    return qs.none()


def get_for_user(qs: QuerySet, user, *, partner_field: str = "partner", **lookup):
    """The object matching `lookup` among those the user may see, or 404."""
    obj = scope_to_partner(qs, user, partner_field).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def capability_required(cap: Capability):
    """View decorator: anonymous users go to the login page; users without `cap` get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not cap.allows(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_capability = cap
        return wrapped

    return decorator


def require(actor, cap: Capability, *, partner_id: int | None = None) -> None:
    """The one permission check of services: raise `NotAllowed` unless `actor` holds `cap`
    and, for a partner user, `partner_id` (the partner the action is about) is its own.
    Vendor staff holding `cap` may act on any partner. Every service that moves money or
    changes state calls this itself, whatever door called the service."""
    from partner_center.errors import NotAllowed

    if actor is None or not cap.allows(actor):
        raise NotAllowed
    if (
        partner_id is not None
        and getattr(actor, "role", None) in PARTNER_ROLES
        and actor.partner_id != partner_id
    ):
        raise NotAllowed


class NotAllowedMiddleware:
    """A service's `NotAllowed` that no view caught becomes a 403 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from partner_center.errors import NotAllowed

        if isinstance(exception, NotAllowed):
            raise PermissionDenied(str(exception.message)) from exception
        return None


class HasCapability(BasePermission):
    """DRF permission: the view names `required_capability` (or a dict per action)."""

    def has_permission(self, request, view) -> bool:
        cap = getattr(view, "required_capability", None)
        if isinstance(cap, dict):
            cap = cap.get(getattr(view, "action", None)) or cap.get("default")
        return bool(cap and cap.allows(request.user))
