"""The demo's settings (partner_center.settings.dev): e-mail links follow DEMO_PORT, and
the product's own error pages are shown unless DEBUG is asked for."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def dev_settings(**env) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'DEBUG': s.DEBUG, 'URL': s.PORTAL_SITE_URL}))"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DEMO_PORT", "PORTAL_SITE_URL", "DATABASE_URL")
    }
    environment.update(DJANGO_SETTINGS_MODULE="partner_center.settings.dev", **env)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


def test_email_links_follow_the_demo_port():
    assert dev_settings(DEMO_PORT="8123")["URL"] == "http://127.0.0.1:8123"
    assert dev_settings()["URL"] == "http://127.0.0.1:8000"
    assert dev_settings(PORTAL_SITE_URL="https://pc.example")["URL"] == "https://pc.example"


def test_the_demo_shows_the_products_error_pages_unless_debug_is_asked_for():
    assert dev_settings()["DEBUG"] is False
    assert dev_settings(DEBUG="1")["DEBUG"] is True


def test_bin_demo_exports_the_port_to_web_worker_and_beat():
    script = (ROOT / "bin" / "demo").read_text()
    assert 'export DEMO_PORT="${DEMO_PORT:-8000}"' in script


def test_every_migration_runs_on_the_demos_sqlite(tmp_path):
    """The one-command demo migrates SQLite: no migration may need PostgreSQL-only SQL."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    environment.update(
        DJANGO_SETTINGS_MODULE="partner_center.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    )
    done = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
