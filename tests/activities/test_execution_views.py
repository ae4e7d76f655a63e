"""Who sees, ticks, reviews and downloads what (the permission matrix), and the pages in place."""

import re

import pytest
from django.urls import reverse

from activities import services
from activities.choices import ExecutionStatus
from activities.models import Evidence
from tests.activities.conftest import execution_of, image_bytes, tiny_pdf, upload
from tests.matrix import assert_matrix

pytestmark = pytest.mark.django_db

OTHERS = ("neighbour_coordinator", "other_admin", "other_head", "other_coordinator", "other_school")


def url(name, *args):
    return reverse(f"activities:{name}", args=args)


def test_an_execution_of_a_school_is_read_by_its_school_and_municipality_only(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    assert_matrix(
        client,
        url("execution_detail", e.pk),
        allowed=world.people("school", "coordinator", "head", "admin"),
        denied=world.people("school2", "specialist", "observer", "nobody", *OTHERS),
    )


def test_a_specialist_sees_only_the_activities_that_name_him(client, world, approved):
    his = execution_of(approved, "1.4", world.m1)
    assert_matrix(
        client,
        url("execution_detail", his.pk),
        allowed=world.people("specialist", "coordinator", "head", "admin"),
        denied=world.people("school", "school2", "observer", "nobody", *OTHERS),
    )
    for other in (execution_of(approved, "1.3", world.m1), execution_of(approved, "1.1", world.s1)):
        client.force_login(world.specialist)
        assert client.get(url("execution_detail", other.pk)).status_code == 404
    client.force_login(world.specialist)
    html = client.get(url("task_list")).content.decode()
    assert "Информационное письмо" in html and "Мониторинг ФИС ОКО" not in html and "Приказ ОО" not in html


def test_only_the_school_ticks_its_own_work(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    assert_matrix(
        client,
        url("execution_report", e.pk),
        allowed=world.people("school"),
        denied=world.people(
            "school2", "coordinator", "head", "specialist", "admin", "observer", "nobody", *OTHERS
        ),
    )
    assert_matrix(
        client,
        url("execution_report", e.pk),
        method="post",
        data={"action": "progress", "comment": "Начали"},
        ok=(302,),
        allowed=world.people("school"),
        denied=world.people(
            "school2", "coordinator", "head", "specialist", "admin", "observer", "nobody", *OTHERS
        ),
    )
    e.refresh_from_db()
    assert (e.status, e.comment) == (ExecutionStatus.IN_PROGRESS, "Начали")


def test_the_authoritys_tasks_belong_to_the_coordinator_and_the_named_specialist(client, world, approved):
    for number, allowed in (("1.3", "coordinator"), ("1.4", "specialist")):
        e = execution_of(approved, number, world.m1)
        assert_matrix(
            client,
            url("execution_report", e.pk),
            allowed=world.people(allowed),
            denied=world.people(
                *({"coordinator", "specialist"} - {allowed}), "head", "school", "admin", "observer", *OTHERS
            ),
        )


def test_only_the_municipal_coordinator_reviews(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=e, actor=world.school, comment="Готово")
    assert_matrix(
        client,
        url("execution_review", e.pk),
        method="post",
        data={"decision": "return", "comment": "Приложите приказ"},
        ok=(302,),
        allowed=world.people("coordinator"),
        denied=world.people(
            "school", "school2", "head", "specialist", "admin", "observer", "nobody", *OTHERS
        ),
    )
    e.refresh_from_db()
    assert e.review_status == "returned"
    client.force_login(world.school)
    html = client.get(url("task_list")).content.decode()
    assert "Возвращено на доработку" in html and "Приложите приказ" in html


def test_evidence_downloads_only_to_those_who_read_the_execution(client, world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_start(execution=e, actor=world.school, files=[pdf_file])
    evidence = Evidence.objects.get(execution=e)
    assert_matrix(
        client,
        url("evidence_download", evidence.pk),
        allowed=world.people("school", "coordinator", "head", "admin"),
        denied=world.people("school2", "specialist", "observer", "nobody", *OTHERS),
    )
    assert_matrix(
        client,
        url("evidence_delete", evidence.pk),
        method="post",
        data={},
        ok=(302,),
        allowed=world.people("school"),
        denied=world.people("school2", "coordinator", "head", "specialist", "observer", "nobody", *OTHERS),
    )
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_download_is_an_attachment_of_the_detected_type_never_sniffed(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    disguised = upload("Протокол № 3.pdf", tiny_pdf(), content_type="text/html")  # the browser lied
    services.execution_start(execution=e, actor=world.school, files=[disguised])
    evidence = Evidence.objects.get(execution=e)
    client.force_login(world.coordinator)
    response = client.get(url("evidence_download", evidence.pk))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%9F%D1%80%D0%BE%D1%82%D0%BE%D0%BA%D0%BE%D0%BB" in response["Content-Disposition"]
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == tiny_pdf()


def test_tick_in_place_with_htmx(client, world, approved, pdf_file):
    e = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    htmx = {"HTTP_HX_REQUEST": "true"}
    form = client.get(url("execution_report", e.pk), **htmx).content.decode()
    assert 'hx-encoding="multipart/form-data"' in form and 'accept=".pdf,.docx,.xlsx,.jpg,.jpeg,.png"' in form
    card = client.post(
        url("execution_report", e.pk),
        {"action": "done", "comment": "Приказ № 12", "files": [pdf_file]},
        **htmx,
    ).content.decode()
    assert f'id="execution-{e.pk}"' in card and "на проверке" in card and "отправлено на проверку" in card
    assert "Приказ ОО № 12.pdf" in card
    assert Evidence.objects.filter(execution=e).count() == 1


def test_required_evidence_message_comes_back_in_the_form(client, world, approved):
    e = execution_of(approved, "1.2", world.s1)
    client.force_login(world.school)
    html = client.post(
        url("execution_report", e.pk), {"action": "done", "comment": "Провели"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Приложите подтверждающий документ (Протокол)" in html and "Провели" in html  # input kept
    e.refresh_from_db()
    assert e.status == ExecutionStatus.NOT_STARTED


def test_a_bad_file_is_refused_with_its_name(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    bad = upload("скан.pdf", image_bytes("PNG"))
    html = client.post(
        url("execution_report", e.pk), {"action": "done", "files": [bad]}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "«скан.pdf»: по содержимому это PNG" in html
    assert not Evidence.objects.exists()


def test_plain_form_post_redirects_with_a_message(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    client.force_login(world.school)
    response = client.post(url("execution_report", e.pk), {"action": "done", "comment": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == url("execution_detail", e.pk)
    assert "отправлено на проверку" in response.content.decode()


def test_task_pages_matrix(client, world, approved):
    for name in ("task_list", "task_counts", "calendar"):
        assert_matrix(
            client,
            url(name),
            allowed=world.people("school", "school2", "specialist", "coordinator", "other_school"),
            denied=world.people("head", "observer", "nobody"),
        )


def test_school_sees_its_own_tasks_only(client, world, approved):
    client.force_login(world.school)
    html = client.get(url("task_list")).content.decode()
    mine = {execution_of(approved, "1.1", world.s1).pk, execution_of(approved, "2.2", world.s1).pk}
    theirs = {execution_of(approved, "1.1", world.s2).pk, execution_of(approved, "2.1", world.s2).pk}
    assert all(f'id="execution-{pk}"' in html for pk in mine)
    assert not any(f'id="execution-{pk}"' in html for pk in theirs)


def test_a_specialist_follows_the_schools_on_activities_that_name_him(client, world, approved):
    from activities.models import Activity

    school_row = Activity.objects.get(plan=approved, number="1.1")
    school_row.responsible_persons.add(
        *Activity.objects.get(plan=approved, number="1.4").responsible_persons.all()
    )
    services.execution_complete(execution=execution_of(approved, "1.1", world.s1), actor=world.school)
    client.force_login(world.specialist)
    html = client.get(url("task_list")).content.decode()
    assert "Мероприятия школ, где вы указаны ответственным" in html
    assert "1.1 Приказ ОО о проведении ВПР" in html and "1 из 2" in html
    # He reads those schools' executions, but does not tick them.
    e = execution_of(approved, "1.1", world.s2)
    assert client.get(url("execution_detail", e.pk)).status_code == 200
    assert client.get(url("execution_report", e.pk)).status_code == 404


def test_returning_without_a_comment_keeps_the_reviewer_on_the_report_with_the_field_marked(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=e, actor=world.school, comment="Готово")
    client.force_login(world.coordinator)
    dashboard = reverse("activities:plan_progress", args=[approved.pk])
    page = client.get(url("execution_detail", e.pk) + f"?next={dashboard}").content.decode()
    assert f'name="next" value="{dashboard}"' in page
    response = client.post(url("execution_review", e.pk), {"decision": "return", "comment": "   ", "next": dashboard})
    assert response.status_code == 200  # the execution page again, not the dashboard
    html = response.content.decode()
    assert "<h1>1.1 " in html and f'action="{url("execution_review", e.pk)}"' in html
    assert re.search(r'<div class="field has-error">\s*<label for="id_comment">Комментарий для школы', html)
    assert "Напишите, что нужно исправить: школа увидит этот комментарий." in html
    assert 'aria-invalid="true"' in html and "autofocus" in html
    assert f'name="next" value="{dashboard}"' in html  # after a good second try he goes back there
    e.refresh_from_db()
    assert (e.status, e.review_status) == (ExecutionStatus.DONE, "")
    again = client.post(url("execution_review", e.pk), {"decision": "return", "comment": "Нет подписи", "next": dashboard})
    assert again.status_code == 302 and again.url == dashboard


def test_a_refused_review_keeps_what_the_reviewer_typed(client, world, approved):
    e = execution_of(approved, "1.1", world.s1)
    services.execution_complete(execution=e, actor=world.school, comment="Готово")
    client.force_login(world.coordinator)
    too_long = "Проверено. " * 400  # 4,400 characters: more than the field takes
    response = client.post(url("execution_review", e.pk), {"decision": "return", "comment": too_long})
    assert response.status_code == 200  # the page again, not a 404
    html = response.content.decode()
    assert re.search(r'<div class="field has-error">\s*<label for="id_comment">', html)
    assert too_long.strip() in html  # kept in the textarea
    services.execution_start(execution=e, actor=world.school, comment="Дополню")  # the school took it back
    response = client.post(url("execution_review", e.pk), {"decision": "accept", "comment": "Всё на месте"})
    assert response.status_code == 200 and "<h1>1.1 " in response.content.decode()
    assert "Проверить можно только выполнение, отправленное на проверку." in response.content.decode()


def test_an_executions_page_shows_its_latest_history(client, world, approved):
    """A busy execution's page lists its latest 30 entries, newest first; the audit log keeps all."""
    e = execution_of(approved, "1.1", world.s1)
    for n in range(1, 36):
        services.execution_start(execution=e, actor=world.school, comment=f"Шаг {n:02d}")
    client.force_login(world.school)
    html = client.get(url("execution_detail", e.pk)).content.decode()
    shown = re.findall(r"«Шаг (\d\d)»", html.split('class="history"')[1])
    assert shown == [f"{n:02d}" for n in range(35, 5, -1)]
    assert "Показаны последние 30 записей." in html


def test_history_entries_kept_rendered_show_a_renamed_actor_and_a_new_entry(client, world, approved):
    """The entries are rendered once per content (with_rendered_history): an actor renamed since
    and an entry added since are shown as they are now."""
    e = execution_of(approved, "1.1", world.s1)
    services.execution_start(execution=e, actor=world.school, comment="Первый шаг")
    client.force_login(world.school)

    def history():
        return client.get(url("execution_detail", e.pk)).content.decode().split('class="history"')[1]

    first = history()
    assert "«Первый шаг»" in first and history() == first  # the second page reads the kept entry
    world.school.first_name, world.school.last_name = "Зинаида", "Кострова"
    world.school.save()
    services.execution_start(execution=e, actor=world.school, comment="Второй шаг")
    entries = re.findall(r"<li>(.*?)</li>", history())
    assert len(entries) == 2
    assert "«Второй шаг»" in entries[0] and "«Первый шаг»" in entries[1]
    assert all("Зинаида Кострова" in entry for entry in entries)
