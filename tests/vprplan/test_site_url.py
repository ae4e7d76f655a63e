"""SITE_URL: taken from the request in DEBUG when unset; with DEBUG off a system check refuses to
start without a public address."""

from django.core.checks import run_checks
from django.test import override_settings

from tests.vprplan.test_settings import PRODUCTION, run_manage
from vprplan.checks import site_url_check


def errors(**settings) -> list[str]:
    with override_settings(**settings):
        return [e.id for e in site_url_check()]


def test_with_debug_off_a_missing_or_loopback_site_url_is_an_error():
    assert errors(DEBUG=False, SITE_URL_SET=False) == ["vprplan.E001"]
    for loopback in ("http://127.0.0.1:8000", "http://localhost", "http://[::1]:8000", "http://0.0.0.0:8000",
                     "https://127.1.2.3", "http://app.localhost"):  # fmt: skip
        assert errors(DEBUG=False, SITE_URL_SET=True, SITE_URL=loopback) == ["vprplan.E003"], loopback
    assert errors(DEBUG=False, SITE_URL_SET=True, SITE_URL="vpr.example.ru") == ["vprplan.E002"]
    assert errors(DEBUG=False, SITE_URL_SET=True, SITE_URL="https://vpr.example.ru") == []
    assert errors(DEBUG=True, SITE_URL_SET=False) == []  # a first local run needs none
    with override_settings(DEBUG=False, SITE_URL_SET=False):
        assert "vprplan.E001" in [e.id for e in run_checks()]  # registered


def test_a_production_start_without_site_url_names_it():
    env = {k: v for k, v in PRODUCTION.items() if k != "SITE_URL"}
    result = run_manage("check", **env, SITE_URL="")
    assert result.returncode != 0
    assert "vprplan.E001" in result.stderr and "SITE_URL не задан" in result.stderr
    result = run_manage("check", **env, SITE_URL="http://127.0.0.1:8000")
    assert result.returncode != 0 and "vprplan.E003" in result.stderr
