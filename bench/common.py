"""Shared helpers for benchmarks: a database of their own, gunicorn on loopback, a load client."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def django_setup(settings: str = "bench.settings") -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def fresh_database() -> None:
    """Create (or recreate) the bench database and migrate it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    name = settings.DATABASES["default"]["NAME"]
    connection.close()
    import psycopg

    admin = psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    call_command("migrate", verbosity=0)


def solution_provider(name: str, credit_code: str, email: str, *, admin: bool = False):
    """A solution-provider partner made through the services (after `django_setup`); with
    `admin`, also its partner admin (e-mail `email`), as (partner, user)."""
    from partner_center.accounts.permissions import PartnerType, Role
    from partner_center.accounts.services import partner_create, user_create
    from partner_center.accounts.uscc import make_uscc

    partner = partner_create(
        actor=None,
        name=name,
        credit_code=make_uscc(credit_code),
        contact_email=email,
        types=[PartnerType.SOLUTION_PROVIDER],
    )
    if not admin:
        return partner
    user = user_create(email=email, password="x-Bench-1", role=Role.PARTNER_ADMIN, partner=partner)
    return partner, user


def signed_in_session(user) -> str:
    """The key of a stored session in which `user` is signed in (the cookie's value)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    # the e-mail backend (the first is the lockout check, which has no get_user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, workers: int = 2, settings: str = "bench.settings"):
        self.port = free_port()
        env = dict(os.environ, DJANGO_SETTINGS_MODULE=settings, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(  # noqa: S603
            [
                str(Path(PY).parent / "gunicorn"),
                "partner_center.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "error",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.5).close()
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def load(
    url: str, seconds: int, headers: dict[str, str] | None = None, connections: int = 4
) -> float:
    """Requests per second of successful responses, with wrk (Debian package) on loopback."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise SystemExit("wrk is needed for this benchmark: apt-get install wrk")
    args = [wrk, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency"]
    for key, value in (headers or {}).items():
        args += ["-H", f"{key}: {value}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise RuntimeError(f"{url} answered errors:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
