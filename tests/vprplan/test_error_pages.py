"""With DEBUG off every error answers a Russian page in the site's layout with a link home;
the 500 page needs neither the request nor the database."""

import pytest
from django.template import loader
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.vprplan.error_urls")]

ENGLISH = ("Not Found", "Forbidden", "Bad Request", "Server Error", "The requested resource", "CSRF verification")


def assert_russian_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    html = response.content.decode()
    assert f"<title>{heading} — vprplan</title>" in html
    assert f"<h1>{heading}</h1>" in html
    assert 'class="topbar"' in html, "not in the site's layout"
    assert '<a class="button" href="/">На главную</a>' in html
    assert not [text for text in ENGLISH if text in html], html
    return html


@override_settings(DEBUG=False)
def test_404_is_russian_with_a_way_home(client, world):
    client.force_login(world.users["coordinator"])
    html = assert_russian_page(client.get("/no-such-page/"), 404, "Страница не найдена")
    assert "Выйти" in html  # the layout of a logged-in user, with his menu


@override_settings(DEBUG=False)
def test_out_of_scope_object_answers_the_russian_404(client, world):
    from tests.factories import PlanFactory

    neighbours = PlanFactory(owner=world.orgs["m2"])
    client.force_login(world.users["coordinator"])
    assert_russian_page(client.get(f"/plans/{neighbours.pk}/"), 404, "Страница не найдена")


@override_settings(DEBUG=False)
def test_403_and_400_are_russian(client):
    assert_russian_page(client.get("/fail/403/"), 403, "Доступ запрещён")
    assert_russian_page(client.get("/fail/400/"), 400, "Неверный запрос")


@override_settings(DEBUG=False)
def test_a_stale_form_is_a_russian_403():
    csrf_client = Client(enforce_csrf_checks=True)
    assert_russian_page(csrf_client.post("/accounts/login/", {"username": "x"}), 403, "Форма устарела")


@override_settings(DEBUG=False)
def test_500_is_russian():
    failing = Client(raise_request_exception=False)
    assert_russian_page(failing.get("/fail/500/"), 500, "Сервис временно недоступен")


def test_500_page_renders_without_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
    assert "Сервис временно недоступен" in html and 'href="/"' in html
