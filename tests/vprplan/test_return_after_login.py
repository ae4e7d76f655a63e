"""An action's URL answers no GET: a login after a POST leads back to the page the button was on,
and an action's URL opened by a link shows a Russian page, not an empty 405."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from activities.choices import PlanStatus
from activities.models import Plan
from tests.factories import PlanFactory
from vprplan.security import LAST_ACTIVITY_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(world):
    return PlanFactory(owner=world.m1, status=PlanStatus.DRAFT)


def next_of(url: str) -> str:
    """The page a login at `url` leads back to (the login page's `next`)."""
    parts = urlsplit(url)
    assert parts.path == reverse("login")
    return parse_qs(parts.query)["next"][0]


def test_a_post_without_a_session_leads_back_to_the_page_of_its_button(client, plan):
    page = reverse("activities:plan_detail", args=[plan.pk])
    action = reverse("activities:plan_transition", args=[plan.pk, "submit"])
    response = client.post(action, HTTP_REFERER=f"http://testserver{page}?tab=1")
    assert response.status_code == 302 and next_of(response.url) == f"{page}?tab=1"
    # Another site's page is not followed; no page at all: home.
    assert next_of(client.post(action, HTTP_REFERER="https://evil.example/plans/").url) == "/"
    assert next_of(client.post(action).url) == "/"
    # A page (GET) still leads back to itself.
    assert next_of(client.get(page).url) == page


def test_an_idle_session_sends_an_htmx_post_back_to_the_page_it_came_from(client, world, plan, settings):
    client.force_login(world.coordinator)
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    editor = reverse("activities:plan_edit", args=[plan.pk])
    response = client.post(
        reverse("activities:section_add", args=[plan.pk]),
        {"title": "Раздел"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL=f"http://testserver{editor}",
    )
    assert next_of(response["HX-Redirect"]) == editor
    assert not plan.sections.exists()


def test_an_actions_url_opened_by_a_link_says_so_in_russian(client, world, plan):
    client.force_login(world.coordinator)
    response = client.get(reverse("activities:plan_transition", args=[plan.pk, "submit"]))
    html = response.content.decode()
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert "Это действие выполняется кнопкой на странице" in html and 'href="/"' in html
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
