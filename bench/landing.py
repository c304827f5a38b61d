"""The partner landing page against a bare Django view, under the same gunicorn on loopback.

Prints requests/s of each and the ratio landing/bare (1.0 would mean the page costs nothing
beyond Django itself). Usage: .venv/bin/python bench/landing.py [seconds per run]"""

import sys

from common import (
    Gunicorn,
    django_setup,
    fresh_database,
    load,
    signed_in_session,
    solution_provider,
)


def main(seconds: int) -> None:
    django_setup()
    fresh_database()
    from django.conf import settings

    _partner, user = solution_provider(
        "基准测试伙伴有限公司", "91110108MA01BENCH", "bench@partner.test", admin=True
    )
    cookie = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={signed_in_session(user)}",
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
