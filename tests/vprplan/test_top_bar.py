"""The top bar names the user as a clerk writes it: «Круглова Э.О.», not «Эвелина Олеговна Круглова»."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [("Эвелина Олеговна", "Круглова", "Круглова Э.О."), ("Н.И.", "Савельева", "Савельева Н.И."),
     ("Школьный координатор", "", "Школьный координатор")],
)  # fmt: skip
def test_the_top_bar_names_the_user_briefly(client, world, first, last, shown):
    user = world.head
    user.first_name, user.last_name = first, last
    user.save()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert f'<span class="who">{shown}</span>' in html
