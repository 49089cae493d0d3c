"""Settings: the SQLite default, PostgreSQL through DATABASE_URL, production hardening."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MOJITO_", "DATABASE_URL", "REDIS_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="recruiting.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="recruit.example.com",
        MOJITO_API_TOKEN="prod-token-value",
        MOJITO_WEBHOOK_SECRETS="prod-webhook-secret",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def run_manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


def run_python(code: str, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60)


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_start_names_each_missing_variable():
    for name in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "MOJITO_API_TOKEN", "MOJITO_WEBHOOK_SECRETS"):
        env = production_env()
        env.pop(name)
        result = run_manage("check", env=env)
        assert result.returncode != 0
        assert f"Set the environment variable {name}" in result.stderr
        assert "prod-token-value" not in result.stderr  # no secret in the error


def test_sqlite_under_var_is_the_default_database():
    code = ("import django; django.setup(); from django.conf import settings; d = settings.DATABASES['default'];"
            "print(d['ENGINE']); print(d['NAME'])")
    env = production_env(DJANGO_DEBUG="true")
    env.pop("DATABASE_URL", None)
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == BASE_DIR / "var" / "db.sqlite3"


def test_sqlite_database_migrates_and_serves_health(tmp_path):
    env = production_env(DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
                         MOJITO_API_BASE_URL="http://127.0.0.1:9/functions/v1", HEALTHZ_TOKEN="monitoring-token")
    result = run_manage("migrate", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    code = ("import django, json; django.setup(); from django.test import Client; from django.conf import settings;"
            "settings.ALLOWED_HOSTS.append('testserver');"
            "r = Client().get('/healthz', headers={'X-Healthz-Token': 'monitoring-token'});"
            "print(r.status_code); print(json.dumps(r.json()))")
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "200"
    assert '"vendor": "sqlite"' in body


def test_postgresql_through_database_url():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = production_env(DJANGO_DEBUG="true", DATABASE_URL="postgres://u@db.example:5432/recruiting")
    result = run_python(code, env)
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_production_hardening_is_on_when_debug_is_off():
    code = ("import django; django.setup(); from django.conf import settings as s;"
            "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SESSION_COOKIE_SECURE,"
            " s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, s.SESSION_COOKIE_NAME)")
    result = run_python(code, production_env())
    assert result.stdout.split() == ["True", "True", "True", "True", "DENY", "__Host-sessionid"]


def test_collectstatic_builds_the_compressed_manifest(tmp_path):
    env = production_env(DJANGO_STATIC_ROOT=str(tmp_path / "static"))
    result = run_manage("collectstatic", "--noinput", "-v0", env=env)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "static" / "staticfiles.json").exists()
    assert list((tmp_path / "static" / "css").glob("app.*.css.gz"))
