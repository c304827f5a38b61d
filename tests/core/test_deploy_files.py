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
