"""Browser tests: real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

import os
import shutil

import pytest
from django.conf import settings

# Playwright's sync API keeps an event loop running in the main thread once it has started, so
# Django's ORM must be told that is safe for the rest of the session (TECH-NOTES). Subprocesses
# that run deploy checks drop it (tests/vprplan/test_settings.py).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if settings.TEST_REQUIRE_SERVICES:
            pytest.fail(message + " (CI=true: a browser test may not skip)")
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        ],
    }


@pytest.fixture
def login(page, live_server):
    def as_user(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Имя пользователя").fill(username)
        page.get_by_label("Пароль").fill(password)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return as_user


CSP_VIOLATION = ("Content Security Policy", "Refused to")


@pytest.fixture(autouse=True)
def no_csp_violations(request):
    """Every browser test fails if Chromium refused anything under the Content-Security-Policy
    (an inline script or style, an on*= handler, a foreign source)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    violations: list[str] = []

    def on_console(message) -> None:
        if any(marker in message.text for marker in CSP_VIOLATION):
            violations.append(message.text)

    page.on("console", on_console)
    yield
    assert violations == [], "Chromium refused under the Content-Security-Policy:\n" + "\n".join(violations)
