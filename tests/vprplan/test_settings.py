import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "vpr.example.ru",
    "SITE_URL": "https://vpr.example.ru",
}


def test_production_settings_pass_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = """
import json
from django.conf import settings as s
from django.test import Client, override_settings
# The 404 page links the site's static files; this probe has not run collectstatic.
static = {**s.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
with override_settings(STORAGES=static):
    r = Client().get("/no-such-page/", secure=True, HTTP_HOST="vpr.example.ru")
print(json.dumps({
    "hsts": r.get("Strict-Transport-Security"), "csp": r.get("Content-Security-Policy"),
    "frame": r.get("X-Frame-Options"), "nosniff": r.get("X-Content-Type-Options"),
    "referrer": r.get("Referrer-Policy"), "coop": r.get("Cross-Origin-Opener-Policy"),
    "cookies": [s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,
                s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE],
    "ssl_redirect": s.SECURE_SSL_REDIRECT, "axes": [s.AXES_ENABLED, s.AUTHENTICATION_BACKENDS[0]],
    "idle": s.SESSION_IDLE_SECONDS, "age": s.SESSION_COOKIE_AGE,
    "min_length": s.AUTH_PASSWORD_VALIDATORS[1]["OPTIONS"]["min_length"],
}))
"""


def test_production_responses_carry_hsts_csp_and_secure_cookies(record_property):
    import json

    result = run_manage("shell", "-c", PRODUCTION_PROBE, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout.splitlines()[-1])
    assert got["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in got["csp"] and "unsafe-inline" not in got["csp"]
    assert "frame-ancestors 'none'" in got["csp"] and "object-src 'none'" in got["csp"]
    assert (got["frame"], got["nosniff"], got["referrer"], got["coop"]) == (
        "DENY",
        "nosniff",
        "same-origin",
        "same-origin",
    )
    assert got["cookies"] == [True, True, "Lax", True, True, "Lax"]
    assert got["ssl_redirect"] is True
    assert got["axes"] == [True, "axes.backends.AxesStandaloneBackend"]
    assert (got["idle"], got["age"], got["min_length"]) == (3600, 8 * 3600, 10)
    record_property("production_security_settings_checked", len(got))


def test_hsts_subdomains_preload_and_lockout_are_configurable():
    code = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.AXES_FAILURE_LIMIT,"
        " int(s.AXES_COOLOFF_TIME.total_seconds()), s.SESSION_IDLE_SECONDS, s.TRUSTED_PROXY_COUNT)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        **PRODUCTION,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="false",
        SECURE_HSTS_PRELOAD="false",
        AXES_FAILURE_LIMIT="3",
        AXES_COOLOFF_MINUTES="30",
        SESSION_IDLE_MINUTES="20",
        TRUSTED_PROXY_COUNT="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "False", "3", "1800", "1200", "1"]


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_url_and_redis_url_select_the_backends():
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'],"
        " s.CELERY_TASK_ALWAYS_EAGER, s.CELERY_BROKER_URL)"
    )
    result = run_manage(
        "shell",
        "-c",
        code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql",
        "somedb",
        "False",
        "redis://127.0.0.1:6379/3",
    ]
    result = run_manage("shell", "-c", code, DATABASE_URL="", REDIS_URL="")
    engine, name, eager = result.stdout.splitlines()[-1].split()[:3]
    # No broker: not eager, the web server runs jobs in its own thread (vprplan.jobs.InProcessWorker).
    assert (engine, Path(name).name, eager) == ("django.db.backends.sqlite3", "db.sqlite3", "False")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_russian_language_and_time_zone_support(settings):
    assert settings.LANGUAGE_CODE == "ru"
    assert settings.USE_TZ is True


@pytest.mark.services
def test_postgresql_runs_through_the_psycopg_pool():
    from tests.conftest import require_service

    url = require_service("DATABASE_URL")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL is not PostgreSQL")  # the SQLite run has no pool to test
    code = (
        "from django.db import connection;"
        "connection.ensure_connection();"
        "print(type(connection.pool).__name__, connection.pool.max_size)"
    )
    result = run_manage("shell", "-c", code, DATABASE_URL=url, DATABASE_POOL_MAX="7")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "ConnectionPool 7"


@pytest.mark.services
def test_postgresql_prepares_a_query_sent_again_and_can_be_told_not_to():
    from tests.conftest import require_service

    url = require_service("DATABASE_URL")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL is not PostgreSQL")  # SQLite has no prepared statements to test
    code = (
        "from django.db import connection;"
        "c = connection.cursor();"
        "[c.execute('select count(*) from pg_class where relname = %s', ['x']) for _ in range(6)];"
        "c.execute('select count(*) from pg_prepared_statements');"
        "print(c.fetchone()[0])"
    )
    prepared = run_manage("shell", "-c", code, DATABASE_URL=url)
    assert prepared.returncode == 0, prepared.stderr
    assert int(prepared.stdout.splitlines()[-1]) >= 1  # the sixth time ran a prepared statement
    plain = run_manage("shell", "-c", code, DATABASE_URL=url, DATABASE_PREPARED="false")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.splitlines()[-1] == "0"
