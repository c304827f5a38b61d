from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from . import mfa, sessions


@receiver(user_logged_in, dispatch_uid="security-session-started")
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    sessions.session_started(request, user)
    mfa.on_password_login(request, user)


@receiver(user_logged_out, dispatch_uid="security-session-ended")
def _signed_out(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.session_ended(request, user)
