"""A task list's cards are rendered once per content and kept in the cache
(activities.cards.with_rendered_cards): a cached list is the same HTML as a fresh one, and what a
card prints (a report, a file, a returned review, a new day) shows at once."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activities import services
from activities.models import Execution
from tests.activities.conftest import execution_of, tiny_pdf
from vprplan.fragments import fragment_cache

pytestmark = pytest.mark.django_db


def cards(client) -> list[str]:
    response = client.get(reverse("activities:task_list"))
    assert response.status_code == 200
    return re.findall(r'<article class="task .*?</article>', response.content.decode(), flags=re.S)


def card_of(client, execution) -> str:
    return next(c for c in cards(client) if f'id="execution-{execution.pk}"' in c)


def test_a_cached_list_is_the_same_html_as_a_fresh_one(client, world, approved):
    client.force_login(world.school)
    fragment_cache("task-cards").clear()
    fresh = cards(client)
    cached = cards(client)
    assert len(fresh) >= 3
    assert cached == fresh


def test_what_a_card_prints_shows_at_once(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    before = card_of(client, e)
    assert "Отметить выполнение" in before
    Execution.objects.filter(pk=e.pk).update(comment="Готовим приказ")  # the comment alone
    assert "Готовим приказ" in card_of(client, e)

    services.execution_complete(
        execution=e,
        actor=world.school,
        comment="Приказ подписан",
        files=[SimpleUploadedFile("prikaz.pdf", tiny_pdf(), content_type="application/pdf")],
    )
    done = card_of(client, e)
    assert "Приказ подписан" in done and "prikaz.pdf" in done and "Дополнить отчёт" in done

    services.execution_review(execution=e, actor=world.coordinator, decision="return", comment="Нет подписи")
    returned = card_of(client, e)
    assert "Возвращено на доработку" in returned and "Нет подписи" in returned
    assert "Исправить и отправить снова" in returned


def test_a_new_day_makes_a_task_overdue(client, world, approved, monkeypatch):
    e = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    monkeypatch.setattr("activities.views.tasks.today_for", lambda user: e.due_date)
    assert "state-overdue" not in card_of(client, e)
    monkeypatch.setattr("activities.views.tasks.today_for", lambda user: e.due_date + datetime.timedelta(days=1))
    assert "state-overdue" in card_of(client, e)
