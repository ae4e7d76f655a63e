import os

import pytest
from django.conf import settings

from tests.matrix import build_world
from tests.s3server import s3_env, s3_storage  # noqa: F401  (fixtures: files in a moto S3 bucket)


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def demo(db):
    """The demo data of `seed_demo`, and its users by name."""
    from django.contrib.auth import get_user_model

    from portal.demo import seed_demo

    seed_demo()
    return {u.username: u for u in get_user_model().objects.all()}


def require_service(url_env: str) -> str:
    """The service URL from the environment; skip without it locally, fail under CI=true."""
    url = os.environ.get(url_env, "")
    if not url:
        message = f"{url_env} is not set: this test needs the real service"
        if settings.TEST_REQUIRE_SERVICES:
            pytest.fail(message + " (CI=true: a service test may not skip)")
        pytest.skip(message)
    return url


@pytest.fixture
def redis_url():
    return require_service("REDIS_URL")


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the figures tests recorded (record_property), and under CI=true fail on any skip:
    the services and Chromium are there to be used."""
    figures = [
        (name, value)
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call"
        for name, value in report.user_properties
    ]
    if figures:
        terminalreporter.section("figures")
        for name, value in figures:
            terminalreporter.write_line(f"{name}: {value}")
    skipped = terminalreporter.stats.get("skipped", [])
    if settings.TEST_REQUIRE_SERVICES and skipped:
        terminalreporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; failing the run.", red=True)
        terminalreporter._session.exitstatus = 1
