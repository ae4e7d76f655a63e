"""The permission matrix of every observers view, and what the pages show."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from observers.models import Act, Assignment
from observers.services import act_submit, observer_assign
from tests.matrix import assert_matrix
from tests.observers.factories import AssignmentFactory

pytestmark = pytest.mark.django_db
STAFF = ("head", "coordinator", "specialist")
AWAY = ("neighbour_coordinator", "other_admin", "other_head", "other_coordinator", "other_school")


def url(name, *args):
    app = "schools" if name.startswith("session_") else "observers"  # the schedule's pages are schools'
    return reverse(f"{app}:{name}", args=args)


@pytest.fixture
def act(vpr):
    assignment = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    from django.core.files.uploadedfile import SimpleUploadedFile

    return act_submit(
        assignment=assignment,
        actor=vpr.observer,
        scan=SimpleUploadedFile("akt.pdf", b"%PDF-1.4\n%%EOF"),
        now=datetime(2024, 4, 17, 10, tzinfo=ZoneInfo("Europe/Moscow")),
    )


def test_campaign_list_is_for_everyone_logged_in(client, vpr):
    assert_matrix(
        client, url("campaign_list"), allowed=vpr.people("admin", "school", "observer", "nobody"), denied=[]
    )
    client.force_login(vpr.other_admin)
    html = client.get(url("campaign_list")).content.decode()
    assert "Регион Б" in html and "Регион А" not in html


def test_schedule_matrix(client, vpr):
    assert_matrix(
        client,
        url("session_list", vpr.campaign.pk),
        allowed=vpr.people("admin", *STAFF, "school", "school2", "neighbour_coordinator"),
        denied=vpr.people("observer", "nobody", "other_admin", "other_head", "other_school"),
    )


def test_a_school_coordinator_sees_his_schools_schedule_only(client, vpr):
    client.force_login(vpr.school)
    html = client.get(url("session_list", vpr.campaign.pk)).content.decode()
    assert f'id="session-{vpr.rus_s1.pk}"' in html and f'id="session-{vpr.rus_s2.pk}"' not in html
    client.force_login(vpr.neighbour_coordinator)
    html = client.get(url("session_list", vpr.campaign.pk)).content.decode()
    assert f'id="session-{vpr.rus_s3.pk}"' in html and f'id="session-{vpr.rus_s1.pk}"' not in html


def test_session_edit_matrix(client, vpr):
    editors = vpr.people("admin", "coordinator", "school")
    readers_only = vpr.people("head", "specialist", "school2", "observer", "nobody")
    for name in ("session_edit",):
        assert_matrix(
            client, url(name, vpr.rus_s1.pk), allowed=editors, denied=readers_only + vpr.people(*AWAY)
        )
    assert_matrix(
        client,
        url("session_create", vpr.campaign.pk),
        allowed=vpr.people("admin", "coordinator", "school", "school2", "neighbour_coordinator"),
        denied=vpr.people("head", "specialist", "observer", "nobody", "other_admin", "other_school"),
    )
    assert_matrix(
        client,
        url("session_delete", vpr.rus_s1.pk),
        method="post",
        allowed=vpr.people("school"),
        denied=vpr.people("school2", "head", "observer", *AWAY),
        ok=(302,),
    )


def test_school_coordinator_enters_a_session_and_sees_the_weekend_warning(client, vpr):
    client.force_login(vpr.school)
    data = {"school": vpr.s1.pk, "subject": "История", "grade": 6, "class_letters": "А", "date": "2024-04-13",
            "starts_at": "09:00", "ends_at": "09:45", "form": "paper", "participants": 20}  # fmt: skip
    response = client.post(url("session_create", vpr.campaign.pk), data, follow=True)
    html = response.content.decode()
    assert "Работа сохранена" in html and "13.04.2024 (суббота) — выходной день" in html
    data["school"] = vpr.s2.pk  # not his school: not even a choice
    response = client.post(url("session_create", vpr.campaign.pk), {**data, "subject": "Физика"})
    assert response.status_code == 200 and "Выберите корректный вариант" in response.content.decode()


def test_board_coverage_and_exports_matrix(client, vpr):
    for name in ("assignment_board", "coverage_report", "observer_schedule_xlsx"):
        assert_matrix(
            client,
            url(name, vpr.campaign.pk, "m1"),
            allowed=vpr.people("admin", *STAFF),
            denied=vpr.people("school", "observer", "nobody", *AWAY),
        )
    # A campaign of another region with this municipality: 404 too.
    client.force_login(vpr.coordinator)
    assert client.get(url("assignment_board", vpr.campaign_b.pk, "m1")).status_code == 404


def test_assign_and_suggest_are_the_coordinators(client, vpr):
    assert_matrix(
        client,
        url("assignment_create", vpr.rus_s1.pk),
        allowed=vpr.people("coordinator"),
        denied=vpr.people("admin", "head", "specialist", "school", "observer", *AWAY),
    )
    assert_matrix(
        client,
        url("assignment_suggest", vpr.campaign.pk, "m1"),
        allowed=vpr.people("coordinator"),
        denied=vpr.people("admin", "head", "specialist", "school", "observer", *AWAY),
    )


def test_a_conflicting_assignment_is_refused_on_the_page_with_its_reason(client, vpr):
    client.force_login(vpr.coordinator)
    page = client.get(url("assignment_create", vpr.rus_s1.pk)).content.decode()
    # She is listed with the reason but cannot be chosen; he can.
    assert re.search(f'<option value="{vpr.teacher.pk}" disabled>Белова Т.А. — нельзя: работает в Школа 1', page)
    assert re.search(f'<option value="{vpr.free.pk}">Петров С.И.</option>', page)
    response = client.post(url("assignment_create", vpr.rus_s1.pk), {"observer": vpr.teacher.pk})
    html = response.content.decode()
    assert response.status_code == 200 and "Назначение невозможно. Белова Т.А. работает в Школа 1" in html
    response = client.post(
        url("assignment_create", vpr.rus_s1.pk), {"observer": vpr.free.pk, "auditorium": "12"}
    )
    assert response.status_code == 302 and Assignment.objects.get().observer == vpr.free
    board = client.get(response.url).content.decode()
    assert "Петров С.И. (12)" in board


def test_status_and_delete_matrix(client, vpr):
    a = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    assert_matrix(
        client,
        url("assignment_status", a.pk),
        method="post",
        data={"status": "confirmed"},
        allowed=vpr.people("observer"),  # his own; the coordinator too (below)
        denied=vpr.people("admin", "head", "specialist", "school", *AWAY),
        ok=(302,),
    )
    a.refresh_from_db()
    assert a.status == "confirmed"
    client.force_login(vpr.coordinator)
    client.post(url("assignment_status", a.pk), {"status": "attended", "next": "https://evil.example/"})
    a.refresh_from_db()
    assert a.status == "attended"
    b = AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)
    assert_matrix(
        client,
        url("assignment_delete", b.pk),
        method="post",
        allowed=vpr.people("coordinator"),
        denied=vpr.people("admin", "head", "observer", "school", *AWAY),
        ok=(302,),
    )
    assert not Assignment.objects.filter(pk=b.pk).exists()


def test_registry_with_contacts_is_for_the_municipal_staff(client, vpr):
    assert_matrix(
        client,
        url("observer_detail", vpr.free.pk),
        allowed=vpr.people(*STAFF),
        denied=vpr.people("admin", "school", "observer", "nobody", *AWAY),
    )
    # The list: each municipality's staff reads its own registry; the others have none to read.
    assert_matrix(
        client,
        url("observer_list"),
        allowed=vpr.people(*STAFF, "neighbour_coordinator", "other_head", "other_coordinator"),
        denied=vpr.people("admin", "other_admin", "school", "other_school", "observer", "nobody"),
    )
    client.force_login(vpr.specialist)
    html = client.get(url("observer_list")).content.decode()
    assert "+7 900 000-00-00" in html and "Петров С.И." in html and "Соседов" not in html  # M2's observer
    client.force_login(vpr.neighbour_coordinator)
    html = client.get(url("observer_list")).content.decode()
    assert "Соседов" in html and "Петров С.И." not in html


def test_registry_is_kept_by_the_coordinator(client, vpr):
    for name, args in (("observer_create", ("m1",)), ("observer_edit", (vpr.free.pk,))):
        assert_matrix(
            client,
            url(name, *args),
            allowed=vpr.people("coordinator"),
            denied=vpr.people("admin", "head", "specialist", "school", "observer", *AWAY),
        )
    client.force_login(vpr.coordinator)
    data = {"full_name": "Новикова А.А.", "kind": "rsm", "children_schools": [vpr.s2.pk],
            "accreditation_number": "ОН-77", "accreditation_date": "2024-03-01", "consent_given": "on",
            "is_active": "on"}  # fmt: skip
    response = client.post(url("observer_create", "m1"), data)
    assert response.status_code == 302
    response = client.post(url("observer_create", "m1"), data)  # the same name again
    assert response.status_code == 200 and "уже существует" in response.content.decode()


def test_my_assignments_show_only_his_own(client, vpr):
    mine = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    other = AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)
    assert_matrix(
        client,
        url("my_assignments"),
        allowed=vpr.people("observer"),
        denied=vpr.people("coordinator", "school"),
    )
    client.force_login(vpr.observer)
    html = client.get(url("my_assignments")).content.decode()
    assert f'id="assignment-{mine.pk}"' in html and f'id="assignment-{other.pk}"' not in html
    assert "Акт просрочен: срок был 17.04.2024" in html


def test_act_page_is_his_observers_only(client, vpr):
    mine = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    other = AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)
    assert_matrix(
        client,
        url("act_file", mine.pk),
        allowed=vpr.people("observer"),
        denied=vpr.people("coordinator", "head", "admin", "school", *AWAY),
    )
    client.force_login(vpr.observer)
    assert client.get(url("act_file", other.pk)).status_code == 404
    response = client.post(
        url("act_file", mine.pk), {"stage": "conduct", "comment": "Без нарушений"}, follow=True
    )
    assert "Акт принят с опозданием: срок был 17.04.2024" in response.content.decode()
    assert Act.objects.get().comment == "Без нарушений"


def test_scan_is_downloaded_by_its_observer_and_the_municipal_staff_only(client, vpr, act):
    assert_matrix(
        client,
        url("act_scan", act.pk),
        allowed=vpr.people("observer", *STAFF),
        denied=vpr.people("admin", "school", "nobody", *AWAY),
    )
    client.force_login(vpr.head)
    response = client.get(url("act_scan", act.pk))
    assert response["Content-Type"] == "application/pdf" and b"".join(response.streaming_content).startswith(
        b"%PDF"
    )
    assert "private" in response["Cache-Control"]


def test_board_query_count_does_not_grow_with_sessions(client, vpr, django_assert_max_num_queries):
    from tests.observers.factories import SessionFactory

    observer_assign(session=vpr.rus_s1, observer=vpr.free, actor=vpr.coordinator)
    client.force_login(vpr.coordinator)
    with django_assert_max_num_queries(12) as small:
        client.get(url("assignment_board", vpr.campaign.pk, "m1"))
    for n in range(40):
        session = SessionFactory(school=vpr.s2, campaign=vpr.campaign, subject=f"П{n}")
        AssignmentFactory(session=session, observer=vpr.mine)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url("assignment_board", vpr.campaign.pk, "m1"))
    assert response.content.decode().count('id="session-') == 43


def test_the_coordinator_sees_acts_and_overdue_ones_on_the_board(client, vpr):
    late = AssignmentFactory(session=vpr.rus_s1, observer=vpr.mine)
    AssignmentFactory(session=vpr.rus_s2, observer=vpr.free)  # no act, long past due
    act_submit(assignment=late, actor=vpr.observer, violations_found=True, violations="Подсказки учителя.",
               now=datetime(2024, 4, 19, 9, tzinfo=ZoneInfo("Europe/Moscow")))  # fmt: skip
    client.force_login(vpr.coordinator)
    html = client.get(url("assignment_board", vpr.campaign.pk, "m1")).content.decode()
    assert "Просрочено актов: 1." in html and "акт просрочен (срок 17.04.2024)" in html
    assert "с опозданием" in html and "Нарушения: Подсказки учителя." in html


def test_the_registry_form_names_the_observer_accounts(client, vpr):
    """«Учётная запись» lists people, with the login that tells namesakes apart, not bare logins."""
    vpr.observer.last_name, vpr.observer.first_name = "Ковалёва", "Ирина Сергеевна"
    vpr.observer.save()
    client.force_login(vpr.coordinator)
    html = client.get(url("observer_create", "m1")).content.decode()
    assert f">Ковалёва И.С. ({vpr.observer.username})</option>" in html


def test_the_registry_forms_empty_choices_are_words_not_dashes(client, vpr):
    """«Статус» must be chosen; the workplace and the account may stay empty (Django's «---------»)."""
    client.force_login(vpr.coordinator)
    html = client.get(url("observer_create", "m1")).content.decode()
    assert "---------" not in html

    def empty_option(name: str) -> str:
        return re.search(rf'<select name="{name}"[^>]*>\s*<option value=""[^>]*>([^<]*)</option>', html).group(1)

    assert empty_option("kind") == "— выберите —"
    assert empty_option("workplace_school") == "— не указано —"
    assert empty_option("user") == "— не указано —"
