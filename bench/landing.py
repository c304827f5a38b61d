"""The partner landing page against a bare Django view, under the same gunicorn on loopback.

Prints requests/s of each and the ratio landing/bare (1.0 would mean the page costs nothing
beyond Django itself). Usage: .venv/bin/python bench/landing.py [seconds per run]"""

import sys

from common import Gunicorn, django_setup, fresh_database, load


def main(seconds: int) -> None:
    django_setup()
    fresh_database()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from partner_center.accounts.permissions import PartnerType, Role
    from partner_center.accounts.services import partner_create, user_create
    from partner_center.accounts.uscc import make_uscc

    partner = partner_create(
        actor=None,
        name="基准测试伙伴有限公司",
        credit_code=make_uscc("91110108MA01BENCH"),
        contact_email="bench@partner.test",
        types=[PartnerType.SOLUTION_PROVIDER],
    )
    user = user_create(
        email="bench@partner.test", password="x-Bench-1", role=Role.PARTNER_ADMIN, partner=partner
    )
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[
        -1
    ]  # the e-mail backend (the first is the lockout check, which has no get_user)
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
        "Accept-Language": "zh-CN",
    }

    server = Gunicorn(workers=2)
    try:
        load(f"{server.url}/bench/bare/", 2, cookie)  # warm up both
        load(f"{server.url}/", 2, cookie)
        bare = load(f"{server.url}/bench/bare/", seconds, cookie)
        page = load(f"{server.url}/", seconds, cookie)
    finally:
        server.stop()
    print(f"bare Django view   {bare:10.1f} req/s")
    print(f"partner landing    {page:10.1f} req/s")
    print(f"ratio landing/bare {page / bare:10.3f}  (bare/landing = {bare / page:.2f}x slower)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
