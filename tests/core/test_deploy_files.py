"""docker-compose.yml can't be run here (no Docker engine), so it is validated instead."""

import json
from pathlib import Path

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]


def load_compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_file_matches_the_compose_spec():
    # compose_spec.json: the Compose specification's JSON schema (Apache-2.0), kept as data.
    schema = json.loads((Path(__file__).parent / "compose_spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(load_compose())


def test_compose_runs_the_whole_stack():
    services = load_compose()["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    assert "DatabaseScheduler" in " ".join(services["beat"]["command"])
    assert "gunicorn" in services["web"]["command"][0]
    for name in ("web", "worker", "beat"):
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"].endswith("production")
    assert (ROOT / services["web"]["build"] / "Dockerfile").exists()


def test_dockerfile_installs_cjk_fonts_and_weasyprint_libraries():
    text = (ROOT / "Dockerfile").read_text()
    assert "fonts-noto-cjk" in text and "libpango" in text and "python:3.11" in text


def test_workers_cover_every_queue_and_sweeps_have_their_own():
    from django.conf import settings

    services = load_compose()["services"]
    queues = set(settings.CELERY_QUEUE_NAMES)
    taken = {}
    for name, service in services.items():
        command = service.get("command") or []
        if "worker" in command and "-Q" in command:
            taken[name] = set(command[command.index("-Q") + 1].split(","))
    assert queues <= set().union(*taken.values())
    assert any(q == {"sweeps", "mail"} for q in taken.values())  # never behind an export
    assert "healthz" in " ".join(services["web"]["healthcheck"]["test"])
    demo = (ROOT / "bin" / "demo").read_text()
    assert all(q in demo for q in queues)


def test_production_routes_send_heavy_work_to_its_own_queue():
    from celery import Celery

    from partner_center.settings import base

    app = Celery("routes")
    app.conf.task_routes = base.CELERY_TASK_ROUTES
    app.conf.task_default_queue = base.CELERY_TASK_DEFAULT_QUEUE
    route = app.amqp.router.route

    def queue(name):
        return route({}, name)["queue"].name

    assert queue("opportunities.tasks.run_po_import") == "imports"
    assert queue("billing.tasks.render_bill_pdf") == "exports"
    assert queue("partner_center.notifications.tasks.email_notifications") == "mail"
    assert queue("opportunities.tasks.sweep_deadlines") == "sweeps"
    assert queue("partner_center.outbox.tasks.relay") == "sweeps"
    assert base.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > base.CELERY_TASK_TIME_LIMIT
