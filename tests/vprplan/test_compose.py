"""docker-compose.yml (issue 20) cannot be run here (no Docker engine): it must at least parse, hold
the six services, run the README's commands, and set only variables that the settings read."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Read by the storage settings of the S3 branch (django-storages), not by this one's settings.py.
STORAGE_VARIABLES = {
    "STORAGE_S3_BUCKET", "STORAGE_S3_ENDPOINT_URL", "STORAGE_S3_ACCESS_KEY", "STORAGE_S3_SECRET_KEY",
    "STORAGE_S3_REGION",
}  # fmt: skip
# Read by prometheus_client (multiprocess mode), not through settings.
LIBRARY_VARIABLES = {"PROMETHEUS_MULTIPROC_DIR"}


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_the_compose_file_describes_the_six_services():
    services = compose()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "minio"} <= set(services)
    assert "gunicorn vprplan.wsgi" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A vprplan worker -Q celery,pdf")
    assert services["beat"]["command"] == "celery -A vprplan beat -l info"
    assert "/health/" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["REDIS_URL"] == "redis://redis:6379/0" and env["DATABASE_URL"].startswith("postgres://")
        assert env["STORAGE_S3_ENDPOINT_URL"] == "http://minio:9000"


def test_the_app_variables_are_ones_the_settings_read():
    settings_source = (ROOT / "vprplan" / "settings.py").read_text()
    read = set(re.findall(r'env(?:_bool|_list)?\("([A-Z0-9_]+)"', settings_source))
    env = compose()["services"]["web"]["environment"]
    unknown = set(env) - read - STORAGE_VARIABLES - LIBRARY_VARIABLES
    assert not unknown, unknown
