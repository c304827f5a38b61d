from django.contrib.auth.backends import ModelBackend
from django.db.models import Prefetch

from .models import PartnerTypeMembership, User


def users_with_partner():
    """Users with their partner and its current types in two queries (every request)."""
    return User.objects.select_related("partner").prefetch_related(
        Prefetch(
            "partner__type_memberships",
            queryset=PartnerTypeMembership.objects.filter(exited_at__isnull=True),
        )
    )


class EmailBackend(ModelBackend):
    """Sign in with e-mail (case-insensitive); loads the partner once per request."""

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        email = (email or username or "").strip().lower()
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email=email)
        except User.DoesNotExist:
            User().set_password(password)  # same work either way: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        user = users_with_partner().filter(pk=user_id).first()
        return user if user and self.user_can_authenticate(user) else None
