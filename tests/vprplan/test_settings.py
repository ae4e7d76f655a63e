import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    base.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "ALLOWED_HOSTS": "vpr.example.ru",
}


def test_production_settings_pass_deploy_check():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
        "shell", "-c", code,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/somedb",
        REDIS_URL="redis://127.0.0.1:6379/3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [
        "django.db.backends.postgresql", "somedb", "False", "redis://127.0.0.1:6379/3"
    ]
    result = run_manage("shell", "-c", code, DATABASE_URL="", REDIS_URL="")
    engine, name, eager = result.stdout.splitlines()[-1].split()[:3]
    assert (engine, Path(name).name, eager) == ("django.db.backends.sqlite3", "db.sqlite3", "True")


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
