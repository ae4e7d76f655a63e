"""Links made during a request in DEBUG with SITE_URL unset use the request's address
(vprplan.site); the checks of SITE_URL itself: tests/vprplan/test_site_url.py."""

import pytest
from django.test import override_settings
from django.urls import reverse

from activities import services


@pytest.mark.django_db
def test_in_debug_links_made_during_a_request_use_its_address_when_site_url_is_unset(client, world, approved):
    feed = services.calendar_feed_get(user=world.school)
    url = reverse("activities:calendar_feed", args=[feed.token])
    with override_settings(DEBUG=True, SITE_URL_SET=False, SITE_URL="http://127.0.0.1:8000"):
        body = client.get(url, HTTP_HOST="localhost:8123").content.decode()
    assert "http://localhost:8123/executions/" in body and "127.0.0.1" not in body
    with override_settings(DEBUG=True, SITE_URL_SET=True, SITE_URL="https://vpr.example.ru"):
        body = client.get(url, HTTP_HOST="localhost:8123").content.decode()
    assert "https://vpr.example.ru/executions/" in body and "localhost:8123" not in body
