import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_login_page_is_in_russian_and_keeps_the_username_on_error(client):
    UserFactory(username="ivanova")
    response = client.post(reverse("login"), {"username": "ivanova", "password": "wrong"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in html
    assert 'value="ivanova"' in html


def test_login_and_logout(client):
    UserFactory(username="petrov")
    response = client.post(reverse("login"), {"username": "petrov", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_a_russian_letter_with_a_working_link(client):
    user = UserFactory(username="sidorova", email="sidorova@example.org")
    response = client.post(reverse("password_reset"), {"email": "sidorova@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    letter = mail.outbox[0]
    assert letter.subject == "vprplan: смена пароля"
    assert "sidorova" in letter.body
    link = next(line for line in letter.body.splitlines() if "/accounts/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert "Новый пароль" in response.content.decode()
    response = client.post(response.redirect_chain[-1][0], {
        "new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Новый-пароль-2026")
