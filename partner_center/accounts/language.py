"""The user's preferred language: the portal's pages after sign-in, their e-mails and their
notifications (rendered when read, see notifications/messages.py) follow it.

- The language switch (Django's set_language at /i18n/setlang/) also saves the choice for
  a signed-in user (`set_language` below).
- The notification settings page edits it (`language_set`).
- At sign-in the stored language is activated and written into the language cookie
  (`on_sign_in` + `LanguageCookieMiddleware`), so every device starts in it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from partner_center.errors import DomainError

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def language_set(*, actor, language: str) -> None:
    """Save `actor`'s preferred language (one of settings.LANGUAGES)."""
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Choose one of the offered languages."), field="language")
    if actor.language != language:
        actor.language = language
        actor.save(update_fields=["language"])


def preferred_language(user, fallback: str | None = None) -> str:
    """The language to write to `user` in: their choice, else `fallback` (the request's
    language), else the portal's default."""
    return getattr(user, "language", "") or fallback or settings.LANGUAGE_CODE


def set_language(request):
    """Django's language switch; a signed-in user's choice is also kept on their account."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = getattr(request, "user", None)
    if (
        request.method == "POST"
        and language in LANGUAGE_CODES
        and user is not None
        and user.is_authenticated
    ):
        language_set(actor=user, language=language)
    return response


def remember_language(request, language: str) -> None:
    """Use `language` for the rest of this request and write it into the language cookie
    (by the middleware, on the way out)."""
    translation.activate(language)
    request.LANGUAGE_CODE = language
    request._set_language_cookie = language


@receiver(user_logged_in, dispatch_uid="accounts-preferred-language")
def on_sign_in(sender, request, user, **kwargs):
    if request is not None and getattr(user, "language", ""):
        remember_language(request, user.language)


class LanguageCookieMiddleware:
    """Writes the language cookie chosen during the request (sign-in, settings page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "_set_language_cookie", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
